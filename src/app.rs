//! The only module that sees every stage. A run takes the lock beside the state, picks the
//! sources that are due, fetches and reads them concurrently (each isolated: one failing source
//! never breaks the run), stores what they yield in the state, records their health, and then
//! rebuilds every output feed from the stored items: merge → filter → render → write (only what
//! changed). Returns a report from which `main` derives the exit status.

use crate::config::{Config, DEFAULT_SOURCE_MAX_ITEMS, Format, SourceConfig, SourceKind};
use crate::fetch::{self, FetchOutcome, Fetched, Fetcher};
use crate::merge::{filter_items, merge_items};
use crate::model::{Item, SourceFeed};
use crate::normalise::{NormaliseContext, normalise_feed};
use crate::publish::{self, OutFeed};
use crate::source::feed::{ReadContext, read_feed};
use crate::state::{Health, Retention, State, Validators};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use std::collections::HashMap;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;
use tracing::{debug, error, info, warn};

mod auto;

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
}

impl SourceError {
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

/// One pass: read the due sources, store what they yield, publish every feed from the state.
pub async fn run(
    config: &Config,
    now: DateTime<Utc>,
    options: &RunOptions,
) -> anyhow::Result<RunReport> {
    let settings = &config.settings;
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

    // Which sources to read.
    let mut due: Vec<&SourceConfig> = Vec::new();
    for source in config.sources.iter().filter(|s| s.enabled) {
        let named = options.only.iter().any(|id| id == &source.id);
        if !options.only.is_empty() && !named {
            continue;
        }
        let health = state.health(&source.id)?;
        let is_due = options.force || named || health.next_due.is_none_or(|d| d <= now);
        if is_due {
            due.push(source);
        } else {
            report.sources_not_due += 1;
            debug!(source = %source.id, "not due until {:?}", health.next_due);
        }
    }
    let mut validators: HashMap<String, Validators> = HashMap::new();
    for source in &due {
        let key = location_key(source);
        validators.insert(source.id.clone(), state.validators(&key)?);
    }

    // What post pages gave before (auto and fulltext sources), so they are fetched once.
    let mut post_caches: HashMap<String, HashMap<String, crate::state::CachedPost>> =
        HashMap::new();
    for source in due.iter().filter(|s| auto::uses_post_cache(s)) {
        post_caches.insert(source.id.clone(), state.cached_posts(&source.id)?);
    }
    let no_posts = HashMap::new();

    let fetcher = Fetcher::new(settings)?;
    let results: Vec<(&SourceConfig, Result<Outcome, SourceError>)> =
        futures_util::stream::iter(due.iter().map(|source| {
            let fetcher = &fetcher;
            let stored = validators.get(&source.id).cloned().unwrap_or_default();
            let posts = post_caches.get(&source.id).unwrap_or(&no_posts);
            async move {
                let result = read_source(fetcher, source, &stored, posts, now).await;
                (*source, result)
            }
        }))
        .buffer_unordered(settings.concurrency.max(1))
        .collect()
        .await;

    // Apply every result to the state, one at a time, in config order.
    let mut results = results;
    results.sort_by_key(|(s, _)| config.sources.iter().position(|x| x.id == s.id));
    for (source, result) in results {
        let mut health = state.health(&source.id)?;
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
                    } => {
                        report.sources_ok += 1;
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
                        let retired = state.prune(&source.id, retention_of(config, source), now)?;
                        if retired > 0 {
                            debug!(source = %source.id, "retired {retired} old item(s)");
                        }
                    }
                }
                health.last_success = Some(now);
                health.consecutive_failures = 0;
                health.next_due = Some(after(now, source.interval));
            }
            Err(e) => {
                report.sources_failed += 1;
                health.consecutive_failures = health.consecutive_failures.saturating_add(1);
                health.last_error = Some(e.to_string());
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
        state.set_health(&health)?;
    }

    publish_all(config, &state, now, &mut report)?;
    write_status_file(config, &state, now)?;
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
    Ok(report)
}

