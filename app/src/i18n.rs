//! Every sentence the portal shows, in French and English. A pair per constant, so a missing
//! translation is a compile error. Sentences with values are functions below.

use crate::domain::agent::Role;
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

// Declared after the macro, so their files use it too.
pub mod reminder_actions;
pub mod scenarios;

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
    format!(
        "{} {} {number}",
        document_kind(lang, kind),
        PDF_NUMBER.get(lang)
    )
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

// Paying from the portal.
texts! {
    PAY_TITLE => "Payer", "Pay";
    PAY_ACTION => "Payer", "Pay";
    PAY_ALL => "Tout payer", "Pay everything";
    PAY_CHOOSE_INVOICES => "Choisir les factures à payer", "Choose the invoices to pay";
    PAY_SELECTED => "Payer les factures cochées", "Pay the ticked invoices";
    PAY_OTHER_AMOUNT => "Payer un autre montant", "Pay another amount";
    PAY_AMOUNT_LABEL => "Montant", "Amount";
    PAY_THIS_AMOUNT => "Payer ce montant", "Pay this amount";
    PAY_OLDEST_FIRST => "Un montant libre règle d’abord les factures les plus anciennes.",
        "An amount you choose settles the oldest invoices first.";
    PAY_SUMMARY => "Votre paiement", "Your payment";
    PAY_SETTLES => "Ce paiement règle", "This payment settles";
    PAY_INVOICE => "Facture", "Invoice";
    PAY_APPLIED => "Réglé", "Paid now";
    PAY_LEFT_AFTER => "Reste ensuite", "Left after";
    PAY_SETTLED_IN_FULL => "soldée", "paid in full";
    PAY_OTHER_CURRENCIES => "Vous devez aussi des montants dans une autre devise, payés à part\u{A0}:", "You also owe amounts in another currency, paid separately:";
    PAY_BALANCE_AFTER => "Reste dû après ce paiement", "Still owed after this payment";
    PAY_CHANGE => "Modifier le paiement", "Change the payment";
    BACK_TO_STATEMENT => "Retour au relevé", "Back to the statement";
    PAY_BY_CARD => "Payer par carte", "Pay by card";
    CARD_DETAILS => "Numéro de carte, date d’expiration et cryptogramme", "Card number, expiry date and security code";
    CARD_SAFE => "Vos données de carte sont saisies chez notre prestataire de paiement et ne nous parviennent jamais.",
        "Your card details are entered with our payment provider and never reach us.";
    CARD_WORKING => "Paiement en cours…", "Processing your payment…";
    PAY_BY_TRANSFER => "Payer par virement", "Pay by bank transfer";
    TRANSFER_INTRO => "Depuis votre banque, faites un virement avec ces coordonnées. Indiquez la référence exactement\u{A0}: elle nous permet d’affecter votre paiement.",
        "From your bank, make a transfer with these details. Quote the reference exactly: it lets us match your payment.";
    BENEFICIARY => "Bénéficiaire", "Beneficiary";
    IBAN => "IBAN", "IBAN";
    BIC => "BIC", "BIC";
    TRANSFER_REFERENCE => "Référence à indiquer", "Reference to quote";
    QR_CAPTION => "Scannez ce code avec votre application bancaire\u{A0}: les coordonnées, le montant et la référence sont remplis pour vous.",
        "Scan this code with your banking app: the details, the amount and the reference are filled in for you.";
    QR_LABEL => "Code QR de virement SEPA", "SEPA transfer QR code";
    NO_PAYMENT_MEANS => "Le paiement en ligne n’est pas encore proposé par ce créancier. Écrivez-nous pour convenir d’un règlement.",
        "This creditor does not offer online payment yet. Write to us to arrange payment.";
    RECEIPT_TITLE => "Paiement reçu, merci\u{A0}!", "Payment received, thank you!";
    RECEIPT_AMOUNT => "Montant reçu", "Amount received";
    RECEIPT_CREDIT => "Crédit sur votre compte", "Credit on your account";
    RECEIPT_PDF => "Télécharger le reçu (PDF)", "Download the receipt (PDF)";
    RECEIPT_EMAILED => "Un reçu vous est aussi envoyé par e-mail.", "A receipt is also on its way to you by email.";
    RECEIPT_SUBJECT => "Votre reçu de paiement", "Your payment receipt";
    RECEIPT_PDF_TITLE => "Reçu de paiement", "Payment receipt";
    RECEIPT_THANKS => "Merci pour votre paiement.", "Thank you for your payment.";
}

