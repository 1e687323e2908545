//! Disputes: a debtor contests invoices (with files); agents give the dispute to an internal
//! owner, write notes or replies, and resolve it. Each step is logged and mailed in the same
//! transaction as the change.

use crate::agents::Role;
use crate::jobs::now;
use crate::portal::{DebtorContext, brand, internal, load_statement};
use crate::state::AppState;
use crate::storage::{
    AgentRow, CaseNotice, CreditorRow, DebtorRow, DisputeRow, LinkRow, NewDispute, NewFile,
    NewMail, PostRow, StorageError, Submitted, new_id,
};
use app::domain::dispute::{
    ContestableInvoice, DisputeError, DisputeInput, ResolveError, read_dispute, read_outcome,
    read_text, spread_credit,
};
use app::domain::invoice::{DocumentKind, InvoiceStatus};
use app::domain::locale::{Lang, format_money};
use app::domain::statement::Statement;
use app::domain::upload::{UploadError, UploadLimits, check_file};
use app::error::AppError;
use app::views::dispute::{
    AgentDisputeView, DisputeDraft, DisputeSummary, DisputeView, FileView, OwnerView, PostView,
};
use app::views::form::{AgentDraft, FormError, TextDraft};
use std::collections::HashMap;

/// The draft keys: what the debtor typed in the dispute form, and in a reply to one dispute.
pub const DISPUTE_FORM: &str = "dispute";
pub fn reply_form(id: &str) -> String {
    format!("reply:{id}")
}

