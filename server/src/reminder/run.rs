//! The reminder run: for every creditor and every debtor with open invoices, what the domain's
//! `decide` says today, written with its mail in one transaction per batch under a unique key
//! per debtor, step and day. Safe to repeat and to run on several instances at once.

use super::compose::{self, Composed};
use super::defaults::{DEFAULT_SEGMENT, default_scenario};
use crate::kernel::AppState;
use crate::kernel::clock::wall_clock;
use crate::storage::{
    CreditorRow, DueDebtor, NewReminder, ReminderSettings, ScenarioRow, StepRow, new_id,
};
use app::domain::invoice::InvoiceStatus;
use app::domain::reminder::{Action, Decision, History, Item, Scenario, decide, simulate};
use chrono::NaiveDate;

/// Debtors read per page, and reminders written per transaction.
const PAGE: i64 = 500;
/// Reminders older than this no longer count for the gap and the weekly cap.
const HISTORY_DAYS: i64 = 60;

/// What one run did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Report {
    /// Debtors with open invoices looked at.
    pub debtors: usize,
    /// Reminder emails queued (one per debtor, to each of its contacts).
    pub emails: usize,
    /// Steps put in the agents' queue (calls, letters, notices to confirm).
    pub tasks: usize,
    /// Decided by an earlier run or another instance today: nothing added.
    pub already: usize,
    /// A step is due but waits: the gap, the weekly cap, a person, a promise.
    pub waiting: usize,
    /// A step is due but it is outside the debtor's business days and hours.
    pub outside_hours: usize,
    /// An email step is due but every address of the debtor bounces (or it has none): it
    /// waits, undecided, until an agent corrects one (the queue lists bouncing addresses).
    pub no_address: usize,
}

/// A creditor's scenarios, each checked, by segment; the default scenario when it has none.
pub struct Scenarios {
    pub by_segment: Vec<(String, Scenario, Vec<StepRow>)>,
}

impl Scenarios {
    pub fn load(rows: Vec<ScenarioRow>, phase_days: i64) -> Self {
        let mut by_segment = vec![];
        for r in rows {
            match checked(&r.steps, phase_days) {
                Ok(s) => by_segment.push((r.segment, s, r.steps)),
                Err(e) => {
                    tracing::error!(scenario = %r.id, error = %e, "a stored scenario is not valid; its debtors are not reminded")
                }
            }
        }
        if !by_segment.iter().any(|(s, _, _)| s == DEFAULT_SEGMENT) {
            let mut steps = default_scenario().steps;
            for (i, s) in steps.iter_mut().enumerate() {
                s.seq = i as i64 + 1;
                // Stable ids: the run key of a reminder names its step.
                s.id = format!("default-{}", s.seq);
            }
            if let Ok(s) = checked(&steps, phase_days) {
                by_segment.push((DEFAULT_SEGMENT.into(), s, steps));
            }
        }
        Self { by_segment }
    }

    /// The segment's scenario, or the standard one for a segment without its own.
    pub fn for_segment(&self, segment: &str) -> Option<(&Scenario, &[StepRow])> {
        self.by_segment
            .iter()
            .find(|(s, _, _)| s == segment)
            .or_else(|| {
                self.by_segment
                    .iter()
                    .find(|(s, _, _)| s == DEFAULT_SEGMENT)
            })
            .map(|(_, s, steps)| (s, steps.as_slice()))
    }
}

pub fn checked(
    steps: &[StepRow],
    phase_days: i64,
) -> Result<Scenario, app::domain::reminder::ScenarioError> {
    let rules: Vec<_> = steps
        .iter()
        .map(|s| (s.offset_days, s.channel, s.confirm))
        .collect();
    Scenario::new(&rules, phase_days)
}

/// The planner's view of a debtor on `today`.
pub fn items_and_history(d: &DueDebtor, today: NaiveDate) -> (Vec<Item>, History) {
    let paused_all = d
        .pauses
        .iter()
        .any(|(i, until)| i.is_none() && *until >= today);
    let items = d
        .invoices
        .iter()
        .map(|i| Item {
            id: i.id.clone(),
            due: i.due,
            status: InvoiceStatus::Open,
            remaining_minor: i.remaining.minor,
            level: i.level,
            paused: paused_all
                || d.pauses
                    .iter()
                    .any(|(p, until)| p.as_deref() == Some(i.id.as_str()) && *until >= today),
            extension_days: i.extension_days,
        })
        .collect();
    let history = History {
        sent_on: d.sent_on.clone(),
        waiting_for_person: d.waiting_for_person,
        promised: d.promised,
    };
    (items, history)
}

/// Runs once over every creditor. `dry_run`: decides and reports, writes nothing, and ignores
/// the hours (to show what is due).
pub async fn run(state: &AppState, dry_run: bool) -> anyhow::Result<Report> {
    let mut report = Report::default();
    for creditor_id in state.storage.creditor_ids().await? {
        let Some(creditor) = state.storage.creditor(&creditor_id).await? else {
            continue;
        };
        run_creditor(state, &creditor, dry_run, &mut report).await?;
    }
    if report.emails > 0 {
        state.mail_queued();
    }
    Ok(report)
}

