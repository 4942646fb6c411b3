//! The department and its services as citizens see them in the chat.

use mitra_sdk::prelude::*;

use crate::rules::TREATMENTS;

/// The districts whose network hospitals can be listed: (choice id, name the backend knows).
pub const DISTRICTS: &[(&str, &str, &str, &str)] = &[
    ("ntr", "NTR", "ఎన్టీఆర్", "एनटीआर"),
    ("guntur", "Guntur", "గుంటూరు", "गुंटूर"),
    ("tirupati", "Tirupati", "తిరుపతి", "तिरुपति"),
    ("visakhapatnam", "Visakhapatnam", "విశాఖపట్నం", "विशाखापत्तनम"),
    ("kurnool", "Kurnool", "కర్నూలు", "कर्नूल"),
    ("east-godavari", "East Godavari", "తూర్పు గోదావరి", "पूर्वी गोदावरी"),
];

/// What a grievance can be about: (choice id, English, Telugu, Hindi).
pub const ISSUES: &[(&str, &str, &str, &str)] = &[
    ("delay", "No decision yet", "ఇంకా నిర్ణయం లేదు", "अब तक निर्णय नहीं"),
    ("cheque", "Cheque not received", "చెక్కు అందలేదు", "चेक नहीं मिला"),
    ("amount", "Amount too low", "మొత్తం చాలా తక్కువ", "राशि बहुत कम"),
    ("rejected", "Wrongly rejected", "తప్పుగా తిరస్కరించారు", "गलत तरीके से अस्वीकृत"),
    ("hospital", "Hospital refused LOC", "ఆసుపత్రి LOC ఒప్పుకోలేదు", "अस्पताल ने LOC ठुकराया"),
    ("other", "Other", "ఇతర", "अन्य"),
];

fn patient() -> [Field; 3] {
    [
        Field::text("patient-name", Text::new("Patient's name").te("రోగి పేరు").hi("मरीज़ का नाम")).length(3, 80),
        Field::aadhaar(
            "patient-aadhaar",
            Text::new("Patient's Aadhaar number").te("రోగి ఆధార్ సంఖ్య").hi("मरीज़ का आधार नंबर"),
        ),
        Field::phone(
            "phone",
            Text::new("Mobile number to reach you").te("మిమ్మల్ని సంప్రదించే మొబైల్ నంబర్").hi("संपर्क मोबाइल नंबर"),
        ),
    ]
}

fn hospital() -> Field {
    Field::text("hospital", Text::new("Hospital code").te("ఆసుపత్రి కోడ్").hi("अस्पताल कोड")).length(5, 8).hint(
        Text::new("From the Network hospitals service, e.g. H1001")
            .te("నెట్‌వర్క్ ఆసుపత్రులు సేవలో చూడండి, ఉదా. H1001")
            .hi("नेटवर्क अस्पताल सेवा से, जैसे H1001"),
    )
}

fn treatment() -> Field {
    Field::choice(
        "treatment",
        Text::new("Which treatment?").te("ఏ చికిత్స?").hi("कौन सा उपचार?"),
        TREATMENTS.iter().map(|&(id, en, te, hi)| (id, Text::new(en).te(te).hi(hi))),
    )
}

fn income() -> Field {
    Field::integer(
        "income",
        Text::new("Annual family income (₹)").te("కుటుంబ వార్షిక ఆదాయం (₹)").hi("परिवार की वार्षिक आय (₹)"),
        Some(0.0),
        Some(1_000_000_000.0),
    )
    .hint(
        Text::new("All members together, e.g. 180000")
            .te("సభ్యులందరిదీ కలిపి, ఉదా. 180000")
            .hi("सभी सदस्यों की मिलाकर, जैसे 180000"),
    )
}

fn amount(id: &str, en: &str, te: &str, hi: &str) -> Field {
    Field::integer(id, Text::new(en).te(te).hi(hi), Some(1_000.0), Some(50_000_000.0))
}

fn estimate_letter() -> Field {
    Field::document(
        "estimate-letter",
        Text::new("Hospital's estimate letter").te("ఆసుపత్రి అంచనా లేఖ").hi("अस्पताल का अनुमान पत्र"),
    )
    .hint(
        Text::new("On the hospital's letterhead, signed by the doctor")
            .te("ఆసుపత్రి లెటర్‌హెడ్‌పై, డాక్టర్ సంతకంతో")
            .hi("अस्पताल के लेटरहेड पर, डॉक्टर के हस्ताक्षर सहित"),
    )
}

fn with(service: Service, fields: impl IntoIterator<Item = Field>) -> Service {
    fields.into_iter().fold(service, Service::field)
}