/// The id a debtor's form carries (a fresh one each time the page is shown), if it is one:
/// what the form creates takes it, so the same form sent twice (a double tap, a resend after
/// going back) is stored once and answered as the first was.
pub fn submission(field: &str) -> Option<String> {
    uuid::Uuid::parse_str(field.trim())
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// Whether this debtor's form was stored already.
pub async fn already(state: &AppState, ctx: &DebtorContext, kind: Submitted, id: &str) -> bool {
    state
        .storage
        .submitted(kind, &ctx.creditor.id, &ctx.debtor.id, id)
        .await
        .unwrap_or_else(|e| {
            internal(e);
            false
        })
}

/// The draft key of an agent's form: one per agent, so colleagues never see each other's text.
pub fn agent_form(agent_id: &str, form: &str) -> String {
    format!("agent:{agent_id}:{form}")
}

fn post_form(id: &str) -> String {
    format!("dispute:{id}:post")
}

fn resolve_form(id: &str) -> String {
    format!("dispute:{id}:resolve")
}

/// Keeps what an agent typed when their action was refused or failed, for the page to fill
/// the form again; forgets it once the action is done, or can no longer be done (`Conflict`).
pub async fn keep_agent_draft(
    state: &AppState,
    agent: &AgentRow,
    debtor_id: &str,
    form: &str,
    draft: &AgentDraft,
    r: &Result<(), ActionError>,
) {
    let body = match r {
        Ok(()) | Err(ActionError::Conflict) => None,
        Err(_) => Some(serde_json::to_string(draft).unwrap_or_default()),
    };
    if let Err(e) = state
        .storage
        .set_draft(
            &agent.creditor_id,
            debtor_id,
            &agent_form(&agent.id, form),
            body.as_deref(),
            now(),
        )
        .await
    {
        tracing::error!(error = %e, "keeping an agent's draft");
    }
}

/// This agent's kept draft of `form`, or an empty one.
pub async fn agent_draft(
    state: &AppState,
    agent: &AgentRow,
    debtor_id: &str,
    form: &str,
) -> Result<AgentDraft, StorageError> {
    Ok(read_draft(
        state
            .storage
            .draft(&agent.creditor_id, debtor_id, &agent_form(&agent.id, form))
            .await?,
    ))
}

/// A file as the browser sent it, before any check.
pub struct Upload {
    pub name: String,
    pub declared_type: String,
    pub bytes: Vec<u8>,
}

pub fn limits(c: &CreditorRow) -> UploadLimits {
    UploadLimits::new(c.upload_max_files, c.upload_max_bytes)
}

fn form_error(code: &str, about: impl Into<String>) -> FormError {
    FormError {
        code: code.into(),
        about: about.into(),
    }
}

/// Checks every file; the first refused names itself (its name cleaned for display).
pub fn check_files(uploads: &[Upload], limits: UploadLimits) -> Result<Vec<NewFile>, FormError> {
    if uploads.len() > limits.max_files {
        return Err(form_error("files_too_many", limits.max_files.to_string()));
    }
    uploads
        .iter()
        .map(|u| {
            let shown: String = u
                .name
                .chars()
                .filter(|c| !c.is_control())
                .take(80)
                .collect();
            let (name, kind) =
                check_file(&u.name, &u.declared_type, &u.bytes, limits).map_err(|e| {
                    let code = match e {
                        UploadError::TooMany(_) => "files_too_many",
                        UploadError::Empty => "file_empty",
                        UploadError::TooLarge(_) => "file_large",
                        UploadError::BadName => "file_name",
                        UploadError::NotAllowed => "file_type",
                        UploadError::Mismatch => "file_mismatch",
                        UploadError::Polyglot => "file_polyglot",
                    };
                    form_error(code, shown)
                })?;
            Ok(NewFile {
                name,
                content_type: kind.content_type().into(),
                data: u.bytes.clone(),
            })
        })
        .collect()
}

/// Open invoices (not paid, not in a schedule, not contested already) with something left.
pub fn contestable(statement: &Statement) -> Vec<ContestableInvoice> {
    statement
        .items
        .iter()
        .map(|i| &i.invoice)
        .filter(|f| {
            f.kind == DocumentKind::Invoice
                && matches!(f.status, InvoiceStatus::Open | InvoiceStatus::Promised)
                && f.remaining.minor > 0
        })
        .map(|f| ContestableInvoice {
            id: f.id.clone(),
            number: f.number.clone(),
            remaining: f.remaining,
        })
        .collect()
}

/// An instant as the wall clock shows it in a time zone (Paris for a zone we do not know).
fn wall_clock(timezone: &str, at: i64) -> Option<chrono::NaiveDateTime> {
    let tz: chrono_tz::Tz = timezone.parse().unwrap_or(chrono_tz::Europe::Paris);
    chrono::DateTime::from_timestamp(at, 0).map(|t| t.with_timezone(&tz).naive_local())
}

/// An instant in a time zone, to the minute.
pub fn local_time(timezone: &str, at: i64) -> String {
    wall_clock(timezone, at)
        .map(|t| t.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

/// An instant as the wall clock shows it in a time zone, for a page to word.
pub fn local_date_time(timezone: &str, at: i64) -> chrono::NaiveDateTime {
    wall_clock(timezone, at).unwrap_or_default()
}

pub fn summary(d: &DisputeRow, timezone: &str, owner: Option<String>) -> DisputeSummary {
    let opened_on = wall_clock(timezone, d.created_at)
        .map(|t| t.date())
        .unwrap_or_default();
    DisputeSummary {
        id: d.id.clone(),
        reason: d.reason,
        status: d.status,
        contested: d.contested,
        credited: d.credited,
        invoices: d.invoices.iter().map(|(_, n, m)| (n.clone(), *m)).collect(),
        opened_on,
        paid_on: d.paid_on,
        owner,
    }
}

/// Posts as a reader sees them: agents by name in the back office (`names`), as "the team"
/// on the debtor's side.
pub fn posts_view(
    posts: Vec<PostRow>,
    names: Option<&HashMap<String, String>>,
    timezone: &str,
) -> Vec<PostView> {
    posts
        .into_iter()
        .map(|p| PostView {
            from_debtor: p.author == "debtor",
            author: names
                .and_then(|n| n.get(&p.author).cloned())
                .unwrap_or_default(),
            internal: p.internal,
            body: p.body,
            at: local_date_time(timezone, p.at),
            files: p
                .files
                .into_iter()
                .map(|f| FileView {
                    id: f.id,
                    name: f.name,
                    size: f.size,
                })
                .collect(),
        })
        .collect()
}

fn read_draft<T: serde::de::DeserializeOwned + Default>(stored: Option<String>) -> T {
    stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Keeps what the debtor typed with the reason it was refused, for the page to show back.
pub async fn keep_draft(
    state: &AppState,
    ctx: &DebtorContext,
    form: &str,
    body: &impl serde::Serialize,
) {
    let json = serde_json::to_string(body).unwrap_or_default();
    if let Err(e) = state
        .storage
        .set_draft(&ctx.creditor.id, &ctx.debtor.id, form, Some(&json), now())
        .await
    {
        tracing::error!(error = %e, "keeping a draft");
    }
}

async fn forget_draft(state: &AppState, ctx: &DebtorContext, form: &str) {
    if let Err(e) = state
        .storage
        .set_draft(&ctx.creditor.id, &ctx.debtor.id, form, None, now())
        .await
    {
        tracing::error!(error = %e, "forgetting a draft");
    }
}

pub async fn list_view(
    state: &AppState,
    ctx: DebtorContext,
) -> Result<app::views::dispute::DisputesView, AppError> {
    let (c, d) = (ctx.creditor.id.clone(), ctx.debtor.id.clone());
    let (disputes, draft) = tokio::try_join!(
        state.storage.disputes_of(&c, &d),
        state.storage.draft(&c, &d, DISPUTE_FORM)
    )
    .map_err(internal)?;
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    let tz = &loaded.debtor.timezone;
    Ok(app::views::dispute::DisputesView {
        brand: brand(&loaded.creditor),
        contestable: contestable(&loaded.statement),
        disputes: disputes.iter().map(|x| summary(x, tz, None)).collect(),
        limits: limits(&loaded.creditor),
        draft: read_draft::<DisputeDraft>(draft),
        today: loaded.statement.as_of,
        submission: new_id(),
    })
}

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
        state.storage.draft(c, d, &form)
    )
    .map_err(internal)?;
    let tz = &ctx.debtor.timezone;
    Ok(DisputeView {
        brand: brand(&ctx.creditor),
        dispute: summary(&dispute, tz, None),
        posts: posts_view(posts, None, tz),
        limits: limits(&ctx.creditor),
        draft: read_draft::<TextDraft>(draft),
        submission: new_id(),
    })
}

pub async fn agent_view(
    state: &AppState,
    token: &str,
    id: &str,
) -> Result<AgentDisputeView, AppError> {
    let (agent, creditor) = crate::back_office::agent_and_creditor(state, token).await?;
    uuid::Uuid::parse_str(id).map_err(|_| AppError::NotFound)?;
    let s = &state.storage;
    let dispute = s
        .dispute(&creditor.id, None, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let (posts, names, owners) = tokio::try_join!(
        s.dispute_posts(&creditor.id, id, true),
        s.agent_names(&creditor.id),
        s.dispute_owners(&creditor.id)
    )
    .map_err(internal)?;
    let debtor = s
        .debtor(&creditor.id, &dispute.debtor_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let owner = match &dispute.owner_id {
        Some(o) => s
            .dispute_owner(&creditor.id, o)
            .await
            .map_err(internal)?
            .map(|o| o.name),
        None => None,
    };
    let names: HashMap<String, String> = names.into_iter().collect();
    let (post_key, resolve_key) = (post_form(id), resolve_form(id));
    let (post_draft, resolve_draft) = tokio::try_join!(
        agent_draft(state, &agent, &debtor.id, &post_key),
        agent_draft(state, &agent, &debtor.id, &resolve_key)
    )
    .map_err(internal)?;
    Ok(AgentDisputeView {
        brand: brand(&creditor),
        may_act: crate::schedules::may_decide(&agent),
        agent_name: agent.name,
        role: agent.role,
        debtor_id: debtor.id,
        debtor_name: debtor.name,
        reference: debtor.reference,
        dispute: summary(&dispute, &creditor.timezone, owner),
        posts: posts_view(posts, Some(&names), &creditor.timezone),
        owners: owners
            .into_iter()
            .map(|o| OwnerView {
                id: o.id,
                name: o.name,
                email: o.email,
            })
            .collect(),
        limits: limits(&creditor),
        post_draft,
        resolve_draft,
    })
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

fn lang_of(debtor: &DebtorRow) -> Lang {
    Lang::parse(&debtor.locale).unwrap_or_default()
}

/// Mails to the debtor's contacts.
async fn to_debtor(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    subject: (&str, &str),
    body: (String, String),
    url: Option<&str>,
) -> Result<Vec<NewMail>, AppError> {
    let fr = lang_of(debtor) == Lang::Fr;
    let contacts = state
        .storage
        .contacts(&creditor.id, &debtor.id)
        .await
        .map_err(internal)?;
    let (subject, body) = if fr {
        (subject.0, body.0)
    } else {
        (subject.1, body.1)
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
                std::slice::from_ref(&body),
                url,
            )
        })
        .collect())
}

/// A fresh portal link for a mail to the debtor: the one they have may have expired.
fn fresh_link(
    state: &AppState,
    creditor: &CreditorRow,
    debtor_id: &str,
) -> Result<(LinkRow, String), AppError> {
    let (row, token) = state
        .links
        .prepare_for(creditor, debtor_id, now())
        .map_err(internal)?;
    Ok((row, format!("{}/l/{}", state.config.public_url, token)))
}

/// Opens a dispute from the debtor's form. Nothing is stored unless all of it stands.
pub async fn open(
    state: &AppState,
    ctx: DebtorContext,
    input: &DisputeInput,
    uploads: &[Upload],
    submission: Option<String>,
) -> Result<String, FormError> {
    let id = submission.unwrap_or_else(new_id);
    if already(state, &ctx, Submitted::Dispute, &id).await {
        forget_draft(state, &ctx, DISPUTE_FORM).await;
        return Ok(id);
    }
    match open_new(
        state,
        DebtorContext {
            creditor: ctx.creditor.clone(),
            debtor: ctx.debtor.clone(),
        },
        input,
        uploads,
        id.clone(),
    )
    .await
    {
        // The same form, sent twice at once: the other request stored it (and this one found
        // its invoices contested already, or its id taken).
        Err(_) if already(state, &ctx, Submitted::Dispute, &id).await => {
            forget_draft(state, &ctx, DISPUTE_FORM).await;
            Ok(id)
        }
        r => r,
    }
}

async fn open_new(
    state: &AppState,
    ctx: DebtorContext,
    input: &DisputeInput,
    uploads: &[Upload],
    id: String,
) -> Result<String, FormError> {
    let loaded = load_statement(
        state,
        DebtorContext {
            creditor: ctx.creditor.clone(),
            debtor: ctx.debtor.clone(),
        },
    )
    .await
    .map_err(|e| {
        internal(e);
        form_error("internal", "")
    })?;
    let request = read_dispute(
        input,
        &contestable(&loaded.statement),
        loaded.statement.as_of,
    )
    .map_err(dispute_error)?;
    let files = check_files(uploads, limits(&ctx.creditor))?;
    let (creditor, debtor) = (&ctx.creditor, &ctx.debtor);
    let contested = request.invoices.iter().fold(0, |s, (_, m)| s + m.minor);
    let total = app::domain::money::Money::new(contested, request.invoices[0].1.currency);
    let numbers = request
        .invoices
        .iter()
        .map(|(i, _)| i.number.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let (fr_amount, en_amount) = (format_money(total, Lang::Fr), format_money(total, Lang::En));
    let mut mails = to_debtor(
        state,
        creditor,
        debtor,
        ("Votre contestation est enregistrée", "Your dispute is recorded"),
        (
            format!("Nous avons bien reçu votre contestation ({numbers}, {fr_amount}). Ces factures ne vous seront plus réclamées tant qu’une personne de notre équipe ne l’aura pas examinée ; nous vous écrirons à chaque étape."),
            format!("We have received your dispute ({numbers}, {en_amount}). We will not ask you to pay these invoices until someone in our team has looked at it; we will write to you at each step."),
        ),
        None,
    )
    .await
    .map_err(|_| form_error("internal", ""))?;
    mails.push(crate::mail::notice(
        creditor,
        &creditor.contact_email,
        "",
        true,
        &format!("Nouvelle contestation : {}", debtor.name),
        &[
            format!(
                "{} ({}) conteste {numbers} ({fr_amount}).",
                debtor.name, debtor.reference
            ),
            request.message.clone(),
        ],
        Some(&format!("{}/agent/disputes/{id}", state.config.public_url)),
    ));
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
    match state
        .storage
        .insert_dispute(
            &new,
            CaseNotice {
                link: None,
                mails: &mails,
            },
            now(),
        )
        .await
    {
        Ok(()) => {
            state.mail_wake.notify_one();
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

/// The debtor writes in their open dispute's thread.
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
    if already(state, ctx, Submitted::Post, &post_id).await {
        forget_draft(state, ctx, &reply_form(id)).await;
        return Ok(());
    }
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
    let mails = vec![crate::mail::notice(
        creditor,
        &creditor.contact_email,
        "",
        true,
        &format!("Réponse à une contestation : {}", debtor.name),
        &[
            format!("{} ({}) a écrit :", debtor.name, debtor.reference),
            text.clone(),
        ],
        Some(&format!("{}/agent/disputes/{id}", state.config.public_url)),
    )];
    match state
        .storage
        .add_dispute_post(
            &dispute,
            &post_id,
            "debtor",
            false,
            &text,
            &files,
            CaseNotice {
                link: None,
                mails: &mails,
            },
            now(),
        )
        .await
    {
        Ok(()) => {
            state.mail_wake.notify_one();
            forget_draft(state, ctx, &reply_form(id)).await;
            Ok(())
        }
        Err(_) if already(state, ctx, Submitted::Post, &post_id).await => Ok(()),
        Err(StorageError::Stale(_)) => Err(form_error("closed", "")),
        Err(e) => {
            internal(e);
            Err(form_error("internal", ""))
        }
    }
}

/// Why an agent's action on a dispute did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum ActionError {
    Forbidden,
    NotFound,
    /// A code the page words: "text", "too_long", "owner", "outcome", "amount", "part", "explanation".
    Invalid(&'static str),
    /// Resolved already, or the owner was removed meanwhile.
    Conflict,
    Internal,
}

fn fail(e: impl std::fmt::Display) -> ActionError {
    internal(e);
    ActionError::Internal
}

async fn agent_dispute(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
) -> Result<(CreditorRow, DebtorRow, DisputeRow), ActionError> {
    if !crate::schedules::may_decide(agent) {
        return Err(ActionError::Forbidden);
    }
    uuid::Uuid::parse_str(id).map_err(|_| ActionError::NotFound)?;
    let s = &state.storage;
    let dispute = s
        .dispute(&agent.creditor_id, None, id)
        .await
        .map_err(fail)?
        .ok_or(ActionError::NotFound)?;
    let creditor = s
        .creditor(&agent.creditor_id)
        .await
        .map_err(fail)?
        .ok_or(ActionError::NotFound)?;
    let debtor = s
        .debtor(&creditor.id, &dispute.debtor_id)
        .await
        .map_err(fail)?
        .ok_or(ActionError::NotFound)?;
    Ok((creditor, debtor, dispute))
}

/// An internal note (never shown to the debtor) or a reply (shown and mailed to the debtor).
/// `unread` is why the form could not be read whole (`"too_big"`, `"invalid"`), if it could not:
/// the text read before the problem is kept as the agent's draft.
pub async fn agent_post(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    text: &str,
    internal_note: bool,
    uploads: &[Upload],
    unread: Option<&'static str>,
) -> Result<(), ActionError> {
    let (creditor, debtor, dispute) = agent_dispute(state, agent, id).await?;
    let r = async {
        if let Some(code) = unread {
            return Err(ActionError::Invalid(code));
        }
        let text = read_text(text).map_err(|e| {
            ActionError::Invalid(if e == DisputeError::MessageTooLong {
                "too_long"
            } else {
                "text"
            })
        })?;
        let files =
            check_files(uploads, limits(&creditor)).map_err(|_| ActionError::Invalid("file"))?;
        let s = &state.storage;
        if internal_note {
            s.add_dispute_post(
                &dispute,
                &new_id(),
                &agent.id,
                true,
                &text,
                &files,
                CaseNotice::NONE,
                now(),
            )
            .await
            .map_err(fail)?;
            return Ok(());
        }
        let (link, url) =
            fresh_link(state, &creditor, &debtor.id).map_err(|_| ActionError::Internal)?;
        let mails = to_debtor(
            state,
            &creditor,
            &debtor,
            (
                "Réponse à votre contestation",
                "An answer about your dispute",
            ),
            (
                format!(
                    "Notre équipe vous a répondu :\n\n{text}{}",
                    files_line(&files, true)
                ),
                format!(
                    "Our team has answered you:\n\n{text}{}",
                    files_line(&files, false)
                ),
            ),
            Some(&url),
        )
        .await
        .map_err(|_| ActionError::Internal)?;
        s.add_dispute_post(
            &dispute,
            &new_id(),
            &agent.id,
            false,
            &text,
            &files,
            CaseNotice {
                link: Some(&link),
                mails: &mails,
            },
            now(),
        )
        .await
        .map_err(fail)?;
        state.mail_wake.notify_one();
        Ok(())
    }
    .await;
    let draft = AgentDraft {
        choice: (if internal_note { "internal" } else { "public" }).into(),
        amount: String::new(),
        text: text.into(),
    };
    keep_agent_draft(state, agent, &debtor.id, &post_form(id), &draft, &r).await;
    r
}

/// The line of a mail that says which files wait in the portal (files never go by mail).
fn files_line(files: &[NewFile], fr: bool) -> String {
    if files.is_empty() {
        return String::new();
    }
    let names = files
        .iter()
        .map(|f| f.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    if fr {
        format!("\n\nPièces jointes, à ouvrir dans votre espace : {names}")
    } else {
        format!("\n\nAttached, to open in your portal: {names}")
    }
}

/// Gives the dispute to an internal owner, who is mailed what it is about.
pub async fn assign(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    owner_id: &str,
) -> Result<(), ActionError> {
    let (creditor, debtor, dispute) = agent_dispute(state, agent, id).await?;
    let s = &state.storage;
    let owner = s
        .dispute_owner(&creditor.id, owner_id.trim())
        .await
        .map_err(fail)?
        .ok_or(ActionError::Invalid("owner"))?;
    let first = s
        .dispute_posts(&creditor.id, &dispute.id, false)
        .await
        .map_err(fail)?
        .into_iter()
        .next()
        .map(|p| p.body)
        .unwrap_or_default();
    let numbers = dispute
        .invoices
        .iter()
        .map(|(_, n, _)| n.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mail = crate::mail::notice(
        &creditor,
        &owner.email,
        &owner.name,
        true,
        &format!("Une contestation vous est confiée : {}", debtor.name),
        &[
            format!(
                "{} vous confie la contestation de {} ({}) sur {numbers}, {}.",
                agent.name,
                debtor.name,
                debtor.reference,
                format_money(dispute.contested, Lang::Fr)
            ),
            first,
        ],
        Some(&format!(
            "{}/agent/disputes/{}",
            state.config.public_url, dispute.id
        )),
    );
    match s
        .assign_dispute(
            &dispute,
            &owner.id,
            &agent.id,
            CaseNotice {
                link: None,
                mails: &[mail],
            },
            now(),
        )
        .await
        .map_err(fail)?
    {
        true => {
            state.mail_wake.notify_one();
            Ok(())
        }
        false => Err(ActionError::Conflict),
    }
}

/// Resolves the dispute: credits what is accepted, returns the rest to the chase, tells the debtor.
pub async fn resolve(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    outcome: &str,
    amount: &str,
    explanation: &str,
) -> Result<(), ActionError> {
    let (creditor, debtor, dispute) = agent_dispute(state, agent, id).await?;
    let r = async {
        let (outcome, explanation) = read_outcome(outcome, amount, explanation, dispute.contested).map_err(|e| {
            ActionError::Invalid(match e {
                ResolveError::Outcome => "outcome",
                ResolveError::Amount(_) => "amount",
                ResolveError::PartOutOfRange => "part",
                ResolveError::Explanation => "explanation",
                ResolveError::TooLong => "too_long",
            })
        })?;
        let credit = outcome.credit(dispute.contested);
        let parts: Vec<_> = dispute.invoices.iter().map(|(i, _, m)| (i.clone(), *m)).collect();
        let credits = spread_credit(credit, &parts);
        let numbers = dispute.invoices.iter().map(|(_, n, _)| n.as_str()).collect::<Vec<_>>().join(", ");
        let (fr_credit, en_credit) = (format_money(credit, Lang::Fr), format_money(credit, Lang::En));
        let (fr, en) = match outcome {
            app::domain::dispute::Outcome::Accepted => (
                format!("Votre contestation sur {numbers} est acceptée : un avoir de {fr_credit} est déduit de ce que vous devez."),
                format!("Your dispute about {numbers} is accepted: a credit note of {en_credit} is taken off what you owe."),
            ),
            app::domain::dispute::Outcome::PartlyAccepted(_) => (
                format!("Votre contestation sur {numbers} est acceptée en partie : un avoir de {fr_credit} est déduit, et le reste est de nouveau dû."),
                format!("Your dispute about {numbers} is partly accepted: a credit note of {en_credit} is taken off, and the rest is due again."),
            ),
            app::domain::dispute::Outcome::Rejected => (
                format!("Après examen, votre contestation sur {numbers} n’est pas retenue : ces factures sont de nouveau dues."),
                format!("We have looked at your dispute about {numbers} and cannot accept it: these invoices are due again."),
            ),
        };
        let (fr, en) = if explanation.is_empty() { (fr, en) } else { (format!("{fr}\n\n{explanation}"), format!("{en}\n\n{explanation}")) };
        let (link, url) = fresh_link(state, &creditor, &debtor.id).map_err(|_| ActionError::Internal)?;
        let mails = to_debtor(state, &creditor, &debtor, ("Votre contestation est traitée", "Your dispute is resolved"), (fr, en), Some(&url))
            .await
            .map_err(|_| ActionError::Internal)?;
        match state
            .storage
            .resolve_dispute(&dispute, outcome.status(), &credits, &explanation, &agent.id, CaseNotice { link: Some(&link), mails: &mails }, now())
            .await
        {
            Ok(()) => {
                state.mail_wake.notify_one();
                Ok(())
            }
            Err(StorageError::Stale(_)) => Err(ActionError::Conflict),
            Err(e) => Err(fail(e)),
        }
    }
    .await;
    let draft = AgentDraft {
        choice: outcome.into(),
        amount: amount.into(),
        text: explanation.into(),
    };
    keep_agent_draft(state, agent, &debtor.id, &resolve_form(id), &draft, &r).await;
    r
}

/// Adds an owner (a person or a team) disputes can be given to; admins only.
pub async fn add_owner(
    state: &AppState,
    agent: &AgentRow,
    name: &str,
    email: &str,
) -> Result<(), ActionError> {
    if agent.role != Role::Admin.as_str() {
        return Err(ActionError::Forbidden);
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ActionError::Invalid("owner"));
    }
    let email = app::domain::contact::EmailAddress::parse(email)
        .map_err(|_| ActionError::Invalid("owner"))?;
    state
        .storage
        .add_dispute_owner(&agent.creditor_id, name, email.as_str(), now())
        .await
        .map_err(fail)?;
    Ok(())
}

pub async fn remove_owner(state: &AppState, agent: &AgentRow, id: &str) -> Result<(), ActionError> {
    if agent.role != Role::Admin.as_str() {
        return Err(ActionError::Forbidden);
    }
    match state
        .storage
        .remove_dispute_owner(&agent.creditor_id, id, now())
        .await
        .map_err(fail)?
    {
        true => Ok(()),
        false => Err(ActionError::NotFound),
    }
}
