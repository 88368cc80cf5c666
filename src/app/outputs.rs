//! Publishing: every output rebuilt from the state — but only when something it depends on
//! changed, and each from a bounded number of candidate items read from the state.
//!
//! An output is a unit of files built together: a `[[feed]]` (its formats, `.html` and
//! `.opml`), the index (`index.html`, `sources.opml`), and with `per_source_feeds` each source's
//! own feed. Its *fingerprint* digests everything its bytes depend on: this program's version
//! ([`RENDER_EPOCH`]), the settings, the output's config, the config, retention and *change
//! number* of each source feeding it (the state gives a source a new change number whenever its
//! stored items change: new, changed, retired or forgotten items); the index also digests every
//! feed's item count and date. An output is skipped when its fingerprint is the one recorded at
//! its last build, it is not past its `valid_until` (the first moment one of its items ages out
//! under a `max_age`, and at most a day after the build, so slow time-dependent rules such as
//! the year-long memory of shown ids still apply), and all its files are on disk with the size
//! and modification time recorded after that build (a deleted or edited file is rebuilt).
//!
//! Memory: an output reads, source by source, the newest items within the source's retention
//! that pass the source's and the output's filters, and keeps only the newest [`CANDIDATES_PER_ITEM`] × `max_items` of them overall (rows older than the
//! oldest one kept are not even decoded). The merge (same-story folding) works on those, so a
//! copy of a story older than all of them is not seen: it could only have pulled the story
//! below the output's cut anyway.

use super::{
    DEFAULT_FEED_MAX_ITEMS, FeedMeta, RunReport, assemble_feed, assemble_feed_shown, render_format,
    retention_of, retentions,
};
use crate::config::{Config, FeedConfig, Filter, Format, Location, SourceConfig};
use crate::merge::item_passes;
use crate::model::Item;
use crate::publish;
use crate::state::{OutputRecord, Retention, State};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::Path;
use tracing::{debug, info, warn};

/// Part of every fingerprint: a new version (or a change of this mark, when rendering changes
/// within one version) rebuilds every output once.
pub const RENDER_EPOCH: &str = concat!(env!("CARGO_PKG_VERSION"), "+outputs-1");

/// An output keeps at most this many candidates per item it shows.
pub const CANDIDATES_PER_ITEM: usize = 4;

/// The longest an output is trusted without a rebuild.
const MAX_VALID: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// A fingerprint under construction.
struct Fingerprint(Sha256);

impl Fingerprint {
    fn new(kind: &str) -> Fingerprint {
        let mut f = Fingerprint(Sha256::new());
        f.add(RENDER_EPOCH);
        f.add(kind);
        f
    }

    fn add(&mut self, part: &str) {
        self.0.update(part.as_bytes());
        self.0.update([0]);
    }

    /// Add a value's `Debug` text, formatted straight into the digest (no string built).
    fn add_debug(&mut self, part: &dyn std::fmt::Debug) {
        use std::fmt::Write as _;
        let _ = write!(self, "{part:?}");
        self.0.update([0]);
    }

