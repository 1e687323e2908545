use crate::components::{PageFooter, PageHeader, neutral_brand};
use crate::domain::locale::Lang;
use crate::domain::schedule::ScheduleStatus;
use crate::error::AppError;
use crate::i18n;
use crate::islands::proposal::{Instalments, Offer, ProposalForm, Reasons};
use crate::views::schedule::{InstalmentState, ScheduleSummary, ScheduleView};
use leptos::prelude::*;
use leptos_meta::Title;

/// Propose a schedule, follow it, or answer a counter-proposal. The form is plain HTML posted
/// to the server; with JavaScript the page says, as the debtor types, whether the proposal
/// will be accepted at once or reviewed, with the same domain code the server decides with.
#[component]
pub fn SchedulePage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::schedule::ScheduleView>();
    view! {
        <Title text=i18n::SCHEDULE_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Schedule view/> }.into_any(),
            Err(e) => view! { <Unavailable error=e/> }.into_any(),
        }}
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
            {offer.map(|o| {
                provide_context(Offer::new(o, lang));
                view! { <ProposalForm/> }
            })}
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
                            <a class="button pay" href=pay_href>{i18n::schedule_pay_instalment(lang, n.seq, n.amount)}</a>" "
                        })}
                        <a class="button secondary" href=pdf>{i18n::SCHEDULE_DOWNLOAD.get(lang)}</a>
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
