//! The generator's parts that its first view does not show, and the requests that make a code:
//! what the `generator_parts` chunk holds. Where they stand in the page and how the chunk is
//! fetched: the slot module beside this one.

use leptos::prelude::*;

use super::{FormState, LivingState};
use crate::error::AppError;
use crate::functions::codes::{generate_code, get_code};
use crate::functions::living::create_living_code;
use crate::models::codes::{GenerateForm, GeneratedCode};
use crate::models::instance::InstanceInfo;
use crate::models::living::LivingForm;

/// What a part reads: the form's state, provided by the form for the parts inside it.
#[derive(Clone, Copy)]
pub(super) struct PartsContext {
    pub form: FormState,
    pub living: LivingState,
    pub landing_default: Signal<String>,
    pub problems: Signal<Vec<wxacode::Problem>>,
    pub result: Signal<Option<Result<GeneratedCode, AppError>>>,
    /// The form has changed since the code shown was made.
    pub stale: Signal<bool>,
    /// The code the address brought back, and the form (as a query) the code shown was made from.
    pub restored: RwSignal<Option<GeneratedCode>>,
    pub made_from: RwSignal<String>,
    pub instance: Signal<Option<InstanceInfo>>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum GeneratorPart {
    Living,
    MadeCode,
    SceneBuilder,
    SceneReceived,
}

/// A part's view.
pub(super) fn part_view(part: GeneratorPart) -> AnyView {
    let Some(parts) = use_context::<PartsContext>() else {
        return ().into_any();
    };
    match part {
        GeneratorPart::Living => view! {
            <super::living_fields::LivingFields
                living=parts.living
                landing_default=parts.landing_default
                problems=parts.problems
            />
        }
        .into_any(),
        GeneratorPart::MadeCode => {
            super::made_code::check_restored(parts.restored, parts.made_from, parts.form.app);
            view! { <super::made_code::MadeCode result=parts.result stale=parts.stale instance=parts.instance /> }.into_any()
        }
        GeneratorPart::SceneBuilder => {
            view! { <super::scene_builder::SceneBuilder scene=parts.form.scene /> }.into_any()
        }
        GeneratorPart::SceneReceived => {
            view! { <super::scene_builder::SceneReceived scene=parts.form.scene /> }.into_any()
        }
    }
}

/// What the form asks the server for.
pub(super) enum Request {
    Code(GenerateForm),
    Living(LivingForm),
    /// The code this tab made last (its id in the address: Back or a reload).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    Made(i64),
}

/// Sends `request`.
pub(super) async fn send(request: Request) -> Result<GeneratedCode, AppError> {
    match request {
        Request::Code(form) => generate_code(form, false).await,
        Request::Living(form) => create_living_code(form).await,
        Request::Made(id) => get_code(id).await.map(|code| GeneratedCode { code, reused: false }),
    }
}
