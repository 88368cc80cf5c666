//! Finding the posts a list page (a blog's index, a news section) links to, with no selectors.
//! Pure: HTML text and the page's URL in, [`PostCandidate`]s out, in page order.
//!
//! Signals, strongest first:
//! 1. **Structured data** ([`structured`]): JSON-LD `ItemList`, a `Blog` with `blogPost`,
//!    `@graph`s or arrays of `BlogPosting`/`NewsArticle`/`…Article`; microformats
//!    `h-feed`/`h-entry`; schema.org microdata (`itemtype` …`BlogPosting`). Used when they name
//!    at least two posts; titles, dates and summaries they lack are filled from the cards below
//!    (matched by URL).
//! 2. **Cards**: groups of repeated elements, each holding a link to a post. Candidate groups
//!    are known platform markup (Wix `[data-hook="post-list-item"]`, WordPress `article.post`
//!    and `.hentry`, Blogger `.post-outer`, Ghost `.post-card`, Substack `.post-preview`,
//!    Medium `.postArticle`), every `<article>` of the page, and every set of two or more
//!    siblings sharing a tag and class signature (classes with digits ignored). Each card gives
//!    one post: its best link (one inside or around a heading, or marked as a title, pointing at
//!    a post-like URL), the heading or link text as title, a `<time>` or date-classed element,
//!    an excerpt-classed element or first long paragraph, the first image (`data-src` before
//!    `src`), an author-classed element.
//!
//! What is not a post:
//! - cards inside `<nav>`, `<header>`, `<footer>`, `<aside>`, navigation/complementary roles, or
//!   containers whose class/id/aria-label says sidebar, widget, related, popular, most read,
//!   trending, ticker, breaking, recent posts, recommended, menu, breadcrumb, pagination,
//!   comments, share, newsletter or cookie — or that follow a heading saying "Most read",
//!   "Popular", "Related", "Trending", "Recent posts", "Recommended", "You may also like";
//! - links to tag, category, topic, label, author, profile, search, page-N, login, feed, about,
//!   contact or privacy pages, links to other hosts, and the page itself;
//! - the same post twice: links are canonicalised (fragment and `utm_*` dropped) and the first
//!   occurrence wins, later ones only fill its missing fields.
//!
//! Groups are scored: `min(posts, 40) × (1 + share of post-like URLs + share of titles of three
//! words or more + ½ share dated + ½ share with an excerpt + 0.3 share with an image)`, ×1.2
//! inside `<main>`, +5 for platform markup. A group needs two posts (one for platform markup),
//! and half its URLs post-like or half its titles three words long. The best group wins.
//! Post-like URLs: a path segment `post(s)`, `p`, `article(s)`, `story`/`stories`, `entry`,
//! `news/<slug>`, `blog/<slug>`, a `/YYYY/MM/` date, a `.html` page, a slug of three or more
//! words, or a numeric id of four or more digits.

pub mod structured;

use super::{selector, visible_text};
use crate::model::Stamp;
use crate::normalise::canonical_link;
use crate::normalise::date::{DateContext, parse_date, parse_human_date};
use scraper::{ElementRef, Html, Selector};
use std::collections::HashMap;
use std::sync::LazyLock;
use url::Url;

/// At most this many posts are taken from one page.
pub const MAX_POSTS: usize = 200;
/// At most this many candidate groups are scored per page.
const MAX_GROUPS: usize = 400;
/// At most this many cards are read per group.
const MAX_CARDS: usize = 300;

/// One post a list page links to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PostCandidate {
    /// Absolute, canonical URL of the post page (the item's id and link).
    pub url: String,
    pub title: Option<String>,
    /// The date as the page wrote it ("2 days ago", "Jan 9", an ISO string …).
    pub date_text: Option<String>,
    /// The date when the page stated an exact instant (an offset-carrying `datetime`);
    /// otherwise filled from `date_text` by [`resolve_dates`].
    pub date: Option<Stamp>,
    pub summary: Option<String>,
    /// Absolute URL of the card's image.
    pub image: Option<String>,
    pub author: Option<String>,
}

