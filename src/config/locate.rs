//! Positions in feeds.toml: byte offsets to 1-based line:col, byte offsets to the dotted key
//! path that holds them (`source[2].url`, 1-based array indices), and "did you mean" spelling
//! suggestions.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// 1-based line and column (in characters) of byte `offset` in `text`. Offsets past the end
/// or inside a character are clamped to the nearest position before them. The plain scan,
/// kept as the reference [`LineIndex`] is tested against.
#[cfg(test)]
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = text.get(..end).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    (line, col)
}

/// Where every line of a text starts, so that [`LineIndex::line_col`] (1-based line and column
/// in characters of a byte offset; offsets past the end or inside a character are clamped to
/// the nearest position before them) costs a binary search instead of a scan from the start of
/// the text (a scan for every value of a config with
/// thousands of sources was quadratic: a third of a whole run's CPU at 500 sources).
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Line and column of `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= end);
        let line_start = self
            .starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = text
            .get(line_start..end)
            .unwrap_or_default()
            .chars()
            .count()
            + 1;
        (line.max(1), col)
    }
}

/// The dotted key path of the innermost key or value in `root` whose span holds `offset`;
/// `None` when it is outside every key and value (e.g. in a comment or a table header).
pub fn key_path_at(root: &DeTable<'_>, offset: usize) -> Option<String> {
    find_in_table(root, offset, "")
}

fn contains(span: &Range<usize>, offset: usize) -> bool {
    span.contains(&offset) || (span.is_empty() && span.start == offset)
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_owned()
    } else {
        format!("{prefix}.{key}")
    }
}

fn find_in_table(table: &DeTable<'_>, offset: usize, prefix: &str) -> Option<String> {
    for (key, value) in table.iter() {
        let path = join(prefix, key.get_ref());
        if contains(&key.span(), offset) {
            return Some(path);
        }
        if let Some(found) = find_in_value(value, offset, &path) {
            return Some(found);
        }
    }
    None
}

fn find_in_value(value: &Spanned<DeValue<'_>>, offset: usize, path: &str) -> Option<String> {
    // Children first: an `[[array]]` element's own span is only its header.
    let inner = match value.get_ref() {
        DeValue::Table(table) => find_in_table(table, offset, path),
        DeValue::Array(array) => array
            .iter()
            .enumerate()
            .find_map(|(i, element)| find_in_value(element, offset, &format!("{path}[{}]", i + 1))),
        _ => None,
    };
    inner.or_else(|| contains(&value.span(), offset).then(|| path.to_owned()))
}

/// Like [`key_path_at`], but when `offset` is outside every key and value, the path of the
/// nearest one before it (looking back at most a few KiB); for errors in broken documents.
pub fn key_path_near(root: &DeTable<'_>, offset: usize) -> Option<String> {
    const LOOK_BACK: usize = 4096;
    let lowest = offset.saturating_sub(LOOK_BACK);
    (lowest..=offset).rev().find_map(|at| key_path_at(root, at))
}

/// Edit distance (Levenshtein, by characters) between `a` and `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(usize::from(ca != *cb));
            let delete = previous
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = current
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// The candidates close to `word` (by edit distance, or differing only in case, `-` vs `_`, or
/// a plural `s`), closest first.
pub fn close_matches<'a>(word: &str, candidates: &[&'a str]) -> Vec<&'a str> {
    let normalised = |s: &str| s.to_ascii_lowercase().replace('-', "_");
    let word_norm = normalised(word);
    let limit = match word.chars().count() {
        0..=2 => 1,
        3..=5 => 2,
        _ => 3,
    };
    let mut scored: Vec<(usize, &str)> = candidates
        .iter()
        .filter_map(|&candidate| {
            let cand_norm = normalised(candidate);
            let distance = if cand_norm == word_norm {
                0
            } else if cand_norm.trim_end_matches('s') == word_norm.trim_end_matches('s') {
                1
            } else {
                edit_distance(&word_norm, &cand_norm)
            };
            (distance <= limit).then_some((distance, candidate))
        })
        .collect();
    scored.sort();
    scored.into_iter().map(|(_, c)| c).collect()
}

/// ", did you mean `x`?" / ", did you mean `x` or `y`?" — empty when nothing is close.
pub fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    let matches = close_matches(word, candidates);
    match matches.as_slice() {
        [] => String::new(),
        [one] => format!(", did you mean `{one}`?"),
        [one, two, ..] => format!(", did you mean `{one}` or `{two}`?"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_in_chars() {
        let text = "a = 1\nb = \"é\"x\n";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 4), (1, 5));
        assert_eq!(line_col(text, 6), (2, 1));
        // after the two-byte é
        assert_eq!(line_col(text, 13), (2, 7));
        // inside the é: clamped back
        assert_eq!(line_col(text, 12), (2, 6));
        assert_eq!(line_col(text, 1000), (3, 1));
        let index = LineIndex::new(text);
        for offset in 0..=text.len() + 2 {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "{offset}"
            );
        }
    }

    #[test]
    fn key_paths_are_dotted_with_one_based_indices() {
        let text = "[settings]\nout_dir = \"x\"\n\n[[source]]\nid = \"a\"\n\n[[source]]\nid = \"b\"\ntags = [\"x\", \"y\"]\n[source.headers]\nAccept = \"z\"\n";
        let root = DeTable::parse(text).map(Spanned::into_inner);
        let Ok(root) = root else {
            panic!("test document must parse")
        };
        let at = |needle: &str| {
            let offset = text.find(needle).unwrap_or(usize::MAX);
            key_path_at(&root, offset)
        };
        assert_eq!(at("\"x\"\n"), Some("settings.out_dir".into()));
        assert_eq!(at("\"b\""), Some("source[2].id".into()));
        assert_eq!(at("\"y\""), Some("source[2].tags[2]".into()));
        assert_eq!(at("Accept"), Some("source[2].headers.Accept".into()));
        assert_eq!(key_path_at(&root, 0), Some("settings".into()));
        let blank = text.find("\n\n").unwrap_or(0) + 1;
        assert_eq!(key_path_at(&root, blank), None);
    }

    #[test]
    fn suggestions() {
        let keys = [
            "id",
            "url",
            "path",
            "kind",
            "timeout",
            "connect_timeout",
            "tags",
        ];
        assert_eq!(did_you_mean("urll", &keys), ", did you mean `url`?");
        assert_eq!(did_you_mean("tag", &keys), ", did you mean `tags`?");
        assert_eq!(
            did_you_mean("connect-timeout", &keys),
            ", did you mean `connect_timeout`?"
        );
        assert_eq!(did_you_mean("zzzzzz", &keys), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
