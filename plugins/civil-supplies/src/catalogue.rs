//! The department and its services as citizens see them in the chat.

use mitra_sdk::prelude::*;

fn card_number() -> Field {
    Field::text("card-number", Text::new("Rice card number").te("బియ్యం కార్డు సంఖ్య").hi("राशन कार्ड नंबर"))
        .length(10, 14)
        .hint(
            Text::new("10 digits printed on the card, e.g. 1001104312")
                .te("కార్డుపై ఉన్న 10 అంకెలు, ఉదా. 1001104312")
                .hi("कार्ड पर छपे 10 अंक, जैसे 1001104312"),
        )
}

fn aadhaar(id: &str, en: &str, te: &str, hi: &str) -> Field {
    Field::aadhaar(id, Text::new(en).te(te).hi(hi))
}

fn card_status() -> Service {
    Service::new("card-status", Text::new("Rice card status").te("బియ్యం కార్డు స్థితి").hi("राशन कार्ड स्थिति"))
        .description(
            Text::new("Card holder, members, category and ration shop of your rice card")
                .te("మీ బియ్యం కార్డు యజమాని, సభ్యులు, వర్గం, రేషన్ షాపు")
                .hi("कार्डधारक, सदस्य, श्रेणी और राशन दुकान की जानकारी"),
        )
        .category("food")
        .keywords(Language::En, ["ration card", "rice card", "card status", "white card", "bpl card", "biyyam card"])
        .keywords(Language::Te, ["రేషన్ కార్డు", "బియ్యం కార్డు", "కార్డు స్థితి", "తెల్ల కార్డు"])
        .keywords(Language::Hi, ["राशन कार्ड", "कार्ड स्थिति", "बीपीएल कार्ड"])
        .field(card_number())
        .delivery(Delivery::Information)
}

