//! From text to [`Config`]: TOML syntax, then serde's shape check (unknown keys, types), then
//! every value and cross-reference, each failure turned into one [`ConfigError::Invalid`] at
//! the offending value's line:col.

use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::time::Duration;

use serde::Deserialize as _;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::duration::{parse_duration, parse_size};
use super::filter::{Filter, parse_filter};
use super::locate::{LineIndex, did_you_mean, key_path_at, key_path_near};
use super::raw::{RawConfig, RawFeed, RawSettings, RawSource};
use super::{
    Config, ConfigError, FeedConfig, Format, Location, Settings, SourceConfig, SourceKind,
};

/// Ids that would collide with the other files in out/.
pub const RESERVED_FEED_IDS: [&str; 3] = ["index", "sources", "status"];

const DEFAULT_INTERVAL: Duration = Duration::from_secs(3600);
const DEFAULT_MAX_ITEMS: usize = 100;
const MAX_CONCURRENCY: i64 = 1024;
const MAX_RETRIES: i64 = 20;
const MAX_PAGES: i64 = 1000;
const MAX_ITEMS: i64 = 100_000;

/// The default `User-Agent`.
pub fn default_user_agent() -> String {
    format!(
        "feedwright/{} (+https://github.com/feedwright/feedwright)",
        env!("CARGO_PKG_VERSION")
    )
}

/// Where errors point and paths resolve.
struct Ctx<'a> {
    text: &'a str,
    lines: LineIndex,
    path: &'a Path,
    dir: PathBuf,
}

type Result<T> = std::result::Result<T, ConfigError>;

impl Ctx<'_> {
    fn err(
        &self,
        span: Range<usize>,
        key: impl Into<String>,
        message: impl Into<String>,
    ) -> ConfigError {
        let (line, col) = self.lines.line_col(self.text, span.start);
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line,
            col,
            key: key.into(),
            message: message.into(),
        }
    }

    fn line(&self, span: &Range<usize>) -> usize {
        self.lines.line_col(self.text, span.start).0
    }

    /// `value` resolved against the config folder; an empty path is an error.
    fn resolve(&self, value: &Spanned<String>, key: &str) -> Result<PathBuf> {
        if value.get_ref().trim().is_empty() {
            return Err(self.err(value.span(), key, "empty path: write a file or folder name"));
        }
        Ok(clean_path(&self.dir.join(value.get_ref())))
    }

    fn duration(&self, value: &Spanned<String>, key: &str) -> Result<Duration> {
        parse_duration(value.get_ref()).map_err(|m| self.err(value.span(), key, m))
    }

    fn positive_duration(&self, value: &Spanned<String>, key: &str) -> Result<Duration> {
        let duration = self.duration(value, key)?;
        if duration.is_zero() {
            return Err(self.err(value.span(), key, "must be longer than 0s, e.g. \"30s\""));
        }
        Ok(duration)
    }

    fn size(&self, value: &Spanned<toml::Value>, key: &str) -> Result<u64> {
        let bytes = match value.get_ref() {
            toml::Value::String(s) => parse_size(s).map_err(|m| self.err(value.span(), key, m))?,
            toml::Value::Integer(n) => u64::try_from(*n).map_err(|_| {
                self.err(
                    value.span(),
                    key,
                    "a size cannot be negative, e.g. \"10MiB\"",
                )
            })?,
            other => {
                return Err(self.err(
                    value.span(),
                    key,
                    format!(
                        "expected a size such as \"10MiB\" or a number of bytes, found {}",
                        other.type_str()
                    ),
                ));
            }
        };
        if bytes == 0 {
            return Err(self.err(
                value.span(),
                key,
                "must be more than 0 bytes, e.g. \"10MiB\"",
            ));
        }
        Ok(bytes)
    }

    fn int_in(&self, value: &Spanned<i64>, key: &str, range: Range<i64>) -> Result<i64> {
        let n = *value.get_ref();
        if range.contains(&n) {
            Ok(n)
        } else {
            Err(self.err(
                value.span(),
                key,
                format!(
                    "must be between {} and {}, found {n}",
                    range.start,
                    range.end - 1
                ),
            ))
        }
    }

    /// An optional key read with `check` (one of the methods above): `None` when it is absent.
    /// The key's name is only built when the value is there.
    fn opt<V, T>(
        &self,
        value: &Option<Spanned<V>>,
        key: impl KeyName,
        check: impl Fn(&Self, &Spanned<V>, &str) -> Result<T>,
    ) -> Result<Option<T>> {
        value
            .as_ref()
            .map(|v| check(self, v, &key.name()))
            .transpose()
    }

    /// An optional integer key within `range` ([`Ctx::int_in`]), as the integer type the
    /// config holds (the range keeps it within that type).
    fn opt_int<T: TryFrom<i64>>(
        &self,
        value: &Option<Spanned<i64>>,
        key: impl KeyName,
        range: Range<i64>,
    ) -> Result<Option<T>> {
        let n = self.opt(value, key, |ctx, v, key| ctx.int_in(v, key, range.clone()))?;
        Ok(n.and_then(|n| T::try_from(n).ok()))
    }

    /// A file the state keeps (`key`, set by `own` or by default) must not lie inside
    /// `out_dir`, which holds only published files. The error points at `own`, else at
    /// `out_dir_value`.
    fn outside_out_dir(
        &self,
        file: &Path,
        own: Option<&Spanned<String>>,
        out_dir: &Path,
        out_dir_value: Option<&Spanned<String>>,
        key: &str,
        what: &str,
    ) -> Result<()> {
        if !file.starts_with(out_dir) {
            return Ok(());
        }
        let at = own.or(out_dir_value).map_or(0..0, Spanned::span);
        Err(self.err(
            at,
            key,
            format!(
                "the {what} {} is inside out_dir {}: keep it outside, out/ holds only published files",
                file.display(),
                out_dir.display()
            ),
        ))
    }

    fn http_url(&self, value: &Spanned<String>, key: &str) -> Result<url::Url> {
        let text = value.get_ref().trim();
        let url = url::Url::parse(text).map_err(|e| {
            self.err(
                value.span(),
                key,
                format!("`{text}` is not a valid URL ({e}): write a full URL such as \"https://example.com/feed.xml\""),
            )
        })?;
        match url.scheme() {
            "http" | "https" => Ok(url),
            "file" if key.starts_with("source[") => Err(self.err(
                value.span(),
                key,
                "file: URLs are not fetched: use `path = \"…\"` for a local file",
            )),
            scheme => Err(self.err(
                value.span(),
                key,
                format!("unsupported URL scheme `{scheme}`: only http and https URLs are allowed"),
            )),
        }
    }

    fn user_agent(&self, value: &Spanned<String>, key: &str) -> Result<String> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Err(self.err(
                value.span(),
                key,
                "empty user agent: remove the key to use the default",
            ));
        }
        if text.chars().any(char::is_control) {
            return Err(self.err(
                value.span(),
                key,
                "the user agent may not contain control characters",
            ));
        }
        Ok(text.to_owned())
    }
}

