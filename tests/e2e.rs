//! End-to-end tests of `run` and `check`: the real binary, real files, feeds served over a
//! loopback HTTP server.

mod common;

use common::*;
use std::fs;
use std::path::Path;

const RSS: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Alpha &amp; Co</title><link>http://alpha.test/</link>
<description>a</description>
<item><title>Shared story</title><link>https://story.test/one?utm_source=alpha</link>
<guid isPermaLink="false">1</guid><pubDate>Mon, 23 Nov 2026 10:00:00 +0000</pubDate>
<description>short</description></item>
<item><title>Alpha only</title><link>/alpha-only</link><guid isPermaLink="false">2</guid>
<pubDate>Tue, 24 Nov 2026 10:00:00 +0000</pubDate></item>
</channel></rss>"#;

const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Beta</title><id>urn:beta</id>
<updated>2026-11-25T10:00:00Z</updated><link rel="alternate" href="http://beta.test/"/>
<entry><title>Shared story</title><id>1</id><link href="https://story.test/one#top"/>
<updated>2026-11-23T10:00:00Z</updated><author><name>B. Writer</name></author>
<content type="html">&lt;p&gt;The full story text.&lt;/p&gt;</content></entry>
<entry><title>Beta only</title><id>2</id><link href="http://beta.test/beta-only"/>
<updated>2026-11-25T10:00:00Z</updated><author><name>B. Writer</name></author></entry>
</feed>"#;

fn write_config(dir: &Path, body: &str) {
    fs::write(dir.join("feeds.toml"), body).unwrap();
}

#[test]
fn merges_http_and_local_sources_into_three_valid_formats() {
    let server = Server::start();
    server.set("/alpha.xml", Reply::ok("application/rss+xml", RSS));
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("beta.atom"), ATOM).unwrap();
    write_config(
        dir.path(),
        &format!(
            r#"
[settings]
base_url = "https://planet.test/feeds"

[[source]]
id = "alpha"
url = "{}"

[[source]]
id = "beta"
path = "beta.atom"
kind = "feed"

[[feed]]
id = "all"
title = "All"
"#,
            server.url("/alpha.xml")
        ),
    );
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
    assert_eq!(stdout(&out), "", "quiet on success");
    for ext in ["xml", "atom", "json"] {
        let path = dir.path().join("out").join(format!("all.{ext}"));
        if ext != "json" {
            strict_xml(&path);
        }
        let feed = reparse(&path);
        let titles: Vec<String> = feed
            .entries
            .iter()
            .map(|e| e.title.as_ref().unwrap().content.clone())
            .collect();
        // Newest first; the shared story (same canonical link, different guids "1") appears
        // once, while the two "2" guids stay two items.
        assert_eq!(titles, ["Beta only", "Alpha only", "Shared story"], "{ext}");
        let shared = &feed.entries[2];
        assert_eq!(shared.links[0].href, "https://story.test/one", "{ext}");
        let alpha_only = &feed.entries[1];
        assert_eq!(
            alpha_only.links[0].href, "http://alpha.test/alpha-only",
            "{ext}: relative link resolved against the channel link"
        );
    }
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/all.json")).unwrap()).unwrap();
    assert_eq!(json["feed_url"], "https://planet.test/feeds/all.json");
    assert_eq!(
        json["items"][2]["content_html"], "<p>The full story text.</p>",
        "the richer copy of the shared story survives"
    );
    assert_eq!(server.count("/alpha.xml"), 1);
}

