//! Normalising raw items into the model's guarantees: plain-text titles, absolute canonical
//! links, sanitised HTML, XML-safe strings, dates with precision and stable ids.

pub mod date;

use crate::model::SourceFeed;
use chrono::{DateTime, Utc};

/// What normalising one source's items needs to know.
#[derive(Debug, Clone, Copy)]
pub struct NormaliseContext<'a> {
    /// The source id from feeds.toml.
    pub source_id: &'a str,
    /// `title` from feeds.toml, which replaces the feed's own title.
    pub title_override: Option<&'a str>,
    /// The URL the source was read from (base for relative URLs; `file://` for local paths).
    pub feed_url: Option<&'a url::Url>,
    /// The run's clock (`--now`), used to date undated items.
    pub now: DateTime<Utc>,
}

/// Normalise a raw feed as read by a source reader. (Being written: passes through for now.)
pub fn normalise_feed(feed: SourceFeed, ctx: &NormaliseContext<'_>) -> SourceFeed {
    let _ = ctx;
    feed
}

/// The canonical form of a link: absolute (against `base`), scheme and host lower-cased,
/// `utm_*`/`fbclid`/`gclid` and the fragment dropped. `None` when it is not a usable URL.
/// (Being written: resolves only, for now.)
pub fn canonical_link(link: &str, base: Option<&url::Url>) -> Option<String> {
    let parsed = match base {
        Some(b) => b.join(link.trim()).ok()?,
        None => url::Url::parse(link.trim()).ok()?,
    };
    Some(parsed.to_string())
}

/// Plain text from a title-like field: tags stripped, entities decoded once, whitespace
/// collapsed. (Being written: whitespace only, for now.)
pub fn clean_text(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
