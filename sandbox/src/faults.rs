//! Fault injection: rules that make matching provider requests fail, stall, or lose their answer.
//!
//! A fault is JSON: `{"status":503}`, `{"status":429,"retryAfter":"2"}`, `{"delayMs":500}`,
//! `{"drop":"before"|"after"}`, `{"malformed":"truncated"|"html"|"empty"|"not-json"}`; `delayMs` may be
//! combined with any other. A rule adds optional matchers and a count:
//! `{"provider"?,"method"?,"path"?,"times"?:1,"fault":F}`. Rules match in insertion order; each match
//! uses up one of `times`, and spent rules disappear.

use serde_json::{json, Map, Value};

/// What happens to the request after the optional delay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Answer with this status in the provider's error envelope, without processing.
    Status {
        status: u16,
        retry_after: Option<String>,
        retry_after_ms: Option<u64>,
    },
    /// Close the connection before processing the request.
    DropBefore,
    /// Process the request (state changes), then close without answering.
    DropAfter,
    /// Process the request, then answer 200 with a broken body.
    Malformed(Malformed),
}

/// Kinds of broken 200 bodies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Malformed {
    /// The real JSON answer cut in half (with a matching `Content-Length`).
    Truncated,
    /// An HTML error page, as from a misbehaving proxy.
    Html,
    /// A zero-length body labelled `application/json`.
    Empty,
    /// Plain text labelled `application/json`.
    NotJson,
}

/// A parsed fault.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fault {
    pub delay_ms: Option<u64>,
    pub action: Option<Action>,
}

impl Fault {
    /// Parses the fault JSON described in the module doc.
    pub fn parse(v: &Value) -> Result<Fault, String> {
        let obj = v.as_object().ok_or("fault must be a JSON object")?;
        let known = [
            "status",
            "retryAfter",
            "retryAfterMs",
            "delayMs",
            "drop",
            "malformed",
        ];
        if let Some(k) = unknown_member(obj, &known) {
            return Err(format!("unknown fault field: {k}"));
        }
        let delay_ms = match obj.get("delayMs") {
            None => None,
            Some(d) => Some(d.as_u64().ok_or("delayMs must be a non-negative integer")?),
        };
        let given = |k: &str| obj.get(k).is_some_and(|v| !v.is_null());
        if !given("status") && (given("retryAfter") || given("retryAfterMs")) {
            return Err("retryAfter and retryAfterMs go with a status".into());
        }
        let mut actions = Vec::new();
        if let Some(s) = obj.get("status") {
            actions.push(parse_status(s, obj)?);
        }
        if let Some(d) = obj.get("drop") {
            actions.push(match d.as_str() {
                Some("before") => Action::DropBefore,
                Some("after") => Action::DropAfter,
                _ => return Err("drop must be \"before\" or \"after\"".into()),
            });
        }
        if let Some(m) = obj.get("malformed") {
            actions.push(Action::Malformed(match m.as_str() {
                Some("truncated") => Malformed::Truncated,
                Some("html") => Malformed::Html,
                Some("empty") => Malformed::Empty,
                Some("not-json") => Malformed::NotJson,
                _ => return Err("malformed must be truncated, html, empty or not-json".into()),
            }));
        }
        if actions.len() > 1 {
            return Err("give only one of status, drop, malformed".into());
        }
        if delay_ms.is_none() && actions.is_empty() {
            return Err("fault needs status, delayMs, drop or malformed".into());
        }
        Ok(Fault {
            delay_ms,
            action: actions.pop(),
        })
    }
}

/// The first member of `obj` not named in `known`: a slip a fault or rule must not ignore.
fn unknown_member<'a>(obj: &'a Map<String, Value>, known: &[&str]) -> Option<&'a String> {
    obj.keys().find(|k| !known.contains(&k.as_str()))
}

