//! Links over HTTP: every way a link can be wrong, and what the visitor gets instead.
#![allow(clippy::unwrap_used)]

use crate::both;
use crate::support::{Db, TestApp, now, seed};
use app::ports::SESSION_COOKIE;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Opens `/l/{token}` and returns where it sent the visitor, and whether a session was set.
async fn try_link(app: &TestApp, token: &str) -> (String, bool) {
    let c = app.client();
    let r = c.get(&format!("/l/{token}")).await;
    assert_eq!(r.status, 303);
    (r.location(), c.cookie(SESSION_COOKIE).is_some())
}

both!(
    a_good_link_opens_a_session_and_leaves_no_token_in_the_url,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Boulangerie Martin & Fils").await;
        let token = app.mint(&f).await;
        let c = app.client();
        let r = c.get(&format!("/l/{token}")).await;
        assert_eq!(r.status, 303);
        assert_eq!(r.location(), "/statement", "the portal URL holds no token");
        assert_eq!(r.header("referrer-policy").as_deref(), Some("no-referrer"));
        let set = r
            .set_cookies()
            .into_iter()
            .find(|c| c.starts_with("amiable_session="))
            .unwrap();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Path=/"),
            "{set}"
        );
        assert!(
            !set.contains("Secure"),
            "plain http in tests: Secure would drop the cookie"
        );
        let page = c.get("/statement").await;
        assert_eq!(page.status, 200);
        assert!(page.text().contains("Boulangerie Martin &amp; Fils"));
        // The session cookie is an opaque random value, not the link.
        assert!(!c.cookie(SESSION_COOKIE).unwrap().contains('.'));
    }
);

both!(secure_cookies_over_https, |db: Db| async move {
    let app = TestApp::start_with(&db, |c| c.public_url = "https://portal.example".into()).await;
    let f = seed(&db.storage, "Hôtel").await;
    let token = app.mint(&f).await;
    let r = app.client().get(&format!("/l/{token}")).await;
    let set = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("amiable_session="))
        .unwrap();
    assert!(set.contains("; Secure"), "{set}");
    assert!(
        r.header("strict-transport-security")
            .unwrap()
            .contains("max-age=")
    );
});

both!(expired_links_offer_a_fresh_one, |db: Db| async move {
    let app = TestApp::start(&db).await;
    let f = seed(&db.storage, "Hôtel Côte d’Azur").await;
    let (row, _) = app
        .state
        .links
        .prepare(
            &db.storage,
            &f.creditor_id,
            &f.debtor_id,
            now() - 31 * 24 * 3600,
        )
        .await
        .unwrap();
    db.storage
        .insert_link(&row, "test", "test", &[])
        .await
        .unwrap();
    let token = app.state.links.sign(&row).unwrap();
    let c = app.client();
    let r = c.get(&format!("/l/{token}")).await;
    assert_eq!(r.location(), "/link/problem?reason=expired");
    assert!(c.cookie(SESSION_COOKIE).is_none());
    let bad = r
        .set_cookies()
        .into_iter()
        .find(|c| c.starts_with("amiable_badlink="))
        .unwrap();
    assert!(
        bad.contains("HttpOnly") && bad.contains("Path=/link"),
        "{bad}"
    );
    let page = c.get("/link/problem?reason=expired").await;
    assert!(page.text().contains("Ce lien a expiré"));
    assert!(page.text().contains("M’envoyer un nouveau lien"));
});

both!(
    tampered_forged_and_unknown_links_are_refused,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Restaurant Ōkami").await;
        let token = app.mint(&f).await;
        let parts: Vec<&str> = token.split('.').collect();
        let header: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[0]).unwrap()).unwrap();
        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
        let enc = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(serde_json::to_vec(v).unwrap());

        // Bad signature: the last character of the signature changed.
        let mut sig = parts[2].to_string();
        let last = sig.pop().unwrap();
        sig.push(if last == 'A' { 'B' } else { 'A' });
        let bad_sig = format!("{}.{}.{}", parts[0], parts[1], sig);
        // alg: none, no signature.
        let none = format!(
            "{}.{}.",
            enc(&serde_json::json!({"alg": "none", "typ": "JWT", "kid": header["kid"]})),
            parts[1]
        );
        // Claims changed to another debtor, original signature kept.
        claims["sub"] = serde_json::json!("someone-else");
        let swapped = format!("{}.{}.{}", parts[0], enc(&claims), parts[2]);
        // Pasted with extra characters, as mail clients sometimes do.
        let trailing = format!("{token}%3E");
        let with_dot = format!("{token}.");
        for (what, t) in [
            ("bad signature", bad_sig),
            ("alg none", none),
            ("claims swapped", swapped),
            ("trailing >", trailing),
            ("trailing dot", with_dot),
            ("garbage", "not-a-token".into()),
            ("huge", "a".repeat(5000)),
            ("empty parts", "a..b".into()),
        ] {
            let (to, session) = try_link(&app, &t).await;
            assert_eq!(to, "/link/problem?reason=invalid", "{what}");
            assert!(!session, "{what} must not open a session");
        }
        // The genuine token still works after all that.
        assert_eq!(
            try_link(&app, &token).await,
            ("/statement".to_string(), true)
        );
    }
);

