//! The certificates and receipts the corporations issue.

use mitra_sdk::prelude::*;

use crate::{Problem, assessment, backend, birth_number, days_until, death_number, label, licence_number, rules, ulbs};

fn today() -> String {
    validate::display_date(validate::today_in_india())
}

/// Birth and death certificates name their holder in both scripts and group
/// their fields (contract 0.2.0); the receipts keep the plain document.
pub(crate) fn certificate(service: &str, application: &Application) -> Result<Certificate, Problem> {
    let answers = Answers::new(&application.answers);
    // The host prints the serial (the application number) and the issue date
    // beside the QR code: they are not repeated as fields.
    Ok(match service {
        "birth-certificate" => {
            let b = backend::birth(&birth_number(&answers)?)?;
            let child = b.child.as_ref().ok_or_else(|| {
                PluginError::InvalidInput(format!("the child's name is not yet registered under {}", b.registration))
            })?;
            Certificate::new(label("Birth Certificate", "జనన ధృవీకరణ పత్రం", "जन्म प्रमाण पत्र"), Layout::Certificate)
                .holder(
                    Holder::new(child.text())
                        .identifier(label("Registration No.", "నమోదు సంఖ్య", "पंजीकरण संख्या"), b.registration.as_str()),
                )
                .section(
                    Section::new(label("Birth", "జననం", "जन्म"))
                        .bilingual(label("Sex", "లింగం", "लिंग"), b.sex.text())
                        .field(label("Date of birth", "పుట్టిన తేదీ", "जन्म तिथि"), rules::display_date(&b.date_of_birth))
                        .bilingual(label("Place of birth", "పుట్టిన స్థలం", "जन्म स्थान"), b.place_of_birth.text()),
                )
                .section(
                    Section::new(label("Parents", "తల్లిదండ్రులు", "माता-पिता"))
                        .bilingual(label("Name of mother", "తల్లి పేరు", "माता का नाम"), b.mother.text())
                        .bilingual(label("Name of father", "తండ్రి పేరు", "पिता का नाम"), b.father.text())
                        .bilingual(label("Permanent address", "శాశ్వత చిరునామా", "स्थायी पता"), b.address.text()),
                )
                .section(
                    Section::new(label("Registration", "నమోదు", "पंजीकरण"))
                        .field(
                            label("Date of registration", "నమోదు తేదీ", "पंजीकरण तिथि"),
                            rules::display_date(&b.registered_on),
                        )
                        .bilingual(label("Issuing authority", "జారీ చేసిన అధికారి", "जारीकर्ता प्राधिकारी"), b.registrar.text()),
                )
                .body(label(
                    "Issued under Section 12/17 of the Registration of Births and Deaths Act, 1969: certified to be extracted from the register of births.",
                    "జనన మరణాల నమోదు చట్టం, 1969 సెక్షన్ 12/17 కింద జారీ: జనన రిజిస్టర్ నుండి తీసిన ధృవీకృత నకలు.",
                    "जन्म और मृत्यु पंजीकरण अधिनियम, 1969 की धारा 12/17 के अंतर्गत जारी: जन्म रजिस्टर से प्रमाणित उद्धरण।",
                ))
        }
        "death-certificate" => {
            let d = backend::death(&death_number(&answers)?)?;
            Certificate::new(label("Death Certificate", "మరణ ధృవీకరణ పత్రం", "मृत्यु प्रमाण पत्र"), Layout::Certificate)
                .holder(
                    Holder::new(d.deceased.text())
                        .identifier(label("Registration No.", "నమోదు సంఖ్య", "पंजीकरण संख्या"), d.registration.as_str()),
                )
                .section(
                    Section::new(label("The deceased", "మరణించినవారు", "मृतक"))
                        .bilingual(label("Sex", "లింగం", "लिंग"), d.sex.text())
                        .field(label("Age", "వయస్సు", "आयु"), format!("{} years", d.age))
                        .bilingual(label("Father / husband", "తండ్రి / భర్త", "पिता / पति"), d.relation.text())
                        .bilingual(label("Permanent address", "శాశ్వత చిరునామా", "स्थायी पता"), d.address.text()),
                )
                .section(
                    Section::new(label("Death", "మరణం", "मृत्यु"))
                        .field(label("Date of death", "మరణ తేదీ", "मृत्यु तिथि"), rules::display_date(&d.date_of_death))
                        .bilingual(label("Place of death", "మరణ స్థలం", "मृत्यु स्थान"), d.place_of_death.text()),
                )
                .section(
                    Section::new(label("Registration", "నమోదు", "पंजीकरण"))
                        .field(
                            label("Date of registration", "నమోదు తేదీ", "पंजीकरण तिथि"),
                            rules::display_date(&d.registered_on),
                        )
                        .bilingual(label("Issuing authority", "జారీ చేసిన అధికారి", "जारीकर्ता प्राधिकारी"), d.registrar.text()),
                )
                .body(label(
                    "Issued under Section 12/17 of the Registration of Births and Deaths Act, 1969: certified to be extracted from the register of deaths.",
                    "జనన మరణాల నమోదు చట్టం, 1969 సెక్షన్ 12/17 కింద జారీ: మరణ రిజిస్టర్ నుండి తీసిన ధృవీకృత నకలు.",
                    "जन्म और मृत्यु पंजीकरण अधिनियम, 1969 की धारा 12/17 के अंतर्गत जारी: मृत्यु रजिस्टर से प्रमाणित उद्धरण।",
                ))
        }
        _ => render(service, application)?.into(),
    })
}

