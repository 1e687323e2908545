//! Sentences of payment schedules (échéanciers), for the debtor and the agents.

use super::Text;
use crate::domain::locale::{Lang, format_date, format_money};
use crate::domain::money::Money;
use crate::domain::promise::PromiseStatus;
use crate::domain::proposal::InputError;
use crate::domain::schedule::{Reason, Rhythm, ScheduleError};

texts! {
    SCHEDULE_TITLE => "Échéancier de paiement", "Payment schedule";
    SCHEDULE_ACTION => "Proposer un échéancier", "Propose a payment schedule";
    SCHEDULE_PENDING_ALREADY => "Vous avez déjà une proposition en attente. Retirez-la avant d’en faire une autre.",
        "You already have a proposal waiting. Withdraw it before making another.";
    SCHEDULE_CHANGED => "Votre compte a changé entre-temps (une facture payée ou une décision prise). Rien n’a été perdu : vérifiez et renvoyez.",
        "Your account changed meanwhile (an invoice paid or a decision taken). Nothing was lost: please check and send again.";
    SCHEDULE_FIX_FORM => "La proposition ne peut pas être envoyée telle quelle. Corrigez ce qui est indiqué ci-dessous.",
        "The proposal cannot be sent as it is. Please correct what is shown below.";
    SCHEDULE_DONE_ACCEPTED => "Votre échéancier est accepté. Une confirmation vous est envoyée par e-mail.",
        "Your schedule is accepted. A confirmation is on its way to you by email.";
    SCHEDULE_DONE_REVIEW => "Votre proposition est envoyée. Une personne l’examine et vous répond par e-mail.",
        "Your proposal is sent. A person will review it and answer you by email.";
    SCHEDULE_DONE_WITHDRAWN => "Votre proposition est retirée.", "Your proposal is withdrawn.";
    SCHEDULE_DONE_DECLINED => "Vous avez refusé la contre-proposition. L’équipe de recouvrement en est informée.",
        "You declined the counter-proposal. The collections team has been told.";
    SCHEDULE_NOTHING => "Vous n’avez aucune facture à étaler pour le moment.", "You have no invoice to spread out at the moment.";
    SCHEDULE_YOUR_PROPOSAL => "Votre proposition", "Your proposal";
    SCHEDULE_COUNTER => "Une contre-proposition vous attend", "A counter-proposal is waiting for you";
    SCHEDULE_YOURS => "Votre échéancier", "Your schedule";
    SCHEDULE_AGENT_NOTE => "Message de l’équipe", "Message from the team";
    SCHEDULE_COVERS => "Factures concernées", "Invoices covered";
    SCHEDULE_WITHDRAW => "Retirer ma proposition", "Withdraw my proposal";
    SCHEDULE_ACCEPT_COUNTER => "Accepter cet échéancier", "Accept this schedule";
    SCHEDULE_DECLINE_COUNTER => "Refuser", "Decline";
    SCHEDULE_DOWNLOAD => "Télécharger l’échéancier (PDF)", "Download the schedule (PDF)";
    SCHEDULE_WAS_REJECTED => "Votre dernière proposition n’a pas été acceptée. Vous pouvez en faire une autre.",
        "Your last proposal was not accepted. You can make another one.";
    SCHEDULE_WAS_BROKEN => "Votre échéancier a pris fin : une échéance n’a pas été payée. Les factures sont de nouveau à régler.",
        "Your schedule has ended: an instalment was not paid. The invoices are due again.";
    SCHEDULE_WAS_COMPLETED => "Votre échéancier est entièrement payé. Merci !", "Your schedule is fully paid. Thank you!";
    SCHEDULE_PREVIOUS => "Précédemment", "Previously";
    SCHEDULE_INSTALMENTS => "Échéances", "Instalments";
    SCHEDULE_PAID => "payée", "paid";
    SCHEDULE_DUE => "à payer", "due";
    SCHEDULE_PROPOSE => "Proposer un échéancier", "Propose a payment schedule";
    SCHEDULE_PROPOSE_INTRO => "Choisissez les factures, le nombre d’échéances et leur rythme. Nous vous disons avant l’envoi si la proposition est acceptée tout de suite ou examinée par une personne.",
        "Choose the invoices, the number of instalments and how often to pay. Before you send it, we tell you whether it will be accepted at once or reviewed by a person.";
    SCHEDULE_WHICH_INVOICES => "Factures à étaler", "Invoices to spread out";
    SCHEDULE_COUNT => "Nombre d’échéances", "Number of instalments";
    SCHEDULE_RHYTHM => "Rythme", "How often";
    SCHEDULE_FIRST => "Date de la première échéance", "Date of the first instalment";
    SCHEDULE_ONE_BY_ONE => "Choisir moi-même chaque date et chaque montant", "Set each date and amount myself";
    SCHEDULE_DATE => "date", "date";
    SCHEDULE_ADD_LINE => "Ajouter une échéance", "Add an instalment";
    SCHEDULE_PREVIEW => "Votre proposition", "Your proposal";
    SCHEDULE_WILL_ACCEPT => "Cette proposition respecte les conditions : elle sera acceptée dès l’envoi.",
        "This proposal is within the terms: it will be accepted as soon as you send it.";
    SCHEDULE_WILL_REVIEW => "Vous pouvez l’envoyer ; une personne l’examinera, car :", "You can send it; a person will review it, because:";
    SCHEDULE_SEND => "Envoyer la proposition", "Send the proposal";
    SCHEDULE_CHECK => "Vérifier", "Check";
    SCHEDULE_SAVE_CARD => "Utiliser cette carte pour les prochaines échéances, débitées automatiquement à leur date (vous pouvez nous écrire pour arrêter à tout moment)",
        "Use this card for the next instalments, charged automatically on their dates (write to us to stop this at any time)";
    SCHEDULE_CARD_SAVED => "Les prochaines échéances seront débitées automatiquement sur la carte enregistrée.",
        "The next instalments will be charged automatically to the saved card.";
    SCHEDULE_CHARGE_FAILED_SUBJECT => "Le prélèvement de votre échéance n’a pas abouti", "Your instalment could not be charged";
    SCHEDULE_PDF_TITLE => "Échéancier de paiement", "Payment schedule";
    SCHEDULE_AGREED_ON => "Accepté le", "Agreed on";
    SCHEDULE_INSTALMENT => "N°", "No.";
    SCHEDULE_PDF_DATE => "Date", "Date";
    SCHEDULE_PDF_TERMS => "Tant que chaque échéance est payée à sa date, les factures ci-dessus ne font l’objet d’aucune relance. Une échéance impayée après le délai de grâce met fin à l’échéancier : le solde restant redevient exigible.",
        "As long as each instalment is paid on its date, the invoices above are not chased. An instalment unpaid after the grace period ends the schedule: the remaining balance is then due.";
    SCHEDULE_ACCEPTED_SUBJECT => "Votre échéancier est accepté", "Your payment schedule is accepted";
    SCHEDULE_REVIEW_SUBJECT => "Nous avons reçu votre proposition d’échéancier", "We have received your schedule proposal";
    SCHEDULE_REJECTED_SUBJECT => "Votre proposition d’échéancier", "Your schedule proposal";
    SCHEDULE_COUNTER_SUBJECT => "Une contre-proposition d’échéancier vous attend", "A counter-proposal for your schedule is waiting";
    SCHEDULE_REMINDER_SUBJECT => "Votre prochaine échéance approche", "Your next instalment is coming up";
    SCHEDULE_BROKEN_SUBJECT => "Votre échéancier a pris fin", "Your payment schedule has ended";
}

