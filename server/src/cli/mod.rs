//! The command line (clap): serve, the demo, migrations, and the creditor's settings that have
//! no screen yet (links, payments, agents, schedule rules), plus running a job once.

pub mod bench_seed;
pub mod demo;

use crate::config::Config;
use crate::kernel::AppState;
use crate::kernel::links::LinkSigner;
use crate::storage::{CreditorRow, RulesRow, Storage};
use anyhow::{Context, bail};
use app::domain::agent::Role;
use app::domain::money::Currency;
use app::domain::schedule::{DEFAULT_GRACE_DAYS, DEFAULT_REMINDER_DAYS, ScheduleRules};
use clap::{Parser, Subcommand};
use secrecy::SecretString;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "server",
    version,
    about = "Amiable, the debtor self-service portal"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the portal (the default)
    Serve {
        /// Seed the demo creditor if the database is empty and print one link per demo debtor
        #[arg(long)]
        demo: bool,
    },
    /// Seed the demo creditor if the database is empty
    SeedDemo,
    /// Apply database migrations and exit
    Migrate,
    /// Portal links: list, mint, revoke; rotate and retire signing keys
    #[command(subcommand)]
    Links(LinksCommand),
    /// How a creditor is paid
    #[command(subcommand)]
    Payments(PaymentsCommand),
    /// Back-office accounts
    #[command(subcommand)]
    Agents(AgentsCommand),
    /// Payment schedules: the creditor's rules, and the follow-up job
    #[command(subcommand)]
    Schedules(SchedulesCommand),
    /// Promises to pay: the follow-up job
    #[command(subcommand)]
    Promises(PromisesCommand),
    /// Reminder scenarios: run once, or show what a debtor would be sent
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Load a large creditor for the benchmark; print a link to one debtor
    BenchSeed { debtors: usize, invoices: usize },
}

#[derive(Debug, Subcommand)]
pub enum LinksCommand {
    /// List a creditor's links with their state and open count
    List { creditor: String },
    /// Mint a link for one debtor and print it
    Mint {
        creditor: String,
        debtor_reference: String,
        /// Expiry in seconds (default: the creditor's, 30 days unless set)
        #[arg(long)]
        expires_in_secs: Option<i64>,
    },
    /// Revoke a link; its sessions end at once
    Revoke { creditor: String, link_id: String },
    /// Sign new links with a new key; older links keep working
    RotateKey { creditor: String },
    /// Stop accepting links signed with an old key
    RetireKey { creditor: String, key_id: String },
}

