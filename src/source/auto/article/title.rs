//! Headlines without the site's name. `<title>` and often `og:title` read "Title | Site",
//! "Site - Title" or "Title – Site"; the part that names the site (og:site_name, the JSON-LD
//! publisher or `WebSite`, the host name) is cut, and an `<h1>` that matches a part of the
//! `<title>` is preferred to a guess. [`headlines`] reads the page's `<h1>`s as a reader sees
//! them: the site's logo or name, screen-reader-only headings, navigation, dialogs and
//! related-post widgets are not the post's headline. The one `<h1>` left is the headline unless
//! the metadata says better: a title two sources agree on wins over an `<h1>` that is a one- or
//! two-word section label or when the page also shows it as an `<h2>`; characters the page
//! lost (`?` for `'s`), styling capitals and a description set as the `<h1>` yield too.

use super::byline::{section_ancestors, section_tokens};
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// Separators between a headline and a site name, most specific first.
const SEPARATORS: [&str; 10] = [
    " | ", " || ", " – ", " — ", " - ", " :: ", " · ", " • ", " » ", " / ",
];

/// Lower-cased letters and digits only, for loose comparisons.
pub fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether `part` names the site: it equals a known site name or the host's main label, or
/// one contains the other (short parts only, so a headline that mentions the site stays).
fn names_site(part: &str, sites: &[String]) -> bool {
    let p = squash(part);
    if p.is_empty() {
        return false;
    }
    let words = part.split_whitespace().count();
    sites.iter().any(|s| {
        let s = squash(s);
        !s.is_empty()
            && (p == s || (words <= 6 && (s.contains(&p) || (p.contains(&s) && s.len() >= 4))))
    })
}

/// The candidate names of the site: declared names plus the host's labels
/// (`www.news-site.co.uk` → `news-site`, `news-site.co.uk`).
pub fn site_names(declared: &[Option<String>], host: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = declared.iter().flatten().cloned().collect();
    if let Some(h) = host {
        let h = h.trim_start_matches("www.");
        out.push(h.to_string());
        if let Some(first) = h.split('.').next()
            && first.len() >= 3
        {
            out.push(first.to_string());
        }
    }
    out
}

