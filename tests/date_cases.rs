//! Agreement of `normalise::date::parse_date_utc` and `parse_human_date` with feedparser's date
//! test cases (`corpora/feeds/feedparser/date_cases.json` under `$FEEDWRIGHT_SHARED`, default
//! `/work/shared`): to the second in UTC, and `null` must give `None`. Prints agreement overall,
//! per style and on the styles written in our languages; skipped with a message when the corpus
//! is missing. Then a hand-built table of human dates in en, es, fr, de, pt and it, written
//! from the engine's rules (see `parse_human_date`), whole stamps compared.

use std::collections::BTreeMap;
use std::path::PathBuf;

use chrono::{DateTime, Utc};
use feedwright::model::{DatePrecision, Stamp};
use feedwright::normalise::date::{DateContext, parse_date_utc, parse_human_date};

/// Styles of the corpus whose cases are in our languages (English or numeric: RFC 822, W3C-DTF,
/// ISO 8601, asctime, Perforce). The others are Greek, Hungarian and Korean (`nate`, `onblog`),
/// including their empty-input cases, which are counted with their style.
const OUR_STYLES: [&str; 5] = ["rfc822", "w3dtf", "iso8601", "asctime", "perforce"];

/// Required agreement on the cases in our languages.
const OUR_FLOOR: f64 = 0.95;

/// Cases in languages we deliberately do not read (Greek, Hungarian, Korean) may fail.
const FLOOR: f64 = 0.93;

#[test]
fn feedparser_date_cases() {
    let root = std::env::var_os("FEEDWRIGHT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/work/shared"));
    let path = root.join("corpora/feeds/feedparser/date_cases.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("skipping: {} not found", path.display());
        return;
    };
    let doc: serde_json::Value = serde_json::from_str(&text).expect("date_cases.json is JSON");
    let cases = doc["cases"].as_array().expect("a `cases` array");

    // The human engine, in UTC, with a clock after every case and no language hint.
    let ctx = DateContext::new(
        DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc),
    );
    let fmt = |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let mut per_style: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures = Vec::new();
    // (agreeing, total) on our styles: parse_date_utc, parse_human_date.
    let mut ours = [(0usize, 0usize); 2];
    let mut human_all = (0usize, 0usize);
    for case in cases {
        let input = case["input"].as_str().expect("input");
        let style = case["style"].as_str().unwrap_or("?").to_string();
        let expected = case["expected_utc"].as_str();
        let got = parse_date_utc(input).map(fmt);
        let ok = got.as_deref() == expected;
        let human = parse_human_date(input, &ctx).map(|s| fmt(s.utc));
        let human_ok = human.as_deref() == expected;
        human_all.1 += 1;
        human_all.0 += usize::from(human_ok);
        if OUR_STYLES.contains(&style.as_str()) {
            for (slot, good) in ours.iter_mut().zip([ok, human_ok]) {
                slot.1 += 1;
                slot.0 += usize::from(good);
            }
        }
        if !human_ok {
            failures.push(format!(
                "  [{style}] {input:?}: expected {expected:?}, parse_human_date got {human:?}"
            ));
        }
        let e = per_style.entry(style.clone()).or_default();
        e.1 += 1;
        if ok {
            e.0 += 1;
        } else {
            failures.push(format!(
                "  [{style}] {input:?}: expected {expected:?}, got {got:?}"
            ));
        }
    }

    let (good, total) = per_style
        .values()
        .fold((0, 0), |(g, t), (a, b)| (g + a, t + b));
    let overall = good as f64 / total as f64;
    println!("date_cases agreement: {good}/{total} = {overall:.3}");
    for (style, (g, t)) in &per_style {
        println!("  {style:<10} {g}/{t}");
    }
    let rate = |(g, t): (usize, usize)| g as f64 / t.max(1) as f64;
    println!(
        "parse_human_date agreement: {}/{} = {:.3}",
        human_all.0,
        human_all.1,
        rate(human_all)
    );
    println!(
        "in our languages ({}): parse_date_utc {}/{} = {:.3}, parse_human_date {}/{} = {:.3}",
        OUR_STYLES.join(", "),
        ours[0].0,
        ours[0].1,
        rate(ours[0]),
        ours[1].0,
        ours[1].1,
        rate(ours[1])
    );
    if !failures.is_empty() {
        println!("failing cases:");
        for f in &failures {
            println!("{f}");
        }
    }
    assert!(
        overall >= FLOOR,
        "agreement {overall:.3} fell below the floor {FLOOR}"
    );
    for (name, r) in [
        ("parse_date_utc", rate(ours[0])),
        ("parse_human_date", rate(ours[1])),
    ] {
        assert!(
            r >= OUR_FLOOR,
            "{name}: agreement {r:.3} in our languages fell below {OUR_FLOOR}"
        );
    }
}

