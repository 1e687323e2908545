//! Who is asking: the debtor of a portal session, or the agent of a back-office session. Read
//! from the HttpOnly cookies by axum extractors, so no handler looks a cookie up by hand.

use super::http::{internal, see_other};
use super::links::sha256_hex;
use super::state::AppState;
use crate::storage::{AgentRow, CreditorRow, DebtorRow};
use app::domain::agent::Role;
use app::error::AppError;
use app::ports::{AGENT_COOKIE, SESSION_COOKIE, cookie_value};
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};

/// Longer than any session id we hand out; longer values are refused before any query.
const MAX_TOKEN_LEN: usize = 128;

/// The debtor of a live portal session, with their creditor. Every query made for them takes
/// both ids.
#[derive(Clone)]
pub struct DebtorContext {
    pub creditor: CreditorRow,
    pub debtor: DebtorRow,
}

/// The debtor's session behind a cookie value, if it is live.
pub async fn debtor_session(state: &AppState, token: &str) -> Result<DebtorContext, AppError> {
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Err(AppError::Unauthorized);
    }
    let (creditor, debtor) = state
        .storage
        .session_context(&sha256_hex(token), state.now())
        .await
        .map_err(internal)?
        .ok_or(AppError::Unauthorized)?;
    Ok(DebtorContext { creditor, debtor })
}

/// `Option<DebtorContext>` in a handler: `None` without a live session (the handler sends the
/// debtor to a page that says so); a database failure is a 500.
impl OptionalFromRequestParts<AppState> for DebtorContext {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let token = cookie_value(&parts.headers, SESSION_COOKIE).unwrap_or_default();
        match debtor_session(state, &token).await {
            Ok(ctx) => Ok(Some(ctx)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The agent of a live back-office session, if it is live.
pub async fn agent_session(state: &AppState, token: &str) -> Result<Option<AgentRow>, AppError> {
    if token.is_empty() || token.len() > MAX_TOKEN_LEN {
        return Ok(None);
    }
    state
        .storage
        .agent_session(&sha256_hex(token), state.now())
        .await
        .map_err(internal)
}

/// The agent of a live back-office session and their creditor.
pub struct AgentContext {
    pub agent: AgentRow,
    pub creditor: CreditorRow,
}

impl AgentContext {
    pub async fn of_token(state: &AppState, token: &str) -> Result<Self, AppError> {
        let agent = agent_session(state, token)
            .await?
            .ok_or(AppError::Unauthorized)?;
        let creditor = state
            .storage
            .creditor(&agent.creditor_id)
            .await
            .map_err(internal)?
            .ok_or(AppError::Unauthorized)?;
        Ok(Self { agent, creditor })
    }
}

/// A back-office handler's signed-in agent. Without a live session the request is sent to the
/// sign-in page.
pub struct SignedIn(pub AgentRow);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        let token = cookie_value(&parts.headers, AGENT_COOKIE).unwrap_or_default();
        match agent_session(state, &token).await {
            Ok(Some(agent)) => Ok(SignedIn(agent)),
            Ok(None) => Err(see_other("/agent/login", vec![])),
            Err(e) => Err(e.into_response()),
        }
    }
}

/// Whether this agent may act on cases (read-only accounts may only look).
pub fn may_decide(agent: &AgentRow) -> bool {
    agent.role.may_decide()
}

/// Whether this agent is an administrator of their creditor.
pub fn is_admin(agent: &AgentRow) -> bool {
    agent.role == Role::Admin
}
