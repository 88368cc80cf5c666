//! The last layer of the chain: what a reader sees. Bylines ("By NAME", "Writer: NAME", "Von
//! NAME", "Por NAME", an avatar's `alt="Writer: NAME"`, `rel=author`, elements whose class says
//! author/byline) and the fallback dates (`<time datetime>`, then short date-like texts in
//! date-ish elements, then a `/2025/09/04/` path; the dateline beside the headline is
//! [`super::dateline`]'s), read through the date engine. Comment sections are never looked into.

use super::meta::sel;
use crate::model::Stamp;
use crate::normalise::date::{DateContext, parse_human_date};
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// Words that introduce an author's name in a byline, in the languages we read.
static BYLINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\s*(?:written\s+by|posted\s+by|published\s+by|words\s+by|story\s+by|by|writer|author|contributors?|autor|auteur|autore|von|por|par|door|di|av|af|przez)\s*[:\-–—]?\s+(.+)$",
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});

/// What an element's own names say about it: its `class`, `id` and `data-hook`, lower-cased.
pub fn box_hint(v: &scraper::node::Element) -> String {
    format!(
        "{} {} {}",
        v.attr("class").unwrap_or(""),
        v.attr("id").unwrap_or(""),
        v.attr("data-hook").unwrap_or("")
    )
    .to_ascii_lowercase()
}

/// The lower-cased tokens of a class (or [`box_hint`]) that can name a section of the page:
/// not utility classes with arbitrary values (`md:[grid-area:sidebar]` styles a box, it does
/// not say what it holds), not layout switches (`no-sidebar`, `has-sidebar`, `with-related`).
pub fn section_tokens(names: &str) -> impl Iterator<Item = String> + '_ {
    names
        .split_whitespace()
        .filter(|t| !t.contains('['))
        .map(str::to_ascii_lowercase)
        .filter(|t| {
            !["no-", "has-", "with-", "without-"]
                .iter()
                .any(|p| t.starts_with(p))
        })
}

/// The boxes an element sits in, innermost first, at most 40 levels up, without `<body>` and
/// `<html>`: a page-wide class (`<body class="comments-open no-sidebar">`) describes the page,
/// not a section of it.
pub fn section_ancestors(e: ElementRef<'_>) -> impl Iterator<Item = ElementRef<'_>> {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .take(40)
        .filter(|a| !matches!(a.value().name(), "body" | "html"))
}

/// Whether an element sits in a comments section (its own or an ancestor's class/id says so).
pub fn in_comments(e: ElementRef<'_>) -> bool {
    section_ancestors(e).any(|a| {
        let hint = box_hint(a.value());
        hint.contains("comment") || hint.contains("respond") || hint.contains("disqus")
    })
}

pub fn in_furniture(e: ElementRef<'_>) -> bool {
    section_ancestors(e).any(|a| {
        let v = a.value();
        matches!(v.name(), "footer" | "nav" | "aside")
            || v.attr("class").is_some_and(|c| {
                section_tokens(c)
                    .any(|t| t.contains("related") || t.contains("recent") || t.contains("sidebar"))
            })
            || v.attr("data-hook")
                .is_some_and(|h| h.contains("recent") || h.contains("related"))
    })
}

/// A plausible person or organisation name: 1–8 words, no sentence punctuation, not a date or
/// a link, not furniture.
pub fn clean_name(raw: &str) -> Option<String> {
    let mut s = crate::normalise::clean_text(raw);
    if let Some(c) = BYLINE.captures(&s)
        && let Some(m) = c.get(1)
    {
        s = m.as_str().to_string();
    }
    // Cut at what usually follows a name in a byline line.
    for stop in [
        " | ",
        " • ",
        " · ",
        "  ",
        " - ",
        " – ",
        " — ",
        " ⋅ ",
        "Published",
        "Updated",
        "\n",
    ] {
        if let Some(i) = s.find(stop)
            && i > 0
        {
            s.truncate(i);
        }
    }
    // "Posted by David at December 16, 2025 11:15 AM": the date after the name.
    static AT_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\s+(?:at|on|am|le|el)\s+[^\d]{0,16}\d.*$")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    if let Some(m) = AT_DATE.find(&s)
        && m.start() > 0
    {
        s.truncate(m.start());
    }
    let s = s
        .trim()
        .trim_matches(|c: char| matches!(c, ',' | ':' | '|' | '•' | '·' | '-' | '@'))
        .trim()
        .to_string();
    let words = s.split_whitespace().count();
    if s.is_empty()
        || words > 10
        || s.chars().count() > 100
        || super::meta::looks_like_url(&s)
        || s.contains('{')
        || s.chars().filter(char::is_ascii_digit).count() > 2
    {
        return None;
    }
    let lower = s.to_lowercase();
    if is_label(&s) {
        return None;
    }
    if [
        "min read",
        "share",
        "comment",
        "read more",
        "admin@",
        "this author",
        "all posts",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return None;
    }
    Some(s)
}

/// A byline label with no name after it: "By", "Written by", "Author:", "Posted by".
fn is_label(text: &str) -> bool {
    static LABEL: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"(?i)^\s*(?:(?:written|posted|published|words|story|text|guide|authored|reporting|article)\s+by|by|writer|writers|author|authors|contributors?|autor|auteur|von|por|par)\s*[:\-–—]?\s*$",
        )
        .unwrap_or_else(|_| unreachable!("static regex"))
    });
    LABEL.is_match(text)
}

