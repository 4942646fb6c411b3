//! energy: end to end through the runtime with its backend simulator (to be filled in).
