//! `feedwright daemon`: the scheduler that keeps running. It runs one pass at a time
//! ([`app::run`], which takes the run lock and reads only the sources that are due), then sleeps
//! until the earliest `next_due` of the enabled sources in the state plus that source's jitter
//! (see [`crate::schedule`]), or until a signal:
//!
//! - SIGHUP reloads feeds.toml; a broken new file is reported (file:line:col) and the old
//!   config stays in force.
//! - SIGTERM/SIGINT stop scheduling; a pass in flight gets `settings.shutdown_grace` to finish,
//!   else it is abandoned (writes are atomic, so no partial file; a stray temp file is swept at
//!   the next start). The exit status is 0.
//!
//! With `--serve ADDR` it also serves out/ ([`crate::serve`]). Because the lock is taken per
//! pass, a `feedwright run` from cron is safe alongside: it runs between passes, or finds the
//! lock held and exits 0 at once (and a pass that finds the lock held retries shortly).

use crate::app::{self, RunOptions, RunReport};
use crate::config::Config;
use crate::state::State;
use chrono::{DateTime, Utc};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tracing::{debug, error, info, warn};

/// The longest single sleep: the loop wakes at least this often to re-read the state (a
/// `run --force` or `forget` from the command line may have changed it).
const MAX_SLEEP: Duration = Duration::from_secs(300);
/// Gap after a pass before the next may start, so a source that stays due cannot spin.
const AFTER_PASS: Duration = Duration::from_millis(200);
/// Wait after a pass that found the run lock held by another process.
const AFTER_LOCK_HELD: Duration = Duration::from_secs(2);
/// Wait after a pass that failed as a whole (state or out_dir trouble).
const AFTER_ERROR: Duration = Duration::from_secs(30);

/// The daemon's clock: real time, shifted when `--now` pinned a start time (so time still
/// advances and sources still come due).
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    offset: chrono::Duration,
}

impl Clock {
    pub fn new(offset: Option<chrono::Duration>) -> Clock {
        Clock {
            offset: offset.unwrap_or_else(chrono::Duration::zero),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let real = Utc::now();
        real.checked_add_signed(self.offset).unwrap_or(real)
    }
}

/// When the next pass should start, judged from the state: the earliest `next_due` plus
/// jitter over the enabled sources (`now` for a source never read); `None` when no source is
/// enabled.
pub fn next_wake(
    config: &Config,
    state: &State,
    now: DateTime<Utc>,
) -> anyhow::Result<Option<DateTime<Utc>>> {
    let mut wake: Option<DateTime<Utc>> = None;
    for source in config.sources.iter().filter(|s| s.enabled) {
        let at = match state.health(&source.id)?.next_due {
            None => now,
            Some(due) => {
                let jitter = chrono::Duration::from_std(crate::schedule::jitter_for(source, due))
                    .unwrap_or_else(|_| chrono::Duration::zero());
                due.checked_add_signed(jitter).unwrap_or(due)
            }
        };
        wake = Some(wake.map_or(at, |w| w.min(at)));
    }
    Ok(wake)
}

/// What a signal asks for.
enum Wake {
    Reload,
    Stop,
}

/// The signals the daemon listens to.
struct Signals {
    #[cfg(unix)]
    hup: tokio::signal::unix::Signal,
    #[cfg(unix)]
    term: tokio::signal::unix::Signal,
    #[cfg(unix)]
    int: tokio::signal::unix::Signal,
}

impl Signals {
    fn install() -> std::io::Result<Signals> {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            Ok(Signals {
                hup: signal(SignalKind::hangup())?,
                term: signal(SignalKind::terminate())?,
                int: signal(SignalKind::interrupt())?,
            })
        }
        #[cfg(not(unix))]
        {
            Ok(Signals {})
        }
    }

