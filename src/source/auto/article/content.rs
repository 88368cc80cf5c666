//! Main-content extraction: which part of a post page is the article, and that part as clean
//! HTML and text.
//!
//! 1. **Measure** every element once, bottom-up: its visible text, the part of it inside links,
//!    and its *good* text — text in blocks of at least [`GOOD_BLOCK`] characters that are not
//!    mostly links, outside elements whose class/id/`data-hook` says furniture (comments,
//!    sidebars, share bars, related posts, newsletter boxes …). Scripts, styles, forms' controls,
//!    `nav`, `aside`, `footer` (unless left open around `<main>`) and hidden elements count for
//!    nothing; React's streamed segments (`<div hidden id="S:0">`) are not hidden. A furniture
//!    hint shared by elements holding half the page's good text between them is a layout class
//!    (a post split over "widget" modules), except comment/related/share/sidebar hints. When
//!    next to nothing is visible, classes that hide (`hide`, `hidden` …) are ignored: content
//!    waiting under a preloader for a script.
//! 2. **Choose the root**: a known platform body container when it holds most of the good text
//!    (Wix `post-description`, WordPress `.entry-content`, Blogger `.post-body`, Ghost
//!    `.gh-content`, Substack `.available-content` …) unless the post is split over several
//!    such containers, else the element that maximises `good − α·other`: as much article text
//!    as possible with as little else as possible (never a lone paragraph whose parent holds
//!    twice its article text).
//! 3. **Prune** inside the root: furniture by class hints (author boxes included), captions
//!    and credits (`figcaption`, `caption`/`credit` classes; the image stays), link lists,
//!    short boilerplate lines (reading time, "Share", bylines, "Recent Posts", cookie notices,
//!    advert labels, lines that are only a date outside tables and lists), paragraphs that are
//!    one link, alone or after a short label ("see also" lines, "READ MORE: …"), the headline
//!    itself, an end-of-article section ("Related posts", "Comments", "Leave a reply") with
//!    what follows, and teaser lists whatever their classes: three or more sibling cards, each
//!    opening with a headline link on its own line, with little more than an excerpt or a date
//!    (their good text is discounted before the root is chosen).
//! 4. **Write** the rest as HTML with absolute URLs and lazy images resolved (`data-src`,
//!    `data-lazy-src`, `data-srcset` … over placeholder GIFs and blurred thumbnails), plus a
//!    plain-text rendering with paragraph breaks. The caller sanitises the HTML.

use crate::normalise::collapse_whitespace as collapse;
use ego_tree::{NodeId, NodeRef};
use scraper::{ElementRef, Html, Node};
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::sync::LazyLock;

/// A block needs this many visible characters (whitespace excluded) to count as article text.
const GOOD_BLOCK: u32 = 40;
/// A page with less visible text than this (non-whitespace characters) shows next to nothing.
pub const SHELL_TEXT: u32 = 300;
/// Deeper nesting than this is ignored (and never recursed into).
const MAX_DEPTH: usize = 400;
/// Weight of non-article text against article text when choosing the root.
const ALPHA: f64 = 0.35;

#[derive(Debug, Clone, Copy, Default)]
struct Stats {
    text: u32,
    link: u32,
    good: u32,
    /// Text inside block descendants (so a block's own text is `text - nested`).
    nested: u32,
    nested_link: u32,
}

/// The extracted body.
#[derive(Debug, Clone, Default)]
pub struct Body {
    pub html: String,
    pub text: String,
}

struct Analysis {
    stats: HashMap<NodeId, Stats>,
    junk: HashSet<NodeId>,
    /// Elements whose hints say furniture, in document order.
    negative: Vec<NodeId>,
    /// Elements whose furniture hint is a layout class: the elements carrying it hold half the
    /// page's good text or more between them (an article split over "widget" modules).
    layout: HashSet<NodeId>,
    /// Teaser lists: runs of cards linking to other posts.
    teasers: HashSet<NodeId>,
    lenient: bool,
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "main"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dd"
            | "dt"
            | "td"
            | "th"
            | "tr"
            | "table"
            | "tbody"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figure"
            | "figcaption"
            | "header"
            | "footer"
            | "body"
            | "form"
            | "address"
            | "details"
            | "summary"
            | "center"
            | "hr"
            | "br"
    )
}

fn is_junk_tag(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "noscript"
            | "template"
            | "svg"
            | "head"
            | "iframe"
            | "object"
            | "embed"
            | "canvas"
            | "button"
            | "select"
            | "input"
            | "textarea"
            | "option"
            | "nav"
            | "aside"
            | "footer"
            | "dialog"
            | "link"
            | "meta"
            | "label"
            | "map"
            | "audio"
            | "video"
    )
}

/// The class, id and `data-hook`/`role` of an element, lower-cased, for hint matching.
fn hint_of(e: &scraper::node::Element) -> String {
    let mut h = String::new();
    for a in [
        "class",
        "id",
        "data-hook",
        "role",
        "itemprop",
        "data-testid",
    ] {
        if let Some(v) = e.attr(a) {
            h.push_str(v);
            h.push(' ');
        }
    }
    h.make_ascii_lowercase();
    h
}

/// How a word table is matched (see [`words`]).
#[derive(Clone, Copy)]
enum Words {
    /// Anywhere in the (already lowercased) text: class/id hints.
    Within,
    /// The whole text is one of the words, any case: a line of boilerplate, a date word.
    WholeLine,
}

/// The regex of a word table: `chunks` are groups of `|`-separated alternatives, joined with
/// `|` and, for [`Words::WholeLine`], anchored as `(?i)^(?:…)$`.
fn words(how: Words, chunks: &[&str]) -> regex::Regex {
    let alternatives = chunks.join("|");
    let pattern = match how {
        Words::Within => alternatives,
        Words::WholeLine => format!("(?i)^(?:{alternatives})$"),
    };
    regex::Regex::new(&pattern).unwrap_or_else(|e| unreachable!("static word table: {e}"))
}

static NEGATIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    words(
        Words::Within,
        &[
            r"comment|disqus|respond|reply|sidebar|share|sharing|social|related|recommend",
            r"recent|popular|trending|most-read|mostread|more-stories|read-next|readnext",
            r"newsletter|subscribe|subscription|signup|sign-up|optin|opt-in|mailing",
            r"advert|sponsor|promo|banner|cookie|consent|gdpr|popup|modal|overlay",
            r"breadcrumb|pagination|pager|navigation|navbar|menu|masthead|site-header",
            r"footer|byline|author|^bio$|^bio-|-bio$|post-meta|entry-meta",
            r"article-meta|metadata|post-info|^tags|tag-list|taglist|^categories|^widget|sidebar-",
            r"skip-link|skiplink|toolbar|print|rating|outbrain|taboola|jump-link|toc-",
            r"table-of-contents|post-nav|prev-next|further-reading|see-also|follow-us",
            r"app-download|paywall|login|copyright|caption|credit",
        ],
    )
});

static POSITIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    words(
        Words::Within,
        &[
            r"article-body|articlebody|article-content|entry-content|post-content|post-body|postbody|story-body|storybody|rich-text|richtext|post-description|gh-content|available-content|body-text|main-content|articletext|article__body|article-text|content-body|prose",
        ],
    )
});

/// Whether an element's class/id/`data-hook`/role says furniture. Judged token by token, so
/// layout modifiers on big containers ("ast-no-sidebar", "has-sidebar", "comments-open") do not
/// condemn the page; the document's outer elements are never judged.
fn is_negative(e: &scraper::node::Element) -> bool {
    !negative_tokens(e).is_empty()
}

/// Hint tokens that always mean furniture, however much text they hold together (comment
/// threads can outgrow the post).
static STRONG_NEGATIVE: LazyLock<regex::Regex> = LazyLock::new(|| {
    words(
        Words::Within,
        &[r"comment|disqus|respond|reply|related|recommend|sidebar|share|social"],
    )
});

