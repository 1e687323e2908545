//! The admin's reminder pages' forms: settings, a new segment, a scenario's steps (save, add a
//! step, remove one) and the preview of an edited step. Plain HTML forms. A refused or
//! previewed form is answered with the page itself, rendered from what was typed (nothing is
//! stored until the whole form is right); a saved one with a redirect to the page.

use super::pages::{self, refusal, refused, step_fields};
use super::scenario::{self, SaveError, StepForm};
use crate::kernel::context::is_admin;
use crate::kernel::forms::Fields;
use crate::kernel::http::see_other;
use crate::kernel::{AgentContext, AppState, SignedIn, internal};
use crate::storage::ReminderSettings;
use app::domain::calendar::{SendingWindow, WindowError};
use app::domain::late_charges::{ChargeTerms, Regime, parse_rates, percent_bp};
use app::domain::reminder::{MAX_STEPS, Pacing, PacingError};
use app::error::AppError;
use app::ports::{AssetBase, Loaded, PaymentOrigins};
use app::urlenc::percent_encode;
use app::views::reminder::{Refusal, ScenarioView, SettingsFields};
use axum::Form;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/agent/reminders/settings", post(save_settings))
        .route("/agent/reminders/scenarios", post(new_scenario))
        .route("/agent/reminders/scenarios/{segment}", post(edit_scenario))
        .route(
            "/agent/reminders/scenarios/{segment}/preview",
            post(preview_step),
        )
}

/// Renders the page at `path` from `view`, as its GET would, with `status`: the form comes
/// back as it was typed, without storing a draft anywhere.
async fn page<T: Send + Sync + 'static>(
    state: &AppState,
    headers: &HeaderMap,
    path: &str,
    view: Result<T, AppError>,
    status: StatusCode,
) -> Response {
    let options = state.leptos_options.clone();
    let render =
        leptos_axum::render_app_to_stream_with_context(|| {}, move || app::shell(options.clone()));
    let mut req = Request::new(Body::empty());
    *req.method_mut() = Method::GET;
    *req.uri_mut() = match path.parse() {
        Ok(u) => u,
        Err(e) => return internal(e).into_response(),
    };
    *req.headers_mut() = headers.clone();
    req.headers_mut().remove(axum::http::header::CONTENT_LENGTH);
    req.headers_mut().remove(axum::http::header::CONTENT_TYPE);
    let ext = req.extensions_mut();
    ext.insert(Loaded::new(view));
    ext.insert(AssetBase(state.assets.base.clone()));
    ext.insert(PaymentOrigins(state.payment_origins.clone()));
    let mut res = render(req).await;
    if res.status().is_success() {
        *res.status_mut() = status;
    }
    res
}

async fn context(
    state: &AppState,
    agent: crate::storage::AgentRow,
) -> Result<AgentContext, AppError> {
    let creditor = state
        .storage
        .creditor(&agent.creditor_id)
        .await
        .map_err(internal)?
        .ok_or(AppError::Unauthorized)?;
    Ok(AgentContext { agent, creditor })
}

