//! CMRF records shaped into what a citizen reads in the chat, and the
//! acknowledgement letters applications produce.

use mitra_sdk::prelude::*;

use crate::backend::{Hospital, Status};
use crate::rules::{Kind, rupees, treatment};

/// `YYYY-MM-DD…` as Indian documents print it, or as given when it is not a date.
pub fn display(iso: &str) -> String {
    iso.get(..10).and_then(|d| validate::date(d).ok()).map(validate::display_date).unwrap_or_else(|| iso.to_owned())
}

fn kind_text(kind: &str) -> Text {
    match kind {
        "loc" => Text::new("Letter of Credit").te("లెటర్ ఆఫ్ క్రెడిట్ (LOC)").hi("लेटर ऑफ क्रेडिट"),
        "reimbursement" => Text::new("Reimbursement").te("తిరిగి చెల్లింపు").hi("प्रतिपूर्ति"),
        _ => Text::new("Financial assistance").te("ఆర్థిక సహాయం").hi("आर्थिक सहायता"),
    }
}

fn stage_text(status: &Status) -> Text {
    let sanctioned = status.sanctioned.map(|s| rupees(s as f64)).unwrap_or_default();
    match status.stage.as_str() {
        "received" => {
            Text::new("Received; awaiting verification").te("స్వీకరించబడింది; పరిశీలన కోసం వేచి ఉంది").hi("प्राप्त; जाँच बाकी")
        }
        "hospital-verification" => Text::new("Estimate being verified with the hospital")
            .te("ఆసుపత్రితో అంచనా పరిశీలనలో ఉంది")
            .hi("अस्पताल से अनुमान की जाँच हो रही है"),
        "cmo-scrutiny" => Text::new("Under scrutiny at the Chief Minister's Office")
            .te("ముఖ్యమంత్రి కార్యాలయంలో పరిశీలనలో ఉంది")
            .hi("मुख्यमंत्री कार्यालय में जाँच के अधीन"),
        "sanctioned" => Text::new(format!("Sanctioned {sanctioned}; payment being processed"))
            .te(format!("{sanctioned} మంజూరైంది; చెల్లింపు జరుగుతోంది"))
            .hi(format!("{sanctioned} स्वीकृत; भुगतान प्रक्रिया में")),
        "paid" if status.kind == "loc" => Text::new(format!("{sanctioned} paid to the hospital"))
            .te(format!("{sanctioned} ఆసుపత్రికి చెల్లించబడింది"))
            .hi(format!("{sanctioned} अस्पताल को भुगतान किया गया")),
        "paid" => Text::new(format!("{sanctioned} paid; cheque sent to the patient"))
            .te(format!("{sanctioned} చెల్లించబడింది; రోగికి చెక్కు పంపబడింది"))
            .hi(format!("{sanctioned} भुगतान; मरीज़ को चेक भेजा गया")),
        "rejected" => {
            let (en, te, hi) = match status.rejection.as_deref() {
                Some("vaidya-seva-covered") => {
                    ("covered by Dr. NTR Vaidya Seva", "డా. ఎన్టీఆర్ వైద్య సేవ పరిధిలో ఉంది", "डॉ. एनटीआर वैद्य सेवा में शामिल")
                }
                Some("income-above-limit") => {
                    ("family income above the limit", "కుటుంబ ఆదాయం పరిమితి మించింది", "परिवार की आय सीमा से अधिक")
                }
                _ => ("documents incomplete", "పత్రాలు అసంపూర్ణం", "दस्तावेज़ अधूरे"),
            };
            Text::new(format!("Rejected: {en}")).te(format!("తిరస్కరించబడింది: {te}")).hi(format!("अस्वीकृत: {hi}"))
        }
        other => Text::new(other),
    }
}

