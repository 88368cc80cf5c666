//! The fast path for plain, well-formed RSS 2.0: one quick-xml pass over the undecoded bytes
//! that builds the raw [`SourceFeed`] directly, without the repair pass, feed-rs and the
//! extras scan. It accepts only documents on which the full path (`feed::read_feed`: decode,
//! repair, feed-rs, extras, mapping) would do nothing it does not do itself — valid UTF-8
//! starting with `<`, no character XML forbids, no DOCTYPE, only the five XML entities and
//! plain character references, an `rss version="2.0"` root without a default namespace, no
//! `xml:base`, no undeclared prefixes — and reads only the elements whose handling it copies
//! exactly (channel title/link/description/language/dates/`atom:link`; item title, link,
//! description, `content:encoded`, author, `dc:creator`, category, guid, pubDate, `dc:date`,
//! comments, `wfw:commentRss`). Elements in namespaces neither path reads are skipped. Anything
//! else (media, iTunes, enclosures, Atom or Dublin Core fields the extras scan maps, markup
//! inside a text field, parse errors …) makes it answer `None`, and the caller takes the full
//! path. Leaf text without markup is sliced from the document up to its end tag rather than
//! tokenised, and the item links and images it parses are handed to normalising as
//! `SourceFeed::url_hints`. tests/fast_path.rs checks both paths agree on every corpus document
//! it accepts.

use crate::model::{Item, ItemUrls, Origin, Person, SourceFeed, UrlHints};
use crate::source::feed::{
    DateLog, MAX_ITEMS, ReadContext, absolute, absolute_parsed, clean_person_name, first_img_src,
    log_date, stamp,
};
use crate::source::repair;
use chrono::{DateTime, Utc};
use quick_xml::NsReader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::ResolveResult;
use std::borrow::Cow;
use url::Url;

/// Reads `bytes` on the fast path, or `None` when the document needs the full path.
pub fn read_rss2(bytes: &[u8], ctx: &ReadContext<'_>) -> Option<SourceFeed> {
    // The full path drops anything before the first markup (with a warning) and sniffs
    // encodings: only a document that starts right away and is valid UTF-8 qualifies (valid
    // UTF-8 is decoded as UTF-8 whatever the HTTP header or the declaration say).
    if !matches!(
        bytes.get(1),
        Some(b'?' | b'!' | b'_' | b'a'..=b'z' | b'A'..=b'Z')
    ) || bytes.first() != Some(&b'<')
    {
        return None;
    }
    let text = std::str::from_utf8(bytes).ok()?;
    if !all_xml_chars(bytes) || !root_is_plain_rss2(text) {
        return None;
    }
    let mut p = Pass::new(text);
    let channel = p.document()?;
    Some(map(channel, ctx, &p.log))
}

/// No character that XML 1.0 forbids (the repair pass would remove it, with a warning): C0
/// controls other than tab, LF and CR, and U+FFFE/U+FFFF. The bytes are valid UTF-8.
fn all_xml_chars(bytes: &[u8]) -> bool {
    let bad_at = |i: usize| {
        let b = bytes[i];
        (b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r'))
            || (b == 0xEF
                && bytes.get(i + 1) == Some(&0xBF)
                && matches!(bytes.get(i + 2), Some(0xBE | 0xBF)))
    };
    // Blocks without a suspect byte (vectorised) are passed over; suspects are looked at.
    let mut i = 0;
    while i < bytes.len() {
        let end = (i + 64).min(bytes.len());
        let suspect = bytes[i..end].iter().fold(false, |acc, &b| {
            acc | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r')) | (b == 0xEF)
        });
        if suspect && (i..end).any(bad_at) {
            return false;
        }
        i = end;
    }
    true
}

/// The root start tag is `<rss … version="2.0" …>` and names none of the namespaces the repair
/// pass rewrites (so the full path leaves it alone and feed-rs reads RSS 2.0).
fn root_is_plain_rss2(text: &str) -> bool {
    let Some((start, end, name)) = repair::root_start_tag(text) else {
        return false;
    };
    let tag = &text[start..end];
    name == "rss"
        && repair::pseudo_attr(tag, "version").as_deref() == Some("2.0")
        && !repair::rewrites_namespaces(tag)
}

/// Namespaces, as far as the two paths read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No prefix (RSS 2.0 has no namespace).
    Rss,
    Atom,
    Content,
    Dc,
    DcTerms,
    Wfw,
    /// Read by feed-rs in ways this path does not copy (MediaRSS, iTunes, Podcast, RSS 1.0).
    Refused,
    /// Read by neither path.
    Other,
}

