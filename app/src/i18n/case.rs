//! Disputes and messages: the debtor's pages and the back office's.

use super::Text;
use crate::domain::dispute::{DisputeReason, DisputeStatus};
use crate::domain::locale::Lang;

texts! {
    DISPUTES_TITLE => "Contester une facture", "Contest an invoice";
    DISPUTES_ACTION => "Contester une facture", "Contest an invoice";
    DISPUTES_MINE => "Vos contestations", "Your disputes";
    DISPUTES_NONE_OPEN => "Aucune facture ne peut être contestée en ce moment (elles sont payées, dans un échéancier ou déjà contestées).",
        "No invoice can be contested right now (they are paid, in a schedule, or contested already).";
    DISPUTE_INTRO => "Une facture contestée n’est plus réclamée tant qu’une personne de notre équipe ne l’a pas examinée. Vous suivez la réponse ici et par e-mail.",
        "A contested invoice is not chased until someone in our team has looked at it. You follow the answer here and by email.";
    DISPUTE_WHICH => "Quelles factures\u{A0}?", "Which invoices?";
    DISPUTE_NEW => "Nouvelle contestation", "New dispute";
    DISPUTE_PART => "Vous ne contestez qu’une partie du montant\u{A0}?", "Contesting only part of the amount?";
    DISPUTE_PART_OF => "Montant contesté de la facture", "Amount contested on invoice";
    DISPUTE_REASON => "Motif", "Reason";
    DISPUTE_CHOOSE => "Choisissez…", "Choose…";
    DISPUTE_MESSAGE => "Expliquez-nous", "Tell us what happened";
    DISPUTE_PAID_ON => "Si vous avez déjà payé\u{A0}: date du paiement", "If you have paid already: date of the payment";
    DISPUTE_FILES => "Pièces jointes (PDF, PNG ou JPEG)", "Attachments (PDF, PNG or JPEG)";
    DISPUTE_SEND => "Envoyer ma contestation", "Send my dispute";
    DISPUTE_OPENED => "Votre contestation est enregistrée. Ces factures ne vous sont plus réclamées en attendant notre réponse\u{A0}; une confirmation vous est envoyée par e-mail.",
        "Your dispute is recorded. These invoices are not chased while you wait for our answer; a confirmation is on its way by email.";
    DISPUTE_SENT => "Votre message est envoyé.", "Your message is sent.";
    DISPUTE_THREAD => "Échanges", "Conversation";
    DISPUTE_REPLY => "Ajouter un message", "Add a message";
    DISPUTE_REPLY_SEND => "Envoyer", "Send";
    DISPUTE_CLOSED_NOTE => "Cette contestation est close. Pour une nouvelle question, écrivez-nous depuis la messagerie.",
        "This dispute is closed. For a new question, write to us from the messages page.";
    DISPUTE_BACK => "Toutes vos contestations", "All your disputes";
    DISPUTE_OPEN_ONE => "Voir", "View";
    DISPUTE_CONTESTED => "Montant contesté", "Amount contested";
    DISPUTE_CREDITED => "Avoir accordé", "Credit granted";
    DISPUTE_OPENED_ON => "Ouverte le", "Opened";
    DISPUTE_PAID_ON_SHORT => "Payé le", "Paid on";
    DISPUTE_YOU => "Vous", "You";
    DISPUTE_TEAM => "Notre équipe", "Our team";
    DISPUTE_NOTE_BADGE => "Note interne", "Internal note";
    MESSAGES_TITLE => "Écrire à notre équipe", "Write to our team";
    MESSAGES_ACTION => "Nous écrire", "Write to us";
    MESSAGES_NONE => "Aucun message pour l’instant.", "No messages yet.";
    MESSAGES_LABEL => "Votre message", "Your message";
    MESSAGES_SENT => "Votre message est envoyé. Nous vous répondrons ici et par e-mail.", "Your message is sent. We will answer here and by email.";
    AGENT_DISPUTE => "Contestation", "Dispute";
    AGENT_DISPUTES => "Contestations", "Disputes";
    AGENT_DISPUTES_OPEN => "Contestations à traiter", "Disputes to handle";
    AGENT_NO_DISPUTE => "Aucune contestation.", "No disputes.";
    AGENT_OWNER => "Confiée à", "Given to";
    AGENT_NO_OWNER => "personne pour l’instant", "nobody yet";
    AGENT_ASSIGN => "Confier", "Give to";
    AGENT_POST => "Écrire", "Write";
    AGENT_POST_INTERNAL => "Note interne (le débiteur ne la voit pas)", "Internal note (the debtor never sees it)";
    AGENT_POST_PUBLIC => "Réponse au débiteur (envoyée par e-mail)", "Reply to the debtor (sent by email)";
    AGENT_RESOLVE => "Clore la contestation", "Resolve the dispute";
    AGENT_OUTCOME => "Décision", "Decision";
    AGENT_PART_AMOUNT => "Montant accordé (si acceptée en partie)", "Amount granted (if partly accepted)";
    AGENT_EXPLANATION => "Explication pour le débiteur", "Explanation for the debtor";
    AGENT_RESOLVE_SEND => "Enregistrer la décision", "Record the decision";
    AGENT_UNREAD => "Messages non lus", "Unread messages";
    AGENT_MESSAGES => "Messages", "Messages";
    AGENT_ANSWER => "Répondre au débiteur (envoyé par e-mail)", "Answer the debtor (sent by email)";
    AGENT_ANSWER_SEND => "Envoyer la réponse", "Send the answer";
    AGENT_DEBTOR_SAYS => "Débiteur", "Debtor";
    OWNERS_TITLE => "À qui confier les contestations", "Who disputes can be given to";
    OWNERS_INTRO => "Une personne ou une équipe (commercial, logistique, technique…), prévenue par e-mail quand une contestation lui est confiée.",
        "A person or a team (sales, logistics, technical…), told by email when a dispute is given to them.";
    OWNERS_NAME => "Nom de la personne ou de l’équipe", "Name of the person or team";
    OWNERS_EMAIL => "Adresse e-mail", "Email address";
    OWNERS_ADD => "Ajouter", "Add";
    OWNERS_REMOVE => "Retirer", "Remove";
    OWNERS_NONE => "Personne pour l’instant.", "Nobody yet.";
    CASE_SETTINGS_TITLE => "Promesses et pièces jointes", "Promises and attachments";
    CASE_HORIZON => "Une promesse de paiement peut viser au plus (jours)", "A promise to pay may name a date at most this far ahead (days)";
    CASE_MAX_FILES => "Pièces jointes par message au plus (0 à 5)", "Attachments per message at most (0 to 5)";
    CASE_MAX_MB => "Taille d’une pièce jointe au plus (Mo, 1 à 5)", "Size of one attachment at most (MB, 1 to 5)";
    CASE_SAVE => "Enregistrer", "Save";
}

