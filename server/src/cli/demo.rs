//! Demo data for `make run`: one French equipment supplier and seven debtors that between them
//! show every case of the statement (not yet due, due in 3 days, 5/35/95 days overdue, partly
//! paid, a credit note, a second currency, a debtor who owes nothing). Dates are relative to
//! today, so the demo reads the same whenever it is run.

use crate::config::Config;
use crate::kernel::clock::today_in;
use crate::kernel::links::LinkSigner;
use crate::storage::{LineRow, NewCreditor, NewDebtor, NewInvoice, NewPayment, Storage};
use app::domain::invoice::DocumentKind;
use app::domain::money::Currency;
use chrono::{Duration, NaiveDate};

pub const DEMO_SLUG: &str = "durand";

const LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40"><rect width="40" height="40" rx="8" fill="#0f6e5c"/><path d="M11 10h9a10 10 0 0 1 0 20h-9z" fill="none" stroke="#fff" stroke-width="4"/></svg>"##;

struct Inv {
    number: String,
    /// Days from today to the due date (negative: overdue).
    due_in: i64,
    currency: Currency,
    lines: &'static [(&'static str, i64, i64)], // description, quantity (thousandths), unit price (minor)
    kind: DocumentKind,
    /// Part already paid by transfer, in minor units.
    paid: i64,
}

fn inv(number: &str, due_in: i64, lines: &'static [(&'static str, i64, i64)]) -> Inv {
    Inv {
        number: number.to_string(),
        due_in,
        currency: Currency::Eur,
        lines,
        kind: DocumentKind::Invoice,
        paid: 0,
    }
}

struct Deb {
    reference: &'static str,
    name: &'static str,
    address: &'static str,
    identifiers: &'static str,
    locale: &'static str,
    contacts: &'static [(&'static str, &'static str)],
    invoices: Vec<Inv>,
}

const FOUR: &[(&str, i64, i64)] = &[
    ("Four à sole 4 étages — modèle Ardent 400", 1000, 1_845_000),
    ("Livraison et installation", 1000, 65_000),
];
const PETRIN: &[(&str, i64, i64)] = &[("Pétrin spirale 80 L", 1000, 612_500)];
const MAINT: &[(&str, i64, i64)] = &[("Contrat de maintenance — trimestre", 1000, 48_000)];
const PIECES: &[(&str, i64, i64)] = &[
    ("Joint de porte de four", 4000, 3_450),
    ("Résistance 3 kW", 2000, 18_900),
    ("Main-d’œuvre (heures)", 2500, 6_800),
];
const VITRINE: &[(&str, i64, i64)] = &[("Vitrine réfrigérée 1,5 m « Cristal »", 1000, 389_000)];
const LAVE: &[(&str, i64, i64)] = &[
    ("Lave-vaisselle à capot", 1000, 412_000),
    ("Adoucisseur d’eau", 1000, 59_000),
];
const CAFE: &[(&str, i64, i64)] = &[("Machine à café 2 groupes", 1000, 520_000)];
const AVOIR: &[(&str, i64, i64)] = &[("Avoir — remise commerciale sur vitrine", 1000, 30_000)];
const SMALL: &[(&str, i64, i64)] = &[("Consommables (filtres, joints)", 12000, 1_250)];
const HOTTE: &[(&str, i64, i64)] = &[
    ("Hotte d’extraction inox 3 m", 1000, 734_000),
    ("Pose et raccordement", 6000, 7_500),
];
const COLD: &[(&str, i64, i64)] = &[("Chambre froide positive 6 m³", 1000, 1_120_000)];
const UK_OVEN: &[(&str, i64, i64)] = &[("Combi oven 10 GN 1/1 (export)", 1000, 980_000)];