#[derive(Debug, Subcommand)]
pub enum PaymentsCommand {
    /// Set the beneficiary, bank account, minimum payment and (with --stripe) the Stripe keys
    Set {
        creditor: String,
        #[arg(long)]
        beneficiary: String,
        #[arg(long)]
        iban: Option<String>,
        #[arg(long)]
        bic: Option<String>,
        /// The smallest amount a debtor may pay, in euros (e.g. 10.00)
        #[arg(long, default_value = "1.00")]
        minimum: String,
        /// Read STRIPE_PUBLISHABLE_KEY, STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET from the
        /// environment (never the command line) and store the secrets sealed
        #[arg(long)]
        stripe: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AgentsCommand {
    /// A back-office account; the password is read from AGENT_PASSWORD (12 characters or more)
    Create {
        creditor: String,
        email: String,
        name: String,
        #[arg(long, default_value = "admin", value_parser = ["admin", "agent", "read_only"])]
        role: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SchedulesCommand {
    /// Set a creditor's schedule rules by balance band from a JSON file
    Rules {
        creditor: String,
        file: PathBuf,
        #[arg(long, default_value_t = DEFAULT_REMINDER_DAYS)]
        reminder_days: i64,
        #[arg(long, default_value_t = DEFAULT_GRACE_DAYS)]
        grace_days: i64,
    },
    /// Print example rules (the product brief's bands) as JSON
    Example {
        #[arg(default_value = "EUR")]
        currency: String,
    },
    /// Run the schedule job once: card charges, reminders, breaks, completion
    Follow,
}

#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Decide and queue every reminder due now (what the server does on its timer)
    Run {
        /// Say what is due, write and send nothing, whatever the hour
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the reminder a debtor would get now, and what the next 60 days would bring
    Preview {
        creditor: String,
        debtor_reference: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum PromisesCommand {
    /// Close kept and missed promises to pay once
    Follow,
}

/// Runs a command against a migrated database.
pub async fn run(command: Command, config: Config, storage: Storage) -> anyhow::Result<()> {
    match command {
        Command::Serve { demo: false } => crate::serve(config, storage).await,
        Command::Serve { demo: true } => {
            demo::seed_if_empty(&storage)
                .await
                .context("seeding the demo data")?;
            demo::configure_payments(&config, &storage)
                .await
                .context("configuring the demo's payments")?;
            demo::configure_schedules(&storage)
                .await
                .context("setting the demo's schedule rules")?;
            demo::first_reminders(&config, &storage)
                .await
                .context("the demo's first reminders")?;
            demo::print_links(&config, &storage).await?;
            crate::serve(config, storage).await
        }
        Command::SeedDemo => demo::seed_if_empty(&storage).await,
        Command::Migrate => Ok(()),
        Command::Links(c) => links(&config, &storage, c).await,
        Command::Payments(c) => payments(&config, &storage, c).await,
        Command::Agents(c) => agents(&storage, c).await,
        Command::Schedules(c) => schedules(config, storage, c).await,
        Command::Promises(PromisesCommand::Follow) => {
            let state = AppState::new(config, storage)?;
            let (kept, missed) = crate::promise::follow(&state).await?;
            println!("kept {kept}, missed {missed}");
            Ok(())
        }
        Command::Reminders(c) => reminders(config, storage, c).await,
        Command::BenchSeed { debtors, invoices } => {
            bench_seed::seed(&config, &storage, debtors, invoices).await
        }
    }
}

/// Prints example schedule rules (no database needed).
pub fn print_example(currency: &str) -> anyhow::Result<()> {
    let currency = Currency::parse(currency).map_err(|e| anyhow::anyhow!("{e}"))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&ScheduleRules::example(currency))?
    );
    Ok(())
}

/// The commands work on the wall clock.
fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

async fn creditor(storage: &Storage, slug: &str) -> anyhow::Result<CreditorRow> {
    storage
        .creditor_by_slug(slug)
        .await?
        .with_context(|| format!("no creditor with slug {slug:?}"))
}

fn utc(at: i64) -> String {
    chrono::DateTime::from_timestamp(at, 0)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

async fn links(config: &Config, storage: &Storage, command: LinksCommand) -> anyhow::Result<()> {
    let signer = LinkSigner::new(config.link_secret.clone());
    match command {
        LinksCommand::List { creditor: slug } => {
            let c = creditor(storage, &slug).await?;
            println!(
                "{:<38} {:<38} {:<20} {:<8} opens",
                "link id", "debtor", "expires (UTC)", "state"
            );
            for l in storage.links(&c.id, None).await? {
                let state = if l.revoked_at.is_some() {
                    "revoked"
                } else if l.expires_at <= now() {
                    "expired"
                } else {
                    "active"
                };
                println!(
                    "{:<38} {:<38} {:<20} {:<8} {}",
                    l.id,
                    l.debtor_id,
                    utc(l.expires_at),
                    state,
                    l.open_count
                );
            }
            Ok(())
        }
        LinksCommand::Mint {
            creditor: slug,
            debtor_reference,
            expires_in_secs,
        } => {
            let c = creditor(storage, &slug).await?;
            let d = storage
                .debtor_by_reference(&c.id, &debtor_reference)
                .await?
                .with_context(|| format!("no debtor with reference {debtor_reference:?}"))?;
            let (mut row, mut token) = signer.prepare(storage, &c.id, &d.id, now()).await?;
            if let Some(secs) = expires_in_secs {
                row.expires_at = row.created_at + secs.max(0);
                token = signer.sign(&row)?;
            }
            storage.insert_link(&row, "cli", "minted", &[]).await?;
            println!("{}/l/{}", config.public_url, token);
            eprintln!(
                "link id {} for {} — expires at {} UTC",
                row.id,
                d.name,
                utc(row.expires_at)
            );
            Ok(())
        }
        LinksCommand::Revoke {
            creditor: slug,
            link_id,
        } => {
            let c = creditor(storage, &slug).await?;
            if storage.revoke_link(&c.id, &link_id, "cli", now()).await? {
                println!("revoked {link_id}");
                Ok(())
            } else {
                bail!("no active link {link_id} for {slug}")
            }
        }
        LinksCommand::RotateKey { creditor: slug } => {
            let c = creditor(storage, &slug).await?;
            let key = storage.rotate_link_key(&c.id, now()).await?;
            println!(
                "new links for {slug} are signed with key {key}; links signed with older keys keep working until retired"
            );
            Ok(())
        }
        LinksCommand::RetireKey {
            creditor: slug,
            key_id,
        } => {
            let c = creditor(storage, &slug).await?;
            if key_id == c.current_key_id {
                bail!("{key_id} signs new links; rotate first");
            }
            if storage.retire_link_key(&c.id, &key_id, now()).await? {
                println!("retired {key_id}: links signed with it no longer open");
                Ok(())
            } else {
                bail!("no active key {key_id} for {slug}")
            }
        }
    }
}

async fn payments(
    config: &Config,
    storage: &Storage,
    command: PaymentsCommand,
) -> anyhow::Result<()> {
    let PaymentsCommand::Set {
        creditor: slug,
        beneficiary,
        iban,
        bic,
        minimum,
        stripe,
    } = command;
    let c = creditor(storage, &slug).await?;
    let minimum = app::domain::payment::parse_amount_input(&minimum, Currency::Eur)
        .map_err(|e| anyhow::anyhow!("--minimum: {e}"))?
        .minor;
    let keys = if stripe {
        let get = |n: &str| {
            std::env::var(n)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .with_context(|| format!("--stripe needs {n} in the environment"))
        };
        let secret = |n: &str| get(n).map(SecretString::from);
        Some((
            get("STRIPE_PUBLISHABLE_KEY")?,
            secret("STRIPE_SECRET_KEY")?,
            secret("STRIPE_WEBHOOK_SECRET")?,
        ))
    } else {
        None
    };
    let sealer = crate::sealing::Sealer::new(&config.link_secret);
    let stripe_ref = keys.as_ref().map(|(p, s, w)| (p.as_str(), s, w));
    crate::payment::settings::configure(
        &sealer,
        storage,
        &c.id,
        &crate::payment::settings::PaymentSettings {
            beneficiary_name: &beneficiary,
            iban: iban.as_deref(),
            bic: bic.as_deref(),
            min_payment_minor: minimum,
            stripe: stripe_ref,
        },
        now(),
    )
    .await?;
    println!(
        "Payment settings saved for {slug}{}.",
        if stripe { " (Stripe keys sealed)" } else { "" }
    );
    if stripe {
        println!(
            "Register this webhook URL in the creditor's Stripe account: {}/webhooks/stripe/{slug}",
            config.public_url
        );
    }
    Ok(())
}

async fn agents(storage: &Storage, command: AgentsCommand) -> anyhow::Result<()> {
    let AgentsCommand::Create {
        creditor: slug,
        email,
        name,
        role,
    } = command;
    let role = Role::parse(&role).with_context(|| format!("unknown role {role:?}"))?;
    let c = creditor(storage, &slug).await?;
    let password = std::env::var("AGENT_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .context("set AGENT_PASSWORD (never on the command line)")?;
    let id = crate::account::create(storage, &c.id, &email, &name, role, &password, now()).await?;
    println!(
        "Created {} account {id} for {email} at {slug}.",
        role.as_str()
    );
    Ok(())
}

async fn schedules(
    config: Config,
    storage: Storage,
    command: SchedulesCommand,
) -> anyhow::Result<()> {
    match command {
        SchedulesCommand::Example { currency } => print_example(&currency),
        SchedulesCommand::Rules {
            creditor: slug,
            file,
            reminder_days,
            grace_days,
        } => {
            let c = creditor(&storage, &slug).await?;
            let text = std::fs::read_to_string(&file)
                .with_context(|| format!("reading {}", file.display()))?;
            let rules: ScheduleRules = serde_json::from_str(&text)
                .with_context(|| format!("{} is not schedule rules", file.display()))?;
            let row = RulesRow {
                rules,
                reminder_days,
                grace_days,
            };
            crate::schedule::rules::set_rules(&storage, &c.id, row, "cli", now()).await?;
            println!("Schedule rules saved for {slug}.");
            Ok(())
        }
        SchedulesCommand::Follow => {
            let state = AppState::new(config, storage)?;
            let f = crate::jobs::follow_schedules(&state).await?;
            let (c, s) = (&f.charges, &f.schedules);
            println!(
                "charged {}, charges failed {}, reminded {}, broken {}, completed {}",
                c.charged, c.failed, s.reminded, s.broken, s.completed
            );
            Ok(())
        }
    }
}

async fn reminders(
    config: Config,
    storage: Storage,
    command: RemindersCommand,
) -> anyhow::Result<()> {
    let state = AppState::new(config, storage)?;
    match command {
        RemindersCommand::Run { dry_run } => {
            let started = std::time::Instant::now();
            let r = crate::reminder::run(&state, dry_run).await?;
            println!(
                "{}debtors {}, emails {}, tasks {}, already {}, waiting {}, outside hours {}, no address {} ({:.1} s)",
                if dry_run { "dry run: " } else { "" },
                r.debtors,
                r.emails,
                r.tasks,
                r.already,
                r.waiting,
                r.outside_hours,
                r.no_address,
                started.elapsed().as_secs_f64()
            );
            Ok(())
        }
        RemindersCommand::Preview {
            creditor: slug,
            debtor_reference,
        } => {
            let c = creditor(&state.storage, &slug).await?;
            let d = state
                .storage
                .debtor_by_reference(&c.id, &debtor_reference)
                .await?
                .with_context(|| format!("no debtor with reference {debtor_reference:?}"))?;
            for (day, step, channel, text) in
                crate::reminder::run::preview(&state, &c, &d.id, 60).await?
            {
                println!("== {day} — step {step} ({channel})\n{text}");
            }
            Ok(())
        }
    }
}
