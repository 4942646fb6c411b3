//! APSRTC's services and their forms as the citizen sees them.

use mitra_sdk::prelude::*;

use crate::rules::{MAX_SEATS, STUDENT_MAX_KM, TOWNS};

fn town_field(id: &str, label: Text) -> Field {
    Field::choice(id, label, TOWNS.iter().map(|t| (t.slug, Text::new(t.en).te(t.te).hi(t.hi))))
}

fn journey_date(id: &str) -> Field {
    Field::date(id, Text::new("Date of journey").te("ప్రయాణ తేదీ").hi("यात्रा की तारीख"), DateRule::TodayOrLater)
        .hint(Text::new("Up to 60 days ahead, e.g. 20-12-2025").te("60 రోజుల లోపు, ఉదా. 20-12-2025"))
}

fn mobile() -> Field {
    Field::phone("phone", Text::new("Mobile number").te("మొబైల్ నంబర్").hi("मोबाइल नंबर"))
}

fn pnr() -> Field {
    Field::text("pnr", Text::new("Ticket PNR number").te("టికెట్ PNR నంబర్").hi("टिकट PNR नंबर")).length(10, 14).hint(
        Text::new("AP and 8 digits, printed on the ticket, e.g. AP25000001")
            .te("టికెట్‌పై ఉండే AP + 8 అంకెలు, ఉదా. AP25000001"),
    )
}

/// Items people most often leave on buses.
pub(crate) const ITEMS: [(&str, &str, &str, &str); 6] = [
    ("bag", "Bag or suitcase", "బ్యాగ్ / సూట్‌కేస్", "बैग / सूटकेस"),
    ("phone", "Mobile phone", "మొబైల్ ఫోన్", "मोबाइल फ़ोन"),
    ("documents", "Documents or ID cards", "పత్రాలు / ఐడీ కార్డులు", "दस्तावेज़ / पहचान पत्र"),
    ("jewellery", "Jewellery", "నగలు", "गहने"),
    ("cash", "Cash or wallet", "నగదు / పర్సు", "नकद / बटुआ"),
    ("other", "Something else", "ఇతర వస్తువు", "कुछ और"),
];

pub(crate) fn item_name(id: &str) -> Text {
    ITEMS.iter().find(|item| item.0 == id).map_or_else(|| Text::new(id), |&(_, en, te, hi)| Text::new(en).te(te).hi(hi))
}

