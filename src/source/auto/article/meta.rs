//! Structured metadata on a post page, one [`Fields`] per layer of the priority chain:
//! JSON-LD ([`from_json_ld`]), `<meta>` tags — OpenGraph, `article:*`, Dublin Core, `name=author`
//! and friends ([`from_meta_tags`]) —, schema.org microdata ([`from_microdata`]) and the
//! microformat `h-entry` ([`from_h_entry`]). Each layer only reports what it saw, as raw strings;
//! the caller picks per field in chain order and parses dates through the date engine.

use scraper::{ElementRef, Html, Selector};
use serde_json::Value;
use std::collections::HashMap;
use std::sync::LazyLock;

/// What one layer says about the page. Strings are raw (entities may still be encoded); empty
/// means the layer did not say.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub published: Vec<String>,
    pub updated: Option<String>,
    pub image: Option<String>,
    pub language: Option<String>,
    pub site_name: Option<String>,
    pub description: Option<String>,
    pub categories: Vec<String>,
    pub canonical: Option<String>,
    /// JSON-LD `articleBody`: a text fallback when the page body is an app shell.
    pub body_text: Option<String>,
    /// Every author this layer named is an organisation (often the site itself): a person
    /// named by a later layer is better.
    pub authors_are_orgs: bool,
}

/// Most JSON-LD blocks read from one page, and how deep a value may nest.
const MAX_JSON_LD_BLOCKS: usize = 32;
const MAX_JSON_LD_BYTES: usize = 2 * 1024 * 1024;
const MAX_DEPTH: usize = 24;

pub(super) fn sel(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|_| unreachable!("static selector {css}"))
}

/// The types that describe the post itself, best first.
fn article_rank(types: &[&str]) -> Option<u8> {
    let mut best: Option<u8> = None;
    for t in types {
        let t = t.rsplit(['/', ':']).next().unwrap_or(t);
        let rank = match t {
            "BlogPosting"
            | "NewsArticle"
            | "Article"
            | "Report"
            | "TechArticle"
            | "ScholarlyArticle"
            | "LiveBlogPosting"
            | "SocialMediaPosting"
            | "AnalysisNewsArticle"
            | "OpinionNewsArticle"
            | "ReportageNewsArticle"
            | "BackgroundNewsArticle"
            | "ReviewNewsArticle"
            | "AskPublicNewsArticle"
            | "SatiricalArticle"
            | "AdvertiserContentArticle"
            | "MedicalScholarlyArticle"
            | "Posting" => 0,
            t if t.ends_with("Article") => 0,
            "Recipe" | "HowTo" | "Review" | "VideoObject" | "Guide" | "FAQPage" => 1,
            "WebPage" | "ItemPage" | "AboutPage" | "MedicalWebPage" | "CollectionPage" => 2,
            _ => continue,
        };
        best = Some(best.map_or(rank, |b| b.min(rank)));
    }
    best
}

fn types_of(obj: &serde_json::Map<String, Value>) -> Vec<&str> {
    match obj.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

/// Parse one `<script type="application/ld+json">` text, forgiving the usual breakage: HTML
/// comments or CDATA around it, raw control characters inside strings, entity-encoded markup.
fn parse_block(raw: &str) -> Option<Value> {
    let mut text = raw.trim();
    for (open, close) in [
        ("<!--", "-->"),
        ("<![CDATA[", "]]>"),
        ("//<![CDATA[", "//]]>"),
    ] {
        if let Some(rest) = text.strip_prefix(open) {
            text = rest.trim_end().strip_suffix(close).unwrap_or(rest).trim();
        }
    }
    let text = text.trim_end_matches(';');
    if let Ok(v) = serde_json::from_str::<Value>(text) {
        return Some(v);
    }
    let no_controls: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if let Ok(v) = serde_json::from_str::<Value>(&no_controls) {
        return Some(v);
    }
    let decoded = html_escape::decode_html_entities(&no_controls);
    serde_json::from_str::<Value>(&decoded).ok()
}

/// Every object in a JSON-LD value, depth-first (`@graph`, arrays and nested values included).
fn collect_objects<'a>(
    v: &'a Value,
    depth: usize,
    out: &mut Vec<(&'a serde_json::Map<String, Value>, usize)>,
) {
    if depth > MAX_DEPTH || out.len() > 4096 {
        return;
    }
    match v {
        Value::Object(o) => {
            out.push((o, depth));
            for (k, child) in o {
                // Comments and reviews inside an article carry their own dates and authors.
                if matches!(k.as_str(), "comment" | "review" | "citation" | "hasPart") {
                    continue;
                }
                collect_objects(child, depth + 1, out);
            }
        }
        Value::Array(a) => {
            for child in a {
                collect_objects(child, depth, out);
            }
        }
        _ => {}
    }
}

fn string_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Array(a) => a.iter().find_map(string_of),
        Value::Object(o) => o.get("@value").and_then(string_of),
        _ => None,
    }
    .map(|s| s.trim().to_string())
    .filter(|s| !s.is_empty())
}

