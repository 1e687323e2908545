//! A creditor's schedule rules by balance band: read with their defaults, validated and stored
//! (command line, demo, settings page), and `POST /agent/rules`, the admins' plain form (one
//! fieldset per band, see `app::pages::agent_rules`), answered with a redirect.

use crate::kernel::context::is_admin;
use crate::kernel::forms::Fields;
use crate::kernel::http::see_other;
use crate::kernel::{AppState, SignedIn, internal};
use crate::storage::{RulesRow, Storage};
use app::domain::money::{Currency, Money};
use app::domain::payment::parse_amount_input;
use app::domain::schedule::{BandRule, ScheduleRules};
use app::error::AppError;
use axum::Form;
use axum::extract::State;
use axum::response::Response;

/// The creditor's rules; without any, every proposal goes to a person.
pub async fn rules_of(state: &AppState, creditor_id: &str) -> Result<RulesRow, AppError> {
    Ok(state
        .storage
        .schedule_rules(creditor_id)
        .await
        .map_err(internal)?
        .unwrap_or_default())
}

/// Validates and stores a creditor's rules.
pub async fn set_rules(
    storage: &Storage,
    creditor_id: &str,
    r: RulesRow,
    actor: &str,
    now: i64,
) -> anyhow::Result<()> {
    r.rules
        .validate()
        .map_err(|e| anyhow::anyhow!("the rules are not valid: {e}"))?;
    if !(0..=60).contains(&r.reminder_days) || !(0..=90).contains(&r.grace_days) {
        anyhow::bail!(
            "the reminder comes 0 to 60 days before an instalment, and the grace period is 0 to 90 days"
        );
    }
    storage
        .set_schedule_rules(creditor_id, &r, actor, now)
        .await?;
    Ok(())
}

/// Rows the settings page offers; unused rows are left empty.
pub const MAX_BANDS: usize = 6;

