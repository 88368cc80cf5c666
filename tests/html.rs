//! End-to-end tests of `kind = "html"` sources and `preview`: the real binary, list pages served
//! on a loopback server — a WordPress-style blog written here (two pages, `<base href>`, lazy
//! images, relative links) and the Wix blog in `../shared/sites/wgon-wix/`.

mod common;

use common::*;
use std::fs;
use std::path::Path;

const WP_PAGE_1: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Backyard Notes – a garden blog</title>
<base href="/blog/"></head>
<body><nav><a href="/">Home</a></nav>
<main>
<article class="post">
  <h2 class="entry-title"><a href="first-post/?utm_source=list">First frost <span class="reading-time">3 min read</span></a></h2>
  <div class="entry-meta"><time class="published" datetime="2026-11-20T09:30:00-06:00">November 20, 2026</time>
  <span class="byline">by <span class="author vcard"><span class="fn">Jane Doe</span></span></span></div>
  <img class="wp-post-image" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="img/frost.jpg" alt="">
  <div class="entry-summary"><p>The first frost came early this year &amp; the dahlias paid for it. <a class="more-link" href="first-post/">Continue reading <span class="screen-reader-text">First frost</span></a></p>
  <div class="sharedaddy sd-sharing-enabled"><h3 class="sd-title">Share this:</h3><ul><li><a href="https://social.example/share?u=1">Share on Facebook</a></li></ul></div></div>
  <footer><a rel="category tag" href="/category/garden/">Garden</a>, <a rel="tag" href="/tag/weather/">Weather</a></footer>
</article>
<article class="post">
  <h2 class="entry-title"><a href="/blog/seed-swap/">Seed swap on Saturday</a></h2>
  <time class="published" datetime="2026-11-18T07:15:00-06:00">Nov 18</time>
  <span class="author vcard"><span class="fn">Sam Lee</span></span>
  <img srcset="img/seeds-400.jpg 400w, img/seeds-1600.jpg 1600w, img/seeds-800.jpg 800w" src="img/seeds-400.jpg" alt="">
  <div class="entry-summary"><p>Bring your extra seeds… Read more »</p></div>
  <footer><a rel="category tag" href="/category/events/">Events</a></footer>
</article>
</main>
<div class="nav-links"><a class="next page-numbers" href="page/2/">Older posts</a></div>
</body></html>"#;

const WP_PAGE_2: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Backyard Notes – page 2</title></head>
<body>
<article class="post">
  <h2 class="entry-title"><a href="../../compost/">Compost, explained</a></h2>
  <time class="published" datetime="2026-11-02T08:00:00Z">Nov 2</time>
  <span class="author vcard"><span class="fn">Jane Doe</span></span>
  <img src="/wp-content/placeholder.gif" data-lazy-src="https://cdn.example/compost.jpg" alt="">
  <div class="entry-summary"><p>Brown, green, water, air.</p></div>
  <footer><a rel="category tag" href="/category/garden/">Garden</a></footer>
</article>
<div class="nav-links"><a class="prev page-numbers" href="/blog/">Newer posts</a>
<a class="next page-numbers" href="/blog/">Back to the start</a></div>
</body></html>"#;

/// The issue's example block, pointed at the loopback server.
fn wp_config(server: &Server) -> String {
    format!(
        r#"[settings]
host_delay = "0s"
timeout = "10s"
base_url = "https://planet.test/"

[[source]]
id = "backyard"
url = "{}"
kind = "html"
timezone = "America/Chicago"
language = "en"
day_first = false
max_pages = 5
[source.selectors]
item = "article.post"
title = "h2.entry-title a"
link = {{ selector = "h2.entry-title a", attr = "href" }}
date = {{ selector = "time.published", attr = "datetime" }}
author = ".author .fn"
summary = ".entry-summary"
content = ".entry-content"
image = {{ selector = "img", attr = "src" }}
categories = "a[rel~=tag]"
next_page = {{ selector = "a.next", attr = "href" }}

[[feed]]
id = "garden"
title = "Garden"
"#,
        server.url("/blog/")
    )
}

fn wp_server() -> Server {
    let server = Server::start();
    server.set("/blog/", Reply::ok("text/html; charset=utf-8", WP_PAGE_1));
    server.set("/blog/page/2/", Reply::ok("text/html", WP_PAGE_2));
    server
}

