//! The WHATWG URL standard, as the page's browser implements it (`URL`,
//! `URLSearchParams`), and on the host, where the page's policies are tested, as the `url`
//! crate implements the same standard. The page never parses an address by hand.

/// An absolute URL split by the standard's parser. Scheme and host come lower-cased, a
/// default port is `None`, and an empty path reads as `/`. (The page's policy over these
/// parts is [`UrlParts::parse`](crate::address::url_parts).)
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UrlParts {
    pub scheme: String,
    pub has_userinfo: bool,
    pub host: String,
    pub port: Option<u16>,
    /// Always starts with `/`.
    pub path: String,
    /// Without the leading `?`; `None` when empty.
    pub query: Option<String>,
    /// Without the leading `#`; `None` when empty.
    pub fragment: Option<String>,
}

fn non_empty(text: &str, mark: char) -> Option<String> {
    Some(text.strip_prefix(mark).unwrap_or(text))
        .filter(|rest| !rest.is_empty())
        .map(str::to_owned)
}

/// Parses `text` as the browser would, or `None` when it is no URL.
#[cfg(target_arch = "wasm32")]
pub fn parse(text: &str) -> Option<UrlParts> {
    let url = web_sys::Url::new(text).ok()?;
    let protocol = url.protocol();
    Some(UrlParts {
        scheme: protocol.trim_end_matches(':').to_owned(),
        has_userinfo: !url.username().is_empty() || !url.password().is_empty(),
        host: url.hostname(),
        port: url.port().parse().ok(),
        path: url.pathname(),
        query: non_empty(&url.search(), '?'),
        fragment: non_empty(&url.hash(), '#'),
    })
}

/// Parses `text` as the browser would, or `None` when it is no URL.
#[cfg(not(target_arch = "wasm32"))]
pub fn parse(text: &str) -> Option<UrlParts> {
    let url = url::Url::parse(text).ok()?;
    Some(UrlParts {
        scheme: url.scheme().to_owned(),
        has_userinfo: !url.username().is_empty() || url.password().is_some(),
        host: url.host_str().unwrap_or_default().to_owned(),
        port: url.port(),
        path: url.path().to_owned(),
        query: url.query().and_then(|query| non_empty(query, '?')),
        fragment: url.fragment().and_then(|fragment| non_empty(fragment, '#')),
    })
}

/// The decoded values of `name` in a query (with or without its `?`), in order.
#[cfg(target_arch = "wasm32")]
pub fn query_values(query: &str, name: &str) -> Vec<String> {
    web_sys::UrlSearchParams::new_with_str(query)
        .map(|params| {
            params
                .get_all(name)
                .iter()
                .filter_map(|value| value.as_string())
                .collect()
        })
        .unwrap_or_default()
}

/// The decoded values of `name` in a query (with or without its `?`), in order.
#[cfg(not(target_arch = "wasm32"))]
pub fn query_values(query: &str, name: &str) -> Vec<String> {
    let query = query.strip_prefix('?').unwrap_or(query);
    url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| key == name)
        .map(|(_, value)| value.into_owned())
        .collect()
}

/// The query without the parameters named in `names`, as `?…`, or empty when nothing is
/// left. What is left is written as the standard writes a query.
#[cfg(target_arch = "wasm32")]
pub fn query_without(query: &str, names: &[&str]) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
        return String::new();
    };
    for name in names {
        params.delete(name);
    }
    with_mark(String::from(params.to_string()))
}

/// The query without the parameters named in `names`, as `?…`, or empty when nothing is
/// left. What is left is written as the standard writes a query.
#[cfg(not(target_arch = "wasm32"))]
pub fn query_without(query: &str, names: &[&str]) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    let kept = url::form_urlencoded::parse(query.as_bytes())
        .filter(|(key, _)| !names.contains(&key.as_ref()));
    with_mark(
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(kept)
            .finish(),
    )
}

/// The query with `name` set to `value` (in place of every value it had, or added), as
/// `?…`, written as the standard writes a query.
#[cfg(target_arch = "wasm32")]
pub fn query_with(query: &str, name: &str, value: &str) -> String {
    let Ok(params) = web_sys::UrlSearchParams::new_with_str(query) else {
        return String::new();
    };
    params.set(name, value);
    with_mark(String::from(params.to_string()))
}

/// The query with `name` set to `value` (in place of every value it had, or added), as
/// `?…`, written as the standard writes a query.
#[cfg(not(target_arch = "wasm32"))]
pub fn query_with(query: &str, name: &str, value: &str) -> String {
    let query = query.strip_prefix('?').unwrap_or(query);
    let mut pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    match pairs.iter().position(|(key, _)| key == name) {
        Some(first) => {
            pairs[first].1 = value.to_owned();
            let mut seen = 0;
            pairs.retain(|(key, _)| {
                key != name || {
                    seen += 1;
                    seen == 1
                }
            });
        }
        None => pairs.push((name.to_owned(), value.to_owned())),
    }
    with_mark(
        url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish(),
    )
}

fn with_mark(query: String) -> String {
    if query.is_empty() {
        query
    } else {
        format!("?{query}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_an_address() {
        let url = parse("HTTPS://u:p@Api.Trakt.TV:443/oauth/authorize?state=1#top").unwrap();
        assert_eq!(url.scheme, "https");
        assert!(url.has_userinfo);
        assert_eq!(url.host, "api.trakt.tv");
        assert_eq!(url.port, None, "the default port");
        assert_eq!(url.path, "/oauth/authorize");
        assert_eq!(url.query.as_deref(), Some("state=1"));
        assert_eq!(url.fragment.as_deref(), Some("top"));
        assert_eq!(parse("http://h:8080").unwrap().path, "/");
        assert_eq!(parse("http://h/?").unwrap().query, None);
        assert_eq!(parse("not a url"), None);
    }

    #[test]
    fn reads_query_values_decoded() {
        assert_eq!(query_values("?a=1&b=x%20y&a=2", "a"), ["1", "2"]);
        assert_eq!(query_values("b=x+y%21", "b"), ["x y!"]);
        assert!(query_values("", "a").is_empty());
    }

    #[test]
    fn removes_named_parameters() {
        assert_eq!(
            query_without("?code=1&lang=en&state=2", &["code", "state"]),
            "?lang=en"
        );
        assert_eq!(query_without("code=1", &["code"]), "");
        assert_eq!(query_without("", &["code"]), "");
    }
}
