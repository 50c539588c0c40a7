//! Timestamps without a clock: RFC 3339 and HTTP-date to milliseconds since the epoch.
//! The caller passes `now`; nothing here reads the time.

use crate::prelude::*;
/// Parses an RFC 3339 UTC timestamp (`Z` or `+00:00`), e.g. `2026-01-02T03:04:05.678Z`,
/// as a caller gives one. Returns milliseconds since the Unix epoch. A second of `60` (a leap
/// second) is refused: the providers' parsers (Go's, JS's `Date`) refuse it.
pub fn parse_rfc3339_utc(text: &str) -> Option<f64> {
    let main = text
        .strip_suffix('Z')
        .or_else(|| text.strip_suffix("+00:00"))?;
    let (head, fraction) = main.as_bytes().split_at_checked(19)?;
    if head.get(17..) == Some(b"60") {
        return None;
    }
    as_if_utc(head, fraction)
}

/// Parses an RFC 3339 timestamp as a server may send it: with any UTC offset (`+01:00`,
/// `-0500`, `+05`), `t`, `z` or a space where RFC 3339 allows them, more than nine digits of
/// a second, and with no zone at all, read as UTC (UNVERIFIED: a server that leaves the zone
/// out most likely means its UTC).
pub fn parse_rfc3339_any_zone(text: &str) -> Option<f64> {
    let (head, rest) = text.as_bytes().split_at_checked(19)?;
    let mut head: [u8; 19] = head.try_into().ok()?;
    if matches!(head[10], b't' | b' ') {
        head[10] = b'T';
    }
    let zone_at = rest.iter().position(|b| !(b.is_ascii_digit() || *b == b'.')).unwrap_or(rest.len());
    let (fraction, zone) = rest.split_at_checked(zone_at)?;
    let fraction = fraction.get(..10).unwrap_or(fraction); // `.` and nine digits
    Some(as_if_utc(&head, fraction)? - zone_offset_minutes(zone)? as f64 * 60_000.0)
}

/// A zone's offset from UTC in minutes: `Z`, `z` or none is 0, else `±hh:mm`, `±hhmm` or `±hh`.
fn zone_offset_minutes(zone: &[u8]) -> Option<i64> {
    let (sign, numbers) = match zone.split_first() {
        None | Some((b'Z' | b'z', [])) => return Some(0),
        Some((b'+', rest)) => (1, rest),
        Some((b'-', rest)) => (-1, rest),
        Some(_) => return None,
    };
    let (hours, minutes) = match numbers.len() {
        2 => (numbers, &b"00"[..]),
        4 => numbers.split_at_checked(2)?,
        5 if numbers[2] == b':' => (&numbers[..2], &numbers[3..]),
        _ => return None,
    };
    let (hours, minutes) = (digits(hours)?, digits(minutes)?);
    (hours <= 23 && minutes <= 59).then_some(sign * (hours * 60 + minutes))
}

/// `YYYY-MM-DDTHH:MM:SS` and a fraction (`.123`, or empty) as milliseconds since the epoch, read as UTC.
fn as_if_utc(head: &[u8], fraction: &[u8]) -> Option<f64> {
    let [year, month, day, hour, minute, second] = fixed_numbers(head, b"0000-00-00T00:00:00")?;
    let millis = fraction_millis(fraction)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second;
    Some(secs as f64 * 1000.0 + millis)
}

/// Parses an HTTP date (RFC 9110 §5.6.7): the IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT`,
/// and the two obsolete forms a recipient must still read, RFC 850's
/// `Sunday, 06-Nov-94 08:49:37 GMT` (a two-digit year from 70 is 19xx, else 20xx) and
/// asctime's `Sun Nov  6 08:49:37 1994`.
pub fn parse_http_date(text: &str) -> Option<f64> {
    // Split at ASCII whitespace by bytes (the grammar's separator is SP; `split_whitespace`
    // would link Unicode's whitespace and a char decoder).
    let mut words: [&[u8]; 6] = [b""; 6];
    let mut count = 0;
    for word in text.as_bytes().split(u8::is_ascii_whitespace).filter(|word| !word.is_empty()) {
        *words.get_mut(count)? = word;
        count += 1;
    }
    let (day, month, year, time) = match (count, words) {
        (6, [weekday, day, month, year, time, zone]) if weekday.ends_with(b",") && zone == b"GMT" && day.len() == 2 && year.len() == 4 => {
            (day, month, digits(year)?, time)
        }
        (4, [weekday, date, time, zone, ..]) if weekday.ends_with(b",") && zone == b"GMT" => {
            let [day, month, year] = exactly(date.split(|&b| b == b'-'))?;
            let short = digits(year).filter(|_| day.len() == 2 && year.len() == 2)?;
            (day, month, short + if short >= 70 { 1900 } else { 2000 }, time)
        }
        (5, [_, month, day, time, year, _]) if day.len() <= 2 && year.len() == 4 => (day, month, digits(year)?, time),
        _ => return None,
    };
    let [hour, minute, second] = exactly(time.split(|&b| b == b':'))?;
    let month = MONTHS.iter().position(|m| m.as_bytes() == month)? as i64 + 1;
    let day = digits(day)?;
    let (hour, minute, second) = (digits(hour)?, digits(minute)?, digits(second)?);
    if day < 1 || day > days_in_month(year, month) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let secs = days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second;
    Some(secs as f64 * 1000.0)
}

