//! The admin's reminder pages, server-rendered and usable without JavaScript: the sending
//! settings and the scenarios by segment (`/agent/reminders`), one scenario's steps with the
//! preview of an edited step in both languages (`/agent/reminders/scenarios/:segment`), and
//! the simulation of the next days (`/agent/reminders/simulation`). Forms post to the server's
//! `reminder::routes`, which answers a refused or previewed form with this page as typed.

use super::agent::AgentNav;
use super::agent_cases::NotSignedIn;
use super::query;
use crate::components::PageHeader;
use crate::domain::locale::Lang;
use crate::i18n::scenarios as t;
use crate::urlenc::percent_encode;
use crate::views::reminder::{
    PreviewLetter, Refusal, RemindersView, ScenarioView, SimulationView, StepFields, Viewer,
};
use leptos::prelude::*;
use leptos_meta::Title;

const CHANNELS: [&str; 4] = ["email", "phone", "letter", "formal_notice"];

fn refusal_text(lang: Lang, r: &Refusal) -> String {
    t::refusal(lang, &r.code, r.step, r.field.as_deref(), r.line, &r.detail)
}

#[component]
fn Notice(text: String, error: bool) -> impl IntoView {
    view! {
        <p class=if error { "error" } else { "notice" } role=if error { "alert" } else { "status" }>{text}</p>
    }
}

#[component]
fn Top(viewer: Viewer, lang: Lang) -> impl IntoView {
    let Viewer {
        agent_name, role, ..
    } = viewer;
    view! { <AgentNav agent_name role lang/> }
}

// ---------------------------------------------------------------------------------------------
// Settings and the list of scenarios

