//! Web pages for people without a feed reader: `out/<feed>.html` shows one output's items
//! (title, source, author, date, a plain-text summary, link) and `out/index.html` lists the
//! outputs. Pure rendering into one self-contained HTML5 document each: inline CSS only, no
//! scripts, no external assets; responsive (one column, fluid width) and dark-mode aware
//! (`prefers-color-scheme`). Every text and attribute is escaped here; item HTML is never
//! inserted, only its text. Links go only to `http(s)` URLs; links to our own outputs are
//! relative, so the pages work from disk and without `base_url`. No run time is written, so
//! an unchanged input gives unchanged bytes.

use super::OutFeed;
use crate::config::Format;
use crate::model::Item;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::fmt::Write as _;

/// Characters kept in a summary before it is cut at a word boundary.
pub const SUMMARY_CHARS: usize = 280;

/// How the pages name a format.
fn format_label(format: Format) -> (&'static str, &'static str) {
    match format {
        Format::Rss => ("RSS", "application/rss+xml"),
        Format::Atom => ("Atom", "application/atom+xml"),
        Format::Json => ("JSON Feed", "application/feed+json"),
    }
}

/// Whether `c` may appear in an HTML document without a parse error: no controls other than
/// whitespace, no noncharacters.
fn is_html_char(c: char) -> bool {
    let n = c as u32;
    super::is_xml_char(c)
        && !(0x7F..=0x9F).contains(&n)
        && !(0xFDD0..=0xFDEF).contains(&n)
        && (n & 0xFFFE) != 0xFFFE
}

/// Text content, escaped (`&`, `<`, `>`), with characters HTML forbids removed.
fn text(s: &str) -> String {
    let clean: String = s.chars().filter(|&c| is_html_char(c)).collect();
    html_escape::encode_text(&clean).into_owned()
}

/// A double-quoted attribute value, escaped.
fn attr(s: &str) -> String {
    let clean: String = s.chars().filter(|&c| is_html_char(c)).collect();
    html_escape::encode_double_quoted_attribute(&clean).into_owned()
}

/// `url` when it is an absolute http(s) URL (never `javascript:` or the like).
fn web_url(url: &str) -> Option<&str> {
    let parsed = url::Url::parse(url).ok()?;
    matches!(parsed.scheme(), "http" | "https").then_some(url)
}

/// A plain-text summary of an item: its summary, else its content, as text, cut at a word
/// boundary after at most [`SUMMARY_CHARS`] characters (with `…` when cut).
pub fn summary_text(item: &Item) -> Option<String> {
    let html = item.summary.as_deref().or(item.content.as_deref())?;
    let plain = crate::normalise::html_to_text(html);
    let plain = tidy_spacing(&plain.split_whitespace().collect::<Vec<_>>().join(" "));
    if plain.is_empty() {
        return None;
    }
    if plain.chars().count() <= SUMMARY_CHARS {
        return Some(plain);
    }
    let cut: String = plain.chars().take(SUMMARY_CHARS).collect();
    let cut = match cut.rfind(' ') {
        Some(at) if at > SUMMARY_CHARS / 2 => cut.get(..at).unwrap_or(&cut).to_owned(),
        _ => cut,
    };
    Some(format!(
        "{}…",
        cut.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation())
    ))
}

/// No space before closing punctuation: text nodes are joined with spaces, so `<a>x</a>.`
/// would read `x .`.
fn tidy_spacing(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == ' '
            && chars
                .peek()
                .is_some_and(|n| matches!(n, '.' | ',' | ';' | ':' | '!' | '?' | ')'))
        {
            continue;
        }
        out.push(c);
    }
    out
}

