//! End-to-end tests of `daemon`, `serve` and the JSON log format: the real binary, sources on
//! a loopback fixture server, HTTP spoken over raw sockets (so traversal attempts reach the
//! server unnormalised), signals sent with `kill`. Deadlines only guard against hangs.

mod common;

use common::*;
use std::collections::HashMap;
use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Generous: only there so that a broken daemon fails the test instead of hanging it.
const DEADLINE: Duration = Duration::from_secs(30);

fn rss(title: &str, items: &[(&str, &str)]) -> String {
    let mut body = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>http://{title}.test/</link><description>d</description>\n"
    );
    for (guid, item_title) in items {
        body.push_str(&format!(
            "<item><title>{item_title}</title><link>http://{title}.test/{guid}</link><guid isPermaLink=\"false\">{guid}</guid><pubDate>Mon, 23 Nov 2026 10:00:{:02} +0000</pubDate></item>\n",
            guid.len()
        ));
    }
    body.push_str("</channel></rss>\n");
    body
}

/// A running `feedwright` with its stderr collected line by line.
struct Running {
    child: Child,
    stderr: Arc<Mutex<Vec<String>>>,
}

impl Running {
    fn start(dir: &Path, args: &[&str]) -> Running {
        let mut child = command_in(dir, args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn feedwright");
        let pipe = child.stderr.take().expect("stderr pipe");
        let stderr = Arc::new(Mutex::new(Vec::new()));
        let lines = stderr.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(pipe).lines().map_while(Result::ok) {
                lines.lock().unwrap().push(line);
            }
        });
        Running { child, stderr }
    }

    fn stderr(&self) -> String {
        self.stderr.lock().unwrap().join("\n")
    }

    /// Wait for a stderr line containing `needle`; returns it.
    fn wait_line(&mut self, needle: &str) -> String {
        let start = Instant::now();
        loop {
            if let Some(line) = self
                .stderr
                .lock()
                .unwrap()
                .iter()
                .find(|l| l.contains(needle))
            {
                return line.clone();
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "exited ({status}) before printing {needle:?}; stderr:\n{}",
                    self.stderr()
                );
            }
            assert!(
                start.elapsed() < DEADLINE,
                "no {needle:?} on stderr; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The address from the `listening on http://ADDR` line.
    fn addr(&mut self) -> SocketAddr {
        let line = self.wait_line("listening on http://");
        let addr = line
            .split("listening on http://")
            .nth(1)
            .unwrap()
            .trim()
            .parse()
            .unwrap_or_else(|e| panic!("bad address in {line:?}: {e}"));
        assert_ne!(addr, "127.0.0.1:0".parse::<SocketAddr>().unwrap());
        addr
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .arg(format!("-{name}"))
            .arg(self.child.id().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{name}");
    }

    /// Wait for the exit (killing the process if it hangs) and return its code.
    fn wait_exit(&mut self) -> Option<i32> {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if start.elapsed() > DEADLINE {
                let _ = self.child.kill();
                panic!("did not exit; stderr:\n{}", self.stderr());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// One HTTP exchange.
#[derive(Debug)]
struct Resp {
    status: u16,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Send one request over a fresh connection, exactly as written (no path normalising).
fn http(addr: SocketAddr, method: &str, path: &str, headers: &[(&str, &str)]) -> Resp {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(DEADLINE)).unwrap();
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        request.push_str(&format!("{k}: {v}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("end of headers");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut body = raw[split + 4..].to_vec();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers: HashMap<String, String> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    if headers.get("transfer-encoding").map(String::as_str) == Some("chunked") {
        body = dechunk(&body);
    }
    Resp {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(eol) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size_text = String::from_utf8_lossy(&data[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap().trim(), 16)
            .expect("chunk size");
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[eol + 2..eol + 2 + size]);
        data = &data[eol + 2 + size + 2..];
    }
}

fn get(addr: SocketAddr, path: &str) -> Resp {
    http(addr, "GET", path, &[])
}

/// Poll `path` until `pred` holds for a 200 response; returns it.
fn poll_until(addr: SocketAddr, path: &str, what: &str, pred: impl Fn(&str) -> bool) -> Resp {
    let start = Instant::now();
    loop {
        let resp = get(addr, path);
        if resp.status == 200 && pred(&resp.text()) {
            return resp;
        }
        assert!(
            start.elapsed() < DEADLINE,
            "{path} never {what}; last: {} {}",
            resp.status,
            resp.text()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn temp_files(out: &Path) -> Vec<String> {
    let mut found = Vec::new();
    for dir in [out.to_path_buf(), out.join("sources")] {
        if let Ok(entries) = fs::read_dir(&dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.starts_with(".feedwright-tmp-") {
                    found.push(name);
                }
            }
        }
    }
    found
}

/// A project and server for a daemon: no robots.txt, a 10 s shutdown grace, and the feed
/// `all` merging every source.
fn site(settings: &str) -> Site {
    Site::new()
        .with_settings(&format!("respect_robots = false\n{settings}"))
        .with_feed_keys("link = \"https://planet.test/\"")
}

/// feeds.toml naming `alpha` (read every second) and `beta` (every two), then `extra_source`.
fn config_alpha_beta(site: &Site, extra_source: &str) {
    site.config(&format!(
        "{}\n{}{extra_source}",
        source("alpha", &site.url("/alpha.xml"), "interval = \"1s\""),
        source("beta", &site.url("/beta.xml"), "interval = \"2s\""),
    ));
}

/// `alpha` and `beta` served with one item each and configured as [`config_alpha_beta`] says.
fn alpha_and_beta() -> Site {
    let site = site("timeout = \"5s\"\nshutdown_grace = \"10s\"");
    site.serve_rss("/alpha.xml", rss("alpha", &[("a1", "Alpha one")]));
    site.serve_rss("/beta.xml", rss("beta", &[("b1", "Beta one")]));
    config_alpha_beta(&site, "");
    site
}

#[test]
fn daemon_schedules_serves_reloads_and_stops_cleanly() {
    let site = alpha_and_beta();
    let mut daemon = Running::start(site.path(), &["daemon", "--serve", "127.0.0.1:0"]);
    let addr = daemon.addr();

    // The first pass publishes both sources.
    let first = poll_until(addr, "/all.xml", "held both sources", |t| {
        t.contains("Alpha one") && t.contains("Beta one")
    });
    assert_eq!(first.header("content-type"), Some("application/rss+xml"));
    let etag = first.header("etag").expect("etag").to_string();
    let not_modified = http(addr, "GET", "/all.xml", &[("If-None-Match", &etag)]);
    assert_eq!(not_modified.status, 304, "unchanged feed, same ETag");
    assert!(not_modified.body.is_empty());

    // One source changes upstream: the served feed follows within its interval.
    site.serve_rss(
        "/alpha.xml",
        rss("alpha", &[("a1", "Alpha one"), ("a22", "Alpha two")]),
    );
    let changed = poll_until(addr, "/all.xml", "showed the change", |t| {
        t.contains("Alpha two")
    });
    let new_etag = changed.header("etag").expect("etag").to_string();
    assert_ne!(new_etag, etag);
    assert_eq!(
        http(addr, "GET", "/all.xml", &[("If-None-Match", &etag)]).status,
        200,
        "the old ETag no longer matches"
    );
    assert_eq!(
        http(addr, "GET", "/all.xml", &[("If-None-Match", &new_etag)]).status,
        304
    );

    // SIGHUP with a broken feeds.toml: the error is reported with file:line:col, the old
    // config stays in force and keeps updating.
    site.write_config(
        "[settings]\nhost_delay = \"0s\"\n\n[[source]]\nid = \"alpha\"\nurl = \"http://x.test/a\"\ninterval = \"soon\"\n",
    );
    daemon.signal("HUP");
    let line = daemon.wait_line("reload failed");
    assert!(
        line.contains("feeds.toml:7:") && line.contains("interval"),
        "error names file:line:col and key: {line}"
    );
    site.serve_rss(
        "/beta.xml",
        rss("beta", &[("b1", "Beta one"), ("b22", "Beta two")]),
    );
    poll_until(addr, "/all.xml", "kept updating after a bad reload", |t| {
        t.contains("Beta two") && t.contains("Alpha two")
    });

    // SIGHUP with a good config: a new source joins.
    site.serve_rss("/gamma.xml", rss("gamma", &[("g1", "Gamma one")]));
    let gamma = source("gamma", &site.url("/gamma.xml"), "interval = \"1s\"");
    config_alpha_beta(&site, &format!("\n{gamma}"));
    daemon.signal("HUP");
    poll_until(addr, "/all.json", "took the reloaded source", |t| {
        t.contains("Gamma one")
    });
    assert!(site.server.count("/gamma.xml") >= 1);
    assert!(
        site.server.count("/alpha.xml") >= 3,
        "alpha is read every second"
    );

    // SIGTERM: exit 0, out/ whole.
    daemon.signal("TERM");
    assert_eq!(daemon.wait_exit(), Some(0), "stderr:\n{}", daemon.stderr());
    let out = site.path().join("out");
    assert_eq!(temp_files(&out), Vec::<String>::new());
    for ext in ["xml", "atom", "json"] {
        let feed = reparse(&out.join(format!("all.{ext}")));
        assert!(feed.entries.len() >= 5, "{ext}: {}", feed.entries.len());
    }
    strict_xml(&out.join("all.xml"));
    strict_xml(&out.join("all.atom"));
}

#[test]
fn daemon_leaves_a_concurrent_run_alone() {
    let site = alpha_and_beta();
    let mut daemon = Running::start(site.path(), &["daemon", "--serve", "127.0.0.1:0"]);
    let addr = daemon.addr();
    poll_until(addr, "/all.xml", "was published", |t| {
        t.contains("Beta one")
    });
    // A cron run alongside either runs between passes or finds the lock held: exit 0 both ways.
    for _ in 0..3 {
        let out = site.run(&["run", "--force"]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    site.serve_rss(
        "/beta.xml",
        rss("beta", &[("b1", "Beta one"), ("b22", "Beta two")]),
    );
    poll_until(addr, "/all.xml", "kept updating", |t| {
        t.contains("Beta two")
    });
    daemon.signal("INT");
    assert_eq!(daemon.wait_exit(), Some(0), "stderr:\n{}", daemon.stderr());
    assert_eq!(temp_files(&site.path().join("out")), Vec::<String>::new());
}

#[test]
fn serve_gives_readers_what_they_expect_and_nothing_else() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(
        dir.path().join("feeds.toml"),
        "[[feed]]\nid = \"all\"\ntitle = \"All\"\nlink = \"https://planet.test/\"\n",
    )
    .unwrap();
    fs::write(dir.path().join("secret.txt"), "not for the web").unwrap();
    let out = dir.path().join("out");
    fs::create_dir_all(out.join("sources")).unwrap();
    let big = "<item>story</item>".repeat(200);
    fs::write(out.join("all.xml"), format!("<rss>{big}</rss>")).unwrap();
    fs::write(out.join("all.atom"), format!("<feed>{big}</feed>")).unwrap();
    fs::write(out.join("all.json"), "{\"version\":\"x\"}").unwrap();
    fs::write(out.join("sources.opml"), "<opml/>").unwrap();
    fs::write(out.join("index.html"), "<p>feeds</p>").unwrap();
    fs::write(out.join("sources/blog.atom"), "<feed/>").unwrap();
    fs::write(out.join(".feedwright-tmp-abc"), "half written").unwrap();

    let mut server = Running::start(dir.path(), &["serve", "--addr", "127.0.0.1:0"]);
    let addr = server.addr();

    for (path, media) in [
        ("/all.xml", "application/rss+xml"),
        ("/all.atom", "application/atom+xml"),
        ("/all.json", "application/feed+json"),
        ("/sources.opml", "text/x-opml"),
        ("/index.html", "text/html; charset=utf-8"),
        ("/sources/blog.atom", "application/atom+xml"),
    ] {
        let resp = get(addr, path);
        assert_eq!(resp.status, 200, "{path}");
        assert_eq!(resp.header("content-type"), Some(media), "{path}");
        assert!(resp.header("etag").is_some(), "{path}: ETag");
        assert!(
            resp.header("last-modified").is_some(),
            "{path}: Last-Modified"
        );
    }
    let index = get(addr, "/");
    assert_eq!(index.status, 200);
    assert_eq!(index.text(), "<p>feeds</p>");

    // 304 both ways.
    let feed = get(addr, "/all.xml");
    let etag = feed.header("etag").unwrap().to_string();
    let modified = feed.header("last-modified").unwrap().to_string();
    let by_etag = http(addr, "GET", "/all.xml", &[("If-None-Match", &etag)]);
    assert_eq!(by_etag.status, 304);
    assert_eq!(by_etag.header("etag"), Some(etag.as_str()));
    let by_date = http(addr, "GET", "/all.xml", &[("If-Modified-Since", &modified)]);
    assert_eq!(by_date.status, 304);
    let other = http(
        addr,
        "GET",
        "/all.xml",
        &[("If-None-Match", "\"something-else\"")],
    );
    assert_eq!(other.status, 200);

    // Compression when accepted; the compressed body's ETag still validates.
    let gz = http(addr, "GET", "/all.xml", &[("Accept-Encoding", "gzip")]);
    assert_eq!(gz.status, 200);
    assert_eq!(gz.header("content-encoding"), Some("gzip"));
    assert_eq!(gz.header("content-type"), Some("application/rss+xml"));
    assert!(gz.body.starts_with(&[0x1f, 0x8b]), "a gzip stream");
    assert!(gz.body.len() < feed.body.len());
    let gz_etag = gz.header("etag").unwrap().to_string();
    let gz_again = http(
        addr,
        "GET",
        "/all.xml",
        &[("Accept-Encoding", "gzip"), ("If-None-Match", &gz_etag)],
    );
    assert_eq!(gz_again.status, 304);
    let br = http(addr, "GET", "/all.atom", &[("Accept-Encoding", "br")]);
    assert_eq!(br.header("content-encoding"), Some("br"));
    let plain = http(addr, "GET", "/all.xml", &[("Accept-Encoding", "identity")]);
    assert_eq!(plain.header("content-encoding"), None);
    assert_eq!(plain.body, feed.body);

    // HEAD: the headers of GET, no body.
    let head = http(addr, "HEAD", "/all.xml", &[]);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), Some("application/rss+xml"));
    assert_eq!(head.header("etag"), Some(etag.as_str()));
    assert_eq!(
        head.header("content-length"),
        Some(feed.body.len().to_string().as_str())
    );
    assert!(head.body.is_empty());

    let health = get(addr, "/healthz");
    assert_eq!((health.status, health.text().as_str()), (200, "ok"));

    // Nothing outside out/, no temp or dot files, no listings, read-only.
    for path in [
        "/../feeds.toml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/secret.txt",
        "/..%2fsecret.txt",
        "/%2e%2e%2fsecret.txt",
        "/sources/..%2f..%2fsecret.txt",
        "/%252e%252e%252fsecret.txt",
        "/..%5csecret.txt",
        "/.feedwright-tmp-abc",
        "/%2efeedwright-tmp-abc",
        "/sources/",
        "/sources",
        "/missing.xml",
    ] {
        let resp = get(addr, path);
        assert_eq!(resp.status, 404, "{path}: {}", resp.text());
        assert!(!resp.text().contains("not for the web"), "{path}");
        assert!(!resp.text().contains("half written"), "{path}");
    }
    let post = http(addr, "POST", "/all.xml", &[("Content-Length", "0")]);
    assert_eq!(post.status, 405);
    let put = http(addr, "PUT", "/new.xml", &[("Content-Length", "0")]);
    assert_eq!(put.status, 405);
    assert!(!out.join("new.xml").exists());

    server.signal("TERM");
    assert_eq!(server.wait_exit(), Some(0), "stderr:\n{}", server.stderr());
}

#[test]
fn json_logs_are_one_object_per_line_with_level_message_and_source() {
    let site = site("");
    site.serve_rss("/ok.xml", rss("ok", &[("o1", "Fine")]));
    site.config(&format!(
        "{}\n{}",
        source("ok", &site.url("/ok.xml"), ""),
        source("gone", &site.url("/gone.xml"), "")
    ));
    let out = site.run(&["--log-format", "json", "-v", "run"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let text = stderr(&out);
    let lines: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON: {l:?}: {e}")))
        .collect();
    assert!(lines.len() >= 2, "{text}");
    for line in &lines {
        assert!(line["level"].is_string(), "{line}");
        assert!(line["message"].is_string(), "{line}");
    }
    let failure = lines
        .iter()
        .find(|l| l["level"] == "ERROR")
        .unwrap_or_else(|| panic!("no error line: {text}"));
    assert_eq!(failure["source"], "gone", "{failure}");
    assert!(
        lines
            .iter()
            .any(|l| l["level"] == "INFO" && l["message"].as_str().unwrap().contains("read")),
        "the summary line: {text}"
    );
}

#[test]
fn sigterm_abandons_a_pass_that_outlives_shutdown_grace() {
    // A "server" that accepts and then never answers: the pass stays in flight.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(Mutex::new(Vec::new()));
    let keep = accepted.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            keep.lock().unwrap().push(stream);
        }
    });
    let site = site("timeout = \"600s\"\nshutdown_grace = \"1s\"");
    site.config(&source("stuck", &format!("http://{addr}/feed.xml"), ""));
    let mut daemon = Running::start(site.path(), &["daemon", "--serve", "127.0.0.1:0"]);
    daemon.addr();
    let start = Instant::now();
    while accepted.lock().unwrap().is_empty() {
        assert!(start.elapsed() < DEADLINE, "the pass never connected");
        std::thread::sleep(Duration::from_millis(50));
    }
    daemon.signal("TERM");
    assert_eq!(daemon.wait_exit(), Some(0), "stderr:\n{}", daemon.stderr());
    assert!(
        daemon.stderr().contains("abandoned the pass"),
        "stderr:\n{}",
        daemon.stderr()
    );
    assert_eq!(temp_files(&site.path().join("out")), Vec::<String>::new());
    // The run lock went with the pass: `forget` (which needs it) works at once.
    let forget = site.run(&["forget", "stuck"]);
    assert_eq!(forget.status.code(), Some(0), "{}", stderr(&forget));
}
