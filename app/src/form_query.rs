//! The generator form as a URL query (`/?scene=…&page=…`), for prefill links
//! and for keeping what was typed across a reload.

use wxacode::request::WIDTH_DEFAULT;
use wxacode::{CodeRequestInput, LineColor};

use crate::models::codes::GenerateForm;

/// Only what differs from the defaults, so links stay short.
pub fn to_query(form: &GenerateForm) -> String {
    let input = &form.input;
    let mut query = form_urlencoded::Serializer::new(String::new());
    let mut put = |key: &str, value: &str| {
        query.append_pair(key, value);
    };
    if !input.scene.is_empty() {
        put("scene", &input.scene);
    }
    if let Some(page) = input.page.as_deref().filter(|p| !p.is_empty()) {
        put("page", page);
    }
    if !form.label.is_empty() {
        put("label", &form.label);
    }
    if let Some(app) = form.app.as_deref().filter(|a| !a.is_empty()) {
        put("app", app);
    }
    if let Some(width) = input.width.filter(|w| *w != i64::from(WIDTH_DEFAULT)) {
        put("width", &width.to_string());
    }
    if let Some(env) = input.env_version.as_deref().filter(|e| *e != "release") {
        put("env_version", env);
    }
    if input.check_path == Some(false) {
        put("check_path", "false");
    }
    if input.auto_color == Some(true) {
        put("auto_color", "true");
    }
    if let Some(color) = input.line_color {
        let hex = color.clamped().to_hex();
        if hex != LineColor::default().to_hex() {
            put("line_color", &hex);
        }
    }
    if input.is_hyaline == Some(true) {
        put("is_hyaline", "true");
    }
    query.finish()
}

/// Reads a form from query parameters; anything missing or unreadable takes its default.
pub fn from_query(get: impl Fn(&str) -> Option<String>) -> GenerateForm {
    let flag = |key: &str, default: bool| match get(key).as_deref() {
        Some("true" | "1" | "on") => true,
        Some("false" | "0" | "off") => false,
        _ => default,
    };
    GenerateForm {
        input: CodeRequestInput {
            scene: get("scene").unwrap_or_default(),
            page: get("page"),
            // Read as the width box reads it: `600.0` is 600, not the default.
            width: Some(
                get("width")
                    .and_then(|w| wxacode::request::Width::parse_text(&w).ok().flatten())
                    .unwrap_or(WIDTH_DEFAULT.into()),
            ),
            check_path: Some(flag("check_path", true)),
            env_version: Some(get("env_version").unwrap_or_else(|| "release".into())),
            auto_color: Some(flag("auto_color", false)),
            line_color: Some(
                get("line_color").and_then(|c| LineColor::from_hex(&c)).unwrap_or_default().into(),
            ),
            is_hyaline: Some(flag("is_hyaline", false)),
        },
        label: get("label").unwrap_or_default(),
        app: get("app").filter(|a| !a.trim().is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn parse(query: &str) -> GenerateForm {
        let pairs: HashMap<String, String> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        from_query(|key| pairs.get(key).cloned())
    }

    #[test]
    fn a_form_survives_the_round_trip_through_a_query() {
        let mut form = parse("");
        form.input.scene = "id=1&c=上".into();
        form.input.page = Some("pages/a/a".into());
        form.label = "双十一 海报".into();
        form.input.width = Some(640);
        form.input.env_version = Some("trial".into());
        form.input.check_path = Some(false);
        form.input.is_hyaline = Some(true);
        form.input.line_color = Some(LineColor { r: 7, g: 193, b: 96 }.into());
        let query = to_query(&form);
        assert_eq!(parse(&query), form, "{query}");
    }

    #[test]
    fn defaults_are_left_out_of_the_query() {
        let mut form = parse("");
        form.input.scene = "a=1".into();
        assert_eq!(to_query(&form), "scene=a%3D1");
    }

    #[test]
    fn unreadable_values_fall_back_to_defaults() {
        let form = parse("width=wide&check_path=maybe&line_color=red");
        assert_eq!(form.input.width, Some(430));
        assert_eq!(form.input.check_path, Some(true));
        assert_eq!(form.input.line_color, Some(LineColor::default().into()));
    }

    #[test]
    fn a_width_is_read_as_the_width_box_reads_it() {
        assert_eq!(parse("width=600.0").input.width, Some(600));
        assert_eq!(parse("width=%20640%20").input.width, Some(640));
        assert_eq!(parse("width=").input.width, Some(430));
    }
}
