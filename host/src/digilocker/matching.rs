//! Whether the person DigiLocker vouches for is the one a certificate
//! names. DigiLocker sends the name and date of birth as Aadhaar verified
//! them; the specification asks the issuer to compare them with the
//! certificate "so that only authentic owners get access to a certificate".
//!
//! A certificate number alone is printed on paper others may see, so a
//! name is required and must match; a date of birth is compared whenever
//! both sides have one.

use time::{Date, Month};

use super::Unserved;
use super::messages::{IssuedTo, Person, Persons};
use crate::certificates::issuer::{self, IssuedDocument};
use crate::runtime::Document;
use crate::store::ApplicationRecord;

/// Who a certificate is issued to, as it states them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Holder {
    /// In Latin letters, as signed.
    pub name: String,
    /// In Telugu, where the certificate gives it.
    pub name_te: Option<String>,
    /// The date of birth the certificate prints, if it prints one.
    pub birth_date: Option<String>,
}

impl Holder {
    /// The holder of `application`'s certificate: the name its signed
    /// claims state, and the date of birth among its fields.
    pub fn of(application: &ApplicationRecord, issued: &IssuedDocument) -> Self {
        let claims = issuer::claims(application, issued);
        Holder { name: claims.name, name_te: claims.name_te, birth_date: birth_date(&issued.document) }
    }

    /// Whether DigiLocker's `full_name` and `dob` (`DD-MM-YYYY`) are this
    /// holder's.
    pub fn check(&self, full_name: Option<&str>, dob: Option<&str>) -> Result<(), Unserved> {
        let given = full_name.map(normalised).filter(|n| !n.is_empty()).ok_or(Unserved::NoName)?;
        let names = std::iter::once(&self.name).chain(&self.name_te);
        if !names.map(|n| normalised(n)).any(|n| n == given) {
            return Err(Unserved::NameDiffers);
        }
        match (dob.map(str::trim).filter(|d| !d.is_empty()), &self.birth_date) {
            (Some(given), Some(printed)) if !same_day(given, printed) => Err(Unserved::BirthDateDiffers),
            _ => Ok(()),
        }
    }

    /// `<IssuedTo>` for a Pull URI answer, so DigiLocker can match the name
    /// and date of birth on its side too.
    pub fn issued_to(&self) -> IssuedTo {
        IssuedTo { persons: self.persons() }
    }

    pub fn persons(&self) -> Persons {
        let dob = self.birth_date.as_deref().map(|d| day(d).map_or_else(|| d.to_owned(), display));
        Persons { person: vec![Person { name: self.name.clone(), dob }] }
    }
}

/// A name compared without case and with runs of whitespace as one space:
/// "LAKSHMI  devi" is "Lakshmi Devi".
pub fn normalised(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// The value of a field labelled as a date of birth.
fn birth_date(document: &Document) -> Option<String> {
    let is_birth_date = |label: &str| {
        let label = normalised(label);
        label.contains("date of birth") || label.contains("birth date") || label == "dob"
    };
    document.fields().find(|f| is_birth_date(&f.label.en)).map(|f| f.value.en.trim().to_owned())
}

/// Whether two written dates are the same day; as text if either is not a
/// date this reads.
fn same_day(a: &str, b: &str) -> bool {
    match (day(a), day(b)) {
        (Some(a), Some(b)) => a == b,
        _ => normalised(a) == normalised(b),
    }
}

/// A day written `DD-MM-YYYY` (DigiLocker's and the certificates'),
/// `DD/MM/YYYY`, `DD.MM.YYYY` or `YYYY-MM-DD`.
pub fn day(text: &str) -> Option<Date> {
    let parts: Vec<&str> = text.trim().split(['-', '/', '.']).collect();
    let [a, b, c] = parts.as_slice() else { return None };
    let (year, month, day) = if a.len() == 4 { (a, b, c) } else { (c, b, a) };
    if year.len() != 4 {
        return None;
    }
    let month = Month::try_from(month.parse::<u8>().ok()?).ok()?;
    Date::from_calendar_date(year.parse().ok()?, month, day.parse().ok()?).ok()
}

/// `DD-MM-YYYY`.
fn display(date: Date) -> String {
    format!("{:02}-{:02}-{:04}", date.day(), u8::from(date.month()), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(birth_date: Option<&str>) -> Holder {
        Holder {
            name: "Lakshmi Devi".into(),
            name_te: Some("లక్ష్మీ దేవి".into()),
            birth_date: birth_date.map(str::to_owned),
        }
    }

    #[test]
    fn names_are_compared_without_case_or_extra_whitespace() {
        let h = holder(None);
        assert_eq!(h.check(Some("Lakshmi Devi"), None), Ok(()));
        assert_eq!(h.check(Some("  LAKSHMI\t devi "), None), Ok(()));
        assert_eq!(h.check(Some("లక్ష్మీ  దేవి"), None), Ok(()));
        assert_eq!(h.check(Some("Lakshmi"), None), Err(Unserved::NameDiffers));
        assert_eq!(h.check(Some("Lakshmi Devi Rao"), None), Err(Unserved::NameDiffers));
    }

    #[test]
    fn a_pull_without_a_name_is_not_served() {
        assert_eq!(holder(None).check(None, Some("31-12-2019")), Err(Unserved::NoName));
        assert_eq!(holder(None).check(Some("   "), None), Err(Unserved::NoName));
    }

    #[test]
    fn a_birth_date_is_compared_when_both_sides_have_one() {
        let h = holder(Some("31-12-2019"));
        assert_eq!(h.check(Some("Lakshmi Devi"), Some("31-12-2019")), Ok(()));
        assert_eq!(h.check(Some("Lakshmi Devi"), Some("31/12/2019")), Ok(()));
        assert_eq!(h.check(Some("Lakshmi Devi"), Some("2019-12-31")), Ok(()));
        assert_eq!(h.check(Some("Lakshmi Devi"), Some("01-01-2000")), Err(Unserved::BirthDateDiffers));
        assert_eq!(h.check(Some("Lakshmi Devi"), Some("not a date")), Err(Unserved::BirthDateDiffers));
        // DigiLocker configured without the date of birth: the name decides.
        assert_eq!(h.check(Some("Lakshmi Devi"), None), Ok(()));
        // A certificate that prints no date of birth: the name decides.
        assert_eq!(holder(None).check(Some("Lakshmi Devi"), Some("01-01-2000")), Ok(()));
    }

    #[test]
    fn days_are_read_in_the_orders_india_writes_them() {
        let expected = Date::from_calendar_date(2019, Month::December, 31).unwrap();
        for text in ["31-12-2019", "31/12/2019", "31.12.2019", "2019-12-31", " 31-12-2019 "] {
            assert_eq!(day(text), Some(expected), "{text}");
        }
        for text in ["31-13-2019", "32-12-2019", "12-2019", "31-12-19", "", "x-y-z"] {
            assert_eq!(day(text), None, "{text}");
        }
    }

    #[test]
    fn the_issued_to_element_carries_the_name_and_the_birth_date_as_digilocker_writes_it() {
        let persons = holder(Some("2019-12-31")).persons();
        assert_eq!(persons.person, [Person { name: "Lakshmi Devi".into(), dob: Some("31-12-2019".into()) }]);
    }
}
