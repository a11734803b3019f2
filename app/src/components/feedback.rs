//! The small pieces every page shows the same way: loading, an error, a failed
//! action, a table's headings.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{tr, use_lang};

/// What a `<Transition>` shows while its data loads.
#[component]
pub fn Loading() -> impl IntoView {
    let lang = use_lang();
    view! { <p class="muted">{move || tr(lang.get(), "加载中…", "Loading…")}</p> }
}

/// An error, in the page's language.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    let lang = use_lang();
    view! { <p class="error" role="alert">{move || error.display(lang.get())}</p> }
}

/// The error of a form the browser posted to the server function at `path` before the page's
/// script ran: server_fn sends the browser back with it in the address.
pub fn posted_form_error(path: &str) -> Option<AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    leptos_router::hooks::use_query_map().with_untracked(|query| {
        let error = query.get("__err").filter(|_| query.get("__path").as_deref() == Some(path))?;
        Some(ServerFnUrlError::<AppError>::decode_err(&error))
    })
}

/// The error of an action's last run, if it failed.
#[component]
pub fn ActionError<I, T>(action: Action<I, Result<T, AppError>>) -> impl IntoView
where
    I: Send + Sync + 'static,
    T: Clone + Send + Sync + 'static,
{
    move || match action.value().get() {
        Some(Err(error)) => Some(view! { <ErrorAlert error /> }),
        _ => None,
    }
}

/// Forgets an action's error once the person edits the form again: a message about
/// the old value ("当前密码不正确") must not stand beside the new one.
pub fn forget_error<I, T>(action: Action<I, Result<T, AppError>>)
where
    I: Send + Sync + 'static,
    T: Send + Sync + 'static,
{
    if action.value().with_untracked(|value| matches!(value, Some(Err(_)))) {
        action.value().set(None);
    }
}

/// A table's heading row; each column named in Chinese and English.
#[component]
pub fn TableHead(columns: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let lang = use_lang();
    view! {
        <thead>
            <tr>
                {columns.iter().map(|&(zh, en)| view! { <th scope="col">{move || tr(lang.get(), zh, en)}</th> }).collect_view()}
            </tr>
        </thead>
    }
}
