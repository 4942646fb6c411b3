//! AP Endowments department: darshan, seva and room bookings at six
//! Endowments temples, prasadam orders, e-Hundi donations with an 80G
//! receipt, booking status and temple timings.
//!
//! The rules live in [`rules`] as pure functions; bookings are made at the
//! department system, which holds each slot's daily quota. A booking request
//! is idempotent there (one per mobile, temple and day), so rendering a ticket
//! repeats the request and gets the same booking back rather than a new one.

use mitra_sdk::prelude::*;
use serde::{Deserialize, Serialize};

mod backend;
mod rules;
mod services;

use rules::Delivery as Handover;

struct Endowments;

fn temple_answer(answers: &Answers<'_>) -> Result<(&'static str, rules::Name), PluginError> {
    let id = answers.choice("temple")?;
    rules::TEMPLES
        .iter()
        .find(|(t, _)| *t == id)
        .map(|(t, n)| (*t, *n))
        .ok_or_else(|| PluginError::InvalidInput(format!("no temple {id:?}")))
}

fn whole(answers: &Answers<'_>, field: &str) -> Result<u32, PluginError> {
    let n = answers.number(field)?;
    if n.fract() != 0.0 || !(0.0..=u32::MAX as f64).contains(&n) {
        return Err(PluginError::InvalidInput(format!("{field} must be a whole number")));
    }
    Ok(n as u32)
}

fn optional_text<'a>(answers: &Answers<'a>, field: &str) -> Result<Option<&'a str>, PluginError> {
    match answers.get(field) {
        Some(_) => answers.text(field).map(|t| Some(t.trim()).filter(|t| !t.is_empty())),
        None => Ok(None),
    }
}

fn handover(answers: &Answers<'_>) -> Result<Handover, PluginError> {
    match answers.choice("delivery")? {
        "post" => Ok(Handover::Post),
        "counter" => Ok(Handover::Counter),
        other => Err(PluginError::InvalidInput(format!("no delivery {other:?}"))),
    }
}

// ---- requests to the department system ----

#[derive(Serialize)]
struct DarshanRequest<'a> {
    temple: &'a str,
    date: String,
    darshan: &'a str,
    slot: &'a str,
    persons: u32,
    name: &'a str,
    mobile: &'a str,
}

fn darshan_request<'a>(answers: &Answers<'a>) -> Result<DarshanRequest<'a>, PluginError> {
    Ok(DarshanRequest {
        temple: temple_answer(answers)?.0,
        date: validate::iso_date(answers.date("date")?),
        darshan: answers.choice("darshan")?,
        slot: answers.choice("slot")?,
        persons: whole(answers, "persons")?,
        name: answers.text("name")?.trim(),
        mobile: answers.text("mobile")?,
    })
}

#[derive(Serialize)]
struct SevaRequest<'a> {
    temple: &'a str,
    seva: &'a str,
    date: String,
    name: &'a str,
    gotram: Option<&'a str>,
    mobile: &'a str,
}

fn seva_request<'a>(answers: &Answers<'a>) -> Result<SevaRequest<'a>, PluginError> {
    Ok(SevaRequest {
        temple: temple_answer(answers)?.0,
        seva: answers.choice("seva")?,
        date: validate::iso_date(answers.date("date")?),
        name: answers.text("name")?.trim(),
        gotram: optional_text(answers, "gotram")?,
        mobile: answers.text("mobile")?,
    })
}

#[derive(Serialize)]
struct RoomRequest<'a> {
    temple: &'a str,
    room: &'a str,
    check_in: String,
    nights: u32,
    guests: u32,
    name: &'a str,
    mobile: &'a str,
}

fn room_request<'a>(answers: &Answers<'a>) -> Result<RoomRequest<'a>, PluginError> {
    Ok(RoomRequest {
        temple: temple_answer(answers)?.0,
        room: answers.choice("room")?,
        check_in: validate::iso_date(answers.date("date")?),
        nights: whole(answers, "nights")?,
        guests: whole(answers, "guests")?,
        name: answers.text("name")?.trim(),
        mobile: answers.text("mobile")?,
    })
}