/// Clocks for the hand-built table: key, fetch time, IANA zone.
const CLOCKS: &[(&str, &str, &str)] = &[
    // Friday 9 January 2026, 12:30 in Chicago (CST, −06:00)
    ("A", "2026-01-09T18:30:00Z", "America/Chicago"),
    // Friday 9 January 2026, 12:30 in Madrid (CET, +01:00)
    ("B", "2026-01-09T11:30:00Z", "Europe/Madrid"),
    // Wednesday 20 May 2026, 12:00 in Paris (CEST, +02:00)
    ("C", "2026-05-20T10:00:00Z", "Europe/Paris"),
    // Sunday 15 November 2026, 13:00 in Berlin (CET, +01:00)
    ("D", "2026-11-15T12:00:00Z", "Europe/Berlin"),
    // Wednesday 1 July 2026, 06:00 in São Paulo (−03:00, no DST)
    ("E", "2026-07-01T09:00:00Z", "America/Sao_Paulo"),
    // Monday 2 March 2026, 09:00 in Rome (CET, +01:00)
    ("F", "2026-03-02T08:00:00Z", "Europe/Rome"),
];

/// The hand-built table, one case a line: `text § clock § language § day_first § expected §
/// precision`, where `expected` is the instant with the offset the stamp must carry (or `-` for
/// no date) and precision is E(xact), D(ate only), Y(ear inferred), R(elative) or M(onth).
const TABLE: &str = "
January 9, 2026 § A § en § 0 § 2026-01-09T00:00:00-06:00 § D
Jan 9, 2026 § A § en § 0 § 2026-01-09T00:00:00-06:00 § D
9 January 2026 § A § en § 0 § 2026-01-09T00:00:00-06:00 § D
December 2025 § A § en § 0 § 2025-12-01T00:00:00-06:00 § M
Published: Nov. 2003 § A § en § 0 § 2003-11-01T00:00:00-06:00 § M
2025-12 § A § en § 0 § 2025-12-01T00:00:00-06:00 § M
Jan. 9, 2026 § A § en § 0 § 2026-01-09T00:00:00-06:00 § D
Sept. 30, 2025 § A § en § 0 § 2025-09-30T00:00:00-05:00 § D
December 25, 2025 at 8:00 am § A § en § 0 § 2025-12-25T08:00:00-06:00 § E
Thursday, January 8, 2026 - 11:30 p.m. § A § en § 0 § 2026-01-08T23:30:00-06:00 § E
Jan 9, 2026 3:04 PM ET § A § en § 0 § 2026-01-09T15:04:00-05:00 § E
2026-01-08 § A § en § 0 § 2026-01-08T00:00:00-06:00 § D
2026-01-08T09:15:00-05:00 § A § en § 0 § 2026-01-08T09:15:00-05:00 § E
01/08/2026 § A § en § 0 § 2026-01-08T00:00:00-06:00 § D
1/8/26 § A § en § 0 § 2026-01-08T00:00:00-06:00 § D
Jan 8 § A § en § 0 § 2026-01-08T00:00:00-06:00 § Y
Dec 28 § A § en § 0 § 2025-12-28T00:00:00-06:00 § Y
Jan 10 § A § en § 0 § 2026-01-10T00:00:00-06:00 § Y
Jan 11 § A § en § 0 § 2025-01-11T00:00:00-06:00 § Y
8th January § A § en § 0 § 2026-01-08T00:00:00-06:00 § Y
Jan 8, 10:00 PM § A § en § 0 § 2026-01-08T22:00:00-06:00 § Y
3 hours ago § A § en § 0 § 2026-01-09T09:30:00-06:00 § R
45 minutes ago § A § en § 0 § 2026-01-09T11:45:00-06:00 § R
an hour ago § A § en § 0 § 2026-01-09T11:30:00-06:00 § R
1 hour ago § A § en § 0 § 2026-01-09T11:30:00-06:00 § R
10 seconds ago § A § en § 0 § 2026-01-09T12:29:50-06:00 § R
4 days ago § A § en § 0 § 2026-01-05T00:00:00-06:00 § R
a week ago § A § en § 0 § 2026-01-02T00:00:00-06:00 § R
3 weeks ago § A § en § 0 § 2025-12-19T00:00:00-06:00 § R
2 months ago § A § en § 0 § 2025-11-09T00:00:00-06:00 § R
a year ago § A § en § 0 § 2025-01-09T00:00:00-06:00 § R
yesterday § A § en § 0 § 2026-01-08T00:00:00-06:00 § R
Yesterday at 9:15 PM § A § en § 0 § 2026-01-08T21:15:00-06:00 § R
today § A § en § 0 § 2026-01-09T00:00:00-06:00 § R
just now § A § en § 0 § 2026-01-09T12:30:00-06:00 § R
last week § A § en § 0 § 2026-01-02T00:00:00-06:00 § R
last Wednesday § A § en § 0 § 2026-01-07T00:00:00-06:00 § R
last year § A § en § 0 § 2025-01-09T00:00:00-06:00 § R
12h ago § A § en § 0 § 2026-01-09T00:30:00-06:00 § R
20m § A § en § 0 § 2026-01-09T12:10:00-06:00 § R
1d § A § en § 0 § 2026-01-08T00:00:00-06:00 § R
2 hrs ago § A § en § 0 § 2026-01-09T10:30:00-06:00 § R
1w § A § en § 0 § 2026-01-02T00:00:00-06:00 § R
Wednesday § A § en § 0 § 2026-01-07T00:00:00-06:00 § R
Friday § A § en § 0 § 2026-01-09T00:00:00-06:00 § R
Posted on January 7, 2026 by admin § A § en § 0 § 2026-01-07T00:00:00-06:00 § D
By Jane Doe | Jan 7, 2026 | 3 min read § A § en § 0 § 2026-01-07T00:00:00-06:00 § D
5 min read § A § en § 0 § - § -
1,024 views § A § en § 0 § - § -
3 comments § A § en § 0 § - § -
Page 1 of 3 § A § en § 0 § - § -
Call 555-0100 § A § en § 0 § - § -
Was $19.99 § A § en § 0 § - § -
Release v2.0.1 § A § en § 0 § - § -
January 12, 2026 § A § en § 0 § - § -
9 de enero de 2026 § B § es § 0 § 2026-01-09T00:00:00+01:00 § D
diciembre de 2025 § B § es § 0 § 2025-12-01T00:00:00+01:00 § M
8 de enero de 2026 a las 17:45 § B § es § 0 § 2026-01-08T17:45:00+01:00 § E
jueves, 8 de enero de 2026 § B § es § 0 § 2026-01-08T00:00:00+01:00 § D
8 ene. 2026 § B § es § 0 § 2026-01-08T00:00:00+01:00 § D
15 de agosto de 2025 § B § es § 0 § 2025-08-15T00:00:00+02:00 § D
1 de diciembre § B § es § 0 § 2025-12-01T00:00:00+01:00 § Y
31 dic § B § es § 0 § 2025-12-31T00:00:00+01:00 § Y
8 de enero § B § es § 0 § 2026-01-08T00:00:00+01:00 § Y
08/01/2026 § B § es § 1 § 2026-01-08T00:00:00+01:00 § D
8/1/2026 § B § es § 1 § 2026-01-08T00:00:00+01:00 § D
08/01 § B § es § 1 § 2026-01-08T00:00:00+01:00 § Y
hace 3 horas § B § es § 0 § 2026-01-09T09:30:00+01:00 § R
hace 20 minutos § B § es § 0 § 2026-01-09T12:10:00+01:00 § R
hace un día § B § es § 0 § 2026-01-08T00:00:00+01:00 § R
hace 2 semanas § B § es § 0 § 2025-12-26T00:00:00+01:00 § R
hace un mes § B § es § 0 § 2025-12-09T00:00:00+01:00 § R
hace una hora § B § es § 0 § 2026-01-09T11:30:00+01:00 § R
ayer § B § es § 0 § 2026-01-08T00:00:00+01:00 § R
ayer a las 21:00 § B § es § 0 § 2026-01-08T21:00:00+01:00 § R
hoy § B § es § 0 § 2026-01-09T00:00:00+01:00 § R
anteayer § B § es § 0 § 2026-01-07T00:00:00+01:00 § R
hace un momento § B § es § 0 § 2026-01-09T12:30:00+01:00 § R
la semana pasada § B § es § 0 § 2026-01-02T00:00:00+01:00 § R
el mes pasado § B § es § 0 § 2025-12-09T00:00:00+01:00 § R
el miércoles pasado § B § es § 0 § 2026-01-07T00:00:00+01:00 § R
Publicado el 7 de enero de 2026 por Ana § B § es § 0 § 2026-01-07T00:00:00+01:00 § D
Lectura de 4 minutos § B § es § 0 § - § -
12 comentarios § B § es § 0 § - § -
sábado 3 de enero de 2026 § B § es § 0 § 2026-01-03T00:00:00+01:00 § D
3 de ene de 2026 § B § es § 0 § 2026-01-03T00:00:00+01:00 § D
20 mai 2026 § C § fr § 0 § 2026-05-20T00:00:00+02:00 § D
avril 2026 § C § fr § 0 § 2026-04-01T00:00:00+02:00 § M
19 mai 2026 à 18h45 § C § fr § 0 § 2026-05-19T18:45:00+02:00 § E
mardi 19 mai 2026 § C § fr § 0 § 2026-05-19T00:00:00+02:00 § D
le 1er mai 2026 § C § fr § 0 § 2026-05-01T00:00:00+02:00 § D
1er mars 2026 § C § fr § 0 § 2026-03-01T00:00:00+01:00 § D
14 févr. 2026 § C § fr § 0 § 2026-02-14T00:00:00+01:00 § D
14 fevrier 2026 § C § fr § 0 § 2026-02-14T00:00:00+01:00 § D
3 juil. 2025 § C § fr § 0 § 2025-07-03T00:00:00+02:00 § D
15 août 2025 § C § fr § 0 § 2025-08-15T00:00:00+02:00 § D
25 décembre § C § fr § 0 § 2025-12-25T00:00:00+01:00 § Y
18 mai § C § fr § 0 § 2026-05-18T00:00:00+02:00 § Y
21 mai § C § fr § 0 § 2026-05-21T00:00:00+02:00 § Y
22 mai § C § fr § 0 § 2025-05-22T00:00:00+02:00 § Y
19/05/2026 § C § fr § 1 § 2026-05-19T00:00:00+02:00 § D
19/05 § C § fr § 1 § 2026-05-19T00:00:00+02:00 § Y
il y a 2 jours § C § fr § 0 § 2026-05-18T00:00:00+02:00 § R
il y a une heure § C § fr § 0 § 2026-05-20T11:00:00+02:00 § R
il y a 5 minutes § C § fr § 0 § 2026-05-20T11:55:00+02:00 § R
il y a 3 semaines § C § fr § 0 § 2026-04-29T00:00:00+02:00 § R
il y a 1 an § C § fr § 0 § 2025-05-20T00:00:00+02:00 § R
hier § C § fr § 0 § 2026-05-19T00:00:00+02:00 § R
hier à 20h § C § fr § 0 § 2026-05-19T20:00:00+02:00 § R
aujourd'hui § C § fr § 0 § 2026-05-20T00:00:00+02:00 § R
avant-hier § C § fr § 0 § 2026-05-18T00:00:00+02:00 § R
à l'instant § C § fr § 0 § 2026-05-20T12:00:00+02:00 § R
la semaine dernière § C § fr § 0 § 2026-05-13T00:00:00+02:00 § R
lundi dernier § C § fr § 0 § 2026-05-18T00:00:00+02:00 § R
le mois dernier § C § fr § 0 § 2026-04-20T00:00:00+02:00 § R
Publié le 18 mai 2026 à 9h05 § C § fr § 0 § 2026-05-18T09:05:00+02:00 § E
Temps de lecture : 4 min § C § fr § 0 § - § -
3 commentaires § C § fr § 0 § - § -
15. November 2026 § D § de § 0 § 2026-11-15T00:00:00+01:00 § D
Veröffentlicht im Oktober 2026 § D § de § 0 § 2026-10-01T00:00:00+02:00 § M
14. Nov. 2026, 18:30 Uhr § D § de § 0 § 2026-11-14T18:30:00+01:00 § E
Samstag, 14. November 2026 § D § de § 0 § 2026-11-14T00:00:00+01:00 § D
Sa., 14.11.2026 § D § de § 0 § 2026-11-14T00:00:00+01:00 § D
14.11.2026 § D § de § 0 § 2026-11-14T00:00:00+01:00 § D
14.11.2026 18:30 § D § de § 0 § 2026-11-14T18:30:00+01:00 § E
3. Oktober 2026 § D § de § 0 § 2026-10-03T00:00:00+02:00 § D
1. März 2026 § D § de § 0 § 2026-03-01T00:00:00+01:00 § D
1. Maerz 2026 § D § de § 0 § 2026-03-01T00:00:00+01:00 § D
24. Dezember § D § de § 0 § 2025-12-24T00:00:00+01:00 § Y
14. November § D § de § 0 § 2026-11-14T00:00:00+01:00 § Y
14.11. § D § de § 0 § 2026-11-14T00:00:00+01:00 § Y
vor 30 Minuten § D § de § 0 § 2026-11-15T12:30:00+01:00 § R
vor einer Stunde § D § de § 0 § 2026-11-15T12:00:00+01:00 § R
vor 2 Stunden § D § de § 0 § 2026-11-15T11:00:00+01:00 § R
vor 3 Tagen § D § de § 0 § 2026-11-12T00:00:00+01:00 § R
vor einer Woche § D § de § 0 § 2026-11-08T00:00:00+01:00 § R
vor 2 Monaten § D § de § 0 § 2026-09-15T00:00:00+02:00 § R
vor einem Jahr § D § de § 0 § 2025-11-15T00:00:00+01:00 § R
gestern § D § de § 0 § 2026-11-14T00:00:00+01:00 § R
gestern, 18:30 Uhr § D § de § 0 § 2026-11-14T18:30:00+01:00 § R
heute § D § de § 0 § 2026-11-15T00:00:00+01:00 § R
heute um 9:00 Uhr § D § de § 0 § 2026-11-15T09:00:00+01:00 § R
vorgestern § D § de § 0 § 2026-11-13T00:00:00+01:00 § R
gerade eben § D § de § 0 § 2026-11-15T13:00:00+01:00 § R
letzte Woche § D § de § 0 § 2026-11-08T00:00:00+01:00 § R
letzten Freitag § D § de § 0 § 2026-11-13T00:00:00+01:00 § R
Veröffentlicht am 12. November 2026 um 14:00 Uhr § D § de § 0 § 2026-11-12T14:00:00+01:00 § E
Lesezeit: 4 Minuten § D § de § 0 § - § -
12 Kommentare § D § de § 0 § - § -
am 9. Januar § D § de § 0 § 2026-01-09T00:00:00+01:00 § Y
1 de julho de 2026 § E § pt § 0 § 2026-07-01T00:00:00-03:00 § D
30 de junho de 2026 às 21h15 § E § pt § 0 § 2026-06-30T21:15:00-03:00 § E
terça-feira, 30 de junho de 2026 § E § pt § 0 § 2026-06-30T00:00:00-03:00 § D
1º de junho de 2026 § E § pt § 0 § 2026-06-01T00:00:00-03:00 § D
9 de jan. de 2026 § E § pt § 0 § 2026-01-09T00:00:00-03:00 § D
30/06/2026 § E § pt § 1 § 2026-06-30T00:00:00-03:00 § D
30/06 § E § pt § 1 § 2026-06-30T00:00:00-03:00 § Y
25 de dezembro § E § pt § 0 § 2025-12-25T00:00:00-03:00 § Y
2 de julho § E § pt § 0 § 2026-07-02T00:00:00-03:00 § Y
3 de julho § E § pt § 0 § 2025-07-03T00:00:00-03:00 § Y
há 3 horas § E § pt § 0 § 2026-07-01T03:00:00-03:00 § R
há 10 minutos § E § pt § 0 § 2026-07-01T05:50:00-03:00 § R
há um dia § E § pt § 0 § 2026-06-30T00:00:00-03:00 § R
há 2 semanas § E § pt § 0 § 2026-06-17T00:00:00-03:00 § R
há 1 mês § E § pt § 0 § 2026-06-01T00:00:00-03:00 § R
3 horas atrás § E § pt § 0 § 2026-07-01T03:00:00-03:00 § R
2 dias atrás § E § pt § 0 § 2026-06-29T00:00:00-03:00 § R
ontem § E § pt § 0 § 2026-06-30T00:00:00-03:00 § R
ontem às 22:10 § E § pt § 0 § 2026-06-30T22:10:00-03:00 § R
hoje § E § pt § 0 § 2026-07-01T00:00:00-03:00 § R
anteontem § E § pt § 0 § 2026-06-29T00:00:00-03:00 § R
agora mesmo § E § pt § 0 § 2026-07-01T06:00:00-03:00 § R
semana passada § E § pt § 0 § 2026-06-24T00:00:00-03:00 § R
sexta-feira passada § E § pt § 0 § 2026-06-26T00:00:00-03:00 § R
Publicado em 29 de junho de 2026 § E § pt § 0 § 2026-06-29T00:00:00-03:00 § D
5 min de leitura § E § pt § 0 § - § -
12 comentários § E § pt § 0 § - § -
há uma hora § E § pt § 0 § 2026-07-01T05:00:00-03:00 § R
2 marzo 2026 § F § it § 0 § 2026-03-02T00:00:00+01:00 § D
febbraio 2026 § F § it § 0 § 2026-02-01T00:00:00+01:00 § M
1 marzo 2026 alle 18:30 § F § it § 0 § 2026-03-01T18:30:00+01:00 § E
domenica 1 marzo 2026 § F § it § 0 § 2026-03-01T00:00:00+01:00 § D
1° marzo 2026 § F § it § 0 § 2026-03-01T00:00:00+01:00 § D
28 feb 2026 § F § it § 0 § 2026-02-28T00:00:00+01:00 § D
15 agosto 2025 § F § it § 0 § 2025-08-15T00:00:00+02:00 § D
25 dicembre § F § it § 0 § 2025-12-25T00:00:00+01:00 § Y
28 febbraio § F § it § 0 § 2026-02-28T00:00:00+01:00 § Y
01/03/2026 § F § it § 1 § 2026-03-01T00:00:00+01:00 § D
3 ore fa § F § it § 0 § 2026-03-02T06:00:00+01:00 § R
15 minuti fa § F § it § 0 § 2026-03-02T08:45:00+01:00 § R
un'ora fa § F § it § 0 § 2026-03-02T08:00:00+01:00 § R
2 giorni fa § F § it § 0 § 2026-02-28T00:00:00+01:00 § R
una settimana fa § F § it § 0 § 2026-02-23T00:00:00+01:00 § R
3 mesi fa § F § it § 0 § 2025-12-02T00:00:00+01:00 § R
ieri § F § it § 0 § 2026-03-01T00:00:00+01:00 § R
ieri alle 21:40 § F § it § 0 § 2026-03-01T21:40:00+01:00 § R
oggi § F § it § 0 § 2026-03-02T00:00:00+01:00 § R
l'altro ieri § F § it § 0 § 2026-02-28T00:00:00+01:00 § R
poco fa § F § it § 0 § 2026-03-02T09:00:00+01:00 § R
la settimana scorsa § F § it § 0 § 2026-02-23T00:00:00+01:00 § R
venerdì scorso § F § it § 0 § 2026-02-27T00:00:00+01:00 § R
Pubblicato il 27 febbraio 2026 § F § it § 0 § 2026-02-27T00:00:00+01:00 § D
4 min di lettura § F § it § 0 § - § -
8 commenti § F § it § 0 § - § -
un anno fa § F § it § 0 § 2025-03-02T00:00:00+01:00 § R
3 giorni fa § F § it § 0 § 2026-02-27T00:00:00+01:00 § R
";

