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
use crate::storage::{CreditorRow, EventRow};
use app::domain::locale::{Lang, format_money};
use app::domain::money::{Currency, Money};
use app::error::AppError;
use app::views::agent::{
    AgentDebtorView, AgentHomeView, DebtorLine, DisputeQueueLine, MissedPromiseLine, QueueLine,
    QueueView, RulesView, TimelineEntry, UnreadLine,
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
    Ok(QueueView {
        brand: brand(&creditor),
        agent_name: agent.name,
        role: agent.role,
        lines,
        missed_promises,
        disputes,
        unread,
    })
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
    })
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
    for key in ["document", "method", "reason", "outcome"] {
        if let Some(v) = detail
            .get(key)
            .and_then(serde_json::Value::as_str)
            .filter(|v| !v.is_empty())
        {
            words.push(v.to_string());
        }
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
