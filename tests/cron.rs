//! Issue 3's end-to-end evidence, through the real binary: a loopback server that misbehaves on
//! purpose while one source stays good; conditional GET that rewrites nothing; a source that
//! goes away (from the server, or from feeds.toml) and comes back; overlapping runs; `kill -9`
//! in the middle of a run; and quiet-for-cron reporting. Every run's clock is pinned with
//! `--now`; timeouts are short and nothing asserts on wall time (deadlines only guard hangs).

mod common;

use common::*;
use feedwright::state::State;
use std::collections::BTreeSet;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const T0: &str = "2026-11-29T12:00:00Z";

/// An RSS document for `channel` with `items` given as (slug, RFC 2822 date or "" for none).
/// Guids are absolute URLs, so they are the published ids.
fn rss(channel: &str, items: &[(&str, &str)]) -> String {
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>{channel}</title>\
         <link>http://{channel}.test/</link><description>{channel}</description>\n"
    );
    for (slug, date) in items {
        s.push_str(&format!(
            "<item><title>{channel} {slug}</title><link>http://{channel}.test/{slug}</link>\
             <guid>http://{channel}.test/{slug}</guid>"
        ));
        if !date.is_empty() {
            s.push_str(&format!("<pubDate>{date}</pubDate>"));
        }
        s.push_str("<description>text</description></item>\n");
    }
    s.push_str("</channel></rss>\n");
    s
}

const GOOD_1: &[(&str, &str)] = &[
    ("g1", "Mon, 23 Nov 2026 10:00:00 +0000"),
    ("g2", "Tue, 24 Nov 2026 10:00:00 +0000"),
];
const GOOD_2: &[(&str, &str)] = &[
    ("g1", "Mon, 23 Nov 2026 10:00:00 +0000"),
    ("g2", "Tue, 24 Nov 2026 10:00:00 +0000"),
    ("g3", "Sat, 28 Nov 2026 10:00:00 +0000"),
];
const BAD_ITEMS: &[(&str, &str)] = &[
    ("b1", "Wed, 25 Nov 2026 10:00:00 +0000"),
    ("b2", "Thu, 26 Nov 2026 10:00:00 +0000"),
];

/// A project and server with test-friendly politeness (short timeouts) and a base URL; its
/// feeds.toml merges every source into one feed `all`.
fn site() -> Site {
    Site::new().with_settings(
        "timeout = \"5s\"\nconnect_timeout = \"2s\"\nbase_url = \"https://planet.test/\"",
    )
}

/// The standard pair: `good` ([`GOOD_1`]) at /good.xml, `bad` ([`BAD_ITEMS`]) at /bad.xml with
/// `bad_extra` keys.
fn good_and_bad(bad_extra: &str) -> Site {
    let site = site();
    site.serve_rss("/good.xml", rss("good", GOOD_1));
    site.serve_rss("/bad.xml", rss("bad", BAD_ITEMS));
    site.config(&format!(
        "{}\n{}",
        source("good", &site.url("/good.xml"), ""),
        source("bad", &site.url("/bad.xml"), bad_extra)
    ));
    site
}

impl Site {
    /// `feedwright run <args>` with the clock at `now`.
    fn run_at(&self, now: &str, args: &[&str]) -> Output {
        let mut all = vec!["run", "--now", now];
        all.extend_from_slice(args);
        self.run(&all)
    }

    /// [`Site::run_at`], which must exit 0.
    fn run_at_ok(&self, now: &str, args: &[&str]) -> Output {
        let out = self.run_at(now, args);
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
        out
    }

    /// `feedwright run <args>` with the clock at `now` (only), not yet run.
    fn command(&self, now: &str, args: &[&str]) -> Command {
        let mut all = vec!["run", "--now", now];
        all.extend_from_slice(args);
        let mut cmd = command_in(self.path(), &all);
        cmd.env_remove("FEEDWRIGHT_NOW");
        cmd
    }

    fn state(&self) -> PathBuf {
        self.path().join("feedwright.db")
    }

    fn status_json(&self) -> serde_json::Value {
        serde_json::from_slice(&fs::read(self.path().join("status.json")).unwrap()).unwrap()
    }