/// An application's status as the citizen reads it.
pub fn status_record(status: &Status) -> DataRecord {
    let stage = stage_text(status);
    DataRecord::new(
        Text::new(format!("{}: {}", status.number, stage.en))
            .te(format!("{}: {}", status.number, stage.te.as_deref().unwrap_or(&stage.en)))
            .hi(format!("{}: {}", status.number, stage.hi.as_deref().unwrap_or(&stage.en))),
    )
    .field(Text::new("Request").te("అభ్యర్థన").hi("अनुरोध"), kind_text(&status.kind).en)
    .field(Text::new("Patient").te("రోగి").hi("मरीज़"), format!("{} / {}", status.patient, status.patient_te))
    .field(Text::new("Hospital").te("ఆసుపత్రి").hi("अस्पताल"), format!("{} ({})", status.hospital, status.hospital_code))
    .field(Text::new("Treatment").te("చికిత్స").hi("उपचार"), treatment(&status.treatment).en)
    .field(Text::new("Amount asked").te("కోరిన మొత్తం").hi("माँगी गई राशि"), rupees(status.requested as f64))
    .field(
        Text::new("Amount sanctioned").te("మంజూరైన మొత్తం").hi("स्वीकृत राशि"),
        status.sanctioned.map(|s| rupees(s as f64)).unwrap_or_else(|| "—".to_owned()),
    )
    .field(Text::new("Stage").te("దశ").hi("चरण"), stage.en)
    .field(Text::new("Submitted on").te("సమర్పించిన తేదీ").hi("जमा करने की तिथि"), display(&status.submitted_on))
    .field(Text::new("Last updated").te("చివరి మార్పు").hi("अंतिम अपडेट"), display(&status.updated_on))
}

/// The network hospitals of a district.
pub fn hospitals_record(district: &str, hospitals: &[Hospital]) -> DataRecord {
    let mut record = DataRecord::new(
        Text::new(format!("{} CMRF network hospitals in {district}; use the code when you apply", hospitals.len()))
            .te(format!("{district}లో {} CMRF నెట్‌వర్క్ ఆసుపత్రులు; దరఖాస్తులో కోడ్ వాడండి", hospitals.len()))
            .hi(format!("{district} में {} CMRF नेटवर्क अस्पताल; आवेदन में कोड लिखें", hospitals.len())),
    );
    for h in hospitals {
        let treatments: Vec<String> = h.treatments.iter().map(|t| treatment(t).en).collect();
        let mut notes = Vec::new();
        if h.vaidya_seva {
            notes.push("Vaidya Seva");
        }
        if h.loc {
            notes.push("LOC accepted");
        }
        if h.status != "active" {
            notes.push("SUSPENDED");
        }
        record = record.field(
            Text::new(h.code.as_str()),
            format!("{} / {}, {} · {} · {}", h.name, h.name_te, h.city, treatments.join(", "), notes.join(", ")),
        );
    }
    record
}

/// What the acknowledgement letter prints besides the common lines.
pub struct Acknowledged<'a> {
    pub kind: Kind,
    pub patient: &'a str,
    pub aadhaar: &'a str,
    pub hospital: String,
    pub treatment: &'a str,
    pub amount: f64,
    pub documents: Vec<String>,
}

fn kind_title(kind: Kind) -> (&'static str, &'static str, u32) {
    match kind {
        Kind::Assistance => ("Financial assistance for treatment", "చికిత్సకు ఆర్థిక సహాయం", 30),
        Kind::Loc => ("Letter of Credit before admission", "చికిత్సకు ముందు లెటర్ ఆఫ్ క్రెడిట్", 7),
        Kind::Reimbursement => ("Reimbursement of treatment bills", "చికిత్స ఖర్చుల తిరిగి చెల్లింపు", 45),
    }
}

fn letter_head(application: &Application) -> Document {
    Document::new(
        Text::new("Acknowledgement — CM Relief Fund / ముఖ్యమంత్రి సహాయ నిధి రసీదు")
            .te("ముఖ్యమంత్రి సహాయ నిధి రసీదు / Acknowledgement — CM Relief Fund"),
        Layout::Letter,
    )
    .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య"), application.number.as_str())
    .field(Text::new("Received on").te("స్వీకరించిన తేదీ"), display(&application.submitted_at))
    .field(Text::new("Applicant").te("దరఖాస్తుదారు"), application.applicant.profile_name.clone().unwrap_or_default())
}

