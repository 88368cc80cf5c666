//! Unit tests of the selector extractor: whole values compared, pages written inline.

use super::*;
use crate::config::compile;
use crate::model::DatePrecision;
use chrono::{TimeZone, Utc};

fn ctx() -> DateContext<'static> {
    DateContext {
        now: Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
        timezone: None,
        language: None,
        day_first: None,
        format: None,
    }
}

fn sel(css: &str) -> Option<FieldSelector> {
    Some(compile(css, None).unwrap())
}

fn sel_attr(css: &str, attr: &str) -> Option<FieldSelector> {
    Some(compile(css, Some(attr)).unwrap())
}

const WP: &str = r#"<!doctype html><html><head><title>Backyard Notes</title>
<base href="https://wp.example/blog/"></head><body>
<article class="post">
  <h2 class="entry-title"><a href="first-post/">First post <span class="reading-time">3 min read</span></a></h2>
  <div class="meta"><time class="published" datetime="2026-02-20T09:30:00-06:00">February 20</time>
  <span class="author vcard">By <span class="fn">Jane Doe</span></span></div>
  <img class="wp-post-image" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/img/one.jpg" width="600" height="400">
  <div class="entry-summary"><p>The garden woke up early this year. <a class="more-link" href="first-post/#more">Continue reading <span class="screen-reader-text">First post</span></a></p>
  <div class="sharedaddy"><h3>Share this:</h3><a href="https://facebook.example/share">Facebook</a></div></div>
  <a rel="category tag" href="/category/garden/">Garden</a> <a rel="tag" href="/tag/spring/">Spring</a>
</article>
<article class="post">
  <h2 class="entry-title"><a href="/second-post/">Second post</a></h2>
  <time class="published">no date here</time>
  <img srcset="/img/two-300.jpg 300w, /img/two-1200.jpg 1200w, /img/two-600.jpg 600w" src="/img/two-300.jpg">
  <div class="entry-summary"><p>Tomatoes, again &amp; again… Read more »</p></div>
</article>
<article class="post"><h2 class="entry-title">No link at all</h2></article>
<a class="next page-numbers" href="page/2/">Next</a>
</body></html>"#;

fn wp_selectors() -> Selectors {
    Selectors {
        title: sel("h2.entry-title a"),
        link: sel_attr("h2.entry-title a", "href"),
        date: sel("time.published"),
        author: sel(".author .fn"),
        summary: sel(".entry-summary"),
        image: sel("img"),
        categories: sel("a[rel~=tag]"),
        next_page: sel_attr("a.next", "href"),
        ..Selectors::with_item("article.post").unwrap()
    }
}

