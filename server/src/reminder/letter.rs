//! A reminder task as an agent works it: the step's text rendered for this debtor (what to say
//! on the phone, the body of a letter), the PDF letter or formal notice (the late charges of a
//! business debtor apart from the invoice amounts, with the legal mentions), and the mails of a
//! confirmed formal notice with a fresh link.

use super::compose;
use super::run::Scenarios;
use crate::kernel::documents::{accent_rgb, party_of_creditor, party_of_debtor, render};
use crate::kernel::{AppState, internal};
use crate::pdf;
use crate::storage::{CreditorRow, DebtorRow, DueDebtor, LinkRow, NewMail, StepRow};
use app::domain::late_charges::late_charges;
use app::domain::locale::{Lang, format_money};
use app::domain::money::Money;
use app::domain::reminder::{Action, Channel, StepRule};
use app::error::AppError;
use chrono::NaiveDate;

/// A task's step and data, read for one debtor today.
pub struct Prepared {
    pub debtor: DueDebtor,
    pub step: StepRow,
    pub action: Action,
    pub today: NaiveDate,
    pub settings: crate::storage::ReminderSettings,
    pub steps: Vec<StepRow>,
}

/// What a task needs, or `None` when the debtor owes nothing on it any more (all paid or
/// contested meanwhile) or its step left the scenario.
pub async fn prepare(
    state: &AppState,
    creditor: &CreditorRow,
    debtor_id: &str,
    step_id: &str,
    step_seq: i64,
    items: &[(String, i64)],
) -> anyhow::Result<Option<Prepared>> {
    let settings = state.storage.reminder_settings(&creditor.id).await?;
    let scenarios = Scenarios::load(
        state.storage.scenarios(&creditor.id).await?,
        settings.phase_days,
    );
    let since = state.now() - 60 * 86_400;
    let Some(debtor) = state
        .storage
        .due_debtor(&creditor.id, debtor_id, since)
        .await?
    else {
        return Ok(None);
    };
    let Some((_, steps)) = scenarios.for_segment(&debtor.segment) else {
        return Ok(None);
    };
    let Some(step) = steps
        .iter()
        .find(|s| s.id == step_id)
        .or_else(|| steps.iter().find(|s| s.seq == step_seq))
        .cloned()
    else {
        return Ok(None);
    };
    let items: Vec<(String, i64)> = items
        .iter()
        .filter(|(id, _)| debtor.invoices.iter().any(|i| &i.id == id))
        .cloned()
        .collect();
    if items.is_empty() {
        return Ok(None);
    }
    let today = state.today_in(debtor.timezone);
    let action = Action {
        step: StepRule {
            seq: step.seq,
            offset_days: step.offset_days,
            channel: step.channel,
            confirm: step.confirm,
        },
        items,
    };
    Ok(Some(Prepared {
        debtor,
        step,
        action,
        today,
        settings,
        steps: steps.to_vec(),
    }))
}

impl Prepared {
    /// The step's subject and text for this debtor, without a link (what an agent reads out
    /// or prints).
    pub fn text(&self, creditor: &CreditorRow) -> anyhow::Result<(String, String)> {
        let data = compose::data(
            creditor,
            &self.settings,
            &self.debtor,
            &self.steps,
            &self.action,
            self.today,
            "",
        )?;
        let c = compose::letter(creditor, &self.step, self.debtor.lang, &data)?;
        Ok((c.subject, c.text))
    }

    /// The mails of a confirmed formal notice, each with the fresh link.
    pub fn mails(&self, creditor: &CreditorRow, url: &str) -> anyhow::Result<Vec<NewMail>> {
        Ok(compose::mails(
            creditor,
            &self.settings,
            &self.debtor,
            &self.steps,
            &self.step,
            &self.action,
            self.today,
            url,
        )?
        .mails)
    }

