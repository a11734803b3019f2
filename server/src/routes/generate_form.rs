//! `POST /generate`: the generator form as a plain HTML form, for the seconds before
//! the page's script has loaded (a slow network) — a click then still makes a code.
//! Once hydrated, the page sends the same form through its server function instead.

use app::backend::AppState;
use app::error::AppError;
use app::form_query::{from_query, to_query};
use app::urls;
use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Redirect, Response};

use super::api_error::ApiActor;

/// Generates, then shows the code's page; on a problem, back to the form as it was
/// filled in, with the reason.
pub async fn submit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    headers: HeaderMap,
    body: String,
) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(body.as_bytes()).into_owned().collect();
    // A checkbox posts a hidden "false" and, when ticked, "on" after it: the last one counts.
    let form = from_query(|key| pairs.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v.clone()));
    let outcome = match form.parse() {
        Err(problems) => Err(AppError::Invalid { problems }),
        Ok((request, label)) => {
            state.codes.generate(&request, &label, false, form.app.as_deref(), &actor).await
        }
    };
    match outcome {
        Ok(generated) => Redirect::to(&urls::code(generated.code.id)).into_response(),
        Err(error) => {
            let cookies = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
            let lang = app::i18n::from_cookie_header(cookies);
            let mut query = to_query(&form);
            let reason = form_urlencoded::Serializer::new(String::new())
                .append_pair("error", &error.display(lang))
                .finish();
            query = if query.is_empty() { reason } else { format!("{query}&{reason}") };
            Redirect::to(&urls::generator(&query)).into_response()
        }
    }
}
