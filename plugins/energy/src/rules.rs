//! The DISCOMs' rules for connections, category changes, name transfers,
//! meter readings, no-dues certificates and PM Surya Ghar rooftop solar, as
//! pure functions of the answers and the consumer's record.

use mitra_sdk::{Decision, Text, validate};

/// Above this contracted load the supply is HT (11 kV), applied for at the division office.
pub(crate) const LT_MAX_KW: f64 = 75.0;
pub(crate) const MIN_LOAD_KW: f64 = 0.5;
/// Single-phase supply is given up to this load; above it, three-phase.
pub(crate) const SINGLE_PHASE_MAX_KW: f64 = 5.0;
/// Farm pump sets from 5 HP to 20 HP (1 HP = 0.746 kW).
pub(crate) const AGRI_KW: (f64, f64) = (3.7, 15.0);
/// Shadow-free roof a rooftop plant needs per kW, in square feet.
pub(crate) const ROOF_SQFT_PER_KW: f64 = 100.0;
pub(crate) const SOLAR_KW: (f64, f64) = (1.0, 10.0);

/// The tariff categories a citizen chooses among.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Category {
    Domestic,
    Commercial,
    Agricultural,
    Industrial,
}

impl Category {
    pub(crate) fn parse(id: &str) -> Option<Self> {
        match id {
            "domestic" => Some(Category::Domestic),
            "commercial" => Some(Category::Commercial),
            "agricultural" => Some(Category::Agricultural),
            "industrial" => Some(Category::Industrial),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> Text {
        match self {
            Category::Domestic => Text::new("Domestic").te("గృహ").hi("घरेलू"),
            Category::Commercial => Text::new("Commercial").te("వాణిజ్య").hi("व्यावसायिक"),
            Category::Agricultural => Text::new("Agricultural").te("వ్యవసాయ").hi("कृषि"),
            Category::Industrial => Text::new("Industrial").te("పారిశ్రామిక").hi("औद्योगिक"),
        }
    }
}

/// What the department system says about a connection, as far as the rules care.
#[derive(Clone, Debug)]
pub(crate) struct Account<'a> {
    pub(crate) usc: &'a str,
    pub(crate) name: &'a str,
    pub(crate) category: Option<Category>,
    pub(crate) disconnected: bool,
    pub(crate) arrears_paise: u64,
    pub(crate) sanctioned_load_kw: f64,
    pub(crate) last_reading_kwh: u64,
}

/// A service (USC) number: 13 digits, typed with or without spaces and dashes.
pub(crate) fn usc(input: &str) -> Option<String> {
    let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '/')).collect();
    (digits.len() == 13 && digits.bytes().all(|b| b.is_ascii_digit())).then_some(digits)
}

