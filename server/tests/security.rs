//! Headers on every response, cross-site writes refused, and no way from one file to another.
#![allow(clippy::unwrap_used)]

use crate::both;
use crate::support::{Db, TestApp, seed, seed_debtor, stripe_url};
use app::ports::SESSION_COOKIE;

both!(
    security_headers_on_every_kind_of_response,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Débiteur").await;
        let token = app.mint(&f).await;
        let c = app.client();
        let first = c.get(&format!("/l/{token}")).await;
        let statement = c.get("/statement").await;
        let pdf = c.get("/documents/statement.pdf").await;
        let welcome = app.client().get("/").await;
        let missing = app.client().get("/no/such/page").await;
        let problem = app.client().get("/l/garbage").await;
        assert_eq!(missing.status, 404);
        for (what, r) in [
            ("link", &first),
            ("statement", &statement),
            ("pdf", &pdf),
            ("welcome", &welcome),
            ("404", &missing),
            ("bad link", &problem),
        ] {
            let csp = r
                .header("content-security-policy")
                .unwrap_or_else(|| panic!("{what}: no CSP"));
            assert!(csp.contains("frame-ancestors 'none'"), "{what}: {csp}");
            // 'wasm-unsafe-eval' (compiling our Wasm) is allowed; script eval and inline code are not.
            assert!(
                !csp.contains("'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
                "{what}: {csp}"
            );
            assert_eq!(
                r.header("x-content-type-options").as_deref(),
                Some("nosniff"),
                "{what}"
            );
            assert_eq!(
                r.header("referrer-policy").as_deref(),
                Some("no-referrer"),
                "{what}"
            );
            assert_eq!(
                r.header("x-frame-options").as_deref(),
                Some("DENY"),
                "{what}"
            );
            assert!(
                r.header("strict-transport-security").is_none(),
                "{what}: no HSTS over plain http"
            );
            assert_eq!(
                r.header("cache-control")
                    .as_deref()
                    .map(|v| v.contains("no-store")),
                Some(true),
                "{what}"
            );
        }
        // Pages carry a per-response nonce, and the inline bootstrap script uses it.
        let csp = statement.header("content-security-policy").unwrap();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .unwrap()
            .split('\'')
            .next()
            .unwrap()
            .to_string();
        assert!(statement.text().contains(&format!("nonce=\"{nonce}\"")));
        let again = c
            .get("/statement")
            .await
            .header("content-security-policy")
            .unwrap();
        assert_ne!(csp, again, "a fresh nonce per response");
        // The card processor (here the sandbox) is the only other origin pages may load scripts and
        // frames from or talk to; documents and webhooks answers still allow nothing.
        let stripe = stripe_url();
        let pay = c.get("/pay?mode=all").await;
        let csp = pay.header("content-security-policy").unwrap();
        for directive in ["script-src", "connect-src", "frame-src"] {
            let d = csp
                .split(';')
                .find(|d| d.trim().starts_with(directive))
                .unwrap_or_else(|| panic!("{directive} in {csp}"));
            assert!(d.contains(&stripe), "{directive}: {d}");
            assert!(!d.contains('*'), "no wildcard in {d}");
        }
        let hook = app
            .client()
            .send(
                app.client()
                    .http
                    .post(format!("{}/webhooks/stripe/{}", app.base, f.slug))
                    .body("{}"),
            )
            .await;
        assert!(
            hook.header("content-security-policy")
                .unwrap()
                .starts_with("default-src 'none'")
        );
    }
);

