//! The EHC hub's HTTP API, command line and workers.

pub mod auth;
pub mod bootstrap;
pub mod case_events;
pub mod casework;
pub mod cli;
pub mod config;
pub mod demo;
pub mod dev_keys;
pub mod error;
pub mod identity;
pub mod json;
pub mod load;
pub mod messaging;
pub mod openapi;
pub mod paging;
pub mod request_id;
pub mod routes;
pub mod scanning;
pub mod security;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod workers;
