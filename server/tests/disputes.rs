//! Disputes and messages over HTTP, on SQLite and PostgreSQL: the debtor's form with files
//! (hostile ones refused, nothing half-stored), the agents' notes, replies, owners and
//! decisions, access across debtors and creditors, the states, and the mails.

use crate::both;
use crate::support::*;
use app::domain::agent::Role;
use app::domain::money::{Currency, Money};

/// A tiny but well-formed PDF and PNG.
fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n".to_vec()
}

fn png() -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend_from_slice(&[0, 0, 0, 13]);
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&[
        0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89,
    ]);
    b.extend_from_slice(&[0, 0, 0, 0]);
    b.extend_from_slice(b"IEND");
    b.extend_from_slice(&[0xae, 0x42, 0x60, 0x82]);
    b
}

async fn count(db: &Db, table: &str, creditor_id: &str) -> i64 {
    count_where(db, table, creditor_id, "").await
}

/// Rows of `table` for the creditor, with a further condition (`AND …`) if any.
async fn count_where(db: &Db, table: &str, creditor_id: &str, and: &str) -> i64 {
    use sqlx::Row;
    sqlx::query(&format!(
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM {table} WHERE creditor_id = $1 {and}"
    ))
    .bind(creditor_id)
    .fetch_one(&db.storage.pool)
    .await
    .unwrap()
    .get::<i64, _>("n")
}

/// Drafts kept for agents (refused back-office forms).
async fn agent_drafts(db: &Db, creditor_id: &str) -> i64 {
    count_where(db, "form_drafts", creditor_id, "AND form LIKE 'agent:%'").await
}

async fn status_of(db: &Db, invoice_id: &str) -> String {
    use sqlx::Row;
    sqlx::query("SELECT status FROM invoices WHERE id = $1")
        .bind(invoice_id)
        .fetch_one(&db.storage.pool)
        .await
        .unwrap()
        .get("status")
}

/// Opens a dispute on the seed's first invoice (1,234.56 €) and returns its id.
async fn contest(c: &Client, s: &Seeded, message: &str, files: &[(&str, &str, Vec<u8>)]) -> String {
    let r = c
        .post_multipart(
            "/disputes",
            &[
                ("invoice", &s.invoice_ids[0]),
                ("reason", "billing_error"),
                ("message", message),
            ],
            files,
        )
        .await;
    assert_eq!(r.status, 303);
    let loc = r.location();
    assert!(
        loc.starts_with("/disputes/") && loc.ends_with("?done=opened"),
        "{loc}"
    );
    loc.trim_start_matches("/disputes/")
        .trim_end_matches("?done=opened")
        .to_string()
}

