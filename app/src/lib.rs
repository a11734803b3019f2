#![recursion_limit = "512"]
//! The wxacode web app: pages, components and server functions. With the `ssr`
//! feature it also holds the server-side layer (`backend`): one service and one
//! store per domain, which both the UI and the REST API use.
//!
//! Layers, lowest first (each imports only from those before it): `urls`,
//! `browser`, `clock`, `i18n`, `error`; `models`; `session`, `form_query`; `functions`
//! (and, on the server, `backend`); `components`; `pages`; `routes`.

mod browser;
pub mod clock;
pub mod error;
pub mod form_query;
pub mod functions;
pub mod i18n;
pub mod models;
pub mod session;
pub mod urls;
pub mod wire;

mod components;
mod pages;
mod routes;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, Link, Meta, MetaTags, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};

use crate::components::header::Header;
use crate::components::module_preloads::ModulePreloads;
use crate::components::toast::{provide_toasts, ToastHost};
use crate::i18n::{app_title, provide_lang};
use crate::pages::generator::GeneratorPage;
use crate::pages::not_found::NotFound;
use crate::routes::*;

/// In the browser, before hydration: fetches the code of what the server rendered that is not
/// in the main bundle and is not a page's own chunk (the generator's parts, when sent showing).
/// False when it could not be fetched: the page stays as served (hydrating it would fail), with
/// a line at its top that says so and its forms' buttons disabled.
#[cfg(feature = "hydrate")]
pub async fn before_hydration() -> bool {
    if pages::generator::slot::load_if_sent().await {
        return true;
    }
    browser::stop_page(routes::page_code_missing().get(i18n::request_lang()));
    false
}

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
                <HydrationScripts options=options.clone() />
                <ModulePreloads options />
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
    // True from a click on a link until the new page is ready (its code and data may be on the way).
    let routing = RwSignal::new(false);
    // The server writes times on the reader's clock from the next page on.
    #[cfg(feature = "hydrate")]
    Effect::new(|_| clock::remember_zone());
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
        <Router set_is_routing=routing.write_only()>
            // Shown only once a wait is long enough to notice (style/main.css): the old page
            // stays until the new one is ready, and without it a slow click looked ignored.
            <div class="route-progress" class:active=move || routing.get() aria-hidden="true"></div>
            <Routes fallback=|| view! { <Dashboard><NotFound /></Dashboard> }>
                <ParentRoute path=path!("") view=|| view! { <Dashboard><Outlet /></Dashboard> }>
                    <Route path=path!("") view=GeneratorPage />
                    <Route path=path!("history") view={Lazy::<HistoryRoute>::new()} />
                    // Async: a code that does not exist must answer 404, known only once looked up.
                    <Route path=path!("codes/:id") view={Lazy::<CodeRoute>::new()} ssr=SsrMode::Async />
                    <Route path=path!("batches") view={Lazy::<BatchesRoute>::new()} />
                    <Route path=path!("campaigns") view={Lazy::<CampaignsRoute>::new()} />
                    <Route path=path!("print") view={Lazy::<PrintRoute>::new()} />
                    <Route path=path!("links") view={Lazy::<LinksRoute>::new()} />
                    <Route path=path!("audit") view={Lazy::<AuditRoute>::new()} />
                    <Route path=path!("users") view={Lazy::<UsersRoute>::new()} />
                    <Route path=path!("keys") view={Lazy::<KeysRoute>::new()} />
                    <Route path=path!("apps") view={Lazy::<AppsRoute>::new()} />
                    <Route path=path!("settings") view={Lazy::<SettingsRoute>::new()} />
                    <Route path=path!("account") view={Lazy::<AccountRoute>::new()} />
                </ParentRoute>
                <Route path=path!("s/:token") view={Lazy::<ShareRoute>::new()} ssr=SsrMode::Async />
                <Route path=path!("login") view={Lazy::<SignInRoute>::new()} />
                <Route path=path!("setup") view={Lazy::<SetupRoute>::new()} />
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
