//! Reading existing feeds (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1) with feed-rs,
//! after repairing what real feeds get wrong (encodings, undeclared entities, stray bytes, bare
//! ampersands), and mapping every entry into the item model. The items come out *raw*: fields as
//! the feed stated them with URLs made absolute; `normalise` cleans text, sanitises HTML,
//! canonicalises links and assigns ids. JSON Feed is read here directly (feed-rs rejects numeric
//! ids and attachments without a type, and drops `image` and `language`). Plain RSS 2.0 is read
//! by `source::fast` instead, which gives the same result without the repair pass and feed-rs;
//! [`read_feed_full`] is this module's own path.

use crate::model::{DatePrecision, Enclosure, Item, Origin, Person, SourceFeed, Stamp};
use crate::normalise::date::{ParsedDate, parse_date};
use crate::source::repair::{self, DocKind};
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone, Utc};
use feed_rs::model::{Entry, Feed, FeedType, Link, LinkTarget, Text};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use url::Url;

/// What the reader needs to know about where the bytes came from.
#[derive(Debug, Clone, Copy)]
pub struct ReadContext<'a> {
    /// The source id from feeds.toml (for messages and `Item::source_ids`).
    pub source_id: &'a str,
    /// The URL the feed was fetched from (a `file://` URL for local paths): the base for
    /// relative links when the feed gives no better one.
    pub feed_url: Option<&'a url::Url>,
    /// The charset from the HTTP `Content-Type` header, if any.
    pub http_charset: Option<&'a str>,
}

#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("not a feed: {0}")]
    NotAFeed(String),
    #[error("unreadable feed: {0}")]
    Parse(String),
}

/// Most entries read from one document (a cap on work, not a feature).
pub(crate) const MAX_ITEMS: usize = 10_000;

/// Parse a feed document into raw items. Plain RSS 2.0 takes the fast path
/// ([`crate::source::fast`]), which gives the same result; everything else [`read_feed_full`].
pub fn read_feed(bytes: &[u8], ctx: &ReadContext<'_>) -> Result<SourceFeed, FeedError> {
    if let Some(feed) = crate::source::fast::read_rss2(bytes, ctx) {
        return Ok(feed);
    }
    read_feed_full(bytes, ctx)
}

/// The full path: decode, repair, feed-rs (or the JSON Feed reader), the extras scan and the
/// mapping. [`read_feed`] without the fast path (tests compare the two).
pub fn read_feed_full(bytes: &[u8], ctx: &ReadContext<'_>) -> Result<SourceFeed, FeedError> {
    let decoded = repair::decode(bytes, ctx.http_charset);
    let mut warnings = Vec::new();
    if decoded.had_errors {
        warnings.push(format!(
            "invalid {} byte sequences replaced",
            decoded.encoding.name()
        ));
    }
    let text = decoded.text;
    match repair::doc_kind(&text) {
        DocKind::Empty => Err(FeedError::NotAFeed("the body is empty".into())),
        DocKind::Other => Err(FeedError::NotAFeed(
            "the body is neither XML nor JSON; check the URL".into(),
        )),
        DocKind::Json => {
            let mut feed = read_json_feed(&text, ctx)?;
            warnings.append(&mut feed.warnings);
            feed.warnings = warnings;
            Ok(feed)
        }
        DocKind::Xml => read_xml_feed(&text, ctx, warnings),
    }
}

// ---------------------------------------------------------------------------------------------
// XML feeds

fn read_xml_feed(
    text: &str,
    ctx: &ReadContext<'_>,
    mut warnings: Vec<String>,
) -> Result<SourceFeed, FeedError> {
    let text = repair::strip_declared_encoding(text);
    let (repaired, report) = repair::repair_xml(&text);
    warnings.extend(report.warnings());

    if let Some(root) = repair::root_name(&repaired) {
        let lower = root.to_ascii_lowercase();
        if lower == "html" || lower == "body" || lower == "head" {
            return Err(FeedError::NotAFeed(
                "this is an HTML page; use kind = \"html\" or `feedwright discover` to find its feed"
                    .into(),
            ));
        }
        if !matches!(root.as_str(), "rss" | "feed" | "RDF" | "entry") {
            return Err(FeedError::NotAFeed(format!(
                "the XML root element is <{root}>, not <rss>, <feed> or <rdf:RDF>"
            )));
        }
    } else {
        return Err(FeedError::NotAFeed(
            "no XML element found in the body".into(),
        ));
    }

    let dates = Arc::new(Mutex::new(DateLog::default()));
    let feed = match parse_with_feed_rs(&repaired, &dates) {
        Ok(feed) => feed,
        Err(ParseFailure::NoFeedRoot) => {
            // A known root without a channel (`<rss version="2.0"></rss>`): an empty feed.
            warnings.push("the feed has no channel or entries".into());
            return Ok(SourceFeed {
                warnings,
                ..SourceFeed::default()
            });
        }
        Err(ParseFailure::Other(first)) => {
            let salvaged =
                repair::salvage_xml(&repaired).ok_or_else(|| FeedError::Parse(first.clone()))?;
            if let Ok(mut log) = dates.lock() {
                *log = DateLog::default();
            }
            let feed = parse_with_feed_rs(&salvaged, &dates)
                .map_err(|_| FeedError::Parse(first.clone()))?;
            let had_entries = repaired.contains("<item") || repaired.contains("<entry");
            if feed.entries.is_empty() && had_entries {
                // No entry could be read whole: a failure, so the stored items stay.
                return Err(FeedError::Parse(first));
            }
            warnings.push(format!(
                "broken document ({first}); kept the {} entries that could be read",
                feed.entries.len()
            ));
            feed
        }
    };
    let log = dates.lock().map(|l| l.clone()).unwrap_or_default();
    let extras = if matches!(
        feed.feed_type,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    ) {
        scan_rss_extras(&repaired)
    } else {
        (Extras::default(), Vec::new())
    };
    let mut out = map_feed(feed, ctx, &log, &extras);
    for raw in &log.failed {
        out.warnings.push(format!("unreadable date `{raw}`"));
    }
    warnings.append(&mut out.warnings);
    out.warnings = warnings;
    Ok(out)
}

/// Fields feed-rs does not read from RSS, collected by a light second pass: Dublin Core
/// titles and dates, `atom:published` inside items, `dcterms:` dates.
#[derive(Debug, Clone, Default, PartialEq)]
struct Extras {
    title: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    language: Option<String>,
    summary: Option<String>,
    author: Option<String>,
    categories: Vec<String>,
    content: Option<String>,
    author_name: Option<String>,
    author_email: Option<String>,
}

