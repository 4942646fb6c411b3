//! Anna Canteens on Mitra: ₹5 breakfast, lunch and dinner across Andhra
//! Pradesh. A citizen finds the nearest canteen from a shared location, reads
//! the day's menu, lists a town's canteens, sends feedback, or sponsors a
//! canteen's meals on a day that matters to them.
//!
//! The canteen register, menu, feedback desk and sponsorship calendar live in
//! the scheme's own system (reached over HTTP at the operator-set `backend`);
//! this plugin carries the rules a citizen is told before acting and shapes
//! the replies.

mod backend;
mod catalog;
mod records;
mod rules;

use mitra_sdk::prelude::*;

use backend::{Acknowledgement, Canteen, Donation, Menu, Sponsorships};

struct AnnaCanteens;

fn ineligible_or_eligible(reasons: Vec<Text>) -> Decision {
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

fn optional_text<'a>(answers: &Answers<'a>, field: &str) -> Option<&'a str> {
    answers.text(field).ok().map(str::trim).filter(|s| !s.is_empty())
}

fn read_code(answers: &Answers<'_>) -> Result<String, PluginError> {
    let typed = answers.text("canteen")?;
    rules::canteen_code(typed).ok_or_else(|| PluginError::InvalidInput(format!("{typed:?} is not a canteen code")))
}

fn canteen(code: &str) -> Result<Canteen, PluginError> {
    backend::get(&format!("/canteens/{code}"))
}

/// The canteen a form names, or the reason a citizen is told when there is none.
fn named_canteen(answers: &Answers<'_>) -> Result<Result<Canteen, Text>, PluginError> {
    let typed = answers.text("canteen")?;
    let Some(code) = rules::canteen_code(typed) else { return Ok(Err(rules::bad_code(typed))) };
    match canteen(&code) {
        Ok(canteen) => Ok(Ok(canteen)),
        Err(PluginError::NotFound(_)) => Ok(Err(Text::new(format!("There is no Anna Canteen with the code {code}."))
            .te(format!("{code} కోడ్‌తో అన్న క్యాంటీన్ లేదు."))
            .hi(format!("{code} कोड की कोई अन्ना कैंटीन नहीं है।")))),
        Err(other) => Err(other),
    }
}

fn donation_eligibility(answers: &Answers<'_>) -> Result<Decision, PluginError> {
    let date = answers.date("date")?;
    let days_ahead = (date - validate::today_in_india()).whole_days();
    let mut reasons =
        rules::sponsorship_date_reasons(days_ahead, usize::from(date.weekday().number_days_from_monday()));
    let canteen = match named_canteen(answers)? {
        Ok(canteen) => canteen,
        Err(reason) => {
            reasons.push(reason);
            return Ok(Decision::Ineligible(reasons));
        }
    };
    if !reasons.is_empty() {
        return Ok(Decision::Ineligible(reasons));
    }
    if !canteen.is_open() {
        let note = canteen.note.clone().unwrap_or_else(|| "closed".into());
        return Ok(Decision::ineligible(
            Text::new(format!("{} ({}) is {note}; choose another canteen.", canteen.name, canteen.code))
                .te(format!("{} ({}) తాత్కాలికంగా మూసి ఉంది; వేరే క్యాంటీన్ ఎంచుకోండి.", canteen.name_te, canteen.code))
                .hi(format!("{} ({}) अस्थायी रूप से बंद है; दूसरी कैंटीन चुनें।", canteen.name, canteen.code)),
        ));
    }
    let iso = validate::iso_date(date);
    let booked: Sponsorships = backend::get(&format!("/canteens/{}/sponsorships?date={iso}", canteen.code))?;
    let wanted = rules::sessions(answers.choice("session")?);
    let clashes: Vec<&str> = wanted.iter().copied().filter(|s| booked.taken.iter().any(|t| t == s)).collect();
    if booked.open && clashes.is_empty() {
        return Ok(Decision::Eligible);
    }
    let shown = validate::display_date(date);
    let taken: Vec<Text> = clashes.iter().map(|s| rules::meal_name(s)).collect();
    let taken = rules::join(&taken.iter().collect::<Vec<_>>(), ", ");
    Ok(Decision::ineligible(
        Text::new(format!(
            "{} on {shown} at {} is already sponsored; choose another day or meal.",
            taken.en, canteen.code
        ))
        .te(format!(
            "{shown}న {} లో {} కు ఇప్పటికే దాత ఉన్నారు; వేరే రోజు లేదా పూట ఎంచుకోండి.",
            canteen.code,
            taken.get(Language::Te)
        ))
        .hi(format!(
            "{shown} को {} में {} पहले से प्रायोजित है; दूसरा दिन या भोजन चुनें।",
            canteen.code,
            taken.get(Language::Hi)
        )),
    ))
}

