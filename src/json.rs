//! A small JSON reader and writer.
//!
//! The backend's answers are small objects of strings, booleans, integers and lists, and
//! the page sends only objects of strings. A tree with a few typed accessors reads them in
//! a handful of functions, where serde's generated code cost a fifth of the page's size.

/// A parsed JSON value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    Null,
    Bool(bool),
    /// A number, kept as written (its grammar checked): the page only ever needs integers.
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in the order sent.
    Object(Vec<(String, Json)>),
}

/// The answer is JSON, but not of the shape asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mismatch;

/// A value read from JSON: the contract's answers implement this by hand.
pub trait FromJson: Sized {
    fn from_json(json: &Json) -> Result<Self, Mismatch>;
}

impl FromJson for Json {
    fn from_json(json: &Json) -> Result<Self, Mismatch> {
        Ok(json.clone())
    }
}

/// Deeper nesting than any answer has is refused rather than risking the stack.
const MAX_DEPTH: usize = 64;

impl Json {
    /// Parses a whole JSON text (surrounding whitespace allowed), or `None`.
    pub fn parse(text: &str) -> Option<Json> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = parser.value(0)?;
        parser.skip_space();
        (parser.at == parser.bytes.len()).then_some(value)
    }

    /// The members of an object.
    pub fn object(&self) -> Result<Object<'_>, Mismatch> {
        match self {
            Self::Object(members) => Ok(Object(members)),
            _ => Err(Mismatch),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Self::String(text) => Some(text),
            _ => None,
        }
    }

    /// The integer part of a number (`1.9` is 1); `None` for exponents and overflow.
    pub fn as_integer(&self) -> Option<i64> {
        let Self::Number(text) = self else {
            return None;
        };
        if text.contains(['e', 'E']) {
            return None;
        }
        text.split('.').next()?.parse().ok()
    }
}

/// An object's members, read by name. As in JavaScript, the last of repeated names wins,
/// and a `null` member counts as absent.
#[derive(Clone, Copy, Debug)]
pub struct Object<'a>(&'a [(String, Json)]);

impl<'a> Object<'a> {
    /// The member called `name`, unless it is missing or `null`.
    pub fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value)
            .filter(|value| **value != Json::Null)
    }

    /// An optional member that must be of one kind when present.
    fn optional<T>(
        &self,
        name: &str,
        read: impl Fn(&'a Json) -> Option<T>,
    ) -> Result<Option<T>, Mismatch> {
        self.get(name)
            .map(|value| read(value).ok_or(Mismatch))
            .transpose()
    }

    pub fn opt_str(&self, name: &str) -> Result<Option<String>, Mismatch> {
        self.optional(name, |value| value.as_str().map(str::to_owned))
    }

    pub fn str(&self, name: &str) -> Result<String, Mismatch> {
        self.opt_str(name)?.ok_or(Mismatch)
    }

    pub fn opt_bool(&self, name: &str) -> Result<Option<bool>, Mismatch> {
        self.optional(name, |value| match value {
            Json::Bool(flag) => Some(*flag),
            _ => None,
        })
    }

    pub fn bool(&self, name: &str) -> Result<bool, Mismatch> {
        self.opt_bool(name)?.ok_or(Mismatch)
    }

    /// An optional whole number that is not negative.
    pub fn opt_count(&self, name: &str) -> Result<Option<u64>, Mismatch> {
        self.optional(name, |value| match value {
            Json::Number(text) => text.parse().ok(),
            _ => None,
        })
    }

    /// A required list, each item read by its `FromJson`.
    pub fn list<T: FromJson>(&self, name: &str) -> Result<Vec<T>, Mismatch> {
        match self.get(name) {
            Some(Json::Array(items)) => items.iter().map(T::from_json).collect(),
            _ => Err(Mismatch),
        }
    }
}

/// A JSON object of string members, as the page sends them.
pub fn object_of_strings(members: &[(&str, &str)]) -> String {
    let mut out = String::from("{");
    for (index, (name, value)) in members.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(&mut out, name);
        out.push(':');
        write_string(&mut out, value);
    }
    out.push('}');
    out
}

