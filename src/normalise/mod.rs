//! Normalising raw items into the model's guarantees: plain-text titles, absolute canonical
//! links, sanitised HTML, XML-safe strings, dates with precision and stable ids. Every source
//! reader hands its raw items here; nothing downstream re-cleans them. Identity is computed in
//! exactly one place, [`assign_id`].

pub mod date;

use crate::model::{Enclosure, Item, ItemUrls, Person, SourceFeed, Stamp};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::collections::HashSet;
use std::hash::BuildHasher;
use std::sync::LazyLock;

/// What normalising one source's items needs to know.
#[derive(Debug, Clone, Copy)]
pub struct NormaliseContext<'a> {
    /// The source id from feeds.toml.
    pub source_id: &'a str,
    /// `title` from feeds.toml, which replaces the feed's own title.
    pub title_override: Option<&'a str>,
    /// The URL the source was read from (base for relative URLs; `file://` for local paths).
    pub feed_url: Option<&'a url::Url>,
    /// The run's clock (`--now`), used to date undated items.
    pub now: DateTime<Utc>,
}

/// Normalise a raw feed as read by a source reader: feed-level fields cleaned, every item
/// cleaned and given its id, duplicates within the source (same id) folded together.
pub fn normalise_feed(feed: SourceFeed, ctx: &NormaliseContext<'_>) -> SourceFeed {
    normalise_feed_with(feed, ctx, Sanitise::Yes)
}

/// Whether [`normalise_feed_with`] sanitises HTML (always, outside the benchmark).
#[doc(hidden)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sanitise {
    Yes,
    /// Summary and content are passed through unsanitised (`benches/parse.rs` measures
    /// parse+normalise without sanitising this way, in one pipeline, not by subtraction).
    SkipForBenchmark,
}

/// [`normalise_feed`], with sanitising optional (for `benches/parse.rs` only).
#[doc(hidden)]
pub fn normalise_feed_with(
    feed: SourceFeed,
    ctx: &NormaliseContext<'_>,
    sanitise: Sanitise,
) -> SourceFeed {
    let feed_url_base = ctx.feed_url.cloned();
    let title = match ctx.title_override {
        Some(t) => Some(clean_text(t)),
        None => non_empty(feed.title.as_deref().map(clean_text)),
    };
    let link = feed
        .link
        .as_deref()
        .and_then(|l| canonical_link(l, feed_url_base.as_ref()));
    let description = non_empty(feed.description.as_deref().map(clean_text));
    let language = non_empty(feed.language.as_deref().map(clean_text));
    let feed_authors = clean_people(feed.authors, feed_url_base.as_ref());
    let home = link
        .as_deref()
        .and_then(|l| url::Url::parse(l).ok())
        .or(feed_url_base.clone());

    let mut items: Vec<Item> = Vec::with_capacity(feed.items.len());
    // Ids seen, by their hash (the ids themselves live in `items`; a hash shared by two
    // different ids is resolved by looking through the items).
    let mut seen: std::collections::HashMap<u64, usize> = Default::default();
    let hasher = std::hash::RandomState::new();
    // Every item of a feed usually carries the same origin title: cleaned once.
    let mut cleaned_origin_title: Option<(String, Option<String>)> = None;
    let hints = feed.url_hints.0;
    for (i, raw) in feed.items.into_iter().enumerate() {
        let mut item = normalise_item(
            raw,
            ctx,
            home.as_ref(),
            &feed_authors,
            sanitise,
            hints.get(i),
        );
        if item.language.is_none() {
            item.language.clone_from(&language);
        }
        if let Some(origin) = item.origin.as_mut() {
            if origin.source_id != ctx.source_id {
                origin.source_id = ctx.source_id.to_string();
            }
            if ctx.title_override.is_some() || origin.title.is_none() {
                origin.title.clone_from(&title);
            }
            origin.title = match origin.title.take() {
                None => None,
                Some(t) => match &cleaned_origin_title {
                    // Already clean (the usual case): the item's own copy is kept.
                    Some((raw, cleaned)) if *raw == t && cleaned.as_ref() == Some(&t) => Some(t),
                    Some((raw, cleaned)) if *raw == t => cleaned.clone(),
                    _ => {
                        let cleaned = non_empty(Some(clean_text(&t)));
                        cleaned_origin_title = Some((t, cleaned.clone()));
                        cleaned
                    }
                },
            };
            if origin.link.is_none() {
                origin.link.clone_from(&link);
            }
            // A local path is nobody else's business: never published as a feed URL.
            if origin
                .feed_url
                .as_deref()
                .is_some_and(|u| u.starts_with("file:"))
            {
                origin.feed_url = None;
            }
        } else {
            item.origin = Some(crate::model::Origin {
                source_id: ctx.source_id.to_string(),
                title: title.clone(),
                link: link.clone(),
                feed_url: ctx
                    .feed_url
                    .filter(|u| u.scheme() != "file")
                    .map(|u| u.to_string()),
            });
        }
        let key = hasher.hash_one(&item.id);
        let earlier = match seen.get(&key) {
            Some(&at) if items.get(at).is_some_and(|x| x.id == item.id) => Some(at),
            Some(_) => items.iter().position(|x| x.id == item.id),
            None => None,
        };
        match earlier {
            Some(at) => {
                if let Some(existing) = items.get_mut(at) {
                    fill_missing(existing, item);
                }
            }
            None => {
                seen.entry(key).or_insert(items.len());
                items.push(item);
            }
        }
    }

    SourceFeed {
        title,
        link,
        description,
        language,
        authors: feed_authors,
        items,
        warnings: feed.warnings,
        url_hints: Default::default(),
    }
}