/// The acknowledgement of a request for money from the fund.
pub fn acknowledgement(application: &Application, a: &Acknowledged<'_>) -> Document {
    let (what, what_te, days) = kind_title(a.kind);
    let amount_label = match a.kind {
        Kind::Reimbursement => Text::new("Bills claimed").te("క్లెయిమ్ చేసిన బిల్లులు"),
        _ => Text::new("Hospital estimate").te("ఆసుపత్రి అంచనా"),
    };
    let t = treatment(a.treatment);
    letter_head(application)
        .field(Text::new("Request").te("అభ్యర్థన"), format!("{what} / {what_te}"))
        .field(Text::new("Patient").te("రోగి"), a.patient)
        .field(Text::new("Patient's Aadhaar").te("రోగి ఆధార్"), validate::mask_aadhaar(a.aadhaar))
        .field(Text::new("Hospital").te("ఆసుపత్రి"), a.hospital.as_str())
        .field(Text::new("Treatment").te("చికిత్స"), format!("{} / {}", t.en, t.te.unwrap_or_default()))
        .field(amount_label, rupees(a.amount))
        .field(Text::new("Documents received").te("అందిన పత్రాలు"), a.documents.join(", "))
        .body(
            Text::new(format!(
                "Your request has reached the Chief Minister's Relief Fund, AP Secretariat, Velagapudi. The hospital's \
                 estimate and the documents are verified first; you will hear within {days} days. No fee is charged \
                 and no middleman is needed: quote the application number in any enquiry."
            ))
            .te(format!(
                "మీ అభ్యర్థన ముఖ్యమంత్రి సహాయ నిధి, ఏపీ సచివాలయం, వెలగపూడికి చేరింది. ఆసుపత్రి అంచనా, పత్రాలు ముందుగా \
                 పరిశీలిస్తారు; {days} రోజుల్లో తెలియజేస్తాం. ఎలాంటి రుసుము లేదు, మధ్యవర్తులు అవసరం లేదు: ఏ విచారణలోనైనా \
                 దరఖాస్తు సంఖ్య చెప్పండి."
            )),
        )
}

/// The acknowledgement of a grievance about an application.
pub fn grievance_acknowledgement(application: &Application, about: &str, issue: &str) -> Document {
    letter_head(application)
        .field(Text::new("Request").te("అభ్యర్థన"), "Grievance / ఫిర్యాదు")
        .field(Text::new("About application").te("సంబంధిత దరఖాస్తు"), about)
        .field(Text::new("Issue").te("సమస్య"), issue)
        .body(
            Text::new("Your grievance is registered with the CMRF wing of the Chief Minister's Office; an officer will call you within 15 days.")
                .te("మీ ఫిర్యాదు ముఖ్యమంత్రి కార్యాలయం CMRF విభాగంలో నమోదైంది; 15 రోజుల్లో అధికారి మీకు ఫోన్ చేస్తారు."),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_reads_its_stage_and_money() {
        let status = Status {
            number: "CMRF-2025-004217".into(),
            kind: "loc".into(),
            patient: "Suresh Naidu".into(),
            patient_te: "సురేష్ నాయుడు".into(),
            district: "Guntur".into(),
            hospital_code: "H1101".into(),
            hospital: "Government General Hospital, Guntur".into(),
            treatment: "neuro".into(),
            requested: 350_000,
            sanctioned: Some(210_000),
            stage: "paid".into(),
            rejection: None,
            submitted_on: "2025-03-04".into(),
            updated_on: "2025-04-01".into(),
        };
        let record = status_record(&status);
        assert_eq!(record.summary.en, "CMRF-2025-004217: ₹2,10,000 paid to the hospital");
        assert!(record.summary.te.as_deref().unwrap().contains("ఆసుపత్రికి"));
        assert!(record.fields.iter().any(|f| f.value == "04-03-2025"));
        let rejected = Status { stage: "rejected".into(), rejection: Some("income-above-limit".into()), ..status };
        assert!(status_record(&rejected).summary.en.contains("income above the limit"));
    }

    #[test]
    fn the_hospital_list_flags_vaidya_seva_locs_and_suspensions() {
        let hospital = |code: &str, vaidya_seva, loc, status: &str| Hospital {
            code: code.into(),
            name: "Tenali Kidney Care".into(),
            name_te: "తెనాలి కిడ్నీ కేర్".into(),
            city: "Tenali".into(),
            district: "Guntur".into(),
            treatments: vec!["kidney".into()],
            vaidya_seva,
            loc,
            status: status.into(),
        };
        let record = hospitals_record(
            "Guntur",
            &[hospital("H1101", true, true, "active"), hospital("H1103", false, false, "suspended")],
        );
        assert!(record.summary.en.starts_with("2 CMRF network hospitals in Guntur"));
        assert_eq!(record.fields[0].label.en, "H1101");
        assert!(
            record.fields[0].value.ends_with("Kidney/dialysis · Vaidya Seva, LOC accepted"),
            "{}",
            record.fields[0].value
        );
        assert!(record.fields[1].value.ends_with("· SUSPENDED"), "{}", record.fields[1].value);
    }
}
