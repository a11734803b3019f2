//! Rows of a spreadsheet as code requests: which column is which (headers in
//! Chinese or English), how cells read, and a preview that validates every row
//! with the same rules as the form before anything is sent to WeChat.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::label::Label;
use crate::link::LinkRow;
use crate::living::{parse_fallback_page, LivingRow, Target, TargetInput};
use crate::message::{Lang, Message};
use crate::request::{CodeRequest, CodeRequestInput, Field, LineColor, Problem, ProblemCode};

/// The most rows one job takes.
pub const MAX_BATCH_ROWS: usize = 100_000;

/// What a spreadsheet column can hold.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    Scene,
    Page,
    Label,
    Width,
    EnvVersion,
    CheckPath,
    AutoColor,
    LineColor,
    IsHyaline,
    /// `direct` (default) or `living` (活码).
    Mode,
    /// A living code's target page; its parameters are `param.<name>` columns.
    TargetPage,
    /// A living code's fallback page.
    FallbackPage,
    /// A link to make for the row's code: `url_link`, `scheme` or `short_link`.
    Link,
    /// How many days that link lives (URL Link and Scheme; default 30).
    LinkDays,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Scene,
        Column::Page,
        Column::Label,
        Column::Width,
        Column::EnvVersion,
        Column::CheckPath,
        Column::AutoColor,
        Column::LineColor,
        Column::IsHyaline,
        Column::Mode,
        Column::TargetPage,
        Column::FallbackPage,
        Column::Link,
        Column::LinkDays,
    ];

    /// Header spellings people use, compared without case, spaces, `_` or `-`.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Column::Scene => &["scene", "场景值", "场景", "参数"],
            Column::Page => &["page", "页面", "页面路径", "路径", "path"],
            Column::Label => &["label", "标签", "名称", "name", "备注", "渠道", "活动"],
            Column::Width => &["width", "宽度", "尺寸"],
            Column::EnvVersion => &["envversion", "env", "版本", "小程序版本"],
            Column::CheckPath => &["checkpath", "校验页面", "检查页面"],
            Column::AutoColor => &["autocolor", "自动配色", "自动颜色"],
            Column::LineColor => &["linecolor", "color", "线条颜色", "颜色"],
            Column::IsHyaline => &["ishyaline", "hyaline", "transparent", "透明", "透明背景"],
            Column::Mode => &["mode", "类型", "码类型", "模式"],
            Column::TargetPage => &["targetpage", "target", "目标页面", "目标页"],
            Column::FallbackPage => &["fallbackpage", "fallback", "备用页", "备用页面"],
            Column::Link => &["link", "链接", "链接类型"],
            Column::LinkDays => &["linkdays", "链接天数", "链接有效期"],
        }
    }

    pub fn from_header(header: &str) -> Option<Column> {
        let key: String = header
            .trim()
            .trim_start_matches('\u{feff}')
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '-'))
            .flat_map(char::to_lowercase)
            .collect();
        Column::ALL.into_iter().find(|column| column.aliases().contains(&key.as_str()))
    }

    pub fn name(self) -> &'static str {
        self.aliases()[0]
    }

    /// The header a template in `lang` gives the column (one the detection reads back).
    pub fn header(self, lang: Lang) -> &'static str {
        match lang {
            // The first Chinese spelling ("版本", not the short English "env").
            Lang::Zh => self.aliases().iter().find(|a| !a.is_ascii()).copied().unwrap_or(self.name()),
            Lang::En => self.field_name(),
        }
    }

    /// The generator's field name, as the REST API's JSON spells it (snake_case).
    pub fn field_name(self) -> &'static str {
        match self {
            Column::EnvVersion => "env_version",
            Column::CheckPath => "check_path",
            Column::AutoColor => "auto_color",
            Column::LineColor => "line_color",
            Column::IsHyaline => "is_hyaline",
            Column::TargetPage => "target_page",
            Column::FallbackPage => "fallback_page",
            Column::LinkDays => "link_days",
            other => other.name(),
        }
    }

    /// A value for the template's example row.
    pub fn example(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Column::Scene, _) => "store=1001",
            (Column::Page, _) => "pages/index/index",
            (Column::Label, Lang::Zh) => "北京朝阳门店",
            (Column::Label, Lang::En) => "Beijing store",
            (Column::Width, _) => "430",
            (Column::EnvVersion, _) => "release",
            (Column::CheckPath, _) => "true",
            (Column::AutoColor, _) => "false",
            (Column::LineColor, _) => "#000000",
            (Column::IsHyaline, _) => "false",
            (Column::Mode, _) => "direct",
            // The example row is a direct code: nothing to resolve.
            (Column::TargetPage | Column::FallbackPage, _) => "",
            // Nor a link: most rows only want the code.
            (Column::Link | Column::LinkDays, _) => "",
        }
    }

    /// How the column mapping step names it.
    pub fn title(self) -> Message {
        let (zh, en) = match self {
            Column::Scene => ("场景值 scene", "Scene"),
            Column::Page => ("页面 page", "Page"),
            Column::Label => ("标签 label", "Label"),
            Column::Width => ("宽度 width", "Width"),
            Column::EnvVersion => ("版本 env_version", "Version"),
            Column::CheckPath => ("校验页面 check_path", "Check path"),
            Column::AutoColor => ("自动配色 auto_color", "Auto colour"),
            Column::LineColor => ("线条颜色 line_color", "Line colour"),
            Column::IsHyaline => ("透明背景 is_hyaline", "Transparent"),
            Column::Mode => ("类型 mode（普通 / 活码）", "Mode (direct / living)"),
            Column::TargetPage => ("目标页面 target_page（活码）", "Target page (living)"),
            Column::FallbackPage => ("备用页 fallback_page（活码）", "Fallback page (living)"),
            Column::Link => {
                ("链接 link（url_link / scheme / short_link）", "Link (url_link / scheme / short_link)")
            }
            Column::LinkDays => ("链接天数 link_days（1–30）", "Link days (1–30)"),
        };
        Message::new(zh, en)
    }
}

