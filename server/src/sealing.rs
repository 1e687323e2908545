//! Credentials stored at rest (each creditor's Stripe secret key and webhook secret) are
//! sealed with AES-256-GCM under a key derived from the server's master secret. The creditor
//! id and the field name are bound in as associated data, so a sealed value copied to another
//! creditor or field does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::Sha256;

const NONCE_LEN: usize = 12;

#[derive(Clone)]
pub struct Sealer {
    cipher: Aes256Gcm,
}

#[derive(Debug, thiserror::Error)]
#[error("a stored credential could not be opened: wrong master secret, or the data was altered")]
pub struct OpenError;

impl Sealer {
    pub fn new(master: &SecretString) -> Self {
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(master.expose_secret().as_bytes())
            .expect("HMAC accepts keys of any length");
        mac.update(b"amiable-credential-sealing-v1");
        let key = mac.finalize().into_bytes();
        Self {
            cipher: Aes256Gcm::new(&key),
        }
    }

    /// `context` names what is sealed and for whom, e.g. `stripe_secret_key:<creditor id>`.
    pub fn seal(&self, context: &str, secret: &str) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let sealed = self
            .cipher
            .encrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: secret.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .expect("AES-GCM encryption of a short secret cannot fail");
        [nonce.as_slice(), &sealed].concat()
    }

    pub fn open(&self, context: &str, sealed: &[u8]) -> Result<SecretString, OpenError> {
        if sealed.len() <= NONCE_LEN {
            return Err(OpenError);
        }
        let (nonce, body) = sealed.split_at(NONCE_LEN);
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| OpenError)?;
        let plain = self
            .cipher
            .decrypt(
                &Nonce::from(nonce),
                Payload {
                    msg: body,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| OpenError)?;
        String::from_utf8(plain)
            .map(SecretString::from)
            .map_err(|_| OpenError)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealer(master: &str) -> Sealer {
        Sealer::new(&SecretString::from(master.to_string()))
    }

    #[test]
    fn round_trips_and_hides_the_secret() {
        let s = sealer(&"m".repeat(40));
        let sealed = s.seal("stripe_secret_key:c1", "sk_test_123");
        assert!(!sealed.windows(11).any(|w| w == b"sk_test_123"));
        assert_eq!(
            s.open("stripe_secret_key:c1", &sealed)
                .unwrap()
                .expose_secret(),
            "sk_test_123"
        );
        // A fresh nonce each time: the same secret never seals to the same bytes.
        assert_ne!(sealed, s.seal("stripe_secret_key:c1", "sk_test_123"));
    }

    #[test]
    fn refuses_another_context_another_master_or_altered_bytes() {
        let s = sealer(&"m".repeat(40));
        let mut sealed = s.seal("stripe_secret_key:c1", "sk_test_123");
        assert!(s.open("stripe_secret_key:c2", &sealed).is_err());
        assert!(s.open("stripe_webhook_secret:c1", &sealed).is_err());
        assert!(
            sealer(&"n".repeat(40))
                .open("stripe_secret_key:c1", &sealed)
                .is_err()
        );
        let last = sealed.len() - 1;
        sealed[last] ^= 1;
        assert!(s.open("stripe_secret_key:c1", &sealed).is_err());
        assert!(s.open("stripe_secret_key:c1", &[0u8; 5]).is_err());
    }
}
