//! The generator's result: a placeholder, the request on its way, WeChat's refusal, or the code
//! made (`super::made_code`, one of the parts loaded on demand).

use leptos::prelude::*;

use super::parts::GeneratorPart;
use super::slot::Part;
use crate::error::AppError;
use crate::i18n::{tr, use_lang};
use crate::models::codes::GeneratedCode;

/// The generated image with its actions, or the error of the last attempt.
/// Its box keeps its size whatever it shows, so nothing jumps.
#[component]
pub fn ResultPanel(
    result: Signal<Option<Result<GeneratedCode, AppError>>>,
    pending: Signal<bool>,
    /// The generator is making a living code (which has no scene to fill in).
    #[prop(into, default = Signal::stored(false))]
    living: Signal<bool>,
    /// The code made last is on its way back (after Back or a reload).
    #[prop(into, default = Signal::stored(false))]
    restoring: Signal<bool>,
) -> impl IntoView {
    let lang = use_lang();
    let panel = NodeRef::<leptos::html::Section>::new();
    // On a phone the panel sits below the form: bring the answer to a request into view (not a
    // code brought back by a reload, which would pull the reader away from the form).
    #[cfg(feature = "hydrate")]
    Effect::new(move |was_pending: Option<bool>| {
        let pending = pending.get();
        if was_pending == Some(true) && !pending && result.with_untracked(Option::is_some) {
            if let Some(panel) = panel.get_untracked() {
                let below_fold = window()
                    .inner_height()
                    .ok()
                    .and_then(|h| h.as_f64())
                    .is_some_and(|height| panel.get_bounding_client_rect().top() > height * 0.6);
                if below_fold {
                    panel.scroll_into_view();
                }
            }
        }
        pending
    });
    view! {
        <section class="result" node_ref=panel aria-live="polite" aria-busy=move || pending.get().to_string()>
            {move || match (pending.get(), result.get()) {
                (true, _) => view! {
                    <div class="result-placeholder busy">
                        {tr(lang.get(), "正在向微信请求小程序码…", "Asking WeChat for the code…")}
                    </div>
                }
                .into_any(),
                (false, None) if restoring.get() => view! {
                    <div class="result-placeholder busy">
                        {tr(lang.get(), "正在载入刚生成的码…", "Loading the code just made…")}
                    </div>
                }
                .into_any(),
                (false, None) => view! {
                    <div class="result-placeholder">
                        {if living.get() {
                            tr(lang.get(), "生成的活码会显示在这里", "The living code you make appears here")
                        } else {
                            tr(lang.get(), "生成的小程序码会显示在这里", "The code you make appears here")
                        }}
                    </div>
                }
                .into_any(),
                (false, Some(Err(error))) => view! {
                    <div class="result-placeholder">
                        <p class="error" role="alert">{error.display(lang.get())}</p>
                    </div>
                }
                .into_any(),
                (false, Some(Ok(_))) => view! { <Part part=GeneratorPart::MadeCode /> }.into_any(),
            }}
        </section>
    }
}
