//! Validators for the identifiers and dates Indian government forms ask for.
//!
//! The host runs the same validators on every answer before a plugin sees it,
//! so a plugin may rely on answers being well-formed; a plugin can still call
//! them on data it fetches from its own backend.

use std::fmt;

use time::{Date, Month};

/// Why a value was refused, with the sentence a citizen reads in each language.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Invalid {
    /// Aadhaar must be 12 digits.
    AadhaarLength,
    /// Aadhaar numbers never start with 0 or 1.
    AadhaarLeadingDigit,
    /// The Verhoeff check digit does not match (a typo).
    AadhaarChecksum,
    /// Not a 10-digit Indian mobile number starting 6–9.
    Mobile,
    /// Not a 6-digit PIN code.
    Pincode,
    /// Not a date in a form we read (31-12-1960, 31/12/1960, 1960-12-31).
    DateFormat,
    /// The day does not exist (31 February).
    DateNotReal,
    /// A date in the future where a past date is needed.
    DateInFuture,
    /// A date in the past where a future date is needed.
    DateInPast,
    /// Not a number.
    Number,
}

/// One sentence in the three languages Mitra speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message {
    /// English.
    pub en: &'static str,
    /// Telugu.
    pub te: &'static str,
    /// Hindi.
    pub hi: &'static str,
}

impl Invalid {
    /// What to tell the citizen, so they can answer again.
    pub fn message(self) -> Message {
        let (en, te, hi) = match self {
            Invalid::AadhaarLength => {
                ("An Aadhaar number has 12 digits.", "ఆధార్ సంఖ్యలో 12 అంకెలు ఉంటాయి.", "आधार संख्या में 12 अंक होते हैं।")
            }
            Invalid::AadhaarLeadingDigit => (
                "An Aadhaar number does not start with 0 or 1.",
                "ఆధార్ సంఖ్య 0 లేదా 1 తో మొదలవదు.",
                "आधार संख्या 0 या 1 से शुरू नहीं होती।",
            ),
            Invalid::AadhaarChecksum => (
                "This Aadhaar number is not valid. Please check the digits.",
                "ఈ ఆధార్ సంఖ్య చెల్లదు. దయచేసి అంకెలను సరిచూడండి.",
                "यह आधार संख्या मान्य नहीं है। कृपया अंक जाँचें।",
            ),
            Invalid::Mobile => (
                "Please send a 10-digit mobile number starting with 6, 7, 8 or 9.",
                "6, 7, 8 లేదా 9 తో మొదలయ్యే 10 అంకెల మొబైల్ నంబర్ పంపండి.",
                "कृपया 6, 7, 8 या 9 से शुरू होने वाला 10 अंकों का मोबाइल नंबर भेजें।",
            ),
            Invalid::Pincode => (
                "A PIN code has 6 digits, e.g. 520001.",
                "పిన్ కోడ్‌లో 6 అంకెలు ఉంటాయి, ఉదా. 520001.",
                "पिन कोड में 6 अंक होते हैं, जैसे 520001।",
            ),
            Invalid::DateFormat => (
                "Please send the date as DD-MM-YYYY, e.g. 15-08-1990.",
                "తేదీని DD-MM-YYYY గా పంపండి, ఉదా. 15-08-1990.",
                "कृपया तारीख DD-MM-YYYY के रूप में भेजें, जैसे 15-08-1990।",
            ),
            Invalid::DateNotReal => (
                "That date does not exist. Please check the day and month.",
                "ఆ తేదీ లేదు. దయచేసి రోజు మరియు నెల సరిచూడండి.",
                "यह तारीख मौजूद नहीं है। कृपया दिन और महीना जाँचें।",
            ),
            Invalid::DateInFuture => {
                ("This date cannot be in the future.", "ఈ తేదీ భవిష్యత్తులో ఉండకూడదు.", "यह तारीख भविष्य की नहीं हो सकती।")
            }
            Invalid::DateInPast => {
                ("This date cannot be in the past.", "ఈ తేదీ గతంలో ఉండకూడదు.", "यह तारीख अतीत की नहीं हो सकती।")
            }
            Invalid::Number => {
                ("Please send a number, e.g. 120000.", "దయచేసి ఒక సంఖ్య పంపండి, ఉదా. 120000.", "कृपया एक संख्या भेजें, जैसे 120000।")
            }
        };
        Message { en, te, hi }
    }
}

impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message().en)
    }
}

impl std::error::Error for Invalid {}

/// Keeps the digits of `input`, dropping the spaces, dashes and dots people type.
fn digits(input: &str) -> Option<String> {
    let mut out = String::with_capacity(input.len());
    for c in input.chars() {
        match c {
            '0'..='9' => out.push(c),
            ' ' | '-' | '.' | '\u{a0}' => {}
            _ => return None,
        }
    }
    Some(out)
}

// Verhoeff's dihedral-group tables, as published for UIDAI's Aadhaar check digit.
const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const VERHOEFF_INV: [u8; 10] = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

fn verhoeff_fold(digits: impl DoubleEndedIterator<Item = u8>, offset: usize) -> u8 {
    digits
        .rev()
        .enumerate()
        .fold(0, |c, (i, d)| VERHOEFF_D[c as usize][VERHOEFF_P[(i + offset) % 8][d as usize] as usize])
}

/// The Verhoeff check digit to append to `payload` (ASCII digits only).
///
/// ```
/// assert_eq!(mitra_sdk::validate::verhoeff_check_digit("23659123456"), Some(8));
/// ```
pub fn verhoeff_check_digit(payload: &str) -> Option<u8> {
    if !payload.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let c = verhoeff_fold(payload.bytes().map(|b| b - b'0'), 1);
    Some(VERHOEFF_INV[c as usize])
}

/// Whether `number` (ASCII digits, check digit last) passes the Verhoeff check.
pub fn verhoeff_valid(number: &str) -> bool {
    !number.is_empty()
        && number.bytes().all(|b| b.is_ascii_digit())
        && verhoeff_fold(number.bytes().map(|b| b - b'0'), 0) == 0
}

/// Checks an Aadhaar number and returns its 12 digits.
///
/// ```
/// use mitra_sdk::validate::{aadhaar, Invalid};
/// assert_eq!(aadhaar("2365 9123 4568").as_deref(), Ok("236591234568"));
/// assert_eq!(aadhaar("2365 9123 4563"), Err(Invalid::AadhaarChecksum));
/// ```
pub fn aadhaar(input: &str) -> Result<String, Invalid> {
    let d = digits(input.trim()).ok_or(Invalid::AadhaarLength)?;
    if d.len() != 12 {
        return Err(Invalid::AadhaarLength);
    }
    if d.starts_with('0') || d.starts_with('1') {
        return Err(Invalid::AadhaarLeadingDigit);
    }
    if !verhoeff_valid(&d) {
        return Err(Invalid::AadhaarChecksum);
    }
    Ok(d)
}

/// Shows only the last four digits, as UIDAI asks printed documents to do.
pub fn mask_aadhaar(aadhaar: &str) -> String {
    let last4: String = aadhaar.chars().rev().take(4).collect::<Vec<_>>().into_iter().rev().collect();
    format!("XXXX XXXX {last4}")
}

/// Checks an Indian mobile number and returns its 10 digits.
///
/// Accepts `+91`, `91` or `0` in front and spaces or dashes between digits.
pub fn mobile(input: &str) -> Result<String, Invalid> {
    let trimmed = input.trim();
    let trimmed = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let d = digits(trimmed).ok_or(Invalid::Mobile)?;
    let national = match d.len() {
        10 => d.as_str(),
        11 if d.starts_with('0') => &d[1..],
        12 if d.starts_with("91") => &d[2..],
        _ => return Err(Invalid::Mobile),
    };
    if !matches!(national.as_bytes()[0], b'6'..=b'9') {
        return Err(Invalid::Mobile);
    }
    Ok(national.to_owned())
}

