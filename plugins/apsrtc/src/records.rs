//! What the citizen reads: the department's replies shaped into records and
//! documents. Labels carry the words in each language; values stay numbers,
//! codes and names so they read the same in all three.

use mitra_sdk::prelude::*;

use crate::backend::{Bus, BusList, Complaint, Parcel, Ticket};
use crate::rules::{self, PassKind, PassTerms, Refund, class_name, display_date, rupees};

fn route(from: &str, to: &str) -> String {
    format!("{from} → {to}")
}

fn bus_label(bus: &Bus) -> Text {
    let class = class_name(&bus.class);
    let times = format!("{}–{}{}", bus.departure, bus.arrival, if bus.arrives_next_day { "+1" } else { "" });
    let (en, te, hi) = match (bus.reservable, bus.seats_available, bus.booking_open) {
        (false, _, _) => (" (no reservation)", " (రిజర్వేషన్ లేదు)", " (आरक्षण नहीं)"),
        (true, Some(0), _) => (" (full)", " (నిండిపోయింది)", " (भरी हुई)"),
        (true, _, false) => (" (booking closed)", " (బుకింగ్ ముగిసింది)", " (बुकिंग बंद)"),
        _ => ("", "", ""),
    };
    Text::new(format!("{times} {} · {}{en}", class.en, bus.service_no))
        .te(format!("{times} {} · {}{te}", class.get(Language::Te), bus.service_no))
        .hi(format!("{times} {} · {}{hi}", class.get(Language::Hi), bus.service_no))
}

/// The buses on a route and date, one line each: times, type, service number; fare and seats.
pub(crate) fn bus_list(list: &BusList) -> DataRecord {
    let date = display_date(&list.date);
    let n = list.services.len();
    let mut record = DataRecord::new(
        Text::new(format!("{n} buses {} on {date} ({} km)", route(&list.from, &list.to), list.distance_km))
            .te(format!("{}: {date}న {n} బస్సులు ({} కి.మీ.)", route(&list.from_te, &list.to_te), list.distance_km))
            .hi(format!("{}: {date} को {n} बसें ({} कि.मी.)", route(&list.from, &list.to), list.distance_km)),
    );
    for bus in &list.services {
        let seats = bus.seats_available.map(|s| format!(" · 💺{s}")).unwrap_or_default();
        record = record.field(bus_label(bus), format!("{}{seats}", rupees(bus.fare.into())));
    }
    record
}

/// The fare for `seats` seats on one service, before booking.
pub(crate) fn fare_quote(bus: &Bus, seats: u32) -> DataRecord {
    let total = bus.fare * seats + bus.reservation_fee;
    let class = class_name(&bus.class);
    let date = display_date(&bus.date);
    DataRecord::new(
        Text::new(format!(
            "{} {} {}, {date} {}: {} for {seats}",
            class.en,
            bus.service_no,
            route(&bus.from, &bus.to),
            bus.departure,
            rupees(total.into())
        ))
        .te(format!(
            "{} {} {}, {date} {}: {seats} సీట్లకు {}",
            class.get(Language::Te),
            bus.service_no,
            route(&bus.from_te, &bus.to_te),
            bus.departure,
            rupees(total.into())
        ))
        .hi(format!(
            "{} {} {}, {date} {}: {seats} सीटों के लिए {}",
            class.get(Language::Hi),
            bus.service_no,
            route(&bus.from, &bus.to),
            bus.departure,
            rupees(total.into())
        )),
    )
    .field(bus_label(bus), route(&bus.from, &bus.to))
    .field(Text::new("Journey time").te("ప్రయాణ సమయం").hi("यात्रा समय"), rules::duration(bus.duration_minutes))
    .field(Text::new("Distance").te("దూరం").hi("दूरी"), format!("{} km", bus.distance_km))
    .field(
        Text::new("Seats available").te("ఖాళీ సీట్లు").hi("उपलब्ध सीटें"),
        bus.seats_available.map_or_else(|| "—".to_owned(), |s| s.to_string()),
    )
    .field(Text::new("Fare per seat").te("ఒక్కో సీటు ఛార్జీ").hi("प्रति सीट किराया"), rupees(bus.fare.into()))
    .field(Text::new("Reservation fee").te("రిజర్వేషన్ రుసుము").hi("आरक्षण शुल्क"), rupees(bus.reservation_fee.into()))
    .field(Text::new("Total").te("మొత్తం").hi("कुल"), rupees(total.into()))
}

