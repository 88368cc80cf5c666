//! Durations (`"30s"`, `"1h30m"`, `"500ms"`) and byte sizes (`"10MiB"`, `"1GB"`, `"1000"`) as
//! written in feeds.toml. Parsing returns a message that says what to write instead; the caller
//! adds the file, line:col and key.

use std::time::Duration;

/// Parse a duration: one or more `<integer><unit>` parts, units `ms`, `s`, `m`, `h`, `d`, `w`,
/// optionally separated by spaces (`"1h30m"`, `"1h 30m"`, `"0s"`). A bare number is refused,
/// since its unit would be a guess.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(duration_hint("an empty duration"));
    }
    let mut total = Duration::ZERO;
    let mut rest = trimmed;
    while !rest.is_empty() {
        let digits_len = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits_len == 0 {
            return Err(duration_hint(&format!("`{text}`")));
        }
        let (digits, after) = rest.split_at(digits_len);
        let number: u64 = digits
            .parse()
            .map_err(|_| format!("`{text}` is too large for a duration"))?;
        let after = after.trim_start();
        let unit_len = after.bytes().take_while(u8::is_ascii_alphabetic).count();
        if unit_len == 0 {
            return Err(format!(
                "`{text}` lacks a unit: write e.g. \"{number}s\" or \"{number}m\" (units: ms, s, m, h, d, w)"
            ));
        }
        let (unit, after) = after.split_at(unit_len);
        let millis_per_unit: u64 = match unit {
            "ms" => 1,
            "s" => 1_000,
            "m" => 60_000,
            "h" => 3_600_000,
            "d" => 86_400_000,
            "w" => 604_800_000,
            _ => {
                return Err(format!(
                    "unknown duration unit `{unit}` in `{text}`: use ms, s, m, h, d or w"
                ));
            }
        };
        let millis = number
            .checked_mul(millis_per_unit)
            .ok_or_else(|| format!("`{text}` is too large for a duration"))?;
        total = total
            .checked_add(Duration::from_millis(millis))
            .ok_or_else(|| format!("`{text}` is too large for a duration"))?;
        rest = after.trim_start();
    }
    Ok(total)
}

fn duration_hint(what: &str) -> String {
    format!(
        "{what} is not a duration: write a number and a unit, e.g. \"30s\", \"15m\", \"1h30m\", \"500ms\", \"30d\""
    )
}

/// Parse a byte size: an integer with an optional unit, `B`, `KB`/`MB`/`GB`/`TB` (powers of
/// 1000) or `KiB`/`MiB`/`GiB`/`TiB` (powers of 1024), case-insensitive, space allowed between
/// number and unit. A bare number is bytes.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let trimmed = text.trim();
    let digits_len = trimmed.bytes().take_while(u8::is_ascii_digit).count();
    if digits_len == 0 {
        return Err(size_hint(text));
    }
    let (digits, unit) = trimmed.split_at(digits_len);
    let number: u64 = digits
        .parse()
        .map_err(|_| format!("`{text}` is too large for a size"))?;
    let multiplier: u64 = match unit.trim_start().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        _ => return Err(size_hint(text)),
    };
    number
        .checked_mul(multiplier)
        .ok_or_else(|| format!("`{text}` is too large for a size"))
}

fn size_hint(text: &str) -> String {
    format!(
        "`{text}` is not a size: write a number of bytes with an optional unit, e.g. \"10MiB\", \"512KiB\", \"1GB\" or \"1000\""
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let cases = [
            ("30s", 30_000),
            ("15m", 900_000),
            ("1h", 3_600_000),
            ("30d", 2_592_000_000),
            ("0s", 0),
            ("1h30m", 5_400_000),
            ("1h 30m", 5_400_000),
            ("500ms", 500),
            ("2w", 1_209_600_000),
            ("2 h", 7_200_000),
            (" 10s ", 10_000),
        ];
        for (text, millis) in cases {
            assert_eq!(
                parse_duration(text),
                Ok(Duration::from_millis(millis)),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_durations() {
        for text in [
            "",
            "30",
            "s",
            "1x",
            "1.5h",
            "-1s",
            "1h-",
            "h1",
            "99999999999999999999s",
        ] {
            assert!(parse_duration(text).is_err(), "{text}");
        }
        assert!(
            parse_duration("18446744073709551615d").is_err(),
            "overflow must be an error"
        );
        let msg = parse_duration("30").err().unwrap_or_default();
        assert!(msg.contains("\"30s\""), "{msg}");
    }

    #[test]
    fn sizes() {
        let cases = [
            ("10MiB", 10 * 1024 * 1024),
            ("512KiB", 512 * 1024),
            ("1GB", 1_000_000_000),
            ("1000", 1000),
            ("1000B", 1000),
            ("2 kb", 2000),
            ("1gib", 1 << 30),
        ];
        for (text, bytes) in cases {
            assert_eq!(parse_size(text), Ok(bytes), "{text}");
        }
    }

    #[test]
    fn bad_sizes() {
        for text in ["", "MiB", "10 MiBs", "1.5MiB", "-1", "99999999999TiB"] {
            assert!(parse_size(text).is_err(), "{text}");
        }
    }
}
