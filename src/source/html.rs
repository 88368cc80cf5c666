//! CSS-selector sources (`kind = "html"`): one list page in, raw items out. [`extract_items`]
//! is pure: it parses the page with scraper, takes every match of `selectors.item` as one post
//! and reads its fields inside it (title, link, date, author, summary, content, image,
//! categories), resolving URLs against `<base href>` or the page URL, lazy images against
//! `data-src`/`data-lazy-src`/`srcset`, and dates through the date engine
//! ([`parse_human_date`]). Boilerplate inside matched elements ("Read more", reading time,
//! share widgets) is dropped by general rules, never by site-specific strings. Items carry no
//! guid: their id comes from the canonical list-page link (contract, "Identity"). What went
//! wrong is reported as plain-language diagnostics for `preview` and the log. Fetching and
//! following `next_page` is the caller's job (`app`).

use crate::config::{FieldSelector, Selectors};
use crate::model::{Item, Person, Stamp};
use crate::normalise::collapse_whitespace as collapse;
use crate::normalise::date::{DateContext, parse_human_date};
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;
use url::Url;

/// At most this many items are read from one page.
pub const MAX_ITEMS_PER_PAGE: usize = 500;
/// At most this many list pages are followed, whatever `max_pages` says.
pub const MAX_PAGES: u32 = 50;
/// Element nesting deeper than this is not walked (text and HTML are cut there).
const MAX_DEPTH: usize = 128;
/// Authors and categories kept per item.
const MAX_NAMES: usize = 20;

/// What one list page yields.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HtmlPage {
    /// Raw items (for `normalise_feed`), in page order.
    pub items: Vec<Item>,
    /// The next list page (`selectors.next_page`), absolute, when there is one.
    pub next_page: Option<Url>,
    /// Problems, in words a user can act on.
    pub diagnostics: Vec<String>,
    /// How many elements `selectors.item` matched (before the cap).
    pub matched: usize,
    /// The field selectors that matched inside none of the items read (`date selector
    /// `time.published``): a layout change that silently empties a field.
    pub unmatched: Vec<String>,
    /// The page's name: `og:site_name`, else its `<title>`.
    pub title: Option<String>,
}

/// Extract the items of one list page.
pub fn extract_items(
    html: &str,
    page_url: &Url,
    selectors: &Selectors,
    dates: &DateContext<'_>,
) -> HtmlPage {
    let doc = Html::parse_document(html);
    let head = HeadFacts::of(&doc);
    let base = head.base_url(page_url);
    let mut page = HtmlPage {
        title: head.title(),
        ..HtmlPage::default()
    };

    let matches: Vec<ElementRef<'_>> = doc.select(&selectors.item.selector).collect();
    page.matched = matches.len();
    if matches.is_empty() {
        page.diagnostics
            .push(explain_no_items(&doc, &selectors.item.css));
    }
    if matches.len() > MAX_ITEMS_PER_PAGE {
        page.diagnostics.push(format!(
            "item selector `{}` matched {} elements; only the first {MAX_ITEMS_PER_PAGE} are read",
            selectors.item.css,
            matches.len()
        ));
    }
    let considered = matches.len().min(MAX_ITEMS_PER_PAGE);

    // How often each optional field selector matched, for "matched 0 elements inside N items".
    let fields: [(&str, Option<&FieldSelector>); 8] = [
        ("title", selectors.title.as_ref()),
        ("link", selectors.link.as_ref()),
        ("date", selectors.date.as_ref()),
        ("author", selectors.author.as_ref()),
        ("summary", selectors.summary.as_ref()),
        ("content", selectors.content.as_ref()),
        ("image", selectors.image.as_ref()),
        ("categories", selectors.categories.as_ref()),
    ];
    let mut hits = [0usize; 8];

    for (n, el) in matches.iter().take(MAX_ITEMS_PER_PAGE).enumerate() {
        let number = n + 1;
        // Whether each field selector matched inside the item: extraction records it for the
        // fields it reads (their first match is needed anyway); the rest (an item skipped
        // before its later fields) are asked here.
        let mut seen = Seen::default();
        let extracted = extract_item(*el, &base, selectors, dates, &mut seen);
        for ((slot, (_, sel)), known) in hits.iter_mut().zip(fields.iter()).zip(seen.0) {
            if let Some(sel) = sel
                && known.unwrap_or_else(|| el.select(&sel.selector).next().is_some())
            {
                *slot += 1;
            }
        }
        match extracted {
            Ok((item, notes)) => {
                for note in notes {
                    page.diagnostics.push(format!("item {number}: {note}"));
                }
                page.items.push(item);
            }
            Err(why) => page
                .diagnostics
                .push(format!("item {number} skipped: {why}")),
        }
    }
    if considered > 0 {
        for ((name, sel), count) in fields.iter().zip(hits) {
            if let Some(sel) = sel
                && count < considered
            {
                page.diagnostics.push(format!(
                    "{name} selector `{}` matched 0 elements inside {} of {considered} items",
                    sel.css,
                    considered - count
                ));
                if count == 0 {
                    page.unmatched
                        .push(format!("{name} selector `{}`", sel.css));
                }
            }
        }
    }

    if let Some(next) = &selectors.next_page {
        page.next_page = doc
            .select(&next.selector)
            .find_map(|el| {
                let value = match &next.attr {
                    Some(a) => el.value().attr(a),
                    None => link_element(el).and_then(|a| a.value().attr("href")),
                }?;
                resolve(value, &base)
            })
            .filter(|u| u != page_url);
    }
    page
}

