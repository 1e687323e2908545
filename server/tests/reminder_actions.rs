//! What agents do with reminders, on SQLite and PostgreSQL with the real SMTP catcher: pauses
//! (until their date, or resumed by hand), tasks that hold the scenario until done, a formal
//! notice confirmed once, the letter PDF read back with real tools, the end of the amicable
//! phase (extend, write off), and what is refused: read-only agents, another creditor's data,
//! malformed input. Days pass on the app's clock, never by editing rows.

use crate::both;
use crate::documents::pdf_checks;
use crate::support::*;
use app::domain::agent::Role;
use app::domain::calendar::{Country, SendingWindow};
use chrono::Duration;
use chrono_tz::Europe::Paris;
use server::kernel::clock::{Clock, wall_clock};
use server::reminder;

/// Moves the app's clock to the next time reminders may go out in Paris.
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

/// Days pass, then the clock moves into sending hours.
fn later(app: &TestApp, days: i64) {
    app.let_days_pass(days);
    to_sending_hours(app);
}

async fn run(app: &TestApp) -> reminder::Report {
    reminder::run(&app.state, false).await.unwrap()
}

fn page(s: &Seeded) -> String {
    format!("/agent/debtors/{}", s.debtor_id)
}

/// The status of a seeded invoice, read back.
async fn status_of(db: &Db, invoice_id: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT status FROM invoices WHERE id = $1")
        .bind(invoice_id)
        .fetch_one(&db.storage.pool)
        .await
        .unwrap()
        .get("status")
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

/// How many reminders the debtor had.
async fn count(db: &Db, s: &Seeded) -> usize {
    db.storage
        .reminders_of(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap()
        .len()
}

/// The reminder waiting for a person, if any.
async fn task_of(db: &Db, s: &Seeded) -> Option<String> {
    db.storage
        .reminders_of(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.status == "task")
        .map(|r| r.id)
}

both!(
    a_pause_stops_reminders_until_its_end_date_and_resume_by_hand_lets_them_go,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Martin").await;
        // Moved first: an agent's session lasts 10 hours, and the next sending hour may be
        // tomorrow morning.
        to_sending_hours(&app);
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let until = (app.today() + Duration::days(30)).to_string();

        // Paused for every invoice: the run sends nothing; resumed by hand, it sends.
        let r = agent
            .post_form(
                &format!("{}/pauses", page(&s)),
                &[
                    ("invoice", ""),
                    ("reason", "Client en congés <script>alert(1)</script>"),
                    ("until", &until),
                ],
            )
            .await;
        assert_eq!(r.location(), format!("{}?done=reminders#pauses", page(&s)));
        assert_eq!(run(&app).await.emails, 0);
        let html = agent.get(&page(&s)).await.text();
        assert!(
            html.contains("Client en congés &lt;script&gt;"),
            "the reason is shown, escaped"
        );
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("relances mises en pause"), "in the timeline");
        let pause = db
            .storage
            .pauses_of(&s.creditor_id, &s.debtor_id, app.today())
            .await
            .unwrap()
            .pop()
            .unwrap();
        let r = agent
            .post_form(&format!("/agent/pauses/{}/resume", pause.id), &[])
            .await;
        assert_eq!(r.location(), format!("{}?done=reminders#pauses", page(&s)));
        // Resumed twice: the second finds it ended, and says so.
        let r = agent
            .post_form(&format!("/agent/pauses/{}/resume", pause.id), &[])
            .await;
        assert!(r.location().contains("error=resumed"), "{}", r.location());
        assert_eq!(run(&app).await.emails, 1);
        let html = agent.get(&page(&s)).await.text();
        assert!(html.contains("relances reprises"), "in the timeline");
        assert!(html.contains("Aucune pause en cours."), "no longer listed");

        // Paused until a date: nothing while it lasts, the next step once it is past.
        let until = (app.today() + Duration::days(8)).to_string();
        let r = agent
            .post_form(
                &format!("{}/pauses", page(&s)),
                &[
                    ("invoice", ""),
                    ("reason", "Accord oral"),
                    ("until", &until),
                ],
            )
            .await;
        assert!(r.location().contains("done=reminders"));
        later(&app, 6);
        let r = run(&app).await;
        assert_eq!((r.emails, r.tasks), (0, 0), "paused: {r:?}");
        let end = chrono::NaiveDate::parse_from_str(&until, "%Y-%m-%d").unwrap();
        let days = (end - app.today()).num_days() + 1;
        later(&app, days);
        let r = run(&app).await;
        assert_eq!(r.emails + r.tasks, 1, "the pause is over: {r:?}");
    }
);

