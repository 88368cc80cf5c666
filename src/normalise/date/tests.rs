//! Unit tests of [`super::parse_human_date`]: whole stamps compared, every form in every
//! language, year rollover, DST edges, decoys and the future tolerance.

use super::*;
use crate::model::DatePrecision::{self, DateOnly, Exact, Month, Relative, YearInferred};

/// A context: `now` in RFC 3339, an IANA zone (or `UTC`), a language hint.
fn cx(now: &str, tz: &str, lang: Option<&'static str>) -> DateContext<'static> {
    DateContext {
        now: DateTime::parse_from_rfc3339(now)
            .expect("test now is RFC 3339")
            .with_timezone(&Utc),
        timezone: (tz != "UTC").then(|| tz.parse().expect("IANA zone")),
        language: lang,
        day_first: None,
        format: None,
    }
}

/// The expected stamp: the instant with the offset it must carry, in RFC 3339.
fn st(at: &str, precision: DatePrecision) -> Option<Stamp> {
    let t = DateTime::parse_from_rfc3339(at).expect("expectation is RFC 3339");
    Some(Stamp {
        utc: t.with_timezone(&Utc),
        offset_secs: t.offset().local_minus_utc(),
        precision,
    })
}

fn check(ctx: &DateContext<'_>, cases: &[(&str, Option<Stamp>)]) {
    let mut bad = Vec::new();
    for (input, want) in cases {
        let got = parse_human_date(input, ctx);
        if got != *want {
            bad.push(format!("{input:?}\n    want {want:?}\n    got  {got:?}"));
        }
    }
    assert!(
        bad.is_empty(),
        "{} failures:\n{}",
        bad.len(),
        bad.join("\n")
    );
}

fn none(inputs: &[&str], ctx: &DateContext<'_>) {
    let bad: Vec<_> = inputs
        .iter()
        .filter_map(|i| parse_human_date(i, ctx).map(|s| format!("{i:?} -> {s:?}")))
        .collect();
    assert!(bad.is_empty(), "should be None:\n{}", bad.join("\n"));
}

#[test]
fn absolute_english_in_the_source_timezone() {
    let c = cx("2026-03-15T12:00:00Z", "America/Chicago", Some("en"));
    check(
        &c,
        &[
            ("January 9, 2026", st("2026-01-09T00:00:00-06:00", DateOnly)),
            ("9 Jan 2026", st("2026-01-09T00:00:00-06:00", DateOnly)),
            ("Jan 9th, 2026", st("2026-01-09T00:00:00-06:00", DateOnly)),
            (
                "the 1st of March 2026",
                st("2026-03-01T00:00:00-06:00", DateOnly),
            ),
            (
                "Jan 9, 2026 at 3:04 pm",
                st("2026-01-09T15:04:00-06:00", Exact),
            ),
            (
                "Jan 9, 2026, 3:04 PM",
                st("2026-01-09T15:04:00-06:00", Exact),
            ),
            (
                "Friday, January 9, 2026",
                st("2026-01-09T00:00:00-06:00", DateOnly),
            ),
            ("2026-01-09", st("2026-01-09T00:00:00-06:00", DateOnly)),
            ("2026-01-09 10:00", st("2026-01-09T10:00:00-06:00", Exact)),
            (
                "2026-01-09T10:00:00Z",
                st("2026-01-09T10:00:00+00:00", Exact),
            ),
            (
                "2026-01-09T10:00:00+01:00",
                st("2026-01-09T10:00:00+01:00", Exact),
            ),
            (
                "Fri, 09 Jan 2026 10:00:00 EST",
                st("2026-01-09T10:00:00-05:00", Exact),
            ),
            (
                "Jan 9, 2026 3:04 PM PST",
                st("2026-01-09T15:04:00-08:00", Exact),
            ),
            // summer: the zone's daylight offset
            ("July 4, 2025", st("2025-07-04T00:00:00-05:00", DateOnly)),
            ("1767971040", st("2026-01-09T15:04:00+00:00", Exact)),
            // inside a sentence
            (
                "Posted by Ana on January 9, 2026 in News",
                st("2026-01-09T00:00:00-06:00", DateOnly),
            ),
            (
                "Published: 2026-01-09T10:00:00Z by Ana",
                st("2026-01-09T10:00:00+00:00", Exact),
            ),
            (
                "Updated Feb 2, 2026 at 9:15 am CST",
                st("2026-02-02T09:15:00-06:00", Exact),
            ),
            ("(9 Jan 2026)", st("2026-01-09T00:00:00-06:00", DateOnly)),
        ],
    );
}

#[test]
fn numeric_dates_and_day_first() {
    let mf = cx("2026-10-15T12:00:00Z", "UTC", None);
    let df = DateContext {
        day_first: Some(true),
        ..mf
    };
    check(
        &mf,
        &[
            ("09/01/2026", st("2026-09-01T00:00:00Z", DateOnly)),
            ("13/01/2026", st("2026-01-13T00:00:00Z", DateOnly)),
            ("01/13/2026", st("2026-01-13T00:00:00Z", DateOnly)),
            ("9.1.2026", st("2026-01-09T00:00:00Z", DateOnly)),
            ("09/01/26", st("2026-09-01T00:00:00Z", DateOnly)),
            ("09/01", st("2026-09-01T00:00:00Z", YearInferred)),
            ("09/01/2026 14:30", st("2026-09-01T14:30:00Z", Exact)),
            (
                "on 09/01/2026, by Ana",
                st("2026-09-01T00:00:00Z", DateOnly),
            ),
        ],
    );
    check(
        &df,
        &[
            ("09/01/2026", st("2026-01-09T00:00:00Z", DateOnly)),
            ("13/01/2026", st("2026-01-13T00:00:00Z", DateOnly)),
            ("01/13/2026", st("2026-01-13T00:00:00Z", DateOnly)),
            ("9.1.2026", st("2026-01-09T00:00:00Z", DateOnly)),
            ("09.01.", st("2026-01-09T00:00:00Z", YearInferred)),
            ("09/01", st("2026-01-09T00:00:00Z", YearInferred)),
            ("09/01/26 14:30", st("2026-01-09T14:30:00Z", Exact)),
            ("09-01-2026", st("2026-01-09T00:00:00Z", DateOnly)),
        ],
    );
}

#[test]
fn localised_absolute_dates() {
    let utc = cx("2026-06-15T12:00:00Z", "UTC", None);
    let d9 = || st("2026-01-09T00:00:00Z", DateOnly);
    check(
        &utc,
        &[
            // es
            ("9 de enero de 2026", d9()),
            ("9 de Enero del 2026", d9()),
            ("lunes, 9 de enero de 2026", d9()),
            ("9 ene. 2026", d9()),
            (
                "viernes 9 de enero de 2026, 14:30",
                st("2026-01-09T14:30:00Z", Exact),
            ),
            (
                "1 de marzo de 2026 a las 14:30",
                st("2026-03-01T14:30:00Z", Exact),
            ),
            ("1º de marzo de 2026", st("2026-03-01T00:00:00Z", DateOnly)),
            ("9 setiembre 2025", st("2025-09-09T00:00:00Z", DateOnly)),
            // fr
            ("9 janvier 2026", d9()),
            ("vendredi 9 janvier 2026", d9()),
            ("le 9 janv. 2026", d9()),
            ("1er mars 2026", st("2026-03-01T00:00:00Z", DateOnly)),
            ("9 février 2026", st("2026-02-09T00:00:00Z", DateOnly)),
            ("9 fevrier 2026", st("2026-02-09T00:00:00Z", DateOnly)),
            ("9 FÉVR. 2026", st("2026-02-09T00:00:00Z", DateOnly)),
            ("12 août 2025 à 14h30", st("2025-08-12T14:30:00Z", Exact)),
            ("3 déc. 2025", st("2025-12-03T00:00:00Z", DateOnly)),
            // de
            ("9. Januar 2026", d9()),
            ("Freitag, 9. Januar 2026", d9()),
            ("Fr., 9. Jan. 2026", d9()),
            ("9. März 2026, 14:30 Uhr", st("2026-03-09T14:30:00Z", Exact)),
            (
                "am 9. Maerz 2026 um 14.30 Uhr",
                st("2026-03-09T14:30:00Z", Exact),
            ),
            ("9. Jänner 2026", d9()),
            ("9. Dez. 2025", st("2025-12-09T00:00:00Z", DateOnly)),
            // pt
            ("9 de janeiro de 2026", d9()),
            ("sexta-feira, 9 de janeiro de 2026", d9()),
            ("1º de março de 2026", st("2026-03-01T00:00:00Z", DateOnly)),
            (
                "9 de fev. de 2026 às 14h30",
                st("2026-02-09T14:30:00Z", Exact),
            ),
            (
                "9 de dezembro de 2025",
                st("2025-12-09T00:00:00Z", DateOnly),
            ),
            // it
            ("9 gennaio 2026", d9()),
            ("venerdì 9 gennaio 2026", d9()),
            (
                "lunedì 9 febbraio 2026 alle 14:30",
                st("2026-02-09T14:30:00Z", Exact),
            ),
            ("1° marzo 2026", st("2026-03-01T00:00:00Z", DateOnly)),
            ("9 giu 2026", st("2026-06-09T00:00:00Z", DateOnly)),
            ("9 dic. 2025", st("2025-12-09T00:00:00Z", DateOnly)),
        ],
    );
    // Abbreviations that are ordinary words elsewhere need the hint.
    let pt = cx("2026-06-15T12:00:00Z", "UTC", Some("pt"));
    check(
        &pt,
        &[
            ("9 out. 2025", st("2025-10-09T00:00:00Z", DateOnly)),
            ("9 set 2025", st("2025-09-09T00:00:00Z", DateOnly)),
            ("9 ago 2025", st("2025-08-09T00:00:00Z", DateOnly)),
        ],
    );
    none(&["check out 3 new posts"], &utc);
    // "mar" is Tuesday before a month, March otherwise.
    check(
        &utc,
        &[
            ("mar, 9 ene 2026", d9()),
            ("Mar 9, 2026", st("2026-03-09T00:00:00Z", DateOnly)),
        ],
    );
}

#[test]
fn partial_dates_take_the_most_recent_year() {
    let c = cx("2026-01-12T15:00:00Z", "UTC", None);
    let df = DateContext {
        day_first: Some(true),
        ..c
    };
    check(
        &c,
        &[
            ("Jan 9", st("2026-01-09T00:00:00Z", YearInferred)),
            ("9 Jan", st("2026-01-09T00:00:00Z", YearInferred)),
            ("Dec 28", st("2025-12-28T00:00:00Z", YearInferred)),
            ("9 ene.", st("2026-01-09T00:00:00Z", YearInferred)),
            ("9 janv.", st("2026-01-09T00:00:00Z", YearInferred)),
            ("9. Januar", st("2026-01-09T00:00:00Z", YearInferred)),
            ("9 de janeiro", st("2026-01-09T00:00:00Z", YearInferred)),
            ("9 gennaio", st("2026-01-09T00:00:00Z", YearInferred)),
            (
                "lunes, 9 de enero",
                st("2026-01-09T00:00:00Z", YearInferred),
            ),
            ("28 dic", st("2025-12-28T00:00:00Z", YearInferred)),
            ("Jan 9, 3:04 PM", st("2026-01-09T15:04:00Z", YearInferred)),
            (
                "9 janvier à 14h30",
                st("2026-01-09T14:30:00Z", YearInferred),
            ),
            // within a day of now: this year; beyond: last year
            ("Jan 13", st("2026-01-13T00:00:00Z", YearInferred)),
            ("Jan 14", st("2025-01-14T00:00:00Z", YearInferred)),
            ("Feb 29", st("2024-02-29T00:00:00Z", YearInferred)),
            (
                "Writer: Ana · Jan 9 · 2 min read",
                st("2026-01-09T00:00:00Z", YearInferred),
            ),
        ],
    );
    check(&df, &[("28/12", st("2025-12-28T00:00:00Z", YearInferred))]);
}

#[test]
fn partial_dates_on_new_year_in_the_source_timezone() {
    // 00:30 on 1 January in Chicago (06:30 UTC).
    let jan1 = cx("2026-01-01T06:30:00Z", "America/Chicago", Some("en"));
    check(
        &jan1,
        &[
            ("Dec 31", st("2025-12-31T00:00:00-06:00", YearInferred)),
            ("Jan 1", st("2026-01-01T00:00:00-06:00", YearInferred)),
            ("Jan 2", st("2026-01-02T00:00:00-06:00", YearInferred)),
            ("Jan 3", st("2025-01-03T00:00:00-06:00", YearInferred)),
        ],
    );
    // 23:00 on 31 December in Chicago is already 1 January in UTC: the local year decides.
    let dec31 = cx("2026-01-01T05:00:00Z", "America/Chicago", Some("en"));
    check(
        &dec31,
        &[
            ("Dec 31", st("2025-12-31T00:00:00-06:00", YearInferred)),
            ("Dec 30", st("2025-12-30T00:00:00-06:00", YearInferred)),
            ("Jan 1", st("2026-01-01T00:00:00-06:00", YearInferred)),
            ("Jan 2", st("2025-01-02T00:00:00-06:00", YearInferred)),
            ("yesterday", st("2025-12-30T00:00:00-06:00", Relative)),
        ],
    );
}

#[test]
fn relative_english() {
    // 12:30 on Friday 9 January in Chicago.
    let c = cx("2026-01-09T18:30:00Z", "America/Chicago", Some("en"));
    check(
        &c,
        &[
            ("3 hours ago", st("2026-01-09T09:30:00-06:00", Relative)),
            ("an hour ago", st("2026-01-09T11:30:00-06:00", Relative)),
            (
                "about an hour ago",
                st("2026-01-09T11:30:00-06:00", Relative),
            ),
            ("a minute ago", st("2026-01-09T12:29:00-06:00", Relative)),
            ("30 seconds ago", st("2026-01-09T12:29:30-06:00", Relative)),
            ("5 days ago", st("2026-01-04T00:00:00-06:00", Relative)),
            ("2 weeks ago", st("2025-12-26T00:00:00-06:00", Relative)),
            ("1 month ago", st("2025-12-09T00:00:00-06:00", Relative)),
            ("2 years ago", st("2024-01-09T00:00:00-06:00", Relative)),
            ("yesterday", st("2026-01-08T00:00:00-06:00", Relative)),
            (
                "Yesterday at 14:30",
                st("2026-01-08T14:30:00-06:00", Relative),
            ),
            (
                "yesterday, 2:30 pm",
                st("2026-01-08T14:30:00-06:00", Relative),
            ),
            ("today", st("2026-01-09T00:00:00-06:00", Relative)),
            (
                "Today at 9:05 AM",
                st("2026-01-09T09:05:00-06:00", Relative),
            ),
            ("just now", st("2026-01-09T12:30:00-06:00", Relative)),
            ("now", st("2026-01-09T12:30:00-06:00", Relative)),
            ("last week", st("2026-01-02T00:00:00-06:00", Relative)),
            ("last month", st("2025-12-09T00:00:00-06:00", Relative)),
            ("last monday", st("2026-01-05T00:00:00-06:00", Relative)),
            ("last Friday", st("2026-01-02T00:00:00-06:00", Relative)),
            ("Monday", st("2026-01-05T00:00:00-06:00", Relative)),
            ("Friday at 8:00", st("2026-01-09T08:00:00-06:00", Relative)),
            ("3h ago", st("2026-01-09T09:30:00-06:00", Relative)),
            ("5m", st("2026-01-09T12:25:00-06:00", Relative)),
            ("2d ago", st("2026-01-07T00:00:00-06:00", Relative)),
            ("2d", st("2026-01-07T00:00:00-06:00", Relative)),
            ("3 hrs", st("2026-01-09T09:30:00-06:00", Relative)),
            (
                "Posted 3 hours ago by Ana",
                st("2026-01-09T09:30:00-06:00", Relative),
            ),
            ("(2 days ago)", st("2026-01-07T00:00:00-06:00", Relative)),
        ],
    );
    // Late evening in Chicago is the next day in UTC: days count on the local calendar.
    let late = cx("2026-01-10T03:00:00Z", "America/Chicago", Some("en"));
    check(
        &late,
        &[
            ("yesterday", st("2026-01-08T00:00:00-06:00", Relative)),
            ("today", st("2026-01-09T00:00:00-06:00", Relative)),
            ("1 day ago", st("2026-01-08T00:00:00-06:00", Relative)),
        ],
    );
}

#[test]
fn relative_other_languages() {
    // 12:30 on Friday 9 January in Madrid (11:30 UTC).
    let c = cx("2026-01-09T11:30:00Z", "Europe/Madrid", None);
    let h3 = || st("2026-01-09T09:30:00+01:00", Relative);
    let h1 = || st("2026-01-09T11:30:00+01:00", Relative);
    let yday = || st("2026-01-08T00:00:00+01:00", Relative);
    let today = || st("2026-01-09T00:00:00+01:00", Relative);
    let d2 = || st("2026-01-07T00:00:00+01:00", Relative);
    let now = || st("2026-01-09T12:30:00+01:00", Relative);
    check(
        &c,
        &[
            // es
            ("hace 3 horas", h3()),
            ("hace un día", yday()),
            ("hace una hora", h1()),
            ("Hace 2 días", d2()),
            ("ayer", yday()),
            ("hoy", today()),
            ("anteayer", d2()),
            (
                "ayer a las 14:30",
                st("2026-01-08T14:30:00+01:00", Relative),
            ),
            ("hace un momento", now()),
            (
                "la semana pasada",
                st("2026-01-02T00:00:00+01:00", Relative),
            ),
            ("el lunes pasado", st("2026-01-05T00:00:00+01:00", Relative)),
            // fr
            ("il y a 2 jours", d2()),
            ("il y a une heure", h1()),
            ("Il y a 3 heures", h3()),
            ("hier", yday()),
            ("aujourd'hui", today()),
            (
                "aujourd’hui à 10h15",
                st("2026-01-09T10:15:00+01:00", Relative),
            ),
            ("avant-hier", d2()),
            ("à l'instant", now()),
            ("lundi dernier", st("2026-01-05T00:00:00+01:00", Relative)),
            (
                "la semaine dernière",
                st("2026-01-02T00:00:00+01:00", Relative),
            ),
            // de
            ("vor 30 Minuten", st("2026-01-09T12:00:00+01:00", Relative)),
            ("vor einer Stunde", h1()),
            ("vor 3 Stunden", h3()),
            ("vor 2 Tagen", d2()),
            ("gestern", yday()),
            (
                "Gestern, 14:30 Uhr",
                st("2026-01-08T14:30:00+01:00", Relative),
            ),
            ("heute", today()),
            ("vorgestern", d2()),
            ("gerade eben", now()),
            ("letzte Woche", st("2026-01-02T00:00:00+01:00", Relative)),
            ("letzten Montag", st("2026-01-05T00:00:00+01:00", Relative)),
            // pt
            ("há 3 horas", h3()),
            ("ha 3 horas", h3()),
            ("3 horas atrás", h3()),
            ("há uma hora", h1()),
            ("ontem", yday()),
            ("ontem às 14h30", st("2026-01-08T14:30:00+01:00", Relative)),
            ("hoje", today()),
            ("anteontem", d2()),
            ("semana passada", st("2026-01-02T00:00:00+01:00", Relative)),
            (
                "segunda-feira passada",
                st("2026-01-05T00:00:00+01:00", Relative),
            ),
            // it
            ("3 ore fa", h3()),
            ("un'ora fa", h1()),
            ("2 giorni fa", d2()),
            ("ieri", yday()),
            ("ieri alle 14:30", st("2026-01-08T14:30:00+01:00", Relative)),
            ("oggi", today()),
            ("l'altro ieri", d2()),
            ("poco fa", now()),
            (
                "la settimana scorsa",
                st("2026-01-02T00:00:00+01:00", Relative),
            ),
            ("lunedì scorso", st("2026-01-05T00:00:00+01:00", Relative)),
        ],
    );
    // Compound amounts.
    check(
        &c,
        &[
            (
                "8 hours, 3 minutes ago",
                st("2026-01-09T04:27:00+01:00", Relative),
            ),
            (
                "1 day, 2 hours ago",
                st("2026-01-08T10:30:00+01:00", Relative),
            ),
            (
                "hace 1 mes y 2 días",
                st("2025-12-07T00:00:00+01:00", Relative),
            ),
            (
                "vor 1 Stunde und 30 Minuten",
                st("2026-01-09T11:00:00+01:00", Relative),
            ),
        ],
    );
    // Without a hint, "hier" is French "yesterday" only on its own.
    none(&["Hier klicken"], &c);
    // German "hier" is "here", not French "yesterday".
    let de = cx("2026-01-09T11:30:00Z", "Europe/Berlin", Some("de"));
    none(&["hier", "Hier klicken"], &de);
}

#[test]
fn dst_edges() {
    // America/Chicago: 2026-03-08 02:00 CST → 03:00 CDT; 2026-11-01 02:00 CDT → 01:00 CST.
    let c = cx("2026-12-01T12:00:00Z", "America/Chicago", Some("en"));
    check(
        &c,
        &[
            (
                "March 8, 2026 1:59 AM",
                st("2026-03-08T01:59:00-06:00", Exact),
            ),
            // 02:30 does not exist: shifted forward by the gap
            (
                "March 8, 2026 2:30 AM",
                st("2026-03-08T03:30:00-05:00", Exact),
            ),
            (
                "March 8, 2026 3:00 AM",
                st("2026-03-08T03:00:00-05:00", Exact),
            ),
            ("March 8, 2026", st("2026-03-08T00:00:00-06:00", DateOnly)),
            ("March 9, 2026", st("2026-03-09T00:00:00-05:00", DateOnly)),
            // 01:30 happens twice: the earlier (CDT) instant
            (
                "November 1, 2026 1:30 AM",
                st("2026-11-01T01:30:00-05:00", Exact),
            ),
            (
                "November 1, 2026 2:30 AM",
                st("2026-11-01T02:30:00-06:00", Exact),
            ),
            ("2026-11-01 01:30", st("2026-11-01T01:30:00-05:00", Exact)),
        ],
    );
    // Europe/Madrid: 2026-03-29 02:00 → 03:00; 2026-10-25 03:00 → 02:00.
    let m = DateContext {
        day_first: Some(true),
        ..cx("2026-12-01T12:00:00Z", "Europe/Madrid", Some("es"))
    };
    check(
        &m,
        &[
            ("29/03/2026 02:30", st("2026-03-29T03:30:00+02:00", Exact)),
            ("29/03/2026 01:30", st("2026-03-29T01:30:00+01:00", Exact)),
            ("25.10.2026 02:30", st("2026-10-25T02:30:00+02:00", Exact)),
            (
                "25 de octubre de 2026, 03:30",
                st("2026-10-25T03:30:00+01:00", Exact),
            ),
            (
                "9 de julio de 2026",
                st("2026-07-09T00:00:00+02:00", DateOnly),
            ),
        ],
    );
    // Relative phrases across the spring-forward night.
    let r = cx("2026-03-09T12:00:00Z", "America/Chicago", Some("en"));
    check(
        &r,
        &[
            ("2 days ago", st("2026-03-07T00:00:00-06:00", Relative)),
            ("30 hours ago", st("2026-03-08T00:00:00-06:00", Relative)),
            ("3 hours ago", st("2026-03-09T04:00:00-05:00", Relative)),
        ],
    );
}

#[test]
fn decoys_are_not_dates() {
    let c = cx("2026-01-09T12:00:00Z", "UTC", None);
    none(
        &[
            "3 min read",
            "5 minute read",
            "Lesezeit: 4 Minuten",
            "Temps de lecture : 5 min",
            "1.2k views",
            "12 comments",
            "Updated",
            "12",
            "7",
            "2 of 5",
            "Page 2 of 5",
            "v1.2.3",
            "1.2.3",
            "version 2.10",
            "$12.99",
            "€9,99",
            "12,99 €",
            "+1 (555) 123-4567",
            "555-123-4567",
            "Rated 4/5",
            "4/5 stars",
            "10:30",
            "Share",
            "Read more",
            "",
            "   ",
            "in 3 hours",
        ],
        &c,
    );
    check(
        &c,
        &[
            (
                "Jan 9 · 3 min read",
                st("2026-01-09T00:00:00Z", YearInferred),
            ),
            (
                "3 min read · Jan 9, 2026",
                st("2026-01-09T00:00:00Z", DateOnly),
            ),
            (
                "1.2k views · 2 days ago",
                st("2026-01-07T00:00:00Z", Relative),
            ),
            (
                "12 comments | January 5, 2026",
                st("2026-01-05T00:00:00Z", DateOnly),
            ),
            // several dates: the first
            (
                "Jan 8, 2026 (updated Jan 9, 2026)",
                st("2026-01-08T00:00:00Z", DateOnly),
            ),
        ],
    );
}

#[test]
fn corrupt_machine_dates_are_not_salvaged() {
    let c = cx("2030-01-01T00:00:00Z", "UTC", None);
    none(
        &[
            "Sun, 16 Dec 2012 1:2:3:4 GMT",
            "Sun, 16 Dec zz 11:47:32 GMT",
            "Sun, 16 Dec 2012 11:47:32 +zz:00",
            "Sun, 16 Dec 2012 11:47:32 +00:zz",
            "2003-12-31T25:14:55Z",
            "2003-12-31T10:61:55Z",
            "2013-01-28T11:30:00-06:00Textra",
            "2013-01-28T09:xx:00Z",
            "2004-05-25 오후 11:23:17",
        ],
        &c,
    );
    // An event range keeps its start.
    check(
        &c,
        &[(
            "Jan 9, 2026 9:00 - 11:00",
            st("2026-01-09T09:00:00Z", Exact),
        )],
    );
}

#[test]
fn future_dates_beyond_a_day_are_refused() {
    let c = cx("2026-01-09T12:00:00Z", "UTC", None);
    check(
        &c,
        &[
            ("January 10, 2026", st("2026-01-10T00:00:00Z", DateOnly)),
            ("2026-01-10T11:00:00Z", st("2026-01-10T11:00:00Z", Exact)),
        ],
    );
    none(
        &[
            "January 11, 2026",
            "2026-01-10T13:00:00Z",
            "2027-01-01",
            "Jan 9, 2027",
            "09/10/2026",
        ],
        &c,
    );
}

#[test]
fn explicit_format_first() {
    let base = cx("2026-06-15T12:00:00Z", "Europe/Paris", Some("fr"));
    let with = |f: &'static str| DateContext {
        format: Some(f),
        ..base
    };
    check(
        &with("%d/%m/%Y %H:%M"),
        &[("09/01/2026 14:30", st("2026-01-09T14:30:00+01:00", Exact))],
    );
    check(
        &with("%d %B %Y"),
        &[("9 janvier 2026", st("2026-01-09T00:00:00+01:00", DateOnly))],
    );
    check(
        &with("%Y%m%d"),
        &[("20260109", st("2026-01-09T00:00:00+01:00", DateOnly))],
    );
    check(
        &with("%d.%m. %H:%M"),
        &[(
            "09.01. 14:30",
            st("2026-01-09T14:30:00+01:00", YearInferred),
        )],
    );
    check(
        &with("%Y-%m-%d %H:%M:%S %z"),
        &[(
            "2026-01-09 14:30:00 +0000",
            st("2026-01-09T14:30:00+00:00", Exact),
        )],
    );
    // A format that does not fit falls through to the general rules.
    check(
        &with("%d/%m/%Y"),
        &[("hier", st("2026-06-14T00:00:00+02:00", Relative))],
    );
}