/// Why a payment cannot be made as asked, in words the debtor can act on.
pub fn pay_error(lang: Lang, e: &crate::domain::payment::PayError) -> String {
    use crate::domain::locale::format_money;
    use crate::domain::payment::PayError::*;
    match (lang, e) {
        (Lang::Fr, NothingToPay) => "Il n’y a rien à payer pour ce choix.".into(),
        (Lang::En, NothingToPay) => "There is nothing to pay for this choice.".into(),
        (Lang::Fr, UnknownInvoice(_)) => {
            "Une des factures choisies n’est plus à payer. Vérifiez votre sélection.".into()
        }
        (Lang::En, UnknownInvoice(_)) => {
            "One of the invoices you chose is no longer due. Please check your selection.".into()
        }
        (Lang::Fr, DuplicateInvoice(_)) => "Une facture a été choisie deux fois.".into(),
        (Lang::En, DuplicateInvoice(_)) => "An invoice was chosen twice.".into(),
        (Lang::Fr, BelowMinimum { minimum }) => format!(
            "Le montant minimum est de {}.",
            format_money(*minimum, lang)
        ),
        (Lang::En, BelowMinimum { minimum }) => format!(
            "The smallest amount accepted is {}.",
            format_money(*minimum, lang)
        ),
        (Lang::Fr, AboveBalance { balance }) => format!(
            "Le montant dépasse votre solde de {}.",
            format_money(*balance, lang)
        ),
        (Lang::En, AboveBalance { balance }) => format!(
            "The amount is more than your balance of {}.",
            format_money(*balance, lang)
        ),
        (Lang::Fr, NotPositive) => "Indiquez un montant supérieur à zéro.".into(),
        (Lang::En, NotPositive) => "Enter an amount greater than zero.".into(),
        (Lang::Fr, InvalidAmount(_)) => {
            "Ce montant n’est pas lisible. Écrivez-le par exemple 150 ou 150,50.".into()
        }
        (Lang::En, InvalidAmount(_)) => {
            "This amount cannot be read. Write it like 150 or 150.50.".into()
        }
        (Lang::Fr, Overflow) => "Ce montant est trop grand. Vérifiez-le et réessayez.".into(),
        (Lang::En, Overflow) => "This amount is too large. Please check it and try again.".into(),
        (Lang::Fr, MixedCurrency) => "Ce paiement ne peut pas être calculé. Écrivez-nous.".into(),
        (Lang::En, MixedCurrency) => {
            "This payment cannot be worked out. Please write to us.".into()
        }
    }
}

