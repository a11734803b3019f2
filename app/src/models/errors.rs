//! The JSON body of every failed REST request: `{"success": false, "error": "…"}`,
//! as the original design's clients expect, with the details a client can act on.

use serde::{Deserialize, Serialize};
use wxacode::{Field, Lang, Problem, ProblemCode};

use crate::error::AppError;

/// One broken rule, in the asked language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProblemView {
    pub field: Field,
    /// Stable and machine-readable.
    pub code: ProblemCode,
    pub message: String,
}

impl ProblemView {
    pub fn new(problem: &Problem, lang: Lang) -> Self {
        Self { field: problem.field, code: problem.code, message: problem.message.get(lang).to_owned() }
    }

    pub fn list(problems: &[Problem], lang: Lang) -> Vec<Self> {
        problems.iter().map(|p| Self::new(p, lang)).collect()
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "ssr", schema(example = json!({"success": false, "error": "场景值 scene 不能为空", "problems": [{"field": "scene", "code": "scene_empty", "message": "场景值 scene 不能为空"}]})))]
pub struct ErrorBody {
    /// Always `false`.
    pub success: bool,
    /// What went wrong, in Chinese, or English with `Accept-Language: en`.
    pub error: String,
    /// WeChat's errcode, when WeChat refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errcode: Option<i64>,
    /// Every broken rule, when the request broke some (status 400).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<ProblemView>>,
}

impl ErrorBody {
    pub fn new(error: &AppError, lang: Lang) -> Self {
        let problems = match error {
            AppError::Invalid { problems } => Some(ProblemView::list(problems, lang)),
            _ => None,
        };
        Self {
            success: false,
            error: error.message().get(lang).to_owned(),
            errcode: error.errcode(),
            problems,
        }
    }
}
