//! The names a code's files get: the team's template filled in with the code's fields.

use std::collections::HashMap;

use chrono::DateTime;
use chrono_tz::Tz;
use wxacode::file_name::{NameFields, NameTemplate};

use crate::models::apps::AppView;
use crate::models::codes::CodeSummary;

/// Names codes' files with one template, one time zone (for `{date}`) and the apps' names
/// (for `{app}`).
#[derive(Clone, Debug)]
pub struct FileNamer {
    template: NameTemplate,
    zone: Tz,
    app_names: HashMap<String, String>,
}

impl FileNamer {
    pub fn new(template: NameTemplate, zone: Tz, apps: &[AppView]) -> Self {
        let app_names = apps
            .iter()
            .filter(|app| !app.name.trim().is_empty())
            .map(|app| (app.appid.clone(), app.name.clone()))
            .collect();
        Self { template, zone, app_names }
    }

    /// The file's name without its extension.
    pub fn stem(&self, code: &CodeSummary) -> String {
        let date = DateTime::parse_from_rfc3339(&code.created_at)
            .map(|at| at.with_timezone(&self.zone).format("%Y-%m-%d").to_string())
            .unwrap_or_default();
        let app = self.app_names.get(&code.appid).unwrap_or(&code.appid);
        self.template.stem(&NameFields {
            id: code.id,
            scene: code.request.scene.as_str(),
            label: code.label.as_str(),
            page: code.request.page.as_str(),
            date: &date,
            app,
        })
    }

    /// The original image's name, with its type's extension.
    pub fn file_name(&self, code: &CodeSummary) -> String {
        format!("{}.{}", self.stem(code), code.image_type.extension())
    }

    /// The name behind a public share link: what the share page hides (label, page, app) is
    /// left out of it too.
    pub fn shared_file_name(&self, code: &CodeSummary) -> String {
        if code.share_shows_label {
            return self.file_name(code);
        }
        let mut hidden = code.clone();
        hidden.label = wxacode::Label::default();
        hidden.request.page = wxacode::PagePath::default();
        hidden.appid = String::new();
        self.file_name(&hidden)
    }

    /// The name of a PNG drawn from it (`kind`: `poster`, `logo`).
    pub fn rendition_name(&self, code: &CodeSummary, kind: &str) -> String {
        format!("{}-{kind}.png", self.stem(code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::models::codes::tests::code;

    fn app(appid: &str, name: &str) -> AppView {
        AppView {
            appid: appid.into(),
            name: name.into(),
            colour: "#000000".into(),
            initials: String::new(),
            sandbox: true,
            from_env: false,
            landing_page: String::new(),
            published_pages: Vec::new(),
            env_version: "release".into(),
            has_secret: false,
            updated_at: String::new(),
        }
    }

    #[test]
    fn a_code_is_named_by_the_template_in_the_readers_zone() {
        let mut summary = code(false, false, false, true);
        summary.label = wxacode::Label::parse("双十一").unwrap();
        summary.created_at = "2026-11-26T17:30:00.000Z".into();
        let template = NameTemplate::parse("{date}_{app}_{label}_{id}").unwrap();
        let apps = [app(&summary.appid, "会员商城")];
        let shanghai = FileNamer::new(template.clone(), Tz::Asia__Shanghai, &apps);
        assert_eq!(shanghai.file_name(&summary), "2026-11-27_会员商城_双十一_1.jpg");
        let utc = FileNamer::new(template, Tz::UTC, &[]);
        assert_eq!(utc.stem(&summary), format!("2026-11-26_{}_双十一_1", summary.appid));
        assert_eq!(
            utc.rendition_name(&summary, "poster"),
            format!("2026-11-26_{}_双十一_1-poster.png", summary.appid)
        );
    }
}
