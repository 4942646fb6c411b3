//! APSRTC (Andhra Pradesh State Road Transport Corporation) on Mitra: bus
//! timetables and seats, reservations, ticket status and cancellation with
//! refunds, student and senior citizen passes, parcel tracking and lost
//! property complaints.
//!
//! The reservation system is the department's own (reached over HTTP at the
//! operator-set `backend`): it holds the timetable, fares and seat inventory.
//! This plugin carries the rules a citizen is told before acting — the
//! reservation window, refund slabs, pass eligibility — and shapes the
//! replies into records and documents.

mod backend;
mod catalog;
mod records;
mod rules;

use mitra_sdk::prelude::*;

use backend::{Bus, BusList, Complaint, Parcel, Ticket};
use rules::{PassDecision, PassKind};

struct Apsrtc;

fn ineligible_or_eligible(reasons: Vec<Text>) -> Decision {
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

/// Days from today (India) to the date answered in `field`.
fn days_from_today(answers: &Answers<'_>, field: &str) -> Result<i64, PluginError> {
    Ok((answers.date(field)? - validate::today_in_india()).whole_days())
}

fn iso(answers: &Answers<'_>, field: &str) -> Result<String, PluginError> {
    Ok(validate::iso_date(answers.date(field)?))
}

fn whole(answers: &Answers<'_>, field: &str) -> Result<u32, PluginError> {
    let n = answers.number(field)?;
    if n.fract() != 0.0 || !(0.0..=f64::from(u32::MAX)).contains(&n) {
        return Err(PluginError::InvalidInput(format!("{field} must be a whole number")));
    }
    Ok(n as u32)
}

fn optional_text<'a>(answers: &Answers<'a>, field: &str) -> Option<&'a str> {
    answers.text(field).ok().map(str::trim).filter(|s| !s.is_empty())
}

fn bad_pnr() -> Text {
    Text::new("A PNR is AP followed by 8 digits, as printed on the ticket.")
        .te("PNR అంటే AP తర్వాత 8 అంకెలు, టికెట్‌పై ఉంటుంది.")
        .hi("PNR में AP के बाद 8 अंक होते हैं, जैसा टिकट पर छपा है।")
}

fn read_pnr(answers: &Answers<'_>) -> Result<String, PluginError> {
    let typed = answers.text("pnr")?;
    rules::pnr(typed).ok_or_else(|| PluginError::InvalidInput(format!("{typed:?} is not a PNR (AP and 8 digits)")))
}

fn read_service(answers: &Answers<'_>) -> Result<u32, PluginError> {
    let typed = answers.text("service")?;
    rules::service_no(typed)
        .ok_or_else(|| PluginError::InvalidInput(format!("{typed:?} is not a service number (5 digits)")))
}

fn bus_on(service: u32, date: &str) -> Result<Bus, PluginError> {
    backend::get(&format!("/services/{service}?date={date}"))
}

fn ticket(pnr: &str) -> Result<Ticket, PluginError> {
    backend::get(&format!("/tickets/{pnr}"))
}

fn booking_eligibility(answers: &Answers<'_>) -> Result<Decision, PluginError> {
    let mut reasons = Vec::new();
    if let Some(reason) = rules::reservation_window(days_from_today(answers, "date")?) {
        reasons.push(reason);
    }
    let age = whole(answers, "age")?;
    if age < rules::MIN_LEAD_AGE {
        reasons.push(
            Text::new(format!("Book in the name of a passenger aged {} or more.", rules::MIN_LEAD_AGE))
                .te(format!("{} ఏళ్లు నిండిన ప్రయాణికుడి పేరుతో బుక్ చేయండి.", rules::MIN_LEAD_AGE))
                .hi(format!("{} वर्ष या अधिक आयु के यात्री के नाम से बुक करें।", rules::MIN_LEAD_AGE)),
        );
    }
    let Some(service) = rules::service_no(answers.text("service")?) else {
        reasons.push(
            Text::new("The service number is the 5 digits shown in \"Buses between towns\".")
                .te("సర్వీసు నంబర్ \"పట్టణాల మధ్య బస్సులు\" లో చూపే 5 అంకెలు.")
                .hi("सेवा नंबर \"शहरों के बीच बसें\" में दिखाए 5 अंक हैं।"),
        );
        return Ok(Decision::Ineligible(reasons));
    };
    if !reasons.is_empty() {
        return Ok(Decision::Ineligible(reasons));
    }
    let seats = whole(answers, "seats")?;
    let bus = match bus_on(service, &iso(answers, "date")?) {
        Ok(bus) => bus,
        Err(PluginError::NotFound(_)) => {
            return Ok(Decision::ineligible(
                Text::new(format!("There is no APSRTC service {service}."))
                    .te(format!("ఏపీఎస్ఆర్టీసీ సర్వీసు {service} లేదు."))
                    .hi(format!("एपीएसआरटीसी सेवा {service} नहीं है।")),
            ));
        }
        Err(other) => return Err(other),
    };
    if !bus.reservable {
        reasons.push(
            Text::new("Palle Velugu buses are not reserved: buy the ticket from the conductor.")
                .te("పల్లె వెలుగు బస్సులకు రిజర్వేషన్ లేదు: కండక్టర్ వద్ద టికెట్ తీసుకోండి.")
                .hi("पल्ले वेलुगु बसों में आरक्षण नहीं होता: कंडक्टर से टिकट लें।"),
        );
    } else if !bus.booking_open {
        reasons.push(
            Text::new("Booking for this bus has closed (30 minutes before departure).")
                .te("ఈ బస్సుకు బుకింగ్ ముగిసింది (బయలుదేరే 30 నిమిషాల ముందు).")
                .hi("इस बस की बुकिंग बंद हो गई है (प्रस्थान से 30 मिनट पहले)।"),
        );
    } else if let Some(left) = bus.seats_available.filter(|left| *left < seats) {
        reasons.push(
            Text::new(format!("Only {left} seats are left on service {service}."))
                .te(format!("సర్వీసు {service} లో {left} సీట్లు మాత్రమే ఉన్నాయి."))
                .hi(format!("सेवा {service} में केवल {left} सीटें बची हैं।")),
        );
    }
    Ok(ineligible_or_eligible(reasons))
}

