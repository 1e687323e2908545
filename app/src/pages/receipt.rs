use super::pay::{SettledList, Unavailable};
use crate::components::{PageFooter, PageHeader};
use crate::domain::locale::{format_date, format_money};
use crate::i18n;
use crate::views::payment::ReceiptView;
use leptos::prelude::*;
use leptos_meta::Title;

/// After a card payment: what was received, what it settled, and the PDF receipt.
#[component]
pub fn ReceiptPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::payment::ReceiptView>();
    view! {
        <Title text=i18n::RECEIPT_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Receipt view/> }.into_any(),
            Err(e) => view! { <Unavailable error=e/> }.into_any(),
        }}
    }
}

#[component]
fn Receipt(view: ReceiptView) -> impl IntoView {
    let lang = crate::use_lang();
    let ReceiptView {
        brand,
        debtor_name,
        payment_id,
        received_on,
        amount,
        method,
        reference,
        lines,
        credit,
        balance_after,
    } = view;
    let pdf = format!("/documents/receipts/{payment_id}.pdf");
    let brand_footer = brand.clone();
    view! {
        <PageHeader brand signed_in=true/>
        <main id="main">
            <h1>{i18n::RECEIPT_TITLE.get(lang)}</h1>
            <p class="lead">{i18n::greeting(lang, &debtor_name)}</p>
            <section aria-labelledby="receipt-h" class="card">
                <h2 id="receipt-h">{i18n::RECEIPT_AMOUNT.get(lang)}</h2>
                <p class="big-amount">{format_money(amount, lang)}</p>
                <dl class="facts">
                    <div><dt>{i18n::RECEIVED_ON.get(lang)}</dt><dd><time datetime=received_on.to_string()>{format_date(received_on, lang)}</time></dd></div>
                    <div><dt>{i18n::METHOD.get(lang)}</dt><dd>{i18n::payment_method(lang, &method)}</dd></div>
                    {(!reference.is_empty()).then(|| view! { <div><dt>{i18n::REFERENCE.get(lang)}</dt><dd class="mono">{reference}</dd></div> })}
                </dl>
                {(!lines.is_empty()).then(|| view! {
                    <SettledList lines=lines.into_iter().map(|(n, m)| (n, m, None)).collect() lang/>
                })}
                {(credit.minor > 0).then(|| view! {
                    <p>{i18n::RECEIPT_CREDIT.get(lang)}{i18n::colon(lang)}<strong class="num">{format_money(credit, lang)}</strong></p>
                })}
                <p>{i18n::PAY_BALANCE_AFTER.get(lang)}{i18n::colon(lang)}<strong class="num">{format_money(balance_after, lang)}</strong></p>
                <p class="muted">{i18n::RECEIPT_EMAILED.get(lang)}</p>
                <a class="button" href=pdf>{i18n::RECEIPT_PDF.get(lang)}</a>
            </section>
            <p><a href="/statement">{"← "}{i18n::BACK_TO_STATEMENT.get(lang)}</a></p>
        </main>
        <PageFooter brand=brand_footer/>
    }
}
