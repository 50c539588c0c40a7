//! The tape reader (apikeys-json-tape) read into trees, checked against serde_json, and
//! the columns writer with a `Json` member.

use crate::prelude::*;
use crate::sample::sample;
use crate::{build, to_columns, Doc, Json, MemberStack};

fn same_as_serde_json(text: &str) {
    let ours = Json::parse(text).unwrap();
    let theirs: Json = serde_json::from_str(text).unwrap();
    assert_eq!(ours, theirs, "{text}");
}

#[test]
fn reads_what_serde_json_reads() {
    for text in [
        r#"{"a":[1,-2.5e3,0.125,true,false,null],"b":{"c":"x\"y\\z\/\b\f\n\r\t"}}"#,
        r#" [ ] "#,
        r#"{}"#,
        r#""\u00e9\ud83d\ude00""#,
        r#"-0"#,
        r#"1E+2"#,
        r#"{"k":1,"k":2}"#,
    ] {
        same_as_serde_json(text);
    }
}

#[test]
fn many_names_and_repeats_stay_fast_and_keep_the_last_value() {
    let members: Vec<String> = (0..200_000).map(|i| format!("\"k{}\":{}", i % 100_000, i)).collect();
    let value = Json::parse(&format!("{{{}}}", members.join(","))).unwrap();
    assert_eq!(value.as_object().unwrap().len(), 100_000);
    assert_eq!(value.get("k5"), Some(&Json::Number(100_005.0)));
}

#[test]
fn a_repeated_name_keeps_its_first_place_and_its_last_value_in_small_and_large_objects() {
    for size in [3, 31, 32, 33, 100] {
        let mut members: Vec<String> = (0..size).map(|i| format!("\"k{}\":{}", i, i)).collect();
        members.push("\"k1\":\"last\"".into());
        members.push("\"k0\":\"end\"".into());
        let value = Json::parse(&format!("{{{}}}", members.join(","))).unwrap();
        let object = value.as_object().unwrap();
        let names: Vec<&str> = object.iter().map(|(k, _)| k.as_str()).collect();
        let expected: Vec<String> = (0..size).map(|i| format!("k{}", i)).collect();
        assert_eq!(names, expected, "{size} members");
        assert_eq!(value.get("k1"), Some(&Json::String("last".into())));
        assert_eq!(value.get("k0"), Some(&Json::String("end".into())));
        assert_eq!(value.get("k2"), Some(&Json::Number(2.0)));
    }
}

#[test]
fn a_million_repeats_of_a_name_stay_one_member_and_do_not_pile_up() {
    let mut text = String::from("{");
    for i in 0..40 {
        text.push_str(&format!("\"k{i}\":{i},"));
    }
    text.push_str(&"\"a\":0,".repeat(1_000_000));
    text.push_str("\"a\":1}");
    let doc = Doc::parse(text).unwrap();
    let mut stack = MemberStack::new();
    let value = build(doc.root(), &mut stack);
    assert_eq!(value.as_object().unwrap().len(), 41);
    assert_eq!(value.get("a"), Some(&Json::Number(1.0)));
    assert_eq!(doc.root().get("a").and_then(|a| a.as_f64()), Some(1.0));
    assert!(stack.capacity() < 1_000, "the member stack grew to {}", stack.capacity());
}

#[test]
fn objects_of_many_members_nested_in_one_keep_every_member() {
    let inner: Vec<String> = (0..40).map(|i| format!("\"m{i}\":{i}")).collect();
    let inner = format!("{{{}}}", inner.join(","));
    let outer: Vec<String> = (0..20_000).map(|i| format!("\"o{i}\":{inner}")).collect();
    let value = Json::parse(&format!("{{{}}}", outer.join(","))).unwrap();
    assert_eq!(value.as_object().unwrap().len(), 20_000);
    assert_eq!(value.get("o19999").and_then(|o| o.get("m39")), Some(&Json::Number(39.0)));
}

#[test]
fn lone_surrogates_become_replacement_characters() {
    assert_eq!(Json::parse(r#""\ud800x""#).unwrap(), Json::String("\u{FFFD}x".into()));
}

#[test]
fn strings_join_in_one_text_and_the_rest_are_numbers() {
    let columns = to_columns(&[sample(Json::Null)]).unwrap();
    assert_eq!(columns.text, "k\"é🔑allGood");
    let slots: Vec<Option<f64>> = columns.slots.iter().map(|&n| (!n.is_nan()).then_some(n)).collect();
    let expected = [1.0, 1.0, 2.0, f64::NAN, 3.0, f64::NAN, 1.0, 1.0, -2.5, f64::NAN, 2.0, 3.0, 0.0, 7.0, f64::NAN];
    let expected: Vec<Option<f64>> = expected.iter().map(|&n| (!n.is_nan()).then_some(n)).collect();
    assert_eq!(slots, expected, "count, struct, key id (2 units), missing, count, ratio, flag, nested, absent, tags, state, raw");
}

#[test]
fn maps_are_refused_with_a_message() {
    let raw = Json::parse(r#"{"a":1}"#).unwrap();
    let error = to_columns(&sample(raw)).unwrap_err();
    assert_eq!(error.message(), "maps are not written as columns");
}
