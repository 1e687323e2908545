//! PDF documents a debtor downloads: a generated invoice (when the creditor imported no
//! original) and the statement of account. Rendered with krilla; layout in `layout.rs`.
//! CPU-bound: callers run these in `spawn_blocking`.

use app::domain::invoice::DocumentKind;
use app::domain::locale::Lang;
use app::domain::money::Money;
use app::domain::statement::Statement;
use chrono::NaiveDate;

/// One party to the document (the creditor or the debtor), as printed.
#[derive(Debug, Clone)]
pub struct Party {
    pub name: String,
    /// Postal address, one line per element.
    pub address_lines: Vec<String>,
    /// e.g. "SIREN 552 100 554", "TVA FR12 552100554"; may be empty.
    pub identifiers: Vec<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone)]
pub struct InvoiceLine {
    pub description: String,
    /// Quantity in thousandths (1500 = 1.5).
    pub quantity_milli: i64,
    pub unit_price: Money,
    /// VAT rate in basis points (2000 = 20 %).
    pub tax_rate_bp: i64,
    /// Line total excluding tax.
    pub total_excl_tax: Money,
}

#[derive(Debug, Clone)]
pub struct InvoiceDoc {
    pub lang: Lang,
    pub kind: DocumentKind,
    pub number: String,
    pub issue_date: NaiveDate,
    pub due_date: NaiveDate,
    pub creditor: Party,
    pub debtor: Party,
    /// Brand colour as RGB, for the title and rules.
    pub accent: (u8, u8, u8),
    pub lines: Vec<InvoiceLine>,
    pub total_excl_tax: Money,
    pub total_tax: Money,
    pub total_incl_tax: Money,
    /// What is left to pay today (after payments and credits).
    pub remaining: Money,
    /// The reference the debtor quotes when paying by transfer.
    pub payment_reference: String,
    /// Creditor's bank details line, e.g. "IBAN FR76 … — BIC …"; may be empty.
    pub bank_details: Option<String>,
}

#[derive(Debug, Clone)]
pub struct StatementDoc {
    pub lang: Lang,
    pub creditor: Party,
    pub debtor: Party,
    pub accent: (u8, u8, u8),
    pub statement: Statement,
}

#[derive(Debug, Clone)]
pub struct ReceiptLine {
    pub invoice_number: String,
    pub applied: Money,
    pub remaining_after: Money,
}

#[derive(Debug, Clone)]
pub struct ReceiptDoc {
    pub lang: Lang,
    pub creditor: Party,
    pub debtor: Party,
    pub accent: (u8, u8, u8),
    /// Our receipt number, printed as is.
    pub number: String,
    pub received_on: NaiveDate,
    pub amount: Money,
    /// "card", "transfer" …, printed translated.
    pub method: String,
    /// The processor's payment id, or empty.
    pub method_detail: String,
    pub lines: Vec<ReceiptLine>,
    /// Part of the payment left as a credit on the account (zero if none).
    pub credit: Money,
    /// What the debtor still owes after this payment, net of credits.
    pub balance_after: Money,
}

/// An accepted payment schedule, sent with its confirmation and downloadable from the portal.
#[derive(Debug, Clone)]
pub struct ScheduleDoc {
    pub lang: Lang,
    pub creditor: Party,
    pub debtor: Party,
    pub accent: (u8, u8, u8),
    /// Our short schedule number, printed as is.
    pub number: String,
    pub accepted_on: NaiveDate,
    pub total: Money,
    /// (invoice number, what it owed when the schedule was agreed).
    pub invoices: Vec<(String, Money)>,
    /// (number from 1, due date, amount).
    pub instalments: Vec<(u32, NaiveDate, Money)>,
}

/// A reminder on paper: a letter to post, or a formal notice (with its late charges apart
/// from the invoice amounts, and the legal mentions).
#[derive(Debug, Clone)]
pub struct LetterDoc {
    pub lang: Lang,
    pub creditor: Party,
    pub debtor: Party,
    pub accent: (u8, u8, u8),
    pub formal_notice: bool,
    pub dated: NaiveDate,
    /// The step's text, rendered for this debtor; paragraphs split on blank lines.
    pub body: String,
    /// (invoice number, due date, remaining).
    pub invoices: Vec<(String, NaiveDate, Money)>,
    /// What is owed on those invoices, per currency, formatted.
    pub total: String,
    /// Business debtors at formal notice only: (invoice number, indemnity, interest), and the
    /// totals formatted.
    pub charges: Option<LetterCharges>,
}

#[derive(Debug, Clone)]
pub struct LetterCharges {
    pub lines: Vec<(String, Money, Money)>,
    pub total: String,
}

pub mod layout;
mod render;

pub use render::{
    FontSet, render_invoice, render_letter, render_receipt, render_schedule, render_statement,
};
