//! The Revenue department: land records from Webland (Adangal, ROR 1-B, FMB
//! copies), e-Mutation status, and the certificates the Tahsildar issues
//! through Meeseva on the Village Revenue Officer's enquiry (income, caste,
//! residence, EWS, family member, agricultural income).

use mitra_sdk::prelude::*;

mod backend;
mod catalog;
mod documents;
mod places;
mod records;
mod rules;

use places::{Place, PlaceError};
use rules::{EwsClaim, IncomeClaim};

struct Revenue;

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

/// The village the form names, checked against the village master.
fn place(answers: &Answers<'_>) -> Result<Place, Problem> {
    let (district, mandal, village) =
        (answers.choice("district")?, answers.choice("mandal")?, answers.text("village")?);
    places::resolve(district, mandal, village).map_err(|e| {
        let error = match e {
            PlaceError::Village => PluginError::NotFound(format!("no revenue village {village:?} in this mandal")),
            PlaceError::Mandal => PluginError::InvalidInput(format!("mandal {mandal} is not in district {district}")),
            PlaceError::District => PluginError::InvalidInput(format!("unknown district {district}")),
        };
        Problem::Ask(e.field(), error)
    })
}

/// The village and the survey number the form names.
fn land(answers: &Answers<'_>) -> Result<(Place, String), Problem> {
    let place = place(answers)?;
    let typed = answers.text("survey")?;
    let survey = rules::survey_number(typed).ok_or_else(|| {
        Problem::Ask(
            "survey",
            PluginError::InvalidInput(format!("{typed:?} is not a survey number (e.g. 45 or 45/2A)")),
        )
    })?;
    Ok((place, survey))
}

fn yes(answers: &Answers<'_>, field: &str) -> Result<bool, PluginError> {
    Ok(answers.choice(field)? == "yes")
}

fn check(service: &str, answers: &Answers<'_>) -> Result<Decision, Problem> {
    Ok(match service {
        "adangal" | "ror-1b" => {
            land(answers)?;
            Decision::Eligible
        }
        "mutation-status" => {
            mutation_number(answers)?;
            Decision::Eligible
        }
        "income" => {
            place(answers)?;
            rules::income_certificate(&IncomeClaim {
                lives_here: yes(answers, "lives-here")?,
                purpose: answers.choice("purpose")?,
                rice_card: yes(answers, "rice-card")?,
                occupation: answers.choice("occupation")?,
                annual_income: answers.number("income")?,
            })
        }
        "caste" => {
            place(answers)?;
            rules::caste_certificate(answers.choice("community")?, answers.choice("religion")?)
        }
        "residence" => {
            place(answers)?;
            rules::residence_certificate(answers.number("years-here")?)
        }
        "ews" => {
            place(answers)?;
            rules::ews_certificate(&ews_claim(answers)?)
        }
        "family-member" => {
            place(answers)?;
            rules::family_member_certificate(answers.choice("relation")?, answers.text("members")?)
        }
        "fmb-copy" => check_fmb_copy(answers)?,
        "agri-income" => check_agri_income(answers)?,
        other => return Err(PluginError::NotFound(format!("no service {other}")).into()),
    })
}

fn ews_claim(answers: &Answers<'_>) -> Result<EwsClaim, PluginError> {
    Ok(EwsClaim {
        reserved: yes(answers, "reserved")?,
        income: answers.number("income")?,
        land_acres: answers.number("land-acres")?,
        flat_sqft: answers.number("flat-sqft")?,
        plot_municipal_sqyd: answers.number("plot-municipal")?,
        plot_other_sqyd: answers.number("plot-other")?,
    })
}

fn mutation_number(answers: &Answers<'_>) -> Result<String, Problem> {
    let typed = answers.text("number")?;
    rules::mutation_number(typed).ok_or_else(|| {
        Problem::Ask("number", PluginError::InvalidInput(format!("{typed:?} is not like MUT-2024-004821")))
    })
}

/// An FMB sketch needs a survey number that exists; a village map only the village.
fn check_fmb_copy(answers: &Answers<'_>) -> Result<Decision, Problem> {
    if answers.choice("kind")? != "fmb" {
        place(answers)?;
        return Ok(Decision::Eligible);
    }
    if answers.get("survey").is_none() {
        return Ok(Decision::NeedsMore(vec!["survey".to_owned()]));
    }
    let (place, survey) = land(answers)?;
    match backend::fmb(&place, &survey) {
        Ok(_) => Ok(Decision::Eligible),
        Err(PluginError::NotFound(why)) => Ok(Decision::ineligible(
            Text::new(format!("Survey number {survey} is not in the records of {} village: {why}.", place.village))
                .te(format!("{} గ్రామ రికార్డుల్లో సర్వే నంబర్ {survey} లేదు.", place.village_te))
                .hi(format!("{} गाँव के अभिलेख में सर्वे नंबर {survey} नहीं है।", place.village)),
        )),
        Err(error) => Err(error.into()),
    }
}

/// Only a pattadar with a 1-B khata is certified, so the 1-B is looked up.
fn check_agri_income(answers: &Answers<'_>) -> Result<Decision, Problem> {
    let (place, survey) = land(answers)?;
    match backend::ror_1b(&place, &survey) {
        Ok(khata) => {
            Ok(rules::agricultural_income_certificate(answers.text("applicant-name")?, &khata.pattadar.en, khata.khata))
        }
        Err(PluginError::NotFound(why)) => Ok(Decision::ineligible(
            Text::new(format!("There is no 1-B khata for survey {survey} of {}: {why}.", place.village))
                .te(format!("{} గ్రామంలో సర్వే నంబర్ {survey} కు 1-బి ఖాతా లేదు.", place.village_te))
                .hi(format!("{} गाँव में सर्वे नंबर {survey} का 1-बी खाता नहीं है।", place.village)),
        )),
        Err(error) => Err(error.into()),
    }
}

fn fetch(service: &str, query: &Answers<'_>) -> Result<DataRecord, Problem> {
    Ok(match service {
        "adangal" => {
            let (place, survey) = land(query)?;
            records::adangal_record(&backend::adangal(&place, &survey)?, &place)
        }
        "ror-1b" => {
            let (place, survey) = land(query)?;
            records::ror_1b_record(&backend::ror_1b(&place, &survey)?)
        }
        "mutation-status" => records::mutation_record(&backend::mutation(&mutation_number(query)?)?),
        "fmb-copy" => {
            let (place, survey) = land(query)?;
            records::fmb_record(&backend::fmb(&place, &survey)?)
        }
        "agri-income" => {
            let (place, survey) = land(query)?;
            let khata = backend::ror_1b(&place, &survey)?;
            let income = rules::agricultural_income(
                khata.holdings.iter().map(|h| (h.extent_cents, h.classification.en.as_str())),
            );
            records::ror_1b_record(&khata).field(
                label("Estimated farm income", "అంచనా వ్యవసాయ ఆదాయం", "अनुमानित कृषि आय"),
                format!("{} a year", rules::rupees(income)),
            )
        }
        other => return Err(PluginError::Unsupported(format!("{other} has no lookup")).into()),
    })
}

fn label(en: &str, te: &str, hi: &str) -> Text {
    Text::new(en).te(te).hi(hi)
}

impl Department for Revenue {
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
}

mitra_sdk::export_department!(Revenue);
