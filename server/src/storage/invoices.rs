use super::{Result, Storage, Tx, corrupt, map_unique, new_id};
use app::domain::invoice::{DocumentKind, InvoiceStatus, Move};
use app::domain::money::{Currency, Money};
use app::domain::statement::{InvoiceFacts, PaymentFacts};
use chrono::NaiveDate;
use sqlx::Row;
use sqlx::any::AnyRow;

/// One line of an invoice, as inserted and as read back.
#[derive(Debug, Clone)]
pub struct LineRow {
    pub description: String,
    pub quantity_milli: i64,
    pub unit_price_minor: i64,
    pub tax_rate_bp: i64,
    /// Excluding tax.
    pub total_minor: i64,
}

#[derive(Debug, Clone)]
pub struct NewInvoice {
    pub debtor_id: String,
    pub number: String,
    pub kind: DocumentKind,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub currency: Currency,
    pub amount_minor: i64,
    pub tax_minor: i64,
    pub payment_reference: String,
    pub original_pdf: Option<Vec<u8>>,
    pub lines: Vec<LineRow>,
}

#[derive(Debug, Clone)]
pub struct NewPayment {
    pub debtor_id: String,
    pub received_on: NaiveDate,
    pub currency: Currency,
    pub amount_minor: i64,
    pub method: String,
    pub reference: String,
    pub external_id: Option<String>,
    /// (invoice id, amount) settled by this payment.
    pub allocations: Vec<(String, i64)>,
}

#[derive(Debug, Clone)]
pub struct InvoiceDetail {
    pub facts: InvoiceFacts,
    pub tax: Money,
    pub payment_reference: String,
    pub has_original_pdf: bool,
    pub lines: Vec<LineRow>,
}

pub(super) fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| corrupt(format!("bad date {s:?}")))
}

/// What the document aliased `i` still has, in minor units: an invoice's amount less what
/// payments and credit notes settled on it, or a credit note's less what it was used to settle.
/// The one place this sum is written. SUM is cast: PostgreSQL returns NUMERIC.
macro_rules! remaining_sql {
    () => {
        "(i.amount_minor \
          - CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.invoice_id = i.id), 0) AS BIGINT) \
          - CAST(COALESCE((SELECT SUM(c.amount_minor) FROM allocations c WHERE c.credit_note_id = i.id), 0) AS BIGINT))"
    };
}
pub(super) use remaining_sql;
pub(super) const REMAINING: &str = remaining_sql!();

const FACTS_SELECT: &str = concat!(
    "SELECT i.id, i.number, i.kind, i.issue_date, i.due_date, i.currency, i.amount_minor, \
    i.tax_minor, i.status, i.payment_reference, \
    CASE WHEN i.original_pdf IS NULL THEN 0 ELSE 1 END AS has_pdf, ",
    remaining_sql!(),
    " AS remaining_minor FROM invoices i"
);

