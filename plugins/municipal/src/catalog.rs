//! The services the municipal corporations offer, with their forms.

use mitra_sdk::prelude::*;

use crate::rules::{COMPLAINTS, TRADES};
use crate::ulbs::ULBS;

/// The fee for a certified extract of the birth or death register.
pub(crate) const EXTRACT_FEE: u64 = 50;

fn text(en: &str, te: &str, hi: &str) -> Text {
    Text::new(en).te(te).hi(hi)
}

fn assessment() -> Field {
    Field::text("assessment", text("Property tax assessment number", "ఆస్తి పన్ను అసెస్‌మెంట్ నంబర్", "संपत्ति कर निर्धारण संख्या"))
        .length(10, 14)
        .hint(text(
            "10 digits, on your tax receipt, e.g. 1001000006",
            "పన్ను రసీదుపై 10 అంకెలు, ఉదా. 1001000006",
            "कर रसीद पर 10 अंक, जैसे 1001000006",
        ))
}

fn birth_certificate() -> Service {
    Service::new("birth-certificate", text("Birth certificate", "జనన ధృవీకరణ పత్రం", "जन्म प्रमाण पत्र"))
        .field(
            Field::text("registration", text("Birth registration number", "జనన నమోదు సంఖ్య", "जन्म पंजीकरण संख्या"))
                .length(8, 24)
                .hint(text("e.g. B-2023-VJA-04821", "ఉదా. B-2023-VJA-04821", "जैसे B-2023-VJA-04821")),
        )
        .description(text(
            "Certified extract of the birth register (Form 5), by registration number",
            "నమోదు సంఖ్యతో జనన రిజిస్టర్ ధృవీకృత నకలు (ఫారం 5)",
            "पंजीकरण संख्या से जन्म रजिस्टर का प्रमाणित उद्धरण (फॉर्म 5)",
        ))
        .category("certificates")
        .keywords(Language::En, ["birth certificate", "birth registration", "dob certificate", "janana"])
        .keywords(Language::Te, ["జనన ధృవీకరణ", "బర్త్ సర్టిఫికెట్", "పుట్టిన తేదీ పత్రం"])
        .keywords(Language::Hi, ["जन्म प्रमाण पत्र", "बर्थ सर्टिफिकेट"])
        .fee_rupees(EXTRACT_FEE)
        .delivery(Delivery::InstantDocument)
}

fn death_certificate() -> Service {
    Service::new("death-certificate", text("Death certificate", "మరణ ధృవీకరణ పత్రం", "मृत्यु प्रमाण पत्र"))
        .field(
            Field::text("registration", text("Death registration number", "మరణ నమోదు సంఖ్య", "मृत्यु पंजीकरण संख्या"))
                .length(8, 24)
                .hint(text("e.g. D-2024-GNT-00318", "ఉదా. D-2024-GNT-00318", "जैसे D-2024-GNT-00318")),
        )
        .description(text(
            "Certified extract of the death register (Form 6), by registration number",
            "నమోదు సంఖ్యతో మరణ రిజిస్టర్ ధృవీకృత నకలు (ఫారం 6)",
            "पंजीकरण संख्या से मृत्यु रजिस्टर का प्रमाणित उद्धरण (फॉर्म 6)",
        ))
        .category("certificates")
        .keywords(Language::En, ["death certificate", "death registration", "marana"])
        .keywords(Language::Te, ["మరణ ధృవీకరణ", "డెత్ సర్టిఫికెట్", "మరణ పత్రం"])
        .keywords(Language::Hi, ["मृत्यु प्रमाण पत्र", "डेथ सर्टिफिकेट"])
        .fee_rupees(EXTRACT_FEE)
        .delivery(Delivery::InstantDocument)
}

