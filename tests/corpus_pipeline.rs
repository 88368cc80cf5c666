//! Garbage in, valid out: every corpus feed that yields at least one entry goes through the whole
//! pipeline (read → normalise → merge → render) as its own output, and every output is re-read
//! with a strict XML parser and with feed-rs; then all of them are merged into one output by the
//! real binary (CI hands that one to the independent judges via `FEEDWRIGHT_CORPUS_OUT`).

mod common;

use chrono::{TimeZone, Utc};
use common::*;
use feedwright::app::{FeedMeta, assemble_feed, read_document};
use feedwright::fetch::Fetched;
use std::fs;
use std::path::{Path, PathBuf};

fn corpus_files() -> Option<Vec<PathBuf>> {
    let root = shared_dir()?.join("corpora/feeds");
    let mut files = Vec::new();
    let mut stack = vec![root];
    while let Some(dir) = stack.pop() {
        for entry in fs::read_dir(&dir).ok()?.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("xml" | "rss" | "atom" | "rdf" | "json")
            ) && !p.to_string_lossy().ends_with(".serde.json")
                && !is_expectation_json(&p)
            {
                files.push(p);
            }
        }
    }
    files.sort();
    Some(files)
}

/// gofeed's `X.json` beside `X.xml` is an expectation, not a feed.
fn is_expectation_json(p: &Path) -> bool {
    p.extension().is_some_and(|e| e == "json") && p.with_extension("xml").exists()
        || p.file_name().is_some_and(|n| n == "date_cases.json")
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
}

fn fetched(path: &Path) -> Fetched {
    Fetched {
        url: url::Url::from_file_path(path).unwrap(),
        bytes: fs::read(path).unwrap(),
        charset: None,
        content_type: None,
    }
}

fn strict_xml_str(name: &str, text: &str) {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join(name);
    fs::write(&p, text).unwrap();
    strict_xml(&p);
}

#[test]
fn every_corpus_feed_comes_out_valid_in_three_formats() {
    let Some(files) = corpus_files() else {
        eprintln!("skipped: ../shared/corpora not found (set FEEDWRIGHT_SHARED)");
        return;
    };
    let (mut outputs, mut items_total, mut unreadable) = (0usize, 0usize, 0usize);
    for path in &files {
        let name = path.display().to_string();
        let result =
            std::panic::catch_unwind(|| read_document("corpus", None, &fetched(path), now()));
        let feed = match result {
            Err(_) => panic!("{name}: panicked while reading"),
            Ok(Err(_)) => {
                unreadable += 1;
                continue;
            }
            Ok(Ok(feed)) => feed,
        };
        if feed.items.is_empty() {
            continue;
        }
        let out = assemble_feed(
            FeedMeta {
                id: "corpus",
                title: "Corpus",
                description: None,
                link: "https://feedwright.test/",
                base_url: Some("https://feedwright.test/out/"),
                max_items: usize::MAX,
            },
            vec![feed.items],
        );
        let written = out.items.len();
        for (ext, text) in [
            ("xml", feedwright::publish::rss::render(&out)),
            ("atom", feedwright::publish::atom::render(&out)),
            ("json", feedwright::publish::json::render(&out)),
        ] {
            if ext != "json" {
                strict_xml_str(&format!("out.{ext}"), &text);
            } else {
                serde_json::from_str::<serde_json::Value>(&text)
                    .unwrap_or_else(|e| panic!("{name}: our JSON is invalid: {e}"));
            }
            let reread = feed_rs::parser::parse(text.as_bytes()).unwrap_or_else(|e| {
                panic!("{name} as {ext}: feed-rs cannot read our output: {e}\n{text}")
            });
            assert_eq!(reread.entries.len(), written, "{name} as {ext}: item count");
        }
        outputs += 1;
        items_total += written;
    }
    println!(
        "corpus pipeline: {} files, {outputs} with entries published ({items_total} items), {unreadable} unreadable",
        files.len()
    );
    assert!(outputs > 1500, "most corpus feeds yield entries: {outputs}");
}

/// All corpus feeds with entries as sources of one `[[feed]]`, through the real binary.
#[test]
fn merged_corpus_output() {
    let Some(files) = corpus_files() else {
        eprintln!("skipped: ../shared/corpora not found (set FEEDWRIGHT_SHARED)");
        return;
    };
    let keep = std::env::var_os("FEEDWRIGHT_CORPUS_OUT").map(PathBuf::from);
    let temp = tempfile::tempdir().unwrap();
    let dir = keep.clone().unwrap_or_else(|| temp.path().to_path_buf());
    fs::create_dir_all(&dir).unwrap();
    let mut config = String::from(
        "[settings]\nbase_url = \"https://feedwright.test/out/\"\nconcurrency = 4\n\n",
    );
    let mut n = 0;
    for path in &files {
        let readable = read_document("probe", None, &fetched(path), now())
            .map(|f| !f.items.is_empty())
            .unwrap_or(false);
        if !readable {
            continue;
        }
        n += 1;
        config.push_str(&format!(
            "[[source]]\nid = \"c{n:04}\"\npath = {:?}\nkind = \"feed\"\n\n",
            path.display().to_string()
        ));
    }
    config.push_str(
        "[[feed]]\nid = \"corpus\"\ntitle = \"Every corpus feed\"\nmax_items = 1000000\n",
    );
    fs::write(dir.join("feeds.toml"), &config).unwrap();
    let out = run_in(&dir, &["run"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let atom = reparse(&dir.join("out/corpus.atom"));
    let rss = reparse(&dir.join("out/corpus.xml"));
    let json = reparse(&dir.join("out/corpus.json"));
    strict_xml(&dir.join("out/corpus.atom"));
    strict_xml(&dir.join("out/corpus.xml"));
    assert_eq!(atom.entries.len(), rss.entries.len());
    assert_eq!(atom.entries.len(), json.entries.len());
    println!(
        "merged corpus output: {n} sources, {} items",
        atom.entries.len()
    );
    assert!(atom.entries.len() > 1000);
}
