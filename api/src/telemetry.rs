//! JSON logs through tracing. Span fields (the request id) are on every line.
//! Rules are in docs/LOGGING.md: no names, e-mails, phones, tokens or codes.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(filter: &str) {
    let subscriber = fmt()
        .json()
        .with_env_filter(EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_current_span(true)
        .with_span_list(false)
        .with_target(true)
        // stdout belongs to command output (`openapi`, `create-admin`).
        .with_writer(std::io::stderr)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}
