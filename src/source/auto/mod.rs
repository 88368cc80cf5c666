//! Zero-config (`kind = "auto"`) reading of pages that publish no feed: [`article`] reads one
//! post page into an [`article::Article`].

pub mod article;
