//! Shared harness for the end-to-end tests: a small loopback HTTP/1.1 server whose routes can
//! be changed while it runs (and can misbehave on purpose), a request counter, helpers to run
//! the real `feedwright` binary against a temporary config, a [`Site`] fixture (a temporary
//! project and the server its sources live on) and small RSS builders.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One canned response.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }
    pub fn status(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![("Content-Type".into(), "text/plain".into())],
            body: format!("status {status}").into_bytes(),
        }
    }
}

/// A request the server saw.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    /// The request body (a POST's form, say).
    pub body: Vec<u8>,
}

/// A misbehaviour (or a bit of HTTP logic) attached to a route with [`Server::act`]; it
/// changes how the route's [`Reply`] is written.
#[derive(Clone, Debug)]
pub enum Act {
    /// Sleep this long before writing anything.
    DelayHead(Duration),
    /// Write the head (with the full Content-Length) and half the body, then stall this long
    /// and close the connection.
    StallHalfway(Duration),
    /// Announce `extra` more bytes in Content-Length than the body has, send the body, close.
    ShortBody { extra: usize },
    /// Announce this Content-Length (e.g. 10 GiB), send nothing more than the head and close.
    DeclaredLength(u64),
    /// No Content-Length, chunked encoding, endless zeros until the client hangs up; the bytes
    /// written are recorded ([`Server::bytes_sent`]). Never allocates more than one chunk.
    Endless,
    /// Answer 304 (no body) when If-None-Match equals the reply's ETag header or
    /// If-Modified-Since equals its Last-Modified header.
    Conditional,
    /// Hold the request until the [`Gate`] is opened (60 s at most), then write the reply.
    Gate(Gate),
    /// Write the head (full Content-Length) and half the body, then wait until the client
    /// drops the connection (e.g. its process is killed; 120 s at most) and close.
    HangUntilDropped,
}

/// A latch that [`Act::Gate`] waits on.
#[derive(Clone, Debug, Default)]
pub struct Gate(Arc<(Mutex<bool>, std::sync::Condvar)>);

impl Gate {
    pub fn new() -> Gate {
        Gate::default()
    }

    /// Let every held and future request through.
    pub fn open(&self) {
        *self.0.0.lock().unwrap() = true;
        self.0.1.notify_all();
    }

    fn wait(&self, limit: Duration) {
        let guard = self.0.0.lock().unwrap();
        let _ = self.0.1.wait_timeout_while(guard, limit, |open| !*open);
    }
}

#[derive(Default)]
struct Shared {
    routes: HashMap<String, Reply>,
    seen: Vec<Seen>,
    /// Replies served in order before `routes` is consulted (see [`Server::sequence`]).
    queued: HashMap<String, std::collections::VecDeque<Reply>>,
    acts: HashMap<String, Act>,
    sent: HashMap<String, u64>,
}

/// A loopback server on 127.0.0.1:0 that serves whatever routes are set.
#[derive(Clone)]
pub struct Server {
    pub addr: SocketAddr,
    shared: Arc<Mutex<Shared>>,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let shared = Arc::new(Mutex::new(Shared::default()));
        let s2 = shared.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let s3 = s2.clone();
                std::thread::spawn(move || handle(stream, s3));
            }
        });
        Server { addr, shared }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub fn set(&self, path: &str, reply: Reply) {
        self.shared
            .lock()
            .unwrap()
            .routes
            .insert(path.to_string(), reply);
    }

    pub fn remove(&self, path: &str) {
        self.shared.lock().unwrap().routes.remove(path);
    }

    pub fn requests(&self) -> Vec<Seen> {
        self.shared.lock().unwrap().seen.clone()
    }

    pub fn count(&self, path: &str) -> usize {
        self.requests().iter().filter(|s| s.path == path).count()
    }

    /// Serve `replies` one per request, in order, for `path`; after them the route set with
    /// [`Server::set`] (or 404) answers.
    pub fn sequence(&self, path: &str, replies: Vec<Reply>) {
        self.shared
            .lock()
            .unwrap()
            .queued
            .insert(path.to_string(), replies.into());
    }

    /// Attach a misbehaviour to `path`.
    pub fn act(&self, path: &str, act: Act) {
        self.shared
            .lock()
            .unwrap()
            .acts
            .insert(path.to_string(), act);
    }

    /// Body bytes written for `path` by [`Act::Endless`] before the client hung up.
    pub fn bytes_sent(&self, path: &str) -> u64 {
        self.shared
            .lock()
            .unwrap()
            .sent
            .get(path)
            .copied()
            .unwrap_or(0)
    }

    /// Drop the misbehaviour attached to `path`.
    pub fn clear_act(&self, path: &str) {
        self.shared.lock().unwrap().acts.remove(path);
    }

    /// Wait until the server has seen `n` requests for `path`; false after `limit` (a guard
    /// against hangs, not a timing assertion).
    pub fn wait_for(&self, path: &str, n: usize, limit: Duration) -> bool {
        let deadline = std::time::Instant::now() + limit;
        while std::time::Instant::now() < deadline {
            if self.count(path) >= n {
                return true;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        self.count(path) >= n
    }

    /// The requests the server saw for `path`, in order.
    pub fn requests_for(&self, path: &str) -> Vec<Seen> {
        self.requests()
            .into_iter()
            .filter(|s| s.path == path)
            .collect()
    }
}

impl Reply {
    /// A reply with one more header.
    pub fn with_header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// A redirect to `location`.
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply::status(status).with_header("Location", location)
    }
}

