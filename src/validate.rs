//! Reading caller input: every bad field is collected, then reported at once.
//!
//! Rule: a reader never stops at the first problem. It records one [`FieldError`]
//! per bad field (by its path, e.g. `budget.limit`) and carries on with the rest,
//! so the caller sees everything wrong in one `ValidationError`. Fields nobody read
//! are unknown and reported too (a typo must not be silently ignored).

use crate::prelude::*;
use crate::error::{Error, FieldError};
use crate::json::{number_text, Json, Text};
use crate::model::BudgetInput;
use crate::text::char_count;
use crate::time::parse_rfc3339_utc;

/// Longest id accepted; ids are path segments, not documents.
pub const MAX_ID_LEN: usize = 512;

/// Most problems one validation error lists.
pub const MAX_PROBLEMS: usize = 100;

/// The problems found so far.
#[derive(Debug, Default)]
pub struct Problems(Vec<FieldError>);

impl Problems {
    pub fn new() -> Problems {
        Problems::default()
    }

    /// A problem at `field`, unless it has one already: the first says what is wrong
    /// (a name of the wrong type is not also "required"). At most [`MAX_PROBLEMS`] are
    /// kept: that many tell the caller what to fix, and the search for a field's earlier
    /// problem stays short however many bad members an input holds.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        if self.0.len() < MAX_PROBLEMS && self.0.iter().all(|p| p.field != field) {
            self.0.push(FieldError { field: field.to_string(), message: message.into() });
        }
    }

    /// `field` refused as a whole: the problems found inside it go (a rate limit the
    /// provider does not take has no missing `requests`).
    pub fn refuse(&mut self, field: &str, message: impl Into<String>) {
        self.0.retain(|p| !is_within(&p.field, field));
        self.add(field, message);
    }

    /// "must be {expected}, not {type}" at `field`: `value` has the wrong JSON type.
    pub fn wrong_type(&mut self, field: &str, expected: &str, value: &Json) {
        self.add(field, text!("must be ", expected, ", not ", value.type_name()));
    }

    /// "must be at most {max} characters" at `field`.
    fn too_long(&mut self, field: &str, max: usize) {
        self.add(field, text!("must be at most ", max, " characters"));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn fields(&self) -> &[FieldError] {
        &self.0
    }

    /// `Ok(value)` when nothing was found, else a `ValidationError` listing every field.
    pub fn into_result<T>(self, value: T) -> Result<T, Error> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(Error::validation(self.0))
        }
    }
}

/// A string holding U+0000, which no provider takes (PostgreSQL's `text` cannot store one).
const NUL_PROBLEM: &str = "must not contain U+0000 (NUL)";

fn has_nul(text: &str) -> bool {
    text.bytes().any(|b| b == 0)
}

/// Reads the members of one input object, tracking which were read.
pub struct Reader<'a> {
    members: &'a [(Text, Json)],
    prefix: String,
    read: Vec<&'a str>,
}

impl<'a> Reader<'a> {
    /// A reader over `input`; `null`/absent input reads as an empty object.
    /// Anything else that is not an object is a problem at `prefix` (or `input`).
    pub fn new(input: Option<&'a Json>, prefix: &str, problems: &mut Problems) -> Reader<'a> {
        Reader::at(input, prefix, if prefix.is_empty() { "input" } else { prefix }, problems)
    }

    /// A reader of the options object `input` (client or request options), which a
    /// problem calls `options` when it is not an object.
    pub fn options(input: &'a Json, problems: &mut Problems) -> Reader<'a> {
        Reader::at(Some(input), "", "options", problems)
    }

    fn at(input: Option<&'a Json>, prefix: &str, name: &str, problems: &mut Problems) -> Reader<'a> {
        let members: &'a [(Text, Json)] = match input {
            None | Some(Json::Null) => &[],
            Some(Json::Object(members)) => members,
            Some(other) => {
                problems.wrong_type(name, "an object", other);
                &[]
            }
        };
        Reader { members, prefix: prefix.to_string(), read: Vec::new() }
    }

    /// The dotted path of member `name`.
    pub fn path(&self, name: &str) -> String {
        dotted(&self.prefix, name)
    }

    /// Whether member `name` is there with a non-null value.
    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some_and(|v| !v.is_null())
    }

    /// Whether member `name` is there at all, even as `null`.
    pub fn has_key(&self, name: &str) -> bool {
        self.members.iter().any(|(k, _)| k == name)
    }

    fn raw(&self, name: &str) -> Option<&'a Json> {
        self.members.iter().find(|(k, _)| k == name).map(|(_, v)| v)
    }