    fn source_status(&self, id: &str) -> serde_json::Value {
        self.status_json()["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == id)
            .unwrap_or_else(|| panic!("no `{id}` in status.json"))
            .clone()
    }
}

/// (id, title, date) of one published entry.
type Entry = (String, String, String);

/// Re-read `all` in every format (strict XML for RSS and Atom, feed-rs for all three), check
/// that the formats agree and hold no duplicate ids, and return the Atom entries.
fn published(site: &Site) -> Vec<Entry> {
    let mut per_format = Vec::new();
    for ext in ["xml", "atom", "json"] {
        let path = site.out(&format!("all.{ext}"));
        if ext != "json" {
            strict_xml(&path);
        }
        let feed = reparse(&path);
        let entries: Vec<Entry> = feed
            .entries
            .iter()
            .map(|e| {
                (
                    e.id.clone(),
                    e.title
                        .as_ref()
                        .map(|t| t.content.clone())
                        .unwrap_or_default(),
                    e.published
                        .or(e.updated)
                        .map(|d| d.to_rfc3339())
                        .unwrap_or_default(),
                )
            })
            .collect();
        let ids: BTreeSet<&String> = entries.iter().map(|e| &e.0).collect();
        assert_eq!(ids.len(), entries.len(), "{ext}: duplicate ids {entries:?}");
        per_format.push(entries);
    }
    let titles = |v: &Vec<Entry>| v.iter().map(|e| e.1.clone()).collect::<Vec<_>>();
    assert_eq!(
        titles(&per_format[0]),
        titles(&per_format[1]),
        "rss vs atom"
    );
    assert_eq!(
        titles(&per_format[1]),
        titles(&per_format[2]),
        "atom vs json"
    );
    per_format.swap_remove(1)
}

fn titles(entries: &[Entry]) -> BTreeSet<String> {
    entries.iter().map(|e| e.1.clone()).collect()
}

fn set(titles: &[&str]) -> BTreeSet<String> {
    titles.iter().map(|t| t.to_string()).collect()
}

/// The state file opens (migrations, WAL) and still answers.
fn state_opens(site: &Site) {
    let state = State::open(&site.state()).expect("state file opens");
    state.all_health().expect("state answers");
}

fn no_temp_files(dir: &Path) {
    let left: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".feedwright-tmp-"))
        .collect();
    assert!(
        left.is_empty(),
        "temp files left in {}: {left:?}",
        dir.display()
    );
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>, std::time::SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let meta = e.metadata().unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                fs::read(e.path()).unwrap(),
                meta.modified().unwrap(),
            )
        })
        .collect();
    files.sort_by(|a, b| a.0.cmp(&b.0));
    files
}

