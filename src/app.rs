//! The only module that sees every stage. A run takes the lock beside the state, picks the
//! sources that are due, fetches and reads them concurrently — at most `concurrency` at once,
//! handed out host by host so that a host in its politeness delay holds no slot (see
//! `dispatch`), each isolated (one failing source never breaks the run) — stores each result in
//! the state as it arrives and records the source's health, and then rebuilds the outputs whose
//! inputs changed from the stored items: merge → filter → render → write (only what changed;
//! see `outputs`), then tells the WebSub hub, if any, which feeds changed. Returns a report
//! from which `main` derives the exit status.

use crate::config::{Config, DEFAULT_SOURCE_MAX_ITEMS, Format, Location, SourceConfig, SourceKind};
use crate::fetch::{self, FetchOutcome, Fetched, Fetcher, Reuse};
use crate::merge::merge_items_shown;
use crate::model::{Item, SourceFeed};
use crate::normalise::{NormaliseContext, normalise_feed};
use crate::publish::{self, OutFeed};
use crate::source::feed::{ReadContext, read_feed};
use crate::state::{Retention, State, Validators};
use chrono::{DateTime, Utc};
use futures_util::{FutureExt, StreamExt};
use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tracing::{debug, error, info, warn};

mod auto;
mod dispatch;
mod outputs;
mod preview;

/// What one `run` did.
#[derive(Debug, Default)]
pub struct RunReport {
    /// Another run held the lock: nothing was done.
    pub lock_held_by: Option<String>,
    pub sources_ok: usize,
    pub sources_not_modified: usize,
    pub sources_failed: usize,
    pub sources_not_due: usize,
    pub items_new: usize,
    pub items_published: usize,
    pub files_written: usize,
    pub files_unchanged: usize,
    /// The files (re)written in out/, relative to it: the WebSub hub is told about the feeds.
    pub written: Vec<String>,
    /// Changed feeds the WebSub hub accepted a ping for.
    pub hub_pings: usize,
}

impl RunReport {
    /// The contract's exit status: 0 all good (or another run holds the lock), 1 some source
    /// failed.
    pub fn exit_code(&self) -> u8 {
        if self.sources_failed > 0 { 1 } else { 0 }
    }
}

/// Which sources a run reads.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// Only these source ids (all due sources when empty); named sources are read even when not
    /// due.
    pub only: Vec<String>,
    /// Read every enabled source whether due or not.
    pub force: bool,
}

/// Why one source produced nothing this run.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error(transparent)]
    Fetch(#[from] fetch::FetchError),
    #[error("{0}")]
    Read(#[from] crate::source::feed::FeedError),
    #[error("{0}")]
    Unsupported(String),
    /// An html source whose pages yielded no item (a changed layout, a wrong selector).
    #[error("{0}")]
    Extract(String),
    /// A bug: reading the source panicked (the run goes on with the other sources).
    #[error("{0}")]
    Internal(String),
}

impl SourceError {
    /// A short tag for the status table and file: `http-503`, `timeout`, `not-a-feed` …
    pub fn kind(&self) -> String {
        match self {
            SourceError::Fetch(e) => e.kind().into_owned(),
            SourceError::Read(crate::source::feed::FeedError::NotAFeed(_)) => "not-a-feed".into(),
            SourceError::Read(_) => "parse".into(),
            SourceError::Unsupported(_) => "unsupported".into(),
            SourceError::Extract(_) => "no-items".into(),
            SourceError::Internal(_) => "internal".into(),
        }
    }

    /// When the source may be tried again, if the server said (Retry-After).
    fn retry_at(&self) -> Option<DateTime<Utc>> {
        match self {
            SourceError::Fetch(e) => e.retry_at(),
            _ => None,
        }
    }
}

/// What fetching and reading one source gave.
enum Outcome {
    Read {
        feed: Box<SourceFeed>,
        validators: Validators,
        /// Post pages read (auto sources, fulltext), for the state's post cache.
        posts: auto::PostUpdates,
        /// A silent failure seen while reading (an html field selector that matched nothing),
        /// kept in the source's health for `status`.
        warning: Option<String>,
    },
    NotModified,
}

/// The lock beside the state file, held for the whole run (released by the OS even on kill -9).
pub struct RunLock {
    _file: std::fs::File,
}

/// Take the run lock, or say who holds it.
pub fn acquire_lock(state_path: &Path) -> anyhow::Result<Result<RunLock, String>> {
    let path = lock_path(state_path);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(|e| anyhow::anyhow!("cannot open lock file {}: {e}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            file.rewind()?;
            write!(file, "{}", std::process::id())?;
            file.flush()?;
            Ok(Ok(RunLock { _file: file }))
        }
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.read_to_string(&mut holder);
            let holder = holder.trim();
            Ok(Err(if holder.is_empty() {
                "an unknown process".to_string()
            } else {
                format!("pid {holder}")
            }))
        }
        Err(std::fs::TryLockError::Error(e)) => {
            Err(anyhow::anyhow!("cannot lock {}: {e}", path.display()))
        }
    }
}

/// `<state>.lock`, beside the state file.
pub fn lock_path(state_path: &Path) -> PathBuf {
    let mut name = state_path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    state_path.with_file_name(name)
}

/// When a source that was just read successfully is due again: the next match of its cron
/// `schedule`, else after its `interval` (see [`crate::schedule`]).
pub fn next_due_for(source: &SourceConfig, now: DateTime<Utc>) -> DateTime<Utc> {
    crate::schedule::next_due_for(source, now)
}