fn classify(uri: &str) -> Ns {
    match uri {
        "http://www.w3.org/2005/Atom" => Ns::Atom,
        "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
        "http://purl.org/dc/elements/1.1/" => Ns::Dc,
        "http://purl.org/dc/terms/" => Ns::DcTerms,
        "http://wellformedweb.org/CommentAPI/" => Ns::Wfw,
        "http://purl.org/rss/1.0/"
        | "http://search.yahoo.com/mrss/"
        | "http://www.itunes.com/dtds/podcast-1.0.dtd"
        | "https://podcastindex.org/namespace/1.0" => Ns::Refused,
        _ => Ns::Other,
    }
}

/// What one event is, with the checks every event passes already made.
enum Ev<'a> {
    Start(Ns, BytesStart<'a>),
    End,
    Text(Cow<'a, str>),
    Ignorable,
    Eof,
}

#[derive(Default)]
struct RawLink {
    href: String,
    kind: LinkKind,
    /// The parsed `href` when it is an absolute http(s) URL (`href` is then its
    /// serialisation, which parses back to the same URL).
    url: Option<Url>,
}

#[derive(Default, Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    #[default]
    Plain,
    Alternate,
    OtherRel,
    Comments,
    CommentsFeed,
}

#[derive(Default)]
struct RawItem {
    title: Option<String>,
    links: Vec<RawLink>,
    summary: Option<String>,
    content: Option<String>,
    authors: Vec<String>,
    categories: Vec<String>,
    guid: Option<String>,
    published: Option<DateTime<Utc>>,
}

#[derive(Default)]
struct RawChannel {
    title: Option<String>,
    links: Vec<RawLink>,
    description: Option<String>,
    language: Option<String>,
    items: Vec<RawItem>,
}

struct Pass<'a> {
    /// The whole document (the reader's offsets index it).
    doc: &'a str,
    reader: NsReader<&'a [u8]>,
    log: DateLog,
    /// An earlier item link parsed as an http(s) URL, on the origin of the last one (the next
    /// one is usually on the same site).
    last_link: Option<Url>,
}

impl<'a> Pass<'a> {
    fn new(text: &'a str) -> Self {
        let mut reader = NsReader::from_str(text);
        let config = reader.config_mut();
        // As feed-rs reads.
        config.expand_empty_elements = true;
        config.trim_markup_names_in_closing_tags = true;
        // Unlike feed-rs: white space between elements makes no event. Nothing here reads the
        // text between elements but to refuse what is not white space (still an event, trimmed),
        // and leaf text is taken from the document itself (`text`), untrimmed.
        config.trim_text(true);
        Pass {
            doc: text,
            reader,
            log: DateLog::default(),
            last_link: None,
        }
    }

