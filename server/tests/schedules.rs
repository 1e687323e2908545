//! Payment schedules end to end over HTTP: the debtor's form (no JavaScript needed), the
//! creditor's rules, the agents' decisions, the mails, the PDF and the follow-up job.

use crate::both;
use crate::support::*;
use app::domain::agent::Role;
use app::domain::money::Currency;
use chrono::Duration;
use server::storage::ScheduleStatus;

fn day(offset: i64) -> String {
    (today() + Duration::days(offset)).to_string()
}

/// The form as a browser sends it: both invoices, `count` instalments monthly from `first`.
fn even_form(s: &Seeded, count: &str, first: &str) -> Vec<(&'static str, String)> {
    vec![
        ("invoice", s.invoice_ids[0].clone()),
        ("invoice", s.invoice_ids[1].clone()),
        ("count", count.into()),
        ("rhythm", "monthly".into()),
        ("first", first.into()),
        ("action", "send".into()),
    ]
}

async fn propose(c: &Client, form: &[(&'static str, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    c.post_form("/schedule/propose", &pairs).await
}

async fn schedules(db: &Db, s: &Seeded) -> Vec<server::storage::ScheduleRow> {
    db.storage
        .schedules_of(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap()
}

async fn statuses(db: &Db, s: &Seeded) -> Vec<String> {
    let facts = db
        .storage
        .invoice_facts(&s.creditor_id, &s.debtor_id)
        .await
        .unwrap();
    s.invoice_ids[..2]
        .iter()
        .map(|id| {
            facts
                .iter()
                .find(|f| &f.id == id)
                .unwrap()
                .status
                .as_str()
                .to_string()
        })
        .collect()
}

both!(
    a_proposal_inside_the_rules_is_accepted_at_once_with_a_mail_and_a_pdf,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Éloïse").await;
        with_rules(&db, &s).await;
        let c = app.debtor(&s).await;
        let page = c.get("/schedule").await;
        assert_eq!(page.status, 200);
        assert!(page.text().contains("Proposer un échéancier"));

        // 1,734.56 € in 3 monthly instalments from in 3 days: 578.18, 578.18, 578.20.
        let res = propose(&c, &even_form(&s, "3", &day(3))).await;
        assert_eq!(
            (res.status, res.location().as_str()),
            (303, "/schedule?done=accepted")
        );
        let all = schedules(&db, &s).await;
        assert_eq!(all.len(), 1);
        let sch = &all[0];
        assert_eq!(sch.status, ScheduleStatus::Accepted);
        assert_eq!(
            sch.instalments
                .iter()
                .map(|i| i.amount.minor)
                .collect::<Vec<_>>(),
            vec![57_818, 57_818, 57_820]
        );
        assert_eq!(
            statuses(&db, &s).await,
            vec!["scheduled", "scheduled"],
            "the invoices leave the chase"
        );

        // The statement no longer shows them as overdue; the schedule page shows the plan.
        let statement = c.get("/statement").await.text();
        assert!(
            !statement.contains("dont échu"),
            "nothing overdue while the schedule runs"
        );
        let page = c.get("/schedule?done=accepted").await.text();
        assert!(
            page.contains("Votre échéancier est accepté") && page.contains("578,18"),
            "{page}"
        );

        // The confirmation mail carries the schedule PDF; the portal serves the same PDF.
        let mails = Maildev::from_env().wait_for(&s.email, 1).await;
        assert!(
            mails[0]["subject"]
                .as_str()
                .unwrap()
                .starts_with("Votre échéancier est accepté")
        );
        let files: Vec<&str> = mails[0]["attachments"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|a| a["fileName"].as_str())
            .collect();
        assert!(
            files.len() == 1 && files[0].starts_with("echeancier-E-") && files[0].ends_with(".pdf"),
            "{files:?}"
        );
        let pdf = c.get(&format!("/documents/schedules/{}.pdf", sch.id)).await;
        assert_eq!(pdf.status, 200);
        let text = crate::documents::pdf_checks(&pdf.body);
        assert!(
            text.contains("Échéancier de paiement E-") && text.contains("578,20"),
            "{text}"
        );

        // Each instalment can be paid from the portal: the pay page settles that schedule's invoices.
        let pay = c
            .get(&format!(
                "/pay?mode=amount&currency=EUR&amount=578.18&schedule={}",
                sch.id
            ))
            .await;
        assert_eq!(pay.status, 200);
        assert!(pay.text().contains("578,18"));
        assert_eq!(c.get("/pay?mode=amount&currency=EUR&amount=1&schedule=00000000-0000-0000-0000-000000000000").await.status, 404);

        // A second proposal for the same invoices is refused; nothing new is stored.
        let again = propose(&c, &even_form(&s, "2", &day(3))).await;
        assert_eq!(again.location(), "/schedule?error=invalid");
        assert_eq!(schedules(&db, &s).await.len(), 1);

        // Another debtor cannot read this schedule's PDF.
        let other = seed_debtor(&db.storage, &s.creditor_id, &s.slug, "Autre débiteur").await;
        let c2 = app.debtor(&other).await;
        assert_eq!(
            c2.get(&format!("/documents/schedules/{}.pdf", sch.id))
                .await
                .status,
            404
        );
    }
);

both!(
    outside_the_rules_an_agent_counter_proposes_and_the_debtor_accepts,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Éloïse").await;
        with_rules(&db, &s).await;
        let c = app.debtor(&s).await;
        // Twelve instalments: more than the band's six, so a person decides.
        let res = propose(&c, &even_form(&s, "12", &day(3))).await;
        assert_eq!(res.location(), "/schedule?done=review");
        let proposal = schedules(&db, &s).await.remove(0);
        assert_eq!(proposal.status, ScheduleStatus::Proposed);
        assert_eq!(
            statuses(&db, &s).await,
            vec!["open", "open"],
            "still chased until someone agrees"
        );
        let page = c.get("/schedule").await.text();
        assert!(
            page.contains("Votre proposition") && page.contains("examine votre proposition"),
            "{page}"
        );
        assert!(
            Maildev::from_env().wait_for(&s.email, 1).await[0]["subject"]
                .as_str()
                .unwrap()
                .starts_with("Nous avons reçu")
        );

        // A second proposal while one is pending: refused, and the form comes back as typed.
        let second = propose(&c, &even_form(&s, "5", &day(3))).await;
        assert_eq!(second.location(), "/schedule?error=pending");
        let flash = c.cookie("amiable_flash").expect("what was typed is kept");
        assert!(flash.contains("count=5"), "{flash}");
        assert_eq!(schedules(&db, &s).await.len(), 1);

        // The queue lists it, with the reason; agents of another creditor and read-only agents
        // cannot act on it.
        let ag = app.agent(&db, &s.creditor_id, Role::Agent).await;
        let queue = ag.get("/agent/queue").await.text();
        assert!(
            queue.contains("Boulangerie Éloïse") && queue.contains("plus de 6 échéances"),
            "{queue}"
        );
        let stranger_creditor = seed(&db.storage, "Débiteur d’un autre").await;
        let stranger = app
            .agent(&db, &stranger_creditor.creditor_id, Role::Admin)
            .await;
        assert!(
            !stranger
                .get("/agent/queue")
                .await
                .text()
                .contains("Boulangerie Éloïse")
        );
        assert_eq!(
            stranger
                .get(&format!("/agent/debtors/{}", s.debtor_id))
                .await
                .status,
            404
        );
        let decide = format!("/agent/schedules/{}/decide", proposal.id);
        let r = stranger
            .post_form(&decide, &[("debtor", &s.debtor_id), ("decision", "accept")])
            .await;
        // Another creditor's proposal is not found from here (it was worded "conflict" once).
        assert!(r.location().contains("error=not_found"), "{}", r.location());
        let reader = app.agent(&db, &s.creditor_id, Role::ReadOnly).await;
        assert!(
            reader
                .get(&format!("/agent/debtors/{}", s.debtor_id))
                .await
                .text()
                .contains("lecture seule")
        );
        let r = reader
            .post_form(&decide, &[("debtor", &s.debtor_id), ("decision", "accept")])
            .await;
        assert!(r.location().contains("error=forbidden"), "{}", r.location());
        // Cross-site decision posts are refused before anything is read.
        let cross = ag
            .send(
                ag.http
                    .post(format!("{}{decide}", ag.base))
                    .header("sec-fetch-site", "cross-site")
                    .form(&[("decision", "accept")]),
            )
            .await;
        assert_eq!(cross.status, 403);
        assert_eq!(
            schedules(&db, &s).await[0].status,
            ScheduleStatus::Proposed,
            "nothing changed"
        );

        // A rejection needs a reason.
        let r = ag
            .post_form(
                &decide,
                &[
                    ("debtor", &s.debtor_id),
                    ("decision", "reject"),
                    ("note", "  "),
                ],
            )
            .await;
        assert!(r.location().contains("error=note"));
        // The agent counter-proposes six monthly instalments, with a message.
        let r = ag
            .post_form(
                &decide,
                &[
                    ("debtor", &s.debtor_id),
                    ("decision", "counter"),
                    ("count", "6"),
                    ("rhythm", "monthly"),
                    ("first", &day(5)),
                    ("note", "Six mois <b>au plus</b>."),
                ],
            )
            .await;
        assert!(r.location().contains("done=1"), "{}", r.location());
        let all = schedules(&db, &s).await;
        assert_eq!(
            (all[0].status, all[1].status),
            (ScheduleStatus::Countered, ScheduleStatus::Superseded)
        );
        assert_eq!(all[0].instalments.len(), 6);
        // Deciding again on the replaced proposal is a conflict.
        assert!(
            ag.post_form(&decide, &[("debtor", &s.debtor_id), ("decision", "accept")])
                .await
                .location()
                .contains("error=conflict")
        );

        // The debtor is mailed a fresh link, sees the counter-proposal (the message as text) and accepts.
        let mails = Maildev::from_env().wait_for(&s.email, 2).await;
        let counter = mails
            .iter()
            .find(|m| {
                m["subject"]
                    .as_str()
                    .unwrap()
                    .starts_with("Une contre-proposition")
            })
            .expect("counter mail");
        let token = token_in(counter["text"].as_str().unwrap()).expect("a link in the mail");
        let c3 = app.client();
        c3.open(&token).await;
        let page = c3.get("/schedule").await.text();
        assert!(
            page.contains("Une contre-proposition vous attend"),
            "{page}"
        );
        assert!(
            page.contains("Six mois &lt;b&gt;au plus&lt;/b&gt;.") && !page.contains("<b>au plus"),
            "the note is text, not HTML"
        );
        let r = c3
            .post_form(
                "/schedule/answer",
                &[("schedule", &all[0].id), ("answer", "accept")],
            )
            .await;
        assert_eq!(r.location(), "/schedule?done=accepted");
        assert_eq!(schedules(&db, &s).await[0].status, ScheduleStatus::Accepted);
        assert_eq!(statuses(&db, &s).await, vec!["scheduled", "scheduled"]);
        // Answering twice changes nothing.
        assert_eq!(
            c3.post_form(
                "/schedule/answer",
                &[("schedule", &all[0].id), ("answer", "decline")]
            )
            .await
            .location(),
            "/schedule?error=changed"
        );

        // The debtor's timeline in the back office tells the story.
        let page = ag
            .get(&format!("/agent/debtors/{}", s.debtor_id))
            .await
            .text();
        for words in [
            "échéancier proposé",
            "contre-proposition",
            "échéancier accepté",
        ] {
            assert!(page.contains(words), "{words} in the timeline");
        }
    }
);

both!(
    bad_and_hostile_forms_are_refused_and_what_was_typed_comes_back,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Éloïse").await;
        with_rules(&db, &s).await;
        let other = seed(&db.storage, "Débiteur d’un autre créancier").await;
        let c = app.debtor(&s).await;
        let with = |k: &'static str, v: &str| {
            let mut f = even_form(&s, "3", &day(3));
            f.retain(|(n, _)| *n != k);
            f.push((k, v.to_string()));
            f
        };
        let cases: Vec<(&str, Vec<(&'static str, String)>)> = vec![
            ("zero instalments", with("count", "0")),
            ("negative instalments", with("count", "-2")),
            ("a thousand instalments", with("count", "1000")),
            ("not a number", with("count", "trois<script>")),
            ("first date in the past", with("first", &day(-1))),
            ("not a date", with("first", "31/12/2026")),
            ("unknown rhythm", with("rhythm", "daily")),
            ("beyond three years", with("first", &day(1200))),
            ("another creditor's invoice", {
                let mut f = even_form(&s, "3", &day(3));
                f.push(("invoice", other.invoice_ids[0].clone()));
                f
            }),
            ("a credit note", {
                let mut f = even_form(&s, "3", &day(3));
                f.push(("invoice", s.invoice_ids[2].clone()));
                f
            }),
            (
                "amounts that do not sum",
                vec![
                    ("invoice", s.invoice_ids[0].clone()),
                    ("mode", "custom".into()),
                    ("due", day(2)),
                    ("amount", "100,00".into()),
                    ("due", day(30)),
                    ("amount", "100,00".into()),
                ],
            ),
            (
                "dates not increasing",
                vec![
                    ("invoice", s.invoice_ids[0].clone()),
                    ("mode", "custom".into()),
                    ("due", day(30)),
                    ("amount", "617,28".into()),
                    ("due", day(2)),
                    ("amount", "617,28".into()),
                ],
            ),
        ];
        for (what, form) in &cases {
            let r = propose(&c, form).await;
            assert_eq!(r.location(), "/schedule?error=invalid", "{what}");
            let flash = c
                .cookie("amiable_flash")
                .unwrap_or_else(|| panic!("{what}: the form is kept"));
            assert!(flash.contains("invoice="), "{what}: {flash}");
            // The page shows the form as typed, with what is wrong.
            let page = c.get("/schedule?error=invalid").await.text();
            assert!(page.contains("Corrigez ce qui est indiqué"), "{what}");
            assert!(!page.contains("<script>"), "{what}: typed text is escaped");
        }
        // Fields the form never has, and broken encoding, are refused too.
        let r = c
            .send(
                c.http
                    .post(format!("{}/schedule/propose", c.base))
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("count=3&total=1"),
            )
            .await;
        assert_eq!(r.location(), "/schedule?error=invalid");
        let r = c
            .send(
                c.http
                    .post(format!("{}/schedule/propose", c.base))
                    .header("sec-fetch-site", "same-origin")
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body("count=%ZZ"),
            )
            .await;
        assert_eq!(r.location(), "/schedule?error=invalid");
        assert!(
            schedules(&db, &s).await.is_empty(),
            "nothing stored from bad input"
        );
        // An invoice paid meanwhile, or disputed, cannot go into a schedule.
        db.storage
            .insert_payment(
                &s.creditor_id,
                &server::storage::NewPayment {
                    debtor_id: s.debtor_id.clone(),
                    received_on: today(),
                    currency: Currency::Eur,
                    amount_minor: 50_000,
                    method: "transfer".into(),
                    reference: "VIR".into(),
                    external_id: None,
                    allocations: vec![(s.invoice_ids[1].clone(), 50_000)],
                },
                now(),
            )
            .await
            .unwrap();
        assert_eq!(
            propose(&c, &even_form(&s, "3", &day(3))).await.location(),
            "/schedule?error=invalid",
            "a paid invoice"
        );
        sqlx::query("UPDATE invoices SET status = 'disputed' WHERE id = $1")
            .bind(&s.invoice_ids[0])
            .execute(&db.storage.pool)
            .await
            .unwrap();
        let mut only_disputed = even_form(&s, "3", &day(3));
        only_disputed.retain(|(k, v)| *k != "invoice" || v == &s.invoice_ids[0]);
        assert_eq!(
            propose(&c, &only_disputed).await.location(),
            "/schedule?error=invalid",
            "a disputed invoice"
        );
        assert!(schedules(&db, &s).await.is_empty());
        // Without a session nothing is read or stored.
        let anon = app.client();
        assert_eq!(
            propose(&anon, &even_form(&s, "3", &day(3)))
                .await
                .location(),
            "/schedule"
        );
        assert_eq!(anon.get("/schedule").await.status, 401);
    }
);

