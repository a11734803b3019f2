#![recursion_limit = "512"]
//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Pages other than the generator are wasm chunks of their own (lazy routes): hydration
    // waits for the page's chunk, so it finishes asynchronously.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else {
        return;
    };
    leptos::task::spawn_local(async move {
        leptos::mount::hydrate_from_async(body.clone(), app::App).await.forget();
        // Lets tests (and curious people) see that event handlers are attached.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
