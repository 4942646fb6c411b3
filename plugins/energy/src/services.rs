//! What the power distribution companies offer over chat: the services, their
//! forms and the words citizens search with.

use mitra_sdk::prelude::*;

fn usc() -> Field {
    Field::text("usc", Text::new("Service number (USC)").te("సర్వీస్ నంబర్ (USC)").hi("सर्विस नंबर (USC)"))
        .length(13, 16)
        .hint(
            Text::new("13 digits, printed as USC No. on your bill, e.g. 1102345678901")
                .te("మీ బిల్లుపై USC No. గా ఉన్న 13 అంకెలు, ఉదా. 1102345678901")
                .hi("आपके बिल पर USC No. के रूप में 13 अंक, जैसे 1102345678901"),
        )
}

fn mobile() -> Field {
    Field::phone("mobile", Text::new("Mobile number for updates").te("సమాచారం కోసం మొబైల్ నంబర్").hi("सूचना के लिए मोबाइल नंबर"))
}

fn aadhaar(label: Text) -> Field {
    Field::aadhaar("aadhaar", label)
}

const BILL_WORDS_EN: [&str; 8] =
    ["current bill", "bijli bill", "electricity bill", "power bill", "eb bill", "apspdcl", "apepdcl", "apcpdcl"];
const BILL_WORDS_TE: [&str; 4] = ["కరెంట్ బిల్లు", "కరెంటు బిల్లు", "విద్యుత్ బిల్లు", "కరెంట్ బిల్"];
const BILL_WORDS_HI: [&str; 3] = ["बिजली बिल", "लाइट बिल", "बिजली का बिल"];

pub(crate) fn department() -> DepartmentInfo {
    DepartmentInfo::new("energy", Text::new("Electricity").te("విద్యుత్").hi("बिजली"))
        .service(bill())
        .service(pay_bill())
        .service(new_connection())
        .service(outage())
        .service(meter_reading())
        .service(category_change())
        .service(name_transfer())
        .service(solar_rooftop())
        .service(no_dues())
}

fn bill() -> Service {
    Service::new("bill", Text::new("Current bill").te("కరెంట్ బిల్లు").hi("बिजली बिल"))
        .description(
            Text::new("This month's electricity bill, arrears and due date by service number")
                .te("సర్వీస్ నంబర్‌తో ఈ నెల కరెంట్ బిల్లు, బకాయి, చెల్లింపు గడువు")
                .hi("सर्विस नंबर से इस माह का बिजली बिल, बकाया और अंतिम तिथि"),
        )
        .category("utilities")
        .keywords(Language::En, BILL_WORDS_EN)
        .keywords(Language::En, ["bill amount", "usc number", "due date"])
        .keywords(Language::Te, BILL_WORDS_TE)
        .keywords(Language::Hi, BILL_WORDS_HI)
        .field(usc())
        .delivery(Delivery::Information)
}

fn pay_bill() -> Service {
    Service::new("pay-bill", Text::new("Pay current bill (UPI)").te("కరెంట్ బిల్లు చెల్లింపు").hi("बिजली बिल भुगतान"))
        .description(
            Text::new("Pay the amount due by any UPI app; the DISCOM credits it the same day")
                .te("ఏ UPI యాప్‌తోనైనా బిల్లు చెల్లించండి; అదే రోజు జమ అవుతుంది")
                .hi("किसी भी UPI ऐप से बिल चुकाएँ; उसी दिन जमा होता है"),
        )
        .category("utilities")
        .keywords(Language::En, BILL_WORDS_EN)
        .keywords(
            Language::En,
            ["pay current bill", "pay bijli bill", "upi", "phonepe", "gpay", "pay electricity bill"],
        )
        .keywords(Language::Te, BILL_WORDS_TE)
        .keywords(Language::Te, ["బిల్లు చెల్లింపు", "కరెంట్ బిల్లు కట్టాలి"])
        .keywords(Language::Hi, BILL_WORDS_HI)
        .keywords(Language::Hi, ["बिल भुगतान", "बिजली बिल जमा"])
        .field(usc())
        .delivery(Delivery::Payment)
}

