//! `-vv` phase timings of a run (README "Logs and progress"), and what a run leaves behind now
//! that its end is quick (the runtime is not waited for, the config not taken apart): the
//! state closed and readable, the lock free for the next run.

mod common;

use common::*;
use std::fs;

const FEED: &str = "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>A</title><link>http://a.test/</link><description>d</description>\n<item><title>One</title><link>http://a.test/1</link><guid isPermaLink=\"false\">1</guid><pubDate>Mon, 23 Nov 2026 10:00:00 +0000</pubDate></item>\n</channel></rss>\n";

fn site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("a.xml"), FEED).unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        "[[source]]\nid = \"a\"\npath = \"a.xml\"\n\n[[feed]]\nid = \"all\"\ntitle = \"All\"\nlink = \"https://x.test/\"\n",
    )
    .unwrap();
    dir
}

/// The phases logged by a run, in order, each with its milliseconds.
fn phases(log: &str) -> Vec<(String, f64)> {
    log.lines()
        .filter_map(|line| {
            let rest = line.split_once("phase ")?.1;
            let (name, ms) = rest.split_once(": ")?;
            let ms: f64 = ms.strip_suffix(" ms")?.parse().ok()?;
            Some((name.to_owned(), ms))
        })
        .collect()
}

#[test]
fn very_verbose_runs_log_each_phase_once_in_order() {
    let dir = site();
    let out = run_in(dir.path(), &["-vv", "run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let logged = phases(&stderr(&out));
    let names: Vec<&str> = logged.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "config",
            "start",
            "reading",
            "publishing",
            "status",
            "closing",
            "shutdown"
        ],
        "{}",
        stderr(&out)
    );
    assert!(logged.iter().all(|(_, ms)| *ms >= 0.0));

    // `check` loads the config too.
    let out = run_in(dir.path(), &["-vv", "check"]);
    let logged = phases(&stderr(&out));
    assert_eq!(logged.len(), 1, "{}", stderr(&out));
    assert_eq!(logged[0].0, "config");
}

#[test]
fn phases_are_debug_lines_only() {
    let dir = site();
    for args in [&["-v", "run"][..], &["run"], &["-q", "run", "--force"]] {
        let out = run_in(dir.path(), args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(
            phases(&stderr(&out)).is_empty(),
            "{args:?}: {}",
            stderr(&out)
        );
    }
}

#[test]
fn a_run_leaves_the_state_closed_and_the_lock_free() {
    let dir = site();
    let first = run_in(dir.path(), &["run"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let written = fs::read(dir.path().join("out/all.xml")).unwrap();

    // Right after: the lock is free, the state holds the item, and a forced run finds
    // nothing new and rewrites nothing.
    let again = run_in(dir.path(), &["-v", "run", "--force"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    let log = stderr(&again);
    assert!(!log.contains("holds"), "{log}");
    assert!(log.contains(" 0 new item(s)"), "{log}");
    assert!(log.contains("0 file(s) written"), "{log}");
    assert_eq!(fs::read(dir.path().join("out/all.xml")).unwrap(), written);

    let status = run_in(dir.path(), &["status", "--json"]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&status)).unwrap();
    assert_eq!(v["sources"][0]["id"], "a", "{v}");
    assert_eq!(v["sources"][0]["items_total"], 1, "{v}");
}
