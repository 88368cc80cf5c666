//! Reads every file of the shared feed corpora with `source::feed::read_feed`: nothing may
//! panic, well-formed feedparser cases must parse, and our raw titles, links and dates must
//! agree with gofeed's translator expectations and feed-rs's fixture parses. The corpora live
//! outside the repository: `FEEDWRIGHT_SHARED` (default `../shared` beside the crate when it
//! exists, else `/work/shared`); without them the test prints a note and passes.

mod corpus_files;
use corpus_files::{shared_root, walk};
use feedwright::model::SourceFeed;
use feedwright::normalise::{canonical_link, clean_text};
use feedwright::source::feed::{FeedError, ReadContext, read_feed};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// `Header: Name: value` comment lines of feedparser cases.
fn headers(bytes: &[u8]) -> Vec<(String, String)> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
    head.lines()
        .filter_map(|l| l.trim().strip_prefix("Header:"))
        .filter_map(|h| {
            let (name, value) = h.trim().split_once(':')?;
            Some((name.trim().to_ascii_lowercase(), value.trim().to_string()))
        })
        .collect()
}

fn charset_of(content_type: &str) -> Option<String> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset")?;
    let rest = content_type[at + "charset".len()..].trim_start();
    let rest = rest.strip_prefix(['=', ':'])?.trim_start();
    let rest = rest.trim_start_matches(['"', '\'']);
    let v: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    (!v.is_empty()).then_some(v)
}

fn expect_line(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(8192)]);
    head.lines().find_map(|l| {
        l.trim()
            .strip_prefix("Expect:")
            .map(|s| s.trim().to_string())
    })
}

fn read(path: &Path, bytes: &[u8]) -> std::thread::Result<Result<SourceFeed, FeedError>> {
    let hs = headers(bytes);
    let charset = hs
        .iter()
        .find(|(n, _)| n == "content-type")
        .and_then(|(_, v)| charset_of(v));
    let base = hs
        .iter()
        .find(|(n, _)| n == "content-location")
        .and_then(|(_, v)| url::Url::parse(v).ok())
        .or_else(|| url::Url::from_file_path(path).ok());
    std::panic::catch_unwind(|| {
        let ctx = ReadContext {
            source_id: "corpus",
            feed_url: base.as_ref(),
            http_charset: charset.as_deref(),
        };
        read_feed(bytes, &ctx)
    })
}

#[test]
fn every_corpus_file_reads_without_panic() {
    let Some(root) = shared_root() else {
        eprintln!("corpora not found; set FEEDWRIGHT_SHARED");
        return;
    };
    let feeds = root.join("corpora/feeds");
    let mut files = Vec::new();
    walk(&feeds, &mut files);
    assert!(
        !files.is_empty(),
        "no corpus files under {}",
        feeds.display()
    );
    let (mut ok, mut not_feed, mut parse_err, mut panics) = (0, 0, 0, Vec::new());
    let (mut wf_total, mut wf_failed) = (0, Vec::new());
    let mut parse_failures = Vec::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let rel = path.strip_prefix(&feeds).unwrap().display().to_string();
        let result = read(path, &bytes);
        let outcome = match &result {
            Err(_) => {
                panics.push(rel.clone());
                "panic".to_string()
            }
            Ok(Ok(_)) => {
                ok += 1;
                String::new()
            }
            Ok(Err(e @ FeedError::NotAFeed(_))) => {
                not_feed += 1;
                e.to_string()
            }
            Ok(Err(e @ FeedError::Parse(_))) => {
                parse_err += 1;
                parse_failures.push(format!("{rel}: {e}"));
                e.to_string()
            }
        };
        if rel.starts_with("feedparser/") && rel.ends_with(".xml") {
            let expect = expect_line(&bytes).unwrap_or_default();
            let wellformed = !expect.contains("bozo") || expect.contains("not bozo");
            if wellformed && !rel.starts_with("feedparser/illformed") {
                wf_total += 1;
                if !outcome.is_empty() {
                    wf_failed.push(format!("{rel}: {outcome}"));
                }
            }
        }
    }
    println!(
        "corpus: {} files: ok {ok}, NotAFeed {not_feed}, Parse error {parse_err}, panics {}",
        files.len(),
        panics.len()
    );
    for f in &parse_failures {
        println!("  parse error: {f}");
    }
    println!(
        "feedparser well-formed cases that fail: {} of {wf_total}",
        wf_failed.len()
    );
    for f in &wf_failed {
        println!("  {f}");
    }
    assert!(panics.is_empty(), "panicked on: {panics:?}");
    assert!(
        wf_failed.len() * 100 <= wf_total * 2,
        "too many well-formed feedparser cases fail: {}",
        wf_failed.len()
    );
}

/// Agreement counter: stated fields and how many we match.
#[derive(Default)]
struct Agreement {
    stated: usize,
    agreed: usize,
    misses: Vec<String>,
}

