//! Handing out a run's `concurrency` slots host by host, so that waiting for a host never
//! holds a slot. Sources are grouped into *lanes*, one per host (scheme, name and port, as
//! [`crate::fetch::host`] keys them; a local file is a lane of its own). A lane runs one source
//! at a time; when it finishes, the lane's next source becomes eligible only after the lane's
//! `host_delay`, and meanwhile the slot goes to another host. Lanes take turns round-robin (a
//! lane that had its turn goes to the back), so one big host does not starve the others.
//!
//! Pure bookkeeping over [`Instant`]s: the run loop asks [`Lanes::next`] for work whenever it
//! has a free slot and reports [`Lanes::done`] when a source finishes. The fetcher's host
//! limiter still enforces the delay on every request (this only keeps slots from waiting).
//!
//! Also here: [`StateRobots`], the state as the fetcher's robots.txt store.

use crate::config::{Location, SourceConfig};
use crate::state::{RobotsRecord, State, StateError};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet, VecDeque};
use std::time::Duration;
use tokio::time::Instant;

/// The lane of a source: its URL's host, or the source itself for a local file.
pub fn lane_key(source: &SourceConfig) -> String {
    match &source.location {
        Location::Url(url) => crate::fetch::host::host_key(url),
        Location::Path(_) => format!("file:{}", source.id),
    }
}

/// robots.txt answers kept in the state. All stored records are read in one query when the
/// run starts ([`StateRobots::new`]) and served from memory, so a warm run asks SQLite nothing
/// per host (and a fetch task never waits on a lock held over a query). Writes, and records too
/// big to keep in memory (over [`MEMORY_BODY_MAX`] each, or past [`MEMORY_BUDGET`] in all), go
/// through a connection of the store's own (fetch tasks run beside the run loop, which holds the
/// main one), opened the first time one is needed. A failing read or write only costs a request
/// next time, so errors are logged and swallowed.
pub struct StateRobots {
    path: std::path::PathBuf,
    memory: std::sync::Mutex<RobotsMemory>,
    state: std::sync::Mutex<Option<State>>,
}

/// A robots.txt body longer than this is read from the state when needed, not kept in memory.
pub const MEMORY_BODY_MAX: usize = 16 * 1024;
/// At most this many body bytes are kept in memory; further records are read when needed.
pub const MEMORY_BUDGET: usize = 4 * 1024 * 1024;

/// The stored records known to the run: in memory, or only on disk (read on demand). A URL in
/// neither has no stored record.
#[derive(Default)]
struct RobotsMemory {
    records: HashMap<String, RobotsRecord>,
    on_disk: HashSet<String>,
    bytes: usize,
}

impl RobotsMemory {
    fn keep(&mut self, url: String, record: Option<RobotsRecord>) {
        if let Some(old) = self.records.remove(&url) {
            self.bytes -= old.body.len();
        }
        match record {
            Some(r)
                if r.body.len() <= MEMORY_BODY_MAX
                    && self.bytes + r.body.len() <= MEMORY_BUDGET =>
            {
                self.bytes += r.body.len();
                self.on_disk.remove(&url);
                self.records.insert(url, r);
            }
            _ => {
                self.on_disk.insert(url);
            }
        }
    }
}

impl StateRobots {
    /// The store for a run over the state at `path`, with every stored record read through
    /// `state` (the run's own connection) now.
    pub fn new(path: &std::path::Path, state: &State) -> Result<StateRobots, StateError> {
        let mut memory = RobotsMemory::default();
        for (url, record) in state.all_robots(MEMORY_BODY_MAX)? {
            memory.keep(url, record);
        }
        Ok(StateRobots {
            path: path.to_path_buf(),
            memory: std::sync::Mutex::new(memory),
            state: std::sync::Mutex::new(None),
        })
    }

    /// Whether the robots.txt of `url`'s host is in memory and fresh at `now` (no request and
    /// no write will be needed for it).
    pub fn fresh_in_memory(&self, url: &url::Url, now: chrono::DateTime<chrono::Utc>) -> bool {
        let Some(robots) = crate::fetch::robots::robots_url(url) else {
            return true;
        };
        let memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        memory
            .records
            .get(robots.as_str())
            .is_some_and(|r| r.expires > now)
    }

    /// Open the store's own connection now rather than on the first write (which then does
    /// not wait for it beside the run's own writes).
    pub fn connect(&self) {
        self.with_state(|_| ());
    }

    /// Run `f` on the store's own connection, opening it the first time.
    fn with_state<R>(&self, f: impl FnOnce(&State) -> R) -> Option<R> {
        let mut state = self.state.lock().unwrap_or_else(|p| p.into_inner());
        if state.is_none() {
            match State::open(&self.path) {
                Ok(s) => *state = Some(s),
                Err(e) => {
                    tracing::warn!("cannot open the state for robots.txt: {e}");
                    return None;
                }
            }
        }
        state.as_ref().map(f)
    }
}

