use super::{Result, Storage, map_unique, new_id};
use sqlx::Row;
use sqlx::any::AnyRow;

#[derive(Debug, Clone)]
pub struct NewCreditor {
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub identifiers: String,
    pub contact_email: String,
    pub accent_colour: String,
    pub logo: Option<(String, Vec<u8>)>,
    pub bank_details: Option<String>,
    pub timezone: chrono_tz::Tz,
    pub link_ttl_days: i64,
}

#[derive(Debug, Clone)]
pub struct CreditorRow {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub legal_name: String,
    pub address: String,
    pub identifiers: String,
    pub contact_email: String,
    pub accent_colour: String,
    pub has_logo: bool,
    pub bank_details: Option<String>,
    pub timezone: chrono_tz::Tz,
    pub link_ttl_days: i64,
    pub current_key_id: String,
    /// How far ahead a debtor may promise to pay.
    pub promise_horizon_days: i64,
    /// Attachments per post and bytes per file (never above app::domain::upload's hard limits).
    pub upload_max_files: i64,
    pub upload_max_bytes: i64,
}

pub(super) const COLUMNS: &str = "id, slug, name, legal_name, address, identifiers, contact_email, accent_colour, \
    logo_type, bank_details, timezone, link_ttl_days, current_key_id, promise_horizon_days, upload_max_files, upload_max_bytes";

pub(super) const COLUMN_COUNT: usize = 16;

fn from_row(r: &AnyRow) -> std::result::Result<CreditorRow, sqlx::Error> {
    from_row_at(r, 0)
}

/// Reads the columns of `COLUMNS`, in its order, starting at position `at` (joins put
/// several tables' columns in one row).
pub(super) fn from_row_at(r: &AnyRow, at: usize) -> std::result::Result<CreditorRow, sqlx::Error> {
    Ok(CreditorRow {
        id: r.try_get(at)?,
        slug: r.try_get(at + 1)?,
        name: r.try_get(at + 2)?,
        legal_name: r.try_get(at + 3)?,
        address: r.try_get(at + 4)?,
        identifiers: r.try_get(at + 5)?,
        contact_email: r.try_get(at + 6)?,
        accent_colour: r.try_get(at + 7)?,
        has_logo: r.try_get::<Option<String>, _>(at + 8)?.is_some(),
        bank_details: r.try_get(at + 9)?,
        timezone: super::debtors::parse_zone(&r.try_get::<String, _>(at + 10)?)?,
        link_ttl_days: r.try_get(at + 11)?,
        current_key_id: r.try_get(at + 12)?,
        promise_horizon_days: r.try_get(at + 13)?,
        upload_max_files: r.try_get(at + 14)?,
        upload_max_bytes: r.try_get(at + 15)?,
    })
}

impl Storage {
    /// Creates a creditor with its first link-signing key.
    pub async fn insert_creditor(&self, c: &NewCreditor, now: i64) -> Result<String> {
        let id = new_id();
        let key_id = "k1".to_string();
        let (logo_type, logo) = match &c.logo {
            Some((t, b)) => (Some(t.clone()), Some(b.clone())),
            None => (None, None),
        };
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO creditors (id, slug, name, legal_name, address, identifiers, contact_email, \
             accent_colour, logo_type, logo, bank_details, timezone, link_ttl_days, current_key_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind(&id)
        .bind(&c.slug)
        .bind(&c.name)
        .bind(&c.legal_name)
        .bind(&c.address)
        .bind(&c.identifiers)
        .bind(&c.contact_email)
        .bind(&c.accent_colour)
        .bind(logo_type)
        .bind(logo)
        .bind(&c.bank_details)
        .bind(c.timezone.name())
        .bind(c.link_ttl_days)
        .bind(&key_id)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        sqlx::query("INSERT INTO link_keys (creditor_id, key_id, created_at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(&key_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn creditor(&self, id: &str) -> Result<Option<CreditorRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM creditors WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The creditor's promise horizon and attachment limits, logged as an event by `agent_id`.
    pub async fn set_case_settings(
        &self,
        creditor_id: &str,
        horizon_days: i64,
        max_files: i64,
        max_bytes: i64,
        agent_id: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("UPDATE creditors SET promise_horizon_days = $1, upload_max_files = $2, upload_max_bytes = $3 WHERE id = $4")
            .bind(horizon_days)
            .bind(max_files)
            .bind(max_bytes)
            .bind(creditor_id)
            .execute(&mut *tx)
            .await?;
        let detail = serde_json::json!({ "promise_horizon_days": horizon_days, "upload_max_files": max_files, "upload_max_bytes": max_bytes });
        let e = super::events::NewEvent {
            creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "case_settings_changed",
            actor: agent_id,
            detail,
        };
        super::events::append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn creditor_by_slug(&self, slug: &str) -> Result<Option<CreditorRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM creditors WHERE slug = $1"))
            .bind(slug)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    /// The creditor's logo: content type and bytes.
    pub async fn creditor_logo(&self, slug: &str) -> Result<Option<(String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT logo_type, logo FROM creditors WHERE slug = $1 AND logo_type IS NOT NULL",
        )
        .bind(slug)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Some((r.try_get("logo_type")?, r.try_get("logo")?)),
            None => None,
        })
    }

    /// Whether a key id of this creditor may verify links (exists and is not retired).
    pub async fn link_key_active(&self, creditor_id: &str, key_id: &str) -> Result<bool> {
        let row =
            sqlx::query("SELECT retired_at FROM link_keys WHERE creditor_id = $1 AND key_id = $2")
                .bind(creditor_id)
                .bind(key_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(match row {
            Some(r) => r.try_get::<Option<i64>, _>("retired_at")?.is_none(),
            None => false,
        })
    }

    /// Starts signing new links with a new key; links signed with the old one keep working
    /// until `retire_link_key`.
    pub async fn rotate_link_key(&self, creditor_id: &str, now: i64) -> Result<String> {
        let mut tx = self.begin().await?;
        let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM link_keys WHERE creditor_id = $1")
            .bind(creditor_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("n")?;
        let key_id = format!("k{}", count + 1);
        sqlx::query("INSERT INTO link_keys (creditor_id, key_id, created_at) VALUES ($1, $2, $3)")
            .bind(creditor_id)
            .bind(&key_id)
            .bind(now)
            .execute(&mut *tx)
            .await?;
        sqlx::query("UPDATE creditors SET current_key_id = $1 WHERE id = $2")
            .bind(&key_id)
            .bind(creditor_id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(key_id)
    }

    pub async fn retire_link_key(&self, creditor_id: &str, key_id: &str, now: i64) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE link_keys SET retired_at = $1 WHERE creditor_id = $2 AND key_id = $3 AND retired_at IS NULL",
        )
        .bind(now)
        .bind(creditor_id)
        .bind(key_id)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn column_count_matches_the_column_list() {
        assert_eq!(super::COLUMNS.split(',').count(), super::COLUMN_COUNT);
    }
}
