//! The back office: what an agent sees. Every call is scoped to the agent's creditor.

use super::statement::BrandView;
use crate::domain::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DebtorLine {
    pub id: String,
    pub reference: String,
    pub name: String,
    /// What is owed, per currency.
    pub balances: Vec<Money>,
    pub oldest_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentHomeView {
    pub brand: BrandView,
    pub agent_name: String,
    pub role: crate::domain::agent::Role,
    pub search: String,
    /// `balance` (largest first) or `oldest` (oldest due date first).
    pub sort: String,
    pub debtors: Vec<DebtorLine>,
}

/// One case waiting for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueLine {
    pub schedule_id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub state: crate::domain::schedule::ScheduleStatus,
    pub total: Money,
    /// When it entered the queue, in the creditor's time zone ("2026-11-22 14:05").
    pub waiting_since: String,
    pub reasons: Vec<crate::domain::schedule::Reason>,
}

/// A promise to pay whose date passed before the payment came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MissedPromiseLine {
    pub promise_id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub amount: Money,
    pub promised_for: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueueView {
    pub brand: BrandView,
    pub agent_name: String,
    pub role: crate::domain::agent::Role,
    /// Oldest first.
    pub lines: Vec<QueueLine>,
    /// Oldest first.
    pub missed_promises: Vec<MissedPromiseLine>,
    /// Open disputes, oldest first.
    pub disputes: Vec<DisputeQueueLine>,
    /// Debtors whose messages no agent has read, oldest first.
    pub unread: Vec<UnreadLine>,
}

/// An open dispute waiting for a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeQueueLine {
    pub debtor_name: String,
    pub debtor_reference: String,
    pub dispute: crate::views::dispute::DisputeSummary,
    pub waiting_since: String,
}

/// A debtor who wrote and is waiting for an answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnreadLine {
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub unread: i64,
    pub waiting_since: String,
}

/// One event of a debtor's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// In the creditor's time zone ("2026-11-22 14:05").
    pub at: String,
    pub kind: String,
    /// "debtor", "system", "cli", or the agent's name.
    pub actor: String,
    /// A few words from the event's detail (amount, document, reason).
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentDebtorView {
    pub brand: BrandView,
    pub agent_name: String,
    pub role: crate::domain::agent::Role,
    /// Whether this agent may decide (admins and agents; read-only accounts only look).
    pub may_decide: bool,
    pub debtor_id: String,
    pub debtor_name: String,
    pub reference: String,
    /// The statement as the debtor sees it.
    pub statement: crate::domain::statement::Statement,
    /// Newest first.
    pub schedules: Vec<crate::views::schedule::ScheduleSummary>,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
    pub today: NaiveDate,
    /// Newest first.
    pub disputes: Vec<crate::views::dispute::DisputeSummary>,
    /// The conversation with the debtor, oldest first.
    pub messages: Vec<crate::views::dispute::PostView>,
    /// This agent's refused answer, to fill the form again.
    pub answer_draft: crate::views::form::AgentDraft,
}

/// The creditor's schedule rules as the settings page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RulesView {
    pub brand: BrandView,
    pub agent_name: String,
    pub role: crate::domain::agent::Role,
    /// Admins change the rules; other agents read them.
    pub may_edit: bool,
    pub rules: crate::domain::schedule::ScheduleRules,
    pub reminder_days: i64,
    pub grace_days: i64,
    pub promise_horizon_days: i64,
    pub upload_max_files: i64,
    pub upload_max_bytes: i64,
    /// Who disputes can be given to.
    pub owners: Vec<crate::views::dispute::OwnerView>,
}
