"""Eligibility rules and data shaping of the Agriculture department.

Pure functions over plain values: no WIT, no HTTP, so `python3 -m unittest`
checks them natively. Each rule returns the reasons a farmer is refused, one
`T` per reason in English, Telugu and Hindi; an empty list means eligible.
"""

from datetime import date, datetime, timedelta, timezone
from typing import Dict, List, Optional, Tuple

from model import InvalidInput, T

IST = timezone(timedelta(hours=5, minutes=30))


def today_in_india() -> date:
    return datetime.now(IST).date()


class Answers:
    """A form's answers by field id, with typed getters that turn a missing
    or mistyped answer into `InvalidInput` (the host validated the values)."""

    def __init__(self, values: Dict[str, object]):
        self.values = values

    def _get(self, field_id: str, wanted: tuple, what: str) -> object:
        if field_id not in self.values:
            raise InvalidInput(f"missing answer: {field_id}")
        value = self.values[field_id]
        if not isinstance(value, wanted):
            raise InvalidInput(f"answer {field_id} is not {what}")
        return value

    def text(self, field_id: str) -> str:
        return self._get(field_id, (str,), "text").strip()

    def number(self, field_id: str) -> float:
        return float(self._get(field_id, (int, float), "a number"))

    def date(self, field_id: str) -> date:
        raw = self.text(field_id)
        try:
            return date.fromisoformat(raw)
        except ValueError:
            raise InvalidInput(f"answer {field_id} is not a YYYY-MM-DD date: {raw!r}") from None


def mask_aadhaar(aadhaar: str) -> str:
    return "XXXX XXXX " + aadhaar[-4:]


def rupees(amount: float) -> str:
    """₹ with Indian digit grouping: 123456.5 → ₹1,23,456.50."""
    paise = round(amount * 100)
    whole, fraction = divmod(paise, 100)
    digits = str(whole)
    if len(digits) > 3:
        head, tail = digits[:-3], digits[-3:]
        groups = []
        while len(head) > 2:
            groups.insert(0, head[-2:])
            head = head[:-2]
        digits = ",".join(([head] if head else []) + groups + [tail])
    return f"₹{digits}" + (f".{fraction:02d}" if fraction else "")


def dmy(iso: str) -> str:
    """`2026-06-20` → `20-06-2026`, the way Indian documents print dates."""
    return date.fromisoformat(iso).strftime("%d-%m-%Y")


def acres(value: float) -> str:
    return f"{value:g}"


CROPS: Dict[str, T] = {
    "paddy": T("Paddy", "వరి", "धान"),
    "paddy-common": T("Paddy (common)", "వరి (సాధారణ)", "धान (सामान्य)"),
    "paddy-grade-a": T("Paddy (Grade A)", "వరి (గ్రేడ్ ఎ)", "धान (ग्रेड ए)"),
    "cotton": T("Cotton", "పత్తి", "कपास"),
    "groundnut": T("Groundnut", "వేరుశనగ", "मूंगफली"),
    "chilli": T("Chilli", "మిరప", "मिर्च"),
    "maize": T("Maize", "మొక్కజొన్న", "मक्का"),
    "redgram": T("Red gram (tur)", "కంది", "अरहर"),
    "bengalgram": T("Bengal gram", "శనగ", "चना"),
    "blackgram": T("Black gram", "మినుము", "उड़द"),
    "greengram": T("Green gram", "పెసర", "मूंग"),
    "jowar": T("Jowar", "జొన్న", "ज्वार"),
    "banana": T("Banana", "అరటి", "केला"),
    "other": T("Other crop", "ఇతర పంట", "अन्य फसल"),
}

SEASONS: Dict[str, T] = {
    "kharif": T("Kharif", "ఖరీఫ్", "खरीफ"),
    "rabi": T("Rabi", "రబీ", "रबी"),
}


def crop_name(crop: str) -> T:
    return CROPS.get(crop, T(crop))


# ---- Crop insurance (PMFBY as run in AP through e-Crop) ----

NOTIFIED_CROPS = {
    "kharif": {"paddy", "cotton", "groundnut", "chilli", "maize", "redgram", "banana"},
    "rabi": {"paddy", "groundnut", "maize", "bengalgram", "blackgram"},
}
CAUSES: Dict[str, T] = {
    "flood": T("Flood / waterlogging", "వరద / నీట మునక", "बाढ़ / जलभराव"),
    "cyclone": T("Cyclone", "తుఫాను", "चक्रवात"),
    "unseasonal-rain": T("Unseasonal rain", "అకాల వర్షం", "बेमौसम बारिश"),
    "hailstorm": T("Hailstorm", "వడగళ్ల వాన", "ओलावृष्टि"),
    "drought": T("Drought / dry spell", "కరువు / వర్షాభావం", "सूखा"),
    "pests": T("Pests or disease", "పురుగులు / తెగుళ్లు", "कीट या रोग"),
}


