//! Agreement of `normalise::date::parse_date_utc` with feedparser's date test cases
//! (`corpora/feeds/feedparser/date_cases.json` under `$FEEDWRIGHT_SHARED`, default
//! `/work/shared`): to the second in UTC, and `null` must give `None`. Prints agreement overall
//! and per style; skipped with a message when the corpus is missing.

use std::collections::BTreeMap;
use std::path::PathBuf;

use feedwright::normalise::date::parse_date_utc;

/// Cases in languages we deliberately do not read (Greek, Hungarian, Korean) may fail.
const FLOOR: f64 = 0.93;

#[test]
fn feedparser_date_cases() {
    let root = std::env::var_os("FEEDWRIGHT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared"));
    let path = root.join("corpora/feeds/feedparser/date_cases.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&text).expect("date_cases.json is JSON");
    let cases = doc["cases"].as_array().expect("a `cases` array");

    let mut per_style: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    for case in cases {
        let input = case["input"].as_str().expect("input");
        let style = case["style"].as_str().unwrap_or("?").to_string();
        let expected = case["expected_utc"].as_str();
        let got = parse_date_utc(input).map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let ok = got.as_deref() == expected;
        let e = per_style.entry(style.clone()).or_default();
        e.1 += 1;
        if ok {
            e.0 += 1;
        } else {
            failures.push(format!(
                "  [{style}] {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }

    let (good, total) = per_style
        .values()
        .fold((0, 0), |(g, t), (a, b)| (g + a, t + b));
    let overall = good as f64 / total as f64;
    println!("date_cases agreement: {good}/{total} = {overall:.3}");
    for (style, (g, t)) in &per_style {
        println!("  {style:<10} {g}/{t}");
    }
    if !failures.is_empty() {
        println!("failing cases:");
        for f in &failures {
            println!("{f}");
        }
    }
    assert!(
        overall >= FLOOR,
        "agreement {overall:.3} fell below the floor {FLOOR}"
    );
}
