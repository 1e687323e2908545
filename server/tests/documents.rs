//! PDFs as a debtor downloads them, checked with real PDF tools (qpdf, pdftotext, pdffonts).
#![allow(clippy::unwrap_used)]

use crate::both;
use crate::support::{Db, TestApp, seed};
use std::process::Command;

pub(crate) fn pdf_checks(bytes: &[u8]) -> String {
    let dir = std::env::temp_dir().join(crate::support::unique("pdf-"));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("doc.pdf");
    std::fs::write(&file, bytes).unwrap();
    let qpdf = Command::new("qpdf")
        .arg("--check")
        .arg(&file)
        .output()
        .expect("qpdf is installed by make test");
    assert!(
        qpdf.status.success(),
        "qpdf --check: {}",
        String::from_utf8_lossy(&qpdf.stdout)
    );
    let fonts = Command::new("pdffonts").arg(&file).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
    assert!(
        fonts.lines().skip(2).all(|l| l.contains(" yes ")),
        "every font embedded:\n{fonts}"
    );
    let text = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(&file)
        .arg("-")
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    String::from_utf8(text.stdout).unwrap()
}

both!(
    generated_invoice_pdf_has_the_facts_and_survives_real_readers,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(
            &db.storage,
            "Société Générale d’Équipement — Hôtel Côte d’Azur",
        )
        .await;
        let c = app.client();
        c.open(&app.mint(&f).await).await;
        let r = c
            .get(&format!("/documents/invoices/{}.pdf", f.invoice_ids[0]))
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("content-type").as_deref(), Some("application/pdf"));
        let disp = r.header("content-disposition").unwrap();
        assert!(
            disp.starts_with("attachment; filename=\"facture-F-"),
            "{disp}"
        );
        let text = pdf_checks(&r.body);
        let detail = db
            .storage
            .invoice_detail(&f.creditor_id, &f.debtor_id, &f.invoice_ids[0])
            .await
            .unwrap()
            .unwrap();
        assert!(
            text.contains(&detail.facts.number),
            "invoice number in:\n{text}"
        );
        assert!(
            text.contains("Société Générale d’Équipement"),
            "accented debtor name in:\n{text}"
        );
        assert!(
            text.contains("1\u{202F}234,56\u{A0}€") || text.contains("1 234,56 €"),
            "€ amount in:\n{text}"
        );
        assert!(text.contains("Équipements Test SAS"));
        // The download is in the debtor's timeline.
        let kinds: Vec<String> = db
            .storage
            .events(&f.creditor_id, &f.debtor_id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert!(kinds.contains(&"pdf_downloaded".to_string()));
    }
);

both!(
    the_creditors_original_pdf_is_served_when_imported,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Boulangerie").await;
        // Stands in for the ERP's original: whatever bytes were imported must come back unchanged.
        let original = b"%PDF-1.4\n% original invoice from the creditor's ERP\n%%EOF\n".to_vec();
        sqlx::query("UPDATE invoices SET original_pdf = $1 WHERE id = $2")
            .bind(original.clone())
            .bind(&f.invoice_ids[1])
            .execute(&db.storage.pool)
            .await
            .unwrap();
        let c = app.client();
        c.open(&app.mint(&f).await).await;
        let r = c
            .get(&format!("/documents/invoices/{}.pdf", f.invoice_ids[1]))
            .await;
        assert_eq!(r.status, 200);
        assert_eq!(r.body, original);
    }
);

both!(
    statement_pdf_lists_every_open_item_in_english_too,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Restaurant Ōkami").await;
        let c = app.client();
        c.open(&app.mint(&f).await).await;
        c.get("/lang/en?next=/statement").await;
        let r = c.get("/documents/statement.pdf").await;
        assert_eq!(r.status, 200);
        assert!(
            r.header("content-disposition")
                .unwrap()
                .contains("statement-")
        );
        let text = pdf_checks(&r.body);
        assert!(text.contains("Restaurant Ōkami"));
        for id in &f.invoice_ids {
            let d = db
                .storage
                .invoice_detail(&f.creditor_id, &f.debtor_id, id)
                .await
                .unwrap()
                .unwrap();
            assert!(
                text.contains(&d.facts.number),
                "{} in statement:\n{text}",
                d.facts.number
            );
        }
        assert!(text.contains("€1,634.56"), "English total in:\n{text}");
    }
);

both!(
    malformed_document_requests_get_clear_errors,
    |db: Db| async move {
        let app = TestApp::start(&db).await;
        let f = seed(&db.storage, "Débiteur").await;
        let c = app.client();
        c.open(&app.mint(&f).await).await;
        for path in [
            "/documents/invoices/nope.pdf",
            "/documents/invoices/..%2F..%2Fetc%2Fpasswd",
            "/documents/invoices/%00.pdf",
            &format!("/documents/invoices/{}", f.invoice_ids[0]),
            &format!("/documents/invoices/{}.pdf.pdf", f.invoice_ids[0]),
        ] {
            let r = c.get(path).await;
            assert_eq!(r.status, 404, "{path}");
        }
    }
);