    fn finish(self) -> String {
        self.0
            .finalize()
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

impl std::fmt::Write for Fingerprint {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// What the run knows about sources, computed once and only when needed.
struct Sources<'c> {
    config: &'c Config,
    retention: HashMap<&'c str, Retention>,
    changes: HashMap<String, i64>,
    digests: HashMap<&'c str, String>,
    sites: HashMap<&'c str, publish::opml::SiteInfo>,
}

impl<'c> Sources<'c> {
    /// What is known before any output is looked at: each source's retention and the change
    /// numbers (`changes`, from the state).
    fn new(config: &'c Config, changes: HashMap<String, i64>) -> Sources<'c> {
        Sources {
            config,
            retention: retentions(config),
            changes,
            digests: HashMap::new(),
            sites: HashMap::new(),
        }
    }

    fn retention(&self, s: &SourceConfig) -> Retention {
        self.retention
            .get(s.id.as_str())
            .copied()
            .unwrap_or_else(|| retention_of(self.config, s))
    }

    /// A source's part of a fingerprint: the config it comes from, its id, retention and
    /// change number.
    fn digest(&mut self, s: &'c SourceConfig) -> &str {
        let retention = self.retention(s);
        let change = self.changes.get(&s.id).copied().unwrap_or(0);
        let config_digest = &self.config.digest;
        self.digests.entry(s.id.as_str()).or_insert_with(|| {
            let mut f = Fingerprint::new("source");
            f.add(config_digest);
            f.add(&s.id);
            f.add_debug(&retention);
            f.add(&change.to_string());
            f.finish()
        })
    }

    /// A source's site title and home page, from the newest stored item that names them.
    fn site(
        &mut self,
        state: &State,
        s: &'c SourceConfig,
        now: DateTime<Utc>,
    ) -> anyhow::Result<publish::opml::SiteInfo> {
        if let Some(site) = self.sites.get(s.id.as_str()) {
            return Ok(site.clone());
        }
        let mut site = publish::opml::SiteInfo::default();
        state.scan_items(&s.id, self.retention(s), now, |_, data| {
            let Ok(item) = serde_json::from_str::<Item>(data) else {
                return true;
            };
            match item.origin.filter(|o| o.source_id == s.id) {
                Some(origin) => {
                    site = publish::opml::SiteInfo {
                        title: origin.title,
                        link: origin.link,
                    };
                    false
                }
                None => true,
            }
        })?;
        self.sites.insert(s.id.as_str(), site.clone());
        Ok(site)
    }

    /// The name shown for a source: its configured title, else its site's, else its id.
    fn name(
        &mut self,
        state: &State,
        s: &'c SourceConfig,
        now: DateTime<Utc>,
    ) -> anyhow::Result<String> {
        Ok(match &s.title {
            Some(t) => t.clone(),
            None => self
                .site(state, s, now)?
                .title
                .unwrap_or_else(|| s.id.clone()),
        })
    }
}

/// The filters and limits one output applies to its sources' items.
struct Selection<'a> {
    include: &'a [Filter],
    exclude: &'a [Filter],
    max_age: Option<std::time::Duration>,
    min_date: Option<DateTime<Utc>>,
    max_items: usize,
}

/// One output's candidates, one group per source, and when the output may change by itself.
type Candidates = (Vec<Vec<Item>>, Option<DateTime<Utc>>);

/// The candidates of one output: one group per source (in the order given, items newest
/// first as stored), and when the output may change by itself (an item ageing out).
fn candidates(
    state: &State,
    sources: &mut Sources<'_>,
    of: &[&SourceConfig],
    sel: &Selection<'_>,
    now: DateTime<Utc>,
) -> anyhow::Result<Candidates> {
    candidates_with(state, sources, of, sel, now, true)
}

/// [`candidates`]; `first_pass`: when nothing filters the rows, find the oldest date that can
/// make the cut first (from the sort-date index alone), so that no older row is read or
/// decoded. Either way the result is the same (tested).
fn candidates_with(
    state: &State,
    sources: &mut Sources<'_>,
    of: &[&SourceConfig],
    sel: &Selection<'_>,
    now: DateTime<Utc>,
    first_pass: bool,
) -> anyhow::Result<Candidates> {
    let cap = sel.max_items.saturating_mul(CANDIDATES_PER_ITEM).max(1);
    let age_floor = sel
        .max_age
        .and_then(|a| chrono::Duration::from_std(a).ok())
        .and_then(|a| now.checked_sub_signed(a));
    let floor = match (age_floor, sel.min_date) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    // Without filters every row in retention is a candidate, so the cap-th newest sort date
    // (the oldest that can be kept) is known before any row is read.
    let unfiltered = floor.is_none()
        && sel.include.is_empty()
        && sel.exclude.is_empty()
        && of
            .iter()
            .all(|s| s.include_filters.is_empty() && s.exclude_filters.is_empty());
    let mut cutoff: Option<i64> = None;
    if first_pass && unfiltered {
        let mut dates = Vec::new();
        for source in of {
            state.sort_dates(&source.id, sources.retention(source), now, &mut dates)?;
        }
        if dates.len() > cap {
            let (_, nth, _) = dates.select_nth_unstable_by(cap - 1, |a, b| b.cmp(a));
            cutoff = Some(*nth);
        }
    }
    // (sort date, source position, row, item); kept between cap and 2 × cap entries, so
    // sorting it now and then costs O(log) per item.
    let mut pool: Vec<(i64, usize, usize, Item)> = Vec::new();
    let mut oldest_kept: Option<i64> = cutoff;
    // Rows that did not decode (a damaged state): the first pass counted them.
    let mut undecodable = 0usize;
    let shrink = |pool: &mut Vec<(i64, usize, usize, Item)>| {
        pool.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
        pool.truncate(cap);
    };
    for (pos, source) in of.iter().enumerate() {
        let retention = sources.retention(source);
        let mut row = 0usize;
        state.scan_items(&source.id, retention, now, |sort, data| {
            row += 1;
            if oldest_kept.is_some_and(|o| sort < o) {
                return false; // this row and the rest of the source are older than all kept
            }
            let Ok(item) = serde_json::from_str::<Item>(data) else {
                undecodable += 1;
                return true;
            };
            if !item_passes(
                &item,
                &source.include_filters,
                &source.exclude_filters,
                None,
            ) || !item_passes(&item, sel.include, sel.exclude, floor)
            {
                return true;
            }
            pool.push((sort, pos, row, item));
            if pool.len() >= cap * 2 {
                shrink(&mut pool);
                oldest_kept = pool.last().map(|p| p.0);
            }
            true
        })?;
    }
    if cutoff.is_some() && undecodable > 0 && pool.len() < cap {
        // The cut was drawn counting rows that are not items: older ones may be needed.
        return candidates_with(state, sources, of, sel, now, false);
    }
    if pool.len() > cap {
        shrink(&mut pool);
    }
    // When the first kept item leaves by age (the output's own max_age, or its source's).
    let mut valid_until = now.checked_add_signed(MAX_VALID);
    for (sort, pos, _, _) in &pool {
        let source_age = of.get(*pos).and_then(|s| s.max_age);
        let age = match (sel.max_age, source_age) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        if let Some(age) = age.and_then(|a| chrono::Duration::from_std(a).ok()) {
            let leaves = DateTime::<Utc>::from_timestamp(*sort, 0)
                .and_then(|d| d.checked_add_signed(age))
                .map(|t| t + chrono::TimeDelta::seconds(1));
            valid_until = match (valid_until, leaves) {
                (Some(v), Some(l)) => Some(v.min(l)),
                (v, l) => v.or(l),
            };
        }
    }
    pool.sort_by(|a, b| a.1.cmp(&b.1).then(a.2.cmp(&b.2)));
    let mut groups: Vec<Vec<Item>> = (0..of.len()).map(|_| Vec::new()).collect();
    for (_, pos, _, item) in pool {
        if let Some(g) = groups.get_mut(pos) {
            g.push(item);
        }
    }
    Ok((groups, valid_until))
}

/// Size and modification time (ns) of a file, if it exists.
fn file_stat(path: &Path) -> Option<(u64, i128)> {
    let meta = std::fs::metadata(path).ok()?;
    let mtime = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?
        .as_nanos();
    Some((meta.len(), i128::try_from(mtime).ok()?))
}

/// The record of `name` when the output is up to date: same fingerprint, not expired, every
/// file (and no other) on disk as recorded.
fn up_to_date(
    state: &State,
    out_dir: &Path,
    name: &str,
    fingerprint: &str,
    files: &[String],
    now: DateTime<Utc>,
) -> anyhow::Result<Option<OutputRecord>> {
    let Some(record) = state.output(name)? else {
        return Ok(None);
    };
    let fresh = record.fingerprint == fingerprint
        && record.valid_until.is_none_or(|t| t > now)
        && record.files.len() == files.len()
        && record
            .files
            .iter()
            .zip(files)
            .all(|((n, size, mtime), want)| {
                n == want && file_stat(&out_dir.join(n)) == Some((*size, *mtime))
            });
    Ok(fresh.then_some(record))
}

/// Writes files into out/ and counts them in the report.
struct Writer<'r> {
    out_dir: &'r Path,
    report: &'r mut RunReport,
}

impl Writer<'_> {
    fn write(&mut self, name: &str, body: &str) -> anyhow::Result<()> {
        if publish::write::write_if_changed(self.out_dir, name, body.as_bytes())? {
            self.report.files_written += 1;
            self.report.written.push(name.to_owned());
            debug!("wrote {}", self.out_dir.join(name).display());
        } else {
            self.report.files_unchanged += 1;
        }
        Ok(())
    }