/// For each source column, the column it feeds (or none: ignored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMap(pub Vec<Option<Column>>);

impl ColumnMap {
    /// Recognises headers; the first column of each kind wins.
    pub fn detect(headers: &[String]) -> Self {
        let mut taken = Vec::new();
        let map = headers
            .iter()
            .map(|header| {
                Column::from_header(header).filter(|c| !taken.contains(c)).inspect(|c| taken.push(*c))
            })
            .collect();
        ColumnMap(map)
    }

    pub fn has_scene(&self) -> bool {
        self.0.contains(&Some(Column::Scene))
    }

    /// Whether rows can say what to generate: a scene, or a living code's target.
    pub fn can_generate(&self) -> bool {
        self.has_scene() || self.0.contains(&Some(Column::TargetPage))
    }
}

/// The `param.<name>` (or `参数.<name>`) columns of a sheet: a living code's parameters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamColumns(pub Vec<(usize, String)>);

impl ParamColumns {
    pub fn detect(headers: &[String]) -> Self {
        let name = |header: &str| {
            let header = header.trim().trim_start_matches('\u{feff}');
            let lower = header.to_lowercase();
            ["param.", "参数."]
                .iter()
                .find(|prefix| lower.starts_with(*prefix))
                .map(|prefix| header[prefix.len()..].trim().to_owned())
                .filter(|name| !name.is_empty())
        };
        ParamColumns(headers.iter().enumerate().filter_map(|(i, h)| name(h).map(|n| (i, n))).collect())
    }

    /// The header a sheet gives a parameter.
    pub fn header(name: &str) -> String {
        format!("param.{name}")
    }
}

/// What a whole job sets for the rows that leave a column empty.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RowDefaults {
    pub check_path: Option<bool>,
    pub env_version: Option<crate::request::EnvVersion>,
}

/// A sheet's data rows and the number its program shows beside the first of them
/// (2 in Excel, whose row 1 is the header; 1 for JSON rows).
#[derive(Clone, Copy, Debug)]
pub struct Numbering {
    pub first_row: usize,
}

/// A row that passed every rule, ready to become a job item.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidRow {
    /// The row's number as the person sees it in their sheet (Excel: the header is row 1).
    pub row: usize,
    pub input: CodeRequestInput,
    pub label: String,
    /// Set for a living code (its scene is made when generated).
    #[serde(default)]
    pub living: Option<LivingRow>,
    /// A link to make for the code, when the row asks for one.
    #[serde(default)]
    pub link: Option<LinkRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvalidRow {
    pub row: usize,
    pub scene: String,
    pub problems: Vec<Problem>,
    /// What of the row could be read, so a failed-rows file gives it back whole.
    #[serde(default)]
    pub input: CodeRequestInput,
    #[serde(default)]
    pub label: String,
    #[serde(default)]
    pub living: Option<LivingRow>,
    /// A link to make for the code, when the row asks for one.
    #[serde(default)]
    pub link: Option<LinkRow>,
}

