//! The ePDS backend as the plugin sees it: the records it returns and the one
//! way to reach it (HTTP to the operator-configured `backend` URL).

use mitra_sdk::prelude::*;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A rice card with its members, as the ePDS returns it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Card {
    pub number: String,
    /// `AAY` or `PHH`.
    pub category: String,
    /// `active` or `cancelled`.
    pub status: String,
    pub head: String,
    pub head_te: String,
    pub members: Vec<Member>,
    pub village: String,
    pub village_te: String,
    pub mandal: String,
    pub mandal_te: String,
    pub district: String,
    pub district_te: String,
    pub pincode: String,
    pub shop: ShopRef,
    pub issued_on: String,
    pub lifted_this_month: bool,
}

impl Card {
    pub fn is_cancelled(&self) -> bool {
        self.status == "cancelled"
    }
}

/// One member of a card; the ePDS shows only the last four Aadhaar digits.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Member {
    pub name: String,
    pub name_te: String,
    pub relation: String,
    pub gender: String,
    pub age: u32,
    pub aadhaar_last4: String,
    pub ekyc: bool,
    pub head: bool,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct ShopRef {
    pub id: String,
    pub dealer: String,
}

/// The card an Aadhaar number is already seeded on.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Seeding {
    pub card_number: String,
    pub card_status: String,
    pub name: String,
    pub relation: String,
}

/// A fair price shop; `distance_km` is set when found by a search.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Shop {
    pub id: String,
    pub dealer: String,
    pub dealer_te: String,
    pub village: String,
    pub village_te: String,
    pub mandal: String,
    pub district: String,
    pub pincode: String,
    pub lat: f64,
    pub lon: f64,
    pub hours: String,
    #[serde(default)]
    pub distance_km: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct Shops {
    shops: Vec<Shop>,
}

/// `GET {backend}{path}`: `Ok(None)` when the ePDS has no such record.
fn get<T: DeserializeOwned>(path: &str) -> Result<Option<T>, PluginError> {
    let base = host::config("backend")
        .ok_or_else(|| PluginError::Unavailable("the civil supplies system is not configured".into()))?;
    let url = format!("{}{path}", base.trim_end_matches('/'));
    let response = host::http::get(&url).map_err(|error| {
        host::log(host::Level::Warn, &format!("GET {url}: {error:?}"));
        PluginError::Unavailable("the civil supplies system is not reachable".into())
    })?;
    match response.status {
        200..=299 => serde_json::from_slice(&response.body)
            .map(Some)
            .map_err(|e| PluginError::Other(format!("unexpected answer from the civil supplies system: {e}"))),
        404 => Ok(None),
        400..=499 => Err(PluginError::InvalidInput(response.text())),
        status => {
            host::log(host::Level::Warn, &format!("GET {url}: HTTP {status}"));
            Err(PluginError::Unavailable(format!("the civil supplies system answered HTTP {status}")))
        }
    }
}

pub fn card(number: &str) -> Result<Option<Card>, PluginError> {
    get(&format!("/cards/{number}"))
}

pub fn member(card: &str, aadhaar: &str) -> Result<Option<Member>, PluginError> {
    get(&format!("/cards/{card}/members/{aadhaar}"))
}

pub fn seeding(aadhaar: &str) -> Result<Option<Seeding>, PluginError> {
    get(&format!("/aadhaar/{aadhaar}"))
}

pub fn shop(id: &str) -> Result<Option<Shop>, PluginError> {
    get(&format!("/shops/{id}"))
}

pub fn shops_by_pincode(pincode: &str) -> Result<Option<Vec<Shop>>, PluginError> {
    Ok(get::<Shops>(&format!("/shops?pincode={pincode}"))?.map(|s| s.shops))
}

pub fn shops_near(lat: f64, lon: f64) -> Result<Option<Vec<Shop>>, PluginError> {
    Ok(get::<Shops>(&format!("/shops?lat={lat:.5}&lon={lon:.5}"))?.map(|s| s.shops))
}

/// A card as the ePDS would send it, for the rules' tests.
#[cfg(test)]
pub fn test_card(category: &str, status: &str, ekyc: &[bool]) -> Card {
    let members: Vec<serde_json::Value> = ekyc
        .iter()
        .enumerate()
        .map(|(i, ekyc)| {
            serde_json::json!({
                "name": format!("Member {i} Reddy"), "name_te": "సభ్యుడు రెడ్డి",
                "relation": if i == 0 { "Self" } else { "Son" }, "gender": "M", "age": 40 - i,
                "aadhaar_last4": "4568", "ekyc": ekyc, "head": i == 0
            })
        })
        .collect();
    serde_json::from_value(serde_json::json!({
        "number": "1001104312", "category": category, "status": status,
        "head": "Member 0 Reddy", "head_te": "సభ్యుడు రెడ్డి", "members": members,
        "village": "Gollapudi", "village_te": "గొల్లపూడి", "mandal": "Vijayawada Rural",
        "mandal_te": "విజయవాడ గ్రామీణ", "district": "NTR", "district_te": "ఎన్టీఆర్", "pincode": "520001",
        "shop": { "id": "1000123", "dealer": "Suresh Naidu" }, "issued_on": "2021-03-14",
        "lifted_this_month": false
    }))
    .unwrap()
}
