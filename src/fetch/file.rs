//! Local `path` sources: the file is read under the same size cap as a download, and its
//! modification time plays the part of HTTP validators, so an unchanged file is
//! [`FetchOutcome::NotModified`](super::FetchOutcome::NotModified) like an unchanged URL.
//!
//! The validators of a file are `last_modified` = its mtime as an HTTP date (whole seconds,
//! `Sun, 06 Nov 1994 08:49:37 GMT`), and `etag` = `"file-<size>-<mtime seconds>.<nanoseconds>"`,
//! which also catches a rewrite within the same second. A stored etag is compared when there is
//! one, else the stored `last_modified`.

use super::error::FetchError;
use super::{FetchOutcome, Fetched};
use crate::state::Validators;
use std::path::Path;
use std::time::UNIX_EPOCH;
use tokio::io::AsyncReadExt;

/// The validators describing a file's current version.
pub fn file_validators(meta: &std::fs::Metadata) -> Validators {
    let Ok(mtime) = meta.modified() else {
        return Validators::default();
    };
    let since = mtime.duration_since(UNIX_EPOCH).unwrap_or_default();
    Validators {
        etag: Some(format!(
            "\"file-{}-{}.{:09}\"",
            meta.len(),
            since.as_secs(),
            since.subsec_nanos()
        )),
        last_modified: Some(super::retry::format_http_date(mtime)),
    }
}

fn unchanged(stored: &Validators, current: &Validators) -> bool {
    match (&stored.etag, &stored.last_modified) {
        (Some(e), _) => current.etag.as_ref() == Some(e),
        (None, Some(lm)) => current.last_modified.as_ref() == Some(lm),
        (None, None) => false,
    }
}

/// Read `path` (at most `limit` bytes), or report it unchanged since `stored`.
pub async fn read_file(
    path: &Path,
    stored: &Validators,
    limit: u64,
) -> Result<FetchOutcome, FetchError> {
    let label = path.display().to_string();
    let io = |source| FetchError::File {
        path: label.clone(),
        source,
    };
    let file = tokio::fs::File::open(path).await.map_err(io)?;
    let meta = file.metadata().await.map_err(io)?;
    if meta.is_dir() {
        return Err(io(std::io::Error::other("is a folder, not a file")));
    }
    let validators = file_validators(&meta);
    if unchanged(stored, &validators) {
        return Ok(FetchOutcome::NotModified);
    }
    let too_large = || FetchError::TooLarge {
        url: label.clone(),
        limit,
    };
    if meta.len() > limit {
        return Err(too_large());
    }
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .await
        .map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(too_large());
    }
    let absolute = std::path::absolute(path).map_err(io)?;
    let url = url::Url::from_file_path(&absolute)
        .map_err(|()| io(std::io::Error::other("cannot be written as a file:// URL")))?;
    Ok(FetchOutcome::Fetched {
        document: Fetched {
            url,
            bytes,
            charset: None,
            content_type: None,
        },
        validators,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn unchanged_file_is_not_modified_and_cap_applies() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("feed.xml");
        std::fs::write(&p, b"<rss/>").unwrap();
        let FetchOutcome::Fetched {
            document,
            validators,
        } = read_file(&p, &Validators::default(), 100).await.unwrap()
        else {
            panic!("expected a document");
        };
        assert_eq!(document.bytes, b"<rss/>");
        assert_eq!(document.url.scheme(), "file");
        assert!(validators.etag.as_deref().unwrap().starts_with("\"file-6-"));
        assert!(
            validators
                .last_modified
                .as_deref()
                .unwrap()
                .ends_with(" GMT")
        );
        assert!(matches!(
            read_file(&p, &validators, 100).await.unwrap(),
            FetchOutcome::NotModified
        ));
        // only a last_modified stored (whole seconds): still recognised
        let lm_only = Validators {
            etag: None,
            last_modified: validators.last_modified.clone(),
        };
        assert!(matches!(
            read_file(&p, &lm_only, 100).await.unwrap(),
            FetchOutcome::NotModified
        ));
        let e = read_file(&p, &Validators::default(), 3).await.unwrap_err();
        assert_eq!(e.kind(), "too-large");
        let e = read_file(&dir.path().join("missing"), &Validators::default(), 3)
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "file");
        assert!(e.to_string().contains("missing"));
    }
}