fn category_choice(id: &str, label: Text, with_industrial: bool) -> Field {
    let mut options = vec![
        ("domestic", Text::new("Domestic (house)").te("గృహ అవసరం").hi("घरेलू")),
        ("commercial", Text::new("Commercial (shop)").te("వాణిజ్య (దుకాణం)").hi("व्यावसायिक (दुकान)")),
        ("agricultural", Text::new("Agricultural pump").te("వ్యవసాయ పంపు").hi("कृषि पंप")),
    ];
    if with_industrial {
        options.push(("industrial", Text::new("Industrial").te("పారిశ్రామిక").hi("औद्योगिक")));
    }
    Field::choice(id, label, options)
}

fn new_connection() -> Service {
    let districts = [
        ("ntr", Text::new("NTR").te("ఎన్టీఆర్").hi("एनटीआर")),
        ("guntur", Text::new("Guntur").te("గుంటూరు").hi("गुंटूर")),
        ("tirupati", Text::new("Tirupati").te("తిరుపతి").hi("तिरुपति")),
        ("kurnool", Text::new("Kurnool").te("కర్నూలు").hi("कुरनूल")),
        ("visakhapatnam", Text::new("Visakhapatnam").te("విశాఖపట్నం").hi("विशाखापत्तनम")),
        ("east-godavari", Text::new("East Godavari").te("తూర్పు గోదావరి").hi("पूर्वी गोदावरी")),
    ];
    Service::new("new-connection", Text::new("New power connection").te("కొత్త కరెంట్ కనెక్షన్").hi("नया बिजली कनेक्शन"))
        .description(
            Text::new("Domestic, commercial or farm pump connection up to 75 kW (LT)")
                .te("గృహ, వాణిజ్య, వ్యవసాయ పంపు కనెక్షన్ 75 కిలోవాట్ల వరకు (LT)")
                .hi("घरेलू, व्यावसायिक या कृषि पंप कनेक्शन 75 किलोवाट तक (LT)"),
        )
        .category("utilities")
        .keywords(
            Language::En,
            ["new connection", "new current connection", "new meter", "electricity connection", "pump set connection"],
        )
        .keywords(Language::Te, ["కొత్త కనెక్షన్", "కొత్త మీటర్", "కరెంట్ కనెక్షన్"])
        .keywords(Language::Hi, ["नया कनेक्शन", "बिजली कनेक्शन", "नया मीटर"])
        .field(Field::text("name", Text::new("Applicant's name").te("దరఖాస్తుదారు పేరు").hi("आवेदक का नाम")).length(2, 100))
        .field(aadhaar(Text::new("Applicant's Aadhaar").te("దరఖాస్తుదారు ఆధార్").hi("आवेदक का आधार")))
        .field(Field::choice("district", Text::new("District").te("జిల్లా").hi("ज़िला"), districts))
        .field(
            Field::text("address", Text::new("Address of the premises").te("కనెక్షన్ కావలసిన చిరునామా").hi("परिसर का पता"))
                .length(10, 200),
        )
        .field(category_choice(
            "category",
            Text::new("What is the supply for?").te("కరెంట్ దేనికోసం?").hi("बिजली किसलिए?"),
            false,
        ))
        .field(
            Field::number(
                "load",
                Text::new("Load needed (kW)").te("కావలసిన లోడు (కిలోవాట్)").hi("आवश्यक लोड (किलोवाट)"),
                Some(0.5),
                Some(150.0),
            )
            .hint(
                Text::new("A house with fans, lights, fridge: 1–2 kW; with AC: 3–5 kW; a 7.5 HP pump: 5.6 kW")
                    .te("ఫ్యాన్లు, లైట్లు, ఫ్రిజ్ ఉన్న ఇల్లు: 1–2 కిలోవాట్; ఏసీతో: 3–5; 7.5 హెచ్‌పీ పంపు: 5.6"),
            ),
        )
        .field(Field::document(
            "ownership",
            Text::new("Proof of ownership: sale deed, tax receipt or pattadar passbook")
                .te("యాజమాన్య రుజువు: దస్తావేజు, పన్ను రసీదు లేదా పట్టాదారు పాస్‌బుక్")
                .hi("स्वामित्व प्रमाण: बिक्री विलेख, कर रसीद या पट्टा पासबुक"),
        ))
        .field(mobile())
        .sla_days(7)
}

