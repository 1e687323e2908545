//! Portal links: a JWT that only locates the debtor's file, exchanged once for a session.
//!
//! - Signed HS256 with a per-creditor key derived from the server's master secret and
//!   (creditor id, key id): keys rotate by adding a key id, and no key is stored anywhere.
//! - The header's `kid` is `<creditor id>/<key id>`; the claims repeat the creditor (`tid`) and
//!   name the debtor (`sub`) and the link (`jti`), which must exist and not be revoked.

use crate::storage::{CreditorRow, LinkRow, Storage, StorageError};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header, encode,
};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

const ISSUER: &str = "amiable";
/// Longer than any token we mint; longer input is refused before parsing.
const MAX_TOKEN_LEN: usize = 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    tid: String,
    jti: String,
    iat: i64,
    exp: i64,
}

/// What opening a link found. Only `Valid` opens a session.
#[derive(Debug)]
pub enum LinkCheck {
    Valid(LinkRow),
    /// Genuine but past its expiry: the holder may ask for a fresh one sent to the address on file.
    Expired(LinkRow),
    Revoked,
    /// Malformed, tampered, unknown, or signed with a key that is not this creditor's.
    Invalid,
}

#[derive(Clone)]
pub struct LinkSigner {
    master: SecretString,
}

pub fn random_token() -> String {
    let bytes: [u8; 32] = rand::random();
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Sessions and other bearer values are stored hashed.
pub fn sha256_hex(s: &str) -> String {
    sha256_hex_bytes(s.as_bytes())
}

pub fn sha256_hex_bytes(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl LinkSigner {
    pub fn new(master: SecretString) -> Self {
        Self { master }
    }

    fn key(&self, creditor_id: &str, key_id: &str) -> Vec<u8> {
        let mut mac = Hmac::<Sha256>::new_from_slice(self.master.expose_secret().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(b"amiable-link-key\0");
        mac.update(creditor_id.as_bytes());
        mac.update(b"\0");
        mac.update(key_id.as_bytes());
        mac.finalize().into_bytes().to_vec()
    }

    /// Makes a link for one debtor of one creditor, not yet recorded: the caller records it
    /// with `Storage::insert_link`, together with the mails that carry it.
    pub async fn prepare(
        &self,
        storage: &Storage,
        creditor_id: &str,
        debtor_id: &str,
        now: i64,
    ) -> anyhow::Result<(LinkRow, String)> {
        let creditor = storage
            .creditor(creditor_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no creditor {creditor_id}"))?;
        storage
            .debtor(creditor_id, debtor_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("no debtor {debtor_id} for this creditor"))?;
        self.prepare_for(&creditor, debtor_id, now)
    }

    /// `prepare` for a caller that already holds the creditor and knows the debtor is theirs.
    pub fn prepare_for(
        &self,
        creditor: &CreditorRow,
        debtor_id: &str,
        now: i64,
    ) -> anyhow::Result<(LinkRow, String)> {
        let row = LinkRow {
            id: uuid::Uuid::new_v4().to_string(),
            creditor_id: creditor.id.clone(),
            debtor_id: debtor_id.into(),
            key_id: creditor.current_key_id.clone(),
            created_at: now,
            expires_at: now + creditor.link_ttl_days * 24 * 3600,
            revoked_at: None,
            first_opened_at: None,
            open_count: 0,
        };
        let token = self.sign(&row)?;
        Ok((row, token))
    }

    /// Makes and records a link with no mail (the command line prints it).
    pub async fn mint(
        &self,
        storage: &Storage,
        creditor_id: &str,
        debtor_id: &str,
        actor: &str,
        now: i64,
    ) -> anyhow::Result<(LinkRow, String)> {
        let (row, token) = self.prepare(storage, creditor_id, debtor_id, now).await?;
        storage.insert_link(&row, actor, "minted", &[]).await?;
        Ok((row, token))
    }

    pub fn sign(&self, row: &LinkRow) -> anyhow::Result<String> {
        self.sign_as(&row.creditor_id, &row.key_id, row)
    }

    /// Signs `row`'s claims with the key of `creditor_id`/`key_id`. Only `sign` uses it with a
    /// matching creditor; tests use it to prove a key of one creditor opens nothing of another.
    pub fn sign_as(
        &self,
        creditor_id: &str,
        key_id: &str,
        row: &LinkRow,
    ) -> anyhow::Result<String> {
        let mut header = Header::new(Algorithm::HS256);
        header.kid = Some(format!("{creditor_id}/{key_id}"));
        let claims = Claims {
            iss: ISSUER.into(),
            sub: row.debtor_id.clone(),
            tid: row.creditor_id.clone(),
            jti: row.id.clone(),
            iat: row.created_at,
            exp: row.expires_at,
        };
        Ok(encode(
            &header,
            &claims,
            &EncodingKey::from_secret(&self.key(creditor_id, key_id)),
        )?)
    }

    /// Verifies a token as pasted in a URL. Database errors are errors; everything a visitor
    /// can get wrong is a `LinkCheck`.
    pub async fn check(
        &self,
        storage: &Storage,
        token: &str,
        now: i64,
    ) -> Result<LinkCheck, StorageError> {
        let Some((claims, expired)) = self.verify_signature(storage, token, now).await? else {
            return Ok(LinkCheck::Invalid);
        };
        let Some(link) = storage.link(&claims.jti).await? else {
            return Ok(LinkCheck::Invalid);
        };
        if link.creditor_id != claims.tid
            || link.debtor_id != claims.sub
            || link.expires_at != claims.exp
        {
            return Ok(LinkCheck::Invalid);
        }
        if link.revoked_at.is_some() {
            return Ok(LinkCheck::Revoked);
        }
        if expired || link.expires_at <= now {
            return Ok(LinkCheck::Expired(link));
        }
        Ok(LinkCheck::Valid(link))
    }

    /// Returns the claims if the signature is good with an active key of the creditor the
    /// token names, and whether it has expired.
    async fn verify_signature(
        &self,
        storage: &Storage,
        token: &str,
        now: i64,
    ) -> Result<Option<(Claims, bool)>, StorageError> {
        let well_formed = token.len() <= MAX_TOKEN_LEN
            && token.matches('.').count() == 2
            && token
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.');
        if !well_formed {
            return Ok(None);
        }
        let Ok(header) = decode_header(token) else {
            return Ok(None);
        };
        if header.alg != Algorithm::HS256 {
            return Ok(None);
        }
        let Some((creditor_id, key_id)) = header.kid.as_deref().and_then(|k| k.split_once('/'))
        else {
            return Ok(None);
        };
        if !storage.link_key_active(creditor_id, key_id).await? {
            return Ok(None);
        }
        let key = DecodingKey::from_secret(&self.key(creditor_id, key_id));
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_required_spec_claims(&["exp", "iss", "sub"]);
        validation.leeway = 0;
        // Expiry is judged below against our clock, so an expired link can still be renewed.
        validation.validate_exp = false;
        let Ok(data) = decode::<Claims>(token, &key, &validation) else {
            return Ok(None);
        };
        let claims = data.claims;
        // A key of creditor X must never open a file of creditor Y.
        if claims.tid != creditor_id {
            return Ok(None);
        }
        let expired = claims.exp <= now;
        Ok(Some((claims, expired)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_keys_differ_by_creditor_and_key_id() {
        let s = LinkSigner::new(SecretString::from("x".repeat(40)));
        assert_ne!(s.key("c1", "k1"), s.key("c2", "k1"));
        assert_ne!(s.key("c1", "k1"), s.key("c1", "k2"));
        assert_eq!(s.key("c1", "k1"), s.key("c1", "k1"));
        // No ambiguity from concatenation: ("c1", "1/k") vs ("c11", "/k").
        assert_ne!(s.key("c1", "1k"), s.key("c11", "k"));
    }

    #[test]
    fn sign_produces_a_jwt_with_kid_and_hs256() {
        // Also proves the crypto backend works at run time (the default one panics).
        let s = LinkSigner::new(SecretString::from("y".repeat(40)));
        let row = LinkRow {
            id: "j".into(),
            creditor_id: "c".into(),
            debtor_id: "d".into(),
            key_id: "k1".into(),
            created_at: 1,
            expires_at: 2,
            revoked_at: None,
            first_opened_at: None,
            open_count: 0,
        };
        let t = s.sign(&row).unwrap();
        let h = decode_header(&t).unwrap();
        assert_eq!(h.alg, Algorithm::HS256);
        assert_eq!(h.kid.as_deref(), Some("c/k1"));
    }

    #[test]
    fn session_hash_is_hex_sha256() {
        assert_eq!(
            sha256_hex("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(random_token().len(), 43);
    }
}