fn decide(reasons: Vec<Text>) -> Decision {
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

fn dues_reasons(a: &Account<'_>) -> Vec<Text> {
    let mut reasons = Vec::new();
    if a.disconnected {
        reasons.push(
            Text::new(format!(
                "Service number {} is disconnected for non-payment; pay the dues to restore it first.",
                a.usc
            ))
            .te(format!("సర్వీస్ నంబర్ {} బకాయిల వల్ల కనెక్షన్ తొలగించబడింది; ముందుగా బకాయి చెల్లించి పునరుద్ధరించుకోండి.", a.usc))
            .hi(format!("सर्विस नंबर {} बकाया के कारण काटा गया है; पहले बकाया चुकाकर कनेक्शन बहाल कराएँ।", a.usc)),
        );
    }
    if a.arrears_paise > 0 {
        let due = rupees_text(a.arrears_paise);
        reasons.push(
            Text::new(format!("{due} of arrears is due on service number {}; pay it first.", a.usc))
                .te(format!("సర్వీస్ నంబర్ {} పై {due} బకాయి ఉంది; ముందుగా అది చెల్లించండి.", a.usc))
                .hi(format!("सर्विस नंबर {} पर {due} बकाया है; पहले उसे चुकाएँ।", a.usc)),
        );
    }
    reasons
}

/// A new LT connection: a load the category allows, within LT supply.
pub(crate) fn new_connection(category: Category, load_kw: f64) -> Decision {
    let mut reasons = Vec::new();
    if load_kw < MIN_LOAD_KW {
        reasons.push(
            Text::new(format!("The smallest connection is {MIN_LOAD_KW} kW."))
                .te(format!("కనీస కనెక్షన్ లోడు {MIN_LOAD_KW} కిలోవాట్లు."))
                .hi(format!("न्यूनतम कनेक्शन {MIN_LOAD_KW} किलोवाट है।")),
        );
    }
    if load_kw > LT_MAX_KW {
        reasons.push(
            Text::new(format!(
                "Loads above {LT_MAX_KW} kW get HT (11 kV) supply; apply at the DISCOM's division office."
            ))
            .te(format!("{LT_MAX_KW} కిలోవాట్లకు మించిన లోడుకు HT (11 కేవీ) సరఫరా; డివిజన్ కార్యాలయంలో దరఖాస్తు చేయండి."))
            .hi(format!("{LT_MAX_KW} किलोवाट से अधिक लोड पर HT (11 केवी) आपूर्ति; डिवीजन कार्यालय में आवेदन करें।")),
        );
    }
    if category == Category::Agricultural && !(AGRI_KW.0..=AGRI_KW.1).contains(&load_kw) {
        reasons.push(
            Text::new(format!("Farm pump sets are connected from {} to {} kW (5 to 20 HP).", AGRI_KW.0, AGRI_KW.1))
                .te(format!("వ్యవసాయ పంపుసెట్లకు {} నుంచి {} కిలోవాట్లు (5 నుంచి 20 హెచ్‌పీ).", AGRI_KW.0, AGRI_KW.1))
                .hi(format!("कृषि पंप सेट {} से {} किलोवाट (5 से 20 एचपी) तक जोड़े जाते हैं।", AGRI_KW.0, AGRI_KW.1)),
        );
    }
    decide(reasons)
}

/// What a new connection costs up front, in rupees (the section office confirms it on inspection).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Estimate {
    pub(crate) three_phase: bool,
    pub(crate) application_fee: u64,
    pub(crate) development_charges: u64,
    pub(crate) security_deposit: u64,
}

impl Estimate {
    pub(crate) fn total(self) -> u64 {
        self.application_fee + self.development_charges + self.security_deposit
    }
}

pub(crate) fn estimate(category: Category, load_kw: f64) -> Estimate {
    // Charges are levied per started kW.
    let kw = load_kw.max(MIN_LOAD_KW).ceil() as u64;
    let (fee, development, deposit) = match category {
        Category::Domestic => (50, 1_200, 200),
        Category::Commercial => (100, 1_800, 600),
        // Free supply to pump sets: no deposit; development charges per kW.
        Category::Agricultural => (50, 1_200, 0),
        Category::Industrial => (200, 2_000, 1_000),
    };
    Estimate {
        three_phase: load_kw > SINGLE_PHASE_MAX_KW || category != Category::Domestic,
        application_fee: fee,
        development_charges: development * kw,
        security_deposit: deposit * kw,
    }
}

/// A tariff category change: dues cleared and a real change.
pub(crate) fn category_change(a: &Account<'_>, to: Category) -> Decision {
    let mut reasons = dues_reasons(a);
    if a.category == Some(to) {
        let name = to.name();
        reasons.push(
            Text::new(format!("Service number {} is already billed as {}.", a.usc, name.en))
                .te(format!("సర్వీస్ నంబర్ {} ఇప్పటికే {} కేటగిరీలో ఉంది.", a.usc, name.te.unwrap_or_default()))
                .hi(format!("सर्विस नंबर {} पहले से {} श्रेणी में है।", a.usc, name.hi.unwrap_or_default())),
        );
    }
    if to == Category::Agricultural && a.sanctioned_load_kw > AGRI_KW.1 {
        reasons.push(
            Text::new(format!(
                "Farm supply is for pump sets up to {} kW; this connection has {} kW.",
                AGRI_KW.1, a.sanctioned_load_kw
            ))
            .te(format!("వ్యవసాయ సరఫరా {} కిలోవాట్ల వరకు పంపుసెట్లకే; ఈ కనెక్షన్ లోడు {} కిలోవాట్లు.", AGRI_KW.1, a.sanctioned_load_kw))
            .hi(format!(
                "कृषि आपूर्ति {} किलोवाट तक के पंप सेट के लिए है; इस कनेक्शन का लोड {} किलोवाट है।",
                AGRI_KW.1, a.sanctioned_load_kw
            )),
        );
    }
    decide(reasons)
}

fn same_name(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().map(str::to_lowercase).collect::<Vec<_>>().join(" ");
    norm(a) == norm(b)
}

