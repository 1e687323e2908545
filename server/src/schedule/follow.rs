//! Following accepted schedules: completes the paid ones, sends the friendly reminder a few
//! days before the next instalment, and breaks a schedule whose instalment is unpaid past the
//! creditor's grace period. (Charging an instalment to a saved card is the payment feature's
//! job, `payment::instalments`; the scheduler runs it first.)

use super::mails::{MailKind, mails_for};
use super::rules::rules_of;
use crate::kernel::AppState;
use crate::kernel::mail::portal_link;
use crate::kernel::summaries::instalment_states;
use crate::storage::{Notice, StorageError};
use app::views::schedule::InstalmentState;

/// What one pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct FollowUp {
    pub reminded: usize,
    pub broken: usize,
    pub completed: usize,
}

pub async fn follow(state: &AppState) -> anyhow::Result<FollowUp> {
    let mut done = FollowUp::default();
    for f in state.storage.followed_schedules(500).await? {
        let s = &f.schedule;
        let today = state.today_in(f.timezone);
        if f.paid.minor >= s.total.minor {
            // Another instance may have got there first: that is not an error.
            match state.storage.complete_schedule(s, state.now()).await {
                Ok(()) => done.completed += 1,
                Err(StorageError::Stale(_)) => {}
                Err(e) => return Err(e.into()),
            }
            continue;
        }
        let rules = rules_of(state, &s.creditor_id)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let states = instalment_states(s, f.paid, today);
        let Some((next, row)) = states
            .iter()
            .zip(&s.instalments)
            .find(|(v, _)| v.state != InstalmentState::Paid)
        else {
            continue;
        };
        let late_by = (today - next.due_date).num_days();
        // A saved card is charged on the instalment's date before anything else is said.
        if late_by >= 0 && s.card_payment_method.is_some() && row.charge_attempt_id.is_none() {
            continue;
        }
        let kind = if late_by > rules.grace_days {
            MailKind::Broken
        } else if late_by < 0 && -late_by <= rules.reminder_days && row.reminded_at.is_none() {
            MailKind::Reminder {
                seq: next.seq,
                amount: next.amount,
                due: next.due_date,
            }
        } else {
            continue;
        };
        let (Some(creditor), Some(debtor)) = (
            state.storage.creditor(&s.creditor_id).await?,
            state.storage.debtor(&s.creditor_id, &s.debtor_id).await?,
        ) else {
            continue;
        };
        let (link, url) = portal_link(state, &creditor, &debtor.id)?;
        let mails = mails_for(state, &creditor, &debtor, &s.id, kind, Some(&url), "")
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let notice = Notice {
            link: Some(&link),
            mails: &mails,
        };
        match kind {
            MailKind::Broken => match state
                .storage
                .break_schedule(s, row.seq, notice, state.now())
                .await
            {
                Ok(()) => done.broken += 1,
                Err(StorageError::Stale(_)) => {}
                Err(e) => return Err(e.into()),
            },
            _ => {
                if state
                    .storage
                    .remind_instalment(s, row.seq, notice, state.now())
                    .await?
                {
                    done.reminded += 1;
                }
            }
        }
    }
    if done.reminded + done.broken > 0 {
        state.mail_queued();
    }
    Ok(done)
}
