//! Rendering an [`super::OutFeed`] as Atom 1.0 (RFC 4287) with atom_syndication. The feed id
//! is `urn:feedwright:feed:<id>`, `updated` is the newest item's date (the Unix epoch when
//! nothing is dated — stable, never the run time), every link carries an explicit `rel`, every
//! entry gets an author (its own, the feed's, or a stand-in named after its origin), and merged
//! feeds carry a `<source>` per entry; a `rel="hub"` link names `settings.websub_hub` when set.
//! Dates keep the offset the source wrote them with. Every string passes through
//! [`super::xml_safe`] before it reaches the writer.

use atom_syndication::{
    Category, Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Source, Text,
    WriteConfig,
};

use super::{
    GENERATOR, OutFeed, categories, epoch, person_name, safe, safe_opt, stamp_time, utc_time,
};
use crate::model;

/// Render the feed as a complete Atom 1.0 document.
pub fn render(feed: &OutFeed) -> String {
    let atom = build_feed(feed);
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    match atom.write_with_config(Vec::new(), config) {
        Ok(bytes) => super::finish_document(bytes),
        // Writing into a Vec cannot fail on IO; anything else is a bug worth a loud log line.
        Err(e) => {
            tracing::error!(feed = %feed.id, error = %e, "rendering Atom failed");
            String::new()
        }
    }
}

fn build_feed(feed: &OutFeed) -> Feed {
    let updated = utc_time(feed.effective_updated().unwrap_or_else(epoch));
    let authors: Vec<Person> = feed.authors.iter().filter_map(person).collect();
    let mut links = vec![link(&feed.link, "alternate", Some("text/html"))];
    if let Some(self_url) = feed.self_url("atom") {
        links.push(link(&self_url, "self", Some("application/atom+xml")));
    }
    if let Some(hub) = &feed.hub {
        links.push(link(hub, "hub", None));
    }
    let title = safe(&feed.title);
    let entries = feed
        .items
        .iter()
        .map(|item| build_entry(feed, item, !authors.is_empty(), updated))
        .collect();
    Feed {
        title: Text::plain(title),
        id: format!("urn:feedwright:feed:{}", safe(&feed.id)),
        updated,
        authors,
        generator: Some(Generator {
            value: GENERATOR.to_owned(),
            uri: None,
            version: None,
        }),
        links,
        subtitle: safe_opt(feed.description.as_deref()).map(Text::plain),
        lang: safe_opt(feed.language.as_deref()),
        entries,
        ..Feed::default()
    }
}

