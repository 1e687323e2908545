#![recursion_limit = "256"]
//! Amiable's server: adapters (storage, mail, PDF), plain HTTP routes, jobs.

pub mod agents;
pub mod back_office;
pub mod bench_seed;
pub mod cli;
pub mod config;
pub mod demo;
pub mod disputes;
pub mod jobs;
pub mod links;
pub mod mail;
pub mod messages;
pub mod payments;
pub mod pdf;
pub mod portal;
pub mod promises;
pub mod qr;
pub mod renewal;
pub mod schedules;
pub mod sealing;
pub mod state;
pub mod storage;
pub mod web;

use anyhow::Context;
use config::Config;
use state::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use storage::Storage;

/// Builds the shared state from config and a migrated database.
pub fn build_state(config: Config, storage: Storage) -> anyhow::Result<AppState> {
    let fonts = pdf::FontSet::load(&config.font_regular, &config.font_bold)
        .context("loading the PDF fonts")?;
    // Built here rather than from LEPTOS_* variables: the output name must match
    // `output-name` in Cargo.toml's [[workspace.metadata.leptos]].
    let leptos_options = leptos::config::LeptosOptions::builder()
        .output_name("amiable")
        .site_root(config.site_root.to_string_lossy().to_string())
        .site_pkg_dir("pkg")
        .build();
    Ok(AppState {
        links: links::LinkSigner::new(config.link_secret.clone()),
        sealer: sealing::Sealer::new(&config.link_secret),
        limits: Arc::new(web::ratelimit::RateLimits::new(
            config.link_rate_per_minute,
            config.renewals_per_address_per_hour,
        )),
        config: Arc::new(config),
        storage,
        fonts: Arc::new(fonts),
        mail_wake: Arc::new(tokio::sync::Notify::new()),
        leptos_options,
    })
}

/// Binds, starts the background workers and serves until Ctrl-C.
pub async fn serve(config: Config, storage: Storage) -> anyhow::Result<()> {
    let mailer: Arc<dyn mail::Mailer> =
        Arc::new(mail::SmtpMailer::new(&config.smtp_url, &config.mail_from)?);
    let addr = config.bind_addr.clone();
    let state = build_state(config, storage)?;
    jobs::spawn_workers(state.clone(), mailer);
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("binding {addr}"))?;
    tracing::info!(
        "Amiable listening on http://{addr} (public address {})",
        state.config.public_url
    );
    axum::serve(
        listener,
        web::router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    Ok(())
}