fn outage() -> Service {
    let faults = [
        ("no-supply", Text::new("No power supply").te("కరెంట్ లేదు").hi("बिजली नहीं है")),
        ("low-voltage", Text::new("Low voltage").te("తక్కువ వోల్టేజ్").hi("कम वोल्टेज")),
        ("transformer", Text::new("Transformer failed").te("ట్రాన్స్‌ఫార్మర్ పాడైంది").hi("ट्रांसफार्मर खराब")),
        ("line-snapped", Text::new("Wire snapped (danger)").te("తీగ తెగింది (ప్రమాదం)").hi("तार टूटा (खतरा)")),
        ("meter", Text::new("Meter burnt or stuck").te("మీటర్ కాలింది/ఆగింది").hi("मीटर जला या रुका")),
    ];
    Service::new("outage", Text::new("Power cut complaint").te("కరెంట్ పోయింది ఫిర్యాదు").hi("बिजली कटौती शिकायत"))
        .description(
            Text::new("Report no supply, low voltage, a failed transformer or a snapped wire")
                .te("కరెంట్ లేకపోవడం, తక్కువ వోల్టేజ్, ట్రాన్స్‌ఫార్మర్, తెగిన తీగపై ఫిర్యాదు")
                .hi("बिजली न होना, कम वोल्टेज, खराब ट्रांसफार्मर या टूटे तार की शिकायत"),
        )
        .category("utilities")
        .keywords(
            Language::En,
            [
                "power cut",
                "no current",
                "current poyindi",
                "outage",
                "transformer",
                "low voltage",
                "wire snapped",
                "complaint",
            ],
        )
        .keywords(Language::Te, ["కరెంట్ పోయింది", "కరెంట్ లేదు", "ట్రాన్స్‌ఫార్మర్", "వోల్టేజ్", "విద్యుత్ ఫిర్యాదు"])
        .keywords(Language::Hi, ["बिजली नहीं", "बिजली कटौती", "लाइट नहीं", "ट्रांसफार्मर"])
        .field(usc())
        .field(
            Field::choice("fault", Text::new("What is wrong?").te("సమస్య ఏమిటి?").hi("क्या समस्या है?"), faults).hint(
                Text::new("A snapped wire is dangerous: keep away and also call 1912")
                    .te("తెగిన తీగ ప్రమాదం: దూరంగా ఉండండి, 1912 కు కూడా ఫోన్ చేయండి")
                    .hi("टूटा तार खतरनाक है: दूर रहें और 1912 पर भी फोन करें"),
            ),
        )
        .field(mobile())
        .sla_days(1)
}

fn meter_reading() -> Service {
    Service::new("meter-reading", Text::new("Submit meter reading").te("మీటర్ రీడింగ్ పంపండి").hi("मीटर रीडिंग भेजें"))
        .description(
            Text::new("Send your own meter reading and photo when the reader could not visit")
                .te("రీడర్ రాలేనప్పుడు మీ మీటర్ రీడింగ్, ఫోటో పంపండి")
                .hi("रीडर न आ सके तो अपनी मीटर रीडिंग और फोटो भेजें"),
        )
        .category("utilities")
        .keywords(Language::En, ["meter reading", "self reading", "reading not taken", "meter photo"])
        .keywords(Language::Te, ["మీటర్ రీడింగ్", "రీడింగ్"])
        .keywords(Language::Hi, ["मीटर रीडिंग", "रीडिंग"])
        .field(usc())
        .field(
            Field::integer(
                "reading",
                Text::new("Meter reading (kWh)").te("మీటర్ రీడింగ్ (యూనిట్లు)").hi("मीटर रीडिंग (यूनिट)"),
                Some(0.0),
                Some(999_999.0),
            )
            .hint(Text::new("The kWh figure on the display, without decimals").te("డిస్‌ప్లేపై kWh అంకె, దశాంశం లేకుండా")),
        )
        .field(Field::photo(
            "photo",
            Text::new("Photo of the meter display").te("మీటర్ డిస్‌ప్లే ఫోటో").hi("मीटर डिस्प्ले की फोटो"),
        ))
        .delivery(Delivery::Information)
}