/// Cut a site-name prefix or suffix (up to two, "Title | Section | Site").
pub fn strip_site(title: &str, sites: &[String]) -> String {
    let mut t = title.trim().to_string();
    // "example.com Headline": a host name set before the headline without a separator.
    if let Some(rest) = sites.iter().filter(|s| s.contains('.')).find_map(|s| {
        t.get(..s.len())
            .filter(|p| p.eq_ignore_ascii_case(s))
            .and_then(|_| t[s.len()..].strip_prefix(' '))
    }) && rest.split_whitespace().count() >= 2
    {
        t = rest.trim().to_string();
    }
    for _ in 0..2 {
        let mut changed = false;
        for sep in SEPARATORS {
            if let Some(i) = t.rfind(sep) {
                let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                if !head.trim().is_empty() && names_site(tail, sites) {
                    t = head.trim().to_string();
                    changed = true;
                    break;
                }
            }
            if let Some(i) = t.find(sep) {
                let (head, tail) = (&t[..i], &t[i + sep.len()..]);
                if !tail.trim().is_empty() && names_site(head, sites) {
                    t = tail.trim().to_string();
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    t
}

/// Choose the headline. `candidates` are in chain order (JSON-LD headline, og:title, microdata,
/// h-entry, `<title>`), already plain text; `shown` holds the page's `<h1>` and `<h2>` texts
/// ([`shown_headings`]).
pub fn choose(
    candidates: &[Option<String>],
    html_title: Option<&str>,
    shown: &Shown,
    sites: &[String],
) -> Option<String> {
    // Mojibake repaired first, so that a site name in it ("JOHNSONâ€™S") is recognised.
    let repaired: Vec<Option<String>> = candidates
        .iter()
        .map(|c| c.as_deref().map(fix_mojibake))
        .collect();
    let title_repaired = html_title.map(fix_mojibake);
    let (candidates, html_title) = (repaired.as_slice(), title_repaired.as_deref());
    let t = choose_headline(candidates, html_title, shown, sites)?;
    // A metadata headline cut short (`headline` has a length limit in some plugins): the
    // longer title it starts is the whole headline.
    let t = if t.chars().count() >= 100 || t.ends_with('…') || t.ends_with("...") {
        let stem = t.trim_end_matches(['…', '.']).trim_end();
        candidates
            .iter()
            .flatten()
            .map(String::as_str)
            .chain(html_title)
            .map(|c| strip_site(c, sites))
            .filter(|c| c.len() > stem.len() && c.starts_with(stem))
            .max_by_key(String::len)
            .unwrap_or(t)
    } else {
        t
    };
    Some(ascii_fullwidth(&cut_label_tail(&cut_short_pipe_tail(
        &fix_mojibake(&t),
    ))))
}

/// Full-width forms of ASCII punctuation and letters (`？`, `！`, `：`) typed into a headline in a
/// Latin script are the plain characters; in text with CJK characters they are the script's own.
fn ascii_fullwidth(text: &str) -> String {
    let wide = |c: char| ('\u{ff01}'..='\u{ff5e}').contains(&c);
    let cjk = |c: char| matches!(c, '\u{3000}'..='\u{30ff}' | '\u{3400}'..='\u{9fff}' | '\u{ac00}'..='\u{d7af}' | '\u{f900}'..='\u{faff}');
    if !text.chars().any(wide) || text.chars().any(cjk) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if wide(c) {
                char::from_u32(c as u32 - 0xfee0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// UTF-8 read as Windows-1252 somewhere upstream ("Investorâ€™s"): encoded back to those
/// bytes it is valid UTF-8 again. Text that is not of that shape is returned unchanged.
pub fn fix_mojibake(text: &str) -> String {
    if !(text.contains("â€") || text.contains('Ã') || text.contains('Â')) {
        return text.to_string();
    }
    let (bytes, _, unmappable) = encoding_rs::WINDOWS_1252.encode(text);
    if unmappable {
        return text.to_string();
    }
    match std::str::from_utf8(&bytes) {
        Ok(fixed) => fixed.to_string(),
        Err(_) => text.to_string(),
    }
}

/// "Headline – Part 1", "Headline - Infographic": one or two words after a dash, behind a
/// headline of four words or more, label the piece (a part, a format, a section).
fn cut_label_tail(title: &str) -> String {
    for sep in [" - ", " – ", " — "] {
        if let Some(i) = title.rfind(sep) {
            let (head, tail) = (&title[..i], &title[i + sep.len()..]);
            if tail.split_whitespace().count() <= 2
                && head.split_whitespace().count() >= 4
                && !tail.ends_with(['!', '?'])
            {
                return head.trim().to_string();
            }
        }
    }
    title.to_string()
}

/// "Headline | Section" or "Headline | Top 19 Companies": a bar is how templates glue a short
/// section or keyword tail to a headline; a tail of up to four words after a long enough head
/// is cut (twice at most). A longer tail is a second clause and stays.
fn cut_short_pipe_tail(title: &str) -> String {
    let mut t = title.to_string();
    for _ in 0..2 {
        let Some(i) = t.rfind(" | ") else { break };
        let (head, tail) = (&t[..i], &t[i + 3..]);
        if tail.split_whitespace().count() <= 4 && head.split_whitespace().count() >= 4 {
            t = head.trim().to_string();
        } else {
            break;
        }
    }
    t
}

fn choose_headline(
    candidates: &[Option<String>],
    html_title: Option<&str>,
    shown: &Shown,
    sites: &[String],
) -> Option<String> {
    let h1s = shown.h1s.as_slice();
    let h1_match = |t: &str| {
        let st = squash(t);
        h1s.iter()
            .find(|h| !st.is_empty() && squash(h) == st)
            .cloned()
    };
    // The page's one headline, as readers see it, beats an SEO title.
    if let [only] = h1s
        && only.chars().count() >= 8
        && only.chars().count() <= 300
        && !names_site(only, sites)
        && !is_description(only)
    {
        // A site name glued to the headline itself ("Headline – Site").
        let only = &strip_site(only, sites);
        let sh = squash(only);
        let stripped: Vec<String> = candidates
            .iter()
            .flatten()
            .map(String::as_str)
            .chain(html_title)
            .map(|c| strip_site(c, sites))
            .collect();
        // A headline that starts in lower case is styled into capitals by CSS: the metadata's
        // part with the same letters and a capital first is what readers see.
        if only.chars().next().is_some_and(char::is_lowercase)
            && let Some(c) = stripped
                .iter()
                .flat_map(|c| parts_of(c))
                .find(|c| squash(c) == sh && c.chars().next().is_some_and(char::is_uppercase))
        {
            return Some(c);
        }
        // An all-capitals headline is usually styling: the metadata title with the same
        // letters keeps the author's casing — unless a metadata title is written in the same
        // capitals, which makes them the author's.
        if !only.chars().any(char::is_lowercase)
            && !stripped.iter().any(|c| c == only)
            && let Some(c) = stripped
                .iter()
                .find(|c| squash(c) == sh && c.chars().any(char::is_lowercase))
        {
            return Some(c.clone());
        }
        // So is a sentence-case headline shown capitalised by CSS: the metadata title with the
        // same letters in Title Case is what readers see.
        if let Some(c) = stripped
            .iter()
            .find(|c| squash(c) == sh && capitalised_words(c) >= capitalised_words(only) + 2)
        {
            return Some(c.clone());
        }
        // A kicker or dateline glued before the headline ("Blog: X", "Dec 18 2025 X"): the
        // metadata title is the headline without it.
        if let Some(c) = stripped.iter().find(|c| {
            c.split_whitespace().count() >= 3
                && only.len() > c.len()
                && only.ends_with(c.as_str())
                && is_kicker(only[..only.len() - c.len()].trim())
        }) {
            return Some(c.clone());
        }
        // A character lost to a wrong encoding ("Beginner? Guide", "Caf\u{fffd}"): the metadata
        // title that reads the same around it has the character.
        if let Some(c) = stripped.iter().find(|c| lost_character(only, c)) {
            return Some(c.clone());
        }
        if let Some(agreed) = agreed_title(&stripped)
            && squash(agreed) != sh
        {
            // Capitals are display styling: an all-capitals `<h1>` that no metadata writes in
            // capitals yields to the title the metadata agrees on.
            if only.chars().filter(|c| c.is_alphabetic()).count() >= 8
                && !only.chars().any(char::is_lowercase)
                && agreed.chars().any(char::is_lowercase)
            {
                return Some(agreed.to_string());
            }
            // The metadata title is itself shown as a heading on the page (a section or the
            // comments repeat it): the `<h1>` is a banner, a section name or a pull quote.
            if shown.h2s.iter().any(|h| squash(h) == squash(agreed)) {
                return Some(agreed.to_string());
            }
            // A one- or two-word `<h1>` beside a longer agreed title is a section label
            // ("Index funds", "M&A Updates"), not the post's headline.
            if only.split_whitespace().count() <= 2
                && agreed.split_whitespace().count() >= 3
                && !only.chars().any(|c| c.is_ascii_digit())
            {
                return Some(agreed.to_string());
            }
        }
        return Some(only.clone());
    }
    for c in candidates.iter().flatten() {
        if c.trim().is_empty() {
            continue;
        }
        let stripped = strip_site(c, sites);
        if let Some(h) = h1_match(&stripped) {
            return Some(h);
        }
        // An h1 that is one side of the candidate's separator: the other side is the site.
        if let Some(h) = h1_part_of(&stripped, h1s) {
            return Some(h);
        }
        return Some(stripped);
    }
    let title = html_title?.trim();
    if title.is_empty() {
        return h1s.first().cloned();
    }
    if let Some(h) = h1_part_of(title, h1s) {
        return Some(h);
    }
    Some(strip_site(title, sites))
}

/// The first site-stripped metadata title that a second source repeats (`og:title` and
/// `<title>`, JSON-LD and `og:title`…), of two words or more.
fn agreed_title(stripped: &[String]) -> Option<&str> {
    stripped.iter().enumerate().find_map(|(i, c)| {
        let k = squash(c);
        (c.split_whitespace().count() >= 2
            && stripped
                .iter()
                .enumerate()
                .any(|(j, d)| j != i && squash(d) == k))
        .then_some(c.as_str())
    })
}

/// Two titles equal but where `shown` has `?` or U+FFFD for one to three characters of `meta`
/// (characters the page's encoding lost: "Beginner? Guide" for "Beginner's Guide").
fn lost_character(shown: &str, meta: &str) -> bool {
    fn walk(a: &[char], b: &[char], lost: bool) -> bool {
        match (a.split_first(), b.split_first()) {
            (None, None) => lost,
            (Some((x, ra)), Some((y, rb))) => {
                if x == y && walk(ra, rb, lost) {
                    return true;
                }
                matches!(x, '?' | '\u{fffd}')
                    && (1..=3).any(|k| {
                        k <= b.len()
                            && b[..k].iter().all(|c| !c.is_whitespace() && *c != *x)
                            && walk(ra, &b[k..], true)
                    })
            }
            _ => false,
        }
    }
    let (a, b): (Vec<char>, Vec<char>) = (shown.chars().collect(), meta.chars().collect());
    let marks = a.iter().filter(|c| matches!(c, '?' | '\u{fffd}')).count();
    a.len() >= 10 && a.len() <= 300 && marks <= 3 && walk(&a, &b, false)
}

/// A description set as the `<h1>`: long, and two sentences or more.
fn is_description(text: &str) -> bool {
    let sentences = text
        .split_inclusive(['.', '?', '!'])
        .filter(|s| s.split_whitespace().count() >= 3)
        .count();
    text.chars().count() > 150 && sentences >= 2
}

/// The text of a heading as it is shown: text runs joined as written (an inline `<span>`
/// inside a word does not split it), a space for `<br>` and block children, whitespace
/// collapsed. Markup written as text (`30 Years of &lt;br&gt; Tags`) stays text.
pub fn heading_text(e: ElementRef<'_>) -> String {
    let mut out = String::new();
    let mut skip = 0usize;
    let hidden = |n: &scraper::Node| {
        n.as_element().is_some_and(|e| {
            matches!(
                e.name(),
                "script" | "style" | "noscript" | "template" | "svg" | "button"
            )
        })
    };
    let spaced = |n: &scraper::Node| {
        n.as_element().is_some_and(|e| {
            matches!(
                e.name(),
                "br" | "div" | "p" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "small"
            )
        })
    };
    for edge in e.traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => {
                if hidden(n.value()) {
                    skip += 1;
                } else if skip == 0 {
                    if let scraper::Node::Text(t) = n.value() {
                        out.push_str(t);
                    } else if spaced(n.value()) {
                        out.push(' ');
                    }
                }
            }
            ego_tree::iter::Edge::Close(n) => {
                if hidden(n.value()) {
                    skip = skip.saturating_sub(1);
                } else if skip == 0 && spaced(n.value()) {
                    out.push(' ');
                }
            }
        }
    }
    // C1 controls are cp1252 bytes read as Latin-1 (`Investor\u{e2}\u{80}\u{99}s`): mapped back,
    // [`fix_mojibake`] can repair the headline; other controls are dropped.
    let out: String = crate::normalise::fix_c1_controls(&out)
        .chars()
        .filter(|c| !c.is_control() || c.is_whitespace())
        .collect();
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a heading is the site's logo or name, or hidden from view (screen-reader text).
fn is_site_or_hidden(h: ElementRef<'_>) -> bool {
    let v = h.value();
    if v.attr("hidden").is_some() || v.attr("aria-hidden") == Some("true") {
        return true;
    }
    // The heading and its first child (`<h1><a class="logo">`) say what the heading holds.
    let own = std::iter::once(h).chain(h.children().filter_map(ElementRef::wrap).take(1));
    own.into_iter().any(|e| {
        let v = e.value();
        format!(
            "{} {}",
            v.attr("class").unwrap_or(""),
            v.attr("id").unwrap_or("")
        )
        .split_whitespace()
        .any(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("logo")
                || t.contains("site-title")
                || t.contains("site-name")
                || t.contains("sitename")
                || t.contains("site_title")
                || t.contains("brand")
                || t.contains("screen-reader")
                || t == "sr-only"
                || t.contains("visually-hidden")
                || t.contains("visuallyhidden")
                || t == "hidden"
        })
    })
}

/// Whether a heading sits in navigation, a footer, an aside, a related-posts widget or a dialog
/// (`<dialog>`, `role=dialog`, `modal…`/`…-modal` boxes: sign-up pop-ups). Layout wrappers
/// named after a sidebar (`content-sidebar-wrap`) hold the post too, so only the elements
/// themselves and "related"/"recent" boxes count.
fn in_page_furniture(h: ElementRef<'_>) -> bool {
    section_ancestors(h).any(|a| {
        let v = a.value();
        matches!(v.name(), "nav" | "footer" | "aside")
            || v.attr("class").is_some_and(|c| {
                section_tokens(c).any(|t| {
                    t.contains("related")
                        || t.contains("recent")
                        || t.starts_with("modal")
                        || t.ends_with("-modal")
                })
            })
            || v.name() == "dialog"
            || v.attr("role") == Some("dialog")
    })
}

/// What a page shows as headings, for [`choose`].
#[derive(Debug, Default, Clone)]
pub struct Shown {
    /// The `<h1>` texts that can be the post's headline ([`headlines`]).
    pub h1s: Vec<String>,
    /// The texts of the page's `<h2>`s outside navigation, sidebars and related widgets.
    pub h2s: Vec<String>,
}

/// The page's `<h1>` texts that can be the post's headline, in document order, each once:
/// not the site's logo or name (by class, or a text that is exactly a site name), not hidden, not in navigation, footers,
/// sidebars, dialogs or related-post widgets.
///
/// Of several, the one whose class names it the post's title (`entry-title`, `post-title`,
/// `headline`…) is the headline when it is the only such; with no `<h1>` left, the one `<h2>`
/// with such a class is (themes that keep `<h1>` for the site's name; several are teasers).
pub fn headlines(doc: &Html, sites: &[String]) -> Vec<String> {
    static H1: LazyLock<Selector> = LazyLock::new(|| super::meta::sel("h1"));
    static H2: LazyLock<Selector> = LazyLock::new(|| super::meta::sel("h2[class]"));
    let mut out: Vec<String> = Vec::new();
    let mut titled: Vec<String> = Vec::new();
    for h in doc.select(&H1).take(20) {
        if is_site_or_hidden(h) || in_page_furniture(h) {
            continue;
        }
        let text = heading_text(h);
        let is_site = sites.iter().any(|s| squash(s) == squash(&text));
        if text.is_empty() || is_site || out.contains(&text) {
            continue;
        }
        if is_title_class(h) {
            titled.push(text.clone());
        }
        out.push(text);
        if out.len() >= 10 {
            break;
        }
    }
    if out.len() > 1
        && let [one] = titled.as_slice()
    {
        return vec![one.clone()];
    }
    if out.is_empty() {
        let titled: Vec<ElementRef<'_>> = doc
            .select(&H2)
            .take(40)
            .filter(|h| is_title_class(*h) && !is_site_or_hidden(*h) && !in_page_furniture(*h))
            .take(2)
            .collect();
        // Several are a list of teasers, not a post.
        if let [h] = titled.as_slice() {
            let text = heading_text(*h);
            if !text.is_empty() {
                out.push(text);
            }
        }
    }
    out
}

/// [`headlines`] with the texts of the page's `<h2>`s outside navigation, sidebars and
/// related-post widgets.
pub fn shown_headings(doc: &Html, sites: &[String]) -> Shown {
    static H2: LazyLock<Selector> = LazyLock::new(|| super::meta::sel("h2"));
    let h2s = doc
        .select(&H2)
        .take(60)
        .filter(|h| !is_site_or_hidden(*h) && !in_page_furniture(*h))
        .map(heading_text)
        .filter(|t| !t.is_empty())
        .collect();
    Shown {
        h1s: headlines(doc, sites),
        h2s,
    }
}

/// A heading whose class names it the post's title.
fn is_title_class(h: ElementRef<'_>) -> bool {
    h.value().attr("class").is_some_and(|c| {
        c.split_whitespace().any(|t| {
            let t = t.to_ascii_lowercase();
            [
                "entry-title",
                "post-title",
                "article-title",
                "headline",
                "post-full-title",
            ]
            .iter()
            .any(|k| t.contains(k))
                || t.ends_with("article__title")
                || t.ends_with("post__title")
        })
    })
}

/// A label or dateline set before a headline: up to three words ending in a colon, a bar or a
/// dash ("Blog:", "News |"), or two or three words with a digit ("Dec 18 2025").
fn is_kicker(prefix: &str) -> bool {
    let words = prefix.split_whitespace().count();
    if words == 0 || words > 3 {
        return false;
    }
    prefix.ends_with([':', '|', '-', '–', '—', '»'])
        || (words >= 2 && prefix.chars().any(|c| c.is_ascii_digit()))
}

/// Words that start with a capital letter.
fn capitalised_words(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().next().is_some_and(char::is_uppercase))
        .count()
}

/// A title and its parts at each separator (first and last part).
fn parts_of(title: &str) -> Vec<String> {
    let mut out = vec![title.to_string()];
    for sep in SEPARATORS {
        if let Some((head, _)) = title.split_once(sep) {
            out.push(head.trim().to_string());
        }
        if let Some((_, tail)) = title.rsplit_once(sep) {
            out.push(tail.trim().to_string());
        }
    }
    out
}

/// An `<h1>` that is the start or end of `title` at a separator.
fn h1_part_of(title: &str, h1s: &[String]) -> Option<String> {
    for h in h1s.iter().take(5) {
        let sh = squash(h);
        if sh.len() < 4 {
            continue;
        }
        // "Headline (Author Name)": a bracketed byline or site after the `<h1>`'s text.
        if let Some(rest) = title.strip_prefix(h.as_str())
            && rest.starts_with(" (")
            && rest.ends_with(')')
        {
            return Some(h.clone());
        }
        // "Site Blog: Headline" — a colon also separates, when one side is the `<h1>`.
        for sep in SEPARATORS.iter().copied().chain([": "]) {
            for part in [title.split(sep).next(), title.rsplit(sep).next()]
                .into_iter()
                .flatten()
            {
                if part.len() < title.len() && squash(part) == sh {
                    return Some(h.clone());
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`choose`] for a page whose only headings are `h1s`.
    fn choose_h1s(
        candidates: &[Option<String>],
        html_title: Option<&str>,
        h1s: &[String],
        sites: &[String],
    ) -> Option<String> {
        let shown = Shown {
            h1s: h1s.to_vec(),
            ..Shown::default()
        };
        choose(candidates, html_title, &shown, sites)
    }

    #[test]
    fn strips_site_names() {
        let sites = site_names(&[Some("The Daily".into())], Some("www.daily.example"));
        assert_eq!(strip_site("Big News | The Daily", &sites), "Big News");
        assert_eq!(strip_site("The Daily - Big News", &sites), "Big News");
        assert_eq!(strip_site("Big News – daily", &sites), "Big News");
        assert_eq!(
            strip_site("Big News – Other Words", &sites),
            "Big News – Other Words"
        );
        assert_eq!(
            choose_h1s(
                &[None],
                Some("Big News: part one | Something"),
                &["Big News: part one".into()],
                &sites
            )
            .as_deref(),
            Some("Big News: part one")
        );
    }

    #[test]
    fn headlines_skip_logos_hidden_headings_and_repeats() {
        let sites = site_names(&[Some("The Daily".into())], Some("daily.example"));
        let doc = Html::parse_document(
            r#"<body><header><h1 class="site-logo"><a href="/">Anything</a></h1></header>
<h1>The Daily</h1><h1 class="sr-only">Hidden Words For Readers</h1>
<article><h1>Big <span class="drop">N</span>ews<br>Today</h1></article>
<section><h1>Big News Today</h1></section>
<div class="related-posts"><h1>Another Post</h1></div><nav><h1>Menu</h1></nav></body>"#,
        );
        assert_eq!(headlines(&doc, &sites), vec!["Big News Today".to_string()]);
    }

    #[test]
    fn headline_variants_that_yield_to_the_metadata_title() {
        let sites = site_names(&[Some("Site".into())], Some("site.example"));
        let pick = |h1: &str, meta: &str| {
            choose_h1s(&[Some(meta.to_string())], None, &[h1.to_string()], &sites)
        };
        // Sentence case shown capitalised: the Title Case metadata is what readers see.
        assert_eq!(
            pick(
                "How to install solar panels",
                "How to Install Solar Panels | Site"
            )
            .as_deref(),
            Some("How to Install Solar Panels")
        );
        // One capital more is an editorial choice: the headline stays.
        assert_eq!(
            pick("The best film of the year", "The Best film of the year").as_deref(),
            Some("The best film of the year")
        );
        // A kicker or a dateline glued before the headline.
        assert_eq!(
            pick("Blog: Ten Ways to Cook Rice", "Ten Ways to Cook Rice").as_deref(),
            Some("Ten Ways to Cook Rice")
        );
        assert_eq!(
            pick("Dec 18 2025 Ten Ways to Cook Rice", "Ten Ways to Cook Rice").as_deref(),
            Some("Ten Ways to Cook Rice")
        );
        // A headline that merely starts with one more word is the headline.
        assert_eq!(
            pick("The Ten Ways to Cook Rice", "Ten Ways to Cook Rice").as_deref(),
            Some("The Ten Ways to Cook Rice")
        );
        assert_eq!(
            strip_site("Ten Ways to Cook Rice • Site", &sites),
            "Ten Ways to Cook Rice"
        );
    }

    #[test]
    fn pipe_tails_site_suffixes_and_colon_prefixes() {
        let sites = site_names(&[Some("Site".into())], Some("site.example"));
        let one = |h1: &str, html_title: Option<&str>| {
            choose_h1s(&[None], html_title, &[h1.to_string()], &sites)
        };
        // A short tail after a bar is a section or keyword list; a long one is a clause.
        assert_eq!(
            one("How meditation rewires the brain | Opinion", None).as_deref(),
            Some("How meditation rewires the brain")
        );
        let clause = "Ten Cameras Under Budget | The Best Mirrorless Cameras on the Market";
        assert_eq!(one(clause, None).as_deref(), Some(clause));
        // The site's name glued to the headline.
        assert_eq!(
            one("Critics Pick the Best Shows of the Year – Site", None).as_deref(),
            Some("Critics Pick the Best Shows of the Year")
        );
        // A headline in lower case or capitals: the `<title>` keeps the casing.
        assert_eq!(
            one(
                "history of coffee",
                Some("History of coffee | Origin, Facts | Site")
            )
            .as_deref(),
            Some("History of coffee")
        );
        assert_eq!(
            one("WEEKEND CODING AGENT", Some("Weekend Coding Agent | Site")).as_deref(),
            Some("Weekend Coding Agent")
        );
        // "Blog Name: Headline" where the `<h1>` is the headline.
        let h1s = [
            "The Fold Problem".to_string(),
            "Erik's Folding:".to_string(),
        ];
        assert_eq!(
            choose_h1s(&[None], Some("The Fold Problem (Erik D)"), &h1s, &sites).as_deref(),
            Some("The Fold Problem")
        );
        let h1s = ["Hardware Builds".to_string(), "What it is".to_string()];
        assert_eq!(
            choose_h1s(
                &[Some("Acme Blog: Hardware Builds".into())],
                None,
                &h1s,
                &sites
            )
            .as_deref(),
            Some("Hardware Builds")
        );
    }

    #[test]
    fn titled_headings_among_many() {
        let sites = site_names(&[], Some("x.example"));
        let doc = Html::parse_document(
            r#"<h1 class="v2-headline">The Real Post</h1><div><h1 class="item">Teaser One</h1><h1 class="item">Teaser Two</h1></div>"#,
        );
        assert_eq!(headlines(&doc, &sites), vec!["The Real Post".to_string()]);
        let doc =
            Html::parse_document(r#"<h2 class="entry-title">About This Blog</h2><h2>Other</h2>"#);
        assert_eq!(headlines(&doc, &sites), vec!["About This Blog".to_string()]);
        let doc = Html::parse_document(
            r#"<h2 class="entry-title">Episode 1</h2><h2 class="entry-title">Episode 2</h2>"#,
        );
        assert!(headlines(&doc, &sites).is_empty());
    }

    #[test]
    fn label_tails_and_truncated_headlines() {
        let sites = site_names(&[], Some("x.example"));
        let one = |h1: &str| choose_h1s(&[None], None, &[h1.to_string()], &sites);
        assert_eq!(
            one("Reflections on Building a Pipeline - Part 1").as_deref(),
            Some("Reflections on Building a Pipeline")
        );
        // A short headline or a longer tail keeps its dash.
        assert_eq!(
            one("Best Bread Machines – My Favorites!").as_deref(),
            Some("Best Bread Machines – My Favorites!")
        );
        assert_eq!(
            one("Transitioning to a plant-based diet – tips and tricks").as_deref(),
            Some("Transitioning to a plant-based diet – tips and tricks")
        );
        let long = "Struggling With How To Arrange Your Living Room? We Help Four Readers Find Better Solutions (Including One Universal Trick That Works)";
        let cut = &long[..long.len() - 12];
        assert!(cut.chars().count() >= 100);
        assert_eq!(
            choose_h1s(
                &[Some(cut.to_string()), Some(format!("{long} - Site Name"))],
                None,
                &[],
                &sites
            )
            .as_deref(),
            Some(long)
        );
    }

    #[test]
    fn mojibake_is_repaired_and_plain_text_kept() {
        assert_eq!(
            fix_mojibake("A DIY Investorâ€™s Guide"),
            "A DIY Investor’s Guide"
        );
        assert_eq!(fix_mojibake("CafÃ© in Paris"), "Café in Paris");
        assert_eq!(fix_mojibake("Ärger in Köln – Â"), "Ärger in Köln – Â");
        assert_eq!(fix_mojibake("Plain title"), "Plain title");
    }

    #[test]
    fn metadata_shown_as_a_heading_or_beside_a_label() {
        let sites = site_names(&[Some("Site".into())], Some("site.example"));
        let meta = || {
            (
                vec![Some("What People Love About Trains | Site".to_string())],
                Some("What People Love About Trains | Site"),
            )
        };
        let (c, t) = meta();
        // The agreed metadata title is a heading further down: the `<h1>` is a pull quote.
        let shown = Shown {
            h1s: vec!["But what they love is the sense of freedom".into()],
            h2s: vec!["Contents".into(), "What people love about trains".into()],
        };
        assert_eq!(
            choose(&c, t, &shown, &sites).as_deref(),
            Some("What People Love About Trains")
        );
        // Not shown anywhere else, or said by one source only: the `<h1>` stays.
        let alone = Shown {
            h2s: vec!["Contents".into()],
            ..shown.clone()
        };
        assert_eq!(
            choose(&c, t, &alone, &sites).as_deref(),
            Some("But what they love is the sense of freedom")
        );
        assert_eq!(
            choose(&c, None, &shown, &sites).as_deref(),
            Some("But what they love is the sense of freedom")
        );
        // A one- or two-word `<h1>` beside a longer agreed title labels the section.
        let pick = |h1: &str| choose_h1s(&c, t, &[h1.to_string()], &sites);
        assert_eq!(
            pick("Rail news").as_deref(),
            Some("What People Love About Trains")
        );
        assert_eq!(pick("Trains 2025").as_deref(), Some("Trains 2025"));
        assert_eq!(
            pick("Why People Love Trains").as_deref(),
            Some("Why People Love Trains")
        );
    }

    #[test]
    fn characters_the_page_lost_or_widened() {
        let sites = site_names(&[], Some("x.example"));
        let pick = |h1: &str, meta: &str| {
            choose_h1s(&[Some(meta.to_string())], None, &[h1.to_string()], &sites)
        };
        assert_eq!(
            pick(
                "Basics Of Event Planning? Beginner? Guide",
                "Basics Of Event Planning: Beginner's Guide"
            )
            .as_deref(),
            Some("Basics Of Event Planning: Beginner's Guide")
        );
        // A question mark the headline means stays.
        assert_eq!(
            pick(
                "Is It Worth It? A Review",
                "Is It Worth It: Our Long Review"
            )
            .as_deref(),
            Some("Is It Worth It? A Review")
        );
        // Full-width punctuation in Latin text is ASCII; in CJK text it is the script's own.
        assert_eq!(
            pick("How Does Mapping Work？", "Other").as_deref(),
            Some("How Does Mapping Work?")
        );
        assert_eq!(
            pick("東京の天気はどうですか？", "Other").as_deref(),
            Some("東京の天気はどうですか？")
        );
        // Capitals that a metadata title repeats are the author's.
        assert_eq!(
            choose_h1s(
                &[Some("CONSULTING VS. INSURANCE".into())],
                Some("Consulting vs Insurance | Site"),
                &["CONSULTING VS. INSURANCE".to_string()],
                &sites
            )
            .as_deref(),
            Some("CONSULTING VS. INSURANCE")
        );
        // Capitals that differ from an agreed metadata title are display styling too.
        assert_eq!(
            choose_h1s(
                &[Some("Consulting: Our Best Practices | Site".into())],
                Some("Consulting: Our Best Practices | Site"),
                &["SUPPORTING CONSULTING".to_string()],
                &sites
            )
            .as_deref(),
            Some("Consulting: Our Best Practices")
        );
        // A site name in mojibake is still the site's name.
        let brand = site_names(&[Some("Acme\u{2019}s".into())], Some("x.example"));
        let shown = Shown {
            h1s: vec!["Sleep Training".into()],
            h2s: vec!["How To Get Toddlers To Sleep".into()],
        };
        let meta = "How To Get Toddlers To Sleep | Acme\u{e2}\u{20ac}\u{2122}s";
        assert_eq!(
            choose(&[Some(meta.into())], Some(meta), &shown, &brand).as_deref(),
            Some("How To Get Toddlers To Sleep")
        );
        // A description set as the `<h1>` yields to the metadata headline.
        let blurb = "Learn which renovations pay back the most? Get expert tips on how to work out the return of a project, and everything else you need to know before you start one.";
        assert_eq!(
            pick(blurb, "The Ten Best Renovation Projects").as_deref(),
            Some("The Ten Best Renovation Projects")
        );
    }

    #[test]
    fn host_prefixes_dialogs_and_c1_bytes() {
        let sites = site_names(&[], Some("www.someblog.example"));
        assert_eq!(
            strip_site("someblog.example Vibe Coding Notes", &sites),
            "Vibe Coding Notes"
        );
        assert_eq!(
            strip_site("someblog.examples of things", &sites),
            "someblog.examples of things"
        );
        let doc = Html::parse_document(
            "<h1>A DIY Investor\u{e2}\u{80}\u{99}s Guide</h1>\
             <div class=\"modal-content\"><h1>Free Email Course</h1></div>\
             <dialog><h1>Sign up</h1></dialog>",
        );
        let h1s = headlines(&doc, &sites);
        assert_eq!(h1s.len(), 1);
        assert_eq!(fix_mojibake(&h1s[0]), "A DIY Investor\u{2019}s Guide");
    }
}
