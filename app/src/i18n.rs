//! Every sentence the portal shows, in French and English. A pair per constant, so a missing
//! translation is a compile error. Sentences with values are functions below.

use crate::domain::invoice::{DocumentKind, InvoiceStatus};
use crate::domain::locale::Lang;

#[derive(Debug, Clone, Copy)]
pub struct Text {
    pub fr: &'static str,
    pub en: &'static str,
}

impl Text {
    pub const fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.fr,
            Lang::En => self.en,
        }
    }
}

macro_rules! texts {
    ($($name:ident => $fr:literal, $en:literal;)+) => {
        $(pub const $name: Text = Text { fr: $fr, en: $en };)+
    };
}

texts! {
    STATEMENT_TITLE => "Relevé de compte", "Statement of account";
    SKIP_TO_CONTENT => "Aller au contenu", "Skip to content";
    LANGUAGE => "Langue", "Language";
    YOUR_BALANCE => "Votre solde", "Your balance";
    BALANCE => "Solde", "Balance";
    OVERDUE => "dont échu", "of which overdue";
    CREDITS => "Avoirs disponibles", "Credits available";
    NOTHING_OWED => "Vous ne devez rien à ce jour. Merci\u{A0}!", "You owe nothing today. Thank you!";
    AGED_BALANCE => "Balance âgée", "Aged balance";
    AGED_CAPTION => "Montants restant dus, par ancienneté du retard", "Amounts still due, by how late they are";
    NOT_DUE => "Non échu", "Not yet due";
    DAYS_1_30 => "1 à 30 jours", "1–30 days";
    DAYS_31_60 => "31 à 60 jours", "31–60 days";
    DAYS_61_90 => "61 à 90 jours", "61–90 days";
    OVER_90 => "Plus de 90 jours", "Over 90 days";
    CURRENCY => "Devise", "Currency";
    OPEN_ITEMS => "Factures et avoirs ouverts", "Open invoices and credit notes";
    NO_OPEN_ITEMS => "Aucune facture ouverte.", "No open invoices.";
    ISSUED => "Émise le", "Issued";
    DUE => "Échéance", "Due";
    AMOUNT => "Montant", "Amount";
    REMAINING => "Reste à payer", "Left to pay";
    CREDIT_LEFT => "Reste à utiliser", "Left to use";
    STATUS => "Statut", "Status";
    DOWNLOAD_PDF => "Télécharger le PDF", "Download PDF";
    DOWNLOAD_STATEMENT => "Télécharger le relevé (PDF)", "Download statement (PDF)";
    RECENT_PAYMENTS => "Derniers paiements reçus", "Recent payments received";
    NO_PAYMENTS => "Aucun paiement reçu récemment.", "No payments received recently.";
    RECEIVED_ON => "Reçu le", "Received";
    METHOD => "Moyen", "Method";
    REFERENCE => "Référence", "Reference";
    QUESTIONS => "Une question sur ce relevé\u{A0}? Écrivez-nous\u{A0}:", "A question about this statement? Write to us:";
    LOADING => "Chargement…", "Loading…";
    SIGN_OUT => "Quitter", "Sign out";
    SIGNED_OUT => "Vous avez quitté votre espace. Pour y revenir, ouvrez à nouveau le lien reçu par e-mail.",
        "You have left your space. To come back, open the link in your email again.";
    WELCOME_TITLE => "Votre espace de paiement", "Your payment space";
    WELCOME_BODY => "Pour consulter votre relevé, ouvrez le lien personnel reçu par e-mail.",
        "To see your statement, open the personal link you received by email.";
    SESSION_EXPIRED => "Votre session a expiré. Ouvrez à nouveau le lien reçu par e-mail, ou demandez-en un nouveau ci-dessous.",
        "Your session has expired. Open the link in your email again, or ask for a new one below.";
    LINK_EXPIRED_TITLE => "Ce lien a expiré", "This link has expired";
    LINK_EXPIRED_BODY => "Pour votre sécurité, les liens ne sont valables qu’un temps limité. Nous pouvons vous en envoyer un nouveau à l’adresse e-mail que nous avons pour vous.",
        "For your security, links only work for a limited time. We can send a new one to the email address we have on file for you.";
    LINK_REVOKED_TITLE => "Ce lien n’est plus valable", "This link is no longer valid";
    LINK_REVOKED_BODY => "Ce lien a été désactivé, par exemple parce qu’un lien plus récent vous a été envoyé.",
        "This link has been switched off, for example because a newer link was sent to you.";
    LINK_INVALID_TITLE => "Ce lien est incomplet ou incorrect", "This link is incomplete or incorrect";
    LINK_INVALID_BODY => "Le lien ne correspond à aucun accès valide. Il a peut-être été coupé ou modifié en le copiant.",
        "The link does not match any valid access. It may have been cut or changed when it was copied.";
    SEND_NEW_LINK => "M’envoyer un nouveau lien", "Send me a new link";
    OR_BY_EMAIL => "Ou indiquez l’adresse e-mail à laquelle vous recevez nos relances\u{A0}:",
        "Or enter the email address at which you receive our reminders:";
    EMAIL_ADDRESS => "Adresse e-mail", "Email address";
    LINK_SENT_TITLE => "Vérifiez votre messagerie", "Check your email";
    LINK_SENT_BODY => "Si nous avons cette adresse dans nos dossiers, un nouveau lien vient d’y être envoyé. Il peut mettre quelques minutes à arriver.",
        "If we have this address on file, a new link has just been sent to it. It may take a few minutes to arrive.";
    TOO_MANY_REQUESTS => "Trop de demandes en peu de temps. Réessayez dans quelques minutes.",
        "Too many requests in a short time. Please try again in a few minutes.";
    EMAIL_INVALID => "Cette adresse e-mail ne semble pas valide. Vérifiez-la et réessayez.",
        "This email address does not look valid. Please check it and try again.";
    SOMETHING_WRONG => "Un problème est survenu de notre côté. Réessayez dans un instant.",
        "Something went wrong on our side. Please try again in a moment.";
    NOT_FOUND => "Page introuvable", "Page not found";
    NEW_LINK_SUBJECT => "Votre nouveau lien d’accès", "Your new access link";
}

