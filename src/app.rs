//! The only module that sees every stage: for each source fetch → read → normalise, isolated so
//! one failing source never breaks the run; then per output feed merge → render → write. Returns
//! a report from which `main` derives the exit status.

use crate::config::{Config, Format, SourceConfig, SourceKind};
use crate::fetch::{self, Fetched};
use crate::merge::merge_items;
use crate::model::{Item, SourceFeed};
use crate::normalise::{NormaliseContext, normalise_feed};
use crate::publish::{self, OutFeed};
use crate::source::feed::{ReadContext, read_feed};
use chrono::{DateTime, Utc};
use futures_util::StreamExt;
use std::collections::HashMap;
use tracing::{debug, error, info, warn};

/// What one `run` did.
#[derive(Debug, Default)]
pub struct RunReport {
    pub sources_ok: usize,
    pub sources_failed: usize,
    pub items: usize,
    pub files_written: usize,
    pub files_unchanged: usize,
}

impl RunReport {
    /// The contract's exit status: 0 all good, 1 some source failed.
    pub fn exit_code(&self) -> i32 {
        if self.sources_failed > 0 { 1 } else { 0 }
    }
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

/// One pass: read every enabled source that some feed uses, publish every feed.
pub async fn run(config: &Config, now: DateTime<Utc>) -> anyhow::Result<RunReport> {
    let settings = &config.settings;
    std::fs::create_dir_all(&settings.out_dir).map_err(|e| {
        anyhow::anyhow!("cannot create out_dir {}: {e}", settings.out_dir.display())
    })?;
    let swept = publish::write::sweep_temp_files(&settings.out_dir)?;
    if swept > 0 {
        info!("removed {swept} temp file(s) left by an interrupted run");
    }
    let client = fetch::build_client(settings)?;

    let wanted: Vec<&SourceConfig> = config
        .sources
        .iter()
        .filter(|s| s.enabled)
        .filter(|s| {
            config
                .feeds
                .iter()
                .any(|f| config.sources_of(f).iter().any(|x| x.id == s.id))
        })
        .collect();

    let results: Vec<(String, Result<SourceFeed, SourceError>)> =
        futures_util::stream::iter(wanted.iter().map(|source| {
            let client = &client;
            async move {
                let result = read_source(client, config, source, now).await;
                (source.id.clone(), result)
            }
        }))
        .buffer_unordered(settings.concurrency.max(1))
        .collect()
        .await;

    let mut report = RunReport::default();
    let mut feeds_by_source: HashMap<String, SourceFeed> = HashMap::new();
    for (id, result) in results {
        let source = config.sources.iter().find(|s| s.id == id);
        let location = source.map(|s| s.location_label()).unwrap_or_default();
        match result {
            Ok(feed) => {
                report.sources_ok += 1;
                for w in &feed.warnings {
                    warn!(source = %id, "{location}: {w}");
                }
                debug!(source = %id, items = feed.items.len(), "read {location}");
                feeds_by_source.insert(id, feed);
            }
            Err(e) => {
                report.sources_failed += 1;
                error!(source = %id, "source `{id}` ({location}) failed: {e}");
            }
        }
    }

    for feed_cfg in &config.feeds {
        let sources = config.sources_of(feed_cfg);
        let failed: Vec<&str> = sources
            .iter()
            .filter(|s| !feeds_by_source.contains_key(&s.id))
            .map(|s| s.id.as_str())
            .collect();
        if !failed.is_empty() {
            // Without stored items a rewrite would drop the failing sources' items: keep the
            // last good files instead.
            warn!(
                feed = %feed_cfg.id,
                "kept the previous out/{}.* because source(s) {} failed",
                feed_cfg.id,
                failed.join(", ")
            );
            continue;
        }
        let groups: Vec<Vec<Item>> = sources
            .iter()
            .filter_map(|s| feeds_by_source.get(&s.id))
            .map(|f| f.items.clone())
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
        report.items += out.items.len();
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
    info!(
        "{} source(s) ok, {} failed; {} item(s) published; {} file(s) written, {} unchanged",
        report.sources_ok,
        report.sources_failed,
        report.items,
        report.files_written,
        report.files_unchanged
    );
    Ok(report)
}

async fn read_source(
    client: &reqwest::Client,
    config: &Config,
    source: &SourceConfig,
    now: DateTime<Utc>,
) -> Result<SourceFeed, SourceError> {
    if source.kind == SourceKind::Html {
        return Err(SourceError::Unsupported(
            "kind = \"html\" (CSS selectors) is not available in this version; use a feed URL"
                .into(),
        ));
    }
    let fetched: Fetched = fetch::fetch_source(client, &config.settings, source).await?;
    Ok(read_document(
        &source.id,
        source.title.as_deref(),
        &fetched,
        now,
    )?)
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
    let config = match crate::config::load(&cli.config) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("feedwright: config error: {e}");
            return Ok(2);
        }
    };
    match cli.command {
        crate::cli::Command::Check => {
            if cli.quiet == 0 {
                println!("{}", describe(&config));
            }
            Ok(0)
        }
        crate::cli::Command::Run => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            let report = runtime.block_on(run(&config, now))?;
            Ok(u8::try_from(report.exit_code()).unwrap_or(2))
        }
    }
}