/// A row that breaks a rule: what could be read of it, and every problem.
pub struct RowProblems {
    pub input: CodeRequestInput,
    pub label: String,
    pub living: Option<LivingRow>,
    pub link: Option<LinkRow>,
    pub problems: Vec<Problem>,
}

/// A row read and checked: the code's parameters, its label, and its living side if any.
pub struct ReadRow {
    pub input: CodeRequestInput,
    pub label: String,
    pub living: Option<LivingRow>,
    pub link: Option<LinkRow>,
}

/// A scene on more than one row: those rows would all point at the same thing.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateScene {
    pub scene: String,
    pub rows: Vec<usize>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Preview {
    pub valid: Vec<ValidRow>,
    pub invalid: Vec<InvalidRow>,
    pub duplicates: Vec<DuplicateScene>,
}

/// Validates every row; blank rows are skipped.
pub fn preview(
    rows: &[Vec<String>],
    map: &ColumnMap,
    params: &ParamColumns,
    numbering: Numbering,
    defaults: &RowDefaults,
) -> Preview {
    let mut preview = Preview::default();
    let mut scenes: HashMap<String, Vec<usize>> = HashMap::new();
    for (index, cells) in rows.iter().enumerate() {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let row = index + numbering.first_row;
        match read_row(cells, map, params, defaults) {
            Ok(ReadRow { input, label, living, link }) => {
                // A living row's scene is made later, and never the same.
                if living.is_none() {
                    scenes.entry(input.scene.clone()).or_default().push(row);
                }
                preview.valid.push(ValidRow { row, input, label, living, link });
            }
            Err(found) => {
                let RowProblems { input, label, living, link, problems } = *found;
                preview.invalid.push(InvalidRow {
                    row,
                    scene: input.scene.clone(),
                    problems,
                    input,
                    label,
                    living,
                    link,
                })
            }
        }
    }
    let mut duplicates: Vec<DuplicateScene> = scenes
        .into_iter()
        .filter(|(_, rows)| rows.len() > 1)
        .map(|(scene, rows)| DuplicateScene { scene, rows })
        .collect();
    duplicates.sort_by_key(|d| d.rows[0]);
    preview.duplicates = duplicates;
    preview
}

