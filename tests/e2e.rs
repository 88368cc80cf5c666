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

/// Write feeds.toml with test-friendly politeness: no delay between requests to one host
/// (every fixture lives on 127.0.0.1) and no retries, so runs stay fast.
fn write_config(dir: &Path, body: &str) {
    let fast = "host_delay = \"0s\"\nretries = 0\n";
    let body = if body.contains("[settings]\n") {
        body.replacen("[settings]\n", &format!("[settings]\n{fast}"), 1)
    } else {
        format!("[settings]\n{fast}\n{body}")
    };
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
    let mixed = reparse(&dir.path().join("out/mixed.xml"));
    assert_eq!(mixed.entries.len(), 2, "alpha's items are published");
}

#[test]
fn a_source_that_goes_down_keeps_its_items_and_comes_back_without_duplicates() {
    let server = Server::start();
    server.set("/alpha.xml", Reply::ok("application/rss+xml", RSS));
    server.set("/beta.atom", Reply::ok("application/atom+xml", ATOM));
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "[settings]\nbase_url = \"https://p.test/\"\n\n[[source]]\nid = \"alpha\"\nurl = \"{}\"\n\n[[source]]\nid = \"beta\"\nurl = \"{}\"\n\n[[feed]]\nid = \"all\"\ntitle = \"All\"\n",
            server.url("/alpha.xml"),
            server.url("/beta.atom")
        ),
    );
    let ids = |dir: &Path| -> Vec<(String, String)> {
        let feed = reparse(&dir.join("out/all.atom"));
        feed.entries
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.published.or(e.updated).unwrap().to_rfc3339(),
                )
            })
            .collect()
    };
    let first = run_in(dir.path(), &["run"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let before = ids(dir.path());
    assert_eq!(before.len(), 3);

    server.remove("/beta.atom");
    for day in 1..=3 {
        let out = run_in(
            dir.path(),
            &["run", "--force", "--now", "2026-11-30T12:00:00Z"],
        );
        assert_eq!(out.status.code(), Some(1), "run {day}: {}", stderr(&out));
        let err = stderr(&out);
        if day == 1 {
            assert!(err.contains("beta") && err.contains("404"), "{err}");
            assert!(err.contains("stored items stay published"), "{err}");
        }
        assert_eq!(ids(dir.path()), before, "run {day}: beta's items stay");
    }
    server.set("/beta.atom", Reply::ok("application/atom+xml", ATOM));
    let back = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(back.status.code(), Some(0), "{}", stderr(&back));
    assert!(stderr(&back).contains("recovered"), "{}", stderr(&back));
    assert_eq!(ids(dir.path()), before, "same ids and dates, no duplicates");
}

#[test]
fn undated_items_keep_their_first_seen_date_across_runs() {
    let server = Server::start();
    let undated = r#"<rss version="2.0"><channel><title>U</title><link>http://u.test/</link><description>u</description>
<item><title>No date here</title><link>http://u.test/1</link></item></channel></rss>"#;
    server.set("/u.xml", Reply::ok("application/rss+xml", undated));
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "[[source]]\nid = \"u\"\nurl = \"{}\"\n\n[[feed]]\nid = \"u\"\ntitle = \"U\"\nlink = \"http://u.test/\"\n",
            server.url("/u.xml")
        ),
    );
    let first = run_in(dir.path(), &["run"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let later = std::process::Command::new(bin())
        .current_dir(dir.path())
        .args(["run", "--force", "--now", "2026-12-05T08:00:00Z"])
        .output()
        .unwrap();
    assert_eq!(later.status.code(), Some(0), "{}", stderr(&later));
    let feed = reparse(&dir.path().join("out/u.atom"));
    assert_eq!(
        feed.entries[0]
            .published
            .or(feed.entries[0].updated)
            .unwrap()
            .to_rfc3339(),
        "2026-11-29T12:00:00+00:00",
        "dated by the first run, not 'now'"
    );
    assert_eq!(server.count("/u.xml"), 2);
}

#[test]
fn sources_are_read_only_when_due_unless_forced_or_named() {
    let server = Server::start();
    server.set("/alpha.xml", Reply::ok("application/rss+xml", RSS));
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "[[source]]\nid = \"alpha\"\nurl = \"{}\"\ninterval = \"30m\"\n\n[[feed]]\nid = \"a\"\ntitle = \"A\"\nlink = \"http://a.test/\"\n",
            server.url("/alpha.xml")
        ),
    );
    let at = |t: &str| {
        std::process::Command::new(bin())
            .current_dir(dir.path())
            .args(["run", "--now", t])
            .output()
            .unwrap()
    };
    assert_eq!(at("2026-11-29T12:00:00Z").status.code(), Some(0));
    assert_eq!(at("2026-11-29T12:10:00Z").status.code(), Some(0));
    assert_eq!(server.count("/alpha.xml"), 1, "not due after 10 minutes");
    assert_eq!(at("2026-11-29T12:31:00Z").status.code(), Some(0));
    assert_eq!(server.count("/alpha.xml"), 2, "due after 30 minutes");
    let named = run_in(dir.path(), &["run", "alpha"]);
    assert_eq!(named.status.code(), Some(0), "{}", stderr(&named));
    assert_eq!(
        server.count("/alpha.xml"),
        3,
        "a named source is read even when not due"
    );
    let unknown = run_in(dir.path(), &["run", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("nope"));
}