fn apply() -> Service {
    let service =
        Service::new("apply", Text::new("Medical assistance").te("వైద్య సహాయం దరఖాస్తు").hi("चिकित्सा सहायता आवेदन"))
            .description(
                Text::new("CMRF aid for costly treatment not free under NTR Vaidya Seva")
                    .te("వైద్య సేవలో ఉచితం కాని ఖరీదైన చికిత్సకు CMRF సహాయం")
                    .hi("वैद्य सेवा में मुफ़्त न होने वाले महँगे इलाज के लिए CMRF सहायता"),
            )
            .category("health")
            .keywords(
                Language::En,
                ["cm relief fund", "cmrf", "medical help", "treatment money", "operation help", "hospital bill help"],
            )
            .keywords(Language::Te, ["సీఎం సహాయ నిధి", "ముఖ్యమంత్రి సహాయ నిధి", "వైద్య సహాయం", "ఆపరేషన్ సహాయం"])
            .keywords(Language::Hi, ["मुख्यमंत्री राहत कोष", "इलाज के लिए मदद", "ऑपरेशन सहायता"])
            .sla_days(30);
    with(service, patient())
        .field(hospital())
        .field(treatment())
        .field(amount("estimate", "Hospital's estimate (₹)", "ఆసుపత్రి అంచనా (₹)", "अस्पताल का अनुमान (₹)"))
        .field(income())
        .field(estimate_letter())
}

fn loc() -> Service {
    let service = Service::new("loc", Text::new("Letter of Credit (LOC)").te("చికిత్సకు ముందు LOC").hi("इलाज से पहले LOC"))
        .description(
            Text::new("The fund pays the hospital directly; apply before admission")
                .te("నిధి నేరుగా ఆసుపత్రికి చెల్లిస్తుంది; చేరికకు ముందే దరఖాస్తు")
                .hi("कोष सीधे अस्पताल को भुगतान करता है; भर्ती से पहले आवेदन करें"),
        )
        .category("health")
        .keywords(Language::En, ["loc", "letter of credit", "cmrf loc", "before operation", "cashless"])
        .keywords(Language::Te, ["ఎల్ఓసీ", "లెటర్ ఆఫ్ క్రెడిట్", "ఆపరేషన్ ముందు"])
        .keywords(Language::Hi, ["एलओसी", "लेटर ऑफ क्रेडिट", "ऑपरेशन से पहले"])
        .sla_days(7);
    with(service, patient())
        .field(hospital())
        .field(treatment())
        .field(Field::date(
            "admission",
            Text::new("Planned date of admission").te("ఆసుపత్రిలో చేరే తేదీ").hi("भर्ती की नियोजित तिथि"),
            DateRule::TodayOrLater,
        ))
        .field(amount("estimate", "Hospital's estimate (₹)", "ఆసుపత్రి అంచనా (₹)", "अस्पताल का अनुमान (₹)"))
        .field(income())
        .field(estimate_letter())
}

fn reimbursement() -> Service {
    let service =
        Service::new("reimbursement", Text::new("Reimbursement claim").te("ఖర్చుల తిరిగి చెల్లింపు").hi("खर्च की प्रतिपूर्ति"))
            .description(
                Text::new("Get back part of the bills you paid, after discharge")
                    .te("డిశ్చార్జ్ తర్వాత మీరు చెల్లించిన బిల్లులలో కొంత తిరిగి పొందండి")
                    .hi("छुट्टी के बाद चुकाए गए बिलों का हिस्सा वापस पाएँ"),
            )
            .category("health")
            .keywords(Language::En, ["reimbursement", "bills paid", "money back", "claim", "after operation"])
            .keywords(Language::Te, ["తిరిగి చెల్లింపు", "బిల్లులు", "రీయింబర్స్‌మెంట్"])
            .keywords(Language::Hi, ["प्रतिपूर्ति", "बिल वापसी", "खर्च वापसी"])
            .sla_days(45);
    with(service, patient())
        .field(hospital())
        .field(treatment())
        .field(Field::date(
            "admission",
            Text::new("Date of admission").te("చేరిన తేదీ").hi("भर्ती की तिथि"),
            DateRule::TodayOrEarlier,
        ))
        .field(Field::date(
            "discharge",
            Text::new("Date of discharge").te("డిశ్చార్జ్ తేదీ").hi("छुट्टी की तिथि"),
            DateRule::TodayOrEarlier,
        ))
        .field(amount("bills", "Total of the bills paid (₹)", "చెల్లించిన బిల్లుల మొత్తం (₹)", "चुकाए गए बिलों का योग (₹)"))
        .field(income())
        .field(
            Field::document(
                "bills-document",
                Text::new("Original bills and discharge summary")
                    .te("అసలు బిల్లులు, డిశ్చార్జ్ సమ్మరీ")
                    .hi("मूल बिल और डिस्चार्ज सारांश"),
            )
            .hint(Text::new("One PDF with every page").te("అన్ని పేజీలతో ఒక PDF").hi("सभी पन्नों वाली एक PDF")),
        )
}

fn application_number() -> Field {
    Field::text("application-number", Text::new("CMRF application number").te("CMRF దరఖాస్తు సంఖ్య").hi("CMRF आवेदन संख्या"))
        .length(14, 20)
        .hint(
            Text::new("As on your receipt, e.g. CMRF-2025-004217")
                .te("మీ రసీదులో ఉన్నట్లు, ఉదా. CMRF-2025-004217")
                .hi("रसीद के अनुसार, जैसे CMRF-2025-004217"),
        )
}

