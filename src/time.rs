//! The backend's ISO 8601 timestamps, and how far away they are.

/// Milliseconds since the epoch for an ISO 8601 date-time such as
/// `2027-02-24T04:57:17.337348Z` or `2027-02-24T05:57:17+01:00`. A time without an
/// offset is read as UTC, as Django writes it.
pub fn parse_iso8601(text: &str) -> Option<i64> {
    let text = text.trim();
    let (date, rest) = text.split_at_checked(10)?;
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let mut date_parts = date.split('-');
    let year: i64 = number(date_parts.next()?, 4)?;
    let month: u32 = number(date_parts.next()?, 2)?;
    let day: u32 = number(date_parts.next()?, 2)?;

    let (clock, offset_minutes) = split_offset(rest)?;
    let (clock, fraction) = clock.split_once('.').unwrap_or((clock, ""));
    let mut clock_parts = clock.split(':');
    let hour: i64 = number(clock_parts.next()?, 2)?;
    let minute: i64 = number(clock_parts.next()?, 2)?;
    let second: i64 = match clock_parts.next() {
        Some(s) => number(s, 2)?,
        None => 0,
    };
    if clock_parts.next().is_some()
        || !(1..=12).contains(&month)
        || day == 0
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 60
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let millis: i64 = fraction.get(..3).map_or_else(
        || format!("{fraction:0<3}").parse().ok(),
        |three| three.parse().ok(),
    )?;
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1000 + millis)
}

fn number<T: std::str::FromStr>(text: &str, width: usize) -> Option<T> {
    (text.len() == width && text.bytes().all(|b| b.is_ascii_digit()))
        .then(|| text.parse().ok())
        .flatten()
}

fn split_offset(rest: &str) -> Option<(&str, i64)> {
    if let Some(clock) = rest.strip_suffix(['Z', 'z']) {
        return Some((clock, 0));
    }
    match rest.rfind(['+', '-']) {
        Some(at) => {
            let (clock, offset) = rest.split_at(at);
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let offset = &offset[1..];
            let (hours, minutes) = offset
                .split_once(':')
                .unwrap_or((offset.get(..2)?, offset.get(2..)?));
            let hours: i64 = number(hours, 2)?;
            let minutes: i64 = if minutes.is_empty() {
                0
            } else {
                number(minutes, 2)?
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            Some((clock, sign * (hours * 60 + minutes)))
        }
        None => Some((rest, 0)),
    }
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month = i64::from(month);
    let day_of_year =
        (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// “in 90 days”, “in 1 day”, “in 5 hours”, “in 3 minutes”, “now”, or “3 days ago”,
/// rounded to the nearest unit (a token issued for 90 days reads “in 90 days” a second later).
pub fn relative(target_ms: i64, now_ms: i64) -> String {
    let delta = target_ms.saturating_sub(now_ms) / 1000;
    let ahead = delta >= 0;
    let seconds = delta.abs();
    let unit_seconds = if seconds >= 86_400 {
        86_400
    } else if seconds >= 3600 {
        3600
    } else if seconds >= 60 {
        60
    } else {
        return "now".to_owned();
    };
    let count = (seconds + unit_seconds / 2) / unit_seconds;
    let unit = match unit_seconds {
        86_400 => "day",
        3600 => "hour",
        _ => "minute",
    };
    let plural = if count == 1 { "" } else { "s" };
    if ahead {
        format!("in {count} {unit}{plural}")
    } else {
        format!("{count} {unit}{plural} ago")
    }
}

/// A countdown: “in 59:32” under an hour, “in 1:02:03” under a day, else [`relative`];
/// “expired” once past.
pub fn countdown(target_ms: i64, now_ms: i64) -> String {
    let seconds = target_ms.saturating_sub(now_ms).div_euclid(1000);
    match seconds {
        s if s <= 0 => "expired".to_owned(),
        s if s < 3600 => format!("in {}:{:02}", s / 60, s % 60),
        s if s < 86_400 => format!("in {}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60),
        _ => relative(target_ms, now_ms),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_django_timestamps() {
        assert_eq!(parse_iso8601("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(
            parse_iso8601("2027-02-24T04:57:17.337348Z"),
            Some(1_803_445_037_337)
        );
        assert_eq!(
            parse_iso8601("2000-03-01T00:00:00.5Z"),
            Some(951_868_800_500)
        );
    }

    #[test]
    fn applies_offsets() {
        assert_eq!(parse_iso8601("1970-01-01T01:00:00+01:00"), Some(0));
        assert_eq!(parse_iso8601("1969-12-31T19:00:00-0500"), Some(0));
        assert_eq!(parse_iso8601("1970-01-01T00:00:00+00"), Some(0));
    }

    #[test]
    fn no_offset_means_utc_and_seconds_are_optional() {
        assert_eq!(parse_iso8601("1970-01-02T00:00"), Some(86_400_000));
        assert_eq!(parse_iso8601("1970-01-02 00:00:00"), Some(86_400_000));
    }

    #[test]
    fn leap_days() {
        assert!(parse_iso8601("2028-02-29T00:00:00Z").is_some());
        assert_eq!(parse_iso8601("2027-02-29T00:00:00Z"), None);
        assert!(parse_iso8601("2000-02-29T00:00:00Z").is_some());
        assert_eq!(parse_iso8601("2100-02-29T00:00:00Z"), None);
    }

    #[test]
    fn refuses_what_is_not_a_timestamp() {
        for text in [
            "",
            "soon",
            "2027-13-01T00:00:00Z",
            "2027-01-32T00:00:00Z",
            "2027-01-01T24:00:00Z",
            "2027-01-01",
            "2027-1-01T00:00:00Z",
            "2027-01-01T00:00:00.abcZ",
            "<img src=x onerror=alert(1)>",
            "2027-01-01T00:00:00:00Z",
            "2027-01-01T00:00:00+99:99",
            "2027-01-01T00:00:00+24:00",
            "2027-01-01T00:00:00-05:60",
        ] {
            assert_eq!(parse_iso8601(text), None, "{text}");
        }
    }

    #[test]
    fn counts_down() {
        assert_eq!(countdown(3_572_000, 0), "in 59:32");
        assert_eq!(countdown(3_723_000, 0), "in 1:02:03");
        assert_eq!(countdown(999, 0), "expired");
        assert_eq!(countdown(0, 5_000), "expired");
        assert_eq!(countdown(3 * 86_400_000, 0), "in 3 days");
    }

    #[test]
    fn describes_distances() {
        let day = 86_400_000;
        assert_eq!(relative(90 * day, 0), "in 90 days");
        assert_eq!(relative(day + 5, 0), "in 1 day");
        assert_eq!(relative(90 * day - 1000, 0), "in 90 days");
        assert_eq!(relative(day + day / 2 - 1000, 0), "in 1 day");
        assert_eq!(relative(59 * 60_000 + 59_000, 0), "in 60 minutes");
        assert_eq!(relative(5 * 3_600_000, 0), "in 5 hours");
        assert_eq!(relative(61_000, 0), "in 1 minute");
        assert_eq!(relative(10_000, 0), "now");
        assert_eq!(relative(0, 3 * day), "3 days ago");
    }
}