fn category_change() -> Service {
    Service::new("category-change", Text::new("Change tariff category").te("కేటగిరీ మార్పు").hi("श्रेणी परिवर्तन"))
        .description(
            Text::new("Move a connection between domestic, commercial, farm and industry")
                .te("కనెక్షన్‌ను గృహ, వాణిజ్య, వ్యవసాయ, పారిశ్రామిక కేటగిరీల మధ్య మార్చండి")
                .hi("कनेक्शन को घरेलू, व्यावसायिक, कृषि और औद्योगिक श्रेणी में बदलें"),
        )
        .category("utilities")
        .keywords(
            Language::En,
            ["category change", "tariff change", "commercial to domestic", "domestic to commercial"],
        )
        .keywords(Language::Te, ["కేటగిరీ మార్పు", "టారిఫ్ మార్పు"])
        .keywords(Language::Hi, ["श्रेणी परिवर्तन", "टैरिफ बदलें"])
        .field(usc())
        .field(category_choice(
            "to",
            Text::new("Change to which category?").te("ఏ కేటగిరీకి మార్చాలి?").hi("किस श्रेणी में बदलें?"),
            true,
        ))
        .field(
            Field::text(
                "reason",
                Text::new("Why is the use changing?").te("వినియోగం ఎందుకు మారుతోంది?").hi("उपयोग क्यों बदल रहा है?"),
            )
            .length(5, 200),
        )
        .field(Field::document(
            "proof",
            Text::new("Proof of the new use (trade licence, tax assessment)")
                .te("కొత్త వినియోగ రుజువు (ట్రేడ్ లైసెన్స్, పన్ను)")
                .hi("नए उपयोग का प्रमाण"),
        ))
        .fee_rupees(100)
        .sla_days(7)
}

fn name_transfer() -> Service {
    let reasons = [
        ("sale", Text::new("Bought the property").te("ఆస్తి కొన్నాను").hi("संपत्ति खरीदी")),
        ("inheritance", Text::new("Inherited it").te("వారసత్వంగా వచ్చింది").hi("विरासत में मिली")),
        ("gift", Text::new("Gift or partition").te("దానం లేదా పంపకం").hi("दान या बँटवारा")),
    ];
    Service::new("name-transfer", Text::new("Name transfer").te("పేరు మార్పు").hi("नाम परिवर्तन"))
        .description(
            Text::new("Put the connection in the new owner's name after a sale or inheritance")
                .te("ఆస్తి అమ్మకం లేదా వారసత్వం తర్వాత కనెక్షన్ కొత్త యజమాని పేరుకు మార్పు")
                .hi("बिक्री या विरासत के बाद कनेक्शन नए मालिक के नाम करें"),
        )
        .category("utilities")
        .keywords(Language::En, ["name transfer", "name change", "change owner", "meter name change"])
        .keywords(Language::Te, ["పేరు మార్పు", "మీటర్ పేరు మార్పు", "యజమాని మార్పు"])
        .keywords(Language::Hi, ["नाम परिवर्तन", "मीटर नाम बदलें"])
        .field(usc())
        .field(
            Field::text("new-name", Text::new("New owner's name").te("కొత్త యజమాని పేరు").hi("नए मालिक का नाम"))
                .length(2, 100),
        )
        .field(aadhaar(Text::new("New owner's Aadhaar").te("కొత్త యజమాని ఆధార్").hi("नए मालिक का आधार")))
        .field(Field::choice(
            "how",
            Text::new("How did the property change hands?").te("ఆస్తి ఎలా మారింది?").hi("संपत्ति कैसे मिली?"),
            reasons,
        ))
        .field(Field::document(
            "proof",
            Text::new("Sale deed, or death certificate with legal heir certificate")
                .te("దస్తావేజు, లేదా మరణ ధృవీకరణ పత్రం మరియు వారసత్వ ధృవీకరణ పత్రం")
                .hi("बिक्री विलेख, या मृत्यु प्रमाण पत्र और उत्तराधिकार प्रमाण पत्र"),
        ))
        .field(mobile())
        .fee_rupees(100)
        .sla_days(7)
}

