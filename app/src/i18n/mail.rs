//! Every sentence of the mails the portal sends (server only: none of it is in the Wasm).
//! The composer (`server::kernel::mail`) lays them out; the greeting and the creditor's
//! signature are added there.

use super::Text;
use crate::domain::locale::Lang;

/// "Bonjour Claire," / "Hello Claire,"; without a name, "Bonjour," / "Hello,".
pub fn hello(lang: Lang, name: &str) -> String {
    match (lang, name.trim().is_empty()) {
        (Lang::Fr, false) => format!("Bonjour {name},"),
        (Lang::Fr, true) => "Bonjour,".into(),
        (Lang::En, false) => format!("Hello {name},"),
        (Lang::En, true) => "Hello,".into(),
    }
}

texts! {
    // Fresh links.
    LINK_LABEL => "Ouvrir votre espace", "Open your space";
    LINK_IGNORE => "Si vous n’avez rien demandé, ignorez simplement ce message.",
        "If you did not ask for it, simply ignore this message.";

    // Receipts.
    RECEIPT_ATTACHED => "Votre reçu est joint à ce message (PDF).", "Your receipt is attached (PDF).";

    // Schedules.
    SCHEDULE_ACCEPTED => "Votre échéancier de paiement est accepté. Vous le trouverez en pièce jointe (PDF), avec la date et le montant de chaque échéance. Tant que vous le suivez, les factures qu’il couvre ne font l’objet d’aucune relance. Nous vous écrirons quelques jours avant chaque échéance.",
        "Your payment schedule is accepted. It is attached (PDF), with the date and amount of each instalment. As long as you follow it, the invoices it covers are not chased. We will write a few days before each instalment.";
    SCHEDULE_REJECTED => "Nous ne pouvons pas accepter votre proposition d’échéancier.",
        "We cannot accept your schedule proposal.";
    SCHEDULE_PROPOSE_AGAIN => "Vous pouvez en proposer une autre depuis le lien ci-dessous.",
        "You can propose another one from the link below.";
    SCHEDULE_COUNTER_OPEN => "Ouvrez le lien ci-dessous pour le lire, puis l’accepter ou le refuser.",
        "Open the link below to read it, then accept or decline it.";
    SCHEDULE_BROKEN => "Une échéance de votre échéancier n’a pas été payée dans le délai prévu. L’échéancier a donc pris fin et les factures qu’il couvrait sont de nouveau à régler. Si vous rencontrez une difficulté, répondez-nous ou faites une nouvelle proposition depuis le lien ci-dessous.",
        "An instalment of your schedule was not paid in time. The schedule has therefore ended, and the invoices it covered are due again. If you are having difficulties, write to us or make a new proposal from the link below.";

    // Promises to pay.
    PROMISE_MADE_SUBJECT => "Votre promesse de paiement est notée", "Your promise to pay is noted";
    PROMISE_KEPT_SUBJECT => "Merci pour votre paiement", "Thank you for your payment";
    PROMISE_MISSED_SUBJECT => "Votre paiement promis", "Your promised payment";

    // Disputes.
    DISPUTE_RECORDED_SUBJECT => "Votre contestation est enregistrée", "Your dispute is recorded";
    DISPUTE_ANSWER_SUBJECT => "Réponse à votre contestation", "An answer about your dispute";
    DISPUTE_RESOLVED_SUBJECT => "Votre contestation est traitée", "Your dispute is resolved";
    TEAM_ANSWERED => "Notre équipe vous a répondu\u{A0}:", "Our team has answered you:";

    // Messages.
    MESSAGE_ANSWER_SUBJECT => "Réponse à votre message", "An answer to your message";

    // Agents' invitations and password resets.
    PASSWORD_LABEL => "Choisir mon mot de passe", "Choose my password";
    RESET_IGNORE => "Si vous n’avez rien demandé, ignorez ce message\u{A0}: votre mot de passe ne change pas.",
        "If you did not ask for it, ignore this message: your password does not change.";
}

pub fn link_intro(lang: Lang, creditor: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Voici votre nouveau lien pour consulter votre relevé de compte chez {creditor}\u{A0}:"
        ),
        Lang::En => {
            format!("Here is your new link to see your statement of account with {creditor}:")
        }
    }
}

pub fn link_validity(lang: Lang, until: &str) -> String {
    match lang {
        Lang::Fr => {
            format!("Ce lien personnel est valable jusqu’au {until}. Ne le transférez pas.")
        }
        Lang::En => format!("This personal link works until {until}. Please do not forward it."),
    }
}

pub fn receipt_received(lang: Lang, amount: &str) -> String {
    match lang {
        Lang::Fr => format!("Nous avons bien reçu votre paiement de {amount}. Merci\u{A0}!"),
        Lang::En => format!("We have received your payment of {amount}. Thank you!"),
    }
}

