//! Helpers for the native tests: clients, canned responses, and a small OpenAPI
//! schema checker so request bodies are compared with the official specs.

use crate::client::{Client, Exchange};
use crate::config::Config;
use crate::json::Json;
use crate::operation::Operation;
use crate::providers::{Output, Step};
use crate::wire::{Body, HttpResponse};

/// The error statuses every provider documents, with the kind each must become.
pub const ERROR_STATUSES: [(u16, crate::error::ErrorKind); 6] = [
    (400, crate::error::ErrorKind::BadRequest),
    (401, crate::error::ErrorKind::Authentication),
    (403, crate::error::ErrorKind::Permission),
    (404, crate::error::ErrorKind::NotFound),
    (429, crate::error::ErrorKind::RateLimit),
    (500, crate::error::ErrorKind::Server),
];

/// 2026-06-01T00:00:00Z: the fixed "now" of the tests.
pub const NOW: f64 = 1_780_272_000_000.0;

pub fn json(text: &str) -> Json {
    serde_json::from_str(text).expect("test JSON")
}

pub fn client(options: &str) -> Client {
    Client::new(Config::from_json(&json(options)).expect("test options"))
}

/// A JSON response body given as text.
pub fn json_body(text: &str) -> Body {
    Body::Json(crate::json::Doc::parse(text.into()).expect("test JSON"))
}

/// A response with a JSON body given as text.
pub fn respond(status: u16, body: &str) -> HttpResponse {
    let body = if body.is_empty() { Body::Empty } else { json_body(body) };
    HttpResponse::new(status, body)
}

/// Starts `op` and returns the exchange, panicking on validation errors.
pub fn begin(client: &Client, op: Operation, id: Option<&str>, input: Option<&str>) -> Exchange {
    let id = id.map(Json::from);
    let input = input.map(json);
    client.begin(op, id.as_ref(), input.as_ref(), NOW).expect("valid call")
}

/// Feeds one response and expects a final output. A list page's cursor read from the
/// body alone (what `listAll` asks for next) must be the one the page says.
pub fn finish(exchange: &mut Exchange, response: HttpResponse) -> Output {
    let early_cursor = exchange.next_cursor(&response);
    let output = match exchange.receive(&response, NOW).expect("success") {
        Step::Done(output) => output,
        Step::Send(next) => panic!("unexpected second request {:?}", next),
    };
    if let (Output::Page(page), Operation::List) = (&output, exchange.operation()) {
        assert_eq!(early_cursor, page.next_cursor, "Exchange::next_cursor agrees with the page");
    }
    output
}

/// The fields of the `ValidationError` that `op` with `id` and `input` must fail with.
pub fn validation_fields(client: &Client, op: Operation, id: Option<&str>, input: &str) -> Vec<String> {
    let input = json(input);
    let id = id.map(Json::from);
    let error = client.begin(op, id.as_ref(), Some(&input), NOW).expect_err("a validation error");
    assert_eq!(error.kind, crate::error::ErrorKind::Validation, "{}", error.message);
    error.fields.iter().map(|f| f.field.clone()).collect()
}

/// The request body parsed back to JSON.
pub fn body_of(exchange: &Exchange) -> serde_json::Value {
    serde_json::from_str(exchange.request().body.as_deref().expect("a body")).expect("JSON body")
}

/// The trimmed official spec `name` from `../shared/specs/`, or `None` (with a printed
/// skip reason) where that folder is absent.
pub fn spec(name: &str) -> Option<serde_json::Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/specs").join(name);
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("spec JSON")),
        Err(_) => {
            eprintln!("skipped: {} is absent, spec check not run", path.display());
            None
        }
    }
}

#[path = "../tests/common/schema.rs"]
mod schema;
pub use schema::schema_problems;