fn cancel_eligibility(answers: &Answers<'_>) -> Result<Decision, PluginError> {
    let Some(pnr) = rules::pnr(answers.text("pnr")?) else { return Ok(Decision::ineligible(bad_pnr())) };
    let ticket = match ticket(&pnr) {
        Ok(ticket) => ticket,
        Err(PluginError::NotFound(_)) => {
            return Ok(Decision::ineligible(
                Text::new(format!("No ticket has the PNR {pnr}."))
                    .te(format!("PNR {pnr} తో టికెట్ లేదు."))
                    .hi(format!("PNR {pnr} का कोई टिकट नहीं है।")),
            ));
        }
        Err(other) => return Err(other),
    };
    let phone_matches = ticket.phone == answers.text("phone")?;
    Ok(ineligible_or_eligible(rules::cancellation_reasons(&ticket.status, phone_matches, ticket.minutes_to_departure)))
}

fn pass_decision(answers: &Answers<'_>) -> Result<(PassDecision, u32), PluginError> {
    let kind = PassKind::from_id(answers.choice("pass-type")?)
        .ok_or_else(|| PluginError::InvalidInput("unknown pass type".into()))?;
    let age = validate::age_on(answers.date("dob")?, validate::today_in_india());
    let distance = match answers.get("distance") {
        Some(_) => Some(whole(answers, "distance")?),
        None => None,
    };
    let decision = rules::bus_pass(kind, age, distance, optional_text(answers, "institution").is_some());
    Ok((decision, age))
}

