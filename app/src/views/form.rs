//! What a refused form sends back to its page: why, and what was typed (kept server-side).

use serde::{Deserialize, Serialize};

/// Why the server sent a form back: a code the page words, and what it is about (a file
/// name, an invoice number).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormError {
    pub code: String,
    pub about: String,
}

/// What the debtor typed in a reply or a message before it was sent back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextDraft {
    pub text: String,
    pub error: Option<FormError>,
}

/// What an agent typed in a back-office form the server refused (kept per agent): `choice` is
/// the radio or select value, `amount` the amount field, `text` the textarea.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgentDraft {
    pub choice: String,
    pub amount: String,
    pub text: String,
}
