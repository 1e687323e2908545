//! Payment schedules: the debtor proposes from the portal, the creditor's rules accept at once
//! or send it to an agent, who accepts, rejects or counter-proposes; the jobs then follow each
//! accepted schedule (reminders before instalments, breaking one left unpaid, completion).
//! The rules and the reading of the form are the app's domain code, as in the browser.

pub mod document;
pub mod follow;
mod mails;
pub mod routes;
pub mod rules;

use crate::kernel::context::may_decide;
use crate::kernel::mail::portal_link;
use crate::kernel::statement::{brand, load_statement};
use crate::kernel::summaries::{paid_on, schedule_summary};
use crate::kernel::{AppState, DebtorContext, internal};
use crate::storage::{AgentRow, NewSchedule, Notice, ScheduleRow, ScheduleStatus, StorageError};
use app::domain::invoice::{DocumentKind, Move};
use app::domain::money::Money;
use app::domain::proposal::{InputError, ProposalInput, SchedulableInvoice, read_proposal};
use app::domain::schedule::{Reason, ScheduleRules, Verdict, check_proposal};
use app::domain::statement::Statement;
use app::error::AppError;
use app::views::schedule::{ScheduleOffer, ScheduleView};
use chrono::{Days, NaiveDate};
use mails::{MailKind, mails_for};
use rules::rules_of;

/// An agent's note (reason for a rejection, words with a counter-proposal).
const MAX_NOTE_CHARS: usize = 2000;

/// Invoices a schedule may cover: those the transition table lets into a schedule, with
/// something left, in the currency of the oldest due (one currency per schedule), oldest due
/// first.
pub fn schedulable(statement: &Statement) -> Vec<SchedulableInvoice> {
    let open: Vec<_> = statement
        .items
        .iter()
        .map(|i| &i.invoice)
        .filter(|f| {
            f.kind == DocumentKind::Invoice && f.status.may(Move::Schedule) && f.remaining.minor > 0
        })
        .collect();
    let Some(currency) = open.first().map(|f| f.remaining.currency) else {
        return vec![];
    };
    open.into_iter()
        .filter(|f| f.remaining.currency == currency)
        .map(|f| SchedulableInvoice {
            id: f.id.clone(),
            number: f.number.clone(),
            due_date: f.due_date,
            remaining: f.remaining,
        })
        .collect()
}

/// What the form starts with: every invoice, three monthly instalments, the first a week from
/// today or sooner if the rules ask for it.
fn default_input(
    invoices: &[SchedulableInvoice],
    rules: &ScheduleRules,
    today: NaiveDate,
) -> ProposalInput {
    let total = invoices
        .iter()
        .fold(0i64, |a, i| a.saturating_add(i.remaining.minor));
    let within = invoices
        .first()
        .and_then(|i| rules.band_for(Money::new(total, i.remaining.currency)))
        .map_or(7, |b| b.first_payment_within_days.min(7));
    ProposalInput {
        invoices: invoices.iter().map(|i| i.id.clone()).collect(),
        count: "3".into(),
        rhythm: "monthly".into(),
        first: today
            .checked_add_days(Days::new(within.into()))
            .unwrap_or(today)
            .to_string(),
        lines: vec![],
    }
}

/// The debtor's schedule page. `returned`: what they typed before the server sent them back.
pub async fn view(
    state: &AppState,
    ctx: DebtorContext,
    returned: Option<ProposalInput>,
) -> Result<ScheduleView, AppError> {
    let (c, d) = (ctx.creditor.id.clone(), ctx.debtor.id.clone());
    let (loaded, schedules, rules) = tokio::try_join!(
        async { load_statement(state, ctx).await.map_err(internal) },
        async { state.storage.schedules_of(&c, &d).await.map_err(internal) },
        rules_of(state, &c),
    )?;
    let today = loaded.statement.as_of;
    let tz = loaded.debtor.timezone;
    let live = schedules
        .iter()
        .find(|s| s.status.is_open() || s.status == ScheduleStatus::Accepted);
    let current = live.map(|s| schedule_summary(s, paid_on(s, &loaded.statement), today, tz));
    let last_closed = schedules
        .iter()
        .filter(|s| !s.status.is_open() && s.status != ScheduleStatus::Accepted)
        .find(|s| {
            matches!(
                s.status,
                ScheduleStatus::Rejected | ScheduleStatus::Broken | ScheduleStatus::Completed
            )
        })
        .filter(|s| live.is_none_or(|l| l.created_at < s.created_at))
        .map(|s| schedule_summary(s, Money::zero(s.total.currency), today, tz));
    let invoices = schedulable(&loaded.statement);
    let offer = (live.is_none() && !invoices.is_empty()).then(|| {
        let from_server = returned.filter(|r| !r.invoices.is_empty() || !r.count.is_empty());
        ScheduleOffer {
            returned: from_server.is_some(),
            input: from_server.unwrap_or_else(|| default_input(&invoices, &rules.rules, today)),
            invoices,
            rules: rules.rules.clone(),
            today,
        }
    });
    Ok(ScheduleView {
        brand: brand(&loaded.creditor),
        current,
        last_closed,
        offer,
    })
}