    /// The next reload or stop request.
    async fn next(&mut self) -> Wake {
        #[cfg(unix)]
        {
            tokio::select! {
                _ = self.hup.recv() => Wake::Reload,
                _ = self.term.recv() => Wake::Stop,
                _ = self.int.recv() => Wake::Stop,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
            Wake::Stop
        }
    }
}

/// `feedwright daemon [--serve ADDR]`: runs until SIGTERM/SIGINT, then returns exit status 0.
pub fn daemon_command(
    config: Config,
    clock_offset: Option<chrono::Duration>,
    serve: Option<SocketAddr>,
) -> anyhow::Result<u8> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let result = runtime.block_on(run_daemon(config, Clock::new(clock_offset), serve));
    // A pass abandoned in the middle of synchronous work must not hold up the exit.
    runtime.shutdown_timeout(Duration::from_secs(1));
    result
}

async fn run_daemon(config: Config, clock: Clock, serve: Option<SocketAddr>) -> anyhow::Result<u8> {
    // Handlers first: once the readiness line is out, signals must not kill the process.
    let mut signals = Signals::install()?;
    let mut config = Arc::new(config);
    let grace = config.settings.shutdown_grace;

    let (stop_server, server_stopped) = tokio::sync::watch::channel(false);
    let server = match serve {
        Some(addr) => {
            let listener = crate::serve::bind(addr).await?;
            crate::serve::announce(&listener)?;
            let out_dir = config.settings.out_dir.clone();
            let mut stopped = server_stopped.clone();
            Some(tokio::spawn(async move {
                let shutdown = async move {
                    let _ = stopped.wait_for(|s| *s).await;
                };
                if let Err(e) = crate::serve::serve_until(listener, &out_dir, shutdown).await {
                    error!("{e}");
                }
            }))
        }
        None => None,
    };
    info!(
        "daemon started: {} enabled source(s) from {}",
        config.sources.iter().filter(|s| s.enabled).count(),
        config.path.display()
    );

    let mut not_before = clock.now();
    'main: loop {
        let now = clock.now();
        let wake = match wake_time(&config, now) {
            Ok(Some(w)) => w.max(not_before),
            Ok(None) => now + chrono::Duration::hours(1),
            Err(e) => {
                error!("cannot read the state to schedule the next pass: {e:#}");
                now + chrono::Duration::from_std(AFTER_ERROR).unwrap_or_default()
            }
        };
        if wake > now {
            let nap = (wake - now).to_std().unwrap_or(AFTER_PASS).min(MAX_SLEEP);
            debug!("next pass in {nap:?}");
            tokio::select! {
                _ = tokio::time::sleep(nap) => {}
                wake = signals.next() => match wake {
                    Wake::Reload => reload(&mut config),
                    Wake::Stop => break 'main,
                },
            }
            continue;
        }

        // One pass, polled here while still listening for signals (abandoning it = dropping
        // it, which releases the lock and removes any temp file).
        let pass_config = Arc::clone(&config);
        let options = RunOptions::default();
        let pass = app::run(&pass_config, now, &options);
        tokio::pin!(pass);
        let mut reload_after = false;
        let finished = loop {
            tokio::select! {
                result = &mut pass => break Some(result),
                wake = signals.next() => match wake {
                    Wake::Reload => reload_after = true,
                    Wake::Stop => break None,
                },
            }
        };
        let Some(result) = finished else {
            info!("stopping: letting the pass in flight finish (up to {grace:?})");
            match tokio::time::timeout(grace, &mut pass).await {
                Ok(result) => {
                    note_pass(result);
                }
                Err(_) => {
                    warn!(
                        "abandoned the pass in flight after shutdown_grace ({grace:?}); files in out/ are whole, and the next start cleans up"
                    );
                }
            }
            break 'main;
        };
        let wait = note_pass(result);
        not_before = clock.now() + chrono::Duration::from_std(wait).unwrap_or_default();
        if reload_after {
            reload(&mut config);
        }
    }

    info!("daemon stopping");
    let _ = stop_server.send(true);
    if let Some(server) = server
        && tokio::time::timeout(grace.max(Duration::from_secs(1)), server)
            .await
            .is_err()
    {
        warn!("the HTTP server did not stop within shutdown_grace; closing it");
    }
    Ok(0)
}

