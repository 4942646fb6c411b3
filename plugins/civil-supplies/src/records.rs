//! ePDS records shaped into what a citizen reads in the chat and what the
//! printed rice card shows.

use mitra_sdk::prelude::*;

use crate::backend::{Card, Member, Shop};
use crate::rules::{PHH_RICE_KG_PER_MEMBER, entitlement, rupees_paise};

pub fn category(code: &str) -> Text {
    match code {
        "AAY" => Text::new("Antyodaya Anna Yojana (AAY)").te("అంత్యోదయ అన్న యోజన (AAY)").hi("अंत्योदय अन्न योजना (AAY)"),
        _ => Text::new("Priority household (PHH, BPL)").te("ప్రాధాన్య కుటుంబం (PHH, BPL)").hi("प्राथमिक परिवार (PHH, BPL)"),
    }
}

fn relation_te(relation: &str) -> &'static str {
    match relation {
        "Self" => "స్వయం",
        "Wife" => "భార్య",
        "Husband" => "భర్త",
        "Son" => "కుమారుడు",
        "Daughter" => "కుమార్తె",
        "Daughter-in-law" => "కోడలు",
        "Son-in-law" => "అల్లుడు",
        "Father" => "తండ్రి",
        "Mother" => "తల్లి",
        "Grandchild" => "మనవడు/మనవరాలు",
        _ => "ఇతరులు",
    }
}

/// One printed line per member: name in both scripts, relation, age, Aadhaar tail, e-KYC.
pub fn member_line(m: &Member) -> String {
    let ekyc = if m.ekyc { "e-KYC ✓" } else { "e-KYC pending / పెండింగ్" };
    format!(
        "{} / {} · {} / {} · {} · XXXX XXXX {} · {ekyc}",
        m.name,
        m.name_te,
        m.relation,
        relation_te(&m.relation),
        m.age,
        m.aadhaar_last4
    )
}

fn status_text(card: &Card) -> Text {
    let pending = card.members.iter().filter(|m| !m.ekyc).count();
    if card.is_cancelled() {
        Text::new("Cancelled").te("రద్దు చేయబడింది").hi("रद्द")
    } else if pending > 0 {
        Text::new(format!("Active; e-KYC pending for {pending} member(s) — do it at the shop"))
            .te(format!("అమలులో ఉంది; {pending} సభ్యుల e-KYC పెండింగ్ — రేషన్ షాపులో చేయించండి"))
            .hi(format!("सक्रिय; {pending} सदस्यों का e-KYC बाकी — दुकान पर कराएँ"))
    } else {
        Text::new("Active").te("అమలులో ఉంది").hi("सक्रिय")
    }
}

/// The card as the citizen reads it in the chat.
pub fn card_record(card: &Card) -> DataRecord {
    let n = card.members.len();
    let state_en = if card.is_cancelled() { "cancelled" } else { "active" };
    let state_te = if card.is_cancelled() { "రద్దు" } else { "అమలులో ఉంది" };
    let mut record = DataRecord::new(
        Text::new(format!("Rice card {}: {}, {n} members, {state_en}", card.number, card.category))
            .te(format!("బియ్యం కార్డు {}: {}, {n} సభ్యులు, {state_te}", card.number, card.category))
            .hi(format!("राशन कार्ड {}: {}, {n} सदस्य, {state_en}", card.number, card.category)),
    )
    .field(Text::new("Card holder").te("కార్డు యజమాని").hi("कार्डधारक"), format!("{} / {}", card.head, card.head_te))
    .field(Text::new("Category").te("వర్గం").hi("श्रेणी"), category(&card.category).en)
    .field(Text::new("Status").te("స్థితి").hi("स्थिति"), status_text(card).en);
    for (i, m) in card.members.iter().enumerate() {
        record = record.field(
            Text::new(format!("Member {}", i + 1)).te(format!("సభ్యుడు {}", i + 1)).hi(format!("सदस्य {}", i + 1)),
            member_line(m),
        );
    }
    record
        .field(
            Text::new("Address").te("చిరునామా").hi("पता"),
            format!("{}, {} mandal, {} district", card.village, card.mandal, card.district),
        )
        .field(
            Text::new("Fair price shop").te("చౌక ధరల దుకాణం").hi("उचित मूल्य दुकान"),
            format!("{} (dealer {})", card.shop.id, card.shop.dealer),
        )
        .field(Text::new("Issued on").te("జారీ తేదీ").hi("जारी तिथि"), display(&card.issued_on))
}