/// States as an SQL list (`'open', 'promised'`): from the domain's enum, never typed by hand.
pub(super) fn status_list(states: &[InvoiceStatus]) -> String {
    states
        .iter()
        .map(|s| format!("'{}'", s.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Moves one invoice of the debtor through the transition table, if it is still in one of the
/// move's `from` states; `false` when it moved on meanwhile (nothing is changed then).
pub(super) async fn move_invoice(
    tx: &mut Tx<'_>,
    m: Move,
    invoice_id: &str,
    creditor_id: &str,
    debtor_id: &str,
) -> Result<bool> {
    let sql = format!(
        "UPDATE invoices SET status = $1 WHERE id = $2 AND creditor_id = $3 AND debtor_id = $4 \
         AND kind = 'invoice' AND status IN ({})",
        status_list(m.from())
    );
    let moved = sqlx::query(&sql)
        .bind(m.to().as_str())
        .bind(invoice_id)
        .bind(creditor_id)
        .bind(debtor_id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    Ok(moved == 1)
}

fn facts_from_row(r: &AnyRow) -> Result<(InvoiceFacts, Money, String, bool)> {
    let currency_code: String = r.try_get("currency")?;
    let currency = Currency::parse(&currency_code).map_err(corrupt)?;
    let kind: String = r.try_get("kind")?;
    let status: String = r.try_get("status")?;
    let facts = InvoiceFacts {
        id: r.try_get("id")?,
        number: r.try_get("number")?,
        kind: DocumentKind::parse(&kind).map_err(corrupt)?,
        issue_date: date(&r.try_get::<String, _>("issue_date")?)?,
        due_date: date(&r.try_get::<String, _>("due_date")?)?,
        amount: Money::new(r.try_get("amount_minor")?, currency),
        remaining: Money::new(r.try_get("remaining_minor")?, currency),
        status: InvoiceStatus::parse(&status).map_err(corrupt)?,
    };
    let tax = Money::new(r.try_get("tax_minor")?, currency);
    let has_pdf: i64 = r.try_get("has_pdf")?;
    Ok((facts, tax, r.try_get("payment_reference")?, has_pdf == 1))
}

impl Storage {
    pub async fn insert_invoice(
        &self,
        creditor_id: &str,
        inv: &NewInvoice,
        now: i64,
    ) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        sqlx::query(
            "INSERT INTO invoices (id, creditor_id, debtor_id, number, kind, issue_date, due_date, currency, \
             amount_minor, tax_minor, status, reminder_level, payment_reference, original_pdf, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'open', 'pre_due', $11, $12, $13)",
        )
        .bind(&id)
        .bind(creditor_id)
        .bind(&inv.debtor_id)
        .bind(&inv.number)
        .bind(inv.kind.as_str())
        .bind(inv.issue_date.to_string())
        .bind(inv.due_date.to_string())
        .bind(inv.currency.code())
        .bind(inv.amount_minor)
        .bind(inv.tax_minor)
        .bind(&inv.payment_reference)
        .bind(inv.original_pdf.clone())
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(map_unique)?;
        for (pos, l) in inv.lines.iter().enumerate() {
            sqlx::query(
                "INSERT INTO invoice_lines (id, invoice_id, position, description, quantity_milli, unit_price_minor, \
                 tax_rate_bp, total_minor) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(new_id())
            .bind(&id)
            .bind(pos as i64)
            .bind(&l.description)
            .bind(l.quantity_milli)
            .bind(l.unit_price_minor)
            .bind(l.tax_rate_bp)
            .bind(l.total_minor)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Every invoice and credit note of one debtor, with what remains on each.
    pub async fn invoice_facts(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<Vec<InvoiceFacts>> {
        invoice_facts_on(&mut *self.pool.acquire().await?, creditor_id, debtor_id).await
    }

    /// A debtor's invoices and payments, as the statement shows them, read on one connection:
    /// one trip through the pool instead of two (64 pages at once share a handful of
    /// connections, and each acquire is a wait and a wake-up).
    pub async fn statement_facts(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<(Vec<InvoiceFacts>, Vec<PaymentFacts>)> {
        let mut conn = self.pool.acquire().await?;
        let invoices = invoice_facts_on(&mut conn, creditor_id, debtor_id).await?;
        let payments = payments_on(&mut conn, creditor_id, debtor_id).await?;
        Ok((invoices, payments))
    }

    /// One invoice of one debtor, with its lines; `None` if it belongs to anyone else.
    pub async fn invoice_detail(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        invoice_id: &str,
    ) -> Result<Option<InvoiceDetail>> {
        let row = sqlx::query(&format!(
            "{FACTS_SELECT} WHERE i.creditor_id = $1 AND i.debtor_id = $2 AND i.id = $3"
        ))
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(invoice_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let (facts, tax, payment_reference, has_original_pdf) = facts_from_row(&row)?;
        let lines = sqlx::query(
            "SELECT description, quantity_milli, unit_price_minor, tax_rate_bp, total_minor \
             FROM invoice_lines WHERE invoice_id = $1 ORDER BY position",
        )
        .bind(invoice_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(LineRow {
                description: r.try_get("description")?,
                quantity_milli: r.try_get("quantity_milli")?,
                unit_price_minor: r.try_get("unit_price_minor")?,
                tax_rate_bp: r.try_get("tax_rate_bp")?,
                total_minor: r.try_get("total_minor")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        Ok(Some(InvoiceDetail {
            facts,
            tax,
            payment_reference,
            has_original_pdf,
            lines,
        }))
    }

    /// The creditor's original PDF of an invoice of this debtor, if one was imported.
    pub async fn original_pdf(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        invoice_id: &str,
    ) -> Result<Option<Vec<u8>>> {
        let row = sqlx::query(
            "SELECT original_pdf FROM invoices WHERE creditor_id = $1 AND debtor_id = $2 AND id = $3 AND original_pdf IS NOT NULL",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(invoice_id)
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            Some(r) => Some(r.try_get("original_pdf")?),
            None => None,
        })
    }

    pub async fn payments(&self, creditor_id: &str, debtor_id: &str) -> Result<Vec<PaymentFacts>> {
        payments_on(&mut *self.pool.acquire().await?, creditor_id, debtor_id).await
    }

    /// Records a payment and its allocation; an invoice fully settled becomes `paid`.
    pub async fn insert_payment(
        &self,
        creditor_id: &str,
        p: &NewPayment,
        now: i64,
    ) -> Result<String> {
        let id = new_id();
        let mut tx = self.begin().await?;
        let amount = Money::new(p.amount_minor, p.currency);
        insert_payment_row(
            &mut tx,
            &id,
            creditor_id,
            &p.debtor_id,
            p.received_on,
            amount,
            &p.method,
            &p.reference,
            p.external_id.as_deref(),
            now,
        )
        .await?;
        for (invoice_id, amount) in &p.allocations {
            allocate(
                &mut tx,
                creditor_id,
                invoice_id,
                Some(&id),
                None,
                *amount,
                now,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// Uses (part of) a credit note to settle (part of) an invoice of the same debtor.
    pub async fn apply_credit_note(
        &self,
        creditor_id: &str,
        credit_note_id: &str,
        invoice_id: &str,
        amount: i64,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        allocate(
            &mut tx,
            creditor_id,
            invoice_id,
            None,
            Some(credit_note_id),
            amount,
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// One row of `payments`; a second payment with the same processor id is `Duplicate`.
#[allow(clippy::too_many_arguments)]
pub(super) async fn insert_payment_row(
    tx: &mut Tx<'_>,
    id: &str,
    creditor_id: &str,
    debtor_id: &str,
    received_on: NaiveDate,
    amount: Money,
    method: &str,
    reference: &str,
    external_id: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO payments (id, creditor_id, debtor_id, received_on, currency, amount_minor, method, reference, \
         external_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(id)
    .bind(creditor_id)
    .bind(debtor_id)
    .bind(received_on.to_string())
    .bind(amount.currency.code())
    .bind(amount.minor)
    .bind(method)
    .bind(reference)
    .bind(external_id)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(map_unique)?;
    Ok(())
}

pub(super) async fn allocate(
    tx: &mut Tx<'_>,
    creditor_id: &str,
    invoice_id: &str,
    payment_id: Option<&str>,
    credit_note_id: Option<&str>,
    amount: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO allocations (id, creditor_id, invoice_id, payment_id, credit_note_id, amount_minor, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(new_id())
    .bind(creditor_id)
    .bind(invoice_id)
    .bind(payment_id)
    .bind(credit_note_id)
    .bind(amount)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    // An invoice with nothing left becomes paid (credit notes used up stay as they are).
    let sql = format!(
        "UPDATE invoices SET status = '{}' WHERE creditor_id = $1 AND id = $2 AND kind = 'invoice' \
         AND status IN ({}) AND amount_minor <= \
         CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.invoice_id = $3), 0) AS BIGINT)",
        Move::Settle.to().as_str(),
        status_list(Move::Settle.from())
    );
    sqlx::query(&sql)
        .bind(creditor_id)
        .bind(invoice_id)
        .bind(invoice_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn payments_on(
    conn: &mut sqlx::AnyConnection,
    creditor_id: &str,
    debtor_id: &str,
) -> Result<Vec<PaymentFacts>> {
    let rows = sqlx::query(
        "SELECT p.received_on, p.currency, p.amount_minor, p.method, p.reference, p.amount_minor \
           - CAST(COALESCE((SELECT SUM(a.amount_minor) FROM allocations a WHERE a.payment_id = p.id), 0) AS BIGINT) AS unallocated_minor \
         FROM payments p WHERE p.creditor_id = $1 AND p.debtor_id = $2 ORDER BY p.received_on DESC, p.created_at DESC",
    )
    .bind(creditor_id)
    .bind(debtor_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let code: String = r.try_get("currency")?;
            let currency = Currency::parse(&code).map_err(corrupt)?;
            Ok(PaymentFacts {
                received_on: date(&r.try_get::<String, _>("received_on")?)?,
                amount: Money::new(r.try_get("amount_minor")?, currency),
                method: r.try_get("method")?,
                reference: r.try_get("reference")?,
                unallocated: Money::new(r.try_get("unallocated_minor")?, currency),
            })
        })
        .collect()
}

async fn invoice_facts_on(
    conn: &mut sqlx::AnyConnection,
    creditor_id: &str,
    debtor_id: &str,
) -> Result<Vec<InvoiceFacts>> {
    let rows = sqlx::query(&format!(
        "{FACTS_SELECT} WHERE i.creditor_id = $1 AND i.debtor_id = $2"
    ))
    .bind(creditor_id)
    .bind(debtor_id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| facts_from_row(r).map(|f| f.0))
        .collect()
}
