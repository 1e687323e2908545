//! Forms, the same for every feature: the fields of a posted form, the id each page gives its
//! form (so the same form sent twice is stored once), the drafts that keep what a person typed
//! when the form is refused, and how an agent's action answers.

use super::context::DebtorContext;
use super::state::AppState;
use crate::storage::{AgentRow, Submitted};
use app::views::form::{AgentDraft, FormError};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The names under which drafts are kept, one per form (and per dispute where a page has one).
pub mod keys {
    /// The debtor's dispute form.
    pub const DISPUTE: &str = "dispute";
    /// The debtor's message to the team.
    pub const MESSAGE: &str = "message";
    /// An agent's answer on a debtor's page.
    pub const ANSWER: &str = "answer";

    /// The debtor's reply in one dispute's thread.
    pub fn reply(dispute_id: &str) -> String {
        format!("reply:{dispute_id}")
    }

    /// An agent's note or reply on one dispute.
    pub fn post(dispute_id: &str) -> String {
        format!("dispute:{dispute_id}:post")
    }

    /// An agent's resolution of one dispute.
    pub fn resolve(dispute_id: &str) -> String {
        format!("dispute:{dispute_id}:resolve")
    }
}

/// The fields of a posted form, as `axum::Form<Fields>` reads them (repeated names kept).
#[derive(Debug, Default, serde::Deserialize)]
#[serde(transparent)]
pub struct Fields(pub Vec<(String, String)>);