/// Checks a 6-digit PIN code (the first digit is a postal zone, 1–9).
pub fn pincode(input: &str) -> Result<String, Invalid> {
    let d = digits(input.trim()).ok_or(Invalid::Pincode)?;
    if d.len() != 6 || d.starts_with('0') {
        return Err(Invalid::Pincode);
    }
    Ok(d)
}

/// Reads a date as people in India write it: `15-08-1990`, `15/08/1990`,
/// `15.08.1990` (day first) or `1990-08-15` (ISO).
pub fn date(input: &str) -> Result<Date, Invalid> {
    let parts: Vec<&str> = input.trim().split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else {
        return Err(Invalid::DateFormat);
    };
    let num = |s: &str| -> Result<i32, Invalid> {
        if s.is_empty() || s.len() > 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Invalid::DateFormat);
        }
        s.parse().map_err(|_| Invalid::DateFormat)
    };
    let (year, month, day) = if a.len() == 4 {
        (num(a)?, num(b)?, num(c)?)
    } else if c.len() == 4 {
        (num(c)?, num(b)?, num(a)?)
    } else {
        return Err(Invalid::DateFormat);
    };
    let month = u8::try_from(month).ok().and_then(|m| Month::try_from(m).ok()).ok_or(Invalid::DateNotReal)?;
    let day = u8::try_from(day).map_err(|_| Invalid::DateNotReal)?;
    Date::from_calendar_date(year, month, day).map_err(|_| Invalid::DateNotReal)
}

/// Formats a date the way the contract carries it (`YYYY-MM-DD`).
pub fn iso_date(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day())
}

/// Formats a date the way Indian documents print it (`DD-MM-YYYY`).
pub fn display_date(date: Date) -> String {
    format!("{:02}-{:02}-{:04}", date.day(), u8::from(date.month()), date.year())
}

/// Today's date in India (UTC+05:30), the date every rule here is judged on
/// (see [`crate::clock`]: tests and demos can pin it).
pub fn today_in_india() -> Date {
    crate::clock::today_in_india()
}

