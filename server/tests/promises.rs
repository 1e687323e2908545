//! Promises to pay over HTTP, on SQLite and PostgreSQL: the form and its refusals, kept by a
//! payment, missed by the calendar (mail and queue).

use crate::both;
use crate::support::*;
use app::domain::agent::Role;
use app::domain::money::Currency;
use chrono::Duration;

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

async fn statuses(db: &Db, s: &Seeded) -> Vec<String> {
    db.storage
        .promises_of(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap()
        .into_iter()
        .map(|p| p.status.as_str().to_string())
        .collect()
}

both!(
    a_promise_is_refused_when_it_cannot_stand_and_kept_by_a_payment,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Éloïse").await;
        let c = app.client();
        c.open(&app.mint(&s).await).await;
        let page = c.get("/promise").await;
        assert_eq!(page.status, 200);
        assert!(
            page.text().contains("1634.56") && !page.text().contains(".wasm"),
            "the balance prefilled, no Wasm"
        );

        // Refusals: each names what is wrong, and the page keeps what was typed.
        for (amount, date, code) in [
            ("0", day(5), "amount"),
            ("-10", day(5), "amount"),
            ("cent euros", day(5), "amount"),
            ("1 634,57", day(5), "above"),
            ("100", day(-1), "past"),
            ("100", day(31), "far"),
            ("100", "31/12/2026".to_string(), "date"),
        ] {
            let r = c
                .post_form("/promise", &[("amount", amount), ("date", &date)])
                .await;
            assert!(
                r.location()
                    .starts_with(&format!("/promise?error={code}&amount=")),
                "{amount} {date}: {}",
                r.location()
            );
            assert!(
                c.get(&r.location())
                    .await
                    .text()
                    .contains(&format!("value=\"{amount}\"")),
                "{amount}: kept in the form"
            );
        }
        assert!(statuses(&db, &s).await.is_empty());

        assert_eq!(
            c.post_form("/promise", &[("amount", "100,00"), ("date", &day(5))])
                .await
                .location(),
            "/promise?done=1"
        );
        assert_eq!(
            c.post_form("/promise", &[("amount", "50"), ("date", &day(6))])
                .await
                .location()
                .split('&')
                .next(),
            Some("/promise?error=pending")
        );
        assert_eq!(statuses(&db, &s).await, vec!["open"]);
        Maildev::from_env()
            .about(&s.email, "Votre promesse de paiement est notée")
            .await;
        assert!(
            c.get("/promise")
                .await
                .text()
                .contains("Vous avez promis de payer 100,00")
        );
        // Without a session nothing is stored.
        assert_eq!(
            app.client()
                .post_form("/promise", &[("amount", "1"), ("date", &day(1))])
                .await
                .location(),
            "/promise"
        );

        // The payment arrives: the promise is kept, with thanks.
        db.storage
            .insert_payment(
                &s.creditor_id,
                &server::storage::NewPayment {
                    debtor_id: s.debtor_id.clone(),
                    received_on: today(),
                    currency: Currency::Eur,
                    amount_minor: 10_000,
                    method: "transfer".into(),
                    reference: "VIR".into(),
                    external_id: None,
                    allocations: vec![(s.invoice_ids[0].clone(), 10_000)],
                },
                now() + 1,
            )
            .await
            .unwrap();
        server::promise::follow(&app.state).await.unwrap();
        assert_eq!(statuses(&db, &s).await, vec!["kept"]);
        Maildev::from_env()
            .about(&s.email, "Merci pour votre paiement")
            .await;
    }
);

both!(
    a_missed_promise_is_followed_up_by_mail_and_reaches_the_queue,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur distrait").await;
        let c = app.client();
        c.open(&app.mint(&s).await).await;
        assert_eq!(
            c.post_form("/promise", &[("amount", "200"), ("date", &day(2))])
                .await
                .location(),
            "/promise?done=1"
        );
        // Three days pass without a payment: the date is behind us.
        app.let_days_pass(3);
        server::promise::follow(&app.state).await.unwrap();
        server::promise::follow(&app.state).await.unwrap();
        assert_eq!(statuses(&db, &s).await, vec!["missed"]);
        let m = Maildev::from_env()
            .about(&s.email, "Votre paiement promis")
            .await;
        assert!(
            token_in(m["text"].as_str().unwrap()).is_some(),
            "with a link back to the portal"
        );

        let email = format!("{}@creditor.example", unique("agent-"));
        server::account::create(
            &db.storage,
            &s.creditor_id,
            &email,
            "Agnès",
            Role::Agent,
            PASSWORD,
            now(),
        )
        .await
        .unwrap();
        let ag = app.client();
        assert_eq!(
            ag.post_form("/agent/login", &[("email", &email), ("password", PASSWORD)])
                .await
                .location(),
            "/agent"
        );
        let queue = ag.get("/agent/queue").await.text();
        assert!(
            queue.contains("Débiteur distrait") && queue.contains("promesse non tenue"),
            "{queue}"
        );
        let id = db
            .storage
            .promises_of(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap()[0]
            .id
            .clone();
        // Another creditor's agent cannot touch it.
        let other = seed(&db.storage, "Autre").await;
        let email2 = format!("{}@creditor.example", unique("agent-"));
        server::account::create(
            &db.storage,
            &other.creditor_id,
            &email2,
            "Olga",
            Role::Admin,
            PASSWORD,
            now(),
        )
        .await
        .unwrap();
        let stranger = app.client();
        stranger
            .post_form(
                "/agent/login",
                &[("email", &email2), ("password", PASSWORD)],
            )
            .await;
        assert_eq!(
            stranger
                .post_form(&format!("/agent/promises/{id}/handled"), &[])
                .await
                .location(),
            "/agent/queue?error=conflict"
        );
        assert!(
            ag.get("/agent/queue")
                .await
                .text()
                .contains("Débiteur distrait")
        );
        assert_eq!(
            ag.post_form(&format!("/agent/promises/{id}/handled"), &[])
                .await
                .location(),
            "/agent/queue?done=1"
        );
        assert!(
            !ag.get("/agent/queue")
                .await
                .text()
                .contains("Débiteur distrait")
        );
        // A new promise can be made once the missed one is closed (through a fresh link: days
        // have passed, and the session with them).
        let c = app.debtor(&s).await;
        let date = (app.today() + Duration::days(3)).to_string();
        assert_eq!(
            c.post_form("/promise", &[("amount", "200"), ("date", &date)])
                .await
                .location(),
            "/promise?done=1"
        );
    }
);
