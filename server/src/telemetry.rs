//! Logging setup. Secrets and access tokens are never logged: the client
//! strips URLs from transport errors and `AccessToken`'s Debug hides it.
//!
//! `RUST_LOG` filters (default `info,sqlx=warn,tower_http=info`); `RUST_LOG_FORMAT=json`
//! writes one JSON object per line, with the request's span (its `request_id`) on each.

use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::EnvFilter;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("RUST_LOG_FORMAT is not valid: {0:?} (text or json)")]
pub struct BadLogFormat(String);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

impl LogFormat {
    pub fn parse(raw: Option<&str>) -> Result<Self, BadLogFormat> {
        match raw.map(str::trim) {
            None | Some("" | "text") => Ok(Self::Text),
            Some("json") => Ok(Self::Json),
            Some(other) => Err(BadLogFormat(other.to_owned())),
        }
    }
}

/// Installs the subscriber; a bad `RUST_LOG_FORMAT` is reported in text once logging works.
/// The server logs to stdout; a command (`server backup`, `server keys create`) logs to stderr,
/// so its stdout carries only its answer.
pub fn init(to_stderr: bool) -> Result<(), BadLogFormat> {
    let format = LogFormat::parse(std::env::var("RUST_LOG_FORMAT").ok().as_deref());
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let writer = BoxMakeWriter::new(move || -> Box<dyn std::io::Write> {
        if to_stderr {
            Box::new(std::io::stderr())
        } else {
            Box::new(std::io::stdout())
        }
    });
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_target(true).with_writer(writer);
    // A second init (tests) is harmless; the first subscriber stays.
    let _ = match format {
        Ok(LogFormat::Json) => builder.json().with_current_span(false).with_span_list(true).try_init(),
        _ => builder.try_init(),
    };
    format.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_format_is_text_unless_json_is_asked_for() {
        assert_eq!(LogFormat::parse(None), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some("text")), Ok(LogFormat::Text));
        assert_eq!(LogFormat::parse(Some(" json ")), Ok(LogFormat::Json));
        assert_eq!(LogFormat::parse(Some("JSONL")), Err(BadLogFormat("JSONL".into())));
    }
}