/// A name transfer: dues cleared, and to someone other than the present holder.
pub(crate) fn name_transfer(a: &Account<'_>, new_name: &str) -> Decision {
    let mut reasons = dues_reasons(a);
    if same_name(a.name, new_name) {
        reasons.push(
            Text::new(format!("Service number {} already stands in the name of {}.", a.usc, a.name))
                .te(format!("సర్వీస్ నంబర్ {} ఇప్పటికే {} పేరు మీద ఉంది.", a.usc, a.name))
                .hi(format!("सर्विस नंबर {} पहले से {} के नाम पर है।", a.usc, a.name)),
        );
    }
    decide(reasons)
}

/// A no-dues certificate: nothing carried over and the supply live.
pub(crate) fn no_dues(a: &Account<'_>) -> Decision {
    decide(dues_reasons(a))
}

/// A self-read meter: live supply, and not below the reading last billed.
pub(crate) fn meter_reading(a: &Account<'_>, reading_kwh: u64) -> Decision {
    let mut reasons = Vec::new();
    if a.disconnected {
        reasons.push(
            Text::new(format!("Service number {} is disconnected; no reading is due.", a.usc))
                .te(format!("సర్వీస్ నంబర్ {} కనెక్షన్ తొలగించబడింది; రీడింగ్ అవసరం లేదు.", a.usc))
                .hi(format!("सर्विस नंबर {} कटा हुआ है; रीडिंग की आवश्यकता नहीं।", a.usc)),
        );
    }
    if reading_kwh < a.last_reading_kwh {
        let last = a.last_reading_kwh;
        reasons.push(
            Text::new(format!("The reading {reading_kwh} is below the last billed reading {last}; check the digits."))
                .te(format!("రీడింగ్ {reading_kwh} గత బిల్లు రీడింగ్ {last} కంటే తక్కువ; అంకెలు సరిచూడండి."))
                .hi(format!("रीडिंग {reading_kwh} पिछली बिल रीडिंग {last} से कम है; अंक जाँचें।")),
        );
    }
    decide(reasons)
}

/// What the citizen says about the roof.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Roof {
    pub(crate) owned: bool,
    pub(crate) area_sqft: f64,
    pub(crate) capacity_kw: f64,
    pub(crate) subsidy_taken_before: bool,
}

/// PM Surya Ghar: Muft Bijli Yojana — a household's own roof, a domestic
/// live connection, enough shadow-free area, capacity within the sanctioned
/// load, and the subsidy only once.
pub(crate) fn solar(a: &Account<'_>, roof: Roof) -> Decision {
    let mut reasons = Vec::new();
    if a.category != Some(Category::Domestic) {
        reasons.push(
            Text::new("PM Surya Ghar is for domestic connections only.")
                .te("పీఎం సూర్య ఘర్ గృహ కనెక్షన్లకు మాత్రమే.")
                .hi("पीएम सूर्य घर केवल घरेलू कनेक्शन के लिए है।"),
        );
    }
    if a.disconnected {
        reasons.extend(dues_reasons(&Account { arrears_paise: 0, ..a.clone() }));
    }
    if !roof.owned {
        reasons.push(
            Text::new("The roof must belong to the household; a tenant needs the owner to apply.")
                .te("పైకప్పు మీ కుటుంబానిదే అయి ఉండాలి; అద్దెదారులైతే యజమాని దరఖాస్తు చేయాలి.")
                .hi("छत परिवार की अपनी होनी चाहिए; किरायेदार के लिए मालिक आवेदन करे।"),
        );
    }
    if roof.subsidy_taken_before {
        reasons.push(
            Text::new("A household gets the rooftop solar subsidy only once.")
                .te("రూఫ్‌టాప్ సోలార్ సబ్సిడీ ఒక కుటుంబానికి ఒక్కసారే.")
                .hi("रूफटॉप सोलर सब्सिडी एक परिवार को एक बार ही मिलती है।"),
        );
    }
    let needed = roof.capacity_kw * ROOF_SQFT_PER_KW;
    if roof.area_sqft < needed {
        reasons.push(
            Text::new(format!(
                "{} kW needs {needed:.0} sq ft of shadow-free roof; you have {:.0}.",
                roof.capacity_kw, roof.area_sqft
            ))
            .te(format!(
                "{} కిలోవాట్లకు {needed:.0} చ.అ. నీడ లేని పైకప్పు కావాలి; మీకు {:.0} ఉంది.",
                roof.capacity_kw, roof.area_sqft
            ))
            .hi(format!(
                "{} किलोवाट के लिए {needed:.0} वर्ग फुट छायामुक्त छत चाहिए; आपके पास {:.0} है।",
                roof.capacity_kw, roof.area_sqft
            )),
        );
    }
    if roof.capacity_kw > a.sanctioned_load_kw {
        let load = a.sanctioned_load_kw;
        reasons.push(
            Text::new(format!("The plant may not exceed the sanctioned load of {load} kW; apply for more load first."))
                .te(format!("ప్లాంటు మంజూరైన లోడు {load} కిలోవాట్లు మించకూడదు; ముందుగా లోడు పెంపునకు దరఖాస్తు చేయండి."))
                .hi(format!("प्लांट स्वीकृत लोड {load} किलोवाट से अधिक नहीं हो सकता; पहले लोड बढ़वाएँ।")),
        );
    }
    decide(reasons)
}

