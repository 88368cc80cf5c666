//! The published date: the dateline a reader sees beside the headline, weighed against the
//! machine dates of the metadata layers. [`header_dates`] reads every short date-like text run
//! (or `<time>`) near the headline and tells whether the page labels it as an update ("Updated
//! …", `class="updated"`, `itemprop="dateModified"`); [`published`] picks the published
//! instant from those and the metadata (a year-less, relative or month-only dateline never
//! overrides a machine date); [`labelled_date`] finds a "Published …"/"Posted on …" line — or,
//! as the very last resort, a "Last updated: …" line — anywhere outside comments and widgets
//! (author boxes at the end of a post) when nothing else gave a date. An `<aside>` beside the
//! headline holding only a date is the post's meta, not a sidebar.

use super::byline::{
    box_hint, in_comments, in_furniture, local_day, section_ancestors, section_tokens,
    strip_date_label,
};
use super::meta::{Fields, sel};
use crate::model::{DatePrecision, Stamp};
use crate::normalise::clean_text;
use crate::normalise::date::{DateContext, parse_human_date};
use chrono::Datelike;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// Text runs further than this from the headline are not its dateline.
const AFTER_HEADLINE: usize = 30;
const BEFORE_HEADLINE: usize = 12;

/// A date the page shows near its headline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shown {
    pub stamp: Stamp,
    /// The page labels it as the date of an update, not of publication.
    pub updated: bool,
    /// It stands above the headline (read only when nothing follows the headline).
    pub above: bool,
}

/// Words that say a date is when the post was changed, in the languages we read.
static UPDATED_WORD: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:updated|modified|revised|reviewed|edited|aktualisiert|geändert|actualizado|actualizada|mis\s+à\s+jour|mise\s+à\s+jour|modifié|aggiornato|aggiornamento|bijgewerkt|atualizado|zaktualizowano|oppdatert|uppdaterad|opdateret)\b",
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});

/// Words that say a date is the publication's.
static PUBLISHED_WORD: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)\b(?:published|posted|publication\s+date|publish\s+date|publicado|publicada|veröffentlicht|publié|publiée|pubblicato|gepubliceerd|opublikowano|publisert|publicerad)\b",
    )
    .unwrap_or_else(|_| unreachable!("static regex"))
});

/// Whether the text before the date in `text` labels it as an update ("Last updated on …").
/// A run that names both ("Published May 1, updated May 9") is read by its first label.
fn labels_update(text: &str) -> bool {
    let upd = UPDATED_WORD.find(text).map(|m| m.start());
    let publ = PUBLISHED_WORD.find(text).map(|m| m.start());
    match (upd, publ) {
        (Some(u), Some(p)) => u < p,
        (Some(_), None) => true,
        _ => false,
    }
}

/// Whether the element (or a close ancestor) marks its date as a modification date:
/// `class="updated"`/`"modified"` without another date or publish class beside it, or
/// `itemprop="dateModified"`.
fn marked_modified(e: ElementRef<'_>) -> bool {
    std::iter::once(e)
        .chain(e.ancestors().filter_map(ElementRef::wrap))
        .take(3)
        .any(|a| {
            let v = a.value();
            if v.attr("itemprop")
                .is_some_and(|p| p.eq_ignore_ascii_case("dateModified"))
            {
                return true;
            }
            // Themes also tag the published date `class="entry-date updated"` (an hAtom
            // habit): another date or publish class beside it says it is the published one.
            let class = v.attr("class").unwrap_or("").to_ascii_lowercase();
            let (marks, others): (Vec<&str>, Vec<&str>) = class
                .split_whitespace()
                .partition(|t| t.contains("updated") || t.contains("modified"));
            !marks.is_empty()
                && !others
                    .iter()
                    .any(|t| t.contains("publish") || t.contains("date"))
        })
}

