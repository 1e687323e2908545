//! Disputes: a debtor contests invoices (with files) and follows the thread; agents give the
//! dispute to an internal owner, write notes or replies, and resolve it (`agent`). Each step is
//! logged and mailed in the same transaction as the change.

pub mod agent;
pub mod files;
pub mod routes;

use crate::kernel::forms::keys::{DISPUTE as DISPUTE_FORM, reply as reply_form};
use crate::kernel::forms::{already, debtor_draft, forget_draft, form_error};
use crate::kernel::mail::{Letter, to_debtor, to_team};
use crate::kernel::statement::{brand, load_statement};
use crate::kernel::summaries::{dispute_summary, posts_view};
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::{CaseNotice, NewDispute, StorageError, Stored, Submitted, new_id};
use app::domain::dispute::{
    ContestableInvoice, DisputeError, DisputeInput, read_dispute, read_text,
};
use app::domain::invoice::{DocumentKind, Move};
use app::domain::locale::format_money;
use app::domain::money::Money;
use app::domain::statement::Statement;
use app::error::AppError;
use app::i18n::mail as words;
use app::views::dispute::{DisputeDraft, DisputeView, DisputesView};
use app::views::form::{FormError, TextDraft};
use files::{Upload, check_files, limits};

/// Invoices the debtor may contest: those the transition table lets into a dispute, with
/// something left.
pub fn contestable(statement: &Statement) -> Vec<ContestableInvoice> {
    statement
        .items
        .iter()
        .map(|i| &i.invoice)
        .filter(|f| {
            f.kind == DocumentKind::Invoice && f.status.may(Move::Contest) && f.remaining.minor > 0
        })
        .map(|f| ContestableInvoice {
            id: f.id.clone(),
            number: f.number.clone(),
            remaining: f.remaining,
        })
        .collect()
}

fn dispute_error(e: DisputeError) -> FormError {
    match e {
        DisputeError::NoInvoice => form_error("invoice", ""),
        DisputeError::NotContestable => form_error("not_contestable", ""),
        DisputeError::Amount(n, _) => form_error("amount", n),
        DisputeError::AmountAbove(n) => form_error("amount_above", n),
        DisputeError::Reason => form_error("reason", ""),
        DisputeError::MessageEmpty => form_error("message", ""),
        DisputeError::MessageTooLong => form_error("too_long", ""),
        DisputeError::PaidOn => form_error("paid_on", ""),
        DisputeError::Currencies => form_error("currencies", ""),
    }
}

/// The debtor's disputes page: what may be contested, their disputes, the form's draft.
pub async fn list_view(state: &AppState, ctx: DebtorContext) -> Result<DisputesView, AppError> {
    let (c, d) = (ctx.creditor.id.clone(), ctx.debtor.id.clone());
    let (disputes, draft) = tokio::try_join!(
        state.storage.disputes_of(&c, &d),
        debtor_draft::<DisputeDraft>(state, &ctx, DISPUTE_FORM)
    )
    .map_err(internal)?;
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    let tz = loaded.debtor.timezone;
    Ok(DisputesView {
        brand: brand(&loaded.creditor),
        contestable: contestable(&loaded.statement),
        disputes: disputes
            .iter()
            .map(|x| dispute_summary(x, tz, None))
            .collect(),
        limits: limits(&loaded.creditor),
        draft,
        today: loaded.statement.as_of,
        submission: new_id(),
    })
}

