"""The Agriculture department plugin, written in Python and compiled to a
WebAssembly component by componentize-py against the WIT world
`mitra:plugin/department` (see build.sh).

This file is the component's edge: it turns the plain shapes of `model`,
`catalogue` and `rules` into the generated WIT types, reaches the
department's systems through the host's `http` import, and maps failures to
the WIT `plugin-error` variant. The rules themselves live in `rules.py`.
"""

import json
import traceback
from datetime import date
from typing import Callable, List, Optional, TypeVar
from urllib.parse import quote, urlencode

import wit_world
from wit_world import Err
from wit_world.imports import config, http, log, types

import rules
from catalogue import DEPARTMENT
from model import Field, InvalidInput, NotFound, PluginFailure, Service, T, Unavailable, Unsupported
from rules import Answers, dmy, mask_aadhaar, rupees

CONTRACT_VERSION = "0.1.0"


# ---- Plain shapes → WIT types ----


def wit_text(t: T) -> types.Text:
    return types.Text(t.en, t.te, t.hi)


def opt_text(t: Optional[T]) -> Optional[types.Text]:
    return wit_text(t) if t is not None else None


DATE_RULES = {
    "any": types.DateRule.ANY,
    "today-or-earlier": types.DateRule.TODAY_OR_EARLIER,
    "today-or-later": types.DateRule.TODAY_OR_LATER,
}
DELIVERY = {
    "instant-document": types.Delivery.INSTANT_DOCUMENT,
    "application": types.Delivery.APPLICATION,
    "information": types.Delivery.INFORMATION,
    "booking": types.Delivery.BOOKING,
    "payment": types.Delivery.PAYMENT,
}


def wit_kind(f: Field) -> types.FieldKind:
    if f.kind == "text":
        return types.FieldKind_Text(types.TextRules(f.min_length, f.max_length))
    if f.kind == "number":
        return types.FieldKind_Number(types.NumberRules(f.min, f.max, f.integer))
    if f.kind == "date":
        return types.FieldKind_Date(DATE_RULES[f.date_rule])
    if f.kind == "choice":
        return types.FieldKind_Choice([types.ChoiceOption(id, wit_text(label)) for id, label in f.options])
    simple = {
        "aadhaar": types.FieldKind_Aadhaar,
        "phone": types.FieldKind_Phone,
        "pincode": types.FieldKind_Pincode,
        "location": types.FieldKind_Location,
        "photo": types.FieldKind_Photo,
        "document": types.FieldKind_Document,
    }
    return simple[f.kind]()


def wit_service(s: Service) -> types.Service:
    en, te, hi = s.keywords
    return types.Service(
        id=s.id,
        title=wit_text(s.title),
        description=wit_text(s.description),
        category=s.category,
        keywords=types.Keywords(en, te, hi),
        form=[types.Field(f.id, wit_text(f.label), opt_text(f.hint), wit_kind(f), f.required) for f in s.form],
        fee_paise=s.fee_paise,
        sla_days=s.sla_days,
        delivery=DELIVERY[s.delivery],
    )


# Built once: componentize-py runs this module while building the component
# and snapshots the result, so `describe` only hands it over.
DESCRIBED = types.DepartmentInfo(
    DEPARTMENT.id, wit_text(DEPARTMENT.name), CONTRACT_VERSION, [wit_service(s) for s in DEPARTMENT.services]
)


def labelled(rows: List[rules.Row]) -> List[types.Labelled]:
    return [types.Labelled(wit_text(label), value) for label, value in rows]


def record(summary: T, rows: List[rules.Row]) -> types.DataRecord:
    return types.DataRecord(wit_text(summary), labelled(rows))


def answers_of(answers: List[types.Answer]) -> Answers:
    # Every answer-value case carries its payload in `.value`.
    return Answers({a.field_id: a.value.value for a in answers})


