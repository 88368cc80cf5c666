//! Word tables for the human-date engine, in English, Spanish, French, German, Portuguese and
//! Italian: month and weekday names, time units, small amount words ("an", "una", "einer"), the
//! words that make a phrase relative ("ago", "hace", "il y a", "vor", "há", "fa"), day words
//! ("yesterday", "ayer", "hier", "gestern", "ontem", "ieri") and "now" phrases.
//!
//! Every entry is written *folded*: lower case, accents and cedillas removed (`févr` → `fevr`,
//! `März` → `marz`, `sábado` → `sabado`, `ß` → `ss`), since [`fold_char`] folds the input the
//! same way before any lookup. Month and weekday names also match by a prefix of at least three
//! letters (`janv`, `sept`, `Mär`, `mié`) when every name with that prefix means the same month
//! (`jui` is June in one language and July in another, so it matches nothing). A few
//! abbreviations that are ordinary words elsewhere (`out`, `set`, `ago`, `mag`) count as months
//! only when the source's language hint names a language that uses them.

/// A language of the tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Lang {
    En,
    Es,
    Fr,
    De,
    Pt,
    It,
}

impl Lang {
    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

/// The languages a lookup may use, from the source's hint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Langs {
    mask: u8,
    /// The hint named one of our languages (so its risky abbreviations are allowed).
    explicit: bool,
}

impl Langs {
    /// All languages when there is no hint or an unknown one; else the hinted language plus
    /// English (pages in any language often print English dates and "3 min read").
    pub(super) fn from_hint(hint: Option<&str>) -> Langs {
        let code = hint
            .map(|h| h.trim().get(..2).unwrap_or("").to_ascii_lowercase())
            .unwrap_or_default();
        let lang = match code.as_str() {
            "en" => Some(Lang::En),
            "es" => Some(Lang::Es),
            "fr" => Some(Lang::Fr),
            "de" => Some(Lang::De),
            "pt" => Some(Lang::Pt),
            "it" => Some(Lang::It),
            _ => None,
        };
        match lang {
            Some(l) => Langs {
                mask: l.bit() | Lang::En.bit(),
                explicit: true,
            },
            None => Langs {
                mask: 0x3f,
                explicit: false,
            },
        }
    }

    /// The hint named exactly `l`.
    pub(super) fn explicit(self, l: Lang) -> bool {
        self.explicit && self.mask == l.bit() | Lang::En.bit()
    }

    /// The same languages with their risky abbreviations allowed: for a month name in a shape
    /// that can only be a date (`04-ago-2021`).
    pub(super) fn trusting(self) -> Langs {
        Langs {
            explicit: true,
            ..self
        }
    }

    pub(super) fn has(self, l: Lang) -> bool {
        self.mask & l.bit() != 0
    }
}

/// Fold one lower-cased character for lookups: accents off, typographic apostrophes and dashes
/// to ASCII, exotic spaces to a space. Returns up to two characters.
pub(super) fn fold_char(c: char) -> (char, Option<char>) {
    let one = match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ª' => 'a',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'í' | 'ì' | 'î' | 'ï' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'º' | '°' => 'o',
        'ú' | 'ù' | 'û' | 'ü' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'ÿ' => 'y',
        'ß' => return ('s', Some('s')),
        'œ' => return ('o', Some('e')),
        'æ' => return ('a', Some('e')),
        '’' | '‘' | '`' | '´' | 'ʼ' | '′' => '\'',
        '–' | '—' | '‐' | '‑' | '−' => '-',
        '\u{a0}' | '\u{202f}' | '\u{2009}' | '\u{2007}' | '\u{3000}' => ' ',
        c => c,
    };
    (one, None)
}

const MONTHS: &[(Lang, [&str; 12])] = &[
    (
        Lang::En,
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
    ),
    (
        Lang::Es,
        [
            "enero",
            "febrero",
            "marzo",
            "abril",
            "mayo",
            "junio",
            "julio",
            "agosto",
            "septiembre",
            "octubre",
            "noviembre",
            "diciembre",
        ],
    ),
    (
        Lang::Fr,
        [
            "janvier",
            "fevrier",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "aout",
            "septembre",
            "octobre",
            "novembre",
            "decembre",
        ],
    ),
    (
        Lang::De,
        [
            "januar",
            "februar",
            "marz",
            "april",
            "mai",
            "juni",
            "juli",
            "august",
            "september",
            "oktober",
            "november",
            "dezember",
        ],
    ),
    (
        Lang::Pt,
        [
            "janeiro",
            "fevereiro",
            "marco",
            "abril",
            "maio",
            "junho",
            "julho",
            "agosto",
            "setembro",
            "outubro",
            "novembro",
            "dezembro",
        ],
    ),
    (
        Lang::It,
        [
            "gennaio",
            "febbraio",
            "marzo",
            "aprile",
            "maggio",
            "giugno",
            "luglio",
            "agosto",
            "settembre",
            "ottobre",
            "novembre",
            "dicembre",
        ],
    ),
];

