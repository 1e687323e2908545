//! Paying from the portal. The amount and the invoices always come from the database
//! (`plan`); card payments go through the creditor's own Stripe account (`stripe`) and are
//! recorded exactly once, whichever of the browser's return, the webhook or the reconcile
//! job sees the success first.

pub mod stripe;
pub mod webhook;

use crate::jobs::now;
use crate::portal::{DebtorContext, internal, today_in};
use crate::state::AppState;
use crate::storage::{
    Attachment, AttemptRow, NewAttempt, NewMail, PaymentSettingsRow, RecordedPayment, SETUP_PENDING,
};
use app::domain::epc_qr::EpcTransfer;
use app::domain::iban::{Bic, Iban};
use app::domain::invoice::{DocumentKind, InvoiceStatus};
use app::domain::locale::{Lang, format_money};
use app::domain::money::{Currency, Money};
use app::domain::payment::{
    PayError, PaySelection, PayableInvoice, PaymentPlan, parse_amount_input, plan_payment,
};
use app::domain::rf::RfReference;
use app::domain::statement::Statement;
use app::error::AppError;
use app::views::payment::{CardView, PayRequest, TransferView};
use chrono::Utc;
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use stripe::{ChargeOutcome, GatewayError, StripeAccount};

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
    let (facts, payments, settings) = tokio::try_join!(
        s.invoice_facts(c, d),
        s.payments(c, d),
        s.payment_settings(c)
    )
    .map_err(internal)?;
    let statement = Statement::build(facts, payments, today_in(&ctx.debtor.timezone, Utc::now()))
        .map_err(internal)?;
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
        .filter(|f| {
            f.kind == DocumentKind::Invoice
                && matches!(
                    f.status,
                    InvoiceStatus::Open | InvoiceStatus::Promised | InvoiceStatus::Scheduled
                )
        })
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

/// IBAN, BIC, an ISO 11649 reference for exactly this payment, and the EPC QR code when in euros.
pub async fn transfer_view(
    state: &AppState,
    ctx: &DebtorContext,
    settings: &PaymentSettingsRow,
    plan: &PaymentPlan,
    lang: Lang,
) -> Result<Option<TransferView>, AppError> {
    let Some(iban) = settings.iban.as_deref().and_then(|i| Iban::parse(i).ok()) else {
        return Ok(None);
    };
    let bic = settings.bic.as_deref().and_then(|b| Bic::parse(b).ok());
    let invoice_ids: Vec<String> = plan.lines.iter().map(|l| l.invoice_id.clone()).collect();
    let reference = transfer_reference(&ctx.creditor.id, &ctx.debtor.id, plan.amount, &invoice_ids);
    state
        .storage
        .remember_transfer_reference(
            &ctx.creditor.id,
            &ctx.debtor.id,
            reference.as_str(),
            plan.amount,
            &invoice_ids,
            now(),
        )
        .await
        .map_err(internal)?;
    let qr_svg = if plan.amount.currency == Currency::Eur {
        let epc = EpcTransfer {
            bic: bic.clone(),
            name: settings.beneficiary_name.clone(),
            iban: iban.clone(),
            amount: plan.amount,
            reference: Some(reference.clone()),
            text: None,
        };
        match epc.payload() {
            Ok(payload) => {
                Some(crate::qr::svg(&payload, app::i18n::QR_LABEL.get(lang)).map_err(internal)?)
            }
            Err(e) => {
                tracing::warn!(error = %e, creditor = %ctx.creditor.id, "no EPC QR code for this transfer");
                None
            }
        }
    } else {
        None
    };
    Ok(Some(TransferView {
        beneficiary: settings.beneficiary_name.clone(),
        iban: iban.printed(),
        bic: bic.map(|b| b.to_string()),
        reference: reference.printed(),
        amount: plan.amount,
        qr_svg,
    }))
}