def wit_error(failure: PluginFailure) -> types.PluginError:
    cases = {
        "not-found": types.PluginError_NotFound,
        "invalid-input": types.PluginError_InvalidInput,
        "unavailable": types.PluginError_Unavailable,
        "unsupported": types.PluginError_Unsupported,
    }
    return cases.get(failure.kind, types.PluginError_Other)(failure.message)


R = TypeVar("R")


def guarded(call: str, body: Callable[[], R]) -> R:
    """Runs an export: a `PluginFailure` becomes the WIT error; anything else
    is a bug, logged with its traceback before it traps."""
    try:
        return body()
    except PluginFailure as failure:
        raise Err(wit_error(failure))
    except Err:
        raise
    except Exception:
        log.log(log.Level.ERROR, f"{call} failed: {traceback.format_exc()}")
        raise


# ---- The department's systems ----


def backend(method: http.Method, path: str, payload: Optional[dict] = None) -> dict:
    """Calls the agriculture backend (the `backend` config key) and decodes
    its JSON. 404 → NotFound, other 4xx → InvalidInput, 5xx or no answer →
    Unavailable."""
    base = config.get("backend")
    if not base:
        raise Unavailable("the agriculture system is not configured (config key `backend`)")
    headers = [("accept", "application/json")]
    body = None
    if payload is not None:
        headers.append(("content-type", "application/json"))
        body = json.dumps(payload).encode()
    try:
        response = http.send(http.Request(method, base.rstrip("/") + path, headers, body))
    except Err as failed:
        error = failed.value
        if isinstance(error, http.HttpError_Timeout):
            raise Unavailable("the agriculture system did not answer in time") from None
        if isinstance(error, http.HttpError_Unreachable):
            raise Unavailable(f"the agriculture system is unreachable: {error.value}") from None
        if isinstance(error, http.HttpError_TooLarge):
            raise Unavailable("the agriculture system sent too large an answer") from None
        raise Unavailable(f"the agriculture system could not be called: {getattr(error, 'value', error)}") from None
    if response.status >= 500:
        raise Unavailable(f"the agriculture system failed (HTTP {response.status})")
    try:
        data = json.loads(response.body.decode("utf-8")) if response.body else {}
    except ValueError:
        raise Unavailable(f"the agriculture system sent malformed JSON (HTTP {response.status})") from None
    if response.status == 404:
        raise NotFound(data.get("error", "not found") if isinstance(data, dict) else "not found")
    if response.status >= 400:
        raise InvalidInput(data.get("error", f"HTTP {response.status}") if isinstance(data, dict) else "refused")
    return data


def farmer(aadhaar: str) -> Optional[dict]:
    """The farmer registry's record, or None when the Aadhaar is not in it."""
    try:
        return backend(http.Method.GET, f"/farmers/{quote(aadhaar, safe='')}")
    except NotFound:
        return None


def decide(reasons: List[T]) -> types.Decision:
    return types.Decision_Ineligible([wit_text(r) for r in reasons]) if reasons else types.Decision_Eligible()


# ---- check-eligibility ----

INFORMATION = {"rythu-bharosa", "soil-health-card", "ecrop-status", "weather-advisory"}


def eligibility(service_id: str, a: Answers) -> types.Decision:
    if service_id in INFORMATION:
        return types.Decision_Eligible()
    today = rules.today_in_india()
    if service_id == "crop-insurance":
        crop, season = a.text("crop"), a.text("season")
        reasons = rules.insurance_reasons(crop, season, a.number("loss-percent"), a.text("cause"), a.date("loss-date"), today)
        if reasons:
            return decide(reasons)
        record = farmer(a.text("aadhaar"))
        return decide(rules.ecrop_reasons(record, crop, season) if record else [rules.not_registered()])
    if service_id == "seed-subsidy":
        return decide(rules.seed_reasons(a.text("crop"), a.text("season"), a.number("land-acres"), a.number("quantity-kg")))
    if service_id == "msp-slot":
        crop, quintals = a.text("crop"), a.number("quintals")
        reasons = rules.msp_slot_reasons(crop, quintals, a.number("moisture"), a.date("date"), today)
        if reasons:
            return decide(reasons)
        record = farmer(a.text("aadhaar"))
        return decide(rules.msp_quota_reasons(record, crop, quintals) if record else [rules.not_registered()])
    if service_id == "machinery-subsidy":
        implement = a.text("implement")
        reasons = rules.machinery_reasons(implement, a.text("own-tractor") == "yes", a.number("land-acres"))
        if reasons:
            return decide(reasons)
        record = farmer(a.text("aadhaar"))
        return decide(rules.machinery_history_reasons(record, implement, today.year) if record else [rules.not_registered()])
    raise NotFound(f"no service {service_id!r} in agriculture")