/// What the page says about itself, found in one walk over its nodes (in the order
/// `Html::select` visits them): the first `base[href]`, the first
/// `meta[property="og:site_name"][content]` and the first `title` element.
struct HeadFacts<'a> {
    base_href: Option<&'a str>,
    site_name: Option<&'a str>,
    title: Option<ElementRef<'a>>,
}

impl<'a> HeadFacts<'a> {
    fn of(doc: &'a Html) -> Self {
        let mut facts = HeadFacts {
            base_href: None,
            site_name: None,
            title: None,
        };
        let mut base_seen = false;
        for node in doc.tree.nodes() {
            let Some(e) = node.value().as_element() else {
                continue;
            };
            match e.name() {
                "base" if !base_seen => {
                    if let Some(h) = attr(e, "href") {
                        facts.base_href = Some(h);
                        base_seen = true;
                    }
                }
                "meta"
                    if facts.site_name.is_none() && attr(e, "property") == Some("og:site_name") =>
                {
                    facts.site_name = attr(e, "content");
                }
                "title" if facts.title.is_none() => facts.title = ElementRef::wrap(node),
                _ => {}
            }
            if base_seen && facts.site_name.is_some() && facts.title.is_some() {
                break;
            }
        }
        facts
    }

    /// The page's name: `og:site_name`, else its `<title>`.
    fn title(&self) -> Option<String> {
        self.site_name
            .map(collapse)
            .filter(|t| !t.is_empty())
            .or_else(|| {
                self.title
                    .map(|t| collapse(&t.text().collect::<String>()))
                    .filter(|t| !t.is_empty())
            })
    }

    /// The page's `<base href>` (resolved against the page URL), else the page URL.
    fn base_url(&self, page_url: &Url) -> Url {
        self.base_href
            .and_then(|h| page_url.join(h.trim()).ok())
            .filter(|u| matches!(u.scheme(), "http" | "https" | "file"))
            .unwrap_or_else(|| page_url.clone())
    }
}

/// An attribute of an element by its plain (no namespace) name, as `Element::attr` finds it,
/// without making an atom of the name for every look-up.
fn attr<'a>(e: &'a scraper::node::Element, name: &str) -> Option<&'a str> {
    e.attrs
        .iter()
        .find(|(q, _)| q.prefix.is_none() && q.ns.is_empty() && &*q.local == name)
        .map(|(_, v)| &**v)
}

/// Which field selectors matched inside one item (in the order of `extract_items`' `fields`:
/// title, link, date, author, summary, content, image, categories); `None` where extraction
/// did not ask.
#[derive(Default)]
struct Seen([Option<bool>; 8]);

impl Seen {
    /// The matches of `sel` inside `el`, noting whether there is one.
    fn select<'a, 'b>(
        &mut self,
        field: usize,
        el: ElementRef<'a>,
        sel: &'b Selector,
    ) -> std::iter::Peekable<scraper::element_ref::Select<'a, 'b>> {
        let mut it = el.select(sel).peekable();
        self.0[field] = Some(it.peek().is_some());
        it
    }
}

fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|_| unreachable!("static selector {css}"))
}

