//! What can go wrong while getting a source's bytes, as one [`FetchError`] enum whose every
//! variant names the URL (or path) and says what happened, plus a short stable tag
//! ([`FetchError::kind`]) for logs and `status`, and the classification of reqwest's errors into
//! those variants (timeouts, connection and DNS failures, refused redirects, cut-off bodies).

use chrono::{DateTime, Utc};
use std::borrow::Cow;
use std::time::Duration;

/// Why a fetch produced no document. Every variant carries the URL that was requested (for
/// local sources, the path).
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("{url} answered HTTP {status}{}", status_hint(*status))]
    Status { url: String, status: u16 },
    #[error("{url}: no complete response within {}s (timeout; raise `timeout` for this source if the server is just slow)", secs(*timeout))]
    Timeout { url: String, timeout: Duration },
    #[error("{url}: cannot connect: {message}")]
    Connect { url: String, message: String },
    #[error("{url}: cannot resolve the host name: {message}")]
    Dns { url: String, message: String },
    #[error("request to {url} failed: {message}")]
    Transport { url: String, message: String },
    #[error(
        "response from {url} is larger than the {limit}-byte limit (raise `max_body_size` for this source if that is expected)"
    )]
    TooLarge { url: String, limit: u64 },
    #[error("{url} redirects in a loop (back to {target})")]
    RedirectLoop { url: String, target: String },
    #[error("{url} redirects more than {limit} times; giving up")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url} redirects to {target}: only http and https are followed")]
    BadScheme { url: String, target: String },
    #[error(
        "{url} is disallowed for `{agent}` by the site's robots.txt (set `respect_robots = false` on this source to override)"
    )]
    RobotsDisallowed { url: String, agent: String },
    #[error("{url} asks to be retried later (Retry-After): not before {until}")]
    RetryLater { url: String, until: DateTime<Utc> },
    #[error("response from {url} was cut off: {message}; nothing of it was used")]
    Truncated { url: String, message: String },
    #[error(
        "header `{name}` for {url} is not valid HTTP: fix `headers`/`user_agent` for this source"
    )]
    BadHeader { url: String, name: String },
    #[error("cannot read {path}: {source}")]
    File {
        path: String,
        source: std::io::Error,
    },
}

fn secs(d: Duration) -> String {
    format!("{}", d.as_secs_f32())
}

fn status_hint(status: u16) -> &'static str {
    match status {
        401 | 403 => " (access refused)",
        404 | 410 => " (not found: has the page or feed moved?)",
        429 => " (too many requests)",
        500..=599 => " (server error)",
        _ => "",
    }
}

impl FetchError {
    /// A short, stable tag for logs and `status`: `http-404`, `timeout`, `connect`, `dns`,
    /// `transport`, `too-large`, `redirect-loop`, `too-many-redirects`, `bad-scheme`,
    /// `robots-disallowed`, `retry-later`, `truncated`, `bad-header`, `file`.
    ///
    /// A `Cow` rather than `&'static str` because the HTTP status is part of the tag.
    pub fn kind(&self) -> Cow<'static, str> {
        Cow::Borrowed(match self {
            FetchError::Status { status, .. } => return Cow::Owned(format!("http-{status}")),
            FetchError::Timeout { .. } => "timeout",
            FetchError::Connect { .. } => "connect",
            FetchError::Dns { .. } => "dns",
            FetchError::Transport { .. } => "transport",
            FetchError::TooLarge { .. } => "too-large",
            FetchError::RedirectLoop { .. } => "redirect-loop",
            FetchError::TooManyRedirects { .. } => "too-many-redirects",
            FetchError::BadScheme { .. } => "bad-scheme",
            FetchError::RobotsDisallowed { .. } => "robots-disallowed",
            FetchError::RetryLater { .. } => "retry-later",
            FetchError::Truncated { .. } => "truncated",
            FetchError::BadHeader { .. } => "bad-header",
            FetchError::File { .. } => "file",
        })
    }

    /// When the server asked to be tried again (`Retry-After` over 10 s): the app makes that
    /// the source's next due time.
    pub fn retry_at(&self) -> Option<DateTime<Utc>> {
        match self {
            FetchError::RetryLater { until, .. } => Some(*until),
            _ => None,
        }
    }

    /// The URL (or path) the error is about.
    pub fn url(&self) -> &str {
        match self {
            FetchError::Status { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::Dns { url, .. }
            | FetchError::Transport { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::BadScheme { url, .. }
            | FetchError::RobotsDisallowed { url, .. }
            | FetchError::RetryLater { url, .. }
            | FetchError::Truncated { url, .. }
            | FetchError::BadHeader { url, .. } => url,
            FetchError::File { path, .. } => path,
        }
    }

    /// Worth another attempt in the same run: timeouts, connection failures, cut-off bodies and
    /// 5xx. Never 4xx, a too-large body, a refused redirect or robots.txt.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => (500..=599).contains(status),
            FetchError::Timeout { .. }
            | FetchError::Connect { .. }
            | FetchError::Truncated { .. } => true,
            _ => false,
        }
    }
}

