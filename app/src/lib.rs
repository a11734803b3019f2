#![recursion_limit = "512"]
//! The wxacode web app: pages, components and server functions. With the `ssr`
//! feature it also holds the server-side layer (`backend`): state, SQLite
//! store and the generation service that both the UI and the REST API use.

pub mod error;
pub mod functions;
pub mod i18n;
pub mod models;

mod components;
mod pages;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::header::Header;
use crate::i18n::{provide_lang, tr};
use crate::pages::generator::GeneratorPage;
use crate::pages::not_found::NotFound;

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="zh-CN">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = provide_lang();
    view! {
        <Stylesheet id="leptos" href="/pkg/wxacode.css" />
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        <Meta name="description" content="微信小程序码生成与管理 · WeChat Mini Program code generator" />
        <Title text=move || tr(lang.get(), "小程序码生成器", "Mini Program Code Generator") />
        <Router>
            <Header />
            <main class="page">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=GeneratorPage />
                </Routes>
            </main>
        </Router>
    }
}
