//! The portal service the pages call (app::ports::Portal), and the statement loading shared
//! with the PDF routes.

use crate::jobs::now;
use crate::links::sha256_hex;
use crate::state::AppState;
use crate::storage::{CreditorRow, DebtorRow};
use app::domain::statement::Statement;
use app::error::AppError;
use app::views::payment::{PayRequest, PayView, ReceiptView};
use app::views::statement::{BrandView, StatementView};
use chrono::{DateTime, NaiveDate, Utc};

pub struct PortalService {
    pub state: AppState,
}

/// Logs the detail, tells the client nothing.
pub fn internal(e: impl std::fmt::Display) -> AppError {
    tracing::error!(error = %e, "internal error");
    AppError::Internal
}

/// Who a live session belongs to.
pub struct DebtorContext {
    pub creditor: CreditorRow,
    pub debtor: DebtorRow,
}

/// The debtor's session behind a cookie value, with its creditor and debtor, if it is live.
pub async fn session(state: &AppState, token: &str) -> Result<DebtorContext, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::Unauthorized);
    }
    let (creditor, debtor) = state
        .storage
        .session_context(&sha256_hex(token), now())
        .await
        .map_err(internal)?
        .ok_or(AppError::Unauthorized)?;
    Ok(DebtorContext { creditor, debtor })
}

/// "Today" where the debtor is: due dates fall due at the debtor's midnight, not the server's.
pub fn today_in(timezone: &str, now: DateTime<Utc>) -> NaiveDate {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
    now.with_timezone(&tz).date_naive()
}

pub struct LoadedStatement {
    pub creditor: CreditorRow,
    pub debtor: DebtorRow,
    pub statement: Statement,
}