/// An absolute http(s) (or, for local pages, file) URL for `value`, or `None` for fragments,
/// `javascript:`, `mailto:` and the like.
fn resolve(value: &str, base: &Url) -> Option<Url> {
    let v = value.trim();
    if v.is_empty() || v.starts_with('#') {
        return None;
    }
    let url = base.join(v).ok()?;
    match url.scheme() {
        "http" | "https" => Some(url),
        "file" if base.scheme() == "file" => Some(url),
        _ => None,
    }
}

/// Read one item; `Err` says why it was skipped. The notes are problems that did not stop it.
fn extract_item(
    el: ElementRef<'_>,
    base: &Url,
    selectors: &Selectors,
    dates: &DateContext<'_>,
    seen: &mut Seen,
) -> Result<(Item, Vec<String>), String> {
    let mut notes = Vec::new();

    // Link: the selected element's attribute, else the first usable a[href].
    let (link, link_el) = match &selectors.link {
        Some(sel) => {
            let found = seen.select(1, el, &sel.selector).find_map(|m| {
                let (value, from) = match &sel.attr {
                    Some(a) => (m.value().attr(a)?, m),
                    None => {
                        let a = link_element(m)?;
                        (a.value().attr("href")?, a)
                    }
                };
                resolve(value, base).map(|u| (u, from))
            });
            match found {
                Some((u, from)) => (u, Some(from)),
                None => {
                    return Err(format!(
                        "no link (selector `{}` found no usable {})",
                        sel.css,
                        sel.attr.as_deref().unwrap_or("href")
                    ));
                }
            }
        }
        None => match first_link(el, base) {
            Some((u, a)) => (u, Some(a)),
            None => return Err("no link (no a[href] inside the item)".into()),
        },
    };

    // Title: the selector's text (or attribute), else the link's text, else a heading.
    let title = match &selectors.title {
        Some(sel) => seen
            .select(0, el, &sel.selector)
            .map(|m| match &sel.attr {
                Some(a) => m.value().attr(a).map(clean_title).unwrap_or_default(),
                None => {
                    let t = clean_title(&element_text(m));
                    if t.is_empty() {
                        label_of(m).unwrap_or_default()
                    } else {
                        t
                    }
                }
            })
            .find(|t| !t.is_empty()),
        None => default_title(el, link_el, &link, base),
    };
    let Some(title) = title else {
        return Err(match &selectors.title {
            Some(sel) => format!("no title (selector `{}` found no text)", sel.css),
            None => format!("no title (the link {link} has no text and there is no heading)"),
        });
    };

    let mut item = Item {
        title: Some(title),
        link: Some(link.to_string()),
        ..Item::default()
    };

    if let Some(sel) = &selectors.date {
        let mut first_text: Option<String> = None;
        let mut found: Option<Stamp> = None;
        'matches: for m in seen.select(2, el, &sel.selector) {
            for text in date_candidates(m, sel.attr.as_deref()) {
                if let Some(stamp) = read_date(&text, dates) {
                    found = Some(stamp);
                    break 'matches;
                }
                first_text.get_or_insert(text);
            }
        }
        match (found, first_text) {
            (Some(stamp), _) => item.published = Some(stamp),
            (None, Some(text)) => notes.push(format!(
                "date `{text}` could not be read; the item is dated when first seen"
            )),
            (None, None) => {}
        }
    }

    if let Some(sel) = &selectors.author {
        let mut names: Vec<String> = Vec::new();
        for m in seen.select(3, el, &sel.selector) {
            let raw = match &sel.attr {
                Some(a) => m.value().attr(a).map(str::to_owned).unwrap_or_default(),
                None => element_text(m),
            };
            let name = strip_byline(&collapse(&raw));
            if !name.is_empty() && !names.contains(&name) && names.len() < MAX_NAMES {
                names.push(name);
            }
        }
        item.authors = names
            .into_iter()
            .map(|n| Person {
                name: Some(n),
                ..Person::default()
            })
            .collect();
    }

    if let Some(sel) = &selectors.summary {
        item.summary = seen
            .select(4, el, &sel.selector)
            .find_map(|m| fragment_field(m, sel.attr.as_deref(), base));
    }
    if let Some(sel) = &selectors.content {
        item.content = seen
            .select(5, el, &sel.selector)
            .find_map(|m| fragment_field(m, sel.attr.as_deref(), base));
    }

    item.image = match &selectors.image {
        Some(sel) => seen
            .select(6, el, &sel.selector)
            .find_map(|m| image_of(m, sel.attr.as_deref(), base)),
        None => default_image(el, base),
    }
    .map(|u| u.to_string());

    if let Some(sel) = &selectors.categories {
        for m in seen.select(7, el, &sel.selector) {
            let raw = match &sel.attr {
                Some(a) => m.value().attr(a).map(str::to_owned).unwrap_or_default(),
                None => element_text(m),
            };
            let c = collapse(&raw);
            if !c.is_empty() && !item.categories.contains(&c) && item.categories.len() < MAX_NAMES {
                item.categories.push(c);
            }
        }
    }
    Ok((item, notes))
}

