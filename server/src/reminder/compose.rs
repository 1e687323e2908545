//! One reminder email from the step's templates: the most advanced step's subject and body,
//! each invoice with its own step's wording, the late charges on a formal notice, the portal
//! link minted for this email; text and HTML, in the debtor's language, signed by the creditor.

use super::template::{
    ChargesData, CreditorData, DebtorData, InvoiceData, Part, ReminderData, TemplateError, render,
    to_html,
};
use crate::storage::{CreditorRow, DueDebtor, DueInvoice, NewMail, ReminderSettings, StepRow};
use app::components::escape_html;
use app::domain::late_charges::late_charges;
use app::domain::locale::{Lang, format_date, format_money};
use app::domain::money::Money;
use app::domain::reminder::{Action, Channel};
use chrono::NaiveDate;

pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
    pub mails: Vec<NewMail>,
}

/// Amounts per currency, formatted and joined (a debtor rarely owes in two currencies).
fn sum(amounts: impl Iterator<Item = Money>, lang: Lang) -> String {
    let mut totals: Vec<Money> = vec![];
    for m in amounts {
        match totals.iter_mut().find(|t| t.currency == m.currency) {
            Some(t) => t.minor = t.minor.saturating_add(m.minor),
            None => totals.push(m),
        }
    }
    totals
        .into_iter()
        .map(|m| format_money(m, lang))
        .collect::<Vec<_>>()
        .join(" + ")
}

fn invoice_data(i: &DueInvoice, today: NaiveDate, lang: Lang) -> InvoiceData {
    InvoiceData {
        number: i.number.clone(),
        amount: format_money(i.amount, lang),
        remaining: format_money(i.remaining, lang),
        due_date: format_date(i.due, lang),
        days_overdue: (today - i.due).num_days(),
        wording: String::new(),
    }
}

/// The data the templates see, for these invoices on `today`.
pub fn data(
    creditor: &CreditorRow,
    settings: &ReminderSettings,
    d: &DueDebtor,
    steps: &[StepRow],
    action: &Action,
    today: NaiveDate,
    link: &str,
) -> Result<ReminderData, TemplateError> {
    let lang = d.lang;
    let listed: Vec<(&DueInvoice, i64)> = action
        .items
        .iter()
        .filter_map(|(id, seq)| d.invoices.iter().find(|i| &i.id == id).map(|i| (i, *seq)))
        .collect();
    let mut base = ReminderData {
        debtor: DebtorData {
            name: d.name.clone(),
            reference: d.reference.clone(),
        },
        creditor: CreditorData {
            name: creditor.name.clone(),
            email: creditor.contact_email.clone(),
            phone: String::new(),
        },
        link: link.to_string(),
        total: sum(listed.iter().map(|(i, _)| i.remaining), lang),
        invoices: vec![],
        charges: None,
    };
    let mut invoices = vec![];
    for (i, seq) in &listed {
        let mut one = invoice_data(i, today, lang);
        if let Some(step) = steps.iter().find(|s| s.seq == *seq) {
            let single = ReminderData {
                invoices: vec![one.clone()],
                ..base.clone()
            };
            one.wording = render(Part::Line, &step.texts(lang).line, &single, false)?;
        }
        invoices.push(one);
    }
    base.invoices = invoices;
    if action.step.channel == Channel::FormalNotice && d.business && !d.charges_waived {
        let mut indemnity = vec![];
        let mut interest = vec![];
        for (i, _) in &listed {
            match late_charges(
                &settings.terms,
                d.business,
                d.charges_waived,
                i.amount,
                i.remaining,
                i.due,
                today,
            ) {
                Ok(Some(c)) => {
                    indemnity.push(c.indemnity);
                    interest.push(c.interest);
                }
                Ok(None) => {}
                // A half-year without a rate: no charges claimed rather than wrong ones.
                Err(e) => {
                    tracing::warn!(creditor = %creditor.id, error = %e, "late charges not computed")
                }
            }
        }
        if !indemnity.is_empty() {
            base.charges = Some(ChargesData {
                indemnity: sum(indemnity.iter().copied(), lang),
                interest: sum(interest.iter().copied(), lang),
                total: sum(indemnity.into_iter().chain(interest), lang),
            });
        }
    }
    Ok(base)
}

/// The email for the action's step, to each contact of the debtor.
#[allow(clippy::too_many_arguments)]
pub fn mails(
    creditor: &CreditorRow,
    settings: &ReminderSettings,
    d: &DueDebtor,
    steps: &[StepRow],
    step: &StepRow,
    action: &Action,
    today: NaiveDate,
    link: &str,
) -> anyhow::Result<Composed> {
    let data = data(creditor, settings, d, steps, action, today, link)?;
    let c = letter(creditor, step, d.lang, &data)?;
    let mails = d
        .contacts
        .iter()
        .map(|(name, email)| NewMail {
            creditor_id: Some(creditor.id.clone()),
            to_address: email.clone(),
            to_name: name.clone(),
            subject: c.subject.clone(),
            text_body: greet_text(d.lang, name, &c.text),
            html_body: greet_html(d.lang, name, &c.html),
            attachment: None,
        })
        .collect();
    Ok(Composed { mails, ..c })
}

/// Subject and bodies of a step in one language (also the back office's preview).
pub fn letter(
    creditor: &CreditorRow,
    step: &StepRow,
    lang: Lang,
    data: &ReminderData,
) -> Result<Composed, TemplateError> {
    let t = step.texts(lang);
    let subject = format!(
        "{} — {}",
        render(Part::Subject, &t.subject, data, false)?,
        creditor.name
    );
    let body = render(Part::Body, &t.body, data, false)?;
    let text = format!("{body}\n\n{}\n", creditor.name);
    // The link is plain URL characters (https and base64url), the same escaped or not: in
    // HTML it becomes a link the debtor can press.
    let body = to_html(Part::Body, &body);
    let anchor = format!("<a href=\"{0}\">{0}</a>", escape_html(&data.link));
    let body = if data.link.is_empty() {
        body
    } else {
        body.replace(&escape_html(&data.link), &anchor)
    };
    let html = format!("<p>{body}</p><p>{}</p>", escape_html(&creditor.name));
    Ok(Composed {
        subject,
        text,
        html,
        mails: vec![],
    })
}

fn greet_text(lang: Lang, name: &str, body: &str) -> String {
    format!("{}\n\n{body}", app::i18n::mail::hello(lang, name))
}

fn greet_html(lang: Lang, name: &str, body: &str) -> String {
    format!(
        "<p>{}</p>{body}",
        escape_html(&app::i18n::mail::hello(lang, name))
    )
}