/// The monthly ration as the citizen reads it.
pub fn entitlement_record(card: &Card) -> DataRecord {
    let Some(e) = entitlement(card) else {
        let why = if card.is_cancelled() {
            Text::new(format!("Rice card {} is cancelled: no ration is due.", card.number))
                .te(format!("బియ్యం కార్డు {} రద్దయింది: రేషన్ రాదు.", card.number))
                .hi(format!("राशन कार्ड {} रद्द है: कोई राशन देय नहीं।", card.number))
        } else {
            Text::new("No member's e-KYC is done, so no ration is due; do e-KYC at the shop.")
                .te("ఏ సభ్యుని e-KYC పూర్తి కాలేదు, కాబట్టి రేషన్ రాదు; రేషన్ షాపులో e-KYC చేయించండి.")
                .hi("किसी सदस्य का e-KYC नहीं हुआ, इसलिए राशन देय नहीं; दुकान पर e-KYC कराएँ।")
        };
        return DataRecord::new(why);
    };
    let sugar = if e.sugar_grams == 1_000 { "1 kg".to_owned() } else { format!("{} g", e.sugar_grams) };
    let lifted = if card.lifted_this_month {
        Text::new("Already collected this month").te("ఈ నెల ఇప్పటికే తీసుకున్నారు").hi("इस महीने ले लिया गया")
    } else {
        Text::new("Not yet collected this month").te("ఈ నెల ఇంకా తీసుకోలేదు").hi("इस महीने अभी नहीं लिया")
    };
    DataRecord::new(
        Text::new(format!("This month: {} kg rice free, {sugar} sugar, {} kg red gram dal", e.rice_kg, e.dal_kg))
            .te(format!("ఈ నెల: {} కిలో బియ్యం ఉచితం, {sugar} చక్కెర, {} కిలో కందిపప్పు", e.rice_kg, e.dal_kg))
            .hi(format!("इस महीने: {} किलो चावल मुफ़्त, {sugar} चीनी, {} किलो अरहर दाल", e.rice_kg, e.dal_kg)),
    )
    .field(Text::new("Card").te("కార్డు").hi("कार्ड"), format!("{} ({})", card.number, card.category))
    .field(
        Text::new("Rice (free)").te("బియ్యం (ఉచితం)").hi("चावल (मुफ़्त)"),
        if card.category == "AAY" {
            format!("{} kg per card", e.rice_kg)
        } else {
            format!("{} kg ({} members × {PHH_RICE_KG_PER_MEMBER} kg)", e.rice_kg, e.members_counted)
        },
    )
    .field(Text::new("Sugar").te("చక్కెర").hi("चीनी"), format!("{sugar} for {}", rupees_paise(e.sugar_paise)))
    .field(
        Text::new("Red gram dal").te("కందిపప్పు").hi("अरहर दाल"),
        format!("{} kg for {}", e.dal_kg, rupees_paise(e.dal_paise)),
    )
    .field(Text::new("This month").te("ఈ నెల").hi("इस महीने"), lifted.en)
    .field(
        Text::new("Collect at").te("ఎక్కడ తీసుకోవాలి").hi("कहाँ से लें"),
        format!("Fair price shop {} (dealer {})", card.shop.id, card.shop.dealer),
    )
}

/// The shops found, nearest first.
pub fn shops_record(shops: &[Shop]) -> DataRecord {
    let mut record = DataRecord::new(
        Text::new(format!("{} fair price shops near you, nearest first", shops.len()))
            .te(format!("మీకు దగ్గరలో {} చౌక ధరల దుకాణాలు, దగ్గరి నుంచి", shops.len()))
            .hi(format!("आपके पास {} उचित मूल्य दुकानें, सबसे नज़दीकी पहले", shops.len())),
    );
    for shop in shops {
        let distance = shop.distance_km.map(|d| format!(" · {d:.1} km")).unwrap_or_default();
        record = record.field(
            Text::new(format!("Shop {}", shop.id)).te(format!("దుకాణం {}", shop.id)).hi(format!("दुकान {}", shop.id)),
            format!(
                "{} / {}, {} ({}), {} mandal{distance} · {} · maps: https://maps.google.com/?q={:.5},{:.5}",
                shop.dealer, shop.dealer_te, shop.village, shop.village_te, shop.mandal, shop.hours, shop.lat, shop.lon
            ),
        );
    }
    record
}

