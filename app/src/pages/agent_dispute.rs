//! One dispute in the back office (`/agent/disputes/:id`): the whole thread with internal notes,
//! and the forms to give it to an owner, write, and resolve it. Server-rendered only.

use super::agent::AgentNav;
use super::agent_cases::NotSignedIn;
use super::disputes::{DisputeCard, Thread};
use super::query;
use crate::components::PageHeader;
use crate::domain::dispute::{DisputeStatus, MAX_TEXT_CHARS};
use crate::i18n;
use crate::views::dispute::AgentDisputeView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn AgentDisputePage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::dispute::AgentDisputeView>();
    view! {
        <Title text=i18n::AGENT_DISPUTE.get(lang)/>
        {match data {
            Ok(view) => view! { <Case view/> }.into_any(),
            Err(e) => view! { <NotSignedIn error=e title=i18n::AGENT_DISPUTE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Case(view: AgentDisputeView) -> impl IntoView {
    let lang = crate::use_lang();
    let AgentDisputeView {
        brand,
        agent_name,
        role,
        may_act,
        debtor_id,
        debtor_name,
        reference,
        dispute,
        posts,
        owners,
        limits,
        post_draft,
        resolve_draft,
    } = view;
    let notice = match query("error") {
        Some(code) => Some((i18n::action_error(lang, &code).to_string(), true)),
        None => query("done").map(|_| (i18n::AGENT_DONE.get(lang).to_string(), false)),
    };
    let open = dispute.status == DisputeStatus::Open;
    let base = format!("/agent/disputes/{}", dispute.id);
    let debtor_href = format!("/agent/debtors/{debtor_id}");
    view! {
        <PageHeader brand/>
        <main id="main">
            <AgentNav agent_name role lang/>
            <h1>{i18n::AGENT_DISPUTE.get(lang)}" — "{debtor_name.clone()}</h1>
            <p class="lead"><a href=debtor_href>{debtor_name}</a>" — "{i18n::REFERENCE.get(lang)}" "{reference}</p>
            <super::disputes::Notice notice/>
            <DisputeCard d=dispute.clone() lang link=false/>
            <section aria-labelledby="thread-h">
                <h2 id="thread-h">{i18n::DISPUTE_THREAD.get(lang)}</h2>
                <Thread posts lang file_base="/agent/attachments/"/>
            </section>
            {(!may_act).then(|| view! { <p class="notice">{i18n::AGENT_READ_ONLY.get(lang)}</p> })}
            {may_act.then(|| view! {
                <section aria-labelledby="write-h" class="card">
                    <h2 id="write-h" class="sub">{i18n::AGENT_POST.get(lang)}</h2>
                    <form method="post" action=format!("{base}/post") enctype="multipart/form-data" class="stack">
                        <fieldset class="stack">
                            <legend class="visually-hidden">{i18n::AGENT_POST.get(lang)}</legend>
                            <div class="check"><input type="radio" id="vis-internal" name="visibility" value="internal" checked=post_draft.choice != "public"/><label for="vis-internal">{i18n::AGENT_POST_INTERNAL.get(lang)}</label></div>
                            <div class="check"><input type="radio" id="vis-public" name="visibility" value="public" checked=post_draft.choice == "public"/><label for="vis-public">{i18n::AGENT_POST_PUBLIC.get(lang)}</label></div>
                        </fieldset>
                        <label for="post-text">{i18n::DISPUTE_REPLY.get(lang)}</label>
                        <textarea id="post-text" name="message" rows="4" maxlength=MAX_TEXT_CHARS.to_string() required>{crate::components::textarea_text(&post_draft.text)}</textarea>
                        <super::disputes::FileInput limits lang/>
                        <button type="submit" class="button secondary">{i18n::DISPUTE_REPLY_SEND.get(lang)}</button>
                    </form>
                </section>
                {open.then(|| view! {
                    <section aria-labelledby="assign-h" class="card">
                        <h2 id="assign-h" class="sub">{i18n::AGENT_ASSIGN.get(lang)}</h2>
                        {if owners.is_empty() {
                            view! { <p class="muted">{i18n::OWNERS_NONE.get(lang)}" "<a href="/agent/rules#owners-h">{i18n::OWNERS_TITLE.get(lang)}</a></p> }.into_any()
                        } else {
                            view! {
                                <form method="post" action=format!("{base}/assign") class="stack">
                                    <label for="owner">{i18n::AGENT_OWNER.get(lang)}</label>
                                    <select id="owner" name="owner">
                                        {owners.into_iter().map(|o| view! { <option value=o.id>{o.name}" <"{o.email}">"</option> }).collect_view()}
                                    </select>
                                    <button type="submit" class="button secondary">{i18n::AGENT_ASSIGN.get(lang)}</button>
                                </form>
                            }.into_any()
                        }}
                    </section>
                    <section aria-labelledby="resolve-h" class="card">
                        <h2 id="resolve-h" class="sub">{i18n::AGENT_RESOLVE.get(lang)}</h2>
                        <form method="post" action=format!("{base}/resolve") class="stack">
                            <label for="outcome">{i18n::AGENT_OUTCOME.get(lang)}</label>
                            <select id="outcome" name="outcome">
                                {["rejected", "partly_accepted", "accepted"].into_iter().map(|o| view! { <option value=o selected=resolve_draft.choice == o>{i18n::outcome(lang, o)}</option> }).collect_view()}
                            </select>
                            <label for="amount">{i18n::AGENT_PART_AMOUNT.get(lang)}</label>
                            <input id="amount" name="amount" type="text" inputmode="decimal" value=resolve_draft.amount.clone()/>
                            <label for="explanation">{i18n::AGENT_EXPLANATION.get(lang)}</label>
                            <textarea id="explanation" name="explanation" rows="4" maxlength=MAX_TEXT_CHARS.to_string()>{crate::components::textarea_text(&resolve_draft.text)}</textarea>
                            <button type="submit" class="button">{i18n::AGENT_RESOLVE_SEND.get(lang)}</button>
                        </form>
                    </section>
                })}
            })}
        </main>
    }
}
