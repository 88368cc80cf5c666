//! `kind = "auto"` sources, `fulltext = true` and `feedwright discover` in the app: the IO
//! around the pure readers of [`crate::source::auto`].
//!
//! An auto source's URL is fetched (conditionally, robots.txt respected). Bytes that read as a
//! feed are that feed. An HTML page advertising a feed is read through the feed (unless
//! `prefer_feed = false`; the page's validators are then not kept, so the feed is read on every
//! run). Otherwise the posts the page lists become items: the id and link are the canonical
//! list-page link; each *new* post (no cached read, or the list now shows another title) has its
//! page fetched — robots.txt respected, at most [`MAX_POST_PAGES_PER_RUN`] per source and run,
//! the rest held back for later runs (and the list page's validators not stored meanwhile) —
//! and read with [`extract_article`]. Its fields fill the item: title, authors, content, image;
//! its date replaces the list's only when more precise; its `rel=canonical` becomes the link
//! (never the id) when on the list page's own host. What a post page gave is cached in the
//! state (`post_cache`), so a post is fetched once; a post page that fails with a 4xx, is
//! disallowed, or is drawn by JavaScript is cached as such and its item keeps the list's
//! fields. `fulltext = true` on a feed gives items that have no content the extracted body of
//! their page, under the same cap and cache.

use super::{Outcome, SourceError, read_document};
use crate::config::{Location, SourceConfig};
use crate::fetch::{FetchOutcome, Fetched, Fetcher, Reuse};
use crate::model::{Item, Person, SourceFeed, Stamp};
use crate::normalise::{NormaliseContext, canonical_link, normalise_feed};
use crate::source::auto::article::{Article, extract_article};
use crate::source::auto::listing::{PostCandidate, find_posts_in, resolve_dates};
use crate::source::auto::{
    self, FeedLink, date_context, feed_links, is_js_shell, looks_like_html, page_title,
    preferred_feed,
};
use crate::source::feed::FeedError;
use crate::state::{CachedPost, Validators};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tracing::debug;

/// At most this many post pages are fetched per source and run; the rest wait for later runs.
pub const MAX_POST_PAGES_PER_RUN: usize = 30;

/// Post-page reads to store after a successful read: new cache rows and the ids still listed.
#[derive(Debug, Default)]
pub struct PostUpdates {
    pub fresh: Vec<CachedPost>,
    pub seen: Vec<String>,
}

/// What the app keeps of one post page (serialised into the state's post cache).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct PostFields {
    title: Option<String>,
    authors: Vec<String>,
    published: Option<Stamp>,
    updated: Option<Stamp>,
    content_html: Option<String>,
    summary: Option<String>,
    image: Option<String>,
    language: Option<String>,
    canonical: Option<String>,
    categories: Vec<String>,
    js_rendered: bool,
    /// Why the page could not be read (a 4xx, robots.txt): the item keeps the list's fields.
    error: Option<String>,
}

impl From<Article> for PostFields {
    fn from(a: Article) -> PostFields {
        PostFields {
            title: a.title,
            authors: a.authors.into_iter().filter_map(|p| p.name).collect(),
            published: a.published,
            updated: a.updated,
            content_html: a.content_html,
            summary: a.summary,
            image: a.image,
            language: a.language,
            canonical: a.canonical,
            categories: a.categories,
            js_rendered: a.js_rendered,
            error: None,
        }
    }
}

/// Whether a source reads post pages and so needs its post cache.
pub fn uses_post_cache(source: &SourceConfig) -> bool {
    source.kind == crate::config::SourceKind::Auto || source.fulltext == Some(true)
}

/// Post pages still allowed this run.
struct Budget {
    left: usize,
    held_back: usize,
}

impl Budget {
    /// A source's allowance for one run: [`MAX_POST_PAGES_PER_RUN`] pages, none held back.
    fn new() -> Budget {
        Budget {
            left: MAX_POST_PAGES_PER_RUN,
            held_back: 0,
        }
    }

