//! The districts, mandals and villages Webland serves, so a form can offer
//! them as choices and a misspelt village is caught before a lookup.
//!
//! This mirrors the department's village master (the simulator's seed data);
//! the integration tests check the two agree.

/// A district and its mandals.
pub(crate) struct District {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) te: &'static str,
    pub(crate) hi: &'static str,
    pub(crate) mandals: &'static [Mandal],
}

/// A mandal and its revenue villages (English, Telugu).
pub(crate) struct Mandal {
    pub(crate) id: &'static str,
    pub(crate) name: &'static str,
    pub(crate) te: &'static str,
    pub(crate) villages: &'static [(&'static str, &'static str)],
}

pub(crate) const DISTRICTS: &[District] = &[
    District {
        id: "ntr",
        name: "NTR",
        te: "ఎన్టీఆర్",
        hi: "एनटीआर",
        mandals: &[
            Mandal {
                id: "vijayawada-rural",
                name: "Vijayawada Rural",
                te: "విజయవాడ గ్రామీణ",
                villages: &[("Gollapudi", "గొల్లపూడి"), ("Nunna", "నున్న"), ("Ambapuram", "అంబాపురం")],
            },
            Mandal {
                id: "ibrahimpatnam",
                name: "Ibrahimpatnam",
                te: "ఇబ్రహీంపట్నం",
                villages: &[("Kondapalli", "కొండపల్లి"), ("Guntupalli", "గుంటుపల్లి"), ("Jupudi", "జూపూడి")],
            },
        ],
    },
    District {
        id: "guntur",
        name: "Guntur",
        te: "గుంటూరు",
        hi: "गुंटूर",
        mandals: &[
            Mandal {
                id: "mangalagiri",
                name: "Mangalagiri",
                te: "మంగళగిరి",
                villages: &[("Nidamarru", "నిడమర్రు"), ("Kuragallu", "కురగల్లు"), ("Navuluru", "నవులూరు")],
            },
            Mandal {
                id: "tenali",
                name: "Tenali",
                te: "తెనాలి",
                villages: &[("Angalakuduru", "అంగలకుదురు"), ("Kolakaluru", "కొలకలూరు"), ("Chinaravuru", "చినరావూరు")],
            },
        ],
    },
    District {
        id: "tirupati",
        name: "Tirupati",
        te: "తిరుపతి",
        hi: "तिरुपति",
        mandals: &[Mandal {
            id: "tirupati-rural",
            name: "Tirupati Rural",
            te: "తిరుపతి గ్రామీణ",
            villages: &[("Tiruchanur", "తిరుచానూరు"), ("Perur", "పేరూరు"), ("Avilala", "అవిలాల")],
        }],
    },
    District {
        id: "visakhapatnam",
        name: "Visakhapatnam",
        te: "విశాఖపట్నం",
        hi: "विशाखापत्तनम",
        mandals: &[Mandal {
            id: "bheemunipatnam",
            name: "Bheemunipatnam",
            te: "భీమునిపట్నం",
            villages: &[("Tagarapuvalasa", "తగరపువలస"), ("Chittivalasa", "చిట్టివలస"), ("Nidigattu", "నిడిగట్టు")],
        }],
    },
    District {
        id: "kurnool",
        name: "Kurnool",
        te: "కర్నూలు",
        hi: "कर्नूल",
        mandals: &[Mandal {
            id: "kallur",
            name: "Kallur",
            te: "కల్లూరు",
            villages: &[("Chinnatekur", "చిన్నటేకూరు"), ("Pedda Tekur", "పెద్దటేకూరు"), ("Ulindakonda", "ఉలిందకొండ")],
        }],
    },
    District {
        id: "east-godavari",
        name: "East Godavari",
        te: "తూర్పు గోదావరి",
        hi: "पूर्वी गोदावरी",
        mandals: &[Mandal {
            id: "rajahmundry-rural",
            name: "Rajahmundry Rural",
            te: "రాజమహేంద్రవరం గ్రామీణ",
            villages: &[("Dowleswaram", "ధవళేశ్వరం"), ("Katheru", "కాతేరు"), ("Bommuru", "బొమ్మూరు")],
        }],
    },
];