both!(
    a_task_holds_the_scenario_until_done_and_a_confirmed_formal_notice_goes_once,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let s = seed(&db.storage, "Hôtel Côte d’Azur SARL").await;
        let other = seed(&db.storage, "Autre débiteur").await;
        let number = number_of(&db, &s.invoice_ids[0]).await;
        // The creditor keeps its reference rates up to date: interest can be computed whatever
        // half-year the test runs in (without a rate no charges are claimed at all). A long
        // amicable phase: the invoice is 40 days overdue and each move into sending hours can
        // add days (started on a Friday evening, the four runs fall 64 days after its due
        // date, past the default phase of 63), and the phase's end is another test's subject.
        let mut settings = server::storage::ReminderSettings {
            phase_days: 120,
            ..Default::default()
        };
        let year = chrono::Datelike::year(&app.today());
        for y in [year - 1, year, year + 1] {
            for second_half in [false, true] {
                settings
                    .terms
                    .rates
                    .push(app::domain::late_charges::HalfYearRate {
                        year: y,
                        second_half,
                        reference_bp: 215,
                    });
            }
        }
        db.storage
            .save_reminder_settings(&s.creditor_id, &settings, "test", now())
            .await
            .unwrap();
        to_sending_hours(&app);
        run(&app).await;
        assert_eq!(count(&db, &s).await, 1);

        // The call at +25: a task, with what to say, holding the scenario.
        later(&app, 6);
        run(&app).await;
        let task = task_of(&db, &s).await.unwrap();
        // Sessions end when days pass: everyone signs in again.
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let queue = agent.get("/agent/queue").await.text();
        assert!(
            queue.contains("Relances à traiter") && queue.contains("appel téléphonique"),
            "{queue}"
        );
        assert!(queue.contains(&number), "the script names the invoice");
        later(&app, 6);
        run(&app).await;
        assert_eq!(count(&db, &s).await, 2, "held");
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let reader = app.agent(&db, &s.creditor_id, Role::ReadOnly).await;
        let stranger = app.agent(&db, &other.creditor_id, Role::Admin).await;

        // Refused: a read-only agent, another creditor's agent, a phone call's "letter".
        let finish = format!("/agent/reminders/{task}/finish");
        let r = reader.post_form(&finish, &[("outcome", "done")]).await;
        assert!(r.location().contains("error=forbidden"));
        assert_eq!(
            stranger
                .post_form(&finish, &[("outcome", "done")])
                .await
                .status,
            404
        );
        assert_eq!(
            agent
                .get(&format!("/agent/reminders/{task}/letter"))
                .await
                .status,
            404
        );
        let r = agent.post_form(&finish, &[("outcome", "maybe")]).await;
        assert!(r.location().contains("error=decision"));
        assert!(task_of(&db, &s).await.is_some(), "still waiting");

        // Done: the scenario goes on, to the formal notice (an agent confirms it first).
        let r = agent.post_form(&finish, &[("outcome", "done")]).await;
        assert_eq!(r.location(), "/agent/queue?done=reminders#reminder-tasks");
        later(&app, 6);
        run(&app).await;
        assert_eq!(count(&db, &s).await, 3, "released");
        let notice = task_of(&db, &s).await.unwrap();
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let stranger = app.agent(&db, &other.creditor_id, Role::Admin).await;
        assert_ne!(notice, task);

        // Its letter, read back: the debtor, the invoice, EUR 40 apart, the legal mentions.
        assert_eq!(
            stranger
                .get(&format!("/agent/reminders/{notice}/letter"))
                .await
                .status,
            404
        );
        let pdf = agent
            .get(&format!("/agent/reminders/{notice}/letter"))
            .await;
        assert_eq!(pdf.status, 200);
        assert!(
            pdf.header("content-disposition")
                .unwrap()
                .starts_with("attachment")
        );
        assert!(pdf.header("cache-control").unwrap().contains("no-store"));
        let text = pdf_checks(&pdf.body);
        assert!(text.contains("Hôtel Côte d’Azur SARL"), "{text}");
        assert!(
            text.contains("Mise en demeure") && text.contains(&number),
            "{text}"
        );
        assert!(
            text.contains("Indemnité forfaitaire") && text.contains("40,00"),
            "{text}"
        );
        assert!(
            text.contains("L441-10") && text.contains("D441-5"),
            "{text}"
        );

        // Confirmed twice (a double click): one mail, with a fresh link.
        let finish = format!("/agent/reminders/{notice}/finish");
        let r = agent.post_form(&finish, &[("outcome", "done")]).await;
        assert!(r.location().contains("done=reminders"), "{}", r.location());
        let r = agent.post_form(&finish, &[("outcome", "done")]).await;
        assert!(r.location().contains("error=handled"), "{}", r.location());
        let m = mail.about(&s.email, "Mise en demeure").await;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let notices = mail
            .to(&s.email)
            .await
            .into_iter()
            .filter(|m| {
                m["subject"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("Mise en demeure")
            })
            .count();
        assert_eq!(notices, 1);
        let token = token_in(m["text"].as_str().unwrap()).unwrap();
        let debtor = app.client();
        assert_eq!(debtor.open(&token).await.status, 200);
        // The statement shows the late charges the notice claims, apart from the balance.
        let statement = debtor.get("/statement").await.text();
        assert!(
            statement.contains("Pénalités de retard (en sus des factures)")
                && statement.contains("Indemnité forfaitaire")
                && statement.contains("40,00"),
            "{statement}"
        );
        let promise_on = (app.today() + Duration::days(5)).to_string();
        let r = debtor
            .post_form("/promise", &[("amount", "100"), ("date", &promise_on)])
            .await;
        assert_eq!(r.location(), "/promise?done=1");
        let html = agent.get(&page(&s)).await.text();
        assert!(
            html.contains("relance traitée"),
            "the timeline says who did it"
        );
        // Which email was opened, and what the debtor did next.
        assert!(html.contains("Ensuite, le débiteur a"), "{html}");
        assert!(html.contains("promis de payer"), "{html}");

        // A consumer never gets late charges; nor does a business whose charges are waived.
        for form in [
            [
                ("segment", "standard"),
                ("kind", "consumer"),
                ("waived", ""),
            ],
            [
                ("segment", "standard"),
                ("kind", "business"),
                ("waived", "1"),
            ],
        ] {
            let r = agent
                .post_form(&format!("{}/reminder-profile", page(&s)), &form)
                .await;
            assert!(r.location().contains("done=reminders"), "{}", r.location());
            let pdf = agent
                .get(&format!("/agent/reminders/{notice}/letter"))
                .await;
            let text = pdf_checks(&pdf.body);
            assert!(text.contains("Hôtel Côte d’Azur SARL"), "{text}");
            assert!(
                !text.contains("Indemnité forfaitaire") && !text.contains("40,00"),
                "{text}"
            );
            let statement = debtor.get("/statement").await.text();
            assert!(statement.contains("Hôtel Côte d’Azur SARL"));
            assert!(!statement.contains("Indemnité forfaitaire"), "{statement}");
        }
    }
);