/// Why our redirect policy refused to follow a redirect; carried through reqwest's error as its
/// source and turned back into a [`FetchError`] by [`classify`].
#[derive(Debug, thiserror::Error)]
pub(crate) enum RedirectRefusal {
    #[error("redirect loop back to {0}")]
    Loop(String),
    #[error("more than {0} redirects")]
    TooMany(usize),
    #[error("redirect to {0}: only http and https are followed")]
    Scheme(String),
}

/// Every message in an error's source chain, joined with `: ` (reqwest's top-level message
/// alone rarely says what happened).
pub(crate) fn chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let s = c.to_string();
        if !msg.contains(&s) {
            msg.push_str(": ");
            msg.push_str(&s);
        }
        cause = c.source();
    }
    msg
}

fn find_refusal(e: &reqwest::Error) -> Option<&RedirectRefusal> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(c) = cause {
        if let Some(r) = c.downcast_ref::<RedirectRefusal>() {
            return Some(r);
        }
        cause = c.source();
    }
    None
}

/// Turn a reqwest error from sending a request (`in_body == false`) or reading its body
/// (`in_body == true`) into a [`FetchError`] for `url`.
pub(crate) fn classify(
    e: &reqwest::Error,
    url: &str,
    timeout: Duration,
    in_body: bool,
) -> FetchError {
    let url = url.to_string();
    if let Some(r) = find_refusal(e) {
        return match r {
            RedirectRefusal::Loop(target) => FetchError::RedirectLoop {
                url,
                target: target.clone(),
            },
            RedirectRefusal::TooMany(limit) => FetchError::TooManyRedirects { url, limit: *limit },
            RedirectRefusal::Scheme(target) => FetchError::BadScheme {
                url,
                target: target.clone(),
            },
        };
    }
    let message = chain(e);
    if e.is_timeout() {
        FetchError::Timeout { url, timeout }
    } else if in_body || e.is_body() || e.is_decode() {
        FetchError::Truncated { url, message }
    } else if e.is_dns() {
        FetchError::Dns { url, message }
    } else if e.is_connect() {
        FetchError::Connect { url, message }
    } else {
        FetchError::Transport { url, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_short_tags() {
        let e = FetchError::Status {
            url: "http://a/".into(),
            status: 503,
        };
        assert_eq!(e.kind(), "http-503");
        assert!(e.is_transient());
        let e = FetchError::Status {
            url: "http://a/".into(),
            status: 404,
        };
        assert!(!e.is_transient());
        assert_eq!(
            FetchError::TooLarge {
                url: "u".into(),
                limit: 1
            }
            .kind(),
            "too-large"
        );
    }

    #[test]
    fn messages_name_the_url() {
        let e = FetchError::Timeout {
            url: "http://example.org/feed".into(),
            timeout: Duration::from_millis(1500),
        };
        let m = e.to_string();
        assert!(
            m.contains("http://example.org/feed") && m.contains("1.5s"),
            "{m}"
        );
        let until = DateTime::parse_from_rfc3339("2026-01-01T00:00:00Z")
            .map(|d| d.with_timezone(&Utc))
            .ok();
        let e = FetchError::RetryLater {
            url: "http://a/".into(),
            until: until.unwrap_or_default(),
        };
        assert_eq!(e.retry_at(), until);
        assert!(e.to_string().contains("http://a/"));
    }
}
