//! Merging the normalised items of several sources into one output, and the same-story rule.
//! Pure: values in, values out.
//!
//! Two items are *the same story* (and fold into one) when any of these holds:
//! 1. they have the same id (never by guid alone: ids are already source-scoped when the guid
//!    is not an absolute URI);
//! 2. their links are the same page up to URL variants ([`story_url_key`]): `http`/`https`,
//!    a `www.` or `amp.` host prefix, a trailing slash, an AMP path suffix (`/amp`, `/amp/`) or
//!    AMP query (`?amp=1`, `?amp`, `?outputType=amp`), a fragment;
//! 3. they come from different sources, both titles have at least [`MIN_TITLE_WORDS`] words,
//!    the Jaccard similarity of their lower-cased word sets is at least 0.8, and both are dated
//!    within [`TITLE_WINDOW_HOURS`] hours of each other.
//!
//! The relation is closed transitively (union-find), so a group does not depend on the order
//! in which items arrive. In each group one item survives, chosen by a total order over the
//! group's members ([`survivor_rank`]): a copy the output has already shown (its id is in the
//! `shown` set the state keeps per output; see [`merge_items_shown`]), then the earliest date
//! (published, else updated), then the
//! richest content (longer content, then longer summary, then having an author, then a more
//! precise date), then the smallest id, then config order of the source. Because the rule is
//! deterministic over the stored items, the same copy wins on every run and the others are
//! never published. The survivor records every source that carried the story in
//! `Item::source_ids` (its own first); copies of the same page (rules 1 and 2) also fill its
//! missing fields, while a look-alike title (rule 3) only adds its source, since its text is a
//! different article.
//!
//! Title matching avoids all-pairs comparison with prefix filtering: tokens are ranked from
//! rarest to most common, and two sets with Jaccard ≥ 0.8 must share one of the first
//! `n − ⌈0.8·n⌉ + 1` tokens of either, so only items sharing such a token are compared.

use crate::config::{Filter, FilterField};
use crate::model::Item;
use crate::normalise::fill_missing;
use chrono::{DateTime, Utc};
use std::cmp::{Ordering, Reverse};
use std::collections::{HashMap, HashSet};

/// Titles with fewer words than this are never matched by similarity.
pub const MIN_TITLE_WORDS: usize = 4;
/// Look-alike titles must be dated at most this many hours apart.
pub const TITLE_WINDOW_HOURS: i64 = 24;
/// Jaccard threshold as a fraction: `|A∩B| / |A∪B| ≥ NUM/DEN`.
const JACCARD_NUM: usize = 4;
const JACCARD_DEN: usize = 5;

/// How much an item carries, for choosing among copies: more content, a longer summary, an
/// author, a more precise date.
fn richness(item: &Item) -> (usize, usize, bool, Option<crate::model::DatePrecision>) {
    (
        item.content.as_ref().map_or(0, String::len),
        item.summary.as_ref().map_or(0, String::len),
        !item.authors.is_empty(),
        item.published.or(item.updated).map(|s| s.precision),
    )
}

/// The documented survivor order: `Less` means `a` survives over `b`. Earliest date first (an
/// undated item last), then richer, then the smaller id, then the earlier source (`a_at`,
/// `b_at` are positions in the input, which follows config order).
fn survivor_rank(
    a: &Item,
    a_at: usize,
    b: &Item,
    b_at: usize,
    shown: &HashSet<String>,
) -> Ordering {
    let date = |i: &Item| match i.sort_date() {
        Some(d) => (0, Some(d)),
        None => (1, None),
    };
    // A copy readers have already seen stays the survivor: switching would show the story again.
    let unseen = |i: &Item| !shown.contains(&i.id);
    unseen(a)
        .cmp(&unseen(b))
        .then_with(|| date(a).cmp(&date(b)))
        .then_with(|| richness(b).cmp(&richness(a)))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a_at.cmp(&b_at))
}

