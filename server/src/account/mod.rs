//! Back-office accounts: argon2id passwords, sign-in with lockout, sessions in an HttpOnly
//! cookie. Each account belongs to one creditor and every query it makes is scoped to it.

pub mod routes;

use crate::kernel::AppState;
use crate::kernel::links::{random_token, sha256_hex};
use crate::kernel::mail::{Letter, bilingual};
use crate::storage::{AgentRow, CreditorRow, NewMail, StorageError};
use app::domain::agent::Role;
use app::domain::locale::Lang;
use app::i18n::mail as words;
use argon2::Argon2;
use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};

/// Failed passwords in a row before the account is locked, and for how long.
pub const MAX_FAILED_LOGINS: i64 = 5;
pub const LOCK_SECS: i64 = 15 * 60;
/// A working day.
pub const SESSION_SECS: i64 = 10 * 3600;
pub const MIN_PASSWORD_CHARS: usize = 12;

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
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing: {e}"))
}

fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Creates an account (the CLI's `agents create`). Refuses short passwords and taken addresses.
pub async fn create(
    storage: &crate::storage::Storage,
    creditor_id: &str,
    email: &str,
    name: &str,
    role: Role,
    password: &str,
    now: i64,
) -> anyhow::Result<String> {
    let email =
        app::domain::contact::EmailAddress::parse(email).map_err(|e| anyhow::anyhow!("{e}"))?;
    anyhow::ensure!(
        password.chars().count() >= MIN_PASSWORD_CHARS,
        "the password must have at least {MIN_PASSWORD_CHARS} characters"
    );
    anyhow::ensure!(!name.trim().is_empty(), "the name is empty");
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw)).await??;
    match storage
        .insert_agent(creditor_id, email.as_str(), name.trim(), role, &hash, now)
        .await
    {
        Err(StorageError::Duplicate(_)) => {
            anyhow::bail!("an account with this email address exists already")
        }
        other => Ok(other?),
    }
}

/// Checks a password and starts a session; returns the cookie value.
pub async fn sign_in(
    state: &AppState,
    email: &str,
    password: &str,
) -> Result<(String, AgentRow), LoginError> {
    let agent = state
        .storage
        .agent_by_email(email)
        .await
        .map_err(anyhow::Error::from)?;
    let t = state.now();
    // Hash anyway when the address is unknown, so timing does not tell which addresses exist.
    let hash = agent
        .as_ref()
        .map(|a| a.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let pw = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &pw))
        .await
        .map_err(anyhow::Error::from)?;
    let Some(agent) = agent else {
        return Err(LoginError::Invalid);
    };
    if agent.locked_until.is_some_and(|until| until > t) {
        return Err(LoginError::Locked);
    }
    if !ok {
        state
            .storage
            .record_failed_login(&agent.id, MAX_FAILED_LOGINS, t + LOCK_SECS)
            .await
            .map_err(anyhow::Error::from)?;
        return Err(LoginError::Invalid);
    }
    let token = random_token();
    state
        .storage
        .start_agent_session(&agent, &sha256_hex(&token), t + SESSION_SECS, t)
        .await
        .map_err(anyhow::Error::from)?;
    Ok((token, agent))
}

/// argon2id of a random password nobody knows, with the real parameters, for unknown addresses.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    hash_password(&random_token()).unwrap_or_else(|_| String::from("$argon2id$"))
});

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
        assert!(
            PasswordHash::new(&DUMMY_HASH).is_ok(),
            "the dummy hash parses, so unknown addresses cost a real check"
        );
    }
}

/// An invitation link lives a week; a reset link an hour.
pub const INVITE_SECS: i64 = 7 * 24 * 3600;
pub const RESET_SECS: i64 = 3600;

