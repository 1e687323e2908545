//! Promises to pay: a debtor promises an amount by a date (within the horizon); the job closes
//! it as kept once the payments since reach the amount, or as missed when the date has passed,
//! with a friendly follow-up mail and a place in the agents' queue.

use crate::jobs::now;
use crate::portal::{DebtorContext, internal, load_statement, today_in};
use crate::state::AppState;
use crate::storage::{CreditorRow, DebtorRow, NewMail, PromiseRow, StorageError};
use app::domain::locale::{Lang, format_date, format_money};
use app::domain::money::Money;
use app::domain::promise::{PromiseError, read_promise};
use app::domain::statement::Statement;
use app::error::AppError;
use app::views::promise::{PromiseSummary, PromiseView};
use chrono::Utc;

fn summary(p: &PromiseRow) -> PromiseSummary {
    PromiseSummary {
        amount: p.amount,
        promised_for: p.promised_for,
        status: p.status.clone(),
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
        brand: crate::portal::brand(&loaded.creditor),
        balance: balance(&loaded.statement),
        current: promises.iter().find(|p| p.status == "open").map(summary),
        last: promises.iter().find(|p| p.status != "open").map(summary),
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
        status: "open".into(),
        needs_agent: false,
        created_at: now(),
    };
    let mails = mails_for(
        state,
        &loaded.creditor,
        &loaded.debtor,
        &p,
        Kind::Made,
        None,
    )
    .await
    .map_err(MakeError::App)?;
    match state.storage.insert_promise(&p, &mails, now()).await {
        Ok(()) => {
            state.mail_wake.notify_one();
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
        let today = today_in(&o.timezone, Utc::now());
        let to = if o.paid_since.minor >= p.amount.minor {
            "kept"
        } else if today > p.promised_for {
            "missed"
        } else {
            continue;
        };
        let (Some(creditor), Some(debtor)) = (
            state.storage.creditor(&p.creditor_id).await?,
            state.storage.debtor(&p.creditor_id, &p.debtor_id).await?,
        ) else {
            continue;
        };
        let (link, kind) = if to == "missed" {
            let (row, token) = state.links.prepare_for(&creditor, &debtor.id, now())?;
            (
                Some((row, format!("{}/l/{}", state.config.public_url, token))),
                Kind::Missed,
            )
        } else {
            (None, Kind::Kept)
        };
        let mails = mails_for(
            state,
            &creditor,
            &debtor,
            p,
            kind,
            link.as_ref().map(|(_, u)| u.as_str()),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
        match state
            .storage
            .close_promise(p, to, link.as_ref().map(|(r, _)| r), &mails, now())
            .await
        {
            Ok(()) if to == "kept" => kept += 1,
            Ok(()) => missed += 1,
            Err(StorageError::Stale(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    if kept + missed > 0 {
        state.mail_wake.notify_one();
    }
    Ok((kept, missed))
}

#[derive(Clone, Copy)]
enum Kind {
    Made,
    Kept,
    Missed,
}

async fn mails_for(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    p: &PromiseRow,
    kind: Kind,
    url: Option<&str>,
) -> Result<Vec<NewMail>, AppError> {
    let contacts = state
        .storage
        .contacts(&creditor.id, &debtor.id)
        .await
        .map_err(internal)?;
    let lang = Lang::parse(&debtor.locale).unwrap_or_default();
    let (amount, date) = (
        format_money(p.amount, lang),
        format_date(p.promised_for, lang),
    );
    let fr = lang == Lang::Fr;
    let (subject, body) = match kind {
        Kind::Made if fr => (
            "Votre promesse de paiement est notée",
            format!(
                "Nous avons noté votre promesse de payer {amount} au plus tard le {date}. Nous ne vous relancerons pas d’ici là."
            ),
        ),
        Kind::Made => (
            "Your promise to pay is noted",
            format!(
                "We have noted your promise to pay {amount} by {date}. We will not chase you until then."
            ),
        ),
        Kind::Kept if fr => (
            "Merci pour votre paiement",
            format!(
                "Votre paiement est arrivé : votre promesse de payer {amount} est tenue. Merci !"
            ),
        ),
        Kind::Kept => (
            "Thank you for your payment",
            format!("Your payment has arrived: your promise to pay {amount} is kept. Thank you!"),
        ),
        Kind::Missed if fr => (
            "Votre paiement promis",
            format!(
                "Vous aviez prévu de payer {amount} au plus tard le {date}, et nous ne l’avons pas encore reçu. Si c’est en cours, merci ; sinon, vous pouvez payer ou nous écrire depuis le lien ci-dessous."
            ),
        ),
        Kind::Missed => (
            "Your promised payment",
            format!(
                "You planned to pay {amount} by {date}, and we have not received it yet. If it is on its way, thank you; otherwise you can pay or write to us from the link below."
            ),
        ),
    };
    Ok(contacts
        .iter()
        .map(|c| {
            crate::mail::notice(
                creditor,
                &c.email,
                &c.name,
                fr,
                subject,
                &[body.clone()],
                url,
            )
        })
        .collect())
}
