//! The site's URL map: every address a page, the session code or the server
//! links to, spelled once. It imports nothing from this crate, so every layer
//! (the lowest browser helpers included) may use it.
//!
//! Route patterns for axum and the `#[server]` attributes need literals; tests
//! check that those literals agree with this map.

pub const HOME: &str = "/";
pub const HISTORY: &str = "/history";
pub const BATCHES: &str = "/batches";
pub const CAMPAIGNS: &str = "/campaigns";
/// WeChat links and permanent jump links.
pub const LINKS: &str = "/links";
pub const AUDIT: &str = "/audit";
pub const USERS: &str = "/users";
pub const KEYS: &str = "/keys";
pub const APPS: &str = "/apps";
pub const SETTINGS: &str = "/settings";
/// Label sheets: `?ids=…` (or `batch=`, `label=`) and the sheet's settings, as the API names them.
pub const PRINT: &str = "/print";
pub const ACCOUNT: &str = "/account";
pub const LOGIN: &str = "/login";
pub const SETUP: &str = "/setup";

pub const API_PREFIX: &str = "/api/";
pub const API_HEALTH: &str = "/api/health";
/// 200 only when this replica should get traffic (database answers, schema migrated).
pub const API_READY: &str = "/api/health/ready";
/// Where the generator form posts before the page's script has loaded.
pub const GENERATE_FORM: &str = "/generate";
pub const API_DOCS: &str = "/api/docs";
pub const API_OPENAPI: &str = "/api/openapi.json";
pub const API_BATCHES: &str = "/api/batches";
/// The label sheet PDF; its query is the print page's.
pub const API_PRINT_SHEET: &str = "/api/print/sheet";
/// `/api/links`, and `/api/links.csv` for the list as CSV.
pub const API_LINKS: &str = "/api/links";
pub const API_JUMP_LINKS: &str = "/api/jump-links";
pub const API_BATCH_PREVIEW: &str = "/api/batches/preview";
/// `?format=csv|xlsx&lang=zh|en`: a blank sheet with every recognised header.
pub const API_BATCH_TEMPLATE: &str = "/api/batches/template";

pub const SHARE_PREFIX: &str = "/s/";
/// Permanent jump links: `/go/{token}` sends a visit on to a live WeChat link.
pub const JUMP_PREFIX: &str = "/go/";
pub const JUMP_ROUTE: &str = "/go/{token}";
/// The public resolve API of living codes: `/api/r/{scene}`.
pub const RESOLVE_PREFIX: &str = "/api/r/";
pub const ASSETS_PREFIX: &str = "/pkg/";
pub const FAVICONS: [&str; 2] = ["/favicon.svg", "/favicon.ico"];

/// Where server functions answer (`#[server(prefix = "/rpc")]`).
pub const RPC_PREFIX: &str = "/rpc";
/// Server functions a signed-out browser needs, by their fixed endpoint names.
pub const PUBLIC_SERVER_FUNCTIONS: [&str; 5] =
    ["sign_in", "complete_setup", "setup_state", "sign_out", "get_shared_code"];

/// `path`, with `?query` when there is one.
pub fn with_query(path: &str, query: &str) -> String {
    if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    }
}

/// The sign-in page, set to bring the person back to `back` (a path and query) afterwards.
pub fn sign_in(back: &str) -> String {
    let next: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    format!("{LOGIN}?next={next}")
}

/// Only a path on this site: `next` comes from the address bar and must not send people elsewhere.
pub fn local_path(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .unwrap_or_else(|| HOME.to_owned())
}

/// The generator, prefilled from a form query.
pub fn generator(query: &str) -> String {
    with_query(HOME, query)
}

/// A code's own centre logo (PUT to set, GET the stored PNG).
pub fn code_logo(id: i64) -> String {
    format!("/api/codes/{id}/logo")
}

/// An app's centre logo.
pub fn app_logo(appid: &str) -> String {
    format!("/api/apps/{appid}/logo")
}

/// The code with its logo in the centre (`version` keys the browser's cache to the logo).
pub fn code_branded(id: i64, version: &str) -> String {
    format!("/api/codes/{id}/branded.png?v={version}")
}

/// The code as a poster; `query` is the poster's settings.
pub fn code_poster(id: i64, query: &str) -> String {
    with_query(&format!("/api/codes/{id}/poster.png"), query)
}

/// The print page for a source query (`ids=…`, `batch=…` or `label=…`).
pub fn print(source_query: &str) -> String {
    with_query(PRINT, source_query)
}