fn header_of<'a>(reply: &'a Reply, name: &str) -> Option<&'a str> {
    reply
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// Write a reply as an [`Act`] says. Returns false when the connection must be closed.
fn write_act(
    stream: &mut TcpStream,
    reply: &Reply,
    act: &Act,
    seen: &Seen,
    shared: &Mutex<Shared>,
) -> bool {
    let head = |len: Option<u64>, status: u16, extra: &str| {
        let mut head = format!("HTTP/1.1 {status} X\r\n");
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        if let Some(n) = len {
            head.push_str(&format!("Content-Length: {n}\r\n"));
        }
        head.push_str(extra);
        head.push_str("\r\n");
        head
    };
    let body_len = reply.body.len() as u64;
    // The whole reply, as without an act.
    let full = |stream: &mut TcpStream| {
        stream
            .write_all(head(Some(body_len), reply.status, "").as_bytes())
            .is_ok()
            && stream.write_all(&reply.body).is_ok()
            && stream.flush().is_ok()
    };
    match act {
        Act::DelayHead(d) => {
            std::thread::sleep(*d);
            full(stream)
        }
        Act::StallHalfway(d) => {
            let half = reply.body.len() / 2;
            let _ = stream.write_all(head(Some(body_len), reply.status, "").as_bytes());
            let _ = stream.write_all(&reply.body[..half]);
            let _ = stream.flush();
            std::thread::sleep(*d);
            false
        }
        Act::ShortBody { extra } => {
            let _ =
                stream.write_all(head(Some(body_len + *extra as u64), reply.status, "").as_bytes());
            let _ = stream.write_all(&reply.body);
            let _ = stream.flush();
            false
        }
        Act::DeclaredLength(n) => {
            let _ = stream.write_all(head(Some(*n), reply.status, "").as_bytes());
            let _ = stream.flush();
            // Leave the client time to read the head and give up on its own.
            std::thread::sleep(Duration::from_millis(200));
            false
        }
        Act::Endless => {
            if stream
                .write_all(head(None, reply.status, "Transfer-Encoding: chunked\r\n").as_bytes())
                .is_err()
            {
                return false;
            }
            let chunk = vec![b'0'; 64 * 1024];
            let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
            framed.extend_from_slice(&chunk);
            framed.extend_from_slice(b"\r\n");
            let _ = stream.set_write_timeout(Some(Duration::from_secs(5)));
            let mut sent = 0u64;
            // Stops when the client hangs up (or stops reading for 5 s); 16 GiB at most.
            while sent < 16 << 30 && stream.write_all(&framed).is_ok() {
                sent += chunk.len() as u64;
            }
            *shared
                .lock()
                .unwrap()
                .sent
                .entry(seen.path.clone())
                .or_default() += sent;
            false
        }
        Act::Conditional => {
            let etag_hit = header_of(reply, "ETag")
                .is_some_and(|e| seen.headers.get("if-none-match").is_some_and(|v| v == e));
            let lm_hit = header_of(reply, "Last-Modified").is_some_and(|l| {
                seen.headers
                    .get("if-modified-since")
                    .is_some_and(|v| v == l)
            });
            if etag_hit || lm_hit {
                stream.write_all(head(None, 304, "").as_bytes()).is_ok() && stream.flush().is_ok()
            } else {
                full(stream)
            }
        }
        Act::Gate(gate) => {
            gate.wait(Duration::from_secs(60));
            full(stream)
        }
        Act::HangUntilDropped => {
            let half = reply.body.len() / 2;
            let _ = stream.write_all(head(Some(body_len), reply.status, "").as_bytes());
            let _ = stream.write_all(&reply.body[..half]);
            let _ = stream.flush();
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let deadline = std::time::Instant::now() + Duration::from_secs(120);
            let mut buf = [0u8; 512];
            while std::time::Instant::now() < deadline {
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) => {}
                    Err(_) => break,
                }
            }
            false
        }
    }
}