#[test]
fn never_panics() {
    let contexts = [
        cx("2026-01-09T12:00:00Z", "UTC", None),
        cx("2026-03-08T08:30:00Z", "America/Chicago", Some("en")),
        DateContext {
            day_first: Some(true),
            format: Some("%d %B"),
            ..cx("2026-01-01T00:00:00Z", "Pacific/Apia", Some("de"))
        },
        DateContext {
            format: Some("%Q%%%"),
            ..cx("0001-01-01T00:00:00Z", "Asia/Kolkata", Some("xx"))
        },
        cx("9999-12-31T23:59:59Z", "Australia/Lord_Howe", Some("pt")),
    ];
    let odd = [
        "",
        "'",
        "-",
        "a'",
        "'a",
        "il y a",
        "hace",
        "vor",
        "999999999 days ago",
        "4294967295 years ago",
        "4294967296 hours ago",
        "99999 months ago",
        "Feb 29",
        "31 Feb",
        "00/00",
        "99/99/9999",
        "1er",
        "9 de",
        "yesterday at",
        "yesterday at 25:00",
        "last",
        "letzten",
        "ora",
        "12:60 pm",
        "13 pm",
        "0 am",
        "\u{0}\u{1}",
        "ß",
        "İstanbul 9 Ocak 2026",
        "١٢ يناير ٢٠٢٦",
        "2026年1月9日",
        "🙂 Jan 9 🙂",
        "Jan 9 +99:99",
        "Jan 9 3:04 pm GMT+",
        "Jan 9 3:04 pm +",
    ];
    for c in &contexts {
        for s in odd {
            let _ = parse_human_date(s, c);
        }
        let long = "Jan 9 ".repeat(500);
        let _ = parse_human_date(&long, c);
        let _ = parse_human_date(&"9".repeat(2000), c);
    }
    // A cheap deterministic fuzz over a date-shaped alphabet and vocabulary.
    let pieces = [
        "0", "1", "9", "12", "31", "2026", " ", ":", "/", ".", "-", "+", ",", "'", "am", "pm", "h",
        "Jan", "janv", "de", "hace", "ago", "il y a", "vor", "fa", "hier", "ayer", "last", "3h",
        "min", "Uhr", "T", "Z", "GMT", "é", "º", "·", "ß", "mar", "feira",
    ];
    let mut x: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..15_000 {
        let mut s = String::new();
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        for _ in 0..(x % 9) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            s.push_str(pieces[(x % pieces.len() as u64) as usize]);
        }
        for c in &contexts {
            if let Some(st) = parse_human_date(&s, c) {
                // Never beyond the tolerance.
                assert!(
                    st.utc <= c.now + Duration::days(1) || c.now.timestamp() > 253_000_000_000,
                    "{s:?} -> {st:?}"
                );
            }
        }
    }
}