def cause_name(cause: str) -> str:
    name = CAUSES.get(cause, T(cause))
    return f"{name.en} ({name.te})" if name.te else name.en


# Losses below a third of the expected yield are not compensated.
MIN_LOSS_PERCENT = 33
# Localised calamities are assessed field by field and must be reported
# within 72 hours; drought and pests are assessed area-wide.
LOCALISED_CAUSES = {"flood", "hailstorm", "cyclone", "unseasonal-rain"}
INTIMATION_DAYS = 3


def insurance_reasons(crop: str, season: str, loss_percent: float, cause: str, loss_on: date, today: date) -> List[T]:
    reasons = []
    if crop not in NOTIFIED_CROPS.get(season, set()):
        c, s = crop_name(crop), SEASONS.get(season, T(season))
        reasons.append(
            T(
                f"{c.en} is not a notified crop for {s.en} insurance.",
                f"{s.te} బీమాకు {c.te} నోటిఫై చేసిన పంట కాదు.",
                f"{c.hi} {s.hi} बीमा के लिए अधिसूचित फसल नहीं है।",
            )
        )
    if loss_percent < MIN_LOSS_PERCENT:
        reasons.append(
            T(
                f"Claims need a crop loss of at least {MIN_LOSS_PERCENT}%; you reported {loss_percent:g}%.",
                f"క్లెయిమ్‌కు కనీసం {MIN_LOSS_PERCENT}% పంట నష్టం ఉండాలి; మీరు {loss_percent:g}% తెలిపారు.",
                f"दावे के लिए कम से कम {MIN_LOSS_PERCENT}% फसल हानि चाहिए; आपने {loss_percent:g}% बताया।",
            )
        )
    if loss_on > today:
        reasons.append(T("The date of loss is in the future.", "నష్టం తేదీ భవిష్యత్తులో ఉంది.", "हानि की तारीख भविष्य में है।"))
    elif cause in LOCALISED_CAUSES and (today - loss_on).days > INTIMATION_DAYS:
        reasons.append(
            T(
                "Losses from floods, hail, cyclones and unseasonal rain must be reported within 72 hours.",
                "వరద, వడగళ్లు, తుఫాను, అకాల వర్షం నష్టాన్ని 72 గంటల్లోగా తెలపాలి.",
                "बाढ़, ओले, चक्रवात और बेमौसम बारिश से हानि 72 घंटे में बतानी होती है।",
            )
        )
    return reasons


def bookings_for(farmer: dict, season: str, crop: Optional[str] = None) -> List[dict]:
    """The farmer's e-Crop bookings in `season` (and of `crop`; paddy grades
    count as paddy)."""
    if crop is not None and crop.startswith("paddy"):
        crop = "paddy"
    return [b for b in farmer.get("ecrop", []) if b["season"] == season and (crop is None or b["crop"] == crop)]


def not_registered() -> T:
    return T(
        "This Aadhaar is not in the farmer registry. Register at your Rythu Seva Kendram (RSK).",
        "ఈ ఆధార్ రైతు రిజిస్ట్రీలో లేదు. మీ రైతు సేవా కేంద్రంలో (RSK) నమోదు చేసుకోండి.",
        "यह आधार किसान रजिस्ट्री में नहीं है। अपने रायथु सेवा केंद्र (RSK) में पंजीकरण कराएँ।",
    )


def ecrop_reasons(farmer: dict, crop: str, season: str) -> List[T]:
    """Insurance and MSP purchase cover only crops booked in e-Crop."""
    if bookings_for(farmer, season, crop):
        return []
    c, s = crop_name(crop), SEASONS.get(season, T(season))
    return [
        T(
            f"{c.en} is not booked in e-Crop on your land for {s.en}. Ask your village agriculture assistant.",
            f"{s.te}లో మీ భూమిపై {c.te} ఈ-క్రాప్‌లో నమోదు కాలేదు. గ్రామ వ్యవసాయ సహాయకుడిని సంప్రదించండి.",
            f"{s.hi} में आपकी भूमि पर {c.hi} ई-क्रॉप में दर्ज नहीं है। ग्राम कृषि सहायक से मिलें।",
        )
    ]


# ---- Subsidised seed ----

