//! One HTTP exchange, done carefully: the reqwest clients (one per connect timeout, since that
//! is a client-level setting; TLS as [`super::tls`] configures it), the redirect policy (at most [`MAX_REDIRECTS`], loops detected,
//! only http/https followed), request headers (User-Agent, Accept, per-source headers, the
//! conditional-GET validators) and the body, read in chunks under a size cap and refused whole
//! when it is cut off (timeout mid-body, broken compression, fewer bytes than Content-Length).
//!
//! Proxies: reqwest reads `HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY` and `NO_PROXY` (either case)
//! from the environment when a client is built, even without its `system-proxy` feature (which
//! only adds the macOS/Windows system settings), so nothing is configured here.

use super::error::{FetchError, RedirectRefusal, classify};
use super::{Fetched, split_content_type};
use crate::state::Validators;
use chrono::{DateTime, Utc};
use reqwest::header::{self, HeaderMap, HeaderName, HeaderValue};
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;
use std::time::Duration;

/// Redirects followed for one request.
pub const MAX_REDIRECTS: usize = 10;

/// How long an idle keep-alive connection is kept for reuse: long enough for the page after its
/// robots.txt and for the next source on the same host (after `host_delay`), short enough that a
/// run over thousands of hosts does not keep a socket and its buffers open to each of them
/// (reqwest's default, 90 s, held 5,000 idle connections at the end of a 5,000-source run).
pub const POOL_IDLE: Duration = Duration::from_secs(3);

/// What we ask for when a source sets no `Accept` of its own: feeds first, then pages.
const ACCEPT: &str = "application/atom+xml, application/rss+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.8, */*;q=0.5";

/// reqwest clients keyed by connect timeout; everything else is set per request.
#[derive(Default)]
pub struct Clients {
    by_connect_timeout: Mutex<HashMap<Duration, reqwest::Client>>,
}

impl Clients {
    pub fn get(&self, connect_timeout: Duration) -> Result<reqwest::Client, FetchError> {
        let mut map = self
            .by_connect_timeout
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(c) = map.get(&connect_timeout) {
            return Ok(c.clone());
        }
        let client = build(connect_timeout)?;
        map.insert(connect_timeout, client.clone());
        Ok(client)
    }
}

/// A client with our redirect policy and the given connect timeout. The User-Agent and the total
/// timeout are set on every request.
pub fn build(connect_timeout: Duration) -> Result<reqwest::Client, FetchError> {
    super::install_tls_provider();
    let failed = |message: String| FetchError::Transport {
        url: String::new(),
        message: format!("cannot build the HTTP client: {message}"),
    };
    // Our own rustls configuration only so that the system's roots load lazily (see `tls`).
    let (tls, _) = super::tls::client_config().map_err(|e| failed(e.to_string()))?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .connect_timeout(connect_timeout)
        .pool_idle_timeout(POOL_IDLE)
        .pool_max_idle_per_host(2)
        .redirect(redirect_policy())
        .build()
        .map_err(|e| failed(super::error::chain(&e)))
}

/// Follow at most [`MAX_REDIRECTS`] redirects, never to a URL already visited in this chain,
/// and only to http or https.
pub fn redirect_policy() -> reqwest::redirect::Policy {
    reqwest::redirect::Policy::custom(|attempt| {
        let next = attempt.url();
        if !matches!(next.scheme(), "http" | "https") {
            let target = next.to_string();
            return attempt.error(RedirectRefusal::Scheme(target));
        }
        if attempt.previous().iter().any(|u| u == next) {
            let target = next.to_string();
            return attempt.error(RedirectRefusal::Loop(target));
        }
        // `previous` holds the first URL too: its length is the number of requests made.
        if attempt.previous().len() > MAX_REDIRECTS {
            return attempt.error(RedirectRefusal::TooMany(MAX_REDIRECTS));
        }
        attempt.follow()
    })
}

/// The request headers for one source: User-Agent, a feed-friendly Accept, the source's own
/// `headers` (which win), then the conditional-GET validators.
pub fn request_headers(
    url: &str,
    user_agent: &str,
    extra: &BTreeMap<String, String>,
    validators: &Validators,
) -> Result<HeaderMap, FetchError> {
    let bad = |name: &str| FetchError::BadHeader {
        url: url.to_string(),
        name: name.to_string(),
    };
    let mut h = HeaderMap::new();
    h.insert(
        header::USER_AGENT,
        HeaderValue::from_str(user_agent).map_err(|_| bad("User-Agent"))?,
    );
    h.insert(header::ACCEPT, HeaderValue::from_static(ACCEPT));
    for (k, v) in extra {
        let name = HeaderName::from_bytes(k.as_bytes()).map_err(|_| bad(k))?;
        let value = HeaderValue::from_str(v).map_err(|_| bad(k))?;
        h.insert(name, value);
    }
    if let Some(etag) = &validators.etag
        && let Ok(v) = HeaderValue::from_str(etag)
    {
        h.insert(header::IF_NONE_MATCH, v);
    }
    if let Some(lm) = &validators.last_modified
        && let Ok(v) = HeaderValue::from_str(lm)
    {
        h.insert(header::IF_MODIFIED_SINCE, v);
    }
    Ok(h)
}

/// The options of one exchange.
pub struct Exchange<'a> {
    pub url: &'a url::Url,
    pub headers: HeaderMap,
    pub timeout: Duration,
    pub limit: u64,
    /// Whether `headers` carry validators (a 304 is only an answer to those).
    pub conditional: bool,
    pub now: DateTime<Utc>,
}

