//! Energy: the services of AP's three power distribution companies (APSPDCL,
//! APCPDCL, APEPDCL) — bills and UPI payment by service number, new
//! connections, outage complaints, self meter readings, category changes,
//! name transfers, PM Surya Ghar rooftop solar and no-dues certificates.
//!
//! The rules are pure functions in [`rules`]; the consumer's record (dues,
//! category, load, last reading) comes from the DISCOM system, so rules that
//! depend on it call the system from `check_eligibility` too.

use mitra_sdk::prelude::*;
use serde::{Deserialize, Serialize};

mod backend;
mod rules;
mod services;

use rules::Category;

struct Energy;

/// A consumer as the DISCOM system reports it.
#[derive(Deserialize)]
struct Consumer {
    usc: String,
    name: String,
    name_te: String,
    discom: String,
    discom_name: String,
    district: String,
    district_te: String,
    mandal: String,
    village: String,
    village_te: String,
    section_office: String,
    category: String,
    tariff: String,
    phase: String,
    sanctioned_load_kw: f64,
    meter_number: String,
    status: String,
    arrears_paise: u64,
    last_reading_kwh: u64,
    last_reading_date: String,
}

impl Consumer {
    fn account(&self) -> rules::Account<'_> {
        rules::Account {
            usc: &self.usc,
            name: &self.name,
            category: Category::parse(&self.category),
            disconnected: self.status == "disconnected",
            arrears_paise: self.arrears_paise,
            sanctioned_load_kw: self.sanctioned_load_kw,
            last_reading_kwh: self.last_reading_kwh,
        }
    }

    fn address(&self) -> String {
        format!("{}, {} mandal, {} district", self.village, self.mandal, self.district)
    }
}

#[derive(Deserialize)]
struct Bill {
    usc: String,
    name: String,
    discom: String,
    tariff: String,
    status: String,
    bill_number: String,
    bill_month: String,
    bill_date: String,
    due_date: String,
    previous_reading_kwh: u64,
    present_reading_kwh: u64,
    units: u64,
    energy_charges_paise: u64,
    fixed_charges_paise: u64,
    customer_charges_paise: u64,
    electricity_duty_paise: u64,
    current_paise: u64,
    arrears_paise: u64,
    total_due_paise: u64,
}

#[derive(Deserialize)]
struct PaymentOrder {
    usc: String,
    txn_ref: String,
    amount_paise: u64,
    vpa: String,
    payee: String,
    bill_number: String,
    bill_month: String,
    due_date: String,
}

#[derive(Deserialize)]
struct Office {
    district: String,
    district_te: String,
    discom: String,
    discom_name: String,
    circle_office: String,
    sections: Vec<String>,
    helpline: String,
}

#[derive(Serialize)]
struct ComplaintRequest<'a> {
    usc: &'a str,
    kind: &'a str,
    mobile: &'a str,
}

#[derive(Deserialize)]
struct Complaint {
    number: String,
    kind_name: String,
    discom: String,
    section_office: String,
    restore_within_hours: u32,
    registered_on: String,
}

#[derive(Serialize)]
struct ReadingRequest<'a> {
    usc: &'a str,
    reading_kwh: u64,
}

#[derive(Deserialize)]
struct Reading {
    previous_reading_kwh: u64,
    previous_reading_date: String,
    present_reading_kwh: u64,
    units: u64,
    estimated_paise: u64,
    status: String,
}

fn usc(answers: &Answers<'_>) -> Result<Option<String>, PluginError> {
    Ok(rules::usc(answers.text("usc")?))
}

fn required_usc(answers: &Answers<'_>) -> Result<String, PluginError> {
    usc(answers)?.ok_or_else(|| PluginError::InvalidInput("a service number (USC) has 13 digits".into()))
}

fn consumer(usc: &str) -> Result<Consumer, PluginError> {
    backend::get(&format!("/consumers/{usc}"))
}

