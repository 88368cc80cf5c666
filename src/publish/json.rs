//! Rendering an [`super::OutFeed`] as json.

use super::OutFeed;

/// Render the feed as a complete document.
pub fn render(feed: &OutFeed) -> String {
    let _ = feed;
    unimplemented!("being written")
}
