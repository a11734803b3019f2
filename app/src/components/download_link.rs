//! The link that downloads a code's original image, named by the team's template.

use leptos::prelude::*;

use crate::urls;

/// Downloads code `id`'s image. Its `{date}` is the reader's day: the zone is only known in the
/// browser, so the link gains it once hydrated.
#[component]
pub fn ImageDownload(id: i64, class: &'static str, children: Children) -> impl IntoView {
    let zone = RwSignal::new(None::<String>);
    Effect::new(move || zone.set(crate::browser::time_zone()));
    view! {
        <a class=class href=move || urls::code_download(id, zone.get().as_deref()) download>
            {children()}
        </a>
    }
}