#[test]
fn hand_built_table() {
    let mut bad = Vec::new();
    let mut per_lang: BTreeMap<&str, usize> = BTreeMap::new();
    let mut n = 0;
    for line in TABLE.lines().filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split('§').map(str::trim).collect();
        let [text, clock, lang, day_first, expected, precision] = f[..] else {
            panic!("bad table line {line:?}");
        };
        let &(_, now, tz) = CLOCKS
            .iter()
            .find(|(k, _, _)| *k == clock)
            .expect("known clock");
        let ctx = DateContext {
            now: DateTime::parse_from_rfc3339(now)
                .unwrap()
                .with_timezone(&Utc),
            timezone: Some(tz.parse().expect("IANA zone")),
            language: Some(lang),
            day_first: Some(day_first == "1"),
            format: None,
        };
        let want = (expected != "-").then(|| {
            let t = DateTime::parse_from_rfc3339(expected).expect("expected RFC 3339");
            Stamp {
                utc: t.with_timezone(&Utc),
                offset_secs: t.offset().local_minus_utc(),
                precision: match precision {
                    "E" => DatePrecision::Exact,
                    "D" => DatePrecision::DateOnly,
                    "Y" => DatePrecision::YearInferred,
                    "R" => DatePrecision::Relative,
                    "M" => DatePrecision::Month,
                    p => panic!("unknown precision {p}"),
                },
            }
        });
        let got = parse_human_date(text, &ctx);
        if got != want {
            bad.push(format!(
                "  [{lang}] {text:?}\n    want {want:?}\n    got  {got:?}"
            ));
        }
        n += 1;
        *per_lang.entry(lang).or_default() += 1;
    }
    println!("hand-built table: {} cases, {:?}", n, per_lang);
    assert!(n >= 150, "the table should hold at least 150 cases");
    assert!(
        bad.is_empty(),
        "{} of {n} wrong:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
