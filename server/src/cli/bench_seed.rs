//! `server bench-seed DEBTORS INVOICES`: loads a large creditor for `make bench`, and prints a
//! link to one debtor whose statement is measured. Reports progress: it takes a while.

use crate::config::Config;
use crate::kernel::links::LinkSigner;
use crate::storage::{BulkInvoice, NewCreditor, Storage, new_id};
use chrono::Duration;
use std::time::Instant;

pub const BENCH_SLUG: &str = "bench";

pub async fn seed(
    config: &Config,
    storage: &Storage,
    debtors: usize,
    invoices: usize,
) -> anyhow::Result<()> {
    let start = Instant::now();
    let creditor = match storage.creditor_by_slug(BENCH_SLUG).await? {
        Some(c) => c,
        None => {
            let id = storage
                .insert_creditor(
                    &NewCreditor {
                        slug: BENCH_SLUG.into(),
                        name: "Bench Équipements".into(),
                        legal_name: "Bench Équipements SAS".into(),
                        address: "1 rue du Test\n69000 Lyon".into(),
                        identifiers: String::new(),
                        contact_email: "bench@bench.example".into(),
                        accent_colour: "#333399".into(),
                        logo: None,
                        bank_details: None,
                        timezone: chrono_tz::Europe::Paris,
                        link_ttl_days: 30,
                    },
                    now(),
                )
                .await?;
            let ids: Vec<(String, String, String)> = (0..debtors)
                .map(|i| {
                    (
                        new_id(),
                        format!("B{i:06}"),
                        format!("Client n°{i} — Société Bench"),
                    )
                })
                .collect();
            storage.bulk_insert_debtors(&id, &ids, now()).await?;
            // The reminder benchmark runs at whatever hour `make bench` is started: reminders
            // may go out at any hour of any day (public holidays still skip).
            let all_day = app::domain::calendar::SendingWindow::new([true; 7], 0, 1440)
                .map_err(|e| anyhow::anyhow!("{e}"))?;
            let settings = crate::storage::ReminderSettings {
                window: all_day,
                ..Default::default()
            };
            storage
                .save_reminder_settings(&id, &settings, "cli", now())
                .await?;
            eprintln!(
                "  {debtors} debtors in {:.1}s",
                start.elapsed().as_secs_f64()
            );
            let today = chrono::Utc::now().date_naive();
            let per = invoices / debtors.max(1);
            let mut batch: Vec<BulkInvoice> = Vec::with_capacity(10_000);
            let mut done = 0;
            for (d, (debtor_id, _, _)) in ids.iter().enumerate() {
                for k in 0..per {
                    let due = today + Duration::days(30 - (k as i64 * 7) % 150);
                    batch.push((
                        debtor_id.clone(),
                        format!("BF-{d:06}-{k:03}"),
                        (due - Duration::days(30)).to_string(),
                        due.to_string(),
                        10_000 + (k as i64 * 1_234) % 900_000,
                    ));
                }
                if batch.len() >= 10_000 || d + 1 == ids.len() {
                    storage.bulk_insert_invoices(&id, &batch, now()).await?;
                    done += batch.len();
                    batch.clear();
                    eprint!(
                        "\r  {done}/{invoices} invoices, {:.0}s",
                        start.elapsed().as_secs_f64()
                    );
                }
            }
            eprintln!();
            storage
                .creditor(&id)
                .await?
                .ok_or_else(|| anyhow::anyhow!("bench creditor vanished"))?
        }
    };
    let debtor = storage
        .debtor_by_reference(&creditor.id, "B000042")
        .await?
        .ok_or_else(|| anyhow::anyhow!("no bench debtor B000042"))?;
    let (_, token) = LinkSigner::new(config.link_secret.clone())
        .mint(storage, &creditor.id, &debtor.id, "cli", now())
        .await?;
    println!("{}/l/{}", config.public_url, token);
    Ok(())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
