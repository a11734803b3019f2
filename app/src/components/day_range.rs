//! A first and a last day (inclusive), as filter forms ask for them.

use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

/// Two date inputs named `from` and `to`, bound to `YYYY-MM-DD` text (empty: open-ended).
#[component]
pub fn DayRange(from: RwSignal<String>, to: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    view! {
        <label>
            <span>{move || tr(lang.get(), "从", "From")}</span>
            <input type="date" name="from" prop:value=from on:input=move |ev| from.set(event_target_value(&ev)) />
        </label>
        <label>
            <span>{move || tr(lang.get(), "到", "To")}</span>
            <input type="date" name="to" prop:value=to on:input=move |ev| to.set(event_target_value(&ev)) />
        </label>
    }
}
