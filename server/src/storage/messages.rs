//! Messages between a debtor and the creditor's collection team, and what each side has read.

use super::disputes::{Notice, Stored, Submitted, already_or_taken};
use super::events::{NewEvent, append};
use super::{Result, Storage};
use sqlx::Row;

/// A message to store: its id (the debtor's form's, or a new one), who it is between, who wrote
/// it ('debtor' or an agent id), and what it says.
#[derive(Debug, Clone, Copy)]
pub struct NewMessage<'a> {
    pub id: &'a str,
    pub creditor_id: &'a str,
    pub debtor_id: &'a str,
    pub author: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone)]
pub struct MessageRow {
    pub id: String,
    /// 'debtor', or an agent id.
    pub author: String,
    pub body: String,
    pub at: i64,
    pub read_at: Option<i64>,
}

/// A debtor with messages no agent has read yet.
#[derive(Debug, Clone)]
pub struct UnreadRow {
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub unread: i64,
    pub oldest: i64,
}

impl Storage {
    /// Stores a message with its event and mails; `author` is 'debtor' or an agent id. The
    /// same debtor's form sent twice (its id is the message's) is stored once (`Already`).
    pub async fn insert_message(
        &self,
        m: &NewMessage<'_>,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<Stored> {
        let NewMessage {
            id,
            creditor_id,
            debtor_id,
            author,
            body,
        } = *m;
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO messages (id, creditor_id, debtor_id, author, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING",
        )
        .bind(id)
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(author)
        .bind(body)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return already_or_taken(&mut tx, Submitted::Message, creditor_id, debtor_id, id).await;
        }
        let kind = if author == "debtor" {
            "message_from_debtor"
        } else {
            "message_to_debtor"
        };
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(debtor_id),
            invoice_id: None,
            kind,
            actor: author,
            detail: serde_json::json!({ "message": id }),
        };
        append(&mut tx, e, now).await?;
        notice.queue(&mut tx, "message notice", now).await?;
        tx.commit().await?;
        Ok(Stored::New)
    }

    /// One debtor's conversation, oldest first.
    pub async fn messages_of(&self, creditor_id: &str, debtor_id: &str) -> Result<Vec<MessageRow>> {
        let rows = sqlx::query("SELECT id, author, body, created_at, read_at FROM messages WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY created_at, id")
            .bind(creditor_id)
            .bind(debtor_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(MessageRow {
                    id: r.try_get("id")?,
                    author: r.try_get("author")?,
                    body: r.try_get("body")?,
                    at: r.try_get("created_at")?,
                    read_at: r.try_get("read_at")?,
                })
            })
            .collect()
    }

    /// Marks as read what the other side wrote: the debtor's messages when an agent reads
    /// (`by_agent`), the agents' when the debtor does.
    pub async fn mark_messages_read(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        by_agent: bool,
        now: i64,
    ) -> Result<()> {
        let side = if by_agent {
            "author = 'debtor'"
        } else {
            "author <> 'debtor'"
        };
        sqlx::query(&format!("UPDATE messages SET read_at = $1 WHERE creditor_id = $2 AND debtor_id = $3 AND read_at IS NULL AND {side}"))
            .bind(now)
            .bind(creditor_id)
            .bind(debtor_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Debtors of the creditor with messages no agent has read, oldest first.
    pub async fn unread_messages(&self, creditor_id: &str) -> Result<Vec<UnreadRow>> {
        let rows = sqlx::query(
            "SELECT m.debtor_id, d.name, d.reference, COUNT(*) AS unread, MIN(m.created_at) AS oldest FROM messages m \
             JOIN debtors d ON d.id = m.debtor_id AND d.creditor_id = m.creditor_id \
             WHERE m.creditor_id = $1 AND m.author = 'debtor' AND m.read_at IS NULL \
             GROUP BY m.debtor_id, d.name, d.reference ORDER BY oldest, m.debtor_id",
        )
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(UnreadRow {
                    debtor_id: r.try_get("debtor_id")?,
                    debtor_name: r.try_get("name")?,
                    debtor_reference: r.try_get("reference")?,
                    unread: r.try_get("unread")?,
                    oldest: r.try_get("oldest")?,
                })
            })
            .collect()
    }
}