impl Department for Apsrtc {
    fn describe() -> DepartmentInfo {
        catalog::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        match service {
            "bus-search" => Ok(ineligible_or_eligible(rules::journey_reasons(
                answers.choice("from")?,
                answers.choice("to")?,
                days_from_today(answers, "date")?,
            ))),
            "book-ticket" => booking_eligibility(answers),
            "ticket-status" => Ok(if rules::pnr(answers.text("pnr")?).is_some() {
                Decision::Eligible
            } else {
                Decision::ineligible(bad_pnr())
            }),
            "cancel-ticket" => cancel_eligibility(answers),
            "bus-pass" => Ok(match pass_decision(answers)?.0 {
                PassDecision::Granted(_) => Decision::Eligible,
                PassDecision::Refused(reasons) => Decision::Ineligible(reasons),
                PassDecision::Incomplete(fields) => Decision::NeedsMore(fields.into_iter().map(String::from).collect()),
            }),
            "parcel-tracking" => Ok(if rules::consignment(answers.text("lr")?).is_some() {
                Decision::Eligible
            } else {
                Decision::ineligible(
                    Text::new("A consignment number is 3 letters and 7 digits, e.g. VJA0012345.")
                        .te("కన్సైన్‌మెంట్ నంబర్ 3 అక్షరాలు, 7 అంకెలు, ఉదా. VJA0012345.")
                        .hi("कंसाइनमेंट नंबर 3 अक्षर और 7 अंक है, जैसे VJA0012345।"),
                )
            }),
            "lost-found" => {
                let days_ago = -days_from_today(answers, "travel-date")?;
                Ok(ineligible_or_eligible(rules::lost_claim_reason(days_ago).into_iter().collect()))
            }
            other => Err(PluginError::NotFound(format!("apsrtc has no service {other}"))),
        }
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        match service {
            "bus-search" => {
                let (from, to) = (query.choice("from")?, query.choice("to")?);
                if rules::town(from).is_none() || rules::town(to).is_none() {
                    return Err(PluginError::InvalidInput(format!("unknown town in {from} → {to}")));
                }
                let date = iso(query, "date")?;
                let list: BusList = backend::get(&format!("/buses?from={from}&to={to}&date={date}"))?;
                Ok(records::bus_list(&list))
            }
            "book-ticket" => {
                let bus = bus_on(read_service(query)?, &iso(query, "date")?)?;
                let seats = query.get("seats").map(|_| whole(query, "seats")).transpose()?.unwrap_or(1);
                Ok(records::fare_quote(&bus, seats))
            }
            "ticket-status" => Ok(records::ticket_status(&ticket(&read_pnr(query)?)?)),
            "cancel-ticket" => {
                let ticket = ticket(&read_pnr(query)?)?;
                let refund = if ticket.status == "booked" {
                    rules::refund(ticket.total, ticket.reservation_fee, ticket.minutes_to_departure)
                } else {
                    None
                };
                Ok(records::refund_quote(&ticket, refund))
            }
            "parcel-tracking" => {
                let typed = query.text("lr")?;
                let lr = rules::consignment(typed)
                    .ok_or_else(|| PluginError::InvalidInput(format!("{typed:?} is not a consignment number")))?;
                let parcel: Parcel = backend::get(&format!("/parcels/{lr}"))?;
                Ok(records::parcel(&parcel))
            }
            other => Err(PluginError::Unsupported(format!("{other} has no lookup"))),
        }
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        let answers = Answers::new(&application.answers);
        match service {
            // The ticket is issued when the application is rendered; the
            // reservation system books once per application number, so a
            // retried render returns the same PNR instead of a second booking.
            "book-ticket" => {
                let request = backend::BookingRequest {
                    application: &application.number,
                    service_no: read_service(&answers)?,
                    date: iso(&answers, "date")?,
                    seats: whole(&answers, "seats")?,
                    passenger: answers.text("name")?.trim(),
                    age: whole(&answers, "age")?,
                    phone: answers.text("phone")?,
                };
                let ticket: Ticket = backend::post("/bookings", &request)?;
                Ok(records::ticket_document(&ticket, &application.number))
            }
            "cancel-ticket" => {
                let pnr = read_pnr(&answers)?;
                let request = backend::CancelRequest { phone: answers.text("phone")? };
                let ticket: Ticket = backend::post(&format!("/tickets/{pnr}/cancel"), &request)?;
                Ok(records::cancellation_document(&ticket, &application.number))
            }
            "bus-pass" => {
                let (decision, age) = pass_decision(&answers)?;
                let PassDecision::Granted(terms) = decision else {
                    return Err(PluginError::InvalidInput("the applicant is not eligible for this pass".into()));
                };
                let holder = records::PassHolder {
                    number: &format!("BP/{}", application.number),
                    name: answers.text("name")?.trim(),
                    dob: validate::display_date(answers.date("dob")?),
                    age,
                    aadhaar: answers.text("aadhaar")?,
                    institution: optional_text(&answers, "institution"),
                    route: optional_text(&answers, "route"),
                    distance_km: answers.get("distance").map(|_| whole(&answers, "distance")).transpose()?,
                    issued: validate::display_date(validate::today_in_india()),
                };
                Ok(records::pass_document(&holder, &terms))
            }
            "lost-found" => {
                let from = answers.choice("from")?;
                let town =
                    rules::town(from).ok_or_else(|| PluginError::InvalidInput(format!("unknown town {from}")))?;
                let item = answers.choice("item")?;
                let report = backend::LostReport {
                    application: &application.number,
                    travel_date: iso(&answers, "travel-date")?,
                    from,
                    service_no: optional_text(&answers, "service").map(str::to_owned),
                    item,
                    description: answers.text("description")?.trim(),
                    phone: answers.text("phone")?,
                };
                let journey = format!("{} · {}", town.en, validate::display_date(answers.date("travel-date")?));
                let complaint: Complaint = backend::post("/lost-found", &report)?;
                Ok(records::lost_found_document(&complaint, &catalog::item_name(item), &journey, &application.number))
            }
            other => Err(PluginError::Unsupported(format!("{other} issues no document"))),
        }
    }
}

mitra_sdk::export_department!(Apsrtc);
