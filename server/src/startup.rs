//! Builds the whole application from a [`Config`]: database, WeChat client
//! (or the sandbox simulator), routes; and runs it until asked to stop.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use app::backend::accounts::AccountService;
use app::backend::apps::{AppService, DefaultApp, WeChatSetup};
use app::backend::audit::AuditService;
use app::backend::batches::sheet::MAX_UPLOAD_BYTES;
use app::backend::batches::BatchService;
use app::backend::brand::BrandService;
use app::backend::codes::CodeService;
use app::backend::health::Health;
use app::backend::links::LinkService;
use app::backend::living::LivingService;
use app::backend::print::PrintService;
use app::backend::settings::SettingsService;
use app::backend::{budget, db, AppState};
use app::models::apps::AppView;
use app::models::instance::InstanceInfo;
use app::{shell, App};
use axum::extract::{MatchedPath, Request};
use axum::http::StatusCode;
use axum::serve::ListenerExt;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use metrics_exporter_prometheus::PrometheusHandle;
use secrecy::{ExposeSecret, SecretString};
use tokio::net::TcpListener;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use url::Url;
use wxacode::client::Budget;
use wxacode::simulator::{SimulatorConfig, SimulatorHandle, SANDBOX_APPID, SANDBOX_SECRET};
use wxacode::{mini_program, WeChatClient, WeChatConfig};

use crate::config::{Config, WeChatMode};
use crate::routes;

struct MetricsServer {
    listener: TcpListener,
    router: Router,
    handle: PrometheusHandle,
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    addr: SocketAddr,
    /// Its buffered scan events are written when the server stops.
    living: Arc<LivingService>,
    /// `/metrics` on its own address, when `WXACODE_METRICS_ADDR` asks for it.
    metrics: Option<MetricsServer>,
    // Kept alive for as long as the app runs.
    _sandbox: SimulatorHandle,
}

