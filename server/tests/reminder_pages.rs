//! The admin's reminder pages on SQLite and PostgreSQL: settings and steps saved; bad input
//! refused with a message that says where, what was typed kept, nothing half-saved; only
//! admins save; one creditor sees nothing of another's; the preview renders an edited step
//! for a real debtor in both languages, escaped; the simulation lists what would be sent.

use crate::both;
use crate::support::*;
use app::domain::agent::Role;
use app::domain::locale::{Lang, format_money};
use app::domain::money::{Currency, Money};
use server::reminder::defaults::default_scenario;

/// The built-in scenario as the step form sends it, with `edit` applied to the pairs.
fn steps_form(segment_name: &str) -> Vec<(String, String)> {
    let mut f = vec![("name".to_string(), segment_name.to_string())];
    for (i, s) in default_scenario().steps.iter().enumerate() {
        let k = |n: &str| format!("s{i}_{n}");
        f.push((k("offset_days"), s.offset_days.to_string()));
        f.push((k("channel"), s.channel.as_str().into()));
        if s.confirm {
            f.push((k("confirm"), "1".into()));
        }
        f.push((k("subject_fr"), s.fr.subject.clone()));
        f.push((k("body_fr"), s.fr.body.clone()));
        f.push((k("line_fr"), s.fr.line.clone()));
        f.push((k("subject_en"), s.en.subject.clone()));
        f.push((k("body_en"), s.en.body.clone()));
        f.push((k("line_en"), s.en.line.clone()));
    }
    f
}

/// What a creditor's scenarios say (the rows themselves do not compare).
async fn stored(
    db: &Db,
    creditor_id: &str,
) -> Vec<(String, String, Vec<server::storage::StepRow>)> {
    db.storage
        .scenarios(creditor_id)
        .await
        .unwrap()
        .into_iter()
        .map(|r| (r.segment, r.name, r.steps))
        .collect()
}

fn set(f: &mut [(String, String)], key: &str, value: &str) {
    f.iter_mut().find(|(k, _)| k == key).unwrap().1 = value.into();
}

async fn post(c: &Client, path: &str, f: &[(String, String)]) -> Page {
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    c.post_form(path, &pairs).await
}

fn settings(gap: &str) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = (0..4).map(|i| (format!("day_{i}"), "1".into())).collect();
    for (k, v) in [
        ("start_hour", "8:30"),
        ("end_hour", "17"),
        ("min_gap_days", gap),
        ("weekly_cap", "1"),
        ("phase_days", "45"),
        ("charges_regime", "france"),
        ("margin", "10"),
        (
            "reference_rates",
            "2025-S2 2,15\n2026-S1 2,15\n2026-S2 2,15",
        ),
    ] {
        f.push((k.into(), v.into()));
    }
    f
}

async fn english_admin(app: &TestApp, db: &Db, creditor_id: &str, role: Role) -> Client {
    let c = app.agent(db, creditor_id, role).await;
    c.set_cookie("amiable_lang", "en");
    c
}