pub fn dispute_reason(lang: Lang, r: DisputeReason) -> &'static str {
    let fr = lang == Lang::Fr;
    match r {
        DisputeReason::BillingError => {
            if fr {
                "Erreur de facturation"
            } else {
                "Billing error"
            }
        }
        DisputeReason::NotReceived => {
            if fr {
                "Marchandise ou service non reçu"
            } else {
                "Goods or service not received"
            }
        }
        DisputeReason::Delivery => {
            if fr {
                "Problème de livraison"
            } else {
                "Delivery problem"
            }
        }
        DisputeReason::Quality => {
            if fr {
                "Problème de qualité"
            } else {
                "Quality problem"
            }
        }
        DisputeReason::Price => {
            if fr {
                "Désaccord sur le prix ou la remise"
            } else {
                "Price or discount disagreement"
            }
        }
        DisputeReason::AlreadyPaid => {
            if fr {
                "Déjà payé"
            } else {
                "Already paid"
            }
        }
        DisputeReason::Other => {
            if fr {
                "Autre"
            } else {
                "Other"
            }
        }
    }
}

pub fn dispute_status(lang: Lang, s: DisputeStatus) -> &'static str {
    let fr = lang == Lang::Fr;
    match s {
        DisputeStatus::Open => {
            if fr {
                "en cours d’examen"
            } else {
                "being looked at"
            }
        }
        DisputeStatus::Accepted => {
            if fr {
                "acceptée"
            } else {
                "accepted"
            }
        }
        DisputeStatus::PartlyAccepted => {
            if fr {
                "acceptée en partie"
            } else {
                "partly accepted"
            }
        }
        DisputeStatus::Rejected => {
            if fr {
                "non retenue"
            } else {
                "not accepted"
            }
        }
    }
}

pub fn outcome(lang: Lang, code: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match code {
        "accepted" => {
            if fr {
                "Acceptée : tout le montant contesté en avoir"
            } else {
                "Accepted: all of the amount contested as a credit note"
            }
        }
        "partly_accepted" => {
            if fr {
                "Acceptée en partie"
            } else {
                "Partly accepted"
            }
        }
        _ => {
            if fr {
                "Non retenue : les factures sont de nouveau dues"
            } else {
                "Rejected: the invoices are due again"
            }
        }
    }
}

