//! Rendering an [`super::OutFeed`] as JSON Feed 1.1 with our own serde structs (no crate
//! writes `version` correctly). Null and empty fields are skipped; every item carries
//! `content_html` or, when it has no body at all, an empty `content_text`, as the spec
//! requires. `summary` is plain text. Strings go through [`super::xml_safe`] as well, so the
//! JSON and XML outputs say the same thing.

use serde::Serialize;

use super::{OutFeed, categories, plain_text, safe, safe_opt, stamp_time};
use crate::model;

const VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed {
    version: &'static str,
    title: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    feed_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    items: Vec<JsonItem>,
}

#[derive(Serialize)]
struct Author {
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
}

#[derive(Serialize)]
struct JsonItem {
    id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    attachments: Vec<Attachment>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    /// Our extension: every source that carried this story (its origin first), written only
    /// when same-story dedup folded copies from other sources into it.
    #[serde(rename = "_feedwright", skip_serializing_if = "Option::is_none")]
    feedwright: Option<Extension>,
}

#[derive(Serialize)]
struct Extension {
    sources: Vec<String>,
}

#[derive(Serialize)]
struct Attachment {
    url: String,
    mime_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    size_in_bytes: Option<u64>,
}

/// Render the feed as a complete JSON Feed 1.1 document (pretty-printed, ending in a newline).
pub fn render(feed: &OutFeed) -> String {
    let doc = JsonFeed {
        version: VERSION,
        title: safe(&feed.title),
        home_page_url: safe_opt(Some(&feed.link)),
        feed_url: feed.self_url("json").map(|u| safe(&u)),
        description: safe_opt(feed.description.as_deref()),
        language: safe_opt(feed.language.as_deref()),
        authors: feed.authors.iter().filter_map(author).collect(),
        items: feed.items.iter().map(item).collect(),
    };
    match serde_json::to_string_pretty(&doc) {
        Ok(mut out) => {
            out.push('\n');
            out
        }
        // Only plain structs with string keys: serialising cannot fail.
        Err(e) => {
            tracing::error!(feed = %feed.id, error = %e, "rendering JSON Feed failed");
            String::new()
        }
    }
}

fn item(item: &model::Item) -> JsonItem {
    let content = safe_opt(item.content.as_deref());
    let summary = safe_opt(item.summary.as_deref());
    let content_html = content.or_else(|| summary.clone());
    let content_text = content_html.is_none().then(String::new);
    JsonItem {
        id: safe(&item.id),
        url: safe_opt(item.link.as_deref()),
        title: safe_opt(item.title.as_deref()),
        content_html,
        content_text,
        summary: summary.map(|s| plain_text(&s)).filter(|s| !s.is_empty()),
        image: safe_opt(item.image.as_deref()),
        date_published: item.published.map(|s| stamp_time(&s).to_rfc3339()),
        date_modified: item.updated.map(|s| stamp_time(&s).to_rfc3339()),
        authors: item.authors.iter().filter_map(author).collect(),
        tags: categories(item),
        attachments: item
            .enclosures
            .iter()
            .filter_map(|e| {
                Some(Attachment {
                    url: safe_opt(Some(&e.url))?,
                    mime_type: safe_opt(e.mime_type.as_deref())
                        .unwrap_or_else(|| "application/octet-stream".to_owned()),
                    size_in_bytes: e.length,
                })
            })
            .collect(),
        language: safe_opt(item.language.as_deref()),
        feedwright: (item.source_ids.len() > 1).then(|| Extension {
            sources: item.source_ids.iter().map(|s| safe(s)).collect(),
        }),
    }
}

/// A JSON Feed author: a name (else the e-mail, as in Atom, so readers show someone) and a
/// URL (the person's URI, else `mailto:` their e-mail). A person with neither is dropped (the
/// spec wants at least one field).
fn author(p: &model::Person) -> Option<Author> {
    let name = safe_opt(p.name.as_deref()).or_else(|| safe_opt(p.email.as_deref()));
    let url = safe_opt(p.uri.as_deref())
        .or_else(|| safe_opt(p.email.as_deref()).map(|e| format!("mailto:{e}")));
    (name.is_some() || url.is_some()).then_some(Author { name, url })
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

    const EXPECTED: &str = r##"{
  "version": "https://jsonfeed.org/version/1.1",
  "title": "All <news>",
  "home_page_url": "https://example.org/",
  "feed_url": "https://feeds.example.org/all.json",
  "language": "en",
  "items": [
    {
      "id": "https://example.org/posts/1",
      "url": "https://example.org/posts/1",
      "title": "Café <b>&amp;</b> news",
      "content_html": "<p>Long <em>body</em> ]]> end</p>",
      "summary": "Short & sweet",
      "image": "https://example.org/a.png",
      "date_published": "2024-03-01T10:30:00+02:00",
      "date_modified": "2024-03-02T08:00:00+02:00",
      "authors": [
        {
          "name": "Ann Author",
          "url": "https://example.org/ann"
        }
      ],
      "tags": [
        "rust",
        "feeds"
      ],
      "attachments": [
        {
          "url": "https://example.org/a.mp3",
          "mime_type": "audio/mpeg",
          "size_in_bytes": 1234
        }
      ],
      "language": "fr"
    },
    {
      "id": "urn:feedwright:news:abc123",
      "url": "https://news.example.com/b",
      "title": "Bare item",
      "content_text": "",
      "date_modified": "2024-02-29T23:00:00+00:00"
    }
  ]
}
"##;

    #[test]
    fn summary_only_items_and_email_only_authors() {
        let mut feed = fixture::two_items();
        feed.base_url = None;
        let item = &mut feed.items[0];
        item.content = None;
        item.authors = vec![model::Person {
            email: Some("ann@example.org".into()),
            ..model::Person::default()
        }];
        item.enclosures[0].mime_type = None;
        let doc: serde_json::Value = serde_json::from_str(&render(&feed)).unwrap();
        assert!(doc.get("feed_url").is_none());
        let item = &doc["items"][0];
        assert_eq!(item["content_html"], "<p>Short &amp; sweet</p>");
        assert_eq!(item["summary"], "Short & sweet");
        assert_eq!(
            item["authors"],
            serde_json::json!([{"name": "ann@example.org", "url": "mailto:ann@example.org"}])
        );
        assert_eq!(
            item["attachments"][0]["mime_type"],
            "application/octet-stream"
        );
    }
}
