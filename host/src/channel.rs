//! Channels citizens reach Mitra through. WhatsApp's Cloud API is the one
//! channel: its wire format (`whatsapp`) and its webhook (`webhook`); in
//! development, a fake Graph API and a browser simulator stand in for Meta.

pub mod fake_graph;
pub mod graph;
pub mod media;
pub mod simulator;
pub mod webhook;
pub mod whatsapp;
