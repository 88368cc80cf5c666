//! feedwright: turns existing feeds and feedless news/blog pages into merged, valid RSS 2.0,
//! Atom 1.0 and JSON Feed 1.1 files. The binary is a thin shell over [`app`]; every stage is a
//! module here: config → fetch → source → normalise → merge → publish.

pub mod app;
pub mod cli;
pub mod config;
pub mod daemon;
pub mod fetch;
pub mod merge;
pub mod model;
pub mod normalise;
pub mod opml_import;
pub mod progress;
pub mod publish;
pub mod schedule;
pub mod serve;
pub mod source;
pub mod state;
pub mod status;