impl Application {
    /// Binds `leptos_options.site_addr` (port 0 picks a free one) and prepares every route.
    pub async fn build(config: Config, mut leptos_options: LeptosOptions) -> anyhow::Result<Self> {
        let listener = TcpListener::bind(leptos_options.site_addr)
            .await
            .with_context(|| format!("cannot listen on {}", leptos_options.site_addr))?;
        let addr = listener.local_addr().context("listening address")?;
        leptos_options.site_addr = addr;

        // Before anything counts, so no early figure goes to the no-op recorder.
        let metrics = match config.metrics_addr {
            Some(addr) => {
                let handle = crate::metrics::recorder()?;
                let listener = TcpListener::bind(addr)
                    .await
                    .with_context(|| format!("cannot listen for metrics on {addr} (WXACODE_METRICS_ADDR)"))?;
                Some((listener, handle))
            }
            None => None,
        };
        let pool = db::connect(&config.database_url)
            .await
            .with_context(|| format!("cannot open the database {}", config.database_url))?;

        // Sandbox apps (and sandbox mode's default app) get their codes from this simulator.
        let simulator_addr = match &config.wechat {
            WeChatMode::Live { .. } => SocketAddr::from(([127, 0, 0, 1], 0)),
            WeChatMode::Sandbox { simulator_addr } => *simulator_addr,
        };
        let simulator = SimulatorHandle::spawn(SimulatorConfig::default(), simulator_addr)
            .await
            .with_context(|| format!("cannot start the sandbox WeChat simulator on {simulator_addr}"))?;
        let wechat_config = match &config.wechat {
            WeChatMode::Live { api_base, appid, secret } => {
                WeChatConfig::new(api_base.clone(), appid.clone(), secret.clone())
            }
            WeChatMode::Sandbox { .. } => {
                tracing::warn!(
                    simulator = %simulator.addr(),
                    "SANDBOX MODE: WECHAT_APPID is not set, codes come from the built-in WeChat simulator"
                );
                let secret = SecretString::from(SANDBOX_SECRET);
                WeChatConfig::new(simulator.base_url(), SANDBOX_APPID, secret)
            }
        };
        let sandbox = config.is_sandbox();
        let setup = WeChatSetup {
            api_base: wechat_config.api_base.clone(),
            sandbox_base: simulator.base_url(),
            timeout: config.wechat_timeout,
            connect_timeout: config.wechat_timeout.min(wechat_config.connect_timeout),
            calls_per_minute: config.calls_per_minute,
        };
        let wechat_config = WeChatConfig {
            timeout: config.wechat_timeout,
            calls_per_minute: config.calls_per_minute,
            connect_timeout: config.wechat_timeout.min(wechat_config.connect_timeout),
            ..wechat_config
        };
        let calls = Budget::per_minute(wechat_config.calls_per_minute);
        let appid = wechat_config.appid.clone();
        let mut wechat = WeChatClient::new(wechat_config).context("WeChat client")?;
        // Replicas on one database share the AppID's budgets through it.
        if let Some((codes, links)) = budget::shared_pacers(&pool, &appid, calls, WeChatClient::link_budget())
        {
            wechat = wechat.paced_by(codes, links);
        }
        let wechat = Arc::new(wechat);
        let default_app = DefaultApp {
            view: AppView {
                appid: wechat.appid().to_owned(),
                name: String::new(),
                colour: mini_program::suggested_colour(0).to_owned(),
                initials: String::new(),
                sandbox,
                from_env: true,
                landing_page: config.living.landing_page.clone(),
                published_pages: Vec::new(),
                env_version: wxacode::EnvVersion::Release.as_str().to_owned(),
                has_secret: true,
                updated_at: String::new(),
            },
            client: Arc::clone(&wechat),
        };
        let public_url = match config.public_url.clone() {
            Some(url) => url,
            None => {
                Url::parse(&format!("http://{addr}/")).context("public URL from the listening address")?
            }
        };
        let audit = Arc::new(AuditService::new(pool.clone()));
        let apps = Arc::new(
            AppService::start(
                pool.clone(),
                Arc::clone(&audit),
                default_app,
                setup,
                config.secret_key.clone(),
            )
            .await
            .context("mini programs")?,
        );
        let codes = Arc::new(CodeService::new(pool.clone(), Arc::clone(&apps), Arc::clone(&audit)));
        let living = Arc::new(
            LivingService::start(pool.clone(), Arc::clone(&codes), Arc::clone(&audit), config.living.clone())
                .await
                .context("starting living codes")?,
        );
        let links = Arc::new(LinkService::new(pool.clone(), Arc::clone(&codes), Arc::clone(&audit)));
        let batches = Arc::new(BatchService::new(
            pool.clone(),
            Arc::clone(&codes),
            Arc::clone(&living),
            Arc::clone(&links),
            Arc::clone(&audit),
            config.batch_runner.clone(),
        ));
        let print = Arc::new(PrintService::new(
            Arc::clone(&codes),
            Arc::clone(&batches),
            Arc::clone(&audit),
            &config.print_font,
        ));
        let brand = Arc::new(BrandService::new(
            pool.clone(),
            Arc::clone(&codes),
            Arc::clone(&print),
            Arc::clone(&audit),
        ));
        let settings = Arc::new(SettingsService::new(pool.clone(), Arc::clone(&apps), Arc::clone(&audit)));
        let accounts = Arc::new(AccountService::new(
            pool.clone(),
            Arc::clone(&audit),
            config.sessions.clone(),
            config.sign_in_throttle.clone(),
        ));
        let first_admin =
            config.first_admin.as_ref().map(|a| (a.email.clone(), a.password.expose_secret().to_owned()));
        if let Some(token) = accounts.bootstrap(first_admin).await.context("creating the first admin")? {
            // The one time a secret goes to the log, by design: whoever runs the server
            // reads it there and nobody else can. It works once, until the next restart.
            let link = public_url.join(&format!("setup?token={token}")).context("setup link")?;
            tracing::warn!(
                "No account exists yet. Create the first admin at {link} \
                 (or set WXACODE_ADMIN_EMAIL and WXACODE_ADMIN_PASSWORD and restart)"
            );
        }
        let state = AppState {
            leptos_options: leptos_options.clone(),
            instance: InstanceInfo {
                sandbox,
                appid: wechat.appid().to_owned(),
                public_url: public_url.as_str().trim_end_matches('/').to_owned(),
                landing_page: living.landing_page().to_owned(),
            },
            codes,
            apps,
            living: Arc::clone(&living),
            links,
            batches,
            print,
            brand,
            settings,
            accounts,
            audit,
            health: Arc::new(Health::new(pool)),
        };
        let resumed = state.batches.resume_unfinished().await.context("resuming batch jobs")?;
        if resumed > 0 {
            tracing::info!(jobs = resumed, "resumed unfinished batch jobs");
        }
        let limits = Arc::new(routes::ResolveLimiter::new(config.resolve_limits));
        let health = Arc::clone(&state.health);
        let router = router(state, config.trust_proxy, limits, metrics.is_some());
        let metrics = metrics.map(|(listener, handle)| MetricsServer {
            listener,
            router: crate::metrics::router(handle.clone(), health),
            handle,
        });
        Ok(Self { listener, router, addr, living, metrics, _sandbox: simulator })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Where `/metrics` answers, when it does.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().and_then(|metrics| metrics.listener.local_addr().ok())
    }

    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        tracing::info!(addr = %self.addr, "wxacode listening on http://{}", self.addr);
        // Peer addresses reach the audit trail.
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        // Pages stream in several writes: without TCP_NODELAY, Nagle's algorithm and the
        // client's delayed ACK hold a page's tail back ~40 ms.
        let listener = self.listener.tap_io(|tcp| {
            if let Err(error) = tcp.set_nodelay(true) {
                tracing::warn!(%error, "cannot set TCP_NODELAY");
            }
        });
        let metrics_tasks = self.metrics.map(|metrics| {
            tracing::info!(addr = ?metrics.listener.local_addr().ok(), "metrics on /metrics");
            let serve = tokio::spawn(async move {
                if let Err(error) = axum::serve(metrics.listener, metrics.router).await {
                    tracing::error!(%error, "the metrics server stopped");
                }
            });
            [serve, tokio::spawn(crate::metrics::upkeep(metrics.handle))]
        });
        let served = axum::serve(listener, service).with_graceful_shutdown(shutdown).await;
        for task in metrics_tasks.into_iter().flatten() {
            task.abort();
        }
        // Every request has been answered: the scans they resolved go to the database now.
        self.living.shutdown().await;
        tracing::info!("scan events written; stopped");
        served
    }
}

