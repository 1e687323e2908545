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
    /// What the creditor may claim apart from the invoices, for each invoice a formal notice
    /// was sent for (business debtors, charges not waived); never part of the balance.
    pub charges: Vec<ChargeLine>,
    /// Their total, per currency.
    pub charges_total: Vec<crate::domain::money::Money>,
}

/// The late charges of one invoice on the statement's day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeLine {
    pub number: String,
    pub indemnity: crate::domain::money::Money,
    pub interest: crate::domain::money::Money,
}
