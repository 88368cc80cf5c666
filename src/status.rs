//! Source health for people: the status file beside the state (JSON, rewritten after every
//! run, never inside out/) and `feedwright status [--json]`. Both are built here from the
//! state's health records and item counts, plus the previous status file, which is where the
//! item counts of recent reads are kept (so a sharp drop can be seen).
//!
//! Warnings name the silent failures: a source whose last read gave 0 items, whose item count
//! fell to less than half of its usual count (the median of its reads in the
//! [`USUAL_WINDOW_DAYS`] days before; at least [`DROP_MIN_PREVIOUS`] items),
//! that has not been read successfully for [`STALE_DAYS`] days, all of whose stored items are
//! undated (their dates fell back to first seen), or (html sources) one of whose field
//! selectors matched nothing in any item of the last read — the run records that one in the
//! source's health (`last_warning`), since only the run sees the page. A source *fails* while
//! its last attempt failed. `status` exits 1 when any enabled source fails or has a warning.

use crate::config::Config;
use crate::state::{State, StateError};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;

/// A source not read successfully for this many days gets a warning.
pub const STALE_DAYS: i64 = 3;
/// A drop is only judged when the usual count is at least this many items.
pub const DROP_MIN_PREVIOUS: u32 = 4;
/// The usual item count is the median of the successful reads of this many days before the
/// last one (so a drop stays a warning for days, however often cron runs).
pub const USUAL_WINDOW_DAYS: i64 = 7;
/// Remembered read counts are at least this far apart (the newest read is kept as well), so a
/// source read every few minutes keeps about 4 a day, not one per run: the status file stays
/// small, and the median still spans the whole window.
const COUNT_SPACING_HOURS: i64 = 6;
/// At most this many read counts are remembered per source.
const MAX_RECENT_COUNTS: usize = 64;

/// The item count of one successful read, remembered in the status file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadCount {
    pub at: DateTime<Utc>,
    pub items: u32,
}

/// One source's line in the status file and the `status` table. The fields are in
/// alphabetical order, which is the order of the file's keys (see [`render_json`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct SourceStatus {
    pub consecutive_failures: u32,
    pub enabled: bool,
    pub id: String,
    pub items_last_run: u32,
    /// Items of the successful read before the last one (from the previous status file).
    pub items_previous_run: Option<u32>,
    pub items_total: u64,
    /// The median item count of the successful reads in the [`USUAL_WINDOW_DAYS`] days before
    /// the last one.
    #[serde(default)]
    pub items_usual: Option<u32>,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub location: String,
    /// `None`: due now (never read yet).
    pub next_due: Option<DateTime<Utc>>,
    /// The counts of the successful reads of that window and the last one, oldest first.
    #[serde(default)]
    pub recent_counts: Vec<ReadCount>,
    /// Share of stored items without a date of their own (0.0–1.0; `None` with no items).
    pub undated_share: Option<f64>,
    /// Every warning joined with `; ` (`None` when all is well).
    pub warning: Option<String>,
    pub warnings: Vec<String>,
}

impl SourceStatus {
    pub fn failing(&self) -> bool {
        self.enabled && self.consecutive_failures > 0
    }

    pub fn needs_attention(&self) -> bool {
        self.failing() || (self.enabled && !self.warnings.is_empty())
    }
}

/// What the next run takes from a source's line in the status file: its recent read counts.
/// Only these fields are decoded (the rest of each line is skipped, not copied).
#[derive(Debug, Clone, PartialEq, Deserialize, Default)]
#[serde(default)]
pub struct Previous {
    pub id: String,
    pub items_last_run: u32,
    pub items_previous_run: Option<u32>,
    pub last_success: Option<DateTime<Utc>>,
    pub recent_counts: Vec<ReadCount>,
}

#[derive(Debug, Deserialize, Default)]
struct PreviousFile {
    #[serde(default)]
    sources: Vec<Previous>,
}

