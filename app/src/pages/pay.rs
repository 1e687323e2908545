use crate::components::{PageFooter, PageHeader, neutral_brand};
use crate::domain::locale::{Lang, format_date, format_money};
use crate::domain::money::Money;
use crate::domain::payment::{PayableInvoice, PaymentPlan};
use crate::error::AppError;
use crate::i18n;
use crate::views::payment::{CardView, PayRequest, PayView, TransferView};
use leptos::prelude::*;
use leptos_meta::Title;

/// What to pay and how: the payment's effect on each invoice, then card (with JavaScript)
/// and bank transfer (always, so it works with JavaScript off).
#[component]
pub fn PayPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::payment::PayView>();
    view! {
        <Title text=i18n::PAY_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Pay view/> }.into_any(),
            Err(e) => view! { <Unavailable error=e/> }.into_any(),
        }}
    }
}

#[component]
pub(crate) fn Unavailable(error: AppError) -> impl IntoView {
    let lang = crate::use_lang();
    super::set_error_status(&error);
    let message = match error {
        AppError::Unauthorized => i18n::SESSION_EXPIRED.get(lang),
        AppError::NotFound => i18n::NOT_FOUND.get(lang),
        _ => i18n::SOMETHING_WRONG.get(lang),
    };
    let unauthorized = error == AppError::Unauthorized;
    view! {
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::PAY_TITLE.get(lang)}</h1>
            <p class="notice" role="alert">{message}</p>
            {unauthorized.then(|| view! { <crate::components::RenewLinkForm/> })}
        </main>
    }
}

#[component]
fn Pay(view: PayView) -> impl IntoView {
    let lang = crate::use_lang();
    let PayView {
        brand,
        request,
        payable,
        minimum,
        plan,
        other_currencies,
        transfer,
        card,
    } = view;
    let no_means = transfer.is_none() && card.is_none();
    let brand_footer = brand.clone();
    view! {
        <PageHeader brand signed_in=true/>
        <main id="main">
            <p><a href="/statement">{"← "}{i18n::BACK_TO_STATEMENT.get(lang)}</a></p>
            <h1>{i18n::PAY_TITLE.get(lang)}</h1>
            {match plan {
                Err(e) => view! {
                    <p class="notice" role="alert">{i18n::pay_error(lang, &e)}</p>
                }.into_any(),
                Ok(plan) => view! {
                    <PlanSummary plan=plan.clone() lang/>
                    {no_means.then(|| view! { <p class="notice">{i18n::NO_PAYMENT_MEANS.get(lang)}</p> })}
                    {card.map(|card| view! { <CardForm card plan=plan.clone() request=request.clone() lang/> })}
                    {transfer.map(|t| view! { <TransferDetails t lang/> })}
                }.into_any(),
            }}
            <section aria-labelledby="change-h" class="card">
                <h2 id="change-h">{i18n::PAY_CHANGE.get(lang)}</h2>
                <PayChoice payable minimum lang/>
                {(!other_currencies.is_empty()).then(|| view! {
                    <p>{i18n::PAY_OTHER_CURRENCIES.get(lang)}" "
                        {other_currencies.iter().map(|c| view! {
                            <a class="button secondary small" href=format!("/pay?mode=all&currency={}", c.code())>{c.code()}</a>" "
                        }).collect_view()}
                    </p>
                })}
            </section>
        </main>
        <PageFooter brand=brand_footer/>
    }
}

#[component]
fn PlanSummary(plan: PaymentPlan, lang: Lang) -> impl IntoView {
    view! {
        <section aria-labelledby="summary-h" class="card">
            <h2 id="summary-h">{i18n::PAY_SUMMARY.get(lang)}</h2>
            <p class="big-amount">{format_money(plan.amount, lang)}</p>
            <SettledList lines=plan.lines.iter().map(|l| (l.number.clone(), l.amount, Some(l.remaining_after))).collect() lang/>
            <p>{i18n::PAY_BALANCE_AFTER.get(lang)}{i18n::colon(lang)}<strong class="num">{format_money(plan.balance_after, lang)}</strong></p>
        </section>
    }
}

/// Invoice by invoice, what a payment settles and (when known) what each keeps: a list, not a
/// table, so it reads on a 320 px phone and aloud.
#[component]
pub(crate) fn SettledList(lines: Vec<(String, Money, Option<Money>)>, lang: Lang) -> impl IntoView {
    view! {
        <h3 id="settles-h" class="sub">{i18n::PAY_SETTLES.get(lang)}</h3>
        <ul class="settled-list" aria-labelledby="settles-h">
            {lines.into_iter().map(|(number, paid, left)| view! {
                <li>
                    <span class="line">
                        <span class="strong">{format!("{} {number}", i18n::PAY_INVOICE.get(lang))}</span>
                        <span class="num">{format_money(paid, lang)}</span>
                    </span>
                    {left.map(|left| if left.is_zero() {
                        view! { <span class="muted">{i18n::PAY_SETTLED_IN_FULL.get(lang)}</span> }.into_any()
                    } else {
                        view! { <span class="muted">{i18n::PAY_LEFT_AFTER.get(lang)}{i18n::colon(lang)}{format_money(left, lang)}</span> }.into_any()
                    })}
                </li>
            }).collect_view()}
        </ul>
    }
}

