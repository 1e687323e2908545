//! The admin's reminder pages' data: the settings and the list of scenarios, one scenario's
//! steps (with the preview of an edited step for a real debtor, in both languages), and the
//! simulation of the next days. Everything is computed by the run's own code (`compose`,
//! `template`, `run::simulate_debtor`), so what the pages show is what the run would send.

use super::compose;
use super::defaults::{DEFAULT_SEGMENT, default_scenario};
use super::run::simulate_debtor;
use super::scenario::{self, FormError, StepForm};
use crate::kernel::context::is_admin;
use crate::kernel::statement::brand;
use crate::kernel::{AgentContext, AppState, internal};
use crate::storage::{ReminderSettings, ScenarioRow, StepRow};
use app::domain::locale::Lang;
use app::domain::reminder::{Action, MAX_STEPS, StepRule};
use app::error::AppError;
use app::views::reminder::{
    PreviewLetter, PreviewView, Refusal, RemindersView, ScenarioSummary, ScenarioView,
    SettingsFields, SimulatedReminder, SimulationView, StepFields, Viewer,
};

/// Days the simulation looks ahead.
pub const SIMULATION_DAYS: i64 = 60;
/// Debtors a segment's simulation covers at most (each is simulated by the run's code).
pub const SIMULATION_CAP: usize = 200;
/// Reminders older than this no longer count (the run's own horizon).
const HISTORY_DAYS: i64 = 60;

pub fn viewer(ctx: &AgentContext) -> Viewer {
    Viewer {
        brand: brand(&ctx.creditor),
        agent_name: ctx.agent.name.clone(),
        role: ctx.agent.role,
        may_edit: is_admin(&ctx.agent),
    }
}

use app::domain::late_charges::{Regime, percent_text, rates_text};

pub fn settings_fields(s: &ReminderSettings) -> SettingsFields {
    let hour = |m: u16| {
        if m.is_multiple_of(60) {
            (m / 60).to_string()
        } else {
            format!("{}:{:02}", m / 60, m % 60)
        }
    };
    SettingsFields {
        weekdays: s.window.weekdays,
        start_hour: hour(s.window.start_minute),
        end_hour: hour(s.window.end_minute),
        min_gap_days: s.pacing.min_gap_days.to_string(),
        weekly_cap: s.pacing.weekly_cap.to_string(),
        phase_days: s.phase_days.to_string(),
        charges_regime: match s.terms.regime {
            Regime::France => "france",
            Regime::UnitedKingdom => "uk",
        }
        .into(),
        margin: percent_text(s.terms.margin_bp),
        reference_rates: rates_text(&s.terms.rates),
    }
}

pub fn step_fields(f: &StepForm) -> StepFields {
    StepFields {
        offset_days: f.offset_days.clone(),
        channel: f.channel.clone(),
        confirm: f.confirm,
        subject_fr: f.subject_fr.clone(),
        body_fr: f.body_fr.clone(),
        line_fr: f.line_fr.clone(),
        subject_en: f.subject_en.clone(),
        body_en: f.body_en.clone(),
        line_en: f.line_en.clone(),
    }
}

/// A refused form, for the page to word.
pub fn refusal(e: &FormError) -> Refusal {
    Refusal {
        code: e.code.into(),
        step: e.step,
        field: e.field.map(String::from),
        line: e.template.as_ref().and_then(|t| t.line),
        detail: e.message.clone(),
    }
}

pub fn refused(code: &str, step: usize) -> Refusal {
    Refusal {
        code: code.into(),
        step,
        ..Refusal::default()
    }
}

/// The creditor's scenarios by segment, the built-in one where the standard segment has none.
fn summaries(rows: &[ScenarioRow]) -> Vec<ScenarioSummary> {
    let mut out: Vec<ScenarioSummary> = rows
        .iter()
        .map(|r| ScenarioSummary {
            segment: r.segment.clone(),
            name: r.name.clone(),
            steps: r.steps.len(),
            built_in: false,
        })
        .collect();
    if !rows.iter().any(|r| r.segment == DEFAULT_SEGMENT) {
        let d = default_scenario();
        out.insert(
            0,
            ScenarioSummary {
                segment: d.segment,
                name: d.name,
                steps: d.steps.len(),
                built_in: true,
            },
        );
    }
    out
}

/// `GET /agent/reminders` (and the settings form sent back with what was typed).
pub async fn reminders_page(
    state: &AppState,
    ctx: &AgentContext,
    typed: Option<SettingsFields>,
    refusal: Option<Refusal>,
    new_segment: String,
) -> Result<RemindersView, AppError> {
    let settings = match typed {
        Some(t) => t,
        None => settings_fields(
            &state
                .storage
                .reminder_settings(&ctx.creditor.id)
                .await
                .map_err(internal)?,
        ),
    };
    let rows = state
        .storage
        .scenarios(&ctx.creditor.id)
        .await
        .map_err(internal)?;
    Ok(RemindersView {
        viewer: viewer(ctx),
        settings,
        scenarios: summaries(&rows),
        refusal,
        new_segment,
    })
}