fn status_text(status: &str) -> Text {
    match status {
        "booked" => Text::new("Confirmed").te("ధృవీకరించబడింది").hi("पुष्ट"),
        "cancelled" => Text::new("Cancelled").te("రద్దు అయింది").hi("रद्द"),
        "travelled" => Text::new("Travelled").te("ప్రయాణం పూర్తయింది").hi("यात्रा पूरी"),
        other => Text::new(other),
    }
}

/// A ticket's status as the reservation system holds it.
pub(crate) fn ticket_status(ticket: &Ticket) -> DataRecord {
    let status = status_text(&ticket.status);
    let when = format!("{} {}", display_date(&ticket.date), ticket.departure);
    let mut record = DataRecord::new(
        Text::new(format!("PNR {}: {} — {}, {when}", ticket.pnr, status.en, route(&ticket.from, &ticket.to)))
            .te(format!(
                "PNR {}: {} — {}, {when}",
                ticket.pnr,
                status.get(Language::Te),
                route(&ticket.from_te, &ticket.to_te)
            ))
            .hi(format!(
                "PNR {}: {} — {}, {when}",
                ticket.pnr,
                status.get(Language::Hi),
                route(&ticket.from, &ticket.to)
            )),
    )
    .field(
        Text::new("Service").te("సర్వీసు").hi("सेवा"),
        format!("{} {}", ticket.service_no, class_name(&ticket.class).en),
    )
    .field(Text::new("Departure").te("బయలుదేరే సమయం").hi("प्रस्थान"), when)
    .field(Text::new("Arrival").te("చేరే సమయం").hi("आगमन"), ticket.arrival.as_str())
    .field(Text::new("Passenger").te("ప్రయాణికుడు").hi("यात्री"), ticket.passenger.as_str())
    .field(Text::new("Seats").te("సీట్లు").hi("सीटें"), seat_list(ticket))
    .field(Text::new("Amount paid").te("చెల్లించిన మొత్తం").hi("भुगतान राशि"), rupees(ticket.total.into()));
    if let Some(cancellation) = &ticket.cancellation {
        record = record.field(
            Text::new("Refund").te("వాపసు").hi("धनवापसी"),
            format!("{} ({})", rupees(cancellation.refund.into()), display_date(&cancellation.cancelled_on)),
        );
    }
    record
}

fn seat_list(ticket: &Ticket) -> String {
    ticket.seat_numbers.iter().map(u32::to_string).collect::<Vec<_>>().join(", ")
}