both!(
    a_contested_invoice_leaves_the_chase_reaches_an_owner_and_returns_when_rejected,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Quincaillerie Zoé").await;
        let c = app.debtor(&s).await;
        let page = c.get("/disputes").await;
        assert_eq!(page.status, 200);
        assert!(
            page.text().contains("enctype=\"multipart/form-data\"")
                && !page.text().contains(".wasm"),
            "a plain form, no Wasm"
        );
        let before = c.get("/statement").await.text();
        assert!(before.contains("Contester une facture"));

        let id = contest(
            &c,
            &s,
            "<script>alert('x')</script> Livraison incomplète",
            &[
                ("bon de livraison.pdf", "application/pdf", pdf()),
                ("photo.png", "image/png", png()),
            ],
        )
        .await;
        assert_eq!(status_of(&db, &s.invoice_ids[0]).await, "disputed");
        let page = c.get(&format!("/disputes/{id}?done=opened")).await.text();
        assert!(
            page.contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;")
                || page.contains("&lt;script&gt;alert('x')&lt;/script&gt;"),
            "shown as text"
        );
        assert!(!page.contains("<script>alert"), "never as markup");
        assert!(page.contains("bon de livraison.pdf") && page.contains("photo.png"));
        // The statement: the contested invoice is shown as such and is no longer overdue.
        let statement = c.get("/statement").await.text();
        assert!(statement.contains("Contestée"), "shown as contested");

        // The files come back exactly, as attachments, with their own type, sandboxed.
        let file_id = {
            use sqlx::Row;
            let rows = sqlx::query(
                "SELECT id, file_name FROM attachments WHERE dispute_id = $1 ORDER BY file_name",
            )
            .bind(&id)
            .fetch_all(&db.storage.pool)
            .await
            .unwrap();
            rows.iter()
                .find(|r| r.get::<String, _>("file_name") == "bon de livraison.pdf")
                .unwrap()
                .get::<String, _>("id")
        };
        let f = c.get(&format!("/documents/attachments/{file_id}")).await;
        assert_eq!(f.status, 200);
        assert_eq!(f.body, pdf());
        assert_eq!(f.header("content-type").as_deref(), Some("application/pdf"));
        assert!(
            f.header("content-disposition")
                .unwrap()
                .starts_with("attachment; filename=\"bon de livraison.pdf\"")
        );
        assert!(
            f.header("content-security-policy")
                .unwrap()
                .contains("sandbox")
        );
        assert_eq!(
            f.header("x-content-type-options").as_deref(),
            Some("nosniff")
        );
        assert_eq!(
            app.client()
                .get(&format!("/documents/attachments/{file_id}"))
                .await
                .status,
            401,
            "no session, no file"
        );

        Maildev::from_env()
            .about(&s.email, "Votre contestation est enregistrée")
            .await;
        Maildev::from_env()
            .about(
                "recouvrement@test.example",
                "Nouvelle contestation\u{a0}: Quincaillerie Zoé",
            )
            .await;

        // The agents: the queue, an owner, a note the debtor never sees, a reply they do.
        let ag = app.agent(&db, &s.creditor_id, Role::Admin).await;
        let queue = ag.get("/agent/queue").await.text();
        assert!(
            queue.contains("Quincaillerie Zoé") && queue.contains("Erreur de facturation"),
            "{queue}"
        );
        let owner_email = format!("{}@creditor.example", unique("logistique-"));
        assert_eq!(
            ag.post_form(
                "/agent/owners",
                &[("name", "Logistique"), ("email", &owner_email)]
            )
            .await
            .location(),
            "/agent/rules?done=1"
        );
        assert_eq!(
            ag.post_form("/agent/owners", &[("name", ""), ("email", "x@y.example")])
                .await
                .location(),
            "/agent/rules?error=owner"
        );
        assert_eq!(
            ag.post_form(
                "/agent/owners",
                &[("name", "Technique"), ("email", "pas une adresse")]
            )
            .await
            .location(),
            "/agent/rules?error=owner"
        );
        let owner_id = db.storage.dispute_owners(&s.creditor_id).await.unwrap()[0]
            .id
            .clone();
        let case = format!("/agent/disputes/{id}");
        assert!(ag.get(&case).await.text().contains("bon de livraison.pdf"));
        assert_eq!(
            ag.post_form(&format!("{case}/assign"), &[("owner", &owner_id)])
                .await
                .location(),
            format!("{case}?done=1")
        );
        let assigned = Maildev::from_env()
            .about(&owner_email, "Une contestation vous est confiée")
            .await;
        assert!(
            assigned["text"]
                .as_str()
                .unwrap()
                .contains(&format!("/agent/disputes/{id}"))
        );
        let post = format!("{case}/post");
        let note = ag
            .post_multipart(
                &post,
                &[
                    ("visibility", "internal"),
                    ("message", "Note interne : vérifier le BL 4411"),
                ],
                &[("bl interne.png", "image/png", png())],
            )
            .await;
        assert_eq!(note.location(), format!("{case}?done=1"));
        let reply = ag
            .post_multipart(
                &post,
                &[
                    ("visibility", "public"),
                    ("message", "Nous vérifions avec la logistique."),
                ],
                &[("BL signé.pdf", "application/pdf", pdf())],
            )
            .await;
        assert_eq!(reply.location(), format!("{case}?done=1"));
        assert_eq!(
            ag.post_multipart(&post, &[("visibility", "public"), ("message", "   ")], &[])
                .await
                .location(),
            format!("{case}?error=text")
        );
        // A hostile file on a reply is refused like a debtor's: nothing stored, the text kept.
        let files_before = count(&db, "attachments", &s.creditor_id).await;
        let hostile = ag
            .post_multipart(
                &post,
                &[("visibility", "public"), ("message", "Voici le BL")],
                &[(
                    "bl.pdf",
                    "application/pdf",
                    b"<html><script>alert(1)</script>".to_vec(),
                )],
            )
            .await;
        assert_eq!(hostile.location(), format!("{case}?error=file"));
        assert_eq!(
            count(&db, "attachments", &s.creditor_id).await,
            files_before,
            "nothing stored"
        );
        assert!(
            ag.get(&format!("{case}?error=file"))
                .await
                .text()
                .contains("Une pièce jointe est refusée")
        );
        // A form that is not multipart at all is refused, not half-read.
        assert_eq!(
            ag.post_form(
                &post,
                &[("visibility", "public"), ("message", "urlencoded")]
            )
            .await
            .location(),
            format!("{case}?error=invalid")
        );
        let long = format!("Réponse trop longue {}", "é".repeat(4000));
        assert_eq!(
            ag.post_multipart(&post, &[("visibility", "public"), ("message", &long)], &[])
                .await
                .location(),
            format!("{case}?error=too_long")
        );
        let page = ag.get(&format!("{case}?error=too_long")).await.text();
        assert!(
            page.contains(&long) && page.contains(r#"value="public" checked"#),
            "the reply comes back as typed, still a reply"
        );
        let seen = c.get(&format!("/disputes/{id}")).await.text();
        assert!(
            seen.contains("Nous vérifions avec la logistique.") && !seen.contains("BL 4411"),
            "the reply, never the note"
        );
        // Pages have no JSON door of their own: their data is rendered into the page only.
        let api = c
            .send(
                c.http
                    .post(format!("{}/api/dispute", c.base))
                    .header("content-type", "application/json")
                    .body(format!("{{\"id\":\"{id}\"}}")),
            )
            .await;
        assert_eq!(api.status, 404);
        let answered = Maildev::from_env()
            .about(&s.email, "Réponse à votre contestation")
            .await;
        assert!(
            answered["text"]
                .as_str()
                .unwrap()
                .contains("Pièces jointes, à ouvrir dans votre espace\u{a0}: BL signé.pdf"),
            "the mail names the file, never carries it"
        );
        // The reply's file reaches the debtor; the note's never does.
        let (reply_file, note_file) = {
            use sqlx::Row;
            let id_of = |name: &'static str| {
                let pool = db.storage.pool.clone();
                async move {
                    sqlx::query("SELECT id FROM attachments WHERE file_name = $1")
                        .bind(name)
                        .fetch_one(&pool)
                        .await
                        .unwrap()
                        .get::<String, _>("id")
                }
            };
            (id_of("BL signé.pdf").await, id_of("bl interne.png").await)
        };
        assert!(seen.contains("BL signé.pdf") && !seen.contains("bl interne.png"));
        let f = c.get(&format!("/documents/attachments/{reply_file}")).await;
        assert_eq!((f.status, f.body.clone()), (200, pdf()));
        assert_eq!(
            c.get(&format!("/documents/attachments/{note_file}"))
                .await
                .status,
            404,
            "an internal note's file"
        );
        assert_eq!(
            ag.get(&format!("/agent/attachments/{note_file}"))
                .await
                .status,
            200,
            "agents see it"
        );

        // Rejected: an explanation is required; the invoice is owed again; a second decision conflicts.
        assert_eq!(
            ag.post_form(
                &format!("{case}/resolve"),
                &[("outcome", "rejected"), ("explanation", "")]
            )
            .await
            .location(),
            format!("{case}?error=explanation")
        );
        assert_eq!(status_of(&db, &s.invoice_ids[0]).await, "disputed");
        assert_eq!(
            ag.post_form(
                &format!("{case}/resolve"),
                &[
                    ("outcome", "rejected"),
                    ("explanation", "Le BL est signé sans réserve.")
                ]
            )
            .await
            .location(),
            format!("{case}?done=1")
        );
        assert_eq!(status_of(&db, &s.invoice_ids[0]).await, "open");
        assert_eq!(
            ag.post_form(&format!("{case}/resolve"), &[("outcome", "accepted")])
                .await
                .location(),
            format!("{case}?error=conflict"),
            "resolving twice"
        );
        let m = Maildev::from_env()
            .about(&s.email, "Votre contestation est traitée")
            .await;
        assert!(
            m["text"]
                .as_str()
                .unwrap()
                .contains("Le BL est signé sans réserve.")
                && token_in(m["text"].as_str().unwrap()).is_some()
        );
        let closed = c.get(&format!("/disputes/{id}")).await.text();
        assert!(
            closed.contains("non retenue") && !closed.contains("enctype"),
            "closed: no reply form"
        );
        // A closed dispute takes no more posts from the debtor.
        let r = c
            .post_multipart(
                &format!("/disputes/{id}/reply"),
                &[("message", "Mais enfin !")],
                &[],
            )
            .await;
        assert_eq!(r.location(), format!("/disputes/{id}?error=1"));
        // Every step is in the timeline.
        let timeline = ag
            .get(&format!("/agent/debtors/{}", s.debtor_id))
            .await
            .text();
        for step in [
            "contestation ouverte",
            "contestation confiée",
            "note interne (contestation)",
            "réponse au débiteur (contestation)",
            "contestation close",
        ] {
            assert!(timeline.contains(step), "{step}");
        }
    }
);