fn normalise_item(
    raw: Item,
    ctx: &NormaliseContext<'_>,
    home: Option<&url::Url>,
    feed_authors: &[Person],
    sanitise: Sanitise,
    hints: Option<&ItemUrls>,
) -> Item {
    let mut raw_link = raw.link;
    let link_url = raw_link.as_deref().and_then(|l| {
        let parsed = ItemUrls::matching(hints.and_then(|h| h.link.as_ref()), l.trim());
        canonical_url_of(l, home.or(ctx.feed_url), parsed)
    });
    // The link as it came, when it already is its canonical form (no copy).
    let link = link_url.as_ref().map(|u| match raw_link.take() {
        Some(l) if l == u.as_str() && matches!(xml_safe(&l), Cow::Borrowed(_)) => l,
        _ => xml_safe(u.as_str()).into_owned(),
    });
    // Relative URLs inside the content resolve against the item's own page when known. (An
    // http(s) URL's serialisation parses back to the same URL: no second parse needed.)
    let content_base = link_url.or_else(|| home.map(Cow::Borrowed));
    let html = |h: String| match sanitise {
        Sanitise::Yes => sanitise_html(&h, content_base.as_deref()),
        Sanitise::SkipForBenchmark => h,
    };
    let content = non_empty(raw.content.map(&html));
    let mut summary = non_empty(raw.summary.map(&html));
    if summary.is_some() && summary == content {
        summary = None;
    }
    let mut authors = clean_people(raw.authors, home);
    if authors.is_empty() {
        authors = feed_authors.to_vec();
    }
    let mut categories = Vec::new();
    // Usually a handful per item, where a list beats hashing; many go through a set.
    let many = raw.categories.len() > 32;
    let mut seen_many: HashSet<String> = HashSet::new();
    for c in raw.categories {
        let c = clean_text_owned(c);
        if !c.is_empty() {
            let fresh = if many {
                seen_many.insert(c.to_lowercase())
            } else {
                !categories.iter().any(|x: &String| same_lowercase(x, &c))
            };
            if fresh {
                categories.push(c);
            }
        }
    }
    let mut enclosures: Vec<Enclosure> = Vec::new();
    for e in raw.enclosures {
        if let Some(url) = absolute_url(&e.url, content_base.as_deref()) {
            if enclosures.iter().any(|x| x.url == url) {
                continue;
            }
            enclosures.push(Enclosure {
                url,
                mime_type: non_empty(e.mime_type.as_deref().map(clean_text)),
                length: e.length,
            });
        }
    }
    let (published, updated) = match (raw.published, raw.updated) {
        (None, None) => (Some(Stamp::first_seen(ctx.now)), None),
        // An update before the publication is a source's mistake; readers flag it.
        (Some(p), Some(u)) if u.utc < p.utc => (Some(p), None),
        other => other,
    };
    let guid = raw.guid.map(|g| {
        if g.trim().len() == g.len() && matches!(xml_safe(&g), Cow::Borrowed(_)) {
            g
        } else {
            xml_safe(g.trim()).into_owned()
        }
    });
    let title = non_empty(raw.title.map(clean_text_owned));
    let source_ids = if raw.source_ids.len() == 1 && raw.source_ids[0] == ctx.source_id {
        raw.source_ids
    } else {
        vec![ctx.source_id.to_string()]
    };
    let mut item = Item {
        id: String::new(),
        guid,
        source_ids,
        title,
        link,
        published,
        updated,
        authors,
        summary,
        content,
        categories,
        enclosures,
        image: raw.image.as_deref().and_then(|u| {
            let parsed = ItemUrls::matching(hints.and_then(|h| h.image.as_ref()), u.trim());
            absolute_url_of(u, content_base.as_deref(), parsed)
        }),
        language: non_empty(raw.language.map(clean_text_owned)),
        comments: raw
            .comments
            .as_deref()
            .and_then(|u| absolute_url(u, content_base.as_deref())),
        origin: raw.origin,
    };
    item.id = id_of(ctx.source_id, &item, true);
    item
}

