//! Getting a source's bytes like a good citizen. One [`Fetcher`] per run holds the reqwest
//! clients, the per-host limiter and the robots.txt cache; [`Fetcher::fetch`] gets one source's
//! document over HTTP(S) or from a local path and says whether it changed
//! ([`FetchOutcome::NotModified`] is an outcome, not an error). Decoding the bytes is the
//! reader's job: this reports the final URL and the charset the server declared.
//!
//! What one HTTP fetch does, in order:
//! 1. robots.txt, when the caller asks (`check_robots`: scraped pages, not feeds) and the
//!    source's `respect_robots` (else the setting) is on: once per host per run, and from the
//!    state while it is fresh ([`Fetcher::with_robots_store`]) — see [`robots`];
//! 2. waits for its turn at the host: one request at a time per host, `host_delay` apart —
//!    see [`host`];
//! 3. one exchange: honest User-Agent, the source's `headers`, `If-None-Match` /
//!    `If-Modified-Since` from the stored validators, `Connection: close` when the caller
//!    says the run asks nothing more of this host ([`Reuse::Close`]), total `timeout`,
//!    `connect_timeout`,
//!    redirects (10, loops detected, http/https only), the body capped at `max_body_size` while
//!    it streams and refused whole when cut off — see [`client`];
//! 4. on a timeout, connection error, cut-off body or 5xx: up to `retries` more attempts after a
//!    jittered exponential backoff (never for 4xx, a too-large body or a refused redirect);
//!    on 429/503 with `Retry-After`: up to 10 s it is slept once and the request repeated, a
//!    longer one ends the fetch at once with [`FetchError::RetryLater`] — see [`retry`].
//!
//! Every per-source override (`user_agent`, `timeout`, `connect_timeout`, `host_delay`,
//! `max_body_size`, `retries`, `respect_robots`, `headers`) falls back to `[settings]`.
//!
//! How the app uses it (one [`Fetcher`] per run, shared by reference by the concurrent source
//! tasks; global concurrency stays the app's `buffer_unordered(settings.concurrency)`):
//! ```ignore
//! let fetcher = Fetcher::new(&config.settings)?;
//! // validators are stored under `source.location_label()` (the URL as configured, or the path)
//! let stored = state.validators(&source.location_label())?;
//! // robots.txt applies to scraped pages, not feeds (for `auto`, whatever the app scrapes)
//! let scraped = source.kind == SourceKind::Html;
//! match fetcher.fetch(source, &stored, scraped, Reuse::Keep, now).await {
//!     Ok(FetchOutcome::Fetched { document, validators }) => {
//!         // parse `document`; once it parsed, store the new validators
//!         state.set_validators(&source.location_label(), &validators, now)?;
//!     }
//!     Ok(FetchOutcome::NotModified) => { /* reuse the stored items, parse nothing */ }
//!     Err(e) => {
//!         // log e (it names the URL) with e.kind(); stored items stay
//!         // if let Some(t) = e.retry_at() { next due time = t }
//!     }
//! }
//! ```
//! Store new validators only after the document was read successfully, or a broken document
//! would be answered with 304 until it changes upstream.

use crate::config::{Location, Settings, SourceConfig};
use crate::state::Validators;
use chrono::{DateTime, TimeDelta, Utc};
use std::sync::Arc;
use std::time::Duration;
use tracing::debug;

pub mod client;
mod error;
pub mod file;
pub mod host;
pub mod retry;
pub mod robots;
pub mod tls;

pub use error::FetchError;

/// A fetched document.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// Where the bytes finally came from (after redirects; a `file://` URL for local paths).
    pub url: url::Url,
    pub bytes: Vec<u8>,
    /// The `charset` parameter of the HTTP `Content-Type`, if any.
    pub charset: Option<String>,
    /// The media type of the HTTP `Content-Type`, if any.
    pub content_type: Option<String>,
}