/// `YYYY-MM-DD` as Indian documents print it, or as given when it is not a date.
pub fn display(iso: &str) -> String {
    iso.get(..10).and_then(|d| validate::date(d).ok()).map(validate::display_date).unwrap_or_else(|| iso.to_owned())
}

/// The rice card as printed: a certificate with every member.
pub fn card_document(card: &Card, aadhaar: &str) -> Document {
    let mut doc = Document::new(Text::new("Rice Card / బియ్యం కార్డు").te("బియ్యం కార్డు / Rice Card"), Layout::Certificate)
        .field(Text::new("Rice card No.").te("బియ్యం కార్డు సంఖ్య"), card.number.as_str())
        .field(Text::new("Category").te("వర్గం"), format!("{} / {}", category(&card.category).en, card.category))
        .field(Text::new("Head of the family").te("కుటుంబ పెద్ద"), format!("{} / {}", card.head, card.head_te))
        .field(Text::new("Requested by (Aadhaar)").te("అభ్యర్థించినవారు (ఆధార్)"), validate::mask_aadhaar(aadhaar));
    for (i, m) in card.members.iter().enumerate() {
        doc = doc.field(Text::new(format!("Member {}", i + 1)).te(format!("సభ్యుడు {}", i + 1)), member_line(m));
    }
    doc.field(
        Text::new("Address").te("చిరునామా"),
        format!(
            "{} / {}, {} / {} mandal, {} / {} district, PIN {}",
            card.village, card.village_te, card.mandal, card.mandal_te, card.district, card.district_te, card.pincode
        ),
    )
    .field(Text::new("Fair price shop").te("చౌక ధరల దుకాణం"), format!("{} (dealer {})", card.shop.id, card.shop.dealer))
    .field(Text::new("Issued on").te("జారీ తేదీ"), display(&card.issued_on))
    .body(
        Text::new(
            "Issued under the National Food Security Act, 2013 and the AP Targeted Public Distribution System (Control) Order. \
             Ration is given only to members with e-KYC done.",
        )
        .te("జాతీయ ఆహార భద్రత చట్టం, 2013 మరియు ఏపీ లక్షిత ప్రజా పంపిణీ వ్యవస్థ (నియంత్రణ) ఉత్తర్వు ప్రకారం జారీ. e-KYC పూర్తయిన సభ్యులకు మాత్రమే రేషన్."),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::test_card as card;

    #[test]
    fn the_ration_record_shows_quantities_and_prices() {
        let record = entitlement_record(&card("PHH", "active", &[true, true, false, true]));
        assert!(record.summary.en.contains("15 kg rice"), "{}", record.summary.en);
        assert!(record.fields.iter().any(|f| f.value == "500 g for ₹17"));
        assert!(entitlement_record(&card("PHH", "cancelled", &[true])).summary.en.contains("cancelled"));
    }

    #[test]
    fn the_card_print_masks_the_aadhaar_and_lists_every_member() {
        let c = card("PHH", "active", &[true, true, false]);
        let doc = card_document(&c, "236591234568");
        assert_eq!(doc.layout, Layout::Certificate);
        let values: Vec<&str> = doc.fields.iter().map(|f| f.value.as_str()).collect();
        assert!(values.contains(&"XXXX XXXX 4568"));
        assert!(!values.iter().any(|v| v.contains("236591234568")));
        assert_eq!(values.iter().filter(|v| v.contains("Reddy /")).count(), 4, "{values:?}");
        assert!(values.contains(&"14-03-2021"));
        let record = card_record(&c);
        assert!(record.summary.te.as_deref().unwrap().contains("3 సభ్యులు"));
    }
}
