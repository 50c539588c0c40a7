//! The tape reader (apikeys-json-tape) read into trees, checked against serde_json.

use crate::prelude::*;
use crate::{build, Doc, Json, MemberStack};

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
