//! Merging the normalised items of several sources into one output: dedup by id, then across
//! sources by canonical link (never by guid alone), keeping the richest fields; newest first with
//! a stable tie-break; cut to `max_items`. Pure: values in, values out.

use crate::config::{Filter, FilterField};
use crate::model::Item;
use crate::normalise::fill_missing;
use chrono::{DateTime, Utc};
use std::cmp::Reverse;
use std::collections::HashMap;

/// How much an item carries, for choosing which copy of a duplicate survives: a more precise
/// date first, then more content, then an author.
fn richness(item: &Item) -> (Option<crate::model::DatePrecision>, usize, usize, bool) {
    (
        item.published.or(item.updated).map(|s| s.precision),
        item.content.as_ref().map_or(0, String::len),
        item.summary.as_ref().map_or(0, String::len),
        !item.authors.is_empty(),
    )
}

/// Merge `groups` (one Vec per source, in config order) into one list: duplicates folded,
/// sorted newest first (ties broken by id), at most `max_items`.
pub fn merge_items(groups: Vec<Vec<Item>>, max_items: usize) -> Vec<Item> {
    let mut out: Vec<Item> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_link: HashMap<String, usize> = HashMap::new();
    for item in groups.into_iter().flatten() {
        let existing = by_id.get(&item.id).copied().or_else(|| {
            item.link
                .as_ref()
                .and_then(|l| by_link.get(l.as_str()).copied())
        });
        match existing.and_then(|at| out.get_mut(at).map(|slot| (at, slot))) {
            Some((at, slot)) => {
                // The richer copy becomes the survivor; it keeps its own id and origin.
                let merged = if richness(&item) > richness(slot) {
                    let mut survivor = item;
                    fill_missing(&mut survivor, slot.clone());
                    survivor
                } else {
                    let mut survivor = slot.clone();
                    fill_missing(&mut survivor, item);
                    survivor
                };
                by_id.insert(merged.id.clone(), at);
                if let Some(l) = &merged.link {
                    by_link.insert(l.clone(), at);
                }
                *slot = merged;
            }
            None => {
                let at = out.len();
                by_id.insert(item.id.clone(), at);
                if let Some(l) = &item.link {
                    by_link.entry(l.clone()).or_insert(at);
                }
                out.push(item);
            }
        }
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
        .filter(|item| match (floor, item.sort_date()) {
            (Some(f), Some(d)) => d >= f,
            _ => true,
        })
        .filter(|item| {
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
        })
        .collect()
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
}