pub(crate) fn department() -> DepartmentInfo {
    DepartmentInfo::new("apsrtc", Text::new("APSRTC Buses").te("ఆర్టీసీ బస్సులు").hi("एपीएसआरटीसी बसें"))
        .service(
            Service::new("bus-search", Text::new("Buses between towns").te("పట్టణాల మధ్య బస్సులు").hi("शहरों के बीच बसें"))
                .description(
                    Text::new("Timings, bus types, fares and free seats on a date")
                        .te("ఒక తేదీన బస్సు సమయాలు, రకాలు, ఛార్జీలు, ఖాళీ సీట్లు")
                        .hi("किसी तारीख़ की बस समय, प्रकार, किराया और खाली सीटें"),
                )
                .category("transport")
                .keywords(
                    Language::En,
                    [
                        "bus timings",
                        "bus enquiry",
                        "rtc bus",
                        "bus",
                        "timetable",
                        "indra",
                        "garuda",
                        "volvo",
                        "super luxury",
                    ],
                )
                .keywords(Language::Te, ["బస్సు", "బస్సు సమయాలు", "ఆర్టీసీ", "బస్ టైమింగ్స్", "బస్సులు"])
                .keywords(Language::Hi, ["बस", "बस का समय", "बस टाइमिंग", "आरटीसी"])
                .field(town_field("from", Text::new("From which town?").te("ఏ పట్టణం నుంచి?").hi("किस शहर से?")))
                .field(town_field("to", Text::new("To which town?").te("ఏ పట్టణానికి?").hi("किस शहर तक?")))
                .field(journey_date("date"))
                .delivery(Delivery::Information),
        )
        .service(
            Service::new("book-ticket", Text::new("Book a bus ticket").te("బస్ టికెట్ బుకింగ్").hi("बस टिकट बुकिंग"))
                .description(
                    Text::new("Reserve seats on an Express, Super Luxury or AC bus")
                        .te("ఎక్స్‌ప్రెస్, సూపర్ లగ్జరీ, ఏసీ బస్సుల్లో సీట్లు రిజర్వ్ చేయండి")
                        .hi("एक्सप्रेस, सुपर लग्ज़री या एसी बस में सीट आरक्षित करें"),
                )
                .category("transport")
                .keywords(
                    Language::En,
                    ["bus ticket", "book bus", "reservation", "ticket booking", "seat booking", "rtc ticket"],
                )
                .keywords(Language::Te, ["బస్ టికెట్", "టికెట్ బుకింగ్", "రిజర్వేషన్", "సీటు"])
                .keywords(Language::Hi, ["बस टिकट", "टिकट बुक", "आरक्षण", "सीट"])
                .field(journey_date("date"))
                .field(
                    Field::text("service", Text::new("Service number").te("సర్వీసు నంబర్").hi("सेवा नंबर"))
                        .length(5, 7)
                        .hint(
                            Text::new("5 digits, from \"Buses between towns\", e.g. 10023")
                                .te("\"పట్టణాల మధ్య బస్సులు\" లోని 5 అంకెలు, ఉదా. 10023"),
                        ),
                )
                .field(Field::integer(
                    "seats",
                    Text::new("How many seats?").te("ఎన్ని సీట్లు?").hi("कितनी सीटें?"),
                    Some(1.0),
                    Some(f64::from(MAX_SEATS)),
                ))
                .field(
                    Field::text("name", Text::new("Passenger's name").te("ప్రయాణికుడి పేరు").hi("यात्री का नाम"))
                        .length(2, 60),
                )
                .field(Field::integer(
                    "age",
                    Text::new("Passenger's age").te("ప్రయాణికుడి వయస్సు").hi("यात्री की आयु"),
                    Some(1.0),
                    Some(120.0),
                ))
                .field(mobile())
                .delivery(Delivery::Booking),
        )
        .service(
            Service::new("ticket-status", Text::new("Ticket status (PNR)").te("టికెట్ స్థితి (PNR)").hi("टिकट स्थिति (PNR)"))
                .description(
                    Text::new("Check a reserved ticket by its PNR number")
                        .te("PNR నంబర్‌తో రిజర్వ్ టికెట్ స్థితి చూడండి")
                        .hi("PNR नंबर से आरक्षित टिकट देखें"),
                )
                .category("transport")
                .keywords(Language::En, ["pnr", "pnr status", "ticket status", "my ticket"])
                .keywords(Language::Te, ["పీఎన్ఆర్", "టికెట్ స్థితి", "నా టికెట్"])
                .keywords(Language::Hi, ["पीएनआर", "टिकट स्थिति", "मेरा टिकट"])
                .field(pnr())
                .delivery(Delivery::Information),
        )
        .service(
            Service::new("cancel-ticket", Text::new("Cancel a ticket").te("టికెట్ రద్దు").hi("टिकट रद्द करें"))
                .description(
                    Text::new("Cancel up to 2 hours before departure; see the refund first")
                        .te("బయలుదేరే 2 గంటల ముందు వరకు రద్దు; ముందే వాపసు చూడండి")
                        .hi("प्रस्थान से 2 घंटे पहले तक रद्द करें; पहले धनवापसी देखें"),
                )
                .category("transport")
                .keywords(Language::En, ["cancel ticket", "refund", "ticket cancellation", "bus cancel"])
                .keywords(Language::Te, ["టికెట్ రద్దు", "వాపసు", "రీఫండ్", "క్యాన్సిల్"])
                .keywords(Language::Hi, ["टिकट रद्द", "रिफंड", "धनवापसी", "कैंसिल"])
                .field(pnr())
                .field(mobile().hint(Text::new("The number given when booking").te("బుకింగ్ సమయంలో ఇచ్చిన నంబర్")))
                .delivery(Delivery::InstantDocument),
        )
        .service(
            Service::new("bus-pass", Text::new("Bus pass concession").te("బస్ పాస్ రాయితీ").hi("बस पास रियायत"))
                .description(
                    Text::new("Student route pass (5–25 yrs) or senior citizen card (60+)")
                        .te("విద్యార్థి పాస్ (5–25 ఏళ్లు) లేదా వయోవృద్ధుల కార్డు (60+)")
                        .hi("छात्र पास (5–25 वर्ष) या वरिष्ठ नागरिक कार्ड (60+)"),
                )
                .category("transport")
                .keywords(Language::En, ["bus pass", "student pass", "senior citizen", "concession", "free bus pass"])
                .keywords(Language::Te, ["బస్ పాస్", "విద్యార్థి పాస్", "వయోవృద్ధులు", "రాయితీ"])
                .keywords(Language::Hi, ["बस पास", "छात्र पास", "वरिष्ठ नागरिक", "रियायत"])
                .field(Field::choice(
                    "pass-type",
                    Text::new("Which pass?").te("ఏ పాస్?").hi("कौन सा पास?"),
                    [
                        ("student", Text::new("Student pass").te("విద్యార్థి పాస్").hi("छात्र पास")),
                        ("senior", Text::new("Senior citizen card").te("వయోవృద్ధుల కార్డు").hi("वरिष्ठ नागरिक कार्ड")),
                    ],
                ))
                .field(Field::text("name", Text::new("Full name").te("పూర్తి పేరు").hi("पूरा नाम")).length(2, 60))
                .field(
                    Field::date(
                        "dob",
                        Text::new("Date of birth").te("పుట్టిన తేదీ").hi("जन्म तिथि"),
                        DateRule::TodayOrEarlier,
                    )
                    .hint(Text::new("As on Aadhaar, e.g. 15-08-2008").te("ఆధార్‌లో ఉన్నట్లు, ఉదా. 15-08-2008")),
                )
                .field(Field::aadhaar("aadhaar", Text::new("Aadhaar number").te("ఆధార్ సంఖ్య").hi("आधार संख्या")))
                .field(Field::photo(
                    "photo",
                    Text::new("Passport-size photo").te("పాస్‌పోర్ట్ సైజు ఫోటో").hi("पासपोर्ट साइज़ फ़ोटो"),
                ))
                .field(
                    Field::text(
                        "institution",
                        Text::new("School or college (students)").te("పాఠశాల / కళాశాల (విద్యార్థులు)").hi("स्कूल या कॉलेज (छात्र)"),
                    )
                    .length(3, 100)
                    .optional(),
                )
                .field(
                    Field::integer(
                        "distance",
                        Text::new("Home to institution, in km (students)")
                            .te("ఇంటి నుంచి విద్యాసంస్థకు దూరం, కి.మీ. (విద్యార్థులు)")
                            .hi("घर से संस्थान तक दूरी, कि.मी. (छात्र)"),
                        Some(1.0),
                        Some(200.0),
                    )
                    .hint(
                        Text::new(format!("Student passes cover up to {STUDENT_MAX_KM} km"))
                            .te(format!("విద్యార్థి పాస్ {STUDENT_MAX_KM} కి.మీ. వరకే")),
                    )
                    .optional(),
                )
                .field(
                    Field::text(
                        "route",
                        Text::new("Boarding and alighting stops (students)")
                            .te("ఎక్కే, దిగే స్టాపులు (విద్యార్థులు)")
                            .hi("चढ़ने-उतरने के स्टॉप (छात्र)"),
                    )
                    .length(3, 100)
                    .optional(),
                )
                .sla_days(7)
                .delivery(Delivery::Application),
        )
        .service(
            Service::new("parcel-tracking", Text::new("Track a parcel").te("పార్సెల్ ట్రాకింగ్").hi("पार्सल ट्रैकिंग"))
                .description(
                    Text::new("Where is a parcel sent by APSRTC Logistics (cargo)?")
                        .te("ఆర్టీసీ లాజిస్టిక్స్ (కార్గో) పార్సెల్ ఎక్కడ ఉంది?")
                        .hi("एपीएसआरटीसी लॉजिस्टिक्स (कार्गो) पार्सल कहाँ है?"),
                )
                .category("transport")
                .keywords(Language::En, ["parcel", "cargo", "courier", "logistics", "consignment", "lr number"])
                .keywords(Language::Te, ["పార్సెల్", "కార్గో", "కొరియర్", "లాజిస్టిక్స్"])
                .keywords(Language::Hi, ["पार्सल", "कार्गो", "कूरियर"])
                .field(
                    Field::text(
                        "lr",
                        Text::new("Consignment (LR) number").te("కన్సైన్‌మెంట్ (LR) నంబర్").hi("कंसाइनमेंट (LR) नंबर"),
                    )
                    .length(10, 14)
                    .hint(
                        Text::new("3 letters and 7 digits on the receipt, e.g. VJA0012345")
                            .te("రసీదుపై 3 అక్షరాలు, 7 అంకెలు, ఉదా. VJA0012345"),
                    ),
                )
                .delivery(Delivery::Information),
        )
        .service(
            Service::new(
                "lost-found",
                Text::new("Lost & found complaint").te("పోయిన వస్తువు ఫిర్యాదు").hi("खोया-पाया शिकायत"),
            )
            .description(
                Text::new("Report something left on a bus within 30 days")
                    .te("బస్సులో మరచిపోయిన వస్తువును 30 రోజుల్లో తెలపండి")
                    .hi("बस में छूटी वस्तु की 30 दिनों में शिकायत करें"),
            )
            .category("transport")
            .keywords(Language::En, ["lost", "lost and found", "left in bus", "forgot bag", "missing"])
            .keywords(Language::Te, ["పోయింది", "మరచిపోయాను", "బస్సులో వదిలేశాను", "పోయిన వస్తువు"])
            .keywords(Language::Hi, ["खोया", "खोया पाया", "बस में छूट गया"])
            .field(Field::date(
                "travel-date",
                Text::new("Date of travel").te("ప్రయాణించిన తేదీ").hi("यात्रा की तारीख"),
                DateRule::TodayOrEarlier,
            ))
            .field(town_field("from", Text::new("Boarded at which town?").te("ఏ పట్టణంలో ఎక్కారు?").hi("किस शहर से चढ़े?")))
            .field(
                Field::text(
                    "service",
                    Text::new("Service or bus number, if known")
                        .te("సర్వీసు / బస్సు నంబర్ (తెలిస్తే)")
                        .hi("सेवा या बस नंबर (यदि पता हो)"),
                )
                .length(2, 20)
                .optional(),
            )
            .field(Field::choice(
                "item",
                Text::new("What was lost?").te("ఏమి పోయింది?").hi("क्या खोया?"),
                ITEMS.iter().map(|&(id, en, te, hi)| (id, Text::new(en).te(te).hi(hi))),
            ))
            .field(
                Field::text(
                    "description",
                    Text::new("Describe it: colour, brand, contents")
                        .te("వివరించండి: రంగు, బ్రాండ్, లోపల ఏమున్నాయి")
                        .hi("विवरण: रंग, ब्रांड, अंदर क्या था"),
                )
                .length(10, 300),
            )
            .field(mobile())
            .sla_days(7)
            .delivery(Delivery::Application),
        )
}
