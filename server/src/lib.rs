#![recursion_limit = "256"]
//! Amiable's server, in floors whose arrows point down (`.ci/imports.py` checks it):
//!
//! - the top: `web` (the router and the portal service pages call), `jobs` (the scheduler)
//!   and `cli` (commands, the demo, the benchmark's data);
//! - one folder per feature: `link`, `statement`, `payment`, `schedule`, `promise`, `dispute`,
//!   `message`, `back_office`, `account`; features do not use each other;
//! - `kernel`, what every feature shares: the state and its injectable clock, who is asking,
//!   forms and drafts, links for mails, the mail composer, the statement, documents;
//! - adapters at the edge, by technology: `storage` (SQL), `mail` (SMTP and the outbox),
//!   `pdf`, `stripe_account`, `sealing`, `qr`; and `config`, read once from the environment.

pub mod account;
pub mod back_office;
pub mod cli;
pub mod config;
pub mod dispute;
pub mod jobs;
pub mod kernel;
pub mod link;
pub mod mail;
pub mod message;
pub mod payment;
pub mod pdf;
pub mod promise;
pub mod qr;
pub mod reminder;
pub mod schedule;
pub mod sealing;
pub mod statement;
pub mod storage;
pub mod stripe_account;
pub mod web;

use anyhow::Context;
use config::Config;
use kernel::AppState;
use std::net::SocketAddr;
use std::sync::Arc;
use storage::Storage;

/// Binds, starts the background workers and serves until Ctrl-C.
pub async fn serve(config: Config, storage: Storage) -> anyhow::Result<()> {
    let mailer: Arc<dyn mail::Mailer> =
        Arc::new(mail::SmtpMailer::new(&config.smtp_url, &config.mail_from)?);
    let addr = config.bind_addr.clone();
    let state = AppState::new(config, storage)?;
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr} (BIND_ADDR)"))?;
    jobs::spawn_workers(state.clone(), mailer);
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
