//! Rendering output feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) from normalised items, and writing
//! them atomically into out/ only when their bytes change. Rendering is pure; `write` is the
//! only part that touches the disk.

pub mod atom;
pub mod html;
pub mod json;
pub mod opml;
pub mod rss;
pub mod write;

use crate::model::{Item, Person, Stamp};
use chrono::{DateTime, FixedOffset, SubsecRound, TimeZone, Utc};
use std::borrow::Cow;

/// One output feed, ready to render. Items are already merged, sorted (newest first) and cut
/// to `max_items`.
#[derive(Debug, Clone)]
pub struct OutFeed {
    /// The `[[feed]]` id: file stem and part of the Atom id `urn:feedwright:feed:<id>`.
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The home page (`link`, else `base_url`).
    pub link: String,
    /// `settings.base_url` (ends with `/`): self links are `<base_url><id>.<ext>`, only when set.
    pub base_url: Option<String>,
    pub language: Option<String>,
    /// Feed-level authors (Atom requires an author per entry or on the feed).
    pub authors: Vec<Person>,
    /// The newest item's date, never the run time; `None` when there are no dated items.
    pub updated: Option<DateTime<Utc>>,
    /// True when items come from more than one source (Atom writes `<source>` per entry).
    pub merged: bool,
    pub items: Vec<Item>,
}

impl OutFeed {
    /// The public URL of this feed in one format, when `base_url` is set.
    pub fn self_url(&self, extension: &str) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|b| format!("{b}{}.{extension}", self.id))
    }
}

/// The name written as `generator` in every format.
pub const GENERATOR: &str = "feedwright";

/// Whether `c` is allowed in an XML 1.0 document (the `Char` production): tab, LF, CR,
/// U+0020–U+D7FF, U+E000–U+FFFD and U+10000 upwards (Rust `char`s are never surrogates).
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `s` with every character outside the XML 1.0 `Char` production removed. The rss and
/// atom_syndication writers escape markup but pass control characters through unchanged,
/// which makes the document not well-formed, so every string goes through here first.
/// Borrows when nothing needs removing (the common case).
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    if s.chars().all(is_xml_char) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| is_xml_char(c)).collect())
    }
}

/// [`xml_safe`] into an owned `String`.
pub(crate) fn safe(s: &str) -> String {
    xml_safe(s).into_owned()
}

/// [`xml_safe`] on an optional string, dropping values that end up empty or blank.
pub(crate) fn safe_opt(s: Option<&str>) -> Option<String> {
    s.map(safe).filter(|v| !v.trim().is_empty())
}

/// A stamp as a date-time in the offset the source wrote it with (whole minutes, as RFC 822
/// and RFC 3339 need), to the second, clamped to years 1–9999 (see [`clamp`]).
pub(crate) fn stamp_time(stamp: &Stamp) -> DateTime<FixedOffset> {
    let minutes = stamp.offset_secs / 60;
    let offset = FixedOffset::east_opt(minutes * 60).unwrap_or_else(utc_offset);
    clamp(stamp.utc).with_timezone(&offset)
}

/// A UTC instant as a fixed-offset date-time, to the second, clamped like [`stamp_time`].
pub(crate) fn utc_time(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    clamp(t).with_timezone(&utc_offset())
}

/// Drop sub-seconds and keep the instant within 0001-01-02 … 9999-12-30 (UTC), so that any
/// offset still gives a four-digit year: chrono's RFC 822 writer panics outside it and RFC
/// 3339 cannot express it. Dates out there are broken input; a clamp keeps them stable.
fn clamp(t: DateTime<Utc>) -> DateTime<Utc> {
    let lo = Utc.with_ymd_and_hms(1, 1, 2, 0, 0, 0).single();
    let hi = Utc.with_ymd_and_hms(9999, 12, 30, 23, 59, 59).single();
    let t = t.trunc_subsecs(0);
    match (lo, hi) {
        (Some(lo), _) if t < lo => lo,
        (_, Some(hi)) if t > hi => hi,
        _ => t,
    }
}

/// Bytes from an XML writer as a document ending in a newline.
pub(crate) fn finish_document(bytes: Vec<u8>) -> String {
    let mut out = String::from_utf8(bytes)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn utc_offset() -> FixedOffset {
    FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!("0 is a valid offset"))
}

/// The Unix epoch, the stable stand-in for "no date at all" where a format demands one.
pub(crate) fn epoch() -> DateTime<Utc> {
    Utc.timestamp_opt(0, 0).single().unwrap_or_default()
}

impl OutFeed {
    /// The feed-level date: `updated`, else the newest item date (updated, else published).
    /// `None` only when nothing is dated. Never the run time.
    pub fn effective_updated(&self) -> Option<DateTime<Utc>> {
        self.updated.or_else(|| {
            self.items
                .iter()
                .filter_map(|i| i.updated.or(i.published).map(|s| s.utc))
                .max()
        })
    }
}

