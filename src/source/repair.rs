//! Byte- and text-level repairs applied to a feed before it reaches the XML parser: character
//! encoding detection and decoding (BOM → valid UTF-8 → HTTP charset → declaration → guess),
//! removal of garbage before the document, expansion of entities the DOCTYPE declares,
//! replacement of undeclared HTML entities by numeric references, escaping of bare ampersands,
//! removal of characters XML 1.0 forbids, and small rewrites of the root element so feed-rs
//! recognises old dialects (Atom 0.3, RSS without a supported `version`). A last-resort
//! re-serialisation ([`salvage_xml`]) keeps the whole entries of a broken document. Every function
//! here is pure and linear in the size of its input.

use encoding_rs::Encoding;
use quick_xml::events::Event;
use std::collections::HashMap;

/// What the first non-blank character says the document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocKind {
    Xml,
    Json,
    Empty,
    Other,
}

/// Where the encoding used to decode the bytes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    Bom,
    Utf8,
    Http,
    Declared,
    Guessed,
}

/// The decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static Encoding,
    pub source: EncodingSource,
    /// Whether malformed byte sequences were replaced with U+FFFD.
    pub had_errors: bool,
}

/// Counts of what [`repair_xml`] changed, for warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RepairReport {
    /// Undeclared named entities replaced with numeric references.
    pub html_entities: usize,
    /// Unknown entities (neither XML, HTML nor declared) escaped as text.
    pub unknown_entities: usize,
    /// Ampersands that started no entity, escaped.
    pub bare_ampersands: usize,
    /// Characters (or character references) that XML 1.0 forbids, removed.
    pub forbidden_chars: usize,
    /// References to entities the DOCTYPE declares, expanded.
    pub declared_entities: usize,
    /// Bytes of garbage dropped before the document.
    pub leading_garbage: usize,
    /// Whether the root element was rewritten (Atom 0.3, RSS version, RSS namespace).
    pub root_rewritten: bool,
}

impl RepairReport {
    /// Human-readable warnings for the non-zero counts.
    pub fn warnings(&self) -> Vec<String> {
        let mut w = Vec::new();
        let mut add = |n: usize, what: &str| {
            if n > 0 {
                w.push(format!("repaired {n} {what}"));
            }
        };
        add(self.html_entities, "undeclared HTML entities");
        add(self.unknown_entities, "unknown entities (escaped as text)");
        add(self.bare_ampersands, "bare ampersands");
        add(self.forbidden_chars, "characters XML forbids (removed)");
        add(
            self.leading_garbage,
            "bytes of garbage before the document (dropped)",
        );
        w
    }
}

/// Decides what kind of document the text is from its first non-blank character.
pub fn doc_kind(text: &str) -> DocKind {
    match text
        .trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
        .chars()
        .next()
    {
        None => DocKind::Empty,
        Some('{') | Some('[') => DocKind::Json,
        Some('<') => DocKind::Xml,
        Some(_) => {
            if text.contains('<') {
                DocKind::Xml
            } else {
                DocKind::Other
            }
        }
    }
}

/// Decodes the raw bytes to text. Order: byte-order mark, valid UTF-8, the HTTP charset, the
/// XML declaration or `<meta charset>`, then a statistical guess. UTF-16/32 without BOM are
/// recognised from the zero bytes around the first `<`.
pub fn decode(bytes: &[u8], http_charset: Option<&str>) -> Decoded {
    let (encoding, source, skip) = detect_encoding(bytes, http_charset);
    let body = bytes.get(skip..).unwrap_or_default();
    let (text, had_errors) = if encoding == UTF_32LE_MARK || encoding == UTF_32BE_MARK {
        (decode_utf32(body, encoding == UTF_32BE_MARK), false)
    } else {
        let (cow, errors) = encoding.decode_without_bom_handling(body);
        (cow.into_owned(), errors)
    };
    Decoded {
        text,
        encoding: if encoding == UTF_32LE_MARK || encoding == UTF_32BE_MARK {
            encoding_rs::UTF_8
        } else {
            encoding
        },
        source,
        had_errors,
    }
}

// encoding_rs has no UTF-32; these two sentinels (encodings no feed declares) stand for it
// inside this module only.
static UTF_32LE_MARK: &Encoding = encoding_rs::X_USER_DEFINED;
static UTF_32BE_MARK: &Encoding = encoding_rs::REPLACEMENT;

fn decode_utf32(bytes: &[u8], big_endian: bool) -> String {
    bytes
        .chunks_exact(4)
        .map(|c| {
            let arr = [c[0], c[1], c[2], c[3]];
            let v = if big_endian {
                u32::from_be_bytes(arr)
            } else {
                u32::from_le_bytes(arr)
            };
            char::from_u32(v).unwrap_or('\u{fffd}')
        })
        .collect()
}

