//! The one mail composer. Every mail the portal sends is a `Letter`: a subject, paragraphs, an
//! optional link into the portal and an optional document, in one language, greeted by name
//! and signed with the creditor's name. Every sentence comes from `app::i18n`; this file only
//! lays them out, as plain text and as escaped HTML.

use super::state::AppState;
use crate::storage::{Attachment, CreditorRow, DebtorRow, LinkRow, NewMail, StorageError};
use app::components::escape_html;
use app::domain::locale::Lang;
use app::i18n::mail as words;

#[derive(Debug, Clone, Default)]
pub struct Letter {
    pub subject: String,
    pub paragraphs: Vec<String>,
    /// The address, and the words the HTML part shows for it (the text part shows the address).
    pub link: Option<(String, String)>,
    /// A document rendered when the mail is sent.
    pub attachment: Option<(Attachment, String)>,
}

impl Letter {
    pub fn new(subject: impl Into<String>) -> Self {
        Self {
            subject: subject.into(),
            ..Self::default()
        }
    }

    pub fn para(mut self, p: impl Into<String>) -> Self {
        self.paragraphs.push(p.into());
        self
    }

    pub fn link(mut self, url: impl Into<String>, label: impl Into<String>) -> Self {
        self.link = Some((url.into(), label.into()));
        self
    }

    pub fn attach(mut self, kind: Attachment, id: impl Into<String>) -> Self {
        self.attachment = Some((kind, id.into()));
        self
    }

    /// The plain-text and HTML bodies: greeting, paragraphs, link; no signature.
    fn bodies(&self, lang: Lang, to_name: &str) -> (String, String) {
        let hello = words::hello(lang, to_name);
        let mut text = format!("{hello}\n\n");
        let mut html = format!("<p>{}</p>", escape_html(&hello));
        for p in &self.paragraphs {
            text.push_str(&format!("{p}\n\n"));
            html.push_str(&format!("<p>{}</p>", escape_html(p).replace('\n', "<br>")));
        }
        if let Some((url, label)) = &self.link {
            text.push_str(&format!("{url}\n\n"));
            html.push_str(&format!(
                "<p><a href=\"{}\">{}</a></p>",
                escape_html(url),
                escape_html(label)
            ));
        }
        (text, html)
    }

    /// This letter to one person, in `lang`, signed by the creditor.
    pub fn to(&self, creditor: &CreditorRow, lang: Lang, to_name: &str, to: &str) -> NewMail {
        let (mut text, mut html) = self.bodies(lang, to_name);
        text.push_str(&format!("{}\n", creditor.name));
        html.push_str(&format!("<p>{}</p>", escape_html(&creditor.name)));
        NewMail {
            creditor_id: Some(creditor.id.clone()),
            to_address: to.to_string(),
            to_name: to_name.to_string(),
            subject: format!("{} — {}", self.subject, creditor.name),
            text_body: text,
            html_body: html,
            attachment: self.attachment.clone(),
        }
    }
}

/// The same letter in French then English, under one subject, for people whose language we do
/// not know yet (agents invited to a back office).
pub fn bilingual(
    creditor: &CreditorRow,
    subject: &str,
    fr: &Letter,
    en: &Letter,
    to_name: &str,
    to: &str,
) -> NewMail {
    let (fr_text, fr_html) = fr.bodies(Lang::Fr, to_name);
    let (en_text, en_html) = en.bodies(Lang::En, to_name);
    let name = &creditor.name;
    NewMail {
        creditor_id: Some(creditor.id.clone()),
        to_address: to.to_string(),
        to_name: to_name.to_string(),
        subject: subject.to_string(),
        text_body: format!("{fr_text}{en_text}{name}\n"),
        html_body: format!("{fr_html}<hr>{en_html}<p>{}</p>", escape_html(name)),
        attachment: None,
    }
}

/// A fresh portal link for a mail to a debtor (the one they hold may have expired), not yet
/// recorded: the caller records the row with the mail that carries it, in one transaction.
pub fn portal_link(
    state: &AppState,
    creditor: &CreditorRow,
    debtor_id: &str,
) -> anyhow::Result<(LinkRow, String)> {
    let (row, token) = state.links.prepare_for(creditor, debtor_id, state.now())?;
    Ok((row, format!("{}/l/{}", state.config.public_url, token)))
}

/// The letter `write` gives in the debtor's language, to each of the debtor's contacts.
pub async fn to_debtor(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    write: impl Fn(Lang) -> Letter,
) -> Result<Vec<NewMail>, StorageError> {
    let contacts = state.storage.contacts(&creditor.id, &debtor.id).await?;
    let letter = write(debtor.lang);
    Ok(contacts
        .iter()
        .map(|c| letter.to(creditor, debtor.lang, &c.name, &c.email))
        .collect())
}

/// A letter to the creditor's collection team at its contact address. The team reads French
/// until a creditor can set its own language.
pub fn to_team(creditor: &CreditorRow, write: impl Fn(Lang) -> Letter) -> NewMail {
    write(Lang::Fr).to(creditor, Lang::Fr, "", &creditor.contact_email)
}