pub async fn reminders_view(state: &AppState, token: &str) -> Result<RemindersView, AppError> {
    let ctx = AgentContext::of_token(state, token).await?;
    reminders_page(state, &ctx, None, None, String::new()).await
}

/// A segment's saved steps, or the built-in scenario's for a segment without its own.
pub async fn stored_steps(
    state: &AppState,
    creditor_id: &str,
    segment: &str,
) -> Result<(String, bool, Vec<StepForm>), AppError> {
    let saved = state
        .storage
        .scenarios(creditor_id)
        .await
        .map_err(internal)?
        .into_iter()
        .find(|s| s.segment == segment);
    Ok(match saved {
        Some(s) => (
            s.name,
            false,
            s.steps.iter().map(StepForm::from_row).collect(),
        ),
        None => {
            let d = default_scenario();
            let name = if segment == DEFAULT_SEGMENT {
                d.name
            } else {
                segment.to_string()
            };
            (name, true, d.steps.iter().map(StepForm::from_row).collect())
        }
    })
}

/// `GET /agent/reminders/scenarios/{segment}`
pub async fn scenario_view(
    state: &AppState,
    token: &str,
    segment: &str,
    query: &str,
) -> Result<ScenarioView, AppError> {
    let ctx = AgentContext::of_token(state, token).await?;
    let segment = app::urlenc::percent_decode(segment).unwrap_or_default();
    let segment = scenario::check_segment(&segment).map_err(|_| AppError::NotFound)?;
    let (name, built_in, steps) = stored_steps(state, &ctx.creditor.id, &segment).await?;
    let saved = query.split('&').any(|p| p == "saved=1");
    Ok(ScenarioView {
        viewer: viewer(&ctx),
        segment,
        name,
        built_in,
        steps: steps.iter().map(step_fields).collect(),
        max_steps: MAX_STEPS,
        debtor: String::new(),
        refusal: None,
        preview: None,
        saved,
    })
}

/// The edited step `index` (0-based) rendered for a debtor of the creditor in French and in
/// English, by the run's composer. `debtor`: a reference, or "" for the first debtor with an
/// open invoice. The step is checked first, as saving would.
pub async fn preview(
    state: &AppState,
    ctx: &AgentContext,
    steps: &[StepForm],
    index: usize,
    debtor: &str,
) -> Result<Result<PreviewView, Refusal>, AppError> {
    let Some(form) = steps.get(index) else {
        return Ok(Err(refused("no_step", 0)));
    };
    let n = index + 1;
    let creditor = &ctx.creditor;
    let settings = state
        .storage
        .reminder_settings(&creditor.id)
        .await
        .map_err(internal)?;
    let mut row: StepRow = match scenario::check(std::slice::from_ref(form), settings.phase_days) {
        Ok(mut rows) => rows.remove(0),
        Err(e) => {
            let mut r = refusal(&e);
            r.step = n;
            return Ok(Err(r));
        }
    };
    row.seq = n as i64;
    let since = state.now() - HISTORY_DAYS * 86_400;
    let debtor = debtor.trim();
    let due = if debtor.is_empty() {
        state
            .storage
            .due_debtors(&creditor.id, "", 1, since)
            .await
            .map_err(internal)?
            .pop()
    } else {
        match state
            .storage
            .debtor_by_reference(&creditor.id, debtor)
            .await
            .map_err(internal)?
        {
            Some(d) => state
                .storage
                .due_debtor(&creditor.id, &d.id, since)
                .await
                .map_err(internal)?,
            None => None,
        }
    };
    let Some(d) = due else {
        let code = if debtor.is_empty() {
            "no_debtor"
        } else {
            "debtor_unknown"
        };
        return Ok(Err(refused(code, n)));
    };
    // The invoices this step would speak of today (those at least `offset` days past due), or
    // every open one when none is there yet: the other steps' wordings are not the edited one's.
    let today = state.today_in(d.timezone);
    let reached: Vec<_> = d
        .invoices
        .iter()
        .filter(|i| (today - i.due).num_days() >= row.offset_days)
        .collect();
    let listed = if reached.is_empty() {
        d.invoices.iter().collect()
    } else {
        reached
    };
    let action = Action {
        step: StepRule {
            seq: row.seq,
            offset_days: row.offset_days,
            channel: row.channel,
            confirm: row.confirm,
        },
        items: listed.iter().map(|i| (i.id.clone(), row.seq)).collect(),
    };
    // The link is minted only when a mail really goes.
    let link = format!("{}/l/…", state.config.public_url);
    let steps = [row.clone()];
    let letter = |lang: Lang| {
        let mut one = d.clone();
        one.lang = lang;
        compose::data(creditor, &settings, &one, &steps, &action, today, &link)
            .and_then(|data| compose::letter(creditor, &row, lang, &data))
            .map(|c| PreviewLetter {
                subject: c.subject,
                text: c.text,
                html: c.html,
            })
    };
    match (letter(Lang::Fr), letter(Lang::En)) {
        (Ok(fr), Ok(en)) => Ok(Ok(PreviewView {
            step: n,
            debtor_reference: d.reference.clone(),
            debtor_name: d.name.clone(),
            fr,
            en,
        })),
        (Err(e), _) | (_, Err(e)) => Ok(Err(Refusal {
            code: "template_render".into(),
            step: n,
            field: None,
            line: e.line,
            detail: e.message,
        })),
    }
}

