//! Tests for feeds.toml parsing: a full example with every default, and one test per error
//! kind checking line, col and key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::*;

const CFG: &str = "/cfg/feeds.toml";

fn ok(text: &str) -> Config {
    match parse(text, Path::new(CFG)) {
        Ok(config) => config,
        Err(e) => panic!("expected a valid config, got: {e}"),
    }
}

/// (line, col, key, message) of the error `text` must produce.
fn err(text: &str) -> (usize, usize, String, String) {
    match parse(text, Path::new(CFG)) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(ConfigError::Invalid {
            path,
            line,
            col,
            key,
            message,
        }) => {
            assert_eq!(path, PathBuf::from(CFG));
            (line, col, key, message)
        }
        Err(other) => panic!("unexpected error kind: {other}"),
    }
}

fn assert_err(text: &str, line: usize, col: usize, key: &str, needle: &str) {
    let (l, c, k, m) = err(text);
    assert_eq!(
        (l, c, k.as_str()),
        (line, col, key),
        "message was: {m}\nfor:\n{text}"
    );
    assert!(m.contains(needle), "message {m:?} lacks {needle:?}");
}

fn url(s: &str) -> url::Url {
    match url::Url::parse(s) {
        Ok(u) => u,
        Err(e) => panic!("{s}: {e}"),
    }
}

const BASE: &str = "[settings]\nbase_url = \"https://example.org/feeds\"\n\n";

#[test]
fn empty_config_has_all_defaults() {
    let config = ok("");
    assert_eq!(config.path, PathBuf::from(CFG));
    let s = &config.settings;
    assert_eq!(s.out_dir, PathBuf::from("/cfg/out"));
    assert_eq!(s.state, PathBuf::from("/cfg/feedwright.db"));
    assert_eq!(s.status_file, PathBuf::from("/cfg/status.json"));
    assert_eq!(s.base_url, None);
    assert_eq!(
        s.user_agent,
        format!(
            "feedwright/{} (+https://github.com/feedwright/feedwright)",
            env!("CARGO_PKG_VERSION")
        )
    );
    assert_eq!(s.timeout, Duration::from_secs(30));
    assert_eq!(s.connect_timeout, Duration::from_secs(10));
    assert_eq!(s.concurrency, 8);
    assert_eq!(s.host_delay, Duration::from_secs(1));
    assert_eq!(s.max_body_size, 10 * 1024 * 1024);
    assert_eq!(s.retries, 2);
    assert!(s.respect_robots);
    assert!(!s.per_source_feeds);
    assert_eq!(s.websub_hub, None);
    assert!(config.sources.is_empty());
    assert!(config.feeds.is_empty());
}

