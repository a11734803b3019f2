//! `wxacode`: the domain of WeChat Mini Program codes (小程序码) made with
//! `getUnlimitedQRCode`.
//!
//! The rules (scene charset and length, page rules, width bounds, error-code
//! meanings, image sniffing) always compile, also to wasm, so the browser and
//! the server validate with the same code. The HTTP client lives behind the
//! `client` feature and the WeChat simulator behind `simulator`.

pub mod account;
pub mod batch;
pub mod errcode;
pub mod file_name;
pub mod image_type;
pub mod label;
pub mod label_sheet;
pub mod link;
pub mod living;
pub mod message;
pub mod mini_program;
pub mod poster;
pub mod request;
pub mod scene_pairs;
pub mod sheet_request;
pub mod token_expiry;
pub mod wire;

#[cfg(feature = "client")]
pub mod call_metrics;
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "client")]
mod token_cache;

#[cfg(feature = "simulator")]
pub mod simulator;

pub use account::{Email, Permission, Role};
pub use errcode::{describe_errcode, KnownErrcode};
pub use image_type::ImageType;
pub use label::Label;
pub use living::{LivingStatus, Param, Target, TargetInput};
pub use message::{Lang, Message};
pub use mini_program::AppId;
pub use request::{
    CodeRequest, CodeRequestInput, EnvVersion, Field, LineColor, LineColorInput, PagePath, Problem,
    ProblemCode, Scene, Width,
};

#[cfg(feature = "client")]
pub use client::{CodeImage, WeChatClient, WeChatConfig, WeChatError};
