//! Values that come from people and the creditor's systems, valid by construction.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ContactError {
    #[error("this email address does not look valid")]
    InvalidEmail,
    #[error("a colour must be written #rrggbb")]
    InvalidColour,
}

/// An email address, trimmed and lower-cased in its domain. Deliberately simple: one `@`, a
/// dotted domain, no spaces or control characters, at most 254 characters (RFC 5321).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(s: &str) -> Result<Self, ContactError> {
        let s = s.trim();
        let bad = s.is_empty()
            || s.len() > 254
            || s.chars()
                .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c));
        let (local, domain) = s.split_once('@').ok_or(ContactError::InvalidEmail)?;
        if bad
            || local.is_empty()
            || local.len() > 64
            || domain.contains('@')
            || !domain.contains('.')
            || domain.starts_with('.')
            || domain.ends_with('.')
            || domain.contains("..")
        {
            return Err(ContactError::InvalidEmail);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EmailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A brand colour, `#rrggbb`, safe to place in CSS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HexColour(String);

impl HexColour {
    pub fn parse(s: &str) -> Result<Self, ContactError> {
        let s = s.trim();
        let ok =
            s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit());
        if ok {
            Ok(Self(s.to_ascii_lowercase()))
        } else {
            Err(ContactError::InvalidColour)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            EmailAddress::parse(" Compta@Exemple.FR ").unwrap().as_str(),
            "Compta@exemple.fr"
        );
        for bad in [
            "",
            "no-at",
            "a@b",
            "a@@b.fr",
            "a b@c.fr",
            "a@b..fr",
            "<a@b.fr>",
            "a@b.fr\r\nBcc: x@y.fr",
            "a@.fr",
        ] {
            assert_eq!(
                EmailAddress::parse(bad),
                Err(ContactError::InvalidEmail),
                "{bad:?}"
            );
        }
        assert!(EmailAddress::parse(&format!("{}@b.fr", "a".repeat(65))).is_err());
    }

    #[test]
    fn colours_cannot_smuggle_css() {
        assert_eq!(HexColour::parse("#1A6B5c").unwrap().as_str(), "#1a6b5c");
        for bad in ["1a6b5c", "#1a6b5", "red", "#1a6b5c;}body{x:y", "#gggggg"] {
            assert!(HexColour::parse(bad).is_err(), "{bad}");
        }
    }
}
