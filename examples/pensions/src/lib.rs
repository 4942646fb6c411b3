//! Social Welfare pensions: the example a department vendor copies.
//!
//! Three services show the three shapes a service takes: an application with
//! eligibility rules, an information lookup from a reference table in the
//! plugin's read-only data directory, and a document rendered for approval.

use mitra_sdk::prelude::*;

struct Pensions;

const OLD_AGE_MIN_AGE: u32 = 60;
/// Family income ceilings per month, in rupees (rural, urban).
const INCOME_CEILING: (f64, f64) = (10_000.0, 12_000.0);

fn income_fields(service: Service) -> Service {
    service
        .field(Field::aadhaar("aadhaar", Text::new("Aadhaar number").te("ఆధార్ సంఖ్య").hi("आधार संख्या")))
        .field(
            Field::date("dob", Text::new("Date of birth").te("పుట్టిన తేదీ").hi("जन्म तिथि"), DateRule::TodayOrEarlier)
                .hint(Text::new("As on Aadhaar, e.g. 15-08-1960").te("ఆధార్‌లో ఉన్నట్లు, ఉదా. 15-08-1960")),
        )
        .field(Field::choice(
            "area",
            Text::new("Where do you live?").te("మీరు ఎక్కడ ఉంటారు?").hi("आप कहाँ रहते हैं?"),
            [("rural", Text::new("Village").te("గ్రామం").hi("गाँव")), ("urban", Text::new("Town").te("పట్టణం").hi("शहर"))],
        ))
        .field(Field::integer(
            "income",
            Text::new("Family income per month (₹)").te("కుటుంబ నెల ఆదాయం (₹)").hi("परिवार की मासिक आय (₹)"),
            Some(0.0),
            Some(10_000_000.0),
        ))
}

impl Department for Pensions {
    fn describe() -> DepartmentInfo {
        DepartmentInfo::new("pensions", Text::new("Pensions").te("పింఛన్లు").hi("पेंशन"))
            .service(
                income_fields(Service::new(
                    "old-age",
                    Text::new("Old age pension").te("వృద్ధాప్య పింఛను").hi("वृद्धावस्था पेंशन"),
                ))
                .description(
                    Text::new("Monthly pension for citizens aged 60 and above").te("60 ఏళ్లు పైబడిన వారికి నెలవారీ పింఛను"),
                )
                .category("welfare")
                .keywords(Language::En, ["pension", "old age", "senior citizen"])
                .keywords(Language::Te, ["పింఛను", "వృద్ధులు"])
                .keywords(Language::Hi, ["पेंशन", "बुजुर्ग"])
                .sla_days(21),
            )
            .service(
                income_fields(Service::new("widow", Text::new("Widow pension").te("వితంతు పింఛను").hi("विधवा पेंशन")))
                    .field(Field::document(
                        "death-certificate",
                        Text::new("Husband's death certificate").te("భర్త మరణ ధృవీకరణ పత్రం"),
                    ))
                    .description(
                        Text::new("Monthly pension for widows aged 18 and above")
                            .te("18 ఏళ్లు పైబడిన వితంతువులకు నెలవారీ పింఛను"),
                    )
                    .category("welfare")
                    .keywords(Language::En, ["pension", "widow"])
                    .keywords(Language::Te, ["వితంతు", "పింఛను"])
                    .sla_days(21),
            )
            .service(
                Service::new("rates", Text::new("Pension amounts").te("పింఛను మొత్తాలు").hi("पेंशन राशि"))
                    .description(Text::new("How much each pension pays per month").te("ప్రతి పింఛను నెలకు ఎంత"))
                    .category("welfare")
                    .keywords(Language::En, ["pension amount", "how much"])
                    .delivery(Delivery::Information),
            )
    }

    fn check_eligibility(service: &str, _who: &Applicant, answers: &Answers<'_>) -> Result<Decision, PluginError> {
        if service == "rates" {
            return Ok(Decision::Eligible);
        }
        let min_age = match service {
            "old-age" => OLD_AGE_MIN_AGE,
            "widow" => 18,
            other => return Err(PluginError::NotFound(other.to_owned())),
        };
        let age = validate::age_on(answers.date("dob")?, validate::today_in_india());
        let ceiling = if answers.choice("area")? == "urban" { INCOME_CEILING.1 } else { INCOME_CEILING.0 };
        let mut reasons = Vec::new();
        if age < min_age {
            reasons.push(
                Text::new(format!("You must be {min_age} or older; you are {age}."))
                    .te(format!("మీ వయస్సు కనీసం {min_age} ఉండాలి; మీ వయస్సు {age}."))
                    .hi(format!("आपकी आयु कम से कम {min_age} होनी चाहिए; आपकी आयु {age} है।")),
            );
        }
        if answers.number("income")? > ceiling {
            reasons.push(
                Text::new(format!("Family income must be at most ₹{ceiling} a month."))
                    .te(format!("కుటుంబ ఆదాయం నెలకు ₹{ceiling} మించకూడదు."))
                    .hi(format!("परिवार की आय ₹{ceiling} प्रति माह से अधिक नहीं होनी चाहिए।")),
            );
        }
        Ok(if reasons.is_empty() { Decision::Eligible } else { Decision::Ineligible(reasons) })
    }

    fn fetch_data(service: &str, _query: &Answers<'_>) -> Result<DataRecord, PluginError> {
        if service != "rates" {
            return Err(PluginError::Unsupported(format!("{service} has no lookup")));
        }
        let table = std::fs::read_to_string("/data/rates.csv")
            .map_err(|e| PluginError::Unavailable(format!("rates table: {e}")))?;
        let mut record = DataRecord::new(Text::new("Monthly pension amounts").te("నెలవారీ పింఛను మొత్తాలు"));
        for line in table.lines().skip(1) {
            let (scheme, rupees) =
                line.split_once(',').ok_or_else(|| PluginError::Other(format!("bad row: {line}")))?;
            record = record.field(Text::new(scheme), format!("₹{rupees}"));
        }
        Ok(record)
    }

    fn render_document(service: &str, application: &Application) -> Result<Document, PluginError> {
        if service != "old-age" && service != "widow" {
            return Err(PluginError::Unsupported(format!("{service} issues no document")));
        }
        let answers = Answers::new(&application.answers);
        let name = application.applicant.profile_name.clone().unwrap_or_default();
        Ok(Document::new(Text::new("Pension Sanction Proceedings").te("పింఛను మంజూరు ఉత్తర్వులు"), Layout::Letter)
            .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య"), application.number.as_str())
            .field(Text::new("Name").te("పేరు"), name)
            .field(Text::new("Aadhaar").te("ఆధార్"), validate::mask_aadhaar(answers.text("aadhaar")?))
            .field(Text::new("Scheme").te("పథకం"), service)
            .body(
                Text::new("Sanctioned subject to verification by the Village Secretariat.")
                    .te("గ్రామ సచివాలయ ధృవీకరణకు లోబడి మంజూరు చేయబడింది."),
            ))
    }
}

mitra_sdk::export_department!(Pensions);