impl Agreement {
    fn check(&mut self, file: &str, field: &str, expected: Option<String>, ours: Option<String>) {
        let Some(expected) = expected else { return };
        self.stated += 1;
        if Some(&expected) == ours.as_ref() {
            self.agreed += 1;
        } else {
            self.misses.push(format!(
                "{file} {field}: expected {expected:?}, ours {ours:?}"
            ));
        }
    }
    fn ratio(&self) -> f64 {
        if self.stated == 0 {
            1.0
        } else {
            self.agreed as f64 / self.stated as f64
        }
    }
}

fn link_key(l: &str) -> String {
    canonical_link(l, None).unwrap_or_else(|| l.trim().to_string())
}

fn date_key(s: &str) -> Option<String> {
    chrono::DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|d| {
            d.with_timezone(&chrono::Utc)
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string()
        })
}

fn stamp_key(s: Option<feedwright::model::Stamp>) -> Option<String> {
    s.map(|s| s.utc.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn jstr(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

fn read_plain(path: &Path) -> Option<SourceFeed> {
    let bytes = std::fs::read(path).ok()?;
    let ctx = ReadContext {
        source_id: "corpus",
        feed_url: None,
        http_charset: None,
    };
    read_feed(&bytes, &ctx).ok()
}

fn compare_gofeed(agr: &mut Agreement, name: &str, ours: Option<&SourceFeed>, exp: &Value) {
    let empty = SourceFeed::default();
    let ours = ours.unwrap_or(&empty);
    agr.check(
        name,
        "title",
        jstr(exp, "title").map(|t| clean_text(&t)),
        ours.title.as_deref().map(clean_text),
    );
    agr.check(
        name,
        "link",
        jstr(exp, "link").map(|l| link_key(&l)),
        ours.link.as_deref().map(link_key),
    );
    agr.check(
        name,
        "language",
        jstr(exp, "language").map(|l| l.to_lowercase()),
        ours.language.as_deref().map(str::to_lowercase),
    );
    let items = exp
        .get("items")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, it) in items.iter().enumerate() {
        let o = ours.items.get(i);
        let f = |s: &str| format!("items[{i}].{s}");
        agr.check(
            name,
            &f("guid"),
            jstr(it, "guid"),
            o.and_then(|o| o.guid.clone()),
        );
        let author = it
            .get("authors")
            .and_then(|a| a.get(0))
            .or_else(|| it.get("author"));
        let first = o.and_then(|o| o.authors.first());
        if let Some(a) = author {
            agr.check(
                name,
                &f("author.name"),
                jstr(a, "name"),
                first.and_then(|p| p.name.clone()),
            );
            agr.check(
                name,
                &f("author.email"),
                jstr(a, "email"),
                first.and_then(|p| p.email.clone()),
            );
        }
        if let Some(cats) = it.get("categories").and_then(Value::as_array) {
            let exp_cats: Vec<String> = cats
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            agr.check(
                name,
                &f("categories"),
                Some(exp_cats.join("|")),
                o.map(|o| o.categories.join("|")),
            );
        }
        if let Some(encs) = it.get("enclosures").and_then(Value::as_array) {
            let urls: Vec<String> = encs
                .iter()
                .filter_map(|e| jstr(e, "url"))
                .map(|u| link_key(&u))
                .collect();
            let ours_urls: Option<Vec<String>> =
                o.map(|o| o.enclosures.iter().map(|e| link_key(&e.url)).collect());
            agr.check(
                name,
                &f("enclosures"),
                Some(urls.join("|")),
                ours_urls.map(|u| u.join("|")),
            );
        }
        agr.check(
            name,
            &f("image"),
            it.get("image")
                .and_then(|i| jstr(i, "url"))
                .map(|u| link_key(&u)),
            o.and_then(|o| o.image.as_deref()).map(link_key),
        );
        agr.check(
            name,
            &f("description"),
            jstr(it, "description").map(|t| clean_text(&t)),
            o.and_then(|o| o.summary.clone().or(o.content.clone()))
                .map(|t| clean_text(&t)),
        );
        agr.check(
            name,
            &f("content"),
            jstr(it, "content").map(|t| clean_text(&t)),
            o.and_then(|o| o.content.as_deref()).map(clean_text),
        );
        agr.check(
            name,
            &f("title"),
            jstr(it, "title").map(|t| clean_text(&t)),
            o.and_then(|o| o.title.as_deref()).map(clean_text),
        );
        agr.check(
            name,
            &f("link"),
            jstr(it, "link").map(|l| link_key(&l)),
            o.and_then(|o| o.link.as_deref()).map(link_key),
        );
        agr.check(
            name,
            &f("published"),
            jstr(it, "publishedParsed").and_then(|d| date_key(&d)),
            stamp_key(o.and_then(|o| o.published.or(o.updated))),
        );
        agr.check(
            name,
            &f("updated"),
            jstr(it, "updatedParsed").and_then(|d| date_key(&d)),
            stamp_key(o.and_then(|o| o.updated)),
        );
    }
}

fn feed_rs_link(links: Option<&Value>) -> Option<String> {
    let links = links?.as_array()?;
    links
        .iter()
        .find(|l| {
            matches!(l.get("rel"), None | Some(Value::Null))
                || jstr(l, "rel").as_deref() == Some("alternate")
        })
        .and_then(|l| jstr(l, "href"))
}

fn compare_feed_rs(agr: &mut Agreement, name: &str, ours: Option<&SourceFeed>, exp: &Value) {
    let empty = SourceFeed::default();
    let ours = ours.unwrap_or(&empty);
    let text = |v: &Value, key: &str| {
        v.get(key)
            .and_then(|t| jstr(t, "content"))
            .map(|t| clean_text(&t))
    };
    agr.check(
        name,
        "title",
        text(exp, "title"),
        ours.title.as_deref().map(clean_text),
    );
    agr.check(
        name,
        "link",
        feed_rs_link(exp.get("links")).map(|l| link_key(&l)),
        ours.link.as_deref().map(link_key),
    );
    let is_rss = jstr(exp, "feed_type").is_some_and(|t| t.starts_with("RSS"));
    let entries = exp
        .get("entries")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for (i, e) in entries.iter().enumerate() {
        let o = ours.items.get(i);
        let f = |s: &str| format!("entries[{i}].{s}");
        agr.check(
            name,
            &f("title"),
            text(e, "title"),
            o.and_then(|o| o.title.as_deref()).map(clean_text),
        );
        agr.check(
            name,
            &f("link"),
            feed_rs_link(e.get("links")).map(|l| link_key(&l)),
            o.and_then(|o| o.link.as_deref()).map(link_key),
        );
        let published = jstr(e, "published").and_then(|d| date_key(&d));
        agr.check(
            name,
            &f("published"),
            published.clone(),
            stamp_key(o.and_then(|o| o.published)),
        );
        let updated = jstr(e, "updated").and_then(|d| date_key(&d));
        if !(is_rss && updated == published) {
            agr.check(
                name,
                &f("updated"),
                updated,
                stamp_key(o.and_then(|o| o.updated)),
            );
        }
    }
}

#[test]
fn agreement_with_gofeed_and_feed_rs_expectations() {
    let Some(root) = shared_root() else {
        eprintln!("corpora not found; set FEEDWRIGHT_SHARED");
        return;
    };
    let feeds = root.join("corpora/feeds");
    let mut gofeed = Agreement::default();
    for kind in ["rss", "atom", "json"] {
        let dir = feeds.join("gofeed/testdata/translator").join(kind);
        let mut files = Vec::new();
        walk(&dir, &mut files);
        for input in &files {
            let name = input.file_name().unwrap().to_string_lossy().to_string();
            let expected = if kind == "json" {
                if name.ends_with("_expected.json") {
                    continue;
                }
                input.with_file_name(name.replace(".json", "_expected.json"))
            } else {
                if !name.ends_with(".xml") {
                    continue;
                }
                input.with_extension("json")
            };
            let Ok(exp) = std::fs::read_to_string(&expected) else {
                continue;
            };
            let exp: Value = serde_json::from_str(&exp).unwrap();
            let ours = read_plain(input);
            compare_gofeed(&mut gofeed, &format!("{kind}/{name}"), ours.as_ref(), &exp);
        }
    }
    let mut feed_rs = Agreement::default();
    let mut files = Vec::new();
    walk(&feeds.join("feed-rs/fixture"), &mut files);
    for exp_path in files
        .iter()
        .filter(|p| p.to_string_lossy().ends_with(".serde.json"))
    {
        let stem = exp_path
            .to_string_lossy()
            .trim_end_matches(".serde.json")
            .to_string();
        let input = ["xml", "json"]
            .iter()
            .map(|ext| PathBuf::from(format!("{stem}.{ext}")))
            .find(|p| p.exists());
        let Some(input) = input else { continue };
        let exp: Value = serde_json::from_str(&std::fs::read_to_string(exp_path).unwrap()).unwrap();
        let ours = read_plain(&input);
        let name = input.strip_prefix(&feeds).unwrap().display().to_string();
        compare_feed_rs(&mut feed_rs, &name, ours.as_ref(), &exp);
    }
    println!(
        "gofeed agreement: {:.3} ({}/{})",
        gofeed.ratio(),
        gofeed.agreed,
        gofeed.stated
    );
    for m in &gofeed.misses {
        println!("  gofeed miss: {m}");
    }
    println!(
        "feed-rs agreement: {:.3} ({}/{})",
        feed_rs.ratio(),
        feed_rs.agreed,
        feed_rs.stated
    );
    for m in feed_rs.misses.iter().take(60) {
        println!("  feed-rs miss: {m}");
    }
    assert!(gofeed.stated > 40, "too few gofeed expectations found");
    assert!(
        gofeed.ratio() >= 0.95,
        "gofeed agreement {:.3} < 0.95",
        gofeed.ratio()
    );
}

/// `FEEDWRIGHT_DEBUG_FILE=path cargo test --test corpus_read debug_one -- --ignored --nocapture`
/// prints what the reader makes of one file.
#[test]
#[ignore]
fn debug_one() {
    let Ok(path) = std::env::var("FEEDWRIGHT_DEBUG_FILE") else {
        return;
    };
    let path = PathBuf::from(path);
    let bytes = std::fs::read(&path).unwrap();
    println!("{:#?}", read(&path, &bytes));
}
