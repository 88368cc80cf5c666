//! feeds.toml → [`Config`]: a pure parse of the text, then validation that names the file,
//! line:col and key of every problem. Paths are resolved against the config file's folder.
//! Nothing here touches the network.
//!
//! Errors are [`ConfigError::Invalid`] with a 1-based line:col at the offending value (or at
//! the `[[source]]`/`[[feed]]` header when a key is missing) and a dotted key whose array
//! indices are 1-based everywhere, as users count: `source[2].url` is the `url` of the second
//! `[[source]]`, `feed[1].sources[1]` the first name in the first feed's `sources`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod duration;
mod filter;
mod locate;
mod raw;
mod selectors;
mod validate;

#[cfg(test)]
mod tests;

pub use duration::{parse_duration, parse_size};
pub use filter::{Filter, FilterField, parse_filter};
pub use selectors::{FieldSelector, SELECTOR_KEYS, Selectors, compile};
pub use validate::{RESERVED_FEED_IDS, default_user_agent};

/// The validated configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The config file itself (absolute or as given).
    pub path: PathBuf,
    pub settings: Settings,
    /// Every `[[source]]`, in file order (disabled ones included, with `enabled = false`).
    pub sources: Vec<SourceConfig>,
    /// Every `[[feed]]`, in file order.
    pub feeds: Vec<FeedConfig>,
    /// A digest of the config file's text and path (hex). Output fingerprints include it, so
    /// any edit of the file rebuilds every output once; that is cheaper than formatting every
    /// source's config into each run's fingerprints, and it misses nothing the file says.
    pub digest: String,
}

#[derive(Debug, Clone)]
pub struct Settings {
    /// Resolved against the config folder. Default `out`.
    pub out_dir: PathBuf,
    /// Resolved against the config folder. Default `feedwright.db`.
    pub state: PathBuf,
    /// Public URL where out/ is served, ending in `/` (added if missing).
    pub base_url: Option<url::Url>,
    /// Default `feedwright/<version> (+<repository>)`.
    pub user_agent: String,
    /// Total request timeout. Default 30 s.
    pub timeout: Duration,
    /// Default 10 s.
    pub connect_timeout: Duration,
    /// Default 8.
    pub concurrency: usize,
    /// Default 1 s.
    pub host_delay: Duration,
    /// Default 10 MiB.
    pub max_body_size: u64,
    /// Default 2.
    pub retries: u32,
    /// Default true.
    pub respect_robots: bool,
    /// Default false.
    pub per_source_feeds: bool,
    pub websub_hub: Option<url::Url>,
    /// Default `status.json` beside the state file.
    pub status_file: PathBuf,
    /// How long `daemon` lets an in-flight pass finish on SIGTERM/SIGINT before abandoning it.
    /// Default 5 s.
    pub shutdown_grace: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    Auto,
    Feed,
    Html,
}

/// Where a source's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Url(url::Url),
    /// Resolved against the config folder.
    Path(PathBuf),
}

