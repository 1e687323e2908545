//! The sentences of what agents do with reminders: segments, pauses, tasks, the end of the
//! amicable phase, and the reminders in a debtor's timeline.

use super::Text;
use crate::domain::locale::Lang;

texts! {
    REMINDERS_HEADING => "Relances", "Reminders";
    REMINDER_DONE => "C’est fait.", "Done.";
    REMINDERS_NONE => "Aucune relance pour ce débiteur.", "No reminder for this debtor yet.";
    REMINDER_DAY => "Jour", "Day";
    REMINDER_STEP => "Étape", "Step";
    REMINDER_CHANNEL => "Canal", "Channel";
    REMINDER_STATUS => "État", "Status";
    REMINDER_OPENED => "Lien ouvert", "Link opened";
    REMINDER_NOT_OPENED => "pas encore ouvert", "not opened yet";
    REMINDER_NEXT => "Ensuite, le débiteur a", "Then the debtor";
    REMINDER_NOTHING_NEXT => "rien fait encore", "did nothing yet";
    REMINDER_INVOICES => "Factures", "Invoices";
    PROFILE_HEADING => "Profil de relance", "Reminder profile";
    PROFILE_SEGMENT => "Segment (scénario suivi)", "Segment (the scenario followed)";
    PROFILE_SEGMENT_HINT => "Lettres, chiffres, - ou _ ; « standard » par défaut.", "Letters, digits, - or _; “standard” by default.";
    PROFILE_KIND => "Type de débiteur", "Kind of debtor";
    PROFILE_BUSINESS => "Entreprise", "Business";
    PROFILE_CONSUMER => "Particulier (jamais de pénalités de retard)", "Consumer (never any late charges)";
    PROFILE_WAIVED => "Renoncer aux pénalités de retard pour ce débiteur", "Waive late charges for this debtor";
    PROFILE_SAVE => "Enregistrer le profil", "Save the profile";
    PAUSES_HEADING => "Pauses des relances", "Reminder pauses";
    PAUSES_NONE => "Aucune pause en cours.", "No pause in force.";
    PAUSE_ALL => "Toutes les factures", "Every invoice";
    PAUSE_WHAT => "Mettre en pause", "Pause";
    PAUSE_REASON => "Motif de la pause", "Reason for the pause";
    PAUSE_UNTIL => "Jusqu’au (inclus)", "Until (included)";
    PAUSE_SUBMIT => "Mettre les relances en pause", "Pause reminders";
    PAUSE_RESUME => "Reprendre les relances", "Resume reminders";
    PAUSE_BY => "par", "by";
    TASKS_HEADING => "Relances à traiter", "Reminder tasks";
    TASK_SAY => "À dire au débiteur", "What to say";
    TASK_DONE => "Fait", "Done";
    TASK_SKIP => "Passer", "Skip";
    TASK_CONFIRM => "Confirmer et envoyer la mise en demeure", "Confirm and send the formal notice";
    TASK_LETTER => "Télécharger la lettre (PDF)", "Download the letter (PDF)";
    TASK_LETTER_SENT => "Lettre postée", "Letter posted";
    BOUNCING_HEADING => "Adresses refusées", "Addresses that bounce";
    BOUNCING_INTRO => "Le serveur de messagerie du destinataire a refusé ces adresses : les relances ne leur sont plus envoyées. Corrigez l’adresse (ou confirmez-la) et les messages refusés repartent vers elle.",
        "The recipient’s mail server refused these addresses: reminders are no longer sent to them. Correct the address (or confirm it) and the refused mails go again, to it.";
    BOUNCING_CONTACT => "Contact", "Contact";
    BOUNCING_ANSWER => "Réponse du serveur", "The server’s answer";
    BOUNCING_SINCE => "Refusée depuis", "Bouncing since";
    BOUNCING_ADDRESS => "Adresse corrigée", "Corrected address";
    BOUNCING_SAVE => "Enregistrer l’adresse et renvoyer", "Save the address and send again";
    PHASE_HEADING => "Phase amiable terminée", "Amicable phase over";
    PHASE_ENDED_ON => "Phase terminée le", "Phase ended on";
    PHASE_REASON => "Motif", "Reason";
    PHASE_OUTCOME => "Décision", "Decision";
    PHASE_LITIGATION => "Transmettre au contentieux", "Hand over to litigation";
    PHASE_WRITE_OFF => "Passer en perte", "Write off";
    PHASE_CLOSE => "Clore la facture", "Close the invoice";
    PHASE_EXTEND_DAYS => "Prolonger de (jours)", "Extend by (days)";
    PHASE_EXTEND => "Prolonger la phase amiable", "Extend the amicable phase";
    PHASE_EXTENDED_ONCE => "Déjà prolongée une fois.", "Extended once already.";
    PDF_LETTER => "Relance", "Reminder";
    PDF_FORMAL_NOTICE => "Mise en demeure de payer", "Formal notice to pay";
    PDF_DATED => "Le", "Dated";
    PDF_INVOICES_OWED => "Factures restant dues", "Invoices still owed";
    PDF_INVOICE => "Facture", "Invoice";
    PDF_REMAINING => "Reste dû", "Still owed";
    PDF_TOTAL_OWED => "Total restant dû", "Total still owed";
    PDF_LATE_CHARGES => "Pénalités de retard (en sus des factures)", "Late charges (apart from the invoices)";
    PDF_INDEMNITY => "Indemnité forfaitaire", "Fixed recovery indemnity";
    PDF_INTEREST => "Intérêts de retard", "Late interest";
    PDF_CHARGES_TOTAL => "Total des pénalités", "Total late charges";
    PDF_CHARGES_APART => "Ces pénalités s’ajoutent au montant des factures ; elles ne sont pas incluses dans le total restant dû ci-dessus.",
        "These charges come on top of the invoices; they are not included in the total still owed above.";
    PDF_LEGAL => "Mentions légales", "Legal notice";
    PDF_LEGAL_NOTICE => "La présente lettre vaut mise en demeure de payer les sommes ci-dessus. À défaut de paiement ou d’accord amiable, nous nous réservons le droit d’engager une procédure de recouvrement judiciaire.",
        "This letter is a formal notice to pay the amounts above. Failing payment or an amicable agreement, we reserve the right to start legal recovery proceedings.";
    PDF_LEGAL_CHARGES => "Conformément à l’article L441-10 du Code de commerce, des pénalités de retard sont dues de plein droit dès le jour suivant la date d’échéance, au taux de la Banque centrale européenne majoré de 10 points ; une indemnité forfaitaire pour frais de recouvrement de 40 euros est due pour chaque facture payée en retard (article D441-5 du Code de commerce).",
        "Under article L441-10 of the French Commercial Code, late interest is due by law from the day after the due date, at the European Central Bank rate plus 10 points; a fixed recovery indemnity of EUR 40 is due for each invoice paid late (article D441-5 of the French Commercial Code).";
}

