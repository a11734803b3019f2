#![recursion_limit = "512"]
//! The wxacode HTTP server: configuration, wiring and the REST API. The pages
//! and server functions come from the `app` crate, the WeChat client and
//! simulator from `wxacode`.

pub mod auth;
pub mod client_ip;
pub mod commands;
pub mod config;
pub mod delivery;
pub mod metrics;
pub mod request_id;
pub mod routes;
pub mod security;
pub mod startup;
pub mod telemetry;

pub use config::Config;
pub use startup::Application;

// A rendered page is thousands of small allocations across the runtime's threads: under load
// glibc's malloc took a third of the history page's time (jemalloc: +60 % pages a second at the
// same memory; mimalloc was as fast but held 15 MB more). Here, not in `main.rs`, so whatever
// runs the server (its binary, the benchmarks, the tests) runs it the same way.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// jemalloc's options, read before `main`: one arena instead of eight (four per core, each
// keeping its own free pages), and freed pages handed back within a second by a thread of its
// own. At 100,000 codes: 3 MB less resident and, with the purging off the request path, the
// history page a little faster. Each thread caches freed blocks up to 1 KB, not 32 KB: 1 MB
// less, the pages as fast (without a cache at all, 40 % slower). `_RJEM_MALLOC_CONF` in the
// environment still overrides them.
#[cfg(not(target_env = "msvc"))]
#[used]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &u8 = &b"background_thread:true,narenas:1,dirty_decay_ms:1000,tcache_max:1024\0"[0];

/// SQLite allocates with the C library's malloc, not jemalloc, from each connection's thread:
/// glibc gave each of them an arena of its own, each keeping freed pages (1 MB of the server's
/// memory at 100,000 codes). One arena serves them all; `MALLOC_ARENA_MAX` still overrides it.
/// Called before the runtime starts any thread.
pub fn share_one_c_heap() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var_os("MALLOC_ARENA_MAX").is_none() {
        // SAFETY: mallopt sets one of glibc's allocator tunables under its own lock; no pointer is involved.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, 1);
        }
    }
}
