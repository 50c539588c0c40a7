//! `listAll`'s engine: one page per `nextPage()` call, so memory stays flat. With
//! `prefetch`, the request for page n+1 goes out as soon as page n's cursor is known,
//! before page n is converted for JS, so the network wait overlaps both our work and the
//! caller's loop; at most one page is ahead. `cancel()` aborts it when the caller stops
//! early. The JS side (`keyIterator` in `runtime.js`) makes the async iterator.

use crate::prelude::*;
use crate::error::{both, Error, FieldError};
use crate::client::Exchange;
use crate::js::api_keys::{page_to_js, Shared};
use crate::js::flight::{Flight, Launch};
use crate::js::convert::to_js;
use crate::js::fetch::CallSettings;
use crate::json::Json;
use crate::model::{or_null, ListOptions, KEYS_APART};
use crate::operation::{Call, Operation};
use crate::model::Page;
use crate::wire::paging::Pager;
use js_sys::{Array, Promise};
use core::cell::RefCell;
use alloc::rc::Rc;
use wasm_bindgen::prelude::*;
use web_sys::AbortController;

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
    prefetch: bool,
    /// The promise of a page requested ahead, until the caller asks for it.
    ahead: Option<Promise>,
    /// Whether the caller has asked for the latest requested page, and whether it has
    /// arrived: the next page is requested ahead only when both hold, so at most one
    /// page is ever ahead of the caller.
    latest_asked: bool,
    latest_arrived: bool,
    /// Aborts this walk's requests on `cancel()` (its signal joins the caller's, if any).
    stop: Option<AbortController>,
    /// The page requested ahead whose attempt failed before it was asked for: the retry
    /// to go on with, the earliest time for it (`Date.now()` ms: backoff, `Retry-After`)
    /// and the failure's reason for the log. Taken by the page's next request.
    parked: Option<(u32, f64, String)>,
}

/// Requests the next page ahead, if prefetching and there is one. The state is not
/// borrowed while the request starts: with `Launch::AheadNow`, `fly` runs its first step at once.
fn request_ahead(shared: &Rc<Shared>, state: &Rc<RefCell<State>>, launch: Launch) {
    {
        let mut walk = state.borrow_mut();
        if !walk.prefetch || walk.pager.next_cursor().is_none() {
            return;
        }
        walk.latest_asked = false;
        walk.latest_arrived = false;
    }
    // A problem starting the page is left for `nextPage()` to meet again, as a rejection the caller awaits.
    if let Ok(Some(ahead)) = fly_page(shared, state, launch) {
        state.borrow_mut().ahead = Some(ahead);
    }
}

impl KeyPager {
    /// Reads and checks the options now; a problem is reported by the first `nextPage()`.
    /// `callbacks` are the shell's own options, `[onPage, prefetch]`, checked here too.
    pub(crate) fn new(shared: Rc<Shared>, options: Result<Json, Error>, request: &JsValue, callbacks: &[JsValue]) -> KeyPager {
        let mut start = with_callback_problems(read_start(&shared, options, request), callbacks);
        let stop = AbortController::new().ok();
        if let (Some(stop), Ok((_, settings))) = (&stop, start.as_mut()) {
            settings.signals.push(stop.signal());
        }
        let first_cursor = start.as_ref().ok().and_then(|(o, _)| o.cursor.clone());
        let prefetch = callbacks[1].as_bool().unwrap_or(true);
        let pager = Pager::new(first_cursor);
        let state = State { start, pager, busy: false, prefetch, ahead: None, latest_asked: true, latest_arrived: false, stop, parked: None };
        KeyPager { shared, state: Rc::new(RefCell::new(state)) }
    }
}