/// The element that carries the headline: the `<h1>` with the title (wherever it sits: a
/// headline is never furniture, whatever its wrapper's class says), else a heading or a
/// title-classed element with exactly the title's text, else any short element with it, else
/// the first `<h1>`, else (a page with no `<h1>`) the first `<h2>`.
fn headline_element<'a>(doc: &'a Html, headline: Option<&str>) -> Option<ElementRef<'a>> {
    static H1: LazyLock<Selector> = LazyLock::new(|| sel("h1"));
    static H2: LazyLock<Selector> = LazyLock::new(|| sel("h2"));
    static OTHER: LazyLock<Selector> = LazyLock::new(|| {
        sel(r#"h2, h3, [class*="title" i], [class*="headline" i], [itemprop~="headline"]"#)
    });
    static SHORT: LazyLock<Selector> = LazyLock::new(|| sel("p, div, span, a, strong"));
    let squash = |s: &str| super::title::squash(s);
    let text_of = |e: ElementRef<'_>| squash(&e.text().collect::<Vec<_>>().join(" "));
    let want = headline.map(squash).filter(|s| !s.is_empty());
    let usable = |e: &ElementRef<'_>| !in_comments(*e) && !in_furniture(*e);
    let h1s: Vec<ElementRef<'a>> = doc
        .select(&H1)
        .take(10)
        .filter(|h| !in_comments(*h))
        .filter(|h| !text_of(*h).is_empty())
        .collect();
    if let Some(w) = want.as_deref() {
        if let Some(h) = h1s.iter().find(|h| text_of(**h) == w) {
            return Some(*h);
        }
        let not_page = |e: &ElementRef<'_>| {
            !matches!(
                e.value().name(),
                "title" | "meta" | "body" | "html" | "head"
            )
        };
        if let Some(h) = doc
            .select(&OTHER)
            .take(300)
            .filter(not_page)
            .filter(usable)
            .find(|e| text_of(*e) == w)
        {
            return Some(h);
        }
        // The title's own text in a plain element (page builders style divs as headings).
        if let Some(h) = doc
            .select(&SHORT)
            .take(3000)
            .filter(|e| {
                // Short elements only, without walking a long subtree to its end.
                let limit = 3 * w.len() + 40;
                e.text()
                    .try_fold(0usize, |n, t| Some(n + t.len()).filter(|&n| n <= limit))
                    .is_some()
            })
            .filter(usable)
            .find(|e| text_of(*e) == w)
        {
            return Some(h);
        }
    }
    if let Some(h) = h1s.iter().find(|h| usable(h)) {
        return Some(*h);
    }
    if h1s.is_empty() {
        return doc
            .select(&H2)
            .take(10)
            .filter(usable)
            .find(|h| !text_of(*h).is_empty());
    }
    None
}

/// Whether a box is page furniture or a comment thread by its own name/class/id: `<nav>`,
/// `<footer>`, `<aside>`, related/recent/sidebar classes (not `no-`/`has-`/`with-` layout
/// switches, not utility classes with arbitrary values), comment sections.
fn furniture_box(a: ElementRef<'_>) -> bool {
    let v = a.value();
    if matches!(v.name(), "footer" | "nav" | "aside") {
        return true;
    }
    let hint = box_hint(v);
    if hint.contains("comment") || hint.contains("respond") || hint.contains("disqus") {
        return true;
    }
    section_tokens(&hint)
        .any(|t| t.contains("related") || t.contains("recent") || t.contains("sidebar"))
}

/// Whether an element sits in navigation, a footer, a comment thread or a list of other posts
/// (related/recent classes); unlike [`furniture_box`], asides and sidebars are allowed.
fn in_other_posts(e: ElementRef<'_>) -> bool {
    section_ancestors(e).any(|a| {
        let v = a.value();
        if matches!(v.name(), "nav" | "footer") {
            return true;
        }
        section_tokens(&box_hint(v)).any(|t| {
            ["related", "recent", "comment", "respond", "disqus"]
                .iter()
                .any(|w| t.contains(w))
        })
    })
}

/// Whether a text run near the headline sits in furniture *below* the box it shares with the
/// headline: a wrapper around both the headline and the run (`class="story-sidebar-mode"` on
/// the whole post) says nothing about the run. An `<aside>` beside the headline that holds no
/// more than a dateline's worth of text (`<aside><time>June 6, 2021</time></aside>`) is the
/// post's meta, not a sidebar.
fn apart_from_headline(run: ElementRef<'_>, headline_boxes: &[ego_tree::NodeId]) -> bool {
    std::iter::once(run)
        .chain(run.ancestors().filter_map(ElementRef::wrap))
        .take(40)
        .take_while(|a| {
            !matches!(a.value().name(), "body" | "html") && !headline_boxes.contains(&a.id())
        })
        .any(|a| furniture_box(a) && !meta_aside(a, headline_boxes))
}

