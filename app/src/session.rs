//! The signed-in account, known while rendering on both sides without a round
//! trip: the server reads it from the request (the auth layer put it there) and
//! writes it onto `<body>`, where the browser reads it when it hydrates. The UI
//! only hides what a role cannot do; the server is what refuses it.

use leptos::prelude::*;
use wxacode::Permission;

use crate::models::CurrentUser;

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
    parts.extensions.get::<crate::backend::accounts::Principal>().map(|p| p.current_user())
}

#[cfg(not(feature = "ssr"))]
pub fn read() -> Option<CurrentUser> {
    let email = crate::browser::body_attribute(USER_ATTRIBUTE)?;
    let role = wxacode::Role::parse(&crate::browser::body_attribute(ROLE_ATTRIBUTE)?)?;
    Some(CurrentUser { email, role })
}

/// The sign-in page, set to bring the person back to `back` (a path and query) afterwards.
pub fn sign_in_path(back: &str) -> String {
    let next: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
    format!("/login?next={next}")
}

/// Only a path on this site: `next` comes from the address bar and must not send people elsewhere.
pub fn local_path(next: Option<String>) -> String {
    next.filter(|n| n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\"))
        .unwrap_or_else(|| "/".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(local_path(Some("/history?page=2".into())), "/history?page=2");
        for outside in ["https://evil.example", "//evil.example", "/\\evil.example", "history"] {
            assert_eq!(local_path(Some(outside.into())), "/", "{outside}");
        }
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn the_way_back_survives_the_sign_in_link() {
        assert_eq!(sign_in_path("/?scene=a%3D1&x=2"), "/login?next=%2F%3Fscene%3Da%253D1%26x%3D2");
    }

    #[test]
    fn roles_read_back_from_their_attribute() {
        use wxacode::Role;
        assert_eq!(Role::parse(Role::Viewer.as_str()), Some(Role::Viewer));
    }
}
