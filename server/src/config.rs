//! Configuration from environment variables, read once at start-up.
//! Every variable is listed, with its default, in the README's table.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::PathBuf;
use std::time::Duration;

use app::backend::accounts::{SessionPolicy, ThrottlePolicy};
use app::backend::apps::SecretKey;
use app::backend::batches::RunnerConfig;
use app::backend::living::LivingConfig;
use app::backend::print::font::DEFAULT_FONT_PATH;
use secrecy::SecretString;
use url::Url;
use wxacode::client::{DEFAULT_API_BASE, DEFAULT_CALLS_PER_MINUTE};
use wxacode::Email;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/wxacode.db";

/// Where codes come from.
#[derive(Clone, Debug)]
pub enum WeChatMode {
    /// The real WeChat API (or any server speaking it, such as a standalone simulator).
    Live { api_base: Url, appid: String, secret: SecretString },
    /// No AppID configured: an in-process simulator on this address (port 0: any).
    Sandbox { simulator_addr: SocketAddr },
}

#[derive(Clone, Debug)]
pub struct Config {
    pub database_url: String,
    pub wechat: WeChatMode,
    pub wechat_timeout: Duration,
    /// WeChat code calls per minute, shared by the form, the REST API and batch jobs.
    pub calls_per_minute: NonZeroU32,
    /// How batch jobs pace themselves (not from the environment: tests shorten the back-off).
    pub batch_runner: RunnerConfig,
    /// Base of the links the app hands out; `None` derives it from the listening address.
    pub public_url: Option<Url>,
    /// The first admin, created when no account exists yet.
    pub first_admin: Option<FirstAdmin>,
    pub sessions: SessionPolicy,
    pub sign_in_throttle: ThrottlePolicy,
    /// Behind a reverse proxy: the client is the last address in `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Living codes: the landing page, the resolve cache and the scan writer.
    pub living: LivingConfig,
    /// How often the public resolve API answers one client address, and everyone.
    pub resolve_limits: ResolveLimits,
    /// `GET /metrics` (Prometheus) on its own address; `None`: no metrics at all.
    pub metrics_addr: Option<SocketAddr>,
    /// Seals the AppSecrets of mini programs added in the dashboard (`WXACODE_SECRET_KEY`).
    pub secret_key: Option<SecretKey>,
    /// The font label sheets are printed in (`WXACODE_PRINT_FONT`).
    pub print_font: PathBuf,
}

/// `WXACODE_RESOLVE_PER_CLIENT_PER_MINUTE` and `WXACODE_RESOLVE_TOTAL_PER_SECOND`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResolveLimits {
    /// Generous: phones behind one carrier NAT share an address.
    pub per_client_per_minute: NonZeroU32,
    pub total_per_second: NonZeroU32,
}

impl Default for ResolveLimits {
    fn default() -> Self {
        Self {
            per_client_per_minute: NonZeroU32::new(1_200).unwrap_or(NonZeroU32::MIN),
            total_per_second: NonZeroU32::new(20_000).unwrap_or(NonZeroU32::MIN),
        }
    }
}

/// `WXACODE_ADMIN_EMAIL` and `WXACODE_ADMIN_PASSWORD`.
#[derive(Clone)]
pub struct FirstAdmin {
    pub email: Email,
    pub password: SecretString,
}

impl std::fmt::Debug for FirstAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FirstAdmin").field("email", &self.email).finish_non_exhaustive()
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("WECHAT_APPID is set but WECHAT_SECRET is not: set both, or neither for sandbox mode")]
    MissingSecret,
    #[error("WECHAT_SECRET is set but WECHAT_APPID is not: set both, or neither for sandbox mode")]
    MissingAppId,
    #[error("{name} is not a valid http(s) URL: {value:?}")]
    BadUrl { name: &'static str, value: String },
    #[error(
        "WXACODE_ADMIN_EMAIL and WXACODE_ADMIN_PASSWORD go together: set both, or neither for a setup link"
    )]
    HalfAnAdmin,
    /// The value is never repeated: it is a secret.
    #[error("WXACODE_SECRET_KEY is not valid: it must be 32 random bytes in base64 (openssl rand -base64 32) or 64 hex digits")]
    BadSecretKey,
    #[error("{name} is not valid: {value:?} ({expected})")]
    BadValue { name: &'static str, value: String, expected: &'static str },
}

