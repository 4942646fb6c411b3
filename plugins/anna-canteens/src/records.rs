//! What the citizen reads: the canteen system's replies shaped into records
//! and receipts. Labels carry the words in each language; values stay
//! addresses, links and amounts.

use mitra_sdk::prelude::*;

use crate::backend::{Acknowledgement, Canteen, Donation, Menu};
use crate::rules::{self, day_name, display_date, join, meal_name, pair, rupees};

/// The place as a diner names it, with a note when it is shut.
fn canteen_label(canteen: &Canteen) -> Text {
    let name = Text::new(format!("{}, {} ({})", canteen.name, canteen.town, canteen.code))
        .te(format!("{}, {} ({})", canteen.name_te, canteen.town_te, canteen.code))
        .hi(format!("{}, {} ({})", canteen.name, canteen.town, canteen.code));
    if canteen.is_open() {
        return name;
    }
    let note = canteen.note.as_deref().unwrap_or("closed");
    join(&[&name, &Text::new(format!("— {note}")).te("— తాత్కాలికంగా మూసి ఉంది").hi("— अस्थायी रूप से बंद")], " ")
}

fn where_to_find(canteen: &Canteen) -> String {
    format!("{} · {}", canteen.address, rules::maps_link(canteen.lat, canteen.lon))
}

fn timings(canteen: &Canteen) -> Text {
    let parts: Vec<Text> = canteen
        .sessions
        .iter()
        .map(|s| join(&[&meal_name(&s.session), &Text::new(format!("{}–{}", s.opens, s.closes))], " "))
        .collect();
    join(&parts.iter().collect::<Vec<_>>(), " · ")
}

/// The nearest canteens, closest first, with the walk and a map link.
pub(crate) fn nearest(canteens: &[Canteen]) -> DataRecord {
    let Some(first) = canteens.first() else {
        return DataRecord::new(
            Text::new("No Anna Canteen was found near you.")
                .te("మీ దగ్గర అన్న క్యాంటీన్ కనబడలేదు.")
                .hi("आपके पास कोई अन्ना कैंटीन नहीं मिली।"),
        );
    };
    let away = rules::distance(first.distance_km.unwrap_or_default());
    let summary = join(
        &[
            &Text::new("Nearest Anna Canteen:").te("సమీప అన్న క్యాంటీన్:").hi("नज़दीकी अन्ना कैंटीन:"),
            &canteen_label(first),
            &Text::new("—"),
            &away,
        ],
        " ",
    );
    let mut record = DataRecord::new(summary);
    for (n, canteen) in canteens.iter().enumerate() {
        let label = join(
            &[
                &Text::new(format!("{}.", n + 1)),
                &canteen_label(canteen),
                &Text::new("·"),
                &rules::distance(canteen.distance_km.unwrap_or_default()),
            ],
            " ",
        );
        record = record.field(label, where_to_find(canteen));
    }
    record.field(timings(first), format!("{} / plate", rupees(first.plate_price.into())))
}

/// The canteens registered in one town.
pub(crate) fn by_town(town: &rules::Town, canteens: &[Canteen]) -> DataRecord {
    let n = canteens.len();
    let open = canteens.iter().filter(|c| c.is_open()).count();
    let mut record = DataRecord::new(
        Text::new(format!("{n} Anna Canteens in {} ({open} open)", town.en))
            .te(format!("{}లో {n} అన్న క్యాంటీన్లు ({open} తెరిచి ఉన్నాయి)", town.te))
            .hi(format!("{} में {n} अन्ना कैंटीन ({open} खुली)", town.hi)),
    );
    for canteen in canteens {
        record = record.field(canteen_label(canteen), where_to_find(canteen));
    }
    if let Some(first) = canteens.first() {
        record = record.field(timings(first), format!("{} / plate", rupees(first.plate_price.into())));
    }
    record
}

