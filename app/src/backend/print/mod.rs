//! Print: label sheets as PDF, in a CJK-capable font, and the PNG drawing posters and logo
//! renditions share.

pub mod draw;
pub mod font;
mod service;
pub mod sheet;

pub use service::PrintService;

/// A code as the simulator draws it (JPEG, like WeChat's), for the drawing tests.
#[cfg(test)]
pub(crate) fn sample_code() -> wxacode::CodeImage {
    let drawing = wxacode::simulator::CodeDrawing {
        content: "pages/index/index?scene=id%3D1".into(),
        appid: "wxsandbox0000000001".into(),
        width: 430,
        color: [0, 0, 0],
        transparent: false,
    };
    wxacode::simulator::render_code(&drawing).expect("drawn")
}
