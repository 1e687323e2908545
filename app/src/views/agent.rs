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
    /// Reminder steps waiting for a person (calls, letters, notices to confirm), oldest first.
    pub reminder_tasks: Vec<ReminderTaskLine>,
    /// Invoices whose amicable phase is over, the oldest due first.
    pub phase_over: Vec<PhaseOverLine>,
    /// Contacts whose address a mail server refused, the oldest first.
    pub bouncing: Vec<BouncingLine>,
}

/// A debtor's contact whose address bounces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BouncingLine {
    pub contact_id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub contact_name: String,
    pub email: String,
    /// The refusing server's answer.
    pub answer: String,
    pub since: String,
}

/// A reminder step waiting for an agent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderTaskLine {
    pub id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    /// `phone`, `letter` or `formal_notice`.
    pub channel: String,
    pub step_seq: i64,
    pub decided_on: NaiveDate,
    pub invoices: Vec<String>,
    /// The step's subject and text rendered for this debtor (what to say, what the letter says);
    /// empty when nothing is left to claim.
    pub subject: String,
    pub script: String,
}

/// An open invoice whose amicable phase ended without result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseOverLine {
    pub invoice_id: String,
    pub number: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub remaining: Money,
    /// The last day of its phase.
    pub ended_on: NaiveDate,
    /// Extended once already: it may not be again.
    pub extended: bool,
}

/// One reminder of a debtor, as the debtor's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReminderLine {
    pub id: String,
    pub day: NaiveDate,
    pub step_seq: i64,
    pub channel: String,
    /// `queued`, `sent`, `task`, `done` or `skipped`.
    pub status: String,
    /// When it was handed to SMTP, in the creditor's time zone.
    pub sent_at: Option<String>,
    /// When its link was first opened, in the creditor's time zone.
    pub opened_at: Option<String>,
    /// What the debtor did after opening it (event kinds: payment_received, schedule_proposed,
    /// dispute_opened, promise_made), each once, in order.
    pub next: Vec<String>,
    pub invoices: Vec<String>,
    /// A letter or formal notice: its PDF can be downloaded.
    pub letter: bool,
}

/// A pause of reminders in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PauseLine {
    pub id: String,
    /// `None`: every invoice of the debtor.
    pub invoice: Option<String>,
    pub reason: String,
    pub until: NaiveDate,
    pub by: String,
    pub at: String,
}

/// How reminders treat a debtor, and the segments an agent may choose from.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReminderProfileView {
    pub segment: String,
    /// The creditor's scenario segments, "standard" first.
    pub segments: Vec<String>,
    pub business: bool,
    pub charges_waived: bool,
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
    pub profile: ReminderProfileView,
    /// Newest first.
    pub reminders: Vec<ReminderLine>,
    pub pauses: Vec<PauseLine>,
    /// (id, number) of the debtor's open invoices, for the pause form.
    pub open_invoices: Vec<(String, String)>,
    /// This agent's refused pause (invoice, until, reason), to fill the form again.
    pub pause_draft: crate::views::form::AgentDraft,
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