    /// Marks `name` as read and returns its value unless absent or `null`.
    pub fn value(&mut self, name: &'a str) -> Option<&'a Json> {
        self.read.push(name);
        self.raw(name).filter(|v| !v.is_null())
    }

    pub fn string(&mut self, name: &'a str, problems: &mut Problems) -> Option<String> {
        self.string_as(name, "a string", problems)
    }

    /// A time as RFC 3339 text; a `Date` (read as an object) is told how to give one.
    pub fn time(&mut self, name: &'a str, problems: &mut Problems) -> Option<String> {
        self.string_as(name, "an RFC 3339 string (for a Date, its toISOString())", problems)
    }

    fn string_as(&mut self, name: &'a str, expected: &str, problems: &mut Problems) -> Option<String> {
        let value = self.value(name)?;
        match value.as_str() {
            Some(s) if has_nul(s) => {
                problems.add(&self.path(name), NUL_PROBLEM);
                None
            }
            Some(s) => Some(s.to_string()),
            None => {
                problems.wrong_type(&self.path(name), expected, value);
                None
            }
        }
    }

    /// A finite number; `NaN` and infinities are refused.
    pub fn number(&mut self, name: &'a str, problems: &mut Problems) -> Option<f64> {
        let value = self.value(name)?;
        match value.as_f64() {
            Some(n) if n.is_finite() => Some(n),
            Some(_) => {
                problems.add(&self.path(name), "must be a finite number");
                None
            }
            None => {
                problems.wrong_type(&self.path(name), "a number", value);
                None
            }
        }
    }

    pub fn bool(&mut self, name: &'a str, problems: &mut Problems) -> Option<bool> {
        let value = self.value(name)?;
        match value.as_bool() {
            Some(b) => Some(b),
            None => {
                problems.wrong_type(&self.path(name), "true or false", value);
                None
            }
        }
    }

    pub fn strings(&mut self, name: &'a str, problems: &mut Problems) -> Option<Vec<String>> {
        let value = self.value(name)?;
        let path = self.path(name);
        let Some(items) = value.as_array() else {
            problems.wrong_type(&path, "an array of strings", value);
            return None;
        };
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(s) if has_nul(s) => problems.add(&text!(path, "[", i, "]"), NUL_PROBLEM),
                Some(s) => out.push(s.to_string()),
                None => problems.wrong_type(&text!(path, "[", i, "]"), "a string", item),
            }
        }
        (out.len() == items.len()).then_some(out)
    }

    /// A nested object, read by `read` with its own reader.
    pub fn object<T>(
        &mut self,
        name: &'a str,
        problems: &mut Problems,
        read: impl FnOnce(&mut Reader<'a>, &mut Problems) -> T,
    ) -> Option<T> {
        let value = self.value(name)?;
        let path = self.path(name);
        if value.as_object().is_none() {
            problems.wrong_type(&path, "an object", value);
            return None;
        }
        let mut nested = Reader::new(Some(value), &path, problems);
        let result = read(&mut nested, problems);
        nested.finish(problems);
        Some(result)
    }

    /// Reports every member that was never read, with the known name it may have meant.
    pub fn finish(self, problems: &mut Problems) {
        for (name, _) in self.members {
            if !self.read.contains(&name.as_str()) {
                let message = match self.read.iter().find(|known| same_letters(name.as_bytes(), known.as_bytes())) {
                    Some(known) => text!("is not a known option (did you mean ", known, "?)"),
                    None => "is not a known option".to_string(),
                };
                problems.add(&self.path(name), message);
            }
        }
    }
}

/// Whether `a` and `b` are the same but for ASCII case, `_` and `-`: an unknown member that
/// may be meant as a known one (`expires_at`, the provider's own spelling). Typos one letter
/// off (`nmae`) are not looked for: 0.2 KB of wasm for a hint the member's name already gives.
fn same_letters(a: &[u8], b: &[u8]) -> bool {
    let next = |bytes: &[u8], mut at: usize| {
        while bytes.get(at).is_some_and(|b| matches!(b, b'_' | b'-')) {
            at += 1;
        }
        at
    };
    let (mut i, mut j) = (0, 0);
    loop {
        (i, j) = (next(a, i), next(b, j));
        match (a.get(i), b.get(j)) {
            (None, None) => return true,
            (Some(x), Some(y)) if x.eq_ignore_ascii_case(y) => (i, j) = (i + 1, j + 1),
            _ => return false,
        }
    }
}