/// Well above the largest upload, so an oversized sheet still gets its explanation.
const MAX_REQUEST_BODY: usize = 4 * MAX_UPLOAD_BYTES;

/// Longer than the worst WeChat call (timeout plus retries), short of a browser giving up.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

fn router(state: AppState, trust_proxy: bool, limits: Arc<routes::ResolveLimiter>, metrics: bool) -> Router {
    let leptos_options = state.leptos_options.clone();
    let hashed_files = leptos_options.hash_files;
    let page_routes = generate_route_list(App);
    let context_state = state.clone();
    let app = Router::new()
        .merge(routes::api_router())
        .route(app::urls::GENERATE_FORM, axum::routing::post(routes::generate_form::submit))
        .route(app::urls::JUMP_ROUTE, axum::routing::get(routes::follow_jump_link))
        .leptos_routes_with_context(
            &state,
            page_routes,
            move || {
                provide_context(context_state.clone());
                crate::security::provide_page_policy();
            },
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(axum::Extension(limits))
        .layer(axum::middleware::from_fn_with_state(state.clone(), routes::share::share_image))
        // Outside the share-image layer: share links stay public, everything else needs a principal.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::auth::authenticate))
        // Outside everything that can fail a request: each failure in the client's language.
        .layer(axum::middleware::from_fn(routes::localize_errors))
        // A request that has not answered by then never will (a stuck render, a wedged
        // upstream): free the connection with a clear status instead of hanging the client.
        .layer(TimeoutLayer::with_status_code(StatusCode::SERVICE_UNAVAILABLE, REQUEST_TIMEOUT))
        // A ceiling for every body (server functions read theirs whole). Uploads stop at
        // MAX_UPLOAD_BYTES in their handler, with a clear error; JSON routes at 2 MB.
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY))
        .layer(axum::middleware::from_fn(move |request, next| {
            crate::delivery::cache_site_files(hashed_files, request, next)
        }))
        .layer(crate::delivery::compression());
    let app = match metrics {
        true => app.layer(axum::middleware::from_fn(crate::metrics::track_requests)),
        false => app,
    };
    let app = app
        .layer(TraceLayer::new_for_http().make_span_with(|request: &Request| {
            let route = request.extensions().get::<MatchedPath>().map(MatchedPath::as_str);
            let request_id = crate::request_id::of(request);
            tracing::info_span!("http", method = %request.method(), route, path = %request.uri().path(), request_id)
        }))
        .with_state(state);
    let app = match trust_proxy {
        true => app.layer(axum::middleware::from_fn(crate::client_ip::from_forwarded_for)),
        false => app,
    };
    crate::security::with_response_headers(crate::request_id::layer(app, trust_proxy))
}

/// The runtime the server runs on. Leptos 0.8's streaming SSR can stall for good when
/// tokio has a single worker (leptos-rs/leptos#4647), so never fewer than four workers,
/// however few CPUs the machine has.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    crate::share_one_c_heap();
    let cpus = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    tokio::runtime::Builder::new_multi_thread().worker_threads(cpus.max(4)).enable_all().build()
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