/// The central subsidy in rupees: ₹30,000 a kW for the first 2 kW, ₹18,000
/// for the third, nothing beyond (at most ₹78,000).
pub(crate) fn solar_subsidy(capacity_kw: f64) -> u64 {
    let first = capacity_kw.clamp(0.0, 2.0) * 30_000.0;
    let third = (capacity_kw - 2.0).clamp(0.0, 1.0) * 18_000.0;
    (first + third).round() as u64
}

/// `₹1,23,456` or `₹1,234.50`: Indian digit grouping, paise only when present.
pub(crate) fn rupees_text(paise: u64) -> String {
    let (rupees, rest) = (paise / 100, paise % 100);
    let digits = rupees.to_string();
    let grouped = if digits.len() <= 3 {
        digits
    } else {
        let (head, last3) = digits.split_at(digits.len() - 3);
        let mut groups: Vec<&str> = Vec::new();
        let mut end = head.len();
        while end > 0 {
            let start = end.saturating_sub(2);
            groups.push(&head[start..end]);
            end = start;
        }
        groups.reverse();
        format!("{},{last3}", groups.join(","))
    };
    if rest == 0 { format!("₹{grouped}") } else { format!("₹{grouped}.{rest:02}") }
}

/// A UPI intent link (NPCI linking spec) for `paise` to `vpa`.
pub(crate) fn upi_link(vpa: &str, payee: &str, paise: u64, txn_ref: &str, note: &str) -> String {
    format!(
        "upi://pay?pa={}&pn={}&am={}.{:02}&tr={}&tn={}&cu=INR",
        encode(vpa),
        encode(payee),
        paise / 100,
        paise % 100,
        encode(txn_ref),
        encode(note)
    )
}

