//! What every handler shares.

use crate::config::Config;
use crate::links::LinkSigner;
use crate::pdf::FontSet;
use crate::sealing::Sealer;
use crate::storage::Storage;
use crate::web::ratelimit::RateLimits;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub storage: Storage,
    pub links: LinkSigner,
    /// Opens the creditors' stored Stripe credentials.
    pub sealer: Sealer,
    pub fonts: Arc<FontSet>,
    pub limits: Arc<RateLimits>,
    /// Wakes the outbox worker when mail is queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}