both!(cross_site_writes_are_refused, |db: Db| async move {
    let app = TestApp::start(&db).await;
    let f = seed(&db.storage, "Débiteur").await;
    let token = app.mint(&f).await;
    let c = app.client();
    c.open(&token).await;
    let url = |p: &str| format!("{}{p}", app.base);
    // A form on another site posting to sign out, or to ask for links, with the visitor's cookies.
    let from_site = c
        .send(
            c.http
                .post(url("/signout"))
                .header("sec-fetch-site", "cross-site"),
        )
        .await;
    assert_eq!(from_site.status, 403);
    let from_origin = c
        .send(
            c.http
                .post(url("/link/renew"))
                .header("origin", "https://evil.example")
                .form(&[("email", &f.email)]),
        )
        .await;
    assert_eq!(from_origin.status, 403);
    let server_fn = c
        .send(
            c.http
                .post(url("/api/statement"))
                .header("origin", "https://evil.example"),
        )
        .await;
    assert_eq!(server_fn.status, 403);
    // Still signed in: the refused sign-out changed nothing.
    assert_eq!(c.get("/statement").await.status, 200);
    // Our own pages' posts pass.
    let own = c
        .send(
            c.http
                .post(url("/signout"))
                .header("origin", app.base.clone()),
        )
        .await;
    assert_eq!(own.status, 303);
    assert_eq!(c.get("/statement").await.status, 401);
});

both!(
    a_session_never_reaches_another_debtors_or_creditors_data,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let a = seed(&db.storage, "Débiteur Alpha").await;
        let b = seed_debtor(&db.storage, &a.creditor_id, &a.slug, "Débiteur Bravo").await;
        let y = seed(&db.storage, "Débiteur chez Yankee").await;
        let ca = app.client();
        ca.open(&app.mint(&a).await).await;
        // Every route that takes an id, with ids of B (same creditor) and of Y (other creditor).
        for id in b.invoice_ids.iter().chain(y.invoice_ids.iter()) {
            let r = ca.get(&format!("/documents/invoices/{id}.pdf")).await;
            assert_eq!(r.status, 404, "invoice {id} of someone else");
        }
        let own = ca
            .get(&format!("/documents/invoices/{}.pdf", a.invoice_ids[0]))
            .await;
        assert_eq!(own.status, 200);
        // The statement page and PDF show A and only A.
        let page = ca.get("/statement").await.text();
        assert!(
            page.contains("Débiteur Alpha") && !page.contains("Bravo") && !page.contains("Yankee")
        );
        // The page is the only way to the data: no server function answers with it.
        let api = ca
            .send(
                ca.http
                    .post(format!("{}/api/statement", app.base))
                    .header("sec-fetch-site", "same-origin"),
            )
            .await;
        assert_eq!(api.status, 404);
        // No session, or a made-up one: nothing.
        let anon = app.client();
        assert_eq!(
            anon.get(&format!("/documents/invoices/{}.pdf", a.invoice_ids[0]))
                .await
                .status,
            401
        );
        assert_eq!(anon.get("/documents/statement.pdf").await.status, 401);
        anon.set_cookie(SESSION_COOKIE, "made-up-session-value");
        let page = anon.get("/statement").await;
        assert_eq!(page.status, 401);
        assert!(!page.text().contains("Débiteur Alpha"));
    }
);

both!(
    language_switch_only_redirects_within_the_site,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let c = app.client();
        let r = c.get("/lang/en?next=/statement").await;
        assert_eq!((r.status, r.location()), (303, "/statement".to_string()));
        assert_eq!(c.cookie("amiable_lang").as_deref(), Some("en"));
        for evil in ["https://evil.example", "//evil.example", "/%5Cevil.example"] {
            let r = c.get(&format!("/lang/fr?next={evil}")).await;
            assert_eq!(r.location(), "/", "{evil}");
        }
        assert_eq!(c.get("/lang/de").await.status, 404);
        assert_eq!(c.get("/lang/EN").await.status, 404);
    }
);

both!(
    every_response_carries_a_request_id_for_the_logs,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let c = app.client();
        let (a, b) = (c.get("/").await, c.get("/no/such/page").await);
        let (ida, idb) = (
            a.header("x-request-id").unwrap(),
            b.header("x-request-id").unwrap(),
        );
        assert!(uuid::Uuid::parse_str(&ida).is_ok(), "{ida}");
        assert_ne!(ida, idb, "one id per request");
        // The id a reverse proxy gave the request is kept, so its logs and ours line up.
        let proxied = c
            .send(
                c.http
                    .get(format!("{}/healthz", app.base))
                    .header("x-request-id", "proxy-7f3a"),
            )
            .await;
        assert_eq!(
            proxied.header("x-request-id").as_deref(),
            Some("proxy-7f3a")
        );
    }
);