/// The key under which URL variants of one page meet: host without `www.`/`amp.`, port,
/// path without a trailing slash or AMP suffix, query without AMP markers; no scheme and no
/// fragment. `None` for something that is not an absolute URL with a host.
pub fn story_url_key(link: &str) -> Option<String> {
    let url = url::Url::parse(link).ok()?;
    let mut host = url.host_str()?.to_ascii_lowercase();
    for prefix in ["www.", "amp."] {
        if let Some(rest) = host.strip_prefix(prefix)
            && rest.contains('.')
        {
            host = rest.to_owned();
        }
    }
    let mut path = url.path().to_owned();
    while path.ends_with('/') {
        path.pop();
    }
    if let Some(rest) = path.strip_suffix("/amp") {
        path = rest.trim_end_matches('/').to_owned();
    }
    let query: Vec<String> = url
        .query_pairs()
        .filter(|(k, v)| {
            let amp_flag = k == "amp" && matches!(v.as_ref(), "" | "1" | "true");
            let amp_type = k.eq_ignore_ascii_case("outputtype") && v == "amp";
            !(amp_flag || amp_type)
        })
        .map(|(k, v)| {
            if v.is_empty() {
                k.into_owned()
            } else {
                format!("{k}={v}")
            }
        })
        .collect();
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let mut key = format!("{host}{port}{path}");
    if !query.is_empty() {
        key.push('?');
        key.push_str(&query.join("&"));
    }
    Some(key)
}

