//! The debtor's schedule page: what they may put in a schedule under which rules, and where
//! their current proposal or schedule stands. Proposals are sent by a plain form
//! (`POST /schedule/propose`, server routes), so the page works without JavaScript.

use super::statement::BrandView;
use crate::domain::money::Money;
use crate::domain::proposal::{ProposalInput, SchedulableInvoice};
use crate::domain::schedule::{Reason, ScheduleRules, ScheduleStatus};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InstalmentState {
    Paid,
    /// Due on or before today and not yet covered.
    Due,
    Upcoming,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstalmentView {
    pub seq: u32,
    pub due_date: NaiveDate,
    pub amount: Money,
    pub state: InstalmentState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSummary {
    pub id: String,
    pub state: ScheduleStatus,
    pub total: Money,
    /// Paid on its invoices since it was accepted.
    pub paid: Money,
    /// (invoice number, what it owed when proposed).
    pub invoices: Vec<(String, Money)>,
    pub instalments: Vec<InstalmentView>,
    /// Why a person looks at it (proposals under review).
    pub reasons: Vec<Reason>,
    /// The agent's words with a rejection or a counter-proposal.
    pub note: String,
    pub proposed_on: NaiveDate,
    /// Waiting in the agents' queue (a proposal, a declined counter-proposal, a broken schedule).
    pub needs_agent: bool,
    /// The next instalments are charged automatically to a card the debtor saved.
    pub card_saved: bool,
}

/// What the debtor may put in a schedule now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleOffer {
    /// Open invoices in one currency, oldest due first.
    pub invoices: Vec<SchedulableInvoice>,
    pub rules: ScheduleRules,
    pub today: NaiveDate,
    /// What the form starts with: a sensible default, or what the debtor typed before the
    /// server sent them back.
    pub input: ProposalInput,
    /// The server sent the form back: show the checks at once.
    pub returned: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleView {
    pub brand: BrandView,
    /// The open proposal, the counter-proposal to answer, or the schedule being followed.
    pub current: Option<ScheduleSummary>,
    /// The latest closed one (rejected, broken …), so the debtor sees what happened.
    pub last_closed: Option<ScheduleSummary>,
    /// `None` while a proposal is open or a schedule runs, or when nothing can be scheduled.
    pub offer: Option<ScheduleOffer>,
}
