//! When to try again within one run: jittered exponential backoff for transient failures
//! (timeouts, connection errors, cut-off bodies, 5xx), and the server's own `Retry-After`
//! (delta-seconds or an HTTP date) for 429/503. Pure functions; the sleeping is done by the
//! fetcher.
//!
//! Backoff: attempt `n` (0-based, counting retries) waits a random time in `[d/2, d]` with
//! `d = min(base · 2ⁿ, MAX_BACKOFF)`, so a cron run never waits long. A `Retry-After` of at most
//! [`SHORT_RETRY_AFTER`] is slept once; a longer one is not slept in a run at all: it becomes the
//! source's next due time.

use chrono::{DateTime, Utc};
use std::time::Duration;

/// The default first backoff delay.
pub const BASE_BACKOFF: Duration = Duration::from_millis(500);
/// No single backoff is longer than this.
pub const MAX_BACKOFF: Duration = Duration::from_secs(4);
/// `Retry-After` up to this is slept (once) within the run; longer ones set the next due time.
pub const SHORT_RETRY_AFTER: Duration = Duration::from_secs(10);

/// How long to wait before retry number `retry` (0 = the first retry), jittered.
pub fn backoff(base: Duration, retry: u32) -> Duration {
    let full = base
        .saturating_mul(1u32.checked_shl(retry.min(16)).unwrap_or(u32::MAX))
        .min(MAX_BACKOFF.max(base));
    let half = full / 2;
    let spread = (full - half).as_millis() as u64;
    half + Duration::from_millis(fastrand::u64(0..=spread))
}

/// Parse a `Retry-After` value into a delay. Delta-seconds are taken as they are; an HTTP date
/// is measured from the response's own `Date` header when there is one (so the server's clock
/// skew does not matter), else from `now`, the run's clock. A date in the past means "now".
pub fn parse_retry_after(
    value: &str,
    server_date: Option<&str>,
    now: DateTime<Utc>,
) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = parse_http_date(value)?;
    let reference = server_date.and_then(parse_http_date).unwrap_or(now);
    Some((at - reference).to_std().unwrap_or(Duration::ZERO))
}

/// An HTTP date (IMF-fixdate, RFC 850 or asctime) as UTC.
pub fn parse_http_date(value: &str) -> Option<DateTime<Utc>> {
    httpdate::parse_http_date(value.trim())
        .ok()
        .map(DateTime::<Utc>::from)
}

/// `t` as an HTTP date (IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`).
pub fn format_http_date(t: std::time::SystemTime) -> String {
    httpdate::fmt_http_date(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|d| d.with_timezone(&Utc))
            .unwrap_or_default()
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let base = Duration::from_millis(500);
        for _ in 0..50 {
            let d0 = backoff(base, 0);
            assert!(d0 >= Duration::from_millis(250) && d0 <= base, "{d0:?}");
            let d1 = backoff(base, 1);
            assert!(d1 >= base && d1 <= Duration::from_secs(1), "{d1:?}");
            let d9 = backoff(base, 9);
            assert!(d9 >= MAX_BACKOFF / 2 && d9 <= MAX_BACKOFF, "{d9:?}");
            assert!(backoff(base, u32::MAX) <= MAX_BACKOFF);
        }
        assert_eq!(backoff(Duration::ZERO, 3), Duration::ZERO);
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = at("2026-11-29T12:00:00Z");
        assert_eq!(
            parse_retry_after(" 7 ", None, now),
            Some(Duration::from_secs(7))
        );
        assert_eq!(
            parse_retry_after("Sun, 29 Nov 2026 12:02:00 GMT", None, now),
            Some(Duration::from_secs(120))
        );
        // measured from the server's Date when it sends one
        assert_eq!(
            parse_retry_after(
                "Sun, 29 Nov 2026 12:02:00 GMT",
                Some("Sun, 29 Nov 2026 12:01:55 GMT"),
                now
            ),
            Some(Duration::from_secs(5))
        );
        assert_eq!(
            parse_retry_after("Sun, 29 Nov 2026 11:00:00 GMT", None, now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", None, now), None);
        assert_eq!(parse_retry_after("-5", None, now), None);
    }

    #[test]
    fn http_dates_round_trip() {
        let t = std::time::UNIX_EPOCH + Duration::from_secs(784_111_777);
        let s = format_http_date(t);
        assert_eq!(s, "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(parse_http_date(&s), Some(at("1994-11-06T08:49:37Z")));
    }
}
