//! Each department plugin end to end: the real runtime, the plugin's wasm
//! component and its simulated backend reached over allow-listed HTTP.

mod agriculture;
mod anna_canteens;
mod apsrtc;
mod civil_supplies;
mod cm_relief_fund;
mod endowments;
mod energy;
mod municipal;
mod revenue;