const NS_DC: &str = "http://purl.org/dc/elements/1.1/";
const NS_DCTERMS: &str = "http://purl.org/dc/terms/";
const NS_ATOM: &str = "http://www.w3.org/2005/Atom";
const NS_ITUNES: &str = "http://www.itunes.com/dtds/podcast-1.0.dtd";

/// Which extra field an element feeds, if any.
fn extra_slot(ns: &str, local: &str) -> Option<u8> {
    match (ns, local) {
        (NS_DC, "title") | (NS_DCTERMS, "title") => Some(0),
        (NS_ATOM, "published") | (NS_DCTERMS, "issued") | (NS_DCTERMS, "created") => Some(1),
        (NS_DCTERMS, "modified") | (NS_DC, "modified") => Some(2),
        (NS_DC, "language") => Some(3),
        (NS_DC, "description") | (NS_ITUNES, "summary") => Some(4),
        (NS_DC, "author") | (NS_ITUNES, "author") => Some(5),
        (NS_DC, "subject") => Some(6),
        (NS_ATOM, "content") => Some(7),
        _ => None,
    }
}

/// Scans an RSS document for [`Extras`] of the channel and of each `item` (in document order,
/// as feed-rs lists entries). Stops quietly at the first XML error.
fn scan_rss_extras(text: &str) -> (Extras, Vec<Extras>) {
    use quick_xml::events::Event;
    use quick_xml::name::ResolveResult;
    let mut reader = quick_xml::NsReader::from_str(text);
    let mut channel = Extras::default();
    let mut items: Vec<Extras> = Vec::new();
    // Local names of the open elements.
    let mut stack: Vec<String> = Vec::new();
    // (slot, depth, text) of the element being collected.
    let mut collecting: Option<(u8, usize, String)> = None;
    let mut in_item: Option<usize> = None;
    while let Ok((ns, event)) = reader.read_resolved_event() {
        let ns = match ns {
            ResolveResult::Bound(n) => n.as_ref().to_string(),
            _ => String::new(),
        };
        match event {
            Event::Start(e) => {
                let local = e.local_name().as_ref().to_string();
                let parent_is_channel = stack.last().is_some_and(|p| p == "channel");
                let parent_is_rdf = stack.last().is_some_and(|p| p == "RDF");
                if local == "item" && in_item.is_none() && (parent_is_channel || parent_is_rdf) {
                    items.push(Extras::default());
                    in_item = Some(stack.len() + 1);
                }
                stack.push(local.clone());
                let depth = stack.len();
                let owner_ok = match in_item {
                    Some(d) => depth == d + 1,
                    None => parent_is_channel,
                };
                // `atom:author/atom:name|email` directly inside an item.
                let in_atom_author = in_item.is_some_and(|d| depth == d + 2)
                    && ns == NS_ATOM
                    && stack.len() >= 2
                    && stack.get(stack.len() - 2).is_some_and(|p| p == "author");
                let slot = if in_atom_author {
                    match local.as_str() {
                        "name" => Some(8),
                        "email" => Some(9),
                        _ => None,
                    }
                } else if owner_ok {
                    extra_slot(&ns, &local)
                } else {
                    None
                };
                if collecting.is_none()
                    && let Some(slot) = slot
                {
                    collecting = Some((slot, depth, String::new()));
                }
            }
            Event::End(_) => {
                let depth = stack.len();
                if let Some((slot, d, text)) = collecting.take_if(|(_, d, _)| *d == depth) {
                    let _ = d;
                    let target = match in_item {
                        Some(_) => items.last_mut(),
                        None => Some(&mut channel),
                    };
                    let text = text.trim();
                    if let Some(t) = target
                        && !text.is_empty()
                    {
                        let field = match slot {
                            0 => &mut t.title,
                            1 => &mut t.published,
                            2 => &mut t.updated,
                            3 => &mut t.language,
                            4 => &mut t.summary,
                            5 => &mut t.author,
                            7 => &mut t.content,
                            8 => &mut t.author_name,
                            9 => &mut t.author_email,
                            _ => &mut None,
                        };
                        if slot == 6 {
                            if t.categories.len() < 100 {
                                t.categories.push(text.to_string());
                            }
                        } else if field.is_none() {
                            *field = Some(text.to_string());
                        }
                    }
                }
                if in_item == Some(depth) {
                    in_item = None;
                }
                stack.pop();
            }
            Event::Text(t) => {
                if let Some((_, _, buf)) = collecting.as_mut() {
                    buf.push_str(&t.xml10_content());
                }
            }
            Event::CData(t) => {
                if let Some((_, _, buf)) = collecting.as_mut() {
                    buf.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some((_, _, buf)) = collecting.as_mut() {
                    if let Ok(Some(c)) = r.resolve_char_ref() {
                        buf.push(c);
                    } else if let Some(v) = quick_xml::escape::resolve_predefined_entity(&r) {
                        buf.push_str(v);
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    (channel, items)
}

/// Dates seen by the timestamp parser: how each parsed instant was known, and the raw text of
/// those that could not be read (feed-rs would otherwise drop them silently).
#[derive(Debug, Clone, Default)]
pub(crate) struct DateLog {
    parsed: HashMap<i64, (i32, DatePrecision)>,
    pub(crate) failed: Vec<String>,
}

/// Reads one date for feed-rs's timestamp parser (or the fast path, in the same order),
/// recording in `log` how it was known, or its text when it could not be read.
pub(crate) fn log_date(log: &mut DateLog, raw: &str) -> Option<DateTime<Utc>> {
    let parsed = lenient_date(raw);
    match parsed {
        Some(p) => {
            let key = p.at.timestamp();
            let entry = (p.at.offset().local_minus_utc(), p.precision);
            let slot = log.parsed.entry(key).or_insert(entry);
            if entry.1 > slot.1 {
                *slot = entry;
            }
        }
        None => {
            let raw = raw.trim();
            if !raw.is_empty() && log.failed.len() < 100 {
                log.failed.push(raw.chars().take(80).collect());
            }
        }
    }
    parsed.map(|p| p.at.with_timezone(&Utc))
}

enum ParseFailure {
    NoFeedRoot,
    Other(String),
}

fn parse_with_feed_rs(text: &str, dates: &Arc<Mutex<DateLog>>) -> Result<Feed, ParseFailure> {
    let log = Arc::clone(dates);
    let parser = feed_rs::parser::Builder::new()
        .sanitize_content(false)
        // An empty id marks "the feed gave none"; we compute ids ourselves.
        .id_generator(|_, _, _| String::new())
        .timestamp_parser(move |raw| match log.lock() {
            Ok(mut log) => log_date(&mut log, raw),
            Err(_) => lenient_date(raw).map(|p| p.at.with_timezone(&Utc)),
        })
        .build();
    parser.parse(text.as_bytes()).map_err(|e| match e {
        feed_rs::parser::ParseFeedError::ParseError(
            feed_rs::parser::ParseErrorKind::NoFeedRoot,
        ) => ParseFailure::NoFeedRoot,
        other => ParseFailure::Other(other.to_string()),
    })
}

/// Reads a date with `normalise::date`, and — until that parser covers them — with a few
/// tolerant fallbacks that feed-rs's own (replaced) parser handled.
fn lenient_date(raw: &str) -> Option<ParsedDate> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    crate::normalise::date::fast::parse_common(raw)
        .or_else(|| parse_date(raw))
        .or_else(|| fallback_date(raw))
}

fn fallback_date(raw: &str) -> Option<ParsedDate> {
    let exact = |at: DateTime<FixedOffset>| ParsedDate {
        at,
        precision: DatePrecision::Exact,
        offset_known: true,
    };
    let utc_naive = |n: NaiveDateTime, precision| ParsedDate {
        at: Utc.from_utc_datetime(&n).fixed_offset(),
        precision,
        offset_known: false,
    };
    let s = crate::normalise::collapse_whitespace(raw);
    // RFC 822 with a weekday, long month names, "UTC", or a trailing "Z".
    let mut r = s.clone();
    if let Some((head, tail)) = r.split_once(", ")
        && head.chars().all(|c| c.is_ascii_alphabetic())
    {
        r = tail.to_string();
    }
    for (long, short) in MONTHS {
        if r.contains(long) {
            r = r.replacen(long, short, 1);
        }
    }
    for (from, to) in [(" UTC", " +0000"), (" Z", " +0000"), (" -0000", " +0000")] {
        if let Some(stripped) = r.strip_suffix(from.trim_start())
            && stripped.ends_with(' ')
        {
            r = format!("{}{}", stripped, to.trim_start());
        }
    }
    if let Ok(at) = DateTime::parse_from_rfc2822(&r) {
        return Some(exact(at));
    }
    for fmt in [
        "%d %b %Y %H:%M:%S %z",
        "%d %b %Y %H:%M %z",
        "%d %b %y %H:%M:%S %z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(&r, fmt) {
            return Some(exact(at));
        }
    }
    for fmt in ["%d %b %Y %H:%M:%S", "%d %b %Y %H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&r, fmt) {
            return Some(utc_naive(n, DatePrecision::Exact));
        }
    }
    // ISO 8601 / W3C-DTF variants.
    let iso = s.replace(' ', "T");
    let iso = iso
        .strip_suffix('z')
        .map_or(iso.clone(), |b| format!("{b}Z"));
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%:z",
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%dT%H:%M%z",
        "%Y%m%dT%H%M%S%z",
        "%Y-%m-%dT%H:%M:%S%.f%#z",
    ] {
        if let Ok(at) = DateTime::parse_from_str(&iso, fmt) {
            return Some(exact(at));
        }
    }
    if let Some(b) = iso.strip_suffix('Z') {
        for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M", "%Y%m%dT%H%M%S"] {
            if let Ok(n) = NaiveDateTime::parse_from_str(b, fmt) {
                return Some(exact(Utc.from_utc_datetime(&n).fixed_offset()));
            }
        }
    }
    for fmt in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(n) = NaiveDateTime::parse_from_str(&iso, fmt) {
            return Some(utc_naive(n, DatePrecision::Exact));
        }
    }
    let date_only = |d: NaiveDate| {
        d.and_hms_opt(0, 0, 0)
            .map(|n| utc_naive(n, DatePrecision::DateOnly))
    };
    for fmt in ["%Y-%m-%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(&s, fmt) {
            return date_only(d);
        }
    }
    if let Ok(d) = NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d") {
        return date_only(d);
    }
    if s.len() == 4
        && let Ok(d) = NaiveDate::parse_from_str(&format!("{s}-01-01"), "%Y-%m-%d")
    {
        return date_only(d);
    }
    None
}

