//! The corporations' records shaped for a citizen: summaries in English
//! and Telugu, names printed in both scripts, a UPI link where money is due.

use mitra_sdk::prelude::*;

use crate::{backend, label, rules};

pub(crate) fn birth_record(b: &backend::Birth) -> DataRecord {
    let name = b.child.as_ref().map_or("(name not yet registered)".to_owned(), backend::Bilingual::both);
    DataRecord::new(
        Text::new(format!(
            "Birth {}: {}, born {}",
            b.registration,
            b.child.as_ref().map_or("name not registered", |c| &c.en),
            rules::display_date(&b.date_of_birth)
        ))
        .te(format!(
            "జననం {}: {}, పుట్టిన తేదీ {}",
            b.registration,
            b.child.as_ref().map_or("పేరు నమోదు కాలేదు", |c| &c.te),
            rules::display_date(&b.date_of_birth)
        )),
    )
    .field(label("Name", "పేరు", "नाम"), name)
    .field(label("Sex", "లింగం", "लिंग"), b.sex.both())
    .field(label("Date of birth", "పుట్టిన తేదీ", "जन्म तिथि"), rules::display_date(&b.date_of_birth))
    .field(label("Place of birth", "పుట్టిన స్థలం", "जन्म स्थान"), b.place_of_birth.both())
    .field(label("Mother's name", "తల్లి పేరు", "माता का नाम"), b.mother.both())
    .field(label("Father's name", "తండ్రి పేరు", "पिता का नाम"), b.father.both())
    .field(label("Registered on", "నమోదు తేదీ", "पंजीकरण तिथि"), rules::display_date(&b.registered_on))
    .field(label("Registered at", "నమోదు చేసిన సంస్థ", "पंजीकरण स्थान"), b.ulb.both())
}

pub(crate) fn death_record(d: &backend::Death) -> DataRecord {
    DataRecord::new(
        Text::new(format!(
            "Death {}: {}, died {}",
            d.registration,
            d.deceased.en,
            rules::display_date(&d.date_of_death)
        ))
        .te(format!(
            "మరణం {}: {}, మరణ తేదీ {}",
            d.registration,
            d.deceased.te,
            rules::display_date(&d.date_of_death)
        )),
    )
    .field(label("Name of the deceased", "మరణించినవారి పేరు", "मृतक का नाम"), d.deceased.both())
    .field(label("Sex", "లింగం", "लिंग"), d.sex.both())
    .field(label("Age", "వయస్సు", "आयु"), d.age.to_string())
    .field(label("Father / husband", "తండ్రి / భర్త", "पिता / पति"), d.relation.both())
    .field(label("Date of death", "మరణ తేదీ", "मृत्यु तिथि"), rules::display_date(&d.date_of_death))
    .field(label("Place of death", "మరణ స్థలం", "मृत्यु स्थान"), d.place_of_death.both())
    .field(label("Registered on", "నమోదు తేదీ", "पंजीकरण तिथि"), rules::display_date(&d.registered_on))
}

fn upi_link(p: &backend::PropertyTax) -> String {
    let note = format!("Property tax {} {}", p.assessment, p.financial_year);
    rules::upi_intent(&p.payee.vpa, &p.payee.name, p.total_due_paise, &p.demand_ref, &note)
}

pub(crate) fn tax_record(p: &backend::PropertyTax) -> DataRecord {
    let due = rules::rupees(p.total_due_paise);
    let summary = if p.total_due_paise == 0 {
        Text::new(format!("Assessment {}: nothing due for {}", p.assessment, p.financial_year))
            .te(format!("అసెస్‌మెంట్ {}: {} కి బకాయి లేదు", p.assessment, p.financial_year))
            .hi(format!("निर्धारण {}: {} के लिए कोई बकाया नहीं", p.assessment, p.financial_year))
    } else {
        Text::new(format!("Assessment {}: {due} due ({})", p.assessment, p.owner.en))
            .te(format!("అసెస్‌మెంట్ {}: {due} బకాయి ({})", p.assessment, p.owner.te))
            .hi(format!("निर्धारण {}: {due} बकाया ({})", p.assessment, p.owner.en))
    };
    let mut record = DataRecord::new(summary)
        .field(label("Assessment No.", "అసెస్‌మెంట్ నంబర్", "निर्धारण संख्या"), p.assessment.as_str())
        .field(label("Owner", "యజమాని", "मालिक"), p.owner.both())
        .field(label("Address", "చిరునామా", "पता"), format!("{}, Ward {}", p.address.en, p.ward))
        .field(label("Corporation", "నగరపాలక సంస్థ", "नगर निगम"), p.ulb.both())
        .field(label("Usage", "వినియోగం", "उपयोग"), p.usage.both())
        .field(label("Plinth area", "ప్లింత్ విస్తీర్ణం", "प्लिंथ क्षेत्र"), format!("{} sq ft", p.plinth_area_sqft))
        .field(label("Annual tax", "వార్షిక పన్ను", "वार्षिक कर"), rules::rupees(p.annual_tax_paise))
        .field(
            Text::new(format!("Current demand {}", p.financial_year)).te(format!("ప్రస్తుత డిమాండ్ {}", p.financial_year)),
            rules::rupees(p.current_demand_paise),
        )
        .field(label("Arrears", "బకాయిలు", "बकाया"), rules::rupees(p.arrears_paise))
        .field(label("Interest (2% a month)", "వడ్డీ (నెలకు 2%)", "ब्याज (2% प्रति माह)"), rules::rupees(p.interest_paise))
        .field(label("Total due", "మొత్తం బకాయి", "कुल बकाया"), due);
    if let Some(paid) = &p.last_payment {
        record = record.field(
            label("Last payment", "చివరి చెల్లింపు", "अंतिम भुगतान"),
            format!(
                "{} on {}, receipt {}",
                rules::rupees(paid.amount_paise),
                rules::display_date(&paid.date),
                paid.receipt
            ),
        );
    }
    if p.total_due_paise > 0 {
        record = record
            .field(label("Pay to", "చెల్లించవలసినది", "भुगतान प्राप्तकर्ता"), format!("{} ({})", p.payee.name, p.payee.vpa))
            .field(label("Payment reference", "చెల్లింపు రిఫరెన్స్", "भुगतान संदर्भ"), p.demand_ref.as_str())
            .field(label("Pay by UPI", "యూపీఐ ద్వారా చెల్లించండి", "यूपीआई से भुगतान"), upi_link(p));
    }
    record
}

