//! `server links …`: mint, revoke and list links until the creditor API exists.

use crate::config::Config;
use crate::jobs::now;
use crate::links::LinkSigner;
use crate::storage::Storage;
use anyhow::{Context, bail};

pub async fn links(config: &Config, storage: &Storage, args: &[&str]) -> anyhow::Result<()> {
    let signer = LinkSigner::new(config.link_secret.clone());
    let creditor = |slug: &str| {
        let slug = slug.to_string();
        async move {
            storage
                .creditor_by_slug(&slug)
                .await?
                .with_context(|| format!("no creditor with slug {slug:?}"))
        }
    };
    match args {
        ["list", slug] => {
            let c = creditor(slug).await?;
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
                let exp = chrono::DateTime::from_timestamp(l.expires_at, 0)
                    .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                println!(
                    "{:<38} {:<38} {:<20} {:<8} {}",
                    l.id, l.debtor_id, exp, state, l.open_count
                );
            }
            Ok(())
        }
        ["mint", slug, reference, rest @ ..] => {
            let expires_in: Option<i64> = match rest {
                [] => None,
                ["--expires-in-secs", n] => Some(
                    n.parse()
                        .with_context(|| format!("--expires-in-secs {n:?} is not a number"))?,
                ),
                _ => bail!(
                    "usage: server links mint <creditor> <debtor-reference> [--expires-in-secs N]"
                ),
            };
            let c = creditor(slug).await?;
            let d = storage
                .debtor_by_reference(&c.id, reference)
                .await?
                .with_context(|| format!("no debtor with reference {reference:?}"))?;
            let (mut row, mut token) = signer.prepare(storage, &c.id, &d.id, now()).await?;
            if let Some(secs) = expires_in {
                row.expires_at = row.created_at + secs.max(0);
                token = signer.sign(&row)?;
            }
            storage.insert_link(&row, "cli", "minted", &[]).await?;
            println!("{}/l/{}", config.public_url, token);
            eprintln!(
                "link id {} for {} — expires at {} UTC",
                row.id,
                d.name,
                chrono::DateTime::from_timestamp(row.expires_at, 0)
                    .map(|t| t.format("%Y-%m-%d %H:%M:%S").to_string())
                    .unwrap_or_default()
            );
            Ok(())
        }
        ["revoke", slug, link_id] => {
            let c = creditor(slug).await?;
            if storage.revoke_link(&c.id, link_id, "cli", now()).await? {
                println!("revoked {link_id}");
                Ok(())
            } else {
                bail!("no active link {link_id} for {slug}")
            }
        }
        ["rotate-key", slug] => {
            let c = creditor(slug).await?;
            let key = storage.rotate_link_key(&c.id, now()).await?;
            println!(
                "new links for {slug} are signed with key {key}; links signed with older keys keep working until retired"
            );
            Ok(())
        }
        ["retire-key", slug, key] => {
            let c = creditor(slug).await?;
            if *key == c.current_key_id.as_str() {
                bail!("{key} signs new links; rotate first");
            }
            if storage.retire_link_key(&c.id, key, now()).await? {
                println!("retired {key}: links signed with it no longer open");
                Ok(())
            } else {
                bail!("no active key {key} for {slug}")
            }
        }
        _ => bail!(
            "usage: server links list <creditor> | mint <creditor> <debtor-reference> [--expires-in-secs N] | revoke <creditor> <link-id> | rotate-key <creditor> | retire-key <creditor> <key-id>"
        ),
    }
}

