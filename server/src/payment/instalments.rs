//! A schedule's instalments charged to the card the debtor saved, on their dates: off-session
//! PaymentIntents, once per instalment, recorded like any card payment. A charge that fails
//! (or a bank that asks for authentication) mails the debtor a link to pay by hand.

use super::card::{customer, settle, stripe_account};
use crate::kernel::mail::{Letter, portal_link, to_debtor};
use crate::kernel::summaries::instalment_states;
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::{CreditorRow, DebtorRow, NewAttempt, Notice, ScheduleRow};
use crate::stripe_account::ChargeOutcome;
use app::domain::locale::format_money;
use app::domain::money::Money;
use app::error::AppError;
use app::i18n::{self, mail as words};
use app::views::schedule::InstalmentState;
use std::collections::HashMap;

/// What one pass did: instalments charged, and charges that failed (the debtor is told).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Charged {
    pub charged: usize,
    pub failed: usize,
}

/// Charges every accepted schedule's instalment that falls due today (or was missed while the
/// server was down) to the card saved for it, once per instalment.
pub async fn charge_due(state: &AppState) -> anyhow::Result<Charged> {
    let mut done = Charged::default();
    for f in state.storage.followed_schedules(500).await? {
        let s = &f.schedule;
        if s.card_payment_method.is_none() || f.paid.minor >= s.total.minor {
            continue;
        }
        let today = state.today_in(f.timezone);
        let states = instalment_states(s, f.paid, today);
        let Some((next, row)) = states
            .iter()
            .zip(&s.instalments)
            .find(|(v, _)| v.state != InstalmentState::Paid)
        else {
            continue;
        };
        if (today - next.due_date).num_days() < 0 || row.charge_attempt_id.is_some() {
            continue;
        }
        let (Some(creditor), Some(debtor)) = (
            state.storage.creditor(&s.creditor_id).await?,
            state.storage.debtor(&s.creditor_id, &s.debtor_id).await?,
        ) else {
            continue;
        };
        // What this instalment and any before it still need, never more than the rest.
        let covered: i64 = s
            .instalments
            .iter()
            .take_while(|i| i.seq <= row.seq)
            .map(|i| i.amount.minor)
            .sum();
        let due = Money::new(
            (covered - f.paid.minor).min(s.total.minor - f.paid.minor),
            s.total.currency,
        );
        let attempt_id = uuid::Uuid::new_v4().to_string();
        if due.minor <= 0
            || !state
                .storage
                .claim_instalment_charge(s, row.seq, &attempt_id)
                .await?
        {
            continue;
        }
        let outcome = charge_saved_card(state, &creditor, &debtor, s, &attempt_id, due)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        match outcome {
            Some(ChargeOutcome::Succeeded { .. }) => done.charged += 1,
            Some(ChargeOutcome::Pending { .. }) => {}
            _ => {
                tell_charge_failed(state, &creditor, &debtor, s, next.seq, due, &attempt_id)
                    .await?;
                done.failed += 1;
            }
        }
    }
    if done.charged + done.failed > 0 {
        state.mail_queued();
    }
    Ok(done)
}

/// Nothing was charged: the debtor gets a link to pay the instalment by hand.
async fn tell_charge_failed(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    s: &ScheduleRow,
    seq: u32,
    amount: Money,
    attempt_id: &str,
) -> anyhow::Result<()> {
    let (link, url) = portal_link(state, creditor, &debtor.id)?;
    let mails = to_debtor(state, creditor, debtor, |lang| {
        Letter::new(i18n::SCHEDULE_CHARGE_FAILED_SUBJECT.get(lang))
            .para(words::schedule_charge_failed(
                lang,
                seq,
                &format_money(amount, lang),
            ))
            .link(&url, i18n::SCHEDULE_TITLE.get(lang))
    })
    .await?;
    let detail = serde_json::json!({ "schedule": s.id, "seq": seq, "attempt": attempt_id });
    let notice = Notice {
        link: Some(&link),
        mails: &mails,
    };
    state
        .storage
        .notify_schedule(s, "instalment_charge_failed", detail, notice, state.now())
        .await?;
    Ok(())
}

/// Charges a schedule's instalment to the card the debtor saved, off-session: a new attempt
/// with the amount due, recorded like any card payment (receipt mail included). Returns the
/// outcome; `None` when there is no card processor or Stripe could not be reached (the
/// instalment is then paid by hand).
async fn charge_saved_card(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    schedule: &ScheduleRow,
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
        .start_attempt(&new, state.now())
        .await
        .map_err(internal)?
        .ok_or(AppError::Conflict("attempt".into()))?;
    if !state
        .storage
        .move_attempt(&attempt.id, &["setup"], "charging", None, None, state.now())
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
                    state.now(),
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
    settle(state, &attempt, outcome.clone(), debtor.lang).await?;
    Ok(Some(outcome))
}
