//! The last resort for authors: an author box or author link anywhere in the post — the "About
//! the author" card at the end of a post, a link to the author's archive (`/author/jane-roe/`),
//! an element whose class or id says author with the name as its first text run, or the avatar's
//! `alt` text inside such a box. Navigation, sidebars, related-post widgets and comments are
//! never read; a footer inside the `<article>` (where themes put the author card) is.

use super::byline::{clean_name, in_comments, section_ancestors, section_tokens};
use super::meta::sel;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

/// Words that never belong to a person's or organisation's name as shown in a byline.
fn is_name_like(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 6 {
        return false;
    }
    if !name.chars().next().is_some_and(char::is_uppercase)
        || name.contains(['?', '!', '©'])
        || name.chars().any(|c| c.is_ascii_digit())
    {
        return false;
    }
    // Initials in an avatar ("CM") are not the name.
    if words.len() == 1 && name.chars().count() <= 3 {
        return false;
    }
    !words.iter().any(|w| {
        let w = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        matches!(
            w.as_str(),
            "author"
                | "authors"
                | "posts"
                | "articles"
                | "view"
                | "more"
                | "about"
                | "follow"
                | "profile"
                | "bio"
                | "written"
                | "reviewed"
                | "by"
                | "the"
                | "share"
                | "contact"
        )
    })
}

/// Navigation, asides, sidebars, related-post widgets, and footers outside the article.
fn in_chrome(e: ElementRef<'_>) -> bool {
    let in_article = e
        .ancestors()
        .filter_map(ElementRef::wrap)
        .any(|a| matches!(a.value().name(), "article" | "main"));
    section_ancestors(e).any(|a| {
        let v = a.value();
        matches!(v.name(), "nav" | "aside")
            || (v.name() == "footer" && !in_article)
            || v.attr("class").is_some_and(|c| {
                section_tokens(c).any(|t| {
                    t.contains("related")
                        || t.contains("recent")
                        || t == "sidebar"
                        || t.starts_with("sidebar-")
                        || t.starts_with("widget")
                })
            })
    })
}

/// Dates, times and separators that sit in a byline next to the name.
fn is_noise_run(run: &str) -> bool {
    let t = run.trim();
    t.chars().filter(char::is_ascii_digit).count() > 2
        || t.chars().all(|c| !c.is_alphanumeric())
        || t.len() < 2
}

/// A name from an author box: its first text run that reads as a name (dates, separators and
/// labels skipped), else the `alt` text of an avatar inside it.
fn name_in(e: ElementRef<'_>) -> Option<String> {
    static IMG: LazyLock<Selector> = LazyLock::new(|| sel("img[alt]"));
    let text_len: usize = e.text().map(str::len).sum();
    if text_len <= 300 {
        for run in e
            .text()
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .take(6)
        {
            if is_noise_run(&run) {
                continue;
            }
            match clean_name(&run) {
                Some(n) if is_name_like(&n) => return Some(n),
                // A label ("Author", "Written by") is skipped; anything else ends the box.
                None => continue,
                Some(_) => break,
            }
        }
    }
    e.select(&IMG).take(2).find_map(|img| {
        let alt = img.value().attr("alt")?;
        let alt = alt
            .trim()
            .trim_start_matches("Picture of ")
            .trim_start_matches("Photo of ")
            .trim_start_matches("Avatar of ")
            .trim_end_matches(" avatar")
            .trim_end_matches(" Image")
            .trim_end_matches(" photo");
        clean_name(alt).filter(|n| is_name_like(n))
    })
}

/// The author named by an author box or an author-archive link, when no byline said.
pub fn author_box(doc: &Html) -> Option<String> {
    static BOX: LazyLock<Selector> = LazyLock::new(|| {
        sel(concat!(
            r#"a[href*="/author/"], a[href*="/authors/"], [class*="author" i], [id*="author" i], "#,
            r#"[itemprop~="author"]"#
        ))
    });
    for e in doc.select(&BOX).take(300) {
        if matches!(
            e.value().name(),
            "body" | "html" | "meta" | "link" | "script"
        ) {
            continue;
        }
        if in_comments(e) || in_chrome(e) {
            continue;
        }
        if let Some(n) = name_in(e) {
            return Some(n);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn name(html: &str) -> Option<String> {
        author_box(&Html::parse_document(html))
    }

    #[test]
    fn author_cards_and_archive_links() {
        // The card at the end of the post, the avatar's alt text, an archive link.
        assert_eq!(
            name(r#"<article><p>Text</p><footer><div class="author-info"><div class="name">Rachel Mac</div><div>Writer</div></div></footer></article>"#).as_deref(),
            Some("Rachel Mac")
        );
        assert_eq!(
            name(r#"<main><div class="post-author"><img alt="Picture of Liz Kay" src="a.jpg"><p>Liz writes about consulting and more things, at length.</p></div></main>"#)
                .as_deref(),
            Some("Liz Kay")
        );
        assert_eq!(
            name(r#"<div class="meta"><span>Dec 17, 2025</span> <a href="/blog/author/jo-ann/">Jo Ann</a></div>"#).as_deref(),
            Some("Jo Ann")
        );
        // Not a name: a link text, a sidebar's author list, the page footer.
        assert_eq!(
            name(r#"<a href="/author/x/">More about this author</a>"#),
            None
        );
        assert_eq!(
            name(r#"<div class="sidebar"><div class="author-list"><a>Ann Lee</a></div></div>"#),
            None
        );
        assert_eq!(
            name(
                r#"<article><p>Text</p></article><footer><div class="author">Site Owner</div></footer>"#
            ),
            None
        );
    }
}