/// Every mandal with its district, in form order.
pub(crate) fn mandals() -> impl Iterator<Item = (&'static District, &'static Mandal)> {
    DISTRICTS.iter().flat_map(|d| d.mandals.iter().map(move |m| (d, m)))
}

/// A village resolved against the master.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) district: &'static str,
    pub(crate) district_te: &'static str,
    pub(crate) mandal: &'static str,
    pub(crate) mandal_te: &'static str,
    pub(crate) village: &'static str,
    pub(crate) village_te: &'static str,
}

impl Place {
    /// "Gollapudi, Vijayawada Rural Mandal, NTR District".
    pub(crate) fn en(&self) -> String {
        format!("{}, {} Mandal, {} District", self.village, self.mandal, self.district)
    }

    /// The same in Telugu.
    pub(crate) fn te(&self) -> String {
        format!("{}, {} మండలం, {} జిల్లా", self.village_te, self.mandal_te, self.district_te)
    }
}

/// Which answer does not fit the master.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum PlaceError {
    /// The district choice is not one we know (an old form).
    District,
    /// The mandal chosen lies in another district.
    Mandal,
    /// No village of that name in the mandal.
    Village,
}

impl PlaceError {
    /// The form field to ask again.
    pub(crate) fn field(self) -> &'static str {
        match self {
            PlaceError::District => "district",
            PlaceError::Mandal => "mandal",
            PlaceError::Village => "village",
        }
    }
}

/// Lowercase without spaces, dots or dashes, so "Pedda Tekur", "peddatekur"
/// and "Pedda-Tekur" are one village.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-' | '\u{200c}'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Finds the village `village` (typed in English or Telugu) of the chosen
/// district and mandal.
pub(crate) fn resolve(district: &str, mandal: &str, village: &str) -> Result<Place, PlaceError> {
    let d = DISTRICTS.iter().find(|d| d.id == district).ok_or(PlaceError::District)?;
    let m = d.mandals.iter().find(|m| m.id == mandal).ok_or(PlaceError::Mandal)?;
    let typed = squash(village);
    let &(v, v_te) =
        m.villages.iter().find(|(en, te)| squash(en) == typed || squash(te) == typed).ok_or(PlaceError::Village)?;
    Ok(Place { district: d.name, district_te: d.te, mandal: m.name, mandal_te: m.te, village: v, village_te: v_te })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_village_is_found_by_its_english_or_telugu_name() {
        let place = resolve("ntr", "vijayawada-rural", " gollapudi ").unwrap();
        assert_eq!((place.village, place.mandal, place.district), ("Gollapudi", "Vijayawada Rural", "NTR"));
        assert_eq!(resolve("ntr", "vijayawada-rural", "గొల్లపూడి"), Ok(place));
        assert_eq!(resolve("kurnool", "kallur", "peddatekur").unwrap().village, "Pedda Tekur");
    }

    #[test]
    fn a_mandal_of_another_district_or_an_unknown_village_is_named() {
        assert_eq!(resolve("ntr", "tenali", "Angalakuduru"), Err(PlaceError::Mandal));
        assert_eq!(resolve("ntr", "vijayawada-rural", "Angalakuduru"), Err(PlaceError::Village));
        assert_eq!(resolve("krishna", "vijayawada-rural", "Gollapudi"), Err(PlaceError::District));
    }

    #[test]
    fn ids_are_unique_slugs() {
        let mut ids: Vec<&str> = mandals().map(|(_, m)| m.id).chain(DISTRICTS.iter().map(|d| d.id)).collect();
        let all = ids.len();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), all);
        assert!(ids.iter().all(|id| id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')));
    }
}
