//! The creditor's schedule rules by balance band: admins change them, other agents read them.
//! Server-rendered only; the form posts to `/agent/rules` (server route), one fieldset per band.

use super::agent::AgentNav;
use super::agent_cases::NotSignedIn;
use super::query;
use crate::components::PageHeader;
use crate::domain::money::{Currency, Money};
use crate::domain::schedule::BandRule;
use crate::i18n;
use crate::views::agent::RulesView;
use leptos::prelude::*;
use leptos_meta::Title;

/// Rows offered: the creditor's bands, then empty ones up to this many.
const ROWS: usize = 6;

#[component]
pub fn AgentRulesPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::agent::RulesView>();
    view! {
        <Title text=i18n::RULES_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Rules view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=i18n::RULES_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

/// A money field's value as typed back into the form: "500.00", or empty for none.
fn amount_text(m: Option<Money>) -> String {
    m.filter(|m| m.minor != 0)
        .map(|m| m.to_decimal_string())
        .unwrap_or_default()
}

fn percent_text(bp: u32) -> String {
    if bp.is_multiple_of(100) {
        (bp / 100).to_string()
    } else {
        format!("{}.{:02}", bp / 100, bp % 100)
    }
}

#[component]
fn Rules(view: RulesView) -> impl IntoView {
    let lang = crate::use_lang();
    let RulesView {
        brand,
        agent_name,
        role,
        may_edit,
        rules,
        reminder_days,
        grace_days,
        promise_horizon_days,
        upload_max_files,
        upload_max_bytes,
        owners,
    } = view;
    let currency = rules
        .bands
        .first()
        .map_or(Currency::Eur, |b| b.from.currency);
    let notice = match query("error").as_deref() {
        Some("forbidden") => Some((i18n::RULES_ONLY_ADMINS.get(lang).to_string(), true)),
        Some(code @ ("owner" | "settings" | "not_found" | "internal")) => {
            Some((i18n::action_error(lang, code).to_string(), true))
        }
        Some(code) => Some((
            i18n::rules_form_error(
                lang,
                code,
                query("band").and_then(|b| b.parse().ok()).unwrap_or(0),
            ),
            true,
        )),
        None => query("done").map(|_| (i18n::RULES_SAVED.get(lang).to_string(), false)),
    };
    let rows: Vec<Option<BandRule>> = (0..ROWS).map(|i| rules.bands.get(i).cloned()).collect();
    view! {
        <PageHeader brand/>
        <main id="main">
            <AgentNav agent_name role lang/>
            <h1>{i18n::RULES_TITLE.get(lang)}</h1>
            <p>{i18n::RULES_INTRO.get(lang)}</p>
            {notice.map(|(text, error)| view! {
                <p class=if error { "notice" } else { "notice ok" } role=if error { "alert" } else { "status" }>{text}</p>
            })}
            {(!may_edit).then(|| view! { <p class="notice">{i18n::RULES_ONLY_ADMINS.get(lang)}</p> })}
            <form method="post" action="/agent/rules" class="stack">
                <fieldset disabled=!may_edit class="stack">
                    <label for="rules-currency">{i18n::RULES_CURRENCY.get(lang)}</label>
                    <select id="rules-currency" name="currency">
                        {[Currency::Eur, Currency::Gbp, Currency::Usd, Currency::Chf, Currency::Jpy].into_iter().map(|c| view! {
                            <option value=c.code() selected=c == currency>{c.code()}</option>
                        }).collect_view()}
                    </select>
                    {rows.into_iter().enumerate().map(|(i, band)| {
                        let id = |name: &str| format!("{name}_{i}");
                        let b = band.clone();
                        view! {
                            <fieldset class="stack band">
                                <legend>{i18n::rules_band(lang, i + 1)}</legend>
                                <label for=id("to")>{i18n::RULES_UP_TO.get(lang)}</label>
                                <input id=id("to") name=id("to") type="text" inputmode="decimal" value=amount_text(b.as_ref().and_then(|b| b.to))/>
                                <label for=id("max_instalments")>{i18n::RULES_MAX_INSTALMENTS.get(lang)}</label>
                                <input id=id("max_instalments") name=id("max_instalments") type="number" min="1" max="60" value=b.as_ref().map(|b| b.max_instalments.to_string()).unwrap_or_default()/>
                                <label for=id("max_days")>{i18n::RULES_MAX_DAYS.get(lang)}</label>
                                <input id=id("max_days") name=id("max_days") type="number" min="0" max="1096" value=b.as_ref().map(|b| b.max_duration_days.to_string()).unwrap_or_default()/>
                                <label for=id("min_instalment")>{i18n::RULES_MIN_INSTALMENT.get(lang)}</label>
                                <input id=id("min_instalment") name=id("min_instalment") type="text" inputmode="decimal" value=amount_text(b.as_ref().map(|b| b.min_instalment))/>
                                <label for=id("down_pct")>{i18n::RULES_DOWN_PCT.get(lang)}</label>
                                <input id=id("down_pct") name=id("down_pct") type="text" inputmode="decimal" value=b.as_ref().map(|b| percent_text(b.min_down_payment_bp)).unwrap_or_default()/>
                                <label for=id("first_within")>{i18n::RULES_FIRST_WITHIN.get(lang)}</label>
                                <input id=id("first_within") name=id("first_within") type="number" min="0" max="1096" value=b.as_ref().map(|b| b.first_payment_within_days.to_string()).unwrap_or_default()/>
                                <div class="check">
                                    <input type="checkbox" id=id("auto") name=id("auto") value="1" checked=b.as_ref().is_some_and(|b| b.auto_accept)/>
                                    <label for=id("auto")>{i18n::RULES_AUTO.get(lang)}</label>
                                </div>
                            </fieldset>
                        }
                    }).collect_view()}
                    <label for="reminder-days">{i18n::RULES_REMINDER_DAYS.get(lang)}</label>
                    <input id="reminder-days" name="reminder_days" type="number" min="0" max="60" value=reminder_days.to_string()/>
                    <label for="grace-days">{i18n::RULES_GRACE_DAYS.get(lang)}</label>
                    <input id="grace-days" name="grace_days" type="number" min="0" max="90" value=grace_days.to_string()/>
                    <button type="submit" class="button">{i18n::RULES_SAVE.get(lang)}</button>
                </fieldset>
            </form>
            <section aria-labelledby="cases-h">
                <h2 id="cases-h">{i18n::CASE_SETTINGS_TITLE.get(lang)}</h2>
                <form method="post" action="/agent/settings/cases" class="stack">
                    <fieldset disabled=!may_edit class="stack">
                        <legend class="visually-hidden">{i18n::CASE_SETTINGS_TITLE.get(lang)}</legend>
                        <label for="horizon">{i18n::CASE_HORIZON.get(lang)}</label>
                        <input id="horizon" name="horizon_days" type="number" min="1" max="365" required value=promise_horizon_days.to_string()/>
                        <label for="max-files">{i18n::CASE_MAX_FILES.get(lang)}</label>
                        <input id="max-files" name="max_files" type="number" min="0" max="5" required value=upload_max_files.to_string()/>
                        <label for="max-mb">{i18n::CASE_MAX_MB.get(lang)}</label>
                        <input id="max-mb" name="max_mb" type="number" min="1" max="5" required value=(upload_max_bytes / (1024 * 1024)).max(1).to_string()/>
                        <button type="submit" class="button">{i18n::CASE_SAVE.get(lang)}</button>
                    </fieldset>
                </form>
            </section>
            <section aria-labelledby="owners-h">
                <h2 id="owners-h">{i18n::OWNERS_TITLE.get(lang)}</h2>
                <p>{i18n::OWNERS_INTRO.get(lang)}</p>
                {owners.is_empty().then(|| view! { <p class="muted">{i18n::OWNERS_NONE.get(lang)}</p> })}
                <ul class="settled-list">
                    {owners.into_iter().map(|o| {
                        let action = format!("/agent/owners/{}/remove", o.id);
                        view! {
                            <li><span class="line">
                                <span>{o.name.clone()}" <"{o.email}">"</span>
                                {may_edit.then(|| view! {
                                    <form method="post" action=action class="inline">
                                        <button type="submit" class="link-button">{i18n::OWNERS_REMOVE.get(lang)}<span class="visually-hidden">" "{o.name}</span></button>
                                    </form>
                                })}
                            </span></li>
                        }
                    }).collect_view()}
                </ul>
                {may_edit.then(|| view! {
                    <form method="post" action="/agent/owners" class="stack">
                        <label for="owner-name">{i18n::OWNERS_NAME.get(lang)}</label>
                        <input id="owner-name" name="name" type="text" maxlength="100" required/>
                        <label for="owner-email">{i18n::OWNERS_EMAIL.get(lang)}</label>
                        <input id="owner-email" name="email" type="email" required/>
                        <button type="submit" class="button secondary">{i18n::OWNERS_ADD.get(lang)}</button>
                    </form>
                })}
            </section>
        </main>
    }
}
