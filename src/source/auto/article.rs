//! Reading one post page into an [`Article`]: its headline, authors, dates, lead image, language,
//! canonical link, site name, categories and the main content as sanitised HTML. Pure: bytes in
//! (already decoded), values out; [`extract_article`] never fails — what it cannot find stays
//! empty, and why is told in [`Article::diagnostics`].
//!
//! Every field follows one priority chain, the first layer that says something usable wins:
//!
//! | field | chain |
//! |---|---|
//! | title | the one `<h1>` a reader sees (logo/site-name/hidden/related `<h1>`s skipped; of several, the one whose class names it the title; else the one title-classed `<h2>`) → JSON-LD `headline`/`name` → `og:title`/`twitter:title`/DC → microdata `headline` → `h-entry` `p-name` → `<title>`; site-name prefixes/suffixes cut (when the other part names og:site_name, the JSON-LD publisher/`WebSite` or the host), an `<h1>` that matches preferred, the metadata's casing kept for a capitals or lower-case `<h1>`, a title two metadata sources agree on preferred to a one- or two-word label `<h1>` or when an `<h2>` repeats it, short `| Section` and `- Part 1` tails cut, mojibake repaired |
//! | authors | JSON-LD `author` (strings, `Person`/`Organization` objects, arrays, `@id` references) → `<meta name=author>`/`article:author` (never URLs)/DC/parsely, then a `twitter:label`/`twitter:data` "Written by" pair → microdata `author` → `h-entry` `p-author` → visible byline ("Writer: NAME" avatar alt, `rel=author`, byline classes, "By/Von/Por/Par NAME", "Contributors:") → an author card or author-archive link (see `author`) |
//! | published | the dateline beside the headline ([`dateline`]) weighed against the machine dates — JSON-LD `datePublished` (then `dateCreated`, `uploadDate`) → `article:published_time`, DC, parsely/sailthru dates → microdata `datePublished` → `h-entry` `dt-published`: a shown day keeps the machine instant of that day (a modified instant only when that is the day shown), a dateline labelled as an update never replaces a machine published date; then `<time datetime>` → date-like text in date-ish elements → a "Published …"/"Written by …" label with its date anywhere → a date in the URL path → an "Updated …" date-ish text → the machine modified date → a "Last updated: …" line anywhere; ambiguous numeric dates (`03/10/2023`) day-first when the source does not set `day_first` and the page's language writes them so; never inside comments or related-post widgets; all through the date engine (so an offset is kept and the precision recorded) |
//! | updated | JSON-LD `dateModified` → `article:modified_time`/`og:updated_time` → microdata → `h-entry` |
//! | image | JSON-LD `image` → `og:image`/`twitter:image` → the first image of the body |
//! | language | JSON-LD `inLanguage` → `<html lang>` → `og:locale`/`content-language` |
//! | canonical | `<link rel=canonical>` → JSON-LD `url` |
//! | site name | `og:site_name` → JSON-LD publisher / `WebSite` name |
//! | summary | JSON-LD `description` → `og:description`/`description` → the body's first paragraph |
//! | content | see [`content`]; a JS app shell gives `js_rendered` (JSON-LD `articleBody` is used when present) |

mod author;
mod byline;
pub mod content;
mod dateline;
mod meta;
mod title;

use crate::model::{Person, Stamp};
use crate::normalise::date::{DateContext, day_first_language, parse_human_date};
use crate::normalise::{canonical_link, clean_text, sanitise_html};
use meta::Fields;
use scraper::{Html, Selector};
use std::sync::LazyLock;

/// Pages longer than this are cut before parsing (at a character boundary).
pub const MAX_PAGE_BYTES: usize = 8 * 1024 * 1024;

