//! The one item model every stage speaks: what a source yields, what the state stores and what
//! the publishers write. No IO lives here. Each field documents how RSS 2.0, Atom 1.0 and JSON
//! Feed 1.1 map onto it (reading) and back (writing).

use chrono::{DateTime, FixedOffset, Utc};
use serde::{Deserialize, Serialize};

/// How a date was known. Ordered from least to most precise, so `a > b` means "a is more
/// precise" and a stored date is only ever replaced by a strictly greater precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    /// No date in the source: the time feedwright first saw the item.
    FirstSeen,
    /// A month and year without a day ("November 2003", "2003-11"): 00:00 on the first of that
    /// month in the source's timezone.
    Month,
    /// A relative phrase ("3 hours ago", "yesterday") resolved against the fetch time.
    Relative,
    /// A day and month without a year; the year was inferred from the fetch time.
    YearInferred,
    /// A calendar day without a time of day: 00:00 in the source's timezone.
    DateOnly,
    /// A full instant given by the source.
    Exact,
}

impl DatePrecision {
    /// The contract's spelling (`exact`, `date only`, `year inferred`, `relative`, `month`,
    /// `first seen`).
    pub fn label(self) -> &'static str {
        match self {
            DatePrecision::FirstSeen => "first seen",
            DatePrecision::Relative => "relative",
            DatePrecision::Month => "month",
            DatePrecision::YearInferred => "year inferred",
            DatePrecision::DateOnly => "date only",
            DatePrecision::Exact => "exact",
        }
    }
}

/// A point in time as the source stated it: the instant in UTC, the offset the source wrote it
/// with (seconds east of UTC; 0 when unknown), and how precisely it was known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    pub utc: DateTime<Utc>,
    pub offset_secs: i32,
    pub precision: DatePrecision,
}

impl Stamp {
    /// An exact instant, keeping the offset it was written with.
    pub fn exact(t: DateTime<FixedOffset>) -> Stamp {
        Stamp {
            utc: t.with_timezone(&Utc),
            offset_secs: t.offset().local_minus_utc(),
            precision: DatePrecision::Exact,
        }
    }

    /// A stamp for an item first seen at `now`.
    pub fn first_seen(now: DateTime<Utc>) -> Stamp {
        Stamp {
            utc: now,
            offset_secs: 0,
            precision: DatePrecision::FirstSeen,
        }
    }
}

/// An author or contributor.
/// RSS `author` (an e-mail, often "mail (Name)") / `dc:creator` (a name); Atom `author`
/// (`name`, `email`, `uri`); JSON Feed `authors[]` (`name`, `url`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub uri: Option<String>,
}

/// A media attachment. RSS `enclosure` (`url`, `type`, `length`); Atom `link rel="enclosure"`
/// (`href`, `type`, `length`); JSON Feed `attachments[]` (`url`, `mime_type`, `size_in_bytes`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Enclosure {
    pub url: String,
    pub mime_type: Option<String>,
    pub length: Option<u64>,
}

/// Where an item came from, for Atom's `<source>` in merged feeds and for the JSON Feed
/// `_feedwright` extension: the source's id in feeds.toml, its title and home page, and the
/// URL the feed was read from (when it was a feed).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Origin {
    pub source_id: String,
    pub title: Option<String>,
    pub link: Option<String>,
    pub feed_url: Option<String>,
}

