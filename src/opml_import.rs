//! `feedwright import-opml FILE`: read the feed outlines of an OPML file (any outline with an
//! `xmlUrl`, at any depth) and append one `[[source]]` per new feed to feeds.toml with
//! toml_edit, so the existing text — comments, spacing, key order — stays byte for byte; the
//! new tables go at the end of the file. A URL already in feeds.toml (or twice in the OPML) is
//! skipped. Ids come from the titles: lower-case ASCII letters and digits joined by `-`, made
//! unique with `-2`, `-3` …; the outline's enclosing folders become `tags`. The result is
//! validated as a whole before it replaces the file (atomically).

use crate::config::Config;
use quick_xml::Reader;
use quick_xml::events::Event;
use std::collections::HashSet;
use std::path::Path;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, value};

/// One feed found in an OPML file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpmlFeed {
    pub title: Option<String>,
    pub xml_url: String,
    pub html_url: Option<String>,
    /// Texts of the enclosing outlines (folders), outermost first.
    pub folders: Vec<String>,
}

/// What importing did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// (id, url) of every source added, in OPML order.
    pub added: Vec<(String, String)>,
    /// (url, why) of every feed skipped.
    pub skipped: Vec<(String, String)>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{path}: not a readable OPML file: {message}")]
    Opml { path: String, message: String },
    #[error("{path}: cannot edit as TOML: {message}")]
    Toml { path: String, message: String },
}

/// The feed outlines of an OPML document, in document order.
pub fn parse_opml(bytes: &[u8]) -> Result<Vec<OpmlFeed>, String> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("at byte {}: {e}", reader.buffer_position()))?;
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "opml" => {
                saw_opml = true;
            }
            Event::Start(ref e) | Event::Empty(ref e) if e.local_name().as_ref() == "outline" => {
                let is_start = matches!(event, Event::Start(_));
                let mut text = None;
                let mut title = None;
                let mut xml_url = None;
                let mut html_url = None;
                for a in e.attributes().flatten() {
                    let v = a
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map_err(|e| format!("bad attribute value: {e}"))?
                        .trim()
                        .to_owned();
                    if v.is_empty() {
                        continue;
                    }
                    match a.key.local_name().as_ref() {
                        "text" => text = Some(v),
                        "title" => title = Some(v),
                        "xmlUrl" | "xmlurl" => xml_url = Some(v),
                        "htmlUrl" | "htmlurl" => html_url = Some(v),
                        _ => {}
                    }
                }
                let name = title.or(text);
                if let Some(xml_url) = xml_url {
                    feeds.push(OpmlFeed {
                        title: name.clone(),
                        xml_url,
                        html_url,
                        folders: folders.iter().flatten().cloned().collect(),
                    });
                    if is_start {
                        folders.push(None);
                    }
                } else if is_start {
                    folders.push(name);
                }
            }
            Event::End(e) if e.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            _ => {}
        }
    }
    if !saw_opml {
        return Err("no <opml> element".to_owned());
    }
    Ok(feeds)
}

/// A source id made from a title: `[a-z0-9]` runs joined by `-`, at most 40 characters.
pub fn slug(title: &str) -> String {
    let mut out = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if let Some(plain) = fold_latin(c) {
            out.push_str(plain);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let mut out: String = out.chars().take(40).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The unaccented spelling of common Latin letters, so `Café` gives `cafe`.
fn fold_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => "a",
        'ç' | 'č' | 'ć' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' => "i",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'š' | 'ś' => "s",
        'ž' | 'ź' | 'ż' => "z",
        'ř' => "r",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'þ' => "th",
        _ => return None,
    })
}

/// A URL in the form used to compare subscriptions (parsed, so `HTTP://Host` equals
/// `http://host/`).
fn url_key(url: &str) -> String {
    url::Url::parse(url.trim()).map_or_else(|_| url.trim().to_owned(), |u| u.to_string())
}

