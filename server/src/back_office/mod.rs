//! What the back office pages show: the debtors list, the queue of cases waiting for a person,
//! a debtor's page (statement, schedules, disputes, messages, timeline) and the settings page;
//! and the case settings form. Always scoped to the signed-in agent's creditor.

pub mod settings;

use crate::kernel::clock;
use crate::kernel::context::{is_admin, may_decide};
use crate::kernel::forms::agent_draft;
use crate::kernel::forms::keys::ANSWER;
use crate::kernel::statement::{brand, load_statement};
use crate::kernel::summaries::{dispute_summary, paid_on, schedule_summary, thread};
use crate::kernel::{AgentContext, AppState, DebtorContext, internal};
use crate::reminder;
use crate::storage::{CreditorRow, EventRow};
use app::domain::locale::{Lang, format_money};
use app::domain::money::{Currency, Money};
use app::error::AppError;
use app::views::agent::{
    AgentDebtorView, AgentHomeView, BouncingLine, DebtorLine, DisputeQueueLine, MissedPromiseLine,
    PauseLine, PhaseOverLine, QueueLine, QueueView, ReminderLine, ReminderProfileView,
    ReminderTaskLine, RulesView, TimelineEntry, UnreadLine,
};
use std::collections::HashMap;

/// An instant in the creditor's time zone, to the minute.
fn local_time(creditor: &CreditorRow, at: i64) -> String {
    clock::local_time(creditor.timezone, at)
}

/// The agent's creditor's debtors, matching `search` (name, reference, invoice number), sorted
/// by the largest balance or the oldest due date.
pub async fn debtors(
    state: &AppState,
    token: &str,
    search: &str,
    sort: &str,
) -> Result<AgentHomeView, AppError> {
    let AgentContext { agent, creditor } = AgentContext::of_token(state, token).await?;
    let search: String = search.chars().take(100).collect();
    let rows = state
        .storage
        .debtor_summaries(&creditor.id, &search)
        .await
        .map_err(internal)?;
    let mut debtors: Vec<DebtorLine> = rows
        .into_iter()
        .map(|r| DebtorLine {
            id: r.id,
            reference: r.reference,
            name: r.name,
            balances: r.balances,
            oldest_due: r.oldest_due,
        })
        .collect();
    let sort = if sort == "oldest" {
        "oldest"
    } else {
        "balance"
    };
    if sort == "oldest" {
        // Oldest due first; debtors with nothing due last.
        debtors.sort_by(|a, b| {
            (a.oldest_due.is_none(), a.oldest_due, &a.name).cmp(&(
                b.oldest_due.is_none(),
                b.oldest_due,
                &b.name,
            ))
        });
    } else {
        let key = |d: &DebtorLine| d.balances.iter().map(|m| m.minor).max().unwrap_or(0);
        debtors.sort_by(|a, b| key(b).cmp(&key(a)).then_with(|| a.name.cmp(&b.name)));
    }
    Ok(AgentHomeView {
        brand: brand(&creditor),
        agent_name: agent.name,
        role: agent.role,
        search,
        sort: sort.into(),
        debtors,
    })
}

pub async fn queue(state: &AppState, token: &str) -> Result<QueueView, AppError> {
    let AgentContext { agent, creditor } = AgentContext::of_token(state, token).await?;
    let rows = state
        .storage
        .schedule_queue(&creditor.id)
        .await
        .map_err(internal)?;
    let lines = rows
        .into_iter()
        .map(|r| QueueLine {
            schedule_id: r.schedule_id,
            debtor_id: r.debtor_id,
            debtor_name: r.debtor_name,
            debtor_reference: r.debtor_reference,
            state: r.status,
            total: r.total,
            waiting_since: local_time(&creditor, r.waiting_since),
            reasons: r.reasons,
        })
        .collect();
    let missed_promises = state
        .storage
        .missed_promises(&creditor.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|(p, name, reference)| MissedPromiseLine {
            promise_id: p.id,
            debtor_id: p.debtor_id,
            debtor_name: name,
            debtor_reference: reference,
            amount: p.amount,
            promised_for: p.promised_for,
        })
        .collect();
    let (disputes, unread) = tokio::try_join!(
        state.storage.open_disputes(&creditor.id),
        state.storage.unread_messages(&creditor.id)
    )
    .map_err(internal)?;
    let disputes = disputes
        .into_iter()
        .map(|r| DisputeQueueLine {
            waiting_since: local_time(&creditor, r.dispute.created_at),
            dispute: dispute_summary(&r.dispute, creditor.timezone, r.owner_name),
            debtor_name: r.debtor_name,
            debtor_reference: r.debtor_reference,
        })
        .collect();
    let unread = unread
        .into_iter()
        .map(|u| UnreadLine {
            waiting_since: local_time(&creditor, u.oldest),
            debtor_id: u.debtor_id,
            debtor_name: u.debtor_name,
            debtor_reference: u.debtor_reference,
            unread: u.unread,
        })
        .collect();
    let reminder_tasks = reminder_tasks(state, &creditor).await?;
    let phase_over = phase_over(state, &creditor).await?;
    let bouncing = state
        .storage
        .bouncing_contacts(&creditor.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|c| BouncingLine {
            since: local_time(&creditor, c.since),
            contact_id: c.contact_id,
            debtor_id: c.debtor_id,
            debtor_name: c.debtor_name,
            contact_name: c.name,
            email: c.email,
            answer: c.bounce,
        })
        .collect();
    Ok(QueueView {
        brand: brand(&creditor),
        agent_name: agent.name,
        role: agent.role,
        lines,
        missed_promises,
        disputes,
        unread,
        reminder_tasks,
        phase_over,
        bouncing,
    })
}

