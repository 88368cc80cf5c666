//! The `[source.selectors]` table of an html source, turned from raw TOML into typed, compiled
//! [`Selectors`]. Each key takes a CSS selector string, a `selector@attr` shorthand, or a table
//! `{ selector = "…", attr = "…" }`; `fields = { … }` is accepted as a nested spelling of the
//! same keys. Every problem (unknown key, wrong type, a selector that does not compile, a
//! missing `item`) becomes a [`ConfigError::Invalid`] at the value's line:col, with the key
//! `source[N].selectors.<key>`.

use std::collections::BTreeMap;
use std::path::Path;

use super::locate::did_you_mean;
use super::{ConfigError, SourceConfig, SourceKind};

/// The keys a selectors table may hold, in the order the README documents them.
pub const SELECTOR_KEYS: [&str; 10] = [
    "item",
    "title",
    "link",
    "date",
    "author",
    "summary",
    "content",
    "image",
    "categories",
    "next_page",
];

/// One compiled selector and the attribute to read from what it matches (`None`: the field's
/// default, see the README).
#[derive(Debug, Clone)]
pub struct FieldSelector {
    /// The selector as written, for messages.
    pub css: String,
    pub selector: scraper::Selector,
    pub attr: Option<String>,
}

/// The compiled selectors of one html source. Only `item` is required.
#[derive(Debug, Clone)]
pub struct Selectors {
    /// Each match is one item; every other selector is applied inside it.
    pub item: FieldSelector,
    pub title: Option<FieldSelector>,
    pub link: Option<FieldSelector>,
    pub date: Option<FieldSelector>,
    pub author: Option<FieldSelector>,
    pub summary: Option<FieldSelector>,
    pub content: Option<FieldSelector>,
    pub image: Option<FieldSelector>,
    pub categories: Option<FieldSelector>,
    /// Applied to the whole page: the link to the next list page.
    pub next_page: Option<FieldSelector>,
}

impl Selectors {
    /// Selectors with only `item` set (for tests and callers building them in code).
    pub fn with_item(css: &str) -> Result<Selectors, String> {
        Ok(Selectors {
            item: compile(css, None)?,
            title: None,
            link: None,
            date: None,
            author: None,
            summary: None,
            content: None,
            image: None,
            categories: None,
            next_page: None,
        })
    }
}

/// Compile one selector (with the `selector@attr` shorthand when `attr` is `None`).
pub fn compile(css: &str, attr: Option<&str>) -> Result<FieldSelector, String> {
    let (css, attr) = match attr {
        Some(a) => (css.trim(), Some(a.trim())),
        None => split_shorthand(css.trim()),
    };
    if css.is_empty() {
        return Err("empty selector: write a CSS selector such as \"article.post\"".into());
    }
    if let Some(a) = attr {
        check_attr(a)?;
    }
    let selector = scraper::Selector::parse(css)
        .map_err(|e| format!("`{css}` is not a valid CSS selector: {e}"))?;
    Ok(FieldSelector {
        css: css.to_owned(),
        selector,
        attr: attr.map(str::to_owned),
    })
}

/// `h2 a@href` → (`h2 a`, `href`): an `@` outside brackets and quotes followed by an attribute
/// name that ends the string.
fn split_shorthand(text: &str) -> (&str, Option<&str>) {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut at = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '(') => depth += 1,
            (None, ']' | ')') => depth -= 1,
            (None, '@') if depth == 0 => at = Some(i),
            _ => {}
        }
    }
    match at {
        Some(i) => {
            let (css, attr) = (text.get(..i).unwrap_or(""), text.get(i + 1..).unwrap_or(""));
            if !css.trim().is_empty() && is_attr_name(attr) {
                (css.trim(), Some(attr))
            } else {
                (text, None)
            }
        }
        None => (text, None),
    }
}

fn is_attr_name(a: &str) -> bool {
    !a.is_empty()
        && a.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
}

fn check_attr(a: &str) -> Result<(), String> {
    if is_attr_name(a) {
        Ok(())
    } else {
        Err(format!(
            "`{a}` is not an attribute name: write e.g. attr = \"href\" or attr = \"datetime\""
        ))
    }
}