    /// The next event, or `None` to give up on the document.
    fn next(&mut self) -> Option<Ev<'a>> {
        let (ns, event) = self.reader.read_resolved_event().ok()?;
        let ns = match ns {
            ResolveResult::Unbound => Ns::Rss,
            ResolveResult::Bound(uri) => classify(uri.as_ref()),
            // feed-rs would read an undeclared prefix as RSS.
            ResolveResult::Unknown(_) => return None,
        };
        Some(match event {
            Event::Start(e) => {
                check_tag(&e)?;
                Ev::Start(ns, e)
            }
            Event::End(_) => Ev::End,
            Event::Text(t) => {
                if memchr::memchr(b'&', t.as_bytes()).is_some() {
                    return None;
                }
                Ev::Text(t.into_inner())
            }
            Event::CData(t) => {
                if t.contains("<link") {
                    return None;
                }
                Ev::Text(t.into_inner())
            }
            // Only in content nobody reads (leaf text is read whole by `text`): checked, as
            // the repair pass and feed-rs's reader would look at it, then passed over.
            Event::GeneralRef(r) => {
                let name: &str = &r;
                if !matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
                    if !repair::keeps_reference(&format!("&{name};")) {
                        return None;
                    }
                    r.resolve_char_ref().ok()??;
                }
                Ev::Ignorable
            }
            Event::Comment(t) => {
                if t.contains("<link") {
                    return None;
                }
                Ev::Ignorable
            }
            Event::PI(t) => {
                if t.contains("<link") {
                    return None;
                }
                Ev::Ignorable
            }
            Event::Decl(_) => Ev::Ignorable,
            Event::DocType(_) | Event::Empty(_) => return None,
            Event::Eof => Ev::Eof,
        })
    }

    /// Prolog, the `rss` root, its channel, and what follows.
    fn document(&mut self) -> Option<RawChannel> {
        // Up to the root.
        loop {
            match self.next()? {
                Ev::Start(Ns::Rss, e) if e.name().as_ref() == "rss" => {
                    let version = e.try_get_attribute("version").ok()??;
                    if attr_value(&version.value) != "2.0" {
                        return None;
                    }
                    break;
                }
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Ignorable => {}
                _ => return None,
            }
        }
        // Children of the root: feed-rs takes the first `channel`.
        let mut channel = None;
        loop {
            match self.next()? {
                Ev::Start(ns, e) => {
                    let local = e.local_name();
                    if local.as_ref() == "channel" && ns == Ns::Rss && channel.is_none() {
                        channel = Some(self.channel()?);
                    } else if channel.is_some() || local.as_ref() == "channel" {
                        return None;
                    } else {
                        self.skip()?;
                    }
                }
                Ev::End => break,
                Ev::Eof => return None,
                _ => {}
            }
        }
        // After the root.
        loop {
            match self.next()? {
                Ev::Eof => break,
                Ev::Start(..) => return None,
                _ => {}
            }
        }
        channel
    }

    fn channel(&mut self) -> Option<RawChannel> {
        let mut ch = RawChannel::default();
        // Room for the items up front (a guess that counts `<item` anywhere, at most what is
        // kept), rather than growing a vector of large records item by item.
        ch.items.reserve(
            memchr::memmem::find_iter(self.doc.as_bytes(), b"<item")
                .take(MAX_ITEMS)
                .count(),
        );
        loop {
            let (ns, e) = match self.next()? {
                Ev::Start(ns, e) => (ns, e),
                Ev::End => return Some(ch),
                Ev::Eof => return None,
                _ => continue,
            };
            let local = e.local_name();
            match (ns, local.as_ref()) {
                (Ns::Rss, "title") => ch.title = self.text(&e)?.map(trimmed),
                (Ns::Rss, "link") => {
                    if e.attributes().next().is_some() {
                        return None;
                    }
                    if let Some(t) = self.text(&e)? {
                        ch.links.push(RawLink {
                            href: feedrs_href(&t),
                            kind: LinkKind::Plain,
                            url: None,
                        });
                    }
                }
                (Ns::Rss, "description") => ch.description = self.text(&e)?.map(trimmed),
                (Ns::Rss, "language") => ch.language = self.text(&e)?.map(|t| t.to_lowercase()),
                (Ns::Rss, "pubDate" | "lastBuildDate" | "updated") => {
                    if let Some(t) = self.text(&e)? {
                        log_date(&mut self.log, &t);
                    }
                }
                (Ns::Rss, "item") => {
                    let item = self.item()?;
                    ch.items.push(item);
                }
                (Ns::Atom, "link") => {
                    let link = atom_link(&e)?;
                    self.skip()?;
                    if let Some(l) = link {
                        ch.links.push(l);
                    }
                }
                (Ns::Rss, "channel" | "rss") | (Ns::Refused | Ns::Atom, _) => return None,
                // What the extras scan reads for the channel.
                (Ns::Dc, "title" | "language") | (Ns::DcTerms, "title") => return None,
                _ => {
                    if local.as_ref() == "item" || local.as_ref() == "channel" {
                        return None;
                    }
                    self.skip()?;
                }
            }
        }
    }

    fn item(&mut self) -> Option<RawItem> {
        let mut it = RawItem::default();
        loop {
            let (ns, e) = match self.next()? {
                Ev::Start(ns, e) => (ns, e),
                Ev::End => return Some(it),
                Ev::Eof => return None,
                _ => continue,
            };
            let local = e.local_name();
            match (ns, local.as_ref()) {
                (Ns::Rss, "title") => it.title = self.text(&e)?.map(trimmed),
                (Ns::Rss, "link") => {
                    if e.attributes().next().is_some() {
                        return None;
                    }
                    if let Some(t) = self.text(&e)? {
                        let link = parsed_link(&t, self.last_link.as_ref());
                        if let Some(u) = link.url.as_ref().filter(|u| {
                            self.last_link.as_ref().is_none_or(|l| {
                                l[..url::Position::BeforePath] != u[..url::Position::BeforePath]
                            })
                        }) {
                            self.last_link = Some(u.clone());
                        }
                        it.links.push(link);
                    }
                }
                (Ns::Rss, "comments") => {
                    if let Some(t) = self.text(&e)? {
                        it.links.push(RawLink {
                            href: feedrs_href(&t),
                            kind: LinkKind::Comments,
                            url: None,
                        });
                    }
                }
                (Ns::Wfw, "commentRss" | "commentRSS") => {
                    if let Some(t) = self.text(&e)? {
                        it.links.push(RawLink {
                            href: feedrs_href(&t),
                            kind: LinkKind::CommentsFeed,
                            url: None,
                        });
                    }
                }
                (Ns::Rss, "description") => it.summary = self.text(&e)?.map(trimmed),
                (Ns::Content, "encoded") => {
                    it.content = self
                        .text(&e)?
                        .filter(|t| !t.is_empty())
                        .map(Cow::into_owned)
                }
                (Ns::Rss, "author") | (Ns::Dc, "creator") => {
                    if let Some(t) = self.text(&e)? {
                        // feed-rs looks for an e-mail address in it; not copied here.
                        if t.contains('@') {
                            return None;
                        }
                        it.authors.push(t.trim().to_string());
                    }
                }
                (Ns::Rss, "category") => {
                    if let Some(t) = self.text(&e)? {
                        it.categories.push(t.trim().to_string());
                    }
                }
                (Ns::Rss, "guid") => {
                    if let Some(t) = self.text(&e)? {
                        it.guid = Some(t.trim().to_string());
                    }
                }
                (Ns::Rss, "pubDate") | (Ns::Dc, "date") => {
                    it.published = match self.text(&e)? {
                        Some(t) => log_date(&mut self.log, &t),
                        None => None,
                    }
                }
                (Ns::Atom, "link") => self.skip()?,
                (Ns::Rss, "enclosure" | "updated" | "item" | "channel" | "rss")
                | (Ns::Refused | Ns::Atom, _) => return None,
                // What the extras scan reads for an item.
                (Ns::Dc, "title" | "modified" | "description" | "subject" | "author")
                | (Ns::DcTerms, "title" | "issued" | "created" | "modified") => return None,
                _ => {
                    if local.as_ref() == "item" || local.as_ref() == "channel" {
                        return None;
                    }
                    self.skip()?;
                }
            }
        }
    }

    /// The text of an element without child elements, as feed-rs's `child_as_text` reads it
    /// (text, CDATA and references joined, untrimmed; `None` when there is none), read up to
    /// the element's end tag. The outer `None` gives up (a child element, a reference the
    /// repair pass would rewrite …).
    fn text(&mut self, e: &BytesStart<'_>) -> Option<Option<Cow<'a, str>>> {
        // Where the content starts: the reader's input is the rest of the document.
        let doc: &'a str = self.doc;
        let at = doc.len() - self.reader.get_ref().len();
        let bytes = doc.as_bytes();
        // Plain content (no markup, as most leaf text is) ends at the first `<`, which must
        // then be this element's end tag: the content is taken without tokenising it, and the
        // reader goes on from the end tag, which it reads itself (checking it and closing the
        // element's namespace scope). An element written `<x/>` (the reader has already made
        // up its end) and anything else take the reader's way.
        let plain_end = (bytes.get(at.wrapping_sub(2)) != Some(&b'/'))
            .then(|| memchr::memchr(b'<', &bytes[at..]))
            .flatten()
            .map(|lt| at + lt)
            .filter(|&lt| closes(&bytes[lt..], e.name().as_ref().as_bytes()));
        let span = match plain_end {
            Some(lt) => {
                *self.reader.get_mut() = &bytes[lt..];
                if !matches!(self.reader.read_event().ok()?, Event::End(_)) {
                    return None;
                }
                &doc[at..lt]
            }
            None => {
                // The content's byte range, sliced from the document (already checked UTF-8;
                // the range lies between `>` and `<`, so on character boundaries). Only its
                // length is used: the reader's own offsets stop counting the document once
                // content has been passed over as above.
                let range = self.reader.read_to_end(e.name()).ok()?;
                let len = usize::try_from(range.end.checked_sub(range.start)?).ok()?;
                doc.get(at..at.checked_add(len)?)?
            }
        };
        if span.is_empty() {
            return Some(None);
        }
        let bytes = span.as_bytes();
        match memchr::memchr2(b'<', b'&', bytes) {
            None => Some(Some(Cow::Borrowed(span))),
            Some(at) if bytes[at] == b'&' && memchr::memchr(b'<', &bytes[at..]).is_none() => {
                unescape_predefined(span, at).map(Some)
            }
            // CDATA sections, comments or child elements: read the content's events.
            Some(_) => sub_text(span),
        }
    }

    /// Skips the rest of an element neither path reads, giving up on anything inside it that
    /// one of them would still look at.
    fn skip(&mut self) -> Option<()> {
        let mut depth = 1usize;
        loop {
            match self.next()? {
                Ev::Start(ns, e) => {
                    let local = e.local_name();
                    if matches!(ns, Ns::Atom | Ns::Refused)
                        || matches!(local.as_ref(), "item" | "channel" | "RDF")
                    {
                        return None;
                    }
                    depth += 1;
                }
                Ev::End => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(());
                    }
                }
                Ev::Eof => return None,
                _ => {}
            }
        }
    }
}

