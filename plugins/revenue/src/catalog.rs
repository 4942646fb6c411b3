//! The services the Revenue department offers, with their forms, as a
//! citizen meets them on WhatsApp.

use mitra_sdk::prelude::*;

use crate::places::{DISTRICTS, mandals};
use crate::rules::COMMUNITIES;

/// Meeseva user charges for a Tahsildar certificate, and for a certified
/// copy of a land record or sketch.
const CERTIFICATE_FEE: u64 = 45;
pub(crate) const COPY_FEE: u64 = 50;

fn text(en: &str, te: &str, hi: &str) -> Text {
    Text::new(en).te(te).hi(hi)
}

fn district() -> Field {
    Field::choice(
        "district",
        text("District", "జిల్లా", "ज़िला"),
        DISTRICTS.iter().map(|d| (d.id, text(d.name, d.te, d.hi))),
    )
}

fn mandal() -> Field {
    Field::choice("mandal", text("Mandal", "మండలం", "मंडल"), mandals().map(|(_, m)| (m.id, Text::new(m.name).te(m.te))))
        .hint(text("The mandal of the district you chose", "మీరు ఎంచుకున్న జిల్లాలోని మండలం", "आपके चुने ज़िले का मंडल"))
}

fn village() -> Field {
    Field::text("village", text("Revenue village", "రెవెన్యూ గ్రామం", "राजस्व गाँव")).length(2, 60).hint(text(
        "e.g. Gollapudi",
        "ఉదా. గొల్లపూడి",
        "जैसे Gollapudi",
    ))
}

fn survey() -> Field {
    Field::text("survey", text("Survey number", "సర్వే నంబర్", "सर्वे नंबर")).length(1, 12).hint(text(
        "As on the passbook, e.g. 45 or 45/2A",
        "పాస్‌పుస్తకంలో ఉన్నట్లు, ఉదా. 45 లేదా 45/2A",
        "पासबुक के अनुसार, जैसे 45 या 45/2A",
    ))
}

/// Where a piece of land lies.
fn land(service: Service) -> Service {
    service.field(district()).field(mandal()).field(village()).field(survey())
}

/// Who the certificate is for, as the Aadhaar card has it.
fn applicant(service: Service) -> Service {
    service
        .field(Field::text("applicant-name", text("Full name", "పూర్తి పేరు", "पूरा नाम")).length(3, 60).hint(text(
            "As on Aadhaar",
            "ఆధార్‌లో ఉన్నట్లు",
            "आधार के अनुसार",
        )))
        .field(Field::choice(
            "relation",
            text("You are the…", "మీరు…", "आप…"),
            [
                ("son", text("Son of", "కుమారుడు", "पुत्र")),
                ("daughter", text("Daughter of", "కుమార్తె", "पुत्री")),
                ("wife", text("Wife of", "భార్య", "पत्नी")),
            ],
        ))
        .field(
            Field::text("guardian-name", text("Father's or husband's name", "తండ్రి లేదా భర్త పేరు", "पिता या पति का नाम"))
                .length(3, 60),
        )
        .field(Field::aadhaar("aadhaar", text("Aadhaar number", "ఆధార్ సంఖ్య", "आधार संख्या")))
}

/// Where the applicant lives.
fn residence(service: Service) -> Service {
    service.field(district()).field(mandal()).field(village()).field(
        Field::text("address", text("House number and street", "ఇంటి నంబర్, వీధి", "मकान नंबर और गली"))
            .length(3, 120)
            .hint(text("e.g. 4-56, Temple Street", "ఉదా. 4-56, గుడి వీధి", "जैसे 4-56, मंदिर गली")),
    )
}

fn yes_no(id: &str, label: Text, yes: Text, no: Text) -> Field {
    Field::choice(id.to_owned(), label, [("yes", yes), ("no", no)])
}

