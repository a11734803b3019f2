//! The few browser APIs the app uses, with server-side stand-ins so components
//! can call them unconditionally. The lowest floor of the app but one: it knows the
//! URL map and nothing else of this crate.

#[cfg(feature = "hydrate")]
mod imp {
    use wasm_bindgen::prelude::*;

    // Clipboards take PNG only, and most codes are JPEG: re-encode through a canvas.
    // The ClipboardItem gets a promise so Safari keeps the click's permission.
    #[wasm_bindgen(inline_js = r#"
export function copy_text(text) { return navigator.clipboard.writeText(text); }
export function copy_image(url) {
  const png = fetch(url)
    .then((r) => { if (!r.ok) throw new Error('HTTP ' + r.status); return r.blob(); })
    .then((blob) => blob.type === 'image/png' ? blob : createImageBitmap(blob).then((bitmap) => new Promise((resolve, reject) => {
      const canvas = document.createElement('canvas');
      canvas.width = bitmap.width;
      canvas.height = bitmap.height;
      canvas.getContext('2d').drawImage(bitmap, 0, 0);
      canvas.toBlob((b) => b ? resolve(b) : reject(new Error('PNG encoding failed')), 'image/png');
    })));
  return navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
}
"#)]
    extern "C" {
        #[wasm_bindgen(catch)]
        fn copy_text(text: &str) -> Result<js_sys::Promise, JsValue>;
        #[wasm_bindgen(catch)]
        fn copy_image(url: &str) -> Result<js_sys::Promise, JsValue>;
    }

    /// Puts the image at `url` on the clipboard as PNG; false when anything refused.
    pub async fn copy_image_to_clipboard(url: &str) -> bool {
        match copy_image(url) {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        }
    }

    /// Copies text to the clipboard; false when the browser refused.
    pub async fn copy_to_clipboard(text: &str) -> bool {
        match copy_text(text) {
            Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
            Err(_) => false,
        }
    }