/// What a fetch came to.
// One value per source per run, moved once: boxing the document would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug)]
pub enum FetchOutcome {
    /// A complete document, with the validators to store for the next conditional request
    /// (both `None` when the server sent neither: forget the old ones).
    Fetched {
        document: Fetched,
        validators: Validators,
    },
    /// `304 Not Modified` to our validators (or an unchanged local file): reuse what is stored.
    NotModified,
}

/// The longest a `Retry-After` may push a source's next attempt (a bogus huge value must not
/// switch a source off).
pub const MAX_RETRY_LATER: Duration = Duration::from_secs(24 * 3600);

/// Fetches sources for one run. `Send + Sync`: share it by reference between concurrent fetches.
pub struct Fetcher {
    settings: Settings,
    clients: client::Clients,
    hosts: host::HostLimiter,
    robots: robots::RobotsCache,
    robots_store: Option<Arc<dyn robots::RobotsStore>>,
    backoff_base: Duration,
}

/// One source's effective options: its overrides, else the settings.
struct Options<'a> {
    user_agent: &'a str,
    timeout: Duration,
    connect_timeout: Duration,
    host_delay: Duration,
    limit: u64,
    retries: u32,
    respect_robots: bool,
    /// Whether the connection may serve a later request (set per call, not per source).
    reuse: Reuse,
}

/// Whether a request's connection may serve a later request of this run.
///
/// A connection is kept open after its answer (for [`client::POOL_IDLE`]) so that the next
/// request to the same host skips the TCP and TLS handshakes: a source's page after its
/// robots.txt, its next list page, the next source on that host. But a run that reads
/// hundreds of hosts would keep one idle connection per host until it ends, with its buffers
/// (about 45 KB each; 23 MB for 500 hosts), although most of them will never be asked again.
/// So the run says when a request is the last it expects to make to its host.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Reuse {
    /// Keep the connection for a later request (the default).
    #[default]
    Keep,
    /// Nothing more is expected of this host in this run: ask for `Connection: close`, so
    /// that the server closes it after the answer and no idle connection is left behind. A
    /// redirect (or a retry) it causes still gets its answer, over a new connection.
    Close,
}

impl Reuse {
    /// `Close` for the last source of its host in this run (`last_on_host`) when this
    /// request is likely its last: one that can end the read (`conditional`: a 304 needs
    /// nothing more) or one after which the read asks nothing more anyway (`!more_may_follow`:
    /// no further pages, no post pages, no feed to discover). Else `Keep`.
    pub fn for_request(last_on_host: bool, conditional: bool, more_may_follow: bool) -> Reuse {
        if last_on_host && (conditional || !more_may_follow) {
            Reuse::Close
        } else {
            Reuse::Keep
        }
    }
}

impl Fetcher {
    /// A fetcher with `settings` as the defaults for every source. Builds (and so checks) the
    /// default HTTP client at once.
    pub fn new(settings: &Settings) -> Result<Fetcher, FetchError> {
        install_tls_provider();
        let fetcher = Fetcher {
            settings: settings.clone(),
            clients: client::Clients::default(),
            hosts: host::HostLimiter::default(),
            robots: robots::RobotsCache::default(),
            robots_store: None,
            backoff_base: retry::BASE_BACKOFF,
        };
        fetcher.clients.get(settings.connect_timeout)?;
        Ok(fetcher)
    }

    /// Change the first retry's backoff (default [`retry::BASE_BACKOFF`], 500 ms); tests make it
    /// small.
    pub fn with_backoff_base(mut self, base: Duration) -> Fetcher {
        self.backoff_base = base;
        self
    }

    /// Keep robots.txt answers between runs in `store` (the app passes the state): a fresh
    /// stored answer is used without a request, a stale one is re-checked conditionally.
    /// Without a store, robots.txt is fetched once per host per [`Fetcher`].
    pub fn with_robots_store(mut self, store: Arc<dyn robots::RobotsStore>) -> Fetcher {
        self.robots_store = Some(store);
        self
    }