#[test]
fn wordpress_pages_become_a_feed() {
    let server = wp_server();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("feeds.toml"), wp_config(&server)).unwrap();
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "", "quiet on success");
    assert_eq!(
        server.count("/blog/"),
        1,
        "a repeated next page is not fetched again"
    );
    assert_eq!(server.count("/blog/page/2/"), 1);

    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/garden.json")).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    let got: Vec<serde_json::Value> = items
        .iter()
        .map(|i| {
            serde_json::json!({
                "title": i["title"],
                "url": i["url"],
                "date": i["date_published"],
                "authors": i["authors"].as_array().map(|a| a.iter().map(|p| p["name"].clone()).collect::<Vec<_>>()),
                "image": i["image"],
                "tags": i["tags"],
            })
        })
        .collect();
    let base = server.url("");
    assert_eq!(
        got,
        vec![
            serde_json::json!({
                "title": "First frost",
                "url": format!("{base}/blog/first-post/"),
                "date": "2026-11-20T09:30:00-06:00",
                "authors": ["Jane Doe"],
                "image": format!("{base}/blog/img/frost.jpg"),
                "tags": ["Garden", "Weather"],
            }),
            serde_json::json!({
                "title": "Seed swap on Saturday",
                "url": format!("{base}/blog/seed-swap/"),
                "date": "2026-11-18T07:15:00-06:00",
                "authors": ["Sam Lee"],
                "image": format!("{base}/blog/img/seeds-1600.jpg"),
                "tags": ["Events"],
            }),
            serde_json::json!({
                "title": "Compost, explained",
                "url": format!("{base}/blog/compost/"),
                "date": "2026-11-02T08:00:00+00:00",
                "authors": ["Jane Doe"],
                "image": "https://cdn.example/compost.jpg",
                "tags": ["Garden"],
            }),
        ]
    );
    // Boilerplate is gone from the summaries; the text stays.
    let first = &items[0];
    let summary = first["summary"].as_str().or(first["content_html"].as_str());
    let text = summary.unwrap_or_default();
    assert!(text.contains("dahlias paid for it"), "{text}");
    for junk in ["Continue reading", "Share this", "Facebook", "min read"] {
        assert!(!text.contains(junk), "{junk:?} in {text}");
    }
    let second = serde_json::to_string(&items[1]).unwrap();
    assert!(second.contains("Bring your extra seeds"), "{second}");
    assert!(!second.contains("Read more"), "{second}");
}