impl Fields {
    /// The first value of a field, or "" when the form has none.
    pub fn get(&self, name: &str) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Every value of a repeated field (ticked boxes), in the form's order.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

/// The id a debtor's form carries (a fresh one each time the page is shown), if it is one:
/// what the form creates takes it, so the same form sent twice (a double tap, a resend after
/// going back) is stored once and answered as the first was.
pub fn submission(field: &str) -> Option<String> {
    uuid::Uuid::parse_str(field.trim())
        .ok()
        .map(|u| u.hyphenated().to_string())
}

/// Whether this debtor's form was stored already. A failure to tell is logged and read as
/// "not yet" (the insert that follows then settles it).
pub async fn already(state: &AppState, ctx: &DebtorContext, kind: Submitted, id: &str) -> bool {
    match state
        .storage
        .submitted(kind, &ctx.creditor.id, &ctx.debtor.id, id)
        .await
    {
        Ok(found) => found,
        Err(e) => {
            tracing::error!(error = %e, "checking whether a form was stored already");
            false
        }
    }
}

pub fn form_error(code: &str, about: impl Into<String>) -> FormError {
    FormError {
        code: code.into(),
        about: about.into(),
    }
}

/// A stored draft read back; one that no longer parses (an older shape) is an empty one.
pub fn read_draft<T: DeserializeOwned + Default>(stored: Option<String>) -> T {
    stored
        .and_then(|s| serde_json::from_str(&s).ok())
        .unwrap_or_default()
}

/// Keeps what the debtor typed in `form` with the reason it was refused, for the page to show.
pub async fn keep_draft(state: &AppState, ctx: &DebtorContext, form: &str, body: &impl Serialize) {
    let json = match serde_json::to_string(body) {
        Ok(j) => j,
        Err(e) => return tracing::error!(error = %e, "serialising a draft"),
    };
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    if let Err(e) = state
        .storage
        .set_draft(c, d, form, Some(&json), state.now())
        .await
    {
        tracing::error!(error = %e, "keeping a draft");
    }
}

/// Forgets the debtor's draft of `form` once the form went through.
pub async fn forget_draft(state: &AppState, ctx: &DebtorContext, form: &str) {
    let (c, d) = (&ctx.creditor.id, &ctx.debtor.id);
    if let Err(e) = state.storage.set_draft(c, d, form, None, state.now()).await {
        tracing::error!(error = %e, "forgetting a draft");
    }
}

/// The debtor's draft of `form`, or an empty one.
pub async fn debtor_draft<T: DeserializeOwned + Default>(
    state: &AppState,
    ctx: &DebtorContext,
    form: &str,
) -> Result<T, crate::storage::StorageError> {
    Ok(read_draft(
        state
            .storage
            .draft(&ctx.creditor.id, &ctx.debtor.id, form)
            .await?,
    ))
}

/// Why an agent's action did not happen.
#[derive(Debug, PartialEq, Eq)]
pub enum ActionError {
    Forbidden,
    NotFound,
    /// A code the page words: "text", "too_long", "owner", "outcome", "amount", "part",
    /// "explanation", "settings", "file".
    Invalid(&'static str),
    /// Done already, or what it acted on changed meanwhile.
    Conflict,
    Internal,
}

impl ActionError {
    /// Logs an unexpected failure; the agent is told something went wrong.
    pub fn internal(e: impl std::fmt::Display) -> Self {
        tracing::error!(error = %e, "internal error");
        ActionError::Internal
    }
}

/// An action's outcome as the page's query: `done=1` or `error=<code>`.
pub fn outcome(r: &Result<(), ActionError>) -> String {
    match r {
        Ok(()) => "done=1".to_string(),
        Err(ActionError::Forbidden) => "error=forbidden".into(),
        Err(ActionError::NotFound) => "error=not_found".into(),
        Err(ActionError::Invalid(code)) => format!("error={code}"),
        Err(ActionError::Conflict) => "error=conflict".into(),
        Err(ActionError::Internal) => "error=internal".into(),
    }
}

/// Where an agent's action sends them back, with its outcome in the query.
pub fn after(to: &str, r: &Result<(), ActionError>) -> axum::response::Response {
    super::http::see_other(&format!("{to}?{}", outcome(r)), vec![])
}

/// The draft key of an agent's form: one per agent, so colleagues never see each other's text.
fn agent_form(agent_id: &str, form: &str) -> String {
    format!("agent:{agent_id}:{form}")
}

/// Keeps what an agent typed when their action was refused or failed, for the page to fill
/// the form again; forgets it once the action is done, or can no longer be done (`Conflict`).
pub async fn keep_agent_draft(
    state: &AppState,
    agent: &AgentRow,
    debtor_id: &str,
    form: &str,
    draft: &AgentDraft,
    r: &Result<(), ActionError>,
) {
    let body = match r {
        Ok(()) | Err(ActionError::Conflict) => None,
        Err(_) => match serde_json::to_string(draft) {
            Ok(j) => Some(j),
            Err(e) => return tracing::error!(error = %e, "serialising an agent's draft"),
        },
    };
    let key = agent_form(&agent.id, form);
    let r = state.storage.set_draft(
        &agent.creditor_id,
        debtor_id,
        &key,
        body.as_deref(),
        state.now(),
    );
    if let Err(e) = r.await {
        tracing::error!(error = %e, "keeping an agent's draft");
    }
}

/// This agent's kept draft of `form`, or an empty one.
pub async fn agent_draft(
    state: &AppState,
    agent: &AgentRow,
    debtor_id: &str,
    form: &str,
) -> Result<AgentDraft, crate::storage::StorageError> {
    let key = agent_form(&agent.id, form);
    Ok(read_draft(
        state
            .storage
            .draft(&agent.creditor_id, debtor_id, &key)
            .await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_form_id_is_a_uuid_or_nothing() {
        let id = "0192b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b";
        assert_eq!(
            submission(&format!(" {} ", id.to_uppercase())).as_deref(),
            Some(id)
        );
        for bad in ["", "<script>", "'; DROP TABLE messages", "0192b3c4"] {
            assert_eq!(submission(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn fields_keep_repeated_names_in_order() {
        let f = Fields(vec![
            ("invoice".into(), "a".into()),
            ("note".into(), "x".into()),
            ("invoice".into(), "b".into()),
        ]);
        assert_eq!(f.all("invoice"), ["a", "b"]);
        assert_eq!((f.get("note"), f.get("missing")), ("x", ""));
    }
}
