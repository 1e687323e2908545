//! Back-office accounts and their sessions.

use super::events::{NewEvent, append};
use super::invoices::remaining_sql;
use super::{Result, Storage, corrupt, map_unique, new_id};
use app::domain::agent::Role;
use app::domain::money::{Currency, Money};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct AgentRow {
    pub id: String,
    pub creditor_id: String,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub password_hash: String,
    pub failed_logins: i64,
    pub locked_until: Option<i64>,
}

pub(super) const COLUMNS: &str =
    "id, creditor_id, email, name, role, password_hash, failed_logins, locked_until";

pub(super) fn from_row(r: &AnyRow) -> Result<AgentRow> {
    Ok(AgentRow {
        id: r.try_get("id")?,
        creditor_id: r.try_get("creditor_id")?,
        email: r.try_get("email")?,
        name: r.try_get("name")?,
        role: {
            let role: String = r.try_get("role")?;
            Role::parse(&role).ok_or_else(|| corrupt(format!("agent role {role:?}")))?
        },
        password_hash: r.try_get("password_hash")?,
        failed_logins: r.try_get("failed_logins")?,
        locked_until: r.try_get("locked_until")?,
    })
}

/// One line of the back office's debtors list.
#[derive(Debug, Clone)]
pub struct DebtorSummaryRow {
    pub id: String,
    pub reference: String,
    pub name: String,
    /// What is owed per currency (open invoices less unused credit notes).
    pub balances: Vec<Money>,
    /// The oldest due date of an open invoice.
    pub oldest_due: Option<NaiveDate>,
}

impl Storage {
    /// `Duplicate` if the address already has an account (with any creditor).
    pub async fn insert_agent(
        &self,
        creditor_id: &str,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        now: i64,
    ) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO agents (id, creditor_id, email, email_lower, name, role, password_hash, failed_logins, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
        )
        .bind(&id)
        .bind(creditor_id)
        .bind(email)
        .bind(email.to_lowercase())
        .bind(name)
        .bind(role.as_str())
        .bind(password_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        let detail = serde_json::json!({ "agent": id, "role": role.as_str() });
        append(
            &mut tx,
            NewEvent {
                creditor_id,
                debtor_id: None,
                invoice_id: None,
                kind: "agent_created",
                actor: "cli",
                detail,
            },
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// (id, name) of a creditor's agents, to name them in timelines.
    pub async fn agent_names(&self, creditor_id: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query("SELECT id, name FROM agents WHERE creditor_id = $1")
            .bind(creditor_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("name")?)))
            .collect()
    }

    pub async fn agent_by_email(&self, email: &str) -> Result<Option<AgentRow>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM agents WHERE email_lower = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    /// Counts a failed login; locks the account until `lock_until` once `max` fail in a row.
    pub async fn record_failed_login(
        &self,
        agent_id: &str,
        max: i64,
        lock_until: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE agents SET failed_logins = failed_logins + 1, \
             locked_until = CASE WHEN failed_logins + 1 >= $1 THEN $2 ELSE locked_until END WHERE id = $3",
        )
        .bind(max)
        .bind(lock_until)
        .bind(agent_id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// A good password: the failure count starts again and a session begins.
    pub async fn start_agent_session(
        &self,
        agent: &AgentRow,
        id_hash: &str,
        expires_at: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE agents SET failed_logins = 0, locked_until = NULL WHERE id = $1")
            .bind(&agent.id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO agent_sessions (id_hash, agent_id, creditor_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id_hash)
            .bind(&agent.id)
            .bind(&agent.creditor_id)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "agent": agent.id });
        let e = NewEvent {
            creditor_id: &agent.creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "agent_signed_in",
            actor: &agent.id,
            detail,
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The agent behind a live session.
    pub async fn agent_session(&self, id_hash: &str, now: i64) -> Result<Option<AgentRow>> {
        let cols = COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let row = sqlx::query(&format!(
            "SELECT {cols} FROM agent_sessions s JOIN agents a ON a.id = s.agent_id AND a.creditor_id = s.creditor_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2"
        ))
        .bind(id_hash)
        .bind(now)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(from_row).transpose()
    }

    pub async fn end_agent_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM agent_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// A creditor's debtors with what they owe and their oldest open due date; `search`
    /// matches a name, a reference or an invoice number (case-insensitive).
    pub async fn debtor_summaries(
        &self,
        creditor_id: &str,
        search: &str,
    ) -> Result<Vec<DebtorSummaryRow>> {
        let pattern = format!(
            "%{}%",
            search.trim().to_lowercase().replace(['%', '_', '\\'], "")
        );
        let debtors = sqlx::query(
            "SELECT d.id, d.reference, d.name FROM debtors d WHERE d.creditor_id = $1 AND (LOWER(d.name) LIKE $2 \
             OR LOWER(d.reference) LIKE $3 OR EXISTS (SELECT 1 FROM invoices n WHERE n.creditor_id = d.creditor_id \
             AND n.debtor_id = d.id AND LOWER(n.number) LIKE $4))",
        )
        .bind(creditor_id)
        .bind(&pattern)
        .bind(&pattern)
        .bind(&pattern)
        .fetch_all(&self.pool)
        .await?;
        // Per debtor and currency: invoices count up, credit notes down, each by what is left on it.
        let totals = sqlx::query(concat!(
            "SELECT i.debtor_id, i.currency, \
               CAST(SUM(CASE WHEN i.kind = 'invoice' THEN 1 ELSE -1 END * ",
            remaining_sql!(),
            ") AS BIGINT) AS balance_minor, \
               MIN(CASE WHEN i.kind = 'invoice' THEN i.due_date END) AS oldest_due \
             FROM invoices i WHERE i.creditor_id = $1 AND i.status NOT IN ('paid', 'closed') \
             GROUP BY i.debtor_id, i.currency"
        ))
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out: Vec<DebtorSummaryRow> = debtors
            .iter()
            .map(|r| {
                Ok(DebtorSummaryRow {
                    id: r.try_get("id")?,
                    reference: r.try_get("reference")?,
                    name: r.try_get("name")?,
                    balances: vec![],
                    oldest_due: None,
                })
            })
            .collect::<Result<_>>()?;
        for t in &totals {
            let debtor: String = t.try_get("debtor_id")?;
            let Some(d) = out.iter_mut().find(|d| d.id == debtor) else {
                continue;
            };
            let currency: String = t.try_get("currency")?;
            let currency = Currency::parse(&currency).map_err(corrupt)?;
            d.balances
                .push(Money::new(t.try_get("balance_minor")?, currency));
            let due: Option<String> = t.try_get("oldest_due")?;
            let due = due.map(|d| super::invoices::date(&d)).transpose()?;
            if due.is_some() && (d.oldest_due.is_none() || due < d.oldest_due) {
                d.oldest_due = due;
            }
        }
        for d in &mut out {
            d.balances.sort_by_key(|m| m.currency.code());
        }
        Ok(out)
    }
}