#[test]
fn wordpress_list_page_gives_whole_items() {
    let page_url = Url::parse("https://wp.example/blog/").unwrap();
    let page = extract_items(WP, &page_url, &wp_selectors(), &ctx());
    assert_eq!(page.matched, 3);
    assert_eq!(page.title.as_deref(), Some("Backyard Notes"));
    assert_eq!(
        page.next_page.as_ref().map(Url::as_str),
        Some("https://wp.example/blog/page/2/")
    );
    assert_eq!(page.items.len(), 2);
    let first = &page.items[0];
    assert_eq!(
        first,
        &Item {
            title: Some("First post".into()),
            link: Some("https://wp.example/blog/first-post/".into()),
            published: Some(Stamp::exact(
                chrono::DateTime::parse_from_rfc3339("2026-02-20T09:30:00-06:00").unwrap()
            )),
            authors: vec![Person {
                name: Some("Jane Doe".into()),
                ..Person::default()
            }],
            summary: Some("<p>The garden woke up early this year. </p>".into()),
            image: Some("https://wp.example/img/one.jpg".into()),
            categories: vec!["Garden".into(), "Spring".into()],
            ..Item::default()
        }
    );
    let second = &page.items[1];
    assert_eq!(
        second.link.as_deref(),
        Some("https://wp.example/second-post/")
    );
    assert_eq!(second.published, None, "an unreadable date is no date");
    assert_eq!(
        second.image.as_deref(),
        Some("https://wp.example/img/two-1200.jpg"),
        "largest srcset candidate"
    );
    assert_eq!(
        second.summary.as_deref(),
        Some("<p>Tomatoes, again &amp; again…</p>")
    );
    assert_eq!(
        page.diagnostics,
        vec![
            "item 2: date `no date here` could not be read; the item is dated when first seen"
                .to_string(),
            "item 3 skipped: no link (selector `h2.entry-title a` found no usable href)".into(),
            "title selector `h2.entry-title a` matched 0 elements inside 1 of 3 items".into(),
            "link selector `h2.entry-title a` matched 0 elements inside 1 of 3 items".into(),
            "date selector `time.published` matched 0 elements inside 1 of 3 items".into(),
            "author selector `.author .fn` matched 0 elements inside 2 of 3 items".into(),
            "summary selector `.entry-summary` matched 0 elements inside 1 of 3 items".into(),
            "image selector `img` matched 0 elements inside 1 of 3 items".into(),
            "categories selector `a[rel~=tag]` matched 0 elements inside 2 of 3 items".into(),
        ]
    );
    assert!(page.unmatched.is_empty(), "each selector matched somewhere");
}

#[test]
fn defaults_take_the_first_link_and_its_text_or_a_heading() {
    let html = r##"<div class="card"><a href="/p/1"><img src="/i.jpg" width="400"></a>
        <h3><a href="/p/1#top">Card one</a></h3><span title="2026-02-01">Feb 1</span></div>
        <div class="card"><a href="#">skip</a><a href="javascript:void(0)">js</a>
        <a href="https://other.example/p/2"><h4>Card two</h4></a></div>
        <div class="card"><a href="/p/3"></a><h2>Heading three</h2></div>
        <div class="card"><a href="/p/4"><img src="/x.png" width="16" alt=""></a></div>"##;
    let selectors = Selectors {
        date: sel("span"),
        ..Selectors::with_item("div.card").unwrap()
    };
    let page = extract_items(
        html,
        &Url::parse("http://site.example/list").unwrap(),
        &selectors,
        &ctx(),
    );
    let got: Vec<(Option<&str>, Option<&str>, Option<&str>)> = page
        .items
        .iter()
        .map(|i| (i.title.as_deref(), i.link.as_deref(), i.image.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                Some("Card one"),
                Some("http://site.example/p/1"),
                Some("http://site.example/i.jpg")
            ),
            (Some("Card two"), Some("https://other.example/p/2"), None),
            (Some("Heading three"), Some("http://site.example/p/3"), None),
        ]
    );
    assert_eq!(
        page.items[0]
            .published
            .map(|s| (s.utc.to_rfc3339(), s.precision)),
        Some((
            "2026-02-01T00:00:00+00:00".to_string(),
            DatePrecision::DateOnly
        )),
        "the title attribute is read before the text"
    );
    assert!(
        page.diagnostics
            .iter()
            .any(|d| d.starts_with("item 4 skipped: no title")),
        "{:?}",
        page.diagnostics
    );
}

#[test]
fn an_item_selector_that_matches_nothing_is_explained() {
    let html = "<html><body><div class='entry'>a</div><div class='entry'>b</div></body></html>";
    let page = extract_items(
        html,
        &Url::parse("https://x.example/").unwrap(),
        &Selectors::with_item("article.post").unwrap(),
        &ctx(),
    );
    assert!(page.items.is_empty());
    assert_eq!(
        page.diagnostics,
        vec![
            "item selector `article.post` matched nothing; the page has 0 <article> element(s), 0 element(s) with class `post` (the page is nearly empty: is it rendered by JavaScript?)"
                .to_string()
        ]
    );
}