# ---- fetch-data ----


def lookup(service_id: str, a: Answers) -> types.DataRecord:
    if service_id == "rythu-bharosa":
        payments = backend(http.Method.GET, f"/rythu-bharosa/{quote(a.text('aadhaar'), safe='')}")
        return record(*rules.rythu_bharosa_rows(payments))
    if service_id == "ecrop-status":
        found = farmer(a.text("aadhaar"))
        if found is None:
            raise NotFound("this Aadhaar is not in the farmer registry")
        return record(*rules.ecrop_rows(found, a.text("season")))
    if service_id == "soil-health-card":
        card = backend(http.Method.GET, "/soil-health?" + urlencode({"village": a.text("village"), "survey": a.text("survey")}))
        return record(*rules.soil_card_rows(card))
    if service_id == "weather-advisory":
        forecast = backend(http.Method.GET, f"/weather/{quote(a.text('district'), safe='')}")
        return record(*rules.weather_rows(forecast))
    if service_id == "msp-slot":
        found = farmer(a.text("aadhaar"))
        if found is None:
            raise NotFound("this Aadhaar is not in the farmer registry")
        crop = a.text("crop")
        if crop not in rules.MSP:
            raise InvalidInput(f"{crop} is not bought at MSP")
        quota, name = rules.msp_quota(found, crop), rules.crop_name(crop)
        return record(
            T(
                f"{name.en}: MSP {rupees(rules.MSP[crop])}/quintal; you may sell {quota:g} quintals more",
                f"{name.te}: మద్దతు ధర క్వింటాల్‌కు {rupees(rules.MSP[crop])}; ఇంకా {quota:g} క్వింటాళ్లు అమ్మవచ్చు",
                f"{name.hi}: एमएसपी {rupees(rules.MSP[crop])}/क्विंटल; आप {quota:g} क्विंटल और बेच सकते हैं",
            ),
            [
                (T("Rythu Seva Kendram", "రైతు సేవా కేంద్రం", "रायथु सेवा केंद्र"), found["rsk"]),
                (T("Minimum support price", "కనీస మద్దతు ధర", "न्यूनतम समर्थन मूल्य"), f"{rupees(rules.MSP[crop])} per quintal"),
                (T("Most moisture accepted", "గరిష్ఠ తేమ", "अधिकतम नमी"), f"{rules.MAX_MOISTURE[crop]}%"),
                (T("Quantity you may still sell", "ఇంకా అమ్మగలిగే పరిమాణం", "और बेच सकने की मात्रा"), f"{quota:g} quintals"),
            ],
        )
    if service_id in {s.id for s in DEPARTMENT.services}:
        raise Unsupported(f"{service_id} has no lookup")
    raise NotFound(f"no service {service_id!r} in agriculture")


# ---- render-document ----


def heading(en: str, te: str, hi: str) -> types.Text:
    return types.Text(f"{en} / {te}", f"{te} / {en}", f"{hi} / {te}")


def submitted_on(application: types.Application) -> str:
    try:
        return dmy(application.submitted_at[:10])
    except ValueError:
        return application.submitted_at


