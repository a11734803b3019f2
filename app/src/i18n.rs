//! The UI language: Simplified Chinese by default, English on request,
//! remembered in a cookie so the server renders the chosen one too.

use leptos::prelude::*;
pub use wxacode::message::count_en;
pub use wxacode::Lang;

const COOKIE: &str = "wxacode_lang";

/// The language a `Cookie` header asks for (Chinese unless it says English).
pub fn from_cookie_header(header: &str) -> Lang {
    crate::browser::cookie_value(header, COOKIE).and_then(Lang::from_code).unwrap_or_default()
}

/// The app's name, the end of every tab title.
pub fn app_title(lang: Lang) -> &'static str {
    tr(lang, "小程序码生成器", "Mini Program Code Generator")
}

/// The language the page is rendered in: the cookie's, else Chinese.
pub fn request_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        let header = use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.headers.get(axum::http::header::COOKIE).cloned())
            .and_then(|value| value.to_str().ok().map(str::to_owned))
            .unwrap_or_default();
        from_cookie_header(&header)
    }
    #[cfg(not(feature = "ssr"))]
    {
        from_cookie_header(&crate::browser::cookies())
    }
}

/// Makes the language available to all components below the caller.
pub fn provide_lang() -> RwSignal<Lang> {
    let lang = RwSignal::new(request_lang());
    provide_context(lang);
    lang
}

pub fn use_lang() -> RwSignal<Lang> {
    use_context::<RwSignal<Lang>>().unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// Switches the language and remembers it for a year.
pub fn switch_lang(lang: RwSignal<Lang>, to: Lang) {
    lang.set(to);
    crate::browser::set_cookie(&format!("{COOKIE}={}; path=/; max-age=31536000; SameSite=Lax", to.code()));
}

/// Picks the text for the language.
pub fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_selects_the_language() {
        assert_eq!(from_cookie_header(""), Lang::Zh);
        assert_eq!(from_cookie_header("a=1; wxacode_lang=en"), Lang::En);
        assert_eq!(from_cookie_header("wxacode_lang=zh"), Lang::Zh);
        assert_eq!(from_cookie_header("wxacode_lang=fr"), Lang::Zh);
    }
}