fn whole(answers: &Answers<'_>, field: &str) -> Result<u64, PluginError> {
    let n = answers.number(field)?;
    if n.fract() != 0.0 || n < 0.0 || n > u32::MAX as f64 {
        return Err(PluginError::InvalidInput(format!("{field} must be a whole number")));
    }
    Ok(n as u64)
}

fn category(answers: &Answers<'_>, field: &str) -> Result<Category, PluginError> {
    let id = answers.choice(field)?;
    Category::parse(id).ok_or_else(|| PluginError::InvalidInput(format!("no category {id:?}")))
}

fn roof(answers: &Answers<'_>) -> Result<rules::Roof, PluginError> {
    Ok(rules::Roof {
        owned: answers.choice("roof")? == "own",
        area_sqft: answers.number("roof-area")?,
        capacity_kw: answers.number("capacity")?,
        subsidy_taken_before: answers.choice("subsidy-before")? == "yes",
    })
}

fn money(paise: u64) -> String {
    rules::rupees_text(paise)
}

fn bill_record(b: &Bill) -> DataRecord {
    let (total, due) = (money(b.total_due_paise), rules::display(&b.due_date));
    let summary = if b.total_due_paise == 0 {
        Text::new(format!("Nothing due on USC {} ({}) for {}", b.usc, b.discom, b.bill_month))
            .te(format!("USC {} ({}) పై {} కి బకాయి లేదు", b.usc, b.discom, b.bill_month))
            .hi(format!("USC {} ({}) पर {} का कोई बकाया नहीं", b.usc, b.discom, b.bill_month))
    } else {
        Text::new(format!("Bill {total} due {due} · USC {} ({})", b.usc, b.discom))
            .te(format!("బిల్లు {total}, చెల్లించాల్సిన గడువు {due} · USC {} ({})", b.usc, b.discom))
            .hi(format!("बिल {total}, अंतिम तिथि {due} · USC {} ({})", b.usc, b.discom))
    };
    let mut record = DataRecord::new(summary)
        .field(Text::new("Consumer").te("వినియోగదారు").hi("उपभोक्ता"), b.name.as_str())
        .field(Text::new("Service number").te("సర్వీస్ నంబర్").hi("सर्विस नंबर"), b.usc.as_str())
        .field(Text::new("DISCOM").te("డిస్కం").hi("डिस्कॉम"), b.discom.as_str())
        .field(Text::new("Category").te("కేటగిరీ").hi("श्रेणी"), b.tariff.as_str())
        .field(Text::new("Bill month").te("బిల్లు నెల").hi("बिल माह"), b.bill_month.as_str())
        .field(Text::new("Bill number").te("బిల్లు నంబర్").hi("बिल नंबर"), b.bill_number.as_str())
        .field(Text::new("Bill date").te("బిల్లు తేదీ").hi("बिल तिथि"), rules::display(&b.bill_date))
        .field(Text::new("Due date").te("చెల్లింపు గడువు").hi("अंतिम तिथि"), due)
        .field(
            Text::new("Readings (kWh)").te("రీడింగ్‌లు (యూనిట్లు)").hi("रीडिंग (यूनिट)"),
            format!("{} → {}", b.previous_reading_kwh, b.present_reading_kwh),
        )
        .field(Text::new("Units consumed").te("వినియోగించిన యూనిట్లు").hi("खपत यूनिट"), b.units.to_string())
        .field(Text::new("Energy charges").te("విద్యుత్ ఛార్జీలు").hi("ऊर्जा शुल्क"), money(b.energy_charges_paise))
        .field(Text::new("Fixed charges").te("స్థిర ఛార్జీలు").hi("स्थायी शुल्क"), money(b.fixed_charges_paise))
        .field(Text::new("Customer charges").te("కస్టమర్ ఛార్జీలు").hi("ग्राहक शुल्क"), money(b.customer_charges_paise))
        .field(Text::new("Electricity duty").te("విద్యుత్ సుంకం").hi("विद्युत शुल्क"), money(b.electricity_duty_paise))
        .field(Text::new("This month").te("ఈ నెల బిల్లు").hi("इस माह"), money(b.current_paise))
        .field(Text::new("Arrears").te("బకాయి").hi("बकाया"), money(b.arrears_paise))
        .field(Text::new("Total due").te("మొత్తం చెల్లించాల్సింది").hi("कुल देय"), total);
    if b.status == "disconnected" {
        record = record.field(
            Text::new("Supply").te("సరఫరా").hi("आपूर्ति"),
            "Disconnected for non-payment; paying the total restores it within 24 hours",
        );
    }
    record
}

