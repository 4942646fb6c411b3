//! The simulated Civil Supplies system (the AP ePDS): rice cards with their
//! members, the fair price shops (FPS) that serve them, and the Aadhaar seeding
//! that stops one person from being on two cards.
//!
//! Unlike an open-ended lookup (a bill for any service number), the plugin
//! needs answers that agree with each other: the Aadhaar that `/aadhaar/{n}`
//! finds on a card must be a member of that card. So the register is a finite
//! set of cards built once from the seed (ten per village), not generated per
//! request; any other card number is 404.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::{Deserialize, Serialize};

use mitra_sdk::validate;

use crate::seed::{self, DISTRICTS, Rng};

/// Cards issued per village in the simulated register.
const CARDS_PER_VILLAGE: u64 = 10;
/// How far a citizen is sent for a shop before we say none is near.
const MAX_SHOP_DISTANCE_KM: f64 = 50.0;
/// Shops listed for one search.
const SHOPS_PER_SEARCH: usize = 3;
/// Seed given names that are women's, so relations read right (wife, daughter).
const WOMEN: &[&str] = &["Lakshmi", "Padmavathi", "Anjali", "Sujatha", "Durga Bhavani"];

#[derive(Clone, Debug, Serialize)]
struct Member {
    name: String,
    name_te: String,
    relation: &'static str,
    gender: &'static str,
    age: u64,
    aadhaar_last4: String,
    /// Biometric e-KYC done at the shop; members without it draw no ration.
    ekyc: bool,
    head: bool,
    // The full number never leaves the register: lookups take it as input.
    #[serde(skip)]
    aadhaar: String,
}

#[derive(Clone, Debug, Serialize)]
struct ShopRef {
    id: String,
    dealer: String,
}

#[derive(Clone, Debug, Serialize)]
struct Card {
    number: String,
    /// `AAY` (Antyodaya Anna Yojana, the poorest) or `PHH` (priority household, BPL).
    category: &'static str,
    /// `active` or `cancelled`.
    status: &'static str,
    head: String,
    head_te: String,
    members: Vec<Member>,
    village: &'static str,
    village_te: &'static str,
    mandal: &'static str,
    mandal_te: &'static str,
    district: &'static str,
    district_te: &'static str,
    pincode: &'static str,
    shop: ShopRef,
    issued_on: String,
    lifted_this_month: bool,
}

#[derive(Clone, Debug, Serialize)]
struct Shop {
    id: String,
    dealer: String,
    dealer_te: String,
    village: &'static str,
    village_te: &'static str,
    mandal: &'static str,
    district: &'static str,
    pincode: &'static str,
    lat: f64,
    lon: f64,
    hours: &'static str,
    cards: usize,
}

#[derive(Debug, Default)]
struct Register {
    cards: Vec<Card>,
    shops: Vec<Shop>,
    by_card: HashMap<String, usize>,
    by_aadhaar: HashMap<String, (usize, usize)>,
}

static REGISTER: LazyLock<Register> = LazyLock::new(Register::build);

impl Register {
    fn build() -> Self {
        let mut register = Register::default();
        for (d, district) in DISTRICTS.iter().enumerate() {
            let villages = district.mandals.iter().flat_map(|m| m.villages.iter().map(move |v| (m, v)));
            for (v, (mandal, village)) in villages.enumerate() {
                let key = format!("fps:{}/{}", district.name, village.name);
                let mut rng = Rng::for_key(&key);
                let (dealer, dealer_te) = seed::person(&mut rng);
                // Shops lie within about 12 km of the district headquarters.
                let offset = |rng: &mut Rng| (rng.below(2400) as f64 - 1200.0) / 10_000.0;
                let round = |x: f64| (x * 10_000.0).round() / 10_000.0;
                let shop = Shop {
                    id: format!("{}{v:02}{:03}", 10 + d, 101 + rng.below(60)),
                    dealer,
                    dealer_te,
                    village: village.name,
                    village_te: village.name_te,
                    mandal: mandal.name,
                    district: district.name,
                    pincode: district.pincode,
                    lat: round(district.lat + offset(&mut rng)),
                    lon: round(district.lon + offset(&mut rng)),
                    hours: "1st–15th of the month, 8 AM–12 PM and 4 PM–8 PM",
                    cards: CARDS_PER_VILLAGE as usize,
                };
                let mut serial = rng.between(100_000, 400_000);
                for _ in 0..CARDS_PER_VILLAGE {
                    serial += rng.between(11, 97);
                    let number = format!("{}{v:02}{serial:06}", 10 + d);
                    let card = card(number, district, mandal, village, &shop);
                    register.insert(card);
                }
                register.shops.push(shop);
            }
        }
        register
    }