#[test]
fn an_unchanged_second_run_rewrites_nothing() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("beta.atom"), ATOM).unwrap();
    write_config(
        dir.path(),
        "[[source]]\nid = \"beta\"\npath = \"beta.atom\"\n\n[[feed]]\nid = \"b\"\ntitle = \"B\"\nlink = \"https://x.test/\"\n",
    );
    let first = run_in(dir.path(), &["run"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let files: Vec<_> = ["b.xml", "b.atom", "b.json"]
        .iter()
        .map(|f| dir.path().join("out").join(f))
        .collect();
    let before: Vec<_> = files
        .iter()
        .map(|f| {
            (
                fs::read(f).unwrap(),
                fs::metadata(f).unwrap().modified().unwrap(),
            )
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(20));
    // A different clock must not change anything either: feed dates come from items.
    let second = std::process::Command::new(bin())
        .current_dir(dir.path())
        .args(["run", "--now", "2027-01-01T00:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    let after: Vec<_> = files
        .iter()
        .map(|f| {
            (
                fs::read(f).unwrap(),
                fs::metadata(f).unwrap().modified().unwrap(),
            )
        })
        .collect();
    assert_eq!(before, after);
    let leftovers: Vec<_> = fs::read_dir(dir.path().join("out"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".feedwright-tmp-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_failing_source_gives_status_1_and_does_not_stop_the_others() {
    let server = Server::start();
    server.set("/alpha.xml", Reply::ok("application/rss+xml", RSS));
    server.set("/broken.xml", Reply::status(500));
    server.set(
        "/page.html",
        Reply::ok("text/html", "<html><body><p>no feed here</p></body></html>"),
    );
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            r#"
[settings]
base_url = "https://planet.test/"

[[source]]
id = "alpha"
url = "{}"

[[source]]
id = "broken"
url = "{}"

[[source]]
id = "page"
url = "{}"
kind = "feed"

[[feed]]
id = "good"
title = "Good"
sources = ["alpha"]

[[feed]]
id = "mixed"
title = "Mixed"
sources = ["alpha", "broken"]
"#,
            server.url("/alpha.xml"),
            server.url("/broken.xml"),
            server.url("/page.html")
        ),
    );
    let out = run_in(dir.path(), &["run"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("broken") && err.contains("500"), "{err}");
    assert!(
        err.contains(&server.url("/broken.xml")),
        "names the URL: {err}"
    );
    assert!(err.contains("page") && err.contains("not a feed"), "{err}");
    assert!(dir.path().join("out/good.xml").is_file());
    assert!(
        !dir.path().join("out/mixed.xml").exists(),
        "a feed with a failed source is not overwritten with fewer items"
    );
}

#[test]
fn a_misspelt_key_is_a_config_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "[settings]\nout_dir = \"out\"\n\n[[source]]\nid = \"a\"\nurll = \"https://a.test/feed\"\n",
    );
    for cmd in ["check", "run"] {
        let out = run_in(dir.path(), &[cmd]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{cmd}: {err}");
        assert!(err.contains("feeds.toml:6:"), "{cmd}: line 6 named: {err}");
        assert!(err.contains("urll"), "{cmd}: key named: {err}");
    }
    assert!(!dir.path().join("out").exists(), "nothing written");
}

#[test]
fn check_accepts_a_valid_config_without_network() {
    let dir = tempfile::tempdir().unwrap();
    // An address nothing listens on: check must not try it.
    write_config(
        dir.path(),
        "[[source]]\nid = \"a\"\nurl = \"http://127.0.0.1:9/feed\"\n\n[[feed]]\nid = \"f\"\ntitle = \"F\"\nlink = \"https://f.test/\"\n",
    );
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("ok"));
    let global_after = run_in(dir.path(), &["check", "--config", "feeds.toml", "-q"]);
    assert_eq!(
        global_after.status.code(),
        Some(0),
        "global flags after the command"
    );
    assert_eq!(stdout(&global_after), "");
}

#[test]
fn the_bundled_demo_runs_offline() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = tempfile::tempdir().unwrap();
    fs::copy(root.join("feeds.toml"), dir.path().join("feeds.toml")).unwrap();
    fs::create_dir_all(dir.path().join("examples/demo")).unwrap();
    for entry in fs::read_dir(root.join("examples/demo")).unwrap().flatten() {
        fs::copy(
            entry.path(),
            dir.path().join("examples/demo").join(entry.file_name()),
        )
        .unwrap();
    }
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let feed = reparse(&dir.path().join("out/community.atom"));
    assert_eq!(
        feed.entries.len(),
        8,
        "9 entries, the seed swap story merged across sources"
    );
    for entry in &feed.entries {
        let text = format!("{:?}", entry.content) + &format!("{:?}", entry.summary);
        assert!(!text.contains("<script"), "sanitised: {text}");
    }
    assert!(dir.path().join("out/news.json").is_file());
    assert!(
        !dir.path().join("out/news.xml").exists(),
        "formats respected"
    );
}