/// A day's menu: what each meal serves, when, and for how much.
pub(crate) fn menu(day: usize, menu: &Menu) -> DataRecord {
    let name = day_name(day);
    if menu.closed || menu.meals.is_empty() {
        return DataRecord::new(
            Text::new(format!("Anna Canteens are closed on {}.", name.en))
                .te(format!("{} అన్న క్యాంటీన్లకు సెలవు.", name.get(Language::Te)))
                .hi(format!("{} को अन्ना कैंटीन बंद रहती हैं।", name.get(Language::Hi))),
        );
    }
    let price = menu.meals.iter().map(|m| m.price).max().unwrap_or_default();
    let mut record = DataRecord::new(
        Text::new(format!("{} at Anna Canteens — every plate {}", name.en, rupees(price.into())))
            .te(format!("{} అన్న క్యాంటీన్ మెనూ — ప్రతి ప్లేటు {}", name.get(Language::Te), rupees(price.into())))
            .hi(format!("{} अन्ना कैंटीन मेन्यू — हर थाली {}", name.get(Language::Hi), rupees(price.into()))),
    );
    for meal in &menu.meals {
        let when = Text::new(format!("{}–{}:", meal.opens, meal.closes));
        record = record.field(
            join(&[&meal_name(&meal.meal), &when, &pair(&meal.items, &meal.items_te)], " "),
            rupees(meal.price.into()),
        );
    }
    record
}

/// What sponsoring `sessions` at a canteen on a date feeds and costs.
pub(crate) fn donation_quote(canteen: &Canteen, sessions: &[&str], date: &str) -> DataRecord {
    let chosen: Vec<_> = canteen.sessions.iter().filter(|s| sessions.contains(&s.session.as_str())).collect();
    let meals: u32 = chosen.iter().map(|s| s.meals).sum();
    let amount: u32 = chosen.iter().map(|s| s.sponsor_amount).sum();
    let date = display_date(date);
    let mut record = DataRecord::new(
        Text::new(format!("{meals} meals at {} on {date}: {}", canteen.name, rupees(amount.into())))
            .te(format!("{}లో {date}న {meals} భోజనాలు: {}", canteen.name_te, rupees(amount.into())))
            .hi(format!("{} में {date} को {meals} भोजन: {}", canteen.name, rupees(amount.into()))),
    )
    .field(canteen_label(canteen), canteen.address.as_str());
    for session in chosen {
        record = record.field(
            join(
                &[
                    &meal_name(&session.session),
                    &Text::new(format!("({} meals)", session.meals))
                        .te(format!("({} భోజనాలు)", session.meals))
                        .hi(format!("({} भोजन)", session.meals)),
                ],
                " ",
            ),
            rupees(session.sponsor_amount.into()),
        );
    }
    record.field(Text::new("Total").te("మొత్తం").hi("कुल"), rupees(amount.into()))
}

/// The acknowledgement of feedback or a complaint about a canteen.
pub(crate) fn feedback_document(
    ack: &Acknowledgement,
    canteen: &Canteen,
    category: &Text,
    details: &str,
    application: &str,
) -> Document {
    Document::new(
        Text::new("Anna Canteen Feedback Acknowledgement / అన్న క్యాంటీన్ ఫిర్యాదు రసీదు")
            .te("అన్న క్యాంటీన్ ఫిర్యాదు రసీదు / Anna Canteen Feedback Acknowledgement")
            .hi("अन्ना कैंटीन शिकायत पावती / Anna Canteen Feedback Acknowledgement"),
        Layout::Receipt,
    )
    .field(Text::new("Ticket No.").te("టికెట్ సంఖ్య").hi("टिकट संख्या"), ack.ticket.as_str())
    .field(Text::new("Registered on").te("నమోదు తేదీ").hi("दर्ज तिथि"), display_date(&ack.registered_on))
    .field(
        Text::new("Canteen").te("క్యాంటీన్").hi("कैंटीन"),
        format!("{} ({}), {}", canteen.name, canteen.code, canteen.town),
    )
    .field(Text::new("About").te("విషయం").hi("विषय"), format!("{} / {}", category.en, category.get(Language::Te)))
    .field(Text::new("Details").te("వివరాలు").hi("विवरण"), details)
    .field(Text::new("Forwarded to").te("పంపినది").hi("भेजा गया"), ack.forwarded_to.as_str())
    .field(Text::new("Reply within").te("స్పందన గడువు").hi("जवाब की अवधि"), format!("{} day(s)", ack.sla_days))
    .field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య").hi("आवेदन संख्या"), application)
    .body(
        Text::new(format!("Thank you. The officer will act and reply on WhatsApp within {} day(s).", ack.sla_days))
            .te(format!("ధన్యవాదాలు. అధికారి {} రోజుల్లో చర్య తీసుకుని వాట్సాప్‌లో తెలియజేస్తారు.", ack.sla_days))
            .hi(format!("धन्यवाद। अधिकारी {} दिन में कार्रवाई कर व्हाट्सऐप पर जवाब देंगे।", ack.sla_days)),
    )
}