/// Keep the first occurrence of each non-blank category, XML-safe, in order.
pub(crate) fn categories(item: &Item) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in &item.categories {
        let c = safe(c.trim());
        if !c.is_empty() && !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The display name of a person: name, else e-mail, else URI (XML-safe, non-blank).
pub(crate) fn person_name(p: &Person) -> Option<String> {
    safe_opt(p.name.as_deref())
        .or_else(|| safe_opt(p.email.as_deref()))
        .or_else(|| safe_opt(p.uri.as_deref()))
}

/// Whether an id can be used as a permalink: an absolute http(s) URL.
pub(crate) fn is_http_url(s: &str) -> bool {
    url::Url::parse(s).is_ok_and(|u| matches!(u.scheme(), "http" | "https"))
}

/// HTML → plain text for JSON Feed `summary`: tags removed (block-level tags become a space),
/// entities decoded once, whitespace collapsed. A `<` that does not open a tag stays text.
/// The title to show for an item in RSS and Atom, where readers invent one when it is missing
/// (newsboat uses the link's last path segment): the item's own title; else the opening words of
/// its summary or content (at most ~80 characters, cut at a word, with an ellipsis); else the
/// last segment of its link, made readable; else none. JSON Feed keeps titles optional
/// (micro-posts) and is written without this.
pub fn display_title(item: &Item) -> Option<String> {
    if let Some(t) = item.title.as_deref().filter(|t| !t.trim().is_empty()) {
        return Some(t.to_string());
    }
    let text = item
        .summary
        .as_deref()
        .or(item.content.as_deref())
        .map(plain_text)
        .unwrap_or_default();
    if !text.is_empty() {
        const MAX: usize = 80;
        if text.chars().count() <= MAX {
            return Some(text);
        }
        let mut cut = String::new();
        for word in text.split_whitespace() {
            if cut.chars().count() + word.chars().count() + 1 > MAX {
                break;
            }
            if !cut.is_empty() {
                cut.push(' ');
            }
            cut.push_str(word);
        }
        if cut.is_empty() {
            cut = text.chars().take(MAX).collect();
        }
        cut.push('…');
        return Some(cut);
    }
    let link = url::Url::parse(item.link.as_deref()?).ok()?;
    let segment = link
        .path_segments()
        .and_then(|mut s| s.rfind(|seg| !seg.is_empty()).map(str::to_string))
        .or_else(|| link.host_str().map(str::to_string))?;
    let decoded = url::form_urlencoded::parse(segment.as_bytes())
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect::<Vec<_>>()
        .join("&");
    let words = decoded
        .trim_end_matches(".html")
        .trim_end_matches(".htm")
        .replace(['-', '_'], " ");
    let words = words.trim();
    if words.is_empty() {
        return None;
    }
    let mut chars = words.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

pub fn plain_text(html: &str) -> String {
    const INLINE: &[&str] = &[
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i",
        "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr",
    ];
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(pos) = rest.find('<') {
        text.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let opens_tag = after
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || matches!(c, '/' | '!' | '?'));
        if !opens_tag {
            text.push('<');
            rest = after;
            continue;
        }
        if let Some(body) = after.strip_prefix("!--") {
            // A comment: skip to its end (or everything, when unterminated).
            rest = body.find("-->").map_or("", |end| &body[end + 3..]);
            continue;
        }
        let end = tag_end(after);
        let tag = &after[..end];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !INLINE.contains(&name.as_str()) {
            text.push(' ');
        }
        rest = after.get(end + 1..).unwrap_or("");
    }
    text.push_str(rest);
    let decoded = html_escape::decode_html_entities(&text);
    decoded.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Byte index of the `>` closing a tag that starts at `s` (quotes respected), or `s.len()`.
fn tag_end(s: &str) -> usize {
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return i,
            _ => {}
        }
    }
    s.len()
}

/// A small feed with two items, shared by the renderers' unit tests.
#[cfg(test)]
pub(crate) mod fixture {
    use super::OutFeed;
    use crate::model::{DatePrecision, Enclosure, Item, Origin, Person, Stamp};

    use chrono::DateTime;

    pub fn stamp(s: &str) -> Stamp {
        Stamp::exact(DateTime::parse_from_rfc3339(s).unwrap())
    }

