//! Chief Minister's Relief Fund (CMRF): financial assistance for costly
//! treatment, a Letter of Credit before admission, reimbursement after
//! discharge, application status, the network hospitals, and grievances.
//!
//! The fund helps where Dr. NTR Vaidya Seva (formerly Dr. YSR Aarogyasri) does
//! not, so every money request is checked against the patient's enrolment and
//! the hospital's empanelment from the CMRF system. The rules live in `rules`,
//! the forms in `catalogue`, what a citizen reads and the letters in `records`.

mod backend;
mod catalogue;
mod records;
mod rules;

use mitra_sdk::prelude::*;

use records::Acknowledged;
use rules::{Case, Kind};

struct CmReliefFund;

fn needs(field: &str) -> Decision {
    Decision::NeedsMore(vec![field.to_owned()])
}

fn kind(service: &str) -> Option<Kind> {
    match service {
        "apply" => Some(Kind::Assistance),
        "loc" => Some(Kind::Loc),
        "reimbursement" => Some(Kind::Reimbursement),
        _ => None,
    }
}

fn case(kind: Kind, answers: &Answers<'_>) -> Result<Case, PluginError> {
    Ok(Case {
        kind,
        treatment: answers.choice("treatment")?.to_owned(),
        annual_income: answers.number("income")?,
        admission: answers.get("admission").map(|_| answers.date("admission")).transpose()?,
        discharge: answers.get("discharge").map(|_| answers.date("discharge")).transpose()?,
    })
}

fn check_money_request(kind: Kind, answers: &Answers<'_>) -> Result<Decision, PluginError> {
    let Some(code) = rules::hospital_code(answers.text("hospital")?) else {
        return Ok(needs("hospital"));
    };
    let case = case(kind, answers)?;
    let hospital = backend::hospital(&code)?;
    let enrolment = backend::enrolment(answers.text("patient-aadhaar")?)?;
    let reasons = rules::reasons(&case, &code, hospital.as_ref(), &enrolment, validate::today_in_india());
    Ok(if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) })
}

fn no_such_application(number: &str) -> Text {
    Text::new(format!("There is no CMRF application {number}. Please check the number on your receipt."))
        .te(format!("CMRF దరఖాస్తు {number} లేదు. దయచేసి మీ రసీదులోని సంఖ్యను సరిచూడండి."))
        .hi(format!("CMRF आवेदन {number} नहीं मिला। कृपया रसीद पर लिखा नंबर जाँचें।"))
}

/// Names of the documents uploaded with an application, for the letter.
fn documents(answers: &Answers<'_>) -> Vec<String> {
    answers
        .all()
        .iter()
        .filter_map(|a| match &a.value {
            AnswerValue::Media(m) => Some(m.filename.clone().unwrap_or_else(|| match a.field_id.as_str() {
                "estimate-letter" => "Hospital estimate letter".to_owned(),
                "bills-document" => "Bills and discharge summary".to_owned(),
                other => other.to_owned(),
            })),
            _ => None,
        })
        .collect()
}

impl Department for CmReliefFund {
    fn describe() -> DepartmentInfo {
        catalogue::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        if let Some(kind) = kind(service) {
            return check_money_request(kind, answers);
        }
        match service {
            "hospitals" => Ok(Decision::Eligible),
            "status" => Ok(match rules::application_number(answers.text("application-number")?) {
                Some(_) => Decision::Eligible,
                None => needs("application-number"),
            }),
            "grievance" => {
                let Some(number) = rules::application_number(answers.text("application-number")?) else {
                    return Ok(needs("application-number"));
                };
                Ok(match backend::status(&number)? {
                    Some(_) => Decision::Eligible,
                    None => Decision::ineligible(no_such_application(&number)),
                })
            }
            other => Err(PluginError::NotFound(format!("no service {other}"))),
        }
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        match service {
            "status" => {
                let number = rules::application_number(query.text("application-number")?)
                    .ok_or_else(|| PluginError::InvalidInput("an application number reads CMRF-YYYY-NNNNNN".into()))?;
                let status = backend::status(&number)?
                    .ok_or_else(|| PluginError::NotFound(format!("CMRF application {number}")))?;
                Ok(records::status_record(&status))
            }
            "hospitals" => {
                let id = query.choice("district")?;
                let (_, district, _, _) = catalogue::DISTRICTS
                    .iter()
                    .find(|d| d.0 == id)
                    .ok_or_else(|| PluginError::InvalidInput(format!("unknown district {id}")))?;
                let list = backend::hospitals(district)?
                    .ok_or_else(|| PluginError::NotFound(format!("no network hospital in {district}")))?;
                Ok(records::hospitals_record(district, &list))
            }
            other => Err(PluginError::Unsupported(format!("{other} has no lookup"))),
        }
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        let answers = Answers::new(&application.answers);
        if service == "grievance" {
            let typed = answers.text("application-number")?;
            let about = rules::application_number(typed).unwrap_or_else(|| typed.to_owned());
            let id = answers.choice("issue")?;
            let issue = catalogue::ISSUES
                .iter()
                .find(|i| i.0 == id)
                .map_or_else(|| id.to_owned(), |&(_, en, te, _)| format!("{en} / {te}"));
            return Ok(records::grievance_acknowledgement(application, &about, &issue));
        }
        let kind = kind(service).ok_or_else(|| PluginError::Unsupported(format!("{service} issues no document")))?;
        let typed = answers.text("hospital")?;
        let code = rules::hospital_code(typed).unwrap_or_else(|| typed.to_owned());
        let hospital = match backend::hospital(&code)? {
            Some(h) => format!("{} / {}, {} ({code})", h.name, h.name_te, h.city),
            None => code,
        };
        let amount = answers.number(if kind == Kind::Reimbursement { "bills" } else { "estimate" })?;
        Ok(records::acknowledgement(
            application,
            &Acknowledged {
                kind,
                patient: answers.text("patient-name")?,
                aadhaar: answers.text("patient-aadhaar")?,
                hospital,
                treatment: answers.choice("treatment")?,
                amount,
                documents: documents(&answers),
            },
        ))
    }
}

mitra_sdk::export_department!(CmReliefFund);