/// One dispute of the debtor, with its public thread; `NotFound` for anyone else's.
pub async fn one_view(
    state: &AppState,
    ctx: DebtorContext,
    id: &str,
) -> Result<DisputeView, AppError> {
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let dispute = state
        .storage
        .dispute(c, Some(d), id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let form = reply_form(id);
    let (posts, draft) = tokio::try_join!(
        state.storage.dispute_posts(c, id, false),
        debtor_draft::<TextDraft>(state, &ctx, &form)
    )
    .map_err(internal)?;
    let tz = ctx.debtor.timezone;
    Ok(DisputeView {
        brand: brand(&ctx.creditor),
        dispute: dispute_summary(&dispute, tz, None),
        posts: posts_view(posts, None, tz),
        limits: limits(&ctx.creditor),
        draft,
        submission: new_id(),
    })
}

/// Opens a dispute from the debtor's form. Nothing is stored unless all of it stands. The
/// same form sent twice (one after the other, or at the same instant) is stored once and
/// answered as the first was.
pub async fn open(
    state: &AppState,
    ctx: DebtorContext,
    input: &DisputeInput,
    uploads: &[Upload],
    submission: Option<String>,
) -> Result<String, FormError> {
    let id = submission.unwrap_or_else(new_id);
    // Sent again after it went through: its invoices are contested now, so only the id tells.
    if already(state, &ctx, Submitted::Dispute, &id).await {
        forget_draft(state, &ctx, DISPUTE_FORM).await;
        return Ok(id);
    }
    let loaded = load_statement(state, ctx.clone()).await.map_err(|e| {
        internal(e);
        form_error("internal", "")
    })?;
    let request = read_dispute(
        input,
        &contestable(&loaded.statement),
        loaded.statement.as_of,
    );
    let request = match request {
        Ok(r) => r,
        // The other send of the same form, at the same instant, got there first.
        Err(_) if already(state, &ctx, Submitted::Dispute, &id).await => {
            forget_draft(state, &ctx, DISPUTE_FORM).await;
            return Ok(id);
        }
        Err(e) => return Err(dispute_error(e)),
    };
    let files = check_files(uploads, limits(&ctx.creditor))?;
    let (creditor, debtor) = (&ctx.creditor, &ctx.debtor);
    let contested = request.invoices.iter().fold(0, |s, (_, m)| s + m.minor);
    let total = Money::new(contested, request.invoices[0].1.currency);
    let numbers = request
        .invoices
        .iter()
        .map(|(i, _)| i.number.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut mails = to_debtor(state, creditor, debtor, |lang| {
        Letter::new(words::DISPUTE_RECORDED_SUBJECT.get(lang)).para(words::dispute_recorded(
            lang,
            &numbers,
            &format_money(total, lang),
        ))
    })
    .await
    .map_err(|e| {
        internal(e);
        form_error("internal", "")
    })?;
    let url = format!("{}/agent/disputes/{id}", state.config.public_url);
    mails.push(to_team(creditor, |lang| {
        Letter::new(words::team_new_dispute_subject(lang, &debtor.name))
            .para(words::team_new_dispute(
                lang,
                &debtor.name,
                &debtor.reference,
                &numbers,
                &format_money(total, lang),
            ))
            .para(request.message.clone())
            .link(&url, &url)
    }));
    let new = NewDispute {
        id: id.clone(),
        creditor_id: creditor.id.clone(),
        debtor_id: debtor.id.clone(),
        reason: request.reason,
        paid_on: request.paid_on,
        invoices: request
            .invoices
            .iter()
            .map(|(i, m)| (i.id.clone(), i.number.clone(), *m))
            .collect(),
        message: request.message.clone(),
        files,
    };
    let notice = CaseNotice {
        link: None,
        mails: &mails,
    };
    match state
        .storage
        .insert_dispute(&new, notice, state.now())
        .await
    {
        Ok(stored) => {
            if stored == Stored::New {
                state.mail_queued();
            }
            forget_draft(state, &ctx, DISPUTE_FORM).await;
            Ok(id)
        }
        Err(StorageError::Stale(_)) => Err(form_error("not_contestable", "")),
        // An id taken by someone else's dispute: not a form this page gave.
        Err(StorageError::Duplicate(_)) => Err(form_error("invalid", "")),
        Err(e) => {
            internal(e);
            Err(form_error("internal", ""))
        }
    }
}

/// The debtor writes in their open dispute's thread; stored once if sent twice.
pub async fn debtor_reply(
    state: &AppState,
    ctx: &DebtorContext,
    id: &str,
    text: &str,
    uploads: &[Upload],
    submission: Option<String>,
) -> Result<(), FormError> {
    let (creditor, debtor) = (&ctx.creditor, &ctx.debtor);
    let post_id = submission.unwrap_or_else(new_id);
    let dispute = state
        .storage
        .dispute(&creditor.id, Some(&debtor.id), id)
        .await
        .map_err(|e| {
            internal(e);
            form_error("internal", "")
        })?;
    let dispute = dispute.ok_or_else(|| form_error("not_found", ""))?;
    let text = read_text(text).map_err(dispute_error)?;
    let files = check_files(uploads, limits(creditor))?;
    let url = format!("{}/agent/disputes/{id}", state.config.public_url);
    let mails = vec![to_team(creditor, |lang| {
        Letter::new(words::team_dispute_reply_subject(lang, &debtor.name))
            .para(words::team_debtor_wrote(
                lang,
                &debtor.name,
                &debtor.reference,
            ))
            .para(text.clone())
            .link(&url, &url)
    })];
    let notice = CaseNotice {
        link: None,
        mails: &mails,
    };
    let posted = state
        .storage
        .add_dispute_post(
            &dispute,
            &post_id,
            "debtor",
            false,
            &text,
            &files,
            notice,
            state.now(),
        )
        .await;
    match posted {
        Ok(stored) => {
            if stored == Stored::New {
                state.mail_queued();
            }
            forget_draft(state, ctx, &reply_form(id)).await;
            Ok(())
        }
        Err(StorageError::Stale(_)) => Err(form_error("closed", "")),
        Err(StorageError::Duplicate(_)) => Err(form_error("invalid", "")),
        Err(e) => {
            internal(e);
            Err(form_error("internal", ""))
        }
    }
}