#[test]
fn month_and_year_have_month_precision() {
    let c = cx("2026-03-15T12:00:00Z", "Europe/Paris", None);
    check(
        &c,
        &[
            ("November 2003", st("2003-11-01T00:00:00+01:00", Month)),
            ("Nov. 2003", st("2003-11-01T00:00:00+01:00", Month)),
            ("Nov 2003", st("2003-11-01T00:00:00+01:00", Month)),
            ("2003-11", st("2003-11-01T00:00:00+01:00", Month)),
            ("novembre 2003", st("2003-11-01T00:00:00+01:00", Month)),
            ("noviembre de 2003", st("2003-11-01T00:00:00+01:00", Month)),
            ("im November 2003", st("2003-11-01T00:00:00+01:00", Month)),
            (
                "Veröffentlicht im Juni 2004",
                st("2004-06-01T00:00:00+02:00", Month),
            ),
            (
                "Published: June 2004",
                st("2004-06-01T00:00:00+02:00", Month),
            ),
            ("giugno 2004", st("2004-06-01T00:00:00+02:00", Month)),
            ("junho de 2004 |", st("2004-06-01T00:00:00+02:00", Month)),
            // A day makes it a full date, as before.
            ("9 November 2003", st("2003-11-09T00:00:00+01:00", DateOnly)),
            // This month is not in the future.
            ("March 2026", st("2026-03-01T00:00:00+01:00", Month)),
        ],
    );
    none(
        &[
            // Running prose: the month is what the sentence is about.
            "In November 2003 the company moved its offices to a new building",
            "Sales rose 4% in November 2003",
            // A time without a day is no date; a month to come is refused.
            "November 2003 14:00",
            "April 2026",
        ],
        &c,
    );
    // A full date in the same text wins over a month and year before it.
    check(
        &c,
        &[(
            "Archive: November 2003, posted 9 November 2003",
            st("2003-11-09T00:00:00+01:00", DateOnly),
        )],
    );
}