pub(crate) fn licence_record(l: &backend::TradeLicence) -> DataRecord {
    let category = rules::TRADES.iter().find(|t| t.0 == l.category).map_or(l.category.as_str(), |t| t.1);
    let mut record = DataRecord::new(
        Text::new(format!(
            "Trade licence {}: {}, {}, valid until {}",
            l.number,
            l.trade_name,
            l.status,
            rules::display_date(&l.valid_until)
        ))
        .te(format!(
            "ట్రేడ్ లైసెన్సు {}: {}, {}, {} వరకు",
            l.number,
            l.trade_name,
            l.status,
            rules::display_date(&l.valid_until)
        )),
    )
    .field(label("Licence No.", "లైసెన్సు నంబర్", "लाइसेंस संख्या"), l.number.as_str())
    .field(label("Trade name", "వ్యాపారం పేరు", "व्यापार का नाम"), l.trade_name.as_str())
    .field(label("Owner", "యజమాని", "मालिक"), l.owner.both())
    .field(label("Kind of trade", "వ్యాపార రకం", "व्यापार का प्रकार"), category)
    .field(label("Premises", "దుకాణం చిరునామా", "परिसर"), l.address.en.as_str())
    .field(label("Valid until", "చెల్లుబాటు", "वैधता"), rules::display_date(&l.valid_until))
    .field(label("Status", "స్థితి", "स्थिति"), l.status.as_str());
    if let Some(remarks) = &l.remarks {
        record = record.field(label("Remarks", "వ్యాఖ్యలు", "टिप्पणी"), remarks.both());
    }
    record
}

pub(crate) fn permission_record(b: &backend::BuildingPermission) -> DataRecord {
    let mut record = DataRecord::new(
        Text::new(format!("Building permission {}: {}", b.number, b.stage.en))
            .te(format!("భవన అనుమతి {}: {}", b.number, b.stage.te)),
    )
    .field(label("Application No.", "దరఖాస్తు సంఖ్య", "आवेदन संख्या"), b.number.as_str())
    .field(label("Applicant", "దరఖాస్తుదారు", "आवेदक"), b.applicant.both())
    .field(label("Site", "స్థలం", "स्थल"), b.site.both())
    .field(label("Plot area", "ప్లాట్ విస్తీర్ణం", "प्लॉट क्षेत्र"), format!("{} sq yards", b.plot_area_sq_yards))
    .field(label("Proposal", "ప్రతిపాదన", "प्रस्ताव"), b.proposal.both())
    .field(label("Submitted on", "సమర్పించిన తేదీ", "जमा तिथि"), rules::display_date(&b.submitted_on))
    .field(label("Corporation", "నగరపాలక సంస్థ", "नगर निगम"), b.ulb.both())
    .field(label("Stage", "దశ", "चरण"), b.stage.both())
    .field(label("Status", "స్థితి", "स्थिति"), b.status.as_str());
    if let Some(with) = &b.pending_with {
        record = record.field(label("Pending with", "ఎవరి వద్ద", "किसके पास लंबित"), with.both());
    }
    if let Some(shortfall) = &b.shortfall {
        record = record.field(label("Submit", "సమర్పించవలసినవి", "जमा करें"), shortfall.both());
    }
    if let Some(permit) = &b.permit {
        record = record.field(label("Permit No.", "అనుమతి నంబర్", "परमिट संख्या"), permit.as_str());
    }
    if let Some(remarks) = &b.remarks {
        record = record.field(label("Remarks", "వ్యాఖ్యలు", "टिप्पणी"), remarks.both());
    }
    record
}
