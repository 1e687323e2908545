//! How a creditor is paid, card payment attempts, recording a payment exactly once with its
//! allocation, transfer references, and what a receipt shows.

use super::events::{NewEvent, append};
use super::invoices::{REMAINING, status_list};
use super::outbox::{NewMail, enqueue};
use super::{Result, Storage, StorageError, corrupt, map_unique};
use app::domain::invoice::InvoiceStatus;
use app::domain::money::{Currency, Money};
use app::domain::payment::allocate;
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct PaymentSettingsRow {
    pub creditor_id: String,
    pub beneficiary_name: String,
    pub iban: Option<String>,
    pub bic: Option<String>,
    pub min_payment_minor: i64,
    pub stripe_publishable_key: Option<String>,
    pub stripe_secret_key_sealed: Option<Vec<u8>>,
    pub stripe_webhook_secret_sealed: Option<Vec<u8>>,
}

#[derive(Debug, Clone)]
pub struct NewAttempt {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub amount: Money,
    pub invoice_ids: Vec<String>,
    /// The schedule whose instalments this card will pay (the debtor ticked "save the card").
    pub save_for_schedule: Option<String>,
    /// Started by the schedule job (an instalment charged from a saved card), not the debtor.
    pub automatic: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptRow {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub amount: Money,
    pub invoice_ids: Vec<String>,
    pub state: String,
    pub setup_intent_id: Option<String>,
    pub payment_intent_id: Option<String>,
    pub failure_code: Option<String>,
    pub payment_id: Option<String>,
    pub updated_at: i64,
    pub save_for_schedule: Option<String>,
}

/// A payment the processor confirmed, to record against an attempt.
#[derive(Debug, Clone)]
pub struct RecordedPayment {
    /// Made by the caller so the receipt mail can name it before the row exists.
    pub payment_id: String,
    pub external_id: String,
    pub amount: Money,
    pub received_on: NaiveDate,
    pub method: String,
    /// e.g. "Visa •••• 4242".
    pub reference: String,
}

/// What a receipt shows: the payment, what it settled, and what was left as credit.
#[derive(Debug, Clone)]
pub struct ReceiptData {
    pub payment_id: String,
    pub debtor_id: String,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: String,
    pub reference: String,
    /// (invoice number, amount applied).
    pub lines: Vec<(String, Money)>,
    pub credit: Money,
    pub created_at: i64,
}

/// Marks a SetupIntent being created right now (see `claim_setup_intent`).
pub const SETUP_PENDING: &str = "pending";

const ATTEMPT_COLUMNS: &str = "id, creditor_id, debtor_id, currency, amount_minor, invoice_ids, state, setup_intent_id, \
    payment_intent_id, failure_code, payment_id, updated_at, save_for_schedule";

fn attempt_from_row(r: &AnyRow) -> Result<AttemptRow> {
    let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
    let ids: String = r.try_get("invoice_ids")?;
    Ok(AttemptRow {
        id: r.try_get("id")?,
        creditor_id: r.try_get("creditor_id")?,
        debtor_id: r.try_get("debtor_id")?,
        amount: Money::new(r.try_get("amount_minor")?, currency),
        invoice_ids: ids.split_whitespace().map(String::from).collect(),
        state: r.try_get("state")?,
        setup_intent_id: r.try_get("setup_intent_id")?,
        payment_intent_id: r.try_get("payment_intent_id")?,
        failure_code: r.try_get("failure_code")?,
        payment_id: r.try_get("payment_id")?,
        updated_at: r.try_get("updated_at")?,
        save_for_schedule: r.try_get("save_for_schedule")?,
    })
}

impl Storage {
    /// Creates or replaces how a creditor is paid.
    pub async fn set_payment_settings(&self, s: &PaymentSettingsRow, now: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO creditor_payment_settings (creditor_id, beneficiary_name, iban, bic, min_payment_minor, \
             stripe_publishable_key, stripe_secret_key_sealed, stripe_webhook_secret_sealed, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (creditor_id) DO UPDATE SET beneficiary_name = excluded.beneficiary_name, iban = excluded.iban, \
             bic = excluded.bic, min_payment_minor = excluded.min_payment_minor, \
             stripe_publishable_key = excluded.stripe_publishable_key, \
             stripe_secret_key_sealed = excluded.stripe_secret_key_sealed, \
             stripe_webhook_secret_sealed = excluded.stripe_webhook_secret_sealed, updated_at = excluded.updated_at",
        )
        .bind(&s.creditor_id)
        .bind(&s.beneficiary_name)
        .bind(&s.iban)
        .bind(&s.bic)
        .bind(s.min_payment_minor)
        .bind(&s.stripe_publishable_key)
        .bind(s.stripe_secret_key_sealed.clone())
        .bind(s.stripe_webhook_secret_sealed.clone())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn payment_settings(&self, creditor_id: &str) -> Result<Option<PaymentSettingsRow>> {
        let row = sqlx::query(
            "SELECT creditor_id, beneficiary_name, iban, bic, min_payment_minor, stripe_publishable_key, \
             stripe_secret_key_sealed, stripe_webhook_secret_sealed \
             FROM creditor_payment_settings WHERE creditor_id = $1",
        )
        .bind(creditor_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some(PaymentSettingsRow {
            creditor_id: r.try_get("creditor_id")?,
            beneficiary_name: r.try_get("beneficiary_name")?,
            iban: r.try_get("iban")?,
            bic: r.try_get("bic")?,
            min_payment_minor: r.try_get("min_payment_minor")?,
            stripe_publishable_key: r.try_get("stripe_publishable_key")?,
            stripe_secret_key_sealed: r.try_get("stripe_secret_key_sealed")?,
            stripe_webhook_secret_sealed: r.try_get("stripe_webhook_secret_sealed")?,
        }))
    }

    /// Starts an attempt, or returns the one already started under this id by the same debtor
    /// (a double-click). `Ok(None)`: the id is taken by someone else.
    pub async fn start_attempt(&self, a: &NewAttempt, now: i64) -> Result<Option<AttemptRow>> {
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO payment_attempts (id, creditor_id, debtor_id, currency, amount_minor, invoice_ids, state, \
             created_at, updated_at, save_for_schedule) VALUES ($1, $2, $3, $4, $5, $6, 'setup', $7, $8, $9)",
        )
        .bind(&a.id)
        .bind(&a.creditor_id)
        .bind(&a.debtor_id)
        .bind(a.amount.currency.code())
        .bind(a.amount.minor)
        .bind(a.invoice_ids.join(" "))
        .bind(now)
        .bind(now)
        .bind(&a.save_for_schedule)
        .execute(&mut *tx)
        .await
        .map_err(map_unique);
        match inserted {
            Ok(_) => {
                append(
                    &mut tx,
                    NewEvent {
                        creditor_id: &a.creditor_id,
                        debtor_id: Some(&a.debtor_id),
                        invoice_id: None,
                        kind: "card_payment_started",
                        actor: if a.automatic { "system" } else { "debtor" },
                        detail: serde_json::json!({ "attempt": a.id, "amount_minor": a.amount.minor,
                            "currency": a.amount.currency.code(), "invoices": a.invoice_ids }),
                    },
                    now,
                )
                .await?;
                tx.commit().await?;
                self.attempt(&a.creditor_id, &a.debtor_id, &a.id).await
            }
            Err(StorageError::Duplicate(_)) => {
                drop(tx);
                self.attempt(&a.creditor_id, &a.debtor_id, &a.id).await
            }
            Err(e) => Err(e),
        }
    }