both!(an_admin_saves_settings_and_steps, |db: Db| async move {
    let app = TestApp::start(&db).await;
    let s = seed(&db.storage, "Boulangerie Martin").await;
    let c = english_admin(&app, &db, &s.creditor_id, Role::Admin).await;

    let page = c.get("/agent/reminders").await;
    assert_eq!(page.status, 200);
    let text = page.text();
    assert!(text.contains("Reminders: settings and scenarios"), "{text}");
    assert!(text.contains("default scenario (not saved)"), "{text}");
    assert!(
        text.contains("href=\"/agent/reminders/scenarios/standard\""),
        "{text}"
    );

    let r = post(&c, "/agent/reminders/settings", &settings("3")).await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (303, "/agent/reminders?saved=1")
    );
    let saved = db.storage.reminder_settings(&s.creditor_id).await.unwrap();
    assert_eq!(
        saved.window.weekdays,
        [true, true, true, true, false, false, false]
    );
    assert_eq!(
        (saved.window.start_minute, saved.window.end_minute),
        (510, 1020)
    );
    assert_eq!(
        (
            saved.pacing.min_gap_days,
            saved.pacing.weekly_cap,
            saved.phase_days
        ),
        (3, 1, 45)
    );
    // The reference rates the admin keeps up to date, half-year by half-year.
    assert_eq!(saved.terms.rates.len(), 3);
    assert!(
        saved
            .terms
            .rates
            .iter()
            .any(|r| r.year == 2026 && r.second_half && r.reference_bp == 215)
    );
    assert_eq!(saved.terms.margin_bp, 1000);
    let page = c.get("/agent/reminders?saved=1").await.text();
    assert!(page.contains("Settings saved."), "{page}");
    assert!(page.contains("value=\"8:30\""), "{page}");
    assert!(page.contains("2026-S2 2.15"), "{page}");

    // A new segment starts from the built-in steps on its own page.
    let r = c
        .post_form("/agent/reminders/scenarios", &[("segment", "Risky")])
        .await;
    assert_eq!(r.location(), "/agent/reminders/scenarios/risky");
    let page = c.get("/agent/reminders/scenarios/risky").await;
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("This segment follows the default scenario")
    );

    let mut f = steps_form("Risky customers");
    set(
        &mut f,
        "s1_subject_en",
        "We are still waiting, {{ debtor.name }}",
    );
    f.push(("op".into(), "save".into()));
    let r = post(&c, "/agent/reminders/scenarios/risky", &f).await;
    assert_eq!(
        (r.status, r.location().as_str()),
        (303, "/agent/reminders/scenarios/risky?saved=1")
    );
    let rows = db.storage.scenarios(&s.creditor_id).await.unwrap();
    let risky = rows.iter().find(|r| r.segment == "risky").unwrap();
    assert_eq!(risky.name, "Risky customers");
    assert_eq!(risky.steps.len(), 5);
    assert_eq!(
        risky.steps[1].en.subject,
        "We are still waiting, {{ debtor.name }}"
    );

    // The same form sent twice leaves one scenario, unchanged.
    let r = post(&c, "/agent/reminders/scenarios/risky", &f).await;
    assert_eq!(r.status, 303);
    let again = db.storage.scenarios(&s.creditor_id).await.unwrap();
    assert_eq!(again.iter().filter(|r| r.segment == "risky").count(), 1);
    assert_eq!(
        again.iter().find(|r| r.segment == "risky").unwrap().steps,
        risky.steps
    );

    let page = c
        .get("/agent/reminders/scenarios/risky?saved=1")
        .await
        .text();
    assert!(page.contains("Scenario saved."), "{page}");
    assert!(
        page.contains("We are still waiting, {{ debtor.name }}"),
        "{page}"
    );
    assert!(!page.contains("This segment follows the default scenario"));
    let list = c.get("/agent/reminders").await.text();
    assert!(list.contains("risky — Risky customers (5 steps)"), "{list}");

    // Add and remove change the form, not what is stored.
    let mut add = steps_form("Risky customers");
    add.push(("op".into(), "add".into()));
    let page = post(&c, "/agent/reminders/scenarios/risky", &add).await;
    assert_eq!(page.status, 200);
    assert!(
        page.text()
            .contains("name=\"s5_offset_days\" type=\"text\" inputmode=\"numeric\" value=\"47\""),
        "{}",
        page.text()
    );
    let mut remove = steps_form("Risky customers");
    remove.push(("op".into(), "remove-2".into()));
    let page = post(&c, "/agent/reminders/scenarios/risky", &remove)
        .await
        .text();
    assert!(page.contains("name=\"s3_offset_days\""));
    assert!(!page.contains("name=\"s4_offset_days\""));
    assert_eq!(
        db.storage
            .scenarios(&s.creditor_id)
            .await
            .unwrap()
            .iter()
            .find(|r| r.segment == "risky")
            .unwrap()
            .steps
            .len(),
        5
    );
});

