//! Amiable's server: loads config, connects and migrates the database, then serves or runs a
//! command. `server --help` lists the commands.

use anyhow::Context;

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use server::config::Config;
use server::storage::Storage;

const HELP: &str = "\
Usage: server [COMMAND]

Commands:
  serve                         Run the portal (default)
  serve --demo                  Seed the demo creditor if the database is empty, print one link per
                                demo debtor, then run the portal
  seed-demo                     Seed the demo creditor if the database is empty
  links list <creditor-slug>    List a creditor's links
  links mint <creditor-slug> <debtor-reference> [--expires-in-secs N]
                                Mint a link for one debtor and print it (default expiry:
                                the creditor's, 30 days unless set)
  links revoke <creditor-slug> <link-id>
                                Revoke a link (its sessions end at once)
  links rotate-key <creditor-slug>
                                Sign new links with a new key; older links keep working
  links retire-key <creditor-slug> <key-id>
                                Stop accepting links signed with an old key
  payments set <creditor-slug> --beneficiary NAME [--iban IBAN] [--bic BIC] [--minimum 10.00] [--stripe]
                                How a creditor is paid. --stripe reads STRIPE_PUBLISHABLE_KEY,
                                STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET from the environment
                                (never the command line) and stores the secrets sealed
  agents create <creditor-slug> <email> <name> [--role admin|agent|read_only]
  schedules rules <creditor-slug> <rules.json> [--reminder-days N] [--grace-days N]
  schedules example [EUR]     print example rules by balance band, as JSON
  schedules follow            run the schedule follow-up once (reminders, breaks, completion)
  promises follow             close kept and missed promises to pay once
                                A back-office account (default role: admin, for the first one);
                                the password is read from AGENT_PASSWORD (12 characters or more)
  bench-seed DEBTORS INVOICES   Load a large creditor for the benchmark; print a link to one debtor
  migrate                       Apply database migrations and exit
";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    if matches!(args.first(), Some(&"--help" | &"-h" | &"help")) {
        print!("{HELP}");
        return Ok(());
    }
    let config = Config::from_env()?;
    let storage = Storage::connect(&config.database_url).await?;
    storage.migrate().await?;
    match args.as_slice() {
        [] | ["serve"] => server::serve(config, storage).await,
        ["serve", "--demo"] => {
            server::demo::seed_if_empty(&storage)
                .await
                .context("seeding the demo data")?;
            server::demo::configure_payments(&config, &storage)
                .await
                .context("configuring the demo's payments")?;
            server::demo::configure_schedules(&storage)
                .await
                .context("setting the demo's schedule rules")?;
            server::demo::print_links(&config, &storage).await?;
            server::serve(config, storage).await
        }
        ["seed-demo"] => server::demo::seed_if_empty(&storage).await,
        ["migrate"] => Ok(()),
        ["links", rest @ ..] => server::cli::links(&config, &storage, rest).await,
        ["payments", rest @ ..] => server::cli::payments(&config, &storage, rest).await,
        ["agents", rest @ ..] => server::cli::agents(&storage, rest).await,
        ["schedules", rest @ ..] => server::cli::schedules(&config, &storage, rest).await,
        ["promises", rest @ ..] => server::cli::promises(&config, &storage, rest).await,
        ["bench-seed", debtors, invoices] => {
            let (d, i) = (
                debtors.parse().context("DEBTORS")?,
                invoices.parse().context("INVOICES")?,
            );
            server::bench_seed::seed(&config, &storage, d, i).await
        }
        _ => {
            eprint!("{HELP}");
            std::process::exit(2);
        }
    }
}