    fn options<'a>(&'a self, source: &'a SourceConfig) -> Options<'a> {
        let s = &self.settings;
        Options {
            user_agent: source.user_agent.as_deref().unwrap_or(&s.user_agent),
            timeout: source.timeout.unwrap_or(s.timeout),
            connect_timeout: source.connect_timeout.unwrap_or(s.connect_timeout),
            host_delay: source.host_delay.unwrap_or(s.host_delay),
            limit: source.max_body_size.unwrap_or(s.max_body_size),
            retries: source.retries.unwrap_or(s.retries),
            respect_robots: source.respect_robots.unwrap_or(s.respect_robots),
            reuse: Reuse::Keep,
        }
    }

    /// One source's document.
    ///
    /// `reuse` says whether the connection may serve a later request of this run: see
    /// [`Reuse`].
    ///
    /// `validators` are those stored for this URL (for a local path, those this function
    /// returned last time: see [`file`]). `check_robots` is true for scraped html pages and
    /// false for feeds; robots.txt is then consulted only if `respect_robots` is on. `now` is
    /// the run's pinned clock, used to place `Retry-After` dates and [`FetchError::RetryLater`].
    pub async fn fetch(
        &self,
        source: &SourceConfig,
        validators: &Validators,
        check_robots: bool,
        reuse: Reuse,
        now: DateTime<Utc>,
    ) -> Result<FetchOutcome, FetchError> {
        let opts = Options {
            reuse,
            ..self.options(source)
        };
        match &source.location {
            Location::Path(path) => file::read_file(path, validators, opts.limit).await,
            Location::Url(url) => {
                self.fetch_http(url, source, &opts, validators, check_robots, now)
                    .await
            }
        }
    }

    /// Another page of a source (a post page, an advertised feed) under the same source's
    /// politeness settings: its user agent, headers, timeouts, size limit, retries, host delay
    /// and (with `check_robots`) robots.txt. Always unconditional. For a local source, a
    /// `file://` URL is read only when it lies in the source file's folder (or below it).
    pub async fn fetch_url(
        &self,
        source: &SourceConfig,
        url: &url::Url,
        check_robots: bool,
        now: DateTime<Utc>,
    ) -> Result<Fetched, FetchError> {
        let opts = self.options(source);
        let none = Validators::default();
        let outcome = if url.scheme() == "file" {
            let inside = match (&source.location, url.to_file_path()) {
                (Location::Path(own), Ok(path)) => own.parent().is_some_and(|dir| {
                    path.starts_with(dir)
                        && !path
                            .components()
                            .any(|c| matches!(c, std::path::Component::ParentDir))
                }),
                _ => false,
            };
            let path = url.to_file_path().ok().filter(|_| inside).ok_or_else(|| {
                FetchError::BadScheme {
                    url: source.location_label(),
                    target: url.to_string(),
                }
            })?;
            file::read_file(&path, &none, opts.limit).await?
        } else {
            self.fetch_http(url, source, &opts, &none, check_robots, now)
                .await?
        };
        match outcome {
            FetchOutcome::Fetched { document, .. } => Ok(document),
            // Nothing conditional was sent; say so rather than panic.
            FetchOutcome::NotModified => Err(FetchError::Transport {
                url: url.to_string(),
                message: "unexpected 304 to an unconditional request".into(),
            }),
        }
    }