/// Spellings that are not prefixes of the names above.
const MONTH_VARIANTS: &[(Lang, &str, u32)] = &[
    (Lang::Es, "setiembre", 9),
    (Lang::Es, "sept", 9),
    (Lang::De, "janner", 1),
    (Lang::De, "feber", 2),
    (Lang::De, "maerz", 3),
    (Lang::Fr, "fev", 2),
    (Lang::Fr, "juil", 7),
];

/// Abbreviations that are common words in some language: months only with an explicit hint.
const RISKY_MONTHS: [&str; 4] = ["out", "set", "ago", "mag"];

/// The month (1–12) a word names in the allowed languages.
pub(super) fn month_of(word: &str, langs: Langs) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    if RISKY_MONTHS.contains(&word) && !langs.explicit {
        return None;
    }
    let mut found = None;
    for &(l, v, m) in MONTH_VARIANTS {
        if langs.has(l) && v == word {
            return Some(m);
        }
    }
    for (l, names) in MONTHS {
        if !langs.has(*l) {
            continue;
        }
        for (i, n) in names.iter().enumerate() {
            if n.starts_with(word) {
                let m = i as u32 + 1;
                match found {
                    None => found = Some(m),
                    Some(f) if f == m => {}
                    Some(_) => return None,
                }
            }
        }
    }
    found
}

const WEEKDAYS: &[(Lang, [&str; 7])] = &[
    (
        Lang::En,
        [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ],
    ),
    (
        Lang::Es,
        [
            "lunes",
            "martes",
            "miercoles",
            "jueves",
            "viernes",
            "sabado",
            "domingo",
        ],
    ),
    (
        Lang::Fr,
        [
            "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
        ],
    ),
    (
        Lang::De,
        [
            "montag",
            "dienstag",
            "mittwoch",
            "donnerstag",
            "freitag",
            "samstag",
            "sonntag",
        ],
    ),
    (
        Lang::Pt,
        [
            "segunda", "terca", "quarta", "quinta", "sexta", "sabado", "domingo",
        ],
    ),
    (
        Lang::It,
        [
            "lunedi",
            "martedi",
            "mercoledi",
            "giovedi",
            "venerdi",
            "sabato",
            "domenica",
        ],
    ),
];

/// German two-letter weekday abbreviations (`Mo.`, `Di,`): weekdays only before `.` or `,`.
const DE_WEEKDAYS_2: [&str; 7] = ["mo", "di", "mi", "do", "fr", "sa", "so"];

/// The weekday (0 = Monday) a word names in the allowed languages.
pub(super) fn weekday_of(word: &str, langs: Langs) -> Option<u32> {
    if word.len() < 3 {
        return None;
    }
    if word == "sonnabend" && langs.has(Lang::De) {
        return Some(5);
    }
    let mut found = None;
    for (l, names) in WEEKDAYS {
        if !langs.has(*l) {
            continue;
        }
        for (i, n) in names.iter().enumerate() {
            if n.starts_with(word) {
                let d = i as u32;
                match found {
                    None => found = Some(d),
                    Some(f) if f == d => {}
                    Some(_) => return None,
                }
            }
        }
    }
    found
}

/// A German two-letter weekday abbreviation.
pub(super) fn short_weekday(word: &str, langs: Langs) -> bool {
    langs.has(Lang::De) && DE_WEEKDAYS_2.contains(&word)
}

/// A unit of a relative phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

