//! Bulk loading for the benchmark: many debtors and invoices, in multi-row inserts.

use super::{Result, Storage, new_id};

/// One invoice row for `bulk_insert`: (debtor id, number, issue date, due date, amount in minor units).
pub type BulkInvoice = (String, String, String, String, i64);

impl Storage {
    /// Inserts debtors (id, reference, name) with one contact each, in one transaction.
    pub async fn bulk_insert_debtors(
        &self,
        creditor_id: &str,
        debtors: &[(String, String, String)],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for chunk in debtors.chunks(100) {
            let mut sql = String::from(
                "INSERT INTO debtors (id, creditor_id, reference, name, address, identifiers, locale, timezone, created_at) VALUES ",
            );
            let mut contacts = String::from(
                "INSERT INTO debtor_contacts (id, creditor_id, debtor_id, name, email, email_lower) VALUES ",
            );
            for (i, _) in chunk.iter().enumerate() {
                let p = i * 5;
                sql.push_str(&format!(
                    "{}(${}, ${}, ${}, ${}, '', '', 'fr', 'Europe/Paris', ${})",
                    if i > 0 { "," } else { "" },
                    p + 1,
                    p + 2,
                    p + 3,
                    p + 4,
                    p + 5
                ));
                let q = i * 5;
                contacts.push_str(&format!(
                    "{}(${}, ${}, ${}, 'Comptabilité', ${}, ${})",
                    if i > 0 { "," } else { "" },
                    q + 1,
                    q + 2,
                    q + 3,
                    q + 4,
                    q + 5
                ));
            }
            let mut query = sqlx::query(&sql);
            let mut cq = sqlx::query(&contacts);
            for (id, reference, name) in chunk {
                query = query
                    .bind(id)
                    .bind(creditor_id)
                    .bind(reference)
                    .bind(name)
                    .bind(now);
                let email = format!("{}@bench.example", reference.to_lowercase());
                cq = cq
                    .bind(new_id())
                    .bind(creditor_id)
                    .bind(id)
                    .bind(email.clone())
                    .bind(email);
            }
            query.execute(&mut *tx).await?;
            cq.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Inserts open invoices without lines, in one transaction per call.
    pub async fn bulk_insert_invoices(
        &self,
        creditor_id: &str,
        rows: &[BulkInvoice],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        for chunk in rows.chunks(100) {
            let mut sql = String::from(
                "INSERT INTO invoices (id, creditor_id, debtor_id, number, kind, issue_date, due_date, currency, amount_minor, \
                 tax_minor, status, reminder_level, payment_reference, created_at) VALUES ",
            );
            for (i, _) in chunk.iter().enumerate() {
                let p = i * 8;
                sql.push_str(&format!(
                    "{}(${}, ${}, ${}, ${}, 'invoice', ${}, ${}, 'EUR', ${}, 0, 'open', 'first', ${}, {now})",
                    if i > 0 { "," } else { "" },
                    p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8
                ));
            }
            let mut q = sqlx::query(&sql);
            for (debtor_id, number, issue, due, amount) in chunk {
                q = q
                    .bind(new_id())
                    .bind(creditor_id)
                    .bind(debtor_id)
                    .bind(number)
                    .bind(issue)
                    .bind(due)
                    .bind(*amount)
                    .bind(number);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
