//! Reminder scenarios: the emails that carry the portal links. Each creditor has a scenario per
//! segment of debtors (the default one until it saves its own); the run decides, with the
//! domain's `decide`, one reminder per debtor per day at most, and writes it with its mail in
//! one transaction under a unique key per debtor, step and day (`storage::reminders`), so a
//! repeated run, a crash half-way or two instances on one PostgreSQL send each reminder once.

pub mod actions;
pub mod compose;
pub mod defaults;
pub mod letter;
pub mod pages;
pub mod routes;
pub mod run;
pub mod scenario;
pub mod template;

pub use run::{Report, run};