    /// Record what output `name` was built from, with its files as they are now on disk.
    fn record(
        &self,
        state: &State,
        name: &str,
        fingerprint: String,
        files: &[String],
        valid_until: Option<DateTime<Utc>>,
        shown: (usize, Option<DateTime<Utc>>),
    ) -> anyhow::Result<()> {
        // Files the last build wrote that this one does not (a format dropped from `formats`).
        if let Some(previous) = state.output(name)? {
            for (file, size, mtime) in &previous.files {
                if !files.contains(file) {
                    remove_if_ours(self.out_dir, file, *size, *mtime);
                }
            }
        }
        let stats: Option<Vec<(String, u64, i128)>> = files
            .iter()
            .map(|n| file_stat(&self.out_dir.join(n)).map(|(s, m)| (n.clone(), s, m)))
            .collect();
        state.set_output(
            name,
            &OutputRecord {
                fingerprint,
                valid_until,
                items: shown.0,
                updated: shown.1,
                // A file that vanished already: record nothing, so the next run rebuilds.
                files: stats.unwrap_or_default(),
            },
        )?;
        Ok(())
    }
}

/// Rebuild every output whose inputs changed; write only files whose bytes change.
pub fn publish_all(
    config: &Config,
    state: &State,
    now: DateTime<Utc>,
    report: &mut RunReport,
) -> anyhow::Result<()> {
    let settings = &config.settings;
    let mut sources = Sources::new(config, state.change_numbers()?);
    let settings_digest = format!("{settings:?}");
    let mut writer = Writer {
        out_dir: &settings.out_dir,
        report,
    };
    let mut index = Vec::new();
    let mut index_print = Fingerprint::new("index");
    index_print.add(&settings_digest);
    for feed_cfg in &config.feeds {
        let of = config.sources_of(feed_cfg);
        let entry = publish_feed(state, &mut sources, &mut writer, feed_cfg, &of, now)?;
        index_print.add(&format!(
            "{}\u{1}{}\u{1}{:?}\u{1}{:?}\u{1}{}\u{1}{:?}",
            entry.id, entry.title, entry.description, entry.formats, entry.items, entry.updated
        ));
        index.push(entry);
    }
    let enabled: Vec<&SourceConfig> = config.sources.iter().filter(|s| s.enabled).collect();
    for s in &enabled {
        let d = sources.digest(s).to_owned();
        index_print.add(&d);
    }
    let index_print = index_print.finish();
    let index_files = ["index.html".to_string(), "sources.opml".to_string()];
    if up_to_date(
        state,
        &settings.out_dir,
        "index",
        &index_print,
        &index_files,
        now,
    )?
    .is_some()
    {
        writer.report.files_unchanged += index_files.len();
    } else {
        writer.write("index.html", &publish::html::render_index("Feeds", &index))?;
        let mut all = Vec::with_capacity(enabled.len());
        for s in &enabled {
            let site = sources.site(state, s, now)?;
            all.push(publish::opml::outline_for(settings, s, &site));
        }
        writer.write("sources.opml", &publish::opml::render("All sources", &all))?;
        writer.record(state, "index", index_print, &index_files, None, (0, None))?;
    }

    if settings.per_source_feeds {
        for source in &enabled {
            publish_source_feed(state, &mut sources, &mut writer, source, now)?;
        }
    }
    remove_gone_outputs(config, state)?;
    Ok(())
}

