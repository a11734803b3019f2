//! The session cookie: HttpOnly (no script reads it), SameSite=Lax (no other
//! site's form or fetch carries it), Secure over https.

use cookie::{Cookie, SameSite};

use std::time::Duration;

pub const SESSION_COOKIE: &str = "wxacode_session";

/// How long sessions live and how their cookie is marked.
#[derive(Clone, Debug)]
pub struct SessionPolicy {
    /// Signed out after this long without a request.
    pub idle: Duration,
    /// Signed out this long after signing in, however active.
    pub lifetime: Duration,
    /// `Secure` cookies: on when the app is served over https.
    pub secure_cookie: bool,
}

impl Default for SessionPolicy {
    fn default() -> Self {
        Self {
            idle: Duration::from_secs(12 * 3600),
            lifetime: Duration::from_secs(7 * 24 * 3600),
            secure_cookie: false,
        }
    }
}

/// The `Set-Cookie` value that hands out `token`.
pub fn session(token: &str, policy: &SessionPolicy) -> String {
    let max_age =
        cookie::time::Duration::seconds(i64::try_from(policy.lifetime.as_secs()).unwrap_or(i64::MAX));
    build(token.to_owned(), policy).max_age(max_age).build().to_string()
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared(policy: &SessionPolicy) -> String {
    build(String::new(), policy).max_age(cookie::time::Duration::ZERO).build().to_string()
}

fn build(value: String, policy: &SessionPolicy) -> cookie::CookieBuilder<'static> {
    Cookie::build((SESSION_COOKIE, value))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(policy.secure_cookie)
        .path("/")
}

/// The session token in a `Cookie` header, if any.
pub fn session_token(cookie_header: &str) -> Option<String> {
    Cookie::split_parse(cookie_header)
        .filter_map(Result::ok)
        .find(|c| c.name() == SESSION_COOKIE && !c.value().is_empty())
        .map(|c| c.value().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_http_only_lax_and_secure_over_https() {
        let plain = session("abc", &SessionPolicy::default());
        assert!(plain.contains("HttpOnly") && plain.contains("SameSite=Lax") && plain.contains("Path=/"));
        assert!(!plain.contains("Secure"), "{plain}");
        let https = SessionPolicy { secure_cookie: true, ..SessionPolicy::default() };
        assert!(session("abc", &https).contains("Secure"));
        assert!(cleared(&https).contains("Max-Age=0"));
    }

    #[test]
    fn the_token_is_found_among_other_cookies() {
        assert_eq!(session_token("a=1; wxacode_session=tok; b=2").as_deref(), Some("tok"));
        assert_eq!(session_token("a=1"), None);
        assert_eq!(session_token("wxacode_session="), None);
    }
}