/// Who gave, for the receipt.
pub(crate) struct Donor<'a> {
    pub(crate) name: &'a str,
    pub(crate) phone: &'a str,
    pub(crate) occasion: Text,
    pub(crate) dedication: Option<&'a str>,
}

/// The receipt for sponsored meals.
pub(crate) fn donation_document(donation: &Donation, donor: &Donor<'_>, application: &str) -> Document {
    let sessions: Vec<String> = donation
        .sessions
        .iter()
        .map(|s| {
            let name = meal_name(s);
            format!("{} / {}", name.en, name.get(Language::Te))
        })
        .collect();
    let mut doc = Document::new(
        Text::new("Meal Sponsorship Receipt / భోజన విరాళం రసీదు")
            .te("భోజన విరాళం రసీదు / Meal Sponsorship Receipt")
            .hi("भोजन दान रसीद / Meal Sponsorship Receipt"),
        Layout::Receipt,
    )
    .field(Text::new("Receipt No.").te("రసీదు సంఖ్య").hi("रसीद संख्या"), donation.receipt.as_str())
    .field(Text::new("Donor").te("దాత").hi("दाता"), donor.name)
    .field(Text::new("Mobile").te("మొబైల్").hi("मोबाइल"), rules::mask_phone(donor.phone))
    .field(
        Text::new("Canteen").te("క్యాంటీన్").hi("कैंटीन"),
        format!("{} ({}), {}", donation.canteen_name, donation.canteen, donation.town),
    )
    .field(Text::new("Date of meals").te("భోజనాల తేదీ").hi("भोजन की तिथि"), display_date(&donation.date))
    .field(Text::new("Meals").te("భోజనాలు").hi("भोजन"), sessions.join(", "))
    .field(Text::new("Plates sponsored").te("విరాళ ప్లేట్లు").hi("प्रायोजित थालियाँ"), donation.meals.to_string())
    .field(Text::new("Amount").te("మొత్తం").hi("राशि"), rupees(donation.amount.into()))
    .field(
        Text::new("Occasion").te("సందర్భం").hi("अवसर"),
        format!("{} / {}", donor.occasion.en, donor.occasion.get(Language::Te)),
    );
    if let Some(dedication) = donor.dedication {
        doc = doc.field(Text::new("Dedicated to").te("అంకితం").hi("समर्पित"), dedication);
    }
    doc.field(Text::new("Application No.").te("దరఖాస్తు సంఖ్య").hi("आवेदन संख्या"), application).body(
        Text::new("Thank you for feeding your neighbours. Your name will be displayed at the canteen on the day of the meals.")
            .te("మీ పొరుగువారికి అన్నం పెట్టినందుకు ధన్యవాదాలు. భోజనాల రోజున క్యాంటీన్‌లో మీ పేరు ప్రదర్శిస్తాం.")
            .hi("पड़ोसियों को भोजन कराने के लिए धन्यवाद। भोजन के दिन कैंटीन में आपका नाम प्रदर्शित होगा।"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::{Meal, Session};

    fn canteen(code: &str, km: f64, open: bool) -> Canteen {
        let session = |session: &str, meals: u32| Session {
            session: session.into(),
            opens: "07:30".into(),
            closes: "10:00".into(),
            meals,
            sponsor_amount: meals * 30,
        };
        Canteen {
            code: code.into(),
            name: "Patamata".into(),
            name_te: "పటమట".into(),
            town: "Vijayawada".into(),
            town_te: "విజయవాడ".into(),
            address: "Beside Patamata Rythu Bazar, Vijayawada 520010".into(),
            lat: 16.4985,
            lon: 80.665,
            status: if open { "open" } else { "closed" }.into(),
            note: (!open).then(|| "closed for kitchen repairs".into()),
            plate_price: 5,
            sessions: vec![session("breakfast", 300), session("lunch", 400), session("dinner", 250)],
            distance_km: Some(km),
        }
    }

    #[test]
    fn nearest_lists_the_walk_and_a_map_link() {
        let record =
            nearest(&[canteen("VJA-03", 0.9, true), canteen("VJA-02", 2.6, true), canteen("VSP-03", 3.4, false)]);
        assert_eq!(record.summary.en, "Nearest Anna Canteen: Patamata, Vijayawada (VJA-03) — 900 m, 12 min walk");
        assert!(record.summary.te.as_deref().unwrap().starts_with("సమీప అన్న క్యాంటీన్: పటమట, విజయవాడ"));
        assert!(record.fields[0].value.ends_with("https://maps.google.com/?q=16.4985,80.6650"));
        assert!(record.fields[2].label.en.contains("closed for kitchen repairs"));
        assert_eq!(record.fields.len(), 4);
        assert_eq!(record.fields[3].value, "₹5 / plate");
        assert!(nearest(&[]).summary.en.contains("No Anna Canteen"));
    }

    #[test]
    fn the_menu_reads_whole_in_telugu() {
        let day = Menu {
            closed: false,
            meals: vec![Meal {
                meal: "breakfast".into(),
                opens: "07:30".into(),
                closes: "10:00".into(),
                price: 5,
                items: "Idli, sambar, chutney".into(),
                items_te: "ఇడ్లీ, సాంబారు, చట్నీ".into(),
            }],
        };
        let record = menu(0, &day);
        assert_eq!(record.summary.en, "Monday at Anna Canteens — every plate ₹5");
        assert_eq!(record.fields[0].label.te.as_deref(), Some("అల్పాహారం 07:30–10:00: ఇడ్లీ, సాంబారు, చట్నీ"));
        assert_eq!(record.fields[0].value, "₹5");
        let sunday = menu(6, &Menu { closed: true, meals: Vec::new() });
        assert_eq!(sunday.summary.te.as_deref(), Some("ఆదివారం అన్న క్యాంటీన్లకు సెలవు."));
    }

    #[test]
    fn a_quote_adds_up_the_sessions_chosen() {
        let quote = donation_quote(&canteen("VJA-03", 0.0, true), rules::sessions("full-day"), "2026-12-01");
        assert_eq!(quote.summary.en, "950 meals at Patamata on 01-12-2026: ₹28,500");
        assert_eq!(quote.fields.last().unwrap().value, "₹28,500");
        let lunch = donation_quote(&canteen("VJA-03", 0.0, true), rules::sessions("lunch"), "2026-12-01");
        assert_eq!(lunch.fields.last().unwrap().value, "₹12,000");
    }

    #[test]
    fn the_receipt_masks_the_mobile_and_prints_the_amount() {
        let donation = Donation {
            receipt: "ACD/VJA-03/00001".into(),
            canteen: "VJA-03".into(),
            canteen_name: "Patamata".into(),
            town: "Vijayawada".into(),
            date: "2026-12-01".into(),
            sessions: vec!["lunch".into()],
            meals: 400,
            amount: 12_000,
        };
        let donor = Donor {
            name: "Padmavathi Reddy",
            phone: "9876543210",
            occasion: Text::new("Birthday").te("పుట్టినరోజు"),
            dedication: Some("Amma"),
        };
        let doc = donation_document(&donation, &donor, "APP-7");
        assert_eq!(doc.layout, Layout::Receipt);
        let value = |label: &str| doc.fields.iter().find(|f| f.label.en == label).unwrap().value.clone();
        assert_eq!(value("Amount"), "₹12,000");
        assert_eq!(value("Mobile"), "XXXXXX3210");
        assert_eq!(value("Meals"), "Lunch / మధ్యాహ్న భోజనం");
        assert_eq!(value("Dedicated to"), "Amma");
    }
}