/// Wait for a child with a generous deadline (a guard against hangs); kill it on expiry.
fn wait_output(mut child: std::process::Child, limit: Duration) -> Output {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if child.try_wait().unwrap().is_some() {
            return child.wait_with_output().unwrap();
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let _ = child.kill();
    let out = child.wait_with_output().unwrap();
    panic!(
        "process did not finish within {limit:?}; stderr: {}",
        stderr(&out)
    );
}

// ------------------------------------------------------------------ 1. misbehaving servers

/// One case of the matrix: a first good run of `good` and `bad`; then `good` gains an item and
/// `misbehave` breaks `bad`; a forced run must exit 1, publish good's new item, keep bad's old
/// items, name the source, its URL and `what` on stderr, and leave the state intact.
fn misbehaving_case(bad_extra: &str, misbehave: impl FnOnce(&Server), what: &[&str]) -> Site {
    let site = good_and_bad(bad_extra);
    site.run_at_ok(T0, &[]);
    let before = published(&site);
    assert_eq!(before.len(), 4, "{before:?}");

    site.serve_rss("/good.xml", rss("good", GOOD_2));
    misbehave(&site.server);
    let out = site.run_at("2026-11-29T13:00:00Z", &["--force"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "stderr: {err}");
    assert_eq!(stdout(&out), "", "nothing on stdout");
    let line = err
        .lines()
        .find(|l| l.contains("`bad`"))
        .unwrap_or_else(|| panic!("no line names the source: {err}"));
    assert!(
        line.contains(&site.server.url("/bad.xml")),
        "the URL is named: {line}"
    );
    for w in what {
        assert!(line.contains(w), "says what happened ({w:?}): {line}");
    }
    assert!(
        line.contains("stored items stay published"),
        "says its items stay: {line}"
    );
    assert!(
        !err.contains("`good`"),
        "the good source is not blamed: {err}"
    );
    let after = published(&site);
    assert_eq!(
        titles(&after),
        set(&["good g1", "good g2", "good g3", "bad b1", "bad b2"]),
        "good's new item published, bad's old items kept"
    );
    for old in &before {
        assert!(after.contains(old), "{old:?} unchanged (id, title, date)");
    }
    state_opens(&site);
    let status = site.source_status("bad");
    assert_eq!(status["consecutive_failures"], 1, "{status}");
    assert_eq!(status["location"], site.server.url("/bad.xml"), "{status}");
    assert!(
        status["last_error"]
            .as_str()
            .is_some_and(|e| e.contains(what[0])),
        "the failure is recorded: {status}"
    );
    no_temp_files(&site.path().join("out"));
    site
}

#[test]
fn server_errors_500() {
    misbehaving_case(
        "",
        |s| s.set("/bad.xml", Reply::status(500)),
        &["HTTP 500", "server error"],
    );
}

#[test]
fn a_response_slower_than_the_timeout() {
    misbehaving_case(
        "timeout = \"1s\"",
        |s| s.act("/bad.xml", Act::DelayHead(Duration::from_secs(4))),
        &["timeout", "1s"],
    );
}

#[test]
fn a_body_that_stalls_halfway() {
    misbehaving_case(
        "timeout = \"1s\"",
        |s| {
            s.set(
                "/bad.xml",
                Reply::ok("application/rss+xml", rss("bad", BAD_ITEMS).repeat(20)),
            );
            s.act("/bad.xml", Act::StallHalfway(Duration::from_secs(4)));
        },
        &["timeout"],
    );
}

#[test]
fn a_truncated_gzip_stream() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(rss("bad", BAD_ITEMS).as_bytes()).unwrap();
    let whole = gz.finish().unwrap();
    let cut = whole[..whole.len() * 2 / 3].to_vec();
    misbehaving_case(
        "",
        move |s| {
            s.set(
                "/bad.xml",
                Reply::ok("application/rss+xml", cut).with_header("Content-Encoding", "gzip"),
            )
        },
        &["cut off", "nothing of it was used"],
    );
}

#[test]
fn a_redirect_loop() {
    misbehaving_case(
        "",
        |s| {
            s.set("/bad.xml", Reply::redirect(302, "/bad-next.xml"));
            s.set("/bad-next.xml", Reply::redirect(301, "/bad.xml"));
        },
        &["redirects in a loop"],
    );
}

#[test]
fn a_declared_10_gib_body() {
    let site = misbehaving_case(
        "max_body_size = \"64KiB\"",
        |s| s.act("/bad.xml", Act::DeclaredLength(10 << 30)),
        &["larger than the 65536-byte limit"],
    );
    assert_eq!(site.server.count("/bad.xml"), 2, "refused, not retried");
}

#[test]
fn an_endless_body() {
    let site = misbehaving_case(
        "max_body_size = \"64KiB\"",
        |s| s.act("/bad.xml", Act::Endless),
        &["larger than the 65536-byte limit"],
    );
    // The server notices the hang-up (a deadline only guards against a hang).
    let deadline = Instant::now() + Duration::from_secs(20);
    while site.server.bytes_sent("/bad.xml") == 0 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let sent = site.server.bytes_sent("/bad.xml");
    assert!(sent > 0 && sent < 256 << 20, "server wrote {sent} bytes");
}

#[test]
fn an_html_error_page_served_with_200() {
    misbehaving_case(
        "",
        |s| {
            s.set(
                "/bad.xml",
                Reply::ok(
                    "text/html; charset=utf-8",
                    "<!DOCTYPE html><html><head><title>Oops</title></head>\
                     <body><h1>Something went wrong</h1><p>Try again later.</p></body></html>",
                ),
            )
        },
        &["not a feed", "HTML page"],
    );
}

#[test]
fn a_429_with_a_long_retry_after_sets_the_next_due_time() {
    // Two hours: longer than the one-hour backoff a plain failure would get, so the due time
    // below can only come from Retry-After.
    let site = misbehaving_case(
        "",
        |s| {
            s.set(
                "/bad.xml",
                Reply::status(429).with_header("Retry-After", "7200"),
            )
        },
        &["Retry-After", "2026-11-29 15:00:00"],
    );
    assert_eq!(site.server.count("/bad.xml"), 2, "not slept and repeated");
    assert_eq!(
        site.source_status("bad")["next_due"],
        "2026-11-29T15:00:00Z"
    );
    site.serve_rss("/bad.xml", rss("bad", BAD_ITEMS));
    // 90 minutes later, without --force: good is due again (1 h interval), bad is not.
    site.run_at_ok("2026-11-29T14:30:00Z", &[]);
    assert_eq!(site.server.count("/good.xml"), 3, "good was due");
    assert_eq!(
        site.server.count("/bad.xml"),
        2,
        "bad not requested before 15:00"
    );
    // Past the Retry-After time it is asked again, and recovers.
    let later = site.run_at_ok("2026-11-29T15:01:00Z", &[]);
    assert_eq!(site.server.count("/bad.xml"), 3);
    assert!(stderr(&later).contains("recovered"), "{}", stderr(&later));
    assert_eq!(published(&site).len(), 5);
    state_opens(&site);
}

/// Charsets. The issue lists the HTTP header first in its order of trust, but a header that the
/// bytes prove wrong must not win, or a correct document is turned into mojibake:
/// - bytes that are valid UTF-8 (and non-ASCII) are read as UTF-8 whatever the header says —
///   Latin-1 text with accented letters is practically never valid UTF-8, so the bytes are
///   the stronger evidence;
/// - a UTF-8 BOM beats the header;
/// - a header saying UTF-8 on bytes that are not UTF-8 is ignored in favour of the XML
///   declaration (`encoding="iso-8859-1"`).
///
/// In each case the titles come out right and the run exits 0 (the document is fine).
#[test]
fn a_wrong_charset_header_does_not_garble_titles() {
    let site = site();
    let utf8_doc = rss("u", &[("x", "Mon, 23 Nov 2026 10:00:00 +0000")])
        .replace("<title>u x</title>", "<title>Café déjà vu – ½</title>");
    let mut bom_doc = vec![0xEF, 0xBB, 0xBF];
    bom_doc.extend_from_slice(
        rss("m", &[("x", "Mon, 23 Nov 2026 11:00:00 +0000")])
            .replace("<title>m x</title>", "<title>Ångström Straße</title>")
            .as_bytes(),
    );
    // windows-1252 / ISO-8859-1 bytes (é = 0xE9, ü = 0xFC), declared in the XML declaration.
    let latin_text = rss("l", &[("x", "Mon, 23 Nov 2026 12:00:00 +0000")])
        .replace("encoding=\"utf-8\"", "encoding=\"iso-8859-1\"")
        .replace("<title>l x</title>", "<title>Résumé für Jürgen</title>");
    let latin_doc: Vec<u8> = latin_text
        .chars()
        .map(|c| u8::try_from(u32::from(c)).expect("latin-1"))
        .collect();
    site.server.set(
        "/utf8.xml",
        Reply::ok("application/rss+xml; charset=iso-8859-1", utf8_doc),
    );
    site.server.set(
        "/bom.xml",
        Reply::ok("application/rss+xml; charset=iso-8859-1", bom_doc),
    );
    site.server.set(
        "/latin.xml",
        Reply::ok("application/rss+xml; charset=utf-8", latin_doc),
    );
    site.config(&site.sources(&[
        ("utf8", "/utf8.xml"),
        ("bom", "/bom.xml"),
        ("latin", "/latin.xml"),
    ]));
    site.run_at_ok(T0, &[]);
    assert_eq!(
        titles(&published(&site)),
        set(&["Café déjà vu – ½", "Ångström Straße", "Résumé für Jürgen"])
    );
    state_opens(&site);
}

// ------------------------------------------------------------------ 2. conditional GET

#[test]
fn an_unchanged_server_gets_only_304s_and_out_is_untouched() {
    let site = site();
    site.server.set(
        "/a.xml",
        Reply::ok("application/rss+xml", rss("a", GOOD_1)).with_header("ETag", "\"a-v1\""),
    );
    site.server.set(
        "/b.xml",
        Reply::ok("application/rss+xml", rss("b", BAD_ITEMS))
            .with_header("Last-Modified", "Thu, 26 Nov 2026 10:00:00 GMT"),
    );
    site.server.act("/a.xml", Act::Conditional);
    site.server.act("/b.xml", Act::Conditional);
    site.config(&site.sources(&[("a", "/a.xml"), ("b", "/b.xml")]));
    site.run_at_ok(T0, &[]);
    let out_dir = site.path().join("out");
    let before = snapshot(&out_dir);
    assert!(
        before.iter().any(|f| f.0 == "all.atom"),
        "{:?}",
        before.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    std::thread::sleep(Duration::from_millis(50));

    let second = site.run_at("2026-11-29T18:00:00Z", &["--force", "-v"]);
    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(0), "{err}");
    assert!(
        err.contains("0 source(s) read, 2 not modified") && err.contains("0 file(s) written"),
        "{err}"
    );
    let a = site.server.requests_for("/a.xml");
    let b = site.server.requests_for("/b.xml");
    assert_eq!((a.len(), b.len()), (2, 2), "one request per run each");
    assert_eq!(
        a[1].headers.get("if-none-match").map(String::as_str),
        Some("\"a-v1\"")
    );
    assert_eq!(
        b[1].headers.get("if-modified-since").map(String::as_str),
        Some("Thu, 26 Nov 2026 10:00:00 GMT")
    );
    assert!(!a[0].headers.contains_key("if-none-match"));
    assert_eq!(snapshot(&out_dir), before, "same names, bytes and mtimes");
    assert_eq!(published(&site).len(), 4);
    state_opens(&site);
}

// ------------------------------------------------------------------ 3. a source goes away

#[test]
fn a_source_gone_from_the_server_for_three_runs_keeps_its_items_and_returns_unchanged() {
    let site = site();
    // One item without a date: its date is its first-seen time, which must survive too.
    let beta = |extra: bool| {
        let mut items = vec![("b1", "Wed, 25 Nov 2026 10:00:00 +0000"), ("undated", "")];
        if extra {
            items.push(("b3", "Mon, 30 Nov 2026 09:00:00 +0000"));
        }
        rss("beta", &items)
    };
    site.serve_rss("/alpha.xml", rss("alpha", GOOD_1));
    site.serve_rss("/beta.xml", beta(false));
    site.config(&site.sources(&[("alpha", "/alpha.xml"), ("beta", "/beta.xml")]));
    site.run_at_ok(T0, &[]);
    let before = published(&site);
    assert_eq!(before.len(), 4);
    let undated = before.iter().find(|e| e.1 == "beta undated").unwrap();
    assert_eq!(
        undated.2, "2026-11-29T12:00:00+00:00",
        "dated by first sight"
    );

    // Gone three different ways on three days.
    site.server.remove("/beta.xml");
    site.server.sequence(
        "/beta.xml",
        vec![Reply::status(404), Reply::status(410), Reply::status(404)],
    );
    for (day, now) in [
        "2026-11-30T12:00:00Z",
        "2026-12-01T12:00:00Z",
        "2026-12-02T12:00:00Z",
    ]
    .iter()
    .enumerate()
    {
        let out = site.run_at(now, &["--force"]);
        assert_eq!(out.status.code(), Some(1), "day {day}: {}", stderr(&out));
        assert_eq!(
            published(&site),
            before,
            "day {day}: beta's items stay as they were"
        );
    }
    site.serve_rss("/beta.xml", beta(true));
    let back = site.run_at_ok("2026-12-03T12:00:00Z", &["--force"]);
    assert!(stderr(&back).contains("recovered"), "{}", stderr(&back));
    let after = published(&site);
    for old in &before {
        assert!(
            after.contains(old),
            "{old:?} kept its id and date: {after:?}"
        );
    }
    assert_eq!(
        after.len(),
        5,
        "one new item, nothing duplicated: {after:?}"
    );
    state_opens(&site);
}

#[test]
fn a_source_removed_from_feeds_toml_leaves_the_outputs_and_returns_unchanged() {
    let site = site();
    site.serve_rss("/alpha.xml", rss("alpha", GOOD_1));
    site.server.set(
        "/beta.xml",
        Reply::ok(
            "application/rss+xml",
            rss(
                "beta",
                &[("b1", "Wed, 25 Nov 2026 10:00:00 +0000"), ("undated", "")],
            ),
        ),
    );
    let alpha = site.sources(&[("alpha", "/alpha.xml")]);
    let both = site.sources(&[("alpha", "/alpha.xml"), ("beta", "/beta.xml")]);
    site.config(&both);
    site.run_at_ok(T0, &[]);
    let before = published(&site);
    assert_eq!(before.len(), 4);

    site.config(&alpha);
    site.run_at_ok("2026-11-30T12:00:00Z", &["--force"]);
    assert_eq!(
        titles(&published(&site)),
        set(&["alpha g1", "alpha g2"]),
        "beta's items leave the outputs"
    );
    assert_eq!(site.server.count("/beta.xml"), 1, "beta is not read");

    site.config(&both);
    site.run_at_ok("2026-12-01T12:00:00Z", &["--force"]);
    assert_eq!(
        published(&site),
        before,
        "same ids and dates (the undated one keeps its first-seen date), nothing duplicated"
    );
    state_opens(&site);
}

// ------------------------------------------------------------------ 4. overlapping runs

#[test]
fn an_overlapping_run_exits_at_once_naming_the_holder() {
    let site = site();
    let gate = Gate::new();
    site.serve_rss("/alpha.xml", rss("alpha", GOOD_1));
    site.server.act("/alpha.xml", Act::Gate(gate.clone()));
    site.config(&site.sources(&[("alpha", "/alpha.xml")]));
    let holder = site
        .command(T0, &[])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let holder_pid = holder.id();
    let seen = site
        .server
        .wait_for("/alpha.xml", 1, Duration::from_secs(30));
    if !seen {
        gate.open();
        panic!("the first run never reached the server");
    }
    // The first run holds the lock and waits on the gate: the second must not wait for it.
    let second = site
        .command(T0, &["--force"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let second = wait_output(second, Duration::from_secs(30));
    gate.open();
    let first = wait_output(holder, Duration::from_secs(60));

    let err = stderr(&second);
    assert_eq!(second.status.code(), Some(0), "{err}");
    assert_eq!(stdout(&second), "");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(err.contains(&format!("pid {holder_pid}")), "{err}");
    assert_eq!(
        site.server.count("/alpha.xml"),
        1,
        "the second run fetched nothing"
    );

    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(stderr(&first), "");
    assert_eq!(titles(&published(&site)), set(&["alpha g1", "alpha g2"]));
    state_opens(&site);
    // The lock is free again.
    let again = site.run_at_ok("2026-11-29T13:00:00Z", &[]);
    assert_eq!(stderr(&again), "");
}

// ------------------------------------------------------------------ 5. kill -9

#[test]
fn kill_9_mid_run_leaves_nothing_broken() {
    let site = good_and_bad("timeout = \"60s\"");
    site.run_at_ok(T0, &[]);
    let out_dir = site.path().join("out");
    let before = snapshot(&out_dir);

    site.serve_rss("/good.xml", rss("good", GOOD_2));
    site.server.act("/bad.xml", Act::HangUntilDropped);
    let mut child = site
        .command("2026-11-29T13:00:00Z", &["--force"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let seen = site.server.wait_for("/bad.xml", 2, Duration::from_secs(30));
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(seen, "the run never reached the stalling fixture");
    assert_eq!(status.code(), None, "killed by a signal");
    {
        use std::os::unix::process::ExitStatusExt;
        assert_eq!(status.signal(), Some(9));
    }
    assert_eq!(
        snapshot(&out_dir),
        before,
        "out/ untouched by the killed run"
    );
    state_opens(&site);
    // A temp file as a run killed while writing would leave one: the next run sweeps it.
    fs::write(out_dir.join(".feedwright-tmp-killed"), b"<rss><chan").unwrap();

    site.server.clear_act("/bad.xml");
    site.run_at_ok("2026-11-29T13:05:00Z", &["--force"]);
    no_temp_files(&out_dir);
    state_opens(&site);
    assert_eq!(
        titles(&published(&site)),
        set(&["good g1", "good g2", "good g3", "bad b1", "bad b2"])
    );

    let python = std::env::var_os("HOME")
        .map(|h| Path::new(&h).join(".cache/feed-judges/venv/bin/python"))
        .filter(|p| p.exists());
    // `../shared` beside the project, or (from a git worktree deeper down) beside an ancestor.
    let judge = shared_dir()
        .map(|d| d.join("judges/judge.sh"))
        .filter(|j| j.exists())
        .or_else(|| {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|a| a.join("shared/judges/judge.sh"))
                .find(|j| j.exists())
        });
    match (python, judge) {
        (Some(_), Some(judge)) if judge.exists() => {
            let files: Vec<PathBuf> = ["all.xml", "all.atom", "all.json"]
                .iter()
                .map(|f| out_dir.join(f))
                .collect();
            let out = Command::new("bash")
                .arg(&judge)
                .args(&files)
                .output()
                .unwrap();
            let text = format!("{}{}", stdout(&out), stderr(&out));
            assert_eq!(out.status.code(), Some(0), "judges:\n{text}");
            assert!(text.contains("fetchtime-dates=0"), "{text}");
            for line in text.lines().filter(|l| l.contains("fetchtime-dates=")) {
                assert!(line.contains("fetchtime-dates=0"), "{line}");
            }
        }
        _ => eprintln!(
            "skipping the judges: ~/.cache/feed-judges/venv/bin/python or ../shared/judges/judge.sh missing (run ../shared/judges/install.sh)"
        ),
    }
}

// ------------------------------------------------------------------ 6. quiet for cron

#[test]
fn quiet_for_cron_reports_a_failing_source_on_change_and_daily() {
    let site = good_and_bad("");

    let clean = site.run_at(T0, &[]);
    assert_eq!(clean.status.code(), Some(0));
    assert_eq!(stdout(&clean), "", "nothing on stdout");
    assert_eq!(stderr(&clean), "", "nothing on stderr");
    let verbose = site.run_at("2026-11-29T12:30:00Z", &["--force", "-v"]);
    assert_eq!(verbose.status.code(), Some(0));
    assert_eq!(stdout(&verbose), "");
    let verbose_err = stderr(&verbose);
    let lines: Vec<&str> = verbose_err.lines().collect();
    assert_eq!(lines.len(), 1, "one summary line with -v: {lines:?}");
    assert!(lines[0].contains("source(s) read"), "{lines:?}");

    site.server.set("/bad.xml", Reply::status(503));
    let url = site.server.url("/bad.xml");
    let hours = [
        "2026-11-29T13:00:00Z",
        "2026-11-29T14:00:00Z",
        "2026-11-29T15:00:00Z",
    ];
    for (n, now) in hours.iter().enumerate() {
        let out = site.run_at(now, &["--force"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "run {n}: {err}");
        assert_eq!(stdout(&out), "", "run {n}");
        if n == 0 {
            assert!(
                err.contains("`bad`") && err.contains(&url) && err.contains("HTTP 503"),
                "reported when it starts failing: {err}"
            );
        } else {
            assert_eq!(err, "", "run {n}: not reported again within a day");
        }
        let status = site.source_status("bad");
        assert_eq!(status["consecutive_failures"], n + 1, "{status}");
        assert!(
            status["last_error"].as_str().unwrap().contains("HTTP 503"),
            "{status}"
        );
        assert_eq!(status["last_error_at"], now.to_string(), "{status}");
    }
    // A day after the first report: reported once more, with the count.
    let day_later = site.run_at("2026-11-30T13:00:00Z", &["--force"]);
    let err = stderr(&day_later);
    assert_eq!(day_later.status.code(), Some(1), "{err}");
    assert!(
        err.contains("`bad`") && err.contains(&url) && err.contains("4 failures in a row"),
        "{err}"
    );
    let same_day = site.run_at("2026-11-30T14:00:00Z", &["--force"]);
    assert_eq!(same_day.status.code(), Some(1));
    assert_eq!(stderr(&same_day), "", "and then quiet again");
    // Recovery is reported.
    site.serve_rss("/bad.xml", rss("bad", BAD_ITEMS));
    let recovered = site.run_at("2026-11-30T15:00:00Z", &["--force"]);
    let err = stderr(&recovered);
    assert_eq!(recovered.status.code(), Some(0), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("`bad`") && err.contains("recovered"), "{err}");
    assert_eq!(site.source_status("bad")["consecutive_failures"], 0);
    let quiet_again = site.run_at("2026-11-30T16:00:00Z", &["--force"]);
    assert_eq!(stderr(&quiet_again), "");
    assert_eq!(published(&site).len(), 4);
    state_opens(&site);
}

// ------------------------------------------------------------------ 7. robots.txt across runs

/// A list page of one post, read with selectors (html sources consult robots.txt), and
/// `robots` at /robots.txt.
fn list_site(robots: Reply) -> Site {
    let site = site();
    site.server.set("/robots.txt", robots);
    site.server.set(
        "/news/",
        Reply::ok(
            "text/html",
            "<html><body><article class=\"post\"><h2><a href=\"/news/1\">The first notice of the \
             season</a></h2><time datetime=\"2026-11-20T09:00:00Z\">20 Nov</time></article>\
             </body></html>",
        ),
    );
    site.config(&format!(
        "[[source]]\nid = \"news\"\nurl = \"{}\"\nkind = \"html\"\n[source.selectors]\n\
         item = \"article.post\"\ntitle = \"h2 a\"\ndate = {{ selector = \"time\", attr = \"datetime\" }}\n",
        site.server.url("/news/")
    ));
    site
}

#[test]
fn robots_txt_is_kept_between_runs_and_rechecked_when_stale() {
    let site = list_site(
        Reply::ok("text/plain", "User-agent: *\nDisallow: /private/\n")
            .with_header("ETag", "\"r1\""),
    );
    site.server.act("/robots.txt", Act::Conditional);
    let run = |now: &str, want: i32| {
        let out = site.run_at(now, &["--force"]);
        assert_eq!(out.status.code(), Some(want), "{now}: {}", stderr(&out));
        out
    };
    run(T0, 0);
    assert_eq!(site.server.count("/robots.txt"), 1);
    // Two hours later: robots.txt comes from the state, the page is asked for again.
    run("2026-11-29T14:00:00Z", 0);
    assert_eq!(
        site.server.count("/robots.txt"),
        1,
        "no request while fresh"
    );
    assert_eq!(site.server.count("/news/"), 2);
    // A day later it is stale: re-checked with its validator; the 304 keeps it another day.
    run("2026-11-30T13:00:00Z", 0);
    let asked = site.server.requests_for("/robots.txt");
    assert_eq!(asked.len(), 2);
    assert_eq!(
        asked[1].headers.get("if-none-match").map(String::as_str),
        Some("\"r1\"")
    );
    run("2026-11-30T20:00:00Z", 0);
    assert_eq!(
        site.server.count("/robots.txt"),
        2,
        "the 304 made it fresh again"
    );

    // The site now shuts us out: honoured once the stored copy is stale.
    site.server.set(
        "/robots.txt",
        Reply::ok("text/plain", "User-agent: *\nDisallow: /news/\n").with_header("ETag", "\"r2\""),
    );
    run("2026-11-30T22:00:00Z", 0);
    assert_eq!(
        site.server.count("/news/"),
        5,
        "still fresh: the old rules apply"
    );
    let refused = run("2026-12-01T14:00:00Z", 1);
    assert!(stderr(&refused).contains("robots"), "{}", stderr(&refused));
    assert_eq!(site.server.count("/robots.txt"), 3);
    assert_eq!(site.server.count("/news/"), 5, "the page is not fetched");
    // The stored items stay published.
    assert_eq!(published(&site).len(), 1);
}

/// A run keeps a host's connection open while it expects to ask that host for more (the page
/// after robots.txt, the next list page, the next source of the host) and asks for
/// `Connection: close` on the last request it expects to make there, so that a run over
/// hundreds of hosts does not hold one idle connection per host until it ends.
#[test]
fn the_last_request_a_run_makes_to_a_host_closes_its_connection() {
    let site = site();
    site.server.set(
        "/robots.txt",
        Reply::ok("text/plain", "User-agent: *\nAllow: /\n"),
    );
    let page = |title: &str, next: &str| {
        Reply::ok(
            "text/html",
            format!(
                "<html><body><article class=\"post\"><h2><a href=\"/{title}\">{title} post</a>\
                 </h2><time datetime=\"2026-11-20T09:00:00Z\">20 Nov</time></article>{next}\
                 </body></html>"
            ),
        )
        .with_header("ETag", &format!("\"{title}\""))
    };
    site.server.set("/a/", page("a", ""));
    site.server.set(
        "/b/",
        page("b", "<a class=\"next\" href=\"/b/2\">Older</a>"),
    );
    site.server.set("/b/2", page("b2", ""));
    for path in ["/a/", "/b/", "/b/2"] {
        site.server.act(path, Act::Conditional);
    }
    let selectors = "[source.selectors]\nitem = \"article.post\"\ntitle = \"h2 a\"\n\
                     date = { selector = \"time\", attr = \"datetime\" }\n\
                     next_page = { selector = \"a.next\", attr = \"href\" }\n";
    site.config(&format!(
        "{}{selectors}\n{}max_pages = 2\n{selectors}",
        source("a", &site.server.url("/a/"), "kind = \"html\""),
        source("b", &site.server.url("/b/"), "kind = \"html\""),
    ));
    // (Whether a kept connection is then reused is up to the client's pool: a request made
    // before the previous one's connection is back in the pool opens another. Not asserted.)
    let closes = |since: usize| -> Vec<(String, bool)> {
        site.server.requests()[since..]
            .iter()
            .map(|r| {
                let close = r.headers.get("connection").is_some_and(|v| v == "close");
                (r.path.clone(), close)
            })
            .collect()
    };

    let out = site.run_at(T0, &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let first = closes(0);
    let paths: Vec<(&str, bool)> = first.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    assert_eq!(
        paths,
        [
            ("/robots.txt", false),
            // b follows on this host
            ("/a/", false),
            // its second page may follow
            ("/b/", false),
            // the last page b may read
            ("/b/2", true),
        ]
    );

    // Unchanged: a 304 ends a read, so b's conditional first page is its last request.
    let before = site.server.requests().len();
    let out = site.run_at("2026-11-29T14:00:00Z", &["--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let second = closes(before);
    assert_eq!(
        second,
        [("/a/".to_string(), false), ("/b/".to_string(), true)]
    );
}

#[test]
fn robots_txt_cache_control_sets_how_long_it_is_kept() {
    let site = list_site(
        Reply::ok("text/plain", "User-agent: *\nAllow: /\n")
            .with_header("Cache-Control", "max-age=7200"),
    );
    for now in [T0, "2026-11-29T13:30:00Z"] {
        site.run_at_ok(now, &["--force"]);
    }
    assert_eq!(site.server.count("/robots.txt"), 1, "fresh for two hours");
    site.run_at_ok("2026-11-29T14:30:00Z", &["--force"]);
    assert_eq!(site.server.count("/robots.txt"), 2, "stale after two hours");
    // Without validators the re-check is a plain GET.
    assert!(
        !site.server.requests_for("/robots.txt")[1]
            .headers
            .contains_key("if-none-match")
    );
}