/// Picks the encoding (and how many BOM bytes to skip).
pub fn detect_encoding(
    bytes: &[u8],
    http_charset: Option<&str>,
) -> (&'static Encoding, EncodingSource, usize) {
    // 1. Byte-order marks (UTF-32 before UTF-16: FF FE 00 00 starts with FF FE).
    if bytes.starts_with(&[0xFF, 0xFE, 0, 0]) {
        return (UTF_32LE_MARK, EncodingSource::Bom, 4);
    }
    if bytes.starts_with(&[0, 0, 0xFE, 0xFF]) {
        return (UTF_32BE_MARK, EncodingSource::Bom, 4);
    }
    if let Some((enc, len)) = Encoding::for_bom(bytes) {
        return (enc, EncodingSource::Bom, len);
    }
    // UTF-16/32 without BOM: zero bytes around the first '<'.
    let head = &bytes[..bytes.len().min(4)];
    match head {
        [0x3C, 0, 0, 0] => return (UTF_32LE_MARK, EncodingSource::Guessed, 0),
        [0, 0, 0, 0x3C] => return (UTF_32BE_MARK, EncodingSource::Guessed, 0),
        [0x3C, 0, _, 0] => return (encoding_rs::UTF_16LE, EncodingSource::Guessed, 0),
        [0, 0x3C, 0, _] => return (encoding_rs::UTF_16BE, EncodingSource::Guessed, 0),
        _ => {}
    }
    // 2. Valid UTF-8 (pure ASCII included).
    if std::str::from_utf8(bytes).is_ok() {
        return (encoding_rs::UTF_8, EncodingSource::Utf8, 0);
    }
    // From here the bytes are known not to be UTF-8, nor UTF-16/32 (no BOM, no zero bytes
    // around the first `<`): a label naming one of those is wrong and is passed over, or a
    // `charset=utf-8` header would turn a correctly declared Latin-1 document into U+FFFD.
    let plausible = |enc: &&'static Encoding| {
        ![
            encoding_rs::UTF_8,
            encoding_rs::UTF_16LE,
            encoding_rs::UTF_16BE,
            UTF_32LE_MARK,
            UTF_32BE_MARK,
        ]
        .contains(enc)
    };
    // 3. The HTTP charset.
    if let Some(enc) = http_charset.and_then(lookup_label).filter(plausible) {
        return (enc, EncodingSource::Http, 0);
    }
    // 4. The XML declaration or an HTML meta charset.
    if let Some(enc) = declared_encoding(bytes)
        .and_then(|l| lookup_label(&l))
        .filter(plausible)
    {
        return (enc, EncodingSource::Declared, 0);
    }
    // 5. A guess.
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    let sample = &bytes[..bytes.len().min(256 * 1024)];
    det.feed(sample, sample.len() == bytes.len());
    (
        det.guess(None, chardetng::Utf8Detection::Allow),
        EncodingSource::Guessed,
        0,
    )
}

/// An encoding label as browsers read it (so `iso-8859-1` is windows-1252). UTF-16 labels
/// without a BOM default to little endian. A label for an ASCII-incompatible encoding found
/// inside ASCII-compatible bytes is ignored by callers that already know better.
fn lookup_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().trim_matches(|c| c == '"' || c == '\'');
    Encoding::for_label(l.as_bytes()).or_else(|| match l.to_ascii_lowercase().as_str() {
        "utf-32" | "utf-32le" | "ucs-4" => Some(UTF_32LE_MARK),
        "utf-32be" => Some(UTF_32BE_MARK),
        _ => None,
    })
}

/// The encoding named by the XML declaration or a `<meta charset>` / `<meta http-equiv>` in the
/// first 2 KiB (read as ASCII).
pub fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(2048)];
    let head: String = head
        .iter()
        .map(|&b| if b.is_ascii() { b as char } else { ' ' })
        .collect();
    let lower = head.to_ascii_lowercase();
    if let Some(start) = lower.find("<?xml") {
        let end = lower[start..].find("?>").map_or(lower.len(), |e| start + e);
        if let Some(v) = pseudo_attr(&head[start..end], "encoding") {
            return Some(v);
        }
    }
    let pos = lower.find("charset=")?;
    let rest = &head[pos + "charset=".len()..];
    let rest = rest.trim_start_matches(['"', '\'']);
    let value: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'))
        .collect();
    (!value.is_empty()).then_some(value)
}

/// The value of a pseudo-attribute (`encoding="…"`) inside an XML declaration.
pub(crate) fn pseudo_attr(decl: &str, name: &str) -> Option<String> {
    let lower = decl.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let rest = decl[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let quote = rest.chars().next()?;
        if quote != '"' && quote != '\'' {
            continue;
        }
        let body = &rest[1..];
        let end = body.find(quote)?;
        return Some(body[..end].to_string());
    }
    None
}

/// Removes the `encoding="…"` pseudo-attribute from the XML declaration (the text is already
/// decoded; leaving it would make the parser decode twice), and any BOM character.
pub fn strip_declared_encoding(text: &str) -> String {
    let text = text.trim_start_matches('\u{feff}');
    let Some(start) = text.find("<?xml") else {
        return text.to_string();
    };
    // Only a declaration near the start counts.
    if start > 1024 {
        return text.to_string();
    }
    let Some(len) = text[start..].find("?>") else {
        return text.to_string();
    };
    let decl = &text[start..start + len];
    let lower = decl.to_ascii_lowercase();
    let Some(i) = lower.find("encoding") else {
        return text.to_string();
    };
    // Find the end of the quoted value after `encoding`.
    let after = &decl[i + "encoding".len()..];
    let mut chars = after.char_indices().skip_while(|(_, c)| c.is_whitespace());
    let cut_end = match chars.next() {
        Some((_, '=')) => {
            let mut rest = chars.skip_while(|(_, c)| c.is_whitespace());
            match rest.next() {
                Some((qi, q)) if q == '"' || q == '\'' => after[qi + 1..]
                    .find(q)
                    .map(|e| i + "encoding".len() + qi + 1 + e + 1),
                _ => None,
            }
        }
        _ => None,
    };
    let Some(cut_end) = cut_end else {
        return text.to_string();
    };
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    out.push_str(decl[..i].trim_end());
    out.push_str(&decl[cut_end..]);
    out.push_str(&text[start + len..]);
    out
}

/// Drops whatever precedes the document: stray bytes, blank lines or text before `<?xml` or
/// the first comment, DOCTYPE or element. Returns the text and how many bytes were dropped.
pub fn strip_leading_garbage(text: &str) -> (&str, usize) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        let at = i + off;
        match bytes.get(at + 1) {
            Some(b'?') | Some(b'!') => return (&text[at..], at),
            Some(c) if c.is_ascii_alphabetic() || *c == b'_' || *c >= 0x80 => {
                return (&text[at..], at);
            }
            _ => i = at + 1,
        }
    }
    (text, 0)
}