#[test]
fn forget_drops_a_sources_items() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("beta.atom"), ATOM).unwrap();
    write_config(
        dir.path(),
        "[[source]]\nid = \"beta\"\npath = \"beta.atom\"\n\n[[feed]]\nid = \"b\"\ntitle = \"B\"\nlink = \"https://x.test/\"\n",
    );
    assert_eq!(run_in(dir.path(), &["run"]).status.code(), Some(0));
    let out = run_in(dir.path(), &["forget", "beta"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(stdout(&out).contains("forgot 2"), "{}", stdout(&out));
    // Not modified on disk, but the validator was dropped too: read again.
    let again = run_in(dir.path(), &["run", "--force", "-v"]);
    assert!(
        stderr(&again).contains("1 source(s) read"),
        "{}",
        stderr(&again)
    );
}

#[test]
fn a_misspelt_key_is_a_config_error_with_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\nout_dir = \"out\"\n\n[[source]]\nid = \"a\"\nurll = \"https://a.test/feed\"\n",
    )
    .unwrap();
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
        7,
        "8 entries, the seed swap story merged across sources"
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
    // The committed out/ is the demo's output (golden files): every file the demo writes must
    // match it byte for byte. Refresh with FEEDWRIGHT_UPDATE_GOLDEN=1, never silently.
    let update = std::env::var_os("FEEDWRIGHT_UPDATE_GOLDEN").is_some();
    let mut compared = 0;
    for sub in ["", "sources"] {
        for entry in fs::read_dir(dir.path().join("out").join(sub))
            .unwrap()
            .flatten()
        {
            if entry.path().is_dir() {
                continue;
            }
            let golden = root.join("out").join(sub).join(entry.file_name());
            let ours = fs::read(entry.path()).unwrap();
            if update {
                fs::create_dir_all(golden.parent().unwrap()).unwrap();
                fs::write(&golden, &ours).unwrap();
            }
            let committed = fs::read(&golden).unwrap_or_default();
            assert!(
                committed == ours,
                "{} differs from the demo's output; if the change is intended, run \
                 FEEDWRIGHT_UPDATE_GOLDEN=1 cargo test --test e2e the_bundled_demo_runs_offline",
                golden.display()
            );
            compared += 1;
        }
    }
    assert!(compared >= 12, "{compared} files compared");
}

/// Regression: a same-story copy that arrives later with an earlier date must not replace the
/// survivor readers have already seen (which would show the story again under a new id).
#[test]
fn a_late_copy_of_a_story_does_not_replace_the_one_readers_saw() {
    let server = Server::start();
    let item = |title: &str, link: &str, date: &str| {
        format!("<item><title>{title}</title><link>{link}</link><pubDate>{date}</pubDate></item>")
    };
    let rss = |items: &str| {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><link>http://t.test/</link><description>d</description>{items}</channel></rss>"
        )
    };
    let story = "Storm closes the harbour bridge tonight";
    server.set(
        "/a.xml",
        Reply::ok(
            "application/rss+xml",
            rss(&item(
                story,
                "http://a.test/storm",
                "Thu, 26 Nov 2026 10:00:00 +0000",
            )),
        ),
    );
    server.set("/b.xml", Reply::ok("application/rss+xml", rss("")));
    let dir = tempfile::tempdir().unwrap();
    write_config(
        dir.path(),
        &format!(
            "[[source]]\nid = \"a\"\nurl = \"{}\"\n\n[[source]]\nid = \"b\"\nurl = \"{}\"\n\n[[feed]]\nid = \"all\"\ntitle = \"All\"\nlink = \"http://p.test/\"\n",
            server.url("/a.xml"),
            server.url("/b.xml")
        ),
    );
    let ids = |dir: &Path| -> Vec<String> {
        reparse(&dir.join("out/all.atom"))
            .entries
            .iter()
            .map(|e| e.id.clone())
            .collect()
    };
    assert_eq!(run_in(dir.path(), &["run"]).status.code(), Some(0));
    let first = ids(dir.path());
    assert_eq!(first, ["http://a.test/storm"]);
    // The same story from another source, dated a day earlier: by the plain rule it would win.
    server.set(
        "/b.xml",
        Reply::ok(
            "application/rss+xml",
            rss(&item(
                story,
                "http://b.test/storm-bridge",
                "Wed, 25 Nov 2026 12:00:00 +0000",
            )),
        ),
    );
    let second = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    assert_eq!(ids(dir.path()), first, "the story readers saw keeps its id");
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/all.json")).unwrap()).unwrap();
    assert_eq!(
        json["items"][0]["_feedwright"]["sources"],
        serde_json::json!(["a", "b"]),
        "the other source is recorded"
    );
}

