//! `Fetcher::fetch` against a loopback server that misbehaves on purpose: one test per
//! behaviour, asserting the outcome or error kind and what the server saw (how many requests,
//! which headers). Short timeouts, `host_delay = 0` except where the delay is the point; no
//! upper bound on wall time anywhere; only 127.0.0.1.

mod common;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use common::{Act, Reply, Server};
use feedwright::config::{Config, SourceConfig};
use feedwright::fetch::{FetchError, FetchOutcome, Fetched, Fetcher, Reuse};
use feedwright::state::Validators;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

const RSS: &str =
    r#"<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>"#;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 29, 12, 0, 0).unwrap()
}

/// A config whose one source is `source_toml` (keys of a `[[source]]` other than `id`), with
/// test-friendly settings: no host delay, short timeouts, no retries unless the source says so.
fn config(source_toml: &str) -> Config {
    let text = format!(
        "[settings]\nhost_delay = \"0s\"\ntimeout = \"2s\"\nconnect_timeout = \"1s\"\nretries = 0\n\n\
         [[source]]\nid = \"s\"\n{source_toml}\n"
    );
    feedwright::config::parse(&text, Path::new("/tmp/feedwright-test/feeds.toml"))
        .unwrap_or_else(|e| panic!("test config: {e}\n{text}"))
}

fn source(source_toml: &str) -> SourceConfig {
    config(source_toml).sources.remove(0)
}

fn fetcher() -> Fetcher {
    Fetcher::new(&config("url = \"http://127.0.0.1/\"").settings)
        .unwrap()
        .with_backoff_base(Duration::from_millis(10))
}

fn url_source(server: &Server, path: &str, extra: &str) -> SourceConfig {
    source(&format!("url = \"{}\"\n{extra}", server.url(path)))
}

async fn fetch(f: &Fetcher, s: &SourceConfig) -> Result<FetchOutcome, FetchError> {
    f.fetch(s, &Validators::default(), false, Reuse::Keep, now())
        .await
}

fn document(outcome: Result<FetchOutcome, FetchError>) -> (Fetched, Validators) {
    match outcome {
        Ok(FetchOutcome::Fetched {
            document,
            validators,
        }) => (document, validators),
        Ok(FetchOutcome::NotModified) => panic!("expected a document, got NotModified"),
        Err(e) => panic!("expected a document, got {} ({e})", e.kind()),
    }
}

fn error(outcome: Result<FetchOutcome, FetchError>) -> FetchError {
    match outcome {
        Ok(FetchOutcome::Fetched { document, .. }) => {
            panic!("expected an error, got {} bytes", document.bytes.len())
        }
        Ok(FetchOutcome::NotModified) => panic!("expected an error, got NotModified"),
        Err(e) => e,
    }
}

// ---------------------------------------------------------------- client basics

#[tokio::test]
async fn ok_document_with_honest_agent_source_headers_and_new_validators() {
    let server = Server::start();
    server.set(
        "/feed.xml",
        Reply::ok("application/rss+xml; charset=ISO-8859-1", RSS)
            .with_header("ETag", "\"v1\"")
            .with_header("Last-Modified", "Sun, 29 Nov 2026 10:00:00 GMT"),
    );
    let s = url_source(&server, "/feed.xml", "headers = { X-Api-Key = \"k1\" }");
    let (doc, validators) = document(fetch(&fetcher(), &s).await);
    assert_eq!(doc.bytes, RSS.as_bytes());
    assert_eq!(doc.url.as_str(), server.url("/feed.xml"));
    assert_eq!(doc.content_type.as_deref(), Some("application/rss+xml"));
    assert_eq!(doc.charset.as_deref(), Some("ISO-8859-1"));
    assert_eq!(validators.etag.as_deref(), Some("\"v1\""));
    assert_eq!(
        validators.last_modified.as_deref(),
        Some("Sun, 29 Nov 2026 10:00:00 GMT")
    );
    let seen = server.requests_for("/feed.xml");
    assert_eq!(seen.len(), 1);
    let h = &seen[0].headers;
    assert_eq!(
        h.get("user-agent").map(String::as_str),
        Some(
            format!(
                "feedwright/{} (+https://github.com/feedwright/feedwright)",
                env!("CARGO_PKG_VERSION")
            )
            .as_str()
        )
    );
    assert_eq!(h.get("x-api-key").map(String::as_str), Some("k1"));
    assert!(
        h.get("accept")
            .is_some_and(|a| a.contains("application/rss+xml"))
    );
    assert!(!h.contains_key("if-none-match"));
    assert!(!h.contains_key("if-modified-since"));
}

