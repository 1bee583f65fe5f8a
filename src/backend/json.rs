//! Reading JSON text into the contract's types, with serde, in one place: the answers of
//! the backend and a JWT's claims. A value of the wrong shape is named by its path
//! (`movies[0].movie.title`), so a person or a bug report can tell what was off.
//!
//! In the browser the text is parsed by `JSON.parse` and read by `serde-wasm-bindgen`:
//! measured against serde_json's own parser (what gloo-net's `json` uses), the first load is
//! 10.5 KB gzip smaller. On the host, where tests run, serde_json reads it; both feed the
//! same derived `Deserialize` impls.
//!
//! Neither `JSON.parse` with `serde-wasm-bindgen` nor the derived impls limit nesting: each
//! level of an array or object is a few frames of the wasm stack, so an answer or a JWT
//! nested a few thousand deep overflows it, and the trap kills the page (serde_json on the
//! host stops at 128, which hid it from the host tests). So every text is measured first,
//! on both paths, by [`check_limits`]: one pass over its bytes, before anything is parsed.

use serde::de::DeserializeOwned;

/// Longest JSON text read. The contract's answers are well under 10 KiB; an older backend's
/// `fetch-latest-movies` returns the whole sync result, so the cap leaves room for a large
/// library while a runaway answer is still refused before it is parsed.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Deepest nesting of arrays and objects read. The contract's deepest answer is 4 levels
/// (`movies[0].movie.ids`); 32 leaves room for backend versions and stays far from what
/// the wasm stack holds (it overflowed near 2,000 levels).
pub const MAX_JSON_DEPTH: usize = 32;

/// Why a text could not be read as the expected JSON.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonError {
    /// Not JSON at all.
    NotJson,
    /// Longer than [`MAX_JSON_BYTES`]: refused unread.
    TooLarge,
    /// Arrays or objects nested deeper than [`MAX_JSON_DEPTH`]: refused unread.
    TooDeep,
    /// JSON, but not of the expected shape: where, and what was wrong there.
    Shape { path: String, problem: String },
}

impl JsonError {
    /// “at authenticated: invalid type: string "yes", expected a boolean”.
    pub fn describe(&self) -> String {
        match self {
            Self::NotJson => "not JSON".to_owned(),
            Self::TooLarge => format!(
                "longer than {} KiB, far longer than any answer of a NowPlaying backend",
                MAX_JSON_BYTES / 1024
            ),
            Self::TooDeep => format!(
                "nested more than {MAX_JSON_DEPTH} levels deep, far deeper than any answer of \
                 a NowPlaying backend"
            ),
            Self::Shape { path, problem } if path == "." => problem.clone(),
            Self::Shape { path, problem } => format!("at {path}: {problem}"),
        }
    }
}

/// Refuses a text too large or too deeply nested to be parsed safely, without parsing it:
/// brackets are counted outside strings (where `\"` does not end one). Valid JSON nests
/// exactly as deep as counted; text that is not JSON is left to the parser to refuse.
pub fn check_limits(text: &str) -> Result<(), JsonError> {
    if text.len() > MAX_JSON_BYTES {
        return Err(JsonError::TooLarge);
    }
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    // Bytes, not chars: the bytes of a multi-byte UTF-8 character are never ASCII.
    for &byte in text.as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth += 1;
                    if depth > MAX_JSON_DEPTH {
                        return Err(JsonError::TooDeep);
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
    }
    Ok(())
}

/// Reads `text` as a `T`, once [`check_limits`] lets it through.
#[cfg(target_arch = "wasm32")]
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    check_limits(text)?;
    let value = js_sys::JSON::parse(text).map_err(|_| JsonError::NotJson)?;
    serde_path_to_error::deserialize(serde_wasm_bindgen::Deserializer::from(value)).map_err(
        |error| JsonError::Shape {
            path: error.path().to_string(),
            problem: error.inner().to_string(),
        },
    )
}

/// Reads `text` as a `T`, once [`check_limits`] lets it through. (Text with something after
/// a value of the wrong shape, such as `{} x`, reads as the wrong shape.)
#[cfg(not(target_arch = "wasm32"))]
pub fn from_json<T: DeserializeOwned>(text: &str) -> Result<T, JsonError> {
    check_limits(text)?;
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut deserializer).map_err(shape_or_syntax)?;
    deserializer.end().map_err(|_| JsonError::NotJson)?;
    Ok(value)
}