pub fn rhythm(lang: Lang, r: Rhythm) -> &'static str {
    match (lang, r) {
        (Lang::Fr, Rhythm::Weekly) => "chaque semaine",
        (Lang::Fr, Rhythm::Fortnightly) => "toutes les deux semaines",
        (Lang::Fr, Rhythm::Monthly) => "chaque mois",
        (Lang::En, Rhythm::Weekly) => "every week",
        (Lang::En, Rhythm::Fortnightly) => "every two weeks",
        (Lang::En, Rhythm::Monthly) => "every month",
    }
}

pub fn schedule_instalment_n(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Échéance {n}"),
        Lang::En => format!("Instalment {n}"),
    }
}

pub fn schedule_under_review(lang: Lang, creditor: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Une personne de {creditor} examine votre proposition. Vous recevrez sa réponse par e-mail."
        ),
        Lang::En => format!(
            "Someone at {creditor} is reviewing your proposal. You will get the answer by email."
        ),
    }
}

pub fn schedule_counter_intro(lang: Lang, creditor: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "{creditor} ne peut pas accepter votre proposition telle quelle et vous propose cet échéancier."
        ),
        Lang::En => format!(
            "{creditor} cannot accept your proposal as it was and offers you this schedule instead."
        ),
    }
}

pub fn schedule_running(lang: Lang, paid: Money, total: Money) -> String {
    let (paid, total) = (format_money(paid, lang), format_money(total, lang));
    match lang {
        Lang::Fr => format!(
            "Vous avez payé {paid} sur {total}. Tant que vous suivez l’échéancier, ces factures ne font l’objet d’aucune relance."
        ),
        Lang::En => format!(
            "You have paid {paid} of {total}. As long as you follow the schedule, these invoices are not chased."
        ),
    }
}