/// Append `feeds` to the config text `original` (see the module notes). Returns the new text
/// and what was done. Pure.
pub fn append_sources(
    original: &str,
    feeds: &[OpmlFeed],
) -> Result<(String, ImportReport), String> {
    let doc: DocumentMut = original.parse().map_err(|e| format!("{e}"))?;
    let mut known_urls: HashSet<String> = HashSet::new();
    let mut known_ids: HashSet<String> = HashSet::new();
    if let Some(existing) = doc.get("source") {
        let tables = existing
            .as_array_of_tables()
            .ok_or("`source` is not written as [[source]] tables")?;
        for t in tables.iter() {
            if let Some(u) = t.get("url").and_then(Item::as_str) {
                known_urls.insert(url_key(u));
            }
            if let Some(id) = t.get("id").and_then(Item::as_str) {
                known_ids.insert(id.to_owned());
            }
        }
    }
    let mut report = ImportReport::default();
    let mut new_tables = Vec::new();
    for feed in feeds {
        let parsed = match url::Url::parse(&feed.xml_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") => u,
            _ => {
                report
                    .skipped
                    .push((feed.xml_url.clone(), "not an http(s) URL".to_owned()));
                continue;
            }
        };
        if !known_urls.insert(url_key(parsed.as_str())) {
            report
                .skipped
                .push((feed.xml_url.clone(), "already in feeds.toml".to_owned()));
            continue;
        }
        let mut base = feed.title.as_deref().map(slug).unwrap_or_default();
        if base.is_empty() {
            base = parsed
                .host_str()
                .map(|h| slug(h.trim_start_matches("www.")))
                .unwrap_or_default();
        }
        if base.is_empty() {
            base = "source".to_owned();
        }
        let mut id = base.clone();
        let mut n = 2;
        while known_ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        known_ids.insert(id.clone());

        let mut table = Table::new();
        table.insert("id", value(id.as_str()));
        table.insert("url", value(feed.xml_url.trim()));
        table.insert("kind", value("feed"));
        if let Some(title) = &feed.title {
            table.insert("title", value(title.as_str()));
        }
        let tags: Vec<String> = feed
            .folders
            .iter()
            .map(|f| slug(f))
            .filter(|t| !t.is_empty())
            .collect();
        if !tags.is_empty() {
            let mut arr = Array::new();
            for t in tags {
                arr.push(t);
            }
            table.insert("tags", value(arr));
        }
        table.decor_mut().set_prefix("\n");
        report.added.push((id, feed.xml_url.trim().to_owned()));
        new_tables.push(table);
    }
    if new_tables.is_empty() {
        return Ok((original.to_owned(), report));
    }
    // The new tables are rendered on their own and appended, so the existing text (a trailing
    // comment included) stays exactly as it was; `[[source]]` may follow any table in TOML.
    let mut array = ArrayOfTables::new();
    for table in new_tables {
        array.push(table);
    }
    let mut appended = DocumentMut::new();
    appended.insert("source", Item::ArrayOfTables(array));
    let mut text = original.to_owned();
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    if text.is_empty() {
        text.push_str(appended.to_string().trim_start_matches('\n'));
    } else {
        text.push_str(&appended.to_string());
    }
    Ok((text, report))
}