fn property_tax() -> Service {
    Service::new("property-tax", text("Property tax dues", "ఆస్తి పన్ను బకాయి", "संपत्ति कर बकाया"))
        .field(assessment())
        .description(text(
            "Current demand, arrears and interest on your house or shop",
            "మీ ఇల్లు / షాపుపై ప్రస్తుత డిమాండ్, బకాయిలు, వడ్డీ",
            "आपके मकान या दुकान पर वर्तमान मांग, बकाया और ब्याज",
        ))
        .category("taxes")
        .keywords(Language::En, ["property tax", "house tax", "tax dues", "ghar tax", "assessment"])
        .keywords(Language::Te, ["ఆస్తి పన్ను", "ఇంటి పన్ను", "పన్ను బకాయి"])
        .keywords(Language::Hi, ["संपत्ति कर", "गृह कर", "हाउस टैक्स", "घर टैक्स"])
        .delivery(Delivery::Information)
}

fn pay_property_tax() -> Service {
    Service::new("pay-property-tax", text("Pay property tax", "ఆస్తి పన్ను చెల్లింపు", "संपत्ति कर भुगतान"))
        .field(assessment())
        .description(text(
            "Pay the full dues by UPI and get the receipt here",
            "పూర్తి బకాయిని యూపీఐ ద్వారా చెల్లించి ఇక్కడే రసీదు పొందండి",
            "पूरा बकाया यूपीआई से चुकाएँ और यहीं रसीद पाएँ",
        ))
        .category("taxes")
        .keywords(Language::En, ["pay property tax", "house tax payment", "pay tax upi", "online tax"])
        .keywords(Language::Te, ["ఆస్తి పన్ను చెల్లింపు", "ఇంటి పన్ను కట్టాలి", "పన్ను చెల్లించు"])
        .keywords(Language::Hi, ["संपत्ति कर भुगतान", "हाउस टैक्स जमा", "टैक्स भरना"])
        .delivery(Delivery::Payment)
}

fn trade_licence() -> Service {
    Service::new("trade-licence", text("Trade licence", "ట్రేడ్ లైసెన్సు", "व्यापार लाइसेंस"))
        .field(Field::choice(
            "kind",
            text("New licence or renewal?", "కొత్త లైసెన్సా, పునరుద్ధరణా?", "नया लाइसेंस या नवीनीकरण?"),
            [
                ("new", text("New licence", "కొత్త లైసెన్సు", "नया लाइसेंस")),
                ("renewal", text("Renewal", "పునరుద్ధరణ", "नवीनीकरण")),
            ],
        ))
        .field(
            Field::text("licence-number", text("Present licence number", "ప్రస్తుత లైసెన్సు నంబర్", "वर्तमान लाइसेंस संख्या"))
                .length(8, 24)
                .optional()
                .hint(text(
                    "For renewal, e.g. TL-VJA-2024-00123",
                    "పునరుద్ధరణకు, ఉదా. TL-VJA-2024-00123",
                    "नवीनीकरण हेतु, जैसे TL-VJA-2024-00123",
                )),
        )
        .field(Field::choice(
            "ulb",
            text("Municipal corporation", "నగరపాలక సంస్థ", "नगर निगम"),
            ULBS.iter().map(|u| (u.id, text(u.town, u.town_te, u.town_hi))),
        ))
        .field(
            Field::text("trade-name", text("Name of the trade or shop", "వ్యాపారం / దుకాణం పేరు", "व्यापार या दुकान का नाम"))
                .length(3, 80),
        )
        .field(Field::text("owner", text("Owner's full name", "యజమాని పూర్తి పేరు", "मालिक का पूरा नाम")).length(3, 60))
        .field(Field::choice(
            "category",
            text("Kind of trade", "వ్యాపార రకం", "व्यापार का प्रकार"),
            TRADES.iter().map(|&(id, en, te, hi, _)| (id, text(en, te, hi))),
        ))
        .field(Field::text("premises", text("Premises address", "దుకాణం చిరునామా", "परिसर का पता")).length(5, 150))
        .field(Field::integer(
            "area",
            text("Floor area of the premises (sq ft)", "దుకాణం విస్తీర్ణం (చ.అడుగులు)", "परिसर का क्षेत्रफल (वर्ग फुट)"),
            Some(10.0),
            Some(100_000.0),
        ))
        .field(
            Field::text(
                "fssai",
                text(
                    "FSSAI licence or registration number",
                    "ఎఫ్ఎస్ఎస్ఏఐ లైసెన్సు / నమోదు సంఖ్య",
                    "एफएसएसएआई लाइसेंस / पंजीकरण संख्या",
                ),
            )
            .length(14, 20)
            .optional()
            .hint(text(
                "14 digits; needed for food businesses",
                "14 అంకెలు; ఆహార వ్యాపారాలకు అవసరం",
                "14 अंक; खाद्य व्यवसाय के लिए आवश्यक",
            )),
        )
        .field(
            Field::text(
                "drug-licence",
                text("Drug licence number (Form 20/21)", "డ్రగ్ లైసెన్సు నంబర్ (ఫారం 20/21)", "ड्रग लाइसेंस संख्या (फॉर्म 20/21)"),
            )
            .length(4, 40)
            .optional()
            .hint(text("Needed for medical shops", "మందుల దుకాణాలకు అవసరం", "दवा की दुकान के लिए आवश्यक")),
        )
        .field(
            Field::document(
                "fire-noc",
                text("Fire NOC (photo or PDF)", "ఫైర్ ఎన్ఓసీ (ఫోటో / PDF)", "फायर एनओसी (फोटो या PDF)"),
            )
            .optional()
            .hint(text(
                "Needed for LPG, timber and crackers",
                "గ్యాస్, కలప, టపాసులకు అవసరం",
                "गैस, लकड़ी, पटाखों के लिए आवश्यक",
            )),
        )
        .description(text(
            "New D&O trade licence or yearly renewal; licences end on 31 March",
            "కొత్త ట్రేడ్ లైసెన్సు లేదా వార్షిక పునరుద్ధరణ; మార్చి 31తో ముగుస్తాయి",
            "नया व्यापार लाइसेंस या वार्षिक नवीनीकरण; 31 मार्च को समाप्त",
        ))
        .category("business")
        .keywords(Language::En, ["trade licence", "trade license", "shop licence", "d&o licence", "business licence"])
        .keywords(Language::Te, ["ట్రేడ్ లైసెన్సు", "వ్యాపార లైసెన్సు", "షాపు లైసెన్సు"])
        .keywords(Language::Hi, ["व्यापार लाइसेंस", "दुकान लाइसेंस", "ट्रेड लाइसेंस"])
        .sla_days(7)
}