impl PostCandidate {
    fn fill_from(&mut self, other: &PostCandidate) {
        fn take(slot: &mut Option<String>, from: &Option<String>) {
            if slot.is_none() {
                slot.clone_from(from);
            }
        }
        take(&mut self.title, &other.title);
        take(&mut self.date_text, &other.date_text);
        if self.date.is_none() {
            self.date = other.date;
        }
        take(&mut self.summary, &other.summary);
        take(&mut self.image, &other.image);
        take(&mut self.author, &other.author);
    }
}

/// The posts found on a page, how, and what was noticed on the way.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Listing {
    pub posts: Vec<PostCandidate>,
    /// The signal that found them (`json-ld`, `microformats`, `microdata`, `wix`, `cards` …).
    pub method: Option<String>,
    pub diagnostics: Vec<String>,
}

/// Find the posts a list page links to (see the module documentation for the rules).
pub fn find_posts(html: &str, page_url: &Url) -> Listing {
    let doc = Html::parse_document(html);
    find_posts_in(&doc, page_url)
}

/// [`find_posts`] on an already parsed page.
pub fn find_posts_in(doc: &Html, page_url: &Url) -> Listing {
    let mut diagnostics = Vec::new();
    let cards = best_card_group(doc, page_url);
    if let Some(g) = &cards {
        diagnostics.push(format!(
            "cards: {} post(s) by {} (score {:.1})",
            g.posts.len(),
            g.name,
            g.score
        ));
    }
    let explicit = [
        ("json-ld", structured::json_ld_posts(doc, page_url)),
        ("microformats", structured::h_entries(doc, page_url)),
        ("microdata", structured::microdata_posts(doc, page_url)),
    ];
    for (name, posts) in explicit {
        let posts = dedupe(posts);
        if posts.len() >= 2 {
            diagnostics.push(format!("{name}: {} post(s)", posts.len()));
            let mut posts = posts;
            if let Some(g) = &cards {
                for p in &mut posts {
                    if let Some(c) = g.posts.iter().find(|c| c.url == p.url) {
                        p.fill_from(c);
                    }
                }
            }
            posts.truncate(MAX_POSTS);
            return Listing {
                posts,
                method: Some(name.to_string()),
                diagnostics,
            };
        }
    }
    match cards {
        Some(g) => {
            let mut posts = g.posts;
            posts.truncate(MAX_POSTS);
            Listing {
                posts,
                method: Some(g.name),
                diagnostics,
            }
        }
        None => {
            diagnostics.push("no repeated post links found".into());
            Listing {
                posts: Vec::new(),
                method: None,
                diagnostics,
            }
        }
    }
}

/// Give every candidate without a date the one its `date_text` resolves to in `ctx` (the
/// source's timezone and clock): "Jan 9" → 9 January of the inferred year, and so on.
pub fn resolve_dates(posts: &mut [PostCandidate], ctx: &DateContext<'_>) {
    for p in posts.iter_mut().filter(|p| p.date.is_none()) {
        p.date = p
            .date_text
            .as_deref()
            .and_then(|t| parse_human_date(t, ctx));
    }
}

// ---------------------------------------------------------------------------------------------
// URLs

/// The canonical absolute form of a link on the page, when it can be a post of this site.
pub(crate) fn post_url(href: &str, page_url: &Url) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with('#') {
        return None;
    }
    let canonical = canonical_link(href, Some(page_url))?;
    let url = Url::parse(&canonical).ok()?;
    if !same_site(&url, page_url) || is_not_post(&url) {
        return None;
    }
    let mut page = page_url.clone();
    page.set_fragment(None);
    if url.as_str() == page.as_str() || url.path() == "/" {
        return None;
    }
    Some(canonical)
}

