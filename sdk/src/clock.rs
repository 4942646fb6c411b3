//! What time it is, for every part of Mitra at once.
//!
//! Rules that depend on the date (a canteen closed on Sundays, a bus booked
//! at most 30 days ahead, a date of birth not in the future, the 24-hour
//! reply window) must be testable on a chosen day. Setting `MITRA_TODAY`
//! (`YYYY-MM-DD`, or `YYYY-MM-DDTHH:MM` in India's time) moves this clock so
//! that the process starts on that day, at noon unless a time is given, and
//! then runs at the real pace. The host, the department-backend simulator
//! and the test helpers all read the time here, so they agree on the day.
//!
//! Inside a plugin (wasm32) this clock is WASI's wall clock, which the host
//! moves by the same amount for every call: a plugin reads the pinned day
//! without doing anything.

use std::sync::OnceLock;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The environment variable that pins the day.
pub const ENV: &str = "MITRA_TODAY";

/// India Standard Time, UTC+05:30: the offset every date rule is judged in.
pub const IST: UtcOffset = match UtcOffset::from_hms(5, 30, 0) {
    Ok(offset) => offset,
    Err(_) => panic!("IST is a valid offset"),
};

/// How far this process's clock is ahead of the real one, in milliseconds
/// (negative: behind). Fixed at the first reading or by [`pin`].
static SHIFT_MS: OnceLock<i64> = OnceLock::new();

/// A `MITRA_TODAY` value that is not a date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPin(pub String);

impl std::fmt::Display for BadPin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} is not a day to pin the clock to: expected YYYY-MM-DD or YYYY-MM-DDTHH:MM (India's time)",
            self.0
        )
    }
}

impl std::error::Error for BadPin {}

/// Reads a pin: `YYYY-MM-DD` means noon of that day in India,
/// `YYYY-MM-DDTHH:MM` (or with a space) that minute.
pub fn parse_pin(spec: &str) -> Result<OffsetDateTime, BadPin> {
    let bad = || BadPin(spec.to_owned());
    let spec = spec.trim();
    let (day, minute) = match spec.split_once(['T', ' ']) {
        Some((day, minute)) => (day, Some(minute)),
        None => (spec, None),
    };
    let numbers = |s: &str, sep: char, n: usize| -> Option<Vec<u16>> {
        let parts: Vec<Option<u16>> = s.split(sep).map(|p| p.parse().ok()).collect();
        (parts.len() == n).then_some(())?;
        parts.into_iter().collect()
    };
    let ymd = numbers(day, '-', 3).ok_or_else(bad)?;
    let month = Month::try_from(u8::try_from(ymd[1]).map_err(|_| bad())?).map_err(|_| bad())?;
    let date = Date::from_calendar_date(i32::from(ymd[0]), month, u8::try_from(ymd[2]).map_err(|_| bad())?)
        .map_err(|_| bad())?;
    let time = match minute {
        None => Time::from_hms(12, 0, 0).expect("noon"),
        Some(hm) => {
            let hm = numbers(hm, ':', 2).ok_or_else(bad)?;
            let (h, m) = (u8::try_from(hm[0]).map_err(|_| bad())?, u8::try_from(hm[1]).map_err(|_| bad())?);
            Time::from_hms(h, m, 0).map_err(|_| bad())?
        }
    };
    Ok(PrimitiveDateTime::new(date, time).assume_offset(IST))
}

fn real_now_ms() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64)
}

fn shift_to(target: OffsetDateTime) -> i64 {
    (target.unix_timestamp_nanos() / 1_000_000) as i64 - real_now_ms()
}

/// Pins this process's clock to `spec` (see [`parse_pin`]) before anything
/// has read it, as `mitra serve --today` does. Fails on a bad spec or when
/// the clock was already read (the day would change under running code).
pub fn pin(spec: &str) -> Result<(), PinError> {
    let shift = shift_to(parse_pin(spec).map_err(PinError::Bad)?);
    SHIFT_MS.set(shift).map_err(|_| PinError::AlreadyRead)
}

/// Why [`pin`] refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PinError {
    /// The spec is not a day.
    Bad(BadPin),
    /// Something already read the clock.
    AlreadyRead,
}

impl std::fmt::Display for PinError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PinError::Bad(bad) => bad.fmt(f),
            PinError::AlreadyRead => f.write_str("the clock was read before it was pinned"),
        }
    }
}

impl std::error::Error for PinError {}

/// Reads `MITRA_TODAY` now, so that a program refuses a bad value with a
/// clear error at start instead of failing at the first reading of the
/// clock (which, in a library, can only panic).
pub fn check_env() -> Result<(), BadPin> {
    match std::env::var(ENV) {
        Ok(spec) if !spec.trim().is_empty() => parse_pin(&spec).map(|_| ()),
        _ => Ok(()),
    }
}

/// How far this process's clock is from the real one, in milliseconds: 0
/// unless `MITRA_TODAY` or [`pin`] moved it. The host moves each plugin
/// call's WASI wall clock by this much.
pub fn shift_ms() -> i64 {
    *SHIFT_MS.get_or_init(|| {
        // Plugins get the host's clock through WASI and no environment.
        if cfg!(target_family = "wasm") {
            return 0;
        }
        match std::env::var(ENV) {
            Ok(spec) if !spec.trim().is_empty() => match parse_pin(&spec) {
                Ok(target) => shift_to(target),
                // A demo or test on the wrong day is worse than no run.
                Err(bad) => panic!("{ENV}: {bad}"),
            },
            _ => 0,
        }
    })
}

/// Milliseconds since the Unix epoch, on this clock.
pub fn now_unix_ms() -> i64 {
    real_now_ms() + shift_ms()
}

/// Now, on this clock, as time since the Unix epoch.
pub fn since_epoch() -> Duration {
    Duration::from_millis(now_unix_ms().max(0) as u64)
}

/// Now, on this clock, in India's time.
pub fn now_in_india() -> OffsetDateTime {
    let nanos = i128::from(now_unix_ms()) * 1_000_000;
    OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH).to_offset(IST)
}

/// Today's date in India, the date every rule is judged on.
pub fn today_in_india() -> Date {
    now_in_india().date()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pin_is_noon_of_the_day_or_the_minute_given_in_india() {
        let noon = parse_pin("2028-02-29").unwrap();
        assert_eq!(noon.date(), Date::from_calendar_date(2028, Month::February, 29).unwrap());
        assert_eq!((noon.hour(), noon.minute()), (12, 0));
        assert_eq!(noon.offset(), IST);
        let late = parse_pin("2026-12-31T23:59").unwrap();
        assert_eq!(late.to_offset(UtcOffset::UTC).hour(), 18, "23:59 IST is 18:29 UTC");
        assert_eq!(parse_pin(" 2027-01-01 06:30 ").unwrap().hour(), 6);
    }

    #[test]
    fn a_pin_that_is_not_a_real_day_is_refused() {
        for bad in ["", "tomorrow", "2027-02-29", "2026-13-01", "2026-12-03T25:00", "03-12-2026", "2026-12-03T10"] {
            assert!(parse_pin(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_clock_shows_the_pinned_day_or_the_real_one() {
        match std::env::var(ENV) {
            Ok(spec) if !spec.trim().is_empty() => {
                assert_eq!(today_in_india(), parse_pin(&spec).unwrap().date(), "{ENV}={spec}");
            }
            _ => {
                assert_eq!(shift_ms(), 0);
                let real = OffsetDateTime::now_utc().to_offset(IST).date();
                assert!(today_in_india() == real || today_in_india() == real.next_day().unwrap());
            }
        }
    }
}
