//! Civil Supplies (AP ePDS): rice card status, monthly ration, fair price
//! shops, card print, and applications for a new card, adding or removing a
//! member, surrendering a card and complaints about a ration shop.
//!
//! The rules live in `rules`, the forms in `catalogue`, what a citizen reads
//! and the printed card in `records`; this file joins the answers to the ePDS
//! records the rules need.

mod backend;
mod catalogue;
mod records;
mod rules;

use mitra_sdk::prelude::*;

use rules::{Area, Household, Vehicle};

struct CivilSupplies;

/// Asks for a field again when its answer is not the identifier it should be.
fn needs(field: &str) -> Decision {
    Decision::NeedsMore(vec![field.to_owned()])
}

fn decide(reasons: Vec<Text>) -> Decision {
    if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) }
}

fn household(answers: &Answers<'_>) -> Result<Household, PluginError> {
    Ok(Household {
        area: if answers.choice("area")? == "urban" { Area::Urban } else { Area::Rural },
        monthly_income: answers.number("income")?,
        wet_acres: answers.number("wet-land")?,
        dry_acres: answers.number("dry-land")?,
        vehicle: match answers.choice("vehicle")? {
            "car" => Vehicle::Car,
            "commercial" => Vehicle::Commercial,
            _ => Vehicle::None,
        },
        electricity_units: answers.number("electricity")?,
        govt_or_taxpayer: answers.choice("govt-or-taxpayer")? == "yes",
        urban_property_sqft: answers.number("urban-property")?,
    })
}

/// The card the answers name, or the decision to give when there is none.
fn answered_card(answers: &Answers<'_>) -> Result<Result<backend::Card, Decision>, PluginError> {
    let Some(number) = rules::card_number(answers.text("card-number")?) else {
        return Ok(Err(needs("card-number")));
    };
    Ok(backend::card(&number)?.ok_or_else(|| Decision::ineligible(rules::no_such_card(&number))))
}

fn card_for_lookup(query: &Answers<'_>) -> Result<backend::Card, PluginError> {
    let number = rules::card_number(query.text("card-number")?)
        .ok_or_else(|| PluginError::InvalidInput("a rice card number has 10 digits".into()))?;
    backend::card(&number)?.ok_or_else(|| PluginError::NotFound(format!("rice card {number}")))
}

fn check(service: &str, answers: &Answers<'_>) -> Result<Decision, PluginError> {
    Ok(match service {
        "card-status" | "entitlement" => match rules::card_number(answers.text("card-number")?) {
            Some(_) => Decision::Eligible,
            None => needs("card-number"),
        },
        "nearest-shop" => match (answers.get("pincode"), answers.get("location")) {
            (None, None) => needs("pincode"),
            _ => Decision::Eligible,
        },
        "new-card" => {
            let mut reasons = rules::new_card_reasons(&household(answers)?);
            if let Some(seeding) = backend::seeding(answers.text("aadhaar")?)? {
                reasons.push(rules::already_on_card("The head of family", "కుటుంబ పెద్ద", &seeding));
            }
            decide(reasons)
        }
        "add-member" => {
            let card = match answered_card(answers)? {
                Ok(card) => card,
                Err(decision) => return Ok(decision),
            };
            let seeded = backend::seeding(answers.text("member-aadhaar")?)?;
            let age = validate::age_on(answers.date("dob")?, validate::today_in_india());
            let married_in = answers.choice("reason")? == "marriage"
                || matches!(answers.choice("relation")?, "wife" | "husband" | "daughter-in-law" | "son-in-law");
            decide(rules::add_member_reasons(&card, seeded.as_ref(), age, married_in))
        }
        "remove-member" | "surrender" | "card-print" => {
            let card = match answered_card(answers)? {
                Ok(card) => card,
                Err(decision) => return Ok(decision),
            };
            let field = if service == "remove-member" { "member-aadhaar" } else { "aadhaar" };
            let member = backend::member(&card.number, answers.text(field)?)?;
            decide(match service {
                "remove-member" => rules::remove_member_reasons(&card, member.as_ref()),
                "surrender" => rules::surrender_reasons(&card, member.as_ref()),
                _ => rules::print_reasons(&card, member.as_ref()),
            })
        }
        "shop-grievance" => {
            let Some(id) = rules::shop_number(answers.text("shop-number")?) else {
                return Ok(needs("shop-number"));
            };
            match backend::shop(&id)? {
                Some(_) => Decision::Eligible,
                None => Decision::ineligible(rules::no_such_shop(&id)),
            }
        }
        other => return Err(PluginError::NotFound(format!("no service {other}"))),
    })
}

