//! OPML 2.0 subscription lists: `out/<feed>.opml` (the sources of one output),
//! `out/sources.opml` and `feedwright export-opml` (every enabled source). Pure rendering with
//! quick-xml; which URL goes where is decided by [`outline_for`]:
//!
//! - `text`/`title`: the source's `title` in feeds.toml, else the title its feed gave, else its id;
//! - `xmlUrl`: the source URL for a feed source (`kind = "feed"`, or `auto` with a URL); for other
//!   sources (html pages, local files) our per-source feed `<base_url>sources/<id>.xml` when
//!   `per_source_feeds` and `base_url` are set; else the outline has no `xmlUrl` (and no
//!   `type="rss"`), since there is nothing a reader could subscribe to;
//! - `htmlUrl`: the site's home page as the source's feed gave it, else an html source's URL.
//!
//! No creation date is written, so an unchanged config gives unchanged bytes.

use super::xml_safe;
use crate::config::{Location, Settings, SourceConfig, SourceKind};
use quick_xml::Writer;
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};

/// One `<outline>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outline {
    pub text: String,
    pub xml_url: Option<String>,
    pub html_url: Option<String>,
}

/// What the stored items tell about a source's site (from any item's origin).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SiteInfo {
    pub title: Option<String>,
    pub link: Option<String>,
}

/// The URL of a source's own output in one format, when it is published and has a public URL.
pub fn per_source_url(settings: &Settings, source_id: &str, extension: &str) -> Option<String> {
    if !settings.per_source_feeds {
        return None;
    }
    settings
        .base_url
        .as_ref()
        .map(|b| format!("{b}sources/{source_id}.{extension}"))
}

/// The outline of one source (see the module notes for the rules).
pub fn outline_for(settings: &Settings, source: &SourceConfig, site: &SiteInfo) -> Outline {
    let text = source
        .title
        .clone()
        .or_else(|| site.title.clone())
        .unwrap_or_else(|| source.id.clone());
    let source_url = match &source.location {
        Location::Url(u) => Some(u.to_string()),
        Location::Path(_) => None,
    };
    let is_feed = matches!(source.kind, SourceKind::Feed | SourceKind::Auto);
    let xml_url = match (&source_url, is_feed) {
        (Some(u), true) => Some(u.clone()),
        _ => per_source_url(settings, &source.id, "xml"),
    };
    let html_url = site.link.clone().or_else(|| {
        if source.kind == SourceKind::Html {
            source_url.clone()
        } else {
            None
        }
    });
    Outline {
        text,
        xml_url,
        html_url,
    }
}

/// Render an OPML 2.0 document titled `title` with one flat outline per entry.
pub fn render(title: &str, outlines: &[Outline]) -> String {
    let mut writer = Writer::new_with_indent(Vec::new(), b' ', 2);
    // Writing into a Vec cannot fail; errors are ignored rather than unwrapped.
    let _ = write_document(&mut writer, title, outlines);
    super::finish_document(writer.into_inner())
}

fn write_document(
    w: &mut Writer<Vec<u8>>,
    title: &str,
    outlines: &[Outline],
) -> std::io::Result<()> {
    w.write_event(Event::Decl(BytesDecl::new("1.0", Some("UTF-8"), None)))?;
    w.write_event(Event::Start(
        BytesStart::new("opml").with_attributes([("version", "2.0")]),
    ))?;
    w.write_event(Event::Start(BytesStart::new("head")))?;
    w.write_event(Event::Start(BytesStart::new("title")))?;
    w.write_event(Event::Text(BytesText::new(&xml_safe(title))))?;
    w.write_event(Event::End(BytesEnd::new("title")))?;
    w.write_event(Event::Start(BytesStart::new("docs")))?;
    w.write_event(Event::Text(BytesText::new("https://opml.org/spec2.opml")))?;
    w.write_event(Event::End(BytesEnd::new("docs")))?;
    w.write_event(Event::End(BytesEnd::new("head")))?;
    w.write_event(Event::Start(BytesStart::new("body")))?;
    for o in outlines {
        let text = xml_safe(&o.text);
        let mut el = BytesStart::new("outline");
        el.push_attribute(("text", text.as_ref()));
        el.push_attribute(("title", text.as_ref()));
        if let Some(xml) = &o.xml_url {
            el.push_attribute(("type", "rss"));
            el.push_attribute(("xmlUrl", xml_safe(xml).as_ref()));
        }
        if let Some(html) = &o.html_url {
            el.push_attribute(("htmlUrl", xml_safe(html).as_ref()));
        }
        w.write_event(Event::Empty(el))?;
    }
    w.write_event(Event::End(BytesEnd::new("body")))?;
    w.write_event(Event::End(BytesEnd::new("opml")))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_escaped_flat_outlines() {
        let doc = render(
            "Planet <&>",
            &[
                Outline {
                    text: "Tom & \"Jerry\"\u{1}".into(),
                    xml_url: Some("https://a.test/feed?x=1&y=2".into()),
                    html_url: Some("https://a.test/".into()),
                },
                Outline {
                    text: "Local".into(),
                    xml_url: None,
                    html_url: None,
                },
            ],
        );
        assert_eq!(
            doc,
            r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head>
    <title>Planet &lt;&amp;&gt;</title>
    <docs>https://opml.org/spec2.opml</docs>
  </head>
  <body>
    <outline text="Tom &amp; &quot;Jerry&quot;" title="Tom &amp; &quot;Jerry&quot;" type="rss" xmlUrl="https://a.test/feed?x=1&amp;y=2" htmlUrl="https://a.test/"/>
    <outline text="Local" title="Local"/>
  </body>
</opml>
"#
        );
    }
}
