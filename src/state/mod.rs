//! Persistent state in one SQLite file (WAL, versioned migrations): every item ever published
//! with its first- and last-seen times, tombstones of ids that aged out, HTTP validators per URL,
//! per-source health, robots.txt answers per host (with their freshness), a change number per
//! source (bumped whenever its stored items change) and what each output was last built from
//! (so unchanged outputs are not rebuilt). The rest of the program sees only [`State`]'s methods, so another
//! backend (PostgreSQL for several workers) can be put behind the same interface later.
//!
//! Every write transaction is `BEGIN IMMEDIATE`: a run may open a second connection for
//! robots.txt (written from fetch tasks; every stored record is read once at the start through
//! [`State::all_robots`]), and a deferred transaction that read first could not be upgraded
//! to a write after the other connection wrote (SQLite answers "database is locked" at once,
//! without waiting for `busy_timeout`).
//!
//! Closing does not checkpoint the write-ahead log (SQLite still does every 1,000 pages): the
//! state is the file *and* its `-wal` beside it, and a run that changed little pays no fsync
//! on exit.
//!
//! The item rules live here because they need history: an undated item keeps the time it was
//! first seen; a stored date is replaced only by a strictly more precise one; an item whose
//! content changes keeps its id and gets `updated`; an id that aged out never comes back as new.

use crate::model::{DatePrecision, Item, Stamp};
use chrono::{DateTime, TimeZone, Utc};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Schema migrations, applied in order; `PRAGMA user_version` records how many ran.
const MIGRATIONS: &[&str] = &[
    // 1: the first schema.
    "CREATE TABLE items (
        source_id    TEXT NOT NULL,
        id           TEXT NOT NULL,
        link         TEXT,
        data         TEXT NOT NULL,
        content_hash TEXT NOT NULL,
        first_seen   INTEGER NOT NULL,
        last_seen    INTEGER NOT NULL,
        sort_date    INTEGER NOT NULL,
        PRIMARY KEY (source_id, id)
    );
    CREATE INDEX items_by_date ON items (source_id, sort_date DESC);
    CREATE TABLE tombstones (
        source_id  TEXT NOT NULL,
        id         TEXT NOT NULL,
        created    INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        PRIMARY KEY (source_id, id)
    );
    CREATE TABLE validators (
        url           TEXT PRIMARY KEY,
        etag          TEXT,
        last_modified TEXT,
        stored        INTEGER NOT NULL
    );
    CREATE TABLE health (
        source_id            TEXT PRIMARY KEY,
        last_attempt         INTEGER,
        last_success         INTEGER,
        last_error_at        INTEGER,
        last_error           TEXT,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        next_due             INTEGER,
        last_reported        INTEGER,
        items_last_run       INTEGER NOT NULL DEFAULT 0
    );",
    // 2: what was read from post pages (auto sources, fulltext), so each page is fetched once.
    "CREATE TABLE post_cache (
        source_id  TEXT NOT NULL,
        id         TEXT NOT NULL,
        list_key   TEXT NOT NULL,
        data       TEXT NOT NULL,
        fetched    INTEGER NOT NULL,
        last_seen  INTEGER NOT NULL,
        PRIMARY KEY (source_id, id)
    );",
    // 3: a silent failure seen on the last successful read (a selector that matched nothing).
    "ALTER TABLE health ADD COLUMN last_warning TEXT;",
    // 4: which item ids each output has shown, so a same-story survivor that readers have
    // seen stays the survivor when another copy of the story arrives later.
    "CREATE TABLE published (
        feed_id         TEXT NOT NULL,
        id              TEXT NOT NULL,
        first_published INTEGER NOT NULL,
        PRIMARY KEY (feed_id, id)
    );",
    // 5: robots.txt per host between runs (its answer, validators and how long it stays fresh),
    // so a run asks a host for it at most once a day.
    "CREATE TABLE robots (
        url           TEXT PRIMARY KEY,
        status        INTEGER NOT NULL,
        body          BLOB NOT NULL,
        etag          TEXT,
        last_modified TEXT,
        fetched       INTEGER NOT NULL,
        expires       INTEGER NOT NULL
    );",
    // 6: what each output was last built from, so a run whose sources brought nothing new
    // rebuilds nothing: a change number per source (bumped whenever its stored items change),
    // and per output the fingerprint of its inputs, until when it holds (items ageing out),
    // what it showed (item count, newest date: for the index) and its files as written.
    "CREATE TABLE changes (
        source_id TEXT PRIMARY KEY,
        seq       INTEGER NOT NULL
    );
    CREATE TABLE outputs (
        name        TEXT PRIMARY KEY,
        fingerprint TEXT NOT NULL,
        valid_until INTEGER,
        items       INTEGER NOT NULL,
        updated     INTEGER,
        files       TEXT NOT NULL
    );",
    // 7: whether an item's date fell back to when it was first seen, kept beside its JSON so
    // `status` counts undated items without decoding every stored item.
    "ALTER TABLE items ADD COLUMN undated INTEGER NOT NULL DEFAULT 0;
    UPDATE items SET undated = (COALESCE(
        json_extract(data, '$.published.precision'),
        json_extract(data, '$.updated.precision'),
        'first_seen') = 'first_seen');",
    // 8: `status` counts every source's items and undated items from an index: `undated` was
    // added after the item's JSON, so reading it from the table walks each large row's
    // overflow pages (most of a warm run's status time).
    "CREATE INDEX items_undated ON items (source_id, undated);",
];

/// Post-cache rows not seen on their source for this long are dropped.
const POST_CACHE_DAYS: i64 = 90;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state file {path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error(
        "state file {path} was written by a newer feedwright (schema {found}, this one knows {known})"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: usize,
    },
}

/// HTTP validators stored for one URL.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validators {
    pub etag: Option<String>,
    pub last_modified: Option<String>,
}

impl Validators {
    /// Whether a request with these validators is conditional (may be answered 304).
    pub fn is_conditional(&self) -> bool {
        self.etag.is_some() || self.last_modified.is_some()
    }
}

/// One source's health record.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Health {
    pub source_id: String,
    pub last_attempt: Option<DateTime<Utc>>,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error_at: Option<DateTime<Utc>>,
    pub last_error: Option<String>,
    pub consecutive_failures: u32,
    pub next_due: Option<DateTime<Utc>>,
    /// When a failure was last reported on stderr (failures are reported at most once a day).
    pub last_reported: Option<DateTime<Utc>>,
    pub items_last_run: u32,
    /// A problem of the last successful read that did not fail it (an html field selector
    /// that matched nothing); shown as a warning by `status`.
    pub last_warning: Option<String>,
}