pub fn schedule_pay_instalment(lang: Lang, seq: u32, amount: Money) -> String {
    let amount = format_money(amount, lang);
    match lang {
        Lang::Fr => format!("Payer l’échéance {seq} ({amount})"),
        Lang::En => format!("Pay instalment {seq} ({amount})"),
    }
}

/// Why a person must look at a proposal, for the debtor and the agent.
pub fn schedule_reason(lang: Lang, r: &Reason) -> String {
    match (lang, r) {
        (Lang::Fr, Reason::AgentDecides) => {
            "pour ce montant, chaque échéancier est examiné par une personne".into()
        }
        (Lang::En, Reason::AgentDecides) => {
            "for this amount, every schedule is reviewed by a person".into()
        }
        (Lang::Fr, Reason::TooManyInstalments { max }) => format!("plus de {max} échéances"),
        (Lang::En, Reason::TooManyInstalments { max }) => format!("more than {max} instalments"),
        (Lang::Fr, Reason::TooLong { max_days }) => {
            format!("la dernière échéance tombe plus de {max_days} jours après aujourd’hui")
        }
        (Lang::En, Reason::TooLong { max_days }) => {
            format!("the last instalment falls more than {max_days} days from today")
        }
        (Lang::Fr, Reason::InstalmentTooSmall { min }) => {
            format!("une échéance est inférieure à {}", format_money(*min, lang))
        }
        (Lang::En, Reason::InstalmentTooSmall { min }) => {
            format!("an instalment is less than {}", format_money(*min, lang))
        }
        (Lang::Fr, Reason::DownPaymentTooSmall { min }) => format!(
            "la première échéance est inférieure à {}",
            format_money(*min, lang)
        ),
        (Lang::En, Reason::DownPaymentTooSmall { min }) => format!(
            "the first instalment is less than {}",
            format_money(*min, lang)
        ),
        (Lang::Fr, Reason::FirstPaymentTooLate { latest }) => format!(
            "la première échéance tombe après le {}",
            format_date(*latest, lang)
        ),
        (Lang::En, Reason::FirstPaymentTooLate { latest }) => format!(
            "the first instalment falls after {}",
            format_date(*latest, lang)
        ),
    }
}

