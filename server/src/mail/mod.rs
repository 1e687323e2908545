//! Sending email. The `Mailer` port has one adapter, SMTP through lettre; tests use a real SMTP
//! server (maildev). Mail is never sent from a request: it is queued in the outbox table in the
//! same transaction as what it tells, and `outbox::send_due` sends it.

pub mod outbox;

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

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The recipient's server refused the mail for good (SMTP 55x: no such mailbox, user
    /// unknown, address not allowed …): trying again would get the same answer.
    #[error("refused by the recipient's server: {answer}")]
    Refused { answer: String },
    /// Anything else (server down, timeout, 4xx, our own configuration): worth another try.
    #[error(transparent)]
    Failed(#[from] anyhow::Error),
}

impl SendError {
    /// A 5xx answer in the mail-system category (550–559) refuses this recipient or this mail.
    /// Other permanent answers (50x syntax, 53x authentication) say our configuration is wrong,
    /// not the address: those are retried, and visible to agents as failures.
    fn from_smtp(e: lettre::transport::smtp::Error) -> Self {
        use lettre::transport::smtp::response::Category;
        match e.status() {
            Some(code) if e.is_permanent() && code.category == Category::MailSystem => {
                Self::Refused {
                    answer: e.to_string(),
                }
            }
            _ => Self::Failed(anyhow::Error::new(e).context("SMTP delivery")),
        }
    }
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
    ) -> Result<(), SendError>;
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
    ) -> Result<(), SendError> {
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
            .map_err(SendError::from_smtp)?;
        Ok(())
    }
}