/// The receipts and licences: a plain document.
pub(crate) fn render(service: &str, application: &Application) -> Result<Document, Problem> {
    let answers = Answers::new(&application.answers);
    Ok(match service {
        "pay-property-tax" => {
            let p = backend::property_tax(&assessment(&answers)?)?;
            Document::new(
                label(
                    "Property Tax Receipt / ఆస్తి పన్ను రసీదు",
                    "ఆస్తి పన్ను రసీదు / Property Tax Receipt",
                    "संपत्ति कर रसीद / Property Tax Receipt",
                ),
                Layout::Receipt,
            )
            .field(label("Receipt No.", "రసీదు సంఖ్య", "रसीद संख्या"), application.number.as_str())
            .field(label("Assessment No.", "అసెస్‌మెంట్ నంబర్", "निर्धारण संख्या"), p.assessment.as_str())
            .field(label("Owner", "యజమాని", "मालिक"), p.owner.both())
            .field(label("Address", "చిరునామా", "पता"), p.address.both())
            .field(label("Financial year", "ఆర్థిక సంవత్సరం", "वित्त वर्ष"), p.financial_year.as_str())
            .field(label("Tax", "పన్ను", "कर"), rules::rupees(p.current_demand_paise + p.arrears_paise))
            .field(label("Interest", "వడ్డీ", "ब्याज"), rules::rupees(p.interest_paise))
            .field(label("Amount paid", "చెల్లించిన మొత్తం", "भुगतान राशि"), rules::rupees(p.total_due_paise))
            .field(label("Payment reference", "చెల్లింపు రిఫరెన్స్", "भुगतान संदर्भ"), p.demand_ref.as_str())
            .field(label("Paid by", "చెల్లింపు విధానం", "भुगतान माध्यम"), "UPI")
            .field(label("Received by", "స్వీకరించినవారు", "प्राप्तकर्ता"), p.ulb.both())
            .field(label("Date", "తేదీ", "तिथि"), today())
            .body(label(
                "Received with thanks, subject to realisation of the UPI payment.",
                "యూపీఐ చెల్లింపు జమ అయిన షరతుపై కృతజ్ఞతలతో స్వీకరించడమైనది.",
                "यूपीआई भुगतान प्राप्त होने की शर्त पर धन्यवाद सहित प्राप्त।",
            ))
        }
        "trade-licence" => render_trade_licence(application, &answers)?,
        "sanitation" => {
            let category = answers.choice("category")?;
            let at = answers.location("location")?;
            let filed = backend::file_complaint(&application.number, category, at.latitude, at.longitude)?;
            let kind = rules::COMPLAINTS.iter().find(|c| c.0 == category).map_or(category, |c| c.1);
            let mut doc = Document::new(
                label(
                    "Sanitation Complaint / పారిశుధ్య ఫిర్యాదు",
                    "పారిశుధ్య ఫిర్యాదు / Sanitation Complaint",
                    "सफाई शिकायत / Sanitation Complaint",
                ),
                Layout::Receipt,
            )
            .field(label("Complaint No.", "ఫిర్యాదు సంఖ్య", "शिकायत संख्या"), filed.complaint.as_str())
            .field(label("Problem", "సమస్య", "समस्या"), kind)
            .field(label("Corporation", "నగరపాలక సంస్థ", "नगर निगम"), filed.ulb.both())
            .field(label("Ward", "వార్డు", "वार्ड"), filed.ward.to_string())
            .field(label("Sanitary Inspector", "శానిటరీ ఇన్‌స్పెక్టర్", "सफाई निरीक्षक"), filed.sanitary_inspector.both())
            .field(label("Location", "ప్రదేశం", "स्थान"), format!("{:.5}, {:.5}", at.latitude, at.longitude));
            if let Ok(landmark) = answers.text("landmark") {
                doc = doc.field(label("Landmark", "గుర్తు", "लैंडमार्क"), landmark);
            }
            doc.field(label("To be resolved within", "పరిష్కార గడువు", "समाधान अवधि"), format!("{} hours", filed.sla_hours))
                .field(label("Date", "తేదీ", "तिथि"), today())
                .body(label(
                    "Your complaint is registered with the ward sanitation staff. You will get a message when it is resolved.",
                    "మీ ఫిర్యాదు వార్డు పారిశుధ్య సిబ్బందికి నమోదైంది. పరిష్కారం అయినప్పుడు మీకు సందేశం వస్తుంది.",
                    "आपकी शिकायत वार्ड सफाई कर्मचारियों के पास दर्ज है। समाधान होने पर आपको संदेश मिलेगा।",
                ))
        }
        other => {
            return Err(PluginError::Unsupported(format!("{other} issues no document")).into());
        }
    })
}

