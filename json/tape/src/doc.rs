//! [`Doc`]: a read JSON text and its tape; [`Node`]: a value in it, read in place.
//!
//! Reading a page of 100 keys into a tree of values was about half of the wasm's time
//! per page (docs/design.md): every object, long string and member was built, moved and
//! freed. The tape is one flat vector with an entry per value and member name, pointing
//! into the text; a [`Node`] reads fields straight from it, and only what the caller
//! keeps is copied out (natively, apikeys-json's `Json::from(node)` builds a tree for `raw`).

use crate::prelude::*;
use super::text_between;

/// No entry (the link of an object's first member name).
pub(crate) const NONE: u32 = u32::MAX;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    False,
    True,
    /// `a` and `b`: the low and high halves of the number's bits.
    Number,
    /// A string without escapes: `text[a..b]`.
    Plain,
    /// A string that had escapes: `unescaped[a..b]`.
    Escaped,
    /// `a`: the entry after the array's last item; `b`: how many items.
    Array,
    /// `a`: the entry after the object's last member; `b`: how many members (repeats
    /// included); `c`: the entry of its last member name.
    Object,
}

/// One value or member name. A member name is followed by its value's entries, and its
/// `c` is the entry of the name before it ([`NONE`] for the first).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Entry {
    pub kind: Kind,
    pub a: u32,
    pub b: u32,
    pub c: u32,
}

/// A JSON text read once, its values reachable through [`Doc::root`]. Its `Debug` shows
/// only its size: a body may hold a secret.
#[derive(Clone)]
pub struct Doc {
    text: String,
    tape: Vec<Entry>,
    unescaped: String,
}

impl Doc {
    pub(crate) fn new(text: String, tape: Vec<Entry>, unescaped: String) -> Doc {
        Doc { text, tape, unescaped }
    }

    /// The JSON text the document was read from.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Every string of the text that holds an escape, unescaped, one after another (names
    /// included): what a reader of the text sees that a scan of the text does not.
    pub fn unescaped_strings(&self) -> &str {
        &self.unescaped
    }

    /// The top value.
    pub fn root(&self) -> Node<'_> {
        Node { doc: self, at: 0 }
    }

    fn entry(&self, at: usize) -> Entry {
        self.tape.get(at).copied().unwrap_or(Entry { kind: Kind::Null, a: 0, b: 0, c: NONE })
    }

    /// The entry after the value at `at` and everything in it.
    fn after(&self, at: usize) -> usize {
        match self.entry(at) {
            Entry { kind: Kind::Array | Kind::Object, a, .. } => a as usize,
            _ => at + 1,
        }
    }

    /// Where the string `entry` lies: the text, or the unescaped strings.
    fn source(&self, entry: Entry) -> &str {
        if entry.kind == Kind::Plain { &self.text } else { &self.unescaped }
    }

    fn str_at(&self, entry: Entry) -> &str {
        text_between(self.source(entry), entry.a as usize, entry.b as usize)
    }

    /// Whether the string `entry` is `name` (its length checked first).
    #[inline(always)]
    fn is(&self, entry: Entry, name: &[u8]) -> bool {
        if entry.b - entry.a != name.len() as u32 {
            return false;
        }
        self.source(entry).as_bytes().get(entry.a as usize..entry.b as usize) == Some(name)
    }
}

impl core::fmt::Debug for Doc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Doc").field("bytes", &self.text.len()).finish()
    }
}

/// Docs are equal when their values are as trees: a repeated name counts once, at its
/// first place, with its last value (as `JSON.parse` reads it).
impl PartialEq for Doc {
    fn eq(&self, other: &Doc) -> bool {
        same(self.root(), other.root())
    }
}

fn same(a: Node<'_>, b: Node<'_>) -> bool {
    match (a.kind(), b.kind()) {
        (Kind::Array, Kind::Array) => a.entry().b == b.entry().b && Items::of(Some(a)).zip(Items::of(Some(b))).all(|(x, y)| same(x, y)),
        (Kind::Object, Kind::Object) => {
            let (x, y) = (distinct_members(a), distinct_members(b));
            x.len() == y.len() && x.iter().zip(&y).all(|((n, v), (m, w))| n == m && same(*v, *w))
        }
        (Kind::Plain | Kind::Escaped, Kind::Plain | Kind::Escaped) => a.as_str() == b.as_str(),
        (Kind::Number, Kind::Number) => a.as_f64() == b.as_f64(),
        (x, y) => x == y,
    }
}

