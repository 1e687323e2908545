//! Paying by card against a real Stripe-compatible server (localstripe, started by `make test`),
//! and by transfer. What a browser's Stripe.js does (confirming the card, passing 3-D Secure)
//! is done here with the same calls to the sandbox; everything else goes through our routes.

use crate::both;
use crate::support::*;
use serde_json::{Value, json};
use std::time::Duration;

const IBAN: &str = "FR7630006000011234567890189";

/// A creditor that takes cards and transfers, with its webhook registered in the sandbox.
struct Shop {
    app: TestApp,
    s: Seeded,
    secret_key: String,
    webhook_secret: String,
}

async fn shop(db: &Db) -> Shop {
    let app = TestApp::start(db).await;
    let s = seed(&db.storage, "Boulangerie Éloïse").await;
    let secret_key = format!("sk_test_{}", unique(""));
    let webhook_secret = format!("whsec_{}", unique(""));
    configure(&app, &s, &secret_key, &webhook_secret).await;
    Shop {
        app,
        s,
        secret_key,
        webhook_secret,
    }
}

async fn configure(app: &TestApp, s: &Seeded, secret_key: &str, webhook_secret: &str) {
    let (sk, wh) = (
        secrecy::SecretString::from(secret_key.to_string()),
        secrecy::SecretString::from(webhook_secret.to_string()),
    );
    server::payment::settings::configure(
        &app.state.sealer,
        &app.state.storage,
        &s.creditor_id,
        &server::payment::settings::PaymentSettings {
            beneficiary_name: "Boulangerie Test SAS",
            iban: Some(IBAN),
            bic: Some("AGRIFRPP"),
            min_payment_minor: 1000,
            stripe: Some(("pk_test_shop", &sk, &wh)),
        },
        now(),
    )
    .await
    .unwrap();
    let url = format!("{}/webhooks/stripe/{}", app.base, s.slug);
    let res = reqwest::Client::new()
        .post(format!(
            "{}/_config/webhooks/{}",
            stripe_url(),
            unique("wh")
        ))
        .form(&[("url", url.as_str()), ("secret", webhook_secret)])
        .send()
        .await
        .unwrap();
    assert!(
        res.status().is_success(),
        "registering the webhook in the sandbox"
    );
}

async fn signed_in(shop: &Shop) -> Client {
    let c = shop.app.client();
    let page = c.open(&shop.app.mint(&shop.s).await).await;
    assert_eq!(page.status, 200);
    c
}

async fn post_json(c: &Client, path: &str, body: Value) -> (u16, Value) {
    let page = c
        .send(
            c.http
                .post(format!("{}{path}", c.base))
                .header("sec-fetch-site", "same-origin")
                .json(&body),
        )
        .await;
    let json = serde_json::from_slice(&page.body).unwrap_or(Value::Null);
    (page.status, json)
}

async fn start(c: &Client, attempt: &str, request: &str) -> (u16, Value) {
    post_json(
        c,
        "/pay/card/start",
        json!({ "attempt": attempt, "request": request }),
    )
    .await
}

async fn charge(c: &Client, attempt: &str) -> Value {
    let (status, v) = post_json(c, "/pay/card/charge", json!({ "attempt": attempt })).await;
    assert_eq!(status, 200, "charge: {v}");
    v
}

fn sandbox() -> reqwest::Client {
    reqwest::Client::new()
}

/// What Stripe.js's `confirmCardSetup` does: gives the card to Stripe. 3-D Secure cards then
/// need the cardholder to pass the bank's check (`pass`), or fail it.
async fn confirm_card(setup_secret: &str, number: &str, pass_3ds: bool) -> (u16, Value) {
    let seti = setup_secret.split("_secret_").next().unwrap();
    let body = json!({ "key": "pk_test_shop", "client_secret": setup_secret, "use_stripe_sdk": true,
        "payment_method_data": { "type": "card", "card": { "number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123" } } });
    let res = sandbox()
        .post(format!("{}/v1/setup_intents/{seti}/confirm", stripe_url()))
        .json(&body)
        .send()
        .await
        .unwrap();
    let (status, v): (u16, Value) = (res.status().as_u16(), res.json().await.unwrap());
    if v["status"] == "requires_action" {
        let step = if pass_3ds { "confirm" } else { "cancel" };
        let body =
            json!({ "key": "pk_test_shop", "client_secret": setup_secret, "use_stripe_sdk": true });
        let res = sandbox()
            .post(format!("{}/v1/setup_intents/{seti}/{step}", stripe_url()))
            .json(&body)
            .send()
            .await
            .unwrap();
        return (res.status().as_u16(), res.json().await.unwrap());
    }
    (status, v)
}