/// `start` with any problem of the shell's own options added, so all are reported at once.
fn with_callback_problems(start: Result<(ListOptions, CallSettings), Error>, callbacks: &[JsValue]) -> Result<(ListOptions, CallSettings), Error> {
    let given = |v: &JsValue| !v.is_undefined() && !v.is_null();
    let mut fields = Vec::new();
    if given(&callbacks[0]) && !callbacks[0].is_function() {
        fields.push(FieldError { field: "onPage".into(), message: "must be a function".into() });
    }
    if given(&callbacks[1]) && callbacks[1].as_bool().is_none() {
        fields.push(FieldError { field: "prefetch".into(), message: "must be true or false".into() });
    }
    let callbacks = (!fields.is_empty()).then(|| Error::invalid("options", fields));
    match (start, callbacks) {
        (Err(start), callbacks) => Err(start.joined(callbacks)),
        (Ok(_), Some(callbacks)) => Err(callbacks),
        (start, None) => start,
    }
}

fn read_start(shared: &Shared, options: Result<Json, Error>, request: &JsValue) -> Result<(ListOptions, CallSettings), Error> {
    let settings = shared.settings(request);
    let client = settings.as_ref().map_or(&shared.client, |s| &s.client);
    let exchange = options.and_then(|input| client.begin(Operation::ListAll, None, Some(&input), js_sys::Date::now()));
    let (exchange, settings) = both!(exchange, settings)?;
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
        let (ahead, arrived) = {
            let mut walk = self.state.borrow_mut();
            walk.latest_asked = true;
            (walk.ahead.take(), walk.latest_arrived)
        };
        let Some(ahead) = ahead else {
            return request_page(self.shared.clone(), self.state.clone());
        };
        if arrived {
            request_ahead(&self.shared, &self.state, Launch::Ahead);
        }
        ahead
    }

    /// The caller's signals, the walk's own left out: the iterator checks them before it
    /// hands out each key, so a walk stops mid-page when one fires.
    #[wasm_bindgen(js_name = callerSignals)]
    pub fn caller_signals(&self) -> Array {
        let state = self.state.borrow();
        let Ok((_, settings)) = &state.start else { return Array::new() };
        let own = usize::from(state.stop.is_some());
        settings.signals[..settings.signals.len() - own].iter().collect()
    }

    /// The error a walk ends with when a caller's signal fires between its pages.
    #[wasm_bindgen(js_name = abortError)]
    pub fn abort_error(&self) -> JsValue {
        self.shared.js_error(Error::aborted(), "listAll")
    }

    /// Aborts the page request in flight, if any (the iterator calls it when the caller stops early).
    pub fn cancel(&self) {
        let stop = self.state.borrow().stop.clone();
        if let Some(stop) = stop {
            stop.abort();
        }
    }
}

/// One walk's state, shared by the pager and the flight of the page it is fetching.
#[derive(Clone)]
pub(crate) struct Walk(Rc<RefCell<State>>);

impl Walk {
    /// The page's request failed: the next `nextPage()` may try again.
    pub fn page_failed(&self) {
        self.0.borrow_mut().busy = false;
    }

    /// Whether this walk's page in flight was requested ahead and the caller has not asked
    /// for it yet. Such a page is not retried then: it resolves `false`, and the iterator
    /// requests it again when it gets there. So an iterator left unfinished sends one
    /// request ahead, not a series of retries over minutes.
    pub fn unasked(&self) -> bool {
        !self.0.borrow().latest_asked
    }

    /// The page requested ahead failed before it was asked for (see [`Walk::unasked`]): its
    /// next request goes on with retry `retry`, not before `at`.
    pub fn park(&self, retry: u32, at: f64, reason: String) {
        let mut state = self.0.borrow_mut();
        state.busy = false;
        state.parked = Some((retry, at, reason));
    }

    /// What [`Walk::park`] left for the page's next request, if anything.
    pub fn take_parked(&self) -> Option<(u32, f64, String)> {
        self.0.borrow_mut().parked.take()
    }

    /// The page arrived but could not be read: the walk has moved past it, so it ends
    /// here rather than skip the page unread. `asked_next`: the next page was asked for
    /// when this one arrived; it is dropped (the iterator, ending on the error, cancels it).
    /// Otherwise the page ahead is this one, and `nextPage()` still rejects with its error.
    pub fn stop(&self, asked_next: bool) {
        let mut state = self.0.borrow_mut();
        state.pager.finish();
        if asked_next {
            state.ahead = None;
        }
    }
}

