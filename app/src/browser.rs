//! The few browser APIs the app uses, with server-side stand-ins so components
//! can call them unconditionally.

#[cfg(feature = "hydrate")]
mod imp {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(
        inline_js = "export function copy_text(text) { return navigator.clipboard.writeText(text); }"
    )]
    extern "C" {
        #[wasm_bindgen(catch)]
        fn copy_text(text: &str) -> Result<js_sys::Promise, JsValue>;
    }

    /// Copies text to the clipboard; false when the browser refused.
    pub async fn copy_to_clipboard(text: &str) -> bool {
        match copy_text(text) {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        }
    }

    /// Replaces the address bar's query without a navigation, so a reload keeps the form.
    pub fn replace_query(query: &str) {
        if let Some(window) = web_sys::window() {
            let path = window.location().pathname().unwrap_or_else(|_| "/".into());
            let url = if query.is_empty() { path } else { format!("{path}?{query}") };
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        }
    }

    pub fn origin() -> String {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    }

    pub fn set_cookie(cookie: &str) {
        use wasm_bindgen::JsCast;
        if let Some(document) = web_sys::window().and_then(|w| w.document()) {
            if let Ok(html) = document.dyn_into::<web_sys::HtmlDocument>() {
                let _ = html.set_cookie(cookie);
            }
        }
    }

    pub fn cookies() -> String {
        use wasm_bindgen::JsCast;
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.dyn_into::<web_sys::HtmlDocument>().ok())
            .and_then(|d| d.cookie().ok())
            .unwrap_or_default()
    }

    /// Local date and time of an RFC 3339 instant, in the browser's time zone.
    pub fn local_time(rfc3339: &str, lang: wxacode::Lang) -> String {
        let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
        let locale = match lang {
            wxacode::Lang::Zh => "zh-CN",
            wxacode::Lang::En => "en-GB",
        };
        date.to_locale_string(locale, &JsValue::UNDEFINED).into()
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    pub async fn copy_to_clipboard(_text: &str) -> bool {
        false
    }
    pub fn replace_query(_query: &str) {}
    pub fn origin() -> String {
        String::new()
    }
    pub fn set_cookie(_cookie: &str) {}
    #[cfg(not(feature = "ssr"))]
    pub fn cookies() -> String {
        String::new()
    }
    pub fn local_time(rfc3339: &str, _lang: wxacode::Lang) -> String {
        // The server does not know the reader's time zone: show UTC until hydrated.
        rfc3339.get(..16).map(|t| format!("{} UTC", t.replace('T', " "))).unwrap_or_default()
    }
}

pub use imp::*;
