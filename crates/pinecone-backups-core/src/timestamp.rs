//! RFC 3339 timestamps (`created_at`), parsed without a date-time dependency.

use std::fmt;

/// A parsed RFC 3339 date-time with its UTC offset.
///
/// Fractions of a second keep up to nanosecond precision; years are limited to 1..=9999 and
/// offsets to less than a day, which is what every consumer (Python's `datetime` among them)
/// can represent. Leap seconds (`:60`) are not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp {
    pub year: u16,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub nanosecond: u32,
    /// Offset from UTC in minutes (`+01:00` is 60, `Z` is 0).
    pub offset_minutes: i16,
}

impl Timestamp {
    /// Parses `2025-03-11T18:29:50.549505Z` and friends; `None` when `text` is not a date-time
    /// this client can read for sure.
    ///
    /// Accepts what servers reasonably send beyond strict RFC 3339: `T`, `t` or a space between
    /// date and time; `Z`, `z`, `±HH:MM` or `±HHMM` offsets; any number (at least one) of
    /// fractional digits (nanoseconds are kept, further digits dropped). Refuses an instant that,
    /// in UTC, falls outside the years 1 to 9999: no consumer (Python's `datetime` among them)
    /// holds it well.
    pub fn parse(text: &str) -> Option<Timestamp> {
        let b = text.as_bytes();
        if b.len() < 20 {
            return None;
        }
        let year = digits(b, 0, 4)? as u16;
        let month = digits(b, 5, 2)? as u8;
        let day = digits(b, 8, 2)? as u8;
        let hour = digits(b, 11, 2)? as u8;
        let minute = digits(b, 14, 2)? as u8;
        let second = digits(b, 17, 2)? as u8;
        let separators_ok = b[4] == b'-'
            && b[7] == b'-'
            && matches!(b[10], b'T' | b't' | b' ')
            && b[13] == b':'
            && b[16] == b':';
        if !separators_ok
            || year == 0
            || !(1..=12).contains(&month)
            || day == 0
            || day > days_in_month(year, month)
            || hour > 23
            || minute > 59
            || second > 59
        {
            return None;
        }
        let mut pos = 19;
        let mut nanosecond = 0u32;
        if b[pos] == b'.' {
            pos += 1;
            let start = pos;
            while pos < b.len() && b[pos].is_ascii_digit() {
                pos += 1;
            }
            let count = pos - start;
            if count == 0 {
                return None;
            }
            let kept = count.min(9);
            nanosecond = digits(b, start, kept)? * 10u32.pow((9 - kept) as u32);
        }
        let offset_minutes = match &b[pos..] {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                offset(*sign, digits(b, pos + 1, 2)?, digits(b, pos + 4, 2)?)?
            }
            [sign @ (b'+' | b'-'), _, _, _, _] => {
                offset(*sign, digits(b, pos + 1, 2)?, digits(b, pos + 3, 2)?)?
            }
            _ => return None,
        };
        let timestamp = Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanosecond,
            offset_minutes,
        };
        (EARLIEST_MICROS..=LATEST_MICROS)
            .contains(&timestamp.unix_micros())
            .then_some(timestamp)
    }

    /// Microseconds within the second (truncated), as Python's `datetime` keeps them.
    pub fn microsecond(&self) -> u32 {
        self.nanosecond / 1000
    }

    /// Microseconds since 1970-01-01T00:00:00Z: the instant, comparable across offsets, at the
    /// precision Python's `datetime` compares at.
    pub fn unix_micros(&self) -> i64 {
        let days = days_from_civil(
            i64::from(self.year),
            i64::from(self.month),
            i64::from(self.day),
        );
        let seconds = days * 86_400
            + i64::from(self.hour) * 3_600
            + i64::from(self.minute) * 60
            + i64::from(self.second)
            - i64::from(self.offset_minutes) * 60;
        seconds * 1_000_000 + i64::from(self.microsecond())
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339: `2025-03-11T18:29:50.549505Z`, with 6 or 9 fractional digits when needed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        if !self.nanosecond.is_multiple_of(1000) {
            write!(f, ".{:09}", self.nanosecond)?;
        } else if self.nanosecond != 0 {
            write!(f, ".{:06}", self.nanosecond / 1000)?;
        }
        if self.offset_minutes == 0 {
            f.write_str("Z")
        } else {
            let sign = if self.offset_minutes < 0 { '-' } else { '+' };
            let abs = self.offset_minutes.unsigned_abs();
            write!(f, "{sign}{:02}:{:02}", abs / 60, abs % 60)
        }
    }
}

/// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59.999999Z, in microseconds since the Unix epoch:
/// the instants a timestamp may stand for.
const EARLIEST_MICROS: i64 = -62_135_596_800_000_000;
const LATEST_MICROS: i64 = 253_402_300_799_999_999;

/// An offset of `hours` and `minutes`, in minutes east of UTC (less than a day).
fn offset(sign: u8, hours: u32, minutes: u32) -> Option<i16> {
    if hours > 23 || minutes > 59 {
        return None;
    }
    let total = (hours * 60 + minutes) as i16;
    Some(if sign == b'-' { -total } else { total })
}

