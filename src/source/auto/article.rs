//! Reading one post page into an [`Article`]: title, authors, dates, body, image and the other
//! facts a feed item needs.
//!
//! STAND-IN: replaced by the article work. This minimal version only exists so the listing and
//! `kind = "auto"` wiring build and run before the real extractor merges: the title comes from
//! `og:title` (else the first `<h1>`, else `<title>`), `published` from a JSON-LD
//! `datePublished` read through the date engine, `canonical` from `<link rel="canonical">`, and
//! there is no body (`content_html: None`). When merging, the article work's file wins.

use crate::model::{Person, Stamp};
use crate::normalise::date::{DateContext, parse_human_date};
use scraper::{Html, Selector};
use url::Url;

/// What a post page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    pub title: Option<String>,
    /// Authors, by name (never profile URLs).
    pub authors: Vec<Person>,
    pub published: Option<Stamp>,
    pub updated: Option<Stamp>,
    /// The body as HTML (not yet sanitised).
    pub content_html: Option<String>,
    pub summary: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    /// `<link rel="canonical">`, absolute.
    pub canonical: Option<String>,
    pub site_name: Option<String>,
    pub categories: Vec<String>,
    /// The page is an application shell whose content JavaScript renders.
    pub js_rendered: bool,
    pub diagnostics: Vec<String>,
}

/// Read a post page. Never panics, whatever the markup.
pub fn extract_article(html: &str, page_url: &Url, dates: &DateContext<'_>) -> Article {
    // STAND-IN: replaced by the article work
    let doc = Html::parse_document(html);
    let first = |css: &str, attr: Option<&str>| -> Option<String> {
        let sel = Selector::parse(css).ok()?;
        let el = doc.select(&sel).next()?;
        let text = match attr {
            Some(a) => el.value().attr(a)?.to_string(),
            None => el.text().collect::<String>(),
        };
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        (!text.is_empty()).then_some(text)
    };
    let title = first(r#"meta[property="og:title"]"#, Some("content"))
        .or_else(|| first("h1", None))
        .or_else(|| first("title", None));
    let canonical = first(r#"link[rel="canonical"]"#, Some("href"))
        .and_then(|h| page_url.join(&h).ok())
        .map(|u| u.to_string());
    let mut published = None;
    if let Ok(sel) = Selector::parse(r#"script[type="application/ld+json"]"#) {
        for script in doc.select(&sel) {
            let text: String = script.text().collect();
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
                continue;
            };
            if let Some(s) = date_published(&value, 0).and_then(|t| parse_human_date(&t, dates)) {
                published = Some(s);
                break;
            }
        }
    }
    Article {
        title,
        published,
        canonical,
        ..Article::default()
    }
}

fn date_published(v: &serde_json::Value, depth: usize) -> Option<String> {
    if depth > 8 {
        return None;
    }
    match v {
        serde_json::Value::Object(map) => map
            .get("datePublished")
            .and_then(|d| d.as_str().map(str::to_string))
            .or_else(|| map.values().find_map(|x| date_published(x, depth + 1))),
        serde_json::Value::Array(items) => items.iter().find_map(|x| date_published(x, depth + 1)),
        _ => None,
    }
}
