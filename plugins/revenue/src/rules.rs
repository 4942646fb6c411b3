//! The Tahsildar's rules and the shaping of Webland data, as pure functions
//! so they are tested without a host.

use mitra_sdk::{Decision, Text};

// ---------------------------------------------------------------- inputs

/// A survey number as Webland writes it (`45`, `45/2`, `45/2A`), from what a
/// citizen types (`45 / 2a`, `45-2A`). `None` when it cannot be one.
pub(crate) fn survey_number(input: &str) -> Option<String> {
    let normal: String = input
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| if c == '-' { '/' } else { c.to_ascii_uppercase() })
        .collect();
    let mut parts = normal.split('/');
    let base = parts.next()?;
    if base.is_empty() || base.len() > 4 || !base.bytes().all(|b| b.is_ascii_digit()) || base.starts_with('0') {
        return None;
    }
    let subs: Vec<&str> = parts.collect();
    let sub_ok = |s: &&str| !s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_alphanumeric());
    (subs.len() <= 2 && subs.iter().all(sub_ok)).then_some(normal)
}

/// An e-Mutation application number `MUT-YYYY-NNNNNN`, from `mut 2024 4821`
/// or `MUT-2024-004821`.
pub(crate) fn mutation_number(input: &str) -> Option<String> {
    let upper = input.trim().to_ascii_uppercase();
    let parts: Vec<&str> =
        upper.split(|c: char| c == '-' || c == '/' || c.is_whitespace()).filter(|p| !p.is_empty()).collect();
    let [prefix, year, serial] = parts.as_slice() else { return None };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if *prefix != "MUT" || year.len() != 4 || !digits(year) || serial.len() > 6 || !digits(serial) {
        return None;
    }
    Some(format!("MUT-{year}-{:0>6}", serial))
}

/// Whether two spellings name one person: the same words in any order,
/// ignoring case and dots ("Reddy Lakshmi" is "Lakshmi Reddy").
pub(crate) fn same_person(a: &str, b: &str) -> bool {
    let words = |s: &str| {
        let mut w: Vec<String> =
            s.split(|c: char| c.is_whitespace() || c == '.').filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        w.sort();
        w
    };
    let (a, b) = (words(a), words(b));
    !a.is_empty() && a == b
}

// ---------------------------------------------------------------- formatting

/// An extent in AP's acres.cents, with hectares: `4.46 ac (1.805 ha)`.
pub(crate) fn extent(cents: u32) -> String {
    let hectares = f64::from(cents) / 100.0 * 0.404_686;
    format!("{}.{:02} ac ({hectares:.3} ha)", cents / 100, cents % 100)
}

/// Rupees with Indian digit grouping: `₹12,34,567`.
pub(crate) fn rupees(amount: u64) -> String {
    let digits = amount.to_string();
    if digits.len() <= 3 {
        return format!("₹{digits}");
    }
    let (head, last3) = digits.split_at(digits.len() - 3);
    let mut groups: Vec<&str> = Vec::new();
    let mut rest = head;
    while rest.len() > 2 {
        let (more, two) = rest.split_at(rest.len() - 2);
        groups.push(two);
        rest = more;
    }
    groups.push(rest);
    groups.reverse();
    format!("₹{},{last3}", groups.join(","))
}