/// A form whose fields come more than once (a replayed or forged form) is refused whole:
/// which value was meant cannot be told.
fn duplicated(f: &Fields) -> bool {
    let mut names: Vec<&str> = f.0.iter().map(|(k, _)| k.as_str()).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

// ---------------------------------------------------------------------------------------------
// Settings

fn settings_typed(f: &Fields) -> SettingsFields {
    let mut weekdays = [false; 7];
    for (i, d) in weekdays.iter_mut().enumerate() {
        *d = f.get(&format!("day_{i}")) == "1";
    }
    SettingsFields {
        weekdays,
        start_hour: f.get("start_hour").trim().into(),
        end_hour: f.get("end_hour").trim().into(),
        min_gap_days: f.get("min_gap_days").trim().into(),
        weekly_cap: f.get("weekly_cap").trim().into(),
        phase_days: f.get("phase_days").trim().into(),
        charges_regime: f.get("charges_regime").trim().into(),
        margin: f.get("margin").trim().into(),
        // Kept as typed (up to a sane length), for the page to show again when refused.
        reference_rates: f.get("reference_rates").chars().take(4000).collect(),
    }
}

/// "9", "9:30", "09h30", "24" → minutes after midnight.
fn minutes(text: &str) -> Option<u16> {
    let t = text.trim().to_lowercase().replace('h', ":");
    let (h, m) = t.split_once(':').unwrap_or((&t, ""));
    let h: u16 = h.trim().parse().ok()?;
    let m: u16 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    (h <= 24 && m < 60).then(|| h * 60 + m)
}

/// The most half-years of reference rates kept (25 years).
const RATES_MAX: usize = 50;

/// The settings as typed, checked. `Err((code, line))`: what is wrong, and for the reference
/// rates the line at fault.
pub fn settings_from(
    typed: &SettingsFields,
) -> Result<ReminderSettings, (&'static str, Option<usize>)> {
    let terms = charge_terms(typed)?;
    let mut s = timing_from(typed).map_err(|code| (code, None))?;
    s.terms = terms;
    Ok(s)
}

/// The late-charge terms as typed: the regime, its margin, the reference rates by half-year.
fn charge_terms(typed: &SettingsFields) -> Result<ChargeTerms, (&'static str, Option<usize>)> {
    let regime = match typed.charges_regime.as_str() {
        "france" => Regime::France,
        "uk" => Regime::UnitedKingdom,
        _ => return Err(("regime", None)),
    };
    let margin_bp = percent_bp(&typed.margin).ok_or(("margin", None))?;
    let rates = parse_rates(&typed.reference_rates).map_err(|line| ("rates", Some(line)))?;
    if rates.len() > RATES_MAX {
        return Err(("rates", Some(RATES_MAX + 1)));
    }
    Ok(ChargeTerms {
        regime,
        margin_bp,
        rates,
    })
}

/// The sending days and hours, the pacing and the phase, as typed, checked.
fn timing_from(typed: &SettingsFields) -> Result<ReminderSettings, &'static str> {
    let start = minutes(&typed.start_hour).ok_or("hour")?;
    let end = minutes(&typed.end_hour).ok_or("hour")?;
    let window = SendingWindow::new(typed.weekdays, start, end).map_err(|e| match e {
        WindowError::NoDay => "no_day",
        WindowError::StartNotBeforeEnd { .. } => "hours_order",
        WindowError::OutOfRange { .. } => "hour",
    })?;
    let whole = |v: &str, code| v.parse::<i64>().map_err(|_| code);
    let pacing = Pacing::new(
        whole(&typed.min_gap_days, "gap")?,
        whole(&typed.weekly_cap, "cap")?,
    )
    .map_err(|e| match e {
        PacingError::Gap => "gap",
        PacingError::Cap => "cap",
    })?;
    let phase_days = whole(&typed.phase_days, "phase")?;
    if !(1..=365).contains(&phase_days) {
        return Err("phase");
    }
    Ok(ReminderSettings {
        window,
        pacing,
        phase_days,
        ..ReminderSettings::default()
    })
}