#[derive(Debug, Clone)]
pub struct SourceConfig {
    pub id: String,
    pub location: Location,
    pub kind: SourceKind,
    /// Overrides the source feed's own title.
    pub title: Option<String>,
    pub tags: Vec<String>,
    pub enabled: bool,
    /// Default 1 h.
    pub interval: Duration,
    pub schedule: Option<String>,
    /// Per-source overrides of [`Settings`]; `None` = use the global value.
    pub user_agent: Option<String>,
    pub timeout: Option<Duration>,
    pub connect_timeout: Option<Duration>,
    pub host_delay: Option<Duration>,
    pub max_body_size: Option<u64>,
    pub retries: Option<u32>,
    pub respect_robots: Option<bool>,
    pub headers: BTreeMap<String, String>,
    pub fulltext: Option<bool>,
    pub prefer_feed: Option<bool>,
    pub timezone: Option<String>,
    pub language: Option<String>,
    pub day_first: Option<bool>,
    pub date_format: Option<String>,
    pub max_pages: Option<u32>,
    /// History kept for this source: at most this many items (default
    /// [`DEFAULT_SOURCE_MAX_ITEMS`], raised to the largest `max_items` of a feed using it)…
    pub max_items: Option<usize>,
    /// …and none older than this (on the published date, else first seen). Default: no limit.
    pub max_age: Option<Duration>,
    /// `include` filters (`[field:][regex:]text`), compiled: applied to this source's items in
    /// every output (merged feeds and its per-source feed) before the feed's own filters.
    pub include_filters: Vec<Filter>,
    /// `exclude` filters, compiled (same order as written).
    pub exclude_filters: Vec<Filter>,
    /// The raw `[source.selectors]` table as written (`css_selectors` is compiled from it, and
    /// sources with equal tables share one compilation). Shared (`Arc`), like `css_selectors`,
    /// so that handing a source to its read task is a cheap clone.
    pub selectors: Option<std::sync::Arc<toml::Table>>,
    /// `selectors`, validated and compiled (html sources always have them; `check` reports a
    /// bad or missing selector with its line:col).
    pub css_selectors: Option<std::sync::Arc<Selectors>>,
    /// 1-based line of the `[[source]]` entry's `id`, for messages.
    pub line: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Format {
    Rss,
    Atom,
    Json,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Rss => "xml",
            Format::Atom => "atom",
            Format::Json => "json",
        }
    }
}

#[derive(Debug, Clone)]
pub struct FeedConfig {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// `link`, else `base_url`; at least one must be set (a config error otherwise).
    pub link: url::Url,
    /// Source ids as written (validated to exist).
    pub sources: Vec<String>,
    pub tags: Vec<String>,
    /// Default 100.
    pub max_items: usize,
    /// Default all three, in the order rss, atom, json; deduplicated.
    pub formats: Vec<Format>,
    /// Filter patterns (`[field:][regex:]text`), kept raw for the filter issue.
    pub include: Vec<String>,
    pub exclude: Vec<String>,
    /// `include`, compiled (same order).
    pub include_filters: Vec<Filter>,
    /// `exclude`, compiled (same order).
    pub exclude_filters: Vec<Filter>,
    pub max_age: Option<Duration>,
    pub min_date: Option<chrono::DateTime<chrono::Utc>>,
}

impl Config {
    /// The enabled sources this feed takes: those named in `sources`, plus those carrying any
    /// of `tags`; every enabled source when it names neither. File order, no repeats.
    pub fn sources_of<'a>(&'a self, feed: &FeedConfig) -> Vec<&'a SourceConfig> {
        self.sources
            .iter()
            .filter(|s| s.enabled)
            .filter(|s| {
                (feed.sources.is_empty() && feed.tags.is_empty())
                    || feed.sources.iter().any(|id| id == &s.id)
                    || s.tags.iter().any(|t| feed.tags.contains(t))
            })
            .collect()
    }
}

/// A config problem: which file, where, which key, and what to do.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// `line`/`col` are 1-based; `key` is the dotted key path (`source[2].url`).
    #[error("{path}:{line}:{col}: {key}: {message}")]
    Invalid {
        path: PathBuf,
        line: usize,
        col: usize,
        key: String,
        message: String,
    },
}

/// Read and validate the config file at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse(&text, path)
}

/// Parse and validate config text; `path` is used for messages and to resolve relative paths.
pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
    validate::build(text, path)
}

/// Items kept per source when neither the source nor a feed asks for more.
pub const DEFAULT_SOURCE_MAX_ITEMS: usize = 200;

impl SourceConfig {
    /// The URL or path, for messages.
    pub fn location_label(&self) -> String {
        match &self.location {
            Location::Url(u) => u.to_string(),
            Location::Path(p) => p.display().to_string(),
        }
    }
}
