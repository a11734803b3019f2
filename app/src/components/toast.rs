use leptos::prelude::*;

/// A short message at the bottom of the screen, optionally with one action (Undo).
#[derive(Clone)]
pub struct Toast {
    pub text: String,
    pub action: Option<(String, Callback<()>)>,
}

/// How long a toast stays: long enough to read, short enough not to sit on the buttons
/// under it (it is fixed over the page). One with an action (Undo) stays longer.
const SHOWN_MS: u64 = 6_000;
const SHOWN_WITH_ACTION_MS: u64 = 12_000;

#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Option<Toast>>, StoredValue<u64>);

impl Toasts {
    pub fn show(&self, text: impl Into<String>) {
        self.put(Toast { text: text.into(), action: None }, SHOWN_MS);
    }

    pub fn show_with_action(&self, text: impl Into<String>, label: impl Into<String>, action: Callback<()>) {
        self.put(Toast { text: text.into(), action: Some((label.into(), action)) }, SHOWN_WITH_ACTION_MS);
    }

    pub fn clear(&self) {
        self.0.set(None);
    }

    /// Shows the toast and takes it away after `ms`, unless another has replaced it by then.
    fn put(&self, toast: Toast, ms: u64) {
        let shown = self.1.get_value().wrapping_add(1);
        self.1.set_value(shown);
        self.0.set(Some(toast));
        #[cfg(feature = "hydrate")]
        {
            let (toasts, generation) = (self.0, self.1);
            set_timeout(
                move || {
                    if generation.try_get_value() == Some(shown) {
                        toasts.try_set(None);
                    }
                },
                std::time::Duration::from_millis(ms),
            );
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ms;
    }
}

pub fn provide_toasts() -> Toasts {
    let toasts = Toasts(RwSignal::new(None), StoredValue::new(0));
    provide_context(toasts);
    toasts
}

pub fn use_toasts() -> Toasts {
    use_context::<Toasts>().unwrap_or_else(provide_toasts)
}

#[component]
pub fn ToastHost() -> impl IntoView {
    let toasts = use_toasts();
    view! {
        <div class="toast-host" role="status" aria-live="polite">
            {move || toasts.0.get().map(|toast| {
                let action = toast.action.map(|(label, callback)| view! {
                    <button
                        type="button"
                        class="toast-action"
                        on:click=move |_| {
                            toasts.clear();
                            callback.run(());
                        }
                    >
                        {label}
                    </button>
                });
                view! {
                    <div class="toast">
                        <span>{toast.text}</span>
                        {action}
                        <button type="button" class="toast-close" aria-label="关闭 / Close" on:click=move |_| toasts.clear()>
                            "×"
                        </button>
                    </div>
                }
            })}
        </div>
    }
}