/// Outputs built by an earlier run whose `[[feed]]` or `[[source]]` is no longer in the
/// configuration (or `per_source_feeds` was turned off): their files are removed — only those
/// still exactly as feedwright wrote them (same size and mtime) — and their records dropped.
/// A disabled source keeps its last per-source files.
fn remove_gone_outputs(config: &Config, state: &State) -> anyhow::Result<()> {
    let mut kept: std::collections::HashSet<String> = config
        .feeds
        .iter()
        .map(|f| format!("feed/{}", f.id))
        .collect();
    kept.insert("index".to_owned());
    if config.settings.per_source_feeds {
        kept.extend(config.sources.iter().map(|s| format!("sources/{}", s.id)));
    }
    for name in state.output_names()? {
        if kept.contains(&name) {
            continue;
        }
        if let Some(record) = state.output(&name)? {
            for (file, size, mtime) in &record.files {
                remove_if_ours(&config.settings.out_dir, file, *size, *mtime);
            }
        }
        state.forget_output(&name)?;
        info!("output `{name}` is no longer configured: its files were removed from out/");
    }
    Ok(())
}

/// Remove `out_dir/file` when it is still the file feedwright recorded (same size and mtime);
/// a file someone changed or replaced since is left alone.
fn remove_if_ours(out_dir: &Path, file: &str, size: u64, mtime: i128) {
    let path = out_dir.join(file);
    if file_stat(&path) == Some((size, mtime)) {
        match std::fs::remove_file(&path) {
            Ok(()) => debug!("removed {}", path.display()),
            Err(e) => warn!("could not remove {}: {e}", path.display()),
        }
    }
}