#[test]
fn full_example_parses_to_expected_values() {
    let text = r#"# a full example
[settings]
out_dir = "public"
state = "var/state.db"
base_url = "https://example.org/feeds"
user_agent = "mybot/1.0"
timeout = "1m"
connect_timeout = "5s"
concurrency = 4
host_delay = "0s"
max_body_size = "512KiB"
retries = 0
respect_robots = false
per_source_feeds = true
websub_hub = "https://hub.example.net/"

[[source]]
id = "blog"
url = "https://blog.example.com/feed.xml"
kind = "feed"
title = "The Blog"
tags = ["tech", "rust", "tech"]
interval = "1h30m"
headers = { Accept = "application/rss+xml", "X-Token" = "abc" }
timeout = "500ms"
max_body_size = 2048
retries = 5
respect_robots = true
user_agent = "other/2"

[[source]]
id = "news_site"
path = "pages/news.html"
kind = "html"
enabled = false
schedule = "0 */2 * * *"
fulltext = true
prefer_feed = false
timezone = "Europe/Berlin"
language = "de-AT"
day_first = true
date_format = "%d.%m.%Y"
max_pages = 3
host_delay = "2s"
connect_timeout = "3s"

[source.selectors]
item = "article"
fields = { title = "h2 a", link = "h2 a@href" }

[[source]]
id = "plain"
url = "http://plain.example.com/"

[[feed]]
id = "all"

[[feed]]
id = "tech"
title = "Tech"
description = "Tech news"
link = "https://example.org/tech.html"
sources = ["blog", "blog"]
tags = ["rust"]
max_items = 20
formats = ["json", "rss", "json"]
include = ["title:rust", "regex:(?i)^release"]
exclude = ["category:sponsored"]
max_age = "30d"
min_date = "2024-05-01"

[[feed]]
id = "later"
min_date = 2024-05-01T12:00:00+02:00
"#;
    let config = ok(text);
    let s = &config.settings;
    assert_eq!(s.out_dir, PathBuf::from("/cfg/public"));
    assert_eq!(s.state, PathBuf::from("/cfg/var/state.db"));
    assert_eq!(s.status_file, PathBuf::from("/cfg/var/status.json"));
    assert_eq!(s.base_url, Some(url("https://example.org/feeds/")));
    assert_eq!(s.user_agent, "mybot/1.0");
    assert_eq!(s.timeout, Duration::from_secs(60));
    assert_eq!(s.connect_timeout, Duration::from_secs(5));
    assert_eq!(s.concurrency, 4);
    assert_eq!(s.host_delay, Duration::ZERO);
    assert_eq!(s.max_body_size, 512 * 1024);
    assert_eq!(s.retries, 0);
    assert!(!s.respect_robots);
    assert!(s.per_source_feeds);
    assert_eq!(s.websub_hub, Some(url("https://hub.example.net/")));

    assert_eq!(config.sources.len(), 3);
    let blog = &config.sources[0];
    assert_eq!(blog.id, "blog");
    assert_eq!(blog.line, 18);
    assert_eq!(
        blog.location,
        Location::Url(url("https://blog.example.com/feed.xml"))
    );
    assert_eq!(blog.kind, SourceKind::Feed);
    assert_eq!(blog.title.as_deref(), Some("The Blog"));
    assert_eq!(blog.tags, vec!["tech".to_owned(), "rust".to_owned()]);
    assert!(blog.enabled);
    assert_eq!(blog.interval, Duration::from_secs(5400));
    assert_eq!(blog.schedule, None);
    assert_eq!(
        blog.headers,
        BTreeMap::from([
            ("Accept".to_owned(), "application/rss+xml".to_owned()),
            ("X-Token".to_owned(), "abc".to_owned()),
        ])
    );
    assert_eq!(blog.timeout, Some(Duration::from_millis(500)));
    assert_eq!(blog.max_body_size, Some(2048));
    assert_eq!(blog.retries, Some(5));
    assert_eq!(blog.respect_robots, Some(true));
    assert_eq!(blog.user_agent.as_deref(), Some("other/2"));
    assert_eq!(blog.connect_timeout, None);
    assert_eq!(blog.host_delay, None);
    assert_eq!(blog.selectors, None);
    assert!(blog.css_selectors.is_none());

    let news = &config.sources[1];
    assert_eq!(news.id, "news_site");
    assert_eq!(news.line, 32);
    assert_eq!(
        news.location,
        Location::Path(PathBuf::from("/cfg/pages/news.html"))
    );
    assert_eq!(news.kind, SourceKind::Html);
    assert!(!news.enabled);
    assert_eq!(news.interval, Duration::from_secs(3600));
    assert_eq!(news.schedule.as_deref(), Some("0 */2 * * *"));
    assert_eq!(news.fulltext, Some(true));
    assert_eq!(news.prefer_feed, Some(false));
    assert_eq!(news.timezone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(news.language.as_deref(), Some("de-AT"));
    assert_eq!(news.day_first, Some(true));
    assert_eq!(news.date_format.as_deref(), Some("%d.%m.%Y"));
    assert_eq!(news.max_pages, Some(3));
    assert_eq!(news.host_delay, Some(Duration::from_secs(2)));
    assert_eq!(news.connect_timeout, Some(Duration::from_secs(3)));
    let selectors = news.selectors.clone().unwrap_or_default();
    assert_eq!(
        selectors.get("item").and_then(|v| v.as_str()),
        Some("article")
    );
    let compiled = news
        .css_selectors
        .as_ref()
        .expect("html sources are compiled");
    assert_eq!(compiled.item.css, "article");

    let plain = &config.sources[2];
    assert_eq!(plain.kind, SourceKind::Auto);
    assert!(plain.enabled);
    assert!(plain.tags.is_empty());
    assert!(plain.headers.is_empty());
    assert_eq!(plain.timeout, None);

    assert_eq!(config.feeds.len(), 3);
    let all = &config.feeds[0];
    assert_eq!(all.id, "all");
    assert_eq!(all.title, "all");
    assert_eq!(all.description, None);
    assert_eq!(all.link, url("https://example.org/feeds/"));
    assert_eq!(all.max_items, 100);
    assert_eq!(all.formats, vec![Format::Rss, Format::Atom, Format::Json]);
    assert!(all.include.is_empty() && all.include_filters.is_empty());
    assert_eq!(all.max_age, None);
    assert_eq!(all.min_date, None);
    let all_ids: Vec<&str> = config
        .sources_of(all)
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    assert_eq!(all_ids, vec!["blog", "plain"]);

    let tech = &config.feeds[1];
    assert_eq!(tech.title, "Tech");
    assert_eq!(tech.description.as_deref(), Some("Tech news"));
    assert_eq!(tech.link, url("https://example.org/tech.html"));
    assert_eq!(tech.sources, vec!["blog".to_owned()]);
    assert_eq!(tech.tags, vec!["rust".to_owned()]);
    assert_eq!(tech.max_items, 20);
    assert_eq!(tech.formats, vec![Format::Rss, Format::Json]);
    assert_eq!(tech.include, vec!["title:rust", "regex:(?i)^release"]);
    assert_eq!(tech.exclude, vec!["category:sponsored"]);
    assert_eq!(tech.include_filters.len(), 2);
    assert_eq!(tech.include_filters[0].field, Some(FilterField::Title));
    assert_eq!(tech.exclude_filters[0].field, Some(FilterField::Category));
    assert_eq!(tech.max_age, Some(Duration::from_secs(30 * 86400)));
    assert_eq!(
        tech.min_date.map(|d| d.to_rfc3339()),
        Some("2024-05-01T00:00:00+00:00".to_owned())
    );
    assert_eq!(
        config.feeds[2].min_date.map(|d| d.to_rfc3339()),
        Some("2024-05-01T10:00:00+00:00".to_owned())
    );
}

#[test]
fn paths_resolve_against_the_config_folder() {
    let config = ok(
        "[settings]\nout_dir = \"./site/../www\"\nstate = \"/var/lib/fw.db\"\nstatus_file = \"st.json\"\n",
    );
    assert_eq!(config.settings.out_dir, PathBuf::from("/cfg/www"));
    assert_eq!(config.settings.state, PathBuf::from("/var/lib/fw.db"));
    assert_eq!(config.settings.status_file, PathBuf::from("/cfg/st.json"));
    // a bare file name: paths resolve against the current folder, made absolute so they do
    // not depend on the working directory later (regression: local sources failed to open)
    let config = match parse("", Path::new("feeds.toml")) {
        Ok(c) => c,
        Err(e) => panic!("{e}"),
    };
    let cwd = std::env::current_dir().unwrap();
    assert_eq!(config.settings.out_dir, cwd.join("out"));
    assert_eq!(config.settings.status_file, cwd.join("status.json"));
}

#[test]
fn base_url_keeps_an_existing_slash() {
    let config = ok("[settings]\nbase_url = \"https://example.org/\"\n");
    assert_eq!(config.settings.base_url, Some(url("https://example.org/")));
}

#[test]
fn syntax_error_points_at_the_problem() {
    let (line, col, _key, message) = err("[settings]\nout_dir = \"x\n");
    assert_eq!(line, 2);
    assert!(col >= 11, "col {col}");
    assert!(message.starts_with("TOML syntax"), "{message}");
    assert_err(
        "[[source]]\nid = \"a\"\nid = \"b\"\n",
        3,
        1,
        "source[1].id",
        "duplicate key `id`",
    );
    assert_err(
        "[settings]\nretries = 1\n[settings]\n",
        3,
        2,
        "settings",
        "table `[settings]` appears twice",
    );
}

#[test]
fn unknown_keys_suggest_spellings() {
    let text = "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\n\n[[source]]\nid = \"b\"\nurll = \"https://b.example/\"\n";
    assert_err(
        text,
        7,
        1,
        "source[2].urll",
        "unknown key `urll`, did you mean `url`?",
    );
    assert_err(
        "[settings]\ntimeot = \"3s\"\n",
        2,
        1,
        "settings.timeot",
        "did you mean `timeout`?",
    );
    assert_err(
        "[[feed]]\nid = \"x\"\n  max-items = 3\n",
        3,
        3,
        "feed[1].max-items",
        "did you mean `max_items`?",
    );
    assert_err(
        "[[sources]]\nid = \"x\"\n",
        1,
        3,
        "sources",
        "did you mean `source`?",
    );
    let (_, _, _, message) = err("[settings]\nzzzzzz = 1\n");
    assert!(message.contains("valid keys here: "), "{message}");
    assert!(message.contains("out_dir"), "{message}");
}

#[test]
fn wrong_types() {
    assert_err(
        "[settings]\ntimeout = 30\n",
        2,
        11,
        "settings.timeout",
        "expected a string, found integer `30`; write durations as strings",
    );
    assert_err(
        "[settings]\nconcurrency = \"4\"\n",
        2,
        15,
        "settings.concurrency",
        "expected an integer",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\ntags = [\"x\", 3]\n",
        4,
        14,
        "source[1].tags[2]",
        "expected a string",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\nheaders = { Accept = 1 }\n",
        4,
        22,
        "source[1].headers.Accept",
        "expected a string",
    );
    assert_err(
        "[source]\nid = \"a\"\n",
        1,
        1,
        "source",
        "write `[[source]]` with double brackets",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\nmax_body_size = true\n",
        4,
        17,
        "source[1].max_body_size",
        "expected a size",
    );
}

#[test]
fn ids() {
    assert_err(
        "[[source]]\nurl = \"https://a.example/\"\n",
        1,
        1,
        "source[1].id",
        "missing `id`",
    );
    assert_err(
        "[[source]]\nid = \"My Blog\"\nurl = \"https://a.example/\"\n",
        2,
        6,
        "source[1].id",
        "invalid id `My Blog`",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\n\n[[source]]\nid = \"a\"\nurl = \"https://b.example/\"\n",
        6,
        6,
        "source[2].id",
        "duplicate source id `a` (first used on line 2)",
    );
    let feeds = format!("{BASE}[[feed]]\nid = \"x\"\n\n[[feed]]\n  id = \"x\"\n");
    assert_err(&feeds, 8, 8, "feed[2].id", "duplicate feed id `x`");
    assert_err(
        &format!("{BASE}[[feed]]\ntitle = \"t\"\n"),
        4,
        1,
        "feed[1].id",
        "missing `id`",
    );
    assert_err(
        &format!("{BASE}[[feed]]\nid = \"x-\u{e9}\"\n"),
        5,
        6,
        "feed[1].id",
        "invalid id",
    );
    for reserved in ["index", "sources", "status"] {
        assert_err(
            &format!("{BASE}[[feed]]\nid = \"{reserved}\"\n"),
            5,
            6,
            "feed[1].id",
            "is reserved",
        );
    }
}

#[test]
fn source_location() {
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\npath = \"a.xml\"\n",
        4,
        8,
        "source[1].path",
        "both `url` and `path`",
    );
    assert_err(
        "\n[[source]]\nid = \"a\"\n",
        2,
        1,
        "source[1].url",
        "neither `url` nor `path`",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"not a url\"\n",
        3,
        7,
        "source[1].url",
        "is not a valid URL",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"ftp://a.example/x\"\n",
        3,
        7,
        "source[1].url",
        "unsupported URL scheme `ftp`",
    );
    assert_err(
        "[[source]]\nid = \"a\"\nurl = \"file:///tmp/a.xml\"\n",
        3,
        7,
        "source[1].url",
        "use `path",
    );
    assert_err(
        "[[source]]\nid = \"a\"\npath = \"\"\n",
        3,
        8,
        "source[1].path",
        "empty path",
    );
}

#[test]
fn source_values() {
    let src = "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\n";
    assert_err(
        &format!("{src}kind = \"htlm\"\n"),
        4,
        8,
        "source[1].kind",
        "unknown kind `htlm`, did you mean `html`?",
    );
    assert_err(
        &format!("{src}interval = \"1h\"\nschedule = \"@daily\"\n"),
        5,
        12,
        "source[1].schedule",
        "both `interval` and `schedule`",
    );
    assert_err(
        &format!("{src}interval = \"90\"\n"),
        4,
        12,
        "source[1].interval",
        "lacks a unit",
    );
    assert_err(
        &format!("{src}timeout = \"1 hour\"\n"),
        4,
        11,
        "source[1].timeout",
        "unknown duration unit",
    );
    assert_err(
        &format!("{src}max_body_size = \"10 MB s\"\n"),
        4,
        17,
        "source[1].max_body_size",
        "is not a size",
    );
    assert_err(
        &format!("{src}schedule = \"every day\"\n"),
        4,
        12,
        "source[1].schedule",
        "not a cron expression",
    );
    assert_err(
        &format!("{src}headers = {{ \"Bad Name\" = \"x\" }}\n"),
        4,
        13,
        "source[1].headers.Bad Name",
        "not a valid header name",
    );
    assert_err(
        &format!("{src}timezone = \"Berlin time\"\n"),
        4,
        12,
        "source[1].timezone",
        "not a time zone",
    );
    assert_err(
        &format!("{src}language = \"english!\"\n"),
        4,
        12,
        "source[1].language",
        "not a language tag",
    );
    assert_err(
        &format!("{src}date_format = \"%Q\"\n"),
        4,
        15,
        "source[1].date_format",
        "not a valid strftime format",
    );
    assert_err(
        &format!("{src}max_pages = 0\n"),
        4,
        13,
        "source[1].max_pages",
        "between 1 and",
    );
    assert_err(
        &format!("{src}retries = -1\n"),
        4,
        11,
        "source[1].retries",
        "between 0 and",
    );
}

#[test]
fn settings_values() {
    assert_err(
        "[settings]\nconcurrency = 0\n",
        2,
        15,
        "settings.concurrency",
        "between 1 and",
    );
    assert_err(
        "[settings]\ntimeout = \"0s\"\n",
        2,
        11,
        "settings.timeout",
        "longer than 0s",
    );
    assert_err(
        "[settings]\nmax_body_size = \"0KiB\"\n",
        2,
        17,
        "settings.max_body_size",
        "more than 0 bytes",
    );
    assert_err(
        "[settings]\nwebsub_hub = \"https://hub.example.net/\"\n",
        2,
        14,
        "settings.websub_hub",
        "websub_hub needs settings.base_url",
    );
    assert_err(
        "[settings]\nbase_url = \"example.org\"\n",
        2,
        12,
        "settings.base_url",
        "not a valid URL",
    );
    assert_err(
        "[settings]\nout_dir = \"pub\"\nstatus_file = \"pub/status.json\"\n",
        3,
        15,
        "settings.status_file",
        "inside out_dir",
    );
    assert_err(
        "[settings]\nstate = \"out/fw.db\"\n",
        2,
        9,
        "settings.state",
        "inside out_dir",
    );
    assert_err(
        "[settings]\nuser_agent = \"\"\n",
        2,
        14,
        "settings.user_agent",
        "empty user agent",
    );
}

/// The state file left at its default inside a configured out_dir: the error is keyed by
/// `settings.state` but points at `out_dir`, and names the file.
#[test]
fn default_files_inside_out_dir_point_at_out_dir() {
    let (line, col, key, message) = err("[settings]\nout_dir = \".\"\n");
    assert_eq!((line, col, key.as_str()), (2, 11, "settings.state"));
    assert!(
        message.starts_with("the state file ")
            && message.contains("feedwright.db is inside out_dir ")
            && message.ends_with(": keep it outside, out/ holds only published files"),
        "{message}"
    );
}

#[test]
fn feed_values() {
    let src = "[[source]]\nid = \"blog\"\nurl = \"https://a.example/\"\n\n[[feed]]\nid = \"f\"\n";
    assert_err(
        &format!("{src}link = \"https://x.example/\"\nsources = [\"blog\", \"blgo\"]\n"),
        8,
        20,
        "feed[1].sources[2]",
        "unknown source `blgo`, did you mean `blog`?",
    );
    assert_err(
        src,
        5,
        1,
        "feed[1].link",
        "set feed.link or settings.base_url",
    );
    let with_base = format!("{BASE}{src}");
    assert_err(
        &format!("{with_base}formats = [\"rss\", \"xml\"]\n"),
        10,
        19,
        "feed[1].formats[2]",
        "unknown format `xml`",
    );
    assert_err(
        &format!("{with_base}formats = []\n"),
        8,
        1,
        "feed[1].formats",
        "`formats` is empty",
    );
    assert_err(
        &format!("{with_base}min_date = \"yesterday\"\n"),
        10,
        12,
        "feed[1].min_date",
        "not a date",
    );
    assert_err(
        &format!("{with_base}min_date = 2024-05-01T10:00:00\n"),
        10,
        12,
        "feed[1].min_date",
        "no offset",
    );
    assert_err(
        &format!("{with_base}max_items = 0\n"),
        10,
        13,
        "feed[1].max_items",
        "between 1 and",
    );
    assert_err(
        &format!("{with_base}max_age = \"forever\"\n"),
        10,
        11,
        "feed[1].max_age",
        "not a duration",
    );
    assert_err(
        &format!("{with_base}link = \"mailto:a@b.c\"\n"),
        10,
        8,
        "feed[1].link",
        "unsupported URL scheme",
    );
}

#[test]
fn filter_patterns() {
    let src = format!(
        "{BASE}[[source]]\nid = \"blog\"\nurl = \"https://a.example/\"\n\n[[feed]]\nid = \"f\"\n"
    );
    assert_err(
        &format!("{src}include = [\"rust\", \"titel:go\"]\n"),
        10,
        20,
        "feed[1].include[2]",
        "unknown filter field `titel`, did you mean `title`?",
    );
    assert_err(
        &format!("{src}exclude = [\n  \"regex:(oops\",\n]\n"),
        11,
        3,
        "feed[1].exclude[1]",
        "invalid regex",
    );
    let config = ok(&format!("{src}include = [\"summary:regex:^a+$\"]\n"));
    let filter = &config.feeds[0].include_filters[0];
    assert_eq!(filter.field, Some(FilterField::Summary));
    assert_eq!(filter.regex.as_str(), "^a+$");
}

#[test]
fn min_date_forms() {
    let src = format!("{BASE}[[feed]]\nid = \"f\"\n");
    let cases = [
        ("\"2024-05-01T08:30:00+02:00\"", "2024-05-01T06:30:00+00:00"),
        ("2024-05-01", "2024-05-01T00:00:00+00:00"),
        ("2024-05-01T08:30:00Z", "2024-05-01T08:30:00+00:00"),
    ];
    for (value, expected) in cases {
        let config = ok(&format!("{src}min_date = {value}\n"));
        assert_eq!(
            config.feeds[0].min_date.map(|d| d.to_rfc3339()).as_deref(),
            Some(expected),
            "{value}"
        );
    }
}

#[test]
fn load_reports_missing_files() {
    match load(Path::new("/nonexistent/feedwright/feeds.toml")) {
        Err(ConfigError::Read { path, .. }) => {
            assert_eq!(path, PathBuf::from("/nonexistent/feedwright/feeds.toml"))
        }
        other => panic!("expected a read error, got {other:?}"),
    }
}

#[test]
fn source_filter_patterns() {
    let src = format!("{BASE}[[source]]\nid = \"blog\"\nurl = \"https://a.example/\"\n");
    assert_err(
        &format!("{src}exclude = [\"sport\", \"regex:[unclosed\"]\n"),
        7,
        21,
        "source[1].exclude[2]",
        "invalid regex",
    );
    assert_err(
        &format!("{src}include = [\"autor:jo\"]\n"),
        7,
        12,
        "source[1].include[1]",
        "did you mean `author`?",
    );
    let config = ok(&format!(
        "{src}include = [\"title:rust\"]\nexclude = [\"category:regex:(?i)^ads$\"]\n"
    ));
    let source = &config.sources[0];
    assert_eq!(source.include_filters.len(), 1);
    assert_eq!(source.include_filters[0].field, Some(FilterField::Title));
    assert_eq!(
        source.exclude_filters[0].pattern,
        "category:regex:(?i)^ads$"
    );
    assert!(ok(&src).sources[0].include_filters.is_empty());
}

#[test]
fn sources_with_one_selector_table_share_its_compiled_selectors() {
    let source = |id: &str, title: &str| {
        format!(
            "[[source]]\nid = \"{id}\"\nurl = \"https://{id}.test/\"\nkind = \"html\"\n\
             [source.selectors]\nitem = \"article\"\ntitle = \"{title}\"\n\
             link = {{ selector = \"a\", attr = \"href\" }}\n"
        )
    };
    let config = ok(&format!(
        "{}{}{}",
        source("a", "h2"),
        source("b", "h2"),
        source("c", "h3")
    ));
    let compiled = |i: usize| config.sources[i].css_selectors.clone().unwrap();
    assert!(std::sync::Arc::ptr_eq(&compiled(0), &compiled(1)));
    assert!(!std::sync::Arc::ptr_eq(&compiled(0), &compiled(2)));
    assert_eq!(compiled(2).title.as_ref().unwrap().css, "h3");
    // A bad table later in the file is still reported where it is.
    let text = format!("{}{}", source("a", "h2"), source("b", "h2[["));
    let (line, _, key, message) = err(&text);
    assert_eq!((line, key.as_str()), (15, "source[2].selectors.title"));
    assert!(message.contains("not a valid CSS selector"), "{message}");
}
