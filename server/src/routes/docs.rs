//! The API's description: an OpenAPI 3.1 document generated from the handlers'
//! `#[utoipa::path]` attributes and the request and answer types, served at
//! `/api/openapi.json`, and a readable reference at `/api/docs` (Swagger UI,
//! vendored from crates.io, so it works on a network without internet).

use app::models::batches::BatchRejection;
use app::models::errors::ErrorBody;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::OpenApi as Document;
use utoipa::{IntoResponses, Modify, OpenApi};
use utoipa_swagger_ui::{Config, SwaggerUi};

use app::urls;

/// The name the document gives `Authorization: Bearer <key>` (the `security` attribute repeats it).
pub const SECURITY_SCHEME: &str = "api_key";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "wxacode",
        description = "Generate WeChat Mini Program codes (小程序码) through `getUnlimitedQRCode`, keep every \
                       code, and download or share it again.\n\nEvery endpoint but `/api/health` and `/api/health/ready` needs \
                       `Authorization: Bearer <key>` (an admin makes keys on the dashboard's API keys page). \
                       Errors are always `{\"success\": false, \"error\": \"…\"}`, in Chinese, or English with \
                       `Accept-Language: en`.",
    ),
    modifiers(&BearerKey),
    security(("api_key" = [])),
    tags(
        (name = "codes", description = "Generate, list, download, delete and share codes"),
        (name = "living", description = "Living codes (活码): a short key in the printed scene, a target that can \
                                          change after printing, scan counts; and the resolve API the mini program calls"),
        (name = "links", description = "WeChat links that open the mini program from SMS, e-mail and H5 pages: \
                                         URL Link, URL Scheme and Short Link, kept, listed and renewed"),
        (name = "batches", description = "One code per row of a spreadsheet, as a background job"),
        (name = "print", description = "Label sheets (PDF) to print codes on sticker paper"),
        (name = "brand", description = "Centre logos per app or code, and renditions drawn from a code's original: \
                                         the code with its logo, and a poster with its caption"),
        (name = "settings", description = "The team's settings: the template downloads and ZIP entries are \
                                            named by (admins change it)"),
        (name = "apps", description = "The mini programs a key may use; `app` (an AppID) on generate, batch \
                                        and link requests picks one, and without it the default app is used"),
        (name = "audit", description = "Who did what (admins)"),
        (name = "health", description = "Whether the instance can serve"),
    ),
    components(schemas(ErrorBody, BatchRejection))
)]
pub struct ApiDoc;

/// `Authorization: Bearer <key>`.
struct BearerKey;

impl Modify for BearerKey {
    fn modify(&self, openapi: &mut Document) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("An API key (`wxa_…`) made on the dashboard's API keys page."))
            .build();
        components.add_security_scheme(SECURITY_SCHEME, SecurityScheme::Http(scheme));
    }
}

/// The reference page and the document it reads.
pub fn reference(document: Document) -> SwaggerUi {
    let config = Config::new([urls::API_OPENAPI])
        .try_it_out_enabled(true)
        .persist_authorization(true)
        .display_request_duration(true)
        // Swagger UI would send the document to an online validator.
        .validator_url("none");
    SwaggerUi::new(urls::API_DOCS).url(urls::API_OPENAPI, document).config(config)
}

/// Failures of a read.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum ReadErrors {
    /// A parameter could not be read.
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// No such code or job.
    #[response(status = 404)]
    NotFound(ErrorBody),
}

/// Failures of a change to a code or job.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum ChangeErrors {
    /// The request breaks a rule or could not be read.
    #[response(status = 400)]
    Rejected(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// The role does not allow it (viewers change nothing).
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such code or job.
    #[response(status = 404)]
    NotFound(ErrorBody),
}

/// Failures of a generation.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum GenerateErrors {
    /// The request breaks a rule: every problem is listed in `problems`; or the body is not JSON.
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Viewers cannot generate.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// A JSON body over 2 MB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
    /// WeChat answered an error (`errcode` included, with a human message).
    #[response(status = 502)]
    WeChat(ErrorBody),
    /// WeChat could not be reached, or the connection dropped.
    #[response(status = 503)]
    Unreachable(ErrorBody),
    /// WeChat did not answer in time.
    #[response(status = 504)]
    Timeout(ErrorBody),
}

/// Failures of a batch upload.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum UploadErrors {
    /// Invalid rows (all listed, with `allow_invalid=false`), no scene column (`headers` listed),
    /// or a file that is no CSV or XLSX.
    #[response(status = 400)]
    Rejected(BatchRejection),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Viewers cannot start jobs.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// An upload over 20 MB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
}

/// Failures of an admin's read.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum AdminReadErrors {
    /// A parameter could not be read.
    #[response(status = 400)]
    Malformed(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Only admins read it.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}

/// Failures of a label sheet.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum PrintErrors {
    /// The sheet breaks a rule (every problem is listed in `problems`: unknown sheet, cells too
    /// small to scan, start cell or copies out of range, unknown or too many lines), no or more
    /// than one source, or more than 500 codes or 2000 labels.
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// A code or job that does not exist (or of an app the key may not use), or a label no live
    /// code carries.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// The server has no print font (`WXACODE_PRINT_FONT`).
    #[response(status = 503)]
    Unavailable(ErrorBody),
}

/// Failures of a logo upload.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum LogoErrors {
    /// Not a PNG or JPEG, or over 4096 pixels a side.
    #[response(status = 400)]
    Rejected(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Viewers change no logo; only admins change an app's.
    #[response(status = 403)]
    Forbidden(ErrorBody),
    /// No such code or app.
    #[response(status = 404)]
    NotFound(ErrorBody),
    /// Over 1 MB.
    #[response(status = 413)]
    TooLarge(ErrorBody),
}

/// Failures of reading the team's settings.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum SettingsReadErrors {
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
}

/// Failures of a change to the team's settings.
#[derive(IntoResponses)]
#[expect(dead_code, reason = "describes answers for the document; handlers fail through ApiError")]
pub enum SettingsErrors {
    /// The template breaks a rule (listed in `problems`: unknown field, unclosed `{`, no field at
    /// all, over 200 characters), or the body is not JSON.
    #[response(status = 400)]
    Invalid(ErrorBody),
    /// No key (or a wrong or revoked one), and no live session.
    #[response(status = 401)]
    Unauthorized(ErrorBody),
    /// Only admins change them.
    #[response(status = 403)]
    Forbidden(ErrorBody),
}