/// Whether `rest` starts with the end tag of an element named `name` (`</name>`, with
/// whitespace allowed before the `>`, as the reader reads closing tags).
fn closes(rest: &[u8], name: &[u8]) -> bool {
    let Some(after) = rest.strip_prefix(b"</").and_then(|r| r.strip_prefix(name)) else {
        return false;
    };
    let spaces = after
        .iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        .count();
    after.get(spaces) == Some(&b'>')
}

/// [`unescape_checked`] in one pass for text whose references are all among the five XML
/// entities (the usual escaped HTML of a description); `at` is the first `&`. Anything else
/// goes to [`unescape_checked`].
fn unescape_predefined(span: &str, mut at: usize) -> Option<Cow<'_, str>> {
    let bytes = span.as_bytes();
    let mut out = String::with_capacity(span.len());
    let mut done = 0;
    loop {
        out.push_str(&span[done..at]);
        let rest = &bytes[at..];
        let (value, len) = if rest.starts_with(b"&amp;") {
            ("&", 5)
        } else if rest.starts_with(b"&lt;") {
            ("<", 4)
        } else if rest.starts_with(b"&gt;") {
            (">", 4)
        } else if rest.starts_with(b"&quot;") {
            ("\"", 6)
        } else if rest.starts_with(b"&apos;") {
            ("'", 6)
        } else {
            return unescape_checked(span);
        };
        out.push_str(value);
        done = at + len;
        match memchr::memchr(b'&', &bytes[done..]) {
            Some(next) => at = done + next,
            None => break,
        }
    }
    out.push_str(&span[done..]);
    Some(Cow::Owned(out))
}

