//! Unit tests of the listing rules on small pages; whole platform pages are in tests/auto.rs.

use super::*;

fn page() -> Url {
    Url::parse("https://site.test/blog/").unwrap()
}

#[test]
fn post_like_urls() {
    for u in [
        "https://site.test/post/river-road",
        "https://site.test/2026/01/snow/",
        "https://site.test/news/local/budget",
        "https://site.test/blog/hello",
        "https://site.test/stories/12345",
        "https://site.test/why-your-crumb-is-gummy/",
        "https://site.test/p/launch.html",
        "https://site.test/item/98765",
    ] {
        assert!(looks_like_post(u), "{u}");
    }
    for u in [
        "https://site.test/about",
        "https://site.test/news/",
        "https://site.test/local",
        "https://site.test/",
    ] {
        assert!(!looks_like_post(u), "{u}");
    }
}

#[test]
fn listing_pages_and_other_hosts_are_not_posts() {
    let p = page();
    for href in [
        "/tag/winter/",
        "/category/news/",
        "/blog/categories/local",
        "/author/jane/",
        "/profile/wgon/profile",
        "/page/2/",
        "/search/label/winter",
        "/?page=2",
        "https://other.test/post/x-y-z",
        "#comments",
        "/blog/",
        "/",
        "/feed/",
        "/media/photo.jpg",
        "mailto:a@b.test",
    ] {
        assert_eq!(post_url(href, &p), None, "{href}");
    }
    assert_eq!(
        post_url("/post/a-b?utm_source=x#top", &p).as_deref(),
        Some("https://site.test/post/a-b")
    );
    assert_eq!(
        post_url("https://www.site.test/post/a", &p).as_deref(),
        Some("https://www.site.test/post/a")
    );
}

#[test]
fn cards_in_navigation_and_widgets_are_skipped_and_duplicates_fold() {
    let html = r#"<html><body class="has-sidebar">
      <nav><ul>
        <li><a href="/post/one-two-three">Nav link to a post with a long title</a></li>
        <li><a href="/post/four-five-six">Another nav link to a post title</a></li>
      </ul></nav>
      <div class="content-sidebar-wrap"><div class="list">
        <div class="item"><h2><a href="/post/first-post-here">First post with a title</a></h2><p>A summary long enough to count as the excerpt of the post.</p></div>
        <div class="item"><h2><a href="/post/second-post-here">Second post with a title</a></h2></div>
        <div class="item"><h2><a href="/post/first-post-here#comments">First post with a title</a></h2></div>
      </div></div>
      <div class="widget-area"><ul>
        <li><a href="/post/popular-one-here">Popular one with a long title</a></li>
        <li><a href="/post/popular-two-here">Popular two with a long title</a></li>
        <li><a href="/post/popular-three-here">Popular three with a long title</a></li>
      </ul></div>
    </body></html>"#;
    let listing = find_posts(html, &page());
    let urls: Vec<&str> = listing.posts.iter().map(|p| p.url.as_str()).collect();
    assert_eq!(
        urls,
        [
            "https://site.test/post/first-post-here",
            "https://site.test/post/second-post-here"
        ],
        "{:?}",
        listing.diagnostics
    );
    assert!(listing.posts[0].summary.is_some());
}

#[test]
fn json_ld_item_list_is_used_and_filled_from_cards() {
    let html = r#"<html><head><script type="application/ld+json">
      {"@context":"https://schema.org","@type":"ItemList","itemListElement":[
        {"@type":"ListItem","position":1,"url":"https://site.test/post/alpha-beta-gamma"},
        {"@type":"ListItem","position":2,"item":{"@type":"BlogPosting","url":"/post/delta","headline":"Delta &amp; co","datePublished":"2026-01-09T10:00:00+02:00","author":[{"@type":"Person","name":"Ann"}]}}
      ]}</script></head><body>
      <div><a href="/post/alpha-beta-gamma"><h3>Alpha beta gamma</h3></a><time>Jan 9</time></div>
      <div><a href="/post/delta"><h3>Delta and co</h3></a></div>
    </body></html>"#;
    let listing = find_posts(html, &page());
    assert_eq!(listing.method.as_deref(), Some("json-ld"));
    assert_eq!(listing.posts.len(), 2);
    assert_eq!(listing.posts[0].title.as_deref(), Some("Alpha beta gamma"));
    assert_eq!(listing.posts[0].date_text.as_deref(), Some("Jan 9"));
    assert_eq!(listing.posts[1].title.as_deref(), Some("Delta & co"));
    assert_eq!(listing.posts[1].author.as_deref(), Some("Ann"));
    assert_eq!(
        listing.posts[1].date.map(|d| d.utc.to_rfc3339()),
        Some("2026-01-09T08:00:00+00:00".into())
    );
}

#[test]
fn h_entries_are_read() {
    let html = r#"<html><body><div class="h-feed">
      <article class="h-entry"><a class="u-url p-name" href="/2026/01/a">Entry A</a>
        <time class="dt-published" datetime="2026-01-02T03:04:05Z">Jan 2</time>
        <p class="p-summary">Summary A</p><a class="p-author h-card" href="/">Kim</a></article>
      <article class="h-entry"><h2 class="p-name"><a href="/2026/01/b">Entry B</a></h2></article>
    </div></body></html>"#;
    let listing = find_posts(html, &page());
    assert_eq!(listing.method.as_deref(), Some("microformats"));
    assert_eq!(listing.posts[0].title.as_deref(), Some("Entry A"));
    assert_eq!(listing.posts[0].author.as_deref(), Some("Kim"));
    assert!(listing.posts[0].date.is_some());
    assert_eq!(listing.posts[1].url, "https://site.test/2026/01/b");
}

#[test]
fn nothing_found_on_a_page_without_posts() {
    let listing = find_posts(
        "<html><body><p>Hello.</p><a href='/about'>About</a></body></html>",
        &page(),
    );
    assert!(listing.posts.is_empty());
    assert!(listing.method.is_none());
}

#[test]
fn never_panics_on_odd_markup() {
    for html in [
        "",
        "<",
        "<a href='::::'>x</a><a href='http://[::1'>y</a>",
        &"<div>".repeat(5000),
        "<script type='application/ld+json'>[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]</script>",
        "<script type='application/ld+json'>{\"@type\":\"ItemList\",\"itemListElement\":7}</script>",
    ] {
        let _ = find_posts(html, &page());
    }
}