const ONES: [&str; 20] = [
    "",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const TENS: [&str; 10] = ["", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety"];

fn below_hundred(n: u64) -> String {
    match n {
        0..=19 => ONES[n as usize].to_owned(),
        _ if n.is_multiple_of(10) => TENS[(n / 10) as usize].to_owned(),
        _ => format!("{} {}", TENS[(n / 10) as usize], ONES[(n % 10) as usize]),
    }
}

/// An amount in words the way certificates print it, in crores, lakhs and
/// thousands: `Rupees One Lakh Twenty Thousand only`.
pub(crate) fn rupees_in_words(amount: u64) -> String {
    if amount == 0 {
        return "Rupees Zero only".to_owned();
    }
    let mut parts = Vec::new();
    let mut rest = amount;
    for (unit, name) in [(10_000_000, "Crore"), (100_000, "Lakh"), (1_000, "Thousand"), (100, "Hundred")] {
        let count = rest / unit;
        if count > 0 {
            // Crores above 99 are themselves said in words ("One Hundred Twenty Crore").
            let said = if count >= 100 {
                rupees_in_words(count)[7..].trim_end_matches(" only").to_owned()
            } else {
                below_hundred(count)
            };
            parts.push(format!("{said} {name}"));
        }
        rest %= unit;
    }
    if rest > 0 {
        parts.push(below_hundred(rest));
    }
    format!("Rupees {} only", parts.join(" "))
}

/// `2026-11-22` as `22-11-2026`; anything else as given.
pub(crate) fn display_date(iso: &str) -> String {
    mitra_sdk::validate::date(iso).map(mitra_sdk::validate::display_date).unwrap_or_else(|_| iso.to_owned())
}

// ---------------------------------------------------------------- decisions

fn decide(reasons: Vec<Text>) -> Decision {
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

/// What a citizen states for an income certificate.
#[derive(Clone, Debug)]
pub(crate) struct IncomeClaim<'a> {
    pub(crate) lives_here: bool,
    pub(crate) purpose: &'a str,
    pub(crate) rice_card: bool,
    pub(crate) occupation: &'a str,
    pub(crate) annual_income: f64,
}

/// The Tahsildar of the mandal where the family lives issues it; a family
/// with a rice card needs none for a welfare scheme (the State's 2020
/// orders made the rice card itself the proof of BPL income).
pub(crate) fn income_certificate(claim: &IncomeClaim<'_>) -> Decision {
    let earns = matches!(claim.occupation, "salaried" | "business" | "pension");
    if earns && claim.annual_income < 1.0 {
        // A salary, business or pension with no income is a slip of the thumb.
        return Decision::NeedsMore(vec!["income".to_owned()]);
    }
    let mut reasons = Vec::new();
    if !claim.lives_here {
        reasons.push(
            Text::new("Apply to the Tahsildar of the mandal where your family lives now.")
                .te("మీ కుటుంబం ప్రస్తుతం నివసిస్తున్న మండల తహసీల్దార్‌కు దరఖాస్తు చేయండి.")
                .hi("जिस मंडल में आपका परिवार अभी रहता है, वहाँ के तहसीलदार को आवेदन करें।"),
        );
    }
    if claim.rice_card && claim.purpose == "welfare" {
        reasons.push(
            Text::new("Your rice card is proof of income for welfare schemes; no income certificate is needed.")
                .te("సంక్షేమ పథకాలకు మీ బియ్యం కార్డే ఆదాయ రుజువు; ఆదాయ ధృవీకరణ పత్రం అవసరం లేదు.")
                .hi("कल्याण योजनाओं के लिए आपका राइस कार्ड ही आय का प्रमाण है; आय प्रमाण पत्र की आवश्यकता नहीं है।"),
        );
    }
    decide(reasons)
}

/// Communities for which the Tahsildar issues a community certificate.
pub(crate) const COMMUNITIES: &[(&str, &str, &str, &str)] = &[
    ("sc", "SC", "ఎస్సీ", "अनुसूचित जाति"),
    ("st", "ST", "ఎస్టీ", "अनुसूचित जनजाति"),
    ("bc-a", "BC-A", "బీసీ-ఎ", "बीसी-ए"),
    ("bc-b", "BC-B", "బీసీ-బి", "बीसी-बी"),
    ("bc-c", "BC-C", "బీసీ-సి", "बीसी-सी"),
    ("bc-d", "BC-D", "బీసీ-డి", "बीसी-डी"),
    ("bc-e", "BC-E", "బీసీ-ఇ", "बीसी-ई"),
    ("oc", "OC (none of these)", "ఓసీ (ఏదీ కాదు)", "ओसी (कोई नहीं)"),
];

/// The community's label in English and Telugu.
pub(crate) fn community_label(id: &str) -> (&'static str, &'static str) {
    COMMUNITIES.iter().find(|c| c.0 == id).map_or(("", ""), |c| (c.1, c.2))
}

/// Who may hold which community certificate: SC status is limited to
/// Hindus, Sikhs and Buddhists (Constitution (Scheduled Castes) Order, 1950,
/// para 3); BC-C is for SC converts to Christianity; BC-E groups are Muslim
/// communities; OC is no reserved community at all.
pub(crate) fn caste_certificate(community: &str, religion: &str) -> Decision {
    let reason = match (community, religion) {
        ("oc", _) => Some(
            Text::new("OC is not a reserved community; a community certificate is not issued. Apply for EWS instead.")
                .te("ఓసీ రిజర్వుడు వర్గం కాదు; కుల ధృవీకరణ పత్రం ఇవ్వబడదు. ఈడబ్ల్యూఎస్ పత్రానికి దరఖాస్తు చేయండి.")
                .hi("ओसी आरक्षित समुदाय नहीं है; जाति प्रमाण पत्र जारी नहीं होता। ईडब्ल्यूएस के लिए आवेदन करें।"),
        ),
        ("sc", r) if !matches!(r, "hindu" | "sikh" | "buddhist") => Some(
            Text::new("SC status is only for Hindus, Sikhs and Buddhists; SC converts to Christianity are BC-C.")
                .te("ఎస్సీ హోదా హిందువులు, సిక్కులు, బౌద్ధులకే; క్రైస్తవ మతం స్వీకరించిన ఎస్సీలు బీసీ-సి.")
                .hi("अनुसूचित जाति का दर्जा केवल हिंदू, सिख और बौद्धों के लिए है; ईसाई बने अनुसूचित जाति के लोग बीसी-सी हैं।"),
        ),
        ("bc-c", r) if r != "christian" => Some(
            Text::new("BC-C is for Scheduled Caste converts to Christianity and their children.")
                .te("బీసీ-సి క్రైస్తవ మతం స్వీకరించిన షెడ్యూల్డ్ కులాల వారికి, వారి సంతానానికి మాత్రమే.")
                .hi("बीसी-सी ईसाई धर्म अपनाने वाले अनुसूचित जाति के लोगों और उनकी संतान के लिए है।"),
        ),
        ("bc-e", r) if r != "muslim" => Some(
            Text::new("BC-E groups are Muslim communities; choose the group your community is listed in.")
                .te("బీసీ-ఇ గ్రూపులు ముస్లిం సమాజాలు; మీ కులం ఉన్న గ్రూపును ఎంచుకోండి.")
                .hi("बीसी-ई समूह मुस्लिम समुदाय हैं; वह समूह चुनें जिसमें आपका समुदाय सूचीबद्ध है।"),
        ),
        _ => None,
    };
    decide(reason.into_iter().collect())
}

/// Years at the address before the Tahsildar certifies residence on the VRO's report.
pub(crate) const RESIDENCE_MIN_YEARS: f64 = 1.0;

pub(crate) fn residence_certificate(years_here: f64) -> Decision {
    if years_here >= RESIDENCE_MIN_YEARS {
        return Decision::Eligible;
    }
    Decision::ineligible(
        Text::new("You must have lived at this address for at least one year before applying.")
            .te("దరఖాస్తుకు ముందు ఈ చిరునామాలో కనీసం ఒక సంవత్సరం నివసించి ఉండాలి.")
            .hi("आवेदन से पहले इस पते पर कम से कम एक वर्ष रहना आवश्यक है।"),
    )
}

/// The EWS limits of the Government of India (DoPT O.M. of 31 January 2019):
/// gross family income below ₹8 lakh in the previous financial year, and no
/// family holding of 5 acres of farm land, a 1,000 sq ft flat, a 100 sq yd
/// plot in a notified municipality or a 200 sq yd plot elsewhere.
pub(crate) const EWS_INCOME_LIMIT: f64 = 800_000.0;
pub(crate) const EWS_LAND_ACRES: f64 = 5.0;
pub(crate) const EWS_FLAT_SQFT: f64 = 1_000.0;
pub(crate) const EWS_PLOT_MUNICIPAL_SQYD: f64 = 100.0;
pub(crate) const EWS_PLOT_OTHER_SQYD: f64 = 200.0;

/// A family's income and assets as declared for EWS.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct EwsClaim {
    pub(crate) reserved: bool,
    pub(crate) income: f64,
    pub(crate) land_acres: f64,
    pub(crate) flat_sqft: f64,
    pub(crate) plot_municipal_sqyd: f64,
    pub(crate) plot_other_sqyd: f64,
}

pub(crate) fn ews_certificate(claim: &EwsClaim) -> Decision {
    let mut reasons = Vec::new();
    if claim.reserved {
        reasons.push(
            Text::new("EWS is only for families not covered by SC, ST or BC reservation.")
                .te("ఎస్సీ, ఎస్టీ, బీసీ రిజర్వేషన్ లేని కుటుంబాలకే ఈడబ్ల్యూఎస్.")
                .hi("ईडब्ल्यूएस केवल उन परिवारों के लिए है जो एससी, एसटी या बीसी आरक्षण में नहीं आते।"),
        );
    }
    if claim.income >= EWS_INCOME_LIMIT {
        let stated = rupees(claim.income as u64);
        reasons.push(
            Text::new(format!("Family income must be below ₹8,00,000 a year; you stated {stated}."))
                .te(format!("కుటుంబ వార్షిక ఆదాయం ₹8,00,000 కంటే తక్కువ ఉండాలి; మీరు తెలిపింది {stated}."))
                .hi(format!("परिवार की वार्षिक आय ₹8,00,000 से कम होनी चाहिए; आपने {stated} बताई।")),
        );
    }
    if claim.land_acres >= EWS_LAND_ACRES {
        reasons.push(
            Text::new("The family must own less than 5 acres of agricultural land.")
                .te("కుటుంబానికి 5 ఎకరాల కంటే తక్కువ వ్యవసాయ భూమి ఉండాలి.")
                .hi("परिवार के पास 5 एकड़ से कम कृषि भूमि होनी चाहिए।"),
        );
    }
    if claim.flat_sqft >= EWS_FLAT_SQFT {
        reasons.push(
            Text::new("The family must not own a residential flat of 1,000 sq ft or more.")
                .te("కుటుంబానికి 1,000 చ.అడుగులు లేదా అంతకు మించిన ఫ్లాట్ ఉండకూడదు.")
                .hi("परिवार के पास 1,000 वर्ग फुट या उससे बड़ा आवासीय फ्लैट नहीं होना चाहिए।"),
        );
    }
    if claim.plot_municipal_sqyd >= EWS_PLOT_MUNICIPAL_SQYD {
        reasons.push(
            Text::new("The family must not own a plot of 100 sq yards or more in a municipality.")
                .te("పురపాలక ప్రాంతంలో 100 చ.గజాలు లేదా అంతకు మించిన స్థలం ఉండకూడదు.")
                .hi("नगरपालिका क्षेत्र में 100 वर्ग गज या उससे बड़ा प्लॉट नहीं होना चाहिए।"),
        );
    }
    if claim.plot_other_sqyd >= EWS_PLOT_OTHER_SQYD {
        reasons.push(
            Text::new("The family must not own a plot of 200 sq yards or more outside municipalities.")
                .te("పురపాలక ప్రాంతం వెలుపల 200 చ.గజాలు లేదా అంతకు మించిన స్థలం ఉండకూడదు.")
                .hi("नगरपालिका क्षेत्र के बाहर 200 वर्ग गज या उससे बड़ा प्लॉट नहीं होना चाहिए।"),
        );
    }
    decide(reasons)
}

/// One family member as listed on a Family Member Certificate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) relation: String,
    pub(crate) age: u32,
}

