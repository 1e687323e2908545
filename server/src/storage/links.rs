use super::events::{NewEvent, append};
use super::outbox::{NewMail, enqueue};
use super::{CreditorRow, DebtorRow, Result, Storage, Tx, creditors, debtors};
use sqlx::Row;
use sqlx::any::AnyRow;
use std::sync::LazyLock;

#[derive(Debug, Clone)]
pub struct LinkRow {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub key_id: String,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
    pub first_opened_at: Option<i64>,
    pub open_count: i64,
}

fn link_from_row(r: &AnyRow) -> std::result::Result<LinkRow, sqlx::Error> {
    Ok(LinkRow {
        id: r.try_get("id")?,
        creditor_id: r.try_get("creditor_id")?,
        debtor_id: r.try_get("debtor_id")?,
        key_id: r.try_get("key_id")?,
        created_at: r.try_get("created_at")?,
        expires_at: r.try_get("expires_at")?,
        revoked_at: r.try_get("revoked_at")?,
        first_opened_at: r.try_get("first_opened_at")?,
        open_count: r.try_get("open_count")?,
    })
}

const LINK_COLUMNS: &str = "id, creditor_id, debtor_id, key_id, created_at, expires_at, revoked_at, first_opened_at, open_count";

/// Records a link and its event inside the caller's transaction.
pub(crate) async fn insert_link(
    tx: &mut Tx<'_>,
    l: &LinkRow,
    actor: &str,
    reason: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO links (id, creditor_id, debtor_id, key_id, created_at, expires_at, open_count) \
         VALUES ($1, $2, $3, $4, $5, $6, 0)",
    )
    .bind(&l.id)
    .bind(&l.creditor_id)
    .bind(&l.debtor_id)
    .bind(&l.key_id)
    .bind(l.created_at)
    .bind(l.expires_at)
    .execute(&mut **tx)
    .await?;
    let detail = serde_json::json!({ "link": l.id, "expires_at": l.expires_at, "reason": reason });
    let e = NewEvent {
        creditor_id: &l.creditor_id,
        debtor_id: Some(&l.debtor_id),
        invoice_id: None,
        kind: "link_minted",
        actor,
        detail,
    };
    append(tx, e, l.created_at).await
}

impl Storage {
    /// Records a minted link, its event (`actor` says who asked: cli, system, debtor…) and the
    /// mails that carry it, together.
    pub async fn insert_link(
        &self,
        l: &LinkRow,
        actor: &str,
        reason: &str,
        mails: &[NewMail],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        insert_link(&mut tx, l, actor, reason).await?;
        for m in mails {
            enqueue(&mut tx, m, l.created_at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    pub async fn link(&self, id: &str) -> Result<Option<LinkRow>> {
        let row = sqlx::query(&format!("SELECT {LINK_COLUMNS} FROM links WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(link_from_row).transpose()?)
    }

    pub async fn links(&self, creditor_id: &str, debtor_id: Option<&str>) -> Result<Vec<LinkRow>> {
        let rows = match debtor_id {
            Some(d) => sqlx::query(&format!("SELECT {LINK_COLUMNS} FROM links WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY created_at, id"))
                .bind(creditor_id)
                .bind(d)
                .fetch_all(&self.pool)
                .await?,
            None => sqlx::query(&format!("SELECT {LINK_COLUMNS} FROM links WHERE creditor_id = $1 ORDER BY created_at, id"))
                .bind(creditor_id)
                .fetch_all(&self.pool)
                .await?,
        };
        Ok(rows
            .iter()
            .map(link_from_row)
            .collect::<std::result::Result<_, _>>()?)
    }

    /// Revokes a link and ends the sessions opened with it. False if unknown or already revoked.
    pub async fn revoke_link(
        &self,
        creditor_id: &str,
        link_id: &str,
        actor: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "SELECT debtor_id FROM links WHERE creditor_id = $1 AND id = $2 AND revoked_at IS NULL",
        )
        .bind(creditor_id)
        .bind(link_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let debtor_id: String = row.try_get("debtor_id")?;
        sqlx::query("UPDATE links SET revoked_at = $1 WHERE creditor_id = $2 AND id = $3")
            .bind(now)
            .bind(creditor_id)
            .bind(link_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM sessions WHERE creditor_id = $1 AND link_id = $2")
            .bind(creditor_id)
            .bind(link_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "link": link_id });
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(&debtor_id),
            invoice_id: None,
            kind: "link_revoked",
            actor,
            detail,
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The link was opened and verified: count it, log it, and create the session, together.
    /// Re-checks revocation inside the transaction so a revoke that just landed wins.
    pub async fn open_link(
        &self,
        link: &LinkRow,
        session_hash: &str,
        session_expires_at: i64,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let updated = sqlx::query(
            "UPDATE links SET open_count = open_count + 1, first_opened_at = COALESCE(first_opened_at, $1) \
             WHERE id = $2 AND creditor_id = $3 AND revoked_at IS NULL AND expires_at > $4",
        )
        .bind(now)
        .bind(&link.id)
        .bind(&link.creditor_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Ok(false);
        }
        sqlx::query(
            "INSERT INTO sessions (id_hash, creditor_id, debtor_id, link_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(session_hash)
        .bind(&link.creditor_id)
        .bind(&link.debtor_id)
        .bind(&link.id)
        .bind(now)
        .bind(session_expires_at)
        .execute(&mut *tx)
        .await?;
        let detail = serde_json::json!({ "link": link.id });
        let e = NewEvent {
            creditor_id: &link.creditor_id,
            debtor_id: Some(&link.debtor_id),
            invoice_id: None,
            kind: "link_opened",
            actor: "debtor",
            detail,
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// A live session with its creditor and debtor, in one query: every page and document
    /// of the portal starts here.
    pub async fn session_context(
        &self,
        session_hash: &str,
        now: i64,
    ) -> Result<Option<(CreditorRow, DebtorRow)>> {
        static SQL: LazyLock<String> = LazyLock::new(|| {
            let prefixed = |cols: &str, p: &str| {
                cols.split(',')
                    .map(|c| format!("{p}.{}", c.trim()))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            format!(
                "SELECT {}, {} FROM sessions s \
                 JOIN creditors c ON c.id = s.creditor_id \
                 JOIN debtors d ON d.id = s.debtor_id AND d.creditor_id = s.creditor_id \
                 WHERE s.id_hash = $1 AND s.expires_at > $2",
                prefixed(creditors::COLUMNS, "c"),
                prefixed(debtors::COLUMNS, "d")
            )
        });
        let row = sqlx::query(&SQL)
            .bind(session_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else { return Ok(None) };
        Ok(Some((
            creditors::from_row_at(&r, 0)?,
            debtors::from_row_at(&r, creditors::COLUMN_COUNT)?,
        )))
    }

    pub async fn delete_session(&self, session_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(session_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn delete_expired_sessions(&self, now: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now)
            .execute(&self.pool)
            .await?
            .rows_affected())
    }
}