    /// Replaces the address bar's query without a navigation, so a reload keeps the form; only
    /// while the address is still `page` (an effect may run once more as the person leaves).
    pub fn replace_query(page: &str, query: &str) {
        if let Some(window) = web_sys::window() {
            let path = window.location().pathname().unwrap_or_else(|_| "/".into());
            if path != page {
                return;
            }
            // The fragment stays: it may point at a section of the page (`#links`).
            let hash = window.location().hash().unwrap_or_default();
            let url =
                if query.is_empty() { format!("{path}{hash}") } else { format!("{path}?{query}{hash}") };
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
            }
        }
    }

    pub fn origin() -> String {
        web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default()
    }

    /// For a page that cannot run its code: a line at its top, and its submit buttons disabled
    /// (sent without the page's code, a form may lose what it holds: a living code's fields
    /// have no plain post).
    pub fn stop_page(text: &str) {
        use wasm_bindgen::JsCast;
        let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
        if let Ok(buttons) = document.query_selector_all("button[type=submit]") {
            for index in 0..buttons.length() {
                if let Some(button) =
                    buttons.item(index).and_then(|node| node.dyn_into::<web_sys::Element>().ok())
                {
                    let _ = button.set_attribute("disabled", "");
                }
            }
        }
        let (Some(body), Ok(line)) = (document.body(), document.create_element("p")) else { return };
        line.set_class_name("error page-alert");
        let _ = line.set_attribute("role", "alert");
        line.set_text_content(Some(text));
        let _ = body.prepend_with_node_1(&line);
    }

    /// Whether the page holds an element with this class.
    pub fn has_element_of_class(class: &str) -> bool {
        let found = web_sys::window()
            .and_then(|w| w.document())
            .map(|document| document.get_elements_by_class_name(class).length() > 0);
        found.unwrap_or(false)
    }

    /// A full page load of `path`: after signing in or out every part of the page must change.
    pub fn go_to(path: &str) {
        if let Some(window) = web_sys::window() {
            let _ = window.location().assign(path);
        }
    }

    /// To the sign-in page, which brings the person back to this page afterwards.
    pub fn sign_in_again() {
        let Some(location) = web_sys::window().map(|w| w.location()) else { return };
        let here =
            format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
        let _ = location.assign(&crate::urls::sign_in(&here));
    }

    /// An attribute the server put on `<body>` (outside the hydrated tree).
    pub fn body_attribute(name: &str) -> Option<String> {
        web_sys::window()?.document()?.body()?.get_attribute(name)
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

    /// Year, month, day, hour and minute of an RFC 3339 instant on the browser's clock.
    pub fn clock_fields(rfc3339: &str) -> Option<(i32, u32, u32, u32, u32)> {
        let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
        (!date.get_time().is_nan()).then(|| {
            (
                date.get_full_year() as i32,
                date.get_month() + 1,
                date.get_date(),
                date.get_hours(),
                date.get_minutes(),
            )
        })
    }

    /// Today's date on the reader's clock, `YYYY-MM-DD`.
    pub fn local_today() -> Option<String> {
        Some(day_of(&js_sys::Date::new_0()))
    }

    /// The day an RFC 3339 instant falls on, on the reader's clock, `YYYY-MM-DD`.
    pub fn local_date(rfc3339: &str) -> Option<String> {
        let date = js_sys::Date::new(&JsValue::from_str(rfc3339));
        (!date.get_time().is_nan()).then(|| day_of(&date))
    }

    fn day_of(date: &js_sys::Date) -> String {
        format!("{:04}-{:02}-{:02}", date.get_full_year(), date.get_month() + 1, date.get_date())
    }

    /// Now, as an RFC 3339 UTC instant.
    pub fn now_rfc3339() -> String {
        js_sys::Date::new_0().to_iso_string().into()
    }

    /// The `<details>` an event was listened for on. Read from the event, not a node ref:
    /// the row may be gone (deleted) by the time its focus leaves.
    fn menu_of(ev: &web_sys::Event) -> Option<web_sys::HtmlDetailsElement> {
        ev.current_target().and_then(|t| t.dyn_into::<web_sys::HtmlDetailsElement>().ok())
    }

    /// Closes a `<details>` menu when the focus moves outside it.
    pub fn close_menu_when_focus_leaves(ev: &web_sys::FocusEvent) {
        let Some(menu) = menu_of(ev) else { return };
        let to = ev.related_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if !to.is_some_and(|node| menu.contains(Some(&node))) {
            menu.set_open(false);
        }
    }

    /// Closes a `<details>` menu once one of its buttons is chosen (its summary aside).
    pub fn close_menu_on_choice(ev: &web_sys::MouseEvent) {
        let target = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok());
        if target.and_then(|t| t.closest("button").ok().flatten()).is_some() {
            if let Some(menu) = menu_of(ev) {
                menu.set_open(false);
            }
        }
    }

    /// Closes a `<details>` menu on Escape.
    pub fn close_menu_on_escape(ev: &web_sys::KeyboardEvent) {
        if ev.key() == "Escape" {
            if let Some(menu) = menu_of(ev) {
                menu.set_open(false);
            }
        }
    }

    /// Moves the keyboard focus to the element with this id, if there is one.
    pub fn focus_element(id: &str) {
        let element = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
        if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = element.focus();
        }
    }

    /// Moves the keyboard focus to the element with this id once the page has drawn what was
    /// just added to it (a new row, a section just opened).
    pub fn focus_element_when_drawn(id: String) {
        leptos::prelude::request_animation_frame(move || focus_element(&id));
    }

    /// Scrolls to the element with this id when the address names it (`#id`): a browser does
    /// so for what a page holds when it arrives, not for what a visit within the app renders
    /// once its data is in.
    pub fn reveal_if_addressed(id: &str) {
        let Some(window) = web_sys::window() else { return };
        if window.location().hash().ok().and_then(|hash| hash.strip_prefix('#').map(str::to_owned)).as_deref()
            != Some(id)
        {
            return;
        }
        if let Some(element) = window.document().and_then(|d| d.get_element_by_id(id)) {
            element.scroll_into_view();
        }
    }

    /// Slides a sideways-scrolling navigation (a phone's) so its current page's link shows.
    pub fn reveal_current_link(nav_selector: &str) {
        let document = web_sys::window().and_then(|w| w.document());
        let Some(nav) = document.and_then(|d| d.query_selector(nav_selector).ok().flatten()) else { return };
        let Ok(Some(current)) = nav.query_selector("a[aria-current=\"page\"]") else { return };
        let (link, bar) = (current.get_bounding_client_rect(), nav.get_bounding_client_rect());
        if link.left() < bar.left() || link.right() > bar.right() {
            let start = link.left() - bar.left() + f64::from(nav.scroll_left());
            nav.set_scroll_left(start as i32 - 12);
        }
    }

    /// The browser's IANA time zone, e.g. "Asia/Shanghai".
    pub fn time_zone() -> Option<String> {
        let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
        js_sys::Reflect::get(&format.resolved_options(), &JsValue::from_str("timeZone"))
            .ok()
            .and_then(|zone| zone.as_string())
    }

    /// The last second of `YYYY-MM-DD` in the browser's time zone, as RFC 3339 UTC.
    pub fn end_of_local_day(date: &str) -> Option<String> {
        let mut parts = date.split('-').map(|p| p.parse::<i32>().ok());
        let (Some(Some(y)), Some(Some(m)), Some(Some(d))) = (parts.next(), parts.next(), parts.next()) else {
            return None;
        };
        let end = js_sys::Date::new_with_year_month_day_hr_min_sec(y as u32, m - 1, d, 23, 59, 59);
        (!end.get_time().is_nan()).then(|| end.to_iso_string().into())
    }

    /// "3 分钟前" / "3 minutes ago", from the browser's clock.
    pub fn relative_time(rfc3339: &str, lang: wxacode::Lang) -> String {
        let then = js_sys::Date::new(&JsValue::from_str(rfc3339)).get_time();
        if then.is_nan() {
            return String::new();
        }
        let seconds_ago = (js_sys::Date::now() - then) / 1000.0;
        let (value, unit) = super::relative_unit(seconds_ago);
        let locales = js_sys::Array::of1(&JsValue::from_str(lang.locale()));
        let options = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&options, &"numeric".into(), &"auto".into());
        // Chinese reads "36秒前"; the long style's "36秒钟前" is stilted. English stays long
        // ("36 seconds ago", not "36 sec. ago").
        if lang == wxacode::Lang::Zh {
            let _ = js_sys::Reflect::set(&options, &"style".into(), &"short".into());
        }
        js_sys::Intl::RelativeTimeFormat::new(&locales, &options).format(-value, unit).into()
    }

    // Uploads (batch sheets, logos) and live progress.
    #[wasm_bindgen(inline_js = r#"