/// One `[[feed]]`: rebuilt unless up to date; returns its index entry either way.
fn publish_feed<'c>(
    state: &State,
    sources: &mut Sources<'c>,
    writer: &mut Writer<'_>,
    feed_cfg: &FeedConfig,
    of: &[&'c SourceConfig],
    now: DateTime<Utc>,
) -> anyhow::Result<publish::html::IndexEntry> {
    let settings = &sources.config.settings;
    let mut print = Fingerprint::new("feed");
    print.add(&format!("{settings:?}"));
    print.add(&format!("{feed_cfg:?}"));
    for s in of {
        let d = sources.digest(s).to_owned();
        print.add(&d);
    }
    let print = print.finish();
    let mut files: Vec<String> = feed_cfg
        .formats
        .iter()
        .map(|f| format!("{}.{}", feed_cfg.id, f.extension()))
        .collect();
    files.push(format!("{}.html", feed_cfg.id));
    files.push(format!("{}.opml", feed_cfg.id));
    let entry = |items: usize, updated: Option<DateTime<Utc>>| publish::html::IndexEntry {
        id: feed_cfg.id.clone(),
        title: feed_cfg.title.clone(),
        description: feed_cfg.description.clone(),
        formats: feed_cfg.formats.clone(),
        items,
        updated,
    };
    let name = format!("feed/{}", feed_cfg.id);
    if let Some(done) = up_to_date(state, &settings.out_dir, &name, &print, &files, now)? {
        debug!("{}: inputs unchanged, not rebuilt", feed_cfg.id);
        writer.report.files_unchanged += files.len();
        writer.report.items_published += done.items;
        return Ok(entry(done.items, done.updated));
    }
    let (groups, valid_until) = candidates(
        state,
        sources,
        of,
        &Selection {
            include: &feed_cfg.include_filters,
            exclude: &feed_cfg.exclude_filters,
            max_age: feed_cfg.max_age,
            min_date: feed_cfg.min_date,
            max_items: feed_cfg.max_items,
        },
        now,
    )?;
    let shown = state.published_ids(&feed_cfg.id)?;
    let mut out = assemble_feed_shown(
        FeedMeta {
            id: &feed_cfg.id,
            title: &feed_cfg.title,
            description: feed_cfg.description.as_deref(),
            link: feed_cfg.link.as_str(),
            base_url: settings.base_url.as_ref().map(|u| u.as_str()),
            max_items: feed_cfg.max_items,
        },
        groups,
        &shown,
    );
    drop(shown);
    state.record_published(&feed_cfg.id, out.items.iter().map(|i| i.id.as_str()), now)?;
    out.hub = settings.websub_hub.as_ref().map(|u| u.to_string());
    writer.report.items_published += out.items.len();
    for format in &feed_cfg.formats {
        writer.write(
            &format!("{}.{}", out.id, format.extension()),
            &render_format(&out, *format),
        )?;
    }
    let mut names = HashMap::new();
    let mut outlines = Vec::with_capacity(of.len());
    for s in of {
        names.insert(s.id.clone(), sources.name(state, s, now)?);
        let site = sources.site(state, s, now)?;
        outlines.push(publish::opml::outline_for(settings, s, &site));
    }
    writer.write(
        &format!("{}.html", out.id),
        &publish::html::render_feed_page(&out, &feed_cfg.formats, &names),
    )?;
    writer.write(
        &format!("{}.opml", out.id),
        &publish::opml::render(&feed_cfg.title, &outlines),
    )?;
    let shown_now = (out.items.len(), out.updated);
    writer.record(state, &name, print, &files, valid_until, shown_now)?;
    Ok(entry(shown_now.0, shown_now.1))
}