/// The key under which a source's validators are stored: the URL as configured, or the path.
fn location_key(source: &SourceConfig) -> String {
    source.location_label()
}

/// How long a source waits before the next attempt after `failures` consecutive failures:
/// its interval, doubled per further failure, capped at a day (never below the interval).
pub fn backoff(interval: Duration, failures: u32) -> Duration {
    let day = Duration::from_secs(86_400);
    let factor = 1u32
        .checked_shl(failures.saturating_sub(1).min(16))
        .unwrap_or(u32::MAX);
    interval
        .checked_mul(factor)
        .unwrap_or(day)
        .min(day.max(interval))
}

fn after(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(now)
}

/// The history kept for a source: its own `max_items`, else the larger of the default and the
/// biggest `max_items` of a feed that uses it; its own `max_age`.
pub fn retention_of(config: &Config, source: &SourceConfig) -> Retention {
    let from_feeds = config
        .feeds
        .iter()
        .filter(|f| config.sources_of(f).iter().any(|s| s.id == source.id))
        .map(|f| f.max_items)
        .max()
        .unwrap_or(0);
    Retention {
        max_items: source
            .max_items
            .unwrap_or(DEFAULT_SOURCE_MAX_ITEMS.max(from_feeds)),
        max_age: source.max_age,
    }
}

/// [`retention_of`] for every source at once, in O(feeds × sources) rather than that per source
/// (which made a run quadratic in the number of sources).
pub fn retentions(config: &Config) -> HashMap<&str, Retention> {
    let mut from_feeds: HashMap<&str, usize> = HashMap::new();
    for feed in &config.feeds {
        for s in config.sources_of(feed) {
            let m = from_feeds.entry(s.id.as_str()).or_insert(0);
            *m = (*m).max(feed.max_items);
        }
    }
    config
        .sources
        .iter()
        .map(|source| {
            let from = from_feeds.get(source.id.as_str()).copied().unwrap_or(0);
            let retention = Retention {
                max_items: source
                    .max_items
                    .unwrap_or(DEFAULT_SOURCE_MAX_ITEMS.max(from)),
                max_age: source.max_age,
            };
            (source.id.as_str(), retention)
        })
        .collect()
}

/// `-vv`: one debug line per phase of a run with its duration (`phase reading: 95.2 ms`), so
/// a slow run shows where its time goes. Costs a clock read per phase.
pub struct PhaseClock {
    at: std::time::Instant,
}

impl PhaseClock {
    pub fn start() -> PhaseClock {
        PhaseClock {
            at: std::time::Instant::now(),
        }
    }

    /// Log the time since the last lap (or the start) as phase `name`, and start the next.
    pub fn lap(&mut self, name: &str) {
        let now = std::time::Instant::now();
        debug!(
            "phase {name}: {:.1} ms",
            now.duration_since(self.at).as_secs_f64() * 1e3
        );
        self.at = now;
    }
}