/// What Stripe.js's `confirmCardPayment` does for a PaymentIntent that needs 3-D Secure.
async fn authenticate_payment(client_secret: &str, success: bool) {
    let pi = client_secret.split("_secret_").next().unwrap();
    let res = sandbox()
        .post(format!(
            "{}/v1/payment_intents/{pi}/_authenticate?success={success}",
            stripe_url()
        ))
        .json(&json!({ "key": "pk_test_shop", "client_secret": client_secret }))
        .send()
        .await
        .unwrap();
    assert!(res.status().is_success());
}

/// Start, confirm the card in "the browser", charge: the first answer of `/pay/card/charge`.
async fn pay(c: &Client, request: &str, card: &str) -> (String, Value) {
    let attempt = uuid::Uuid::new_v4().to_string();
    let (status, step) = start(c, &attempt, request).await;
    assert_eq!(
        (status, step["status"].as_str()),
        (200, Some("setup")),
        "{step}"
    );
    let (status, si) = confirm_card(step["client_secret"].as_str().unwrap(), card, true).await;
    assert_eq!(status, 200, "{si}");
    (attempt.clone(), charge(c, &attempt).await)
}

async fn payments_of(db: &Db, s: &Seeded) -> Vec<(String, i64, Option<String>)> {
    use sqlx::Row;
    sqlx::query("SELECT id, amount_minor, external_id FROM payments WHERE creditor_id = $1 AND debtor_id = $2 ORDER BY created_at")
        .bind(&s.creditor_id)
        .bind(&s.debtor_id)
        .fetch_all(&db.storage.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| (r.get("id"), r.get("amount_minor"), r.get("external_id")))
        .collect()
}

async fn invoice_status(db: &Db, id: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT status FROM invoices WHERE id = $1")
        .bind(id)
        .fetch_one(&db.storage.pool)
        .await
        .unwrap()
        .get("status")
}

async fn event_count(db: &Db, s: &Seeded, kind: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(
        "SELECT COUNT(*) AS n FROM events WHERE creditor_id = $1 AND debtor_id = $2 AND kind = $3",
    )
    .bind(&s.creditor_id)
    .bind(&s.debtor_id)
    .bind(kind)
    .fetch_one(&db.storage.pool)
    .await
    .unwrap()
    .get("n")
}

