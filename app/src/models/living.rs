//! Living codes (活码) and their scans, as the pages and the REST views see them.

use serde::{Deserialize, Serialize};
use wxacode::living::{parse_fallback_page, parse_landing_page};
use wxacode::{
    CodeRequest, Field, Label, LivingStatus, Message, PagePath, Problem, ProblemCode, Target, TargetInput,
};

use crate::models::codes::GenerateForm;

/// What the generator submits for a living code. `code.input.page` is the landing
/// page (blank: the instance's); `code.input.scene` is ignored, the server makes it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivingForm {
    pub code: GenerateForm,
    pub target: TargetInput,
    /// Where a paused or ended code sends people (blank: the mini program's home page).
    #[serde(default)]
    pub fallback_page: String,
    /// RFC 3339; past it the code answers as ended.
    #[serde(default)]
    pub ends_at: Option<String>,
}

/// A living form that passed every rule (the scene is still to be made).
#[derive(Debug)]
pub struct ParsedLiving {
    /// With a placeholder scene.
    pub request: CodeRequest,
    pub label: Label,
    pub target: Target,
    pub fallback_page: PagePath,
}

impl LivingForm {
    /// Every problem of the form, in form order; `landing_page` fills a blank page.
    pub fn parse(&self, landing_page: &str) -> Result<ParsedLiving, Vec<Problem>> {
        let mut code = self.code.clone();
        code.input.scene = wxacode::living::PLACEHOLDER_SCENE.to_owned();
        let page =
            code.input.page.as_deref().map(str::trim).filter(|p| !p.is_empty()).unwrap_or(landing_page);
        let mut problems = Vec::new();
        match parse_landing_page(page) {
            Ok(page) => code.input.page = Some(page.as_str().to_owned()),
            Err(found) => {
                problems.extend(found);
                code.input.page = Some(wxacode::living::DEFAULT_LANDING_PAGE.to_owned());
            }
        }
        let target = Target::parse(&self.target).map_err(|found| problems.extend(found));
        let fallback = parse_fallback_page(&self.fallback_page).map_err(|found| problems.extend(found));
        let ends_at = self.ends_at.as_deref().map(str::trim).filter(|e| !e.is_empty());
        if ends_at.is_some_and(|e| chrono::DateTime::parse_from_rfc3339(e).is_err()) {
            problems.push(ends_at_problem(
                "结束时间格式不对，应如 2026-12-31T23:59:59+08:00",
                "The end must be a time like 2026-12-31T23:59:59+08:00",
            ));
        }
        let parsed = code.parse_any_scene().map_err(|found| problems.extend(found));
        match (parsed, target, fallback) {
            (Ok((request, label)), Ok(target), Ok(fallback_page)) if problems.is_empty() => {
                Ok(ParsedLiving { request, label, target, fallback_page })
            }
            _ => Err(problems),
        }
    }
}

/// An end date that is not one, or that has passed.
pub fn ends_at_problem(zh: &str, en: &str) -> Problem {
    Problem { field: Field::EndsAt, code: ProblemCode::EndsAtPast, message: Message::new(zh, en) }
}

/// What a code answers at `now` (RFC 3339 as stored): ended once its end date has passed.
pub fn effective_status(set: LivingStatus, ends_at: Option<&str>, now: &str) -> LivingStatus {
    if set == LivingStatus::Active && ends_at.is_some_and(|end| end <= now) {
        LivingStatus::Ended
    } else {
        set
    }
}

/// A living code's settings and counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivingCode {
    pub code_id: i64,
    pub scene: String,
    pub target: Target,
    /// What a resolve answers now: `ended` once `ends_at` has passed, whatever was set.
    pub status: LivingStatus,
    /// What was set by hand.
    pub set_status: LivingStatus,
    /// RFC 3339, UTC.
    pub ends_at: Option<String>,
    pub fallback_page: PagePath,
    pub scans: i64,
    pub last_scan_at: Option<String>,
    pub updated_at: String,
}

/// A change to a living code; only what is set changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LivingChange {
    #[serde(default)]
    pub target: Option<TargetInput>,
    #[serde(default)]
    pub status: Option<LivingStatus>,
    /// `Some("")` removes the end date.
    #[serde(default)]
    pub ends_at: Option<String>,
    #[serde(default)]
    pub fallback_page: Option<String>,
}

/// A code's scans, counted in the reader's time zone.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScanSummary {
    pub total: i64,
    pub today: i64,
    pub last_7_days: i64,
    pub last_30_days: i64,
    /// Distinct client ids the mini program sent (scans without one are not counted here).
    pub unique_clients: i64,
    /// The last 30 days, oldest first, today last.
    pub days: Vec<DayCount>,
    /// Most first; `None`: the mini program did not say.
    pub by_wx_scene: Vec<WxSceneCount>,
}

