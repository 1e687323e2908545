//! Paying from the portal: what a payment would settle, how to pay it by transfer or card,
//! and the receipt afterwards.

use super::statement::BrandView;
use crate::domain::money::Money;
use crate::domain::payment::{PayError, PayableInvoice, PaymentPlan};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// What the debtor asked to pay, as the statement's form sent it (query parameters). The
/// server turns it into amounts from the database; nothing here is trusted as money.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayRequest {
    /// `all`, `invoices` or `amount`.
    pub mode: String,
    pub invoices: Vec<String>,
    /// As typed, e.g. "1 234,56".
    pub amount: String,
    /// ISO code; empty for the debtor's first currency.
    pub currency: String,
    /// An accepted schedule's id: the payment goes to that schedule's invoices only (an
    /// instalment). Empty otherwise.
    #[serde(default)]
    pub schedule: String,
    /// With `schedule`: the debtor agreed to have the next instalments charged to this card.
    #[serde(default)]
    pub save_card: bool,
}

impl PayRequest {
    /// The query string that asks for this same payment again (the card script posts it back).
    pub fn to_query(&self) -> String {
        use crate::urlenc::percent_encode;
        let mut q = format!("mode={}", percent_encode(&self.mode));
        for id in &self.invoices {
            q.push_str(&format!("&invoice={}", percent_encode(id)));
        }
        if !self.amount.is_empty() {
            q.push_str(&format!("&amount={}", percent_encode(&self.amount)));
        }
        if !self.currency.is_empty() {
            q.push_str(&format!("&currency={}", percent_encode(&self.currency)));
        }
        if !self.schedule.is_empty() {
            q.push_str(&format!("&schedule={}", percent_encode(&self.schedule)));
        }
        if self.save_card {
            q.push_str("&save_card=1");
        }
        q
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferView {
    pub beneficiary: String,
    /// Grouped by four for reading aloud and copying.
    pub iban: String,
    pub bic: Option<String>,
    /// ISO 11649, grouped by four.
    pub reference: String,
    pub amount: Money,
    /// Inline SVG of the EPC ("SEPA") QR code, when the amount is in euros.
    pub qr_svg: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardView {
    pub publishable_key: String,
    pub stripe_js_url: String,
    /// A fresh id for this page's payment: a double-click starts one attempt, not two.
    pub attempt_id: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PayView {
    pub brand: BrandView,
    pub request: PayRequest,
    /// Open invoices that can be paid here, oldest due first.
    pub payable: Vec<PayableInvoice>,
    pub minimum: Money,
    pub plan: Result<PaymentPlan, PayError>,
    /// Other currencies the debtor owes in: each is paid on its own.
    pub other_currencies: Vec<crate::domain::money::Currency>,
    /// Bank transfer details; `None` when the creditor gave no bank account.
    pub transfer: Option<TransferView>,
    /// Card payment; `None` when the creditor has no card processor configured.
    pub card: Option<CardView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptView {
    pub brand: BrandView,
    pub debtor_name: String,
    pub payment_id: String,
    pub received_on: NaiveDate,
    pub amount: Money,
    pub method: String,
    pub reference: String,
    /// (invoice number, amount settled).
    pub lines: Vec<(String, Money)>,
    /// Part of the payment kept as a credit on the account.
    pub credit: Money,
    /// What is still owed in this currency after the payment, net of credits.
    pub balance_after: Money,
}

// JSON in, as out: the default URL encoding would add serde_qs to every phone's Wasm.