/// Text with references: each one must be a reference the repair pass keeps; resolved as
/// feed-rs resolves them.
fn unescape_checked(span: &str) -> Option<Cow<'_, str>> {
    let mut from = 0;
    while let Some(i) = span[from..].find('&') {
        let at = from + i;
        let rest = &span[at..];
        let predefined = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
            .iter()
            .any(|p| rest.starts_with(p));
        if !predefined && !repair::keeps_reference(rest) {
            return None;
        }
        from = at + 1;
    }
    quick_xml::escape::unescape(span).ok()
}

/// The text of an element's content that holds markup (CDATA, comments): its events joined as
/// feed-rs joins them; `None` for a child element or anything the repair pass would change.
fn sub_text(span: &str) -> Option<Option<Cow<'_, str>>> {
    let mut reader = quick_xml::Reader::from_str(span);
    let config = reader.config_mut();
    config.expand_empty_elements = true;
    config.trim_text(false);
    let mut acc: Option<Cow<'_, str>> = None;
    let push = |acc: &mut Option<Cow<'_, str>>, t: &str| match acc.as_mut() {
        None => *acc = Some(Cow::Owned(t.to_string())),
        Some(a) => a.to_mut().push_str(t),
    };
    loop {
        match reader.read_event().ok()? {
            Event::Text(t) => {
                if t.contains('&') {
                    return None;
                }
                if !t.is_empty() {
                    push(&mut acc, &t);
                }
            }
            Event::CData(t) => {
                if t.contains("<link") {
                    return None;
                }
                if !t.is_empty() {
                    push(&mut acc, &t);
                }
            }
            Event::GeneralRef(r) => {
                let name: &str = &r;
                if !repair::keeps_reference(&format!("&{name};")) {
                    return None;
                }
                match r.resolve_char_ref().ok()? {
                    Some(c) => push(&mut acc, c.encode_utf8(&mut [0; 4])),
                    None => push(
                        &mut acc,
                        quick_xml::escape::resolve_predefined_entity(name)?,
                    ),
                }
            }
            Event::Comment(t) => {
                if t.contains("<link") {
                    return None;
                }
            }
            Event::PI(t) => {
                if t.contains("<link") {
                    return None;
                }
            }
            Event::Eof => return Some(acc),
            _ => return None,
        }
    }
}

