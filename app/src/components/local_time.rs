use leptos::prelude::*;

use crate::browser::{local_time, relative_time};
use crate::i18n::use_lang;

/// An instant in the reader's time zone; how long ago and the exact UTC time on hover.
#[component]
pub fn LocalTime(#[prop(into)] at: String) -> impl IntoView {
    let lang = use_lang();
    // The server cannot know the reader's zone: it renders UTC, and the browser
    // switches to local time once hydrated (effects only run there).
    let hydrated = RwSignal::new(false);
    Effect::new(move |_| hydrated.set(true));
    let shown = {
        let at = at.clone();
        move || {
            if hydrated.get() {
                local_time(&at, lang.get())
            } else {
                crate::browser::server_time(&at)
            }
        }
    };
    let hover = {
        let at = at.clone();
        move || {
            let ago = if hydrated.get() { relative_time(&at, lang.get()) } else { String::new() };
            if ago.is_empty() {
                at.clone()
            } else {
                format!("{ago} · {at}")
            }
        }
    };
    view! { <time datetime=at title=hover>{shown}</time> }
}

#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
/// The largest unit that fits, as Intl.RelativeTimeFormat wants it: (count, unit).
pub fn relative_unit(seconds_ago: f64) -> (f64, &'static str) {
    const UNITS: [(f64, &str); 6] = [
        (365.0 * 86_400.0, "year"),
        (30.0 * 86_400.0, "month"),
        (86_400.0, "day"),
        (3_600.0, "hour"),
        (60.0, "minute"),
        (1.0, "second"),
    ];
    let magnitude = seconds_ago.abs();
    let (size, unit) = UNITS.into_iter().find(|(size, _)| magnitude >= *size).unwrap_or((1.0, "second"));
    ((seconds_ago / size).trunc(), unit)
}

#[cfg(test)]
mod tests {
    use super::relative_unit;

    #[test]
    fn the_largest_whole_unit_is_chosen() {
        assert_eq!(relative_unit(0.0), (0.0, "second"));
        assert_eq!(relative_unit(59.0), (59.0, "second"));
        assert_eq!(relative_unit(60.0), (1.0, "minute"));
        assert_eq!(relative_unit(3.0 * 3_600.0 + 5.0), (3.0, "hour"));
        assert_eq!(relative_unit(2.0 * 86_400.0), (2.0, "day"));
        assert_eq!(relative_unit(45.0 * 86_400.0), (1.0, "month"));
        assert_eq!(relative_unit(800.0 * 86_400.0), (2.0, "year"));
        assert_eq!(relative_unit(-120.0), (-2.0, "minute"), "a clock slightly behind the server");
    }
}