SEED_SEASONS = {
    "paddy": {"kharif", "rabi"},
    "groundnut": {"kharif", "rabi"},
    "bengalgram": {"rabi"},
    "redgram": {"kharif"},
    "blackgram": {"kharif", "rabi"},
    "greengram": {"kharif", "rabi"},
    "maize": {"kharif", "rabi"},
    "jowar": {"kharif", "rabi"},
}
# Seed needed for one acre, in kg (groundnut as pods).
SEED_RATE_KG = {
    "paddy": 25,
    "groundnut": 100,
    "bengalgram": 30,
    "redgram": 5,
    "blackgram": 8,
    "greengram": 8,
    "maize": 8,
    "jowar": 4,
}
# Full price of certified seed, ₹ per kg.
SEED_PRICE = {
    "paddy": 42,
    "groundnut": 92,
    "bengalgram": 85,
    "redgram": 130,
    "blackgram": 120,
    "greengram": 125,
    "maize": 290,
    "jowar": 70,
}
SMALL_FARMER_ACRES = 5


def seed_subsidy_percent(land_acres: float) -> int:
    """Small and marginal farmers (up to 5 acres) get 90%; others 50%."""
    return 90 if land_acres <= SMALL_FARMER_ACRES else 50


def seed_reasons(crop: str, season: str, land_acres: float, kg: float) -> List[T]:
    reasons = []
    c, s = crop_name(crop), SEASONS.get(season, T(season))
    if season not in SEED_SEASONS.get(crop, set()):
        reasons.append(
            T(
                f"{c.en} seed is not supplied for {s.en}.",
                f"{s.te}కి {c.te} విత్తనాలు సరఫరా చేయబడవు.",
                f"{s.hi} के लिए {c.hi} बीज नहीं दिया जाता।",
            )
        )
    if land_acres <= 0:
        reasons.append(T("Land must be more than 0 acres.", "భూమి 0 ఎకరాల కంటే ఎక్కువ ఉండాలి.", "भूमि 0 एकड़ से अधिक होनी चाहिए।"))
    elif crop in SEED_RATE_KG and kg > seed_cap_kg(crop, land_acres):
        cap = seed_cap_kg(crop, land_acres)
        reasons.append(
            T(
                f"For {acres(land_acres)} acres you can get at most {cap:g} kg of {c.en} seed.",
                f"{acres(land_acres)} ఎకరాలకు గరిష్ఠంగా {cap:g} కిలోల {c.te} విత్తనాలు ఇస్తారు.",
                f"{acres(land_acres)} एकड़ के लिए अधिकतम {cap:g} किलो {c.hi} बीज मिलता है।",
            )
        )
    return reasons


def seed_cap_kg(crop: str, land_acres: float) -> float:
    return float(int(SEED_RATE_KG[crop] * land_acres))


def seed_quote(crop: str, land_acres: float, kg: float) -> Dict[str, float]:
    full = SEED_PRICE[crop] * kg
    percent = seed_subsidy_percent(land_acres)
    subsidy = round(full * percent / 100, 2)
    return {"full": full, "percent": percent, "subsidy": subsidy, "farmer_pays": round(full - subsidy, 2)}


# ---- MSP procurement at the Rythu Seva Kendram ----

# Minimum support price, ₹ per quintal (2025-26).
MSP = {
    "paddy-common": 2369,
    "paddy-grade-a": 2389,
    "maize": 2400,
    "jowar": 3699,
    "redgram": 8000,
    "bengalgram": 5650,
}
# Fair average quality: the most moisture an RSK accepts, in %.
MAX_MOISTURE = {
    "paddy-common": 17,
    "paddy-grade-a": 17,
    "maize": 14,
    "jowar": 14,
    "redgram": 12,
    "bengalgram": 12,
}
# Quintals bought per e-Crop booked acre.
YIELD_CAP_Q_PER_ACRE = {
    "paddy-common": 30,
    "paddy-grade-a": 30,
    "maize": 30,
    "jowar": 12,
    "redgram": 5,
    "bengalgram": 8,
}
# The season a crop is bought in.
MSP_SEASON = {
    "paddy-common": "kharif",
    "paddy-grade-a": "kharif",
    "maize": "rabi",
    "jowar": "rabi",
    "redgram": "kharif",
    "bengalgram": "rabi",
}
SLOT_WINDOW_DAYS = 14


