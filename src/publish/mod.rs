//! Rendering output feeds (RSS 2.0, Atom 1.0, JSON Feed 1.1) from normalised items, and writing
//! them atomically into out/ only when their bytes change. Rendering is pure; `write` is the
//! only part that touches the disk.

pub mod atom;
pub mod json;
pub mod rss;
pub mod write;

use crate::model::{Item, Person};
use chrono::{DateTime, Utc};

/// One output feed, ready to render. Items are already merged, sorted (newest first) and cut
/// to `max_items`.
#[derive(Debug, Clone)]
pub struct OutFeed {
    /// The `[[feed]]` id: file stem and part of the Atom id `urn:feedwright:feed:<id>`.
    pub id: String,
    pub title: String,
    pub description: Option<String>,
    /// The home page (`link`, else `base_url`).
    pub link: String,
    /// `settings.base_url` (ends with `/`): self links are `<base_url><id>.<ext>`, only when set.
    pub base_url: Option<String>,
    pub language: Option<String>,
    /// Feed-level authors (Atom requires an author per entry or on the feed).
    pub authors: Vec<Person>,
    /// The newest item's date, never the run time; `None` when there are no dated items.
    pub updated: Option<DateTime<Utc>>,
    /// True when items come from more than one source (Atom writes `<source>` per entry).
    pub merged: bool,
    pub items: Vec<Item>,
}

impl OutFeed {
    /// The public URL of this feed in one format, when `base_url` is set.
    pub fn self_url(&self, extension: &str) -> Option<String> {
        self.base_url
            .as_ref()
            .map(|b| format!("{b}{}.{extension}", self.id))
    }
}