/// The element itself when it is an `a[href]`, else its first `a[href]` descendant, else its
/// nearest `a[href]` ancestor.
fn link_element(el: ElementRef<'_>) -> Option<ElementRef<'_>> {
    static A: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
    if el.value().name() == "a" && el.value().attr("href").is_some() {
        return Some(el);
    }
    el.select(&A).next().or_else(|| {
        el.ancestors()
            .filter_map(ElementRef::wrap)
            .find(|a| a.value().name() == "a" && a.value().attr("href").is_some())
    })
}

/// The first `a[href]` in the item (the item itself first) whose target is a page.
fn first_link<'a>(el: ElementRef<'a>, base: &Url) -> Option<(Url, ElementRef<'a>)> {
    static A: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
    std::iter::once(el)
        .filter(|e| e.value().name() == "a")
        .chain(el.select(&A))
        .find_map(|a| {
            let url = resolve(a.value().attr("href")?, base)?;
            Some((url, a))
        })
}

/// The default title: the link's text; else the text of another link in the item to the same
/// page (cards often link an image first); else the first heading; else the link's label.
fn default_title(
    el: ElementRef<'_>,
    link_el: Option<ElementRef<'_>>,
    link: &Url,
    base: &Url,
) -> Option<String> {
    static A: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
    static H: LazyLock<Selector> = LazyLock::new(|| selector("h1, h2, h3, h4, h5, h6"));
    let non_empty = |s: String| (!s.is_empty()).then_some(s);
    link_el
        .and_then(|a| non_empty(clean_title(&element_text(a))))
        .or_else(|| {
            el.select(&A)
                .filter(|a| {
                    a.value()
                        .attr("href")
                        .and_then(|h| resolve(h, base))
                        .is_some_and(|u| same_page(&u, link))
                })
                .find_map(|a| non_empty(clean_title(&element_text(a))))
        })
        .or_else(|| {
            el.select(&H)
                .find_map(|h| non_empty(clean_title(&element_text(h))))
        })
        .or_else(|| link_el.and_then(label_of))
}

fn same_page(a: &Url, b: &Url) -> bool {
    let mut a = a.clone();
    let mut b = b.clone();
    a.set_fragment(None);
    b.set_fragment(None);
    a == b
}

/// A `title`, `aria-label` or image `alt` that names an element without text.
fn label_of(el: ElementRef<'_>) -> Option<String> {
    static IMG: LazyLock<Selector> = LazyLock::new(|| selector("img[alt]"));
    ["title", "aria-label"]
        .iter()
        .find_map(|a| el.value().attr(a))
        .or_else(|| el.select(&IMG).next().and_then(|i| i.value().attr("alt")))
        .map(clean_title)
        .filter(|t| !t.is_empty())
}

/// The texts a date may be read from, best first: the attribute asked for; else the element's
/// `datetime`, `content` and `title` attributes, a `<time datetime>` inside it, and its text.
fn date_candidates(el: ElementRef<'_>, attr: Option<&str>) -> Vec<String> {
    static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time[datetime]"));
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: &str| {
        let s = collapse(s);
        if !s.is_empty() && !out.contains(&s) {
            out.push(s);
        }
    };
    if let Some(a) = attr {
        if let Some(v) = el.value().attr(a) {
            push(v);
        }
        return out;
    }
    for a in ["datetime", "content", "title"] {
        if let Some(v) = el.value().attr(a) {
            push(v);
        }
    }
    if let Some(v) = el
        .select(&TIME)
        .next()
        .and_then(|t| t.value().attr("datetime"))
    {
        push(v);
    }
    push(&element_text(el));
    out
}

