use crate::components::{PageFooter, PageHeader, neutral_brand};
use crate::domain::invoice::{DocumentKind, InvoiceStatus};
use crate::domain::locale::{Lang, format_date, format_money};
use crate::domain::money::Money;
use crate::domain::statement::{CurrencyTotals, DueTiming, PaymentFacts, StatementItem};
use crate::error::AppError;
use crate::i18n;
use crate::views::statement::StatementView;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn StatementPage() -> impl IntoView {
    let lang = crate::use_lang();
    let data = super::data::<crate::views::statement::StatementView>();
    view! {
        <Title text=i18n::STATEMENT_TITLE.get(lang)/>
        {match data {
            Ok(view) => view! { <Statement view/> }.into_any(),
            Err(e) => view! { <StatementUnavailable error=e/> }.into_any(),
        }}
    }
}

/// No session (expired, signed out) or a failure: say so and show the way back.
#[component]
fn StatementUnavailable(error: AppError) -> impl IntoView {
    let lang = crate::use_lang();
    super::set_error_status(&error);
    let message = match error {
        AppError::Unauthorized => i18n::SESSION_EXPIRED.get(lang),
        _ => i18n::SOMETHING_WRONG.get(lang),
    };
    view! {
        <PageHeader brand=neutral_brand()/>
        <main id="main" class="narrow">
            <h1>{i18n::STATEMENT_TITLE.get(lang)}</h1>
            <p class="notice" role="alert">{message}</p>
            <crate::components::RenewLinkForm/>
        </main>
    }
}

#[component]
fn Statement(view: StatementView) -> impl IntoView {
    let lang = crate::use_lang();
    let StatementView {
        brand,
        debtor_name,
        statement,
        charges,
        charges_total,
    } = view;
    let as_of = format_date(statement.as_of, lang);
    let totals = statement.totals.clone();
    let settled = statement.is_settled();
    let items = statement.items.clone();
    let payments = statement.recent_payments.clone();
    view! {
        <PageHeader brand=brand.clone() signed_in=true/>
        <main id="main">
            <h1>{i18n::STATEMENT_TITLE.get(lang)}</h1>
            <p class="lead">{i18n::greeting(lang, &debtor_name)}" — "<time datetime=statement.as_of.to_string()>{as_of}</time></p>

            <section aria-labelledby="balance-h" class="card balance">
                <h2 id="balance-h">{i18n::YOUR_BALANCE.get(lang)}</h2>
                {if settled && totals.iter().all(|t| t.credits.is_zero()) {
                    view! { <p class="settled">{i18n::NOTHING_OWED.get(lang)}</p> }.into_any()
                } else {
                    view! { <ul class="totals">{totals.iter().map(|t| view! { <TotalLine t=t.clone() lang/> }).collect_view()}</ul> }.into_any()
                }}
                {(!settled).then(|| view! {
                    <p><a class="button pay" href="/pay?mode=all">{i18n::PAY_ACTION.get(lang)}</a></p>
                    <p><a class="button secondary" href="/schedule">{i18n::SCHEDULE_ACTION.get(lang)}</a></p>
                    <p><a class="button secondary" href="/promise">{i18n::PROMISE_TITLE.get(lang)}</a></p>
                    <p><a class="button secondary" href="/disputes">{i18n::DISPUTES_ACTION.get(lang)}</a></p>
                })}
                <a class="button secondary" href="/documents/statement.pdf">{i18n::DOWNLOAD_STATEMENT.get(lang)}</a>
                <p><a href="/messages">{i18n::MESSAGES_ACTION.get(lang)}</a></p>
            </section>

            <section aria-labelledby="items-h">
                <h2 id="items-h">{i18n::OPEN_ITEMS.get(lang)}</h2>
                {if items.is_empty() {
                    view! { <p>{i18n::NO_OPEN_ITEMS.get(lang)}</p> }.into_any()
                } else {
                    view! { <ul class="items">{items.into_iter().map(|item| view! { <ItemCard item lang/> }).collect_view()}</ul> }.into_any()
                }}
            </section>

            <LateCharges charges charges_total lang/>

            {(!totals.is_empty()).then(|| view! { <AgedBalanceTable totals=totals.clone() lang/> })}

            <section aria-labelledby="payments-h">
                <h2 id="payments-h">{i18n::RECENT_PAYMENTS.get(lang)}</h2>
                {if payments.is_empty() {
                    view! { <p>{i18n::NO_PAYMENTS.get(lang)}</p> }.into_any()
                } else {
                    view! { <ul class="payments">{payments.into_iter().map(|p| view! { <PaymentLine p lang/> }).collect_view()}</ul> }.into_any()
                }}
            </section>
        </main>
        <PageFooter brand/>
    }
}

