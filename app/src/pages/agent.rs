//! The back office: sign-in and the list of debtors. Server-rendered only (no Wasm), plain
//! forms: it works with JavaScript off, like the debtor's pages.

use super::{flash_value, query};
use crate::components::neutral_brand;
use crate::domain::agent::Role;
use crate::domain::locale::{format_date, format_money};
use crate::error::AppError;
use crate::i18n;
use crate::views::agent::AgentHomeView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AgentLoginPage() -> impl IntoView {
    let lang = crate::use_lang();
    let notice = match query("error").as_deref() {
        Some("invalid") => Some(i18n::AGENT_LOGIN_INVALID.get(lang)),
        Some("locked") => Some(i18n::AGENT_LOGIN_LOCKED.get(lang)),
        Some("rate") => Some(i18n::TOO_MANY_REQUESTS.get(lang)),
        Some("internal") => Some(i18n::SOMETHING_WRONG.get(lang)),
        _ => None,
    };
    let signed_out = query("signed_out").is_some();
    view! {
        <Title text=i18n::AGENT_LOGIN_TITLE.get(lang)/>
        <crate::components::PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::AGENT_LOGIN_TITLE.get(lang)}</h1>
            {signed_out.then(|| view! { <p class="notice" role="status">{i18n::AGENT_SIGNED_OUT.get(lang)}</p> })}
            {notice.map(|n| view! { <p class="error" role="alert">{n}</p> })}
            <form method="post" action="/agent/login" class="stack">
                <label for="agent-email">{i18n::EMAIL_ADDRESS.get(lang)}</label>
                <input id="agent-email" name="email" type="email" autocomplete="username" required maxlength="254" value=flash_value()/>
                <label for="agent-password">{i18n::PASSWORD.get(lang)}</label>
                <input id="agent-password" name="password" type="password" autocomplete="current-password" required maxlength="1024"/>
                <button type="submit" class="button">{i18n::SIGN_IN.get(lang)}</button>
            </form>
            <p><a href="/agent/reset">{i18n::AGENT_FORGOT.get(lang)}</a></p>
        </main>
    }
}

#[component]
pub fn AgentDebtorsPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::agent::AgentHomeView>();
    view! {
        <Title text=i18n::AGENT_DEBTORS_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Debtors view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e/> }.into_any(),
        }}
    }
}

#[component]
fn NotSignedIn(error: AppError) -> impl IntoView {
    let lang = crate::use_lang();
    super::set_error_status(&error);
    let message = if error == AppError::Unauthorized {
        i18n::AGENT_NOT_SIGNED_IN.get(lang)
    } else {
        i18n::SOMETHING_WRONG.get(lang)
    };
    view! {
        <crate::components::PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::AGENT_DEBTORS_TITLE.get(lang)}</h1>
            <p class="notice" role="alert">{message}</p>
            <p><a class="button" href="/agent/login">{i18n::SIGN_IN.get(lang)}</a></p>
        </main>
    }
}

#[component]
fn Debtors(view: AgentHomeView) -> impl IntoView {
    let lang = crate::use_lang();
    let AgentHomeView {
        brand,
        agent_name,
        role,
        search,
        sort,
        debtors,
    } = view;
    let count = debtors.len();
    view! {
        <crate::components::PageHeader brand/>
        <main id="main">
            <div class="item-head">
                <h1>{i18n::AGENT_DEBTORS_TITLE.get(lang)}</h1>
                <form method="post" action="/agent/logout" class="inline">
                    <a href="/agent/queue">{i18n::AGENT_QUEUE_TITLE.get(lang)}</a>" · "
                    <a href="/agent/rules">{i18n::RULES_NAV.get(lang)}</a>" · "
                    {(role == Role::Admin).then(|| view! { <a href="/agent/invite">{i18n::AGENT_TEAM.get(lang)}</a>" · " })}
                    <span class="muted">{agent_name}" ("{i18n::role(lang, role)}") "</span>
                    <button type="submit" class="link-button">{i18n::SIGN_OUT.get(lang)}</button>
                </form>
            </div>
            <form method="get" action="/agent" class="stack search" role="search">
                <label for="agent-search">{i18n::AGENT_SEARCH.get(lang)}</label>
                <input id="agent-search" name="q" type="search" value=search maxlength="100"/>
                <label for="agent-sort">{i18n::AGENT_SORT.get(lang)}</label>
                <select id="agent-sort" name="sort">
                    <option value="balance" selected=sort == "balance">{i18n::AGENT_SORT_BALANCE.get(lang)}</option>
                    <option value="oldest" selected=sort == "oldest">{i18n::AGENT_SORT_OLDEST.get(lang)}</option>
                </select>
                <button type="submit" class="button secondary">{i18n::AGENT_SEARCH_BUTTON.get(lang)}</button>
            </form>
            <p role="status">{i18n::agent_debtor_count(lang, count)}</p>
            <ul class="items debtor-list">
                {debtors.into_iter().map(|d| {
                    let heading = format!("debtor-{}", d.id);
                    let labelled = heading.clone();
                    // One span per currency, so several amounts wrap between them on a phone.
                    let balance = if d.balances.is_empty() {
                        view! { <span>"—"</span> }.into_any()
                    } else {
                        d.balances.iter().map(|m| view! { <span class="num">{format_money(*m, lang)}</span>" " }).collect_view().into_any()
                    };
                    view! {
                        <li>
                            <article class="card item" aria-labelledby=labelled>
                                <h2 id=heading class="sub"><a href=format!("/agent/debtors/{}", d.id)>{d.name}</a></h2>
                                <dl>
                                    <div><dt>{i18n::REFERENCE.get(lang)}</dt><dd>{d.reference}</dd></div>
                                    <div><dt>{i18n::BALANCE.get(lang)}</dt><dd class="strong">{balance}</dd></div>
                                    <div><dt>{i18n::AGENT_OLDEST_DUE.get(lang)}</dt><dd class="num">{d.oldest_due.map(|x| format_date(x, lang)).unwrap_or_else(|| "—".into())}</dd></div>
                                </dl>
                            </article>
                        </li>
                    }
                }).collect_view()}
            </ul>
        </main>
    }
}

