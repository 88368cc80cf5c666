//! Where the shared corpora live for the corpus tests, and every file below a folder:
//! `FEEDWRIGHT_SHARED`, else `../shared` beside the crate when it holds `corpora/`, else
//! `/work/shared`. Tests that find none print a note and pass.

use std::path::{Path, PathBuf};

pub fn shared_root() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("FEEDWRIGHT_SHARED") {
        return Some(PathBuf::from(p));
    }
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if beside.join("corpora").exists() {
        return Some(beside);
    }
    let abs = PathBuf::from("/work/shared");
    abs.join("corpora").exists().then_some(abs)
}

/// Every file below `dir`, depth first, in name order.
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}
