//! The scene as `key=value` rows, and what the mini program receives of it: parts of the
//! generator that load on demand (their section and place: the scene helper).

use leptos::prelude::*;
use wxacode::scene_pairs::{as_received, scene_from_parts, scene_pairs, scene_parts, ScenePart};

use crate::browser::{focus_element, focus_element_when_drawn};
use crate::i18n::{tr, use_lang};

#[derive(Clone, Debug, PartialEq)]
struct PairRow {
    id: u32,
    key: String,
    value: String,
    /// Read from a part with `=` (`id=` in `id=&x=1`): written with it even while its value is empty.
    equals: bool,
    /// Added with "+ Add a row": left out of the scene while it is blank.
    added: bool,
}

impl PairRow {
    fn read(id: u32, part: ScenePart) -> Self {
        let equals = part.value.is_some();
        PairRow { id, key: part.key, value: part.value.unwrap_or_default(), equals, added: false }
    }

    fn added(id: u32) -> Self {
        PairRow { id, key: String::new(), value: String::new(), equals: false, added: true }
    }

    /// What the row writes into the scene: exactly what it was read from until it is edited.
    fn part(&self) -> Option<ScenePart> {
        if self.added && self.key.is_empty() && self.value.is_empty() {
            return None;
        }
        let value = (self.equals || !self.value.is_empty()).then(|| self.value.clone());
        Some(ScenePart { key: self.key.clone(), value })
    }
}

/// The id of a row's key field, to move the focus there (a row added, or one removed before it).
fn key_field_id(row: u32) -> String {
    format!("scene-pair-key-{row}")
}