fn query_value(query: &str, name: &str) -> String {
    serde_urlencoded::from_str::<Vec<(String, String)>>(query)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// `GET /agent/reminders/simulation?segment=…` or `?debtor=<reference>`: what the run would
/// do over the next days, debtor by debtor, by `run::simulate_debtor`.
pub async fn simulation_view(
    state: &AppState,
    token: &str,
    query: &str,
) -> Result<SimulationView, AppError> {
    let ctx = AgentContext::of_token(state, token).await?;
    let creditor = &ctx.creditor;
    let debtor = query_value(query, "debtor").trim().to_string();
    let mut segment = query_value(query, "segment").trim().to_lowercase();
    if debtor.is_empty() && segment.is_empty() {
        segment = DEFAULT_SEGMENT.into();
    }
    let saved: Vec<String> = state
        .storage
        .scenarios(&creditor.id)
        .await
        .map_err(internal)?
        .into_iter()
        .map(|s| s.segment)
        .collect();
    let mut segments = saved.clone();
    if !segments.iter().any(|s| s == DEFAULT_SEGMENT) {
        segments.insert(0, DEFAULT_SEGMENT.into());
    }
    let mut ids = vec![];
    let mut capped = false;
    let mut unknown_debtor = false;
    if !debtor.is_empty() {
        match state
            .storage
            .debtor_by_reference(&creditor.id, &debtor)
            .await
            .map_err(internal)?
        {
            Some(d) => ids.push(d.id),
            None => unknown_debtor = true,
        }
    } else {
        // Debtors of a segment without its own scenario follow the standard one.
        let follows =
            |s: &str| s == segment || (segment == DEFAULT_SEGMENT && !saved.iter().any(|x| x == s));
        let mut after = String::new();
        'pages: loop {
            let page = state
                .storage
                .debtors_with_open_invoices(&creditor.id, &after, 500)
                .await
                .map_err(internal)?;
            let Some((last, _)) = page.last() else { break };
            after = last.clone();
            for (id, s) in page {
                if follows(&s) {
                    if ids.len() == SIMULATION_CAP {
                        capped = true;
                        break 'pages;
                    }
                    ids.push(id);
                }
            }
        }
    }
    let since = state.now() - HISTORY_DAYS * 86_400;
    let mut rows = vec![];
    let mut debtors = 0;
    for id in &ids {
        let Some(d) = state
            .storage
            .due_debtor(&creditor.id, id, since)
            .await
            .map_err(internal)?
        else {
            if !debtor.is_empty() {
                unknown_debtor = true;
            }
            continue;
        };
        debtors += 1;
        let plan = simulate_debtor(state, creditor, id, SIMULATION_DAYS)
            .await
            .map_err(internal)?;
        for (day, action) in plan {
            let person = action.step.needs_person();
            rows.push(SimulatedReminder {
                day: day.to_string(),
                debtor_reference: d.reference.clone(),
                debtor_name: d.name.clone(),
                to: if person {
                    vec![]
                } else {
                    d.contacts.iter().map(|(_, e)| e.clone()).collect()
                },
                step: action.step.seq,
                channel: action.step.channel.as_str().into(),
                needs_person: person,
                invoices: action
                    .items
                    .iter()
                    .filter_map(|(i, _)| d.invoices.iter().find(|x| &x.id == i))
                    .map(|i| i.number.clone())
                    .collect(),
            });
        }
    }
    rows.sort_by(|a, b| (&a.day, &a.debtor_reference).cmp(&(&b.day, &b.debtor_reference)));
    Ok(SimulationView {
        viewer: viewer(&ctx),
        segment: if debtor.is_empty() {
            segment
        } else {
            String::new()
        },
        debtor,
        days: SIMULATION_DAYS,
        debtors,
        capped,
        cap: SIMULATION_CAP,
        unknown_debtor,
        rows,
        segments,
    })
}
