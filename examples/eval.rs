//! Article-extraction evaluation: runs `extract_article` on the pages of
//! `../shared/corpora/articles/` (Zyte, WCXB dev) and prints body F1, title/author/date accuracy
//! and extraction time per page.
//!
//! ```text
//! cargo run --release --example eval [-- --corpus zyte|wcxb|all] [--every N] [--worst N] [--pages FILE]
//! ```
//! `--worst N` lists the N lowest-scoring pages of each corpus; `--pages FILE` writes one TSV
//! line per page (corpus, id, F1, P, R, title, author, date, ms, our title, true title, our
//! authors, true author, our date, true date, whether the true date is written in the raw HTML)
//! for closer study. For WCXB a diagnostic line follows the table: how many dated truths the
//! page's HTML writes at all (an approximate search, `scoring::date_in_html`) and the same-day
//! accuracy on those — a ceiling for the planner, not a target.
//! Corpora: `FEEDWRIGHT_SHARED`, else `../shared` beside the crate, else `/work/shared`.

#[path = "../eval/scoring.rs"]
mod scoring;

use feedwright::normalise::date::DateContext;
use feedwright::source::auto::article::extract_article;
use scoring::{Corpus, Page, Prediction};
use std::io::Write;
use std::time::Instant;

/// When the corpora were captured, as best known (after the newest ground-truth date).
const CAPTURED_AT: &str = "2026-03-15T00:00:00Z";

/// Run our extractor on one page.
pub fn predict(page: &Page) -> Prediction {
    let url = url::Url::parse(&page.url)
        .or_else(|_| url::Url::parse("https://example.invalid/"))
        .unwrap_or_else(|_| unreachable!("static URL"));
    // The corpora's capture time as best known: just after the newest WCXB ground-truth date
    // (2026-03-12). Relative and year-less dates on the pages resolve against it, and dates
    // after it are refused as "in the future", as they would be on the day of capture.
    let now = chrono::DateTime::parse_from_rfc3339(CAPTURED_AT)
        .map(|t| t.with_timezone(&chrono::Utc))
        .unwrap_or_else(|_| unreachable!("static time"));
    let dates = DateContext {
        now,
        timezone: None,
        language: None,
        day_first: None,
        format: None,
    };
    let start = Instant::now();
    let text = feedwright::source::repair::decode(&page.html, None).text;
    let article = extract_article(&text, &url, &dates);
    let micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    // The day in the offset the page wrote; a month-precision date is only its month (it
    // matches a `YYYY-MM` truth, never a day).
    let date = article.published.map(|s| {
        let fmt = if s.precision == feedwright::model::DatePrecision::Month {
            "%Y-%m"
        } else {
            "%Y-%m-%d"
        };
        chrono::FixedOffset::east_opt(s.offset_secs)
            .map(|o| s.utc.with_timezone(&o).format(fmt).to_string())
            .unwrap_or_else(|| s.utc.format(fmt).to_string())
    });
    Prediction {
        body_text: article.content_text().unwrap_or_default(),
        title: article.title,
        authors: article.authors.into_iter().filter_map(|p| p.name).collect(),
        date,
        micros,
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let corpora = match value("--corpus").as_deref() {
        Some("zyte") => vec![Corpus::Zyte],
        Some("wcxb") => vec![Corpus::Wcxb],
        _ => vec![Corpus::Zyte, Corpus::Wcxb],
    };
    let every: usize = value("--every").and_then(|v| v.parse().ok()).unwrap_or(1);
    let worst: usize = value("--worst").and_then(|v| v.parse().ok()).unwrap_or(0);
    let Some(shared) = scoring::shared_root(env!("CARGO_MANIFEST_DIR")) else {
        eprintln!("corpora not found: set FEEDWRIGHT_SHARED");
        std::process::exit(2);
    };
    let mut tsv = value("--pages").and_then(|p| std::fs::File::create(p).ok());
    println!("{}", scoring::HEADER);
    for corpus in corpora {
        let pages = scoring::load(&shared, corpus, every);
        let mut scores = Vec::with_capacity(pages.len());
        let mut found: Vec<Option<bool>> = Vec::with_capacity(pages.len());
        for page in &pages {
            let pred = predict(page);
            let s = scoring::score(page, &pred);
            // Approximate (see `scoring::date_in_html`): whether the truth date is written in
            // the raw HTML at all.
            let in_html = page
                .date
                .as_deref()
                .map(|t| scoring::date_in_html(&page.html, t));
            found.push(in_html);
            if let Some(f) = tsv.as_mut() {
                let b = |x: Option<bool>| match x {
                    Some(true) => "1",
                    Some(false) => "0",
                    None => "-",
                };
                let _ = writeln!(
                    f,
                    "{}\t{}\t{:.3}\t{:.3}\t{:.3}\t{}\t{}\t{}\t{:.1}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{:?}\t{}",
                    corpus.name(),
                    page.id,
                    s.f1,
                    s.precision,
                    s.recall,
                    b(s.title),
                    b(s.author),
                    b(s.date),
                    s.micros as f64 / 1000.0,
                    pred.title,
                    page.title,
                    pred.authors,
                    page.author,
                    pred.date,
                    page.date,
                    b(in_html)
                );
            }
            scores.push(s);
        }
        let summary = scoring::summarise(corpus, &scores);
        println!("{}", scoring::row("feedwright", corpus, &summary));
        // A diagnostic, not a target: the same-day figure on the pages whose truth date the
        // raw HTML writes somewhere (an approximate search), an honest ceiling beside the
        // official figure above.
        let (dated, findable, hits) = scoring::findable_dates(&found, &scores);
        if dated > 0 {
            println!(
                "date diagnostic ({}): truth date found in the raw HTML on {findable}/{dated} dated pages (approximate search); same-day on those {:.3} ({hits}/{findable})",
                corpus.name(),
                hits as f64 / findable.max(1) as f64
            );
            let missing: Vec<&str> = pages
                .iter()
                .zip(&found)
                .filter(|(_, f)| **f == Some(false))
                .map(|(p, _)| p.id.as_str())
                .collect();
            eprintln!("  truth date not found in the HTML: {}", missing.join(" "));
        }
        if worst > 0 {
            let mut sorted: Vec<&scoring::PageScore> =
                scores.iter().filter(|s| s.has_body).collect();
            sorted.sort_by(|a, b| a.f1.total_cmp(&b.f1));
            for s in sorted.iter().take(worst) {
                eprintln!(
                    "  worst {} {}: F1 {:.3} P {:.3} R {:.3}",
                    corpus.name(),
                    s.id,
                    s.f1,
                    s.precision,
                    s.recall
                );
            }
        }
    }
}