    async fn fetch_http(
        &self,
        url: &url::Url,
        source: &SourceConfig,
        opts: &Options<'_>,
        validators: &Validators,
        check_robots: bool,
        now: DateTime<Utc>,
    ) -> Result<FetchOutcome, FetchError> {
        if !matches!(url.scheme(), "http" | "https") {
            return Err(FetchError::BadScheme {
                url: url.to_string(),
                target: url.to_string(),
            });
        }
        let client = self.clients.get(opts.connect_timeout)?;
        let mut headers =
            client::request_headers(url.as_str(), opts.user_agent, &source.headers, validators)?;
        if opts.reuse == Reuse::Close {
            // A `Connection` header of the source's own wins.
            headers
                .entry(reqwest::header::CONNECTION)
                .or_insert(reqwest::header::HeaderValue::from_static("close"));
        }
        if check_robots && opts.respect_robots && !self.robots_allow(&client, url, opts, now).await
        {
            return Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
                agent: robots::product_token(opts.user_agent).to_string(),
            });
        }
        let conditional = validators.is_conditional();
        let mut retries_left = opts.retries;
        let mut retry_no = 0u32;
        let mut slept_retry_after = false;
        loop {
            let turn = self.hosts.acquire(url, opts.host_delay).await;
            let answer = client::exchange(
                &client,
                client::Exchange {
                    url,
                    headers: headers.clone(),
                    timeout: opts.timeout,
                    limit: opts.limit,
                    conditional,
                    now,
                },
            )
            .await;
            drop(turn);
            match answer {
                Ok(client::Answer::Document(document, validators)) => {
                    return Ok(FetchOutcome::Fetched {
                        document,
                        validators,
                    });
                }
                Ok(client::Answer::NotModified) => return Ok(FetchOutcome::NotModified),
                Ok(client::Answer::Busy { status, delay }) => {
                    if delay > retry::SHORT_RETRY_AFTER {
                        let delay = delay.min(MAX_RETRY_LATER);
                        let until = TimeDelta::from_std(delay)
                            .ok()
                            .and_then(|d| now.checked_add_signed(d))
                            .unwrap_or(now);
                        return Err(FetchError::RetryLater {
                            url: url.to_string(),
                            until,
                        });
                    }
                    if slept_retry_after {
                        return Err(FetchError::Status {
                            url: url.to_string(),
                            status,
                        });
                    }
                    slept_retry_after = true;
                    debug!(%url, status, "Retry-After {}s: waiting, then once more", delay.as_secs());
                    tokio::time::sleep(delay).await;
                }
                Err(e) if e.is_transient() && retries_left > 0 => {
                    retries_left -= 1;
                    let wait = retry::backoff(self.backoff_base, retry_no);
                    retry_no += 1;
                    debug!(%url, kind = %e.kind(), "{e}; retrying in {} ms", wait.as_millis());
                    tokio::time::sleep(wait).await;
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Whether robots.txt at `url`'s host lets us fetch it: looked up once per host per run,
    /// from the store while fresh, else fetched (conditionally when a stale copy is stored).
    async fn robots_allow(
        &self,
        client: &reqwest::Client,
        url: &url::Url,
        opts: &Options<'_>,
        now: DateTime<Utc>,
    ) -> bool {
        let Some(robots_url) = robots::robots_url(url) else {
            return true;
        };
        let agent = robots::product_token(opts.user_agent);
        let load = async {
            let key = robots_url.as_str();
            let stored = self.robots_store.as_ref().and_then(|s| s.load(key));
            if let Some(record) = stored.as_ref().filter(|r| r.expires > now) {
                debug!(url = %robots_url, "robots.txt from the state (fresh until {})", record.expires);
                return robots::Rules::from_record(record, agent);
            }
            let answer = {
                let _turn = self
                    .hosts
                    .acquire_uncounted(&robots_url, opts.host_delay)
                    .await;
                fetch_robots(
                    client,
                    &robots_url,
                    opts.user_agent,
                    opts.timeout,
                    stored.as_ref().map(|r| &r.validators),
                    now,
                )
                .await
            };
            let record = match (answer, stored) {
                (Some(RobotsAnswer::NotModified { lifetime }), Some(old)) => {
                    crate::state::RobotsRecord {
                        fetched: now,
                        expires: after(now, lifetime),
                        ..old
                    }
                }
                (Some(RobotsAnswer::Fresh(record)), _) => record,
                // No answer (or a 304 to nothing we sent): a stale copy serves this run and is
                // asked about again next run; without one, everything is allowed.
                (_, stale) => {
                    debug!(url = %robots_url, "no usable robots.txt answer");
                    return stale.map_or(robots::Rules::AllowAll, |r| {
                        robots::Rules::from_record(&r, agent)
                    });
                }
            };
            if let Some(store) = &self.robots_store {
                store.save(key, &record);
            }
            robots::Rules::from_record(&record, agent)
        };
        let rules: Arc<robots::Rules> = self.robots.rules(host::host_key(url), agent, load).await;
        rules.allows(url)
    }
}

fn after(now: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| now.checked_add_signed(d))
        .unwrap_or(now)
}

/// What asking for a robots.txt gave.
enum RobotsAnswer {
    /// A status (and for 2xx, up to [`robots::ROBOTS_MAX_BYTES`] of body), ready to store.
    Fresh(crate::state::RobotsRecord),
    /// 304 to our validators: the stored copy is good for `lifetime` more.
    NotModified { lifetime: Duration },
}

/// GET a robots.txt (conditionally, with `validators` of a stored copy); `None` when there was
/// no usable answer.
async fn fetch_robots(
    client: &reqwest::Client,
    url: &url::Url,
    user_agent: &str,
    timeout: Duration,
    validators: Option<&Validators>,
    now: DateTime<Utc>,
) -> Option<RobotsAnswer> {
    let mut request = client
        .get(url.clone())
        .header(reqwest::header::USER_AGENT, user_agent)
        .header(reqwest::header::ACCEPT, "text/plain, */*;q=0.5")
        .timeout(timeout);
    if let Some(v) = validators {
        if let Some(etag) = &v.etag {
            request = request.header(reqwest::header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = &v.last_modified {
            request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm);
        }
    }
    let response = request.send().await.ok()?;
    let status = response.status().as_u16();
    let header = |name: reqwest::header::HeaderName| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let lifetime = robots::lifetime(
        header(reqwest::header::CACHE_CONTROL).as_deref(),
        header(reqwest::header::EXPIRES).as_deref(),
        header(reqwest::header::DATE).as_deref(),
        now,
    );
    if status == 304 {
        return Some(RobotsAnswer::NotModified { lifetime });
    }
    let validators = Validators {
        etag: header(reqwest::header::ETAG),
        last_modified: header(reqwest::header::LAST_MODIFIED),
    };
    let body = if (200..=299).contains(&status) {
        client::read_body(
            response,
            url.as_str(),
            robots::ROBOTS_MAX_BYTES,
            timeout,
            client::OverLimit::Truncate,
        )
        .await
        .ok()?
    } else {
        Vec::new()
    };
    Some(RobotsAnswer::Fresh(crate::state::RobotsRecord {
        status,
        body,
        validators,
        fetched: now,
        expires: after(now, lifetime),
    }))
}

/// Install the TLS crypto provider once (reqwest is built without one; building a client
/// without a provider installed panics).
pub fn install_tls_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// `text/xml; charset="ISO-8859-1"` → (`text/xml`, `ISO-8859-1`).
pub fn split_content_type(value: &str) -> (Option<String>, Option<String>) {
    let mut parts = value.split(';');
    let media = parts
        .next()
        .map(|m| m.trim().to_ascii_lowercase())
        .filter(|m| !m.is_empty());
    let charset = parts.find_map(|p| {
        let (k, v) = p.split_once('=')?;
        (k.trim().eq_ignore_ascii_case("charset"))
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\'').to_string())
            .filter(|v| !v.is_empty())
    });
    (media, charset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_type_splits_into_media_and_charset() {
        assert_eq!(
            split_content_type(r#"Text/XML; charset="ISO-8859-1""#),
            (Some("text/xml".into()), Some("ISO-8859-1".into()))
        );
        assert_eq!(
            split_content_type("application/rss+xml"),
            (Some("application/rss+xml".into()), None)
        );
    }

    #[test]
    fn fetcher_is_shareable() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Fetcher>();
    }

    /// The app may spawn fetches on a multi-threaded runtime.
    #[allow(dead_code)]
    fn fetch_future_is_send(f: &Fetcher, s: &SourceConfig, v: &Validators) {
        fn send<T: Send>(_: T) {}
        send(f.fetch(s, v, true, Reuse::Keep, Utc::now()));
    }
}