fn parse_status(s: &Value, obj: &Map<String, Value>) -> Result<Action, String> {
    let status = s
        .as_u64()
        .filter(|n| (400..=599).contains(n))
        .ok_or("status must be an integer 400-599")?;
    let retry_after = match obj.get("retryAfter") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if valid_retry_after(s) => Some(s.clone()),
        Some(Value::Number(n)) if n.is_u64() => Some(n.to_string()),
        _ => return Err("retryAfter must be delta-seconds or an HTTP-date".into()),
    };
    let retry_after_ms = match obj.get("retryAfterMs") {
        None => None,
        Some(v) => Some(
            v.as_u64()
                .ok_or("retryAfterMs must be a non-negative integer")?,
        ),
    };
    Ok(Action::Status {
        status: status as u16,
        retry_after,
        retry_after_ms,
    })
}

fn valid_retry_after(s: &str) -> bool {
    s.parse::<u64>().is_ok() || httpdate::parse_http_date(s).is_ok()
}

/// Whole seconds a `Retry-After` value asks to wait (HTTP-dates counted from now, at least 0).
pub fn retry_after_seconds(value: &str) -> u64 {
    if let Ok(n) = value.parse::<u64>() {
        return n;
    }
    httpdate::parse_http_date(value)
        .ok()
        .and_then(|t| t.duration_since(std::time::SystemTime::now()).ok())
        .map_or(0, |d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
}

/// A fault with the requests it applies to.
#[derive(Debug, Clone)]
pub struct Rule {
    provider: Option<String>,
    method: Option<String>,
    path: Option<String>,
    times: u64,
    fault: Fault,
    raw_fault: Value,
}

impl Rule {
    /// Parses `{"provider"?,"method"?,"path"?,"times"?,"fault":F}`.
    pub fn parse(v: &Value) -> Result<Rule, String> {
        let obj = v.as_object().ok_or("fault rule must be a JSON object")?;
        // A misspelt filter ("provder") must not widen the rule to every request.
        let known = ["provider", "method", "path", "times", "fault"];
        if let Some(k) = unknown_member(obj, &known) {
            return Err(format!("unknown fault rule field: {k} (a rule has provider, method, path, times and fault)"));
        }
        let text = |k: &str| -> Result<Option<String>, String> {
            match obj.get(k) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                _ => Err(format!("{k} must be a string")),
            }
        };
        let times = match obj.get("times") {
            None | Some(Value::Null) => 1,
            Some(t) => t
                .as_u64()
                .filter(|n| *n > 0)
                .ok_or("times must be a positive integer")?,
        };
        let raw_fault = obj
            .get("fault")
            .cloned()
            .ok_or("fault rule needs a fault")?;
        let provider = text("provider")?;
        if let Some(p) = &provider {
            if crate::providers::ProviderId::from_name(p).is_none() {
                return Err(format!("unknown provider: {p}"));
            }
        }
        let method = text("method")?.map(|m| m.to_ascii_uppercase());
        if let Some(m) = &method {
            if !["GET", "POST", "PATCH", "PUT", "DELETE"].contains(&m.as_str()) {
                return Err(format!("unknown method: {m} (GET, POST, PATCH, PUT or DELETE)"));
            }
        }
        Ok(Rule {
            provider,
            method,
            path: text("path")?,
            times,
            fault: Fault::parse(&raw_fault)?,
            raw_fault,
        })
    }

    fn matches(&self, provider: &str, method: &str, path: &str) -> bool {
        self.provider.as_deref().is_none_or(|p| p == provider)
            && self.method.as_deref().is_none_or(|m| m == method)
            && self.path.as_deref().is_none_or(|p| path.contains(p))
    }

    fn to_json(&self) -> Value {
        json!({"provider": self.provider, "method": self.method, "path": self.path,
               "times": self.times, "fault": self.raw_fault})
    }
}

/// The active rules, in order.
#[derive(Debug, Default)]
pub struct Faults {
    rules: Vec<Rule>,
}

impl Faults {
    pub fn add(&mut self, rule: Rule) {
        self.rules.push(rule);
    }

    pub fn clear(&mut self) {
        self.rules.clear();
    }

    /// The remaining rules as JSON.
    pub fn list(&self) -> Value {
        Value::Array(self.rules.iter().map(Rule::to_json).collect())
    }