both!(
    bad_input_is_refused_where_it_is_and_nothing_is_half_saved,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Martin").await;
        let c = english_admin(&app, &db, &s.creditor_id, Role::Admin).await;
        let before = db.storage.reminder_settings(&s.creditor_id).await.unwrap();

        let page = post(&c, "/agent/reminders/settings", &settings("-3")).await;
        assert_eq!(page.status, 422);
        let text = page.text();
        assert!(
            text.contains("the gap between two reminders is 1 to 60 days"),
            "{text}"
        );
        assert!(
            text.contains("value=\"-3\""),
            "what was typed is kept: {text}"
        );
        assert_eq!(
            db.storage.reminder_settings(&s.creditor_id).await.unwrap(),
            before
        );
        // Reference rates: the line at fault is named, what was typed kept, nothing saved.
        let mut f = settings("3");
        set(
            &mut f,
            "reference_rates",
            "2026-S1 2.15\n2026-S3 </textarea><script>alert(1)</script>",
        );
        let page = post(&c, "/agent/reminders/settings", &f).await;
        assert_eq!(page.status, 422);
        let text = page.text();
        assert!(
            text.contains("line 2") && text.contains("one half-year per line"),
            "{text}"
        );
        assert!(
            text.contains("2026-S3 &lt;/textarea&gt;&lt;script&gt;")
                && !text.contains("<script>alert"),
            "{text}"
        );
        for (key, value, words) in [
            ("margin", "-1", "the margin is a percentage"),
            ("charges_regime", "mars", "late-charge regime"),
        ] {
            let mut f = settings("3");
            set(&mut f, key, value);
            let page = post(&c, "/agent/reminders/settings", &f).await;
            assert_eq!(page.status, 422, "{key}");
            assert!(page.text().contains(words), "{key}");
        }
        assert_eq!(
            db.storage.reminder_settings(&s.creditor_id).await.unwrap(),
            before
        );

        let path = "/agent/reminders/scenarios/risky";
        let big = "x".repeat(25_000);
        let cases: Vec<(&str, &str, &str, &str)> = vec![
            (
                "s1_offset_days",
                "-10",
                "Step 2: each step comes on a later day than the one above it.",
                "value=\"-10\"",
            ),
            (
                "s0_body_fr",
                "  ",
                "Step 1, French text: this text is empty.",
                "name=\"s0_body_fr\"",
            ),
            (
                "s2_body_en",
                "Dear customer,\n\nYou owe {{ debtor.nom }}.",
                "Step 3, English text, line 3: unknown variable.",
                "You owe {{ debtor.nom }}.",
            ),
            (
                "s0_body_fr",
                "Bonjour\n</textarea><script>alert(1)</script>",
                "Step 1, French text, line 2: scripts and executable markup are refused.",
                "&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;",
            ),
            (
                "s3_subject_en",
                &big,
                "Step 4, English subject: this text is too long (over 20,000 bytes): shorten it.",
                "",
            ),
        ];
        for (key, value, message, kept) in cases {
            let mut f = steps_form("Risky");
            set(&mut f, key, value);
            f.push(("op".into(), "save".into()));
            let page = post(&c, path, &f).await;
            assert_eq!(page.status, 422, "{key}");
            let text = page.text();
            assert!(text.contains(message), "{key}: {message}\n{text}");
            assert!(text.contains(kept), "{key}: kept {kept}\n{text}");
            assert!(!text.contains("<script>alert"), "{key}");
        }
        let unknown = {
            let mut f = steps_form("Risky");
            set(
                &mut f,
                "s2_body_en",
                "Dear customer,\n\nYou owe {{ debtor.nom }}.",
            );
            f.push(("op".into(), "save".into()));
            post(&c, path, &f).await.text()
        };
        assert!(unknown.contains("debtor.nom"), "the variable is named");

        // Sent twice in one form, a field is refused whole.
        let mut f = steps_form("Risky");
        f.push(("s0_offset_days".into(), "-3".into()));
        f.push(("op".into(), "save".into()));
        let page = post(&c, path, &f).await;
        assert_eq!(page.status, 422);
        assert!(
            page.text()
                .contains("the form came with the same field twice"),
            "{}",
            page.text()
        );

        // A megabyte in one field: the form says which text is too long and keeps the rest.
        let mut f = steps_form("Risky");
        set(&mut f, "s0_body_fr", &"x".repeat(1024 * 1024));
        set(&mut f, "s1_subject_fr", "Sujet gardé tel que tapé");
        f.push(("op".into(), "save".into()));
        let page = post(&c, path, &f).await;
        assert_eq!(page.status, 422);
        let html = page.text();
        assert!(
            html.contains("this text is too long (over 20,000 bytes)"),
            "{html}"
        );
        assert!(
            html.contains("Sujet gardé tel que tapé"),
            "what was typed is kept"
        );

        assert!(
            db.storage
                .scenarios(&s.creditor_id)
                .await
                .unwrap()
                .is_empty(),
            "nothing saved"
        );

        // A saved scenario stays whole when a later edit is refused.
        let mut ok = steps_form("Risky");
        ok.push(("op".into(), "save".into()));
        assert_eq!(post(&c, path, &ok).await.status, 303);
        let saved = stored(&db, &s.creditor_id).await;
        let mut f = steps_form("Risky");
        set(&mut f, "s0_subject_fr", "Nouveau sujet");
        set(&mut f, "s4_line_en", "{{ nope }}");
        f.push(("op".into(), "save".into()));
        assert_eq!(post(&c, path, &f).await.status, 422);
        assert_eq!(stored(&db, &s.creditor_id).await, saved);
    }
);