/// The one place an item's identity is computed (contract, "Identity"): the source's guid when
/// it is an absolute URI; else `urn:feedwright:<source>:<hash of guid>`; with no guid, the
/// canonical link; with neither, `urn:feedwright:<source>:<hash of title + date or summary>`.
pub fn assign_id(source_id: &str, item: &Item) -> String {
    id_of(source_id, item, false)
}

/// [`assign_id`]; `link_is_url`: the item's link is known to be a URL's serialisation (as
/// normalising makes it), so a guid equal to it is an absolute URI without parsing it again.
fn id_of(source_id: &str, item: &Item, link_is_url: bool) -> String {
    if let Some(guid) = item
        .guid
        .as_deref()
        .map(str::trim)
        .filter(|g| !g.is_empty())
    {
        if (link_is_url && item.link.as_deref() == Some(guid)) || is_absolute_uri(guid) {
            return guid.to_string();
        }
        return format!("urn:feedwright:{source_id}:{}", short_hash(&[guid]));
    }
    if let Some(link) = item.link.as_deref() {
        return link.to_string();
    }
    let title = item.title.as_deref().unwrap_or("");
    // A first-seen date is the run time, which differs between runs: it must not feed the id.
    let date = item
        .published
        .or(item.updated)
        .filter(|s| s.precision != crate::model::DatePrecision::FirstSeen)
        .map(|s| s.utc.to_rfc3339())
        .unwrap_or_default();
    let second = if date.is_empty() {
        item.summary
            .as_deref()
            .or(item.content.as_deref())
            .map(html_to_text)
            .unwrap_or_default()
    } else {
        date
    };
    format!(
        "urn:feedwright:{source_id}:{}",
        short_hash(&[title, &second])
    )
}

/// True for an absolute URI in the RFC 3986 sense: a scheme, a colon, and something after it
/// (`https://…`, `tag:…`, `urn:uuid:…`). Bare numbers and paths are not.
pub fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    let starts_alpha = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    starts_alpha
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
        && !s.chars().any(char::is_whitespace)
        && url::Url::parse(s).is_ok()
}

fn short_hash(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    digest.iter().take(10).map(|b| format!("{b:02x}")).collect()
}

/// Query parameters that only track clicks and never select content.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_") || matches!(n.as_str(), "fbclid" | "gclid" | "dclid" | "msclkid")
}

/// The canonical form of a link: absolute (against `base`), scheme and host lower-cased,
/// `utm_*`/`fbclid`/`gclid` and the fragment dropped, everything else kept as it was.
/// `None` when it is not a usable http(s) URL.
pub fn canonical_link(link: &str, base: Option<&url::Url>) -> Option<String> {
    canonical_url(link, base).map(|u| xml_safe(u.as_str()).into_owned())
}

/// Whether `a` and `b` lower-case to the same string (without allocating when both are ASCII).
fn same_lowercase(a: &str, b: &str) -> bool {
    if a.is_ascii() && b.is_ascii() {
        a.eq_ignore_ascii_case(b)
    } else {
        a.to_lowercase() == b.to_lowercase()
    }
}

/// [`canonical_link`] before serialising.
fn canonical_url(link: &str, base: Option<&url::Url>) -> Option<url::Url> {
    canonical_url_of(link, base, None).map(Cow::into_owned)
}

/// [`canonical_url`]; `parsed`: the trimmed link already parsed (see [`ItemUrls::matching`]).
fn canonical_url_of<'u>(
    link: &str,
    base: Option<&url::Url>,
    parsed: Option<&'u url::Url>,
) -> Option<Cow<'u, url::Url>> {
    let trimmed = link.trim();
    if trimmed.is_empty() {
        return None;
    }
    let mut parsed = match parsed {
        Some(u) => Cow::Borrowed(u),
        None => Cow::Owned(match url::Url::parse(trimmed) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(trimmed).ok()?,
            Err(_) => return None,
        }),
    };
    if !matches!(parsed.scheme(), "http" | "https") {
        return None;
    }
    if parsed.fragment().is_some() {
        parsed.to_mut().set_fragment(None);
    }
    if parsed.query().is_some() {
        let kept: Vec<(String, String)> = parsed
            .query_pairs()
            .filter(|(k, _)| !is_tracking_param(k))
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        let original_len = parsed.query_pairs().count();
        if kept.is_empty() {
            parsed.to_mut().set_query(None);
        } else if kept.len() != original_len {
            parsed.to_mut().query_pairs_mut().clear().extend_pairs(kept);
        }
    }
    Some(parsed)
}