def msp_slot_reasons(crop: str, quintals: float, moisture: float, on: date, today: date) -> List[T]:
    reasons = []
    c = crop_name(crop)
    if crop not in MSP:
        reasons.append(T(f"{c.en} is not bought at MSP.", f"{c.te} మద్దతు ధరకు కొనరు.", f"{c.hi} एमएसपी पर नहीं खरीदा जाता।"))
        return reasons
    if moisture > MAX_MOISTURE[crop]:
        most = MAX_MOISTURE[crop]
        reasons.append(
            T(
                f"{c.en} is bought with at most {most}% moisture; dry it further (yours: {moisture:g}%).",
                f"{c.te} తేమ {most}% మించకూడదు; ఇంకా ఆరబెట్టండి (మీది: {moisture:g}%).",
                f"{c.hi} में नमी अधिकतम {most}% होनी चाहिए; और सुखाएँ (आपकी: {moisture:g}%)।",
            )
        )
    if on < today:
        reasons.append(T("The slot date has passed.", "స్లాట్ తేదీ గడిచిపోయింది.", "स्लॉट की तारीख निकल चुकी है।"))
    elif (on - today).days > SLOT_WINDOW_DAYS:
        reasons.append(
            T(
                f"Slots open at most {SLOT_WINDOW_DAYS} days ahead.",
                f"స్లాట్లు {SLOT_WINDOW_DAYS} రోజుల ముందు వరకే తెరుస్తారు.",
                f"स्लॉट अधिकतम {SLOT_WINDOW_DAYS} दिन पहले खुलते हैं।",
            )
        )
    if quintals <= 0:
        reasons.append(T("Quantity must be more than 0 quintals.", "పరిమాణం 0 క్వింటాళ్ల కంటే ఎక్కువ ఉండాలి.", "मात्रा 0 क्विंटल से अधिक होनी चाहिए।"))
    return reasons


def msp_quota(farmer: dict, crop: str) -> float:
    """Quintals the farmer may still sell: booked acres × yield cap, less
    what was already bought this season."""
    booked = sum(b["acres"] for b in bookings_for(farmer, MSP_SEASON[crop], crop))
    sold = farmer.get("procured", {}).get("paddy" if crop.startswith("paddy") else crop, 0)
    return max(0.0, round(booked * YIELD_CAP_Q_PER_ACRE[crop] - sold, 1))


def msp_quota_reasons(farmer: dict, crop: str, quintals: float) -> List[T]:
    reasons = ecrop_reasons(farmer, crop, MSP_SEASON[crop])
    if reasons:
        return reasons
    quota = msp_quota(farmer, crop)
    if quintals > quota:
        c = crop_name(crop)
        reasons.append(
            T(
                f"Your e-Crop booking allows {quota:g} more quintals of {c.en} this season; you asked for {quintals:g}.",
                f"మీ ఈ-క్రాప్ నమోదు ప్రకారం ఈ సీజన్‌లో ఇంకా {quota:g} క్వింటాళ్ల {c.te} మాత్రమే అమ్మవచ్చు; మీరు {quintals:g} అడిగారు.",
                f"आपकी ई-क्रॉप बुकिंग से इस सीज़न {quota:g} क्विंटल {c.hi} और बेच सकते हैं; आपने {quintals:g} माँगा।",
            )
        )
    return reasons


# ---- Farm machinery subsidy (SMAM) ----

# id: (name, price ₹, subsidy ceiling ₹, tractor-drawn)
IMPLEMENTS: Dict[str, Tuple[T, int, int, bool]] = {
    "battery-sprayer": (T("Battery sprayer", "బ్యాటరీ స్ప్రేయర్", "बैटरी स्प्रेयर"), 4_500, 2_500, False),
    "tarpaulin": (T("Tarpaulin", "టార్పాలిన్", "तिरपाल"), 2_800, 1_400, False),
    "power-weeder": (T("Power weeder", "పవర్ వీడర్", "पावर वीडर"), 65_000, 35_000, False),
    "brush-cutter": (T("Brush cutter", "బ్రష్ కట్టర్", "ब्रश कटर"), 38_000, 20_000, False),
    "rotavator": (T("Rotavator", "రోటవేటర్", "रोटावेटर"), 115_000, 50_400, True),
    "seed-drill": (T("Seed drill", "విత్తన డ్రిల్", "सीड ड्रिल"), 60_000, 30_000, True),
    "power-tiller": (T("Power tiller", "పవర్ టిల్లర్", "पावर टिलर"), 190_000, 85_000, False),
    "transplanter": (T("Paddy transplanter", "వరి నాట్ల యంత్రం", "धान रोपाई मशीन"), 280_000, 140_000, False),
}
# The same implement is subsidised once in this many years.
REPEAT_YEARS = 5


