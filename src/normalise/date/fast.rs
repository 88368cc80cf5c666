//! A shortcut for the two date shapes nearly every feed writes: RFC 822 as RSS 2.0 spells it
//! (`Mon, 01 Jun 2026 10:00:00 +0200`, also `GMT`/`UT`/`Z` and without the weekday or the
//! seconds) and RFC 3339 (`2026-06-01T10:00:00.5+02:00`, `Z`). Byte-level parsing, no
//! tokenising, no allocation. It answers only when the text is exactly one of these shapes with
//! plausible values, and then exactly what [`super::parse_date`] answers; anything else is
//! `None`, and the caller asks the full engine (tests compare the two over the corpora).

use super::ParsedDate;
use crate::model::DatePrecision;
use chrono::{FixedOffset, NaiveDate, NaiveTime, TimeZone};

/// Parses `text` if it is a plain RFC 822 or RFC 3339 date; `None` means "ask the engine".
pub fn parse_common(text: &str) -> Option<ParsedDate> {
    let t = text.trim().as_bytes();
    match t.first()? {
        b'0'..=b'9' if t.get(4) == Some(&b'-') => rfc3339(t),
        _ => rfc822(t),
    }
}

fn num(b: &[u8]) -> Option<u32> {
    if b.is_empty() || b.len() > 9 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, d| n * 10 + u32::from(d - b'0')))
}

/// Years the shortcut vouches for (the engine reads others too, in its own ways).
const YEARS: std::ops::RangeInclusive<u32> = 1970..=2199;

/// Calendar day, time of day (hours, minutes, seconds, nanoseconds), offset in seconds.
fn build(
    (y, mo, d): (u32, u32, u32),
    (h, mi, s, nano): (u32, u32, u32, u32),
    off: i32,
) -> Option<ParsedDate> {
    if !YEARS.contains(&y) || h > 23 || mi > 59 || s > 59 {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, mo, d)?;
    let time = NaiveTime::from_hms_nano_opt(h, mi, s, nano)?;
    let offset = FixedOffset::east_opt(off)?;
    let at = offset.from_local_datetime(&date.and_time(time)).single()?;
    Some(ParsedDate {
        at,
        precision: DatePrecision::Exact,
        offset_known: true,
    })
}

