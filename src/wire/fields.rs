//! Reading provider response JSON: tolerant of extra fields, strict about required ones.
//!
//! Rule: a required field that is missing or of the wrong type is a
//! `ResponseFormatError` naming the field; optional fields of the wrong type read as
//! absent (the provider's UNVERIFIED shapes vary, and `raw` keeps the original).

use crate::prelude::*;
use crate::error::Error;
use crate::json::{Items, Node};

/// The object at `value`, or a format error naming `what`.
pub fn object<'a>(value: Option<Node<'a>>, what: &str) -> Result<Node<'a>, Error> {
    match value {
        Some(v) if v.is_object() => Ok(v),
        other => Err(shape_error(other, what, "an object")),
    }
}

/// The array at `value`, or a format error naming `what`.
pub fn array<'a>(value: Option<Node<'a>>, what: &str) -> Result<Items<'a>, Error> {
    match value.and_then(Node::items) {
        Some(items) => Ok(items),
        None => Err(shape_error(value, what, "an array")),
    }
}

/// Why `value` is not `expected` (`an object`, `an array`): absent or another type.
fn shape_error(value: Option<Node<'_>>, what: &str, expected: &str) -> Error {
    Error::format(match value {
        Some(other) => text!("expected ", what, " to be ", expected, ", got ", other.type_name()),
        None => text!("the response has no ", what),
    })
}

/// Required string member `name`.
pub fn req_str(obj: Node<'_>, name: &str) -> Result<String, Error> {
    let value = obj.get_present(name);
    match value.and_then(Node::as_str) {
        Some(s) => Ok(s.to_string()),
        None => Err(Error::format(match value {
            Some(other) => text!("the field \"", name, "\" should be a string, got ", other.type_name()),
            None => text!("the response lacks the required field \"", name, "\""),
        })),
    }
}

/// Required id member `name`: a string, or a number written as text.
pub fn req_id(obj: Node<'_>, name: &str) -> Result<String, Error> {
    match obj.get(name).and_then(Node::as_f64) {
        Some(n) => Ok(crate::wire::path::number(n)),
        None => req_str(obj, name),
    }
}

/// Optional string member; other types read as absent.
pub fn opt_str(obj: Node<'_>, name: &str) -> Option<String> {
    obj.get(name).and_then(Node::as_str).map(str::to_string)
}

/// Optional number member; numeric strings are accepted too.
pub fn opt_f64(obj: Node<'_>, name: &str) -> Option<f64> {
    as_number(obj.get(name)?)
}

/// A number, or text holding one (some APIs quote numbers).
pub fn as_number(value: Node<'_>) -> Option<f64> {
    value.as_f64().or_else(|| crate::json::parse_decimal(crate::text::trimmed(value.as_str()?)))
}

/// Optional boolean member.
pub fn opt_bool(obj: Node<'_>, name: &str) -> Option<bool> {
    obj.get(name).and_then(Node::as_bool)
}

/// Optional array of strings (non-strings skipped).
pub fn opt_strings(obj: Node<'_>, name: &str) -> Option<Vec<String>> {
    let items = obj.get(name)?.items()?;
    let mut out = Vec::new();
    for text in items.filter_map(Node::as_str) {
        out.push(text.to_string());
    }
    Some(out)
}

/// A timestamp member given as text, or as epoch seconds/milliseconds, as RFC 3339 text.
pub fn opt_time(obj: Node<'_>, name: &str) -> Option<String> {
    let value = obj.get(name)?;
    match value.as_str() {
        Some(s) => Some(s.to_string()),
        None => value.as_f64().map(|n| crate::time::format_rfc3339(epoch_ms(n))),
    }
}

/// Epoch numbers below 10^11 are taken as seconds, others as milliseconds.
fn epoch_ms(n: f64) -> f64 {
    if n.abs() < 1e11 {
        n * 1000.0
    } else {
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> crate::json::Doc {
        crate::json::Doc::parse(text.into()).unwrap()
    }

    #[test]
    fn required_fields_name_themselves() {
        let doc = json(r#"{"a":1,"b":null}"#);
        let obj = doc.root();
        assert!(req_str(obj, "a").unwrap_err().message.contains("\"a\""));
        assert!(req_str(obj, "b").unwrap_err().message.contains("\"b\""));
        assert_eq!(req_id(obj, "a").unwrap(), "1");
    }

    #[test]
    fn optional_fields_are_tolerant() {
        let doc = json(r#"{"n":"2.5","s":3,"t":1700000000}"#);
        let obj = doc.root();
        assert_eq!(opt_f64(obj, "n"), Some(2.5));
        assert_eq!(opt_str(obj, "s"), None);
        assert_eq!(opt_time(obj, "t").as_deref(), Some("2023-11-14T22:13:20Z"));
    }
}