/// Reads from the sandbox's API as a server would (any secret key is accepted there).
async fn sandbox_get(path: &str) -> Value {
    sandbox()
        .get(format!("{}{path}", stripe_url()))
        .basic_auth("sk_test_reader", Some(""))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// PaymentIntents the sandbox holds for one attempt.
async fn payment_intents_for(attempt: &str) -> Vec<Value> {
    // Every page: a sandbox left running across test runs holds more than one page.
    let (mut found, mut after) = (Vec::new(), String::new());
    loop {
        let list = sandbox_get(&format!("/v1/payment_intents?limit=100{after}")).await;
        let page = list["data"].as_array().unwrap();
        found.extend(
            page.iter()
                .filter(|pi| pi["metadata"]["attempt"] == attempt)
                .cloned(),
        );
        match page.last() {
            Some(last) if list["has_more"] == true => {
                after = format!("&starting_after={}", last["id"].as_str().unwrap())
            }
            _ => return found,
        }
    }
}

/// A webhook as Stripe signs it (`t=…,v1=HMAC`), for a PaymentIntent as the sandbox has it now.
async fn signed_event(
    kind: &str,
    payment_intent: &str,
    secret: &str,
    at: Option<i64>,
) -> (String, String) {
    let pi = sandbox_get(&format!("/v1/payment_intents/{payment_intent}")).await;
    let event = json!({ "id": unique("evt_"), "object": "event", "api_version": "2017-08-15", "created": now(),
        "livemode": false, "pending_webhooks": 1, "request": { "id": null, "idempotency_key": null },
        "type": kind, "data": { "object": pi } });
    let payload = event.to_string();
    let header = stripe_webhook::Webhook::generate_test_header(&payload, secret, at);
    (payload, header)
}

async fn deliver(app: &TestApp, slug: &str, payload: &str, signature: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{}/webhooks/stripe/{slug}", app.base))
        .header("content-type", "application/json")
        .header("stripe-signature", signature)
        .body(payload.to_string())
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

both!(
    a_card_payment_is_recorded_once_with_receipt_and_new_balance,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let first = &shop.s.invoice_ids[0];
        let (_, step) = pay(
            &c,
            &format!("mode=invoices&invoice={first}"),
            "4242424242424242",
        )
        .await;
        assert_eq!(step["status"], "succeeded", "{step}");
        let receipt_url = step["receipt_url"].as_str().unwrap().to_string();

        let paid = payments_of(&db, &shop.s).await;
        assert_eq!(paid.len(), 1);
        assert_eq!(
            paid[0].1, 123_456,
            "the invoice's remainder, computed by the server"
        );
        assert_eq!(invoice_status(&db, first).await, "paid");
        // The sandbox's own webhook for this success arrives about a second later: still one payment.
        tokio::time::sleep(Duration::from_millis(2500)).await;
        assert_eq!(payments_of(&db, &shop.s).await.len(), 1);
        assert_eq!(event_count(&db, &shop.s, "payment_received").await, 1);

        // The receipt page, the statement at once, and the PDF receipt.
        let receipt = c.get(&receipt_url).await;
        assert_eq!(receipt.status, 200);
        assert!(
            receipt.text().contains("1\u{202f}234,56"),
            "amount on the receipt page"
        );
        let statement = c.get("/statement").await.text();
        // Balance before: 1 234,56 + 500,00 − 100,00 (credit note); after: 400,00.
        assert!(
            statement.contains("400,00") && !statement.contains("1\u{202f}634,56"),
            "the new balance at once"
        );
        assert!(
            !statement.contains(&format!("/pay?mode=invoices&amp;invoice={first}")),
            "a paid invoice offers no Pay button"
        );
        let pdf = c
            .get(&format!("/documents/receipts/{}.pdf", paid[0].0))
            .await;
        assert_eq!(
            (pdf.status, pdf.header("content-type").as_deref()),
            (200, Some("application/pdf"))
        );

        // The receipt email, with the PDF attached.
        let mails = Maildev::from_env().wait_for(&shop.s.email, 1).await;
        let receipt_mail = mails
            .iter()
            .find(|m| m["subject"].as_str().unwrap_or("").contains("reçu"))
            .expect("receipt mail");
        let attachments = receipt_mail["attachments"].as_array().expect("attachments");
        assert!(
            attachments
                .iter()
                .any(|a| a["contentType"] == "application/pdf"),
            "{attachments:?}"
        );

        // Someone else's session never reaches this receipt.
        let other = seed_debtor(
            &db.storage,
            &shop.s.creditor_id,
            &shop.s.slug,
            "Autre client",
        )
        .await;
        let c2 = shop.app.client();
        c2.open(&shop.app.mint(&other).await).await;
        assert_eq!(c2.get(&receipt_url).await.status, 404);
        assert_eq!(
            c2.get(&format!("/documents/receipts/{}.pdf", paid[0].0))
                .await
                .status,
            404
        );
    }
);

both!(
    a_declined_card_says_why_records_nothing_and_the_debtor_can_retry,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let request = format!("mode=invoices&invoice={}", shop.s.invoice_ids[1]);
        // Declined when charged.
        let (attempt, step) = pay(&c, &request, "4000000000000341").await;
        assert_eq!(step["status"], "failed", "{step}");
        assert!(
            step["message"].as_str().unwrap().contains("refusé"),
            "{step}"
        );
        assert_eq!(step["retry"], true);
        assert!(payments_of(&db, &shop.s).await.is_empty());
        assert_eq!(
            charge(&c, &attempt).await["status"],
            "failed",
            "asking again does not charge again"
        );
        // Declined when the card is given to Stripe (the browser hears it; our server charges nothing).
        let attempt2 = uuid::Uuid::new_v4().to_string();
        let (_, step) = start(&c, &attempt2, &request).await;
        let (status, _) = confirm_card(
            step["client_secret"].as_str().unwrap(),
            "4000000000000002",
            true,
        )
        .await;
        assert_eq!(status, 402);
        assert_eq!(charge(&c, &attempt2).await["status"], "failed");
        assert!(
            payment_intents_for(&attempt2).await.is_empty(),
            "no PaymentIntent for a card Stripe refused"
        );
        // A good card then pays.
        let (_, step) = pay(&c, &request, "4242424242424242").await;
        assert_eq!(step["status"], "succeeded", "{step}");
        assert_eq!(payments_of(&db, &shop.s).await.len(), 1);
        assert_eq!(event_count(&db, &shop.s, "card_payment_failed").await, 2);
    }
);

