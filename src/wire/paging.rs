//! Paging: each style is a small "next cursor" function, and [`Pager`] walks the
//! pages of `listAll` one at a time, refusing a server that repeats itself and handing
//! out no key twice when the list shifts under an offset walk.
//!
//! Cursors are opaque strings to callers: an offset for offset-paged providers,
//! an id for cursor-paged ones.

use crate::prelude::*;
use crate::error::Error;
use crate::model::{ApiKey, Page};

/// Offset paging: the next offset, or `None` when the page was empty (the only end
/// signal OpenRouter documents; a short page may be a server's cap, not the end).
pub fn next_offset(offset: f64, items: usize) -> Option<String> {
    (items > 0).then(|| crate::wire::path::number(offset + items as f64))
}

/// Reads an offset cursor written by [`next_offset`]: digits only (not `1e3`, `20.0` or
/// `-0`), up to [`MAX_WHOLE`](crate::validate::MAX_WHOLE), so the offset sent is the one given.
pub fn parse_offset(cursor: &str) -> Option<f64> {
    let bytes = cursor.as_bytes();
    let offset = bytes.iter().try_fold(0.0, |n: f64, &b| b.is_ascii_digit().then(|| n * 10.0 + f64::from(b - b'0')))?;
    (!bytes.is_empty() && bytes.len() <= 16 && offset <= crate::validate::MAX_WHOLE).then_some(offset)
}

/// Cursor paging: continue after `last_id` while the server says there is more.
pub fn next_after(has_more: bool, last_id: Option<&str>) -> Option<String> {
    last_id.filter(|_| has_more).map(str::to_string)
}

/// Walks pages for `listAll`: remembers where it is and what it has seen.
#[derive(Debug, Default)]
pub struct Pager {
    cursor: Option<String>,
    /// Whether the walk has moved past its first page.
    moved: bool,
    finished: bool,
    passed: CursorHistory,
    last_page: Option<(usize, Option<String>, Option<String>)>,
    /// Whether the last page repeated the one before (see [`Pager::record`]).
    repeated: bool,
    /// The ids last handed out, oldest first, each with its [`id_hash`], as many as the
    /// longest page so far held: keys created during an offset-paged walk push keys handed
    /// out already onto the next page, which then begins with them.
    handed_out: Vec<(u32, String)>,
    longest_page: usize,
    pub pages: u32,
    pub items: u64,
}

impl Pager {
    pub fn new(start: Option<String>) -> Pager {
        Pager { cursor: start, ..Pager::default() }
    }

    /// The cursor of the next page to fetch, or `None` when done.
    /// The first call returns the starting cursor (often `None` = the first page).
    pub fn next_cursor(&self) -> Option<Option<&str>> {
        if self.finished {
            None
        } else {
            Some(self.cursor.as_deref())
        }
    }

    /// Records a fetched page and moves on; an error if the server repeats a page.
    pub fn advance(&mut self, page: &mut Page) -> Result<(), Error> {
        self.record(page)?;
        self.move_to(page.next_cursor.as_deref())
    }

    /// Counts a fetched page's keys, less those it begins with that were handed out already
    /// (they are taken out of `page`); an error if the server repeats a page twice in a row.
    /// Once is allowed: as many keys created at the head of an offset-paged list as its last
    /// page holds bring that page again, and the page after it is then empty. A short last
    /// page brought a third time, every key of it handed out, ends the walk: keys go on
    /// being created at its head. A server ignoring the offset repeats its first page, the
    /// longest, and is refused; so is a list that fits in one page while as many keys as it
    /// holds are created for every page asked for (the two cannot be told apart).
    pub fn record(&mut self, page: &mut Page) -> Result<(), Error> {
        let fingerprint = (
            page.items.len(),
            page.items.first().map(|k| k.id.clone()),
            page.items.last().map(|k| k.id.clone()),
        );
        let repeated = !page.items.is_empty() && self.last_page.as_ref() == Some(&fingerprint);
        let handed_out = self.handed_out_already(&page.items);
        if repeated && self.repeated {
            self.finished = true;
            if page.items.len() == self.longest_page || handed_out < page.items.len() {
                return Err(Error::format(
                    "the server returned the same page three times in a row (as when it ignores the offset, or when keys go on being created at the head of a list that fits in one page); stopped to avoid an endless loop",
                ));
            }
            page.next_cursor = None; // a short last page, every key of it handed out: the end
        }
        self.repeated = repeated;
        self.longest_page = self.longest_page.max(page.items.len());
        page.drop_first(handed_out);
        if page.next_cursor.is_some() {
            self.remember(&page.items);
        }
        self.pages += 1;
        self.items += page.items.len() as u64;
        self.last_page = Some(fingerprint);
        Ok(())
    }