    /// Two items: a full one (offset +02:00, author with e-mail, enclosure, HTML and control
    /// characters in the title) and a bare one (only `updated`, no author, no summary).
    pub fn two_items() -> OutFeed {
        let full = Item {
            id: "https://example.org/posts/1".into(),
            source_ids: vec!["blog".into()],
            title: Some("Caf\u{e9} <b>&amp;</b> \u{1}news".into()),
            link: Some("https://example.org/posts/1".into()),
            published: Some(stamp("2024-03-01T10:30:00+02:00")),
            updated: Some(stamp("2024-03-02T08:00:00+02:00")),
            authors: vec![Person {
                name: Some("Ann Author".into()),
                email: Some("ann@example.org".into()),
                uri: Some("https://example.org/ann".into()),
            }],
            summary: Some("<p>Short &amp; sweet</p>".into()),
            content: Some("<p>Long <em>body</em> ]]> end</p>".into()),
            categories: vec!["rust".into(), "feeds".into(), "rust".into()],
            enclosures: vec![Enclosure {
                url: "https://example.org/a.mp3".into(),
                mime_type: Some("audio/mpeg".into()),
                length: Some(1234),
            }],
            image: Some("https://example.org/a.png".into()),
            language: Some("fr".into()),
            comments: Some("https://example.org/posts/1#comments".into()),
            origin: Some(Origin {
                source_id: "blog".into(),
                title: Some("The Blog".into()),
                link: Some("https://example.org/".into()),
                feed_url: Some("https://example.org/feed.xml".into()),
            }),
            ..Item::default()
        };
        let bare = Item {
            id: "urn:feedwright:news:abc123".into(),
            source_ids: vec!["news".into()],
            title: Some("Bare item".into()),
            link: Some("https://news.example.com/b".into()),
            updated: Some(Stamp {
                precision: DatePrecision::FirstSeen,
                ..stamp("2024-02-29T23:00:00Z")
            }),
            origin: Some(Origin {
                source_id: "news".into(),
                title: None,
                link: Some("https://news.example.com/".into()),
                feed_url: None,
            }),
            ..Item::default()
        };
        OutFeed {
            id: "all".into(),
            title: "All <news>".into(),
            description: None,
            link: "https://example.org/".into(),
            base_url: Some("https://feeds.example.org/".into()),
            language: Some("en".into()),
            authors: vec![],
            updated: Some(stamp("2024-03-02T08:00:00+02:00").utc),
            merged: true,
            items: vec![full, bare],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[ignore = "prints the fixture's documents"]
    fn print_fixture() {
        let f = fixture::two_items();
        println!("{}", rss::render(&f));
        println!("{}", atom::render(&f));
        println!("{}", json::render(&f));
    }

    #[test]
    fn dates_are_clamped_and_offsets_whole_minutes() {
        let far = Stamp {
            offset_secs: 3600 + 59,
            ..fixture::stamp("9999-12-31T23:30:00Z")
        };
        let t = stamp_time(&far);
        assert_eq!(t.to_rfc3339(), "9999-12-31T00:59:59+01:00");
        assert_eq!(t.to_rfc2822(), "Fri, 31 Dec 9999 00:59:59 +0100");
        let early = DateTime::<Utc>::MIN_UTC;
        assert_eq!(utc_time(early).to_rfc3339(), "0001-01-02T00:00:00+00:00");
        let max = Stamp {
            offset_secs: 14 * 3600,
            ..Stamp::first_seen(DateTime::<Utc>::MAX_UTC)
        };
        assert!(stamp_time(&max).to_rfc2822().contains(" 9999 "));
    }

    #[test]
    fn xml_safe_drops_forbidden_chars_only() {
        assert!(matches!(xml_safe("a&b <c> ]]>"), Cow::Borrowed(_)));
        assert_eq!(
            xml_safe("a\u{0}b\u{8}\t\n\r\u{B}\u{C}\u{1F}c\u{FFFE}\u{FFFF}\u{FFFD}\u{10000}"),
            "ab\t\n\rc\u{FFFD}\u{10000}"
        );
    }

    #[test]
    fn plain_text_strips_tags_and_decodes_once() {
        assert_eq!(
            plain_text("<p>Hello <b>bold</b>&nbsp;world &amp;amp; 1 < 2</p><p>Next</p>"),
            "Hello bold world &amp; 1 < 2 Next"
        );
        assert_eq!(
            plain_text("a<!-- x > y -->b<img alt=\"a>b\" src=x>c"),
            "ab c"
        );
        assert_eq!(plain_text("unterminated <a href="), "unterminated");
    }
}

#[cfg(test)]
mod title_tests {
    use super::*;

    #[test]
    fn display_titles_fall_back_to_text_then_link() {
        let mut item = Item {
            link: Some("https://ex.org/2026/11/initial-post/".into()),
            ..Item::default()
        };
        assert_eq!(display_title(&item).as_deref(), Some("Initial post"));
        item.summary = Some("<p>Just a <b>short</b> note.</p>".into());
        assert_eq!(display_title(&item).as_deref(), Some("Just a short note."));
        item.summary = Some("word ".repeat(40));
        let long = display_title(&item).unwrap();
        assert!(long.ends_with('…') && long.chars().count() <= 81, "{long}");
        item.title = Some("Real title".into());
        assert_eq!(display_title(&item).as_deref(), Some("Real title"));
        let bare = Item::default();
        assert_eq!(display_title(&bare), None);
    }
}