both!(
    three_d_secure_passed_pays_and_failed_does_not,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let request = format!("mode=invoices&invoice={}", shop.s.invoice_ids[1]);
        // Failed authentication: nothing charged, a clear message.
        let (attempt, step) = pay(&c, &request, "4000002760003184").await;
        assert_eq!(step["status"], "requires_action", "{step}");
        authenticate_payment(step["client_secret"].as_str().unwrap(), false).await;
        let step = charge(&c, &attempt).await;
        assert_eq!(step["status"], "failed", "{step}");
        assert!(
            step["message"]
                .as_str()
                .unwrap()
                .contains("authentification"),
            "{step}"
        );
        assert!(payments_of(&db, &shop.s).await.is_empty());
        // Passed: paid.
        let (attempt, step) = pay(&c, &request, "4000002760003184").await;
        assert_eq!(step["status"], "requires_action", "{step}");
        authenticate_payment(step["client_secret"].as_str().unwrap(), true).await;
        let step = charge(&c, &attempt).await;
        assert_eq!(step["status"], "succeeded", "{step}");
        assert_eq!(
            payments_of(&db, &shop.s)
                .await
                .iter()
                .map(|p| p.1)
                .collect::<Vec<_>>(),
            vec![50_000]
        );
    }
);

both!(
    the_webhook_records_a_payment_the_browser_never_reported_once_only,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        // 3-D Secure passed in the browser, then the tab is closed: only the webhook can tell us.
        let (_, step) = pay(
            &c,
            &format!("mode=invoices&invoice={}", shop.s.invoice_ids[1]),
            "4000002760003184",
        )
        .await;
        let secret = step["client_secret"].as_str().unwrap().to_string();
        let pi = secret.split("_secret_").next().unwrap().to_string();
        authenticate_payment(&secret, true).await;
        let mut recorded = vec![];
        for _ in 0..40 {
            recorded = payments_of(&db, &shop.s).await;
            if !recorded.is_empty() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        assert_eq!(
            recorded.len(),
            1,
            "the sandbox's webhook recorded the payment"
        );
        assert_eq!(recorded[0].2.as_deref(), Some(pi.as_str()));
        // The same event delivered twice more, then a failure event arriving late (out of order).
        let (payload, sig) =
            signed_event("payment_intent.succeeded", &pi, &shop.webhook_secret, None).await;
        assert_eq!(deliver(&shop.app, &shop.s.slug, &payload, &sig).await, 200);
        assert_eq!(deliver(&shop.app, &shop.s.slug, &payload, &sig).await, 200);
        let (payload, sig) = signed_event(
            "payment_intent.payment_failed",
            &pi,
            &shop.webhook_secret,
            None,
        )
        .await;
        assert_eq!(deliver(&shop.app, &shop.s.slug, &payload, &sig).await, 200);
        assert_eq!(payments_of(&db, &shop.s).await.len(), 1);
        assert_eq!(invoice_status(&db, &shop.s.invoice_ids[1]).await, "paid");
        assert_eq!(
            event_count(&db, &shop.s, "card_payment_failed").await,
            0,
            "a late failure does not undo a success"
        );
    }
);

both!(
    forged_stale_and_foreign_webhooks_record_nothing,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let (_, step) = pay(
            &c,
            &format!("mode=invoices&invoice={}", shop.s.invoice_ids[1]),
            "4000002760003184",
        )
        .await;
        let pi = step["client_secret"]
            .as_str()
            .unwrap()
            .split("_secret_")
            .next()
            .unwrap()
            .to_string();
        // The sandbox reports it succeeded only in events we forge below; it stays unpaid there.
        let (payload, _) =
            signed_event("payment_intent.succeeded", &pi, &shop.webhook_secret, None).await;
        let forged_payload = payload.replace("requires_action", "succeeded");
        let (_, good_sig) =
            signed_event("payment_intent.succeeded", &pi, &shop.webhook_secret, None).await;
        // Signed with the wrong secret, not signed, stale (10 minutes old), or body altered after signing.
        let wrong =
            stripe_webhook::Webhook::generate_test_header(&forged_payload, "whsec_wrong", None);
        assert_eq!(
            deliver(&shop.app, &shop.s.slug, &forged_payload, &wrong).await,
            400
        );
        assert_eq!(
            deliver(&shop.app, &shop.s.slug, &forged_payload, "").await,
            400
        );
        let stale = stripe_webhook::Webhook::generate_test_header(
            &forged_payload,
            &shop.webhook_secret,
            Some(now() - 600),
        );
        assert_eq!(
            deliver(&shop.app, &shop.s.slug, &forged_payload, &stale).await,
            400
        );
        assert_eq!(
            deliver(&shop.app, &shop.s.slug, &forged_payload, &good_sig).await,
            400,
            "body changed after signing"
        );
        assert_eq!(
            deliver(&shop.app, &shop.s.slug, "not json", &good_sig).await,
            400
        );
        assert_eq!(
            deliver(&shop.app, "no-such-creditor", &forged_payload, &good_sig).await,
            404
        );
        assert!(payments_of(&db, &shop.s).await.is_empty());

        // Another creditor's endpoint: a well-signed event about this creditor's payment is not theirs.
        let other = seed(&db.storage, "Autre").await;
        let other_secret = format!("whsec_{}", unique(""));
        configure(
            &shop.app,
            &other,
            &format!("sk_test_{}", unique("")),
            &other_secret,
        )
        .await;
        let signed_for_other =
            stripe_webhook::Webhook::generate_test_header(&forged_payload, &other_secret, None);
        assert_eq!(
            deliver(&shop.app, &other.slug, &forged_payload, &signed_for_other).await,
            200
        );
        // …and signed with the other creditor's secret, it does not open this creditor's endpoint.
        assert_eq!(
            deliver(&shop.app, &shop.s.slug, &forged_payload, &signed_for_other).await,
            400
        );
        assert!(payments_of(&db, &shop.s).await.is_empty());
        assert!(payments_of(&db, &other).await.is_empty());
    }
);