fn date_label(t: DateTime<Utc>) -> (String, String) {
    (
        t.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
        t.format("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

const STYLE: &str = "
:root{--bg:#fdfdfc;--fg:#1d1f21;--muted:#5f6368;--line:#e3e3e0;--link:#0b57d0;--card:#ffffff}
@media (prefers-color-scheme:dark){:root{--bg:#16181b;--fg:#e8e6e3;--muted:#a0a4a8;--line:#2e3135;--link:#8ab4f8;--card:#1e2124}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,sans-serif}
main,header,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:2rem;padding-bottom:1rem;border-bottom:1px solid var(--line)}
h1{font-size:1.8rem;line-height:1.2;margin:0 0 .4rem}
h2{font-size:1.15rem;line-height:1.3;margin:0 0 .3rem}
a{color:var(--link)}
p{margin:.3rem 0}
.muted,.meta{color:var(--muted);font-size:.9rem}
.subscribe{margin:.6rem 0 0;display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
.subscribe a{display:inline-block;padding:.2rem .7rem;border:1px solid var(--line);border-radius:999px;text-decoration:none;background:var(--card)}
ol.items{list-style:none;margin:0;padding:0}
ol.items>li{padding:1.1rem 0;border-bottom:1px solid var(--line)}
.summary{margin:.4rem 0 0;overflow-wrap:anywhere}
footer{padding-top:1.5rem;padding-bottom:2rem}
@media (max-width:30rem){body{font-size:15px}h1{font-size:1.45rem}}
";

fn head(
    out: &mut String,
    title: &str,
    description: Option<&str>,
    alternates: &[(String, &str, &str)],
) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta name=\"color-scheme\" content=\"light dark\">\n");
    let _ = writeln!(out, "<title>{}</title>", text(title));
    if let Some(d) = description {
        let _ = writeln!(out, "<meta name=\"description\" content=\"{}\">", attr(d));
    }
    for (href, label, mime) in alternates {
        let _ = writeln!(
            out,
            "<link rel=\"alternate\" type=\"{mime}\" title=\"{} ({label})\" href=\"{}\">",
            attr(title),
            attr(href)
        );
    }
    let _ = write!(out, "<style>{STYLE}</style>\n</head>\n<body>\n");
}

/// The page of one output: `feed` as merged, the formats it is written in, and display names
/// of sources by id (for the origin and the "also from" note of merged stories).
pub fn render_feed_page(
    feed: &OutFeed,
    formats: &[Format],
    source_names: &HashMap<String, String>,
) -> String {
    let alternates: Vec<(String, &str, &str)> = formats
        .iter()
        .map(|&f| {
            let (label, mime) = format_label(f);
            (format!("{}.{}", feed.id, f.extension()), label, mime)
        })
        .collect();
    let mut out = String::with_capacity(4096 + feed.items.len() * 600);
    head(
        &mut out,
        &feed.title,
        feed.description.as_deref(),
        &alternates,
    );
    out.push_str("<header>\n");
    let _ = writeln!(out, "<h1>{}</h1>", text(&feed.title));
    if let Some(d) = &feed.description {
        let _ = writeln!(out, "<p class=\"muted\">{}</p>", text(d));
    }
    out.push_str("<ul class=\"subscribe\">\n");
    if let Some((href, label, _)) = alternates.first() {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" type=\"{}\"><strong>Subscribe</strong> ({label})</a></li>",
            attr(href),
            format_label(formats.first().copied().unwrap_or(Format::Rss)).1
        );
    }
    for (href, label, mime) in alternates.iter().skip(1) {
        let _ = writeln!(
            out,
            "<li><a href=\"{}\" type=\"{mime}\">{label}</a></li>",
            attr(href)
        );
    }
    let _ = writeln!(
        out,
        "<li><a href=\"{}.opml\">OPML</a></li>\n<li><a href=\"index.html\">All feeds</a></li>\n</ul>\n</header>",
        attr(&feed.id)
    );
    out.push_str("<main>\n");
    if feed.items.is_empty() {
        out.push_str("<p class=\"muted\">No items yet.</p>\n");
    } else {
        out.push_str("<ol class=\"items\">\n");
        for item in &feed.items {
            render_item(&mut out, item, source_names);
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</main>\n<footer class=\"muted\">\n");
    let updated = feed
        .updated
        .map(|t| {
            let (machine, human) = date_label(t);
            format!(" Latest item: <time datetime=\"{machine}\">{human}</time>.")
        })
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "<p>{} item(s).{updated} Made by feedwright.</p>\n</footer>\n</body>\n</html>",
        feed.items.len()
    );
    out
}

fn source_name<'a>(id: &'a str, names: &'a HashMap<String, String>) -> &'a str {
    names.get(id).map_or(id, String::as_str)
}

fn render_item(out: &mut String, item: &Item, names: &HashMap<String, String>) {
    out.push_str("<li>\n<article>\n");
    let title = item
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .unwrap_or("(untitled)");
    let link = item.link.as_deref().and_then(web_url);
    match link {
        Some(href) => {
            let _ = writeln!(
                out,
                "<h2><a href=\"{}\">{}</a></h2>",
                attr(href),
                text(title)
            );
        }
        None => {
            let _ = writeln!(out, "<h2>{}</h2>", text(title));
        }
    }
    let mut meta: Vec<String> = Vec::new();
    if let Some(origin) = item.source_ids.first() {
        let name = item
            .origin
            .as_ref()
            .filter(|o| &o.source_id == origin)
            .and_then(|o| o.title.as_deref())
            .unwrap_or_else(|| source_name(origin, names));
        meta.push(format!("<span class=\"source\">{}</span>", text(name)));
    }
    let authors: Vec<&str> = item
        .authors
        .iter()
        .filter_map(|a| a.name.as_deref().or(a.email.as_deref()))
        .collect();
    if !authors.is_empty() {
        meta.push(format!(
            "by <span class=\"author\">{}</span>",
            text(&authors.join(", "))
        ));
    }
    if let Some(t) = item.published.or(item.updated) {
        let (machine, human) = date_label(t.utc);
        meta.push(format!("<time datetime=\"{machine}\">{human}</time>"));
    }
    if !meta.is_empty() {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", meta.join(" · "));
    }
    if let Some(summary) = summary_text(item) {
        let _ = writeln!(out, "<p class=\"summary\">{}</p>", text(&summary));
    }
    let also: Vec<&str> = item
        .source_ids
        .iter()
        .skip(1)
        .map(|id| source_name(id, names))
        .collect();
    if !also.is_empty() {
        let _ = writeln!(
            out,
            "<p class=\"meta also\">Also reported by {}</p>",
            text(&also.join(", "))
        );
    }
    if let Some(href) = link {
        let _ = writeln!(
            out,
            "<p class=\"meta\"><a href=\"{}\">Read more</a></p>",
            attr(href)
        );
    }
    out.push_str("</article>\n</li>\n");
}

/// One line of the index page.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    pub formats: Vec<Format>,
    pub items: usize,
    pub updated: Option<DateTime<Utc>>,
}

/// `index.html`: every output with its page, formats and OPML, and the list of all sources.
pub fn render_index(title: &str, feeds: &[IndexEntry]) -> String {
    let mut out = String::with_capacity(2048 + feeds.len() * 400);
    head(&mut out, title, None, &[]);
    let _ = writeln!(
        out,
        "<header>\n<h1>{}</h1>\n<p class=\"muted\">Feeds published here. Open a page to read, or subscribe in a feed reader.</p>\n<ul class=\"subscribe\">\n<li><a href=\"sources.opml\">All sources (OPML)</a></li>\n</ul>\n</header>\n<main>",
        text(title)
    );
    if feeds.is_empty() {
        out.push_str("<p class=\"muted\">No feeds are configured.</p>\n");
    } else {
        out.push_str("<ol class=\"items\">\n");
        for f in feeds {
            let _ = writeln!(
                out,
                "<li>\n<article>\n<h2><a href=\"{}.html\">{}</a></h2>",
                attr(&f.id),
                text(&f.title)
            );
            if let Some(d) = &f.description {
                let _ = writeln!(out, "<p>{}</p>", text(d));
            }
            let updated = f
                .updated
                .map(|t| {
                    let (machine, human) = date_label(t);
                    format!(" · latest <time datetime=\"{machine}\">{human}</time>")
                })
                .unwrap_or_default();
            let _ = writeln!(out, "<p class=\"meta\">{} item(s){updated}</p>", f.items);
            out.push_str("<ul class=\"subscribe\">\n");
            for &format in &f.formats {
                let (label, mime) = format_label(format);
                let _ = writeln!(
                    out,
                    "<li><a href=\"{}.{}\" type=\"{mime}\">{label}</a></li>",
                    attr(&f.id),
                    format.extension()
                );
            }
            let _ = writeln!(
                out,
                "<li><a href=\"{}.opml\">OPML</a></li>\n</ul>\n</article>\n</li>",
                attr(&f.id)
            );
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</main>\n<footer class=\"muted\">\n<p>Made by feedwright.</p>\n</footer>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatePrecision, Origin, Person, Stamp};
    use chrono::TimeZone;

    fn feed(items: Vec<Item>) -> OutFeed {
        OutFeed {
            id: "town".into(),
            title: "Town <News> & \"More\"".into(),
            description: Some("All <b>the</b> news".into()),
            link: "https://town.test/".into(),
            base_url: None,
            language: None,
            authors: vec![],
            updated: items.first().and_then(Item::sort_date),
            merged: true,
            items,
        }
    }

    fn item() -> Item {
        Item {
            id: "urn:x:1".into(),
            source_ids: vec!["a".into(), "b".into()],
            title: Some("<script>alert('t')</script> & more".into()),
            link: Some("https://town.test/a?x=1&y=\"2\"".into()),
            published: Some(Stamp {
                utc: Utc.with_ymd_and_hms(2026, 11, 23, 10, 5, 0).unwrap(),
                offset_secs: 0,
                precision: DatePrecision::Exact,
            }),
            authors: vec![Person {
                name: Some("Ann <Writer>".into()),
                ..Person::default()
            }],
            summary: Some("<p>Hello <b>world</b> &lt;script&gt;x&lt;/script&gt;</p>".into()),
            origin: Some(Origin {
                source_id: "a".into(),
                title: Some("Alpha Daily".into()),
                ..Origin::default()
            }),
            ..Item::default()
        }
    }

    #[test]
    fn everything_is_escaped() {
        let mut names = HashMap::new();
        names.insert("b".to_string(), "Beta <Gazette>".to_string());
        let page = render_feed_page(&feed(vec![item()]), &[Format::Rss, Format::Json], &names);
        assert!(!page.contains("<script"), "{page}");
        assert!(page.contains("&lt;script&gt;alert('t')&lt;/script&gt; &amp; more"));
        assert!(page.contains("<title>Town &lt;News&gt; &amp; \"More\"</title>"));
        assert!(page.contains("title=\"Town &lt;News&gt; &amp; &quot;More&quot; (RSS)\""));
        assert!(page.contains("href=\"https://town.test/a?x=1&amp;y=&quot;2&quot;\""));
        assert!(page.contains("Ann &lt;Writer&gt;"));
        assert!(page.contains("Hello world &lt;script&gt;x&lt;/script&gt;"));
        assert!(page.contains("Also reported by Beta &lt;Gazette&gt;"));
        assert!(page.contains("<span class=\"source\">Alpha Daily</span>"));
        assert!(
            page.contains("<time datetime=\"2026-11-23T10:05:00Z\">2026-11-23 10:05 UTC</time>")
        );
    }

    #[test]
    fn alternates_are_relative_and_match_the_formats() {
        let page = render_feed_page(
            &feed(vec![]),
            &[Format::Atom, Format::Json],
            &HashMap::new(),
        );
        assert!(page.contains(
            "<link rel=\"alternate\" type=\"application/atom+xml\" title=\"Town &lt;News&gt; &amp; &quot;More&quot; (Atom)\" href=\"town.atom\">"
        ));
        assert!(page.contains("type=\"application/feed+json\""));
        assert!(!page.contains("town.xml"));
        assert!(page.contains("<strong>Subscribe</strong> (Atom)"));
        assert!(page.contains("No items yet."));
        assert!(!page.contains("<script"));
        assert!(
            !page.contains("http://") && !page.contains("src="),
            "no external assets"
        );
        assert!(page.contains("prefers-color-scheme:dark"));
    }

    #[test]
    fn non_web_links_are_not_linked() {
        let mut i = item();
        i.link = Some("javascript:alert(1)".into());
        let page = render_feed_page(&feed(vec![i]), &[Format::Rss], &HashMap::new());
        assert!(!page.contains("javascript:"));
    }

    #[test]
    fn summaries_are_plain_and_cut_at_a_word() {
        let mut i = item();
        i.summary = None;
        i.content = Some(format!("<p>{}</p>", "word ".repeat(200)));
        let s = summary_text(&i).unwrap();
        assert!(s.ends_with("word…"), "{s}");
        assert!(s.chars().count() <= SUMMARY_CHARS + 1);
        i.content = Some("<p>  </p>".into());
        assert_eq!(summary_text(&i), None);
        i.content =
            Some("<p>Book a <a href=\"https://x.test/\">slot</a>. Or <b>not</b>!</p>".into());
        assert_eq!(summary_text(&i).as_deref(), Some("Book a slot. Or not!"));
    }

    #[test]
    fn forbidden_characters_are_dropped() {
        assert_eq!(text("a\u{1}b\u{85}c\u{FFFE}d<"), "abcd&lt;");
    }
}