/// The same host, ignoring a leading `www.`.
fn same_site(a: &Url, b: &Url) -> bool {
    let strip = |u: &Url| {
        u.host_str()
            .map(|h| h.trim_start_matches("www.").to_ascii_lowercase())
    };
    strip(a).is_some()
        && strip(a) == strip(b)
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Listing, account and site pages: never posts.
fn is_not_post(url: &Url) -> bool {
    const SEGMENTS: [&str; 28] = [
        "tag",
        "tags",
        "category",
        "categories",
        "topic",
        "topics",
        "label",
        "author",
        "authors",
        "profile",
        "profiles",
        "user",
        "users",
        "search",
        "page",
        "login",
        "signin",
        "signup",
        "register",
        "account",
        "subscribe",
        "feed",
        "rss",
        "about",
        "contact",
        "privacy",
        "terms",
        "archive",
    ];
    let path = url.path().to_ascii_lowercase();
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| SEGMENTS.contains(s)) {
        return true;
    }
    if let Some(last) = segments.last() {
        let ext = last.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
        if matches!(
            ext,
            "jpg"
                | "jpeg"
                | "png"
                | "gif"
                | "webp"
                | "svg"
                | "pdf"
                | "xml"
                | "rss"
                | "atom"
                | "json"
                | "zip"
                | "mp3"
                | "mp4"
        ) {
            return true;
        }
    }
    url.query_pairs()
        .any(|(k, _)| matches!(k.as_ref(), "page" | "paged" | "replytocom" | "share" | "s"))
}

/// Whether a URL's path has the shape of a single post (see the module documentation).
pub fn looks_like_post(url: &str) -> bool {
    let Ok(u) = Url::parse(url) else {
        return false;
    };
    let path = u.path().to_ascii_lowercase();
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(last) = segs.last() else {
        return false;
    };
    let markers = [
        "post", "posts", "p", "article", "articles", "story", "stories", "entry", "entries",
    ];
    if segs.len() >= 2
        && segs
            .iter()
            .take(segs.len() - 1)
            .any(|s| markers.contains(s) || *s == "news" || *s == "blog")
    {
        return true;
    }
    let is_year =
        |s: &str| s.len() == 4 && s.starts_with('2') && s.bytes().all(|b| b.is_ascii_digit());
    let is_month = |s: &str| s.len() <= 2 && s.parse::<u32>().is_ok_and(|m| (1..=12).contains(&m));
    if segs.windows(2).any(|w| is_year(w[0]) && is_month(w[1])) {
        return true;
    }
    if last.ends_with(".html") || last.ends_with(".htm") {
        return true;
    }
    let words = last
        .split(['-', '_'])
        .filter(|w| w.chars().any(|c| c.is_alphabetic()))
        .count();
    let digits = last.chars().filter(char::is_ascii_digit).count();
    words >= 3 || digits >= 4
}

// ---------------------------------------------------------------------------------------------
// Cards

/// A scored group of cards.
struct Group {
    name: String,
    posts: Vec<PostCandidate>,
    score: f64,
}