both!(
    a_double_click_makes_one_payment_intent_and_the_server_sets_the_amount,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let first = &shop.s.invoice_ids[0];
        let attempt = uuid::Uuid::new_v4().to_string();
        // A tampered request: an amount added to a ticked invoice is ignored.
        let request = format!("mode=invoices&invoice={first}&amount=1");
        let ((s1, a), (s2, b)) =
            tokio::join!(start(&c, &attempt, &request), start(&c, &attempt, &request));
        assert_eq!((s1, s2), (200, 200), "{a} {b}");
        assert_eq!(
            a["client_secret"], b["client_secret"],
            "one SetupIntent for one attempt"
        );
        let (status, _) = confirm_card(
            a["client_secret"].as_str().unwrap(),
            "4242424242424242",
            true,
        )
        .await;
        assert_eq!(status, 200);
        let (x, y) = tokio::join!(charge(&c, &attempt), charge(&c, &attempt));
        let statuses = [
            x["status"].as_str().unwrap().to_string(),
            y["status"].as_str().unwrap().to_string(),
        ];
        assert!(statuses.contains(&"succeeded".to_string()), "{statuses:?}");
        let pis = payment_intents_for(&attempt).await;
        assert_eq!(pis.len(), 1, "one PaymentIntent");
        assert_eq!(
            pis[0]["amount"], 123_456,
            "the server's amount, not the browser's"
        );
        let customer = pis[0]["customer"]
            .as_str()
            .expect("the debtor's Stripe Customer")
            .to_string();
        assert_eq!(
            db.storage
                .stripe_customer(&shop.s.creditor_id, &shop.s.debtor_id)
                .await
                .unwrap(),
            Some(customer)
        );
        assert_eq!(charge(&c, &attempt).await["status"], "succeeded");
        assert_eq!(payments_of(&db, &shop.s).await.len(), 1);
        // The same attempt id with another request is refused.
        let (status, _) = start(
            &c,
            &attempt,
            &format!("mode=invoices&invoice={}", shop.s.invoice_ids[1]),
        )
        .await;
        assert_eq!(status, 409);
    }
);

