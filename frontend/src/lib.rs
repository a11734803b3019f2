#![recursion_limit = "512"]
//! The browser entry point: hydrates the server-rendered page.

mod early_input;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages other than the generator are wasm chunks of their own (lazy routes): hydration
    // waits for the page's chunk, so it finishes asynchronously.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(body) = document.body() else { return };
    let early_input = early_input::EarlyInput::watch(document);
    leptos::task::spawn_local(async move {
        if !app::before_hydration().await {
            return;
        }
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // After the effects hydration queued (pages fill their forms from the address in
        // effects, which would undo the restore): a timer runs once those tasks have.
        leptos::prelude::set_timeout(
            move || {
                early_input.restore();
                // Lets tests (and curious people) see that event handlers are attached.
                let _ = body.set_attribute("data-hydrated", "true");
            },
            std::time::Duration::ZERO,
        );
    });
}
