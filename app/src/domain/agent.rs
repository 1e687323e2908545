//! The people of a creditor's back office and what each may do.

use serde::{Deserialize, Serialize};

/// An agent's role: admins set the creditor's rules and invite; agents act on cases;
/// read-only accounts only look.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    Admin,
    Agent,
    ReadOnly,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Agent, Role::ReadOnly, Role::Admin];

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

    /// Whether this role acts on cases: decides on schedules, works disputes, answers messages.
    pub fn may_decide(self) -> bool {
        matches!(self, Role::Admin | Role::Agent)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_and_only_read_only_may_not_decide() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("Admin"), None);
        assert!(
            Role::Admin.may_decide() && Role::Agent.may_decide() && !Role::ReadOnly.may_decide()
        );
    }
}
