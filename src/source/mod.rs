//! Source readers: each turns fetched bytes into a [`crate::model::SourceFeed`].
//! `feed` reads existing feeds (after `repair` fixes their bytes and markup); `html` reads list
//! pages with CSS selectors; auto (zero-config) comes in a later issue.

pub mod auto;
pub mod feed;
pub mod html;
pub mod repair;