both!(
    bad_payment_requests_get_clear_errors_and_start_nothing,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let other = seed(&db.storage, "Quelqu’un d’autre").await;
        for (request, expect) in [
            ("mode=amount&amount=-5".to_string(), "montant"),
            ("mode=amount&amount=abc".to_string(), "lisible"),
            ("mode=amount&amount=5".to_string(), "minimum"),
            ("mode=amount&amount=999999".to_string(), "dépasse"),
            (
                format!("mode=invoices&invoice={}", other.invoice_ids[0]),
                "plus à payer",
            ),
            (
                format!("mode=invoices&invoice={}", shop.s.invoice_ids[2]),
                "plus à payer",
            ), // a credit note
            ("mode=invoices".to_string(), "rien à payer"),
        ] {
            let (status, v) = start(&c, &uuid::Uuid::new_v4().to_string(), &request).await;
            assert_eq!(status, 422, "{request}: {v}");
            assert!(
                v["message"].as_str().unwrap().contains(expect),
                "{request}: {v}"
            );
        }
        let (status, _) = start(&c, "not-a-uuid", "mode=all").await;
        assert_eq!(status, 422);
        let (status, _) = start(&c, &uuid::Uuid::new_v4().to_string(), "mode=all&evil=1").await;
        assert_eq!(status, 422);
        let (status, _) = post_json(&c, "/pay/card/start", json!({ "attempt": uuid::Uuid::new_v4().to_string(), "request": "mode=all", "amount": 1 })).await;
        assert_eq!(status, 422, "unknown JSON fields are refused");
        // Another debtor's attempt id is unknown here.
        let (attempt, _) = pay(&c, "mode=all", "4242424242424242").await;
        let c2 = shop.app.client();
        c2.open(&shop.app.mint(&other).await).await;
        let (status, _) = post_json(&c2, "/pay/card/charge", json!({ "attempt": attempt })).await;
        assert_eq!(status, 404);
        // Cross-site, or not JSON, or without a session.
        let cross = c
            .send(
                c.http
                    .post(format!("{}/pay/card/start", c.base))
                    .header("sec-fetch-site", "cross-site")
                    .json(&json!({})),
            )
            .await;
        assert_eq!(cross.status, 403);
        let form = c
            .send(
                c.http
                    .post(format!("{}/pay/card/start", c.base))
                    .header("sec-fetch-site", "same-origin")
                    .form(&[("attempt", "x")]),
            )
            .await;
        assert_eq!(form.status, 415);
        let anon = shop.app.client();
        let (status, _) = post_json(
            &anon,
            "/pay/card/start",
            json!({ "attempt": uuid::Uuid::new_v4().to_string(), "request": "mode=all" }),
        )
        .await;
        assert_eq!(status, 401);
        assert_eq!(
            payments_of(&db, &shop.s).await.len(),
            1,
            "only the one real payment"
        );
    }
);

both!(
    a_payment_larger_than_what_remains_becomes_a_credit,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let request = format!("mode=invoices&invoice={}", shop.s.invoice_ids[1]);
        // Two tabs start paying the same invoice; both go through.
        let tab_a = uuid::Uuid::new_v4().to_string();
        let tab_b = uuid::Uuid::new_v4().to_string();
        for tab in [&tab_a, &tab_b] {
            let (_, step) = start(&c, tab, &request).await;
            confirm_card(
                step["client_secret"].as_str().unwrap(),
                "4242424242424242",
                true,
            )
            .await;
        }
        assert_eq!(charge(&c, &tab_a).await["status"], "succeeded");
        assert_eq!(charge(&c, &tab_b).await["status"], "succeeded");
        let paid = payments_of(&db, &shop.s).await;
        assert_eq!(
            paid.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![50_000, 50_000],
            "both recorded in full"
        );
        assert_eq!(
            event_count(&db, &shop.s, "overpayment_credit").await,
            1,
            "an agent is told"
        );
        let statement = c.get("/statement").await.text();
        // 100.00 € credit note + 500.00 € unallocated payment.
        assert!(
            statement.contains("600,00"),
            "the excess shows as a credit on the account"
        );
    }
);

both!(
    the_card_service_unreachable_gives_a_clear_message_and_records_nothing,
    |db: Db| async move {
        let app = TestApp::start_with(&db, |c| {
            c.stripe_api_url = Some("http://127.0.0.1:9".into())
        })
        .await;
        let s = seed(&db.storage, "Hors ligne").await;
        configure(&app, &s, "sk_test_offline", "whsec_offline").await;
        let c = app.client();
        c.open(&app.mint(&s).await).await;
        let (status, step) = start(&c, &uuid::Uuid::new_v4().to_string(), "mode=all").await;
        assert_eq!(status, 200);
        assert_eq!(step["status"], "failed", "{step}");
        assert!(
            step["message"].as_str().unwrap().contains("ne répond pas"),
            "{step}"
        );
        assert_eq!(step["retry"], true);
        assert!(payments_of(&db, &s).await.is_empty());
        // The transfer still works.
        let page = c.get("/pay?mode=all").await;
        assert_eq!(page.status, 200);
        assert!(page.text().contains("FR76 3000 6000 0112 3456 7890 189"));
    }
);