/// What cancelling now would return; `refund` is `None` when it is too late.
pub(crate) fn refund_quote(ticket: &Ticket, refund: Option<Refund>) -> DataRecord {
    let summary = match refund {
        Some(r) => Text::new(format!("Cancelling PNR {} now refunds {}", ticket.pnr, rupees(r.amount.into())))
            .te(format!("PNR {} ఇప్పుడు రద్దు చేస్తే {} వాపసు", ticket.pnr, rupees(r.amount.into())))
            .hi(format!("PNR {} अभी रद्द करने पर {} वापस", ticket.pnr, rupees(r.amount.into()))),
        None => Text::new(format!("PNR {} can no longer be cancelled", ticket.pnr))
            .te(format!("PNR {} ఇక రద్దు చేయలేరు", ticket.pnr))
            .hi(format!("PNR {} अब रद्द नहीं हो सकता", ticket.pnr)),
    };
    let mut record = DataRecord::new(summary)
        .field(
            Text::new("Journey").te("ప్రయాణం").hi("यात्रा"),
            format!("{} {} {}", route(&ticket.from, &ticket.to), display_date(&ticket.date), ticket.departure),
        )
        .field(Text::new("Amount paid").te("చెల్లించిన మొత్తం").hi("भुगतान राशि"), rupees(ticket.total.into()))
        .field(
            Text::new("Reservation fee (not refunded)").te("రిజర్వేషన్ రుసుము (వాపసు లేదు)").hi("आरक्षण शुल्क (वापस नहीं)"),
            rupees(ticket.reservation_fee.into()),
        );
    if let Some(r) = refund {
        record = record
            .field(Text::new("Deduction").te("కోత").hi("कटौती"), format!("{}%", r.deduction_percent))
            .field(Text::new("Refund").te("వాపసు").hi("धनवापसी"), rupees(r.amount.into()));
    }
    record
}

fn parcel_status(status: &str) -> Text {
    match status {
        "booked" => Text::new("Booked at the counter").te("కౌంటర్‌లో బుక్ అయింది").hi("काउंटर पर बुक"),
        "dispatched" => Text::new("On the way").te("మార్గంలో ఉంది").hi("रास्ते में"),
        "arrived" => Text::new("Arrived, ready to collect").te("చేరింది, తీసుకోవచ్చు").hi("पहुँचा, ले सकते हैं"),
        "delivered" => Text::new("Delivered").te("అందజేయబడింది").hi("सौंप दिया गया"),
        other => Text::new(other),
    }
}

/// Where a parcel is, with its movements so far.
pub(crate) fn parcel(parcel: &Parcel) -> DataRecord {
    let status = parcel_status(&parcel.status);
    let mut record = DataRecord::new(
        Text::new(format!("Parcel {}: {} ({})", parcel.lr, status.en, route(&parcel.from, &parcel.to)))
            .te(format!("పార్సెల్ {}: {} ({})", parcel.lr, status.get(Language::Te), route(&parcel.from_te, &parcel.to_te)))
            .hi(format!("पार्सल {}: {} ({})", parcel.lr, status.get(Language::Hi), route(&parcel.from, &parcel.to))),
    )
    .field(Text::new("Booked on").te("బుకింగ్ తేదీ").hi("बुकिंग तिथि"), display_date(&parcel.booked_on))
    .field(Text::new("Sender").te("పంపినవారు").hi("भेजने वाला"), parcel.sender.as_str())
    .field(Text::new("Receiver").te("అందుకునేవారు").hi("प्राप्तकर्ता"), parcel.receiver.as_str())
    .field(
        Text::new("Packages, weight").te("ప్యాకేజీలు, బరువు").hi("पैकेज, वज़न"),
        format!("{} · {} kg", parcel.packages, parcel.weight_kg),
    )
    .field(Text::new("Charges paid").te("చెల్లించిన ఛార్జీ").hi("भुगतान शुल्क"), rupees(parcel.charges.into()))
    .field(Text::new("Collect at").te("ఇక్కడ తీసుకోండి").hi("यहाँ से लें"), parcel.collect_at.as_str());
    for event in &parcel.events {
        let step = parcel_status(&event.status);
        record = record.field(
            Text::new(format!("{} {}: {}", display_date(&event.date), event.time, step.en))
                .te(format!("{} {}: {}", display_date(&event.date), event.time, step.get(Language::Te)))
                .hi(format!("{} {}: {}", display_date(&event.date), event.time, step.get(Language::Hi))),
            event.place.as_str(),
        );
    }
    record
}