/// Whether a character is allowed by the XML 1.0 `Char` production.
pub fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

/// General entities with literal values declared in the DOCTYPE's internal subset.
pub fn declared_entities(text: &str) -> HashMap<String, String> {
    let mut map = HashMap::new();
    let Some(start) = find_ascii_ci(text, "<!DOCTYPE", 0) else {
        return map;
    };
    let Some(open) = text[start..].find(['[', '>']).map(|o| start + o) else {
        return map;
    };
    if text.as_bytes().get(open) != Some(&b'[') {
        return map;
    }
    let end = text[open..].find("]").map_or(text.len(), |e| open + e);
    let subset = &text[open..end];
    let mut from = 0;
    while let Some(i) = subset[from..].find("<!ENTITY") {
        let at = from + i + "<!ENTITY".len();
        from = at;
        let rest = subset[at..].trim_start();
        if rest.starts_with('%') {
            continue; // parameter entity
        }
        let name: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '"' && *c != '\'')
            .collect();
        let rest = rest[name.len()..].trim_start();
        let Some(q) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue; // external entity (SYSTEM/PUBLIC): not expanded
        };
        if let Some(e) = rest[1..].find(q) {
            map.insert(name, rest[1..1 + e].to_string());
        }
    }
    map
}

fn find_ascii_ci(hay: &str, needle: &str, from: usize) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (from..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Most bytes that expanding declared entities may add (guards against entity bombs).
const MAX_ENTITY_GROWTH: usize = 1 << 20;

/// Repairs the markup of a decoded XML document in one linear pass: expands entities the
/// DOCTYPE declares, turns undeclared HTML entities into numeric references, escapes bare `&`
/// and unknown entities, removes characters (and character references) XML 1.0 forbids.
/// CDATA sections, comments and processing instructions are copied untouched (minus forbidden
/// characters).
pub fn repair_xml(text: &str) -> (String, RepairReport) {
    let mut report = RepairReport::default();
    let (text, dropped) = strip_leading_garbage(text);
    report.leading_garbage = dropped;
    let declared = declared_entities(text);
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut growth = 0usize;
    let mut i = 0;
    let len = text.len();
    while i < len {
        let rest = &text[i..];
        // Find the next interesting byte: '&' or '<'.
        let next = rest.find(['&', '<']).unwrap_or(rest.len());
        push_xml_chars(&mut out, &rest[..next], &mut report);
        i += next;
        if i >= len {
            break;
        }
        let rest = &text[i..];
        if rest.starts_with('<') {
            let (section_end, terminator) = if rest.starts_with("<![CDATA[") {
                (rest.find("]]>"), 3)
            } else if let Some(comment) = rest.strip_prefix("<!--") {
                (comment.find("-->").map(|e| e + 4), 3)
            } else if rest.starts_with("<?") {
                (rest.find("?>"), 2)
            } else if rest
                .as_bytes()
                .get(..9)
                .is_some_and(|b| b.eq_ignore_ascii_case(b"<!DOCTYPE"))
            {
                (doctype_end(rest), 1)
            } else {
                out.push('<');
                i += 1;
                continue;
            };
            let end = section_end.map_or(rest.len(), |e| e + terminator);
            push_xml_chars(&mut out, &rest[..end], &mut report);
            i += end;
            continue;
        }
        // An ampersand.
        let (consumed, replacement) = classify_reference(rest, &declared, &mut report);
        match replacement {
            Reference::Keep => out.push_str(&rest[..consumed]),
            Reference::Replace(s) => out.push_str(&s),
            Reference::Expand(v) => {
                if growth + v.len() <= MAX_ENTITY_GROWTH {
                    growth += v.len();
                    push_xml_chars(&mut out, v, &mut report);
                    report.declared_entities += 1;
                } else {
                    out.push_str("&amp;");
                    out.push_str(&rest[1..consumed]);
                    report.unknown_entities += 1;
                }
            }
        }
        i += consumed;
    }
    if let Some(rewritten) = rewrite_root(&out) {
        report.root_rewritten = true;
        out = rewritten;
    }
    match root_name(&out).as_deref() {
        Some("feed" | "entry") => out = fix_atom_text_types(&out),
        Some("RDF") => out = add_rss1_link_sentinels(&rss_href_links_to_text(&out)),
        Some("rss") => out = rss_href_links_to_text(&out),
        _ => {}
    }
    (out, report)
}

fn doctype_end(rest: &str) -> Option<usize> {
    // Up to the '>' that closes the DOCTYPE, skipping an internal subset in brackets.
    let mut depth = 0usize;
    let mut quote: Option<char> = None;
    for (i, c) in rest.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') | (None, '\'') => quote = Some(c),
            (None, '[') => depth += 1,
            (None, ']') => depth = depth.saturating_sub(1),
            (None, '>') if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

enum Reference<'a> {
    Keep,
    Replace(String),
    Expand(&'a str),
}

/// Classifies the `&…` at the start of `rest`: returns how many bytes it spans and what to
/// write instead.
fn classify_reference<'a>(
    rest: &str,
    declared: &'a HashMap<String, String>,
    report: &mut RepairReport,
) -> (usize, Reference<'a>) {
    let bytes = rest.as_bytes();
    // Numeric character reference.
    if bytes.get(1) == Some(&b'#') {
        let (digits_start, radix) = match bytes.get(2) {
            Some(b'x') | Some(b'X') => (3, 16),
            _ => (2, 10),
        };
        let digits = rest[digits_start..]
            .bytes()
            .take(12)
            .take_while(|b| b.is_ascii_hexdigit())
            .count();
        let end = digits_start + digits;
        let valid_digits = rest[digits_start..end]
            .bytes()
            .all(|b| radix == 16 || b.is_ascii_digit());
        if digits > 0 && valid_digits && bytes.get(end) == Some(&b';') {
            let value = u32::from_str_radix(&rest[digits_start..end], radix).ok();
            // C1 controls written as references mean windows-1252 (as in HTML).
            if let Some(mapped) = value.and_then(cp1252_c1) {
                return (end + 1, Reference::Replace(format!("&#{};", mapped as u32)));
            }
            return match value.and_then(char::from_u32) {
                Some(c) if is_xml_char(c) && bytes.get(2) != Some(&b'X') => {
                    (end + 1, Reference::Keep)
                }
                // `&#X41;` is not XML: write it the XML way.
                Some(c) if is_xml_char(c) => {
                    (end + 1, Reference::Replace(format!("&#{};", c as u32)))
                }
                // A reference to a character XML forbids: dropped.
                _ => {
                    report.forbidden_chars += 1;
                    (end + 1, Reference::Replace(String::new()))
                }
            };
        }
        report.bare_ampersands += 1;
        return (1, Reference::Replace("&amp;".into()));
    }
    // Named reference.
    let name_len = rest[1..]
        .char_indices()
        .take(40)
        .take_while(|(i, c)| {
            c.is_alphanumeric() || *c == '_' || *c == ':' || (*i > 0 && matches!(c, '-' | '.'))
        })
        .map(|(i, c)| i + c.len_utf8())
        .last()
        .unwrap_or(0);
    let name = &rest[1..1 + name_len];
    let starts_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == ':');
    if name_len == 0 || !starts_ok || bytes.get(1 + name_len) != Some(&b';') {
        report.bare_ampersands += 1;
        return (1, Reference::Replace("&amp;".into()));
    }
    let consumed = name_len + 2;
    if matches!(name, "amp" | "lt" | "gt" | "quot" | "apos") {
        return (consumed, Reference::Keep);
    }
    if let Some(v) = declared.get(name) {
        return (consumed, Reference::Expand(v.as_str()));
    }
    let entity = &rest[..consumed];
    let decoded = html_escape::decode_html_entities(entity);
    if decoded != entity && !decoded.is_empty() {
        report.html_entities += 1;
        let refs: String = decoded
            .chars()
            .filter(|c| is_xml_char(*c))
            .map(|c| format!("&#{};", c as u32))
            .collect();
        return (consumed, Reference::Replace(refs));
    }
    report.unknown_entities += 1;
    (consumed, Reference::Replace(format!("&amp;{name};")))
}