/// A date: with a `date_format`, that format first (read here, in the source's timezone, so it
/// works whatever the engine supports); else, and when it does not fit, the date engine.
fn read_date(text: &str, ctx: &DateContext<'_>) -> Option<Stamp> {
    ctx.format
        .and_then(|f| parse_with_format(text, f, ctx))
        .or_else(|| parse_human_date(text, ctx))
}

/// `text` read with a strftime `format`, in the source's timezone (UTC without one): a time of
/// day makes it exact, a bare day is 00:00 in that zone.
fn parse_with_format(text: &str, format: &str, ctx: &DateContext<'_>) -> Option<Stamp> {
    use crate::model::DatePrecision;
    use chrono::{NaiveDate, NaiveDateTime, TimeZone};
    let text = text.trim();
    if let Ok(t) = chrono::DateTime::parse_from_str(text, format) {
        return Some(Stamp::exact(t));
    }
    let (naive, precision) = match NaiveDateTime::parse_from_str(text, format) {
        Ok(t) => (t, DatePrecision::Exact),
        Err(_) => (
            NaiveDate::parse_from_str(text, format)
                .ok()?
                .and_hms_opt(0, 0, 0)?,
            DatePrecision::DateOnly,
        ),
    };
    let tz = ctx.timezone.unwrap_or(chrono_tz::UTC);
    let local = tz.from_local_datetime(&naive).earliest()?;
    let fixed = local.fixed_offset();
    Some(Stamp {
        precision,
        ..Stamp::exact(fixed)
    })
}

/// Summary or content: an attribute's text, or the element's inner HTML with boilerplate
/// removed and URLs made absolute. `None` when nothing but boilerplate is left.
fn fragment_field(el: ElementRef<'_>, attr: Option<&str>, base: &Url) -> Option<String> {
    if let Some(a) = attr {
        let text = trim_boilerplate(&collapse(el.value().attr(a)?));
        return (!text.is_empty()).then(|| html_escape::encode_text(&text).into_owned());
    }
    let mut out = String::new();
    let mut has_text = false;
    for child in el.children() {
        write_html(child, base, &mut out, &mut has_text, 0);
    }
    let out = out.trim().to_owned();
    // `has_text`: some text written is not all whitespace, i.e. the fragment's text
    // (`normalise::html_to_text`) is not empty; no need to parse what was just written.
    (has_text || out.contains("<img")).then_some(out)
}

/// The image URL of a matched element: the attribute asked for (lazy attributes first when it
/// is `src`), or, for an element that is not an image, the first image inside it.
fn image_of(el: ElementRef<'_>, attr: Option<&str>, base: &Url) -> Option<Url> {
    static IMG: LazyLock<Selector> = LazyLock::new(|| selector("img, source[srcset]"));
    match attr {
        Some(a) if a != "src" && a != "srcset" => {
            let v = el.value().attr(a)?;
            if a.ends_with("srcset") {
                best_srcset(v).and_then(|u| resolve(&u, base))
            } else {
                resolve(v, base)
            }
        }
        _ => lazy_src(el.value(), base).or_else(|| {
            if el.value().name() == "img" {
                None
            } else {
                el.select(&IMG).find_map(|i| lazy_src(i.value(), base))
            }
        }),
    }
}

/// The first image of the item that is not an icon or avatar (no width or height under 64).
fn default_image(el: ElementRef<'_>, base: &Url) -> Option<Url> {
    static IMG: LazyLock<Selector> = LazyLock::new(|| selector("img"));
    el.select(&IMG)
        .filter(|i| {
            ["width", "height"].iter().all(|a| {
                attr(i.value(), a)
                    .and_then(|v| v.trim().trim_end_matches("px").parse::<u32>().ok())
                    .is_none_or(|n| n >= 64)
            })
        })
        .find_map(|i| lazy_src(i.value(), base))
}

/// The real image URL of an `img` (or `source`): `data-src`, `data-lazy-src`, `data-original`,
/// the largest `srcset`/`data-srcset` candidate, then `src` unless it is a placeholder.
fn lazy_src(img: &scraper::node::Element, base: &Url) -> Option<Url> {
    for a in ["data-src", "data-lazy-src", "data-original", "data-url"] {
        if let Some(u) = attr(img, a).and_then(|v| resolve(v, base)) {
            return Some(u);
        }
    }
    for a in ["data-srcset", "data-lazy-srcset", "srcset"] {
        if let Some(u) = attr(img, a)
            .and_then(best_srcset)
            .and_then(|v| resolve(&v, base))
        {
            return Some(u);
        }
    }
    attr(img, "src")
        .filter(|s| !is_placeholder(s))
        .and_then(|s| resolve(s, base))
}

