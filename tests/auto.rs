//! Zero-config sources (`kind = "auto"`), `fulltext` and `discover`: the listing rules on
//! hand-written platform pages and real pages, and the real binary against a loopback server
//! (the wgon-wix site, advertised feeds, request counts across runs, caps, JavaScript shells).

mod common;

use common::*;
use feedwright::source::auto::listing::{Listing, PostCandidate, find_posts};
use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};

const NOW: &str = "2026-01-12T12:00:00Z";

fn fixture(name: &str) -> String {
    fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/auto")
            .join(name),
    )
    .unwrap()
}

fn url(s: &str) -> url::Url {
    url::Url::parse(s).unwrap()
}

fn titles(l: &Listing) -> Vec<&str> {
    l.posts
        .iter()
        .map(|p| p.title.as_deref().unwrap_or(""))
        .collect()
}

fn urls(l: &Listing) -> Vec<&str> {
    l.posts.iter().map(|p| p.url.as_str()).collect()
}

// ---------------------------------------------------------------------------------------------
// Listing on platform pages

#[test]
fn wordpress_posts_without_sidebar_pagination_or_tags() {
    let l = find_posts(&fixture("wordpress.html"), &url("https://ledger.test/"));
    assert_eq!(
        urls(&l),
        [
            "https://ledger.test/2026/01/council-approves-new-library-hours/",
            "https://ledger.test/2026/01/hawks-win-county-title/",
            "https://ledger.test/2026/01/snow-emergency-declared/",
        ],
        "{:?}",
        l.diagnostics
    );
    assert_eq!(
        titles(&l),
        [
            "Council approves new library hours for winter",
            "Hawks win the county title in overtime",
            "Snow emergency declared for the weekend"
        ]
    );
    let first = &l.posts[0];
    assert_eq!(first.author.as_deref(), Some("Jane Doe"));
    assert_eq!(
        first.date.map(|d| d.utc.to_rfc3339()),
        Some("2026-01-09T18:30:00+00:00".into())
    );
    assert!(
        first
            .summary
            .as_deref()
            .unwrap()
            .starts_with("The town council voted")
    );
    assert_eq!(
        first.image.as_deref(),
        Some("https://ledger.test/wp-content/uploads/2026/01/library.jpg")
    );
    assert_eq!(l.posts[2].date_text.as_deref(), Some("2026-01-03"));
}

#[test]
fn blogger_posts_without_popular_posts_labels_or_archive() {
    let l = find_posts(&fixture("blogger.html"), &url("https://trailnotes.test/"));
    assert_eq!(
        urls(&l),
        [
            "https://trailnotes.test/2026/01/frozen-falls-loop.html",
            "https://trailnotes.test/2026/01/ridge-trail-reopens.html",
        ],
        "{:?}",
        l.diagnostics
    );
    assert_eq!(
        titles(&l),
        [
            "The frozen falls loop in deep winter",
            "Ridge trail reopens after the storm cleanup"
        ]
    );
    assert_eq!(l.posts[0].author.as_deref(), Some("Ann Ridge"));
    assert_eq!(
        l.posts[0].date.map(|d| d.utc.to_rfc3339()),
        Some("2026-01-09T16:15:00+00:00".into())
    );
}

#[test]
fn ghost_post_cards() {
    let l = find_posts(&fixture("ghost.html"), &url("https://slowbread.test/"));
    assert_eq!(
        urls(&l),
        [
            "https://slowbread.test/rye-starter-in-seven-days/",
            "https://slowbread.test/why-your-crumb-is-gummy/",
            "https://slowbread.test/a-baking-schedule-for-working-people/",
        ],
        "{:?}",
        l.diagnostics
    );
    assert_eq!(
        l.posts[0].title.as_deref(),
        Some("Rye starter in seven days")
    );
    assert_eq!(l.posts[0].date_text.as_deref(), Some("2026-01-08"));
    assert_eq!(
        l.posts[0].summary.as_deref(),
        Some("A day-by-day guide to a lively rye starter, with what to expect at each feeding.")
    );
    assert_eq!(
        l.posts[0].image.as_deref(),
        Some("https://slowbread.test/content/images/size/w600/2026/01/rye.jpg")
    );
}

