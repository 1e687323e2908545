//! "Send me a new link", end to end through a real SMTP server (maildev).
#![allow(clippy::unwrap_used)]

use crate::both;
use crate::support::{Db, Maildev, TestApp, now, seed, token_in};
use app::ports::SESSION_COOKIE;

both!(
    an_expired_link_asks_for_a_fresh_one_which_arrives_and_works,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let f = seed(&db.storage, "Hôtel Côte d’Azur").await;
        let (row, _) = app
            .state
            .links
            .prepare(
                &db.storage,
                &f.creditor_id,
                &f.debtor_id,
                now() - 40 * 24 * 3600,
            )
            .await
            .unwrap();
        db.storage
            .insert_link(&row, "test", "test", &[])
            .await
            .unwrap();
        let c = app.client();
        c.get(&format!("/l/{}", app.state.links.sign(&row).unwrap()))
            .await;
        let r = c
            .post_form(
                "/link/renew",
                &[("mode", "token"), ("back", "/link/problem?reason=expired")],
            )
            .await;
        assert_eq!((r.status, r.location()), (303, "/link/sent".to_string()));
        let mails = mail.wait_for(&f.email, 1).await;
        let m = &mails[0];
        assert!(
            m["subject"]
                .as_str()
                .unwrap()
                .contains("Votre nouveau lien d’accès")
        );
        assert!(
            m["html"]
                .as_str()
                .unwrap()
                .contains("href=\"http://127.0.0.1:")
        );
        let token = token_in(m["text"].as_str().unwrap()).unwrap();
        let fresh = app.client();
        assert_eq!(fresh.open(&token).await.status, 200);
        assert!(fresh.cookie(SESSION_COOKIE).is_some());
    }
);

both!(
    asking_by_address_never_reveals_whether_it_is_on_file,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();
        let f = seed(&db.storage, "Boulangerie").await;
        let c = app.client();
        let known = c
            .post_form(
                "/link/renew",
                &[
                    ("mode", "email"),
                    ("email", &f.email.to_uppercase()),
                    ("back", "/"),
                ],
            )
            .await;
        let stranger = format!("{}@nowhere.example", crate::support::unique("x"));
        let unknown = c
            .post_form(
                "/link/renew",
                &[("mode", "email"), ("email", &stranger), ("back", "/")],
            )
            .await;
        assert_eq!(
            (known.status, known.location()),
            (unknown.status, unknown.location())
        );
        assert_eq!(known.location(), "/link/sent");
        mail.wait_for(&f.email, 1).await;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(mail.to(&stranger).await.is_empty());
    }
);

both!(
    bad_addresses_are_refused_and_what_was_typed_comes_back,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let c = app.client();
        for hostile in [
            "not-an-address",
            "a@b.fr\r\nBcc: everyone@evil.example",
            "<script>alert(1)</script>@x.fr",
            "",
        ] {
            let r = c
                .post_form(
                    "/link/renew",
                    &[
                        ("mode", "email"),
                        ("email", hostile),
                        ("back", "/link/problem?reason=invalid"),
                    ],
                )
                .await;
            assert_eq!(
                r.location(),
                "/link/problem?reason=invalid&error=email",
                "{hostile:?}"
            );
            let page = c.get(&r.location()).await.text();
            assert!(page.contains("ne semble pas valide"));
            if hostile.contains("script") {
                assert!(!page.contains("<script>alert"), "typed text is escaped");
                assert!(
                    page.contains("&lt;script&gt;alert(1)&lt;/script&gt;@x.fr"),
                    "and kept in the field"
                );
            }
        }
        // A hostile back address is ignored.
        let r = c
            .post_form(
                "/link/renew",
                &[
                    ("mode", "email"),
                    ("email", "x"),
                    ("back", "https://evil.example/"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/?error=email");
    }
);

both!(
    repeated_requests_for_one_address_are_limited_quietly,
    |db: Db| async move {
        let app = TestApp::start_with(&db, |c| c.renewals_per_address_per_hour = 2).await;
        let mail = Maildev::from_env();
        let f = seed(&db.storage, "Mairie").await;
        let c = app.client();
        for _ in 0..5 {
            let r = c
                .post_form(
                    "/link/renew",
                    &[("mode", "email"), ("email", &f.email), ("back", "/")],
                )
                .await;
            assert_eq!(r.location(), "/link/sent", "the answer never changes");
        }
        mail.wait_for(&f.email, 2).await;
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        assert_eq!(mail.to(&f.email).await.len(), 2, "two mails, not five");
    }
);