/// The e-ticket: what a conductor checks against the reservation chart.
pub(crate) fn ticket_document(ticket: &Ticket, application: &str) -> Document {
    let days_to_travel = u32::try_from(ticket.minutes_to_departure.max(0) / 1440).unwrap_or(0);
    let class = class_name(&ticket.class);
    Document::new(
        Text::new("APSRTC Bus Ticket / ఏపీఎస్ఆర్టీసీ బస్ టికెట్")
            .te("ఏపీఎస్ఆర్టీసీ బస్ టికెట్ / APSRTC Bus Ticket")
            .hi("एपीएसआरटीसी बस टिकट / APSRTC Bus Ticket"),
        Layout::Receipt,
    )
    .field(Text::new("PNR").te("పీఎన్ఆర్").hi("पीएनआर"), ticket.pnr.as_str())
    .field(Text::new("Service").te("సర్వీసు").hi("सेवा"), format!("{} · {}", ticket.service_no, class.en))
    .field(Text::new("From").te("నుంచి").hi("से"), format!("{} / {}", ticket.from, ticket.from_te))
    .field(Text::new("To").te("వరకు").hi("तक"), format!("{} / {}", ticket.to, ticket.to_te))
    .field(Text::new("Journey date").te("ప్రయాణ తేదీ").hi("यात्रा तिथि"), display_date(&ticket.date))
    .field(Text::new("Departure").te("బయలుదేరే సమయం").hi("प्रस्थान"), ticket.departure.as_str())
    .field(Text::new("Arrival").te("చేరే సమయం").hi("आगमन"), ticket.arrival.as_str())
    .field(Text::new("Passenger").te("ప్రయాణికుడు").hi("यात्री"), ticket.passenger.as_str())
    .field(Text::new("Age").te("వయస్సు").hi("आयु"), ticket.age.to_string())
    .field(Text::new("Seats").te("సీట్లు").hi("सीटें"), format!("{} ({})", ticket.seats, seat_list(ticket)))
    .field(Text::new("Mobile").te("మొబైల్").hi("मोबाइल"), rules::mask_phone(&ticket.phone))
    .field(
        Text::new("Fare").te("ఛార్జీ").hi("किराया"),
        format!("{} × {}", rupees(ticket.fare_per_seat.into()), ticket.seats),
    )
    .field(Text::new("Reservation fee").te("రిజర్వేషన్ రుసుము").hi("आरक्षण शुल्क"), rupees(ticket.reservation_fee.into()))
    .field(Text::new("Total paid").te("మొత్తం చెల్లింపు").hi("कुल भुगतान"), rupees(ticket.total.into()))
    .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య").hi("आवेदन संख्या"), application)
    .body(
        Text::new(
            "Show this ticket and a photo ID to the conductor. Board 15 minutes before departure. \
             Cancellation: 10% deducted 48 hours or more before departure, 25% from 24 hours, 50% from 2 hours; \
             no cancellation within 2 hours. The reservation fee is not refunded.",
        )
        .te("ఈ టికెట్, ఫోటో గుర్తింపు కార్డు కండక్టర్‌కు చూపండి. బయలుదేరే 15 నిమిషాల ముందు ఎక్కండి. \
             రద్దు: 48 గంటల ముందు 10%, 24 గంటల ముందు 25%, 2 గంటల ముందు 50% కోత; 2 గంటల లోపు రద్దు లేదు. \
             రిజర్వేషన్ రుసుము వాపసు ఇవ్వబడదు.")
        .hi("यह टिकट और फ़ोटो पहचान पत्र कंडक्टर को दिखाएँ। प्रस्थान से 15 मिनट पहले चढ़ें। \
             रद्दीकरण: 48 घंटे पहले 10%, 24 घंटे पहले 25%, 2 घंटे पहले 50% कटौती; 2 घंटे के भीतर रद्द नहीं। \
             आरक्षण शुल्क वापस नहीं होता।"),
    )
    // Valid through the day of the journey.
    .valid_days(days_to_travel + 1)
}