/// Whether a text run only joins two names: "and", "&", ",".
fn is_connector(text: &str) -> bool {
    matches!(
        text.trim().to_lowercase().as_str(),
        "and" | "&" | "," | ", and" | "und" | "y" | "et" | "e"
    )
}

/// A name (or names joined as written) from an element's text runs: leading labels skipped,
/// the first run that reads as a name, then "and"/","-joined further names; a job title or a
/// date in a later run is left out.
fn name_from_runs(runs: &[String]) -> Option<String> {
    let mut i = 0;
    while runs.get(i).is_some_and(|r| is_label(r)) {
        i += 1;
    }
    let mut name = clean_name(runs.get(i)?)?;
    i += 1;
    while let (Some(c), Some(next)) = (runs.get(i), runs.get(i + 1)) {
        if !is_connector(c) {
            break;
        }
        let Some(n) = clean_name(next) else {
            break;
        };
        let c = c.trim();
        if c == "," {
            name = format!("{name}, {n}");
        } else {
            name = format!("{name} {c} {n}");
        }
        i += 2;
    }
    Some(name)
}

fn runs_of(e: ElementRef<'_>) -> Vec<String> {
    e.text()
        .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| !t.is_empty())
        .take(16)
        .collect()
}

/// Author names as the page shows them.
pub fn visible_authors(doc: &Html) -> Vec<String> {
    static AVATAR: LazyLock<Selector> = LazyLock::new(|| sel("img[alt]"));
    static AUTHORISH: LazyLock<Selector> = LazyLock::new(|| {
        sel(concat!(
            r#"a[rel~="author"], [class*="author-name"], [class*="authorName"], [class*="AuthorName"], "#,
            r#"[class*="byline"] a, [class*="byline"], [class*="Byline"], [data-hook*="author"], "#,
            r#"[class~="author"], [class~="post-author"], [class~="entry-author"], [id*="byline"], "#,
            r#"[class*="author"] a[href*="author"], [data-testid*="author"], [rel~="author"], "#,
            r#"[class*="__author"], [class*="_author-name"], [class*="author__name"], "#,
            r#"[class*="author-meta"]"#
        ))
    });
    static SHORT: LazyLock<Selector> = LazyLock::new(|| {
        sel("p, span, div, li, a, strong, em, address, small, h2, h3, h4, h5, h6")
    });
    let mut out = Vec::new();
    // "Writer: NAME" as an avatar's alt text (Wix).
    for img in doc.select(&AVATAR).take(400) {
        let alt = img.value().attr("alt").unwrap_or("");
        if BYLINE.is_match(alt)
            && !in_comments(img)
            && !in_furniture(img)
            && let Some(n) = clean_name(alt)
        {
            return vec![n];
        }
    }
    for e in doc.select(&AUTHORISH).take(200) {
        if in_comments(e) || in_furniture(e) {
            continue;
        }
        let text: String = e.text().collect::<Vec<_>>().join(" ");
        if text.trim().is_empty() || text.len() > 200 {
            continue;
        }
        let runs = runs_of(e);
        let name = if runs.len() > 1 {
            name_from_runs(&runs)
        } else {
            clean_name(&text)
        };
        if let Some(n) = name
            && !out.contains(&n)
        {
            out.push(n);
            break;
        }
    }
    if !out.is_empty() {
        return out;
    }
    // A short text that starts with a byline word.
    for e in doc.select(&SHORT).take(5000) {
        if let Some(n) = label_run_then_name(e) {
            return vec![n];
        }
        let own: String = e
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        let text = if own.trim().len() >= 3 && !is_label(&own) {
            own
        } else {
            e.text().collect::<Vec<_>>().join(" ")
        };
        let t = text.trim();
        if t.len() < 4 || t.len() > 80 || !BYLINE.is_match(t) {
            continue;
        }
        if in_comments(e) || in_furniture(e) {
            continue;
        }
        let starts_by = t.len() <= 48
            || t.split_whitespace()
                .next()
                .is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
        if !starts_by {
            continue;
        }
        if let Some(n) = clean_name(t)
            && n.chars().next().is_some_and(char::is_uppercase)
        {
            return vec![n];
        }
    }
    label_then_name(doc)
        .or_else(|| super::author::author_box(doc))
        .into_iter()
        .collect()
}

