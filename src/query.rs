//! Query strings as browsers read them (`application/x-www-form-urlencoded`).

/// Decodes one query component: `+` is a space, `%XX` a byte; a `%` that starts no
/// valid escape stays as it is, and bytes that are not UTF-8 become U+FFFD, the way
/// `URLSearchParams` reads them.
pub fn decode_component(raw: &str) -> String {
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match (hex_value(bytes.get(i + 1)), hex_value(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    out.push(high << 4 | low);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: Option<&u8>) -> Option<u8> {
    let digit = char::from(*byte?).to_digit(16)?;
    u8::try_from(digit).ok()
}

/// Encodes a value for a query string: everything but `A-Z a-z 0-9 - . _ ~` is escaped.
pub fn encode_component(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The decoded `name=value` pairs of a query, in order, with a leading `?` ignored.
/// A pair without `=` has an empty value; empty pieces (`a=1&&b=2`) are skipped.
pub fn pairs(query: &str) -> Vec<(String, String)> {
    query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .map(|piece| {
            let (name, value) = piece.split_once('=').unwrap_or((piece, ""));
            (decode_component(name), decode_component(value))
        })
        .collect()
}

/// Every value given for `name`, in order.
pub fn values<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    pairs
        .iter()
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
        .collect()
}

/// The query without the pieces whose decoded name is in `names`, as `?…` or empty.
/// Kept pieces are copied byte for byte, so nothing else in the address changes.
pub fn without(query: &str, names: &[&str]) -> String {
    let kept: Vec<&str> = query
        .strip_prefix('?')
        .unwrap_or(query)
        .split('&')
        .filter(|piece| !piece.is_empty())
        .filter(|piece| {
            let name = piece.split_once('=').map_or(*piece, |(name, _)| name);
            !names.contains(&decode_component(name).as_str())
        })
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_plus_and_escapes() {
        assert_eq!(decode_component("a+b%20c"), "a b c");
        assert_eq!(decode_component("%3Cimg%3E"), "<img>");
        assert_eq!(decode_component("caf%C3%A9"), "café");
    }

    #[test]
    fn keeps_broken_escapes_as_text() {
        assert_eq!(decode_component("100%"), "100%");
        assert_eq!(decode_component("%zz%4"), "%zz%4");
    }

    #[test]
    fn invalid_utf8_becomes_replacement() {
        assert_eq!(decode_component("%FF"), "\u{FFFD}");
    }

    #[test]
    fn decoding_happens_once() {
        assert_eq!(decode_component("%2541"), "%41");
    }

    #[test]
    fn encodes_reserved_characters() {
        assert_eq!(
            encode_component("http://127.0.0.1:8080/?a=b c"),
            "http%3A%2F%2F127.0.0.1%3A8080%2F%3Fa%3Db%20c"
        );
        assert_eq!(encode_component("A-z_0.9~"), "A-z_0.9~");
    }

    #[test]
    fn encode_then_decode_round_trips() {
        let text = "state=1&x=<é> +%";
        assert_eq!(decode_component(&encode_component(text)), text);
    }

    #[test]
    fn splits_pairs() {
        let got = pairs("?code=abc&state=1&&flag&empty=");
        assert_eq!(
            got,
            vec![
                ("code".into(), "abc".into()),
                ("state".into(), "1".into()),
                ("flag".into(), "".into()),
                ("empty".into(), "".into()),
            ]
        );
    }

    #[test]
    fn value_with_equals_sign_is_kept_whole() {
        assert_eq!(pairs("next=a=b"), vec![("next".into(), "a=b".into())]);
    }

    #[test]
    fn collects_repeated_values() {
        let got = pairs("code=a&code=b&state=1");
        assert_eq!(values(&got, "code"), vec!["a", "b"]);
        assert!(values(&got, "error").is_empty());
    }

    #[test]
    fn removes_only_named_parameters() {
        assert_eq!(
            without("?code=a&lang=en&state=1", &["code", "state"]),
            "?lang=en"
        );
        assert_eq!(without("?code=a&state=1", &["code", "state"]), "");
        assert_eq!(without("", &["code"]), "");
        assert_eq!(without("?%63ode=a&keep=%20", &["code"]), "?keep=%20");
    }
}
