//! Amiable's server: reads the command line and the configuration, connects and migrates the
//! database, then serves or runs a command. `server --help` lists the commands.
//!
//! A server that cannot start (a busy port, a database it cannot reach, fonts it cannot read, a
//! setting out of range) says why in one line on stderr and exits with status 1: these are
//! configuration mistakes, not bugs, so no backtrace.

use clap::Parser;
use server::cli::{Cli, Command, SchedulesCommand};
use server::config::Config;
use server::storage::Storage;
use std::process::ExitCode;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    match start().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("amiable: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn start() -> anyhow::Result<()> {
    let command = Cli::parse()
        .command
        .unwrap_or(Command::Serve { demo: false });
    // Printing example rules needs no database.
    if let Command::Schedules(SchedulesCommand::Example { currency }) = &command {
        return server::cli::print_example(currency);
    }
    let config = Config::from_env()?;
    init_logs(config.json_logs());
    let storage = Storage::connect(&config.database_url).await?;
    storage.migrate().await?;
    server::cli::run(command, config, storage).await
}

/// Log lines for people in development; one JSON object per line in production, each with
/// the request's id in its span.
fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let logs = tracing_subscriber::fmt().with_env_filter(filter);
    if json {
        logs.json()
            .flatten_event(true)
            .with_current_span(true)
            .init();
    } else {
        logs.init();
    }
}
