//! The storage adapter on both databases: amounts, scoping, constraints, the outbox, sessions.
#![allow(clippy::unwrap_used)]

use crate::both;
use crate::support::{now, seed, seed_debtor, today};
use app::domain::invoice::InvoiceStatus;
use app::domain::money::Currency;
use server::storage::{NewMail, NewPayment, StorageError};

both!(
    remaining_amounts_follow_payments_and_credit_notes,
    |db: crate::support::Db| async move {
        let s = &db.storage;
        let f = seed(s, "Boulangerie Martin & Fils").await;
        let (overdue, upcoming, credit) = (&f.invoice_ids[0], &f.invoice_ids[1], &f.invoice_ids[2]);
        s.insert_payment(
            &f.creditor_id,
            &NewPayment {
                debtor_id: f.debtor_id.clone(),
                received_on: today(),
                currency: Currency::Eur,
                amount_minor: 23_456,
                method: "transfer".into(),
                reference: "VIR 1".into(),
                external_id: Some("bank-1".into()),
                allocations: vec![(overdue.clone(), 23_456)],
            },
            now(),
        )
        .await
        .unwrap();
        s.apply_credit_note(&f.creditor_id, credit, upcoming, 10_000, now())
            .await
            .unwrap();
        let facts = s.invoice_facts(&f.creditor_id, &f.debtor_id).await.unwrap();
        let get = |id: &str| facts.iter().find(|x| x.id == id).unwrap().clone();
        assert_eq!(get(overdue).remaining.minor, 100_000);
        assert_eq!(
            get(overdue).status,
            InvoiceStatus::Open,
            "partly paid stays open"
        );
        assert_eq!(get(upcoming).remaining.minor, 40_000);
        assert_eq!(get(credit).remaining.minor, 0, "the credit note is used up");
        // Paying the rest closes it as paid.
        s.insert_payment(
            &f.creditor_id,
            &NewPayment {
                debtor_id: f.debtor_id.clone(),
                received_on: today(),
                currency: Currency::Eur,
                amount_minor: 100_000,
                method: "card".into(),
                reference: "CB".into(),
                external_id: None,
                allocations: vec![(overdue.clone(), 100_000)],
            },
            now(),
        )
        .await
        .unwrap();
        let facts = s.invoice_facts(&f.creditor_id, &f.debtor_id).await.unwrap();
        let paid = facts.iter().find(|x| &x.id == overdue).unwrap();
        assert_eq!(
            (paid.status, paid.remaining.minor),
            (InvoiceStatus::Paid, 0)
        );
        assert_eq!(
            s.payments(&f.creditor_id, &f.debtor_id)
                .await
                .unwrap()
                .len(),
            2
        );
    }
);

both!(
    every_read_is_scoped_to_creditor_and_debtor,
    |db: crate::support::Db| async move {
        let s = &db.storage;
        let a = seed(s, "Débiteur A").await;
        let b = seed_debtor(s, &a.creditor_id, &a.slug, "Débiteur B").await;
        let other = seed(s, "Débiteur d’un autre créancier").await;
        let inv_a = &a.invoice_ids[0];
        assert!(
            s.invoice_detail(&a.creditor_id, &a.debtor_id, inv_a)
                .await
                .unwrap()
                .is_some()
        );
        assert!(
            s.invoice_detail(&a.creditor_id, &b.debtor_id, inv_a)
                .await
                .unwrap()
                .is_none(),
            "another debtor"
        );
        assert!(
            s.invoice_detail(&other.creditor_id, &a.debtor_id, inv_a)
                .await
                .unwrap()
                .is_none(),
            "another creditor"
        );
        assert!(
            s.debtor(&other.creditor_id, &a.debtor_id)
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            s.invoice_facts(&other.creditor_id, &a.debtor_id)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            s.contacts(&other.creditor_id, &a.debtor_id)
                .await
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            s.invoice_facts(&a.creditor_id, &b.debtor_id)
                .await
                .unwrap()
                .len(),
            3
        );
    }
);

both!(
    duplicates_are_refused_by_constraint,
    |db: crate::support::Db| async move {
        let s = &db.storage;
        let f = seed(s, "Hôtel Côte d’Azur").await;
        let detail = s
            .invoice_detail(&f.creditor_id, &f.debtor_id, &f.invoice_ids[0])
            .await
            .unwrap()
            .unwrap();
        let dup = server::storage::NewInvoice {
            debtor_id: f.debtor_id.clone(),
            number: detail.facts.number.clone(),
            kind: detail.facts.kind,
            issue_date: detail.facts.issue_date,
            due_date: detail.facts.due_date,
            currency: Currency::Eur,
            amount_minor: 1,
            tax_minor: 0,
            payment_reference: "x".into(),
            original_pdf: None,
            lines: vec![],
        };
        assert!(matches!(
            s.insert_invoice(&f.creditor_id, &dup, now()).await,
            Err(StorageError::Duplicate(_))
        ));
        let pay = NewPayment {
            debtor_id: f.debtor_id.clone(),
            received_on: today(),
            currency: Currency::Eur,
            amount_minor: 500,
            method: "card".into(),
            reference: "r".into(),
            external_id: Some("pi_123".into()),
            allocations: vec![(f.invoice_ids[0].clone(), 500)],
        };
        s.insert_payment(&f.creditor_id, &pay, now()).await.unwrap();
        assert!(matches!(
            s.insert_payment(&f.creditor_id, &pay, now()).await,
            Err(StorageError::Duplicate(_))
        ));
        // The refused duplicate left nothing behind: one payment, one allocation.
        let facts = s.invoice_facts(&f.creditor_id, &f.debtor_id).await.unwrap();
        assert_eq!(
            facts
                .iter()
                .find(|x| x.id == f.invoice_ids[0])
                .unwrap()
                .remaining
                .minor,
            123_456 - 500
        );
        assert_eq!(
            s.payments(&f.creditor_id, &f.debtor_id)
                .await
                .unwrap()
                .len(),
            1
        );
    }
);

