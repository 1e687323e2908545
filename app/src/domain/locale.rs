//! Languages and locale formatting of amounts and dates, for French (default) and English.
//! Small and tested rather than a full ICU: these two locales are all the portal speaks.

use super::money::{Currency, Money};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Fr,
    En,
}

/// CLDR's group separator for French is the narrow no-break space.
const NNBSP: char = '\u{202F}';
const NBSP: char = '\u{00A0}';

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Accepts `fr`, `en`, and regional forms such as `en-GB` or `fr_CA`.
    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the supported language the browser prefers most (RFC 9110 `Accept-Language`).
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(u16, Lang)> = None;
        for part in header.split(',').take(32) {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .map(parse_q)
                .unwrap_or(1000);
            if let Some(lang) = Lang::parse(tag)
                && q > 0
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }

    /// The language's own name, shown on the switch.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Fr => "Français",
            Lang::En => "English",
        }
    }
}

/// Quality value in thousandths ("0.8" → 800); malformed values count as 0.
fn parse_q(s: &str) -> u16 {
    let s = s.trim();
    let (int, frac) = s.split_once('.').unwrap_or((s, ""));
    let whole: u16 = match int {
        "1" => 1000,
        "0" | "" => 0,
        _ => return 0,
    };
    if whole == 1000 {
        return 1000;
    }
    let mut v = 0u16;
    for (i, c) in frac.chars().take(3).enumerate() {
        let Some(digit) = c.to_digit(10) else {
            return 0;
        };
        v += digit as u16 * [100, 10, 1][i];
    }
    v
}

fn group_digits(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// `1 234,56 €` in French, `€1,234.56` in English. Negative amounts carry a minus sign.
pub fn format_money(m: Money, lang: Lang) -> String {
    let exp = m.currency.exponent();
    let abs = m.minor.unsigned_abs();
    let div = 10u64.pow(exp);
    let (int, frac) = (abs / div, abs % div);
    let sign = if m.minor < 0 { "-" } else { "" };
    let (group, decimal) = match lang {
        Lang::Fr => (NNBSP, ','),
        Lang::En => (',', '.'),
    };
    let mut number = group_digits(&int.to_string(), group);
    if exp > 0 {
        number.push(decimal);
        number.push_str(&format!("{:0width$}", frac, width = exp as usize));
    }
    let symbol = m.currency.symbol();
    match (lang, m.currency) {
        (Lang::Fr, _) => format!("{sign}{number}{NBSP}{symbol}"),
        (Lang::En, Currency::Chf) => format!("{sign}{symbol}{NBSP}{number}"),
        (Lang::En, _) => format!("{sign}{symbol}{number}"),
    }
}

const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `22/11/2026` in French; `22 Nov 2026` in English (unambiguous on both sides of the Atlantic).
pub fn format_date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Fr => format!("{:02}/{:02}/{}", d.day(), d.month(), d.year()),
        Lang::En => format!(
            "{} {} {}",
            d.day(),
            MONTHS_EN[d.month0() as usize],
            d.year()
        ),
    }
}

/// `02/12/2026 à 14:05` in French; `2 Dec 2026, 14:05` in English.
pub fn format_date_time(t: NaiveDateTime, lang: Lang) -> String {
    let (date, h, m) = (format_date(t.date(), lang), t.hour(), t.minute());
    match lang {
        Lang::Fr => format!("{date} à {h:02}:{m:02}"),
        Lang::En => format!("{date}, {h:02}:{m:02}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_read_naturally_in_each_language() {
        let t = NaiveDate::from_ymd_opt(2026, 12, 2)
            .unwrap()
            .and_hms_opt(9, 5, 59)
            .unwrap();
        assert_eq!(format_date_time(t, Lang::Fr), "02/12/2026 à 09:05");
        assert_eq!(format_date_time(t, Lang::En), "2 Dec 2026, 09:05");
    }

    #[test]
    fn french_amounts_use_narrow_spaces_and_a_comma() {
        assert_eq!(
            format_money(Money::new(123456, Currency::Eur), Lang::Fr),
            "1\u{202F}234,56\u{A0}€"
        );
        assert_eq!(
            format_money(Money::new(5, Currency::Eur), Lang::Fr),
            "0,05\u{A0}€"
        );
        assert_eq!(
            format_money(Money::new(-123456789, Currency::Eur), Lang::Fr),
            "-1\u{202F}234\u{202F}567,89\u{A0}€"
        );
    }

    #[test]
    fn english_amounts_put_the_symbol_first() {
        assert_eq!(
            format_money(Money::new(123456, Currency::Eur), Lang::En),
            "€1,234.56"
        );
        assert_eq!(
            format_money(Money::new(100000, Currency::Usd), Lang::En),
            "$1,000.00"
        );
        assert_eq!(
            format_money(Money::new(150000, Currency::Jpy), Lang::En),
            "¥150,000"
        );
        assert_eq!(
            format_money(Money::new(990, Currency::Chf), Lang::En),
            "CHF\u{A0}9.90"
        );
    }

    #[test]
    fn dates_in_each_language() {
        let d = NaiveDate::from_ymd_opt(2026, 2, 3).unwrap();
        assert_eq!(format_date(d, Lang::Fr), "03/02/2026");
        assert_eq!(format_date(d, Lang::En), "3 Feb 2026");
    }

    #[test]
    fn accept_language_picks_the_highest_supported_quality() {
        assert_eq!(
            Lang::from_accept_language("de-DE,de;q=0.9,en;q=0.8,fr;q=0.7"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("en-US,en;q=0.9,fr-FR;q=1"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("fr-CA;q=0.5, en;q=0.4"),
            Some(Lang::Fr)
        );
        assert_eq!(Lang::from_accept_language("de, it"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, fr;q=garbage"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }
}
