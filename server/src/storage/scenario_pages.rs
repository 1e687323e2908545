//! What the reminder scenarios pages read beyond the run's queries: which debtors a segment's
//! simulation covers.

use super::{Result, Storage};
use app::domain::invoice::InvoiceStatus;
use sqlx::Row;

impl Storage {
    /// Up to `limit` debtors after `after` (by id) that have open invoices: id and segment.
    pub async fn debtors_with_open_invoices(
        &self,
        creditor_id: &str,
        after: &str,
        limit: i64,
    ) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(&format!(
            "SELECT d.id, d.segment FROM debtors d WHERE d.creditor_id = $1 AND d.id > $2 AND EXISTS \
             (SELECT 1 FROM invoices i WHERE i.creditor_id = d.creditor_id AND i.debtor_id = d.id \
             AND i.kind = 'invoice' AND i.status = '{}') ORDER BY d.id LIMIT $3",
            InvoiceStatus::Open.as_str()
        ))
        .bind(creditor_id)
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("id")?, r.try_get("segment")?)))
            .collect()
    }
}