both!(
    deciding_on_a_withdrawn_proposal_is_a_conflict_and_changes_nothing,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Éloïse").await;
        // No rules: every proposal goes to a person.
        let c = app.debtor(&s).await;
        assert_eq!(
            propose(&c, &even_form(&s, "2", &day(3))).await.location(),
            "/schedule?done=review"
        );
        let id = schedules(&db, &s).await[0].id.clone();
        let ag = app.agent(&db, &s.creditor_id, Role::Admin).await;
        assert!(
            ag.get(&format!("/agent/debtors/{}", s.debtor_id))
                .await
                .text()
                .contains("Accepter")
        );
        let r = c
            .post_form("/schedule/withdraw", &[("schedule", &id)])
            .await;
        assert_eq!(r.location(), "/schedule?done=withdrawn");
        let r = ag
            .post_form(
                &format!("/agent/schedules/{id}/decide"),
                &[("debtor", &s.debtor_id), ("decision", "accept")],
            )
            .await;
        assert!(r.location().contains("error=conflict"), "{}", r.location());
        assert_eq!(
            schedules(&db, &s).await[0].status,
            ScheduleStatus::Withdrawn
        );
        assert_eq!(statuses(&db, &s).await, vec!["open", "open"]);
        assert!(
            !ag.get("/agent/queue")
                .await
                .text()
                .contains("Boulangerie Éloïse"),
            "a withdrawn proposal leaves the queue"
        );
        // Withdrawing someone else's, or twice, changes nothing.
        assert_eq!(
            c.post_form("/schedule/withdraw", &[("schedule", &id)])
                .await
                .location(),
            "/schedule?error=changed"
        );
        assert_eq!(
            c.post_form("/schedule/withdraw", &[("schedule", "../../etc")])
                .await
                .location(),
            "/schedule?error=changed"
        );
        // The debtor may propose again, and an agent rejects it with a reason the debtor reads.
        assert_eq!(
            propose(&c, &even_form(&s, "2", &day(3))).await.location(),
            "/schedule?done=review"
        );
        let id = schedules(&db, &s).await[0].id.clone();
        let r = ag
            .post_form(
                &format!("/agent/schedules/{id}/decide"),
                &[
                    ("debtor", &s.debtor_id),
                    ("decision", "reject"),
                    ("note", "Merci de régler <i>d’abord</i> la facture échue."),
                ],
            )
            .await;
        assert!(r.location().contains("done=1"));
        let page = c.get("/schedule").await.text();
        assert!(
            page.contains("pas été acceptée") && page.contains("&lt;i&gt;d’abord&lt;/i&gt;"),
            "{page}"
        );
    }
);

