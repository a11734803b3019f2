use leptos::prelude::*;

use crate::i18n::{tr, use_lang};

/// A Chinese and an English text.
pub type Words = (&'static str, &'static str);

/// A button for something that cannot be undone: the first click asks, in place,
/// with a confirming and a keeping button.
#[component]
pub fn ConfirmedButton(
    /// The button's text; `question`, `confirm` and `keep` are the asking step's.
    label: Words,
    question: Words,
    confirm: Words,
    keep: Words,
    /// Extra classes of every button, e.g. "small".
    #[prop(optional)]
    size: &'static str,
    /// Red buttons: the action destroys something.
    #[prop(optional)]
    danger: bool,
    /// Extra classes of the first button only (placement).
    #[prop(optional)]
    class: &'static str,
    #[prop(optional, into)] disabled: Signal<bool>,
    on_confirm: Callback<()>,
) -> impl IntoView {
    let lang = use_lang();
    let asking = RwSignal::new(false);
    let kind = if danger { "danger" } else { "" };
    move || {
        let l = lang.get();
        if asking.get() {
            view! {
                <span class="confirm" role="group" aria-label=tr(l, confirm.0, confirm.1)>
                    <span>{tr(l, question.0, question.1)}</span>
                    <button type="button" class=format!("button {size} {kind}") disabled=disabled on:click=move |_| {
                        asking.set(false);
                        on_confirm.run(());
                    }>{tr(l, confirm.0, confirm.1)}</button>
                    <button type="button" class=format!("button {size}") on:click=move |_| asking.set(false)>{tr(l, keep.0, keep.1)}</button>
                </span>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class=format!("button {size} {kind} {class}") on:click=move |_| asking.set(true)>{tr(l, label.0, label.1)}</button>
            }
            .into_any()
        }
    }
}
