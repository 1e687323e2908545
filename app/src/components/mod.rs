//! Pieces shared by pages: the branded header with the language switch, the footer, and
//! the form that asks for a fresh link.
use crate::i18n;
use crate::views::statement::BrandView;
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Brand for pages shown before we know who the debtor is.
pub fn neutral_brand() -> BrandView {
    BrandView {
        name: "Amiable".into(),
        logo_url: None,
        accent: "#1f5f8b".into(),
        contact_email: String::new(),
    }
}

#[component]
pub fn PageHeader(brand: BrandView, #[prop(optional)] signed_in: bool) -> impl IntoView {
    let lang = crate::use_lang();
    let accent = format!(":root{{--accent:{}}}", brand.accent);
    let name = brand.name.clone();
    view! {
        <leptos_meta::Style>{accent}</leptos_meta::Style>
        <a class="skip" href="#main">{i18n::SKIP_TO_CONTENT.get(lang)}</a>
        <header class="top">
            <div class="brand">
                {brand.logo_url.map(|src| view! { <img src=src alt="" width="40" height="40"/> })}
                <span class="brand-name">{name}</span>
            </div>
            <nav class="top-actions" aria-label=i18n::LANGUAGE.get(lang)>
                <LangSwitch/>
                {signed_in.then(|| view! {
                    <form method="post" action="/signout" class="inline">
                        <button type="submit" class="link-button">{i18n::SIGN_OUT.get(lang)}</button>
                    </form>
                })}
            </nav>
        </header>
    }
}

/// A plain link, so it works without JavaScript: the server sets the cookie and comes back.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let lang = crate::use_lang();
    let other = lang.other();
    let here = use_location().pathname.get_untracked();
    let href = format!(
        "/lang/{}?next={}",
        other.code(),
        crate::urlenc::percent_encode(&here)
    );
    view! {
        <a class="lang" href=href hreflang=other.code() lang=other.code()>
            {other.native_name()}
        </a>
    }
}

#[component]
pub fn PageFooter(brand: BrandView) -> impl IntoView {
    let lang = crate::use_lang();
    let email = brand.contact_email.clone();
    view! {
        <footer class="bottom">
            {(!email.is_empty()).then(|| view! {
                <p>{i18n::QUESTIONS.get(lang)}" "<a href=format!("mailto:{email}")>{email.clone()}</a></p>
            })}
        </footer>
    }
}

/// Asks for a fresh link by email address. A plain form: the server answers with a redirect.
/// `prefill` is what the person typed before an error, so nothing is lost.
#[component]
pub fn RenewLinkForm(
    #[prop(optional)] with_token_button: bool,
    #[prop(optional)] prefill: String,
) -> impl IntoView {
    let lang = crate::use_lang();
    // Where the server sends the person back after an error: this page, without old errors.
    let location = use_location();
    let back = match location.query.get_untracked().get("reason") {
        Some(r) => format!(
            "{}?reason={}",
            location.pathname.get_untracked(),
            crate::urlenc::percent_encode(&r)
        ),
        None => location.pathname.get_untracked(),
    };
    let back_too = back.clone();
    view! {
        {with_token_button.then(|| view! {
            <form method="post" action="/link/renew" class="stack">
                <input type="hidden" name="mode" value="token"/>
                <input type="hidden" name="back" value=back_too/>
                <button type="submit" class="button">{i18n::SEND_NEW_LINK.get(lang)}</button>
            </form>
        })}
        <form method="post" action="/link/renew" class="stack">
            <input type="hidden" name="mode" value="email"/>
            <input type="hidden" name="back" value=back/>
            <p>{i18n::OR_BY_EMAIL.get(lang)}</p>
            <label for="renew-email">{i18n::EMAIL_ADDRESS.get(lang)}</label>
            <input id="renew-email" name="email" type="email" autocomplete="email" required
                maxlength="254" value=prefill/>
            <button type="submit" class=if with_token_button { "button secondary" } else { "button" }>
                {i18n::SEND_NEW_LINK.get(lang)}
            </button>
        </form>
    }
}

/// Text for a `<textarea>`'s content. Leptos writes a textarea's children unescaped (the
/// browser reads them as raw text, as it does a script's), so a kept draft holding
/// `</textarea>` would close the element and inject markup. Escaped here; the browser turns
/// the entities back into exactly what was typed.
pub fn textarea_text(s: &str) -> String {
    escape_html(s)
}

/// Escapes text for HTML content or a quoted attribute (also the HTML part of our mails).
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