export async function send_body(method, url, body, lang) {
  const response = await fetch(url, { method, body, headers: { 'accept-language': lang } });
  return [response.status, await response.text()];
}
export function watch_events(url, on_data) {
  const source = new EventSource(url);
  source.addEventListener('progress', (event) => { if (on_data(event.data)) source.close(); });
}
"#)]
    extern "C" {
        #[wasm_bindgen(catch)]
        fn send_body(method: &str, url: &str, body: &JsValue, lang: &str)
            -> Result<js_sys::Promise, JsValue>;
        fn watch_events(url: &str, on_data: &Closure<dyn FnMut(String) -> bool>);
    }

    /// A file chosen in a file input, or pasted text, as a request body.
    pub struct UploadBody(JsValue);

    impl UploadBody {
        pub fn text(text: &str) -> Self {
            Self(JsValue::from_str(text))
        }
    }

    pub fn chosen_file(input: &web_sys::HtmlInputElement) -> Option<UploadBody> {
        input.files().and_then(|files| files.get(0)).map(|file| UploadBody(file.into()))
    }

    pub fn chosen_file_name(ev: &leptos::ev::Event) -> Option<String> {
        use wasm_bindgen::JsCast;
        let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        let file = input.files()?.get(0)?;
        let name = file.name();
        Some(name.rsplit_once('.').map_or(name.clone(), |(stem, _)| stem.to_owned()))
    }

    /// POSTs the body; the answer's status and text, or Err when the network failed.
    pub async fn post_body(url: &str, body: &UploadBody, lang: wxacode::Lang) -> Result<(u16, String), ()> {
        send("POST", url, body, lang).await
    }

    /// PUTs the body (a logo), like [`post_body`].
    pub async fn put_body(url: &str, body: &UploadBody, lang: wxacode::Lang) -> Result<(u16, String), ()> {
        send("PUT", url, body, lang).await
    }

    async fn send(
        method: &str,
        url: &str,
        body: &UploadBody,
        lang: wxacode::Lang,
    ) -> Result<(u16, String), ()> {
        let promise = send_body(method, url, &body.0, lang.locale()).map_err(|_| ())?;
        let answer = wasm_bindgen_futures::JsFuture::from(promise).await.map_err(|_| ())?;
        let answer = js_sys::Array::from(&answer);
        let status = answer.get(0).as_f64().unwrap_or(0.0) as u16;
        Ok((status, answer.get(1).as_string().unwrap_or_default()))
    }

    /// Follows a stream of server-sent `progress` events, each a JSON `T`, until
    /// `on_update` answers true (nothing more will change).
    pub fn watch_progress<T: serde::de::DeserializeOwned + 'static>(
        url: &str,
        on_update: impl Fn(T) -> bool + 'static,
    ) {
        let on_data = Closure::<dyn FnMut(String) -> bool>::new(move |data: String| {
            serde_json::from_str::<T>(&data).is_ok_and(&on_update)
        });
        watch_events(url, &on_data);
        // The event source calls it until the stream settles; it lives as long as the page.
        on_data.forget();
    }
}