/// Log how a pass ended; returns how long to wait before the next.
fn note_pass(result: anyhow::Result<RunReport>) -> Duration {
    match result {
        Ok(report) => match &report.lock_held_by {
            Some(holder) => {
                info!("another run ({holder}) holds the lock; trying again shortly");
                AFTER_LOCK_HELD
            }
            None => AFTER_PASS,
        },
        Err(e) => {
            error!("pass failed: {e:#}; trying again in {AFTER_ERROR:?}");
            AFTER_ERROR
        }
    }
}

fn wake_time(config: &Config, now: DateTime<Utc>) -> anyhow::Result<Option<DateTime<Utc>>> {
    if !config.sources.iter().any(|s| s.enabled) {
        return Ok(None);
    }
    let state = State::open(&config.settings.state)?;
    next_wake(config, &state, now)
}

/// SIGHUP: read feeds.toml again; keep the old config when the new one is broken.
fn reload(config: &mut Arc<Config>) {
    let path = config.path.clone();
    match crate::config::load(&path) {
        Ok(new) => {
            warn_unreloadable(config, &new);
            info!(
                "reloaded {}: {} enabled source(s), {} feed(s)",
                path.display(),
                new.sources.iter().filter(|s| s.enabled).count(),
                new.feeds.len()
            );
            *config = Arc::new(new);
        }
        Err(e) => {
            error!("reload failed, keeping the previous config: {e}");
        }
    }
}

/// Settings a running daemon cannot take over.
fn warn_unreloadable(old: &Config, new: &Config) {
    let changed = |what: &str, a: &Path, b: &Path| {
        if a != b {
            warn!(
                "{what} changed from {} to {}: the HTTP server keeps serving the old folder until restarted",
                a.display(),
                b.display()
            );
        }
    };
    changed("out_dir", &old.settings.out_dir, &new.settings.out_dir);
    if old.settings.shutdown_grace != new.settings.shutdown_grace {
        warn!("shutdown_grace changes take effect at the next start");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(dir: &Path, body: &str) -> Config {
        let path = dir.join("feeds.toml");
        std::fs::write(&path, body).unwrap();
        crate::config::load(&path).unwrap()
    }

    #[test]
    fn wake_is_the_earliest_due_source_plus_jitter() {
        let dir = tempfile::tempdir().unwrap();
        let cfg = config(
            dir.path(),
            "[[source]]\nid = \"a\"\nurl = \"https://a.test/f\"\ninterval = \"1h\"\n\n[[source]]\nid = \"b\"\nurl = \"https://b.test/f\"\ninterval = \"10m\"\n\n[[source]]\nid = \"off\"\nurl = \"https://c.test/f\"\nenabled = false\n\n[[feed]]\nid = \"f\"\ntitle = \"F\"\nlink = \"https://x.test/\"\n",
        );
        let state = State::open(&cfg.settings.state).unwrap();
        let now = DateTime::parse_from_rfc3339("2026-11-29T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        // Never read: due now (disabled sources are not waited for).
        assert_eq!(next_wake(&cfg, &state, now).unwrap(), Some(now));
        for (id, minutes) in [("a", 60), ("b", 10), ("off", 1)] {
            state
                .set_health(&crate::state::Health {
                    source_id: id.into(),
                    next_due: Some(now + chrono::Duration::minutes(minutes)),
                    ..Default::default()
                })
                .unwrap();
        }
        let wake = next_wake(&cfg, &state, now).unwrap().unwrap();
        let b_due = now + chrono::Duration::minutes(10);
        assert!(wake >= b_due, "{wake}");
        assert!(wake <= b_due + chrono::Duration::seconds(30), "{wake}");
    }

    #[test]
    fn a_pinned_clock_still_advances() {
        let clock = Clock::new(Some(chrono::Duration::days(-400)));
        let a = clock.now();
        std::thread::sleep(Duration::from_millis(5));
        assert!(clock.now() > a);
        assert!(Utc::now() - a > chrono::Duration::days(399));
    }
}
