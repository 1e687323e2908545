//! Reminder scenarios and their settings, what a run reads (each debtor's open invoices, recent
//! reminders, pauses), and what it writes: reminders under a unique key per debtor, step and day,
//! with their mails and links, in one transaction per batch.

use super::debtors::{parse_lang, parse_zone};
use super::events::{NewEvent, append};
use super::invoices::REMAINING;
use super::links::{LinkRow, insert_link};
use super::outbox::{NewMail, enqueue_for};
use super::rows::{Arg, insert_rows, placeholders};
use super::{Result, Storage, StorageError, Tx, corrupt, map_unique, new_id};
use app::domain::calendar::{Country, SendingWindow};
use app::domain::invoice::InvoiceStatus;
use app::domain::late_charges::{ChargeTerms, HalfYearRate, Regime};
use app::domain::locale::Lang;
use app::domain::money::{Currency, Money};
use app::domain::reminder::{Channel, Pacing};
use chrono::NaiveDate;
use sqlx::Row;

/// A creditor's rules for when and how often reminders go, and what late charges it claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderSettings {
    pub window: SendingWindow,
    pub pacing: Pacing,
    /// Days the amicable phase lasts after the first overdue step.
    pub phase_days: i64,
    pub terms: ChargeTerms,
}

impl Default for ReminderSettings {
    fn default() -> Self {
        Self {
            window: SendingWindow::default(),
            pacing: Pacing::default(),
            phase_days: 60,
            terms: ChargeTerms::france_default(),
        }
    }
}

/// A step's texts in one language (minijinja templates).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StepTexts {
    pub subject: String,
    pub body: String,
    /// The wording beside each invoice at this step.
    pub line: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRow {
    pub id: String,
    pub seq: i64,
    pub offset_days: i64,
    pub channel: Channel,
    pub confirm: bool,
    pub fr: StepTexts,
    pub en: StepTexts,
}