/// Whether the `&…` at the start of `rest` is a reference [`repair_xml`] leaves as it is (one
/// of the five XML entities, or a character reference to a character XML allows) when the
/// document declares no entities.
pub(crate) fn keeps_reference(rest: &str) -> bool {
    let none = HashMap::new();
    matches!(
        classify_reference(rest, &none, &mut RepairReport::default()),
        (_, Reference::Keep)
    )
}

/// Whether [`rewrite_root`] would alias a namespace named in this root start tag.
pub(crate) fn rewrites_namespaces(root_tag: &str) -> bool {
    NAMESPACE_ALIASES
        .iter()
        .any(|(old, _)| root_tag.contains(old))
}

/// Windows-1252's meaning of a C1 control code point, as mis-declared documents intend it.
fn cp1252_c1(v: u32) -> Option<char> {
    if !(0x80..=0x9F).contains(&v) {
        return None;
    }
    let byte = [v as u8];
    let (s, _, _) = encoding_rs::WINDOWS_1252.decode(&byte);
    s.chars().next().filter(|c| (*c as u32) > 0x9F)
}

fn push_xml_chars(out: &mut String, s: &str, report: &mut RepairReport) {
    if s.chars().all(is_xml_char) {
        out.push_str(s);
        return;
    }
    for c in s.chars() {
        if is_xml_char(c) {
            out.push(c);
        } else {
            report.forbidden_chars += 1;
        }
    }
}

/// Namespaces of old dialects that feed-rs does not know, and the ones it reads them as.
const NAMESPACE_ALIASES: &[(&str, &str)] = &[
    ("http://purl.org/atom/ns#", "http://www.w3.org/2005/Atom"),
    (
        "http://my.netscape.com/rdf/simple/0.9/",
        "http://purl.org/rss/1.0/",
    ),
    (
        "http://backend.userland.com/rss2",
        "http://purl.org/rss/1.0/",
    ),
    (
        "http://backend.userland.com/rss",
        "http://purl.org/rss/1.0/",
    ),
    (
        "http://blogs.law.harvard.edu/tech/rss",
        "http://purl.org/rss/1.0/",
    ),
    ("http://purl.org/net/rss1.1#", "http://purl.org/rss/1.0/"),
    // Apple's documents long spelled the iTunes namespace with capitals; feed-rs matches exactly.
    (
        "http://www.itunes.com/DTDs/PodCast-1.0.dtd",
        "http://www.itunes.com/dtds/podcast-1.0.dtd",
    ),
];

/// Prefixes feeds use without declaring them, and their usual namespaces.
const KNOWN_PREFIXES: &[(&str, &str)] = &[
    ("atom", "http://www.w3.org/2005/Atom"),
    ("dc", "http://purl.org/dc/elements/1.1/"),
    ("content", "http://purl.org/rss/1.0/modules/content/"),
    ("media", "http://search.yahoo.com/mrss/"),
    ("itunes", "http://www.itunes.com/dtds/podcast-1.0.dtd"),
    ("wfw", "http://wellformedweb.org/CommentAPI/"),
    ("rdf", "http://www.w3.org/1999/02/22-rdf-syntax-ns#"),
    ("podcast", "https://podcastindex.org/namespace/1.0"),
];

