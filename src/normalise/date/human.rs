//! Dates as people write them on web pages, in English, Spanish, French, German, Portuguese and
//! Italian, resolved against a [`DateContext`]. The rules are documented on
//! [`super::parse_human_date`]; this module is the machinery.
//!
//! The text is lower-cased and folded (accents off, see [`lang::fold_char`]) and split into
//! tokens: digit runs, letter runs and single symbols, each marked with whether whitespace came
//! before it. An apostrophe or hyphen between two letters is dropped and the words glued
//! (`aujourd'hui`, `avant-hier`, `un'ora`, `segunda-feira`). Then, in order:
//!
//! 1. forms only accepted as the whole text: "now" / "ahora" / "jetzt", a bare amount and unit
//!    ("5m", "3 hrs", "2d"), a bare weekday with an optional time;
//! 2. a scan from left to right where, at each token, a relative phrase is tried and then a
//!    written date; the first that matches wins, so in "Jan 9 · 3 min read" the date wins and in
//!    "3 min read · Jan 9" the reading time is skipped (it is no relative phrase: there is no
//!    "ago").
//!
//! A written date is a run of tokens that fill slots: a month name, a day (`9`, `9th`, `1er`,
//! `9.`), a four-digit year, a time (`3:04 pm`, `14h30`, `14.30 Uhr`, `3 pm`), a zone after the
//! time, a numeric group (`2026-01-09`, `09/01/2026`, `9.1.2026`, `09/01`), with weekdays and
//! filler words (`de`, `of`, `le`, `am`, `um`, `alle`, `às`) skipped. The run ends at the first
//! token that fits no free slot. It counts only with a day and a month — or, as the whole text
//! (a few label words before it at most), a month and a year (`Month` precision). Numbers glued to
//! something that makes them another thing (`v1.2`, `$12`, `1.2k`, `3min`) start no date, and a
//! day-month numeric pair (`09/01`) counts only as the whole text or next to a time, since
//! "4/5 stars" is a rating.

use super::lang::{self, Langs, Unit};
use super::{DateContext, local_of, not_future, parse_date, stamp_local, stamp_utc};
use crate::model::{DatePrecision, Stamp};
use chrono::{
    DateTime, Datelike, Days, Duration, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime,
    TimeZone, Utc,
};

/// Longer texts are not a date field.
const MAX_INPUT: usize = 1000;
/// Only the first tokens are scanned (the first date wins anyway).
const MAX_TOKENS: usize = 160;
/// Relative amounts above this are not believed ("99999 days ago").
const MAX_AMOUNT: u32 = 10_000;

pub(super) fn parse(text: &str, ctx: &DateContext<'_>) -> Option<Stamp> {
    let t = text.trim();
    if t.is_empty() || t.len() > MAX_INPUT {
        return None;
    }
    let langs = Langs::from_hint(ctx.language);
    if let Some(fmt) = ctx.format.filter(|f| !f.trim().is_empty())
        && let Some(s) = with_format(t, fmt, ctx, langs)
    {
        return Some(s);
    }
    if let Some(d) = parse_date(t) {
        let s = if d.offset_known {
            Stamp {
                utc: d.at.with_timezone(&Utc),
                offset_secs: d.at.offset().local_minus_utc(),
                precision: d.precision,
            }
        } else {
            stamp_local(ctx, d.at.naive_local(), d.precision)?
        };
        return not_future(s.utc, ctx.now).then_some(s);
    }
    let folded = fold(t);
    let toks = tokenise(&folded);
    Scanner {
        toks: &toks,
        ctx,
        langs,
    }
    .scan()
}