/// Between a label and its value: French puts a (no-break) space before the colon, English does not.
pub fn colon(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "\u{A0}: ",
        Lang::En => ": ",
    }
}

pub fn greeting(lang: Lang, debtor: &str) -> String {
    match lang {
        Lang::Fr => format!("Bonjour {debtor}"),
        Lang::En => format!("Hello {debtor}"),
    }
}

pub fn due_in_days(lang: Lang, days: i64) -> String {
    match (lang, days) {
        (Lang::Fr, 1) => "échéance demain".into(),
        (Lang::Fr, d) => format!("échéance dans {d} jours"),
        (Lang::En, 1) => "due tomorrow".into(),
        (Lang::En, d) => format!("due in {d} days"),
    }
}

pub fn due_today(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => "échéance aujourd’hui",
        Lang::En => "due today",
    }
}

pub fn days_overdue(lang: Lang, days: i64) -> String {
    match (lang, days) {
        (Lang::Fr, 1) => "en retard de 1 jour".into(),
        (Lang::Fr, d) => format!("en retard de {d} jours"),
        (Lang::En, 1) => "1 day overdue".into(),
        (Lang::En, d) => format!("{d} days overdue"),
    }
}

pub fn document_kind(lang: Lang, kind: DocumentKind) -> &'static str {
    match (lang, kind) {
        (Lang::Fr, DocumentKind::Invoice) => "Facture",
        (Lang::Fr, DocumentKind::CreditNote) => "Avoir",
        (Lang::En, DocumentKind::Invoice) => "Invoice",
        (Lang::En, DocumentKind::CreditNote) => "Credit note",
    }
}