#[tokio::test]
async fn per_source_user_agent_overrides_the_default() {
    let server = Server::start();
    server.set("/f", Reply::ok("application/rss+xml", RSS));
    let s = url_source(&server, "/f", "user_agent = \"MyReader/2.0\"");
    document(fetch(&fetcher(), &s).await);
    assert_eq!(
        server.requests_for("/f")[0]
            .headers
            .get("user-agent")
            .map(String::as_str),
        Some("MyReader/2.0")
    );
}

#[tokio::test]
async fn connection_refused_is_a_connect_error() {
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let s = source(&format!("url = \"http://127.0.0.1:{port}/feed\""));
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "connect", "{e}");
    assert!(
        e.to_string().contains(&format!("127.0.0.1:{port}/feed")),
        "{e}"
    );
}

// ---------------------------------------------------------------- conditional GET

#[tokio::test]
async fn etag_is_sent_back_and_304_is_not_modified() {
    let server = Server::start();
    server.set(
        "/feed.xml",
        Reply::ok("application/rss+xml", RSS).with_header("ETag", "\"abc\""),
    );
    server.act("/feed.xml", Act::Conditional);
    let f = fetcher();
    let s = url_source(&server, "/feed.xml", "");
    let (_, validators) = document(fetch(&f, &s).await);
    assert_eq!(validators.etag.as_deref(), Some("\"abc\""));
    let again = f.fetch(&s, &validators, false, Reuse::Keep, now()).await;
    assert!(matches!(again, Ok(FetchOutcome::NotModified)), "{again:?}");
    let seen = server.requests_for("/feed.xml");
    assert_eq!(seen.len(), 2);
    assert_eq!(
        seen[1].headers.get("if-none-match").map(String::as_str),
        Some("\"abc\"")
    );
}

#[tokio::test]
async fn a_304_to_an_unconditional_request_is_an_error() {
    let server = Server::start();
    server.set("/feed.xml", Reply::status(304));
    let e = error(fetch(&fetcher(), &url_source(&server, "/feed.xml", "retries = 2")).await);
    assert_eq!(e.kind(), "http-304");
    assert_eq!(server.count("/feed.xml"), 1);
}

#[tokio::test]
async fn last_modified_is_sent_back_as_if_modified_since() {
    let server = Server::start();
    let lm = "Sun, 29 Nov 2026 09:00:00 GMT";
    server.set(
        "/feed.xml",
        Reply::ok("application/rss+xml", RSS).with_header("Last-Modified", lm),
    );
    server.act("/feed.xml", Act::Conditional);
    let f = fetcher();
    let s = url_source(&server, "/feed.xml", "");
    let stored = Validators {
        etag: None,
        last_modified: Some(lm.into()),
    };
    let outcome = f.fetch(&s, &stored, false, Reuse::Keep, now()).await;
    assert!(
        matches!(outcome, Ok(FetchOutcome::NotModified)),
        "{outcome:?}"
    );
    let seen = server.requests_for("/feed.xml");
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0].headers.get("if-modified-since").map(String::as_str),
        Some(lm)
    );
    // A changed document (different Last-Modified) comes back in full with the new validator.
    let newer = "Sun, 29 Nov 2026 11:00:00 GMT";
    server.set(
        "/feed.xml",
        Reply::ok("application/rss+xml", RSS).with_header("Last-Modified", newer),
    );
    let (_, v) = document(f.fetch(&s, &stored, false, Reuse::Keep, now()).await);
    assert_eq!(v.last_modified.as_deref(), Some(newer));
}