both!(
    paying_by_transfer_shows_iban_reference_and_qr_without_javascript,
    |db: Db| async move {
        let shop = shop(&db).await;
        let c = signed_in(&shop).await;
        let page = c.get("/pay?mode=all").await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(html.contains("FR76 3000 6000 0112 3456 7890 189") && html.contains("AGRIFRPP"));
        // 1 234,56 + 500,00 − 100,00 credit note.
        assert!(
            html.contains("1\u{202f}634,56"),
            "the amount net of credits"
        );
        let start = html.find(">RF").expect("an RF reference") + 1;
        let reference: String = html[start..]
            .chars()
            .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == ' ')
            .collect();
        assert!(
            app::domain::rf::RfReference::parse(&reference).is_ok(),
            "{reference:?} is a valid ISO 11649 reference"
        );
        assert!(
            html.contains("<svg") && html.contains("role=\"img\""),
            "the EPC QR code is drawn"
        );
        // The same page twice gives the same reference (stored once); the reference maps back.
        let again = c.get("/pay?mode=all").await.text();
        assert!(again.contains(reference.trim()));
        let electronic: String = reference.split_whitespace().collect();
        let (debtor, amount, invoices) = db
            .storage
            .transfer_reference(&shop.s.creditor_id, &electronic)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(
            (debtor, amount.minor, invoices.len()),
            (shop.s.debtor_id.clone(), 163_456, 2)
        );
        // The card form is there for JavaScript, hidden without it; no secret reaches the page.
        assert!(html.contains("id=\"card-pay\"") && html.contains(" hidden"));
        assert!(!html.contains(&shop.secret_key) && !html.contains(&shop.webhook_secret));
        // Errors are explained on the page.
        let bad = c.get("/pay?mode=amount&amount=abc").await.text();
        assert!(
            bad.contains("n’est pas lisible"),
            "the amount error is shown"
        );
        // Stored keys are sealed, not in clear.
        use sqlx::Row;
        let row = sqlx::query(
            "SELECT stripe_secret_key_sealed FROM creditor_payment_settings WHERE creditor_id = $1",
        )
        .bind(&shop.s.creditor_id)
        .fetch_one(&db.storage.pool)
        .await
        .unwrap();
        let sealed: Vec<u8> = row.get(0);
        assert!(
            !sealed
                .windows(shop.secret_key.len())
                .any(|w| w == shop.secret_key.as_bytes())
        );
    }
);

both!(
    the_reconcile_job_records_a_payment_nobody_reported,
    |db: Db| async move {
        // No webhook registered for this creditor, and the browser never comes back after 3-D Secure.
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Onglet fermé").await;
        let (sk, wh) = (
            secrecy::SecretString::from(format!("sk_test_{}", unique(""))),
            secrecy::SecretString::from("whsec_unused".to_string()),
        );
        server::payment::settings::configure(
            &app.state.sealer,
            &app.state.storage,
            &s.creditor_id,
            &server::payment::settings::PaymentSettings {
                beneficiary_name: "Test SAS",
                iban: Some(IBAN),
                bic: None,
                min_payment_minor: 1000,
                stripe: Some(("pk_test_shop", &sk, &wh)),
            },
            now(),
        )
        .await
        .unwrap();
        let c = app.client();
        c.open(&app.mint(&s).await).await;
        let (_, step) = pay(
            &c,
            &format!("mode=invoices&invoice={}", s.invoice_ids[1]),
            "4000002760003184",
        )
        .await;
        assert_eq!(step["status"], "requires_action", "{step}");
        authenticate_payment(step["client_secret"].as_str().unwrap(), true).await;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        assert!(
            payments_of(&db, &s).await.is_empty(),
            "nothing has told us yet"
        );
        // Too recent to be in doubt: left alone.
        assert_eq!(
            server::payment::card::reconcile(&app.state, 3600)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            server::payment::card::reconcile(&app.state, -1)
                .await
                .unwrap(),
            1
        );
        assert_eq!(
            payments_of(&db, &s)
                .await
                .iter()
                .map(|p| p.1)
                .collect::<Vec<_>>(),
            vec![50_000]
        );
        assert_eq!(invoice_status(&db, &s.invoice_ids[1]).await, "paid");
        // Run again: nothing more.
        assert_eq!(
            server::payment::card::reconcile(&app.state, -1)
                .await
                .unwrap(),
            0
        );
        assert_eq!(payments_of(&db, &s).await.len(), 1);
    }
);

/// Lets the days pass until an instalment falls due (the job acts on instalments due today).
async fn until_instalment_is_due(app: &TestApp, schedule: &server::storage::ScheduleRow, seq: i64) {
    let due = schedule
        .instalments
        .iter()
        .find(|i| i.seq == seq)
        .unwrap()
        .due_date;
    app.let_days_pass((due - app.today()).num_days());
    assert_eq!(app.today(), due);
}