/// The scene as `key=value` rows, kept in step with the scene field both ways.
#[component]
pub(super) fn SceneBuilder(scene: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let rows = RwSignal::new(Vec::<PairRow>::new());
    let next_id = StoredValue::new(0u32);
    let next = move || {
        let id = next_id.get_value();
        next_id.set_value(id + 1);
        id
    };
    let written =
        move |rows: &[PairRow]| scene_from_parts(&rows.iter().filter_map(PairRow::part).collect::<Vec<_>>());
    // The scene field and the rows are one truth: whatever is typed in the field (or
    // loaded from a link) becomes the rows. Rows keep their ids by position, so the
    // row being typed in keeps its focus.
    Effect::new(move |_| {
        let current = scene.get();
        if rows.with_untracked(|rows| !rows.is_empty() && written(rows) == current) {
            return;
        }
        let parts = scene_parts(&current);
        rows.update(|rows| {
            rows.truncate(parts.len().max(1));
            if parts.is_empty() {
                // An empty scene: one blank row to start from.
                match rows.first_mut() {
                    Some(row) => *row = PairRow::added(row.id),
                    None => rows.push(PairRow::added(next())),
                }
            }
            for (index, part) in parts.into_iter().enumerate() {
                match rows.get_mut(index) {
                    Some(row) => *row = PairRow::read(row.id, part),
                    None => rows.push(PairRow::read(next(), part)),
                }
            }
        });
    });
    let edit = move |id: u32, change: fn(&mut PairRow, String), text: String| {
        rows.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|r| r.id == id) {
                change(row, text);
            }
        });
        scene.set(rows.with_untracked(|rows| written(rows)));
    };
    let remove = move |id: u32| {
        let place = rows.with_untracked(|rows| rows.iter().position(|r| r.id == id)).unwrap_or(0);
        rows.update(|rows| rows.retain(|r| r.id != id));
        scene.set(rows.with_untracked(|rows| written(rows)));
        // The focus goes to the row now in its place (or the last one), not the page's top.
        request_animation_frame(move || {
            let target = rows.with_untracked(|rows| rows.get(place).or(rows.last()).map(|r| r.id));
            if let Some(row) = target {
                focus_element(&key_field_id(row));
            }
        });
    };
    let field = move |id: u32, read: fn(&PairRow) -> &str| {
        move || {
            rows.with(|rows| rows.iter().find(|r| r.id == id).map(|r| read(r).to_owned()).unwrap_or_default())
        }
    };
    // Only a row added to fill in shows an example: in a row read from the scene an empty key or
    // value is part of it, and greyed-out text there would read as data.
    let example = move |id: u32, text: &'static str| {
        rows.with(|rows| rows.iter().any(|r| r.id == id && r.added)).then_some(text)
    };
    // The separators cannot be part of a key or value: the mini program would read other pairs.
    let breaks_pairs =
        move || rows.with(|rows| rows.iter().any(|r| r.key.contains(['&', '=']) || r.value.contains('&')));

    view! {
        <div class="pair-rows">
            <For each=move || rows.with(|rows| rows.iter().map(|r| r.id).collect::<Vec<_>>()) key=|id| *id let:id>
                <div class="pair-row">
                    <input
                        type="text"
                        class="text"
                        id=key_field_id(id)
                        aria-label=move || tr(lang.get(), "键", "Key")
                        placeholder=move || example(id, "id")
                        value=untrack(field(id, |r| &r.key))
                        prop:value=field(id, |r| &r.key)
                        on:input=move |ev| edit(id, |r, t| r.key = t, event_target_value(&ev))
                    />
                    <span aria-hidden="true">"="</span>
                    <input
                        type="text"
                        class="text"
                        aria-label=move || tr(lang.get(), "值", "Value")
                        placeholder=move || example(id, "123")
                        value=untrack(field(id, |r| &r.value))
                        prop:value=field(id, |r| &r.value)
                        on:input=move |ev| edit(id, |r, t| r.value = t, event_target_value(&ev))
                    />
                    <button
                        type="button"
                        class="button small"
                        aria-label=move || tr(lang.get(), "删除这一行", "Remove this row")
                        on:click=move |_| remove(id)
                    >"×"</button>
                </div>
            </For>
        </div>
        <Show when=breaks_pairs>
            <p class="warn" role="status">{move || tr(
                lang.get(),
                "键不能含 & 或 =，值不能含 &：小程序会把它们拆成另外的键值对，请换用其他字符。",
                "Keys cannot hold & or =, values cannot hold &: the mini program would split them into other pairs. Use another character.",
            )}</p>
        </Show>
        <button
            type="button"
            class="button small"
            on:click=move |_| {
                let row = PairRow::added(next());
                let field = key_field_id(row.id);
                rows.update(|rows| rows.push(row));
                // The next thing typed is its key.
                focus_element_when_drawn(field);
            }
        >
            {move || tr(lang.get(), "+ 添加一行", "+ Add a row")}
        </button>
    }
}

/// The class of the decoding's outermost element: a page served with it needs the part's code
/// before it hydrates (`load_if_sent` in the slot module).
pub(super) const RECEIVED_CLASS: &str = "scene-received";

/// What the mini program receives in `options.scene`, before and after decoding.
#[component]
pub(super) fn SceneReceived(scene: RwSignal<String>) -> impl IntoView {
    let lang = use_lang();
    let received = Memo::new(move |_| scene.with(|s| as_received(s)));
    let pairs = Memo::new(move |_| scene.with(|s| scene_pairs(s)));
    view! {
        <div class=RECEIVED_CLASS>
            <p>
                {move || tr(lang.get(), "小程序 onLoad 收到 options.scene = ", "The mini program's onLoad receives options.scene = ")}
                <code>{move || format!("\"{}\"", received.get())}</code>
            </p>
            <p>
                {move || tr(lang.get(), "decodeURIComponent 之后：", "After decodeURIComponent: ")}
                <code>{move || format!("\"{}\"", scene.get())}</code>
            </p>
            <Show when=move || pairs.with(|pairs| !pairs.is_empty())>
                <p class="muted">{move || tr(lang.get(), "按 & 和 = 拆开：", "Split at & and =:")}</p>
                <dl class="scene-decoded">
                    {move || pairs.get().into_iter().map(|(key, value)| view! {
                        <dt><code>{key}</code></dt>
                        <dd><code>{value}</code></dd>
                    }).collect_view()}
                </dl>
            </Show>
        </div>
    }
}