/// A short element whose first text run is a byline label and whose next run is the name:
/// "By <a>A. J. Neal</a> <a>PDF</a>", "by <span>ALLIN ONE</span> on <time>".
fn label_run_then_name(e: ElementRef<'_>) -> Option<String> {
    let first = e.text().map(str::trim).find(|t| !t.is_empty())?;
    if !is_label(first) || e.text().map(str::len).sum::<usize>() > 200 {
        return None;
    }
    let runs = runs_of(e);
    if runs.len() < 2 || in_comments(e) || in_furniture(e) {
        return None;
    }
    name_from_runs(&runs).filter(|n| n.chars().next().is_some_and(char::is_uppercase))
}

/// "Written by" alone in one element and the name in the next text runs (two elements side by
/// side, as page builders lay out bylines).
fn label_then_name(doc: &Html) -> Option<String> {
    let mut texts: Vec<(ego_tree::NodeRef<'_, scraper::Node>, String)> = Vec::new();
    let mut skip_depth = 0usize;
    for edge in doc.tree.root().traverse() {
        let skipped = |n: &ego_tree::NodeRef<'_, scraper::Node>| {
            n.value().as_element().is_some_and(|e| {
                matches!(
                    e.name(),
                    "script" | "style" | "noscript" | "template" | "head" | "svg"
                )
            })
        };
        match edge {
            ego_tree::iter::Edge::Open(n) => {
                if skipped(&n) {
                    skip_depth += 1;
                } else if let scraper::Node::Text(t) = n.value()
                    && skip_depth == 0
                {
                    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
                    if !t.is_empty() {
                        texts.push((n, t));
                    }
                }
            }
            ego_tree::iter::Edge::Close(n) => {
                if skipped(&n) {
                    skip_depth = skip_depth.saturating_sub(1);
                }
            }
        }
        if texts.len() > 20_000 {
            break;
        }
    }
    for (i, (node, t)) in texts.iter().enumerate() {
        if !is_label(t) {
            continue;
        }
        let Some(parent) = node.parent().and_then(ElementRef::wrap) else {
            continue;
        };
        // A label inside running prose ("a library written by X") is no byline.
        if parent.text().map(str::len).sum::<usize>() > 60
            || in_comments(parent)
            || in_furniture(parent)
        {
            continue;
        }
        let runs: Vec<String> = texts
            .iter()
            .skip(i + 1)
            .take(5)
            .map(|(_, t)| t.clone())
            .collect();
        if let Some(n) = name_from_runs(&runs)
            && n.chars().next().is_some_and(char::is_uppercase)
        {
            return Some(n);
        }
    }
    None
}

