//! `POST /agent/settings/cases`: the admins' settings for cases — how far ahead a debtor may
//! promise to pay, and how many and how large the files on a dispute may be.

use crate::kernel::context::is_admin;
use crate::kernel::forms::{ActionError, after};
use crate::kernel::{AppState, SignedIn};
use app::domain::upload::{HARD_MAX_BYTES, HARD_MAX_FILES};
use axum::Form;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    horizon_days: String,
    #[serde(default)]
    max_files: String,
    #[serde(default)]
    max_mb: String,
}

pub async fn save(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Form(f): Form<SettingsForm>,
) -> Response {
    if !is_admin(&agent) {
        return after("/agent/rules", &Err(ActionError::Forbidden));
    }
    let number = |s: &str, lo: i64, hi: i64| {
        s.trim()
            .parse::<i64>()
            .ok()
            .filter(|n| (lo..=hi).contains(n))
    };
    let (Some(horizon), Some(files), Some(mb)) = (
        number(&f.horizon_days, 1, 365),
        number(&f.max_files, 0, HARD_MAX_FILES as i64),
        number(&f.max_mb, 1, (HARD_MAX_BYTES / (1024 * 1024)) as i64),
    ) else {
        return after("/agent/rules", &Err(ActionError::Invalid("settings")));
    };
    let saved = state
        .storage
        .set_case_settings(
            &agent.creditor_id,
            horizon,
            files,
            mb * 1024 * 1024,
            &agent.id,
            state.now(),
        )
        .await;
    after("/agent/rules", &saved.map_err(ActionError::internal))
}
