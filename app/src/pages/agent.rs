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

/// Links between the back office's pages, and sign-out.
#[component]
pub(super) fn AgentNav(
    agent_name: String,
    role: Role,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    view! {
        <nav class="agent-nav" aria-label=i18n::AGENT_NAV.get(lang)>
            <a href="/agent">{i18n::AGENT_DEBTORS_TITLE.get(lang)}</a>
            <a href="/agent/queue">{i18n::AGENT_QUEUE_TITLE.get(lang)}</a>
            <a href="/agent/rules">{i18n::RULES_NAV.get(lang)}</a>
            <a href="/agent/reminders">{i18n::scenarios::REMINDERS_NAV.get(lang)}</a>
            {(role == Role::Admin).then(|| view! { <a href="/agent/invite">{i18n::AGENT_TEAM.get(lang)}</a> })}
            <form method="post" action="/agent/logout" class="inline">
                <span class="muted">{agent_name}" ("{i18n::role(lang, role)}") "</span>
                <button type="submit" class="link-button">{i18n::SIGN_OUT.get(lang)}</button>
            </form>
        </nav>
    }
}

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
            <AgentNav agent_name role lang/>
            <h1>{i18n::AGENT_DEBTORS_TITLE.get(lang)}</h1>
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

/// A debtor's reminders: each one's day, step, channel and status, when its link was first
/// opened and what the debtor did next.
#[component]
pub(super) fn DebtorReminders(
    reminders: Vec<crate::views::agent::ReminderLine>,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    view! {
        <section aria-labelledby="reminders-h" id="reminders">
            <h2 id="reminders-h">{w::REMINDERS_HEADING.get(lang)}</h2>
            {reminders.is_empty().then(|| view! { <p>{w::REMINDERS_NONE.get(lang)}</p> })}
            <ol class="items">
                {reminders.into_iter().map(|r| {
                    let heading = format!("reminder-{}", r.id);
                    let labelled = heading.clone();
                    let next = if r.next.is_empty() {
                        w::REMINDER_NOTHING_NEXT.get(lang).to_string()
                    } else {
                        r.next.iter().filter_map(|k| w::debtor_next(lang, k)).collect::<Vec<_>>().join(", ")
                    };
                    let letter = r.letter.then(|| format!("/agent/reminders/{}/letter", r.id));
                    view! {
                        <li>
                            <article class="card item" aria-labelledby=labelled>
                                <h3 id=heading class="sub">
                                    {format_date(r.day, lang)}" — "{w::REMINDER_STEP.get(lang)}" "{r.step_seq}" — "{w::channel(lang, &r.channel)}
                                </h3>
                                <dl>
                                    <div><dt>{w::REMINDER_STATUS.get(lang)}</dt><dd><span class="badge">{w::status(lang, &r.status)}</span>
                                        {r.sent_at.map(|t| view! { " "<span class="num muted">{t}</span> })}</dd></div>
                                    <div><dt>{w::REMINDER_INVOICES.get(lang)}</dt><dd>{r.invoices.join(", ")}</dd></div>
                                    {(r.channel == "email" || r.channel == "formal_notice").then(|| view! {
                                        <div><dt>{w::REMINDER_OPENED.get(lang)}</dt><dd class="num">{r.opened_at.clone().unwrap_or_else(|| w::REMINDER_NOT_OPENED.get(lang).to_string())}</dd></div>
                                    })}
                                    {r.opened_at.is_some().then(|| view! {
                                        <div><dt>{w::REMINDER_NEXT.get(lang)}</dt><dd>{next}</dd></div>
                                    })}
                                </dl>
                                {letter.map(|href| view! { <p><a href=href download>{w::TASK_LETTER.get(lang)}</a></p> })}
                            </article>
                        </li>
                    }
                }).collect_view()}
            </ol>
        </section>
    }
}