#[test]
fn news_portal_without_ticker_most_read_or_duplicates() {
    let l = find_posts(
        &fixture("news-portal.html"),
        &url("https://valleydaily.test/news/"),
    );
    assert_eq!(
        titles(&l),
        [
            "Mill redevelopment plan unveiled with 200 apartments",
            "County budget gap narrows after sales tax surprise",
            "New bus route links the east side to the hospital",
            "Library levy heads to the May ballot",
        ],
        "{:?}",
        l.diagnostics
    );
    let budget = &l.posts[1];
    assert_eq!(
        budget.url,
        "https://valleydaily.test/news/local/2026/01/11/county-budget-gap-narrows"
    );
    assert_eq!(budget.author.as_deref(), Some("Maria Lopez"));
    assert_eq!(budget.date_text.as_deref(), Some("Jan 11"));
    assert_eq!(
        budget.image.as_deref(),
        Some("https://cdn.valleydaily.test/img/budget-400.jpg"),
        "data-src, not the placeholder"
    );
    // The lead story, linked three times (hero, card, comments), is one post.
    assert_eq!(
        l.posts[0].url,
        "https://valleydaily.test/news/local/2026/01/12/mill-redevelopment-plan-unveiled"
    );
}

fn shared() -> Option<PathBuf> {
    let s = shared_dir();
    if s.is_none() {
        eprintln!("../shared not found: skipped");
    }
    s
}