/// Scans per campaign label over a period (the campaign view).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignReport {
    /// `YYYY-MM-DD`, inclusive, in the reader's zone.
    pub from: String,
    pub to: String,
    /// Every label that has a living code, most scanned first.
    pub campaigns: Vec<CampaignRow>,
    /// Day by day over the period: every campaign, or the one asked for.
    pub days: Vec<DayCount>,
    /// The campaign `days` counts (`None`: all of them).
    pub label: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignRow {
    /// Empty for codes without a label.
    pub label: String,
    /// Living codes with this label.
    pub codes: i64,
    /// Their scans within the period.
    pub scans: i64,
}

/// A day sent by a client (`YYYY-MM-DD`); blank for none.
pub fn read_day(name: &str, raw: Option<&str>) -> Result<Option<chrono::NaiveDate>, crate::error::AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(raw) => crate::models::codes::parse_day(raw).map(Some).ok_or_else(|| {
            crate::error::AppError::rejected(
                format!(
                    "{} 不是有效的日期：“{raw}”，应如 2026-11-24",
                    if name == "to" { "结束日期" } else { "开始日期" }
                ),
                format!("{name} must be a date like 2026-11-24, not {raw:?}"),
            )
        }),
    }
}

/// The longest period the campaign view counts, in days.
pub const MAX_CAMPAIGN_DAYS: i64 = 366;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayCount {
    /// `YYYY-MM-DD` in the reader's zone.
    pub day: String,
    pub scans: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WxSceneCount {
    pub wx_scene: Option<i64>,
    pub scans: i64,
}

/// What the resolve API answers the mini program.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"status": "active", "page": "pages/promo/promo",
    "params": {"campaign": "双十一"}, "path": "pages/promo/promo?campaign=%E5%8F%8C%E5%8D%81%E4%B8%80"})))]
pub struct ResolveAnswer {
    /// `active`: go to `page`; `paused` or `ended`: `page` is the fallback page.
    pub status: LivingStatus,
    /// Empty: stay on the mini program's home page.
    pub page: String,
    pub params: std::collections::BTreeMap<String, String>,
    /// `page` with `params` as its query, ready for `wx.redirectTo({url: '/' + path})`.
    pub path: String,
}

impl Resolution {
    /// The HTTP status and body of the resolve API; `None` for an unknown scene (404).
    pub fn answer(self) -> Option<(u16, ResolveAnswer)> {
        match self {
            Resolution::Active(target) => Some((
                200,
                ResolveAnswer {
                    status: LivingStatus::Active,
                    page: target.page.as_str().to_owned(),
                    path: target.path(),
                    params: target.params.into_iter().map(|p| (p.key, p.value)).collect(),
                },
            )),
            Resolution::Gone { status, fallback_page } => Some((
                410,
                ResolveAnswer {
                    status,
                    page: fallback_page.as_str().to_owned(),
                    path: fallback_page.as_str().to_owned(),
                    params: Default::default(),
                },
            )),
            Resolution::Unknown => None,
        }
    }
}

/// A scan the sandbox played: what the mini program would have received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedScan {
    pub status_code: u16,
    pub answer: ResolveAnswer,
}

/// The inside of a resolve: the target, or why not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    /// Go to the target.
    Active(Target),
    /// Paused or ended: go to the fallback page.
    Gone { status: LivingStatus, fallback_page: PagePath },
    /// No living code has this scene.
    Unknown,
}

#[cfg(test)]
mod tests {
    use super::*;
    use wxacode::{CodeRequestInput, Param};

    fn form(page: &str, target: &str) -> LivingForm {
        LivingForm {
            code: GenerateForm {
                input: CodeRequestInput { page: Some(page.into()), ..Default::default() },
                label: "双十一".into(),
                app: None,
            },
            target: TargetInput { page: target.into(), params: vec![Param::new("ch", "海报")] },
            ..Default::default()
        }
    }

    #[test]
    fn an_active_code_past_its_end_answers_as_ended() {
        let now = "2026-11-26T12:00:00.000Z";
        let (past, future) = (Some("2026-11-26T11:59:59.000Z"), Some("2026-11-26T12:00:01.000Z"));
        assert_eq!(effective_status(LivingStatus::Active, past, now), LivingStatus::Ended);
        assert_eq!(effective_status(LivingStatus::Active, future, now), LivingStatus::Active);
        assert_eq!(effective_status(LivingStatus::Paused, past, now), LivingStatus::Paused);
        assert_eq!(effective_status(LivingStatus::Active, None, now), LivingStatus::Active);
    }

    #[test]
    fn a_blank_landing_page_takes_the_instances() {
        let parsed = form(" ", "pages/promo/promo").parse("pages/land/land").unwrap();
        assert_eq!(parsed.request.page.as_str(), "pages/land/land");
        assert_eq!(parsed.target.path(), "pages/promo/promo?ch=%E6%B5%B7%E6%8A%A5");
        assert_eq!(parsed.label.as_str(), "双十一");
    }

    #[test]
    fn problems_of_every_part_are_reported_together() {
        let mut bad = form("/x", "");
        bad.fallback_page = "a//b".into();
        bad.ends_at = Some("soon".into());
        let fields: Vec<Field> =
            bad.parse("pages/index/index").unwrap_err().iter().map(|p| p.field).collect();
        assert_eq!(fields, [Field::Page, Field::TargetPage, Field::FallbackPage, Field::EndsAt]);
    }
}
