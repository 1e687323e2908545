//! Links into the portal: opening one for a session, and "send me a new link", which mints a
//! fresh link and mails it to an address the creditor has on file (`routes` for the HTTP side).

pub mod routes;

use crate::kernel::AppState;
use crate::kernel::clock::wall_clock;
use crate::kernel::links::LinkCheck;
use crate::kernel::mail::{Letter, portal_link};
use crate::storage::{CreditorRow, NewMail};
use app::domain::contact::EmailAddress;
use app::domain::locale::{Lang, format_date};
use app::i18n::{self, mail as words};

pub enum Request {
    /// The holder of a genuine, expired link: mail every contact of that debtor.
    ExpiredLink(String),
    /// Someone who typed an address: mail that address, for each file it is a contact of.
    Address(EmailAddress),
}

/// Returns how many mails were queued (0 when nothing matched: the caller says the same either way).
pub async fn send_fresh_links(state: &AppState, request: Request) -> anyhow::Result<usize> {
    let now = state.now();
    let targets: Vec<(String, String, Option<String>)> = match request {
        Request::ExpiredLink(token) => {
            match state.links.check(&state.storage, &token, now).await? {
                LinkCheck::Expired(l) | LinkCheck::Valid(l) => {
                    vec![(l.creditor_id, l.debtor_id, None)]
                }
                LinkCheck::Revoked | LinkCheck::Invalid => vec![],
            }
        }
        Request::Address(addr) => state
            .storage
            .debtors_by_email(addr.as_str())
            .await?
            .into_iter()
            .map(|(c, d)| (c, d, Some(addr.as_str().to_string())))
            .collect(),
    };
    let mut queued = 0;
    for (creditor_id, debtor_id, only_address) in targets {
        let (Some(creditor), Some(debtor)) = (
            state.storage.creditor(&creditor_id).await?,
            state.storage.debtor(&creditor_id, &debtor_id).await?,
        ) else {
            continue;
        };
        let contacts = state.storage.contacts(&creditor_id, &debtor_id).await?;
        let recipients: Vec<_> = contacts
            .into_iter()
            .filter(|c| {
                only_address
                    .as_ref()
                    .is_none_or(|a| c.email.eq_ignore_ascii_case(a))
            })
            .collect();
        if recipients.is_empty() {
            continue;
        }
        let (row, url) = portal_link(state, &creditor, &debtor.id)?;
        let lang = debtor.lang;
        // The last day it works, where the debtor is.
        let until = format_date(wall_clock(debtor.timezone, row.expires_at).date(), lang);
        let mails: Vec<NewMail> = recipients
            .iter()
            .map(|c| link_mail(&creditor, lang, &c.name, &c.email, &url, &until))
            .collect();
        state
            .storage
            .insert_link(&row, "debtor", "renewal requested", &mails)
            .await?;
        queued += mails.len();
    }
    if queued > 0 {
        state.mail_queued();
    }
    Ok(queued)
}

/// The fresh link, to one contact, in the debtor's language.
fn link_mail(
    creditor: &CreditorRow,
    lang: Lang,
    to_name: &str,
    to: &str,
    url: &str,
    until: &str,
) -> NewMail {
    Letter::new(i18n::NEW_LINK_SUBJECT.get(lang))
        .para(words::link_intro(lang, &creditor.name))
        .link(url, i18n::STATEMENT_TITLE.get(lang))
        .para(words::link_validity(lang, until))
        .para(words::LINK_IGNORE.get(lang))
        .to(creditor, lang, to_name, to)
}