both!(
    hostile_uploads_are_refused_with_a_reason_and_nothing_is_half_stored,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur prudent").await;
        // The creditor lowers the limits: 2 files of 1 MiB.
        db.storage
            .set_case_settings(&s.creditor_id, 30, 2, 1024 * 1024, "test", now())
            .await
            .unwrap();
        let c = app.debtor(&s).await;
        let mut script_in_pdf = pdf();
        script_in_pdf.splice(9..9, b"<script>fetch('/api')</script>".iter().copied());
        let mut appended = png();
        appended.extend_from_slice(b"<html><body onload=alert(1)>");
        let mut big = pdf();
        big.resize(1024 * 1024 + 1, b' ');
        // (files, the refusal's code, what it is about)
        type Case<'a> = (Vec<(&'a str, &'a str, Vec<u8>)>, &'a str, &'a str);
        let cases: Vec<Case> = vec![
            (
                vec![("facture.pdf", "application/pdf", png())],
                "ne contient pas ce que son nom annonce",
                "content does not match the name",
            ),
            (
                vec![("facture.pdf", "image/png", pdf())],
                "ne contient pas ce que son nom annonce",
                "type does not match the content",
            ),
            (
                vec![("page.html", "text/html", b"<html></html>".to_vec())],
                "seuls les fichiers PDF, PNG et JPEG",
                "not an accepted type",
            ),
            (
                vec![("polyglotte.pdf", "application/pdf", script_in_pdf)],
                "contient autre chose",
                "script inside a PDF",
            ),
            (
                vec![("image.png", "image/png", appended)],
                "contient autre chose",
                "HTML after a PNG",
            ),
            (
                vec![("vide.pdf", "application/pdf", Vec::new())],
                "est vide",
                "empty",
            ),
            (
                vec![("gros.pdf", "application/pdf", big)],
                "dépasse la taille permise",
                "over the creditor's limit",
            ),
            (
                vec![
                    ("a.pdf", "application/pdf", pdf()),
                    ("b.pdf", "application/pdf", pdf()),
                    ("c.pdf", "application/pdf", pdf()),
                ],
                "Trop de pièces jointes : 2 au plus",
                "too many",
            ),
            (
                vec![("../../etc/passwd.pdf", "application/pdf", pdf())],
                "caractères interdits",
                "path separators",
            ),
            (
                vec![("tab\there.pdf", "application/pdf", pdf())],
                "caractères interdits",
                "a control character",
            ),
            (
                vec![("bell\u{7}.pdf", "application/pdf", pdf())],
                "n’a pas pu être lu",
                "a control character the multipart parser refuses",
            ),
            // Six phone photos of 5 MiB: more than the portal reads in one form (25 MiB); the body
            // is read to its end and answered with a page, the text before the files kept.
            (
                (1..=6)
                    .map(|_| ("photo.jpg", "image/jpeg", vec![0xff; 5 * 1024 * 1024]))
                    .collect(),
                "trop lourdes pour être reçues",
                "a body over the upload limit",
            ),
        ];
        for (files, says, what) in cases {
            let r = c
                .post_multipart(
                    "/disputes",
                    &[
                        ("invoice", &s.invoice_ids[0]),
                        ("reason", "quality"),
                        (
                            "message",
                            "Texte à garder <b>intact</b></textarea><script>alert(1)</script>",
                        ),
                    ],
                    &files,
                )
                .await;
            assert_eq!(r.location(), "/disputes?error=1", "{what}");
            let page = c.get("/disputes?error=1").await.text();
            assert!(page.contains(says), "{what}: {says}");
            assert!(
                page.contains(
                    "Texte à garder &lt;b&gt;intact&lt;/b&gt;&lt;/textarea&gt;&lt;script&gt;"
                ),
                "{what}: the message is kept, as text"
            );
            assert!(
                !page.contains("</textarea><script>"),
                "{what}: a kept draft cannot close the text area"
            );
            assert!(page.contains("joignez à nouveau vos fichiers"), "{what}");
            assert_eq!(
                count(&db, "disputes", &s.creditor_id).await,
                0,
                "{what}: nothing stored"
            );
            assert_eq!(count(&db, "attachments", &s.creditor_id).await, 0, "{what}");
            assert_eq!(status_of(&db, &s.invoice_ids[0]).await, "open", "{what}");
        }
        // Malformed bodies: not multipart at all, and a multipart cut short.
        let r = c
            .post_form("/disputes", &[("invoice", &s.invoice_ids[0])])
            .await;
        assert_eq!(r.location(), "/disputes?error=1");
        assert!(
            c.get("/disputes?error=1")
                .await
                .text()
                .contains("n’a pas pu être lu")
        );
        let cut = c
            .send(
                c.http
                    .post(format!("{}/disputes", c.base))
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", "multipart/form-data; boundary=XX")
                    .body("--XX\r\nContent-Disposition: form-data; name=\"message\"\r\n\r\nhalf"),
            )
            .await;
        assert_eq!(cut.location(), "/disputes?error=1");
        // A cross-site post is refused before anything is read.
        let forged = c
            .send(
                c.http
                    .post(format!("{}/disputes", c.base))
                    .header("sec-fetch-site", "cross-site")
                    .header("content-type", "multipart/form-data; boundary=XX")
                    .body("--XX--\r\n"),
            )
            .await;
        assert_eq!(forged.status, 403);
        assert_eq!(count(&db, "disputes", &s.creditor_id).await, 0);
        // The same form with a good file goes through, and the draft is gone.
        contest(
            &c,
            &s,
            "Texte à garder",
            &[("ok.pdf", "application/pdf", pdf())],
        )
        .await;
        assert!(
            !c.get("/disputes")
                .await
                .text()
                .contains("joignez à nouveau")
        );
    }
);

