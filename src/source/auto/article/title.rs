//! Headlines without the site's name. `<title>` and often `og:title` read "Title | Site",
//! "Site - Title" or "Title – Site"; the part that names the site (og:site_name, the JSON-LD
//! publisher or `WebSite`, the host name) is cut, and an `<h1>` that matches a part of the
//! `<title>` is preferred to a guess.

/// Separators between a headline and a site name, most specific first.
const SEPARATORS: [&str; 9] = [
    " | ", " || ", " – ", " — ", " - ", " :: ", " · ", " » ", " / ",
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

/// An `<h1>` that is the start or end of `title` at a separator.
fn h1_part_of(title: &str, h1s: &[String]) -> Option<String> {
    for h in h1s.iter().take(5) {
        let sh = squash(h);
        if sh.len() < 4 {
            continue;
        }
        for sep in SEPARATORS {
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
}
