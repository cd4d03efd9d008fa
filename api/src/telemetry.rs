//! JSON logs through tracing. Span fields (the request id) are on every line.
//! Rules are in docs/LOGGING.md: no names, e-mails, phones, tokens or codes.

use tracing_subscriber::{fmt, EnvFilter};

pub fn init(filter: &str) {
    // stdout belongs to command output (`openapi`, `create-admin`).
    init_with_writer(filter, std::io::stderr);
}

/// The same lines into a file: the test suite keeps every line the hub
/// logs, to scan them for personal data.
pub fn init_to_file(filter: &str, path: &std::path::Path) -> std::io::Result<()> {
    let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
    init_with_writer(filter, std::sync::Mutex::new(file));
    Ok(())
}

fn init_with_writer<W>(filter: &str, writer: W)
where
    W: for<'w> fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    let subscriber = fmt()
        .json()
        .with_env_filter(EnvFilter::try_new(filter).unwrap_or_else(|_| EnvFilter::new("info")))
        .with_current_span(true)
        .with_span_list(false)
        .with_target(true)
        .with_writer(writer)
        .finish();
    let _ = tracing::subscriber::set_global_default(subscriber);
}