    fn insert(&mut self, card: Card) {
        let index = self.cards.len();
        for (m, member) in card.members.iter().enumerate() {
            self.by_aadhaar.insert(member.aadhaar.clone(), (index, m));
        }
        self.by_card.insert(card.number.clone(), index);
        self.cards.push(card);
    }

    fn card(&self, number: &str) -> Option<&Card> {
        self.by_card.get(number).map(|&i| &self.cards[i])
    }
}

fn card(
    number: String,
    district: &'static seed::District,
    mandal: &'static seed::Mandal,
    village: &'static seed::Village,
    shop: &Shop,
) -> Card {
    let mut rng = Rng::for_key(&format!("rice-card:{number}"));
    let category = if rng.below(100) < 15 { "AAY" } else { "PHH" };
    let status = if rng.below(100) < 6 { "cancelled" } else { "active" };
    let size = if category == "AAY" { rng.between(1, 4) } else { rng.between(1, 6) };
    let (head_name, head_te) = seed::person(&mut rng);
    let (family, family_te) = (surname(&head_name), surname(&head_te));
    let head_woman = is_woman(&head_name);
    let head_age = rng.between(26, 72);
    let mut members = vec![member(&mut rng, (head_name.clone(), head_te.clone()), "Self", head_woman, head_age)];
    members[0].head = true;
    for i in 1..size {
        // The second member is the spouse, the rest children, as on most cards.
        let woman = if i == 1 { !head_woman } else { rng.below(2) == 0 };
        let taken: Vec<&str> = members.iter().map(|m| given(&m.name)).collect();
        let first = given_name(&mut rng, woman, &taken);
        let name = (format!("{} {family}", first.0), format!("{} {family_te}", first.1));
        let (relation, age) = if i == 1 {
            (if woman { "Wife" } else { "Husband" }, head_age.saturating_sub(4) + rng.below(8))
        } else {
            let age = head_age.saturating_sub(rng.between(20, 30)).max(rng.between(0, 3));
            (if woman { "Daughter" } else { "Son" }, age)
        };
        members.push(member(&mut rng, name, relation, woman, age));
    }
    Card {
        number,
        category,
        status,
        head: head_name,
        head_te,
        members,
        village: village.name,
        village_te: village.name_te,
        mandal: mandal.name,
        mandal_te: mandal.name_te,
        district: district.name,
        district_te: district.name_te,
        pincode: district.pincode,
        shop: ShopRef { id: shop.id.clone(), dealer: shop.dealer.clone() },
        issued_on: format!("{}-{:02}-{:02}", rng.between(2020, 2024), rng.between(1, 12), rng.between(1, 28)),
        lifted_this_month: status == "active" && rng.below(100) < 60,
    }
}

fn member(rng: &mut Rng, (name, name_te): (String, String), relation: &'static str, woman: bool, age: u64) -> Member {
    let aadhaar = aadhaar(rng);
    Member {
        name,
        name_te,
        relation,
        gender: if woman { "F" } else { "M" },
        age,
        aadhaar_last4: aadhaar[8..].to_owned(),
        ekyc: rng.below(100) >= 8,
        head: false,
        aadhaar,
    }
}

fn surname(full: &str) -> &str {
    full.rsplit_once(' ').map_or(full, |(_, family)| family)
}

fn given(full: &str) -> &str {
    full.rsplit_once(' ').map_or(full, |(given, _)| given)
}

fn is_woman(full: &str) -> bool {
    WOMEN.contains(&given(full))
}

/// A given name (English, Telugu) of the wanted gender that nobody in the
/// family has yet. The seed has five names of each gender and a family at most
/// five of one gender, so one is always left.
fn given_name(rng: &mut Rng, woman: bool, taken: &[&str]) -> (String, String) {
    loop {
        let (en, te) = seed::person(rng);
        if is_woman(&en) == woman && !taken.contains(&given(&en)) {
            return (given(&en).to_owned(), given(&te).to_owned());
        }
    }
}

/// A 12-digit Aadhaar number with a valid check digit (never starting 0 or 1).
fn aadhaar(rng: &mut Rng) -> String {
    let mut number = rng.between(2, 9).to_string();
    number.extend((0..10).map(|_| char::from(b'0' + rng.below(10) as u8)));
    let check = validate::verhoeff_check_digit(&number).expect("only digits");
    number.push(char::from(b'0' + check));
    number
}

/// A refusal with a message the plugin can log.
#[derive(Debug)]
struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(serde_json::json!({ "error": self.1 }))).into_response()
    }
}

type ApiResult<T> = Result<Json<T>, ApiError>;

fn digits_only(input: &str, len: usize, what: &str) -> Result<String, ApiError> {
    let cleaned: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if cleaned.len() == len && cleaned.bytes().all(|b| b.is_ascii_digit()) {
        Ok(cleaned)
    } else {
        Err(ApiError(StatusCode::BAD_REQUEST, format!("a {what} has {len} digits")))
    }
}

