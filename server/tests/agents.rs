//! The back office: sign-in, lockout, sessions, and an agent seeing only their creditor's debtors.

use crate::both;
use crate::support::*;
use app::domain::agent::Role;

async fn agent(db: &Db, s: &Seeded, email: &str, role: Role) {
    server::account::create(
        &db.storage,
        &s.creditor_id,
        email,
        "Agnès Agent",
        role,
        PASSWORD,
        now(),
    )
    .await
    .unwrap();
}

async fn sign_in(c: &Client, email: &str, password: &str) -> Page {
    c.post_form("/agent/login", &[("email", email), ("password", password)])
        .await
}

both!(
    an_agent_signs_in_sees_only_their_creditors_debtors_and_signs_out,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mine = seed(&db.storage, "Boulangerie Éloïse").await;
        let theirs = seed(&db.storage, "Client d’un autre créancier").await;
        let email = format!("{}@creditor.example", unique("agent-"));
        agent(&db, &mine, &email, Role::Agent).await;
        let c = app.client();
        let res = sign_in(&c, &email.to_uppercase(), PASSWORD).await;
        assert_eq!((res.status, res.location().as_str()), (303, "/agent"));
        let cookie = res
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("amiable_agent="))
            .expect("session cookie");
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/agent"] {
            assert!(cookie.contains(flag), "{flag} in {cookie}");
        }
        let page = c.get("/agent").await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(
            html.contains("Boulangerie Éloïse") && html.contains("1\u{202f}634,56"),
            "own debtor with balance"
        );
        assert!(
            !html.contains("Client d’un autre créancier") && !html.contains(&theirs.debtor_ref),
            "never another creditor's"
        );
        assert!(
            !html.contains("amiable.js") && !html.contains(".wasm"),
            "no Wasm in the back office pages"
        );
        // Search by invoice number, and by a name that matches nobody.
        let number = {
            let f = db
                .storage
                .invoice_facts(&mine.creditor_id, &mine.debtor_id)
                .await
                .unwrap();
            f[0].number.clone()
        };
        assert!(
            c.get(&format!("/agent?q={}", number.to_lowercase()))
                .await
                .text()
                .contains("Boulangerie Éloïse")
        );
        assert!(
            !c.get("/agent?q=zzz-nobody")
                .await
                .text()
                .contains("Boulangerie Éloïse")
        );
        // Sign out: the session ends on the server too.
        let old = c.cookie("amiable_agent").unwrap();
        let out = c.post_form("/agent/logout", &[]).await;
        assert_eq!(
            (out.status, out.location().as_str()),
            (303, "/agent/login?signed_out=1")
        );
        c.set_cookie("amiable_agent", &old);
        assert_eq!(c.get("/agent").await.status, 401);
    }
);

both!(
    wrong_passwords_lock_the_account_and_unknown_addresses_look_the_same,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur").await;
        let email = format!("{}@creditor.example", unique("agent-"));
        agent(&db, &s, &email, Role::Admin).await;
        let c = app.client();
        let unknown = sign_in(&c, "nobody@creditor.example", PASSWORD).await;
        let wrong = sign_in(&c, &email, "not the password").await;
        assert_eq!(unknown.location(), "/agent/login?error=invalid");
        assert_eq!(
            wrong.location(),
            unknown.location(),
            "the same answer for an unknown address"
        );
        let page = c.get("/agent/login?error=invalid").await.text();
        assert!(
            page.contains("Adresse e-mail ou mot de passe incorrect") && page.contains(&email),
            "the address typed is kept"
        );
        for _ in 0..4 {
            assert_eq!(
                sign_in(&c, &email, "still wrong").await.location(),
                "/agent/login?error=invalid"
            );
        }
        // Five failures in a row: even the right password is refused for now.
        assert_eq!(
            sign_in(&c, &email, PASSWORD).await.location(),
            "/agent/login?error=locked"
        );
        assert!(c.cookie("amiable_agent").is_none());
        // Cross-site sign-in posts are refused before anything is checked.
        let cross = c
            .send(
                c.http
                    .post(format!("{}/agent/login", c.base))
                    .header("sec-fetch-site", "cross-site")
                    .form(&[("email", &email)]),
            )
            .await;
        assert_eq!(cross.status, 403);
        // Short passwords and taken addresses are refused when accounts are made.
        assert!(
            server::account::create(
                &db.storage,
                &s.creditor_id,
                "x@creditor.example",
                "X",
                Role::Agent,
                "short",
                now()
            )
            .await
            .is_err()
        );
        assert!(
            server::account::create(
                &db.storage,
                &s.creditor_id,
                &email.to_uppercase(),
                "X",
                Role::Agent,
                PASSWORD,
                now()
            )
            .await
            .is_err()
        );
    }
);