/// What a post page says about itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// The headline, plain text, without the site's name.
    pub title: Option<String>,
    /// Names only (never profile URLs).
    pub authors: Vec<Person>,
    pub published: Option<Stamp>,
    pub updated: Option<Stamp>,
    /// The main content: sanitised HTML, absolute URLs, lazy images resolved.
    pub content_html: Option<String>,
    /// A short description, plain text.
    pub summary: Option<String>,
    /// Lead image (absolute URL).
    pub image: Option<String>,
    /// BCP 47 tag as the page declares it.
    pub language: Option<String>,
    /// `rel=canonical` (absolute); may set an item's link, never its id.
    pub canonical: Option<String>,
    pub site_name: Option<String>,
    pub categories: Vec<String>,
    /// The page is an app shell that renders its content with JavaScript: no article text.
    pub js_rendered: bool,
    /// What could not be found or was worked around, for `extract` and the log.
    pub diagnostics: Vec<String>,
}

impl Article {
    /// The body as plain text, paragraphs separated by blank lines.
    pub fn content_text(&self) -> Option<String> {
        self.content_html.as_deref().map(html_block_text)
    }
}

/// Plain text of sanitised HTML with a blank line between blocks.
pub fn html_block_text(html: &str) -> String {
    let fragment = Html::parse_fragment(html);
    let mut out = String::with_capacity(html.len() / 2);
    for edge in fragment.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => match n.value() {
                scraper::Node::Text(t) => out.push_str(t),
                scraper::Node::Element(e) if e.name() == "br" => out.push('\n'),
                scraper::Node::Element(e) if is_text_block(e.name()) => out.push_str("\n\n"),
                _ => {}
            },
            ego_tree::iter::Edge::Close(n) => {
                if n.value()
                    .as_element()
                    .is_some_and(|e| is_text_block(e.name()))
                {
                    out.push_str("\n\n");
                }
            }
        }
    }
    out.split("\n\n")
        .map(|p| {
            p.split('\n')
                .map(crate::normalise::collapse_whitespace)
                .filter(|l| !l.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn is_text_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "section"
            | "article"
            | "li"
            | "ul"
            | "ol"
            | "blockquote"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "figure"
            | "figcaption"
            | "table"
            | "tr"
            | "dd"
            | "dt"
            | "hr"
    )
}

fn cap(html: &str) -> &str {
    if html.len() <= MAX_PAGE_BYTES {
        return html;
    }
    let mut end = MAX_PAGE_BYTES;
    while !html.is_char_boundary(end) {
        end -= 1;
    }
    html.get(..end).unwrap_or("")
}

/// Read one post page. `page_url` is the page's address (base for relative URLs; a `file://`
/// URL for a local file); `dates` resolves dates the page writes without offset or year.
pub fn extract_article(html: &str, page_url: &url::Url, dates: &DateContext<'_>) -> Article {
    let mut diagnostics = Vec::new();
    if html.len() > MAX_PAGE_BYTES {
        diagnostics.push(format!(
            "page is {} bytes; only the first {MAX_PAGE_BYTES} were read",
            html.len()
        ));
    }
    let doc = Html::parse_document(cap(html));
    let layers: [Fields; 4] = [
        meta::from_json_ld(&doc, page_url),
        meta::from_meta_tags(&doc),
        meta::from_microdata(&doc),
        meta::from_h_entry(&doc),
    ];
    let [ld, tags, _, _] = &layers;

    // Title.
    static TITLE: LazyLock<Selector> = LazyLock::new(|| meta::sel("title"));
    let html_title = doc
        .select(&TITLE)
        .next()
        .map(|t| clean_text(&t.text().collect::<String>()));
    let site_name = tags
        .site_name
        .as_deref()
        .or(ld.site_name.as_deref())
        .map(clean_text)
        .filter(|s| !s.is_empty());
    let sites = title::site_names(
        &[site_name.clone(), ld.site_name.as_deref().map(clean_text)],
        page_url.host_str(),
    );
    let headings = title::shown_headings(&doc, &sites);
    let candidates: Vec<Option<String>> = layers
        .iter()
        .map(|l| l.title.as_deref().map(clean_text))
        .collect();
    let title = title::choose(&candidates, html_title.as_deref(), &headings, &sites)
        .map(|t| {
            // Entities encoded twice ("&amp;#8230;") show up as "&#8230;" in the text.
            if t.contains('&') && t.contains(';') {
                clean_text(&html_escape::decode_html_entities(&t))
            } else {
                t
            }
        })
        .filter(|t| !t.is_empty());
    if title.is_none() {
        diagnostics.push("no title found".into());
    }
    // The headline element the dateline sits beside: the page's one `<h1>` even where the
    // title was taken from the metadata.
    let anchor = match headings.h1s.as_slice() {
        [one] => Some(one.as_str()),
        _ => title.as_deref(),
    };

    // Authors.
    // An organisation (or the site's own name) as author yields to a person named later.
    let mut names: Vec<String> = Vec::new();
    let mut fallback: Vec<String> = Vec::new();
    for layer in &layers {
        let found: Vec<String> = layer
            .authors
            .iter()
            .filter_map(|a| byline::clean_name(a))
            .collect();
        if found.is_empty() {
            continue;
        }
        let is_site = found.iter().all(|n| {
            sites
                .iter()
                .any(|s| title::squash(s) == title::squash(n) && !title::squash(n).is_empty())
        });
        if layer.authors_are_orgs || is_site {
            if fallback.is_empty() {
                fallback = found;
            }
            continue;
        }
        names = found;
        break;
    }
    if names.is_empty() {
        names = byline::visible_authors(&doc);
    }
    if names.is_empty() {
        names = fallback;
    }
    let mut authors: Vec<Person> = Vec::new();
    for n in names {
        if !authors
            .iter()
            .any(|p| p.name.as_deref() == Some(n.as_str()))
        {
            authors.push(Person {
                name: Some(n),
                ..Person::default()
            });
        }
    }

    // Dates. The date shown beside the headline is the one readers (and feeds) go by,
    // weighed against the metadata's (see `dateline::published`). A source that does not say
    // how it orders `03/10/2023` reads it as the page's declared language writes it.
    let language: Option<String> = ld
        .language
        .as_deref()
        .or(tags.language.as_deref())
        .map(clean_text)
        .filter(|l| !l.is_empty() && l.len() < 36);
    let page_dates = DateContext {
        day_first: dates.day_first.or_else(|| {
            language
                .as_deref()
                .is_some_and(day_first_language)
                .then_some(true)
        }),
        ..*dates
    };
    let dates = &page_dates;
    let updated = layers
        .iter()
        .filter_map(|l| l.updated.as_deref())
        .find_map(|raw| parse_human_date(&clean_text(raw), dates));
    let shown = dateline::header_dates(&doc, anchor, dates);
    let mut published = dateline::published(&layers, &shown, dates, &mut diagnostics);
    if published.is_none() {
        published = byline::visible_date(&doc, dates, false);
    }
    if published.is_none() {
        published = dateline::labelled_date(&doc, dates, false);
    }
    if published.is_none() {
        published = byline::url_date(page_url, dates);
    }
    if published.is_none() {
        published = byline::visible_date(&doc, dates, true);
    }
    // Nothing states the publication: the page's last update is the best date it gives — the
    // machine one, else a "Last updated: …" line anywhere outside widgets and footers.
    if published.is_none() {
        published = updated;
    }
    if published.is_none() {
        published = dateline::labelled_date(&doc, dates, true);
    }
    if published.is_none() {
        diagnostics.push("no publication date found".into());
    }

    // Body.
    let body = content::extract_body(&doc, page_url, title.as_deref());
    let mut js_rendered = false;
    let mut content_html = body
        .as_ref()
        .map(|b| sanitise_html(&b.html, Some(page_url)))
        .filter(|h| !h.is_empty());
    let body_text_len = body.as_ref().map_or(0, |b| b.text.len());
    if body_text_len < 200 && content::visible_text_len(&doc) < 300 && html.contains("<script") {
        if let Some(text) = ld.body_text.as_deref().filter(|t| t.len() > 200) {
            let paragraphs: String = text
                .split('\n')
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .map(|p| format!("<p>{}</p>", html_escape::encode_text(&clean_text(p))))
                .collect();
            content_html = Some(sanitise_html(&paragraphs, Some(page_url)));
            diagnostics.push(
                "the page renders its content with JavaScript; the text comes from its JSON-LD articleBody".into(),
            );
        } else {
            js_rendered = true;
            content_html = None;
            diagnostics.push(
                "the page renders its content with JavaScript (an app shell with no article text in the HTML); feedwright reads server-rendered HTML only".into(),
            );
        }
    } else if content_html.is_none() {
        diagnostics.push("no main content found".into());
    }

    let absolute = |u: &str| {
        page_url
            .join(u.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .map(|u| u.to_string())
    };
    let image = layers
        .iter()
        .filter_map(|l| l.image.as_deref())
        .find_map(absolute)
        .or_else(|| {
            let html = content_html.as_deref()?;
            let start = html.find("<img src=\"")? + 10;
            let end = html.get(start..)?.find('"')? + start;
            html.get(start..end)
                .map(|s| html_escape::decode_html_entities(s).into_owned())
        });
    let canonical = tags
        .canonical
        .as_deref()
        .or(ld.canonical.as_deref())
        .and_then(|c| canonical_link(c, Some(page_url)));
    let mut categories: Vec<String> = Vec::new();
    for c in ld
        .categories
        .iter()
        .chain(&tags.categories)
        .map(|c| clean_text(c))
    {
        if !c.is_empty() && c.len() < 100 && !categories.iter().any(|x| x.eq_ignore_ascii_case(&c))
        {
            categories.push(c);
        }
        if categories.len() >= 32 {
            break;
        }
    }
    let summary = layers
        .iter()
        .filter_map(|l| l.description.as_deref())
        .map(clean_text)
        .find(|d| !d.is_empty())
        .or_else(|| {
            let text = html_block_text(content_html.as_deref()?);
            let first = text.split("\n\n").find(|p| p.len() > 40)?;
            Some(truncate_words(first, 300))
        });

    Article {
        title,
        authors,
        published,
        updated,
        content_html,
        summary,
        image,
        language,
        canonical,
        site_name,
        categories,
        js_rendered,
        diagnostics,
    }
}

fn truncate_words(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    let cut = s.get(..end).unwrap_or(s);
    let cut = cut.rsplit_once(' ').map_or(cut, |(a, _)| a);
    format!("{cut}…")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> DateContext<'static> {
        DateContext {
            now: chrono::Utc::now(),
            timezone: None,
            language: None,
            day_first: None,
            format: None,
        }
    }

    fn url() -> url::Url {
        url::Url::parse("https://blog.example/post/a").unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn app_shell_is_flagged() {
        let a = extract_article(
            r#"<html><head><title>App</title><script src="/a.js"></script></head><body><div id="root"></div></body></html>"#,
            &url(),
            &ctx(),
        );
        assert!(a.js_rendered);
        assert!(a.content_html.is_none());
        assert!(a.diagnostics.iter().any(|d| d.contains("JavaScript")));
    }

    #[test]
    fn body_without_furniture_and_with_real_images() {
        let para =
            "A sentence that is long enough to count as article text, with commas, and more. ";
        let html = format!(
            r##"<html><head><title>Big News | Example Blog</title><meta property="og:site_name" content="Example Blog"></head>
<body><nav><a href="/">Home</a></nav><article><h1>Big News</h1><p class="byline">By Jane Roe</p><p>3 min read</p>
<div class="post-content"><p>{para}{para}</p><p><img src="data:image/gif;base64,R0lGOD" data-src="/img/a.jpg" alt="x"></p>
<p>{para}<a href="/more">link</a></p></div>
<div class="share-bar"><a href="#">Share</a></div><section class="comments"><h2>Comments</h2><p>{para}</p></section></article>
<footer>© Example</footer></body></html>"##
        );
        let a = extract_article(&html, &url(), &ctx());
        assert_eq!(a.title.as_deref(), Some("Big News"));
        assert_eq!(
            a.authors.first().and_then(|p| p.name.as_deref()),
            Some("Jane Roe")
        );
        let body = a.content_html.unwrap_or_default();
        assert!(body.contains("https://blog.example/img/a.jpg"), "{body}");
        assert!(body.contains("https://blog.example/more"), "{body}");
        assert!(!body.contains("data:image"), "{body}");
        for furniture in [
            "Home", "Share", "Comments", "min read", "Jane Roe", "©", "Big News",
        ] {
            assert!(!body.contains(furniture), "{furniture} in {body}");
        }
    }
}