def machinery_subsidy_percent(category: str, woman: bool, land_acres: float) -> int:
    """50% for SC/ST, women and small and marginal farmers; 40% for others."""
    if category in {"sc", "st"} or woman or land_acres <= SMALL_FARMER_ACRES:
        return 50
    return 40


def machinery_subsidy(implement: str, percent: int) -> int:
    _, price, ceiling, _ = IMPLEMENTS[implement]
    return min(price * percent // 100, ceiling)


def machinery_reasons(implement: str, own_tractor: bool, land_acres: float) -> List[T]:
    reasons = []
    if implement not in IMPLEMENTS:
        return [T(f"{implement} is not on the subsidy list.", f"{implement} రాయితీ జాబితాలో లేదు.", f"{implement} सब्सिडी सूची में नहीं है।")]
    name, _, _, tractor_drawn = IMPLEMENTS[implement]
    if tractor_drawn and not own_tractor:
        reasons.append(
            T(
                f"A {name.en.lower()} is tractor-drawn: it is given only to farmers who own a tractor.",
                f"{name.te} ట్రాక్టర్‌తో నడుస్తుంది: ట్రాక్టర్ ఉన్న రైతులకే ఇస్తారు.",
                f"{name.hi} ट्रैक्टर से चलता है: यह केवल ट्रैक्टर वाले किसानों को मिलता है।",
            )
        )
    if land_acres <= 0:
        reasons.append(T("Land must be more than 0 acres.", "భూమి 0 ఎకరాల కంటే ఎక్కువ ఉండాలి.", "भूमि 0 एकड़ से अधिक होनी चाहिए।"))
    return reasons


def machinery_history_reasons(farmer: dict, implement: str, this_year: int) -> List[T]:
    for received in farmer.get("machinery", []):
        if received["implement"] == implement and this_year - received["year"] < REPEAT_YEARS:
            name = IMPLEMENTS[implement][0]
            again = received["year"] + REPEAT_YEARS
            return [
                T(
                    f"You received a subsidised {name.en.lower()} in {received['year']}; you may apply again from {again}.",
                    f"మీరు {received['year']}లో రాయితీపై {name.te} పొందారు; {again} నుండి మళ్లీ దరఖాస్తు చేయవచ్చు.",
                    f"आपने {received['year']} में सब्सिडी पर {name.hi} लिया था; {again} से फिर आवेदन कर सकते हैं।",
                )
            ]
    return []


# ---- Soil health card ----

Row = Tuple[T, str]

# (key, name, unit, low below, high above)
NUTRIENTS = [
    ("n", T("Nitrogen (N)", "నత్రజని (N)", "नाइट्रोजन (N)"), "kg/ha", 280, 560),
    ("p", T("Phosphorus (P)", "భాస్వరం (P)", "फॉस्फोरस (P)"), "kg/ha", 10, 25),
    ("k", T("Potassium (K)", "పొటాష్ (K)", "पोटाश (K)"), "kg/ha", 110, 280),
    ("oc", T("Organic carbon", "సేంద్రియ కర్బనం", "जैविक कार्बन"), "%", 0.5, 0.75),
    ("s", T("Sulphur (S)", "గంధకం (S)", "सल्फर (S)"), "ppm", 10, 20),
    ("zn", T("Zinc (Zn)", "జింక్ (Zn)", "जिंक (Zn)"), "ppm", 0.6, 1.2),
    ("b", T("Boron (B)", "బోరాన్ (B)", "बोरॉन (B)"), "ppm", 0.5, 1.0),
    ("fe", T("Iron (Fe)", "ఇనుము (Fe)", "आयरन (Fe)"), "ppm", 4.5, 9.0),
]
LEVELS = {
    "low": T("low", "తక్కువ", "कम"),
    "medium": T("medium", "మధ్యస్థం", "मध्यम"),
    "high": T("high", "ఎక్కువ", "अधिक"),
}


def level(value: float, low_below: float, high_above: float) -> str:
    if value < low_below:
        return "low"
    return "high" if value > high_above else "medium"


def ph_class(ph: float) -> T:
    if ph < 6.5:
        return T("acidic", "ఆమ్ల", "अम्लीय")
    if ph <= 7.5:
        return T("neutral", "తటస్థ", "उदासीन")
    if ph <= 8.5:
        return T("slightly alkaline", "స్వల్ప క్షార", "हल्की क्षारीय")
    return T("alkaline", "క్షార", "क्षारीय")


# The general recommended dose for paddy in AP, kg per acre of N, P2O5, K2O;
# soil-test levels move it by a quarter either way.
PADDY_DOSE = {"n": 48, "p": 24, "k": 16}
ADJUST = {"low": 1.25, "medium": 1.0, "high": 0.75}
# Nutrient content of the fertiliser that supplies it.
FERTILISER = {
    "n": (T("Urea for paddy", "వరికి యూరియా", "धान के लिए यूरिया"), 0.46),
    "p": (T("SSP for paddy", "వరికి సూపర్ ఫాస్ఫేట్", "धान के लिए एसएसपी"), 0.16),
    "k": (T("MOP for paddy", "వరికి పొటాష్ (MOP)", "धान के लिए एमओपी"), 0.60),
}


def fertiliser_per_acre(card: dict) -> Dict[str, int]:
    """Kg per acre of urea, SSP and MOP for paddy on this soil."""
    limits = {key: (lo, hi) for key, _, _, lo, hi in NUTRIENTS}
    out = {}
    for key, dose in PADDY_DOSE.items():
        lo, hi = limits[key]
        _, content = FERTILISER[key]
        out[key] = int(round(dose * ADJUST[level(card[key], lo, hi)] / content))
    return out


def soil_card_rows(card: dict) -> Tuple[T, List[Row]]:
    """The summary and the rows a farmer reads on a soil health card."""
    ph = ph_class(card["ph"])
    rows: List[Row] = [
        (T("Card number", "కార్డు సంఖ్య", "कार्ड संख्या"), card["card"]),
        (T("Farmer", "రైతు", "किसान"), card["farmer"]),
        (T("Survey number", "సర్వే నంబరు", "सर्वे नंबर"), f"{card['survey']}, {card['village']}, {card['mandal']}"),
        (T("Sampled on", "నమూనా తేదీ", "नमूना तिथि"), dmy(card["sampled_on"])),
        (T(f"pH: {ph.en}", f"pH: {ph.te}", f"pH: {ph.hi}"), f"{card['ph']:g}"),
        (T("Electrical conductivity", "విద్యుత్ వాహకత", "विद्युत चालकता"), f"{card['ec']:g} dS/m"),
    ]
    levels = {}
    for key, name, unit, lo, hi in NUTRIENTS:
        levels[key] = level(card[key], lo, hi)
        lv = LEVELS[levels[key]]
        rows.append((T(f"{name.en}: {lv.en}", f"{name.te}: {lv.te}", f"{name.hi}: {lv.hi}"), f"{card[key]:g} {unit}"))
    for key, kg in fertiliser_per_acre(card).items():
        label, _ = FERTILISER[key]
        rows.append((T(f"{label.en} per acre", f"{label.te} ఎకరాకు", f"{label.hi} प्रति एकड़"), f"{kg} kg"))
    if levels["zn"] == "low":
        rows.append((T("Zinc sulphate per acre", "జింక్ సల్ఫేట్ ఎకరాకు", "जिंक सल्फेट प्रति एकड़"), "20 kg"))
    if levels["b"] == "low":
        rows.append((T("Borax per acre", "బోరాక్స్ ఎకరాకు", "बोरेक्स प्रति एकड़"), "4 kg"))
    if card["ph"] > 8.5:
        rows.append((T("Gypsum per acre", "జిప్సం ఎకరాకు", "जिप्सम प्रति एकड़"), "200 kg"))
    n, p, k = (LEVELS[levels[x]] for x in ("n", "p", "k"))
    summary = T(
        f"Soil card {card['card']}: pH {card['ph']:g} ({ph.en}), N {n.en}, P {p.en}, K {k.en}",
        f"భూసార కార్డు {card['card']}: pH {card['ph']:g} ({ph.te}), N {n.te}, P {p.te}, K {k.te}",
        f"मृदा कार्ड {card['card']}: pH {card['ph']:g} ({ph.hi}), N {n.hi}, P {p.hi}, K {k.hi}",
    )
    return summary, rows


# ---- Rythu Bharosa – PM-KISAN ----

SCHEMES = {
    "state": T("Rythu Bharosa", "రైతు భరోసా", "रायथु भरोसा"),
    "pm-kisan": T("PM-KISAN", "పీఎం-కిసాన్", "पीएम-किसान"),
}
STATUS = {
    "credited": T("credited", "జమ అయింది", "जमा"),
    "scheduled": T("scheduled", "రావలసి ఉంది", "निर्धारित"),
    "withheld": T("withheld", "నిలిపివేశారు", "रोका गया"),
    "failed": T("failed", "విఫలమైంది", "विफल"),
}


def ekyc_row(done: bool) -> Row:
    if done:
        return T("e-KYC", "ఈ-కేవైసీ", "ई-केवाईसी"), "done"
    return (
        T(
            "e-KYC pending: give your fingerprint at your RSK",
            "ఈ-కేవైసీ పెండింగ్: మీ RSKలో వేలిముద్ర వేయండి",
            "ई-केवाईसी बाकी: अपने RSK पर अंगूठा लगाएँ",
        ),
        "pending",
    )


def rythu_bharosa_rows(payments: dict) -> Tuple[T, List[Row]]:
    rows: List[Row] = [
        (T("Farmer", "రైతు", "किसान"), f"{payments['name']} ({payments['village']})"),
        (T("Bank account", "బ్యాంకు ఖాతా", "बैंक खाता"), payments["bank"]),
        ekyc_row(payments["ekyc"]),
    ]
    paid = entitled = 0
    for i in payments["instalments"]:
        scheme, status = SCHEMES[i["scheme"]], STATUS[i["status"]]
        entitled += i["amount"]
        value = rupees(i["amount"])
        if i["status"] == "credited":
            paid += i["amount"]
            value += f" · {dmy(i['credited_on'])}"
        elif i["status"] == "scheduled":
            value += f" · {dmy(i['due_on'])}"
        else:
            value += f" · {i['reason']}"
        n = i["number"]
        label = T(
            f"Instalment {n} – {scheme.en}: {status.en}",
            f"{n}వ విడత – {scheme.te}: {status.te}",
            f"किस्त {n} – {scheme.hi}: {status.hi}",
        )
        rows.append((label, value))
    year = payments["year"]
    summary = T(
        f"{rupees(paid)} of {rupees(entitled)} credited for {year}",
        f"{year}కి {rupees(entitled)}లో {rupees(paid)} జమ అయింది",
        f"{year} के लिए {rupees(entitled)} में से {rupees(paid)} जमा",
    )
    return summary, rows


# ---- e-Crop booking status ----


VERIFIED = T("verified", "ధృవీకరించారు", "सत्यापित")
AWAITING = T("awaiting VAA check", "వీఏఏ తనిఖీ కావాలి", "वीएए जाँच बाकी")


def ecrop_rows(farmer: dict, season: str) -> Tuple[T, List[Row]]:
    bookings = bookings_for(farmer, season)
    s = SEASONS.get(season, T(season))
    rows: List[Row] = [(T("Farmer", "రైతు", "किसान"), f"{farmer['name']} ({farmer['village']}, {farmer['mandal']})")]
    for b in bookings:
        c = crop_name(b["crop"])
        v = VERIFIED if b["vaa_verified"] else AWAITING
        label = T(
            f"Survey {b['survey']} – {c.en} ({v.en})",
            f"సర్వే {b['survey']} – {c.te} ({v.te})",
            f"सर्वे {b['survey']} – {c.hi} ({v.hi})",
        )
        rows.append((label, f"{b['variety']} · {acres(b['acres'])} ac · sown {dmy(b['sown_on'])}"))
    rows.append(ekyc_row(farmer["ekyc"]))
    if not bookings:
        summary = T(
            f"No e-Crop booking for {s.en}",
            f"{s.te}కి ఈ-క్రాప్ నమోదు లేదు",
            f"{s.hi} के लिए कोई ई-क्रॉप बुकिंग नहीं",
        )
    else:
        total = acres(round(sum(b["acres"] for b in bookings), 2))
        year = bookings[0]["year"]
        summary = T(
            f"{len(bookings)} field(s), {total} acres booked in e-Crop for {s.en} {year}",
            f"{s.te} {year}కి ఈ-క్రాప్‌లో {len(bookings)} పొలాలు, {total} ఎకరాలు నమోదు",
            f"{s.hi} {year} के लिए ई-क्रॉप में {len(bookings)} खेत, {total} एकड़ दर्ज",
        )
    return summary, rows


# ---- Weather advisory ----

HEAVY_RAIN_MM = 30
HEAT_C = 40
STRONG_WIND_KMPH = 30


def advisories(days: List[dict]) -> List[Row]:
    """What a farmer should do about the coming days' weather, each with the
    forecast that calls for it."""
    out: List[Row] = []
    heavy = [d for d in days if d["rain_mm"] >= HEAVY_RAIN_MM]
    rainy = [d for d in days if d["rain_mm"] > 0]
    if heavy:
        first = heavy[0]
        out.append(
            (
                T(
                    "Heavy rain: drain standing water, postpone fertiliser and spraying, cover harvested produce.",
                    "భారీ వర్షం: నిలిచిన నీటిని తీసివేయండి, ఎరువులు, పిచికారీ వాయిదా వేయండి, కోసిన పంటను కప్పండి.",
                    "भारी बारिश: खेत से पानी निकालें, खाद और छिड़काव टालें, कटी फसल ढककर रखें।",
                ),
                f"{dmy(first['date'])}: {first['rain_mm']:g} mm",
            )
        )
    elif rainy:
        first = rainy[0]
        out.append(
            (
                T(
                    "Light rain: do not spray pesticide the day before; it washes off.",
                    "తేలికపాటి వర్షం: ముందు రోజు పురుగుమందు పిచికారీ చేయకండి, కొట్టుకుపోతుంది.",
                    "हल्की बारिश: एक दिन पहले कीटनाशक न छिड़कें, धुल जाएगा।",
                ),
                f"{dmy(first['date'])}: {first['rain_mm']:g} mm",
            )
        )
    else:
        out.append(
            (
                T(
                    "Dry days ahead: good for harvesting and drying produce; irrigate standing crops as scheduled.",
                    "పొడి వాతావరణం: కోతలు, పంట ఆరబెట్టడానికి అనుకూలం; పంటలకు సమయానికి నీరు పెట్టండి.",
                    "सूखे दिन: कटाई और उपज सुखाने के लिए अच्छा; खड़ी फसल की समय पर सिंचाई करें।",
                ),
                "0 mm",
            )
        )
    hottest = max(days, key=lambda d: d["tmax"])
    if hottest["tmax"] >= HEAT_C:
        out.append(
            (
                T(
                    "Heat above 40°C: irrigate in the evening, mulch nurseries, keep cattle in shade with water.",
                    "40°C పైగా ఎండ: సాయంత్రం నీరు పెట్టండి, నారుమడులకు మల్చింగ్ చేయండి, పశువులను నీడలో ఉంచండి.",
                    "40°C से अधिक गर्मी: शाम को सिंचाई करें, नर्सरी में मल्च करें, पशुओं को छाँव और पानी दें।",
                ),
                f"{dmy(hottest['date'])}: {hottest['tmax']:g}°C",
            )
        )
    windiest = max(days, key=lambda d: d["wind_kmph"])
    if windiest["wind_kmph"] >= STRONG_WIND_KMPH:
        out.append(
            (
                T(
                    "Strong winds: prop up banana and sugarcane, and do not spray in the wind.",
                    "బలమైన గాలులు: అరటి, చెరకుకు ఊతం ఇవ్వండి; గాలిలో పిచికారీ చేయకండి.",
                    "तेज़ हवा: केले और गन्ने को सहारा दें, हवा में छिड़काव न करें।",
                ),
                f"{dmy(windiest['date'])}: {windiest['wind_kmph']} km/h",
            )
        )
    humid = [d for d in days if d["rh"] >= 85 and d["rain_mm"] > 0]
    if humid:
        out.append(
            (
                T(
                    "Humid, wet weather favours blast and leaf blight in paddy: scout fields, ask your RSK before spraying.",
                    "తేమ వాతావరణం వరిలో అగ్గి తెగులు, ఆకు ఎండు తెగులుకు అనుకూలం: పొలం చూసి RSK సలహా తీసుకోండి.",
                    "नम मौसम में धान में ब्लास्ट और झुलसा रोग बढ़ता है: खेत देखें, छिड़काव से पहले RSK से पूछें।",
                ),
                f"{dmy(humid[0]['date'])}: RH {humid[0]['rh']}%",
            )
        )
    return out


def weather_rows(forecast: dict) -> Tuple[T, List[Row]]:
    rows: List[Row] = []
    for d in forecast["days"]:
        on = dmy(d["date"])
        rain = f"{d['rain_mm']:g} mm rain" if d["rain_mm"] > 0 else "no rain"
        value = f"{rain} · {d['tmax']:g}°/{d['tmin']:g}°C · RH {d['rh']}% · wind {d['wind_kmph']} km/h"
        rows.append((T(on), value))
    rows.extend(advisories(forecast["days"]))
    total = round(sum(d["rain_mm"] for d in forecast["days"]), 1)
    district, district_te = forecast["district"], forecast["district_te"]
    summary = T(
        f"{district}: 5-day forecast, {total:g} mm rain expected",
        f"{district_te}: 5 రోజుల సూచన, {total:g} మి.మీ. వర్షం అంచనా",
        f"{district}: 5 दिन का पूर्वानुमान, {total:g} मिमी बारिश संभव",
    )
    return summary, rows