both!(
    a_case_whose_phase_is_over_is_extended_once_or_written_off_with_its_reason,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Garage du Port").await;
        let w = seed_debtor(&db.storage, &s.creditor_id, &s.slug, "Menuiserie Dubois").await;
        let settings = server::storage::ReminderSettings {
            phase_days: 10,
            ..Default::default()
        };
        db.storage
            .save_reminder_settings(&s.creditor_id, &settings, "test", now())
            .await
            .unwrap();
        to_sending_hours(&app); // first: sessions last 10 hours
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let reader = app.agent(&db, &s.creditor_id, Role::ReadOnly).await;
        let other = seed(&db.storage, "Ailleurs").await;
        let stranger = app.agent(&db, &other.creditor_id, Role::Admin).await;
        let (late, soon) = (
            number_of(&db, &s.invoice_ids[0]).await,
            number_of(&db, &s.invoice_ids[1]).await,
        );
        to_sending_hours(&app);

        // 40 days overdue, phase of 10 days after the +3 step: over, in the queue.
        let queue = agent.get("/agent/queue").await.text();
        assert!(
            queue.contains("Phase amiable terminée") && queue.contains(&late),
            "{queue}"
        );
        assert!(!queue.contains(&soon), "a phase not over is not listed");

        // Extended: refused when malformed, by a reader or another creditor; once only.
        let extend = format!("/agent/invoices/{}/extend", s.invoice_ids[0]);
        for bad in ["0", "abc", "181", ""] {
            let r = agent.post_form(&extend, &[("days", bad)]).await;
            assert!(
                r.location().contains("error=days"),
                "{bad}: {}",
                r.location()
            );
        }
        let r = reader.post_form(&extend, &[("days", "60")]).await;
        assert!(r.location().contains("error=forbidden"));
        assert_eq!(
            stranger.post_form(&extend, &[("days", "60")]).await.status,
            404
        );
        assert_eq!(
            agent
                .post_form("/agent/invoices/not-an-id/extend", &[("days", "60")])
                .await
                .status,
            404
        );
        let r = agent.post_form(&extend, &[("days", "60")]).await;
        assert_eq!(r.location(), "/agent/queue?done=reminders#phase-over");
        let r = agent.post_form(&extend, &[("days", "60")]).await;
        assert!(r.location().contains("error=extended"));
        let queue = agent.get("/agent/queue").await.text();
        assert!(!queue.contains(&late), "no longer over");

        // Reminded again: the extended invoice is in the run's mail.
        let mail = Maildev::from_env();
        let r = run(&app).await;
        assert!(r.emails >= 1, "{r:?}");
        let m = &mail.wait_for(&s.email, 1).await[0];
        assert!(m["text"].as_str().unwrap().contains(&late));

        // Written off: a reason is needed; the invoice is closed, the timeline says why.
        let close = format!("/agent/invoices/{}/close", w.invoice_ids[0]);
        let r = agent
            .post_form(&close, &[("outcome", "write_off"), ("reason", "   ")])
            .await;
        assert!(r.location().contains("error=reason"));
        let r = agent
            .post_form(&close, &[("outcome", "forgive"), ("reason", "x")])
            .await;
        assert!(r.location().contains("error=decision"));
        let r = reader
            .post_form(&close, &[("outcome", "write_off"), ("reason", "x")])
            .await;
        assert!(r.location().contains("error=forbidden"));
        assert_eq!(
            stranger
                .post_form(&close, &[("outcome", "write_off"), ("reason", "x")])
                .await
                .status,
            404
        );
        assert_eq!(
            status_of(&db, &w.invoice_ids[0]).await,
            "open",
            "nothing lost"
        );
        let r = agent
            .post_form(
                &close,
                &[
                    ("outcome", "write_off"),
                    ("reason", "Société dissoute <b>bis</b>"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/agent/queue?done=reminders#phase-over");
        assert_eq!(status_of(&db, &w.invoice_ids[0]).await, "closed");
        let r = agent
            .post_form(&close, &[("outcome", "litigation"), ("reason", "encore")])
            .await;
        assert!(r.location().contains("error=closed"));
        let html = agent.get(&page(&w)).await.text();
        assert!(html.contains("facture close") && html.contains("passée en perte"));
        assert!(
            html.contains("Société dissoute &lt;b&gt;bis&lt;/b&gt;"),
            "escaped"
        );
    }
);

both!(
    malformed_pauses_and_profiles_are_refused_with_a_reason_and_lose_nothing,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Fromagerie Alpine").await;
        let n = seed_debtor(&db.storage, &s.creditor_id, &s.slug, "Voisin").await;
        to_sending_hours(&app); // first: sessions last 10 hours
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let reader = app.agent(&db, &s.creditor_id, Role::ReadOnly).await;
        let other = seed(&db.storage, "Ailleurs").await;
        let stranger = app.agent(&db, &other.creditor_id, Role::Admin).await;
        let pauses = format!("{}/pauses", page(&s));
        let today = app.today();
        let ok_until = (today + Duration::days(5)).to_string();
        let past = (today - Duration::days(1)).to_string();
        let far = (today + Duration::days(400)).to_string();
        let cases: Vec<(Vec<(&str, &str)>, &str)> = vec![
            (
                vec![
                    ("invoice", ""),
                    ("reason", "Congés"),
                    ("until", "31/12/2026"),
                ],
                "until",
            ),
            (
                vec![("invoice", ""), ("reason", "Congés"), ("until", &past)],
                "until",
            ),
            (
                vec![("invoice", ""), ("reason", "Congés"), ("until", &far)],
                "until",
            ),
            (
                vec![("invoice", ""), ("reason", " "), ("until", &ok_until)],
                "reason",
            ),
            (
                vec![
                    ("invoice", "nope"),
                    ("reason", "Congés"),
                    ("until", &ok_until),
                ],
                "invoice",
            ),
            (
                vec![
                    ("invoice", &n.invoice_ids[0]),
                    ("reason", "Congés"),
                    ("until", &ok_until),
                ],
                "invoice",
            ),
        ];
        for (form, code) in &cases {
            let r = agent.post_form(&pauses, form).await;
            assert_eq!(
                r.location(),
                format!("{}?error={code}#pauses", page(&s)),
                "{form:?}"
            );
        }
        // What was typed comes back in the form.
        let r = agent
            .post_form(
                &pauses,
                &[
                    ("invoice", ""),
                    ("reason", "Litige <i>oral</i> en cours"),
                    ("until", "demain"),
                ],
            )
            .await;
        assert!(r.location().contains("error=until"));
        let html = agent.get(&r.location()).await.text();
        assert!(
            html.contains("Litige &lt;i&gt;oral&lt;/i&gt; en cours"),
            "kept, escaped"
        );
        assert!(html.contains("role=\"alert\""));
        let r = reader
            .post_form(
                &pauses,
                &[("invoice", ""), ("reason", "x"), ("until", &ok_until)],
            )
            .await;
        assert!(r.location().contains("error=forbidden"));
        let theirs = format!("{}/pauses", page(&s));
        let r = stranger
            .post_form(
                &theirs,
                &[("invoice", ""), ("reason", "x"), ("until", &ok_until)],
            )
            .await;
        assert_eq!(r.status, 404);
        assert!(
            db.storage
                .pauses_of(&s.creditor_id, &s.debtor_id, today)
                .await
                .unwrap()
                .is_empty(),
            "no pause was made"
        );

        // One invoice paused: listed by its number, the other invoices are not paused.
        let r = agent
            .post_form(
                &pauses,
                &[
                    ("invoice", &s.invoice_ids[0]),
                    ("reason", "Avoir attendu"),
                    ("until", &ok_until),
                ],
            )
            .await;
        assert!(r.location().contains("done=reminders"), "{}", r.location());
        let html = agent.get(&page(&s)).await.text();
        assert!(html.contains("Avoir attendu"));
        assert!(
            !html.contains("Litige &lt;i&gt;"),
            "the draft is forgotten once it went through"
        );

        // The profile: a hostile segment is refused; a good one is saved and logged.
        let profile = format!("{}/reminder-profile", page(&s));
        for (form, code) in [
            (
                vec![("segment", "<script>"), ("kind", "business")],
                "segment",
            ),
            (vec![("segment", ""), ("kind", "business")], "segment"),
            (vec![("segment", "risky"), ("kind", "robot")], "kind"),
        ] {
            let r = agent.post_form(&profile, &form).await;
            assert!(r.location().contains(&format!("error={code}")), "{form:?}");
        }
        let r = reader
            .post_form(&profile, &[("segment", "risky"), ("kind", "consumer")])
            .await;
        assert!(r.location().contains("error=forbidden"));
        assert_eq!(
            stranger
                .post_form(&profile, &[("segment", "risky"), ("kind", "consumer")])
                .await
                .status,
            404
        );
        let p = db
            .storage
            .reminder_profile(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!((p.segment.as_str(), p.business), ("standard", true));
        let r = agent
            .post_form(
                &profile,
                &[("segment", "Risky"), ("kind", "consumer"), ("waived", "1")],
            )
            .await;
        assert!(r.location().contains("done=reminders"));
        let p = db
            .storage
            .reminder_profile(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (p.segment.as_str(), p.business, p.charges_waived),
            ("risky", false, true)
        );
        let html = agent.get(&page(&s)).await.text();
        assert!(html.contains("profil de relance modifié"));
        assert_eq!(
            agent
                .get(&format!("/agent/debtors/{}", other.debtor_id))
                .await
                .status,
            404
        );
    }
);