impl StepRow {
    pub fn texts(&self, lang: Lang) -> &StepTexts {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ScenarioRow {
    pub id: String,
    pub segment: String,
    pub name: String,
    pub steps: Vec<StepRow>,
}

/// A scenario as an admin saves it: the caller has checked the steps and the templates.
#[derive(Debug, Clone)]
pub struct NewScenario {
    pub segment: String,
    pub name: String,
    /// In order; `id` is kept when the step existed, so reminders keep pointing at it.
    pub steps: Vec<StepRow>,
}

/// One debtor's part of a run: who they are, their open invoices and what they were sent.
#[derive(Debug, Clone)]
pub struct DueDebtor {
    pub id: String,
    pub reference: String,
    pub name: String,
    pub lang: Lang,
    pub timezone: chrono_tz::Tz,
    pub country: Country,
    pub business: bool,
    pub segment: String,
    pub charges_waived: bool,
    pub invoices: Vec<DueInvoice>,
    /// Local days reminders went out (the last 60 days).
    pub sent_on: Vec<NaiveDate>,
    pub waiting_for_person: bool,
    pub promised: bool,
    /// (invoice, or all of them; paused through this day).
    pub pauses: Vec<(Option<String>, NaiveDate)>,
    /// (name, email) of each contact the reminder goes to.
    pub contacts: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct DueInvoice {
    pub id: String,
    pub number: String,
    pub due: NaiveDate,
    pub amount: Money,
    pub remaining: Money,
    pub level: i64,
    pub extension_days: i64,
}

/// What a run decided for one debtor, to be written with its mails.
#[derive(Debug, Clone)]
pub struct NewReminder {
    pub id: String,
    pub creditor_id: String,
    pub debtor_id: String,
    pub step_id: String,
    pub step_seq: i64,
    pub channel: Channel,
    /// A task for a person instead of a mail now.
    pub task: bool,
    pub decided_on: NaiveDate,
    /// (invoice, the step it reaches).
    pub items: Vec<(String, i64)>,
    pub link: Option<LinkRow>,
    pub mails: Vec<NewMail>,
}

impl NewReminder {
    /// One key per debtor, step and day: whoever writes it second writes nothing.
    pub fn run_key(&self) -> String {
        format!("{}:{}:{}", self.debtor_id, self.step_id, self.decided_on)
    }
}

/// A reminder as the timeline and the queue show it.
#[derive(Debug, Clone)]
pub struct ReminderRow {
    pub id: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub step_seq: i64,
    pub channel: Channel,
    pub status: String,
    pub decided_on: NaiveDate,
    pub decided_at: i64,
    pub sent_at: Option<i64>,
    pub link_opened_at: Option<i64>,
    pub invoices: Vec<String>,
}

fn date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(corrupt)
}

fn weekdays_text(w: &[bool; 7]) -> String {
    w.iter().map(|d| if *d { '1' } else { '0' }).collect()
}

impl Storage {
    pub async fn reminder_settings(&self, creditor_id: &str) -> Result<ReminderSettings> {
        let row = sqlx::query(
            "SELECT weekdays, start_minute, end_minute, min_gap_days, weekly_cap, phase_days, charges_regime, margin_bp, reference_rates \
             FROM reminder_settings WHERE creditor_id = $1",
        )
        .bind(creditor_id)
        .fetch_optional(&self.pool)
        .await?;
        let Some(r) = row else {
            return Ok(ReminderSettings::default());
        };
        let days: String = r.try_get("weekdays")?;
        let mut weekdays = [false; 7];
        for (i, c) in days.chars().take(7).enumerate() {
            weekdays[i] = c == '1';
        }
        let minute =
            |c: &str| -> Result<u16> { u16::try_from(r.try_get::<i64, _>(c)?).map_err(corrupt) };
        let window = SendingWindow::new(weekdays, minute("start_minute")?, minute("end_minute")?)
            .map_err(corrupt)?;
        let pacing =
            Pacing::new(r.try_get("min_gap_days")?, r.try_get("weekly_cap")?).map_err(corrupt)?;
        let regime = match r.try_get::<String, _>("charges_regime")?.as_str() {
            "uk" => Regime::UnitedKingdom,
            _ => Regime::France,
        };
        let rates: Vec<HalfYearRate> =
            serde_json::from_str(&r.try_get::<String, _>("reference_rates")?).map_err(corrupt)?;
        Ok(ReminderSettings {
            window,
            pacing,
            phase_days: r.try_get("phase_days")?,
            terms: ChargeTerms {
                regime,
                margin_bp: r.try_get("margin_bp")?,
                rates,
            },
        })
    }

    pub async fn save_reminder_settings(
        &self,
        creditor_id: &str,
        s: &ReminderSettings,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        sqlx::query("DELETE FROM reminder_settings WHERE creditor_id = $1")
            .bind(creditor_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO reminder_settings (creditor_id, weekdays, start_minute, end_minute, min_gap_days, weekly_cap, phase_days, \
             charges_regime, margin_bp, reference_rates, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(creditor_id)
        .bind(weekdays_text(&s.window.weekdays))
        .bind(i64::from(s.window.start_minute))
        .bind(i64::from(s.window.end_minute))
        .bind(s.pacing.min_gap_days)
        .bind(s.pacing.weekly_cap)
        .bind(s.phase_days)
        .bind(match s.terms.regime {
            Regime::France => "france",
            Regime::UnitedKingdom => "uk",
        })
        .bind(s.terms.margin_bp)
        .bind(serde_json::to_string(&s.terms.rates).map_err(corrupt)?)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let e = NewEvent {
            creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "reminder_settings_saved",
            actor,
            detail: serde_json::json!({}),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every scenario of a creditor with its steps, by segment.
    pub async fn scenarios(&self, creditor_id: &str) -> Result<Vec<ScenarioRow>> {
        let heads = sqlx::query(
            "SELECT id, segment, name FROM scenarios WHERE creditor_id = $1 ORDER BY segment",
        )
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        let steps = sqlx::query(
            "SELECT id, scenario_id, position, offset_days, channel, confirm, subject_fr, body_fr, line_fr, subject_en, body_en, line_en \
             FROM scenario_steps WHERE creditor_id = $1 ORDER BY scenario_id, position",
        )
        .bind(creditor_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for h in heads {
            let id: String = h.try_get("id")?;
            let mut list = vec![];
            for r in steps
                .iter()
                .filter(|r| r.try_get::<String, _>("scenario_id").ok().as_deref() == Some(&id))
            {
                let channel: String = r.try_get("channel")?;
                let texts = |l: &str| -> Result<StepTexts> {
                    Ok(StepTexts {
                        subject: r.try_get(format!("subject_{l}").as_str())?,
                        body: r.try_get(format!("body_{l}").as_str())?,
                        line: r.try_get(format!("line_{l}").as_str())?,
                    })
                };
                list.push(StepRow {
                    id: r.try_get("id")?,
                    seq: r.try_get("position")?,
                    offset_days: r.try_get("offset_days")?,
                    channel: Channel::parse(&channel)
                        .ok_or_else(|| corrupt(format!("channel {channel:?}")))?,
                    confirm: r.try_get::<i64, _>("confirm")? == 1,
                    fr: texts("fr")?,
                    en: texts("en")?,
                });
            }
            out.push(ScenarioRow {
                id,
                segment: h.try_get("segment")?,
                name: h.try_get("name")?,
                steps: list,
            });
        }
        Ok(out)
    }

    /// Creates or replaces the scenario of a segment, steps and all, in one transaction:
    /// nothing is half-saved.
    pub async fn save_scenario(
        &self,
        creditor_id: &str,
        s: &NewScenario,
        actor: &str,
        now: i64,
    ) -> Result<String> {
        let mut tx = self.begin().await?;
        let existing =
            sqlx::query("SELECT id FROM scenarios WHERE creditor_id = $1 AND segment = $2")
                .bind(creditor_id)
                .bind(&s.segment)
                .fetch_optional(&mut *tx)
                .await?;
        let id = match existing {
            Some(r) => {
                let id: String = r.try_get("id")?;
                sqlx::query("UPDATE scenarios SET name = $1, updated_at = $2 WHERE id = $3")
                    .bind(&s.name)
                    .bind(now)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM scenario_steps WHERE scenario_id = $1")
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                id
            }
            None => {
                let id = new_id();
                sqlx::query(
                    "INSERT INTO scenarios (id, creditor_id, segment, name, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)",
                )
                .bind(&id)
                .bind(creditor_id)
                .bind(&s.segment)
                .bind(&s.name)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(map_unique)?;
                id
            }
        };
        for (i, st) in s.steps.iter().enumerate() {
            sqlx::query(
                "INSERT INTO scenario_steps (id, scenario_id, creditor_id, position, offset_days, channel, confirm, \
                 subject_fr, body_fr, line_fr, subject_en, body_en, line_en) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(if st.id.is_empty() { new_id() } else { st.id.clone() })
            .bind(&id)
            .bind(creditor_id)
            .bind(i as i64 + 1)
            .bind(st.offset_days)
            .bind(st.channel.as_str())
            .bind(i64::from(st.confirm))
            .bind(&st.fr.subject)
            .bind(&st.fr.body)
            .bind(&st.fr.line)
            .bind(&st.en.subject)
            .bind(&st.en.body)
            .bind(&st.en.line)
            .execute(&mut *tx)
            .await
            .map_err(map_unique)?;
        }
        let e = NewEvent {
            creditor_id,
            debtor_id: None,
            invoice_id: None,
            kind: "scenario_saved",
            actor,
            detail: serde_json::json!({ "scenario": id, "segment": s.segment, "steps": s.steps.len() }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Sets a debtor's segment (which scenario follows them).
    pub async fn set_debtor_segment(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        segment: &str,
        actor: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let n = sqlx::query("UPDATE debtors SET segment = $1 WHERE creditor_id = $2 AND id = $3")
            .bind(segment)
            .bind(creditor_id)
            .bind(debtor_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 1 {
            let e = NewEvent {
                creditor_id,
                debtor_id: Some(debtor_id),
                invoice_id: None,
                kind: "segment_set",
                actor,
                detail: serde_json::json!({ "segment": segment }),
            };
            append(&mut tx, e, now).await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// Up to `limit` debtors after `after` (by id) that have open invoices, with what a run needs
    /// to decide for them. Four queries per page, whatever its size.
    pub async fn due_debtors(
        &self,
        creditor_id: &str,
        after: &str,
        limit: i64,
        since: i64,
    ) -> Result<Vec<DueDebtor>> {
        self.due_debtors_where(creditor_id, after, "", limit, since)
            .await
    }

    /// One debtor as `due_debtors` reads it (for the simulation and the preview).
    pub async fn due_debtor(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        since: i64,
    ) -> Result<Option<DueDebtor>> {
        Ok(self
            .due_debtors_where(creditor_id, "", debtor_id, 1, since)
            .await?
            .pop())
    }

    /// Every creditor's id, for the run.
    pub async fn creditor_ids(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT id FROM creditors ORDER BY id")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok(r.try_get("id")?)).collect()
    }

    async fn due_debtors_where(
        &self,
        creditor_id: &str,
        after: &str,
        only: &str,
        limit: i64,
        since: i64,
    ) -> Result<Vec<DueDebtor>> {
        let rows = sqlx::query(
            "SELECT d.id, d.reference, d.name, d.locale, d.timezone, d.country, d.kind, d.segment, d.charges_waived FROM debtors d \
             WHERE d.creditor_id = $1 AND d.id > $2 AND ($3 = '' OR d.id = $3) AND EXISTS (SELECT 1 FROM invoices i WHERE i.creditor_id = d.creditor_id \
               AND i.debtor_id = d.id AND i.kind = 'invoice' AND i.status = 'open') ORDER BY d.id LIMIT $4",
        )
        .bind(creditor_id)
        .bind(after)
        .bind(only)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut debtors = Vec::with_capacity(rows.len());
        for r in &rows {
            let country: String = r.try_get("country")?;
            debtors.push(DueDebtor {
                id: r.try_get("id")?,
                reference: r.try_get("reference")?,
                name: r.try_get("name")?,
                lang: parse_lang(&r.try_get::<String, _>("locale")?)?,
                timezone: parse_zone(&r.try_get::<String, _>("timezone")?)?,
                country: Country::parse(&country).unwrap_or(Country::Fr),
                business: r.try_get::<String, _>("kind")? != "consumer",
                segment: r.try_get("segment")?,
                charges_waived: r.try_get::<i64, _>("charges_waived")? == 1,
                invoices: vec![],
                sent_on: vec![],
                waiting_for_person: false,
                promised: false,
                pauses: vec![],
                contacts: vec![],
            });
        }
        let (Some(first), Some(last)) = (debtors.first(), debtors.last()) else {
            return Ok(debtors);
        };
        let (first, last) = (first.id.clone(), last.id.clone());
        let index: std::collections::HashMap<String, usize> = debtors
            .iter()
            .enumerate()
            .map(|(i, d)| (d.id.clone(), i))
            .collect();
        let invoices = sqlx::query(&format!(
            "SELECT i.id, i.debtor_id, i.number, i.due_date, i.currency, i.amount_minor, i.reminder_seq, i.phase_extension_days, \
             {REMAINING} AS remaining_minor FROM invoices i WHERE i.creditor_id = $1 AND i.debtor_id >= $2 AND i.debtor_id <= $3 \
             AND i.kind = 'invoice' AND i.status = '{}' ORDER BY i.debtor_id, i.due_date, i.number",
            InvoiceStatus::Open.as_str()
        ))
        .bind(creditor_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(&self.pool)
        .await?;
        for r in &invoices {
            let debtor: String = r.try_get("debtor_id")?;
            let Some(&at) = index.get(&debtor) else {
                continue;
            };
            let currency =
                Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
            debtors[at].invoices.push(DueInvoice {
                id: r.try_get("id")?,
                number: r.try_get("number")?,
                due: date(&r.try_get::<String, _>("due_date")?)?,
                amount: Money::new(r.try_get("amount_minor")?, currency),
                remaining: Money::new(r.try_get("remaining_minor")?, currency),
                level: r.try_get("reminder_seq")?,
                extension_days: r.try_get("phase_extension_days")?,
            });
        }
        let recent = sqlx::query(
            "SELECT debtor_id, decided_on, status FROM reminders WHERE creditor_id = $1 AND debtor_id >= $2 AND debtor_id <= $3 \
             AND (decided_at >= $4 OR status = 'task')",
        )
        .bind(creditor_id)
        .bind(&first)
        .bind(&last)
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        for r in &recent {
            let Some(&at) = index.get(&r.try_get::<String, _>("debtor_id")?) else {
                continue;
            };
            let status: String = r.try_get("status")?;
            if status == "task" {
                debtors[at].waiting_for_person = true;
            }
            if status != "skipped" {
                debtors[at]
                    .sent_on
                    .push(date(&r.try_get::<String, _>("decided_on")?)?);
            }
        }
        let promised = sqlx::query(
            "SELECT debtor_id FROM promises WHERE creditor_id = $1 AND debtor_id >= $2 AND debtor_id <= $3 AND status = 'open'",
        )
        .bind(creditor_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(&self.pool)
        .await?;
        for r in &promised {
            if let Some(&at) = index.get(&r.try_get::<String, _>("debtor_id")?) {
                debtors[at].promised = true;
            }
        }
        let pauses = sqlx::query(
            "SELECT debtor_id, invoice_id, until_date FROM reminder_pauses WHERE creditor_id = $1 AND debtor_id >= $2 \
             AND debtor_id <= $3 AND ended_at IS NULL",
        )
        .bind(creditor_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(&self.pool)
        .await?;
        for r in &pauses {
            if let Some(&at) = index.get(&r.try_get::<String, _>("debtor_id")?) {
                let until = date(&r.try_get::<String, _>("until_date")?)?;
                debtors[at].pauses.push((r.try_get("invoice_id")?, until));
            }
        }
        let contacts = sqlx::query(
            // A bouncing address is not mailed until an agent corrects it (see `contacts`).
            "SELECT debtor_id, name, email FROM debtor_contacts WHERE creditor_id = $1 AND debtor_id >= $2 AND debtor_id <= $3 \
             AND bouncing_since IS NULL ORDER BY debtor_id, email",
        )
        .bind(creditor_id)
        .bind(&first)
        .bind(&last)
        .fetch_all(&self.pool)
        .await?;
        for r in &contacts {
            if let Some(&at) = index.get(&r.try_get::<String, _>("debtor_id")?) {
                debtors[at]
                    .contacts
                    .push((r.try_get("name")?, r.try_get("email")?));
            }
        }
        Ok(debtors)
    }

    /// Writes what a run decided, in one transaction: for each reminder whose key is new, the
    /// reminder, its invoices' levels (only those still open and below it), its link, its mails
    /// and its event. Says which were new; the others were written before (a second run,
    /// or another instance, got there first) and add nothing.
    pub async fn record_reminders(&self, batch: &[NewReminder], now: i64) -> Result<Vec<bool>> {
        let mut tx = self.begin().await?;
        let new = record_many(&mut tx, batch, now).await?;
        tx.commit().await?;
        Ok(new)
    }

    /// The creditor's reminder tasks waiting for a person, oldest first.
    pub async fn reminder_tasks(&self, creditor_id: &str) -> Result<Vec<ReminderRow>> {
        self.reminder_rows(creditor_id, None, "r.status = 'task'")
            .await
    }

    /// A debtor's reminders, newest first, with when each was sent and its link opened.
    pub async fn reminders_of(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<Vec<ReminderRow>> {
        self.reminder_rows(creditor_id, Some(debtor_id), "1 = 1")
            .await
    }

    async fn reminder_rows(
        &self,
        creditor_id: &str,
        debtor_id: Option<&str>,
        filter: &'static str,
    ) -> Result<Vec<ReminderRow>> {
        let order = if debtor_id.is_some() { "DESC" } else { "ASC" };
        let rows = sqlx::query(&format!(
            "SELECT r.id, r.debtor_id, d.name, r.step_seq, r.channel, r.status, r.decided_on, r.decided_at, r.sent_at, \
             (SELECT l.first_opened_at FROM links l WHERE l.id = r.link_id) AS opened_at \
             FROM reminders r JOIN debtors d ON d.id = r.debtor_id AND d.creditor_id = r.creditor_id \
             WHERE r.creditor_id = $1 AND ($2 = '' OR r.debtor_id = $2) AND {filter} ORDER BY r.decided_at {order}, r.id {order} LIMIT 500"
        ))
        .bind(creditor_id)
        .bind(debtor_id.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let id: String = r.try_get("id")?;
            let numbers = sqlx::query(
                "SELECT i.number FROM reminder_items x JOIN invoices i ON i.id = x.invoice_id WHERE x.reminder_id = $1 ORDER BY i.number",
            )
            .bind(&id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|n| n.try_get("number"))
            .collect::<std::result::Result<Vec<String>, _>>()?;
            let channel: String = r.try_get("channel")?;
            out.push(ReminderRow {
                id,
                debtor_id: r.try_get("debtor_id")?,
                debtor_name: r.try_get("name")?,
                step_seq: r.try_get("step_seq")?,
                channel: Channel::parse(&channel)
                    .ok_or_else(|| corrupt(format!("channel {channel:?}")))?,
                status: r.try_get("status")?,
                decided_on: date(&r.try_get::<String, _>("decided_on")?)?,
                decided_at: r.try_get("decided_at")?,
                sent_at: r.try_get("sent_at")?,
                link_opened_at: r.try_get("opened_at")?,
                invoices: numbers,
            });
        }
        Ok(out)
    }

    /// An agent did (or skipped) a reminder task: the scenario goes on. `mails` go out when a
    /// confirmed formal notice is done. `Stale` if it was handled already.
    #[allow(clippy::too_many_arguments)]
    pub async fn finish_reminder_task(
        &self,
        creditor_id: &str,
        reminder_id: &str,
        done: bool,
        agent_id: &str,
        link: Option<&LinkRow>,
        mails: &[NewMail],
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "UPDATE reminders SET status = $1, handled_by = $2, handled_at = $3 WHERE id = $4 AND creditor_id = $5 AND status = 'task' \
             RETURNING debtor_id",
        )
        .bind(if done { "done" } else { "skipped" })
        .bind(agent_id)
        .bind(now)
        .bind(reminder_id)
        .bind(creditor_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StorageError::Stale("the task was handled already".into()));
        };
        let debtor_id: String = row.try_get("debtor_id")?;
        if let Some(l) = link.filter(|_| done) {
            insert_link(&mut tx, l, agent_id, "reminder").await?;
            sqlx::query("UPDATE reminders SET link_id = $1 WHERE id = $2")
                .bind(&l.id)
                .bind(reminder_id)
                .execute(&mut *tx)
                .await?;
        }
        for m in mails.iter().filter(|_| done) {
            enqueue_for(&mut tx, m, now, Some(reminder_id)).await?;
        }
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(&debtor_id),
            invoice_id: None,
            kind: if done {
                "reminder_task_done"
            } else {
                "reminder_task_skipped"
            },
            actor: agent_id,
            detail: serde_json::json!({ "reminder": reminder_id }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// An agent pauses reminders for a debtor, or one of its invoices, through `until`.
    #[allow(clippy::too_many_arguments)]
    pub async fn pause_reminders(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        invoice_id: Option<&str>,
        reason: &str,
        until: NaiveDate,
        agent_id: &str,
        now: i64,
    ) -> Result<String> {
        let mut tx = self.begin().await?;
        if let Some(i) = invoice_id {
            let ours = sqlx::query("SELECT 1 AS one FROM invoices WHERE id = $1 AND creditor_id = $2 AND debtor_id = $3")
                .bind(i)
                .bind(creditor_id)
                .bind(debtor_id)
                .fetch_optional(&mut *tx)
                .await?;
            if ours.is_none() {
                return Err(StorageError::Stale(
                    "no such invoice for this debtor".into(),
                ));
            }
        }
        let id = new_id();
        sqlx::query(
            "INSERT INTO reminder_pauses (id, creditor_id, debtor_id, invoice_id, reason, until_date, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&id)
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(invoice_id)
        .bind(reason)
        .bind(until.to_string())
        .bind(agent_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(debtor_id),
            invoice_id,
            kind: "reminders_paused",
            actor: agent_id,
            detail: serde_json::json!({ "pause": id, "reason": reason, "until": until.to_string() }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Ends a pause before its date; `false` if it had ended already.
    pub async fn resume_reminders(
        &self,
        creditor_id: &str,
        pause_id: &str,
        agent_id: &str,
        now: i64,
    ) -> Result<bool> {
        let mut tx = self.begin().await?;
        let row = sqlx::query(
            "UPDATE reminder_pauses SET ended_at = $1, ended_by = $2 WHERE id = $3 AND creditor_id = $4 AND ended_at IS NULL \
             RETURNING debtor_id, invoice_id",
        )
        .bind(now)
        .bind(agent_id)
        .bind(pause_id)
        .bind(creditor_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else { return Ok(false) };
        let debtor_id: String = row.try_get("debtor_id")?;
        let invoice_id: Option<String> = row.try_get("invoice_id")?;
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(&debtor_id),
            invoice_id: invoice_id.as_deref(),
            kind: "reminders_resumed",
            actor: agent_id,
            detail: serde_json::json!({ "pause": pause_id }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}

/// Writes a batch of reminders, each once: a reminder whose key (debtor, step, day) exists
/// already, written by an earlier run or another instance, is skipped with everything it
/// carries (`false` in its place). For the new ones: their invoices, each invoice's climb,
/// their links and mails, and the events, in a few multi-row statements.
async fn record_many(tx: &mut Tx<'_>, batch: &[NewReminder], now: i64) -> Result<Vec<bool>> {
    let rows = batch
        .iter()
        .map(|r| {
            vec![
                Arg::from(r.id.as_str()),
                r.creditor_id.as_str().into(),
                r.debtor_id.as_str().into(),
                r.run_key().into(),
                r.step_id.as_str().into(),
                r.step_seq.into(),
                r.channel.as_str().into(),
                (if r.task { "task" } else { "queued" }).into(),
                r.decided_on.to_string().into(),
                now.into(),
                r.link.as_ref().map(|l| l.id.clone()).into(),
            ]
        })
        .collect();
    let inserted: std::collections::HashSet<String> = insert_rows(
        tx,
        "INSERT INTO reminders (id, creditor_id, debtor_id, run_key, step_id, step_seq, channel, status, decided_on, decided_at, link_id)",
        11,
        rows,
        "ON CONFLICT (run_key) DO NOTHING RETURNING id",
    )
    .await?
    .iter()
    .map(|r| r.try_get("id"))
    .collect::<std::result::Result<_, _>>()?;
    let new: Vec<&NewReminder> = batch.iter().filter(|r| inserted.contains(&r.id)).collect();
    if new.is_empty() {
        return Ok(vec![false; batch.len()]);
    }

    let items = new
        .iter()
        .flat_map(|r| {
            r.items.iter().map(|(invoice, seq)| {
                vec![
                    Arg::from(r.id.as_str()),
                    invoice.as_str().into(),
                    (*seq).into(),
                ]
            })
        })
        .collect();
    insert_rows(
        tx,
        "INSERT INTO reminder_items (reminder_id, invoice_id, step_seq)",
        3,
        items,
        "",
    )
    .await?;
    climb(tx, &new).await?;

    let links: Vec<&LinkRow> = new.iter().filter_map(|r| r.link.as_ref()).collect();
    let link_rows = links
        .iter()
        .map(|l| {
            vec![
                Arg::from(l.id.as_str()),
                l.creditor_id.as_str().into(),
                l.debtor_id.as_str().into(),
                l.key_id.as_str().into(),
                l.created_at.into(),
                l.expires_at.into(),
                0i64.into(),
            ]
        })
        .collect();
    insert_rows(
        tx,
        "INSERT INTO links (id, creditor_id, debtor_id, key_id, created_at, expires_at, open_count)",
        7,
        link_rows,
        "",
    )
    .await?;
    let mails = new
        .iter()
        .flat_map(|r| r.mails.iter().map(move |m| outbox_row(m, now, &r.id)))
        .collect();
    insert_rows(
        tx,
        "INSERT INTO outbox (id, creditor_id, to_address, to_name, subject, text_body, html_body, created_at, lease_until, \
         attempts, attachment_kind, attachment_ref, reminder_id)",
        13,
        mails,
        "",
    )
    .await?;

    let mut events = vec![];
    for l in &links {
        let detail =
            serde_json::json!({ "link": l.id, "expires_at": l.expires_at, "reason": "reminder" });
        events.push(event_row(
            &l.creditor_id,
            &l.debtor_id,
            "link_minted",
            l.created_at,
            detail,
        ));
    }
    for r in &new {
        let detail = serde_json::json!({
            "reminder": r.id, "step": r.step_seq, "channel": r.channel.as_str(),
            "invoices": r.items.iter().map(|(i, _)| i.as_str()).collect::<Vec<_>>(),
        });
        let kind = if r.task {
            "reminder_task"
        } else {
            "reminder_queued"
        };
        events.push(event_row(&r.creditor_id, &r.debtor_id, kind, now, detail));
    }
    insert_rows(
        tx,
        "INSERT INTO events (id, creditor_id, debtor_id, invoice_id, kind, actor, at, detail)",
        8,
        events,
        "",
    )
    .await?;
    Ok(batch.iter().map(|r| inserted.contains(&r.id)).collect())
}

/// Each reminded invoice reaches its step. Only an invoice still open climbs, never down; one
/// paid or contested meanwhile keeps its state. One statement per step reached, each row
/// matched on the invoice and its debtor within the creditor.
async fn climb(tx: &mut Tx<'_>, new: &[&NewReminder]) -> Result<()> {
    let mut by_seq: std::collections::BTreeMap<(&str, i64), Vec<(&str, &str)>> = Default::default();
    for r in new {
        for (invoice, seq) in &r.items {
            by_seq
                .entry((r.creditor_id.as_str(), *seq))
                .or_default()
                .push((invoice.as_str(), r.debtor_id.as_str()));
        }
    }
    for ((creditor_id, seq), pairs) in by_seq {
        // Two parameters a pair, kept under `rows::MAX_PARAMS` (binding is quadratic on SQLite).
        for chunk in pairs.chunks(super::rows::MAX_PARAMS / 2 - 2) {
            let sql = format!(
                "UPDATE invoices SET reminder_seq = $1 WHERE creditor_id = $2 AND status = '{}' AND reminder_seq < $3 \
                 AND (id, debtor_id) IN (VALUES {})",
                InvoiceStatus::Open.as_str(),
                placeholders(4, chunk.len(), 2)
            );
            let mut q = sqlx::query(&sql).bind(seq).bind(creditor_id).bind(seq);
            for (invoice, debtor) in chunk {
                q = q.bind(*invoice).bind(*debtor);
            }
            q.execute(&mut **tx).await?;
        }
    }
    Ok(())
}

fn outbox_row(m: &NewMail, now: i64, reminder_id: &str) -> Vec<Arg> {
    vec![
        new_id().into(),
        m.creditor_id.clone().into(),
        m.to_address.as_str().into(),
        m.to_name.as_str().into(),
        m.subject.as_str().into(),
        m.text_body.as_str().into(),
        m.html_body.as_str().into(),
        now.into(),
        0i64.into(),
        0i64.into(),
        m.attachment
            .as_ref()
            .map(|(k, _)| k.as_str().to_string())
            .into(),
        m.attachment.as_ref().map(|(_, r)| r.clone()).into(),
        reminder_id.into(),
    ]
}

fn event_row(
    creditor_id: &str,
    debtor_id: &str,
    kind: &str,
    at: i64,
    detail: serde_json::Value,
) -> Vec<Arg> {
    vec![
        new_id().into(),
        creditor_id.into(),
        debtor_id.into(),
        Arg::MaybeText(None),
        kind.into(),
        "system".into(),
        at.into(),
        detail.to_string().into(),
    ]
}

/// How the reminders treat a debtor: which scenario, whether late charges may be claimed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReminderProfile {
    pub segment: String,
    /// A business (late charges may be claimed) or a consumer (never).
    pub business: bool,
    pub charges_waived: bool,
}

/// A pause an agent set and nobody ended yet.
#[derive(Debug, Clone)]
pub struct PauseRow {
    pub id: String,
    /// `None`: every invoice of the debtor.
    pub invoice_number: Option<String>,
    pub reason: String,
    pub until: NaiveDate,
    pub created_by: String,
    pub created_at: i64,
}

/// One reminder with what an agent needs to act on it.
#[derive(Debug, Clone)]
pub struct TaskRow {
    pub id: String,
    pub debtor_id: String,
    pub step_id: String,
    pub step_seq: i64,
    pub channel: Channel,
    pub status: String,
    pub decided_on: NaiveDate,
    /// (invoice id, the step it reaches).
    pub items: Vec<(String, i64)>,
}

/// An open invoice old enough for its amicable phase to be over (the caller asks the domain).
#[derive(Debug, Clone)]
pub struct PhaseCandidate {
    pub invoice_id: String,
    pub number: String,
    pub debtor_id: String,
    pub debtor_name: String,
    pub debtor_reference: String,
    pub segment: String,
    pub due: NaiveDate,
    pub remaining: Money,
    pub level: i64,
    pub extension_days: i64,
}

impl Storage {
    /// The debtor's invoices a formal notice was decided for (queued, handed to SMTP, or
    /// confirmed by an agent): the statement shows their late charges.
    pub async fn formal_notice_invoices(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<std::collections::HashSet<String>> {
        let rows = sqlx::query(
            "SELECT DISTINCT i.invoice_id FROM reminders r JOIN reminder_items i ON i.reminder_id = r.id \
             WHERE r.creditor_id = $1 AND r.debtor_id = $2 AND r.channel = 'formal_notice' \
             AND r.status IN ('queued', 'sent', 'done')",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| Ok(r.try_get("invoice_id")?)).collect()
    }

    pub async fn reminder_profile(
        &self,
        creditor_id: &str,
        debtor_id: &str,
    ) -> Result<Option<ReminderProfile>> {
        let row = sqlx::query(
            "SELECT segment, kind, charges_waived FROM debtors WHERE creditor_id = $1 AND id = $2",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(ReminderProfile {
                segment: r.try_get("segment")?,
                business: r.try_get::<String, _>("kind")? != "consumer",
                charges_waived: r.try_get::<i64, _>("charges_waived")? == 1,
            })
        })
        .transpose()
    }

    /// Sets a debtor's segment, kind and waiver in one change, logged; `false` for a debtor
    /// of another creditor (or none).
    #[allow(clippy::too_many_arguments)]
    pub async fn set_reminder_profile(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        segment: &str,
        business: bool,
        charges_waived: bool,
        actor: &str,
        now: i64,
    ) -> Result<bool> {
        let p = ReminderProfile {
            segment: segment.to_string(),
            business,
            charges_waived,
        };
        let mut tx = self.begin().await?;
        let n = sqlx::query(
            "UPDATE debtors SET segment = $1, kind = $2, charges_waived = $3 WHERE creditor_id = $4 AND id = $5",
        )
        .bind(&p.segment)
        .bind(if p.business { "business" } else { "consumer" })
        .bind(i64::from(p.charges_waived))
        .bind(creditor_id)
        .bind(debtor_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n == 1 {
            let e = NewEvent {
                creditor_id,
                debtor_id: Some(debtor_id),
                invoice_id: None,
                kind: "reminder_profile_set",
                actor,
                detail: serde_json::json!({
                    "segment": p.segment,
                    "debtor_kind": if p.business { "business" } else { "consumer" },
                    "charges_waived": p.charges_waived,
                }),
            };
            append(&mut tx, e, now).await?;
        }
        tx.commit().await?;
        Ok(n == 1)
    }

    /// The debtor's pauses still in force on `today` (not ended, not past their date).
    pub async fn pauses_of(
        &self,
        creditor_id: &str,
        debtor_id: &str,
        today: NaiveDate,
    ) -> Result<Vec<PauseRow>> {
        let rows = sqlx::query(
            "SELECT p.id, i.number, p.reason, p.until_date, p.created_by, p.created_at FROM reminder_pauses p \
             LEFT JOIN invoices i ON i.id = p.invoice_id WHERE p.creditor_id = $1 AND p.debtor_id = $2 \
             AND p.ended_at IS NULL AND p.until_date >= $3 ORDER BY p.created_at, p.id",
        )
        .bind(creditor_id)
        .bind(debtor_id)
        .bind(today.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PauseRow {
                    id: r.try_get("id")?,
                    invoice_number: r.try_get("number")?,
                    reason: r.try_get("reason")?,
                    until: date(&r.try_get::<String, _>("until_date")?)?,
                    created_by: r.try_get("created_by")?,
                    created_at: r.try_get("created_at")?,
                })
            })
            .collect()
    }

    /// The debtor a pause belongs to (for the page to go back to).
    pub async fn pause_debtor(&self, creditor_id: &str, pause_id: &str) -> Result<Option<String>> {
        let row =
            sqlx::query("SELECT debtor_id FROM reminder_pauses WHERE creditor_id = $1 AND id = $2")
                .bind(creditor_id)
                .bind(pause_id)
                .fetch_optional(&self.pool)
                .await?;
        row.map(|r| Ok(r.try_get("debtor_id")?)).transpose()
    }

    /// One reminder of the creditor, with its invoices.
    pub async fn reminder(&self, creditor_id: &str, id: &str) -> Result<Option<TaskRow>> {
        let Some(r) = sqlx::query(
            "SELECT id, debtor_id, step_id, step_seq, channel, status, decided_on FROM reminders WHERE creditor_id = $1 AND id = $2",
        )
        .bind(creditor_id)
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let items = sqlx::query(
            "SELECT invoice_id, step_seq FROM reminder_items WHERE reminder_id = $1 ORDER BY invoice_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|x| Ok((x.try_get("invoice_id")?, x.try_get("step_seq")?)))
        .collect::<Result<Vec<_>>>()?;
        let channel: String = r.try_get("channel")?;
        Ok(Some(TaskRow {
            id: r.try_get("id")?,
            debtor_id: r.try_get("debtor_id")?,
            step_id: r.try_get("step_id")?,
            step_seq: r.try_get("step_seq")?,
            channel: Channel::parse(&channel)
                .ok_or_else(|| corrupt(format!("channel {channel:?}")))?,
            status: r.try_get("status")?,
            decided_on: date(&r.try_get::<String, _>("decided_on")?)?,
            items,
        }))
    }

    /// Open invoices due before `due_before` with something left: those whose amicable phase
    /// may be over (at most 500, oldest first).
    pub async fn phase_candidates(
        &self,
        creditor_id: &str,
        due_before: NaiveDate,
    ) -> Result<Vec<PhaseCandidate>> {
        let rows = sqlx::query(&format!(
            "SELECT i.id, i.number, i.debtor_id, d.name, d.reference, d.segment, i.due_date, i.currency, i.reminder_seq, \
             i.phase_extension_days, {REMAINING} AS remaining_minor FROM invoices i JOIN debtors d ON d.id = i.debtor_id \
             AND d.creditor_id = i.creditor_id WHERE i.creditor_id = $1 AND i.kind = 'invoice' AND i.status = '{}' \
             AND i.due_date < $2 ORDER BY i.due_date, i.number LIMIT 500",
            InvoiceStatus::Open.as_str()
        ))
        .bind(creditor_id)
        .bind(due_before.to_string())
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let currency =
                Currency::parse(&r.try_get::<String, _>("currency")?).map_err(corrupt)?;
            let remaining: i64 = r.try_get("remaining_minor")?;
            if remaining <= 0 {
                continue;
            }
            out.push(PhaseCandidate {
                invoice_id: r.try_get("id")?,
                number: r.try_get("number")?,
                debtor_id: r.try_get("debtor_id")?,
                debtor_name: r.try_get("name")?,
                debtor_reference: r.try_get("reference")?,
                segment: r.try_get("segment")?,
                due: date(&r.try_get::<String, _>("due_date")?)?,
                remaining: Money::new(remaining, currency),
                level: r.try_get("reminder_seq")?,
                extension_days: r.try_get("phase_extension_days")?,
            });
        }
        Ok(out)
    }

    /// Ends an invoice's amicable phase without payment: closed otherwise (through the
    /// transition table), with the outcome and the reason in the timeline. `Stale` if it is no
    /// longer open (paid, contested, closed meanwhile); `Ok(None)` for no such invoice.
    pub async fn close_invoice(
        &self,
        creditor_id: &str,
        invoice_id: &str,
        outcome: &str,
        reason: &str,
        agent_id: &str,
        now: i64,
    ) -> Result<Option<String>> {
        let mut tx = self.begin().await?;
        let Some(r) =
            sqlx::query("SELECT debtor_id FROM invoices WHERE id = $1 AND creditor_id = $2 AND kind = 'invoice'")
                .bind(invoice_id)
                .bind(creditor_id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(None);
        };
        let debtor_id: String = r.try_get("debtor_id")?;
        if !super::invoices::move_invoice(
            &mut tx,
            app::domain::invoice::Move::Close,
            invoice_id,
            creditor_id,
            &debtor_id,
        )
        .await?
        {
            return Err(StorageError::Stale("the invoice is no longer open".into()));
        }
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(&debtor_id),
            invoice_id: Some(invoice_id),
            kind: "invoice_closed",
            actor: agent_id,
            detail: serde_json::json!({ "outcome": outcome, "reason": reason }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(Some(debtor_id))
    }

    /// Extends an open invoice's amicable phase by `days`, once. `Stale` if it was extended
    /// already or is no longer open; `Ok(None)` for no such invoice.
    pub async fn extend_phase(
        &self,
        creditor_id: &str,
        invoice_id: &str,
        days: i64,
        agent_id: &str,
        now: i64,
    ) -> Result<Option<String>> {
        let mut tx = self.begin().await?;
        let Some(r) =
            sqlx::query("SELECT debtor_id FROM invoices WHERE id = $1 AND creditor_id = $2 AND kind = 'invoice'")
                .bind(invoice_id)
                .bind(creditor_id)
                .fetch_optional(&mut *tx)
                .await?
        else {
            return Ok(None);
        };
        let debtor_id: String = r.try_get("debtor_id")?;
        let n = sqlx::query(&format!(
            "UPDATE invoices SET phase_extension_days = $1 WHERE id = $2 AND creditor_id = $3 AND status = '{}' AND phase_extension_days = 0",
            InvoiceStatus::Open.as_str()
        ))
        .bind(days)
        .bind(invoice_id)
        .bind(creditor_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if n != 1 {
            return Err(StorageError::Stale(
                "the phase was extended already, or the invoice is no longer open".into(),
            ));
        }
        let e = NewEvent {
            creditor_id,
            debtor_id: Some(&debtor_id),
            invoice_id: Some(invoice_id),
            kind: "phase_extended",
            actor: agent_id,
            detail: serde_json::json!({ "days": days }),
        };
        append(&mut tx, e, now).await?;
        tx.commit().await?;
        Ok(Some(debtor_id))
    }
}
