use crate::domain::statement::Statement;
use serde::{Deserialize, Serialize};

/// The creditor's brand as the debtor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandView {
    pub name: String,
    /// Set when the creditor has a logo.
    pub logo_url: Option<String>,
    /// `#rrggbb`, validated when stored.
    pub accent: String,
    pub contact_email: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementView {
    pub brand: BrandView,
    pub debtor_name: String,
    pub statement: Statement,
}
