//! The `feedwright` binary: parse the command line, set up logging, hand over to the library,
//! and turn the outcome into the contract's exit status (0 ok, 1 some source failed, 2 config
//! or fatal error).

use clap::Parser;
use feedwright::cli::{Cli, LogFormat};
use std::process::ExitCode;

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    init_logging(&cli);
    match feedwright::app::entry(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("feedwright: error: {e:#}");
            ExitCode::from(2)
        }
    }
}

/// glibc's malloc without fastbins (`M_MXFAST = 0`; the per-thread cache still serves small
/// blocks). A run frees many small blocks at once (each parsed page's DOM, each decoded item),
/// which filled the fastbins, and every later request of 1 KB or more then consolidated them
/// all: `malloc_consolidate` and `unlink_chunk` were ~5 % of a cold 500-page run's CPU. Same
/// peak memory, ~10 % less CPU there (bench/interleave.py, `GLIBC_TUNABLES=glibc.malloc.mxfast=0`
/// on the same binary gives the same effect).
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn tune_allocator() {
    // SAFETY: `mallopt` only sets an allocator parameter; it runs first thing in `main`, before
    // any other thread exists.
    unsafe {
        libc::mallopt(libc::M_MXFAST, 0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn tune_allocator() {}

fn init_logging(cli: &Cli) {
    let level = match (cli.quiet, cli.verbose) {
        (q, _) if q >= 2 => "off",
        (1, _) => "error",
        (_, 0) => "warn",
        (_, 1) => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_env("FEEDWRIGHT_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(format!("feedwright={level}")));
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    // A progress bar only for people watching: a terminal, not quiet, text logs.
    feedwright::progress::enable(tty && cli.quiet == 0 && cli.log_format == LogFormat::Text);
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(feedwright::progress::LogWriter)
        .with_target(false);
    match cli.log_format {
        // One object per line: timestamp, level, message and the event's fields (`source`)
        // at the top level.
        LogFormat::Json => builder
            .json()
            .flatten_event(true)
            .with_current_span(false)
            .with_span_list(false)
            .with_ansi(false)
            .init(),
        LogFormat::Text => builder.with_ansi(tty).without_time().init(),
    }
}
