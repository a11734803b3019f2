use leptos::prelude::*;

/// A short message at the bottom of the screen, optionally with one action (Undo).
#[derive(Clone)]
pub struct Toast {
    pub text: String,
    pub action: Option<(String, Callback<()>)>,
}

#[derive(Clone, Copy)]
pub struct Toasts(RwSignal<Option<Toast>>);

impl Toasts {
    pub fn show(&self, text: impl Into<String>) {
        self.0.set(Some(Toast { text: text.into(), action: None }));
    }

    pub fn show_with_action(&self, text: impl Into<String>, label: impl Into<String>, action: Callback<()>) {
        self.0.set(Some(Toast { text: text.into(), action: Some((label.into(), action)) }));
    }

    pub fn clear(&self) {
        self.0.set(None);
    }
}

pub fn provide_toasts() -> Toasts {
    let toasts = Toasts(RwSignal::new(None));
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
