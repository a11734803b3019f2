//! Days as the reader counts them: the IANA zone a request names, and where a day
//! begins in it. The history's date filters, scan counts and campaigns all use these.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::error::AppError;

/// The zone a request's days are counted in; UTC when none is named.
pub fn time_zone(name: Option<&str>) -> Result<Tz, AppError> {
    let Some(name) = name else { return Ok(Tz::UTC) };
    name.parse().map_err(|_| {
        AppError::rejected(
            format!("未知的时区“{name}”，请使用 IANA 名称，如 Asia/Shanghai"),
            format!("Unknown time zone \"{name}\": use an IANA name such as Asia/Shanghai"),
        )
    })
}

/// The first instant of a day as a clock in `zone` shows it.
pub fn day_start(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_time(chrono::NaiveTime::MIN);
    // A zone that skips midnight (a DST jump) starts the day at the first clock time it has;
    // gaps are whole quarter hours and at most a day (Samoa skipped 30 December 2011).
    (0..=26 * 4)
        .map(|quarter| midnight + chrono::Duration::minutes(15 * quarter))
        .find_map(|local| zone.from_local_datetime(&local).earliest())
        .map(|start| start.with_timezone(&Utc))
        .unwrap_or_else(|| midnight.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::db::rfc3339;

    #[test]
    fn days_begin_at_midnight_in_the_readers_zone() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        assert_eq!(rfc3339(day_start(day, Tz::UTC)), "2026-11-24T00:00:00.000Z");
        assert_eq!(rfc3339(day_start(day, Tz::Asia__Shanghai)), "2026-11-23T16:00:00.000Z");
        // São Paulo skipped midnight when DST began in 2018: the day began at 01:00.
        let jump = NaiveDate::from_ymd_opt(2018, 11, 4).unwrap();
        assert_eq!(rfc3339(day_start(jump, Tz::America__Sao_Paulo)), "2018-11-04T03:00:00.000Z");
    }

    #[test]
    fn a_zone_is_an_iana_name_or_utc() {
        assert_eq!(time_zone(None).unwrap(), Tz::UTC);
        assert_eq!(time_zone(Some("Asia/Shanghai")).unwrap(), Tz::Asia__Shanghai);
        assert!(time_zone(Some("Mars/Olympus")).is_err());
    }
}
