//! Payment schedules: the debtor proposes from the portal, the creditor's rules accept at once
//! or send it to an agent, who accepts, rejects or counter-proposes; the jobs then follow each
//! accepted schedule (reminders before instalments, breaking one left unpaid, completion).
//! The rules and the reading of the form are the app's domain code, as in the browser.

use crate::jobs::now;
use crate::mail::html_escape;
use crate::portal::{DebtorContext, internal, load_statement, today_in};
use crate::state::AppState;
use crate::storage::{
    AgentRow, Attachment, CreditorRow, DebtorRow, NewMail, NewSchedule, Notice, RulesRow,
    ScheduleRow, ScheduleStatus, StorageError,
};
use app::domain::invoice::{DocumentKind, InvoiceStatus};
use app::domain::locale::{Lang, format_date, format_money};
use app::domain::money::Money;
use app::domain::proposal::{InputError, ProposalInput, SchedulableInvoice, read_proposal};
use app::domain::schedule::{Reason, ScheduleRules, Verdict, check_proposal};
use app::domain::statement::Statement;
use app::error::AppError;
use app::i18n;
use app::views::schedule::{
    InstalmentState, InstalmentView, ScheduleOffer, ScheduleSummary, ScheduleView,
};
use chrono::{Days, NaiveDate, Utc};

/// Without rules from the creditor, every proposal goes to a person.
pub const DEFAULT_REMINDER_DAYS: i64 = 3;
pub const DEFAULT_GRACE_DAYS: i64 = 7;
/// An agent's note (reason for a rejection, words with a counter-proposal).
const MAX_NOTE_CHARS: usize = 2000;

pub async fn rules_of(state: &AppState, creditor_id: &str) -> Result<RulesRow, AppError> {
    Ok(state
        .storage
        .schedule_rules(creditor_id)
        .await
        .map_err(internal)?
        .unwrap_or(RulesRow {
            rules: ScheduleRules { bands: vec![] },
            reminder_days: DEFAULT_REMINDER_DAYS,
            grace_days: DEFAULT_GRACE_DAYS,
        }))
}

/// Validates and stores a creditor's rules (command line, demo, admin page).
pub async fn set_rules(
    storage: &crate::storage::Storage,
    creditor_id: &str,
    r: RulesRow,
    actor: &str,
) -> anyhow::Result<()> {
    r.rules
        .validate()
        .map_err(|e| anyhow::anyhow!("the rules are not valid: {e}"))?;
    if !(0..=60).contains(&r.reminder_days) || !(0..=90).contains(&r.grace_days) {
        anyhow::bail!(
            "the reminder comes 0 to 60 days before an instalment, and the grace period is 0 to 90 days"
        );
    }
    storage
        .set_schedule_rules(creditor_id, &r, actor, now())
        .await?;
    Ok(())
}