/// `server payments set …`: a creditor's bank account, minimum payment and Stripe keys.
pub async fn payments(config: &Config, storage: &Storage, args: &[&str]) -> anyhow::Result<()> {
    const USAGE: &str = "usage: server payments set <creditor> --beneficiary NAME [--iban IBAN] [--bic BIC] [--minimum 10.00] [--stripe]";
    let ["set", slug, rest @ ..] = args else {
        bail!(USAGE)
    };
    let c = storage
        .creditor_by_slug(slug)
        .await?
        .with_context(|| format!("no creditor with slug {slug:?}"))?;
    let (mut beneficiary, mut iban, mut bic, mut minimum, mut stripe) =
        (None, None, None, 100i64, false);
    let mut it = rest.iter();
    while let Some(flag) = it.next() {
        match *flag {
            "--stripe" => stripe = true,
            "--beneficiary" | "--iban" | "--bic" | "--minimum" => {
                let v = it
                    .next()
                    .with_context(|| format!("{flag} needs a value"))?
                    .to_string();
                match *flag {
                    "--beneficiary" => beneficiary = Some(v),
                    "--iban" => iban = Some(v),
                    "--bic" => bic = Some(v),
                    _ => {
                        let cur = app::domain::money::Currency::Eur;
                        minimum = app::domain::payment::parse_amount_input(&v, cur)
                            .map_err(|e| anyhow::anyhow!("--minimum: {e}"))?
                            .minor;
                    }
                }
            }
            other => bail!("unknown option {other:?}\n{USAGE}"),
        }
    }
    let beneficiary = beneficiary.with_context(|| USAGE)?;
    let keys = if stripe {
        let get = |n: &str| {
            std::env::var(n)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .with_context(|| format!("--stripe needs {n} in the environment"))
        };
        Some((
            get("STRIPE_PUBLISHABLE_KEY")?,
            secrecy::SecretString::from(get("STRIPE_SECRET_KEY")?),
            secrecy::SecretString::from(get("STRIPE_WEBHOOK_SECRET")?),
        ))
    } else {
        None
    };
    let sealer = crate::sealing::Sealer::new(&config.link_secret);
    let stripe_ref = keys.as_ref().map(|(p, s, w)| (p.as_str(), s, w));
    crate::payments::configure(
        &sealer,
        storage,
        &c.id,
        &beneficiary,
        iban.as_deref(),
        bic.as_deref(),
        minimum,
        stripe_ref,
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

/// `server agents create …`: a back-office account; the password comes from AGENT_PASSWORD.
pub async fn agents(storage: &Storage, args: &[&str]) -> anyhow::Result<()> {
    const USAGE: &str =
        "usage: server agents create <creditor> <email> <name> [--role admin|agent|read_only]";
    let (slug, email, name, role) = match args {
        ["create", slug, email, name] => (slug, email, name, "admin"),
        ["create", slug, email, name, "--role", role] => (slug, email, name, *role),
        _ => bail!(USAGE),
    };
    let role = crate::agents::Role::parse(role)
        .with_context(|| format!("unknown role {role:?}\n{USAGE}"))?;
    let c = storage
        .creditor_by_slug(slug)
        .await?
        .with_context(|| format!("no creditor with slug {slug:?}"))?;
    let password = std::env::var("AGENT_PASSWORD")
        .ok()
        .filter(|p| !p.is_empty())
        .context("set AGENT_PASSWORD (never on the command line)")?;
    let id = crate::agents::create(storage, &c.id, email, name, role, &password).await?;
    println!(
        "Created {} account {id} for {email} at {slug}.",
        role.as_str()
    );
    Ok(())
}

/// `server schedules rules …` sets a creditor's schedule rules from a JSON file (the shape of
/// `app::domain::schedule::ScheduleRules`; `server schedules example` prints one);
/// `server schedules follow` runs the follow-up job once (reminders, breaks, completion).
pub async fn schedules(config: &Config, storage: &Storage, args: &[&str]) -> anyhow::Result<()> {
    const USAGE: &str = "usage: server schedules rules <creditor> <rules.json> [--reminder-days N] [--grace-days N] | example [EUR] | follow";
    match args {
        ["example", rest @ ..] => {
            let currency =
                app::domain::money::Currency::parse(rest.first().copied().unwrap_or("EUR"))
                    .map_err(|e| anyhow::anyhow!("{e}"))?;
            println!(
                "{}",
                serde_json::to_string_pretty(&app::domain::schedule::ScheduleRules::example(
                    currency
                ))?
            );
            Ok(())
        }
        ["rules", slug, file, rest @ ..] => {
            let c = storage
                .creditor_by_slug(slug)
                .await?
                .with_context(|| format!("no creditor with slug {slug:?}"))?;
            let text = std::fs::read_to_string(file).with_context(|| format!("reading {file}"))?;
            let rules: app::domain::schedule::ScheduleRules = serde_json::from_str(&text)
                .with_context(|| format!("{file} is not schedule rules"))?;
            let (mut reminder_days, mut grace_days) = (
                crate::schedules::DEFAULT_REMINDER_DAYS,
                crate::schedules::DEFAULT_GRACE_DAYS,
            );
            let mut it = rest.iter();
            while let Some(flag) = it.next() {
                let value: i64 = it
                    .next()
                    .with_context(|| USAGE)?
                    .parse()
                    .with_context(|| format!("{flag} needs a number of days"))?;
                match *flag {
                    "--reminder-days" => reminder_days = value,
                    "--grace-days" => grace_days = value,
                    other => bail!("unknown option {other:?}\n{USAGE}"),
                }
            }
            crate::schedules::set_rules(
                storage,
                &c.id,
                crate::storage::RulesRow {
                    rules,
                    reminder_days,
                    grace_days,
                },
                "cli",
            )
            .await?;
            println!("Schedule rules saved for {slug}.");
            Ok(())
        }
        ["follow"] => {
            let state = crate::build_state(config.clone(), storage.clone())?;
            let f = crate::schedules::follow(&state).await?;
            println!(
                "reminded {}, broken {}, completed {}",
                f.reminded, f.broken, f.completed
            );
            Ok(())
        }
        _ => bail!(USAGE),
    }
}

/// `server promises follow`: closes kept and missed promises to pay once (the server does it
/// every 5 minutes).
pub async fn promises(config: &Config, storage: &Storage, args: &[&str]) -> anyhow::Result<()> {
    let ["follow"] = args else {
        bail!("usage: server promises follow")
    };
    let state = crate::build_state(config.clone(), storage.clone())?;
    let (kept, missed) = crate::promises::follow(&state).await?;
    println!("kept {kept}, missed {missed}");
    Ok(())
}
