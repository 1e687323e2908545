//! The debtor's statement of account: the page (`view`) and its documents, the invoice and
//! statement PDFs and the creditor's logo (`documents`).

pub mod documents;

use crate::kernel::statement::{LoadedStatement, brand, load_statement};
use crate::kernel::{AppState, DebtorContext, internal};
use app::domain::invoice::DocumentKind;
use app::domain::late_charges::late_charges;
use app::domain::money::Money;
use app::error::AppError;
use app::views::statement::{ChargeLine, StatementView};

pub async fn view(state: &AppState, ctx: DebtorContext) -> Result<StatementView, AppError> {
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    let charges = claimed_charges(state, &loaded)
        .await
        .map_err(|e| internal(format!("{e:#}")))?;
    let mut charges_total: Vec<Money> = vec![];
    for m in charges.iter().flat_map(|c| [c.indemnity, c.interest]) {
        match charges_total.iter_mut().find(|t| t.currency == m.currency) {
            Some(t) => t.minor = t.minor.saturating_add(m.minor),
            None => charges_total.push(m),
        }
    }
    Ok(StatementView {
        brand: brand(&loaded.creditor),
        debtor_name: loaded.debtor.name,
        statement: loaded.statement,
        charges,
        charges_total,
    })
}

/// The late charges of each open invoice a formal notice was sent for, on the statement's
/// day, by the same domain rule as the notice: none for consumers or when the creditor waived
/// them. Shown apart, never added to what the debtor owes.
async fn claimed_charges(
    state: &AppState,
    loaded: &LoadedStatement,
) -> anyhow::Result<Vec<ChargeLine>> {
    let (c, d) = (&loaded.creditor.id, &loaded.debtor.id);
    let Some(profile) = state.storage.reminder_profile(c, d).await? else {
        return Ok(vec![]);
    };
    if !profile.business || profile.charges_waived {
        return Ok(vec![]);
    }
    let noticed = state.storage.formal_notice_invoices(c, d).await?;
    if noticed.is_empty() {
        return Ok(vec![]);
    }
    let terms = state.storage.reminder_settings(c).await?.terms;
    let mut out = vec![];
    for item in &loaded.statement.items {
        let i = &item.invoice;
        if i.kind != DocumentKind::Invoice || !noticed.contains(&i.id) {
            continue;
        }
        let as_of = loaded.statement.as_of;
        match late_charges(
            &terms,
            true,
            false,
            i.amount,
            i.remaining,
            i.due_date,
            as_of,
        ) {
            Ok(Some(charge)) => out.push(ChargeLine {
                number: i.number.clone(),
                indemnity: charge.indemnity,
                interest: charge.interest,
            }),
            Ok(None) => {}
            // A half-year without a rate: nothing shown rather than a wrong amount.
            Err(e) => tracing::warn!(creditor = %c, error = %e, "late charges not computed"),
        }
    }
    Ok(out)
}