    pub async fn attempt(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        id: &str,
    ) -> Result<Option<AttemptRow>> {
        let row = sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE creditor_id = $1 AND debtor_id = $2 AND id = $3"
        ))
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(attempt_from_row).transpose()
    }

    pub async fn attempt_by_payment_intent(
        &self,
        creditor_id: &str,
        payment_intent_id: &str,
    ) -> Result<Option<AttemptRow>> {
        let row = sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE creditor_id = $1 AND payment_intent_id = $2"
        ))
        .bind(creditor_id)
        .bind(payment_intent_id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(attempt_from_row).transpose()
    }

    /// Attempts whose outcome we have not heard, last touched before `before`.
    pub async fn attempts_in_doubt(&self, before: i64, limit: i64) -> Result<Vec<AttemptRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {ATTEMPT_COLUMNS} FROM payment_attempts WHERE state IN ('charging', 'requires_action') \
             AND payment_intent_id IS NOT NULL AND updated_at < $1 ORDER BY updated_at LIMIT $2"
        ))
        .bind(before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attempt_from_row).collect()
    }

    /// Claims the right to create the attempt's SetupIntent: one request of a double-click
    /// creates it, the other waits for it. False if someone holds or made it already.
    pub async fn claim_setup_intent(&self, id: &str, now: i64) -> Result<bool> {
        let r = sqlx::query("UPDATE payment_attempts SET setup_intent_id = $1, updated_at = $2 WHERE id = $3 AND setup_intent_id IS NULL")
            .bind(SETUP_PENDING)
            .bind(now)
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(r.rows_affected() == 1)
    }

    /// Records the SetupIntent the claim holder made, or (`None`) releases the claim after a failure.
    pub async fn set_attempt_setup_intent(
        &self,
        id: &str,
        setup_intent_id: Option<&str>,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE payment_attempts SET setup_intent_id = $1, updated_at = $2 WHERE id = $3 AND setup_intent_id = $4")
            .bind(setup_intent_id)
            .bind(now)
            .bind(id)
            .bind(SETUP_PENDING)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Moves an attempt from one of `from` to `to`; false if it was in no such state (another
    /// request got there first). Never moves a succeeded attempt.
    pub async fn move_attempt(
        &self,
        id: &str,
        from: &[&str],
        to: &str,
        payment_intent_id: Option<&str>,
        failure_code: Option<&str>,
        now: i64,
    ) -> Result<bool> {
        debug_assert!(!from.contains(&"succeeded"));
        let placeholders: Vec<String> = (0..from.len()).map(|i| format!("${}", i + 6)).collect();
        let sql = format!(
            "UPDATE payment_attempts SET state = $1, payment_intent_id = COALESCE($2, payment_intent_id), \
             failure_code = $3, updated_at = $4 WHERE id = $5 AND state IN ({})",
            placeholders.join(", ")
        );
        let mut q = sqlx::query(&sql)
            .bind(to)
            .bind(payment_intent_id)
            .bind(failure_code)
            .bind(now)
            .bind(id);
        for f in from {
            q = q.bind(*f);
        }
        Ok(q.execute(&self.pool)
            .await
            .map_err(map_unique)?
            .rows_affected()
            == 1)
    }

    /// Records a confirmed payment exactly once (unique on the processor's id), allocates it to
    /// the attempt's invoices in order, keeps any excess as a credit on the account, logs it,
    /// and queues the receipt mails, all in one transaction. Returns the payment id and whether
    /// this call recorded it (false: it was already recorded).
    pub async fn record_payment(
        &self,
        attempt: &AttemptRow,
        p: &RecordedPayment,
        mails: &[NewMail],
        now: i64,
    ) -> Result<(String, bool)> {
        let (c, d) = (&attempt.creditor_id, &attempt.debtor_id);
        let mut tx = self.begin().await?;
        let inserted = super::invoices::insert_payment_row(
            &mut tx,
            &p.payment_id,
            c,
            d,
            p.received_on,
            p.amount,
            &p.method,
            &p.reference,
            Some(&p.external_id),
            now,
        )
        .await;
        match inserted {
            Ok(_) => {}
            Err(StorageError::Duplicate(_)) => {
                drop(tx);
                let id: String = sqlx::query(
                    "SELECT id FROM payments WHERE creditor_id = $1 AND external_id = $2",
                )
                .bind(c)
                .bind(&p.external_id)
                .fetch_one(&self.pool)
                .await?
                .try_get("id")?;
                self.mark_attempt_succeeded(&attempt.id, &id, now).await?;
                return Ok((id, false));
            }
            Err(e) => return Err(e),
        }

        // What is left on each invoice now, not when the attempt started: a second tab may
        // have paid some of them since. An invoice contested meanwhile takes nothing: the
        // money waits as a credit on the account until the dispute is resolved.
        let mut targets = Vec::new();
        for invoice_id in &attempt.invoice_ids {
            let sql = format!(
                "SELECT {REMAINING} AS remaining_minor FROM invoices i \
                 WHERE i.creditor_id = $1 AND i.debtor_id = $2 AND i.id = $3 AND i.kind = 'invoice' AND i.currency = $4 \
                 AND i.status IN ({})",
                status_list(&InvoiceStatus::PAYABLE)
            );
            let row = sqlx::query(&sql)
                .bind(c)
                .bind(d)
                .bind(invoice_id)
                .bind(p.amount.currency.code())
                .fetch_optional(&mut *tx)
                .await?;
            let remaining: i64 = match row {
                Some(r) => r.try_get("remaining_minor")?,
                None => 0,
            };
            targets.push((
                invoice_id.clone(),
                Money::new(remaining.max(0), p.amount.currency),
            ));
        }
        let allocation = allocate(p.amount, &targets).map_err(corrupt)?;
        for (invoice_id, amount) in &allocation.lines {
            if amount.minor > 0 {
                super::invoices::allocate(
                    &mut tx,
                    c,
                    invoice_id,
                    Some(&p.payment_id),
                    None,
                    amount.minor,
                    now,
                )
                .await?;
            }
        }
        sqlx::query("UPDATE payment_attempts SET state = 'succeeded', payment_id = $1, failure_code = NULL, updated_at = $2 WHERE id = $3")
            .bind(&p.payment_id)
            .bind(now)
            .bind(&attempt.id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({
            "payment": p.payment_id, "external_id": p.external_id, "amount_minor": p.amount.minor,
            "currency": p.amount.currency.code(), "method": p.method, "attempt": attempt.id,
            "allocated": allocation.lines.iter().map(|(i, m)| serde_json::json!({"invoice": i, "amount_minor": m.minor})).collect::<Vec<_>>(),
            "credit_minor": allocation.credit.minor,
        });
        let event = |kind, detail| NewEvent {
            creditor_id: c,
            debtor_id: Some(d),
            invoice_id: None,
            kind,
            actor: "system",
            detail,
        };
        append(&mut tx, event("payment_received", detail), now).await?;
        if allocation.credit.minor > 0 {
            // More than was left: kept in full as a credit, and an agent is told.
            let detail = serde_json::json!({ "payment": p.payment_id, "credit_minor": allocation.credit.minor,
                "currency": p.amount.currency.code(), "needs_review": true });
            append(&mut tx, event("overpayment_credit", detail), now).await?;
        }
        for m in mails {
            enqueue(&mut tx, m, now).await?;
        }
        tx.commit().await?;
        Ok((p.payment_id.clone(), true))
    }

    async fn mark_attempt_succeeded(
        &self,
        attempt_id: &str,
        payment_id: &str,
        now: i64,
    ) -> Result<()> {
        sqlx::query("UPDATE payment_attempts SET state = 'succeeded', payment_id = $1, failure_code = NULL, updated_at = $2 WHERE id = $3")
            .bind(payment_id)
            .bind(now)
            .bind(attempt_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A payment of a creditor, with what it settled; `debtor_id` narrows it to one debtor.
    pub async fn receipt(
        &self,
        creditor_id: &str,
        debtor_id: Option<&str>,
        payment_id: &str,
    ) -> Result<Option<ReceiptData>> {
        let row = sqlx::query(
            "SELECT id, debtor_id, received_on, currency, amount_minor, method, reference, created_at FROM payments \
             WHERE creditor_id = $1 AND id = $2",
        )
        .bind(creditor_id)
        .bind(payment_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let payment_debtor: String = r.try_get("debtor_id")?;
        if debtor_id.is_some_and(|d| d != payment_debtor) {
            return Ok(None);
        }
        let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
        let amount = Money::new(r.try_get("amount_minor")?, currency);
        let received_on: String = r.try_get("received_on")?;
        let lines = sqlx::query(
            "SELECT i.number, a.amount_minor FROM allocations a JOIN invoices i ON i.id = a.invoice_id \
             WHERE a.creditor_id = $1 AND a.payment_id = $2 ORDER BY i.due_date, i.number",
        )
        .bind(creditor_id)
        .bind(payment_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|l| Ok((l.try_get::<String, _>("number")?, Money::new(l.try_get("amount_minor")?, currency))))
        .collect::<Result<Vec<_>>>()?;
        let allocated: i64 = lines.iter().map(|(_, m)| m.minor).sum();
        Ok(Some(ReceiptData {
            payment_id: r.try_get("id")?,
            debtor_id: payment_debtor,
            received_on: NaiveDate::parse_from_str(&received_on, "%Y-%m-%d").map_err(corrupt)?,
            amount,
            method: r.try_get("method")?,
            reference: r.try_get("reference")?,
            lines,
            credit: Money::new(amount.minor - allocated, currency),
            created_at: r.try_get("created_at")?,
        }))
    }

    pub async fn stripe_customer(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT customer_id FROM stripe_customers WHERE creditor_id = $1 AND debtor_id = $2",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("customer_id")).transpose()?)
    }

    /// Remembers a debtor's Stripe Customer; if two requests made one at once, the first kept wins.
    pub async fn remember_stripe_customer(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        customer_id: &str,
        now: i64,
    ) -> Result<String> {
        sqlx::query(
            "INSERT INTO stripe_customers (creditor_id, debtor_id, customer_id, created_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (creditor_id, debtor_id) DO NOTHING",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(customer_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(self
            .stripe_customer(creditor_id, debtor_id)
            .await?
            .unwrap_or_else(|| customer_id.to_string()))
    }

    /// Keeps the mapping from a transfer reference to what it pays; the same reference
    /// shown twice is stored once.
    pub async fn remember_transfer_reference(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        reference: &str,
        amount: Money,
        invoice_ids: &[String],
        now: i64,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO transfer_references (creditor_id, reference, debtor_id, currency, amount_minor, invoice_ids, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (creditor_id, reference) DO NOTHING",
        )
        .bind(creditor_id)
        .bind(reference)
        .bind(debtor_id)
        .bind(amount.currency.code())
        .bind(amount.minor)
        .bind(invoice_ids.join(" "))
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// (debtor id, amount, invoice ids) a transfer reference stands for.
    pub async fn transfer_reference(
        &self,
        creditor_id: &str,
        reference: &str,
    ) -> Result<Option<(String, Money, Vec<String>)>> {
        let row = sqlx::query(
            "SELECT debtor_id, currency, amount_minor, invoice_ids FROM transfer_references WHERE creditor_id = $1 AND reference = $2",
        )
        .bind(creditor_id)
        .bind(reference)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else { return Ok(None) };
        let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
        let ids: String = r.try_get("invoice_ids")?;
        Ok(Some((
            r.try_get("debtor_id")?,
            Money::new(r.try_get("amount_minor")?, currency),
            ids.split_whitespace().map(String::from).collect(),
        )))
    }
}