#[cfg(not(target_arch = "wasm32"))]
fn shape_or_syntax(error: serde_path_to_error::Error<serde_json::Error>) -> JsonError {
    use serde_json::error::Category;
    match error.inner().classify() {
        Category::Data => JsonError::Shape {
            path: error.path().to_string(),
            // serde_json adds where in the text; the path says it better.
            problem: error
                .inner()
                .to_string()
                .split(" at line ")
                .next()
                .unwrap_or_default()
                .to_owned(),
        },
        Category::Io | Category::Syntax | Category::Eof => JsonError::NotJson,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Movie {
        title: String,
        year: Option<u64>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Entry {
        movie: Movie,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Movies {
        movies: Vec<Entry>,
    }

    #[test]
    fn reads_a_shape() {
        let movies: Movies =
            from_json(r#"{"movies":[{"movie":{"title":"Heat","year":1995}}],"x":1}"#).unwrap();
        assert_eq!(movies.movies[0].movie.year, Some(1995));
    }

    #[test]
    fn names_the_path_of_a_wrong_value() {
        let error = from_json::<Movies>(r#"{"movies":[{"movie":{"title":7}}]}"#).unwrap_err();
        let JsonError::Shape { path, problem } = &error else {
            panic!("{error:?}");
        };
        assert_eq!(path, "movies[0].movie.title");
        assert!(
            problem.starts_with("invalid type: integer `7`"),
            "{problem}"
        );
        assert!(error.describe().starts_with("at movies[0].movie.title: "));
        let missing = from_json::<Movies>("{}").unwrap_err();
        assert!(
            missing.describe().contains("missing field `movies`"),
            "{missing:?}"
        );
    }

    #[test]
    fn tells_text_that_is_not_json() {
        for text in ["", "<html>", "{", "{\"movies\":", "nope"] {
            assert_eq!(from_json::<Movies>(text), Err(JsonError::NotJson), "{text}");
        }
    }

    use serde_json::Value;

    fn nested(open: &str, close: &str, depth: usize) -> String {
        format!("{}{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn reads_nesting_up_to_the_limit() {
        for (open, close) in [("[", "]"), ("{\"a\":", "}"), ("[{\"a\":", "}]")] {
            let levels = MAX_JSON_DEPTH / open.matches(['[', '{']).count();
            let text = nested(open, close, levels).replace(":}", ":1}");
            assert!(from_json::<Value>(&text).is_ok(), "{text}");
        }
    }

    #[test]
    fn refuses_nesting_past_the_limit() {
        for depth in [MAX_JSON_DEPTH + 1, 128, 129, 2_000, 5_000, 1 << 16] {
            assert_eq!(
                from_json::<Value>(&nested("[", "]", depth)),
                Err(JsonError::TooDeep),
                "{depth}"
            );
            let objects = nested("{\"a\":", "}", depth).replace(":}", ":1}");
            assert_eq!(from_json::<Value>(&objects), Err(JsonError::TooDeep));
        }
    }

    #[test]
    fn refuses_deep_nesting_before_parsing_it() {
        // Not JSON at all, but the parser never sees it: the scan refuses first.
        assert_eq!(check_limits(&"[".repeat(33)), Err(JsonError::TooDeep));
        assert_eq!(
            from_json::<Value>(&"{".repeat(10_000)),
            Err(JsonError::TooDeep)
        );
        // A deep value inside a field the type ignores is refused as well.
        let ignored = format!(r#"{{"movies":[],"x":{}}}"#, nested("[", "]", 40));
        assert_eq!(from_json::<Movies>(&ignored), Err(JsonError::TooDeep));
    }

    #[test]
    fn brackets_inside_strings_do_not_count() {
        let deep_text = format!(
            r#"{{"movies":[{{"movie":{{"title":"{}\"{}\\","year":1}}}}]}}"#,
            "[".repeat(1_000),
            "{".repeat(1_000)
        );
        let movies: Movies = from_json(&deep_text).unwrap();
        assert!(movies.movies[0].movie.title.starts_with("[[["));
        // An escaped backslash ends before the quote, which then closes the string.
        assert_eq!(
            check_limits(&format!(r#"["\\", {}]"#, nested("[", "]", 40))),
            Err(JsonError::TooDeep)
        );
        // A string's multi-byte characters are bytes ≥ 0x80, never brackets or quotes.
        let unicode = format!(r#"["{}", "𝔱…é"]"#, "…[".repeat(100));
        assert!(from_json::<Value>(&unicode).is_ok());
    }

    #[test]
    fn closing_brackets_never_go_below_zero() {
        let text = format!("{}{}", "]".repeat(100), "[".repeat(MAX_JSON_DEPTH + 1));
        assert_eq!(check_limits(&text), Err(JsonError::TooDeep));
        assert_eq!(check_limits(&"]}".repeat(1_000)), Ok(()));
    }

    #[test]
    fn refuses_text_past_the_size_limit() {
        // A string of exactly the limit, quotes included, is read.
        let at_limit = format!("\"{}\"", "a".repeat(MAX_JSON_BYTES - 2));
        assert_eq!(
            from_json::<String>(&at_limit).map(|text| text.len()),
            Ok(MAX_JSON_BYTES - 2)
        );
        let over = format!("\"{}\"", "a".repeat(MAX_JSON_BYTES - 1));
        assert_eq!(from_json::<String>(&over), Err(JsonError::TooLarge));
        // Bytes are counted, not characters.
        let wide = format!("\"{}\"", "é".repeat(MAX_JSON_BYTES / 2));
        assert_eq!(from_json::<String>(&wide), Err(JsonError::TooLarge));
    }

    #[test]
    fn explains_a_refusal_for_the_person() {
        let deep = JsonError::TooDeep.describe();
        assert!(
            deep.starts_with("nested more than 32 levels deep"),
            "{deep}"
        );
        assert!(!deep.contains("  "), "{deep}");
        let large = JsonError::TooLarge.describe();
        assert!(large.starts_with("longer than 1024 KiB"), "{large}");
    }
}