/// The same debtor, amount and invoices always give the same reference, so a page shown
/// twice does not multiply references; 20 digits of a hash keep it unguessable.
pub fn transfer_reference(
    creditor_id: &str,
    debtor_id: &str,
    amount: Money,
    invoice_ids: &[String],
) -> RfReference {
    let mut h = Sha256::new();
    for part in [
        creditor_id,
        debtor_id,
        amount.currency.code(),
        &amount.minor.to_string(),
    ] {
        h.update(part.as_bytes());
        h.update([0]);
    }
    for id in invoice_ids {
        h.update(id.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    let mut n = u128::from_be_bytes(digest[..16].try_into().expect("16 bytes"));
    let mut body = String::new();
    // Digits only: read aloud or typed into a banking app, O/0 and I/1 cannot be confused.
    for _ in 0..20 {
        body.push(char::from_digit((n % 10) as u32, 10).expect("digit below 10"));
        n /= 10;
    }
    RfReference::from_body(&body).expect("20 digits make a valid RF body")
}

/// The creditor's Stripe account, if it has one configured.
pub async fn stripe_account(
    state: &AppState,
    settings: &PaymentSettingsRow,
) -> Result<Option<StripeAccount>, AppError> {
    let (Some(_), Some(sealed)) = (
        &settings.stripe_publishable_key,
        &settings.stripe_secret_key_sealed,
    ) else {
        return Ok(None);
    };
    let key = state
        .sealer
        .open(&secret_key_context(&settings.creditor_id), sealed)
        .map_err(internal)?;
    StripeAccount::new(&key, state.config.stripe_api_url.as_deref())
        .map(Some)
        .map_err(internal)
}

pub fn secret_key_context(creditor_id: &str) -> String {
    format!("stripe_secret_key:{creditor_id}")
}

pub fn webhook_secret_context(creditor_id: &str) -> String {
    format!("stripe_webhook_secret:{creditor_id}")
}

pub fn card_view(state: &AppState, settings: &PaymentSettingsRow) -> Option<CardView> {
    settings.stripe_secret_key_sealed.as_ref()?;
    Some(CardView {
        publishable_key: settings.stripe_publishable_key.clone()?,
        stripe_js_url: state.config.stripe_js_url.clone(),
        attempt_id: uuid::Uuid::new_v4().to_string(),
    })
}

/// What the browser's card script hears back.
#[derive(Debug, Clone, serde::Serialize, PartialEq, Eq)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CardStep {
    /// Confirm the card with Stripe.js using this SetupIntent secret.
    Setup { client_secret: String },
    /// The bank wants 3-D Secure: finish it with Stripe.js, then ask again.
    RequiresAction { client_secret: String },
    /// Paid: show the receipt.
    Succeeded { receipt_url: String },
    /// Not paid; the message says why and what to do. `retry`: start again with a new attempt.
    Failed { message: String, retry: bool },
    /// The bank has not answered yet: ask again shortly.
    Processing { message: String },
}

/// Starts (or, for a double-click, resumes) a card attempt for what the debtor asked.
pub async fn start_card(
    state: &AppState,
    ctx: &DebtorContext,
    attempt_id: &str,
    req: &PayRequest,
    lang: Lang,
) -> Result<CardStep, AppError> {
    if uuid::Uuid::parse_str(attempt_id).is_err() {
        return Err(AppError::Validation("attempt id".into()));
    }
    let planned = plan(state, ctx, req).await?;
    let settings = planned.settings.as_ref().ok_or(AppError::NotFound)?;
    let account = stripe_account(state, settings)
        .await?
        .ok_or(AppError::NotFound)?;
    let plan = planned
        .plan
        .map_err(|e| AppError::Validation(app::i18n::pay_error(lang, &e)))?;
    // Saving the card is for a running schedule's instalments only, and only when asked.
    let save_for_schedule =
        (req.save_card && !req.schedule.is_empty()).then(|| req.schedule.clone());
    let new = NewAttempt {
        id: attempt_id.to_string(),
        creditor_id: ctx.creditor.id.clone(),
        debtor_id: ctx.debtor.id.clone(),
        amount: plan.amount,
        invoice_ids: plan.lines.iter().map(|l| l.invoice_id.clone()).collect(),
        save_for_schedule,
        automatic: false,
    };
    let attempt = state
        .storage
        .start_attempt(&new, now())
        .await
        .map_err(internal)?
        .ok_or_else(|| AppError::Conflict("attempt".into()))?;
    if attempt.amount != new.amount || attempt.invoice_ids != new.invoice_ids {
        return Err(AppError::Conflict(
            app::i18n::SOMETHING_WRONG.get(lang).into(),
        ));
    }
    match attempt.state.as_str() {
        "setup" => {}
        _ => return charge_card(state, ctx, attempt_id, lang).await,
    }
    let customer = match customer(state, &account, ctx).await {
        Ok(c) => c,
        Err(e) => return Ok(gateway_failure(e, lang)),
    };
    match setup_secret(state, &account, &attempt, &ctx.creditor.id, &customer).await {
        Ok(client_secret) => Ok(CardStep::Setup { client_secret }),
        Err(e) => Ok(gateway_failure(e, lang)),
    }
}

/// Our own database failing while we talk to Stripe: reported like a refusal (nothing charged).
impl From<crate::storage::StorageError> for GatewayError {
    fn from(e: crate::storage::StorageError) -> Self {
        GatewayError::Refused(format!("storage: {e}"))
    }
}

/// The debtor's Stripe Customer in the creditor's account, made the first time it is needed.
async fn customer(
    state: &AppState,
    account: &StripeAccount,
    ctx: &DebtorContext,
) -> Result<String, GatewayError> {
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    if let Some(id) = state.storage.stripe_customer(c, d).await? {
        return Ok(id);
    }
    let made = account.create_customer(d, &ctx.debtor.name).await?;
    Ok(state
        .storage
        .remember_stripe_customer(c, d, &made, now())
        .await?)
}

/// The attempt's SetupIntent secret, creating the SetupIntent once even when two requests of
/// a double-click arrive together (the one that claims it creates it; the other waits).
async fn setup_secret(
    state: &AppState,
    account: &StripeAccount,
    attempt: &AttemptRow,
    creditor_id: &str,
    customer: &str,
) -> Result<String, GatewayError> {
    for _ in 0..60 {
        let current = state
            .storage
            .attempt(creditor_id, &attempt.debtor_id, &attempt.id)
            .await?;
        match current.and_then(|a| a.setup_intent_id) {
            Some(id) if id != SETUP_PENDING => return account.setup_intent_secret(&id).await,
            Some(_) => tokio::time::sleep(std::time::Duration::from_millis(250)).await,
            None => {
                if !state.storage.claim_setup_intent(&attempt.id, now()).await? {
                    continue;
                }
                let made = account
                    .create_setup_intent(
                        &attempt.id,
                        creditor_id,
                        customer,
                        attempt.save_for_schedule.is_some(),
                    )
                    .await;
                let id = made.as_ref().ok().map(|(id, _)| id.as_str());
                state
                    .storage
                    .set_attempt_setup_intent(&attempt.id, id, now())
                    .await?;
                return made.map(|(_, secret)| secret);
            }
        }
    }
    Err(GatewayError::Unreachable(
        "the card form is still being prepared".into(),
    ))
}

/// After Stripe.js confirmed the card (or passed 3-D Secure): charge, or find out how the
/// charge went. Only one request at a time may create the PaymentIntent for an attempt.
pub async fn charge_card(
    state: &AppState,
    ctx: &DebtorContext,
    attempt_id: &str,
    lang: Lang,
) -> Result<CardStep, AppError> {
    let attempt = state
        .storage
        .attempt(&ctx.creditor.id, &ctx.debtor.id, attempt_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let settings = state
        .storage
        .payment_settings(&ctx.creditor.id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let account = stripe_account(state, &settings)
        .await?
        .ok_or(AppError::NotFound)?;
    match attempt.state.as_str() {
        "succeeded" => Ok(succeeded_step(&attempt)),
        "failed" => Ok(CardStep::Failed {
            message: app::i18n::card_failure(lang, attempt.failure_code.as_deref().unwrap_or(""))
                .into(),
            retry: true,
        }),
        "requires_action" | "charging" => match &attempt.payment_intent_id {
            Some(pi) => match account.payment_intent(pi).await {
                Ok(outcome) => settle(state, &attempt, outcome, lang).await,
                Err(e) => Ok(gateway_failure(e, lang)),
            },
            // Another request is creating the PaymentIntent right now (a double-click).
            None => Ok(CardStep::Processing {
                message: app::i18n::card_failure(lang, "processing").into(),
            }),
        },
        _ => {
            let Some(seti) = attempt
                .setup_intent_id
                .as_deref()
                .filter(|s| *s != SETUP_PENDING)
            else {
                return Err(AppError::Conflict("not started".into()));
            };
            let payment_method = match account.confirmed_payment_method(seti).await {
                Ok(Ok(pm)) => pm,
                // Stripe refused the card, or the bank check failed, before any charge.
                Ok(Err(code)) => {
                    return settle(
                        state,
                        &attempt,
                        ChargeOutcome::Failed {
                            payment_intent: None,
                            code,
                        },
                        lang,
                    )
                    .await;
                }
                Err(e) => return Ok(gateway_failure(e, lang)),
            };
            let customer = match customer(state, &account, ctx).await {
                Ok(c) => c,
                Err(e) => return Ok(gateway_failure(e, lang)),
            };
            if !state
                .storage
                .move_attempt(&attempt.id, &["setup"], "charging", None, None, now())
                .await
                .map_err(internal)?
            {
                return Ok(CardStep::Processing {
                    message: app::i18n::card_failure(lang, "processing").into(),
                });
            }
            let metadata = HashMap::from([
                ("creditor".to_string(), attempt.creditor_id.clone()),
                ("debtor".to_string(), attempt.debtor_id.clone()),
                ("attempt".to_string(), attempt.id.clone()),
                (
                    "invoices".to_string(),
                    attempt.invoice_ids.join(" ").chars().take(500).collect(),
                ),
            ]);
            let res = account
                .charge(
                    &attempt.id,
                    &customer,
                    &payment_method,
                    attempt.amount.minor,
                    attempt.amount.currency.code(),
                    metadata,
                    false,
                )
                .await;
            match res {
                Ok(outcome) => {
                    let step = settle(state, &attempt, outcome, lang).await?;
                    if let (CardStep::Succeeded { .. }, Some(schedule_id)) =
                        (&step, &attempt.save_for_schedule)
                    {
                        save_card(state, ctx, schedule_id, &payment_method).await;
                    }
                    Ok(step)
                }
                Err(e) => {
                    // Nothing is known to be charged: let the debtor try again. The idempotency
                    // key makes a retry return the same PaymentIntent if this one did exist.
                    state
                        .storage
                        .move_attempt(&attempt.id, &["charging"], "setup", None, None, now())
                        .await
                        .map_err(internal)?;
                    Ok(gateway_failure(e, lang))
                }
            }
        }
    }
}

/// Keeps the card that just paid an instalment for the schedule's next ones. The payment
/// stands whatever happens here; a card not saved only means the next instalment is paid by hand.
async fn save_card(state: &AppState, ctx: &DebtorContext, schedule_id: &str, payment_method: &str) {
    let saved = async {
        let s = state
            .storage
            .schedule(&ctx.creditor.id, Some(&ctx.debtor.id), schedule_id)
            .await?;
        match s.filter(|s| s.status == crate::storage::ScheduleStatus::Accepted) {
            Some(s) => {
                state
                    .storage
                    .save_schedule_card(&s, payment_method, now())
                    .await
            }
            None => Ok(()),
        }
    }
    .await;
    if let Err(e) = saved {
        tracing::error!(schedule = %schedule_id, error = %e, "saving the card for a schedule");
    }
}

/// Charges a schedule's instalment to the card the debtor saved, off-session: a new attempt
/// with the amount due, recorded like any card payment (receipt mail included). Returns the
/// outcome; `None` when there is no card processor or Stripe could not be reached (the
/// instalment is then paid by hand).
pub async fn charge_saved_card(
    state: &AppState,
    creditor: &crate::storage::CreditorRow,
    debtor: &crate::storage::DebtorRow,
    schedule: &crate::storage::ScheduleRow,
    attempt_id: &str,
    amount: Money,
) -> Result<Option<ChargeOutcome>, AppError> {
    let Some(payment_method) = schedule.card_payment_method.as_deref() else {
        return Ok(None);
    };
    let Some(settings) = state
        .storage
        .payment_settings(&creditor.id)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let Some(account) = stripe_account(state, &settings).await? else {
        return Ok(None);
    };
    let ctx = DebtorContext {
        creditor: creditor.clone(),
        debtor: debtor.clone(),
    };
    let customer = match customer(state, &account, &ctx).await {
        Ok(c) => c,
        Err(e) => {
            tracing::error!(error = %e, "automatic instalment charge: no customer");
            return Ok(None);
        }
    };
    let new = NewAttempt {
        id: attempt_id.to_string(),
        creditor_id: creditor.id.clone(),
        debtor_id: debtor.id.clone(),
        amount,
        invoice_ids: schedule
            .invoices
            .iter()
            .map(|(id, _, _)| id.clone())
            .collect(),
        save_for_schedule: None,
        automatic: true,
    };
    let attempt = state
        .storage
        .start_attempt(&new, now())
        .await
        .map_err(internal)?
        .ok_or(AppError::Conflict("attempt".into()))?;
    if !state
        .storage
        .move_attempt(&attempt.id, &["setup"], "charging", None, None, now())
        .await
        .map_err(internal)?
    {
        return Ok(None);
    }
    let metadata = HashMap::from([
        ("creditor".to_string(), attempt.creditor_id.clone()),
        ("debtor".to_string(), attempt.debtor_id.clone()),
        ("attempt".to_string(), attempt.id.clone()),
        ("schedule".to_string(), schedule.id.clone()),
    ]);
    let outcome = match account
        .charge(
            &attempt.id,
            &customer,
            payment_method,
            amount.minor,
            amount.currency.code(),
            metadata,
            true,
        )
        .await
    {
        Ok(o) => o,
        Err(e) => {
            tracing::error!(error = %e, "automatic instalment charge: Stripe unreachable");
            state
                .storage
                .move_attempt(
                    &attempt.id,
                    &["charging"],
                    "failed",
                    None,
                    Some("unreachable"),
                    now(),
                )
                .await
                .map_err(internal)?;
            return Ok(Some(ChargeOutcome::Failed {
                payment_intent: None,
                code: "unreachable".into(),
            }));
        }
    };
    // Off-session, the bank cannot ask the debtor to authenticate: that is a failure here.
    let outcome = match outcome {
        ChargeOutcome::RequiresAction { payment_intent, .. } => ChargeOutcome::Failed {
            payment_intent: Some(payment_intent),
            code: "authentication_required".into(),
        },
        o => o,
    };
    settle(
        state,
        &attempt,
        outcome.clone(),
        Lang::parse(&debtor.locale).unwrap_or_default(),
    )
    .await?;
    Ok(Some(outcome))
}

fn succeeded_step(attempt: &AttemptRow) -> CardStep {
    CardStep::Succeeded {
        receipt_url: format!(
            "/pay/receipts/{}",
            attempt.payment_id.clone().unwrap_or_default()
        ),
    }
}

fn gateway_failure(e: GatewayError, lang: Lang) -> CardStep {
    tracing::error!(error = %e, "card payment service");
    CardStep::Failed {
        message: app::i18n::card_failure(lang, "unreachable").into(),
        retry: true,
    }
}

/// Acts on what Stripe says about an attempt's PaymentIntent. Shared by the browser's
/// return, the webhook and the reconcile job; recording is idempotent.
pub async fn settle(
    state: &AppState,
    attempt: &AttemptRow,
    outcome: ChargeOutcome,
    lang: Lang,
) -> Result<CardStep, AppError> {
    let t = now();
    match outcome {
        ChargeOutcome::Succeeded {
            payment_intent,
            amount_received,
            currency,
        } => {
            let currency = Currency::parse(&currency).map_err(internal)?;
            let mut attempt = attempt.clone();
            let payment_id = record(
                state,
                &attempt,
                &payment_intent,
                Money::new(amount_received, currency),
            )
            .await?;
            attempt.payment_id = Some(payment_id);
            Ok(succeeded_step(&attempt))
        }
        ChargeOutcome::RequiresAction {
            payment_intent,
            client_secret,
        } => {
            state
                .storage
                .move_attempt(
                    &attempt.id,
                    &["setup", "charging", "requires_action"],
                    "requires_action",
                    Some(&payment_intent),
                    None,
                    t,
                )
                .await
                .map_err(internal)?;
            Ok(CardStep::RequiresAction { client_secret })
        }
        ChargeOutcome::Failed {
            payment_intent,
            code,
        } => {
            let moved = state
                .storage
                .move_attempt(
                    &attempt.id,
                    &["setup", "charging", "requires_action"],
                    "failed",
                    payment_intent.as_deref(),
                    Some(&code),
                    t,
                )
                .await
                .map_err(internal)?;
            if !moved {
                // Already settled (a failure reported after a success, out of order): keep the success.
                let now_row = state
                    .storage
                    .attempt(&attempt.creditor_id, &attempt.debtor_id, &attempt.id)
                    .await
                    .map_err(internal)?;
                if let Some(row) = now_row.filter(|r| r.state == "succeeded") {
                    return Ok(succeeded_step(&row));
                }
            }
            let detail = serde_json::json!({ "attempt": attempt.id, "code": code, "payment_intent": payment_intent });
            let e = crate::storage::NewEvent {
                creditor_id: &attempt.creditor_id,
                debtor_id: Some(&attempt.debtor_id),
                invoice_id: None,
                kind: "card_payment_failed",
                actor: "system",
                detail,
            };
            state.storage.append_event(e, t).await.map_err(internal)?;
            Ok(CardStep::Failed {
                message: app::i18n::card_failure(lang, &code).into(),
                retry: true,
            })
        }
        ChargeOutcome::Pending { payment_intent } => {
            state
                .storage
                .move_attempt(
                    &attempt.id,
                    &["setup", "charging", "requires_action"],
                    "charging",
                    Some(&payment_intent),
                    None,
                    t,
                )
                .await
                .map_err(internal)?;
            Ok(CardStep::Processing {
                message: app::i18n::card_failure(lang, "processing").into(),
            })
        }
    }
}

/// Records a succeeded PaymentIntent once, with its receipt mail to the debtor's contacts.
pub async fn record(
    state: &AppState,
    attempt: &AttemptRow,
    payment_intent: &str,
    amount: Money,
) -> Result<String, AppError> {
    let s = &state.storage;
    let (creditor, debtor) = tokio::try_join!(
        s.creditor(&attempt.creditor_id),
        s.debtor(&attempt.creditor_id, &attempt.debtor_id)
    )
    .map_err(internal)?;
    let (Some(creditor), Some(debtor)) = (creditor, debtor) else {
        return Err(AppError::NotFound);
    };
    let contacts = s
        .contacts(&creditor.id, &debtor.id)
        .await
        .map_err(internal)?;
    let payment_id = crate::storage::new_id();
    let lang = Lang::parse(&debtor.locale).unwrap_or_default();
    let mails: Vec<NewMail> = contacts
        .iter()
        .map(|c| {
            receipt_mail(
                lang,
                &creditor.id,
                &creditor.name,
                &c.name,
                &c.email,
                amount,
                &payment_id,
                &state.config.public_url,
            )
        })
        .collect();
    let p = RecordedPayment {
        payment_id,
        external_id: payment_intent.to_string(),
        amount,
        received_on: today_in(&debtor.timezone, Utc::now()),
        method: "card".into(),
        reference: payment_intent.to_string(),
    };
    let (id, fresh) = s
        .record_payment(attempt, &p, &mails, now())
        .await
        .map_err(internal)?;
    if fresh {
        tracing::info!(payment = %id, attempt = %attempt.id, "card payment recorded");
        state.mail_wake.notify_one();
    }
    Ok(id)
}

#[allow(clippy::too_many_arguments)]
fn receipt_mail(
    lang: Lang,
    creditor_id: &str,
    creditor_name: &str,
    to_name: &str,
    to: &str,
    amount: Money,
    payment_id: &str,
    public_url: &str,
) -> NewMail {
    use crate::mail::html_escape;
    let amount = format_money(amount, lang);
    let subject = format!("{} — {creditor_name}", app::i18n::RECEIPT_SUBJECT.get(lang));
    let text = match lang {
        Lang::Fr => format!(
            "Bonjour {to_name},\n\nNous avons bien reçu votre paiement de {amount}. Merci\u{a0}!\nVotre reçu est joint à ce message (PDF).\n\nVous pouvez suivre votre compte depuis le lien de votre dernier e-mail de {creditor_name}, ou en demander un nouveau sur {public_url}.\n\n{creditor_name}\n"
        ),
        Lang::En => format!(
            "Hello {to_name},\n\nWe have received your payment of {amount}. Thank you!\nYour receipt is attached (PDF).\n\nYou can follow your account from the link in your latest email from {creditor_name}, or ask for a new one at {public_url}.\n\n{creditor_name}\n"
        ),
    };
    let html = format!(
        "<p>{}</p>",
        text.trim_end()
            .split("\n\n")
            .map(|p| html_escape(p).replace('\n', "<br>"))
            .collect::<Vec<_>>()
            .join("</p><p>")
    );
    NewMail {
        creditor_id: Some(creditor_id.to_string()),
        to_address: to.to_string(),
        to_name: to_name.to_string(),
        subject,
        text_body: text,
        html_body: html,
        attachment: Some((Attachment::Receipt, payment_id.to_string())),
    }
}

/// Asks Stripe about attempts left in doubt (the debtor closed the tab, the webhook was lost);
/// returns how many it settled (paid or failed).
pub async fn reconcile(state: &AppState, older_than_secs: i64) -> anyhow::Result<usize> {
    let attempts = state
        .storage
        .attempts_in_doubt(now() - older_than_secs, 50)
        .await?;
    let mut settled = 0;
    for attempt in attempts {
        let Some(settings) = state.storage.payment_settings(&attempt.creditor_id).await? else {
            continue;
        };
        let Ok(Some(account)) = stripe_account(state, &settings).await else {
            continue;
        };
        let Some(pi) = &attempt.payment_intent_id else {
            continue;
        };
        match account.payment_intent(pi).await {
            Ok(outcome) => match settle(state, &attempt, outcome, Lang::default()).await {
                Ok(CardStep::Succeeded { .. } | CardStep::Failed { .. }) => settled += 1,
                Ok(_) => {} // still waiting for the bank or the cardholder
                Err(e) => tracing::error!(attempt = %attempt.id, error = %e, "reconcile"),
            },
            Err(e) => {
                tracing::warn!(attempt = %attempt.id, error = %e, "reconcile: Stripe did not answer")
            }
        }
    }
    Ok(settled)
}

/// Seals and stores a creditor's payment settings (CLI and demo).
pub async fn configure(
    state_sealer: &crate::sealing::Sealer,
    storage: &crate::storage::Storage,
    creditor_id: &str,
    beneficiary_name: &str,
    iban: Option<&str>,
    bic: Option<&str>,
    min_payment_minor: i64,
    stripe: Option<(&str, &SecretString, &SecretString)>,
) -> anyhow::Result<()> {
    use secrecy::ExposeSecret;
    let iban = iban
        .map(|i| Iban::parse(i).map(|i| i.as_str().to_string()))
        .transpose()
        .map_err(|e| anyhow::anyhow!("IBAN: {e}"))?;
    let bic = bic
        .map(|b| Bic::parse(b).map(|b| b.to_string()))
        .transpose()
        .map_err(|e| anyhow::anyhow!("BIC: {e}"))?;
    anyhow::ensure!(
        min_payment_minor > 0,
        "the minimum payment must be positive"
    );
    anyhow::ensure!(
        !beneficiary_name.trim().is_empty() && beneficiary_name.chars().count() <= 70,
        "the beneficiary name must be 1 to 70 characters"
    );
    let row = PaymentSettingsRow {
        creditor_id: creditor_id.to_string(),
        beneficiary_name: beneficiary_name.trim().to_string(),
        iban,
        bic,
        min_payment_minor,
        stripe_publishable_key: stripe.map(|(p, _, _)| p.to_string()),
        stripe_secret_key_sealed: stripe.map(|(_, s, _)| {
            state_sealer.seal(&secret_key_context(creditor_id), s.expose_secret())
        }),
        stripe_webhook_secret_sealed: stripe.map(|(_, _, w)| {
            state_sealer.seal(&webhook_secret_context(creditor_id), w.expose_secret())
        }),
    };
    storage.set_payment_settings(&row, now()).await?;
    Ok(())
}