fn solar_rooftop() -> Service {
    let yes_no = |yes: Text, no: Text| [("yes", yes), ("no", no)];
    Service::new("solar-rooftop", Text::new("PM Surya Ghar solar").te("పీఎం సూర్య ఘర్ సోలార్").hi("पीएम सूर्य घर सोलर"))
        .description(
            Text::new("Rooftop solar for your home with up to ₹78,000 central subsidy")
                .te("ఇంటి పైకప్పుపై సోలార్, ₹78,000 వరకు కేంద్ర సబ్సిడీ")
                .hi("घर की छत पर सोलर, ₹78,000 तक केंद्रीय सब्सिडी"),
        )
        .category("utilities")
        .keywords(
            Language::En,
            ["solar", "rooftop solar", "surya ghar", "pm surya ghar", "muft bijli", "solar subsidy", "net metering"],
        )
        .keywords(Language::Te, ["సోలార్", "సూర్య ఘర్", "సోలార్ సబ్సిడీ", "రూఫ్‌టాప్ సోలార్"])
        .keywords(Language::Hi, ["सोलर", "सूर्य घर", "मुफ्त बिजली", "सोलर सब्सिडी"])
        .field(usc())
        .field(Field::choice(
            "roof",
            Text::new("Is the roof your own?").te("పైకప్పు మీ సొంతమా?").hi("क्या छत आपकी अपनी है?"),
            [
                ("own", Text::new("Own house").te("సొంత ఇల్లు").hi("अपना घर")),
                ("rented", Text::new("Rented").te("అద్దె ఇల్లు").hi("किराये का")),
            ],
        ))
        .field(
            Field::integer(
                "roof-area",
                Text::new("Shadow-free roof area (sq ft)")
                    .te("నీడ లేని పైకప్పు వైశాల్యం (చ.అ.)")
                    .hi("छायामुक्त छत क्षेत्र (वर्ग फुट)"),
                Some(0.0),
                Some(100_000.0),
            )
            .hint(Text::new("About 100 sq ft per kW").te("ఒక కిలోవాట్‌కు సుమారు 100 చ.అ.")),
        )
        .field(
            Field::number(
                "capacity",
                Text::new("Plant size (kW)").te("ప్లాంటు సామర్థ్యం (కిలోవాట్)").hi("प्लांट क्षमता (किलोवाट)"),
                Some(crate::rules::SOLAR_KW.0),
                Some(crate::rules::SOLAR_KW.1),
            )
            .hint(
                Text::new("2 kW suits 150–300 units a month; 3 kW above 300")
                    .te("నెలకు 150–300 యూనిట్లకు 2 కిలోవాట్; 300 పైన 3"),
            ),
        )
        .field(Field::choice(
            "subsidy-before",
            Text::new("Had a solar subsidy before?").te("గతంలో సోలార్ సబ్సిడీ పొందారా?").hi("पहले सोलर सब्सिडी ली है?"),
            yes_no(Text::new("Yes").te("అవును").hi("हाँ"), Text::new("No").te("లేదు").hi("नहीं")),
        ))
        .field(aadhaar(Text::new("Aadhaar of the consumer").te("వినియోగదారు ఆధార్").hi("उपभोक्ता का आधार")))
        .field(mobile())
        .sla_days(15)
}

fn no_dues() -> Service {
    let purposes = [
        ("property-sale", Text::new("Property sale").te("ఆస్తి అమ్మకం").hi("संपत्ति बिक्री")),
        ("bank-loan", Text::new("Bank loan").te("బ్యాంకు రుణం").hi("बैंक ऋण")),
        ("new-connection", Text::new("Connection elsewhere").te("మరోచోట కనెక్షన్").hi("अन्यत्र कनेक्शन")),
        ("other", Text::new("Other").te("ఇతర").hi("अन्य")),
    ];
    Service::new("no-dues", Text::new("No dues certificate").te("బకాయిలు లేని ధృవపత్రం").hi("नो ड्यूज प्रमाण पत्र"))
        .description(
            Text::new("Certificate that nothing is due on a connection, valid 30 days")
                .te("కనెక్షన్‌పై బకాయిలు లేవని ధృవపత్రం, 30 రోజులు చెల్లుతుంది")
                .hi("कनेक्शन पर कोई बकाया नहीं होने का प्रमाण पत्र, 30 दिन मान्य"),
        )
        .category("utilities")
        .keywords(
            Language::En,
            ["no dues", "no due certificate", "nodues", "electricity clearance", "current bill clearance"],
        )
        .keywords(Language::Te, ["బకాయిలు లేని", "నో డ్యూస్"])
        .keywords(Language::Hi, ["नो ड्यूज", "बकाया नहीं प्रमाण पत्र"])
        .field(usc())
        .field(Field::choice("purpose", Text::new("Needed for?").te("దేనికోసం?").hi("किसलिए?"), purposes))
        .field(aadhaar(Text::new("Consumer's Aadhaar").te("వినియోగదారు ఆధార్").hi("उपभोक्ता का आधार")))
        .delivery(Delivery::InstantDocument)
}
