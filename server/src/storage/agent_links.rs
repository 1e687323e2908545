//! Single-use links for agents to set a password: invitations and password resets.

use super::agents::{COLUMNS, from_row};
use super::events::{NewEvent, append};
use super::outbox::{NewMail, enqueue};
use super::{AgentRow, Result, Storage, Tx, map_unique, new_id};
use app::domain::agent::Role;
use sqlx::Row;

/// A link to store with the change that makes it.
pub struct NewAgentLink<'a> {
    pub id_hash: &'a str,
    pub purpose: &'a str,
    pub expires_at: i64,
}

async fn insert_link(
    tx: &mut Tx<'_>,
    agent_id: &str,
    creditor_id: &str,
    l: &NewAgentLink<'_>,
    now: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO agent_links (id_hash, agent_id, creditor_id, purpose, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(l.id_hash)
        .bind(agent_id)
        .bind(creditor_id)
        .bind(l.purpose)
        .bind(now)
        .bind(l.expires_at)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

impl Storage {
    /// An admin invites someone: the account (with a password nobody knows), its link, the
    /// event and the mail, together. `Duplicate` if the address has an account already.
    #[allow(clippy::too_many_arguments)]
    pub async fn invite_agent(
        &self,
        admin: &AgentRow,
        email: &str,
        name: &str,
        role: Role,
        unusable_hash: &str,
        link: &NewAgentLink<'_>,
        mail: &NewMail,
        now: i64,
    ) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO agents (id, creditor_id, email, email_lower, name, role, password_hash, failed_logins, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, $8)",
        )
        .bind(&id)
        .bind(&admin.creditor_id)
        .bind(email)
        .bind(email.to_lowercase())
        .bind(name)
        .bind(role.as_str())
        .bind(unusable_hash)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        insert_link(&mut tx, &id, &admin.creditor_id, link, now).await?;
        let detail = serde_json::json!({ "agent": id, "role": role.as_str() });
        let e = NewEvent {
            creditor_id: &admin.creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "agent_invited",
            actor: &admin.id,
            detail,
        };
        append(&mut tx, e, now).await?;
        enqueue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A password reset link for an existing account, with its mail.
    pub async fn add_agent_link(
        &self,
        agent: &AgentRow,
        link: &NewAgentLink<'_>,
        mail: &NewMail,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        insert_link(&mut tx, &agent.id, &agent.creditor_id, link, now).await?;
        let e = NewEvent {
            creditor_id: &agent.creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "agent_reset_requested",
            actor: &agent.id,
            detail: serde_json::json!({ "agent": agent.id }),
        };
        append(&mut tx, e, now).await?;
        enqueue(&mut tx, mail, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether a link can still be used (the page asks before showing the password form).
    pub async fn agent_link_live(&self, id_hash: &str, now: i64) -> Result<bool> {
        let row = sqlx::query("SELECT 1 AS ok FROM agent_links WHERE id_hash = $1 AND used_at IS NULL AND expires_at > $2")
            .bind(id_hash)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.is_some())
    }

    /// Uses a live link once: sets the password, clears a lockout, ends the agent's other
    /// sessions (a reset after a leak must shut the old ones). `None`: unknown, used or expired.
    pub async fn redeem_agent_link(
        &self,
        id_hash: &str,
        password_hash: &str,
        now: i64,
    ) -> Result<Option<AgentRow>> {
        let mut tx = self.begin().await?;
        let used = sqlx::query("UPDATE agent_links SET used_at = $1 WHERE id_hash = $2 AND used_at IS NULL AND expires_at > $1")
            .bind(now)
            .bind(id_hash)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if used != 1 {
            return Ok(None);
        }
        let agent_id: String = sqlx::query("SELECT agent_id FROM agent_links WHERE id_hash = $1")
            .bind(id_hash)
            .fetch_one(&mut *tx)
            .await?
            .try_get("agent_id")?;
        sqlx::query("UPDATE agents SET password_hash = $1, failed_logins = 0, locked_until = NULL WHERE id = $2")
            .bind(password_hash)
            .bind(&agent_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("DELETE FROM agent_sessions WHERE agent_id = $1")
            .bind(&agent_id)
            .execute(&mut *tx)
            .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM agents WHERE id = $1"))
            .bind(&agent_id)
            .fetch_one(&mut *tx)
            .await?;
        let agent = from_row(&row)?;
        let e = NewEvent {
            creditor_id: &agent.creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "agent_password_set",
            actor: &agent.id,
            detail: serde_json::json!({ "agent": agent.id }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(Some(agent))
    }
}
