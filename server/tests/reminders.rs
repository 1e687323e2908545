//! Reminder runs on SQLite and PostgreSQL, with the real SMTP catcher: what a run sends, that a
//! second run, a restarted run and two racing instances send each reminder once, that SMTP
//! down then up delivers once, and that a dispute or a payment stops an invoice's reminders.
//! Time is the app's clock, moved into business hours and forward by days.

use crate::both;
use crate::support::*;
use app::domain::calendar::{Country, SendingWindow};
use chrono::Duration;
use chrono_tz::Europe::Paris;
use server::kernel::clock::{Clock, wall_clock};
use server::reminder;

/// Moves the app's clock to the next time reminders may go out in Paris (now if it is
/// already, unless the window closes within ten minutes).
fn to_sending_hours(app: &TestApp) {
    let w = SendingWindow::default();
    let now = app.clock.now();
    let local = wall_clock(Paris, now.timestamp());
    let mut target = w.next_open(Country::Fr, local).unwrap();
    if target == local && !w.allows(Country::Fr, local + Duration::minutes(10)) {
        target = w
            .next_open(Country::Fr, local + Duration::minutes(10))
            .unwrap();
    }
    let at = target
        .and_local_timezone(Paris)
        .earliest()
        .unwrap()
        .with_timezone(&chrono::Utc)
        + Duration::minutes(1);
    if at > now {
        app.clock.advance(at - now);
    }
}

fn subject(m: &serde_json::Value) -> String {
    m["subject"].as_str().unwrap_or("").to_string()
}

async fn reminder_mails(mail: &Maildev, to: &str) -> Vec<serde_json::Value> {
    mail.to(to)
        .await
        .into_iter()
        .filter(|m| {
            subject(m).contains("relance")
                || subject(m).contains("Rappel")
                || subject(m).contains("Facture en attente")
        })
        .collect()
}