/// An `<aside>` whose parent is one of the headline's three nearest boxes and whose own text is
/// short (a date, a reading time): post meta beside the headline.
fn meta_aside(a: ElementRef<'_>, headline_boxes: &[ego_tree::NodeId]) -> bool {
    let near = headline_boxes.get(1..4).unwrap_or(&[]);
    a.value().name() == "aside"
        && a.parent().is_some_and(|p| near.contains(&p.id()))
        && a.text().map(|t| t.trim().len()).sum::<usize>() <= 40
}

/// The dates a reader sees next to the headline, nearest first: the short date-like texts (or
/// `<time>`s) among the text runs that follow the headline — up to the first paragraph of body
/// text — then among the few that precede it (a dateline above the title). `headline` picks
/// the element that carries the page's title. Comments, navigation, footers and related-post
/// widgets are skipped.
pub fn header_dates(doc: &Html, headline: Option<&str>, dates: &DateContext<'_>) -> Vec<Shown> {
    let Some(h1) = headline_element(doc, headline) else {
        return Vec::new();
    };
    let h1_id = h1.id();
    let headline_boxes: Vec<ego_tree::NodeId> = std::iter::once(h1.id())
        .chain(h1.ancestors().map(|a| a.id()))
        .collect();
    let skipped = |e: &scraper::node::Element| {
        matches!(
            e.name(),
            "script" | "style" | "noscript" | "template" | "svg" | "head" | "select"
        )
    };
    // Text runs in document order, with where the headline starts and ends among them.
    let mut texts: Vec<(ego_tree::NodeRef<'_, scraper::Node>, &str)> = Vec::new();
    let (mut start, mut end) = (None, None);
    let mut skip_depth = 0usize;
    for edge in doc.tree.root().traverse() {
        match edge {
            ego_tree::iter::Edge::Open(n) => {
                if n.id() == h1_id {
                    start = Some(texts.len());
                }
                match n.value() {
                    scraper::Node::Element(e) if skipped(e) => skip_depth += 1,
                    scraper::Node::Text(t) if skip_depth == 0 && !t.trim().is_empty() => {
                        texts.push((n, t));
                    }
                    _ => {}
                }
            }
            ego_tree::iter::Edge::Close(n) => {
                if n.id() == h1_id {
                    end = Some(texts.len());
                }
                if let scraper::Node::Element(e) = n.value()
                    && skipped(e)
                {
                    skip_depth = skip_depth.saturating_sub(1);
                }
            }
        }
    }
    let (Some(start), Some(end)) = (start, end) else {
        return Vec::new();
    };
    let try_run = |i: usize, above: bool| -> Option<Shown> {
        let &(node, raw) = texts.get(i)?;
        let text = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.len() < 5
            || text.len() > 100
            || text.split(' ').count() > 12
            || !text.chars().any(|c| c.is_ascii_digit())
        {
            return None;
        }
        let parent = node.parent().and_then(ElementRef::wrap)?;
        if apart_from_headline(parent, &headline_boxes) {
            return None;
        }
        let shown = parse_human_date(strip_date_label(&text), dates)?;
        // A `<time datetime>` around it gives the instant with its offset, when it is that day.
        let time = parent
            .ancestors()
            .filter_map(ElementRef::wrap)
            .take(3)
            .chain(std::iter::once(parent))
            .find(|e| e.value().name() == "time");
        let machine = time
            .and_then(|e| e.value().attr("datetime"))
            .and_then(|d| parse_human_date(d.trim(), dates))
            .filter(|m| local_day(m) == local_day(&shown));
        // The label may stand in the run itself or in the run just before ("Updated:" <b>date</b>).
        let before = i
            .checked_sub(1)
            .and_then(|j| texts.get(j))
            .map(|(_, t)| t.trim())
            .filter(|t| t.len() <= 40 && !t.chars().any(|c| c.is_ascii_digit()))
            .unwrap_or("");
        let updated = labels_update(&text)
            || (!PUBLISHED_WORD.is_match(&text) && labels_update(before))
            || marked_modified(parent)
            || time.is_some_and(marked_modified);
        Some(Shown {
            stamp: machine.unwrap_or(shown),
            updated,
            above,
        })
    };
    let is_body = |i: usize| texts.get(i).is_some_and(|(_, t)| t.trim().len() > 200);
    let mut out = Vec::new();
    for i in (end..texts.len()).take(AFTER_HEADLINE) {
        // A long run right under the headline is its standfirst; the byline may follow it.
        if is_body(i) && i > end {
            break;
        }
        out.extend(try_run(i, false));
    }
    for i in (0..start).rev().take(BEFORE_HEADLINE) {
        if is_body(i) {
            break;
        }
        out.extend(try_run(i, true));
    }
    out
}

/// "Published on 9 January 2026", "Posted on" with a date in the next element, "Written by
/// NAME" with a date in the next element: a date the page labels as its publication's, anywhere
/// outside comments, navigation, footers and lists of other posts (author boxes after the post
/// carry them). The first wins. With `updates`, the labels are update labels instead ("Last
/// updated: …", "Page updated", "Aktualisiert am …"): the last resort of a page that states no
/// other date.
pub fn labelled_date(doc: &Html, dates: &DateContext<'_>, updates: bool) -> Option<Stamp> {
    static SHORT: LazyLock<Selector> = LazyLock::new(|| {
        sel("p, span, div, li, small, time, dt, dd, th, td, h3, h4, h5, h6, strong, em, b, label")
    });
    static WRITTEN_BY: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)^\s*(?:written|posted|published)\s+by\b")
            .unwrap_or_else(|_| unreachable!("static regex"))
    });
    let starts_updated = |t: &str| {
        UPDATED_WORD
            .find(t)
            .is_some_and(|m| t.get(..m.start()).is_some_and(|b| b.trim().len() <= 12))
    };
    let starts_published = |t: &str| {
        if updates {
            return starts_updated(t);
        }
        (PUBLISHED_WORD
            .find(t)
            .is_some_and(|m| t.get(..m.start()).is_some_and(|b| b.trim().len() <= 12))
            || WRITTEN_BY.is_match(t))
            && !labels_update(t)
    };
    for e in doc.select(&SHORT).take(5000) {
        let own: String = e
            .children()
            .filter_map(|c| c.value().as_text().map(|t| t.to_string()))
            .collect();
        let own = clean_text(&own);
        if own.is_empty() || own.len() > 60 || !starts_published(&own) {
            continue;
        }
        // Post meta often sits in an `<aside>` or a "sidebar" column; lists of other posts
        // (related, recent), navigation, footers and comments never give this post's date.
        if in_other_posts(e) {
            continue;
        }
        // The label and the date in one element's text, or the date in the next element.
        let whole = clean_text(&e.text().collect::<Vec<_>>().join(" "));
        let mut candidates = vec![whole];
        if let Some(next) = e.next_siblings().find_map(ElementRef::wrap) {
            candidates.push(clean_text(&next.text().collect::<Vec<_>>().join(" ")));
        }
        for c in candidates {
            if c.len() > 80 || !c.chars().any(|ch| ch.is_ascii_digit()) {
                continue;
            }
            let c = if updates {
                UPDATED_WORD.replace(&c, "")
            } else {
                PUBLISHED_WORD.replace(&c, "")
            };
            if let Some(s) = parse_human_date(strip_date_label(c.trim()), dates).filter(|s| {
                !matches!(
                    s.precision,
                    DatePrecision::Relative | DatePrecision::YearInferred | DatePrecision::Month
                )
            }) {
                return Some(s);
            }
        }
    }
    None
}

