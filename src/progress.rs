//! The progress bar of an interactive run: one indicatif bar on stderr while several sources
//! are read, and a log writer that lifts the bar out of the way for every log line so the two
//! never garble each other. `main` switches it on only for a terminal, without `-q` and with
//! text logs; otherwise [`Progress`] is an inert value and logs go straight to stderr.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::{self, Write};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

static ENABLED: AtomicBool = AtomicBool::new(false);
/// The bar on screen right now, if any (the log writer needs it).
static CURRENT: Mutex<Option<ProgressBar>> = Mutex::new(None);

/// Allow progress bars in this process (`main` decides: a TTY, not quiet, text logs).
pub fn enable(on: bool) {
    ENABLED.store(on, Ordering::Relaxed);
}

/// A progress bar for one batch of work; hidden unless enabled and the batch has at least two
/// steps. Cleared from the screen when dropped.
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn start(len: usize, what: &str) -> Progress {
        if !ENABLED.load(Ordering::Relaxed) || len < 2 {
            return Progress { bar: None };
        }
        let bar = ProgressBar::with_draw_target(
            Some(u64::try_from(len).unwrap_or(u64::MAX)),
            ProgressDrawTarget::stderr(),
        );
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} {wide_msg}")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_prefix(what.to_string());
        if let Ok(mut current) = CURRENT.lock() {
            *current = Some(bar.clone());
        }
        Progress { bar: Some(bar) }
    }

    /// One step done; `label` names it (a source id).
    pub fn inc(&self, label: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(label.to_string());
            bar.inc(1);
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
            if let Ok(mut current) = CURRENT.lock() {
                *current = None;
            }
        }
    }
}

/// A `tracing_subscriber` writer for stderr that hides the progress bar while a log line is
/// written.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogWriter;

/// One log event's bytes, written out in one piece when dropped.
pub struct LineWriter {
    buf: Vec<u8>,
}

impl Write for LineWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for LineWriter {
    fn drop(&mut self) {
        if self.buf.is_empty() {
            return;
        }
        let bar = CURRENT.lock().ok().and_then(|c| c.clone());
        let write = || {
            let mut err = io::stderr().lock();
            let _ = err.write_all(&self.buf);
            let _ = err.flush();
        };
        match bar {
            Some(bar) => bar.suspend(write),
            None => write(),
        }
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for LogWriter {
    type Writer = LineWriter;

    fn make_writer(&'a self) -> LineWriter {
        LineWriter { buf: Vec::new() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disabled_progress_is_inert() {
        let p = Progress::start(5, "x");
        assert!(p.bar.is_none());
        p.inc("a");
    }
}
