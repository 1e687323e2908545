//! The back office: sign-in, lockout, sessions, and an agent seeing only their creditor's debtors.

use crate::both;
use crate::support::*;
use server::agents::Role;

const PASSWORD: &str = "un mot de passe assez long";

async fn agent(db: &Db, s: &Seeded, email: &str, role: Role) {
    server::agents::create(&db.storage, &s.creditor_id, email, "Agnès Agent", role, PASSWORD).await.unwrap();
}

async fn sign_in(c: &Client, email: &str, password: &str) -> Page {
    c.post_form("/agent/login", &[("email", email), ("password", password)]).await
}

both!(an_agent_signs_in_sees_only_their_creditors_debtors_and_signs_out, |db: Db| async move {
    let app = TestApp::start(&db).await;
    let mine = seed(&db.storage, "Boulangerie Éloïse").await;
    let theirs = seed(&db.storage, "Client d’un autre créancier").await;
    let email = format!("{}@creditor.example", unique("agent-"));
    agent(&db, &mine, &email, Role::Agent).await;
    let c = app.client();
    let res = sign_in(&c, &email.to_uppercase(), PASSWORD).await;
    assert_eq!((res.status, res.location().as_str()), (303, "/agent"));
    let cookie = res.set_cookies().into_iter().find(|c| c.starts_with("amiable_agent=")).expect("session cookie");
    for flag in ["HttpOnly", "SameSite=Strict", "Path=/agent"] {
        assert!(cookie.contains(flag), "{flag} in {cookie}");
    }
    let page = c.get("/agent").await;
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Boulangerie Éloïse") && html.contains("1\u{202f}634,56"), "own debtor with balance");
    assert!(!html.contains("Client d’un autre créancier") && !html.contains(&theirs.debtor_ref), "never another creditor's");
    assert!(!html.contains("amiable.js") && !html.contains(".wasm"), "no Wasm in the back office pages");
    // Search by invoice number, and by a name that matches nobody.
    let number = { let f = db.storage.invoice_facts(&mine.creditor_id, &mine.debtor_id).await.unwrap(); f[0].number.clone() };
    assert!(c.get(&format!("/agent?q={}", number.to_lowercase())).await.text().contains("Boulangerie Éloïse"));
    assert!(!c.get("/agent?q=zzz-nobody").await.text().contains("Boulangerie Éloïse"));
    // Sign out: the session ends on the server too.
    let old = c.cookie("amiable_agent").unwrap();
    let out = c.post_form("/agent/logout", &[]).await;
    assert_eq!((out.status, out.location().as_str()), (303, "/agent/login?signed_out=1"));
    c.set_cookie("amiable_agent", &old);
    assert_eq!(c.get("/agent").await.status, 401);
});

both!(wrong_passwords_lock_the_account_and_unknown_addresses_look_the_same, |db: Db| async move {
    let app = TestApp::start(&db).await;
    let s = seed(&db.storage, "Débiteur").await;
    let email = format!("{}@creditor.example", unique("agent-"));
    agent(&db, &s, &email, Role::Admin).await;
    let c = app.client();
    let unknown = sign_in(&c, "nobody@creditor.example", PASSWORD).await;
    let wrong = sign_in(&c, &email, "not the password").await;
    assert_eq!(unknown.location(), "/agent/login?error=invalid");
    assert_eq!(wrong.location(), unknown.location(), "the same answer for an unknown address");
    let page = c.get("/agent/login?error=invalid").await.text();
    assert!(page.contains("Adresse e-mail ou mot de passe incorrect") && page.contains(&email), "the address typed is kept");
    for _ in 0..4 {
        assert_eq!(sign_in(&c, &email, "still wrong").await.location(), "/agent/login?error=invalid");
    }
    // Five failures in a row: even the right password is refused for now.
    assert_eq!(sign_in(&c, &email, PASSWORD).await.location(), "/agent/login?error=locked");
    assert!(c.cookie("amiable_agent").is_none());
    // Cross-site sign-in posts are refused before anything is checked.
    let cross = c.send(c.http.post(format!("{}/agent/login", c.base)).header("sec-fetch-site", "cross-site").form(&[("email", &email)])).await;
    assert_eq!(cross.status, 403);
    // Short passwords and taken addresses are refused when accounts are made.
    assert!(server::agents::create(&db.storage, &s.creditor_id, "x@creditor.example", "X", Role::Agent, "short").await.is_err());
    assert!(server::agents::create(&db.storage, &s.creditor_id, &email.to_uppercase(), "X", Role::Agent, PASSWORD).await.is_err());
});

both!(the_back_office_without_a_session_asks_to_sign_in, |db: Db| async move {
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
});