impl Department for AnnaCanteens {
    fn describe() -> DepartmentInfo {
        catalog::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        match service {
            "nearest" => {
                let at = answers.location("location")?;
                Ok(ineligible_or_eligible(rules::location_reason(at.latitude, at.longitude).into_iter().collect()))
            }
            "menu" | "by-town" => Ok(Decision::Eligible),
            "feedback" => Ok(match named_canteen(answers)? {
                Ok(_) => Decision::Eligible,
                Err(reason) => Decision::ineligible(reason),
            }),
            "donate" => donation_eligibility(answers),
            other => Err(PluginError::NotFound(format!("anna-canteens has no service {other}"))),
        }
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        match service {
            "nearest" => {
                let at = query.location("location")?;
                if !at.latitude.is_finite() || !at.longitude.is_finite() {
                    return Err(PluginError::InvalidInput("the shared location has no coordinates".into()));
                }
                let path = format!("/canteens/nearest?lat={:.5}&lon={:.5}&limit=3", at.latitude, at.longitude);
                let near: Vec<Canteen> = backend::get(&path)?;
                Ok(records::nearest(&near))
            }
            "menu" => {
                let today = usize::from(validate::today_in_india().weekday().number_days_from_monday());
                let choice = query.choice("day")?;
                let day = rules::resolve_day(choice, today)
                    .ok_or_else(|| PluginError::InvalidInput(format!("unknown day {choice}")))?;
                let menu: Menu = backend::get(&format!("/menu/{}", rules::DAYS[day]))?;
                Ok(records::menu(day, &menu))
            }
            "by-town" => {
                let slug = query.choice("town")?;
                let town =
                    rules::town(slug).ok_or_else(|| PluginError::InvalidInput(format!("unknown town {slug}")))?;
                let canteens: Vec<Canteen> = backend::get(&format!("/canteens?town={slug}"))?;
                Ok(records::by_town(town, &canteens))
            }
            "donate" => {
                let canteen = canteen(&read_code(query)?)?;
                let date = validate::iso_date(query.date("date")?);
                Ok(records::donation_quote(&canteen, rules::sessions(query.choice("session")?), &date))
            }
            other => Err(PluginError::Unsupported(format!("{other} has no lookup"))),
        }
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        let answers = Answers::new(&application.answers);
        match service {
            // The backend files one complaint, and books one sponsorship, per
            // application number: a retried render returns the same receipt.
            "feedback" => {
                let code = read_code(&answers)?;
                let topic = answers.choice("topic")?;
                let details = answers.text("details")?.trim();
                let request = backend::FeedbackRequest {
                    application: &application.number,
                    canteen: &code,
                    category: topic,
                    details,
                };
                let ack: Acknowledgement = backend::post("/feedback", &request)?;
                let canteen = canteen(&code)?;
                let topic = catalog::option_text(&catalog::TOPICS, topic);
                Ok(records::feedback_document(&ack, &canteen, &topic, details, &application.number))
            }
            "donate" => {
                let code = read_code(&answers)?;
                let donor = records::Donor {
                    name: answers.text("name")?.trim(),
                    phone: answers.text("phone")?,
                    occasion: catalog::option_text(&catalog::OCCASIONS, answers.choice("occasion")?),
                    dedication: optional_text(&answers, "dedication"),
                };
                let request = backend::DonationRequest {
                    application: &application.number,
                    canteen: &code,
                    date: validate::iso_date(answers.date("date")?),
                    session: answers.choice("session")?,
                    donor: donor.name,
                    occasion: answers.choice("occasion")?,
                };
                let donation: Donation = backend::post("/donations", &request)?;
                Ok(records::donation_document(&donation, &donor, &application.number))
            }
            other => Err(PluginError::Unsupported(format!("{other} issues no document"))),
        }
    }
}

mitra_sdk::export_department!(AnnaCanteens);
