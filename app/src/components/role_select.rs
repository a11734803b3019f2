use leptos::prelude::*;
use wxacode::Role;

use crate::i18n::use_lang;

/// A drop-down of the roles, named in the page's language.
#[component]
pub fn RoleSelect(
    value: RwSignal<Role>,
    #[prop(into)] label: Signal<String>,
    #[prop(optional)] on_change: Option<Callback<Role>>,
    /// Shown but not changeable (e.g. one's own role).
    #[prop(optional)]
    disabled: bool,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <select
            disabled=disabled
            aria-label=move || label.get()
            prop:value=move || value.get().as_str()
            on:change=move |ev| {
                if let Some(role) = Role::parse(&event_target_value(&ev)) {
                    value.set(role);
                    if let Some(on_change) = on_change {
                        on_change.run(role);
                    }
                }
            }
        >
            {Role::ALL.into_iter().map(|role| view! {
                // `selected` too: before hydration only the attribute picks the option.
                <option value=role.as_str() selected=move || value.get() == role>{move || role.title().get(lang.get()).to_owned()}</option>
            }).collect_view()}
        </select>
    }
}