both!(
    the_follow_up_reminds_before_an_instalment_breaks_a_missed_one_and_completes_a_paid_one,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let mail = Maildev::from_env();

        // Due in 2 days (the reminder comes 3 days before): one friendly reminder, once.
        let a = seed(&db.storage, "Débiteur ponctuel").await;
        with_rules(&db, &a).await;
        accepted(&db, &a, &[(2, 25_000), (32, 25_000)]).await;
        // Due 10 days ago, grace 7 days: the schedule breaks.
        let b = seed_debtor(&db.storage, &a.creditor_id, &a.slug, "Débiteur en retard").await;
        let broken_id = accepted(&db, &b, &[(-10, 25_000), (20, 25_000)]).await;
        // Fully paid: completed.
        let d = seed_debtor(&db.storage, &a.creditor_id, &a.slug, "Débiteur soldé").await;
        accepted(&db, &d, &[(5, 50_000)]).await;
        db.storage
            .insert_payment(
                &d.creditor_id,
                &server::storage::NewPayment {
                    debtor_id: d.debtor_id.clone(),
                    received_on: today(),
                    currency: Currency::Eur,
                    amount_minor: 50_000,
                    method: "transfer".into(),
                    reference: "VIR".into(),
                    external_id: None,
                    allocations: vec![(d.invoice_ids[1].clone(), 50_000)],
                },
                now(),
            )
            .await
            .unwrap();

        // Other tests' schedules may share the database: count what happened to these ones.
        let reminders = |s: Seeded| {
            let storage = db.storage.clone();
            async move {
                storage
                    .events(&s.creditor_id, &s.debtor_id)
                    .await
                    .unwrap()
                    .iter()
                    .filter(|e| e.kind == "instalment_reminder_sent")
                    .count()
            }
        };
        server::jobs::follow_schedules(&app.state).await.unwrap();
        server::jobs::follow_schedules(&app.state).await.unwrap();
        assert_eq!(
            reminders(a.clone()).await,
            1,
            "one reminder, however often the job runs"
        );
        assert_eq!(
            reminders(d.clone()).await,
            0,
            "nothing to remind on a paid schedule"
        );

        let reminder = mail.wait_for(&a.email, 1).await;
        assert!(
            reminder[0]["subject"]
                .as_str()
                .unwrap()
                .starts_with("Votre prochaine échéance approche")
        );
        assert!(
            token_in(reminder[0]["text"].as_str().unwrap()).is_some(),
            "the reminder carries a link"
        );
        let broke = mail.wait_for(&b.email, 1).await;
        assert!(
            broke[0]["subject"]
                .as_str()
                .unwrap()
                .starts_with("Votre échéancier a pris fin")
        );
        assert_eq!(schedules(&db, &b).await[0].status, ScheduleStatus::Broken);
        let facts = db
            .storage
            .invoice_facts(&b.creditor_id, &b.debtor_id)
            .await
            .unwrap();
        assert_eq!(
            facts
                .iter()
                .find(|f| f.id == b.invoice_ids[1])
                .unwrap()
                .status
                .as_str(),
            "open",
            "chased again"
        );
        assert_eq!(
            schedules(&db, &d).await[0].status,
            ScheduleStatus::Completed
        );

        // The broken schedule is in the queue until an agent handles it.
        let ag = app.agent(&db, &a.creditor_id, Role::Agent).await;
        assert!(
            ag.get("/agent/queue")
                .await
                .text()
                .contains("Débiteur en retard")
        );
        let r = ag
            .post_form(
                &format!("/agent/schedules/{broken_id}/handled"),
                &[("debtor", &b.debtor_id)],
            )
            .await;
        assert!(r.location().contains("done=1"), "{}", r.location());
        assert!(
            !ag.get("/agent/queue")
                .await
                .text()
                .contains("Débiteur en retard")
        );
    }
);

