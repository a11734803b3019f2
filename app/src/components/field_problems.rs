use leptos::prelude::*;
use wxacode::{Field, Problem};

use crate::i18n::use_lang;

/// The validation problems of one form field, announced to screen readers.
#[component]
pub fn FieldProblems(
    field: Field,
    problems: Signal<Vec<Problem>>,
    #[prop(into)] id: String,
) -> impl IntoView {
    let lang = use_lang();
    let mine = move || problems.get().into_iter().filter(|p| p.field == field).collect::<Vec<_>>();
    view! {
        <ul class="field-problems" id=id aria-live="polite">
            // Keyed by the whole message: "width 100" and "width 2000" are the same code with
            // different words, and a code-only key would keep showing the first.
            <For each=mine key=|p| (p.code, p.message.zh.clone()) let:problem>
                <li class="field-problem">{move || problem.message.get(lang.get()).to_owned()}</li>
            </For>
        </ul>
    }
}

/// A field's `aria-invalid`: "true" while one of `problems` names it, so the box is marked as
/// the messages under it are (and read out as invalid).
pub fn aria_invalid(
    problems: Signal<Vec<Problem>>,
    field: Field,
) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || if problems.with(|p| p.iter().any(|p| p.field == field)) { "true" } else { "false" }
}