pub fn schedule_error(lang: Lang, e: &ScheduleError) -> String {
    use ScheduleError::*;
    match (lang, e) {
        (Lang::Fr, NoInstalments) => "Ajoutez au moins une échéance.".into(),
        (Lang::En, NoInstalments) => "Add at least one instalment.".into(),
        (Lang::Fr, TooManyInstalments { max }) => {
            format!("Un échéancier compte au plus {max} échéances.")
        }
        (Lang::En, TooManyInstalments { max }) => {
            format!("A schedule has at most {max} instalments.")
        }
        (Lang::Fr, NotPositive) => "Chaque échéance doit être supérieure à zéro.".into(),
        (Lang::En, NotPositive) => "Every instalment must be more than zero.".into(),
        (Lang::Fr, DatesNotIncreasing) => "Chaque échéance doit tomber après la précédente.".into(),
        (Lang::En, DatesNotIncreasing) => {
            "Each instalment must fall after the one before it.".into()
        }
        (Lang::Fr, DateInPast) => "La première échéance ne peut pas être dans le passé.".into(),
        (Lang::En, DateInPast) => "The first instalment cannot be in the past.".into(),
        (Lang::Fr, BeyondHorizon { latest }) => format!(
            "La dernière échéance doit tomber au plus tard le {}.",
            format_date(*latest, lang)
        ),
        (Lang::En, BeyondHorizon { latest }) => format!(
            "The last instalment must fall on or before {}.",
            format_date(*latest, lang)
        ),
        (Lang::Fr, DoesNotSum { expected, got }) => {
            format!(
                "Les échéances font {} mais le total est de {}.",
                format_money(*got, lang),
                format_money(*expected, lang)
            )
        }
        (Lang::En, DoesNotSum { expected, got }) => {
            format!(
                "The instalments add up to {} but the total is {}.",
                format_money(*got, lang),
                format_money(*expected, lang)
            )
        }
        (Lang::Fr, MixedCurrency) => {
            "Toutes les échéances doivent être dans la devise des factures.".into()
        }
        (Lang::En, MixedCurrency) => "All instalments must be in the invoices’ currency.".into(),
        (Lang::Fr, Overflow) => "Ce montant est trop grand.".into(),
        (Lang::En, Overflow) => "This amount is too large.".into(),
    }
}

/// What is wrong with the form, said next to it.
pub fn proposal_error(lang: Lang, e: &InputError) -> String {
    match (lang, e) {
        (Lang::Fr, InputError::NoInvoice) => "Choisissez au moins une facture.".into(),
        (Lang::En, InputError::NoInvoice) => "Choose at least one invoice.".into(),
        (Lang::Fr, InputError::UnknownInvoice(_)) => {
            "Une des factures choisies ne peut plus être étalée. Rechargez la page.".into()
        }
        (Lang::En, InputError::UnknownInvoice(_)) => {
            "One of the invoices chosen can no longer be spread out. Please reload the page.".into()
        }
        (Lang::Fr, InputError::MixedCurrency) => {
            "Choisissez des factures dans une seule devise.".into()
        }
        (Lang::En, InputError::MixedCurrency) => "Choose invoices in one currency.".into(),
        (Lang::Fr, InputError::Count) => {
            "Le nombre d’échéances est un nombre entier de 1 à 60.".into()
        }
        (Lang::En, InputError::Count) => {
            "The number of instalments is a whole number from 1 to 60.".into()
        }
        (Lang::Fr, InputError::Rhythm) => "Choisissez le rythme des échéances.".into(),
        (Lang::En, InputError::Rhythm) => "Choose how often to pay.".into(),
        (Lang::Fr, InputError::Date(n)) => format!("Échéance {n} : indiquez une date."),
        (Lang::En, InputError::Date(n)) => format!("Instalment {n}: enter a date."),
        (_, InputError::Amount(n, e)) => format!(
            "{} — {}",
            schedule_instalment_n(lang, *n),
            super::pay_error(lang, e)
        ),
        (_, InputError::Schedule(e)) => schedule_error(lang, e),
    }
}