/// The debtor's form came back: what was wrong, naming the file or invoice concerned.
pub fn form_error(lang: Lang, code: &str, about: &str) -> String {
    let fr = lang == Lang::Fr;
    match code {
        "invoice" => {
            if fr {
                "Cochez au moins une facture.".into()
            } else {
                "Tick at least one invoice.".into()
            }
        }
        "not_contestable" => {
            if fr {
                "Une facture choisie ne peut plus être contestée (payée, dans un échéancier ou déjà contestée entre-temps).".into()
            } else {
                "An invoice chosen can no longer be contested (paid, in a schedule, or contested meanwhile).".into()
            }
        }
        "amount" => {
            if fr {
                format!("Facture {about} : le montant contesté n’est pas un montant valable.")
            } else {
                format!("Invoice {about}: the amount contested is not a valid amount.")
            }
        }
        "amount_above" => {
            if fr {
                format!("Facture {about} : le montant contesté dépasse ce qui reste à payer.")
            } else {
                format!("Invoice {about}: the amount contested is more than what is left to pay.")
            }
        }
        "reason" => {
            if fr {
                "Choisissez un motif.".into()
            } else {
                "Choose a reason.".into()
            }
        }
        "message" => {
            if fr {
                "Écrivez un message.".into()
            } else {
                "Write a message.".into()
            }
        }
        "too_long" => {
            if fr {
                "Le message est trop long (4 000 caractères au plus).".into()
            } else {
                "The message is too long (4,000 characters at most).".into()
            }
        }
        "paid_on" => {
            if fr {
                "Indiquez la date de votre paiement (aujourd’hui ou avant).".into()
            } else {
                "Give the date of your payment (today or earlier).".into()
            }
        }
        "currencies" => {
            if fr {
                "Contestez séparément les factures de devises différentes.".into()
            } else {
                "Contest invoices in different currencies separately.".into()
            }
        }
        "files_too_many" => {
            if fr {
                format!("Trop de pièces jointes : {about} au plus.")
            } else {
                format!("Too many attachments: {about} at most.")
            }
        }
        "file_empty" => {
            if fr {
                format!("« {about} » est vide.")
            } else {
                format!("“{about}” is empty.")
            }
        }
        "file_large" => {
            if fr {
                format!("« {about} » dépasse la taille permise.")
            } else {
                format!("“{about}” is larger than allowed.")
            }
        }
        "file_name" => {
            if fr {
                "Un nom de fichier est trop long ou contient des caractères interdits (/, \\, guillemets, caractères de contrôle). Renommez-le.".into()
            } else {
                "A file name is too long or has characters we refuse (/, \\, quotes, control characters). Rename it.".into()
            }
        }
        "file_type" => {
            if fr {
                format!("« {about} » : seuls les fichiers PDF, PNG et JPEG sont acceptés.")
            } else {
                format!("“{about}”: only PDF, PNG and JPEG files are accepted.")
            }
        }
        "file_mismatch" => {
            if fr {
                format!("« {about} » ne contient pas ce que son nom annonce (PDF, PNG ou JPEG).")
            } else {
                format!("“{about}” does not hold what its name says (PDF, PNG or JPEG).")
            }
        }
        "file_polyglot" => {
            if fr {
                format!(
                    "« {about} » contient autre chose qu’un document ou une image et ne peut pas être accepté."
                )
            } else {
                format!(
                    "“{about}” holds something besides a document or an image and cannot be accepted."
                )
            }
        }
        "closed" => {
            if fr {
                "Cette contestation est close : écrivez-nous depuis la messagerie.".into()
            } else {
                "This dispute is closed: write to us from the messages page.".into()
            }
        }
        "too_big" => {
            if fr {
                "Vos pièces jointes sont trop lourdes pour être reçues ensemble : joignez moins de fichiers, ou des fichiers plus légers (voir les limites sous le champ).".into()
            } else {
                "Your attachments are too large to be received together: attach fewer files, or lighter ones (see the limits under the field).".into()
            }
        }
        "invalid" => {
            if fr {
                "Le formulaire n’a pas pu être lu. Réessayez.".into()
            } else {
                "The form could not be read. Please try again.".into()
            }
        }
        _ => {
            if fr {
                "Un problème est survenu de notre côté ; votre texte est conservé, réessayez dans un instant.".into()
            } else {
                "Something went wrong on our side; your text is kept, please try again in a moment."
                    .into()
            }
        }
    }
}

/// Appended to a refusal: files are never kept, so the debtor attaches them again.
pub fn reattach(lang: Lang) -> &'static str {
    if lang == Lang::Fr {
        "Votre texte est conservé ; joignez à nouveau vos fichiers."
    } else {
        "Your text is kept; attach your files again."
    }
}