/// The debtor's segment, kind and waiver of late charges; a form for agents who may decide.
#[component]
pub(super) fn ReminderProfile(
    profile: crate::views::agent::ReminderProfileView,
    debtor_id: String,
    may_decide: bool,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    let action = format!("/agent/debtors/{debtor_id}/reminder-profile");
    let crate::views::agent::ReminderProfileView {
        segment,
        segments,
        business,
        charges_waived,
    } = profile;
    view! {
        <section aria-labelledby="reminder-profile-h" id="reminder-profile">
            <h2 id="reminder-profile-h">{w::PROFILE_HEADING.get(lang)}</h2>
            {if may_decide {
                view! {
                    <form method="post" action=action class="stack">
                        <label for="profile-segment">{w::PROFILE_SEGMENT.get(lang)}</label>
                        <input id="profile-segment" name="segment" type="text" list="profile-segments" value=segment required maxlength="40" pattern="[A-Za-z0-9_\\-]+" aria-describedby="profile-segment-hint"/>
                        <p id="profile-segment-hint" class="muted">{w::PROFILE_SEGMENT_HINT.get(lang)}</p>
                        <datalist id="profile-segments">
                            {segments.into_iter().map(|s| view! { <option value=s></option> }).collect_view()}
                        </datalist>
                        <fieldset>
                            <legend>{w::PROFILE_KIND.get(lang)}</legend>
                            <label><input type="radio" name="kind" value="business" checked=business/>" "{w::PROFILE_BUSINESS.get(lang)}</label>
                            <label><input type="radio" name="kind" value="consumer" checked=!business/>" "{w::PROFILE_CONSUMER.get(lang)}</label>
                        </fieldset>
                        <label><input type="checkbox" name="waived" value="1" checked=charges_waived/>" "{w::PROFILE_WAIVED.get(lang)}</label>
                        <button type="submit" class="button secondary">{w::PROFILE_SAVE.get(lang)}</button>
                    </form>
                }.into_any()
            } else {
                view! {
                    <dl>
                        <div><dt>{w::PROFILE_SEGMENT.get(lang)}</dt><dd>{segment}</dd></div>
                        <div><dt>{w::PROFILE_KIND.get(lang)}</dt><dd>{if business { w::PROFILE_BUSINESS.get(lang) } else { w::PROFILE_CONSUMER.get(lang) }}</dd></div>
                        {charges_waived.then(|| view! { <div><dt>{w::PROFILE_WAIVED.get(lang)}</dt><dd>"✓"</dd></div> })}
                    </dl>
                }.into_any()
            }}
        </section>
    }
}