const UNITS: &[(Lang, &str, Unit)] = {
    use Lang::*;
    use Unit::*;
    &[
        (En, "s", Second),
        (En, "sec", Second),
        (En, "secs", Second),
        (En, "second", Second),
        (En, "seconds", Second),
        (En, "m", Minute),
        (En, "min", Minute),
        (En, "mins", Minute),
        (En, "minute", Minute),
        (En, "minutes", Minute),
        (En, "h", Hour),
        (En, "hr", Hour),
        (En, "hrs", Hour),
        (En, "hour", Hour),
        (En, "hours", Hour),
        (En, "d", Day),
        (En, "day", Day),
        (En, "days", Day),
        (En, "w", Week),
        (En, "wk", Week),
        (En, "wks", Week),
        (En, "week", Week),
        (En, "weeks", Week),
        (En, "mo", Month),
        (En, "mos", Month),
        (En, "mth", Month),
        (En, "mths", Month),
        (En, "month", Month),
        (En, "months", Month),
        (En, "y", Year),
        (En, "yr", Year),
        (En, "yrs", Year),
        (En, "year", Year),
        (En, "years", Year),
        (Es, "seg", Second),
        (Es, "segundo", Second),
        (Es, "segundos", Second),
        (Es, "minuto", Minute),
        (Es, "minutos", Minute),
        (Es, "hora", Hour),
        (Es, "horas", Hour),
        (Es, "dia", Day),
        (Es, "dias", Day),
        (Es, "semana", Week),
        (Es, "semanas", Week),
        (Es, "mes", Month),
        (Es, "meses", Month),
        (Es, "ano", Year),
        (Es, "anos", Year),
        (Fr, "seconde", Second),
        (Fr, "secondes", Second),
        (Fr, "mn", Minute),
        (Fr, "minute", Minute),
        (Fr, "minutes", Minute),
        (Fr, "heure", Hour),
        (Fr, "heures", Hour),
        (Fr, "j", Day),
        (Fr, "jour", Day),
        (Fr, "jours", Day),
        (Fr, "sem", Week),
        (Fr, "semaine", Week),
        (Fr, "semaines", Week),
        (Fr, "mois", Month),
        (Fr, "an", Year),
        (Fr, "ans", Year),
        (Fr, "annee", Year),
        (Fr, "annees", Year),
        (De, "sek", Second),
        (De, "sekunde", Second),
        (De, "sekunden", Second),
        (De, "minute", Minute),
        (De, "minuten", Minute),
        (De, "std", Hour),
        (De, "stunde", Hour),
        (De, "stunden", Hour),
        (De, "tag", Day),
        (De, "tage", Day),
        (De, "tagen", Day),
        (De, "woche", Week),
        (De, "wochen", Week),
        (De, "monat", Month),
        (De, "monate", Month),
        (De, "monaten", Month),
        (De, "jahr", Year),
        (De, "jahre", Year),
        (De, "jahren", Year),
        (Pt, "seg", Second),
        (Pt, "segundo", Second),
        (Pt, "segundos", Second),
        (Pt, "minuto", Minute),
        (Pt, "minutos", Minute),
        (Pt, "hora", Hour),
        (Pt, "horas", Hour),
        (Pt, "dia", Day),
        (Pt, "dias", Day),
        (Pt, "semana", Week),
        (Pt, "semanas", Week),
        (Pt, "mes", Month),
        (Pt, "meses", Month),
        (Pt, "ano", Year),
        (Pt, "anos", Year),
        (It, "secondo", Second),
        (It, "secondi", Second),
        (It, "minuto", Minute),
        (It, "minuti", Minute),
        (It, "ora", Hour),
        (It, "ore", Hour),
        (It, "giorno", Day),
        (It, "giorni", Day),
        (It, "gg", Day),
        (It, "settimana", Week),
        (It, "settimane", Week),
        (It, "mese", Month),
        (It, "mesi", Month),
        (It, "anno", Year),
        (It, "anni", Year),
    ]
};

pub(super) fn unit_of(word: &str, langs: Langs) -> Option<Unit> {
    UNITS
        .iter()
        .find(|(l, w, _)| langs.has(*l) && *w == word)
        .map(|&(_, _, u)| u)
}

/// Amount words before a unit: articles ("an hour", "una hora", "einer Stunde") and small
/// number words.
const AMOUNTS: &[(Lang, &str, u32)] = {
    use Lang::*;
    &[
        (En, "a", 1),
        (En, "an", 1),
        (En, "one", 1),
        (En, "two", 2),
        (En, "three", 3),
        (En, "four", 4),
        (En, "five", 5),
        (En, "ten", 10),
        (Es, "un", 1),
        (Es, "una", 1),
        (Es, "uno", 1),
        (Es, "dos", 2),
        (Es, "tres", 3),
        (Es, "cuatro", 4),
        (Es, "cinco", 5),
        (Fr, "un", 1),
        (Fr, "une", 1),
        (Fr, "deux", 2),
        (Fr, "trois", 3),
        (Fr, "quatre", 4),
        (Fr, "cinq", 5),
        (De, "ein", 1),
        (De, "eine", 1),
        (De, "einem", 1),
        (De, "einer", 1),
        (De, "einen", 1),
        (De, "zwei", 2),
        (De, "drei", 3),
        (De, "vier", 4),
        (De, "funf", 5),
        (Pt, "um", 1),
        (Pt, "uma", 1),
        (Pt, "dois", 2),
        (Pt, "duas", 2),
        (Pt, "tres", 3),
        (Pt, "quatro", 4),
        (Pt, "cinco", 5),
        (It, "un", 1),
        (It, "una", 1),
        (It, "uno", 1),
        (It, "due", 2),
        (It, "tre", 3),
        (It, "quattro", 4),
        (It, "cinque", 5),
    ]
};

