//! The last layer of the chain: what a reader sees. Bylines ("By NAME", "Writer: NAME", "Von
//! NAME", "Por NAME", an avatar's `alt="Writer: NAME"`, `rel=author`, elements whose class says
//! author/byline) and dates (`<time datetime>`, then short date-like texts near the top of the
//! post, read through the date engine). Comment sections are never looked into.

use super::meta::sel;
use crate::model::Stamp;
use crate::normalise::date::{DateContext, parse_human_date};
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// Words that introduce an author's name in a byline, in the languages we read.
static BYLINE: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^\s*(?:written\s+by|posted\s+by|published\s+by|words\s+by|story\s+by|by|writer|author|autor|auteur|autore|von|por|par|door|di|av|af|przez)\s*[:\-–—]?\s+(.+)$",
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});

/// Whether an element sits in a comments section (its own or an ancestor's class/id says so).
pub fn in_comments(e: ElementRef<'_>) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .take(40)
        .any(|a| {
            let v = a.value();
            let hint = format!(
                "{} {} {}",
                v.attr("class").unwrap_or(""),
                v.attr("id").unwrap_or(""),
                v.attr("data-hook").unwrap_or("")
            )
            .to_ascii_lowercase();
            hint.contains("comment") || hint.contains("respond") || hint.contains("disqus")
        })
}

fn in_furniture(e: ElementRef<'_>) -> bool {
    e.ancestors()
        .filter_map(ElementRef::wrap)
        .take(40)
        .any(|a| {
            let v = a.value();
            matches!(v.name(), "footer" | "nav" | "aside")
                || v.attr("class").is_some_and(|c| {
                    let c = c.to_ascii_lowercase();
                    c.contains("related") || c.contains("recent") || c.contains("sidebar")
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
    if ["min read", "share", "comment", "read more", "admin@"]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    Some(s)
}

/// Author names as the page shows them.
pub fn visible_authors(doc: &Html) -> Vec<String> {
    static AVATAR: LazyLock<Selector> = LazyLock::new(|| sel("img[alt]"));
    static AUTHORISH: LazyLock<Selector> = LazyLock::new(|| {
        sel(concat!(
            r#"a[rel~="author"], [class*="author-name"], [class*="authorName"], [class*="AuthorName"], "#,
            r#"[class*="byline"] a, [class*="byline"], [class*="Byline"], [data-hook*="author"], "#,
            r#"[class~="author"], [class~="post-author"], [class~="entry-author"], [id*="byline"], "#,
            r#"[class*="author"] a[href*="author"], [data-testid*="author"]"#
        ))
    });
    static SHORT: LazyLock<Selector> =
        LazyLock::new(|| sel("p, span, div, li, a, strong, em, address, small"));
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
        if let Some(n) = clean_name(&text)
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
        let own: String = e
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        let text = if own.trim().len() >= 3 {
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
        let starts_by = t
            .split_whitespace()
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
    out
}

/// The post's date as the page shows it: `<time datetime>` outside comments and related-post
/// widgets, then short texts in date-ish elements, read through the date engine.
pub fn visible_date(doc: &Html, dates: &DateContext<'_>) -> Option<Stamp> {
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
        if lower.contains("updated") || lower.contains("modified") {
            continue;
        }
        if let Some(s) = parse_human_date(strip_date_label(&text), dates) {
            return Some(s);
        }
    }
    None
}

/// "Published on 9 January 2026" → "9 January 2026".
fn strip_date_label(text: &str) -> &str {
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
            day_first: false,
            format: None,
        };
        let d = visible_date(&doc, &ctx).map(|s| s.utc.to_rfc3339());
        assert_eq!(d.as_deref(), Some("2026-01-09T10:00:00+00:00"));
    }
}
