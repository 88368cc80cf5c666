//! What a URL is, for `feedwright discover`: a feed, a page advertising feeds, a list of posts,
//! or a single post — with what was found and a ready `[[source]]` block. Pure: the app fetches
//! the URL (and the advertised feed, to count its items) and hands the bytes here.

use super::article::{Article, extract_article};
use super::listing::{Listing, find_posts_in, resolve_dates};
use super::{FeedLink, feed_links, is_js_shell, looks_like_html, page_title, preferred_feed};
use crate::model::SourceFeed;
use crate::normalise::date::DateContext;
use crate::source::feed::{ReadContext, read_feed};
use scraper::Html;
use url::Url;

/// What a page turned out to be.
#[derive(Debug, Clone, PartialEq)]
pub enum PageKind {
    /// The URL is a feed.
    Feed(Box<SourceFeed>),
    /// An HTML page that advertises feeds (and maybe lists posts too).
    PageWithFeeds,
    /// An HTML page listing posts, with no feed.
    PostList,
    /// One post (an article page), with no feed.
    SinglePost(Box<Article>),
    /// Nothing usable: an app shell drawn by JavaScript, or a page with no posts.
    Nothing { js_shell: bool },
}

/// Everything `discover` found about one URL.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    pub url: String,
    pub kind: PageKind,
    pub title: Option<String>,
    pub feeds: Vec<FeedLink>,
    pub listing: Listing,
    /// Why the bytes are not a feed, when they looked like one.
    pub feed_error: Option<String>,
}

impl Discovery {
    /// Whether a source can be made of the URL.
    pub fn usable(&self) -> bool {
        matches!(
            self.kind,
            PageKind::Feed(_) | PageKind::PageWithFeeds | PageKind::PostList
        )
    }
}

/// Look at fetched bytes (`url` is where they came from after redirects).
pub fn discover_page(
    bytes: &[u8],
    content_type: Option<&str>,
    charset: Option<&str>,
    url: &Url,
    dates: &DateContext<'_>,
) -> Discovery {
    let mut feed_error = None;
    if !looks_like_html(bytes, content_type) {
        let read = read_feed(
            bytes,
            &ReadContext {
                source_id: "discover",
                feed_url: Some(url),
                http_charset: charset,
            },
        );
        match read {
            Ok(feed) => {
                return Discovery {
                    url: url.to_string(),
                    title: feed.title.clone(),
                    kind: PageKind::Feed(Box::new(feed)),
                    feeds: Vec::new(),
                    listing: Listing::default(),
                    feed_error: None,
                };
            }
            Err(e) => feed_error = Some(e.to_string()),
        }
    }
    let text = crate::source::repair::decode(bytes, charset).text;
    let doc = Html::parse_document(&text);
    let feeds = feed_links(&doc, url);
    let mut listing = find_posts_in(&doc, url);
    resolve_dates(&mut listing.posts, dates);
    let title = page_title(&doc);
    let kind = if !feeds.is_empty() {
        PageKind::PageWithFeeds
    } else if listing.posts.len() >= 2 {
        PageKind::PostList
    } else if is_js_shell(&doc) {
        PageKind::Nothing { js_shell: true }
    } else {
        let article = extract_article(&text, url, dates);
        if article.title.is_some() && (article.published.is_some() || is_article_page(&doc)) {
            PageKind::SinglePost(Box::new(article))
        } else if listing.posts.len() == 1 {
            PageKind::PostList
        } else {
            PageKind::Nothing { js_shell: false }
        }
    };
    Discovery {
        url: url.to_string(),
        kind,
        title,
        feeds,
        listing,
        feed_error,
    }
}

