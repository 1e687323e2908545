//! The statement page as a debtor receives it: complete HTML (works without JavaScript), in
//! French by default and English by choice, amounts and dates in the chosen locale.
#![allow(clippy::unwrap_used)]

use crate::both;
use crate::support::{Db, TestApp, now, seed, today};
use app::domain::locale::{Lang, format_date};

both!(
    statement_in_french_is_complete_server_rendered_html,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Hôtel Côte d’Azur SARL").await;
        let c = app.client();
        let page = c.open(&app.mint(&f).await).await;
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<html lang=\"fr\""));
        assert!(html.contains("Relevé de compte"));
        assert!(html.contains("Hôtel Côte d’Azur SARL"));
        // 1 234,56 € overdue 40 days; 500,00 € due in 3 days; a 100,00 € credit note.
        assert!(
            html.contains("1\u{202F}234,56\u{A0}€"),
            "French amount format"
        );
        assert!(html.contains("en retard de 40 jours"));
        assert!(html.contains("échéance dans 3 jours"));
        assert!(html.contains("Avoirs disponibles"));
        // Balance = 1 234,56 + 500,00 − 100,00 = 1 634,56 €.
        assert!(html.contains("1\u{202F}634,56\u{A0}€"));
        assert!(html.contains(&format_date(today(), Lang::Fr)));
        // Aged balance rows, and a PDF link per item: present in the HTML itself, not loaded later.
        assert!(html.contains("Balance âgée") && html.contains("31 à 60 jours"));
        for id in &f.invoice_ids {
            assert!(
                html.contains(&format!("/documents/invoices/{id}.pdf")),
                "PDF link for {id}"
            );
        }
        assert!(html.contains("/documents/statement.pdf"));
        // Brand: name and accent colour.
        assert!(html.contains(&format!("Créancier {}", f.slug)));
        assert!(html.contains("--accent:#0f6e5c"));
    }
);

both!(
    english_by_browser_preference_or_by_the_switch,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Northwind Catering Ltd").await;
        let c = app.client();
        c.open(&app.mint(&f).await).await;
        let url = format!("{}/statement", app.base);
        let by_browser = c
            .send(
                c.http
                    .get(&url)
                    .header("accept-language", "en-GB,en;q=0.9,fr;q=0.5"),
            )
            .await
            .text();
        assert!(
            by_browser.contains("<html lang=\"en\"") && by_browser.contains("Statement of account")
        );
        assert!(
            by_browser.contains("€1,234.56")
                && by_browser.contains("40 days overdue")
                && by_browser.contains("due in 3 days")
        );
        // The visible switch wins over the browser's preference, and sticks.
        let sw = c.get("/lang/fr?next=/statement").await;
        assert_eq!(sw.location(), "/statement");
        let back = c
            .send(c.http.get(&url).header("accept-language", "en"))
            .await
            .text();
        assert!(back.contains("<html lang=\"fr\"") && back.contains("Relevé de compte"));
        // The switch on the French page points to English, in English.
        assert!(back.contains("href=\"/lang/en?next=%2Fstatement\""));
        assert!(back.contains(">English<"));
    }
);

both!(a_debtor_who_owes_nothing_is_told_so, |db: Db| async move {
    let app = TestApp::start(&db).await;
    let f = seed(&db.storage, "Brasserie Le Général").await;
    // Pay both invoices in full and use the credit note on nothing: 100,00 € credit remains.
    for (id, amount) in [(&f.invoice_ids[0], 123_456), (&f.invoice_ids[1], 50_000)] {
        db.storage
            .insert_payment(
                &f.creditor_id,
                &server::storage::NewPayment {
                    debtor_id: f.debtor_id.clone(),
                    received_on: today(),
                    currency: app::domain::money::Currency::Eur,
                    amount_minor: amount,
                    method: "transfer".into(),
                    reference: format!("VIR {amount}"),
                    external_id: None,
                    allocations: vec![(id.clone(), amount)],
                },
                now(),
            )
            .await
            .unwrap();
    }
    let html = app.client().open(&app.mint(&f).await).await.text();
    assert!(
        html.contains("Derniers paiements reçus")
            && html.contains("VIR 123456")
            && html.contains("Virement")
    );
    assert!(
        html.contains("-100,00\u{A0}€"),
        "in credit: the balance is negative"
    );
    assert!(!html.contains("en retard de"));
});