pub fn receipt_follow(lang: Lang, creditor: &str, public_url: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Vous pouvez suivre votre compte depuis le lien de votre dernier e-mail de {creditor}, ou en demander un nouveau sur {public_url}."
        ),
        Lang::En => format!(
            "You can follow your account from the link in your latest email from {creditor}, or ask for a new one at {public_url}."
        ),
    }
}

pub fn schedule_received(lang: Lang, creditor: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Nous avons bien reçu votre proposition d’échéancier. Une personne de {creditor} l’examine et vous répondra par e-mail."
        ),
        Lang::En => format!(
            "We have received your schedule proposal. Someone at {creditor} will review it and answer you by email."
        ),
    }
}

/// "Motif : …" / "Reason: …", the agent's own words.
pub fn reason(lang: Lang, note: &str) -> String {
    match lang {
        Lang::Fr => format!("Motif\u{A0}: {note}"),
        Lang::En => format!("Reason: {note}"),
    }
}

/// "Message : …" / "Message: …", the agent's own words.
pub fn their_message(lang: Lang, note: &str) -> String {
    match lang {
        Lang::Fr => format!("Message\u{A0}: {note}"),
        Lang::En => format!("Message: {note}"),
    }
}

pub fn schedule_countered(lang: Lang, creditor: &str) -> String {
    match lang {
        Lang::Fr => format!("{creditor} vous propose un autre échéancier."),
        Lang::En => format!("{creditor} offers you a different schedule."),
    }
}

pub fn schedule_reminder(lang: Lang, seq: u32, amount: &str, due: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Petit rappel\u{A0}: l’échéance {seq} de votre échéancier, {amount}, tombe le {due}. Vous pouvez la payer depuis le lien ci-dessous. Si c’est déjà fait, merci, et ignorez ce message."
        ),
        Lang::En => format!(
            "A friendly reminder: instalment {seq} of your schedule, {amount}, falls due on {due}. You can pay it from the link below. If you already have, thank you, and please ignore this message."
        ),
    }
}

pub fn schedule_charge_failed(lang: Lang, seq: u32, amount: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Nous n’avons pas pu débiter l’échéance {seq} de votre échéancier ({amount}) sur la carte enregistrée. Rien n’a été débité. Vous pouvez la payer depuis le lien ci-dessous, par carte ou par virement."
        ),
        Lang::En => format!(
            "We could not charge instalment {seq} of your schedule ({amount}) to the saved card. Nothing was charged. You can pay it from the link below, by card or bank transfer."
        ),
    }
}

pub fn promise_made(lang: Lang, amount: &str, date: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Nous avons noté votre promesse de payer {amount} au plus tard le {date}. Nous ne vous relancerons pas d’ici là."
        ),
        Lang::En => format!(
            "We have noted your promise to pay {amount} by {date}. We will not chase you until then."
        ),
    }
}

pub fn promise_kept(lang: Lang, amount: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Votre paiement est arrivé\u{A0}: votre promesse de payer {amount} est tenue. Merci\u{A0}!"
        ),
        Lang::En => {
            format!("Your payment has arrived: your promise to pay {amount} is kept. Thank you!")
        }
    }
}

pub fn promise_missed(lang: Lang, amount: &str, date: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Vous aviez prévu de payer {amount} au plus tard le {date}, et nous ne l’avons pas encore reçu. Si c’est en cours, merci\u{A0}; sinon, vous pouvez payer ou nous écrire depuis le lien ci-dessous."
        ),
        Lang::En => format!(
            "You planned to pay {amount} by {date}, and we have not received it yet. If it is on its way, thank you; otherwise you can pay or write to us from the link below."
        ),
    }
}

pub fn dispute_recorded(lang: Lang, numbers: &str, amount: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Nous avons bien reçu votre contestation ({numbers}, {amount}). Ces factures ne vous seront plus réclamées tant qu’une personne de notre équipe ne l’aura pas examinée\u{A0}; nous vous écrirons à chaque étape."
        ),
        Lang::En => format!(
            "We have received your dispute ({numbers}, {amount}). We will not ask you to pay these invoices until someone in our team has looked at it; we will write to you at each step."
        ),
    }
}

/// The files of a reply wait in the portal: files never go by mail.
pub fn files_waiting(lang: Lang, names: &str) -> String {
    match lang {
        Lang::Fr => format!("Pièces jointes, à ouvrir dans votre espace\u{A0}: {names}"),
        Lang::En => format!("Attached, to open in your portal: {names}"),
    }
}