/// The receipt for a cancelled ticket and its refund.
pub(crate) fn cancellation_document(ticket: &Ticket, application: &str) -> Document {
    let (percent, refund, on) = ticket
        .cancellation
        .as_ref()
        .map_or((0, 0, String::new()), |c| (c.deduction_percent, c.refund, display_date(&c.cancelled_on)));
    Document::new(
        Text::new("Ticket Cancellation Receipt / టికెట్ రద్దు రసీదు")
            .te("టికెట్ రద్దు రసీదు / Ticket Cancellation Receipt")
            .hi("टिकट रद्दीकरण रसीद / Ticket Cancellation Receipt"),
        Layout::Receipt,
    )
    .field(Text::new("PNR").te("పీఎన్ఆర్").hi("पीएनआर"), ticket.pnr.as_str())
    .field(Text::new("Passenger").te("ప్రయాణికుడు").hi("यात्री"), ticket.passenger.as_str())
    .field(
        Text::new("Journey").te("ప్రయాణం").hi("यात्रा"),
        format!(
            "{} · {} {} · {}",
            route(&ticket.from, &ticket.to),
            display_date(&ticket.date),
            ticket.departure,
            ticket.service_no
        ),
    )
    .field(Text::new("Cancelled on").te("రద్దు తేదీ").hi("रद्द तिथि"), on)
    .field(Text::new("Amount paid").te("చెల్లించిన మొత్తం").hi("भुगतान राशि"), rupees(ticket.total.into()))
    .field(
        Text::new("Reservation fee (kept)").te("రిజర్వేషన్ రుసుము (వాపసు లేదు)").hi("आरक्षण शुल्क (वापस नहीं)"),
        rupees(ticket.reservation_fee.into()),
    )
    .field(Text::new("Deduction").te("కోత").hi("कटौती"), format!("{percent}%"))
    .field(Text::new("Refund").te("వాపసు మొత్తం").hi("धनवापसी"), rupees(refund.into()))
    .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య").hi("आवेदन संख्या"), application)
    .body(
        Text::new("The refund is credited to the account the ticket was paid from within 7 working days.")
            .te("వాపసు మొత్తం 7 పని దినాల్లో టికెట్ చెల్లించిన ఖాతాకు జమ అవుతుంది.")
            .hi("धनवापसी 7 कार्य दिवसों में उसी खाते में जमा होगी जिससे भुगतान हुआ था।"),
    )
}

/// The facts printed on a bus pass.
pub(crate) struct PassHolder<'a> {
    pub(crate) number: &'a str,
    pub(crate) name: &'a str,
    pub(crate) dob: String,
    pub(crate) age: u32,
    pub(crate) aadhaar: &'a str,
    pub(crate) institution: Option<&'a str>,
    pub(crate) route: Option<&'a str>,
    pub(crate) distance_km: Option<u32>,
    pub(crate) issued: String,
}