/// Why a proposal was not stored; the form comes back with what the debtor typed.
#[derive(Debug)]
pub enum ProposeError {
    Invalid(InputError),
    /// An open proposal exists already.
    Pending,
    /// An invoice changed between the page and the click.
    Changed,
    App(AppError),
}

impl From<AppError> for ProposeError {
    fn from(e: AppError) -> Self {
        Self::App(e)
    }
}

/// Reads, checks and stores a debtor's proposal: accepted at once when the rules allow, else
/// into the agents' queue. Returns whether it was accepted.
pub async fn propose(
    state: &AppState,
    ctx: DebtorContext,
    input: &ProposalInput,
) -> Result<bool, ProposeError> {
    let rules = rules_of(state, &ctx.creditor.id).await?;
    let loaded = load_statement(state, ctx).await.map_err(internal)?;
    let today = loaded.statement.as_of;
    let invoices = schedulable(&loaded.statement);
    let proposal = read_proposal(&invoices, input).map_err(ProposeError::Invalid)?;
    let verdict = check_proposal(&rules.rules, proposal.total, &proposal.instalments, today)
        .map_err(|e| ProposeError::Invalid(InputError::Schedule(e)))?;
    let (status, reasons) = match verdict {
        Verdict::AcceptAtOnce => (ScheduleStatus::Accepted, vec![]),
        Verdict::Review(r) => (ScheduleStatus::Proposed, r),
    };
    let id = crate::storage::new_id();
    let (creditor, debtor) = (&loaded.creditor, &loaded.debtor);
    let kind = if status == ScheduleStatus::Accepted {
        MailKind::Accepted
    } else {
        MailKind::Received
    };
    let mails = mails_for(state, creditor, debtor, &id, kind, None, "")
        .await
        .map_err(internal)?;
    let n = NewSchedule {
        id: &id,
        creditor_id: &creditor.id,
        debtor_id: &debtor.id,
        total: proposal.total,
        invoices: &proposal.invoices,
        instalments: &proposal.instalments,
        reasons: &reasons,
        status,
        proposed_by: "debtor",
        replaces_id: None,
        note: "",
    };
    match state
        .storage
        .insert_schedule(
            &n,
            Notice {
                link: None,
                mails: &mails,
            },
            state.now(),
        )
        .await
    {
        Ok(_) => {
            state.mail_queued();
            Ok(status == ScheduleStatus::Accepted)
        }
        Err(StorageError::Duplicate(_)) => Err(ProposeError::Pending),
        Err(StorageError::Stale(_)) => Err(ProposeError::Changed),
        Err(e) => Err(ProposeError::App(internal(e))),
    }
}

fn stale_to_conflict(e: StorageError) -> AppError {
    match e {
        StorageError::Stale(what) => AppError::Conflict(what),
        e => internal(e),
    }
}

/// The debtor withdraws their proposal before anyone decided.
pub async fn withdraw(state: &AppState, ctx: &DebtorContext, id: &str) -> Result<(), AppError> {
    let s = debtor_schedule(state, ctx, id).await?;
    state
        .storage
        .withdraw_schedule(&s, state.now())
        .await
        .map_err(stale_to_conflict)
}

/// The debtor accepts or declines an agent's counter-proposal.
pub async fn answer(
    state: &AppState,
    ctx: &DebtorContext,
    id: &str,
    accept: bool,
) -> Result<(), AppError> {
    let s = debtor_schedule(state, ctx, id).await?;
    let (to, mails) = if accept {
        (
            ScheduleStatus::Accepted,
            mails_for(
                state,
                &ctx.creditor,
                &ctx.debtor,
                &s.id,
                MailKind::Accepted,
                None,
                "",
            )
            .await
            .map_err(internal)?,
        )
    } else {
        (ScheduleStatus::Declined, vec![])
    };
    state
        .storage
        .decide_schedule(
            &s,
            to,
            "debtor",
            "",
            Notice {
                link: None,
                mails: &mails,
            },
            state.now(),
        )
        .await
        .map_err(stale_to_conflict)?;
    state.mail_queued();
    Ok(())
}

async fn debtor_schedule(
    state: &AppState,
    ctx: &DebtorContext,
    id: &str,
) -> Result<ScheduleRow, AppError> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::NotFound);
    }
    state
        .storage
        .schedule(&ctx.creditor.id, Some(&ctx.debtor.id), id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)
}

/// What an agent decides on a proposal.
pub enum Decision {
    Accept,
    Reject {
        note: String,
    },
    /// The same invoices, on the agent's terms.
    Counter {
        input: ProposalInput,
        note: String,
    },
}