/// Lower-case and fold the text for lookups.
fn fold(t: &str) -> String {
    let mut out = String::with_capacity(t.len() + 8);
    for c in t.chars() {
        for l in c.to_lowercase() {
            let (a, b) = lang::fold_char(l);
            out.push(a);
            if let Some(b) = b {
                out.push(b);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Explicit formats

/// Whether a chrono format names the year somewhere.
fn format_has_year(fmt: &str) -> bool {
    [
        "%Y", "%y", "%C", "%G", "%g", "%s", "%+", "%c", "%D", "%x", "%F", "%v",
    ]
    .iter()
    .any(|spec| fmt.contains(spec))
}

/// Try `ctx.format` on the text, then on the text with localised month and weekday names put in
/// English (chrono's `%b`/`%B`/`%a`/`%A` read English only).
fn with_format(t: &str, fmt: &str, ctx: &DateContext<'_>, langs: Langs) -> Option<Stamp> {
    let english = englished(t, langs);
    let texts: &[&str] = if english != t { &[t, &english] } else { &[t] };
    for &text in texts {
        if let Some(s) = format_once(text, fmt, ctx) {
            return Some(s);
        }
    }
    None
}

fn format_once(text: &str, fmt: &str, ctx: &DateContext<'_>) -> Option<Stamp> {
    let ok = |s: Stamp| not_future(s.utc, ctx.now).then_some(s);
    if let Ok(dt) = DateTime::parse_from_str(text, fmt) {
        return ok(Stamp {
            utc: dt.with_timezone(&Utc),
            offset_secs: dt.offset().local_minus_utc(),
            precision: DatePrecision::Exact,
        });
    }
    if let Ok(ndt) = NaiveDateTime::parse_from_str(text, fmt) {
        return ok(stamp_local(ctx, ndt, DatePrecision::Exact)?);
    }
    if let Ok(d) = NaiveDate::parse_from_str(text, fmt) {
        return ok(stamp_local(
            ctx,
            d.and_time(NaiveTime::MIN),
            DatePrecision::DateOnly,
        )?);
    }
    if format_has_year(fmt) {
        return None;
    }
    // No year in the format: the most recent year that gives a date not in the future.
    let this_year = local_of(ctx.timezone, ctx.now).year();
    let fmt_y = format!("{fmt} %Y");
    for back in -1..=8 {
        let year = this_year - back;
        let text_y = format!("{text} {year}");
        let local = if let Ok(ndt) = NaiveDateTime::parse_from_str(&text_y, &fmt_y) {
            ndt
        } else if let Ok(d) = NaiveDate::parse_from_str(&text_y, &fmt_y) {
            d.and_time(NaiveTime::MIN)
        } else {
            continue;
        };
        if let Some(s) = stamp_local(ctx, local, DatePrecision::YearInferred)
            && not_future(s.utc, ctx.now)
        {
            return Some(s);
        }
    }
    None
}

/// The text with month and weekday names of any allowed language replaced by English ones.
fn englished(t: &str, langs: Langs) -> String {
    const EN_MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const EN_DAYS: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let mut out = String::with_capacity(t.len() + 16);
    let mut word = String::new();
    let mut raw = String::new();
    let flush = |out: &mut String, word: &mut String, raw: &mut String| {
        if !raw.is_empty() {
            let folded = fold(raw);
            if let Some(m) = lang::month_of(&folded, langs) {
                out.push_str(EN_MONTHS[(m - 1) as usize]);
            } else if let Some(d) = lang::weekday_of(&folded, langs) {
                out.push_str(EN_DAYS[d as usize]);
            } else {
                out.push_str(raw);
            }
        }
        word.clear();
        raw.clear();
    };
    for c in t.chars() {
        if c.is_alphabetic() {
            raw.push(c);
            word.push(c);
        } else {
            flush(&mut out, &mut word, &mut raw);
            out.push(c);
        }
    }
    flush(&mut out, &mut word, &mut raw);
    out
}

// ---------------------------------------------------------------------------------------------
// Tokens

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Num,
    Word,
    Sym(char),
}

#[derive(Debug, Clone, Copy)]
struct Tok<'s> {
    kind: Kind,
    text: &'s str,
    /// Whitespace (or the start of the text) came before it.
    spaced: bool,
}

fn tokenise(s: &str) -> Vec<Tok<'_>> {
    let mut out: Vec<Tok<'_>> = Vec::with_capacity(16);
    let mut spaced = true;
    let mut it = s.char_indices().peekable();
    while let Some((start, c)) = it.next() {
        if out.len() >= MAX_TOKENS {
            break;
        }
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        if (c == '\'' || c == '-')
            && !spaced
            && out.last().is_some_and(|t| t.kind == Kind::Word)
            && it.peek().is_some_and(|&(_, n)| n.is_alphabetic())
        {
            // Word-internal apostrophe or hyphen: glue the words.
            continue;
        }
        let mut end = start + c.len_utf8();
        let kind = if c.is_ascii_digit() {
            end = super::absolute::extend_run(&mut it, end, |d| d.is_ascii_digit());
            Kind::Num
        } else if c.is_alphabetic() {
            end = super::absolute::extend_run(&mut it, end, char::is_alphabetic);
            Kind::Word
        } else {
            Kind::Sym(c)
        };
        if let Some(text) = s.get(start..end) {
            out.push(Tok { kind, text, spaced });
        }
        spaced = false;
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Scanner

struct Scanner<'t, 's, 'c> {
    toks: &'t [Tok<'s>],
    ctx: &'c DateContext<'c>,
    langs: Langs,
}

/// Slots of a written date.
#[derive(Debug, Default)]
struct Slots {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
    time: Option<NaiveTime>,
    /// Seconds east of UTC, when the text gave a zone.
    offset: Option<i32>,
    /// The date came from a day-month numeric pair (`09/01`).
    short_numeric: bool,
}

impl Slots {
    fn date_started(&self) -> bool {
        self.year.is_some() || self.month.is_some() || self.day.is_some()
    }
}

/// What a numeric group (`2026-01-09`, `09/01/26`, `9.1.`) turned out to be.
enum Group {
    /// Not a group (one number alone).
    No,
    /// A group that is no date (`1.2.3`, `555-123-4567`, `1.2k`): the run ends.
    Bad,
    Date {
        year: Option<i32>,
        month: u32,
        day: u32,
        end: usize,
    },
}

/// Zone abbreviations that are also ordinary words in our languages.
const NOT_ZONES: [&str; 9] = ["at", "et", "ist", "art", "cat", "met", "wat", "west", "z"];

/// Symbols that may stand glued right before a number that starts a date.
const OK_BEFORE: [char; 11] = ['(', '[', '"', '\'', ',', ';', '|', ':', '>', '«', '“'];

/// Symbols that may end a written date glued to it (besides [`OK_AFTER`]).
const TERMINATORS: [char; 7] = ['!', '?', '·', '•', '/', ':', '<'];

/// Symbols that may stand glued right after a numeric date group.
const OK_AFTER: [char; 10] = [',', '.', ';', ')', ']', '"', '\'', '|', '»', '”'];

impl<'s> Scanner<'_, 's, '_> {
    fn tok(&self, j: usize) -> Option<Tok<'s>> {
        self.toks.get(j).copied()
    }

    fn glued(&self, j: usize) -> Option<Tok<'s>> {
        self.tok(j).filter(|t| !t.spaced)
    }

    fn word(&self, j: usize) -> Option<&'s str> {
        self.tok(j).filter(|t| t.kind == Kind::Word).map(|t| t.text)
    }

    fn is_sym(&self, j: usize, c: char) -> bool {
        matches!(self.tok(j), Some(Tok { kind: Kind::Sym(s), .. }) if s == c)
    }

    fn glued_sym(&self, j: usize, c: char) -> bool {
        self.glued(j).is_some() && self.is_sym(j, c)
    }

    fn num(&self, j: usize) -> Option<(u32, usize)> {
        let t = self.tok(j).filter(|t| t.kind == Kind::Num)?;
        if t.text.len() > 9 {
            return None;
        }
        Some((t.text.parse().ok()?, t.text.len()))
    }

    fn now_local(&self) -> NaiveDateTime {
        local_of(self.ctx.timezone, self.ctx.now)
    }

    fn scan(&self) -> Option<Stamp> {
        if let Some(s) = self.whole_only() {
            return Some(s);
        }
        for i in 0..self.toks.len() {
            if let Some(s) = self.relative_at(i) {
                return Some(s);
            }
            if let Some(s) = self.absolute_at(i) {
                return Some(s);
            }
        }
        None
    }

    /// The first and one-past-last non-symbol tokens.
    fn content(&self) -> Option<(usize, usize)> {
        let a = self
            .toks
            .iter()
            .position(|t| !matches!(t.kind, Kind::Sym(_)))?;
        let b = self
            .toks
            .iter()
            .rposition(|t| !matches!(t.kind, Kind::Sym(_)))?;
        Some((a, b + 1))
    }

    // -----------------------------------------------------------------------------------------
    // Relative phrases

    /// Forms accepted only as the whole text.
    fn whole_only(&self) -> Option<Stamp> {
        let (a, b) = self.content()?;
        if b == a + 1
            && let Some(w) = self.word(a)
            && lang::NOW_WORDS
                .iter()
                .any(|&(l, n)| self.langs.has(l) && n == w)
        {
            return Some(stamp_utc(self.ctx, self.ctx.now, DatePrecision::Relative));
        }
        if let Some((n, unit, end)) = self.amount_unit(a)
            && end == b
        {
            return self.back(n, unit);
        }
        // A weekday on its own, with an optional time: the most recent such day.
        if let Some(wd) = self.weekday_at(a) {
            let mut k = self.after_weekday(a);
            let time = match self.skip_to_time(k) {
                Some((t, end)) => {
                    k = end;
                    Some(t)
                }
                None => None,
            };
            if self.only_symbols_from(k) {
                return self.weekday_back(wd, false, time);
            }
        }
        None
    }

    fn only_symbols_from(&self, k: usize) -> bool {
        self.toks
            .get(k..)
            .is_none_or(|r| r.iter().all(|t| matches!(t.kind, Kind::Sym(_))))
    }

    /// The words of `phrase` at `j`, consecutive: the index after them.
    fn phrase_at(&self, j: usize, phrase: &[&str]) -> Option<usize> {
        for (k, w) in phrase.iter().enumerate() {
            if self.word(j + k)? != *w {
                return None;
            }
        }
        Some(j + phrase.len())
    }

    /// An amount and a unit at `j`: "3 hours", "3h", "an hour", "einer Stunde", "un'ora".
    fn amount_unit(&self, j: usize) -> Option<(u32, Unit, usize)> {
        let t = self.tok(j)?;
        let n = match t.kind {
            Kind::Num => self.num(j)?.0,
            Kind::Word => lang::amount_of(t.text, self.langs)?,
            Kind::Sym(_) => return None,
        };
        if n > MAX_AMOUNT {
            return None;
        }
        let u = self.word(j + 1)?;
        let unit = lang::unit_of(u, self.langs)?;
        // A unit glued to more letters or digits is something else ("3hx", "5m2").
        if let Some(next) = self.glued(j + 2)
            && matches!(next.kind, Kind::Num | Kind::Word)
        {
            return None;
        }
        Some((n, unit, j + 2))
    }

    fn relative_at(&self, i: usize) -> Option<Stamp> {
        let langs = self.langs;
        for &(l, p) in lang::NOW_PHRASES {
            if langs.has(l) && self.phrase_at(i, p).is_some() {
                return Some(stamp_utc(self.ctx, self.ctx.now, DatePrecision::Relative));
            }
        }
        for &(l, p, days) in lang::DAY_WORDS {
            if !langs.has(l) {
                continue;
            }
            let Some(end) = self.phrase_at(i, p) else {
                continue;
            };
            // "today's", "hierarchy"-like glued continuations are other words.
            if self.glued(end).is_some_and(|t| t.kind == Kind::Word) {
                continue;
            }
            let day = self
                .now_local()
                .date()
                .checked_sub_days(Days::new(days.into()))?;
            let timed = self.skip_to_time(end);
            // French "hier" is German "here": without a French hint, only on its own.
            if p == ["hier"]
                && !langs.explicit(lang::Lang::Fr)
                && !self.only_symbols_from(timed.map_or(end, |(_, e)| e))
            {
                continue;
            }
            let time = timed.map(|(t, _)| t);
            return stamp_local(
                self.ctx,
                day.and_time(time.unwrap_or(NaiveTime::MIN)),
                DatePrecision::Relative,
            );
        }
        for &(l, p) in lang::BEFORE_AMOUNT {
            if !langs.has(l) {
                continue;
            }
            if let Some(j) = self.phrase_at(i, p)
                && let Some(parts) = self.amount_chain(j)
            {
                return self.back_chain(&parts.0);
            }
        }
        if let Some((parts, end)) = self.amount_chain(i)
            && let Some(w) = self.word(end)
            && lang::AFTER_UNIT
                .iter()
                .any(|&(l, a)| langs.has(l) && a == w)
        {
            return self.back_chain(&parts);
        }
        self.last_at(i)
    }

    /// Amounts and units in a row: "8 hours, 3 minutes", "1 día y 2 horas" (at most four).
    fn amount_chain(&self, j: usize) -> Option<(Vec<(u32, Unit)>, usize)> {
        let (n, u, mut end) = self.amount_unit(j)?;
        let mut parts = vec![(n, u)];
        while parts.len() < 4 {
            let mut k = end;
            if self.is_sym(k, ',') {
                k += 1;
            }
            if matches!(self.word(k), Some("and" | "y" | "et" | "und" | "e")) {
                k += 1;
            }
            if k == end {
                break;
            }
            let Some((n, u, e)) = self.amount_unit(k) else {
                break;
            };
            parts.push((n, u));
            end = e;
        }
        Some((parts, end))
    }

    /// [`Self::back`] for a chain: calendar steps when every unit is a day or coarser, else an
    /// exact duration (a day 24 h, a week 7 days, a month 30 days, a year 365 days).
    fn back_chain(&self, parts: &[(u32, Unit)]) -> Option<Stamp> {
        let sub_day = |u: Unit| matches!(u, Unit::Second | Unit::Minute | Unit::Hour);
        match parts {
            [] => None,
            [(n, u)] => self.back(*n, *u),
            _ if parts.iter().all(|&(_, u)| !sub_day(u)) => {
                let mut day = self.now_local().date();
                for &(n, u) in parts {
                    day = match u {
                        Unit::Week => day.checked_sub_days(Days::new(u64::from(n) * 7))?,
                        Unit::Month => day.checked_sub_months(Months::new(n))?,
                        Unit::Year => day.checked_sub_months(Months::new(n.checked_mul(12)?))?,
                        _ => day.checked_sub_days(Days::new(n.into()))?,
                    };
                }
                stamp_local(
                    self.ctx,
                    day.and_time(NaiveTime::MIN),
                    DatePrecision::Relative,
                )
            }
            _ => {
                let mut secs: i64 = 0;
                for &(n, u) in parts {
                    let k: i64 = match u {
                        Unit::Second => 1,
                        Unit::Minute => 60,
                        Unit::Hour => 3600,
                        Unit::Day => 86_400,
                        Unit::Week => 604_800,
                        Unit::Month => 30 * 86_400,
                        Unit::Year => 365 * 86_400,
                    };
                    secs = secs.checked_add(i64::from(n).checked_mul(k)?)?;
                }
                let t = self
                    .ctx
                    .now
                    .checked_sub_signed(Duration::try_seconds(secs)?)?;
                Some(stamp_utc(self.ctx, t, DatePrecision::Relative))
            }
        }
    }

    /// "last week", "letzten Montag", "la semana pasada", "lundi dernier", "mês passado".
    fn last_at(&self, i: usize) -> Option<Stamp> {
        let langs = self.langs;
        let w = self.word(i)?;
        if lang::LAST_BEFORE
            .iter()
            .any(|&(l, x)| langs.has(l) && x == w)
        {
            if let Some(wd) = self.weekday_at(i + 1) {
                return self.weekday_back(wd, true, None);
            }
            let unit = lang::unit_of(self.word(i + 1)?, langs)?;
            return self.last_unit(unit);
        }
        let (what, k) = if let Some(wd) = self.weekday_at(i) {
            (Err(wd), self.after_weekday(i))
        } else {
            (Ok(lang::unit_of(w, langs)?), i + 1)
        };
        let past = self.word(k)?;
        if !lang::LAST_AFTER
            .iter()
            .any(|&(l, x)| langs.has(l) && x == past)
        {
            return None;
        }
        match what {
            Err(wd) => self.weekday_back(wd, true, None),
            Ok(unit) => self.last_unit(unit),
        }
    }

    fn last_unit(&self, unit: Unit) -> Option<Stamp> {
        match unit {
            Unit::Week | Unit::Month | Unit::Year => self.back(1, unit),
            _ => None,
        }
    }

    /// `now − n units`: exact for sub-day units, local midnight of the day for coarser ones.
    fn back(&self, n: u32, unit: Unit) -> Option<Stamp> {
        let secs = match unit {
            Unit::Second => 1,
            Unit::Minute => 60,
            Unit::Hour => 3600,
            _ => 0,
        };
        if secs > 0 {
            let d = Duration::try_seconds(i64::from(n) * secs)?;
            let t = self.ctx.now.checked_sub_signed(d)?;
            return Some(stamp_utc(self.ctx, t, DatePrecision::Relative));
        }
        let today = self.now_local().date();
        let day = match unit {
            Unit::Day => today.checked_sub_days(Days::new(n.into()))?,
            Unit::Week => today.checked_sub_days(Days::new(u64::from(n) * 7))?,
            Unit::Month => today.checked_sub_months(Months::new(n))?,
            _ => today.checked_sub_months(Months::new(n.checked_mul(12)?))?,
        };
        stamp_local(
            self.ctx,
            day.and_time(NaiveTime::MIN),
            DatePrecision::Relative,
        )
    }

    /// The most recent local day with weekday `wd` (0 = Monday): strictly before today when
    /// `strict` ("last monday"), else today counts.
    fn weekday_back(&self, wd: u32, strict: bool, time: Option<NaiveTime>) -> Option<Stamp> {
        let today = self.now_local().date();
        let cur = today.weekday().num_days_from_monday();
        let mut back = (cur + 7 - wd) % 7;
        if strict && back == 0 {
            back = 7;
        }
        let day = today.checked_sub_days(Days::new(back.into()))?;
        let s = stamp_local(
            self.ctx,
            day.and_time(time.unwrap_or(NaiveTime::MIN)),
            DatePrecision::Relative,
        )?;
        not_future(s.utc, self.ctx.now).then_some(s)
    }

    /// After a day word or weekday: skip ", at / a las / à / um / alle / às" and read a time.
    fn skip_to_time(&self, mut k: usize) -> Option<(NaiveTime, usize)> {
        for _ in 0..3 {
            if let Some(r) = self.time_at(k) {
                return Some(r);
            }
            let t = self.tok(k)?;
            let skippable = match t.kind {
                Kind::Sym(c) => matches!(c, ',' | '-' | '@' | '.'),
                Kind::Word => matches!(
                    t.text,
                    "at" | "a" | "las" | "la" | "um" | "alle" | "as" | "ore" | "ás" | "em"
                ),
                Kind::Num => false,
            };
            if !skippable {
                return None;
            }
            k += 1;
        }
        None
    }

    // -----------------------------------------------------------------------------------------
    // Written dates

    /// The month named at `j`, unless the word is also a weekday abbreviation (`mar`) and a
    /// month that is only a month follows closely ("mar, 9 ene").
    fn month_at(&self, j: usize) -> Option<u32> {
        let w = self.word(j)?;
        let m = lang::month_of(w, self.langs)?;
        if lang::weekday_of(w, self.langs).is_some() {
            let later = (j + 1..j + 7).any(|k| {
                self.word(k).is_some_and(|x| {
                    lang::month_of(x, self.langs).is_some()
                        && lang::weekday_of(x, self.langs).is_none()
                })
            });
            if later {
                return None;
            }
        }
        Some(m)
    }

    /// The weekday named at `j` (German two-letter abbreviations only before `.` or `,`).
    fn weekday_at(&self, j: usize) -> Option<u32> {
        let w = self.word(j)?;
        if let Some(d) = lang::weekday_of(w, self.langs) {
            return Some(d);
        }
        if lang::short_weekday(w, self.langs)
            && (self.is_sym(j + 1, '.') || self.is_sym(j + 1, ','))
        {
            return ["mo", "di", "mi", "do", "fr", "sa", "so"]
                .iter()
                .position(|x| *x == w)
                .map(|p| p as u32);
        }
        None
    }

    /// The index after a weekday word and its `.` or `-feira`.
    fn after_weekday(&self, j: usize) -> usize {
        let mut k = j + 1;
        if self.glued(k).is_some() && self.word(k) == Some("feira") {
            k += 1;
        }
        if self.glued_sym(k, '.') {
            k += 1;
        }
        k
    }

    /// `am`/`pm`/`a.m.`/`p. m.` at `j`: (is pm, index after).
    fn meridiem(&self, j: usize) -> Option<(bool, usize)> {
        let w = self.word(j)?;
        match w {
            "am" | "pm" => return Some((w == "pm", j + 1)),
            "a" | "p" => {}
            _ => return None,
        }
        if self.glued_sym(j + 1, '.') && self.word(j + 2) == Some("m") {
            let end = if self.is_sym(j + 3, '.') {
                j + 4
            } else {
                j + 3
            };
            return Some((w == "p", end));
        }
        None
    }

    /// A time of day at `j`: `15:04[:05[.123]]`, `3:04 pm`, `3 pm`, `14h30`, `14h`, `14.30 Uhr`,
    /// `14 Uhr`, `15:04 h`.
    fn time_at(&self, j: usize) -> Option<(NaiveTime, usize)> {
        let (h, w) = self.num(j)?;
        if w > 2 {
            return None;
        }
        let (mut m, mut s, mut nano) = (0, 0, 0);
        let mut k;
        let mut clock24 = false;
        if self.glued_sym(j + 1, ':') && self.glued(j + 2).is_some() {
            let (mm, mw) = self.num(j + 2)?;
            if mw != 2 {
                return None;
            }
            m = mm;
            k = j + 3;
            if self.glued_sym(k, ':') && self.glued(k + 1).is_some() {
                let (ss, sw) = self.num(k + 1)?;
                if sw != 2 {
                    return None;
                }
                s = ss;
                k += 2;
                if (self.glued_sym(k, '.') || self.glued_sym(k, ',')) && self.glued(k + 1).is_some()
                {
                    let f = self.tok(k + 1).filter(|t| t.kind == Kind::Num)?;
                    nano = nanos(f.text);
                    k += 2;
                }
            }
        } else if self.word(j + 1) == Some("h") {
            // 14h30, 14 h 30, 14h
            k = j + 2;
            clock24 = true;
            if let Some((mm, 2)) = self.num(k) {
                m = mm;
                k += 1;
            }
        } else if self.glued_sym(j + 1, '.')
            && self.glued(j + 2).is_some()
            && self.word(j + 3) == Some("uhr")
        {
            let (mm, mw) = self.num(j + 2)?;
            if mw != 2 {
                return None;
            }
            m = mm;
            k = j + 4;
            clock24 = true;
        } else if self.word(j + 1) == Some("uhr") {
            k = j + 2;
            clock24 = true;
        } else if let Some((pm, end)) = self.meridiem(j + 1) {
            let hh = twelve_hour(h, pm)?;
            return Some((NaiveTime::from_hms_opt(hh, 0, 0)?, end));
        } else {
            return None;
        }
        let mut h = h;
        if !clock24
            && let Some((pm, end)) = self.meridiem(k)
            && let Some(hh) = twelve_hour(h, pm)
        {
            h = hh;
            k = end;
        }
        if matches!(self.word(k), Some("uhr" | "h" | "hs" | "hrs")) {
            k += 1;
        }
        if h > 23 || m > 59 || s > 59 {
            return None;
        }
        Some((NaiveTime::from_hms_nano_opt(h, m, s, nano)?, k))
    }

    /// Whether a number at `j` is glued to something that makes it no date (`v1`, `$12`, `#5`).
    fn poisoned_before(&self, j: usize) -> bool {
        if self.tok(j).is_none_or(|t| t.spaced) || j == 0 {
            return false;
        }
        match self.tok(j - 1).map(|t| t.kind) {
            Some(Kind::Sym(c)) => !OK_BEFORE.contains(&c),
            Some(_) => true,
            None => false,
        }
    }

    /// A numeric date group at `j`.
    fn numeric_group(&self, j: usize) -> Group {
        let Some((a, aw)) = self.num(j) else {
            return Group::No;
        };
        let sep = match self.glued(j + 1).map(|t| t.kind) {
            Some(Kind::Sym(c @ ('/' | '.' | '-'))) => c,
            _ => return Group::No,
        };
        let Some((b, bw)) = self.glued(j + 2).and_then(|_| self.num(j + 2)) else {
            return Group::No;
        };
        let mut k = j + 3;
        let mut third = None;
        if self.glued_sym(k, sep)
            && let Some((c, cw)) = self.glued(k + 1).and_then(|_| self.num(k + 1))
        {
            third = Some((c, cw));
            k += 2;
        }
        let mut trailing_dot = false;
        if self.glued_sym(k, sep) {
            if self.glued(k + 1).is_some_and(|t| t.kind == Kind::Num) {
                return Group::Bad; // a fourth part: a version or an address
            }
            trailing_dot = sep == '.';
            k += 1;
        }
        match self.glued(k) {
            Some(Tok {
                kind: Kind::Word,
                text,
                ..
            }) if !(text == "t" && self.glued(k + 1).is_some_and(|t| t.kind == Kind::Num)) => {
                return Group::Bad;
            }
            Some(Tok {
                kind: Kind::Num, ..
            }) => return Group::Bad,
            Some(Tok {
                kind: Kind::Sym(c), ..
            }) if !OK_AFTER.contains(&c) => return Group::Bad,
            _ => {}
        }
        let day_first = self.ctx.day_first.unwrap_or(false);
        let order = |x: u32, z: u32| -> (u32, u32) {
            // (month, day)
            if sep == '.' || (x > 12 && z <= 12) {
                (z, x)
            } else if z > 12 && x <= 12 {
                (x, z)
            } else if day_first {
                (z, x)
            } else {
                (x, z)
            }
        };
        let (year, month, day) = match third {
            Some((c, cw)) => {
                if aw == 4 && bw <= 2 && cw <= 2 {
                    (Some(a as i32), b, c)
                } else if aw <= 2 && bw <= 2 && (cw == 2 || cw == 4) {
                    let (m, d) = order(a, b);
                    let y = if cw == 2 {
                        if c < 50 { 2000 + c } else { 1900 + c }
                    } else {
                        c
                    };
                    (Some(y as i32), m, d)
                } else {
                    return Group::Bad;
                }
            }
            None => {
                if aw <= 2 && bw <= 2 && (sep == '/' || trailing_dot) {
                    let (m, d) = order(a, b);
                    (None, m, d)
                } else {
                    return Group::Bad;
                }
            }
        };
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return Group::Bad;
        }
        Group::Date {
            year,
            month,
            day,
            end: k,
        }
    }

    /// An offset after a time at `j` (the sign token): `+0100`, `-05:00`, `+1`.
    fn offset_at_sign(&self, j: usize) -> Option<(i32, usize)> {
        let neg = self.is_sym(j, '-');
        if !neg && !self.is_sym(j, '+') {
            return None;
        }
        let (v, w) = self.glued(j + 1).and_then(|_| self.num(j + 1))?;
        let (h, m, end) = match w {
            1 | 2 => {
                if self.glued_sym(j + 2, ':') && self.glued(j + 3).is_some() {
                    let (mm, mw) = self.num(j + 3)?;
                    if mw != 2 {
                        return None;
                    }
                    (v, mm, j + 4)
                } else {
                    (v, 0, j + 2)
                }
            }
            4 => (v / 100, v % 100, j + 2),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        let off = (h * 3600 + m * 60) as i32;
        Some((if neg { -off } else { off }, end))
    }

    fn absolute_at(&self, i: usize) -> Option<Stamp> {
        let first = self.tok(i)?;
        match first.kind {
            Kind::Num if !self.poisoned_before(i) => {}
            Kind::Word if self.month_at(i).is_some() || self.weekday_at(i).is_some() => {}
            _ => return None,
        }
        let mut s = Slots::default();
        let mut j = i;
        while let Some(t) = self.tok(j) {
            match t.kind {
                Kind::Num => {
                    if s.time.is_none()
                        && let Some((tm, end)) = self.time_at(j)
                    {
                        s.time = Some(tm);
                        j = end;
                        continue;
                    }
                    match self.numeric_group(j) {
                        Group::Bad => break,
                        Group::Date {
                            year,
                            month,
                            day,
                            end,
                        } => {
                            if s.date_started() {
                                break;
                            }
                            s.year = year;
                            s.month = Some(month);
                            s.day = Some(day);
                            s.short_numeric = year.is_none();
                            j = end;
                            continue;
                        }
                        Group::No => {}
                    }
                    let Some((v, w)) = self.num(j) else { break };
                    if w == 4 && s.year.is_none() && (1000..=2999).contains(&v) {
                        s.year = Some(v as i32);
                        j += 1;
                        continue;
                    }
                    if w > 2 || s.day.is_some() || !(1..=31).contains(&v) {
                        break;
                    }
                    // 9th, 1er, 1º, 1.º
                    let suffix = |k: usize| {
                        self.glued(k)
                            .filter(|t| t.kind == Kind::Word)
                            .is_some_and(|t| lang::ORDINALS.contains(&t.text))
                    };
                    if suffix(j + 1) {
                        j += 2;
                    } else if self.glued_sym(j + 1, '.') && suffix(j + 2) {
                        j += 3;
                    } else if self.glued(j + 1).is_some_and(|t| t.kind == Kind::Word) {
                        break; // 3min, 12k, 5m
                    } else {
                        j += 1;
                    }
                    s.day = Some(v);
                    if self.glued_sym(j, '.') {
                        j += 1;
                    }
                }
                Kind::Word => {
                    let w = t.text;
                    if s.month.is_none()
                        && let Some(m) = self.month_at(j)
                    {
                        s.month = Some(m);
                        j += 1;
                        if self.glued_sym(j, '.') {
                            j += 1;
                        }
                        continue;
                    }
                    if self.weekday_at(j).is_some() {
                        j = self.after_weekday(j);
                        continue;
                    }
                    if w == "t"
                        && s.time.is_none()
                        && s.date_started()
                        && self.glued(j + 1).is_some_and(|t| t.kind == Kind::Num)
                    {
                        j += 1;
                        continue;
                    }
                    if s.time.is_some() && s.offset.is_none() {
                        if w == "z" && !t.spaced {
                            s.offset = Some(0);
                            j += 1;
                            continue;
                        }
                        if !NOT_ZONES.contains(&w)
                            && let Some(mut off) = super::absolute::zone_of(w)
                        {
                            j += 1;
                            if off == 0
                                && let Some((extra, end)) = self.offset_at_sign(j)
                            {
                                off = extra;
                                j = end;
                            }
                            s.offset = Some(off);
                            continue;
                        }
                    }
                    if lang::NOISE.contains(&w) {
                        j += 1;
                        continue;
                    }
                    break;
                }
                Kind::Sym(c) => match c {
                    ',' | '.' | '@' => j += 1,
                    '+' | '-' if s.time.is_some() && s.offset.is_none() => {
                        if let Some((off, end)) = self.offset_at_sign(j) {
                            s.offset = Some(off);
                            j = end;
                        } else if self.glued(j + 1).is_some() {
                            return None; // a broken offset: `+zz:00`, `+00:zz`
                        } else if c == '-' && t.spaced {
                            j += 1;
                        } else {
                            break;
                        }
                    }
                    '-' if t.spaced => j += 1,
                    // "04-ago-2021", "13/Jan/2004": a day, a month name and a year glued by
                    // one separator.
                    '-' | '/'
                        if s.day.is_some()
                            && s.month.is_none()
                            && s.year.is_none()
                            && self.glued_sym(j + 2, c)
                            && self
                                .glued(j + 3)
                                .is_some_and(|n| n.kind == Kind::Num && n.text.len() == 4)
                            && let Some(m) = self
                                .glued(j + 1)
                                .filter(|n| n.kind == Kind::Word)
                                .and_then(|n| lang::month_of(n.text, self.langs.trusting())) =>
                    {
                        // The shape leaves no doubt, so "ago"/"set"/"out" are months here.
                        s.month = Some(m);
                        j += 3;
                    }
                    _ => break,
                },
            }
        }
        let month = s.month?;
        let Some(day) = s.day else {
            return self.month_year(&s, i, j, month);
        };
        if !self.clear_end(j, s.time.is_some()) {
            return None;
        }
        if s.short_numeric && s.time.is_none() {
            // "09/01" alone is a date; "rated 4/5" is not.
            let (a, _) = self.content()?;
            if a != i || !self.only_symbols_from(j) {
                return None;
            }
        }
        self.resolve(&s, month, day)
    }

    /// Whether a run that stopped at `j` is a clear date rather than the readable start of a
    /// corrupt one: it must not stop at something glued to it (`…T25:14`, `…-06:00Textra`), and
    /// a run without a time must not be followed by a clock time it could not take in
    /// (`16 Dec zz 11:47:32`, `16 Dec 2012 1:2:3:4`, `2004-05-25 오후 11:23:17`).
    fn clear_end(&self, j: usize, has_time: bool) -> bool {
        if let Some(t) = self.tok(j)
            && !t.spaced
            && !matches!(t.kind, Kind::Sym(c) if OK_AFTER.contains(&c) || TERMINATORS.contains(&c))
        {
            return false;
        }
        if has_time {
            return true;
        }
        !(j..self.toks.len()).any(|k| {
            self.tok(k).is_some_and(|t| t.kind == Kind::Num)
                && self.glued_sym(k + 1, ':')
                && self.glued(k + 2).is_some_and(|t| t.kind == Kind::Num)
        })
    }

    /// A month and a year without a day ("November 2003", "Nov. 2003", "noviembre de 2003",
    /// "im November 2003"): 00:00 on the first of the month, `Month` precision. Only as the
    /// whole date text — at most three label words before it ("Published", "Veröffentlicht
    /// im"), no number before it and nothing but symbols after it: inside running prose a month
    /// and a year is what the text talks about, not when it was written.
    fn month_year(&self, s: &Slots, i: usize, j: usize, month: u32) -> Option<Stamp> {
        let year = s.year?;
        if s.time.is_some() || s.offset.is_some() || !self.only_symbols_from(j) {
            return None;
        }
        let before = self.toks.get(..i)?;
        if before.iter().any(|t| t.kind == Kind::Num)
            || before.iter().filter(|t| t.kind == Kind::Word).count() > 3
        {
            return None;
        }
        let local = NaiveDate::from_ymd_opt(year, month, 1)?.and_time(NaiveTime::MIN);
        let st = stamp_local(self.ctx, local, DatePrecision::Month)?;
        not_future(st.utc, self.ctx.now).then_some(st)
    }

    fn resolve(&self, s: &Slots, month: u32, day: u32) -> Option<Stamp> {
        let precision_known = if s.time.is_some() {
            DatePrecision::Exact
        } else {
            DatePrecision::DateOnly
        };
        let time = s.time.unwrap_or(NaiveTime::MIN);
        let make = |year: i32, precision: DatePrecision| -> Option<Stamp> {
            let local = NaiveDate::from_ymd_opt(year, month, day)?.and_time(time);
            match s.offset {
                Some(off) => {
                    let at = FixedOffset::east_opt(off)?
                        .from_local_datetime(&local)
                        .single()?;
                    Some(Stamp {
                        utc: at.with_timezone(&Utc),
                        offset_secs: off,
                        precision,
                    })
                }
                None => stamp_local(self.ctx, local, precision),
            }
        };
        if let Some(y) = s.year {
            let st = make(y, precision_known)?;
            return not_future(st.utc, self.ctx.now).then_some(st);
        }
        let this_year = self.now_local().year();
        for back in -1..=8 {
            if let Some(st) = make(this_year - back, DatePrecision::YearInferred)
                && not_future(st.utc, self.ctx.now)
            {
                return Some(st);
            }
        }
        None
    }
}

/// An hour on the 12-hour clock with its meridiem, on the 24-hour clock.
fn twelve_hour(h: u32, pm: bool) -> Option<u32> {
    match (h, pm) {
        (1..=11, false) => Some(h),
        (12, false) => Some(0),
        (1..=11, true) => Some(h + 12),
        (12, true) => Some(12),
        _ => None,
    }
}

/// Fraction digits as nanoseconds.
fn nanos(s: &str) -> u32 {
    let mut n = 0u32;
    let mut scale = 100_000_000u32;
    for b in s.bytes().take(9) {
        n += u32::from(b.wrapping_sub(b'0').min(9)) * scale;
        scale /= 10;
    }
    n
}