const MONTHS: [(&str, &str); 12] = [
    ("January", "Jan"),
    ("February", "Feb"),
    ("March", "Mar"),
    ("April", "Apr"),
    ("June", "Jun"),
    ("July", "Jul"),
    ("August", "Aug"),
    ("September", "Sep"),
    ("Sept", "Sep"),
    ("October", "Oct"),
    ("November", "Nov"),
    ("December", "Dec"),
];

pub(crate) fn stamp(at: Option<DateTime<Utc>>, log: &DateLog) -> Option<Stamp> {
    let at = at?;
    let (offset_secs, precision) = log
        .parsed
        .get(&at.timestamp())
        .copied()
        .unwrap_or((0, DatePrecision::Exact));
    Some(Stamp {
        utc: at,
        offset_secs,
        precision,
    })
}

/// Makes `href` absolute against `base` (when it is relative and a base exists).
pub(crate) fn absolute(href: &str, base: Option<&Url>) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    match Url::parse(href) {
        Ok(u) => Some(u.into()),
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(b) => b.join(href).ok().map(String::from),
            None => Some(href.to_string()),
        },
        Err(_) => Some(href.to_string()),
    }
}

/// [`absolute`], with the URL it parsed when there was one.
pub(crate) fn absolute_parsed(href: &str, base: Option<&Url>) -> Option<(String, Option<Url>)> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let parsed = match Url::parse(href) {
        Ok(u) => Some(u),
        Err(url::ParseError::RelativeUrlWithoutBase) => match base {
            Some(b) => b.join(href).ok(),
            None => return Some((href.to_string(), None)),
        },
        Err(_) => return Some((href.to_string(), None)),
    };
    parsed.map(|u| (u.as_str().to_string(), Some(u)))
}

fn is_home_link(l: &Link) -> bool {
    l.target.is_none()
        && match l.rel.as_deref() {
            None => true,
            Some(r) => r.eq_ignore_ascii_case("alternate"),
        }
}