/// Hidden until `/pay.js` has loaded Stripe.js: without JavaScript the debtor sees the
/// transfer details instead. The attempt id is fresh for each page, so a double-click on
/// Pay starts one attempt.
#[component]
fn CardForm(card: CardView, plan: PaymentPlan, request: PayRequest, lang: Lang) -> impl IntoView {
    let nonce = leptos::nonce::use_nonce();
    let button = i18n::pay_amount_button(lang, &format_money(plan.amount, lang));
    view! {
        <section aria-labelledby="card-h" class="card" id="card-pay" hidden
            data-key=card.publishable_key data-attempt=card.attempt_id data-request=request.to_query() data-stripe-js=card.stripe_js_url
            data-working=i18n::CARD_WORKING.get(lang) data-lang=lang.code()
            data-declined=i18n::card_failure(lang, "card_declined") data-error=i18n::card_failure(lang, "unreachable")>
            <h2 id="card-h">{i18n::PAY_BY_CARD.get(lang)}</h2>
            <p class="muted">{i18n::CARD_SAFE.get(lang)}</p>
            <form id="card-form" class="stack">
                <label id="card-label" for="card-element">{i18n::CARD_DETAILS.get(lang)}</label>
                <div id="card-element" class="card-field" aria-labelledby="card-label"></div>
                // Paying an instalment: the debtor may let the next ones be charged on their dates.
                {(!request.schedule.is_empty()).then(|| view! {
                    <div class="check">
                        <input type="checkbox" id="save-card"/>
                        <label for="save-card">{i18n::SCHEDULE_SAVE_CARD.get(lang)}</label>
                    </div>
                })}
                <p id="card-message" class="notice" role="alert" hidden></p>
                <button type="submit" id="card-submit" class="button">{button}</button>
            </form>
            <script src=crate::ports::asset("pay.js") nonce=nonce defer></script>
        </section>
    }
}

#[component]
fn TransferDetails(t: TransferView, lang: Lang) -> impl IntoView {
    let TransferView {
        beneficiary,
        iban,
        bic,
        reference,
        amount,
        qr_svg,
    } = t;
    view! {
        <section aria-labelledby="transfer-h" class="card">
            <h2 id="transfer-h">{i18n::PAY_BY_TRANSFER.get(lang)}</h2>
            <p>{i18n::TRANSFER_INTRO.get(lang)}</p>
            <dl class="facts">
                <div><dt>{i18n::BENEFICIARY.get(lang)}</dt><dd>{beneficiary}</dd></div>
                <div><dt>{i18n::IBAN.get(lang)}</dt><dd class="mono">{iban}</dd></div>
                {bic.map(|b| view! { <div><dt>{i18n::BIC.get(lang)}</dt><dd class="mono">{b}</dd></div> })}
                <div><dt>{i18n::PAY_AMOUNT_LABEL.get(lang)}</dt><dd class="num strong">{format_money(amount, lang)}</dd></div>
                <div><dt>{i18n::TRANSFER_REFERENCE.get(lang)}</dt><dd class="mono strong">{reference}</dd></div>
            </dl>
            {qr_svg.map(|svg| view! {
                <figure class="qr">
                    // Our own SVG, drawn by the server from the payload above: no outside input.
                    <div class="qr-image" inner_html=svg></div>
                    <figcaption>{i18n::QR_CAPTION.get(lang)}</figcaption>
                </figure>
            })}
        </section>
    }
}

/// The three ways to say what to pay: everything, ticked invoices, or an amount. Plain GET
/// forms to `/pay`, so they work without JavaScript.
#[component]
pub(crate) fn PayChoice(payable: Vec<PayableInvoice>, minimum: Money, lang: Lang) -> impl IntoView {
    let currency = payable
        .first()
        .map(|p| p.remaining.currency.code())
        .unwrap_or("EUR");
    let total: i64 = payable.iter().map(|p| p.remaining.minor).sum();
    let has_items = !payable.is_empty();
    let hint = format!(
        "{} {}",
        i18n::PAY_OLDEST_FIRST.get(lang),
        i18n::pay_minimum(lang, &format_money(minimum, lang))
    );
    view! {
        {has_items.then(|| view! {
            <p><a class="button" href=format!("/pay?mode=all&currency={currency}")>{i18n::PAY_ALL.get(lang)}</a></p>
            <form method="get" action="/pay" class="stack">
                <input type="hidden" name="mode" value="invoices"/>
                <input type="hidden" name="currency" value=currency/>
                <fieldset>
                    <legend>{i18n::PAY_CHOOSE_INVOICES.get(lang)}</legend>
                    {payable.iter().map(|p| {
                        let id = format!("pay-{}", p.id);
                        view! {
                            <div class="check">
                                <input type="checkbox" name="invoice" value=p.id.clone() id=id.clone()/>
                                <label for=id>
                                    {format!("{} {}", i18n::PAY_INVOICE.get(lang), p.number)}" — "
                                    <span class="num">{format_money(p.remaining, lang)}</span>
                                    <span class="muted">" ("{i18n::DUE.get(lang)}" "{format_date(p.due_date, lang)}")"</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <button type="submit" class="button secondary">{i18n::PAY_SELECTED.get(lang)}</button>
            </form>
            <form method="get" action="/pay" class="stack">
                <input type="hidden" name="mode" value="amount"/>
                <input type="hidden" name="currency" value=currency/>
                <label for="pay-amount">{i18n::PAY_OTHER_AMOUNT.get(lang)}" ("{currency}")"</label>
                <p id="pay-amount-hint" class="muted">{hint.clone()}</p>
                <input id="pay-amount" name="amount" type="text" inputmode="decimal" autocomplete="off"
                    maxlength="20" aria-describedby="pay-amount-hint" data-total=total.to_string()/>
                <button type="submit" class="button secondary">{i18n::PAY_THIS_AMOUNT.get(lang)}</button>
            </form>
        })}
    }
}
