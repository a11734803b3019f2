//! A first and a last day (inclusive), as filter forms ask for them.

use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

/// Two date inputs named `from` and `to`, bound to `YYYY-MM-DD` text (empty: open-ended).
/// The `value` attributes are for the page as served (properties are set only by its code).
#[component]
pub fn DayRange(from: RwSignal<String>, to: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let (served_from, served_to) = (from.get_untracked(), to.get_untracked());
    view! {
        <label>
            <span>{move || tr(lang.get(), "从", "From")}</span>
            <input type="date" name="from" value=served_from prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
        </label>
        <label>
            <span>{move || tr(lang.get(), "到", "To")}</span>
            <input type="date" name="to" value=served_to prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
        </label>
    }
}