both!(
    nobody_reaches_another_debtors_dispute_file_or_thread,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let a = seed(&db.storage, "Débiteur A").await;
        let b = seed_debtor(&db.storage, &a.creditor_id, &a.slug, "Débiteur B").await;
        let ca = app.debtor(&a).await;
        let id = contest(
            &ca,
            &a,
            "Secret de A",
            &[("a.pdf", "application/pdf", pdf())],
        )
        .await;
        let file_id: String = {
            use sqlx::Row;
            sqlx::query("SELECT id FROM attachments WHERE dispute_id = $1")
                .bind(&id)
                .fetch_one(&db.storage.pool)
                .await
                .unwrap()
                .get("id")
        };
        let cb = app.debtor(&b).await;
        assert_eq!(cb.get(&format!("/disputes/{id}")).await.status, 404);
        assert!(
            !cb.get(&format!("/disputes/{id}"))
                .await
                .text()
                .contains("Secret de A")
        );
        assert_eq!(
            cb.get(&format!("/documents/attachments/{file_id}"))
                .await
                .status,
            404
        );
        let api = cb
            .send(
                cb.http
                    .post(format!("{}/api/dispute", cb.base))
                    .header("content-type", "application/json")
                    .body(format!("{{\"id\":\"{id}\"}}")),
            )
            .await;
        assert!(!api.text().contains("Secret de A"));
        assert_eq!(
            cb.post_multipart(
                &format!("/disputes/{id}/reply"),
                &[("message", "intrus")],
                &[]
            )
            .await
            .location(),
            "/disputes"
        );
        // B cannot contest A's invoice either.
        let r = cb
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &a.invoice_ids[1]),
                    ("reason", "other"),
                    ("message", "x"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.location(), "/disputes?error=1");
        assert!(
            cb.get("/disputes?error=1")
                .await
                .text()
                .contains("ne peut plus être contestée")
        );
        assert_eq!(status_of(&db, &a.invoice_ids[1]).await, "open");

        // Another creditor's agent: no page, no file, no action.
        let other = seed(&db.storage, "Ailleurs").await;
        let stranger = app.agent(&db, &other.creditor_id, Role::Admin).await;
        assert_eq!(
            stranger.get(&format!("/agent/disputes/{id}")).await.status,
            404
        );
        assert_eq!(
            stranger
                .get(&format!("/agent/attachments/{file_id}"))
                .await
                .status,
            404
        );
        let r = stranger
            .post_form(
                &format!("/agent/disputes/{id}/resolve"),
                &[("outcome", "accepted")],
            )
            .await;
        assert_eq!(
            r.location(),
            format!("/agent/disputes/{id}?error=not_found")
        );
        assert_eq!(
            stranger
                .post_form(
                    &format!("/agent/debtors/{}/messages", a.debtor_id),
                    &[("message", "bonjour")]
                )
                .await
                .location(),
            format!("/agent/debtors/{}?error=not_found#messages", a.debtor_id)
        );
        // The right creditor's read-only agent sees but cannot act.
        let reader = app.agent(&db, &a.creditor_id, Role::ReadOnly).await;
        assert_eq!(
            reader
                .get(&format!("/agent/attachments/{file_id}"))
                .await
                .status,
            200
        );
        assert_eq!(
            reader
                .post_form(
                    &format!("/agent/disputes/{id}/resolve"),
                    &[("outcome", "accepted")]
                )
                .await
                .location(),
            format!("/agent/disputes/{id}?error=forbidden")
        );
        assert_eq!(count(&db, "disputes", &a.creditor_id).await, 1);
        assert_eq!(
            db.storage
                .dispute(&a.creditor_id, None, &id)
                .await
                .unwrap()
                .unwrap()
                .status
                .as_str(),
            "open"
        );
    }
);