/// One pass: read the due sources, store what they yield, publish every feed from the state.
pub async fn run(
    config: &Config,
    now: DateTime<Utc>,
    options: &RunOptions,
) -> anyhow::Result<RunReport> {
    let settings = &config.settings;
    let mut clock = PhaseClock::start();
    let mut report = RunReport::default();
    let _lock = match acquire_lock(&settings.state)? {
        Ok(lock) => lock,
        Err(holder) => {
            report.lock_held_by = Some(holder);
            return Ok(report);
        }
    };
    let mut state = State::open(&settings.state)?;
    std::fs::create_dir_all(&settings.out_dir).map_err(|e| {
        anyhow::anyhow!("cannot create out_dir {}: {e}", settings.out_dir.display())
    })?;
    let swept = publish::write::sweep_temp_files(&settings.out_dir)?;
    if swept > 0 {
        info!("removed {swept} temp file(s) left by an interrupted run");
    }

    // Which sources to read. Health and validators are read once for all sources here (one
    // query each, not one per source).
    let mut healths = state.all_health()?;
    let mut validators = state.all_validators()?;
    let mut due: Vec<&SourceConfig> = Vec::new();
    for source in config.sources.iter().filter(|s| s.enabled) {
        let named = options.only.iter().any(|id| id == &source.id);
        if !options.only.is_empty() && !named {
            continue;
        }
        let next_due = healths.get(&source.id).and_then(|h| h.next_due);
        let is_due = options.force || named || next_due.is_none_or(|d| d <= now);
        if is_due {
            due.push(source);
        } else {
            report.sources_not_due += 1;
            debug!(source = %source.id, "not due until {:?}", next_due);
        }
    }
    let retention = retentions(config);
    let retention_for = |s: &SourceConfig| {
        retention
            .get(s.id.as_str())
            .copied()
            .unwrap_or_else(|| retention_of(config, s))
    };

    // Read the due sources: at most `concurrency` at once, host by host (a host in its delay
    // holds no slot; see `dispatch`), each result stored as soon as it arrives, so memory is
    // bounded by the slots, not by the number of sources.
    let robots = dispatch::StateRobots::new(&settings.state, &state)?;
    // A run that will ask some host for its robots.txt opens the store's own connection now,
    // before any write, as every run used to; one where every host's copy is fresh in memory
    // (a warm run) never opens it.
    if due.iter().any(|s| match &s.location {
        Location::Url(url) => !robots.fresh_in_memory(url, now),
        Location::Path(_) => false,
    }) {
        robots.connect();
    }
    let fetcher =
        std::sync::Arc::new(Fetcher::new(settings)?.with_robots_store(std::sync::Arc::new(robots)));
    clock.lap("start");
    let progress = crate::progress::Progress::start(due.len(), "reading sources");
    let mut lanes = dispatch::Lanes::new(due.iter().map(|s| {
        (
            dispatch::lane_key(s),
            s.host_delay.unwrap_or(settings.host_delay),
            *s,
        )
    }));
    let slots = settings.concurrency.max(1);
    // Every health record this run wrote (the status file is built from them and those of
    // the sources not read); those from `flushed` on are not written yet.
    let mut read_health: Vec<crate::state::Health> = Vec::with_capacity(due.len());
    let mut flushed = 0;
    let mut running = futures_util::stream::FuturesUnordered::new();
    // Sources whose reads finished, stored only once their slots are given out again: storing
    // (SQLite, on this thread) then overlaps the next requests instead of holding their slots.
    type Joined = Result<Result<Outcome, SourceError>, tokio::task::JoinError>;
    let mut finished: Vec<(&SourceConfig, Joined)> = Vec::new();
    loop {
        let mut wake = None;
        while running.len() < slots {
            match lanes.next(tokio::time::Instant::now()) {
                dispatch::Next::Start(lane, source) => {
                    // No other source of this host follows in this run: its connection
                    // need not outlive this read (see `Reuse`).
                    let last_on_host = lanes.is_empty(lane);
                    let stored = validators.remove(&location_key(source)).unwrap_or_default();
                    let posts = if auto::uses_post_cache(source) {
                        state.cached_posts(&source.id)?
                    } else {
                        HashMap::new()
                    };
                    let fetcher = fetcher.clone();
                    let owned = source.clone();
                    let task = tokio::spawn(async move {
                        read_source(&fetcher, &owned, &stored, &posts, last_on_host, now).await
                    });
                    running.push(async move { (lane, source, task.await) });
                }
                dispatch::Next::WaitUntil(t) => {
                    wake = Some(t);
                    break;
                }
                dispatch::Next::Busy | dispatch::Next::Done => break,
            }
        }
        for (source, joined) in finished.drain(..) {
            let result = joined.unwrap_or_else(|e| {
                Err(SourceError::Internal(format!(
                    "reading it stopped unexpectedly: {e}"
                )))
            });
            let health = healths
                .remove(&source.id)
                .unwrap_or_else(|| crate::state::Health {
                    source_id: source.id.clone(),
                    ..Default::default()
                });
            let health = apply_result(
                &mut state,
                health,
                source,
                result,
                retention_for(source),
                now,
                &mut report,
            )?;
            // Health records are written in batches (one transaction per HEALTH_BATCH
            // sources): a run killed before a flush only loses when those sources were last
            // tried, so they are tried again next run.
            read_health.push(health);
            if read_health.len() - flushed >= HEALTH_BATCH {
                state.set_healths(&read_health[flushed..])?;
                flushed = read_health.len();
            }
        }
        if running.is_empty() && wake.is_none() {
            break;
        }
        let first = tokio::select! {
            Some(done) = running.next() => Some(done),
            () = tokio::time::sleep_until(wake.unwrap_or_else(tokio::time::Instant::now)), if wake.is_some() => None,
        };
        // Take every read that is already done, not only the first, so that one wake-up of
        // this thread refills all the slots they held.
        let mut done = first;
        while let Some((lane, source, joined)) = done {
            lanes.done(lane, tokio::time::Instant::now());
            progress.inc(&source.id);
            finished.push((source, joined));
            done = running.next().now_or_never().flatten();
        }
    }
    state.set_healths(&read_health[flushed..])?;
    drop(progress);
    // Every source is read: let the idle keep-alive connections close now, on the runtime's
    // workers while this thread publishes, rather than one after another at the end. The
    // fetcher itself (its connection pool) is dropped on a worker too.
    drop(tokio::spawn(async move { drop(fetcher) }));
    clock.lap("reading");

    // The status file is written on a thread of its own while the outputs are published: it
    // needs only the health records (all in hand: those just written and those of the
    // sources not read) and the item counts, read here before publishing starts.
    let counts = state.all_item_counts()?;
    healths.extend(read_health.into_iter().map(|h| (h.source_id.clone(), h)));
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let status = std::thread::Builder::new()
            .name("status".into())
            .spawn_scoped(scope, || write_status_file(config, healths, &counts, now))?;
        let published = outputs::publish_all(config, &state, now, &mut report);
        clock.lap("publishing");
        let status = status.join().unwrap_or_else(|_| {
            Err(anyhow::anyhow!(
                "writing the status file stopped unexpectedly"
            ))
        });
        published.and(status)
    })?;
    notify_hub(config, &mut report).await;
    clock.lap("status");
    info!(
        "{} source(s) read, {} not modified, {} failed, {} not due; {} new item(s); {} item(s) published; {} file(s) written, {} unchanged",
        report.sources_ok,
        report.sources_not_modified,
        report.sources_failed,
        report.sources_not_due,
        report.items_new,
        report.items_published,
        report.files_written,
        report.files_unchanged
    );
    // Closed here, before the run lock is released: the state (no checkpoint, see
    // `State::open`); the fetcher and its idle connections went right after reading.
    drop(state);
    drop(running);
    drop(lanes);
    clock.lap("closing");
    Ok(report)
}

