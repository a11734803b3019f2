//! The REST API under `/api`, compatible with the original design's clients.
//! Every route is registered through `routes!`, which takes its path and
//! methods from the handler's `#[utoipa::path]`, so the router and the OpenAPI
//! document are made from one description.

mod api_error;
mod apps;
mod audit;
mod batches;
mod brand;
mod codes;
mod docs;
mod files;
pub mod generate_form;
mod health;
mod jump_links;
mod links;
mod living;
mod print;
mod qrcode;
mod resolve_limits;
mod settings;
pub mod share;

use app::backend::AppState;
use axum::Router;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use api_error::{localize_errors, ApiError, ApiLang};
pub use jump_links::follow as follow_jump_link;
pub use resolve_limits::ResolveLimiter;

/// The API's routes and the document that describes them.
pub fn api() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(docs::ApiDoc::openapi())
        .routes(routes!(health::health))
        .routes(routes!(health::ready))
        .routes(routes!(audit::list))
        .routes(routes!(apps::list))
        .routes(routes!(settings::show, settings::change))
        .routes(routes!(qrcode::generate))
        .routes(routes!(codes::list))
        .routes(routes!(codes::archive))
        .routes(routes!(codes::show, codes::delete))
        .routes(routes!(codes::restore))
        .routes(routes!(codes::reissue_share, codes::revoke_share))
        .routes(routes!(codes::set_share_expiry))
        .routes(routes!(codes::set_share_label))
        .routes(routes!(codes::image))
        .routes(routes!(living::create))
        .routes(routes!(living::show, living::change))
        .routes(routes!(living::scans))
        .routes(routes!(living::scans_csv))
        .routes(routes!(living::resolve))
        .routes(routes!(living::campaigns))
        .routes(routes!(links::create, links::list))
        .routes(routes!(links::csv))
        .routes(routes!(links::show))
        .routes(routes!(links::renew))
        .routes(routes!(jump_links::create, jump_links::list))
        .routes(routes!(jump_links::show, jump_links::revoke))
        .routes(routes!(jump_links::qr_svg))
        .routes(routes!(jump_links::qr_png))
        .routes(routes!(batches::create, batches::list))
        .routes(routes!(batches::preview))
        .routes(routes!(batches::template))
        .routes(routes!(batches::show))
        .routes(routes!(batches::events))
        .routes(routes!(batches::pause))
        .routes(routes!(batches::resume))
        .routes(routes!(batches::cancel))
        .routes(routes!(batches::zip))
        .routes(routes!(batches::failed_csv))
        .routes(routes!(print::sheet))
        .routes(routes!(brand::poster))
        .routes(routes!(brand::branded))
        .routes(routes!(brand::code_logo, brand::set_code_logo, brand::remove_code_logo))
        .routes(routes!(brand::app_logo, brand::set_app_logo, brand::remove_app_logo))
        .split_for_parts()
}

/// The API, its document at `/api/openapi.json` and reference at `/api/docs`,
/// and a JSON 404 for every other `/api/…` path.
pub fn api_router() -> Router<AppState> {
    let (api, document) = api();
    api.merge(docs::reference(document))
        .route("/api/{*rest}", axum::routing::any(api_error::unknown_endpoint))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Paths the router serves, read from its debug form (axum offers no other way to list them).
    fn routed_paths(router: &Router<AppState>) -> Vec<String> {
        let debug = format!("{router:?}");
        let mut paths: Vec<String> =
            debug.split('"').filter(|part| part.starts_with("/api/")).map(str::to_owned).collect();
        paths.sort();
        paths.dedup();
        paths
    }

    #[test]
    fn every_route_of_the_api_is_in_the_document() {
        let (router, document) = api();
        let paths = routed_paths(&router);
        assert!(paths.len() >= 15, "the router's paths could not be read: {paths:?}");
        for path in &paths {
            assert!(document.paths.paths.contains_key(path), "{path} is routed but not documented");
        }
    }

    #[test]
    fn every_operation_says_what_it_does_and_how_it_fails() {
        let (_, document) = api();
        let json = serde_json::to_value(&document).unwrap();
        let mut operation_ids = std::collections::HashSet::new();
        for (path, item) in json["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                let what = format!("{method} {path}");
                assert!(operation["description"].is_string() || operation["summary"].is_string(), "{what}");
                let id = operation["operationId"].as_str().unwrap_or_default();
                assert!(operation_ids.insert(id.to_owned()), "{what}: operationId {id:?} is taken");
                let responses = operation["responses"].as_object().unwrap();
                for (status, response) in responses {
                    let described = response["description"].as_str().is_some_and(|d| !d.is_empty());
                    assert!(described, "{what} {status} has no description");
                }
                assert!(responses.keys().any(|s| s.starts_with('2')), "{what} has no success answer");
                if !path.starts_with("/api/health") && path != "/api/r/{scene}" {
                    assert!(responses.contains_key("401"), "{what} does not document 401");
                }
            }
        }
    }
}