#[tokio::test]
async fn local_file_uses_its_mtime_as_validator() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.xml");
    std::fs::write(&path, RSS).unwrap();
    let s = source(&format!("path = \"{}\"", path.display()));
    let f = fetcher();
    let (doc, validators) = document(fetch(&f, &s).await);
    assert_eq!(doc.bytes, RSS.as_bytes());
    assert_eq!(doc.url.scheme(), "file");
    assert!(validators.last_modified.is_some());
    let again = f.fetch(&s, &validators, false, Reuse::Keep, now()).await;
    assert!(matches!(again, Ok(FetchOutcome::NotModified)), "{again:?}");
    // Rewritten (and longer): fetched again.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap();
    file.write_all(b"\n").unwrap();
    drop(file);
    let (doc, _) = document(f.fetch(&s, &validators, false, Reuse::Keep, now()).await);
    assert_eq!(doc.bytes.len(), RSS.len() + 1);
    // The size cap applies to files too.
    let small = source(&format!(
        "path = \"{}\"\nmax_body_size = \"10\"",
        path.display()
    ));
    assert_eq!(error(fetch(&f, &small).await).kind(), "too-large");
}

// ---------------------------------------------------------------- retries

#[tokio::test]
async fn a_500_then_200_is_retried() {
    let server = Server::start();
    server.sequence("/feed.xml", vec![Reply::status(500)]);
    server.set("/feed.xml", Reply::ok("application/rss+xml", RSS));
    let s = url_source(&server, "/feed.xml", "retries = 2");
    let (doc, _) = document(fetch(&fetcher(), &s).await);
    assert_eq!(doc.bytes, RSS.as_bytes());
    assert_eq!(server.count("/feed.xml"), 2);
}

#[tokio::test]
async fn a_lasting_500_is_tried_retries_plus_one_times() {
    let server = Server::start();
    server.set("/feed.xml", Reply::status(500));
    let s = url_source(&server, "/feed.xml", "retries = 2");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "http-500");
    assert!(e.to_string().contains(&server.url("/feed.xml")), "{e}");
    assert_eq!(server.count("/feed.xml"), 3);
}

#[tokio::test]
async fn a_404_is_not_retried() {
    let server = Server::start();
    let s = url_source(&server, "/gone.xml", "retries = 3");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "http-404");
    assert_eq!(server.count("/gone.xml"), 1);
}

#[tokio::test]
async fn a_429_without_retry_after_is_not_retried() {
    let server = Server::start();
    server.set("/feed.xml", Reply::status(429));
    let s = url_source(&server, "/feed.xml", "retries = 3");
    assert_eq!(error(fetch(&fetcher(), &s).await).kind(), "http-429");
    assert_eq!(server.count("/feed.xml"), 1);
}

// ---------------------------------------------------------------- timeouts and truncation

#[tokio::test]
async fn slow_headers_time_out_and_are_retried() {
    let server = Server::start();
    server.set("/slow", Reply::ok("application/rss+xml", RSS));
    server.act("/slow", Act::DelayHead(Duration::from_secs(3)));
    let s = url_source(&server, "/slow", "timeout = \"300ms\"\nretries = 1");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "timeout", "{e}");
    assert!(e.to_string().contains("/slow"), "{e}");
    assert_eq!(server.count("/slow"), 2);
}

#[tokio::test]
async fn a_body_stalling_halfway_times_out_with_no_partial_bytes() {
    let server = Server::start();
    server.set("/stall", Reply::ok("application/rss+xml", RSS.repeat(100)));
    server.act("/stall", Act::StallHalfway(Duration::from_secs(3)));
    let s = url_source(&server, "/stall", "timeout = \"500ms\"");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "timeout", "{e}");
    assert_eq!(server.count("/stall"), 1);
}

#[tokio::test]
async fn a_body_shorter_than_its_content_length_is_truncated() {
    let server = Server::start();
    server.set("/short", Reply::ok("application/rss+xml", RSS));
    server.act("/short", Act::ShortBody { extra: 100 });
    let s = url_source(&server, "/short", "retries = 1");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "truncated", "{e}");
    // transient: tried once more
    assert_eq!(server.count("/short"), 2);
}