/// One entry, normalised.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Item {
    /// Stable identity (see the contract's identity rules, computed only in
    /// `normalise::assign_id`). Written as RSS `guid` (`isPermaLink="true"` only when it is an
    /// http(s) URL), Atom `id`, JSON Feed `id`. Empty until normalised.
    pub id: String,
    /// The raw identifier the source gave, before normalising: RSS `guid`, Atom `id`, JSON
    /// Feed `id`. Not written out; kept so ids can be recomputed identically.
    pub guid: Option<String>,
    /// The ids (feeds.toml) of the sources this item came from; the first is its origin, the
    /// others are sources whose duplicate of it was merged away.
    pub source_ids: Vec<String>,
    /// Plain text, entities decoded once, whitespace collapsed. RSS/Atom `title`, JSON `title`.
    pub title: Option<String>,
    /// Absolute, canonical URL of the item's page. RSS `link`, Atom `link rel="alternate"`,
    /// JSON `url`.
    pub link: Option<String>,
    /// When first published. RSS `pubDate` / `dc:date`, Atom `published` (else `updated`, or
    /// Atom 0.3 `issued`), JSON `date_published`.
    pub published: Option<Stamp>,
    /// When last changed, if the source says. Atom `updated`, JSON `date_modified`,
    /// `dc:modified`/`atom:updated` inside RSS. Written as Atom `updated` (else `published`).
    pub updated: Option<Stamp>,
    /// RSS `author` / `dc:creator`, Atom `author`, JSON `authors` (falls back to the feed's).
    pub authors: Vec<Person>,
    /// A short description as sanitised HTML. RSS `description` (when `content:encoded` also
    /// exists), Atom `summary`, JSON `summary` (plain text there, so it is escaped on reading).
    pub summary: Option<String>,
    /// The full body as sanitised HTML with absolute URLs. RSS `content:encoded` (else
    /// `description`), Atom `content`, JSON `content_html` (else `content_text`, escaped).
    pub content: Option<String>,
    /// Tags. RSS `category`, Atom `category@term` (or `label`), JSON `tags`.
    pub categories: Vec<String>,
    /// RSS `enclosure`, Atom `link rel="enclosure"`, JSON `attachments`.
    pub enclosures: Vec<Enclosure>,
    /// A lead image URL (absolute). `media:thumbnail`/`media:content` image, JSON `image`;
    /// written as JSON `image` and as `media:thumbnail` nowhere else.
    pub image: Option<String>,
    /// BCP 47 language tag, from the entry or its feed (`language`, `xml:lang`, JSON `language`).
    pub language: Option<String>,
    /// URL of the comments page. RSS `comments`, Atom `link rel="replies"`, JSON `external_url`
    /// is not used for this.
    pub comments: Option<String>,
    /// The source feed this item came from (title and links), for Atom `<source>`.
    pub origin: Option<Origin>,
}

impl Item {
    /// The date used for ordering and filtering: published, else updated.
    pub fn sort_date(&self) -> Option<DateTime<Utc>> {
        self.published.or(self.updated).map(|s| s.utc)
    }
}

/// What reading one source yields: feed-level metadata and its items (normalised).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct SourceFeed {
    pub title: Option<String>,
    /// The site's home page (absolute).
    pub link: Option<String>,
    pub description: Option<String>,
    pub language: Option<String>,
    /// Feed-level authors, used for entries that have none.
    pub authors: Vec<Person>,
    pub items: Vec<Item>,
    /// Problems recovered from (a repaired entity, an unreadable date …), for the log.
    pub warnings: Vec<String>,
    /// URLs the reader already parsed for its items, so normalising need not parse them again
    /// (a hint, not data: see [`UrlHints`]).
    #[serde(skip)]
    pub url_hints: UrlHints,
}

/// URLs a reader has already parsed for its items (entry `i` for `items[i]`), offered to
/// normalising so that it need not parse the same strings again. A hint, never data:
/// normalising takes a URL only where its serialisation is exactly the string the item holds
/// (and it is http or https, whose serialisations parse back to the same URL), so a missing or
/// stale hint changes nothing but speed. Not serialised, and ignored by `==` (two feeds are
/// equal when their data is).
#[derive(Clone, Default)]
pub struct UrlHints(pub Vec<ItemUrls>);

/// The parsed URLs of one item's fields (see [`UrlHints`]).
#[derive(Clone, Default)]
pub struct ItemUrls {
    /// The URL `Item::link` holds.
    pub link: Option<url::Url>,
    /// The URL `Item::image` holds.
    pub image: Option<url::Url>,
}

impl ItemUrls {
    /// `url` when it is http(s) and `text` is exactly its serialisation.
    pub fn matching<'u>(url: Option<&'u url::Url>, text: &str) -> Option<&'u url::Url> {
        url.filter(|u| matches!(u.scheme(), "http" | "https") && u.as_str() == text)
    }
}

impl PartialEq for UrlHints {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for UrlHints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UrlHints({} items)", self.0.len())
    }
}