/// Every start tag: no `<` inside (the repair pass's textual rewrites could see a tag there),
/// every `&` a reference the repair pass keeps, no default namespace, no `xml:base`.
fn check_tag(e: &BytesStart<'_>) -> Option<()> {
    let raw: &str = e;
    let bytes = raw.as_bytes();
    let mut declares = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'<' => return None,
            b'&' if !repair::keeps_reference(&raw[i..]) => return None,
            b'x' if bytes[i..].starts_with(b"xml:base") => return None,
            b'x' if bytes[i..].starts_with(b"xmlns") => declares = true,
            _ => {}
        }
    }
    if declares {
        for a in e.attributes() {
            let a = a.ok()?;
            if a.key.as_ref() == "xmlns" {
                return None;
            }
        }
    }
    Some(())
}

/// An `atom:link` in the channel as feed-rs reads it (`Some(None)`: no `href`).
fn atom_link(e: &BytesStart<'_>) -> Option<Option<RawLink>> {
    let mut href = None;
    let mut rel = None;
    for a in e.attributes() {
        let a = a.ok()?;
        let value = attr_value(&a.value);
        match a.key.as_ref() {
            "href" if href.is_none() => href = Some(value),
            "rel" => rel = Some(value),
            _ => {}
        }
    }
    Some(href.map(|h| RawLink {
        href: feedrs_href(&h),
        kind: match rel.as_deref() {
            None => LinkKind::Alternate,
            Some(r) if r.eq_ignore_ascii_case("alternate") => LinkKind::Alternate,
            Some(_) => LinkKind::OtherRel,
        },
        url: None,
    }))
}

/// An attribute value as feed-rs reads it: references resolved, no whitespace normalisation.
fn attr_value(raw: &str) -> String {
    quick_xml::escape::unescape(raw)
        .map(Cow::into_owned)
        .unwrap_or_else(|_| raw.to_string())
}