    /// The letter as the PDF prints it.
    pub fn doc(
        &self,
        creditor: &CreditorRow,
        debtor: &DebtorRow,
    ) -> anyhow::Result<pdf::LetterDoc> {
        let (_, body) = self.text(creditor)?;
        let lang = self.debtor.lang;
        let listed: Vec<_> = self
            .action
            .items
            .iter()
            .filter_map(|(id, _)| self.debtor.invoices.iter().find(|i| &i.id == id))
            .collect();
        let formal_notice = self.step.channel == Channel::FormalNotice;
        let mut lines = vec![];
        let mut totals: Vec<Money> = vec![];
        if formal_notice {
            for i in &listed {
                match late_charges(
                    &self.settings.terms,
                    self.debtor.business,
                    self.debtor.charges_waived,
                    i.amount,
                    i.remaining,
                    i.due,
                    self.today,
                ) {
                    Ok(Some(c)) => {
                        lines.push((i.number.clone(), c.indemnity, c.interest));
                        add(&mut totals, c.indemnity);
                        add(&mut totals, c.interest);
                    }
                    Ok(None) => {}
                    Err(e) => {
                        tracing::warn!(creditor = %creditor.id, error = %e, "late charges not computed")
                    }
                }
            }
        }
        let mut owed = vec![];
        for i in &listed {
            add(&mut owed, i.remaining);
        }
        Ok(pdf::LetterDoc {
            lang,
            creditor: party_of_creditor(creditor),
            debtor: party_of_debtor(debtor),
            accent: accent_rgb(&creditor.accent_colour),
            formal_notice,
            dated: self.today,
            body,
            invoices: listed
                .iter()
                .map(|i| (i.number.clone(), i.due, i.remaining))
                .collect(),
            total: joined(&owed, lang),
            charges: (!lines.is_empty()).then(|| pdf::LetterCharges {
                lines,
                total: joined(&totals, lang),
            }),
        })
    }
}

fn add(totals: &mut Vec<Money>, m: Money) {
    match totals.iter_mut().find(|t| t.currency == m.currency) {
        Some(t) => t.minor = t.minor.saturating_add(m.minor),
        None => totals.push(m),
    }
}

fn joined(totals: &[Money], lang: Lang) -> String {
    totals
        .iter()
        .map(|m| format_money(*m, lang))
        .collect::<Vec<_>>()
        .join(" + ")
}

/// The PDF of a letter or formal notice and its file name.
pub async fn letter_pdf(
    state: &AppState,
    creditor: &CreditorRow,
    debtor: &DebtorRow,
    p: &Prepared,
) -> Result<(Vec<u8>, String), AppError> {
    let doc = p.doc(creditor, debtor).map_err(internal)?;
    let name = match (doc.formal_notice, doc.lang) {
        (true, Lang::Fr) => "mise-en-demeure",
        (true, Lang::En) => "formal-notice",
        (false, Lang::Fr) => "relance",
        (false, Lang::En) => "reminder",
    };
    let name = format!("{name}-{}.pdf", debtor.reference);
    let fonts = state.fonts.clone();
    let bytes = render(move || pdf::render_letter(&doc, &fonts)).await?;
    Ok((bytes, name))
}

/// A fresh portal link for a confirmed formal notice's mail.
pub fn fresh_link(
    state: &AppState,
    creditor: &CreditorRow,
    debtor_id: &str,
) -> anyhow::Result<(LinkRow, String)> {
    crate::kernel::mail::portal_link(state, creditor, debtor_id)
}

/// The PDF of a reminder's letter or formal notice, by the reminder's id: for the agents'
/// download and, once the outbox knows a letter attachment, for the confirmed notice's mail.
/// `NotFound` for another creditor's reminder, an email or call step, or nothing left owed.
pub async fn reminder_document(
    state: &AppState,
    creditor: &CreditorRow,
    reminder_id: &str,
) -> Result<(Vec<u8>, String), AppError> {
    let task = state
        .storage
        .reminder(&creditor.id, reminder_id)
        .await
        .map_err(internal)?
        .filter(|t| matches!(t.channel, Channel::Letter | Channel::FormalNotice))
        .ok_or(AppError::NotFound)?;
    let debtor = state
        .storage
        .debtor(&creditor.id, &task.debtor_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::NotFound)?;
    let p = prepare(
        state,
        creditor,
        &task.debtor_id,
        &task.step_id,
        task.step_seq,
        &task.items,
    )
    .await
    .map_err(|e| internal(format!("{e:#}")))?
    .ok_or(AppError::NotFound)?;
    letter_pdf(state, creditor, &debtor, &p).await
}