/// One row as a request and label (and a living code's target), or what could be read of it
/// and every problem found.
pub fn read_row(
    cells: &[String],
    map: &ColumnMap,
    params: &ParamColumns,
    defaults: &RowDefaults,
) -> Result<ReadRow, Box<RowProblems>> {
    let mut input = CodeRequestInput {
        check_path: defaults.check_path,
        env_version: defaults.env_version.map(|env| env.as_str().to_owned()),
        ..CodeRequestInput::default()
    };
    let mut label = String::new();
    let mut problems = Vec::new();
    let (mut mode, mut target, mut fallback) = (None::<String>, TargetInput::default(), String::new());
    let (mut link_kind, mut link_days) = (None::<String>, None::<String>);
    for (column, cell) in map.0.iter().zip(cells) {
        let Some(column) = column else { continue };
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        match column {
            Column::Scene => input.scene = cell.to_owned(),
            Column::Page => input.page = Some(cell.to_owned()),
            Column::Label => label = cell.to_owned(),
            Column::EnvVersion => input.env_version = Some(cell.to_owned()),
            Column::Width => match cell.parse::<f64>() {
                Ok(w) if w.fract() == 0.0 && w.abs() < 1e9 => input.width = Some(w as i64),
                _ => problems.push(unreadable(Field::Width, cell, "一个整数", "a whole number")),
            },
            Column::LineColor => match LineColor::from_hex(cell) {
                Some(color) => input.line_color = Some(color.into()),
                None => {
                    problems.push(unreadable(Field::LineColor, cell, "#RRGGBB 颜色", "an #RRGGBB colour"))
                }
            },
            Column::CheckPath => read_flag(cell, Field::CheckPath, &mut input.check_path, &mut problems),
            Column::AutoColor => read_flag(cell, Field::AutoColor, &mut input.auto_color, &mut problems),
            Column::IsHyaline => read_flag(cell, Field::IsHyaline, &mut input.is_hyaline, &mut problems),
            Column::Mode => mode = Some(cell.to_owned()),
            Column::TargetPage => target.page = cell.to_owned(),
            Column::FallbackPage => fallback = cell.to_owned(),
            Column::Link => link_kind = Some(cell.to_owned()),
            Column::LinkDays => link_days = Some(cell.to_owned()),
        }
    }
    for (index, name) in &params.0 {
        let value = cells.get(*index).map(|c| c.trim()).unwrap_or_default();
        if !value.is_empty() {
            target.params.push(crate::living::Param::new(name.clone(), value));
        }
    }
    // Living when the row says so, or says nothing but names a target.
    let living = match mode.as_deref().map(str::to_lowercase).as_deref() {
        None => !target.page.is_empty(),
        Some("living" | "活码" | "live") => true,
        Some("direct" | "普通" | "普通码" | "static") => false,
        Some(other) => {
            problems.push(unreadable(Field::Mode, other, "普通或活码", "direct or living"));
            false
        }
    };
    if living {
        if !input.scene.is_empty() {
            problems.push(Problem::new(
                Field::Scene,
                ProblemCode::SceneReservedForLiving,
                Message::new(
                    "活码的场景值由系统生成，这一行请留空场景值",
                    "A living code's scene is made for it: leave this row's scene empty",
                ),
            ));
        }
        let checked =
            CodeRequestInput { scene: crate::living::PLACEHOLDER_SCENE.to_owned(), ..input.clone() };
        if let Err(found) = CodeRequest::parse(&checked) {
            problems.extend(found);
        }
        if let Err(found) = Target::parse(&target) {
            problems.extend(found);
        }
        if let Err(found) = parse_fallback_page(&fallback) {
            problems.extend(found);
        }
    } else {
        if let Err(found) = CodeRequest::parse(&input) {
            problems.extend(found);
        }
        problems.extend(crate::living::direct_scene_problem(&input.scene));
    }
    if let Err(problem) = Label::parse(&label) {
        problems.push(problem);
    }
    let link = LinkRow::read(link_kind.as_deref(), link_days.as_deref());
    if let Some(Err(found)) = link.as_ref().map(LinkRow::check) {
        problems.extend(found);
    }
    let living = living.then_some(LivingRow { target, fallback_page: fallback });
    if problems.is_empty() {
        Ok(ReadRow { input, label, living, link })
    } else {
        Err(Box::new(RowProblems { input, label, living, link, problems }))
    }
}

fn read_flag(cell: &str, field: Field, target: &mut Option<bool>, problems: &mut Vec<Problem>) {
    match parse_flag(cell) {
        Some(value) => *target = Some(value),
        None => problems.push(unreadable(field, cell, "是/否", "yes/no")),
    }
}

/// Yes/no as spreadsheets write it.
pub fn parse_flag(cell: &str) -> Option<bool> {
    match cell.trim().to_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "对" | "✓" => Some(true),
        "false" | "no" | "n" | "0" | "否" | "不" => Some(false),
        _ => None,
    }
}

