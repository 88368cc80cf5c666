//! Source readers: each turns fetched bytes into a [`crate::model::SourceFeed`].
//! `feed` reads existing feeds (after `repair` fixes their bytes and markup); html (selectors)
//! and auto (zero-config) come in later issues.

pub mod auto;
pub mod feed;
pub mod repair;
