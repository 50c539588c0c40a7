//! `listAll`'s engine: fetches one page per `nextPage()` call, so memory stays flat.
//! The JS side (`keyIterator` in `runtime.js`) turns it into an async iterator.

use crate::error::Error;
use crate::js::api_keys::Shared;
use crate::js::convert::{to_js, to_json};
use crate::js::errors::to_js_error;
use crate::js::fetch::CallSettings;
use crate::model::{ListOptions, Page};
use crate::operation::{Call, Operation};
use crate::providers::Output;
use crate::wire::paging::Pager;
use js_sys::Promise;
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

/// Pages of one `listAll` walk.
#[wasm_bindgen]
pub struct KeyPager {
    shared: Rc<Shared>,
    state: Rc<RefCell<State>>,
}

struct State {
    /// The first page's options; later pages only change the cursor.
    start: Result<(ListOptions, CallSettings), Error>,
    pager: Pager,
    busy: bool,
}

/// One page as `nextPage()` resolves it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PageWithProgress<'a> {
    items: &'a [crate::model::ApiKey],
    next_cursor: Option<&'a str>,
    progress: Progress<'a>,
}

/// What `onPage` receives.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Progress<'a> {
    pages: u32,
    keys: u64,
    next_cursor: Option<&'a str>,
}

impl KeyPager {
    /// Reads and checks the options now; a problem is reported by the first `nextPage()`.
    pub(crate) fn new(shared: Rc<Shared>, options: &JsValue, request: &JsValue) -> KeyPager {
        let start = read_start(&shared, options, request);
        let first_cursor = start.as_ref().ok().and_then(|(o, _)| o.cursor.clone());
        let state = State { start, pager: Pager::new(first_cursor), busy: false };
        KeyPager { shared, state: Rc::new(RefCell::new(state)) }
    }
}

fn read_start(shared: &Shared, options: &JsValue, request: &JsValue) -> Result<(ListOptions, CallSettings), Error> {
    let settings = shared.settings(request)?;
    let input = to_json(options, "options")?;
    let exchange = shared.client.begin(Operation::ListAll, None, Some(&input), js_sys::Date::now())?;
    match exchange.call() {
        Call::List(options) => Ok((options.clone(), settings)),
        _ => Err(Error::format("listAll did not read as a list call")),
    }
}

#[wasm_bindgen]
impl KeyPager {
    /// The next page with progress, or `null` after the last one.
    #[wasm_bindgen(js_name = nextPage)]
    pub fn next_page(&self) -> Promise {
        let shared = self.shared.clone();
        let state = self.state.clone();
        future_to_promise(async move {
            let result = fetch_next(&shared, &state).await;
            state.borrow_mut().busy = false;
            result.map_err(|e| to_js_error(&e.with_context(shared.client.provider().name(), "listAll")))
        })
    }
}

async fn fetch_next(shared: &Shared, state: &RefCell<State>) -> Result<JsValue, Error> {
    let (call, settings) = {
        let mut state = state.borrow_mut();
        if state.busy {
            return Err(Error::format("nextPage() was called before the previous page arrived"));
        }
        let Some(cursor) = state.pager.next_cursor() else { return Ok(JsValue::NULL) };
        let cursor = cursor.map(str::to_string);
        let (options, settings) = state.start.as_ref().map_err(Clone::clone)?;
        let mut options = options.clone();
        if state.pager.pages > 0 {
            options.offset = None;
            options.cursor = cursor;
        }
        let call = Call::List(options);
        let settings = settings.clone();
        state.busy = true;
        (call, settings)
    };
    let page = match shared.run_call(call, &settings).await? {
        Output::Page(page) => page,
        _ => return Err(Error::format("list did not return a page")),
    };
    let mut state = state.borrow_mut();
    state.pager.advance(&page)?;
    page_to_js(&page, &state.pager)
}

fn page_to_js(page: &Page, pager: &Pager) -> Result<JsValue, Error> {
    let next_cursor = page.next_cursor.as_deref();
    let progress = Progress { pages: pager.pages, keys: pager.items, next_cursor };
    to_js(&PageWithProgress { items: &page.items, next_cursor, progress })
}
