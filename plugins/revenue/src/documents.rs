//! The documents the Tahsildar issues, laid out as the printed forms are.

use mitra_sdk::prelude::*;

use crate::places::Place;
use crate::{Problem, backend, catalog, ews_claim, label, land, place, rules};

/// "S/o", "D/o" or "W/o" and the name, as certificates print it.
fn relation_line(answers: &Answers<'_>) -> Result<(Text, String), PluginError> {
    let guardian = answers.text("guardian-name")?;
    let (label, short) = match answers.choice("relation")? {
        "daughter" => (label("Daughter of", "కుమార్తె", "पुत्री"), "D/o"),
        "wife" => (label("Wife of", "భార్య", "पत्नी"), "W/o"),
        _ => (label("Son of", "కుమారుడు", "पुत्र"), "S/o"),
    };
    Ok((label, format!("{short} {guardian}")))
}

fn today() -> String {
    validate::display_date(validate::today_in_india())
}

fn issuer(place: &Place) -> String {
    format!("Tahsildar, {} Mandal / తహసీల్దార్, {} మండలం", place.mandal, place.mandal_te)
}

/// The heading, number, name, parentage and Aadhaar every Tahsildar certificate opens with.
fn certificate(title: Text, application: &Application, answers: &Answers<'_>) -> Result<Document, PluginError> {
    let (relation, guardian) = relation_line(answers)?;
    Ok(Document::new(title, Layout::Certificate)
        .field(label("Certificate No.", "ధృవీకరణ పత్రం సంఖ్య", "प्रमाण पत्र संख्या"), application.number.as_str())
        .field(label("Name", "పేరు", "नाम"), answers.text("applicant-name")?)
        .field(relation, guardian)
        .field(label("Aadhaar", "ఆధార్", "आधार"), validate::mask_aadhaar(answers.text("aadhaar")?)))
}

fn address(answers: &Answers<'_>, place: &Place) -> Result<String, PluginError> {
    Ok(format!("{}, {}", answers.text("address")?, place.en()))
}

fn signed(document: Document, place: &Place) -> Document {
    document
        .field(label("Issued by", "జారీ చేసినవారు", "जारीकर्ता"), issuer(place))
        .field(label("Date of issue", "జారీ తేదీ", "जारी करने की तिथि"), today())
}

/// The financial year before today's, e.g. `2025-26` — the year EWS income is counted for.
fn previous_financial_year() -> String {
    let today = validate::today_in_india();
    let start = if u8::from(today.month()) >= 4 { today.year() - 1 } else { today.year() - 2 };
    format!("{start}-{:02}", (start + 1) % 100)
}

fn choice_label(service: &str, field: &str, option: &str) -> String {
    catalog::department()
        .services
        .into_iter()
        .find(|s| s.id == service)
        .and_then(|s| s.form.into_iter().find(|f| f.id == field))
        .and_then(|f| match f.kind {
            mitra_sdk::FieldKind::Choice(options) => options.into_iter().find(|o| o.id == option).map(|o| o.label.en),
            _ => None,
        })
        .unwrap_or_else(|| option.to_owned())
}

/// Income certificates in AP stay valid four years from issue.
const INCOME_VALID_DAYS: u32 = 4 * 365 + 1;