fn new_card() -> Service {
    Service::new("new-card", Text::new("New rice card").te("కొత్త బియ్యం కార్డు").hi("नया राशन कार्ड"))
        .description(
            Text::new("Apply for a rice card for a family that has none")
                .te("కార్డు లేని కుటుంబానికి బియ్యం కార్డు దరఖాస్తు")
                .hi("जिस परिवार के पास कार्ड नहीं, उसके लिए आवेदन"),
        )
        .category("food")
        .keywords(Language::En, ["new ration card", "apply ration card", "rice card apply", "bpl card", "new card"])
        .keywords(Language::Te, ["కొత్త రేషన్ కార్డు", "బియ్యం కార్డు దరఖాస్తు", "కొత్త కార్డు"])
        .keywords(Language::Hi, ["नया राशन कार्ड", "राशन कार्ड आवेदन", "राशन कार्ड बनवाना"])
        .field(
            Field::text(
                "head-name",
                Text::new("Name of the head of family").te("కుటుంబ పెద్ద పేరు").hi("परिवार के मुखिया का नाम"),
            )
            .length(3, 80),
        )
        .field(aadhaar("aadhaar", "Aadhaar of the head of family", "కుటుంబ పెద్ద ఆధార్ సంఖ్య", "मुखिया का आधार नंबर"))
        .field(Field::phone("phone", Text::new("Mobile number").te("మొబైల్ నంబర్").hi("मोबाइल नंबर")))
        .field(Field::pincode(
            "pincode",
            Text::new("PIN code of your address").te("మీ చిరునామా పిన్ కోడ్").hi("आपके पते का पिन कोड"),
        ))
        .field(Field::choice(
            "area",
            Text::new("Where do you live?").te("మీరు ఎక్కడ ఉంటారు?").hi("आप कहाँ रहते हैं?"),
            [("rural", Text::new("Village").te("గ్రామం").hi("गाँव")), ("urban", Text::new("Town").te("పట్టణం").hi("शहर"))],
        ))
        .field(Field::integer(
            "members",
            Text::new("Members in the family").te("కుటుంబ సభ్యుల సంఖ్య").hi("परिवार के सदस्य"),
            Some(1.0),
            Some(20.0),
        ))
        .field(
            Field::integer(
                "income",
                Text::new("Family income per month (₹)").te("కుటుంబ నెల ఆదాయం (₹)").hi("परिवार की मासिक आय (₹)"),
                Some(0.0),
                Some(10_000_000.0),
            )
            .hint(Text::new("All members together").te("సభ్యులందరిదీ కలిపి").hi("सभी सदस्यों की मिलाकर")),
        )
        .field(
            Field::number(
                "wet-land",
                Text::new("Wet land owned (acres)").te("మాగాణి భూమి (ఎకరాలు)").hi("सिंचित भूमि (एकड़)"),
                Some(0.0),
                Some(1_000.0),
            )
            .hint(Text::new("0 if none").te("లేకపోతే 0").hi("न हो तो 0")),
        )
        .field(
            Field::number(
                "dry-land",
                Text::new("Dry land owned (acres)").te("మెట్ట భూమి (ఎకరాలు)").hi("असिंचित भूमि (एकड़)"),
                Some(0.0),
                Some(1_000.0),
            )
            .hint(Text::new("0 if none").te("లేకపోతే 0").hi("न हो तो 0")),
        )
        .field(Field::choice(
            "vehicle",
            Text::new("Does the family own a four-wheeler?")
                .te("కుటుంబానికి నాలుగు చక్రాల వాహనం ఉందా?")
                .hi("क्या परिवार के पास चार पहिया वाहन है?"),
            [
                ("none", Text::new("No").te("లేదు").hi("नहीं")),
                ("commercial", Text::new("Taxi/tractor only").te("టాక్సీ/ట్రాక్టర్").hi("केवल टैक्सी/ट्रैक्टर")),
                ("car", Text::new("Own car").te("సొంత కారు ఉంది").hi("अपनी कार है")),
            ],
        ))
        .field(
            Field::integer(
                "electricity",
                Text::new("Electricity used per month (units)")
                    .te("నెలకు విద్యుత్ వినియోగం (యూనిట్లు)")
                    .hi("मासिक बिजली खपत (यूनिट)"),
                Some(0.0),
                Some(100_000.0),
            )
            .hint(
                Text::new("Average of your last 12 current bills")
                    .te("గత 12 కరెంటు బిల్లుల సగటు")
                    .hi("पिछले 12 बिजली बिलों का औसत"),
            ),
        )
        .field(
            Field::choice(
                "govt-or-taxpayer",
                Text::new("Is any member a government employee, pensioner or income-tax payer?")
                    .te("కుటుంబంలో ఎవరైనా ప్రభుత్వ ఉద్యోగి, పింఛనుదారు లేదా ఆదాయపు పన్ను చెల్లింపుదారా?")
                    .hi("क्या कोई सदस्य सरकारी कर्मचारी, पेंशनभोगी या आयकर दाता है?"),
                [("no", Text::new("No").te("లేదు").hi("नहीं")), ("yes", Text::new("Yes").te("అవును").hi("हाँ"))],
            )
            .hint(
                Text::new("Sanitation workers answer No").te("పారిశుద్ధ్య కార్మికులు 'లేదు' అనండి").hi("सफ़ाई कर्मचारी 'नहीं' चुनें"),
            ),
        )
        .field(
            Field::integer(
                "urban-property",
                Text::new("Built-up area you own in a town (sq ft)")
                    .te("పట్టణంలో మీ నిర్మిత ఆస్తి (చ. అడుగులు)")
                    .hi("शहर में आपकी निर्मित संपत्ति (वर्ग फुट)"),
                Some(0.0),
                Some(1_000_000.0),
            )
            .hint(Text::new("0 if none").te("లేకపోతే 0").hi("न हो तो 0")),
        )
        .sla_days(21)
}

