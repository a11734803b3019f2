#![recursion_limit = "512"]
//! The wxacode web app: pages, components and server functions. With the `ssr`
//! feature it also holds the server-side layer (`backend`): one service and one
//! store per domain, which both the UI and the REST API use.
//!
//! Layers, lowest first (each imports only from those before it): `urls`,
//! `i18n`, `browser`, `error`; `models`; `session`, `form_query`; `functions`
//! (and, on the server, `backend`); `components`; `pages`.

mod browser;
pub mod error;
pub mod form_query;
pub mod functions;
pub mod i18n;
pub mod models;
pub mod session;
pub mod urls;

mod components;
mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};

use crate::components::header::Header;
use crate::components::read_only::AdminOnly;
use crate::components::toast::{provide_toasts, ToastHost};
use crate::i18n::{app_title, provide_lang};
use crate::pages::account::AccountPage;
use crate::pages::api_keys::ApiKeysPage;
use crate::pages::apps::AppsPage;
use crate::pages::audit::AuditPage;
use crate::pages::batches::BatchesPage;
use crate::pages::campaigns::CampaignsPage;
use crate::pages::code_detail::CodeDetailPage;
use crate::pages::generator::GeneratorPage;
use crate::pages::history::HistoryPage;
use crate::pages::links::LinksPage;
use crate::pages::not_found::NotFound;
use crate::pages::print::PrintPage;
use crate::pages::settings::SettingsPage;
use crate::pages::share::SharePage;
use crate::pages::sign_in::{SetupPage, SignInPage};
use crate::pages::users::UsersPage;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let user = session::read();
    let role = user.as_ref().map(|u| u.role.as_str());
    let email = user.map(|u| u.email);
    let lang = i18n::request_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.locale()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // The stylesheet's name carries its content hash in release builds.
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body data-user=email data-role=role>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();
    session::provide_current_user();
    provide_toasts();
    // A language switch in the browser relabels the document (screen readers, translation).
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", lang.get().locale());
        }
    });
    view! {
        <Link rel="icon" type_="image/svg+xml" href=urls::FAVICONS[0] />
        <Meta name="description" content="微信小程序码生成与管理 · WeChat Mini Program code generator" />
        // Plain text, not a closure: leptos_meta reads a reactive title while finishing an
        // async (share page) response, outside the request's reactive arena, and panics.
        <Title text=app_title(lang.get_untracked()) />
        <Router>
            <Routes fallback=|| view! { <Dashboard><NotFound /></Dashboard> }>
                <ParentRoute path=path!("") view=|| view! { <Dashboard><Outlet /></Dashboard> }>
                    <Route path=path!("") view=GeneratorPage />
                    <Route path=path!("history") view=HistoryPage />
                    // Async: a code that does not exist must answer 404, known only once looked up.
                    <Route path=path!("codes/:id") view=CodeDetailPage ssr=SsrMode::Async />
                    <Route path=path!("batches") view=BatchesPage />
                    <Route path=path!("campaigns") view=CampaignsPage />
                    <Route path=path!("print") view=PrintPage />
                    <Route path=path!("links") view=LinksPage />
                    <Route path=path!("audit") view=|| view! { <AdminOnly><AuditPage /></AdminOnly> } />
                    <Route path=path!("users") view=|| view! { <AdminOnly><UsersPage /></AdminOnly> } />
                    <Route path=path!("keys") view=|| view! { <AdminOnly><ApiKeysPage /></AdminOnly> } />
                    <Route path=path!("apps") view=|| view! { <AdminOnly><AppsPage /></AdminOnly> } />
                    <Route path=path!("settings") view=SettingsPage />
                    <Route path=path!("account") view=AccountPage />
                </ParentRoute>
                <Route path=path!("s/:token") view=SharePage ssr=SsrMode::Async />
                <Route path=path!("login") view=SignInPage />
                <Route path=path!("setup") view=SetupPage />
            </Routes>
            <ToastHost />
        </Router>
    }
}

/// The chrome of every dashboard page; share pages go without it.
#[component]
fn Dashboard(children: Children) -> impl IntoView {
    crate::components::app_badge::provide_app_choices();
    view! {
        <Header />
        <main class="page" id="main" tabindex="-1">{children()}</main>
    }
}
