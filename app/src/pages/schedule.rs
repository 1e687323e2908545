use crate::api::schedule::get_schedule;
use crate::components::{PageFooter, PageHeader, neutral_brand};
use crate::domain::locale::{Lang, format_date, format_money};
use crate::domain::proposal::{InputError, ProposalInput, read_proposal};
use crate::domain::schedule::ScheduleStatus;
use crate::domain::schedule::{Instalment, Rhythm, Verdict, check_proposal};
use crate::error::AppError;
use crate::i18n;
use crate::views::schedule::{
    InstalmentState, InstalmentView, ScheduleOffer, ScheduleSummary, ScheduleView,
};
use leptos::prelude::*;
use leptos_meta::Title;

/// Propose a schedule, follow it, or answer a counter-proposal. The form is plain HTML posted
/// to the server; with JavaScript the page says, as the debtor types, whether the proposal
/// will be accepted at once or reviewed, with the same domain code the server decides with.
#[component]
pub fn SchedulePage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = Resource::new(|| (), |_| get_schedule());
    view! {
        <Title text=i18n::SCHEDULE_TITLE.get(lang)/>
        <Suspense fallback=move || view! { <p class="loading">{i18n::LOADING.get(lang)}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Ok(view) => view! { <Schedule view/> }.into_any(),
                    Err(e) => view! { <Unavailable error=e/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Unavailable(error: AppError) -> impl IntoView {
    let lang = crate::use_lang();
    super::set_error_status(&error);
    let message = match error {
        AppError::Unauthorized => i18n::SESSION_EXPIRED.get(lang),
        _ => i18n::SOMETHING_WRONG.get(lang),
    };
    view! {
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::SCHEDULE_TITLE.get(lang)}</h1>
            <p class="notice" role="alert">{message}</p>
            <crate::components::RenewLinkForm/>
        </main>
    }
}

/// The notice a form handler asked for with `?error=…` or `?done=…`.
fn notice(lang: Lang) -> Option<(&'static str, bool)> {
    match super::query("error").as_deref() {
        Some("pending") => return Some((i18n::SCHEDULE_PENDING_ALREADY.get(lang), true)),
        Some("changed") => return Some((i18n::SCHEDULE_CHANGED.get(lang), true)),
        Some("invalid") => return Some((i18n::SCHEDULE_FIX_FORM.get(lang), true)),
        Some("internal") => return Some((i18n::SOMETHING_WRONG.get(lang), true)),
        _ => {}
    }
    match super::query("done").as_deref() {
        Some("accepted") => Some((i18n::SCHEDULE_DONE_ACCEPTED.get(lang), false)),
        Some("review") => Some((i18n::SCHEDULE_DONE_REVIEW.get(lang), false)),
        Some("withdrawn") => Some((i18n::SCHEDULE_DONE_WITHDRAWN.get(lang), false)),
        Some("declined") => Some((i18n::SCHEDULE_DONE_DECLINED.get(lang), false)),
        _ => None,
    }
}

#[component]
fn Schedule(view: ScheduleView) -> impl IntoView {
    let lang = crate::use_lang();
    let ScheduleView {
        brand,
        current,
        last_closed,
        offer,
    } = view;
    let creditor = brand.name.clone();
    let nothing = current.is_none() && offer.is_none();
    view! {
        <PageHeader brand=brand.clone() signed_in=true/>
        <main id="main">
            <p><a href="/statement">{"← "}{i18n::BACK_TO_STATEMENT.get(lang)}</a></p>
            <h1>{i18n::SCHEDULE_TITLE.get(lang)}</h1>
            {notice(lang).map(|(text, error)| view! {
                <p class=if error { "notice" } else { "notice ok" } role=if error { "alert" } else { "status" }>{text}</p>
            })}
            {current.map(|s| view! { <Current s creditor=creditor.clone() lang/> })}
            {last_closed.map(|s| view! { <Closed s lang/> })}
            {offer.map(|o| view! { <ProposalForm offer=o lang/> })}
            {nothing.then(|| view! { <p>{i18n::SCHEDULE_NOTHING.get(lang)}</p> })}
        </main>
        <PageFooter brand/>
    }
}

#[component]
fn Current(s: ScheduleSummary, creditor: String, lang: Lang) -> impl IntoView {
    let (heading, intro) = match s.state {
        ScheduleStatus::Proposed => (
            i18n::SCHEDULE_YOUR_PROPOSAL.get(lang),
            i18n::schedule_under_review(lang, &creditor),
        ),
        ScheduleStatus::Countered => (
            i18n::SCHEDULE_COUNTER.get(lang),
            i18n::schedule_counter_intro(lang, &creditor),
        ),
        _ => (
            i18n::SCHEDULE_YOURS.get(lang),
            i18n::schedule_running(lang, s.paid, s.total),
        ),
    };
    let id = s.id.clone();
    let pdf = format!("/documents/schedules/{}.pdf", s.id);
    let next = s
        .instalments
        .iter()
        .find(|i| i.state != InstalmentState::Paid)
        .cloned();
    let pay_href = format!(
        "/pay?mode=amount&currency={}&amount={}&schedule={}",
        s.total.currency.code(),
        next.as_ref()
            .map(|n| n.amount.to_decimal_string())
            .unwrap_or_default(),
        s.id
    );
    view! {
        <section aria-labelledby="current-h" class="card">
            <h2 id="current-h">{heading}</h2>
            <p>{intro}</p>
            {(!s.note.is_empty()).then(|| view! {
                <p class="quote"><strong>{i18n::SCHEDULE_AGENT_NOTE.get(lang)}{i18n::colon(lang)}</strong>{s.note.clone()}</p>
            })}
            {(s.state == ScheduleStatus::Proposed && !s.reasons.is_empty()).then(|| view! { <Reasons reasons=s.reasons.clone() lang/> })}
            {(s.state == ScheduleStatus::Accepted && s.card_saved).then(|| view! { <p class="notice ok">{i18n::SCHEDULE_CARD_SAVED.get(lang)}</p> })}
            <Instalments rows=s.instalments.clone() lang/>
            <p class="muted">{i18n::SCHEDULE_COVERS.get(lang)}{i18n::colon(lang)}
                {s.invoices.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ")}</p>
            {match s.state {
                ScheduleStatus::Proposed => view! {
                    <form method="post" action="/schedule/withdraw">
                        <input type="hidden" name="schedule" value=id/>
                        <button type="submit" class="button secondary">{i18n::SCHEDULE_WITHDRAW.get(lang)}</button>
                    </form>
                }.into_any(),
                ScheduleStatus::Countered => view! {
                    <form method="post" action="/schedule/answer" class="actions">
                        <input type="hidden" name="schedule" value=id/>
                        <button type="submit" name="answer" value="accept" class="button">{i18n::SCHEDULE_ACCEPT_COUNTER.get(lang)}</button>
                        " "
                        <button type="submit" name="answer" value="decline" class="button secondary">{i18n::SCHEDULE_DECLINE_COUNTER.get(lang)}</button>
                    </form>
                }.into_any(),
                _ => view! {
                    <p class="actions">
                        {next.map(|n| view! {
                            <a class="button pay" href=pay_href rel="external">{i18n::schedule_pay_instalment(lang, n.seq, n.amount)}</a>" "
                        })}
                        <a class="button secondary" href=pdf rel="external">{i18n::SCHEDULE_DOWNLOAD.get(lang)}</a>
                    </p>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Closed(s: ScheduleSummary, lang: Lang) -> impl IntoView {
    let text = match s.state {
        ScheduleStatus::Rejected => i18n::SCHEDULE_WAS_REJECTED.get(lang),
        ScheduleStatus::Broken => i18n::SCHEDULE_WAS_BROKEN.get(lang),
        ScheduleStatus::Completed => i18n::SCHEDULE_WAS_COMPLETED.get(lang),
        ScheduleStatus::Declined => i18n::SCHEDULE_DONE_DECLINED.get(lang),
        _ => return None,
    };
    Some(view! {
        <section aria-labelledby="closed-h" class="card">
            <h2 id="closed-h">{i18n::SCHEDULE_PREVIOUS.get(lang)}</h2>
            <p>{text}</p>
            {(!s.note.is_empty()).then(|| view! {
                <p class="quote"><strong>{i18n::SCHEDULE_AGENT_NOTE.get(lang)}{i18n::colon(lang)}</strong>{s.note.clone()}</p>
            })}
        </section>
    })
}

#[component]
fn Instalments(rows: Vec<InstalmentView>, lang: Lang) -> impl IntoView {
    view! {
        <ol class="instalments" aria-label=i18n::SCHEDULE_INSTALMENTS.get(lang)>
            {rows.into_iter().map(|i| {
                let state = match i.state {
                    InstalmentState::Paid => Some(("badge ok", i18n::SCHEDULE_PAID.get(lang))),
                    InstalmentState::Due => Some(("badge late", i18n::SCHEDULE_DUE.get(lang))),
                    InstalmentState::Upcoming => None,
                };
                view! {
                    <li class="line">
                        <time datetime=i.due_date.to_string()>{format_date(i.due_date, lang)}</time>
                        <span>
                            <span class="num strong">{format_money(i.amount, lang)}</span>
                            {state.map(|(class, text)| view! { " "<span class=class>{text}</span> })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
fn Reasons(reasons: Vec<crate::domain::schedule::Reason>, lang: Lang) -> impl IntoView {
    view! {
        <ul class="reasons">
            {reasons.iter().map(|r| view! { <li>{i18n::schedule_reason(lang, r)}</li> }).collect_view()}
        </ul>
    }
}

/// The proposal form. Every field is a named form field, so the server reads exactly what the
/// debtor sees; signals only drive the live check.
#[component]
fn ProposalForm(offer: ScheduleOffer, lang: Lang) -> impl IntoView {
    let ScheduleOffer {
        invoices,
        rules,
        today,
        input,
        returned,
    } = offer;
    let chosen = RwSignal::new(input.invoices.clone());
    let count = RwSignal::new(input.count.clone());
    let rhythm = RwSignal::new(input.rhythm.clone());
    let first = RwSignal::new(input.first.clone());
    let custom = RwSignal::new(!input.lines.is_empty());
    let lines: RwSignal<Vec<(RwSignal<String>, RwSignal<String>)>> = RwSignal::new(
        input
            .lines
            .iter()
            .map(|(d, a)| (RwSignal::new(d.clone()), RwSignal::new(a.clone())))
            .collect(),
    );
    let all = invoices.clone();
    let current_input = move || ProposalInput {
        invoices: chosen.get(),
        count: count.get(),
        rhythm: rhythm.get(),
        first: first.get(),
        lines: if custom.get() {
            lines
                .get()
                .iter()
                .map(|(d, a)| (d.get(), a.get()))
                .collect()
        } else {
            vec![]
        },
    };
    let checked = Memo::new(move |_| {
        let input = current_input();
        read_proposal(&all, &input).map_err(Some).and_then(|p| {
            check_proposal(&rules, p.total, &p.instalments, today)
                .map(|v| (p, v))
                .map_err(|e| Some(InputError::Schedule(e)))
        })
    });
    // Switching to one-by-one starts from the even split the debtor is looking at.
    let even_rows = move || -> Vec<Instalment> {
        checked
            .get_untracked()
            .map(|(p, _)| p.instalments)
            .unwrap_or_default()
    };
    let on_custom = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        if on && lines.get_untracked().is_empty() {
            lines.set(
                even_rows()
                    .into_iter()
                    .map(|i| {
                        (
                            RwSignal::new(i.due_date.to_string()),
                            RwSignal::new(i.amount.to_decimal_string()),
                        )
                    })
                    .collect(),
            );
        }
        custom.set(on);
    };
    let add_line = move |_| {
        lines.update(|l| l.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))
    };
    let min_date = today.to_string();
    view! {
        <section aria-labelledby="propose-h" class="card">
            <h2 id="propose-h">{i18n::SCHEDULE_PROPOSE.get(lang)}</h2>
            <p>{i18n::SCHEDULE_PROPOSE_INTRO.get(lang)}</p>
            <form method="post" action="/schedule/propose" class="schedule-form" novalidate>
                <fieldset>
                    <legend>{i18n::SCHEDULE_WHICH_INVOICES.get(lang)}</legend>
                    {invoices.iter().map(|inv| {
                        let id = inv.id.clone();
                        let id_check = id.clone();
                        let field_id = format!("inv-{}", inv.id);
                        view! {
                            <div class="check">
                                <input type="checkbox" name="invoice" id=field_id.clone() value=id.clone()
                                    checked=move || chosen.with(|c| c.contains(&id_check))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { c.retain(|x| x != &id); if on { c.push(id.clone()); } });
                                    }/>
                                <label for=field_id>
                                    {format!("{} {}", i18n::PAY_INVOICE.get(lang), inv.number)}" — "
                                    <span class="num">{format_money(inv.remaining, lang)}</span>
                                    <span class="muted">" ("{i18n::DUE.get(lang)}" "{format_date(inv.due_date, lang)}")"</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="fields">
                    <label for="count">{i18n::SCHEDULE_COUNT.get(lang)}</label>
                    <input id="count" name="count" type="number" inputmode="numeric" min="1" max="60" value=count
                        on:input=move |ev| count.set(event_target_value(&ev))/>
                    <label for="rhythm">{i18n::SCHEDULE_RHYTHM.get(lang)}</label>
                    <select id="rhythm" name="rhythm" on:change=move |ev| rhythm.set(event_target_value(&ev))>
                        {[Rhythm::Monthly, Rhythm::Fortnightly, Rhythm::Weekly].into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || rhythm.get() == r.as_str()>{i18n::rhythm(lang, r)}</option>
                        }).collect_view()}
                    </select>
                    <label for="first">{i18n::SCHEDULE_FIRST.get(lang)}</label>
                    <input id="first" name="first" type="date" min=min_date value=first
                        on:input=move |ev| first.set(event_target_value(&ev))/>
                </div>
                <div class="check">
                    <input type="checkbox" id="mode" name="mode" value="custom" checked=custom on:change=on_custom/>
                    <label for="mode">{i18n::SCHEDULE_ONE_BY_ONE.get(lang)}</label>
                </div>
                <Show when=move || custom.get()>
                    <fieldset class="lines">
                        <legend>{i18n::SCHEDULE_INSTALMENTS.get(lang)}</legend>
                        {move || lines.get().into_iter().enumerate().map(|(n, (d, a))| {
                            let (did, aid) = (format!("due-{n}"), format!("amount-{n}"));
                            view! {
                                <div class="line-edit">
                                    <label for=did.clone()>{i18n::schedule_instalment_n(lang, n + 1)}" — "{i18n::SCHEDULE_DATE.get(lang)}</label>
                                    <input id=did name="due" type="date" value=d on:input=move |ev| d.set(event_target_value(&ev))/>
                                    <label for=aid.clone()>{i18n::AMOUNT.get(lang)}</label>
                                    <input id=aid name="amount" type="text" inputmode="decimal" value=a on:input=move |ev| a.set(event_target_value(&ev))/>
                                </div>
                            }
                        }).collect_view()}
                        <button type="button" class="button secondary small" on:click=add_line>{i18n::SCHEDULE_ADD_LINE.get(lang)}</button>
                    </fieldset>
                </Show>
                <div class="verdict" aria-live="polite" data-returned=returned.to_string()>
                    {move || match checked.get() {
                        Err(None) => ().into_any(),
                        Err(Some(e)) => view! { <p class="notice" id="proposal-check">{i18n::proposal_error(lang, &e)}</p> }.into_any(),
                        Ok((p, verdict)) => view! {
                            <h3 class="sub">{i18n::SCHEDULE_PREVIEW.get(lang)}</h3>
                            <Instalments rows=p.instalments.iter().enumerate().map(|(n, i)| InstalmentView {
                                seq: n as u32 + 1, due_date: i.due_date, amount: i.amount, state: InstalmentState::Upcoming,
                            }).collect() lang/>
                            {match verdict {
                                Verdict::AcceptAtOnce => view! {
                                    <p class="notice ok" id="proposal-check">{i18n::SCHEDULE_WILL_ACCEPT.get(lang)}</p>
                                }.into_any(),
                                Verdict::Review(reasons) => view! {
                                    <div class="notice" id="proposal-check">
                                        <p>{i18n::SCHEDULE_WILL_REVIEW.get(lang)}</p>
                                        <Reasons reasons lang/>
                                    </div>
                                }.into_any(),
                            }}
                        }.into_any(),
                    }}
                </div>
                <p class="actions">
                    <button type="submit" name="action" value="send" class="button">{i18n::SCHEDULE_SEND.get(lang)}</button>
                    " "
                    <button type="submit" name="action" value="check" class="button secondary">{i18n::SCHEDULE_CHECK.get(lang)}</button>
                </p>
            </form>
        </section>
    }
}