fn debtors() -> Vec<Deb> {
    vec![
        Deb {
            reference: "C-1001",
            name: "Boulangerie Martin & Fils",
            address: "12 rue des Lilas\n69003 Lyon",
            identifiers: "SIREN 512 345 678",
            locale: "fr",
            contacts: &[("Claire Martin", "compta@boulangerie-martin.example")],
            invoices: vec![
                inv("F-2026-0101", 20, MAINT),
                inv("F-2026-0102", 3, PIECES),
                inv("F-2026-0103", -5, PETRIN),
                inv("F-2026-0104", -35, SMALL),
            ],
        },
        Deb {
            reference: "C-1002",
            name: "Hôtel Côte d’Azur SARL",
            address: "8 promenade des Anglais\n06000 Nice",
            identifiers: "SIREN 498 765 432\nTVA FR45 498765432",
            locale: "fr",
            contacts: &[
                ("Étienne Rousseau", "factures@hotel-cotedazur.example"),
                ("Direction", "direction@hotel-cotedazur.example"),
            ],
            invoices: vec![
                inv("F-2026-0201", -95, FOUR),
                Inv {
                    paid: 200_000,
                    ..inv("F-2026-0202", -35, LAVE)
                },
                inv("F-2026-0203", -5, CAFE),
                inv("F-2026-0204", 3, MAINT),
                inv("F-2026-0205", 12, PIECES),
                Inv {
                    kind: DocumentKind::CreditNote,
                    ..inv("AV-2026-0007", -10, AVOIR)
                },
                inv("F-2026-0206", -62, SMALL),
            ],
        },
        Deb {
            reference: "C-1003",
            name: "Northwind Catering Ltd",
            address: "14 Old Street\nLondon EC1V 9HL\nUnited Kingdom",
            identifiers: "VAT GB 123 4567 89",
            locale: "en",
            contacts: &[("Accounts Payable", "ap@northwind-catering.example")],
            invoices: vec![
                Inv {
                    currency: Currency::Gbp,
                    ..inv("F-2026-0301", -35, UK_OVEN)
                },
                Inv {
                    currency: Currency::Gbp,
                    ..inv("F-2026-0302", 3, MAINT)
                },
                inv("F-2026-0303", -5, VITRINE),
                inv("F-2026-0304", 30, SMALL),
            ],
        },
        Deb {
            reference: "C-1004",
            name: "Mairie de Saint-Étienne-de-Tinée",
            address: "Place de la Mairie\n06660 Saint-Étienne-de-Tinée",
            identifiers: "SIRET 210 601 268 00014",
            locale: "fr",
            contacts: &[(
                "Service comptabilité",
                "comptabilite@mairie-st-etienne.example",
            )],
            invoices: [
                -120, -95, -80, -62, -45, -35, -20, -5, 0, 3, 15, 40, 55, 70, 90,
            ]
            .into_iter()
            .enumerate()
            .map(|(i, due)| {
                inv(
                    &format!("F-2026-04{:02}", i + 1),
                    due,
                    [HOTTE, COLD, MAINT, SMALL][i % 4],
                )
            })
            .collect(),
        },
        Deb {
            reference: "C-1005",
            name: "Brasserie Le Général — Société Lefèvre",
            address: "3 quai de la Fosse\n44000 Nantes",
            identifiers: "SIREN 533 221 009",
            locale: "fr",
            contacts: &[("Zoé Lefèvre", "zoe.lefevre@brasserie-general.example")],
            invoices: vec![
                Inv {
                    paid: i64::MAX,
                    ..inv("F-2026-0501", -40, VITRINE)
                },
                Inv {
                    paid: i64::MAX,
                    ..inv("F-2026-0502", -10, MAINT)
                },
            ],
        },
        Deb {
            reference: "C-1006",
            name: "Restaurant Ōkami",
            address: "27 rue Sainte-Anne\n75001 Paris",
            identifiers: "SIREN 824 113 907",
            locale: "fr",
            contacts: &[("Kenji Sato", "kenji@okami-paris.example")],
            invoices: vec![
                inv("F-2026-0601", -95, CAFE),
                inv("F-2026-0602", -62, PIECES),
                Inv {
                    paid: 100_000,
                    ..inv("F-2026-0603", -35, HOTTE)
                },
                inv("F-2026-0604", -5, SMALL),
                inv("F-2026-0605", 3, MAINT),
                inv("F-2026-0606", 25, PETRIN),
                Inv {
                    kind: DocumentKind::CreditNote,
                    ..inv("AV-2026-0009", -30, SMALL)
                },
                inv("F-2026-0607", 45, VITRINE),
            ],
        },
        Deb {
            reference: "C-1007",
            name: "Pâtisserie Léon",
            address: "8 rue du Faubourg
33000 Bordeaux",
            identifiers: "SIREN 901 245 118",
            locale: "fr",
            contacts: &[("Léon Barthe", "leon@patisserie-leon.example")],
            invoices: vec![
                inv("F-2026-0701", -20, SMALL),
                inv("F-2026-0702", 10, SMALL),
            ],
        },
    ]
}