/// The command: read `opml_path`, append to the config at `config_path` (created when missing),
/// validate, write atomically, and print what was added. Returns the exit status.
pub fn run_import(config_path: &Path, opml_path: &Path, quiet: u8) -> anyhow::Result<u8> {
    let bytes = match std::fs::read(opml_path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("feedwright: cannot read {}: {e}", opml_path.display());
            return Ok(2);
        }
    };
    let feeds = match parse_opml(&bytes) {
        Ok(f) => f,
        Err(message) => {
            eprintln!(
                "feedwright: {}",
                ImportError::Opml {
                    path: opml_path.display().to_string(),
                    message
                }
            );
            return Ok(2);
        }
    };
    let original = match std::fs::read_to_string(config_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => {
            eprintln!("feedwright: cannot read {}: {e}", config_path.display());
            return Ok(2);
        }
    };
    let (text, report) = match append_sources(&original, &feeds) {
        Ok(r) => r,
        Err(message) => {
            eprintln!(
                "feedwright: {}",
                ImportError::Toml {
                    path: config_path.display().to_string(),
                    message
                }
            );
            return Ok(2);
        }
    };
    let checked: Result<Config, _> = crate::config::parse(&text, config_path);
    if let Err(e) = checked {
        eprintln!("feedwright: config error after import (feeds.toml left unchanged): {e}");
        return Ok(2);
    }
    if text != original {
        let dir = config_path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = config_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "feeds.toml".to_owned());
        crate::publish::write::write_if_changed(dir, &name, text.as_bytes())?;
    }
    if quiet == 0 {
        for (id, url) in &report.added {
            println!("added source `{id}`: {url}");
        }
        for (url, why) in &report.skipped {
            println!("skipped {url}: {why}");
        }
        println!(
            "{} source(s) added to {}, {} skipped",
            report.added.len(),
            config_path.display(),
            report.skipped.len()
        );
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPML: &str = r#"<?xml version="1.0"?>
<opml version="1.0"><head><title>subs</title></head><body>
  <outline text="Tech">
    <outline text="Rust Blog" title="The Rust Blog" type="rss" xmlUrl="https://blog.rust-lang.org/feed.xml" htmlUrl="https://blog.rust-lang.org/"/>
    <outline text="Dup" xmlUrl="https://blog.rust-lang.org/feed.xml"/>
  </outline>
  <outline text="Café &amp; Crème" type="rss" xmlUrl="https://cafe.test/rss"/>
  <outline text="!!!" type="rss" xmlUrl="https://www.example.org/atom"/>
  <outline text="local" type="rss" xmlUrl="file:///tmp/x.xml"/>
  <outline text="no feed here" htmlUrl="https://nofeed.test/"/>
</body></opml>"#;

    #[test]
    fn parses_feed_outlines_with_folders() {
        let feeds = parse_opml(OPML.as_bytes()).unwrap();
        assert_eq!(feeds.len(), 5);
        assert_eq!(feeds[0].title.as_deref(), Some("The Rust Blog"));
        assert_eq!(feeds[0].folders, ["Tech"]);
        assert_eq!(feeds[2].title.as_deref(), Some("Café & Crème"));
        assert!(feeds[2].folders.is_empty());
        assert!(parse_opml(b"<html></html>").is_err());
        assert!(parse_opml(b"<opml><body><outline></body></opml>").is_err());
    }

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(slug("The Rust Blog"), "the-rust-blog");
        assert_eq!(slug("Café & Crème!"), "cafe-creme");
        assert_eq!(slug("!!!"), "");
        assert_eq!(slug(&"long ".repeat(20)).len(), 39);
    }

    #[test]
    fn appends_after_the_untouched_text() {
        let original = "# my feeds\n[settings]\nout_dir = \"public\"   # where\n\n[[source]]\nid = \"the-rust-blog\"  # kept\nurl = \"https://example.net/other\"\n\n[[feed]]\nid = \"all\"\ntitle = \"All\"\nlink = \"https://x.test/\"\n# trailing comment";
        let feeds = parse_opml(OPML.as_bytes()).unwrap();
        let (text, report) = append_sources(original, &feeds).unwrap();
        assert!(text.starts_with(original), "{text}");
        assert_eq!(
            &text[original.len()..],
            "\n\n[[source]]\nid = \"the-rust-blog-2\"\nurl = \"https://blog.rust-lang.org/feed.xml\"\nkind = \"feed\"\ntitle = \"The Rust Blog\"\ntags = [\"tech\"]\n\n[[source]]\nid = \"cafe-creme\"\nurl = \"https://cafe.test/rss\"\nkind = \"feed\"\ntitle = \"Café & Crème\"\n\n[[source]]\nid = \"example-org\"\nurl = \"https://www.example.org/atom\"\nkind = \"feed\"\ntitle = \"!!!\"\n"
        );
        assert_eq!(report.added.len(), 3);
        assert_eq!(report.skipped.len(), 2);
        crate::config::parse(&text, Path::new("/x/feeds.toml")).unwrap();

        // A second import adds nothing.
        let (again, report) = append_sources(&text, &feeds).unwrap();
        assert_eq!(again, text);
        assert!(report.added.is_empty());
        assert_eq!(report.skipped.len(), 5);
    }

    #[test]
    fn imports_into_an_empty_config() {
        let feeds = parse_opml(OPML.as_bytes()).unwrap();
        let (text, _) = append_sources("", &feeds).unwrap();
        let config = crate::config::parse(&text, Path::new("/x/feeds.toml")).unwrap();
        let ids: Vec<_> = config.sources.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids, ["the-rust-blog", "cafe-creme", "example-org"]);
    }
}
