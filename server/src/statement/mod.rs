//! The debtor's statement of account: the page (`view`) and its documents, the invoice and
//! statement PDFs and the creditor's logo (`documents`).

pub mod documents;

use crate::kernel::statement::{brand, load_statement};
use crate::kernel::{AppState, DebtorContext, internal};
use app::error::AppError;
use app::views::statement::StatementView;

pub async fn view(state: &AppState, ctx: DebtorContext) -> Result<StatementView, AppError> {
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    Ok(StatementView {
        brand: brand(&loaded.creditor),
        debtor_name: loaded.debtor.name,
        statement: loaded.statement,
    })
}