/// Atom 0.3 element names and their Atom 1.0 equivalents.
const ATOM03_RENAMES: &[(&str, &str)] = &[
    ("issued", "published"),
    ("modified", "updated"),
    ("tagline", "subtitle"),
    ("copyright", "rights"),
];

/// Rewrites what makes feed-rs skip a whole document: an `rss` root whose `version` it does
/// not know (0.93, 0.94, 2.01, missing …) is read as 2.0; old namespaces (Atom 0.3, RSS 0.90,
/// Userland's RSS 2 namespace) are aliased to the ones feed-rs reads; Atom 0.3 element names
/// are renamed. `None` when nothing needed changing.
pub fn rewrite_root(text: &str) -> Option<String> {
    let (start, end, name) = root_start_tag(text)?;
    let tag = &text[start..end];
    let local = name.rsplit(':').next().unwrap_or(name);
    let mut new_tag = tag.to_string();
    if local == "rss" {
        let version = pseudo_attr(tag, "version");
        let known = matches!(
            version.as_deref(),
            Some("2.0") | Some("0.91") | Some("0.92")
        );
        if !known {
            new_tag = match version {
                Some(v) => new_tag
                    .replacen(&format!("\"{v}\""), "\"2.0\"", 1)
                    .replacen(&format!("'{v}'"), "'2.0'", 1),
                None => new_tag.replacen(name, &format!("{name} version=\"2.0\""), 1),
            };
        }
    }
    // Well-known prefixes used without a declaration (a common slip: `content:encoded` with no
    // `xmlns:content`) are declared on the root.
    let body = &text[end..];
    for (prefix, uri) in KNOWN_PREFIXES {
        let decl = format!("xmlns:{prefix}=");
        if !new_tag.contains(&decl) && body.contains(&format!("<{prefix}:")) {
            let at = new_tag.len() - if new_tag.ends_with("/>") { 2 } else { 1 };
            new_tag.insert_str(at, &format!(" {decl}\"{uri}\""));
        }
    }
    let mut is_atom03 = false;
    for (old, new) in NAMESPACE_ALIASES {
        if new_tag.contains(old) {
            if old.contains("purl.org/atom") {
                is_atom03 = true;
            }
            new_tag = new_tag.replace(old, new);
        }
    }
    if new_tag == tag {
        return None;
    }
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    out.push_str(&new_tag);
    if is_atom03 {
        out.push_str(&rename_atom03(body));
    } else {
        out.push_str(body);
    }
    Some(out)
}

fn rename_atom03(body: &str) -> String {
    // Rename `<issued>`, `</issued>`, `<atom:issued …>` etc. (start and end tags only).
    let mut out = String::with_capacity(body.len());
    let mut i = 0;
    while let Some(off) = body[i..].find('<') {
        let at = i + off;
        out.push_str(&body[i..at]);
        let rest = &body[at + 1..];
        let (slash, rest) = match rest.strip_prefix('/') {
            Some(r) => ("/", r),
            None => ("", rest),
        };
        let name_len = rest
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest.len());
        let full = &rest[..name_len];
        let (prefix, local) = match full.rfind(':') {
            Some(p) => (&full[..=p], &full[p + 1..]),
            None => ("", full),
        };
        match ATOM03_RENAMES.iter().find(|(old, _)| *old == local) {
            Some((_, new)) => {
                out.push('<');
                out.push_str(slash);
                out.push_str(prefix);
                out.push_str(new);
                i = at + 1 + slash.len() + name_len;
            }
            None => {
                out.push('<');
                i = at + 1;
            }
        }
    }
    out.push_str(&body[i..]);
    out
}

/// Index of the `>` closing the tag at the start of `rest`, looked for in a bounded window so
/// that scanning many unterminated tags stays linear.
fn tag_end(rest: &str) -> Option<usize> {
    rest.as_bytes().iter().take(8192).position(|&b| b == b'>')
}

/// RSS has no `<link href="…"/>`, but feeds write it (Atom habits); feed-rs reads only the
/// element's text, so the unprefixed, empty form becomes `<link>…</link>`.
pub fn rss_href_links_to_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(off) = text[i..].find("<link") {
        let at = i + off;
        let rest = &text[at..];
        let spaced = rest
            .as_bytes()
            .get(5)
            .is_some_and(|b| b.is_ascii_whitespace());
        let tag = tag_end(rest).map(|c| &rest[..=c]);
        let href = tag
            .filter(|t| spaced && t.ends_with("/>") && !t.contains("rel="))
            .and_then(|t| pseudo_attr(&t[5..], "href"));
        match (tag, href) {
            (Some(tag), Some(href)) => {
                out.push_str(&text[i..at]);
                out.push_str("<link>");
                out.push_str(&href);
                out.push_str("</link>");
                i = at + tag.len();
            }
            _ => {
                out.push_str(&text[i..at + 5]);
                i = at + 5;
            }
        }
    }
    out.push_str(&text[i..]);
    out
}

/// A link feed-rs is given for RSS 1.0 items, which it drops when they have no `<link>`;
/// readers remove it again.
pub const NO_LINK_SENTINEL: &str = "urn:feedwright:no-link";

/// Puts a sentinel `<link>` first in every unprefixed RSS 1.0 `<item>` so feed-rs keeps items
/// without a link (they may still have a title, date and content).
pub fn add_rss1_link_sentinels(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(off) = text[i..].find("<item") {
        let at = i + off;
        let rest = &text[at..];
        let after = rest.as_bytes().get(5).copied();
        let is_item = matches!(after, Some(b'>') | Some(b' ' | b'\t' | b'\r' | b'\n'));
        match (is_item, tag_end(rest)) {
            (true, Some(close)) if !rest[..close].ends_with('/') => {
                out.push_str(&text[i..=at + close]);
                out.push_str("<link>");
                out.push_str(NO_LINK_SENTINEL);
                out.push_str("</link>");
                i = at + close + 1;
            }
            _ => {
                out.push_str(&text[i..at + 5]);
                i = at + 5;
            }
        }
    }
    out.push_str(&text[i..]);
    out
}