/// A robots.txt answer kept between runs (see [`crate::fetch::robots`]): the status and body
/// (2xx only; empty otherwise), the validators for a conditional re-check, when it was fetched
/// (or last confirmed by a 304) and until when it is used without asking again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RobotsRecord {
    pub status: u16,
    pub body: Vec<u8>,
    pub validators: Validators,
    pub fetched: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

/// What an output was last built from (migration 6): see [`State::output`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OutputRecord {
    /// A digest of everything the output's bytes depend on (config, change numbers, version).
    pub fingerprint: String,
    /// The output may change by itself at this time (an item ageing out); `None`: never.
    pub valid_until: Option<DateTime<Utc>>,
    /// How many items it showed and its newest date (for the index page).
    pub items: usize,
    pub updated: Option<DateTime<Utc>>,
    /// Its files as written: (name in out/, size, modification time in ns since the epoch).
    pub files: Vec<(String, u64, i128)>,
}

/// What storing one source's fresh items did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoreReport {
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Seen again after being pruned: not published again.
    pub tombstoned: usize,
}

/// What was read from one post page (an auto source's post, a fulltext article): the item id,
/// what the list page said about it when it was read (`list_key`; a different one means the
/// post changed and is read again), and the extracted fields as the app serialised them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CachedPost {
    pub id: String,
    pub list_key: String,
    pub data: String,
}

/// How many items to keep per source, and for how long.
#[derive(Debug, Clone, Copy)]
pub struct Retention {
    pub max_items: usize,
    pub max_age: Option<std::time::Duration>,
}

/// `(source, stored items, undated items)` for every source with stored items; answered from
/// the `items_undated` index (migration 8).
const ITEM_COUNTS_SQL: &str =
    "SELECT source_id, COUNT(*), COALESCE(SUM(undated), 0) FROM items GROUP BY source_id";

pub struct State {
    conn: Connection,
    path: PathBuf,
}

fn ts(t: DateTime<Utc>) -> i64 {
    t.timestamp()
}

fn from_ts(v: Option<i64>) -> Option<DateTime<Utc>> {
    v.and_then(|s| Utc.timestamp_opt(s, 0).single())
}

