//! The silent failure of html sources, through the real binary: a site redesign that leaves
//! the items but empties a field (its date selector stops matching) still reads "fine" —
//! `status` must say which selector stopped matching and exit 1; the run says it once on
//! stderr; the warning goes away when the selector matches again.

mod common;

use common::*;
use std::fs;
use std::path::Path;

/// A list page of three posts; `date_markup` wraps each post's date.
fn page(date_markup: fn(&str) -> String) -> String {
    let mut body =
        String::from("<!doctype html>\n<html><head><title>Parish news</title></head><body>\n");
    for (n, day) in [(1, "2026-11-20"), (2, "2026-11-18"), (3, "2026-11-15")] {
        body.push_str(&format!(
            "<article class=\"post\"><h2><a href=\"/news/{n}\">Notice number {n}</a></h2>{}<p class=\"by\">Clerk</p></article>\n",
            date_markup(day)
        ));
    }
    body.push_str("</body></html>\n");
    body
}

fn before(day: &str) -> String {
    format!("<time class=\"published\" datetime=\"{day}T09:00:00Z\">{day}</time>")
}

fn after_redesign(day: &str) -> String {
    format!("<div class=\"meta\"><span class=\"post-date\">{day}</span></div>")
}

fn config(server: &Server, dir: &Path) {
    fs::write(
        dir.join("feeds.toml"),
        format!(
            r#"[settings]
host_delay = "0s"
timeout = "5s"
retries = 0
base_url = "https://planet.test/"

[[source]]
id = "parish"
url = "{url}"
kind = "html"
[source.selectors]
item = "article.post"
title = "h2 a"
date = "time.published"
author = ".by"

[[feed]]
id = "all"
title = "All"
"#,
            url = server.url("/news/")
        ),
    )
    .unwrap();
}

#[test]
fn a_date_selector_that_stops_matching_is_a_status_warning() {
    let server = Server::start();
    server.set("/news/", Reply::ok("text/html", page(before)));
    let dir = tempfile::tempdir().unwrap();
    config(&server, dir.path());

    let first = run_in(dir.path(), &["run"]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert_eq!(stderr(&first), "");
    let ok = run_in(dir.path(), &["status"]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));

    // The redesign: same posts, the date moved to a new element.
    server.set("/news/", Reply::ok("text/html", page(after_redesign)));
    let second = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(
        second.status.code(),
        Some(0),
        "items still read: {}",
        stderr(&second)
    );
    let said = stderr(&second);
    assert!(
        said.contains("date selector `time.published` matched nothing"),
        "{said}"
    );
    assert!(said.contains("parish"), "{said}");

    let bad = run_in(dir.path(), &["status"]);
    assert_eq!(bad.status.code(), Some(1), "{}", stdout(&bad));
    let table = stdout(&bad);
    let line = table
        .lines()
        .find(|l| l.starts_with("parish"))
        .unwrap_or_else(|| panic!("{table}"));
    assert!(
        line.contains(
            "date selector `time.published` matched nothing in the 3 item(s) of its last read"
        ),
        "{table}"
    );
    assert!(!line.contains("author selector"), "{table}");
    let json = run_in(dir.path(), &["status", "--json"]);
    assert_eq!(json.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&json)).unwrap();
    let warnings = doc["sources"][0]["warnings"].as_array().unwrap().clone();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0]
            .as_str()
            .unwrap()
            .starts_with("date selector `time.published`"),
        "{warnings:?}"
    );
    // The status file beside the state says the same.
    let file: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("status.json")).unwrap()).unwrap();
    assert_eq!(file["sources"][0]["warnings"], serde_json::json!(warnings));

    // Still broken on the next run: kept in status, not repeated on stderr.
    let third = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(third.status.code(), Some(0));
    assert_eq!(stderr(&third), "", "said once, when it appeared");
    assert_eq!(run_in(dir.path(), &["status"]).status.code(), Some(1));

    // The selector is fixed: the warning goes.
    let fixed = fs::read_to_string(dir.path().join("feeds.toml"))
        .unwrap()
        .replace("time.published", ".post-date");
    fs::write(dir.path().join("feeds.toml"), fixed).unwrap();
    let fourth = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(fourth.status.code(), Some(0), "{}", stderr(&fourth));
    let good = run_in(dir.path(), &["status"]);
    assert_eq!(good.status.code(), Some(0), "{}", stdout(&good));
}