    /// Spend one page fetch if any is left; else count one more page held back.
    fn take(&mut self) -> bool {
        if self.left == 0 {
            self.held_back += 1;
            return false;
        }
        self.left -= 1;
        true
    }
}

/// Read an auto source: a feed, a page's advertised feed, or the posts a page lists.
/// `last_on_host`: no other source of this host follows in this run.
pub(super) async fn read_auto(
    fetcher: &Fetcher,
    source: &SourceConfig,
    stored: &Validators,
    cache: &HashMap<String, CachedPost>,
    last_on_host: bool,
    now: DateTime<Utc>,
) -> Result<Outcome, SourceError> {
    // robots.txt governs the pages we scrape, not feeds: a URL that names a feed skips it.
    let check_robots = match &source.location {
        Location::Url(u) => !looks_like_feed_url(u),
        Location::Path(_) => false,
    };
    // Whatever the document turns out to be, more requests may follow (an advertised feed,
    // post pages) unless it is not modified.
    let reuse = Reuse::for_request(last_on_host, stored.is_conditional(), true);
    let (document, validators) = match fetcher
        .fetch(source, stored, check_robots, reuse, now)
        .await?
    {
        FetchOutcome::NotModified => return Ok(Outcome::NotModified),
        FetchOutcome::Fetched {
            document,
            validators,
        } => (document, validators),
    };
    if !looks_like_html(&document.bytes, document.content_type.as_deref()) {
        match read_document(&source.id, source.title.as_deref(), &document, now) {
            Ok(feed) => {
                return Ok(feed_outcome(fetcher, source, feed, validators, cache, now).await);
            }
            Err(FeedError::NotAFeed(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    read_page(fetcher, source, document, validators, cache, now).await
}

/// A URL whose path names a feed (`.xml`, `.rss`, `.atom`, `.rdf`, `feed.json`, or a `feed`,
/// `rss`, `atom` segment).
fn looks_like_feed_url(url: &url::Url) -> bool {
    let path = url.path().to_ascii_lowercase();
    let last = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or("");
    [".xml", ".rss", ".atom", ".rdf", "feed.json"]
        .iter()
        .any(|e| last.ends_with(e))
        || path
            .split('/')
            .any(|s| matches!(s, "feed" | "feeds" | "rss" | "atom"))
}

/// What one HTML page holds, read without holding the parsed document across an await.
struct PageFacts {
    feeds: Vec<FeedLink>,
    posts: Vec<PostCandidate>,
    title: Option<String>,
    js_shell: bool,
    diagnostics: Vec<String>,
}

fn page_facts(text: &str, url: &url::Url) -> PageFacts {
    let doc = scraper::Html::parse_document(text);
    let listing = find_posts_in(&doc, url);
    PageFacts {
        feeds: feed_links(&doc, url),
        title: page_title(&doc),
        js_shell: listing.posts.is_empty() && is_js_shell(&doc),
        posts: listing.posts,
        diagnostics: listing.diagnostics,
    }
}

async fn read_page(
    fetcher: &Fetcher,
    source: &SourceConfig,
    page: Fetched,
    validators: Validators,
    cache: &HashMap<String, CachedPost>,
    now: DateTime<Utc>,
) -> Result<Outcome, SourceError> {
    let text = crate::source::repair::decode(&page.bytes, page.charset.as_deref()).text;
    let facts = page_facts(&text, &page.url);
    let mut warnings: Vec<String> = Vec::new();
    let mut budget = Budget::new();
    let mut updates = PostUpdates::default();

    // Feed first. The page's validators are not kept: the feed is read on every run.
    if source.prefer_feed != Some(false)
        && let Some(link) = preferred_feed(&facts.feeds)
    {
        match read_advertised_feed(fetcher, source, link, now).await {
            Ok(feed) => {
                debug!(source = %source.id, "{} advertises {}: reading the feed", page.url, link.url);
                let validators = Validators::default();
                return Ok(feed_outcome(fetcher, source, feed, validators, cache, now).await);
            }
            Err(e) => warnings.push(format!(
                "the advertised feed {} could not be read ({e}); reading the page's posts instead",
                link.url
            )),
        }
    }

    if facts.posts.is_empty() {
        let why = if facts.js_shell {
            format!(
                "{} is drawn by JavaScript in the browser: its HTML holds no posts and no feed link. \
                 Point the source at the site's feed, or at a page whose HTML lists the posts",
                page.url
            )
        } else {
            format!(
                "not a feed: an HTML page with no posts found on {} ({}); try `feedwright discover {}`, or kind = \"html\" with selectors",
                page.url,
                facts.diagnostics.join("; "),
                page.url
            )
        };
        return Err(SourceError::Unsupported(why));
    }

    let (dates, problems) = date_context(source, now);
    warnings.extend(problems);
    let mut posts = facts.posts;
    resolve_dates(&mut posts, &dates);

    let mut items = Vec::with_capacity(posts.len());
    let mut canonicals: HashMap<String, String> = HashMap::new();
    for post in &posts {
        let list_key = list_key(post);
        let cached = cache
            .get(&post.url)
            .filter(|c| c.list_key == list_key)
            .and_then(|c| serde_json::from_str::<PostFields>(&c.data).ok());
        let fields = match cached {
            Some(f) => {
                updates.seen.push(post.url.clone());
                Some(f)
            }
            // Not cached: a fetch spends one page of the budget, or the post waits.
            None if !budget.take() => continue,
            None => {
                let fields = read_post_page(fetcher, source, &post.url, &dates, now).await;
                if let Some(f) = &fields {
                    if let Some(e) = &f.error {
                        warnings.push(format!(
                            "post page {}: {e}; the list's fields are used",
                            post.url
                        ));
                    } else if f.js_rendered {
                        warnings.push(format!(
                            "post page {} is drawn by JavaScript: no article text in its HTML; the list's fields are used",
                            post.url
                        ));
                    }
                    updates.fresh.push(CachedPost {
                        id: post.url.clone(),
                        list_key,
                        data: serde_json::to_string(f).unwrap_or_default(),
                    });
                } else {
                    warnings.push(format!(
                        "post page {} could not be fetched now; tried again next run",
                        post.url
                    ));
                }
                fields
            }
        };
        if let Some(c) = fields.as_ref().and_then(|f| f.canonical.as_deref()) {
            canonicals.insert(post.url.clone(), c.to_string());
        }
        items.push(post_item(post, fields.unwrap_or_default()));
    }
    let complete = budget.held_back == 0;
    if !complete {
        warnings.push(format!(
            "{} post page(s) left for later runs (at most {MAX_POST_PAGES_PER_RUN} per run)",
            budget.held_back
        ));
    }
    let raw = SourceFeed {
        title: facts.title,
        link: Some(page.url.to_string()).filter(|_| page.url.scheme() != "file"),
        items,
        warnings,
        ..SourceFeed::default()
    };
    let mut feed = normalise_feed(
        raw,
        &NormaliseContext {
            source_id: &source.id,
            title_override: source.title.as_deref(),
            feed_url: Some(&page.url),
            now,
        },
    );
    // rel=canonical may set the link (on the list page's host), never the id.
    for item in &mut feed.items {
        let Some(canonical) = canonicals
            .get(&item.id)
            .and_then(|c| canonical_link(c, Some(&page.url)))
        else {
            continue;
        };
        let same_host = url::Url::parse(&canonical)
            .ok()
            .is_some_and(|c| c.host_str() == page.url.host_str() && c.port() == page.url.port());
        if same_host {
            item.link = Some(canonical);
        }
    }
    Ok(Outcome::Read {
        feed: Box::new(feed),
        // With posts held back, the page must be read in full next time, not answered by 304.
        validators: if complete {
            validators
        } else {
            Validators::default()
        },
        posts: updates,
        warning: None,
    })
}

/// What the list page says of a post that, when it changes, means the post changed: its title.
fn list_key(post: &PostCandidate) -> String {
    post.title.as_deref().unwrap_or("").trim().to_string()
}

async fn read_advertised_feed(
    fetcher: &Fetcher,
    source: &SourceConfig,
    link: &FeedLink,
    now: DateTime<Utc>,
) -> Result<SourceFeed, SourceError> {
    let url = url::Url::parse(&link.url).map_err(|e| SourceError::Unsupported(e.to_string()))?;
    let fetched = fetcher.fetch_url(source, &url, false, now).await?;
    Ok(read_document(
        &source.id,
        source.title.as_deref(),
        &fetched,
        now,
    )?)
}

/// Fetch and read one post page. `None` for a transient failure (tried again next run); a
/// permanent one (4xx, robots.txt, a bad URL) is recorded in the fields so it is not retried.
async fn read_post_page(
    fetcher: &Fetcher,
    source: &SourceConfig,
    url: &str,
    dates: &crate::normalise::date::DateContext<'_>,
    now: DateTime<Utc>,
) -> Option<PostFields> {
    let Ok(parsed) = url::Url::parse(url) else {
        return Some(PostFields {
            error: Some("not a URL".into()),
            ..PostFields::default()
        });
    };
    match fetcher.fetch_url(source, &parsed, true, now).await {
        Ok(page) => {
            let text = crate::source::repair::decode(&page.bytes, page.charset.as_deref()).text;
            Some(extract_article(&text, &page.url, dates).into())
        }
        Err(e) if e.is_transient() || e.retry_at().is_some() => None,
        Err(e) => Some(PostFields {
            error: Some(e.to_string()),
            ..PostFields::default()
        }),
    }
}

/// A raw item from a list-page candidate and what its page gave.
fn post_item(post: &PostCandidate, page: PostFields) -> Item {
    let published = match (post.date, page.published) {
        (Some(list), Some(p)) if p.precision > list.precision => Some(p),
        (Some(list), _) => Some(list),
        (None, p) => p,
    };
    let mut authors: Vec<Person> = page
        .authors
        .into_iter()
        .filter(|a| !a.trim().is_empty())
        .map(|name| Person {
            name: Some(name),
            ..Person::default()
        })
        .collect();
    if authors.is_empty()
        && let Some(a) = &post.author
    {
        authors.push(Person {
            name: Some(a.clone()),
            ..Person::default()
        });
    }
    Item {
        guid: None,
        link: Some(post.url.clone()),
        title: page.title.or_else(|| post.title.clone()),
        published,
        updated: page.updated,
        authors,
        summary: post.summary.clone().or(page.summary),
        content: page.content_html,
        categories: page.categories,
        image: page.image.or_else(|| post.image.clone()),
        language: page.language,
        ..Item::default()
    }
}

/// `fulltext = true`: give items without content the extracted body of their page (cached;
/// at most the run's post-page budget fetched).
async fn fill_fulltext(
    fetcher: &Fetcher,
    source: &SourceConfig,
    feed: &mut SourceFeed,
    cache: &HashMap<String, CachedPost>,
    budget: &mut Budget,
    updates: &mut PostUpdates,
    now: DateTime<Utc>,
) {
    let (dates, _) = date_context(source, now);
    for item in feed.items.iter_mut().filter(|i| is_summary_only(i)) {
        let Some(link) = item.link.clone() else {
            continue;
        };
        let cached = cache
            .get(&item.id)
            .and_then(|c| serde_json::from_str::<PostFields>(&c.data).ok());
        let fields = match cached {
            Some(f) => {
                updates.seen.push(item.id.clone());
                f
            }
            // Not cached: a fetch spends one page of the budget, or the post waits.
            None if !budget.take() => continue,
            None => {
                let Some(f) = read_post_page(fetcher, source, &link, &dates, now).await else {
                    feed.warnings.push(format!(
                        "article {link} could not be fetched now; tried again next run"
                    ));
                    continue;
                };
                if let Some(e) = &f.error {
                    feed.warnings.push(format!("article {link}: {e}"));
                }
                updates.fresh.push(CachedPost {
                    id: item.id.clone(),
                    list_key: String::new(),
                    data: serde_json::to_string(&f).unwrap_or_default(),
                });
                f
            }
        };
        let base = url::Url::parse(&link).ok();
        let body = fields
            .content_html
            .as_deref()
            .map(|c| crate::normalise::sanitise_html(c, base.as_ref()))
            .filter(|c| !c.trim().is_empty());
        if let Some(body) = body {
            let longer = text_len(Some(&body)) > text_len(item.content.as_deref());
            if longer {
                // The feed's short text stays as the summary.
                let short = item.content.replace(body);
                if item.summary.is_none() {
                    item.summary = short;
                }
            }
        }
        if item.image.is_none() {
            item.image = fields.image.filter(|i| i.starts_with("http"));
        }
    }
    if budget.held_back > 0 {
        feed.warnings.push(format!(
            "{} article(s) left for later runs (at most {MAX_POST_PAGES_PER_RUN} per run)",
            budget.held_back
        ));
    }
}

/// Items with no full text: no content, or content of at most [`SUMMARY_ONLY_CHARS`]
/// characters of text (an RSS `description` holding only a teaser).
fn is_summary_only(item: &Item) -> bool {
    text_len(item.content.as_deref()) <= SUMMARY_ONLY_CHARS
}

/// Content this short (in characters of text) is a summary, not the article: `fulltext`
/// fetches the page.
pub const SUMMARY_ONLY_CHARS: usize = 1_500;

fn text_len(html: Option<&str>) -> usize {
    html.map(|h| crate::normalise::html_to_text(h).chars().count())
        .unwrap_or(0)
}

/// `fulltext` on a plain feed source, after it was read.
pub(super) async fn fulltext_for_feed(
    fetcher: &Fetcher,
    source: &SourceConfig,
    feed: &mut SourceFeed,
    cache: &HashMap<String, CachedPost>,
    now: DateTime<Utc>,
) -> PostUpdates {
    let mut updates = PostUpdates::default();
    let mut budget = Budget::new();
    fill_fulltext(fetcher, source, feed, cache, &mut budget, &mut updates, now).await;
    updates
}

/// An auto source read as a whole feed (its own bytes, or the feed its page advertises): with
/// `fulltext = true` the items without full text get their page's body first.
async fn feed_outcome(
    fetcher: &Fetcher,
    source: &SourceConfig,
    mut feed: SourceFeed,
    validators: Validators,
    cache: &HashMap<String, CachedPost>,
    now: DateTime<Utc>,
) -> Outcome {
    let posts = if source.fulltext == Some(true) {
        fulltext_for_feed(fetcher, source, &mut feed, cache, now).await
    } else {
        PostUpdates::default()
    };
    Outcome::Read {
        feed: Box::new(feed),
        validators,
        posts,
        warning: None,
    }
}

// ---------------------------------------------------------------------------------------------
// discover

/// `feedwright discover URL`: fetch the URL (and the feed it advertises), say what it is, and
/// print a `[[source]]` block. Exit status 0 when something usable was found, else 1.
pub fn discover(
    settings: &crate::config::Settings,
    target: &str,
    now: DateTime<Utc>,
) -> anyhow::Result<u8> {
    let source = match discover_source(target) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("feedwright: discover: {e}");
            return Ok(2);
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let fetcher = Fetcher::new(settings)?;
    let result = runtime.block_on(async {
        let fetched = match fetcher
            .fetch(&source, &Validators::default(), false, Reuse::Keep, now)
            .await?
        {
            FetchOutcome::Fetched { document, .. } => document,
            FetchOutcome::NotModified => {
                return Err(anyhow::anyhow!(
                    "unexpected 304 to an unconditional request"
                ));
            }
        };
        let (dates, _) = date_context(&source, now);
        let found = auto::discover::discover_page(
            &fetched.bytes,
            fetched.content_type.as_deref(),
            fetched.charset.as_deref(),
            &fetched.url,
            &dates,
        );
        let mut feed_items = None;
        if found.kind == auto::discover::PageKind::PageWithFeeds
            && let Some(link) = preferred_feed(&found.feeds)
            && (link.url.starts_with("http://") || link.url.starts_with("https://"))
        {
            feed_items = Some(
                match read_advertised_feed(&fetcher, &source, link, now).await {
                    Ok(feed) => (feed.items.len(), None),
                    Err(e) => (0, Some(e.to_string())),
                },
            );
        }
        Ok::<_, anyhow::Error>((found, feed_items))
    });
    let (found, feed_items) = match result {
        Ok(r) => r,
        Err(e) => {
            eprintln!("feedwright: discover {target}: {e:#}");
            return Ok(1);
        }
    };
    print!("{}", auto::discover::render(&found, feed_items));
    Ok(if found.usable() { 0 } else { 1 })
}

/// A throwaway source for `discover`: the URL (or a local file) with default settings.
fn discover_source(target: &str) -> anyhow::Result<SourceConfig> {
    let location = match url::Url::parse(target) {
        Ok(u) if matches!(u.scheme(), "http" | "https") => {
            format!("url = {}", toml::Value::String(u.to_string()))
        }
        Ok(u) => anyhow::bail!("`{u}`: only http(s) URLs and local files can be discovered"),
        Err(_) => {
            let path = std::path::absolute(target)?;
            if !path.is_file() {
                anyhow::bail!("`{target}` is neither an http(s) URL nor a readable file");
            }
            format!("path = {}", toml::Value::String(path.display().to_string()))
        }
    };
    let text = format!("[[source]]\nid = \"discover\"\n{location}\n");
    let config = crate::config::parse(&text, std::path::Path::new("discover.toml"))
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    config
        .sources
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no source"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::DatePrecision;
    use chrono::TimeZone;

    fn stamp(day: u32, precision: DatePrecision) -> Stamp {
        Stamp {
            utc: Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap(),
            offset_secs: 0,
            precision,
        }
    }

    #[test]
    fn the_post_page_date_wins_only_when_more_precise() {
        let post = PostCandidate {
            url: "https://x.test/post/a".into(),
            title: Some("List title".into()),
            date: Some(stamp(9, DatePrecision::YearInferred)),
            author: Some("List Author".into()),
            ..PostCandidate::default()
        };
        let exact = stamp(10, DatePrecision::Exact);
        let item = post_item(
            &post,
            PostFields {
                published: Some(exact),
                title: Some("Page title".into()),
                ..PostFields::default()
            },
        );
        assert_eq!(item.published, Some(exact));
        assert_eq!(item.title.as_deref(), Some("Page title"));
        assert_eq!(item.authors[0].name.as_deref(), Some("List Author"));
        assert_eq!(item.guid, None);
        assert_eq!(item.link.as_deref(), Some("https://x.test/post/a"));
        let rough = post_item(
            &post,
            PostFields {
                published: Some(stamp(3, DatePrecision::Relative)),
                ..PostFields::default()
            },
        );
        assert_eq!(rough.published, post.date);
        assert_eq!(rough.title.as_deref(), Some("List title"));
    }

    #[test]
    fn feed_urls_by_their_path() {
        for u in [
            "https://x.test/feed/",
            "https://x.test/index.xml",
            "https://x.test/feeds/main",
            "https://x.test/blog/rss",
            "https://x.test/feed.json",
        ] {
            assert!(looks_like_feed_url(&url::Url::parse(u).unwrap()), "{u}");
        }
        for u in ["https://x.test/blog", "https://x.test/news/feedback-wanted"] {
            assert!(!looks_like_feed_url(&url::Url::parse(u).unwrap()), "{u}");
        }
    }

    #[test]
    fn teaser_content_is_summary_only() {
        let short = Item {
            content: Some("<p>A teaser.</p>".into()),
            ..Item::default()
        };
        let long = Item {
            content: Some(format!("<p>{}</p>", "word ".repeat(400))),
            ..Item::default()
        };
        assert!(is_summary_only(&short));
        assert!(is_summary_only(&Item::default()));
        assert!(!is_summary_only(&long));
    }
}