fn payment_record(p: &PaymentOrder) -> DataRecord {
    let amount = money(p.amount_paise);
    let note = format!("{} bill {} USC {}", p.payee, p.bill_month, p.usc);
    let link = rules::upi_link(&p.vpa, &p.payee, p.amount_paise, &p.txn_ref, &note);
    DataRecord::new(
        Text::new(format!("Pay {amount} to {} for USC {} by UPI", p.payee, p.usc))
            .te(format!("USC {} కోసం {} కు {amount} UPI ద్వారా చెల్లించండి", p.usc, p.payee))
            .hi(format!("USC {} के लिए {} को {amount} UPI से चुकाएँ", p.usc, p.payee)),
    )
    .field(Text::new("Amount").te("మొత్తం").hi("राशि"), amount)
    .field(Text::new("Pay to").te("చెల్లింపు ఎవరికి").hi("किसे"), format!("{} ({})", p.payee, p.vpa))
    .field(Text::new("Bill").te("బిల్లు").hi("बिल"), format!("{} · {}", p.bill_number, p.bill_month))
    .field(Text::new("Due date").te("చెల్లింపు గడువు").hi("अंतिम तिथि"), rules::display(&p.due_date))
    .field(Text::new("Reference").te("రిఫరెన్స్").hi("संदर्भ"), p.txn_ref.as_str())
    .field(Text::new("Pay by UPI").te("UPI ద్వారా చెల్లించండి").hi("UPI से भुगतान"), link)
}

fn consumer_record(c: &Consumer) -> DataRecord {
    DataRecord::new(
        Text::new(format!("USC {}: {}, {} ({}), {}", c.usc, c.name, c.village, c.discom, c.status))
            .te(format!("USC {}: {}, {} ({})", c.usc, c.name_te, c.village_te, c.discom))
            .hi(format!("USC {}: {}, {} ({})", c.usc, c.name, c.village, c.discom)),
    )
    .field(Text::new("Consumer").te("వినియోగదారు").hi("उपभोक्ता"), c.name.as_str())
    .field(Text::new("Address").te("చిరునామా").hi("पता"), c.address())
    .field(Text::new("DISCOM").te("డిస్కం").hi("डिस्कॉम"), c.discom_name.as_str())
    .field(Text::new("Section office").te("సెక్షన్ కార్యాలయం").hi("सेक्शन कार्यालय"), c.section_office.as_str())
    .field(Text::new("Category").te("కేటగిరీ").hi("श्रेणी"), c.tariff.as_str())
    .field(
        Text::new("Sanctioned load").te("మంజూరైన లోడు").hi("स्वीकृत लोड"),
        format!("{} kW, {}", c.sanctioned_load_kw, c.phase),
    )
    .field(Text::new("Meter number").te("మీటర్ నంబర్").hi("मीटर नंबर"), c.meter_number.as_str())
    .field(Text::new("Arrears").te("బకాయి").hi("बकाया"), money(c.arrears_paise))
    .field(Text::new("Supply").te("సరఫరా").hi("आपूर्ति"), c.status.as_str())
}