/// A `data:` URI or an empty string: a placeholder, not an image.
fn is_placeholder(src: &str) -> bool {
    let s = src.trim();
    s.is_empty() || s.starts_with("data:") || s == "about:blank"
}

/// The largest candidate of a `srcset` (by `w` or `x` descriptor; the first when none has one).
pub fn best_srcset(srcset: &str) -> Option<String> {
    let mut best: Option<(f64, &str)> = None;
    for candidate in srcset.split(',') {
        let mut parts = candidate.split_whitespace();
        let Some(url) = parts.next() else { continue };
        if is_placeholder(url) {
            continue;
        }
        let size = parts
            .next()
            .and_then(|d| {
                let d = d.trim();
                d.strip_suffix('w')
                    .or_else(|| d.strip_suffix('x'))
                    .and_then(|n| n.parse::<f64>().ok())
            })
            .unwrap_or(0.0);
        if best.is_none_or(|(s, _)| size > s) {
            best = Some((size, url));
        }
    }
    best.map(|(_, u)| u.to_owned())
}

// ---------------------------------------------------------------------------------------------
// Text, boilerplate and HTML

/// A title: text collapsed and trimmed of read-more links, reading time and share labels.
fn clean_title(text: &str) -> String {
    trim_boilerplate(&collapse(text))
}

/// "By Jane Doe" → "Jane Doe" (also `por`, `par`, `von`, `di`, `door`).
fn strip_byline(name: &str) -> String {
    static BY: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(?:by|por|par|von|di|door|av|de)\s*:?\s+")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    BY.replace(name, "").trim().to_owned()
}

/// The visible text of an element, without boilerplate descendants, whitespace collapsed.
pub fn element_text(el: ElementRef<'_>) -> String {
    fn walk(node: ego_tree::NodeRef<'_, Node>, out: &mut String, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match node.value() {
            Node::Text(t) => {
                out.push_str(t);
            }
            Node::Element(e) => {
                if let Some(el) = ElementRef::wrap(node)
                    && is_boilerplate(el)
                {
                    return;
                }
                let block = matches!(
                    e.name(),
                    "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6"
                );
                if block {
                    out.push(' ');
                }
                for child in node.children() {
                    walk(child, out, depth + 1);
                }
                if block {
                    out.push(' ');
                }
            }
            _ => {}
        }
    }
    let mut out = String::new();
    for child in el.children() {
        walk(child, &mut out, 0);
    }
    collapse(&out)
}

static READ_MORE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:read\s+more|continue\s+reading|keep\s+reading|read\s+the\s+rest|",
        r"read\s+(?:the\s+)?full\s+(?:story|article|post)|more\s*»|weiterlesen|mehr\s+lesen|",
        r"leer\s+m[aá]s|seguir\s+leyendo|lire\s+la\s+suite|leia\s+mais|continua\s+a\s+leggere|",
        r"continue\s+a\s+ler)",
        r"\s*[»›→>…\.]*\s*(?:\.\.\.)?\s*$"
    ))
    .unwrap_or_else(|_| unreachable!("static regex"))
});

static READING_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)^(?:(?:reading\s+time|lesezeit|tiempo\s+de\s+lectura|temps\s+de\s+lecture)\s*:?\s*",
        r"\d{1,3}\s*(?:min|mins|minutes?|minuten|minutos)\.?",
        r"|\d{1,3}\s*(?:min|mins|minutes?)\.?\s*(?:read|reading)",
        r"|\d{1,3}\s*(?:min|minutos?)\.?\s+de\s+lectura",
        r"|\d{1,3}\s*min(?:\.|utes?)?\s+de\s+lecture)$"
    ))
    .unwrap_or_else(|_| unreachable!("static regex"))
});

static SHARE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:share(?:\s+this(?:\s+(?:post|article|story))?)?|share\s+(?:on|via)\s+\w+|compartir|partager|teilen)\s*:?$",
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});

