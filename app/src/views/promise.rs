//! The debtor's promise page (server-rendered only): what they owe, their promise, and the
//! form (`POST /promise`, a server route).

use super::statement::BrandView;
use crate::domain::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseSummary {
    pub amount: Money,
    pub promised_for: NaiveDate,
    /// open | kept | missed
    pub status: crate::domain::promise::PromiseStatus,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromiseView {
    pub brand: BrandView,
    /// What is owed now in the debtor's first currency, net of credits; `None` when nothing.
    pub balance: Option<Money>,
    pub current: Option<PromiseSummary>,
    pub last: Option<PromiseSummary>,
    pub today: NaiveDate,
    /// The latest date a promise may name.
    pub latest: NaiveDate,
}
