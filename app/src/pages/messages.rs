//! Writing to the creditor's collection team (`/messages`): the conversation and a plain form
//! posted to `/messages` (server route). Server-rendered only.

use super::disputes::{Notice, Thread, notice};
use crate::components::{PageFooter, PageHeader};
use crate::domain::dispute::MAX_TEXT_CHARS;
use crate::i18n;
use crate::views::message::MessagesView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MessagesPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::message::MessagesView>();
    view! {
        <Title text=i18n::MESSAGES_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Messages view/> }.into_any(),
            Err(e) => view! { <super::promise::Unavailable error=e title=i18n::MESSAGES_TITLE.get(lang)/> }.into_any(),
        }}
    }
}

#[component]
fn Messages(view: MessagesView) -> impl IntoView {
    let lang = crate::use_lang();
    let MessagesView {
        brand,
        messages,
        draft,
        submission,
    } = view;
    let note = notice(
        lang,
        draft.error.as_ref(),
        false,
        &[("sent", i18n::MESSAGES_SENT.get(lang))],
    );
    let footer = brand.clone();
    // After an error the draft comes back; after a success it is gone.
    let text = if super::query("error").is_some() {
        draft.text
    } else {
        String::new()
    };
    view! {
        <PageHeader brand signed_in=true/>
        <main id="main" class="narrow">
            <p><a href="/statement">{"← "}{i18n::BACK_TO_STATEMENT.get(lang)}</a></p>
            <h1>{i18n::MESSAGES_TITLE.get(lang)}</h1>
            <Notice notice=note/>
            {if messages.is_empty() {
                view! { <p class="muted">{i18n::MESSAGES_NONE.get(lang)}</p> }.into_any()
            } else {
                view! { <Thread posts=messages lang file_base="/documents/attachments/"/> }.into_any()
            }}
            <form method="post" action="/messages" class="stack">
                <input type="hidden" name="submission" value=submission.clone()/>
                <label for="message">{i18n::MESSAGES_LABEL.get(lang)}</label>
                <textarea id="message" name="message" rows="5" maxlength=MAX_TEXT_CHARS.to_string() required>{crate::components::textarea_text(&text)}</textarea>
                <button type="submit" class="button">{i18n::DISPUTE_REPLY_SEND.get(lang)}</button>
            </form>
        </main>
        <PageFooter brand=footer/>
    }
}