/// A booking as the department system reports it.
#[derive(Deserialize)]
struct Booking {
    id: String,
    kind: String,
    status: String,
    temple: String,
    date: String,
    item: String,
    item_name: String,
    slot: Option<String>,
    count: u32,
    nights: Option<u32>,
    name: String,
    gotram: Option<String>,
    mobile_masked: String,
    amount_rupees: u64,
    vpa: Option<String>,
}

fn kind_name(kind: &str) -> (&'static str, &'static str, &'static str) {
    match kind {
        "darshan" => ("Darshan", "దర్శనం", "दर्शन"),
        "seva" => ("Seva", "సేవ", "सेवा"),
        "room" => ("Room", "గది", "कमरा"),
        "prasadam" => ("Prasadam", "ప్రసాదం", "प्रसाद"),
        _ => ("Donation", "విరాళం", "दान"),
    }
}

fn status_text(status: &str) -> Text {
    match status {
        "confirmed" => Text::new("Confirmed").te("నిర్ధారించబడింది").hi("पुष्ट"),
        "pending-payment" => Text::new("Awaiting payment").te("చెల్లింపు కోసం వేచి ఉంది").hi("भुगतान बाकी"),
        "cancelled" => Text::new("Cancelled").te("రద్దు చేయబడింది").hi("रद्द"),
        other => Text::new(other),
    }
}

/// The item's name in the citizen's languages where the catalogue knows it.
fn item_text(b: &Booking) -> Text {
    let known = match b.kind.as_str() {
        "darshan" => rules::DARSHAN.iter().find(|d| d.id == b.item).map(|d| d.label),
        "seva" => rules::seva(&b.item),
        "room" => rules::ROOMS.iter().find(|r| r.0 == b.item).map(|r| r.1),
        "prasadam" => rules::PRASADAM.iter().find(|p| p.0 == b.item).map(|p| p.1),
        _ => rules::purpose(&b.item),
    };
    known.map_or_else(|| Text::new(b.item_name.as_str()), rules::Name::text)
}

