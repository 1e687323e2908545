//! Promises to pay: a debtor promises an amount by a date (within the horizon); the job closes
//! it as kept once the payments since reach the amount, or as missed when the date has passed,
//! with a friendly follow-up mail and a place in the agents' queue.

pub mod routes;

use crate::kernel::mail::{Letter, portal_link, to_debtor};
use crate::kernel::statement::{brand, load_statement};
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::{CreditorRow, DebtorRow, NewMail, PromiseRow, StorageError};
use app::domain::locale::{format_date, format_money};
use app::domain::money::Money;
use app::domain::promise::{PromiseError, PromiseStatus, read_promise};
use app::domain::statement::Statement;
use app::error::AppError;
use app::i18n::mail as words;
use app::views::promise::{PromiseSummary, PromiseView};

fn summary(p: &PromiseRow) -> PromiseSummary {
    PromiseSummary {
        amount: p.amount,
        promised_for: p.promised_for,
        status: p.status,
    }
}

/// What the debtor owes now in their first currency, net of credits.
fn balance(statement: &Statement) -> Option<Money> {
    statement
        .totals
        .first()
        .map(|t| t.balance)
        .filter(|b| b.minor > 0)
}

pub async fn view(state: &AppState, ctx: DebtorContext) -> Result<PromiseView, AppError> {
    let promises = state
        .storage
        .promises_of(&ctx.creditor.id, &ctx.debtor.id)
        .await
        .map_err(internal)?;
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    let today = loaded.statement.as_of;
    Ok(PromiseView {
        brand: brand(&loaded.creditor),
        balance: balance(&loaded.statement),
        current: promises
            .iter()
            .find(|p| p.status == PromiseStatus::Open)
            .map(summary),
        last: promises
            .iter()
            .find(|p| p.status != PromiseStatus::Open)
            .map(summary),
        today,
        latest: today + chrono::Duration::days(loaded.creditor.promise_horizon_days),
    })
}

#[derive(Debug)]
pub enum MakeError {
    Invalid(PromiseError),
    NothingOwed,
    /// An open promise exists already.
    Pending,
    App(AppError),
}

/// Records a debtor's promise, with a confirmation mail.
pub async fn make(
    state: &AppState,
    ctx: DebtorContext,
    amount: &str,
    date: &str,
) -> Result<(), MakeError> {
    let loaded = load_statement(state, ctx)
        .await
        .map_err(|e| MakeError::App(internal(e)))?;
    let owed = balance(&loaded.statement).ok_or(MakeError::NothingOwed)?;
    let (amount, date) = read_promise(
        amount,
        date,
        owed,
        loaded.statement.as_of,
        loaded.creditor.promise_horizon_days,
    )
    .map_err(MakeError::Invalid)?;
    let p = PromiseRow {
        id: crate::storage::new_id(),
        creditor_id: loaded.creditor.id.clone(),
        debtor_id: loaded.debtor.id.clone(),
        amount,
        promised_for: date,
        status: PromiseStatus::Open,
        needs_agent: false,
        created_at: state.now(),
    };
    let mails = mails_for(
        state,
        &loaded.creditor,
        &loaded.debtor,
        &p,
        PromiseStatus::Open,
        None,
    )
    .await
    .map_err(|e| MakeError::App(internal(e)))?;
    match state.storage.insert_promise(&p, &mails, state.now()).await {
        Ok(()) => {
            state.mail_queued();
            Ok(())
        }
        Err(StorageError::Duplicate(_)) => Err(MakeError::Pending),
        Err(e) => Err(MakeError::App(internal(e))),
    }
}

/// Closes what the payments kept and what the calendar missed; returns (kept, missed).
pub async fn follow(state: &AppState) -> anyhow::Result<(usize, usize)> {
    let (mut kept, mut missed) = (0, 0);
    for o in state.storage.open_promises(500).await? {
        let p = &o.promise;
        let today = state.today_in(o.timezone);
        let to = if o.paid_since.minor >= p.amount.minor {
            PromiseStatus::Kept
        } else if today > p.promised_for {
            PromiseStatus::Missed
        } else {
            continue;
        };
        let (Some(creditor), Some(debtor)) = (
            state.storage.creditor(&p.creditor_id).await?,
            state.storage.debtor(&p.creditor_id, &p.debtor_id).await?,
        ) else {
            continue;
        };
        // A missed promise comes with a way back into the portal.
        let link = match to {
            PromiseStatus::Missed => Some(portal_link(state, &creditor, &debtor.id)?),
            _ => None,
        };
        let url = link.as_ref().map(|(_, u)| u.as_str());
        let mails = mails_for(state, &creditor, &debtor, p, to, url).await?;
        match state
            .storage
            .close_promise(p, to, link.as_ref().map(|(r, _)| r), &mails, state.now())
            .await
        {
            Ok(()) if to == PromiseStatus::Kept => kept += 1,
            Ok(()) => missed += 1,
            Err(StorageError::Stale(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if kept + missed > 0 {
        state.mail_queued();
    }
    Ok((kept, missed))
}

/// The debtor is told a promise was noted (`Open`), kept, or missed.
async fn mails_for(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    p: &PromiseRow,
    now: PromiseStatus,
    url: Option<&str>,
) -> Result<Vec<NewMail>, StorageError> {
    to_debtor(state, creditor, debtor, |lang| {
        let (amount, date) = (
            format_money(p.amount, lang),
            format_date(p.promised_for, lang),
        );
        let letter = match now {
            PromiseStatus::Open => Letter::new(words::PROMISE_MADE_SUBJECT.get(lang))
                .para(words::promise_made(lang, &amount, &date)),
            PromiseStatus::Kept => Letter::new(words::PROMISE_KEPT_SUBJECT.get(lang))
                .para(words::promise_kept(lang, &amount)),
            PromiseStatus::Missed => Letter::new(words::PROMISE_MISSED_SUBJECT.get(lang))
                .para(words::promise_missed(lang, &amount, &date)),
        };
        match url {
            Some(u) => letter.link(u, words::LINK_LABEL.get(lang)),
            None => letter,
        }
    })
    .await
}