both!(
    an_instalment_is_charged_to_the_card_saved_with_the_first_and_a_failed_charge_is_mailed,
    |db: Db| async move {
        let shop = shop(&db).await;
        let s = &shop.s;
        let rules = server::storage::RulesRow {
            rules: app::domain::schedule::ScheduleRules::example(app::domain::money::Currency::Eur),
            reminder_days: 3,
            grace_days: 7,
        };
        server::schedule::rules::set_rules(&db.storage, &s.creditor_id, rules, "test", now())
            .await
            .unwrap();
        let c = signed_in(&shop).await;
        let first = (today() + chrono::Duration::days(3)).to_string();
        let form = [
            ("invoice", s.invoice_ids[0].as_str()),
            ("invoice", s.invoice_ids[1].as_str()),
            ("count", "3"),
            ("rhythm", "monthly"),
            ("first", first.as_str()),
            ("action", "send"),
        ];
        assert_eq!(
            c.post_form("/schedule/propose", &form).await.location(),
            "/schedule?done=accepted"
        );
        let sch = db
            .storage
            .schedules_of(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap()
            .remove(0);
        let amount = sch.instalments[0].amount;

        // The debtor pays the first instalment by card and ticks "use this card for the next ones".
        let request = format!(
            "mode=amount&currency=EUR&amount={}&schedule={}&save_card=1",
            amount.to_decimal_string(),
            sch.id
        );
        let (_, step) = pay(&c, &request, "4242424242424242").await;
        assert_eq!(step["status"], "succeeded", "{step}");
        let saved = db
            .storage
            .schedule(&s.creditor_id, None, &sch.id)
            .await
            .unwrap()
            .unwrap();
        let pm = saved
            .card_payment_method
            .clone()
            .expect("the card is saved for the schedule");
        assert_eq!(payments_of(&db, s).await.len(), 1);

        // The second instalment falls due: the job charges the saved card, off-session, once.
        until_instalment_is_due(&shop.app, &sch, 2).await;
        server::jobs::follow_schedules(&shop.app.state)
            .await
            .unwrap();
        server::jobs::follow_schedules(&shop.app.state)
            .await
            .unwrap();
        let paid = payments_of(&db, s).await;
        assert_eq!(
            paid.iter().map(|p| p.1).collect::<Vec<_>>(),
            vec![amount.minor, sch.instalments[1].amount.minor],
            "one automatic charge"
        );
        let pi = paid[1].2.clone().expect("the processor's id");
        let intent = sandbox_get(&format!("/v1/payment_intents/{pi}")).await;
        assert_eq!(
            (intent["status"].as_str(), intent["payment_method"].as_str()),
            (Some("succeeded"), Some(pm.as_str())),
            "{intent}"
        );
        assert_eq!(intent["metadata"]["schedule"], sch.id.as_str());

        // A card the bank declines at the third instalment: nothing is charged, the debtor is mailed a link to pay by hand.
        let customer = db
            .storage
            .stripe_customer(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap()
            .expect("the debtor's customer");
        let made: Value = sandbox()
            .post(format!("{}/v1/payment_methods", stripe_url()))
            .basic_auth(&shop.secret_key, Some(""))
            .form(&[
                ("type", "card"),
                ("card[number]", "4000000000000341"),
                ("card[exp_month]", "12"),
                ("card[exp_year]", "2034"),
                ("card[cvc]", "123"),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let declining = made["id"].as_str().expect("a payment method").to_string();
        let attached = sandbox()
            .post(format!(
                "{}/v1/payment_methods/{declining}/attach",
                stripe_url()
            ))
            .basic_auth(&shop.secret_key, Some(""))
            .form(&[("customer", customer.as_str())])
            .send()
            .await
            .unwrap();
        assert!(attached.status().is_success());
        sqlx::query("UPDATE schedules SET card_payment_method = $1 WHERE id = $2")
            .bind(&declining)
            .bind(&sch.id)
            .execute(&db.storage.pool)
            .await
            .unwrap();
        until_instalment_is_due(&shop.app, &sch, 3).await;
        server::jobs::follow_schedules(&shop.app.state)
            .await
            .unwrap();
        assert_eq!(
            payments_of(&db, s).await.len(),
            2,
            "nothing recorded for a declined charge"
        );
        assert_eq!(event_count(&db, s, "instalment_charge_failed").await, 1);
        let mut failed = None;
        for _ in 0..60 {
            let mails = Maildev::from_env().to(&s.email).await;
            failed = mails.into_iter().find(|m| {
                m["subject"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("Le prélèvement de votre échéance")
            });
            if failed.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
        let failed = failed.expect("a mail to pay by hand");
        assert!(
            token_in(failed["text"].as_str().unwrap()).is_some(),
            "with a link into the portal"
        );
        server::jobs::follow_schedules(&shop.app.state)
            .await
            .unwrap();
        assert_eq!(
            event_count(&db, s, "instalment_charge_failed").await,
            1,
            "tried once per instalment"
        );
    }
);