fn water_tap() -> Service {
    Service::new("water-tap", text("Water tap connection", "కుళాయి కనెక్షన్", "नल कनेक्शन"))
        .field(assessment())
        .field(Field::choice(
            "use",
            text("Connection for", "కనెక్షన్ దేనికి", "कनेक्शन किसके लिए"),
            [
                ("domestic", text("Home (domestic)", "ఇల్లు (గృహ)", "घर (घरेलू)")),
                ("non-domestic", text("Shop or business", "దుకాణం / వ్యాపారం", "दुकान या व्यापार")),
            ],
        ))
        .field(Field::choice(
            "pipe",
            text("Pipe size", "పైపు సైజు", "पाइप का आकार"),
            [
                ("15mm", text("15 mm (½ inch)", "15 మి.మీ. (½ అంగుళం)", "15 मिमी (½ इंच)")),
                ("20mm", text("20 mm (¾ inch)", "20 మి.మీ. (¾ అంగుళం)", "20 मिमी (¾ इंच)")),
                ("25mm", text("25 mm (1 inch)", "25 మి.మీ. (1 అంగుళం)", "25 मिमी (1 इंच)")),
            ],
        ))
        .field(Field::phone(
            "phone",
            text("Mobile number for the plumber's visit", "ప్లంబర్ రాకకు మొబైల్ నంబర్", "प्लंबर के लिए मोबाइल नंबर"),
        ))
        .description(text(
            "New drinking water tap for a property with its tax paid up",
            "పన్ను చెల్లించిన ఆస్తికి కొత్త తాగునీటి కుళాయి",
            "कर चुकाई गई संपत्ति के लिए नया पेयजल नल",
        ))
        .category("water")
        .keywords(Language::En, ["water connection", "tap connection", "new tap", "nalla connection", "drinking water"])
        .keywords(Language::Te, ["కుళాయి కనెక్షన్", "నీటి కనెక్షన్", "నల్లా కనెక్షన్", "మంచినీటి కుళాయి"])
        .keywords(Language::Hi, ["नल कनेक्शन", "पानी कनेक्शन", "जल कनेक्शन"])
        .sla_days(15)
}