/// What is wrong with the form, as a short code the page explains.
#[derive(Debug, PartialEq, Eq)]
pub struct FormError(pub &'static str, pub usize);

fn whole(v: &str, band: usize) -> Result<u32, FormError> {
    v.trim().parse().map_err(|_| FormError("number", band))
}

/// "20", "12,5", "12.5" per cent → basis points.
fn percent(v: &str, band: usize) -> Result<u32, FormError> {
    let v = v.trim().replace(',', ".");
    if v.is_empty() {
        return Ok(0);
    }
    let (int, frac) = v.split_once('.').unwrap_or((&v, ""));
    if frac.len() > 2
        || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        || int.is_empty()
    {
        return Err(FormError("percent", band));
    }
    let int: u32 = int.parse().map_err(|_| FormError("percent", band))?;
    let frac: u32 = format!("{frac:0<2}")
        .parse()
        .map_err(|_| FormError("percent", band))?;
    int.checked_mul(100)
        .and_then(|b| b.checked_add(frac))
        .ok_or(FormError("percent", band))
}

fn amount(v: &str, currency: Currency, band: usize) -> Result<Money, FormError> {
    if v.trim().is_empty() {
        return Ok(Money::zero(currency));
    }
    match parse_amount_input(v, currency) {
        Ok(m) => Ok(m),
        // "0" is a fine minimum: no minimum.
        Err(app::domain::payment::PayError::NotPositive) if !v.contains('-') => {
            Ok(Money::zero(currency))
        }
        Err(_) => Err(FormError("amount", band)),
    }
}

/// Reads the settings form. Bands follow each other: each starts where the one before ends,
/// and a band whose upper limit is empty has none (it must be the last).
pub fn rules_from_form(pairs: &[(String, String)]) -> Result<RulesRow, FormError> {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let currency = Currency::parse(get("currency")).map_err(|_| FormError("currency", 0))?;
    let mut bands = Vec::new();
    let mut from = Money::zero(currency);
    for i in 0..MAX_BANDS {
        let band = i + 1;
        if get(&format!("max_instalments_{i}")).trim().is_empty() {
            continue;
        }
        let to_text = get(&format!("to_{i}"));
        let to = if to_text.trim().is_empty() {
            None
        } else {
            Some(amount(to_text, currency, band)?)
        };
        bands.push(BandRule {
            from,
            to,
            max_instalments: whole(get(&format!("max_instalments_{i}")), band)?,
            max_duration_days: whole(get(&format!("max_days_{i}")), band)?,
            min_instalment: amount(get(&format!("min_instalment_{i}")), currency, band)?,
            min_down_payment_bp: percent(get(&format!("down_pct_{i}")), band)?,
            first_payment_within_days: whole(get(&format!("first_within_{i}")), band)?,
            auto_accept: get(&format!("auto_{i}")) == "1",
        });
        match to {
            Some(t) => from = t,
            None => break,
        }
    }
    let rules = ScheduleRules { bands };
    rules.validate().map_err(|_| FormError("rules", 0))?;
    let days = |k: &str| {
        get(k)
            .trim()
            .parse::<i64>()
            .map_err(|_| FormError("days", 0))
    };
    Ok(RulesRow {
        rules,
        reminder_days: days("reminder_days")?,
        grace_days: days("grace_days")?,
    })
}

/// `POST /agent/rules`
pub async fn save(
    State(state): State<AppState>,
    SignedIn(agent): SignedIn,
    Form(fields): Form<Fields>,
) -> Response {
    if !is_admin(&agent) {
        return see_other("/agent/rules?error=forbidden", vec![]);
    }
    let rules = match rules_from_form(&fields.0) {
        Ok(r) => r,
        Err(FormError(what, band)) => {
            return see_other(&format!("/agent/rules?error={what}&band={band}"), vec![]);
        }
    };
    match set_rules(
        &state.storage,
        &agent.creditor_id,
        rules,
        &agent.id,
        state.now(),
    )
    .await
    {
        Ok(()) => see_other("/agent/rules?done=1", vec![]),
        Err(e) => {
            tracing::info!(error = %format!("{e:#}"), "schedule rules refused");
            see_other("/agent/rules?error=rules&band=0", vec![])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
        fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_briefs_example_reads_back_as_the_example() {
        let f = form(&[
            ("currency", "EUR"),
            ("reminder_days", "3"),
            ("grace_days", "7"),
            ("to_0", "500"),
            ("max_instalments_0", "3"),
            ("max_days_0", "60"),
            ("min_instalment_0", ""),
            ("down_pct_0", "0"),
            ("first_within_0", "60"),
            ("auto_0", "1"),
            ("to_1", "5 000,00"),
            ("max_instalments_1", "6"),
            ("max_days_1", "186"),
            ("min_instalment_1", "0"),
            ("down_pct_1", "20"),
            ("first_within_1", "7"),
            ("auto_1", "1"),
            ("to_2", ""),
            ("max_instalments_2", "36"),
            ("max_days_2", "1096"),
            ("min_instalment_2", ""),
            ("down_pct_2", ""),
            ("first_within_2", "31"),
        ]);
        let r = rules_from_form(&f).unwrap();
        assert_eq!(r.rules, ScheduleRules::example(Currency::Eur));
        assert_eq!((r.reminder_days, r.grace_days), (3, 7));
    }

    #[test]
    fn bad_values_name_the_band() {
        let base = [
            ("currency", "EUR"),
            ("reminder_days", "3"),
            ("grace_days", "7"),
            ("to_0", ""),
            ("max_days_0", "60"),
            ("first_within_0", "7"),
        ];
        let with = |k: &'static str, v: &'static str| {
            let mut f: Vec<(&str, &str)> = base.to_vec();
            f.push(("max_instalments_0", "3"));
            f.retain(|(n, _)| *n != k);
            f.push((k, v));
            form(&f)
        };
        assert_eq!(
            rules_from_form(&with("max_instalments_0", "trois")),
            Err(FormError("number", 1))
        );
        assert_eq!(
            rules_from_form(&with("down_pct_0", "12,345")),
            Err(FormError("percent", 1))
        );
        assert_eq!(
            rules_from_form(&with("down_pct_0", "-5")),
            Err(FormError("percent", 1))
        );
        assert_eq!(
            rules_from_form(&with("min_instalment_0", "abc")),
            Err(FormError("amount", 1))
        );
        assert_eq!(
            rules_from_form(&with("max_instalments_0", "0")),
            Err(FormError("rules", 0)),
            "1 to 60 instalments"
        );
        assert_eq!(
            rules_from_form(&with("currency", "XXX")),
            Err(FormError("currency", 0))
        );
        assert_eq!(
            rules_from_form(&with("grace_days", "")),
            Err(FormError("days", 0))
        );
        assert_eq!(percent("12,5", 1), Ok(1250));
        // No band at all is not a rule set.
        assert_eq!(
            rules_from_form(&form(&[
                ("currency", "EUR"),
                ("reminder_days", "3"),
                ("grace_days", "7")
            ])),
            Err(FormError("rules", 0))
        );
    }
}