// The back office's queue, debtor page and decisions.
texts! {
    AGENT_QUEUE_TITLE => "À traiter", "To do";
    AGENT_QUEUE_EMPTY => "Rien n’attend de décision. ", "Nothing is waiting for a decision.";
    AGENT_NAV => "Espace recouvrement", "Back office";
    AGENT_WAITING_SINCE => "En attente depuis", "Waiting since";
    AGENT_OPEN_CASE => "Ouvrir le dossier", "Open the case";
    AGENT_TIMELINE => "Historique", "Timeline";
    AGENT_SCHEDULES => "Échéanciers", "Schedules";
    AGENT_NO_SCHEDULE => "Aucun échéancier.", "No schedule.";
    AGENT_ACCEPT => "Accepter", "Accept";
    AGENT_REJECT => "Refuser", "Reject";
    AGENT_REJECT_REASON => "Motif du refus (envoyé au débiteur)", "Reason for rejecting (sent to the debtor)";
    AGENT_COUNTER => "Faire une contre-proposition", "Counter-propose";
    AGENT_COUNTER_NOTE => "Message au débiteur (facultatif)", "Message to the debtor (optional)";
    AGENT_HANDLED => "Marquer comme traité", "Mark as handled";
    AGENT_READ_ONLY => "Votre compte est en lecture seule : vous ne pouvez pas décider.", "Your account is read-only: you cannot decide.";
    AGENT_ERR_CONFLICT => "Ce dossier a changé entre-temps (proposition retirée ou déjà décidée). Rien n’a été modifié.",
        "This case changed meanwhile (the proposal was withdrawn or already decided). Nothing was changed.";
    AGENT_ERR_NOTE => "Indiquez le motif du refus : le débiteur le lira.", "Give the reason for rejecting: the debtor will read it.";
    AGENT_ERR_COUNTER => "La contre-proposition n’est pas valable : vérifiez le nombre d’échéances, le rythme et la date.",
        "The counter-proposal is not valid: check the number of instalments, the rhythm and the date.";
    AGENT_ERR_FORBIDDEN => "Votre compte ne peut pas prendre cette décision.", "Your account cannot take this decision.";
    AGENT_DONE => "C’est fait. Le débiteur est prévenu par e-mail.", "Done. The debtor has been told by email.";
    AGENT_REASONS => "À examiner, car", "To review, because";
    AGENT_OPEN_ITEMS => "Factures ouvertes", "Open invoices";
}

pub fn schedule_state(lang: Lang, s: crate::domain::schedule::ScheduleStatus) -> &'static str {
    use crate::domain::schedule::ScheduleStatus::*;
    match (lang, s) {
        (Lang::Fr, Proposed) => "proposé, à décider",
        (Lang::En, Proposed) => "proposed, to decide",
        (Lang::Fr, Countered) => "contre-proposition envoyée",
        (Lang::En, Countered) => "counter-proposal sent",
        (Lang::Fr, Accepted) => "en cours",
        (Lang::En, Accepted) => "running",
        (Lang::Fr, Rejected) => "refusé",
        (Lang::En, Rejected) => "rejected",
        (Lang::Fr, Withdrawn) => "retiré par le débiteur",
        (Lang::En, Withdrawn) => "withdrawn by the debtor",
        (Lang::Fr, Declined) => "contre-proposition refusée",
        (Lang::En, Declined) => "counter-proposal declined",
        (Lang::Fr, Superseded) => "remplacé par une contre-proposition",
        (Lang::En, Superseded) => "replaced by a counter-proposal",
        (Lang::Fr, Broken) => "rompu (échéance impayée)",
        (Lang::En, Broken) => "broken (instalment unpaid)",
        (Lang::Fr, Completed) => "entièrement payé",
        (Lang::En, Completed) => "fully paid",
    }
}