/// The machine instant, shown in the offset nearest its own (whole hours, −12 to +14) in which
/// it falls on `day`: a UTC instant and a dateline one calendar day apart are the same moment
/// when some zone joins them. `None` when no zone does, or for a machine date without a time.
pub fn in_zone_of_day(m: &Stamp, day: chrono::NaiveDate) -> Option<Stamp> {
    if m.precision != DatePrecision::Exact {
        return None;
    }
    let own = m.offset_secs / 3600;
    let mut best: Option<i32> = None;
    for h in -12..=14 {
        let off = chrono::FixedOffset::east_opt(h * 3600)?;
        if m.utc.with_timezone(&off).date_naive() == day
            && best.is_none_or(|b| (h - own).abs() < (b - own).abs())
        {
            best = Some(h);
        }
    }
    let h = best?;
    if h * 3600 == m.offset_secs || local_day(m) == day {
        return Some(*m);
    }
    Some(Stamp {
        offset_secs: h * 3600,
        ..*m
    })
}

/// The published instant from the metadata layers (in chain order) and the datelines shown
/// near the headline.
///
/// - A shown date on the day of a machine `datePublished` keeps that instant.
/// - The dateline to go by is the first one not labelled as an update, below the headline
///   before above it (on each side a full date before a year-less or relative one); a page
///   that only shows
///   "Updated …" keeps its machine published date when it has one (the update is not the
///   publication), else the shown date is the best the page states.
/// - A machine date (published or modified) on the shown day keeps its instant; a year-less or
///   relative shown date never overrides a machine date; a calendar day that some time zone
///   joins to a machine instant is that instant, shown in such a zone; a day and month swapped
///   (`10/09`) yields to the machine date; otherwise the shown date wins.
pub fn published(
    layers: &[Fields],
    shown: &[Shown],
    dates: &DateContext<'_>,
    diagnostics: &mut Vec<String>,
) -> Option<Stamp> {
    let mut chain = None;
    'chain: for layer in layers {
        for raw in &layer.published {
            if let Some(s) = parse_human_date(&clean_text(raw), dates) {
                chain = Some(s);
                break 'chain;
            }
            diagnostics.push(format!("unreadable date {raw:?}"));
        }
    }
    let inexact = |s: &Stamp| {
        matches!(
            s.precision,
            DatePrecision::YearInferred | DatePrecision::Relative | DatePrecision::Month
        )
    };
    let parse_all = |raws: Vec<&String>| -> Vec<Stamp> {
        raws.into_iter()
            .filter_map(|raw| parse_human_date(&clean_text(raw), dates))
            .filter(|s| !inexact(s))
            .collect()
    };
    let machine_published = parse_all(layers.iter().flat_map(|l| l.published.iter()).collect());
    let machine = parse_all(
        layers
            .iter()
            .flat_map(|l| l.published.iter().chain(l.updated.iter()))
            .collect(),
    );
    if shown.is_empty() {
        return chain;
    }
    // Any shown date that is a machine publication day (and not labelled as an update).
    for s in shown.iter().filter(|s| !s.updated && !inexact(&s.stamp)) {
        let day = local_day(&s.stamp);
        if let Some(m) = machine_published.iter().find(|m| local_day(m) == day) {
            return Some(*m);
        }
    }
    // Below the headline before above it; on each side a full date before a year-less or
    // relative one ("Feb 4, 2025 - 11 minutes" read from the headline upwards meets the
    // reading time first).
    let pick = |above: bool| {
        let side = || shown.iter().filter(move |s| s.above == above && !s.updated);
        side()
            .find(|s| !inexact(&s.stamp))
            .or_else(|| side().next())
    };
    let Some(line) = pick(false).or_else(|| pick(true)).or_else(|| shown.first()) else {
        return chain;
    };
    if line.updated && chain.is_some() {
        return chain;
    }
    let shown = line.stamp;
    let day = local_day(&shown);
    if let Some(m) = machine.iter().find(|m| local_day(m) == day) {
        return Some(*m);
    }
    if inexact(&shown) && chain.is_some() {
        // "Jan 23" or "2 days ago" beside a machine date: the machine date is the better
        // reading (a year guessed, a relative phrase resolved against the capture time).
        return chain;
    }
    if shown.precision == DatePrecision::DateOnly {
        if let Some(m) = machine.iter().find_map(|m| in_zone_of_day(m, day)) {
            return Some(m);
        }
        // 10/09 read month-first where the page meant day-first, or the reverse.
        if let Some(m) = machine.iter().find(|m| {
            let d = local_day(m);
            d.year() == day.year() && d.month() == day.day() && d.day() == day.month()
        }) {
            return Some(*m);
        }
    }
    Some(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> DateContext<'static> {
        DateContext::new(
            chrono::DateTime::parse_from_rfc3339("2026-03-15T12:00:00Z")
                .map(|t| t.with_timezone(&chrono::Utc))
                .unwrap_or_else(|_| unreachable!()),
        )
    }

    fn day(s: Option<Stamp>) -> Option<String> {
        s.map(|s| local_day(&s).to_string())
    }

    fn layer(published: &[&str], updated: Option<&str>) -> Fields {
        Fields {
            published: published.iter().map(|s| s.to_string()).collect(),
            updated: updated.map(str::to_string),
            ..Fields::default()
        }
    }

    fn pick(html: &str, layers: &[Fields]) -> Option<String> {
        let doc = Html::parse_document(html);
        let shown = header_dates(&doc, Some("The Post"), &ctx());
        day(published(layers, &shown, &ctx(), &mut Vec::new()))
    }

    #[test]
    fn an_updated_dateline_does_not_replace_the_published_date() {
        let meta = [layer(
            &["2024-02-01T10:00:00+00:00"],
            Some("2025-04-19T10:00:00+00:00"),
        )];
        for line in [
            "<p>Updated on April 19, 2025</p>",
            "<p><span>Last updated:</span> <span>April 19, 2025</span></p>",
            r#"<p><time class="updated" datetime="2025-04-19">April 19, 2025</time></p>"#,
            r#"<p><span itemprop="dateModified">April 19, 2025</span></p>"#,
            "<p>Aktualisiert am 19. April 2025</p>",
        ] {
            let html = format!("<body><h1>The Post</h1>{line}<p>Words</p></body>");
            assert_eq!(pick(&html, &meta).as_deref(), Some("2024-02-01"), "{line}");
        }
        // Without a machine published date the update is the best date the page states.
        let html = "<body><h1>The Post</h1><p>Updated on April 19, 2025</p></body>";
        assert_eq!(pick(html, &[]).as_deref(), Some("2025-04-19"));
        // An unlabelled dateline on the modified day is that instant.
        let html = "<body><h1>The Post</h1><p>April 19, 2025</p></body>";
        assert_eq!(pick(html, &meta).as_deref(), Some("2025-04-19"));
        // `class="published updated"` or `"entry-date updated"` marks the publication (hAtom).
        for class in ["entry-date published updated", "entry-meta-date updated"] {
            let html = format!(
                r#"<body><h1>The Post</h1><time class="{class}">March 3, 2025</time></body>"#
            );
            assert_eq!(pick(&html, &meta).as_deref(), Some("2025-03-03"), "{class}");
        }
    }

    #[test]
    fn both_dates_shown_the_published_one_wins() {
        let html = "<body><h1>The Post</h1><p>Updated November 11, 2022</p><p>Originally published November 9, 2022</p><p>Words</p></body>";
        assert_eq!(pick(html, &[]).as_deref(), Some("2022-11-09"));
        // The machine publication day among the shown dates, even after another date.
        let meta = [layer(&["2025-04-24T16:12:49+00:00"], None)];
        let html = "<body><h1>The Post</h1><p>May 21, 2025</p><p>April 24, 2025</p></body>";
        assert_eq!(pick(html, &meta).as_deref(), Some("2025-04-24"));
        // Read upwards from the headline, a reading time ("11 minutes") or a year-less date
        // comes before the full date; the full date is the dateline.
        let html =
            "<body><p>February 4, 2025</p><p>- 11 minutes</p><h1>The Post</h1><p>Words</p></body>";
        assert_eq!(pick(html, &[]).as_deref(), Some("2025-02-04"));
        let html = "<body><h1>The Post</h1><h2>Open until July 31</h2><p>July 22, 2017</p></body>";
        assert_eq!(pick(html, &[]).as_deref(), Some("2017-07-22"));
        // A relative dateline under the headline is not replaced by a full date above it (a
        // ticker): it yields to the machine date.
        let meta = [layer(&["2026-03-15T09:00:00+00:00"], None)];
        let html = "<body><p>March 1, 2026</p><h1>The Post</h1><p>3 hours ago</p></body>";
        assert_eq!(pick(html, &meta).as_deref(), Some("2026-03-15"));
    }

    #[test]
    fn a_zone_joins_a_utc_instant_to_the_shown_day() {
        // 02:41 UTC on the 19th is the evening of the 18th in the Americas.
        let meta = [layer(&["2025-12-19T02:41:41+00:00"], None)];
        let html = "<body><h1>The Post</h1><p>Posted on December 18, 2025</p></body>";
        let doc = Html::parse_document(html);
        let shown = header_dates(&doc, Some("The Post"), &ctx());
        let s = published(&meta, &shown, &ctx(), &mut Vec::new());
        assert_eq!(day(s).as_deref(), Some("2025-12-18"));
        assert_eq!(
            s.map(|s| s.utc.to_rfc3339()).as_deref(),
            Some("2025-12-19T02:41:41+00:00")
        );
        // 22:02 UTC on the 19th is the 18th in no zone: the page's own day wins.
        let meta = [layer(&["2025-12-19T22:02:58Z"], None)];
        let html = "<body><h1>The Post</h1><p>Dec 18, 2025</p></body>";
        assert_eq!(pick(html, &meta).as_deref(), Some("2025-12-18"));
    }

    #[test]
    fn the_headline_need_not_be_the_h1() {
        let html = r#"<body><h1>Site Name</h1><nav>x</nav><p>Lots of site furniture here</p><p>a</p><p>b</p>
<div class="post"><h2>The Post</h2><p>Ann Lee, Editor</p><p>May 31, 2024</p><p>Words</p></div></body>"#;
        let doc = Html::parse_document(html);
        let shown = header_dates(&doc, Some("The Post"), &ctx());
        assert_eq!(
            shown.first().map(|s| local_day(&s.stamp).to_string()),
            Some("2024-05-31".to_string())
        );
    }

    #[test]
    fn the_dateline_past_a_standfirst_and_inside_a_sidebar_styled_post() {
        let dek = "A standfirst that sums up the whole post in one long sentence, running well past two hundred characters so that it would have looked like the first paragraph of the body text to a scan that stops at body text.";
        let html = format!(
            "<body><h1>The Post</h1><p>{dek}</p><p>Ann Lee</p><p>23.07.2025</p><p>{dek}</p><p>Nov 3, 2024</p></body>"
        );
        let doc = Html::parse_document(&html);
        let shown = header_dates(&doc, Some("The Post"), &ctx());
        assert_eq!(shown.len(), 1);
        assert_eq!(
            shown.first().map(|s| local_day(&s.stamp).to_string()),
            Some("2025-07-23".to_string())
        );
        // A wrapper whose class says "sidebar" around the headline and its dateline is the
        // post itself; a related-posts box beside the headline stays furniture.
        let html = r#"<body><section class="article article--sidebar-right"><h1>The Post</h1>
<div class="meta">by <span>Ann</span> on <span>Jan 22, 2025</span></div></section></body>"#;
        let doc = Html::parse_document(html);
        assert_eq!(
            header_dates(&doc, Some("The Post"), &ctx())
                .first()
                .map(|s| local_day(&s.stamp).to_string()),
            Some("2025-01-22".to_string())
        );
        let html = r#"<body><div class="story-sidebar-mode"><h1>The Post</h1><div class="related"><span>Jan 2, 2025</span></div></div></body>"#;
        let doc = Html::parse_document(html);
        assert!(header_dates(&doc, Some("The Post"), &ctx()).is_empty());
    }

    #[test]
    fn publication_labels_anywhere_outside_widgets() {
        let doc = |h: &str| Html::parse_document(h);
        let html = r#"<body><article><p>Body text.</p><div class="meta"><span>Posted on</span> <span>April 13, 2023</span></div></article>
<aside class="related"><p>Published March 1, 2026</p></aside></body>"#;
        assert_eq!(
            day(labelled_date(&doc(html), &ctx(), false)).as_deref(),
            Some("2023-04-13")
        );
        // A label heading and the date in the next element, in a post-meta `<aside>`.
        let html = r#"<body><article><p>Body text.</p></article><aside class="insight__meta"><div><h3>Published</h3>
<p><time datetime="2024-08-30T12:00:00Z">August 30, 2024</time></p></div></aside></body>"#;
        assert_eq!(
            day(labelled_date(&doc(html), &ctx(), false)).as_deref(),
            Some("2024-08-30")
        );
        let html = r#"<body><aside class="related"><p>Published March 1, 2026</p></aside><p>Published August 30, 2024</p></body>"#;
        assert_eq!(
            day(labelled_date(&doc(html), &ctx(), false)).as_deref(),
            Some("2024-08-30")
        );
        // A byline at the end of the post with the date beside it.
        let html = r#"<body><p>Body text.</p><div><p>Written by <a href="/a">Ann Lee and Bo Chen</a></p><p>April 8, 2024</p></div></body>"#;
        assert_eq!(
            day(labelled_date(&doc(html), &ctx(), false)).as_deref(),
            Some("2024-04-08")
        );
        // An update label, or a publication word inside prose, is not a publication date.
        let html = r#"<body><p>Last updated and published again on May 2, 2024</p><p>The study was published in 2019 by the team of researchers at the lab.</p></body>"#;
        assert_eq!(day(labelled_date(&doc(html), &ctx(), false)), None);
    }

    fn extracted_day(html: &str, dates: &DateContext<'_>) -> Option<String> {
        let url = url::Url::parse("https://news.example/a").unwrap_or_else(|_| unreachable!());
        day(crate::source::auto::article::extract_article(html, &url, dates).published)
    }

    #[test]
    fn an_ambiguous_numeric_dateline_follows_the_page_language() {
        let page = |lang: &str| {
            format!(
                r#"<html{lang}><body><article><h1>The Post</h1><p class="date">03/10/2023</p>
<p>Some text of the article that is long enough to be the body of this post.</p></article></body></html>"#
            )
        };
        let c = ctx();
        for (lang, want) in [
            (r#" lang="en-GB""#, "2023-10-03"),
            (r#" lang="fr""#, "2023-10-03"),
            (r#" lang="de-AT""#, "2023-10-03"),
            (r#" lang="en-US""#, "2023-03-10"),
            (r#" lang="en""#, "2023-03-10"),
            ("", "2023-03-10"),
        ] {
            assert_eq!(
                extracted_day(&page(lang), &c).as_deref(),
                Some(want),
                "{lang}"
            );
        }
        // og:locale counts when there is no `<html lang>`.
        let og = r#"<html><head><meta property="og:locale" content="en_AU"></head><body><article>
<h1>The Post</h1><p class="date">03/10/2023</p><p>Some text of the article.</p></article></body></html>"#;
        assert_eq!(extracted_day(og, &c).as_deref(), Some("2023-10-03"));
        // The source's own `day_first` always wins over the page's language.
        let month_first = DateContext {
            day_first: Some(false),
            ..c
        };
        assert_eq!(
            extracted_day(&page(r#" lang="en-GB""#), &month_first).as_deref(),
            Some("2023-03-10")
        );
        let day_first = DateContext {
            day_first: Some(true),
            ..c
        };
        assert_eq!(
            extracted_day(&page(r#" lang="en-US""#), &day_first).as_deref(),
            Some("2023-10-03")
        );
    }

    #[test]
    fn an_update_is_the_last_resort_of_a_page_with_no_publication_date() {
        let c = ctx();
        let body =
            "<p>Some text of the article that is long enough to be the body of this post.</p>";
        // Only a machine modified date.
        let machine = format!(
            r#"<html><head><meta property="article:modified_time" content="2023-06-12T10:39:42+00:00"></head><body><article><h1>The Post</h1>{body}</article></body></html>"#
        );
        assert_eq!(extracted_day(&machine, &c).as_deref(), Some("2023-06-12"));
        // Only a "Last updated" line, away from the headline.
        let line = format!(
            r#"<html><body><article><h1>The Post</h1>{body}{body}</article><div class="main"><p style="text-align:right">Last updated: November 13, 2025</p></div></body></html>"#
        );
        assert_eq!(extracted_day(&line, &c).as_deref(), Some("2025-11-13"));
        // A publication date anywhere still comes first.
        let both = format!(
            r#"<html><head><meta property="article:modified_time" content="2023-06-12T10:39:42+00:00"></head><body><article><h1>The Post</h1>{body}<p>Published on 2 May 2021</p></article></body></html>"#
        );
        assert_eq!(extracted_day(&both, &c).as_deref(), Some("2021-05-02"));
        // An update line in the footer is not this page's.
        let footer = format!(
            r#"<html><body><article><h1>The Post</h1>{body}</article><footer><p>Last updated: November 13, 2025</p></footer></body></html>"#
        );
        assert_eq!(extracted_day(&footer, &c), None);
    }

    #[test]
    fn a_dateline_aside_beside_the_headline_is_post_meta() {
        let page = |aside: &str| {
            format!(
                r#"<html><body><article>{aside}<h2>The Post</h2><p>Some text of the article that is long enough to be the body.</p></article></body></html>"#
            )
        };
        assert_eq!(
            pick(
                &page(r#"<aside><time datetime="2021-06-06">June 6, 2021</time></aside>"#),
                &[]
            ),
            Some("2021-06-06".into())
        );
        // A sidebar with more in it stays furniture.
        let sidebar = r#"<aside><h3>Recent posts</h3><p>Another post about something else entirely</p><time datetime="2020-01-02">January 2, 2020</time></aside>"#;
        assert_eq!(pick(&page(sidebar), &[]), None);
    }
}