/// Where selector errors point. Positions are only looked up when there is an error to report
/// (a config that loads fine never needs them, and finding them for thousands of sources was a
/// measurable share of every run's start-up).
pub(super) struct Where<'a> {
    pub path: &'a Path,
    /// `source[N]`.
    pub key: &'a str,
    /// Used when no value position is known (a missing `item`): the source's header.
    pub fallback: (usize, usize),
    /// The 1-based line:col of every value under this source's `[source.selectors]`, keyed by
    /// its dotted path relative to that table (`item`, `fields.title`, `exclude[2]`); called
    /// at most once, for an error.
    pub positions: &'a dyn Fn() -> BTreeMap<String, (usize, usize)>,
}

impl Where<'_> {
    /// An error at the first of `paths` that has a position (a value, or the first value
    /// under a table), else at the fallback.
    fn err(&self, paths: &[&str], field: &str, message: impl Into<String>) -> ConfigError {
        let positions = (self.positions)();
        let at = paths
            .iter()
            .find_map(|p| position_of(&positions, p))
            .unwrap_or(self.fallback);
        self.err_at(at, field, message)
    }

    fn err_at(&self, at: (usize, usize), field: &str, message: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            path: self.path.to_path_buf(),
            line: at.0,
            col: at.1,
            key: format!("{}.selectors.{field}", self.key),
            message: message.into(),
        }
    }
}

/// The typed selectors of `source` (already built, with `selectors` set): `None` when it has
/// no selectors table and is not an html source.
pub(super) fn selectors_of(
    source: &SourceConfig,
    at: &Where<'_>,
) -> Result<Option<Selectors>, ConfigError> {
    match &source.selectors {
        Some(table) => build(table, at).map(Some),
        None if source.kind == SourceKind::Html => Err(at.err_at(
            at.fallback,
            "item",
            format!(
                "source `{}` has kind = \"html\" but no selectors: add a [source.selectors] table with at least item = \"…\" (the CSS selector of one post in the list)",
                source.id
            ),
        )),
        None => Ok(None),
    }
}

/// A key that is equal for two selector tables exactly when they are equal (same keys, in the
/// same order, same strings), so that they compile to the same [`Selectors`]; `None` for a
/// table holding anything but strings and tables (an error to report in place).
pub(super) fn table_key(table: &toml::Table) -> Option<String> {
    fn walk(table: &toml::Table, out: &mut String) -> Option<()> {
        use std::fmt::Write as _;
        for (k, v) in table {
            // Lengths first: no key or string can run into the next.
            let _ = write!(out, "{}:{k}", k.len());
            match v {
                toml::Value::String(text) => {
                    let _ = write!(out, "s{}:{text}", text.len());
                }
                toml::Value::Table(inner) => {
                    let _ = write!(out, "t{}:", inner.len());
                    walk(inner, out)?;
                }
                _ => return None,
            }
        }
        Some(())
    }
    let mut out = String::with_capacity(256);
    walk(table, &mut out)?;
    Some(out)
}

/// The position of `path` (a value) or of the first value under it (a table).
fn position_of(positions: &BTreeMap<String, (usize, usize)>, path: &str) -> Option<(usize, usize)> {
    if let Some(p) = positions.get(path) {
        return Some(*p);
    }
    let prefix = format!("{path}.");
    positions
        .iter()
        .filter(|(k, _)| k.starts_with(&prefix))
        .map(|(_, v)| *v)
        .min()
}

