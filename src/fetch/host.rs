//! Politeness per host: at most one request in flight to a host (scheme, name and port) at a
//! time, and at least `host_delay` between the end of one request to it and the start of the
//! next. Global concurrency is the app's business; this only serialises requests that share a
//! host. Each host has an async mutex holding the time its last request ended; the map is pruned
//! of idle hosts so it stays bounded however many hosts a long-lived process meets.
//!
//! The turn is taken for the host of the URL a source names (and for its robots.txt); the hops of
//! a redirect to another host within that request are not counted separately.
//!
//! A robots.txt request takes an *uncounted* turn ([`HostLimiter::acquire_uncounted`]): it
//! waits like any other (one request at a time, `host_delay` after the last counted one), but
//! its end is not recorded, so the page it guards may follow at once. It is one small request
//! per host and day (see [`super::robots`]); every other pair of requests to a host is at least
//! `host_delay` apart.
//!
//! This limiter only makes requests wait. Waiting for a host holds no global slot: the run
//! loop hands out its `concurrency` slots host by host and never starts a source whose host is
//! busy or still in its delay (see `app::dispatch`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

/// Prune idle entries once the map holds more hosts than this.
const PRUNE_ABOVE: usize = 256;
/// An entry unused for this long can be dropped (it no longer delays anything, as long as no
/// `host_delay` is longer).
const IDLE_AFTER: Duration = Duration::from_secs(600);

type Slot = Arc<tokio::sync::Mutex<Option<Instant>>>;

#[derive(Default)]
pub struct HostLimiter {
    hosts: Mutex<Hosts>,
}

#[derive(Default)]
struct Hosts {
    map: HashMap<String, Slot>,
    /// Prune when the map grows past this: [`PRUNE_ABOVE`], else twice what the last pruning
    /// kept, so that a run over thousands of recently used hosts does not scan the whole map on
    /// every request (which made a run quadratic in its hosts).
    prune_at: usize,
}

/// The turn of one request at one host: hold it while the request (and its body) runs; dropping
/// it records the end time.
pub struct HostTurn {
    guard: tokio::sync::OwnedMutexGuard<Option<Instant>>,
    counted: bool,
}

impl Drop for HostTurn {
    fn drop(&mut self) {
        if self.counted {
            *self.guard = Some(Instant::now());
        }
    }
}

/// The key of a URL's host: `scheme://host:port`.
pub fn host_key(url: &url::Url) -> String {
    format!(
        "{}://{}:{}",
        url.scheme(),
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

impl HostLimiter {
    /// Wait for `url`'s host to be free and for `delay` to have passed since its last request.
    pub async fn acquire(&self, url: &url::Url, delay: Duration) -> HostTurn {
        self.turn(url, delay, true).await
    }

    /// [`HostLimiter::acquire`] for a request that does not count towards the delay of the next
    /// one (robots.txt): it waits the same way, but its end is not recorded.
    pub async fn acquire_uncounted(&self, url: &url::Url, delay: Duration) -> HostTurn {
        self.turn(url, delay, false).await
    }

    async fn turn(&self, url: &url::Url, delay: Duration, counted: bool) -> HostTurn {
        let slot = self.slot(&host_key(url));
        let guard = slot.lock_owned().await;
        if let Some(last) = *guard {
            tokio::time::sleep_until(last + delay).await;
        }
        HostTurn { guard, counted }
    }

    fn slot(&self, key: &str) -> Slot {
        let mut guard = self.hosts.lock().unwrap_or_else(|p| p.into_inner());
        let hosts = &mut *guard;
        if hosts.map.len() > hosts.prune_at.max(PRUNE_ABOVE) {
            hosts.map.retain(|_, slot| {
                // Keep entries someone holds or waits on, and recently used ones.
                Arc::strong_count(slot) > 1
                    || match slot.try_lock() {
                        Ok(last) => last.is_some_and(|t| t.elapsed() < IDLE_AFTER),
                        Err(_) => true,
                    }
            });
            hosts.prune_at = hosts.map.len().saturating_mul(2);
        }
        if let Some(slot) = hosts.map.get(key) {
            return slot.clone();
        }
        hosts.map.entry(key.to_string()).or_default().clone()
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.hosts.lock().map(|h| h.map.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(s: &str) -> url::Url {
        url::Url::parse(s).unwrap()
    }

    #[test]
    fn keys_include_scheme_and_port() {
        assert_eq!(
            host_key(&u("https://Example.org/a")),
            "https://example.org:443"
        );
        assert_eq!(
            host_key(&u("http://example.org:8080/")),
            "http://example.org:8080"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn second_request_waits_for_the_delay() {
        let limiter = HostLimiter::default();
        let start = Instant::now();
        drop(
            limiter
                .acquire(&u("http://a/"), Duration::from_secs(3))
                .await,
        );
        // another host is not delayed
        drop(
            limiter
                .acquire(&u("http://b/"), Duration::from_secs(3))
                .await,
        );
        assert!(start.elapsed() < Duration::from_secs(1));
        drop(
            limiter
                .acquire(&u("http://a/x"), Duration::from_secs(3))
                .await,
        );
        assert!(start.elapsed() >= Duration::from_secs(3));
    }

    #[tokio::test(start_paused = true)]
    async fn an_uncounted_turn_does_not_delay_the_next_one() {
        let limiter = HostLimiter::default();
        let delay = Duration::from_secs(3);
        let start = Instant::now();
        drop(
            limiter
                .acquire_uncounted(&u("http://a/robots.txt"), delay)
                .await,
        );
        drop(limiter.acquire(&u("http://a/page"), delay).await);
        assert!(start.elapsed() < Duration::from_secs(1));
        // but it waits for the delay after a counted request, and does not push the next one
        drop(
            limiter
                .acquire_uncounted(&u("http://a/robots.txt"), delay)
                .await,
        );
        assert!(start.elapsed() >= delay);
        drop(limiter.acquire(&u("http://a/next"), delay).await);
        assert!(start.elapsed() < delay * 2);
    }

    #[tokio::test(start_paused = true)]
    async fn map_stays_bounded() {
        let limiter = HostLimiter::default();
        for i in 0..(PRUNE_ABOVE * 3) {
            drop(
                limiter
                    .acquire(&u(&format!("http://h{i}/")), Duration::ZERO)
                    .await,
            );
            if i % PRUNE_ABOVE == 0 {
                tokio::time::advance(IDLE_AFTER * 2).await;
            }
        }
        assert!(limiter.len() <= PRUNE_ABOVE * 2, "{}", limiter.len());
    }

    /// Thousands of hosts used within the idle time: none can be pruned, and the map is not
    /// scanned again on every request (it used to be: quadratic in the number of hosts).
    #[tokio::test(start_paused = true)]
    async fn many_busy_hosts_are_not_rescanned_per_request() {
        let limiter = HostLimiter::default();
        for i in 0..(PRUNE_ABOVE * 8) {
            drop(
                limiter
                    .acquire(&u(&format!("http://h{i}/")), Duration::ZERO)
                    .await,
            );
        }
        assert_eq!(limiter.len(), PRUNE_ABOVE * 8, "recent hosts are kept");
        let prune_at = limiter.hosts.lock().unwrap().prune_at;
        assert!(
            prune_at > PRUNE_ABOVE * 4,
            "{prune_at}: the threshold grows with the map"
        );
    }
}
