//! Seeded, realistic reference data shared by the simulated departments:
//! Andhra Pradesh districts, mandals and villages, and citizens' names in
//! English and Telugu. A fixed-seed generator makes every run identical.

/// A village with its names.
#[derive(Clone, Copy, Debug)]
pub struct Village {
    pub name: &'static str,
    pub name_te: &'static str,
}

/// A mandal and its villages.
#[derive(Clone, Copy, Debug)]
pub struct Mandal {
    pub name: &'static str,
    pub name_te: &'static str,
    pub villages: &'static [Village],
}

/// A district and its mandals.
#[derive(Clone, Copy, Debug)]
pub struct District {
    pub name: &'static str,
    pub name_te: &'static str,
    /// A representative PIN code.
    pub pincode: &'static str,
    /// Its headquarters' coordinates.
    pub lat: f64,
    pub lon: f64,
    pub mandals: &'static [Mandal],
}

macro_rules! villages {
    ($(($en:literal, $te:literal)),* $(,)?) => { &[$(Village { name: $en, name_te: $te }),*] };
}

/// The districts the simulator knows, with real mandals and villages.
pub const DISTRICTS: &[District] = &[
    District {
        name: "NTR",
        name_te: "ఎన్టీఆర్",
        pincode: "520001",
        lat: 16.5062,
        lon: 80.6480,
        mandals: &[
            Mandal {
                name: "Vijayawada Rural",
                name_te: "విజయవాడ గ్రామీణ",
                villages: villages![("Gollapudi", "గొల్లపూడి"), ("Nunna", "నున్న"), ("Ambapuram", "అంబాపురం")],
            },
            Mandal {
                name: "Ibrahimpatnam",
                name_te: "ఇబ్రహీంపట్నం",
                villages: villages![("Kondapalli", "కొండపల్లి"), ("Guntupalli", "గుంటుపల్లి"), ("Jupudi", "జూపూడి")],
            },
        ],
    },
    District {
        name: "Guntur",
        name_te: "గుంటూరు",
        pincode: "522001",
        lat: 16.3067,
        lon: 80.4365,
        mandals: &[
            Mandal {
                name: "Mangalagiri",
                name_te: "మంగళగిరి",
                villages: villages![("Nidamarru", "నిడమర్రు"), ("Kuragallu", "కురగల్లు"), ("Navuluru", "నవులూరు")],
            },
            Mandal {
                name: "Tenali",
                name_te: "తెనాలి",
                villages: villages![
                    ("Angalakuduru", "అంగలకుదురు"),
                    ("Kolakaluru", "కొలకలూరు"),
                    ("Chinaravuru", "చినరావూరు")
                ],
            },
        ],
    },
    District {
        name: "Tirupati",
        name_te: "తిరుపతి",
        pincode: "517501",
        lat: 13.6288,
        lon: 79.4192,
        mandals: &[Mandal {
            name: "Tirupati Rural",
            name_te: "తిరుపతి గ్రామీణ",
            villages: villages![("Tiruchanur", "తిరుచానూరు"), ("Perur", "పేరూరు"), ("Avilala", "అవిలాల")],
        }],
    },
    District {
        name: "Visakhapatnam",
        name_te: "విశాఖపట్నం",
        pincode: "530001",
        lat: 17.6868,
        lon: 83.2185,
        mandals: &[Mandal {
            name: "Bheemunipatnam",
            name_te: "భీమునిపట్నం",
            villages: villages![("Tagarapuvalasa", "తగరపువలస"), ("Chittivalasa", "చిట్టివలస"), ("Nidigattu", "నిడిగట్టు")],
        }],
    },
    District {
        name: "Kurnool",
        name_te: "కర్నూలు",
        pincode: "518001",
        lat: 15.8281,
        lon: 78.0373,
        mandals: &[Mandal {
            name: "Kallur",
            name_te: "కల్లూరు",
            villages: villages![("Chinnatekur", "చిన్నటేకూరు"), ("Pedda Tekur", "పెద్దటేకూరు"), ("Ulindakonda", "ఉలిందకొండ")],
        }],
    },
    District {
        name: "East Godavari",
        name_te: "తూర్పు గోదావరి",
        pincode: "533101",
        lat: 17.0005,
        lon: 81.8040,
        mandals: &[Mandal {
            name: "Rajahmundry Rural",
            name_te: "రాజమహేంద్రవరం గ్రామీణ",
            villages: villages![("Dowleswaram", "ధవళేశ్వరం"), ("Katheru", "కాతేరు"), ("Bommuru", "బొమ్మూరు")],
        }],
    },
];

