//! Whether this page's code has taken over its server-rendered HTML yet.

use leptos::prelude::*;

/// False until the page has hydrated. Forms with no server fallback disable their submit button
/// until then: pressed earlier, the browser would send the form as a GET to the page itself, its
/// fields (a password, an AppSecret) in the address and the history.
pub fn use_hydrated() -> ReadSignal<bool> {
    let (hydrated, set_hydrated) = signal(false);
    // Effects run only in the browser, after hydration.
    Effect::new(move |_| set_hydrated.set(true));
    hydrated
}
