//! Headlines without the site's name. `<title>` and often `og:title` read "Title | Site",
//! "Site - Title" or "Title – Site"; the part that names the site (og:site_name, the JSON-LD
//! publisher or `WebSite`, the host name) is cut, and an `<h1>` that matches a part of the
//! `<title>` is preferred to a guess. [`headlines`] reads the page's `<h1>`s as a reader sees
//! them: the site's logo or name, screen-reader-only headings, navigation and related-post
//! widgets are not the post's headline.

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
/// h-entry, `<title>`), already plain text; `h1s` are the page's `<h1>` texts.
pub fn choose(
    candidates: &[Option<String>],
    html_title: Option<&str>,
    h1s: &[String],
    sites: &[String],
) -> Option<String> {
    let t = choose_headline(candidates, html_title, h1s, sites)?;
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
    Some(cut_label_tail(&cut_short_pipe_tail(&fix_mojibake(&t))))
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
    h1s: &[String],
    sites: &[String],
) -> Option<String> {
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
        // letters keeps the author's casing.
        if !only.chars().any(char::is_lowercase)
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
    let out: String = out
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

/// Whether a heading sits in navigation, a footer, an aside or a related-posts widget. Layout
/// wrappers named after a sidebar (`content-sidebar-wrap`) hold the post too, so only the
/// elements themselves and "related"/"recent" boxes count.
fn in_page_furniture(h: ElementRef<'_>) -> bool {
    section_ancestors(h).any(|a| {
        let v = a.value();
        matches!(v.name(), "nav" | "footer" | "aside")
            || v.attr("class").is_some_and(|c| {
                section_tokens(c).any(|t| t.contains("related") || t.contains("recent"))
            })
    })
}

/// The page's `<h1>` texts that can be the post's headline, in document order, each once:
/// not the site's logo or name (by class, or a text that is exactly a site name), not hidden, not in navigation, footers,
/// sidebars or related-post widgets.
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
            choose(
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
            choose(&[Some(meta.to_string())], None, &[h1.to_string()], &sites)
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
            choose(&[None], html_title, &[h1.to_string()], &sites)
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
            choose(&[None], Some("The Fold Problem (Erik D)"), &h1s, &sites).as_deref(),
            Some("The Fold Problem")
        );
        let h1s = ["Hardware Builds".to_string(), "What it is".to_string()];
        assert_eq!(
            choose(
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
        let one = |h1: &str| choose(&[None], None, &[h1.to_string()], &sites);
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
            choose(
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
}