pub(super) fn amount_of(word: &str, langs: Langs) -> Option<u32> {
    AMOUNTS
        .iter()
        .find(|(l, w, _)| langs.has(*l) && *w == word)
        .map(|&(_, _, n)| n)
}

/// Words before the amount that make it a past offset: "hace 3 horas", "il y a 2 jours",
/// "vor 30 Minuten", "há 3 horas".
pub(super) const BEFORE_AMOUNT: &[(Lang, &[&str])] = &[
    (Lang::Es, &["hace"]),
    (Lang::Fr, &["il", "y", "a"]),
    (Lang::De, &["vor"]),
    (Lang::Pt, &["ha"]),
];

/// Words after the unit that make it a past offset: "3 hours ago", "3 horas atrás", "3 ore fa".
pub(super) const AFTER_UNIT: &[(Lang, &str)] =
    &[(Lang::En, "ago"), (Lang::Pt, "atras"), (Lang::It, "fa")];

/// Day words: days before today (folded, hyphens and apostrophes removed). Longest first.
pub(super) const DAY_WORDS: &[(Lang, &[&str], u32)] = &[
    (Lang::It, &["l", "altro", "ieri"], 2),
    (Lang::It, &["ieri", "l", "altro"], 2),
    (Lang::It, &["altro", "ieri"], 2),
    (Lang::Fr, &["avant", "hier"], 2),
    (Lang::Fr, &["aujourd", "hui"], 0),
    (Lang::Fr, &["aujourdhui"], 0),
    (Lang::En, &["day", "before", "yesterday"], 2),
    (Lang::Es, &["antes", "de", "ayer"], 2),
    (Lang::Es, &["anteayer"], 2),
    (Lang::Es, &["antier"], 2),
    (Lang::De, &["vorgestern"], 2),
    (Lang::Pt, &["anteontem"], 2),
    (Lang::It, &["altroieri"], 2),
    (Lang::En, &["today"], 0),
    (Lang::Es, &["hoy"], 0),
    (Lang::De, &["heute"], 0),
    (Lang::Pt, &["hoje"], 0),
    (Lang::It, &["oggi"], 0),
    (Lang::En, &["yesterday"], 1),
    (Lang::Es, &["ayer"], 1),
    (Lang::Fr, &["hier"], 1),
    (Lang::De, &["gestern"], 1),
    (Lang::Pt, &["ontem"], 1),
    (Lang::It, &["ieri"], 1),
];

/// Phrases meaning "now" that may stand inside other text.
pub(super) const NOW_PHRASES: &[(Lang, &[&str])] = &[
    (Lang::En, &["just", "now"]),
    (Lang::En, &["right", "now"]),
    (Lang::En, &["moments", "ago"]),
    (Lang::En, &["a", "moment", "ago"]),
    (Lang::En, &["seconds", "ago"]),
    (Lang::En, &["a", "few", "seconds", "ago"]),
    (Lang::Es, &["ahora", "mismo"]),
    (Lang::Es, &["hace", "un", "momento"]),
    (Lang::Es, &["hace", "unos", "instantes"]),
    (Lang::Es, &["hace", "instantes"]),
    (Lang::Es, &["hace", "unos", "segundos"]),
    (Lang::Es, &["hace", "momentos"]),
    (Lang::Fr, &["a", "l", "instant"]),
    (Lang::Fr, &["il", "y", "a", "un", "instant"]),
    (Lang::Fr, &["il", "y", "a", "quelques", "secondes"]),
    (Lang::De, &["gerade", "eben"]),
    (Lang::De, &["soeben"]),
    (Lang::De, &["vor", "wenigen", "sekunden"]),
    (Lang::Pt, &["agora", "mesmo"]),
    (Lang::Pt, &["ha", "pouco"]),
    (Lang::Pt, &["ha", "instantes"]),
    (Lang::It, &["poco", "fa"]),
    (Lang::It, &["proprio", "ora"]),
    (Lang::It, &["pochi", "secondi", "fa"]),
];