#[component]
pub fn AgentRemindersPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<RemindersView>();
    view! {
        <Title text=t::REMINDERS_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Reminders view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=t::REMINDERS_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Reminders(view: RemindersView) -> impl IntoView {
    let lang = crate::use_lang();
    let RemindersView {
        viewer,
        settings,
        scenarios,
        refusal,
        new_segment,
    } = view;
    let may_edit = viewer.may_edit;
    let notice = refusal
        .as_ref()
        .map(|r| (refusal_text(lang, r), true))
        .or_else(|| query("saved").map(|_| (t::SETTINGS_SAVED.get(lang).to_string(), false)));
    view! {
        <PageHeader brand=viewer.brand.clone()/>
        <main id="main">
            <Top viewer lang/>
            <h1>{t::REMINDERS_TITLE.get(lang)}</h1>
            <p class="lead">{t::REMINDERS_INTRO.get(lang)}</p>
            {notice.map(|(text, error)| view! { <Notice text error/> })}
            {(!may_edit).then(|| view! { <p class="notice">{t::ONLY_ADMINS.get(lang)}</p> })}
            <section aria-labelledby="settings-h">
                <h2 id="settings-h">{t::SETTINGS_H.get(lang)}</h2>
                <p class="muted">{t::SETTINGS_HINT.get(lang)}</p>
                <form method="post" action="/agent/reminders/settings" class="stack">
                    <fieldset disabled=!may_edit class="stack">
                        <legend class="visually-hidden">{t::SETTINGS_H.get(lang)}</legend>
                        <fieldset>
                            <legend>{t::SENDING_DAYS.get(lang)}</legend>
                            {(0..7).map(|i| {
                                let id = format!("day_{i}");
                                view! {
                                    <div class="check">
                                        <input type="checkbox" id=id.clone() name=id.clone() value="1" checked=settings.weekdays[i]/>
                                        <label for=id>{t::weekday(lang, i)}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </fieldset>
                        <label for="start-hour">{t::START_HOUR.get(lang)}</label>
                        <input id="start-hour" name="start_hour" type="text" inputmode="decimal" required value=settings.start_hour/>
                        <label for="end-hour">{t::END_HOUR.get(lang)}</label>
                        <input id="end-hour" name="end_hour" type="text" inputmode="decimal" required value=settings.end_hour/>
                        <label for="min-gap">{t::MIN_GAP.get(lang)}</label>
                        <input id="min-gap" name="min_gap_days" type="text" inputmode="numeric" required value=settings.min_gap_days/>
                        <label for="weekly-cap">{t::WEEKLY_CAP.get(lang)}</label>
                        <input id="weekly-cap" name="weekly_cap" type="text" inputmode="numeric" required value=settings.weekly_cap/>
                        <label for="phase-days">{t::PHASE_DAYS.get(lang)}</label>
                        <input id="phase-days" name="phase_days" type="text" inputmode="numeric" required value=settings.phase_days/>
                        <fieldset class="stack">
                            <legend>{t::CHARGES_H.get(lang)}</legend>
                            <p class="muted">{t::CHARGES_HINT.get(lang)}</p>
                            <label for="charges-regime">{t::CHARGES_REGIME.get(lang)}</label>
                            <select id="charges-regime" name="charges_regime">
                                <option value="france" selected=settings.charges_regime == "france">{t::REGIME_FRANCE.get(lang)}</option>
                                <option value="uk" selected=settings.charges_regime == "uk">{t::REGIME_UK.get(lang)}</option>
                            </select>
                            <label for="charges-margin">{t::CHARGES_MARGIN.get(lang)}</label>
                            <input id="charges-margin" name="margin" type="text" inputmode="decimal" required value=settings.margin/>
                            <label for="charges-rates">{t::CHARGES_RATES.get(lang)}</label>
                            <p id="charges-rates-hint" class="muted">{t::CHARGES_RATES_HINT.get(lang)}</p>
                            <textarea id="charges-rates" name="reference_rates" rows="4" aria-describedby="charges-rates-hint" spellcheck="false">{crate::components::textarea_text(&settings.reference_rates)}</textarea>
                        </fieldset>
                        <button type="submit" class="button">{t::SAVE_SETTINGS.get(lang)}</button>
                    </fieldset>
                </form>
            </section>
            <section aria-labelledby="scenarios-h">
                <h2 id="scenarios-h">{t::SCENARIOS_H.get(lang)}</h2>
                <ul class="settled-list">
                    {scenarios.into_iter().map(|s| {
                        let href = format!("/agent/reminders/scenarios/{}", percent_encode(&s.segment));
                        let sim = format!("/agent/reminders/simulation?segment={}", percent_encode(&s.segment));
                        let label = format!("{} — {} ({} {})", s.segment, s.name, s.steps, t::STEPS.get(lang).to_lowercase());
                        view! {
                            <li><span class="line">
                                <a href=href>{label}</a>
                                {s.built_in.then(|| view! { <span class="muted">" — "{t::BUILT_IN.get(lang)}</span> })}
                                " · "
                                <a href=sim>{t::SIMULATE.get(lang)}<span class="visually-hidden">" "{s.segment.clone()}</span></a>
                            </span></li>
                        }
                    }).collect_view()}
                </ul>
                {may_edit.then(|| view! {
                    <form method="post" action="/agent/reminders/scenarios" class="stack">
                        <h3 class="sub">{t::NEW_SCENARIO_H.get(lang)}</h3>
                        <label for="new-segment">{t::NEW_SEGMENT.get(lang)}</label>
                        <input id="new-segment" name="segment" type="text" maxlength="40" required value=new_segment/>
                        <button type="submit" class="button secondary">{t::NEW_SCENARIO.get(lang)}</button>
                    </form>
                })}
            </section>
        </main>
    }
}

// ---------------------------------------------------------------------------------------------
// One scenario

#[component]
pub fn AgentScenarioPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<ScenarioView>();
    view! {
        <Title text=t::SCENARIOS_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Scenario view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=t::SCENARIOS_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Letter(letter: PreviewLetter, heading: &'static str, id: &'static str) -> impl IntoView {
    let lang = crate::use_lang();
    view! {
        <li class="card" aria-labelledby=id>
            <h3 id=id class="sub">{heading}</h3>
            <p><span class="strong">{t::SUBJECT.get(lang)}" : "</span>{letter.subject}</p>
            <p class="strong">{t::TEXT.get(lang)}</p>
            <div class="quote">{letter.text}</div>
            <details>
                <summary>{t::HTML_SOURCE.get(lang)}</summary>
                <pre class="quote mono">{letter.html}</pre>
            </details>
        </li>
    }
}

#[component]
fn Step(i: usize, step: StepFields, count: usize, lang: Lang, preview_to: String) -> impl IntoView {
    let n = i + 1;
    let id = move |f: &str| format!("s{i}_{f}");
    let text = |f: &'static str, label: &'static str, value: String, area: bool| {
        let id = id(f);
        view! {
            <label for=id.clone()>{label}</label>
            {if area {
                view! { <textarea id=id.clone() name=id rows="8">{crate::components::textarea_text(&value)}</textarea> }.into_any()
            } else {
                view! { <input id=id.clone() name=id type="text" value=value/> }.into_any()
            }}
        }
    };
    view! {
        <fieldset class="stack card">
            <legend>{t::step_legend(lang, n)}</legend>
            <label for=id("offset_days")>{t::OFFSET.get(lang)}</label>
            <input id=id("offset_days") name=id("offset_days") type="text" inputmode="numeric" value=step.offset_days/>
            <label for=id("channel")>{t::CHANNEL.get(lang)}</label>
            <select id=id("channel") name=id("channel")>
                {CHANNELS.into_iter().map(|c| view! {
                    <option value=c selected=step.channel == c>{t::channel(lang, c)}</option>
                }).collect_view()}
            </select>
            <div class="check">
                <input type="checkbox" id=id("confirm") name=id("confirm") value="1" checked=step.confirm/>
                <label for=id("confirm")>{t::CONFIRM.get(lang)}</label>
            </div>
            {text("subject_fr", t::SUBJECT_FR.get(lang), step.subject_fr, false)}
            {text("body_fr", t::BODY_FR.get(lang), step.body_fr, true)}
            {text("line_fr", t::LINE_FR.get(lang), step.line_fr, false)}
            {text("subject_en", t::SUBJECT_EN.get(lang), step.subject_en, false)}
            {text("body_en", t::BODY_EN.get(lang), step.body_en, true)}
            {text("line_en", t::LINE_EN.get(lang), step.line_en, false)}
            <div class="actions">
                <button type="submit" class="button secondary" formaction=preview_to name="preview" value=n.to_string()>{t::preview_step(lang, n)}</button>
                {(count > 1).then(|| view! {
                    <button type="submit" class="link-button" name="op" value=format!("remove-{n}")>{t::remove_step(lang, n)}</button>
                })}
            </div>
        </fieldset>
    }
}

#[component]
fn Scenario(view: ScenarioView) -> impl IntoView {
    let lang = crate::use_lang();
    let ScenarioView {
        viewer,
        segment,
        name,
        built_in,
        steps,
        max_steps,
        debtor,
        refusal,
        preview,
        saved,
    } = view;
    let may_edit = viewer.may_edit;
    let path = format!("/agent/reminders/scenarios/{}", percent_encode(&segment));
    let preview_to = format!("{path}/preview");
    let sim = format!(
        "/agent/reminders/simulation?segment={}",
        percent_encode(&segment)
    );
    let notice = refusal
        .as_ref()
        .map(|r| (refusal_text(lang, r), true))
        .or_else(|| saved.then(|| (t::SCENARIO_SAVED.get(lang).to_string(), false)));
    let count = steps.len();
    view! {
        <PageHeader brand=viewer.brand.clone()/>
        <main id="main">
            <Top viewer lang/>
            <p><a href="/agent/reminders">{t::BACK_TO_REMINDERS.get(lang)}</a>" · "<a href=sim>{t::SIMULATE.get(lang)}</a></p>
            <h1>{t::scenario_title(lang, &segment)}</h1>
            {notice.map(|(text, error)| view! { <Notice text error/> })}
            {(!may_edit).then(|| view! { <p class="notice">{t::ONLY_ADMINS.get(lang)}</p> })}
            {built_in.then(|| view! { <p class="notice">{t::BUILT_IN_NOTICE.get(lang)}</p> })}
            {preview.map(|p| view! {
                <section aria-labelledby="preview-h">
                    <h2 id="preview-h">{t::preview_heading(lang, p.step, &p.debtor_name, &p.debtor_reference)}</h2>
                    <p class="muted">{t::PREVIEW_NOTE.get(lang)}</p>
                    <ul class="items">
                        <Letter letter=p.fr heading=t::FRENCH.get(lang) id="preview-fr"/>
                        <Letter letter=p.en heading=t::ENGLISH.get(lang) id="preview-en"/>
                    </ul>
                </section>
            })}
            <p class="muted mono">{t::VARIABLES.get(lang)}</p>
            <form method="post" action=path class="stack">
                <fieldset disabled=!may_edit class="stack">
                    <legend class="visually-hidden">{t::scenario_title(lang, &segment)}</legend>
                    <label for="scenario-name">{t::SCENARIO_NAME.get(lang)}</label>
                    <input id="scenario-name" name="name" type="text" maxlength="80" value=name/>
                    <label for="preview-debtor">{t::PREVIEW_DEBTOR.get(lang)}</label>
                    <input id="preview-debtor" name="debtor" type="text" value=debtor/>
                    {steps.into_iter().enumerate().map(|(i, step)| view! {
                        <Step i step count lang preview_to=preview_to.clone()/>
                    }).collect_view()}
                    <p class="muted">{t::steps_count(lang, count, max_steps)}</p>
                    <div class="actions">
                        {(count < max_steps).then(|| view! {
                            <button type="submit" class="button secondary" name="op" value="add">{t::ADD_STEP.get(lang)}</button>
                        })}
                        <button type="submit" class="button" name="op" value="save">{t::SAVE_SCENARIO.get(lang)}</button>
                    </div>
                </fieldset>
            </form>
        </main>
    }
}

// ---------------------------------------------------------------------------------------------
// Simulation

#[component]
pub fn AgentSimulationPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<SimulationView>();
    view! {
        <Title text=t::SIMULATION_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Simulation view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=t::SIMULATION_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Simulation(view: SimulationView) -> impl IntoView {
    let lang = crate::use_lang();
    let SimulationView {
        viewer,
        segment,
        debtor,
        days,
        debtors,
        capped,
        cap,
        unknown_debtor,
        rows,
        segments,
    } = view;
    let empty = rows.is_empty();
    view! {
        <PageHeader brand=viewer.brand.clone()/>
        <main id="main">
            <Top viewer lang/>
            <p><a href="/agent/reminders">{t::BACK_TO_REMINDERS.get(lang)}</a></p>
            <h1>{t::SIMULATION_TITLE.get(lang)}</h1>
            <p class="lead">{t::SIMULATION_INTRO.get(lang)}</p>
            <form method="get" action="/agent/reminders/simulation" class="stack">
                <label for="sim-segment">{t::SIM_SEGMENT.get(lang)}</label>
                <select id="sim-segment" name="segment">
                    <option value="" selected=segment.is_empty()>"—"</option>
                    {segments.into_iter().map(|s| {
                        let selected = s == segment;
                        view! { <option value=s.clone() selected=selected>{s.clone()}</option> }
                    }).collect_view()}
                </select>
                <label for="sim-debtor">{t::SIM_DEBTOR.get(lang)}</label>
                <input id="sim-debtor" name="debtor" type="text" value=debtor/>
                <button type="submit" class="button secondary">{t::SIMULATE.get(lang)}</button>
            </form>
            {unknown_debtor.then(|| view! { <p class="error" role="alert">{t::SIM_UNKNOWN_DEBTOR.get(lang)}</p> })}
            <p role="status">{t::simulated(lang, debtors, days)}</p>
            {capped.then(|| view! { <p class="notice">{t::capped(lang, cap)}</p> })}
            {if empty {
                view! { <p>{t::SIM_NOTHING.get(lang)}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" role="region" aria-labelledby="sim-caption" tabindex="0">
                        <table>
                            <caption id="sim-caption">{t::SIM_CAPTION.get(lang)}</caption>
                            <thead><tr>
                                <th scope="col">{t::SIM_DAY.get(lang)}</th>
                                <th scope="col">{t::SIM_DEBTOR_COL.get(lang)}</th>
                                <th scope="col">{t::SIM_TO.get(lang)}</th>
                                <th scope="col">{t::CHANNEL.get(lang)}</th>
                                <th scope="col">{t::SIM_STEP.get(lang)}</th>
                                <th scope="col">{t::SIM_INVOICES.get(lang)}</th>
                            </tr></thead>
                            <tbody>
                                {rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td class="num">{r.day}</td>
                                        <td>{r.debtor_name}" ("{r.debtor_reference}")"</td>
                                        <td>{if r.needs_person { t::SIM_AGENT.get(lang).to_string() } else { r.to.join(", ") }}</td>
                                        <td>{t::channel(lang, &r.channel)}</td>
                                        <td class="num">{r.step}</td>
                                        <td>{r.invoices.join(", ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }.into_any()
            }}
        </main>
    }
}