fn trimmed(t: Cow<'_, str>) -> String {
    if t.trim().len() == t.len() {
        t.into_owned()
    } else {
        t.trim().to_string()
    }
}

/// An item's `<link>` as feed-rs stores it, keeping the parsed URL when it is http(s); `last`:
/// the previous item's link, if http(s).
fn parsed_link(s: &str, last: Option<&Url>) -> RawLink {
    match parse_on_site(s, last) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => RawLink {
            href: u.as_str().to_string(),
            kind: LinkKind::Plain,
            url: Some(u),
        },
        _ => RawLink {
            href: feedrs_href(s),
            kind: LinkKind::Plain,
            url: None,
        },
    }
}

/// `Url::parse(s)`, sparing the scheme and host when `s` is on `site`'s origin: `s` starts with
/// `site`'s serialisation up to its path, followed by a path that starts with one `/` (not
/// `//` or `/\\`, which would name another host). The URL standard then resolves the path
/// against `site` to what parsing `s` whole gives (scheme, credentials, host and port taken from
/// the same characters).
fn parse_on_site(s: &str, site: Option<&Url>) -> Result<Url, url::ParseError> {
    if let Some(site) = site.filter(|u| matches!(u.scheme(), "http" | "https")) {
        let origin = &site[..url::Position::BeforePath];
        if let Some(path) = s.strip_prefix(origin)
            && path.as_bytes().first() == Some(&b'/')
            && !matches!(path.as_bytes().get(1), Some(b'/' | b'\\'))
        {
            return site.join(path);
        }
    }
    Url::parse(s)
}

