//! Pages loaded on demand. The generator (the first page, but for its parts that load on demand:
//! `pages::generator::slot`) and the not-found page come with the bundle; the other pages come
//! in four groups, each a wasm chunk (split by `xtask` at the functions below) fetched when a
//! person first opens one of its pages. A page rendered by the server names its group's chunks,
//! so the browser fetches them beside the bundle.
//!
//! A chunk that cannot be fetched (the site was deployed anew since the page loaded, and the old
//! chunks are gone) loads the page afresh, with the new bundle, instead of stopping the app.

use leptos::prelude::*;
use leptos_router::LazyRoute;

use crate::components::read_only::AdminOnly;
use crate::pages::account::AccountPage;
use crate::pages::api_keys::ApiKeysPage;
use crate::pages::apps::AppsPage;
use crate::pages::audit::AuditPage;
use crate::pages::batches::BatchesPage;
use crate::pages::campaigns::CampaignsPage;
use crate::pages::code_detail::CodeDetailPage;
use crate::pages::history::HistoryPage;
use crate::pages::links::LinksPage;
use crate::pages::print::PrintPage;
use crate::pages::settings::SettingsPage;
use crate::pages::share::SharePage;
use crate::pages::sign_in::{SetupPage, SignInPage};
use crate::pages::users::UsersPage;

/// Pages that load together, one chunk a group: more groups would mean more, smaller chunks
/// (the code two groups share is a chunk of its own) and more requests for a page.
#[derive(Clone, Copy)]
pub enum ReviewPage {
    History,
    Code,
}

#[derive(Clone, Copy)]
pub enum CampaignPage {
    Batches,
    Campaigns,
    Print,
    Links,
}

#[derive(Clone, Copy)]
pub enum AdminPage {
    Audit,
    Users,
    Keys,
    Apps,
    Settings,
    Account,
}

#[derive(Clone, Copy)]
pub enum PublicPage {
    Share,
    SignIn,
    Setup,
}

fn review_view(page: ReviewPage) -> AnyView {
    match page {
        ReviewPage::History => view! { <HistoryPage /> }.into_any(),
        ReviewPage::Code => view! { <CodeDetailPage /> }.into_any(),
    }
}

fn campaign_view(page: CampaignPage) -> AnyView {
    match page {
        CampaignPage::Batches => view! { <BatchesPage /> }.into_any(),
        CampaignPage::Campaigns => view! { <CampaignsPage /> }.into_any(),
        CampaignPage::Print => view! { <PrintPage /> }.into_any(),
        CampaignPage::Links => view! { <LinksPage /> }.into_any(),
    }
}

fn admin_view(page: AdminPage) -> AnyView {
    match page {
        AdminPage::Audit => view! { <AdminOnly><AuditPage /></AdminOnly> }.into_any(),
        AdminPage::Users => view! { <AdminOnly><UsersPage /></AdminOnly> }.into_any(),
        AdminPage::Keys => view! { <AdminOnly><ApiKeysPage /></AdminOnly> }.into_any(),
        AdminPage::Apps => view! { <AdminOnly><AppsPage /></AdminOnly> }.into_any(),
        AdminPage::Settings => view! { <SettingsPage /> }.into_any(),
        AdminPage::Account => view! { <AccountPage /> }.into_any(),
    }
}

fn public_view(page: PublicPage) -> AnyView {
    match page {
        PublicPage::Share => view! { <SharePage /> }.into_any(),
        PublicPage::SignIn => view! { <SignInPage /> }.into_any(),
        PublicPage::Setup => view! { <SetupPage /> }.into_any(),
    }
}

/// A group's chunk could not be fetched.
#[cfg(feature = "hydrate")]
pub struct ChunkMissing;

#[cfg(feature = "hydrate")]
impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

/// The split point of a group: in the browser an async call that first fetches the group's
/// chunk (`$preload` fetches it alone); on the server a plain call that notes the chunk for the
/// page to name. The split's name is the manifest's key for both.
macro_rules! page_group {
    ($group:ident($page:ty) => $view:ident, $preload:ident) => {
        #[cfg(feature = "hydrate")]
        #[leptos::wasm_split::wasm_split($group, wasm_split_path = ::leptos::wasm_split, fallible, preload($preload))]
        fn $group(page: $page) -> Result<AnyView, ChunkMissing> {
            Ok($view(page))
        }

        #[cfg(not(feature = "hydrate"))]
        fn $group(page: $page) -> AnyView {
            leptos::prefetch_lazy_fn_on_server(stringify!($group));
            $view(page)
        }
    };
}

