//! The simulated endowments department system (to be filled in).

use axum::Router;

/// The routes of this backend.
pub fn router() -> Router {
    Router::new()
}