fn build(table: &toml::Table, at: &Where<'_>) -> Result<Selectors, ConfigError> {
    // Flatten `fields = { … }` into the top level.
    let mut entries: Vec<(&str, String, &toml::Value)> = Vec::with_capacity(table.len());
    for (key, value) in table {
        if key == "fields" {
            let Some(inner) = value.as_table() else {
                return Err(at.err(
                    &[key],
                    key,
                    "`fields` must be a table of selectors, e.g. fields = { title = \"h2 a\" }",
                ));
            };
            for (k, v) in inner {
                entries.push((k, format!("fields.{k}"), v));
            }
        } else {
            entries.push((key, key.clone(), value));
        }
    }

    let mut found: [Option<FieldSelector>; SELECTOR_KEYS.len()] = Default::default();
    for (name, path, value) in entries {
        let Some(slot) = SELECTOR_KEYS.iter().position(|k| *k == name) else {
            let mut valid: Vec<&str> = SELECTOR_KEYS.to_vec();
            valid.push("fields");
            let hint = did_you_mean(name, &valid);
            let message = if hint.is_empty() {
                format!(
                    "unknown selector key `{name}`; valid keys: {}",
                    SELECTOR_KEYS.join(", ")
                )
            } else {
                format!("unknown selector key `{name}`{hint}")
            };
            return Err(at.err(&[&path], &path, message));
        };
        if found.get(slot).is_some_and(Option::is_some) {
            return Err(at.err(
                &[&path],
                &path,
                format!("selector `{name}` is given twice (once inside `fields`): keep one"),
            ));
        }
        let compiled = match value {
            toml::Value::String(css) => {
                compile(css, None).map_err(|m| at.err(&[&path], &path, m))?
            }
            toml::Value::Table(t) => {
                for k in t.keys() {
                    if k != "selector" && k != "attr" {
                        let sub = format!("{path}.{k}");
                        return Err(at.err(
                            &[&sub, &path],
                            &sub,
                            format!(
                                "unknown key `{k}`{}; a selector table holds `selector` and optionally `attr`",
                                did_you_mean(k, &["selector", "attr"])
                            ),
                        ));
                    }
                }
                let (spath, apath) = (format!("{path}.selector"), format!("{path}.attr"));
                let css = match t.get("selector") {
                    Some(toml::Value::String(s)) => s.as_str(),
                    Some(other) => {
                        return Err(at.err(
                            &[&spath, &path],
                            &spath,
                            format!("expected a CSS selector string, found {}", other.type_str()),
                        ));
                    }
                    None => {
                        return Err(at.err(
                            &[&path],
                            &path,
                            format!(
                                "missing `selector`: write {name} = {{ selector = \"…\", attr = \"…\" }}"
                            ),
                        ));
                    }
                };
                let attr = match t.get("attr") {
                    Some(toml::Value::String(s)) => Some(s.as_str()),
                    Some(other) => {
                        return Err(at.err(
                            &[&apath, &path],
                            &apath,
                            format!("expected an attribute name, found {}", other.type_str()),
                        ));
                    }
                    None => None,
                };
                let compiled = match attr {
                    Some(a) => {
                        check_attr(a.trim()).map_err(|m| at.err(&[&apath, &path], &apath, m))?;
                        compile(css, Some(a))
                    }
                    None => compile(css, None),
                };
                compiled.map_err(|m| at.err(&[&spath, &path], &spath, m))?
            }
            other => {
                return Err(at.err(
                    &[&path],
                    &path,
                    format!(
                        "expected a CSS selector string or a table {{ selector = \"…\", attr = \"…\" }}, found {}",
                        other.type_str()
                    ),
                ));
            }
        };
        if let Some(place) = found.get_mut(slot) {
            *place = Some(compiled);
        }
    }
    let [
        item,
        title,
        link,
        date,
        author,
        summary,
        content,
        image,
        categories,
        next_page,
    ] = found;
    let Some(item) = item else {
        let first = (at.positions)().values().min().copied();
        return Err(at.err_at(
            first.unwrap_or(at.fallback),
            "item",
            "missing `item`: the CSS selector that matches one post in the list, e.g. item = \"article\"",
        ));
    };
    Ok(Selectors {
        item,
        title,
        link,
        date,
        author,
        summary,
        content,
        image,
        categories,
        next_page,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shorthand_splits_only_a_trailing_attribute() {
        assert_eq!(split_shorthand("h2 a@href"), ("h2 a", Some("href")));
        assert_eq!(
            split_shorthand("a[href^=\"mailto:x@y\"]"),
            ("a[href^=\"mailto:x@y\"]", None)
        );
        assert_eq!(split_shorthand("@href"), ("@href", None));
        assert_eq!(split_shorthand("time@data-x"), ("time", Some("data-x")));
    }

    #[test]
    fn equal_tables_and_only_equal_tables_have_equal_keys() {
        let table = |text: &str| text.parse::<toml::Table>().unwrap();
        let key = |text: &str| table_key(&table(text));
        let base = key("item = \"a\"\nlink = { selector = \"b\", attr = \"href\" }");
        assert!(base.is_some());
        assert_eq!(
            base,
            key("item = \"a\"\n[link]\nselector = \"b\"\nattr = \"href\"")
        );
        for other in [
            "item = \"a\"\nlink = { selector = \"b\", attr = \"src\" }",
            "item = \"a\"\nlink = \"b@href\"",
            "item = \"a\"",
            // no string can pass for a key and a string
            "item = \"a1:xs1:y\"",
            "item = \"a\"\nx = \"y\"",
        ] {
            assert_ne!(base, key(other), "{other}");
        }
        assert_ne!(key("item = \"a1:xs1:y\""), key("item = \"a\"\nx = \"y\""));
        assert_eq!(key("item = 3"), None, "left to the full check");
    }

    #[test]
    fn compile_reports_bad_selectors() {
        let e = compile("div[[", None).unwrap_err();
        assert!(e.contains("`div[[` is not a valid CSS selector"), "{e}");
        assert!(compile("  ", None).is_err());
        assert!(compile("a", Some("bad attr")).is_err());
        let ok = compile("time.published", Some("datetime")).unwrap();
        assert_eq!(ok.attr.as_deref(), Some("datetime"));
    }

    fn error_of(text: &str) -> (usize, usize, String, String) {
        match super::super::parse(text, Path::new("/cfg/feeds.toml")) {
            Err(ConfigError::Invalid {
                line,
                col,
                key,
                message,
                ..
            }) => (line, col, key, message),
            other => panic!("expected an Invalid error, got {other:?}"),
        }
    }

    const HEAD: &str = "[[source]]\nid = \"a\"\nurl = \"https://a.example/\"\nkind = \"html\"\n";

    #[test]
    fn config_errors_point_at_the_selector() {
        let (line, col, key, message) =
            error_of(&format!("{HEAD}[source.selectors]\nitem = \"div[[\"\n"));
        assert_eq!(
            (line, col, key.as_str()),
            (6, 8, "source[1].selectors.item")
        );
        assert!(message.contains("not a valid CSS selector"), "{message}");

        let (line, col, key, _) = error_of(&format!(
            "{HEAD}[source.selectors]\nitem = \"li\"\nlink = {{ selector = \"a\", attr = \"bad attr\" }}\n"
        ));
        assert_eq!(
            (line, col, key.as_str()),
            (7, 33, "source[1].selectors.link.attr")
        );

        let (line, _, key, message) = error_of(&format!(
            "{HEAD}[source.selectors]\nitem = \"li\"\ntitel = \"h2\"\n"
        ));
        assert_eq!((line, key.as_str()), (7, "source[1].selectors.titel"));
        assert!(
            message.contains("did you mean") && message.contains("`title`"),
            "{message}"
        );

        let (line, _, key, message) =
            error_of(&format!("{HEAD}[source.selectors]\ntitle = \"h2\"\n"));
        assert_eq!((line, key.as_str()), (6, "source[1].selectors.item"));
        assert!(message.starts_with("missing `item`"), "{message}");

        let (line, col, key, message) = error_of(HEAD);
        assert_eq!(
            (line, col, key.as_str()),
            (1, 1, "source[1].selectors.item")
        );
        assert!(message.contains("no selectors"), "{message}");
    }

    #[test]
    fn errors_in_a_later_source_point_into_that_source() {
        // Positions are looked up only for an error: the lookup must find the right
        // `[[source]]` (not the first) and nested `fields` values.
        let other = "[[source]]\nid = \"b\"\nurl = \"https://b.example/\"\nkind = \"html\"\n[source.selectors]\nitem = \"li\"\n";
        let text = format!(
            "{HEAD}[source.selectors]\nitem = \"li\"\n\n{other}fields = {{ title = \"h2[[\" }}\n"
        );
        let line = text.lines().count();
        let col = text.lines().last().unwrap_or("").find("\"h2").unwrap_or(0) + 1;
        let (l, c, key, message) = error_of(&text);
        assert_eq!(
            (l, c, key.as_str()),
            (line, col, "source[2].selectors.fields.title")
        );
        assert!(message.contains("not a valid CSS selector"), "{message}");

        // A selector table without `item`: at the first value of the table.
        let text = format!("{HEAD}[source.selectors]\n\ntitle = \"h2\"\n");
        let (l, c, key, _) = error_of(&text);
        assert_eq!((l, c, key.as_str()), (7, 9, "source[1].selectors.item"));
    }

    #[test]
    fn every_spelling_compiles() {
        let config = super::super::parse(
            &format!(
                "{HEAD}[source.selectors]\nitem = \"article.post\"\nlink = \"h2 a@href\"\ndate = {{ selector = \"time\", attr = \"datetime\" }}\nfields = {{ author = \".fn\" }}\n"
            ),
            Path::new("/cfg/feeds.toml"),
        )
        .unwrap();
        let s = config.sources[0].css_selectors.as_ref().unwrap();
        assert_eq!(s.item.css, "article.post");
        let link = s.link.as_ref().unwrap();
        assert_eq!(
            (link.css.as_str(), link.attr.as_deref()),
            ("h2 a", Some("href"))
        );
        assert_eq!(s.date.as_ref().unwrap().attr.as_deref(), Some("datetime"));
        assert_eq!(s.author.as_ref().unwrap().css, ".fn");
    }
}