/// Lexically tidy a path: drop `.` and fold `dir/..`, keeping a leading `..`.
fn clean_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                let last_is_normal =
                    matches!(out.components().next_back(), Some(Component::Normal(_)));
                if last_is_normal {
                    out.pop();
                } else if !out.has_root() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// Parse and validate config text. See [`super::parse`].
pub fn build(text: &str, path: &Path) -> Result<Config> {
    let ctx = Ctx {
        text,
        lines: LineIndex::new(text),
        path,
        // Absolute, so sources and outputs do not depend on the working directory later.
        dir: {
            let parent = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            std::path::absolute(parent).unwrap_or_else(|_| parent.to_path_buf())
        },
    };

    // Parsed once: the typed config is deserialised from this tree. Errors that need key
    // paths or value positions parse the text again (only then: a valid config never pays
    // for a second tree).
    let parsed = match DeTable::parse(text) {
        Ok(tree) => tree,
        Err(e) => return Err(syntax_error(&ctx, &e)),
    };
    let raw = RawConfig::deserialize(toml::de::Deserializer::from(parsed))
        .map_err(|e| shape_error(&ctx, &e))?;

    let raw_settings = raw.settings.map(Spanned::into_inner).unwrap_or_default();
    let settings = build_settings(&ctx, raw_settings)?;

    let mut sources = Vec::with_capacity(raw.source.len());
    let mut source_lines: HashMap<String, usize> = HashMap::new();
    // Sources often share one selector table (sites on the same CMS): each distinct table is
    // compiled once, and its sources share the result.
    let mut compiled: HashMap<String, std::sync::Arc<super::Selectors>> = HashMap::new();
    for (i, entry) in raw.source.into_iter().enumerate() {
        let key = format!("source[{}]", i + 1);
        let span = entry.span();
        let header = ctx.lines.line_col(text, span.start);
        let (mut source, id_span) = build_source(&ctx, &key, entry.into_inner(), span)?;
        if let Some(first) = source_lines.get(&source.id) {
            return Err(ctx.err(
                id_span,
                format!("{key}.id"),
                format!(
                    "duplicate source id `{}` (first used on line {first}): give each source its own id",
                    source.id
                ),
            ));
        }
        source_lines.insert(source.id.clone(), source.line);
        let positions = || match DeTable::parse(text) {
            Ok(tree) => selector_positions(text, &ctx.lines, tree.get_ref(), i),
            Err(_) => BTreeMap::new(),
        };
        let shared = source
            .selectors
            .as_deref()
            .and_then(super::selectors::table_key);
        source.css_selectors = match shared.as_ref().and_then(|k| compiled.get(k)) {
            Some(same) => Some(same.clone()),
            None => {
                let built = super::selectors::selectors_of(
                    &source,
                    &super::selectors::Where {
                        path,
                        key: &key,
                        fallback: header,
                        positions: &positions,
                    },
                )?
                .map(std::sync::Arc::new);
                if let (Some(k), Some(built)) = (shared, &built) {
                    compiled.insert(k, built.clone());
                }
                built
            }
        };
        sources.push(source);
    }

    let source_ids: Vec<&str> = sources.iter().map(|s| s.id.as_str()).collect();
    let mut feeds = Vec::with_capacity(raw.feed.len());
    let mut feed_lines: HashMap<String, usize> = HashMap::new();
    for (i, entry) in raw.feed.into_iter().enumerate() {
        let key = format!("feed[{}]", i + 1);
        let span = entry.span();
        let (feed, id_span) =
            build_feed(&ctx, &key, entry.into_inner(), span, &settings, &source_ids)?;
        if let Some(first) = feed_lines.get(&feed.id) {
            return Err(ctx.err(
                id_span,
                format!("{key}.id"),
                format!(
                    "duplicate feed id `{}` (first used on line {first}): give each feed its own id",
                    feed.id
                ),
            ));
        }
        feed_lines.insert(feed.id.clone(), ctx.line(&id_span));
        feeds.push(feed);
    }

    Ok(Config {
        path: path.to_path_buf(),
        settings,
        sources,
        feeds,
        digest: digest_of(text, path),
    })
}