fn status() -> Service {
    Service::new("status", Text::new("Application status").te("దరఖాస్తు స్థితి").hi("आवेदन की स्थिति"))
        .description(
            Text::new("Where your CMRF application stands and the amount sanctioned")
                .te("మీ CMRF దరఖాస్తు ఎక్కడ ఉంది, ఎంత మంజూరైంది")
                .hi("आपका CMRF आवेदन कहाँ है और कितनी राशि स्वीकृत हुई"),
        )
        .category("health")
        .keywords(Language::En, ["cmrf status", "relief fund status", "cheque status", "application status"])
        .keywords(Language::Te, ["సీఎం సహాయ నిధి స్థితి", "దరఖాస్తు స్థితి", "చెక్కు"])
        .keywords(Language::Hi, ["सीएमआरएफ स्थिति", "आवेदन स्थिति"])
        .field(application_number())
        .delivery(Delivery::Information)
}

fn hospitals() -> Service {
    Service::new("hospitals", Text::new("Network hospitals").te("నెట్‌వర్క్ ఆసుపత్రులు").hi("नेटवर्क अस्पताल"))
        .description(
            Text::new("CMRF network hospitals of a district, with their codes")
                .te("జిల్లాలోని CMRF నెట్‌వర్క్ ఆసుపత్రులు, వాటి కోడ్‌లు")
                .hi("ज़िले के CMRF नेटवर्क अस्पताल, उनके कोड सहित"),
        )
        .category("health")
        .keywords(Language::En, ["hospital list", "network hospital", "cmrf hospital", "hospital code"])
        .keywords(Language::Te, ["ఆసుపత్రుల జాబితా", "నెట్‌వర్క్ ఆసుపత్రి"])
        .keywords(Language::Hi, ["अस्पताल सूची", "नेटवर्क अस्पताल"])
        .field(Field::choice(
            "district",
            Text::new("Which district?").te("ఏ జిల్లా?").hi("कौन सा ज़िला?"),
            DISTRICTS.iter().map(|&(id, en, te, hi)| (id, Text::new(en).te(te).hi(hi))),
        ))
        .delivery(Delivery::Information)
}

fn grievance() -> Service {
    Service::new("grievance", Text::new("CMRF grievance").te("CMRF ఫిర్యాదు").hi("CMRF शिकायत"))
        .description(
            Text::new("Complain about a delayed, reduced or rejected CMRF application")
                .te("ఆలస్యమైన, తగ్గించిన లేదా తిరస్కరించిన దరఖాస్తుపై ఫిర్యాదు")
                .hi("देरी, कम राशि या अस्वीकृत CMRF आवेदन की शिकायत"),
        )
        .category("grievance")
        .keywords(Language::En, ["cmrf complaint", "relief fund delay", "cheque not received", "grievance"])
        .keywords(Language::Te, ["సీఎం సహాయ నిధి ఫిర్యాదు", "చెక్కు రాలేదు", "ఫిర్యాదు"])
        .keywords(Language::Hi, ["सीएमआरएफ शिकायत", "चेक नहीं मिला"])
        .field(application_number())
        .field(Field::choice(
            "issue",
            Text::new("What is the problem?").te("సమస్య ఏమిటి?").hi("क्या समस्या है?"),
            ISSUES.iter().map(|&(id, en, te, hi)| (id, Text::new(en).te(te).hi(hi))),
        ))
        .field(
            Field::text("details", Text::new("Tell us what happened").te("ఏం జరిగిందో చెప్పండి").hi("बताइए क्या हुआ"))
                .length(10, 500),
        )
        .sla_days(15)
}

pub fn department() -> DepartmentInfo {
    DepartmentInfo::new("cm-relief-fund", Text::new("CM Relief Fund").te("ముఖ్యమంత్రి సహాయ నిధి").hi("मुख्यमंत्री राहत कोष"))
        .service(apply())
        .service(loc())
        .service(reimbursement())
        .service(status())
        .service(hospitals())
        .service(grievance())
}

#[cfg(test)]
mod tests {
    use mitra_sdk::FieldKind;

    use super::*;

    fn within(text: &Text, max: usize, what: &str) {
        for value in [Some(&text.en), text.te.as_ref(), text.hi.as_ref()] {
            let value = value.unwrap_or_else(|| panic!("{what} lacks a translation: {}", text.en));
            assert!(value.chars().count() <= max, "{what} {value:?} is over {max}");
        }
    }

    #[test]
    fn every_text_fits_whatsapp_in_three_languages() {
        let info = department();
        within(&info.name, 24, "department name");
        assert!(info.services.len() >= 5);
        for s in &info.services {
            within(&s.title, 24, "title");
            within(&s.description, 72, "description");
            assert!(!s.keywords.en.is_empty() && !s.keywords.te.is_empty() && !s.keywords.hi.is_empty(), "{}", s.id);
            for f in &s.form {
                within(&f.label, 1024, "label");
                if let FieldKind::Choice(options) = &f.kind {
                    assert!(options.len() <= 10);
                    let max = if options.len() <= 3 { 20 } else { 24 };
                    for o in options {
                        within(&o.label, max, "option");
                    }
                }
            }
        }
    }
}