const MONTHS: [&[u8; 3]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&[u8; 3]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

/// `[Ddd, ]D[D] Mmm YYYY HH:MM[:SS] (±HHMM|GMT|UT|Z)`, single spaces.
fn rfc822(t: &[u8]) -> Option<ParsedDate> {
    let mut rest = t;
    if let Some(day) = rest.get(..5)
        && day[3..] == *b", "
    {
        if !DAYS.iter().any(|d| day[..3] == **d) {
            return None;
        }
        rest = &rest[5..];
    }
    let mut parts = rest.split(|&b| b == b' ');
    let day = parts.next()?;
    let month = parts.next()?;
    let year = parts.next()?;
    let time = parts.next()?;
    let zone = parts.next()?;
    if parts.next().is_some() || day.len() > 2 || year.len() != 4 {
        return None;
    }
    let d = num(day)?;
    let mo = MONTHS.iter().position(|m| month == *m)? as u32 + 1;
    let y = num(year)?;
    let (h, mi, s) = match time.len() {
        8 if time[2] == b':' && time[5] == b':' => {
            (num(&time[..2])?, num(&time[3..5])?, num(&time[6..])?)
        }
        5 if time[2] == b':' => (num(&time[..2])?, num(&time[3..5])?, 0),
        _ => return None,
    };
    let off = match zone {
        b"GMT" | b"UT" | b"Z" | b"+0000" => 0,
        [sign @ (b'+' | b'-'), hh @ ..] if hh.len() == 4 => {
            let (oh, om) = (num(&hh[..2])?, num(&hh[2..])?);
            if oh > 14 || om > 59 || oh + om == 0 {
                // `-0000` means "offset unknown" in RFC 2822: the engine's call.
                return None;
            }
            let secs = i32::try_from(oh * 3600 + om * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    build((y, mo, d), (h, mi, s, 0), off)
}

/// `YYYY-MM-DDTHH:MM:SS[.f{1,9}](Z|±HH:MM)`.
fn rfc3339(t: &[u8]) -> Option<ParsedDate> {
    if t.len() < 20
        || t[4] != b'-'
        || t[7] != b'-'
        || t[10] != b'T'
        || t[13] != b':'
        || t[16] != b':'
    {
        return None;
    }
    let (y, mo, d) = (num(&t[..4])?, num(&t[5..7])?, num(&t[8..10])?);
    let (h, mi, s) = (num(&t[11..13])?, num(&t[14..16])?, num(&t[17..19])?);
    let mut rest = &t[19..];
    let mut nano = 0;
    if rest.first() == Some(&b'.') {
        let digits = rest[1..].iter().take_while(|b| b.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        nano = num(&rest[1..=digits])? * 10u32.pow(9 - digits as u32);
        rest = &rest[1 + digits..];
    }
    let off = match rest {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), hh @ ..] if hh.len() == 5 && hh[2] == b':' => {
            let (oh, om) = (num(&hh[..2])?, num(&hh[3..])?);
            if oh > 14 || om > 59 || (*sign == b'-' && oh + om == 0) {
                return None;
            }
            let secs = i32::try_from(oh * 3600 + om * 60).ok()?;
            if *sign == b'-' { -secs } else { secs }
        }
        _ => return None,
    };
    build((y, mo, d), (h, mi, s, nano), off)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalise::date::parse_date;
    use proptest::prelude::*;

    fn same(s: &str) {
        if let Some(fast) = parse_common(s) {
            assert_eq!(Some(fast), parse_date(s), "{s:?}");
        }
    }

    #[test]
    fn the_common_shapes_are_read() {
        for s in [
            "Mon, 01 Jun 2026 10:00:00 +0200",
            "  Tue, 10 Jun 2003 04:00:00 -0530 ",
            "1 Jun 2026 10:00 GMT",
            "2026-06-01T10:00:00Z",
            "2026-06-01T10:00:00.123+02:00",
            "2026-06-01T10:00:00-07:30",
        ] {
            assert!(parse_common(s).is_some(), "{s}");
            same(s);
        }
    }

    #[test]
    fn other_shapes_are_left_to_the_engine() {
        for s in [
            "Mon, 01 Jun 2026 10:00:00 -0000",
            "Mon, 01 Jun 2026 10:00:00 EST",
            "Mon,  01 Jun 2026 10:00:00 +0000",
            "Monday, 01 June 2026 10:00:00 +0000",
            "2026-06-01 10:00:00Z",
            "2026-06-01T10:00:00",
            "2026-06-01",
            "Mon, 31 Feb 2026 10:00:00 +0000",
            "Mon, 01 Jun 1890 10:00:00 +0000",
            "Mon, 01 Jun 2026 24:00:00 +0000",
            "",
        ] {
            assert_eq!(parse_common(s), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn agrees_with_the_engine_on_rfc822(
            wd in 0usize..8, d in 0u32..33, mo in 0usize..12, y in 1960u32..2210,
            h in 0u32..26, mi in 0u32..62, s in 0u32..62, secs in any::<bool>(),
            zone in prop::sample::select(vec!["+0000", "GMT", "UT", "Z", "-0000", "+0200", "-0930", "+1400", "+1500", "+0560", "EST"]),
        ) {
            let wd = if wd == 7 { String::new() } else { format!("{}, ", String::from_utf8_lossy(DAYS[wd])) };
            let time = if secs { format!("{h:02}:{mi:02}:{s:02}") } else { format!("{h:02}:{mi:02}") };
            same(&format!("{wd}{d:02} {} {y} {time} {zone}", String::from_utf8_lossy(MONTHS[mo])));
            same(&format!("{wd}{d} {} {y} {time} {zone}", String::from_utf8_lossy(MONTHS[mo])));
        }

        #[test]
        fn agrees_with_the_engine_on_rfc3339(
            y in 1960u32..2210, mo in 0u32..14, d in 0u32..33, h in 0u32..26, mi in 0u32..62,
            s in 0u32..62, frac in prop::sample::select(vec!["", ".5", ".123", ".123456789", ".1234567890"]),
            zone in prop::sample::select(vec!["Z", "+00:00", "-00:00", "+02:00", "-09:30", "+14:00", "+15:00", "+05:60", "+0200", "z"]),
        ) {
            same(&format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{zone}"));
        }
    }
}
