//! Scoring article extraction on `../shared/corpora/articles/` with the corpora README's metrics.
//! Shared (via `#[path]`) by `examples/eval.rs`, `tests/extract.rs` and throwaway comparison
//! crates, so every extractor is scored by the same code. Needs only std, serde_json and flate2.
//!
//! Metrics (decisions written down in `eval/RESULTS.md` too):
//! - **Zyte body**: tokens are `\w+` runs (Unicode letters, digits, `_`; case kept); F1 over the
//!   multiset of 4-token shingles (a text shorter than 4 tokens is one shingle); precision and
//!   recall per page, each averaged over the pages, F1 = harmonic mean of the two averages (the
//!   benchmark's own formula, edge cases included: both sides empty → 1).
//! - **WCXB body**: lower-cased `\w+` tokens as a bag; per-page F1 of the overlap, averaged over
//!   pages whose ground truth has `main_content` (709 of 711).
//! - **Title exact** (WCXB, all 711): equal after trimming, collapsing whitespace (NBSP included)
//!   and mapping typographic quotes/dashes to ASCII; case-sensitive.
//! - **Author exact** (WCXB, 553 with an author): same normalisation, case-insensitive; the
//!   truth must equal our first author or all our authors joined by ", ", " and ", ", and " or
//!   " & ".
//! - **Same-day date** (WCXB, 588 with a date): the truth's `YYYY-MM-DD` equals the calendar day
//!   of our published instant *in the offset the page wrote it with* (the day the page states);
//!   a `YYYY-MM` truth compares the month.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Corpus {
    Zyte,
    Wcxb,
}

impl Corpus {
    pub fn name(self) -> &'static str {
        match self {
            Corpus::Zyte => "zyte",
            Corpus::Wcxb => "wcxb",
        }
    }
}

/// One page with its ground truth.
#[derive(Debug, Clone)]
pub struct Page {
    pub corpus: Corpus,
    pub id: String,
    pub url: String,
    pub html: Vec<u8>,
    pub body: Option<String>,
    pub title: Option<String>,
    pub author: Option<String>,
    pub date: Option<String>,
}

/// What an extractor said about a page.
#[derive(Debug, Clone, Default)]
pub struct Prediction {
    pub body_text: String,
    pub title: Option<String>,
    pub authors: Vec<String>,
    /// `YYYY-MM-DD`, the published day in the page's own offset.
    pub date: Option<String>,
    /// Extraction time in microseconds.
    pub micros: u64,
}

#[derive(Debug, Clone, Default)]
pub struct PageScore {
    pub id: String,
    pub corpus: Option<Corpus>,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub has_body: bool,
    pub title: Option<bool>,
    pub author: Option<bool>,
    pub date: Option<bool>,
    pub micros: u64,
}

/// `FEEDWRIGHT_SHARED`, else `../shared` beside the crate, else `/work/shared`.
pub fn shared_root(manifest_dir: &str) -> Option<PathBuf> {
    if let Ok(p) = std::env::var("FEEDWRIGHT_SHARED") {
        return Some(PathBuf::from(p));
    }
    let beside = Path::new(manifest_dir).join("../shared");
    if beside.join("corpora").exists() {
        return Some(beside);
    }
    let abs = PathBuf::from("/work/shared");
    abs.join("corpora").exists().then_some(abs)
}