/// What one exchange came to, short of an error.
#[derive(Debug)]
pub enum Answer {
    Document(Fetched, Validators),
    NotModified,
    /// 429 or 503 with a usable `Retry-After`.
    Busy {
        status: u16,
        delay: Duration,
    },
}

/// Send one request and read its answer in full.
pub async fn exchange(client: &reqwest::Client, x: Exchange<'_>) -> Result<Answer, FetchError> {
    let url = x.url;
    let timeout = x.timeout;
    // reqwest's timeout covers the body too; this outer one only guards against a hang in a
    // layer that would not honour it.
    let guard = timeout + Duration::from_secs(1);
    match tokio::time::timeout(guard, exchange_inner(client, x)).await {
        Ok(r) => r,
        Err(_) => Err(FetchError::Timeout {
            url: url.to_string(),
            timeout,
        }),
    }
}

async fn exchange_inner(client: &reqwest::Client, x: Exchange<'_>) -> Result<Answer, FetchError> {
    let url = x.url.as_str();
    let response = client
        .get(x.url.clone())
        .headers(x.headers)
        .timeout(x.timeout)
        .send()
        .await
        .map_err(|e| classify(&e, url, x.timeout, false))?;
    let status = response.status().as_u16();
    let headers = response.headers();
    if status == 304 && x.conditional {
        return Ok(Answer::NotModified);
    }
    if matches!(status, 429 | 503)
        && let Some(delay) = headers
            .get(header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                let date = headers.get(header::DATE).and_then(|d| d.to_str().ok());
                super::retry::parse_retry_after(v, date, x.now)
            })
    {
        return Ok(Answer::Busy { status, delay });
    }
    if !(200..=299).contains(&status) {
        return Err(FetchError::Status {
            url: url.to_string(),
            status,
        });
    }
    let text = |name: header::HeaderName| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let validators = Validators {
        etag: text(header::ETAG),
        last_modified: text(header::LAST_MODIFIED),
    };
    let (content_type, charset) = text(header::CONTENT_TYPE)
        .map(|v| split_content_type(&v))
        .unwrap_or((None, None));
    let final_url = response.url().clone();
    let bytes = read_body(response, url, x.limit, x.timeout, OverLimit::Fail).await?;
    Ok(Answer::Document(
        Fetched {
            url: final_url,
            bytes,
            charset,
            content_type,
        },
        validators,
    ))
}

/// What to do with a body longer than the limit.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum OverLimit {
    /// A [`FetchError::TooLarge`]: a document cut short is not a document.
    Fail,
    /// Keep the first `limit` bytes (robots.txt: the rest is ignored).
    Truncate,
}

/// Read a whole body under `limit`. A `Content-Length` over the limit is refused before a byte is
/// read; when it is present (the body was not decompressed) the byte count must match it.
pub async fn read_body(
    mut response: reqwest::Response,
    url: &str,
    limit: u64,
    timeout: Duration,
    over: OverLimit,
) -> Result<Vec<u8>, FetchError> {
    let too_large = || FetchError::TooLarge {
        url: url.to_string(),
        limit,
    };
    // reqwest drops Content-Length when it decompresses, so a value here is the body's length.
    let declared: Option<u64> = response
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse().ok());
    if over == OverLimit::Fail && declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let capacity = declared.unwrap_or(0).min(limit).min(1 << 20);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => return Err(classify(&e, url, timeout, true)),
        };
        let room = usize::try_from(limit.saturating_sub(bytes.len() as u64)).unwrap_or(usize::MAX);
        if chunk.len() > room {
            if over == OverLimit::Fail {
                return Err(too_large());
            }
            bytes.extend_from_slice(chunk.get(..room).unwrap_or_default());
            return Ok(bytes);
        }
        bytes.extend_from_slice(&chunk);
    }
    if let Some(n) = declared
        && n != bytes.len() as u64
    {
        return Err(FetchError::Truncated {
            url: url.to_string(),
            message: format!("got {} of the {n} bytes announced", bytes.len()),
        });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_carry_agent_source_headers_and_validators() {
        let mut extra = BTreeMap::new();
        extra.insert("Accept".to_string(), "application/rss+xml".to_string());
        extra.insert("X-Token".to_string(), "abc".to_string());
        let v = Validators {
            etag: Some("\"v1\"".into()),
            last_modified: Some("Sun, 06 Nov 1994 08:49:37 GMT".into()),
        };
        let h = request_headers("http://a/", "feedwright/1", &extra, &v).unwrap();
        assert_eq!(h[header::USER_AGENT], "feedwright/1");
        assert_eq!(h[header::ACCEPT], "application/rss+xml");
        assert_eq!(h["x-token"], "abc");
        assert_eq!(h[header::IF_NONE_MATCH], "\"v1\"");
        assert_eq!(
            h[header::IF_MODIFIED_SINCE],
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
        let none =
            request_headers("http://a/", "x", &BTreeMap::new(), &Validators::default()).unwrap();
        assert!(none.get(header::IF_NONE_MATCH).is_none());
        assert!(none.get(header::IF_MODIFIED_SINCE).is_none());
    }

    #[test]
    fn bad_headers_are_named() {
        let mut extra = BTreeMap::new();
        extra.insert("Bad Name".to_string(), "x".to_string());
        let e = request_headers("http://a/", "x", &extra, &Validators::default()).unwrap_err();
        assert_eq!(e.kind(), "bad-header");
        assert!(e.to_string().contains("Bad Name"), "{e}");
    }
}
