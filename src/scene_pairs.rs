//! Scenes made of `key=value` pairs joined by `&`, the usual way to pack several
//! parameters into one scene, and what the mini program actually receives: WeChat
//! hands `options.scene` over URI-encoded, so the page must `decodeURIComponent` it.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What JavaScript's `encodeURIComponent` leaves alone.
const URI_COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'!')
    .remove(b'~')
    .remove(b'*')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')');

/// One `&`-separated part of a scene: `key=value`, or a bare `key` (`value` is `None`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScenePart {
    pub key: String,
    pub value: Option<String>,
}

/// The parts joined back: the inverse of [`scene_parts`], empty parts (`a&&b`) included.
pub fn scene_from_parts(parts: &[ScenePart]) -> String {
    parts
        .iter()
        .map(|part| match &part.value {
            Some(value) => format!("{}={value}", part.key),
            None => part.key.clone(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Every part of a scene, in order, empty ones too: nothing of it is lost on the way back.
pub fn scene_parts(scene: &str) -> Vec<ScenePart> {
    if scene.is_empty() {
        return Vec::new();
    }
    scene
        .split('&')
        .map(|part| match part.split_once('=') {
            Some((key, value)) => ScenePart { key: key.to_owned(), value: Some(value.to_owned()) },
            None => ScenePart { key: part.to_owned(), value: None },
        })
        .collect()
}

/// The pairs in a scene, in order, empty parts left out; a part without `=` is a key with an
/// empty value.
pub fn scene_pairs(scene: &str) -> Vec<(String, String)> {
    scene_parts(scene)
        .into_iter()
        .filter(|part| !part.key.is_empty() || part.value.is_some())
        .map(|part| (part.key, part.value.unwrap_or_default()))
        .collect()
}

/// `options.scene` as the mini program's `onLoad` sees it, before decoding.
pub fn as_received(scene: &str) -> String {
    utf8_percent_encode(scene, URI_COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(key: &str, value: Option<&str>) -> ScenePart {
        ScenePart { key: key.into(), value: value.map(Into::into) }
    }

    #[test]
    fn parts_join_with_ampersands() {
        assert_eq!(
            scene_from_parts(&[part("id", Some("123")), part("flag", None), part("", Some("5"))]),
            "id=123&flag&=5"
        );
        assert_eq!(scene_from_parts(&[]), "");
    }

    #[test]
    fn a_scene_of_any_parts_is_written_back_as_it_was() {
        for scene in [
            "abc&x=1",
            "=5&a=1",
            "flag&id=",
            "x=a=b",
            "id=123&type=product",
            "a",
            "a=1&&b=2",
            "&a=1&",
            "&&&",
            "&",
            "",
        ] {
            assert_eq!(scene_from_parts(&scene_parts(scene)), scene);
        }
    }

    #[test]
    fn a_scene_splits_back_into_its_pairs() {
        assert_eq!(
            scene_pairs("id=123&&flag&x=a=b&"),
            vec![("id".into(), "123".into()), ("flag".into(), String::new()), ("x".into(), "a=b".into())]
        );
        assert!(scene_pairs("").is_empty());
    }

    #[test]
    fn the_mini_program_receives_the_scene_uri_encoded() {
        assert_eq!(as_received("id=123&type=a"), "id%3D123%26type%3Da");
        assert_eq!(as_received("a-b_c.d!e~f*g'h(i)"), "a-b_c.d!e~f*g'h(i)");
        assert_eq!(as_received("p/q:r;s,t?u@v#w$x+y"), "p%2Fq%3Ar%3Bs%2Ct%3Fu%40v%23w%24x%2By");
    }
}