/// Class, id, `data-hook`, `data-testid` or `role` tokens that mark sharing widgets, read-more
/// links and reading-time labels.
static BOILERPLATE_TOKEN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)(?:^|[-_\s])(?:share|shares|sharing|sharedaddy|sharethis|social|addtoany|a2a_kit|",
        r"read-?more|more-link|reading-?time|read-?time|time-to-read|readtime|screen-reader-text|",
        r"sr-only|visually-hidden)(?:$|[-_\s])"
    ))
    .unwrap_or_else(|_| unreachable!("static regex"))
});

/// Whether an element is clearly not content: scripts and controls, hidden elements, sharing
/// widgets, read-more links and reading-time labels.
fn is_boilerplate(el: ElementRef<'_>) -> bool {
    let e = el.value();
    if matches!(
        e.name(),
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "button"
            | "form"
            | "input"
            | "select"
            | "textarea"
            | "dialog"
    ) {
        return true;
    }
    if attr(e, "hidden").is_some()
        || attr(e, "style").is_some_and(|s| {
            let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
            s.contains("display:none") || s.contains("visibility:hidden")
        })
    {
        return true;
    }
    let tokens = [
        attr(e, "class"),
        e.id(),
        attr(e, "data-hook"),
        attr(e, "data-testid"),
    ];
    if tokens
        .iter()
        .flatten()
        .any(|t| BOILERPLATE_TOKEN.is_match(t))
    {
        return true;
    }
    // Short elements whose whole text is a read-more phrase, a reading time or a share label.
    let mut text = String::new();
    for t in el.text() {
        text.push_str(t);
        if text.len() > 200 {
            return false;
        }
    }
    let text = collapse(&text);
    if text.is_empty() {
        return false;
    }
    (e.name() == "a" && is_read_more_link_text(&text))
        || READING_TIME.is_match(&text)
        || SHARE_LABEL.is_match(&text)
}

/// "Read more »", "Continue reading “Title”" — a link whose text starts with a read-more phrase.
fn is_read_more_link_text(text: &str) -> bool {
    static START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^(?:[\[(…]*\s*)?(?:read\s+more|continue\s+reading|keep\s+reading|read\s+the\s+rest|read\s+(?:the\s+)?full|weiterlesen|mehr\s+lesen|leer\s+m[aá]s|seguir\s+leyendo|lire\s+la\s+suite|leia\s+mais|continua\s+a\s+leggere)\b",
        )
        .unwrap_or_else(|_| unreachable!("static regex"))
    });
    START.is_match(text) && text.split_whitespace().count() <= 15
}

/// Trim a read-more phrase, a reading time or a share label off the end (or a reading time
/// off the start) of a text, when it is clearly a label: the whole text, or set off from the
/// rest by punctuation (`.`, `…`, `]`, `|`, `·` …). Text in the middle of a sentence is kept.
pub fn trim_boilerplate(text: &str) -> String {
    let mut t = text.trim().to_owned();
    for _ in 0..3 {
        let before = t.clone();
        if let Some(m) = READ_MORE.find(&t) {
            let head = t.get(..m.start()).unwrap_or("").trim_end();
            if head.is_empty() || ends_with_separator(head) {
                t = head.to_owned();
            }
        }
        t = trim_reading_time(&t);
        if SHARE_LABEL.is_match(&t) {
            t.clear();
        }
        t = t
            .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•'))
            .trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '|' | '·' | '•'))
            .to_owned();
        if t == before {
            break;
        }
    }
    t
}

fn ends_with_separator(head: &str) -> bool {
    head.ends_with("...")
        || head.chars().next_back().is_some_and(|c| {
            matches!(
                c,
                '.' | '!'
                    | '?'
                    | '…'
                    | ']'
                    | ')'
                    | ':'
                    | '|'
                    | '·'
                    | '•'
                    | '—'
                    | '–'
                    | '-'
                    | '"'
                    | '”'
                    | '»'
                    | '’'
            )
        })
}

/// A reading time set off by a separator at the start or the end of a text.
fn trim_reading_time(text: &str) -> String {
    static END: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)(?:^|\s*[|·•—–-]\s*|\s+)\d{1,3}\s*(?:min|mins|minutes?)\.?\s+read$")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    static START: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\d{1,3}\s*(?:min|mins|minutes?)\.?\s+read\s*(?:[|·•—–:-]\s*|$)")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    if READING_TIME.is_match(text.trim()) {
        return String::new();
    }
    let t = START.replace(text, "");
    let t = END.replace(&t, "");
    t.trim().to_owned()
}

