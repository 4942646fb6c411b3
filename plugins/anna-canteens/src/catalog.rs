//! Anna Canteens' services and their forms as the citizen sees them.

use mitra_sdk::prelude::*;

use crate::rules::TOWNS;

/// What people write in about.
pub(crate) const TOPICS: [(&str, &str, &str, &str); 7] = [
    ("food-quality", "Food quality", "ఆహార నాణ్యత", "भोजन की गुणवत्ता"),
    ("hygiene", "Cleanliness", "పరిశుభ్రత", "साफ़-सफ़ाई"),
    ("closed", "Shut during meal hours", "భోజన సమయంలో మూసివేత", "भोजन समय में बंद"),
    ("overcharging", "Charged more than ₹5", "₹5 కంటే ఎక్కువ వసూలు", "₹5 से ज़्यादा लिया"),
    ("staff", "Staff behaviour", "సిబ్బంది ప్రవర్తన", "कर्मचारियों का व्यवहार"),
    ("suggestion", "Suggestion or praise", "సూచన / ప్రశంస", "सुझाव या प्रशंसा"),
    ("other", "Something else", "ఇతర విషయం", "कुछ और"),
];

pub(crate) const OCCASIONS: [(&str, &str, &str, &str); 5] = [
    ("birthday", "Birthday", "పుట్టినరోజు", "जन्मदिन"),
    ("anniversary", "Wedding anniversary", "పెళ్లి రోజు", "शादी की सालगिरह"),
    ("remembrance", "In memory of a loved one", "ఆత్మీయుల స్మృతిలో", "प्रियजन की स्मृति में"),
    ("festival", "Festival", "పండుగ", "त्योहार"),
    ("other", "Another occasion", "ఇతర సందర్భం", "अन्य अवसर"),
];

/// The English, Telugu and Hindi name of an option id in one of the tables above.
pub(crate) fn option_text(table: &[(&str, &str, &str, &str)], id: &str) -> Text {
    table.iter().find(|o| o.0 == id).map_or_else(|| Text::new(id), |&(_, en, te, hi)| Text::new(en).te(te).hi(hi))
}

fn canteen_code() -> Field {
    Field::text("canteen", Text::new("Canteen code").te("క్యాంటీన్ కోడ్").hi("कैंटीन कोड")).length(4, 10).hint(
        Text::new("Like VJA-01: shown in \"Canteens in a town\" and on the canteen board")
            .te("VJA-01 లాగా: \"పట్టణంలో క్యాంటీన్లు\" లో, క్యాంటీన్ బోర్డుపై ఉంటుంది"),
    )
}

