//! What agents do with reminders: set a debtor's segment, pause and resume, finish a task
//! (call, letter, formal notice), and end the amicable phase (hand over, write off, extend).

use crate::kernel::AppState;
use axum::Router;

/// The POST routes of the agents' reminder actions.
pub fn routes() -> Router<AppState> {
    Router::new()
}