/// The class/id/`data-hook`/role tokens of an element that say furniture (none: not furniture).
fn negative_tokens(e: &scraper::node::Element) -> Vec<String> {
    if matches!(e.name(), "html" | "body" | "main" | "article") {
        return Vec::new();
    }
    let hint = hint_of(e);
    if hint.is_empty() || POSITIVE.is_match(&hint) {
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for t in hint.split(|c: char| c.is_whitespace()) {
        let negative = !t.is_empty()
            && NEGATIVE.is_match(t)
            && !(t.starts_with("has-")
                || t.starts_with("no-")
                || t.starts_with("with")
                || t.contains("-no-")
                || t.contains("layout")
                || t.contains("template")
                || t.contains("enabled")
                || t.contains("-open")
                || t.ends_with("-active")
                || t.starts_with("single"));
        if negative && !out.iter().any(|o| o == t) {
            out.push(t.to_string());
        }
    }
    out
}

fn class_tokens_hidden(e: &scraper::node::Element) -> bool {
    e.attr("class").is_some_and(|c| {
        c.split_ascii_whitespace().any(|t| {
            matches!(
                t.to_ascii_lowercase().as_str(),
                "hidden"
                    | "sr-only"
                    | "visually-hidden"
                    | "visuallyhidden"
                    | "screen-reader-text"
                    | "screen-reader-only"
                    | "d-none"
                    | "is-hidden"
                    | "hide"
                    | "invisible"
            )
        })
    })
}

/// A React streaming segment (`<div hidden id="S:0">`): server-rendered content that a script
/// moves into place, hidden only until then.
fn is_streamed_segment(e: &scraper::node::Element) -> bool {
    e.attr("id").is_some_and(|id| {
        id.strip_prefix("S:")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    })
}

fn is_hidden(e: &scraper::node::Element, lenient: bool) -> bool {
    if (e.attr("hidden").is_some() && !is_streamed_segment(e))
        || e.attr("aria-hidden") == Some("true")
    {
        return true;
    }
    if let Some(style) = e.attr("style") {
        let s: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        if s.contains("display:none") || s.contains("visibility:hidden") {
            return true;
        }
    }
    if matches!(
        e.attr("role"),
        Some("navigation" | "complementary" | "contentinfo" | "banner" | "search" | "dialog")
    ) {
        return true;
    }
    !lenient && class_tokens_hidden(e)
}

/// A `nav`/`aside`/`footer`/`header` left open around the page's `<main>` (a markup slip) is
/// not furniture.
fn holds_main(node: NodeRef<'_, Node>) -> bool {
    node.value()
        .as_element()
        .is_some_and(|e| matches!(e.name(), "nav" | "aside" | "footer" | "header"))
        && node
            .descendants()
            .any(|d| d.value().as_element().is_some_and(|e| e.name() == "main"))
}

/// Whether the first text of `card` that is a link of 12 characters or more starts within its
/// first 40 characters: a card that opens with a headline link.
fn opens_with_headline_link<'a>(card: NodeRef<'a, Node>) -> Option<&'a str> {
    let mut before = 0u32;
    let mut skip_until: Option<NodeId> = None;
    for edge in card.traverse() {
        let ego_tree::iter::Edge::Open(n) = edge else {
            if let ego_tree::iter::Edge::Close(n) = edge
                && skip_until == Some(n.id())
            {
                skip_until = None;
            }
            continue;
        };
        if skip_until.is_some() {
            continue;
        }
        match n.value() {
            Node::Element(e) if is_junk_tag(e.name()) => skip_until = Some(n.id()),
            Node::Element(e) if e.name() == "a" && e.attr("href").is_some() => {
                let len = ElementRef::wrap(n).map_or(0, |a| a.text().map(count_visible).sum());
                if len >= 12 {
                    return (before <= 40 && stands_alone(n, card))
                        .then(|| e.attr("href"))
                        .flatten();
                }
            }
            Node::Text(t) => {
                before += count_visible(t);
                if before > 40 {
                    return None;
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether a link is a line of its own: no loose text beside it up to its block (a headline,
/// not a link at the start of a sentence or of an address).
fn stands_alone(link: NodeRef<'_, Node>, card: NodeRef<'_, Node>) -> bool {
    let mut cur = link;
    while let Some(parent) = cur.parent() {
        let loose = parent.children().any(|c| {
            c.id() != cur.id() && c.value().as_text().is_some_and(|t| count_visible(t) > 1)
        });
        if loose {
            return false;
        }
        if parent.id() == card.id()
            || parent
                .value()
                .as_element()
                .is_none_or(|e| is_block(e.name()))
        {
            return true;
        }
        cur = parent;
    }
    true
}

fn count_visible(t: &str) -> u32 {
    u32::try_from(t.chars().filter(|c| !c.is_whitespace()).count()).unwrap_or(u32::MAX)
}

impl Analysis {
    /// `lenient`: a class that hides (`hide`, `hidden` …) does not hide — for pages that keep
    /// their whole content under such a class until a script (a preloader) reveals it.
    fn run(root: NodeRef<'_, Node>, lenient: bool, teasers: bool) -> Analysis {
        let mut a = Analysis {
            stats: HashMap::with_capacity(4096),
            junk: HashSet::new(),
            negative: Vec::new(),
            layout: HashSet::new(),
            teasers: HashSet::new(),
            lenient,
        };
        let total = a.visit(root, 0, false);
        a.discount_furniture(root, total.good);
        if teasers {
            a.discount_teasers(root);
        }
        a
    }

    /// Teaser lists (see [`is_teaser_list`]) hold no article text — unless nearly all the
    /// page's good text is in them.
    fn discount_teasers(&mut self, root: NodeRef<'_, Node>) {
        let total_good = self.get(root.id()).good;
        let mut found: Vec<NodeId> = Vec::new();
        for node in root.descendants() {
            if !node
                .value()
                .as_element()
                .is_some_and(|e| is_block(e.name()))
                || self.junk.contains(&node.id())
                || node.ancestors().any(|a| found.contains(&a.id()))
            {
                continue;
            }
            if self.is_teaser_list(node) {
                found.push(node.id());
            }
        }
        for id in found {
            let Some(node) = root.tree().get(id) else {
                continue;
            };
            let good = self.get(id).good;
            if f64::from(good) >= 0.9 * f64::from(total_good) && good > 0 {
                continue;
            }
            self.teasers.insert(id);
            for d in node.descendants() {
                if let Some(s) = self.stats.get_mut(&d.id()) {
                    s.good = 0;
                }
            }
            for a in node.ancestors() {
                if let Some(s) = self.stats.get_mut(&a.id()) {
                    s.good = s.good.saturating_sub(good);
                }
            }
        }
    }

    /// A run of sibling cards, each opening with a headline link (a category or date may come
    /// first) and followed by little more than an excerpt, a byline or a date: "related",
    /// "latest" and "more stories" blocks, whatever their classes say.
    fn is_teaser_list(&self, node: NodeRef<'_, Node>) -> bool {
        let kids: Vec<NodeRef<'_, Node>> = node
            .children()
            .filter(|c| c.value().is_element() && self.get(c.id()).text > 0)
            .collect();
        if kids.len() < 3 {
            return false;
        }
        let (mut cards, mut card_text, mut card_link) = (0usize, 0u32, 0u32);
        for k in &kids {
            if opens_with_headline_link(*k).is_some() {
                let s = self.get(k.id());
                cards += 1;
                card_text += s.text;
                card_link += s.link;
            }
        }
        let text = self.get(node.id()).text;
        cards >= 3
            && cards * 10 >= kids.len() * 6
            && f64::from(card_text) >= 0.7 * f64::from(text)
            && f64::from(card_link) >= 0.15 * f64::from(card_text)
            && card_text <= 700 * u32::try_from(cards).unwrap_or(u32::MAX)
    }

    /// Furniture holds no article text: the good text of every element whose hints say
    /// furniture is taken out of it and its ancestors — unless it holds half the page's good
    /// text or more (then the hint is a layout class on the article's own container).
    fn discount_furniture(&mut self, root: NodeRef<'_, Node>, total_good: u32) {
        let tree = root.tree();
        let negative = std::mem::take(&mut self.negative);
        // Good text per hint token, over the outermost elements carrying it.
        let mut carriers: HashMap<String, HashSet<NodeId>> = HashMap::new();
        let mut token_good: HashMap<String, u32> = HashMap::new();
        let mut tokens_of: HashMap<NodeId, Vec<String>> = HashMap::new();
        for &id in &negative {
            let Some(node) = tree.get(id) else { continue };
            let Some(e) = node.value().as_element() else {
                continue;
            };
            let tokens = negative_tokens(e);
            let good = self.get(id).good;
            for t in &tokens {
                let set = carriers.entry(t.clone()).or_default();
                if !node.ancestors().any(|a| set.contains(&a.id())) {
                    *token_good.entry(t.clone()).or_insert(0) += good;
                }
                set.insert(id);
            }
            tokens_of.insert(id, tokens);
        }
        let layout_token = |t: &String| {
            !STRONG_NEGATIVE.is_match(t)
                && f64::from(token_good.get(t).copied().unwrap_or(0)) >= 0.5 * f64::from(total_good)
                && total_good > 0
        };
        let mut discounted: HashSet<NodeId> = HashSet::new();
        for id in negative {
            let Some(node) = tree.get(id) else { continue };
            if tokens_of
                .get(&id)
                .is_some_and(|ts| ts.iter().any(layout_token))
            {
                self.layout.insert(id);
                continue;
            }
            if node.ancestors().any(|a| discounted.contains(&a.id())) {
                continue;
            }
            let good = self.get(id).good;
            if good == 0 || f64::from(good) >= 0.5 * f64::from(total_good) {
                continue;
            }
            discounted.insert(id);
            for d in node.descendants() {
                if let Some(s) = self.stats.get_mut(&d.id()) {
                    s.good = 0;
                }
            }
            for a in node.ancestors() {
                if let Some(s) = self.stats.get_mut(&a.id()) {
                    s.good = s.good.saturating_sub(good);
                }
            }
        }
    }

    fn get(&self, id: NodeId) -> Stats {
        self.stats.get(&id).copied().unwrap_or_default()
    }

    fn visit(&mut self, node: NodeRef<'_, Node>, depth: usize, in_link: bool) -> Stats {
        match node.value() {
            Node::Text(t) => {
                let n = count_visible(t);
                Stats {
                    text: n,
                    link: if in_link { n } else { 0 },
                    ..Stats::default()
                }
            }
            Node::Element(e) => {
                if depth > MAX_DEPTH
                    || (is_junk_tag(e.name()) && !holds_main(node))
                    || is_hidden(e, self.lenient)
                {
                    self.junk.insert(node.id());
                    return Stats::default();
                }
                if e.name() == "form" || is_negative(e) {
                    self.negative.push(node.id());
                }
                let in_link = in_link || e.name() == "a";
                let mut s = Stats::default();
                for child in node.children() {
                    let c = self.visit(child, depth + 1, in_link);
                    let child_block = child
                        .value()
                        .as_element()
                        .is_some_and(|ce| is_block(ce.name()));
                    s.text += c.text;
                    s.link += c.link;
                    s.good += c.good;
                    if child_block {
                        s.nested += c.text;
                        s.nested_link += c.link;
                    } else {
                        s.nested += c.nested;
                        s.nested_link += c.nested_link;
                    }
                }
                if is_block(e.name()) {
                    let own = s.text.saturating_sub(s.nested);
                    let own_link = s.link.saturating_sub(s.nested_link);
                    if own >= GOOD_BLOCK && own_link * 2 < own {
                        s.good += own;
                    }
                }
                self.stats.insert(node.id(), s);
                s
            }
            Node::Document | Node::Fragment => {
                let mut s = Stats::default();
                for child in node.children() {
                    let c = self.visit(child, depth + 1, in_link);
                    s.text += c.text;
                    s.link += c.link;
                    s.good += c.good;
                }
                self.stats.insert(node.id(), s);
                s
            }
            _ => Stats::default(),
        }
    }
}

/// Known body containers of blogging platforms and CMSs, most specific first.
const PLATFORM_BODIES: [&str; 16] = [
    r#"[data-hook="post-description"]"#,
    ".gh-content",
    ".available-content",
    ".post-body",
    ".entry-content",
    ".post-content",
    ".article-body",
    ".article__body",
    ".article-content",
    "[itemprop=\"articleBody\"]",
    ".story-body",
    ".blog-post-content",
    ".post__content",
    ".c-entry-content",
    ".rich-text",
    "article section",
];

static PLATFORM_SELECTORS: LazyLock<Vec<scraper::Selector>> = LazyLock::new(|| {
    PLATFORM_BODIES
        .iter()
        .map(|s| super::meta::sel(s))
        .collect()
});

/// Text of elements that are furniture when they are all a block says.
static BOILERPLATE: LazyLock<regex::Regex> = LazyLock::new(|| {
    words(
        Words::WholeLine,
        &[
            r"\d+\s*(?:min|minute|mins|minutes)\.?\s*(?:read|de lectura|lesezeit|lecture)",
            r"reading time.*|lesezeit.*|share(?: this(?: article| post| story)?)?(?: on)?:?|share via.*",
            r"tweet|email|print|copy link|facebook|twitter|linkedin|pinterest|whatsapp|reddit",
            r"(?:by|writer:|written by|posted by|author:|von|por|par)\s.{1,60}",
            r"recent posts|see all|related (?:posts|articles|stories|content)|read more",
            r"you (?:may|might) also like.*|more from .*|comments?|\d+\s+comments?|write a comment.*",
            r"leave a (?:reply|comment).*|sign up.*|subscribe.*|advert(?:isement)?(?:\W.*)?|sponsored|continue reading.*",
            r"skip to (?:main )?content|top of page|bottom of page|back to top",
            r"this (?:site|website) uses cookies.*|we use cookies.*|accept(?: all)?(?: cookies)?",
            r"tags?:.*|categories:.*|filed under:?.*|posted in .*|updated:?.*|published:?.*",
            r"\d+\s*(?:views?|likes?|shares?)|like|follow us.*|share this:?",
        ],
    )
});

/// Words a dateline is made of besides numbers: months, weekdays, clock and zone words.
static DATE_WORD: LazyLock<regex::Regex> = LazyLock::new(|| {
    words(
        Words::WholeLine,
        &[
            r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march",
            r"april|june|july|august|september|october|november|december|mon|tue|tues|wed|thu",
            r"thur|thurs|fri|sat|sun|monday|tuesday|wednesday|thursday|friday|saturday|sunday",
            r"at|on|am|pm|a\.m|p\.m|gmt|utc|et|est|edt|pt|pst|pdt|bst|cet|cest|ist|published",
            r"updated|posted|last|modified|\d{1,4}(?:st|nd|rd|th|h)?",
        ],
    )
});

/// A line that is only a date (and time): "November 18, 2019", "20 Nov, 2019 05:47",
/// "Published Monday, Nov. 18, 2019 8:22AM EST" — metadata, not article text.
fn is_dateline(t: &str) -> bool {
    if t.len() > 60 {
        return false;
    }
    let words: Vec<&str> = t
        .split(|c: char| {
            c.is_whitespace() || matches!(c, ',' | '/' | '-' | '|' | ':' | '·' | '•' | '(' | ')')
        })
        .map(|w| w.trim_end_matches('.'))
        .filter(|w| !w.is_empty())
        .collect();
    let year = words.iter().any(|w| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
    });
    year && words.len() >= 2
        && words.iter().all(|w| {
            DATE_WORD.is_match(w)
                || (w.len() <= 7
                    && w.bytes().all(|b| {
                        b.is_ascii_digit() || matches!(b, b'a' | b'p' | b'm' | b'A' | b'P' | b'M')
                    }))
        })
}

/// A short label and a colon, the way "see also" links start.
static LABELLED_LINK: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^\W{0,3}[\p{L}'’ ]{2,25}\s?:\s")
        .unwrap_or_else(|_| unreachable!("static regex"))
});

/// A heading that opens what follows the article.
static END_HEADING: LazyLock<regex::Regex> = LazyLock::new(|| {
    words(
        Words::WholeLine,
        &[
            r"recent posts|related(?: posts| articles| stories| content| reading)?",
            r"you (?:may|might) also (?:like|enjoy)|more (?:from|stories|articles|posts|on).*",
            r"comments?|\d+ comments?|leave a (?:reply|comment)|post a comment|write a comment",
            r"read (?:next|more)|recommended(?: for you)?|popular (?:posts|articles)",
            r"share this(?: post| article)?:?|about the author|newsletter|subscribe.*",
            r"most (?:read|popular)|trending|further reading|keep reading",
        ],
    )
});

fn element_text(node: NodeRef<'_, Node>) -> String {
    ElementRef::wrap(node)
        .map(|e| collapse(&e.text().collect::<Vec<_>>().join(" ")))
        .unwrap_or_default()
}

/// Extract the main content of `doc`. `title` (the chosen headline) is dropped from the body.
pub fn extract_body(doc: &Html, page_url: &url::Url, title: Option<&str>) -> Option<Body> {
    let tree_root = doc.tree.root();
    let mut analysis = Analysis::run(tree_root, false, true);
    let body_el = doc
        .tree
        .nodes()
        .find(|n| n.value().as_element().is_some_and(|e| e.name() == "body"))
        .unwrap_or(tree_root);
    let mut total = analysis.get(body_el.id());
    if total.good == 0 || total.text < SHELL_TEXT {
        // Next to nothing visible: the content may wait under a hiding class for a script.
        let lenient = Analysis::run(tree_root, true, true);
        let lenient_total = lenient.get(body_el.id());
        if lenient_total.good > total.good {
            analysis = lenient;
            total = lenient_total;
        }
    }
    if total.text == 0 {
        return None;
    }

    // The element that maximises good − α·other.
    let mut best: Option<(f64, NodeRef<'_, Node>)> = None;
    for node in body_el.descendants() {
        let Some(e) = node.value().as_element() else {
            continue;
        };
        if !is_block(e.name()) || analysis.junk.contains(&node.id()) {
            continue;
        }
        let s = analysis.get(node.id());
        if s.good == 0 {
            continue;
        }
        let other = f64::from(s.text.saturating_sub(s.good));
        let score = f64::from(s.good) - ALPHA * other;
        if best.is_none_or(|(b, _)| score > b) {
            best = Some((score, node));
        }
    }
    let mut root = match best {
        Some((_, n)) => n,
        None => body_el,
    };
    // A lone paragraph is never the article when its parent holds more article text: the
    // parent lost on the "other" text of comments or widgets that pruning removes anyway.
    if root.value().as_element().is_some_and(|e| e.name() == "p")
        && let Some(parent) = root.parent()
        && analysis.get(parent.id()).good >= 2 * analysis.get(root.id()).good
    {
        root = parent;
    }
    let root_good = analysis.get(root.id()).good;
    let scored_root = root;
    for sel in PLATFORM_SELECTORS.iter() {
        let matches: Vec<ElementRef<'_>> = doc
            .select(sel)
            .filter(|e| !analysis.junk.contains(&e.id()))
            .collect();
        let found = matches.iter().max_by_key(|e| analysis.get(e.id()).good);
        if let Some(e) = found {
            let s = analysis.get(e.id());
            if s.text >= 80 && f64::from(s.good) >= 0.6 * f64::from(root_good) {
                // The post split over several containers of that kind (one per section or
                // module): the scored root holds them all.
                let ids: HashSet<NodeId> = matches.iter().map(|m| m.id()).collect();
                let others: u32 = matches
                    .iter()
                    .filter(|m| {
                        m.id() != e.id()
                            && !m.ancestors().any(|a| ids.contains(&a.id()))
                            && !e.ancestors().any(|a| a.id() == m.id())
                            && m.ancestors().any(|a| a.id() == scored_root.id())
                    })
                    .map(|m| analysis.get(m.id()).good)
                    .sum();
                if others * 4 < s.good {
                    root = **e;
                }
                break;
            }
        }
    }

    let mut w = Writer {
        analysis: &analysis,
        base: page_url,
        root_good: analysis.get(root.id()).good,
        title_key: title.map(super::title::squash).filter(|t| !t.is_empty()),
        title_dropped: false,
        html: String::with_capacity(8192),
        text: String::with_capacity(4096),
    };
    w.children(root, 0);
    let text = w
        .text
        .split("\n\n")
        .map(collapse)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    if text.is_empty() && !w.html.contains("<img") {
        return None;
    }
    Some(Body { html: w.html, text })
}

struct Writer<'a> {
    analysis: &'a Analysis,
    base: &'a url::Url,
    root_good: u32,
    title_key: Option<String>,
    title_dropped: bool,
    html: String,
    text: String,
}

const VOID: [&str; 8] = ["br", "hr", "img", "source", "wbr", "col", "area", "track"];

impl Writer<'_> {
    fn children(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        let children: Vec<NodeRef<'_, Node>> = node.children().collect();
        let mut goods_after: Vec<u32> = vec![0; children.len() + 1];
        for (i, c) in children.iter().enumerate().rev() {
            // Loose text between `<br>`s is article text too.
            let g = match c.value() {
                Node::Text(t) => count_visible(t),
                _ => self.analysis.get(c.id()).good,
            };
            goods_after[i] = goods_after[i + 1] + g;
        }
        for (i, child) in children.iter().enumerate() {
            if let Some(e) = child.value().as_element()
                && matches!(
                    e.name(),
                    "h2" | "h3" | "h4" | "h5" | "h6" | "div" | "section"
                )
            {
                let t = element_text(*child);
                let rest = goods_after.get(i + 1).copied().unwrap_or(0);
                if t.len() < 60
                    && END_HEADING.is_match(t.trim_end_matches(':'))
                    && f64::from(rest) < 0.3 * f64::from(self.root_good)
                    && (e.name().starts_with('h') || self.analysis.get(child.id()).good == 0)
                {
                    break;
                }
            }
            self.node(*child, depth + 1);
        }
    }

    fn drop_element(&mut self, node: NodeRef<'_, Node>, e: &scraper::node::Element) -> bool {
        if self.analysis.junk.contains(&node.id()) {
            return true;
        }
        let s = self.analysis.get(node.id());
        let name = e.name();
        if matches!(name, "img" | "picture" | "figure" | "br" | "hr" | "source") {
            return false;
        }
        if name == "figcaption" {
            return true;
        }
        let mostly_not_article = f64::from(s.good) < 0.5 * f64::from(self.root_good.max(1));
        if self.analysis.teasers.contains(&node.id()) && mostly_not_article {
            return true;
        }
        if (name == "form" || is_negative(e))
            && mostly_not_article
            && !self.analysis.layout.contains(&node.id())
        {
            return true;
        }
        if matches!(name, "header") && mostly_not_article && s.good < 200 {
            return true;
        }
        if s.text > 0 && name != "p" && name != "a" && is_block(name) && mostly_not_article {
            let density = f64::from(s.link) / f64::from(s.text);
            if density > 0.5 && s.good == 0 {
                return true;
            }
        }
        // A paragraph that is one link and nothing else: "see also" lines between paragraphs;
        // also with a short label first ("Related: …", "READ MORE: …", "Lire aussi : …").
        if name == "p" && s.text > 0 && s.text <= 150 && s.link * 10 >= s.text * 9 {
            return true;
        }
        if matches!(name, "p" | "div" | "li" | "h3" | "h4")
            && s.text > 0
            && s.text <= 200
            && s.link * 10 >= s.text * 6
            && LABELLED_LINK.is_match(&element_text(node))
        {
            return true;
        }
        if is_block(name) && s.text > 0 && s.text <= 120 {
            let t = element_text(node);
            if BOILERPLATE.is_match(&t)
                || (!matches!(name, "td" | "th" | "tr" | "li" | "dd" | "dt") && is_dateline(&t))
            {
                return true;
            }
            if matches!(name, "h1" | "h2")
                && !self.title_dropped
                && let Some(k) = &self.title_key
                && super::title::squash(&t) == *k
            {
                self.title_dropped = true;
                return true;
            }
        }
        if name == "h1" && !self.title_dropped && self.title_key.is_none() {
            self.title_dropped = true;
            return true;
        }
        false
    }

    fn node(&mut self, node: NodeRef<'_, Node>, depth: usize) {
        if depth > MAX_DEPTH {
            return;
        }
        match node.value() {
            Node::Text(t) => {
                let s: &str = t;
                escape_text(&mut self.html, s);
                self.text.push_str(s);
            }
            Node::Element(e) => {
                if self.drop_element(node, e) {
                    return;
                }
                let name = e.name();
                if name == "img" {
                    self.image(e);
                    return;
                }
                let block = is_block(name);
                if block {
                    self.text.push_str("\n\n");
                }
                let _ = write!(self.html, "<{name}");
                for attr in [
                    "href", "src", "srcset", "alt", "title", "datetime", "colspan", "rowspan",
                ] {
                    let value = match attr {
                        "srcset" => e
                            .attr("data-srcset")
                            .or_else(|| e.attr("srcset"))
                            .map(|v| absolute_srcset(v, self.base)),
                        "src" => e
                            .attr("data-src")
                            .or_else(|| e.attr("src"))
                            .and_then(|v| absolute(v, self.base)),
                        "href" => e.attr("href").and_then(|v| absolute(v, self.base)),
                        _ => e.attr(attr).map(str::to_string),
                    };
                    if let Some(v) = value {
                        let _ = write!(self.html, " {attr}=\"");
                        escape_attr(&mut self.html, &v);
                        self.html.push('"');
                    }
                }
                self.html.push('>');
                if VOID.contains(&name) {
                    if name == "br" {
                        self.text.push('\n');
                    }
                    return;
                }
                self.children(node, depth);
                let _ = write!(self.html, "</{name}>");
                if block {
                    self.text.push_str("\n\n");
                }
            }
            _ => {}
        }
    }

    /// An image with its real source: lazy-loading attributes win over placeholders.
    fn image(&mut self, e: &scraper::node::Element) {
        let lazy = [
            "data-src",
            "data-lazy-src",
            "data-original",
            "data-lazy",
            "data-url",
            "data-hi-res-src",
            "data-full-src",
            "data-orig-file",
        ]
        .iter()
        .find_map(|a| {
            e.attr(a)
                .filter(|v| !v.trim().is_empty() && !v.starts_with("data:"))
        });
        let srcset = e
            .attr("data-srcset")
            .or_else(|| e.attr("data-lazy-srcset"))
            .or_else(|| e.attr("srcset"))
            .filter(|v| !v.trim().is_empty() && !v.trim_start().starts_with("data:"));
        let src = e.attr("src").filter(|s| !is_placeholder(s));
        let chosen = lazy
            .or(src)
            .map(str::to_string)
            .or_else(|| srcset.and_then(largest_in_srcset));
        let Some(src) = chosen.and_then(|s| absolute(&s, self.base)) else {
            return;
        };
        self.html.push_str("<img src=\"");
        escape_attr(&mut self.html, &src);
        self.html.push('"');
        if let Some(ss) = srcset {
            self.html.push_str(" srcset=\"");
            escape_attr(&mut self.html, &absolute_srcset(ss, self.base));
            self.html.push('"');
        }
        if let Some(alt) = e.attr("alt") {
            self.html.push_str(" alt=\"");
            escape_attr(&mut self.html, alt);
            self.html.push('"');
        }
        self.html.push('>');
    }
}

/// A stand-in that lazy loading replaces: a data: URI, a 1×1 or blank GIF, a blurred or tiny
/// thumbnail.
fn is_placeholder(src: &str) -> bool {
    let s = src.trim().to_ascii_lowercase();
    s.is_empty()
        || s.starts_with("data:")
        || s.contains("blank.gif")
        || s.contains("spacer.gif")
        || s.contains("pixel.gif")
        || s.contains("placeholder")
        || s.contains("lazy-load")
        || s.contains("lazyload")
        || s.contains("/blur_")
        || s.contains(",blur_")
        || s.contains("1x1")
}

fn largest_in_srcset(srcset: &str) -> Option<String> {
    srcset
        .split(',')
        .filter_map(|part| {
            let mut it = part.split_whitespace();
            let url = it.next()?;
            let w = it
                .next()
                .and_then(|d| d.trim_end_matches(['w', 'x']).parse::<f64>().ok())
                .unwrap_or(1.0);
            Some((w, url))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, u)| u.to_string())
}

fn absolute(v: &str, base: &url::Url) -> Option<String> {
    let v = v.trim();
    if v.is_empty() || v.starts_with('#') {
        return None;
    }
    base.join(v).ok().map(|u| u.to_string())
}

fn absolute_srcset(v: &str, base: &url::Url) -> String {
    v.split(',')
        .filter_map(|part| {
            let mut it = part.split_whitespace();
            let url = absolute(it.next()?, base)?;
            let rest: Vec<&str> = it.collect();
            Some(if rest.is_empty() {
                url
            } else {
                format!("{url} {}", rest.join(" "))
            })
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn escape_text(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
}

fn escape_attr(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            c => out.push(c),
        }
    }
}

/// Visible text of the whole page (scripts, styles and hidden parts excluded), in
/// non-whitespace characters: an app shell has next to none.
pub fn visible_text_len(doc: &Html) -> u32 {
    let analysis = Analysis::run(doc.tree.root(), false, false);
    analysis.get(doc.tree.root().id()).text
}

#[cfg(test)]
mod tests {
    use super::*;

    const PARA: &str =
        "A sentence that is long enough to count as article text, with commas, and more.";

    /// The body text of `html` holds every `kept` text and none of the `dropped`.
    fn assert_body(html: &str, kept: &[&str], dropped: &[&str]) {
        let text = body_text(html);
        for k in kept {
            assert!(text.contains(k), "{k:?} missing: {text}");
        }
        for d in dropped {
            assert!(!text.contains(d), "{d:?} kept: {text}");
        }
    }

    fn body_text(html: &str) -> String {
        let doc = Html::parse_document(html);
        let url = url::Url::parse("https://blog.example/post/a").unwrap_or_else(|_| unreachable!());
        extract_body(&doc, &url, None)
            .map(|b| b.text)
            .unwrap_or_default()
    }

    #[test]
    fn react_streamed_segments_are_content_other_hidden_blocks_are_not() {
        let html = format!(
            r#"<html><body><nav><a href="/">Home</a></nav><div hidden id="S:0"><main><p>Streamed one. {PARA}</p><p>Streamed two. {PARA}</p></main></div>
<div hidden><p>Hidden drawer. {PARA}</p></div><div hidden id="menu"><p>Hidden menu. {PARA}</p></div></body></html>"#
        );
        assert_body(
            &html,
            &["Streamed one", "Streamed two"],
            &["Hidden drawer", "Hidden menu"],
        );
    }

    #[test]
    fn a_sidebar_left_open_around_main_is_not_furniture() {
        let html = format!(
            r#"<html><body><aside class="banner"><a href="/sale">Sale</a><main><article><p>First. {PARA}</p><p>Second. {PARA}</p></article></main></body></html>"#
        );
        assert_body(&html, &["First.", "Second."], &[]);
        let closed = format!(
            r#"<html><body><aside><p>Aside text. {PARA}</p></aside><main><p>First. {PARA} {PARA}</p></main></body></html>"#
        );
        assert!(!body_text(&closed).contains("Aside text"));
    }

    #[test]
    fn a_furniture_class_shared_by_the_article_modules_is_layout() {
        // The post is split over three page-builder modules whose class contains "widget";
        // a newsletter box in the same column stays furniture.
        let html = format!(
            r#"<html><body><main><div class="col">
<div class="widget-span"><h2>Set goals</h2><p>One. {PARA}</p></div>
<div class="widget-span"><p>Two. {PARA}</p></div>
<div class="widget-span"><p>Three. {PARA}</p></div>
<div class="newsletter-box"><p>Join our list. {PARA}</p></div>
</div></main><div class="widget-span"><a href="/a">Other post</a></div></body></html>"#
        );
        assert_body(
            &html,
            &["Set goals", "One.", "Two.", "Three."],
            &["Join our list"],
        );
    }

    #[test]
    fn content_under_a_hiding_class_is_read_when_nothing_else_shows() {
        let html = format!(
            r#"<html><body><div class="preloader"></div><div class="root hide"><main><p>First. {PARA}</p><p>Second. {PARA}</p></main></div></body></html>"#
        );
        assert_body(&html, &["First.", "Second."], &[]);
        // With a visible article, a hidden modal stays out.
        let html = format!(
            r#"<html><body><main><p>First. {PARA}</p><p>Second. {PARA}</p><p>Third. {PARA}</p><p>Fourth. {PARA}</p></main><div class="modal hidden"><p>Modal text. {PARA}</p></div></body></html>"#
        );
        assert_body(&html, &["Fourth."], &["Modal text"]);
    }

    #[test]
    fn captions_and_credits_are_not_article_text() {
        let html = format!(
            r#"<html><body><article><p>First. {PARA}</p><figure><img src="/a.jpg" alt="a"><figcaption>The harbour at dawn, seen from the ferry deck. Photo: J. Roe</figcaption></figure>
<p>Second. {PARA}</p><div class="image-credit">Getty Images</div><p>Third. {PARA}</p></article></body></html>"#
        );
        let doc = Html::parse_document(&html);
        let url = url::Url::parse("https://blog.example/post/a").unwrap_or_else(|_| unreachable!());
        let body = extract_body(&doc, &url, None).unwrap_or_default();
        assert!(body.text.contains("Third."), "{}", body.text);
        assert!(
            !body.text.contains("harbour") && !body.text.contains("Getty"),
            "{}",
            body.text
        );
        assert!(body.html.contains("/a.jpg"), "{}", body.html);
    }

    #[test]
    fn a_run_of_teaser_cards_is_not_article_text() {
        let cards: String = (0..4)
            .map(|i| {
                format!(
                    r#"<li><span>May {i}</span><h3><a href="/post/{i}">Another story number {i} from us</a></h3><p>Excerpt {i}: {PARA}</p></li>"#
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><div class="main"><h1>T</h1><p>First. {PARA}</p><p>Second. {PARA}</p><p>Third. {PARA}</p><p>Fourth. {PARA}</p><ul>{cards}</ul></div></body></html>"#
        );
        assert_body(&html, &["Fourth."], &["Excerpt 2", "story number"]);
    }

    #[test]
    fn a_list_of_links_with_descriptions_in_running_text_stays() {
        let items: String = (0..4)
            .map(|i| {
                format!(
                    r#"<li><a href="/guide/{i}">The official guide part {i}</a> explains step {i} in detail. {PARA}</li>"#
                )
            })
            .collect();
        let html = format!(
            r#"<html><body><div class="main"><p>First. {PARA}</p><p>Second. {PARA}</p><ul>{items}</ul><p>Last. {PARA}</p></div></body></html>"#
        );
        assert_body(&html, &["explains step 2", "Last."], &[]);
    }

    #[test]
    fn loose_text_after_an_end_heading_keeps_the_article_going() {
        let html = format!(
            r#"<html><body><div class="article"><span>Intro. {PARA}<br><br><div><a href="/yt">Subscribe to our channel</a></div><br>Loose one. {PARA}<br><br>Loose two. {PARA} {PARA}<br></span></div></body></html>"#
        );
        assert_body(&html, &["Loose one.", "Loose two."], &[]);
    }

    #[test]
    fn a_paragraph_that_is_only_a_link_is_a_see_also_line() {
        let html = format!(
            r#"<html><body><article><p>First. {PARA}</p><p><a href="/other">Our earlier story about the same council vote</a></p><p>Second, with <a href="/x">a link</a> inside. {PARA}</p></article></body></html>"#
        );
        assert_body(&html, &["a link", "Second"], &["earlier story"]);
    }

    #[test]
    fn a_lone_paragraph_is_not_the_article_when_its_parent_holds_more() {
        let comments: String = (0..40)
            .map(|i| format!(r#"<li class="comment"><p>Comment {i}. {PARA}</p></li>"#))
            .collect();
        let html = format!(
            r#"<html><body><div class="postarea"><p>First. {PARA}</p><p>Second. {PARA}</p><p>Third. {PARA}</p><ol class="commentlist">{comments}</ol></div></body></html>"#
        );
        assert_body(&html, &["First.", "Third."], &["Comment 7"]);
    }

    #[test]
    fn a_post_split_over_several_platform_containers_is_read_whole() {
        let html = format!(
            r#"<html><body><article><div class="rich-text"><p>One. {PARA}</p><p>Two. {PARA}</p><p>Three. {PARA}</p><p>Four. {PARA}</p></div>
<div class="rich-text"><p>Five. {PARA}</p></div><div class="rich-text"><p>Six. {PARA}</p></div></article></body></html>"#
        );
        assert_body(&html, &["One.", "Six."], &[]);
        // One container with the whole post is still preferred to the scored root.
        let html = format!(
            r#"<html><body><div class="wrap"><p>Intro teaser. {PARA}</p><div class="rich-text"><p>One. {PARA}</p><p>Two. {PARA}</p><p>Three. {PARA}</p><p>Four. {PARA}</p></div></div></body></html>"#
        );
        assert_body(&html, &["Four."], &["Intro teaser"]);
    }

    #[test]
    fn author_boxes_are_furniture() {
        let html = format!(
            r#"<html><body><article><p>First. {PARA}</p><p>Second. {PARA}</p><p>Third. {PARA}</p>
<div class="post-author-info"><img src="/jane.jpg" alt="Jane"><p>Jane Roe is a reporter who has covered the city council for ten years and more.</p></div>
<section class="bio"><p>John Doe writes about gardens, rivers and the weather for the weekend pages.</p></section></article></body></html>"#
        );
        assert_body(&html, &["Third."], &["Jane Roe", "John Doe"]);
    }

    #[test]
    fn advert_labels_are_boilerplate_but_sentences_about_adverts_are_not() {
        let html = format!(
            r#"<html><body><article><p>First. {PARA}</p><div>Advertisement. Scroll to continue reading.</div><p>ADVERT</p><div>Continue Reading Below</div><p>Advertisers left the show.</p><p>Second. {PARA}</p></article></body></html>"#
        );
        assert_body(
            &html,
            &["Advertisers left the show."],
            &["Scroll to", "ADVERT", "Below"],
        );
    }

    #[test]
    fn datelines_are_metadata_but_dates_in_tables_and_sentences_stay() {
        for line in [
            "November 18, 2019",
            "20 Nov, 2019 05:47",
            "Published Monday, Nov. 18, 2019 8:22AM EST",
            "2019-11-18 | 09:01",
        ] {
            assert!(is_dateline(line), "{line}");
        }
        for line in [
            "Born in 1984 in Leeds",
            "May 2019 was wet",
            "Route 66",
            "2019",
        ] {
            assert!(!is_dateline(line), "{line}");
        }
        let html = format!(
            r#"<html><body><article><div>November 18, 2019</div><p>First. {PARA}</p><table><tr><td>1/1/2013</td><td>+13.1%</td></tr></table><p>Second. {PARA}</p></article></body></html>"#
        );
        assert_body(&html, &["1/1/2013"], &["November 18"]);
    }

    #[test]
    fn labelled_see_also_links_are_not_article_text() {
        let html = format!(
            r#"<html><body><article><p>First. {PARA}</p><p>READ MORE: <a href="/x">Council votes to close the old harbour bridge</a></p><p>Lire aussi : <a href="/y">Le conseil ferme le vieux pont du port</a></p><p>Note: the bridge reopens <a href="/z">next spring</a> after repairs to the deck and rails.</p><p>Second. {PARA}</p></article></body></html>"#
        );
        assert_body(
            &html,
            &["the bridge reopens"],
            &["Council votes", "vieux pont"],
        );
    }

    #[test]
    fn comment_threads_stay_furniture_however_long() {
        let comments: String = (0..6)
            .map(|i| format!(r#"<li class="comment"><p>Comment {i}. {PARA}</p></li>"#))
            .collect();
        let html = format!(
            r#"<html><body><div class="post"><p>Post. {PARA}</p><p>More. {PARA}</p><ol>{comments}</ol></div></body></html>"#
        );
        assert_body(&html, &["Post."], &["Comment 3"]);
    }
}
