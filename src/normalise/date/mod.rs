//! The date engine. Two entry points:
//!
//! - [`parse_date`] / [`parse_date_utc`] ([`absolute`]): strict-but-lenient machine dates as
//!   feeds write them (RFC 822, RFC 3339 / ISO 8601 / W3C-DTF, asctime, Unix timestamps). No
//!   context: a date without an offset is read as UTC.
//! - [`parse_human_date`] ([`human`]): dates as people write them on web pages, resolved against
//!   a [`DateContext`] (fetch time, timezone, language hint, day-first switch, optional format):
//!   absolute ("January 9, 2026", "9 de enero de 2026", "09/01/2026"), partial ("Jan 9",
//!   "9 janv.") and relative ("3 hours ago", "ayer", "vor 30 Minuten") dates, also when they
//!   stand inside a sentence ("Posted by Ana on January 9, 2026 in News").
//!
//! Every result carries a [`DatePrecision`]; see [`parse_human_date`] for how each kind of date
//! is turned into an instant. Local times are placed in the source's timezone by
//! [`local_to_utc`]: an ambiguous local time (the repeated hour when clocks go back) takes the
//! earlier instant, a non-existent one (the hour skipped when clocks go forward) is shifted
//! forward by the length of the gap (02:30 on a spring-forward night in Chicago is 03:30 CDT).
//! The stamp's `offset_secs` is always the zone's real offset at the resulting instant.

mod absolute;
pub mod fast;
mod human;
mod lang;

pub use absolute::{ParsedDate, parse_date, parse_date_utc};

use crate::model::{DatePrecision, Stamp};
use chrono::{DateTime, Duration, NaiveDateTime, Offset, TimeZone, Utc};

/// What resolving a date found on a web page needs: the fetch time, the source's timezone and
/// language hints, the day-first switch and an optional explicit format.
#[derive(Debug, Clone, Copy)]
pub struct DateContext<'a> {
    /// The fetch time (`--now`): relative and partial dates resolve against it.
    pub now: DateTime<Utc>,
    /// For dates without an offset (IANA zone from `timezone`); UTC when `None`.
    pub timezone: Option<chrono_tz::Tz>,
    /// Language hint (`en`, `es`, …) for month names and relative phrases; all known languages
    /// are tried when `None`.
    pub language: Option<&'a str>,
    /// `09/01/2026` is 9 January when `Some(true)`, 1 September when `Some(false)`; `None` when
    /// the source does not say (month first, as US sites write — a post page may decide from
    /// its declared language, see [`day_first_language`]).
    pub day_first: Option<bool>,
    /// A strftime-like format (`date_format`) tried first.
    pub format: Option<&'a str>,
}

impl DateContext<'static> {
    /// A context with only the fetch time: UTC, every language, month first, no format.
    pub fn new(now: DateTime<Utc>) -> DateContext<'static> {
        DateContext {
            now,
            timezone: None,
            language: None,
            day_first: None,
            format: None,
        }
    }
}

/// Whether a page declaring the language tag `tag` (BCP 47 `en-GB`, or a locale `en_GB`, from
/// `<html lang>`, `og:locale`, `content-language` …) writes an ambiguous numeric date such as
/// `03/10/2023` day first. English reads month first unless its region writes day first (the
/// UK, Ireland, Australia, New Zealand, India, South Africa …); a bare `en`, an unknown tag or
/// a US/Canadian/Philippine region keeps month first. Every other language writes day first,
/// except those that write the year first (Chinese, Japanese, Korean, Hungarian, Lithuanian,
/// Mongolian), where a two-part order is no question of language.
pub fn day_first_language(tag: &str) -> bool {
    const EN_DAY_FIRST: [&str; 22] = [
        "gb", "uk", "ie", "au", "nz", "in", "za", "sg", "my", "pk", "ng", "ke", "gh", "hk", "bd",
        "lk", "mt", "cy", "zw", "ug", "tz", "jm",
    ];
    const YEAR_FIRST: [&str; 6] = ["zh", "ja", "ko", "hu", "lt", "mn"];
    let mut parts = tag.trim().split(['-', '_']);
    let primary = parts.next().unwrap_or("").to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) || !primary.bytes().all(|b| b.is_ascii_alphabetic()) {
        return false;
    }
    if primary == "en" {
        // The region is the first two-letter subtag after the language (`en-Latn-GB`).
        return parts
            .find(|p| p.len() == 2)
            .is_some_and(|r| EN_DAY_FIRST.contains(&r.to_ascii_lowercase().as_str()));
    }
    !YEAR_FIRST.contains(&primary.as_str())
}