/// The post's date as the page shows it: `<time datetime>` outside comments and related-post
/// widgets, then short texts in date-ish elements, read through the date engine. A text that
/// says "updated"/"modified" is read only with `updates` (the last resort: the update is then
/// the best date the page states).
pub fn visible_date(doc: &Html, dates: &DateContext<'_>, updates: bool) -> Option<Stamp> {
    static TIME: LazyLock<Selector> = LazyLock::new(|| sel("time"));
    static DATEISH: LazyLock<Selector> = LazyLock::new(|| {
        sel(concat!(
            r#"[class*="date" i], [class*="time" i], [class*="publish" i], [class*="posted" i], "#,
            r#"[class*="meta" i], [id*="date" i], [data-hook*="date" i], [data-hook*="time" i], "#,
            r#"[class*="byline" i]"#
        ))
    });
    for t in doc.select(&TIME).take(200) {
        if in_comments(t) || in_furniture(t) {
            continue;
        }
        let raw = t
            .value()
            .attr("datetime")
            .map(str::to_string)
            .unwrap_or_else(|| t.text().collect::<Vec<_>>().join(" "));
        if let Some(s) = parse_human_date(raw.trim(), dates) {
            return Some(s);
        }
        let text: String = t.text().collect::<Vec<_>>().join(" ");
        if let Some(s) = parse_human_date(text.trim(), dates) {
            return Some(s);
        }
    }
    for e in doc.select(&DATEISH).take(400) {
        let text = e.text().collect::<Vec<_>>().join(" ");
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() || text.len() > 80 || in_comments(e) || in_furniture(e) {
            continue;
        }
        let lower = text.to_lowercase();
        if (lower.contains("updated") || lower.contains("modified")) != updates {
            continue;
        }
        if let Some(s) = parse_human_date(strip_date_label(&text), dates) {
            return Some(s);
        }
    }
    None
}

/// The calendar day of a stamp in the offset it was written with.
pub fn local_day(s: &Stamp) -> chrono::NaiveDate {
    let offset = chrono::FixedOffset::east_opt(s.offset_secs)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    s.utc.with_timezone(&offset).date_naive()
}

/// A `/2025/09/04/` or `/2025-09-04-` date in the page's path: a calendar day, the last resort.
pub fn url_date(page_url: &url::Url, dates: &DateContext<'_>) -> Option<Stamp> {
    static PATH_DATE: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(
            r"/((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:[^\d]|$)",
        )
        .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let c = PATH_DATE.captures(page_url.path())?;
    let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, m, d) = (num(1)?, num(2)?, num(3)?);
    parse_human_date(&format!("{y:04}-{m:02}-{d:02}"), dates)
}

