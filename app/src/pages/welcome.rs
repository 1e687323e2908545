use super::{flash_value, form_error, query};
use crate::components::{PageHeader, RenewLinkForm, neutral_brand};
use crate::i18n;
use leptos::prelude::*;
use leptos_meta::Title;

/// Where a person lands without a session: after signing out, or with an old bookmark.
#[component]
pub fn WelcomePage() -> impl IntoView {
    let lang = crate::use_lang();
    let notice = match query("why").as_deref() {
        Some("signed_out") => Some(i18n::SIGNED_OUT.get(lang)),
        Some("session") => Some(i18n::SESSION_EXPIRED.get(lang)),
        _ => None,
    };
    view! {
        <Title text=i18n::WELCOME_TITLE.get(lang)/>
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::WELCOME_TITLE.get(lang)}</h1>
            {notice.map(|n| view! { <p class="notice" role="status">{n}</p> })}
            {form_error(lang).map(|e| view! { <p class="error" role="alert">{e}</p> })}
            <p>{i18n::WELCOME_BODY.get(lang)}</p>
            <RenewLinkForm prefill=flash_value()/>
        </main>
    }
}

#[component]
pub fn NotFoundPage() -> impl IntoView {
    let lang = crate::use_lang();
    #[cfg(feature = "ssr")]
    if let Some(res) = use_context::<leptos_axum::ResponseOptions>() {
        res.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=i18n::NOT_FOUND.get(lang)/>
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::NOT_FOUND.get(lang)}</h1>
            <p>{i18n::WELCOME_BODY.get(lang)}</p>
        </main>
    }
}
