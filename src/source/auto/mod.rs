//! Zero-configuration sources (`kind = "auto"`): what a URL is, and how to make a feed of it
//! with no selectors. Pure functions over bytes and values; the app does the fetching.
//!
//! The order, for one source URL:
//! 1. **Feed first.** Bytes that read as a feed ([`crate::source::feed::read_feed`] succeeds)
//!    are a feed. An HTML page that advertises a feed in its `<head>` (see [`feed_links`]) is
//!    read through that feed, unless the source says `prefer_feed = false`.
//! 2. **A list of posts.** Otherwise [`listing::find_posts`] finds the posts the page lists
//!    (JSON-LD, microformats, microdata, platform markup, repeated cards) and the app reads each
//!    new post page with [`article::extract_article`].
//! 3. **Nothing usable.** A page whose content is drawn by JavaScript ([`is_js_shell`]) or that
//!    lists no posts is an error saying so, never an empty feed.
//!
//! [`discover`] describes a URL for `feedwright discover`, using the same functions.

pub mod article;
pub mod discover;
pub mod listing;

use crate::config::SourceConfig;
use crate::normalise::date::DateContext;
use chrono::{DateTime, Utc};
use scraper::{ElementRef, Html, Node, Selector};
use std::sync::LazyLock;
use url::Url;

/// A feed a page advertises with `<link rel="alternate" type="…">`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    /// Absolute URL of the feed.
    pub url: String,
    /// `rss`, `atom` or `json`.
    pub format: &'static str,
    pub title: Option<String>,
    /// A comments feed (by title or URL).
    pub comments: bool,
}

fn selector(css: &str) -> Selector {
    // The selectors are constants of this module: a failure is a programming error.
    Selector::parse(css).unwrap_or_else(|e| panic!("bad built-in selector {css:?}: {e}"))
}

static LINK_ALTERNATE: LazyLock<Selector> = LazyLock::new(|| selector("link[rel][href]"));

/// The feeds a page advertises, main feeds first (in document order), comment feeds last.
/// Only `<link rel="alternate">` with an RSS, Atom or JSON Feed media type counts: `hreflang`
/// alternates (translations), `media` alternates (mobile pages) and app links are not feeds.
pub fn feed_links(doc: &Html, page_url: &Url) -> Vec<FeedLink> {
    let mut main = Vec::new();
    let mut comments = Vec::new();
    for el in doc.select(&LINK_ALTERNATE).take(200) {
        let v = el.value();
        let rel = v.attr("rel").unwrap_or("").to_ascii_lowercase();
        if !rel.split_whitespace().any(|r| r == "alternate") {
            continue;
        }
        let media_type = v
            .attr("type")
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase()
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_string();
        let format = match media_type.as_str() {
            "application/rss+xml" | "application/rdf+xml" => "rss",
            "application/atom+xml" => "atom",
            "application/feed+json" | "application/json+feed" => "json",
            _ => continue,
        };
        let Some(href) = v.attr("href") else { continue };
        let Some(url) = page_url.join(href.trim()).ok().filter(|u| {
            matches!(u.scheme(), "http" | "https" | "file") && u.as_str() != page_url.as_str()
        }) else {
            continue;
        };
        let title = v
            .attr("title")
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty());
        let is_comments = is_comment_feed(title.as_deref(), url.as_str());
        let link = FeedLink {
            url: url.to_string(),
            format,
            title,
            comments: is_comments,
        };
        let list = if is_comments {
            &mut comments
        } else {
            &mut main
        };
        if !list.iter().any(|l: &FeedLink| l.url == link.url) {
            list.push(link);
        }
    }
    main.extend(comments);
    main
}

/// A comments feed, by its title ("Comments on …", "… » Comments Feed") or URL
/// (`/comments/feed/`).
fn is_comment_feed(title: Option<&str>, url: &str) -> bool {
    const WORDS: [&str; 5] = [
        "comment",
        "kommentar",
        "commentaire",
        "comentario",
        "reacties",
    ];
    let t = title.unwrap_or("").to_lowercase();
    let u = url.to_lowercase();
    WORDS.iter().any(|w| t.contains(w)) || u.contains("/comments/") || u.contains("comments.")
}

/// The feed a source should use from `links`: the first main feed, else the first of any.
pub fn preferred_feed(links: &[FeedLink]) -> Option<&FeedLink> {
    links.iter().find(|l| !l.comments).or_else(|| links.first())
}

/// Whether the bytes look like an HTML page rather than a feed (cheap sniff of the first KiB).
pub fn looks_like_html(bytes: &[u8], content_type: Option<&str>) -> bool {
    if content_type.is_some_and(|t| t.contains("html") && !t.contains("xhtml+xml")) {
        return true;
    }
    let head: String = String::from_utf8_lossy(bytes.get(..2048).unwrap_or(bytes)).to_lowercase();
    head.contains("<!doctype html") || head.contains("<html") || head.contains("<head")
}