#[test]
fn day_first_from_the_page_language() {
    for tag in [
        "en-GB",
        "en_GB",
        "en-gb",
        "en-AU",
        "en-IE",
        "en-NZ",
        "en-IN",
        "en-Latn-GB",
        "fr",
        "fr-CA",
        "de-DE",
        "es",
        "it-IT",
        "pt-BR",
        "nl",
        "pl",
    ] {
        assert!(day_first_language(tag), "{tag}");
    }
    for tag in [
        "en", "en-US", "en_US", "en-CA", "en-PH", "", "x", "ja", "zh-CN", "ko", "hu", "*", "1234",
    ] {
        assert!(!day_first_language(tag), "{tag}");
    }
}

#[test]
fn day_month_name_year_glued_by_dashes() {
    let c = cx("2026-03-15T12:00:00Z", "UTC", None);
    check(
        &c,
        &[
            (
                "by Ana on 04-ago-2021 5:11:10",
                st("2021-08-04T05:11:10Z", Exact),
            ),
            ("13-Jan-2004", st("2004-01-13T00:00:00Z", DateOnly)),
            ("Posted 9-Mar-2024", st("2024-03-09T00:00:00Z", DateOnly)),
            ("le 5/déc/2023", st("2023-12-05T00:00:00Z", DateOnly)),
        ],
    );
    // A dash run that is not day-month-year stays refused.
    none(&["04-ago", "item 4-may-be"], &c);
}
