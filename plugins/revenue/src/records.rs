//! Webland and e-Mutation records shaped for a citizen: summaries in
//! English and Telugu, names printed in both scripts.

use mitra_sdk::prelude::*;

use crate::places::Place;
use crate::{backend, label, rules};

pub(crate) fn adangal_record(a: &backend::Adangal, place: &Place) -> DataRecord {
    let owner = a.pattadar.as_ref().map_or("Government".to_owned(), |p| p.en.clone());
    let owner_te = a.pattadar.as_ref().map_or("ప్రభుత్వం".to_owned(), |p| p.te.clone());
    let crop = a.crop.as_ref().map_or("—".to_owned(), |c| format!("{} ({})", c.both(), a.season));
    let area = rules::extent(a.extent_cents);
    DataRecord::new(
        Text::new(format!("Sy. No. {}, {}: {area}, {} — {owner}", a.survey, a.village.en, a.classification.en))
            .te(format!("స.నం. {}, {}: {area}, {} — {owner_te}", a.survey, a.village.te, a.classification.te)),
    )
    .field(label("Village", "గ్రామం", "गाँव"), format!("{} / {}", place.en(), place.te()))
    .field(label("Survey No.", "సర్వే నంబర్", "सर्वे नंबर"), a.survey.as_str())
    .field(label("Khata No.", "ఖాతా నంబర్", "खाता नंबर"), a.khata.to_string())
    .field(
        label("Pattadar", "పట్టాదారు", "पट्टादार"),
        a.pattadar.as_ref().map_or("Government / ప్రభుత్వం".to_owned(), |p| p.both()),
    )
    .field(label("Father's name", "తండ్రి పేరు", "पिता का नाम"), a.father.as_ref().map_or("—".to_owned(), |f| f.both()))
    .field(label("Land type", "భూమి రకం", "भूमि प्रकार"), a.land_type_label.both())
    .field(label("Extent", "విస్తీర్ణం", "रकबा"), area)
    .field(label("Classification", "భూమి వర్గం", "भूमि वर्ग"), a.classification.both())
    .field(label("Water source", "నీటి వనరు", "सिंचाई स्रोत"), a.irrigation.both())
    .field(label("Crop", "పంట", "फसल"), crop)
    .field(label("Cultivator", "సాగుదారు", "काश्तकार"), a.cultivator.both())
    .field(label("Updated by", "నవీకరించినవారు", "अद्यतनकर्ता"), a.updated_by.as_str())
}

pub(crate) fn ror_1b_record(r: &backend::Ror1b) -> DataRecord {
    let total = rules::extent(r.total_extent_cents);
    let parcels = r.holdings.len();
    let mut record = DataRecord::new(
        Text::new(format!("Khata {} of {}: {}, {parcels} parcels, {total}", r.khata, r.village.en, r.pattadar.en))
            .te(format!("{} ఖాతా {}: {}, {parcels} భూభాగాలు, {total}", r.village.te, r.khata, r.pattadar.te)),
    )
    .field(label("Khata No.", "ఖాతా నంబర్", "खाता नंबर"), r.khata.to_string())
    .field(label("Pattadar", "పట్టాదారు", "पट्टादार"), r.pattadar.both())
    .field(label("Father's name", "తండ్రి పేరు", "पिता का नाम"), r.father.both())
    .field(label("Passbook No.", "పాస్‌పుస్తకం నంబర్", "पासबुक नंबर"), r.passbook.as_str())
    .field(label("Land type", "భూమి రకం", "भूमि प्रकार"), r.land_type_label.both());
    for h in &r.holdings {
        record = record.field(
            Text::new(format!("Sy. No. {}", h.survey)).te(format!("స.నం. {}", h.survey)),
            format!("{}, {}", rules::extent(h.extent_cents), h.classification.both()),
        );
    }
    record.field(label("Total extent", "మొత్తం విస్తీర్ణం", "कुल रकबा"), total)
}

pub(crate) fn mutation_record(m: &backend::Mutation) -> DataRecord {
    let (status, status_te) = match m.status.as_str() {
        "approved" => ("approved; 1-B updated".to_owned(), "ఆమోదించబడింది; 1-బి సవరించబడింది".to_owned()),
        "rejected" => ("rejected".to_owned(), "తిరస్కరించబడింది".to_owned()),
        _ => {
            let with = m.pending_with.as_ref();
            (
                format!("pending with the {}", with.map_or("Tahsildar", |w| w.en.as_str())),
                format!("{} వద్ద పెండింగ్‌లో ఉంది", with.map_or("తహసీల్దార్", |w| w.te.as_str())),
            )
        }
    };
    let mut record = DataRecord::new(
        Text::new(format!("Mutation {}: {status}", m.number)).te(format!("మ్యుటేషన్ {}: {status_te}", m.number)),
    )
    .field(label("Application No.", "దరఖాస్తు సంఖ్య", "आवेदन संख्या"), m.number.as_str())
    .field(label("Applied on", "దరఖాస్తు తేదీ", "आवेदन तिथि"), rules::display_date(&m.applied_on))
    .field(label("Village", "గ్రామం", "गाँव"), format!("{}, {} Mandal", m.village.both(), m.mandal.en))
    .field(label("Survey No.", "సర్వే నంబర్", "सर्वे नंबर"), m.survey.as_str())
    .field(label("Transaction", "లావాదేవీ", "लेन-देन"), format!("{}, document {}", m.transaction.both(), m.document))
    .field(label("From", "బదిలీదారు", "हस्तांतरक"), m.transferor.both())
    .field(label("To", "స్వీకర్త", "प्राप्तकर्ता"), m.transferee.both())
    .field(label("Status", "స్థితి", "स्थिति"), m.status.as_str());
    for step in &m.history {
        record = record.field(Text::new(rules::display_date(&step.date)), step.step.both());
    }
    if let Some(remarks) = &m.remarks {
        record = record.field(label("Reason", "కారణం", "कारण"), remarks.both());
    }
    record.field(label("Service time", "సేవా గడువు", "सेवा अवधि"), format!("{} days", m.sla_days))
}

pub(crate) fn fmb_record(f: &backend::Fmb) -> DataRecord {
    let (ready, ready_te) = if f.digitised {
        ("scanned; a copy is issued the same day", "స్కాన్ చేయబడింది; అదే రోజు నకలు")
    } else {
        ("to be traced by the Mandal Surveyor", "మండల సర్వేయర్ గీసి ఇవ్వాలి")
    };
    let mut record = DataRecord::new(
        Text::new(format!("FMB of Sy. No. {}: {}, {ready}", f.survey, rules::extent(f.area_cents))).te(format!(
            "స.నం. {} ఎఫ్ఎంబీ: {}, {ready_te}",
            f.survey,
            rules::extent(f.area_cents)
        )),
    )
    .field(label("Survey No.", "సర్వే నంబర్", "सर्वे नंबर"), f.survey.to_string())
    .field(label("Area", "విస్తీర్ణం", "क्षेत्रफल"), rules::extent(f.area_cents))
    .field(label("North", "ఉత్తరం", "उत्तर"), f.north.as_str())
    .field(label("South", "దక్షిణం", "दक्षिण"), f.south.as_str())
    .field(label("East", "తూర్పు", "पूर्व"), f.east.as_str())
    .field(label("West", "పడమర", "पश्चिम"), f.west.as_str());
    if !f.subdivisions.is_empty() {
        record = record.field(label("Subdivisions", "ఉప విభాగాలు", "उपखंड"), f.subdivisions.join(", "));
    }
    record
}
