//! "Send me a new link": mints a fresh link and mails it to an address the creditor has on file.

use crate::jobs::now;
use crate::links::LinkCheck;
use crate::mail::html_escape;
use crate::state::AppState;
use crate::storage::NewMail;
use app::domain::contact::EmailAddress;
use app::domain::locale::{Lang, format_date};
use app::i18n;

pub enum Request {
    /// The holder of a genuine, expired link: mail every contact of that debtor.
    ExpiredLink(String),
    /// Someone who typed an address: mail that address, for each file it is a contact of.
    Address(EmailAddress),
}

/// Returns how many mails were queued (0 when nothing matched: the caller says the same either way).
pub async fn send_fresh_links(state: &AppState, request: Request) -> anyhow::Result<usize> {
    let now = now();
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
        let (row, token) = state.links.prepare_for(&creditor, &debtor.id, now)?;
        let url = format!("{}/l/{}", state.config.public_url, token);
        let lang = Lang::parse(&debtor.locale).unwrap_or_default();
        let until = chrono::DateTime::from_timestamp(row.expires_at, 0)
            .map(|t| format_date(t.date_naive(), lang))
            .unwrap_or_default();
        let mails: Vec<NewMail> = recipients
            .iter()
            .map(|c| {
                link_mail(
                    lang,
                    &creditor.id,
                    &creditor.name,
                    &c.name,
                    &c.email,
                    &url,
                    &until,
                )
            })
            .collect();
        state
            .storage
            .insert_link(&row, "debtor", "renewal requested", &mails)
            .await?;
        queued += mails.len();
    }
    if queued > 0 {
        state.mail_wake.notify_one();
    }
    Ok(queued)
}

pub fn link_mail(
    lang: Lang,
    creditor_id: &str,
    creditor_name: &str,
    to_name: &str,
    to: &str,
    url: &str,
    until: &str,
) -> NewMail {
    let (hello, intro, validity, ignore) = match lang {
        Lang::Fr => (
            format!("Bonjour {to_name},"),
            format!(
                "Voici votre nouveau lien pour consulter votre relevé de compte chez {creditor_name} :"
            ),
            format!("Ce lien personnel est valable jusqu’au {until}. Ne le transférez pas."),
            "Si vous n’avez rien demandé, ignorez simplement ce message.",
        ),
        Lang::En => (
            format!("Hello {to_name},"),
            format!("Here is your new link to see your statement of account with {creditor_name}:"),
            format!("This personal link works until {until}. Please do not forward it."),
            "If you did not ask for it, simply ignore this message.",
        ),
    };
    let subject = format!("{} — {creditor_name}", i18n::NEW_LINK_SUBJECT.get(lang));
    let text = format!("{hello}\n\n{intro}\n{url}\n\n{validity}\n{ignore}\n\n{creditor_name}\n");
    let html = format!(
        "<p>{}</p><p>{}</p><p><a href=\"{}\">{}</a></p><p>{}<br>{}</p><p>{}</p>",
        html_escape(&hello),
        html_escape(&intro),
        html_escape(url),
        html_escape(i18n::STATEMENT_TITLE.get(lang)),
        html_escape(&validity),
        html_escape(ignore),
        html_escape(creditor_name)
    );
    NewMail {
        creditor_id: Some(creditor_id.into()),
        to_address: to.into(),
        to_name: to_name.into(),
        subject,
        text_body: text,
        html_body: html,
        attachment: None,
    }
}