/// Atom text constructs whose `type` must be `text`, `html` or `xhtml` for feed-rs.
const ATOM_TEXT_ELEMENTS: &[&str] = &["title", "subtitle", "summary", "rights", "content"];

/// Rewrites MIME-style `type` attributes of Atom text constructs (Atom 0.3's `text/plain`,
/// `application/xhtml+xml`, or junk) to the Atom 1.0 tokens feed-rs accepts; `content` keeps
/// other MIME types. CDATA sections and comments are not touched.
pub fn fix_atom_text_types(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(off) = text[i..].find('<') {
        let at = i + off;
        out.push_str(&text[i..at]);
        let rest = &text[at..];
        let skip_to = if rest.starts_with("<![CDATA[") {
            rest.find("]]>").map(|e| e + 3)
        } else if rest.starts_with("<!--") {
            rest.find("-->").map(|e| e + 3)
        } else {
            None
        };
        if let Some(n) = skip_to {
            out.push_str(&rest[..n]);
            i = at + n;
            continue;
        }
        let Some(tag_len) = rest.find('>').map(|e| e + 1) else {
            out.push_str(rest);
            return out;
        };
        let tag = &rest[..tag_len];
        out.push_str(&fix_text_type_in_tag(tag).unwrap_or_else(|| tag.to_string()));
        i = at + tag_len;
    }
    out.push_str(&text[i..]);
    out
}

fn fix_text_type_in_tag(tag: &str) -> Option<String> {
    let name_end = tag[1..]
        .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
        .map(|e| e + 1)?;
    let name = &tag[1..name_end];
    // Only Atom's own elements (unprefixed, or `atom:`), not `media:title` and the like.
    let local = match name.split_once(':') {
        None => name,
        Some(("atom", local)) => local,
        Some(_) => return None,
    };
    if !ATOM_TEXT_ELEMENTS.contains(&local) {
        return None;
    }
    let value = pseudo_attr(&tag[name_end..], "type")?;
    let v = value.trim().to_ascii_lowercase();
    let mode = pseudo_attr(&tag[name_end..], "mode").map(|m| m.trim().to_ascii_lowercase());
    if local == "content" {
        // Content may carry any MIME type (and must, with `src`); only inline XHTML and an
        // empty type need the Atom token.
        let src = pseudo_attr(&tag[name_end..], "src").is_some();
        let inline_xhtml = matches!(v.as_str(), "application/xhtml+xml" | "text/xhtml")
            && mode.as_deref() != Some("escaped");
        if src || !(inline_xhtml || v.is_empty()) {
            return None;
        }
    }
    let token = match v.as_str() {
        "text" | "html" | "xhtml" => return None,
        "text/html" => "html",
        "text/plain" | "" => "text",
        "application/xhtml+xml" | "text/xhtml" if mode.as_deref() == Some("escaped") => "html",
        "application/xhtml+xml" | "text/xhtml" => "xhtml",
        _ if mode.as_deref() == Some("escaped") => "html",
        _ => "text",
    };
    let mut fixed = tag.to_string();
    for q in ['"', '\''] {
        let pat = format!("{q}{value}{q}");
        if let Some(p) = fixed[name_end..].find(&pat).map(|p| p + name_end) {
            fixed.replace_range(p..p + pat.len(), &format!("\"{token}\""));
            return Some(fixed);
        }
    }
    None
}

/// Byte range of the root element's start tag and its name.
pub(crate) fn root_start_tag(text: &str) -> Option<(usize, usize, &str)> {
    let mut i = 0;
    loop {
        let off = text.get(i..)?.find('<')?;
        let at = i + off;
        let rest = &text[at..];
        if rest.starts_with("<?") {
            i = at + rest.find("?>")? + 2;
        } else if rest.starts_with("<!--") {
            i = at + rest.find("-->")? + 3;
        } else if rest.starts_with("<!") {
            i = at + doctype_end(rest)? + 1;
        } else {
            let end = at + rest.find('>')? + 1;
            let name_end = rest[1..]
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .map_or(rest.len(), |e| e + 1);
            return Some((at, end, &rest[1..name_end]));
        }
    }
}

/// The local name of the root element, if any (`rss`, `feed`, `RDF`, `html` …).
pub fn root_name(text: &str) -> Option<String> {
    root_start_tag(text).map(|(_, _, n)| n.rsplit(':').next().unwrap_or(n).to_string())
}