#[test]
fn wgon_wix_blog_lists_four_posts_in_order() {
    let Some(shared) = shared() else { return };
    let html = fs::read_to_string(shared.join("sites/wgon-wix/blog.html")).unwrap();
    let l = find_posts(&html, &url("https://www.wgon.example/blog"));
    assert_eq!(l.method.as_deref(), Some("wix"), "{:?}", l.diagnostics);
    let expected = expected_items(&shared);
    assert_eq!(
        urls(&l),
        expected
            .iter()
            .map(|e| e["link"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        titles(&l),
        expected
            .iter()
            .map(|e| e["title"].as_str().unwrap())
            .collect::<Vec<_>>()
    );
    let dates: Vec<&str> = l
        .posts
        .iter()
        .map(|p| p.date_text.as_deref().unwrap_or(""))
        .collect();
    assert_eq!(dates, ["2 days ago", "Jan 9", "Dec 30, 2025", "Dec 22"]);
    for (p, e) in l.posts.iter().zip(&expected) {
        assert_eq!(p.author.as_deref(), e["author"].as_str());
        let start = e["summary_starts_with"].as_str().unwrap();
        assert!(
            p.summary.as_deref().unwrap_or("").starts_with(start),
            "{p:?}"
        );
        assert!(p.image.as_deref().unwrap_or("").contains("w_454"), "{p:?}");
    }
}

#[test]
fn rsparser_html_pages_never_panic_and_show_their_feeds() {
    let Some(shared) = shared() else { return };
    let dir = shared.join("corpora/feeds/rsparser/files");
    let mut pages = 0;
    for entry in fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        if !text.to_lowercase().contains("<html") {
            continue;
        }
        pages += 1;
        let base = url("https://example.test/");
        let _: Vec<PostCandidate> = find_posts(&text, &base).posts;
        let doc = scraper::Html::parse_document(&text);
        let feeds = feedwright::source::auto::feed_links(&doc, &base);
        assert!(!feeds.is_empty(), "{}: no feed link found", path.display());
    }
    assert!(pages >= 6, "only {pages} HTML pages");
    let df = fs::read_to_string(dir.join("DaringFireball.html")).unwrap();
    let doc = scraper::Html::parse_document(&df);
    let feeds = feedwright::source::auto::feed_links(&doc, &url("https://daringfireball.net/"));
    assert_eq!(feeds[0].url, "https://daringfireball.net/feeds/main");
    assert_eq!(feeds[0].format, "atom");
}

// ---------------------------------------------------------------------------------------------
// The real binary

fn expected_items(shared: &Path) -> Vec<Value> {
    let text = fs::read_to_string(shared.join("sites/wgon-wix/expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["items"].as_array().unwrap().clone()
}

/// A project and server for this file's runs: a 10 s timeout, the clock at [`NOW`].
fn site() -> Site {
    Site::new()
        .with_settings("timeout = \"10s\"")
        .with_feed_keys("link = \"https://planet.test/\"")
        .with_now(NOW)
}

/// Serve wgon-wix at the paths of its expected.json (no /blog-feed.xml).
fn serve_wgon(site: &Site, shared: &Path) {
    let text = fs::read_to_string(shared.join("sites/wgon-wix/expected.json")).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    for (path, file) in v["paths"].as_object().unwrap() {
        let body = fs::read(shared.join("sites/wgon-wix").join(file.as_str().unwrap())).unwrap();
        site.serve(path, "text/html; charset=utf-8", body);
    }
}

/// wgon-wix served and configured as an auto source in its own timezone.
fn wgon_site(shared: &Path) -> Site {
    let site = site();
    serve_wgon(&site, shared);
    site.config(&source(
        "wgon",
        &site.url("/blog"),
        "kind = \"auto\"\ntimezone = \"America/Caracas\"",
    ));
    site
}

fn post_requests(server: &Server) -> usize {
    server
        .requests()
        .iter()
        .filter(|s| s.path.starts_with("/post/"))
        .count()
}

fn instant(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// What already works with the stand-in post-page reader: the four posts, their titles,
/// authors and links on the serving origin, and the exact times of the three JSON-LD posts.
/// The post pages are fetched once; a second run fetches none of them again.
#[test]
fn wgon_wix_as_auto_source_gives_its_four_posts_and_reads_each_post_page_once() {
    let Some(shared) = shared() else { return };
    let site = wgon_site(&shared);
    site.run_ok(&["run"]);
    assert_eq!(site.server.count("/blog-feed.xml"), 0);
    assert_eq!(post_requests(&site.server), 4);
    let items = site.json_items("all");
    let expected = expected_items(&shared);
    assert_eq!(items.len(), 4);
    for e in &expected {
        let path = url(e["link"].as_str().unwrap()).path().to_string();
        let link = site.url(&path);
        let item = items
            .iter()
            .find(|i| i["url"] == link.as_str())
            .unwrap_or_else(|| panic!("no item for {link}: {items:#?}"));
        assert_eq!(item["id"], link.as_str(), "the id is the list-page link");
        assert_eq!(item["title"], e["title"]);
        assert_eq!(item["authors"][0]["name"], e["author"]);
        assert!(
            item["summary"]
                .as_str()
                .unwrap_or("")
                .starts_with(e["summary_starts_with"].as_str().unwrap()),
            "{item}"
        );
        if path != "/post/school-board-later-start-time" {
            // JSON-LD datePublished with an offset: exact.
            assert_eq!(
                instant(item["date_published"].as_str().unwrap()),
                instant(e["published"].as_str().unwrap()),
                "{path}"
            );
        }
    }

    // Second run: the list page again (no validators served), but no post page.
    site.run_ok(&["run", "--force"]);
    assert_eq!(site.server.count("/blog"), 2);
    assert_eq!(
        post_requests(&site.server),
        4,
        "stored posts are not fetched again"
    );
    assert_eq!(site.json_items("all").len(), 4);
}

/// All of expected.json: list order, every published instant (school-board's only in
/// `article:published_time`), the bodies with none of the furniture.
#[test]
fn wgon_wix_as_auto_source_matches_expected_json() {
    let Some(shared) = shared() else { return };
    let site = wgon_site(&shared);
    site.run_ok(&["run"]);
    let items = site.json_items("all");
    let expected = expected_items(&shared);
    assert_eq!(items.len(), expected.len());
    for (item, e) in items.iter().zip(&expected) {
        let path = url(e["link"].as_str().unwrap()).path().to_string();
        assert_eq!(item["url"], site.url(&path).as_str(), "list order");
        assert_eq!(item["title"], e["title"]);
        assert_eq!(item["authors"][0]["name"], e["author"]);
        assert_eq!(
            instant(item["date_published"].as_str().unwrap()),
            instant(e["published"].as_str().unwrap()),
            "{path}"
        );
        let html = item["content_html"].as_str().unwrap_or("");
        let text = html_text(html);
        for must in e["content_must_contain"].as_array().unwrap() {
            assert!(
                text.contains(must.as_str().unwrap()),
                "{path}: {must} in {text}"
            );
        }
        for not in e["content_must_not_contain"].as_array().unwrap() {
            assert!(
                !text.contains(not.as_str().unwrap()),
                "{path}: {not} in {text}"
            );
        }
    }
}

/// Tag-stripped, entity-decoded text, whitespace collapsed.
fn html_text(html: &str) -> String {
    let doc = scraper::Html::parse_fragment(html);
    let text: String = doc.root_element().text().collect::<Vec<_>>().join("");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The list page's own dates where the post pages give none (date engine: "Dec 22" → 2025).
#[test]
fn wgon_wix_list_dates_resolve_in_the_source_timezone() {
    use feedwright::normalise::date::DateContext;
    use feedwright::source::auto::listing::resolve_dates;
    let Some(shared) = shared() else { return };
    let html = fs::read_to_string(shared.join("sites/wgon-wix/blog.html")).unwrap();
    let mut l = find_posts(&html, &url("https://www.wgon.example/blog"));
    let ctx = DateContext {
        now: instant(NOW),
        timezone: Some(chrono_tz::America::Caracas),
        language: None,
        day_first: None,
        format: None,
    };
    resolve_dates(&mut l.posts, &ctx);
    let days: Vec<String> = l
        .posts
        .iter()
        .map(|p| {
            p.date
                .map(|d| {
                    d.utc
                        .with_timezone(&chrono_tz::America::Caracas)
                        .format("%Y-%m-%d")
                        .to_string()
                })
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        days,
        ["2026-01-10", "2026-01-09", "2025-12-30", "2025-12-22"]
    );
}

const FEED: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Site feed</title><description>d</description>
<item><title>From the feed</title><link>/post/from-the-feed</link><guid>urn:x:1</guid>
<pubDate>Fri, 09 Jan 2026 10:00:00 +0000</pubDate><description>Only a summary.</description></item>
<item><title>Second from the feed</title><link>/post/second-from-the-feed</link><guid>urn:x:2</guid>
<pubDate>Sat, 10 Jan 2026 10:00:00 +0000</pubDate><description>Another summary.</description></item>
</channel></rss>"#;

fn page_with_feed_link(feed_path: &str) -> String {
    format!(
        r#"<!DOCTYPE html><html><head><title>Site</title>
        <link rel="alternate" type="application/rss+xml" title="Site » Comments Feed" href="/comments/feed/">
        <link rel="alternate" type="application/rss+xml" title="Site" href="{feed_path}">
        </head><body><main>
        <article><h2><a href="/post/first-card-post">First card post title</a></h2></article>
        <article><h2><a href="/post/second-card-post">Second card post title</a></h2></article>
        </main></body></html>"#
    )
}

const POST_PAGE: &str = r#"<!DOCTYPE html><html><head><title>A post | Site</title>
<meta property="og:title" content="A post from its page">
<script type="application/ld+json">{"@type":"BlogPosting","datePublished":"2026-01-08T09:00:00+01:00"}</script>
</head><body><nav><a href="/">Home</a> <a href="/about">About</a></nav>
<article><h1>A post from its page</h1>
<p>Body text of the post, long enough to read. The council met on Tuesday evening to discuss the
new budget, and the meeting ran well past its scheduled end as residents lined up to speak.</p>
<p>Most of the speakers asked for the library hours to be kept as they are, pointing to the
students who use the reading room after school and the workers who come in on weekends.</p>
<p>The vote on the budget is expected at the next meeting, in two weeks, after the finance
committee has looked at the numbers again and proposed where the savings could come from.</p>
</article><footer>© Site</footer></body></html>"#;

/// A blog page advertising /feed.xml (beside a comments feed) over two post cards, the feed
/// and both post pages.
fn blog_advertising_a_feed() -> Site {
    let site = site();
    site.serve_html("/blog", page_with_feed_link("/feed.xml"));
    site.serve_rss("/feed.xml", FEED);
    site.serve_html("/post/first-card-post", POST_PAGE);
    site.serve_html("/post/second-card-post", POST_PAGE);
    site
}

/// [`FEED`] at /feed.xml and a page for each of its items.
fn feed_with_post_pages() -> Site {
    let site = site();
    site.serve_rss("/feed.xml", FEED);
    site.serve_html("/post/from-the-feed", POST_PAGE);
    site.serve_html("/post/second-from-the-feed", POST_PAGE);
    site
}

fn titles_of(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_page_advertising_a_feed_is_read_through_the_feed() {
    let site = blog_advertising_a_feed();
    site.config(&source("site", &site.url("/blog"), ""));
    site.run_ok(&["run"]);
    assert_eq!(site.server.count("/feed.xml"), 1);
    assert_eq!(
        site.server.count("/comments/feed/"),
        0,
        "the main feed, not comments"
    );
    assert_eq!(post_requests(&site.server), 0, "post pages are not fetched");
    assert_eq!(
        titles_of(&site.json_items("all")),
        ["Second from the feed", "From the feed"]
    );
}

#[test]
fn prefer_feed_false_reads_the_page_posts() {
    let site = blog_advertising_a_feed();
    site.config(&source("site", &site.url("/blog"), "prefer_feed = false"));
    site.run_ok(&["run"]);
    assert_eq!(site.server.count("/feed.xml"), 0);
    assert_eq!(post_requests(&site.server), 2);
    let items = site.json_items("all");
    assert_eq!(items.len(), 2);
    // The post page's exact JSON-LD date; its og:title.
    assert_eq!(items[0]["date_published"], "2026-01-08T09:00:00+01:00");
    assert_eq!(items[0]["title"], "A post from its page");
}

#[test]
fn a_feed_url_as_auto_is_read_as_a_feed() {
    let site = site();
    site.serve("/feed", "text/plain", FEED);
    site.config(&source("f", &site.url("/feed"), "kind = \"auto\""));
    site.run_ok(&["run"]);
    assert_eq!(site.json_items("all").len(), 2);
    assert_eq!(post_requests(&site.server), 0);
}

/// `fulltext = true` on an auto source, whether its URL is the feed or a page advertising it:
/// the summary-only items get their page's body, each page fetched once.
#[test]
fn fulltext_on_an_auto_source_fills_the_feed_it_reads() {
    for (url_path, page) in [("/feed.xml", None), ("/blog", Some("/feed.xml"))] {
        let site = feed_with_post_pages();
        if let Some(feed_path) = page {
            site.serve_html(url_path, page_with_feed_link(feed_path));
        }
        site.config(&source(
            "site",
            &site.url(url_path),
            "kind = \"auto\"\nfulltext = true",
        ));
        site.run_ok(&["run"]);
        assert_eq!(post_requests(&site.server), 2, "{url_path}");
        let items = site.json_items("all");
        assert_eq!(titles_of(&items), ["Second from the feed", "From the feed"]);
        assert_bodies_from_post_pages(&items, url_path);
        site.run_ok(&["run", "--force"]);
        assert_eq!(post_requests(&site.server), 2, "{url_path}: cached");
    }
}

#[test]
fn at_most_thirty_post_pages_per_run_the_rest_next_run() {
    let site = site();
    let mut cards = String::new();
    for n in 0..35 {
        cards.push_str(&format!(
            "<article><h2><a href=\"/post/story-number-{n}\">Story number {n} of many</a></h2></article>\n"
        ));
        site.serve_html(&format!("/post/story-number-{n}"), POST_PAGE);
    }
    site.server.set(
        "/list",
        Reply::ok(
            "text/html",
            format!("<html><body><main>{cards}</main></body></html>"),
        )
        .with_header("ETag", "\"v1\""),
    );
    site.server.act("/list", Act::Conditional);
    site.config(&source("many", &site.url("/list"), ""));
    site.run_ok(&["run"]);
    assert_eq!(post_requests(&site.server), 30);
    assert_eq!(site.json_items("all").len(), 30, "held-back posts wait");
    // The list page's validators were not kept: it is read in full, and the rest fetched.
    site.run_ok(&["run", "--force"]);
    assert_eq!(post_requests(&site.server), 35);
    assert_eq!(site.json_items("all").len(), 35);
    // Complete now: the next run gets a 304 and fetches nothing more.
    site.run_ok(&["run", "--force"]);
    assert_eq!(post_requests(&site.server), 35);
    let last = site.server.requests_for("/list");
    assert_eq!(
        last.last()
            .unwrap()
            .headers
            .get("if-none-match")
            .map(String::as_str),
        Some("\"v1\"")
    );
}

#[test]
fn a_javascript_shell_is_a_clear_error() {
    let site = site();
    site.serve_html(
        "/app",
        r#"<!DOCTYPE html><html><head><title>App</title></head><body><div id="root"></div><script src="/bundle.js"></script></body></html>"#,
    );
    site.config(&source("app", &site.url("/app"), ""));
    let out = site.run(&["run"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("JavaScript"), "{}", stderr(&out));
}

/// [`feed_with_post_pages`] with the feed as a `kind = "feed"` source with `fulltext = true`.
fn fulltext_feed() -> Site {
    let site = feed_with_post_pages();
    site.config(&source(
        "f",
        &site.url("/feed.xml"),
        "kind = \"feed\"\nfulltext = true",
    ));
    site
}

/// Every item holds the body of [`POST_PAGE`].
fn assert_bodies_from_post_pages(items: &[Value], what: &str) {
    for item in items {
        assert!(
            item["content_html"]
                .as_str()
                .unwrap_or("")
                .contains("Body text of the post"),
            "{what}: {item}"
        );
    }
}

#[test]
fn fulltext_fetches_each_article_once() {
    let site = fulltext_feed();
    site.run_ok(&["run"]);
    assert_eq!(post_requests(&site.server), 2);
    site.run_ok(&["run", "--force"]);
    assert_eq!(post_requests(&site.server), 2, "cached: not fetched again");
    // Titles and summaries stay the feed's.
    let items = site.json_items("all");
    assert_eq!(items[1]["title"], "From the feed");
}

#[test]
fn fulltext_fills_the_body_of_summary_only_items() {
    let site = fulltext_feed();
    site.run_ok(&["run"]);
    assert_bodies_from_post_pages(&site.json_items("all"), "fulltext");
}

// ---------------------------------------------------------------------------------------------
// discover

/// `discover <path>` on the site's server (from an empty project).
fn discover(site: &Site, path: &str) -> std::process::Output {
    site.run(&["discover", &site.url(path)])
}

#[test]
fn discover_a_feed() {
    let site = site();
    site.serve_rss("/feed.xml", FEED);
    let out = discover(&site, "/feed.xml");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("a feed (Site feed), 2 item(s)"), "{text}");
    assert!(text.contains("[[source]]"), "{text}");
    assert!(text.contains("kind = \"feed\""), "{text}");
    assert!(
        text.contains(&format!("url = \"{}\"", site.url("/feed.xml"))),
        "{text}"
    );
}

#[test]
fn discover_a_page_with_feed_links() {
    let site = site();
    site.serve_html("/blog", page_with_feed_link("/feed.xml"));
    site.serve_rss("/feed.xml", FEED);
    let out = discover(&site, "/blog");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("a page with feed links (2 feed(s))"),
        "{text}"
    );
    assert!(text.contains("the main feed has 2 item(s)"), "{text}");
    assert!(
        text.contains(&format!("url = \"{}\"", site.url("/feed.xml"))),
        "{text}"
    );
    assert_eq!(post_requests(&site.server), 0);
}

#[test]
fn discover_the_wgon_wix_blog() {
    let Some(shared) = shared() else { return };
    let site = site();
    serve_wgon(&site, &shared);
    let out = discover(&site, "/blog");
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let text = stdout(&out);
    assert!(
        text.contains("a list of 4 post(s), no feed (found by wix)"),
        "{text}"
    );
    for e in expected_items(&shared) {
        assert!(text.contains(e["title"].as_str().unwrap()), "{text}");
    }
    assert!(
        text.contains("Dec 30, 2025") || text.contains("2025-12-30"),
        "{text}"
    );
    assert!(text.contains("kind = \"auto\""), "{text}");
    assert!(
        text.contains(&format!("url = \"{}\"", site.url("/blog"))),
        "{text}"
    );
    assert!(text.contains("title = \"WGON News\""), "{text}");
    // The block is valid feeds.toml.
    let block = &text[text.find("[[source]]").unwrap()..];
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("feeds.toml"), block).unwrap();
    let check = run_in(dir.path(), &["check"]);
    assert_eq!(check.status.code(), Some(0), "{}", stderr(&check));
}

#[test]
fn discover_nothing_usable_exits_1() {
    let site = site();
    site.serve_html("/empty", "<html><body><p>Nothing here.</p></body></html>");
    let out = discover(&site, "/empty");
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("nothing usable"), "{}", stdout(&out));
}