/// A reminder's channel, in words.
pub fn channel(lang: Lang, c: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (c, fr) {
        ("email", true) => "e-mail",
        ("email", false) => "email",
        ("phone", true) => "appel téléphonique",
        ("phone", false) => "phone call",
        ("letter", true) => "lettre",
        ("letter", false) => "letter",
        ("formal_notice", true) => "mise en demeure",
        ("formal_notice", false) => "formal notice",
        (_, true) => "autre",
        (_, false) => "other",
    }
}

/// A reminder's status, in words.
pub fn status(lang: Lang, s: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (s, fr) {
        ("queued", true) => "en file d’envoi",
        ("queued", false) => "queued",
        ("sent", true) => "remis au serveur de messagerie",
        ("sent", false) => "handed to SMTP",
        ("task", true) => "en attente d’un agent",
        ("task", false) => "waiting for an agent",
        ("done", true) => "fait",
        ("done", false) => "done",
        ("skipped", true) => "passé",
        ("skipped", false) => "skipped",
        ("refused", true) => "refusé par le serveur du destinataire",
        ("refused", false) => "refused by the recipient’s server",
        (_, true) => "inconnu",
        (_, false) => "unknown",
    }
}

/// What the debtor did after opening a reminder's link, from the event's kind.
pub fn debtor_next(lang: Lang, kind: &str) -> Option<&'static str> {
    let fr = lang == Lang::Fr;
    Some(match (kind, fr) {
        ("payment_received", true) => "payé",
        ("payment_received", false) => "paid",
        ("schedule_proposed", true) => "proposé un échéancier",
        ("schedule_proposed", false) => "proposed a schedule",
        ("dispute_opened", true) => "contesté",
        ("dispute_opened", false) => "contested",
        ("promise_made", true) => "promis de payer",
        ("promise_made", false) => "promised to pay",
        _ => return None,
    })
}

