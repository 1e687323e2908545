//! The storage adapter: the only place SQL lives. One set of portable queries, run through
//! sqlx's `Any` driver on SQLite (default, embedded) and PostgreSQL (several instances).
//! Every query that reads debtor data takes the creditor id and the debtor id.

mod agent_links;
mod agents;
mod bulk;
mod contacts;
mod creditors;
mod debtors;
mod disputes;
mod events;
mod invoices;
mod links;
mod messages;
mod outbox;
mod payments;
mod promises;
mod reminders;
mod rows;
mod scenario_pages;
mod schedules;

pub use agent_links::NewAgentLink;
pub use agents::{AgentRow, DebtorSummaryRow};
pub use bulk::BulkInvoice;
pub use contacts::BouncingContact;
pub use creditors::{CreditorRow, NewCreditor};
pub use debtors::{ContactRow, DebtorRow, NewDebtor};
pub use disputes::{
    AttachmentMeta, DisputeRow, NewDispute, NewFile, Notice as CaseNotice, OpenDisputeRow,
    OwnerRow, PostRow, Stored, Submitted,
};
pub use events::{EventRow, NewEvent};
pub use invoices::{InvoiceDetail, LineRow, NewInvoice, NewPayment};
pub use links::LinkRow;
pub use messages::{MessageRow, NewMessage, UnreadRow};
pub use outbox::{Attachment, NewMail, OutboxRow, enqueue as enqueue_mail};
pub use payments::{
    AttemptRow, NewAttempt, PaymentSettingsRow, ReceiptData, RecordedPayment, SETUP_PENDING,
};
pub use promises::{OpenPromise, PromiseRow};
pub use reminders::{
    DueDebtor, DueInvoice, NewReminder, NewScenario, ReminderRow, ReminderSettings, ScenarioRow,
    StepRow, StepTexts,
};
pub use schedules::{
    FollowedSchedule, InstalmentRow, NewSchedule, Notice, QueueRow, RulesRow, ScheduleRow,
    ScheduleStatus,
};

use anyhow::Context;
use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::{Any, AnyPool, Transaction};

pub type Tx<'a> = Transaction<'a, Any>;

#[derive(Clone)]
pub struct Storage {
    pub pool: AnyPool,
    /// SQLite takes its write lock when a transaction begins (see `begin`).
    sqlite: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A unique constraint refused the row: the caller decides what that means to the user.
    #[error("duplicate: {0}")]
    Duplicate(String),
    /// The row moved on since it was read (a proposal withdrawn, an invoice paid): nothing
    /// was written, and the caller tells the user what changed.
    #[error("changed meanwhile: {0}")]
    Stale(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub type Result<T> = std::result::Result<T, StorageError>;

/// Turns unique violations into `Duplicate`, recognised by the database's error kind, not text.
pub(crate) fn map_unique(e: sqlx::Error) -> StorageError {
    if let sqlx::Error::Database(db) = &e
        && db.is_unique_violation()
    {
        return StorageError::Duplicate(db.message().to_string());
    }
    StorageError::Db(e)
}

pub(crate) fn corrupt(what: impl std::fmt::Display) -> StorageError {
    StorageError::Corrupt(what.to_string())
}

impl Storage {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        install_default_drivers();
        let is_sqlite = url.starts_with("sqlite:");
        if is_sqlite
            && let Some(path) = sqlite_file(url)
            && let Some(dir) = std::path::Path::new(&path).parent()
        {
            // If this fails, connecting says why.
            if let Err(e) = std::fs::create_dir_all(dir) {
                tracing::warn!(error = %e, dir = %dir.display(), "creating the database's folder");
            }
        }
        let options = AnyPoolOptions::new()
            // SQLite allows one writer: a small pool with a busy timeout serialises writes.
            .max_connections(if is_sqlite { 4 } else { 16 })
            // sqlx pings a connection before handing it out. A SQLite connection is a file in
            // this process and cannot go stale, and the ping is a round trip to the
            // connection's worker thread on every acquire. A PostgreSQL connection can (a
            // restarted server, a proxy's idle cut): it keeps the check.
            .test_before_acquire(!is_sqlite)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if is_sqlite {
                        use sqlx::Executor;
                        conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL;").await?;
                    }
                    Ok(())
                })
            });
        let pool = options
            .connect(url)
            .await
            .with_context(|| format!("connecting to {}", redact(url)))?;
        Ok(Self {
            pool,
            sqlite: is_sqlite,
        })
    }

    pub async fn migrate(&self) -> anyhow::Result<()> {
        sqlx::migrate!("./migrations")
            .run(&self.pool)
            .await
            .context("running migrations")?;
        Ok(())
    }

    /// A transaction. On SQLite it is `BEGIN IMMEDIATE`: our transactions read, then write, and
    /// a deferred one that has read cannot wait for the write lock (SQLite answers "database is
    /// locked" at once, whatever the busy timeout, when another connection wrote meanwhile; seen
    /// as a rare internal error under the tests' load). Taking the lock first makes it wait its
    /// turn (up to the 5 s busy timeout) instead.
    pub async fn begin(&self) -> Result<Tx<'_>> {
        if self.sqlite {
            return Ok(self.pool.begin_with("BEGIN IMMEDIATE").await?);
        }
        Ok(self.pool.begin().await?)
    }
}

fn sqlite_file(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    (!path.is_empty() && path != ":memory:").then(|| path.to_string())
}

/// The URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            let user = creds.split(':').next().unwrap_or("");
            format!("{}{user}:***{}", &url[..s + 3], &url[at..])
        }
        _ => url.to_string(),
    }
}

pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}
