//! Paying by card through the creditor's own Stripe account: the browser gives the card to
//! Stripe (a SetupIntent confirmed by Stripe.js), the server creates and confirms the
//! PaymentIntent with an amount it computed, the browser passes a 3-D Secure step if asked.
//! Whichever of the browser's return, the webhook or the reconcile job sees the outcome
//! first records it (`settle`), once.

use super::plan;
use super::receipt::receipt_mail;
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::{
    AttemptRow, NewAttempt, NewMail, PaymentSettingsRow, RecordedPayment, SETUP_PENDING,
};
use crate::stripe_account::{ChargeOutcome, GatewayError, StripeAccount};
use app::domain::locale::Lang;
use app::domain::money::{Currency, Money};
use app::error::AppError;
use app::views::payment::{CardView, PayRequest};
use std::collections::HashMap;

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
        .start_attempt(&new, state.now())
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
pub(super) async fn customer(
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
        .remember_stripe_customer(c, d, &made, state.now())
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
                if !state
                    .storage
                    .claim_setup_intent(&attempt.id, state.now())
                    .await?
                {
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
                    .set_attempt_setup_intent(&attempt.id, id, state.now())
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
                .move_attempt(&attempt.id, &["setup"], "charging", None, None, state.now())
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
                        .move_attempt(&attempt.id, &["charging"], "setup", None, None, state.now())
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
                    .save_schedule_card(&s, payment_method, state.now())
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
    let t = state.now();
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
            // The charge and Stripe's webhook may both report one failure, at the same instant:
            // only the one that moved the attempt records it.
            if moved {
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
            }
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
    let lang = debtor.lang;
    let mails: Vec<NewMail> = contacts
        .iter()
        .map(|c| {
            let url = &state.config.public_url;
            receipt_mail(&creditor, lang, &c.name, &c.email, amount, &payment_id, url)
        })
        .collect();
    let p = RecordedPayment {
        payment_id,
        external_id: payment_intent.to_string(),
        amount,
        received_on: state.today_in(debtor.timezone),
        method: "card".into(),
        reference: payment_intent.to_string(),
    };
    let (id, fresh) = s
        .record_payment(attempt, &p, &mails, state.now())
        .await
        .map_err(internal)?;
    if fresh {
        tracing::info!(payment = %id, attempt = %attempt.id, "card payment recorded");
        state.metrics.payment();
        state.mail_queued();
    }
    Ok(id)
}

/// Asks Stripe about attempts left in doubt (the debtor closed the tab, the webhook was lost);
/// returns how many it settled (paid or failed).
pub async fn reconcile(state: &AppState, older_than_secs: i64) -> anyhow::Result<usize> {
    let attempts = state
        .storage
        .attempts_in_doubt(state.now() - older_than_secs, 50)
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