#[test]
fn preview_shows_the_items_and_writes_nothing() {
    let server = wp_server();
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("feeds.toml"), wp_config(&server)).unwrap();

    let out = run_in(dir.path(), &["preview", "backyard"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let table = stdout(&out);
    let lines: Vec<&str> = table.lines().collect();
    assert!(lines[0].starts_with("TITLE"), "{table}");
    assert!(lines[0].contains("DATE") && lines[0].contains("AUTHOR") && lines[0].contains("LINK"));
    assert!(lines[1].starts_with("First frost "), "{table}");
    assert!(
        lines[1].contains("2026-11-20 09:30 -06:00 (exact)"),
        "{table}"
    );
    assert!(lines[1].contains("Jane Doe"), "{table}");
    assert!(
        lines[1].ends_with(&server.url("/blog/first-post/")),
        "{table}"
    );
    assert!(
        lines[2].contains("2026-11-18 07:15 -06:00 (exact)"),
        "{table}"
    );
    assert!(table.contains("3 item(s) from"), "{table}");
    assert!(
        table.contains("content selector `.entry-content` matched 0 elements inside 2 of 2 items"),
        "explains a selector that matches nothing: {table}"
    );

    let out = run_in(dir.path(), &["preview", "backyard", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["source"], "backyard");
    assert_eq!(json["items"].as_array().map(Vec::len), Some(3));
    assert_eq!(json["items"][1]["precision"], "exact");
    assert_eq!(json["items"][1]["published"], "2026-11-18T07:15:00-06:00");
    assert_eq!(json["items"][2]["authors"], serde_json::json!(["Jane Doe"]));
    assert_eq!(
        json["pages"],
        serde_json::json!([server.url("/blog/"), server.url("/blog/page/2/")])
    );

    let left: Vec<String> = fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["feeds.toml"], "preview writes nothing");
}

#[test]
fn preview_explains_an_item_selector_that_matches_nothing() {
    let server = wp_server();
    let dir = tempfile::tempdir().unwrap();
    let config = wp_config(&server)
        .replace("item = \"article.post\"", "item = \"div.post-card\"")
        .replace("max_pages = 5", "max_pages = 1");
    fs::write(dir.path().join("feeds.toml"), config).unwrap();
    let out = run_in(dir.path(), &["preview", "backyard"]);
    assert_eq!(out.status.code(), Some(1), "nothing extracted: exit 1");
    let err = stderr(&out);
    assert!(
        err.contains("item selector `div.post-card` matched nothing; the page has 5 <div> element(s), 0 element(s) with class `post-card`"),
        "{err}"
    );
    // A run reports the source as failed (exit 1) rather than publishing nothing silently.
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no item extracted"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn preview_reads_feed_sources_too() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("f.xml"),
        r#"<rss version="2.0"><channel><title>F</title><link>https://f.example/</link>
<item><title>Hello</title><link>https://f.example/hello</link><pubDate>Mon, 23 Nov 2026 10:00:00 +0000</pubDate><author>a@f.example (Ann)</author></item>
</channel></rss>"#,
    )
    .unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        "[[source]]\nid = \"f\"\npath = \"f.xml\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["preview", "f"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("Hello"), "{table}");
    assert!(table.contains("2026-11-23 10:00 +00:00 (exact)"), "{table}");
    let out = run_in(dir.path(), &["preview", "nope"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn check_reports_a_bad_selector_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        "[[source]]\nid = \"x\"\nurl = \"https://x.example/\"\nkind = \"html\"\n\n[source.selectors]\nitem = \"div[[\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains(
            "feeds.toml:7:8: source[1].selectors.item: `div[[` is not a valid CSS selector"
        ),
        "{err}"
    );

    fs::write(
        dir.path().join("feeds.toml"),
        "[[source]]\nid = \"x\"\nurl = \"https://x.example/\"\nkind = \"html\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("feeds.toml:1:1: source[1].selectors.item:"),
        "{}",
        stderr(&out)
    );
}

// ---------------------------------------------------------------------------------------------
// The wgon-wix evidence

const WGON_NOW: &str = "2026-01-12T12:00:00Z";

/// Selectors for a server-rendered Wix blog, from Wix's own `data-hook` attributes.
const WIX_SELECTORS: &str = r#"[source.selectors]
item = 'article[data-hook="post-list-item"]'
title = '[data-hook="post-title"]'
link = { selector = 'a[data-hook="post-list-item__title-link"]', attr = "href" }
date = '[data-hook="time-ago"]'
author = '[data-hook="user-name"]'
summary = '[data-hook="post-description"]'
image = '[data-hook="post-list-item-image"] img'
"#;

/// The wgon-wix site served as its expected.json says, with `feeds.toml` in a temp folder; or
/// `None` (with a message) when ../shared is absent.
fn wgon() -> Option<(Server, tempfile::TempDir, serde_json::Value)> {
    let Some(shared) = shared_dir() else {
        eprintln!("skipped: ../shared (or $FEEDWRIGHT_SHARED) not found");
        return None;
    };
    let site = shared.join("sites/wgon-wix");
    if !site.is_dir() {
        eprintln!("skipped: {} not found", site.display());
        return None;
    }
    let expected: serde_json::Value =
        serde_json::from_slice(&fs::read(site.join("expected.json")).unwrap()).unwrap();
    assert_eq!(expected["fetch_time"], WGON_NOW);
    let server = Server::start();
    for (path, file) in expected["paths"].as_object().unwrap() {
        let body = fs::read(site.join(file.as_str().unwrap())).unwrap();
        server.set(path, Reply::ok("text/html; charset=utf-8", body));
    }
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        format!(
            "[settings]\nhost_delay = \"0s\"\nbase_url = \"https://planet.test/\"\n\n[[source]]\nid = \"wgon\"\nurl = \"{}\"\nkind = \"html\"\ntimezone = \"America/Caracas\"\n{WIX_SELECTORS}\n[[feed]]\nid = \"wgon\"\ntitle = \"WGON\"\n",
            server.url("/blog")
        ),
    )
    .unwrap();
    Some((server, dir, expected))
}

