//! Brand: centre logos and the renditions drawn from a code's original image.

mod service;
mod store;

pub use service::BrandService;