/// Waits (up to 15 s) until `n` reminders reached this address: other mails (a dispute's
/// acknowledgement, a broken schedule's notice) may arrive first.
async fn wait_for_reminders(mail: &Maildev, to: &str, n: usize) -> Vec<serde_json::Value> {
    for _ in 0..60 {
        let found = reminder_mails(mail, to).await;
        if found.len() >= n {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!(
        "expected {n} reminder(s) to {to} in maildev: {:?}",
        mail.to(to).await
    );
}

async fn number_of(db: &Db, invoice_id: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT number FROM invoices WHERE id = $1")
        .bind(invoice_id)
        .fetch_one(&db.storage.pool)
        .await
        .unwrap()
        .get("number")
}

both!(
    a_run_sends_one_mail_listing_each_invoice_and_a_second_run_sends_nothing,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let s = seed(&db.storage, "Boulangerie <b>Martin</b>").await;
        to_sending_hours(&app);
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!((r.debtors, r.emails, r.tasks), (1, 1, 0), "{r:?}");

        let m = &mail.wait_for(&s.email, 1).await[0];
        // 40 days overdue and never reminded: it enters at the latest written step (+15), and
        // the invoice due in 3 days rides along with its pre-due wording, in one mail.
        assert!(subject(m).starts_with("Deuxième relance"), "{}", subject(m));
        let text = m["text"].as_str().unwrap();
        let (late, soon) = (
            number_of(&db, &s.invoice_ids[0]).await,
            number_of(&db, &s.invoice_ids[1]).await,
        );
        assert!(text.contains(&late) && text.contains(&soon), "{text}");
        assert!(
            text.contains("en retard de 4") && text.contains("à régler avant le"),
            "{text}"
        );
        assert!(text.contains("Bonjour Claire Martin"), "{text}");
        let html = m["html"].as_str().unwrap();
        assert!(
            !html.contains("<b>Martin"),
            "creditor data is escaped in HTML"
        );
        // The link minted for this email opens the portal, and the timeline knows it.
        let token = token_in(text).unwrap();
        assert!(
            html.contains(&format!("<a href=\"{}/l/{token}\"", app.base)),
            "{html}"
        );
        let c = app.client();
        c.open(&token).await;
        assert_eq!(c.get("/statement").await.status, 200);
        let timeline = db
            .storage
            .reminders_of(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap();
        assert_eq!(timeline.len(), 1);
        assert_eq!(timeline[0].status, "sent");
        assert!(timeline[0].sent_at.is_some() && timeline[0].link_opened_at.is_some());

        // A second run, the same day or the next: nothing (the gap is five days).
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!((r.emails, r.waiting), (0, 1), "{r:?}");
        app.let_days_pass(1);
        to_sending_hours(&app);
        assert_eq!(reminder::run(&app.state, false).await.unwrap().emails, 0);
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert_eq!(reminder_mails(&mail, &s.email).await.len(), 1);
    }
);

both!(
    two_instances_racing_and_a_run_cut_short_send_each_reminder_once,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let first = seed(&db.storage, "Hôtel Côte d’Azur").await;
        let mut debtors = vec![first.clone()];
        for k in 0..5 {
            debtors.push(
                seed_debtor(
                    &db.storage,
                    &first.creditor_id,
                    &first.slug,
                    &format!("Débiteur {k}"),
                )
                .await,
            );
        }
        to_sending_hours(&app);
        // A run cut short at some point, as a process that dies: its own pool, closed once
        // the run is stopped (an aborted task's open transaction is only rolled back when its
        // connection closes; until then it may hold SQLite's write lock). Then two instances
        // (each with its own pool, as two processes would have) race to finish the job.
        let dying = server::storage::Storage::connect(&db.url).await.unwrap();
        let cut = {
            let mut state = app.state.clone();
            state.storage = dying.clone();
            tokio::spawn(async move { reminder::run(&state, false).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
        cut.abort();
        let _ = cut.await;
        dying.pool.close().await;
        let other = server::storage::Storage::connect(&db.url).await.unwrap();
        let mut twin = app.state.clone();
        twin.storage = other;
        let (a, b) = tokio::join!(
            reminder::run(&app.state, false),
            reminder::run(&twin, false)
        );
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a.emails + b.emails <= debtors.len(), "{a:?} {b:?}");
        for d in &debtors {
            let got = mail.wait_for(&d.email, 1).await;
            assert_eq!(got.len(), 1, "{}", d.email);
            assert_eq!(
                db.storage
                    .reminders_of(&d.creditor_id, &d.debtor_id)
                    .await
                    .unwrap()
                    .len(),
                1
            );
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        for d in &debtors {
            assert_eq!(mail.to(&d.email).await.len(), 1, "{}", d.email);
        }
    }
);

both!(
    smtp_down_during_a_run_then_up_delivers_each_once,
    |db: Db| async move {
        // This app's mail goes to a port where nothing listens.
        let app = TestApp::start_with(&db, |c| c.smtp_url = "smtp://127.0.0.1:9".into()).await;
        let mail = Maildev::from_env();
        let s = seed(&db.storage, "Pâtisserie Léon").await;
        to_sending_hours(&app);
        assert_eq!(reminder::run(&app.state, false).await.unwrap().emails, 1);
        // The outbox tried and failed: the reminder waits, queued.
        let mut tries = 0;
        loop {
            use sqlx::Row;
            let row = sqlx::query("SELECT attempts, last_error FROM outbox WHERE to_address = $1")
                .bind(&s.email)
                .fetch_one(&db.storage.pool)
                .await
                .unwrap();
            if row.get::<i64, _>("attempts") >= 1
                && row.get::<Option<String>, _>("last_error").is_some()
            {
                break;
            }
            tries += 1;
            assert!(tries < 60, "the outbox never tried");
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert_eq!(
            db.storage
                .reminders_of(&s.creditor_id, &s.debtor_id)
                .await
                .unwrap()[0]
                .status,
            "queued"
        );
        // SMTP is back (the real catcher), after the back-off.
        app.clock.advance(Duration::minutes(5));
        let up =
            server::mail::SmtpMailer::new(&test_config(&db.url).smtp_url, "portail@test.example")
                .unwrap();
        let sent = server::jobs::send_due_mail(&app.state, &up).await.unwrap();
        assert_eq!(sent, 1);
        assert_eq!(
            server::jobs::send_due_mail(&app.state, &up).await.unwrap(),
            0
        );
        assert_eq!(mail.wait_for(&s.email, 1).await.len(), 1);
        assert_eq!(
            db.storage
                .reminders_of(&s.creditor_id, &s.debtor_id)
                .await
                .unwrap()[0]
                .status,
            "sent"
        );
    }
);

both!(
    a_dispute_or_a_payment_stops_an_invoices_reminders,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let s = seed(&db.storage, "Northwind SARL").await;
        let (late, soon) = (
            number_of(&db, &s.invoice_ids[0]).await,
            number_of(&db, &s.invoice_ids[1]).await,
        );
        to_sending_hours(&app);
        assert_eq!(reminder::run(&app.state, false).await.unwrap().emails, 1);
        mail.wait_for(&s.email, 1).await;

        // The debtor contests the late invoice between two steps.
        let c = app.client();
        c.open(&app.mint(&s).await).await;
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[0]),
                    ("reason", "billing_error"),
                    ("message", "Livraison incomplète."),
                ],
                &[],
            )
            .await;
        assert_eq!(r.status, 303);
        // Eight days on, the invoice due soon is overdue: its next reminder lists it alone.
        app.let_days_pass(8);
        to_sending_hours(&app);
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!(r.emails, 1, "{r:?}");
        let mails = wait_for_reminders(&mail, &s.email, 2).await;
        let text = mails
            .iter()
            .map(|m| m["text"].as_str().unwrap().to_string())
            .find(|t| t.contains("jours") && !t.contains(&late))
            .unwrap_or_else(|| panic!("no reminder without the contested invoice: {mails:?}"));
        assert!(text.contains(&soon), "{text}");

        // It is paid in full: nothing more, however long.
        db.storage
            .insert_payment(
                &s.creditor_id,
                &server::storage::NewPayment {
                    debtor_id: s.debtor_id.clone(),
                    received_on: app.today(),
                    currency: app::domain::money::Currency::Eur,
                    amount_minor: 50_000,
                    method: "transfer".into(),
                    reference: "VIR 123".into(),
                    external_id: None,
                    allocations: vec![(s.invoice_ids[1].clone(), 50_000)],
                },
                app.state.now(),
            )
            .await
            .unwrap();
        for _ in 0..4 {
            app.let_days_pass(10);
            to_sending_hours(&app);
            assert_eq!(reminder::run(&app.state, false).await.unwrap().emails, 0);
        }
    }
);

both!(
    outside_business_hours_nothing_goes_and_a_dry_run_writes_nothing,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Restaurant Ōkami").await;
        // Next Sunday, 12:00 in Paris.
        to_sending_hours(&app);
        let local = wall_clock(Paris, app.state.now());
        let days = 7 - i64::from(chrono::Datelike::weekday(&local.date()).num_days_from_sunday());
        let sunday = (local.date() + Duration::days(days % 7))
            .and_hms_opt(12, 0, 0)
            .unwrap();
        let at = sunday
            .and_local_timezone(Paris)
            .earliest()
            .unwrap()
            .with_timezone(&chrono::Utc);
        app.clock.advance(at - app.clock.now());
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!((r.emails, r.outside_hours), (0, 1), "{r:?}");
        let r = reminder::run(&app.state, true).await.unwrap();
        assert_eq!(r.emails, 1, "a dry run says what is due: {r:?}");
        assert!(
            db.storage
                .reminders_of(&s.creditor_id, &s.debtor_id)
                .await
                .unwrap()
                .is_empty()
        );
    }
);

