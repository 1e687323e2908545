//! Promises to pay, and whether the payments since have kept them.

use super::events::{NewEvent, append};
use super::links::{LinkRow, insert_link};
use super::outbox::{NewMail, enqueue};
use super::{Result, Storage, StorageError, corrupt, map_unique};
use app::domain::money::{Currency, Money};
use app::domain::promise::PromiseStatus;
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct PromiseRow {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub amount: Money,
    pub promised_for: NaiveDate,
    /// open | kept | missed
    pub status: PromiseStatus,
    pub needs_agent: bool,
    pub created_at: i64,
}

/// An open promise as the job sees it: what was paid since it was made.
#[derive(Debug, Clone)]
pub struct OpenPromise {
    pub promise: PromiseRow,
    pub paid_since: Money,
    pub timezone: chrono_tz::Tz,
}

const COLUMNS: &str = "p.id, p.creditor_id, p.debtor_id, p.currency, p.amount_minor, p.promised_for, p.status, p.needs_agent, p.created_at";

fn from_row(r: &AnyRow) -> Result<PromiseRow> {
    let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
    let date: String = r.try_get("promised_for")?;
    Ok(PromiseRow {
        id: r.try_get("id")?,
        creditor_id: r.try_get("creditor_id")?,
        debtor_id: r.try_get("debtor_id")?,
        amount: Money::new(r.try_get("amount_minor")?, currency),
        promised_for: NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(corrupt)?,
        status: {
            let status: String = r.try_get("status")?;
            PromiseStatus::parse(&status)
                .ok_or_else(|| corrupt(format!("promise status {status:?}")))?
        },
        needs_agent: r.try_get::<i64, _>("needs_agent")? == 1,
        created_at: r.try_get("created_at")?,
    })
}

impl Storage {
    /// `Duplicate`: the debtor has an open promise already.
    pub async fn insert_promise(&self, p: &PromiseRow, mails: &[NewMail], now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO promises (id, creditor_id, debtor_id, currency, amount_minor, promised_for, status, open_key, needs_agent, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'open', $3, 0, $7)",
        )
        .bind(&p.id)
        .bind(&p.creditor_id)
        .bind(&p.debtor_id)
        .bind(p.amount.currency.code())
        .bind(p.amount.minor)
        .bind(p.promised_for.to_string())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        let detail = serde_json::json!({ "promise": p.id, "amount_minor": p.amount.minor, "currency": p.amount.currency.code(), "date": p.promised_for.to_string() });
        let e = NewEvent {
            creditor_id: &p.creditor_id,
            debtor_id: Some(&p.debtor_id),
            invoice_id: None,
            kind: "promise_made",
            actor: "debtor",
            detail,
        };
        append(&mut tx, e, now).await?;
        for m in mails {
            enqueue(&mut tx, m, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// A debtor's promises, newest first.
    pub async fn promises_of(&self, creditor_id: &str, debtor_id: &str) -> Result<Vec<PromiseRow>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM promises p WHERE p.creditor_id = $1 AND p.debtor_id = $2 ORDER BY p.created_at DESC, p.id DESC"))
            .bind(creditor_id)
            .bind(debtor_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Open promises of every creditor, with the payments received since each was made.
    pub async fn open_promises(&self, limit: i64) -> Result<Vec<OpenPromise>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, (SELECT d.timezone FROM debtors d WHERE d.id = p.debtor_id) AS timezone, \
             CAST(COALESCE((SELECT SUM(x.amount_minor) FROM payments x WHERE x.creditor_id = p.creditor_id AND x.debtor_id = p.debtor_id \
                AND x.currency = p.currency AND x.created_at >= p.created_at), 0) AS BIGINT) AS paid_minor \
             FROM promises p WHERE p.status = 'open' ORDER BY p.id LIMIT $1"
        ))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let promise = from_row(r)?;
                let paid_since = Money::new(r.try_get("paid_minor")?, promise.amount.currency);
                Ok(OpenPromise {
                    promise,
                    paid_since,
                    timezone: super::debtors::parse_zone(&r.try_get::<String, _>("timezone")?)?,
                })
            })
            .collect()
    }

    /// Closes an open promise as kept or missed (a missed one waits in the agents' queue), with
    /// its mails and the link they carry. `Stale` if it was closed already.
    pub async fn close_promise(
        &self,
        p: &PromiseRow,
        to: PromiseStatus,
        link: Option<&LinkRow>,
        mails: &[NewMail],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let moved = sqlx::query("UPDATE promises SET status = $1, open_key = NULL, needs_agent = $2, closed_at = $3 WHERE id = $4 AND status = 'open'")
            .bind(to.as_str())
            .bind(i64::from(to == PromiseStatus::Missed))
            .bind(now)
            .bind(&p.id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if moved != 1 {
            return Err(StorageError::Stale("the promise is closed already".into()));
        }
        let kind = format!("promise_{}", to.as_str());
        let e = NewEvent {
            creditor_id: &p.creditor_id,
            debtor_id: Some(&p.debtor_id),
            invoice_id: None,
            kind: &kind,
            actor: "system",
            detail: serde_json::json!({ "promise": p.id }),
        };
        append(&mut tx, e, now).await?;
        if let Some(l) = link {
            insert_link(&mut tx, l, "system", "promise notice").await?;
        }
        for m in mails {
            enqueue(&mut tx, m, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Missed promises waiting for a person, oldest first: (promise, debtor name, reference).
    pub async fn missed_promises(
        &self,
        creditor_id: &str,
    ) -> Result<Vec<(PromiseRow, String, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, d.name, d.reference FROM promises p JOIN debtors d ON d.id = p.debtor_id AND d.creditor_id = p.creditor_id \
             WHERE p.creditor_id = $1 AND p.needs_agent = 1 ORDER BY p.closed_at, p.id"
        ))
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((from_row(r)?, r.try_get("name")?, r.try_get("reference")?)))
            .collect()
    }

    /// An agent followed up a missed promise: it leaves the queue.
    pub async fn handle_promise(
        &self,
        creditor_id: &str,
        promise_id: &str,
        agent_id: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM promises p WHERE p.id = $1 AND p.creditor_id = $2 AND p.needs_agent = 1"))
            .bind(promise_id)
            .bind(creditor_id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = row else { return Ok(false) };
        let p = from_row(&row)?;
        sqlx::query("UPDATE promises SET needs_agent = 0 WHERE id = $1")
            .bind(&p.id)
            .execute(&mut *tx)
            .await?;
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(&p.debtor_id),
            invoice_id: None,
            kind: "promise_handled",
            actor: agent_id,
            detail: serde_json::json!({ "promise": p.id }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
