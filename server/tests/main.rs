//! One integration test binary. Storage and HTTP tests run against real SQLite and a real
//! PostgreSQL (TEST_POSTGRES_URL, started by `make test`), mail against a real SMTP server
//! (maildev, MAILDEV_API), PDFs through qpdf and pdftotext.
// A failed unwrap in a test is a failed test, with its line.
#![allow(clippy::unwrap_used)]

mod support;

mod agents;
mod assets;
mod disputes;
mod documents;
mod hang;
mod links;
mod mail;
mod ops;
mod payments;
mod promises;
mod reminder_actions;
mod reminder_bounces;
mod reminder_pages;
mod reminders;
mod schedules;
mod security;
mod statement;
mod storage;
