//! The account service against a real database file.

use std::sync::Arc;

use wxacode::{Email, Role};

use super::*;
use crate::backend::actor::{Actor, Source};
use crate::backend::audit::AuditService;
use crate::error::AppError;
use crate::models::accounts::{CurrentUser, SetupStage};

async fn service() -> (AccountService, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let pool =
        crate::backend::db::connect(&format!("sqlite://{}/accounts.db", dir.path().display())).await.unwrap();
    let audit = Arc::new(AuditService::new(pool.clone()));
    (AccountService::new(pool, audit, SessionPolicy::default(), ThrottlePolicy::default()), dir)
}

fn visitor() -> Actor {
    Actor { ip: Some("10.0.0.1".into()), ..Actor::anonymous(Source::Web) }
}

#[tokio::test]
async fn without_an_admin_configured_the_setup_token_creates_one_once() {
    let (accounts, _dir) = service().await;
    let token = accounts.bootstrap(None).await.unwrap().expect("a setup token");
    assert!(accounts.needs_setup().await.unwrap());
    assert_eq!(accounts.setup_state(&token).await.unwrap(), SetupStage::Ready);
    assert_eq!(accounts.setup_state("").await.unwrap(), SetupStage::NeedsLink, "no link: no form");
    assert_eq!(accounts.setup_state("guess").await.unwrap(), SetupStage::NeedsLink);
    let wrong =
        accounts.complete_setup("guess", "boss@example.com", "a long password".into(), &visitor()).await;
    assert!(matches!(wrong, Err(AppError::Rejected { .. })));
    let weak = accounts.complete_setup(&token, "boss@example.com", "short".into(), &visitor()).await;
    assert!(matches!(weak, Err(AppError::Rejected { .. })), "the password rules apply");

    let signed_in = accounts
        .complete_setup(&token, "Boss@Example.com", "a long password".into(), &visitor())
        .await
        .unwrap();
    assert_eq!(signed_in.user, CurrentUser { email: "boss@example.com".into(), role: Role::Admin });
    assert!(signed_in.set_cookie.starts_with("wxacode_session="));
    assert!(!accounts.needs_setup().await.unwrap());
    let again =
        accounts.complete_setup(&token, "eve@example.com", "a long password".into(), &visitor()).await;
    assert!(again.is_err(), "the link works once");
    assert_eq!(accounts.setup_state(&token).await.unwrap(), SetupStage::Done, "a used link says so");
    let Err(AppError::Rejected { message }) = again else { unreachable!() };
    assert!(message.en.contains("sign in instead"), "{message:?}");
    assert_eq!(accounts.bootstrap(None).await.unwrap(), None, "no new token once an account exists");
}

#[tokio::test]
async fn changing_your_password_needs_the_current_one_and_ends_your_other_sessions() {
    let (accounts, _dir) = service().await;
    accounts
        .bootstrap(Some((Email::parse("me@example.com").unwrap(), "first password".into())))
        .await
        .unwrap();
    let here = accounts.sign_in("me@example.com", "first password".into(), &visitor()).await.unwrap();
    let elsewhere = accounts.sign_in("me@example.com", "first password".into(), &visitor()).await.unwrap();
    let here = cookie::session_token(&here.set_cookie).unwrap();
    let elsewhere = cookie::session_token(&elsewhere.set_cookie).unwrap();
    let me = Actor { name: "me@example.com".into(), role: Some(Role::Admin), ..visitor() };

    let wrong =
        accounts.change_own_password("guess".into(), "second password".into(), Some(&here), &me).await;
    assert!(matches!(wrong, Err(AppError::Rejected { .. })));
    let weak = accounts.change_own_password("first password".into(), "short".into(), Some(&here), &me).await;
    assert!(matches!(weak, Err(AppError::Rejected { .. })));
    accounts
        .change_own_password("first password".into(), "second password".into(), Some(&here), &me)
        .await
        .unwrap();

    assert!(accounts.session_principal(&here).await.unwrap().is_some(), "this session stays");
    assert!(accounts.session_principal(&elsewhere).await.unwrap().is_none(), "the others end");
    assert!(accounts.sign_in("me@example.com", "first password".into(), &visitor()).await.is_err());
    assert!(accounts.sign_in("me@example.com", "second password".into(), &visitor()).await.is_ok());
    let key = Actor { name: "API key: ci".into(), ..me };
    let by_key = accounts.change_own_password("x".into(), "a long password".into(), None, &key).await;
    assert!(matches!(by_key, Err(AppError::Forbidden { .. })));
}

#[tokio::test]
async fn a_configured_admin_is_created_only_on_an_empty_database() {
    let (accounts, _dir) = service().await;
    let admin = || Some((Email::parse("root@example.com").unwrap(), "a long password".to_owned()));
    assert_eq!(accounts.bootstrap(admin()).await.unwrap(), None);
    assert!(accounts.sign_in("root@example.com", "a long password".into(), &visitor()).await.is_ok());
    let other = Some((Email::parse("other@example.com").unwrap(), "another password".to_owned()));
    accounts.bootstrap(other).await.unwrap();
    assert!(accounts.sign_in("other@example.com", "another password".into(), &visitor()).await.is_err());
}

#[tokio::test]
async fn a_session_cookie_and_a_key_resolve_to_their_principal_and_nothing_else_does() {
    let (accounts, _dir) = service().await;
    accounts
        .bootstrap(Some((Email::parse("root@example.com").unwrap(), "a long password".into())))
        .await
        .unwrap();
    let signed_in = accounts.sign_in("root@example.com", "a long password".into(), &visitor()).await.unwrap();
    let token = cookie::session_token(&signed_in.set_cookie).unwrap();
    let principal = accounts.session_principal(&token).await.unwrap().unwrap();
    assert_eq!((principal.name.as_str(), principal.role), ("root@example.com", Role::Admin));
    assert!(accounts.session_principal("forged").await.unwrap().is_none());

    let admin = Actor { name: principal.name.clone(), role: Some(Role::Admin), ..visitor() };
    let key = accounts.create_key("ci", Role::Viewer, &admin).await.unwrap();
    let by_key = accounts.key_principal(&key.secret).await.unwrap().unwrap();
    assert_eq!((by_key.name.as_str(), by_key.role), ("API key: ci", Role::Viewer));
    assert!(accounts.key_principal(&token).await.unwrap().is_none(), "a session token is no key");
    let twin = accounts.create_key(" ci ", Role::Member, &admin).await;
    assert!(matches!(twin, Err(AppError::Rejected { .. })), "a live key is named ci already");
    let viewer = Actor { role: Some(Role::Viewer), ..admin.clone() };
    assert!(matches!(accounts.create_key("x", Role::Admin, &viewer).await, Err(AppError::Forbidden { .. })));
}