both!(
    only_admins_save_and_other_creditors_see_nothing,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let a = seed(&db.storage, "Client de A").await;
        let admin = english_admin(&app, &db, &a.creditor_id, Role::Admin).await;
        let mut f = steps_form("Secret scenario");
        set(&mut f, "s0_subject_en", "Only creditor A writes this");
        f.push(("op".into(), "save".into()));
        assert_eq!(
            post(&admin, "/agent/reminders/scenarios/vip", &f)
                .await
                .status,
            303
        );
        let saved = stored(&db, &a.creditor_id).await;
        let settings_before = db.storage.reminder_settings(&a.creditor_id).await.unwrap();

        for role in [Role::Agent, Role::ReadOnly] {
            let c = english_admin(&app, &db, &a.creditor_id, role).await;
            let page = c.get("/agent/reminders/scenarios/vip").await.text();
            assert!(page.contains("Only admins change reminders"), "{page}");
            assert!(
                page.contains("Only creditor A writes this"),
                "agents read it"
            );
            assert!(page.contains("<fieldset disabled"), "{page}");
            let page = post(&c, "/agent/reminders/settings", &settings("2")).await;
            assert_eq!(page.status, 403);
            let mut g = steps_form("Changed");
            g.push(("op".into(), "save".into()));
            let page = post(&c, "/agent/reminders/scenarios/vip", &g).await;
            assert_eq!(page.status, 403);
            assert!(page.text().contains("only admins change reminders"));
            let page = c
                .post_form("/agent/reminders/scenarios", &[("segment", "x")])
                .await;
            assert_eq!(page.status, 403);
        }
        assert_eq!(stored(&db, &a.creditor_id).await, saved);
        assert_eq!(
            db.storage.reminder_settings(&a.creditor_id).await.unwrap(),
            settings_before
        );

        // Creditor B's admin: none of A's scenarios, debtors or texts.
        let b = seed(&db.storage, "Client de B").await;
        let other = english_admin(&app, &db, &b.creditor_id, Role::Admin).await;
        let list = other.get("/agent/reminders").await.text();
        assert!(
            !list.contains("vip") && !list.contains("Secret scenario"),
            "{list}"
        );
        let page = other.get("/agent/reminders/scenarios/vip").await.text();
        assert!(!page.contains("Only creditor A writes this"));
        assert!(page.contains("This segment follows the default scenario"));
        let sim = other
            .get(&format!(
                "/agent/reminders/simulation?debtor={}",
                a.debtor_ref
            ))
            .await
            .text();
        assert!(
            sim.contains("No debtor with this reference has an open invoice."),
            "{sim}"
        );
        assert!(!sim.contains("Client de A"));
        let mut p = steps_form("Standard");
        p.push(("debtor".into(), a.debtor_ref.clone()));
        p.push(("preview".into(), "1".into()));
        let page = post(&other, "/agent/reminders/scenarios/standard/preview", &p).await;
        assert_eq!(page.status, 422);
        assert!(
            page.text()
                .contains("no debtor with this reference has an open invoice")
        );
        assert!(!page.text().contains("Client de A"));
        // Not signed in: nothing at all.
        let anon = app.client();
        let page = anon
            .get("/agent/reminders/simulation?segment=standard")
            .await;
        assert_eq!(page.status, 401);
        assert!(!page.text().contains("Client de"));
    }
);