def farmer_rows(found: dict, aadhaar: str) -> List[rules.Row]:
    return [
        (T("Farmer", "రైతు", "किसान"), f"{found['name']} ({found['name_te']})"),
        (T("Father's name", "తండ్రి పేరు", "पिता का नाम"), found["father"]),
        (T("Aadhaar", "ఆధార్", "आधार"), mask_aadhaar(aadhaar)),
        (T("Address", "చిరునామా", "पता"), f"{found['village']}, {found['mandal']} mandal, {found['district']} district"),
        (T("Rythu Seva Kendram", "రైతు సేవా కేంద్రం", "रायथु सेवा केंद्र"), found["rsk"]),
    ]


def registered(aadhaar: str) -> dict:
    found = farmer(aadhaar)
    if found is None:
        raise NotFound("this Aadhaar is not in the farmer registry")
    return found


def document(service_id: str, application: types.Application) -> types.Document:
    a = answers_of(application.answers)
    number = (T("Application No.", "దరఖాస్తు సంఖ్య", "आवेदन संख्या"), application.number)
    on = (T("Submitted on", "సమర్పించిన తేదీ", "जमा करने की तारीख"), submitted_on(application))
    if service_id == "crop-insurance":
        aadhaar, crop, season = a.text("aadhaar"), a.text("crop"), a.text("season")
        found = registered(aadhaar)
        fields = rules.bookings_for(found, season, crop)
        surveys = ", ".join(f"{b['survey']} ({rules.acres(b['acres'])} ac)" for b in fields) or "—"
        rows = [number, *farmer_rows(found, aadhaar)] + [
            (T("Season", "సీజన్", "मौसम"), f"{rules.SEASONS[season].en} {fields[0]['year'] if fields else ''}".strip()),
            (T("Crop", "పంట", "फसल"), f"{rules.crop_name(crop).en} ({rules.crop_name(crop).te})"),
            (T("Survey numbers (e-Crop)", "సర్వే నంబర్లు (ఈ-క్రాప్)", "सर्वे नंबर (ई-क्रॉप)"), surveys),
            (T("Cause of loss", "నష్టానికి కారణం", "हानि का कारण"), rules.cause_name(a.text("cause"))),
            (T("Date of loss", "నష్టం తేదీ", "हानि की तारीख"), dmy(a.text("loss-date"))),
            (T("Loss reported", "తెలిపిన నష్టం", "बताई गई हानि"), f"{a.number('loss-percent'):g}%"),
            on,
        ]
        return types.Document(
            heading("Crop Insurance Claim Acknowledgement", "పంట బీమా క్లెయిమ్ రసీదు", "फसल बीमा दावा पावती"),
            labelled(rows),
            wit_text(
                T(
                    "The village agriculture assistant inspects the field within 7 days; an approved claim is paid to the Aadhaar-seeded bank account.",
                    "గ్రామ వ్యవసాయ సహాయకుడు 7 రోజుల్లో పొలాన్ని పరిశీలిస్తారు; ఆమోదించిన క్లెయిమ్ ఆధార్ అనుసంధాన ఖాతాకు జమ అవుతుంది.",
                    "ग्राम कृषि सहायक 7 दिन में खेत का निरीक्षण करेंगे; स्वीकृत दावा आधार से जुड़े खाते में जमा होगा।",
                )
            ),
            types.Layout.RECEIPT,
            None,
        )
    if service_id == "seed-subsidy":
        aadhaar, crop, season = a.text("aadhaar"), a.text("crop"), a.text("season")
        land, kg = a.number("land-acres"), a.number("quantity-kg")
        if rules.seed_reasons(crop, season, land, kg):
            raise InvalidInput("the answers do not qualify for subsidised seed")
        found = registered(aadhaar)
        quote_ = rules.seed_quote(crop, land, kg)
        rows = [number, *farmer_rows(found, aadhaar)] + [
            (T("Crop and season", "పంట, సీజన్", "फसल और मौसम"), f"{rules.crop_name(crop).en}, {rules.SEASONS[season].en}"),
            (T("Land", "భూమి", "भूमि"), f"{rules.acres(land)} acres"),
            (T("Seed quantity", "విత్తనాల పరిమాణం", "बीज की मात्रा"), f"{kg:g} kg"),
            (T("Full price", "పూర్తి ధర", "पूरा मूल्य"), rupees(quote_["full"])),
            (T("Subsidy", "రాయితీ", "सब्सिडी"), f"{quote_['percent']}% · {rupees(quote_['subsidy'])}"),
            (T("Farmer pays", "రైతు చెల్లించాలి", "किसान देगा"), rupees(quote_["farmer_pays"])),
            on,
        ]
        return types.Document(
            heading("Subsidised Seed Permit", "రాయితీ విత్తన పర్మిట్", "सब्सिडी बीज परमिट"),
            labelled(rows),
            wit_text(
                T(
                    "Collect the seed at your Rythu Seva Kendram with this permit and pay the farmer's share there.",
                    "ఈ పర్మిట్‌తో మీ రైతు సేవా కేంద్రంలో రైతు వాటా చెల్లించి విత్తనాలు తీసుకోండి.",
                    "इस परमिट के साथ अपने रायथु सेवा केंद्र से किसान का हिस्सा देकर बीज लें।",
                )
            ),
            types.Layout.RECEIPT,
            15,
        )
    if service_id == "msp-slot":
        aadhaar, crop, on_date = a.text("aadhaar"), a.text("crop"), a.text("date")
        quintals = a.number("quintals")
        slot = backend(
            http.Method.POST,
            "/msp/bookings",
            {"application": application.number, "aadhaar": aadhaar, "crop": crop, "quintals": quintals, "date": on_date},
        )
        rows = [
            (T("Token", "టోకెన్", "टोकन"), slot["token"]),
            number,
            (T("Farmer", "రైతు", "किसान"), f"{slot['name']} ({slot['name_te']})"),
            (T("Aadhaar", "ఆధార్", "आधार"), mask_aadhaar(aadhaar)),
            (T("Rythu Seva Kendram", "రైతు సేవా కేంద్రం", "रायथु सेवा केंद्र"), f"{slot['rsk']} ({slot['rsk_te']})"),
            (T("Date and slot", "తేదీ, సమయం", "तारीख और समय"), f"{dmy(slot['date'])}, {slot['slot']}"),
            (T("Crop", "పంట", "फसल"), rules.crop_name(crop).en),
            (T("Quantity", "పరిమాణం", "मात्रा"), f"{quintals:g} quintals"),
            (T("MSP", "మద్దతు ధర", "एमएसपी"), f"{rupees(rules.MSP[crop])} per quintal"),
            (T("Expected value", "అంచనా విలువ", "अनुमानित मूल्य"), rupees(rules.MSP[crop] * quintals)),
        ]
        days_left = (date.fromisoformat(slot["date"]) - rules.today_in_india()).days
        return types.Document(
            heading("MSP Procurement Token", "మద్దతు ధర కొనుగోలు టోకెన్", "एमएसपी खरीद टोकन"),
            labelled(rows),
            wit_text(
                T(
                    f"Bring the produce cleaned and dried (moisture at most {rules.MAX_MOISTURE[crop]}%) with your passbook. Payment reaches your bank within 48 hours of weighment.",
                    f"ధాన్యాన్ని శుభ్రం చేసి ఆరబెట్టి (తేమ {rules.MAX_MOISTURE[crop]}% లోపు) పాసు పుస్తకంతో తీసుకురండి. తూకం తర్వాత 48 గంటల్లో మీ ఖాతాకు డబ్బు జమ అవుతుంది.",
                    f"उपज साफ़ और सूखी (नमी {rules.MAX_MOISTURE[crop]}% तक) पासबुक के साथ लाएँ। तौल के 48 घंटे में भुगतान खाते में आएगा।",
                )
            ),
            types.Layout.RECEIPT,
            max(days_left, 0) + 1,
        )
    if service_id == "machinery-subsidy":
        aadhaar, implement = a.text("aadhaar"), a.text("implement")
        land = a.number("land-acres")
        if implement not in rules.IMPLEMENTS:
            raise InvalidInput(f"{implement} is not on the subsidy list")
        found = registered(aadhaar)
        name, price, ceiling, _ = rules.IMPLEMENTS[implement]
        percent = rules.machinery_subsidy_percent(a.text("category"), a.text("woman") == "yes", land)
        subsidy = rules.machinery_subsidy(implement, percent)
        rows = [number, *farmer_rows(found, aadhaar)] + [
            (T("Implement", "పరికరం", "यंत्र"), f"{name.en} ({name.te})"),
            (T("Reference price", "సూచిక ధర", "संदर्भ मूल्य"), rupees(price)),
            (T("Subsidy", "రాయితీ", "सब्सिडी"), f"{percent}% · {rupees(subsidy)} (ceiling {rupees(ceiling)})"),
            (T("Farmer's share", "రైతు వాటా", "किसान का हिस्सा"), rupees(price - subsidy)),
            (T("Land", "భూమి", "भूमि"), f"{rules.acres(land)} acres"),
            on,
        ]
        return types.Document(
            heading("Farm Machinery Subsidy Application", "వ్యవసాయ యంత్ర రాయితీ దరఖాస్తు", "कृषि यंत्र सब्सिडी आवेदन"),
            labelled(rows),
            wit_text(
                T(
                    "After sanction by the Mandal Agriculture Officer, buy from an empanelled dealer; the subsidy is paid to the dealer after the RSK verifies delivery.",
                    "మండల వ్యవసాయ అధికారి మంజూరు తర్వాత గుర్తింపు పొందిన డీలర్ వద్ద కొనండి; RSK ధృవీకరణ తర్వాత రాయితీ డీలర్‌కు చెల్లిస్తారు.",
                    "मंडल कृषि अधिकारी की मंज़ूरी के बाद सूचीबद्ध डीलर से खरीदें; RSK सत्यापन के बाद सब्सिडी डीलर को दी जाएगी।",
                )
            ),
            types.Layout.LETTER,
            None,
        )
    if service_id == "soil-health-card":
        card = backend(http.Method.GET, "/soil-health?" + urlencode({"village": a.text("village"), "survey": a.text("survey")}))
        summary, rows = rules.soil_card_rows(card)
        rows.insert(1, (T("Laboratory", "ప్రయోగశాల", "प्रयोगशाला"), card["lab"]))
        # Fields are resampled every two years; the card is good until then.
        age = (rules.today_in_india() - date.fromisoformat(card["sampled_on"])).days
        return types.Document(
            heading("Soil Health Card", "భూసార ఆరోగ్య కార్డు", "मृदा स्वास्थ्य कार्ड"),
            labelled(rows),
            wit_text(summary),
            types.Layout.CERTIFICATE,
            max(730 - age, 1),
        )
    if service_id in {s.id for s in DEPARTMENT.services}:
        raise Unsupported(f"{service_id} issues no document")
    raise NotFound(f"no service {service_id!r} in agriculture")


class WitWorld(wit_world.WitWorld):
    def describe(self) -> types.DepartmentInfo:
        return DESCRIBED

    def check_eligibility(self, service_id: str, applicant: types.Applicant, answers: List[types.Answer]) -> types.Decision:
        return guarded("check-eligibility", lambda: eligibility(service_id, answers_of(answers)))

    def fetch_data(self, service_id: str, query: List[types.Answer]) -> types.DataRecord:
        return guarded("fetch-data", lambda: lookup(service_id, answers_of(query)))

    def render_document(self, service_id: str, application: types.Application) -> types.Document:
        return guarded("render-document", lambda: document(service_id, application))
