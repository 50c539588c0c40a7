//! The application: routes each request to the control API, a provider, or static files, applies
//! faults, and adds CORS headers.
//!
//! Provider pipeline: pick fault (header `x-sandbox-fault` first, then rules) → delay → drop-before /
//! status fault → 413 check → handler (panics become 500) → drop-after / malformed → provider headers.

use crate::error::ApiError;
use crate::faults::{retry_after_seconds, Action, Fault, Faults, Malformed, Rule};
use crate::http::{self, Handler, Outcome, Request, Response};
use crate::providers::{Ctx, ProviderId};
use crate::store::Store;
use crate::{control, static_files, time};
use serde_json::{json, Value};
use std::net::{SocketAddr, TcpListener};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};
use std::time::Duration;

/// Default OpenRouter page size.
pub const DEFAULT_PAGE_SIZE: usize = 100;

const CORS_ALLOW_HEADERS: &str = "*, authorization, x-api-key, anthropic-version, anthropic-beta, content-type, \
accept, x-service-key, x-sandbox-fault, idempotency-key, http-referer, x-title, x-application-key, x-quantum-app";
const CORS_EXPOSE_HEADERS: &str =
    "request-id, x-qai-request-id, retry-after, retry-after-ms, x-ratelimit-limit, \
x-ratelimit-remaining, x-ratelimit-reset";

/// Server settings (from the command line).
#[derive(Debug, Clone)]
pub struct Config {
    pub host: String,
    pub port: u16,
    pub data: Option<PathBuf>,
    pub www: Option<PathBuf>,
    pub pkg: Option<PathBuf>,
    pub page_size: usize,
    /// Fault rules installed at start (same JSON as `POST /_sandbox/faults`).
    pub faults: Vec<Value>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            host: "127.0.0.1".into(),
            port: 8787,
            data: None,
            www: None,
            pkg: None,
            page_size: DEFAULT_PAGE_SIZE,
            faults: Vec::new(),
        }
    }
}

/// The whole emulator.
#[derive(Debug)]
pub struct App {
    pub(crate) store: Store,
    pub(crate) faults: Mutex<Faults>,
    pub(crate) config: Config,
    bound: OnceLock<SocketAddr>,
}

/// A started server.
#[derive(Debug)]
pub struct Running {
    pub addr: SocketAddr,
    pub app: Arc<App>,
}

impl Running {
    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Binds `config.host:config.port` and serves on a background thread.
pub fn start(config: Config) -> Result<Running, String> {
    let listener = TcpListener::bind((config.host.as_str(), config.port))
        .map_err(|e| format!("cannot bind {}:{}: {e}", config.host, config.port))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let app = Arc::new(App::new(config)?);
    let _ = app.bound.set(addr);
    let handler: Arc<dyn Handler> = app.clone();
    std::thread::Builder::new()
        .name("sandbox-accept".into())
        .spawn(move || http::serve(listener, handler))
        .map_err(|e| e.to_string())?;
    Ok(Running { addr, app })
}

impl Handler for App {
    /// [`App::dispatch`], with any panic outside a provider handler turned into a plain 500.
    fn handle(&self, req: Request) -> Outcome {
        catch_unwind(AssertUnwindSafe(|| self.dispatch(req))).unwrap_or_else(|_| {
            let mut resp = Response::json(500, &json!({"error": "Internal server error"}));
            add_cors(&mut resp);
            Outcome::Respond(resp)
        })
    }
}

impl App {
    /// Opens the store and installs the configured faults.
    pub fn new(config: Config) -> Result<App, String> {
        let store =
            Store::open(config.data.clone()).map_err(|e| format!("cannot open state: {e}"))?;
        let mut faults = Faults::default();
        for f in &config.faults {
            faults.add(Rule::parse(f).map_err(|e| format!("--fault {f}: {e}"))?);
        }
        Ok(App {
            store,
            faults: Mutex::new(faults),
            config,
            bound: OnceLock::new(),
        })
    }

    pub(crate) fn faults(&self) -> MutexGuard<'_, Faults> {
        self.faults.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `http://host:port` as the client addressed us (Host header), else the bound address.
    pub fn origin(&self, req: &Request) -> String {
        match req
            .header("host")
            .filter(|h| !h.is_empty() && !h.contains(['/', ' ']))
        {
            Some(host) => format!("http://{host}"),
            None => match self.bound.get() {
                Some(addr) => format!("http://{addr}"),
                None => format!("http://{}:{}", self.config.host, self.config.port),
            },
        }
    }