/// A source's own feed (`per_source_feeds`): rebuilt unless up to date.
fn publish_source_feed<'c>(
    state: &State,
    sources: &mut Sources<'c>,
    writer: &mut Writer<'_>,
    source: &'c SourceConfig,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let settings = &sources.config.settings;
    let id = format!("sources/{}", source.id);
    let mut print = Fingerprint::new("source-feed");
    print.add(&format!("{settings:?}"));
    let d = sources.digest(source).to_owned();
    print.add(&d);
    let print = print.finish();
    let formats = [Format::Rss, Format::Atom, Format::Json];
    let files: Vec<String> = formats
        .iter()
        .map(|f| format!("{id}.{}", f.extension()))
        .collect();
    if let Some(done) = up_to_date(state, &settings.out_dir, &id, &print, &files, now)? {
        writer.report.files_unchanged += files.len();
        let _ = done;
        return Ok(());
    }
    let max_items = source.max_items.unwrap_or(DEFAULT_FEED_MAX_ITEMS);
    let (groups, valid_until) = candidates(
        state,
        sources,
        &[source],
        &Selection {
            include: &[],
            exclude: &[],
            max_age: None,
            min_date: None,
            max_items,
        },
        now,
    )?;
    let site = sources.site(state, source, now)?;
    let title = sources.name(state, source, now)?;
    let link = site
        .link
        .clone()
        .or_else(|| settings.base_url.as_ref().map(|u| u.to_string()))
        .unwrap_or_else(|| match &source.location {
            Location::Url(u) => u.to_string(),
            Location::Path(p) => url::Url::from_file_path(p)
                .map(|u| u.to_string())
                .unwrap_or_else(|()| format!("file://{}", p.display())),
        });
    let base = settings.base_url.as_ref().map(|u| u.to_string());
    let mut out = assemble_feed(
        FeedMeta {
            id: &id,
            title: &title,
            description: None,
            link: &link,
            base_url: base.as_deref(),
            max_items,
        },
        groups,
    );
    out.hub = settings.websub_hub.as_ref().map(|u| u.to_string());
    for format in formats {
        writer.write(
            &format!("{id}.{}", format.extension()),
            &render_format(&out, format),
        )?;
    }
    let shown = (out.items.len(), out.updated);
    writer.record(state, &id, print, &files, valid_until, shown)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest_of(config_text: &str) -> String {
        let config = crate::config::parse(config_text, Path::new("/cfg/feeds.toml")).unwrap();
        let mut sources = Sources::new(&config, HashMap::new());
        sources.digest(&config.sources[0]).to_owned()
    }

    fn html_source(title_selector: &str, tags: &str) -> String {
        format!(
            "[settings]\nbase_url = \"https://x.test/\"\n\n[[source]]\nid = \"s\"\n\
             url = \"https://x.test/list\"\nkind = \"html\"\ntags = [{tags}]\n\
             [source.selectors]\nitem = \"article\"\ntitle = \"{title_selector}\"\n\
             link = {{ selector = \"a\", attr = \"href\" }}\n"
        )
    }

    /// Three sources whose items' dates tie across sources and at every cut, then each way
    /// of choosing candidates, with and without a row that is not an item.
    #[test]
    fn the_first_pass_over_sort_dates_chooses_the_same_candidates() {
        use crate::model::{Item, Stamp};
        use chrono::TimeZone as _;
        let dir = tempfile::tempdir().unwrap();
        let text = ["a", "b", "c"]
            .map(|id| format!("[[source]]\nid = \"{id}\"\nurl = \"https://{id}.test/\"\n"))
            .concat();
        let config = crate::config::parse(&text, &dir.path().join("feeds.toml")).unwrap();
        let now = chrono::Utc
            .with_ymd_and_hms(2026, 11, 29, 12, 0, 0)
            .unwrap();
        let path = dir.path().join("state.db");
        let mut state = State::open(&path).unwrap();
        for (n, source) in config.sources.iter().enumerate() {
            // 20 items an hour apart, every third source an hour later, so dates repeat.
            let items: Vec<Item> = (0..20)
                .map(|i| Item {
                    id: format!("{}-{i}", source.id),
                    source_ids: vec![source.id.clone()],
                    title: Some(format!("{} {i}", source.id)),
                    published: Some(Stamp::exact(
                        (now - chrono::Duration::hours(i + (n as i64 % 2))).fixed_offset(),
                    )),
                    ..Item::default()
                })
                .collect();
            state.store_items(&source.id, &items, now).unwrap();
        }
        let of: Vec<&SourceConfig> = config.sources.iter().collect();
        let ids = |state: &State, max_items: usize, first_pass: bool| {
            let mut sources = Sources::new(&config, HashMap::new());
            let sel = Selection {
                include: &[],
                exclude: &[],
                max_age: None,
                min_date: None,
                max_items,
            };
            let (groups, valid_until) =
                candidates_with(state, &mut sources, &of, &sel, now, first_pass).unwrap();
            let ids: Vec<Vec<String>> = groups
                .iter()
                .map(|g| g.iter().map(|i| i.id.clone()).collect())
                .collect();
            (ids, valid_until)
        };
        for max_items in [1, 2, 3, 5, 7, 14, 20] {
            let (with, _) = ids(&state, max_items, true);
            assert_eq!(
                with,
                ids(&state, max_items, false).0,
                "max_items {max_items}"
            );
            let kept: usize = with.iter().map(Vec::len).sum();
            assert_eq!(kept, (max_items * CANDIDATES_PER_ITEM).min(60));
        }
        // A row that does not decode is skipped, and the cut still keeps as many items.
        drop(state);
        let raw = rusqlite::Connection::open(&path).unwrap();
        raw.execute("UPDATE items SET data = '{' WHERE id = 'a-0'", [])
            .unwrap();
        drop(raw);
        let state = State::open(&path).unwrap();
        for max_items in [1, 3, 5] {
            let (with, _) = ids(&state, max_items, true);
            assert_eq!(
                with,
                ids(&state, max_items, false).0,
                "max_items {max_items}"
            );
            assert!(!with[0].contains(&"a-0".to_string()));
            let kept: usize = with.iter().map(Vec::len).sum();
            assert_eq!(kept, max_items * CANDIDATES_PER_ITEM);
        }
    }

    #[test]
    fn a_sources_digest_follows_its_selectors_and_settings() {
        let base = digest_of(&html_source("h2", "\"a\""));
        assert_eq!(base, digest_of(&html_source("h2", "\"a\"")));
        assert_ne!(base, digest_of(&html_source("h3", "\"a\"")), "a selector");
        assert_ne!(base, digest_of(&html_source("h2", "\"b\"")), "a setting");
    }
}
