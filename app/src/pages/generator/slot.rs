//! The generator's parts that its first view does not show, loaded on demand so the first page
//! needs only the main bundle: the living code's fields (once the 活码 switch is on), the code
//! just made (once there is one), the scene's pair builder (once its section opens), what the
//! mini program receives of the scene (once there is one), and the requests that make a code
//! (their answers' decoders). The parts are one wasm chunk (`generator_parts`, split here; what
//! it holds is `super::parts`), fetched as soon as someone starts on the form, so it is usually
//! there before a part is wanted. (The advanced options stay in the main bundle: the page as
//! served shows them, and they work before its code arrives.)
//!
//! On the server a part renders at once. A page the server sends with a part in it (a link with
//! the switch on, or with a scene) loads the chunk before it hydrates (`load_if_sent`).

use leptos::prelude::*;

use super::parts::{part_view, GeneratorPart, Request};
use crate::error::AppError;
use crate::models::codes::GeneratedCode;
#[cfg(feature = "hydrate")]
use crate::routes::ChunkMissing;

#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(
    generator_parts,
    wasm_split_path = ::leptos::wasm_split,
    fallible,
    preload(preload_generator_parts)
)]
fn generator_parts(part: GeneratorPart) -> Result<AnyView, ChunkMissing> {
    Ok(part_view(part))
}

/// On the server: a plain call that notes the chunk for the page to name.
#[cfg(not(feature = "hydrate"))]
fn generator_parts(part: GeneratorPart) -> AnyView {
    leptos::prefetch_lazy_fn_on_server("generator_parts");
    part_view(part)
}

/// On the server: names the parts' chunk in the page for a part it will show once the page's
/// code runs (the code just made, fetched again after a reload). In the browser, nothing.
pub(super) fn preload_on_server() {
    #[cfg(not(feature = "hydrate"))]
    leptos::prefetch_lazy_fn_on_server("generator_parts");
}

/// A request's answer, on its way.
#[cfg(feature = "hydrate")]
type Answer = std::pin::Pin<Box<dyn std::future::Future<Output = Result<GeneratedCode, AppError>>>>;

#[cfg(feature = "hydrate")]
#[leptos::wasm_split::wasm_split(generator_parts, wasm_split_path = ::leptos::wasm_split, fallible)]
fn generator_request(request: Request) -> Result<Answer, ChunkMissing> {
    Ok(Box::pin(super::parts::send(request)))
}

/// A part, when the chunk is here (on the server, always). Once fetched the chunk answers at
/// once, so the part renders in the same pass (hydration needs that).
fn part_now(part: GeneratorPart) -> Option<AnyView> {
    #[cfg(feature = "hydrate")]
    {
        use std::future::Future;
        use std::task::{Context, Poll, Waker};
        let mut call = std::pin::pin!(generator_parts(part));
        match call.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(view)) => Some(view),
            Poll::Ready(Err(ChunkMissing)) | Poll::Pending => None,
        }
    }
    #[cfg(not(feature = "hydrate"))]
    Some(generator_parts(part))
}

/// Sends `request` once the chunk is here.
pub(super) async fn ask(request: Request) -> Result<GeneratedCode, AppError> {
    #[cfg(feature = "hydrate")]
    return match generator_request(request).await {
        Ok(answer) => answer.await,
        Err(ChunkMissing) => Err(AppError::Unavailable { message: missing_chunk() }),
    };
    #[cfg(not(feature = "hydrate"))]
    super::parts::send(request).await
}

/// Shows `part` where it stands: at once when the chunk is here, else once it has arrived (a
/// line says it is coming meanwhile).
#[component]
pub(super) fn Part(part: GeneratorPart) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        // None while the chunk is on its way; Some(false) when it could not be fetched. Not a
        // reload, as a page whose chunk is gone does: a part shown at load (the scene's decoding,
        // for a link with a scene) would reload the page again and again.
        let fetched = RwSignal::new(loaded().then_some(true));
        let lang = crate::i18n::use_lang();
        let missing = move || missing_chunk().get(lang.get()).to_owned();
        let loading = move || crate::i18n::tr(lang.get(), "正在载入…", "Loading…");
        move || match fetched.get() {
            Some(true) => part_now(part),
            Some(false) => Some(view! { <p class="error" role="alert">{missing}</p> }.into_any()),
            None => {
                leptos::task::spawn_local(async move { fetched.set(Some(load().await)) });
                Some(view! { <p class="muted part-loading">{loading}</p> }.into_any())
            }
        }
    }
    #[cfg(not(feature = "hydrate"))]
    {
        part_now(part)
    }
}

/// What a person reads when the chunk could not be fetched.
#[cfg(feature = "hydrate")]
fn missing_chunk() -> wxacode::Message {
    wxacode::Message::new(
        "这部分页面未能载入，请刷新重试。",
        "This part of the page did not load: reload to try again.",
    )
}

#[cfg(feature = "hydrate")]
thread_local! {
    static LOADED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(feature = "hydrate")]
fn loaded() -> bool {
    LOADED.get()
}

/// Fetches the chunk (once; later calls wait for the same fetch). False when it cannot be
/// fetched (a later call tries again).
#[cfg(feature = "hydrate")]
async fn load() -> bool {
    if loaded() {
        return true;
    }
    let fetched = preload_generator_parts().await.is_ok();
    LOADED.set(fetched);
    fetched
}

/// Before hydration: fetches the chunk when the server sent a part (a link with the 活码 switch
/// on, or with a scene): hydrating it needs the part's code. False when the page holds a part
/// whose code could not be fetched: it cannot hydrate.
#[cfg(feature = "hydrate")]
pub async fn load_if_sent() -> bool {
    let sent = [super::living_fields::ROOT_CLASS, super::scene_builder::RECEIVED_CLASS];
    if sent.iter().any(|class| crate::browser::has_element_of_class(class)) {
        return load().await;
    }
    true
}

/// Starts fetching the chunk, as the person starts on the form.
pub(super) fn prefetch() {
    #[cfg(feature = "hydrate")]
    if !loaded() {
        leptos::task::spawn_local(async {
            load().await;
        });
    }
}