fn add_member() -> Service {
    Service::new("add-member", Text::new("Add family member").te("కుటుంబ సభ్యుని చేర్పు").hi("सदस्य जोड़ें"))
        .description(
            Text::new("Add a newborn, a spouse or another member to your rice card")
                .te("నవజాత శిశువు, జీవిత భాగస్వామి లేదా ఇతరులను కార్డులో చేర్చండి")
                .hi("नवजात, पति/पत्नी या अन्य सदस्य को राशन कार्ड में जोड़ें"),
        )
        .category("food")
        .keywords(Language::En, ["add member", "add name ration card", "new born", "wife name add", "member addition"])
        .keywords(Language::Te, ["సభ్యుని చేర్పు", "పేరు చేర్చడం", "కార్డులో పేరు"])
        .keywords(Language::Hi, ["सदस्य जोड़ना", "राशन कार्ड में नाम जोड़ना"])
        .field(card_number())
        .field(
            Field::text("member-name", Text::new("New member's name").te("కొత్త సభ్యుని పేరు").hi("नए सदस्य का नाम"))
                .length(2, 80),
        )
        .field(aadhaar("member-aadhaar", "New member's Aadhaar", "కొత్త సభ్యుని ఆధార్", "नए सदस्य का आधार"))
        .field(Field::choice(
            "relation",
            Text::new("Relation to the head of family").te("కుటుంబ పెద్దతో సంబంధం").hi("मुखिया से संबंध"),
            [
                ("wife", Text::new("Wife").te("భార్య").hi("पत्नी")),
                ("husband", Text::new("Husband").te("భర్త").hi("पति")),
                ("son", Text::new("Son").te("కుమారుడు").hi("पुत्र")),
                ("daughter", Text::new("Daughter").te("కుమార్తె").hi("पुत्री")),
                ("daughter-in-law", Text::new("Daughter-in-law").te("కోడలు").hi("बहू")),
                ("son-in-law", Text::new("Son-in-law").te("అల్లుడు").hi("दामाद")),
                ("father", Text::new("Father").te("తండ్రి").hi("पिता")),
                ("mother", Text::new("Mother").te("తల్లి").hi("माता")),
                ("grandchild", Text::new("Grandchild").te("మనవడు/మనవరాలు").hi("पोता/पोती")),
            ],
        ))
        .field(Field::date(
            "dob",
            Text::new("New member's date of birth").te("కొత్త సభ్యుని పుట్టిన తేదీ").hi("नए सदस्य की जन्म तिथि"),
            DateRule::TodayOrEarlier,
        ))
        .field(Field::choice(
            "reason",
            Text::new("Why is the member joining?").te("సభ్యులు ఎందుకు చేరుతున్నారు?").hi("सदस्य क्यों जुड़ रहे हैं?"),
            [
                ("birth", Text::new("Newborn child").te("నవజాత శిశువు").hi("नवजात शिशु")),
                ("marriage", Text::new("Marriage").te("వివాహం").hi("विवाह")),
                ("other", Text::new("Other").te("ఇతర").hi("अन्य")),
            ],
        ))
        .field(
            Field::document(
                "proof",
                Text::new("Birth or marriage certificate").te("జనన లేదా వివాహ ధృవీకరణ పత్రం").hi("जन्म या विवाह प्रमाण पत्र"),
            )
            .hint(
                Text::new("A photo or PDF of the certificate")
                    .te("ధృవీకరణ పత్రం ఫోటో లేదా PDF")
                    .hi("प्रमाण पत्र की फ़ोटो या PDF"),
            ),
        )
        .sla_days(21)
}

fn remove_member() -> Service {
    Service::new("remove-member", Text::new("Remove family member").te("కుటుంబ సభ్యుని తొలగింపు").hi("सदस्य हटाएँ"))
        .description(
            Text::new("Remove a member who died, married away or moved out")
                .te("మరణించిన, వివాహమై వెళ్లిన లేదా వేరుగా ఉంటున్న సభ్యుని తొలగింపు")
                .hi("मृत, विवाह के बाद गए या अलग रहने वाले सदस्य को हटाएँ"),
        )
        .category("food")
        .keywords(Language::En, ["remove member", "delete name ration card", "member deletion", "death name remove"])
        .keywords(Language::Te, ["సభ్యుని తొలగింపు", "పేరు తొలగించడం"])
        .keywords(Language::Hi, ["सदस्य हटाना", "राशन कार्ड से नाम हटाना"])
        .field(card_number())
        .field(aadhaar(
            "member-aadhaar",
            "Aadhaar of the member to remove",
            "తొలగించాల్సిన సభ్యుని ఆధార్",
            "हटाए जाने वाले सदस्य का आधार",
        ))
        .field(Field::choice(
            "reason",
            Text::new("Why remove the member?").te("సభ్యుని ఎందుకు తొలగించాలి?").hi("सदस्य को क्यों हटाना है?"),
            [
                ("death", Text::new("Death").te("మరణం").hi("मृत्यु")),
                ("marriage", Text::new("Married away").te("వివాహమై వెళ్లారు").hi("विवाह होकर चले गए")),
                ("migration", Text::new("Moved out for good").te("శాశ్వతంగా వెళ్లిపోయారు").hi("स्थायी रूप से चले गए")),
                ("duplicate", Text::new("Duplicate entry").te("రెండుసార్లు నమోదు").hi("दोहरी प्रविष्टि")),
            ],
        ))
        .field(
            Field::document(
                "proof",
                Text::new("Death certificate or other proof")
                    .te("మరణ ధృవీకరణ పత్రం లేదా ఇతర రుజువు")
                    .hi("मृत्यु प्रमाण पत्र या अन्य प्रमाण"),
            )
            .optional(),
        )
        .sla_days(15)
}

