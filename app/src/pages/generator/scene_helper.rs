//! Builds a scene from `key=value` rows and shows what the mini program will
//! receive in `options.scene`, before and after decoding. Both load on demand
//! (`super::scene_builder`): the rows the first time their section opens, the decoding once
//! there is a valid scene.

use leptos::prelude::*;
use wxacode::request::Scene;

use super::parts::GeneratorPart;
use super::slot::Part;
use crate::i18n::{tr, use_lang};

/// The builder's section and, once there is a scene, what the mini program receives.
#[component]
pub(super) fn SceneHelper(scene: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    // Opened once, the rows stay: closing and opening again keeps them.
    let opened = RwSignal::new(false);
    let section = NodeRef::<leptos::html::Details>::new();
    // Opened before the page's code arrived, the toggle went unheard: the rows are wanted still.
    Effect::new(move |_| {
        if section.get().is_some_and(|details| details.open()) {
            opened.set(true);
        }
    });
    view! {
        <details
            class="scene-helper"
            node_ref=section
            on:toggle=move |_| {
                if section.get_untracked().is_some_and(|details| details.open()) {
                    opened.set(true);
                }
            }
        >
            <summary>{move || tr(lang.get(), "用键值对组成场景值", "Build the scene from key=value pairs")}</summary>
            <Show when=move || opened.get()>
                <Part part=GeneratorPart::SceneBuilder />
            </Show>
        </details>
        // In the page as served when it has a scene (a link, a reload): the page then fetches the
        // parts before it hydrates, rather than push the form down once they arrive. Only for a
        // scene a code can carry: of any other, the field says what is wrong.
        <Show when=move || scene.with(|scene| !scene.is_empty() && Scene::parse(scene).is_ok())>
            <Part part=GeneratorPart::SceneReceived />
        </Show>
    }
}