/// Seeds the demo creditor unless there is one already. Returns whether it seeded.
pub async fn seed_if_empty(storage: &Storage) -> anyhow::Result<()> {
    if storage.creditor_by_slug(DEMO_SLUG).await?.is_some() {
        return Ok(());
    }
    println!("Seeding demo data: Équipements Durand and 7 debtors…");
    let now = now();
    let creditor_id = storage
        .insert_creditor(
            &NewCreditor {
                slug: DEMO_SLUG.into(),
                name: "Équipements Durand".into(),
                legal_name: "Équipements Durand SAS".into(),
                address: "45 avenue Jean-Jaurès\n69007 Lyon\nFrance".into(),
                identifiers: "SIREN 552 100 554\nTVA FR12 552100554".into(),
                contact_email: "recouvrement@durand-equipements.example".into(),
                accent_colour: "#0f6e5c".into(),
                logo: Some(("image/svg+xml".into(), LOGO.as_bytes().to_vec())),
                bank_details: Some("IBAN FR76 3000 6000 0112 3456 7890 189 — BIC AGRIFRPP".into()),
                timezone: chrono_tz::Europe::Paris,
                link_ttl_days: 30,
            },
            now,
        )
        .await?;
    let today = today_in(chrono_tz::Europe::Paris, chrono::Utc::now());
    let mut count = 0;
    for d in debtors() {
        let debtor_id = storage
            .insert_debtor(
                &creditor_id,
                &NewDebtor {
                    reference: d.reference.into(),
                    name: d.name.into(),
                    address: d.address.into(),
                    identifiers: d.identifiers.into(),
                    lang: app::domain::locale::Lang::parse(d.locale).unwrap_or_default(),
                    timezone: chrono_tz::Europe::Paris,
                    contacts: d
                        .contacts
                        .iter()
                        .map(|(n, e)| (n.to_string(), e.to_string()))
                        .collect(),
                },
                now,
            )
            .await?;
        let mut credit_notes = vec![];
        let mut open_invoices = vec![];
        for i in d.invoices {
            let (id, total) =
                insert_demo_invoice(storage, &creditor_id, &debtor_id, &i, today, now).await?;
            count += 1;
            match i.kind {
                DocumentKind::CreditNote => credit_notes.push((id, total)),
                DocumentKind::Invoice if i.paid > 0 => {
                    let amount = i.paid.min(total);
                    storage
                        .insert_payment(
                            &creditor_id,
                            &NewPayment {
                                debtor_id: debtor_id.clone(),
                                received_on: today - Duration::days((-i.due_in).max(1) / 2),
                                currency: i.currency,
                                amount_minor: amount,
                                method: "transfer".into(),
                                reference: format!("VIR {}", i.number),
                                external_id: None,
                                allocations: vec![(id.clone(), amount)],
                            },
                            now,
                        )
                        .await?;
                    if amount < total {
                        open_invoices.push(id);
                    }
                }
                DocumentKind::Invoice => open_invoices.push(id),
            }
        }
        // The first credit note of the Ōkami file is already half used against its oldest invoice.
        if d.reference == "C-1006"
            && let (Some((cn, total)), Some(inv)) = (credit_notes.first(), open_invoices.first())
        {
            storage
                .apply_credit_note(&creditor_id, cn, inv, total / 2, now)
                .await?;
        }
    }
    println!("Seeded {count} invoices and credit notes.");
    seed_agent(storage, &creditor_id).await?;
    for (name, email) in [
        (
            "Service commercial",
            "commercial@durand-equipements.example",
        ),
        ("Logistique", "logistique@durand-equipements.example"),
    ] {
        storage
            .add_dispute_owner(&creditor_id, name, email, now)
            .await?;
    }
    configure_schedules(storage).await
}

async fn insert_demo_invoice(
    storage: &Storage,
    creditor_id: &str,
    debtor_id: &str,
    i: &Inv,
    today: NaiveDate,
    now: i64,
) -> anyhow::Result<(String, i64)> {
    let lines: Vec<LineRow> = i
        .lines
        .iter()
        .map(|(desc, qty, unit)| LineRow {
            description: desc.to_string(),
            quantity_milli: *qty,
            unit_price_minor: *unit,
            tax_rate_bp: 2000,
            total_minor: qty * unit / 1000,
        })
        .collect();
    let excl: i64 = lines.iter().map(|l| l.total_minor).sum();
    let tax: i64 = lines
        .iter()
        .map(|l| l.total_minor * l.tax_rate_bp / 10_000)
        .sum();
    let due = today + Duration::days(i.due_in);
    let id = storage
        .insert_invoice(
            creditor_id,
            &NewInvoice {
                debtor_id: debtor_id.into(),
                number: i.number.clone(),
                kind: i.kind,
                issue_date: due - Duration::days(30),
                due_date: due,
                currency: i.currency,
                amount_minor: excl + tax,
                tax_minor: tax,
                payment_reference: i.number.clone(),
                original_pdf: None,
                lines,
            },
            now,
        )
        .await?;
    Ok((id, excl + tax))
}

/// Prints a fresh link for each demo debtor.
pub async fn print_links(config: &Config, storage: &Storage) -> anyhow::Result<()> {
    let Some(c) = storage.creditor_by_slug(DEMO_SLUG).await? else {
        return Ok(());
    };
    let signer = LinkSigner::new(config.link_secret.clone());
    println!(
        "\nDemo links for {} (valid {} days):",
        c.name, c.link_ttl_days
    );
    for d in storage.debtors(&c.id).await? {
        let (_, token) = signer.mint(storage, &c.id, &d.id, "cli", now()).await?;
        println!("  {:<42} {}/l/{}", d.name, config.public_url, token);
    }
    println!(
        "Back office: {}/agent/login as {DEMO_AGENT_EMAIL}, password {DEMO_AGENT_PASSWORD}",
        config.public_url
    );
    println!();
    Ok(())
}