/// How many sources' health records a run writes in one transaction.
const HEALTH_BATCH: usize = 64;

/// Store what reading one source gave: its items, validators, post cache and health; returns
/// the source's health record, which the run loop writes in batches.
fn apply_result(
    state: &mut State,
    mut health: crate::state::Health,
    source: &SourceConfig,
    result: Result<Outcome, SourceError>,
    retention: Retention,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> anyhow::Result<crate::state::Health> {
    health.last_attempt = Some(now);
    let location = source.location_label();
    match result {
        Ok(outcome) => {
            if health.consecutive_failures > 0 {
                warn!(
                    source = %source.id,
                    "source `{}` ({location}) recovered after {} failed attempt(s)",
                    source.id, health.consecutive_failures
                );
            }
            match outcome {
                Outcome::NotModified => {
                    report.sources_not_modified += 1;
                    debug!(source = %source.id, "not modified: {location}");
                }
                Outcome::Read {
                    feed,
                    validators,
                    posts,
                    warning,
                } => {
                    report.sources_ok += 1;
                    record_read_warning(&mut health, source, warning);
                    for w in &feed.warnings {
                        // Recovered problems: worth seeing with -v, not worth a cron mail.
                        info!(source = %source.id, "{location}: {w}");
                    }
                    let stored = state.store_items(&source.id, &feed.items, now)?;
                    report.items_new += stored.new;
                    health.items_last_run = u32::try_from(feed.items.len()).unwrap_or(u32::MAX);
                    debug!(
                        source = %source.id,
                        "read {location}: {} item(s), {} new, {} changed",
                        feed.items.len(), stored.new, stored.changed
                    );
                    state.set_validators(&location_key(source), &validators, now)?;
                    if !posts.fresh.is_empty() || !posts.seen.is_empty() {
                        state.store_posts(&source.id, &posts.fresh, &posts.seen, now)?;
                    }
                    let retired = state.prune(&source.id, retention, now)?;
                    if retired > 0 {
                        debug!(source = %source.id, "retired {retired} old item(s)");
                    }
                }
            }
            health.last_success = Some(now);
            health.consecutive_failures = 0;
            health.next_due = Some(next_due_for(source, now));
        }
        Err(e) => {
            report.sources_failed += 1;
            health.consecutive_failures = health.consecutive_failures.saturating_add(1);
            // The kind first, so a narrow status column still says what happened.
            health.last_error = Some(format!("{}: {e}", e.kind()));
            health.last_error_at = Some(now);
            health.next_due = Some(e.retry_at().unwrap_or_else(|| {
                after(now, backoff(source.interval, health.consecutive_failures))
            }));
            let first = health.consecutive_failures == 1;
            let daily = health
                .last_reported
                .is_none_or(|t| now.signed_duration_since(t) >= chrono::Duration::hours(24));
            if first || daily {
                let kept = if state.has_items(&source.id)? {
                    "; its stored items stay published"
                } else {
                    ""
                };
                error!(
                    source = %source.id,
                    "source `{}` ({location}) failed: {e}{kept}{}",
                    source.id,
                    if first {
                        String::new()
                    } else {
                        format!(
                            " ({} failures in a row; reported at most once a day)",
                            health.consecutive_failures
                        )
                    }
                );
                health.last_reported = Some(now);
            } else {
                info!(source = %source.id, "source `{}` ({location}) still failing: {e}", source.id);
            }
        }
    }
    Ok(health)
}

/// After a run that rewrote feed files: ping `settings.websub_hub` about each (see
/// [`crate::websub`]). A failure is a warning in the log; it never changes the exit status.
async fn notify_hub(config: &Config, report: &mut RunReport) {
    let settings = &config.settings;
    let (Some(hub), Some(base)) = (&settings.websub_hub, &settings.base_url) else {
        return;
    };
    let topics = crate::websub::topics(base, &report.written);
    if topics.is_empty() {
        return;
    }
    let pinged = crate::websub::ping(settings, hub, &topics).await;
    for w in &pinged.warnings {
        warn!("{w}");
    }
    debug!(
        "WebSub hub {hub} accepted {} of {} ping(s)",
        pinged.accepted,
        topics.len()
    );
    report.hub_pings = pinged.accepted;
}

/// Items per per-source feed when the source sets no `max_items`.
const DEFAULT_FEED_MAX_ITEMS: usize = 100;

pub(crate) fn render_format(out: &OutFeed, format: Format) -> String {
    match format {
        Format::Rss => publish::rss::render(out),
        Format::Atom => publish::atom::render(out),
        Format::Json => publish::json::render(out),
    }
}

/// A source's site title and home page, as its stored items' origin gives them.
fn site_info(source: &SourceConfig, items: &[Item]) -> publish::opml::SiteInfo {
    let origin = items
        .iter()
        .filter_map(|i| i.origin.as_ref())
        .find(|o| o.source_id == source.id);
    publish::opml::SiteInfo {
        title: origin.and_then(|o| o.title.clone()),
        link: origin.and_then(|o| o.link.clone()),
    }
}

/// `export-opml`: every enabled source as OPML (site titles and home pages from the state,
/// when there is one).
pub fn export_opml(config: &Config, now: DateTime<Utc>) -> anyhow::Result<String> {
    let state = if config.settings.state.exists() {
        Some(State::open(&config.settings.state)?)
    } else {
        None
    };
    let mut outlines = Vec::new();
    for source in config.sources.iter().filter(|s| s.enabled) {
        let site = match &state {
            Some(st) => site_info(
                source,
                &st.items_of(&source.id, retention_of(config, source), now)?,
            ),
            None => publish::opml::SiteInfo::default(),
        };
        outlines.push(publish::opml::outline_for(&config.settings, source, &site));
    }
    Ok(publish::opml::render("All sources", &outlines))
}

/// The status file beside the state: every source's health, item counts and warnings, as
/// JSON (never inside out/); see [`crate::status`].
fn write_status_file(
    config: &Config,
    healths: HashMap<String, crate::state::Health>,
    counts: &HashMap<String, (u64, u64)>,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let path = &config.settings.status_file;
    let previous = crate::status::read_previous(path);
    let statuses = crate::status::collect_from(config, healths, counts, &previous, now);
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "status.json".into());
    // Rebuilt by every run (and only a memory of recent counts for the next one): not worth
    // two fsyncs per run.
    publish::write::write_if_changed_with(
        dir,
        &name,
        crate::status::render_json(&statuses).as_bytes(),
        publish::write::Durability::Unsynced,
    )?;
    Ok(())
}

