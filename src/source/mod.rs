//! Source readers: each turns fetched bytes into a [`crate::model::SourceFeed`].
//! `feed` reads existing feeds; html (selectors) and auto (zero-config) come in later issues.

pub mod feed;