/// The items of `items` when there are exactly `N` of them.
/// (One loop instead of `N + 1` inlined `next()` calls.)
fn exactly<T: Copy + Default, const N: usize>(items: impl Iterator<Item = T>) -> Option<[T; N]> {
    let mut out = [T::default(); N];
    let mut count = 0;
    for item in items {
        *out.get_mut(count)? = item;
        count += 1;
    }
    (count == N).then_some(out)
}

/// Formats milliseconds since the epoch as RFC 3339 UTC (`…Z`, milliseconds only when non-zero).
pub fn format_rfc3339(ms: f64) -> String {
    let total_ms = crate::json::float::floor(ms) as i64;
    let secs = total_ms.div_euclid(1000);
    let millis = total_ms.rem_euclid(1000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let rem = secs.rem_euclid(86_400);
    let (h, m, s) = (rem / 3600, rem % 3600 / 60, rem % 60);
    // Written by hand: `format!` with widths pulls in integer padding code.
    let mut out = String::with_capacity(24);
    for (n, width, sep) in [(year, 4, '-'), (month, 2, '-'), (day, 2, 'T'), (h, 2, ':'), (m, 2, ':'), (s, 2, '.')] {
        push_padded(&mut out, n, width);
        out.push(sep);
    }
    if millis == 0 {
        out.pop();
    } else {
        push_padded(&mut out, millis, 3);
    }
    out.push('Z');
    out
}

/// Appends `n` like `{:0width$}`: zero-padded after the sign, which counts toward `width`.
fn push_padded(out: &mut String, n: i64, width: usize) {
    let mut buffer = [0u8; 20];
    let digits = crate::json::decimal_digits(n.unsigned_abs(), &mut buffer);
    if n < 0 {
        out.push('-');
    }
    for _ in digits.len() + usize::from(n < 0)..width {
        out.push('0');
    }
    out.extend(digits.iter().map(|&d| char::from(d)));
}

/// The date of a day number since 1970-01-01 (inverse of `days_from_civil`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Unsigned decimal digits only; `None` when empty, not digits, or too large for `i64`.
fn digits(text: &[u8]) -> Option<i64> {
    if text.is_empty() {
        return None;
    }
    text.iter().try_fold(0i64, |n, b| match b {
        b'0'..=b'9' => n.checked_mul(10)?.checked_add(i64::from(b - b'0')),
        _ => None,
    })
}

/// The numbers in `bytes` laid out as `layout`, where `0` stands for a digit and
/// any other byte must appear as is. Works on bytes, so non-ASCII text cannot panic.
fn fixed_numbers<const N: usize>(bytes: &[u8], layout: &[u8]) -> Option<[i64; N]> {
    if bytes.len() != layout.len() {
        return None;
    }
    let mut numbers = [0i64; N];
    let mut index = 0;
    for (&b, &expected) in bytes.iter().zip(layout) {
        if expected == b'0' && b.is_ascii_digit() {
            numbers[index] = numbers[index] * 10 + i64::from(b - b'0');
        } else if b == expected {
            index += 1;
        } else {
            return None;
        }
    }
    Some(numbers)
}

fn fraction_millis(text: &[u8]) -> Option<f64> {
    if text.is_empty() {
        return Some(0.0);
    }
    let fraction = text.strip_prefix(b".")?;
    if fraction.is_empty() || fraction.len() > 9 || !fraction.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // The first three digits, missing ones as 0 (a loop: a `chain` of iterators is 0.2 KB).
    let digit = |at: usize| fraction.get(at).map_or(0, |&b| u32::from(b - b'0'));
    Some(f64::from(digit(0) * 100 + digit(1) * 10 + digit(2)))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_utc_timestamps() {
        assert_eq!(parse_rfc3339_utc("1970-01-01T00:00:00Z"), Some(0.0));
        assert_eq!(parse_rfc3339_utc("2024-10-30T23:58:27.427722Z"), Some(1_730_332_707_427.0));
        assert_eq!(parse_rfc3339_utc("1970-01-01T00:00:01.5Z"), Some(1_500.0));
        assert_eq!(parse_rfc3339_utc("1970-01-01T00:00:01.05Z"), Some(1_050.0));
        assert_eq!(parse_rfc3339_utc("2000-02-29T12:00:00+00:00"), Some(951_825_600_000.0));
    }

    #[test]
    fn refuses_other_zones_and_bad_dates() {
        for bad in [
            "2026-01-01T00:00:00+02:00",
            "2026-01-01 00:00:00Z",
            "2026-02-30T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-01-01T24:00:00Z",
            "2026-01-01",
            "tomorrow",
            "2026-01-01T00:00:00.Z",
            "2030-01-01T00:00:0\u{e9}Z",
            "2030-01-01T00:00:60Z",
            "2016-12-31T23:59:60Z",
        ] {
            assert_eq!(parse_rfc3339_utc(bad), None, "{bad}");
        }
    }

    #[test]
    fn reads_any_zone_from_a_server() {
        let utc = parse_rfc3339_utc("2020-01-01T00:00:00Z");
        for same in [
            "2020-01-01T00:00:00Z",
            "2020-01-01T01:00:00+01:00",
            "2019-12-31T19:00:00-05:00",
            "2020-01-01T05:30:00+0530",
            "2020-01-01T02:00:00+02",
            "2020-01-01t00:00:00z",
            "2020-01-01 00:00:00+00:00",
            "2020-01-01T00:00:00",
        ] {
            assert_eq!(parse_rfc3339_any_zone(same), utc, "{same}");
        }
        assert_eq!(parse_rfc3339_any_zone("2020-01-01T01:00:00.250+01:00"), utc.map(|ms| ms + 250.0));
        assert_eq!(parse_rfc3339_any_zone("2020-01-01T00:00:00.1234567890123Z"), utc.map(|ms| ms + 123.0));
        for bad in ["2020-01-01T00:00:00+24:00", "2020-01-01T00:00:00+01:60", "2020-01-01T00:00:00+1", "2020-01-01T00:00:00 UTC", "2020-01-01", "2020-01-01X00:00:00Z"] {
            assert_eq!(parse_rfc3339_any_zone(bad), None, "{bad}");
        }
    }

    #[test]
    fn formats_what_it_parses() {
        for text in ["1970-01-01T00:00:00Z", "2024-02-29T23:59:59.123Z", "1969-12-31T23:59:59Z"] {
            assert_eq!(format_rfc3339(parse_rfc3339_utc(text).unwrap()), text);
        }
    }

    #[test]
    fn pads_like_format() {
        for n in [0, 7, 42, 999, 2024, 12345, -1, -42, -2024, i64::MIN, i64::MAX] {
            for width in [2, 3, 4] {
                let mut out = String::new();
                push_padded(&mut out, n, width);
                assert_eq!(out, format!("{:0width$}", n, width = width));
            }
        }
    }

    #[test]
    fn parses_http_dates() {
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), Some(784_111_777_000.0));
        assert_eq!(parse_http_date("Sun,  06 Nov 1994 \t08:49:37 GMT"), Some(784_111_777_000.0), "extra spaces, a tab");
        assert_eq!(parse_http_date("Sun, 06 Nov 1994 08:49:37 UTC"), None);
        assert_eq!(parse_http_date("Sun, 06 Foo 1994 08:49:37 GMT"), None);
        assert_eq!(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), Some(784_111_777_000.0), "RFC 850");
        assert_eq!(parse_http_date("Saturday, 28-Nov-26 01:42:24 GMT"), Some(1_795_830_144_000.0), "RFC 850, 20xx");
        assert_eq!(parse_http_date("Sun Nov  6 08:49:37 1994"), Some(784_111_777_000.0), "asctime");
        assert_eq!(parse_http_date("Sat Nov 28 01:42:24 2026"), Some(1_795_830_144_000.0), "asctime, two-digit day");
        for bad in ["Sunday, 06-Nov-1994 08:49:37 GMT", "Sunday, 6-Nov-94 08:49:37 GMT", "Sun Nov 6 08:49:37 94", "Sun Nov 6 08:49 1994", "Sun, 06 Nov 1994", "soon", ""] {
            assert_eq!(parse_http_date(bad), None, "{bad}");
        }
    }
}