    /// Answers one request.
    pub fn dispatch(&self, req: Request) -> Outcome {
        let outcome = if req.method == "OPTIONS" {
            Outcome::Respond(Response::empty(204).with_header("Access-Control-Max-Age", "600"))
        } else if let Some(sub) = req
            .path
            .strip_prefix("/_sandbox")
            .filter(|s| s.is_empty() || s.starts_with('/'))
        {
            Outcome::Respond(control::handle(self, &req, sub))
        } else if let Some((provider, sub)) = ProviderId::route(&req.path) {
            let sub = sub.to_string();
            self.provider_request(provider, &req, &sub)
        } else {
            Outcome::Respond(self.static_or_404(&req))
        };
        match outcome {
            Outcome::Respond(mut resp) => {
                add_cors(&mut resp);
                Outcome::Respond(resp)
            }
            Outcome::Drop => Outcome::Drop,
        }
    }

    fn static_or_404(&self, req: &Request) -> Response {
        let from_pkg = req
            .path
            .strip_prefix("/pkg")
            .filter(|r| r.is_empty() || r.starts_with('/'));
        let found = match (from_pkg, &self.config.pkg, &self.config.www) {
            (Some(rest), Some(pkg), _) => static_files::serve(pkg, rest, req),
            (_, _, Some(www)) => static_files::serve(www, &req.path, req),
            _ => None,
        };
        found.unwrap_or_else(|| {
            Response::json(404, &json!({"error": "Not Found", "path": req.path}))
        })
    }

    fn provider_request(&self, provider: ProviderId, req: &Request, sub: &str) -> Outcome {
        let ctx = Ctx {
            store: &self.store,
            now: time::now_ms(),
            request_id: provider.new_request_id(),
            page_size: self.config.page_size,
        };
        let fault = match self.fault_for(provider, req, sub) {
            Ok(f) => f.unwrap_or_default(),
            Err(msg) => {
                return Outcome::Respond(self.finish(
                    provider,
                    &ctx,
                    provider.render_error(&ApiError::bad_request(msg), &ctx),
                ))
            }
        };
        if let Some(ms) = fault.delay_ms {
            std::thread::sleep(Duration::from_millis(ms));
        }
        let resp = match &fault.action {
            Some(Action::DropBefore) => return Outcome::Drop,
            Some(Action::Status {
                status,
                retry_after,
                retry_after_ms,
            }) => status_fault(
                provider,
                &ctx,
                *status,
                retry_after.as_deref(),
                *retry_after_ms,
            ),
            _ => run_handler(provider, &ctx, req, sub),
        };
        match fault.action {
            Some(Action::DropAfter) => Outcome::Drop,
            Some(Action::Malformed(kind)) => {
                Outcome::Respond(self.finish(provider, &ctx, malform(resp, kind)))
            }
            _ => Outcome::Respond(self.finish(provider, &ctx, resp)),
        }
    }

    fn finish(&self, provider: ProviderId, ctx: &Ctx, mut resp: Response) -> Response {
        provider.decorate(&mut resp, ctx);
        resp
    }

