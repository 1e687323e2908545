//! Promise to pay: an amount by a date. Server-rendered only (no Wasm), a plain form posted to
//! `/promise` (server route).

use super::{query, set_error_status};
use crate::components::{PageFooter, PageHeader, neutral_brand};
use crate::domain::locale::{Lang, format_date, format_money};
use crate::error::AppError;
use crate::i18n;
use crate::views::promise::{PromiseSummary, PromiseView};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn PromisePage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::promise::PromiseView>();
    view! {
        <Title text=i18n::PROMISE_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Promise view/> }.into_any(),
            Err(e) => view! { <Unavailable error=e title=i18n::PROMISE_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

/// A debtor's page that cannot be shown: the session expired (with the form to get a new
/// link), or something went wrong.
#[component]
pub(super) fn Unavailable(error: AppError, title: &'static str) -> impl IntoView {
    let lang = crate::use_lang();
    set_error_status(&error);
    let message = if error == AppError::Unauthorized {
        i18n::SESSION_EXPIRED.get(lang)
    } else {
        i18n::SOMETHING_WRONG.get(lang)
    };
    view! {
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{title}</h1>
            <p class="notice" role="alert">{message}</p>
            <crate::components::RenewLinkForm/>
        </main>
    }
}

fn status_text(lang: Lang, p: &PromiseSummary) -> String {
    let (amount, date) = (
        format_money(p.amount, lang),
        format_date(p.promised_for, lang),
    );
    i18n::promise_status(lang, p.status, &amount, &date)
}

#[component]
fn Promise(view: PromiseView) -> impl IntoView {
    let lang = crate::use_lang();
    let PromiseView {
        brand,
        balance,
        current,
        last,
        today,
        latest,
    } = view;
    let notice = match (query("error").as_deref(), query("done")) {
        (Some(code), _) => Some((i18n::promise_error(lang, code), true)),
        (None, Some(_)) => Some((i18n::PROMISE_DONE.get(lang).to_string(), false)),
        _ => None,
    };
    let typed_amount = query("amount")
        .or_else(|| balance.map(|b| b.to_decimal_string()))
        .unwrap_or_default();
    let typed_date = query("date").unwrap_or_default();
    let footer = brand.clone();
    view! {
        <PageHeader brand signed_in=true/>
        <main id="main" class="narrow">
            <p><a href="/statement">{"← "}{i18n::BACK_TO_STATEMENT.get(lang)}</a></p>
            <h1>{i18n::PROMISE_TITLE.get(lang)}</h1>
            {notice.map(|(text, error)| view! {
                <p class=if error { "notice" } else { "notice ok" } role=if error { "alert" } else { "status" }>{text}</p>
            })}
            {current.as_ref().map(|p| view! { <p class="card">{status_text(lang, p)}</p> })}
            {last.filter(|_| current.is_none()).map(|p| view! { <p class="muted">{status_text(lang, &p)}</p> })}
            {match (current.is_none(), balance) {
                (true, Some(b)) => view! {
                    <p>{i18n::promise_intro(lang, &format_money(b, lang), &format_date(latest, lang))}</p>
                    <form method="post" action="/promise" class="stack">
                        <label for="promise-amount">{i18n::PROMISE_AMOUNT.get(lang)}</label>
                        <input id="promise-amount" name="amount" type="text" inputmode="decimal" required value=typed_amount/>
                        <label for="promise-date">{i18n::PROMISE_DATE.get(lang)}</label>
                        <input id="promise-date" name="date" type="date" required min=today.to_string() max=latest.to_string() value=typed_date/>
                        <button type="submit" class="button">{i18n::PROMISE_SEND.get(lang)}</button>
                    </form>
                }.into_any(),
                (true, None) => view! { <p>{i18n::NOTHING_OWED.get(lang)}</p> }.into_any(),
                _ => ().into_any(),
            }}
        </main>
        <PageFooter brand=footer/>
    }
}