/// The most members one certificate lists.
pub(crate) const MAX_MEMBERS: usize = 15;

/// Reads "Name, relation, age" per line (or separated by `;`). `None` when a
/// line does not read so, or there are none or too many.
pub(crate) fn family_members(text: &str) -> Option<Vec<Member>> {
    let members: Option<Vec<Member>> = text
        .split(['\n', ';'])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(|line| {
            let parts: Vec<&str> = line.split(',').map(str::trim).collect();
            let [name, relation, age] = parts.as_slice() else { return None };
            let age: u32 = age.trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace()).parse().ok()?;
            (!name.is_empty() && !relation.is_empty() && age <= 120).then(|| Member {
                name: (*name).to_owned(),
                relation: (*relation).to_owned(),
                age,
            })
        })
        .collect();
    members.filter(|m| (1..=MAX_MEMBERS).contains(&m.len()))
}

/// Only the deceased's spouse, children or parents may apply, and the
/// members must be listed one per line.
pub(crate) fn family_member_certificate(relation: &str, members: &str) -> Decision {
    if relation == "other" {
        return Decision::ineligible(
            Text::new("Only the spouse, a son or daughter, or a parent of the deceased may apply.")
                .te("మరణించినవారి భార్య/భర్త, కుమారుడు/కుమార్తె లేదా తల్లిదండ్రులు మాత్రమే దరఖాస్తు చేయవచ్చు.")
                .hi("केवल मृतक के पति/पत्नी, पुत्र/पुत्री या माता-पिता आवेदन कर सकते हैं।"),
        );
    }
    if family_members(members).is_none() {
        return Decision::NeedsMore(vec!["members".to_owned()]);
    }
    Decision::Eligible
}

