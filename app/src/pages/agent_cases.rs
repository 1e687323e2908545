//! The back office's queue and debtor page, with the decisions on schedules. Server-rendered
//! only, plain forms posted to `/agent/schedules/…` (server routes), answered with redirects.

use super::query;
use crate::components::{PageHeader, neutral_brand};
use crate::domain::locale::{Lang, format_date, format_money};
use crate::domain::schedule::Rhythm;
use crate::domain::schedule::ScheduleStatus;
use crate::error::AppError;
use crate::i18n;
use crate::views::agent::{AgentDebtorView, QueueView};
use crate::views::schedule::{InstalmentState, ScheduleSummary};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub(super) fn NotSignedIn(error: AppError, title: &'static str) -> impl IntoView {
    let lang = crate::use_lang();
    super::set_error_status(&error);
    let message = match error {
        AppError::Unauthorized => i18n::AGENT_NOT_SIGNED_IN.get(lang),
        AppError::NotFound => i18n::NOT_FOUND.get(lang),
        _ => i18n::SOMETHING_WRONG.get(lang),
    };
    view! {
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{title}</h1>
            <p class="notice" role="alert">{message}</p>
            <p><a class="button" href="/agent/login">{i18n::SIGN_IN.get(lang)}</a></p>
        </main>
    }
}

/// The notice a decision's handler asked for.
fn decision_notice(lang: Lang) -> Option<(&'static str, bool)> {
    let error = match query("error").as_deref() {
        Some("conflict") => Some(i18n::AGENT_ERR_CONFLICT.get(lang)),
        Some("note") => Some(i18n::AGENT_ERR_NOTE.get(lang)),
        Some("counter") => Some(i18n::AGENT_ERR_COUNTER.get(lang)),
        Some("forbidden") => Some(i18n::AGENT_ERR_FORBIDDEN.get(lang)),
        Some(code) => Some(
            i18n::reminder_actions::action_error(lang, code)
                .unwrap_or_else(|| i18n::action_error(lang, code)),
        ),
        None => None,
    };
    error.map(|e| (e, true)).or_else(|| {
        query("done").map(|d| {
            if d == "reminders" {
                (i18n::reminder_actions::REMINDER_DONE.get(lang), false)
            } else {
                (i18n::AGENT_DONE.get(lang), false)
            }
        })
    })
}