/// One form page of the back office's account flows (password, reset, invitation): a title,
/// the notice for the handler's `?error=`/`?done=` code, and the form.
#[component]
fn AccountPage(
    title: &'static str,
    notice: Option<(&'static str, bool)>,
    children: Children,
) -> impl IntoView {
    view! {
        <Title text=title/>
        <crate::components::PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{title}</h1>
            {notice.map(|(n, error)| view! {
                <p class=if error { "error" } else { "notice" } role=if error { "alert" } else { "status" }>{n}</p>
            })}
            {children()}
        </main>
    }
}

/// `/agent/password`: choose a password, after an invitation or a reset link.
#[component]
pub fn AgentPasswordPage() -> impl IntoView {
    let lang = crate::use_lang();
    let notice = match query("error").as_deref() {
        Some("short") => Some((i18n::AGENT_PASSWORD_SHORT.get(lang), true)),
        Some("mismatch") => Some((i18n::AGENT_PASSWORD_MISMATCH.get(lang), true)),
        Some("expired") => Some((i18n::AGENT_LINK_EXPIRED.get(lang), true)),
        Some(_) => Some((i18n::SOMETHING_WRONG.get(lang), true)),
        None => None,
    };
    view! {
        <AccountPage title=i18n::AGENT_PASSWORD_TITLE.get(lang) notice>
            <form method="post" action="/agent/password" class="stack">
                <label for="new-password">{i18n::AGENT_NEW_PASSWORD.get(lang)}</label>
                <input id="new-password" name="password" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"/>
                <label for="confirm-password">{i18n::AGENT_CONFIRM_PASSWORD.get(lang)}</label>
                <input id="confirm-password" name="confirm" type="password" autocomplete="new-password" required minlength="12" maxlength="1024"/>
                <button type="submit" class="button">{i18n::AGENT_SET_PASSWORD.get(lang)}</button>
            </form>
            <p><a href="/agent/reset">{i18n::AGENT_FORGOT.get(lang)}</a></p>
        </AccountPage>
    }
}

/// `/agent/reset`: ask for a password reset link by mail.
#[component]
pub fn AgentResetPage() -> impl IntoView {
    let lang = crate::use_lang();
    let notice = match (query("error").as_deref(), query("done")) {
        (Some("rate"), _) => Some((i18n::TOO_MANY_REQUESTS.get(lang), true)),
        (_, Some(_)) => Some((i18n::AGENT_RESET_SENT.get(lang), false)),
        _ => None,
    };
    view! {
        <AccountPage title=i18n::AGENT_RESET_TITLE.get(lang) notice>
            <form method="post" action="/agent/reset" class="stack">
                <label for="reset-email">{i18n::EMAIL_ADDRESS.get(lang)}</label>
                <input id="reset-email" name="email" type="email" autocomplete="username" required maxlength="254"/>
                <button type="submit" class="button">{i18n::AGENT_RESET_SEND.get(lang)}</button>
            </form>
            <p><a href="/agent/login">{i18n::SIGN_IN.get(lang)}</a></p>
        </AccountPage>
    }
}

/// `/agent/invite`: an admin invites a colleague (the handler refuses anyone else).
#[component]
pub fn AgentInvitePage() -> impl IntoView {
    let lang = crate::use_lang();
    let notice = match (query("error").as_deref(), query("done")) {
        (Some("forbidden"), _) => Some((i18n::AGENT_INVITE_FORBIDDEN.get(lang), true)),
        (Some("taken"), _) => Some((i18n::AGENT_INVITE_TAKEN.get(lang), true)),
        (Some("invalid"), _) => Some((i18n::AGENT_INVITE_INVALID.get(lang), true)),
        (Some(_), _) => Some((i18n::SOMETHING_WRONG.get(lang), true)),
        (None, Some(_)) => Some((i18n::AGENT_INVITE_SENT.get(lang), false)),
        _ => None,
    };
    view! {
        <AccountPage title=i18n::AGENT_INVITE_TITLE.get(lang) notice>
            <p><a href="/agent">{"← "}{i18n::AGENT_DEBTORS_TITLE.get(lang)}</a></p>
            <form method="post" action="/agent/invite" class="stack">
                <label for="invite-name">{i18n::AGENT_INVITE_NAME.get(lang)}</label>
                <input id="invite-name" name="name" type="text" autocomplete="off" required maxlength="100"/>
                <label for="invite-email">{i18n::EMAIL_ADDRESS.get(lang)}</label>
                <input id="invite-email" name="email" type="email" autocomplete="off" required maxlength="254"/>
                <label for="invite-role">{i18n::AGENT_INVITE_ROLE.get(lang)}</label>
                <select id="invite-role" name="role">
                    {Role::ALL.into_iter().map(|r| view! { <option value=r.as_str()>{i18n::role(lang, r)}</option> }).collect_view()}
                </select>
                <button type="submit" class="button">{i18n::AGENT_INVITE_SEND.get(lang)}</button>
            </form>
        </AccountPage>
    }
}
