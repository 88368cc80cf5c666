//! Feed filters through the real binary, one output per rule type: plain include (whole word,
//! any case), field prefixes, `regex:`, exclude, `max_items`, `max_age` (on the published date)
//! and `min_date`.

mod common;

use common::*;
use std::fs;

const FEED: &str = r#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>Mixed news</title><link>http://news.test/</link><description>d</description>
<item><title>Rust 2.0 released</title><link>http://news.test/rust-2</link><category>Programming</category>
<author>ed@news.test (Ed Itor)</author><description>The new edition.</description><pubDate>Sat, 28 Nov 2026 10:00:00 +0000</pubDate></item>
<item><title>Trusty old bridge reopens</title><link>http://news.test/bridge</link><category>Local</category>
<description>Nothing about rust here.</description><pubDate>Fri, 27 Nov 2026 10:00:00 +0000</pubDate></item>
<item><title>Football: the derby</title><link>http://news.test/derby</link><category>Sport</category>
<description>A close match.</description><pubDate>Thu, 26 Nov 2026 10:00:00 +0000</pubDate></item>
<item><title>Job fair next week</title><link>http://news.test/jobs/fair</link><category>Local</category>
<description>Employers in town.</description><pubDate>Sun, 01 Nov 2026 10:00:00 +0000</pubDate></item>
<item><title>Archive: the 2025 review</title><link>http://news.test/review-2025</link><category>Programming</category>
<description>Last year.</description><pubDate>Mon, 15 Dec 2025 10:00:00 +0000</pubDate></item>
</channel></rss>"#;

#[test]
fn every_rule_type_shapes_its_output() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("news.xml"), FEED).unwrap();
    let feeds = [
        // (id, rule lines)
        ("word", r#"include = ["RUST"]"#),
        ("field", r#"include = ["category:programming"]"#),
        ("author", r#"include = ["author:itor"]"#),
        ("link", r#"include = ["link:regex:/jobs/"]"#),
        ("regex", r#"include = ["title:regex:^(Rust|Football)"]"#),
        ("exclude", r#"exclude = ["category:sport", "job"]"#),
        (
            "both",
            "include = [\"category:local\", \"category:programming\"]\nexclude = [\"title:bridge\"]",
        ),
        ("newest", "max_items = 2"),
        ("recent", r#"max_age = "7d""#),
        ("since", r#"min_date = "2026-11-01""#),
    ];
    let mut config = String::from(
        "[settings]\nbase_url = \"https://p.test/\"\n\n[[source]]\nid = \"news\"\npath = \"news.xml\"\n",
    );
    for (id, rules) in feeds {
        config.push_str(&format!(
            "\n[[feed]]\nid = \"{id}\"\ntitle = \"{id}\"\nformats = [\"atom\"]\n{rules}\n"
        ));
    }
    fs::write(dir.path().join("feeds.toml"), config).unwrap();
    let out = run_in(dir.path(), &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let expect: &[(&str, &[&str])] = &[
        ("word", &["Rust 2.0 released", "Trusty old bridge reopens"]),
        ("field", &["Rust 2.0 released", "Archive: the 2025 review"]),
        ("author", &["Rust 2.0 released"]),
        ("link", &["Job fair next week"]),
        ("regex", &["Rust 2.0 released", "Football: the derby"]),
        (
            "exclude",
            &[
                "Rust 2.0 released",
                "Trusty old bridge reopens",
                "Archive: the 2025 review",
            ],
        ),
        (
            "both",
            &[
                "Rust 2.0 released",
                "Job fair next week",
                "Archive: the 2025 review",
            ],
        ),
        (
            "newest",
            &["Rust 2.0 released", "Trusty old bridge reopens"],
        ),
        (
            "recent",
            &[
                "Rust 2.0 released",
                "Trusty old bridge reopens",
                "Football: the derby",
            ],
        ),
        (
            "since",
            &[
                "Rust 2.0 released",
                "Trusty old bridge reopens",
                "Football: the derby",
                "Job fair next week",
            ],
        ),
    ];
    for (feed, want) in expect {
        assert_eq!(
            feed_titles(&dir.path().join(format!("out/{feed}.atom"))),
            *want,
            "feed `{feed}`"
        );
    }
}