#[component]
pub fn AgentQueuePage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::agent::QueueView>();
    view! {
        <Title text=i18n::AGENT_QUEUE_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Queue view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=i18n::AGENT_QUEUE_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Queue(view: QueueView) -> impl IntoView {
    let lang = crate::use_lang();
    let QueueView {
        brand,
        agent_name,
        role,
        lines,
        missed_promises,
        disputes,
        unread,
        reminder_tasks,
        phase_over,
        bouncing,
    } = view;
    let may_act = role.may_decide();
    let mut counts: Vec<(ScheduleStatus, usize)> = Vec::new();
    for l in &lines {
        match counts.iter_mut().find(|(s, _)| *s == l.state) {
            Some((_, n)) => *n += 1,
            None => counts.push((l.state, 1)),
        }
    }
    let total = lines.len()
        + missed_promises.len()
        + disputes.len()
        + unread.len()
        + reminder_tasks.len()
        + phase_over.len()
        + bouncing.len();
    let unread_total: i64 = unread.iter().map(|u| u.unread).sum();
    view! {
        <PageHeader brand/>
        <main id="main">
            <super::agent::AgentNav agent_name role lang/>
            <h1>{i18n::AGENT_QUEUE_TITLE.get(lang)}" "<span class="count">{format!("({total})")}</span></h1>
            {decision_notice(lang).map(|(text, error)| view! {
                <p class=if error { "notice" } else { "notice ok" } role=if error { "alert" } else { "status" }>{text}</p>
            })}
            {(total == 0).then(|| view! { <p role="status">{i18n::AGENT_QUEUE_EMPTY.get(lang)}</p> })}
            {(!counts.is_empty() || !disputes.is_empty() || unread_total > 0).then(|| view! {
                // A list keeps its list role (and its items their meaning) inside a live region.
                <div role="status">
                    <ul class="counts">
                        {counts.into_iter().map(|(s, n)| view! { <li>{format!("{} : {n}", i18n::schedule_state(lang, s))}</li> }).collect_view()}
                        {(!disputes.is_empty()).then(|| view! { <li>{format!("{} : {}", i18n::AGENT_DISPUTES.get(lang), disputes.len())}</li> })}
                        {(unread_total > 0).then(|| view! { <li>{i18n::unread_count(lang, unread_total)}</li> })}
                    </ul>
                </div>
            })}
            <super::agent::ReminderTasks tasks=reminder_tasks may_act lang/>
            <super::agent::PhaseOver lines=phase_over may_act lang/>
            <super::agent::Bouncing lines=bouncing may_act lang/>
            {(!disputes.is_empty()).then(|| view! {
                <h2>{i18n::AGENT_DISPUTES_OPEN.get(lang)}</h2>
                <ol class="items queue">
                    {disputes.into_iter().map(|l| {
                        let heading = format!("dispute-{}", l.dispute.id);
                        let labelled = heading.clone();
                        let href = format!("/agent/disputes/{}", l.dispute.id);
                        let numbers = l.dispute.invoices.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ");
                        view! {
                            <li>
                                <article class="card item" aria-labelledby=labelled>
                                    <h3 id=heading class="sub">{l.debtor_name.clone()}" — "{i18n::dispute_reason(lang, l.dispute.reason)}</h3>
                                    <dl>
                                        <div><dt>{i18n::REFERENCE.get(lang)}</dt><dd>{l.debtor_reference}</dd></div>
                                        <div><dt>{i18n::DISPUTE_CONTESTED.get(lang)}</dt><dd><span class="num strong">{format_money(l.dispute.contested, lang)}</span>" — "{numbers}</dd></div>
                                        <div><dt>{i18n::AGENT_OWNER.get(lang)}</dt><dd>{l.dispute.owner.clone().unwrap_or_else(|| i18n::AGENT_NO_OWNER.get(lang).to_string())}</dd></div>
                                        <div><dt>{i18n::AGENT_WAITING_SINCE.get(lang)}</dt><dd class="num">{l.waiting_since}</dd></div>
                                    </dl>
                                    <p><a class="button small" href=href>{i18n::AGENT_OPEN_CASE.get(lang)}<span class="visually-hidden">" — "{l.debtor_name}</span></a></p>
                                </article>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            {(!unread.is_empty()).then(|| view! {
                <h2>{i18n::AGENT_UNREAD.get(lang)}</h2>
                <ol class="items queue">
                    {unread.into_iter().map(|u| {
                        let href = format!("/agent/debtors/{}#messages", u.debtor_id);
                        view! {
                            <li class="card item">
                                <p><strong>{u.debtor_name.clone()}</strong>" ("{u.debtor_reference}") — "{i18n::unread_count(lang, u.unread)}" — "
                                    <span class="num muted">{u.waiting_since}</span></p>
                                <p><a class="button small" href=href>{i18n::AGENT_OPEN_CASE.get(lang)}<span class="visually-hidden">" — "{u.debtor_name}</span></a></p>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
            <ol class="items queue">
                {lines.into_iter().map(|l| {
                    let heading = format!("case-{}", l.schedule_id);
                    let labelled = heading.clone();
                    let href = format!("/agent/debtors/{}#schedule-{}", l.debtor_id, l.schedule_id);
                    view! {
                        <li>
                            <article class="card item" aria-labelledby=labelled>
                                <h2 id=heading class="sub">{l.debtor_name.clone()}" — "{i18n::schedule_state(lang, l.state)}</h2>
                                <dl>
                                    <div><dt>{i18n::REFERENCE.get(lang)}</dt><dd>{l.debtor_reference}</dd></div>
                                    <div><dt>{i18n::AMOUNT.get(lang)}</dt><dd class="num strong">{format_money(l.total, lang)}</dd></div>
                                    <div><dt>{i18n::AGENT_WAITING_SINCE.get(lang)}</dt><dd class="num">{l.waiting_since}</dd></div>
                                </dl>
                                {(!l.reasons.is_empty()).then(|| view! {
                                    <ul class="reasons">{l.reasons.iter().map(|r| view! { <li>{i18n::schedule_reason(lang, r)}</li> }).collect_view()}</ul>
                                })}
                                <p><a class="button small" href=href>{i18n::AGENT_OPEN_CASE.get(lang)}<span class="visually-hidden">" — "{l.debtor_name}</span></a></p>
                            </article>
                        </li>
                    }
                }).collect_view()}
            </ol>
            {(!missed_promises.is_empty()).then(|| view! {
                <h2>{i18n::PROMISES_MISSED.get(lang)}</h2>
                <ol class="items queue">
                    {missed_promises.into_iter().map(|p| {
                        let heading = format!("promise-{}", p.promise_id);
                        let labelled = heading.clone();
                        let action = format!("/agent/promises/{}/handled", p.promise_id);
                        let href = format!("/agent/debtors/{}", p.debtor_id);
                        view! {
                            <li>
                                <article class="card item" aria-labelledby=labelled>
                                    <h3 id=heading class="sub">{p.debtor_name.clone()}" — "{i18n::PROMISES_MISSED_ONE.get(lang)}</h3>
                                    <dl>
                                        <div><dt>{i18n::REFERENCE.get(lang)}</dt><dd>{p.debtor_reference}</dd></div>
                                        <div><dt>{i18n::AMOUNT.get(lang)}</dt><dd class="num strong">{format_money(p.amount, lang)}</dd></div>
                                        <div><dt>{i18n::PROMISE_DATE.get(lang)}</dt><dd class="num">{format_date(p.promised_for, lang)}</dd></div>
                                    </dl>
                                    <p class="actions">
                                        <a class="button small secondary" href=href>{i18n::AGENT_OPEN_CASE.get(lang)}<span class="visually-hidden">" — "{p.debtor_name}</span></a>
                                        {may_act.then(|| view! {
                                            <form method="post" action=action class="inline">
                                                <button type="submit" class="button small">{i18n::AGENT_HANDLED.get(lang)}</button>
                                            </form>
                                        })}
                                    </p>
                                </article>
                            </li>
                        }
                    }).collect_view()}
                </ol>
            })}
        </main>
    }
}

#[component]
pub fn AgentDebtorPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::agent::AgentDebtorView>();
    view! {
        <Title text=i18n::AGENT_DEBTOR.get(lang)/>
        {match data {
            Ok(view) => view! { <DebtorCase view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=i18n::AGENT_DEBTOR.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn DebtorCase(view: AgentDebtorView) -> impl IntoView {
    let lang = crate::use_lang();
    let AgentDebtorView {
        brand,
        agent_name,
        role,
        may_decide,
        debtor_id,
        debtor_name,
        reference,
        statement,
        schedules,
        timeline,
        today,
        disputes,
        messages,
        answer_draft,
        profile,
        reminders,
        pauses,
        open_invoices,
        pause_draft,
    } = view;
    let answer = format!("/agent/debtors/{debtor_id}/messages");
    view! {
        <PageHeader brand/>
        <main id="main">
            <super::agent::AgentNav agent_name role lang/>
            <h1>{debtor_name}</h1>
            <p class="lead">{i18n::REFERENCE.get(lang)}" "{reference}</p>
            {decision_notice(lang).map(|(text, error)| view! {
                <p class=if error { "notice" } else { "notice ok" } role=if error { "alert" } else { "status" }>{text}</p>
            })}
            <section aria-labelledby="balance-h" class="card">
                <h2 id="balance-h">{i18n::BALANCE.get(lang)}</h2>
                <ul class="totals">
                    {statement.totals.iter().map(|t| view! {
                        <li>
                            <span class="big-amount">{format_money(t.balance, lang)}</span>
                            {(!t.overdue.is_zero()).then(|| view! { <span class="overdue-line">" — "{i18n::OVERDUE.get(lang)}" "{format_money(t.overdue, lang)}</span> })}
                        </li>
                    }).collect_view()}
                </ul>
                <h3 class="sub">{i18n::AGENT_OPEN_ITEMS.get(lang)}</h3>
                <ul class="settled-list">
                    {statement.items.iter().map(|i| view! {
                        <li><span class="line">
                            <span>{i18n::document_kind(lang, i.invoice.kind)}" "{i.invoice.number.clone()}" — "{format_date(i.invoice.due_date, lang)}" — "{i18n::status(lang, i.invoice.status)}</span>
                            <span class="num">{format_money(i.invoice.remaining, lang)}</span>
                        </span></li>
                    }).collect_view()}
                </ul>
            </section>
            <super::agent::DebtorReminders reminders lang/>
            <super::agent::ReminderPauses pauses open_invoices draft=pause_draft debtor_id=debtor_id.clone() may_decide today lang/>
            <super::agent::ReminderProfile profile debtor_id=debtor_id.clone() may_decide lang/>
            <section aria-labelledby="schedules-h">
                <h2 id="schedules-h">{i18n::AGENT_SCHEDULES.get(lang)}</h2>
                {schedules.is_empty().then(|| view! { <p>{i18n::AGENT_NO_SCHEDULE.get(lang)}</p> })}
                {schedules.into_iter().map(|s| view! { <ScheduleCase s may_decide debtor_id=debtor_id.clone() today lang/> }).collect_view()}
            </section>
            <section aria-labelledby="disputes-h">
                <h2 id="disputes-h">{i18n::AGENT_DISPUTES.get(lang)}</h2>
                {disputes.is_empty().then(|| view! { <p>{i18n::AGENT_NO_DISPUTE.get(lang)}</p> })}
                <ul class="items">
                    {disputes.into_iter().map(|d| {
                        let href = format!("/agent/disputes/{}", d.id);
                        let label = d.invoices.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ");
                        view! {
                            <li class="card item">
                                <a href=href>{label}</a>" — "{i18n::dispute_reason(lang, d.reason)}" — "{format_money(d.contested, lang)}" — "
                                <span class="badge">{i18n::dispute_status(lang, d.status)}</span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="messages">
                <h2 id="messages">{i18n::AGENT_MESSAGES.get(lang)}</h2>
                {messages.is_empty().then(|| view! { <p>{i18n::MESSAGES_NONE.get(lang)}</p> })}
                {(!messages.is_empty()).then(|| view! { <super::disputes::Thread posts=messages lang file_base="/agent/attachments/"/> })}
                {may_decide.then(|| view! {
                    <form method="post" action=answer class="stack">
                        <label for="answer">{i18n::AGENT_ANSWER.get(lang)}</label>
                        <textarea id="answer" name="message" rows="4" maxlength="4000" required>{crate::components::textarea_text(&answer_draft.text)}</textarea>
                        <button type="submit" class="button secondary">{i18n::AGENT_ANSWER_SEND.get(lang)}</button>
                    </form>
                })}
            </section>
            <section aria-labelledby="timeline-h">
                <h2 id="timeline-h">{i18n::AGENT_TIMELINE.get(lang)}</h2>
                <ol class="timeline">
                    {timeline.into_iter().rev().map(|e| view! {
                        <li>
                            <span class="num muted">{e.at}</span>" "
                            <strong>{i18n::reminder_actions::event_kind(lang, &e.kind).map(String::from).unwrap_or_else(|| i18n::event_kind(lang, &e.kind))}</strong>
                            " — "{e.actor}
                            {(!e.detail.is_empty()).then(|| view! { <span>" — "{e.detail}</span> })}
                        </li>
                    }).collect_view()}
                </ol>
            </section>
        </main>
    }
}

#[component]
fn ScheduleCase(
    s: ScheduleSummary,
    may_decide: bool,
    debtor_id: String,
    today: chrono::NaiveDate,
    lang: Lang,
) -> impl IntoView {
    let anchor = format!("schedule-{}", s.id);
    let heading = format!("schedule-h-{}", s.id);
    let labelled = heading.clone();
    let action = format!("/agent/schedules/{}/decide", s.id);
    let handled = format!("/agent/schedules/{}/handled", s.id);
    let decide = s.state == ScheduleStatus::Proposed;
    let follow_up =
        s.needs_agent && matches!(s.state, ScheduleStatus::Broken | ScheduleStatus::Declined);
    let first = today
        .checked_add_days(chrono::Days::new(7))
        .unwrap_or(today)
        .to_string();
    let count = s.instalments.len().to_string();
    view! {
        <article class="card" id=anchor aria-labelledby=labelled>
            <h3 id=heading class="sub">{format_money(s.total, lang)}" — "{i18n::schedule_state(lang, s.state)}</h3>
            <p class="muted">{format_date(s.proposed_on, lang)}" — "{i18n::SCHEDULE_COVERS.get(lang)}{i18n::colon(lang)}
                {s.invoices.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ")}</p>
            {(decide && !s.reasons.is_empty()).then(|| view! {
                <p>{i18n::AGENT_REASONS.get(lang)}{i18n::colon(lang)}</p>
                <ul class="reasons">{s.reasons.iter().map(|r| view! { <li>{i18n::schedule_reason(lang, r)}</li> }).collect_view()}</ul>
            })}
            {(!s.note.is_empty()).then(|| view! { <p class="quote">{s.note.clone()}</p> })}
            <ol class="instalments">
                {s.instalments.iter().map(|i| view! {
                    <li class="line">
                        <time datetime=i.due_date.to_string()>{format_date(i.due_date, lang)}</time>
                        <span>
                            <span class="num strong">{format_money(i.amount, lang)}</span>
                            {(i.state == InstalmentState::Paid).then(|| view! { " "<span class="badge ok">{i18n::SCHEDULE_PAID.get(lang)}</span> })}
                            {(i.state == InstalmentState::Due).then(|| view! { " "<span class="badge late">{i18n::SCHEDULE_DUE.get(lang)}</span> })}
                        </span>
                    </li>
                }).collect_view()}
            </ol>
            {(decide && !may_decide).then(|| view! { <p class="notice">{i18n::AGENT_READ_ONLY.get(lang)}</p> })}
            {(decide && may_decide).then(|| view! {
                <form method="post" action=action.clone() class="stack">
                    <input type="hidden" name="debtor" value=debtor_id.clone()/>
                    <button type="submit" name="decision" value="accept" class="button">{i18n::AGENT_ACCEPT.get(lang)}</button>
                </form>
                <form method="post" action=action.clone() class="stack">
                    <input type="hidden" name="debtor" value=debtor_id.clone()/>
                    <label for=format!("reject-{}", s.id)>{i18n::AGENT_REJECT_REASON.get(lang)}</label>
                    <textarea id=format!("reject-{}", s.id) name="note" rows="3" maxlength="2000" required></textarea>
                    <button type="submit" name="decision" value="reject" class="button secondary">{i18n::AGENT_REJECT.get(lang)}</button>
                </form>
                <details>
                    <summary>{i18n::AGENT_COUNTER.get(lang)}</summary>
                    <form method="post" action=action class="stack">
                        <input type="hidden" name="debtor" value=debtor_id.clone()/>
                        <label for=format!("count-{}", s.id)>{i18n::SCHEDULE_COUNT.get(lang)}</label>
                        <input id=format!("count-{}", s.id) name="count" type="number" min="1" max="60" value=count required/>
                        <label for=format!("rhythm-{}", s.id)>{i18n::SCHEDULE_RHYTHM.get(lang)}</label>
                        <select id=format!("rhythm-{}", s.id) name="rhythm">
                            {[Rhythm::Monthly, Rhythm::Fortnightly, Rhythm::Weekly].into_iter().map(|r| view! {
                                <option value=r.as_str()>{i18n::rhythm(lang, r)}</option>
                            }).collect_view()}
                        </select>
                        <label for=format!("first-{}", s.id)>{i18n::SCHEDULE_FIRST.get(lang)}</label>
                        <input id=format!("first-{}", s.id) name="first" type="date" value=first min=today.to_string() required/>
                        <label for=format!("note-{}", s.id)>{i18n::AGENT_COUNTER_NOTE.get(lang)}</label>
                        <textarea id=format!("note-{}", s.id) name="note" rows="3" maxlength="2000"></textarea>
                        <button type="submit" name="decision" value="counter" class="button secondary">{i18n::AGENT_COUNTER.get(lang)}</button>
                    </form>
                </details>
            })}
            {(follow_up && may_decide).then(|| view! {
                <form method="post" action=handled class="stack">
                    <input type="hidden" name="debtor" value=debtor_id.clone()/>
                    <button type="submit" class="button secondary">{i18n::AGENT_HANDLED.get(lang)}</button>
                </form>
            })}
        </article>
    }
}
