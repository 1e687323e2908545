//! Addresses that bounce, on SQLite and PostgreSQL, through a real mail server that refuses
//! some recipients for good (OpenSMTPD, started by `.ci/test.sh`: every address at
//! refused.test gets a 550; it relays the rest to maildev). A refused reminder marks the
//! address bouncing for every debtor of the creditor who has it, is never retried, puts a line
//! in the agents' queue and an event in the timeline; the run stops mailing that address; an
//! agent's corrected address gets the refused mail again. Malformed, hostile, repeated and
//! foreign corrections are refused and change nothing.

use crate::both;
use crate::support::*;
use app::domain::agent::Role;
use app::domain::calendar::{Country, SendingWindow};
use chrono::Duration;
use chrono_tz::Europe::Paris;
use server::kernel::clock::{Clock, wall_clock};
use server::reminder;
use sqlx::Row;

/// The mail server that refuses refused.test (see `start_bouncer` in `.ci/services.sh`).
fn bouncer() -> String {
    std::env::var("BOUNCE_SMTP")
        .expect("BOUNCE_SMTP is not set: run the tests with `make test`, which starts OpenSMTPD")
}

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

/// Gives the seeded debtor's only contact this address.
async fn readdress(db: &Db, s: &Seeded, email: &str) {
    sqlx::query("UPDATE debtor_contacts SET email = $1, email_lower = $2 WHERE debtor_id = $3")
        .bind(email)
        .bind(email.to_lowercase())
        .bind(&s.debtor_id)
        .execute(&db.storage.pool)
        .await
        .unwrap();
}

/// (attempts, refused) of the mails to this address, waiting up to 15 s for one refusal.
async fn wait_refused(db: &Db, to: &str) -> Vec<(i64, bool)> {
    for _ in 0..60 {
        let rows = sqlx::query("SELECT attempts, refused_at FROM outbox WHERE to_address = $1")
            .bind(to)
            .fetch_all(&db.storage.pool)
            .await
            .unwrap();
        let rows: Vec<(i64, bool)> = rows
            .iter()
            .map(|r| {
                (
                    r.get::<i64, _>("attempts"),
                    r.get::<Option<i64>, _>("refused_at").is_some(),
                )
            })
            .collect();
        if rows.iter().any(|(_, refused)| *refused) {
            return rows;
        }
        tokio::time::sleep(std::time::Duration::from_millis(250)).await;
    }
    panic!("no mail to {to} was refused");
}

async fn status_of_reminders(db: &Db, s: &Seeded) -> Vec<String> {
    db.storage
        .reminders_of(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.status)
        .collect()
}