fn booking_record(b: &Booking) -> DataRecord {
    let (kind_en, kind_te, kind_hi) = kind_name(&b.kind);
    let temple =
        rules::temple(&b.temple).unwrap_or(rules::Name { en: "Temple", te: "ఆలయం", hi: "मंदिर" });
    let date = rules::display(&b.date);
    let amount = rules::rupees_text(b.amount_rupees * 100);
    let status = status_text(&b.status);
    let mut summary = Text::new(format!("{kind_en} {}: {} · {} · {date}", b.id, temple.en, status.en))
        .te(format!("{kind_te} {}: {} · {} · {date}", b.id, temple.te, status.te.as_deref().unwrap_or_default()))
        .hi(format!("{kind_hi} {}: {} · {} · {date}", b.id, temple.hi, status.hi.as_deref().unwrap_or_default()));
    let payable = b.status == "pending-payment" && b.amount_rupees > 0;
    if payable {
        summary.en.push_str(&format!(" · pay {amount} to confirm"));
        summary.te = summary.te.map(|t| format!("{t} · నిర్ధారణకు {amount} చెల్లించండి"));
        summary.hi = summary.hi.map(|t| format!("{t} · पुष्टि के लिए {amount} चुकाएँ"));
    }
    let (date_label, count_label) = match b.kind.as_str() {
        "darshan" => (Text::new("Date of darshan").te("దర్శనం తేదీ"), Text::new("Devotees").te("భక్తులు")),
        "seva" => (Text::new("Date of seva").te("సేవ తేదీ"), Text::new("Tickets").te("టికెట్లు")),
        "room" => (Text::new("Check-in").te("చెక్-ఇన్"), Text::new("Guests").te("అతిథులు")),
        "prasadam" => (Text::new("Collect or dispatch on").te("తీసుకునే/పంపే తేదీ"), Text::new("Packets").te("ప్యాకెట్లు")),
        _ => (Text::new("Date").te("తేదీ"), Text::new("Count").te("సంఖ్య")),
    };
    let mut record = DataRecord::new(summary)
        .field(Text::new("Booking ID").te("బుకింగ్ ఐడీ").hi("बुकिंग आईडी"), b.id.as_str())
        .field(Text::new("Temple").te("ఆలయం").hi("मंदिर"), temple.en)
        .field(Text::new(kind_en).te(kind_te).hi(kind_hi), item_text(b).en)
        .field(date_label, date);
    if let Some(slot) = &b.slot {
        record = record.field(Text::new("Time").te("సమయం").hi("समय"), slot.as_str());
    }
    if b.kind != "donation" {
        record = record.field(count_label, b.count.to_string());
    }
    if let Some(nights) = b.nights {
        record = record.field(Text::new("Nights").te("రాత్రులు").hi("रातें"), nights.to_string());
    }
    record = record
        .field(Text::new("Name").te("పేరు").hi("नाम"), b.name.as_str())
        .field(Text::new("Mobile").te("మొబైల్").hi("मोबाइल"), b.mobile_masked.as_str())
        .field(Text::new("Amount").te("మొత్తం").hi("राशि"), amount)
        .field(Text::new("Status").te("స్థితి").hi("स्थिति"), status.en);
    if let Some(gotram) = &b.gotram {
        record = record.field(Text::new("Gotram").te("గోత్రం"), gotram.as_str());
    }
    if let (true, Some(vpa)) = (payable, &b.vpa) {
        let note = format!("{kind_en} {} {}", temple.en, b.date);
        let link = rules::upi_link(vpa, &format!("{} Devasthanam", temple.en), b.amount_rupees * 100, &b.id, &note);
        record = record.field(Text::new("Pay by UPI").te("UPI ద్వారా చెల్లించండి").hi("UPI से भुगतान"), link);
    }
    if matches!(b.kind.as_str(), "darshan" | "seva") && b.status != "cancelled" {
        record = record.field(
            Text::new("Remember").te("గుర్తుంచుకోండి").hi("ध्यान दें"),
            "Report 30 minutes early with the original photo ID; traditional dress only.",
        );
    }
    record
}

/// A ticket or receipt for a booking, valid through its day (and a room's nights).
fn ticket(b: &Booking, application: &Application, title: Text) -> Document {
    let record = booking_record(b);
    let mut doc = Document::new(title, Layout::Receipt)
        .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య"), application.number.as_str());
    for field in record.fields.into_iter().filter(|f| f.label.en != "Pay by UPI") {
        doc = doc.field(field.label, field.value);
    }
    let submitted = application.submitted_at.get(..10).and_then(|d| validate::date(d).ok());
    if let (Some(submitted), Ok(day)) = (submitted, validate::date(&b.date)) {
        let days = (day - submitted).whole_days() + 1 + i64::from(b.nights.unwrap_or(0));
        doc = doc.valid_days(days.clamp(1, 60) as u32);
    }
    doc.body(
        Text::new(
            "Show this ticket and the original photo ID at the entrance. Men: dhoti or pyjama with upper cloth; \
             women: saree or churidar with dupatta. Mobile phones are deposited at the counter.",
        )
        .te("ప్రవేశ ద్వారం వద్ద ఈ టికెట్, అసలు గుర్తింపు కార్డు చూపండి. పురుషులు: పంచె/పైజామా, ఉత్తరీయం; \
             స్త్రీలు: చీర లేదా చుడీదార్, దుపట్టా. మొబైల్ ఫోన్లను కౌంటర్‌లో ఉంచాలి."),
    )
}

#[derive(Deserialize)]
struct Availability {
    slots: Vec<SlotLeft>,
}

#[derive(Deserialize)]
struct SlotLeft {
    darshan: String,
    slot: String,
    quota: u32,
    remaining: u32,
}

#[derive(Deserialize)]
struct TempleInfo {
    deity: String,
    town: String,
    district: String,
    opens: String,
    closes: String,
    darshan_hours: String,
    dress_code: String,
    website: String,
    sevas: Vec<SevaInfo>,
}

