use leptos::prelude::*;

use crate::browser::relative_time;
use crate::clock::{local_time, utc_time};
use crate::components::hydrated::use_hydrated;
use crate::i18n::use_lang;

/// An instant in the reader's time zone; how long ago and the exact UTC time on hover.
#[component]
pub fn LocalTime(#[prop(into)] at: String) -> impl IntoView {
    let lang = use_lang();
    // The server writes the reader's clock once the browser has named its zone (UTC before),
    // and the browser writes it again once hydrated (effects only run there): no change on
    // hydration when both agree, local time even when the server could not know.
    let hydrated = use_hydrated();
    // Written now, while the request (and its cookie) is in reach on the server.
    let first = if cfg!(feature = "ssr") { local_time(&at) } else { utc_time(&at) };
    let shown = {
        let at = at.clone();
        move || if hydrated.get() { local_time(&at) } else { first.clone() }
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