/// `og:type = article`, or a JSON-LD posting as the page's subject.
fn is_article_page(doc: &Html) -> bool {
    let og = scraper::Selector::parse(r#"meta[property="og:type"][content]"#)
        .ok()
        .and_then(|s| {
            doc.select(&s)
                .next()
                .and_then(|m| m.value().attr("content").map(str::to_ascii_lowercase))
        });
    og.as_deref() == Some("article")
        || super::listing::structured::json_ld_values(doc)
            .iter()
            .any(|v| {
                v.get("@type")
                    .and_then(|t| t.as_str())
                    .is_some_and(super::listing::structured::is_post_type)
            })
}

/// A source id from a URL: host without `www.`, then the first path segment, as `[a-z0-9-]`.
pub fn suggest_id(url: &str) -> String {
    let Ok(u) = Url::parse(url) else {
        return "site".into();
    };
    let host = match u.host() {
        Some(url::Host::Domain(d)) => d.trim_start_matches("www."),
        _ => "site.local",
    };
    let host = host.rsplit_once('.').map(|(h, _)| h).unwrap_or(host);
    let first = u
        .path_segments()
        .and_then(|mut s| s.find(|x| !x.is_empty()))
        .unwrap_or("");
    let raw = if first.is_empty() || first.contains('.') {
        host.to_string()
    } else {
        format!("{host}-{first}")
    };
    let mut id = String::new();
    for c in raw.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    let id: String = id.trim_matches('-').chars().take(40).collect();
    if id.is_empty() { "site".into() } else { id }
}

fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// The `[[source]]` block for a discovery (None when nothing is usable). `feed_items` is how
/// many items the advertised feed had, when the app fetched it.
pub fn source_block(d: &Discovery, timezone_hint: Option<&str>) -> Option<String> {
    let id = suggest_id(&d.url);
    let mut b = String::from("[[source]]\n");
    b.push_str(&format!("id = {}\n", toml_string(&id)));
    match &d.kind {
        PageKind::Feed(_) => {
            b.push_str(&format!("url = {}\n", toml_string(&d.url)));
            b.push_str("kind = \"feed\"\n");
        }
        PageKind::PageWithFeeds => {
            let feed = preferred_feed(&d.feeds)?;
            b.push_str(&format!("url = {}\n", toml_string(&feed.url)));
            b.push_str("kind = \"feed\"\n");
            b.push_str(&format!(
                "# advertised by {}; or: url = {} (kind = \"auto\" reads the advertised feed)\n",
                d.url,
                toml_string(&d.url)
            ));
        }
        PageKind::PostList => {
            b.push_str(&format!("url = {}\n", toml_string(&d.url)));
            b.push_str("kind = \"auto\"                      # each new post page is read for its full text\n");
            match timezone_hint {
                Some(tz) => b.push_str(&format!("timezone = {}\n", toml_string(tz))),
                None => b.push_str(
                    "# timezone = \"Europe/Paris\"          # the site's zone, for dates shown without one\n",
                ),
            }
        }
        PageKind::SinglePost(_) | PageKind::Nothing { .. } => return None,
    }
    if let Some(t) = &d.title {
        b.push_str(&format!("title = {}\n", toml_string(t)));
    }
    Some(b)
}

/// The text `discover` prints: what the page is, what was found, and the source block.
pub fn render(d: &Discovery, feed_items: Option<(usize, Option<String>)>) -> String {
    let mut out = String::new();
    let date = |p: &super::listing::PostCandidate| match (p.date, p.date_text.as_deref()) {
        (Some(s), Some(t)) => format!("{} ({t})", s.utc.format("%Y-%m-%d")),
        (Some(s), None) => s.utc.format("%Y-%m-%d").to_string(),
        (None, Some(t)) => t.to_string(),
        (None, None) => "undated".into(),
    };
    match &d.kind {
        PageKind::Feed(feed) => {
            out.push_str(&format!("{}: a feed", d.url));
            if let Some(t) = &feed.title {
                out.push_str(&format!(" ({t})"));
            }
            out.push_str(&format!(", {} item(s)\n", feed.items.len()));
            for item in feed.items.iter().take(10) {
                out.push_str(&format!(
                    "  - {}\n",
                    item.title.as_deref().unwrap_or("(untitled)")
                ));
            }
        }
        PageKind::PageWithFeeds => {
            out.push_str(&format!(
                "{}: a page with feed links ({} feed(s))\n",
                d.url,
                d.feeds.len()
            ));
            for f in &d.feeds {
                out.push_str(&format!(
                    "  feed [{}]{} {}{}\n",
                    f.format,
                    if f.comments { " comments" } else { "" },
                    f.url,
                    f.title
                        .as_deref()
                        .map(|t| format!(" ({t})"))
                        .unwrap_or_default()
                ));
            }
            if let Some((n, err)) = &feed_items {
                match err {
                    None => out.push_str(&format!("  the main feed has {n} item(s)\n")),
                    Some(e) => out.push_str(&format!("  the main feed could not be read: {e}\n")),
                }
            }
            if d.listing.posts.len() >= 2 {
                out.push_str(&format!(
                    "  the page also lists {} post(s)\n",
                    d.listing.posts.len()
                ));
            }
        }
        PageKind::PostList => {
            out.push_str(&format!(
                "{}: a list of {} post(s), no feed (found by {})\n",
                d.url,
                d.listing.posts.len(),
                d.listing.method.as_deref().unwrap_or("cards")
            ));
            for p in d.listing.posts.iter().take(30) {
                out.push_str(&format!(
                    "  - {} | {} | {}\n",
                    date(p),
                    p.title.as_deref().unwrap_or("(untitled)"),
                    p.url
                ));
            }
        }
        PageKind::SinglePost(a) => {
            out.push_str(&format!(
                "{}: a single post ({}), no feed and no list of posts\n",
                d.url,
                a.title.as_deref().unwrap_or("untitled")
            ));
            out.push_str("  point discover at the page that lists the site's posts\n");
        }
        PageKind::Nothing { js_shell: true } => out.push_str(&format!(
            "{}: a page drawn by JavaScript in the browser: its HTML holds no posts and no feed link\n",
            d.url
        )),
        PageKind::Nothing { js_shell: false } => {
            out.push_str(&format!("{}: no feed, no feed link and no list of posts found\n", d.url));
            if let Some(e) = &d.feed_error {
                out.push_str(&format!("  not a feed: {e}\n"));
            }
        }
    }
    match source_block(d, None) {
        Some(block) => {
            out.push('\n');
            out.push_str(&block);
        }
        None => out.push_str("nothing usable as a source\n"),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_from_urls() {
        assert_eq!(suggest_id("https://www.wgon.example/blog"), "wgon-blog");
        assert_eq!(suggest_id("http://127.0.0.1:8080/blog"), "site-blog");
        assert_eq!(
            suggest_id("https://daringfireball.net/feeds/main"),
            "daringfireball-feeds"
        );
        assert_eq!(suggest_id("not a url"), "site");
    }
}
