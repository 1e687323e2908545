//! Disputes: what the debtor's pages and the back office show of them. Every page here is
//! server-rendered only; the forms post to server routes (`/disputes…`, `/agent/disputes/…`).

use super::form::FormError;
use super::form::{AgentDraft, TextDraft};
use super::statement::BrandView;
use crate::domain::dispute::{ContestableInvoice, DisputeInput, DisputeReason, DisputeStatus};
use crate::domain::money::Money;
use crate::domain::upload::UploadLimits;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileView {
    pub id: String,
    pub name: String,
    pub size: i64,
}

/// One post of a dispute's thread, or one message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostView {
    pub from_debtor: bool,
    /// The agent's name as the back office shows it; empty on the debtor's side (who sees "the
    /// collection team").
    pub author: String,
    /// An internal note (only ever in the back office).
    pub internal: bool,
    pub body: String,
    /// In the debtor's (or the creditor's, for agents) time zone; the page words it per language.
    pub at: chrono::NaiveDateTime,
    pub files: Vec<FileView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeSummary {
    pub id: String,
    pub reason: DisputeReason,
    pub status: DisputeStatus,
    pub contested: Money,
    pub credited: Money,
    /// (number, amount contested)
    pub invoices: Vec<(String, Money)>,
    pub opened_on: NaiveDate,
    pub paid_on: Option<NaiveDate>,
    /// The internal owner's name (back office only).
    pub owner: Option<String>,
}

/// What the debtor typed in the dispute form before it was sent back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeDraft {
    pub input: DisputeInput,
    pub error: Option<FormError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputesView {
    pub brand: BrandView,
    pub contestable: Vec<ContestableInvoice>,
    /// Newest first.
    pub disputes: Vec<DisputeSummary>,
    pub limits: UploadLimits,
    pub draft: DisputeDraft,
    pub today: NaiveDate,
    /// A fresh id for the form on this page: the same form sent twice is stored once.
    pub submission: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeView {
    pub brand: BrandView,
    pub dispute: DisputeSummary,
    pub posts: Vec<PostView>,
    pub limits: UploadLimits,
    pub draft: TextDraft,
    /// A fresh id for the form on this page: the same form sent twice is stored once.
    pub submission: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OwnerView {
    pub id: String,
    pub name: String,
    pub email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentDisputeView {
    pub brand: BrandView,
    pub agent_name: String,
    pub role: crate::domain::agent::Role,
    pub may_act: bool,
    pub debtor_id: String,
    pub debtor_name: String,
    pub reference: String,
    pub dispute: DisputeSummary,
    pub posts: Vec<PostView>,
    pub owners: Vec<OwnerView>,
    /// The creditor's attachment limits, for files on a note or a reply.
    pub limits: UploadLimits,
    /// This agent's refused note or reply, and refused resolution, to fill the forms again.
    pub post_draft: AgentDraft,
    pub resolve_draft: AgentDraft,
}