/// A code's own page in the dashboard.
pub fn code(id: i64) -> String {
    format!("/codes/{id}")
}

/// The id of the code page's links section, the anchor of [`code_links`].
pub const CODE_LINKS_ID: &str = "links";

/// A code's page at its links section.
pub fn code_links(id: i64) -> String {
    format!("/codes/{id}#{CODE_LINKS_ID}")
}

/// The original image bytes of a code.
pub fn code_image(id: i64) -> String {
    format!("/api/codes/{id}/image")
}

/// The image as a download, named by the team's template now, `{date}` in `zone`.
pub fn code_download(id: i64, zone: Option<&str>) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    query.append_pair("download", "true");
    if let Some(zone) = zone {
        query.append_pair("tz", zone);
    }
    format!("/api/codes/{id}/image?{}", query.finish())
}

/// The ZIP of these codes, files in this order.
/// `zone`: the reader's IANA time zone, for the time in the file's name.
/// `with`: `poster`, `logo` or both (comma-separated) to add those renditions.
pub fn archive(ids: &[i64], zone: Option<&str>, with: &str) -> String {
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let mut query = format!("ids={}", ids.join(","));
    let mut rest = form_urlencoded::Serializer::new(String::new());
    if let Some(zone) = zone {
        rest.append_pair("tz", zone);
    }
    if !with.is_empty() {
        rest.append_pair("with", with);
    }
    let rest = rest.finish();
    if !rest.is_empty() {
        query.push('&');
        query.push_str(&rest);
    }
    with_query("/api/codes/archive", &query)
}

/// The public page behind a share link.
pub fn share_path(token: &str) -> String {
    format!("{SHARE_PREFIX}{token}")
}

/// A permanent jump link, relative to the instance's public URL.
pub fn jump_path(token: &str) -> String {
    format!("{JUMP_PREFIX}{token}")
}

/// The public image behind a share link.
pub fn share_image(token: &str) -> String {
    format!("{SHARE_PREFIX}{token}.png")
}

/// A share link as handed out: the instance's public base and the share page.
pub fn share_url(public_url: &str, token: &str) -> String {
    format!("{}{}", public_url.trim_end_matches('/'), share_path(token))
}

/// The codes one batch job made, in the history.
pub fn batch_template(format: &str, lang: wxacode::Lang) -> String {
    with_query(API_BATCH_TEMPLATE, &format!("format={format}&lang={}", lang.code()))
}

pub fn batch_codes(id: i64) -> String {
    format!("{HISTORY}?batch={id}")
}

/// Server-sent progress of a batch job.
pub fn batch_events(id: i64) -> String {
    format!("/api/batches/{id}/events")
}

pub fn batch_zip(id: i64) -> String {
    format!("/api/batches/{id}/zip")
}

pub fn batch_failed_csv(id: i64) -> String {
    format!("/api/batches/{id}/failed.csv")
}

/// A server function's address.
pub fn rpc(endpoint: &str) -> String {
    format!("{RPC_PREFIX}/{endpoint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/history?page=2".into())), "/history?page=2");
        for outside in ["https://evil.example", "//evil.example", "/\\evil.example", "history"] {
            assert_eq!(local_path(Some(outside.into())), "/", "{outside}");
        }
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn the_way_back_survives_the_sign_in_link() {
        assert_eq!(sign_in("/?scene=a%3D1&x=2"), "/login?next=%2F%3Fscene%3Da%253D1%26x%3D2");
    }

    #[test]
    fn a_share_link_is_the_public_base_and_the_share_page() {
        assert_eq!(share_url("https://codes.example.com/", "abc"), "https://codes.example.com/s/abc");
        assert_eq!(share_url("http://127.0.0.1:3000", "abc"), "http://127.0.0.1:3000/s/abc");
        assert_eq!(share_image("abc"), "/s/abc.png");
    }

    #[test]
    fn queries_are_added_only_when_there_is_one() {
        assert_eq!(with_query("/history", ""), "/history");
        assert_eq!(with_query("/history", "q=a"), "/history?q=a");
        assert_eq!(archive(&[3, 2, 1], None, ""), "/api/codes/archive?ids=3,2,1");
        assert_eq!(archive(&[4], Some("Asia/Shanghai"), ""), "/api/codes/archive?ids=4&tz=Asia%2FShanghai");
        assert_eq!(archive(&[4], None, "poster,logo"), "/api/codes/archive?ids=4&with=poster%2Clogo");
    }
}