fn write_string(out: &mut String, text: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

struct Parser<'t> {
    bytes: &'t [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Consumes `word` if the text continues with it.
    fn eat(&mut self, word: &str) -> bool {
        let found = self.bytes[self.at..].starts_with(word.as_bytes());
        if found {
            self.at += word.len();
        }
        found
    }

    fn value(&mut self, depth: usize) -> Option<Json> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_space();
        match self.peek()? {
            b'{' => self.members(depth),
            b'[' => self.items(depth),
            b'"' => self.string().map(Json::String),
            b'-' | b'0'..=b'9' => self.number(),
            _ if self.eat("true") => Some(Json::Bool(true)),
            _ if self.eat("false") => Some(Json::Bool(false)),
            _ if self.eat("null") => Some(Json::Null),
            _ => None,
        }
    }

    /// After `open`: nothing but `close`, or items read by `item` separated by commas.
    fn sequence(&mut self, close: u8, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.at += 1;
        self.skip_space();
        if self.peek() == Some(close) {
            self.at += 1;
            return Some(());
        }
        loop {
            item(self)?;
            self.skip_space();
            match self.peek()? {
                b',' => self.at += 1,
                c if c == close => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn items(&mut self, depth: usize) -> Option<Json> {
        let mut items = Vec::new();
        self.sequence(b']', |p| {
            items.push(p.value(depth + 1)?);
            Some(())
        })?;
        Some(Json::Array(items))
    }

    fn members(&mut self, depth: usize) -> Option<Json> {
        let mut members = Vec::new();
        self.sequence(b'}', |p| {
            p.skip_space();
            if p.peek() != Some(b'"') {
                return None;
            }
            let name = p.string()?;
            p.skip_space();
            if !p.eat(":") {
                return None;
            }
            members.push((name, p.value(depth + 1)?));
            Some(())
        })?;
        Some(Json::Object(members))
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Option<Json> {
        let start = self.at;
        self.eat("-");
        let whole = self.digits();
        if whole == 0 || (whole > 1 && self.bytes[self.at - whole] == b'0') {
            return None;
        }
        if self.eat(".") && self.digits() == 0 {
            return None;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return None;
            }
        }
        let text = std::str::from_utf8(&self.bytes[start..self.at]).ok()?;
        Some(Json::Number(text.to_owned()))
    }

    fn hex4(&mut self) -> Option<u32> {
        let text = self.bytes.get(self.at..self.at + 4)?;
        self.at += 4;
        text.iter()
            .try_fold(0, |sum, &b| Some(sum * 16 + (b as char).to_digit(16)?))
    }

    fn string(&mut self) -> Option<String> {
        self.at += 1; // the opening quote
        let mut out = String::new();
        loop {
            let start = self.at;
            while !matches!(self.peek()?, b'"' | b'\\' | 0..=0x1f) {
                self.at += 1;
            }
            // The input is a &str and the run stops at ASCII, so this slice is whole UTF-8.
            out.push_str(std::str::from_utf8(&self.bytes[start..self.at]).ok()?);
            let byte = self.peek()?;
            self.at += 1;
            match byte {
                b'"' => return Some(out),
                b'\\' => {
                    let escape = self.peek()?;
                    self.at += 1;
                    out.push(match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return None,
                    });
                }
                _ => return None, // a raw control character
            }
        }
    }

    /// After `\u`: one character, from a surrogate pair when it takes two escapes. A lone
    /// surrogate becomes U+FFFD, as `JSON.parse` followed by a UTF-8 encoder would give.
    fn unicode_escape(&mut self) -> Option<char> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.bytes[self.at..].starts_with(b"\\u") {
            let mark = self.at;
            self.at += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00));
            }
            self.at = mark;
        }
        Some(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(text: &str) -> Json {
        Json::String(text.into())
    }

    #[test]
    fn parses_every_kind_of_value() {
        assert_eq!(
            Json::parse(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}, "e": {}} "#),
            Some(Json::Object(vec![
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Number("1".into()),
                        Json::Number("-2.5e3".into()),
                        Json::Bool(true),
                        Json::Bool(false),
                        Json::Null,
                    ])
                ),
                ("b".into(), Json::Object(vec![("c".into(), s("d"))])),
                ("e".into(), Json::Object(vec![])),
            ]))
        );
        assert_eq!(Json::parse("[]"), Some(Json::Array(vec![])));
        assert_eq!(Json::parse("\"x\""), Some(s("x")));
    }

    #[test]
    fn reads_escapes_and_unicode() {
        assert_eq!(
            Json::parse(r#""q\" b\\ s\/ \b\f\n\r\t é \u00e9 \ud83c\udfac \ud800""#),
            Some(s("q\" b\\ s/ \u{8}\u{c}\n\r\t é é 🎬 \u{FFFD}"))
        );
    }

    #[test]
    fn refuses_what_is_not_json() {
        for text in [
            "",
            " ",
            "{",
            "}",
            "[1,]",
            "[,1]",
            "{\"a\"}",
            "{\"a\":}",
            "{a:1}",
            "{\"a\":1,}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "'x'",
            "\"\\x\"",
            "\"\\u12\"",
            "\"raw\ttab\"",
            "\"open",
            "1 2",
            "{} x",
            "<!doctype html>",
            "NaN",
        ] {
            assert_eq!(Json::parse(text), None, "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(Json::parse(&deep), None);
        let fine = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(Json::parse(&fine).is_some());
    }

    #[test]
    fn reads_members_by_kind() {
        let json = Json::parse(
            r#"{"s":"x","b":true,"n":null,"c":7,"neg":-1,"f":1.5,"l":["a"],"s":"last"}"#,
        )
        .unwrap();
        let o = json.object().unwrap();
        assert_eq!(o.str("s"), Ok("last".into()));
        assert_eq!(o.opt_str("missing"), Ok(None));
        assert_eq!(o.opt_str("n"), Ok(None));
        assert_eq!(o.str("n"), Err(Mismatch));
        assert_eq!(o.opt_str("b"), Err(Mismatch));
        assert_eq!(o.bool("b"), Ok(true));
        assert_eq!(o.opt_bool("s"), Err(Mismatch));
        assert_eq!(o.opt_count("c"), Ok(Some(7)));
        assert_eq!(o.opt_count("neg"), Err(Mismatch));
        assert_eq!(o.opt_count("f"), Err(Mismatch));
        assert_eq!(o.list::<Json>("l"), Ok(vec![s("a")]));
        assert_eq!(o.list::<Json>("s"), Err(Mismatch));
        assert_eq!(Json::Array(vec![]).object().err(), Some(Mismatch));
    }

    #[test]
    fn integers_from_numbers() {
        let n = |text: &str| Json::Number(text.into()).as_integer();
        assert_eq!(n("1700000000"), Some(1_700_000_000));
        assert_eq!(n("1700000000.9"), Some(1_700_000_000));
        assert_eq!(n("-3"), Some(-3));
        assert_eq!(n("1e9"), None);
        assert_eq!(n("99999999999999999999"), None);
        assert_eq!(s("1").as_integer(), None);
    }

    #[test]
    fn writes_objects_of_strings() {
        assert_eq!(
            object_of_strings(&[("code", "c"), ("state", "1")]),
            r#"{"code":"c","state":"1"}"#
        );
        assert_eq!(object_of_strings(&[]), "{}");
        let awkward = "q\" b\\ \n\r\t\u{8}\u{c}\u{1} é/🎬";
        let written = object_of_strings(&[("k", awkward)]);
        assert_eq!(written, r#"{"k":"q\" b\\ \n\r\t\b\f\u0001 é/🎬"}"#);
        assert_eq!(
            Json::parse(&written).unwrap().object().unwrap().str("k"),
            Ok(awkward.into())
        );
    }
}
