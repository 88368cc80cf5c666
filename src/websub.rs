//! WebSub (W3C Recommendation, formerly PubSubHubbub) for the feeds we publish. With
//! `settings.websub_hub` set, every RSS, Atom and JSON output names the hub next to its self
//! link (the renderers in [`crate::publish`] do that), and after a run that rewrote some of
//! those files, this module tells the hub which ones changed.
//!
//! The Recommendation leaves the publish request to the hub and publisher (§6); the public hubs
//! take a form-encoded `POST` of `hub.mode=publish&hub.url=<topic>`, with the topic being the
//! feed's self URL, so that is what is sent: one request per changed file, one topic each —
//! some hubs read only the first `hub.url` of a request, so several in one would be lost.
//! Requests go one after another over one connection with the settings' User-Agent and
//! timeouts. Any 2xx is success. A failure is a warning: logged, never an error of the run;
//! after a transport failure (hub down, timeout) the remaining topics are not tried, so a dead
//! hub costs one timeout per run, not one per file. Nothing changed, nothing is sent.

use crate::config::Settings;
use reqwest::header::{CONTENT_TYPE, HeaderValue, USER_AGENT};
use std::fmt::Write as _;

/// The file extensions of the formats that carry a hub link (RSS, Atom, JSON Feed).
const FEED_EXTENSIONS: [&str; 3] = ["xml", "atom", "json"];

/// The public URLs (topics) of the feed files among `written` (names relative to out/, such as
/// `community.xml` or `sources/blog.atom`), in order, without duplicates. Pages and OPML are
/// not topics.
pub fn topics(base_url: &url::Url, written: &[String]) -> Vec<String> {
    let base = base_url.as_str();
    let mut out: Vec<String> = Vec::new();
    for name in written {
        let is_feed = name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| FEED_EXTENSIONS.contains(&ext));
        let topic = format!("{base}{name}");
        if is_feed && !out.contains(&topic) {
            out.push(topic);
        }
    }
    out
}

/// The form body of one publish ping.
pub fn publish_body(topic: &str) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .append_pair("hub.mode", "publish")
        .append_pair("hub.url", topic)
        .finish()
}

/// What pinging the hub came to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct PingReport {
    /// Topics the hub accepted (2xx).
    pub accepted: usize,
    /// One line per problem, ready for the log.
    pub warnings: Vec<String>,
}

/// Tell `hub` that each of `topics` changed (see the module notes). Never fails: problems are
/// in the report's warnings.
pub async fn ping(settings: &Settings, hub: &url::Url, topics: &[String]) -> PingReport {
    let mut report = PingReport::default();
    if topics.is_empty() {
        return report;
    }
    let client = match crate::fetch::client::build(settings.connect_timeout) {
        Ok(c) => c,
        Err(e) => {
            report.warnings.push(format!("WebSub hub {hub}: {e}"));
            return report;
        }
    };
    let agent = HeaderValue::from_str(&settings.user_agent)
        .unwrap_or_else(|_| HeaderValue::from_static("feedwright"));
    for (n, topic) in topics.iter().enumerate() {
        let sent = client
            .post(hub.clone())
            .header(USER_AGENT, agent.clone())
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            )
            .timeout(settings.timeout)
            .body(publish_body(topic))
            .send()
            .await;
        match sent {
            Ok(response) if response.status().is_success() => report.accepted += 1,
            Ok(response) => report.warnings.push(format!(
                "WebSub hub {hub} refused the ping for {topic}: HTTP {}",
                response.status().as_u16()
            )),
            Err(e) => {
                let left = topics.len() - n - 1;
                let mut line = format!(
                    "WebSub hub {hub} could not be reached to ping {topic}: {}",
                    error_chain(&e)
                );
                if left > 0 {
                    let _ = write!(line, "; {left} other changed feed(s) not pinged");
                }
                report.warnings.push(line);
                break;
            }
        }
    }
    report
}

/// An error and its causes on one line (reqwest's own message rarely says what went wrong).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let more = c.to_string();
        if !text.contains(&more) {
            let _ = write!(text, ": {more}");
        }
        cause = c.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_are_the_changed_feed_files_self_urls() {
        let base = url::Url::parse("https://feeds.example.org/pub/").unwrap();
        let written: Vec<String> = [
            "community.xml",
            "community.html",
            "community.opml",
            "index.html",
            "sources/blog.atom",
            "news.json",
            "community.xml",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            topics(&base, &written),
            [
                "https://feeds.example.org/pub/community.xml",
                "https://feeds.example.org/pub/sources/blog.atom",
                "https://feeds.example.org/pub/news.json",
            ]
        );
    }

    #[test]
    fn body_is_form_encoded() {
        assert_eq!(
            publish_body("https://feeds.example.org/a b.xml?x=1&y"),
            "hub.mode=publish&hub.url=https%3A%2F%2Ffeeds.example.org%2Fa+b.xml%3Fx%3D1%26y"
        );
    }
}