impl Config {
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Reads the configuration through `lookup`, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = lookup("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned());
        let wechat = match (lookup("WECHAT_APPID"), lookup("WECHAT_SECRET")) {
            (Some(appid), Some(secret)) => WeChatMode::Live {
                api_base: parse_url(
                    "WECHAT_API_BASE",
                    lookup("WECHAT_API_BASE").as_deref().unwrap_or(DEFAULT_API_BASE),
                )?,
                appid,
                secret: SecretString::from(secret),
            },
            (Some(_), None) => return Err(ConfigError::MissingSecret),
            (None, Some(_)) => return Err(ConfigError::MissingAppId),
            (None, None) => {
                let raw = lookup("WXACODE_SANDBOX_ADDR").unwrap_or_else(|| "127.0.0.1:0".to_owned());
                let simulator_addr = raw.parse().map_err(|_| ConfigError::BadValue {
                    name: "WXACODE_SANDBOX_ADDR",
                    value: raw.clone(),
                    expected: "host:port",
                })?;
                WeChatMode::Sandbox { simulator_addr }
            }
        };
        let wechat_timeout = Duration::from_secs(number_in(
            &lookup,
            "WECHAT_TIMEOUT_SECS",
            1..=120,
            10,
            "whole seconds from 1 to 120",
        )?);
        let calls_per_minute = NonZeroU32::new(number_in(
            &lookup,
            "WECHAT_CALLS_PER_MINUTE",
            1..=100_000,
            u64::from(DEFAULT_CALLS_PER_MINUTE.get()),
            "a whole number of calls from 1 to 100000",
        )? as u32)
        .unwrap_or(DEFAULT_CALLS_PER_MINUTE);
        let public_url =
            lookup("WXACODE_PUBLIC_URL").map(|raw| parse_url("WXACODE_PUBLIC_URL", &raw)).transpose()?;
        let first_admin = match (lookup("WXACODE_ADMIN_EMAIL"), lookup("WXACODE_ADMIN_PASSWORD")) {
            (Some(email), Some(password)) => Some(FirstAdmin {
                email: Email::parse(&email).map_err(|_| ConfigError::BadValue {
                    name: "WXACODE_ADMIN_EMAIL",
                    value: email.clone(),
                    expected: "an email address",
                })?,
                password: SecretString::from(password),
            }),
            (None, None) => None,
            _ => return Err(ConfigError::HalfAnAdmin),
        };
        let minutes = |name, default, expected| {
            number_in(&lookup, name, 1..=525_600, default, expected).map(|m| Duration::from_secs(m * 60))
        };
        let sessions = SessionPolicy {
            idle: minutes("WXACODE_SESSION_IDLE_MINUTES", 12 * 60, "whole minutes from 1 to 525600")?,
            lifetime: minutes("WXACODE_SESSION_MAX_MINUTES", 7 * 24 * 60, "whole minutes from 1 to 525600")?,
            // Browsers only send Secure cookies over https: mark them so when the app is served that way.
            secure_cookie: public_url.as_ref().is_some_and(|url| url.scheme() == "https"),
        };
        let landing_page = match lookup("WXACODE_LANDING_PAGE") {
            None => wxacode::living::DEFAULT_LANDING_PAGE.to_owned(),
            Some(raw) => wxacode::living::parse_landing_page(&raw)
                .map_err(|_| ConfigError::BadValue {
                    name: "WXACODE_LANDING_PAGE",
                    value: raw.clone(),
                    expected: "a mini program page such as pages/index/index",
                })?
                .as_str()
                .to_owned(),
        };
        let defaults = ResolveLimits::default();
        let limit = |name, default: NonZeroU32, expected| {
            number_in(&lookup, name, 1..=10_000_000, u64::from(default.get()), expected)
                .map(|n| NonZeroU32::new(n as u32).unwrap_or(default))
        };
        let resolve_limits = ResolveLimits {
            per_client_per_minute: limit(
                "WXACODE_RESOLVE_PER_CLIENT_PER_MINUTE",
                defaults.per_client_per_minute,
                "a whole number of resolves from 1 to 10000000",
            )?,
            total_per_second: limit(
                "WXACODE_RESOLVE_TOTAL_PER_SECOND",
                defaults.total_per_second,
                "a whole number of resolves from 1 to 10000000",
            )?,
        };
        let metrics_addr = lookup("WXACODE_METRICS_ADDR")
            .map(|raw| {
                raw.trim().parse().map_err(|_| ConfigError::BadValue {
                    name: "WXACODE_METRICS_ADDR",
                    value: raw.clone(),
                    expected: "host:port, such as 127.0.0.1:9090",
                })
            })
            .transpose()?;
        let batch_runner = RunnerConfig {
            lease: Duration::from_secs(number_in(
                &lookup,
                "WXACODE_BATCH_LEASE_SECS",
                35..=3600,
                60,
                "whole seconds from 35 to 3600",
            )?),
            ..RunnerConfig::default()
        };
        let secret_key = lookup("WXACODE_SECRET_KEY")
            .map(|raw| SecretKey::parse(&raw))
            .transpose()
            .map_err(|_| ConfigError::BadSecretKey)?;
        let print_font = lookup("WXACODE_PRINT_FONT")
            .map(|raw| raw.trim().to_owned())
            .filter(|raw| !raw.is_empty())
            .map_or_else(|| PathBuf::from(DEFAULT_FONT_PATH), PathBuf::from);
        Ok(Self {
            print_font,
            secret_key,
            metrics_addr,
            living: LivingConfig { landing_page, ..LivingConfig::default() },
            resolve_limits,
            database_url,
            wechat,
            wechat_timeout,
            calls_per_minute,
            batch_runner,
            public_url,
            first_admin,
            sessions,
            sign_in_throttle: ThrottlePolicy::default(),
            trust_proxy: match lookup("WXACODE_TRUST_PROXY").as_deref().map(str::trim) {
                None | Some("false" | "0") => false,
                Some("true" | "1") => true,
                Some(other) => {
                    return Err(ConfigError::BadValue {
                        name: "WXACODE_TRUST_PROXY",
                        value: other.to_owned(),
                        expected: "true or false",
                    })
                }
            },
        })
    }