/// The student pass or senior citizen card a depot counter prints.
pub(crate) fn pass_document(holder: &PassHolder<'_>, terms: &PassTerms) -> Document {
    let title = match terms.kind {
        PassKind::Student => Text::new("Student Bus Pass / విద్యార్థి బస్ పాస్")
            .te("విద్యార్థి బస్ పాస్ / Student Bus Pass")
            .hi("छात्र बस पास / Student Bus Pass"),
        PassKind::Senior => Text::new("Senior Citizen Concession Card / వయోవృద్ధుల రాయితీ కార్డు")
            .te("వయోవృద్ధుల రాయితీ కార్డు / Senior Citizen Concession Card")
            .hi("वरिष्ठ नागरिक रियायत कार्ड / Senior Citizen Concession Card"),
    };
    let mut doc = Document::new(title, Layout::Certificate)
        .field(Text::new("Pass No.").te("పాస్ సంఖ్య").hi("पास संख्या"), holder.number)
        .field(Text::new("Name").te("పేరు").hi("नाम"), holder.name)
        .field(Text::new("Date of birth").te("పుట్టిన తేదీ").hi("जन्म तिथि"), holder.dob.as_str())
        .field(Text::new("Age").te("వయస్సు").hi("आयु"), holder.age.to_string())
        .field(Text::new("Aadhaar").te("ఆధార్").hi("आधार"), validate::mask_aadhaar(holder.aadhaar))
        .field(Text::new("Issued on").te("జారీ తేదీ").hi("जारी तिथि"), holder.issued.as_str());
    match terms.kind {
        PassKind::Student => {
            doc = doc
                .field(Text::new("Institution").te("విద్యాసంస్థ").hi("संस्थान"), holder.institution.unwrap_or("—"))
                .field(Text::new("Route").te("మార్గం").hi("मार्ग"), holder.route.unwrap_or("—"))
                .field(
                    Text::new("Distance").te("దూరం").hi("दूरी"),
                    format!("{} km", holder.distance_km.unwrap_or_default()),
                )
                .field(Text::new("Fee per month").te("నెల రుసుము").hi("मासिक शुल्क"), rupees(terms.monthly_fee.into()))
                .body(
                    Text::new(
                        "Valid on Palle Velugu and city ordinary buses on the route above, for one month. \
                         Carry your institution ID card.",
                    )
                    .te("పై మార్గంలో పల్లె వెలుగు, సిటీ ఆర్డినరీ బస్సుల్లో ఒక నెల చెల్లుతుంది. విద్యాసంస్థ గుర్తింపు కార్డు వెంట ఉంచుకోండి.")
                    .hi("ऊपर के मार्ग पर पल्ले वेलुगु और सिटी साधारण बसों में एक महीने मान्य। संस्थान का पहचान पत्र साथ रखें।"),
                );
        }
        PassKind::Senior => {
            doc = doc
                .field(Text::new("Concession").te("రాయితీ").hi("रियायत"), format!("{}%", terms.concession_percent))
                .body(
                Text::new(format!(
                    "{}% off the fare on all APSRTC services, at the counter or online. Show this card with Aadhaar.",
                    terms.concession_percent
                ))
                .te(format!("అన్ని ఏపీఎస్ఆర్టీసీ సర్వీసుల్లో ఛార్జీపై {}% రాయితీ. ఆధార్‌తో ఈ కార్డు చూపండి.", terms.concession_percent))
                .hi(format!(
                    "सभी एपीएसआरटीसी सेवाओं में किराए पर {}% छूट। आधार के साथ यह कार्ड दिखाएँ।",
                    terms.concession_percent
                )),
            );
        }
    }
    doc.valid_days(terms.valid_days)
}