/// Whether `path` is `field` or a member or item of it (`budget.limit`, `scopes[1]`).
fn is_within(path: &str, field: &str) -> bool {
    path.as_bytes().strip_prefix(field.as_bytes()).is_some_and(|rest| matches!(rest.first(), None | Some(b'.' | b'[')))
}

/// `prefix.name`, or just `name` when `prefix` is empty.
pub fn dotted(prefix: &str, name: &str) -> String {
    let mut path = String::with_capacity(prefix.len() + 1 + name.len());
    if !prefix.is_empty() {
        path.push_str(prefix);
        path.push('.');
    }
    path.push_str(name);
    path
}

/// Checks an id taken from the caller before it goes into a path.
pub fn check_id(value: Option<&Json>, field: &str, problems: &mut Problems) -> String {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        problems.add(field, "is required");
        return String::new();
    };
    let Some(id) = value.as_str() else {
        problems.wrong_type(field, "a string", value);
        return String::new();
    };
    if crate::text::is_blank(id) {
        problems.add(field, "must not be empty");
    } else if id == "." || id == ".." {
        problems.add(field, "must not be \".\" or \"..\"");
    } else if char_count(id) > MAX_ID_LEN {
        problems.too_long(field, MAX_ID_LEN);
    } else if id.chars().any(char::is_control) {
        problems.add(field, "must not contain control characters");
    }
    id.to_string()
}

/// A name: not blank, at most `max` characters.
pub fn check_name(name: Option<&str>, field: &str, max: usize, problems: &mut Problems) {
    if let Some(name) = name {
        if crate::text::is_blank(name) {
            problems.add(field, "must not be empty");
        } else if char_count(name) > max {
            problems.too_long(field, max);
        }
    }
}

/// An expiry: RFC 3339 in UTC and later than `now_ms`.
pub fn check_future_utc(value: Option<&str>, field: &str, now_ms: f64, problems: &mut Problems) {
    let Some(value) = value else { return };
    match parse_rfc3339_utc(value) {
        None => problems.add(
            field,
            "must be an RFC 3339 timestamp in UTC, like 2030-01-31T00:00:00Z",
        ),
        Some(ms) if ms <= now_ms => problems.add(field, "must be in the future"),
        Some(_) => {}
    }
}

/// RFC 3339 in UTC, any time.
pub fn check_utc(value: Option<&str>, field: &str, problems: &mut Problems) {
    if value.is_some_and(|v| parse_rfc3339_utc(v).is_none()) {
        problems.add(field, "must be an RFC 3339 timestamp in UTC, like 2030-01-31T00:00:00Z");
    }
}

/// A number that must be 0 or more (and, when `whole`, an integer a server's integer
/// column holds: 1e30 would be sent as `1e+30`, which no integer field takes).
pub fn check_amount(value: Option<f64>, field: &str, whole: bool, problems: &mut Problems) {
    match value {
        Some(n) if n < 0.0 => problems.add(field, "must be 0 or more"),
        Some(n) if whole && !crate::json::float::is_whole(n) => problems.add(field, "must be a whole number"),
        Some(n) if whole && n > MAX_WHOLE => problems.add(field, text!("must be at most ", number_text(MAX_WHOLE))),
        _ => {}
    }
}

/// The largest whole number sent where a provider names no bound (offsets, page sizes,
/// counts): every whole number up to it is exact in an `f64` and fits a server's `i64`.
pub const MAX_WHOLE: f64 = 9.0e15;

/// A whole number in `min..=max`.
pub fn check_whole_in(value: Option<f64>, field: &str, min: f64, max: f64, problems: &mut Problems) {
    if let Some(n) = value {
        if !crate::json::float::is_whole(n) || n < min || n > max {
            problems.add(field, text!("must be a whole number from ", number_text(min), " to ", number_text(max)));
        }
    }
}

/// A value that must be one of `allowed`.
pub fn check_one_of(value: Option<&str>, field: &str, allowed: &[&str], problems: &mut Problems) {
    if let Some(value) = value {
        if !allowed.contains(&value) {
            problems.add(field, text!("must be one of ", quoted_list(allowed)));
        }
    }
}