/// SHA-256 of the path and the text, hex (see [`Config::digest`]).
fn digest_of(text: &str, path: &Path) -> String {
    use sha2::{Digest as _, Sha256};
    let mut hash = Sha256::new();
    hash.update(path.as_os_str().as_encoded_bytes());
    hash.update([0]);
    hash.update(text.as_bytes());
    hash.finalize()
        .iter()
        .fold(String::with_capacity(64), |mut out, b| {
            use std::fmt::Write as _;
            let _ = write!(out, "{b:02x}");
            out
        })
}

fn syntax_error(ctx: &Ctx<'_>, e: &toml::de::Error) -> ConfigError {
    let span = e.span().unwrap_or(0..0);
    let (partial, _) = DeTable::parse_recoverable(ctx.text);
    let near = key_path_near(partial.get_ref(), span.start);
    match e.message() {
        "duplicate key" => {
            let name = ctx.text.get(span.clone()).unwrap_or_default().trim();
            let name = name.trim_matches(['"', '\'']);
            // The duplicate is not in the tree: name it beside its nearest neighbour.
            let key = match near.as_deref().and_then(|p| p.rsplit_once('.')) {
                Some((parent, _)) => format!("{parent}.{name}"),
                None => name.to_owned(),
            };
            let line_start = ctx
                .text
                .get(..span.start)
                .and_then(|t| t.rfind('\n'))
                .map_or(0, |i| i + 1);
            let in_header = ctx
                .text
                .get(line_start..)
                .is_some_and(|l| l.trim_start().starts_with('['));
            let message = if in_header {
                format!("table `[{name}]` appears twice: merge the two into one")
            } else {
                format!("duplicate key `{name}`: each key may appear once per table")
            };
            ctx.err(span, key, message)
        }
        m => {
            let key = near.unwrap_or_else(|| "(toml)".to_owned());
            ctx.err(span, key, format!("TOML syntax: {m}"))
        }
    }
}

/// serde's errors: unknown keys and wrong types, rephrased.
fn shape_error(ctx: &Ctx<'_>, e: &toml::de::Error) -> ConfigError {
    let span = e.span().unwrap_or(0..0);
    // The text parsed before serde saw it, so this parse succeeds (the fallback is only for
    // form's sake).
    let (tree, _) = DeTable::parse_recoverable(ctx.text);
    let key = key_path_at(tree.get_ref(), span.start).unwrap_or_else(|| "(toml)".to_owned());
    let message = e.message();
    let text = if let Some(rest) = message.strip_prefix("unknown field ") {
        unknown_key_message(rest)
    } else if (key == "source" || key == "feed") && message.contains("expected a sequence") {
        format!(
            "write `[[{key}]]` with double brackets: each {key} is one entry of an array of tables"
        )
    } else if let Some(rest) = message.strip_prefix("invalid type: ") {
        wrong_type_message(rest, &key)
    } else {
        message.to_owned()
    };
    ctx.err(span, key, text)
}

/// `rest` is serde's "`name`, expected one of `a`, `b`" (or "expected `a` or `b`",
/// "there are no fields").
fn unknown_key_message(rest: &str) -> String {
    let quoted: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    let Some((name, valid)) = quoted.split_first() else {
        return format!("unknown key {rest}");
    };
    let hint = did_you_mean(name, valid);
    if hint.is_empty() {
        format!(
            "unknown key `{name}`; valid keys here: {}",
            valid.join(", ")
        )
    } else {
        format!("unknown key `{name}`{hint}")
    }
}

