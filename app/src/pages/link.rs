use super::{flash_value, form_error, query};
use crate::components::{PageHeader, RenewLinkForm, neutral_brand};
use crate::i18n;
use leptos::prelude::*;
use leptos_meta::Title;

/// Shown after a link failed to open: says plainly what happened and offers a fresh link.
/// Never says whether an address or debtor exists.
#[component]
pub fn LinkProblemPage() -> impl IntoView {
    let lang = crate::use_lang();
    let reason = query("reason").unwrap_or_default();
    let (title, body, token_button) = match reason.as_str() {
        "expired" => (i18n::LINK_EXPIRED_TITLE, i18n::LINK_EXPIRED_BODY, true),
        "revoked" => (i18n::LINK_REVOKED_TITLE, i18n::LINK_REVOKED_BODY, false),
        _ => (i18n::LINK_INVALID_TITLE, i18n::LINK_INVALID_BODY, false),
    };
    view! {
        <Title text=title.get(lang)/>
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{title.get(lang)}</h1>
            {form_error(lang).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <p>{body.get(lang)}</p>
            <RenewLinkForm with_token_button=token_button prefill=flash_value()/>
        </main>
    }
}

#[component]
pub fn LinkSentPage() -> impl IntoView {
    let lang = crate::use_lang();
    view! {
        <Title text=i18n::LINK_SENT_TITLE.get(lang)/>
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::LINK_SENT_TITLE.get(lang)}</h1>
            <p role="status">{i18n::LINK_SENT_BODY.get(lang)}</p>
        </main>
    }
}