both!(
    outbox_claims_each_mail_once_and_retries_failures,
    |db: crate::support::Db| async move {
        let s = db.storage.clone();
        let mut tx = s.begin().await.unwrap();
        for i in 0..20 {
            let m = NewMail {
                creditor_id: None,
                to_address: format!("x{i}@t.example"),
                to_name: "X".into(),
                subject: "s".into(),
                text_body: "t".into(),
                html_body: "h".into(),
                attachment: None,
            };
            server::storage::enqueue_mail(&mut tx, &m, 1000)
                .await
                .unwrap();
        }
        tx.commit().await.unwrap();
        // Four workers race for twenty mails: each is claimed exactly once.
        let mut handles = vec![];
        for _ in 0..4 {
            let s = s.clone();
            handles.push(tokio::spawn(async move {
                let mut got = vec![];
                while let Some(m) = s.claim_mail(2000, 60).await.unwrap() {
                    got.push(m.id);
                }
                got
            }));
        }
        let mut all = vec![];
        for h in handles {
            all.extend(h.await.unwrap());
        }
        let n = all.len();
        all.sort();
        all.dedup();
        assert_eq!((n, all.len()), (20, 20));
        // Leased: nothing to claim until the lease runs out; a failure waits for its retry time.
        assert!(s.claim_mail(2010, 60).await.unwrap().is_none());
        let first = s.claim_mail(2061, 60).await.unwrap().unwrap();
        assert_eq!(first.attempts, 2);
        s.mark_mail_failed(&first.id, "smtp down", 5000)
            .await
            .unwrap();
        s.mark_mail_sent(&all[1], 2100).await.unwrap();
        assert_eq!(s.pending_mail_count().await.unwrap(), 19);
    }
);

both!(
    opening_a_link_counts_logs_and_makes_a_session,
    |db: crate::support::Db| async move {
        let s = &db.storage;
        let f = seed(s, "Restaurant Ōkami").await;
        let signer =
            server::kernel::links::LinkSigner::new(secrecy::SecretString::from("k".repeat(40)));
        let (link, _) = signer
            .mint(s, &f.creditor_id, &f.debtor_id, "test", now())
            .await
            .unwrap();
        assert!(
            s.open_link(&link, "hash-1", now() + 60, now())
                .await
                .unwrap()
        );
        assert!(
            s.open_link(&link, "hash-2", now() + 60, now())
                .await
                .unwrap()
        );
        let stored = s.link(&link.id).await.unwrap().unwrap();
        assert_eq!(stored.open_count, 2);
        assert!(stored.first_opened_at.is_some());
        let (creditor, debtor) = s.session_context("hash-1", now()).await.unwrap().unwrap();
        assert_eq!(
            (creditor.id.as_str(), debtor.id.as_str()),
            (f.creditor_id.as_str(), f.debtor_id.as_str())
        );
        assert_eq!(
            (
                creditor.slug.as_str(),
                debtor.name.as_str(),
                debtor.reference.as_str()
            ),
            (f.slug.as_str(), "Restaurant Ōkami", f.debtor_ref.as_str())
        );
        assert!(
            s.session_context("hash-1", now() + 61)
                .await
                .unwrap()
                .is_none(),
            "expired sessions are not found"
        );
        // Revoking ends the sessions and stops further opens.
        assert!(
            s.revoke_link(&f.creditor_id, &link.id, "test", now())
                .await
                .unwrap()
        );
        assert!(
            !s.revoke_link(&f.creditor_id, &link.id, "test", now())
                .await
                .unwrap(),
            "revoking twice is refused"
        );
        assert!(s.session_context("hash-2", now()).await.unwrap().is_none());
        assert!(
            !s.open_link(&link, "hash-3", now() + 60, now())
                .await
                .unwrap()
        );
        let kinds: Vec<String> = s
            .events(&f.creditor_id, &f.debtor_id)
            .await
            .unwrap()
            .into_iter()
            .map(|e| e.kind)
            .collect();
        assert_eq!(
            kinds,
            ["link_minted", "link_opened", "link_opened", "link_revoked"]
        );
    }
);
