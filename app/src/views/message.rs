//! Messages between a debtor and the collection team (server-rendered; the form posts to
//! `/messages`).

use super::dispute::PostView;
use super::form::TextDraft;
use super::statement::BrandView;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessagesView {
    pub brand: BrandView,
    pub messages: Vec<PostView>,
    pub draft: TextDraft,
    /// A fresh id for the form on this page: the same form sent twice is stored once.
    pub submission: String,
}
