//! The conversation core: the engine that decides replies, what replies look
//! like on the wire, and the worker that turns stored inbound messages into
//! queued replies.

pub mod applications;
pub mod digilocker;
pub mod documents;
pub mod engine;
pub mod form;
pub mod grievances;
pub mod outgoing;
pub mod payments;
pub mod typed;
pub mod voice;
pub mod worker;