fn check_note(note: &str, required: bool) -> Result<String, AppError> {
    let note = note.trim();
    if required && note.is_empty() {
        return Err(AppError::Validation(
            "say why, in a few words the debtor will read".into(),
        ));
    }
    if note.chars().count() > MAX_NOTE_CHARS
        || note
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(AppError::Validation(format!(
            "the message must be plain text of at most {MAX_NOTE_CHARS} characters"
        )));
    }
    Ok(note.to_string())
}

/// An agent decides on a proposal of their creditor. `Conflict` if the debtor withdrew it or
/// another agent decided first; nothing is changed then.
pub async fn decide(
    state: &AppState,
    agent: &AgentRow,
    id: &str,
    decision: Decision,
) -> Result<(), AppError> {
    if !may_decide(agent) {
        return Err(AppError::Unauthorized);
    }
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::NotFound);
    }
    let c = &agent.creditor_id;
    let s = state
        .storage
        .schedule(c, None, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let creditor = state
        .storage
        .creditor(c)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let debtor = state
        .storage
        .debtor(c, &s.debtor_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    if s.status != ScheduleStatus::Proposed {
        return Err(AppError::Conflict(
            "this proposal is no longer waiting for a decision".into(),
        ));
    }
    let (row, url) = portal_link(state, &creditor, &debtor.id).map_err(internal)?;
    match decision {
        Decision::Accept => {
            let mails = mails_for(
                state,
                &creditor,
                &debtor,
                &s.id,
                MailKind::Accepted,
                Some(&url),
                "",
            )
            .await
            .map_err(internal)?;
            let notice = Notice {
                link: Some(&row),
                mails: &mails,
            };
            state
                .storage
                .decide_schedule(
                    &s,
                    ScheduleStatus::Accepted,
                    &agent.id,
                    "",
                    notice,
                    state.now(),
                )
                .await
                .map_err(stale_to_conflict)?;
        }
        Decision::Reject { note } => {
            let note = check_note(&note, true)?;
            let mails = mails_for(
                state,
                &creditor,
                &debtor,
                &s.id,
                MailKind::Rejected,
                Some(&url),
                &note,
            )
            .await
            .map_err(internal)?;
            let notice = Notice {
                link: Some(&row),
                mails: &mails,
            };
            state
                .storage
                .decide_schedule(
                    &s,
                    ScheduleStatus::Rejected,
                    &agent.id,
                    &note,
                    notice,
                    state.now(),
                )
                .await
                .map_err(stale_to_conflict)?;
        }
        Decision::Counter { mut input, note } => {
            let note = check_note(&note, false)?;
            let ctx = DebtorContext {
                creditor: creditor.clone(),
                debtor: debtor.clone(),
            };
            let loaded = load_statement(state, ctx).await.map_err(internal)?;
            let today = loaded.statement.as_of;
            // The counter-proposal covers the invoices the debtor chose.
            input.invoices = s.invoices.iter().map(|(id, _, _)| id.clone()).collect();
            let proposal = read_proposal(&schedulable(&loaded.statement), &input)
                .map_err(|e| AppError::Validation(e.to_string()))?;
            let verdict = check_proposal(
                &rules_of(state, c).await?.rules,
                proposal.total,
                &proposal.instalments,
                today,
            )
            .map_err(|e| AppError::Validation(e.to_string()))?;
            let reasons: Vec<Reason> = match verdict {
                Verdict::AcceptAtOnce => vec![],
                Verdict::Review(r) => r,
            };
            let new_id = crate::storage::new_id();
            let mails = mails_for(
                state,
                &creditor,
                &debtor,
                &new_id,
                MailKind::Countered,
                Some(&url),
                &note,
            )
            .await
            .map_err(internal)?;
            let n = NewSchedule {
                id: &new_id,
                creditor_id: c,
                debtor_id: &debtor.id,
                total: proposal.total,
                invoices: &proposal.invoices,
                instalments: &proposal.instalments,
                reasons: &reasons,
                status: ScheduleStatus::Countered,
                proposed_by: &agent.id,
                replaces_id: Some(&s.id),
                note: &note,
            };
            state
                .storage
                .insert_schedule(
                    &n,
                    Notice {
                        link: Some(&row),
                        mails: &mails,
                    },
                    state.now(),
                )
                .await
                .map_err(|e| match e {
                    StorageError::Duplicate(_) => {
                        AppError::Conflict("the debtor has another open proposal".into())
                    }
                    e => stale_to_conflict(e),
                })?;
        }
    }
    state.mail_queued();
    Ok(())
}

/// An agent has handled a broken schedule or a declined counter-proposal.
pub async fn acknowledge(state: &AppState, agent: &AgentRow, id: &str) -> Result<(), AppError> {
    if !may_decide(agent) {
        return Err(AppError::Unauthorized);
    }
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(AppError::NotFound);
    }
    let s = state
        .storage
        .schedule(&agent.creditor_id, None, id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    state
        .storage
        .acknowledge_schedule(&s, &agent.id, state.now())
        .await
        .map_err(stale_to_conflict)
}
