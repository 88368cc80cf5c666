//! The shape of feeds.toml as serde sees it: every key optional and spanned, unknown keys
//! refused. Defaults, cross-references and value checks happen in `validate`.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

pub type S<T> = Option<Spanned<T>>;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    pub settings: S<RawSettings>,
    #[serde(default)]
    pub source: Vec<Spanned<RawSource>>,
    #[serde(default)]
    pub feed: Vec<Spanned<RawFeed>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettings {
    pub out_dir: S<String>,
    pub state: S<String>,
    pub base_url: S<String>,
    pub user_agent: S<String>,
    pub timeout: S<String>,
    pub connect_timeout: S<String>,
    pub concurrency: S<i64>,
    pub host_delay: S<String>,
    /// A size string or an integer number of bytes.
    pub max_body_size: S<toml::Value>,
    pub retries: S<i64>,
    pub respect_robots: S<bool>,
    pub per_source_feeds: S<bool>,
    pub websub_hub: S<String>,
    pub status_file: S<String>,
    pub shutdown_grace: S<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSource {
    pub id: S<String>,
    pub url: S<String>,
    pub path: S<String>,
    pub kind: S<String>,
    pub title: S<String>,
    pub tags: Option<Vec<Spanned<String>>>,
    pub enabled: S<bool>,
    pub interval: S<String>,
    pub schedule: S<String>,
    pub user_agent: S<String>,
    pub timeout: S<String>,
    pub connect_timeout: S<String>,
    pub host_delay: S<String>,
    pub max_body_size: S<toml::Value>,
    pub retries: S<i64>,
    pub respect_robots: S<bool>,
    pub headers: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    pub fulltext: S<bool>,
    pub prefer_feed: S<bool>,
    pub timezone: S<String>,
    pub language: S<String>,
    pub day_first: S<bool>,
    pub date_format: S<String>,
    pub max_pages: S<i64>,
    pub max_items: S<i64>,
    pub max_age: S<String>,
    /// Filter patterns applied to this source's items before they reach any output.
    pub include: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub selectors: S<toml::Table>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFeed {
    pub id: S<String>,
    pub title: S<String>,
    pub description: S<String>,
    pub link: S<String>,
    pub sources: Option<Vec<Spanned<String>>>,
    pub tags: Option<Vec<Spanned<String>>>,
    pub max_items: S<i64>,
    pub formats: Option<Vec<Spanned<String>>>,
    pub include: Option<Vec<Spanned<String>>>,
    pub exclude: Option<Vec<Spanned<String>>>,
    pub max_age: S<String>,
    /// RFC 3339 or `YYYY-MM-DD`, as a string or a TOML date/datetime.
    pub min_date: S<toml::Value>,
}