#[derive(Deserialize)]
struct SevaInfo {
    name: String,
    fee_rupees: u64,
    time: String,
}

fn fetch_slots(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let (temple, name) = temple_answer(answers)?;
    let date = validate::iso_date(answers.date("date")?);
    let found: Availability = backend::get(&format!("/darshan/availability?temple={temple}&date={date}"))?;
    let shown = rules::display(&date);
    let open: u32 = found.slots.iter().map(|s| s.remaining).sum();
    let mut record = DataRecord::new(
        Text::new(format!("{}, {shown}: {open} darshan places left", name.en))
            .te(format!("{}, {shown}: {open} దర్శనం ఖాళీలు ఉన్నాయి", name.te))
            .hi(format!("{}, {shown}: {open} दर्शन स्थान शेष", name.hi)),
    );
    for s in &found.slots {
        let kind = rules::DARSHAN.iter().find(|d| d.id == s.darshan).map(|d| d.label);
        let slot = rules::slot(&s.slot);
        let (Some(kind), Some(slot)) = (kind, slot) else { continue };
        let label = Text::new(format!("{} · {}", kind.en, slot.en))
            .te(format!("{} · {}", kind.te, slot.te))
            .hi(format!("{} · {}", kind.hi, slot.hi));
        let value = if s.remaining == 0 { "Full".to_owned() } else { format!("{} of {} left", s.remaining, s.quota) };
        record = record.field(label, value);
    }
    Ok(record)
}

fn fetch_timings(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let (temple, name) = temple_answer(answers)?;
    let t: TempleInfo = backend::get(&format!("/temples/{temple}"))?;
    let sevas: Vec<String> = t
        .sevas
        .iter()
        .map(|s| format!("{} {} at {}", s.name, rules::rupees_text(s.fee_rupees * 100), s.time))
        .collect();
    Ok(DataRecord::new(
        Text::new(format!("{}: open {}–{}, darshan {}", name.en, t.opens, t.closes, t.darshan_hours))
            .te(format!("{}: {}–{} తెరిచి ఉంటుంది, దర్శనం {}", name.te, t.opens, t.closes, t.darshan_hours))
            .hi(format!("{}: {}–{} खुला, दर्शन {}", name.hi, t.opens, t.closes, t.darshan_hours)),
    )
    .field(Text::new("Deity").te("దేవత").hi("देवता"), t.deity)
    .field(Text::new("Place").te("ప్రదేశం").hi("स्थान"), format!("{}, {} district", t.town, t.district))
    .field(Text::new("Temple opens").te("ఆలయం తెరిచే సమయం").hi("मंदिर खुलता है"), t.opens)
    .field(Text::new("Temple closes").te("ఆలయం మూసే సమయం").hi("मंदिर बंद होता है"), t.closes)
    .field(Text::new("Darshan hours").te("దర్శనం వేళలు").hi("दर्शन समय"), t.darshan_hours)
    .field(Text::new("Sevas").te("సేవలు").hi("सेवाएँ"), sevas.join("; "))
    .field(Text::new("Dress code").te("వస్త్రధారణ").hi("वेशभूषा"), t.dress_code)
    .field(Text::new("Website").te("వెబ్‌సైట్").hi("वेबसाइट"), t.website))
}

#[derive(Serialize)]
struct PrasadamRequest<'a> {
    temple: &'a str,
    item: &'a str,
    packets: u32,
    delivery: &'a str,
    date: String,
    pincode: Option<&'a str>,
    name: &'a str,
    mobile: &'a str,
}

#[derive(Serialize)]
struct DonationRequest<'a> {
    temple: &'a str,
    purpose: &'a str,
    amount_rupees: u64,
    name: &'a str,
    mobile: &'a str,
}

