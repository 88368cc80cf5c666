//! WebSub through the real binary, with the loopback server as both the feed host and the hub:
//! every output names the hub, a run that changed feeds pings it once per changed feed file,
//! an unchanged run does not, and a failing hub is a warning that leaves the exit status 0.

mod common;

use common::*;
use std::fs;
use std::path::Path;

fn rss(items: &[(&str, &str)]) -> String {
    let mut body = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Alpha</title><link>https://alpha.test/</link><description>d</description>\n",
    );
    for (n, title) in items {
        body.push_str(&format!(
            "<item><title>{title}</title><link>https://alpha.test/{n}</link><guid>https://alpha.test/{n}</guid><pubDate>Tue, 24 Nov 2026 1{n}:00:00 +0000</pubDate></item>\n"
        ));
    }
    body.push_str("</channel></rss>\n");
    body
}

const HUB: &str = "/hub";

fn setup(server: &Server, dir: &Path) {
    server.set(
        "/a.xml",
        Reply::ok("application/rss+xml", rss(&[("1", "First post")])),
    );
    // Hubs answer 202 or 204, without a body.
    server.set(
        HUB,
        Reply {
            status: 204,
            headers: vec![],
            body: vec![],
        },
    );
    fs::write(
        dir.join("feeds.toml"),
        format!(
            r#"[settings]
base_url = "https://feeds.example.org/pub/"
websub_hub = "{hub}"
host_delay = "0s"
timeout = "5s"
retries = 0

[[source]]
id = "alpha"
url = "{feed}"
kind = "feed"

[[feed]]
id = "all"
title = "All"
formats = ["rss", "atom", "json"]
"#,
            hub = server.url(HUB),
            feed = server.url("/a.xml"),
        ),
    )
    .unwrap();
}

/// The `hub.url` of every publish ping the hub saw, in order.
fn pinged(server: &Server) -> Vec<String> {
    server
        .requests_for(HUB)
        .iter()
        .map(|seen| {
            assert_eq!(seen.method, "POST");
            assert_eq!(
                seen.headers.get("content-type").map(String::as_str),
                Some("application/x-www-form-urlencoded")
            );
            assert!(
                seen.headers
                    .get("user-agent")
                    .is_some_and(|ua| ua.starts_with("feedwright/")),
                "{:?}",
                seen.headers
            );
            let form: Vec<(String, String)> = url::form_urlencoded::parse(&seen.body)
                .into_owned()
                .collect();
            assert_eq!(form.len(), 2, "{form:?}");
            assert_eq!(form[0], ("hub.mode".into(), "publish".into()));
            assert_eq!(form[1].0, "hub.url");
            form[1].1.clone()
        })
        .collect()
}

#[test]
fn outputs_name_the_hub_and_changed_feeds_are_pinged_once() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    setup(&server, dir.path());

    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stderr(&out), "", "quiet when the hub accepts");
    let topics = [
        "https://feeds.example.org/pub/all.xml",
        "https://feeds.example.org/pub/all.atom",
        "https://feeds.example.org/pub/all.json",
    ];
    assert_eq!(pinged(&server), topics, "one ping per changed feed file");

    // Every output names the hub (and its self link), and still parses strictly.
    let hub = server.url(HUB);
    let xml = fs::read_to_string(dir.path().join("out/all.xml")).unwrap();
    assert!(
        xml.contains(&format!(r#"<atom:link href="{hub}" rel="hub">"#)),
        "{xml}"
    );
    assert!(xml.contains(r#"href="https://feeds.example.org/pub/all.xml" rel="self""#));
    let atom = fs::read_to_string(dir.path().join("out/all.atom")).unwrap();
    assert!(
        atom.contains(&format!(r#"<link href="{hub}" rel="hub"/>"#)),
        "{atom}"
    );
    let json: serde_json::Value =
        serde_json::from_slice(&fs::read(dir.path().join("out/all.json")).unwrap()).unwrap();
    assert_eq!(
        json["hubs"],
        serde_json::json!([{"type": "WebSub", "url": hub}])
    );
    assert_eq!(json["feed_url"], "https://feeds.example.org/pub/all.json");
    for name in ["all.xml", "all.atom"] {
        strict_xml(&dir.path().join("out").join(name));
    }
    for name in ["all.xml", "all.atom", "all.json"] {
        let feed = reparse(&dir.path().join("out").join(name));
        assert_eq!(feed.entries.len(), 1, "{name}");
    }

    // Nothing changed: no ping.
    let again = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(again.status.code(), Some(0), "{}", stderr(&again));
    assert_eq!(pinged(&server).len(), 3, "an unchanged run pings nobody");

    // A new item: each feed file is pinged once more.
    server.set(
        "/a.xml",
        Reply::ok(
            "application/rss+xml",
            rss(&[("1", "First post"), ("2", "Second post")]),
        ),
    );
    let changed = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(changed.status.code(), Some(0), "{}", stderr(&changed));
    let all = pinged(&server);
    assert_eq!(all.len(), 6);
    assert_eq!(all[3..], topics);
}

#[test]
fn a_failing_hub_is_a_warning_and_the_run_still_succeeds() {
    let server = Server::start();
    let dir = tempfile::tempdir().unwrap();
    setup(&server, dir.path());
    server.set(HUB, Reply::status(503));

    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("WebSub hub"), "{err}");
    assert!(err.contains("HTTP 503"), "{err}");
    assert!(
        err.contains("https://feeds.example.org/pub/all.atom"),
        "{err}"
    );
    assert!(dir.path().join("out/all.xml").exists());

    // A hub that cannot be reached at all: one warning, the other topics are not tried.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/hub", closed.local_addr().unwrap());
    drop(closed);
    let config = fs::read_to_string(dir.path().join("feeds.toml")).unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        config.replace(&server.url(HUB), &dead),
    )
    .unwrap();
    server.set(
        "/a.xml",
        Reply::ok(
            "application/rss+xml",
            rss(&[("1", "First post"), ("2", "Second post")]),
        ),
    );
    let out = run_in(dir.path(), &["run", "--force"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert_eq!(err.matches("WebSub hub").count(), 1, "{err}");
    assert!(err.contains("could not be reached"), "{err}");
    assert!(err.contains("2 other changed feed(s) not pinged"), "{err}");
}

#[test]
fn a_hub_without_base_url_is_a_config_error() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        "[settings]\nwebsub_hub = \"https://hub.example.net/\"\n",
    )
    .unwrap();
    let out = run_in(dir.path(), &["check"]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(err.contains("feeds.toml:2:14"), "{err}");
    assert!(err.contains("websub_hub needs settings.base_url"), "{err}");
}
