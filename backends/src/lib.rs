//! The department systems Mitra's plugins talk to, simulated with seeded,
//! realistic data so every service works in the demo and in tests.
//!
//! Each department is its own HTTP service on its own port (a plugin's
//! manifest allows exactly its own backend). The data is generated from a
//! fixed seed, so the same survey number has the same owner on every run.

use std::net::SocketAddr;

use axum::Router;

pub mod agriculture;
pub mod animal_husbandry;
pub mod anna_canteens;
pub mod apsrtc;
pub mod bc_welfare;
pub mod civil_supplies;
pub mod cm_relief_fund;
pub mod commercial_taxes;
pub mod endowments;
pub mod energy;
pub mod fisheries;
pub mod forest;
pub mod health;
pub mod higher_education;
pub mod horticulture;
pub mod housing;
pub mod industries;
pub mod labour;
pub mod marketing;
pub mod minority_welfare;
pub mod municipal;
pub mod pgrs;
pub mod police;
pub mod registers;
pub mod registration;
pub mod revenue;
pub mod rural_development;
pub mod rwss;
pub mod school_education;
pub mod seed;
pub mod skills;
pub mod social_welfare;
pub mod survey;
pub mod tourism;
pub mod transport;
pub mod tribal_welfare;
pub mod women_child;
pub mod youth_sports;

/// One simulated department system.
#[derive(Debug)]
pub struct Backend {
    /// The department (plugin) id this backend serves.
    pub department: &'static str,
    /// Its default port on 127.0.0.1.
    pub port: u16,
    /// Its routes.
    pub router: Router,
}

/// A department id, its default port and its router.
type Registration = (&'static str, u16, fn() -> Router);

/// Every simulated backend, with its default port.
pub fn backends() -> Vec<Backend> {
    let all: Vec<Registration> = vec![
        ("revenue", 7801, revenue::router),
        ("municipal", 7802, municipal::router),
        ("endowments", 7803, endowments::router),
        ("energy", 7804, energy::router),
        ("apsrtc", 7805, apsrtc::router),
        ("anna-canteens", 7806, anna_canteens::router),
        ("cm-relief-fund", 7807, cm_relief_fund::router),
        ("civil-supplies", 7808, civil_supplies::router),
        ("agriculture", 7809, agriculture::router),
        // The departments served by definitions (plugins/departments).
        ("rural-development", 7810, rural_development::router),
        ("registration", 7811, registration::router),
        ("health", 7812, health::router),
        ("social-welfare", 7813, social_welfare::router),
        ("housing", 7814, housing::router),
        ("pgrs", 7815, pgrs::router),
        ("transport", 7816, transport::router),
        ("labour", 7817, labour::router),
        ("school-education", 7818, school_education::router),
        ("higher-education", 7819, higher_education::router),
        ("women-child", 7820, women_child::router),
        ("police", 7821, police::router),
        ("bc-welfare", 7822, bc_welfare::router),
        ("tribal-welfare", 7823, tribal_welfare::router),
        ("minority-welfare", 7824, minority_welfare::router),
        ("rwss", 7825, rwss::router),
        ("forest", 7826, forest::router),
        ("fisheries", 7827, fisheries::router),
        ("animal-husbandry", 7828, animal_husbandry::router),
        ("horticulture", 7829, horticulture::router),
        ("industries", 7830, industries::router),
        ("commercial-taxes", 7831, commercial_taxes::router),
        ("skills", 7832, skills::router),
        ("youth-sports", 7833, youth_sports::router),
        ("tourism", 7834, tourism::router),
        ("marketing", 7835, marketing::router),
        ("survey", 7836, survey::router),
    ];
    all.into_iter().map(|(department, port, router)| Backend { department, port, router: router() }).collect()
}

/// The router of one department's backend.
pub fn router(department: &str) -> Option<Router> {
    backends().into_iter().find(|b| b.department == department).map(|b| b.router)
}

/// Serves `router` on `addr` (port 0 picks a free one); returns the bound
/// address. The server runs until the runtime stops.
pub async fn spawn(router: Router, addr: SocketAddr) -> anyhow::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "backend simulator stopped");
        }
    });
    Ok(bound)
}