both!(
    an_admin_sets_the_rules_by_band_and_other_agents_only_read_them,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Éloïse").await;
        let admin = app.agent(&db, &s.creditor_id, Role::Admin).await;
        let page = admin.get("/agent/rules").await;
        assert_eq!(page.status, 200);
        assert!(
            page.text().contains("Tranche 1") && !page.text().contains("disabled"),
            "an empty form an admin can fill"
        );
        let form = [
            ("currency", "EUR"),
            ("reminder_days", "2"),
            ("grace_days", "5"),
            ("to_0", "1 000,00"),
            ("max_instalments_0", "4"),
            ("max_days_0", "120"),
            ("min_instalment_0", "50"),
            ("down_pct_0", "12,5"),
            ("first_within_0", "10"),
            ("auto_0", "1"),
            ("to_1", ""),
            ("max_instalments_1", "12"),
            ("max_days_1", "365"),
            ("min_instalment_1", ""),
            ("down_pct_1", ""),
            ("first_within_1", "30"),
        ];
        let r = admin.post_form("/agent/rules", &form).await;
        assert_eq!(r.location(), "/agent/rules?done=1");
        let stored = db
            .storage
            .schedule_rules(&s.creditor_id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            (
                stored.reminder_days,
                stored.grace_days,
                stored.rules.bands.len()
            ),
            (2, 5, 2)
        );
        let b = &stored.rules.bands[0];
        assert_eq!(
            (
                b.to.unwrap().minor,
                b.max_instalments,
                b.min_instalment.minor,
                b.min_down_payment_bp,
                b.auto_accept
            ),
            (100_000, 4, 5_000, 1_250, true)
        );
        assert!(!stored.rules.bands[1].auto_accept && stored.rules.bands[1].to.is_none());
        let page = admin.get("/agent/rules?done=1").await.text();
        assert!(
            page.contains("value=\"1000.00\"") && page.contains("value=\"12.50\""),
            "the form shows what is stored"
        );

        // Bands that overlap or skip are refused, and nothing changes.
        let mut bad = form.to_vec();
        bad.retain(|(k, _)| *k != "max_instalments_0");
        bad.push(("max_instalments_0", "0"));
        assert!(
            admin
                .post_form("/agent/rules", &bad)
                .await
                .location()
                .starts_with("/agent/rules?error=rules")
        );
        let mut bad = form.to_vec();
        bad.retain(|(k, _)| *k != "down_pct_0");
        bad.push(("down_pct_0", "<script>"));
        assert_eq!(
            admin.post_form("/agent/rules", &bad).await.location(),
            "/agent/rules?error=percent&band=1"
        );
        assert_eq!(
            db.storage
                .schedule_rules(&s.creditor_id)
                .await
                .unwrap()
                .unwrap(),
            stored
        );

        // An agent reads them but cannot change them; another creditor's admin changes only theirs.
        let plain = app.agent(&db, &s.creditor_id, Role::Agent).await;
        assert!(
            plain
                .get("/agent/rules")
                .await
                .text()
                .contains("Seul un administrateur")
        );
        assert_eq!(
            plain.post_form("/agent/rules", &form).await.location(),
            "/agent/rules?error=forbidden"
        );
        let other = seed(&db.storage, "Autre").await;
        let their_admin = app.agent(&db, &other.creditor_id, Role::Admin).await;
        assert_eq!(
            their_admin
                .post_form("/agent/rules", &form[..3])
                .await
                .location(),
            "/agent/rules?error=rules&band=0"
        );
        assert_eq!(
            db.storage
                .schedule_rules(&s.creditor_id)
                .await
                .unwrap()
                .unwrap(),
            stored
        );
        assert_eq!(
            app.client()
                .post_form("/agent/rules", &form)
                .await
                .location(),
            "/agent/login"
        );
    }
);