fn digits(b: &[u8], start: usize, count: usize) -> Option<u32> {
    let slice = b.get(start..start + count)?;
    slice.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_shapes_the_api_sends() {
        let t = Timestamp::parse("2025-03-11T18:29:50.549505Z").unwrap();
        assert_eq!((t.year, t.month, t.day), (2025, 3, 11));
        assert_eq!((t.hour, t.minute, t.second), (18, 29, 50));
        assert_eq!(t.microsecond(), 549_505);
        assert_eq!(t.offset_minutes, 0);

        let t = Timestamp::parse("2025-05-15T00:52:10.809305882Z").unwrap();
        assert_eq!(t.nanosecond, 809_305_882);
        assert_eq!(t.microsecond(), 809_305);

        let t = Timestamp::parse("2024-03-15T10:30:00Z").unwrap();
        assert_eq!(t.nanosecond, 0);
        let t = Timestamp::parse("2024-03-15 10:30:00.5-05:30").unwrap();
        assert_eq!(t.nanosecond, 500_000_000);
        assert_eq!(t.offset_minutes, -330);
        assert!(Timestamp::parse("2024-03-15t10:30:00z").is_some());
    }

    #[test]
    fn reads_what_servers_send_beyond_rfc3339() {
        let t = Timestamp::parse("2025-01-05T00:00:00+0000").unwrap();
        assert_eq!((t.day, t.offset_minutes), (5, 0));
        let t = Timestamp::parse("2025-01-05T00:00:00-0530").unwrap();
        assert_eq!(t.offset_minutes, -330);
        // Any number of fractional digits; nanoseconds kept, the rest dropped.
        let t = Timestamp::parse("2025-01-05T00:00:00.1234567891Z").unwrap();
        assert_eq!(t.nanosecond, 123_456_789);
        let t = Timestamp::parse("2025-01-05T00:00:00.123456789123456789+01:00").unwrap();
        assert_eq!((t.nanosecond, t.offset_minutes), (123_456_789, 60));
        let t = Timestamp::parse("2025-01-05 00:00:00.5z").unwrap();
        assert_eq!(t.nanosecond, 500_000_000);
        // The edges of what UTC years 1..=9999 hold.
        assert!(Timestamp::parse("0001-01-01T00:00:00Z").is_some());
        assert!(Timestamp::parse("0001-01-01T00:00:00-01:00").is_some());
        assert!(Timestamp::parse("9999-12-31T23:59:59.999999999Z").is_some());
        assert!(Timestamp::parse("9999-12-31T23:59:59+01:00").is_some());
    }

    #[test]
    fn rejects_what_is_not_rfc3339() {
        for bad in [
            "",
            "yesterday",
            "2024-03-15",
            "2024-03-15T10:30:00",       // no offset
            "2024-03-15T10:30Z",         // no seconds
            "2024-02-30T10:30:00Z",      // no such day
            "2023-02-29T10:30:00Z",      // not a leap year
            "0000-01-01T00:00:00Z",      // year 0
            "2024-03-15T24:00:00Z",      // hour 24
            "2024-03-15T10:30:60Z",      // leap second
            "2024-03-15T10:30:00.Z",     // empty fraction
            "2024-03-15T10:30:00+01",    // offset without minutes
            "2024-03-15T10:30:00+01:0",  // offset cut short
            "2024-03-15T10:30:00+2400",  // offset of a day, without colon
            "9999-12-31T23:59:59-01:00", // year 10000 in UTC
            "0001-01-01T00:00:00+01:00", // year 0 in UTC
            "2024-03-15T10:30:00+24:00", // offset of a day
            "2024-03-15T10:30:00Zjunk",
            "２０２４-03-15T10:30:00Z",
        ] {
            assert_eq!(Timestamp::parse(bad), None, "{bad:?}");
        }
        assert!(Timestamp::parse("2024-02-29T10:30:00Z").is_some());
    }

    #[test]
    fn instants_compare_across_offsets() {
        let utc = Timestamp::parse("2025-01-01T00:00:00Z").unwrap();
        let plus_one = Timestamp::parse("2025-01-01T01:00:00+01:00").unwrap();
        assert_eq!(utc.unix_micros(), plus_one.unix_micros());
        assert_eq!(utc.unix_micros(), 1_735_689_600_000_000);
        let epoch = Timestamp::parse("1970-01-01T00:00:00Z").unwrap();
        assert_eq!(epoch.unix_micros(), 0);
    }

    #[test]
    fn display_round_trips() {
        for text in [
            "2025-03-11T18:29:50.549505Z",
            "2025-05-15T00:52:10.809305882Z",
            "2024-03-15T10:30:00Z",
            "2024-03-15T10:30:00.500000-05:30",
        ] {
            assert_eq!(Timestamp::parse(text).unwrap().to_string(), text);
        }
    }
}