fn find_card(number: &str) -> Result<&'static Card, ApiError> {
    let number = digits_only(number, 10, "rice card number")?;
    REGISTER.card(&number).ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no rice card {number}")))
}

async fn card_by_number(Path(number): Path<String>) -> ApiResult<Card> {
    find_card(&number).map(|c| Json(c.clone()))
}

async fn card_member(Path((number, aadhaar)): Path<(String, String)>) -> ApiResult<Member> {
    let card = find_card(&number)?;
    let aadhaar = digits_only(&aadhaar, 12, "Aadhaar number")?;
    card.members
        .iter()
        .find(|m| m.aadhaar == aadhaar)
        .map(|m| Json(m.clone()))
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no such member on rice card {}", card.number)))
}

#[derive(Debug, Serialize)]
struct Seeding {
    card_number: String,
    card_status: &'static str,
    name: String,
    relation: &'static str,
}

async fn aadhaar_seeding(Path(aadhaar): Path<String>) -> ApiResult<Seeding> {
    let aadhaar = digits_only(&aadhaar, 12, "Aadhaar number")?;
    let &(c, m) = REGISTER
        .by_aadhaar
        .get(&aadhaar)
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, "this Aadhaar is on no rice card".to_owned()))?;
    let card = &REGISTER.cards[c];
    let member = &card.members[m];
    Ok(Json(Seeding {
        card_number: card.number.clone(),
        card_status: card.status,
        name: member.name.clone(),
        relation: member.relation,
    }))
}

#[derive(Debug, Deserialize)]
struct ShopQuery {
    pincode: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Debug, Serialize)]
struct NearShop {
    #[serde(flatten)]
    shop: Shop,
    distance_km: f64,
}

#[derive(Debug, Serialize)]
struct Shops {
    shops: Vec<NearShop>,
}

/// Great-circle distance in kilometres.
fn haversine_km((lat1, lon1): (f64, f64), (lat2, lon2): (f64, f64)) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().asin()
}

async fn shops_near(Query(query): Query<ShopQuery>) -> ApiResult<Shops> {
    let origin = match (&query.pincode, query.lat, query.lon) {
        (Some(pin), _, _) => {
            let pin = digits_only(pin, 6, "PIN code")?;
            // The first three digits name the sorting district; shops there serve the PIN.
            let district = DISTRICTS
                .iter()
                .find(|d| d.pincode[..3] == pin[..3])
                .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no fair price shop serves PIN code {pin}")))?;
            (district.lat, district.lon)
        }
        (None, Some(lat), Some(lon)) if (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) => (lat, lon),
        _ => return Err(ApiError(StatusCode::BAD_REQUEST, "give a pincode or lat and lon".to_owned())),
    };
    let mut near: Vec<NearShop> = REGISTER
        .shops
        .iter()
        .map(|s| NearShop { distance_km: haversine_km(origin, (s.lat, s.lon)), shop: s.clone() })
        .filter(|s| s.distance_km <= MAX_SHOP_DISTANCE_KM)
        .collect();
    if near.is_empty() {
        return Err(ApiError(
            StatusCode::NOT_FOUND,
            format!("no fair price shop within {MAX_SHOP_DISTANCE_KM} km of that place"),
        ));
    }
    near.sort_by(|a, b| a.distance_km.total_cmp(&b.distance_km));
    near.truncate(SHOPS_PER_SEARCH);
    for s in &mut near {
        s.distance_km = (s.distance_km * 10.0).round() / 10.0;
    }
    Ok(Json(Shops { shops: near }))
}

async fn shop_by_id(Path(id): Path<String>) -> ApiResult<Shop> {
    let id = digits_only(&id, 7, "fair price shop number")?;
    REGISTER
        .shops
        .iter()
        .find(|s| s.id == id)
        .map(|s| Json(s.clone()))
        .ok_or_else(|| ApiError(StatusCode::NOT_FOUND, format!("no fair price shop {id}")))
}