#[test]
fn items_are_capped_per_page() {
    let mut html = String::from("<ul>");
    for i in 0..(MAX_ITEMS_PER_PAGE + 20) {
        html.push_str(&format!("<li><a href='/p/{i}'>Post {i}</a></li>"));
    }
    html.push_str("</ul>");
    let page = extract_items(
        &html,
        &Url::parse("https://x.example/").unwrap(),
        &Selectors::with_item("li").unwrap(),
        &ctx(),
    );
    assert_eq!(page.items.len(), MAX_ITEMS_PER_PAGE);
    assert_eq!(page.matched, MAX_ITEMS_PER_PAGE + 20);
    assert!(page.diagnostics[0].contains("only the first 500 are read"));
}

#[test]
fn next_page_to_the_same_page_is_dropped() {
    let html = "<article><a href='/a'>A</a></article><a class='next' href='/list'>next</a>";
    let selectors = Selectors {
        next_page: sel("a.next"),
        ..Selectors::with_item("article").unwrap()
    };
    let page = extract_items(
        html,
        &Url::parse("https://x.example/list").unwrap(),
        &selectors,
        &ctx(),
    );
    assert_eq!(page.next_page, None);
}

#[test]
fn date_format_and_timezone_read_odd_dates() {
    let html = "<article><a href='/a'>A</a><span class='d'>20.02.2026</span></article>";
    let selectors = Selectors {
        date: sel("span.d"),
        ..Selectors::with_item("article").unwrap()
    };
    let dates = DateContext {
        timezone: Some(chrono_tz::Europe::Berlin),
        format: Some("%d.%m.%Y"),
        day_first: Some(true),
        ..ctx()
    };
    let page = extract_items(
        html,
        &Url::parse("https://x.example/").unwrap(),
        &selectors,
        &dates,
    );
    let stamp = page.items[0].published.expect("dated");
    assert_eq!(stamp.utc.to_rfc3339(), "2026-02-19T23:00:00+00:00");
    assert_eq!(stamp.offset_secs, 3600);
    assert_eq!(stamp.precision, DatePrecision::DateOnly);
}

#[test]
fn srcset_picks_the_largest_or_first_candidate() {
    assert_eq!(best_srcset("a.jpg 1x, b.jpg 2x").as_deref(), Some("b.jpg"));
    assert_eq!(
        best_srcset("a.jpg 480w, b.jpg 1080w, c.jpg 800w").as_deref(),
        Some("b.jpg")
    );
    assert_eq!(best_srcset("a.jpg, b.jpg").as_deref(), Some("a.jpg"));
    assert_eq!(best_srcset(" , ").as_deref(), None);
}

#[test]
fn boilerplate_is_trimmed_only_when_it_is_clearly_a_label() {
    let cases = [
        ("Spring planting … Read more »", "Spring planting …"),
        (
            "Spring planting [...] Continue reading →",
            "Spring planting [...]",
        ),
        ("Read more", ""),
        ("3 min read", ""),
        ("Reading time: 4 minutes", ""),
        (
            "5 min read · How we fixed the bridge",
            "How we fixed the bridge",
        ),
        (
            "How we fixed the bridge | 12 min read",
            "How we fixed the bridge",
        ),
        ("Share this:", ""),
        // Content, not labels:
        (
            "Why you should read more books",
            "Why you should read more books",
        ),
        ("I want to read more", "I want to read more"),
        ("Share your garden photos", "Share your garden photos"),
        ("A 3 min read on soil", "A 3 min read on soil"),
        ("Continue reading the signs", "Continue reading the signs"),
    ];
    for (input, want) in cases {
        assert_eq!(trim_boilerplate(input), want, "{input:?}");
    }
}

