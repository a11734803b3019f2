//! How the server functions' answers cross the wire: JSON, as `server_fn`'s own codec sends
//! it, but read in the browser from text, as Leptos reads the resources a page is sent with. Each answer type then
//! has one JSON decoder in the bundle instead of two (one over bytes, one over text).

use leptos::server_fn::codec::Post;
use leptos::server_fn::{Bytes, ContentType, Decodes, Encodes, Format, FormatType};
use serde::de::DeserializeOwned;
use serde::Serialize;

pub struct JsonText;

/// A server function's `output`: `#[server(..., output = JsonAnswer)]`.
pub type JsonAnswer = Post<JsonText>;

impl ContentType for JsonText {
    const CONTENT_TYPE: &'static str = "application/json";
}

impl FormatType for JsonText {
    const FORMAT_TYPE: Format = Format::Text;
}

impl<T: Serialize> Encodes<T> for JsonText {
    type Error = serde_json::Error;

    fn encode(output: &T) -> Result<Bytes, Self::Error> {
        serde_json::to_vec(output).map(Bytes::from)
    }
}

impl<T: DeserializeOwned> Decodes<T> for JsonText {
    type Error = String;

    fn decode(bytes: Bytes) -> Result<T, Self::Error> {
        decode_text(&bytes)
    }
}

/// JSON read from text, as Leptos reads a page's resources.
pub fn decode_text<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| e.to_string())?;
    serde_json::from_str(text).map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_reads_back_as_it_was_sent() {
        let sent = vec![("门店".to_owned(), 3_i64)];
        let bytes = <JsonText as Encodes<_>>::encode(&sent).expect("encodes");
        let read: Vec<(String, i64)> = <JsonText as Decodes<_>>::decode(bytes).expect("decodes");
        assert_eq!(read, sent);
        assert!(decode_text::<i64>(b"\xff").is_err());
    }
}
