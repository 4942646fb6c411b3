//! Municipal services of the urban local bodies: extracts of the birth and
//! death registers, property tax dues and payment by UPI, trade licences,
//! tap connections, building permission status (DPMS) and sanitation
//! complaints.

use mitra_sdk::prelude::*;

mod backend;
mod catalog;
mod documents;
mod records;
mod rules;
mod ulbs;

struct Municipal;

/// Why a form cannot be used as answered: a field to ask again (with the
/// error a lookup would report), or an error outright.
enum Problem {
    Ask(&'static str, PluginError),
    Fail(PluginError),
}

impl From<PluginError> for Problem {
    fn from(error: PluginError) -> Self {
        Problem::Fail(error)
    }
}

impl Problem {
    /// In an eligibility check, a field to ask again is a `needs-more`.
    fn decision(self) -> Result<Decision, PluginError> {
        match self {
            Problem::Ask(field, _) => Ok(Decision::NeedsMore(vec![field.to_owned()])),
            Problem::Fail(error) => Err(error),
        }
    }

    fn error(self) -> PluginError {
        match self {
            Problem::Ask(_, error) | Problem::Fail(error) => error,
        }
    }
}

fn label(en: &str, te: &str, hi: &str) -> Text {
    Text::new(en).te(te).hi(hi)
}

/// Reads a record number from `field` with `read`, or asks for it again.
fn number(
    answers: &Answers<'_>,
    field: &'static str,
    example: &str,
    read: impl Fn(&str) -> Option<String>,
) -> Result<String, Problem> {
    let typed = answers.text(field)?;
    read(typed)
        .ok_or_else(|| Problem::Ask(field, PluginError::InvalidInput(format!("{typed:?} is not like {example}"))))
}

fn birth_number(answers: &Answers<'_>) -> Result<String, Problem> {
    number(answers, "registration", "B-2023-VJA-04821", |s| rules::registration(s, "B"))
}

fn death_number(answers: &Answers<'_>) -> Result<String, Problem> {
    number(answers, "registration", "D-2024-GNT-00318", |s| rules::registration(s, "D"))
}

fn assessment(answers: &Answers<'_>) -> Result<String, Problem> {
    number(answers, "assessment", "1001000006", rules::assessment)
}

fn licence_number(answers: &Answers<'_>) -> Result<String, Problem> {
    if answers.get("licence-number").is_none() {
        return Err(Problem::Ask(
            "licence-number",
            PluginError::InvalidInput("a renewal needs the present licence number".into()),
        ));
    }
    number(answers, "licence-number", "TL-VJA-2024-00123", |s| rules::licence(s, "TL"))
}

/// A record the citizen named that the department does not hold: in an
/// eligibility check, the citizen is told so in their language.
fn no_record(what: &str, what_te: &str, number: &str) -> Decision {
    Decision::ineligible(
        Text::new(format!("No {what} is registered as {number}. Please check the number."))
            .te(format!("{number} సంఖ్యతో {what_te} నమోదు లేదు. సంఖ్యను సరిచూడండి."))
            .hi(format!("{number} संख्या से कोई {what} दर्ज नहीं है। कृपया संख्या जाँचें।")),
    )
}

/// Looks a record up for an eligibility check, where "not found" is an answer.
fn lookup<T>(
    found: Result<T, PluginError>,
    missing: impl FnOnce() -> Decision,
) -> Result<Result<T, Decision>, Problem> {
    match found {
        Ok(record) => Ok(Ok(record)),
        Err(PluginError::NotFound(_)) => Ok(Err(missing())),
        Err(error) => Err(error.into()),
    }
}

fn check(service: &str, answers: &Answers<'_>) -> Result<Decision, Problem> {
    Ok(match service {
        "birth-certificate" => {
            let number = birth_number(answers)?;
            match lookup(backend::birth(&number), || no_record("birth", "జననం", &number))? {
                Err(decision) => decision,
                // Parents may add the name later (within 15 years of birth under the RBD rules).
                Ok(birth) if birth.child.is_none() => Decision::ineligible(label(
                    "The child's name is not yet in the birth register. Parents can add it at the Registrar's office; the certificate then carries the name.",
                    "జనన రిజిస్టర్‌లో బిడ్డ పేరు ఇంకా నమోదు కాలేదు. తల్లిదండ్రులు రిజిస్ట్రార్ కార్యాలయంలో పేరు నమోదు చేయించాలి; తర్వాత పత్రంలో పేరు వస్తుంది.",
                    "जन्म रजिस्टर में बच्चे का नाम अभी दर्ज नहीं है। माता-पिता रजिस्ट्रार कार्यालय में नाम दर्ज कराएँ; फिर प्रमाण पत्र में नाम आएगा।",
                )),
                Ok(_) => Decision::Eligible,
            }
        }
        "death-certificate" => {
            let number = death_number(answers)?;
            match lookup(backend::death(&number), || no_record("death", "మరణం", &number))? {
                Err(decision) => decision,
                Ok(_) => Decision::Eligible,
            }
        }
        "property-tax" => {
            assessment(answers)?;
            Decision::Eligible
        }
        "pay-property-tax" => {
            let number = assessment(answers)?;
            match lookup(backend::property_tax(&number), || no_record("property", "ఆస్తి", &number))? {
                Err(decision) => decision,
                Ok(p) if p.total_due_paise == 0 => Decision::ineligible(
                    Text::new(format!("Nothing is due on assessment {number} for {}.", p.financial_year))
                        .te(format!("అసెస్‌మెంట్ {number} పై {} కి ఎలాంటి బకాయి లేదు.", p.financial_year))
                        .hi(format!("निर्धारण {number} पर {} के लिए कोई बकाया नहीं है।", p.financial_year)),
                ),
                Ok(_) => Decision::Eligible,
            }
        }
        "trade-licence" => check_trade_licence(answers)?,
        "water-tap" => {
            let number = assessment(answers)?;
            match lookup(backend::property_tax(&number), || no_record("property", "ఆస్తి", &number))? {
                Err(decision) => decision,
                Ok(p) => rules::tap_connection(
                    &rules::Property {
                        total_due_paise: p.total_due_paise,
                        water_connection: p.water_connection.as_deref(),
                        residential: p.usage.en == "Residential",
                    },
                    answers.choice("use")? == "domestic",
                    answers.choice("pipe")?,
                ),
            }
        }
        "building-permission" => {
            number(answers, "number", "BP-VJA-2025-01234", |s| rules::licence(s, "BP"))?;
            Decision::Eligible
        }
        "sanitation" => {
            let at = answers.location("location")?;
            rules::sanitation(at.latitude, at.longitude)
        }
        other => return Err(PluginError::NotFound(format!("no service {other}")).into()),
    })
}

/// Days from today to an ISO date (negative once it has passed).
fn days_until(iso: &str) -> Result<i64, PluginError> {
    let date = validate::date(iso).map_err(|_| PluginError::Other(format!("the register gave a bad date {iso:?}")))?;
    Ok((date - validate::today_in_india()).whole_days())
}

fn check_trade_licence(answers: &Answers<'_>) -> Result<Decision, Problem> {
    let category = answers.choice("category")?;
    if let Some(field) = rules::prerequisite(category) {
        let usable = match answers.get(field) {
            None => false,
            Some(_) if field == "fssai" => rules::fssai(answers.text(field)?).is_some(),
            Some(_) => true,
        };
        if !usable {
            return Ok(Decision::NeedsMore(vec![field.to_owned()]));
        }
    }
    if answers.choice("kind")? != "renewal" {
        return Ok(Decision::Eligible);
    }
    let number = licence_number(answers)?;
    Ok(match lookup(backend::trade_licence(&number), || no_record("trade licence", "ట్రేడ్ లైసెన్సు", &number))?
    {
        Err(decision) => decision,
        Ok(licence) => rules::renewal(&rules::Existing {
            status: &licence.status,
            remarks: licence.remarks.as_ref().map(|r| (r.en.as_str(), r.te.as_str())),
            valid_until: &licence.valid_until,
            days_left: days_until(&licence.valid_until)?,
        }),
    })
}

fn fetch(service: &str, query: &Answers<'_>) -> Result<DataRecord, Problem> {
    Ok(match service {
        "birth-certificate" => records::birth_record(&backend::birth(&birth_number(query)?)?),
        "death-certificate" => records::death_record(&backend::death(&death_number(query)?)?),
        "property-tax" | "pay-property-tax" => records::tax_record(&backend::property_tax(&assessment(query)?)?),
        "trade-licence" => records::licence_record(&backend::trade_licence(&licence_number(query)?)?),
        "building-permission" => {
            let number = number(query, "number", "BP-VJA-2025-01234", |s| rules::licence(s, "BP"))?;
            records::permission_record(&backend::building_permission(&number)?)
        }
        other => return Err(PluginError::Unsupported(format!("{other} has no lookup")).into()),
    })
}

impl Department for Municipal {
    fn describe() -> DepartmentInfo {
        catalog::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        check(service, answers).or_else(Problem::decision)
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        fetch(service, query).map_err(Problem::error)
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        documents::render(service, application).map_err(Problem::error)
    }

    fn render_certificate(service: &str, application: &Application) -> Result<Certificate, PluginError> {
        documents::certificate(service, application).map_err(Problem::error)
    }
}

mitra_sdk::export_department!(Municipal);
