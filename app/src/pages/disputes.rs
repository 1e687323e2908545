//! Contesting invoices: the debtor's disputes and the form (`/disputes`), and one dispute with
//! its thread (`/disputes/:id`). Server-rendered only; the forms are multipart posts to server
//! routes, answered with redirects, so they work without JavaScript.

use super::query;
use crate::components::{PageFooter, PageHeader};
use crate::domain::dispute::{DisputeReason, DisputeStatus, MAX_TEXT_CHARS};
use crate::domain::locale::{Lang, format_date, format_date_time, format_money};
use crate::domain::upload::UploadLimits;
use crate::i18n;
use crate::views::dispute::{DisputeSummary, DisputeView, DisputesView, FileView, PostView};
use crate::views::form::FormError;
use leptos::prelude::*;
use leptos_meta::Title;

const ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg";

#[component]
pub fn DisputesPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::dispute::DisputesView>();
    view! {
        <Title text=i18n::DISPUTES_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Disputes view/> }.into_any(),
            Err(e) => view! { <super::promise::Unavailable error=e title=i18n::DISPUTES_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

/// The notice a form's handler asked for: its error (from the kept draft) or its success.
pub(super) fn notice(
    lang: Lang,
    error: Option<&FormError>,
    with_files: bool,
    done: &[(&str, &'static str)],
) -> Option<(String, bool)> {
    if query("error").is_some() {
        let e = error.cloned().unwrap_or_default();
        let mut text = i18n::form_error(lang, &e.code, &e.about);
        if with_files {
            text = format!("{text} {}", i18n::reattach(lang));
        }
        return Some((text, true));
    }
    let d = query("done")?;
    done.iter()
        .find(|(code, _)| *code == d)
        .map(|(_, t)| (t.to_string(), false))
}

#[component]
pub(super) fn Notice(notice: Option<(String, bool)>) -> impl IntoView {
    notice.map(|(text, error)| view! {
        <p class=if error { "notice" } else { "notice ok" } role=if error { "alert" } else { "status" }>{text}</p>
    })
}

#[component]
fn Disputes(view: DisputesView) -> impl IntoView {
    let lang = crate::use_lang();
    let DisputesView {
        brand,
        contestable,
        disputes,
        limits,
        draft,
        today,
        submission,
    } = view;
    let input = draft.input;
    let note = notice(lang, draft.error.as_ref(), true, &[]);
    let footer = brand.clone();
    let typed_amount = |id: &str| {
        input
            .amounts
            .iter()
            .find(|(i, _)| i == id)
            .map(|(_, a)| a.clone())
            .unwrap_or_default()
    };
    view! {
        <PageHeader brand signed_in=true/>
        <main id="main" class="narrow">
            <p><a href="/statement">{"← "}{i18n::BACK_TO_STATEMENT.get(lang)}</a></p>
            <h1>{i18n::DISPUTES_TITLE.get(lang)}</h1>
            <Notice notice=note/>
            {(!disputes.is_empty()).then(|| view! {
                <section aria-labelledby="mine-h">
                    <h2 id="mine-h">{i18n::DISPUTES_MINE.get(lang)}</h2>
                    <ul class="items">
                        {disputes.into_iter().map(|d| view! { <li><DisputeCard d=d lang link=true/></li> }).collect_view()}
                    </ul>
                </section>
            })}
            <section aria-labelledby="new-h">
                <h2 id="new-h">{i18n::DISPUTE_NEW.get(lang)}</h2>
                {if contestable.is_empty() {
                    view! { <p>{i18n::DISPUTES_NONE_OPEN.get(lang)}</p> }.into_any()
                } else {
                    view! {
                        <p>{i18n::DISPUTE_INTRO.get(lang)}</p>
                        <form method="post" action="/disputes" enctype="multipart/form-data" class="stack">
                            <input type="hidden" name="submission" value=submission.clone()/>
                            <fieldset class="stack">
                                <legend>{i18n::DISPUTE_WHICH.get(lang)}</legend>
                                {contestable.iter().map(|c| {
                                    let check_id = format!("inv-{}", c.id);
                                    let checked = input.invoices.contains(&c.id);
                                    view! {
                                        <div class="check">
                                            <input type="checkbox" id=check_id.clone() name="invoice" value=c.id.clone() checked=checked/>
                                            <label for=check_id>{c.number.clone()}" — "{format_money(c.remaining, lang)}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </fieldset>
                            // Most disputes are about whole invoices: the amounts stay folded away.
                            <details open=!input.amounts.iter().all(|(_, a)| a.trim().is_empty())>
                                <summary>{i18n::DISPUTE_PART.get(lang)}</summary>
                                <div class="stack">
                                    {contestable.iter().map(|c| {
                                        let amount_id = format!("amount-{}", c.id);
                                        view! {
                                            <label for=amount_id.clone()>{i18n::DISPUTE_PART_OF.get(lang)}" "{c.number.clone()}</label>
                                            <input id=amount_id name=format!("amount_{}", c.id) type="text" inputmode="decimal" value=typed_amount(&c.id)/>
                                        }
                                    }).collect_view()}
                                </div>
                            </details>
                            <label for="reason">{i18n::DISPUTE_REASON.get(lang)}</label>
                            <select id="reason" name="reason" required>
                                <option value="">{i18n::DISPUTE_CHOOSE.get(lang)}</option>
                                {DisputeReason::ALL.into_iter().map(|r| view! {
                                    <option value=r.as_str() selected=input.reason == r.as_str()>{i18n::dispute_reason(lang, r)}</option>
                                }).collect_view()}
                            </select>
                            <label for="message">{i18n::DISPUTE_MESSAGE.get(lang)}</label>
                            <textarea id="message" name="message" rows="6" maxlength=MAX_TEXT_CHARS.to_string() required>{crate::components::textarea_text(&input.message)}</textarea>
                            <label for="paid_on">{i18n::DISPUTE_PAID_ON.get(lang)}</label>
                            <input id="paid_on" name="paid_on" type="date" max=today.to_string() value=input.paid_on.clone()/>
                            <FileInput limits lang/>
                            <button type="submit" class="button">{i18n::DISPUTE_SEND.get(lang)}</button>
                        </form>
                    }.into_any()
                }}
            </section>
        </main>
        <PageFooter brand=footer/>
    }
}

#[component]
pub(super) fn FileInput(limits: UploadLimits, lang: Lang) -> impl IntoView {
    (limits.max_files > 0).then(|| view! {
        <label for="files">{i18n::DISPUTE_FILES.get(lang)}</label>
        <input id="files" name="files" type="file" multiple accept=ACCEPT aria-describedby="files-hint"/>
        <p id="files-hint" class="muted">{i18n::limits_hint(lang, limits.max_files, limits.max_bytes)}</p>
    })
}

/// A dispute's facts. In a list (`link`) its heading is an h3 under the list's h2; alone on its
/// page, an h2 under the page's h1.
#[component]
pub(super) fn DisputeCard(d: DisputeSummary, lang: Lang, link: bool) -> impl IntoView {
    let heading = format!("dispute-h-{}", d.id);
    let labelled = heading.clone();
    let href = format!("/disputes/{}", d.id);
    let badge = if d.status == DisputeStatus::Open {
        "badge"
    } else if d.status == DisputeStatus::Rejected {
        "badge late"
    } else {
        "badge ok"
    };
    view! {
        <article class="card item" aria-labelledby=labelled>
            {
                let title = view! {
                    {d.invoices.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ")}" — "{i18n::dispute_reason(lang, d.reason)}" "
                    <span class=badge>{i18n::dispute_status(lang, d.status)}</span>
                };
                if link { view! { <h3 id=heading class="sub">{title}</h3> }.into_any() } else { view! { <h2 id=heading class="sub">{title}</h2> }.into_any() }
            }
            <dl>
                <div><dt>{i18n::DISPUTE_CONTESTED.get(lang)}</dt><dd class="num strong">{format_money(d.contested, lang)}</dd></div>
                {(d.credited.minor > 0).then(|| view! { <div><dt>{i18n::DISPUTE_CREDITED.get(lang)}</dt><dd class="num">{format_money(d.credited, lang)}</dd></div> })}
                <div><dt>{i18n::DISPUTE_OPENED_ON.get(lang)}</dt><dd class="num">{format_date(d.opened_on, lang)}</dd></div>
                {d.paid_on.map(|p| view! { <div><dt>{i18n::DISPUTE_PAID_ON_SHORT.get(lang)}</dt><dd class="num">{format_date(p, lang)}</dd></div> })}
                {d.owner.clone().map(|o| view! { <div><dt>{i18n::AGENT_OWNER.get(lang)}</dt><dd>{o}</dd></div> })}
            </dl>
            {link.then(|| view! { <p><a class="button small secondary" href=href>{i18n::DISPUTE_OPEN_ONE.get(lang)}<span class="visually-hidden">" — "{d.invoices.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>().join(", ")}</span></a></p> })}
        </article>
    }
}

/// A thread: each post as text (never HTML), with its files. `file_base` is where files are
/// served for this reader (`/documents/attachments/` or `/agent/attachments/`).
#[component]
pub(super) fn Thread(posts: Vec<PostView>, lang: Lang, file_base: &'static str) -> impl IntoView {
    view! {
        <ol class="timeline thread">
            {posts.into_iter().map(|p| {
                let who = if p.from_debtor {
                    if file_base.starts_with("/agent") { i18n::AGENT_DEBTOR_SAYS.get(lang).to_string() } else { i18n::DISPUTE_YOU.get(lang).to_string() }
                } else if p.author.is_empty() {
                    i18n::DISPUTE_TEAM.get(lang).to_string()
                } else {
                    p.author.clone()
                };
                view! {
                    <li class=if p.internal { "post internal" } else { "post" }>
                        <p class="muted"><strong>{who}</strong>" — "<time class="num" datetime=p.at.format("%Y-%m-%dT%H:%M").to_string()>{format_date_time(p.at, lang)}</time>
                            {p.internal.then(|| view! { " "<span class="badge">{i18n::DISPUTE_NOTE_BADGE.get(lang)}</span> })}
                        </p>
                        <p class="quote">{p.body}</p>
                        {(!p.files.is_empty()).then(|| view! {
                            <ul class="files">
                                {p.files.into_iter().map(|f: FileView| view! {
                                    <li><a href=format!("{file_base}{}", f.id) download>{f.name}</a>" "<span class="muted">{format!("({})", i18n::file_size(lang, f.size))}</span></li>
                                }).collect_view()}
                            </ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn DisputePage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::dispute::DisputeView>();
    view! {
        <Title text=i18n::DISPUTES_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Dispute view/> }.into_any(),
            Err(e) => view! { <super::promise::Unavailable error=e title=i18n::DISPUTES_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Dispute(view: DisputeView) -> impl IntoView {
    let lang = crate::use_lang();
    let DisputeView {
        brand,
        dispute,
        posts,
        limits,
        draft,
        submission,
    } = view;
    let note = notice(
        lang,
        draft.error.as_ref(),
        true,
        &[
            ("opened", i18n::DISPUTE_OPENED.get(lang)),
            ("sent", i18n::DISPUTE_SENT.get(lang)),
        ],
    );
    let open = dispute.status == DisputeStatus::Open;
    let action = format!("/disputes/{}/reply", dispute.id);
    let footer = brand.clone();
    view! {
        <PageHeader brand signed_in=true/>
        <main id="main" class="narrow">
            <p><a href="/disputes">{"← "}{i18n::DISPUTE_BACK.get(lang)}</a></p>
            <h1>{i18n::AGENT_DISPUTE.get(lang)}</h1>
            <Notice notice=note/>
            <DisputeCard d=dispute lang link=false/>
            <section aria-labelledby="thread-h">
                <h2 id="thread-h">{i18n::DISPUTE_THREAD.get(lang)}</h2>
                <Thread posts lang file_base="/documents/attachments/"/>
            </section>
            {if open {
                view! {
                    <form method="post" action=action enctype="multipart/form-data" class="stack">
                        <input type="hidden" name="submission" value=submission.clone()/>
                        <label for="message">{i18n::DISPUTE_REPLY.get(lang)}</label>
                        <textarea id="message" name="message" rows="4" maxlength=MAX_TEXT_CHARS.to_string() required>{crate::components::textarea_text(&draft.text)}</textarea>
                        <FileInput limits lang/>
                        <button type="submit" class="button">{i18n::DISPUTE_REPLY_SEND.get(lang)}</button>
                    </form>
                }.into_any()
            } else {
                view! { <p class="muted">{i18n::DISPUTE_CLOSED_NOTE.get(lang)}" "<a href="/messages">{i18n::MESSAGES_ACTION.get(lang)}</a></p> }.into_any()
            }}
        </main>
        <PageFooter brand=footer/>
    }
}