/// Replace `name` in out/ by bytes of the same length with its old modification time: a change
/// only a rebuild can undo (and one the skip check cannot see), so whether a run rebuilt the
/// output shows in the file.
fn plant(out: &Path, name: &str) -> Vec<u8> {
    let path = out.join(name);
    let original = fs::read(&path).unwrap();
    let mtime = fs::metadata(&path).unwrap().modified().unwrap();
    let planted: Vec<u8> = original
        .iter()
        .map(|b| {
            if b.is_ascii_lowercase() {
                b.to_ascii_uppercase()
            } else {
                *b
            }
        })
        .collect();
    assert_ne!(planted, original);
    fs::write(&path, &planted).unwrap();
    fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
    planted
}

#[test]
fn outputs_are_rebuilt_only_when_their_inputs_change() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    fs::write(dir.path().join("beta.atom"), ATOM).unwrap();
    let config = |title: &str| {
        write_config(
            dir.path(),
            &format!(
                "[[source]]\nid = \"beta\"\npath = \"beta.atom\"\n\n[[feed]]\nid = \"b\"\n\
                 title = \"{title}\"\nlink = \"https://x.test/\"\nmax_age = \"30d\"\n"
            ),
        )
    };
    let run = |now: &str| {
        let o = run_in(dir.path(), &["run", "--force", "--now", now]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    };
    let read = |name: &str| fs::read(out.join(name)).unwrap();
    config("B");
    run("2026-11-26T00:00:00Z");
    let built = read("b.xml");
    assert!(String::from_utf8_lossy(&built).contains("Shared story"));

    // Nothing changed (the file source is not modified): nothing is rebuilt, not even checked.
    let planted = plant(&out, "b.xml");
    let planted_index = plant(&out, "index.html");
    run("2026-11-26T06:00:00Z");
    assert!(
        read("b.xml") == planted,
        "an unchanged output is not rebuilt"
    );
    assert!(read("index.html") == planted_index);

    // A file edited on disk (its modification time moved) is rebuilt…
    fs::File::options()
        .write(true)
        .open(out.join("b.xml"))
        .unwrap()
        .set_modified(std::time::SystemTime::now())
        .unwrap();
    run("2026-11-26T06:00:00Z");
    assert!(read("b.xml") == built);
    // …and so is a deleted one, with the rest of its output.
    plant(&out, "b.atom");
    fs::remove_file(out.join("b.json")).unwrap();
    run("2026-11-26T06:00:00Z");
    assert!(out.join("b.json").exists());
    assert!(String::from_utf8_lossy(&read("b.atom")).contains("Shared story"));

    // A config change rebuilds the output (and the index, which shows its title).
    plant(&out, "b.xml");
    config("Bee");
    run("2026-11-26T06:00:00Z");
    assert!(String::from_utf8_lossy(&read("b.xml")).contains("<title>Bee</title>"));
    assert!(String::from_utf8_lossy(&read("index.html")).contains("Bee"));

    // New items at the source rebuild it.
    fs::write(
        dir.path().join("beta.atom"),
        ATOM.replace("Beta only", "Beta renamed"),
    )
    .unwrap();
    run("2026-11-26T06:00:00Z");
    assert!(String::from_utf8_lossy(&read("b.xml")).contains("Beta renamed"));

    // Time alone: the shared story (23 Nov) passes the feed's 30-day max_age on 23 Dec, and
    // the output drops it although its source did not change.
    plant(&out, "b.xml");
    run("2026-12-23T00:00:00Z");
    assert!(String::from_utf8_lossy(&read("b.xml")).contains("Shared story"));
    assert!(
        !String::from_utf8_lossy(&read("b.xml")).contains("SHARED"),
        "rebuilt daily at least"
    );
    run("2026-12-23T12:00:00Z");
    let aged = String::from_utf8_lossy(&read("b.xml")).into_owned();
    assert!(!aged.contains("Shared story"), "{aged}");
    assert!(aged.contains("Beta renamed"));
}