#[tokio::test]
async fn a_truncated_gzip_stream_is_truncated() {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(RSS.repeat(50).as_bytes()).unwrap();
    let whole = gz.finish().unwrap();
    let cut = whole[..whole.len() / 2].to_vec();
    let server = Server::start();
    server.set(
        "/feed.xml.gz",
        Reply::ok("application/rss+xml", cut).with_header("Content-Encoding", "gzip"),
    );
    server.set(
        "/whole.gz",
        Reply::ok("application/rss+xml", whole).with_header("Content-Encoding", "gzip"),
    );
    let f = fetcher();
    let e = error(fetch(&f, &url_source(&server, "/feed.xml.gz", "")).await);
    assert_eq!(e.kind(), "truncated", "{e}");
    // the same stream whole decodes fine
    let (doc, _) = document(fetch(&f, &url_source(&server, "/whole.gz", "")).await);
    assert_eq!(doc.bytes, RSS.repeat(50).as_bytes());
}

// ---------------------------------------------------------------- size cap

#[tokio::test]
async fn a_declared_10_gib_body_is_refused_before_reading() {
    let server = Server::start();
    server.set("/huge", Reply::ok("application/rss+xml", ""));
    server.act("/huge", Act::DeclaredLength(10 << 30));
    let s = url_source(&server, "/huge", "retries = 2");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "too-large", "{e}");
    assert!(e.to_string().contains("10485760"), "{e}"); // the default 10 MiB limit
    assert_eq!(
        server.count("/huge"),
        1,
        "a too-large body is never retried"
    );
}

#[tokio::test]
async fn an_endless_body_is_cut_off_at_the_limit() {
    let server = Server::start();
    server.set("/endless", Reply::ok("application/rss+xml", ""));
    server.act("/endless", Act::Endless);
    let s = url_source(&server, "/endless", "max_body_size = \"1MiB\"\nretries = 2");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "too-large", "{e}");
    assert_eq!(server.count("/endless"), 1);
    // The server notices the hang-up; a generous deadline only guards against a hang.
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.bytes_sent("/endless") == 0 && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let sent = server.bytes_sent("/endless");
    assert!(sent > 0 && sent < 1 << 30, "server wrote {sent} bytes");
}

// ---------------------------------------------------------------- redirects

#[tokio::test]
async fn redirects_are_followed_and_the_final_url_reported() {
    let server = Server::start();
    server.set("/old", Reply::redirect(301, "/new"));
    server.set("/new", Reply::ok("application/rss+xml", RSS));
    let (doc, _) = document(fetch(&fetcher(), &url_source(&server, "/old", "")).await);
    assert_eq!(doc.url.as_str(), server.url("/new"));
}

#[tokio::test]
async fn a_redirect_loop_is_detected() {
    let server = Server::start();
    server.set("/a", Reply::redirect(302, "/b"));
    server.set("/b", Reply::redirect(302, "/a"));
    let e = error(fetch(&fetcher(), &url_source(&server, "/a", "retries = 2")).await);
    assert_eq!(e.kind(), "redirect-loop", "{e}");
    assert!(e.to_string().contains("/a"), "{e}");
    assert_eq!(server.count("/a"), 1);
    assert_eq!(server.count("/b"), 1);
}

#[tokio::test]
async fn more_than_ten_redirects_are_refused() {
    let server = Server::start();
    for i in 0..15 {
        server.set(
            &format!("/r{i}"),
            Reply::redirect(302, &format!("/r{}", i + 1)),
        );
    }
    let e = error(fetch(&fetcher(), &url_source(&server, "/r0", "")).await);
    assert_eq!(e.kind(), "too-many-redirects", "{e}");
    assert_eq!(server.count("/r10"), 1, "ten redirects are followed");
    assert_eq!(server.count("/r11"), 0);
}