/// Single words meaning "now": accepted only as the whole text ("now" inside a sentence is
/// rarely a date).
pub(super) const NOW_WORDS: &[(Lang, &str)] = &[
    (Lang::En, "now"),
    (Lang::Es, "ahora"),
    (Lang::Fr, "maintenant"),
    (Lang::De, "jetzt"),
    (Lang::De, "gerade"),
    (Lang::Pt, "agora"),
    (Lang::It, "adesso"),
    (Lang::It, "ora"),
];

/// "last" before the unit or weekday: "last week", "letzte Woche", "letzten Montag".
pub(super) const LAST_BEFORE: &[(Lang, &str)] = &[
    (Lang::En, "last"),
    (Lang::De, "letzte"),
    (Lang::De, "letzten"),
    (Lang::De, "letztes"),
    (Lang::De, "letzter"),
    (Lang::De, "vergangene"),
    (Lang::De, "vergangenen"),
    (Lang::De, "vergangenes"),
    (Lang::De, "vergangener"),
    (Lang::De, "vorige"),
    (Lang::De, "vorigen"),
    (Lang::De, "voriges"),
];

/// "last" after the unit or weekday: "semana pasada", "lundi dernier", "mês passado",
/// "settimana scorsa".
pub(super) const LAST_AFTER: &[(Lang, &str)] = &[
    (Lang::Es, "pasado"),
    (Lang::Es, "pasada"),
    (Lang::Fr, "dernier"),
    (Lang::Fr, "derniere"),
    (Lang::Pt, "passado"),
    (Lang::Pt, "passada"),
    (Lang::It, "scorso"),
    (Lang::It, "scorsa"),
];

/// Words that may sit inside a written date and mean nothing for it ("9 de enero de 2026",
/// "le 9 janvier", "am 9. Januar um 14:30", "ieri alle 14:30", "ontem às 14h").
pub(super) const NOISE: &[&str] = &[
    "of", "on", "the", "at", "de", "del", "el", "la", "le", "los", "las", "a", "em", "do", "da",
    "no", "um", "am", "den", "der", "dem", "alle", "il", "lo", "as", "ore", "du", "y", "e", "et",
    "und", "en",
];

/// Ordinal suffixes glued to a day: "9th", "1st", "1er", "1re", "2e", "1º" (folded to `o`).
pub(super) const ORDINALS: &[&str] = &["st", "nd", "rd", "th", "er", "re", "e", "eme", "o", "a"];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_by_prefix_in_every_language() {
        let all = Langs::from_hint(None);
        for (w, m) in [
            ("jan", 1),
            ("janv", 1),
            ("ene", 1),
            ("gen", 1),
            ("fevr", 2),
            ("fev", 2),
            ("marz", 3),
            ("mar", 3),
            ("avr", 4),
            ("abr", 4),
            ("mai", 5),
            ("mayo", 5),
            ("juin", 6),
            ("giu", 6),
            ("juil", 7),
            ("lug", 7),
            ("aout", 8),
            ("sept", 9),
            ("okt", 10),
            ("ott", 10),
            ("dez", 12),
            ("dic", 12),
            ("dec", 12),
        ] {
            assert_eq!(month_of(w, all), Some(m), "{w}");
        }
        assert_eq!(month_of("jui", all), None);
        assert_eq!(month_of("ju", all), None);
        assert_eq!(month_of("out", all), None);
        assert_eq!(month_of("out", Langs::from_hint(Some("pt-BR"))), Some(10));
        assert_eq!(month_of("ago", Langs::from_hint(Some("es"))), Some(8));
        assert_eq!(month_of("enero", Langs::from_hint(Some("de"))), None);
    }

    #[test]
    fn weekdays_and_units() {
        let all = Langs::from_hint(None);
        assert_eq!(weekday_of("mie", all), Some(2));
        assert_eq!(weekday_of("sabado", all), Some(5));
        assert_eq!(weekday_of("don", all), Some(3));
        assert_eq!(unit_of("stunden", all), Some(Unit::Hour));
        assert_eq!(unit_of("ore", all), Some(Unit::Hour));
        assert_eq!(amount_of("einer", all), Some(1));
        assert_eq!(fold_char('é'), ('e', None));
        assert_eq!(fold_char('ß'), ('s', Some('s')));
    }
}