both!(
    days_passing_on_the_clock_bring_the_reminder_then_the_break,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Débiteur du calendrier").await;
        with_rules(&db, &s).await; // a reminder 3 days before, broken 7 days late
        let id = accepted(&db, &s, &[(10, 25_000), (40, 25_000)]).await;
        let kinds = || {
            let (storage, s) = (db.storage.clone(), s.clone());
            async move {
                let events = storage.events(&s.creditor_id, &s.debtor_id).await.unwrap();
                events.into_iter().map(|e| e.kind).collect::<Vec<_>>()
            }
        };
        let count = |kinds: &[String], kind: &str| kinds.iter().filter(|k| *k == kind).count();
        server::jobs::follow_schedules(&app.state).await.unwrap();
        assert_eq!(
            count(&kinds().await, "instalment_reminder_sent"),
            0,
            "ten days ahead: nothing yet"
        );

        app.let_days_pass(7);
        server::jobs::follow_schedules(&app.state).await.unwrap();
        assert_eq!(
            count(&kinds().await, "instalment_reminder_sent"),
            1,
            "three days before: the reminder"
        );

        app.let_days_pass(3 + 7);
        server::jobs::follow_schedules(&app.state).await.unwrap();
        let k = kinds().await;
        assert_eq!(
            count(&k, "schedule_broken"),
            0,
            "seven days late is within the grace period"
        );

        app.let_days_pass(1);
        server::jobs::follow_schedules(&app.state).await.unwrap();
        let k = kinds().await;
        assert_eq!(count(&k, "schedule_broken"), 1, "eight days late: broken");
        let sch = db
            .storage
            .schedule(&s.creditor_id, None, &id)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sch.status, ScheduleStatus::Broken);
        let facts = db
            .storage
            .invoice_facts(&s.creditor_id, &s.debtor_id)
            .await
            .unwrap();
        let invoice = facts.iter().find(|f| f.id == s.invoice_ids[1]).unwrap();
        assert_eq!(
            invoice.status,
            app::domain::invoice::InvoiceStatus::Open,
            "chased again"
        );
    }
);