    /// The per-request header fault, else the first matching rule.
    fn fault_for(
        &self,
        provider: ProviderId,
        req: &Request,
        sub: &str,
    ) -> Result<Option<Fault>, String> {
        if let Some(raw) = req.header("x-sandbox-fault") {
            let v: Value = serde_json::from_str(raw)
                .map_err(|e| format!("x-sandbox-fault is not JSON: {e}"))?;
            return Fault::parse(&v)
                .map(Some)
                .map_err(|e| format!("x-sandbox-fault: {e}"));
        }
        Ok(self.faults().take(provider.name(), &req.method, sub))
    }
}

/// Runs the provider handler; oversized bodies get 413 and panics 500, both in the provider envelope.
fn run_handler(provider: ProviderId, ctx: &Ctx, req: &Request, sub: &str) -> Response {
    if req.body_too_large {
        return provider.render_error(&ApiError::too_large(), ctx);
    }
    match catch_unwind(AssertUnwindSafe(|| provider.handle(ctx, req, sub))) {
        Ok(Ok(resp)) => resp,
        Ok(Err(err)) => provider.render_error(&err, ctx),
        Err(_) => provider.render_error(&ApiError::internal("Internal server error"), ctx),
    }
}

/// An injected error status with the provider's body and retry hints.
fn status_fault(
    provider: ProviderId,
    ctx: &Ctx,
    status: u16,
    retry_after: Option<&str>,
    retry_after_ms: Option<u64>,
) -> Response {
    let message = match status {
        429 => "Rate limit exceeded",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        529 => "Overloaded",
        _ => http::reason(status),
    };
    // Quantum's gateway always sends `Retry-After` on a 429 (5 s per credential), and
    // Fluxbase's limiter the `retry_after` of its body (60 s unless told).
    let retry_after = match (retry_after, provider, status) {
        (None, ProviderId::Quantum, 429) => Some("5"),
        (None, ProviderId::Fluxbase, 429) => Some("60"),
        (given, ..) => given,
    };
    let mut err = ApiError::new(status, message);
    err.retry_after = retry_after.map(retry_after_seconds);
    let mut resp = provider.render_error(&err, ctx);
    if let Some(ra) = retry_after {
        resp.set_header("Retry-After", ra);
    }
    if let Some(ms) = retry_after_ms {
        resp.set_header("retry-after-ms", &ms.to_string());
    }
    if status == 429 && matches!(provider, ProviderId::OpenRouter | ProviderId::Fluxbase) {
        // Fiber's limiter (Fluxbase) counts the seconds until the reset; for OpenRouter the
        // unit is UNVERIFIED, and an epoch in seconds is kept.
        let wait_s = err.retry_after.unwrap_or(60) as i64;
        let reset_s = if provider == ProviderId::Fluxbase { wait_s } else { ctx.now / 1000 + wait_s };
        resp.set_header("X-RateLimit-Limit", "100");
        resp.set_header("X-RateLimit-Remaining", "0");
        resp.set_header("X-RateLimit-Reset", &reset_s.to_string());
    }
    resp
}

/// Replaces a real answer with a broken 200.
fn malform(resp: Response, kind: Malformed) -> Response {
    let (ctype, body): (&str, Vec<u8>) = match kind {
        Malformed::Truncated => {
            let half = if resp.body.len() > 1 { resp.body[..resp.body.len() / 2].to_vec() } else { b"{\"data\":[".to_vec() };
            ("application/json", half)
        }
        Malformed::Html => (
            "text/html",
            b"<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>".to_vec(),
        ),
        Malformed::Empty => ("application/json", Vec::new()),
        Malformed::NotJson => ("application/json", b"upstream connect error or disconnect/reset before headers".to_vec()),
    };
    Response {
        status: 200,
        headers: vec![("Content-Type".into(), ctype.into())],
        body,
    }
}

fn add_cors(resp: &mut Response) {
    resp.set_header("Access-Control-Allow-Origin", "*");
    resp.set_header(
        "Access-Control-Allow-Methods",
        "GET, POST, PATCH, PUT, DELETE, OPTIONS",
    );
    resp.set_header("Access-Control-Allow-Headers", CORS_ALLOW_HEADERS);
    resp.set_header("Access-Control-Expose-Headers", CORS_EXPOSE_HEADERS);
}

#[cfg(test)]
mod tests {
    use crate::testutil::*;
    use serde_json::json;
    use std::io::{BufRead, BufReader, Read, Write};

    #[test]
    fn options_preflight_has_cors() {
        let app = app();
        let r = call(&app, req("OPTIONS", "/openrouter/api/v1/keys"));
        assert_eq!(r.status, 204);
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
        assert!(r
            .header("access-control-allow-headers")
            .unwrap()
            .contains("anthropic-version"));
        assert!(r
            .header("access-control-expose-headers")
            .unwrap()
            .contains("x-qai-request-id"));
    }

    #[test]
    fn unknown_path_is_404_json() {
        let r = call(&app(), req("GET", "/nowhere"));
        assert_eq!(
            (r.status, r.json_body()["path"].as_str()),
            (404, Some("/nowhere"))
        );
        assert!(r.header("access-control-allow-origin").is_some());
    }