/// Whole years between `born` and `on` (the age on that day).
pub fn age_on(born: Date, on: Date) -> u32 {
    let mut years = on.year() - born.year();
    if (on.month() as u8, on.day()) < (born.month() as u8, born.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Reads a number as typed, allowing Indian digit grouping (`1,20,000`) and `₹`.
pub fn number(input: &str) -> Result<f64, Invalid> {
    let cleaned: String = input
        .trim()
        .trim_start_matches('₹')
        .trim_start_matches("Rs.")
        .trim_start_matches("Rs")
        .chars()
        .filter(|c| *c != ',' && *c != ' ')
        .collect();
    let value: f64 = cleaned.parse().map_err(|_| Invalid::Number)?;
    if value.is_finite() { Ok(value) } else { Err(Invalid::Number) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verhoeff_matches_the_published_example() {
        // The worked example from Verhoeff's scheme: 236 → check digit 3.
        assert_eq!(verhoeff_check_digit("236"), Some(3));
        assert!(verhoeff_valid("2363"));
        assert!(!verhoeff_valid("2364"));
    }

    #[test]
    fn aadhaar_accepts_grouped_digits_and_rejects_typos() {
        let payload = "49911234567";
        let check = verhoeff_check_digit(payload).unwrap();
        let good = format!("{payload}{check}");
        assert_eq!(aadhaar(&good).unwrap(), good);
        assert_eq!(aadhaar(&format!("{} {} {}", &good[..4], &good[4..8], &good[8..])).unwrap(), good);
        // Every single-digit substitution is caught.
        for pos in 0..12 {
            let mut bytes = good.clone().into_bytes();
            bytes[pos] = if bytes[pos] == b'9' { b'2' } else { bytes[pos] + 1 };
            let typo = String::from_utf8(bytes).unwrap();
            assert!(aadhaar(&typo).is_err(), "typo at {pos} accepted: {typo}");
        }
        // Swapping two adjacent different digits is caught too.
        let swapped = format!("{}{}{}{}", &good[..3], &good[4..5], &good[3..4], &good[5..]);
        if swapped != good {
            assert_eq!(aadhaar(&swapped), Err(Invalid::AadhaarChecksum));
        }
        assert_eq!(aadhaar("12345"), Err(Invalid::AadhaarLength));
        assert_eq!(aadhaar("1234 5678 9012"), Err(Invalid::AadhaarLeadingDigit));
        assert_eq!(aadhaar("abcd efgh ijkl"), Err(Invalid::AadhaarLength));
        assert_eq!(mask_aadhaar(&good), format!("XXXX XXXX {}", &good[8..]));
    }

    #[test]
    fn mobile_numbers_in_the_forms_people_type() {
        assert_eq!(mobile("9876543210").unwrap(), "9876543210");
        assert_eq!(mobile("+91 98765-43210").unwrap(), "9876543210");
        assert_eq!(mobile("09876543210").unwrap(), "9876543210");
        assert_eq!(mobile("919876543210").unwrap(), "9876543210");
        assert_eq!(mobile("5876543210"), Err(Invalid::Mobile));
        assert_eq!(mobile("98765"), Err(Invalid::Mobile));
        assert_eq!(mobile("98765x3210"), Err(Invalid::Mobile));
    }

    #[test]
    fn pincodes_have_six_digits_and_a_zone() {
        assert_eq!(pincode(" 520 001 ").unwrap(), "520001");
        assert_eq!(pincode("020001"), Err(Invalid::Pincode));
        assert_eq!(pincode("52001"), Err(Invalid::Pincode));
    }

    #[test]
    fn dates_day_first_or_iso_and_real_only() {
        let d = date("15-08-1990").unwrap();
        assert_eq!(iso_date(d), "1990-08-15");
        assert_eq!(date("15/08/1990").unwrap(), d);
        assert_eq!(date("1990-08-15").unwrap(), d);
        assert_eq!(display_date(d), "15-08-1990");
        assert_eq!(date("29-02-2023"), Err(Invalid::DateNotReal));
        assert!(date("29-02-2024").is_ok());
        assert_eq!(date("31-13-2020"), Err(Invalid::DateNotReal));
        assert_eq!(date("yesterday"), Err(Invalid::DateFormat));
        assert_eq!(date("15-08-90"), Err(Invalid::DateFormat));
    }

    #[test]
    fn age_counts_birthdays_passed() {
        let born = date("15-08-1960").unwrap();
        assert_eq!(age_on(born, date("14-08-2020").unwrap()), 59);
        assert_eq!(age_on(born, date("15-08-2020").unwrap()), 60);
    }

    #[test]
    fn numbers_with_indian_grouping() {
        assert_eq!(number("1,20,000").unwrap(), 120000.0);
        assert_eq!(number("₹ 2,500").unwrap(), 2500.0);
        assert_eq!(number("lots"), Err(Invalid::Number));
        assert_eq!(number("inf"), Err(Invalid::Number));
    }

    #[test]
    fn every_reason_is_translated() {
        for reason in [
            Invalid::AadhaarLength,
            Invalid::AadhaarLeadingDigit,
            Invalid::AadhaarChecksum,
            Invalid::Mobile,
            Invalid::Pincode,
            Invalid::DateFormat,
            Invalid::DateNotReal,
            Invalid::DateInFuture,
            Invalid::DateInPast,
            Invalid::Number,
        ] {
            let m = reason.message();
            assert!(!m.en.is_empty() && !m.te.is_empty() && !m.hi.is_empty());
            assert_ne!(m.en, m.te);
        }
    }
}

/// Properties over arbitrary input (proptest; `PROPTEST_CASES` sets how
/// many, 256 by default): a validator never accepts what its rule forbids,
/// and accepts what it should however it is written.
#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    /// A 12-digit number that passes every Aadhaar rule.
    fn valid_aadhaar() -> impl Strategy<Value = String> {
        ("[2-9][0-9]{10}").prop_map(|payload| {
            let check = verhoeff_check_digit(&payload).unwrap();
            format!("{payload}{check}")
        })
    }

    /// Digits as people type them: spaces or dashes between groups.
    fn written(digits: &str, separator: &str) -> String {
        digits.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap()).collect::<Vec<_>>().join(separator)
    }

    proptest! {
        #[test]
        fn aadhaar_accepts_only_what_its_rules_allow(input in "\\PC{0,30}") {
            if let Ok(d) = aadhaar(&input) {
                prop_assert_eq!(d.len(), 12);
                prop_assert!(d.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(!d.starts_with('0') && !d.starts_with('1'));
                prop_assert!(verhoeff_valid(&d));
            }
        }

        #[test]
        fn a_valid_aadhaar_is_accepted_however_it_is_spaced(d in valid_aadhaar(), sep in "( |-|  | - )?") {
            prop_assert_eq!(aadhaar(&written(&d, &sep)), Ok(d.clone()));
            prop_assert_eq!(aadhaar(&format!("  {d}\n")), Ok(d.clone()));
        }

        #[test]
        fn one_digit_changed_is_caught_by_the_checksum(d in valid_aadhaar(), at in 1usize..12, by in 1u8..10) {
            let mut changed = d.clone().into_bytes();
            changed[at] = b'0' + (changed[at] - b'0' + by) % 10;
            let changed = String::from_utf8(changed).unwrap();
            prop_assert_eq!(aadhaar(&changed), Err(Invalid::AadhaarChecksum));
        }

        #[test]
        fn mobile_numbers_are_ten_digits_from_six_to_nine(input in "\\PC{0,20}|[+0-9 -]{0,16}") {
            if let Ok(n) = mobile(&input) {
                prop_assert_eq!(n.len(), 10);
                prop_assert!(n.bytes().all(|b| b.is_ascii_digit()));
                prop_assert!(matches!(n.as_bytes()[0], b'6'..=b'9'));
            }
        }

        #[test]
        fn a_mobile_is_read_with_any_usual_prefix(n in "[6-9][0-9]{9}", prefix in "(\\+91|91|0|\\+91 )?") {
            prop_assert_eq!(mobile(&format!("{prefix}{n}")), Ok(n.clone()));
        }

        #[test]
        fn pincodes_are_six_digits_not_starting_with_zero(input in "\\PC{0,12}|[0-9 ]{0,8}") {
            if let Ok(p) = pincode(&input) {
                prop_assert_eq!(p.len(), 6);
                prop_assert!(p.bytes().all(|b| b.is_ascii_digit()) && !p.starts_with('0'));
            }
        }

        #[test]
        fn dates_read_back_as_they_were_written(input in "\\PC{0,16}|[0-9]{1,4}[-/.][0-9]{1,2}[-/.][0-9]{1,4}") {
            if let Ok(d) = date(&input) {
                prop_assert_eq!(date(&display_date(d)), Ok(d));
                prop_assert_eq!(date(&iso_date(d)), Ok(d));
            }
        }

        #[test]
        fn a_real_date_is_read_in_every_written_form(day in 1u8..=28, month in 1u8..=12, year in 1900i32..2100) {
            let d = Date::from_calendar_date(year, Month::try_from(month).unwrap(), day).unwrap();
            for written in [format!("{day}/{month}/{year}"), format!("{day:02}.{month:02}.{year}"), iso_date(d)] {
                prop_assert_eq!(date(&written), Ok(d), "{}", written);
            }
        }

        #[test]
        fn numbers_are_finite(input in "\\PC{0,24}|[₹Rs.0-9, eE+-]{0,16}") {
            if let Ok(x) = number(&input) {
                prop_assert!(x.is_finite());
            }
        }
    }
}
