//! Paying from the portal. The amount and the invoices always come from the database
//! (`plan`); card payments go through the creditor's own Stripe account (`card`) and are
//! recorded exactly once, whichever of the browser's return, the webhook or the reconcile
//! job sees the success first; transfers carry a reference for exactly this payment
//! (`transfer`); saved cards pay a schedule's instalments on their dates (`instalments`).

pub mod card;
pub mod instalments;
pub mod receipt;
pub mod routes;
pub mod settings;
pub mod transfer;
pub mod webhook;

use crate::kernel::statement::brand;
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::PaymentSettingsRow;
use app::domain::invoice::DocumentKind;
use app::domain::locale::Lang;
use app::domain::money::{Currency, Money};
use app::domain::payment::{
    PayError, PaySelection, PayableInvoice, PaymentPlan, parse_amount_input, plan_payment,
};
use app::domain::statement::Statement;
use app::error::AppError;
use app::views::payment::{PayRequest, PayView};

/// Without settings a creditor still shows its statement; the smallest typed amount is then 1.00.
const DEFAULT_MINIMUM_MINOR: i64 = 100;

/// What the debtor can pay and what their request would settle.
pub struct Planned {
    pub currency: Currency,
    pub payable: Vec<PayableInvoice>,
    pub minimum: Money,
    pub plan: Result<PaymentPlan, PayError>,
    /// Other currencies the debtor owes in (paid separately).
    pub other_currencies: Vec<Currency>,
    /// How the creditor is paid, if it said.
    pub settings: Option<PaymentSettingsRow>,
}

/// Works out a payment from what the debtor asked, against the database as it is now. The
/// open items and credits are the statement's own (`Statement::build`), so the pay page and
/// the statement never disagree.
pub async fn plan(
    state: &AppState,
    ctx: &DebtorContext,
    req: &PayRequest,
) -> Result<Planned, AppError> {
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    let s = &state.storage;
    let ((facts, payments), settings) =
        tokio::try_join!(s.statement_facts(c, d), s.payment_settings(c)).map_err(internal)?;
    let statement =
        Statement::build(facts, payments, state.today_in(ctx.debtor.timezone)).map_err(internal)?;
    // An instalment pays that schedule's invoices only, so it counts towards the schedule.
    let only: Option<Vec<String>> = if req.schedule.is_empty() {
        None
    } else {
        let id = uuid::Uuid::parse_str(&req.schedule)
            .map_err(|_| AppError::NotFound)?
            .to_string();
        let s = s
            .schedule(c, Some(d), &id)
            .await
            .map_err(internal)?
            .ok_or(AppError::NotFound)?;
        Some(s.invoices.into_iter().map(|(id, _, _)| id).collect())
    };
    // Oldest due first, as the statement lists them. Invoices in a schedule may be paid too
    // (an instalment, or paying the schedule off early); disputed ones may not.
    let payable_items: Vec<_> = statement
        .items
        .iter()
        .map(|i| &i.invoice)
        .filter(|f| f.kind == DocumentKind::Invoice && f.status.is_payable())
        .filter(|f| only.as_ref().is_none_or(|ids| ids.contains(&f.id)))
        .collect();
    // Currencies with something to pay, the one of the oldest due invoice first.
    let mut currencies: Vec<Currency> = Vec::new();
    for f in &payable_items {
        if !currencies.contains(&f.amount.currency) {
            currencies.push(f.amount.currency);
        }
    }
    let currency = Currency::parse(&req.currency)
        .ok()
        .or_else(|| currencies.first().copied())
        .unwrap_or(Currency::Eur);
    let payable: Vec<PayableInvoice> = payable_items
        .iter()
        .filter(|f| f.amount.currency == currency)
        .map(|f| PayableInvoice {
            id: f.id.clone(),
            number: f.number.clone(),
            due_date: f.due_date,
            remaining: f.remaining,
        })
        .collect();
    let credits = statement
        .totals
        .iter()
        .find(|t| t.currency == currency)
        .map_or(Money::zero(currency), |t| t.credits);
    let minimum = Money::new(
        settings
            .as_ref()
            .map_or(DEFAULT_MINIMUM_MINOR, |s| s.min_payment_minor),
        currency,
    );
    let selection = match req.mode.as_str() {
        "invoices" => Ok(PaySelection::Invoices(req.invoices.clone())),
        "amount" => parse_amount_input(&req.amount, currency).map(PaySelection::Amount),
        _ => Ok(PaySelection::All),
    };
    let plan = selection.and_then(|sel| plan_payment(&payable, credits, &sel, minimum));
    let other_currencies = currencies.into_iter().filter(|c| *c != currency).collect();
    Ok(Planned {
        currency,
        payable,
        minimum,
        plan,
        other_currencies,
        settings,
    })
}

/// The pay page: what the debtor's request settles, and how to pay it by transfer or card.
pub async fn view(
    state: &AppState,
    ctx: &DebtorContext,
    request: PayRequest,
    lang: Lang,
) -> Result<PayView, AppError> {
    let planned = plan(state, ctx, &request).await?;
    let (mut transfer, mut card) = (None, None);
    if let (Some(settings), Ok(plan)) = (&planned.settings, &planned.plan) {
        transfer = transfer::transfer_view(state, ctx, settings, plan, lang).await?;
        card = card::card_view(state, settings);
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