/// The per-source records of a status file written earlier (empty when there is none or it
/// cannot be read: it is only a memory of the previous counts).
pub fn read_previous(path: &Path) -> HashMap<String, Previous> {
    std::fs::read(path)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<PreviousFile>(&bytes).ok())
        .map(|f| f.sources.into_iter().map(|s| (s.id.clone(), s)).collect())
        .unwrap_or_default()
}

/// Every configured source's status, in config order, from the state.
pub fn collect(
    config: &Config,
    state: &State,
    previous: &HashMap<String, Previous>,
    now: DateTime<Utc>,
) -> Result<Vec<SourceStatus>, StateError> {
    // Two queries for all sources, not two per source.
    let healths = state.all_health()?;
    let counts = state.all_item_counts()?;
    Ok(collect_from(config, healths, &counts, previous, now))
}

/// Every configured source's status, in config order, from the health records and item
/// counts (total, undated) of all sources (a run has them in hand).
pub fn collect_from(
    config: &Config,
    mut healths: HashMap<String, crate::state::Health>,
    counts: &HashMap<String, (u64, u64)>,
    previous: &HashMap<String, Previous>,
    now: DateTime<Utc>,
) -> Vec<SourceStatus> {
    let mut out = Vec::with_capacity(config.sources.len());
    for source in &config.sources {
        let h = healths
            .remove(&source.id)
            .unwrap_or_else(|| crate::state::Health {
                source_id: source.id.clone(),
                ..Default::default()
            });
        let (total, undated) = counts.get(&source.id).copied().unwrap_or((0, 0));
        let before = previous.get(&source.id);
        // A new successful read since the previous file: its count becomes "previous".
        let items_previous_run = match before {
            Some(p) if p.last_success == h.last_success => p.items_previous_run,
            Some(p) if p.last_success.is_some() => Some(p.items_last_run),
            _ => None,
        };
        let recent_counts = recent_counts(before, h.last_success, h.items_last_run);
        let items_usual = usual_count(&recent_counts, h.last_success);
        let mut s = SourceStatus {
            id: source.id.clone(),
            enabled: source.enabled,
            location: source.location_label(),
            last_attempt: h.last_attempt,
            last_success: h.last_success,
            last_error_at: h.last_error_at,
            last_error: h.last_error,
            consecutive_failures: h.consecutive_failures,
            items_last_run: h.items_last_run,
            items_previous_run,
            items_usual,
            recent_counts,
            items_total: total,
            undated_share: (total > 0).then(|| undated as f64 / total as f64),
            next_due: h.next_due,
            warning: None,
            warnings: Vec::new(),
        };
        if source.enabled {
            s.warnings = warnings_of(&s, undated, now);
            // Recorded by the run: a field selector that matched nothing on the last read.
            s.warnings.extend(h.last_warning.clone());
            s.warning = (!s.warnings.is_empty()).then(|| s.warnings.join("; "));
        }
        out.push(s);
    }
    out
}

/// The successful reads' counts of the window ending at the last success: the previous file's,
/// its last read (a file written before counts were kept), and the last read.
fn recent_counts(
    before: Option<&Previous>,
    last_success: Option<DateTime<Utc>>,
    items_last_run: u32,
) -> Vec<ReadCount> {
    let mut counts: Vec<ReadCount> = before.map(|p| p.recent_counts.clone()).unwrap_or_default();
    let mut remember = |at: DateTime<Utc>, items: u32| {
        if !counts.iter().any(|c| c.at == at) {
            counts.push(ReadCount { at, items });
        }
    };
    if let Some(p) = before
        && let Some(at) = p.last_success
    {
        remember(at, p.items_last_run);
    }
    let Some(last) = last_success else {
        return Vec::new();
    };
    remember(last, items_last_run);
    let from = last - chrono::Duration::days(USUAL_WINDOW_DAYS);
    counts.retain(|c| c.at >= from && c.at <= last);
    counts.sort_by_key(|c| c.at);
    // Thin to one read per COUNT_SPACING_HOURS, keeping the oldest of each run and the newest.
    let spacing = chrono::Duration::hours(COUNT_SPACING_HOURS);
    let newest = counts.pop();
    let mut kept: Vec<ReadCount> = Vec::with_capacity(counts.len() + 1);
    for c in counts {
        if kept.last().is_none_or(|k| c.at - k.at >= spacing) {
            kept.push(c);
        }
    }
    kept.extend(newest);
    let mut counts = kept;
    let extra = counts.len().saturating_sub(MAX_RECENT_COUNTS);
    counts.drain(..extra);
    counts
}

