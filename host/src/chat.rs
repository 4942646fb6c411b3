//! The conversation core: the engine that decides replies, what replies look
//! like on the wire, and the worker that turns stored inbound messages into
//! queued replies.

pub mod engine;
pub mod outgoing;
pub mod worker;
