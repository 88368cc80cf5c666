//! Posts a list page declares explicitly: JSON-LD (`ItemList`, `Blog.blogPost`, `@graph`s and
//! arrays of postings), microformats2 `h-entry` (inside an `h-feed` or not) and schema.org
//! microdata items. Every reader is capped (scripts, bytes, nesting, items) and tolerant: a
//! block that does not parse is skipped.

use super::{PostCandidate, excluded_zone, image_url, post_url, strip_byline};
use crate::model::{DatePrecision, Stamp};
use crate::normalise::clean_text;
use crate::normalise::date::parse_date;
use crate::source::auto::{selector, visible_text};
use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::sync::LazyLock;
use url::Url;

const MAX_SCRIPTS: usize = 50;
const MAX_SCRIPT_BYTES: usize = 2 * 1024 * 1024;
const MAX_DEPTH: usize = 12;
const MAX_ITEMS: usize = 500;

static LD_JSON: LazyLock<Selector> =
    LazyLock::new(|| selector(r#"script[type="application/ld+json"]"#));

/// Whether a schema.org type names a post (`BlogPosting`, `NewsArticle`, `Article`, …).
pub fn is_post_type(t: &str) -> bool {
    let t = t.rsplit(['/', ':']).next().unwrap_or(t);
    t.ends_with("Article") || t.ends_with("Posting") || t == "Report"
}

fn types(v: &Value) -> Vec<&str> {
    match v.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Every JSON-LD block of the page, parsed (entity-encoded blocks decoded first).
pub fn json_ld_values(doc: &Html) -> Vec<Value> {
    let mut out = Vec::new();
    for script in doc.select(&LD_JSON).take(MAX_SCRIPTS) {
        let text: String = script.text().collect();
        if text.len() > MAX_SCRIPT_BYTES {
            continue;
        }
        let parsed = serde_json::from_str::<Value>(text.trim()).or_else(|_| {
            serde_json::from_str::<Value>(html_escape::decode_html_entities(text.trim()).as_ref())
        });
        if let Ok(v) = parsed {
            out.push(v);
        }
    }
    out
}

/// Posts named by the page's JSON-LD.
pub fn json_ld_posts(doc: &Html, page_url: &Url) -> Vec<PostCandidate> {
    let mut posts = Vec::new();
    for v in json_ld_values(doc) {
        walk(&v, page_url, &mut posts, 0, false);
    }
    posts
}

/// Collect posts: items of an `ItemList`, `blogPost`s of a `Blog`, and postings that appear as
/// members of an array or `@graph` (`in_list`). A lone top-level posting is the page itself.
fn walk(v: &Value, page_url: &Url, out: &mut Vec<PostCandidate>, depth: usize, in_list: bool) {
    if depth > MAX_DEPTH || out.len() >= MAX_ITEMS {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items.iter().take(MAX_ITEMS) {
                walk(item, page_url, out, depth + 1, true);
            }
        }
        Value::Object(map) => {
            let ts = types(v);
            if ts.contains(&"BreadcrumbList") {
                return;
            }
            if ts.iter().any(|t| is_post_type(t)) {
                if in_list && let Some(p) = posting(v, page_url) {
                    out.push(p);
                }
                return;
            }
            if ts.contains(&"ItemList") {
                if let Some(Value::Array(elements)) = map.get("itemListElement") {
                    for el in elements.iter().take(MAX_ITEMS) {
                        if let Some(p) = list_element(el, page_url) {
                            out.push(p);
                        }
                    }
                }
                return;
            }
            for key in [
                "@graph",
                "blogPost",
                "blogPosts",
                "hasPart",
                "mainEntity",
                "itemListElement",
            ] {
                if let Some(child) = map.get(key) {
                    let listed = matches!(child, Value::Array(_));
                    walk(
                        child,
                        page_url,
                        out,
                        depth + 1,
                        listed || key != "mainEntity",
                    );
                }
            }
        }
        _ => {}
    }
}

fn list_element(el: &Value, page_url: &Url) -> Option<PostCandidate> {
    match el {
        Value::String(s) => Some(PostCandidate {
            url: post_url(s, page_url)?,
            ..PostCandidate::default()
        }),
        Value::Object(map) => {
            // A ListItem wraps the post in `item` (an object or a URL), or carries `url` itself.
            match map.get("item") {
                Some(inner @ Value::Object(_)) => {
                    let mut p = posting(inner, page_url).or_else(|| {
                        Some(PostCandidate {
                            url: post_url(str_of(map.get("url"))?, page_url)?,
                            ..PostCandidate::default()
                        })
                    })?;
                    if p.title.is_none() {
                        p.title = str_of(map.get("name")).map(clean_text);
                    }
                    Some(p)
                }
                Some(Value::String(u)) => Some(PostCandidate {
                    url: post_url(u, page_url)?,
                    title: str_of(map.get("name")).map(clean_text),
                    ..PostCandidate::default()
                }),
                _ => posting(el, page_url),
            }
        }
        _ => None,
    }
}

fn str_of(v: Option<&Value>) -> Option<&str> {
    match v? {
        Value::String(s) => Some(s.as_str()),
        Value::Array(a) => a.iter().find_map(|x| str_of(Some(x))),
        Value::Object(m) => str_of(m.get("url").or(m.get("@id")).or(m.get("name"))),
        _ => None,
    }
}

fn name_of(v: Option<&Value>) -> Option<String> {
    let s = match v? {
        Value::String(s) => s.clone(),
        Value::Array(a) => return a.iter().find_map(|x| name_of(Some(x))),
        Value::Object(m) => m.get("name").and_then(Value::as_str)?.to_string(),
        _ => return None,
    };
    let s = clean_text(&s);
    (!s.is_empty() && !s.starts_with("http")).then_some(s)
}

/// A posting object as a candidate (it needs a URL other than the page's).
fn posting(v: &Value, page_url: &Url) -> Option<PostCandidate> {
    let url = [v.get("url"), v.get("mainEntityOfPage"), v.get("@id")]
        .into_iter()
        .find_map(|x| str_of(x).and_then(|s| post_url(s, page_url)))?;
    let date_text = str_of(v.get("datePublished")).map(str::to_string);
    let image = match v.get("image") {
        Some(Value::Object(m)) => str_of(m.get("url").or(m.get("contentUrl"))),
        other => str_of(other),
    }
    .and_then(|s| page_url.join(s).ok())
    .map(|u| u.to_string());
    Some(PostCandidate {
        url,
        title: str_of(v.get("headline").or(v.get("name"))).map(clean_text),
        date: date_text.as_deref().and_then(exact_stamp),
        date_text,
        summary: str_of(v.get("description")).map(clean_text),
        image,
        author: name_of(v.get("author")),
    })
}

/// A stamp for text that states an exact instant with an offset; date-only or offset-less
/// text is left for the date engine (it knows the source's timezone).
pub(crate) fn exact_stamp(text: &str) -> Option<Stamp> {
    let p = parse_date(text)?;
    (p.offset_known && p.precision == DatePrecision::Exact).then(|| Stamp {
        utc: p.at.with_timezone(&chrono::Utc),
        offset_secs: p.at.offset().local_minus_utc(),
        precision: p.precision,
    })
}

// ---------------------------------------------------------------------------------------------
// Microformats

static H_ENTRY: LazyLock<Selector> = LazyLock::new(|| selector(".h-entry"));
static U_URL: LazyLock<Selector> = LazyLock::new(|| selector("a.u-url[href], .u-url[href]"));
static P_NAME: LazyLock<Selector> = LazyLock::new(|| selector(".p-name"));
static A: LazyLock<Selector> = LazyLock::new(|| selector("a[href]"));
static DT_PUBLISHED: LazyLock<Selector> = LazyLock::new(|| selector(".dt-published"));
static P_SUMMARY: LazyLock<Selector> = LazyLock::new(|| selector(".p-summary, .e-summary"));
static P_AUTHOR: LazyLock<Selector> = LazyLock::new(|| selector(".p-author"));
static U_PHOTO: LazyLock<Selector> = LazyLock::new(|| selector("img.u-photo, img.u-featured"));

/// Outermost `h-entry` elements outside navigation and widgets.
pub fn h_entries(doc: &Html, page_url: &Url) -> Vec<PostCandidate> {
    let mut out = Vec::new();
    for el in doc.select(&H_ENTRY).take(MAX_ITEMS) {
        let nested = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().classes().any(|c| c == "h-entry"));
        if nested || excluded_zone(el) {
            continue;
        }
        let url = el
            .select(&U_URL)
            .chain(el.select(&P_NAME).flat_map(|n| n.select(&A)))
            .chain(el.select(&A))
            .find_map(|a| a.value().attr("href").and_then(|h| post_url(h, page_url)));
        let Some(url) = url else { continue };
        let date_el = el.select(&DT_PUBLISHED).next();
        let date_text = date_el.and_then(|d| {
            d.value()
                .attr("datetime")
                .or(d.value().attr("title"))
                .map(str::to_string)
                .or_else(|| Some(visible_text(d)).filter(|t| !t.is_empty()))
        });
        out.push(PostCandidate {
            url,
            title: el
                .select(&P_NAME)
                .next()
                .map(visible_text)
                .map(|t| clean_text(&t))
                .filter(|t| !t.is_empty()),
            date: date_text.as_deref().and_then(exact_stamp),
            date_text,
            summary: el
                .select(&P_SUMMARY)
                .next()
                .map(visible_text)
                .filter(|t| !t.is_empty()),
            image: el
                .select(&U_PHOTO)
                .next()
                .and_then(|i| image_url(i, page_url)),
            author: el.select(&P_AUTHOR).next().and_then(|a| {
                let name = a
                    .select(&P_NAME)
                    .next()
                    .map(visible_text)
                    .unwrap_or_else(|| visible_text(a));
                Some(strip_byline(&name)).filter(|n| !n.is_empty())
            }),
        });
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Microdata

static ITEMSCOPE: LazyLock<Selector> = LazyLock::new(|| selector("[itemscope][itemtype]"));
static ITEMPROP: LazyLock<Selector> = LazyLock::new(|| selector("[itemprop]"));

fn is_post_item(el: ElementRef<'_>) -> bool {
    el.value()
        .attr("itemtype")
        .is_some_and(|t| t.split_whitespace().any(is_post_type))
}

/// Outermost microdata items typed as posts, outside navigation and widgets.
pub fn microdata_posts(doc: &Html, page_url: &Url) -> Vec<PostCandidate> {
    let mut out = Vec::new();
    for el in doc
        .select(&ITEMSCOPE)
        .filter(|e| is_post_item(*e))
        .take(MAX_ITEMS)
    {
        let nested = el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(is_post_item);
        if nested || excluded_zone(el) {
            continue;
        }
        let prop = |name: &str| -> Option<ElementRef<'_>> {
            el.select(&ITEMPROP).find(|p| {
                p.value()
                    .attr("itemprop")
                    .is_some_and(|v| v.split_whitespace().any(|x| x == name))
            })
        };
        let value = |p: ElementRef<'_>| -> Option<String> {
            let v = p.value();
            v.attr("content")
                .or(v.attr("datetime"))
                .or(v.attr("href"))
                .or(v.attr("src"))
                .map(str::to_string)
                .or_else(|| Some(visible_text(p)))
                .filter(|s| !s.trim().is_empty())
        };
        let url = prop("url")
            .or_else(|| prop("mainEntityOfPage"))
            .and_then(value)
            .and_then(|u| post_url(&u, page_url))
            .or_else(|| {
                el.select(&A)
                    .find_map(|a| a.value().attr("href").and_then(|h| post_url(h, page_url)))
            });
        let Some(url) = url else { continue };
        // A date's machine form may sit in `title` (Blogger's `<abbr title="…">`).
        let date_text = prop("datePublished").and_then(|d| {
            let v = d.value();
            v.attr("datetime")
                .or(v.attr("content"))
                .or(v.attr("title"))
                .map(str::to_string)
                .or_else(|| value(d))
        });
        out.push(PostCandidate {
            url,
            title: prop("headline")
                .or_else(|| prop("name"))
                .map(visible_text)
                .map(|t| clean_text(&t))
                .filter(|t| !t.is_empty()),
            date: date_text.as_deref().and_then(exact_stamp),
            date_text,
            summary: prop("description").and_then(value),
            image: prop("image").and_then(|i| {
                if i.value().name() == "img" {
                    image_url(i, page_url)
                } else {
                    value(i)
                        .and_then(|s| page_url.join(&s).ok())
                        .map(|u| u.to_string())
                }
            }),
            author: prop("author")
                .map(|a| {
                    let name = a
                        .select(&ITEMPROP)
                        .find(|p| p.value().attr("itemprop") == Some("name"))
                        .map(visible_text)
                        .unwrap_or_else(|| visible_text(a));
                    strip_byline(&name)
                })
                .filter(|n| !n.is_empty()),
        });
    }
    out
}