/// Percent-encodes everything but RFC 3986's unreserved characters (and `@` in handles).
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'@' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `YYYY-MM-DD` as bills print it (`DD-MM-YYYY`); other text unchanged.
pub(crate) fn display(iso: &str) -> String {
    validate::date(iso).map(validate::display_date).unwrap_or_else(|_| iso.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> Account<'static> {
        Account {
            usc: "1102345678901",
            name: "Lakshmi Reddy",
            category: Some(Category::Domestic),
            disconnected: false,
            arrears_paise: 0,
            sanctioned_load_kw: 3.0,
            last_reading_kwh: 12_000,
        }
    }

    fn reasons(decision: Decision) -> Vec<Text> {
        match decision {
            Decision::Ineligible(reasons) => reasons,
            other => panic!("expected ineligible, got {other:?}"),
        }
    }

    #[test]
    fn service_numbers_are_thirteen_digits() {
        assert_eq!(usc("1102 3456 78901").as_deref(), Some("1102345678901"));
        assert_eq!(usc("110-2345678901").as_deref(), Some("1102345678901"));
        assert_eq!(usc("110234567890"), None);
        assert_eq!(usc("TestTestTestTest"), None);
        assert_eq!(usc("11023456789/1"), None);
    }

    #[test]
    fn new_connections_stay_within_lt_supply_and_pump_set_sizes() {
        assert_eq!(new_connection(Category::Domestic, 3.0), Decision::Eligible);
        assert_eq!(new_connection(Category::Agricultural, 7.5), Decision::Eligible);
        assert!(reasons(new_connection(Category::Commercial, 90.0))[0].en.contains("HT (11 kV)"));
        let small_pump = reasons(new_connection(Category::Agricultural, 2.0));
        assert!(small_pump[0].en.contains("5 to 20 HP") && small_pump[0].te.as_deref().unwrap().contains("హెచ్‌పీ"));
        assert_eq!(reasons(new_connection(Category::Domestic, 0.2)).len(), 1);
    }

    #[test]
    fn connection_charges_are_per_started_kilowatt() {
        let e = estimate(Category::Domestic, 2.5);
        assert_eq!((e.development_charges, e.security_deposit, e.three_phase), (3_600, 600, false));
        assert_eq!(e.total(), 50 + 3_600 + 600);
        assert!(estimate(Category::Domestic, 6.0).three_phase);
        assert_eq!(estimate(Category::Agricultural, 7.5).security_deposit, 0);
    }

    #[test]
    fn dues_block_name_transfer_category_change_and_no_dues() {
        let owing = Account { arrears_paise: 234_550, ..account() };
        let r = reasons(name_transfer(&owing, "Ravi Kumar Rao"));
        assert!(r[0].en.contains("₹2,345.50"), "{:?}", r[0]);
        assert!(r[0].te.as_deref().unwrap().contains("బకాయి"));
        assert_eq!(reasons(no_dues(&owing)).len(), 1);
        let cut = Account { disconnected: true, arrears_paise: 900_000, ..account() };
        assert_eq!(reasons(category_change(&cut, Category::Commercial)).len(), 2);
        assert_eq!(no_dues(&account()), Decision::Eligible);
        assert_eq!(name_transfer(&account(), "Ravi Kumar Rao"), Decision::Eligible);
    }

    #[test]
    fn a_transfer_or_change_must_change_something() {
        assert!(reasons(name_transfer(&account(), "  lakshmi   REDDY "))[0].en.contains("already stands"));
        assert!(reasons(category_change(&account(), Category::Domestic))[0].en.contains("already billed as Domestic"));
        assert_eq!(category_change(&account(), Category::Commercial), Decision::Eligible);
        let big = Account { sanctioned_load_kw: 30.0, ..account() };
        assert!(reasons(category_change(&big, Category::Agricultural))[0].en.contains("pump sets up to 15"));
    }

    #[test]
    fn a_meter_reading_cannot_go_backwards() {
        assert_eq!(meter_reading(&account(), 12_150), Decision::Eligible);
        let r = reasons(meter_reading(&account(), 11_999));
        assert!(r[0].en.contains("12000") && r[0].te.as_deref().unwrap().contains("12000"));
    }

    #[test]
    fn surya_ghar_wants_an_own_roof_a_domestic_connection_and_room() {
        let roof = Roof { owned: true, area_sqft: 350.0, capacity_kw: 3.0, subsidy_taken_before: false };
        assert_eq!(solar(&account(), roof), Decision::Eligible);
        let shop = Account { category: Some(Category::Commercial), ..account() };
        assert!(reasons(solar(&shop, roof))[0].en.contains("domestic"));
        let cramped = Roof { owned: false, area_sqft: 200.0, capacity_kw: 4.0, subsidy_taken_before: true };
        let r = reasons(solar(&account(), cramped));
        assert_eq!(r.len(), 4, "{r:?}");
        assert!(r[2].en.contains("400 sq ft") && r[3].en.contains("3 kW"));
    }

    #[test]
    fn the_subsidy_tapers_after_two_kilowatts() {
        assert_eq!(solar_subsidy(1.0), 30_000);
        assert_eq!(solar_subsidy(2.0), 60_000);
        assert_eq!(solar_subsidy(2.5), 69_000);
        assert_eq!(solar_subsidy(3.0), 78_000);
        assert_eq!(solar_subsidy(10.0), 78_000);
    }

    #[test]
    fn amounts_and_links_are_formatted_for_upi() {
        assert_eq!(rupees_text(124_050), "₹1,240.50");
        assert_eq!(rupees_text(123_456_700), "₹12,34,567");
        assert_eq!(
            upi_link("apcpdcl.billpay@sbi", "APCPDCL", 124_050, "APCPDCL110234567890120260412", "USC 1102345678901"),
            "upi://pay?pa=apcpdcl.billpay@sbi&pn=APCPDCL&am=1240.50&tr=APCPDCL110234567890120260412\
             &tn=USC%201102345678901&cu=INR"
        );
    }
}