async fn run_creditor(
    state: &AppState,
    creditor: &CreditorRow,
    dry_run: bool,
    report: &mut Report,
) -> anyhow::Result<()> {
    let settings = state.storage.reminder_settings(&creditor.id).await?;
    let scenarios = Scenarios::load(
        state.storage.scenarios(&creditor.id).await?,
        settings.phase_days,
    );
    let now = state.clock.now();
    let since = now.timestamp() - HISTORY_DAYS * 86_400;
    let mut after = String::new();
    loop {
        let page = state
            .storage
            .due_debtors(&creditor.id, &after, PAGE, since)
            .await?;
        let Some(last) = page.last() else { break };
        after = last.id.clone();
        let mut batch = vec![];
        for d in &page {
            report.debtors += 1;
            let Some((scenario, steps)) = scenarios.for_segment(&d.segment) else {
                continue;
            };
            let today = state.today_in(d.timezone);
            let (items, history) = items_and_history(d, today);
            let action = match decide(scenario, settings.pacing, &items, &history, today) {
                Decision::Nothing => continue,
                Decision::Wait { .. } | Decision::Held(_) => {
                    report.waiting += 1;
                    continue;
                }
                Decision::Act(a) => a,
            };
            if !dry_run
                && !settings
                    .window
                    .allows(d.country, wall_clock(d.timezone, now.timestamp()))
            {
                report.outside_hours += 1;
                continue;
            }
            let Some(step) = steps.iter().find(|s| s.seq == action.step.seq) else {
                continue;
            };
            let task = action.step.needs_person();
            if !task && d.contacts.is_empty() {
                report.no_address += 1;
                continue;
            }
            if dry_run {
                if task {
                    report.tasks += 1;
                } else {
                    report.emails += 1;
                }
                continue;
            }
            batch.push(reminder(
                state, creditor, &settings, d, steps, step, &action, today, task,
            )?);
        }
        if !batch.is_empty() {
            let new = state.storage.record_reminders(&batch, state.now()).await?;
            for (r, new) in batch.iter().zip(new) {
                match (new, r.task) {
                    (false, _) => report.already += 1,
                    (true, true) => report.tasks += 1,
                    (true, false) => report.emails += 1,
                }
            }
        }
    }
    Ok(())
}

#[allow(clippy::too_many_arguments)]
fn reminder(
    state: &AppState,
    creditor: &CreditorRow,
    settings: &ReminderSettings,
    d: &DueDebtor,
    steps: &[StepRow],
    step: &StepRow,
    action: &Action,
    today: NaiveDate,
    task: bool,
) -> anyhow::Result<NewReminder> {
    let (link, mails) = if task {
        (None, vec![])
    } else {
        let (row, url) = crate::kernel::mail::portal_link(state, creditor, &d.id)?;
        let Composed { mails, .. } =
            compose::mails(creditor, settings, d, steps, step, action, today, &url)?;
        (Some(row), mails)
    };
    Ok(NewReminder {
        id: new_id(),
        creditor_id: creditor.id.clone(),
        debtor_id: d.id.clone(),
        step_id: step.id.clone(),
        step_seq: step.seq,
        channel: step.channel,
        task,
        decided_on: today,
        items: action.items.clone(),
        link,
        mails,
    })
}

/// What the run would send one debtor over the next `days` days, by the same `decide`.
pub async fn simulate_debtor(
    state: &AppState,
    creditor: &CreditorRow,
    debtor_id: &str,
    days: i64,
) -> anyhow::Result<Vec<(NaiveDate, Action)>> {
    let settings = state.storage.reminder_settings(&creditor.id).await?;
    let scenarios = Scenarios::load(
        state.storage.scenarios(&creditor.id).await?,
        settings.phase_days,
    );
    let since = state.now() - HISTORY_DAYS * 86_400;
    let Some(d) = state
        .storage
        .due_debtor(&creditor.id, debtor_id, since)
        .await?
    else {
        return Ok(vec![]);
    };
    let Some((scenario, _)) = scenarios.for_segment(&d.segment) else {
        return Ok(vec![]);
    };
    let today = state.today_in(d.timezone);
    let (items, history) = items_and_history(&d, today);
    Ok(simulate(
        scenario,
        settings.pacing,
        &items,
        &history,
        today,
        days,
        |day| settings.window.is_sending_day(d.country, day),
    ))
}

/// The simulation with each reminder's text as the debtor would read it (the link is minted
/// when it is really sent): for the command line's `reminders preview` and the back office.
pub async fn preview(
    state: &AppState,
    creditor: &CreditorRow,
    debtor_id: &str,
    days: i64,
) -> anyhow::Result<Vec<(NaiveDate, i64, &'static str, String)>> {
    let settings = state.storage.reminder_settings(&creditor.id).await?;
    let scenarios = Scenarios::load(
        state.storage.scenarios(&creditor.id).await?,
        settings.phase_days,
    );
    let since = state.now() - HISTORY_DAYS * 86_400;
    let Some(d) = state
        .storage
        .due_debtor(&creditor.id, debtor_id, since)
        .await?
    else {
        return Ok(vec![]);
    };
    let Some((_, steps)) = scenarios.for_segment(&d.segment) else {
        return Ok(vec![]);
    };
    let link = format!("{}/l/…", state.config.public_url);
    let mut out = vec![];
    for (day, action) in simulate_debtor(state, creditor, debtor_id, days).await? {
        let Some(step) = steps.iter().find(|s| s.seq == action.step.seq) else {
            continue;
        };
        let data = compose::data(creditor, &settings, &d, steps, &action, day, &link)?;
        let letter = compose::letter(creditor, step, d.lang, &data)?;
        out.push((
            day,
            step.seq,
            step.channel.as_str(),
            format!("{}\n\n{}", letter.subject, letter.text),
        ));
    }
    Ok(out)
}