fn build_entry(
    feed: &OutFeed,
    item: &model::Item,
    feed_has_author: bool,
    feed_updated: FixedDateTime,
) -> Entry {
    let updated = item
        .updated
        .or(item.published)
        .map_or(feed_updated, |s| stamp_time(&s));
    let mut authors: Vec<Person> = item.authors.iter().filter_map(person).collect();
    if authors.is_empty() && !feed_has_author {
        let name = item
            .origin
            .as_ref()
            .and_then(|o| safe_opt(o.title.as_deref()))
            .or_else(|| safe_opt(Some(&feed.title)))
            .unwrap_or_else(|| GENERATOR.to_owned());
        authors.push(Person {
            name,
            ..Person::default()
        });
    }
    let mut links = Vec::new();
    let link_href = safe_opt(item.link.as_deref());
    if let Some(href) = &link_href {
        links.push(link(href, "alternate", Some("text/html")));
    }
    for enclosure in &item.enclosures {
        let mut l = link(&enclosure.url, "enclosure", None);
        l.mime_type = safe_opt(enclosure.mime_type.as_deref());
        l.length = enclosure.length.map(|n| n.to_string());
        links.push(l);
    }
    if let Some(comments) = safe_opt(item.comments.as_deref()) {
        links.push(link(&comments, "replies", Some("text/html")));
    }
    let mut content = safe_opt(item.content.as_deref());
    if content.is_none() && link_href.is_none() {
        // RFC 4287 4.1.1: an entry without content needs an alternate link; with neither,
        // an empty content element keeps it valid.
        content = Some(String::new());
    }
    let source = if feed.merged {
        item.origin.as_ref().map(|o| source(o, updated))
    } else {
        None
    };
    Entry {
        title: Text::plain(safe_opt(super::display_title(item).as_deref()).unwrap_or_default()),
        id: safe(&item.id),
        updated,
        authors,
        categories: categories(item)
            .into_iter()
            .map(|term| Category {
                term,
                ..Category::default()
            })
            .collect(),
        links,
        published: item.published.map(|s| stamp_time(&s)),
        source,
        summary: safe_opt(item.summary.as_deref()).map(Text::html),
        content: content.map(|value| Content {
            value: Some(value),
            content_type: Some("html".to_owned()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

/// `<source>` for an entry of a merged feed: the origin's title, a stable id and its links.
/// The origin's own `updated` is not kept, so the entry's date stands in (stable across runs).
fn source(origin: &model::Origin, updated: FixedDateTime) -> Source {
    let mut links = Vec::new();
    if let Some(href) = safe_opt(origin.link.as_deref()) {
        links.push(link(&href, "alternate", Some("text/html")));
    }
    if let Some(href) = safe_opt(origin.feed_url.as_deref()) {
        links.push(link(&href, "self", None));
    }
    let title = safe_opt(origin.title.as_deref()).unwrap_or_else(|| safe(&origin.source_id));
    Source {
        title: Text::plain(title),
        id: format!("urn:feedwright:source:{}", safe(&origin.source_id)),
        updated,
        links,
        ..Source::default()
    }
}

fn link(href: &str, rel: &str, mime_type: Option<&str>) -> Link {
    Link {
        href: safe(href),
        rel: rel.to_owned(),
        mime_type: mime_type.map(str::to_owned),
        ..Link::default()
    }
}

/// An Atom person from ours; Atom requires a name, so a person with none falls back to the
/// e-mail or URI, and one with nothing at all is dropped.
fn person(p: &model::Person) -> Option<Person> {
    Some(Person {
        name: person_name(p)?,
        email: safe_opt(p.email.as_deref()),
        uri: safe_opt(p.uri.as_deref()),
        ..Person::default()
    })
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

    const EXPECTED: &str = r##"<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">
  <title>All &lt;news&gt;</title>
  <id>urn:feedwright:feed:all</id>
  <updated>2024-03-02T06:00:00+00:00</updated>
  <generator>feedwright</generator>
  <link href="https://example.org/" rel="alternate" type="text/html"/>
  <link href="https://feeds.example.org/all.atom" rel="self" type="application/atom+xml"/>
  <entry>
    <title>Café &lt;b&gt;&amp;amp;&lt;/b&gt; news</title>
    <id>https://example.org/posts/1</id>
    <updated>2024-03-02T08:00:00+02:00</updated>
    <author>
      <name>Ann Author</name>
      <email>ann@example.org</email>
      <uri>https://example.org/ann</uri>
    </author>
    <category term="rust"/>
    <category term="feeds"/>
    <link href="https://example.org/posts/1" rel="alternate" type="text/html"/>
    <link href="https://example.org/a.mp3" rel="enclosure" type="audio/mpeg" length="1234"/>
    <link href="https://example.org/posts/1#comments" rel="replies" type="text/html"/>
    <published>2024-03-01T10:30:00+02:00</published>
    <source>
      <title>The Blog</title>
      <id>urn:feedwright:source:blog</id>
      <updated>2024-03-02T08:00:00+02:00</updated>
      <link href="https://example.org/" rel="alternate" type="text/html"/>
      <link href="https://example.org/feed.xml" rel="self"/>
    </source>
    <summary type="html">&lt;p&gt;Short &amp;amp; sweet&lt;/p&gt;</summary>
    <content type="html">&lt;p&gt;Long &lt;em&gt;body&lt;/em&gt; ]]&gt; end&lt;/p&gt;</content>
  </entry>
  <entry>
    <title>Bare item</title>
    <id>urn:feedwright:news:abc123</id>
    <updated>2024-02-29T23:00:00+00:00</updated>
    <author>
      <name>All &lt;news&gt;</name>
    </author>
    <link href="https://news.example.com/b" rel="alternate" type="text/html"/>
    <source>
      <title>news</title>
      <id>urn:feedwright:source:news</id>
      <updated>2024-02-29T23:00:00+00:00</updated>
      <link href="https://news.example.com/" rel="alternate" type="text/html"/>
    </source>
  </entry>
</feed>
"##;

    #[test]
    fn feed_author_covers_entries_and_unmerged_feeds_have_no_source() {
        let mut feed = fixture::two_items();
        feed.merged = false;
        feed.base_url = None;
        feed.authors = vec![model::Person {
            name: Some("Desk".into()),
            ..model::Person::default()
        }];
        let doc = render(&feed);
        assert_eq!(doc.matches("<author>").count(), 2, "{doc}"); // feed + Ann
        assert!(!doc.contains("<source>"), "{doc}");
        assert!(!doc.contains(r#"rel="self""#), "{doc}");
    }

    #[test]
    fn entry_without_link_or_content_gets_empty_content_and_feed_date_fallback() {
        let mut feed = fixture::two_items();
        let bare = &mut feed.items[1];
        bare.link = None;
        bare.updated = None;
        let doc = render(&feed);
        assert!(doc.contains(r#"<content type="html"></content>"#), "{doc}");
        assert_eq!(
            doc.matches("<updated>2024-03-02T06:00:00+00:00</updated>")
                .count(),
            3,
            "feed, bare entry and its source: {doc}"
        );
    }

    #[test]
    fn websub_hub_is_a_hub_link() {
        let mut feed = fixture::two_items();
        feed.hub = Some("https://hub.example.net/".into());
        let doc = render(&feed);
        assert!(
            doc.contains(r#"<link href="https://hub.example.net/" rel="hub"/>"#),
            "{doc}"
        );
        feed.hub = None;
        assert!(!render(&feed).contains(r#"rel="hub""#));
    }
}