fn render_trade_licence(application: &Application, answers: &Answers<'_>) -> Result<Document, Problem> {
    let renewal = answers.choice("kind")? == "renewal";
    let number = if renewal { licence_number(answers)? } else { application.number.clone() };
    let ulb = ulbs::by_code(answers.choice("ulb")?)
        .ok_or_else(|| PluginError::InvalidInput("unknown municipal corporation".into()))?;
    let category = answers.choice("category")?;
    let (kind, kind_te) = rules::TRADES.iter().find(|t| t.0 == category).map_or((category, category), |t| (t.1, t.2));
    let area = answers.number("area")?.max(0.0) as u64;
    let today = validate::today_in_india();
    let end_year = rules::financial_year_end(today.year(), u8::from(today.month()));
    let ends = format!("{end_year}-03-31");
    let valid_days = (days_until(&ends)? + 1).max(1) as u32;
    let mut doc = Document::new(
        label("Trade Licence / వ్యాపార లైసెన్సు", "వ్యాపార లైసెన్సు / Trade Licence", "व्यापार लाइसेंस / Trade Licence"),
        Layout::Certificate,
    )
    .field(label("Licence No.", "లైసెన్సు నంబర్", "लाइसेंस संख्या"), number)
    .field(label("Trade name", "వ్యాపారం పేరు", "व्यापार का नाम"), answers.text("trade-name")?)
    .field(label("Licensee", "లైసెన్సుదారు", "लाइसेंसधारी"), answers.text("owner")?)
    .field(label("Kind of trade", "వ్యాపార రకం", "व्यापार का प्रकार"), format!("{kind} / {kind_te}"))
    .field(label("Premises", "దుకాణం చిరునామా", "परिसर"), format!("{}, {}", answers.text("premises")?, ulb.town))
    .field(label("Floor area", "విస్తీర్ణం", "क्षेत्रफल"), format!("{area} sq ft"))
    .field(
        label("Annual licence fee", "వార్షిక లైసెన్సు రుసుము", "वार्षिक लाइसेंस शुल्क"),
        rules::rupees(rules::trade_licence_fee(category, area)),
    );
    if let Some(fssai) = answers.get("fssai").and_then(|_| answers.text("fssai").ok()).and_then(rules::fssai) {
        doc = doc.field(label("FSSAI No.", "ఎఫ్ఎస్ఎస్ఏఐ నంబర్", "एफएसएसएआई संख्या"), fssai);
    }
    if let Ok(drug) = answers.text("drug-licence") {
        doc = doc.field(label("Drug licence No.", "డ్రగ్ లైసెన్సు నంబర్", "ड्रग लाइसेंस संख्या"), drug);
    }
    Ok(doc
        .field(label("Valid from", "నుండి", "से मान्य"), validate::display_date(today))
        .field(label("Valid until", "వరకు", "तक मान्य"), rules::display_date(&ends))
        .field(
            label("Issued by", "జారీ చేసినవారు", "जारीकर्ता"),
            format!("Commissioner, {} / కమిషనర్, {}", ulb.name, ulb.name_te),
        )
        .body(label(
            "Licensed to carry on the trade named above at the premises stated, subject to the conditions of the municipal Act and bye-laws. Display this licence at the premises.",
            "పైన పేర్కొన్న వ్యాపారాన్ని పేర్కొన్న ఆవరణలో పురపాలక చట్టం, ఉప-నిబంధనల షరతులకు లోబడి నిర్వహించుటకు లైసెన్సు. ఈ లైసెన్సును ఆవరణలో ప్రదర్శించండి.",
            "उपरोक्त व्यापार को बताए गए परिसर में नगरपालिका अधिनियम और उप-नियमों की शर्तों के अधीन चलाने का लाइसेंस। इसे परिसर में प्रदर्शित करें।",
        ))
        .valid_days(valid_days))
}