impl crate::fetch::robots::RobotsStore for StateRobots {
    fn load(&self, robots_url: &str) -> Option<RobotsRecord> {
        {
            let memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(record) = memory.records.get(robots_url) {
                return Some(record.clone());
            }
            if !memory.on_disk.contains(robots_url) {
                return None;
            }
        }
        self.with_state(|state| state.robots(robots_url))?
            .map_err(|e| tracing::debug!("{e}"))
            .ok()
            .flatten()
    }

    fn save(&self, robots_url: &str, record: &RobotsRecord) {
        let saved = self.with_state(|state| state.set_robots(robots_url, record));
        if let Some(Err(e)) = saved {
            tracing::warn!("cannot keep robots.txt of {robots_url}: {e}");
        }
        // (a body too big to keep is only marked as stored: no point copying it)
        let copy = (record.body.len() <= MEMORY_BODY_MAX).then(|| record.clone());
        let mut memory = self.memory.lock().unwrap_or_else(|p| p.into_inner());
        memory.keep(robots_url.to_string(), copy);
    }
}

/// What to do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next<T> {
    /// Start this (from lane `.0`); report [`Lanes::done`] for that lane when it finishes.
    Start(usize, T),
    /// Nothing is eligible before this time (lanes in their delay).
    WaitUntil(Instant),
    /// Every lane with work left has a source running: wait for one to finish.
    Busy,
    /// Nothing left to start or waiting.
    Done,
}

struct Lane<T> {
    items: VecDeque<T>,
    delay: Duration,
}

/// The lanes of one run.
pub struct Lanes<T> {
    lanes: Vec<Lane<T>>,
    /// Lanes that may start now, in turn order.
    ready: VecDeque<usize>,
    /// Lanes in their delay, by the time they may start again.
    resting: BinaryHeap<Reverse<(Instant, usize)>>,
    /// Lanes with a source running.
    running: usize,
}

impl<T> Lanes<T> {
    /// Lanes from `(host key, that host's delay, item)` in order: items of one key keep their
    /// order, lanes are first served in the order their key first appears. A lane's delay is
    /// the longest one given for its key.
    pub fn new(items: impl IntoIterator<Item = (String, Duration, T)>) -> Lanes<T> {
        let mut by_key: HashMap<String, usize> = HashMap::new();
        let mut lanes: Vec<Lane<T>> = Vec::new();
        for (key, delay, item) in items {
            let at = *by_key.entry(key).or_insert_with(|| {
                lanes.push(Lane {
                    items: VecDeque::new(),
                    delay,
                });
                lanes.len() - 1
            });
            if let Some(lane) = lanes.get_mut(at) {
                lane.delay = lane.delay.max(delay);
                lane.items.push_back(item);
            }
        }
        Lanes {
            ready: (0..lanes.len()).collect(),
            lanes,
            resting: BinaryHeap::new(),
            running: 0,
        }
    }

    /// The next source to start at `now`, or why there is none.
    pub fn next(&mut self, now: Instant) -> Next<T> {
        while let Some(Reverse((at, lane))) = self.resting.peek().copied() {
            if at > now {
                break;
            }
            self.resting.pop();
            self.ready.push_back(lane);
        }
        while let Some(lane) = self.ready.pop_front() {
            if let Some(item) = self.lanes.get_mut(lane).and_then(|l| l.items.pop_front()) {
                self.running += 1;
                return Next::Start(lane, item);
            }
        }
        match self.resting.peek() {
            Some(Reverse((at, _))) => Next::WaitUntil(*at),
            None if self.running > 0 => Next::Busy,
            None => Next::Done,
        }
    }

    /// Whether lane `lane` has no source left to start (its running one is its last).
    pub fn is_empty(&self, lane: usize) -> bool {
        self.lanes.get(lane).is_none_or(|l| l.items.is_empty())
    }