/// An `@id` reference resolved against the page's objects.
fn resolve<'a>(
    v: &'a Value,
    ids: &HashMap<&str, &'a serde_json::Map<String, Value>>,
) -> Option<&'a serde_json::Map<String, Value>> {
    let o = v.as_object()?;
    if o.len() == 1
        && let Some(id) = o.get("@id").and_then(Value::as_str)
    {
        return ids.get(id).copied().or(Some(o));
    }
    Some(o)
}

fn names_of(
    v: &Value,
    ids: &HashMap<&str, &serde_json::Map<String, Value>>,
    depth: usize,
) -> Vec<String> {
    if depth > 4 {
        return Vec::new();
    }
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a
            .iter()
            .take(32)
            .flat_map(|x| names_of(x, ids, depth + 1))
            .collect(),
        Value::Object(_) => {
            let Some(o) = resolve(v, ids) else {
                return Vec::new();
            };
            if let Some(name) = o.get("name").and_then(string_of) {
                return vec![name];
            }
            let given = o.get("givenName").and_then(string_of);
            let family = o.get("familyName").and_then(string_of);
            match (given, family) {
                (Some(g), Some(f)) => vec![format!("{g} {f}")],
                (Some(g), None) => vec![g],
                (None, Some(f)) => vec![f],
                (None, None) => Vec::new(),
            }
        }
        _ => Vec::new(),
    }
}

fn image_of(v: &Value, depth: usize) -> Option<String> {
    if depth > 4 {
        return None;
    }
    match v {
        Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Value::Array(a) => a.iter().find_map(|x| image_of(x, depth + 1)),
        Value::Object(o) => o
            .get("url")
            .or_else(|| o.get("contentUrl"))
            .and_then(|x| image_of(x, depth + 1)),
        _ => None,
    }
}