/// `rest` is serde's "integer `5`, expected a string".
fn wrong_type_message(rest: &str, key: &str) -> String {
    let (found, expected) = rest
        .split_once(", expected ")
        .unwrap_or((rest, "another type"));
    let expected = match expected {
        "i64" | "u64" | "u32" | "usize" => "an integer",
        "a sequence" => "an array",
        "a map" => "a table",
        e if e.starts_with("struct ") => "a table",
        e => e,
    };
    let field = key.rsplit('.').next().unwrap_or(key);
    let hint = match field {
        "timeout" | "connect_timeout" | "host_delay" | "interval" | "max_age"
        | "shutdown_grace" => "; write durations as strings with a unit, e.g. \"30s\"",
        _ => "",
    };
    format!("expected {expected}, found {found}{hint}")
}

fn build_settings(ctx: &Ctx<'_>, raw: RawSettings) -> Result<Settings> {
    let out_dir = ctx
        .opt(&raw.out_dir, "settings.out_dir", Ctx::resolve)?
        .unwrap_or_else(|| clean_path(&ctx.dir.join("out")));
    let state = ctx
        .opt(&raw.state, "settings.state", Ctx::resolve)?
        .unwrap_or_else(|| clean_path(&ctx.dir.join("feedwright.db")));
    ctx.outside_out_dir(
        &state,
        raw.state.as_ref(),
        &out_dir,
        raw.out_dir.as_ref(),
        "settings.state",
        "state file",
    )?;
    let status_file = ctx
        .opt(&raw.status_file, "settings.status_file", Ctx::resolve)?
        .unwrap_or_else(|| {
            state
                .parent()
                .map_or_else(|| PathBuf::from("status.json"), |p| p.join("status.json"))
        });
    ctx.outside_out_dir(
        &status_file,
        raw.status_file.as_ref(),
        &out_dir,
        raw.out_dir.as_ref(),
        "settings.status_file",
        "status file",
    )?;
    let base_url = match &raw.base_url {
        Some(v) => {
            let mut url = ctx.http_url(v, "settings.base_url")?;
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            Some(url)
        }
        None => None,
    };
    let websub_hub = match &raw.websub_hub {
        Some(v) => {
            let hub = ctx.http_url(v, "settings.websub_hub")?;
            if base_url.is_none() {
                // The hub is told which public URL changed (the self link): without base_url
                // there is none, so every ping would be impossible. Said once, here, not on
                // every run.
                return Err(ctx.err(
                    v.span(),
                    "settings.websub_hub",
                    "websub_hub needs settings.base_url: the hub is told the public URL of each changed feed (<base_url><feed>.<ext>)",
                ));
            }
            Some(hub)
        }
        None => None,
    };
    let user_agent = ctx
        .opt(&raw.user_agent, "settings.user_agent", Ctx::user_agent)?
        .unwrap_or_else(default_user_agent);
    let timeout = ctx
        .opt(&raw.timeout, "settings.timeout", Ctx::positive_duration)?
        .unwrap_or(Duration::from_secs(30));
    let connect_timeout = ctx
        .opt(
            &raw.connect_timeout,
            "settings.connect_timeout",
            Ctx::positive_duration,
        )?
        .unwrap_or(Duration::from_secs(10));
    let host_delay = ctx
        .opt(&raw.host_delay, "settings.host_delay", Ctx::duration)?
        .unwrap_or(Duration::from_secs(1));
    let concurrency = ctx
        .opt_int(
            &raw.concurrency,
            "settings.concurrency",
            1..MAX_CONCURRENCY + 1,
        )?
        .unwrap_or(8);
    let max_body_size = ctx
        .opt(&raw.max_body_size, "settings.max_body_size", Ctx::size)?
        .unwrap_or(10 << 20);
    let shutdown_grace = ctx
        .opt(
            &raw.shutdown_grace,
            "settings.shutdown_grace",
            Ctx::duration,
        )?
        .unwrap_or(Duration::from_secs(5));
    let retries = ctx
        .opt_int(&raw.retries, "settings.retries", 0..MAX_RETRIES + 1)?
        .unwrap_or(2);
    Ok(Settings {
        out_dir,
        state,
        base_url,
        user_agent,
        timeout,
        connect_timeout,
        concurrency,
        host_delay,
        max_body_size,
        retries,
        respect_robots: raw.respect_robots.is_none_or(Spanned::into_inner),
        per_source_feeds: raw.per_source_feeds.is_some_and(Spanned::into_inner),
        websub_hub,
        status_file,
        shutdown_grace,
    })
}

/// The `id` of a `[[source]]` or `[[feed]]`: present (else `missing` at the table's `span`)
/// and made only of `a-z`, `0-9`, `_` and `-`.
fn required_id<'r>(
    ctx: &Ctx<'_>,
    value: Option<&'r Spanned<String>>,
    span: Range<usize>,
    key: &str,
    missing: &str,
) -> Result<(&'r Spanned<String>, String)> {
    let Some(id_value) = value else {
        return Err(ctx.err(span, key.to_string(), missing));
    };
    let id = id_value.get_ref().clone();
    if !is_valid_id(&id) {
        return Err(ctx.err(
            id_value.span(),
            key.to_string(),
            format!("invalid id `{id}`: use only a-z, 0-9, `_` and `-`"),
        ));
    }
    Ok((id_value, id))
}