/// A budget: a limit of 0 or more (whole when `whole`), a period named in `periods`
/// (names of [`BudgetPeriod`](crate::model::BudgetPeriod)s). `field` is where the caller wrote it (`budget` inside an
/// object, empty at the top).
pub fn check_budget(budget: &BudgetInput, field: &str, periods: &[&str], whole: bool, provider: &str, problems: &mut Problems) {
    check_amount(budget.limit.flatten(), &dotted(field, "limit"), whole, problems);
    if let Some(Some(period)) = budget.period {
        if !periods.contains(&period.as_str()) {
            let message = text!(provider, " supports ", quoted_list(periods), " (or null for no reset)");
            problems.add(&dotted(field, "period"), message);
        }
    }
}

/// A UUID in its usual 8-4-4-4-12 hex form.
pub fn check_uuid(value: Option<&str>, field: &str, problems: &mut Problems) {
    if value.is_some_and(|v| !is_uuid(v)) {
        problems.add(field, "must be a UUID like 0df9e665-d932-5740-b2c7-b52af166bc11");
    }
}

/// Whether `text` is a UUID in its 8-4-4-4-12 hex form.
/// (Groups of 8, 4, 4, 4 and 12 hex digits: dashes exactly at bytes 8, 13, 18 and 23.)
pub fn is_uuid(text: &str) -> bool {
    text.len() == 36
        && text.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// `"a", "b" or "c"`.
pub fn quoted_list(items: &[&str]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        out.push('"');
        out.push_str(item);
        out.push('"');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obj(text: &str) -> Json {
        serde_json::from_str(text).unwrap()
    }

    #[test]
    fn reports_every_bad_field_and_unknown_ones() {
        let input = obj(r#"{"name":5,"limit":"x","tags":[1,"a"],"nmae":"typo"}"#);
        let mut problems = Problems::new();
        let mut r = Reader::new(Some(&input), "", &mut problems);
        assert_eq!(r.string("name", &mut problems), None);
        assert_eq!(r.number("limit", &mut problems), None);
        assert_eq!(r.strings("tags", &mut problems), None);
        r.finish(&mut problems);
        let fields: Vec<&str> = problems.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["name", "limit", "tags[0]", "nmae"]);
    }

    /// However many bad members an input holds, a hundred are listed (and each new one is
    /// checked against those only).
    #[test]
    fn at_most_a_hundred_problems_are_kept() {
        let mut problems = Problems::new();
        for i in 0..100_000usize {
            problems.add(&text!("x", i), "is not a known option");
        }
        assert_eq!(problems.fields().len(), MAX_PROBLEMS);
        assert_eq!(problems.fields()[99].field, "x99");
    }

    #[test]
    fn a_nul_in_any_string_is_refused() {
        let input = obj(r#"{"name":"a\u0000b","tags":["ok","\u0000"],"note":"fine\nline"}"#);
        let mut problems = Problems::new();
        let mut r = Reader::new(Some(&input), "", &mut problems);
        assert_eq!(r.string("name", &mut problems), None);
        assert_eq!(r.strings("tags", &mut problems), None);
        assert_eq!(r.string("note", &mut problems).as_deref(), Some("fine\nline"));
        let found: Vec<(&str, &str)> = problems.fields().iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
        assert_eq!(found, [("name", NUL_PROBLEM), ("tags[1]", NUL_PROBLEM)]);
    }

    /// A name's limit counts characters, not bytes or UTF-16 units: "é" is two bytes and
    /// an emoji four bytes and two units, each one character.
    #[test]
    fn a_name_is_measured_in_characters() {
        let problem = |name| {
            let mut problems = Problems::new();
            check_name(Some(name), "name", 3, &mut problems);
            problems.fields().first().map(|f| f.message.clone())
        };
        for name in ["ééé", "a😀c", "abc"] {
            assert_eq!(problem(name), None, "{name}");
        }
        for name in ["éééé", "😀😀😀😀", "abcd"] {
            assert_eq!(problem(name).as_deref(), Some("must be at most 3 characters"), "{name}");
        }
    }

    /// A whole amount (GPT Core's integer credits) is refused above what an integer column
    /// holds, where it would be sent as `1e+30`; an amount in dollars may be any size.
    #[test]
    fn a_whole_amount_beyond_an_integer_column_is_refused() {
        for (n, whole, expected) in [
            (1e30, true, Some("must be at most 9000000000000000")),
            (9.0e15, true, None),
            (1e30, false, None),
            (1.5, true, Some("must be a whole number")),
        ] {
            let mut problems = Problems::new();
            check_amount(Some(n), "limit", whole, &mut problems);
            assert_eq!(problems.fields().first().map(|f| f.message.as_str()), expected, "{n}");
        }
    }

    /// One problem per field, the first: `name: 42` is "must be a string", not also
    /// "is required"; a member refused whole drops what was found inside it, not beside it.
    #[test]
    fn a_field_has_one_problem_and_a_refused_member_none_inside() {
        let mut problems = Problems::new();
        problems.add("name", "must be a string, not a number");
        problems.add("name", "is required");
        problems.add("rateLimit.requests", "is required");
        problems.add("rateLimitX", "is not a known option");
        problems.add("scopes[0]", "must be a string");
        problems.refuse("rateLimit", "is not supported by OpenRouter");
        let found: Vec<(&str, &str)> = problems.fields().iter().map(|f| (f.field.as_str(), f.message.as_str())).collect();
        assert_eq!(
            found,
            [
                ("name", "must be a string, not a number"),
                ("rateLimitX", "is not a known option"),
                ("scopes[0]", "must be a string"),
                ("rateLimit", "is not supported by OpenRouter"),
            ]
        );
    }

    /// An unknown member spelled as a known one but for case, `_` and `-` names it; a typo,
    /// or a name that only contains a known one, does not.
    #[test]
    fn an_unknown_member_near_a_known_one_names_it() {
        let input = obj(r#"{"expires_at":1,"Name":2,"include-byok-in-limit":3,"nmae":4,"budgets":5,"colour":6}"#);
        let mut problems = Problems::new();
        let mut r = Reader::new(Some(&input), "", &mut problems);
        for known in ["expiresAt", "name", "includeByokInLimit", "budget"] {
            r.value(known);
        }
        r.finish(&mut problems);
        let messages: Vec<&str> = problems.fields().iter().map(|f| f.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "is not a known option (did you mean expiresAt?)",
                "is not a known option (did you mean name?)",
                "is not a known option (did you mean includeByokInLimit?)",
                "is not a known option",
                "is not a known option",
                "is not a known option",
            ]
        );
    }

    #[test]
    fn nested_objects_report_dotted_paths() {
        let input = obj(r#"{"budget":{"limit":true,"extra":1}}"#);
        let mut problems = Problems::new();
        let mut r = Reader::new(Some(&input), "", &mut problems);
        r.object("budget", &mut problems, |b, p| b.number("limit", p));
        r.finish(&mut problems);
        let fields: Vec<&str> = problems.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["budget.limit", "budget.extra"]);
    }

    #[test]
    fn ids_must_be_usable_path_segments() {
        for (value, ok) in [
            (Json::from("abc"), true),
            (Json::from("../x"), true),
            (Json::from(""), false),
            (Json::from(".."), false),
            (Json::from("a\nb"), false),
            (Json::from("é".repeat(512)), true),
            (Json::from("鍵".repeat(512)), true),
            (Json::from("a".repeat(513)), false),
            (Json::Number(1.0), false),
            (Json::Null, false),
        ] {
            let mut problems = Problems::new();
            check_id(Some(&value), "id", &mut problems);
            assert_eq!(problems.is_empty(), ok, "{value:?}");
        }
    }

    #[test]
    fn expiry_must_be_future_utc() {
        let now = parse_rfc3339_utc("2026-06-01T00:00:00Z").unwrap();
        for (value, ok) in [
            ("2030-01-01T00:00:00Z", true),
            ("2020-01-01T00:00:00Z", false),
            ("2030-01-01T00:00:00+01:00", false),
            ("next week", false),
        ] {
            let mut problems = Problems::new();
            check_future_utc(Some(value), "expiresAt", now, &mut problems);
            assert_eq!(problems.is_empty(), ok, "{value}");
        }
    }

    #[test]
    fn uuids_need_the_8_4_4_4_12_hex_form() {
        assert!(is_uuid("0df9e665-d932-5740-b2c7-b52af166bc11"));
        for bad in ["", "0df9e665d932-5740-b2c7-b52af166bc11-", "0df9e665-d932-5740-b2c7-b52af166bc1g", "0df9e665-d932-5740-b2c7b-52af166bc11"] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }

    #[test]
    fn lists_read_naturally() {
        assert_eq!(quoted_list(&["a", "b", "c"]), "\"a\", \"b\" or \"c\"");
        assert_eq!(quoted_list(&["a"]), "\"a\"");
        assert_eq!(quoted_list(&["a", "b"]), "\"a\" or \"b\"");
        assert_eq!(quoted_list(&[]), "");
    }
}