/// Invoices a schedule may cover: open or promised, something left, in the currency of the
/// oldest due (one currency per schedule), oldest due first.
pub fn schedulable(statement: &Statement) -> Vec<SchedulableInvoice> {
    let open: Vec<_> = statement
        .items
        .iter()
        .map(|i| &i.invoice)
        .filter(|f| {
            f.kind == DocumentKind::Invoice
                && matches!(f.status, InvoiceStatus::Open | InvoiceStatus::Promised)
                && f.remaining.minor > 0
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

/// Paid on a schedule's invoices since it was proposed, from the statement as it is now (an
/// invoice no longer on the statement is paid).
pub fn paid_on(s: &ScheduleRow, statement: &Statement) -> Money {
    let paid = s.invoices.iter().fold(0i64, |acc, (id, _, owed)| {
        let left = statement
            .items
            .iter()
            .find(|i| &i.invoice.id == id)
            .map_or(0, |i| i.invoice.remaining.minor);
        acc + (owed.minor - left).max(0)
    });
    Money::new(paid, s.total.currency)
}

/// Each instalment is paid once the payments cover it and every one before it.
pub fn instalment_states(s: &ScheduleRow, paid: Money, today: NaiveDate) -> Vec<InstalmentView> {
    let mut covered = 0i64;
    s.instalments
        .iter()
        .map(|i| {
            covered += i.amount.minor;
            let state = if paid.minor >= covered {
                InstalmentState::Paid
            } else if i.due_date <= today {
                InstalmentState::Due
            } else {
                InstalmentState::Upcoming
            };
            InstalmentView {
                seq: i.seq as u32,
                due_date: i.due_date,
                amount: i.amount,
                state,
            }
        })
        .collect()
}

pub fn summary(s: &ScheduleRow, paid: Money, today: NaiveDate, tz: &str) -> ScheduleSummary {
    let proposed_on =
        chrono::DateTime::from_timestamp(s.created_at, 0).map_or(today, |t| today_in(tz, t));
    ScheduleSummary {
        id: s.id.clone(),
        state: s.status,
        total: s.total,
        paid,
        invoices: s.invoices.iter().map(|(_, n, m)| (n.clone(), *m)).collect(),
        instalments: instalment_states(s, paid, today),
        reasons: s.reasons.clone(),
        note: s.note.clone(),
        proposed_on,
        needs_agent: s.needs_agent,
        card_saved: s.card_payment_method.is_some(),
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
    let tz = loaded.debtor.timezone.clone();
    let live = schedules
        .iter()
        .find(|s| s.status.is_open() || s.status == ScheduleStatus::Accepted);
    let current = live.map(|s| summary(s, paid_on(s, &loaded.statement), today, &tz));
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
        .map(|s| summary(s, Money::zero(s.total.currency), today, &tz));
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
        brand: crate::portal::brand(&loaded.creditor),
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
    let mails = mails_for(state, creditor, debtor, &id, kind, None, "").await?;
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
            now(),
        )
        .await
    {
        Ok(_) => {
            state.mail_wake.notify_one();
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
        .withdraw_schedule(&s, now())
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
            .await?,
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
            now(),
        )
        .await
        .map_err(stale_to_conflict)?;
    state.mail_wake.notify_one();
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

/// Whether this agent may decide (read-only accounts may only look).
pub fn may_decide(agent: &AgentRow) -> bool {
    matches!(agent.role.as_str(), "admin" | "agent")
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
    let (row, token) = state
        .links
        .prepare_for(&creditor, &debtor.id, now())
        .map_err(internal)?;
    let url = format!("{}/l/{}", state.config.public_url, token);
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
            .await?;
            let notice = Notice {
                link: Some(&row),
                mails: &mails,
            };
            state
                .storage
                .decide_schedule(&s, ScheduleStatus::Accepted, &agent.id, "", notice, now())
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
            .await?;
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
                    now(),
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
            .await?;
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
                    now(),
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
    state.mail_wake.notify_one();
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
        .acknowledge_schedule(&s, &agent.id, now())
        .await
        .map_err(stale_to_conflict)
}

/// What the jobs did in one pass.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FollowUp {
    pub reminded: usize,
    pub broken: usize,
    pub completed: usize,
    /// Instalments charged to a saved card, and charges that failed (the debtor is told).
    pub charged: usize,
    pub charge_failed: usize,
}

/// Follows every accepted schedule: completes the paid ones, sends the friendly reminder a few
/// days before the next instalment, and breaks a schedule whose instalment is unpaid past the
/// creditor's grace period.
pub async fn follow(state: &AppState) -> anyhow::Result<FollowUp> {
    let mut done = FollowUp::default();
    for f in state.storage.followed_schedules(500).await? {
        let s = &f.schedule;
        let today = today_in(&f.timezone, Utc::now());
        if f.paid.minor >= s.total.minor {
            // Another instance may have got there first: that is not an error.
            match state.storage.complete_schedule(s, now()).await {
                Ok(()) => done.completed += 1,
                Err(StorageError::Stale(_)) => {}
                Err(e) => return Err(e.into()),
            }
            continue;
        }
        let rules = rules_of(state, &s.creditor_id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let states = instalment_states(s, f.paid, today);
        let Some((next, row)) = states
            .iter()
            .zip(&s.instalments)
            .find(|(v, _)| v.state != InstalmentState::Paid)
        else {
            continue;
        };
        let (Some(creditor), Some(debtor)) = (
            state.storage.creditor(&s.creditor_id).await?,
            state.storage.debtor(&s.creditor_id, &s.debtor_id).await?,
        ) else {
            continue;
        };
        let late_by = (today - next.due_date).num_days();
        // On its date, an instalment is charged to the card the debtor saved, once.
        if late_by >= 0 && s.card_payment_method.is_some() && row.charge_attempt_id.is_none() {
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
            if due.minor > 0
                && state
                    .storage
                    .claim_instalment_charge(s, row.seq, &attempt_id)
                    .await?
            {
                let outcome = crate::payments::charge_saved_card(
                    state,
                    &creditor,
                    &debtor,
                    s,
                    &attempt_id,
                    due,
                )
                .await
                .map_err(|e| anyhow::anyhow!("{e}"))?;
                match outcome {
                    Some(crate::payments::stripe::ChargeOutcome::Succeeded { .. }) => {
                        done.charged += 1
                    }
                    Some(crate::payments::stripe::ChargeOutcome::Pending { .. }) => {}
                    _ => {
                        let (link, token) =
                            state.links.prepare_for(&creditor, &debtor.id, now())?;
                        let url = format!("{}/l/{}", state.config.public_url, token);
                        let kind = MailKind::ChargeFailed {
                            seq: next.seq,
                            amount: due,
                        };
                        let mails =
                            mails_for(state, &creditor, &debtor, &s.id, kind, Some(&url), "")
                                .await
                                .map_err(|e| anyhow::anyhow!("{e}"))?;
                        state.storage.notify_schedule(s, "instalment_charge_failed", serde_json::json!({ "schedule": s.id, "seq": row.seq, "attempt": attempt_id }), Notice { link: Some(&link), mails: &mails }, now()).await?;
                        done.charge_failed += 1;
                    }
                }
                continue;
            }
        }
        let kind = if late_by > rules.grace_days {
            MailKind::Broken
        } else if late_by < 0 && -late_by <= rules.reminder_days && row.reminded_at.is_none() {
            MailKind::Reminder {
                seq: next.seq,
                amount: next.amount,
                due: next.due_date,
            }
        } else {
            continue;
        };
        let (link, token) = state.links.prepare_for(&creditor, &debtor.id, now())?;
        let url = format!("{}/l/{}", state.config.public_url, token);
        let mails = mails_for(state, &creditor, &debtor, &s.id, kind, Some(&url), "")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let notice = Notice {
            link: Some(&link),
            mails: &mails,
        };
        match kind {
            MailKind::Broken => match state
                .storage
                .break_schedule(s, row.seq, notice, now())
                .await
            {
                Ok(()) => done.broken += 1,
                Err(StorageError::Stale(_)) => {}
                Err(e) => return Err(e.into()),
            },
            _ => {
                if state
                    .storage
                    .remind_instalment(s, row.seq, notice, now())
                    .await?
                {
                    done.reminded += 1;
                }
            }
        }
    }
    if done.reminded + done.broken + done.charged + done.charge_failed > 0 {
        state.mail_wake.notify_one();
    }
    Ok(done)
}

#[derive(Debug, Clone, Copy)]
enum MailKind {
    /// Accepted (at once, by an agent, or the debtor accepted a counter-proposal): with the PDF.
    Accepted,
    /// Received, for review.
    Received,
    Rejected,
    Countered,
    Reminder {
        seq: u32,
        amount: Money,
        due: NaiveDate,
    },
    Broken,
    /// The automatic charge of an instalment to the saved card failed: pay it by hand.
    ChargeFailed {
        seq: u32,
        amount: Money,
    },
}

/// One mail per contact of the debtor, in the debtor's language. `url`: a fresh link into the
/// portal, for mails the debtor did not just cause; `note`: the agent's words.
async fn mails_for(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    schedule_id: &str,
    kind: MailKind,
    url: Option<&str>,
    note: &str,
) -> Result<Vec<NewMail>, AppError> {
    let contacts = state
        .storage
        .contacts(&creditor.id, &debtor.id)
        .await
        .map_err(internal)?;
    let lang = Lang::parse(&debtor.locale).unwrap_or_default();
    let name = &creditor.name;
    let fr = lang == Lang::Fr;
    let (subject, body): (&i18n::Text, String) = match kind {
        MailKind::Accepted => (
            &i18n::SCHEDULE_ACCEPTED_SUBJECT,
            if fr {
                "Votre échéancier de paiement est accepté. Vous le trouverez en pièce jointe (PDF), avec la date et le montant de chaque échéance. Tant que vous le suivez, les factures qu’il couvre ne font l’objet d’aucune relance. Nous vous écrirons quelques jours avant chaque échéance.".into()
            } else {
                "Your payment schedule is accepted. It is attached (PDF), with the date and amount of each instalment. As long as you follow it, the invoices it covers are not chased. We will write a few days before each instalment.".into()
            },
        ),
        MailKind::Received => (
            &i18n::SCHEDULE_REVIEW_SUBJECT,
            if fr {
                format!(
                    "Nous avons bien reçu votre proposition d’échéancier. Une personne de {name} l’examine et vous répondra par e-mail."
                )
            } else {
                format!(
                    "We have received your schedule proposal. Someone at {name} will review it and answer you by email."
                )
            },
        ),
        MailKind::Rejected => (
            &i18n::SCHEDULE_REJECTED_SUBJECT,
            if fr {
                format!(
                    "Nous ne pouvons pas accepter votre proposition d’échéancier.\n\nMotif : {note}\n\nVous pouvez en proposer une autre depuis le lien ci-dessous."
                )
            } else {
                format!(
                    "We cannot accept your schedule proposal.\n\nReason: {note}\n\nYou can propose another one from the link below."
                )
            },
        ),
        MailKind::Countered => (&i18n::SCHEDULE_COUNTER_SUBJECT, {
            let words = if note.is_empty() {
                String::new()
            } else if fr {
                format!("\n\nMessage : {note}")
            } else {
                format!("\n\nMessage: {note}")
            };
            if fr {
                format!(
                    "{name} vous propose un autre échéancier.{words}\n\nOuvrez le lien ci-dessous pour le lire, puis l’accepter ou le refuser."
                )
            } else {
                format!(
                    "{name} offers you a different schedule.{words}\n\nOpen the link below to read it, then accept or decline it."
                )
            }
        }),
        MailKind::Reminder { seq, amount, due } => (
            &i18n::SCHEDULE_REMINDER_SUBJECT,
            if fr {
                format!(
                    "Petit rappel : l’échéance {seq} de votre échéancier, {}, tombe le {}. Vous pouvez la payer depuis le lien ci-dessous. Si c’est déjà fait, merci, et ignorez ce message.",
                    format_money(amount, lang),
                    format_date(due, lang)
                )
            } else {
                format!(
                    "A friendly reminder: instalment {seq} of your schedule, {}, falls due on {}. You can pay it from the link below. If you already have, thank you, and please ignore this message.",
                    format_money(amount, lang),
                    format_date(due, lang)
                )
            },
        ),
        MailKind::ChargeFailed { seq, amount } => (
            &i18n::SCHEDULE_CHARGE_FAILED_SUBJECT,
            if fr {
                format!(
                    "Nous n’avons pas pu débiter l’échéance {seq} de votre échéancier ({}) sur la carte enregistrée. Rien n’a été débité. Vous pouvez la payer depuis le lien ci-dessous, par carte ou par virement.",
                    format_money(amount, lang)
                )
            } else {
                format!(
                    "We could not charge instalment {seq} of your schedule ({}) to the saved card. Nothing was charged. You can pay it from the link below, by card or bank transfer.",
                    format_money(amount, lang)
                )
            },
        ),
        MailKind::Broken => (
            &i18n::SCHEDULE_BROKEN_SUBJECT,
            if fr {
                "Une échéance de votre échéancier n’a pas été payée dans le délai prévu. L’échéancier a donc pris fin et les factures qu’il couvrait sont de nouveau à régler. Si vous rencontrez une difficulté, répondez-nous ou faites une nouvelle proposition depuis le lien ci-dessous.".into()
            } else {
                "An instalment of your schedule was not paid in time. The schedule has therefore ended, and the invoices it covered are due again. If you are having difficulties, write to us or make a new proposal from the link below.".into()
            },
        ),
    };
    let attachment =
        matches!(kind, MailKind::Accepted).then(|| (Attachment::Schedule, schedule_id.to_string()));
    Ok(contacts
        .iter()
        .map(|c| {
            notice_mail(
                lang,
                &creditor.id,
                name,
                &c.name,
                &c.email,
                subject.get(lang),
                &body,
                url,
                attachment.clone(),
            )
        })
        .collect())
}

/// A short mail: greeting, paragraphs, an optional link into the portal, signature.
#[allow(clippy::too_many_arguments)]
fn notice_mail(
    lang: Lang,
    creditor_id: &str,
    creditor_name: &str,
    to_name: &str,
    to: &str,
    subject: &str,
    body: &str,
    url: Option<&str>,
    attachment: Option<(Attachment, String)>,
) -> NewMail {
    let hello = if lang == Lang::Fr {
        format!("Bonjour {to_name},")
    } else {
        format!("Hello {to_name},")
    };
    let link_text = i18n::SCHEDULE_TITLE.get(lang);
    let mut text = format!("{hello}\n\n{body}\n\n");
    let mut html = format!("<p>{}</p>", html_escape(&hello));
    for p in body.split("\n\n") {
        html.push_str(&format!("<p>{}</p>", html_escape(p).replace('\n', "<br>")));
    }
    if let Some(url) = url {
        text.push_str(&format!("{url}\n\n"));
        html.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            html_escape(url),
            html_escape(link_text)
        ));
    }
    text.push_str(&format!("{creditor_name}\n"));
    html.push_str(&format!("<p>{}</p>", html_escape(creditor_name)));
    NewMail {
        creditor_id: Some(creditor_id.into()),
        to_address: to.into(),
        to_name: to_name.into(),
        subject: format!("{subject} — {creditor_name}"),
        text_body: text,
        html_body: html,
        attachment,
    }
}