fn build_source(
    ctx: &Ctx<'_>,
    key: &str,
    raw: RawSource,
    span: Range<usize>,
) -> Result<(SourceConfig, Range<usize>)> {
    let k = |field: &str| format!("{key}.{field}");
    let (id_value, id) = required_id(
        ctx,
        raw.id.as_ref(),
        span.clone(),
        &k("id"),
        "missing `id`: give each source a unique id such as id = \"my-blog\"",
    )?;
    let line = ctx.line(&id_value.span());

    let location = match (&raw.url, &raw.path) {
        (Some(url), Some(path)) => {
            let later = if path.span().start > url.span().start {
                path.span()
            } else {
                url.span()
            };
            let field = if later == path.span() { "path" } else { "url" };
            return Err(ctx.err(
                later,
                k(field),
                format!("source `{id}` sets both `url` and `path`: keep one"),
            ));
        }
        (None, None) => {
            return Err(ctx.err(
                span,
                k("url"),
                format!("source `{id}` has neither `url` nor `path`: set `url = \"https://…\"` (or `path` for a local file)"),
            ));
        }
        (Some(url), None) => Location::Url(ctx.http_url(url, &k("url"))?),
        (None, Some(path)) => Location::Path(ctx.resolve(path, &k("path"))?),
    };

    let kind = match &raw.kind {
        None => SourceKind::Auto,
        Some(v) => match v.get_ref().as_str() {
            "auto" => SourceKind::Auto,
            "feed" => SourceKind::Feed,
            "html" => SourceKind::Html,
            other => {
                let hint = did_you_mean(other, &["auto", "feed", "html"]);
                return Err(ctx.err(
                    v.span(),
                    k("kind"),
                    format!("unknown kind `{other}`{hint} (kinds: auto, feed, html)"),
                ));
            }
        },
    };

    let mut tags = Vec::new();
    for (j, tag) in raw.tags.iter().flatten().enumerate() {
        let text = tag.get_ref().trim();
        if text.is_empty() {
            return Err(ctx.err(tag.span(), format!("{key}.tags[{}]", j + 1), "empty tag"));
        }
        if !tags.iter().any(|t| t == text) {
            tags.push(text.to_owned());
        }
    }

    if let (Some(interval), Some(schedule)) = (&raw.interval, &raw.schedule) {
        let (later, field) = if schedule.span().start > interval.span().start {
            (schedule.span(), "schedule")
        } else {
            (interval.span(), "interval")
        };
        return Err(ctx.err(
            later,
            k(field),
            format!("source `{id}` sets both `interval` and `schedule`: keep one"),
        ));
    }
    let interval = ctx
        .opt(&raw.interval, Field(key, "interval"), Ctx::duration)?
        .unwrap_or(DEFAULT_INTERVAL);
    let schedule = match &raw.schedule {
        Some(v) => {
            check_schedule(v.get_ref()).map_err(|m| ctx.err(v.span(), k("schedule"), m))?;
            Some(v.get_ref().trim().to_owned())
        }
        None => None,
    };

    let mut headers = BTreeMap::new();
    for (name, value) in raw.headers.iter().flatten() {
        let hk = format!("{key}.headers.{}", name.get_ref());
        check_header(name.get_ref(), value.get_ref()).map_err(|(on_name, m)| {
            ctx.err(
                if on_name { name.span() } else { value.span() },
                hk.clone(),
                m,
            )
        })?;
        headers.insert(name.get_ref().clone(), value.get_ref().clone());
    }

    let optional_text = |v: &Option<Spanned<String>>,
                         field: &str,
                         check: fn(&str) -> std::result::Result<(), String>|
     -> Result<Option<String>> {
        match v {
            None => Ok(None),
            Some(v) => {
                check(v.get_ref()).map_err(|m| ctx.err(v.span(), k(field), m))?;
                Ok(Some(v.get_ref().clone()))
            }
        }
    };

    let include_filters = compile_filters(ctx, &raw.include, Field(key, "include"))?;
    let exclude_filters = compile_filters(ctx, &raw.exclude, Field(key, "exclude"))?;

    let id_span = id_value.span();
    let source = SourceConfig {
        location,
        kind,
        title: raw.title.map(Spanned::into_inner),
        tags,
        enabled: raw.enabled.is_none_or(Spanned::into_inner),
        interval,
        schedule,
        user_agent: ctx.opt(&raw.user_agent, Field(key, "user_agent"), Ctx::user_agent)?,
        timeout: ctx.opt(&raw.timeout, Field(key, "timeout"), Ctx::positive_duration)?,
        connect_timeout: ctx.opt(
            &raw.connect_timeout,
            Field(key, "connect_timeout"),
            Ctx::positive_duration,
        )?,
        host_delay: ctx.opt(&raw.host_delay, Field(key, "host_delay"), Ctx::duration)?,
        max_body_size: ctx.opt(&raw.max_body_size, Field(key, "max_body_size"), Ctx::size)?,
        retries: ctx.opt_int(&raw.retries, Field(key, "retries"), 0..MAX_RETRIES + 1)?,
        respect_robots: raw.respect_robots.map(Spanned::into_inner),
        headers,
        fulltext: raw.fulltext.map(Spanned::into_inner),
        prefer_feed: raw.prefer_feed.map(Spanned::into_inner),
        timezone: optional_text(&raw.timezone, "timezone", check_timezone)?,
        language: optional_text(&raw.language, "language", check_language)?,
        day_first: raw.day_first.map(Spanned::into_inner),
        date_format: optional_text(&raw.date_format, "date_format", check_date_format)?,
        max_pages: ctx.opt_int(&raw.max_pages, Field(key, "max_pages"), 1..MAX_PAGES + 1)?,
        max_items: ctx.opt_int(&raw.max_items, Field(key, "max_items"), 1..MAX_ITEMS + 1)?,
        max_age: ctx.opt(&raw.max_age, Field(key, "max_age"), Ctx::positive_duration)?,
        include_filters,
        exclude_filters,
        selectors: raw.selectors.map(|t| std::sync::Arc::new(t.into_inner())),
        css_selectors: None,
        id,
        line,
    };
    Ok((source, id_span))
}