#[tokio::test]
async fn a_redirect_to_ftp_is_refused() {
    let server = Server::start();
    server.set("/feed", Reply::redirect(302, "ftp://127.0.0.1/feed.xml"));
    let e = error(fetch(&fetcher(), &url_source(&server, "/feed", "")).await);
    assert_eq!(e.kind(), "bad-scheme", "{e}");
    assert!(e.to_string().contains("ftp://127.0.0.1/feed.xml"), "{e}");
}

// ---------------------------------------------------------------- Retry-After

#[tokio::test]
async fn a_short_retry_after_is_slept_once() {
    let server = Server::start();
    server.sequence(
        "/feed.xml",
        vec![Reply::status(429).with_header("Retry-After", "1")],
    );
    server.set("/feed.xml", Reply::ok("application/rss+xml", RSS));
    let start = Instant::now();
    let (doc, _) = document(fetch(&fetcher(), &url_source(&server, "/feed.xml", "")).await);
    assert_eq!(doc.bytes, RSS.as_bytes());
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.count("/feed.xml"), 2);
}

#[tokio::test]
async fn a_short_retry_after_is_honoured_only_once() {
    let server = Server::start();
    server.set(
        "/feed.xml",
        Reply::status(503).with_header("Retry-After", "0"),
    );
    let s = url_source(&server, "/feed.xml", "retries = 3");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "http-503");
    assert_eq!(server.count("/feed.xml"), 2);
}

#[tokio::test]
async fn a_long_retry_after_in_seconds_is_retry_later() {
    let server = Server::start();
    server.set(
        "/feed.xml",
        Reply::status(429).with_header("Retry-After", "120"),
    );
    let s = url_source(&server, "/feed.xml", "retries = 2");
    let e = error(fetch(&fetcher(), &s).await);
    assert_eq!(e.kind(), "retry-later", "{e}");
    assert_eq!(e.retry_at(), Some(now() + TimeDelta::seconds(120)));
    assert_eq!(server.count("/feed.xml"), 1, "not slept, not retried");
}

#[tokio::test]
async fn a_long_retry_after_as_a_date_is_retry_later() {
    let server = Server::start();
    server.set(
        "/feed.xml",
        Reply::status(503)
            .with_header("Date", "Mon, 30 Nov 2026 08:00:00 GMT")
            .with_header("Retry-After", "Mon, 30 Nov 2026 09:00:00 GMT"),
    );
    let e = error(fetch(&fetcher(), &url_source(&server, "/feed.xml", "retries = 2")).await);
    // measured from the server's Date, placed on the run's clock
    assert_eq!(e.retry_at(), Some(now() + TimeDelta::hours(1)));
    assert_eq!(server.count("/feed.xml"), 1);
}

// ---------------------------------------------------------------- robots.txt

const ROBOTS: &str = "User-agent: *\nDisallow: /\n\nUser-agent: feedwright\nDisallow: /private/\n";

#[tokio::test]
async fn robots_txt_disallows_a_scraped_page_and_is_fetched_once() {
    let server = Server::start();
    server.set("/robots.txt", Reply::ok("text/plain", ROBOTS));
    server.set("/private/page", Reply::ok("text/html", "<p>secret</p>"));
    server.set("/blog/", Reply::ok("text/html", "<p>posts</p>"));
    let f = fetcher();
    let private = url_source(&server, "/private/page", "");
    let e = error(
        f.fetch(&private, &Validators::default(), true, Reuse::Keep, now())
            .await,
    );
    assert_eq!(e.kind(), "robots-disallowed", "{e}");
    assert!(e.to_string().contains("/private/page"), "{e}");
    assert!(e.to_string().contains("`feedwright`"), "{e}");
    assert_eq!(server.count("/private/page"), 0);
    // our group (bare product token) applies, not `*`
    let blog = url_source(&server, "/blog/", "");
    document(
        f.fetch(&blog, &Validators::default(), true, Reuse::Keep, now())
            .await,
    );
    assert_eq!(
        server.count("/robots.txt"),
        1,
        "cached per host for the run"
    );
    // feeds are not checked
    document(
        f.fetch(&private, &Validators::default(), false, Reuse::Keep, now())
            .await,
    );
    // and a source may opt out
    let opted_out = url_source(&server, "/private/page", "respect_robots = false");
    document(
        f.fetch(&opted_out, &Validators::default(), true, Reuse::Keep, now())
            .await,
    );
    assert_eq!(server.count("/private/page"), 2);
    assert_eq!(server.count("/robots.txt"), 1);
    let robots_ua = &server.requests_for("/robots.txt")[0].headers["user-agent"];
    assert!(robots_ua.starts_with("feedwright/"), "{robots_ua}");
}

