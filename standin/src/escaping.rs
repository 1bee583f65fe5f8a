//! Text made safe for where it goes: an HTML page (text or a quoted attribute), or a
//! component of a query.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

/// What stays as it is in a query component: RFC 3986's unreserved characters.
const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

pub fn query_component(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

pub fn escape_html(text: &str) -> String {
    html_escape::encode_quoted_attribute(text).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_html() {
        assert_eq!(
            escape_html(r#"<img src=x onerror="a('b')">&"#),
            "&lt;img src=x onerror=&quot;a(&#x27;b&#x27;)&quot;&gt;&amp;"
        );
    }

    #[test]
    fn encodes_all_but_the_unreserved() {
        assert_eq!(
            query_component("http://127.0.0.1:8080/a b~*"),
            "http%3A%2F%2F127.0.0.1%3A8080%2Fa%20b~%2A"
        );
    }
}