/// Net income per acre a year the Tahsildar's office assumes for each land
/// class when certifying agricultural income (the simulated district norms).
pub(crate) fn income_per_acre(classification: &str) -> u64 {
    let class = classification.to_ascii_lowercase();
    if class.starts_with("wet") {
        30_000
    } else if class.starts_with("garden") {
        40_000
    } else if class.starts_with("dry") {
        15_000
    } else {
        0
    }
}

/// The estimated yearly agricultural income of holdings `(cents, class)`,
/// rounded down to a hundred rupees.
pub(crate) fn agricultural_income<'a>(holdings: impl IntoIterator<Item = (u32, &'a str)>) -> u64 {
    let total: u64 = holdings.into_iter().map(|(cents, class)| u64::from(cents) * income_per_acre(class) / 100).sum();
    total / 100 * 100
}

/// Only the pattadar on the 1-B is certified.
pub(crate) fn agricultural_income_certificate(applicant: &str, pattadar: &str, khata: u32) -> Decision {
    if same_person(applicant, pattadar) {
        return Decision::Eligible;
    }
    Decision::ineligible(
        Text::new(format!("Khata {khata} stands in the name of {pattadar}; only the pattadar may apply."))
            .te(format!("ఖాతా {khata} {pattadar} పేరున ఉంది; పట్టాదారు మాత్రమే దరఖాస్తు చేయవచ్చు."))
            .hi(format!("खाता {khata} {pattadar} के नाम पर है; केवल पट्टादार आवेदन कर सकते हैं।")),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reasons(decision: &Decision) -> Vec<String> {
        match decision {
            Decision::Ineligible(reasons) => {
                assert!(reasons.iter().all(|r| r.te.is_some()), "every reason has Telugu");
                reasons.iter().map(|r| r.en.clone()).collect()
            }
            _ => Vec::new(),
        }
    }

    #[test]
    fn survey_numbers_are_read_as_typed() {
        assert_eq!(survey_number("45").as_deref(), Some("45"));
        assert_eq!(survey_number(" 45 / 2a ").as_deref(), Some("45/2A"));
        assert_eq!(survey_number("45-2-A1").as_deref(), Some("45/2/A1"));
        for bad in ["", "0", "045", "12345", "45//2", "45/2/3/4", "Test", "45/ABCD"] {
            assert_eq!(survey_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn mutation_numbers_are_padded_and_checked() {
        assert_eq!(mutation_number("mut 2024 4821").as_deref(), Some("MUT-2024-004821"));
        assert_eq!(mutation_number("MUT-2024-004821").as_deref(), Some("MUT-2024-004821"));
        assert_eq!(mutation_number("MUT/2024/4821").as_deref(), Some("MUT-2024-004821"));
        for bad in ["4821", "MUT-24-4821", "RV-2024-4821", "MUT-2024-1234567", "MUT-2024-12a"] {
            assert_eq!(mutation_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn names_match_in_any_word_order() {
        assert!(same_person("Lakshmi Reddy", "reddy  lakshmi"));
        assert!(same_person("K. Srinivas", "K Srinivas"));
        assert!(!same_person("Lakshmi Reddy", "Lakshmi Naidu"));
        assert!(!same_person("", ""));
    }

    #[test]
    fn extents_print_in_acres_and_hectares() {
        assert_eq!(extent(446), "4.46 ac (1.805 ha)");
        assert_eq!(extent(5), "0.05 ac (0.020 ha)");
    }

    #[test]
    fn rupees_use_indian_grouping_and_words() {
        assert_eq!(rupees(0), "₹0");
        assert_eq!(rupees(999), "₹999");
        assert_eq!(rupees(120_000), "₹1,20,000");
        assert_eq!(rupees(12_345_678), "₹1,23,45,678");
        assert_eq!(rupees_in_words(120_000), "Rupees One Lakh Twenty Thousand only");
        assert_eq!(rupees_in_words(799_999), "Rupees Seven Lakh Ninety Nine Thousand Nine Hundred Ninety Nine only");
        assert_eq!(rupees_in_words(15), "Rupees Fifteen only");
        assert_eq!(rupees_in_words(1_200_000_000), "Rupees One Hundred Twenty Crore only");
    }

    #[test]
    fn dates_print_day_first() {
        assert_eq!(display_date("2024-03-09"), "09-03-2024");
        assert_eq!(display_date("soon"), "soon");
    }

    fn claim() -> IncomeClaim<'static> {
        IncomeClaim {
            lives_here: true,
            purpose: "education",
            rice_card: true,
            occupation: "agriculture",
            annual_income: 90_000.0,
        }
    }

    #[test]
    fn income_certificate_follows_residence_and_the_rice_card_order() {
        assert_eq!(income_certificate(&claim()), Decision::Eligible);
        let moved = IncomeClaim { lives_here: false, ..claim() };
        assert!(reasons(&income_certificate(&moved))[0].contains("Tahsildar"));
        let welfare = IncomeClaim { purpose: "welfare", ..claim() };
        assert!(reasons(&income_certificate(&welfare))[0].contains("rice card"));
        let no_card = IncomeClaim { purpose: "welfare", rice_card: false, ..claim() };
        assert_eq!(income_certificate(&no_card), Decision::Eligible);
        let zero_salary = IncomeClaim { occupation: "salaried", annual_income: 0.0, ..claim() };
        assert_eq!(income_certificate(&zero_salary), Decision::NeedsMore(vec!["income".into()]));
        let no_income = IncomeClaim { occupation: "none", annual_income: 0.0, ..claim() };
        assert_eq!(income_certificate(&no_income), Decision::Eligible);
    }

    #[test]
    fn community_certificates_follow_the_presidential_order() {
        assert_eq!(caste_certificate("sc", "hindu"), Decision::Eligible);
        assert_eq!(caste_certificate("sc", "buddhist"), Decision::Eligible);
        assert!(reasons(&caste_certificate("sc", "christian"))[0].contains("BC-C"));
        assert_eq!(caste_certificate("bc-c", "christian"), Decision::Eligible);
        assert_eq!(reasons(&caste_certificate("bc-c", "hindu")).len(), 1);
        assert_eq!(caste_certificate("bc-e", "muslim"), Decision::Eligible);
        assert_eq!(reasons(&caste_certificate("bc-e", "hindu")).len(), 1);
        assert_eq!(caste_certificate("st", "christian"), Decision::Eligible);
        assert!(reasons(&caste_certificate("oc", "hindu"))[0].contains("EWS"));
        assert_eq!(community_label("bc-a"), ("BC-A", "బీసీ-ఎ"));
    }

    #[test]
    fn residence_needs_a_year_at_the_address() {
        assert_eq!(residence_certificate(1.0), Decision::Eligible);
        assert_eq!(reasons(&residence_certificate(0.0)).len(), 1);
    }

    #[test]
    fn ews_limits_are_strict_and_each_breach_is_a_reason() {
        let poor = EwsClaim { income: 799_999.0, land_acres: 4.99, flat_sqft: 999.0, ..EwsClaim::default() };
        assert_eq!(ews_certificate(&poor), Decision::Eligible);
        let at_limits = EwsClaim {
            reserved: true,
            income: 800_000.0,
            land_acres: 5.0,
            flat_sqft: 1_000.0,
            plot_municipal_sqyd: 100.0,
            plot_other_sqyd: 200.0,
        };
        let all = reasons(&ews_certificate(&at_limits));
        assert_eq!(all.len(), 6, "{all:?}");
        assert!(all[1].contains("₹8,00,000") && all[1].contains("you stated ₹8,00,000"), "{all:?}");
    }

    #[test]
    fn family_members_are_read_one_per_line() {
        let members =
            family_members("Lakshmi Reddy, wife, 54\nSuresh Reddy, son, 30 years; Anjali, daughter, 27").unwrap();
        assert_eq!(members.len(), 3);
        assert_eq!(members[1], Member { name: "Suresh Reddy".into(), relation: "son".into(), age: 30 });
        assert_eq!(family_members("Lakshmi Reddy wife 54"), None);
        assert_eq!(family_members("Lakshmi, wife, fifty"), None);
        assert_eq!(family_members("  "), None);
        assert_eq!(family_members(&"A, son, 3\n".repeat(MAX_MEMBERS + 1)), None);
    }

    #[test]
    fn family_member_certificate_is_for_close_family() {
        assert_eq!(family_member_certificate("spouse", "Lakshmi, wife, 54"), Decision::Eligible);
        assert_eq!(reasons(&family_member_certificate("other", "Lakshmi, wife, 54")).len(), 1);
        assert_eq!(family_member_certificate("son", "Test"), Decision::NeedsMore(vec!["members".into()]));
    }

    #[test]
    fn agricultural_income_follows_land_class() {
        assert_eq!(agricultural_income([(150, "Wet (Magani)"), (100, "Dry (Metta)")]), 60_000);
        assert_eq!(agricultural_income([(33, "Garden (Thota)")]), 13_200);
        assert_eq!(agricultural_income([(500, "Tank bed")]), 0);
    }

    #[test]
    fn only_the_pattadar_gets_an_agricultural_income_certificate() {
        assert_eq!(agricultural_income_certificate("Reddy Lakshmi", "Lakshmi Reddy", 1004), Decision::Eligible);
        let why = reasons(&agricultural_income_certificate("Suresh Naidu", "Lakshmi Reddy", 1004));
        assert!(why[0].contains("Khata 1004") && why[0].contains("Lakshmi Reddy"), "{why:?}");
    }
}