fn fetch_new_connection(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let cat = category(answers, "category")?;
    let load = answers.number("load")?;
    let office: Office = backend::get(&format!("/offices?district={}", answers.choice("district")?))?;
    let e = rules::estimate(cat, load);
    let name = cat.name();
    let (total, phase) = (money(e.total() * 100), if e.three_phase { "three-phase" } else { "single-phase" });
    Ok(DataRecord::new(
        Text::new(format!(
            "{} serves {} district: about {total} for a {load} kW {} connection",
            office.discom, office.district, name.en
        ))
        .te(format!(
            "{} జిల్లాకు {}: {load} కిలోవాట్ {} కనెక్షన్‌కు సుమారు {total}",
            office.district_te,
            office.discom,
            name.te.as_deref().unwrap_or_default()
        ))
        .hi(format!(
            "{} ज़िले में {}: {load} किलोवाट {} कनेक्शन के लिए लगभग {total}",
            office.district,
            office.discom,
            name.hi.as_deref().unwrap_or_default()
        )),
    )
    .field(Text::new("DISCOM").te("డిస్కం").hi("डिस्कॉम"), office.discom_name)
    .field(Text::new("Circle office").te("సర్కిల్ కార్యాలయం").hi("सर्कल कार्यालय"), office.circle_office)
    .field(Text::new("Section offices").te("సెక్షన్ కార్యాలయాలు").hi("सेक्शन कार्यालय"), office.sections.join("; "))
    .field(Text::new("Supply").te("సరఫరా").hi("आपूर्ति"), phase)
    .field(Text::new("Application fee").te("దరఖాస్తు రుసుము").hi("आवेदन शुल्क"), money(e.application_fee * 100))
    .field(Text::new("Development charges").te("అభివృద్ధి ఛార్జీలు").hi("विकास शुल्क"), money(e.development_charges * 100))
    .field(Text::new("Security deposit").te("సెక్యూరిటీ డిపాజిట్").hi("सुरक्षा जमा"), money(e.security_deposit * 100))
    .field(Text::new("Estimated total").te("అంచనా మొత్తం").hi("अनुमानित कुल"), total)
    .field(
        Text::new("Next").te("తర్వాత").hi("आगे"),
        "The lineman inspects within 7 days; wiring must carry an earth leakage breaker (ELCB).",
    )
    .field(Text::new("Helpline").te("హెల్ప్‌లైన్").hi("हेल्पलाइन"), office.helpline))
}

fn fetch_outage(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let usc = required_usc(answers)?;
    let request = ComplaintRequest { usc: &usc, kind: answers.choice("fault")?, mobile: answers.text("mobile")? };
    let c: Complaint = backend::post("/complaints", &request)?;
    let hours = c.restore_within_hours;
    Ok(DataRecord::new(
        Text::new(format!("Complaint {} registered: {}; to be set right within {hours} hours", c.number, c.kind_name))
            .te(format!("ఫిర్యాదు {} నమోదైంది; {hours} గంటల్లో సరిచేస్తారు", c.number))
            .hi(format!("शिकायत {} दर्ज: {hours} घंटे में ठीक होगी", c.number)),
    )
    .field(Text::new("Complaint number").te("ఫిర్యాదు నంబర్").hi("शिकायत संख्या"), c.number.as_str())
    .field(Text::new("Fault").te("సమస్య").hi("समस्या"), c.kind_name.as_str())
    .field(Text::new("Service number").te("సర్వీస్ నంబర్").hi("सर्विस नंबर"), usc.as_str())
    .field(Text::new("Attended by").te("పరిష్కరించే కార్యాలయం").hi("कार्यालय"), format!("{}, {}", c.section_office, c.discom))
    .field(Text::new("Restore within").te("పునరుద్ధరణ గడువు").hi("बहाली समय"), format!("{hours} hours"))
    .field(Text::new("Registered on").te("నమోదు తేదీ").hi("दर्ज तिथि"), rules::display(&c.registered_on))
    .field(Text::new("Helpline").te("హెల్ప్‌లైన్").hi("हेल्पलाइन"), "1912"))
}