#[derive(Debug, thiserror::Error)]
pub enum InviteError {
    #[error("only an administrator can invite")]
    Forbidden,
    #[error("{0}")]
    Invalid(String),
    #[error("an account with this email address exists already")]
    Taken,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// The mail that carries a link to set a password, in French then English: an agent has no
/// language of their own yet.
fn password_mail(
    creditor: &CreditorRow,
    to_name: &str,
    to: &str,
    url: &str,
    invite: bool,
) -> NewMail {
    let c = &creditor.name;
    let letter = |lang: Lang| {
        let l = if invite {
            Letter::default().para(words::invited(lang, c))
        } else {
            Letter::default()
                .para(words::reset(lang))
                .para(words::RESET_IGNORE.get(lang))
        };
        l.link(url, words::PASSWORD_LABEL.get(lang))
    };
    let subject = if invite {
        words::invite_subject(c)
    } else {
        words::reset_subject(c)
    };
    bilingual(
        creditor,
        &subject,
        &letter(Lang::Fr),
        &letter(Lang::En),
        to_name,
        to,
    )
}

/// A fresh single-use link: (the secret for the URL, its hash for the database).
fn new_link_secret() -> (String, String) {
    let token = random_token();
    let hash = sha256_hex(&token);
    (token, hash)
}

/// An admin invites someone to their creditor's back office, with a role.
pub async fn invite(
    state: &AppState,
    admin: &AgentRow,
    email: &str,
    name: &str,
    role: &str,
) -> Result<(), InviteError> {
    if admin.role != Role::Admin {
        return Err(InviteError::Forbidden);
    }
    let email = app::domain::contact::EmailAddress::parse(email)
        .map_err(|e| InviteError::Invalid(e.to_string()))?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(InviteError::Invalid(
            "the name must be 1 to 100 characters of plain text".into(),
        ));
    }
    let role = Role::parse(role).ok_or_else(|| InviteError::Invalid("unknown role".into()))?;
    let creditor = state
        .storage
        .creditor(&admin.creditor_id)
        .await
        .map_err(anyhow::Error::from)?
        .ok_or_else(|| anyhow::anyhow!("creditor gone"))?;
    // A password nobody knows until the link is used.
    let unusable = tokio::task::spawn_blocking(|| hash_password(&random_token()))
        .await
        .map_err(anyhow::Error::from)??;
    let (token, hash) = new_link_secret();
    let url = format!("{}/agent/welcome/{token}", state.config.public_url);
    let mail = password_mail(&creditor, name, email.as_str(), &url, true);
    let link = crate::storage::NewAgentLink {
        id_hash: &hash,
        purpose: "invite",
        expires_at: state.now() + INVITE_SECS,
    };
    match state
        .storage
        .invite_agent(
            admin,
            email.as_str(),
            name,
            role,
            &unusable,
            &link,
            &mail,
            state.now(),
        )
        .await
    {
        Ok(_) => {
            state.mail_queued();
            Ok(())
        }
        Err(StorageError::Duplicate(_)) => Err(InviteError::Taken),
        Err(e) => Err(InviteError::Internal(e.into())),
    }
}

/// "I forgot my password": a reset link by mail if the address has an account. The caller
/// answers the same either way, so the page does not tell which addresses exist.
pub async fn request_reset(state: &AppState, email: &str) -> anyhow::Result<()> {
    let Some(agent) = state.storage.agent_by_email(email).await? else {
        return Ok(());
    };
    let creditor = state
        .storage
        .creditor(&agent.creditor_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("creditor gone"))?;
    let (token, hash) = new_link_secret();
    let url = format!("{}/agent/welcome/{token}", state.config.public_url);
    let mail = password_mail(&creditor, &agent.name, &agent.email, &url, false);
    let link = crate::storage::NewAgentLink {
        id_hash: &hash,
        purpose: "reset",
        expires_at: state.now() + RESET_SECS,
    };
    state
        .storage
        .add_agent_link(&agent, &link, &mail, state.now())
        .await?;
    state.mail_queued();
    Ok(())
}

#[derive(Debug, thiserror::Error)]
pub enum SetPasswordError {
    #[error("the password is too short")]
    Short,
    #[error("the link is unknown, used or expired")]
    Expired,
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

/// Sets the password behind a live link (once) and signs the agent in; returns the session's
/// cookie value.
pub async fn set_password(
    state: &AppState,
    token: &str,
    password: &str,
) -> Result<String, SetPasswordError> {
    if token.is_empty() || token.len() > 128 {
        return Err(SetPasswordError::Expired);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS || password.len() > 1024 {
        return Err(SetPasswordError::Short);
    }
    let pw = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&pw))
        .await
        .map_err(anyhow::Error::from)??;
    let agent = state
        .storage
        .redeem_agent_link(&sha256_hex(token), &hash, state.now())
        .await
        .map_err(anyhow::Error::from)?
        .ok_or(SetPasswordError::Expired)?;
    let session = random_token();
    state
        .storage
        .start_agent_session(
            &agent,
            &sha256_hex(&session),
            state.now() + SESSION_SECS,
            state.now(),
        )
        .await
        .map_err(anyhow::Error::from)?;
    Ok(session)
}
