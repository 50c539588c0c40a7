//! Test helpers: an in-memory app and authenticated request builders per provider.

use crate::app::{App, Config};
use crate::faults::Rule;
use crate::http::{Outcome, Request, Response};
use crate::providers::ProviderId;
use serde_json::Value;

pub fn app() -> App {
    App::new(Config::default()).unwrap()
}

pub fn call(app: &App, req: Request) -> Response {
    match app.dispatch(req) {
        Outcome::Respond(r) => r,
        Outcome::Drop => panic!("connection dropped"),
    }
}

pub fn req(method: &str, path: &str) -> Request {
    Request::new(method, path).with_header("host", "127.0.0.1:8787")
}

pub fn with_json(r: Request, body: Value) -> Request {
    r.with_header("content-type", "application/json")
        .with_body(body.to_string())
}

pub fn add_fault(app: &App, rule: Value) {
    app.faults().add(Rule::parse(&rule).unwrap());
}

pub fn count_keys(app: &App, provider: &str) -> usize {
    let p = ProviderId::from_name(provider).unwrap();
    app.store.read(|s| p.public_keys(s, 0).len())
}

fn mgmt(p: ProviderId) -> &'static str {
    p.management_key()
}

// OpenRouter
pub fn or_req(method: &str, sub: &str) -> Request {
    req(method, &format!("/openrouter/api/v1{sub}")).with_header(
        "authorization",
        &format!("Bearer {}", mgmt(ProviderId::OpenRouter)),
    )
}
pub fn or_get(sub: &str) -> Request {
    or_req("GET", sub)
}
pub fn or_post(sub: &str, body: Value) -> Request {
    with_json(or_req("POST", sub), body)
}

// GPT Core
pub fn gc_req(method: &str, sub: &str) -> Request {
    req(method, &format!("/gptcore{sub}"))
        .with_header(
            "authorization",
            &format!("Bearer {}", mgmt(ProviderId::GptCore)),
        )
        .with_header("accept", "application/vnd.api+json")
}
pub fn gc_get(sub: &str) -> Request {
    gc_req("GET", sub)
}
pub fn gc_send(method: &str, sub: &str, body: Value) -> Request {
    gc_req(method, sub)
        .with_header("content-type", "application/vnd.api+json")
        .with_body(body.to_string())
}

// Quantum
pub fn q_req(method: &str, sub: &str) -> Request {
    req(method, &format!("/quantum{sub}")).with_header("x-api-key", mgmt(ProviderId::Quantum))
}
pub fn q_send(method: &str, sub: &str, body: Value) -> Request {
    with_json(q_req(method, sub), body)
}

// Anthropic
pub fn an_req(method: &str, sub: &str) -> Request {
    req(method, &format!("/anthropic{sub}"))
        .with_header("x-api-key", mgmt(ProviderId::Anthropic))
        .with_header("anthropic-version", "2023-06-01")
}
pub fn an_send(method: &str, sub: &str, body: Value) -> Request {
    with_json(an_req(method, sub), body)
}

// Fluxbase
pub fn fb_req(method: &str, sub: &str) -> Request {
    req(method, &format!("/fluxbase{sub}")).with_header("x-service-key", mgmt(ProviderId::Fluxbase))
}
pub fn fb_get(sub: &str) -> Request {
    fb_req("GET", sub)
}
pub fn fb_send(method: &str, sub: &str, body: Value) -> Request {
    with_json(fb_req(method, sub), body)
}
