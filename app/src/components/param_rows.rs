//! A living code's parameters as key/value rows: add, edit, remove.

use leptos::prelude::*;
use wxacode::Param;

use crate::browser::focus_element_when_drawn;
use crate::i18n::{tr, use_lang};

/// Edits `params` in place. Rows keep their ids, so the row being typed in keeps its focus.
#[component]
pub fn ParamRows(params: RwSignal<Vec<Param>>, #[prop(into)] id_prefix: String) -> impl IntoView {
    let lang = use_lang();
    // Row ids, parallel to `params`.
    let ids = RwSignal::new((0..params.with_untracked(Vec::len) as u32).collect::<Vec<u32>>());
    let next_id = StoredValue::new(params.with_untracked(Vec::len) as u32);
    let index_of = move |id: u32| ids.with_untracked(|ids| ids.iter().position(|i| *i == id));
    let edit = move |id: u32, change: fn(&mut Param, String), text: String| {
        if let Some(index) = index_of(id) {
            params.update(|params| {
                if let Some(param) = params.get_mut(index) {
                    change(param, text);
                }
            });
        }
    };
    let remove_row = move |id: u32| {
        if let Some(index) = index_of(id) {
            ids.update(|ids| {
                ids.remove(index);
            });
            params.update(|params| {
                params.remove(index);
            });
        }
    };
    let add_id = StoredValue::new(format!("{id_prefix}-add"));
    let remove = move |id: u32| {
        remove_row(id);
        // The row and its button are gone: the keyboard goes on from "add".
        focus_element_when_drawn(add_id.get_value());
    };
    let add = {
        let id_prefix = id_prefix.clone();
        move |_| {
            let id = next_id.get_value();
            next_id.set_value(id + 1);
            ids.update(|ids| ids.push(id));
            params.update(|params| params.push(Param::default()));
            // Straight into the new row's name.
            focus_element_when_drawn(format!("{id_prefix}-key-{}", ids.with_untracked(Vec::len) - 1));
        }
    };
    // A name that cannot be, or that an earlier row already took: marked on its own row.
    let key_is_bad = move |id: u32| {
        let Some(index) = ids.with(|ids| ids.iter().position(|i| *i == id)) else { return false };
        params.with(|params| {
            let key = params.get(index).map(|p| p.key.trim()).unwrap_or_default();
            !key.is_empty()
                && (!wxacode::living::is_param_key(key)
                    || params[..index].iter().any(|p| p.key.trim() == key))
        })
    };
    let read = move |id: u32, field: fn(&Param) -> &str| {
        move || {
            index_of(id)
                .and_then(|i| params.with(|p| p.get(i).map(|p| field(p).to_owned())))
                .unwrap_or_default()
        }
    };
    view! {
        <div class="pair-rows">
            <For each=move || ids.get() key=|id| *id let:id>
                {
                    // Tracked: removing a row above renumbers this one.
                    let position = move || ids.with(|ids| ids.iter().position(|i| *i == id)).unwrap_or(0);
                    let prefix = id_prefix.clone();
                    view! {
                        <div class="pair-row">
                            <input
                                type="text"
                                class="text"
                                id=move || format!("{prefix}-key-{}", position())
                                aria-invalid=move || key_is_bad(id).to_string()
                                aria-label=move || format!("{} {}", tr(lang.get(), "参数名", "Parameter name"), position() + 1)
                                placeholder="campaign"
                                autocomplete="off"
                                spellcheck="false"
                                value=untrack(read(id, |p| &p.key))
                                prop:value=read(id, |p| &p.key)
                                on:input=move |ev| edit(id, |p, t| p.key = t, event_target_value(&ev))
                            />
                            <span aria-hidden="true">"="</span>
                            <input
                                type="text"
                                class="text"
                                aria-label=move || format!("{} {}", tr(lang.get(), "参数值", "Parameter value"), position() + 1)
                                placeholder=move || tr(lang.get(), "双十一", "spring-sale")
                                autocomplete="off"
                                value=untrack(read(id, |p| &p.value))
                                prop:value=read(id, |p| &p.value)
                                on:input=move |ev| edit(id, |p, t| p.value = t, event_target_value(&ev))
                            />
                            <button
                                type="button"
                                class="button small"
                                aria-label=move || tr(lang.get(), "删除这一行", "Remove this row")
                                on:click=move |_| remove(id)
                            >"×"</button>
                        </div>
                    }
                }
            </For>
        </div>
        <button type="button" class="button small" id=add_id.get_value() on:click=add>{move || tr(lang.get(), "+ 添加参数", "+ Add a parameter")}</button>
    }
}
