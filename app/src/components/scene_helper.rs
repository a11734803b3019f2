//! Builds a scene from `key=value` rows and shows what the mini program will
//! receive in `options.scene`, before and after decoding.

use leptos::prelude::*;
use wxacode::scene_pairs::{as_received, scene_from_pairs, scene_pairs};

use crate::i18n::{tr, use_lang};

#[derive(Clone, Debug, PartialEq)]
struct PairRow {
    id: u32,
    key: String,
    value: String,
}

#[component]
pub fn SceneHelper(scene: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let rows = RwSignal::new(Vec::<PairRow>::new());
    let next_id = StoredValue::new(0u32);
    let new_row = move |key: String, value: String| {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        PairRow { id, key, value }
    };
    // Opening the helper starts from what the scene field holds now.
    let load = move |_| {
        let mut loaded: Vec<PairRow> =
            scene_pairs(&scene.get_untracked()).into_iter().map(|(k, v)| new_row(k, v)).collect();
        if loaded.is_empty() {
            loaded.push(new_row(String::new(), String::new()));
        }
        rows.set(loaded);
    };
    let write_scene = move || {
        let pairs: Vec<(String, String)> =
            rows.with_untracked(|rows| rows.iter().map(|r| (r.key.clone(), r.value.clone())).collect());
        scene.set(scene_from_pairs(&pairs));
    };
    let edit = move |id: u32, change: fn(&mut PairRow, String), text: String| {
        rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|r| r.id == id) {
                change(row, text);
            }
        });
        write_scene();
    };
    let remove = move |id: u32| {
        rows.update(|rows| rows.retain(|r| r.id != id));
        write_scene();
    };
    let received = Memo::new(move |_| scene.with(|s| (as_received(s), scene_pairs(s))));

    view! {
        <details class="scene-helper" on:toggle=load>
            <summary>{move || tr(lang.get(), "用键值对组成场景值", "Build the scene from key=value pairs")}</summary>
            <div class="pair-rows">
                <For each=move || rows.get() key=|row| row.id let:row>
                    <div class="pair-row">
                        <input
                            type="text"
                            class="text"
                            aria-label=move || tr(lang.get(), "键", "Key")
                            placeholder="id"
                            prop:value=row.key.clone()
                            on:input=move |ev| edit(row.id, |r, t| r.key = t, event_target_value(&ev))
                        />
                        <span aria-hidden="true">"="</span>
                        <input
                            type="text"
                            class="text"
                            aria-label=move || tr(lang.get(), "值", "Value")
                            placeholder="123"
                            prop:value=row.value.clone()
                            on:input=move |ev| edit(row.id, |r, t| r.value = t, event_target_value(&ev))
                        />
                        <button
                            type="button"
                            class="button small"
                            aria-label=move || tr(lang.get(), "删除这一行", "Remove this row")
                            on:click=move |_| remove(row.id)
                        >"×"</button>
                    </div>
                </For>
            </div>
            <button
                type="button"
                class="button small"
                on:click=move |_| rows.update(|rows| rows.push(new_row(String::new(), String::new())))
            >
                {move || tr(lang.get(), "+ 添加一行", "+ Add a row")}
            </button>
        </details>
        <Show when=move || !scene.with(String::is_empty)>
            <div class="scene-received">
                <p>
                    {move || tr(lang.get(), "小程序 onLoad 收到 options.scene = ", "The mini program's onLoad receives options.scene = ")}
                    <code>{move || format!("\"{}\"", received.get().0)}</code>
                </p>
                <p class="muted">
                    {move || tr(lang.get(), "decodeURIComponent 之后：", "After decodeURIComponent:")}
                </p>
                <dl class="scene-decoded">
                    {move || received.get().1.into_iter().map(|(key, value)| view! {
                        <dt><code>{key}</code></dt>
                        <dd><code>{value}</code></dd>
                    }).collect_view()}
                </dl>
            </div>
        </Show>
    }
}
