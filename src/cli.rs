//! The command line (clap derive): global flags that work before or after the command, and the
//! commands of the contract that exist so far.

use clap::{Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "feedwright",
    version,
    about = "Turn feeds and feedless news/blog pages into merged RSS 2.0, Atom 1.0 and JSON Feed files",
    after_help = "Exit status: 0 all good; 1 some source failed (status: a source failing or warned); 2 config, usage or fatal error."
)]
pub struct Cli {
    /// The configuration file.
    #[arg(
        short = 'c',
        long = "config",
        global = true,
        env = "FEEDWRIGHT_CONFIG",
        default_value = "feeds.toml"
    )]
    pub config: PathBuf,

    /// Less output: only errors (repeat to silence those too).
    #[arg(short = 'q', long = "quiet", global = true, action = clap::ArgAction::Count)]
    pub quiet: u8,

    /// More output: -v a summary line and per-source results, -vv debugging detail.
    #[arg(short = 'v', long = "verbose", global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Log line format on stderr.
    #[arg(long = "log-format", global = true, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,

    /// Pin the clock (RFC 3339) for every time computation; for reproducible runs and tests.
    #[arg(long = "now", global = true, env = "FEEDWRIGHT_NOW", hide = true)]
    pub now: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Read the sources that are due (or those named) and rebuild the feeds in out/.
    Run {
        /// Read only these sources (even if not due); feeds are still rebuilt from every
        /// source's stored items.
        #[arg(value_name = "SOURCE_ID")]
        sources: Vec<String>,
        /// Read every enabled source now, whether due or not.
        #[arg(long)]
        force: bool,
    },
    /// Validate feeds.toml without touching the network.
    Check,
    /// Show what a source yields (title, link, date with precision, author) and explain
    /// problems; writes nothing. Exit 1 when nothing was extracted.
    Preview {
        #[arg(value_name = "SOURCE_ID")]
        source: String,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Per-source health from the state, as a table (or JSON); exit 1 when a source is failing
    /// or has a warning.
    Status {
        /// Print JSON (the status file's shape) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Append the feeds of an OPML file to feeds.toml as [[source]] entries (comments and
    /// formatting kept; URLs already present skipped).
    ImportOpml {
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
    /// Print every enabled source as OPML on stdout.
    ExportOpml,
    /// Run the post-page extraction on one page (a file, an http(s) URL, or `-` for stdin) and
    /// print its title, author, dates, language, image and body. Exit status 1 when no article
    /// body could be extracted (an app shell, an empty page).
    Extract {
        /// A file path, an http(s) URL, or `-` to read stdin.
        #[arg(value_name = "PATH|URL|-")]
        input: String,
        /// The page's address, for a file or stdin (base for relative links and dates).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Drop a source's stored items and validators so the next run reads it afresh.
    Forget {
        #[arg(value_name = "SOURCE_ID")]
        source: String,
    },
    /// Keep running: read each source when it is due, rebuild the feeds; SIGHUP reloads
    /// feeds.toml, SIGTERM/SIGINT stop (waiting `settings.shutdown_grace` for a pass).
    Daemon {
        /// Also serve out/ read-only on this address (e.g. 127.0.0.1:8080; port 0 picks one).
        #[arg(long, value_name = "ADDR")]
        serve: Option<std::net::SocketAddr>,
    },
    /// Serve out/ read-only over HTTP (ETag, Last-Modified, 304, gzip/br, /healthz).
    Serve {
        /// Address to listen on (port 0 picks a free one; the real one is printed).
        #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
}