/// A link's `href` as feed-rs stores it: re-serialised when it parses as an absolute URL,
/// trimmed.
fn feedrs_href(s: &str) -> String {
    match Url::parse(s) {
        Ok(u) => String::from(u).trim().to_string(),
        Err(_) => s.trim().to_string(),
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    let s = s?;
    let t = s.trim();
    if t.is_empty() {
        None
    } else if t.len() == s.len() {
        Some(s)
    } else {
        Some(t.to_string())
    }
}

/// The same mapping as `feed::map_feed`/`map_entry` for what this path reads.
fn map(ch: RawChannel, ctx: &ReadContext<'_>, log: &DateLog) -> SourceFeed {
    let feed_url = ctx.feed_url;
    let home = ch
        .links
        .iter()
        .rev()
        .find(|l| l.kind == LinkKind::Plain)
        .or_else(|| {
            ch.links
                .iter()
                .find(|l| matches!(l.kind, LinkKind::Plain | LinkKind::Alternate))
        })
        .and_then(|l| absolute(&l.href, feed_url));
    let home_url = home.as_deref().and_then(|h| Url::parse(h).ok());
    let base = home_url.as_ref().or(feed_url);
    let title = non_empty(ch.title);
    let language = ch.language.filter(|l| !l.trim().is_empty());
    let origin = Origin {
        source_id: ctx.source_id.to_string(),
        title: title.clone(),
        link: home.clone(),
        feed_url: feed_url.map(|u| u.to_string()),
    };
    let (items, hints) = ch
        .items
        .into_iter()
        .take(MAX_ITEMS)
        .map(|it| map_item(it, ctx, base, &language, &origin, log))
        .unzip();
    let mut warnings = Vec::new();
    for raw in &log.failed {
        warnings.push(format!("unreadable date `{raw}`"));
    }
    SourceFeed {
        title,
        link: home,
        description: non_empty(ch.description),
        language,
        authors: Vec::new(),
        items,
        warnings,
        url_hints: UrlHints(hints),
    }
}

fn map_item(
    mut it: RawItem,
    ctx: &ReadContext<'_>,
    base: Option<&Url>,
    language: &Option<String>,
    origin: &Origin,
    log: &DateLog,
) -> (Item, ItemUrls) {
    it.links.retain(|l| l.href != repair::NO_LINK_SENTINEL);
    // feed-rs drops comment links that repeat another link.
    if it.links.iter().any(|l| l.kind == LinkKind::Comments) {
        let others: Vec<String> = it
            .links
            .iter()
            .filter(|l| l.kind != LinkKind::Comments)
            .map(|l| l.href.clone())
            .collect();
        it.links
            .retain(|l| l.kind != LinkKind::Comments || !others.contains(&l.href));
    }
    let (link, link_url) = match it
        .links
        .iter_mut()
        .rev()
        .find(|l| l.kind == LinkKind::Plain)
    {
        // `absolute` would re-serialise the URL unchanged, and it would parse back the same.
        Some(RawLink {
            href,
            url: url @ Some(_),
            ..
        }) => (Some(std::mem::take(href)), url.take()),
        Some(l) => {
            let link = absolute(&l.href, base);
            let url = link.as_deref().and_then(|l| Url::parse(l).ok());
            (link, url)
        }
        None => (None, None),
    };
    let entry_base = link_url.as_ref().or(base);

    let published = stamp(it.published, log);
    let mut summary = non_empty(it.summary);
    let mut content = non_empty(it.content);
    if content.is_none() {
        content = summary.take();
    }
    let (image, image_url) = [content.as_deref(), summary.as_deref()]
        .into_iter()
        .flatten()
        .find_map(first_img_src)
        .and_then(|src| absolute_parsed(&src, entry_base))
        .unzip();
    let image_url = image_url.flatten();
    let comments = it
        .links
        .iter()
        .find(|l| l.kind == LinkKind::Comments)
        .and_then(|l| absolute(&l.href, entry_base));
    let mut categories: Vec<String> = Vec::new();
    for c in it.categories {
        if !c.is_empty() && !categories.contains(&c) {
            categories.push(c);
        }
    }
    let authors = it
        .authors
        .iter()
        .filter_map(|n| clean_person_name(n))
        .map(|name| Person {
            name: Some(name),
            email: None,
            uri: None,
        })
        .collect();
    let item = Item {
        id: String::new(),
        guid: it.guid.filter(|g| !g.is_empty()),
        source_ids: vec![ctx.source_id.to_string()],
        title: non_empty(it.title),
        link,
        published,
        updated: None,
        authors,
        summary,
        content,
        categories,
        enclosures: Vec::new(),
        image,
        language: language.clone(),
        comments,
        origin: Some(origin.clone()),
    };
    let urls = ItemUrls {
        link: link_url,
        image: image_url,
    };
    (item, urls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_on_the_last_links_site_parses_as_it_would_whole() {
        let sites = [
            "https://blog.example.org/2026/post/",
            "http://user:pw@blog.example.org:8080/a?b#c",
            "https://xn--caf-dma.example/",
        ];
        let links = [
            "https://blog.example.org/other/?utm_source=x#top",
            "https://blog.example.org",
            "https://blog.example.org/",
            "https://blog.example.org//evil.example/x",
            "https://blog.example.org/\\evil.example/x",
            "https://blog.example.org.evil.example/x",
            "https://blog.example.org:443/x",
            "https://blog.example.org/a/../b/./c%20d?q=1 2",
            "https://blog.example.org/tab\there\n ",
            "http://user:pw@blog.example.org:8080/x/../y",
            "http://user:pw@blog.example.org:8080//x",
            "https://xn--caf-dma.example/caf\u{e9}",
            "https://café.example/x",
            "/relative",
            "mailto:a@b.example",
        ];
        for site in sites {
            let site = Url::parse(site).unwrap();
            for link in links {
                assert_eq!(
                    parse_on_site(link, Some(&site)),
                    Url::parse(link),
                    "{link} after {site}"
                );
            }
        }
    }

    #[test]
    fn the_one_pass_unescape_reads_what_the_checked_one_reads() {
        for span in [
            "&lt;p&gt;Tom &amp; Jerry&apos;s &quot;x&quot;&lt;/p&gt;",
            "a &amp;amp; b",
            "&amp;",
            "x &#233; y &amp; z",
            "caf&eacute; &lt;b&gt;",
            "&amp &lt;",
            "end &",
        ] {
            let at = span.find('&').unwrap();
            assert_eq!(
                unescape_predefined(span, at),
                unescape_checked(span),
                "{span:?}"
            );
        }
    }
}
