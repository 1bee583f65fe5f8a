//! The time, written as Django REST framework writes a UTC datetime.

use time::format_description::BorrowedFormatItem;
use time::macros::format_description;
use time::{OffsetDateTime, UtcOffset};

const DRF_DATETIME: &[BorrowedFormatItem<'_>] =
    format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z");

pub fn now() -> OffsetDateTime {
    OffsetDateTime::now_utc()
}

/// Seconds since the epoch, as JWTs count them.
pub fn unix_now() -> i64 {
    now().unix_timestamp()
}

/// `2027-02-24T04:57:17.337348Z`.
pub fn drf_datetime(at: OffsetDateTime) -> String {
    at.to_offset(UtcOffset::UTC)
        .format(DRF_DATETIME)
        .expect("every four-digit year formats")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(micros: i64) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000).unwrap()
    }

    #[test]
    fn formats_like_django() {
        assert_eq!(drf_datetime(at(0)), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            drf_datetime(at(1_803_445_037_337_348)),
            "2027-02-24T04:57:17.337348Z"
        );
        assert_eq!(
            drf_datetime(at(951_782_400_000_000)),
            "2000-02-29T00:00:00.000000Z"
        );
    }
}
