//! The RSS 2.0 fast path (`source::fast`) against the full path (`source::feed::read_feed_full`):
//! wherever the fast path accepts a document — every file of the shared feed corpora, and
//! documents built here — both must give the same `SourceFeed`, field for field; documents
//! with what the fast path does not copy must be handed over. The corpora are found as in
//! tests/corpus_read.rs (`FEEDWRIGHT_SHARED`); without them that part prints a note and passes.

mod corpus_files;
use corpus_files::{shared_root, walk};
use feedwright::model::SourceFeed;
use feedwright::source::fast::read_rss2;
use feedwright::source::feed::{ReadContext, read_feed, read_feed_full};

/// Both paths on one document: `Some(feed)` when the fast path accepted it (after asserting
/// the full path gives the same), `None` when it handed over.
fn both(
    bytes: &[u8],
    feed_url: Option<&url::Url>,
    charset: Option<&str>,
    what: &str,
) -> Option<SourceFeed> {
    let ctx = ReadContext {
        source_id: "src",
        feed_url,
        http_charset: charset,
    };
    let fast = read_rss2(bytes, &ctx)?;
    let full = read_feed_full(bytes, &ctx).unwrap_or_else(|e| {
        panic!("{what}: the fast path accepted what the full path rejects: {e}")
    });
    assert_eq!(fast, full, "{what}: the two paths disagree");
    Some(fast)
}

#[test]
fn fast_path_agrees_with_the_full_path_on_every_corpus_feed() {
    let Some(root) = shared_root() else {
        eprintln!("corpora not found; set FEEDWRIGHT_SHARED");
        return;
    };
    let dir = root.join("corpora");
    let mut files = Vec::new();
    walk(&dir.join("feeds"), &mut files);
    let (mut accepted, mut rss2_docs) = (0usize, 0usize);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let what = path.display().to_string();
        let url = url::Url::from_file_path(path).ok();
        let http_url: url::Url = "https://example.org/feeds/feed.xml".parse().unwrap();
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]);
        if head.contains("<rss") && head.contains("2.0") {
            rss2_docs += 1;
        }
        // With the file's own URL, an http URL, no URL, and a (wrong) HTTP charset.
        let r = both(&bytes, url.as_ref(), None, &what);
        both(&bytes, Some(&http_url), None, &what);
        both(&bytes, None, Some("iso-8859-1"), &what);
        if r.is_some() {
            accepted += 1;
        }
    }
    eprintln!(
        "fast path: accepted {accepted} of {} corpus files (about {rss2_docs} look like RSS 2.0)",
        files.len()
    );
    assert!(accepted > 0, "the fast path accepted no corpus document");
}

/// An RSS 2.0 document in the common shape (the benchmark's and most blogs'), with `extra`
/// inserted into the first item.
fn rss(extra: &str) -> String {
    let mut items = String::new();
    for i in 0..5 {
        items.push_str(&format!(
            r#"<item>
  <title>Post {i} &amp; more &#8211; &lt;b&gt;bold&lt;/b&gt;</title>
  <link>https://blog.example.org/{i}/?utm_source=x</link>
  <guid isPermaLink="true">https://blog.example.org/{i}/</guid>
  <pubDate>Mon, 0{d} Jun 2026 10:1{i}:00 +0200</pubDate>
  <dc:creator>Ann Author</dc:creator>
  <category>news</category><category> news </category><category>other</category>
  <description>&lt;p&gt;Body {i} &lt;img src="/img/{i}.png"&gt;&lt;/p&gt;</description>
  <comments>https://blog.example.org/{i}/#comments</comments>
  <wfw:commentRss>https://blog.example.org/{i}/feed/</wfw:commentRss>
  <slash:comments>3</slash:comments>
  {x}
</item>
"#,
            d = i + 1,
            x = if i == 0 { extra } else { "" },
        ));
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:slash="http://purl.org/rss/1.0/modules/slash/" xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel>
  <title>A <![CDATA[Blog]]></title>
  <atom:link href="https://blog.example.org/feed/" rel="self" type="application/rss+xml"/>
  <link>https://blog.example.org</link>
  <description>Words</description>
  <language>EN-us</language>
  <lastBuildDate>Mon, 08 Jun 2026 10:00:00 +0000</lastBuildDate>
  <sy:updatePeriod>hourly</sy:updatePeriod>
  <generator>https://wordpress.org/?v=6.5</generator>
  <image><url>https://blog.example.org/logo.png</url><title>A Blog</title><link>https://blog.example.org</link></image>
{items}</channel>
</rss>
"#
    )
}