fn fetch_prasadam(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let delivery = handover(answers)?;
    let date = match (delivery, answers.get("date")) {
        (Handover::Counter, Some(_)) => answers.date("date")?,
        (Handover::Counter, None) => return Err(PluginError::InvalidInput("a collection date is needed".into())),
        // Posted prasadam is packed and dispatched from today.
        (Handover::Post, _) => validate::today_in_india(),
    };
    let order = PrasadamRequest {
        temple: temple_answer(answers)?.0,
        item: answers.choice("item")?,
        packets: whole(answers, "packets")?,
        delivery: if delivery == Handover::Post { "post" } else { "counter" },
        date: validate::iso_date(date),
        pincode: if delivery == Handover::Post { optional_text(answers, "pincode")? } else { None },
        name: answers.text("name")?.trim(),
        mobile: answers.text("mobile")?,
    };
    let booking: Booking = backend::post("/prasadam/orders", &order)?;
    Ok(booking_record(&booking))
}

fn fetch_donation(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let gift = DonationRequest {
        temple: temple_answer(answers)?.0,
        purpose: answers.choice("purpose")?,
        amount_rupees: u64::from(whole(answers, "amount")?),
        name: answers.text("name")?.trim(),
        mobile: answers.text("mobile")?,
    };
    let booking: Booking = backend::post("/donations", &gift)?;
    Ok(booking_record(&booking))
}

fn donation_receipt(application: &Application) -> Result<Document, PluginError> {
    let answers = Answers::new(&application.answers);
    let (_, temple) = temple_answer(&answers)?;
    let purpose_id = answers.choice("purpose")?;
    let purpose =
        rules::purpose(purpose_id).ok_or_else(|| PluginError::InvalidInput(format!("no scheme {purpose_id:?}")))?;
    let rupees = u64::from(whole(&answers, "amount")?);
    let pan = optional_text(&answers, "pan")?.map(rules::normalise_pan).filter(|p| rules::valid_pan(p));
    let date = application.submitted_at.get(..10).map(rules::display).unwrap_or_default();
    let mut doc =
        Document::new(Text::new("Donation Receipt / విరాళం రసీదు").te("విరాళం రసీదు / Donation Receipt"), Layout::Receipt)
            .field(Text::new("Receipt No.").te("రసీదు సంఖ్య"), application.number.as_str())
            .field(Text::new("Date").te("తేదీ"), date)
            .field(Text::new("Devasthanam").te("దేవస్థానం"), format!("{} / {}", temple.en, temple.te))
            .field(Text::new("Scheme").te("పథకం"), format!("{} / {}", purpose.en, purpose.te))
            .field(Text::new("Received from").te("దాత పేరు"), answers.text("name")?.trim())
            .field(Text::new("Address").te("చిరునామా"), answers.text("address")?.trim())
            .field(Text::new("Amount").te("మొత్తం"), rules::rupees_text(rupees * 100))
            .field(Text::new("Amount in words").te("అక్షరాలలో"), rules::rupees_in_words(rupees))
            .field(Text::new("Mode of payment").te("చెల్లింపు విధానం"), "UPI");
    let note = if let Some(pan) = pan {
        doc = doc.field(Text::new("Donor's PAN").te("దాత పాన్"), pan);
        Text::new(
            "Section 80G note: donations to this Devasthanam's schemes qualify for deduction under Section 80G of \
             the Income Tax Act, 1961, under the approval in force. The Devasthanam reports this donation in Form \
             10BD; the donor's certificate in Form 10BE follows from the Income Tax portal.",
        )
        .te("80G గమనిక: ఈ దేవస్థానం పథకాలకు ఇచ్చిన విరాళాలు ఆదాయపు పన్ను చట్టం, 1961 సెక్షన్ 80G కింద అమలులో ఉన్న \
             ఆమోదం మేరకు మినహాయింపునకు అర్హం. దేవస్థానం ఈ విరాళాన్ని ఫారం 10BD లో నివేదిస్తుంది; దాతకు ఫారం 10BE \
             ధృవీకరణ పత్రం ఆదాయపు పన్ను పోర్టల్ నుంచి వస్తుంది.")
    } else {
        Text::new(
            "Section 80G note: no PAN was given, so this donation cannot be reported in Form 10BD and this receipt \
             does not support a deduction under Section 80G.",
        )
        .te("80G గమనిక: పాన్ ఇవ్వనందున ఈ విరాళాన్ని ఫారం 10BD లో నివేదించలేము; ఈ రసీదుపై సెక్షన్ 80G మినహాయింపు రాదు.")
    };
    doc = doc.body(note);
    Ok(doc)
}