/// Any URL made absolute (http, https, mailto …); used for enclosures, images and comments.
fn absolute_url(link: &str, base: Option<&url::Url>) -> Option<String> {
    absolute_url_of(link, base, None)
}

/// [`absolute_url`]; `parsed`: the trimmed link already parsed (see [`ItemUrls::matching`]).
fn absolute_url_of(
    link: &str,
    base: Option<&url::Url>,
    parsed: Option<&url::Url>,
) -> Option<String> {
    let trimmed = link.trim();
    if trimmed.is_empty() {
        return None;
    }
    let parsed = match parsed {
        Some(u) => Cow::Borrowed(u),
        None => Cow::Owned(match url::Url::parse(trimmed) {
            Ok(u) => u,
            Err(url::ParseError::RelativeUrlWithoutBase) => base?.join(trimmed).ok()?,
            Err(_) => return None,
        }),
    };
    if matches!(parsed.scheme(), "javascript" | "data" | "vbscript" | "file") {
        return None;
    }
    Some(xml_safe(parsed.as_str()).into_owned())
}

/// Plain text from a title-like field: tags stripped, entities decoded once, XML-forbidden
/// characters removed, whitespace collapsed.
pub fn clean_text(text: &str) -> String {
    // Already clean (no markup, references, controls or extra whitespace, as most titles
    // are): every step below would give it back unchanged.
    if is_clean_text(text) {
        return text.to_string();
    }
    clean_text_steps(text)
}

/// [`clean_text`] of an owned string, given back as it is when already clean.
pub fn clean_text_owned(text: String) -> String {
    if is_clean_text(&text) {
        return text;
    }
    clean_text_steps(&text)
}

/// [`clean_text`] step by step.
fn clean_text_steps(text: &str) -> String {
    let plain = if looks_like_markup(text) {
        Cow::Owned(html_to_text(text))
    } else {
        html_escape::decode_html_entities(text)
    };
    let plain = fix_c1_controls(&plain);
    collapse_whitespace(&xml_safe(&plain))
}

/// Text [`clean_text_steps`] gives back unchanged: no `<` or `&`, no control character (C0, DEL
/// or C1), no U+FFFE/U+FFFF, no whitespace but single spaces between words.
fn is_clean_text(text: &str) -> bool {
    let b = text.as_bytes();
    let ascii_ok = |c: u8| c == b' ' || ((b'!'..=b'~').contains(&c) && c != b'<' && c != b'&');
    if b.first() == Some(&b' ')
        || b.last() == Some(&b' ')
        || memchr::memmem::find(b, b"  ").is_some()
    {
        return false;
    }
    if b.is_ascii() {
        return b.iter().all(|&c| ascii_ok(c));
    }
    text.chars().all(|c| {
        if c.is_ascii() {
            ascii_ok(c as u8)
        } else {
            !c.is_whitespace()
                && !('\u{80}'..='\u{9f}').contains(&c)
                && !matches!(c, '\u{fffe}' | '\u{ffff}')
        }
    })
}

/// The words of `s` joined by single spaces (one pass, no list of words).
pub fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Whether a string holds an HTML tag (as opposed to a lone `<` in prose like "a < b").
fn looks_like_markup(text: &str) -> bool {
    static TAG: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)<(/?[a-z][a-z0-9]*(\s[^<>]*)?/?|!--)>?")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    text.contains('<') && TAG.is_match(text)
}

/// The text of an HTML fragment: tags dropped (script/style with their content), entities
/// decoded, whitespace collapsed.
pub fn html_to_text(html: &str) -> String {
    let fragment = scraper::Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len());
    for node in fragment.tree.nodes() {
        if let scraper::Node::Text(t) = node.value() {
            let inside_hidden = node.ancestors().any(|a| {
                a.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "template"))
            });
            if !inside_hidden {
                out.push_str(t);
                out.push(' ');
            }
        }
    }
    collapse_whitespace(&out)
}