fn handle(stream: TcpStream, shared: Arc<Mutex<Shared>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut stream = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line).unwrap_or(0) == 0 {
            return;
        }
        let method = request_line
            .split_whitespace()
            .next()
            .unwrap_or("GET")
            .to_string();
        let path = request_line
            .split_whitespace()
            .nth(1)
            .unwrap_or("/")
            .to_string();
        let mut headers = HashMap::new();
        let mut content_length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                let k = k.trim().to_ascii_lowercase();
                if k == "content-length" {
                    content_length = v.trim().parse().unwrap_or(0);
                }
                headers.insert(k, v.trim().to_string());
            }
        }
        let mut body = vec![0; content_length];
        if content_length > 0 && reader.read_exact(&mut body).is_err() {
            body.clear();
        }
        let seen = Seen {
            method,
            path: path.clone(),
            headers,
            body,
        };
        let (reply, act) = {
            let mut s = shared.lock().unwrap();
            s.seen.push(seen.clone());
            let queued = s.queued.get_mut(&path).and_then(|q| q.pop_front());
            (
                queued.or_else(|| s.routes.get(&path).cloned()),
                s.acts.get(&path).cloned(),
            )
        };
        let reply = reply.unwrap_or_else(|| Reply::status(404));
        if let Some(act) = act {
            if write_act(&mut stream, &reply, &act, &seen, &shared) {
                continue;
            }
            return;
        }
        let mut head = format!("HTTP/1.1 {} X\r\n", reply.status);
        for (k, v) in &reply.headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str(&format!("Content-Length: {}\r\n\r\n", reply.body.len()));
        if stream.write_all(head.as_bytes()).is_err() || stream.write_all(&reply.body).is_err() {
            return;
        }
        let _ = stream.flush();
    }
}

/// A temporary project (feeds.toml, state, out/) and the loopback server its sources live on.
/// What a test file shares (its `[settings]` keys, the pinned clock) is set once with the
/// `with_*` builders; a test states only its pages, its sources and its assertions.
pub struct Site {
    pub dir: tempfile::TempDir,
    pub server: Server,
    settings: String,
    feed_keys: String,
    now: Option<String>,
}

impl Site {
    pub fn new() -> Site {
        Site {
            dir: tempfile::tempdir().unwrap(),
            server: Server::start(),
            settings: String::new(),
            feed_keys: String::new(),
            now: None,
        }
    }

    /// More `[settings]` lines for [`Site::config`] (beside no host delay and no retries).
    pub fn with_settings(mut self, lines: &str) -> Site {
        self.settings = lines.to_string();
        self
    }

    /// More keys for the `all` feed that [`Site::config`] writes.
    pub fn with_feed_keys(mut self, lines: &str) -> Site {
        self.feed_keys = lines.to_string();
        self
    }

