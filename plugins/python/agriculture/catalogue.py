"""The Agriculture department and its services as citizens see them: titles,
descriptions, search words and forms, in English, Telugu and Hindi."""

from model import Department, Service, T, aadhaar, choice, date, number, photo, text
from rules import CAUSES, CROPS, IMPLEMENTS, SEASONS


def crops(*ids: str):
    return [(c, CROPS[c]) for c in ids]


SEASON = choice(
    "season",
    T("Which season?", "ఏ సీజన్?", "कौन सा मौसम?"),
    [(s, name) for s, name in SEASONS.items()],
    hint=T("Kharif: June–October; Rabi: November–March", "ఖరీఫ్: జూన్–అక్టోబర్; రబీ: నవంబర్–మార్చి", "खरीफ: जून–अक्टूबर; रबी: नवंबर–मार्च"),
)

LAND = number(
    "land-acres",
    T("Total land you cultivate (acres)", "మీరు సాగు చేసే మొత్తం భూమి (ఎకరాలు)", "आपकी कुल खेती की भूमि (एकड़)"),
    0.01,
    100,
    hint=T("Owned and tenanted (CCRC) land together, e.g. 2.5", "సొంత, కౌలు (CCRC) భూమి కలిపి, ఉదా. 2.5", "अपनी और पट्टे की भूमि मिलाकर, जैसे 2.5"),
)

VILLAGE = text(
    "village",
    T("Village", "గ్రామం", "गाँव"),
    2,
    40,
    hint=T("As in your land records (1-B), e.g. Gollapudi", "భూ రికార్డుల (1-బి) ప్రకారం, ఉదా. గొల్లపూడి", "भूमि रिकॉर्ड (1-B) के अनुसार, जैसे Gollapudi"),
)

SURVEY = text(
    "survey",
    T("Survey number", "సర్వే నంబరు", "सर्वे नंबर"),
    1,
    12,
    hint=T("From your pattadar passbook, e.g. 123/2A", "పట్టాదారు పాసు పుస్తకం నుండి, ఉదా. 123/2A", "पट्टादार पासबुक से, जैसे 123/2A"),
)