pub fn dispute_accepted(lang: Lang, numbers: &str, credit: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Votre contestation sur {numbers} est acceptée\u{A0}: un avoir de {credit} est déduit de ce que vous devez."
        ),
        Lang::En => format!(
            "Your dispute about {numbers} is accepted: a credit note of {credit} is taken off what you owe."
        ),
    }
}

pub fn dispute_partly_accepted(lang: Lang, numbers: &str, credit: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Votre contestation sur {numbers} est acceptée en partie\u{A0}: un avoir de {credit} est déduit, et le reste est de nouveau dû."
        ),
        Lang::En => format!(
            "Your dispute about {numbers} is partly accepted: a credit note of {credit} is taken off, and the rest is due again."
        ),
    }
}

pub fn dispute_rejected(lang: Lang, numbers: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Après examen, votre contestation sur {numbers} n’est pas retenue\u{A0}: ces factures sont de nouveau dues."
        ),
        Lang::En => format!(
            "We have looked at your dispute about {numbers} and cannot accept it: these invoices are due again."
        ),
    }
}

// What the collection team is told (in the creditor's language).

pub fn team_new_dispute_subject(lang: Lang, debtor: &str) -> String {
    match lang {
        Lang::Fr => format!("Nouvelle contestation\u{A0}: {debtor}"),
        Lang::En => format!("New dispute: {debtor}"),
    }
}

pub fn team_new_dispute(
    lang: Lang,
    debtor: &str,
    reference: &str,
    numbers: &str,
    amount: &str,
) -> String {
    match lang {
        Lang::Fr => format!("{debtor} ({reference}) conteste {numbers} ({amount})."),
        Lang::En => format!("{debtor} ({reference}) contests {numbers} ({amount})."),
    }
}

pub fn team_dispute_reply_subject(lang: Lang, debtor: &str) -> String {
    match lang {
        Lang::Fr => format!("Réponse à une contestation\u{A0}: {debtor}"),
        Lang::En => format!("A reply on a dispute: {debtor}"),
    }
}

pub fn team_debtor_wrote(lang: Lang, debtor: &str, reference: &str) -> String {
    match lang {
        Lang::Fr => format!("{debtor} ({reference}) a écrit\u{A0}:"),
        Lang::En => format!("{debtor} ({reference}) wrote:"),
    }
}

pub fn owner_assigned_subject(lang: Lang, debtor: &str) -> String {
    match lang {
        Lang::Fr => format!("Une contestation vous est confiée\u{A0}: {debtor}"),
        Lang::En => format!("A dispute is given to you: {debtor}"),
    }
}

pub fn owner_assigned(
    lang: Lang,
    agent: &str,
    debtor: &str,
    reference: &str,
    numbers: &str,
    amount: &str,
) -> String {
    match lang {
        Lang::Fr => format!(
            "{agent} vous confie la contestation de {debtor} ({reference}) sur {numbers}, {amount}."
        ),
        Lang::En => format!(
            "{agent} gives you the dispute of {debtor} ({reference}) about {numbers}, {amount}."
        ),
    }
}

pub fn team_message_subject(lang: Lang, debtor: &str) -> String {
    match lang {
        Lang::Fr => format!("Message de {debtor}"),
        Lang::En => format!("Message from {debtor}"),
    }
}

pub fn team_message(lang: Lang, debtor: &str, reference: &str) -> String {
    match lang {
        Lang::Fr => format!("{debtor} ({reference}) vous écrit depuis le portail\u{A0}:"),
        Lang::En => format!("{debtor} ({reference}) writes to you from the portal:"),
    }
}

// Agents' invitations and password resets (sent in French and English: an agent has no
// language of their own yet).

pub fn invite_subject(creditor: &str) -> String {
    format!(
        "Invitation à l’espace recouvrement de {creditor} / Invitation to {creditor}’s back office"
    )
}

pub fn reset_subject(creditor: &str) -> String {
    format!("Nouveau mot de passe — {creditor} / New password — {creditor}")
}

pub fn invited(lang: Lang, creditor: &str) -> String {
    match lang {
        Lang::Fr => format!(
            "Vous êtes invité(e) à l’espace recouvrement de {creditor}. Choisissez votre mot de passe avec ce lien, valable 7 jours et une seule fois\u{A0}:"
        ),
        Lang::En => format!(
            "You are invited to {creditor}’s collections back office. Choose your password with this link, which works once within 7 days:"
        ),
    }
}

pub fn reset(lang: Lang) -> &'static str {
    match lang {
        Lang::Fr => {
            "Pour choisir un nouveau mot de passe, ouvrez ce lien, valable une heure et une seule fois."
        }
        Lang::En => "To choose a new password, open this link, which works once within an hour.",
    }
}
