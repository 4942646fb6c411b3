//! The rice card rules: who may hold a card, who may be added or removed, and
//! what a card draws each month. Free of host calls, so tested natively.

use mitra_sdk::prelude::*;

use crate::backend::{Card, Member, Seeding};

/// Monthly family income ceilings for a rice card (Navasakam criteria), in rupees.
pub const RURAL_INCOME_CEILING: f64 = 10_000.0;
pub const URBAN_INCOME_CEILING: f64 = 12_000.0;
/// Land a card-holding family may own, in acres: wet, dry, or both together.
pub const WET_LAND_MAX: f64 = 3.0;
pub const DRY_LAND_MAX: f64 = 10.0;
pub const TOTAL_LAND_MAX: f64 = 10.0;
/// Average household electricity use must stay below this, in units a month.
pub const ELECTRICITY_UNITS_BELOW: f64 = 300.0;
/// Built-up area a family may own in a town, in square feet.
pub const URBAN_PROPERTY_MAX_SQFT: f64 = 1_000.0;
/// A member added by marriage must be of marriageable age.
pub const MARRIAGE_MIN_AGE: u32 = 18;

/// Rice per card for Antyodaya families, whatever their size (NFSA).
pub const AAY_RICE_KG: u32 = 35;
/// Rice per member with e-KYC done for priority households (NFSA).
pub const PHH_RICE_KG_PER_MEMBER: u32 = 5;

/// Keeps the digits of an identifier typed with spaces or dashes, if it has `len` of them.
fn digits(input: &str, len: usize) -> Option<String> {
    let kept: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '.')).collect();
    (kept.len() == len && kept.bytes().all(|b| b.is_ascii_digit())).then_some(kept)
}

/// A rice card number: 10 digits.
pub fn card_number(input: &str) -> Option<String> {
    digits(input, 10)
}