both!(
    disputes_follow_the_invoices_state_and_credits_are_granted_in_full_or_in_part,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur en règle").await;
        let c = app.debtor(&s).await;
        // Paid or in a schedule: not contestable.
        sqlx::query("UPDATE invoices SET status = 'scheduled' WHERE id = $1")
            .bind(&s.invoice_ids[1])
            .execute(&db.storage.pool)
            .await
            .unwrap();
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[1]),
                    ("reason", "price"),
                    ("message", "x"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.location(), "/disputes?error=1");
        sqlx::query("UPDATE invoices SET status = 'paid' WHERE id = $1")
            .bind(&s.invoice_ids[1])
            .execute(&db.storage.pool)
            .await
            .unwrap();
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[1]),
                    ("reason", "price"),
                    ("message", "x"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.location(), "/disputes?error=1");
        // "Already paid" needs the date; a part above what is left is refused.
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[0]),
                    ("reason", "already_paid"),
                    ("message", "Payé par virement"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.location(), "/disputes?error=1");
        assert!(
            c.get("/disputes?error=1")
                .await
                .text()
                .contains("Indiquez la date de votre paiement")
        );
        let amount_field = format!("amount_{}", s.invoice_ids[0]);
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[0]),
                    (&amount_field, "1 300,00"),
                    ("reason", "price"),
                    ("message", "Remise oubliée"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.location(), "/disputes?error=1");
        assert!(
            c.get("/disputes?error=1")
                .await
                .text()
                .contains("dépasse ce qui reste à payer")
        );
        assert_eq!(count(&db, "disputes", &s.creditor_id).await, 0);

        // Part of the invoice (234.56 of 1,234.56) is contested for a forgotten discount.
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[0]),
                    (&amount_field, "234,56"),
                    ("reason", "price"),
                    ("message", "Remise oubliée"),
                ],
                &[],
            )
            .await;
        let id = r
            .location()
            .trim_start_matches("/disputes/")
            .trim_end_matches("?done=opened")
            .to_string();
        assert_eq!(
            db.storage
                .dispute(&s.creditor_id, None, &id)
                .await
                .unwrap()
                .unwrap()
                .contested,
            Money::new(23_456, Currency::Eur)
        );
        // Contesting it again while open is refused.
        let r = c
            .post_multipart(
                "/disputes",
                &[
                    ("invoice", &s.invoice_ids[0]),
                    ("reason", "price"),
                    ("message", "encore"),
                ],
                &[],
            )
            .await;
        assert_eq!(r.location(), "/disputes?error=1");

        // A card payment arriving meanwhile for that invoice: it is kept as a credit, not set
        // against the contested invoice.
        let attempt = db
            .storage
            .start_attempt(
                &server::storage::NewAttempt {
                    id: uuid::Uuid::new_v4().to_string(),
                    creditor_id: s.creditor_id.clone(),
                    debtor_id: s.debtor_id.clone(),
                    amount: Money::new(10_000, Currency::Eur),
                    invoice_ids: vec![s.invoice_ids[0].clone()],
                    save_for_schedule: None,
                    automatic: false,
                },
                now(),
            )
            .await
            .unwrap()
            .unwrap();
        let paid = server::storage::RecordedPayment {
            payment_id: server::storage::new_id(),
            external_id: unique("pi_"),
            amount: Money::new(10_000, Currency::Eur),
            received_on: today(),
            method: "card".into(),
            reference: "Visa •••• 4242".into(),
        };
        db.storage
            .record_payment(&attempt, &paid, &[], now())
            .await
            .unwrap();
        assert_eq!(status_of(&db, &s.invoice_ids[0]).await, "disputed");
        let facts = db
            .storage
            .invoice_facts(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap();
        assert_eq!(
            facts
                .iter()
                .find(|f| f.id == s.invoice_ids[0])
                .unwrap()
                .remaining
                .minor,
            123_456,
            "nothing set against it"
        );

        // Partly accepted: 100.00 credited by a credit note set against the invoice; the rest is owed.
        let ag = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let case = format!("/agent/disputes/{id}");
        let typed = [
            ("outcome", "partly_accepted"),
            ("amount", "234,56"),
            ("explanation", "Remise <b>après appel</b> du client"),
        ];
        assert_eq!(
            ag.post_form(&format!("{case}/resolve"), &typed)
                .await
                .location(),
            format!("{case}?error=part")
        );
        // What the agent typed comes back, escaped, to them only.
        let page = ag.get(&format!("{case}?error=part")).await.text();
        assert!(
            page.contains("Remise &lt;b&gt;après appel&lt;/b&gt; du client")
                && page.contains(r#"value="234,56""#),
            "kept"
        );
        assert!(
            page.contains(r#"value="partly_accepted" selected"#),
            "the outcome chosen"
        );
        let colleague = app.agent(&db, &s.creditor_id, Role::Agent).await;
        assert!(
            !colleague.get(&case).await.text().contains("après appel"),
            "a colleague does not see another agent's draft"
        );
        assert_eq!(
            ag.post_form(
                &format!("{case}/resolve"),
                &[
                    ("outcome", "partly_accepted"),
                    ("amount", "100"),
                    ("explanation", "Remise de 100 € accordée.")
                ]
            )
            .await
            .location(),
            format!("{case}?done=1")
        );
        let facts = db
            .storage
            .invoice_facts(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap();
        let inv = facts.iter().find(|f| f.id == s.invoice_ids[0]).unwrap();
        assert_eq!(
            (inv.remaining.minor, inv.status.as_str()),
            (113_456, "open")
        );
        assert!(
            facts
                .iter()
                .any(|f| f.kind == app::domain::invoice::DocumentKind::CreditNote
                    && f.amount.minor == 10_000
                    && f.remaining.minor == 0)
        );
        assert!(
            c.get(&format!("/disputes/{id}"))
                .await
                .text()
                .contains("acceptée en partie")
        );
        assert_eq!(
            agent_drafts(&db, &s.creditor_id).await,
            0,
            "forgotten once resolved"
        );
    }
);

both!(
    a_message_and_its_answer_reach_both_sides_and_unread_counts_follow,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Messagère").await;
        let c = app.debtor(&s).await;
        assert!(c.get("/messages").await.text().contains("Aucun message"));
        // Refused: empty, too long (the text is kept).
        assert_eq!(
            c.post_form("/messages", &[("message", "  ")])
                .await
                .location(),
            "/messages?error=1"
        );
        let long = "a".repeat(4001);
        assert_eq!(
            c.post_form("/messages", &[("message", &long)])
                .await
                .location(),
            "/messages?error=1"
        );
        assert!(
            c.get("/messages?error=1").await.text().contains(&long),
            "kept"
        );
        assert_eq!(count(&db, "messages", &s.creditor_id).await, 0);
        assert_eq!(
            c.post_form(
                "/messages",
                &[(
                    "message",
                    "Bonjour, <img src=x onerror=alert(1)> je paie vendredi."
                )]
            )
            .await
            .location(),
            "/messages?done=sent"
        );
        let page = c.get("/messages?done=sent").await.text();
        assert!(
            page.contains("&lt;img src=x onerror=alert(1)&gt;") && !page.contains("<img src=x")
        );
        let team = Maildev::from_env()
            .about(
                "recouvrement@test.example",
                "Message de Boulangerie Messagère",
            )
            .await;
        assert!(team["text"].as_str().unwrap().contains("je paie vendredi"));
        assert!(
            !team["html"].as_str().unwrap().contains("<img src=x"),
            "escaped in the mail too"
        );

        let ag = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let queue = ag.get("/agent/queue").await.text();
        assert!(
            queue.contains("Boulangerie Messagère") && queue.contains("1 message non lu"),
            "{queue}"
        );
        assert!(
            ag.get(&format!("/agent/debtors/{}", s.debtor_id))
                .await
                .text()
                .contains("je paie vendredi")
        );
        assert!(
            !ag.get("/agent/queue")
                .await
                .text()
                .contains("message non lu"),
            "read once the page is seen"
        );
        // An answer too long is refused and comes back to the agent.
        let refused = ag
            .post_form(
                &format!("/agent/debtors/{}/messages", s.debtor_id),
                &[("message", &long)],
            )
            .await;
        assert_eq!(
            refused.location(),
            format!("/agent/debtors/{}?error=too_long#messages", s.debtor_id)
        );
        assert!(
            ag.get(&format!("/agent/debtors/{}?error=too_long", s.debtor_id))
                .await
                .text()
                .contains(&long),
            "kept"
        );
        let answer = ag
            .post_form(
                &format!("/agent/debtors/{}/messages", s.debtor_id),
                &[("message", "Merci, c’est noté.")],
            )
            .await;
        assert_eq!(
            answer.location(),
            format!("/agent/debtors/{}?done=1#messages", s.debtor_id)
        );
        let m = Maildev::from_env()
            .about(&s.email, "Réponse à votre message")
            .await;
        assert!(
            m["text"].as_str().unwrap().contains("Merci, c’est noté.")
                && token_in(m["text"].as_str().unwrap()).is_some()
        );
        assert!(
            c.get("/messages")
                .await
                .text()
                .contains("Merci, c’est noté.")
        );
        assert!(
            !ag.get(&format!("/agent/debtors/{}", s.debtor_id))
                .await
                .text()
                .contains(&long),
            "forgotten once sent"
        );
        assert_eq!(agent_drafts(&db, &s.creditor_id).await, 0);
    }
);

both!(
    the_creditor_sets_the_promise_horizon_and_the_attachment_limits,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur pressé").await;
        let plain = app.agent(&db, &s.creditor_id, Role::Agent).await;
        assert_eq!(
            plain
                .post_form(
                    "/agent/settings/cases",
                    &[("horizon_days", "10"), ("max_files", "1"), ("max_mb", "1")]
                )
                .await
                .location(),
            "/agent/rules?error=forbidden"
        );
        let admin = app.agent(&db, &s.creditor_id, Role::Admin).await;
        for bad in [
            ("0", "1", "1"),
            ("366", "1", "1"),
            ("10", "6", "1"),
            ("10", "1", "6"),
            ("dix", "1", "1"),
        ] {
            let r = admin
                .post_form(
                    "/agent/settings/cases",
                    &[
                        ("horizon_days", bad.0),
                        ("max_files", bad.1),
                        ("max_mb", bad.2),
                    ],
                )
                .await;
            assert_eq!(r.location(), "/agent/rules?error=settings", "{bad:?}");
        }
        assert_eq!(
            admin
                .post_form(
                    "/agent/settings/cases",
                    &[("horizon_days", "10"), ("max_files", "1"), ("max_mb", "2")]
                )
                .await
                .location(),
            "/agent/rules?done=1"
        );
        let c = app.debtor(&s).await;
        let day = |n: i64| (today() + chrono::Duration::days(n)).to_string();
        assert!(
            c.post_form("/promise", &[("amount", "10"), ("date", &day(11))])
                .await
                .location()
                .starts_with("/promise?error=far")
        );
        assert_eq!(
            c.post_form("/promise", &[("amount", "10"), ("date", &day(10))])
                .await
                .location(),
            "/promise?done=1"
        );
        assert!(
            c.get("/disputes")
                .await
                .text()
                .contains("Un fichier au plus, de 2\u{A0}Mo")
        );
    }
);

