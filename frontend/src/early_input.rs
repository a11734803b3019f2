//! What a person types or picks before the page's code has taken over. Hydration sets each
//! field to the value its signal starts with (`prop:value`), which would wipe it — and keys
//! pressed between that and any later restore would land in the emptied field. So a field the
//! person has touched is guarded while the page hydrates (the page's writes to its value are
//! ignored), and afterwards the guard goes and the page is told the field's value with the
//! events its own handlers listen to, so its signals learn it.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsCast;
use web_sys::{
    Document, Element, Event, EventInit, HtmlInputElement, HtmlOptionElement, HtmlSelectElement,
    HtmlTextAreaElement,
};

// An own accessor on the element shadows its prototype's `value`/`checked`: reads pass
// through, writes (hydration's) are dropped until the accessor is deleted again.
#[wasm_bindgen(inline_js = r#"
function descriptor(el, name) {
  for (let proto = Object.getPrototypeOf(el); proto; proto = Object.getPrototypeOf(proto)) {
    const found = Object.getOwnPropertyDescriptor(proto, name);
    if (found) return found;
  }
  return null;
}
export function guard(el, name) {
  const inherited = descriptor(el, name);
  if (!inherited || Object.prototype.hasOwnProperty.call(el, name)) return;
  Object.defineProperty(el, name, {
    configurable: true,
    get() { return inherited.get.call(this); },
    set(_ignored) {},
  });
}
export function unguard(el, name) { delete el[name]; }
"#)]
extern "C" {
    fn guard(field: &Element, property: &str);
    fn unguard(field: &Element, property: &str);
}

/// The events fields report a person's changes with.
const EVENTS: [&str; 2] = ["input", "change"];

/// A field's state as the person left it.
enum Entry {
    Text(String),
    Checked(bool),
    Choice(String),
}

impl Entry {
    /// The element property that holds it.
    fn property(&self) -> &'static str {
        match self {
            Entry::Checked(_) => "checked",
            Entry::Text(_) | Entry::Choice(_) => "value",
        }
    }
}

pub struct EarlyInput {
    document: Document,
    noted: Rc<RefCell<Vec<(Element, Entry)>>>,
    listener: Closure<dyn FnMut(Event)>,
}

impl EarlyInput {
    /// Notes the fields changed so far and starts noting changes (in the capture phase, before
    /// any handler of the page's own).
    pub fn watch(document: Document) -> Self {
        let noted: Rc<RefCell<Vec<(Element, Entry)>>> = Rc::new(RefCell::new(changed_fields(&document)));
        for (field, entry) in noted.borrow().iter() {
            guard(field, entry.property());
        }
        let listener = {
            let noted = Rc::clone(&noted);
            Closure::<dyn FnMut(Event)>::new(move |event: Event| {
                let Some(field) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
                let Some(entry) = read(&field) else { return };
                let mut noted = noted.borrow_mut();
                match noted.iter_mut().find(|(known, _)| known.is_same_node(Some(&field))) {
                    Some((_, known)) => *known = entry,
                    None => {
                        guard(&field, entry.property());
                        noted.push((field, entry));
                    }
                }
            })
        };
        for name in EVENTS {
            let _ = document.add_event_listener_with_callback_and_bool(
                name,
                listener.as_ref().unchecked_ref(),
                true,
            );
        }
        Self { document, noted, listener }
    }

    /// Stops noting, lifts the guards, and tells the page every field the person touched.
    pub fn restore(self) {
        for name in EVENTS {
            let _ = self.document.remove_event_listener_with_callback_and_bool(
                name,
                self.listener.as_ref().unchecked_ref(),
                true,
            );
        }
        for (field, entry) in self.noted.take() {
            unguard(&field, entry.property());
            // Always written: the field kept the person's value, the page's signal did not.
            write(&field, &entry);
        }
    }
}

/// The fields whose state differs from the page as served.
fn changed_fields(document: &Document) -> Vec<(Element, Entry)> {
    let Ok(fields) = document.query_selector_all("input, textarea, select") else { return Vec::new() };
    (0..fields.length())
        .filter_map(|i| fields.item(i)?.dyn_into::<Element>().ok())
        .filter(is_changed)
        .filter_map(|field| read(&field).map(|entry| (field, entry)))
        .collect()
}

fn is_changed(field: &Element) -> bool {
    if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
        return match input.type_().as_str() {
            "checkbox" | "radio" => input.checked() != input.default_checked(),
            // Served without a value, these hold one anyway (a slider's middle, black, as the
            // apps page's colour is): only a change seen while the page hydrates counts for them.
            "range" | "color" => false,
            _ => input.value() != input.default_value(),
        };
    }
    if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
        return area.default_value().is_ok_and(|served| served != area.value());
    }
    let Some(select) = field.dyn_ref::<HtmlSelectElement>() else { return false };
    let options = select.options();
    let served = (0..options.length())
        .filter_map(|i| options.item(i)?.dyn_into::<HtmlOptionElement>().ok())
        .find(HtmlOptionElement::default_selected)
        .or_else(|| options.item(0)?.dyn_into::<HtmlOptionElement>().ok());
    served.is_some_and(|option| option.value() != select.value())
}

fn read(field: &Element) -> Option<Entry> {
    if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
        return match input.type_().as_str() {
            "checkbox" | "radio" => Some(Entry::Checked(input.checked())),
            // A script cannot set a file field; the others have nothing typed.
            "file" | "hidden" | "submit" | "button" | "reset" | "image" => None,
            _ => Some(Entry::Text(input.value())),
        };
    }
    if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
        return Some(Entry::Text(area.value()));
    }
    field.dyn_ref::<HtmlSelectElement>().map(|select| Entry::Choice(select.value()))
}

/// Sets the field back and tells the page as the browser would have.
fn write(field: &Element, entry: &Entry) {
    let event = match entry {
        Entry::Text(text) => {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.set_value(text);
            } else if let Some(area) = field.dyn_ref::<HtmlTextAreaElement>() {
                area.set_value(text);
            }
            "input"
        }
        Entry::Checked(checked) => {
            if let Some(input) = field.dyn_ref::<HtmlInputElement>() {
                input.set_checked(*checked);
            }
            "change"
        }
        Entry::Choice(value) => {
            if let Some(select) = field.dyn_ref::<HtmlSelectElement>() {
                select.set_value(value);
            }
            "change"
        }
    };
    let init = EventInit::new();
    init.set_bubbles(true);
    if let Ok(event) = Event::new_with_event_init_dict(event, &init) {
        let _ = field.dispatch_event(&event);
    }
}
