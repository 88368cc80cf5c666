//! Read-only HTTP for out/ (axum + tower-http's `ServeDir`): the feed media types readers
//! expect, strong `ETag` and `Last-Modified` with `304` on `If-None-Match`/`If-Modified-Since`,
//! gzip or brotli when the client accepts it, `HEAD`, and `/healthz`. `/` is `index.html`
//! when there is one; nothing is ever listed. Every request path is percent-decoded
//! repeatedly before anything else looks at it, and one with a `..` or dot-file segment (which
//! covers `.feedwright-tmp-*` files), a backslash or a NUL is answered `404`, as is any method
//! other than GET/HEAD (`405`). Used by `feedwright serve` and `feedwright daemon --serve`.

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

/// Why the server could not start or stopped.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("cannot listen on {addr}: {source} (is another server using it? pick another --addr)")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot create out_dir {path}: {source}")]
    OutDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Io(#[from] std::io::Error),
}

/// `Cache-Control` on served files: caches may keep them but must revalidate (cheap, thanks to
/// the validators), so a rebuilt feed is seen at once.
const CACHE_CONTROL: &str = "public, no-cache";

/// The media type of a published file, by its extension; `None` leaves ServeDir's guess.
pub fn media_type(path: &str) -> Option<&'static str> {
    let name = path.rsplit('/').next().unwrap_or(path);
    if name.is_empty() {
        // A folder: its index.html.
        return Some("text/html; charset=utf-8");
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase())?;
    Some(match ext.as_str() {
        "xml" => "application/rss+xml",
        "atom" => "application/atom+xml",
        "json" => "application/feed+json",
        "opml" => "text/x-opml",
        "html" | "htm" => "text/html; charset=utf-8",
        _ => return None,
    })
}

/// Whether a request path may be looked up in out/: after percent-decoding until nothing
/// changes (at most four rounds), no segment is `..`, `.` or a dot-file, and there is no
/// backslash or NUL. Anything else (including undecodable or too deeply encoded paths) is
/// refused.
pub fn is_safe_path(raw: &str) -> bool {
    let mut text = raw.to_string();
    for _ in 0..4 {
        if text.contains(['\\', '\0']) || text.split('/').any(|seg| seg.starts_with('.')) {
            return false;
        }
        let Some(decoded) = percent_decode(&text) else {
            return false;
        };
        if decoded == text {
            return true;
        }
        text = decoded;
    }
    false
}

/// Decode `%XX` escapes; `None` when the result is not UTF-8. A `%` not followed by two hex
/// digits stays as it is.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = |at: usize| bytes.get(at).and_then(|c| (*c as char).to_digit(16));
        match (b, hex(i + 1), hex(i + 2)) {
            (b'%', Some(hi), Some(lo)) => {
                out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'?'));
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// The HTTP application serving `out_dir`.
pub fn router(out_dir: &Path) -> Router {
    let files = ServeDir::new(out_dir)
        .append_index_html_on_directories(true)
        .redirect_to_trailing_slash(false);
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .fallback_service(files)
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(guard))
}