pub fn status(lang: Lang, s: InvoiceStatus) -> &'static str {
    use InvoiceStatus::*;
    match (lang, s) {
        (Lang::Fr, Open) => "À payer",
        (Lang::Fr, Promised) => "Paiement promis",
        (Lang::Fr, Scheduled) => "Échéancier en cours",
        (Lang::Fr, Disputed) => "Contestée",
        (Lang::Fr, Paid) => "Payée",
        (Lang::Fr, ClosedOtherwise) => "Close",
        (Lang::En, Open) => "To pay",
        (Lang::En, Promised) => "Payment promised",
        (Lang::En, Scheduled) => "On a payment plan",
        (Lang::En, Disputed) => "Contested",
        (Lang::En, Paid) => "Paid",
        (Lang::En, ClosedOtherwise) => "Closed",
    }
}

pub fn payment_method(lang: Lang, method: &str) -> String {
    match (lang, method) {
        (Lang::Fr, "transfer") => "Virement".into(),
        (Lang::Fr, "card") => "Carte".into(),
        (Lang::Fr, "cheque") => "Chèque".into(),
        (Lang::En, "transfer") => "Bank transfer".into(),
        (Lang::En, "card") => "Card".into(),
        (Lang::En, "cheque") => "Cheque".into(),
        (_, other) => other.into(),
    }
}

// Labels of the PDF invoice and statement.
texts! {
    PDF_BILL_TO => "Facturé à", "Bill to";
    PDF_CUSTOMER => "Client", "Customer";
    PDF_ISSUE_DATE => "Date d’émission", "Issue date";
    PDF_DUE_DATE => "Date d’échéance", "Due date";
    PDF_DESCRIPTION => "Désignation", "Description";
    PDF_QUANTITY => "Qté", "Qty";
    PDF_UNIT_PRICE => "Prix unitaire HT", "Unit price excl. tax";
    PDF_VAT_RATE => "TVA", "VAT";
    PDF_LINE_TOTAL => "Total HT", "Total excl. tax";
    PDF_TOTAL_EXCL_TAX => "Total HT", "Total excl. tax";
    PDF_TOTAL_TAX => "TVA", "VAT";
    PDF_TOTAL_INCL_TAX => "Total TTC", "Total incl. tax";
    PDF_PAYMENT => "Règlement", "Payment";
    PDF_PAYMENT_REFERENCE => "Référence de paiement", "Payment reference";
    PDF_BANK_DETAILS => "Coordonnées bancaires", "Bank details";
    PDF_QUOTE_REFERENCE => "Merci d’indiquer la référence de paiement dans le libellé de votre virement.",
        "Please quote the payment reference when you pay by bank transfer.";
    PDF_NUMBER => "N°", "No.";
    PDF_KIND => "Type", "Type";
    PDF_TIMING => "Retard / échéance", "Overdue / due";
}

/// "Facture N° F-2026-0042", "Credit note No. AV-12".
pub fn pdf_document_title(lang: Lang, kind: DocumentKind, number: &str) -> String {
    format!("{} {} {number}", document_kind(lang, kind), PDF_NUMBER.get(lang))
}

/// "Relevé de compte au 22/11/2026"; the date comes already formatted for the language.
pub fn pdf_statement_title(lang: Lang, as_of: &str) -> String {
    match lang {
        Lang::Fr => format!("{} au {as_of}", STATEMENT_TITLE.fr),
        Lang::En => format!("{} as of {as_of}", STATEMENT_TITLE.en),
    }
}

/// The page footer: "Page 1 / 2", "Page 1 of 2".
pub fn pdf_page_of(lang: Lang, page: usize, total: usize) -> String {
    match lang {
        Lang::Fr => format!("Page {page} / {total}"),
        Lang::En => format!("Page {page} of {total}"),
    }
}
