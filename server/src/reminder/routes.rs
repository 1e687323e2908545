//! The admin's reminder pages' forms: settings, scenario steps, preview and simulation.

use crate::kernel::AppState;
use axum::Router;

/// The POST routes of the scenarios pages (the pages themselves load in `web::pages`).
pub fn routes() -> Router<AppState> {
    Router::new()
}