#[test]
fn content_keeps_text_and_images_but_drops_widgets() {
    let html = r#"<article><a href="/a">A</a><div class="c">
        <p>Body <em>text</em> with <a href="rel/link">a link</a>.</p>
        <script>track()</script><button>Like</button>
        <p><img src="data:image/gif;base64,AA" data-lazy-src="//cdn.example/p.jpg" alt="P" class="x"></p>
        <ul class="social-links"><li><a href="https://t.example/">Tweet</a></li></ul>
        <p class="post-meta"><span class="read-time">2 min read</span></p>
        </div></article>"#;
    let selectors = Selectors {
        content: sel("div.c"),
        ..Selectors::with_item("article").unwrap()
    };
    let page = extract_items(
        html,
        &Url::parse("https://x.example/list/").unwrap(),
        &selectors,
        &ctx(),
    );
    let content = page.items[0].content.clone().unwrap_or_default();
    let compact: String = content.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_eq!(
        compact,
        r#"<p>Body <em>text</em> with <a href="https://x.example/list/rel/link">a link</a>.</p> <p><img src="https://cdn.example/p.jpg" alt="P"></p>"#
    );
}

#[test]
fn a_field_selector_matching_in_no_item_is_listed_as_unmatched() {
    let html = r#"<article><h2><a href="/a">A post</a></h2><span class="d">2026-01-02</span></article>
        <article><h2><a href="/b">B post</a></h2><span class="d">2026-01-03</span></article>"#;
    let url = Url::parse("https://site.example/").unwrap();
    let selectors = Selectors {
        title: sel("h2 a"),
        date: sel("time.published"),
        author: sel(".by"),
        ..Selectors::with_item("article").unwrap()
    };
    let page = extract_items(html, &url, &selectors, &ctx());
    assert_eq!(page.items.len(), 2);
    assert_eq!(
        page.unmatched,
        ["date selector `time.published`", "author selector `.by`"]
    );
}

#[test]
fn a_summary_of_only_widgets_or_whitespace_is_none_but_an_image_alone_stays() {
    let html = r#"<article><a href="/a">A</a><div class="s"> <p> </p><a class="more-link" href="/a">Read more</a> </div></article>
        <article><a href="/b">B</a><div class="s"><p><img src="/b.jpg"></p></div></article>
        <article><a href="/c">C</a><div class="s"><p>&nbsp;<b> x </b></p></div></article>"#;
    let selectors = Selectors {
        summary: sel("div.s"),
        ..Selectors::with_item("article").unwrap()
    };
    let url = Url::parse("https://x.example/").unwrap();
    let page = extract_items(html, &url, &selectors, &ctx());
    let summaries: Vec<Option<&str>> = page.items.iter().map(|i| i.summary.as_deref()).collect();
    assert_eq!(summaries.len(), 3);
    assert_eq!(summaries[0], None, "only a read-more link and blanks");
    assert!(summaries[1].is_some_and(|s| s.contains("<img")));
    assert!(summaries[2].is_some_and(|s| s.contains("<b> x </b>")));
}

#[test]
fn the_page_name_is_the_first_site_name_with_content_else_the_title_and_the_first_base_counts() {
    let url = Url::parse("https://x.example/list/").unwrap();
    let selectors = Selectors::with_item("article").unwrap();
    let named = r#"<html><head><title> The  title </title><meta property="og:site_name">
        <meta property="og:site_name" content=" Site  Name "><base href="/b1/"><base href="/b2/"></head>
        <body><article><a href="p">P</a></article></body></html>"#;
    let page = extract_items(named, &url, &selectors, &ctx());
    assert_eq!(page.title.as_deref(), Some("Site Name"));
    assert_eq!(
        page.items[0].link.as_deref(),
        Some("https://x.example/b1/p")
    );
    let untitled = r#"<html><head><meta property="og:site_name" content="  "><title>The title</title>
        <base href="mailto:x@example.org"></head><body><article><a href="p">P</a></article></body></html>"#;
    let page = extract_items(untitled, &url, &selectors, &ctx());
    assert_eq!(page.title.as_deref(), Some("The title"));
    assert_eq!(
        page.items[0].link.as_deref(),
        Some("https://x.example/list/p")
    );
}