#[test]
fn the_common_shape_takes_the_fast_path_and_agrees() {
    let url: url::Url = "https://blog.example.org/feed/".parse().unwrap();
    for extra in [
        "",
        "<content:encoded><![CDATA[<p>Full <a href=\"x\">text</a></p>]]></content:encoded>",
        "<content:encoded>   </content:encoded>",
        "<title></title>",
        "<pubDate>not a date</pubDate>",
        "<dc:date>2026-06-01T08:00:00Z</dc:date>",
        "<link> /relative/path </link>",
        "<comments>https://blog.example.org/0/?utm_source=x</comments>",
        "<author>Bob (the builder)</author>",
        "<guid>  </guid>",
        "<unknown>x<b>y</b></unknown>",
        "<atom:link href=\"https://blog.example.org/0/amp\" rel=\"amphtml\"/>",
        // Leaf text read without tokenising it, and what must not be read that way.
        "<title/><description>after an empty title</description>",
        "<comments/><guid/>",
        "<title>a spaced end tag</title >",
        "<title>a broken end tag</title\n>",
        "<description>a &lt;b&gt; then <![CDATA[<i>cdata</i>]]> &amp; more</description>",
        "<description><!-- a comment -->after it</description>",
        "<description>  <![CDATA[<p>x</p>]]>  \n </description>",
        "<title>\n  spaced  \n</title>",
        "<title>x</title><title>a second title</title>",
        "<description>a &gt; b</description><pubDate>Tue, 02 Jun 2026 10:10:00 +0200</pubDate>",
    ] {
        let doc = rss(extra);
        let feed = both(doc.as_bytes(), Some(&url), None, extra)
            .unwrap_or_else(|| panic!("the fast path handed over the common shape with {extra:?}"));
        assert_eq!(feed.items.len(), 5);
        // And `read_feed` is the fast path's answer.
        let ctx = ReadContext {
            source_id: "src",
            feed_url: Some(&url),
            http_charset: None,
        };
        assert_eq!(read_feed(doc.as_bytes(), &ctx).unwrap(), feed);
    }
}

