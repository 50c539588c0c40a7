//! A value of every shape the serializer (`write.rs`) is tested with.

use crate::prelude::*;
use crate::Json;

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Sample {
    pub key_id: Option<String>,
    pub missing: Option<f64>,
    pub count: u32,
    pub ratio: f64,
    pub flag: bool,
    pub nested: Option<Inner>,
    pub absent: Option<Inner>,
    pub tags: Vec<String>,
    pub state: State,
    pub raw: Json,
}

#[derive(serde::Serialize)]
pub struct Inner {
    pub a: f64,
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum State {
    AllGood,
}

/// A sample with `raw`; `ratio` is infinite (written as `null`).
pub fn sample(raw: Json) -> Sample {
    let tags = vec!["é🔑".into(), "".into()];
    let nested = Some(Inner { a: -2.5 });
    Sample { key_id: Some("k\"".into()), missing: None, count: 3, ratio: f64::INFINITY, flag: true, nested, absent: None, tags, state: State::AllGood, raw }
}