/// A timeline event's kind in words; unknown kinds are shown as stored.
pub fn event_kind(lang: Lang, kind: &str) -> String {
    let fr = lang == Lang::Fr;
    let s = match kind {
        "link_minted" => {
            if fr {
                "lien envoyé"
            } else {
                "link sent"
            }
        }
        "link_opened" => {
            if fr {
                "lien ouvert"
            } else {
                "link opened"
            }
        }
        "link_revoked" => {
            if fr {
                "lien révoqué"
            } else {
                "link revoked"
            }
        }
        "pdf_downloaded" => {
            if fr {
                "PDF téléchargé"
            } else {
                "PDF downloaded"
            }
        }
        "card_payment_started" => {
            if fr {
                "paiement par carte commencé"
            } else {
                "card payment started"
            }
        }
        "card_payment_failed" => {
            if fr {
                "paiement par carte refusé"
            } else {
                "card payment declined"
            }
        }
        "payment_received" => {
            if fr {
                "paiement reçu"
            } else {
                "payment received"
            }
        }
        "overpayment_credit" => {
            if fr {
                "trop-perçu mis en avoir"
            } else {
                "overpayment kept as credit"
            }
        }
        "schedule_proposed" => {
            if fr {
                "échéancier proposé"
            } else {
                "schedule proposed"
            }
        }
        "schedule_accepted" => {
            if fr {
                "échéancier accepté"
            } else {
                "schedule accepted"
            }
        }
        "schedule_countered" => {
            if fr {
                "contre-proposition"
            } else {
                "counter-proposal"
            }
        }
        "schedule_rejected" => {
            if fr {
                "échéancier refusé"
            } else {
                "schedule rejected"
            }
        }
        "schedule_withdrawn" => {
            if fr {
                "proposition retirée"
            } else {
                "proposal withdrawn"
            }
        }
        "schedule_declined" => {
            if fr {
                "contre-proposition refusée"
            } else {
                "counter-proposal declined"
            }
        }
        "schedule_broken" => {
            if fr {
                "échéancier rompu"
            } else {
                "schedule broken"
            }
        }
        "schedule_completed" => {
            if fr {
                "échéancier soldé"
            } else {
                "schedule completed"
            }
        }
        "schedule_handled" => {
            if fr {
                "dossier traité"
            } else {
                "case handled"
            }
        }
        "instalment_charge_failed" => {
            if fr {
                "prélèvement d’échéance refusé"
            } else {
                "instalment charge declined"
            }
        }
        "schedule_card_saved" => {
            if fr {
                "carte enregistrée pour les échéances"
            } else {
                "card saved for the instalments"
            }
        }
        "instalment_reminder_sent" => {
            if fr {
                "rappel d’échéance envoyé"
            } else {
                "instalment reminder sent"
            }
        }
        "promise_made" => {
            if fr {
                "promesse de paiement"
            } else {
                "promise to pay"
            }
        }
        "promise_kept" => {
            if fr {
                "promesse tenue"
            } else {
                "promise kept"
            }
        }
        "promise_missed" => {
            if fr {
                "promesse non tenue"
            } else {
                "promise missed"
            }
        }
        "promise_handled" => {
            if fr {
                "promesse non tenue traitée"
            } else {
                "missed promise handled"
            }
        }
        "dispute_opened" => {
            if fr {
                "contestation ouverte"
            } else {
                "dispute opened"
            }
        }
        "dispute_debtor_wrote" => {
            if fr {
                "le débiteur a écrit (contestation)"
            } else {
                "debtor wrote (dispute)"
            }
        }
        "dispute_note" => {
            if fr {
                "note interne (contestation)"
            } else {
                "internal note (dispute)"
            }
        }
        "dispute_reply" => {
            if fr {
                "réponse au débiteur (contestation)"
            } else {
                "reply to the debtor (dispute)"
            }
        }
        "dispute_assigned" => {
            if fr {
                "contestation confiée"
            } else {
                "dispute given to an owner"
            }
        }
        "dispute_resolved" => {
            if fr {
                "contestation close"
            } else {
                "dispute resolved"
            }
        }
        "message_from_debtor" => {
            if fr {
                "message du débiteur"
            } else {
                "message from the debtor"
            }
        }
        "message_to_debtor" => {
            if fr {
                "réponse au débiteur"
            } else {
                "answer to the debtor"
            }
        }
        other => return other.replace('_', " "),
    };
    s.to_string()
}