/// Why a card payment did not go through, from the processor's decline or error code.
pub fn card_failure(lang: Lang, code: &str) -> &'static str {
    match (lang, code) {
        (Lang::Fr, "insufficient_funds") => {
            "Paiement refusé\u{A0}: provision insuffisante. Essayez une autre carte ou le virement."
        }
        (Lang::En, "insufficient_funds") => {
            "Payment declined: insufficient funds. Try another card or a bank transfer."
        }
        (Lang::Fr, "expired_card") => {
            "Paiement refusé\u{A0}: la carte a expiré. Essayez une autre carte."
        }
        (Lang::En, "expired_card") => "Payment declined: the card has expired. Try another card.",
        (Lang::Fr, "incorrect_cvc" | "invalid_cvc") => {
            "Paiement refusé\u{A0}: le cryptogramme est incorrect. Vérifiez-le et réessayez."
        }
        (Lang::En, "incorrect_cvc" | "invalid_cvc") => {
            "Payment declined: the security code is wrong. Check it and try again."
        }
        (Lang::Fr, "incorrect_number" | "invalid_number") => {
            "Le numéro de carte est incorrect. Vérifiez-le et réessayez."
        }
        (Lang::En, "incorrect_number" | "invalid_number") => {
            "The card number is wrong. Check it and try again."
        }
        (
            Lang::Fr,
            "payment_intent_authentication_failure"
            | "authentication_required"
            | "setup_intent_authentication_failure",
        ) => {
            "L’authentification auprès de votre banque n’a pas abouti. Rien n’a été débité\u{A0}; vous pouvez réessayer."
        }
        (
            Lang::En,
            "payment_intent_authentication_failure"
            | "authentication_required"
            | "setup_intent_authentication_failure",
        ) => "Your bank’s authentication did not succeed. Nothing was charged; you can try again.",
        (Lang::Fr, "processing_error") => {
            "Une erreur est survenue chez la banque. Rien n’a été débité\u{A0}; réessayez dans un instant."
        }
        (Lang::En, "processing_error") => {
            "The bank had a problem. Nothing was charged; please try again in a moment."
        }
        (Lang::Fr, "unreachable") => {
            "Le service de paiement par carte ne répond pas. Rien n’a été débité\u{A0}; réessayez dans un instant ou payez par virement."
        }
        (Lang::En, "unreachable") => {
            "The card payment service is not answering. Nothing was charged; try again in a moment or pay by transfer."
        }
        (Lang::Fr, "processing") => {
            "Votre banque traite encore le paiement. Cette page se mettra à jour dès sa réponse."
        }
        (Lang::En, "processing") => {
            "Your bank is still processing the payment. This page will update as soon as it answers."
        }
        (Lang::Fr, _) => {
            "Paiement refusé par votre banque. Rien n’a été débité\u{A0}; essayez une autre carte ou le virement."
        }
        (Lang::En, _) => {
            "Payment declined by your bank. Nothing was charged; try another card or a bank transfer."
        }
    }
}

/// "Payer 1 234,56 €", "Pay €1,234.56".
pub fn pay_amount_button(lang: Lang, amount: &str) -> String {
    match lang {
        Lang::Fr => format!("Payer {amount}"),
        Lang::En => format!("Pay {amount}"),
    }
}

/// "Montant minimum : 10,00 €."
pub fn pay_minimum(lang: Lang, amount: &str) -> String {
    match lang {
        Lang::Fr => format!("Montant minimum\u{A0}: {amount}."),
        Lang::En => format!("Smallest amount: {amount}."),
    }
}