/// The JSON-LD layer: the best article-like object (an article type beats a page type; among
/// equals, the one whose `url`/`mainEntityOfPage` is this page, else the first), its fields, and
/// the publisher / `WebSite` name as site name.
pub fn from_json_ld(doc: &Html, page_url: &url::Url) -> Fields {
    static SCRIPT: LazyLock<Selector> =
        LazyLock::new(|| sel(r#"script[type="application/ld+json" i]"#));
    let mut values = Vec::new();
    let mut bytes = 0usize;
    for script in doc.select(&SCRIPT).take(MAX_JSON_LD_BLOCKS) {
        let text: String = script.text().collect();
        bytes += text.len();
        if bytes > MAX_JSON_LD_BYTES {
            break;
        }
        if let Some(v) = parse_block(&text) {
            values.push(v);
        }
    }
    let mut objects = Vec::new();
    for v in &values {
        collect_objects(v, 0, &mut objects);
    }
    let mut ids: HashMap<&str, &serde_json::Map<String, Value>> = HashMap::new();
    for (o, _) in &objects {
        if let Some(id) = o.get("@id").and_then(Value::as_str)
            && o.len() > 1
        {
            ids.entry(id).or_insert(o);
        }
    }
    let page = page_url.as_str().trim_end_matches('/');
    let is_this_page = |o: &serde_json::Map<String, Value>| {
        ["url", "mainEntityOfPage", "@id"].iter().any(|k| {
            o.get(*k)
                .and_then(|v| string_of(v).or_else(|| v.get("@id").and_then(string_of)))
                .is_some_and(|u| u.trim_end_matches('/') == page)
        })
    };
    let mut best: Option<(u8, bool, &serde_json::Map<String, Value>)> = None;
    for (o, _) in &objects {
        let Some(rank) = article_rank(&types_of(o)) else {
            continue;
        };
        let this = is_this_page(o);
        let better = match best {
            None => true,
            Some((r, t, _)) => rank < r || (rank == r && this && !t),
        };
        if better {
            best = Some((rank, this, o));
        }
    }
    let mut f = Fields::default();
    for (o, _) in &objects {
        let types = types_of(o);
        if types.contains(&"WebSite") && f.site_name.is_none() {
            f.site_name = o.get("name").and_then(string_of);
        }
    }
    let Some((rank, _, art)) = best else {
        return f;
    };
    let get = |k: &str| art.get(k).and_then(string_of);
    f.title = get("headline").or_else(|| get("name"));
    f.authors = art
        .get("author")
        .or_else(|| art.get("creator"))
        .map(|a| names_of(a, &ids, 0))
        .unwrap_or_default();
    if let Some(a) = art.get("author") {
        let items: Vec<&Value> = match a {
            Value::Array(v) => v.iter().collect(),
            other => vec![other],
        };
        f.authors_are_orgs = !items.is_empty()
            && items.iter().all(|x| {
                resolve(x, &ids).is_some_and(|o| {
                    types_of(o)
                        .iter()
                        .any(|t| t.contains("Organization") || t.contains("Corporation"))
                })
            });
    }
    if rank == 2 {
        // A page-level node's "author" is usually the site: keep only its dates and title.
        f.authors.clear();
    }
    f.published = ["datePublished", "dateCreated", "uploadDate"]
        .iter()
        .filter_map(|k| get(k))
        .collect();
    f.updated = get("dateModified");
    f.image = art
        .get("image")
        .or_else(|| art.get("thumbnailUrl"))
        .and_then(|v| image_of(v, 0));
    f.language = get("inLanguage");
    if let Some(p) = art.get("publisher")
        && let Some(name) = names_of(p, &ids, 0).into_iter().next()
    {
        f.site_name = Some(name);
    }
    f.description = get("description");
    f.categories = art
        .get("articleSection")
        .map(|v| match v {
            Value::Array(a) => a.iter().filter_map(string_of).collect(),
            other => string_of(other).into_iter().collect(),
        })
        .unwrap_or_default();
    f.canonical = get("url");
    f.body_text = get("articleBody");
    f
}

/// The `<meta>` layer: OpenGraph, `article:*`, Dublin Core, `name=author`, parsely/sailthru
/// dates, `<html lang>` and `rel=canonical`.
pub fn from_meta_tags(doc: &Html) -> Fields {
    static META: LazyLock<Selector> = LazyLock::new(|| sel("meta[content]"));
    static CANONICAL: LazyLock<Selector> = LazyLock::new(|| sel(r#"link[rel~="canonical" i]"#));
    static HTML: LazyLock<Selector> = LazyLock::new(|| sel("html[lang]"));
    let mut m: HashMap<String, Vec<String>> = HashMap::new();
    for meta in doc.select(&META).take(2000) {
        let e = meta.value();
        let key = e
            .attr("property")
            .or_else(|| e.attr("name"))
            .or_else(|| e.attr("itemprop"))
            .or_else(|| e.attr("http-equiv"));
        let (Some(key), Some(content)) = (key, e.attr("content")) else {
            continue;
        };
        let content = content.trim();
        if content.is_empty() {
            continue;
        }
        // Inside an itemscope, itemprop metas belong to the microdata layer.
        if e.attr("itemprop").is_some() && e.attr("property").is_none() && e.attr("name").is_none()
        {
            continue;
        }
        m.entry(key.trim().to_ascii_lowercase())
            .or_default()
            .push(content.to_string());
    }
    let first = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| m.get(*k).and_then(|v| v.first()).cloned())
    };
    let mut f = Fields {
        title: first(&[
            "og:title",
            "twitter:title",
            "dc.title",
            "dcterms.title",
            "title",
        ]),
        site_name: first(&["og:site_name", "application-name", "twitter:site"])
            .map(|s| s.trim_start_matches('@').to_string()),
        image: first(&[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
        ]),
        description: first(&["og:description", "description", "twitter:description"]),
        updated: first(&[
            "article:modified_time",
            "og:updated_time",
            "dcterms.modified",
        ]),
        ..Fields::default()
    };
    for k in [
        "article:published_time",
        "og:article:published_time",
        "article:published",
        "datepublished",
        "dc.date",
        "dc.date.issued",
        "dcterms.created",
        "dcterms.issued",
        "dc.date.created",
        "citation_publication_date",
        "parsely-pub-date",
        "sailthru.date",
        "publish-date",
        "publish_date",
        "pubdate",
        "date",
        "article.published",
        "og:published_time",
    ] {
        if let Some(v) = m.get(k) {
            f.published.extend(v.iter().cloned());
        }
    }
    if f.published.is_empty() {
        // Site-specific names: "published", "published-date", "w-published-date", "pub-date".
        let mut keys: Vec<&String> = m
            .keys()
            .filter(|k| {
                (k.contains("publish") || k.contains("pub-date") || k.contains("pub_date"))
                    && !k.contains("publisher")
            })
            .collect();
        keys.sort();
        for k in keys {
            if let Some(v) = m.get(k) {
                f.published.extend(v.iter().cloned());
            }
        }
    }
    for k in [
        "author",
        "article:author",
        "dc.creator",
        "dcterms.creator",
        "parsely-author",
        "sailthru.author",
        "citation_author",
        "byl",
        "twitter:creator",
    ] {
        if let Some(v) = m.get(k) {
            let names: Vec<String> = v
                .iter()
                .filter(|a| !looks_like_url(a))
                .map(|a| a.trim_start_matches('@').to_string())
                .collect();
            if !names.is_empty() && k != "twitter:creator" {
                f.authors = names;
                break;
            }
        }
    }
    if f.authors.is_empty() {
        f.authors = labelled_author(&m);
    }
    f.language = first(&["og:locale", "content-language", "dc.language", "language"])
        .map(|l| l.replace('_', "-"));
    if let Some(lang) = doc
        .select(&HTML)
        .next()
        .and_then(|h| h.value().attr("lang"))
        .map(str::trim)
        .filter(|l| !l.is_empty())
    {
        // The document's own language attribute beats a locale meant for social cards.
        f.language = Some(lang.to_string());
    }
    for k in [
        "article:tag",
        "article:section",
        "keywords",
        "news_keywords",
    ] {
        if let Some(v) = m.get(k) {
            for t in v {
                if k == "keywords" || k == "news_keywords" {
                    f.categories
                        .extend(t.split(',').map(|s| s.trim().to_string()));
                } else {
                    f.categories.push(t.clone());
                }
            }
        }
    }
    f.categories.retain(|c| !c.is_empty());
    f.canonical = doc
        .select(&CANONICAL)
        .next()
        .and_then(|l| l.value().attr("href"))
        .map(str::to_string);
    f
}

/// The author in a card's label/data pair (`twitter:label1` "Written by", `twitter:data1` the
/// name), as SEO plugins write it.
fn labelled_author(m: &HashMap<String, Vec<String>>) -> Vec<String> {
    for i in 1..=4 {
        let label = m
            .get(&format!("twitter:label{i}"))
            .and_then(|v| v.first())
            .map(|l| l.trim().to_lowercase());
        if label.is_some_and(|l| {
            matches!(
                l.as_str(),
                "written by"
                    | "author"
                    | "by"
                    | "auteur"
                    | "autor"
                    | "geschrieben von"
                    | "escrito por"
            )
        }) && let Some(name) = m.get(&format!("twitter:data{i}")).and_then(|v| v.first())
            && !looks_like_url(name)
        {
            return vec![name.trim().to_string()];
        }
    }
    Vec::new()
}

/// A string that is a link rather than a name (`article:author` is often a profile URL).
pub fn looks_like_url(s: &str) -> bool {
    let s = s.trim();
    s.contains("://") || s.starts_with("www.") || s.starts_with('/') || s.starts_with("mailto:")
}

fn is_inside(e: ElementRef<'_>, pred: impl Fn(&str) -> bool) -> bool {
    e.ancestors().filter_map(ElementRef::wrap).any(|a| {
        a.value()
            .attr("itemtype")
            .is_some_and(|t| a.value().attr("itemscope").is_some() && pred(t))
    })
}

/// The value of a microdata property: `content`, `datetime`, or the text.
fn prop_value(e: ElementRef<'_>) -> Option<String> {
    let v = e
        .value()
        .attr("content")
        .or_else(|| e.value().attr("datetime"))
        .map(str::to_string)
        .unwrap_or_else(|| e.text().collect::<Vec<_>>().join(" "));
    let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
    (!v.is_empty() && v.len() < 300).then_some(v)
}

/// The microdata layer: `itemprop` headline, author (its `name` when it is an itemscope), and
/// datePublished — never those inside a `Comment` item.
pub fn from_microdata(doc: &Html) -> Fields {
    static HEADLINE: LazyLock<Selector> = LazyLock::new(|| sel(r#"[itemprop~="headline"]"#));
    static AUTHOR: LazyLock<Selector> =
        LazyLock::new(|| sel(r#"[itemprop~="author"], [itemprop~="creator"]"#));
    static NAME: LazyLock<Selector> = LazyLock::new(|| sel(r#"[itemprop~="name"]"#));
    static PUBLISHED: LazyLock<Selector> =
        LazyLock::new(|| sel(r#"[itemprop~="datePublished"], [itemprop~="dateCreated"]"#));
    static MODIFIED: LazyLock<Selector> = LazyLock::new(|| sel(r#"[itemprop~="dateModified"]"#));
    let not_comment = |e: &ElementRef<'_>| !is_inside(*e, |t| t.contains("Comment"));
    let mut f = Fields {
        title: doc
            .select(&HEADLINE)
            .filter(not_comment)
            .find_map(prop_value),
        published: doc
            .select(&PUBLISHED)
            .filter(not_comment)
            .filter_map(prop_value)
            .take(3)
            .collect(),
        updated: doc
            .select(&MODIFIED)
            .filter(not_comment)
            .find_map(prop_value),
        ..Fields::default()
    };
    for a in doc.select(&AUTHOR).filter(not_comment).take(8) {
        let name = if a.value().attr("itemscope").is_some() {
            a.select(&NAME).next().and_then(prop_value)
        } else {
            prop_value(a)
        };
        if let Some(n) = name.filter(|n| !looks_like_url(n))
            && !f.authors.contains(&n)
        {
            f.authors.push(n);
        }
    }
    f
}

/// The `h-entry` layer (microformats2): `p-name`, `p-author` (its `p-name` when it is an
/// `h-card`), `dt-published`, `dt-updated`.
pub fn from_h_entry(doc: &Html) -> Fields {
    static ENTRY: LazyLock<Selector> = LazyLock::new(|| sel(".h-entry"));
    static NAME: LazyLock<Selector> = LazyLock::new(|| sel(".p-name"));
    static AUTHOR: LazyLock<Selector> = LazyLock::new(|| sel(".p-author"));
    static PUBLISHED: LazyLock<Selector> = LazyLock::new(|| sel(".dt-published"));
    static UPDATED: LazyLock<Selector> = LazyLock::new(|| sel(".dt-updated"));
    let Some(entry) = doc.select(&ENTRY).next() else {
        return Fields::default();
    };
    let mut f = Fields {
        title: entry.select(&NAME).next().and_then(prop_value),
        published: entry
            .select(&PUBLISHED)
            .next()
            .and_then(prop_value)
            .into_iter()
            .collect(),
        updated: entry.select(&UPDATED).next().and_then(prop_value),
        ..Fields::default()
    };
    if let Some(a) = entry.select(&AUTHOR).next() {
        let name = a
            .select(&NAME)
            .next()
            .and_then(prop_value)
            .or_else(|| prop_value(a));
        f.authors.extend(name.filter(|n| !looks_like_url(n)));
    }
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url() -> url::Url {
        url::Url::parse("https://example.com/post/a").unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn json_ld_graph_breadcrumb_first_and_nested_authors() {
        let html = r##"<html><head>
<script type="application/ld+json">{"@context":"https://schema.org","@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","name":"Home"}]}</script>
<script type="application/ld+json">{"@graph":[{"@type":"WebSite","name":"Site"},
 {"@type":["BlogPosting"],"headline":"Tom &amp; Jerry","author":[{"@id":"#p1"}],"datePublished":"2026-01-09T14:10:00-04:00","dateModified":"2026-01-10T00:00:00Z","image":[{"url":"/a.jpg"}],
  "comment":[{"@type":"Comment","datePublished":"2026-02-01"}]},
 {"@type":"Person","@id":"#p1","name":"Ann Writer"}]}</script></head><body></body></html>"##;
        let f = from_json_ld(&Html::parse_document(html), &url());
        assert_eq!(f.title.as_deref(), Some("Tom &amp; Jerry"));
        assert_eq!(f.authors, vec!["Ann Writer".to_string()]);
        assert_eq!(f.published, vec!["2026-01-09T14:10:00-04:00".to_string()]);
        assert_eq!(f.updated.as_deref(), Some("2026-01-10T00:00:00Z"));
        assert_eq!(f.image.as_deref(), Some("/a.jpg"));
        assert_eq!(f.site_name.as_deref(), Some("Site"));
    }

    #[test]
    fn meta_author_urls_are_not_names() {
        let html = r#"<html lang="de"><head><meta property="article:author" content="https://x.example/profile/a">
<meta name="author" content="Jo Doe"><meta property="article:published_time" content="2025-12-23T00:05:00.000Z"></head></html>"#;
        let f = from_meta_tags(&Html::parse_document(html));
        assert_eq!(f.authors, vec!["Jo Doe".to_string()]);
        assert_eq!(f.language.as_deref(), Some("de"));
        assert_eq!(f.published, vec!["2025-12-23T00:05:00.000Z".to_string()]);
    }

    #[test]
    fn labelled_author_in_card_metadata() {
        let html = r#"<html><head><meta name="twitter:label1" content="Est. reading time"><meta name="twitter:data1" content="4 minutes">
<meta name="twitter:label2" content="Written by"><meta name="twitter:data2" content="Erin Spain"></head></html>"#;
        let f = from_meta_tags(&Html::parse_document(html));
        assert_eq!(f.authors, vec!["Erin Spain".to_string()]);
    }

    #[test]
    fn microdata_skips_comments() {
        let html = r#"<div itemscope itemtype="https://schema.org/BlogPosting"><h1 itemprop="headline">H</h1>
<span itemprop="author" itemscope itemtype="https://schema.org/Person"><span itemprop="name">Al</span></span>
<div itemscope itemtype="https://schema.org/Comment"><time itemprop="datePublished" datetime="2020-01-01">x</time></div>
<time itemprop="datePublished" datetime="2019-05-05">May 5</time></div>"#;
        let f = from_microdata(&Html::parse_document(html));
        assert_eq!(f.title.as_deref(), Some("H"));
        assert_eq!(f.authors, vec!["Al".to_string()]);
        assert_eq!(f.published, vec!["2019-05-05".to_string()]);
    }
}