/// Read one source: `last_on_host` when no other source of its host follows in this run.
async fn read_source(
    fetcher: &Fetcher,
    source: &SourceConfig,
    stored: &Validators,
    posts: &HashMap<String, crate::state::CachedPost>,
    last_on_host: bool,
    now: DateTime<Utc>,
) -> Result<Outcome, SourceError> {
    if let Some(selectors) = html_selectors(source) {
        return Ok(
            match read_html_source(fetcher, source, selectors, stored, last_on_host, now).await? {
                None => Outcome::NotModified,
                Some((read, validators)) => Outcome::Read {
                    warning: selector_warning(&read.unmatched, read.feed.items.len()),
                    feed: Box::new(read.feed),
                    validators,
                    posts: auto::PostUpdates::default(),
                },
            },
        );
    }
    if source.kind == SourceKind::Auto {
        return auto::read_auto(fetcher, source, stored, posts, last_on_host, now).await;
    }
    // Only `fulltext` asks the host (or another) for more after the feed.
    let more_may_follow = source.fulltext == Some(true);
    let reuse = Reuse::for_request(last_on_host, stored.is_conditional(), more_may_follow);
    match fetcher.fetch(source, stored, false, reuse, now).await? {
        FetchOutcome::NotModified => Ok(Outcome::NotModified),
        FetchOutcome::Fetched {
            document,
            validators,
        } => {
            let mut feed = read_document(&source.id, source.title.as_deref(), &document, now)?;
            let posts = if source.fulltext == Some(true) {
                auto::fulltext_for_feed(fetcher, source, &mut feed, posts, now).await
            } else {
                auto::PostUpdates::default()
            };
            Ok(Outcome::Read {
                feed: Box::new(feed),
                validators,
                posts,
                warning: None,
            })
        }
    }
}

/// The health warning for field selectors that matched nothing in a whole read of `items`
/// items (`None` when every selector matched somewhere).
pub fn selector_warning(unmatched: &[String], items: usize) -> Option<String> {
    (!unmatched.is_empty()).then(|| {
        unmatched
            .iter()
            .map(|u| format!("{u} matched nothing in the {items} item(s) of its last read"))
            .collect::<Vec<_>>()
            .join("; ")
    })
}

/// Keep a successful read's warning in the source's health (a read without one clears it);
/// say so on stderr when it appears or changes, so cron mails it once, not every run.
fn record_read_warning(
    health: &mut crate::state::Health,
    source: &SourceConfig,
    warning: Option<String>,
) {
    if let Some(w) = &warning {
        if health.last_warning.as_ref() != Some(w) {
            warn!(source = %source.id, "source `{}` ({}): {w}", source.id, source.location_label());
        } else {
            debug!(source = %source.id, "still: {w}");
        }
    }
    health.last_warning = warning;
}

/// Read a fetched feed document and normalise its items (no IO).
pub fn read_document(
    source_id: &str,
    title_override: Option<&str>,
    fetched: &Fetched,
    now: DateTime<Utc>,
) -> Result<SourceFeed, crate::source::feed::FeedError> {
    let raw = read_feed(
        &fetched.bytes,
        &ReadContext {
            source_id,
            feed_url: Some(&fetched.url),
            http_charset: fetched.charset.as_deref(),
        },
    )?;
    Ok(normalise_feed(
        raw,
        &NormaliseContext {
            source_id,
            title_override,
            feed_url: Some(&fetched.url),
            now,
        },
    ))
}

/// The feed-level facts of one output, as configured.
#[derive(Debug, Clone, Copy)]
pub struct FeedMeta<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub link: &'a str,
    pub base_url: Option<&'a str>,
    pub max_items: usize,
}

/// Merge the items of several sources (one group per source) into a ready-to-render feed.
pub fn assemble_feed(meta: FeedMeta<'_>, groups: Vec<Vec<Item>>) -> OutFeed {
    assemble_feed_shown(meta, groups, &std::collections::HashSet::new())
}