both!(
    the_back_office_without_a_session_asks_to_sign_in,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let c = app.client();
        let page = c.get("/agent").await;
        assert_eq!(page.status, 401);
        assert!(page.text().contains("href=\"/agent/login\""));
        // A debtor's session is not an agent's.
        let s = seed(&db.storage, "Débiteur").await;
        c.open(&app.mint(&s).await).await;
        assert_eq!(c.get("/agent").await.status, 401);
        let login = c.get("/agent/login").await;
        assert_eq!(login.status, 200);
        assert!(login.text().contains("type=\"password\""));
    }
);

/// The secret of the first `/agent/welcome/…` link in a mail.
fn welcome_token(text: &str) -> String {
    let start = text.find("/agent/welcome/").expect("a welcome link") + "/agent/welcome/".len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || "-_".contains(*c))
        .collect()
}

both!(
    an_admin_invites_an_agent_who_chooses_a_password_through_a_single_use_link,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur").await;
        let admin_email = format!("{}@creditor.example", unique("admin-"));
        agent(&db, &s, &admin_email, Role::Admin).await;
        let admin = app.client();
        assert_eq!(
            sign_in(&admin, &admin_email, PASSWORD).await.location(),
            "/agent"
        );
        assert_eq!(admin.get("/agent/invite").await.status, 200);

        let invited = format!("{}@creditor.example", unique("new-"));
        let r = admin
            .post_form(
                "/agent/invite",
                &[
                    ("email", &invited),
                    ("name", "Bruno <b>Nouveau</b>"),
                    ("role", "agent"),
                ],
            )
            .await;
        assert_eq!(r.location(), "/agent/invite?done=1");
        // The same address twice, a bad address, an unknown role: refused.
        assert_eq!(
            admin
                .post_form(
                    "/agent/invite",
                    &[
                        ("email", &invited.to_uppercase()),
                        ("name", "X"),
                        ("role", "agent")
                    ]
                )
                .await
                .location(),
            "/agent/invite?error=taken"
        );
        assert_eq!(
            admin
                .post_form(
                    "/agent/invite",
                    &[
                        ("email", "not an address"),
                        ("name", "X"),
                        ("role", "agent")
                    ]
                )
                .await
                .location(),
            "/agent/invite?error=invalid"
        );
        assert_eq!(
            admin
                .post_form(
                    "/agent/invite",
                    &[
                        ("email", "z@creditor.example"),
                        ("name", "X"),
                        ("role", "owner")
                    ]
                )
                .await
                .location(),
            "/agent/invite?error=invalid"
        );
        let cross = admin
            .send(
                admin
                    .http
                    .post(format!("{}/agent/invite", admin.base))
                    .header("sec-fetch-site", "cross-site")
                    .form(&[("email", "y@creditor.example")]),
            )
            .await;
        assert_eq!(cross.status, 403);

        // The mail's link: exchanged for a cookie, so the secret leaves the address bar at once.
        let mail = &Maildev::from_env().wait_for(&invited, 1).await[0];
        assert!(
            mail["html"]
                .as_str()
                .unwrap()
                .contains("Bruno &lt;b&gt;Nouveau&lt;/b&gt;"),
            "the name is escaped in the mail"
        );
        let token = welcome_token(mail["text"].as_str().unwrap());
        let c = app.client();
        let r = c.get(&format!("/agent/welcome/{token}")).await;
        assert_eq!((r.status, r.location().as_str()), (303, "/agent/password"));
        let cookie = r
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("amiable_agent_link="))
            .expect("the link's cookie");
        for flag in ["HttpOnly", "SameSite=Strict", "Path=/agent"] {
            assert!(cookie.contains(flag), "{flag} in {cookie}");
        }
        assert_eq!(
            c.post_form(
                "/agent/password",
                &[("password", "short"), ("confirm", "short")]
            )
            .await
            .location(),
            "/agent/password?error=short"
        );
        assert_eq!(
            c.post_form(
                "/agent/password",
                &[
                    ("password", PASSWORD),
                    ("confirm", "something else entirely")
                ]
            )
            .await
            .location(),
            "/agent/password?error=mismatch"
        );
        let r = c
            .post_form(
                "/agent/password",
                &[("password", PASSWORD), ("confirm", PASSWORD)],
            )
            .await;
        assert_eq!(r.location(), "/agent");
        assert_eq!(c.get("/agent").await.status, 200, "signed in");
        // The link works once; the invited account has the role it was given and cannot invite.
        let again = app.client();
        assert_eq!(
            again
                .get(&format!("/agent/welcome/{token}"))
                .await
                .location(),
            "/agent/password?error=expired"
        );
        assert_eq!(
            c.post_form(
                "/agent/invite",
                &[
                    ("email", "w@creditor.example"),
                    ("name", "W"),
                    ("role", "admin")
                ]
            )
            .await
            .location(),
            "/agent/invite?error=forbidden"
        );
        assert_eq!(
            db.storage
                .agent_by_email(&invited)
                .await
                .unwrap()
                .unwrap()
                .role,
            Role::Agent
        );
        assert_eq!(
            sign_in(&app.client(), &invited, PASSWORD).await.location(),
            "/agent"
        );
    }
);

