//! Atomic, change-only writes into out/: a `.feedwright-tmp-*` file in the same folder, fsync,
//! rename; nothing at all when the bytes on disk are already the same (the file is not even
//! touched, so its mtime and any HTTP validators stay put). Stale temp files from a killed run
//! are swept at start. A file that is only a convenience (the status file, rebuilt by every
//! run) may skip the fsyncs: after a crash it is the old file or the new one (renamed), at
//! worst empty on filesystems that do not order the rename after the data.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path};

/// Prefix of every temp file this module creates; [`sweep_temp_files`] removes leftovers.
pub const TEMP_PREFIX: &str = ".feedwright-tmp-";

/// Write `bytes` to `dir/name` atomically unless the file already holds exactly these bytes.
/// `name` is a relative path without `..` (e.g. `news.xml` or `sources/blog.atom`); missing
/// folders are created. Returns whether the file was (re)written.
pub fn write_if_changed(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<bool> {
    write_if_changed_with(dir, name, bytes, Durability::Synced)
}

/// Whether a write waits for the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// fsync the file before the rename and its folder after (every file in out/).
    Synced,
    /// Rename without waiting for the disk (the status file: two fsyncs were a visible share
    /// of a run that changed nothing else).
    Unsynced,
}

/// [`write_if_changed`], choosing whether to wait for the disk.
pub fn write_if_changed_with(
    dir: &Path,
    name: &str,
    bytes: &[u8],
    durability: Durability,
) -> io::Result<bool> {
    let rel = Path::new(name);
    if name.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("output name {name:?} must be a relative path inside the output folder"),
        ));
    }
    let target = dir.join(rel);
    let parent = target.parent().unwrap_or(dir);
    match fs::read(&target) {
        Ok(existing) if existing == bytes => return Ok(false),
        Ok(_) => {}
        Err(e) if e.kind() == io::ErrorKind::NotFound => {}
        Err(e) => return Err(annotate(e, "read", &target)),
    }
    fs::create_dir_all(parent).map_err(|e| annotate(e, "create folder", parent))?;

    let mut builder = tempfile::Builder::new();
    builder.prefix(TEMP_PREFIX);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempfile creates 0600; published files are meant to be read (by a web server too).
        // Keep an existing file's mode, else the usual 0644 (the umask still applies).
        let mode = fs::metadata(&target)
            .map(|m| m.permissions().mode() & 0o7777)
            .unwrap_or(0o644);
        builder.permissions(fs::Permissions::from_mode(mode));
    }
    let mut tmp = builder
        .tempfile_in(parent)
        .map_err(|e| annotate(e, "create a temp file in", parent))?;
    let synced = durability == Durability::Synced;
    tmp.write_all(bytes)
        .and_then(|()| {
            if synced {
                tmp.as_file().sync_all()
            } else {
                Ok(())
            }
        })
        .map_err(|e| annotate(e, "write", tmp.path()))?;
    tmp.persist(&target)
        .map_err(|e| annotate(e.error, "rename a temp file over", &target))?;
    if synced {
        sync_dir(parent)?;
    }
    Ok(true)
}

/// Remove `.feedwright-tmp-*` files left in `dir` (and in `dir/sources/`) by an interrupted
/// run. A missing folder holds none. Returns how many were removed.
pub fn sweep_temp_files(dir: &Path) -> io::Result<usize> {
    let mut removed = sweep_one(dir)?;
    let sources = dir.join("sources");
    if sources.is_dir() {
        removed += sweep_one(&sources)?;
    }
    Ok(removed)
}

fn sweep_one(dir: &Path) -> io::Result<usize> {
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(annotate(e, "list", dir)),
    };
    let mut removed = 0;
    for entry in entries {
        let entry = entry.map_err(|e| annotate(e, "list", dir))?;
        let is_temp = entry.file_name().to_string_lossy().starts_with(TEMP_PREFIX);
        if is_temp && entry.file_type().is_ok_and(|t| t.is_file()) {
            match fs::remove_file(entry.path()) {
                Ok(()) => removed += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(annotate(e, "remove", &entry.path())),
            }
        }
    }
    Ok(removed)
}

/// Make a rename durable: fsync the folder that holds it (unix only; elsewhere a no-op).
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| annotate(e, "sync folder", dir))?;
    }
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