/// The late charges a formal notice claimed, apart from the invoices (not in the balance).
#[component]
fn LateCharges(
    charges: Vec<crate::views::statement::ChargeLine>,
    charges_total: Vec<crate::domain::money::Money>,
    lang: Lang,
) -> impl IntoView {
    use crate::i18n::reminder_actions as w;
    (!charges.is_empty()).then(|| view! {
        <section aria-labelledby="charges-h" class="card">
            <h2 id="charges-h">{w::PDF_LATE_CHARGES.get(lang)}</h2>
            <p>{w::PDF_CHARGES_APART.get(lang)}</p>
            <ul class="charges">
                {charges.into_iter().map(|c| view! {
                    <li>
                        <strong>{i18n::document_kind(lang, DocumentKind::Invoice)}" "{c.number}</strong>
                        <dl>
                            <div><dt>{w::PDF_INDEMNITY.get(lang)}</dt><dd class="num">{format_money(c.indemnity, lang)}</dd></div>
                            <div><dt>{w::PDF_INTEREST.get(lang)}</dt><dd class="num">{format_money(c.interest, lang)}</dd></div>
                        </dl>
                    </li>
                }).collect_view()}
            </ul>
            <p><strong>{w::PDF_CHARGES_TOTAL.get(lang)}{i18n::colon(lang)}
                {charges_total.into_iter().map(|m| format_money(m, lang)).collect::<Vec<_>>().join(" + ")}</strong></p>
        </section>
    })
}

#[component]
fn TotalLine(t: CurrencyTotals, lang: Lang) -> impl IntoView {
    view! {
        <li>
            <p class="big-amount">{format_money(t.balance, lang)}</p>
            {(!t.overdue.is_zero()).then(|| view! {
                <p class="overdue-line">{i18n::OVERDUE.get(lang)}{i18n::colon(lang)}{format_money(t.overdue, lang)}</p>
            })}
            {(!t.credits.is_zero()).then(|| view! {
                <p>{i18n::CREDITS.get(lang)}{i18n::colon(lang)}{format_money(t.credits, lang)}</p>
            })}
        </li>
    }
}

fn timing_text(timing: DueTiming, lang: Lang) -> (String, &'static str) {
    match timing {
        DueTiming::Overdue(d) => (i18n::days_overdue(lang, d), "badge late"),
        DueTiming::DueToday => (i18n::due_today(lang).to_string(), "badge today"),
        DueTiming::DueIn(d) => (i18n::due_in_days(lang, d), "badge ok"),
    }
}