fn purpose(options: &[(&'static str, &str, &str, &str)]) -> Field {
    Field::choice(
        "purpose",
        text("Purpose", "ఉద్దేశ్యం", "उद्देश्य"),
        options.iter().map(|&(id, en, te, hi)| (id, text(en, te, hi))),
    )
}

fn rupees_field(id: &str, label: Text) -> Field {
    Field::integer(id.to_owned(), label, Some(0.0), Some(1_000_000_000.0))
}

fn adangal() -> Service {
    land(Service::new("adangal", text("Adangal / Pahani", "అడంగల్ / పహాణీ", "अडंगल / पहाणी")))
        .description(text(
            "Pattadar, extent and crop of a survey number from Webland",
            "వెబ్‌ల్యాండ్ నుండి సర్వే నంబర్ పట్టాదారు, విస్తీర్ణం, పంట",
            "वेबलैंड से सर्वे नंबर का पट्टादार, रकबा और फसल",
        ))
        .category("land")
        .keywords(Language::En, ["adangal", "pahani", "land record", "webland", "crop details", "survey number"])
        .keywords(Language::Te, ["అడంగల్", "పహాణీ", "భూమి రికార్డు", "పంట వివరాలు", "సర్వే నంబర్"])
        .keywords(Language::Hi, ["अडंगल", "पहाणी", "भूमि रिकॉर्ड", "खसरा"])
        .delivery(Delivery::Information)
}

fn ror_1b() -> Service {
    land(Service::new("ror-1b", text("ROR 1-B", "ఆర్ఓఆర్ 1-బి", "आरओआर 1-बी")))
        .description(text(
            "Record of Rights: khata, pattadar and every parcel held",
            "హక్కుల రికార్డు: ఖాతా, పట్టాదారు, అన్ని భూభాగాలు",
            "अधिकार अभिलेख: खाता, पट्टादार और सभी भूखंड",
        ))
        .category("land")
        .keywords(Language::En, ["1b", "1-b", "ror", "record of rights", "khata", "pattadar", "passbook"])
        .keywords(Language::Te, ["1-బి", "వన్ బి", "ఖాతా", "పట్టాదారు", "పాస్ పుస్తకం"])
        .keywords(Language::Hi, ["1-बी", "खाता", "अधिकार अभिलेख", "खतौनी"])
        .delivery(Delivery::Information)
}

fn income() -> Service {
    let service = Service::new("income", text("Income certificate", "ఆదాయ ధృవీకరణ పత్రం", "आय प्रमाण पत्र"));
    residence(applicant(service))
        .field(yes_no(
            "lives-here",
            text(
                "Does your family live at this address now?",
                "మీ కుటుంబం ఇప్పుడు ఈ చిరునామాలోనే ఉంటుందా?",
                "क्या आपका परिवार अभी इसी पते पर रहता है?",
            ),
            text("Yes", "అవును", "हाँ"),
            text("No, moved away", "లేదు, మారాము", "नहीं, चले गए"),
        ))
        .field(Field::choice(
            "occupation",
            text("Main source of income", "ప్రధాన ఆదాయ వనరు", "आय का मुख्य स्रोत"),
            [
                ("agriculture", text("Agriculture", "వ్యవసాయం", "खेती")),
                ("wages", text("Daily wages", "కూలి పని", "दिहाड़ी मज़दूरी")),
                ("salaried", text("Salary", "జీతం", "वेतन")),
                ("business", text("Business or trade", "వ్యాపారం", "व्यापार")),
                ("pension", text("Pension", "పింఛను", "पेंशन")),
                ("none", text("No income", "ఆదాయం లేదు", "कोई आय नहीं")),
            ],
        ))
        .field(
            rupees_field(
                "income",
                text(
                    "Annual family income from all sources (₹)",
                    "అన్ని వనరుల నుండి కుటుంబ వార్షిక ఆదాయం (₹)",
                    "सभी स्रोतों से परिवार की वार्षिक आय (₹)",
                ),
            )
            .hint(text("e.g. 120000", "ఉదా. 120000", "जैसे 120000")),
        )
        .field(yes_no(
            "rice-card",
            text("Does your family hold a rice card?", "మీ కుటుంబానికి బియ్యం కార్డు ఉందా?", "क्या परिवार के पास राइस कार्ड है?"),
            text("Yes", "ఉంది", "हाँ"),
            text("No", "లేదు", "नहीं"),
        ))
        .field(purpose(&[
            ("education", "Scholarship or fees", "స్కాలర్‌షిప్ / ఫీజు", "छात्रवृत्ति या फीस"),
            ("employment", "Employment", "ఉద్యోగం", "रोज़गार"),
            ("welfare", "Welfare scheme", "సంక్షేమ పథకం", "कल्याण योजना"),
            ("loan", "Bank loan", "బ్యాంకు రుణం", "बैंक ऋण"),
            ("other", "Other", "ఇతర", "अन्य"),
        ]))
        .description(text(
            "Family income from all sources, issued by the Tahsildar; valid 4 years",
            "తహసీల్దార్ జారీ చేసే కుటుంబ ఆదాయ పత్రం; 4 ఏళ్లు చెల్లుతుంది",
            "तहसीलदार द्वारा जारी परिवार की आय का प्रमाण; 4 वर्ष मान्य",
        ))
        .category("certificates")
        .keywords(Language::En, ["income certificate", "income proof", "fee reimbursement", "scholarship", "meeseva"])
        .keywords(Language::Te, ["ఆదాయ పత్రం", "ఇన్కమ్ సర్టిఫికెట్", "ఆదాయ ధృవీకరణ", "మీసేవ"])
        .keywords(Language::Hi, ["आय प्रमाण पत्र", "इनकम सर्टिफिकेट", "आय"])
        .fee_rupees(CERTIFICATE_FEE)
        .sla_days(7)
}

fn caste() -> Service {
    let service = Service::new("caste", text("Caste certificate", "కుల ధృవీకరణ పత్రం", "जाति प्रमाण पत्र"));
    residence(
        applicant(service)
            .field(Field::date("dob", text("Date of birth", "పుట్టిన తేదీ", "जन्म तिथि"), DateRule::TodayOrEarlier))
            .field(Field::choice(
                "community",
                text("Community", "సామాజిక వర్గం", "समुदाय"),
                COMMUNITIES.iter().map(|&(id, en, te, hi)| (id, text(en, te, hi))),
            ))
            .field(
                Field::text("caste", text("Caste or sub-caste", "కులం / ఉపకులం", "जाति / उपजाति"))
                    .length(2, 40)
                    .hint(text("e.g. Yadava, Mala, Koya", "ఉదా. యాదవ, మాల, కోయ", "जैसे यादव, माला, कोया")),
            )
            .field(Field::choice(
                "religion",
                text("Religion", "మతం", "धर्म"),
                [
                    ("hindu", text("Hindu", "హిందూ", "हिंदू")),
                    ("muslim", text("Muslim", "ముస్లిం", "मुस्लिम")),
                    ("christian", text("Christian", "క్రైస్తవ", "ईसाई")),
                    ("sikh", text("Sikh", "సిక్కు", "सिख")),
                    ("buddhist", text("Buddhist", "బౌద్ధ", "बौद्ध")),
                    ("other", text("Other", "ఇతర", "अन्य")),
                ],
            )),
    )
    .description(text(
        "Community certificate for SC, ST and BC, with nativity and birth date",
        "ఎస్సీ, ఎస్టీ, బీసీ కుల ధృవీకరణ పత్రం (స్థానికత, పుట్టిన తేదీతో)",
        "एससी, एसटी, बीसी के लिए जाति प्रमाण पत्र, मूल निवास सहित",
    ))
    .category("certificates")
    .keywords(Language::En, ["caste certificate", "community certificate", "sc certificate", "bc certificate"])
    .keywords(Language::Te, ["కుల ధృవీకరణ", "కుల పత్రం", "క్యాస్ట్ సర్టిఫికెట్"])
    .keywords(Language::Hi, ["जाति प्रमाण पत्र", "कास्ट सर्टिफिकेट"])
    .fee_rupees(CERTIFICATE_FEE)
    .sla_days(30)
}

fn residence_certificate() -> Service {
    let service = Service::new("residence", text("Residence certificate", "నివాస ధృవీకరణ పత్రం", "निवास प्रमाण पत्र"));
    residence(applicant(service))
        .field(Field::integer(
            "years-here",
            text("Years lived at this address", "ఈ చిరునామాలో ఎన్ని సంవత్సరాలుగా ఉన్నారు", "इस पते पर कितने वर्ष से"),
            Some(0.0),
            Some(100.0),
        ))
        .field(purpose(&[
            ("education", "Education (local status)", "విద్య (స్థానికత)", "शिक्षा (स्थानीय)"),
            ("employment", "Employment", "ఉద్యోగం", "रोज़गार"),
            ("bank", "Bank or passport", "బ్యాంకు / పాస్‌పోర్ట్", "बैंक या पासपोर्ट"),
            ("other", "Other", "ఇతర", "अन्य"),
        ]))
        .description(text(
            "Proof that you reside at your address in the mandal",
            "మండలంలోని మీ చిరునామాలో నివసిస్తున్నట్లు రుజువు",
            "मंडल में आपके पते पर निवास का प्रमाण",
        ))
        .category("certificates")
        .keywords(Language::En, ["residence certificate", "address proof", "domicile", "nativity"])
        .keywords(Language::Te, ["నివాస ధృవీకరణ", "నివాస పత్రం", "రెసిడెన్స్ సర్టిఫికెట్"])
        .keywords(Language::Hi, ["निवास प्रमाण पत्र", "पता प्रमाण"])
        .fee_rupees(CERTIFICATE_FEE)
        .sla_days(7)
}

fn ews() -> Service {
    let service = Service::new("ews", text("EWS certificate", "ఈడబ్ల్యూఎస్ పత్రం", "ईडब्ल्यूएस प्रमाण पत्र"));
    let area = |id: &str, label: Text| Field::integer(id.to_owned(), label, Some(0.0), Some(1_000_000.0));
    residence(applicant(service))
        .field(yes_no(
            "reserved",
            text("Do you belong to SC, ST or BC?", "మీరు ఎస్సీ, ఎస్టీ లేదా బీసీ వర్గమా?", "क्या आप एससी, एसटी या बीसी हैं?"),
            text("Yes", "అవును", "हाँ"),
            text("No", "కాదు", "नहीं"),
        ))
        .field(rupees_field(
            "income",
            text(
                "Gross family income last financial year (₹)",
                "గత ఆర్థిక సంవత్సరం కుటుంబ స్థూల ఆదాయం (₹)",
                "पिछले वित्त वर्ष की परिवार की सकल आय (₹)",
            ),
        ))
        .field(
            Field::number(
                "land-acres",
                text("Agricultural land owned (acres)", "స్వంత వ్యవసాయ భూమి (ఎకరాలు)", "कृषि भूमि (एकड़)"),
                Some(0.0),
                Some(10_000.0),
            )
            .hint(text("0 if none", "లేకపోతే 0", "न हो तो 0")),
        )
        .field(area(
            "flat-sqft",
            text(
                "Residential flat owned (sq ft, 0 if none)",
                "స్వంత ఫ్లాట్ (చ.అడుగులు, లేకపోతే 0)",
                "आवासीय फ्लैट (वर्ग फुट, न हो तो 0)",
            ),
        ))
        .field(area(
            "plot-municipal",
            text(
                "House plot in a municipality (sq yards, 0 if none)",
                "పురపాలక ప్రాంతంలో ఇంటి స్థలం (చ.గజాలు, లేకపోతే 0)",
                "नगरपालिका में प्लॉट (वर्ग गज, न हो तो 0)",
            ),
        ))
        .field(area(
            "plot-other",
            text(
                "House plot elsewhere (sq yards, 0 if none)",
                "ఇతర ప్రాంతాల్లో ఇంటి స్థలం (చ.గజాలు, లేకపోతే 0)",
                "अन्य जगह प्लॉट (वर्ग गज, न हो तो 0)",
            ),
        ))
        .description(text(
            "Income and asset certificate for the 10% EWS quota",
            "10% ఈడబ్ల్యూఎస్ కోటా కోసం ఆదాయ, ఆస్తి ధృవీకరణ పత్రం",
            "10% ईडब्ल्यूएस कोटा के लिए आय और संपत्ति प्रमाण पत्र",
        ))
        .category("certificates")
        .keywords(Language::En, ["ews", "economically weaker section", "income and asset", "10% quota"])
        .keywords(Language::Te, ["ఈడబ్ల్యూఎస్", "ఆర్థికంగా బలహీన వర్గాలు", "ఆదాయ ఆస్తి పత్రం"])
        .keywords(Language::Hi, ["ईडब्ल्यूएस", "आर्थिक रूप से कमजोर वर्ग", "आय और संपत्ति"])
        .fee_rupees(CERTIFICATE_FEE)
        .sla_days(15)
}

fn family_member() -> Service {
    Service::new("family-member", text("Family member cert.", "కుటుంబ సభ్యుల పత్రం", "परिवार सदस्य प्रमाण"))
        .field(
            Field::text("applicant-name", text("Your full name", "మీ పూర్తి పేరు", "आपका पूरा नाम"))
                .length(3, 60)
                .hint(text("As on Aadhaar", "ఆధార్‌లో ఉన్నట్లు", "आधार के अनुसार")),
        )
        .field(Field::aadhaar("aadhaar", text("Your Aadhaar number", "మీ ఆధార్ సంఖ్య", "आपकी आधार संख्या")))
        .field(Field::text("deceased-name", text("Name of the deceased", "మరణించిన వారి పేరు", "मृतक का नाम")).length(3, 60))
        .field(Field::date("death-date", text("Date of death", "మరణించిన తేదీ", "मृत्यु की तिथि"), DateRule::TodayOrEarlier))
        .field(Field::choice(
            "relation",
            text("You are the deceased's…", "మరణించినవారికి మీరు…", "मृतक से आपका संबंध"),
            [
                ("spouse", text("Wife or husband", "భార్య / భర్త", "पत्नी / पति")),
                ("son", text("Son", "కుమారుడు", "पुत्र")),
                ("daughter", text("Daughter", "కుమార్తె", "पुत्री")),
                ("father", text("Father", "తండ్రి", "पिता")),
                ("mother", text("Mother", "తల్లి", "माता")),
                ("other", text("Other relative", "ఇతర బంధువు", "अन्य रिश्तेदार")),
            ],
        ))
        .field(
            Field::text(
                "members",
                text(
                    "Surviving family members: name, relation, age — one per line",
                    "జీవించి ఉన్న కుటుంబ సభ్యులు: పేరు, సంబంధం, వయస్సు — ఒక్కొక్కరు ఒక్కో లైన్‌లో",
                    "जीवित परिवार सदस्य: नाम, संबंध, आयु — हर सदस्य अलग पंक्ति में",
                ),
            )
            .length(5, 1000)
            .hint(text(
                "e.g. Lakshmi Reddy, wife, 54",
                "ఉదా. Lakshmi Reddy, భార్య, 54",
                "जैसे Lakshmi Reddy, पत्नी, 54",
            )),
        )
        .field(district())
        .field(mandal())
        .field(village())
        .field(purpose(&[
            ("appointment", "Compassionate job", "కారుణ్య నియామకం", "अनुकंपा नियुक्ति"),
            ("pension", "Family pension", "కుటుంబ పింఛను", "पारिवारिक पेंशन"),
            ("claims", "Insurance or bank claim", "బీమా / బ్యాంకు క్లెయిమ్", "बीमा या बैंक दावा"),
            ("other", "Other", "ఇతర", "अन्य"),
        ]))
        .field(Field::document(
            "death-certificate",
            text("Death certificate (photo or PDF)", "మరణ ధృవీకరణ పత్రం (ఫోటో / PDF)", "मृत्यु प्रमाण पत्र (फोटो या PDF)"),
        ))
        .description(text(
            "Lists the family members of a deceased person, after VRO enquiry",
            "వీఆర్వో విచారణ తర్వాత మరణించినవారి కుటుంబ సభ్యుల జాబితా",
            "वीआरओ जाँच के बाद मृतक के परिवार के सदस्यों की सूची",
        ))
        .category("certificates")
        .keywords(Language::En, ["family member certificate", "fmc", "legal heir", "compassionate appointment"])
        .keywords(Language::Te, ["కుటుంబ సభ్యుల ధృవీకరణ", "వారసుల పత్రం", "ఫ్యామిలీ మెంబర్ సర్టిఫికెట్"])
        .keywords(Language::Hi, ["परिवार सदस्य प्रमाण पत्र", "वारिस प्रमाण पत्र"])
        .fee_rupees(CERTIFICATE_FEE)
        .sla_days(30)
}

fn mutation_status() -> Service {
    Service::new("mutation-status", text("Mutation status", "మ్యుటేషన్ స్థితి", "म्यूटेशन स्थिति"))
        .field(
            Field::text("number", text("Mutation application number", "మ్యుటేషన్ దరఖాస్తు సంఖ్య", "म्यूटेशन आवेदन संख्या"))
                .length(6, 24)
                .hint(text("e.g. MUT-2024-004821", "ఉదా. MUT-2024-004821", "जैसे MUT-2024-004821")),
        )
        .description(text(
            "Where your land transfer (e-Mutation) application stands",
            "మీ భూమి బదిలీ (ఈ-మ్యుటేషన్) దరఖాస్తు ఎక్కడ ఉంది",
            "आपका भूमि नामांतरण (ई-म्यूटेशन) आवेदन कहाँ है",
        ))
        .category("land")
        .keywords(
            Language::En,
            ["mutation", "e-mutation", "transfer of registry", "name change land", "patta transfer"],
        )
        .keywords(Language::Te, ["మ్యుటేషన్", "పేరు మార్పు", "పట్టా మార్పిడి", "భూమి బదిలీ"])
        .keywords(Language::Hi, ["म्यूटेशन", "नामांतरण", "दाखिल खारिज"])
        .delivery(Delivery::Information)
}

fn fmb_copy() -> Service {
    let kind = Field::choice(
        "kind",
        text("Which map?", "ఏ పటం కావాలి?", "कौन सा नक्शा?"),
        [
            ("fmb", text("FMB sketch", "ఎఫ్ఎంబీ స్కెచ్", "एफएमबी स्केच")),
            ("village-map", text("Village map", "గ్రామ పటం", "ग्राम नक्शा")),
        ],
    );
    Service::new("fmb-copy", text("FMB / village map copy", "ఎఫ్ఎంబీ / గ్రామ పటం", "एफएमबी / ग्राम नक्शा"))
        .field(kind)
        .field(district())
        .field(mandal())
        .field(village())
        .field(survey().optional().hint(text(
            "Needed for an FMB sketch, e.g. 45",
            "ఎఫ్ఎంబీ స్కెచ్‌కు అవసరం, ఉదా. 45",
            "एफएमबी स्केच के लिए आवश्यक, जैसे 45",
        )))
        .description(text(
            "Certified copy of a field sketch (FMB) or the village map",
            "ఎఫ్ఎంబీ క్షేత్ర స్కెచ్ లేదా గ్రామ పటం ధృవీకృత నకలు",
            "एफएमबी खेत स्केच या ग्राम नक्शे की प्रमाणित प्रति",
        ))
        .category("land")
        .keywords(Language::En, ["fmb", "field measurement book", "village map", "sketch", "land map", "survey map"])
        .keywords(Language::Te, ["ఎఫ్ఎంబీ", "గ్రామ పటం", "భూమి పటం", "సర్వే స్కెచ్"])
        .keywords(Language::Hi, ["एफएमबी", "ग्राम नक्शा", "भूमि नक्शा"])
        .fee_rupees(COPY_FEE)
        .sla_days(7)
}

fn agri_income() -> Service {
    let service = Service::new("agri-income", text("Agri income certificate", "వ్యవసాయ ఆదాయ పత్రం", "कृषि आय प्रमाण पत्र"));
    land(applicant(service))
        .field(purpose(&[
            ("loan", "Crop or bank loan", "పంట / బ్యాంకు రుణం", "फसल या बैंक ऋण"),
            ("tax", "Income tax return", "ఆదాయపు పన్ను రిటర్న్", "आयकर रिटर्न"),
            ("education", "Scholarship or fees", "స్కాలర్‌షిప్ / ఫీజు", "छात्रवृत्ति या फीस"),
            ("other", "Other", "ఇతర", "अन्य"),
        ]))
        .description(text(
            "Yearly farm income of a pattadar's khata, from the 1-B and land class",
            "1-బి, భూమి రకం ఆధారంగా పట్టాదారు ఖాతా వార్షిక వ్యవసాయ ఆదాయం",
            "1-बी और भूमि वर्ग के आधार पर पट्टादार की वार्षिक कृषि आय",
        ))
        .category("certificates")
        .keywords(Language::En, ["agricultural income", "farm income", "agriculture income certificate"])
        .keywords(Language::Te, ["వ్యవసాయ ఆదాయం", "వ్యవసాయ ఆదాయ ధృవీకరణ"])
        .keywords(Language::Hi, ["कृषि आय", "कृषि आय प्रमाण पत्र"])
        .fee_rupees(CERTIFICATE_FEE)
        .sla_days(15)
}

/// The department and every service it offers.
pub(crate) fn department() -> DepartmentInfo {
    [
        adangal(),
        ror_1b(),
        income(),
        caste(),
        residence_certificate(),
        ews(),
        family_member(),
        mutation_status(),
        fmb_copy(),
        agri_income(),
    ]
    .into_iter()
    .fold(DepartmentInfo::new("revenue", text("Revenue", "రెవెన్యూ", "राजस्व")), DepartmentInfo::service)
}
