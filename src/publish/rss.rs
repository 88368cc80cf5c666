//! Rendering an [`super::OutFeed`] as RSS 2.0 with the rss crate: channel metadata, a
//! `lastBuildDate` taken from the newest item (never the run time), an `atom:link rel="self"`
//! when `base_url` is set and an `atom:link rel="hub"` when `websub_hub` is, and per item
//! `guid`, RFC 822 `pubDate` in the source's offset, `dc:creator`, `description` and
//! `content:encoded`. Every string passes through [`super::xml_safe`] before it reaches the
//! writer.

use std::collections::BTreeMap;

use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, Channel, Enclosure, Guid, Item, Source};

use super::{GENERATOR, OutFeed, categories, is_http_url, safe, safe_opt, stamp_time, utc_time};
use crate::model;

/// Namespace prefixes declared on `<rss>` (always, so the header does not depend on content).
const NAMESPACES: [(&str, &str); 3] = [
    ("atom", "http://www.w3.org/2005/Atom"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
];

/// Render the feed as a complete RSS 2.0 document.
pub fn render(feed: &OutFeed) -> String {
    let channel = build_channel(feed);
    match channel.pretty_write_to(Vec::new(), b' ', 2) {
        Ok(bytes) => super::finish_document(bytes),
        // Writing into a Vec cannot fail on IO; anything else is a bug worth a loud log line.
        Err(e) => {
            tracing::error!(feed = %feed.id, error = %e, "rendering RSS failed");
            String::new()
        }
    }
}

fn build_channel(feed: &OutFeed) -> Channel {
    let title = safe(&feed.title);
    let description = safe_opt(feed.description.as_deref()).unwrap_or_else(|| title.clone());
    let mut channel = Channel {
        title,
        link: safe(&feed.link),
        description,
        language: safe_opt(feed.language.as_deref()),
        last_build_date: feed.effective_updated().map(|t| utc_time(t).to_rfc2822()),
        generator: Some(GENERATOR.to_owned()),
        namespaces: NAMESPACES
            .iter()
            .map(|(p, u)| ((*p).to_owned(), (*u).to_owned()))
            .collect(),
        ..Channel::default()
    };
    let mut atom_links = Vec::new();
    if let Some(self_url) = feed.self_url("xml") {
        atom_links.push(atom_link(&[
            ("href", safe(&self_url)),
            ("rel", "self".to_owned()),
            ("type", "application/rss+xml".to_owned()),
        ]));
    }
    if let Some(hub) = &feed.hub {
        atom_links.push(atom_link(&[("href", safe(hub)), ("rel", "hub".to_owned())]));
    }
    if !atom_links.is_empty() {
        let mut ext = ExtensionMap::new();
        ext.entry("atom".to_owned())
            .or_default()
            .insert("link".to_owned(), atom_links);
        channel.extensions = ext;
    }
    channel.items = feed
        .items
        .iter()
        .map(|item| build_item(feed, item))
        .collect();
    channel
}

/// An empty `<atom:link>` with these attributes.
fn atom_link(attrs: &[(&str, String)]) -> Extension {
    Extension {
        name: "atom:link".to_owned(),
        attrs: attrs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect::<BTreeMap<_, _>>(),
        ..Extension::default()
    }
}

fn build_item(feed: &OutFeed, item: &model::Item) -> Item {
    let content = safe_opt(item.content.as_deref());
    let summary = safe_opt(item.summary.as_deref());
    let description = summary.or_else(|| content.clone());
    let mut title = safe_opt(super::display_title(item).as_deref());
    if title.is_none() && description.is_none() {
        // RSS wants a title or a description in every item.
        title = Some(String::new());
    }
    let id = safe(&item.id);
    let guid = (!id.trim().is_empty()).then(|| Guid {
        permalink: is_http_url(&id),
        value: id,
    });
    let creators: Vec<String> = item
        .authors
        .iter()
        .filter_map(|p| safe_opt(p.name.as_deref()))
        .collect();
    let author = item.authors.iter().find_map(|p| {
        let email = safe_opt(p.email.as_deref())?;
        Some(match safe_opt(p.name.as_deref()) {
            Some(name) => format!("{email} ({name})"),
            None => email,
        })
    });
    let enclosure = item.enclosures.first().map(|e| Enclosure {
        url: safe(&e.url),
        length: e.length.unwrap_or(0).to_string(),
        mime_type: safe_opt(e.mime_type.as_deref())
            .unwrap_or_else(|| "application/octet-stream".to_owned()),
    });
    let source = if feed.merged {
        item.origin.as_ref().and_then(|o| {
            Some(Source {
                url: safe_opt(o.feed_url.as_deref())?,
                title: safe_opt(o.title.as_deref()),
            })
        })
    } else {
        None
    };
    Item {
        title,
        link: safe_opt(item.link.as_deref()),
        description,
        author,
        categories: categories(item)
            .into_iter()
            .map(|name| Category { name, domain: None })
            .collect(),
        comments: safe_opt(item.comments.as_deref()),
        enclosure,
        guid,
        pub_date: item
            .published
            .or(item.updated)
            .map(|s| stamp_time(&s).to_rfc2822()),
        source,
        content,
        dublin_core_ext: (!creators.is_empty()).then(|| DublinCoreExtension {
            creators,
            ..DublinCoreExtension::default()
        }),
        ..Item::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::publish::fixture;

    /// The whole document for the two-item fixture (offsets kept, control characters gone,
    /// `]]>` split, duplicate category dropped, author fallback from the feed title).
    #[test]
    fn renders_the_fixture_document() {
        let doc = render(&fixture::two_items());
        assert_eq!(doc, EXPECTED, "\n{doc}");
    }

    const EXPECTED: &str = r##"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel>
    <title>All &lt;news&gt;</title>
    <link>https://example.org/</link>
    <description>All &lt;news&gt;</description>
    <language>en</language>
    <lastBuildDate>Sat, 2 Mar 2024 06:00:00 +0000</lastBuildDate>
    <generator>feedwright</generator>
    <atom:link href="https://feeds.example.org/all.xml" rel="self" type="application/rss+xml">
    </atom:link>
    <item>
      <title>Café &lt;b&gt;&amp;amp;&lt;/b&gt; news</title>
      <link>https://example.org/posts/1</link>
      <description><![CDATA[<p>Short &amp; sweet</p>]]></description>
      <author>ann@example.org (Ann Author)</author>
      <category>rust</category>
      <category>feeds</category>
      <comments>https://example.org/posts/1#comments</comments>
      <enclosure url="https://example.org/a.mp3" length="1234" type="audio/mpeg"/>
      <guid>https://example.org/posts/1</guid>
      <pubDate>Fri, 1 Mar 2024 10:30:00 +0200</pubDate>
      <source url="https://example.org/feed.xml">The Blog</source>
      <content:encoded><![CDATA[<p>Long <em>body</em> ]]]]><![CDATA[> end</p>]]></content:encoded>
      <dc:creator>Ann Author</dc:creator>
    </item>
    <item>
      <title>Bare item</title>
      <link>https://news.example.com/b</link>
      <guid isPermaLink="false">urn:feedwright:news:abc123</guid>
      <pubDate>Thu, 29 Feb 2024 23:00:00 +0000</pubDate>
    </item>
  </channel>
</rss>
"##;

    #[test]
    fn without_base_url_or_dates_there_is_no_self_link_or_build_date() {
        let mut feed = fixture::two_items();
        feed.base_url = None;
        feed.updated = None;
        for item in &mut feed.items {
            item.published = None;
            item.updated = None;
        }
        let doc = render(&feed);
        assert!(!doc.contains("<atom:link"), "{doc}");
        assert!(!doc.contains("lastBuildDate"), "{doc}");
        assert!(!doc.contains("pubDate"), "{doc}");
    }

    #[test]
    fn unknown_enclosure_length_and_type_get_rss_defaults() {
        let mut feed = fixture::two_items();
        feed.items[0].enclosures[0].length = None;
        feed.items[0].enclosures[0].mime_type = None;
        feed.items[0].title = None;
        feed.items[0].summary = None;
        let doc = render(&feed);
        assert!(
            doc.contains(
                r#"<enclosure url="https://example.org/a.mp3" length="0" type="application/octet-stream"/>"#
            ),
            "{doc}"
        );
        // No summary: the description carries the content.
        assert!(doc.contains("<description><![CDATA[<p>Long"), "{doc}");
    }

    #[test]
    fn websub_hub_is_an_atom_link_next_to_self() {
        let mut feed = fixture::two_items();
        feed.hub = Some("https://hub.example.net/?a=1&b=2".into());
        let doc = render(&feed);
        assert!(
            doc.contains(r#"<atom:link href="https://feeds.example.org/all.xml" rel="self""#),
            "{doc}"
        );
        assert!(
            doc.contains(r#"<atom:link href="https://hub.example.net/?a=1&amp;b=2" rel="hub">"#),
            "{doc}"
        );
    }
}