/// The wall clock: the demo is set up in real time.
fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

/// The demo's back-office account: a known password, for a local demo database only.
pub const DEMO_AGENT_EMAIL: &str = "admin@durand-equipements.example";
pub const DEMO_AGENT_PASSWORD: &str = "durand-demo-2026";

async fn seed_agent(storage: &Storage, creditor_id: &str) -> anyhow::Result<()> {
    if storage.agent_by_email(DEMO_AGENT_EMAIL).await?.is_none() {
        crate::account::create(
            storage,
            creditor_id,
            DEMO_AGENT_EMAIL,
            "Sophie Durand",
            app::domain::agent::Role::Admin,
            DEMO_AGENT_PASSWORD,
            now(),
        )
        .await?;
    }
    Ok(())
}

/// The demo creditor's schedule rules, unless it has some (a demo database from before
/// schedules, or rules changed on the settings page, are kept): the product brief's example
/// bands. Under 500 €, up to 3 instalments within 60 days; 500–5,000 €, up to 6 within 186
/// days, 20 % first within 7 days; above, an agent decides.
pub async fn configure_schedules(storage: &Storage) -> anyhow::Result<()> {
    let Some(c) = storage.creditor_by_slug(DEMO_SLUG).await? else {
        return Ok(());
    };
    if storage.schedule_rules(&c.id).await?.is_some() {
        return Ok(());
    }
    let rules = crate::storage::RulesRow {
        rules: app::domain::schedule::ScheduleRules::example(app::domain::money::Currency::Eur),
        ..crate::storage::RulesRow::default()
    };
    crate::schedule::rules::set_rules(storage, &c.id, rules, "cli", now()).await
}

/// The demo creditor's bank account and card processor, set on every `serve --demo` so the
/// keys in the environment (the local sandbox's, or real Stripe test keys) are the ones used.
pub async fn configure_payments(
    config: &crate::config::Config,
    storage: &Storage,
) -> anyhow::Result<()> {
    let Some(c) = storage.creditor_by_slug(DEMO_SLUG).await? else {
        return Ok(());
    };
    let sealer = crate::sealing::Sealer::new(&config.link_secret);
    let stripe = config
        .demo_stripe
        .as_ref()
        .map(|s| (s.publishable_key.as_str(), &s.secret_key, &s.webhook_secret));
    crate::payment::settings::configure(
        &sealer,
        storage,
        &c.id,
        &crate::payment::settings::PaymentSettings {
            beneficiary_name: "Équipements Durand SAS",
            iban: Some("FR7630006000011234567890189"),
            bic: Some("AGRIFRPP"),
            min_payment_minor: 1000,
            stripe,
        },
        now(),
    )
    .await
}

/// The demo creditor's first reminders, as a run in business hours would have sent them, so
/// `make run` leaves them in the mail catcher whatever the hour it starts at: the run's clock
/// is set back to the last sending day at 11:00 in Paris (the demo debtors' time zone). Their
/// links work for the creditor's 30 days from then. A day already reminded adds nothing.
pub async fn first_reminders(config: &Config, storage: &Storage) -> anyhow::Result<()> {
    use crate::kernel::AppState;
    use crate::kernel::clock::{Clock, ShiftedClock};
    use anyhow::Context;
    use app::domain::calendar::Country;
    let Some(c) = storage.creditor_by_slug(DEMO_SLUG).await? else {
        return Ok(());
    };
    let window = storage.reminder_settings(&c.id).await?.window;
    let tz = chrono_tz::Europe::Paris;
    let now = chrono::Utc::now();
    let mut day = today_in(tz, now);
    let at = loop {
        let at = day
            .and_hms_opt(11, 0, 0)
            .and_then(|t| t.and_local_timezone(tz).earliest())
            .map(|t| t.with_timezone(&chrono::Utc));
        if let Some(at) = at
            && at <= now
            && window.is_sending_day(Country::Fr, day)
        {
            break at;
        }
        day = day.pred_opt().context("no sending day in the calendar")?;
    };
    let mut state = AppState::new(config.clone(), storage.clone())?;
    let clock = ShiftedClock::default();
    clock.advance(at - clock.now());
    state.clock = std::sync::Arc::new(clock);
    let r = crate::reminder::run(&state, false).await?;
    println!(
        "Reminders of {}: {} emails, {} tasks for agents (mail catcher)",
        day, r.emails, r.tasks
    );
    Ok(())
}