/// Resolve a date as a human wrote it on a page ("Jan 9", "5 days ago", "ayer", "9 janvier
/// 2026", an ISO string …) into a stamp with its precision. Pure (the clock is `ctx.now`), never
/// panics, `None` when the text holds no date we can trust.
///
/// In order: `ctx.format` (chrono `%` syntax; localised month names are understood by `%b`/`%B`;
/// a format without a year infers it like a partial date); then the whole text as a machine
/// date ([`parse_date`]); then the first date-like run inside the text, relative or written.
///
/// - An absolute date with an offset keeps it (`Exact`, or `DateOnly` at 00:00 in that offset);
///   without one it is read in `ctx.timezone` (UTC when `None`). A bare calendar day is 00:00
///   local, `DateOnly`.
/// - A day and month without a year takes the most recent year in which that day (at its time,
///   or 00:00 local) is not more than one day after `ctx.now`: `YearInferred`. (So on the evening
///   of 31 December, "Jan 1" is the coming day, within the tolerance.) "Dec 28" seen on
///   12 January is last year's; "Feb 29" seen in 2026 is 2024's.
/// - A month and a year without a day ("November 2003", "Nov. 2003", "novembre 2003",
///   "2003-11", "Veröffentlicht im November 2003") is 00:00 local on the first of the month,
///   `Month` — only when it is the whole date text (a few label words before it at most): a
///   month and year inside running prose is never taken.
/// - Relative phrases are `Relative`. Seconds, minutes and hours ("3 hours ago", "just now")
///   give `now − amount` exactly. Days and coarser ("yesterday", "5 days ago", "2 weeks ago",
///   "1 month ago", "last week", "last monday") give 00:00 local on that local calendar day
///   (months by the calendar, the day clamped to the month's end); "yesterday at 14:30" gives
///   14:30 local on that day.
/// - Numeric dates: `2026-01-09` is year first; `9.1.2026` is always day first (dots are not a
///   US style); `09/01/2026` follows `ctx.day_first` unless one part is above 12 (when it is
///   `None`, month first, as US sites write); two-digit years are 20xx below 50.
/// - Anything more than one day after `ctx.now` is refused (`None`).
pub fn parse_human_date(text: &str, ctx: &DateContext<'_>) -> Option<Stamp> {
    human::parse(text, ctx)
}

/// The tolerance for dates after the fetch time (timezone skew, clocks a little ahead).
const FUTURE_TOLERANCE: Duration = Duration::days(1);

/// Whether `t` is acceptable as a date seen at `now`.
fn not_future(t: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now.checked_add_signed(FUTURE_TOLERANCE)
        .is_none_or(|limit| t <= limit)
}

/// The zone's offset from UTC at an instant, in seconds east.
fn offset_at(tz: Option<chrono_tz::Tz>, t: DateTime<Utc>) -> i32 {
    match tz {
        Some(tz) => tz
            .offset_from_utc_datetime(&t.naive_utc())
            .fix()
            .local_minus_utc(),
        None => 0,
    }
}

/// The local wall-clock time of `t` in the zone.
fn local_of(tz: Option<chrono_tz::Tz>, t: DateTime<Utc>) -> NaiveDateTime {
    match tz {
        Some(tz) => t.with_timezone(&tz).naive_local(),
        None => t.naive_utc(),
    }
}

/// A local wall-clock time in the zone as an instant. Ambiguous → the earlier instant; in a gap
/// → the same wall-clock reading taken with the offset in force just before the gap, which lands
/// that far after the gap's end (shifted forward).
fn local_to_utc(tz: Option<chrono_tz::Tz>, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let Some(tz) = tz else {
        return Some(local.and_utc());
    };
    match tz.from_local_datetime(&local) {
        chrono::LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        chrono::LocalResult::Ambiguous(a, b) => Some(a.min(b).with_timezone(&Utc)),
        chrono::LocalResult::None => {
            // Walk back to a local time that exists (gaps are at most a day long) and take its
            // offset.
            let mut probe = local;
            for _ in 0..49 {
                probe = probe.checked_sub_signed(Duration::minutes(30))?;
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    let off = t.offset().fix().local_minus_utc();
                    let utc = local.checked_sub_signed(Duration::seconds(i64::from(off)))?;
                    return Some(utc.and_utc());
                }
            }
            None
        }
    }
}

/// A stamp for a local wall-clock time in the context's zone.
fn stamp_local(
    ctx: &DateContext<'_>,
    local: NaiveDateTime,
    precision: DatePrecision,
) -> Option<Stamp> {
    let utc = local_to_utc(ctx.timezone, local)?;
    Some(Stamp {
        utc,
        offset_secs: offset_at(ctx.timezone, utc),
        precision,
    })
}

/// A stamp for an instant, with the context zone's offset at that instant.
fn stamp_utc(ctx: &DateContext<'_>, utc: DateTime<Utc>, precision: DatePrecision) -> Stamp {
    Stamp {
        utc,
        offset_secs: offset_at(ctx.timezone, utc),
        precision,
    }
}

#[cfg(test)]
mod tests;
