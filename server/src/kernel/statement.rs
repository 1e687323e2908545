//! A debtor's account as it stands: what every page, document and decision about them starts
//! from, and the creditor's brand as the debtor sees it.

use super::context::DebtorContext;
use super::state::AppState;
use crate::storage::{CreditorRow, DebtorRow};
use app::domain::statement::Statement;
use app::views::statement::BrandView;

pub struct LoadedStatement {
    pub creditor: CreditorRow,
    pub debtor: DebtorRow,
    pub statement: Statement,
}

/// The statement of the context's debtor, today where they are.
pub async fn load_statement(
    state: &AppState,
    ctx: DebtorContext,
) -> anyhow::Result<LoadedStatement> {
    let s = &state.storage;
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    let (invoices, payments) = s.statement_facts(c, d).await?;
    let statement = Statement::build(invoices, payments, state.today_in(ctx.debtor.timezone))?;
    Ok(LoadedStatement {
        creditor: ctx.creditor,
        debtor: ctx.debtor,
        statement,
    })
}

pub fn brand(c: &CreditorRow) -> BrandView {
    BrandView {
        name: c.name.clone(),
        logo_url: c.has_logo.then(|| format!("/brand/{}/logo", c.slug)),
        accent: c.accent_colour.clone(),
        contact_email: c.contact_email.clone(),
    }
}