/// A page's response arrived, its next page's `cursor` read from the body: the walk moves
/// on, and when the caller is already waiting for this page, the next one is asked for
/// now, before this one is read in full (on loopback that reading is most of a page's
/// time). Returns whether it was asked for.
pub(crate) fn page_arrived(walk: &Walk, shared: &Rc<Shared>, cursor: Option<String>) -> Result<bool, Error> {
    let asked = {
        let mut state = walk.0.borrow_mut();
        state.busy = false;
        state.pager.move_to(cursor.as_deref())?;
        state.latest_arrived = true;
        state.latest_asked
    };
    if asked {
        request_ahead(shared, &walk.0, Launch::AheadNow);
    }
    Ok(asked)
}

/// Starts fetching the next page; the promise resolves to it as `nextPage()` does.
fn request_page(shared: Rc<Shared>, state: Rc<RefCell<State>>) -> Promise {
    match fly_page(&shared, &state, Launch::Called) {
        Ok(Some(page)) => page,
        Ok(None) => Promise::resolve(&JsValue::NULL),
        Err(error) => Promise::reject(&shared.js_error(error, "listAll")),
    }
}

/// The flight of the next page, or `None` after the last page.
fn fly_page(shared: &Rc<Shared>, state: &Rc<RefCell<State>>, launch: Launch) -> Result<Option<Promise>, Error> {
    let started = start_page(state)?;
    Ok(started.map(|(exchange, settings)| Flight::start(shared.clone(), exchange, settings, Some(Walk(state.clone())), launch)))
}

/// The exchange for the next page, or `None` after the last one.
fn start_page(state: &RefCell<State>) -> Result<Option<(Exchange, CallSettings)>, Error> {
    let mut state = state.borrow_mut();
    if state.busy {
        return Err(Error::format("nextPage() was called before the previous page arrived"));
    }
    let Some(cursor) = state.pager.next_cursor() else { return Ok(None) };
    let cursor = cursor.map(str::to_string);
    let (options, settings) = state.start.as_ref().map_err(Clone::clone)?;
    let mut options = options.clone();
    if state.pager.moved() {
        options.offset = None;
        options.cursor = cursor;
    }
    let settings = settings.clone();
    let exchange = settings.client.begin_call(Call::List(options), Operation::ListAll, js_sys::Date::now())?;
    state.busy = true;
    Ok(Some((exchange, settings)))
}

/// A page was read (after [`page_arrived`]): the walk counts it, and it goes to JS with
/// its progress. `asked_next`: the next page was asked for as this one arrived; if this
/// page ends the walk after all (see [`Pager::record`]), that request is aborted.
pub(crate) fn finish_page(walk: &Walk, mut page: Page, body: &JsValue, asked_next: bool) -> Result<JsValue, Error> {
    let (pages, keys, needless) = {
        let mut state = walk.0.borrow_mut();
        state.pager.record(&mut page)?;
        let ended = state.pager.next_cursor().is_none();
        let needless = (ended && asked_next && state.ahead.take().is_some()).then(|| state.stop.clone()).flatten();
        if needless.is_some() {
            state.busy = false;
        }
        (state.pager.pages, state.pager.items, needless)
    };
    // Not borrowed: an abort runs the listeners of the signal at once.
    if let Some(stop) = needless {
        stop.abort();
    }
    page_to_js(page, body, &|page| {
        // One page as `nextPage()` resolves it; `progress` is what `onPage` receives.
        // The cursor written twice rather than cloned: the wasm links no `Json` clone.
        let next_cursor = || or_null(page.next_cursor.as_deref());
        let progress = Json::object_from(vec![("pages", Some(Json::from(f64::from(pages)))), ("keys", Some(Json::from(keys as f64))), ("nextCursor", next_cursor())]);
        to_js(&Json::object_from(vec![("items", KEYS_APART), ("nextCursor", next_cursor()), ("progress", Some(progress))]))
    })
}
