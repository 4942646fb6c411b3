//! The municipal corporations this plugin serves, mirrored from the
//! department's ULB master (the integration tests check the two agree).

/// An urban local body.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Ulb {
    /// The choice id in forms.
    pub(crate) id: &'static str,
    /// Three letters, used in registration and licence numbers.
    pub(crate) code: &'static str,
    /// Four digits, the first part of every assessment number.
    pub(crate) number: &'static str,
    pub(crate) town: &'static str,
    pub(crate) town_te: &'static str,
    pub(crate) town_hi: &'static str,
    pub(crate) name: &'static str,
    pub(crate) name_te: &'static str,
    /// The corporation office, the centre of its limits.
    pub(crate) lat: f64,
    pub(crate) lon: f64,
}

pub(crate) const ULBS: &[Ulb] = &[
    Ulb {
        id: "vja",
        code: "VJA",
        number: "1001",
        town: "Vijayawada",
        town_te: "విజయవాడ",
        town_hi: "विजयवाड़ा",
        name: "Vijayawada Municipal Corporation",
        name_te: "విజయవాడ నగరపాలక సంస్థ",
        lat: 16.5062,
        lon: 80.6480,
    },
    Ulb {
        id: "gnt",
        code: "GNT",
        number: "1002",
        town: "Guntur",
        town_te: "గుంటూరు",
        town_hi: "गुंटूर",
        name: "Guntur Municipal Corporation",
        name_te: "గుంటూరు నగరపాలక సంస్థ",
        lat: 16.3067,
        lon: 80.4365,
    },
    Ulb {
        id: "tpt",
        code: "TPT",
        number: "1003",
        town: "Tirupati",
        town_te: "తిరుపతి",
        town_hi: "तिरुपति",
        name: "Tirupati Municipal Corporation",
        name_te: "తిరుపతి నగరపాలక సంస్థ",
        lat: 13.6288,
        lon: 79.4192,
    },
    Ulb {
        id: "vsp",
        code: "VSP",
        number: "1004",
        town: "Visakhapatnam",
        town_te: "విశాఖపట్నం",
        town_hi: "विशाखापत्तनम",
        name: "Greater Visakhapatnam Municipal Corporation",
        name_te: "మహా విశాఖ నగరపాలక సంస్థ",
        lat: 17.6868,
        lon: 83.2185,
    },
    Ulb {
        id: "knl",
        code: "KNL",
        number: "1005",
        town: "Kurnool",
        town_te: "కర్నూలు",
        town_hi: "कर्नूल",
        name: "Kurnool Municipal Corporation",
        name_te: "కర్నూలు నగరపాలక సంస్థ",
        lat: 15.8281,
        lon: 78.0373,
    },
    Ulb {
        id: "rjy",
        code: "RJY",
        number: "1006",
        town: "Rajamahendravaram",
        town_te: "రాజమహేంద్రవరం",
        town_hi: "राजमहेंद्रवरम",
        name: "Rajamahendravaram Municipal Corporation",
        name_te: "రాజమహేంద్రవరం నగరపాలక సంస్థ",
        lat: 17.0005,
        lon: 81.8040,
    },
];

/// How far (km) from the corporation office its limits reach.
pub(crate) const LIMITS_KM: f64 = 15.0;

pub(crate) fn by_code(code: &str) -> Option<&'static Ulb> {
    ULBS.iter().find(|u| u.code.eq_ignore_ascii_case(code))
}

fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    // An equirectangular approximation is within metres at city scale.
    let x = (lon2 - lon1).to_radians() * ((lat1 + lat2) / 2.0).to_radians().cos();
    let y = (lat2 - lat1).to_radians();
    (x * x + y * y).sqrt() * 6371.0
}

/// The corporation whose limits take in a point, the nearest if several do.
pub(crate) fn serving(lat: f64, lon: f64) -> Option<&'static Ulb> {
    ULBS.iter()
        .map(|u| (u, distance_km(lat, lon, u.lat, u.lon)))
        .filter(|(_, km)| *km <= LIMITS_KM)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(u, _)| u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_point_in_a_city_is_served_by_its_corporation() {
        assert_eq!(serving(16.51, 80.63).map(|u| u.code), Some("VJA"));
        assert_eq!(serving(17.72, 83.30).map(|u| u.code), Some("VSP"));
        // Rural Anantapur district: no corporation here.
        assert_eq!(serving(14.68, 77.60), None);
    }

    #[test]
    fn codes_are_found_in_any_case() {
        assert_eq!(by_code("gnt").map(|u| u.number), Some("1002"));
        assert_eq!(by_code("XYZ"), None);
    }
}