/// Refuse unsafe paths and non-GET methods; fix media types and cache headers of served files;
/// mark the ETag of a compressed body weak (its bytes differ from the file's), which
/// `If-None-Match` still matches.
async fn guard(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    if !is_safe_path(&path) {
        return (StatusCode::NOT_FOUND, "not found\n").into_response();
    }
    let method = request.method().clone();
    if method != axum::http::Method::GET && method != axum::http::Method::HEAD {
        let mut response = (StatusCode::METHOD_NOT_ALLOWED, "read-only\n").into_response();
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let mut response = next.run(request).await;
    if path == "/healthz" {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return response;
    }
    let status = response.status();
    let headers = response.headers_mut();
    if status.is_success() || status == StatusCode::NOT_MODIFIED {
        if status.is_success()
            && headers.contains_key(header::CONTENT_TYPE)
            && let Some(media) = media_type(&path)
        {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
        }
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(CACHE_CONTROL),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        if headers.contains_key(header::CONTENT_ENCODING)
            && let Some(etag) = headers.get(header::ETAG)
            && !etag.as_bytes().starts_with(b"W/")
        {
            let mut weak = b"W/".to_vec();
            weak.extend_from_slice(etag.as_bytes());
            if let Ok(value) = HeaderValue::from_bytes(&weak) {
                headers.insert(header::ETAG, value);
            }
        }
    }
    response
}

/// Bind `addr` (port 0 picks a free port; ask the listener for the real one).
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener, ServeError> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

/// Print the contract's readiness line for a bound listener.
pub fn announce(listener: &tokio::net::TcpListener) -> Result<SocketAddr, ServeError> {
    let addr = listener.local_addr()?;
    eprintln!("listening on http://{addr}");
    Ok(addr)
}

/// Serve `out_dir` on `listener` until `shutdown` completes, then finish open requests.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    out_dir: &Path,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), ServeError> {
    std::fs::create_dir_all(out_dir).map_err(|source| ServeError::OutDir {
        path: out_dir.to_path_buf(),
        source,
    })?;
    axum::serve(listener, router(out_dir))
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Resolves on the first SIGTERM or SIGINT (Ctrl-C).
pub async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match (
            signal(SignalKind::terminate()),
            signal(SignalKind::interrupt()),
        ) {
            (Ok(mut term), Ok(mut int)) => {
                tokio::select! {
                    _ = term.recv() => {}
                    _ = int.recv() => {}
                }
            }
            _ => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `feedwright serve`: serve the config's out_dir on `addr` until SIGTERM/SIGINT; exit 0.
pub fn serve_command(config: &crate::config::Config, addr: SocketAddr) -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let out_dir = config.settings.out_dir.clone();
    runtime.block_on(async move {
        // Handlers first, so a signal right after the readiness line is not fatal.
        let stop = tokio::spawn(stop_signal());
        let listener = bind(addr).await?;
        announce(&listener)?;
        tracing::info!("serving {} read-only", out_dir.display());
        serve_until(listener, &out_dir, async move {
            let _ = stop.await;
        })
        .await?;
        Ok::<(), anyhow::Error>(())
    })?;
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_by_extension() {
        assert_eq!(media_type("/all.xml"), Some("application/rss+xml"));
        assert_eq!(media_type("/all.atom"), Some("application/atom+xml"));
        assert_eq!(media_type("/all.json"), Some("application/feed+json"));
        assert_eq!(media_type("/sources.opml"), Some("text/x-opml"));
        assert_eq!(media_type("/index.html"), Some("text/html; charset=utf-8"));
        assert_eq!(media_type("/"), Some("text/html; charset=utf-8"));
        assert_eq!(media_type("/sources/a.ATOM"), Some("application/atom+xml"));
        assert_eq!(media_type("/robots.txt"), None);
        assert_eq!(media_type("/noext"), None);
    }

    #[test]
    fn traversal_and_dotfiles_are_unsafe() {
        for bad in [
            "/../feeds.toml",
            "/%2e%2e/feeds.toml",
            "/%2E%2E%2Ffeeds.toml",
            "/..%2ffeeds.toml",
            "/..%5cfeeds.toml",
            "/%252e%252e%252ffeeds.toml",
            "/%25252e%25252e/x",
            "/sources/../../x",
            "/.feedwright-tmp-abc",
            "/sources/.hidden",
            "/%2efeedwright-tmp-x",
            "/./all.xml",
            "/a%00.xml",
            "/%ff.xml",
        ] {
            assert!(!is_safe_path(bad), "{bad}");
        }
        for good in [
            "/",
            "/all.xml",
            "/sources/blog.atom",
            "/a%20b.xml",
            "/100%.xml",
        ] {
            assert!(is_safe_path(good), "{good}");
        }
    }
}
