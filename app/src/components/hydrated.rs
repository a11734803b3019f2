//! Whether this page's code has taken over its server-rendered HTML yet.

use leptos::prelude::*;

/// False until the page has hydrated (on the server, always). Forms with no server fallback
/// disable their submit button until then: pressed earlier, the browser would send the form as
/// a GET to the page itself, its fields (a password, an AppSecret) in the address and the
/// history. Times switch from the server's UTC to the reader's zone then.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