/// The alternate link, else the first that is not self/enclosure/replies/edit/comments.
fn pick_link(links: &[Link]) -> Option<&Link> {
    let non_enclosure = |l: &&Link| {
        l.target.is_none()
            && !matches!(
                l.rel.as_deref().map(str::to_ascii_lowercase).as_deref(),
                Some("self" | "enclosure" | "replies" | "edit" | "edit-media" | "hub" | "license")
            )
    };
    let links: Vec<&Link> = links
        .iter()
        .filter(|l| l.href != repair::NO_LINK_SENTINEL)
        .collect();
    let html_alternate = links
        .iter()
        .filter(|l| is_home_link(l))
        .find(|l| l.media_type.as_deref().is_none_or(|t| t.contains("html")));
    html_alternate
        .or_else(|| links.iter().find(|l| is_home_link(l)))
        .or_else(|| links.iter().find(|l| non_enclosure(l)))
        .copied()
}

fn text_content(t: &Option<Text>, escape_plain: bool) -> Option<String> {
    let t = t.as_ref()?;
    let s = t.content.trim();
    if s.is_empty() {
        return None;
    }
    if escape_plain && t.content_type.essence().to_string() == "text/plain" {
        Some(html_escape::encode_text(s).into_owned())
    } else {
        Some(s.to_string())
    }
}

fn looks_like_image(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    [".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg"]
        .iter()
        .any(|ext| p.ends_with(ext))
}

/// The `src` of the first `<img>` in an HTML fragment (looked for in the first 64 KiB).
pub(crate) fn first_img_src(html: &str) -> Option<String> {
    // No more characters than bytes: a short fragment is whole.
    let end = if html.len() <= 65536 {
        html.len()
    } else {
        html.char_indices()
            .nth(65536)
            .map_or(html.len(), |(i, _)| i)
    };
    let html = &html[..end];
    let src = match img_src_scan(html) {
        Scan::Found(src) => src,
        Scan::None => return None,
        Scan::Undecided => img_src_regex(html)?,
    }
    .trim();
    (!src.is_empty() && !src.starts_with("data:")).then(|| src.to_string())
}

/// The pattern [`first_img_src`] looks for, as a regex: the reference [`img_src_scan`] follows.
fn img_src_regex(html: &str) -> Option<&str> {
    static IMG: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let re = IMG
        .get_or_init(|| {
            regex::Regex::new(r#"(?is)<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))"#)
                .ok()
        })
        .as_ref()?;
    let caps = re.captures(html)?;
    Some(caps.get(1).or(caps.get(2)).or(caps.get(3))?.as_str())
}

/// What [`img_src_scan`] found.
#[derive(Debug, PartialEq, Eq)]
enum Scan<'a> {
    Found(&'a str),
    None,
    /// Something only the regex's Unicode rules decide (a non-ASCII character next to `img` or
    /// `src`, or U+017F, which matches `s` case-insensitively): ask [`img_src_regex`].
    Undecided,
}

/// [`img_src_regex`] without the regex engine (the first `src` value of the first `<img` that
/// has one, exactly as the regex's leftmost-first match reads it), for ASCII surroundings.
fn img_src_scan(html: &str) -> Scan<'_> {
    let b = html.as_bytes();
    if memchr::memmem::find(b, "\u{17f}".as_bytes()).is_some() {
        return Scan::Undecided;
    }
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut from = 0;
    while let Some(lt) = memchr::memchr(b'<', &b[from..]).map(|i| from + i) {
        from = lt + 1;
        if !b
            .get(lt + 1..lt + 4)
            .is_some_and(|n| n.eq_ignore_ascii_case(b"img"))
        {
            continue;
        }
        // `\b` after `img`: the next character is no word character (or there is none).
        let after = lt + 4;
        match b.get(after) {
            Some(&c) if !c.is_ascii() => return Scan::Undecided,
            Some(&c) if is_word(c) => continue,
            _ => {}
        }
        // `[^>]*?\bsrc`: every `src` before the next `>`, in order, preceded by a non-word
        // character (the one before `after` is `g`, a word character).
        let gt = memchr::memchr(b'>', &b[after..]).map_or(b.len(), |i| after + i);
        for p in after + 1..gt {
            if !b[p..]
                .get(..3)
                .is_some_and(|n| n.eq_ignore_ascii_case(b"src"))
            {
                continue;
            }
            let before = b[p - 1];
            if !before.is_ascii() {
                return Scan::Undecided;
            }
            if is_word(before) {
                continue;
            }
            if let Some(value) = src_value(&html[p + 3..]) {
                return Scan::Found(value);
            }
        }
    }
    Scan::None
}

/// `\s*=\s*(?:"([^"]+)"|'([^']+)'|([^\s>]+))` at the start of `rest`: the captured value.
/// (Giving back whitespace never helps the regex: every alternative starts with a
/// non-whitespace character.)
fn src_value(rest: &str) -> Option<&str> {
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    for quote in ['"', '\''] {
        if let Some(inner) = rest.strip_prefix(quote)
            && let Some(close) = inner.find(quote)
            && close > 0
        {
            return Some(&inner[..close]);
        }
    }
    let len = rest
        .find(|c: char| c.is_whitespace() || c == '>')
        .unwrap_or(rest.len());
    (len > 0).then(|| &rest[..len])
}

/// Splits an RSS-style person ("mail@x (Name)", "Name <mail@x>", "Name") into a Person.
fn split_rss_person(raw: &str) -> Option<Person> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let email = raw
        .split(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '[' | ']'))
        .map(|w| w.trim_start_matches("mailto:"))
        .find(|w| w.contains('@') && w.contains('.'))
        .map(str::to_string);
    let name = match &email {
        Some(e) => raw.replacen(e.as_str(), "", 1).replace("mailto:", ""),
        None => raw.to_string(),
    };
    let name = clean_person_name(&name);
    Some(Person {
        name,
        email,
        uri: None,
    })
}

/// A person's name without the brackets left over from "mail (Name)" forms.
pub(crate) fn clean_person_name(name: &str) -> Option<String> {
    let n = name
        .trim()
        .trim_matches(|c: char| {
            c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '[' | ']' | ',' | '"')
        })
        .trim();
    (!n.is_empty()).then(|| n.to_string())
}

fn map_people(people: &[feed_rs::model::Person]) -> Vec<Person> {
    people
        .iter()
        .map(|p| {
            let name = p.name.as_deref().map(str::trim).unwrap_or_default();
            let email = p.email.as_deref().map(str::trim).filter(|s| !s.is_empty());
            let name = clean_person_name(name).filter(|n| Some(n.as_str()) != email);
            Person {
                name,
                email: email.map(str::to_string),
                uri: p
                    .uri
                    .as_deref()
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string),
            }
        })
        .filter(|p| p.name.is_some() || p.email.is_some() || p.uri.is_some())
        .collect()
}