both!(
    the_preview_shows_a_real_debtor_in_both_languages_escaped,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie <b>Martin</b> & Fils").await;
        let c = english_admin(&app, &db, &s.creditor_id, Role::Admin).await;
        let mut f = steps_form("Standard");
        set(&mut f, "s1_subject_fr", "Relance pour {{ debtor.name }}");
        set(&mut f, "s1_subject_en", "Reminder for {{ debtor.name }}");
        set(
            &mut f,
            "s1_body_en",
            "Dear {{ debtor.name }},\n\nYou owe {{ total }}.\n{{ link }}",
        );
        f.push(("debtor".into(), s.debtor_ref.clone()));
        f.push(("preview".into(), "2".into()));
        let page = post(&c, "/agent/reminders/scenarios/standard/preview", &f).await;
        assert_eq!(page.status, 200, "{}", page.text());
        let text = page.text();
        let name = "Boulangerie &lt;b&gt;Martin&lt;/b&gt; &amp; Fils";
        assert!(
            text.contains(&format!("Preview of step 2 for {name} ({})", s.debtor_ref)),
            "{text}"
        );
        assert!(text.contains(&format!("Relance pour {name}")), "{text}");
        assert!(text.contains(&format!("Reminder for {name}")), "{text}");
        let amount = Money::new(123_456, Currency::Eur);
        assert!(
            text.contains(&format_money(amount, Lang::Fr)),
            "French amount"
        );
        // Only the invoice past the step's day (+3) is listed: the one due in three days is not yet there.
        let total = Money::new(123_456, Currency::Eur);
        assert!(
            text.contains(&format!("You owe {}.", format_money(total, Lang::En))),
            "English amount"
        );
        assert!(
            text.contains("Sauf erreur de notre part") && text.contains(&format!("Dear {name},"))
        );
        // The mail's HTML carries the name escaped; the page shows that source, escaped again.
        assert!(
            text.contains("Boulangerie &amp;lt;b&amp;gt;Martin"),
            "{text}"
        );
        assert!(
            !text.contains("<b>Martin"),
            "no markup from a debtor's name reaches the page"
        );
        // The edits stay in the form; nothing is saved.
        assert!(
            text.contains("value=\"Relance pour {{ debtor.name }}\""),
            "{text}"
        );
        assert!(
            db.storage
                .scenarios(&s.creditor_id)
                .await
                .unwrap()
                .is_empty()
        );

        // Without a reference: the creditor's first debtor with an open invoice.
        let mut f = steps_form("Standard");
        f.push(("preview".into(), "1".into()));
        let page = post(&c, "/agent/reminders/scenarios/standard/preview", &f).await;
        assert_eq!(page.status, 200);
        assert!(page.text().contains(&format!("({})", s.debtor_ref)));

        // A broken step is not previewed: the message says where.
        let mut f = steps_form("Standard");
        set(&mut f, "s0_line_fr", "{{ montant }}");
        f.push(("preview".into(), "1".into()));
        let page = post(&c, "/agent/reminders/scenarios/standard/preview", &f).await;
        assert_eq!(page.status, 422);
        assert!(
            page.text()
                .contains("Step 1, French invoice wording, line 1: unknown variable."),
            "{}",
            page.text()
        );
    }
);

both!(
    the_simulation_lists_what_would_be_sent,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let s = seed(&db.storage, "Boulangerie Martin").await;
        let c = english_admin(&app, &db, &s.creditor_id, Role::Admin).await;
        let page = c
            .get(&format!(
                "/agent/reminders/simulation?debtor={}",
                s.debtor_ref
            ))
            .await;
        assert_eq!(page.status, 200);
        let text = page.text();
        assert!(
            text.contains("1 debtor(s) simulated over the next 60 days."),
            "{text}"
        );
        assert!(text.contains(&s.email), "{text}");
        assert!(text.contains("<td>email</td>"), "{text}");
        assert!(
            text.contains("an agent (work queue)"),
            "the call step: {text}"
        );
        let page = c
            .get("/agent/reminders/simulation?segment=standard")
            .await
            .text();
        assert!(page.contains("1 debtor(s) simulated"), "{page}");
        assert!(page.contains("Boulangerie Martin"));
        let page = c
            .get("/agent/reminders/simulation?segment=risky")
            .await
            .text();
        assert!(
            page.contains("0 debtor(s) simulated") && page.contains("Nothing would be sent"),
            "{page}"
        );
    }
);
