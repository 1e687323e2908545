//! What the proposal island needs from the server (the offer and the page's language), written
//! into the form as one attribute and read back in the browser. A small text format instead of
//! JSON: the Wasm then carries no JSON parser (serde_json and the float formatting its errors
//! pull in were about a tenth of it).
//!
//! Records are separated by `|`, fields by `,`; every text field is percent-encoded, so neither
//! separator can appear inside one. Decoding what encoding wrote gives the same values back.

use crate::domain::locale::Lang;
use crate::domain::money::{Currency, Money};
use crate::domain::proposal::{ProposalInput, SchedulableInvoice};
use crate::domain::schedule::{BandRule, ScheduleRules};
use crate::urlenc::{percent_decode, percent_encode};
use crate::views::schedule::ScheduleOffer;
use chrono::{Datelike, NaiveDate};

const VERSION: &str = "o1";

fn money(m: Money) -> String {
    format!("{}:{}", m.minor, m.currency.code())
}

fn date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

pub fn encode(offer: &ScheduleOffer, lang: Lang) -> String {
    let text = |s: &str| percent_encode(s);
    let mut out = vec![
        VERSION.to_string(),
        format!("lang,{}", lang.code()),
        format!("today,{}", date(offer.today)),
        format!("returned,{}", u8::from(offer.returned)),
    ];
    for i in &offer.invoices {
        let (id, number) = (text(&i.id), text(&i.number));
        out.push(format!(
            "inv,{id},{number},{},{}",
            date(i.due_date),
            money(i.remaining)
        ));
    }
    for b in &offer.rules.bands {
        let to = b.to.map_or_else(|| "-".to_string(), money);
        out.push(format!(
            "band,{},{to},{},{},{},{},{},{}",
            money(b.from),
            b.max_instalments,
            b.max_duration_days,
            money(b.min_instalment),
            b.min_down_payment_bp,
            b.first_payment_within_days,
            u8::from(b.auto_accept)
        ));
    }
    let input = &offer.input;
    out.push(format!(
        "input,{},{},{}",
        text(&input.count),
        text(&input.rhythm),
        text(&input.first)
    ));
    for id in &input.invoices {
        out.push(format!("chosen,{}", text(id)));
    }
    for (due, amount) in &input.lines {
        out.push(format!("line,{},{}", text(due), text(amount)));
    }
    out.join("|")
}

fn read_money(s: &str) -> Option<Money> {
    let (minor, code) = s.split_once(':')?;
    Some(Money::new(minor.parse().ok()?, Currency::parse(code).ok()?))
}

fn read_date(s: &str) -> Option<NaiveDate> {
    let mut p = s.splitn(3, '-');
    let (y, m, d) = (
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
    );
    NaiveDate::from_ymd_opt(y, m, d)
}

/// `None` for anything encoding did not write.
pub fn decode(s: &str) -> Option<(ScheduleOffer, Lang)> {
    let mut records = s.split('|');
    if records.next()? != VERSION {
        return None;
    }
    let (mut lang, mut today, mut returned) = (None, None, false);
    let (mut invoices, mut bands) = (Vec::new(), Vec::new());
    let mut input = ProposalInput::default();
    for r in records {
        let f: Vec<&str> = r.split(',').collect();
        let text = |i: usize| f.get(i).and_then(|v| percent_decode(v));
        let num = |i: usize| f.get(i).and_then(|v| v.parse::<u32>().ok());
        match (f[0], f.len()) {
            ("lang", 2) => lang = Some(Lang::parse(f[1])?),
            ("today", 2) => today = Some(read_date(f[1])?),
            ("returned", 2) => returned = f[1] == "1",
            ("inv", 5) => invoices.push(SchedulableInvoice {
                id: text(1)?,
                number: text(2)?,
                due_date: read_date(f[3])?,
                remaining: read_money(f[4])?,
            }),
            ("band", 9) => bands.push(BandRule {
                from: read_money(f[1])?,
                to: if f[2] == "-" {
                    None
                } else {
                    Some(read_money(f[2])?)
                },
                max_instalments: num(3)?,
                max_duration_days: num(4)?,
                min_instalment: read_money(f[5])?,
                min_down_payment_bp: num(6)?,
                first_payment_within_days: num(7)?,
                auto_accept: f[8] == "1",
            }),
            ("input", 4) => {
                input.count = text(1)?;
                input.rhythm = text(2)?;
                input.first = text(3)?;
            }
            ("chosen", 2) => input.invoices.push(text(1)?),
            ("line", 3) => input.lines.push((text(1)?, text(2)?)),
            _ => return None,
        }
    }
    let offer = ScheduleOffer {
        invoices,
        rules: ScheduleRules { bands },
        today: today?,
        input,
        returned,
    };
    Some((offer, lang?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn offer(number: &str, lines: Vec<(String, String)>) -> ScheduleOffer {
        let eur = |m| Money::new(m, Currency::Eur);
        ScheduleOffer {
            invoices: vec![SchedulableInvoice {
                id: "0192b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b".into(),
                number: number.into(),
                due_date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
                remaining: eur(123_456),
            }],
            rules: ScheduleRules::example(Currency::Eur),
            today: NaiveDate::from_ymd_opt(2026, 12, 3).unwrap(),
            input: ProposalInput {
                invoices: vec!["0192b3c4-d5e6-7f80-9a1b-2c3d4e5f6a7b".into()],
                count: "3".into(),
                rhythm: "monthly".into(),
                first: "2026-12-10".into(),
                lines,
            },
            returned: true,
        }
    }

    #[test]
    fn the_example_offer_comes_back_as_it_went() {
        let o = offer("F-2026-0103", vec![("2026-12-10".into(), "100,00".into())]);
        assert_eq!(decode(&encode(&o, Lang::En)), Some((o, Lang::En)));
    }

    #[test]
    fn anything_else_is_refused() {
        let good = encode(&offer("F-1", vec![]), Lang::Fr);
        for bad in [
            "",
            "o2|lang,fr",
            "o1|lang,xx",
            "o1|lang,fr",
            "o1|today,2026-13-40|lang,fr",
            "o1|inv,a,b",
        ] {
            assert_eq!(decode(bad), None, "{bad:?}");
        }
        assert_eq!(decode(&format!("{good}|what,ever")), None);
    }

    proptest! {
        #[test]
        fn any_text_typed_or_imported_survives(number in ".{0,40}", due in ".{0,20}", amount in ".{0,20}") {
            let o = offer(&number, vec![(due, amount)]);
            let encoded = encode(&o, Lang::Fr);
            let records = 5 + o.invoices.len() + o.rules.bands.len() + o.input.invoices.len() + o.input.lines.len();
            prop_assert_eq!(encoded.matches('|').count(), records - 1, "separators only between records");
            prop_assert_eq!(decode(&encoded), Some((o, Lang::Fr)));
        }
    }
}
