//! Cases as both sides see them: a dispute, a schedule, a thread of posts. The debtor's pages
//! and the back office show the same summaries, so they are built here, once.

use super::clock::{today_in, wall_clock};
use crate::storage::{DisputeRow, MessageRow, PostRow, ScheduleRow};
use app::domain::money::Money;
use app::domain::statement::Statement;
use app::views::dispute::{DisputeSummary, FileView, PostView};
use app::views::schedule::{InstalmentState, InstalmentView, ScheduleSummary};
use chrono::NaiveDate;
use chrono_tz::Tz;
use std::collections::HashMap;

pub fn dispute_summary(d: &DisputeRow, tz: Tz, owner: Option<String>) -> DisputeSummary {
    DisputeSummary {
        id: d.id.clone(),
        reason: d.reason,
        status: d.status,
        contested: d.contested,
        credited: d.credited,
        invoices: d.invoices.iter().map(|(_, n, m)| (n.clone(), *m)).collect(),
        opened_on: wall_clock(tz, d.created_at).date(),
        paid_on: d.paid_on,
        owner,
    }
}

/// Posts as a reader sees them: agents by name in the back office (`names`), as "the team"
/// on the debtor's side.
pub fn posts_view(
    posts: Vec<PostRow>,
    names: Option<&HashMap<String, String>>,
    tz: Tz,
) -> Vec<PostView> {
    posts
        .into_iter()
        .map(|p| PostView {
            from_debtor: p.author == "debtor",
            author: names
                .and_then(|n| n.get(&p.author).cloned())
                .unwrap_or_default(),
            internal: p.internal,
            body: p.body,
            at: wall_clock(tz, p.at),
            files: p
                .files
                .into_iter()
                .map(|f| FileView {
                    id: f.id,
                    name: f.name,
                    size: f.size,
                })
                .collect(),
        })
        .collect()
}

/// A debtor's conversation with the team, as posts.
pub fn thread(
    messages: Vec<MessageRow>,
    names: Option<&HashMap<String, String>>,
    tz: Tz,
) -> Vec<PostView> {
    let posts = messages
        .into_iter()
        .map(|m| PostRow {
            id: m.id,
            author: m.author,
            internal: false,
            body: m.body,
            at: m.at,
            files: Vec::new(),
        })
        .collect();
    posts_view(posts, names, tz)
}

/// Paid on a schedule's invoices since it was proposed, from the statement as it is now (an
/// invoice no longer on the statement is paid): what they owed then, less what they owe now,
/// so any payment counts, by any means.
pub fn paid_on(s: &ScheduleRow, statement: &Statement) -> Money {
    let paid = s.invoices.iter().fold(0i64, |acc, (id, _, owed)| {
        let left = statement
            .items
            .iter()
            .find(|i| &i.invoice.id == id)
            .map_or(0, |i| i.invoice.remaining.minor);
        acc + (owed.minor - left).max(0)
    });
    Money::new(paid, s.total.currency)
}

/// Each instalment is paid once the payments cover it and every one before it.
pub fn instalment_states(s: &ScheduleRow, paid: Money, today: NaiveDate) -> Vec<InstalmentView> {
    let mut covered = 0i64;
    s.instalments
        .iter()
        .map(|i| {
            covered += i.amount.minor;
            let state = if paid.minor >= covered {
                InstalmentState::Paid
            } else if i.due_date <= today {
                InstalmentState::Due
            } else {
                InstalmentState::Upcoming
            };
            InstalmentView {
                seq: i.seq as u32,
                due_date: i.due_date,
                amount: i.amount,
                state,
            }
        })
        .collect()
}

pub fn schedule_summary(s: &ScheduleRow, paid: Money, today: NaiveDate, tz: Tz) -> ScheduleSummary {
    let proposed_on =
        chrono::DateTime::from_timestamp(s.created_at, 0).map_or(today, |t| today_in(tz, t));
    ScheduleSummary {
        id: s.id.clone(),
        state: s.status,
        total: s.total,
        paid,
        invoices: s.invoices.iter().map(|(_, n, m)| (n.clone(), *m)).collect(),
        instalments: instalment_states(s, paid, today),
        reasons: s.reasons.clone(),
        note: s.note.clone(),
        proposed_on,
        needs_agent: s.needs_agent,
        card_saved: s.card_payment_method.is_some(),
    }
}