/// Sanitise HTML with an allow-list (no script/style/iframe, no event handlers, no
/// `javascript:` URLs) and make every URL in it absolute against `base`.
pub fn sanitise_html(html: &str, base: Option<&url::Url>) -> String {
    // The allow-list is built once per thread (building it is most of the cost of a short
    // fragment); only the base changes from call to call.
    thread_local! {
        static SANITISER: std::cell::RefCell<ammonia::Builder<'static>> =
            std::cell::RefCell::new(sanitiser());
    }
    let cleaned = SANITISER.with(|cell| {
        let mut builder = cell.borrow_mut();
        match base {
            Some(b) => {
                builder.url_relative(ammonia::UrlRelative::RewriteWithBase(b.clone()));
            }
            None => {
                builder.url_relative(ammonia::UrlRelative::PassThrough);
            }
        }
        builder.clean(html).to_string()
    });
    xml_safe(&fix_c1_controls(cleaned.trim())).into_owned()
}

/// The allow-list [`sanitise_html`] applies (its `url_relative` is set per call).
fn sanitiser() -> ammonia::Builder<'static> {
    let mut builder = ammonia::Builder::default();
    builder.link_rel(Some("noopener noreferrer"));
    builder.add_tag_attributes("img", ["srcset", "loading"]);
    builder.add_tags(["figure", "figcaption", "picture", "source", "time"]);
    builder.add_tag_attributes("source", ["src", "srcset", "type", "media"]);
    builder.add_tag_attributes("time", ["datetime"]);
    builder
}

/// C1 control characters (U+0080–U+009F) in text are windows-1252 bytes that were decoded as
/// Latin-1 somewhere upstream (`don\u{92}t`); nobody means them. Map them to the characters
/// windows-1252 has there, and drop the five it leaves undefined.
pub fn fix_c1_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| {
                if ('\u{80}'..='\u{9f}').contains(&c) {
                    let byte = [c as u32 as u8];
                    let (decoded, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
                    decoded
                        .chars()
                        .next()
                        .filter(|d| !('\u{80}'..='\u{9f}').contains(d))
                } else {
                    Some(c)
                }
            })
            .collect(),
    )
}

/// Remove every character the XML 1.0 `Char` production forbids (C0 controls but tab, LF, CR;
/// U+FFFE, U+FFFF). Borrowed when nothing had to go.
pub fn xml_safe(s: &str) -> Cow<'_, str> {
    fn allowed(c: char) -> bool {
        matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
    }
    // In UTF-8 the forbidden characters are the bytes below 0x20 (but tab, LF, CR) and the
    // sequences EF BF BE / EF BF BF (a `str` holds no surrogates): looked for bytewise, the
    // rare suspect byte 0xEF looked at more closely.
    let b = s.as_bytes();
    let control = |c: u8| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r');
    let clean = !b.iter().any(|&c| control(c) || c == 0xEF)
        || !b.iter().enumerate().any(|(i, &c)| {
            control(c)
                || (c == 0xEF
                    && b.get(i + 1) == Some(&0xBF)
                    && matches!(b.get(i + 2), Some(0xBE | 0xBF)))
        });
    if clean {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.filter(|s| !s.trim().is_empty())
}

fn clean_people(people: Vec<Person>, base: Option<&url::Url>) -> Vec<Person> {
    let mut out: Vec<Person> = Vec::new();
    for p in people {
        let person = Person {
            name: non_empty(p.name.map(clean_text_owned)),
            email: non_empty(p.email.map(clean_text_owned)),
            uri: p.uri.as_deref().and_then(|u| absolute_url(u, base)),
        };
        if (person.name.is_some() || person.email.is_some() || person.uri.is_some())
            && !out.contains(&person)
        {
            out.push(person);
        }
    }
    out
}