/// The pauses in force, each with a resume button, and the form to pause.
#[component]
pub(super) fn ReminderPauses(
    pauses: Vec<crate::views::agent::PauseLine>,
    open_invoices: Vec<(String, String)>,
    draft: crate::views::form::AgentDraft,
    debtor_id: String,
    may_decide: bool,
    today: chrono::NaiveDate,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    let action = format!("/agent/debtors/{debtor_id}/pauses");
    let until = if draft.amount.is_empty() {
        (today + chrono::Duration::days(14)).to_string()
    } else {
        draft.amount.clone()
    };
    let max = (today + chrono::Duration::days(366)).to_string();
    view! {
        <section aria-labelledby="pauses-h" id="pauses">
            <h2 id="pauses-h">{w::PAUSES_HEADING.get(lang)}</h2>
            {pauses.is_empty().then(|| view! { <p>{w::PAUSES_NONE.get(lang)}</p> })}
            <ul class="items">
                {pauses.into_iter().map(|p| {
                    let resume = format!("/agent/pauses/{}/resume", p.id);
                    let what = p.invoice.clone().unwrap_or_else(|| w::PAUSE_ALL.get(lang).to_string());
                    view! {
                        <li class="card item">
                            <p><strong>{what.clone()}</strong>" — "{w::PAUSE_UNTIL.get(lang)}" "<span class="num">{format_date(p.until, lang)}</span></p>
                            <p class="quote">{p.reason}</p>
                            <p class="muted">{p.at}" — "{w::PAUSE_BY.get(lang)}" "{p.by}</p>
                            {may_decide.then(|| view! {
                                <form method="post" action=resume class="inline">
                                    <button type="submit" class="button small secondary">{w::PAUSE_RESUME.get(lang)}<span class="visually-hidden">" — "{what}</span></button>
                                </form>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {may_decide.then(|| view! {
                <form method="post" action=action class="stack">
                    <label for="pause-invoice">{w::PAUSE_WHAT.get(lang)}</label>
                    <select id="pause-invoice" name="invoice">
                        <option value="" selected=draft.choice.is_empty()>{w::PAUSE_ALL.get(lang)}</option>
                        {open_invoices.into_iter().map(|(id, number)| {
                            let selected = draft.choice == id;
                            view! { <option value=id selected=selected>{number}</option> }
                        }).collect_view()}
                    </select>
                    <label for="pause-reason">{w::PAUSE_REASON.get(lang)}</label>
                    <textarea id="pause-reason" name="reason" rows="2" maxlength="500" required>{crate::components::textarea_text(&draft.text)}</textarea>
                    <label for="pause-until">{w::PAUSE_UNTIL.get(lang)}</label>
                    <input id="pause-until" name="until" type="date" value=until min=today.to_string() max=max required/>
                    <button type="submit" class="button secondary">{w::PAUSE_SUBMIT.get(lang)}</button>
                </form>
            })}
        </section>
    }
}

/// The queue's reminder tasks: a call (with what to say), a letter to print and post, a formal
/// notice to confirm; each done or skipped.
#[component]
pub(super) fn ReminderTasks(
    tasks: Vec<crate::views::agent::ReminderTaskLine>,
    may_act: bool,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    (!tasks.is_empty()).then(|| view! {
        <h2 id="reminder-tasks">{w::TASKS_HEADING.get(lang)}</h2>
        <ol class="items queue">
            {tasks.into_iter().map(|t| {
                let heading = format!("task-{}", t.id);
                let action = format!("/agent/reminders/{}/finish", t.id);
                let page = format!("/agent/debtors/{}#reminders", t.debtor_id);
                let letter = (t.channel != "phone").then(|| format!("/agent/reminders/{}/letter", t.id));
                let done = match t.channel.as_str() {
                    "formal_notice" => w::TASK_CONFIRM.get(lang),
                    "letter" => w::TASK_LETTER_SENT.get(lang),
                    _ => w::TASK_DONE.get(lang),
                };
                let who = t.debtor_name.clone();
                view! {
                    // Not an article: the debtor's own cases above are found by their name.
                    <li class="card item">
                            <h3 id=heading class="sub"><a href=page>{t.debtor_name.clone()}</a>" — "{w::channel(lang, &t.channel)}</h3>
                            <dl>
                                <div><dt>{w::REMINDER_DAY.get(lang)}</dt><dd class="num">{format_date(t.decided_on, lang)}</dd></div>
                                <div><dt>{w::REMINDER_STEP.get(lang)}</dt><dd>{t.step_seq}</dd></div>
                                <div><dt>{w::REMINDER_INVOICES.get(lang)}</dt><dd>{t.invoices.join(", ")}</dd></div>
                            </dl>
                            {(!t.script.is_empty()).then(|| view! {
                                <details open=t.channel == "phone">
                                    <summary>{w::TASK_SAY.get(lang)}</summary>
                                    <p><strong>{t.subject.clone()}</strong></p>
                                    <p class="quote">{t.script.clone()}</p>
                                </details>
                            })}
                            {letter.map(|href| view! { <p><a href=href download>{w::TASK_LETTER.get(lang)}<span class="visually-hidden">" — "{who.clone()}</span></a></p> })}
                            {may_act.then(|| view! {
                                <form method="post" action=action class="actions">
                                    <button type="submit" name="outcome" value="done" class="button small">{done}<span class="visually-hidden">" — "{t.debtor_name.clone()}</span></button>
                                    <button type="submit" name="outcome" value="skip" class="button small secondary">{w::TASK_SKIP.get(lang)}<span class="visually-hidden">" — "{t.debtor_name}</span></button>
                                </form>
                            })}
                    </li>
                }
            }).collect_view()}
        </ol>
    })
}

/// The queue's addresses that bounce: what the server answered, and a form to correct the
/// address (or confirm it), after which the refused mails go again.
#[component]
pub(super) fn Bouncing(
    lines: Vec<crate::views::agent::BouncingLine>,
    may_act: bool,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    (!lines.is_empty()).then(|| view! {
        <h2 id="bouncing">{w::BOUNCING_HEADING.get(lang)}</h2>
        <p class="muted">{w::BOUNCING_INTRO.get(lang)}</p>
        <ol class="items queue">
            {lines.into_iter().map(|l| {
                let heading = format!("bounce-{}", l.contact_id);
                let field = format!("address-{}", l.contact_id);
                let action = format!("/agent/contacts/{}/address", l.contact_id);
                let page = format!("/agent/debtors/{}", l.debtor_id);
                view! {
                    <li class="card item">
                        <h3 id=heading class="sub"><a href=page>{l.debtor_name.clone()}</a>" — "{l.email.clone()}</h3>
                        <dl>
                            <div><dt>{w::BOUNCING_CONTACT.get(lang)}</dt><dd>{l.contact_name}</dd></div>
                            <div><dt>{w::BOUNCING_ANSWER.get(lang)}</dt><dd class="quote">{l.answer}</dd></div>
                            <div><dt>{w::BOUNCING_SINCE.get(lang)}</dt><dd class="num">{l.since}</dd></div>
                        </dl>
                        {may_act.then(|| view! {
                            <form method="post" action=action class="actions">
                                <label for=field.clone()>{w::BOUNCING_ADDRESS.get(lang)}<span class="visually-hidden">" — "{l.debtor_name.clone()}</span></label>
                                <input id=field type="email" name="email" value=l.email required maxlength="254" autocomplete="off"/>
                                <button type="submit" class="button small">{w::BOUNCING_SAVE.get(lang)}<span class="visually-hidden">" — "{l.debtor_name}</span></button>
                            </form>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    })
}

/// The queue's invoices whose amicable phase is over: hand over, write off, or extend once.
#[component]
pub(super) fn PhaseOver(
    lines: Vec<crate::views::agent::PhaseOverLine>,
    may_act: bool,
    lang: crate::domain::locale::Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    (!lines.is_empty()).then(|| view! {
        <h2 id="phase-over">{w::PHASE_HEADING.get(lang)}</h2>
        <ol class="items queue">
            {lines.into_iter().map(|l| {
                let id = l.invoice_id.clone();
                let heading = format!("phase-{id}");
                let close = format!("/agent/invoices/{id}/close");
                let extend = format!("/agent/invoices/{id}/extend");
                let page = format!("/agent/debtors/{}", l.debtor_id);
                let (outcome_id, reason_id, days_id) = (format!("outcome-{id}"), format!("reason-{id}"), format!("days-{id}"));
                view! {
                    // Not an article: the debtor's own cases above are found by their name.
                    <li class="card item">
                            <h3 id=heading class="sub"><a href=page>{l.debtor_name.clone()}</a>" — "{l.number.clone()}</h3>
                            <dl>
                                <div><dt>{i18n::REFERENCE.get(lang)}</dt><dd>{l.debtor_reference}</dd></div>
                                <div><dt>{i18n::AMOUNT.get(lang)}</dt><dd class="num strong">{format_money(l.remaining, lang)}</dd></div>
                                <div><dt>{w::PHASE_ENDED_ON.get(lang)}</dt><dd class="num">{format_date(l.ended_on, lang)}</dd></div>
                            </dl>
                            {may_act.then(|| view! {
                                <form method="post" action=close class="stack">
                                    <label for=outcome_id.clone()>{w::PHASE_OUTCOME.get(lang)}</label>
                                    <select id=outcome_id name="outcome">
                                        <option value="litigation">{w::PHASE_LITIGATION.get(lang)}</option>
                                        <option value="write_off">{w::PHASE_WRITE_OFF.get(lang)}</option>
                                    </select>
                                    <label for=reason_id.clone()>{w::PHASE_REASON.get(lang)}</label>
                                    <textarea id=reason_id name="reason" rows="2" maxlength="500" required></textarea>
                                    <button type="submit" class="button small">{w::PHASE_CLOSE.get(lang)}<span class="visually-hidden">" — "{l.number.clone()}</span></button>
                                </form>
                                {if l.extended {
                                    view! { <p class="muted">{w::PHASE_EXTENDED_ONCE.get(lang)}</p> }.into_any()
                                } else {
                                    view! {
                                        <form method="post" action=extend class="stack">
                                            <label for=days_id.clone()>{w::PHASE_EXTEND_DAYS.get(lang)}</label>
                                            <input id=days_id name="days" type="number" min="1" max="180" value="15" required/>
                                            <button type="submit" class="button small secondary">{w::PHASE_EXTEND.get(lang)}<span class="visually-hidden">" — "{l.number.clone()}</span></button>
                                        </form>
                                    }.into_any()
                                }}
                            })}
                    </li>
                }
            }).collect_view()}
        </ol>
    })
}
