//! robots.txt for scraped pages (texting_robots): fetched at most once per host per run, and
//! kept between runs in the state (through a [`RobotsStore`]) for as long as it is fresh.
//!
//! Freshness: the answer's `Cache-Control: max-age` (else `Expires` minus `Date`), clamped to
//! [`MIN_LIFETIME`]–[`MAX_LIFETIME`] (1 h–24 h: RFC 9309 asks crawlers not to use a cached
//! robots.txt for more than 24 hours); [`DEFAULT_LIFETIME`] (24 h) when the answer says nothing.
//! While fresh, the stored answer is used without a request. Once stale it is re-checked with a
//! conditional GET (`If-None-Match` / `If-Modified-Since` from the stored validators): a 304
//! keeps the stored rules for another lifetime, a new answer replaces them. When the re-check
//! gets no answer at all, the stale rules are used for this run and stored unchanged (asked
//! again next run). An answer that never came is not stored.
//!
//! The robots.txt request takes its host's turn (one request at a time per host) but does not
//! count towards `host_delay`: the page it guards may follow it at once (see [`super::host`]).
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

use crate::state::RobotsRecord;
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// robots.txt files are read up to this size (as Google does); the rest is ignored.
pub const ROBOTS_MAX_BYTES: u64 = 512 * 1024;

/// How long a robots.txt answer is used when it says nothing about caching.
pub const DEFAULT_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// The shortest time an answer is kept, whatever it says (`no-cache`, `max-age=0`).
pub const MIN_LIFETIME: Duration = Duration::from_secs(3600);
/// The longest time an answer is kept, whatever it says (RFC 9309, section 2.4).
pub const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);

/// Where robots.txt answers live between runs (the state). `load` and `save` are quick,
/// synchronous and infallible to the caller: a store that fails only costs a request.
pub trait RobotsStore: Send + Sync {
    fn load(&self, robots_url: &str) -> Option<RobotsRecord>;
    fn save(&self, robots_url: &str, record: &RobotsRecord);
}

/// How long an answer stays fresh: `Cache-Control: max-age` (`s-maxage` is for shared caches
/// and ignored), else `Expires` − `Date` (else − `now`), clamped to
/// [`MIN_LIFETIME`]..=[`MAX_LIFETIME`]; [`DEFAULT_LIFETIME`] without either.
pub fn lifetime(
    cache_control: Option<&str>,
    expires: Option<&str>,
    date: Option<&str>,
    now: DateTime<Utc>,
) -> Duration {
    let max_age = cache_control.and_then(|cc| {
        cc.split(',').find_map(|d| {
            let (k, v) = d.split_once('=')?;
            k.trim()
                .eq_ignore_ascii_case("max-age")
                .then(|| v.trim().trim_matches('"').parse::<u64>().ok())
                .flatten()
        })
    });
    let no_cache = cache_control.is_some_and(|cc| {
        cc.split(',').any(|d| {
            let d = d.trim();
            d.eq_ignore_ascii_case("no-cache") || d.eq_ignore_ascii_case("no-store")
        })
    });
    let http_date = |v: &str| {
        DateTime::parse_from_rfc2822(v.trim())
            .ok()
            .map(|d| d.with_timezone(&Utc))
    };
    let from_expires = || {
        let expires = http_date(expires?)?;
        let base = date.and_then(http_date).unwrap_or(now);
        Some(
            expires
                .signed_duration_since(base)
                .to_std()
                .unwrap_or(Duration::ZERO),
        )
    };
    let said = if no_cache {
        Some(Duration::ZERO)
    } else {
        max_age.map(Duration::from_secs).or_else(from_expires)
    };
    said.map_or(DEFAULT_LIFETIME, |d| d.clamp(MIN_LIFETIME, MAX_LIFETIME))
}

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

    /// Rules from a stored answer.
    pub fn from_record(record: &RobotsRecord, agent: &str) -> Rules {
        Rules::from_answer(Some((record.status, &record.body)), agent)
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
    fn lifetime_honours_max_age_and_expires_within_bounds() {
        let now = DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let h = |n: u64| Duration::from_secs(n * 3600);
        assert_eq!(lifetime(None, None, None, now), DEFAULT_LIFETIME);
        assert_eq!(
            lifetime(Some("public, max-age=7200"), None, None, now),
            h(2)
        );
        // clamped both ways
        assert_eq!(lifetime(Some("max-age=60"), None, None, now), MIN_LIFETIME);
        assert_eq!(lifetime(Some("no-cache"), None, None, now), MIN_LIFETIME);
        assert_eq!(
            lifetime(Some("max-age=9999999"), None, None, now),
            MAX_LIFETIME
        );
        // Expires is measured from the answer's Date, else from now
        let date = "Sun, 29 Nov 2026 10:00:00 GMT";
        let expires = "Sun, 29 Nov 2026 15:00:00 GMT";
        assert_eq!(lifetime(None, Some(expires), Some(date), now), h(5));
        assert_eq!(lifetime(None, Some(expires), None, now), h(3));
        // max-age wins over Expires; a past or broken Expires is the minimum / the default
        assert_eq!(
            lifetime(Some("max-age=10800"), Some(expires), Some(date), now),
            h(3)
        );
        assert_eq!(lifetime(None, Some(date), None, now), MIN_LIFETIME);
        assert_eq!(lifetime(None, Some("soon"), None, now), DEFAULT_LIFETIME);
    }

    #[test]
    fn robots_url_keeps_scheme_host_and_port() {
        assert_eq!(
            robots_url(&u("https://u:p@a.org:8443/x/y?q#f")).map(|u| u.to_string()),
            Some("https://a.org:8443/robots.txt".to_string())
        );
    }
}