/// Everything the statement page and PDF show, for the debtor of a session.
pub async fn load_statement(
    state: &AppState,
    ctx: DebtorContext,
) -> anyhow::Result<LoadedStatement> {
    let s = &state.storage;
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    // Two independent reads on two pooled connections.
    let (invoices, payments) = tokio::try_join!(s.invoice_facts(c, d), s.payments(c, d))?;
    let today = today_in(&ctx.debtor.timezone, Utc::now());
    let statement = Statement::build(invoices, payments, today)?;
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

/// What the receipt page shows; the balance is the debtor's balance now (from `statement`),
/// in the payment's currency.
pub fn receipt_view(
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    r: &crate::storage::ReceiptData,
    statement: &Statement,
) -> ReceiptView {
    let balance_after = statement
        .totals
        .iter()
        .find(|t| t.currency == r.amount.currency)
        .map(|t| t.balance)
        .unwrap_or(app::domain::money::Money::zero(r.amount.currency));
    ReceiptView {
        brand: brand(creditor),
        debtor_name: debtor.name.clone(),
        payment_id: r.payment_id.clone(),
        received_on: r.received_on,
        amount: r.amount,
        method: r.method.clone(),
        reference: r.reference.clone(),
        lines: r.lines.clone(),
        credit: r.credit,
        balance_after,
    }
}

#[async_trait::async_trait]
impl app::ports::Portal for PortalService {
    async fn statement(&self, session_token: &str) -> Result<StatementView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        let loaded = load_statement(&self.state, ctx).await.map_err(internal)?;
        Ok(StatementView {
            brand: brand(&loaded.creditor),
            debtor_name: loaded.debtor.name,
            statement: loaded.statement,
        })
    }

    async fn payment(&self, session_token: &str, request: PayRequest) -> Result<PayView, AppError> {
        let state = &self.state;
        let ctx = session(state, session_token).await?;
        let lang = app::ports::request_lang();
        let planned = crate::payments::plan(state, &ctx, &request).await?;
        let (mut transfer, mut card) = (None, None);
        if let (Some(settings), Ok(plan)) = (&planned.settings, &planned.plan) {
            transfer = crate::payments::transfer_view(state, &ctx, settings, plan, lang).await?;
            card = crate::payments::card_view(state, settings);
        }
        Ok(PayView {
            brand: brand(&ctx.creditor),
            request,
            payable: planned.payable,
            minimum: planned.minimum,
            plan: planned.plan,
            other_currencies: planned.other_currencies,
            transfer,
            card,
        })
    }

    async fn receipt(
        &self,
        session_token: &str,
        payment_id: &str,
    ) -> Result<ReceiptView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        if uuid::Uuid::parse_str(payment_id).is_err() {
            return Err(AppError::NotFound);
        }
        let r = self
            .state
            .storage
            .receipt(&ctx.creditor.id, Some(&ctx.debtor.id), payment_id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        let loaded = load_statement(&self.state, ctx).await.map_err(internal)?;
        Ok(receipt_view(
            &loaded.creditor,
            &loaded.debtor,
            &r,
            &loaded.statement,
        ))
    }

    async fn schedule(
        &self,
        session_token: &str,
    ) -> Result<app::views::schedule::ScheduleView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        // What the debtor typed, when the schedule form's handler sent them back.
        let returned = app::ports::request_cookie(app::ports::FLASH_COOKIE)
            .and_then(|v| crate::web::schedule_routes::input_from_flash(&v));
        crate::schedules::view(&self.state, ctx, returned).await
    }

    async fn promise(
        &self,
        session_token: &str,
    ) -> Result<app::views::promise::PromiseView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        crate::promises::view(&self.state, ctx).await
    }

    async fn agent_debtors(
        &self,
        agent_token: &str,
        search: &str,
        sort: &str,
    ) -> Result<app::views::agent::AgentHomeView, AppError> {
        use app::domain::money::{Currency, Money};
        use app::views::agent::{AgentHomeView, DebtorLine};
        let state = &self.state;
        let agent = crate::agents::session(state, agent_token)
            .await
            .map_err(internal)?
            .ok_or(AppError::Unauthorized)?;
        let creditor = state
            .storage
            .creditor(&agent.creditor_id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Unauthorized)?;
        let search: String = search.chars().take(100).collect();
        let rows = state
            .storage
            .debtor_summaries(&creditor.id, &search)
            .await
            .map_err(internal)?;
        let mut debtors: Vec<DebtorLine> = rows
            .into_iter()
            .map(|r| DebtorLine {
                id: r.id,
                reference: r.reference,
                name: r.name,
                balances: r
                    .balances
                    .iter()
                    .filter_map(|(c, m)| Currency::parse(c).ok().map(|c| Money::new(*m, c)))
                    .collect(),
                oldest_due: r
                    .oldest_due
                    .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()),
            })
            .collect();
        let sort = if sort == "oldest" {
            "oldest"
        } else {
            "balance"
        };
        if sort == "oldest" {
            // Oldest due first; debtors with nothing due last.
            debtors.sort_by(|a, b| {
                (a.oldest_due.is_none(), a.oldest_due, &a.name).cmp(&(
                    b.oldest_due.is_none(),
                    b.oldest_due,
                    &b.name,
                ))
            });
        } else {
            let key = |d: &DebtorLine| d.balances.iter().map(|m| m.minor).max().unwrap_or(0);
            debtors.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name)));
        }
        Ok(AgentHomeView {
            brand: brand(&creditor),
            agent_name: agent.name,
            role: agent.role,
            search,
            sort: sort.into(),
            debtors,
        })
    }

    async fn agent_queue(
        &self,
        agent_token: &str,
    ) -> Result<app::views::agent::QueueView, AppError> {
        crate::back_office::queue(&self.state, agent_token).await
    }

    async fn agent_debtor(
        &self,
        agent_token: &str,
        debtor_id: &str,
    ) -> Result<app::views::agent::AgentDebtorView, AppError> {
        crate::back_office::debtor_page(&self.state, agent_token, debtor_id).await
    }

    async fn agent_rules(
        &self,
        agent_token: &str,
    ) -> Result<app::views::agent::RulesView, AppError> {
        crate::back_office::rules_page(&self.state, agent_token).await
    }

    async fn disputes(
        &self,
        session_token: &str,
    ) -> Result<app::views::dispute::DisputesView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        crate::disputes::list_view(&self.state, ctx).await
    }

    async fn dispute(
        &self,
        session_token: &str,
        id: &str,
    ) -> Result<app::views::dispute::DisputeView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        crate::disputes::one_view(&self.state, ctx, id).await
    }

    async fn messages(
        &self,
        session_token: &str,
    ) -> Result<app::views::message::MessagesView, AppError> {
        let ctx = session(&self.state, session_token).await?;
        crate::messages::view(&self.state, ctx).await
    }

    async fn agent_dispute(
        &self,
        agent_token: &str,
        id: &str,
    ) -> Result<app::views::dispute::AgentDisputeView, AppError> {
        crate::disputes::agent_view(&self.state, agent_token, id).await
    }

    fn payment_origins(&self) -> String {
        self.state.config.payment_origins()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_depends_on_the_debtors_time_zone() {
        // 23:30 UTC on 31 January: already 1 February in Paris and Auckland, still 31 January in New York.
        let t = DateTime::parse_from_rfc3339("2026-01-31T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(today_in("Europe/Paris", t).to_string(), "2026-02-01");
        assert_eq!(today_in("Pacific/Auckland", t).to_string(), "2026-02-01");
        assert_eq!(today_in("America/New_York", t).to_string(), "2026-01-31");
        // Unknown zones fall back to Paris rather than failing the page.
        assert_eq!(today_in("Mars/Olympus", t).to_string(), "2026-02-01");
    }
}