DEPARTMENT = Department(
    "agriculture",
    T("Agriculture", "వ్యవసాయ శాఖ", "कृषि विभाग"),
    [
        Service(
            "rythu-bharosa",
            T("Rythu Bharosa status", "రైతు భరోసా స్థితి", "रायथु भरोसा स्थिति"),
            T(
                "Rythu Bharosa and PM-KISAN instalments paid to your bank",
                "మీ ఖాతాకు రైతు భరోసా, పీఎం-కిసాన్ విడతల జమ వివరాలు",
                "आपके खाते में रायथु भरोसा और पीएम-किसान की किस्तें",
            ),
            (
                ["rythu bharosa", "pm kisan", "kisan samman nidhi", "farmer money", "instalment status", "annadata sukhibhava"],
                ["రైతు భరోసా", "పీఎం కిసాన్", "రైతు డబ్బులు", "విడత", "అన్నదాత సుఖీభవ"],
                ["पीएम किसान", "किसान सम्मान निधि", "किसान पैसा", "किस्त"],
            ),
            [aadhaar()],
            "information",
        ),
        Service(
            "crop-insurance",
            T("Crop insurance claim", "పంట బీమా క్లెయిమ్", "फसल बीमा दावा"),
            T(
                "Claim for crop loss from flood, drought, cyclone or pests",
                "వరద, కరువు, తుఫాను, తెగుళ్ల వల్ల పంట నష్టానికి బీమా క్లెయిమ్",
                "बाढ़, सूखा, चक्रवात या कीट से फसल हानि का दावा",
            ),
            (
                ["crop insurance", "pmfby", "fasal bima", "crop loss", "crop damage", "insurance claim"],
                ["పంట బీమా", "పంట నష్టం", "బీమా క్లెయిమ్", "ఫసల్ బీమా"],
                ["फसल बीमा", "फसल नुकसान", "बीमा दावा"],
            ),
            [
                aadhaar(),
                SEASON,
                choice(
                    "crop",
                    T("Which crop was damaged?", "ఏ పంట దెబ్బతింది?", "कौन सी फसल खराब हुई?"),
                    crops("paddy", "cotton", "groundnut", "chilli", "maize", "redgram", "bengalgram", "blackgram", "banana", "other"),
                ),
                choice(
                    "cause",
                    T("What caused the loss?", "నష్టానికి కారణం?", "हानि का कारण?"),
                    list(CAUSES.items()),
                ),
                date("loss-date", T("Date of the loss", "నష్టం జరిగిన తేదీ", "हानि की तारीख"), "today-or-earlier"),
                number(
                    "loss-percent",
                    T("Share of the crop lost (%)", "నష్టపోయిన పంట శాతం (%)", "फसल हानि (%)"),
                    0,
                    100,
                    integer=True,
                    hint=T("Your estimate; the agriculture assistant verifies it", "మీ అంచనా; వ్యవసాయ సహాయకుడు ధృవీకరిస్తారు", "आपका अनुमान; कृषि सहायक जाँच करेंगे"),
                ),
                photo("damage-photo", T("Photo of the damaged field", "దెబ్బతిన్న పొలం ఫోటో", "खराब खेत की फोटो")),
            ],
            "application",
            sla_days=30,
        ),
        Service(
            "soil-health-card",
            T("Soil health card", "భూసార పరీక్ష కార్డు", "मृदा स्वास्थ्य कार्ड"),
            T(
                "Your field's soil test results and fertiliser advice",
                "మీ పొలం భూసార పరీక్ష ఫలితాలు, ఎరువుల సిఫారసు",
                "आपके खेत की मिट्टी जाँच और खाद की सलाह",
            ),
            (
                ["soil health card", "soil test", "soil testing", "fertiliser advice", "mitti"],
                ["భూసార పరీక్ష", "మట్టి పరీక్ష", "సాయిల్ హెల్త్ కార్డు", "ఎరువుల సిఫారసు"],
                ["मृदा स्वास्थ्य कार्ड", "मिट्टी जाँच", "खाद सलाह"],
            ),
            [VILLAGE, SURVEY],
            "information",
        ),
        Service(
            "seed-subsidy",
            T("Subsidised seed", "రాయితీ విత్తనాలు", "सब्सिडी बीज"),
            T(
                "Certified seed at 90% subsidy up to 5 acres, 50% above",
                "5 ఎకరాల వరకు 90%, పైన 50% రాయితీపై ధృవీకృత విత్తనాలు",
                "5 एकड़ तक 90%, उससे ऊपर 50% सब्सिडी पर प्रमाणित बीज",
            ),
            (
                ["seed subsidy", "subsidy seeds", "groundnut seed", "paddy seed", "seeds"],
                ["రాయితీ విత్తనాలు", "విత్తనాలు", "వేరుశనగ విత్తనాలు", "సబ్సిడీ విత్తనాలు"],
                ["सब्सिडी बीज", "बीज", "मूंगफली बीज"],
            ),
            [
                aadhaar(),
                SEASON,
                choice(
                    "crop",
                    T("Seed of which crop?", "ఏ పంట విత్తనాలు?", "किस फसल का बीज?"),
                    crops("paddy", "groundnut", "bengalgram", "redgram", "blackgram", "greengram", "maize", "jowar"),
                ),
                LAND,
                number(
                    "quantity-kg",
                    T("Seed needed (kg)", "కావలసిన విత్తనాలు (కిలోలు)", "आवश्यक बीज (किलो)"),
                    1,
                    5000,
                    integer=True,
                ),
            ],
            "application",
            sla_days=7,
        ),
        Service(
            "ecrop-status",
            T("e-Crop booking status", "ఈ-క్రాప్ నమోదు స్థితి", "ई-क्रॉप बुकिंग स्थिति"),
            T(
                "Crops booked on your land this season and their verification",
                "ఈ సీజన్‌లో మీ భూమిపై నమోదైన పంటలు, ధృవీకరణ",
                "इस मौसम आपकी भूमि पर दर्ज फसलें और सत्यापन",
            ),
            (
                ["e-crop", "ecrop", "crop booking", "e crop status", "crop registration"],
                ["ఈ-క్రాప్", "ఈ క్రాప్", "పంట నమోదు", "ఈ పంట"],
                ["ई-क्रॉप", "फसल पंजीकरण", "फसल बुकिंग"],
            ),
            [aadhaar(), SEASON],
            "information",
        ),
        Service(
            "msp-slot",
            T("MSP procurement slot", "మద్దతు ధర కొనుగోలు", "एमएसपी खरीद स्लॉट"),
            T(
                "Book a slot to sell paddy and other crops at MSP at your RSK",
                "మీ RSKలో మద్దతు ధరకు ధాన్యం అమ్మేందుకు స్లాట్ బుక్ చేయండి",
                "अपने RSK पर एमएसपी पर धान आदि बेचने का स्लॉट बुक करें",
            ),
            (
                ["msp", "paddy procurement", "minimum support price", "sell paddy", "dhanyam kollugolu", "grain purchase"],
                ["మద్దతు ధర", "ధాన్యం కొనుగోలు", "ధాన్యం అమ్మకం", "వడ్లు అమ్మకం"],
                ["एमएसपी", "धान खरीद", "न्यूनतम समर्थन मूल्य", "धान बेचना"],
            ),
            [
                aadhaar(),
                choice(
                    "crop",
                    T("What will you sell?", "ఏమి అమ్ముతారు?", "क्या बेचेंगे?"),
                    crops("paddy-common", "paddy-grade-a", "maize", "jowar", "redgram", "bengalgram"),
                ),
                number(
                    "quintals",
                    T("Quantity (quintals)", "పరిమాణం (క్వింటాళ్లు)", "मात्रा (क्विंटल)"),
                    1,
                    1000,
                    hint=T("1 quintal = 100 kg; a bag of paddy is 40 kg", "1 క్వింటాల్ = 100 కిలోలు; వడ్ల బస్తా 40 కిలోలు", "1 क्विंटल = 100 किलो; धान का बोरा 40 किलो"),
                ),
                number(
                    "moisture",
                    T("Moisture of the produce (%)", "ధాన్యంలో తేమ (%)", "उपज में नमी (%)"),
                    5,
                    40,
                    hint=T("Measured with the RSK moisture meter", "RSK తేమ మీటర్‌తో కొలిచినది", "RSK नमी मीटर से मापी गई"),
                ),
                date("date", T("Date to bring the produce", "ధాన్యం తెచ్చే తేదీ", "उपज लाने की तारीख"), "today-or-later"),
            ],
            "booking",
        ),
        Service(
            "weather-advisory",
            T("Weather advisory", "వాతావరణ సలహా", "मौसम सलाह"),
            T(
                "5-day district forecast with advice for your crops",
                "మీ జిల్లాకు 5 రోజుల వాతావరణ సూచన, పంట సలహాలు",
                "आपके जिले का 5 दिन का पूर्वानुमान और फसल सलाह",
            ),
            (
                ["weather", "rain forecast", "agro advisory", "rain alert", "mausam"],
                ["వాతావరణం", "వర్షం", "వర్ష సూచన", "పంట సలహా"],
                ["मौसम", "बारिश", "मौसम पूर्वानुमान", "कृषि सलाह"],
            ),
            [
                text(
                    "district",
                    T("Your district", "మీ జిల్లా", "आपका जिला"),
                    2,
                    40,
                    hint=T("e.g. Guntur, NTR, Kurnool", "ఉదా. Guntur, NTR, Kurnool", "जैसे Guntur, NTR, Kurnool"),
                )
            ],
            "information",
        ),
        Service(
            "machinery-subsidy",
            T("Farm machinery subsidy", "యంత్ర పరికరాల రాయితీ", "कृषि यंत्र सब्सिडी"),
            T(
                "40–50% subsidy on sprayers, tillers, rotavators and more",
                "స్ప్రేయర్లు, టిల్లర్లు, రోటవేటర్లపై 40–50% రాయితీ",
                "स्प्रेयर, टिलर, रोटावेटर आदि पर 40–50% सब्सिडी",
            ),
            (
                ["farm machinery", "machinery subsidy", "tractor implements", "sprayer subsidy", "power tiller", "smam"],
                ["యంత్ర పరికరాలు", "వ్యవసాయ యంత్రాలు", "స్ప్రేయర్", "రాయితీ పరికరాలు"],
                ["कृषि यंत्र", "यंत्र सब्सिडी", "स्प्रेयर", "पावर टिलर"],
            ),
            [
                aadhaar(),
                choice(
                    "implement",
                    T("Which implement?", "ఏ పరికరం?", "कौन सा यंत्र?"),
                    [(i, spec[0]) for i, spec in IMPLEMENTS.items()],
                ),
                LAND,
                choice(
                    "category",
                    T("Social category", "సామాజిక వర్గం", "सामाजिक वर्ग"),
                    [
                        ("sc", T("SC", "ఎస్సీ", "अनुसूचित जाति")),
                        ("st", T("ST", "ఎస్టీ", "अनुसूचित जनजाति")),
                        ("bc", T("BC", "బీసీ", "पिछड़ा वर्ग")),
                        ("oc", T("General (OC)", "ఓసీ", "सामान्य")),
                    ],
                ),
                choice(
                    "woman",
                    T("Is the applicant a woman farmer?", "దరఖాస్తుదారు మహిళా రైతా?", "क्या आवेदक महिला किसान है?"),
                    [("yes", T("Yes", "అవును", "हाँ")), ("no", T("No", "కాదు", "नहीं"))],
                ),
                choice(
                    "own-tractor",
                    T("Do you own a tractor?", "మీకు ట్రాక్టర్ ఉందా?", "क्या आपके पास ट्रैक्टर है?"),
                    [("yes", T("Yes", "అవును", "हाँ")), ("no", T("No", "లేదు", "नहीं"))],
                    hint=T("Rotavators and seed drills need one", "రోటవేటర్, విత్తన డ్రిల్‌కు అవసరం", "रोटावेटर और सीड ड्रिल के लिए ज़रूरी"),
                ),
            ],
            "application",
            sla_days=30,
        ),
    ],
)