fn map_feed(
    feed: Feed,
    ctx: &ReadContext<'_>,
    log: &DateLog,
    extras: &(Extras, Vec<Extras>),
) -> SourceFeed {
    let is_atom = feed.feed_type == FeedType::Atom;
    let is_rss = matches!(
        feed.feed_type,
        FeedType::RSS0 | FeedType::RSS1 | FeedType::RSS2
    );
    let feed_url = ctx.feed_url;
    // RSS: the last plain `<link>` wins (as in feedparser and gofeed); else the alternate.
    let rss_home = if is_rss {
        feed.links
            .iter()
            .rev()
            .find(|l| l.rel.is_none() && l.target.is_none())
    } else {
        None
    };
    let home = rss_home
        .or_else(|| feed.links.iter().find(|l| is_home_link(l)))
        .and_then(|l| absolute(&l.href, feed_url));
    let home_url = home.as_deref().and_then(|h| Url::parse(h).ok());
    let base = home_url.as_ref().or(feed_url);
    let title = text_content(&feed.title, is_atom).or_else(|| extras.0.title.clone());
    let language = feed
        .language
        .clone()
        .filter(|l| !l.trim().is_empty())
        .or_else(|| extras.0.language.clone());
    let origin = Origin {
        source_id: ctx.source_id.to_string(),
        title: title.clone(),
        link: home.clone(),
        feed_url: feed_url.map(|u| u.to_string()),
    };
    let no_extras = Extras::default();
    let items = feed
        .entries
        .into_iter()
        .take(MAX_ITEMS)
        .enumerate()
        .map(|(i, mut e)| {
            e.links.retain(|l| l.href != repair::NO_LINK_SENTINEL);
            let x = extras.1.get(i).unwrap_or(&no_extras);
            map_entry(e, ctx, base, &language, &origin, log, is_atom, is_rss, x)
        })
        .collect();
    SourceFeed {
        title,
        link: home,
        description: text_content(&feed.description, is_atom),
        language,
        authors: map_people(&feed.authors),
        items,
        warnings: Vec::new(),
        url_hints: Default::default(),
    }
}

#[allow(clippy::too_many_arguments)]
fn map_entry(
    e: Entry,
    ctx: &ReadContext<'_>,
    base: Option<&Url>,
    feed_language: &Option<String>,
    origin: &Origin,
    log: &DateLog,
    is_atom: bool,
    is_rss: bool,
    extras: &Extras,
) -> Item {
    // RSS: the last plain `<link>` wins (as in feedparser and gofeed); otherwise the alternate.
    let rss_link = if is_rss {
        e.links
            .iter()
            .rev()
            .find(|l| l.rel.is_none() && l.target.is_none())
    } else {
        None
    };
    let link = rss_link
        .or_else(|| pick_link(&e.links))
        .and_then(|l| absolute(&l.href, base));
    let link_url = link.as_deref().and_then(|l| Url::parse(l).ok());
    let entry_base = link_url.as_ref().or(base);

    let extra_date = |raw: &Option<String>| {
        let p = lenient_date(raw.as_deref()?)?;
        Some(Stamp {
            utc: p.at.with_timezone(&Utc),
            offset_secs: p.at.offset().local_minus_utc(),
            precision: p.precision,
        })
    };
    let published = stamp(e.published, log).or_else(|| extra_date(&extras.published));
    let mut updated = stamp(e.updated, log);
    // feed-rs copies an RSS item's pubDate into `updated`: that is not a modification date.
    if is_rss && updated == published {
        updated = None;
    }
    let updated = updated.or_else(|| extra_date(&extras.updated));

    let mut summary = text_content(&e.summary, true);
    let mut content = e.content.as_ref().and_then(|c| {
        let body = c.body.as_deref()?.trim();
        if body.is_empty() {
            return None;
        }
        let essence = c.content_type.essence().to_string();
        Some(if essence == "text/plain" {
            html_escape::encode_text(body).into_owned()
        } else {
            body.to_string()
        })
    });
    if content.is_none() {
        content = extras.content.clone();
    }
    if summary.is_none()
        && let Some(x) = &extras.summary
    {
        summary = Some(html_escape::encode_text(x).into_owned());
    }
    if is_rss && content.is_none() {
        content = summary.take();
    }
    if content.is_none() && summary.is_none() {
        // Atom 1.0 lets a summary live inside media:description only.
        summary = e
            .media
            .iter()
            .find_map(|m| text_content(&m.description, true));
    }

    let mut enclosures: Vec<Enclosure> = Vec::new();
    let mut push_enclosure = |url: Option<String>, mime: Option<String>, length: Option<u64>| {
        if let Some(url) = url
            && !enclosures.iter().any(|x| x.url == url)
        {
            enclosures.push(Enclosure {
                url,
                mime_type: mime.filter(|m| !m.trim().is_empty()),
                length: length.filter(|n| *n > 0),
            });
        }
    };
    for l in &e.links {
        if l.rel
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case("enclosure"))
        {
            push_enclosure(
                absolute(&l.href, entry_base),
                l.media_type.clone(),
                l.length,
            );
        }
    }
    let mut image: Option<String> = None;
    for m in &e.media {
        for t in &m.thumbnails {
            if image.is_none() {
                image = absolute(&t.image.uri, entry_base);
            }
        }
    }
    for m in &e.media {
        for c in &m.content {
            let Some(url) = c.url.as_ref() else { continue };
            let mime = c.content_type.as_ref().map(|t| t.to_string());
            let is_image = match mime.as_deref() {
                Some(t) => t.starts_with("image/"),
                None => looks_like_image(url.path()),
            };
            if is_image && image.is_none() {
                image = Some(url.to_string());
            }
            if !is_image || m.thumbnails.is_empty() {
                push_enclosure(Some(url.to_string()), mime, c.size);
            }
        }
    }
    if image.is_none() {
        image = enclosures
            .iter()
            .find(|x| {
                x.mime_type
                    .as_deref()
                    .is_some_and(|t| t.starts_with("image/"))
            })
            .map(|x| x.url.clone());
    }

    if image.is_none() {
        image = [content.as_deref(), summary.as_deref()]
            .into_iter()
            .flatten()
            .find_map(first_img_src)
            .and_then(|src| absolute(&src, entry_base));
    }

    let comments = e
        .links
        .iter()
        .find(|l| {
            l.target == Some(LinkTarget::Comments)
                || l.rel
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case("replies"))
                    && l.media_type.as_deref().is_none_or(|t| t.contains("html"))
        })
        .and_then(|l| absolute(&l.href, entry_base));

    let mut categories: Vec<String> = Vec::new();
    for c in &e.categories {
        let term = c.term.trim();
        let label = c.label.as_deref().map(str::trim).unwrap_or_default();
        let v = if term.is_empty() { label } else { term };
        if !v.is_empty() && !categories.iter().any(|x| x == v) {
            categories.push(v.to_string());
        }
    }

    for c in &extras.categories {
        if !categories.iter().any(|x| x == c) {
            categories.push(c.clone());
        }
    }
    let mut authors = map_people(&e.authors);
    if authors.is_empty() && (extras.author_name.is_some() || extras.author_email.is_some()) {
        authors.push(Person {
            name: extras.author_name.clone(),
            email: extras.author_email.clone(),
            uri: None,
        });
    }
    if authors.is_empty()
        && let Some(a) = &extras.author
    {
        authors = split_rss_person(a).into_iter().collect();
    }

    let guid = Some(e.id.trim().to_string()).filter(|s| !s.is_empty());
    Item {
        id: String::new(),
        guid,
        source_ids: vec![ctx.source_id.to_string()],
        title: text_content(&e.title, is_atom).or_else(|| extras.title.clone()),
        link,
        published,
        updated,
        authors,
        summary,
        content,
        categories,
        enclosures,
        image,
        language: e
            .language
            .clone()
            .filter(|l| !l.trim().is_empty())
            .or_else(|| feed_language.clone()),
        comments,
        origin: Some(origin.clone()),
    }
}