fn fetch_reading(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let usc = required_usc(answers)?;
    let r: Reading =
        backend::post("/readings", &ReadingRequest { usc: &usc, reading_kwh: whole(answers, "reading")? })?;
    let estimate = money(r.estimated_paise);
    Ok(DataRecord::new(
        Text::new(format!("Reading {} kWh accepted: {} units, about {estimate}", r.present_reading_kwh, r.units))
            .te(format!("రీడింగ్ {} నమోదైంది: {} యూనిట్లు, సుమారు {estimate}", r.present_reading_kwh, r.units))
            .hi(format!("रीडिंग {} दर्ज: {} यूनिट, लगभग {estimate}", r.present_reading_kwh, r.units)),
    )
    .field(Text::new("Service number").te("సర్వీస్ నంబర్").hi("सर्विस नंबर"), usc.as_str())
    .field(
        Text::new("Last billed reading").te("గత బిల్లు రీడింగ్").hi("पिछली बिल रीडिंग"),
        format!("{} on {}", r.previous_reading_kwh, rules::display(&r.previous_reading_date)),
    )
    .field(Text::new("Units since").te("అప్పటి నుంచి యూనిట్లు").hi("तब से यूनिट"), r.units.to_string())
    .field(Text::new("Estimated bill").te("అంచనా బిల్లు").hi("अनुमानित बिल"), estimate)
    .field(Text::new("Status").te("స్థితి").hi("स्थिति"), r.status))
}

fn fetch_solar(answers: &Answers<'_>) -> Result<DataRecord, PluginError> {
    let c = consumer(&required_usc(answers)?)?;
    let capacity = answers.number("capacity")?;
    let subsidy = money(rules::solar_subsidy(capacity) * 100);
    Ok(DataRecord::new(
        Text::new(format!("{capacity} kW rooftop plant on USC {}: central subsidy {subsidy}", c.usc))
            .te(format!("USC {} పై {capacity} కిలోవాట్ ప్లాంటు: కేంద్ర సబ్సిడీ {subsidy}", c.usc))
            .hi(format!("USC {} पर {capacity} किलोवाट प्लांट: केंद्रीय सब्सिडी {subsidy}", c.usc)),
    )
    .field(Text::new("Consumer").te("వినియోగదారు").hi("उपभोक्ता"), c.name.as_str())
    .field(Text::new("DISCOM").te("డిస్కం").hi("डिस्कॉम"), c.discom_name.as_str())
    .field(Text::new("Sanctioned load").te("మంజూరైన లోడు").hi("स्वीकृत लोड"), format!("{} kW", c.sanctioned_load_kw))
    .field(Text::new("Plant size").te("ప్లాంటు సామర్థ్యం").hi("प्लांट क्षमता"), format!("{capacity} kW"))
    .field(Text::new("Central subsidy").te("కేంద్ర సబ్సిడీ").hi("केंद्रीय सब्सिडी"), subsidy)
    .field(
        Text::new("How it works").te("ప్రక్రియ").hi("प्रक्रिया"),
        "The DISCOM checks feasibility; a registered vendor installs; after the net meter is fitted the subsidy \
         reaches your bank account. Register also on pmsuryaghar.gov.in.",
    ))
}