page_group!(review_pages(ReviewPage) => review_view, preload_review_pages);
page_group!(campaign_pages(CampaignPage) => campaign_view, preload_campaign_pages);
page_group!(admin_pages(AdminPage) => admin_view, preload_admin_pages);
page_group!(public_pages(PublicPage) => public_view, preload_public_pages);
/// What a page says when the code it needs could not be fetched while it was starting.
#[cfg(feature = "hydrate")]
pub fn page_code_missing() -> wxacode::Message {
    wxacode::Message::new(
        "页面代码未能载入，请刷新重试。",
        "This page's code did not load: reload to try again.",
    )
}

/// Loads the page being opened afresh, from the server, when its chunk is gone: the site was
/// deployed anew since this page loaded. Not while the page hydrates: its chunks came with it,
/// and loading it again would only loop.
#[cfg(feature = "hydrate")]
fn reload_page() -> AnyView {
    use crate::i18n::{tr, use_lang};
    let lang = use_lang();
    if crate::browser::body_attribute("data-hydrated").is_none() {
        return view! { <p role="alert">{move || page_code_missing().get(lang.get()).to_owned()}</p> }
            .into_any();
    }
    let url = leptos_router::hooks::use_url().get_untracked();
    let search = if url.search().is_empty() { String::new() } else { format!("?{}", url.search()) };
    crate::browser::go_to(&format!("{}{search}{}", url.path(), url.hash()));
    view! { <p class="muted">{move || tr(lang.get(), "正在载入新版本…", "Loading the new version…")}</p> }
        .into_any()
}

/// A route whose view is its group's chunk. It needs no data before the view loads: each page
/// starts its own resources.
macro_rules! lazy_page {
    ($route:ident => $group:ident($page:expr), $preload:ident) => {
        pub struct $route;

        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            async fn view(_route: Self) -> AnyView {
                #[cfg(feature = "hydrate")]
                return $group($page).await.unwrap_or_else(|ChunkMissing| reload_page());
                #[cfg(not(feature = "hydrate"))]
                $group($page)
            }

            // The router awaits this before it hydrates the page: the view must then be ready
            // at once, or the browser renders something other than the server sent.
            async fn preload() {
                #[cfg(feature = "hydrate")]
                if $preload().await.is_err() {
                    reload_page();
                }
            }
        }
    };
}

lazy_page!(HistoryRoute => review_pages(ReviewPage::History), preload_review_pages);
lazy_page!(CodeRoute => review_pages(ReviewPage::Code), preload_review_pages);
lazy_page!(BatchesRoute => campaign_pages(CampaignPage::Batches), preload_campaign_pages);
lazy_page!(CampaignsRoute => campaign_pages(CampaignPage::Campaigns), preload_campaign_pages);
lazy_page!(PrintRoute => campaign_pages(CampaignPage::Print), preload_campaign_pages);
lazy_page!(LinksRoute => campaign_pages(CampaignPage::Links), preload_campaign_pages);
lazy_page!(AuditRoute => admin_pages(AdminPage::Audit), preload_admin_pages);
lazy_page!(UsersRoute => admin_pages(AdminPage::Users), preload_admin_pages);
lazy_page!(KeysRoute => admin_pages(AdminPage::Keys), preload_admin_pages);
lazy_page!(AppsRoute => admin_pages(AdminPage::Apps), preload_admin_pages);
lazy_page!(SettingsRoute => admin_pages(AdminPage::Settings), preload_admin_pages);
lazy_page!(AccountRoute => admin_pages(AdminPage::Account), preload_admin_pages);
lazy_page!(ShareRoute => public_pages(PublicPage::Share), preload_public_pages);
lazy_page!(SignInRoute => public_pages(PublicPage::SignIn), preload_public_pages);
lazy_page!(SetupRoute => public_pages(PublicPage::Setup), preload_public_pages);
