//! robots.txt for scraped pages (texting_robots), fetched once per host per run and cached.
//!
//! The rules are matched for the bare product token of the User-Agent (`feedwright`, not
//! `feedwright/0.1 (+…)`, which would silently fall through to the `*` group). How an answer for
//! `/robots.txt` is read:
//! - 2xx: parsed; a file that cannot be parsed allows everything;
//! - 401 or 403: everything is disallowed (the site refuses robots altogether — the usual
//!   convention, as in Google's crawler);
//! - any other status (404, 410, 5xx, …) or no answer at all (timeout, refused connection):
//!   everything is allowed. A down server will fail the page fetch itself anyway, and a feed
//!   reader asking for one page an hour should not go dark because robots.txt is flaky.
//!
//! Only the URL a source names is checked, not the targets of its redirects.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// robots.txt files are read up to this size (as Google does); the rest is ignored.
pub const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// The rules that apply to us at one host.
pub enum Rules {
    AllowAll,
    DisallowAll,
    Parsed(Box<texting_robots::Robot>),
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Rules::AllowAll => "AllowAll",
            Rules::DisallowAll => "DisallowAll",
            Rules::Parsed(_) => "Parsed",
        })
    }
}

impl Rules {
    /// Rules from an answer to `/robots.txt`: its status and (for 2xx) body; `None` when there
    /// was no usable answer.
    pub fn from_answer(answer: Option<(u16, &[u8])>, agent: &str) -> Rules {
        match answer {
            Some((200..=299, body)) => match texting_robots::Robot::new(agent, body) {
                Ok(robot) => Rules::Parsed(Box::new(robot)),
                Err(_) => Rules::AllowAll,
            },
            Some((401 | 403, _)) => Rules::DisallowAll,
            _ => Rules::AllowAll,
        }
    }

    pub fn allows(&self, url: &url::Url) -> bool {
        match self {
            Rules::AllowAll => true,
            Rules::DisallowAll => false,
            Rules::Parsed(robot) => robot.allowed(url.as_str()),
        }
    }
}

/// The product token robots.txt groups are matched against: the User-Agent up to its first `/`
/// or space (`feedwright/0.1 (+…)` → `feedwright`).
pub fn product_token(user_agent: &str) -> &str {
    let token = user_agent
        .split(|c: char| c == '/' || c.is_whitespace())
        .next()
        .unwrap_or("");
    if token.is_empty() {
        "feedwright"
    } else {
        token
    }
}

/// `scheme://host[:port]/robots.txt` for a URL.
pub fn robots_url(url: &url::Url) -> Option<url::Url> {
    url.host_str()?;
    let mut robots = url.clone();
    robots.set_path("/robots.txt");
    robots.set_query(None);
    robots.set_fragment(None);
    let _ = robots.set_username("");
    let _ = robots.set_password(None);
    Some(robots)
}

type Cell = Arc<tokio::sync::OnceCell<Arc<Rules>>>;

/// Rules per (host, agent) for the run. Concurrent sources on one host share one fetch.
#[derive(Default)]
pub struct RobotsCache {
    hosts: Mutex<HashMap<(String, String), Cell>>,
}

impl RobotsCache {
    /// The rules for `host_key` and `agent`, fetching them with `load` the first time.
    pub async fn rules<F>(&self, host_key: String, agent: &str, load: F) -> Arc<Rules>
    where
        F: std::future::Future<Output = Rules>,
    {
        let cell = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
            hosts
                .entry((host_key, agent.to_string()))
                .or_default()
                .clone()
        };
        cell.get_or_init(|| async { Arc::new(load.await) })
            .await
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn product_token_is_the_bare_name() {
        assert_eq!(
            product_token("feedwright/0.1.0 (+https://github.com/feedwright/feedwright)"),
            "feedwright"
        );
        assert_eq!(product_token("MyBot"), "MyBot");
        assert_eq!(product_token(""), "feedwright");
    }

    #[test]
    fn groups_match_on_the_product_token() {
        let txt = b"User-agent: *\nDisallow: /\n\nUser-agent: feedwright\nDisallow: /private/\n";
        let r = Rules::from_answer(Some((200, txt)), "feedwright");
        assert!(r.allows(&u("http://a/blog/")));
        assert!(!r.allows(&u("http://a/private/x")));
        let other = Rules::from_answer(Some((200, txt)), "otherbot");
        assert!(!other.allows(&u("http://a/blog/")));
    }

    #[test]
    fn statuses_follow_the_convention() {
        let page = u("http://a/x");
        assert!(Rules::from_answer(Some((404, b"")), "feedwright").allows(&page));
        assert!(Rules::from_answer(Some((500, b"")), "feedwright").allows(&page));
        assert!(Rules::from_answer(None, "feedwright").allows(&page));
        assert!(!Rules::from_answer(Some((401, b"")), "feedwright").allows(&page));
        assert!(!Rules::from_answer(Some((403, b"")), "feedwright").allows(&page));
        // garbage is not a reason to refuse
        assert!(Rules::from_answer(Some((200, b"\xff\xfe<html>")), "feedwright").allows(&page));
    }

    #[test]
    fn robots_url_keeps_scheme_host_and_port() {
        assert_eq!(
            robots_url(&u("https://u:p@a.org:8443/x/y?q#f")).map(|u| u.to_string()),
            Some("https://a.org:8443/robots.txt".to_string())
        );
    }
}
