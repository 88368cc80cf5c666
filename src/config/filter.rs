//! Feed filter patterns, `[field:][regex:]text`, compiled once at config time so a bad field
//! or regex is a config error with a line:col. Plain text is a case-insensitive whole-word
//! match; `regex:` text is used as written (add `(?i)` for case-insensitivity).

use std::fmt;

/// Which part of an item a filter looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FilterField {
    Title,
    Summary,
    Content,
    Author,
    Category,
    Link,
}

impl FilterField {
    /// Every field, in the order they are documented.
    pub const ALL: [FilterField; 6] = [
        FilterField::Title,
        FilterField::Summary,
        FilterField::Content,
        FilterField::Author,
        FilterField::Category,
        FilterField::Link,
    ];

    /// The fields a pattern without a `field:` prefix looks at.
    pub const DEFAULT: [FilterField; 3] = [
        FilterField::Title,
        FilterField::Summary,
        FilterField::Content,
    ];

    /// The name used in patterns (`title`, `summary` …).
    pub fn name(self) -> &'static str {
        match self {
            FilterField::Title => "title",
            FilterField::Summary => "summary",
            FilterField::Content => "content",
            FilterField::Author => "author",
            FilterField::Category => "category",
            FilterField::Link => "link",
        }
    }

    fn from_name(name: &str) -> Option<FilterField> {
        FilterField::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// One compiled `include`/`exclude` pattern.
#[derive(Debug, Clone)]
pub struct Filter {
    /// The pattern as written in feeds.toml.
    pub pattern: String,
    /// `None`: title, summary and content ([`FilterField::DEFAULT`]).
    pub field: Option<FilterField>,
    pub regex: regex::Regex,
}

impl Filter {
    /// The fields this filter looks at.
    pub fn fields(&self) -> &'static [FilterField] {
        match self.field {
            None => &FilterField::DEFAULT,
            Some(FilterField::Title) => &[FilterField::Title],
            Some(FilterField::Summary) => &[FilterField::Summary],
            Some(FilterField::Content) => &[FilterField::Content],
            Some(FilterField::Author) => &[FilterField::Author],
            Some(FilterField::Category) => &[FilterField::Category],
            Some(FilterField::Link) => &[FilterField::Link],
        }
    }

    /// Whether the filter matches an item, given a way to read the item's text for a field
    /// (several texts per field are allowed, e.g. one per category or author).
    pub fn matches<'t, F, I>(&self, mut text_of: F) -> bool
    where
        F: FnMut(FilterField) -> I,
        I: IntoIterator<Item = &'t str>,
    {
        self.fields()
            .iter()
            .any(|&field| text_of(field).into_iter().any(|t| self.regex.is_match(t)))
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.pattern)
    }
}

/// Compiled-regex size cap: patterns come from the config, but keep them small anyway.
const REGEX_SIZE_LIMIT: usize = 1 << 20;

/// Parse and compile one pattern; the error says what to fix.
pub fn parse_filter(pattern: &str) -> Result<Filter, String> {
    let (field, rest) = split_field(pattern)?;
    let (is_regex, text) = match rest.strip_prefix("regex:") {
        Some(text) => (true, text),
        None => (false, rest),
    };
    if text.trim().is_empty() {
        return Err(format!(
            "filter `{pattern}` has no text to match: write e.g. \"title:rust\" or \"regex:^Re:\""
        ));
    }
    let source = if is_regex {
        text.to_owned()
    } else {
        whole_word_regex(text)
    };
    let regex = regex::RegexBuilder::new(&source)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| {
            format!(
                "filter `{pattern}`: invalid regex: {}",
                one_line(&e.to_string())
            )
        })?;
    Ok(Filter {
        pattern: pattern.to_owned(),
        field,
        regex,
    })
}