    /// Every [`Site::run`] starts with `--now <now>`.
    pub fn with_now(mut self, now: &str) -> Site {
        self.now = Some(now.to_string());
        self
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A file in `out/`.
    pub fn out(&self, name: &str) -> PathBuf {
        self.path().join("out").join(name)
    }

    /// The server's URL for `path`.
    pub fn url(&self, path: &str) -> String {
        self.server.url(path)
    }

    /// Serve `body` at `path` with a 200 and `content_type`.
    pub fn serve(&self, path: &str, content_type: &str, body: impl Into<Vec<u8>>) {
        self.server.set(path, Reply::ok(content_type, body));
    }

    pub fn serve_html(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.serve(path, "text/html", body);
    }

    pub fn serve_rss(&self, path: &str, body: impl Into<Vec<u8>>) {
        self.serve(path, "application/rss+xml", body);
    }

    /// feeds.toml as given, word for word.
    pub fn write_config(&self, text: &str) {
        std::fs::write(self.path().join("feeds.toml"), text).unwrap();
    }

    /// feeds.toml: `[settings]` with no host delay, no retries and the site's settings, the
    /// `sources` blocks, and one feed `all` (title "All", the site's feed keys) merging them.
    pub fn config(&self, sources: &str) {
        self.write_config(&format!(
            "[settings]\nhost_delay = \"0s\"\nretries = 0\n{}\n\n{sources}\n\
             [[feed]]\nid = \"all\"\ntitle = \"All\"\n{}\n",
            self.settings, self.feed_keys
        ));
    }

    /// `[[source]]` blocks for (id, path on this site's server), no other keys.
    pub fn sources(&self, list: &[(&str, &str)]) -> String {
        list.iter()
            .map(|(id, path)| source(id, &self.url(path), ""))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `feedwright <args>` in the project (after `--now` when the site pins one).
    pub fn run(&self, args: &[&str]) -> Output {
        let mut all: Vec<&str> = Vec::new();
        if let Some(now) = &self.now {
            all.extend(["--now", now.as_str()]);
        }
        all.extend_from_slice(args);
        run_in(self.path(), &all)
    }

    /// [`Site::run`], which must exit 0.
    pub fn run_ok(&self, args: &[&str]) -> Output {
        let out = self.run(args);
        assert_eq!(out.status.code(), Some(0), "stderr: {}", stderr(&out));
        out
    }

    /// The items of `out/<feed>.json`.
    pub fn json_items(&self, feed: &str) -> Vec<serde_json::Value> {
        let text = std::fs::read_to_string(self.out(&format!("{feed}.json"))).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        v["items"].as_array().unwrap().clone()
    }
}

impl Default for Site {
    fn default() -> Site {
        Site::new()
    }
}

/// A `[[source]]` block: `id`, `url` and the `extra` key lines.
pub fn source(id: &str, url: &str, extra: &str) -> String {
    format!("[[source]]\nid = \"{id}\"\nurl = \"{url}\"\n{extra}\n")
}

/// The path of the binary under test.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_feedwright"))
}

/// `feedwright` with `args` in `dir` (config `dir/feeds.toml`), clock pinned, no config path
/// or log filter taken from the environment: ready to run or spawn.
pub fn command_in(dir: &Path, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(bin());
    cmd.current_dir(dir)
        .args(args)
        .env("FEEDWRIGHT_NOW", "2026-11-29T12:00:00Z")
        .env_remove("FEEDWRIGHT_CONFIG")
        .env_remove("FEEDWRIGHT_LOG");
    cmd
}

/// Run `feedwright` with `args` in `dir` ([`command_in`]).
pub fn run_in(dir: &Path, args: &[&str]) -> Output {
    command_in(dir, args).output().expect("run feedwright")
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `../shared` beside the project (or `$FEEDWRIGHT_SHARED`), when it exists.
pub fn shared_dir() -> Option<PathBuf> {
    let p = std::env::var_os("FEEDWRIGHT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    p.is_dir().then_some(p)
}

/// An RSS 2.0 document for channel `title` (its link `https://<title, lowercase, no spaces>.test/`)
/// with `items` given as (guid, title, link, RFC 2822 date); each item's description is
/// "About <title>".
pub fn rss_channel(title: &str, items: &[(&str, &str, &str, &str)]) -> String {
    let mut body = format!(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>{title}</title><link>https://{}.test/</link><description>d</description>\n",
        title.to_lowercase().replace(' ', "")
    );
    for (guid, t, link, date) in items {
        body.push_str(&format!(
            "<item><title>{t}</title><link>{link}</link><guid isPermaLink=\"false\">{guid}</guid><pubDate>{date}</pubDate><description>About {t}</description></item>\n"
        ));
    }
    body.push_str("</channel></rss>\n");
    body
}

/// The entry titles of a written feed (any format), in order; "" for an untitled entry.
pub fn feed_titles(path: &Path) -> Vec<String> {
    reparse(path)
        .entries
        .iter()
        .map(|e| {
            e.title
                .as_ref()
                .map(|t| t.content.clone())
                .unwrap_or_default()
        })
        .collect()
}

/// Parse a written feed back with feed-rs, panicking with the file name on failure.
pub fn reparse(path: &Path) -> feed_rs::model::Feed {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Read a file as a strict XML document (every event), panicking on the first error.
pub fn strict_xml(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let mut reader = quick_xml::Reader::from_reader(&bytes[..]);
    reader.config_mut().check_end_names = true;
    let mut buf = Vec::new();
    let mut depth = 0i64;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::GeneralRef(r)) => {
                if r.is_char_ref() {
                    let c = r
                        .resolve_char_ref()
                        .unwrap_or_else(|e| panic!("{}: bad char ref: {e}", path.display()));
                    assert!(c.is_some(), "{}: bad char ref", path.display());
                } else {
                    let name = r[..].to_string();
                    assert!(
                        ["lt", "gt", "amp", "apos", "quot"].contains(&name.as_str()),
                        "{}: undeclared entity &{name};",
                        path.display()
                    );
                }
            }
            Ok(_) => {}
            Err(e) => panic!(
                "{}: not well-formed at byte {}: {e}",
                path.display(),
                reader.buffer_position()
            ),
        }
        buf.clear();
    }
    assert_eq!(depth, 0, "{}: unbalanced elements", path.display());
}
