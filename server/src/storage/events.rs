use super::{Result, Storage, Tx, new_id};
use sqlx::Row;

/// One entry of the append-only event log.
#[derive(Debug, Clone)]
pub struct NewEvent<'a> {
    pub creditor_id: &'a str,
    pub debtor_id: Option<&'a str>,
    pub invoice_id: Option<&'a str>,
    pub kind: &'a str,
    pub actor: &'a str,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone)]
pub struct EventRow {
    pub kind: String,
    pub actor: String,
    pub at: i64,
    pub invoice_id: Option<String>,
    pub detail: String,
}

/// Appends an event inside the caller's transaction, so the change and its record stand or fall together.
pub async fn append(tx: &mut Tx<'_>, e: NewEvent<'_>, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO events (id, creditor_id, debtor_id, invoice_id, kind, actor, at, detail) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(new_id())
    .bind(e.creditor_id)
    .bind(e.debtor_id)
    .bind(e.invoice_id)
    .bind(e.kind)
    .bind(e.actor)
    .bind(now)
    .bind(e.detail.to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Storage {
    pub async fn append_event(&self, e: NewEvent<'_>, now: i64) -> Result<()> {
        let mut tx = self.begin().await?;
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A debtor's timeline, oldest first.
    pub async fn events(&self, creditor_id: &str, debtor_id: &str) -> Result<Vec<EventRow>> {
        let rows = sqlx::query(
            "SELECT kind, actor, at, invoice_id, detail FROM events WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY at, id",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(EventRow {
                    kind: r.try_get("kind")?,
                    actor: r.try_get("actor")?,
                    at: r.try_get("at")?,
                    invoice_id: r.try_get("invoice_id")?,
                    detail: r.try_get("detail")?,
                })
            })
            .collect()
    }
}