/// Tasks shown with their text; past this many, the rest wait for the next page load.
const TASKS_SHOWN: usize = 50;

/// The reminder steps waiting for a person, each with its text rendered for its debtor.
async fn reminder_tasks(
    state: &AppState,
    creditor: &CreditorRow,
) -> Result<Vec<ReminderTaskLine>, AppError> {
    let rows = state
        .storage
        .reminder_tasks(&creditor.id)
        .await
        .map_err(internal)?;
    let mut out = vec![];
    for r in rows.into_iter().take(TASKS_SHOWN) {
        let Some(task) = state
            .storage
            .reminder(&creditor.id, &r.id)
            .await
            .map_err(internal)?
        else {
            continue;
        };
        let prepared = reminder::letter::prepare(
            state,
            creditor,
            &task.debtor_id,
            &task.step_id,
            task.step_seq,
            &task.items,
        )
        .await
        .map_err(|e| internal(format!("{e:#}")))?;
        let (subject, script) = match prepared.map(|p| p.text(creditor)) {
            Some(Ok(t)) => t,
            Some(Err(e)) => {
                tracing::error!(reminder = %r.id, error = %format!("{e:#}"), "rendering a task's text");
                (String::new(), String::new())
            }
            None => (String::new(), String::new()),
        };
        out.push(ReminderTaskLine {
            id: r.id,
            debtor_id: r.debtor_id,
            debtor_name: r.debtor_name,
            channel: r.channel.as_str().to_string(),
            step_seq: r.step_seq,
            decided_on: r.decided_on,
            invoices: r.invoices,
            subject,
            script,
        });
    }
    Ok(out)
}

/// Open invoices whose amicable phase is over (the domain's `phase_over`, by each debtor's
/// scenario and the invoice's extension).
async fn phase_over(
    state: &AppState,
    creditor: &CreditorRow,
) -> Result<Vec<PhaseOverLine>, AppError> {
    use app::domain::invoice::InvoiceStatus;
    use app::domain::reminder::{Item, phase_over};
    let settings = state
        .storage
        .reminder_settings(&creditor.id)
        .await
        .map_err(internal)?;
    let scenarios = reminder::run::Scenarios::load(
        state
            .storage
            .scenarios(&creditor.id)
            .await
            .map_err(internal)?,
        settings.phase_days,
    );
    let today = state.today_in(creditor.timezone);
    // A phase lasts at least `phase_days` after the due date: younger invoices cannot be over.
    let before = today - chrono::Duration::days(settings.phase_days);
    let rows = state
        .storage
        .phase_candidates(&creditor.id, before)
        .await
        .map_err(internal)?;
    let mut out = vec![];
    for c in rows {
        let Some((scenario, _)) = scenarios.for_segment(&c.segment) else {
            continue;
        };
        let item = Item {
            id: c.invoice_id.clone(),
            due: c.due,
            status: InvoiceStatus::Open,
            remaining_minor: c.remaining.minor,
            level: c.level,
            paused: false,
            extension_days: c.extension_days,
        };
        if !phase_over(scenario, &item, today) {
            continue;
        }
        out.push(PhaseOverLine {
            invoice_id: c.invoice_id,
            number: c.number,
            debtor_id: c.debtor_id,
            debtor_name: c.debtor_name,
            debtor_reference: c.debtor_reference,
            remaining: c.remaining,
            ended_on: scenario.phase_end(c.due, c.extension_days),
            extended: c.extension_days > 0,
        });
    }
    Ok(out)
}