// ---------------------------------------------------------------------------------------------
// JSON Feed

fn json_str(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn json_people(v: &Value) -> Vec<Person> {
    let mut list: Vec<&Value> = Vec::new();
    if let Some(Value::Array(a)) = v.get("authors") {
        list.extend(a.iter());
    }
    if list.is_empty()
        && let Some(a) = v.get("author")
    {
        list.push(a);
    }
    list.into_iter()
        .filter_map(|a| match a {
            Value::String(s) if !s.trim().is_empty() => Some(Person {
                name: Some(s.trim().to_string()),
                ..Person::default()
            }),
            Value::Object(_) => {
                let p = Person {
                    name: json_str(a, "name"),
                    email: None,
                    uri: json_str(a, "url"),
                };
                (p.name.is_some() || p.uri.is_some()).then_some(p)
            }
            _ => None,
        })
        .collect()
}

fn json_date(v: &Value, key: &str, warnings: &mut Vec<String>) -> Option<Stamp> {
    let raw = json_str(v, key)?;
    match lenient_date(&raw) {
        Some(p) => Some(Stamp {
            utc: p.at.with_timezone(&Utc),
            offset_secs: p.at.offset().local_minus_utc(),
            precision: p.precision,
        }),
        None => {
            warnings.push(format!("unreadable date `{raw}`"));
            None
        }
    }
}

fn read_json_feed(text: &str, ctx: &ReadContext<'_>) -> Result<SourceFeed, FeedError> {
    let v: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| FeedError::Parse(format!("invalid JSON: {e}")))?;
    let is_feed = v.get("items").is_some_and(Value::is_array)
        || json_str(&v, "version").is_some_and(|s| s.contains("jsonfeed.org"));
    if !is_feed {
        return Err(FeedError::NotAFeed(
            "a JSON document without `version` or `items`: not a JSON Feed".into(),
        ));
    }
    let mut warnings = Vec::new();
    let feed_url = ctx.feed_url;
    let home = json_str(&v, "home_page_url").and_then(|h| absolute(&h, feed_url));
    let home_url = home.as_deref().and_then(|h| Url::parse(h).ok());
    let base = home_url.as_ref().or(feed_url);
    let title = json_str(&v, "title");
    let language = json_str(&v, "language");
    let origin = Origin {
        source_id: ctx.source_id.to_string(),
        title: title.clone(),
        link: home.clone(),
        feed_url: feed_url.map(|u| u.to_string()),
    };
    let empty = Vec::new();
    let items_json = v.get("items").and_then(Value::as_array).unwrap_or(&empty);
    let mut items = Vec::new();
    for it in items_json.iter().take(MAX_ITEMS) {
        if !it.is_object() {
            continue;
        }
        let link = json_str(it, "url")
            .or_else(|| json_str(it, "external_url"))
            .and_then(|l| absolute(&l, base));
        let link_url = link.as_deref().and_then(|l| Url::parse(l).ok());
        let entry_base = link_url.as_ref().or(base);
        let content = json_str(it, "content_html").or_else(|| {
            json_str(it, "content_text").map(|t| html_escape::encode_text(&t).into_owned())
        });
        let summary = json_str(it, "summary").map(|t| html_escape::encode_text(&t).into_owned());
        let mut enclosures = Vec::new();
        if let Some(Value::Array(atts)) = it.get("attachments") {
            for a in atts {
                if let Some(url) = json_str(a, "url").and_then(|u| absolute(&u, entry_base)) {
                    enclosures.push(Enclosure {
                        url,
                        mime_type: json_str(a, "mime_type"),
                        length: a.get("size_in_bytes").and_then(Value::as_u64),
                    });
                }
            }
        }
        let categories = match it.get("tags") {
            Some(Value::Array(tags)) => tags
                .iter()
                .filter_map(Value::as_str)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        items.push(Item {
            id: String::new(),
            guid: json_str(it, "id"),
            source_ids: vec![ctx.source_id.to_string()],
            title: json_str(it, "title").map(|t| html_escape::encode_text(&t).into_owned()),
            link,
            published: json_date(it, "date_published", &mut warnings),
            updated: json_date(it, "date_modified", &mut warnings),
            authors: json_people(it),
            summary,
            content,
            categories,
            enclosures,
            image: json_str(it, "image")
                .or_else(|| json_str(it, "banner_image"))
                .and_then(|u| absolute(&u, entry_base)),
            language: json_str(it, "language").or_else(|| language.clone()),
            comments: None,
            origin: Some(origin.clone()),
        });
    }
    Ok(SourceFeed {
        title,
        link: home,
        description: json_str(&v, "description"),
        language,
        authors: json_people(&v),
        items,
        warnings,
        url_hints: Default::default(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ctx(url: &Url) -> ReadContext<'_> {
        ReadContext {
            source_id: "src",
            feed_url: Some(url),
            http_charset: None,
        }
    }

    fn read(xml: &str) -> SourceFeed {
        let url = Url::parse("https://example.org/feed.xml").unwrap();
        read_feed(xml.as_bytes(), &ctx(&url)).unwrap()
    }

    /// The scan answers exactly what the regex answers, wherever it answers at all.
    fn scan_agrees(html: &str) {
        match img_src_scan(html) {
            Scan::Found(v) => assert_eq!(Some(v), img_src_regex(html), "{html:?}"),
            Scan::None => assert_eq!(None, img_src_regex(html), "{html:?}"),
            Scan::Undecided => {}
        }
    }

    #[test]
    fn image_scan_reads_what_the_regex_reads() {
        for html in [
            r#"<p>x</p><img alt="" src="/a.jpg"><img src="b.png">"#,
            r#"<IMG SRC='q.gif'>"#,
            "<img src=bare.png alt=x>",
            r#"<img data-src="lazy.jpg" src="real.jpg">"#,
            r#"<imgx src="no.jpg"><img src = "spaced.jpg">"#,
            r#"<img alt="a>b" src="after-gt.jpg"><img src="second.jpg">"#,
            r#"<img src="">"#,
            r#"<img src="unclosed.jpg alt=x>"#,
            r#"<img src=>"#,
            r#"<img src="a" "#,
            "<img\nsrc=\"nl.jpg\">",
            "<img srcset=\"x 1x\" src=\"y.jpg\">",
            "<img_src=\"no.jpg\"><img src=\"yes.jpg\">",
            "<img src=\"é.jpg\">",
            "<imgé src=\"u.jpg\">",
            "<img ésrc=\"u.jpg\">",
            "<img ſrc=\"long-s.jpg\">",
            "<img",
            "",
            "no image here",
        ] {
            scan_agrees(html);
        }
        assert_eq!(
            first_img_src(r#"<img alt="" src=" /a.jpg ">"#).as_deref(),
            Some("/a.jpg")
        );
        assert_eq!(
            first_img_src(r#"<img src="data:image/png;base64,x">"#),
            None
        );
    }

    proptest::proptest! {
        #[test]
        fn image_scan_agrees_with_the_regex_on_generated_markup(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<", ">", "img", "IMG", "iMg", " ", "\n", "\t", "src", "SRC", "Src",
                    "=", "\"", "'", "a", "_", "-", "x.jpg", "é", "ſ", "data-", "\u{a0}",
                    "data:", "/", "&amp;", "<p>",
                ]),
                0..24,
            )
        ) {
            scan_agrees(&parts.concat());
        }
    }

    #[test]
    fn rss_item_maps_to_the_model() {
        let f = read(
            r#"<?xml version="1.0" encoding="iso-8859-1"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Blog &amp; co</title><link>https://example.org/</link>
<atom:link rel="self" href="https://example.org/feed.xml"/>
<description>D</description><language>en-GB</language>
<item><title>Caf&eacute; &nbsp;news</title><link>/posts/1</link>
<guid isPermaLink="false">post-1</guid>
<pubDate>Tue, 10 Jun 2003 04:00:00 +0200</pubDate>
<author>jo@example.org (Jo Bloggs)</author>
<description>short</description><content:encoded><![CDATA[<p>full</p>]]></content:encoded>
<category>a</category><category>b</category>
<enclosure url="https://example.org/a.mp3" type="audio/mpeg" length="123"/>
<comments>https://example.org/posts/1#c</comments>
</item></channel></rss>"#,
        );
        assert_eq!(f.title.as_deref(), Some("Blog & co"));
        assert_eq!(f.link.as_deref(), Some("https://example.org/"));
        assert_eq!(f.language.as_deref(), Some("en-gb"));
        let at = FixedOffset::east_opt(7200)
            .unwrap()
            .with_ymd_and_hms(2003, 6, 10, 4, 0, 0)
            .unwrap();
        let origin = Origin {
            source_id: "src".into(),
            title: Some("Blog & co".into()),
            link: Some("https://example.org/".into()),
            feed_url: Some("https://example.org/feed.xml".into()),
        };
        assert_eq!(
            f.items,
            vec![Item {
                id: String::new(),
                guid: Some("post-1".into()),
                source_ids: vec!["src".into()],
                title: Some("Café \u{a0}news".into()),
                link: Some("https://example.org/posts/1".into()),
                published: Some(Stamp::exact(at)),
                updated: None,
                authors: vec![Person {
                    name: Some("Jo Bloggs".into()),
                    email: Some("jo@example.org".into()),
                    uri: None
                }],
                summary: Some("short".into()),
                content: Some("<p>full</p>".into()),
                categories: vec!["a".into(), "b".into()],
                enclosures: vec![Enclosure {
                    url: "https://example.org/a.mp3".into(),
                    mime_type: Some("audio/mpeg".into()),
                    length: Some(123)
                }],
                image: None,
                language: Some("en-gb".into()),
                comments: Some("https://example.org/posts/1#c".into()),
                origin: Some(origin),
            }]
        );
        assert_eq!(
            f.warnings,
            vec!["repaired 2 undeclared HTML entities".to_string()]
        );
    }

    #[test]
    fn rss_description_alone_is_content_and_missing_guid_is_none() {
        let f = read(
            r#"<rss version="2.0"><channel><item><title>T</title><description>&lt;b&gt;x&lt;/b&gt;</description></item></channel></rss>"#,
        );
        let item = &f.items[0];
        assert_eq!(item.guid, None);
        assert_eq!(item.summary, None);
        assert_eq!(item.content.as_deref(), Some("<b>x</b>"));
    }

    #[test]
    fn atom_entry_maps_to_the_model() {
        let f = read(
            r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="fr" xml:base="https://blog.example.com/">
<title type="text">A &lt; B</title>
<link rel="self" href="/atom"/><link rel="alternate" type="text/html" href="/"/>
<entry><id>tag:x,2024:1</id><title type="html">&lt;em&gt;Hi&lt;/em&gt;</title>
<link rel="replies" type="text/html" href="c/1"/><link rel="alternate" href="p/1"/>
<link rel="enclosure" href="v.mp4" type="video/mp4" length="9"/>
<updated>2024-03-01T10:00:00Z</updated>
<author><name>Ann</name><email>ann@example.com</email><uri>https://ann.example.com/</uri></author>
<summary>S &amp; T</summary><content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Body</p></div></content>
<category term="t1" label="Label 1"/><category term="" label="L2"/>
</entry></feed>"#,
        );
        assert_eq!(f.title.as_deref(), Some("A &lt; B"));
        assert_eq!(f.link.as_deref(), Some("https://blog.example.com/"));
        let item = &f.items[0];
        assert_eq!(item.guid.as_deref(), Some("tag:x,2024:1"));
        assert_eq!(item.title.as_deref(), Some("<em>Hi</em>"));
        assert_eq!(item.link.as_deref(), Some("https://blog.example.com/p/1"));
        assert_eq!(
            item.comments.as_deref(),
            Some("https://blog.example.com/c/1")
        );
        assert_eq!(item.published, None);
        assert_eq!(
            item.updated.map(|s| s.utc),
            Some(Utc.with_ymd_and_hms(2024, 3, 1, 10, 0, 0).unwrap())
        );
        assert_eq!(item.summary.as_deref(), Some("S &amp; T"));
        assert_eq!(item.content.as_deref(), Some("<p>Body</p>"));
        assert_eq!(item.categories, vec!["t1".to_string(), "L2".to_string()]);
        assert_eq!(item.enclosures.len(), 1);
        assert_eq!(item.enclosures[0].url, "https://blog.example.com/v.mp4");
        assert_eq!(item.language.as_deref(), Some("fr"));
        assert_eq!(
            item.authors,
            vec![Person {
                name: Some("Ann".into()),
                email: Some("ann@example.com".into()),
                uri: Some("https://ann.example.com/".into())
            }]
        );
    }

    #[test]
    fn date_only_and_unreadable_dates() {
        let f = read(
            r#"<rss version="2.0"><channel><item><title>a</title><pubDate>2024-05-06</pubDate></item><item><title>b</title><pubDate>someday soon</pubDate></item></channel></rss>"#,
        );
        let p = f.items[0].published.unwrap();
        assert_eq!(p.precision, DatePrecision::DateOnly);
        assert_eq!(p.utc, Utc.with_ymd_and_hms(2024, 5, 6, 0, 0, 0).unwrap());
        assert_eq!(f.items[1].published, None);
        assert!(
            f.warnings
                .contains(&"unreadable date `someday soon`".to_string())
        );
    }

    #[test]
    fn media_thumbnail_is_the_image_and_media_content_an_enclosure() {
        let f = read(
            r#"<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><item><title>a</title>
<media:thumbnail url="https://e.org/t.jpg"/><media:content url="https://e.org/v.mp4" type="video/mp4"/></item></channel></rss>"#,
        );
        let item = &f.items[0];
        assert_eq!(item.image.as_deref(), Some("https://e.org/t.jpg"));
        assert_eq!(
            item.enclosures
                .iter()
                .map(|e| e.url.as_str())
                .collect::<Vec<_>>(),
            vec!["https://e.org/v.mp4"]
        );
    }

    #[test]
    fn json_feed_maps_to_the_model() {
        let f = read(
            r#"{"version":"https://jsonfeed.org/version/1.1","title":"J","home_page_url":"https://j.example/",
"language":"en","authors":[{"name":"Jay"}],
"items":[{"id":42,"url":"/p/42","title":"A & B","content_text":"1 < 2","summary":"s",
"date_published":"2024-01-02T03:04:05+01:00","date_modified":"2024-01-03T00:00:00Z","image":"i.png",
"tags":["x"],"attachments":[{"url":"https://j.example/a.mp3","size_in_bytes":7}]}]}"#,
        );
        assert_eq!(f.title.as_deref(), Some("J"));
        assert_eq!(f.authors[0].name.as_deref(), Some("Jay"));
        let item = &f.items[0];
        assert_eq!(item.guid.as_deref(), Some("42"));
        assert_eq!(item.link.as_deref(), Some("https://j.example/p/42"));
        assert_eq!(item.title.as_deref(), Some("A &amp; B"));
        assert_eq!(item.content.as_deref(), Some("1 &lt; 2"));
        assert_eq!(item.summary.as_deref(), Some("s"));
        assert_eq!(item.published.unwrap().offset_secs, 3600);
        // Relative to the item page.
        assert_eq!(item.image.as_deref(), Some("https://j.example/p/i.png"));
        assert_eq!(item.enclosures[0].length, Some(7));
        assert_eq!(item.enclosures[0].mime_type, None);
        assert_eq!(item.language.as_deref(), Some("en"));
    }

    #[test]
    fn broken_documents_keep_whole_entries() {
        let f = read(
            r#"<rss version="2.0"><channel><title>T</title><item><title>one</title></item><item><title>two</title></item><item><title>thr"#,
        );
        assert_eq!(
            f.items
                .iter()
                .map(|i| i.title.clone().unwrap())
                .collect::<Vec<_>>(),
            vec!["one", "two"]
        );
        assert!(
            f.warnings.iter().any(|w| w.starts_with("broken document")),
            "{:?}",
            f.warnings
        );
    }

    #[test]
    fn a_broken_document_with_no_whole_entry_is_an_error() {
        let url = Url::parse("https://example.org/").unwrap();
        let body = r#"<rss version="2.0"><channel><title>T</title><item><title>cut"#;
        assert!(matches!(
            read_feed(body.as_bytes(), &ctx(&url)),
            Err(FeedError::Parse(_))
        ));
    }

    #[test]
    fn not_feeds() {
        let url = Url::parse("https://example.org/").unwrap();
        for body in [
            "",
            "  \n",
            "<!DOCTYPE html><html><head></head><body>hi</body></html>",
            "{\"a\":1}",
            "plain",
        ] {
            assert!(
                matches!(
                    read_feed(body.as_bytes(), &ctx(&url)),
                    Err(FeedError::NotAFeed(_))
                ),
                "{body}"
            );
        }
    }

    #[test]
    fn old_dialects_are_read() {
        let f = read(
            r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title type="text/plain">Old</title><entry><title mode="escaped" type="text/html">E</title><issued>2004-01-01T19:48:21Z</issued></entry></feed>"#,
        );
        assert_eq!(f.title.as_deref(), Some("Old"));
        assert!(f.items[0].published.is_some());
        let f =
            read(r#"<rss version="0.94"><channel><item><title>x</title></item></channel></rss>"#);
        assert_eq!(f.items.len(), 1);
    }
}
