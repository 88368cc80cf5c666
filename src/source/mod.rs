//! Source readers: each turns fetched bytes into a [`crate::model::SourceFeed`].
//! `feed` reads existing feeds (after `repair` fixes their bytes and markup); `html` reads list
//! pages with CSS selectors; auto (zero-config) comes in a later issue.
//! `feed` reads existing feeds (after `repair` fixes their bytes and markup); `auto` finds the
//! feed a page advertises or the posts it lists, with no configuration; html (selectors) comes
//! in a later issue.

pub mod auto;
pub mod fast;
pub mod feed;
pub mod html;
pub mod repair;