    pub fn is_sandbox(&self) -> bool {
        matches!(self.wechat, WeChatMode::Sandbox { .. })
    }
}

/// A whole number within `range`, or `default` when unset.
fn number_in(
    lookup: &impl Fn(&str) -> Option<String>,
    name: &'static str,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
    expected: &'static str,
) -> Result<u64, ConfigError> {
    match lookup(name) {
        None => Ok(default),
        Some(raw) => match raw.trim().parse::<u64>() {
            Ok(n) if range.contains(&n) => Ok(n),
            _ => Err(ConfigError::BadValue { name, value: raw, expected }),
        },
    }
}

fn parse_url(name: &'static str, value: &str) -> Result<Url, ConfigError> {
    Url::parse(value)
        .ok()
        .filter(|url| matches!(url.scheme(), "http" | "https") && url.has_host())
        .ok_or_else(|| ConfigError::BadUrl { name, value: value.to_owned() })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> =
            vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn the_secret_key_is_32_bytes_and_never_repeated_in_errors() {
        assert!(config(&[]).unwrap().secret_key.is_none());
        let key = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
        assert!(config(&[("WXACODE_SECRET_KEY", key)]).unwrap().secret_key.is_some());
        let error = config(&[("WXACODE_SECRET_KEY", "too-short-secret")]).unwrap_err();
        assert_eq!(error, ConfigError::BadSecretKey);
        assert!(!error.to_string().contains("too-short-secret"));
        let debug = format!("{:?}", config(&[("WXACODE_SECRET_KEY", key)]).unwrap());
        assert!(!debug.contains(key), "{debug}");
    }

    #[test]
    fn no_appid_means_sandbox_with_defaults() {
        let config = config(&[]).unwrap();
        assert!(config.is_sandbox());
        assert_eq!(config.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(config.wechat_timeout, Duration::from_secs(10));
        assert_eq!(config.calls_per_minute.get(), 4_500);
        assert!(config.public_url.is_none());
        assert!(config.metrics_addr.is_none(), "metrics are off unless asked for");
    }

    #[test]
    fn metrics_address_is_a_socket_address() {
        let metrics = config(&[("WXACODE_METRICS_ADDR", "127.0.0.1:9090")]).unwrap().metrics_addr;
        assert_eq!(metrics, Some("127.0.0.1:9090".parse().unwrap()));
        let error = config(&[("WXACODE_METRICS_ADDR", "9090")]).unwrap_err();
        assert!(error.to_string().contains("WXACODE_METRICS_ADDR"), "{error}");
    }

    #[test]
    fn appid_and_secret_select_the_live_api() {
        let config = config(&[("WECHAT_APPID", "wx1"), ("WECHAT_SECRET", "s")]).unwrap();
        match config.wechat {
            WeChatMode::Live { api_base, appid, .. } => {
                assert_eq!(api_base.as_str(), "https://api.weixin.qq.com/");
                assert_eq!(appid, "wx1");
            }
            other => panic!("expected live mode, got {other:?}"),
        }
    }

    #[test]
    fn half_a_credential_refuses_to_start() {
        assert_eq!(config(&[("WECHAT_APPID", "wx1")]).unwrap_err(), ConfigError::MissingSecret);
        assert_eq!(config(&[("WECHAT_SECRET", "s")]).unwrap_err(), ConfigError::MissingAppId);
    }

    #[test]
    fn bad_urls_and_values_are_named() {
        let bad_base =
            config(&[("WECHAT_APPID", "a"), ("WECHAT_SECRET", "s"), ("WECHAT_API_BASE", "ftp://x")]);
        assert!(matches!(bad_base, Err(ConfigError::BadUrl { name: "WECHAT_API_BASE", .. })));
        let bad_public = config(&[("WXACODE_PUBLIC_URL", "not a url")]);
        assert!(matches!(bad_public, Err(ConfigError::BadUrl { name: "WXACODE_PUBLIC_URL", .. })));
        let bad_timeout = config(&[("WECHAT_TIMEOUT_SECS", "0")]);
        assert!(matches!(bad_timeout, Err(ConfigError::BadValue { name: "WECHAT_TIMEOUT_SECS", .. })));
        for rate in ["0", "lots", "100001"] {
            let bad_rate = config(&[("WECHAT_CALLS_PER_MINUTE", rate)]);
            assert!(matches!(bad_rate, Err(ConfigError::BadValue { name: "WECHAT_CALLS_PER_MINUTE", .. })));
        }
        let bad_addr = config(&[("WXACODE_SANDBOX_ADDR", "localhost")]);
        assert!(matches!(bad_addr, Err(ConfigError::BadValue { name: "WXACODE_SANDBOX_ADDR", .. })));
    }

    #[test]
    fn the_secret_is_not_printed_in_debug_output() {
        let config = config(&[
            ("WECHAT_APPID", "wx1"),
            ("WECHAT_SECRET", "very-secret"),
            ("WXACODE_ADMIN_EMAIL", "a@example.com"),
            ("WXACODE_ADMIN_PASSWORD", "admin-password"),
        ])
        .unwrap();
        let debug = format!("{config:?}");
        assert!(!debug.contains("very-secret") && !debug.contains("admin-password"), "{debug}");
    }

    #[test]
    fn the_first_admin_needs_both_variables_and_a_real_email() {
        assert_eq!(
            config(&[("WXACODE_ADMIN_EMAIL", "a@example.com")]).unwrap_err(),
            ConfigError::HalfAnAdmin
        );
        let bad = config(&[("WXACODE_ADMIN_EMAIL", "admin"), ("WXACODE_ADMIN_PASSWORD", "long enough pw")]);
        assert!(matches!(bad, Err(ConfigError::BadValue { name: "WXACODE_ADMIN_EMAIL", .. })));
        let admin = config(&[
            ("WXACODE_ADMIN_EMAIL", " Boss@Example.com"),
            ("WXACODE_ADMIN_PASSWORD", "long enough pw"),
        ]);
        assert_eq!(admin.unwrap().first_admin.unwrap().email.as_str(), "boss@example.com");
    }

    #[test]
    fn the_proxy_is_trusted_only_when_asked() {
        assert!(!config(&[]).unwrap().trust_proxy);
        assert!(config(&[("WXACODE_TRUST_PROXY", "true")]).unwrap().trust_proxy);
        let bad = config(&[("WXACODE_TRUST_PROXY", "yes please")]);
        assert!(matches!(bad, Err(ConfigError::BadValue { name: "WXACODE_TRUST_PROXY", .. })));
    }

    #[test]
    fn sessions_are_secure_over_https_and_their_lengths_configurable() {
        let plain = config(&[]).unwrap();
        assert!(!plain.sessions.secure_cookie);
        assert_eq!(plain.sessions.idle, Duration::from_secs(12 * 3600));
        let https = config(&[
            ("WXACODE_PUBLIC_URL", "https://codes.example.com"),
            ("WXACODE_SESSION_IDLE_MINUTES", "30"),
        ]);
        let https = https.unwrap();
        assert!(https.sessions.secure_cookie);
        assert_eq!(https.sessions.idle, Duration::from_secs(1800));
    }
}