/// Fill the fields `base` lacks from `other` (the same item seen twice): the richer copy wins
/// field by field, categories and enclosures are united.
pub fn fill_missing(base: &mut Item, other: Item) {
    fn take<T>(slot: &mut Option<T>, from: Option<T>) {
        if slot.is_none() {
            *slot = from;
        }
    }
    take(&mut base.title, other.title);
    take(&mut base.link, other.link);
    match (base.published, other.published) {
        (Some(a), Some(b)) if b.precision > a.precision => base.published = Some(b),
        (None, b) => base.published = b,
        _ => {}
    }
    take(&mut base.updated, other.updated);
    if base.authors.is_empty() {
        base.authors = other.authors;
    }
    let longer = |a: &Option<String>, b: &Option<String>| {
        b.as_ref().map_or(0, String::len) > a.as_ref().map_or(0, String::len)
    };
    if longer(&base.content, &other.content) {
        base.content = other.content;
    }
    take(&mut base.summary, other.summary);
    for c in other.categories {
        if !base.categories.contains(&c) {
            base.categories.push(c);
        }
    }
    for e in other.enclosures {
        if !base.enclosures.iter().any(|x| x.url == e.url) {
            base.enclosures.push(e);
        }
    }
    take(&mut base.image, other.image);
    take(&mut base.language, other.language);
    take(&mut base.comments, other.comments);
    for s in other.source_ids {
        if !base.source_ids.contains(&s) {
            base.source_ids.push(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DatePrecision;
    use chrono::TimeZone;

    fn ctx(now: DateTime<Utc>) -> NormaliseContext<'static> {
        static BASE: LazyLock<url::Url> =
            LazyLock::new(|| url::Url::parse("https://example.org/feed.xml").unwrap());
        NormaliseContext {
            source_id: "ex",
            title_override: None,
            feed_url: Some(&BASE),
            now,
        }
    }

    #[test]
    fn canonical_links_drop_tracking_and_fragments_only() {
        let base = url::Url::parse("https://Example.org/blog/").unwrap();
        assert_eq!(
            canonical_link(
                "HTTPS://WWW.Example.ORG/Post?id=3&utm_source=x&fbclid=y#top",
                None
            )
            .as_deref(),
            Some("https://www.example.org/Post?id=3")
        );
        assert_eq!(
            canonical_link("post-1?utm_medium=rss", Some(&base)).as_deref(),
            Some("https://example.org/blog/post-1")
        );
        assert_eq!(
            canonical_link("/a?b=1&c=2", Some(&base)).as_deref(),
            Some("https://example.org/a?b=1&c=2")
        );
        assert_eq!(canonical_link("javascript:alert(1)", Some(&base)), None);
        assert_eq!(canonical_link("  ", Some(&base)), None);
        assert_eq!(canonical_link("relative", None), None);
    }

    #[test]
    fn titles_lose_markup_and_decode_entities_once() {
        assert_eq!(clean_text("AT&amp;amp;T"), "AT&amp;T");
        assert_eq!(clean_text("Caf&eacute; &nbsp; news"), "Café news");
        assert_eq!(clean_text("<b>Bold</b>   move\n"), "Bold move");
        assert_eq!(clean_text("1 < 2 and 3 > 2"), "1 < 2 and 3 > 2");
        assert_eq!(clean_text("bell\u{7}char"), "bellchar");
        assert_eq!(
            clean_text("<p>x<script>evil()</script> y</p>"),
            "x y",
            "script text is not title text"
        );
    }

    #[test]
    fn sanitising_strips_active_content_and_absolutises() {
        let base = url::Url::parse("https://example.org/posts/1").unwrap();
        let out = sanitise_html(
            r#"<p onclick="x()">Hi <a href="/about">me</a><script>bad()</script><img src="pic.png"><a href="javascript:alert(1)">j</a></p><style>p{}</style>"#,
            Some(&base),
        );
        assert_eq!(
            out,
            r#"<p>Hi <a href="https://example.org/about" rel="noopener noreferrer">me</a><img src="https://example.org/posts/pic.png"><a rel="noopener noreferrer">j</a></p>"#
        );
    }

    #[test]
    fn ids_follow_the_contract_order() {
        let mut item = Item {
            guid: Some("https://example.org/?p=12".into()),
            link: Some("https://example.org/hello".into()),
            title: Some("Hello".into()),
            ..Item::default()
        };
        assert_eq!(assign_id("ex", &item), "https://example.org/?p=12");
        item.guid = Some("tag:example.org,2026:12".into());
        assert_eq!(assign_id("ex", &item), "tag:example.org,2026:12");
        item.guid = Some("12".into());
        let hashed = assign_id("ex", &item);
        assert!(hashed.starts_with("urn:feedwright:ex:"), "{hashed}");
        assert_ne!(
            hashed,
            assign_id("other", &item),
            "guid 12 differs per source"
        );
        item.guid = None;
        assert_eq!(assign_id("ex", &item), "https://example.org/hello");
        item.link = None;
        let by_title = assign_id("ex", &item);
        item.published = Some(Stamp::first_seen(Utc::now()));
        assert_eq!(
            by_title,
            assign_id("ex", &item),
            "a first-seen date never enters the id"
        );
    }

    #[test]
    fn each_sanitising_call_uses_its_own_base() {
        let a = url::Url::parse("https://a.example/x/").unwrap();
        let b = url::Url::parse("https://b.example/y/").unwrap();
        let html = r#"<a href="p">l</a>"#;
        for _ in 0..2 {
            assert!(sanitise_html(html, Some(&a)).contains(r#"href="https://a.example/x/p""#));
            assert!(sanitise_html(html, None).contains(r#"href="p""#));
            assert!(sanitise_html(html, Some(&b)).contains(r#"href="https://b.example/y/p""#));
        }
    }

    /// A feed of one item titled "T" with these categories.
    fn one_item_with(categories: Vec<String>) -> SourceFeed {
        SourceFeed {
            items: vec![Item {
                title: Some("T".into()),
                categories,
                ..Item::default()
            }],
            ..SourceFeed::default()
        }
    }

    #[test]
    fn categories_are_cleaned_and_deduplicated_ignoring_case_few_or_many() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        for n in [3usize, 40] {
            let mut raw_categories = Vec::new();
            for i in 0..n {
                raw_categories.push(format!("Tag {i}"));
                raw_categories.push(format!(" tag  {i} "));
                raw_categories.push(format!("<b>TAG</b> {i}"));
                raw_categories.push(String::new());
            }
            let feed = normalise_feed(one_item_with(raw_categories), &ctx(now));
            let expected: Vec<String> = (0..n).map(|i| format!("Tag {i}")).collect();
            assert_eq!(feed.items[0].categories, expected, "{n} categories");
        }
    }

    #[test]
    fn undated_items_are_first_seen_and_duplicates_fold() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        let raw = SourceFeed {
            title: Some("Ex &amp; Co".into()),
            link: Some("https://example.org/".into()),
            items: vec![
                Item {
                    guid: Some("a".into()),
                    title: Some("First".into()),
                    link: Some("/first?utm_source=rss".into()),
                    ..Item::default()
                },
                Item {
                    guid: Some("a".into()),
                    title: Some("First again".into()),
                    content: Some("<p>Body</p>".into()),
                    ..Item::default()
                },
            ],
            ..SourceFeed::default()
        };
        let feed = normalise_feed(raw, &ctx(now));
        assert_eq!(feed.title.as_deref(), Some("Ex & Co"));
        assert_eq!(feed.items.len(), 1);
        let item = &feed.items[0];
        assert_eq!(item.title.as_deref(), Some("First"));
        assert_eq!(item.link.as_deref(), Some("https://example.org/first"));
        assert_eq!(item.content.as_deref(), Some("<p>Body</p>"));
        assert_eq!(
            item.published,
            Some(Stamp {
                utc: now,
                offset_secs: 0,
                precision: DatePrecision::FirstSeen
            })
        );
        assert_eq!(
            item.origin.as_ref().map(|o| o.title.as_deref()),
            Some(Some("Ex & Co"))
        );
    }

    proptest::proptest! {
        #[test]
        fn clean_ascii_text_is_what_the_steps_give(
            text in "[ -~]{0,40}|[a-zA-Z0-9 .,:;!?'()-]{0,40}|[a-z \u{a0}\u{85}\u{92}é’\u{2003}\u{fffe}\u{7f}\u{1F600}]{0,20}"
        ) {
            if is_clean_text(&text) {
                proptest::prop_assert_eq!(&clean_text_steps(&text), &text);
            }
            proptest::prop_assert_eq!(clean_text(&text), clean_text_steps(&text));
            proptest::prop_assert_eq!(clean_text_owned(text.clone()), clean_text(&text));
        }
    }

    #[test]
    fn the_clean_text_shortcut_leaves_anything_unusual_to_the_steps() {
        for t in ["Plain title: v2 (beta)!", "", "x", "Café ’s 😀"] {
            assert!(is_clean_text(t), "{t:?}");
        }
        for t in [
            " lead",
            "trail ",
            "two  spaces",
            "a&amp;b",
            "a<b>c",
            "tab\t",
            "\u{7f}",
            "nb\u{a0}sp",
            "don\u{92}t",
            "em\u{2003}space",
            "x\u{fffe}",
        ] {
            assert!(!is_clean_text(t), "{t:?}");
            assert_eq!(clean_text(t), clean_text_steps(t));
        }
    }

    #[test]
    fn a_guid_equal_to_the_normalised_link_gives_the_same_id_as_assign_id() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        for (guid, link) in [
            ("https://example.org/p/1", "https://example.org/p/1"),
            (
                "https://example.org/p/1",
                "https://Example.org/p/1?utm_source=x",
            ),
            ("12", "https://example.org/p/12"),
            ("https://example.org/other", "https://example.org/p/1"),
        ] {
            let raw = SourceFeed {
                items: vec![Item {
                    guid: Some(guid.into()),
                    link: Some(link.into()),
                    title: Some("T".into()),
                    ..Item::default()
                }],
                ..SourceFeed::default()
            };
            let item = &normalise_feed(raw, &ctx(now)).items[0];
            assert_eq!(item.id, assign_id("ex", item), "{guid} / {link}");
        }
    }

    #[test]
    fn categories_that_lower_case_alike_are_one_ascii_or_not() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        let words = [
            "Été", "éTÉ", "ete", "ΟΔΟΣ", "οδος", "οδοσ", "Straße", "STRASSE", "x",
        ];
        for n in [1usize, 5] {
            let raw_categories: Vec<String> = (0..n)
                .flat_map(|i| words.iter().map(move |w| format!("{w}{i}")))
                .collect();
            // The rule: the first of the categories whose `to_lowercase` is the same.
            let mut expected: Vec<String> = Vec::new();
            for c in &raw_categories {
                if !expected
                    .iter()
                    .any(|e| e.to_lowercase() == c.to_lowercase())
                {
                    expected.push(c.clone());
                }
            }
            let feed = normalise_feed(one_item_with(raw_categories), &ctx(now));
            assert_eq!(feed.items[0].categories, expected, "{n}");
        }
    }

    #[test]
    fn url_hints_only_spare_parsing() {
        let now = Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap();
        let parse = |s: &str| url::Url::parse(s).unwrap();
        let links = [
            "https://example.org/a?utm_source=x&b=1#frag",
            "/relative?utm_medium=rss",
            " https://example.org/spaced ",
        ];
        for link in links {
            let image = "https://example.org/i.png";
            let raw = |hints: Vec<ItemUrls>| SourceFeed {
                items: vec![Item {
                    title: Some("T".into()),
                    link: Some(link.into()),
                    image: Some(image.into()),
                    ..Item::default()
                }],
                url_hints: crate::model::UrlHints(hints),
                ..SourceFeed::default()
            };
            let plain = normalise_feed(raw(Vec::new()), &ctx(now));
            let hinted = |link: Option<&str>, image: Option<&str>| ItemUrls {
                link: link.map(parse),
                image: image.map(parse),
            };
            for hints in [
                // The reader's own parse of the strings (as the fast path hands it over).
                vec![hinted(
                    Some(link.trim()).filter(|l| l.starts_with("http")),
                    Some(image),
                )],
                // Stale hints (another URL; not http): ignored.
                vec![hinted(
                    Some("https://other.example/x"),
                    Some("https://other.example/y.png"),
                )],
                vec![hinted(
                    Some("ftp://example.org/a"),
                    Some("ftp://example.org/i.png"),
                )],
                // More hints than items, and fewer.
                vec![ItemUrls::default(), ItemUrls::default()],
            ] {
                let feed = normalise_feed(raw(hints), &ctx(now));
                assert_eq!(feed.items, plain.items, "{link}");
                assert_eq!(feed.items[0].link, plain.items[0].link, "{link}");
            }
        }
        assert_eq!(
            normalise_feed(
                SourceFeed {
                    items: vec![Item {
                        link: Some(links[0].into()),
                        ..Item::default()
                    }],
                    ..SourceFeed::default()
                },
                &ctx(now)
            )
            .items[0]
                .link
                .as_deref(),
            Some("https://example.org/a?b=1"),
            "the canonical link, hinted or not"
        );
    }

    #[test]
    fn c1_controls_become_windows_1252_characters() {
        assert_eq!(
            clean_text("don\u{92}t \u{93}quote\u{94} \u{81}x"),
            "don\u{2019}t \u{201c}quote\u{201d} x"
        );
        assert!(matches!(fix_c1_controls("plain ’"), Cow::Borrowed(_)));
    }

    proptest::proptest! {
        #[test]
        fn xml_safe_keeps_exactly_the_xml_chars(s in "[a\u{0}-\u{1f}\u{7f}\u{d7ff}\u{e000}\u{fffd}-\u{ffff}\u{10000}é]{0,12}") {
            let allowed = |c: char| matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..);
            let expected: String = s.chars().filter(|&c| allowed(c)).collect();
            let got = xml_safe(&s);
            proptest::prop_assert_eq!(got.as_ref(), expected.as_str());
        }
    }

    #[test]
    fn xml_safe_removes_forbidden_characters_only() {
        assert_eq!(
            xml_safe("a\u{0}b\u{b}c\u{fffe}d\te\u{1F600}"),
            "abcd\te\u{1F600}"
        );
        assert!(matches!(xml_safe("plain"), Cow::Borrowed(_)));
    }
}