/// Platform markup for post cards.
const PLATFORMS: [(&str, &str); 8] = [
    ("wix", r#"[data-hook="post-list-item"]"#),
    ("wordpress", "article.post, article.type-post"),
    ("hentry", ".hentry"),
    ("blogger", ".post-outer, .blog-posts .post"),
    ("ghost", ".post-card, article.gh-card"),
    ("substack", ".post-preview, .portable-archive-post"),
    ("medium", ".postArticle, article[data-post-id]"),
    ("articles", "article"),
];

static PLATFORM_SELECTORS: LazyLock<Vec<(&'static str, Selector)>> = LazyLock::new(|| {
    PLATFORMS
        .iter()
        .map(|(name, css)| (*name, selector(css)))
        .collect()
});
static ANCHOR: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
static HEADING: LazyLock<Selector> = LazyLock::new(|| selector("h1, h2, h3, h4, h5, h6"));
static TIME: LazyLock<Selector> = LazyLock::new(|| selector("time"));
static IMG: LazyLock<Selector> = LazyLock::new(|| selector("img"));
static PARA: LazyLock<Selector> = LazyLock::new(|| selector("p"));
static ALL: LazyLock<Selector> = LazyLock::new(|| selector("*"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| selector("main, [role=main]"));

fn best_card_group(doc: &Html, page_url: &Url) -> Option<Group> {
    let mut groups: Vec<(String, Vec<ElementRef<'_>>, bool)> = Vec::new();
    for (name, sel) in PLATFORM_SELECTORS.iter() {
        let cards: Vec<ElementRef<'_>> = doc.select(sel).take(MAX_CARDS).collect();
        if !cards.is_empty() {
            groups.push((name.to_string(), cards, *name != "articles"));
        }
    }
    // Siblings sharing a signature.
    for parent in doc.select(&ALL) {
        if groups.len() >= MAX_GROUPS {
            break;
        }
        let mut by_sig: HashMap<String, Vec<ElementRef<'_>>> = HashMap::new();
        let mut order: Vec<String> = Vec::new();
        for child in parent.children().filter_map(ElementRef::wrap) {
            if matches!(
                child.value().name(),
                "script" | "style" | "link" | "meta" | "br" | "hr" | "option" | "svg" | "path"
            ) {
                continue;
            }
            let sig = signature(child);
            let entry = by_sig.entry(sig.clone()).or_default();
            if entry.is_empty() {
                order.push(sig);
            }
            if entry.len() < MAX_CARDS {
                entry.push(child);
            }
        }
        for sig in order {
            if let Some(cards) = by_sig.remove(&sig) {
                let linked = cards
                    .iter()
                    .filter(|c| c.value().name() == "a" || c.select(&ANCHOR).next().is_some())
                    .count();
                if linked >= 2 {
                    groups.push((format!("cards <{sig}>"), cards, false));
                }
            }
        }
    }
    let main = doc.select(&MAIN).next();
    let mut best: Option<Group> = None;
    for (name, cards, platform) in groups {
        let Some(group) = score_group(&name, &cards, platform, page_url, main) else {
            continue;
        };
        if best.as_ref().is_none_or(|b| group.score > b.score) {
            best = Some(group);
        }
    }
    best
}

/// Tag plus sorted classes, ignoring classes with digits and state classes.
fn signature(el: ElementRef<'_>) -> String {
    let mut classes: Vec<&str> = el
        .value()
        .classes()
        .filter(|c| !c.chars().any(|ch| ch.is_ascii_digit()))
        .filter(|c| !matches!(*c, "odd" | "even" | "first" | "last" | "active" | "current"))
        .collect();
    classes.sort_unstable();
    classes.dedup();
    if classes.is_empty() {
        el.value().name().to_string()
    } else {
        format!("{}.{}", el.value().name(), classes.join("."))
    }
}

fn score_group(
    name: &str,
    cards: &[ElementRef<'_>],
    platform: bool,
    page_url: &Url,
    main: Option<ElementRef<'_>>,
) -> Option<Group> {
    let mut posts: Vec<PostCandidate> = Vec::new();
    let mut in_main = 0usize;
    for card in cards {
        if excluded_zone(*card) {
            continue;
        }
        let Some(post) = card_post(*card, page_url) else {
            continue;
        };
        if let Some(m) = main
            && card.ancestors().any(|a| a.id() == m.id())
        {
            in_main += 1;
        }
        match posts.iter_mut().find(|p| p.url == post.url) {
            Some(existing) => existing.fill_from(&post),
            None => posts.push(post),
        }
    }
    let n = posts.len();
    if n == 0 || (n < 2 && !platform) {
        return None;
    }
    let share = |f: &dyn Fn(&PostCandidate) -> bool| {
        posts.iter().filter(|p| f(p)).count() as f64 / n as f64
    };
    let pattern = share(&|p| looks_like_post(&p.url));
    let titled = share(&|p| {
        p.title
            .as_deref()
            .is_some_and(|t| t.split_whitespace().count() >= 3)
    });
    if pattern < 0.5 && titled < 0.5 {
        return None;
    }
    let dated = share(&|p| p.date.is_some() || p.date_text.is_some());
    let summarised = share(&|p| p.summary.is_some());
    let pictured = share(&|p| p.image.is_some());
    let quality = 1.0 + pattern + titled + 0.5 * dated + 0.5 * summarised + 0.3 * pictured;
    let mut score = n.min(40) as f64 * quality;
    if in_main * 2 > n {
        score *= 1.2;
    }
    if platform {
        score += 5.0;
    }
    Some(Group {
        name: name.to_string(),
        posts,
        score,
    })
}

/// The words in an element's class, id, role, aria-label, data-hook and itemprop, lower-cased.
fn markers(el: ElementRef<'_>) -> String {
    let v = el.value();
    let mut s = String::new();
    for attr in ["class", "id", "role", "aria-label", "data-hook", "itemprop"] {
        if let Some(a) = v.attr(attr) {
            s.push_str(&a.to_ascii_lowercase());
            s.push(' ');
        }
    }
    s
}

const WIDGET_MARKERS: [&str; 27] = [
    "sidebar",
    "widget",
    "widgets",
    "relatedposts",
    "navigation",
    "related",
    "popular",
    "most-read",
    "mostread",
    "most_read",
    "most-viewed",
    "trending",
    "ticker",
    "marquee",
    "breaking",
    "recent-posts",
    "recent_posts",
    "recentposts",
    "recommended",
    "menu",
    "breadcrumb",
    "pagination",
    "pager",
    "comments",
    "share",
    "newsletter",
    "cookie",
];

const WIDGET_HEADINGS: [&str; 11] = [
    "most read",
    "most popular",
    "most viewed",
    "popular",
    "trending",
    "related",
    "recent posts",
    "recommended",
    "you may also like",
    "read next",
    "more from",
];

/// Whether a card sits in navigation, a header/footer/sidebar, or a widget (by markup or by the
/// heading that introduces it).
fn excluded_zone(card: ElementRef<'_>) -> bool {
    let mut level = 0;
    let mut el = Some(card);
    while let Some(e) = el {
        let tag = e.value().name();
        if level > 0 && matches!(tag, "nav" | "header" | "footer" | "aside") {
            return true;
        }
        if matches!(tag, "body" | "html") {
            break;
        }
        if e.value().attr("role").is_some_and(|r| {
            matches!(
                r.trim(),
                "navigation" | "complementary" | "contentinfo" | "banner"
            )
        }) {
            return true;
        }
        if widget_marked(e) {
            return true;
        }
        if level <= 3 && introduced_by_widget_heading(e) {
            return true;
        }
        level += 1;
        el = e.parent().and_then(ElementRef::wrap);
    }
    false
}

/// Whether an element's class, id, aria-label or data-hook names a widget. Matched on whole
/// tokens (`sidebar`, `widget_recent_entries`, `primary-sidebar`), so `content-sidebar-wrap` or
/// a body's `has-sidebar` do not count.
fn widget_marked(el: ElementRef<'_>) -> bool {
    let v = el.value();
    let mut tokens: Vec<String> = Vec::new();
    for attr in ["class", "id", "data-hook"] {
        if let Some(a) = v.attr(attr) {
            tokens.extend(a.split_whitespace().map(str::to_ascii_lowercase));
        }
    }
    if let Some(label) = v.attr("aria-label") {
        tokens.push(
            label
                .trim()
                .to_lowercase()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join("-"),
        );
    }
    tokens.iter().any(|t| {
        if ["has-", "no-", "with-", "show-", "hide-"]
            .iter()
            .any(|p| t.starts_with(p))
        {
            return false;
        }
        WIDGET_MARKERS.iter().any(|w| {
            // A bare `widget` is every section of a Blogger page, the posts included.
            (t == w && *w != "widget")
                || t.strip_prefix(w).is_some_and(|rest| {
                    rest.starts_with(['-', '_'])
                        || (!rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
                })
                || t.strip_suffix(w)
                    .is_some_and(|rest| rest.ends_with(['-', '_']))
        })
    })
}

/// Whether one of the two element siblings before `el` is a short heading naming a widget.
fn introduced_by_widget_heading(el: ElementRef<'_>) -> bool {
    el.prev_siblings()
        .filter_map(ElementRef::wrap)
        .take(2)
        .any(|s| {
            let is_heading = matches!(
                s.value().name(),
                "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "header"
            ) || markers(s).contains("title");
            if !is_heading {
                return false;
            }
            let text = visible_text(s).to_lowercase();
            text.chars().count() <= 40 && WIDGET_HEADINGS.iter().any(|w| text.contains(w))
        })
}

/// The post one card stands for, when it links to one.
fn card_post(card: ElementRef<'_>, page_url: &Url) -> Option<PostCandidate> {
    let mut links: Vec<ElementRef<'_>> = Vec::new();
    if card.value().name() == "a" {
        links.push(card);
    }
    links.extend(card.select(&ANCHOR).take(50));
    let mut best: Option<(i32, ElementRef<'_>, String)> = None;
    for a in links {
        let Some(url) = a.value().attr("href").and_then(|h| post_url(h, page_url)) else {
            continue;
        };
        if a.ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|x| x.id() != card.id())
            .any(|x| is_author_like(&markers(x)))
        {
            continue;
        }
        let text = visible_text(a);
        let mut score = 0;
        let in_heading = a
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|x| x.id() != card.id())
            .any(|x| matches!(x.value().name(), "h1" | "h2" | "h3" | "h4" | "h5" | "h6"));
        if in_heading || a.select(&HEADING).next().is_some() {
            score += 3;
        }
        if markers(a).contains("title") {
            score += 2;
        }
        if text.split_whitespace().count() >= 3 {
            score += 1;
        }
        if looks_like_post(&url) {
            score += 1;
        }
        if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
            best = Some((score, a, url));
        }
    }
    let (_, link, url) = best?;
    let heading_text = card
        .select(&HEADING)
        .map(visible_text)
        .find(|t| !t.is_empty());
    let link_text = Some(visible_text(link))
        .filter(|t| !t.is_empty())
        .or_else(|| {
            link.value()
                .attr("title")
                .or(link.value().attr("aria-label"))
                .map(str::to_string)
        });
    let title = heading_text
        .or(link_text)
        .map(|t| crate::normalise::clean_text(&t))
        .filter(|t| !t.is_empty());
    let (date, date_text) = card_date(card);
    Some(PostCandidate {
        summary: card_summary(card, title.as_deref()),
        image: card_image(card, page_url),
        author: card_author(card),
        url,
        title,
        date,
        date_text,
    })
}

fn is_author_like(markers: &str) -> bool {
    [
        "author",
        "byline",
        "user-name",
        "username",
        "writer",
        "avatar",
        "profile",
    ]
    .iter()
    .any(|w| markers.contains(w))
}

fn is_date_like(markers: &str) -> bool {
    ["date", "time", "published", "posted", "ago", "timestamp"]
        .iter()
        .any(|w| markers.contains(w))
        && !["read", "update", "modified", "duration"]
            .iter()
            .any(|w| markers.contains(w))
}

/// A `<time>` (its `datetime` when it states an instant with an offset), else the text of a
/// date-classed element.
fn card_date(card: ElementRef<'_>) -> (Option<Stamp>, Option<String>) {
    if let Some(t) = card.select(&TIME).next() {
        let text = visible_text(t);
        if let Some(dt) = t.value().attr("datetime").map(str::trim) {
            if let Some(p) = parse_date(dt)
                .filter(|p| p.offset_known && p.precision == crate::model::DatePrecision::Exact)
            {
                return (
                    Some(Stamp {
                        utc: p.at.with_timezone(&chrono::Utc),
                        offset_secs: p.at.offset().local_minus_utc(),
                        precision: p.precision,
                    }),
                    Some(dt.to_string()),
                );
            }
            if !dt.is_empty() {
                return (None, Some(dt.to_string()));
            }
        }
        if !text.is_empty() {
            return (None, Some(text));
        }
    }
    for el in card.select(&ALL).take(400) {
        if !is_date_like(&markers(el)) || el.value().name() == "a" && el.children().count() > 3 {
            continue;
        }
        // A machine-readable attribute first (Blogger's `abbr.published title="…"`).
        let v = el.value();
        if let Some(attr) = [v.attr("datetime"), v.attr("content"), v.attr("title")]
            .into_iter()
            .flatten()
            .map(str::trim)
            .find(|a| parse_date(a).is_some())
        {
            return (structured::exact_stamp(attr), Some(attr.to_string()));
        }
        let text = visible_text(el);
        let n = text.chars().count();
        if (3..=60).contains(&n)
            && text
                .chars()
                .any(|c| c.is_ascii_digit() || c.is_alphabetic())
        {
            return (None, Some(text));
        }
    }
    (None, None)
}

fn card_author(card: ElementRef<'_>) -> Option<String> {
    for el in card.select(&ALL).take(400) {
        let v = el.value();
        let m = markers(el);
        let flagged = v.attr("rel").is_some_and(|r| r.contains("author"))
            || ["author", "byline", "user-name", "username", "writer"]
                .iter()
                .any(|w| m.contains(w));
        if !flagged || m.contains("avatar") {
            continue;
        }
        let text = visible_text(el);
        let text = strip_byline(&text);
        let n = text.chars().count();
        if (2..=80).contains(&n) && parse_date(&text).is_none() {
            return Some(text);
        }
    }
    None
}

/// "By Jane Doe" → "Jane Doe"; also "Writer:", "Author:", "Posted by".
fn strip_byline(text: &str) -> String {
    let t = text.trim();
    let lower = t.to_lowercase();
    for prefix in [
        "posted by ",
        "written by ",
        "by ",
        "writer: ",
        "author: ",
        "von ",
    ] {
        if lower.starts_with(prefix) {
            return t.get(prefix.len()..).unwrap_or("").trim().to_string();
        }
    }
    t.to_string()
}

fn card_summary(card: ElementRef<'_>, title: Option<&str>) -> Option<String> {
    for el in card.select(&ALL).take(400) {
        let m = markers(el);
        if [
            "excerpt",
            "summary",
            "description",
            "dek",
            "teaser",
            "standfirst",
            "lede",
            "intro",
        ]
        .iter()
        .any(|w| m.contains(w))
        {
            // Not a wrapper around the title as well (Wix's "title-and-description").
            if el.select(&HEADING).next().is_some() {
                continue;
            }
            let text = visible_text(el);
            let holds_title = title.is_some_and(|t| !t.is_empty() && text.contains(t));
            if text.chars().count() >= 10 && !holds_title {
                return Some(cap(text, 600));
            }
        }
    }
    card.select(&PARA)
        .map(visible_text)
        .find(|t| t.chars().count() >= 40 && Some(t.as_str()) != title)
        .map(|t| cap(t, 600))
}

fn cap(text: String, max: usize) -> String {
    if text.chars().count() <= max {
        return text;
    }
    let mut s: String = text.chars().take(max).collect();
    s.push('…');
    s
}

fn card_image(card: ElementRef<'_>, page_url: &Url) -> Option<String> {
    for img in card.select(&IMG).take(20) {
        let inside_author = img
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take_while(|x| x.id() != card.id())
            .any(|x| {
                let m = markers(x);
                is_author_like(&m) || m.contains("logo") || m.contains("icon")
            });
        if inside_author {
            continue;
        }
        if let Some(u) = image_url(img, page_url) {
            return Some(u);
        }
    }
    None
}

/// The real URL of an image, lazy-loading attributes first.
pub(crate) fn image_url(img: ElementRef<'_>, page_url: &Url) -> Option<String> {
    let v = img.value();
    let candidates = [
        v.attr("data-src"),
        v.attr("data-lazy-src"),
        v.attr("data-original"),
        v.attr("src"),
        v.attr("data-srcset")
            .or(v.attr("srcset"))
            .and_then(|s| s.split(',').next())
            .and_then(|s| s.split_whitespace().next()),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty() && !s.starts_with("data:"))
        .find_map(|s| page_url.join(s).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.to_string())
}

/// First-occurrence-wins dedup by URL; later copies fill missing fields.
fn dedupe(posts: Vec<PostCandidate>) -> Vec<PostCandidate> {
    let mut out: Vec<PostCandidate> = Vec::new();
    for p in posts {
        match out.iter_mut().find(|o| o.url == p.url) {
            Some(o) => o.fill_from(&p),
            None => out.push(p),
        }
    }
    out
}

#[cfg(test)]
mod tests;