pub async fn debtor_page(
    state: &AppState,
    token: &str,
    debtor_id: &str,
) -> Result<AgentDebtorView, AppError> {
    let AgentContext { agent, creditor } = AgentContext::of_token(state, token).await?;
    if uuid::Uuid::parse_str(debtor_id).is_err() {
        return Err(AppError::NotFound);
    }
    let debtor = state
        .storage
        .debtor(&creditor.id, debtor_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let (schedules, events, agents, disputes, messages) = tokio::try_join!(
        state.storage.schedules_of(&creditor.id, &debtor.id),
        state.storage.events(&creditor.id, &debtor.id),
        state.storage.agent_names(&creditor.id),
        state.storage.disputes_of(&creditor.id, &debtor.id),
        state.storage.messages_of(&creditor.id, &debtor.id),
    )
    .map_err(internal)?;
    let answer_draft = agent_draft(state, &agent, &debtor.id, ANSWER)
        .await
        .map_err(internal)?;
    let pause_draft = agent_draft(state, &agent, &debtor.id, reminder::actions::PAUSE_FORM)
        .await
        .map_err(internal)?;
    let debtor_today = state.today_in(debtor.timezone);
    let (reminder_rows, pause_rows, profile, scenarios) = tokio::try_join!(
        state.storage.reminders_of(&creditor.id, &debtor.id),
        state
            .storage
            .pauses_of(&creditor.id, &debtor.id, debtor_today),
        state.storage.reminder_profile(&creditor.id, &debtor.id),
        state.storage.scenarios(&creditor.id),
    )
    .map_err(internal)?;
    // The page shows the conversation: what the debtor wrote is read.
    state
        .storage
        .mark_messages_read(&creditor.id, &debtor.id, true, state.now())
        .await
        .map_err(internal)?;
    let loaded = load_statement(
        state,
        DebtorContext {
            creditor: creditor.clone(),
            debtor: debtor.clone(),
        },
    )
    .await
    .map_err(internal)?;
    let today = loaded.statement.as_of;
    let schedules = schedules
        .iter()
        .map(|s| schedule_summary(s, paid_on(s, &loaded.statement), today, debtor.timezone))
        .collect();
    let names: HashMap<String, String> = agents.into_iter().collect();
    let lang = app::ports::request_lang();
    let timeline = events
        .iter()
        .map(|e| timeline_entry(&creditor, e, &names, lang))
        .collect();
    let disputes = disputes
        .iter()
        .map(|d| dispute_summary(d, creditor.timezone, None))
        .collect();
    let messages = thread(messages, Some(&names), creditor.timezone);
    let reminders = reminder_lines(&creditor, &reminder_rows, &events);
    let pauses = pause_rows
        .into_iter()
        .map(|p| PauseLine {
            id: p.id,
            invoice: p.invoice_number,
            reason: p.reason,
            until: p.until,
            by: names.get(&p.created_by).cloned().unwrap_or(p.created_by),
            at: local_time(&creditor, p.created_at),
        })
        .collect();
    let mut segments = vec![reminder::defaults::DEFAULT_SEGMENT.to_string()];
    for sc in scenarios {
        if !segments.contains(&sc.segment) {
            segments.push(sc.segment);
        }
    }
    let profile = profile
        .map(|p| ReminderProfileView {
            segment: p.segment,
            segments,
            business: p.business,
            charges_waived: p.charges_waived,
        })
        .unwrap_or_default();
    let open_invoices = loaded
        .statement
        .items
        .iter()
        .filter(|i| {
            i.invoice.kind == app::domain::invoice::DocumentKind::Invoice
                && i.invoice.status.is_outstanding()
        })
        .map(|i| (i.invoice.id.clone(), i.invoice.number.clone()))
        .collect();
    Ok(AgentDebtorView {
        brand: brand(&creditor),
        may_decide: may_decide(&agent),
        agent_name: agent.name,
        role: agent.role,
        debtor_id: debtor.id,
        debtor_name: debtor.name,
        reference: debtor.reference,
        statement: loaded.statement,
        schedules,
        timeline,
        today,
        disputes,
        messages,
        answer_draft,
        profile,
        reminders,
        pauses,
        open_invoices,
        pause_draft,
    })
}

/// What a debtor did after opening a reminder's link, as the timeline tells it.
const NEXT_KINDS: [&str; 4] = [
    "payment_received",
    "schedule_proposed",
    "dispute_opened",
    "promise_made",
];

/// The debtor's reminders, newest first, each with what the debtor did after opening its link
/// and before the next reminder was decided.
fn reminder_lines(
    creditor: &CreditorRow,
    rows: &[crate::storage::ReminderRow],
    events: &[EventRow],
) -> Vec<ReminderLine> {
    rows.iter()
        .enumerate()
        .map(|(i, r)| {
            let until = i
                .checked_sub(1)
                .and_then(|j| rows.get(j))
                .map_or(i64::MAX, |newer| newer.decided_at);
            let mut next: Vec<String> = vec![];
            if let Some(opened) = r.link_opened_at {
                for e in events.iter().filter(|e| e.at >= opened && e.at < until) {
                    if NEXT_KINDS.contains(&e.kind.as_str()) && !next.contains(&e.kind) {
                        next.push(e.kind.clone());
                    }
                }
            }
            ReminderLine {
                id: r.id.clone(),
                day: r.decided_on,
                step_seq: r.step_seq,
                channel: r.channel.as_str().to_string(),
                status: r.status.clone(),
                sent_at: r.sent_at.map(|t| local_time(creditor, t)),
                opened_at: r.link_opened_at.map(|t| local_time(creditor, t)),
                next,
                invoices: r.invoices.clone(),
                letter: matches!(
                    r.channel,
                    app::domain::reminder::Channel::Letter
                        | app::domain::reminder::Channel::FormalNotice
                ),
            }
        })
        .collect()
}

/// A few words from an event's JSON detail: an amount, a document, a note.
fn timeline_entry(
    creditor: &CreditorRow,
    e: &EventRow,
    agents: &HashMap<String, String>,
    lang: Lang,
) -> TimelineEntry {
    let detail: serde_json::Value = serde_json::from_str(&e.detail).unwrap_or_default();
    let money = |minor: &str, currency: &str| {
        let m = detail.get(minor).and_then(serde_json::Value::as_i64)?;
        let c = Currency::parse(detail.get(currency).and_then(serde_json::Value::as_str)?).ok()?;
        Some(format_money(Money::new(m, c), lang))
    };
    let mut words: Vec<String> = Vec::new();
    if let Some(m) = money("amount_minor", "currency").or_else(|| money("total_minor", "currency"))
    {
        words.push(m);
    }
    for key in [
        "document", "method", "segment", "reason", "outcome", "address", "answer",
    ] {
        if let Some(v) = detail
            .get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|v| !v.is_empty())
        {
            if key == "outcome" && e.kind == "invoice_closed" {
                words.push(app::i18n::reminder_actions::outcome(lang, v).to_string());
            } else {
                words.push(v.to_string());
            }
        }
    }
    if let Some(until) = detail
        .get("until")
        .and_then(serde_json::Value::as_str)
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
    {
        words.push(format!(
            "→ {}",
            app::domain::locale::format_date(until, lang)
        ));
    }
    let text = |key: &str| detail.get(key).and_then(serde_json::Value::as_str);
    if let (Some(from), Some(to)) = (text("from"), text("to")) {
        words.push(format!("{from} → {to}"));
    }
    if let Some(days) = detail.get("days").and_then(serde_json::Value::as_i64) {
        words.push(format!("+{days}"));
    }
    if let Some(n) = detail
        .get("instalments")
        .and_then(serde_json::Value::as_i64)
    {
        words.push(format!("{n} ×"));
    }
    if let Some(v) = detail
        .get("note")
        .and_then(serde_json::Value::as_str)
        .filter(|v| !v.is_empty())
    {
        words.push(format!("“{v}”"));
    }
    let actor = agents
        .get(&e.actor)
        .cloned()
        .unwrap_or_else(|| e.actor.clone());
    TimelineEntry {
        at: local_time(creditor, e.at),
        kind: e.kind.clone(),
        actor,
        detail: words.join(" · "),
    }
}

pub async fn rules_page(state: &AppState, token: &str) -> Result<RulesView, AppError> {
    let AgentContext { agent, creditor } = AgentContext::of_token(state, token).await?;
    let r = state
        .storage
        .schedule_rules(&creditor.id)
        .await
        .map_err(internal)?
        .unwrap_or_default();
    Ok(RulesView {
        brand: brand(&creditor),
        may_edit: is_admin(&agent),
        agent_name: agent.name,
        role: agent.role,
        rules: r.rules,
        reminder_days: r.reminder_days,
        grace_days: r.grace_days,
        promise_horizon_days: creditor.promise_horizon_days,
        upload_max_files: creditor.upload_max_files,
        upload_max_bytes: creditor.upload_max_bytes,
        owners: state
            .storage
            .dispute_owners(&creditor.id)
            .await
            .map_err(internal)?
            .into_iter()
            .map(|o| app::views::dispute::OwnerView {
                id: o.id,
                name: o.name,
                email: o.email,
            })
            .collect(),
    })
}
