//! stacksketch: a terminal whiteboard for cloud architectures. Services are
//! boxes, connections are arrows, and the sketch turns into AWS SAM or
//! Terraform and back. See the README's architecture section for the rooms.

pub mod analysis;
pub mod canvas;
pub mod catalog;
pub mod cli;
pub mod code;
pub mod command;
pub mod config;
pub mod cost;
pub mod diff;
pub mod document;
pub mod formats;
pub mod layout;
pub mod model;
pub mod scan;
pub mod tui;
