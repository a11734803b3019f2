//! How an instant is written: `YYYY-MM-DD HH:MM` on the reader's clock.
//!
//! The browser names its time zone in a cookie, so the server writes the very text the
//! browser will and nothing changes when the page's code takes over. Without the cookie
//! (a first visit) the server writes UTC and says so; the browser then switches to local time.

const COOKIE: &str = "wxacode_tz";

/// The one spelling of a wall-clock time, on both sides.
pub fn wall_clock(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> String {
    format!("{year:04}-{month:02}-{day:02} {hour:02}:{minute:02}")
}

/// An RFC 3339 instant on the reader's clock; on the server without the reader's zone, in UTC
/// marked as such.
pub fn local_time(rfc3339: &str) -> String {
    #[cfg(feature = "ssr")]
    {
        request_zone().and_then(|zone| in_zone(rfc3339, zone)).unwrap_or_else(|| utc_time(rfc3339))
    }
    #[cfg(not(feature = "ssr"))]
    {
        crate::browser::clock_fields(rfc3339)
            .map(|(year, month, day, hour, minute)| wall_clock(year, month, day, hour, minute))
            .unwrap_or_else(|| utc_time(rfc3339))
    }
}

/// Now on the reader's clock.
pub fn local_now() -> String {
    local_time(&crate::browser::now_rfc3339())
}

/// An RFC 3339 UTC instant as written before the reader's zone is known.
pub fn utc_time(rfc3339: &str) -> String {
    rfc3339.get(..16).map(|t| format!("{} UTC", t.replace('T', " "))).unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn in_zone(rfc3339: &str, zone: chrono_tz::Tz) -> Option<String> {
    use chrono::{Datelike, Timelike};
    let t = chrono::DateTime::parse_from_rfc3339(rfc3339).ok()?.with_timezone(&zone);
    Some(wall_clock(t.year(), t.month(), t.day(), t.hour(), t.minute()))
}

/// Tells the server the browser's zone for the next pages (kept a year, like the language).
#[cfg(not(feature = "ssr"))]
pub fn remember_zone() {
    let Some(zone) = crate::browser::time_zone() else { return };
    if crate::browser::cookie_value(&crate::browser::cookies(), COOKIE) != Some(zone.as_str()) {
        crate::browser::set_cookie(&format!("{COOKIE}={zone}; path=/; max-age=31536000; SameSite=Lax"));
    }
}

/// The zone this request's cookie names, if it is a real one.
#[cfg(feature = "ssr")]
fn request_zone() -> Option<chrono_tz::Tz> {
    let parts = leptos::prelude::use_context::<axum::http::request::Parts>()?;
    let header = parts.headers.get(axum::http::header::COOKIE)?.to_str().ok()?;
    crate::browser::cookie_value(header, COOKIE)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_spelling_with_padding() {
        assert_eq!(wall_clock(2026, 3, 7, 9, 5), "2026-03-07 09:05");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn the_server_writes_the_readers_clock() {
        let at = "2026-11-27T16:30:00.000Z";
        assert_eq!(in_zone(at, chrono_tz::Asia::Shanghai).as_deref(), Some("2026-11-28 00:30"));
        assert_eq!(in_zone(at, chrono_tz::America::New_York).as_deref(), Some("2026-11-27 11:30"));
        assert_eq!(in_zone("yesterday", chrono_tz::UTC), None);
    }
}
