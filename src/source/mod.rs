//! Source readers: each turns fetched bytes into a [`crate::model::SourceFeed`].
//! `feed` reads existing feeds: well-formed RSS 2.0 in the common shape through `fast` (one
//! quick-xml pass), everything else after `repair` fixes its bytes and markup, through feed-rs;
//! `html` reads list pages with CSS selectors; `auto` finds the feed a page advertises or the
//! posts it lists and reads post pages, with no configuration.

pub mod auto;
pub mod fast;
pub mod feed;
pub mod html;
pub mod repair;