impl Department for Endowments {
    fn describe() -> DepartmentInfo {
        services::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        let today = validate::today_in_india();
        Ok(match service {
            "darshan" => rules::darshan(
                answers.choice("temple")?,
                answers.choice("darshan")?,
                whole(answers, "persons")?,
                answers.date("date")?,
                today,
            ),
            "darshan-slots" => {
                temple_answer(answers)?;
                rules::date_reason(answers.date("date")?, today).map_or(Decision::Eligible, Decision::ineligible)
            }
            "seva" => {
                rules::seva_booking(answers.choice("temple")?, answers.choice("seva")?, answers.date("date")?, today)
            }
            "accommodation" => rules::room(
                answers.choice("room")?,
                whole(answers, "nights")?,
                whole(answers, "guests")?,
                answers.date("date")?,
                today,
            ),
            "donation" => rules::donation(u64::from(whole(answers, "amount")?), optional_text(answers, "pan")?),
            "prasadam" => {
                let collect_on = match answers.get("date") {
                    Some(_) => Some(answers.date("date")?),
                    None => None,
                };
                rules::prasadam(
                    answers.choice("temple")?,
                    answers.choice("item")?,
                    whole(answers, "packets")?,
                    handover(answers)?,
                    collect_on,
                    optional_text(answers, "pincode")?.is_some(),
                    today,
                )
            }
            "booking-status" => match rules::booking_id(answers.text("booking-id")?) {
                Some(_) => Decision::Eligible,
                None => Decision::NeedsMore(vec!["booking-id".into()]),
            },
            "timings" => {
                temple_answer(answers)?;
                Decision::Eligible
            }
            other => return Err(PluginError::NotFound(format!("no service {other:?}"))),
        })
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        let booking: Booking = match service {
            "darshan" => backend::post("/darshan/bookings", &darshan_request(query)?)?,
            "seva" => backend::post("/sevas/bookings", &seva_request(query)?)?,
            "accommodation" => backend::post("/rooms/bookings", &room_request(query)?)?,
            "booking-status" => {
                let id = rules::booking_id(query.text("booking-id")?)
                    .ok_or_else(|| PluginError::InvalidInput("a booking ID looks like SRS-DAR-100004".into()))?;
                backend::get(&format!("/bookings/{id}"))?
            }
            "darshan-slots" => return fetch_slots(query),
            "timings" => return fetch_timings(query),
            "prasadam" => return fetch_prasadam(query),
            "donation" => return fetch_donation(query),
            other => return Err(PluginError::NotFound(format!("no service {other:?}"))),
        };
        Ok(booking_record(&booking))
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        let answers = Answers::new(&application.answers);
        // The department system answers a repeated request with the booking it
        // already made, so the ticket carries the real booking ID and amount.
        let (booking, title): (Booking, Text) = match service {
            "darshan" => (
                backend::post("/darshan/bookings", &darshan_request(&answers)?)?,
                Text::new("Darshan Ticket / దర్శనం టికెట్").te("దర్శనం టికెట్ / Darshan Ticket"),
            ),
            "seva" => (
                backend::post("/sevas/bookings", &seva_request(&answers)?)?,
                Text::new("Seva Ticket / సేవా టికెట్").te("సేవా టికెట్ / Seva Ticket"),
            ),
            "accommodation" => (
                backend::post("/rooms/bookings", &room_request(&answers)?)?,
                Text::new("Room Allotment / గది కేటాయింపు").te("గది కేటాయింపు / Room Allotment"),
            ),
            "donation" => return donation_receipt(application),
            other => return Err(PluginError::Unsupported(format!("{other} issues no document"))),
        };
        Ok(ticket(&booking, application, title))
    }
}

mitra_sdk::export_department!(Endowments);