/// The id the page gave its form (`name="submission"`).
fn submission_in(page: &str) -> String {
    let at = page
        .find(r#"name="submission" value=""#)
        .expect("a submission id in the form")
        + r#"name="submission" value=""#.len();
    page[at..at + 36].to_string()
}

both!(
    the_same_form_sent_twice_is_stored_once,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur qui double-clique").await;
        let c = app.debtor(&s).await;
        let files = [("bl.pdf", "application/pdf", pdf())];

        // A double tap: the same dispute form twice, one after the other, then twice at once.
        let sub = submission_in(&c.get("/disputes").await.text());
        let fields = [
            ("invoice", s.invoice_ids[0].as_str()),
            ("reason", "quality"),
            ("message", "Rayé à la livraison"),
            ("submission", sub.as_str()),
        ];
        let first = c.post_multipart("/disputes", &fields, &files).await;
        assert_eq!(first.location(), format!("/disputes/{sub}?done=opened"));
        let second = c.post_multipart("/disputes", &fields, &files).await;
        assert_eq!(
            second.location(),
            first.location(),
            "answered as the first was, not 'already contested'"
        );
        let sub2 = submission_in(&c.get("/disputes").await.text());
        assert_ne!(sub2, sub, "each page gives a fresh id");
        let fields2 = [
            ("invoice", s.invoice_ids[1].as_str()),
            ("reason", "quality"),
            ("message", "Aussi rayé"),
            ("submission", sub2.as_str()),
        ];
        let (a, b) = tokio::join!(
            c.post_multipart("/disputes", &fields2, &files),
            c.post_multipart("/disputes", &fields2, &files)
        );
        assert_eq!(
            (a.location(), b.location()),
            (
                format!("/disputes/{sub2}?done=opened"),
                format!("/disputes/{sub2}?done=opened")
            )
        );
        assert_eq!(count(&db, "disputes", &s.creditor_id).await, 2);
        assert_eq!(
            count(&db, "attachments", &s.creditor_id).await,
            2,
            "one file each"
        );
        assert_eq!(count(&db, "dispute_posts", &s.creditor_id).await, 2);

        // A reply and a message, each sent twice.
        let page = c.get(&format!("/disputes/{sub}")).await.text();
        let reply = [
            ("message", "Photos jointes"),
            ("submission", &submission_in(&page)),
        ];
        for n in 1..=2 {
            let r = c
                .post_multipart(&format!("/disputes/{sub}/reply"), &reply, &[])
                .await;
            if r.location() != format!("/disputes/{sub}?done=sent") {
                let page = c.get(&r.location()).await.text();
                let alert = page
                    .split("role=\"alert\">")
                    .nth(1)
                    .and_then(|t| t.split('<').next())
                    .unwrap_or("");
                panic!("reply {n}: {} — {alert}", r.location());
            }
        }
        assert_eq!(count(&db, "dispute_posts", &s.creditor_id).await, 3);
        let m = submission_in(&c.get("/messages").await.text());
        for _ in 0..2 {
            assert_eq!(
                c.post_form(
                    "/messages",
                    &[("message", "Je rappelle demain"), ("submission", &m)]
                )
                .await
                .location(),
                "/messages?done=sent"
            );
        }
        assert_eq!(count(&db, "messages", &s.creditor_id).await, 1);
        // A malformed id is no id: the message is stored once, under an id of ours.
        assert_eq!(
            c.post_form(
                "/messages",
                &[
                    ("message", "Sans identifiant valable"),
                    ("submission", "<script>'; DROP TABLE messages")
                ]
            )
            .await
            .location(),
            "/messages?done=sent"
        );
        assert_eq!(count(&db, "messages", &s.creditor_id).await, 2);

        // Another debtor sending the first one's ids gets nothing of theirs and stores nothing.
        let other = seed_debtor(&db.storage, &s.creditor_id, &s.slug, "Débiteur voisin").await;
        let o = app.debtor(&other).await;
        let stolen = [
            ("invoice", other.invoice_ids[0].as_str()),
            ("reason", "quality"),
            ("message", "x"),
            ("submission", sub.as_str()),
        ];
        assert_eq!(
            o.post_multipart("/disputes", &stolen, &[]).await.location(),
            "/disputes?error=1"
        );
        assert_eq!(
            o.post_form(
                "/messages",
                &[("message", "Texte du voisin"), ("submission", &m)]
            )
            .await
            .location(),
            "/messages?error=1"
        );
        assert_eq!(count(&db, "disputes", &s.creditor_id).await, 2);
        assert_eq!(count(&db, "messages", &s.creditor_id).await, 2);
        assert!(
            o.get("/messages?error=1")
                .await
                .text()
                .contains("Texte du voisin"),
            "their text is kept"
        );
    }
);
