use super::{Result, Storage, map_unique, new_id};
use app::domain::locale::Lang;
use chrono_tz::Tz;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A stored language code as the language it names; anything else is corrupt data.
pub(super) fn parse_lang(code: &str) -> std::result::Result<Lang, sqlx::Error> {
    Lang::parse(code)
        .ok_or_else(|| sqlx::Error::Decode(format!("unknown language {code:?}").into()))
}

/// A stored IANA time zone name as the zone; anything else is corrupt data.
pub(super) fn parse_zone(name: &str) -> std::result::Result<Tz, sqlx::Error> {
    name.parse()
        .map_err(|_| sqlx::Error::Decode(format!("unknown time zone {name:?}").into()))
}

#[derive(Debug, Clone)]
pub struct NewDebtor {
    pub reference: String,
    pub name: String,
    pub address: String,
    pub identifiers: String,
    pub lang: Lang,
    pub timezone: Tz,
    /// (name, email) of each contact who receives reminders.
    pub contacts: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct DebtorRow {
    pub id: String,
    pub creditor_id: String,
    pub reference: String,
    pub name: String,
    pub address: String,
    pub identifiers: String,
    /// The language the debtor reads (pages default to it, mails are written in it).
    pub lang: Lang,
    /// Where the debtor is: "today" and times are theirs.
    pub timezone: Tz,
}

#[derive(Debug, Clone)]
pub struct ContactRow {
    pub name: String,
    pub email: String,
}

fn from_row(r: &AnyRow) -> std::result::Result<DebtorRow, sqlx::Error> {
    from_row_at(r, 0)
}

/// Reads the columns of `COLUMNS`, in its order, starting at position `at`.
pub(super) fn from_row_at(r: &AnyRow, at: usize) -> std::result::Result<DebtorRow, sqlx::Error> {
    Ok(DebtorRow {
        id: r.try_get(at)?,
        creditor_id: r.try_get(at + 1)?,
        reference: r.try_get(at + 2)?,
        name: r.try_get(at + 3)?,
        address: r.try_get(at + 4)?,
        identifiers: r.try_get(at + 5)?,
        lang: parse_lang(&r.try_get::<String, _>(at + 6)?)?,
        timezone: parse_zone(&r.try_get::<String, _>(at + 7)?)?,
    })
}

pub(super) const COLUMNS: &str =
    "id, creditor_id, reference, name, address, identifiers, locale, timezone";

impl Storage {
    pub async fn insert_debtor(
        &self,
        creditor_id: &str,
        d: &NewDebtor,
        now: i64,
    ) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO debtors (id, creditor_id, reference, name, address, identifiers, locale, timezone, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(&id)
        .bind(creditor_id)
        .bind(&d.reference)
        .bind(&d.name)
        .bind(&d.address)
        .bind(&d.identifiers)
        .bind(d.lang.code())
        .bind(d.timezone.name())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        for (name, email) in &d.contacts {
            sqlx::query(
                "INSERT INTO debtor_contacts (id, creditor_id, debtor_id, name, email, email_lower) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(new_id())
            .bind(creditor_id)
            .bind(&id)
            .bind(name)
            .bind(email)
            .bind(email.to_lowercase())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    pub async fn debtor(&self, creditor_id: &str, debtor_id: &str) -> Result<Option<DebtorRow>> {
        self.debtor_where(creditor_id, "id", debtor_id).await
    }

    pub async fn debtor_by_reference(
        &self,
        creditor_id: &str,
        reference: &str,
    ) -> Result<Option<DebtorRow>> {
        self.debtor_where(creditor_id, "reference", reference).await
    }

    /// One debtor of one creditor by a unique column (`column` is ours, never user input).
    async fn debtor_where(
        &self,
        creditor_id: &str,
        column: &'static str,
        value: &str,
    ) -> Result<Option<DebtorRow>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM debtors WHERE creditor_id = $1 AND {column} = $2"
        ))
        .bind(creditor_id)
        .bind(value)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(from_row).transpose()?)
    }

    pub async fn debtors(&self, creditor_id: &str) -> Result<Vec<DebtorRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM debtors WHERE creditor_id = $1 ORDER BY reference"
        ))
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(from_row)
            .collect::<std::result::Result<_, _>>()?)
    }

    pub async fn contacts(&self, creditor_id: &str, debtor_id: &str) -> Result<Vec<ContactRow>> {
        let rows = sqlx::query(
            "SELECT name, email FROM debtor_contacts WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY email",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(ContactRow {
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                })
            })
            .collect()
    }

    /// Every (creditor, debtor) that has this contact address, across creditors: a person asking
    /// for a fresh link by address gets one per file they appear in.
    pub async fn debtors_by_email(&self, email: &str) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT DISTINCT creditor_id, debtor_id FROM debtor_contacts WHERE email_lower = $1 ORDER BY creditor_id, debtor_id",
        )
        .bind(email.to_lowercase())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("creditor_id")?, r.try_get("debtor_id")?)))
            .collect()
    }
}
