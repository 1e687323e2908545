//! What the debtor is told at each step of a schedule, in their language.

use crate::kernel::AppState;
use crate::kernel::mail::{Letter, to_debtor};
use crate::storage::{Attachment, CreditorRow, DebtorRow, NewMail};
use app::domain::locale::{format_date, format_money};
use app::domain::money::Money;
use app::i18n::{self, mail as words};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy)]
pub enum MailKind {
    /// Accepted (at once, by an agent, or the debtor accepted a counter-proposal): with the PDF.
    Accepted,
    /// Received, for review.
    Received,
    Rejected,
    Countered,
    Reminder {
        seq: u32,
        amount: Money,
        due: NaiveDate,
    },
    Broken,
}

/// One mail per contact of the debtor. `url`: a fresh link into the portal, for mails the
/// debtor did not just cause; `note`: the agent's words.
pub async fn mails_for(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    schedule_id: &str,
    kind: MailKind,
    url: Option<&str>,
    note: &str,
) -> Result<Vec<NewMail>, crate::storage::StorageError> {
    let name = creditor.name.as_str();
    to_debtor(state, creditor, debtor, |lang| {
        let letter = match kind {
            MailKind::Accepted => Letter::new(i18n::SCHEDULE_ACCEPTED_SUBJECT.get(lang))
                .para(words::SCHEDULE_ACCEPTED.get(lang))
                .attach(Attachment::Schedule, schedule_id),
            MailKind::Received => Letter::new(i18n::SCHEDULE_REVIEW_SUBJECT.get(lang))
                .para(words::schedule_received(lang, name)),
            MailKind::Rejected => Letter::new(i18n::SCHEDULE_REJECTED_SUBJECT.get(lang))
                .para(words::SCHEDULE_REJECTED.get(lang))
                .para(words::reason(lang, note))
                .para(words::SCHEDULE_PROPOSE_AGAIN.get(lang)),
            MailKind::Countered => {
                let l = Letter::new(i18n::SCHEDULE_COUNTER_SUBJECT.get(lang))
                    .para(words::schedule_countered(lang, name));
                let l = if note.is_empty() {
                    l
                } else {
                    l.para(words::their_message(lang, note))
                };
                l.para(words::SCHEDULE_COUNTER_OPEN.get(lang))
            }
            MailKind::Reminder { seq, amount, due } => Letter::new(
                i18n::SCHEDULE_REMINDER_SUBJECT.get(lang),
            )
            .para(words::schedule_reminder(
                lang,
                seq,
                &format_money(amount, lang),
                &format_date(due, lang),
            )),
            MailKind::Broken => Letter::new(i18n::SCHEDULE_BROKEN_SUBJECT.get(lang))
                .para(words::SCHEDULE_BROKEN.get(lang)),
        };
        match url {
            Some(u) => letter.link(u, i18n::SCHEDULE_TITLE.get(lang)),
            None => letter,
        }
    })
    .await
}
