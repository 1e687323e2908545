//! What every handler, service and job shares, built once at start-up.

use super::assets::Assets;
use super::clock::{Clock, SystemClock, today_in};
use super::links::LinkSigner;
use super::metrics::Metrics;
use super::ratelimit::RateLimits;
use crate::config::{AppEnv, Config};
use crate::pdf::FontSet;
use crate::sealing::Sealer;
use crate::storage::Storage;
use anyhow::Context;
use axum::extract::FromRef;
use chrono::NaiveDate;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub storage: Storage,
    pub clock: Arc<dyn Clock>,
    pub links: LinkSigner,
    /// Opens the creditors' stored Stripe credentials.
    pub sealer: Sealer,
    pub fonts: Arc<FontSet>,
    pub limits: Arc<RateLimits>,
    /// Wakes the outbox worker when mail is queued.
    pub mail_wake: Arc<tokio::sync::Notify>,
    pub leptos_options: LeptosOptions,
    /// Where the static files are served, under a name that follows their content.
    pub assets: Assets,
    /// What `/metrics` shows: requests, job runs, payments.
    pub metrics: Arc<Metrics>,
    /// The origins the card form needs in the pages' CSP (from the config, computed once).
    pub payment_origins: Arc<str>,
}

impl AppState {
    /// The shared state from config and a migrated database, on the wall clock.
    pub fn new(config: Config, storage: Storage) -> anyhow::Result<Self> {
        Self::with_clock(config, storage, Arc::new(SystemClock))
    }

    pub fn with_clock(
        config: Config,
        storage: Storage,
        clock: Arc<dyn Clock>,
    ) -> anyhow::Result<Self> {
        let fonts = FontSet::load(&config.font_regular, &config.font_bold)
            .context("loading the PDF fonts")?;
        let assets = match Assets::load(&config.site_root) {
            Ok(a) => a,
            Err(e) if config.env != AppEnv::Production => {
                tracing::warn!(error = %format!("{e:#}"), "no static files: pages will have no stylesheet");
                Assets {
                    base: "/assets/none".into(),
                }
            }
            Err(e) => return Err(e.context("reading the site's static files (LEPTOS_SITE_ROOT)")),
        };
        // Built here rather than from LEPTOS_* variables: the output name must match
        // `output-name` in Cargo.toml's [[workspace.metadata.leptos]].
        let leptos_options = LeptosOptions::builder()
            .output_name("amiable")
            .site_root(config.site_root.to_string_lossy().to_string())
            .site_pkg_dir(assets.pkg_dir())
            .build();
        let payment_origins = config.payment_origins().into();
        Ok(Self {
            links: LinkSigner::new(config.link_secret.clone()),
            sealer: Sealer::new(&config.link_secret),
            limits: Arc::new(RateLimits::new(
                config.link_rate_per_minute,
                config.renewals_per_address_per_hour,
            )),
            config: Arc::new(config),
            storage,
            clock,
            fonts: Arc::new(fonts),
            mail_wake: Arc::new(tokio::sync::Notify::new()),
            leptos_options,
            assets,
            metrics: Arc::new(Metrics::default()),
            payment_origins,
        })
    }

    /// Now, in seconds since the epoch (how storage keeps instants).
    pub fn now(&self) -> i64 {
        self.clock.now().timestamp()
    }

    /// Today in a time zone, by this state's clock.
    pub fn today_in(&self, tz: chrono_tz::Tz) -> NaiveDate {
        today_in(tz, self.clock.now())
    }

    /// Tells the outbox worker that mail is waiting.
    pub fn mail_queued(&self) {
        self.mail_wake.notify_one();
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(s: &AppState) -> Self {
        s.leptos_options.clone()
    }
}
