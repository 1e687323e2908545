//! Disputes, their threads and files, and the owners they are given to. A debtor's reads take
//! the debtor id and never return internal notes; an agent's take the creditor id.

use super::events::{NewEvent, append};
use super::invoices::{move_invoice, remaining_sql};
use super::links::{LinkRow, insert_link};
use super::outbox::{NewMail, enqueue};
use super::{Result, Storage, StorageError, Tx, corrupt, map_unique, new_id};
use app::domain::dispute::{DisputeReason, DisputeStatus, credit_note_number};
use app::domain::invoice::Move;
use app::domain::money::{Currency, Money};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

/// A file that passed `app::domain::upload::check_file`.
#[derive(Debug, Clone)]
pub struct NewFile {
    pub name: String,
    pub content_type: String,
    pub data: Vec<u8>,
}

/// What an insert keyed by a form's own id did: stored it, or found it stored already by the
/// same debtor (the form sent twice). An id taken by anyone else is `StorageError::Duplicate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stored {
    New,
    Already,
}

/// What a debtor's form creates, for `Storage::submitted`.
#[derive(Debug, Clone, Copy)]
pub enum Submitted {
    Dispute,
    Post,
    Message,
}

#[derive(Debug, Clone)]
pub struct NewDispute {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub reason: DisputeReason,
    pub paid_on: Option<NaiveDate>,
    /// (invoice id, invoice number, amount contested)
    pub invoices: Vec<(String, String, Money)>,
    pub message: String,
    pub files: Vec<NewFile>,
}

#[derive(Debug, Clone)]
pub struct DisputeRow {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub reason: DisputeReason,
    pub paid_on: Option<NaiveDate>,
    pub contested: Money,
    pub credited: Money,
    pub status: DisputeStatus,
    pub owner_id: Option<String>,
    pub created_at: i64,
    pub resolved_at: Option<i64>,
    /// (invoice id, number, amount contested)
    pub invoices: Vec<(String, String, Money)>,
}

#[derive(Debug, Clone)]
pub struct AttachmentMeta {
    pub id: String,
    pub name: String,
    pub size: i64,
}

#[derive(Debug, Clone)]
pub struct PostRow {
    pub id: String,
    /// 'debtor', or an agent id.
    pub author: String,
    pub internal: bool,
    pub body: String,
    pub at: i64,
    pub files: Vec<AttachmentMeta>,
}

#[derive(Debug, Clone)]
pub struct OwnerRow {
    pub id: String,
    pub name: String,
    pub email: String,
}

/// An open dispute as the queue lists it.
#[derive(Debug, Clone)]
pub struct OpenDisputeRow {
    pub dispute: DisputeRow,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub owner_name: Option<String>,
}

const COLUMNS: &str = "d.id, d.creditor_id, d.debtor_id, d.reason, d.paid_on, d.currency, d.contested_minor, d.credited_minor, d.status, d.owner_id, d.created_at, d.resolved_at";

fn from_row(r: &AnyRow) -> Result<DisputeRow> {
    let currency = Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
    let reason: String = r.try_get("reason")?;
    let status: String = r.try_get("status")?;
    let paid_on: Option<String> = r.try_get("paid_on")?;
    Ok(DisputeRow {
        id: r.try_get("id")?,
        creditor_id: r.try_get("creditor_id")?,
        debtor_id: r.try_get("debtor_id")?,
        reason: DisputeReason::parse(&reason)
            .ok_or_else(|| corrupt(format!("dispute reason {reason:?}")))?,
        paid_on: paid_on
            .map(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").map_err(corrupt))
            .transpose()?,
        contested: Money::new(r.try_get("contested_minor")?, currency),
        credited: Money::new(r.try_get("credited_minor")?, currency),
        status: DisputeStatus::parse(&status)
            .ok_or_else(|| corrupt(format!("dispute status {status:?}")))?,
        owner_id: r.try_get("owner_id")?,
        created_at: r.try_get("created_at")?,
        resolved_at: r.try_get("resolved_at")?,
        invoices: Vec::new(),
    })
}

/// The notice that goes with a change: the mails, and the fresh portal link they carry (if any).
pub struct Notice<'a> {
    pub link: Option<&'a LinkRow>,
    pub mails: &'a [NewMail],
}