/// "Published on 9 January 2026" → "9 January 2026".
pub fn strip_date_label(text: &str) -> &str {
    static LABEL: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)^\s*(?:published|posted|date|on|publicado|veröffentlicht|publié)(?:\s+on)?\s*:?\s*")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    match LABEL.find(text) {
        Some(m) => text.get(m.end()..).unwrap_or(text),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_bylines() {
        assert_eq!(clean_name("Writer: WGON").as_deref(), Some("WGON"));
        assert_eq!(
            clean_name("By Jane Doe | Jan 9").as_deref(),
            Some("Jane Doe")
        );
        assert_eq!(clean_name("Von Max Muster").as_deref(), Some("Max Muster"));
        assert_eq!(clean_name("Por Ana Pérez").as_deref(), Some("Ana Pérez"));
        assert_eq!(clean_name("https://x.example/profile"), None);
        assert_eq!(clean_name("3 min read"), None);
        assert_eq!(
            clean_name("Posted by David at December 16, 2025 11:15 AM").as_deref(),
            Some("David")
        );
        assert_eq!(clean_name("More about this author"), None);
        let doc = Html::parse_document(
            r#"<article><p>Body text.</p><h3>Written by Cassie Hart</h3><p>Cassie writes.</p></article>"#,
        );
        assert_eq!(visible_authors(&doc), vec!["Cassie Hart".to_string()]);
        let names = |html: &str| visible_authors(&Html::parse_document(html));
        assert_eq!(
            names(
                r#"<p>By <a href="/c/aj">A. J. Neal</a> &nbsp; <a href="/pdf">Download the issue</a></p>"#
            ),
            vec!["A. J. Neal".to_string()]
        );
        assert_eq!(
            names(r#"<div class="meta"> by <span>ALLIN ONE</span> on <time>Jan 2</time></div>"#),
            vec!["ALLIN ONE".to_string()]
        );
        assert_eq!(
            names(r#"<div><strong>Contributors:</strong> Janet Lou</div>"#),
            vec!["Janet Lou".to_string()]
        );
    }

    #[test]
    fn avatar_alt_and_comment_dates() {
        let html = r#"<body><img alt="Writer: WGON" src="a.png"><div class="comments"><time datetime="2026-02-01T00:00:00Z">x</time></div>
<time datetime="2026-01-09T10:00:00Z">Jan 9</time></body>"#;
        let doc = Html::parse_document(html);
        assert_eq!(visible_authors(&doc), vec!["WGON".to_string()]);
        let ctx = DateContext {
            now: chrono::Utc::now(),
            timezone: None,
            language: None,
            day_first: None,
            format: None,
        };
        let d = visible_date(&doc, &ctx, false).map(|s| s.utc.to_rfc3339());
        assert_eq!(d.as_deref(), Some("2026-01-09T10:00:00+00:00"));
        // "Updated …" in a date-ish element: only as the last resort.
        let doc = Html::parse_document(
            r#"<body><p class="byline__pub-dates">Updated March 13, 2024</p></body>"#,
        );
        assert_eq!(visible_date(&doc, &ctx, false), None);
        assert_eq!(
            visible_date(&doc, &ctx, true).map(|s| local_day(&s).to_string()),
            Some("2024-03-13".to_string())
        );
    }
    fn ctx_at_capture() -> DateContext<'static> {
        DateContext {
            now: chrono::DateTime::parse_from_rfc3339("2026-03-15T12:00:00Z")
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_else(|_| unreachable!()),
            timezone: None,
            language: None,
            day_first: None,
            format: None,
        }
    }

    #[test]
    fn dateline_beside_the_headline_not_in_related_posts() {
        let html = r#"<body><aside class="related"><span>March 1, 2026</span></aside>
<article><p class="kicker">Last updated:</p><p>Dec 12, 2025</p><h1>The Post</h1>
<div class="meta"><a href="/a">Ann</a> <span>•</span> <span>Updated on August 14, 2025</span></div>
<p>A long first paragraph of body text that goes on for a while, well beyond two hundred characters, so that the scan stops here and never reads the date in it: 1 January 2020, which is not the dateline at all. More words follow.</p>
<p>Nov 3, 2024</p></article></body>"#;
        let doc = Html::parse_document(html);
        let d = super::super::dateline::header_dates(&doc, Some("The Post"), &ctx_at_capture())
            .first()
            .map(|s| local_day(&s.stamp));
        assert_eq!(d.map(|d| d.to_string()).as_deref(), Some("2025-08-14"));
        // Nothing after the headline: the line above it.
        let html = r#"<body><div><p>Last updated:</p><p>Dec 12, 2025</p></div><h1>The Post</h1><p>Words</p></body>"#;
        let doc = Html::parse_document(html);
        let d = super::super::dateline::header_dates(&doc, None, &ctx_at_capture())
            .first()
            .map(|s| local_day(&s.stamp).to_string());
        assert_eq!(d.as_deref(), Some("2025-12-12"));
    }

    #[test]
    fn dates_in_the_path() {
        let ctx = ctx_at_capture();
        let day = |u: &str| {
            url::Url::parse(u)
                .ok()
                .and_then(|u| url_date(&u, &ctx))
                .map(|s| local_day(&s).to_string())
        };
        assert_eq!(
            day("https://x.example/2025/12/18/a-post").as_deref(),
            Some("2025-12-18")
        );
        assert_eq!(
            day("https://x.example/blog/2025-12-17-minisgl").as_deref(),
            Some("2025-12-17")
        );
        assert_eq!(
            day("https://x.example/articles/2025-12-15+Why+and+how").as_deref(),
            Some("2025-12-15")
        );
        assert_eq!(day("https://x.example/2025/12/").as_deref(), None);
        assert_eq!(day("https://x.example/2025/12/150").as_deref(), None);
        assert_eq!(day("https://x.example/p/20251218").as_deref(), None);
    }
    #[test]
    fn bylines_split_over_elements() {
        let names = |html: &str| visible_authors(&Html::parse_document(html));
        assert_eq!(
            names(r#"<div><p>Written by</p><p>Edzel Tabing</p></div>"#),
            vec!["Edzel Tabing".to_string()]
        );
        assert_eq!(
            names(
                r#"<div class="byline"><a>Meghan Neville</a><span>Content Marketing Coordinator</span></div>"#
            ),
            vec!["Meghan Neville".to_string()]
        );
        assert_eq!(
            names(r#"<div class="byline"><span>By</span> <a>Ann Lee</a> and <a>Bo Chen</a></div>"#),
            vec!["Ann Lee and Bo Chen".to_string()]
        );
        assert!(names(r#"<p>The regex library written by <a>Some Body</a> in C, which implements full case folding.</p>"#).is_empty());
    }
}