static BODY: LazyLock<Selector> = LazyLock::new(|| selector("body"));
static SCRIPT: LazyLock<Selector> = LazyLock::new(|| selector("script"));
static APP_ROOT: LazyLock<Selector> = LazyLock::new(|| {
    selector(
        "#root, #app, #__next, #__nuxt, #___gatsby, app-root, [data-reactroot], [ng-app], [ng-version]",
    )
});

/// Whether a page is an application shell: almost no visible text in `<body>`, but scripts (or
/// an empty app root such as `<div id="root">`) that would draw the content in a browser.
pub fn is_js_shell(doc: &Html) -> bool {
    let text_len = doc
        .select(&BODY)
        .next()
        .map(|b| visible_text(b).chars().count())
        .unwrap_or(0);
    let scripts = doc.select(&SCRIPT).count();
    let app_root = doc
        .select(&APP_ROOT)
        .any(|el| visible_text(el).chars().count() < 50);
    text_len < 200 && (scripts > 0 || app_root)
}

/// Text of an element as a reader sees it: scripts, styles, templates and SVG skipped, blocks
/// separated by a space, whitespace collapsed.
pub fn visible_text(el: ElementRef<'_>) -> String {
    let mut out = String::new();
    collect_text(el, &mut out, 0);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect_text(el: ElementRef<'_>, out: &mut String, depth: usize) {
    if depth > 64 || out.len() > 200_000 {
        return;
    }
    for child in el.children() {
        match child.value() {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if matches!(
                    name,
                    "script" | "style" | "noscript" | "template" | "svg" | "iframe"
                ) {
                    continue;
                }
                if let Some(c) = ElementRef::wrap(child) {
                    let block = !matches!(
                        name,
                        "a" | "span"
                            | "em"
                            | "i"
                            | "b"
                            | "strong"
                            | "small"
                            | "abbr"
                            | "mark"
                            | "sub"
                            | "sup"
                            | "code"
                            | "time"
                            | "u"
                            | "s"
                    );
                    if block {
                        out.push(' ');
                    }
                    collect_text(c, out, depth + 1);
                    if block {
                        out.push(' ');
                    }
                }
            }
            _ => {}
        }
    }
}

static OG_SITE: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"meta[property="og:site_name"][content]"#));
static TITLE: LazyLock<Selector> = LazyLock::new(|| selector("title"));

/// The site's name for a list page: `og:site_name`, else `<title>`.
pub fn page_title(doc: &Html) -> Option<String> {
    doc.select(&OG_SITE)
        .next()
        .and_then(|m| m.value().attr("content"))
        .map(crate::normalise::clean_text)
        .filter(|t| !t.is_empty())
        .or_else(|| {
            doc.select(&TITLE)
                .next()
                .map(visible_text)
                .map(|t| crate::normalise::clean_text(&t))
                .filter(|t| !t.is_empty())
        })
}

/// The date context of a source: its `timezone` (an IANA name; unknown names are reported and
/// UTC is used), `language`, `day_first` and `date_format`, with the run's clock.
pub fn date_context(source: &SourceConfig, now: DateTime<Utc>) -> (DateContext<'_>, Vec<String>) {
    let mut problems = Vec::new();
    let timezone = source.timezone.as_deref().and_then(|name| {
        let tz = name.parse::<chrono_tz::Tz>().ok();
        if tz.is_none() {
            problems.push(format!(
                "timezone `{name}` is not a known IANA zone; dates without an offset are read as UTC"
            ));
        }
        tz
    });
    (
        DateContext {
            now,
            timezone,
            language: source.language.as_deref(),
            day_first: source.day_first,
            format: source.date_format.as_deref(),
        },
        problems,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn feed_links_skip_translations_and_put_comment_feeds_last() {
        let html = r#"<html><head>
            <link rel="alternate" href="https://x.test/es/" hreflang="es">
            <link rel="alternate" type="application/rss+xml" title="Site » Comments Feed" href="/comments/feed/">
            <link rel="alternate" type="application/rss+xml" title="Site » Feed" href="/feed/">
            <link rel="alternate" type="application/atom+xml" href="https://x.test/atom.xml">
            <link rel="alternate" type="application/feed+json" href="feed.json">
            <link rel="alternate" media="handheld" href="https://m.x.test/">
            </head><body></body></html>"#;
        let doc = Html::parse_document(html);
        let links = feed_links(&doc, &url("https://x.test/blog/"));
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://x.test/feed/",
                "https://x.test/atom.xml",
                "https://x.test/blog/feed.json",
                "https://x.test/comments/feed/"
            ]
        );
        assert_eq!(
            preferred_feed(&links).map(|l| l.url.as_str()),
            Some("https://x.test/feed/")
        );
        assert!(links[3].comments);
    }

    #[test]
    fn app_shells_are_recognised() {
        let shell = Html::parse_document(
            r#"<html><body><div id="root"></div><script src="/app.js"></script></body></html>"#,
        );
        assert!(is_js_shell(&shell));
        let page = Html::parse_document(&format!(
            "<html><body><p>{}</p><script></script></body></html>",
            "Plenty of words here. ".repeat(20)
        ));
        assert!(!is_js_shell(&page));
    }
}