impl Notice<'_> {
    pub const NONE: Notice<'static> = Notice {
        link: None,
        mails: &[],
    };

    pub(super) async fn queue(&self, tx: &mut Tx<'_>, reason: &str, now: i64) -> Result<()> {
        if let Some(l) = self.link {
            insert_link(tx, l, "system", reason).await?;
        }
        for m in self.mails {
            enqueue(tx, m, now).await?;
        }
        Ok(())
    }
}

#[allow(clippy::too_many_arguments)]
async fn insert_post(
    tx: &mut Tx<'_>,
    d: (&str, &str, &str),
    post_id: &str,
    author: &str,
    internal: bool,
    body: &str,
    files: &[NewFile],
    now: i64,
) -> Result<bool> {
    let (creditor_id, debtor_id, dispute_id) = d;
    let inserted = sqlx::query(
        "INSERT INTO dispute_posts (id, dispute_id, creditor_id, author, visibility, body, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING",
    )
    .bind(post_id)
    .bind(dispute_id)
    .bind(creditor_id)
    .bind(author)
    .bind(if internal { "internal" } else { "public" })
    .bind(body)
    .bind(now)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 0 {
        return Ok(false);
    }
    for f in files {
        sqlx::query(
            "INSERT INTO attachments (id, creditor_id, debtor_id, dispute_id, post_id, file_name, content_type, size_bytes, sha256, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(new_id())
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(dispute_id)
        .bind(post_id)
        .bind(&f.name)
        .bind(&f.content_type)
        .bind(f.data.len() as i64)
        .bind(sha256_hex(&f.data))
        .bind(f.data.clone())
        .bind(now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(true)
}

impl Storage {
    /// Opens a dispute: its invoices leave the chase (status `disputed`), its first post and
    /// files are stored, the event logged and the mails queued, all or nothing. `Stale` when an
    /// invoice is no longer open (paid, scheduled, contested meanwhile).
    /// The same form sent twice (its id is the dispute's) is stored once: the second finds it
    /// `Already` there, even when both arrive at the same instant.
    pub async fn insert_dispute(
        &self,
        d: &NewDispute,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<Stored> {
        let currency = d
            .invoices
            .first()
            .map(|(_, _, m)| m.currency)
            .ok_or_else(|| corrupt("a dispute without invoices"))?;
        let contested: i64 = d.invoices.iter().map(|(_, _, m)| m.minor).sum();
        let mut tx = self.begin().await?;
        let inserted = sqlx::query(
            "INSERT INTO disputes (id, creditor_id, debtor_id, reason, paid_on, currency, contested_minor, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'open', $8) ON CONFLICT (id) DO NOTHING",
        )
        .bind(&d.id)
        .bind(&d.creditor_id)
        .bind(&d.debtor_id)
        .bind(d.reason.as_str())
        .bind(d.paid_on.map(|p| p.to_string()))
        .bind(currency.code())
        .bind(contested)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if inserted == 0 {
            return already_or_taken(
                &mut tx,
                Submitted::Dispute,
                &d.creditor_id,
                &d.debtor_id,
                &d.id,
            )
            .await;
        }
        for (invoice_id, _, amount) in &d.invoices {
            let moved = move_invoice(
                &mut tx,
                Move::Contest,
                invoice_id,
                &d.creditor_id,
                &d.debtor_id,
            )
            .await?;
            if !moved {
                return Err(StorageError::Stale("an invoice is no longer open".into()));
            }
            sqlx::query("INSERT INTO dispute_invoices (dispute_id, invoice_id, amount_minor, open_key) VALUES ($1, $2, $3, $2)")
                .bind(&d.id)
                .bind(invoice_id)
                .bind(amount.minor)
                .execute(&mut *tx)
                .await
                .map_err(|e| match map_unique(e) {
                    StorageError::Duplicate(m) => StorageError::Stale(m),
                    other => other,
                })?;
        }
        insert_post(
            &mut tx,
            (&d.creditor_id, &d.debtor_id, &d.id),
            &new_id(),
            "debtor",
            false,
            &d.message,
            &d.files,
            now,
        )
        .await?;
        let detail = serde_json::json!({
            "dispute": d.id, "reason": d.reason.as_str(), "amount_minor": contested, "currency": currency.code(),
            "document": d.invoices.iter().map(|(_, n, _)| n.as_str()).collect::<Vec<_>>().join(", "),
            "files": d.files.len(),
        });
        let e = NewEvent {
            creditor_id: &d.creditor_id,
            debtor_id: Some(&d.debtor_id),
            invoice_id: None,
            kind: "dispute_opened",
            actor: "debtor",
            detail,
        };
        append(&mut tx, e, now).await?;
        notice.queue(&mut tx, "dispute notice", now).await?;
        tx.commit().await?;
        Ok(Stored::New)
    }

    async fn with_invoices(&self, mut d: DisputeRow) -> Result<DisputeRow> {
        let rows = sqlx::query(
            "SELECT di.invoice_id, i.number, di.amount_minor FROM dispute_invoices di JOIN invoices i ON i.id = di.invoice_id \
             WHERE di.dispute_id = $1 AND i.creditor_id = $2 ORDER BY i.due_date, i.number",
        )
        .bind(&d.id)
        .bind(&d.creditor_id)
        .fetch_all(&self.pool)
        .await?;
        d.invoices = rows
            .iter()
            .map(|r| {
                Ok((
                    r.try_get("invoice_id")?,
                    r.try_get("number")?,
                    Money::new(r.try_get("amount_minor")?, d.contested.currency),
                ))
            })
            .collect::<Result<_>>()?;
        Ok(d)
    }

    /// One dispute of the creditor; of this debtor only when `debtor_id` is given.
    pub async fn dispute(
        &self,
        creditor_id: &str,
        debtor_id: Option<&str>,
        id: &str,
    ) -> Result<Option<DisputeRow>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM disputes d WHERE d.id = $1 AND d.creditor_id = $2 AND ($3 = '' OR d.debtor_id = $3)"))
            .bind(id)
            .bind(creditor_id)
            .bind(debtor_id.unwrap_or(""))
            .fetch_optional(&self.pool)
            .await?;
        match row {
            Some(r) => Ok(Some(self.with_invoices(from_row(&r)?).await?)),
            None => Ok(None),
        }
    }

    /// A debtor's disputes, newest first.
    pub async fn disputes_of(&self, creditor_id: &str, debtor_id: &str) -> Result<Vec<DisputeRow>> {
        let rows = sqlx::query(&format!("SELECT {COLUMNS} FROM disputes d WHERE d.creditor_id = $1 AND d.debtor_id = $2 ORDER BY d.created_at DESC, d.id DESC"))
            .bind(creditor_id)
            .bind(debtor_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(self.with_invoices(from_row(r)?).await?);
        }
        Ok(out)
    }

    /// Open disputes of a creditor, oldest first, for the queue.
    pub async fn open_disputes(&self, creditor_id: &str) -> Result<Vec<OpenDisputeRow>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS}, db.name AS debtor_name, db.reference AS debtor_reference, o.name AS owner_name FROM disputes d \
             JOIN debtors db ON db.id = d.debtor_id AND db.creditor_id = d.creditor_id \
             LEFT JOIN dispute_owners o ON o.id = d.owner_id \
             WHERE d.creditor_id = $1 AND d.status = 'open' ORDER BY d.created_at, d.id"
        ))
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for r in &rows {
            out.push(OpenDisputeRow {
                dispute: self.with_invoices(from_row(r)?).await?,
                debtor_name: r.try_get("debtor_name")?,
                debtor_reference: r.try_get("debtor_reference")?,
                owner_name: r.try_get("owner_name")?,
            });
        }
        Ok(out)
    }

    /// A dispute's thread, oldest first; internal notes only when `with_internal`.
    pub async fn dispute_posts(
        &self,
        creditor_id: &str,
        dispute_id: &str,
        with_internal: bool,
    ) -> Result<Vec<PostRow>> {
        let rows = sqlx::query(
            "SELECT id, author, visibility, body, created_at FROM dispute_posts WHERE creditor_id = $1 AND dispute_id = $2 \
             AND (visibility = 'public' OR $3 = 1) ORDER BY created_at, id",
        )
        .bind(creditor_id)
        .bind(dispute_id)
        .bind(i64::from(with_internal))
        .fetch_all(&self.pool)
        .await?;
        let files = sqlx::query("SELECT id, post_id, file_name, size_bytes FROM attachments WHERE creditor_id = $1 AND dispute_id = $2 ORDER BY created_at, id")
            .bind(creditor_id)
            .bind(dispute_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let mine = files
                    .iter()
                    .filter(|f| f.try_get::<String, _>("post_id").is_ok_and(|p| p == id))
                    .map(|f| {
                        Ok(AttachmentMeta {
                            id: f.try_get("id")?,
                            name: f.try_get("file_name")?,
                            size: f.try_get("size_bytes")?,
                        })
                    })
                    .collect::<Result<_>>()?;
                Ok(PostRow {
                    author: r.try_get("author")?,
                    internal: r.try_get::<String, _>("visibility")? == "internal",
                    body: r.try_get("body")?,
                    at: r.try_get("created_at")?,
                    files: mine,
                    id,
                })
            })
            .collect()
    }

    /// A post in a dispute's thread, with its files and mails. A debtor posts only to their own
    /// open dispute; `Stale` otherwise.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_dispute_post(
        &self,
        d: &DisputeRow,
        post_id: &str,
        author: &str,
        internal: bool,
        body: &str,
        files: &[NewFile],
        notice: Notice<'_>,
        now: i64,
    ) -> Result<Stored> {
        let mut tx = self.begin().await?;
        let ids = (d.creditor_id.as_str(), d.debtor_id.as_str(), d.id.as_str());
        if !insert_post(&mut tx, ids, post_id, author, internal, body, files, now).await? {
            return already_or_taken(
                &mut tx,
                Submitted::Post,
                &d.creditor_id,
                &d.debtor_id,
                post_id,
            )
            .await;
        }
        if author == "debtor" {
            let open = sqlx::query("SELECT 1 AS one FROM disputes WHERE id = $1 AND creditor_id = $2 AND debtor_id = $3 AND status = 'open'")
                .bind(&d.id)
                .bind(&d.creditor_id)
                .bind(&d.debtor_id)
                .fetch_optional(&mut *tx)
                .await?;
            if open.is_none() {
                return Err(StorageError::Stale("the dispute is closed".into()));
            }
        }
        let kind = match (author, internal) {
            ("debtor", _) => "dispute_debtor_wrote",
            (_, true) => "dispute_note",
            _ => "dispute_reply",
        };
        let detail = serde_json::json!({ "dispute": d.id, "files": files.len() });
        let actor = if author == "debtor" { "debtor" } else { author };
        let e = NewEvent {
            creditor_id: &d.creditor_id,
            debtor_id: Some(&d.debtor_id),
            invoice_id: None,
            kind,
            actor,
            detail,
        };
        append(&mut tx, e, now).await?;
        notice.queue(&mut tx, "dispute notice", now).await?;
        tx.commit().await?;
        Ok(Stored::New)
    }

    /// Whether a debtor's form with this id was stored already (a second click, a resent form):
    /// the id a form carries becomes the id of what it creates.
    pub async fn submitted(
        &self,
        kind: Submitted,
        creditor_id: &str,
        debtor_id: &str,
        id: &str,
    ) -> Result<bool> {
        let found = sqlx::query(submitted_sql(kind))
            .bind(id)
            .bind(creditor_id)
            .bind(debtor_id);
        Ok(found.fetch_optional(&self.pool).await?.is_some())
    }

    /// A file of a dispute: (name, content type, bytes). For a debtor, only files of their own
    /// disputes' public posts.
    pub async fn attachment(
        &self,
        creditor_id: &str,
        debtor_id: Option<&str>,
        id: &str,
    ) -> Result<Option<(String, String, Vec<u8>)>> {
        let row = sqlx::query(
            "SELECT a.file_name, a.content_type, a.data FROM attachments a JOIN dispute_posts p ON p.id = a.post_id \
             WHERE a.id = $1 AND a.creditor_id = $2 AND ($3 = '' OR (a.debtor_id = $3 AND p.visibility = 'public'))",
        )
        .bind(id)
        .bind(creditor_id)
        .bind(debtor_id.unwrap_or(""))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok((
                r.try_get("file_name")?,
                r.try_get("content_type")?,
                r.try_get("data")?,
            ))
        })
        .transpose()
    }

    /// Gives an open dispute to an owner of the same creditor; false when either is not there.
    pub async fn assign_dispute(
        &self,
        d: &DisputeRow,
        owner_id: &str,
        agent_id: &str,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let moved = sqlx::query(
            "UPDATE disputes SET owner_id = $1 WHERE id = $2 AND creditor_id = $3 AND status = 'open' \
             AND EXISTS (SELECT 1 FROM dispute_owners o WHERE o.id = $1 AND o.creditor_id = $3 AND o.removed_at IS NULL)",
        )
        .bind(owner_id)
        .bind(&d.id)
        .bind(&d.creditor_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if moved != 1 {
            return Ok(false);
        }
        let e = NewEvent {
            creditor_id: &d.creditor_id,
            debtor_id: Some(&d.debtor_id),
            invoice_id: None,
            kind: "dispute_assigned",
            actor: agent_id,
            detail: serde_json::json!({ "dispute": d.id, "owner": owner_id }),
        };
        append(&mut tx, e, now).await?;
        notice.queue(&mut tx, "dispute notice", now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Closes an open dispute: each credited amount becomes a credit note set against its
    /// invoice; the invoices return to the chase (or become paid when nothing is left); the
    /// explanation is posted for the debtor. `Stale` when it was resolved already.
    #[allow(clippy::too_many_arguments)]
    pub async fn resolve_dispute(
        &self,
        d: &DisputeRow,
        status: DisputeStatus,
        credits: &[(String, Money)],
        explanation: &str,
        agent_id: &str,
        notice: Notice<'_>,
        now: i64,
    ) -> Result<()> {
        let credited: i64 = credits.iter().map(|(_, m)| m.minor).sum();
        let mut tx = self.begin().await?;
        let moved = sqlx::query("UPDATE disputes SET status = $1, credited_minor = $2, resolved_at = $3 WHERE id = $4 AND creditor_id = $5 AND status = 'open'")
            .bind(status.as_str())
            .bind(credited)
            .bind(now)
            .bind(&d.id)
            .bind(&d.creditor_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if moved != 1 {
            return Err(StorageError::Stale(
                "the dispute is resolved already".into(),
            ));
        }
        sqlx::query("UPDATE dispute_invoices SET open_key = NULL WHERE dispute_id = $1")
            .bind(&d.id)
            .execute(&mut *tx)
            .await?;
        let today = chrono::DateTime::from_timestamp(now, 0)
            .map(|t| t.date_naive())
            .unwrap_or_default();
        for (n, (invoice_id, number, _)) in d.invoices.iter().enumerate() {
            move_invoice(
                &mut tx,
                Move::Resolve,
                invoice_id,
                &d.creditor_id,
                &d.debtor_id,
            )
            .await?;
            let Some((_, amount)) = credits.iter().find(|(i, m)| i == invoice_id && m.minor > 0)
            else {
                continue;
            };
            let note_id = new_id();
            sqlx::query(
                "INSERT INTO invoices (id, creditor_id, debtor_id, number, kind, issue_date, due_date, currency, amount_minor, tax_minor, \
                 status, reminder_level, payment_reference, created_at) VALUES ($1, $2, $3, $4, 'credit_note', $5, $5, $6, $7, 0, 'open', 'pre_due', $8, $9)",
            )
            .bind(&note_id)
            .bind(&d.creditor_id)
            .bind(&d.debtor_id)
            .bind(credit_note_number(&d.id, n + 1))
            .bind(today.to_string())
            .bind(amount.currency.code())
            .bind(amount.minor)
            .bind(format!("Litige / dispute {number}"))
            .bind(now)
            .execute(&mut *tx)
            .await?;
            // What is left on the invoice caps the credit set against it (a payment may have
            // come meanwhile); the rest of the credit note stays for the debtor to use.
            let left: i64 = sqlx::query(concat!(
                "SELECT ",
                remaining_sql!(),
                " AS left_minor FROM invoices i WHERE i.id = $1 AND i.creditor_id = $2"
            ))
            .bind(invoice_id)
            .bind(&d.creditor_id)
            .fetch_one(&mut *tx)
            .await?
            .try_get("left_minor")?;
            let apply = amount.minor.min(left);
            if apply > 0 {
                super::invoices::allocate(
                    &mut tx,
                    &d.creditor_id,
                    invoice_id,
                    None,
                    Some(&note_id),
                    apply,
                    now,
                )
                .await?;
            }
        }
        if !explanation.is_empty() {
            insert_post(
                &mut tx,
                (&d.creditor_id, &d.debtor_id, &d.id),
                &new_id(),
                agent_id,
                false,
                explanation,
                &[],
                now,
            )
            .await?;
        }
        let detail = serde_json::json!({ "dispute": d.id, "outcome": status.as_str(), "amount_minor": credited, "currency": d.contested.currency.code(), "note": explanation });
        let e = NewEvent {
            creditor_id: &d.creditor_id,
            debtor_id: Some(&d.debtor_id),
            invoice_id: None,
            kind: "dispute_resolved",
            actor: agent_id,
            detail,
        };
        append(&mut tx, e, now).await?;
        notice.queue(&mut tx, "dispute notice", now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The creditor's current owners (people or teams), by name.
    pub async fn dispute_owners(&self, creditor_id: &str) -> Result<Vec<OwnerRow>> {
        let rows = sqlx::query("SELECT id, name, email FROM dispute_owners WHERE creditor_id = $1 AND removed_at IS NULL ORDER BY name, id")
            .bind(creditor_id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(OwnerRow {
                    id: r.try_get("id")?,
                    name: r.try_get("name")?,
                    email: r.try_get("email")?,
                })
            })
            .collect()
    }

    pub async fn add_dispute_owner(
        &self,
        creditor_id: &str,
        name: &str,
        email: &str,
        now: i64,
    ) -> Result<String> {
        let id = new_id();
        sqlx::query("INSERT INTO dispute_owners (id, creditor_id, name, email, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(&id)
            .bind(creditor_id)
            .bind(name)
            .bind(email)
            .bind(now)
            .execute(&self.pool)
            .await?;
        Ok(id)
    }

    /// Removes an owner from the list (disputes given to them keep the name); false if not there.
    pub async fn remove_dispute_owner(
        &self,
        creditor_id: &str,
        id: &str,
        now: i64,
    ) -> Result<bool> {
        let n = sqlx::query("UPDATE dispute_owners SET removed_at = $1 WHERE id = $2 AND creditor_id = $3 AND removed_at IS NULL")
            .bind(now)
            .bind(id)
            .bind(creditor_id)
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(n == 1)
    }

    /// An owner of the creditor, removed or not (a dispute keeps its owner's name).
    pub async fn dispute_owner(&self, creditor_id: &str, id: &str) -> Result<Option<OwnerRow>> {
        let row = sqlx::query(
            "SELECT id, name, email FROM dispute_owners WHERE creditor_id = $1 AND id = $2",
        )
        .bind(creditor_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(OwnerRow {
                id: r.try_get("id")?,
                name: r.try_get("name")?,
                email: r.try_get("email")?,
            })
        })
        .transpose()
    }

    /// What a debtor typed in `form` before an error, if anything.
    pub async fn draft(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        form: &str,
    ) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT body FROM form_drafts WHERE creditor_id = $1 AND debtor_id = $2 AND form = $3",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(form)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(|r| r.try_get("body")).transpose()?)
    }

    /// Keeps (Some) or forgets (None) what a debtor typed in `form`.
    pub async fn set_draft(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        form: &str,
        body: Option<&str>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query(
            "DELETE FROM form_drafts WHERE creditor_id = $1 AND debtor_id = $2 AND form = $3",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(form)
        .execute(&mut *tx)
        .await?;
        if let Some(body) = body {
            sqlx::query("INSERT INTO form_drafts (creditor_id, debtor_id, form, body, updated_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(creditor_id)
                .bind(debtor_id)
                .bind(form)
                .bind(body)
                .bind(now)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// The row a debtor's form created under this id, if it is theirs.
fn submitted_sql(kind: Submitted) -> &'static str {
    match kind {
        Submitted::Dispute => {
            "SELECT 1 AS one FROM disputes WHERE id = $1 AND creditor_id = $2 AND debtor_id = $3"
        }
        Submitted::Post => {
            "SELECT 1 AS one FROM dispute_posts p JOIN disputes d ON d.id = p.dispute_id \
             WHERE p.id = $1 AND p.creditor_id = $2 AND d.debtor_id = $3"
        }
        Submitted::Message => {
            "SELECT 1 AS one FROM messages WHERE id = $1 AND creditor_id = $2 AND debtor_id = $3"
        }
    }
}

/// An insert under a form's id found a row there: the same debtor's form sent again
/// (`Already`), or someone else's id (`Duplicate`). Nothing else of the insert is written.
pub(super) async fn already_or_taken(
    tx: &mut Tx<'_>,
    kind: Submitted,
    creditor_id: &str,
    debtor_id: &str,
    id: &str,
) -> Result<Stored> {
    let theirs = sqlx::query(submitted_sql(kind))
        .bind(id)
        .bind(creditor_id)
        .bind(debtor_id);
    match theirs.fetch_optional(&mut **tx).await? {
        Some(_) => Ok(Stored::Already),
        None => Err(StorageError::Duplicate(format!("id {id} is taken"))),
    }
}

/// A file's SHA-256, to find the same file sent twice.
fn sha256_hex(data: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
