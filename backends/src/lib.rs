//! The department systems Mitra's plugins talk to, simulated with seeded,
//! realistic data so every service works in the demo and in tests.
//!
//! Each department is its own HTTP service on its own port (a plugin's
//! manifest allows exactly its own backend). The data is generated from a
//! fixed seed, so the same survey number has the same owner on every run.

use std::net::SocketAddr;

use axum::Router;

pub mod agriculture;
pub mod anna_canteens;
pub mod apsrtc;
pub mod civil_supplies;
pub mod cm_relief_fund;
pub mod endowments;
pub mod energy;
pub mod municipal;
pub mod revenue;
pub mod seed;

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