both!(
    two_server_processes_on_one_database_queue_each_reminder_once,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let first = seed(&db.storage, "Brasserie des Deux Rives").await;
        let mut debtors = vec![first.clone()];
        for k in 0..7 {
            debtors.push(
                seed_debtor(
                    &db.storage,
                    &first.creditor_id,
                    &first.slug,
                    &format!("Client {k}"),
                )
                .await,
            );
        }
        // The processes read the machine's clock: this creditor sends at any hour of any day.
        let settings = server::storage::ReminderSettings {
            window: SendingWindow::new([true; 7], 0, 1440).unwrap(),
            ..Default::default()
        };
        db.storage
            .save_reminder_settings(&first.creditor_id, &settings, "test", app.state.now())
            .await
            .unwrap();
        let today = wall_clock(Paris, chrono::Utc::now().timestamp());
        let expected = if settings.window.allows(Country::Fr, today) {
            debtors.len()
        } else {
            0 // a French public holiday: nothing goes, from either process
        };

        let run = || {
            std::process::Command::new(env!("CARGO_BIN_EXE_server"))
                .args(["reminders", "run"])
                .env("DATABASE_URL", &db.url)
                .env("LINK_SECRET", "test-secret-that-is-long-enough-0123456789")
                .env("PUBLIC_URL", "http://127.0.0.1:1")
                .env("SMTP_URL", "smtp://127.0.0.1:9")
                .env(
                    "LEPTOS_SITE_ROOT",
                    concat!(env!("CARGO_MANIFEST_DIR"), "/../target/site"),
                )
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let (a, b) = (run(), run());
        let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
        for out in [&a, &b] {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        for d in &debtors {
            let rows = db
                .storage
                .reminders_of(&d.creditor_id, &d.debtor_id)
                .await
                .unwrap();
            assert_eq!(rows.len(), expected / debtors.len(), "{}", d.email);
        }
        // This app's outbox sends what the two processes queued, once each: here and by its
        // worker in the background, whichever claims a mail first (so the mails are counted
        // where they arrive, not by who sent them).
        let up =
            server::mail::SmtpMailer::new(&test_config(&db.url).smtp_url, "portail@test.example")
                .unwrap();
        while let Ok(1..) = server::jobs::send_due_mail(&app.state, &up).await {}
        for d in debtors.iter().take(expected) {
            assert_eq!(mail.wait_for(&d.email, 1).await.len(), 1, "{}", d.email);
        }
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        for d in &debtors {
            assert!(mail.to(&d.email).await.len() <= 1, "{}", d.email);
        }
    }
);

both!(
    a_broken_schedule_resumes_at_the_level_its_invoice_had,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let s = seed(&db.storage, "Librairie du Port").await;
        with_rules(&db, &s).await; // broken 7 days after a missed instalment
        let soon = number_of(&db, &s.invoice_ids[1]).await;
        // The late invoice is paid: only the one due in three days is reminded.
        db.storage
            .insert_payment(
                &s.creditor_id,
                &server::storage::NewPayment {
                    debtor_id: s.debtor_id.clone(),
                    received_on: app.today(),
                    currency: app::domain::money::Currency::Eur,
                    amount_minor: 123_456,
                    method: "transfer".into(),
                    reference: "VIR 1".into(),
                    external_id: None,
                    allocations: vec![(s.invoice_ids[0].clone(), 123_456)],
                },
                app.state.now(),
            )
            .await
            .unwrap();
        to_sending_hours(&app);
        assert_eq!(reminder::run(&app.state, false).await.unwrap().emails, 1);
        let first = mail.wait_for(&s.email, 1).await;
        assert!(subject(&first[0]).starts_with("Rappel amical"), "{first:?}");

        // It goes into a schedule whose first instalment, in twelve days, is never paid.
        accepted(&db, &s, &[(12, 25_000), (42, 25_000)]).await;
        for _ in 0..19 {
            app.let_days_pass(1);
            to_sending_hours(&app);
            assert_eq!(
                reminder::run(&app.state, false).await.unwrap().emails,
                0,
                "a scheduled invoice is not reminded"
            );
        }
        app.let_days_pass(1);
        server::jobs::follow_schedules(&app.state).await.unwrap();
        // Broken eight days late, the invoice is over 15 days overdue. It is chased from the
        // step after the one it had reached: the first overdue reminder, not the friendly one
        // again, nor the second reminder a never-reminded invoice this late would get.
        to_sending_hours(&app);
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!(r.emails, 1, "{r:?}");
        let mails = wait_for_reminders(&mail, &s.email, 2).await;
        let next = mails
            .iter()
            .find(|m| !subject(m).starts_with("Rappel amical"))
            .unwrap_or_else(|| panic!("no second reminder: {mails:?}"));
        assert!(
            subject(next).starts_with("Facture en attente"),
            "{}",
            subject(next)
        );
        assert!(next["text"].as_str().unwrap().contains(&soon));
    }
);
