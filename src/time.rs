//! Moments from the backend and how far away they are.
//!
//! Reading a timestamp is the `time` crate's RFC 3339 parser (Django writes
//! `2027-02-24T04:57:17.337348Z`); a timestamp without an offset is read as UTC, as Django
//! means it. Writing one for the person is the browser's `Intl` ([`TimeWords`], implemented
//! in `browser`), so every date, distance and countdown is in the person's locale.

use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{OffsetDateTime, PrimitiveDateTime};

/// Milliseconds since the epoch, or `None` for anything that is no timestamp.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    // After the date, a sign or a `Z` starts an offset: only a time without one is UTC.
    let has_offset = text
        .get(10..)
        .is_some_and(|time| time.contains(['+', '-', 'Z', 'z']));
    let moment = match OffsetDateTime::parse(text, &Rfc3339) {
        Ok(moment) => moment,
        Err(_) if !has_offset => PrimitiveDateTime::parse(text, &Iso8601::DEFAULT)
            .ok()?
            .assume_utc(),
        Err(_) => return None,
    };
    i64::try_from(moment.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A unit `Intl.RelativeTimeFormat` knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Day,
    Hour,
    Minute,
    Second,
}

impl Unit {
    pub fn name(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Hour => "hour",
            Self::Minute => "minute",
            Self::Second => "second",
        }
    }
}

/// How far a moment is, in its largest whole unit: negative when past.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Distance {
    pub count: i64,
    pub unit: Unit,
}

/// The distance from `now_ms` to `target_ms`, rounded to the nearest unit, so a token
/// issued for 90 days still reads “in 90 days” a second later.
pub fn distance(target_ms: i64, now_ms: i64) -> Distance {
    let seconds = target_ms.saturating_sub(now_ms) / 1000;
    let unit = match seconds.abs() {
        s if s >= 86_400 => Unit::Day,
        s if s >= 3600 => Unit::Hour,
        s if s >= 60 => Unit::Minute,
        _ => Unit::Second,
    };
    let size = match unit {
        Unit::Day => 86_400,
        Unit::Hour => 3600,
        Unit::Minute => 60,
        Unit::Second => 1,
    };
    let count = (seconds.abs() + size / 2) / size;
    Distance {
        count: if seconds < 0 { -count } else { count },
        unit,
    }
}

/// What a countdown shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimeLeft {
    Expired,
    /// Under a day: a ticking clock.
    Clock {
        hours: i64,
        minutes: i64,
        seconds: i64,
    },
    /// A day or more.
    Far(Distance),
}

pub fn time_left(target_ms: i64, now_ms: i64) -> TimeLeft {
    match target_ms.saturating_sub(now_ms).div_euclid(1000) {
        s if s <= 0 => TimeLeft::Expired,
        s if s < 86_400 => TimeLeft::Clock {
            hours: s / 3600,
            minutes: s % 3600 / 60,
            seconds: s % 60,
        },
        _ => TimeLeft::Far(distance(target_ms, now_ms)),
    }
}

/// How moments are put into words for the person.
pub trait TimeWords {
    /// A date and time, e.g. “24 Feb 2027, 05:57”.
    fn date_time(&self, epoch_ms: i64) -> String;
    /// “in 90 days”, “tomorrow”, “3 hours ago”.
    fn distance(&self, distance: Distance) -> String;
}

/// A clock of what is left, “59:32” or “1:02:03”: written from the numbers, as
/// `Intl.DurationFormat`'s digital style writes them, because building that formatter
/// cost 12-26 ms at page open whenever a JWT was on the first screen.
pub fn clock(hours: i64, minutes: i64, seconds: i64) -> String {
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// A countdown: “in 59:32” under a day, else the distance; “expired” once past.
pub fn countdown(target_ms: i64, now_ms: i64, words: &impl TimeWords) -> String {
    match time_left(target_ms, now_ms) {
        TimeLeft::Expired => "expired".to_owned(),
        TimeLeft::Clock {
            hours,
            minutes,
            seconds,
        } => format!("in {}", clock(hours, minutes, seconds)),
        TimeLeft::Far(far) => words.distance(far),
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;

    /// Plain words, for tests on the host.
    pub struct PlainWords;

    impl TimeWords for PlainWords {
        fn date_time(&self, epoch_ms: i64) -> String {
            format!("LOCAL{epoch_ms}")
        }
        fn distance(&self, distance: Distance) -> String {
            format!("{:+} {}", distance.count, distance.unit.name())
        }
    }

    #[test]
    fn a_clock_shows_hours_only_when_there_are_some() {
        assert_eq!(clock(0, 59, 2), "59:02");
        assert_eq!(clock(1, 2, 3), "1:02:03");
        assert_eq!(clock(0, 0, 9), "0:09");
    }

    #[test]
    fn reads_django_timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_timestamp("2027-02-24T04:57:17.337348Z"),
            Some(1_803_445_037_337)
        );
        assert_eq!(parse_timestamp(" 1970-01-01T01:00:00+01:00 "), Some(0));
        assert_eq!(parse_timestamp("1969-12-31T19:00:00-05:00"), Some(0));
    }

    #[test]
    fn no_offset_means_utc() {
        assert_eq!(parse_timestamp("1970-01-02T00:00:00"), Some(86_400_000));
    }

    #[test]
    fn leap_days() {
        assert!(parse_timestamp("2028-02-29T00:00:00Z").is_some());
        assert_eq!(parse_timestamp("2027-02-29T00:00:00Z"), None);
        assert_eq!(parse_timestamp("2100-02-29T00:00:00Z"), None);
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for text in [
            "",
            "soon",
            "2027-13-01T00:00:00Z",
            "2027-01-32T00:00:00Z",
            "2027-01-01T24:00:00Z",
            "2027-1-01T00:00:00Z",
            "2027-01-01T00:00:00.abcZ",
            "<img src=x onerror=alert(1)>",
            "2027-01-01T00:00:00+99:99",
            "2027-01-01T00:00:00+24:00",
            "2027-01-01T00:00:00-05:60",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
    }

    #[test]
    fn distances_round_to_the_largest_unit() {
        let day = 86_400_000;
        let at = |ms| {
            let d = distance(ms, 0);
            (d.count, d.unit)
        };
        assert_eq!(at(90 * day - 1000), (90, Unit::Day));
        assert_eq!(at(day), (1, Unit::Day));
        assert_eq!(at(5 * 3_600_000), (5, Unit::Hour));
        assert_eq!(at(3 * 60_000), (3, Unit::Minute));
        assert_eq!(at(20_000), (20, Unit::Second));
        assert_eq!(at(-3 * day), (-3, Unit::Day));
        assert_eq!(distance(i64::MAX, i64::MIN).unit, Unit::Day, "no overflow");
    }

    #[test]
    fn counts_down() {
        let words = PlainWords;
        assert_eq!(countdown(3_572_000, 0, &words), "in 59:32");
        assert_eq!(countdown(3_723_000, 0, &words), "in 1:02:03");
        assert_eq!(countdown(3 * 86_400_000, 0, &words), "+3 day");
        assert_eq!(countdown(0, 0, &words), "expired");
        assert_eq!(countdown(-5, 0, &words), "expired");
    }
}
