use leptos::prelude::*;
use wxacode::sheet_request::LineField;

use crate::i18n::{tr, use_lang};

/// What one line of text under a code shows (a label sheet's or a poster's): "" for none.
#[component]
pub fn LineSelect(
    #[prop(into)] id: String,
    value: RwSignal<String>,
    /// `Some("true")` while the lines have a problem.
    #[prop(optional, into)]
    invalid: Signal<Option<&'static str>>,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select id=id aria-invalid=invalid prop:value=move || value.get() on:change=move |ev| value.set(event_target_value(&ev))>
            // `selected` too: before hydration only the attribute picks the option.
            <option value="" selected=move || value.with(String::is_empty)>{move || tr(lang.get(), "（无）", "(none)")}</option>
            {LineField::ALL.into_iter().map(|field| view! {
                <option value=field.as_str() selected=move || value.with(|v| v == field.as_str())>{move || field.title().get(lang.get()).to_owned()}</option>
            }).collect_view()}
        </select>
    }
}