// The schedule rules settings page.
texts! {
    RULES_TITLE => "Règles des échéanciers", "Schedule rules";
    RULES_NAV => "Règles", "Rules";
    RULES_INTRO => "Par tranche de montant : ce qu’un débiteur peut proposer pour être accepté sans attendre. Une proposition hors des règles, ou d’une tranche sans acceptation automatique, va dans la liste « À traiter ». Laissez une tranche vide pour ne pas l’utiliser ; la dernière tranche utilisée peut n’avoir aucune limite haute.",
        "By amount band: what a debtor may propose and have accepted at once. A proposal outside the rules, or in a band without automatic acceptance, goes to the “To do” list. Leave a band empty to leave it out; the last band used may have no upper limit.";
    RULES_CURRENCY => "Devise des montants", "Currency of the amounts";
    RULES_UP_TO => "Jusqu’à (montant exclu ; vide : sans limite)", "Up to (amount excluded; empty: no limit)";
    RULES_MAX_INSTALMENTS => "Nombre d’échéances au plus", "At most this many instalments";
    RULES_MAX_DAYS => "Dernière échéance au plus tard (jours après la proposition)", "Last instalment at the latest (days after the proposal)";
    RULES_MIN_INSTALMENT => "Échéance minimale (vide : aucune)", "Smallest instalment (empty: none)";
    RULES_DOWN_PCT => "Premier versement au moins (% du total)", "First instalment at least (% of the total)";
    RULES_FIRST_WITHIN => "Premier versement au plus tard (jours)", "First instalment at the latest (days)";
    RULES_AUTO => "Accepter automatiquement une proposition dans ces règles", "Accept a proposal within these rules automatically";
    RULES_REMINDER_DAYS => "Rappel amical avant chaque échéance (jours avant)", "Friendly reminder before each instalment (days before)";
    RULES_GRACE_DAYS => "Délai de grâce avant de rompre un échéancier (jours)", "Grace period before a schedule breaks (days)";
    RULES_SAVE => "Enregistrer les règles", "Save the rules";
    RULES_SAVED => "Les règles sont enregistrées. Elles s’appliquent aux nouvelles propositions.", "The rules are saved. They apply to new proposals.";
    RULES_ONLY_ADMINS => "Seul un administrateur peut modifier les règles.", "Only an administrator can change the rules.";
}

pub fn rules_band(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Tranche {n}"),
        Lang::En => format!("Band {n}"),
    }
}

/// Why the rules form was refused (`band` from 1; 0 for the whole form).
pub fn rules_form_error(lang: Lang, code: &str, band: usize) -> String {
    let fr = lang == Lang::Fr;
    let what = match code {
        "number" => {
            if fr {
                "un nombre de jours ou d’échéances n’est pas un nombre entier"
            } else {
                "a number of days or instalments is not a whole number"
            }
        }
        "percent" => {
            if fr {
                "le pourcentage doit être un nombre de 0 à 100, deux décimales au plus"
            } else {
                "the percentage must be a number from 0 to 100, two decimals at most"
            }
        }
        "amount" => {
            if fr {
                "un montant n’est pas lisible"
            } else {
                "an amount cannot be read"
            }
        }
        "currency" => {
            if fr {
                "choisissez une devise"
            } else {
                "choose a currency"
            }
        }
        "days" => {
            if fr {
                "le rappel et le délai de grâce sont des nombres de jours (rappel 0 à 60, délai 0 à 90)"
            } else {
                "the reminder and the grace period are numbers of days (reminder 0 to 60, grace 0 to 90)"
            }
        }
        _ => {
            if fr {
                "les tranches doivent se suivre en montants croissants, de 1 à 60 échéances, 1 096 jours au plus, et seule la dernière peut être sans limite"
            } else {
                "bands must follow each other in increasing amounts, with 1 to 60 instalments, 1,096 days at most, and only the last may have no limit"
            }
        }
    };
    match (lang, band) {
        (_, 0) => format!(
            "{}{}",
            if fr {
                "Règles non enregistrées : "
            } else {
                "Rules not saved: "
            },
            what
        ),
        (Lang::Fr, b) => format!("Règles non enregistrées (tranche {b}) : {what}."),
        (Lang::En, b) => format!("Rules not saved (band {b}): {what}."),
    }
}