fn entitlement() -> Service {
    Service::new("entitlement", Text::new("Monthly ration quota").te("నెలవారీ రేషన్ కోటా").hi("मासिक राशन कोटा"))
        .description(
            Text::new("Rice, sugar and dal due on your card this month")
                .te("ఈ నెల మీ కార్డుపై వచ్చే బియ్యం, చక్కెర, కందిపప్పు")
                .hi("इस महीने आपके कार्ड पर चावल, चीनी और दाल"),
        )
        .category("food")
        .keywords(
            Language::En,
            ["ration quota", "how much rice", "entitlement", "rice kg", "sugar", "dal", "kandi pappu"],
        )
        .keywords(Language::Te, ["రేషన్ కోటా", "బియ్యం ఎంత", "చక్కెర", "కందిపప్పు", "రేషన్ సరుకులు"])
        .keywords(Language::Hi, ["राशन कोटा", "कितना चावल", "चीनी", "दाल"])
        .field(card_number())
        .delivery(Delivery::Information)
}

fn nearest_shop() -> Service {
    Service::new("nearest-shop", Text::new("Nearest ration shop").te("దగ్గరి రేషన్ షాపు").hi("नज़दीकी राशन दुकान"))
        .description(
            Text::new("Fair price shops near a PIN code or your location")
                .te("పిన్ కోడ్ లేదా మీ లొకేషన్ దగ్గర చౌక ధరల దుకాణాలు")
                .hi("पिन कोड या आपके स्थान के पास उचित मूल्य दुकानें"),
        )
        .category("food")
        .keywords(Language::En, ["ration shop", "fair price shop", "fps", "ration dukan", "nearest shop", "dealer"])
        .keywords(Language::Te, ["రేషన్ షాపు", "చౌక ధరల దుకాణం", "రేషన్ డీలర్"])
        .keywords(Language::Hi, ["राशन दुकान", "उचित मूल्य दुकान", "कोटेदार"])
        .field(
            Field::pincode("pincode", Text::new("PIN code").te("పిన్ కోడ్").hi("पिन कोड")).optional().hint(
                Text::new("Or skip and share your location").te("లేదా దాటవేసి లొకేషన్ పంపండి").hi("या छोड़कर अपना स्थान भेजें"),
            ),
        )
        .field(Field::location("location", Text::new("Your location").te("మీ లొకేషన్").hi("आपका स्थान")).optional())
        .delivery(Delivery::Information)
}

fn surrender() -> Service {
    Service::new("surrender", Text::new("Surrender rice card").te("బియ్యం కార్డు సరెండర్").hi("राशन कार्ड सरेंडर"))
        .description(
            Text::new("Give up your rice card when no longer needed or leaving AP")
                .te("అవసరం లేనప్పుడు లేదా రాష్ట్రం వదిలేటప్పుడు కార్డు సరెండర్")
                .hi("ज़रूरत न होने या आंध्र प्रदेश छोड़ने पर कार्ड लौटाएँ"),
        )
        .category("food")
        .keywords(Language::En, ["surrender card", "cancel ration card", "give up card", "return card"])
        .keywords(Language::Te, ["కార్డు సరెండర్", "కార్డు రద్దు", "కార్డు వాపస్"])
        .keywords(Language::Hi, ["कार्ड सरेंडर", "राशन कार्ड रद्द"])
        .field(card_number())
        .field(aadhaar("aadhaar", "Aadhaar of the head of family", "కుటుంబ పెద్ద ఆధార్ సంఖ్య", "मुखिया का आधार नंबर"))
        .field(Field::choice(
            "reason",
            Text::new("Why surrender the card?").te("కార్డు ఎందుకు సరెండర్ చేస్తున్నారు?").hi("कार्ड क्यों लौटा रहे हैं?"),
            [
                ("not-needed", Text::new("No longer needed").te("ఇక అవసరం లేదు").hi("अब ज़रूरत नहीं")),
                ("leaving-state", Text::new("Moving out of AP").te("రాష్ట్రం మారుతున్నాం").hi("राज्य छोड़ रहे हैं")),
                ("joining-card", Text::new("Joining another card").te("వేరే కార్డులో చేరిక").hi("दूसरे कार्ड में")),
            ],
        ))
        .sla_days(7)
}