    /// Lane `lane`'s source finished at `now`: its next one (if any) may start after its delay.
    pub fn done(&mut self, lane: usize, now: Instant) {
        self.running = self.running.saturating_sub(1);
        if let Some(l) = self.lanes.get(lane).filter(|l| !l.items.is_empty()) {
            self.resting.push(Reverse((now + l.delay, lane)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    fn record(status: u16, body: &[u8], etag: &str) -> RobotsRecord {
        // whole seconds, as the state keeps them
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        RobotsRecord {
            status,
            body: body.to_vec(),
            validators: crate::state::Validators {
                etag: Some(etag.to_string()),
                last_modified: None,
            },
            fetched: now,
            expires: now + chrono::Duration::hours(24),
        }
    }

    /// Records read at the start serve the run from memory: no query, no second connection.
    #[test]
    fn stored_robots_are_served_from_memory() {
        use crate::fetch::robots::RobotsStore;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let state = State::open(&path).unwrap();
        let a = record(200, b"User-agent: *\nDisallow: /x\n", "\"a\"");
        let b = record(404, b"", "\"b\"");
        state.set_robots("http://a/robots.txt", &a).unwrap();
        state.set_robots("http://b/robots.txt", &b).unwrap();
        let store = StateRobots::new(&path, &state).unwrap();
        assert_eq!(store.load("http://a/robots.txt"), Some(a.clone()));
        assert_eq!(
            store.load("http://a/robots.txt"),
            Some(a.clone()),
            "asked twice"
        );
        assert_eq!(store.load("http://b/robots.txt"), Some(b));
        assert_eq!(store.load("http://c/robots.txt"), None);
        assert!(
            store.state.lock().unwrap().is_none(),
            "no connection opened"
        );
        let page = |u: &str| url::Url::parse(u).unwrap();
        let before = a.expires - chrono::Duration::hours(1);
        assert!(store.fresh_in_memory(&page("http://a/x/y"), before));
        assert!(
            !store.fresh_in_memory(&page("http://a/x/y"), a.expires),
            "stale"
        );
        assert!(
            !store.fresh_in_memory(&page("http://c/"), before),
            "none stored"
        );
        store.connect();
        assert!(store.state.lock().unwrap().is_some());
    }

    /// A body too big to keep in memory is read from the state when asked for; what is saved
    /// during the run is stored and served from then on.
    #[test]
    fn big_and_saved_robots_come_from_the_state() {
        use crate::fetch::robots::RobotsStore;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.db");
        let state = State::open(&path).unwrap();
        let big = record(200, &vec![b'#'; MEMORY_BODY_MAX + 1], "\"big\"");
        state.set_robots("http://big/robots.txt", &big).unwrap();
        let store = StateRobots::new(&path, &state).unwrap();
        assert!(store.memory.lock().unwrap().records.is_empty());
        assert_eq!(store.load("http://big/robots.txt"), Some(big));

        let fresh = record(200, b"User-agent: *\nAllow: /\n", "\"new\"");
        store.save("http://new/robots.txt", &fresh);
        assert_eq!(store.load("http://new/robots.txt"), Some(fresh.clone()));
        let huge = record(200, &vec![b'#'; MEMORY_BODY_MAX * 2], "\"huge\"");
        store.save("http://new/robots.txt", &huge);
        assert_eq!(store.load("http://new/robots.txt"), Some(huge.clone()));
        assert_eq!(state.robots("http://new/robots.txt").unwrap(), Some(huge));
    }

    #[test]
    fn a_host_in_its_delay_does_not_hold_back_other_hosts() {
        let t0 = Instant::now();
        let mut lanes = Lanes::new([
            ("a".to_string(), secs(5), "a1"),
            ("a".to_string(), secs(5), "a2"),
            ("b".to_string(), secs(5), "b1"),
            ("c".to_string(), secs(5), "c1"),
        ]);
        assert_eq!(lanes.next(t0), Next::Start(0, "a1"));
        assert!(!lanes.is_empty(0), "a2 is still to come");
        // a is running: the others go first, a's second source is not started beside it
        assert_eq!(lanes.next(t0), Next::Start(1, "b1"));
        assert!(lanes.is_empty(1), "b1 was b's last");
        assert_eq!(lanes.next(t0), Next::Start(2, "c1"));
        assert_eq!(lanes.next(t0), Next::Busy);
        lanes.done(0, t0 + secs(1));
        lanes.done(1, t0 + secs(1));
        lanes.done(2, t0 + secs(1));
        // a2 waits for a's delay, counted from the end of a1
        assert_eq!(lanes.next(t0 + secs(2)), Next::WaitUntil(t0 + secs(6)));
        assert_eq!(lanes.next(t0 + secs(6)), Next::Start(0, "a2"));
        assert!(lanes.is_empty(0));
        assert_eq!(lanes.next(t0 + secs(6)), Next::Busy);
        lanes.done(0, t0 + secs(7));
        assert_eq!(lanes.next(t0 + secs(7)), Next::Done);
    }

    #[test]
    fn lanes_take_turns_and_keep_their_order() {
        let t0 = Instant::now();
        let items = [("x", 1), ("x", 2), ("y", 1), ("x", 3), ("y", 2)]
            .map(|(k, n)| (k.to_string(), Duration::ZERO, (k, n)));
        let mut lanes = Lanes::new(items);
        let mut order = Vec::new();
        loop {
            match lanes.next(t0) {
                Next::Start(lane, item) => {
                    order.push(item);
                    lanes.done(lane, t0);
                }
                Next::Done => break,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(
            order,
            [("x", 1), ("y", 1), ("x", 2), ("y", 2), ("x", 3)],
            "round-robin between hosts, in order within one"
        );
    }
}