/// [`assemble_feed`] for an output that has already shown the ids in `shown`: a same-story
/// copy readers have seen keeps surviving (see [`crate::merge::merge_items_shown`]).
pub fn assemble_feed_shown(
    meta: FeedMeta<'_>,
    groups: Vec<Vec<Item>>,
    shown: &std::collections::HashSet<String>,
) -> OutFeed {
    let merged = groups.iter().filter(|g| !g.is_empty()).count() > 1;
    let items = merge_items_shown(groups, meta.max_items, shown);
    OutFeed {
        id: meta.id.to_string(),
        title: meta.title.to_string(),
        description: meta.description.map(str::to_string),
        link: meta.link.to_string(),
        base_url: meta.base_url.map(str::to_string),
        hub: None,
        language: common_language(&items),
        authors: Vec::new(),
        updated: newest_date(&items),
        merged,
        items,
    }
}

/// The newest date of any item (published or updated): the feed-level date, so that an
/// unchanged input gives unchanged bytes.
pub fn newest_date(items: &[Item]) -> Option<DateTime<Utc>> {
    items
        .iter()
        .flat_map(|i| [i.published, i.updated])
        .flatten()
        .map(|s| s.utc)
        .max()
}

/// The items' language when they all agree on one.
fn common_language(items: &[Item]) -> Option<String> {
    let first = items.first()?.language.clone()?;
    items
        .iter()
        .all(|i| i.language.as_deref() == Some(first.as_str()))
        .then_some(first)
}

/// `check`: a one-line description of a valid config.
pub fn describe(config: &Config) -> String {
    let enabled = config.sources.iter().filter(|s| s.enabled).count();
    format!(
        "{}: ok ({} source(s), {} enabled; {} feed(s))",
        config.path.display(),
        config.sources.len(),
        enabled,
        config.feeds.len()
    )
}