fn shop_grievance() -> Service {
    Service::new("shop-grievance", Text::new("Ration shop complaint").te("రేషన్ షాపుపై ఫిర్యాదు").hi("राशन दुकान की शिकायत"))
        .description(
            Text::new("Complain about less ration, overcharging or a closed shop")
                .te("తక్కువ రేషన్, అధిక ధర లేదా మూసిన దుకాణంపై ఫిర్యాదు")
                .hi("कम राशन, ज़्यादा दाम या बंद दुकान की शिकायत"),
        )
        .category("grievance")
        .keywords(
            Language::En,
            ["ration shop complaint", "dealer complaint", "less rice", "overcharging", "shop closed"],
        )
        .keywords(Language::Te, ["రేషన్ షాపు ఫిర్యాదు", "డీలర్ ఫిర్యాదు", "తక్కువ బియ్యం"])
        .keywords(Language::Hi, ["राशन दुकान शिकायत", "कोटेदार की शिकायत", "कम राशन"])
        .field(
            Field::text(
                "shop-number",
                Text::new("Fair price shop number").te("చౌక ధరల దుకాణం సంఖ్య").hi("उचित मूल्य दुकान नंबर"),
            )
            .length(7, 10)
            .hint(
                Text::new("7 digits, on the shop's board and in Rice card status")
                    .te("7 అంకెలు, దుకాణం బోర్డుపై మరియు కార్డు స్థితిలో ఉంటుంది")
                    .hi("7 अंक, दुकान के बोर्ड पर और कार्ड स्थिति में"),
            ),
        )
        .field(Field::choice(
            "issue",
            Text::new("What went wrong?").te("సమస్య ఏమిటి?").hi("क्या समस्या है?"),
            [
                ("less-quantity", Text::new("Less quantity given").te("తక్కువ తూకం ఇచ్చారు").hi("कम मात्रा दी")),
                ("overcharging", Text::new("Charged extra").te("అధిక ధర వసూలు").hi("ज़्यादा पैसे लिए")),
                ("closed", Text::new("Shop kept closed").te("దుకాణం మూసి ఉంచారు").hi("दुकान बंद रखी")),
                ("quality", Text::new("Poor quality rice").te("నాణ్యత లేని బియ్యం").hi("खराब गुणवत्ता का चावल")),
                ("denied", Text::new("Ration refused").te("రేషన్ ఇవ్వలేదు").hi("राशन देने से मना")),
                ("no-receipt", Text::new("No receipt given").te("రసీదు ఇవ్వలేదు").hi("रसीद नहीं दी")),
                ("biometric", Text::new("Biometric not working").te("బయోమెట్రిక్ పనిచేయలేదు").hi("बायोमेट्रिक नहीं चला")),
                ("other", Text::new("Other").te("ఇతర").hi("अन्य")),
            ],
        ))
        .field(
            Field::text("details", Text::new("What happened, and when?").te("ఏం జరిగింది, ఎప్పుడు?").hi("क्या हुआ और कब?"))
                .length(10, 500),
        )
        .field(
            Field::photo("photo", Text::new("A photo, if you have one").te("ఫోటో ఉంటే పంపండి").hi("फ़ोटो हो तो भेजें"))
                .optional(),
        )
        .sla_days(7)
}

fn card_print() -> Service {
    Service::new("card-print", Text::new("Rice card print").te("బియ్యం కార్డు ప్రింట్").hi("राशन कार्ड प्रिंट"))
        .description(
            Text::new("A signed print of your rice card with every member")
                .te("సభ్యులందరితో మీ బియ్యం కార్డు సంతకపు ప్రతి")
                .hi("सभी सदस्यों के साथ आपके राशन कार्ड की हस्ताक्षरित प्रति"),
        )
        .category("food")
        .keywords(
            Language::En,
            ["ration card print", "rice card copy", "download ration card", "card pdf", "duplicate card"],
        )
        .keywords(Language::Te, ["కార్డు ప్రింట్", "బియ్యం కార్డు కాపీ", "కార్డు డౌన్‌లోడ్"])
        .keywords(Language::Hi, ["राशन कार्ड प्रिंट", "राशन कार्ड डाउनलोड", "कार्ड की कॉपी"])
        .field(card_number())
        .field(aadhaar(
            "aadhaar",
            "Your Aadhaar (a member of the card)",
            "మీ ఆధార్ (కార్డులోని సభ్యులు)",
            "आपका आधार (कार्ड का सदस्य)",
        ))
        .delivery(Delivery::InstantDocument)
}

pub fn department() -> DepartmentInfo {
    DepartmentInfo::new("civil-supplies", Text::new("Civil Supplies").te("పౌర సరఫరాలు").hi("नागरिक आपूर्ति"))
        .service(card_status())
        .service(entitlement())
        .service(nearest_shop())
        .service(card_print())
        .service(new_card())
        .service(add_member())
        .service(remove_member())
        .service(surrender())
        .service(shop_grievance())
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
        assert!(info.services.len() >= 7);
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