/// Compile a source's `include`/`exclude` list; a bad pattern is an error at its value, keyed
/// `source[N].include[M]`.
fn compile_filters(
    ctx: &Ctx<'_>,
    list: &Option<Vec<Spanned<String>>>,
    key: impl KeyName,
) -> Result<Vec<Filter>> {
    list.iter()
        .flatten()
        .enumerate()
        .map(|(j, pattern)| {
            parse_filter(pattern.get_ref())
                .map_err(|m| ctx.err(pattern.span(), format!("{}[{}]", key.name(), j + 1), m))
        })
        .collect()
}

/// A key's full name for messages, built only when one is needed: most optional keys of most
/// sources are absent, and formatting `source[N].field` for each was a tenth of loading a
/// large config.
trait KeyName {
    fn name(&self) -> std::borrow::Cow<'_, str>;
}

impl KeyName for &str {
    fn name(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self)
    }
}

/// `parent.field`, e.g. `source[3]` and `timeout`.
#[derive(Clone, Copy)]
struct Field<'a>(&'a str, &'a str);

impl KeyName for Field<'_> {
    fn name(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(format!("{}.{}", self.0, self.1))
    }
}

/// A light check of a cron expression (the scheduler parses it fully): a known `@` macro, or
/// 5 to 7 fields of cron characters.
fn check_schedule(text: &str) -> std::result::Result<(), String> {
    let text = text.trim();
    const MACROS: [&str; 7] = [
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
    ];
    if text.starts_with('@') {
        return if MACROS.contains(&text) {
            Ok(())
        } else {
            Err(format!(
                "unknown schedule `{text}`{}: use a cron expression like \"0 */2 * * *\" or one of {}",
                did_you_mean(text, &MACROS),
                MACROS.join(", ")
            ))
        };
    }
    let fields: Vec<&str> = text.split_whitespace().collect();
    let cron_chars = |f: &&str| {
        f.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '*' | '/' | ',' | '-' | '?' | '#'))
    };
    if (5..=7).contains(&fields.len()) && fields.iter().all(cron_chars) {
        // The scheduler's own parser has the last word (ranges, steps, names).
        crate::schedule::parse_schedule(text).map(|_| ())
    } else {
        Err(format!(
            "`{text}` is not a cron expression: write 5 fields (minute hour day month weekday), e.g. \"0 */2 * * *\""
        ))
    }
}

/// Header names are HTTP tokens; values may not hold control characters other than tab.
/// The error says whether the name (true) or the value (false) is wrong.
fn check_header(name: &str, value: &str) -> std::result::Result<(), (bool, String)> {
    let token = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    if name.is_empty() || !name.bytes().all(token) {
        return Err((
            true,
            format!("`{name}` is not a valid header name: use letters, digits and `-`"),
        ));
    }
    if value.chars().any(|c| c.is_control() && c != '\t') {
        return Err((
            false,
            format!(
                "the value of header `{name}` may not contain control characters or line breaks"
            ),
        ));
    }
    Ok(())
}

/// An IANA zone name (`Europe/Berlin`, `UTC`) or a fixed offset (`+02:00`).
fn check_timezone(text: &str) -> std::result::Result<(), String> {
    let offset = |t: &str| {
        let Some(rest) = t.strip_prefix(['+', '-']) else {
            return false;
        };
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()) && rest.len() <= 5
    };
    let name_part = |p: &str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
    };
    let named = text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && text.split('/').all(name_part);
    if offset(text) || named {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is not a time zone: write an IANA name such as \"Europe/Berlin\" or an offset such as \"+02:00\""
        ))
    }
}