both!(
    a_refused_address_bounces_reaches_the_queue_and_its_corrected_address_gets_the_mail,
    |db: Db| async move {
        let app = TestApp::start_with(&db, |c| c.smtp_url = bouncer()).await;
        let mail = Maildev::from_env();
        let gone = format!("{}@refused.test", unique("gone-"));
        // Two debtors share a bouncing address (one accountant for two companies); the second
        // is paused, so only the first one's mail is refused.
        let first = seed(&db.storage, "Boulangerie Martin").await;
        readdress(&db, &first, &gone).await;
        let second = seed_debtor(
            &db.storage,
            &first.creditor_id,
            &first.slug,
            "Fournil Martin",
        )
        .await;
        readdress(&db, &second, &gone).await;
        // A third debtor of the same creditor, with a good address, gets its mail through the
        // same server.
        let fine = seed_debtor(
            &db.storage,
            &first.creditor_id,
            &first.slug,
            "Épicerie Dubois",
        )
        .await;
        let until = app.today() + Duration::days(30);
        let pause = db
            .storage
            .pause_reminders(
                &first.creditor_id,
                &second.debtor_id,
                None,
                "test",
                until,
                "test",
                app.state.now(),
            )
            .await
            .unwrap();
        to_sending_hours(&app);
        let agent = app.agent(&db, &first.creditor_id, Role::Agent).await;
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!((r.emails, r.no_address), (2, 0), "{r:?}");

        // The server said 550: the mail is kept, tried once, and not again even hours later.
        assert_eq!(wait_refused(&db, &gone).await, vec![(1, true)]);
        assert_eq!(mail.wait_for(&fine.email, 1).await.len(), 1);
        app.clock.advance(Duration::hours(3));
        let mailer = server::mail::SmtpMailer::new(&bouncer(), "portail@test.example").unwrap();
        server::jobs::send_due_mail(&app.state, &mailer)
            .await
            .unwrap();
        assert_eq!(wait_refused(&db, &gone).await, vec![(1, true)]);
        assert_eq!(status_of_reminders(&db, &first).await, vec!["refused"]);
        assert_eq!(status_of_reminders(&db, &fine).await, vec!["sent"]);
        // Both debtors with that address bounce; the queue lists them with the server's answer.
        let bouncing = db
            .storage
            .bouncing_contacts(&first.creditor_id)
            .await
            .unwrap();
        assert_eq!(bouncing.len(), 2, "{bouncing:?}");
        assert!(
            bouncing
                .iter()
                .all(|b| b.email == gone && b.bounce.contains("550"))
        );
        let queue = agent.get("/agent/queue").await.text();
        assert!(queue.contains("Adresses refusées"), "{queue}");
        assert!(queue.contains(&gone) && queue.contains("550"), "{queue}");
        let timeline = agent
            .get(&format!("/agent/debtors/{}", first.debtor_id))
            .await
            .text();
        assert!(
            timeline.contains("adresse refusée par le serveur du destinataire"),
            "{timeline}"
        );

        // The second debtor, resumed, has a step due but no address that takes mail: nothing
        // is decided for it (its step waits for a corrected address).
        assert!(
            db.storage
                .resume_reminders(&first.creditor_id, &pause, "test", app.state.now())
                .await
                .unwrap()
        );
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!((r.emails, r.no_address), (0, 1), "{r:?}");
        assert!(status_of_reminders(&db, &second).await.is_empty());

        // An agent corrects the first debtor's address: the refused reminder goes to it.
        let contact = |debtor: &str| {
            bouncing
                .iter()
                .find(|b| b.debtor_id == debtor)
                .unwrap()
                .contact_id
                .clone()
        };
        let action = format!("/agent/contacts/{}/address", contact(&first.debtor_id));
        let corrected = format!("{}@debtor.example", unique("compta-"));
        let r = agent
            .post_form(&action, &[("email", &format!("  {corrected} "))])
            .await;
        assert_eq!(r.location(), "/agent/queue?done=reminders#bouncing");
        let m = &mail.wait_for(&corrected, 1).await[0];
        assert!(
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("Deuxième relance"),
            "{m}"
        );
        assert!(token_in(m["text"].as_str().unwrap()).is_some());
        for _ in 0..60 {
            if status_of_reminders(&db, &first).await == vec!["sent"] {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert_eq!(status_of_reminders(&db, &first).await, vec!["sent"]);
        // Sent twice, the correction is refused the second time and changes nothing.
        let again = agent
            .post_form(&action, &[("email", "autre@debtor.example")])
            .await;
        assert_eq!(again.location(), "/agent/queue?error=corrected#bouncing");
        let queue = agent.get(&again.location()).await.text();
        assert!(queue.contains("déjà été corrigée"), "{queue}");

        // The second debtor's address corrected, the next run mails it.
        let second_action = format!("/agent/contacts/{}/address", contact(&second.debtor_id));
        let second_address = format!("{}@debtor.example", unique("fournil-"));
        agent
            .post_form(&second_action, &[("email", &second_address)])
            .await;
        assert!(
            db.storage
                .bouncing_contacts(&first.creditor_id)
                .await
                .unwrap()
                .is_empty()
        );
        let r = reminder::run(&app.state, false).await.unwrap();
        assert_eq!((r.emails, r.no_address), (1, 0), "{r:?}");
        assert_eq!(mail.wait_for(&second_address, 1).await.len(), 1);
        let timeline = agent
            .get(&format!("/agent/debtors/{}", second.debtor_id))
            .await
            .text();
        assert!(
            timeline.contains("adresse corrigée") && timeline.contains(&second_address),
            "{timeline}"
        );
    }
);

both!(
    a_correction_that_is_malformed_hostile_foreign_or_not_allowed_changes_nothing,
    |db: Db| async move {
        let app = TestApp::start_with(&db, |c| c.smtp_url = bouncer()).await;
        let gone = format!("{}@refused.test", unique("gone-"));
        let s = seed(&db.storage, "Boulangerie Martin").await;
        readdress(&db, &s, &gone).await;
        to_sending_hours(&app);
        let agent = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let reader = app.agent(&db, &s.creditor_id, Role::ReadOnly).await;
        assert_eq!(reminder::run(&app.state, false).await.unwrap().emails, 1);
        wait_refused(&db, &gone).await;
        let other = seed(&db.storage, "Autre créancier").await;
        let stranger = app.agent(&db, &other.creditor_id, Role::Admin).await;
        let bouncing = db.storage.bouncing_contacts(&s.creditor_id).await.unwrap();
        let action = format!("/agent/contacts/{}/address", bouncing[0].contact_id);

        for bad in [
            "",
            "pas une adresse",
            "a@b",
            "compta@debtor.example\r\nBcc: everyone@elsewhere.example",
            "<script>@x.example",
            &format!("{}@debtor.example", "a".repeat(300)),
        ] {
            let r = agent.post_form(&action, &[("email", bad)]).await;
            assert_eq!(r.location(), "/agent/queue?error=email#bouncing", "{bad:?}");
        }
        let page = agent.get("/agent/queue?error=email").await.text();
        assert!(page.contains("ne semble pas valide"), "{page}");
        let fine = "compta@debtor.example";
        // A read-only agent may look, not correct; another creditor's agent does not see it.
        let r = reader.post_form(&action, &[("email", fine)]).await;
        assert_eq!(r.location(), "/agent/queue?error=forbidden#bouncing");
        assert!(
            !reader
                .get("/agent/queue")
                .await
                .text()
                .contains("Enregistrer l’adresse")
        );
        assert_eq!(
            stranger.post_form(&action, &[("email", fine)]).await.status,
            404
        );
        assert!(!stranger.get("/agent/queue").await.text().contains(&gone));
        assert_eq!(
            agent
                .post_form("/agent/contacts/not-an-id/address", &[("email", fine)])
                .await
                .status,
            404
        );
        // Without a session, the form is not taken.
        assert_ne!(
            app.client()
                .post_form(&action, &[("email", fine)])
                .await
                .location(),
            "/agent/queue?done=reminders#bouncing"
        );
        // Nothing changed: still bouncing, the mail still refused and kept.
        let still = db.storage.bouncing_contacts(&s.creditor_id).await.unwrap();
        assert_eq!(still.len(), 1);
        assert_eq!(still[0].email, gone);
        assert_eq!(wait_refused(&db, &gone).await, vec![(1, true)]);
    }
);