/// The receipt an application produces: what was asked and what happens next.
fn acknowledgement(service: &str, application: &Application) -> Result<Document, PluginError> {
    let answers = Answers::new(&application.answers);
    let (what, what_te, days) = match service {
        "new-card" => ("New rice card", "కొత్త బియ్యం కార్డు", 21),
        "add-member" => ("Add family member", "కుటుంబ సభ్యుని చేర్పు", 21),
        "remove-member" => ("Remove family member", "కుటుంబ సభ్యుని తొలగింపు", 15),
        "surrender" => ("Surrender rice card", "బియ్యం కార్డు సరెండర్", 7),
        _ => ("Ration shop complaint", "రేషన్ షాపుపై ఫిర్యాదు", 7),
    };
    let mut doc = Document::new(Text::new("Acknowledgement / రసీదు").te("రసీదు / Acknowledgement"), Layout::Receipt)
        .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య"), application.number.as_str())
        .field(Text::new("Service").te("సేవ"), format!("{what} / {what_te}"))
        .field(Text::new("Submitted on").te("సమర్పించిన తేదీ"), records::display(&application.submitted_at))
        .field(Text::new("Applicant").te("దరఖాస్తుదారు"), application.applicant.profile_name.clone().unwrap_or_default());
    if let Ok(card) = answers.text("card-number") {
        doc = doc.field(
            Text::new("Rice card No.").te("బియ్యం కార్డు సంఖ్య"),
            rules::card_number(card).unwrap_or_else(|| card.to_owned()),
        );
    }
    if let Ok(name) = answers.text("head-name").or_else(|_| answers.text("member-name")) {
        doc = doc.field(Text::new("Name").te("పేరు"), name);
    }
    for field in ["aadhaar", "member-aadhaar"] {
        if let Ok(aadhaar) = answers.text(field) {
            doc = doc.field(Text::new("Aadhaar").te("ఆధార్"), validate::mask_aadhaar(aadhaar));
        }
    }
    if let Ok(shop) = answers.text("shop-number") {
        doc = doc.field(
            Text::new("Fair price shop").te("చౌక ధరల దుకాణం"),
            rules::shop_number(shop).unwrap_or_else(|| shop.to_owned()),
        );
    }
    // Complaints about a shop go to the mandal's inspecting officer; the rest
    // are verified where the family lives.
    let body = if service == "shop-grievance" {
        Text::new(format!(
            "Registered. The Civil Supplies Deputy Tahsildar of the mandal will inquire at the shop and reply within \
             {days} days. Quote the application number in any enquiry."
        ))
        .te(format!("నమోదైంది. మండల పౌర సరఫరాల డిప్యూటీ తహసీల్దార్ దుకాణంలో విచారించి {days} రోజుల్లో తెలియజేస్తారు. విచారణలో దరఖాస్తు సంఖ్య చెప్పండి."))
    } else {
        Text::new(format!(
            "Received. Your Village/Ward Secretariat will verify it and you will hear within {days} days. \
             Quote the application number in any enquiry."
        ))
        .te(format!("స్వీకరించాం. మీ గ్రామ/వార్డు సచివాలయం పరిశీలించి {days} రోజుల్లో తెలియజేస్తుంది. విచారణలో దరఖాస్తు సంఖ్య చెప్పండి."))
    };
    Ok(doc.body(body))
}

impl Department for CivilSupplies {
    fn describe() -> DepartmentInfo {
        catalogue::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        check(service, answers)
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        match service {
            "card-status" => Ok(records::card_record(&card_for_lookup(query)?)),
            "entitlement" => Ok(records::entitlement_record(&card_for_lookup(query)?)),
            "nearest-shop" => {
                let shops = match (query.get("pincode"), query.get("location")) {
                    (Some(_), _) => backend::shops_by_pincode(query.text("pincode")?)?,
                    (None, Some(_)) => {
                        let at = query.location("location")?;
                        backend::shops_near(at.latitude, at.longitude)?
                    }
                    (None, None) => {
                        return Err(PluginError::InvalidInput("give a PIN code or share a location".into()));
                    }
                };
                let shops = shops.ok_or_else(|| PluginError::NotFound("no fair price shop near that place".into()))?;
                Ok(records::shops_record(&shops))
            }
            other => Err(PluginError::Unsupported(format!("{other} has no lookup"))),
        }
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        match service {
            "card-print" => {
                let answers = Answers::new(&application.answers);
                let card = card_for_lookup(&answers)?;
                let aadhaar = answers.text("aadhaar")?;
                // The print is issued only to a member of a live card, whatever reached us.
                let member = backend::member(&card.number, aadhaar)?;
                if let Some(reason) = rules::print_reasons(&card, member.as_ref()).into_iter().next() {
                    return Err(PluginError::InvalidInput(reason.en));
                }
                Ok(records::card_document(&card, aadhaar))
            }
            "new-card" | "add-member" | "remove-member" | "surrender" | "shop-grievance" => {
                acknowledgement(service, application)
            }
            other => Err(PluginError::Unsupported(format!("{other} issues no document"))),
        }
    }
}

mitra_sdk::export_department!(CivilSupplies);