pub(crate) fn render(service: &str, application: &Application) -> Result<Document, Problem> {
    let answers = Answers::new(&application.answers);
    let purpose = |answers: &Answers<'_>| -> Result<String, PluginError> {
        Ok(choice_label(service, "purpose", answers.choice("purpose")?))
    };
    Ok(match service {
        "income" => {
            let place = place(&answers)?;
            let income = answers.number("income")?.max(0.0) as u64;
            let doc = certificate(
                label(
                    "Income Certificate / ఆదాయ ధృవీకరణ పత్రం",
                    "ఆదాయ ధృవీకరణ పత్రం / Income Certificate",
                    "आय प्रमाण पत्र / Income Certificate",
                ),
                application,
                &answers,
            )?
            .field(label("Address", "చిరునామా", "पता"), address(&answers, &place)?)
            .field(
                label("Annual family income", "కుటుంబ వార్షిక ఆదాయం", "परिवार की वार्षिक आय"),
                format!("{} ({})", rules::rupees(income), rules::rupees_in_words(income)),
            )
            .field(
                label("Main source", "ప్రధాన వనరు", "मुख्य स्रोत"),
                choice_label(service, "occupation", answers.choice("occupation")?),
            )
            .field(label("Purpose", "ఉద్దేశ్యం", "उद्देश्य"), purpose(&answers)?);
            signed(doc, &place)
                .body(
                    label(
                        "Certified that the annual income of the family of the above person from all sources is as stated above, on the enquiry report of the Village Revenue Officer.",
                        "పై వ్యక్తి కుటుంబానికి అన్ని వనరుల నుండి వచ్చే వార్షిక ఆదాయం పైన తెలిపినట్లు ఉందని గ్రామ రెవెన్యూ అధికారి విచారణ నివేదిక ఆధారంగా ధృవీకరించడమైనది.",
                        "ग्राम राजस्व अधिकारी की जाँच रिपोर्ट के आधार पर प्रमाणित किया जाता है कि उपरोक्त व्यक्ति के परिवार की सभी स्रोतों से वार्षिक आय ऊपर बताए अनुसार है।",
                    ),
                )
                .valid_days(INCOME_VALID_DAYS)
        }
        "caste" => {
            let place = place(&answers)?;
            let (community, community_te) = rules::community_label(answers.choice("community")?);
            let caste = answers.text("caste")?;
            let dob = validate::display_date(answers.date("dob")?);
            let doc = certificate(
                label(
                    "Caste Certificate / కుల ధృవీకరణ పత్రం",
                    "కుల ధృవీకరణ పత్రం / Caste Certificate",
                    "जाति प्रमाण पत्र / Caste Certificate",
                ),
                application,
                &answers,
            )?
            .field(label("Date of birth", "పుట్టిన తేదీ", "जन्म तिथि"), dob)
            .field(label("Caste", "కులం", "जाति"), caste)
            .field(label("Community", "సామాజిక వర్గం", "समुदाय"), format!("{community} / {community_te}"))
            .field(label("Religion", "మతం", "धर्म"), choice_label(service, "religion", answers.choice("religion")?))
            .field(label("Native of", "స్థానికత", "मूल निवासी"), format!("{} / {}", place.en(), place.te()))
            .field(label("Address", "చిరునామా", "पता"), address(&answers, &place)?);
            signed(doc, &place).body(
                Text::new(format!(
                    "This is to certify that the person named above belongs to the {caste} caste, recognised as {community} in the State of Andhra Pradesh, and is a native of {} village.",
                    place.village
                ))
                .te(format!(
                    "పై వ్యక్తి {caste} కులానికి చెందినవారని, ఇది ఆంధ్రప్రదేశ్ రాష్ట్రంలో {community_te} గా గుర్తించబడిందని, వారు {} గ్రామ స్థానికులని ధృవీకరించడమైనది.",
                    place.village_te
                )),
            )
        }
        "residence" => {
            let place = place(&answers)?;
            let years = answers.number("years-here")?.max(0.0) as u32;
            let doc = certificate(
                label(
                    "Residence Certificate / నివాస ధృవీకరణ పత్రం",
                    "నివాస ధృవీకరణ పత్రం / Residence Certificate",
                    "निवास प्रमाण पत्र / Residence Certificate",
                ),
                application,
                &answers,
            )?
            .field(label("Address", "చిరునామా", "पता"), address(&answers, &place)?)
            .field(label("Residing for", "నివాస కాలం", "निवास अवधि"), format!("{years} years / {years} సంవత్సరాలు"))
            .field(label("Purpose", "ఉద్దేశ్యం", "उद्देश्य"), purpose(&answers)?);
            signed(doc, &place).body(label(
                "Certified that the person named above is residing at the address stated, as verified by the Village Revenue Officer.",
                "పై వ్యక్తి పేర్కొన్న చిరునామాలో నివసిస్తున్నట్లు గ్రామ రెవెన్యూ అధికారి ధృవీకరించారు.",
                "ग्राम राजस्व अधिकारी द्वारा सत्यापित किया गया है कि उपरोक्त व्यक्ति बताए गए पते पर रहते हैं।",
            ))
        }
        "ews" => {
            let place = place(&answers)?;
            let claim = ews_claim(&answers)?;
            let income = claim.income.max(0.0) as u64;
            let doc = certificate(
                label(
                    "EWS Certificate / ఈడబ్ల్యూఎస్ ధృవీకరణ పత్రం",
                    "ఈడబ్ల్యూఎస్ ధృవీకరణ పత్రం / EWS Certificate",
                    "ईडब्ल्यूएस प्रमाण पत्र / EWS Certificate",
                ),
                application,
                &answers,
            )?
            .field(label("Address", "చిరునామా", "पता"), address(&answers, &place)?)
            .field(
                Text::new(format!("Gross family income {}", previous_financial_year()))
                    .te(format!("కుటుంబ స్థూల ఆదాయం {}", previous_financial_year())),
                format!("{} ({})", rules::rupees(income), rules::rupees_in_words(income)),
            )
            .field(label("Agricultural land", "వ్యవసాయ భూమి", "कृषि भूमि"), format!("{} acres", claim.land_acres))
            .field(label("Residential flat", "నివాస ఫ్లాట్", "आवासीय फ्लैट"), format!("{} sq ft", claim.flat_sqft))
            .field(
                label("House plots", "ఇంటి స్థలాలు", "आवासीय प्लॉट"),
                format!("{} sq yd (municipal), {} sq yd (other)", claim.plot_municipal_sqyd, claim.plot_other_sqyd),
            );
            signed(doc, &place)
                .body(label(
                    "This is to certify that the person named above belongs to the Economically Weaker Sections: not covered by SC, ST or BC reservation, family income below ₹8 lakh, and family assets within the prescribed limits.",
                    "పై వ్యక్తి ఆర్థికంగా బలహీన వర్గాలకు చెందినవారని ధృవీకరించడమైనది: ఎస్సీ, ఎస్టీ, బీసీ రిజర్వేషన్ పరిధిలో లేరు, కుటుంబ ఆదాయం ₹8 లక్షల లోపు, కుటుంబ ఆస్తులు నిర్దేశిత పరిమితుల్లో ఉన్నాయి.",
                    "प्रमाणित किया जाता है कि उपरोक्त व्यक्ति आर्थिक रूप से कमजोर वर्ग से है: एससी, एसटी या बीसी आरक्षण में नहीं, परिवार की आय ₹8 लाख से कम और संपत्ति निर्धारित सीमा के भीतर।",
                ))
                // An income and asset certificate speaks for one financial year.
                .valid_days(365)
        }
        "family-member" => {
            let place = place(&answers)?;
            let members = rules::family_members(answers.text("members")?).ok_or_else(|| {
                PluginError::InvalidInput("the family members are not one per line as name, relation, age".into())
            })?;
            let mut doc = Document::new(
                label(
                    "Family Member Certificate / కుటుంబ సభ్యుల ధృవీకరణ పత్రం",
                    "కుటుంబ సభ్యుల ధృవీకరణ పత్రం / Family Member Certificate",
                    "परिवार सदस्य प्रमाण पत्र / Family Member Certificate",
                ),
                Layout::Certificate,
            )
            .field(label("Certificate No.", "ధృవీకరణ పత్రం సంఖ్య", "प्रमाण पत्र संख्या"), application.number.as_str())
            .field(label("Name of the deceased", "మరణించినవారి పేరు", "मृतक का नाम"), answers.text("deceased-name")?)
            .field(label("Date of death", "మరణ తేదీ", "मृत्यु तिथि"), validate::display_date(answers.date("death-date")?))
            .field(label("Village", "గ్రామం", "गाँव"), format!("{} / {}", place.en(), place.te()))
            .field(label("Applicant", "దరఖాస్తుదారు", "आवेदक"), answers.text("applicant-name")?)
            .field(
                label("Relation to the deceased", "మరణించినవారితో సంబంధం", "मृतक से संबंध"),
                choice_label(service, "relation", answers.choice("relation")?),
            )
            .field(label("Aadhaar", "ఆధార్", "आधार"), validate::mask_aadhaar(answers.text("aadhaar")?));
            for (i, m) in members.iter().enumerate() {
                doc = doc.field(
                    Text::new(format!("Member {}", i + 1))
                        .te(format!("సభ్యులు {}", i + 1))
                        .hi(format!("सदस्य {}", i + 1)),
                    format!("{} — {}, {} years", m.name, m.relation, m.age),
                );
            }
            signed(doc.field(label("Purpose", "ఉద్దేశ్యం", "उद्देश्य"), purpose(&answers)?), &place).body(label(
                "Issued on the enquiry of the Village Revenue Officer for the purpose stated. This is not a succession certificate for immovable property.",
                "గ్రామ రెవెన్యూ అధికారి విచారణ ఆధారంగా పేర్కొన్న ఉద్దేశ్యం కోసం జారీ చేయబడింది. ఇది స్థిరాస్తి వారసత్వ ధృవీకరణ పత్రం కాదు.",
                "ग्राम राजस्व अधिकारी की जाँच के आधार पर बताए उद्देश्य के लिए जारी। यह अचल संपत्ति का उत्तराधिकार प्रमाण पत्र नहीं है।",
            ))
        }
        "agri-income" => {
            let (place, survey) = land(&answers)?;
            let khata = backend::ror_1b(&place, &survey)?;
            let income = rules::agricultural_income(
                khata.holdings.iter().map(|h| (h.extent_cents, h.classification.en.as_str())),
            );
            let mut doc = certificate(
                label(
                    "Agricultural Income Certificate / వ్యవసాయ ఆదాయ ధృవీకరణ పత్రం",
                    "వ్యవసాయ ఆదాయ ధృవీకరణ పత్రం / Agricultural Income Certificate",
                    "कृषि आय प्रमाण पत्र / Agricultural Income Certificate",
                ),
                application,
                &answers,
            )?
            .field(label("Village", "గ్రామం", "गाँव"), format!("{} / {}", place.en(), place.te()))
            .field(label("Khata No.", "ఖాతా నంబర్", "खाता नंबर"), khata.khata.to_string())
            .field(label("Passbook No.", "పాస్‌పుస్తకం నంబర్", "पासबुक नंबर"), khata.passbook.as_str());
            for h in &khata.holdings {
                doc = doc.field(
                    Text::new(format!("Sy. No. {}", h.survey)).te(format!("స.నం. {}", h.survey)),
                    format!("{}, {}", rules::extent(h.extent_cents), h.classification.both()),
                );
            }
            signed(
                doc.field(label("Total extent", "మొత్తం విస్తీర్ణం", "कुल रकबा"), rules::extent(khata.total_extent_cents))
                    .field(
                        label("Annual agricultural income", "వార్షిక వ్యవసాయ ఆదాయం", "वार्षिक कृषि आय"),
                        format!("{} ({})", rules::rupees(income), rules::rupees_in_words(income)),
                    )
                    .field(label("Purpose", "ఉద్దేశ్యం", "उद्देश्य"), purpose(&answers)?),
                &place,
            )
            .body(label(
                "Certified on the 1-B record and the land classification that the annual agricultural income of the pattadar is as stated above.",
                "1-బి రికార్డు, భూమి వర్గీకరణ ఆధారంగా పట్టాదారు వార్షిక వ్యవసాయ ఆదాయం పైన తెలిపినట్లు ఉందని ధృవీకరించడమైనది.",
                "1-बी अभिलेख और भूमि वर्गीकरण के आधार पर प्रमाणित किया जाता है कि पट्टादार की वार्षिक कृषि आय ऊपर बताए अनुसार है।",
            ))
            // It certifies one agricultural year's income.
            .valid_days(365)
        }
        "fmb-copy" => {
            let place = place(&answers)?;
            let fmb = answers.choice("kind")? == "fmb";
            let (title, what) = if fmb {
                (
                    label(
                        "FMB Copy Request / ఎఫ్ఎంబీ నకలు దరఖాస్తు",
                        "ఎఫ్ఎంబీ నకలు దరఖాస్తు / FMB Copy Request",
                        "एफएमबी प्रति अनुरोध / FMB Copy Request",
                    ),
                    "FMB sketch / ఎఫ్ఎంబీ స్కెచ్",
                )
            } else {
                (
                    label(
                        "Village Map Copy Request / గ్రామ పటం నకలు దరఖాస్తు",
                        "గ్రామ పటం నకలు దరఖాస్తు / Village Map Copy Request",
                        "ग्राम नक्शा प्रति अनुरोध / Village Map Copy Request",
                    ),
                    "Village map / గ్రామ పటం",
                )
            };
            let mut doc = Document::new(title, Layout::Receipt)
                .field(label("Application No.", "దరఖాస్తు సంఖ్య", "आवेदन संख्या"), application.number.as_str())
                .field(label("Map", "పటం", "नक्शा"), what)
                .field(label("Village", "గ్రామం", "गाँव"), format!("{} / {}", place.en(), place.te()));
            if fmb {
                let (_, survey) = land(&answers)?;
                doc = doc.field(label("Survey No.", "సర్వే నంబర్", "सर्वे नंबर"), survey);
            }
            doc.field(label("Fee paid", "చెల్లించిన రుసుము", "भुगतान शुल्क"), rules::rupees(catalog::COPY_FEE))
                .field(
                    label("Issued by", "జారీ చేసేవారు", "जारीकर्ता"),
                    format!(
                        "Mandal Surveyor, Tahsildar office, {} / మండల సర్వేయర్, తహసీల్దార్ కార్యాలయం, {}",
                        place.mandal, place.mandal_te
                    ),
                )
                .field(label("Date", "తేదీ", "तिथि"), today())
                .body(label(
                    "Acknowledgement: the certified copy is issued within 7 days. Keep this receipt to collect it.",
                    "రసీదు: ధృవీకృత నకలు 7 రోజుల్లో జారీ అవుతుంది. తీసుకునేందుకు ఈ రసీదు భద్రపరచండి.",
                    "पावती: प्रमाणित प्रति 7 दिनों में जारी होगी। इसे लेने के लिए यह रसीद रखें।",
                ))
        }
        other => return Err(PluginError::Unsupported(format!("{other} issues no document")).into()),
    })
}
