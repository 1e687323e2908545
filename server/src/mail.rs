//! Sending email. The `Mailer` port has one adapter, SMTP through lettre; tests use a real SMTP
//! server (maildev). Mail is never sent from a request: it goes through the outbox table.

use anyhow::Context;
use lettre::message::header::ContentType;
use lettre::message::{Attachment as LettreAttachment, Mailbox, MultiPart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// A file sent with a mail (e.g. a receipt PDF).
#[derive(Debug, Clone)]
pub struct MailAttachment {
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[async_trait::async_trait]
pub trait Mailer: Send + Sync + 'static {
    async fn send(
        &self,
        to_name: &str,
        to_address: &str,
        subject: &str,
        text: &str,
        html: &str,
        attachments: &[MailAttachment],
    ) -> anyhow::Result<()>;
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl SmtpMailer {
    /// `url`: `smtp://host:port` (plain, for a local catcher), `smtp://…?tls=required`, or `smtps://…`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .with_context(|| format!("SMTP_URL {url:?} is not valid"))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("MAIL_FROM {from:?} is not a valid address"))?;
        Ok(Self { transport, from })
    }
}

#[async_trait::async_trait]
impl Mailer for SmtpMailer {
    async fn send(
        &self,
        to_name: &str,
        to_address: &str,
        subject: &str,
        text: &str,
        html: &str,
        attachments: &[MailAttachment],
    ) -> anyhow::Result<()> {
        let to = Mailbox::new(
            Some(to_name.to_string()),
            to_address.parse().context("recipient address")?,
        );
        let body = MultiPart::alternative_plain_html(text.to_string(), html.to_string());
        let body = if attachments.is_empty() {
            body
        } else {
            let mut mixed = MultiPart::mixed().multipart(body);
            for a in attachments {
                let ct = ContentType::parse(&a.content_type).context("attachment content type")?;
                mixed = mixed.singlepart(
                    LettreAttachment::new(a.filename.clone()).body(a.bytes.clone(), ct),
                );
            }
            mixed
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .multipart(body)
            .context("building the message")?;
        self.transport
            .send(message)
            .await
            .context("SMTP delivery")?;
        Ok(())
    }
}

/// Escapes text for the HTML part of a mail.
pub use app::components::escape_html as html_escape;

/// A plain notice in the creditor's name: a greeting, paragraphs, an optional link, and the
/// creditor's name as signature; text and HTML (escaped) alike.
pub fn notice(
    creditor: &crate::storage::CreditorRow,
    to_address: &str,
    to_name: &str,
    fr: bool,
    subject: &str,
    paragraphs: &[String],
    url: Option<&str>,
) -> crate::storage::NewMail {
    let hello = match (fr, to_name.is_empty()) {
        (true, false) => format!("Bonjour {to_name},"),
        (true, true) => "Bonjour,".to_string(),
        (false, false) => format!("Hello {to_name},"),
        (false, true) => "Hello,".to_string(),
    };
    let name = &creditor.name;
    let link_text = url.map(|u| format!("{u}\n\n")).unwrap_or_default();
    let link_html = url
        .map(|u| format!("<p><a href=\"{0}\">{0}</a></p>", html_escape(u)))
        .unwrap_or_default();
    let text_paras: String = paragraphs.iter().map(|p| format!("{p}\n\n")).collect();
    let html_paras: String = paragraphs
        .iter()
        .map(|p| format!("<p>{}</p>", html_escape(p).replace('\n', "<br>")))
        .collect();
    crate::storage::NewMail {
        creditor_id: Some(creditor.id.clone()),
        to_address: to_address.to_string(),
        to_name: to_name.to_string(),
        subject: format!("{subject} — {name}"),
        text_body: format!("{hello}\n\n{text_paras}{link_text}{name}\n"),
        html_body: format!(
            "<p>{}</p>{html_paras}{link_html}<p>{}</p>",
            html_escape(&hello),
            html_escape(name)
        ),
        attachment: None,
    }
}