    #[test]
    fn header_fault_overrides_and_bad_header_fault_is_400() {
        let app = app();
        let r = call(
            &app,
            or_get("/keys").with_header("x-sandbox-fault", r#"{"status":503}"#),
        );
        assert_eq!(r.status, 503);
        assert_eq!(r.json_body()["error"]["code"], 503);
        let r = call(
            &app,
            or_get("/keys").with_header("x-sandbox-fault", "{nope"),
        );
        assert_eq!(r.status, 400);
    }

    #[test]
    fn status_429_carries_retry_hints_per_provider() {
        let app = app();
        add_fault(
            &app,
            json!({"provider": "gptcore", "fault": {"status": 429, "retryAfter": "2"}}),
        );
        let r = call(&app, gc_get("/admin/api-keys"));
        assert_eq!((r.status, r.header("retry-after")), (429, Some("2")));
        assert_eq!(r.json_body()["errors"][0]["meta"]["retry_after"], 2);
        add_fault(
            &app,
            json!({"provider": "fluxbase", "fault": {"status": 429, "retryAfter": "3"}}),
        );
        let r = call(&app, fb_get("/api/v1/api-keys"));
        assert_eq!(r.json_body()["retry_after"], 3);
        assert_eq!(r.header("x-ratelimit-remaining"), Some("0"));
        assert_eq!(r.header("x-ratelimit-reset"), Some("3"), "Fiber's limiter: seconds until the reset");
        add_fault(&app, json!({"provider": "fluxbase", "fault": {"status": 429}}));
        let r = call(&app, fb_get("/api/v1/api-keys"));
        assert_eq!((r.json_body()["retry_after"].as_i64(), r.header("retry-after")), (Some(60), Some("60")), "the limiter's header says what its body says");
        add_fault(&app, json!({"provider": "quantum", "fault": {"status": 429}}));
        let r = call(&app, q_req("GET", "/qai/v1/keys"));
        assert_eq!((r.status, r.header("retry-after")), (429, Some("5")), "Quantum's gateway always says");
        add_fault(&app, json!({"provider": "openrouter", "fault": {"status": 429}}));
        assert_eq!(call(&app, or_get("/keys")).header("retry-after"), None, "others only when asked");
    }

    #[test]
    fn malformed_faults_break_the_body_but_keep_200() {
        let app = app();
        for (kind, check) in [
            ("truncated", "{"),
            ("html", "<!DOCTYPE"),
            ("not-json", "upstream"),
            ("empty", ""),
        ] {
            let f = format!(r#"{{"malformed":"{kind}"}}"#);
            let r = call(&app, or_get("/keys").with_header("x-sandbox-fault", &f));
            assert_eq!(r.status, 200, "{kind}");
            assert!(
                String::from_utf8_lossy(&r.body).starts_with(check),
                "{kind}"
            );
            assert!(
                serde_json::from_slice::<serde_json::Value>(&r.body).is_err(),
                "{kind}"
            );
        }
    }

    #[test]
    fn drop_after_processes_then_closes() {
        let app = app();
        let before = count_keys(&app, "openrouter");
        let out = app.dispatch(
            or_post("/keys", json!({"name": "dropped"}))
                .with_header("x-sandbox-fault", r#"{"drop":"after"}"#),
        );
        assert!(matches!(out, crate::http::Outcome::Drop));
        assert_eq!(count_keys(&app, "openrouter"), before + 1);
        let out = app.dispatch(
            or_post("/keys", json!({"name": "never"}))
                .with_header("x-sandbox-fault", r#"{"drop":"before"}"#),
        );
        assert!(matches!(out, crate::http::Outcome::Drop));
        assert_eq!(count_keys(&app, "openrouter"), before + 1);
    }

    #[test]
    fn delay_fault_waits_then_answers() {
        let app = app();
        let t = std::time::Instant::now();
        let r = call(
            &app,
            or_get("/keys").with_header("x-sandbox-fault", r#"{"delayMs":120}"#),
        );
        assert_eq!(r.status, 200);
        assert!(t.elapsed().as_millis() >= 120);
    }

    #[test]
    fn oversized_body_is_413_in_envelope() {
        let app = app();
        let big = vec![b' '; crate::http::MAX_BODY + 10];
        let r = call(
            &app,
            req("POST", "/anthropic/v1/organizations/api_keys/x").with_body(big),
        );
        assert_eq!(r.status, 413);
        assert_eq!(r.json_body()["error"]["type"], "request_too_large");
    }

    #[test]
    fn oversized_body_uses_each_providers_envelope() {
        let app = app();
        let big = vec![b' '; crate::http::MAX_BODY + 1];
        let cases = [
            ("/openrouter/api/v1/keys", "/error/code"),
            ("/gptcore/admin/api-keys", "/errors/0/status"),
            ("/quantum/qai/v1/keys", "/error/code"),
            ("/fluxbase/api/v1/api-keys", "/error"),
        ];
        for (path, pointer) in cases {
            let r = call(&app, req("POST", path).with_body(big.clone()));
            assert_eq!(r.status, 413, "{path}");
            assert!(
                r.json_body().pointer(pointer).is_some(),
                "{path}: {}",
                r.json_body()
            );
        }
    }

    #[test]
    fn persistence_survives_restart_and_never_stores_secrets() {
        let dir = std::env::temp_dir().join(format!(
            "sandbox-app-{}-{}",
            std::process::id(),
            crate::ids::random_hex(8)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("state.json");
        let config = || crate::app::Config {
            data: Some(path.clone()),
            ..Default::default()
        };
        let app = crate::app::App::new(config()).unwrap();
        let secrets = [
            call(&app, or_post("/keys", json!({"name": "persisted"}))).json_body()["key"].clone(),
            call(
                &app,
                gc_send(
                    "POST",
                    "/admin/api-keys?fields[api_key]=generated_api_key",
                    json!({"data": {"attributes": {"name": "p"}}}),
                ),
            )
            .json_body()["data"]["attributes"]["generated_api_key"]
                .clone(),
            call(&app, q_send("POST", "/qai/v1/keys", json!({"name": "p"}))).json_body()["key"]
                .clone(),
            call(
                &app,
                fb_send(
                    "POST",
                    "/api/v1/api-keys",
                    json!({"name": "p", "scopes": ["*"]}),
                ),
            )
            .json_body()["key"]
                .clone(),
            call(
                &app,
                with_json(
                    req("POST", "/_sandbox/anthropic/keys"),
                    json!({"name": "p"}),
                ),
            )
            .json_body()["key"]
                .clone(),
        ];
        let file = std::fs::read_to_string(&path).unwrap();
        for s in &secrets {
            let s = s.as_str().expect("secret returned");
            assert!(!file.contains(s), "secret {s} leaked into the state file");
        }
        drop(app);
        let again = crate::app::App::new(config()).unwrap();
        for p in ["openrouter", "gptcore", "quantum", "anthropic", "fluxbase"] {
            assert_eq!(count_keys(&again, p), 5, "{p}");
        }
        let listed = call(&again, or_get("/keys")).json_body();
        assert_eq!(listed["data"][0]["name"], "persisted");
        call(&again, req("POST", "/_sandbox/reset"));
        let reloaded = crate::app::App::new(config()).unwrap();
        assert_eq!(count_keys(&reloaded, "openrouter"), 4);
    }

    #[test]
    fn cli_fault_rules_apply_at_start() {
        let config = crate::app::Config {
            faults: vec![json!({"provider": "anthropic", "times": 1, "fault": {"status": 529}})],
            ..Default::default()
        };
        let app = crate::app::App::new(config).unwrap();
        let r = call(&app, an_req("GET", "/v1/organizations/api_keys"));
        assert_eq!(
            (r.status, r.json_body()["error"]["type"].as_str()),
            (529, Some("overloaded_error"))
        );
        assert_eq!(
            call(&app, an_req("GET", "/v1/organizations/api_keys")).status,
            200
        );
        let bad = crate::app::Config {
            faults: vec![json!({"fault": {}})],
            ..Default::default()
        };
        assert!(crate::app::App::new(bad).is_err());
    }

    #[test]
    fn real_socket_round_trip_and_drop() {
        let running = crate::app::start(crate::app::Config {
            port: 0,
            ..Default::default()
        })
        .unwrap();
        let mut s = std::net::TcpStream::connect(running.addr).unwrap();
        let mut r = BufReader::new(s.try_clone().unwrap());
        write!(
            s,
            "GET /_sandbox/info HTTP/1.1\r\nHost: localhost:9\r\n\r\n"
        )
        .unwrap();
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let mut len = 0;
        loop {
            let mut h = String::new();
            r.read_line(&mut h).unwrap();
            if h.trim().is_empty() {
                break;
            }
            if let Some(v) = h.to_ascii_lowercase().strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; len];
        r.read_exact(&mut body).unwrap();
        let info: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            info["providers"]["openrouter"]["baseUrl"],
            "http://localhost:9/openrouter/api/v1"
        );
        write!(
            s,
            "GET /quantum/qai/v1/keys HTTP/1.1\r\nx-sandbox-fault: {{\"drop\":\"before\"}}\r\n\r\n"
        )
        .unwrap();
        let mut rest = Vec::new();
        assert_eq!(r.read_to_end(&mut rest).unwrap_or(0), 0);
    }
}