fn run_at(dir: &Path, args: &[&str]) -> std::process::Output {
    std::process::Command::new(bin())
        .current_dir(dir)
        .args(args)
        .env("FEEDWRIGHT_NOW", WGON_NOW)
        .env_remove("FEEDWRIGHT_CONFIG")
        .env_remove("FEEDWRIGHT_LOG")
        .output()
        .unwrap()
}

/// `https://www.wgon.example/post/x` → the same path on the loopback server.
fn on_server(server: &Server, link: &str) -> String {
    let path = url::Url::parse(link).unwrap().path().to_owned();
    server.url(&path)
}

#[test]
fn wgon_wix_blog_gives_the_expected_items() {
    let Some((server, dir, expected)) = wgon() else {
        return;
    };
    let out = run_at(dir.path(), &["preview", "wgon", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = json["items"].as_array().unwrap();
    let want = expected["items"].as_array().unwrap();
    assert_eq!(items.len(), want.len(), "{json:#}");
    for (got, want) in items.iter().zip(want) {
        assert_eq!(got["title"], want["title"]);
        assert_eq!(got["authors"], serde_json::json!([want["author"]]));
        assert_eq!(
            got["link"].as_str(),
            Some(on_server(&server, want["link"].as_str().unwrap()).as_str())
        );
        let summary = got["summary"].as_str().unwrap_or_default();
        assert!(
            summary.contains(want["summary_starts_with"].as_str().unwrap()),
            "{summary}"
        );
        let image = got["image"].as_str().unwrap_or_default();
        assert!(
            image.starts_with("https://static.wixstatic.com/") && !image.contains("blur_"),
            "the lazy data-src, not the blurred placeholder: {image}"
        );
        for junk in ["min read", "Writer:", "views", "comments"] {
            assert!(!got.to_string().contains(junk), "{junk:?} in {got}");
        }
    }

    // And the same items through a run, into the published feed.
    let out = run_at(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let feed: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/wgon.json")).unwrap()).unwrap();
    let mut urls: Vec<String> = feed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["url"].as_str().unwrap_or_default().to_owned())
        .collect();
    urls.sort();
    let mut want_urls: Vec<String> = want
        .iter()
        .map(|w| on_server(&server, w["link"].as_str().unwrap()))
        .collect();
    want_urls.sort();
    assert_eq!(urls, want_urls);
}

// The list page's dates through the date engine: "2 days ago" (relative), "Jan 9" and "Dec 22"
// (partial: the year is inferred, and "Dec 22" seen on 12 January means 2025), and
// "Dec 30, 2025" as 00:00 in America/Caracas (not 00:00 UTC, the previous evening there).
#[test]
fn wgon_wix_dates_are_on_the_right_day_with_the_right_precision() {
    let Some((_server, dir, expected)) = wgon() else {
        return;
    };
    let out = run_at(dir.path(), &["preview", "wgon", "--json"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = json["items"].as_array().unwrap();
    let caracas: chrono_tz::Tz = "America/Caracas".parse().unwrap();
    // The list page shows "2 days ago", "Jan 9", "Dec 30, 2025", "Dec 22": no times.
    let precisions = ["relative", "year inferred", "date only", "year inferred"];
    for ((got, want), precision) in items
        .iter()
        .zip(expected["items"].as_array().unwrap())
        .zip(precisions)
    {
        let want_day = chrono::DateTime::parse_from_rfc3339(want["published"].as_str().unwrap())
            .unwrap()
            .with_timezone(&caracas)
            .date_naive()
            .to_string();
        let got_day = chrono::DateTime::parse_from_rfc3339(got["published"].as_str().unwrap())
            .unwrap()
            .with_timezone(&caracas)
            .date_naive()
            .to_string();
        assert_eq!(got_day, want_day, "{}", got["title"]);
        assert_eq!(got["precision"], precision, "{}", got["title"]);
    }
    assert_eq!(
        json["diagnostics"],
        serde_json::json!([]),
        "every date was read"
    );
}
