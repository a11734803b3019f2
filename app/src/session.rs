//! The signed-in account, known while rendering on both sides without a round
//! trip: the server reads it from the request (the auth layer put it there) and
//! writes it onto `<body>`, where the browser reads it when it hydrates. The UI
//! only hides what a role cannot do; the server is what refuses it.

use leptos::prelude::*;
use wxacode::Permission;

use crate::models::accounts::CurrentUser;

#[derive(Clone, Debug)]
struct Signed(Option<CurrentUser>);

pub const USER_ATTRIBUTE: &str = "data-user";
pub const ROLE_ATTRIBUTE: &str = "data-role";

/// Makes the signed-in account available to every component below the caller.
pub fn provide_current_user() {
    provide_context(Signed(read()));
}

pub fn current_user() -> Option<CurrentUser> {
    use_context::<Signed>().and_then(|signed| signed.0)
}

/// Whether the signed-in account may do this.
pub fn can(permission: Permission) -> bool {
    current_user().is_some_and(|user| user.can(permission))
}

#[cfg(feature = "ssr")]
pub fn read() -> Option<CurrentUser> {
    let parts = use_context::<axum::http::request::Parts>()?;
    parts.extensions.get::<crate::backend::actor::Principal>().map(|p| p.current_user())
}

#[cfg(not(feature = "ssr"))]
pub fn read() -> Option<CurrentUser> {
    let email = crate::browser::body_attribute(USER_ATTRIBUTE)?;
    let role = wxacode::Role::parse(&crate::browser::body_attribute(ROLE_ATTRIBUTE)?)?;
    Some(CurrentUser { email, role })
}
