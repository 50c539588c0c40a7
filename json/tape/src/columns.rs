//! Writes values as [`Columns`]: their strings joined into one text and everything else
//! as numbers. A page of keys leaves the wasm this way: JS slices the strings out of one
//! decoded text and reads numbers from a `Float64Array` view, which (measured:
//! docs/design.md) costs a third of parsing the same keys as JSON rows.
//!
//! The reader must know the shape (`keyFromColumns` in `src/js/runtime.js` knows
//! `model::KEY_FIELDS`, in whose order `ApiKey` writes itself). Slots, in writing order:
//! - a string: its length in UTF-16 units (what JS's `slice` counts); its text is appended;
//! - a number: itself, `-0` as `0` (as JSON text writes it), a non-finite one `NaN`;
//! - an absent value: `NaN`;
//! - a struct: 1, then its fields; a list: its length, then its items.

use crate::prelude::*;

/// Values as strings and number slots (see the module's documentation).
#[derive(Debug, Default, PartialEq)]
pub struct Columns {
    pub text: String,
    pub slots: Vec<f64>,
}

/// A value that writes itself as columns, in the order its reader expects.
pub trait WriteColumns {
    fn write_columns(&self, out: &mut Columns);
}

/// `items` as columns: their count, then each item.
pub fn to_columns<T: WriteColumns>(items: &[T]) -> Columns {
    let mut columns = Columns::default();
    columns.count(items.len());
    for item in items {
        item.write_columns(&mut columns);
    }
    columns
}

impl Columns {
    /// A string, or `NaN` when absent.
    pub fn text(&mut self, value: Option<&str>) {
        let Some(text) = value else { return self.slots.push(f64::NAN) };
        let units = if text.is_ascii() { text.len() } else { text.encode_utf16().count() };
        self.slots.push(units as f64);
        self.text.push_str(text);
    }

    /// A number, or `NaN` when absent or not finite.
    pub fn number(&mut self, value: Option<f64>) {
        // `+ 0.0` turns `-0` into `0`: JSON text writes it `0`, so JS never saw `-0` before.
        self.slots.push(value.filter(|n| n.is_finite()).map_or(f64::NAN, |n| n + 0.0));
    }

    /// Whether a struct is there (1, its fields to follow) or not (`NaN`): `value` back.
    pub fn has<T>(&mut self, value: Option<T>) -> Option<T> {
        self.slots.push(if value.is_some() { 1.0 } else { f64::NAN });
        value
    }

    /// A list's length (its items follow).
    pub fn count(&mut self, len: usize) {
        self.slots.push(len as f64);
    }

    /// A list of strings, or `NaN` when absent.
    pub fn texts(&mut self, values: Option<&[String]>) {
        let Some(values) = values else { return self.slots.push(f64::NAN) };
        self.count(values.len());
        for value in values {
            self.text(Some(value));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Sample(&'static [&'static str], f64);

    impl WriteColumns for Sample {
        fn write_columns(&self, out: &mut Columns) {
            out.has(Some(()));
            for text in self.0 {
                out.text(Some(text));
            }
            out.text(None);
            out.number(Some(self.1));
            out.number(None);
            if let Some(n) = out.has(Some(2.5)) {
                out.number(Some(n));
            }
            out.has(None::<()>);
            out.texts(Some(&["x".to_string()]));
            out.texts(None);
        }
    }

    #[test]
    fn strings_join_in_one_text_and_the_rest_are_numbers() {
        let columns = to_columns(&[Sample(&["k\"", "é🔑", ""], f64::INFINITY), Sample(&[], -1.5)]);
        assert_eq!(columns.text, "k\"é🔑xx");
        let slots: Vec<String> = columns.slots.iter().map(|n| n.to_string()).collect();
        let first = "1 2 3 0 NaN NaN NaN 1 2.5 NaN 1 1 NaN";
        let second = "1 NaN -1.5 NaN 1 2.5 NaN 1 1 NaN";
        assert_eq!(slots.join(" "), format!("2 {first} {second}"), "count, struct, strings, absent, numbers, nested, absent, lists");
    }

    #[test]
    fn minus_zero_is_written_as_zero_as_json_text_writes_it() {
        let mut columns = Columns::default();
        for n in [-0.0, 0.0, -1.5] {
            columns.number(Some(n));
        }
        assert_eq!(columns.slots.iter().map(|n| n.to_bits()).collect::<Vec<_>>(), [0.0f64, 0.0, -1.5].map(f64::to_bits));
    }

    #[test]
    fn utf16_lengths_are_what_js_slices_by() {
        for text in ["plain", "é", "🔑", "a🔑é\u{2028}z", ""] {
            let mut columns = Columns::default();
            columns.text(Some(text));
            assert_eq!(columns.slots, [text.encode_utf16().count() as f64], "{text}");
        }
    }
}