/// The acknowledgement of a lost-article report.
pub(crate) fn lost_found_document(complaint: &Complaint, item: &Text, journey: &str, application: &str) -> Document {
    let outcome = if complaint.matched {
        Text::new(format!(
            "An article like yours was handed in at the {}. Collect it there with a photo ID within 30 days.",
            complaint.office
        ))
        .te(format!("మీ వస్తువు వంటిది {} లో అందింది. 30 రోజుల్లో ఫోటో గుర్తింపుతో వెళ్లి తీసుకోండి.", complaint.office))
        .hi(format!("आपकी जैसी वस्तु {} में जमा हुई है। 30 दिनों के भीतर फ़ोटो पहचान के साथ ले लें।", complaint.office))
    } else {
        Text::new(format!("Your report is with the {}. You will get an SMS if the article is found.", complaint.office))
            .te(format!("మీ ఫిర్యాదు {} కు చేరింది. వస్తువు దొరికితే SMS వస్తుంది.", complaint.office))
            .hi(format!("आपकी शिकायत {} को भेजी गई है। वस्तु मिलने पर SMS आएगा।", complaint.office))
    };
    Document::new(
        Text::new("Lost Article Complaint / పోయిన వస్తువు ఫిర్యాదు")
            .te("పోయిన వస్తువు ఫిర్యాదు / Lost Article Complaint")
            .hi("खोई वस्तु शिकायत / Lost Article Complaint"),
        Layout::Receipt,
    )
    .field(Text::new("Complaint No.").te("ఫిర్యాదు సంఖ్య").hi("शिकायत संख्या"), complaint.complaint_no.as_str())
    .field(Text::new("Registered on").te("నమోదు తేదీ").hi("दर्ज तिथि"), display_date(&complaint.registered_on))
    .field(Text::new("Article").te("వస్తువు").hi("वस्तु"), format!("{} / {}", item.en, item.get(Language::Te)))
    .field(Text::new("Journey").te("ప్రయాణం").hi("यात्रा"), journey)
    .field(Text::new("Office").te("కార్యాలయం").hi("कार्यालय"), complaint.office.as_str())
    .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య").hi("आवेदन संख्या"), application)
    .body(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{Cancellation, ParcelEvent};

    fn bus(seats: Option<u32>) -> Bus {
        Bus {
            service_no: 10_023,
            class: "indra-ac".into(),
            from: "Vijayawada".into(),
            from_te: "విజయవాడ".into(),
            to: "Tirupati".into(),
            to_te: "తిరుపతి".into(),
            date: "2025-12-20".into(),
            departure: "21:30".into(),
            arrival: "05:40".into(),
            arrives_next_day: true,
            duration_minutes: 490,
            distance_km: 415,
            fare: 810,
            reservation_fee: 40,
            reservable: seats.is_some(),
            seats_available: seats,
            booking_open: true,
        }
    }

    fn ticket(status: &str) -> Ticket {
        Ticket {
            pnr: "AP31000001".into(),
            service_no: 10_023,
            class: "indra-ac".into(),
            from: "Vijayawada".into(),
            from_te: "విజయవాడ".into(),
            to: "Tirupati".into(),
            to_te: "తిరుపతి".into(),
            date: "2025-12-20".into(),
            departure: "21:30".into(),
            arrival: "05:40 (+1)".into(),
            seats: 2,
            seat_numbers: vec![17, 18],
            passenger: "Suresh Naidu".into(),
            age: 41,
            phone: "9876543210".into(),
            fare_per_seat: 810,
            reservation_fee: 40,
            total: 1660,
            cancellation: (status == "cancelled").then(|| Cancellation {
                deduction_percent: 10,
                refund: 1458,
                cancelled_on: "2025-12-10".into(),
            }),
            status: status.into(),
            minutes_to_departure: 3 * 1440 + 10,
        }
    }

    #[test]
    fn the_bus_list_shows_type_times_fare_and_seats_in_each_language() {
        let list = BusList {
            from: "Vijayawada".into(),
            from_te: "విజయవాడ".into(),
            to: "Tirupati".into(),
            to_te: "తిరుపతి".into(),
            date: "2025-12-20".into(),
            distance_km: 415,
            services: vec![bus(Some(23)), bus(Some(0)), bus(None)],
        };
        let record = bus_list(&list);
        assert!(record.summary.en.starts_with("3 buses Vijayawada → Tirupati on 20-12-2025"));
        assert!(record.summary.te.as_deref().unwrap().contains("3 బస్సులు"));
        assert_eq!(record.fields[0].label.en, "21:30–05:40+1 Indra AC · 10023");
        assert_eq!(record.fields[0].label.te.as_deref(), Some("21:30–05:40+1 ఇంద్ర ఏసీ · 10023"));
        assert_eq!(record.fields[0].value, "₹810 · 💺23");
        assert!(record.fields[1].label.en.ends_with("(full)"));
        assert!(record.fields[2].label.te.as_deref().unwrap().ends_with("(రిజర్వేషన్ లేదు)"));
        assert_eq!(record.fields[2].value, "₹810");
    }

    #[test]
    fn a_quote_adds_the_reservation_fee_once() {
        let quote = fare_quote(&bus(Some(23)), 3);
        assert!(quote.summary.en.ends_with("₹2,470 for 3"), "{}", quote.summary.en);
        assert_eq!(quote.fields.last().unwrap().value, "₹2,470");
    }

    #[test]
    fn the_ticket_prints_pnr_seats_and_a_masked_mobile() {
        let doc = ticket_document(&ticket("booked"), "APP-1");
        assert_eq!(doc.layout, Layout::Receipt);
        assert!(doc.title.en.contains("Bus Ticket") && doc.title.en.contains("బస్ టికెట్"));
        let value = |label: &str| doc.fields.iter().find(|f| f.label.en == label).unwrap().value.clone();
        assert_eq!(value("PNR"), "AP31000001");
        assert_eq!(value("Seats"), "2 (17, 18)");
        assert_eq!(value("Mobile"), "XXXXXX3210");
        assert_eq!(value("Total paid"), "₹1,660");
        assert_eq!(doc.valid_days, Some(4));
    }

    #[test]
    fn status_and_refund_records_follow_the_ticket() {
        let status = ticket_status(&ticket("cancelled"));
        assert!(status.summary.en.contains("Cancelled"));
        assert_eq!(status.fields.last().unwrap().value, "₹1,458 (10-12-2025)");
        let quote = refund_quote(&ticket("booked"), rules::refund(1660, 40, 3 * 1440));
        assert!(quote.summary.en.ends_with("₹1,458"), "{}", quote.summary.en);
        assert!(refund_quote(&ticket("booked"), None).summary.te.as_deref().unwrap().contains("రద్దు చేయలేరు"));
        let receipt = cancellation_document(&ticket("cancelled"), "APP-2");
        assert!(receipt.fields.iter().any(|f| f.label.en == "Refund" && f.value == "₹1,458"));
    }

    #[test]
    fn a_parcel_lists_its_movements() {
        let event = |status: &str| ParcelEvent {
            date: "2025-12-01".into(),
            time: "10:15".into(),
            status: status.into(),
            place: "Pandit Nehru Bus Station".into(),
        };
        let record = parcel(&Parcel {
            lr: "VJA0012345".into(),
            from: "Vijayawada".into(),
            from_te: "విజయవాడ".into(),
            to: "Kurnool".into(),
            to_te: "కర్నూలు".into(),
            booked_on: "2025-12-01".into(),
            sender: "Lakshmi Reddy".into(),
            receiver: "Ravi Kumar Rao".into(),
            packages: 2,
            weight_kg: 12,
            charges: 340,
            status: "dispatched".into(),
            collect_at: "Kurnool Bus Station".into(),
            events: vec![event("booked"), event("dispatched")],
        });
        assert_eq!(record.summary.en, "Parcel VJA0012345: On the way (Vijayawada → Kurnool)");
        assert_eq!(record.fields.len(), 8);
        assert_eq!(record.fields[7].label.te.as_deref(), Some("01-12-2025 10:15: మార్గంలో ఉంది"));
    }

    #[test]
    fn passes_mask_aadhaar_and_expire() {
        let holder = PassHolder {
            number: "BP/APP-3",
            name: "Anjali Sharma",
            dob: "15-08-2008".into(),
            age: 17,
            aadhaar: "499112345677",
            institution: Some("ZP High School, Gollapudi"),
            route: Some("Nunna to Gollapudi"),
            distance_km: Some(8),
            issued: "01-12-2025".into(),
        };
        let terms = PassTerms { kind: PassKind::Student, monthly_fee: 240, concession_percent: 0, valid_days: 30 };
        let doc = pass_document(&holder, &terms);
        assert_eq!((doc.layout, doc.valid_days), (Layout::Certificate, Some(30)));
        assert!(doc.fields.iter().any(|f| f.value == "XXXX XXXX 5677"));
        assert!(!doc.fields.iter().any(|f| f.value.contains("499112345677")));
        assert!(doc.fields.iter().any(|f| f.value == "₹240"));
    }
}