/// `POST /agent/reminders/settings`
async fn save_settings(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    const PATH: &str = "/agent/reminders";
    let ctx = match context(&state, agent).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let typed = settings_typed(&f);
    let back = |code: &str, line: Option<usize>, status| {
        let r = Refusal {
            line,
            ..refused(code, 0)
        };
        let typed = typed.clone();
        let (state, ctx, headers) = (&state, &ctx, &headers);
        async move {
            let view = pages::reminders_page(state, ctx, Some(typed), Some(r), String::new()).await;
            page(state, headers, PATH, view, status).await
        }
    };
    if !is_admin(&ctx.agent) {
        return back("forbidden", None, StatusCode::FORBIDDEN).await;
    }
    if duplicated(&f) {
        return back("duplicate", None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let settings = match settings_from(&typed) {
        Ok(s) => s,
        Err((code, line)) => return back(code, line, StatusCode::UNPROCESSABLE_ENTITY).await,
    };
    // Saved scenarios must stay valid under the new phase length (the run skips invalid ones).
    if let Ok(rows) = state.storage.scenarios(&ctx.creditor.id).await
        && rows
            .iter()
            .any(|r| super::run::checked(&r.steps, settings.phase_days).is_err())
    {
        return back("phase", None, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    match state
        .storage
        .save_reminder_settings(&ctx.creditor.id, &settings, &ctx.agent.id, state.now())
        .await
    {
        Ok(()) => see_other("/agent/reminders?saved=1", vec![]),
        Err(e) => internal(e).into_response(),
    }
}

/// `POST /agent/reminders/scenarios`: a scenario for a new segment starts from the built-in
/// steps, on its own page.
async fn new_scenario(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let ctx = match context(&state, agent).await {
        Ok(c) => c,
        Err(e) => return e.into_response(),
    };
    let typed = f.get("segment").to_string();
    let (code, status) = if !is_admin(&ctx.agent) {
        ("forbidden", StatusCode::FORBIDDEN)
    } else {
        match scenario::check_segment(&typed) {
            Ok(s) => {
                let to = format!("/agent/reminders/scenarios/{}", percent_encode(&s));
                return see_other(&to, vec![]);
            }
            Err(_) => ("segment", StatusCode::UNPROCESSABLE_ENTITY),
        }
    };
    let view = pages::reminders_page(&state, &ctx, None, Some(refused(code, 0)), typed).await;
    page(&state, &headers, "/agent/reminders", view, status).await
}

// ---------------------------------------------------------------------------------------------
// A scenario's steps

/// The steps as typed: `s{i}_offset_days`, `s{i}_channel` … from 0, up to the first missing
/// index (at most one more than a scenario may have, so "too many" can be said).
pub fn steps_typed(f: &Fields) -> Vec<StepForm> {
    let mut steps = vec![];
    for i in 0..=MAX_STEPS {
        let key = |name: &str| format!("s{i}_{name}");
        if !f.0.iter().any(|(k, _)| *k == key("channel")) {
            break;
        }
        let get = |name: &str| f.get(&key(name)).to_string();
        steps.push(StepForm {
            offset_days: get("offset_days"),
            channel: get("channel"),
            confirm: get("confirm") == "1",
            subject_fr: get("subject_fr"),
            body_fr: get("body_fr"),
            line_fr: get("line_fr"),
            subject_en: get("subject_en"),
            body_en: get("body_en"),
            line_en: get("line_en"),
        });
    }
    steps
}

/// The scenario page from what was typed.
fn typed_view(
    ctx: &AgentContext,
    segment: &str,
    f: &Fields,
    steps: &[StepForm],
    built_in: bool,
) -> ScenarioView {
    ScenarioView {
        viewer: pages::viewer(ctx),
        segment: segment.into(),
        name: f.get("name").into(),
        built_in,
        steps: steps.iter().map(step_fields).collect(),
        max_steps: MAX_STEPS,
        debtor: f.get("debtor").trim().into(),
        refusal: None,
        preview: None,
        saved: false,
    }
}

struct Edit {
    ctx: AgentContext,
    segment: String,
    path: String,
    built_in: bool,
}

/// Who edits which scenario; `Err` is the answer to send at once.
async fn edit(
    state: &AppState,
    agent: crate::storage::AgentRow,
    segment: &str,
    headers: &HeaderMap,
    f: &Fields,
) -> Result<Edit, Response> {
    let ctx = context(state, agent).await.map_err(|e| e.into_response())?;
    let segment =
        scenario::check_segment(segment).map_err(|_| AppError::NotFound.into_response())?;
    let path = format!("/agent/reminders/scenarios/{}", percent_encode(&segment));
    let built_in = match pages::stored_steps(state, &ctx.creditor.id, &segment).await {
        Ok((_, b, _)) => b,
        Err(e) => return Err(e.into_response()),
    };
    let refuse = |code: &str| Refusal {
        code: code.into(),
        ..Refusal::default()
    };
    let steps = steps_typed(f);
    let answer = if !is_admin(&ctx.agent) {
        Some((refuse("forbidden"), StatusCode::FORBIDDEN))
    } else if duplicated(f) {
        Some((refuse("duplicate"), StatusCode::UNPROCESSABLE_ENTITY))
    } else {
        None
    };
    if let Some((r, status)) = answer {
        let mut view = typed_view(&ctx, &segment, f, &steps, built_in);
        view.refusal = Some(r);
        return Err(page(state, headers, &path, Ok(view), status).await);
    }
    Ok(Edit {
        ctx,
        segment,
        path,
        built_in,
    })
}

/// `POST /agent/reminders/scenarios/{segment}`: `op=save` checks every step and saves them
/// all or nothing; `op=add` and `op=remove-<n>` change the form without saving it.
async fn edit_scenario(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(segment): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let e = match edit(&state, agent, &segment, &headers, &f).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let mut steps = steps_typed(&f);
    let op = f.get("op");
    if op == "add" || op.starts_with("remove-") {
        if op == "add" {
            // A new step starts as a copy of the last one, a week later, to be reworded.
            let mut next = steps.last().cloned().unwrap_or_default();
            next.offset_days = next
                .offset_days
                .trim()
                .parse::<i64>()
                .map(|d| (d + 7).to_string())
                .unwrap_or_default();
            if steps.len() < MAX_STEPS {
                steps.push(next);
            }
        } else if let Some(n) = op["remove-".len()..].parse::<usize>().ok()
            && (1..=steps.len()).contains(&n)
        {
            steps.remove(n - 1);
        }
        let view = typed_view(&e.ctx, &e.segment, &f, &steps, e.built_in);
        return page(&state, &headers, &e.path, Ok(view), StatusCode::OK).await;
    }
    match scenario::save(
        &state,
        &e.ctx.creditor.id,
        &e.segment,
        f.get("name"),
        &steps,
        &e.ctx.agent.id,
    )
    .await
    {
        Ok(_) => see_other(&format!("{}?saved=1", e.path), vec![]),
        Err(SaveError::Invalid(err)) => {
            tracing::info!(segment = %e.segment, error = %err, "scenario refused");
            let mut view = typed_view(&e.ctx, &e.segment, &f, &steps, e.built_in);
            view.refusal = Some(refusal(&err));
            page(
                &state,
                &headers,
                &e.path,
                Ok(view),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await
        }
        Err(SaveError::Storage(err)) => internal(err).into_response(),
    }
}

/// `POST /agent/reminders/scenarios/{segment}/preview` (`preview=<n>`): the edited step `n`
/// for the debtor typed (or the first with an open invoice), in French and English, beside
/// the form as it was typed. Nothing is saved.
async fn preview_step(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Path(segment): Path<String>,
    headers: HeaderMap,
    Form(f): Form<Fields>,
) -> Response {
    let e = match edit(&state, agent, &segment, &headers, &f).await {
        Ok(e) => e,
        Err(r) => return r,
    };
    let steps = steps_typed(&f);
    let n: usize = f.get("preview").trim().parse().unwrap_or(1);
    let mut view = typed_view(&e.ctx, &e.segment, &f, &steps, e.built_in);
    let status =
        match pages::preview(&state, &e.ctx, &steps, n.saturating_sub(1), f.get("debtor")).await {
            Ok(Ok(p)) => {
                view.preview = Some(p);
                StatusCode::OK
            }
            Ok(Err(r)) => {
                view.refusal = Some(r);
                StatusCode::UNPROCESSABLE_ENTITY
            }
            Err(err) => return err.into_response(),
        };
    page(&state, &headers, &e.path, Ok(view), status).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_read_as_people_write_them() {
        assert_eq!(minutes("9"), Some(540));
        assert_eq!(minutes("09:30"), Some(570));
        assert_eq!(minutes("18h"), Some(1080));
        assert_eq!(minutes("24"), Some(1440));
        for bad in ["", "25", "9:60", "neuf", "-1"] {
            assert_eq!(minutes(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn refused_settings_name_what_is_wrong() {
        let ok = SettingsFields {
            weekdays: [true, true, true, true, true, false, false],
            start_hour: "9".into(),
            end_hour: "18".into(),
            min_gap_days: "5".into(),
            weekly_cap: "2".into(),
            phase_days: "60".into(),
            charges_regime: "france".into(),
            margin: "10".into(),
            reference_rates: "2025-S2 2.15\n2026-S1 2,15".into(),
        };
        let current = ReminderSettings::default();
        assert_eq!(settings_from(&ok).unwrap(), current);
        let with = |f: fn(&mut SettingsFields)| {
            let mut s = ok.clone();
            f(&mut s);
            settings_from(&s).unwrap_err().0
        };
        assert_eq!(with(|s| s.min_gap_days = "-3".into()), "gap");
        assert_eq!(with(|s| s.weekly_cap = "9".into()), "cap");
        assert_eq!(with(|s| s.weekdays = [false; 7]), "no_day");
        assert_eq!(with(|s| s.end_hour = "8".into()), "hours_order");
        assert_eq!(with(|s| s.phase_days = "0".into()), "phase");
        assert_eq!(with(|s| s.start_hour = "x".into()), "hour");
        assert_eq!(with(|s| s.charges_regime = "mars".into()), "regime");
        assert_eq!(with(|s| s.margin = "-2".into()), "margin");
        assert_eq!(
            with(|s| s.reference_rates = "2026-S2 2.15\nhier".into()),
            "rates"
        );
        let mut uk = ok.clone();
        uk.charges_regime = "uk".into();
        uk.margin = "8".into();
        let terms = settings_from(&uk).unwrap().terms;
        assert_eq!(
            (terms.regime, terms.margin_bp),
            (Regime::UnitedKingdom, 800)
        );
        let mut bad = ok.clone();
        bad.reference_rates = "2026-S1 2\n\n2026-Q3 2".into();
        assert_eq!(settings_from(&bad).unwrap_err(), ("rates", Some(3)));
    }

    #[test]
    fn a_field_sent_twice_is_seen() {
        let f = Fields(vec![("a".into(), "1".into()), ("b".into(), "2".into())]);
        assert!(!duplicated(&f));
        let f = Fields(vec![("a".into(), "1".into()), ("a".into(), "2".into())]);
        assert!(duplicated(&f));
    }
}