    /// How many of `keys`, from the first, continue the keys handed out last. Linear: the
    /// first key is looked for from the end, the rest compared in order.
    fn handed_out_already(&self, keys: &[ApiKey]) -> usize {
        let Some(first) = keys.first() else { return 0 };
        let hash = id_hash(&first.id);
        let Some(at) = self.handed_out.iter().rposition(|(h, id)| *h == hash && *id == first.id) else { return 0 };
        let tail = self.handed_out.get(at..).unwrap_or_default();
        tail.iter().zip(keys).take_while(|((_, id), key)| *id == key.id).count()
    }

    /// Adds `keys` to those handed out last, keeping as many as the longest page held.
    fn remember(&mut self, keys: &[ApiKey]) {
        for key in keys {
            self.handed_out.push((id_hash(&key.id), key.id.clone())); // not `extend(map)`: an iterator fold of its own
        }
        let excess = self.handed_out.len().saturating_sub(self.longest_page);
        if excess > 0 {
            self.handed_out = self.handed_out.split_off(excess);
        }
    }

    /// Moves to the page at `next` (`None`: there is none); an error if the server
    /// repeats a cursor. `listAll` moves as soon as a page's cursor is known and counts
    /// the page once it is read ([`Pager::record`]).
    pub fn move_to(&mut self, next: Option<&str>) -> Result<(), Error> {
        self.moved = true;
        match next {
            Some(next) if self.passed.holds(next) || self.cursor.as_deref() == Some(next) => {
                self.finished = true;
                Err(Error::format("the server sent a cursor it had sent before; stopped to avoid an endless loop"))
            }
            Some(next) => {
                if let Some(old) = self.cursor.replace(next.to_string()) {
                    self.passed.add(old);
                }
                Ok(())
            }
            None => {
                self.finish();
                Ok(())
            }
        }
    }

    /// Whether a page has been fetched: later pages are asked for by cursor alone.
    pub fn moved(&self) -> bool {
        self.moved
    }

    /// Ends the walk: no page follows.
    pub fn finish(&mut self) {
        self.finished = true;
    }
}

