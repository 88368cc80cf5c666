//! Rendering an [`super::OutFeed`] as RSS 2.0 with the rss crate: channel metadata, a
//! `lastBuildDate` taken from the newest item (never the run time), an `atom:link rel="self"`
//! when `base_url` is set, and per item `guid`, RFC 822 `pubDate` in the source's offset,
//! `dc:creator`, `description` and `content:encoded`. Every string passes through
//! [`super::xml_safe`] before it reaches the writer.

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
    if let Some(self_url) = feed.self_url("xml") {
        let attrs = BTreeMap::from([
            ("href".to_owned(), safe(&self_url)),
            ("rel".to_owned(), "self".to_owned()),
            ("type".to_owned(), "application/rss+xml".to_owned()),
        ]);
        let link = Extension {
            name: "atom:link".to_owned(),
            attrs,
            ..Extension::default()
        };
        let mut ext = ExtensionMap::new();
        ext.entry("atom".to_owned())
            .or_default()
            .insert("link".to_owned(), vec![link]);
        channel.extensions = ext;
    }
    channel.items = feed
        .items
        .iter()
        .map(|item| build_item(feed, item))
        .collect();
    channel
}

fn build_item(feed: &OutFeed, item: &model::Item) -> Item {
    let content = safe_opt(item.content.as_deref());
    let summary = safe_opt(item.summary.as_deref());
    let description = summary.or_else(|| content.clone());
    let mut title = safe_opt(item.title.as_deref());
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