const VOID: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Serialise a node as HTML without boilerplate, with lazy images resolved and `href`/`src`
/// absolute. The result is sanitised again in normalise.
/// `has_text` becomes true when a text that is not all whitespace is written.
fn write_html(
    node: ego_tree::NodeRef<'_, Node>,
    base: &Url,
    out: &mut String,
    has_text: &mut bool,
    depth: usize,
) {
    if depth > MAX_DEPTH {
        return;
    }
    match node.value() {
        Node::Text(t) => {
            let text: &str = t;
            let trimmed = text.trim();
            // A text node that is only a read-more phrase or a reading time goes.
            if !trimmed.is_empty() && trimmed.len() < 200 && trim_boilerplate(trimmed).is_empty() {
                return;
            }
            // A trailing read-more phrase after punctuation goes too.
            let kept = if READ_MORE.is_match(text) {
                let t = trim_boilerplate(text);
                let lead = if text.starts_with(char::is_whitespace) {
                    " "
                } else {
                    ""
                };
                format!("{lead}{t}")
            } else {
                text.to_owned()
            };
            *has_text = *has_text || kept.chars().any(|c| !c.is_whitespace());
            out.push_str(&html_escape::encode_text(&kept));
        }
        Node::Element(e) => {
            let Some(el) = ElementRef::wrap(node) else {
                return;
            };
            if is_boilerplate(el) {
                return;
            }
            let name = e.name();
            out.push('<');
            out.push_str(name);
            if name == "img" {
                if let Some(src) = lazy_src(e, base) {
                    push_attr(out, "src", src.as_str());
                }
                for (k, v) in e.attrs() {
                    if matches!(k, "alt" | "title" | "width" | "height") {
                        push_attr(out, k, v);
                    }
                }
            } else {
                for (k, v) in e.attrs() {
                    if k.starts_with("data-") || k == "style" || k == "class" || k == "id" {
                        continue;
                    }
                    if matches!(k, "href" | "src" | "poster" | "cite") {
                        if let Some(u) = resolve(v, base) {
                            push_attr(out, k, u.as_str());
                        } else if !v.trim_start().starts_with("javascript:") {
                            push_attr(out, k, v);
                        }
                    } else if k.ends_with("srcset") {
                        if let Some(u) = best_srcset(v).and_then(|u| resolve(&u, base)) {
                            push_attr(out, "srcset", u.as_str());
                        }
                    } else {
                        push_attr(out, k, v);
                    }
                }
            }
            out.push('>');
            if VOID.contains(&name) {
                return;
            }
            for child in node.children() {
                write_html(child, base, out, has_text, depth + 1);
            }
            out.push_str("</");
            out.push_str(name);
            out.push('>');
        }
        _ => {}
    }
}

fn push_attr(out: &mut String, name: &str, value: &str) {
    out.push(' ');
    out.push_str(name);
    out.push_str("=\"");
    out.push_str(&html_escape::encode_double_quoted_attribute(value));
    out.push('"');
}

/// Why an item selector matched nothing, with a hint from the page: how many elements of the
/// selector's tag, and of each of its classes, the page has.
fn explain_no_items(doc: &Html, css: &str) -> String {
    let last = css
        .rsplit([' ', '>', '+', '~'])
        .find(|p| !p.trim().is_empty())
        .unwrap_or(css)
        .trim();
    let tag: String = last
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    let mut hints = Vec::new();
    if !tag.is_empty()
        && let Ok(sel) = Selector::parse(&tag)
    {
        hints.push(format!(
            "the page has {} <{tag}> element(s)",
            doc.select(&sel).count()
        ));
    }
    for class in last
        .split('.')
        .skip(1)
        .map(|c| c.split(['[', ':', '#']).next().unwrap_or(""))
        .filter(|c| !c.is_empty())
        .take(3)
    {
        if let Ok(sel) = Selector::parse(&format!(".{class}")) {
            hints.push(format!(
                "{} element(s) with class `{class}`",
                doc.select(&sel).count()
            ));
        }
    }
    let total = doc.select(&selector("*")).count();
    let mut msg = format!("item selector `{css}` matched nothing");
    if hints.is_empty() {
        msg.push_str(&format!("; the page has {total} elements"));
    } else {
        msg.push_str("; ");
        msg.push_str(&hints.join(", "));
    }
    if total < 30 {
        msg.push_str(" (the page is nearly empty: is it rendered by JavaScript?)");
    }
    msg
}

#[cfg(test)]
mod tests;