/// The routes of this backend.
///
/// - `GET /cards/{number}`: a rice card, its members (Aadhaar shown as the last four digits) and its shop
/// - `GET /cards/{number}/members/{aadhaar}`: one member of that card, 404 when not on it
/// - `GET /aadhaar/{aadhaar}`: the card this Aadhaar is seeded on, 404 when on none
/// - `GET /shops?pincode=520001` or `GET /shops?lat=16.5&lon=80.6`: the nearest fair price shops
/// - `GET /shops/{id}`: one fair price shop
pub fn router() -> Router {
    Router::new()
        .route("/cards/{number}", get(card_by_number))
        .route("/cards/{number}/members/{aadhaar}", get(card_member))
        .route("/aadhaar/{aadhaar}", get(aadhaar_seeding))
        .route("/shops", get(shops_near))
        .route("/shops/{id}", get(shop_by_id))
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use serde_json::Value;
    use tower::ServiceExt;

    use super::*;

    async fn get_json(uri: &str) -> (StatusCode, Value) {
        let response = router().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
        (status, serde_json::from_slice(&bytes).unwrap())
    }

    fn first_card(pred: impl Fn(&Card) -> bool) -> &'static Card {
        REGISTER.cards.iter().find(|c| pred(c)).expect("the register has such a card")
    }

    #[test]
    fn seeded_aadhaar_numbers_pass_the_verhoeff_check() {
        for card in &REGISTER.cards {
            for m in &card.members {
                // The host's own validator: length, leading digit and checksum.
                assert_eq!(validate::aadhaar(&m.aadhaar).as_deref(), Ok(m.aadhaar.as_str()));
            }
        }
        assert_eq!(REGISTER.by_aadhaar.len(), REGISTER.cards.iter().map(|c| c.members.len()).sum::<usize>());
    }

    #[test]
    fn the_register_holds_both_categories_and_some_cancelled_cards() {
        assert_eq!(REGISTER.cards.len(), REGISTER.by_card.len(), "card numbers are unique");
        assert!(REGISTER.cards.iter().any(|c| c.category == "AAY"));
        assert!(REGISTER.cards.iter().any(|c| c.category == "PHH" && c.members.len() >= 4));
        assert!(REGISTER.cards.iter().any(|c| c.status == "cancelled"));
        assert!(REGISTER.cards.iter().any(|c| c.members.iter().any(|m| !m.ekyc)));
    }

    #[test]
    fn no_family_gives_two_members_one_name() {
        for card in &REGISTER.cards {
            let mut names: Vec<&str> = card.members.iter().map(|m| m.name.as_str()).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), card.members.len(), "{}", card.number);
        }
    }

    #[tokio::test]
    async fn a_card_lists_its_members_without_full_aadhaar_numbers() {
        let card = first_card(|c| c.members.len() >= 3);
        let (status, body) = get_json(&format!("/cards/{}", card.number)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["head"], card.head.as_str());
        assert_eq!(body["members"].as_array().unwrap().len(), card.members.len());
        assert_eq!(body["members"][0]["relation"], "Self");
        assert_eq!(body["members"][0]["head"], true);
        assert_eq!(body["shop"]["id"], card.shop.id.as_str());
        let text = body.to_string();
        for m in &card.members {
            assert!(!text.contains(&m.aadhaar), "full Aadhaar leaked");
        }
    }

    #[tokio::test]
    async fn unknown_and_malformed_card_numbers_are_refused() {
        assert_eq!(get_json("/cards/9999999999").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/cards/12345").await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn an_aadhaar_is_found_on_its_card_and_only_there() {
        let card = first_card(|c| c.members.len() >= 2);
        let member = &card.members[1];
        let (status, body) = get_json(&format!("/aadhaar/{}", member.aadhaar)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["card_number"], card.number.as_str());
        assert_eq!(body["name"], member.name.as_str());
        let (status, body) = get_json(&format!("/cards/{}/members/{}", card.number, member.aadhaar)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["head"], false);
        let other = first_card(|c| c.number != card.number);
        assert_eq!(get_json(&format!("/cards/{}/members/{}", other.number, member.aadhaar)).await.0, 404);
        // The SDK's documented valid example number is on no card.
        assert_eq!(get_json("/aadhaar/236591234568").await.0, StatusCode::NOT_FOUND);
    }

    #[tokio::test]
    async fn shops_are_found_by_pin_code_and_by_location_nearest_first() {
        let (status, body) = get_json("/shops?pincode=520001").await;
        assert_eq!(status, StatusCode::OK);
        let shops = body["shops"].as_array().unwrap();
        assert_eq!(shops.len(), SHOPS_PER_SEARCH);
        assert!(shops.iter().all(|s| s["district"] == "NTR"), "{body}");
        let d: Vec<f64> = shops.iter().map(|s| s["distance_km"].as_f64().unwrap()).collect();
        assert!(d.windows(2).all(|w| w[0] <= w[1]), "{d:?}");
        let (status, body) = get_json("/shops?lat=13.63&lon=79.42").await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["shops"][0]["district"], "Tirupati");
        assert_eq!(get_json("/shops?pincode=110001").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/shops?lat=28.61&lon=77.20").await.0, StatusCode::NOT_FOUND);
        assert_eq!(get_json("/shops").await.0, StatusCode::BAD_REQUEST);
    }

    #[tokio::test]
    async fn a_shop_is_found_by_its_number() {
        let shop = &REGISTER.shops[0];
        let (status, body) = get_json(&format!("/shops/{}", shop.id)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["dealer"], shop.dealer.as_str());
        assert_eq!(get_json("/shops/0000000").await.0, StatusCode::NOT_FOUND);
    }
}