both!(
    another_creditors_key_cannot_open_a_file,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let victim = seed(&db.storage, "Victime").await;
        let attacker = seed(&db.storage, "Autre créancier").await;
        // The victim's genuine link row, signed with the attacker creditor's real key.
        let (row, genuine) = app
            .state
            .links
            .prepare(&db.storage, &victim.creditor_id, &victim.debtor_id, now())
            .await
            .unwrap();
        db.storage
            .insert_link(&row, "test", "test", &[])
            .await
            .unwrap();
        let cross = app
            .state
            .links
            .sign_as(&attacker.creditor_id, "k1", &row)
            .unwrap();
        // The victim's kid with a key guessed from nothing.
        let guessed = {
            use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
            let mut h = Header::new(Algorithm::HS256);
            h.kid = Some(format!("{}/k1", victim.creditor_id));
            let claims = serde_json::json!({"iss": "amiable", "sub": victim.debtor_id, "tid": victim.creditor_id, "jti": row.id, "iat": now(), "exp": row.expires_at});
            encode(&h, &claims, &EncodingKey::from_secret(b"guessed key")).unwrap()
        };
        for t in [cross, guessed] {
            assert_eq!(
                try_link(&app, &t).await,
                ("/link/problem?reason=invalid".to_string(), false)
            );
        }
        assert_eq!(
            try_link(&app, &genuine).await,
            ("/statement".to_string(), true)
        );
    }
);

both!(
    revoked_links_stop_working_and_end_their_sessions,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Mairie de Saint-Étienne").await;
        let (row, token) = app
            .state
            .links
            .mint(&db.storage, &f.creditor_id, &f.debtor_id, "test", now())
            .await
            .unwrap();
        let c = app.client();
        assert_eq!(c.open(&token).await.status, 200);
        db.storage
            .revoke_link(&f.creditor_id, &row.id, "test", now())
            .await
            .unwrap();
        // The session opened with it is gone …
        let page = c.get("/statement").await;
        assert_eq!(page.status, 401);
        assert!(page.text().contains("session a expiré"));
        // … and replaying the link is refused.
        assert_eq!(
            try_link(&app, &token).await,
            ("/link/problem?reason=revoked".to_string(), false)
        );
    }
);

both!(
    retired_keys_stop_verifying_and_rotation_keeps_old_links,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Brasserie").await;
        let old = app.mint(&f).await;
        let new_key = db
            .storage
            .rotate_link_key(&f.creditor_id, now())
            .await
            .unwrap();
        let fresh = app.mint(&f).await;
        assert!(fresh.len() > 10 && new_key == "k2");
        assert!(
            try_link(&app, &old).await.1,
            "old links keep working after rotation"
        );
        assert!(try_link(&app, &fresh).await.1);
        db.storage
            .retire_link_key(&f.creditor_id, "k1", now())
            .await
            .unwrap();
        assert_eq!(
            try_link(&app, &old).await,
            ("/link/problem?reason=invalid".to_string(), false)
        );
        assert!(try_link(&app, &fresh).await.1);
    }
);

both!(link_opening_is_rate_limited, |db: Db| async move {
    let app = TestApp::start_with(&db, |c| c.link_rate_per_minute = 5).await;
    let mut limited = 0;
    for _ in 0..8 {
        let r = app.client().get("/l/not.a.token").await;
        if r.location().contains("error=rate") {
            limited += 1;
        }
    }
    assert_eq!(limited, 3, "the first five pass, the rest are told to wait");
});

/// How many of eight link openings, each sent with the `X-Forwarded-For` `hops(i)` gives,
/// are told to wait, with a limit of five a minute.
async fn limited_of_eight(app: &TestApp, hops: impl Fn(usize) -> String) -> usize {
    let mut limited = 0;
    for i in 0..8 {
        let c = app.client();
        let req = c
            .http
            .get(format!("{}/l/not.a.token", app.base))
            .header("x-forwarded-for", hops(i));
        if c.send(req).await.location().contains("error=rate") {
            limited += 1;
        }
    }
    limited
}

both!(
    a_forwarded_address_is_believed_only_behind_the_trusted_proxy,
    |db: Db| async move {
        // No proxy: a header that changes at every request changes nothing.
        let app = TestApp::start_with(&db, |c| c.link_rate_per_minute = 5).await;
        assert_eq!(
            limited_of_eight(&app, |i| format!("198.51.100.{i}")).await,
            3
        );

        // Behind the proxy, people are told apart by the hop the proxy appended...
        let app = TestApp::start_with(&db, |c| {
            c.link_rate_per_minute = 5;
            c.trust_proxy = true;
        })
        .await;
        assert_eq!(
            limited_of_eight(&app, |i| format!("198.51.100.{i}")).await,
            0
        );
        // ...and the hops before it, which the client writes, do not help one person.
        assert_eq!(
            limited_of_eight(&app, |i| format!("192.0.2.{i}, 203.0.113.7")).await,
            3
        );
    }
);