/// A BCP 47 language tag, loosely: `en`, `de-AT`, `zh-Hant-TW`.
fn check_language(text: &str) -> std::result::Result<(), String> {
    let mut parts = text.split(['-', '_']);
    let primary = parts.next().unwrap_or_default();
    let primary_ok =
        (2..=3).contains(&primary.len()) && primary.chars().all(|c| c.is_ascii_alphabetic());
    let rest_ok =
        parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()));
    if primary_ok && rest_ok {
        Ok(())
    } else {
        Err(format!(
            "`{text}` is not a language tag: write e.g. \"en\", \"de\" or \"pt-BR\""
        ))
    }
}

/// A chrono `strftime` format.
fn check_date_format(text: &str) -> std::result::Result<(), String> {
    use chrono::format::{Item, StrftimeItems};
    if text.trim().is_empty() {
        return Err("empty date format: write e.g. \"%d.%m.%Y\"".to_owned());
    }
    if StrftimeItems::new(text).any(|item| matches!(item, Item::Error)) {
        return Err(format!(
            "`{text}` is not a valid strftime format: write e.g. \"%d.%m.%Y %H:%M\""
        ));
    }
    Ok(())
}

fn build_feed(
    ctx: &Ctx<'_>,
    key: &str,
    raw: RawFeed,
    span: Range<usize>,
    settings: &Settings,
    source_ids: &[&str],
) -> Result<(FeedConfig, Range<usize>)> {
    let k = |field: &str| format!("{key}.{field}");
    let (id_value, id) = required_id(
        ctx,
        raw.id.as_ref(),
        span.clone(),
        &k("id"),
        "missing `id`: give each feed a unique id such as id = \"news\" (it names the files in out/)",
    )?;
    if RESERVED_FEED_IDS.contains(&id.as_str()) {
        return Err(ctx.err(
            id_value.span(),
            k("id"),
            format!("feed id `{id}` is reserved (index, sources and status name other files in out/): pick another"),
        ));
    }

    let link = match (&raw.link, &settings.base_url) {
        (Some(v), _) => ctx.http_url(v, &k("link"))?,
        (None, Some(base)) => base.clone(),
        (None, None) => {
            return Err(ctx.err(
                span,
                k("link"),
                format!("feed `{id}` has no link: set feed.link or settings.base_url"),
            ));
        }
    };

    let mut sources: Vec<String> = Vec::new();
    for (j, name) in raw.sources.iter().flatten().enumerate() {
        let text = name.get_ref();
        if !source_ids.contains(&text.as_str()) {
            return Err(ctx.err(
                name.span(),
                format!("{key}.sources[{}]", j + 1),
                format!(
                    "feed `{id}` names unknown source `{text}`{}",
                    did_you_mean(text, source_ids)
                ),
            ));
        }
        if !sources.contains(text) {
            sources.push(text.clone());
        }
    }

    let mut tags: Vec<String> = Vec::new();
    for (j, tag) in raw.tags.iter().flatten().enumerate() {
        let text = tag.get_ref().trim();
        if text.is_empty() {
            return Err(ctx.err(tag.span(), format!("{key}.tags[{}]", j + 1), "empty tag"));
        }
        if !tags.iter().any(|t| t == text) {
            tags.push(text.to_owned());
        }
    }

    let max_items = ctx
        .opt_int(&raw.max_items, Field(key, "max_items"), 1..MAX_ITEMS + 1)?
        .unwrap_or(DEFAULT_MAX_ITEMS);

    let formats = match &raw.formats {
        None => vec![Format::Rss, Format::Atom, Format::Json],
        Some(list) => {
            let mut formats = Vec::new();
            for (j, f) in list.iter().enumerate() {
                let format = match f.get_ref().as_str() {
                    "rss" => Format::Rss,
                    "atom" => Format::Atom,
                    "json" => Format::Json,
                    other => {
                        return Err(ctx.err(
                            f.span(),
                            format!("{key}.formats[{}]", j + 1),
                            format!(
                                "unknown format `{other}`{} (formats: rss, atom, json)",
                                did_you_mean(other, &["rss", "atom", "json"])
                            ),
                        ));
                    }
                };
                formats.push(format);
            }
            if formats.is_empty() {
                return Err(ctx.err(
                    span,
                    k("formats"),
                    "`formats` is empty: list at least one of \"rss\", \"atom\", \"json\", or remove the key for all three",
                ));
            }
            formats.sort();
            formats.dedup();
            formats
        }
    };

    let filters =
        |list: &Option<Vec<Spanned<String>>>, field: &str| -> Result<(Vec<String>, Vec<Filter>)> {
            let mut raw_patterns = Vec::new();
            let mut compiled = Vec::new();
            for (j, pattern) in list.iter().flatten().enumerate() {
                let filter = parse_filter(pattern.get_ref())
                    .map_err(|m| ctx.err(pattern.span(), format!("{key}.{field}[{}]", j + 1), m))?;
                raw_patterns.push(pattern.get_ref().clone());
                compiled.push(filter);
            }
            Ok((raw_patterns, compiled))
        };
    let (include, include_filters) = filters(&raw.include, "include")?;
    let (exclude, exclude_filters) = filters(&raw.exclude, "exclude")?;

    let max_age = ctx.opt(&raw.max_age, Field(key, "max_age"), Ctx::positive_duration)?;
    let min_date = match &raw.min_date {
        Some(v) => {
            Some(parse_min_date(v.get_ref()).map_err(|m| ctx.err(v.span(), k("min_date"), m))?)
        }
        None => None,
    };

    let id_span = id_value.span();
    Ok((
        FeedConfig {
            title: raw.title.map_or_else(|| id.clone(), Spanned::into_inner),
            description: raw.description.map(Spanned::into_inner),
            link,
            sources,
            tags,
            max_items,
            formats,
            include,
            exclude,
            include_filters,
            exclude_filters,
            max_age,
            min_date,
            id,
        },
        id_span,
    ))
}

