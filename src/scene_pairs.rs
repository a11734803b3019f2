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

/// `key=value&key=value`; rows with an empty key are skipped.
pub fn scene_from_pairs<K: AsRef<str>, V: AsRef<str>>(pairs: &[(K, V)]) -> String {
    pairs
        .iter()
        .filter(|(key, _)| !key.as_ref().trim().is_empty())
        .map(|(key, value)| format!("{}={}", key.as_ref().trim(), value.as_ref().trim()))
        .collect::<Vec<_>>()
        .join("&")
}

/// The pairs in a scene, in order; a part without `=` is a key with an empty value.
pub fn scene_pairs(scene: &str) -> Vec<(String, String)> {
    scene
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((key, value)) => (key.to_owned(), value.to_owned()),
            None => (part.to_owned(), String::new()),
        })
        .collect()
}

/// `options.scene` as the mini program's `onLoad` sees it, before decoding.
pub fn as_received(scene: &str) -> String {
    utf8_percent_encode(scene, URI_COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_join_with_ampersands_and_skip_blank_keys() {
        let pairs = [("id", "123"), (" ", "lost"), ("from", " poster ")];
        assert_eq!(scene_from_pairs(&pairs), "id=123&from=poster");
        assert_eq!(scene_from_pairs::<&str, &str>(&[]), "");
    }

    #[test]
    fn a_scene_splits_back_into_its_pairs() {
        assert_eq!(
            scene_pairs("id=123&flag&x=a=b"),
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