/// FNV-1a of an id: most ids are told apart by it, without comparing their text (and
/// without the code of a sort or a hash map).
fn id_hash(id: &str) -> u32 {
    id.bytes().fold(0x811c_9dc5, |hash, b| (hash ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// How many of the last cursors a walk keeps: a server going round a circle this short is
/// stopped at its first repeat.
const RECENT_CURSORS: usize = 32;

/// How many cursors a walk keeps spread over the whole walk (see [`CursorHistory`]).
const CHECKPOINTS: usize = 64;

/// The cursors a walk has moved past, in bounded memory however long the walk: the last
/// [`RECENT_CURSORS`], and every `stride`-th cursor since the first, at most
/// [`CHECKPOINTS`] of them (when they are that many, every other one goes and the stride
/// doubles, so it stays below a thirty-first of the walk). A longer circle is stopped when a
/// kept cursor in it comes round again: after its first repeat, the walk repeats at most 2/63
/// (about a thirty-first) as many pages as it had walked until then.
#[derive(Debug)]
struct CursorHistory {
    /// The last cursors, the one passed `count` times ago at `count % RECENT_CURSORS`.
    recent: Vec<String>,
    checkpoints: Vec<String>,
    stride: u64,
    count: u64,
}

impl Default for CursorHistory {
    fn default() -> CursorHistory {
        CursorHistory { recent: Vec::new(), checkpoints: Vec::new(), stride: 1, count: 0 }
    }
}

impl CursorHistory {
    fn add(&mut self, cursor: String) {
        // `stride` is a power of two: a mask, where `%` links a panic for a zero divisor.
        if self.count & (self.stride - 1) == 0 {
            if self.checkpoints.len() == CHECKPOINTS {
                for kept in 0..CHECKPOINTS / 2 {
                    self.checkpoints.swap(kept, 2 * kept);
                }
                self.checkpoints.truncate(CHECKPOINTS / 2);
                self.stride *= 2;
            }
            if self.count & (self.stride - 1) == 0 {
                self.checkpoints.push(cursor.clone());
            }
        }
        let slot = (self.count % RECENT_CURSORS as u64) as usize;
        self.count += 1;
        match self.recent.get_mut(slot) {
            Some(oldest) => *oldest = cursor,
            None => self.recent.push(cursor),
        }
    }

    fn holds(&self, cursor: &str) -> bool {
        [&self.recent, &self.checkpoints].iter().any(|kept| kept.iter().any(|c| c == cursor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Json;

    fn key(id: &str) -> ApiKey {
        ApiKey::new("test", id.into(), Json::Null)
    }

    fn page(ids: &[&str], next: Option<&str>) -> Page {
        Page { items: ids.iter().map(|i| key(i)).collect(), next_cursor: next.map(String::from), raw_source: None }
    }

    #[test]
    fn offsets_advance_until_an_empty_page() {
        assert_eq!(next_offset(0.0, 100).as_deref(), Some("100"));
        assert_eq!(next_offset(100.0, 0), None);
        assert_eq!(next_offset(0.0, 7).as_deref(), Some("7"));
        assert_eq!(parse_offset("200"), Some(200.0));
        assert_eq!(parse_offset("0"), Some(0.0));
        assert_eq!(parse_offset("9000000000000000"), Some(9.0e15));
        for refused in ["-1", "x", "", "1e3", "20.0", "-0", "+5", " 5", "1e20", "9000000000000001", "9007199254740993", "00000000000000001"] {
            assert_eq!(parse_offset(refused), None, "{refused}");
        }
    }

    #[test]
    fn walks_until_the_end_signal() {
        let mut pager = Pager::new(None);
        assert_eq!(pager.next_cursor(), Some(None));
        pager.advance(&mut page(&["a", "b"], Some("2"))).unwrap();
        assert_eq!(pager.next_cursor(), Some(Some("2")));
        pager.advance(&mut page(&["c"], None)).unwrap();
        assert_eq!(pager.next_cursor(), None);
        assert_eq!((pager.pages, pager.items), (2, 3));
    }

    #[test]
    fn a_page_repeated_twice_or_a_repeated_cursor_stops_the_walk() {
        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["a", "b"], Some("2"))).unwrap();
        let mut again = page(&["a", "b"], Some("4"));
        pager.advance(&mut again).unwrap();
        assert!(again.items.is_empty(), "nothing handed out twice");
        assert!(pager.advance(&mut page(&["a", "b"], Some("6"))).is_err());
        assert_eq!(pager.next_cursor(), None);

        // A last page brought again by keys created meanwhile, then the end.
        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["a", "b"], Some("2"))).unwrap();
        pager.advance(&mut page(&["c"], Some("3"))).unwrap();
        pager.advance(&mut page(&["c"], Some("4"))).unwrap();
        pager.advance(&mut page(&[], None)).unwrap();
        assert_eq!((pager.pages, pager.items, pager.next_cursor()), (4, 3, None));

        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["a"], Some("x"))).unwrap();
        pager.advance(&mut page(&["b"], Some("y"))).unwrap();
        assert!(pager.advance(&mut page(&["c"], Some("x"))).is_err());
    }

    /// A key created at the head of an offset-paged list for every page asked for brings its
    /// short last page back again and again: the third time ends the walk, each key handed
    /// out once. A full page (the first, from a server ignoring the offset) is refused.
    #[test]
    fn a_short_last_page_brought_back_by_keys_created_meanwhile_ends_the_walk() {
        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["a", "b", "c"], Some("3"))).unwrap();
        pager.advance(&mut page(&["d"], Some("4"))).unwrap();
        for offset in ["5", "6"] {
            let mut again = page(&["d"], Some(offset));
            pager.advance(&mut again).unwrap();
            assert!(again.items.is_empty() && again.next_cursor.is_none() == (offset == "6"));
        }
        assert_eq!((pager.pages, pager.items, pager.next_cursor()), (4, 4, None));

        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["a", "b"], Some("2"))).unwrap();
        pager.advance(&mut page(&["a", "b"], Some("4"))).unwrap();
        assert!(pager.advance(&mut page(&["a", "b"], Some("6"))).is_err(), "a full page three times");
    }

    /// Keys created at the head of an offset-paged list while it is walked push keys of one
    /// page onto the next: each is handed out once, and its place in the body goes with it.
    #[test]
    fn a_key_pushed_onto_the_next_page_is_handed_out_once() {
        use crate::model::{RawAt, RawSource};
        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["k1", "k2", "k3"], Some("3"))).unwrap();
        let mut shifted = page(&["k2", "k3", "k4"], Some("6"));
        shifted.raw_source = Some(RawSource { at: RawAt::untouched(Some("data")), indices: vec![0, 1, 2] });
        pager.advance(&mut shifted).unwrap();
        let ids: Vec<&str> = shifted.items.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(ids, ["k4"]);
        assert_eq!(shifted.raw_source.unwrap().indices, [2]);
        let mut short = page(&["k4", "k5"], Some("8"));
        pager.advance(&mut short).unwrap();
        assert_eq!(short.items.len(), 1, "k4 was on the page before too");
        // Two more keys created: the next page begins with keys of the last two pages.
        let mut next = page(&["k4", "k5", "k6"], None);
        pager.advance(&mut next).unwrap();
        assert_eq!(next.items.len(), 1);
        assert_eq!((pager.pages, pager.items), (4, 6));
    }

    /// Only a page's first keys are compared with those handed out, in linear time, and the
    /// walk keeps no more ids than its longest page held.
    #[test]
    fn only_keys_that_continue_those_handed_out_are_dropped() {
        let mut pager = Pager::new(None);
        pager.advance(&mut page(&["a", "b", "c"], Some("3"))).unwrap();
        let mut partly = page(&["b", "c", "y"], Some("9"));
        pager.advance(&mut partly).unwrap();
        assert_eq!(partly.items.iter().map(|k| k.id.as_str()).collect::<Vec<_>>(), ["y"]);
        assert!(pager.handed_out.len() <= 3);
        let big: Vec<String> = (0..20_000).map(|i| i.to_string()).collect();
        let shifted: Vec<&str> = big.iter().skip(1).map(String::as_str).chain(["new"]).collect();
        let mut pager = Pager::new(None);
        pager.advance(&mut page(&big.iter().map(String::as_str).collect::<Vec<_>>(), Some("n"))).unwrap();
        let mut next = page(&shifted, None);
        pager.advance(&mut next).unwrap();
        assert_eq!(next.items.len(), 1);
    }

    /// An offset-paged server listing newest first (as OpenRouter does) over `initial` keys,
    /// pages of `size`, with `created[i]` keys created at the head before request `i + 1`
    /// (the last number repeating to the end of the walk): what the walk hands out, or its error.
    fn walk_while_creating(initial: usize, size: usize, created: &[usize]) -> Result<Vec<String>, Error> {
        let mut list: Vec<String> = (0..initial).rev().map(|i| i.to_string()).collect();
        let mut pager = Pager::new(None);
        let mut handed_out = Vec::new();
        for request in 0..initial / size + 100 {
            let Some(cursor) = pager.next_cursor() else { return Ok(handed_out) };
            let offset = cursor.map_or(0, |c| parse_offset(c).unwrap() as usize);
            if request > 0 {
                let count = created.get(request - 1).or(created.last()).copied().unwrap_or(0);
                for n in 0..count {
                    list.insert(0, format!("new-{request}-{n}"));
                }
            }
            let ids: Vec<&str> = list.iter().skip(offset).take(size).map(String::as_str).collect();
            let mut fetched = page(&ids, next_offset(offset as f64, ids.len()).as_deref());
            pager.advance(&mut fetched)?;
            handed_out.extend(fetched.items.into_iter().map(|k| k.id));
        }
        panic!("the walk did not end: {initial} keys, pages of {size}, created {created:?}");
    }

    proptest::proptest! {
        /// However many keys (fewer than a page) are created between two pages, up to the end
        /// of the walk and beyond: every key there when the walk began is handed out, once,
        /// and the walk ends without an error.
        #[test]
        fn keys_created_during_an_offset_walk_neither_repeat_nor_stop_it(
            size in 1usize..8,
            pages in 1usize..5,
            extra in 1usize..8,
            created in proptest::collection::vec(0usize..8, 1..12),
        ) {
            let initial = size * pages + extra % size.max(2);
            let created: Vec<usize> = created.into_iter().map(|c| c % size).collect();
            let handed_out = walk_while_creating(initial, size, &created).map_err(|e| proptest::test_runner::TestCaseError::fail(e.message.clone()))?;
            let expected: Vec<String> = (0..initial).rev().map(|i| i.to_string()).collect();
            proptest::prop_assert_eq!(&handed_out, &expected, "created {:?}", created);
        }
    }

    /// Moves through `cursors` from the first page; the index of the move refused, if any.
    fn walk(cursors: impl Iterator<Item = String>) -> (Option<usize>, Pager) {
        let mut pager = Pager::new(None);
        for (at, cursor) in cursors.enumerate() {
            if pager.move_to(Some(&cursor)).is_err() {
                return (Some(at), pager);
            }
        }
        (None, pager)
    }

    #[test]
    fn a_short_circle_is_stopped_at_its_first_repeat_however_late_it_starts() {
        for start in [0, 5, 1000, 4097] {
            for length in [1, 2, 7, RECENT_CURSORS] {
                let cursors = (0..start + 3 * length).map(|i| if i < start { i } else { start + (i - start) % length }.to_string());
                assert_eq!(walk(cursors).0, Some(start + length), "start {start}, length {length}");
            }
        }
    }

    #[test]
    fn a_long_circle_is_stopped_within_two_sixty_thirds_of_the_walk_after_its_first_repeat() {
        for start in (0..3000).step_by(197).chain([1, 20_000]) {
            for length in (RECENT_CURSORS + 1..2000).step_by(151).chain([3000, 8068]) {
                let cursors = (0..3 * (start + length)).map(|i| if i < start { i } else { start + (i - start) % length }.to_string());
                let stopped = walk(cursors).0.unwrap_or_else(|| panic!("never stopped: start {start}, length {length}"));
                assert!(stopped >= start + length, "stopped before any repeat: start {start}, length {length}, at {stopped}");
                let repeated = stopped - (start + length);
                assert!(63 * repeated <= 2 * (start + length), "start {start}, length {length}: {repeated} repeated pages");
            }
        }
    }

    #[test]
    fn a_walk_of_any_length_keeps_a_bounded_history() {
        let (refused, pager) = walk((0..100_000).map(|i| i.to_string()));
        assert_eq!(refused, None, "distinct cursors are never refused");
        assert_eq!(pager.passed.recent.len(), RECENT_CURSORS);
        assert!(pager.passed.checkpoints.len() <= CHECKPOINTS);
        assert!(pager.passed.stride <= 100_000 / 32, "stride {}", pager.passed.stride);
    }
}