/// Run the command the user asked for; returns the exit status. Config errors are printed
/// here and give 2; other errors bubble up to `main` (also 2).
pub fn entry(cli: &crate::cli::Cli) -> anyhow::Result<u8> {
    let now = match &cli.now {
        Some(text) => DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| anyhow::anyhow!("--now {text:?} is not an RFC 3339 time: {e}"))?,
        None => Utc::now(),
    };
    if let crate::cli::Command::ImportOpml { file } = &cli.command {
        // Works on the file as text (and creates it when missing), so it runs before loading.
        return crate::opml_import::run_import(&cli.config, file, cli.quiet);
    }
    if let crate::cli::Command::Extract { input, url, json } = &cli.command {
        return preview::extract_command(cli, input, url.as_deref(), *json, now);
    }
    if let crate::cli::Command::Discover { url } = &cli.command {
        // Discover needs no feeds.toml; it uses its settings (user agent …) when there is one.
        let settings = match crate::config::load(&cli.config) {
            Ok(c) => c.settings,
            Err(e) => {
                if cli.config.exists() {
                    eprintln!("feedwright: config error (default settings used): {e}");
                }
                crate::config::parse("", &cli.config)
                    .map_err(|e| anyhow::anyhow!("{e}"))?
                    .settings
            }
        };
        return auto::discover(&settings, url, now);
    }
    let mut clock = PhaseClock::start();
    let config = match crate::config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("feedwright: config error: {e}");
            return Ok(2);
        }
    };
    clock.lap("config");
    match &cli.command {
        crate::cli::Command::Check => {
            if cli.quiet == 0 {
                println!("{}", describe(&config));
            }
            Ok(0)
        }
        crate::cli::Command::Run { sources, force } => {
            for id in sources {
                if !config.sources.iter().any(|s| &s.id == id) {
                    eprintln!("feedwright: no source `{id}` in {}", config.path.display());
                    return Ok(2);
                }
            }
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let options = RunOptions {
                only: sources.clone(),
                force: *force,
            };
            let report = runtime.block_on(run(&config, now, &options))?;
            let mut clock = PhaseClock::start();
            // The process ends after this: `run` has closed the state and released the lock,
            // so the workers are not waited for (they only hold idle keep-alive connections,
            // which the OS closes), and the config is not taken apart piece by piece.
            runtime.shutdown_background();
            if let Some(holder) = &report.lock_held_by {
                eprintln!(
                    "feedwright: another run ({holder}) holds {}; exiting",
                    lock_path(&config.settings.state).display()
                );
            }
            std::mem::forget(config);
            clock.lap("shutdown");
            Ok(report.exit_code())
        }
        crate::cli::Command::Preview { source, json } => {
            preview::preview(&config, source, *json, now)
        }
        crate::cli::Command::Serve { addr } => crate::serve::serve_command(&config, *addr),
        crate::cli::Command::Daemon { serve } => {
            let offset = now.signed_duration_since(Utc::now());
            crate::daemon::daemon_command(config, cli.now.is_some().then_some(offset), *serve)
        }
        crate::cli::Command::Status { json } => {
            let path = &config.settings.state;
            if !path.exists() {
                eprintln!(
                    "feedwright: no state at {} yet: run `feedwright run` first",
                    path.display()
                );
                return Ok(0);
            }
            let state = State::open(path)?;
            let previous = crate::status::read_previous(&config.settings.status_file);
            let statuses = crate::status::collect(&config, &state, &previous, now)?;
            if *json {
                print!("{}", crate::status::render_json(&statuses));
            } else {
                print!("{}", crate::status::render_table(&statuses));
            }
            Ok(u8::from(statuses.iter().any(|s| s.needs_attention())))
        }
        crate::cli::Command::ExportOpml => {
            print!("{}", export_opml(&config, now)?);
            Ok(0)
        }
        crate::cli::Command::ImportOpml { .. } => Ok(2),
        crate::cli::Command::Extract { .. } => Ok(2),
        // Handled above, before the config is loaded.
        crate::cli::Command::Discover { .. } => Ok(2),
        crate::cli::Command::Forget { source } => {
            let Some(cfg) = config.sources.iter().find(|s| &s.id == source) else {
                eprintln!(
                    "feedwright: no source `{source}` in {}",
                    config.path.display()
                );
                return Ok(2);
            };
            let _lock = match acquire_lock(&config.settings.state)? {
                Ok(lock) => lock,
                Err(holder) => {
                    eprintln!("feedwright: another run ({holder}) holds the lock; try again later");
                    return Ok(2);
                }
            };
            let mut state = State::open(&config.settings.state)?;
            let n = state.forget(source, &[location_key(cfg)])?;
            if cli.quiet == 0 {
                println!(
                    "forgot {n} stored item(s) of `{source}`; it is read afresh on the next run"
                );
            }
            Ok(0)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// html sources (CSS selectors); `preview` and `extract` are in `preview`

/// The selectors an html source is read with: `kind = "html"`, or `kind = "auto"` with a
/// `[source.selectors]` table.
fn html_selectors(source: &SourceConfig) -> Option<&crate::config::Selectors> {
    match source.kind {
        SourceKind::Html | SourceKind::Auto => source.css_selectors.as_deref(),
        SourceKind::Feed => None,
    }
}

/// Fetch one page of a source: its own location, or `url` (a further list page). The only
/// place html reading touches `fetch`.
async fn fetch_page(
    fetcher: &Fetcher,
    source: &SourceConfig,
    url: Option<&url::Url>,
    stored: &Validators,
    reuse: Reuse,
    now: DateTime<Utc>,
) -> Result<Option<(Fetched, Validators)>, fetch::FetchError> {
    let outcome = match url {
        None => fetcher.fetch(source, stored, true, reuse, now).await?,
        Some(url) => {
            let mut page = source.clone();
            page.location = match url.to_file_path() {
                Ok(path) if url.scheme() == "file" => Location::Path(path),
                _ => Location::Url(url.clone()),
            };
            fetcher
                .fetch(&page, &Validators::default(), true, reuse, now)
                .await?
        }
    };
    Ok(match outcome {
        FetchOutcome::NotModified => None,
        FetchOutcome::Fetched {
            document,
            validators,
        } => Some((document, validators)),
    })
}

/// What reading an html source gave.
pub struct HtmlRead {
    /// Normalised, ready for the state.
    pub feed: SourceFeed,
    /// The list pages read, in order.
    pub pages: Vec<String>,
    /// Problems found while extracting (also in `feed.warnings`).
    pub diagnostics: Vec<String>,
    /// Field selectors that matched inside no item on any page read (`date selector `…``).
    pub unmatched: Vec<String>,
}

/// The date context of a source: its timezone (an IANA name, or a whole-hour offset), language,
/// day-first switch and `date_format`, with the run's clock.
fn date_context(
    source: &SourceConfig,
    now: DateTime<Utc>,
) -> (crate::normalise::date::DateContext<'_>, Option<String>) {
    let mut problem = None;
    let timezone = source.timezone.as_deref().and_then(|name| {
        let tz = name.parse::<chrono_tz::Tz>().ok().or_else(|| offset_zone(name));
        if tz.is_none() {
            problem = Some(format!(
                "timezone `{name}` is not a known IANA zone (or a whole-hour offset); dates without an offset are read as UTC"
            ));
        }
        tz
    });
    (
        crate::normalise::date::DateContext {
            now,
            timezone,
            language: source.language.as_deref(),
            day_first: source.day_first,
            format: source.date_format.as_deref(),
        },
        problem,
    )
}

/// `+02:00` → `Etc/GMT-2` (whole hours only; the Etc zones have inverted signs).
fn offset_zone(text: &str) -> Option<chrono_tz::Tz> {
    let (sign, rest) = match text.strip_prefix('+') {
        Some(r) => ("-", r),
        None => ("+", text.strip_prefix('-')?),
    };
    let digits: String = rest.chars().filter(char::is_ascii_digit).collect();
    let hours: u32 = digits.get(..2)?.parse().ok()?;
    if digits.get(2..)? != "00" {
        return None;
    }
    if hours == 0 {
        return Some(chrono_tz::UTC);
    }
    format!("Etc/GMT{sign}{hours}").parse().ok()
}

/// Read an html source: fetch its list page, follow `next_page` up to `max_pages` (never a
/// page seen before, never outside the source's folder for local files), extract every page's
/// items and normalise them. No item at all is an error (the stored items stay published).
/// The first page's validators decide for the whole source: `Ok(None)` when it is not modified.
/// `last_on_host`: no other source of this host follows in this run (see [`Reuse`]).
pub async fn read_html_source(
    fetcher: &Fetcher,
    source: &SourceConfig,
    selectors: &crate::config::Selectors,
    stored: &Validators,
    last_on_host: bool,
    now: DateTime<Utc>,
) -> Result<Option<(HtmlRead, Validators)>, SourceError> {
    use crate::source::html::{MAX_PAGES, extract_items};
    let (dates, tz_problem) = date_context(source, now);
    let mut diagnostics: Vec<String> = tz_problem.into_iter().collect();
    let max_pages = source.max_pages.unwrap_or(1).clamp(1, MAX_PAGES);
    let mut seen: Vec<url::Url> = Vec::new();
    let mut next: Option<url::Url> = None;
    let mut raw = SourceFeed::default();
    let mut first_url: Option<url::Url> = None;
    let mut first_validators = Validators::default();
    // Field selectors silent on every page that had items.
    let mut unmatched: Option<Vec<String>> = None;
    for number in 1..=max_pages {
        // The first page is conditional when validators are stored; a further page is never.
        let conditional = number == 1 && stored.is_conditional();
        let reuse = Reuse::for_request(last_on_host, conditional, number < max_pages);
        let fetched = match fetch_page(fetcher, source, next.as_ref(), stored, reuse, now).await {
            Ok(Some((f, v))) => {
                if number == 1 {
                    first_validators = v;
                }
                f
            }
            Ok(None) if number == 1 => return Ok(None),
            Ok(None) => break,
            Err(e) if number == 1 => return Err(e.into()),
            Err(e) => {
                diagnostics.push(format!("page {number}: {e}; stopped there"));
                break;
            }
        };
        let text = crate::source::repair::decode(&fetched.bytes, fetched.charset.as_deref()).text;
        let page = extract_items(&text, &fetched.url, selectors, &dates);
        let label = if max_pages > 1 {
            format!("page {number} ({}): ", fetched.url)
        } else {
            String::new()
        };
        diagnostics.extend(page.diagnostics.iter().map(|d| format!("{label}{d}")));
        if page.matched > 0 {
            unmatched = Some(match unmatched.take() {
                None => page.unmatched.clone(),
                Some(before) => before
                    .into_iter()
                    .filter(|u| page.unmatched.contains(u))
                    .collect(),
            });
        }
        if raw.title.is_none() {
            raw.title = page.title.clone();
        }
        raw.items.extend(page.items);
        seen.push(fetched.url.clone());
        if let Some(u) = &next {
            seen.push(u.clone());
        }
        first_url.get_or_insert(fetched.url);
        next = page.next_page.filter(|u| !seen.contains(u));
        match (&next, &source.location) {
            (None, _) => break,
            (Some(u), Location::Path(p)) if u.scheme() == "file" => {
                let inside = u
                    .to_file_path()
                    .ok()
                    .is_some_and(|f| f.parent() == p.parent());
                if !inside {
                    diagnostics.push(format!(
                        "next page {u} is outside the source's folder; not followed"
                    ));
                    break;
                }
            }
            _ => {}
        }
    }
    let pages: Vec<String> = {
        let mut p: Vec<String> = Vec::new();
        for u in &seen {
            if !p.contains(&u.to_string()) {
                p.push(u.to_string());
            }
        }
        p
    };
    if raw.items.is_empty() {
        let why = diagnostics
            .first()
            .cloned()
            .unwrap_or_else(|| "no items".to_owned());
        return Err(SourceError::Extract(format!(
            "no item extracted from {}: {why}",
            pages.join(", ")
        )));
    }
    raw.link = first_url
        .as_ref()
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.to_string());
    raw.warnings = diagnostics.clone();
    let feed = normalise_feed(
        raw,
        &NormaliseContext {
            source_id: &source.id,
            title_override: source.title.as_deref(),
            feed_url: first_url.as_ref(),
            now,
        },
    );
    Ok(Some((
        HtmlRead {
            feed,
            pages,
            diagnostics,
            unmatched: unmatched.unwrap_or_default(),
        },
        first_validators,
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_interval_and_caps_at_a_day() {
        let h = Duration::from_secs(3600);
        assert_eq!(backoff(h, 1), h);
        assert_eq!(backoff(h, 2), 2 * h);
        assert_eq!(backoff(h, 4), 8 * h);
        assert_eq!(backoff(h, 10), Duration::from_secs(86_400));
        assert_eq!(backoff(h, u32::MAX), Duration::from_secs(86_400));
        let week = Duration::from_secs(7 * 86_400);
        assert_eq!(backoff(week, 3), week, "never below the interval");
    }

    #[test]
    fn retentions_agree_with_retention_of() {
        let text = r#"
[settings]
base_url = "https://planet.example/"
[[source]]
id = "a"
url = "https://a.example/feed"
tags = ["x"]
[[source]]
id = "b"
url = "https://b.example/feed"
tags = ["x", "y"]
max_items = 7
[[source]]
id = "c"
url = "https://c.example/feed"
[[feed]]
id = "big"
title = "Big"
tags = ["y"]
max_items = 900
[[feed]]
id = "small"
title = "Small"
tags = ["x"]
max_items = 300
[[feed]]
id = "one"
title = "One"
sources = ["c"]
"#;
        let config = crate::config::parse(text, Path::new("/tmp/feeds.toml")).unwrap();
        let all = retentions(&config);
        assert_eq!(all.len(), 3);
        for source in &config.sources {
            let want = retention_of(&config, source);
            let got = all[source.id.as_str()];
            assert_eq!((got.max_items, got.max_age), (want.max_items, want.max_age));
        }
    }

    #[test]
    fn lock_is_exclusive_and_names_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let state = dir.path().join("feedwright.db");
        let first = acquire_lock(&state).unwrap();
        assert!(first.is_ok());
        let second = acquire_lock(&state).unwrap();
        match second {
            Err(holder) => assert_eq!(holder, format!("pid {}", std::process::id())),
            Ok(_) => panic!("lock taken twice"),
        }
        drop(first);
        assert!(acquire_lock(&state).unwrap().is_ok());
    }
}