const MIN_DATE_HINT: &str =
    "write an RFC 3339 time such as \"2024-05-01T00:00:00Z\" or a date such as \"2024-05-01\"";

/// RFC 3339 or `YYYY-MM-DD` (00:00 UTC), as a string or a TOML offset datetime / local date.
fn parse_min_date(
    value: &toml::Value,
) -> std::result::Result<chrono::DateTime<chrono::Utc>, String> {
    use chrono::{FixedOffset, NaiveDate, TimeZone, Utc};
    match value {
        toml::Value::String(s) => {
            let s = s.trim();
            if let Ok(t) = chrono::DateTime::parse_from_rfc3339(s) {
                return Ok(t.with_timezone(&Utc));
            }
            NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| Utc.from_utc_datetime(&t))
                .ok_or_else(|| format!("`{s}` is not a date: {MIN_DATE_HINT}"))
        }
        toml::Value::Datetime(dt) => {
            let bad = || format!("`{dt}` is not a usable date: {MIN_DATE_HINT}");
            let date = dt.date.as_ref().ok_or_else(bad)?;
            let day = NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
            .ok_or_else(bad)?;
            let naive = match (&dt.time, &dt.offset) {
                (None, None) => day.and_hms_opt(0, 0, 0).ok_or_else(bad)?,
                (Some(time), Some(_)) => day
                    .and_hms_nano_opt(
                        u32::from(time.hour),
                        u32::from(time.minute),
                        u32::from(time.second.unwrap_or(0)),
                        time.nanosecond.unwrap_or(0),
                    )
                    .ok_or_else(bad)?,
                _ => {
                    return Err(format!(
                        "`{dt}` has a time but no offset: add one (e.g. `Z`), or {MIN_DATE_HINT}"
                    ));
                }
            };
            let minutes = match dt.offset {
                Some(toml::value::Offset::Custom { minutes }) => i32::from(minutes),
                _ => 0,
            };
            let offset = FixedOffset::east_opt(minutes * 60).ok_or_else(bad)?;
            offset
                .from_local_datetime(&naive)
                .single()
                .map(|t| t.with_timezone(&Utc))
                .ok_or_else(bad)
        }
        other => Err(format!(
            "expected a date, found {}: {MIN_DATE_HINT}",
            other.type_str()
        )),
    }
}

/// For each value under `source[index].selectors`, its dotted path relative to the selectors
/// table (1-based array indices) and 1-based line:col, for the selector validator's messages.
fn selector_positions(
    text: &str,
    lines: &LineIndex,
    tree: &DeTable<'_>,
    index: usize,
) -> BTreeMap<String, (usize, usize)> {
    let mut out = BTreeMap::new();
    let selectors = tree
        .get("source")
        .and_then(|s| s.get_ref().as_array())
        .and_then(|a| a.get(index))
        .and_then(|s| s.get_ref().as_table())
        .and_then(|t| t.get("selectors"));
    if let Some(selectors) = selectors {
        collect_positions(text, lines, selectors, "", &mut out);
    }
    out
}

fn collect_positions(
    text: &str,
    lines: &LineIndex,
    value: &Spanned<DeValue<'_>>,
    path: &str,
    out: &mut BTreeMap<String, (usize, usize)>,
) {
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, child) in table.iter() {
                let child_path = if path.is_empty() {
                    key.get_ref().to_string()
                } else {
                    format!("{path}.{}", key.get_ref())
                };
                collect_positions(text, lines, child, &child_path, out);
            }
        }
        DeValue::Array(array) => {
            out.insert(path.to_owned(), lines.line_col(text, value.span().start));
            for (i, child) in array.iter().enumerate() {
                collect_positions(text, lines, child, &format!("{path}[{}]", i + 1), out);
            }
        }
        _ => {
            out.insert(path.to_owned(), lines.line_col(text, value.span().start));
        }
    }
}
