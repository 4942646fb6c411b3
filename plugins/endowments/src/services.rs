//! What the Endowments department offers over chat: the services, their forms
//! and the words citizens search with.

use mitra_sdk::prelude::*;

use crate::rules::{self, Name};

fn options(table: &[(&'static str, Name)]) -> Vec<(&'static str, Text)> {
    table.iter().map(|(id, n)| (*id, n.text())).collect()
}

fn temple() -> Field {
    Field::choice("temple", Text::new("Which temple?").te("ఏ ఆలయం?").hi("कौन सा मंदिर?"), options(rules::TEMPLES))
}

fn date(en: &str, te: &str, hi: &str) -> Field {
    Field::date("date", Text::new(en).te(te).hi(hi), DateRule::TodayOrLater).hint(
        Text::new("Today or up to 30 days ahead, e.g. 15-08-2026")
            .te("ఈ రోజు నుంచి 30 రోజుల లోపు, ఉదా. 15-08-2026")
            .hi("आज से 30 दिन के भीतर, जैसे 15-08-2026"),
    )
}

fn name() -> Field {
    Field::text(
        "name",
        Text::new("Devotee's name, as on photo ID")
            .te("భక్తుని పేరు (గుర్తింపు కార్డులో ఉన్నట్లు)")
            .hi("श्रद्धालु का नाम (पहचान पत्र के अनुसार)"),
    )
    .length(2, 100)
}

fn mobile() -> Field {
    Field::phone("mobile", Text::new("Mobile number for the ticket").te("టికెట్ కోసం మొబైల్ నంబర్").hi("टिकट के लिए मोबाइल नंबर"))
        .hint(Text::new("One booking per mobile per temple per day").te("ఒక మొబైల్‌కు ఒక ఆలయంలో రోజుకు ఒక బుకింగ్"))
}

pub(crate) fn department() -> DepartmentInfo {
    DepartmentInfo::new("endowments", Text::new("Temples & Endowments").te("దేవాదాయ శాఖ").hi("देवस्थान विभाग"))
        .service(darshan())
        .service(darshan_slots())
        .service(seva())
        .service(accommodation())
        .service(donation())
        .service(prasadam())
        .service(booking_status())
        .service(timings())
}

fn darshan() -> Service {
    Service::new("darshan", Text::new("Darshan ticket booking").te("దర్శనం టికెట్ బుకింగ్").hi("दर्शन टिकट बुकिंग"))
        .description(
            Text::new("Book a darshan slot at an AP Endowments temple, up to 30 days ahead")
                .te("దేవాదాయ ఆలయాల్లో 30 రోజుల ముందు వరకు దర్శనం స్లాట్ బుక్ చేయండి")
                .hi("आंध्र प्रदेश के देवस्थान मंदिरों में 30 दिन पहले तक दर्शन बुक करें"),
        )
        .category("temples")
        .keywords(
            Language::En,
            [
                "darshan",
                "darshanam",
                "temple ticket",
                "special darshan",
                "srisailam darshan",
                "durga temple ticket",
                "sparsha darshan",
            ],
        )
        .keywords(Language::Te, ["దర్శనం", "దర్శనం టికెట్", "గుడి టికెట్", "శీఘ్ర దర్శనం", "స్పర్శ దర్శనం"])
        .keywords(Language::Hi, ["दर्शन", "दर्शन टिकट", "मंदिर टिकट"])
        .field(temple())
        .field(Field::choice(
            "darshan",
            Text::new("Which darshan?").te("ఏ దర్శనం?").hi("कौन सा दर्शन?"),
            rules::DARSHAN.iter().map(|d| (d.id, d.label.text())),
        ))
        .field(date("Date of darshan", "దర్శనం తేదీ", "दर्शन की तारीख"))
        .field(Field::choice(
            "slot",
            Text::new("Which time slot?").te("ఏ సమయం?").hi("कौन सा समय?"),
            options(rules::SLOTS),
        ))
        .field(
            Field::integer(
                "persons",
                Text::new("How many devotees?").te("ఎంత మంది భక్తులు?").hi("कितने श्रद्धालु?"),
                Some(1.0),
                Some(f64::from(rules::MAX_PERSONS)),
            )
            .hint(
                Text::new("1 to 6; children under 10 need no ticket").te("1 నుంచి 6; 10 ఏళ్ల లోపు పిల్లలకు టికెట్ అవసరం లేదు"),
            ),
        )
        .field(name())
        .field(mobile())
        .delivery(Delivery::Booking)
}

fn darshan_slots() -> Service {
    Service::new("darshan-slots", Text::new("Darshan slots left").te("దర్శనం ఖాళీలు").hi("दर्शन स्लॉट उपलब्धता"))
        .description(
            Text::new("Places left in each darshan slot at a temple on a day")
                .te("ఒక రోజు ఆలయంలో ఒక్కో దర్శనం స్లాట్‌లో మిగిలిన ఖాళీలు")
                .hi("किसी दिन मंदिर के हर दर्शन स्लॉट में बची जगह"),
        )
        .category("temples")
        .keywords(Language::En, ["darshan availability", "slots available", "darshan quota", "tickets left"])
        .keywords(Language::Te, ["దర్శనం ఖాళీలు", "టికెట్లు ఉన్నాయా"])
        .keywords(Language::Hi, ["दर्शन उपलब्धता", "टिकट बचे"])
        .field(temple())
        .field(date("Which day?", "ఏ రోజు?", "कौन सा दिन?"))
        .delivery(Delivery::Information)
}

fn seva() -> Service {
    Service::new("seva", Text::new("Seva booking").te("సేవ బుకింగ్").hi("सेवा बुकिंग"))
        .description(
            Text::new("Abhishekam, Kalyanam, Vratham, Rahu-Ketu puja; fee as per the seva")
                .te("అభిషేకం, కల్యాణం, వ్రతం, రాహు-కేతు పూజ; సేవను బట్టి రుసుము")
                .hi("अभिषेक, कल्याणम, व्रत, राहु-केतु पूजा; शुल्क सेवा के अनुसार"),
        )
        .category("temples")
        .keywords(
            Language::En,
            [
                "seva",
                "abhishekam",
                "kalyanam",
                "vratham",
                "satyanarayana vratham",
                "rahu ketu puja",
                "kumkumarchana",
                "homam",
            ],
        )
        .keywords(Language::Te, ["సేవ", "అభిషేకం", "కల్యాణం", "వ్రతం", "రాహు కేతు పూజ", "కుంకుమార్చన"])
        .keywords(Language::Hi, ["सेवा", "अभिषेक", "पूजा", "व्रत"])
        .field(temple())
        .field(Field::choice("seva", Text::new("Which seva?").te("ఏ సేవ?").hi("कौन सी सेवा?"), options(rules::SEVAS)))
        .field(date("Date of the seva", "సేవ తేదీ", "सेवा की तारीख"))
        .field(name())
        .field(
            Field::text(
                "gotram",
                Text::new("Gotram, for the sankalpam").te("గోత్రం (సంకల్పం కోసం)").hi("गोत्र (संकल्प के लिए)"),
            )
            .length(2, 40)
            .optional(),
        )
        .field(mobile())
        .delivery(Delivery::Booking)
}

fn accommodation() -> Service {
    Service::new("accommodation", Text::new("Choultry room booking").te("సత్రం గది బుకింగ్").hi("धर्मशाला कमरा बुकिंग"))
        .description(
            Text::new("Devasthanam rooms and cottages for up to 2 nights")
                .te("దేవస్థానం గదులు, కాటేజీలు 2 రాత్రుల వరకు")
                .hi("देवस्थान के कमरे और कॉटेज, 2 रात तक"),
        )
        .category("temples")
        .keywords(Language::En, ["room", "choultry", "accommodation", "cottage", "stay", "satram", "guest house"])
        .keywords(Language::Te, ["గది", "సత్రం", "వసతి", "కాటేజీ"])
        .keywords(Language::Hi, ["कमरा", "धर्मशाला", "आवास"])
        .field(temple())
        .field(Field::choice(
            "room",
            Text::new("Which room?").te("ఏ గది?").hi("कौन सा कमरा?"),
            rules::ROOMS.iter().map(|r| (r.0, r.1.text())),
        ))
        .field(date("Check-in date", "చెక్-ఇన్ తేదీ", "चेक-इन की तारीख"))
        .field(Field::integer(
            "nights",
            Text::new("How many nights?").te("ఎన్ని రాత్రులు?").hi("कितनी रातें?"),
            Some(1.0),
            Some(f64::from(rules::MAX_NIGHTS)),
        ))
        .field(
            Field::integer(
                "guests",
                Text::new("How many guests?").te("ఎంత మంది?").hi("कितने अतिथि?"),
                Some(1.0),
                Some(6.0),
            )
            .hint(Text::new("Rooms take 4, cottages 6").te("గదిలో 4, కాటేజీలో 6 మంది")),
        )
        .field(name())
        .field(mobile())
        .delivery(Delivery::Booking)
}

fn donation() -> Service {
    Service::new("donation", Text::new("Donation (e-Hundi)").te("విరాళం (ఇ-హుండీ)").hi("दान (ई-हुंडी)"))
        .description(
            Text::new("Donate by UPI to Annadanam, Go Samrakshana or the hundi; 80G receipt")
                .te("అన్నదానం, గో సంరక్షణ, హుండీకి UPI ద్వారా విరాళం; 80G రసీదు")
                .hi("अन्नदान, गो संरक्षण या हुंडी में UPI से दान; 80G रसीद"),
        )
        .category("temples")
        .keywords(Language::En, ["donation", "donate", "hundi", "e-hundi", "annadanam", "80g", "temple donation"])
        .keywords(Language::Te, ["విరాళం", "హుండీ", "అన్నదానం", "కానుక"])
        .keywords(Language::Hi, ["दान", "हुंडी", "अन्नदान", "चढ़ावा"])
        .field(temple())
        .field(Field::choice(
            "purpose",
            Text::new("Donate to which scheme?").te("ఏ పథకానికి విరాళం?").hi("किस योजना के लिए दान?"),
            options(rules::PURPOSES),
        ))
        .field(Field::integer(
            "amount",
            Text::new("Amount (₹)").te("మొత్తం (₹)").hi("राशि (₹)"),
            Some(1.0),
            Some(rules::MAX_DONATION_RUPEES as f64),
        ))
        .field(Field::text("name", Text::new("Donor's name").te("దాత పేరు").hi("दाता का नाम")).length(2, 100))
        .field(
            Field::text(
                "address",
                Text::new("Donor's address, for the receipt").te("దాత చిరునామా (రసీదు కోసం)").hi("दाता का पता (रसीद के लिए)"),
            )
            .length(10, 200),
        )
        .field(
            Field::text("pan", Text::new("PAN, for the 80G receipt").te("పాన్ (80G రసీదు కోసం)").hi("पैन (80G रसीद के लिए)"))
                .length(10, 12)
                .hint(
                    Text::new("e.g. ABCPE1234F; needed for 80G and for ₹50,000 or more")
                        .te("ఉదా. ABCPE1234F; 80G కి, ₹50,000 పైబడిన విరాళానికి అవసరం")
                        .hi("जैसे ABCPE1234F; 80G और ₹50,000 या अधिक के लिए आवश्यक"),
                )
                .optional(),
        )
        .field(mobile())
        .delivery(Delivery::Payment)
}

fn prasadam() -> Service {
    let delivery = [
        ("counter", Text::new("Collect at counter").te("కౌంటర్ వద్ద").hi("काउंटर से लूँगा")),
        ("post", Text::new("India Post +₹100").te("పోస్టులో +₹100").hi("डाक से +₹100")),
    ];
    Service::new("prasadam", Text::new("Prasadam order").te("ప్రసాదం ఆర్డర్").hi("प्रसाद ऑर्डर"))
        .description(
            Text::new("Laddu, pulihora or Annavaram prasadam: collect at the counter or by post")
                .te("లడ్డూ, పులిహోర, అన్నవరం ప్రసాదం: కౌంటర్‌లో లేదా పోస్టులో")
                .hi("लड्डू, पुलिहोरा या अन्नवरम प्रसाद: काउंटर से या डाक से"),
        )
        .category("temples")
        .keywords(Language::En, ["prasadam", "prasad", "laddu", "pulihora", "annavaram prasadam"])
        .keywords(Language::Te, ["ప్రసాదం", "లడ్డూ", "పులిహోర"])
        .keywords(Language::Hi, ["प्रसाद", "लड्डू"])
        .field(temple())
        .field(Field::choice(
            "item",
            Text::new("Which prasadam?").te("ఏ ప్రసాదం?").hi("कौन सा प्रसाद?"),
            rules::PRASADAM.iter().map(|p| (p.0, p.1.text())),
        ))
        .field(
            Field::integer(
                "packets",
                Text::new("How many packets?").te("ఎన్ని ప్యాకెట్లు?").hi("कितने पैकेट?"),
                Some(1.0),
                Some(f64::from(rules::MAX_COUNTER_PACKETS)),
            )
            .hint(
                Text::new("Up to 25 at the counter, 10 by post")
                    .te("కౌంటర్‌లో 25, పోస్టులో 10 వరకు")
                    .hi("काउंटर पर 25, डाक से 10 तक"),
            ),
        )
        .field(Field::choice(
            "delivery",
            Text::new("How will you receive it?").te("ఎలా అందుకుంటారు?").hi("कैसे प्राप्त करेंगे?"),
            delivery,
        ))
        .field(date("Collection date (counter)", "తీసుకునే తేదీ (కౌంటర్)", "लेने की तारीख (काउंटर)").optional())
        .field(
            Field::pincode("pincode", Text::new("PIN code (post)").te("పిన్ కోడ్ (పోస్టు)").hi("पिन कोड (डाक)")).optional(),
        )
        .field(name())
        .field(mobile())
        .delivery(Delivery::Payment)
}

fn booking_status() -> Service {
    Service::new("booking-status", Text::new("Booking status").te("బుకింగ్ స్థితి").hi("बुकिंग स्थिति"))
        .description(
            Text::new("Status of a darshan, seva, room, prasadam or donation booking")
                .te("దర్శనం, సేవ, గది, ప్రసాదం లేదా విరాళం బుకింగ్ స్థితి")
                .hi("दर्शन, सेवा, कमरा, प्रसाद या दान बुकिंग की स्थिति"),
        )
        .category("temples")
        .keywords(Language::En, ["booking status", "ticket status", "my booking", "booking id"])
        .keywords(Language::Te, ["బుకింగ్ స్థితి", "టికెట్ స్థితి"])
        .keywords(Language::Hi, ["बुकिंग स्थिति", "टिकट स्थिति"])
        .field(
            Field::text("booking-id", Text::new("Booking ID").te("బుకింగ్ ఐడీ").hi("बुकिंग आईडी"))
                .length(14, 20)
                .hint(Text::new("As on your ticket, e.g. SRS-DAR-100004").te("మీ టికెట్‌పై ఉన్నట్లు, ఉదా. SRS-DAR-100004")),
        )
        .delivery(Delivery::Information)
}

fn timings() -> Service {
    Service::new("timings", Text::new("Temple timings").te("ఆలయ వేళలు").hi("मंदिर का समय"))
        .description(
            Text::new("Opening hours, darshan hours, seva times and dress code")
                .te("ఆలయం తెరిచే వేళలు, దర్శనం వేళలు, సేవల సమయాలు, వస్త్రధారణ")
                .hi("खुलने का समय, दर्शन समय, सेवा समय और वेशभूषा"),
        )
        .category("temples")
        .keywords(Language::En, ["temple timings", "darshan time", "opening time", "dress code", "temple hours"])
        .keywords(Language::Te, ["ఆలయ వేళలు", "దర్శనం సమయం", "గుడి టైమింగ్స్"])
        .keywords(Language::Hi, ["मंदिर समय", "दर्शन समय"])
        .field(temple())
        .delivery(Delivery::Information)
}