/// The lower-cased word tokens of a title (letters and digits; everything else separates).
pub fn title_words(title: &str) -> Vec<String> {
    title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// Whether two word lists are near-identical titles: both at least [`MIN_TITLE_WORDS`] words
/// and Jaccard ≥ 0.8 on their sets.
pub fn similar_titles(a: &[String], b: &[String]) -> bool {
    if a.len() < MIN_TITLE_WORDS || b.len() < MIN_TITLE_WORDS {
        return false;
    }
    fn set(w: &[String]) -> Vec<&str> {
        let mut v: Vec<&str> = w.iter().map(String::as_str).collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    let (a, b) = (set(a), set(b));
    let common = sorted_common(&a, &b);
    let union = a.len() + b.len() - common;
    union > 0 && common * JACCARD_DEN >= union * JACCARD_NUM
}

/// How many elements two sorted, deduplicated slices share.
fn sorted_common<T: Ord>(a: &[T], b: &[T]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Union-find over item positions.
struct Groups {
    parent: Vec<usize>,
}

impl Groups {
    fn new(n: usize) -> Groups {
        Groups {
            parent: (0..n).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while let Some(&p) = self.parent.get(x) {
            if p == x {
                break;
            }
            let grand = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(x) {
                *slot = grand;
            }
            x = p;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            // The smaller root wins, so the structure does not depend on call order.
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            if let Some(slot) = self.parent.get_mut(hi) {
                *slot = lo;
            }
        }
    }
}

/// Join items whose titles are near-identical (rule 3), comparing only candidates that share
/// a rare token in their prefixes.
fn join_similar_titles(items: &[Item], groups: &mut Groups) {
    // Token ids and their frequencies over all titles.
    let mut ids: HashMap<String, usize> = HashMap::new();
    let mut freq: Vec<usize> = Vec::new();
    let mut sets: Vec<Option<Vec<usize>>> = Vec::with_capacity(items.len());
    for item in items {
        let words = item.title.as_deref().map(title_words).unwrap_or_default();
        if words.len() < MIN_TITLE_WORDS || item.sort_date().is_none() {
            sets.push(None);
            continue;
        }
        let mut set: Vec<usize> = words
            .into_iter()
            .map(|w| {
                let next = ids.len();
                *ids.entry(w).or_insert(next)
            })
            .collect();
        set.sort_unstable();
        set.dedup();
        for &t in &set {
            if freq.len() <= t {
                freq.resize(t + 1, 0);
            }
            if let Some(f) = freq.get_mut(t) {
                *f += 1;
            }
        }
        sets.push(Some(set));
    }
    let rarity = |t: &usize| (freq.get(*t).copied().unwrap_or(0), *t);
    // Each item's date (seconds) and first source as a number, so the cheap tests of a
    // candidate pair are array reads, not string compares and date conversions.
    let mut source_no: HashMap<&str, usize> = HashMap::new();
    let meta: Vec<(Option<i64>, Option<usize>)> = items
        .iter()
        .map(|i| {
            let next = source_no.len();
            let src = i
                .source_ids
                .first()
                .map(|s| *source_no.entry(s.as_str()).or_insert(next));
            (i.sort_date().map(|d| d.timestamp()), src)
        })
        .collect();
    let window_secs = TITLE_WINDOW_HOURS * 3600;
    // Items are visited oldest first, so each bucket holds its entries in date order and those
    // more than the window older than the current item can be dropped from its front: they
    // can never be close to a later item. That keeps buckets as small as one window's titles
    // rather than the whole history. (Which pairs are compared does not depend on the visiting
    // order: a pair is a candidate when its prefixes share a token, under one global ranking.)
    let mut index: HashMap<usize, std::collections::VecDeque<usize>> = HashMap::new();
    // `checked_by[other] == at`: `other` was already compared with `at` (O(1), where a list of
    // the candidates seen made the loop quadratic in the bucket size).
    let mut checked_by: Vec<usize> = vec![usize::MAX; sets.len()];
    let mut order: Vec<(i64, usize)> = meta
        .iter()
        .enumerate()
        .filter_map(|(at, (date, _))| date.map(|d| (d, at)))
        .collect();
    order.sort_unstable();
    for (date, at) in order {
        let Some(Some(set)) = sets.get(at) else {
            continue;
        };
        let src = meta.get(at).and_then(|m| m.1);
        let mut ranked = set.clone();
        ranked.sort_by_key(rarity);
        let n = ranked.len();
        let prefix = n - (JACCARD_NUM * n).div_ceil(JACCARD_DEN) + 1;
        for token in ranked.iter().take(prefix) {
            let bucket = index.entry(*token).or_default();
            while bucket
                .front()
                .and_then(|&o| meta.get(o))
                .and_then(|m| m.0)
                .is_some_and(|d| date - d > window_secs)
            {
                bucket.pop_front();
            }
            for &other in bucket.iter() {
                match checked_by.get_mut(other) {
                    Some(mark) if *mark != at => *mark = at,
                    _ => continue,
                }
                let (Some(&(odate, osrc)), Some(Some(oset))) = (meta.get(other), sets.get(other))
                else {
                    continue;
                };
                let same_source = osrc == src;
                let close = odate.is_some_and(|d| (d - date).abs() <= window_secs);
                if same_source || !close {
                    continue;
                }
                let common = sorted_common(set, oset);
                let union = set.len() + oset.len() - common;
                if common * JACCARD_DEN >= union * JACCARD_NUM {
                    groups.union(at, other);
                }
            }
            bucket.push_back(at);
        }
    }
}

/// Merge `groups` (one Vec per source, in config order) into one list: same-story copies
/// folded into their survivor (see the module notes), sorted newest first (ties broken by
/// id), at most `max_items`.
pub fn merge_items(groups: Vec<Vec<Item>>, max_items: usize) -> Vec<Item> {
    merge_items_shown(groups, max_items, &HashSet::new())
}

/// [`merge_items`], where a group member whose id is in `shown` (already published by this
/// output) survives before any other copy, so a story never reappears under a new id.
pub fn merge_items_shown(
    groups: Vec<Vec<Item>>,
    max_items: usize,
    shown: &HashSet<String>,
) -> Vec<Item> {
    let items: Vec<Item> = groups.into_iter().flatten().collect();
    let mut sets = Groups::new(items.len());
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    let mut by_url: HashMap<String, usize> = HashMap::new();
    let keys: Vec<Option<String>> = items
        .iter()
        .map(|i| i.link.as_deref().and_then(story_url_key))
        .collect();
    for (at, item) in items.iter().enumerate() {
        match by_id.get(item.id.as_str()) {
            Some(&first) => sets.union(first, at),
            None => {
                by_id.insert(item.id.as_str(), at);
            }
        }
        if let Some(Some(key)) = keys.get(at) {
            match by_url.get(key) {
                Some(&first) => sets.union(first, at),
                None => {
                    by_url.insert(key.clone(), at);
                }
            }
        }
    }
    join_similar_titles(&items, &mut sets);

    let mut members: HashMap<usize, Vec<usize>> = HashMap::new();
    for at in 0..items.len() {
        members.entry(sets.find(at)).or_default().push(at);
    }
    let mut out: Vec<Item> = Vec::with_capacity(members.len());
    let mut slots: Vec<Option<Item>> = items.into_iter().map(Some).collect();
    for (_, mut group) in members {
        group.sort_by(|&a, &b| match (slots.get(a), slots.get(b)) {
            (Some(Some(x)), Some(Some(y))) => survivor_rank(x, a, y, b, shown),
            _ => a.cmp(&b),
        });
        let mut taken = group
            .iter()
            .filter_map(|&at| slots.get_mut(at).and_then(Option::take).map(|i| (at, i)));
        let Some((first_at, mut survivor)) = taken.next() else {
            continue;
        };
        let survivor_key = keys.get(first_at).cloned().flatten();
        for (at, other) in taken {
            let same_page = other.id == survivor.id
                || (survivor_key.is_some() && keys.get(at).cloned().flatten() == survivor_key);
            if same_page {
                fill_missing(&mut survivor, other);
            } else {
                for s in other.source_ids {
                    if !survivor.source_ids.contains(&s) {
                        survivor.source_ids.push(s);
                    }
                }
            }
        }
        out.push(survivor);
    }
    out.sort_by(|a, b| {
        Reverse(a.sort_date())
            .cmp(&Reverse(b.sort_date()))
            .then_with(|| a.id.cmp(&b.id))
    });
    out.truncate(max_items);
    out
}

/// Keep the items a feed's filters let through: any `include` matches (or there is none), no
/// `exclude` matches, not older than `max_age` (on the published date, else first seen) and not
/// before `min_date`.
pub fn filter_items(
    items: Vec<Item>,
    include: &[Filter],
    exclude: &[Filter],
    max_age: Option<std::time::Duration>,
    min_date: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<Item> {
    let oldest = max_age
        .and_then(|a| chrono::Duration::from_std(a).ok())
        .and_then(|a| now.checked_sub_signed(a));
    let floor = match (oldest, min_date) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    items
        .into_iter()
        .filter(|item| item_passes(item, include, exclude, floor))
        .collect()
}

/// One item through [`filter_items`]' rules, with the age limit and `min_date` already
/// combined into `floor` (the oldest date let through).
pub fn item_passes(
    item: &Item,
    include: &[Filter],
    exclude: &[Filter],
    floor: Option<DateTime<Utc>>,
) -> bool {
    if let (Some(f), Some(d)) = (floor, item.sort_date())
        && d < f
    {
        return false;
    }
    if include.is_empty() && exclude.is_empty() {
        return true;
    }
    let text_of = |field: FilterField| -> Vec<&str> {
        match field {
            FilterField::Title => item.title.as_deref().into_iter().collect(),
            FilterField::Summary => item.summary.as_deref().into_iter().collect(),
            FilterField::Content => item.content.as_deref().into_iter().collect(),
            FilterField::Link => item.link.as_deref().into_iter().collect(),
            FilterField::Category => item.categories.iter().map(String::as_str).collect(),
            FilterField::Author => item
                .authors
                .iter()
                .filter_map(|a| a.name.as_deref().or(a.email.as_deref()))
                .collect(),
        }
    };
    (include.is_empty() || include.iter().any(|f| f.matches(text_of)))
        && !exclude.iter().any(|f| f.matches(text_of))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{DatePrecision, Stamp};
    use chrono::{TimeZone, Utc};

    fn item(source: &str, id: &str, link: Option<&str>, day: u32) -> Item {
        Item {
            id: id.into(),
            source_ids: vec![source.into()],
            title: Some(format!("{id} title")),
            link: link.map(Into::into),
            published: Some(Stamp {
                utc: Utc.with_ymd_and_hms(2026, 1, day, 0, 0, 0).unwrap(),
                offset_secs: 0,
                precision: DatePrecision::Exact,
            }),
            ..Item::default()
        }
    }

    #[test]
    fn same_guid_in_two_sources_is_not_a_duplicate() {
        let a = item("a", "urn:feedwright:a:1", None, 1);
        let b = item("b", "urn:feedwright:b:1", None, 1);
        let merged = merge_items(vec![vec![a], vec![b]], 10);
        assert_eq!(merged.len(), 2);
        assert_eq!(merged[0].id, "urn:feedwright:a:1", "tie broken by id");
    }

    #[test]
    fn same_link_across_sources_folds_into_the_richer_copy() {
        let a = item("a", "tag:a,1", Some("https://x.org/p"), 2);
        let mut b = item("b", "tag:b,1", Some("https://x.org/p"), 2);
        b.content = Some("<p>full text</p>".into());
        b.categories = vec!["news".into()];
        let merged = merge_items(vec![vec![a], vec![b]], 10);
        assert_eq!(merged.len(), 1);
        assert_eq!(merged[0].id, "tag:b,1");
        assert_eq!(merged[0].source_ids, vec!["b".to_string(), "a".to_string()]);
        assert_eq!(merged[0].content.as_deref(), Some("<p>full text</p>"));
    }

    #[test]
    fn filters_include_exclude_and_age() {
        let mut a = item("a", "1", None, 20);
        a.title = Some("Rust 2.0 released".into());
        let mut b = item("a", "2", None, 21);
        b.title = Some("Trusty old news".into());
        b.categories = vec!["Sport".into()];
        let mut c = item("a", "3", None, 2);
        c.title = Some("Rust in old days".into());
        let inc = [crate::config::parse_filter("rust").unwrap()];
        let now = Utc.with_ymd_and_hms(2026, 1, 22, 0, 0, 0).unwrap();
        let kept = filter_items(
            vec![a.clone(), b.clone(), c.clone()],
            &inc,
            &[],
            None,
            None,
            now,
        );
        let ids: Vec<_> = kept.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(
            ids,
            ["1", "3"],
            "whole-word, case-insensitive: not 'Trusty'"
        );
        let exc = [crate::config::parse_filter("category:sport").unwrap()];
        let kept = filter_items(
            vec![a, b, c],
            &[],
            &exc,
            Some(std::time::Duration::from_secs(7 * 86_400)),
            None,
            now,
        );
        let ids: Vec<_> = kept.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["1"]);
    }

    #[test]
    fn newest_first_and_cut_to_max_items() {
        let items = vec![
            item("a", "1", None, 3),
            item("a", "2", None, 9),
            item("a", "3", None, 5),
        ];
        let merged = merge_items(vec![items], 2);
        let ids: Vec<_> = merged.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["2", "3"]);
    }

    fn story(source: &str, id: &str, title: &str, link: &str, hour: i64) -> Item {
        let base = Utc.with_ymd_and_hms(2026, 3, 1, 0, 0, 0).unwrap();
        Item {
            id: id.into(),
            source_ids: vec![source.into()],
            title: Some(title.into()),
            link: Some(link.into()),
            published: Some(Stamp {
                utc: base + chrono::Duration::hours(hour),
                offset_secs: 0,
                precision: DatePrecision::Exact,
            }),
            ..Item::default()
        }
    }

    fn ids(items: &[Item]) -> Vec<&str> {
        items.iter().map(|i| i.id.as_str()).collect()
    }

    #[test]
    fn url_variants_share_one_key() {
        let base = story_url_key("https://news.example.org/2026/story").unwrap();
        assert_eq!(base, "news.example.org/2026/story");
        for variant in [
            "http://news.example.org/2026/story",
            "https://www.news.example.org/2026/story",
            "https://news.example.org/2026/story/",
            "https://news.example.org/2026/story/amp",
            "https://news.example.org/2026/story/amp/",
            "https://news.example.org/2026/story?amp=1",
            "https://news.example.org/2026/story?amp",
            "https://news.example.org/2026/story?outputType=amp",
            "https://amp.news.example.org/2026/story",
            "http://www.news.example.org/2026/story/amp/#comments",
        ] {
            assert_eq!(
                story_url_key(variant).as_deref(),
                Some(base.as_str()),
                "{variant}"
            );
        }
        for different in [
            "https://news.example.org/2026/story-2",
            "https://news.example.org/2026/story?page=2",
            "https://news.example.org:8443/2026/story",
            "https://other.example.org/2026/story",
            "https://news.example.org/2026/amplifier",
        ] {
            assert_ne!(
                story_url_key(different).as_deref(),
                Some(base.as_str()),
                "{different}"
            );
        }
        assert_eq!(
            story_url_key("https://x.org/a?b=2&amp=1&c=3").as_deref(),
            Some("x.org/a?b=2&c=3"),
            "other query parameters stay, in order"
        );
        assert_eq!(
            story_url_key("https://www.org/").as_deref(),
            Some("www.org")
        );
        assert_eq!(story_url_key("not a url"), None);
    }

    #[test]
    fn url_variants_across_sources_fold() {
        let a = story(
            "a",
            "tag:a,1",
            "Council votes",
            "http://www.town.test/council/",
            5,
        );
        let mut b = story(
            "b",
            "tag:b,1",
            "Town council votes",
            "https://town.test/council/amp",
            5,
        );
        b.content = Some("<p>long text</p>".into());
        let merged = merge_items(vec![vec![a], vec![b]], 10);
        assert_eq!(
            ids(&merged),
            ["tag:b,1"],
            "same time: the richer copy survives"
        );
        assert_eq!(merged[0].source_ids, ["b", "a"]);
    }

    #[test]
    fn title_similarity_boundaries() {
        let w = |s: &str| title_words(s);
        // 4 shared of 5 distinct words: exactly 0.8.
        assert!(similar_titles(
            &w("Rust compiler speeds up builds"),
            &w("Rust compiler speeds up")
        ));
        // 15 shared of 19 distinct: 0.789.
        let shared = "a1 a2 a3 a4 a5 a6 a7 a8 a9 a10 a11 a12 a13 a14 a15";
        assert!(!similar_titles(
            &w(&format!("{shared} x1 x2")),
            &w(&format!("{shared} y1 y2"))
        ));
        // 16 shared of 20: 0.8 again.
        assert!(similar_titles(
            &w(&format!("{shared} a16 x1 x2")),
            &w(&format!("{shared} a16 y1 y2"))
        ));
        // Case and punctuation do not count; word sets, not sequences.
        assert!(similar_titles(
            &w("Storm closes the HARBOUR bridge!"),
            &w("storm closes the harbour bridge")
        ));
        // Three words are never enough, even when identical.
        assert!(!similar_titles(
            &w("Mayor resigns today"),
            &w("Mayor resigns today")
        ));
    }

    #[test]
    fn near_identical_titles_fold_within_a_day_only() {
        let a = story(
            "a",
            "a1",
            "Storm closes the harbour bridge",
            "https://a.test/1",
            10,
        );
        let b = story(
            "b",
            "b1",
            "Storm closes the harbour bridge tonight",
            "https://b.test/x",
            30,
        );
        let merged = merge_items(vec![vec![a.clone()], vec![b.clone()]], 10);
        assert_eq!(ids(&merged), ["a1"], "earliest published survives");
        assert_eq!(merged[0].source_ids, ["a", "b"]);
        assert_eq!(merged[0].link.as_deref(), Some("https://a.test/1"));

        let exactly_a_day = story(
            "b",
            "b1",
            "Storm closes the harbour bridge",
            "https://b.test/x",
            34,
        );
        assert_eq!(
            merge_items(vec![vec![a.clone()], vec![exactly_a_day]], 10).len(),
            1
        );
        let later = story(
            "b",
            "b1",
            "Storm closes the harbour bridge",
            "https://b.test/x",
            35,
        );
        assert_eq!(
            merge_items(vec![vec![a.clone()], vec![later]], 10).len(),
            2,
            "> 24 h apart"
        );

        let short_a = story("a", "a2", "Mayor resigns today", "https://a.test/2", 1);
        let short_b = story("b", "b2", "Mayor resigns today", "https://b.test/2", 1);
        assert_eq!(
            merge_items(vec![vec![short_a], vec![short_b]], 10).len(),
            2,
            "3 words"
        );

        let same_source = story(
            "a",
            "a3",
            "Storm closes the harbour bridge tonight",
            "https://a.test/3",
            11,
        );
        assert_eq!(
            merge_items(vec![vec![a, same_source]], 10).len(),
            2,
            "one source's own look-alike posts stay apart"
        );
    }

    #[test]
    fn look_alike_titles_do_not_mix_content() {
        let mut a = story(
            "a",
            "a1",
            "Storm closes the harbour bridge",
            "https://a.test/1",
            10,
        );
        a.summary = Some("A's words".into());
        let mut b = story(
            "b",
            "b1",
            "Storm closes the harbour bridge",
            "https://b.test/1",
            10,
        );
        b.content = Some("<p>B's much longer article</p>".into());
        let merged = merge_items(vec![vec![a], vec![b]], 10);
        assert_eq!(ids(&merged), ["b1"], "same date: richest content");
        assert_eq!(
            merged[0].summary, None,
            "a different article's summary is not borrowed"
        );
        assert_eq!(merged[0].source_ids, ["b", "a"]);
    }

    #[test]
    fn the_survivor_does_not_depend_on_arrival_order() {
        let a = story(
            "a",
            "a1",
            "Harbour bridge closed by storm overnight",
            "https://a.test/1",
            12,
        );
        let b = story(
            "b",
            "b1",
            "Storm: harbour bridge closed overnight",
            "https://www.b.test/s/",
            9,
        );
        let c = story("c", "c1", "Other news", "http://b.test/s", 20);
        let d = story(
            "c",
            "c2",
            "Unrelated story about the harbour festival",
            "https://c.test/2",
            11,
        );
        let orders = [
            vec![vec![a.clone()], vec![b.clone()], vec![c.clone(), d.clone()]],
            vec![vec![c.clone(), d.clone()], vec![b.clone()], vec![a.clone()]],
            vec![vec![d.clone(), c.clone()], vec![a.clone()], vec![b.clone()]],
        ];
        let results: Vec<Vec<Item>> = orders.into_iter().map(|g| merge_items(g, 10)).collect();
        assert_eq!(ids(&results[0]), ["c2", "b1"]);
        let mut sources = results[0][1].source_ids.clone();
        sources.sort();
        assert_eq!(sources, ["a", "b", "c"], "b1 ~ a1 by title, b1 ~ c1 by URL");
        for r in &results[1..] {
            assert_eq!(r, &results[0]);
        }
    }

    #[test]
    fn many_titles_are_grouped_without_all_pairs() {
        // 6000 distinct titles sharing common words, plus one copy each of 100 of them.
        let mut items = Vec::new();
        for n in 0..6000 {
            items.push(story(
                "a",
                &format!("a{n}"),
                &format!("the news of the day number w{n} and x{n}"),
                &format!("https://a.test/{n}"),
                n % 48,
            ));
        }
        let copies: Vec<Item> = (0..100)
            .map(|n| {
                story(
                    "b",
                    &format!("b{n}"),
                    &format!("The news of the day: number w{n} and x{n}"),
                    &format!("https://b.test/{n}"),
                    n % 48,
                )
            })
            .collect();
        let merged = merge_items(vec![items, copies], 10_000);
        assert_eq!(merged.len(), 6000);
    }
}
