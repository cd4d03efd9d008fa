//! The black-box suite: the hub over HTTP, on the backend named by
//! `EHC_TEST_BACKEND` (sqlite by default; scripts/test runs both).

mod access_matrix;
mod advice_flow;
mod advice_quality;
mod alerts;
mod audit_log;
mod blob_store;
mod browser_edge;
mod case_input;
mod contract;
mod councils;
mod decisions;
mod delivery;
mod demo_seed;
mod documents;
mod errors;
mod helpers;
mod journeys;
mod lockouts;
mod migrations;
mod notifications;
mod openapi_drift;
mod passkeys;
mod pending_places;
mod people;
mod production_config;
mod reassignment;
mod reports;
mod retention;
mod schemathesis_run;
mod second_step_cap;
mod swagger_ui;
mod team_inboxes;
mod tokens;
mod typescript_client;
mod users;