    /// Uses up the first rule matching the request, if any.
    pub fn take(&mut self, provider: &str, method: &str, path: &str) -> Option<Fault> {
        let i = self
            .rules
            .iter()
            .position(|r| r.matches(provider, method, path))?;
        let fault = self.rules[i].fault.clone();
        self.rules[i].times -= 1;
        if self.rules[i].times == 0 {
            self.rules.remove(i);
        }
        Some(fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A misspelt rule member, an unknown method or a retry hint without a status would
    /// otherwise be a rule wider than asked (every request) or one that never applies.
    #[test]
    fn a_rule_or_fault_with_a_slip_is_refused() {
        for (rule, problem) in [
            (json!({"provder": "anthropic", "fault": {"status": 503}}), "unknown fault rule field: provder"),
            (json!({"provider": "anthropic", "metod": "POST", "fault": {"status": 503}}), "unknown fault rule field: metod"),
            (json!({"method": "FOO", "fault": {"status": 503}}), "unknown method: FOO"),
            (json!({"fault": {"retryAfter": "2"}}), "go with a status"),
            (json!({"fault": {"delayMs": 5, "retryAfterMs": 10}}), "go with a status"),
        ] {
            let error = Rule::parse(&rule).unwrap_err();
            assert!(error.contains(problem), "{rule}: {error}");
        }
        assert!(Rule::parse(&json!({"provider": "anthropic", "method": "post", "path": "/x", "times": 2, "fault": {"status": 503}})).is_ok());
    }

    #[test]
    fn parses_each_fault_kind() {
        let f = Fault::parse(&json!({"status": 429, "retryAfter": "2"})).unwrap();
        assert_eq!(
            f.action,
            Some(Action::Status {
                status: 429,
                retry_after: Some("2".into()),
                retry_after_ms: None
            })
        );
        assert_eq!(
            Fault::parse(&json!({"drop": "after"})).unwrap().action,
            Some(Action::DropAfter)
        );
        assert_eq!(
            Fault::parse(&json!({"delayMs": 5})).unwrap(),
            Fault {
                delay_ms: Some(5),
                action: None
            }
        );
        let m = Fault::parse(&json!({"malformed": "not-json", "delayMs": 1})).unwrap();
        assert_eq!(m.action, Some(Action::Malformed(Malformed::NotJson)));
        assert!(Fault::parse(
            &json!({"status": 429, "retryAfter": "Wed, 21 Oct 2015 07:28:00 GMT"})
        )
        .is_ok());
    }

    #[test]
    fn rejects_bad_faults() {
        for bad in [
            json!({}),
            json!({"status": 200}),
            json!({"drop": "never"}),
            json!({"status": 503, "drop": "before"}),
            json!({"status": 429, "retryAfter": "soon"}),
            json!({"explode": true}),
            json!(3),
        ] {
            assert!(Fault::parse(&bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn rules_match_in_order_and_count_down() {
        let mut faults = Faults::default();
        faults.add(Rule::parse(&json!({"provider": "openrouter", "method": "post", "path": "/keys", "times": 2, "fault": {"status": 503}})).unwrap());
        faults.add(Rule::parse(&json!({"fault": {"delayMs": 1}})).unwrap());
        assert!(faults
            .take("openrouter", "POST", "/keys")
            .unwrap()
            .action
            .is_some());
        assert!(faults
            .take("openrouter", "POST", "/keys")
            .unwrap()
            .action
            .is_some());
        assert_eq!(
            faults.take("openrouter", "POST", "/keys").unwrap().delay_ms,
            Some(1)
        );
        assert!(faults.take("openrouter", "GET", "/keys").is_none());
        assert_eq!(faults.list(), json!([]));
        assert!(Rule::parse(&json!({"provider": "nope", "fault": {"status": 500}})).is_err());
    }

    #[test]
    fn retry_after_seconds_from_date() {
        assert_eq!(retry_after_seconds("7"), 7);
        assert_eq!(retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT"), 0);
        let later = httpdate::fmt_http_date(
            std::time::SystemTime::now() + std::time::Duration::from_secs(30),
        );
        assert!((29..=31).contains(&retry_after_seconds(&later)));
    }
}