/// Split off a `field:` prefix: a run of ASCII letters followed by `:`. `regex:` is not a
/// field. An unknown name is an error rather than text, so typos do not silently match nothing.
fn split_field(pattern: &str) -> Result<(Option<FilterField>, &str), String> {
    let Some((head, rest)) = pattern.split_once(':') else {
        return Ok((None, pattern));
    };
    if head == "regex" || head.is_empty() || !head.bytes().all(|b| b.is_ascii_alphabetic()) {
        return Ok((None, pattern));
    }
    match FilterField::from_name(head) {
        Some(field) => Ok((Some(field), rest)),
        None => {
            let names: Vec<&str> = FilterField::ALL.iter().map(|f| f.name()).collect();
            let hint = super::locate::did_you_mean(head, &names);
            Err(format!(
                "unknown filter field `{head}`{hint} (fields: {}); to match text containing `:`, write \"regex:\" and the escaped text",
                names.join(", ")
            ))
        }
    }
}

/// Case-insensitive whole-word regex for plain text; inner whitespace matches any whitespace.
/// A word boundary is required only at ends that are word characters, so `C++` still matches.
fn whole_word_regex(text: &str) -> String {
    let text = text.trim();
    let escaped: Vec<String> = text.split_whitespace().map(regex::escape).collect();
    let is_word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let start = if is_word(text.chars().next()) {
        r"\b"
    } else {
        ""
    };
    let end = if is_word(text.chars().last()) {
        r"\b"
    } else {
        ""
    };
    format!("(?i){start}{}{end}", escaped.join(r"\s+"))
}

fn one_line(message: &str) -> String {
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str) -> Filter {
        match parse_filter(pattern) {
            Ok(filter) => filter,
            Err(e) => panic!("{pattern}: {e}"),
        }
    }

    #[test]
    fn plain_text_is_case_insensitive_whole_word() {
        let f = check("rust");
        assert_eq!(f.field, None);
        assert!(f.regex.is_match("Learning Rust today"));
        assert!(!f.regex.is_match("trusty rusting"));
        let f = check("title:C++");
        assert_eq!(f.field, Some(FilterField::Title));
        assert!(f.regex.is_match("why c++ is hard"));
        let f = check("a.b  c");
        assert!(f.regex.is_match("x A.B\tc y"));
        assert!(!f.regex.is_match("axb c"));
    }

    #[test]
    fn regex_prefix_is_used_as_written() {
        let f = check("link:regex:^https://example\\.com/");
        assert_eq!(f.field, Some(FilterField::Link));
        assert!(f.regex.is_match("https://example.com/a"));
        assert!(!f.regex.is_match("HTTPS://EXAMPLE.COM/a"));
        let f = check("regex:(?i)^re:");
        assert_eq!(f.field, None);
        assert!(f.regex.is_match("RE: hello"));
    }

    #[test]
    fn field_and_text_split() {
        assert_eq!(check("category:news").fields(), &[FilterField::Category]);
        assert_eq!(check("news").fields(), &FilterField::DEFAULT);
        // text after a field may hold colons
        let f = check("title:Breaking: news");
        assert!(f.regex.is_match("breaking: NEWS today"));
        // a non-letter head is text, not a field
        assert_eq!(check("12:30").field, None);
    }

    #[test]
    fn errors() {
        let e = parse_filter("titel:rust").err().unwrap_or_default();
        assert!(e.contains("unknown filter field `titel`"), "{e}");
        assert!(e.contains("did you mean `title`"), "{e}");
        let e = parse_filter("regex:(unclosed").err().unwrap_or_default();
        assert!(e.contains("invalid regex"), "{e}");
        assert!(!e.contains('\n'), "{e}");
        assert!(parse_filter("title:").is_err());
        assert!(parse_filter("").is_err());
        assert!(parse_filter("regex:").is_err());
    }

    #[test]
    fn matches_reads_the_right_fields() {
        let f = check("author:alice");
        let hit = f.matches(|field| match field {
            FilterField::Author => vec!["Bob", "Alice Smith"],
            _ => vec![],
        });
        assert!(hit);
        let miss = check("alice").matches(|field| match field {
            FilterField::Author => vec!["Alice"],
            _ => vec!["nothing here"],
        });
        assert!(!miss);
    }
}