// Promises to pay.
texts! {
    PROMISE_TITLE => "Promettre un paiement", "Promise to pay";
    PROMISE_AMOUNT => "Montant", "Amount";
    PROMISE_DATE => "Payé au plus tard le", "Paid by";
    PROMISE_SEND => "Enregistrer ma promesse", "Record my promise";
    PROMISE_DONE => "C’est noté. Nous ne vous relancerons pas d’ici là ; une confirmation vous est envoyée par e-mail.",
        "Noted. We will not chase you until then; a confirmation is on its way by email.";
    PROMISES_MISSED => "Promesses de paiement non tenues", "Promises to pay not kept";
    PROMISES_MISSED_ONE => "promesse non tenue", "promise not kept";
}

pub fn promise_intro(lang: Lang, balance: &str, latest: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Vous devez {balance}. Dites-nous combien vous paierez, et quand (au plus tard le {latest}) : nous suspendons les relances d’ici là."
        ),
        Lang::En => format!(
            "You owe {balance}. Tell us how much you will pay, and when (by {latest} at the latest): we pause reminders until then."
        ),
    }
}

pub fn promise_status(lang: Lang, status: PromiseStatus, amount: &str, date: &str) -> String {
    use PromiseStatus::*;
    match (lang, status) {
        (Lang::Fr, Open) => format!("Vous avez promis de payer {amount} au plus tard le {date}."),
        (Lang::En, Open) => format!("You promised to pay {amount} by {date}."),
        (Lang::Fr, Kept) => format!("Votre promesse de payer {amount} a été tenue. Merci !"),
        (Lang::En, Kept) => format!("Your promise to pay {amount} was kept. Thank you!"),
        (Lang::Fr, Missed) => {
            format!("Votre promesse de payer {amount} au plus tard le {date} n’a pas été tenue.")
        }
        (Lang::En, Missed) => format!("Your promise to pay {amount} by {date} was not kept."),
    }
}

pub fn promise_error(lang: Lang, code: &str) -> String {
    let fr = lang == Lang::Fr;
    match code {
        "pending" => {
            if fr {
                "Vous avez déjà une promesse en cours."
            } else {
                "You already have a promise running."
            }
        }
        "above" => {
            if fr {
                "Le montant dépasse ce que vous devez."
            } else {
                "The amount is more than you owe."
            }
        }
        "amount" => {
            if fr {
                "Ce montant n’est pas lisible, ou il est nul. Écrivez-le par exemple 150 ou 150,50."
            } else {
                "This amount cannot be read, or it is zero. Write it like 150 or 150.50."
            }
        }
        "past" => {
            if fr {
                "La date ne peut pas être dans le passé."
            } else {
                "The date cannot be in the past."
            }
        }
        "far" => {
            if fr {
                "La date est trop lointaine : choisissez-en une plus proche."
            } else {
                "The date is too far ahead: choose an earlier one."
            }
        }
        "date" => {
            if fr {
                "Indiquez une date."
            } else {
                "Enter a date."
            }
        }
        "nothing" => {
            if fr {
                "Vous ne devez rien à ce jour."
            } else {
                "You owe nothing today."
            }
        }
        _ => {
            if fr {
                "Un problème est survenu de notre côté. Réessayez dans un instant."
            } else {
                "Something went wrong on our side. Please try again in a moment."
            }
        }
    }
    .to_string()
}