/// Rebuild every output feed from the stored items; write only files whose bytes change.
fn publish_all(
    config: &Config,
    state: &State,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> anyhow::Result<()> {
    let settings = &config.settings;
    let mut stored: HashMap<&str, Vec<Item>> = HashMap::new();
    for source in config.sources.iter().filter(|s| s.enabled) {
        let items = state.items_of(&source.id, retention_of(config, source), now)?;
        stored.insert(source.id.as_str(), items);
    }
    for feed_cfg in &config.feeds {
        let groups: Vec<Vec<Item>> = config
            .sources_of(feed_cfg)
            .iter()
            .filter_map(|s| stored.get(s.id.as_str()).cloned())
            .collect();
        let groups = groups
            .into_iter()
            .map(|g| {
                filter_items(
                    g,
                    &feed_cfg.include_filters,
                    &feed_cfg.exclude_filters,
                    feed_cfg.max_age,
                    feed_cfg.min_date,
                    now,
                )
            })
            .collect();
        let out = assemble_feed(
            FeedMeta {
                id: &feed_cfg.id,
                title: &feed_cfg.title,
                description: feed_cfg.description.as_deref(),
                link: feed_cfg.link.as_str(),
                base_url: settings.base_url.as_ref().map(|u| u.as_str()),
                max_items: feed_cfg.max_items,
            },
            groups,
        );
        report.items_published += out.items.len();
        for format in &feed_cfg.formats {
            let body = match format {
                Format::Rss => publish::rss::render(&out),
                Format::Atom => publish::atom::render(&out),
                Format::Json => publish::json::render(&out),
            };
            let name = format!("{}.{}", out.id, format.extension());
            if publish::write::write_if_changed(&settings.out_dir, &name, body.as_bytes())? {
                report.files_written += 1;
                debug!("wrote {}", settings.out_dir.join(&name).display());
            } else {
                report.files_unchanged += 1;
            }
        }
    }
    Ok(())
}

/// The status file beside the state: every source's health, as JSON (never inside out/).
fn write_status_file(config: &Config, state: &State, now: DateTime<Utc>) -> anyhow::Result<()> {
    let _ = now;
    let mut sources = Vec::new();
    for source in &config.sources {
        let h: Health = state.health(&source.id)?;
        sources.push(serde_json::json!({
            "id": source.id,
            "enabled": source.enabled,
            "location": source.location_label(),
            "last_attempt": h.last_attempt,
            "last_success": h.last_success,
            "last_error_at": h.last_error_at,
            "last_error": h.last_error,
            "consecutive_failures": h.consecutive_failures,
            "next_due": h.next_due,
            "items_last_run": h.items_last_run,
        }));
    }
    let body = serde_json::to_string_pretty(&serde_json::json!({ "sources": sources }))?;
    let path = &config.settings.status_file;
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "status.json".into());
    publish::write::write_if_changed(dir, &name, format!("{body}\n").as_bytes())?;
    Ok(())
}

async fn read_source(
    fetcher: &Fetcher,
    source: &SourceConfig,
    stored: &Validators,
    posts: &HashMap<String, crate::state::CachedPost>,
    now: DateTime<Utc>,
) -> Result<Outcome, SourceError> {
    if source.kind == SourceKind::Auto {
        return auto::read_auto(fetcher, source, stored, posts, now).await;
    }
    if source.kind == SourceKind::Html {
        return Err(SourceError::Unsupported(
            "kind = \"html\" (CSS selectors) is not available in this version; use a feed URL"
                .into(),
        ));
    }
    let scraped = source.kind == SourceKind::Html;
    match fetcher.fetch(source, stored, scraped, now).await? {
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
            })
        }
    }
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
    let merged = groups.iter().filter(|g| !g.is_empty()).count() > 1;
    let items = merge_items(groups, meta.max_items);
    OutFeed {
        id: meta.id.to_string(),
        title: meta.title.to_string(),
        description: meta.description.map(str::to_string),
        link: meta.link.to_string(),
        base_url: meta.base_url.map(str::to_string),
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
    let config = match crate::config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("feedwright: config error: {e}");
            return Ok(2);
        }
    };
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
            if let Some(holder) = &report.lock_held_by {
                eprintln!(
                    "feedwright: another run ({holder}) holds {}; exiting",
                    lock_path(&config.settings.state).display()
                );
            }
            Ok(report.exit_code())
        }
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
