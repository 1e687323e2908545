//! Amiable's server: reads the command line and the configuration, connects and migrates the
//! database, then serves or runs a command. `server --help` lists the commands.

use clap::Parser;
use server::cli::{Cli, Command, SchedulesCommand};
use server::config::Config;
use server::storage::Storage;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let command = Cli::parse()
        .command
        .unwrap_or(Command::Serve { demo: false });
    // Printing example rules needs no database.
    if let Command::Schedules(SchedulesCommand::Example { currency }) = &command {
        return server::cli::print_example(currency);
    }
    let config = Config::from_env()?;
    let storage = Storage::connect(&config.database_url).await?;
    storage.migrate().await?;
    server::cli::run(command, config, storage).await
}