// The back office.
texts! {
    AGENT_LOGIN_TITLE => "Espace recouvrement — connexion", "Collections back office — sign in";
    PASSWORD => "Mot de passe", "Password";
    SIGN_IN => "Se connecter", "Sign in";
    AGENT_LOGIN_INVALID => "Adresse e-mail ou mot de passe incorrect.", "Wrong email address or password.";
    AGENT_LOGIN_LOCKED => "Trop d’essais manqués : ce compte est bloqué pendant 15 minutes. Réessayez plus tard ou demandez à un administrateur.",
        "Too many failed attempts: this account is locked for 15 minutes. Try again later or ask an administrator.";
    AGENT_SIGNED_OUT => "Vous êtes déconnecté.", "You are signed out.";
    AGENT_NOT_SIGNED_IN => "Connectez-vous pour accéder à l’espace recouvrement.", "Sign in to use the collections back office.";
    AGENT_DEBTORS_TITLE => "Débiteurs", "Debtors";
    AGENT_SEARCH => "Rechercher (nom, référence ou numéro de facture)", "Search (name, reference or invoice number)";
    AGENT_SEARCH_BUTTON => "Afficher", "Show";
    AGENT_SORT => "Trier par", "Sort by";
    AGENT_SORT_BALANCE => "Solde, le plus élevé d’abord", "Balance, largest first";
    AGENT_SORT_OLDEST => "Échéance la plus ancienne d’abord", "Oldest due date first";
    AGENT_DEBTOR => "Débiteur", "Debtor";
    AGENT_OLDEST_DUE => "Plus ancienne échéance", "Oldest due date";
    AGENT_FORGOT => "Mot de passe oublié ?", "Forgot your password?";
    AGENT_PASSWORD_TITLE => "Choisir un mot de passe", "Choose a password";
    AGENT_NEW_PASSWORD => "Nouveau mot de passe (12 caractères au moins)", "New password (at least 12 characters)";
    AGENT_CONFIRM_PASSWORD => "Le même, une seconde fois", "The same, once more";
    AGENT_SET_PASSWORD => "Enregistrer et se connecter", "Save and sign in";
    AGENT_PASSWORD_SHORT => "Le mot de passe doit compter 12 caractères au moins.", "The password must have at least 12 characters.";
    AGENT_PASSWORD_MISMATCH => "Les deux mots de passe ne sont pas identiques.", "The two passwords are not the same.";
    AGENT_LINK_EXPIRED => "Ce lien n’est plus valable (déjà utilisé ou expiré). Demandez-en un nouveau.",
        "This link no longer works (already used, or expired). Ask for a new one.";
    AGENT_RESET_TITLE => "Mot de passe oublié", "Forgotten password";
    AGENT_RESET_SEND => "Recevoir un lien par e-mail", "Send me a link";
    AGENT_RESET_SENT => "Si cette adresse a un compte, un lien pour choisir un nouveau mot de passe vient de lui être envoyé. Il est valable une heure.",
        "If this address has an account, a link to choose a new password is on its way. It works for an hour.";
    AGENT_INVITE_TITLE => "Inviter une personne", "Invite someone";
    AGENT_INVITE_NAME => "Nom", "Name";
    AGENT_INVITE_ROLE => "Rôle", "Role";
    AGENT_INVITE_SEND => "Envoyer l’invitation", "Send the invitation";
    AGENT_INVITE_SENT => "Invitation envoyée. Le lien est valable 7 jours.", "Invitation sent. The link works for 7 days.";
    AGENT_INVITE_FORBIDDEN => "Seul un administrateur peut inviter.", "Only an administrator can invite.";
    AGENT_INVITE_TAKEN => "Cette adresse a déjà un compte.", "This address has an account already.";
    AGENT_INVITE_INVALID => "Vérifiez le nom et l’adresse e-mail.", "Check the name and the email address.";
    AGENT_TEAM => "Inviter", "Invite";
}

pub fn role(lang: Lang, role: Role) -> &'static str {
    match (lang, role) {
        (Lang::Fr, Role::Admin) => "administrateur",
        (Lang::Fr, Role::Agent) => "agent",
        (Lang::Fr, Role::ReadOnly) => "lecture seule",
        (Lang::En, Role::Admin) => "administrator",
        (Lang::En, Role::Agent) => "agent",
        (Lang::En, Role::ReadOnly) => "read-only",
    }
}

pub fn agent_debtor_count(lang: Lang, n: usize) -> String {
    match (lang, n) {
        (Lang::Fr, 0) => "Aucun débiteur ne correspond.".into(),
        (Lang::Fr, 1) => "1 débiteur".into(),
        (Lang::Fr, n) => format!("{n} débiteurs"),
        (Lang::En, 0) => "No debtor matches.".into(),
        (Lang::En, 1) => "1 debtor".into(),
        (Lang::En, n) => format!("{n} debtors"),
    }
}

mod case;
#[cfg(feature = "ssr")]
pub mod mail;
mod schedule;
pub use case::*;
pub use schedule::*;