/// The median count of the reads before the last one (the upper middle of an even number).
fn usual_count(counts: &[ReadCount], last_success: Option<DateTime<Utc>>) -> Option<u32> {
    let last = last_success?;
    let mut earlier: Vec<u32> = counts
        .iter()
        .filter(|c| c.at < last)
        .map(|c| c.items)
        .collect();
    earlier.sort_unstable();
    earlier.get(earlier.len() / 2).copied()
}

/// The warnings for one source (see the module notes).
fn warnings_of(s: &SourceStatus, undated: u64, now: DateTime<Utc>) -> Vec<String> {
    let mut w = Vec::new();
    if s.last_success.is_some() && s.items_last_run == 0 {
        w.push("its last read gave 0 items".to_owned());
    } else if let Some(usual) = s.items_usual
        && usual >= DROP_MIN_PREVIOUS
        && s.items_last_run.saturating_mul(2) < usual
    {
        w.push(format!(
            "item count fell from a usual {usual} to {}",
            s.items_last_run
        ));
    }
    let stale = chrono::Duration::days(STALE_DAYS);
    match (s.last_success, s.last_attempt) {
        (Some(ok), _) if now.signed_duration_since(ok) >= stale => w.push(format!(
            "no successful read for {} days",
            now.signed_duration_since(ok).num_days()
        )),
        (None, Some(first))
            if s.consecutive_failures > 0 && now.signed_duration_since(first) >= stale =>
        {
            w.push("never read successfully".to_owned())
        }
        _ => {}
    }
    if s.items_total > 0 && undated == s.items_total {
        w.push("no stored item has a date of its own (all fell back to first seen)".to_owned());
    }
    w
}

/// The status file's bytes: `{"sources": [...]}`, pretty, keys in alphabetical order,
/// ending in a newline. Serialised straight from the records (no intermediate JSON tree).
pub fn render_json(statuses: &[SourceStatus]) -> String {
    #[derive(Serialize)]
    struct File<'a> {
        sources: &'a [SourceStatus],
    }
    let file = File { sources: statuses };
    let mut out = serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".to_owned());
    out.push('\n');
    out
}

fn when(t: Option<DateTime<Utc>>, none: &str) -> String {
    t.map_or_else(
        || none.to_owned(),
        |t| t.format("%Y-%m-%d %H:%M").to_string(),
    )
}

fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= max {
        one_line
    } else {
        let cut: String = one_line.chars().take(max.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

/// A fixed-width table, one line per source (times in UTC), then one line per problem.
pub fn render_table(statuses: &[SourceStatus]) -> String {
    let header = [
        "SOURCE",
        "LAST SUCCESS",
        "LAST ERROR",
        "FAILS",
        "ITEMS",
        "TOTAL",
        "UNDATED",
        "NEXT DUE",
        "WARNING",
    ];
    let mut rows: Vec<[String; 9]> = Vec::new();
    for s in statuses {
        let error = match (&s.last_error, s.last_error_at) {
            (Some(e), Some(at)) if s.consecutive_failures > 0 => {
                format!("{} {}", when(Some(at), ""), shorten(e, 40))
            }
            (_, Some(at)) => format!("{} (recovered)", when(Some(at), "")),
            _ => "-".to_owned(),
        };
        rows.push([
            if s.enabled {
                s.id.clone()
            } else {
                format!("{} (disabled)", s.id)
            },
            when(s.last_success, "never"),
            error,
            s.consecutive_failures.to_string(),
            s.items_last_run.to_string(),
            s.items_total.to_string(),
            s.undated_share
                .map_or_else(|| "-".to_owned(), |u| format!("{:.0}%", u * 100.0)),
            when(s.next_due, "now"),
            s.warning.clone().unwrap_or_else(|| "-".to_owned()),
        ]);
    }
    let mut widths = header.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row.iter()) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut out = String::new();
    let line = |out: &mut String, cells: &[&str]| {
        let mut text = String::new();
        for (i, (cell, w)) in cells.iter().zip(widths.iter()).enumerate() {
            if i + 1 == cells.len() {
                text.push_str(cell);
            } else {
                let _ = write!(text, "{cell:<w$}  ");
            }
        }
        out.push_str(text.trim_end());
        out.push('\n');
    };
    line(&mut out, &header);
    for row in &rows {
        let cells: Vec<&str> = row.iter().map(String::as_str).collect();
        line(&mut out, &cells);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, day, 12, 0, 0).unwrap()
    }

    fn base() -> SourceStatus {
        SourceStatus {
            id: "blog".into(),
            enabled: true,
            location: "https://blog.test/feed".into(),
            last_attempt: Some(at(20)),
            last_success: Some(at(20)),
            items_last_run: 10,
            items_total: 10,
            ..SourceStatus::default()
        }
    }

    #[test]
    fn the_file_keeps_its_layout_sorted_keys_and_all() {
        let mut a = base();
        a.recent_counts = vec![ReadCount {
            at: at(19),
            items: 9,
        }];
        a.warnings = vec!["w".into()];
        a.warning = Some("w".into());
        a.undated_share = Some(0.5);
        let b = SourceStatus {
            id: "other".into(),
            ..SourceStatus::default()
        };
        let statuses = [a, b];
        // What a JSON tree (whose maps sort their keys) prints for the same records.
        let tree = serde_json::json!({ "sources": serde_json::to_value(&statuses).unwrap() });
        let expected = serde_json::to_string_pretty(&tree).unwrap() + "\n";
        assert_eq!(render_json(&statuses), expected);
    }

    #[test]
    fn the_next_run_reads_back_the_counts_a_status_file_keeps() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("status.json");
        let line = SourceStatus {
            id: "blog".into(),
            items_last_run: 7,
            items_previous_run: Some(9),
            recent_counts: vec![ReadCount {
                at: at(19),
                items: 9,
            }],
            last_error: Some("http-500: \"quoted\" {braces}".into()),
            warnings: vec!["w".into()],
            ..base()
        };
        std::fs::write(&path, render_json(std::slice::from_ref(&line))).unwrap();
        let previous = read_previous(&path);
        assert_eq!(
            previous.get("blog"),
            Some(&Previous {
                id: "blog".into(),
                items_last_run: 7,
                items_previous_run: Some(9),
                last_success: line.last_success,
                recent_counts: line.recent_counts.clone(),
            })
        );
        std::fs::write(&path, "{ not json").unwrap();
        assert!(read_previous(&path).is_empty(), "only a memory: no error");
    }

    #[test]
    fn warnings_for_silent_failures() {
        let now = at(21);
        assert!(warnings_of(&base(), 0, now).is_empty());

        let zero = SourceStatus {
            items_last_run: 0,
            ..base()
        };
        assert_eq!(warnings_of(&zero, 0, now), ["its last read gave 0 items"]);

        let drop = SourceStatus {
            items_last_run: 4,
            items_usual: Some(10),
            ..base()
        };
        assert_eq!(
            warnings_of(&drop, 0, now),
            ["item count fell from a usual 10 to 4"]
        );
        let half = SourceStatus {
            items_last_run: 5,
            items_usual: Some(10),
            ..base()
        };
        assert!(
            warnings_of(&half, 0, now).is_empty(),
            "exactly half is fine"
        );
        let small = SourceStatus {
            items_last_run: 1,
            items_usual: Some(3),
            ..base()
        };
        assert!(warnings_of(&small, 0, now).is_empty(), "too few to judge");

        assert_eq!(
            warnings_of(&base(), 0, at(24)),
            ["no successful read for 4 days"]
        );
        assert_eq!(
            warnings_of(&base(), 10, now),
            ["no stored item has a date of its own (all fell back to first seen)"]
        );
    }

    #[test]
    fn table_has_one_line_per_source() {
        let mut failing = base();
        failing.id = "down".into();
        failing.consecutive_failures = 2;
        failing.last_error = Some("HTTP 500\nInternal".into());
        failing.last_error_at = Some(at(21));
        failing.warning = Some("x".into());
        let table = render_table(&[base(), failing]);
        let lines: Vec<&str> = table.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("SOURCE  "));
        assert!(lines[1].starts_with("blog  "));
        assert!(lines[2].contains("2026-11-21 12:00 HTTP 500 Internal"));
        assert!(lines[2].ends_with("  x"));
    }

    #[test]
    fn the_usual_count_is_the_median_of_a_weeks_reads_before_the_last() {
        let hour = |h: i64| at(20) + chrono::Duration::hours(h);
        // Ten reads of 10 items, then the count drops to 4 and stays there.
        let mut before: Option<Previous> = None;
        let mut usual = Vec::new();
        for n in 0..16 {
            let items = if n < 10 { 10 } else { 4 };
            let counts = recent_counts(before.as_ref(), Some(hour(n)), items);
            usual.push(usual_count(&counts, Some(hour(n))));
            before = Some(Previous {
                last_success: Some(hour(n)),
                items_last_run: items,
                recent_counts: counts,
                ..Previous::default()
            });
        }
        assert_eq!(usual[0], None, "nothing before the first read");
        assert_eq!(usual[10], Some(10), "the drop is judged against 10");
        assert_eq!(usual[14], Some(10), "… and still is four reads later");
        // Reads older than the window are forgotten.
        let old = before.unwrap();
        let week_later =
            hour(15) + chrono::Duration::days(USUAL_WINDOW_DAYS) + chrono::Duration::hours(1);
        let counts = recent_counts(Some(&old), Some(week_later), 4);
        assert_eq!(counts.len(), 1);
        assert_eq!(usual_count(&counts, Some(week_later)), None);
        // A file from before counts were kept: its last read still counts.
        let legacy = Previous {
            last_success: Some(hour(0)),
            items_last_run: 8,
            ..Previous::default()
        };
        let counts = recent_counts(Some(&legacy), Some(hour(1)), 3);
        assert_eq!(usual_count(&counts, Some(hour(1))), Some(8));
    }

    #[test]
    fn reads_every_few_minutes_keep_a_few_counts_a_day_and_the_drop_still_shows() {
        // Cron every 5 minutes for a week: 30 items for five days, then 3.
        let minute = |m: i64| at(20) + chrono::Duration::minutes(m);
        let mut before: Option<Previous> = None;
        let mut longest = 0;
        let mut usual_after_a_day_of_drop = None;
        let runs = 7 * 24 * 12;
        for n in 0..runs {
            let items = if n < 5 * 24 * 12 { 30 } else { 3 };
            let counts = recent_counts(before.as_ref(), Some(minute(5 * n)), items);
            longest = longest.max(counts.len());
            if n == 6 * 24 * 12 {
                usual_after_a_day_of_drop = usual_count(&counts, Some(minute(5 * n)));
            }
            before = Some(Previous {
                last_success: Some(minute(5 * n)),
                items_last_run: items,
                recent_counts: counts,
                ..Previous::default()
            });
        }
        let per_window = (USUAL_WINDOW_DAYS * 24 / COUNT_SPACING_HOURS) as usize;
        assert!(longest <= per_window + 2, "{longest} counts kept");
        assert!(
            longest >= per_window - 1,
            "the window is still covered: {longest}"
        );
        assert_eq!(usual_after_a_day_of_drop, Some(30), "a day into the drop");
    }
}