#[cfg(not(feature = "hydrate"))]
mod imp {
    pub struct UploadBody;
    impl UploadBody {
        pub fn text(_text: &str) -> Self {
            Self
        }
    }
    pub fn chosen_file<T>(_input: &T) -> Option<UploadBody> {
        None
    }
    pub fn chosen_file_name(_ev: &leptos::ev::Event) -> Option<String> {
        None
    }
    pub async fn post_body(
        _url: &str,
        _body: &UploadBody,
        _lang: wxacode::Lang,
    ) -> Result<(u16, String), ()> {
        Err(())
    }
    pub async fn put_body(_url: &str, _body: &UploadBody, _lang: wxacode::Lang) -> Result<(u16, String), ()> {
        Err(())
    }
    pub fn watch_progress<T: serde::de::DeserializeOwned + 'static>(
        _url: &str,
        _on_update: impl Fn(T) -> bool + 'static,
    ) {
    }

    pub async fn copy_to_clipboard(_text: &str) -> bool {
        false
    }
    pub async fn copy_image_to_clipboard(_url: &str) -> bool {
        false
    }
    pub fn relative_time(_rfc3339: &str, _lang: wxacode::Lang) -> String {
        String::new()
    }
    /// The server knows no reader's zone: the day's end in UTC, so a form checked while
    /// rendering finds the same problems (none, for a real day) as in the browser.
    pub fn end_of_local_day(date: &str) -> Option<String> {
        chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok().map(|day| format!("{day}T23:59:59Z"))
    }
    pub fn time_zone() -> Option<String> {
        None
    }
    pub fn focus_element(_id: &str) {}
    pub fn focus_element_when_drawn(_id: String) {}
    pub fn reveal_if_addressed(_id: &str) {}
    pub fn reveal_current_link(_nav_selector: &str) {}
    pub fn close_menu_when_focus_leaves(_ev: &leptos::web_sys::FocusEvent) {}
    pub fn close_menu_on_escape(_ev: &leptos::web_sys::KeyboardEvent) {}
    pub fn close_menu_on_choice(_ev: &leptos::web_sys::MouseEvent) {}
    pub fn local_today() -> Option<String> {
        None
    }
    pub fn local_date(_rfc3339: &str) -> Option<String> {
        None
    }
    #[cfg(not(feature = "ssr"))]
    pub fn clock_fields(_rfc3339: &str) -> Option<(i32, u32, u32, u32, u32)> {
        None
    }
    pub fn now_rfc3339() -> String {
        chrono::Utc::now().to_rfc3339()
    }
    pub fn replace_query(_page: &str, _query: &str) {}
    pub fn origin() -> String {
        String::new()
    }
    pub fn go_to(_path: &str) {}
    #[cfg(not(feature = "ssr"))]
    pub fn body_attribute(_name: &str) -> Option<String> {
        None
    }
    pub fn set_cookie(_cookie: &str) {}
    #[cfg(not(feature = "ssr"))]
    pub fn cookies() -> String {
        String::new()
    }
}

/// The largest unit that fits, as Intl.RelativeTimeFormat wants it: (count, unit).
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
fn relative_unit(seconds_ago: f64) -> (f64, &'static str) {
    const UNITS: [(f64, &str); 6] = [
        (365.0 * 86_400.0, "year"),
        (30.0 * 86_400.0, "month"),
        (86_400.0, "day"),
        (3_600.0, "hour"),
        (60.0, "minute"),
        (1.0, "second"),
    ];
    let magnitude = seconds_ago.abs();
    let (size, unit) = UNITS.into_iter().find(|(size, _)| magnitude >= *size).unwrap_or((1.0, "second"));
    ((seconds_ago / size).trunc(), unit)
}

pub use imp::*;

/// A cookie's value in a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header
        .split(';')
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::{cookie_value, relative_unit};

    #[test]
    fn finds_a_cookie_among_others() {
        let header = "wxacode_lang=en; wxacode_tz=Asia/Shanghai;session=x";
        assert_eq!(cookie_value(header, "wxacode_tz"), Some("Asia/Shanghai"));
        assert_eq!(cookie_value(header, "session"), Some("x"));
        assert_eq!(cookie_value(header, "wxacode"), None);
        assert_eq!(cookie_value("", "wxacode_tz"), None);
    }

    #[test]
    fn the_largest_whole_unit_is_chosen() {
        assert_eq!(relative_unit(0.0), (0.0, "second"));
        assert_eq!(relative_unit(59.0), (59.0, "second"));
        assert_eq!(relative_unit(60.0), (1.0, "minute"));
        assert_eq!(relative_unit(3.0 * 3_600.0 + 5.0), (3.0, "hour"));
        assert_eq!(relative_unit(2.0 * 86_400.0), (2.0, "day"));
        assert_eq!(relative_unit(45.0 * 86_400.0), (1.0, "month"));
        assert_eq!(relative_unit(800.0 * 86_400.0), (2.0, "year"));
        assert_eq!(relative_unit(-120.0), (-2.0, "minute"), "a clock slightly behind the server");
    }
}