/// Last-resort repair of a document the parser rejected: re-serialises what quick-xml can read,
/// closing mismatched tags, dropping stray end tags and broken attributes, and stopping at the
/// first unrecoverable error. An `item`/`entry` still open at that point is dropped whole, so
/// the result holds only complete entries. Returns `None` when nothing usable was read.
pub fn salvage_xml(text: &str) -> Option<String> {
    let mut reader = quick_xml::Reader::from_str(text);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.check_comments = false;
    let mut out = String::with_capacity(text.len());
    // Open elements: name and the output length just before their start tag.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut saw_root = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.name().as_ref().to_string();
                if stack.is_empty() && saw_root {
                    break; // a second root: stop
                }
                saw_root = true;
                stack.push((name.clone(), out.len()));
                write_start(&mut out, &name, &e, false);
            }
            Ok(Event::Empty(e)) => {
                let name = e.name().as_ref().to_string();
                if stack.is_empty() && saw_root {
                    break;
                }
                write_start(&mut out, &name, &e, true);
            }
            Ok(Event::End(e)) => {
                let name = e.name().as_ref().to_string();
                if let Some(pos) = stack.iter().rposition(|(n, _)| *n == name) {
                    while stack.len() > pos {
                        if let Some((n, _)) = stack.pop() {
                            out.push_str("</");
                            out.push_str(&n);
                            out.push('>');
                        }
                    }
                }
                if stack.is_empty() && saw_root {
                    break;
                }
            }
            Ok(Event::Text(t)) => {
                if !stack.is_empty() {
                    out.push_str(&t.replace('<', "&lt;"));
                }
            }
            Ok(Event::CData(t)) => {
                if !stack.is_empty() {
                    out.push_str("<![CDATA[");
                    out.push_str(&t.replace("]]>", "]]]]><![CDATA[>"));
                    out.push_str("]]>");
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if !stack.is_empty() {
                    out.push('&');
                    out.push_str(&r);
                    out.push(';');
                }
            }
            Ok(Event::Decl(d)) => {
                if !saw_root {
                    out.push_str("<?");
                    out.push_str(&d);
                    out.push_str("?>");
                }
            }
            Ok(Event::Eof) if stack.is_empty() => break,
            Ok(Event::Eof) | Err(_) => {
                // Truncated or broken here: drop a partially read entry.
                if let Some(pos) = stack
                    .iter()
                    .position(|(n, _)| matches!(local_name(n), "item" | "entry"))
                {
                    if let Some((_, at)) = stack.get(pos) {
                        out.truncate(*at);
                    }
                    stack.truncate(pos);
                }
                break;
            }
            Ok(_) => {}
        }
    }
    if !saw_root {
        return None;
    }
    while let Some((n, _)) = stack.pop() {
        out.push_str("</");
        out.push_str(&n);
        out.push('>');
    }
    Some(out)
}

fn local_name(n: &str) -> &str {
    n.rsplit(':').next().unwrap_or(n)
}