#[component]
fn ItemCard(item: StatementItem, lang: Lang) -> impl IntoView {
    let inv = item.invoice;
    let kind = i18n::document_kind(lang, inv.kind);
    let heading_id = format!("item-{}", inv.id);
    let labelled_by = heading_id.clone();
    let title = format!("{kind} {}", inv.number);
    let is_credit = inv.kind == DocumentKind::CreditNote;
    let (timing, badge_class) = timing_text(item.timing, lang);
    let pdf_href = format!("/documents/invoices/{}.pdf", inv.id);
    let pay_href = format!(
        "/pay?mode=invoices&invoice={}&currency={}",
        inv.id,
        inv.remaining.currency.code()
    );
    let payable = !is_credit
        && matches!(
            inv.status,
            InvoiceStatus::Open | InvoiceStatus::Promised | InvoiceStatus::Scheduled
        );
    view! {
        <li>
            <article class="card item" aria-labelledby=labelled_by>
                <div class="item-head">
                    <h3 id=heading_id>{title.clone()}</h3>
                    {(!is_credit).then(|| view! { <span class=badge_class>{timing}</span> })}
                </div>
                <dl>
                    <div><dt>{i18n::ISSUED.get(lang)}</dt><dd>{format_date(inv.issue_date, lang)}</dd></div>
                    {(!is_credit).then(|| view! {
                        <div><dt>{i18n::DUE.get(lang)}</dt><dd>{format_date(inv.due_date, lang)}</dd></div>
                    })}
                    <div><dt>{i18n::AMOUNT.get(lang)}</dt><dd class="num">{format_money(inv.amount, lang)}</dd></div>
                    <div>
                        <dt>{if is_credit { i18n::CREDIT_LEFT.get(lang) } else { i18n::REMAINING.get(lang) }}</dt>
                        <dd class="num strong">{format_money(inv.remaining, lang)}</dd>
                    </div>
                    <div><dt>{i18n::STATUS.get(lang)}</dt><dd>{i18n::status(lang, inv.status)}</dd></div>
                </dl>
                // Files from the server, not pages of the app: the router must not take the click.
                <div class="item-actions">
                    <a href=pdf_href class="pdf-link">
                        {i18n::DOWNLOAD_PDF.get(lang)}<span class="visually-hidden">" — "{title.clone()}</span>
                    </a>
                    {payable.then(|| view! {
                        <a href=pay_href class="button small">
                            {i18n::PAY_ACTION.get(lang)}<span class="visually-hidden">" — "{title}</span>
                        </a>
                    })}
                </div>
            </article>
        </li>
    }
}

/// Buckets as rows and currencies as columns: usually one or two columns, so it fits a phone.
#[component]
fn AgedBalanceTable(totals: Vec<CurrencyTotals>, lang: Lang) -> impl IntoView {
    let labels = [
        i18n::NOT_DUE,
        i18n::DAYS_1_30,
        i18n::DAYS_31_60,
        i18n::DAYS_61_90,
        i18n::OVER_90,
    ];
    let rows: Vec<(&'static str, Vec<Money>)> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                l.get(lang),
                totals.iter().map(|t| t.aged.buckets()[i]).collect(),
            )
        })
        .collect();
    view! {
        <section aria-labelledby="aged-h">
            <h2 id="aged-h">{i18n::AGED_BALANCE.get(lang)}</h2>
            <div class="table-wrap">
                <table class="aged">
                    <caption>{i18n::AGED_CAPTION.get(lang)}</caption>
                    <thead><tr>
                        <td></td>
                        {totals.iter().map(|t| view! { <th scope="col">{t.currency.code()}</th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(label, amounts)| view! {
                            <tr>
                                <th scope="row">{label}</th>
                                {amounts.into_iter().map(|m| view! { <td class="num">{format_money(m, lang)}</td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </section>
    }
}

#[component]
fn PaymentLine(p: PaymentFacts, lang: Lang) -> impl IntoView {
    view! {
        <li>
            <span class="num strong">{format_money(p.amount, lang)}</span>
            " — "{i18n::RECEIVED_ON.get(lang)}" "<time datetime=p.received_on.to_string()>{format_date(p.received_on, lang)}</time>
            " — "{i18n::payment_method(lang, &p.method)}
            {(!p.reference.is_empty()).then(|| view! { <span class="muted">" ("{p.reference.clone()}")"</span> })}
        </li>
    }
}
