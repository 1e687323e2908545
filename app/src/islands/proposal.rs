//! The schedule proposal form: the one part of the portal that runs in the browser.

use crate::domain::locale::{Lang, format_date, format_money};
use crate::domain::proposal::{InputError, ProposalInput, read_proposal};
use crate::domain::schedule::{Instalment, Rhythm, Verdict, check_proposal};
use crate::i18n;
use crate::views::schedule::{InstalmentState, InstalmentView, ScheduleOffer};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;

#[component]
pub fn Instalments(rows: Vec<InstalmentView>, lang: Lang) -> impl IntoView {
    view! {
        <ol class="instalments" aria-label=i18n::SCHEDULE_INSTALMENTS.get(lang)>
            {rows.into_iter().map(|i| {
                let state = match i.state {
                    InstalmentState::Paid => Some(("badge ok", i18n::SCHEDULE_PAID.get(lang))),
                    InstalmentState::Due => Some(("badge late", i18n::SCHEDULE_DUE.get(lang))),
                    InstalmentState::Upcoming => None,
                };
                view! {
                    <li class="line">
                        <time datetime=i.due_date.to_string()>{format_date(i.due_date, lang)}</time>
                        <span>
                            <span class="num strong">{format_money(i.amount, lang)}</span>
                            {state.map(|(class, text)| view! { " "<span class=class>{text}</span> })}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

#[component]
pub fn Reasons(reasons: Vec<crate::domain::schedule::Reason>, lang: Lang) -> impl IntoView {
    view! {
        <ul class="reasons">
            {reasons.iter().map(|r| view! { <li>{i18n::schedule_reason(lang, r)}</li> }).collect_view()}
        </ul>
    }
}

/// What the proposal island shows: the offer, the page's language, and both as written into
/// the form (`offer_codec`). On the server the page hands it over through context; in the
/// browser the island reads it back from the form.
#[derive(Debug, Clone)]
pub struct Offer {
    pub offer: ScheduleOffer,
    pub lang: Lang,
    pub written: String,
}

impl Offer {
    pub fn new(offer: ScheduleOffer, lang: Lang) -> Self {
        let written = super::offer_codec::encode(&offer, lang);
        Self {
            offer,
            lang,
            written,
        }
    }
}

#[cfg(not(feature = "hydrate"))]
fn the_offer() -> Option<Offer> {
    use_context::<Offer>()
}

#[cfg(feature = "hydrate")]
fn the_offer() -> Option<Offer> {
    let written = document()
        .query_selector("form[data-offer]")
        .ok()??
        .get_attribute("data-offer")?;
    let (offer, lang) = super::offer_codec::decode(&written)?;
    Some(Offer {
        offer,
        lang,
        written,
    })
}

/// What the debtor typed before the Wasm arrived (on a slow phone that can be seconds after
/// the page). Read once the island is live: hydrating must start from what the server sent,
/// or the page and the island disagree, and then the live check follows the form on screen.
#[cfg(feature = "hydrate")]
fn typed_so_far() -> Option<ProposalInput> {
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{HtmlInputElement, HtmlSelectElement};
    let form = document().query_selector("form[data-offer]").ok()??;
    let mut input = ProposalInput::default();
    let fields = |selector: &str| -> Vec<HtmlInputElement> {
        form.query_selector_all(selector)
            .map(|list| {
                (0..list.length())
                    .filter_map(|i| list.item(i)?.dyn_into().ok())
                    .collect()
            })
            .unwrap_or_default()
    };
    let value_of = |name: &str| {
        fields(&format!("input[name={name}]"))
            .first()
            .map(|f| f.value())
    };
    input.invoices = fields("input[name=invoice]")
        .iter()
        .filter(|f| f.checked())
        .map(|f| f.value())
        .collect();
    if let Some(count) = value_of("count") {
        input.count = count;
    }
    if let Some(first) = value_of("first") {
        input.first = first;
    }
    if let Some(rhythm) = form
        .query_selector("select[name=rhythm]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlSelectElement>().ok())
    {
        input.rhythm = rhythm.value();
    }
    let one_by_one = fields("input[name=mode]")
        .first()
        .is_some_and(|m| m.checked());
    input.lines = if one_by_one {
        let amounts = fields("input[name=amount]");
        fields("input[name=due]")
            .iter()
            .zip(amounts.iter())
            .map(|(d, a)| (d.value(), a.value()))
            .collect()
    } else {
        vec![]
    };
    Some(input)
}

/// The proposal form. Every field is a named form field, so the server reads exactly what the
/// debtor sees; signals only drive the live check. An island: rendered on the server with the
/// verdict for what was typed (a browser without JavaScript asks with "Check"), then brought
/// to life in the browser, where the same domain code answers as the debtor types. It takes no
/// props: Leptos would carry them as JSON, and the JSON parser that takes cost the Wasm about
/// an eighth of its weight (156 KB against 136 KB gzipped, measured) for one structure.
#[island]
pub fn ProposalForm() -> impl IntoView {
    let Offer {
        offer,
        lang,
        written,
    } = the_offer().unwrap_or_else(|| {
        // A bug of ours, not the debtor's: the form still posts, without the live check.
        leptos::logging::error!("the proposal form has no offer");
        Offer::new(ScheduleOffer::default(), Lang::default())
    });
    let ScheduleOffer {
        invoices,
        rules,
        today,
        input,
        returned,
    } = offer;
    let chosen = RwSignal::new(input.invoices.clone());
    let count = RwSignal::new(input.count.clone());
    let rhythm = RwSignal::new(input.rhythm.clone());
    let first = RwSignal::new(input.first.clone());
    let custom = RwSignal::new(!input.lines.is_empty());
    let lines: RwSignal<Vec<(RwSignal<String>, RwSignal<String>)>> = RwSignal::new(
        input
            .lines
            .iter()
            .map(|(d, a)| (RwSignal::new(d.clone()), RwSignal::new(a.clone())))
            .collect(),
    );
    let all = invoices.clone();
    let current_input = move || ProposalInput {
        invoices: chosen.get(),
        count: count.get(),
        rhythm: rhythm.get(),
        first: first.get(),
        lines: if custom.get() {
            lines
                .get()
                .iter()
                .map(|(d, a)| (d.get(), a.get()))
                .collect()
        } else {
            vec![]
        },
    };
    let checked = Memo::new(move |_| {
        let input = current_input();
        read_proposal(&all, &input).map_err(Some).and_then(|p| {
            check_proposal(&rules, p.total, &p.instalments, today)
                .map(|v| (p, v))
                .map_err(|e| Some(InputError::Schedule(e)))
        })
    });
    // Switching to one-by-one starts from the even split the debtor is looking at.
    let even_rows = move || -> Vec<Instalment> {
        checked
            .get_untracked()
            .map(|(p, _)| p.instalments)
            .unwrap_or_default()
    };
    let on_custom = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        if on && lines.get_untracked().is_empty() {
            lines.set(
                even_rows()
                    .into_iter()
                    .map(|i| {
                        (
                            RwSignal::new(i.due_date.to_string()),
                            RwSignal::new(i.amount.to_decimal_string()),
                        )
                    })
                    .collect(),
            );
        }
        custom.set(on);
    };
    let add_line = move |_| {
        lines.update(|l| l.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))
    };
    let min_date = today.to_string();
    // Once this island is live in the browser: take what was typed meanwhile, then say so
    // (browser tests wait for it before typing). On the next frame: an effect's first run
    // comes before the view has hydrated, and a change then would be taken for what the
    // server rendered.
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let owner = Owner::current();
        request_animation_frame(move || {
            let take = move || {
                if let Some(typed) = typed_so_far() {
                    chosen.set(typed.invoices);
                    count.set(typed.count);
                    rhythm.set(typed.rhythm);
                    first.set(typed.first);
                    // One by one only with rows to show (ticked before the Wasm came, there
                    // were none).
                    custom.set(!typed.lines.is_empty());
                    if !typed.lines.is_empty() {
                        lines.set(
                            typed
                                .lines
                                .into_iter()
                                .map(|(d, a)| (RwSignal::new(d), RwSignal::new(a)))
                                .collect(),
                        );
                    }
                }
            };
            match owner {
                Some(owner) => owner.with(take),
                None => take(),
            }
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-hydrated", "true");
            }
        });
    });
    view! {
        <section aria-labelledby="propose-h" class="card">
            <h2 id="propose-h">{i18n::SCHEDULE_PROPOSE.get(lang)}</h2>
            <p>{i18n::SCHEDULE_PROPOSE_INTRO.get(lang)}</p>
            <form method="post" action="/schedule/propose" class="schedule-form" novalidate data-offer=written>
                <fieldset>
                    <legend>{i18n::SCHEDULE_WHICH_INVOICES.get(lang)}</legend>
                    {invoices.iter().map(|inv| {
                        let id = inv.id.clone();
                        let id_check = id.clone();
                        let field_id = format!("inv-{}", inv.id);
                        view! {
                            <div class="check">
                                <input type="checkbox" name="invoice" id=field_id.clone() value=id.clone()
                                    checked=move || chosen.with(|c| c.contains(&id_check))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { c.retain(|x| x != &id); if on { c.push(id.clone()); } });
                                    }/>
                                <label for=field_id>
                                    {format!("{} {}", i18n::PAY_INVOICE.get(lang), inv.number)}" — "
                                    <span class="num">{format_money(inv.remaining, lang)}</span>
                                    <span class="muted">" ("{i18n::DUE.get(lang)}" "{format_date(inv.due_date, lang)}")"</span>
                                </label>
                            </div>
                        }
                    }).collect_view()}
                </fieldset>
                <div class="fields">
                    <label for="count">{i18n::SCHEDULE_COUNT.get(lang)}</label>
                    <input id="count" name="count" type="number" inputmode="numeric" min="1" max="60" value=count
                        on:input=move |ev| count.set(event_target_value(&ev))/>
                    <label for="rhythm">{i18n::SCHEDULE_RHYTHM.get(lang)}</label>
                    <select id="rhythm" name="rhythm" on:change=move |ev| rhythm.set(event_target_value(&ev))>
                        {[Rhythm::Monthly, Rhythm::Fortnightly, Rhythm::Weekly].into_iter().map(|r| view! {
                            <option value=r.as_str() selected=move || rhythm.get() == r.as_str()>{i18n::rhythm(lang, r)}</option>
                        }).collect_view()}
                    </select>
                    <label for="first">{i18n::SCHEDULE_FIRST.get(lang)}</label>
                    <input id="first" name="first" type="date" min=min_date value=first
                        on:input=move |ev| first.set(event_target_value(&ev))/>
                </div>
                <div class="check">
                    <input type="checkbox" id="mode" name="mode" value="custom" checked=custom on:change=on_custom/>
                    <label for="mode">{i18n::SCHEDULE_ONE_BY_ONE.get(lang)}</label>
                </div>
                <Show when=move || custom.get()>
                    <fieldset class="lines">
                        <legend>{i18n::SCHEDULE_INSTALMENTS.get(lang)}</legend>
                        {move || lines.get().into_iter().enumerate().map(|(n, (d, a))| {
                            let (did, aid) = (format!("due-{n}"), format!("amount-{n}"));
                            view! {
                                <div class="line-edit">
                                    <label for=did.clone()>{i18n::schedule_instalment_n(lang, n + 1)}" — "{i18n::SCHEDULE_DATE.get(lang)}</label>
                                    <input id=did name="due" type="date" value=d on:input=move |ev| d.set(event_target_value(&ev))/>
                                    <label for=aid.clone()>{i18n::AMOUNT.get(lang)}</label>
                                    <input id=aid name="amount" type="text" inputmode="decimal" value=a on:input=move |ev| a.set(event_target_value(&ev))/>
                                </div>
                            }
                        }).collect_view()}
                        <button type="button" class="button secondary small" on:click=add_line>{i18n::SCHEDULE_ADD_LINE.get(lang)}</button>
                    </fieldset>
                </Show>
                <div class="verdict" aria-live="polite" data-returned=returned.to_string()>
                    // Either, not AnyView: erasing the types here cost the Wasm tens of KB.
                    {move || match checked.get() {
                        Err(None) => EitherOf3::A(()),
                        Err(Some(e)) => EitherOf3::B(view! { <p class="notice" id="proposal-check">{i18n::proposal_error(lang, &e)}</p> }),
                        Ok((p, verdict)) => EitherOf3::C(view! {
                            <h3 class="sub">{i18n::SCHEDULE_PREVIEW.get(lang)}</h3>
                            <Instalments rows=p.instalments.iter().enumerate().map(|(n, i)| InstalmentView {
                                seq: n as u32 + 1, due_date: i.due_date, amount: i.amount, state: InstalmentState::Upcoming,
                            }).collect() lang/>
                            {match verdict {
                                Verdict::AcceptAtOnce => Either::Left(view! {
                                    <p class="notice ok" id="proposal-check">{i18n::SCHEDULE_WILL_ACCEPT.get(lang)}</p>
                                }),
                                Verdict::Review(reasons) => Either::Right(view! {
                                    <div class="notice" id="proposal-check">
                                        <p>{i18n::SCHEDULE_WILL_REVIEW.get(lang)}</p>
                                        <Reasons reasons lang/>
                                    </div>
                                }),
                            }}
                        }),
                    }}
                </div>
                <p class="actions">
                    <button type="submit" name="action" value="send" class="button">{i18n::SCHEDULE_SEND.get(lang)}</button>
                    " "
                    <button type="submit" name="action" value="check" class="button secondary">{i18n::SCHEDULE_CHECK.get(lang)}</button>
                </p>
            </form>
        </section>
    }
}
