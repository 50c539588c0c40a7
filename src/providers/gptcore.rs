//! GptCore: placeholder until its dialect lands (every operation reports unsupported).

use crate::error::Error;
use crate::json::Json;
use crate::operation::{Call, Operation};
use crate::providers::{unsupported_operation, Context, Dialect, Provider, Step};
use crate::validate::Problems;
use crate::wire::errors::Envelope;
use crate::wire::{HttpRequest, HttpResponse};

pub struct GptCore;

impl Dialect for GptCore {
    fn provider(&self) -> Provider {
        Provider::GptCore
    }
    fn default_base_url(&self) -> &'static str {
        "https://api.gpt-core.com"
    }
    fn supports(&self, _op: Operation) -> bool {
        false
    }
    fn check(&self, _call: &Call, _cx: &Context<'_>, _problems: &mut Problems) {}
    fn request(&self, call: &Call, _stage: u8, _cx: &Context<'_>) -> Result<HttpRequest, Error> {
        Err(unsupported_operation(Provider::GptCore, call.operation()))
    }
    fn response(&self, call: &Call, _stage: u8, _r: &HttpResponse, _cx: &Context<'_>) -> Result<Step, Error> {
        Err(unsupported_operation(Provider::GptCore, call.operation()))
    }
    fn envelope(&self, _body: &Json) -> Envelope {
        Envelope::default()
    }
}