/// Finds a district by name, ignoring case.
pub fn district(name: &str) -> Option<&'static District> {
    DISTRICTS.iter().find(|d| d.name.eq_ignore_ascii_case(name.trim()))
}

const GIVEN: &[(&str, &str)] = &[
    ("Lakshmi", "లక్ష్మి"),
    ("Venkata Ramana", "వెంకట రమణ"),
    ("Srinivas", "శ్రీనివాస్"),
    ("Padmavathi", "పద్మావతి"),
    ("Suresh", "సురేష్"),
    ("Anjali", "అంజలి"),
    ("Ravi Kumar", "రవి కుమార్"),
    ("Sujatha", "సుజాత"),
    ("Nagaraju", "నాగరాజు"),
    ("Durga Bhavani", "దుర్గా భవాని"),
];
const FAMILY: &[(&str, &str)] = &[
    ("Reddy", "రెడ్డి"),
    ("Naidu", "నాయుడు"),
    ("Rao", "రావు"),
    ("Chowdary", "చౌదరి"),
    ("Sharma", "శర్మ"),
    ("Varma", "వర్మ"),
    ("Shaik", "షేక్"),
    ("Yadav", "యాదవ్"),
];

/// A splitmix64 generator: tiny, fast and the same on every machine.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for `key`: the same key always gives the same sequence.
    pub fn for_key(key: &str) -> Self {
        // FNV-1a of the key, so related keys still start far apart.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in key.bytes() {
            h = (h ^ b as u64).wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// A number in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// One element of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
}

/// A citizen's full name in English and Telugu.
pub fn person(rng: &mut Rng) -> (String, String) {
    let (g, g_te) = *rng.pick(GIVEN);
    let (f, f_te) = *rng.pick(FAMILY);
    (format!("{g} {f}"), format!("{g_te} {f_te}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_key_gives_the_same_citizen() {
        let a = person(&mut Rng::for_key("survey:NTR/Gollapudi/123"));
        let b = person(&mut Rng::for_key("survey:NTR/Gollapudi/123"));
        assert_eq!(a, b);
    }

    #[test]
    fn every_place_has_telugu_names() {
        for d in DISTRICTS {
            assert!(!d.name_te.is_empty() && !d.mandals.is_empty());
            for m in d.mandals {
                assert!(!m.name_te.is_empty() && !m.villages.is_empty());
            }
        }
        assert_eq!(district("ntr").unwrap().name, "NTR");
    }
}

/// Dates as the simulators keep them: day numbers (days since 1970-01-01) on
/// India's clock, converted with Howard Hinnant's civil-calendar algorithms.
pub mod calendar {
    const IST_OFFSET_SECS: i64 = 5 * 3600 + 1800;

    /// Today in India (UTC+05:30), as a day number, on Mitra's one clock
    /// (`MITRA_TODAY` pins it, as it does the host's).
    pub fn today() -> i64 {
        let ms = mitra_sdk::clock::now_unix_ms();
        (ms / 1000 + IST_OFFSET_SECS).div_euclid(86_400)
    }

    /// The day number of a proleptic Gregorian date (`month` 1–12).
    pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// `(year, month, day)` of a day number.
    pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (yoe + era * 400 + i64::from(month <= 2), month, day)
    }

    /// `YYYY-MM-DD` of a day number.
    pub fn iso(days: i64) -> String {
        let (y, m, d) = civil_from_days(days);
        format!("{y:04}-{m:02}-{d:02}")
    }

    /// `YYYY-MM-DD` as a day number; `None` for anything else or a day that
    /// does not exist.
    pub fn parse_date(text: &str) -> Option<i64> {
        let mut parts = text.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
        let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
        let (m, d) = (u32::try_from(m).ok()?, u32::try_from(d).ok()?);
        let days = days_from_civil(y, m, d);
        (civil_from_days(days) == (y, m, d)).then_some(days)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn only_real_days_parse() {
            assert_eq!(parse_date("2024-02-29"), Some(days_from_civil(2024, 2, 29)));
            for bad in ["2023-02-29", "2024-13-01", "2024-00-10", "2024-1-x", "tomorrow", "2024--1-01"] {
                assert_eq!(parse_date(bad), None, "{bad}");
            }
        }

        #[test]
        fn day_numbers_round_trip_through_dates() {
            assert_eq!(days_from_civil(1970, 1, 1), 0);
            assert_eq!(iso(days_from_civil(2024, 2, 29)), "2024-02-29");
            assert_eq!(iso(days_from_civil(2026, 11, 22) + 40), "2027-01-01");
            for day in -800_000..800_000 {
                if day % 997 == 0 {
                    let (y, m, d) = civil_from_days(day);
                    assert_eq!(days_from_civil(y, m, d), day);
                }
            }
        }
    }
}
