//! The bottom floor every feature may use, and which uses none of them: the shared state and
//! its injectable clock, who is asking (debtor and agent contexts), forms and drafts, links
//! for mails, the one mail composer, the debtor's statement as it stands, what every PDF
//! shares, the case summaries both sides see, the versioned names of the static files, and
//! the counters `/metrics` shows.

pub mod assets;
pub mod clock;
pub mod context;
pub mod documents;
pub mod forms;
pub mod http;
pub mod links;
pub mod mail;
pub mod metrics;
pub mod ratelimit;
pub mod state;
pub mod statement;
pub mod summaries;

pub use context::{AgentContext, DebtorContext, SignedIn};
pub use http::internal;
pub use state::AppState;