pub(crate) fn department() -> DepartmentInfo {
    DepartmentInfo::new("anna-canteens", Text::new("Anna Canteens").te("అన్న క్యాంటీన్లు").hi("अन्ना कैंटीन"))
        .service(
            Service::new("nearest", Text::new("Nearest Anna Canteen").te("సమీప అన్న క్యాంటీన్").hi("नज़दीकी अन्ना कैंटीन"))
                .description(
                    Text::new("Share your location: the 3 closest ₹5 canteens, with directions")
                        .te("లొకేషన్ పంపండి: దగ్గరలోని 3 ₹5 క్యాంటీన్లు, దారితో సహా")
                        .hi("स्थान भेजें: सबसे पास की 3 ₹5 कैंटीन, रास्ते के साथ"),
                )
                .category("food")
                .keywords(
                    Language::En,
                    ["anna canteen", "5 rupees meal", "cheap food", "canteen near me", "meals", "tiffin", "food"],
                )
                .keywords(Language::Te, ["అన్న క్యాంటీన్", "5 రూపాయల భోజనం", "దగ్గర క్యాంటీన్", "భోజనం", "టిఫిన్"])
                .keywords(Language::Hi, ["अन्ना कैंटीन", "5 रुपये खाना", "सस्ता खाना", "पास की कैंटीन"])
                .field(
                    Field::location("location", Text::new("Share your location").te("మీ లొకేషన్ పంపండి").hi("अपना स्थान भेजें"))
                        .hint(
                            Text::new("Tap 📎 → Location → Send your current location")
                                .te("📎 → లొకేషన్ → ప్రస్తుత లొకేషన్ పంపండి"),
                        ),
                )
                .delivery(Delivery::Information),
        )
        .service(
            Service::new("menu", Text::new("Menu and timings").te("మెనూ, సమయాలు").hi("मेन्यू और समय"))
                .description(
                    Text::new("Breakfast, lunch and dinner at ₹5 a plate — what is served when")
                        .te("₹5కే అల్పాహారం, మధ్యాహ్న, రాత్రి భోజనం — ఏ రోజు ఏమిటి, ఎప్పుడు")
                        .hi("₹5 में नाश्ता, दोपहर और रात का भोजन — कब क्या मिलता है"),
                )
                .category("food")
                .keywords(Language::En, ["menu", "timings", "breakfast", "lunch", "dinner", "what food today"])
                .keywords(Language::Te, ["మెనూ", "సమయాలు", "అల్పాహారం", "భోజనం", "ఈరోజు ఏమిటి"])
                .keywords(Language::Hi, ["मेन्यू", "समय", "नाश्ता", "खाना"])
                .field(Field::choice(
                    "day",
                    Text::new("Which day?").te("ఏ రోజు?").hi("कौन सा दिन?"),
                    [
                        ("today", Text::new("Today").te("ఈరోజు").hi("आज")),
                        ("tomorrow", Text::new("Tomorrow").te("రేపు").hi("कल")),
                        ("mon", Text::new("Monday").te("సోమవారం").hi("सोमवार")),
                        ("tue", Text::new("Tuesday").te("మంగళవారం").hi("मंगलवार")),
                        ("wed", Text::new("Wednesday").te("బుధవారం").hi("बुधवार")),
                        ("thu", Text::new("Thursday").te("గురువారం").hi("गुरुवार")),
                        ("fri", Text::new("Friday").te("శుక్రవారం").hi("शुक्रवार")),
                        ("sat", Text::new("Saturday").te("శనివారం").hi("शनिवार")),
                        ("sun", Text::new("Sunday").te("ఆదివారం").hi("रविवार")),
                    ],
                ))
                .delivery(Delivery::Information),
        )
        .service(
            Service::new("by-town", Text::new("Canteens in a town").te("పట్టణంలో క్యాంటీన్లు").hi("शहर में कैंटीन"))
                .description(
                    Text::new("Every Anna Canteen in a town, with address and map")
                        .te("పట్టణంలోని అన్ని అన్న క్యాంటీన్లు, చిరునామా, మ్యాప్‌తో")
                        .hi("शहर की हर अन्ना कैंटीन, पते और नक्शे के साथ"),
                )
                .category("food")
                .keywords(Language::En, ["canteen list", "canteen address", "anna canteen in my town"])
                .keywords(Language::Te, ["క్యాంటీన్ల జాబితా", "క్యాంటీన్ చిరునామా"])
                .keywords(Language::Hi, ["कैंटीन सूची", "कैंटीन पता"])
                .field(Field::choice(
                    "town",
                    Text::new("Which town?").te("ఏ పట్టణం?").hi("कौन सा शहर?"),
                    TOWNS.iter().map(|t| (t.slug, Text::new(t.en).te(t.te).hi(t.hi))),
                ))
                .delivery(Delivery::Information),
        )
        .service(
            Service::new("feedback", Text::new("Feedback or complaint").te("అభిప్రాయం / ఫిర్యాదు").hi("सुझाव या शिकायत"))
                .description(
                    Text::new("Tell us about food, cleanliness, timings or overcharging")
                        .te("ఆహారం, పరిశుభ్రత, సమయాలు, అధిక వసూలు గురించి తెలపండి")
                        .hi("भोजन, सफ़ाई, समय या ज़्यादा पैसे लेने के बारे में बताएँ"),
                )
                .category("food")
                .keywords(
                    Language::En,
                    ["complaint", "feedback", "bad food", "dirty", "canteen closed", "overcharging"],
                )
                .keywords(Language::Te, ["ఫిర్యాదు", "అభిప్రాయం", "నాణ్యత లేదు", "మూసి ఉంది"])
                .keywords(Language::Hi, ["शिकायत", "सुझाव", "खराब खाना", "गंदगी"])
                .field(canteen_code())
                .field(Field::choice(
                    "topic",
                    Text::new("What is it about?").te("దేని గురించి?").hi("किस बारे में?"),
                    TOPICS.iter().map(|&(id, en, te, hi)| (id, Text::new(en).te(te).hi(hi))),
                ))
                .field(
                    Field::text("details", Text::new("What happened? When?").te("ఏమి జరిగింది? ఎప్పుడు?").hi("क्या हुआ? कब?"))
                        .length(10, 500),
                )
                .field(
                    Field::photo("photo", Text::new("A photo, if you have one").te("ఫోటో ఉంటే పంపండి").hi("फ़ोटो हो तो भेजें"))
                        .optional(),
                )
                .sla_days(3)
                .delivery(Delivery::Application),
        )
        .service(
            Service::new("donate", Text::new("Donate meals").te("భోజనాలు విరాళం").hi("भोजन दान"))
                .description(
                    Text::new("Sponsor a canteen's meals on a special day; receipt at once")
                        .te("ప్రత్యేక రోజున క్యాంటీన్ భోజనాలకు విరాళం; వెంటనే రసీదు")
                        .hi("ख़ास दिन पर कैंटीन के भोजन प्रायोजित करें; तुरंत रसीद"),
                )
                .category("food")
                .keywords(Language::En, ["donate", "donation", "sponsor meals", "annadanam", "birthday donation"])
                .keywords(Language::Te, ["విరాళం", "అన్నదానం", "భోజనాలు స్పాన్సర్", "పుట్టినరోజు విరాళం"])
                .keywords(Language::Hi, ["दान", "अन्नदान", "भोजन दान"])
                .field(Field::text("name", Text::new("Donor's name").te("దాత పేరు").hi("दाता का नाम")).length(2, 80))
                .field(Field::phone("phone", Text::new("Mobile number").te("మొబైల్ నంబర్").hi("मोबाइल नंबर")))
                .field(canteen_code())
                .field(
                    Field::date(
                        "date",
                        Text::new("Date of the meals").te("భోజనాల తేదీ").hi("भोजन की तारीख"),
                        DateRule::TodayOrLater,
                    )
                    .hint(Text::new("2 to 90 days ahead, Monday to Saturday").te("2 నుంచి 90 రోజుల లోపు, సోమ–శని")),
                )
                .field(Field::choice(
                    "session",
                    Text::new("Which meal?").te("ఏ పూట?").hi("कौन सा भोजन?"),
                    [
                        ("breakfast", Text::new("Breakfast").te("అల్పాహారం").hi("नाश्ता")),
                        ("lunch", Text::new("Lunch").te("మధ్యాహ్న భోజనం").hi("दोपहर का भोजन")),
                        ("dinner", Text::new("Dinner").te("రాత్రి భోజనం").hi("रात का भोजन")),
                        ("full-day", Text::new("All three meals").te("మూడు పూటలు").hi("तीनों भोजन")),
                    ],
                ))
                .field(Field::choice(
                    "occasion",
                    Text::new("The occasion").te("సందర్భం").hi("अवसर"),
                    OCCASIONS.iter().map(|&(id, en, te, hi)| (id, Text::new(en).te(te).hi(hi))),
                ))
                .field(
                    Field::text(
                        "dedication",
                        Text::new("Name to display (e.g. in memory of)")
                            .te("ప్రదర్శించే పేరు (ఉదా. స్మృతిలో)")
                            .hi("प्रदर्शित नाम (जैसे स्मृति में)"),
                    )
                    .length(2, 80)
                    .optional(),
                )
                .delivery(Delivery::Payment),
        )
}