/// An agent's action came back with an error.
pub fn action_error(lang: Lang, code: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match code {
        "text" => {
            if fr {
                "Écrivez un texte."
            } else {
                "Write a text."
            }
        }
        "too_long" => {
            if fr {
                "Le texte est trop long (4 000 caractères au plus)."
            } else {
                "The text is too long (4,000 characters at most)."
            }
        }
        "owner" => {
            if fr {
                "Choisissez une personne ou une équipe de la liste (ou vérifiez le nom et l’adresse)."
            } else {
                "Choose a person or team from the list (or check the name and address)."
            }
        }
        "outcome" => {
            if fr {
                "Choisissez une décision."
            } else {
                "Choose a decision."
            }
        }
        "amount" => {
            if fr {
                "Le montant accordé n’est pas un montant valable."
            } else {
                "The amount granted is not a valid amount."
            }
        }
        "part" => {
            if fr {
                "Acceptée en partie : le montant accordé doit être inférieur au montant contesté."
            } else {
                "Partly accepted: the amount granted must be less than the amount contested."
            }
        }
        "explanation" => {
            if fr {
                "Expliquez la décision au débiteur."
            } else {
                "Explain the decision to the debtor."
            }
        }
        "file" => {
            if fr {
                "Une pièce jointe est refusée : seuls les PDF, PNG et JPEG sont acceptés, non vides, dont le contenu correspond au nom, sans caractères interdits dans le nom, et dans les limites indiquées sous le champ. Votre texte est conservé ; joignez à nouveau vos fichiers."
            } else {
                "An attachment is refused: only PDF, PNG and JPEG files are accepted, not empty, holding what their name says, with no forbidden characters in the name, and within the limits under the field. Your text is kept; attach your files again."
            }
        }
        "too_big" => {
            if fr {
                "Les pièces jointes sont trop lourdes pour être reçues ensemble. Votre texte est conservé ; joignez moins de fichiers, ou des fichiers plus légers."
            } else {
                "The attachments are too large to be received together. Your text is kept; attach fewer files, or lighter ones."
            }
        }
        "invalid" => {
            if fr {
                "Le formulaire n’a pas pu être lu. Votre texte est conservé ; réessayez."
            } else {
                "The form could not be read. Your text is kept; please try again."
            }
        }
        "conflict" => {
            if fr {
                "Cette contestation a déjà été traitée."
            } else {
                "This dispute was handled already."
            }
        }
        "forbidden" => {
            if fr {
                "Votre rôle ne permet pas cette action."
            } else {
                "Your role does not allow this."
            }
        }
        "not_found" => {
            if fr {
                "Introuvable."
            } else {
                "Not found."
            }
        }
        "settings" => {
            if fr {
                "Vérifiez les valeurs : horizon de 1 à 365 jours, 0 à 5 pièces jointes, 1 à 5 Mo."
            } else {
                "Check the values: horizon 1 to 365 days, 0 to 5 attachments, 1 to 5 MB."
            }
        }
        _ => {
            if fr {
                "Un problème est survenu ; réessayez."
            } else {
                "Something went wrong; please try again."
            }
        }
    }
}

pub fn unread_count(lang: Lang, n: i64) -> String {
    match (lang, n) {
        (Lang::Fr, 1) => "1 message non lu".into(),
        (Lang::Fr, n) => format!("{n} messages non lus"),
        (Lang::En, 1) => "1 unread message".into(),
        (Lang::En, n) => format!("{n} unread messages"),
    }
}

pub fn file_size(lang: Lang, bytes: i64) -> String {
    let kb = (bytes + 1023) / 1024;
    if kb < 1024 {
        format!("{kb}\u{A0}{}", if lang == Lang::Fr { "Ko" } else { "KB" })
    } else {
        let tenths = (bytes * 10 + 524_288) / 1_048_576;
        let sep = if lang == Lang::Fr { ',' } else { '.' };
        format!(
            "{}{sep}{}\u{A0}{}",
            tenths / 10,
            tenths % 10,
            if lang == Lang::Fr { "Mo" } else { "MB" }
        )
    }
}

pub fn limits_hint(lang: Lang, files: usize, bytes: usize) -> String {
    let mb = bytes / (1024 * 1024);
    match (lang, files) {
        (Lang::Fr, 1) => format!("Un fichier au plus, de {mb}\u{A0}Mo au plus."),
        (Lang::Fr, n) => format!("{n} fichiers au plus, {mb}\u{A0}Mo chacun au plus."),
        (Lang::En, 1) => format!("At most one file, of {mb} MB at most."),
        (Lang::En, n) => format!("At most {n} files, {mb} MB each."),
    }
}
