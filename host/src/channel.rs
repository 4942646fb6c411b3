//! Channels citizens reach Mitra through. WhatsApp's Cloud API is the one
//! channel: its wire format (`whatsapp`) and its webhook (`webhook`).

pub mod fake_graph;
pub mod graph;
pub mod webhook;
pub mod whatsapp;