/// A fair price shop number: 7 digits.
pub fn shop_number(input: &str) -> Option<String> {
    digits(input, 7)
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Area {
    Rural,
    Urban,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Vehicle {
    None,
    /// Taxis, tractors and autos earn a living and do not count.
    Commercial,
    Car,
}

/// What a family declares when applying for a new card.
#[derive(Clone, Debug, PartialEq)]
pub struct Household {
    pub area: Area,
    pub monthly_income: f64,
    pub wet_acres: f64,
    pub dry_acres: f64,
    pub vehicle: Vehicle,
    pub electricity_units: f64,
    pub govt_or_taxpayer: bool,
    pub urban_property_sqft: f64,
}

/// Why a family may not hold a rice card; empty when it may.
pub fn new_card_reasons(h: &Household) -> Vec<Text> {
    let mut reasons = Vec::new();
    let (ceiling, where_en, where_te, where_hi) = match h.area {
        Area::Rural => (RURAL_INCOME_CEILING, "in a village", "గ్రామంలో", "गाँव में"),
        Area::Urban => (URBAN_INCOME_CEILING, "in a town", "పట్టణంలో", "शहर में"),
    };
    if h.monthly_income > ceiling {
        let (limit, income) = (rupees(ceiling), rupees(h.monthly_income));
        reasons.push(
            Text::new(format!("Family income {where_en} must be at most {limit} a month; you told us {income}."))
                .te(format!("{where_te} కుటుంబ ఆదాయం నెలకు {limit} మించకూడదు; మీరు చెప్పింది {income}."))
                .hi(format!("{where_hi} परिवार की आय {limit} प्रति माह से अधिक नहीं होनी चाहिए; आपने {income} बताई।")),
        );
    }
    if h.wet_acres > WET_LAND_MAX || h.dry_acres > DRY_LAND_MAX || h.wet_acres + h.dry_acres > TOTAL_LAND_MAX {
        reasons.push(
            Text::new("The family may own at most 3 acres of wet land, or 10 acres of dry land, or 10 acres of both.")
                .te("కుటుంబానికి 3 ఎకరాల మాగాణి, లేదా 10 ఎకరాల మెట్ట, లేదా రెండూ కలిపి 10 ఎకరాలకు మించి ఉండకూడదు.")
                .hi("परिवार के पास 3 एकड़ सिंचित, या 10 एकड़ असिंचित, या दोनों मिलाकर 10 एकड़ से अधिक भूमि नहीं होनी चाहिए।"),
        );
    }
    if h.vehicle == Vehicle::Car {
        reasons.push(
            Text::new(
                "A family that owns a four-wheeler cannot get a rice card (taxis, tractors and autos are exempt).",
            )
            .te("నాలుగు చక్రాల వాహనం ఉన్న కుటుంబానికి బియ్యం కార్డు రాదు (టాక్సీ, ట్రాక్టర్, ఆటోలకు మినహాయింపు).")
            .hi("चार पहिया वाहन वाले परिवार को राशन कार्ड नहीं मिलता (टैक्सी, ट्रैक्टर और ऑटो को छूट है)।"),
        );
    }
    if h.electricity_units >= ELECTRICITY_UNITS_BELOW {
        let units = h.electricity_units.round();
        reasons.push(
            Text::new(format!("Electricity use must be below 300 units a month; yours is {units}."))
                .te(format!("నెలకు విద్యుత్ వినియోగం 300 యూనిట్ల కంటే తక్కువ ఉండాలి; మీది {units}."))
                .hi(format!("बिजली की खपत 300 यूनिट प्रति माह से कम होनी चाहिए; आपकी {units} है।")),
        );
    }
    if h.govt_or_taxpayer {
        reasons.push(
            Text::new("No member may be a government employee, a government pensioner or an income-tax payer.")
                .te("కుటుంబంలో ఎవరూ ప్రభుత్వ ఉద్యోగి, ప్రభుత్వ పింఛనుదారు లేదా ఆదాయపు పన్ను చెల్లింపుదారు కాకూడదు.")
                .hi("परिवार का कोई सदस्य सरकारी कर्मचारी, सरकारी पेंशनभोगी या आयकर दाता नहीं होना चाहिए।"),
        );
    }
    if h.urban_property_sqft > URBAN_PROPERTY_MAX_SQFT {
        reasons.push(
            Text::new("The family may own at most 1,000 sq ft of built-up property in a town.")
                .te("పట్టణంలో కుటుంబానికి 1,000 చదరపు అడుగులకు మించి నిర్మిత ఆస్తి ఉండకూడదు.")
                .hi("शहर में परिवार के पास 1,000 वर्ग फुट से अधिक निर्मित संपत्ति नहीं होनी चाहिए।"),
        );
    }
    reasons
}

/// The reason a person already on a card cannot be put on another.
pub fn already_on_card(who_en: &str, who_te: &str, seeding: &Seeding) -> Text {
    let card = &seeding.card_number;
    Text::new(format!(
        "{who_en} is already on rice card {card}. Remove them from that card first; one person can be on one card only."
    ))
    .te(format!("{who_te} ఇప్పటికే బియ్యం కార్డు {card}లో ఉన్నారు. ముందు ఆ కార్డు నుంచి తొలగించండి; ఒక వ్యక్తి ఒకే కార్డులో ఉండాలి."))
    .hi(format!("{who_en} पहले से राशन कार्ड {card} पर हैं। पहले उस कार्ड से हटाएँ; एक व्यक्ति एक ही कार्ड पर हो सकता है।"))
}

pub fn no_such_card(number: &str) -> Text {
    Text::new(format!("There is no rice card {number}. Please check the number on your card."))
        .te(format!("బియ్యం కార్డు {number} లేదు. దయచేసి మీ కార్డుపై ఉన్న సంఖ్యను సరిచూడండి."))
        .hi(format!("राशन कार्ड {number} नहीं मिला। कृपया अपने कार्ड पर लिखा नंबर जाँचें।"))
}

pub fn no_such_shop(id: &str) -> Text {
    Text::new(format!("There is no fair price shop {id}. The number is on the shop's board."))
        .te(format!("చౌక ధరల దుకాణం {id} లేదు. సంఖ్య దుకాణం బోర్డుపై ఉంటుంది."))
        .hi(format!("उचित मूल्य दुकान {id} नहीं मिली। नंबर दुकान के बोर्ड पर लिखा होता है।"))
}

fn cancelled(card: &Card) -> Text {
    let number = &card.number;
    Text::new(format!("Rice card {number} is cancelled; apply for a new card instead."))
        .te(format!("బియ్యం కార్డు {number} రద్దయింది; కొత్త కార్డుకు దరఖాస్తు చేయండి."))
        .hi(format!("राशन कार्ड {number} रद्द है; नए कार्ड के लिए आवेदन करें।"))
}

fn not_a_member(card: &Card) -> Text {
    let number = &card.number;
    Text::new(format!("This Aadhaar number is not on rice card {number}."))
        .te(format!("ఈ ఆధార్ సంఖ్య బియ్యం కార్డు {number}లో లేదు."))
        .hi(format!("यह आधार संख्या राशन कार्ड {number} पर नहीं है।"))
}

/// Adding a member: the card must be live, the person on no card, and a spouse of age.
pub fn add_member_reasons(card: &Card, seeded: Option<&Seeding>, age: u32, married_in: bool) -> Vec<Text> {
    let mut reasons = Vec::new();
    if card.is_cancelled() {
        reasons.push(cancelled(card));
    }
    if let Some(seeding) = seeded {
        reasons.push(already_on_card("This person", "ఈ వ్యక్తి", seeding));
    }
    if married_in && age < MARRIAGE_MIN_AGE {
        reasons.push(
            Text::new(format!("A member joining by marriage must be at least {MARRIAGE_MIN_AGE}; this one is {age}."))
                .te(format!("వివాహం ద్వారా చేరే సభ్యుల వయస్సు కనీసం {MARRIAGE_MIN_AGE} ఉండాలి; వీరి వయస్సు {age}."))
                .hi(format!("विवाह से जुड़ने वाले सदस्य की आयु कम से कम {MARRIAGE_MIN_AGE} होनी चाहिए; इनकी {age} है।")),
        );
    }
    reasons
}

/// Removing a member: the card must be live and the person on it, but not its head
/// nor its only member (those cases are a change of head or a surrender).
pub fn remove_member_reasons(card: &Card, member: Option<&Member>) -> Vec<Text> {
    if card.is_cancelled() {
        return vec![cancelled(card)];
    }
    let Some(member) = member else { return vec![not_a_member(card)] };
    if card.members.len() <= 1 {
        return vec![
            Text::new("This is the only member on the card; surrender the card instead.")
                .te("కార్డులో ఈ ఒక్కరే సభ్యులు; బదులుగా కార్డును సరెండర్ చేయండి.")
                .hi("कार्ड पर यही एकमात्र सदस्य हैं; इसके बजाय कार्ड सरेंडर करें।"),
        ];
    }
    if member.head {
        return vec![
            Text::new("The head of the family cannot be removed here; apply for a change of head at your Village/Ward Secretariat.")
                .te("కుటుంబ పెద్దను ఇక్కడ తొలగించలేరు; మీ గ్రామ/వార్డు సచివాలయంలో కుటుంబ పెద్ద మార్పుకు దరఖాస్తు చేయండి.")
                .hi("परिवार के मुखिया को यहाँ नहीं हटाया जा सकता; ग्राम/वार्ड सचिवालय में मुखिया बदलने का आवेदन करें।"),
        ];
    }
    Vec::new()
}

/// Surrendering a card: only its head may, and only a live card.
pub fn surrender_reasons(card: &Card, member: Option<&Member>) -> Vec<Text> {
    if card.is_cancelled() {
        return vec![
            Text::new(format!("Rice card {} is already cancelled; nothing to surrender.", card.number))
                .te(format!("బియ్యం కార్డు {} ఇప్పటికే రద్దయింది; సరెండర్ అవసరం లేదు.", card.number))
                .hi(format!("राशन कार्ड {} पहले ही रद्द है; सरेंडर की ज़रूरत नहीं।", card.number)),
        ];
    }
    match member {
        Some(m) if m.head => Vec::new(),
        _ => vec![
            Text::new(format!(
                "Only the head of the family, {}, can surrender the card; give their Aadhaar.",
                card.head
            ))
            .te(format!("కుటుంబ పెద్ద {} మాత్రమే కార్డును సరెండర్ చేయగలరు; వారి ఆధార్ ఇవ్వండి.", card.head_te))
            .hi(format!("केवल परिवार के मुखिया {} ही कार्ड सरेंडर कर सकते हैं; उनका आधार दें।", card.head)),
        ],
    }
}

/// Printing a card: any member of a live card may.
pub fn print_reasons(card: &Card, member: Option<&Member>) -> Vec<Text> {
    if card.is_cancelled() {
        return vec![cancelled(card)];
    }
    if member.is_none() {
        return vec![not_a_member(card)];
    }
    Vec::new()
}

/// What a card draws in a month.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entitlement {
    pub rice_kg: u32,
    /// Members whose e-KYC is done (the ones rice is given for).
    pub members_counted: usize,
    pub sugar_grams: u32,
    pub sugar_paise: u64,
    pub dal_kg: u32,
    pub dal_paise: u64,
}

/// The monthly ration of a live card: rice free under NFSA (35 kg a card for
/// AAY, 5 kg a member for PHH), sugar and red gram dal at subsidised prices.
/// Members without e-KYC draw nothing; a card with none draws nothing.
pub fn entitlement(card: &Card) -> Option<Entitlement> {
    let counted = card.members.iter().filter(|m| m.ekyc).count();
    if card.is_cancelled() || counted == 0 {
        return None;
    }
    let aay = card.category == "AAY";
    Some(Entitlement {
        rice_kg: if aay { AAY_RICE_KG } else { PHH_RICE_KG_PER_MEMBER * counted as u32 },
        members_counted: counted,
        sugar_grams: if aay { 1_000 } else { 500 },
        sugar_paise: if aay { 1_350 } else { 1_700 },
        dal_kg: 1,
        dal_paise: 6_700,
    })
}

/// Rupees the Indian way: ₹1,20,000 and ₹13.50.
pub fn rupees(amount: f64) -> String {
    let paise = (amount * 100.0).round() as u64;
    rupees_paise(paise)
}

pub fn rupees_paise(paise: u64) -> String {
    let grouped = mitra_sdk::money::indian_grouping(paise / 100);
    match paise % 100 {
        0 => format!("₹{grouped}"),
        p => format!("₹{grouped}.{p:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::test_card as card;

    fn eligible_household() -> Household {
        Household {
            area: Area::Rural,
            monthly_income: 9_500.0,
            wet_acres: 1.5,
            dry_acres: 2.0,
            vehicle: Vehicle::Commercial,
            electricity_units: 180.0,
            govt_or_taxpayer: false,
            urban_property_sqft: 0.0,
        }
    }

    #[test]
    fn a_poor_rural_family_with_a_tractor_qualifies() {
        assert!(new_card_reasons(&eligible_household()).is_empty());
    }

    #[test]
    fn income_ceilings_differ_between_village_and_town() {
        let rural = Household { monthly_income: 11_000.0, ..eligible_household() };
        let reasons = new_card_reasons(&rural);
        assert_eq!(reasons.len(), 1);
        assert!(reasons[0].en.contains("₹10,000"), "{}", reasons[0].en);
        assert!(reasons[0].te.as_deref().unwrap().contains("₹11,000"));
        assert!(new_card_reasons(&Household { area: Area::Urban, ..rural.clone() }).is_empty());
        assert_eq!(new_card_reasons(&Household { area: Area::Urban, monthly_income: 12_001.0, ..rural }).len(), 1);
    }

    #[test]
    fn land_car_electricity_employment_and_property_each_disqualify() {
        let base = eligible_household();
        for h in [
            Household { wet_acres: 3.5, ..base.clone() },
            Household { dry_acres: 10.5, wet_acres: 0.0, ..base.clone() },
            Household { wet_acres: 2.5, dry_acres: 8.0, ..base.clone() },
            Household { vehicle: Vehicle::Car, ..base.clone() },
            Household { electricity_units: 300.0, ..base.clone() },
            Household { govt_or_taxpayer: true, ..base.clone() },
            Household { urban_property_sqft: 1_200.0, ..base.clone() },
        ] {
            let reasons = new_card_reasons(&h);
            assert_eq!(reasons.len(), 1, "{h:?}");
            assert!(reasons[0].te.is_some() && reasons[0].hi.is_some());
        }
        assert!(
            new_card_reasons(&Household { wet_acres: 3.0, dry_acres: 7.0, electricity_units: 299.0, ..base })
                .is_empty()
        );
    }

    #[test]
    fn identifiers_are_read_through_spaces_and_dashes() {
        assert_eq!(card_number("1001 104-312").as_deref(), Some("1001104312"));
        assert_eq!(card_number("TestTestTest"), None);
        assert_eq!(card_number("100110431"), None);
        assert_eq!(shop_number("100 0123").as_deref(), Some("1000123"));
        assert_eq!(shop_number("10001234"), None);
    }

    #[test]
    fn aay_cards_get_35_kg_and_phh_5_kg_a_member_with_ekyc() {
        let aay = entitlement(&card("AAY", "active", &[true, false])).unwrap();
        assert_eq!((aay.rice_kg, aay.sugar_grams, aay.sugar_paise), (35, 1_000, 1_350));
        let phh = entitlement(&card("PHH", "active", &[true, true, false, true])).unwrap();
        assert_eq!((phh.rice_kg, phh.members_counted, phh.sugar_grams, phh.dal_kg), (15, 3, 500, 1));
        assert_eq!(entitlement(&card("PHH", "cancelled", &[true])), None);
        assert_eq!(entitlement(&card("PHH", "active", &[false, false])), None);
    }

    #[test]
    fn members_can_be_removed_but_not_the_head_or_the_last_one() {
        let c = card("PHH", "active", &[true, true, true]);
        assert!(remove_member_reasons(&c, Some(&c.members[2])).is_empty());
        assert!(remove_member_reasons(&c, Some(&c.members[0])).first().unwrap().en.contains("head"));
        assert!(remove_member_reasons(&c, None)[0].en.contains("not on rice card"));
        let alone = card("PHH", "active", &[true]);
        assert!(remove_member_reasons(&alone, Some(&alone.members[0]))[0].en.contains("surrender"));
        let gone = card("PHH", "cancelled", &[true, true]);
        assert!(remove_member_reasons(&gone, Some(&gone.members[1]))[0].en.contains("cancelled"));
    }

    #[test]
    fn only_the_head_surrenders_and_any_member_prints() {
        let c = card("AAY", "active", &[true, true]);
        assert!(surrender_reasons(&c, Some(&c.members[0])).is_empty());
        assert_eq!(surrender_reasons(&c, Some(&c.members[1])).len(), 1);
        assert_eq!(surrender_reasons(&c, None).len(), 1);
        assert!(print_reasons(&c, Some(&c.members[1])).is_empty());
        assert_eq!(print_reasons(&c, None).len(), 1);
        assert_eq!(surrender_reasons(&card("AAY", "cancelled", &[true]), None).len(), 1);
    }

    #[test]
    fn a_member_on_another_card_or_a_child_bride_cannot_be_added() {
        let c = card("PHH", "active", &[true]);
        assert!(add_member_reasons(&c, None, 2, false).is_empty());
        let seeded = Seeding {
            card_number: "1300222222".into(),
            card_status: "active".into(),
            name: "Anjali Rao".into(),
            relation: "Daughter".into(),
        };
        let reasons = add_member_reasons(&c, Some(&seeded), 17, true);
        assert_eq!(reasons.len(), 2);
        assert!(reasons[0].en.contains("1300222222") && reasons[0].te.as_deref().unwrap().contains("1300222222"));
    }

    #[test]
    fn rupees_are_grouped_the_indian_way() {
        assert_eq!(rupees(120_000.0), "₹1,20,000");
        assert_eq!(rupees(12_000.0), "₹12,000");
        assert_eq!(rupees(999.0), "₹999");
        assert_eq!(rupees_paise(1_350), "₹13.50");
        assert_eq!(rupees(12_345_678.0), "₹1,23,45,678");
    }
}