fn gunzip(path: &Path) -> Option<Vec<u8>> {
    let file = std::fs::File::open(path).ok()?;
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

fn str_field(v: &serde_json::Value, k: &str) -> Option<String> {
    v.get(k)
        .and_then(|x| x.as_str())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The pages of one corpus, sorted by id; with `every = n`, only every n-th (0, n, 2n …).
pub fn load(shared: &Path, corpus: Corpus, every: usize) -> Vec<Page> {
    let every = every.max(1);
    let dir = shared.join("corpora/articles");
    let mut pages = Vec::new();
    match corpus {
        Corpus::Zyte => {
            let Ok(text) = std::fs::read_to_string(dir.join("zyte/ground-truth.json")) else {
                return pages;
            };
            let Ok(truth) = serde_json::from_str::<serde_json::Value>(&text) else {
                return pages;
            };
            let Some(map) = truth.as_object() else {
                return pages;
            };
            let mut ids: Vec<&String> = map.keys().collect();
            ids.sort();
            for (i, id) in ids.into_iter().enumerate() {
                if i % every != 0 {
                    continue;
                }
                let Some(html) = gunzip(&dir.join(format!("zyte/html/{id}.html.gz"))) else {
                    continue;
                };
                let t = &map[id];
                pages.push(Page {
                    corpus,
                    id: id.clone(),
                    url: str_field(t, "url").unwrap_or_default(),
                    html,
                    body: t
                        .get("articleBody")
                        .and_then(|x| x.as_str())
                        .map(str::to_string),
                    title: None,
                    author: None,
                    date: None,
                });
            }
        }
        Corpus::Wcxb => {
            let Ok(rd) = std::fs::read_dir(dir.join("wcxb-dev/ground-truth")) else {
                return pages;
            };
            let mut files: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
            files.sort();
            for (i, f) in files.into_iter().enumerate() {
                if i % every != 0 {
                    continue;
                }
                let Some(id) = f.file_stem().map(|s| s.to_string_lossy().into_owned()) else {
                    continue;
                };
                let Ok(text) = std::fs::read_to_string(&f) else {
                    continue;
                };
                let Ok(v) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                let Some(html) = gunzip(&dir.join(format!("wcxb-dev/html/{id}.html.gz"))) else {
                    continue;
                };
                let gt = v.get("ground_truth").cloned().unwrap_or_default();
                pages.push(Page {
                    corpus,
                    id,
                    url: str_field(&v, "url").unwrap_or_default(),
                    html,
                    body: str_field(&gt, "main_content"),
                    title: str_field(&gt, "title"),
                    author: str_field(&gt, "author"),
                    date: str_field(&gt, "publish_date"),
                });
            }
        }
    }
    pages
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `\w+` tokens.
pub fn tokens(text: &str) -> Vec<&str> {
    text.split(|c: char| !is_word(c))
        .filter(|t| !t.is_empty())
        .collect()
}

fn shingles(text: &str) -> HashMap<String, u32> {
    let toks = tokens(text);
    let mut out = HashMap::new();
    let n = 4;
    let count = toks.len().saturating_sub(n - 1).max(1);
    for i in 0..count {
        let end = (i + n).min(toks.len());
        let key = toks
            .get(i..end)
            .map(|s| s.join("\u{1}"))
            .unwrap_or_default();
        *out.entry(key).or_insert(0) += 1;
    }
    out
}

fn overlap(a: &HashMap<String, u32>, b: &HashMap<String, u32>) -> (u64, u64, u64) {
    let mut tp = 0u64;
    for (k, &ca) in a {
        if let Some(&cb) = b.get(k) {
            tp += u64::from(ca.min(cb));
        }
    }
    let total_a: u64 = a.values().map(|&v| u64::from(v)).sum();
    let total_b: u64 = b.values().map(|&v| u64::from(v)).sum();
    (tp, total_a - tp, total_b - tp)
}

/// Zyte shingle precision and recall for one page (the benchmark's edge cases).
pub fn shingle_pr(truth: &str, pred: &str) -> (f64, f64) {
    let (tp, fp, fn_) = overlap(&shingles(pred), &shingles(truth));
    let precision = if fp == 0 && fn_ == 0 {
        1.0
    } else if tp == 0 && fp == 0 {
        0.0
    } else {
        tp as f64 / (tp + fp) as f64
    };
    let recall = if fp == 0 && fn_ == 0 {
        1.0
    } else if tp == 0 && fn_ == 0 {
        0.0
    } else {
        tp as f64 / (tp + fn_) as f64
    };
    (precision, recall)
}

/// WCXB word precision, recall and F1 for one page.
pub fn word_prf(truth: &str, pred: &str) -> (f64, f64, f64) {
    let bag = |t: &str| {
        let mut m: HashMap<String, u32> = HashMap::new();
        for w in tokens(t) {
            *m.entry(w.to_lowercase()).or_insert(0) += 1;
        }
        m
    };
    let (tp, fp, fn_) = overlap(&bag(pred), &bag(truth));
    if tp == 0 {
        return (0.0, 0.0, 0.0);
    }
    let p = tp as f64 / (tp + fp) as f64;
    let r = tp as f64 / (tp + fn_) as f64;
    (p, r, 2.0 * p * r / (p + r))
}

/// Whitespace collapsed, typographic quotes and dashes made ASCII.
pub fn normalise_field(s: &str) -> String {
    let mapped: String = s
        .chars()
        .map(|c| match c {
            '\u{2018}' | '\u{2019}' | '\u{201a}' | '\u{2032}' => '\'',
            '\u{201c}' | '\u{201d}' | '\u{201e}' | '\u{2033}' => '"',
            '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
            '\u{a0}' => ' ',
            c => c,
        })
        .collect();
    mapped.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn author_matches(truth: &str, ours: &[String]) -> bool {
    let t = normalise_field(truth).to_lowercase();
    if ours.is_empty() {
        return false;
    }
    let ours: Vec<String> = ours
        .iter()
        .map(|a| normalise_field(a).to_lowercase())
        .collect();
    let mut forms = vec![
        ours[0].clone(),
        ours.join(", "),
        ours.join(" and "),
        ours.join(" & "),
    ];
    if ours.len() > 1 {
        let (last, init) = ours.split_last().unwrap_or((&ours[0], &[]));
        forms.push(format!("{}, and {last}", init.join(", ")));
        forms.push(format!("{} and {last}", init.join(", ")));
        forms.push(format!("{} & {last}", init.join(", ")));
    }
    forms.contains(&t)
}

/// Score one page.
pub fn score(page: &Page, pred: &Prediction) -> PageScore {
    let mut s = PageScore {
        id: page.id.clone(),
        corpus: Some(page.corpus),
        micros: pred.micros,
        ..PageScore::default()
    };
    if let Some(body) = &page.body {
        s.has_body = true;
        match page.corpus {
            Corpus::Zyte => {
                let (p, r) = shingle_pr(body, &pred.body_text);
                s.precision = p;
                s.recall = r;
                s.f1 = if p + r > 0.0 {
                    2.0 * p * r / (p + r)
                } else {
                    0.0
                };
            }
            Corpus::Wcxb => {
                let (p, r, f) = word_prf(body, &pred.body_text);
                s.precision = p;
                s.recall = r;
                s.f1 = f;
            }
        }
    }
    if page.corpus == Corpus::Wcxb {
        s.title = page.title.as_ref().map(|t| {
            pred.title
                .as_deref()
                .is_some_and(|o| normalise_field(o) == normalise_field(t))
        });
        s.author = page
            .author
            .as_ref()
            .map(|a| author_matches(a, &pred.authors));
        s.date = page.date.as_ref().map(|d| {
            pred.date
                .as_deref()
                .is_some_and(|o| o.get(..d.len()) == Some(d.as_str()))
        });
    }
    s
}

/// The figures for one corpus.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    /// Zyte: F1 of the averaged precision and recall; WCXB: averaged per-page F1.
    pub f1: f64,
    pub title: Option<(usize, usize)>,
    pub author: Option<(usize, usize)>,
    pub date: Option<(usize, usize)>,
    pub median_ms: f64,
    pub p90_ms: f64,
}

fn ratio(xs: impl Iterator<Item = Option<bool>>) -> Option<(usize, usize)> {
    let (mut hit, mut n) = (0, 0);
    for x in xs.flatten() {
        n += 1;
        if x {
            hit += 1;
        }
    }
    (n > 0).then_some((hit, n))
}

pub fn summarise(corpus: Corpus, scores: &[PageScore]) -> Summary {
    let bodies: Vec<&PageScore> = scores.iter().filter(|s| s.has_body).collect();
    let n = bodies.len().max(1) as f64;
    let precision = bodies.iter().map(|s| s.precision).sum::<f64>() / n;
    let recall = bodies.iter().map(|s| s.recall).sum::<f64>() / n;
    let f1 = match corpus {
        Corpus::Zyte if precision + recall > 0.0 => 2.0 * precision * recall / (precision + recall),
        Corpus::Zyte => 0.0,
        Corpus::Wcxb => bodies.iter().map(|s| s.f1).sum::<f64>() / n,
    };
    let mut times: Vec<u64> = scores.iter().map(|s| s.micros).collect();
    times.sort_unstable();
    let at = |q: f64| {
        if times.is_empty() {
            return 0.0;
        }
        let i = ((times.len() - 1) as f64 * q).round() as usize;
        times.get(i).copied().unwrap_or(0) as f64 / 1000.0
    };
    Summary {
        pages: scores.len(),
        precision,
        recall,
        f1,
        title: ratio(scores.iter().map(|s| s.title)),
        author: ratio(scores.iter().map(|s| s.author)),
        date: ratio(scores.iter().map(|s| s.date)),
        median_ms: at(0.5),
        p90_ms: at(0.9),
    }
}

pub fn frac(x: Option<(usize, usize)>) -> Option<f64> {
    x.map(|(h, n)| h as f64 / n as f64)
}

/// One table row.
pub fn row(name: &str, corpus: Corpus, s: &Summary) -> String {
    let f = |x: Option<(usize, usize)>| match x {
        Some((h, n)) => format!("{:.3} ({h}/{n})", h as f64 / n as f64),
        None => "-".into(),
    };
    format!(
        "| {name} | {} | {} | {:.3} | {:.3} | {:.3} | {} | {} | {} | {:.1} | {:.1} |",
        corpus.name(),
        s.pages,
        s.f1,
        s.precision,
        s.recall,
        f(s.title),
        f(s.author),
        f(s.date),
        s.median_ms,
        s.p90_ms
    )
}

pub const HEADER: &str = "| extractor | corpus | pages | body F1 | P | R | title exact | author exact | same-day date | median ms | p90 ms |\n|---|---|---|---|---|---|---|---|---|---|---|";

// ---------------------------------------------------------------------------------------------
// Date diagnostic: is the truth date in the page at all?

/// Month names in the corpora's languages (en, es, fr, de, pt, it), lower case, full and
/// abbreviated; accented and unaccented spellings.
const MONTH_NAMES: [&[&str]; 12] = [
    &[
        "january", "jan", "enero", "ene", "janvier", "janv", "januar", "janeiro", "gennaio", "genn",
    ],
    &[
        "february",
        "feb",
        "febrero",
        "février",
        "fevrier",
        "févr",
        "fevr",
        "februar",
        "fevereiro",
        "fev",
        "febbraio",
    ],
    &[
        "march", "mar", "marzo", "mars", "märz", "marz", "março", "marco",
    ],
    &["april", "apr", "abril", "abr", "avril", "avr", "aprile"],
    &["may", "mayo", "mai", "maio", "maggio", "mag"],
    &[
        "june", "jun", "junio", "juin", "juni", "junho", "giugno", "giu",
    ],
    &[
        "july", "jul", "julio", "juillet", "juil", "juli", "julho", "luglio", "lug",
    ],
    &["august", "aug", "agosto", "ago", "août", "aout", "aoû"],
    &[
        "september",
        "sep",
        "sept",
        "septiembre",
        "septembre",
        "setembro",
        "set",
        "settembre",
    ],
    &[
        "october", "oct", "octubre", "octobre", "oktober", "okt", "outubro", "out", "ottobre",
        "ott",
    ],
    &["november", "nov", "noviembre", "novembre", "novembro"],
    &[
        "december",
        "dec",
        "diciembre",
        "dic",
        "décembre",
        "decembre",
        "déc",
        "dezember",
        "dez",
        "dezembro",
        "dicembre",
    ],
];

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `needle` in `hay` with no digit right before or after it (so `3/5/2024` is not found in
/// `13/5/2024`).
fn contains_bounded(hay: &str, needle: &str) -> bool {
    let b = hay.as_bytes();
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(needle)) {
        let start = from + i;
        let end = start + needle.len();
        let before = start.checked_sub(1).and_then(|k| b.get(k));
        if !before.is_some_and(u8::is_ascii_digit) && !b.get(end).is_some_and(u8::is_ascii_digit) {
            return true;
        }
        from = start + 1;
    }
    false
}

/// Whether the page's raw HTML writes the truth date (`YYYY-MM-DD`, or `YYYY-MM` for a month)
/// anywhere, markup and scripts included. **Approximate**, a diagnostic for how many dated
/// truths an extractor could find at all, never a score: it looks for numeric forms
/// (`2024-03-05`, `2024/03/05`, `05/03/2024`, `3/5/2024`, `05.03.2024`, `5.3.24`, `20240305`,
/// `2024-03` …), a month name of our languages and the day within 40 bytes before the year
/// (`March 5, 2024`, `5 mars 2024`, `5 de marzo de 2024`, tags in between allowed), and Unix
/// timestamps in seconds or milliseconds standing as a value (not cache busters or tracking
/// ids) whose instant falls on that day in some zone (−12 h to +14 h). It can miss dates split oddly over markup and can take an unrelated date of the same
/// day for the page's own.
pub fn date_in_html(html: &[u8], truth: &str) -> bool {
    let parts: Vec<i64> = truth
        .split('-')
        .map(|p| p.parse::<i64>().unwrap_or(-1))
        .collect();
    let (y, m, d) = match parts[..] {
        [y, m, d] if y > 0 && (1..=12).contains(&m) && (1..=31).contains(&d) => (y, m, Some(d)),
        [y, m] if y > 0 && (1..=12).contains(&m) => (y, m, None),
        _ => return false,
    };
    let text = String::from_utf8_lossy(html).to_lowercase();
    let yy = y % 100;
    let mut forms: Vec<String> = Vec::new();
    match d {
        Some(d) => {
            for sep in ["-", "/", "."] {
                forms.push(format!("{y}{sep}{m:02}{sep}{d:02}"));
                forms.push(format!("{y}{sep}{m}{sep}{d}"));
                for (a, b) in [(d, m), (m, d)] {
                    forms.push(format!("{a:02}{sep}{b:02}{sep}{y}"));
                    forms.push(format!("{a}{sep}{b}{sep}{y}"));
                    forms.push(format!("{a:02}{sep}{b:02}{sep}{yy:02}"));
                    forms.push(format!("{a}{sep}{b}{sep}{yy:02}"));
                }
            }
            forms.push(format!("{y}{m:02}{d:02}"));
        }
        None => {
            for sep in ["-", "/", "."] {
                forms.push(format!("{y}{sep}{m:02}"));
                forms.push(format!("{m:02}{sep}{y}"));
                forms.push(format!("{m}{sep}{y}"));
            }
        }
    }
    if forms.iter().any(|f| contains_bounded(&text, f)) {
        return true;
    }
    // A month name (and the day) shortly before the year.
    let year = y.to_string();
    let names = MONTH_NAMES[(m - 1) as usize];
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(&year)) {
        let at = from + i;
        from = at + 1;
        if bytes.get(at + year.len()).is_some_and(u8::is_ascii_digit)
            || at
                .checked_sub(1)
                .and_then(|k| bytes.get(k))
                .is_some_and(u8::is_ascii_digit)
        {
            continue;
        }
        let mut start = at.saturating_sub(40);
        while !text.is_char_boundary(start) {
            start += 1;
        }
        let window = text.get(start..at).unwrap_or("");
        let words: Vec<&str> = window
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let has_month = words.iter().any(|w| names.contains(w));
        let has_day = d.is_none_or(|d| {
            words.iter().any(|w| {
                let digits = w.trim_end_matches(|c: char| c.is_alphabetic());
                digits.parse::<i64>() == Ok(d) && digits.len() <= 2
            })
        });
        if has_month && has_day {
            return true;
        }
    }
    // Unix timestamps (s or ms) on that day in some zone.
    if let Some(d) = d {
        let day0 = days_from_civil(y, m, d) * 86_400;
        let (lo, hi) = (day0 - 14 * 3600, day0 + 86_400 + 12 * 3600);
        let mut run = 0usize;
        for (k, c) in bytes.iter().chain(std::iter::once(&b' ')).enumerate() {
            if c.is_ascii_digit() {
                run += 1;
                continue;
            }
            // A timestamp stands as a value (`"ts":1709640000`, `data-time="…"`), not glued to
            // a letter (`e1588522789209`), in a query string (`?v=1598815384`) or in a dotted
            // run (`_ga=2.1506.1688752487`): those are cache busters and tracking ids.
            let before = k.checked_sub(run + 1).and_then(|i| bytes.get(i));
            let as_value =
                before.is_none_or(|b| b" \t\n\"':>([,".contains(b)) && !matches!(c, b'.' | b'-');
            if (run == 10 || run == 13) && as_value {
                let s = text.get(k - run..k).and_then(|t| t.parse::<i64>().ok());
                if let Some(mut t) = s {
                    if run == 13 {
                        t /= 1000;
                    }
                    if (lo..hi).contains(&t) {
                        return true;
                    }
                }
            }
            run = 0;
        }
    }
    false
}

/// Same-day accuracy on the pages whose truth date is in the raw HTML: `found[i]` is
/// [`date_in_html`] for page `i` (`None` without a truth date). Returns `(dated, findable, hits
/// among the findable)`.
pub fn findable_dates(found: &[Option<bool>], scores: &[PageScore]) -> (usize, usize, usize) {
    let (mut dated, mut findable, mut hits) = (0, 0, 0);
    for (f, s) in found.iter().zip(scores) {
        let (Some(f), Some(hit)) = (*f, s.date) else {
            continue;
        };
        dated += 1;
        if f {
            findable += 1;
            hits += usize::from(hit);
        }
    }
    (dated, findable, hits)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truth_dates_are_found_in_common_forms() {
        let found = |html: &str, truth: &str| date_in_html(html.as_bytes(), truth);
        for html in [
            r#"<meta content="2024-03-05T10:00:00Z">"#,
            "<span>03/05/2024</span>",
            "<span>5/3/2024</span>",
            "<span>05.03.24</span>",
            "<time>March 5th, 2024</time>",
            "<p>Posted on <b>5 mars</b> 2024</p>",
            "<p>5 de marzo de 2024</p>",
            r#"{"ts":1709640000}"#,
            r#"{"ms":1709640000000}"#,
        ] {
            assert!(found(html, "2024-03-05"), "{html}");
        }
        for html in [
            "<span>13/05/2024</span>",
            "<p>March 15, 2024</p>",
            "<p>5 April 2024</p>",
            r#"{"ts":1709900000}"#,
            "<p>2024</p>",
            r#"<img src="/a.jpg?v=1709640000">"#,
            r#"<a href="/b?_ga=2.1506.1709640000-1366">"#,
            r#"<img src="/a-e1709640000000.jpg">"#,
        ] {
            assert!(!found(html, "2024-03-05"), "{html}");
        }
        assert!(found("<p>November 2003</p>", "2003-11"));
        assert!(found("/uploads/2003-11/a.jpg", "2003-11"));
        assert!(!found("<p>December 2003</p>", "2003-11"));
        assert!(!found("<p>anything</p>", "not a date"));
    }
}