fn no_dues_certificate(application: &Application) -> Result<Document, PluginError> {
    let answers = Answers::new(&application.answers);
    let c = consumer(&required_usc(&answers)?)?;
    if rules::no_dues(&c.account()) != Decision::Eligible {
        return Err(PluginError::InvalidInput(format!("dues are outstanding on {}; no certificate can issue", c.usc)));
    }
    let purpose = match answers.choice("purpose")? {
        "property-sale" => "Sale of the property",
        "bank-loan" => "Bank loan",
        "new-connection" => "New connection elsewhere",
        _ => "As required by the consumer",
    };
    Ok(Document::new(
        Text::new("No Dues Certificate / బకాయిలు లేని ధృవీకరణ పత్రం").te("బకాయిలు లేని ధృవీకరణ పత్రం / No Dues Certificate"),
        Layout::Certificate,
    )
    .field(Text::new("Certificate No.").te("ధృవపత్రం సంఖ్య"), application.number.as_str())
    .field(Text::new("Service number (USC)").te("సర్వీస్ నంబర్"), c.usc.as_str())
    .field(Text::new("Consumer").te("వినియోగదారు"), format!("{} / {}", c.name, c.name_te))
    .field(Text::new("Address").te("చిరునామా"), format!("{} / {}, {}", c.address(), c.village_te, c.district_te))
    .field(Text::new("Category").te("కేటగిరీ"), c.tariff.as_str())
    .field(Text::new("Meter number").te("మీటర్ నంబర్"), c.meter_number.as_str())
    .field(Text::new("Aadhaar").te("ఆధార్"), validate::mask_aadhaar(answers.text("aadhaar")?))
    .field(Text::new("Dues up to").te("బకాయిలు లేని తేదీ వరకు"), rules::display(&c.last_reading_date))
    .field(Text::new("Purpose").te("ఉద్దేశం"), purpose)
    .field(Text::new("Issued by").te("జారీ చేసినవారు"), format!("{}, {}", c.section_office, c.discom_name))
    .body(
        Text::new(format!(
            "Certified that no amount is due on service number {} up to the bill dated {}. Bills raised after \
                 that date remain payable by the consumer.",
            c.usc,
            rules::display(&c.last_reading_date)
        ))
        .te(format!(
            "సర్వీస్ నంబర్ {} పై {} నాటి బిల్లు వరకు ఎలాంటి బకాయి లేదని ధృవీకరించడమైనది. ఆ తర్వాతి బిల్లులు వినియోగదారు చెల్లించాలి.",
            c.usc,
            rules::display(&c.last_reading_date)
        )),
    )
    .valid_days(30))
}

fn name_transfer_order(application: &Application) -> Result<Document, PluginError> {
    let answers = Answers::new(&application.answers);
    let c = consumer(&required_usc(&answers)?)?;
    let new_name = answers.text("new-name")?.trim();
    if let Decision::Ineligible(reasons) = rules::name_transfer(&c.account(), new_name) {
        let why: Vec<String> = reasons.into_iter().map(|r| r.en).collect();
        return Err(PluginError::InvalidInput(why.join(" ")));
    }
    let how = match answers.choice("how")? {
        "sale" => "Sale of the property",
        "inheritance" => "Inheritance",
        _ => "Gift or partition",
    };
    Ok(Document::new(Text::new("Name Transfer Order / పేరు మార్పు ఉత్తర్వు").te("పేరు మార్పు ఉత్తర్వు / Name Transfer Order"), Layout::Letter)
        .field(Text::new("Order No.").te("ఉత్తర్వు సంఖ్య"), application.number.as_str())
        .field(Text::new("Service number (USC)").te("సర్వీస్ నంబర్"), c.usc.as_str())
        .field(Text::new("From").te("పాత పేరు"), c.name.as_str())
        .field(Text::new("To").te("కొత్త పేరు"), new_name)
        .field(Text::new("New holder's Aadhaar").te("కొత్త యజమాని ఆధార్"), validate::mask_aadhaar(answers.text("aadhaar")?))
        .field(Text::new("Ground").te("కారణం"), how)
        .field(Text::new("Premises").te("ప్రాంగణం"), c.address())
        .field(Text::new("Category").te("కేటగిరీ"), c.tariff.as_str())
        .field(Text::new("Issued by").te("జారీ చేసినవారు"), format!("{}, {}", c.section_office, c.discom_name))
        .body(
            Text::new(
                "The service connection stands transferred to the new holder from the next billing cycle. The \
                 security deposit held moves with the connection; the new holder is liable for every bill from then.",
            )
            .te("తదుపరి బిల్లింగ్ నుంచి ఈ సర్వీస్ కనెక్షన్ కొత్త యజమాని పేరుకు మారుతుంది. సెక్యూరిటీ డిపాజిట్ కనెక్షన్‌తో పాటు మారుతుంది; అప్పటి నుంచి బిల్లులు కొత్త యజమాని చెల్లించాలి."),
        ))
}