/// Keep the error kind, and say what was being done to which path.
fn annotate(e: io::Error, action: &str, path: &Path) -> io::Error {
    io::Error::new(e.kind(), format!("cannot {action} {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, SystemTime};

    #[test]
    fn writes_new_file_and_creates_folders() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        assert!(write_if_changed(&out, "a.xml", b"one").unwrap());
        assert!(write_if_changed(&out, "sources/s.atom", b"two").unwrap());
        assert_eq!(fs::read(out.join("a.xml")).unwrap(), b"one");
        assert_eq!(fs::read(out.join("sources/s.atom")).unwrap(), b"two");
        assert_eq!(temp_files(&out), 0);
        assert_eq!(temp_files(&out.join("sources")), 0);
    }

    #[test]
    fn same_bytes_leave_the_file_untouched() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        assert!(write_if_changed(dir, "a.json", b"{}").unwrap());
        let path = dir.join("a.json");
        let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
        assert!(!write_if_changed(dir, "a.json", b"{}").unwrap());
        assert_eq!(fs::metadata(&path).unwrap().modified().unwrap(), old);

        assert!(write_if_changed(dir, "a.json", b"{\"x\":1}").unwrap());
        assert_eq!(fs::read(&path).unwrap(), b"{\"x\":1}");
        assert_ne!(fs::metadata(&path).unwrap().modified().unwrap(), old);
    }

    #[test]
    fn unsynced_writes_follow_the_same_rules() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("state");
        let write = |bytes: &[u8]| {
            write_if_changed_with(&dir, "status.json", bytes, Durability::Unsynced).unwrap()
        };
        assert!(write(b"{}"), "a new file is written (its folder created)");
        assert!(!write(b"{}"), "the same bytes are not written again");
        assert!(write(b"{\"a\":1}"));
        assert_eq!(fs::read(dir.join("status.json")).unwrap(), b"{\"a\":1}");
        assert_eq!(temp_files(&dir), 0);
        assert!(write_if_changed_with(&dir, "../x", b"", Durability::Unsynced).is_err());
    }

    #[cfg(unix)]
    #[test]
    fn written_files_are_readable_and_keep_their_mode() {
        use std::os::unix::fs::PermissionsExt;
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        write_if_changed(dir, "a.xml", b"1").unwrap();
        // The same mode an ordinary create gets (0644 minus the umask), not tempfile's 0600.
        fs::write(dir.join("plain"), b"1").unwrap();
        let plain = fs::metadata(dir.join("plain"))
            .unwrap()
            .permissions()
            .mode();
        let mode = fs::metadata(dir.join("a.xml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, plain & 0o777);
        fs::set_permissions(dir.join("a.xml"), fs::Permissions::from_mode(0o640)).unwrap();
        write_if_changed(dir, "a.xml", b"2").unwrap();
        let mode = fs::metadata(dir.join("a.xml"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o640);
    }

    #[test]
    fn rejects_names_escaping_the_folder() {
        let tmp = tempfile::tempdir().unwrap();
        for bad in ["", "../x.xml", "/etc/x", "a/../../b"] {
            let err = write_if_changed(tmp.path(), bad, b"x").unwrap_err();
            assert_eq!(err.kind(), io::ErrorKind::InvalidInput, "{bad}");
        }
    }

    #[test]
    fn sweep_removes_only_temp_files() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        fs::create_dir(dir.join("sources")).unwrap();
        fs::write(dir.join(".feedwright-tmp-abc"), b"x").unwrap();
        fs::write(dir.join("sources/.feedwright-tmp-def"), b"x").unwrap();
        fs::write(dir.join("keep.xml"), b"x").unwrap();
        fs::write(dir.join(".other"), b"x").unwrap();
        assert_eq!(sweep_temp_files(dir).unwrap(), 2);
        assert!(dir.join("keep.xml").exists());
        assert!(dir.join(".other").exists());
        assert_eq!(temp_files(dir), 0);
        assert_eq!(sweep_temp_files(&dir.join("missing")).unwrap(), 0);
    }

    fn temp_files(dir: &Path) -> usize {
        fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .starts_with(TEMP_PREFIX)
            })
            .count()
    }
}
