//! When a source is read next: after its `interval`, or at the next match of its cron
//! `schedule`, plus a small per-source jitter so that sources sharing an interval do not all
//! fire in the same instant. Pure functions over times and config values; the daemon loop and
//! `app::run` use them.
//!
//! The cron dialect is croner's: five fields `minute hour day-of-month month day-of-week`
//! (an optional leading seconds field makes six, an optional trailing year seven), with `*`,
//! lists `1,15`, ranges `1-5`, steps `*/2` and `10-50/10`, names (`MON`, `JAN`), `L` (last
//! day/weekday), `#` (nth weekday, `5#2`), `W` (nearest weekday) and the macros `@yearly`,
//! `@annually`, `@monthly`, `@weekly`, `@daily`, `@midnight`, `@hourly`. Day-of-week counts
//! 0 or 7 as Sunday. When both day fields are restricted either may match (Vixie cron).
//! Expressions are evaluated in the source's `timezone` when it has one, else in UTC.

use crate::config::SourceConfig;
use chrono::{DateTime, FixedOffset, TimeZone, Utc};
use std::time::Duration;

/// The largest jitter added to a source's wake-up time.
pub const MAX_JITTER: Duration = Duration::from_secs(30);

/// Parse a cron expression in the dialect described above.
pub fn parse_schedule(text: &str) -> Result<croner::Cron, String> {
    // Defaults: seconds and year optional, Vixie day matching, POSIX weekdays.
    croner::parser::CronParser::new()
        .parse(text.trim())
        .map_err(|e| format!("`{}` is not a valid cron expression: {e}", text.trim()))
}

/// When `source` is next due after a successful read at `now`: the next match of its
/// `schedule` strictly after `now`, else `now + interval`. A schedule that cannot be parsed
/// or never matches again (validation refuses the former) falls back to the interval.
pub fn next_due_for(source: &SourceConfig, now: DateTime<Utc>) -> DateTime<Utc> {
    if let Some(next) = source
        .schedule
        .as_deref()
        .and_then(|text| next_match(text, source.timezone.as_deref(), now))
    {
        return next;
    }
    chrono::Duration::from_std(source.interval)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(now)
}

/// The next match of `schedule` strictly after `now`, in `timezone` (IANA name or `+hh:mm`)
/// or UTC.
pub fn next_match(
    schedule: &str,
    timezone: Option<&str>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let cron = parse_schedule(schedule).ok()?;
    match timezone {
        Some(name) => {
            if let Ok(tz) = name.parse::<chrono_tz::Tz>() {
                return next_in(&cron, &now.with_timezone(&tz));
            }
            if let Ok(offset) = name.parse::<FixedOffset>() {
                return next_in(&cron, &now.with_timezone(&offset));
            }
            next_in(&cron, &now)
        }
        None => next_in(&cron, &now),
    }
}