/// Runs a rule that needs the consumer's record; an unknown number is asked again.
fn with_consumer(
    answers: &Answers<'_>,
    rule: impl FnOnce(&Consumer) -> Result<Decision, PluginError>,
) -> Result<Decision, PluginError> {
    let Some(usc) = usc(answers)? else { return Ok(Decision::NeedsMore(vec!["usc".into()])) };
    match consumer(&usc) {
        Ok(c) => rule(&c),
        Err(PluginError::NotFound(_)) => Ok(Decision::NeedsMore(vec!["usc".into()])),
        Err(e) => Err(e),
    }
}

impl Department for Energy {
    fn describe() -> DepartmentInfo {
        services::department()
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        match service {
            "bill" => {
                Ok(if usc(answers)?.is_some() { Decision::Eligible } else { Decision::NeedsMore(vec!["usc".into()]) })
            }
            "pay-bill" => {
                let Some(usc) = usc(answers)? else { return Ok(Decision::NeedsMore(vec!["usc".into()])) };
                let bill: Bill = match backend::get(&format!("/bills/{usc}")) {
                    Err(PluginError::NotFound(_)) => return Ok(Decision::NeedsMore(vec!["usc".into()])),
                    other => other?,
                };
                Ok(if bill.total_due_paise == 0 {
                    Decision::ineligible(
                        Text::new(format!("Nothing is due on service number {usc} for {}.", bill.bill_month))
                            .te(format!("సర్వీస్ నంబర్ {usc} పై {} కి చెల్లించాల్సింది ఏమీ లేదు.", bill.bill_month))
                            .hi(format!("सर्विस नंबर {usc} पर {} का कुछ भी देय नहीं है।", bill.bill_month)),
                    )
                } else {
                    Decision::Eligible
                })
            }
            "new-connection" => Ok(rules::new_connection(category(answers, "category")?, answers.number("load")?)),
            "outage" => with_consumer(answers, |c| {
                let snapped = answers.choice("fault")? == "line-snapped";
                // A snapped wire is a danger whatever the account's state; other faults on a
                // connection cut for non-payment are not faults.
                Ok(if c.status == "disconnected" && !snapped {
                    rules::no_dues(&c.account())
                } else {
                    Decision::Eligible
                })
            }),
            "meter-reading" => {
                with_consumer(answers, |c| Ok(rules::meter_reading(&c.account(), whole(answers, "reading")?)))
            }
            "category-change" => {
                with_consumer(answers, |c| Ok(rules::category_change(&c.account(), category(answers, "to")?)))
            }
            "name-transfer" => {
                with_consumer(answers, |c| Ok(rules::name_transfer(&c.account(), answers.text("new-name")?)))
            }
            "solar-rooftop" => with_consumer(answers, |c| Ok(rules::solar(&c.account(), roof(answers)?))),
            "no-dues" => with_consumer(answers, |c| Ok(rules::no_dues(&c.account()))),
            other => Err(PluginError::NotFound(format!("no service {other:?}"))),
        }
    }

    fn fetch_data(service: &str, query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        match service {
            "bill" => Ok(bill_record(&backend::get(&format!("/bills/{}", required_usc(query)?))?)),
            "pay-bill" => {
                let order: PaymentOrder = backend::post(&format!("/bills/{}/payments", required_usc(query)?), &())?;
                Ok(payment_record(&order))
            }
            "new-connection" => fetch_new_connection(query),
            "outage" => fetch_outage(query),
            "meter-reading" => fetch_reading(query),
            "solar-rooftop" => fetch_solar(query),
            "category-change" | "name-transfer" | "no-dues" => Ok(consumer_record(&consumer(&required_usc(query)?)?)),
            other => Err(PluginError::NotFound(format!("no service {other:?}"))),
        }
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        match service {
            "no-dues" => no_dues_certificate(application),
            "name-transfer" => name_transfer_order(application),
            other => Err(PluginError::Unsupported(format!("{other} issues no document"))),
        }
    }
}

mitra_sdk::export_department!(Energy);
