//! WeChat links and permanent jump links for the dashboard.

use leptos::prelude::*;

#[cfg(feature = "ssr")]
use super::context::{actor, state, with_status};
use crate::error::AppError;
use crate::models::links::{JumpForm, JumpLink, Link, LinkFilter, LinkForm, LinkPage};

/// Links per page of the links list.
pub const PAGE_SIZE: u32 = 50;

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn create_link(form: LinkForm) -> Result<Link, AppError> {
    with_status(state()?.links.create(&form, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn list_links(filter: LinkFilter, before: Option<i64>) -> Result<LinkPage, AppError> {
    with_status(state()?.links.list(&filter, PAGE_SIZE, before, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn renew_link(id: i64) -> Result<Link, AppError> {
    with_status(state()?.links.renew(id, &actor()).await)
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer, input = server_fn::codec::Json)]
pub async fn create_jump_link(form: JumpForm) -> Result<JumpLink, AppError> {
    with_status(state()?.links.create_jump(&form, &actor()).await)
}

/// Newest first (the first 200), those of `code` only, or matching `q`, when given.
#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn list_jump_links(code: Option<i64>, q: Option<String>) -> Result<Vec<JumpLink>, AppError> {
    let page = crate::models::links::MAX_PAGE;
    let jumps = state()?.links.jumps(code, q.as_deref(), page, None, &actor()).await;
    with_status(jumps.map(|(jumps, _)| jumps))
}

#[server(prefix = "/rpc", output = crate::wire::JsonAnswer)]
pub async fn revoke_jump_link(id: i64) -> Result<JumpLink, AppError> {
    with_status(state()?.links.revoke_jump(id, &actor()).await)
}