#[tokio::test]
async fn robots_txt_403_disallows_all_and_404_allows_all() {
    let forbidden = Server::start();
    forbidden.set("/robots.txt", Reply::status(403));
    forbidden.set("/page", Reply::ok("text/html", "<p>x</p>"));
    let f = fetcher();
    let e = error(
        f.fetch(
            &url_source(&forbidden, "/page", ""),
            &Validators::default(),
            true,
            Reuse::Keep,
            now(),
        )
        .await,
    );
    assert_eq!(e.kind(), "robots-disallowed");
    assert_eq!(forbidden.count("/page"), 0);

    let missing = Server::start();
    missing.set("/page", Reply::ok("text/html", "<p>x</p>"));
    document(
        f.fetch(
            &url_source(&missing, "/page", ""),
            &Validators::default(),
            true,
            Reuse::Keep,
            now(),
        )
        .await,
    );
    assert_eq!(missing.count("/robots.txt"), 1);
    assert_eq!(missing.count("/page"), 1);
}

// ---------------------------------------------------------------- per-host politeness

#[tokio::test]
async fn requests_to_one_host_are_spaced_by_host_delay() {
    let server = Server::start();
    server.set("/a", Reply::ok("application/rss+xml", RSS));
    server.set("/b", Reply::ok("application/rss+xml", RSS));
    let f = fetcher();
    let a = url_source(&server, "/a", "host_delay = \"300ms\"");
    let b = url_source(&server, "/b", "host_delay = \"300ms\"");
    let start = Instant::now();
    document(fetch(&f, &a).await);
    document(fetch(&f, &b).await);
    assert!(start.elapsed() >= Duration::from_millis(300));
    // concurrent fetches to the same host are serialised and spaced too
    let start = Instant::now();
    let (ra, rb) = tokio::join!(fetch(&f, &a), fetch(&f, &b));
    document(ra);
    document(rb);
    assert!(start.elapsed() >= Duration::from_millis(600));
    assert_eq!(server.count("/a") + server.count("/b"), 4);
}

// ---------------------------------------------------------------- proxy from the environment

/// Runs in a child process (the environment is process-wide): with `HTTP_PROXY` pointing at the
/// loopback server, a request for a host that does not exist reaches the server as a proxy
/// request.
#[tokio::test]
async fn http_proxy_from_the_environment_is_used() {
    if let Ok(expect) = std::env::var("FEEDWRIGHT_TEST_PROXY_CHILD") {
        let s = source("url = \"http://feeds.invalid/feed.xml\"");
        let (doc, _) = document(fetch(&fetcher(), &s).await);
        assert_eq!(String::from_utf8_lossy(&doc.bytes), expect);
        return;
    }
    let server = Server::start();
    server.set(
        "http://feeds.invalid/feed.xml",
        Reply::ok("application/rss+xml", "via proxy"),
    );
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([
        "--exact",
        "http_proxy_from_the_environment_is_used",
        "--nocapture",
    ])
    .env("FEEDWRIGHT_TEST_PROXY_CHILD", "via proxy")
    .env("HTTP_PROXY", format!("http://{}", server.addr));
    for var in [
        "http_proxy",
        "https_proxy",
        "HTTPS_PROXY",
        "all_proxy",
        "ALL_PROXY",
        "no_proxy",
        "NO_PROXY",
        "REQUEST_METHOD",
    ] {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "child failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(server.count("http://feeds.invalid/feed.xml"), 1);
}