/// What an item says, for telling a real upstream change from a re-fetch.
fn content_hash(item: &Item) -> String {
    let mut h = Sha256::new();
    for part in [
        item.title.as_deref(),
        item.link.as_deref(),
        item.summary.as_deref(),
        item.content.as_deref(),
    ] {
        h.update(part.unwrap_or("").as_bytes());
        h.update([0]);
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(24);
    for b in h.finalize().iter().take(12) {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

impl State {
    /// Open (creating if needed) the state file, migrate it, and switch on WAL.
    pub fn open(path: &Path) -> Result<State, StateError> {
        let err = sqlite_err(path);
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            let _ = std::fs::create_dir_all(parent);
        }
        let mut conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(err)?;
        // Every statement a run repeats stays prepared (the default keeps 16).
        conn.set_prepared_statement_cache_capacity(64);
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        // No checkpoint when the last connection closes: SQLite's own (every 1,000 pages of
        // log, during a commit) is enough. Checkpointing on close wrote the run's few pages
        // back and waited for two fsyncs on every run, the largest share of the time a run that
        // changed nothing spent after its last request. The `-wal` file beside the state stays,
        // and is part of it (copy the state with `sqlite3 … .backup`, or both files).
        conn.set_db_config(
            rusqlite::config::DbConfig::SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE,
            true,
        )
        .map_err(err)?;
        let version: i64 = conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version > MIGRATIONS.len() as i64 {
            return Err(StateError::TooNew {
                path: path.to_path_buf(),
                found: version,
                known: MIGRATIONS.len(),
            });
        }
        if version == 0 {
            // Set before the first table exists, so freed pages can be given back later.
            conn.pragma_update(None, "auto_vacuum", "INCREMENTAL")
                .map_err(err)?;
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version.max(0) as usize) {
            let tx = conn
                .transaction_with_behavior(TransactionBehavior::Immediate)
                .map_err(err)?;
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", (i + 1) as i64)
                .map_err(err)?;
            tx.commit().map_err(err)?;
        }
        Ok(State {
            conn,
            path: path.to_path_buf(),
        })
    }

    fn err(&self, source: rusqlite::Error) -> StateError {
        sqlite_err(&self.path)(source)
    }

    pub fn validators(&self, url: &str) -> Result<Validators, StateError> {
        cached_query_row(
            &self.conn,
            "SELECT etag, last_modified FROM validators WHERE url = ?1",
            [url],
            |r| {
                Ok(Validators {
                    etag: r.get(0)?,
                    last_modified: r.get(1)?,
                })
            },
        )
        .optional()
        .map(Option::unwrap_or_default)
        .map_err(|e| self.err(e))
    }

    pub fn set_validators(
        &self,
        url: &str,
        v: &Validators,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        if v.etag.is_none() && v.last_modified.is_none() {
            cached_execute(&self.conn, "DELETE FROM validators WHERE url = ?1", [url])
                .map_err(|e| self.err(e))?;
            return Ok(());
        }
        cached_execute(
            &self.conn,
            "INSERT INTO validators (url, etag, last_modified, stored) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(url) DO UPDATE SET etag = ?2, last_modified = ?3, stored = ?4",
            params![url, v.etag, v.last_modified, ts(now)],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// The robots.txt stored for `url` (a `scheme://host:port/robots.txt` URL), if any.
    pub fn robots(&self, url: &str) -> Result<Option<RobotsRecord>, StateError> {
        cached_query_row(
            &self.conn,
            "SELECT status, body, etag, last_modified, fetched, expires FROM robots WHERE url = ?1",
            [url],
            |r| {
                Ok(RobotsRecord {
                    status: r.get(0)?,
                    body: r.get(1)?,
                    validators: Validators {
                        etag: r.get(2)?,
                        last_modified: r.get(3)?,
                    },
                    fetched: from_ts(r.get(4)?).unwrap_or_default(),
                    expires: from_ts(r.get(5)?).unwrap_or_default(),
                })
            },
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// Every stored robots.txt record, by URL, in one query (a run reads them all at its start
    /// instead of one query per host). A record whose body is longer than `max_body` bytes comes
    /// back as `None` (its body is not read): look it up with [`State::robots`] when needed.
    pub fn all_robots(
        &self,
        max_body: usize,
    ) -> Result<Vec<(String, Option<RobotsRecord>)>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT url, status, CASE WHEN length(body) <= ?1 THEN body END, etag,
                        last_modified, fetched, expires FROM robots",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([i64::try_from(max_body).unwrap_or(i64::MAX)], |r| {
                let url: String = r.get(0)?;
                let body: Option<Vec<u8>> = r.get(2)?;
                let record = match body {
                    None => None,
                    Some(body) => Some(RobotsRecord {
                        status: r.get(1)?,
                        body,
                        validators: Validators {
                            etag: r.get(3)?,
                            last_modified: r.get(4)?,
                        },
                        fetched: from_ts(r.get(5)?).unwrap_or_default(),
                        expires: from_ts(r.get(6)?).unwrap_or_default(),
                    }),
                };
                Ok((url, record))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Store (or replace) the robots.txt record for `url`, and drop records that expired more
    /// than 30 days ago (hosts no source uses any more), so the table stays bounded.
    pub fn set_robots(&self, url: &str, record: &RobotsRecord) -> Result<(), StateError> {
        cached_execute(
            &self.conn,
            "INSERT INTO robots (url, status, body, etag, last_modified, fetched, expires)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT(url) DO UPDATE SET status = ?2, body = ?3, etag = ?4,
                    last_modified = ?5, fetched = ?6, expires = ?7",
            params![
                url,
                record.status,
                record.body,
                record.validators.etag,
                record.validators.last_modified,
                ts(record.fetched),
                ts(record.expires),
            ],
        )
        .map_err(|e| self.err(e))?;
        cached_execute(
            &self.conn,
            "DELETE FROM robots WHERE expires < ?1",
            [ts(record.fetched) - 30 * 86_400],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Store the items a source yields now. New items get `first_seen = now` (and, when undated,
    /// that as their date); known items keep their first-seen time and any stored date at least as
    /// precise as the new one; a changed item keeps its id and gets `updated`; ids that aged out
    /// (tombstones) are not stored again.
    pub fn store_items(
        &mut self,
        source_id: &str,
        fresh: &[Item],
        now: DateTime<Utc>,
    ) -> Result<StoreReport, StateError> {
        let err = sqlite_err(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let mut report = StoreReport::default();
        let mut touched = false;
        // A source with nothing stored and no tombstones (its first read) has nothing to look
        // up per item: one query instead of two per item. Ids stored earlier in this call are
        // still looked up (a page can list a post twice).
        let first_read: bool = cached_query_row(
            &tx,
            "SELECT NOT EXISTS(SELECT 1 FROM items WHERE source_id = ?1)
                AND NOT EXISTS(SELECT 1 FROM tombstones WHERE source_id = ?1)",
            [source_id],
            |r| r.get(0),
        )
        .map_err(err)?;
        let mut stored_now: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for item in fresh {
            let look_up = !first_read || stored_now.contains(item.id.as_str());
            let tomb: Option<i64> = if look_up {
                cached_query_row(
                    &tx,
                    "SELECT created FROM tombstones WHERE source_id = ?1 AND id = ?2",
                    params![source_id, item.id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(err)?
            } else {
                None
            };
            if tomb.is_some() {
                cached_execute(
                    &tx,
                    "UPDATE tombstones SET last_seen = ?3 WHERE source_id = ?1 AND id = ?2",
                    params![source_id, item.id, ts(now)],
                )
                .map_err(err)?;
                report.tombstoned += 1;
                continue;
            }
            let stored: Option<(String, String, i64, i64)> = if look_up {
                cached_query_row(
                    &tx,
                    "SELECT data, content_hash, first_seen, sort_date FROM items
                     WHERE source_id = ?1 AND id = ?2",
                    params![source_id, item.id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
                )
                .optional()
                .map_err(err)?
            } else {
                None
            };
            let before = stored.as_ref().map(|s| (s.0.clone(), s.3));
            let hash = content_hash(item);
            let (merged, first_seen) = match stored {
                None => {
                    report.new += 1;
                    let mut it = item.clone();
                    date_undated(&mut it, now);
                    (it, ts(now))
                }
                Some((data, old_hash, first_seen, _)) => {
                    let old: Option<Item> = serde_json::from_str(&data).ok();
                    let first = from_ts(Some(first_seen)).unwrap_or(now);
                    let mut it = item.clone();
                    match old {
                        Some(old) => {
                            it.published = keep_more_precise(old.published, it.published, first);
                            if old_hash == hash {
                                report.unchanged += 1;
                                it.updated = it.updated.or(old.updated);
                            } else {
                                report.changed += 1;
                                if it.updated.is_none() || it.updated == old.updated {
                                    it.updated = Some(Stamp {
                                        utc: now,
                                        offset_secs: 0,
                                        precision: DatePrecision::FirstSeen,
                                    });
                                }
                            }
                        }
                        None => {
                            report.changed += 1;
                            date_undated(&mut it, first);
                        }
                    }
                    (it, first_seen)
                }
            };
            let data = serde_json::to_string(&merged).unwrap_or_default();
            let sort = merged.sort_date().map(ts).unwrap_or(first_seen);
            if before
                .as_ref()
                .is_some_and(|(d, s)| *d == data && *s == sort)
            {
                // Nothing an output shows changed: only remember that it was seen.
                cached_execute(
                    &tx,
                    "UPDATE items SET last_seen = ?3 WHERE source_id = ?1 AND id = ?2",
                    params![source_id, merged.id, ts(now)],
                )
                .map_err(err)?;
                continue;
            }
            touched = true;
            let undated = merged
                .published
                .as_ref()
                .or(merged.updated.as_ref())
                .is_none_or(|s| s.precision == DatePrecision::FirstSeen);
            cached_execute(&tx, "INSERT INTO items (source_id, id, link, data, content_hash, first_seen, last_seen, sort_date, undated)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT(source_id, id) DO UPDATE SET link = ?3, data = ?4, content_hash = ?5,
                    last_seen = ?7, sort_date = ?8, undated = ?9",
                params![source_id, merged.id, merged.link, data, hash, first_seen, ts(now), sort, undated],
            )
            .map_err(err)?;
            if first_read {
                stored_now.insert(item.id.as_str());
            }
        }
        if touched {
            mark_changed(&tx, source_id).map_err(err)?;
        }
        tx.commit().map_err(err)?;
        Ok(report)
    }

    /// A source's stored items, newest first, within `retention` (items beyond it are not
    /// returned; [`State::prune`] turns them into tombstones).
    pub fn items_of(
        &self,
        source_id: &str,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<Vec<Item>, StateError> {
        let mut out = Vec::new();
        self.scan_items(source_id, retention, now, |_, data| {
            if let Ok(item) = serde_json::from_str::<Item>(data) {
                out.push(item);
            }
            true
        })?;
        Ok(out)
    }

    /// Visit a source's stored items within `retention`, newest first (sort date, then id), as
    /// (sort date in seconds, JSON); stops when `visit` returns false. Nothing is decoded
    /// here, so a caller can skip rows cheaply and memory stays at one row.
    pub fn scan_items(
        &self,
        source_id: &str,
        retention: Retention,
        now: DateTime<Utc>,
        mut visit: impl FnMut(i64, &str) -> bool,
    ) -> Result<(), StateError> {
        let (min_date, limit) = retention_bounds(retention, now);
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT sort_date, data FROM items WHERE source_id = ?1 AND sort_date >= ?2
                 ORDER BY sort_date DESC, id ASC LIMIT ?3",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params![source_id, min_date, limit])
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            let sort: i64 = row.get(0).map_err(|e| self.err(e))?;
            let data = row.get_ref(1).map_err(|e| self.err(e))?;
            let data = data.as_str().map_err(|e| self.err(e.into()))?;
            if !visit(sort, data) {
                break;
            }
        }
        Ok(())
    }

    /// The sort dates (seconds) of the rows [`State::scan_items`] would visit for this source,
    /// newest first, read from the `(source_id, sort_date)` index alone (no row, no JSON).
    pub fn sort_dates(
        &self,
        source_id: &str,
        retention: Retention,
        now: DateTime<Utc>,
        out: &mut Vec<i64>,
    ) -> Result<(), StateError> {
        let (min_date, limit) = retention_bounds(retention, now);
        // Ties are ordered by id in `scan_items`; which of two equal dates falls inside the
        // limit does not change the dates read.
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT sort_date FROM items WHERE source_id = ?1 AND sort_date >= ?2
                 ORDER BY sort_date DESC LIMIT ?3",
            )
            .map_err(|e| self.err(e))?;
        let mut rows = stmt
            .query(params![source_id, min_date, limit])
            .map_err(|e| self.err(e))?;
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            out.push(row.get(0).map_err(|e| self.err(e))?);
        }
        Ok(())
    }

    /// Every source's change number (see migration 6): it grows whenever the source's stored
    /// items change (new, changed, retired or forgotten items).
    pub fn change_numbers(&self) -> Result<std::collections::HashMap<String, i64>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT source_id, seq FROM changes")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// What output `name` was last built from, if it was.
    pub fn output(&self, name: &str) -> Result<Option<OutputRecord>, StateError> {
        cached_query_row(
            &self.conn,
            "SELECT fingerprint, valid_until, items, updated, files FROM outputs WHERE name = ?1",
            [name],
            |r| {
                let files: String = r.get(4)?;
                Ok(OutputRecord {
                    fingerprint: r.get(0)?,
                    valid_until: from_ts(r.get(1)?),
                    items: r.get::<_, i64>(2)?.try_into().unwrap_or(0),
                    updated: from_ts(r.get(3)?),
                    files: serde_json::from_str(&files).unwrap_or_default(),
                })
            },
        )
        .optional()
        .map_err(|e| self.err(e))
    }

    /// The names of every output with a record, sorted.
    pub fn output_names(&self) -> Result<Vec<String>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT name FROM outputs ORDER BY name")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Drop the record of output `name` (its feed is gone from the configuration).
    pub fn forget_output(&self, name: &str) -> Result<(), StateError> {
        cached_execute(&self.conn, "DELETE FROM outputs WHERE name = ?1", [name])
            .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// Remember what output `name` was built from.
    pub fn set_output(&self, name: &str, record: &OutputRecord) -> Result<(), StateError> {
        let files = serde_json::to_string(&record.files).unwrap_or_default();
        cached_execute(
            &self.conn,
            "INSERT INTO outputs (name, fingerprint, valid_until, items, updated, files)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT(name) DO UPDATE SET fingerprint = ?2, valid_until = ?3, items = ?4,
                    updated = ?5, files = ?6",
            params![
                name,
                record.fingerprint,
                record.valid_until.map(ts),
                i64::try_from(record.items).unwrap_or(i64::MAX),
                record.updated.map(ts),
                files
            ],
        )
        .map_err(|e| self.err(e))?;
        Ok(())
    }

    /// For `status`: per source that has stored items, by source id, how many items are stored
    /// and how many of them are undated (their date fell back to the time they were first
    /// seen), in one query answered from the `items_undated` index, not the rows.
    pub fn all_item_counts(&self) -> Result<HashMap<String, (u64, u64)>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached(ITEM_COUNTS_SQL)
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    (
                        u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
                        u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
                    ),
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Whether anything is stored for this source.
    pub fn has_items(&self, source_id: &str) -> Result<bool, StateError> {
        cached_query_row(
            &self.conn,
            "SELECT EXISTS(SELECT 1 FROM items WHERE source_id = ?1)",
            [source_id],
            |r| r.get(0),
        )
        .map_err(|e| self.err(e))
    }

    /// Move items beyond `retention` into tombstones, drop tombstones not seen for a year, and
    /// give freed pages back to the file system. Returns how many items were retired.
    pub fn prune(
        &mut self,
        source_id: &str,
        retention: Retention,
        now: DateTime<Utc>,
    ) -> Result<usize, StateError> {
        let (min_date, limit) = retention_bounds(retention, now);
        // Most reads retire nothing: when the source has at most `limit` items and none older
        // than `min_date` (one look at the `items_by_date` index), skip listing its ids.
        let (count, oldest): (i64, Option<i64>) = cached_query_row(
            &self.conn,
            "SELECT COUNT(*), MIN(sort_date) FROM items WHERE source_id = ?1",
            [source_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(|e| self.err(e))?;
        if count <= limit && oldest.is_none_or(|d| d >= min_date) {
            cached_execute(
                &self.conn,
                "DELETE FROM tombstones WHERE last_seen < ?1",
                [ts(now) - 366 * 86_400],
            )
            .map_err(|e| self.err(e))?;
            return Ok(0);
        }
        let kept: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare_cached(
                    "SELECT id FROM items WHERE source_id = ?1 AND sort_date >= ?2
                     ORDER BY sort_date DESC, id ASC LIMIT ?3",
                )
                .map_err(|e| self.err(e))?;
            let rows = stmt
                .query_map(params![source_id, min_date, limit], |r| r.get(0))
                .map_err(|e| self.err(e))?;
            rows.collect::<Result<_, _>>().map_err(|e| self.err(e))?
        };
        let err = sqlite_err(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let all: Vec<String> = {
            let mut stmt = tx
                .prepare("SELECT id FROM items WHERE source_id = ?1")
                .map_err(err)?;
            let rows = stmt
                .query_map([source_id], |r| r.get::<_, String>(0))
                .map_err(err)?;
            rows.collect::<Result<_, _>>().map_err(err)?
        };
        let keep: std::collections::HashSet<&String> = kept.iter().collect();
        let mut retired = 0;
        for id in all.iter().filter(|id| !keep.contains(id)) {
            cached_execute(&tx, "INSERT OR IGNORE INTO tombstones (source_id, id, created, last_seen) VALUES (?1, ?2, ?3, ?3)",
                params![source_id, id, ts(now)],
            )
            .map_err(err)?;
            cached_execute(
                &tx,
                "DELETE FROM items WHERE source_id = ?1 AND id = ?2",
                params![source_id, id],
            )
            .map_err(err)?;
            retired += 1;
        }
        if retired > 0 {
            mark_changed(&tx, source_id).map_err(err)?;
        }
        cached_execute(
            &tx,
            "DELETE FROM tombstones WHERE last_seen < ?1",
            [ts(now) - 366 * 86_400],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        if retired > 0 {
            let _ = self.conn.execute_batch("PRAGMA incremental_vacuum;");
        }
        Ok(retired)
    }

    /// Drop a source's items, tombstones and health, and the validators of `urls`, so the
    /// next run reads it afresh.
    pub fn forget(&mut self, source_id: &str, urls: &[String]) -> Result<usize, StateError> {
        let err = sqlite_err(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let n = cached_execute(&tx, "DELETE FROM items WHERE source_id = ?1", [source_id])
            .map_err(err)?;
        cached_execute(
            &tx,
            "DELETE FROM tombstones WHERE source_id = ?1",
            [source_id],
        )
        .map_err(err)?;
        cached_execute(&tx, "DELETE FROM health WHERE source_id = ?1", [source_id]).map_err(err)?;
        cached_execute(
            &tx,
            "DELETE FROM post_cache WHERE source_id = ?1",
            [source_id],
        )
        .map_err(err)?;
        for u in urls {
            cached_execute(&tx, "DELETE FROM validators WHERE url = ?1", [u]).map_err(err)?;
        }
        mark_changed(&tx, source_id).map_err(err)?;
        tx.commit().map_err(err)?;
        let _ = self.conn.execute_batch("PRAGMA incremental_vacuum;");
        Ok(n)
    }

    /// A source's post cache, by item id.
    pub fn cached_posts(
        &self,
        source_id: &str,
    ) -> Result<std::collections::HashMap<String, CachedPost>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, list_key, data FROM post_cache WHERE source_id = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([source_id], |r| {
                Ok(CachedPost {
                    id: r.get(0)?,
                    list_key: r.get(1)?,
                    data: r.get(2)?,
                })
            })
            .map_err(|e| self.err(e))?;
        let mut out = std::collections::HashMap::new();
        for row in rows {
            let post = row.map_err(|e| self.err(e))?;
            out.insert(post.id.clone(), post);
        }
        Ok(out)
    }

    /// Store freshly read posts, mark the `seen` ids as still listed, and drop rows of this
    /// source not seen for [`POST_CACHE_DAYS`] days.
    pub fn store_posts(
        &mut self,
        source_id: &str,
        fresh: &[CachedPost],
        seen: &[String],
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let err = sqlite_err(&self.path);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        for p in fresh {
            cached_execute(
                &tx,
                "INSERT INTO post_cache (source_id, id, list_key, data, fetched, last_seen)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?5)
                 ON CONFLICT(source_id, id) DO UPDATE SET list_key = ?3, data = ?4, fetched = ?5,
                    last_seen = ?5",
                params![source_id, p.id, p.list_key, p.data, ts(now)],
            )
            .map_err(err)?;
        }
        for id in seen {
            cached_execute(
                &tx,
                "UPDATE post_cache SET last_seen = ?3 WHERE source_id = ?1 AND id = ?2",
                params![source_id, id, ts(now)],
            )
            .map_err(err)?;
        }
        cached_execute(
            &tx,
            "DELETE FROM post_cache WHERE source_id = ?1 AND last_seen < ?2",
            params![source_id, ts(now) - POST_CACHE_DAYS * 86_400],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(())
    }

    pub fn health(&self, source_id: &str) -> Result<Health, StateError> {
        cached_query_row(
            &self.conn,
            "SELECT source_id, last_attempt, last_success, last_error_at, last_error,
                        consecutive_failures, next_due, last_reported, items_last_run, last_warning
                 FROM health WHERE source_id = ?1",
            [source_id],
            health_row,
        )
        .optional()
        .map(|h| {
            h.unwrap_or_else(|| Health {
                source_id: source_id.to_string(),
                ..Health::default()
            })
        })
        .map_err(|e| self.err(e))
    }

    /// Every source's health record, by source id: one query where a run would otherwise ask
    /// once per source.
    pub fn all_health(&self) -> Result<HashMap<String, Health>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT source_id, last_attempt, last_success, last_error_at, last_error,
                        consecutive_failures, next_due, last_reported, items_last_run, last_warning
                 FROM health",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt.query_map([], health_row).map_err(|e| self.err(e))?;
        rows.map(|h| h.map(|h| (h.source_id.clone(), h)))
            .collect::<Result<_, _>>()
            .map_err(|e| self.err(e))
    }

    /// Every stored pair of validators, by URL (see [`State::validators`]).
    pub fn all_validators(&self) -> Result<HashMap<String, Validators>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT url, etag, last_modified FROM validators")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Validators {
                        etag: r.get(1)?,
                        last_modified: r.get(2)?,
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    pub fn set_health(&self, h: &Health) -> Result<(), StateError> {
        upsert_health(&self.conn, h).map_err(|e| self.err(e))
    }

    /// Store several health records in one write transaction: a run batches the records of
    /// the sources it read instead of committing one per source.
    pub fn set_healths(&self, hs: &[Health]) -> Result<(), StateError> {
        if hs.is_empty() {
            return Ok(());
        }
        let err = sqlite_err(&self.path);
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(err)?;
        for h in hs {
            upsert_health(&tx, h).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// The item ids an output has shown (see migration 4).
    pub fn published_ids(
        &self,
        feed_id: &str,
    ) -> Result<std::collections::HashSet<String>, StateError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id FROM published WHERE feed_id = ?1")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([feed_id], |r| r.get::<_, String>(0))
            .map_err(|e| self.err(e))?;
        rows.collect::<Result<_, _>>().map_err(|e| self.err(e))
    }

    /// Remember that an output showed these ids (first time only), and forget ids shown more
    /// than a year and a day ago, so the table stays bounded.
    pub fn record_published<'a>(
        &self,
        feed_id: &str,
        ids: impl IntoIterator<Item = &'a str>,
        now: DateTime<Utc>,
    ) -> Result<(), StateError> {
        let err = sqlite_err(&self.path);
        let tx = rusqlite::Transaction::new_unchecked(&self.conn, TransactionBehavior::Immediate)
            .map_err(err)?;
        for id in ids {
            cached_execute(&tx, "INSERT OR IGNORE INTO published (feed_id, id, first_published) VALUES (?1, ?2, ?3)",
                params![feed_id, id, ts(now)],
            )
            .map_err(err)?;
        }
        cached_execute(
            &tx,
            "DELETE FROM published WHERE feed_id = ?1 AND first_published < ?2",
            params![feed_id, ts(now) - 366 * 86_400],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        Ok(())
    }
}

/// The oldest sort date and the row limit of a retention.
fn retention_bounds(retention: Retention, now: DateTime<Utc>) -> (i64, i64) {
    let min_date = retention
        .max_age
        .and_then(|a| chrono::Duration::from_std(a).ok())
        .and_then(|a| now.checked_sub_signed(a))
        .map(ts)
        .unwrap_or(i64::MIN);
    let limit = i64::try_from(retention.max_items).unwrap_or(i64::MAX);
    (min_date, limit)
}

/// [`Connection::query_row`] through the statement cache (parsing SQL was a visible share of
/// a run's CPU: several statements per source).
fn cached_query_row<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.prepare_cached(sql)?.query_row(params, f)
}

/// [`Connection::execute`] through the statement cache.
fn cached_execute<P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
) -> rusqlite::Result<usize> {
    conn.prepare_cached(sql)?.execute(params)
}

/// Give `source_id` the next change number.
fn mark_changed(conn: &Connection, source_id: &str) -> rusqlite::Result<()> {
    cached_execute(
        conn,
        "INSERT INTO changes (source_id, seq) VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM changes))
         ON CONFLICT(source_id) DO UPDATE SET seq = excluded.seq",
        [source_id],
    )?;
    Ok(())
}

/// An item with no date takes `at` (its first-seen time) with precision `first seen`.
fn date_undated(item: &mut Item, at: DateTime<Utc>) {
    match item.published {
        Some(s) if s.precision == DatePrecision::FirstSeen => {
            item.published = Some(Stamp::first_seen(at))
        }
        None if item.updated.is_none() => item.published = Some(Stamp::first_seen(at)),
        _ => {}
    }
}

/// The contract's rule: a stored date is replaced only by a strictly more precise one. A fresh
/// first-seen date becomes the stored first-seen time.
fn keep_more_precise(
    stored: Option<Stamp>,
    fresh: Option<Stamp>,
    first_seen: DateTime<Utc>,
) -> Option<Stamp> {
    match (stored, fresh) {
        (Some(s), Some(f)) if f.precision > s.precision => Some(f),
        (Some(s), _) => Some(s),
        (None, Some(f)) if f.precision == DatePrecision::FirstSeen => {
            Some(Stamp::first_seen(first_seen))
        }
        (None, f) => f,
    }
}

/// An SQLite error, naming the state file. A closure, because a method holding a transaction
/// (which borrows the connection) cannot call [`State::err`].
fn sqlite_err(path: &Path) -> impl Fn(rusqlite::Error) -> StateError + Copy + '_ {
    move |source| StateError::Sqlite {
        path: path.to_path_buf(),
        source,
    }
}

fn upsert_health(conn: &Connection, h: &Health) -> rusqlite::Result<()> {
    cached_execute(
        conn,
        "INSERT INTO health (source_id, last_attempt, last_success, last_error_at, last_error,
                consecutive_failures, next_due, last_reported, items_last_run, last_warning)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
             ON CONFLICT(source_id) DO UPDATE SET last_attempt = ?2, last_success = ?3,
                last_error_at = ?4, last_error = ?5, consecutive_failures = ?6, next_due = ?7,
                last_reported = ?8, items_last_run = ?9, last_warning = ?10",
        params![
            h.source_id,
            h.last_attempt.map(ts),
            h.last_success.map(ts),
            h.last_error_at.map(ts),
            h.last_error,
            h.consecutive_failures,
            h.next_due.map(ts),
            h.last_reported.map(ts),
            h.items_last_run,
            h.last_warning,
        ],
    )
    .map(|_| ())
}

fn health_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Health> {
    Ok(Health {
        source_id: r.get(0)?,
        last_attempt: from_ts(r.get(1)?),
        last_success: from_ts(r.get(2)?),
        last_error_at: from_ts(r.get(3)?),
        last_error: r.get(4)?,
        consecutive_failures: r.get(5)?,
        next_due: from_ts(r.get(6)?),
        last_reported: from_ts(r.get(7)?),
        items_last_run: r.get(8)?,
        last_warning: r.get(9)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 29, h, 0, 0).unwrap()
    }

    fn item(id: &str, title: &str, published: Option<Stamp>) -> Item {
        Item {
            id: id.into(),
            source_ids: vec!["s".into()],
            title: Some(title.into()),
            published,
            ..Item::default()
        }
    }

    /// Items `i0`…`i{n-1}`, item `i` published exactly at `at(i)`.
    fn dated_items(n: u32) -> Vec<Item> {
        (0..n)
            .map(|i| {
                item(
                    &format!("i{i}"),
                    "t",
                    Some(Stamp::exact(at(i).fixed_offset())),
                )
            })
            .collect()
    }

    const KEEP: Retention = Retention {
        max_items: 100,
        max_age: None,
    };

    #[test]
    fn the_undated_column_agrees_with_the_stored_dates_and_is_backfilled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut st = State::open(&path).unwrap();
        let dated = Stamp {
            utc: at(1),
            offset_secs: 0,
            precision: DatePrecision::DateOnly,
        };
        st.store_items(
            "s",
            &[
                item("a", "dated", Some(dated)),
                item("b", "undated", None),
                item("c", "undated too", None),
            ],
            at(5),
        )
        .unwrap();
        assert_eq!(counts_of(&st, "s"), (3, 2));
        // The page later gives "c" a date: it is no longer undated.
        st.store_items(
            "s",
            &[
                item("a", "dated", Some(dated)),
                item("b", "undated", None),
                item("c", "undated too", Some(dated)),
            ],
            at(6),
        )
        .unwrap();
        assert_eq!(counts_of(&st, "s"), (3, 1));
        // A state written before migration 7: the column is filled from the JSON.
        st.conn
            .execute_batch(
                "DROP INDEX items_undated; ALTER TABLE items DROP COLUMN undated;
                 PRAGMA user_version = 6;",
            )
            .unwrap();
        drop(st);
        let st = State::open(&path).unwrap();
        assert_eq!(counts_of(&st, "s"), (3, 1));
    }

    /// A source's `(stored, undated)` counts as `status` reads them.
    fn counts_of(st: &State, source_id: &str) -> (u64, u64) {
        st.all_item_counts().unwrap()[source_id]
    }

    #[test]
    fn closing_leaves_the_log_to_the_next_open() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let wal = dir.path().join("s.db-wal");
        let h = Health {
            source_id: "a".into(),
            last_attempt: Some(at(1)),
            ..Health::default()
        };
        let st = State::open(&path).unwrap();
        st.set_healths(std::slice::from_ref(&h)).unwrap();
        drop(st);
        // No checkpoint on close: the write is still in the log, not copied into the file.
        let logged = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
        assert!(logged > 0, "the log was checkpointed and removed on close");
        let st = State::open(&path).unwrap();
        assert_eq!(st.health("a").unwrap(), h);
        // SQLite's own checkpoint still folds it into the file.
        st.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        drop(st);
        let st = State::open(&path).unwrap();
        assert_eq!(st.health("a").unwrap(), h);
    }

    #[test]
    fn item_counts_of_every_source_in_one_query_from_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let dated = Stamp {
            utc: at(1),
            offset_secs: 0,
            precision: DatePrecision::Exact,
        };
        st.store_items(
            "a",
            &[item("1", "one", Some(dated)), item("2", "two", None)],
            at(5),
        )
        .unwrap();
        st.store_items("b", &[item("1", "one", None)], at(5))
            .unwrap();
        let all = st.all_item_counts().unwrap();
        assert_eq!(all.len(), 2, "a source with no items has no entry");
        assert_eq!(all["a"], (2, 1));
        assert_eq!(all["b"], (1, 1));
        // The counts come from the index, never from the rows (whose JSON comes first).
        let plan: Vec<String> = st
            .conn
            .prepare(&format!("EXPLAIN QUERY PLAN {ITEM_COUNTS_SQL}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter()
                .any(|p| p.contains("COVERING INDEX items_undated")),
            "{plan:?}"
        );
    }

    #[test]
    fn health_and_validators_read_and_written_in_bulk() {
        let dir = tempfile::tempdir().unwrap();
        let st = State::open(&dir.path().join("s.db")).unwrap();
        let a = Health {
            source_id: "a".into(),
            last_attempt: Some(at(1)),
            consecutive_failures: 2,
            last_error: Some("timeout: x".into()),
            ..Health::default()
        };
        let b = Health {
            source_id: "b".into(),
            last_success: Some(at(2)),
            next_due: Some(at(3)),
            ..Health::default()
        };
        st.set_healths(&[a.clone(), b.clone()]).unwrap();
        st.set_healths(&[]).unwrap();
        let all = st.all_health().unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(all["a"], a);
        assert_eq!(all["b"], st.health("b").unwrap());
        let v = Validators {
            etag: Some("\"e\"".into()),
            last_modified: None,
        };
        st.set_validators("http://x.test/", &v, at(1)).unwrap();
        let all = st.all_validators().unwrap();
        assert_eq!(all.len(), 1);
        assert_eq!(
            all["http://x.test/"],
            st.validators("http://x.test/").unwrap()
        );
        assert_eq!(all["http://x.test/"].etag.as_deref(), Some("\"e\""));
    }

    #[test]
    fn undated_items_keep_their_first_seen_time() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let first = item("a", "A", Some(Stamp::first_seen(at(1))));
        assert_eq!(st.store_items("s", &[first], at(1)).unwrap().new, 1);
        let again = item("a", "A", Some(Stamp::first_seen(at(5))));
        let r = st.store_items("s", &[again], at(5)).unwrap();
        assert_eq!(r.unchanged, 1);
        let items = st.items_of("s", KEEP, at(5)).unwrap();
        assert_eq!(items[0].published, Some(Stamp::first_seen(at(1))));
        assert_eq!(items[0].updated, None);
    }

    #[test]
    fn dates_only_get_more_precise_and_changes_set_updated() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let day = Stamp {
            utc: at(0),
            offset_secs: 0,
            precision: DatePrecision::DateOnly,
        };
        let relative = Stamp {
            utc: at(3),
            offset_secs: 0,
            precision: DatePrecision::Relative,
        };
        st.store_items("s", &[item("a", "A", Some(day))], at(1))
            .unwrap();
        st.store_items("s", &[item("a", "A", Some(relative))], at(2))
            .unwrap();
        assert_eq!(
            st.items_of("s", KEEP, at(2)).unwrap()[0].published,
            Some(day)
        );
        let exact = Stamp::exact(at(7).fixed_offset());
        let r = st
            .store_items("s", &[item("a", "A edited", Some(exact))], at(8))
            .unwrap();
        assert_eq!(r.changed, 1);
        let stored = &st.items_of("s", KEEP, at(8)).unwrap()[0];
        assert_eq!(stored.published, Some(exact));
        assert_eq!(stored.updated.map(|u| u.utc), Some(at(8)));
        assert_eq!(stored.title.as_deref(), Some("A edited"));
    }

    #[test]
    fn pruned_ids_never_come_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let items = dated_items(5);
        st.store_items("s", &items, at(10)).unwrap();
        let keep2 = Retention {
            max_items: 2,
            max_age: None,
        };
        assert_eq!(st.prune("s", keep2, at(10)).unwrap(), 3);
        let r = st.store_items("s", &items, at(11)).unwrap();
        assert_eq!((r.tombstoned, r.unchanged), (3, 2));
        let ids: Vec<_> = st
            .items_of("s", KEEP, at(11))
            .unwrap()
            .into_iter()
            .map(|i| i.id)
            .collect();
        assert_eq!(ids, ["i4", "i3"]);
    }

    #[test]
    fn a_first_read_listing_a_post_twice_stores_it_once() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let a = item("a", "A", None);
        let r = st
            .store_items("s", &[a.clone(), item("b", "B", None), a], at(1))
            .unwrap();
        assert_eq!((r.new, r.unchanged, r.changed), (2, 1, 0));
        assert_eq!(st.items_of("s", KEEP, at(1)).unwrap().len(), 2);
        // Another source's first read is not confused by what "s" holds.
        let r = st.store_items("t", &[item("a", "A", None)], at(1)).unwrap();
        assert_eq!(r.new, 1);
    }

    #[test]
    fn pruning_that_retires_nothing_still_drops_year_old_tombstones() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let items = dated_items(3);
        st.store_items("s", &items, at(10)).unwrap();
        let keep2 = Retention {
            max_items: 2,
            max_age: None,
        };
        assert_eq!(st.prune("s", keep2, at(10)).unwrap(), 1);
        // Within the limit and the age: nothing retired, the tombstone stays.
        assert_eq!(st.prune("s", keep2, at(11)).unwrap(), 0);
        let tombs = |st: &State| -> i64 {
            st.conn
                .query_row("SELECT COUNT(*) FROM tombstones", [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(tombs(&st), 1);
        // A max_age that the oldest item is past retires it.
        let young = Retention {
            max_items: 100,
            max_age: Some(std::time::Duration::from_secs(3600 * 5)),
        };
        assert_eq!(st.prune("s", young, at(7)).unwrap(), 1);
        // A year later the tombstones go, even when nothing is retired.
        let later = at(12) + chrono::Duration::days(367);
        assert_eq!(st.prune("s", KEEP, later).unwrap(), 0);
        assert_eq!(tombs(&st), 0);
    }

    #[test]
    fn post_cache_round_trip_and_forget() {
        let dir = tempfile::tempdir().unwrap();
        let mut st = State::open(&dir.path().join("s.db")).unwrap();
        let post = CachedPost {
            id: "https://x.test/post/a".into(),
            list_key: "A".into(),
            data: "{}".into(),
        };
        st.store_posts("s", std::slice::from_ref(&post), &[], at(1))
            .unwrap();
        assert_eq!(st.cached_posts("s").unwrap().get(&post.id), Some(&post));
        assert!(st.cached_posts("other").unwrap().is_empty());
        // Still listed 100 days later: kept; not listed for 90 days: dropped.
        let later = at(1) + chrono::Duration::days(100);
        st.store_posts("s", &[], std::slice::from_ref(&post.id), later)
            .unwrap();
        assert_eq!(st.cached_posts("s").unwrap().len(), 1);
        st.store_posts("s", &[], &[], later + chrono::Duration::days(91))
            .unwrap();
        assert!(st.cached_posts("s").unwrap().is_empty());
        st.store_posts("s", &[post], &[], at(2)).unwrap();
        st.forget("s", &[]).unwrap();
        assert!(st.cached_posts("s").unwrap().is_empty());
    }

    #[test]
    fn validators_health_and_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        {
            let st = State::open(&path).unwrap();
            let v = Validators {
                etag: Some("\"x\"".into()),
                last_modified: None,
            };
            st.set_validators("http://a/", &v, at(1)).unwrap();
            let h = Health {
                source_id: "s".into(),
                consecutive_failures: 3,
                last_error: Some("HTTP 500".into()),
                next_due: Some(at(4)),
                ..Health::default()
            };
            st.set_health(&h).unwrap();
        }
        let mut st = State::open(&path).unwrap();
        assert_eq!(
            st.validators("http://a/").unwrap().etag.as_deref(),
            Some("\"x\"")
        );
        assert_eq!(st.health("s").unwrap().consecutive_failures, 3);
        assert_eq!(st.health("nobody").unwrap().consecutive_failures, 0);
        st.forget("s", &["http://a/".into()]).unwrap();
        assert_eq!(st.validators("http://a/").unwrap(), Validators::default());
    }

    /// A run writes robots.txt records through a second connection while the run loop stores
    /// items: the loop's read-then-write transactions must wait for the other writer, not fail
    /// with "database is locked" (which deferred transactions did at once).
    #[test]
    fn writes_wait_for_a_second_connection_instead_of_failing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.db");
        let mut st = State::open(&path).unwrap();
        let other = State::open(&path).unwrap();
        let writer = std::thread::spawn(move || {
            for n in 0..300 {
                let record = RobotsRecord {
                    status: 200,
                    body: format!("User-agent: *\nDisallow: /{n}\n").into_bytes(),
                    validators: Validators::default(),
                    fetched: at(1),
                    expires: at(2),
                };
                other
                    .set_robots(&format!("http://h{n}/robots.txt"), &record)
                    .unwrap();
            }
        });
        for n in 0..150 {
            let items = [item(&format!("i{n}"), "t", Some(Stamp::first_seen(at(1))))];
            st.store_items("s", &items, at(1)).unwrap();
            st.prune("s", KEEP, at(1)).unwrap();
        }
        writer.join().unwrap();
        assert!(st.robots("http://h299/robots.txt").unwrap().is_some());
    }

    #[test]
    fn a_version_1_state_gains_last_warning_and_keeps_its_health() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.db");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.pragma_update(None, "user_version", 1).unwrap();
            conn.execute(
                "INSERT INTO health (source_id, consecutive_failures, items_last_run) VALUES ('s', 2, 7)",
                [],
            )
            .unwrap();
        }
        let st = State::open(&path).unwrap();
        let h = st.health("s").unwrap();
        assert_eq!((h.consecutive_failures, h.items_last_run), (2, 7));
        assert_eq!(h.last_warning, None);
        st.set_health(&Health {
            last_warning: Some("date selector `x` matched nothing".into()),
            ..h
        })
        .unwrap();
        drop(st);
        let st = State::open(&path).unwrap();
        assert_eq!(
            st.health("s").unwrap().last_warning.as_deref(),
            Some("date selector `x` matched nothing")
        );
    }
}