fn write_start(out: &mut String, name: &str, e: &quick_xml::events::BytesStart<'_>, empty: bool) {
    out.push('<');
    out.push_str(name);
    let mut seen: Vec<String> = Vec::new();
    for attr in e.html_attributes().with_checks(false).flatten() {
        let key: &str = attr.key.as_ref();
        if key.is_empty() || seen.iter().any(|k| k == key) {
            continue;
        }
        seen.push(key.to_string());
        let value = attr.value.replace('<', "&lt;").replace('"', "&quot;");
        out.push(' ');
        out.push_str(key);
        out.push_str("=\"");
        out.push_str(&value);
        out.push('"');
    }
    out.push_str(if empty { "/>" } else { ">" });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_wins() {
        let mut b = vec![0xEF, 0xBB, 0xBF];
        b.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a/>");
        let d = decode(&b, Some("iso-8859-2"));
        assert_eq!(d.source, EncodingSource::Bom);
        assert_eq!(d.encoding, encoding_rs::UTF_8);
        assert!(d.text.starts_with("<?xml"));
    }

    #[test]
    fn valid_utf8_beats_a_wrong_declaration() {
        let b = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>café</a>".as_bytes();
        let d = decode(b, Some("iso-8859-1"));
        assert_eq!(d.source, EncodingSource::Utf8);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn http_charset_then_declaration() {
        let b = b"<?xml version=\"1.0\" encoding=\"koi8-r\"?><a>caf\xe9</a>";
        let d = decode(b, Some("iso-8859-1"));
        assert_eq!(d.source, EncodingSource::Http);
        assert!(d.text.contains("café"));
        let d = decode(
            b"<?xml version='1.0' encoding='iso-8859-1'?><a>caf\xe9</a>",
            None,
        );
        assert_eq!(d.source, EncodingSource::Declared);
        assert_eq!(d.encoding, encoding_rs::WINDOWS_1252);
        assert!(d.text.contains("café"));
    }

    #[test]
    fn a_utf8_header_on_bytes_that_are_not_utf8_gives_way_to_the_declaration() {
        let b =
            b"<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><a>R\xe9sum\xe9 f\xfcr J\xfcrgen</a>";
        for wrong in ["utf-8", "UTF-16"] {
            let d = decode(b, Some(wrong));
            assert_eq!(d.source, EncodingSource::Declared, "{wrong}");
            assert!(d.text.contains("Résumé für Jürgen"), "{wrong}: {}", d.text);
            assert!(!d.had_errors);
        }
        // A declaration that names UTF-8 on such bytes is passed over too: guessed.
        let b = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><a>Caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise</a>";
        let d = decode(b, Some("utf-8"));
        assert_eq!(d.source, EncodingSource::Guessed);
        assert!(d.text.contains("Café crème"), "{}", d.text);
    }

    #[test]
    fn utf16_without_bom() {
        let s = "<?xml version=\"1.0\" encoding=\"utf-16\"?><a>é</a>";
        let b: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&b, None).text, s);
        let b: Vec<u8> = s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect();
        assert_eq!(decode(&b, None).text, s);
    }

    #[test]
    fn utf32_with_bom() {
        let s = "<a>é</a>";
        let mut b = vec![0xFF, 0xFE, 0, 0];
        b.extend(s.chars().flat_map(|c| (c as u32).to_le_bytes()));
        assert_eq!(decode(&b, None).text, s);
    }

    #[test]
    fn guess_when_nothing_declared() {
        let b = b"<rss><channel><title>Caf\xe9 cr\xe8me br\xfbl\xe9e \xe0 la fran\xe7aise</title></channel></rss>";
        let d = decode(b, None);
        assert_eq!(d.source, EncodingSource::Guessed);
        assert!(d.text.contains("Café crème"), "{}", d.text);
    }

    #[test]
    fn strips_encoding_from_prolog() {
        assert_eq!(
            strip_declared_encoding(
                "\u{feff}<?xml version=\"1.0\" encoding='ISO-8859-1' standalone=\"yes\"?><a/>"
            ),
            "<?xml version=\"1.0\" standalone=\"yes\"?><a/>"
        );
        assert_eq!(strip_declared_encoding("<a/>"), "<a/>");
    }

    #[test]
    fn drops_leading_garbage() {
        assert_eq!(
            strip_leading_garbage("\n\n junk < 3 <?xml?><a/>"),
            ("<?xml?><a/>", 12)
        );
        assert_eq!(strip_leading_garbage("<rss/>"), ("<rss/>", 0));
    }

    #[test]
    fn html_entities_become_numeric() {
        let (out, r) =
            repair_xml("<a>caf&eacute;&nbsp;&rsquo; &amp; &lt;b&gt; &#233; &#x2019;</a>");
        assert_eq!(
            out,
            "<a>caf&#233;&#160;&#8217; &amp; &lt;b&gt; &#233; &#x2019;</a>"
        );
        assert_eq!(r.html_entities, 3);
        assert_eq!(r.bare_ampersands, 0);
    }

    #[test]
    fn bare_ampersands_and_unknown_entities_are_escaped() {
        let (out, r) = repair_xml("<a href=\"?a=1&b=2\">Q&A & co &bogus; &#xZZ;</a>");
        assert_eq!(
            out,
            "<a href=\"?a=1&amp;b=2\">Q&amp;A &amp; co &amp;bogus; &amp;#xZZ;</a>"
        );
        assert_eq!(r.bare_ampersands, 4);
        assert_eq!(r.unknown_entities, 1);
    }

    #[test]
    fn cdata_and_comments_are_left_alone() {
        let src = "<a><![CDATA[a & b &nbsp;]]><!-- & --></a>";
        assert_eq!(repair_xml(src).0, src);
    }

    #[test]
    fn declared_entities_are_expanded() {
        let src = "<!DOCTYPE rss [<!ENTITY who \"Mark &amp; co\"> <!ENTITY % p \"x\">]><rss version=\"2.0\"><t>&who;&nbsp;</t></rss>";
        let (out, r) = repair_xml(src);
        assert!(out.ends_with("<t>Mark &amp; co&#160;</t></rss>"), "{out}");
        assert_eq!(r.declared_entities, 1);
    }

    #[test]
    fn forbidden_characters_are_removed() {
        let (out, r) = repair_xml("<a>x\u{1}y\u{b}&#1;&#x8;&#150;</a>");
        assert_eq!(out, "<a>xy&#8211;</a>");
        assert_eq!(r.forbidden_chars, 4);
    }

    #[test]
    fn root_rewrites() {
        assert_eq!(
            rewrite_root("<?xml version=\"1.0\"?><rss version=\"0.94\"><channel/></rss>").unwrap(),
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(
            rewrite_root("<rss><channel/></rss>").unwrap(),
            "<rss version=\"2.0\"><channel/></rss>"
        );
        assert_eq!(rewrite_root("<rss version=\"2.0\"><channel/></rss>"), None);
        assert_eq!(
            rewrite_root("<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\"><entry><issued>x</issued><modified>y</modified></entry></feed>").unwrap(),
            "<feed version=\"0.3\" xmlns=\"http://www.w3.org/2005/Atom\"><entry><published>x</published><updated>y</updated></entry></feed>"
        );
    }

    #[test]
    fn undeclared_prefixes_are_declared() {
        assert_eq!(
            rewrite_root("<rss version=\"2.0\"><channel><item><content:encoded>x</content:encoded></item></channel></rss>").unwrap(),
            "<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\"><channel><item><content:encoded>x</content:encoded></item></channel></rss>"
        );
    }

    #[test]
    fn rss_href_links() {
        assert_eq!(
            rss_href_links_to_text(
                "<item><link href=\"http://a/\" /><atom:link href=\"x\"/><link rel=\"self\" href=\"y\"/></item>"
            ),
            "<item><link>http://a/</link><atom:link href=\"x\"/><link rel=\"self\" href=\"y\"/></item>"
        );
        assert_eq!(
            add_rss1_link_sentinels("<item rdf:about=\"a\"><title>t</title></item><items/>"),
            "<item rdf:about=\"a\"><link>urn:feedwright:no-link</link><title>t</title></item><items/>"
        );
    }

    #[test]
    fn atom_text_types() {
        assert_eq!(
            fix_atom_text_types(
                "<feed><title type=\"text/plain\">a</title><summary type='application/xhtml+xml' mode=\"xml\"><div/></summary><content type=\"image/png\" src=\"x\"/><![CDATA[<title type=\"x\">]]></feed>"
            ),
            "<feed><title type=\"text\">a</title><summary type=\"xhtml\" mode=\"xml\"><div/></summary><content type=\"image/png\" src=\"x\"/><![CDATA[<title type=\"x\">]]></feed>"
        );
    }

    #[test]
    fn salvage_keeps_whole_entries() {
        let src = "<rss version=\"2.0\"><channel><title>T</title><item><title>one</title></item><item><title>two</ti";
        let out = salvage_xml(src).unwrap();
        assert_eq!(
            out,
            "<rss version=\"2.0\"><channel><title>T</title><item><title>one</title></item></channel></rss>"
        );
        let src = "<rss version=\"2.0\"><channel><item><description>a<br>b</description></item></channel></rss>";
        assert_eq!(
            salvage_xml(src).unwrap(),
            "<rss version=\"2.0\"><channel><item><description>a<br>b</br></description></item></channel></rss>"
        );
    }

    #[test]
    fn kinds() {
        assert_eq!(doc_kind("  {\"a\":1}"), DocKind::Json);
        assert_eq!(doc_kind("\u{feff}<rss/>"), DocKind::Xml);
        assert_eq!(doc_kind(" \n"), DocKind::Empty);
        assert_eq!(doc_kind("hello"), DocKind::Other);
    }
}
