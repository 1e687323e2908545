//! Back-office accounts: argon2id passwords, sign-in with lockout, sessions in an HttpOnly
//! cookie. Each account belongs to one creditor and every query it makes is scoped to it.

use crate::jobs::now;
use crate::links::{random_token, sha256_hex};
use crate::state::AppState;
use crate::storage::{AgentRow, StorageError};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng};
use argon2::Argon2;

/// Failed passwords in a row before the account is locked, and for how long.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_SECS: i64 = 15 * 60;
/// A working day.
pub const SESSION_SECS: i64 = 10 * 3600;
pub const MIN_PASSWORD_CHARS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Admin,
    Agent,
    ReadOnly,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "admin" => Some(Role::Admin),
            "agent" => Some(Role::Agent),
            "read_only" => Some(Role::ReadOnly),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Agent => "agent",
            Role::ReadOnly => "read_only",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum LoginError {
    /// Unknown address or wrong password: the same answer for both.
    #[error("invalid email or password")]
    Invalid,
    #[error("account locked after too many failed attempts")]
    Locked,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(|e| anyhow::anyhow!("hashing: {e}"))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
}

/// Creates an account (the CLI's `agents create`). Refuses short passwords and taken addresses.
pub async fn create(state_storage: &crate::storage::Storage, creditor_id: &str, email: &str, name: &str, role: Role, password: &str) -> anyhow::Result<String> {
    let email = app::domain::contact::EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(password.chars().count() >= MIN_PASSWORD_CHARS, "the password must have at least {MIN_PASSWORD_CHARS} characters");
    anyhow::ensure!(!name.trim().is_empty(), "the name is empty");
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw)).await??;
    match state_storage.insert_agent(creditor_id, email.as_str(), name.trim(), role.as_str(), &hash, now()).await {
        Err(StorageError::Duplicate(_)) => anyhow::bail!("an account with this email address exists already"),
        other => Ok(other?),
    }
}

/// Checks a password and starts a session; returns the cookie value.
pub async fn sign_in(state: &AppState, email: &str, password: &str) -> Result<(String, AgentRow), LoginError> {
    let agent = state.storage.agent_by_email(email).await.map_err(anyhow::Error::from)?;
    let t = now();
    // Hash anyway when the address is unknown, so timing does not tell which addresses exist.
    let hash = agent.as_ref().map(|a| a.password_hash.clone()).unwrap_or_else(|| DUMMY_HASH.clone());
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &pw)).await.map_err(anyhow::Error::from)?;
    let Some(agent) = agent else { return Err(LoginError::Invalid) };
    if agent.locked_until.is_some_and(|until| until > t) {
        return Err(LoginError::Locked);
    }
    if !ok {
        state.storage.record_failed_login(&agent.id, MAX_FAILED_LOGINS, t + LOCK_SECS).await.map_err(anyhow::Error::from)?;
        return Err(LoginError::Invalid);
    }
    let token = random_token();
    state.storage.start_agent_session(&agent, &sha256_hex(&token), t + SESSION_SECS, t).await.map_err(anyhow::Error::from)?;
    Ok((token, agent))
}

/// The agent of a live session.
pub async fn session(state: &AppState, token: &str) -> anyhow::Result<Option<AgentRow>> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    Ok(state.storage.agent_session(&sha256_hex(token), now()).await?)
}

/// argon2id of a random password nobody knows, with the real parameters, for unknown addresses.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password(&random_token()).unwrap_or_else(|_| String::from("$argon2id$")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_argon2id_and_salted() {
        let a = hash_password("correct horse battery").unwrap();
        let b = hash_password("correct horse battery").unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b, "a fresh salt each time");
        assert!(verify_password(&a, "correct horse battery"));
        assert!(!verify_password(&a, "correct horse batterY"));
        assert!(!verify_password("not a hash", "x"));
        assert!(PasswordHash::new(&DUMMY_HASH).is_ok(), "the dummy hash parses, so unknown addresses cost a real check");
    }
}