fn next_in<Tz: TimeZone>(cron: &croner::Cron, start: &DateTime<Tz>) -> Option<DateTime<Utc>> {
    cron.find_next_occurrence(start, false)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// A deterministic jitter for `source`: a fraction (below 5 %) of its period chosen by a hash
/// of its id, at most [`MAX_JITTER`]. The period is the interval, or for a schedule the gap
/// between its next two matches after `now`.
pub fn jitter_for(source: &SourceConfig, now: DateTime<Utc>) -> Duration {
    let period = source
        .schedule
        .as_deref()
        .and_then(|text| {
            let tz = source.timezone.as_deref();
            let first = next_match(text, tz, now)?;
            let second = next_match(text, tz, first)?;
            (second - first).to_std().ok()
        })
        .unwrap_or(source.interval);
    // FNV-1a: stable across runs and platforms, unlike std's RandomState.
    let hash = source.id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    });
    let per_mille = hash % 50; // 0.0 % ..= 4.9 %
    let jitter = period
        .checked_mul(u32::try_from(per_mille).unwrap_or(0))
        .unwrap_or(MAX_JITTER)
        / 1000;
    jitter.min(MAX_JITTER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(id: &str, interval: u64, schedule: Option<&str>, tz: Option<&str>) -> SourceConfig {
        let text = format!(
            "[[source]]\nid = \"{id}\"\nurl = \"https://x.test/f\"\n{}{}\n[[feed]]\nid = \"f\"\ntitle = \"F\"\nlink = \"https://x.test/\"\n",
            match schedule {
                Some(s) => format!("schedule = \"{s}\"\n"),
                None => format!("interval = \"{interval}s\"\n"),
            },
            tz.map(|t| format!("timezone = \"{t}\"\n"))
                .unwrap_or_default()
        );
        let config = crate::config::parse(&text, std::path::Path::new("/t/feeds.toml"))
            .unwrap_or_else(|e| panic!("{e}"));
        config.sources.into_iter().next().unwrap()
    }

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn interval_sources_are_due_after_their_interval() {
        let s = source("a", 90, None, None);
        assert_eq!(
            next_due_for(&s, at("2026-11-29T12:00:00Z")),
            at("2026-11-29T12:01:30Z")
        );
    }

    #[test]
    fn schedules_give_the_next_match_strictly_after_now() {
        let s = source("a", 0, Some("0 */2 * * *"), None);
        assert_eq!(
            next_due_for(&s, at("2026-11-29T12:00:00Z")),
            at("2026-11-29T14:00:00Z")
        );
        assert_eq!(
            next_due_for(&s, at("2026-11-29T13:59:59Z")),
            at("2026-11-29T14:00:00Z")
        );
        let daily = source("b", 0, Some("@daily"), None);
        assert_eq!(
            next_due_for(&daily, at("2026-11-29T12:00:00Z")),
            at("2026-11-30T00:00:00Z")
        );
    }

    #[test]
    fn schedules_follow_the_source_timezone() {
        let s = source("a", 0, Some("30 6 * * *"), Some("Europe/Berlin"));
        // 06:30 in Berlin (CET, +01:00) is 05:30 UTC.
        assert_eq!(
            next_due_for(&s, at("2026-11-29T12:00:00Z")),
            at("2026-11-30T05:30:00Z")
        );
        let fixed = source("b", 0, Some("0 9 * * *"), Some("+02:00"));
        assert_eq!(
            next_due_for(&fixed, at("2026-11-29T12:00:00Z")),
            at("2026-11-30T07:00:00Z")
        );
    }

    #[test]
    fn bad_expressions_are_refused() {
        assert!(parse_schedule("0 */2 * * *").is_ok());
        assert!(parse_schedule("0 0 */2 * * *").is_ok(), "seconds field");
        assert!(parse_schedule("61 * * * *").is_err());
        assert!(parse_schedule("* * * *").is_err());
    }

    #[test]
    fn config_refuses_a_schedule_the_scheduler_cannot_read() {
        let text = "[[source]]\nid = \"a\"\nurl = \"https://x.test/f\"\nschedule = \"61 * * * *\"\n\n[[feed]]\nid = \"f\"\ntitle = \"F\"\nlink = \"https://x.test/\"\n";
        let err = crate::config::parse(text, std::path::Path::new("/t/feeds.toml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.starts_with("/t/feeds.toml:4:12: source[1].schedule: `61 * * * *` is not a valid cron expression"),
            "{err}"
        );
    }

    #[test]
    fn shutdown_grace_defaults_to_five_seconds() {
        let base = "[[feed]]\nid = \"f\"\ntitle = \"F\"\nlink = \"https://x.test/\"\n";
        let path = std::path::Path::new("/t/feeds.toml");
        let config = crate::config::parse(base, path).unwrap();
        assert_eq!(config.settings.shutdown_grace, Duration::from_secs(5));
        let text = format!("[settings]\nshutdown_grace = \"1m\"\n\n{base}");
        let config = crate::config::parse(&text, path).unwrap();
        assert_eq!(config.settings.shutdown_grace, Duration::from_secs(60));
        let text = format!("[settings]\nshutdown_grace = \"soon\"\n\n{base}");
        let err = crate::config::parse(&text, path).err().unwrap().to_string();
        assert!(err.contains(":2:18: settings.shutdown_grace:"), "{err}");
    }

    #[test]
    fn jitter_is_stable_small_and_capped() {
        let now = at("2026-11-29T12:00:00Z");
        let a = source("alpha", 3600, None, None);
        assert_eq!(jitter_for(&a, now), jitter_for(&a, now));
        assert!(jitter_for(&a, now) < Duration::from_secs(180));
        let day = source("beta", 86_400, None, None);
        assert!(jitter_for(&day, now) <= MAX_JITTER);
        let second = source("gamma", 1, None, None);
        assert!(jitter_for(&second, now) < Duration::from_millis(50));
        let ids: std::collections::HashSet<Duration> = ["a", "b", "c", "d", "e", "f"]
            .iter()
            .map(|id| jitter_for(&source(id, 3600, None, None), now))
            .collect();
        assert!(ids.len() > 1, "different sources get different jitter");
    }
}