/// An object's members as a tree holds them: each name once, at its first place, with its
/// last value. Sorted by name, so a million members cost n log n.
fn distinct_members(object: Node<'_>) -> Vec<(&str, Node<'_>)> {
    let members: Vec<(&str, Node<'_>)> = object.members().into_iter().flatten().collect();
    let mut order: Vec<usize> = (0..members.len()).collect();
    order.sort_unstable_by_key(|&i| (members[i].0, i));
    let mut firsts: Vec<(usize, &str, Node<'_>)> = order
        .chunk_by(|&i, &j| members[i].0 == members[j].0)
        .map(|run| (run[0], members[run[0]].0, members[run[run.len() - 1]].1))
        .collect();
    firsts.sort_unstable_by_key(|first| first.0);
    firsts.into_iter().map(|(_, name, value)| (name, value)).collect()
}

/// A value of a [`Doc`]. Cheap to copy; its accessors mirror apikeys-json's `Json`.
#[derive(Clone, Copy)]
pub struct Node<'a> {
    doc: &'a Doc,
    at: usize,
}

impl core::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.type_name())
    }
}

impl<'a> Node<'a> {
    fn entry(self) -> Entry {
        self.doc.entry(self.at)
    }

    fn kind(self) -> Kind {
        self.entry().kind
    }

    /// Member `name` of an object; `None` for other values or a missing member. A name
    /// given more than once has its last value, as with `JSON.parse`: the walk starts
    /// from the last member.
    pub fn get(self, name: &str) -> Option<Node<'a>> {
        let object = self.entry();
        if object.kind != Kind::Object {
            return None;
        }
        let mut at = object.c;
        while at != NONE {
            let entry = self.doc.entry(at as usize);
            if self.doc.is(entry, name.as_bytes()) {
                return Some(Node { doc: self.doc, at: at as usize + 1 });
            }
            at = entry.c;
        }
        None
    }

    /// Like [`Node::get`], but a `null` member counts as missing.
    pub fn get_present(self, name: &str) -> Option<Node<'a>> {
        self.get(name).filter(|v| !v.is_null())
    }

    pub fn is_null(self) -> bool {
        self.kind() == Kind::Null
    }

    pub fn is_object(self) -> bool {
        self.kind() == Kind::Object
    }

    pub fn as_str(self) -> Option<&'a str> {
        let entry = self.entry();
        matches!(entry.kind, Kind::Plain | Kind::Escaped).then(|| self.doc.str_at(entry))
    }

    pub fn as_f64(self) -> Option<f64> {
        let entry = self.entry();
        (entry.kind == Kind::Number).then(|| f64::from_bits(u64::from(entry.a) | (u64::from(entry.b) << 32)))
    }

    pub fn as_bool(self) -> Option<bool> {
        match self.kind() {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn items(self) -> Option<Items<'a>> {
        let entry = self.entry();
        (entry.kind == Kind::Array).then_some(Items { doc: self.doc, at: self.at + 1, left: entry.b as usize })
    }

    /// The members of an object, in order, a repeated name each time it comes.
    pub fn members(self) -> Option<Members<'a>> {
        let entry = self.entry();
        (entry.kind == Kind::Object).then_some(Members { doc: self.doc, at: self.at + 1, left: entry.b as usize })
    }

    /// A short name of the value's type, for error messages.
    pub fn type_name(self) -> &'static str {
        match self.kind() {
            Kind::Null => "null",
            Kind::False | Kind::True => "a boolean",
            Kind::Number => "a number",
            Kind::Plain | Kind::Escaped => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// The items of an array [`Node`].
#[derive(Clone)]
pub struct Items<'a> {
    doc: &'a Doc,
    at: usize,
    left: usize,
}

impl<'a> Items<'a> {
    /// The items of `value` when it is an array; none otherwise.
    pub fn of(value: Option<Node<'a>>) -> Items<'a> {
        match value.and_then(Node::items) {
            Some(items) => items,
            None => Items { doc: value.map_or(&EMPTY, |v| v.doc), at: 0, left: 0 },
        }
    }
}

/// What an empty [`Items`] points to.
static EMPTY: Doc = Doc { text: String::new(), tape: Vec::new(), unescaped: String::new() };

impl<'a> Iterator for Items<'a> {
    type Item = Node<'a>;

    fn next(&mut self) -> Option<Node<'a>> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let item = Node { doc: self.doc, at: self.at };
        self.at = self.doc.after(self.at);
        Some(item)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for Items<'_> {}

/// The members of an object [`Node`]: each name with its value.
pub struct Members<'a> {
    doc: &'a Doc,
    at: usize,
    left: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (&'a str, Node<'a>);

    fn next(&mut self) -> Option<(&'a str, Node<'a>)> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        let name = self.doc.str_at(self.doc.entry(self.at));
        let value = Node { doc: self.doc, at: self.at + 1 };
        self.at = self.doc.after(self.at + 1);
        Some((name, value))
    }
}