fn unreadable(field: Field, cell: &str, zh: &str, en: &str) -> Problem {
    Problem::new(
        field,
        ProblemCode::CellUnreadable,
        Message::new(format!("无法读取“{cell}”，应为{zh}"), format!("Cannot read {cell:?}: expected {en}")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| (*c).to_owned()).collect()
    }

    #[test]
    fn headers_are_recognised_in_chinese_and_english() {
        let map =
            ColumnMap::detect(&strings(&["\u{feff}Scene", "页面路径", "标签", "Env_Version", "备注", "x"]));
        assert_eq!(
            map.0,
            vec![
                Some(Column::Scene),
                Some(Column::Page),
                Some(Column::Label),
                Some(Column::EnvVersion),
                None,
                None
            ],
            "the second label-like column is not taken twice"
        );
        assert!(map.has_scene());
        assert!(!ColumnMap::detect(&strings(&["foo", "bar"])).has_scene());
    }

    #[test]
    fn every_column_is_found_by_its_own_name() {
        for column in Column::ALL {
            assert_eq!(Column::from_header(column.name()), Some(column));
            for lang in [Lang::Zh, Lang::En] {
                assert_eq!(Column::from_header(column.header(lang)), Some(column), "{lang:?}");
                assert_eq!(column.header(lang).is_ascii(), lang == Lang::En, "{column:?} in {lang:?}");
            }
        }
    }

    #[test]
    fn rows_are_validated_with_the_form_rules_and_duplicates_flagged() {
        let map =
            ColumnMap::detect(&strings(&["scene", "page", "label", "width", "is_hyaline", "line_color"]));
        let rows = vec![
            strings(&["store=1", "pages/a/a", "门店 1", "430", "是", "#ff0000"]),
            strings(&["", "", "", "", "", ""]),
            strings(&["bad scene", "/pages/a", "", "wide", "maybe", "red"]),
            strings(&["store=1", "", "again", "", "", ""]),
        ];
        let preview = preview(
            &rows,
            &map,
            &ParamColumns::default(),
            Numbering { first_row: 2 },
            &RowDefaults::default(),
        );
        assert_eq!(preview.valid.len(), 2);
        assert_eq!(preview.valid[0].row, 2, "Excel's number: the header is row 1");
        assert_eq!(preview.valid[0].label, "门店 1");
        assert_eq!(preview.valid[0].input.is_hyaline, Some(true));
        assert_eq!(preview.valid[0].input.line_color.map(|c| (c.r, c.g, c.b)), Some((255, 0, 0)));
        assert_eq!(preview.invalid.len(), 1);
        let invalid = &preview.invalid[0];
        assert_eq!(invalid.row, 4, "the blank row still counts");
        let fields: Vec<Field> = invalid.problems.iter().map(|p| p.field).collect();
        for field in [Field::Scene, Field::Page, Field::Width, Field::IsHyaline, Field::LineColor] {
            assert!(fields.contains(&field), "{field:?} in {fields:?}");
        }
        assert_eq!(preview.duplicates, vec![DuplicateScene { scene: "store=1".into(), rows: vec![2, 5] }]);
    }

    #[test]
    fn the_jobs_defaults_fill_only_the_cells_left_empty() {
        let map = ColumnMap::detect(&strings(&["scene", "check_path"]));
        let rows = vec![strings(&["a=1", ""]), strings(&["a=2", "true"])];
        let defaults =
            RowDefaults { check_path: Some(false), env_version: Some(crate::request::EnvVersion::Trial) };
        let preview = preview(&rows, &map, &ParamColumns::default(), Numbering { first_row: 1 }, &defaults);
        let inputs: Vec<_> = preview.valid.iter().map(|r| (r.row, r.input.check_path)).collect();
        assert_eq!(inputs, [(1, Some(false)), (2, Some(true))]);
        assert!(preview.valid.iter().all(|r| r.input.env_version.as_deref() == Some("trial")));
    }

    #[test]
    fn living_rows_take_a_target_and_param_columns_and_no_scene() {
        let headers = strings(&["mode", "目标页面", "param.campaign", "参数.ch", "label", "scene"]);
        let (map, params) = (ColumnMap::detect(&headers), ParamColumns::detect(&headers));
        assert!(map.can_generate());
        assert_eq!(params.0, vec![(2, "campaign".to_owned()), (3, "ch".to_owned())]);
        let rows = vec![
            strings(&["活码", "pages/promo/promo", "双十一", "", "门店 1", ""]),
            strings(&["", "pages/promo/promo", "双十一", "poster", "门店 2", ""]),
            strings(&["direct", "", "", "", "", "id=1"]),
            strings(&["living", "", "", "", "", "id=2"]),
            strings(&["maybe", "", "", "", "", "id=3"]),
        ];
        let preview = preview(&rows, &map, &params, Numbering { first_row: 2 }, &RowDefaults::default());
        let living: Vec<Option<&LivingRow>> = preview.valid.iter().map(|r| r.living.as_ref()).collect();
        assert_eq!(living.len(), 3);
        let first = living[0].unwrap();
        assert_eq!(first.target.params, vec![crate::living::Param::new("campaign", "双十一")]);
        assert_eq!(living[1].unwrap().target.params.len(), 2, "a blank mode with a target is living");
        assert!(living[2].is_none());
        let codes: Vec<Vec<ProblemCode>> =
            preview.invalid.iter().map(|r| r.problems.iter().map(|p| p.code).collect()).collect();
        assert_eq!(
            codes,
            [
                vec![ProblemCode::SceneReservedForLiving, ProblemCode::TargetPageEmpty],
                vec![ProblemCode::CellUnreadable]
            ]
        );
        assert!(preview.duplicates.is_empty(), "living rows share no scene");
    }

    #[test]
    fn flags_read_as_spreadsheets_write_them() {
        for yes in ["TRUE", "yes", "1", "是"] {
            assert_eq!(parse_flag(yes), Some(true), "{yes}");
        }
        for no in ["false", "No", "0", "否"] {
            assert_eq!(parse_flag(no), Some(false), "{no}");
        }
        assert_eq!(parse_flag("perhaps"), None);
    }
}