#[test]
fn what_the_fast_path_does_not_copy_is_handed_over() {
    let url: url::Url = "https://blog.example.org/feed/".parse().unwrap();
    let ctx = ReadContext {
        source_id: "src",
        feed_url: Some(&url),
        http_charset: None,
    };
    let plain = rss("");
    let cases: Vec<(&str, String)> = vec![
        (
            "an undeclared HTML entity",
            rss("<title>caf&eacute;</title>"),
        ),
        ("a bare ampersand", rss("<title>a & b</title>")),
        ("a mismatched end tag", rss("<title>x</titl>")),
        ("an end tag of another element", rss("<title>x</link>")),
        ("a C1 character reference", rss("<title>don&#146;t</title>")),
        (
            "an enclosure",
            rss("<enclosure url=\"https://e.org/a.mp3\" type=\"audio/mpeg\" length=\"1\"/>"),
        ),
        (
            "media",
            rss(
                "<media:thumbnail xmlns:media=\"http://search.yahoo.com/mrss/\" url=\"https://e.org/t.jpg\"/>",
            ),
        ),
        (
            "an e-mail author",
            rss("<author>ann@example.org (Ann)</author>"),
        ),
        ("an extras field", rss("<dc:subject>topic</dc:subject>")),
        (
            "markup inside a text field",
            rss("<title>a <b>b</b></title>"),
        ),
        ("an undeclared prefix", rss("<foo:title>x</foo:title>")),
        (
            "xml:base",
            rss("<description xml:base=\"https://e.org/\">x</description>"),
        ),
        (
            "a default namespace",
            rss("<x xmlns=\"https://e.org/ns\">x</x>"),
        ),
        (
            "an RSS link written Atom-style",
            rss("<link href=\"https://e.org/\"/>"),
        ),
        ("a broken document", plain[..plain.len() / 2].to_string()),
        ("leading white space", format!("\n{plain}")),
        ("a forbidden character", rss("<title>a\u{1}b</title>")),
        ("Latin-1 bytes", plain.replace("Words", "W\u{f6}rds")),
        (
            "a DOCTYPE",
            plain.replacen("<rss", "<!DOCTYPE rss [<!ENTITY e \"x\">]>\n<rss", 1),
        ),
        (
            "another RSS version",
            plain.replacen("version=\"2.0\"", "version=\"0.92\"", 1),
        ),
    ];
    for (what, doc) in cases {
        let mut bytes = doc.into_bytes();
        if what == "Latin-1 bytes" {
            // Re-encode the one non-ASCII character as Latin-1 (invalid UTF-8).
            let at = bytes
                .windows(2)
                .position(|w| w == "\u{f6}".as_bytes())
                .unwrap();
            bytes.splice(at..at + 2, [0xF6]);
        }
        assert!(
            read_rss2(&bytes, &ctx).is_none(),
            "{what}: the fast path should hand over"
        );
        // The full path still reads it as before (or fails as before).
        assert_eq!(
            read_feed(&bytes, &ctx).map_err(|e| e.to_string()),
            read_feed_full(&bytes, &ctx).map_err(|e| e.to_string()),
            "{what}"
        );
    }
}

/// Every date-like element text in the corpora, and feedparser's date cases: where the date
/// shortcut answers, it answers what the date engine answers.
#[test]
fn date_shortcut_agrees_with_the_engine_on_corpus_dates() {
    use feedwright::normalise::date::fast::parse_common;
    use feedwright::normalise::date::parse_date;
    let Some(root) = shared_root() else {
        eprintln!("corpora not found; set FEEDWRIGHT_SHARED");
        return;
    };
    let feeds = root.join("corpora/feeds");
    let mut dates: Vec<String> = Vec::new();
    if let Ok(cases) = std::fs::read_to_string(feeds.join("feedparser/date_cases.json"))
        && let Ok(serde_json::Value::Array(cases)) = serde_json::from_str(&cases)
    {
        dates.extend(
            cases
                .iter()
                .filter_map(|c| c["input"].as_str().map(str::to_string)),
        );
    }
    let mut files = Vec::new();
    walk(&feeds, &mut files);
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let mut reader = quick_xml::Reader::from_str(&text);
        let mut in_date = false;
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Start(e)) => {
                    let name = e.local_name();
                    in_date = matches!(
                        name.as_ref(),
                        "pubDate"
                            | "date"
                            | "lastBuildDate"
                            | "updated"
                            | "published"
                            | "issued"
                            | "modified"
                            | "created"
                    );
                }
                Ok(quick_xml::events::Event::Text(t)) if in_date => dates.push(t.to_string()),
                Ok(quick_xml::events::Event::End(_)) => in_date = false,
                Ok(quick_xml::events::Event::Eof) | Err(_) => break,
                _ => {}
            }
        }
    }
    let mut answered = 0;
    for d in &dates {
        if let Some(fast) = parse_common(d) {
            answered += 1;
            assert_eq!(Some(fast), parse_date(d), "{d:?}");
        }
    }
    eprintln!(
        "date shortcut: answered {answered} of {} corpus dates",
        dates.len()
    );
    assert!(answered > 0);
}
