//! Living codes (活码): making one, its settings, its scans, and the sandbox's simulated scan.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::codes::GeneratedCode;
use crate::models::living::{
    CampaignReport, LivingChange, LivingCode, LivingForm, ScanSummary, SimulatedScan,
};

/// Makes a living code: a fresh key, the landing page, the target stored.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn create_living_code(form: LivingForm) -> Result<GeneratedCode, AppError> {
    with_status(
        async {
            let (generated, _) = state()?.living.create(&form, &actor()).await?;
            Ok(generated.into())
        }
        .await,
    )
}

/// The living side of a code; `None` for a direct code.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn get_living(id: i64) -> Result<Option<LivingCode>, AppError> {
    with_status(state()?.living.find(id).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn change_living(id: i64, change: LivingChange) -> Result<LivingCode, AppError> {
    with_status(state()?.living.change(id, &change, &actor()).await)
}

/// Scan counts, days in the reader's zone.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn get_scans(id: i64, tz: Option<String>) -> Result<ScanSummary, AppError> {
    with_status(state()?.living.scans(id, tz.as_deref()).await)
}

/// Sandbox only: resolves the code as the mini program would after a scan (1047), so the
/// whole loop can be seen without a phone. The scan counts like any other.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn simulate_scan(id: i64) -> Result<SimulatedScan, AppError> {
    with_status(
        async {
            let state = state()?;
            let actor = actor();
            let code = state.codes.get(id, &actor).await?;
            if !state.apps.find(&code.appid).await?.sandbox {
                return Err(AppError::rejected(
                    "只有沙箱小程序的码可以模拟扫码；请用手机扫描真实的小程序码",
                    "Only a sandbox app's codes can have scans simulated; scan the real code with a phone",
                ));
            }
            crate::backend::actor::Actor::require(&actor, wxacode::Permission::Generate)?;
            let living = state.living.get(id).await?;
            let hit = crate::backend::living::ScanHit {
                wx_scene: Some(1047),
                client_id: Some("sandbox-simulator".to_owned()),
            };
            let resolution = state.living.resolve(&living.scene, hit).await?;
            // The counts the page reloads next include this scan.
            state.living.flush_scans().await;
            let (status_code, answer) = resolution.answer().ok_or(AppError::NotFound)?;
            Ok(SimulatedScan { status_code, answer })
        }
        .await,
    )
}

/// Scans per campaign label from `from` to `to` (`YYYY-MM-DD`, default the last 30 days),
/// day by day for every campaign, or for `label` alone when `one` (an empty label is the
/// codes without one: a form field cannot tell an empty value from none).
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn get_campaigns(
    from: Option<String>,
    to: Option<String>,
    one: bool,
    label: String,
    tz: Option<String>,
    app: Option<String>,
) -> Result<CampaignReport, AppError> {
    let label = one.then_some(label);
    with_status(
        async {
            let from = crate::models::living::read_day("from", from.as_deref())?;
            let to = crate::models::living::read_day("to", to.as_deref())?;
            let (label, tz, app) = (label.as_deref(), tz.as_deref(), app.as_deref());
            state()?.living.campaigns(from, to, label, tz, app, &actor()).await
        }
        .await,
    )
}