/// The timeline's words for the events of reminders; `None` for other kinds.
pub fn event_kind(lang: Lang, kind: &str) -> Option<&'static str> {
    let fr = lang == Lang::Fr;
    Some(match (kind, fr) {
        ("reminder_queued", true) => "relance mise en file d’envoi",
        ("reminder_queued", false) => "reminder queued",
        ("reminder_sent", true) => "relance remise au serveur de messagerie",
        ("reminder_sent", false) => "reminder handed to SMTP",
        ("reminder_task", true) => "relance à traiter par un agent",
        ("reminder_task", false) => "reminder task for an agent",
        ("reminder_task_done", true) => "relance traitée",
        ("reminder_task_done", false) => "reminder task done",
        ("reminder_task_skipped", true) => "relance passée",
        ("reminder_task_skipped", false) => "reminder task skipped",
        ("contact_bouncing", true) => "adresse refusée par le serveur du destinataire",
        ("contact_bouncing", false) => "address refused by the recipient’s server",
        ("contact_corrected", true) => "adresse corrigée",
        ("contact_corrected", false) => "address corrected",
        ("reminders_paused", true) => "relances mises en pause",
        ("reminders_paused", false) => "reminders paused",
        ("reminders_resumed", true) => "relances reprises",
        ("reminders_resumed", false) => "reminders resumed",
        ("reminder_profile_set", true) => "profil de relance modifié",
        ("reminder_profile_set", false) => "reminder profile changed",
        ("segment_set", true) => "segment modifié",
        ("segment_set", false) => "segment changed",
        ("invoice_closed", true) => "facture close",
        ("invoice_closed", false) => "invoice closed",
        ("phase_extended", true) => "phase amiable prolongée",
        ("phase_extended", false) => "amicable phase extended",
        _ => return None,
    })
}

/// The outcome of an amicable phase, in words.
pub fn outcome(lang: Lang, o: &str) -> &'static str {
    match (o, lang == Lang::Fr) {
        ("litigation", true) => "transmise au contentieux",
        ("litigation", false) => "handed over to litigation",
        ("write_off", true) => "passée en perte",
        ("write_off", false) => "written off",
        (_, true) => "close",
        (_, false) => "closed",
    }
}

/// Why a reminder action was refused, by the handler's error code; `None` for other codes.
pub fn action_error(lang: Lang, code: &str) -> Option<&'static str> {
    let fr = lang == Lang::Fr;
    Some(match (code, fr) {
        ("segment", true) => "Le segment compte 1 à 40 lettres, chiffres, - ou _.",
        ("segment", false) => "The segment is 1 to 40 letters, digits, - or _.",
        ("kind", true) => "Choisissez entreprise ou particulier.",
        ("kind", false) => "Choose business or consumer.",
        ("reason", true) => "Écrivez un motif (500 caractères au plus).",
        ("reason", false) => "Write a reason (500 characters at most).",
        ("until", true) => {
            "Choisissez une date de fin valide, aujourd’hui ou plus tard (un an au plus)."
        }
        ("until", false) => "Choose a valid end date, today or later (a year at most).",
        ("invoice", true) => "Cette facture n’est pas une facture de ce débiteur.",
        ("invoice", false) => "This invoice is not one of this debtor’s.",
        ("days", true) => "Prolongez de 1 à 180 jours.",
        ("days", false) => "Extend by 1 to 180 days.",
        ("decision", true) => "Choisissez une décision.",
        ("decision", false) => "Choose a decision.",
        ("extended", true) => {
            "La phase a déjà été prolongée une fois, ou la facture n’est plus ouverte."
        }
        ("extended", false) => {
            "The phase was extended once already, or the invoice is no longer open."
        }
        ("handled", true) => "Cette relance a déjà été traitée.",
        ("handled", false) => "This reminder was handled already.",
        ("closed", true) => "Cette facture n’est plus ouverte.",
        ("closed", false) => "This invoice is no longer open.",
        ("email", true) => "Cette adresse e-mail ne semble pas valide.",
        ("email", false) => "This email address does not look valid.",
        ("corrected", true) => "Cette adresse a déjà été corrigée.",
        ("corrected", false) => "This address was corrected already.",
        ("resumed", true) => "Cette pause est déjà terminée.",
        ("resumed", false) => "This pause has ended already.",
        _ => return None,
    })
}