both!(
    a_password_reset_link_works_once_ends_other_sessions_and_says_nothing_about_unknown_addresses,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur").await;
        let email = format!("{}@creditor.example", unique("agent-"));
        agent(&db, &s, &email, Role::Agent).await;
        let old = app.client();
        assert_eq!(sign_in(&old, &email, PASSWORD).await.location(), "/agent");

        let c = app.client();
        let unknown = format!("{}@creditor.example", unique("nobody-"));
        assert_eq!(
            c.post_form("/agent/reset", &[("email", &unknown)])
                .await
                .location(),
            "/agent/reset?done=1"
        );
        assert_eq!(
            c.post_form("/agent/reset", &[("email", &email)])
                .await
                .location(),
            "/agent/reset?done=1",
            "the same answer"
        );
        let mail = &Maildev::from_env().wait_for(&email, 1).await[0];
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            Maildev::from_env().to(&unknown).await.is_empty(),
            "no mail to an unknown address"
        );

        let token = welcome_token(mail["text"].as_str().unwrap());
        assert_eq!(
            c.get(&format!("/agent/welcome/{token}")).await.location(),
            "/agent/password"
        );
        let new_password = "un tout nouveau mot de passe";
        assert_eq!(
            c.post_form(
                "/agent/password",
                &[("password", new_password), ("confirm", new_password)]
            )
            .await
            .location(),
            "/agent"
        );
        assert_eq!(
            old.get("/agent").await.status,
            401,
            "the session from before the reset is over"
        );
        assert_eq!(
            sign_in(&app.client(), &email, PASSWORD).await.location(),
            "/agent/login?error=invalid"
        );
        assert_eq!(
            sign_in(&app.client(), &email, new_password)
                .await
                .location(),
            "/agent"
        );
        assert_eq!(
            app.client()
                .get(&format!("/agent/welcome/{token}"))
                .await
                .location(),
            "/agent/password?error=expired",
            "used once"
        );

        // An expired link, a forged one, and a password post without any link are refused.
        let agent_row = db.storage.agent_by_email(&email).await.unwrap().unwrap();
        let stale = server::storage::NewAgentLink {
            id_hash: &server::kernel::links::sha256_hex("stale-token"),
            purpose: "reset",
            expires_at: now() - 1,
        };
        let mail = server::storage::NewMail {
            creditor_id: None,
            to_address: "void@creditor.example".into(),
            to_name: String::new(),
            subject: "x".into(),
            text_body: String::new(),
            html_body: String::new(),
            attachment: None,
        };
        db.storage
            .add_agent_link(&agent_row, &stale, &mail, now())
            .await
            .unwrap();
        assert_eq!(
            app.client()
                .get("/agent/welcome/stale-token")
                .await
                .location(),
            "/agent/password?error=expired"
        );
        assert_eq!(
            app.client().get("/agent/welcome/forged").await.location(),
            "/agent/password?error=expired"
        );
        let fresh = app.client();
        assert_eq!(
            fresh
                .post_form(
                    "/agent/password",
                    &[("password", new_password), ("confirm", new_password)]
                )
                .await
                .location(),
            "/agent/password?error=expired"
        );
    }
);