fn building_permission() -> Service {
    Service::new("building-permission", text("Building permission", "భవన నిర్మాణ అనుమతి", "भवन निर्माण अनुमति"))
        .field(
            Field::text("number", text("DPMS application number", "డీపీఎంఎస్ దరఖాస్తు సంఖ్య", "डीपीएमएस आवेदन संख्या"))
                .length(8, 24)
                .hint(text("e.g. BP-VJA-2025-01234", "ఉదా. BP-VJA-2025-01234", "जैसे BP-VJA-2025-01234")),
        )
        .description(text(
            "Status of your building plan application (DPMS)",
            "మీ భవన ప్లాన్ దరఖాస్తు (డీపీఎంఎస్) స్థితి",
            "आपके भवन नक्शा आवेदन (डीपीएमएस) की स्थिति",
        ))
        .category("building")
        .keywords(
            Language::En,
            ["building permission", "building plan", "plan approval", "dpms", "construction permit"],
        )
        .keywords(Language::Te, ["భవన అనుమతి", "బిల్డింగ్ ప్లాన్", "ఇంటి ప్లాన్ అనుమతి"])
        .keywords(Language::Hi, ["भवन अनुमति", "नक्शा पास", "बिल्डिंग परमिशन"])
        .delivery(Delivery::Information)
}

fn sanitation() -> Service {
    Service::new("sanitation", text("Sanitation complaint", "పారిశుధ్య ఫిర్యాదు", "सफाई शिकायत"))
        .field(Field::choice(
            "category",
            text("What is the problem?", "సమస్య ఏమిటి?", "समस्या क्या है?"),
            COMPLAINTS.iter().map(|&(id, en, te, hi)| (id, text(en, te, hi))),
        ))
        .field(Field::location("location", text("Share the location", "లొకేషన్ పంపండి", "लोकेशन भेजें")).hint(text(
            "Tap 📎 › Location › Send your current location",
            "📎 › లొకేషన్ › ప్రస్తుత లొకేషన్ పంపండి",
            "📎 › लोकेशन › अपनी वर्तमान लोकेशन भेजें",
        )))
        .field(Field::photo("photo", text("A photo of the spot", "ఆ ప్రదేశం ఫోటో", "जगह की फोटो")).optional())
        .field(
            Field::text("landmark", text("Nearby landmark", "దగ్గరలోని గుర్తు", "पास का लैंडमार्क")).length(2, 100).optional(),
        )
        .description(text(
            "Garbage, drains, dead animals, dumping, toilets or mosquitoes",
            "చెత్త, కాలువలు, చనిపోయిన జంతువులు, టాయిలెట్లు, దోమలు",
            "कचरा, नाली, मृत पशु, शौचालय या मच्छर",
        ))
        .category("complaints")
        .keywords(Language::En, ["garbage", "drainage", "sanitation", "dustbin", "mosquito", "chetta", "complaint"])
        .keywords(Language::Te, ["చెత్త", "కాలువ", "పారిశుధ్యం", "దోమలు", "ఫిర్యాదు"])
        .keywords(Language::Hi, ["कचरा", "नाली", "सफाई", "मच्छर", "शिकायत"])
        .sla_days(1)
}

/// The department and every service it offers.
pub(crate) fn department() -> DepartmentInfo {
    [
        birth_certificate(),
        death_certificate(),
        property_tax(),
        pay_property_tax(),
        trade_licence(),
        water_tap(),
        building_permission(),
        sanitation(),
    ]
    .into_iter()
    .fold(
        DepartmentInfo::new("municipal", text("Municipal services", "పురపాలక సేవలు", "नगर पालिका सेवाएँ")),
        DepartmentInfo::service,
    )
}
