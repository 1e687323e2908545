//! The scenario a new creditor uses until it saves its own: polite before the due date, firm
//! at the end, in French and English. Its texts are templates like any creditor's.

use crate::storage::{NewScenario, StepRow, StepTexts};
use app::domain::reminder::Channel;

pub const DEFAULT_SEGMENT: &str = "standard";

fn texts(subject: &str, body: &str, line: &str) -> StepTexts {
    StepTexts {
        subject: subject.into(),
        body: body.into(),
        line: line.into(),
    }
}

const LIST_FR: &str = "{% for i in invoices %}- Facture {{ i.number }} du montant de {{ i.amount }}, reste {{ i.remaining }} : {{ i.wording }}\n{% endfor %}";
const LIST_EN: &str = "{% for i in invoices %}- Invoice {{ i.number }} for {{ i.amount }}, {{ i.remaining }} left: {{ i.wording }}\n{% endfor %}";

fn step(
    offset_days: i64,
    channel: Channel,
    confirm: bool,
    fr: StepTexts,
    en: StepTexts,
) -> StepRow {
    StepRow {
        id: String::new(),
        seq: 0,
        offset_days,
        channel,
        confirm,
        fr,
        en,
    }
}

/// Pre-due −5, first reminder +3, second +15, a call +25, formal notice +40 (an agent
/// confirms it before it goes).
pub fn default_scenario() -> NewScenario {
    NewScenario {
        segment: DEFAULT_SEGMENT.into(),
        name: "Standard".into(),
        steps: vec![
            step(
                -5,
                Channel::Email,
                false,
                texts(
                    "Rappel amical : échéance prochaine",
                    &format!(
                        "Nous vous rappelons simplement que le règlement suivant arrive bientôt à échéance :\n\n{LIST_FR}\nVous pouvez consulter vos factures et payer en ligne en toute sécurité :\n{{{{ link }}}}\n\nSi le paiement est déjà parti, merci de ne pas tenir compte de ce message."
                    ),
                    "à régler avant le {{ due_date }}",
                ),
                texts(
                    "A friendly reminder: payment due soon",
                    &format!(
                        "Just a reminder that the following payment falls due soon:\n\n{LIST_EN}\nYou can see your invoices and pay securely online:\n{{{{ link }}}}\n\nIf you have already paid, please ignore this message."
                    ),
                    "due on {{ due_date }}",
                ),
            ),
            step(
                3,
                Channel::Email,
                false,
                texts(
                    "Facture en attente de règlement",
                    &format!(
                        "Sauf erreur de notre part, nous n’avons pas encore reçu le règlement suivant :\n\n{LIST_FR}\nTotal restant dû : {{{{ total }}}}.\n\nVous pouvez payer en ligne, proposer un échéancier ou nous signaler un problème ici :\n{{{{ link }}}}"
                    ),
                    "échue depuis {{ days_overdue }} jours",
                ),
                texts(
                    "Invoice awaiting payment",
                    &format!(
                        "Unless we are mistaken, we have not yet received the following payment:\n\n{LIST_EN}\nTotal outstanding: {{{{ total }}}}.\n\nYou can pay online, propose a payment plan or tell us about a problem here:\n{{{{ link }}}}"
                    ),
                    "{{ days_overdue }} days overdue",
                ),
            ),
            step(
                15,
                Channel::Email,
                false,
                texts(
                    "Deuxième relance : règlement en retard",
                    &format!(
                        "Malgré notre précédent rappel, les factures suivantes restent impayées :\n\n{LIST_FR}\nTotal restant dû : {{{{ total }}}}.\n\nMerci de régulariser dès que possible. Si vous rencontrez une difficulté, un échéancier peut être proposé en ligne :\n{{{{ link }}}}\n\nPour toute question : {{{{ creditor.email }}}}."
                    ),
                    "en retard de {{ days_overdue }} jours",
                ),
                texts(
                    "Second reminder: payment overdue",
                    &format!(
                        "Despite our previous reminder, the following invoices remain unpaid:\n\n{LIST_EN}\nTotal outstanding: {{{{ total }}}}.\n\nPlease settle as soon as possible. If you are having difficulty, you can propose a payment plan online:\n{{{{ link }}}}\n\nAny question: {{{{ creditor.email }}}}."
                    ),
                    "{{ days_overdue }} days overdue",
                ),
            ),
            step(
                25,
                Channel::Phone,
                false,
                texts(
                    "Appel : factures impayées",
                    &format!(
                        "Appeler {{{{ debtor.name }}}} ({{{{ debtor.reference }}}}) au sujet de :\n\n{LIST_FR}\nTotal : {{{{ total }}}}. Proposer le paiement en ligne ou un échéancier ; noter toute contestation."
                    ),
                    "en retard de {{ days_overdue }} jours",
                ),
                texts(
                    "Call: unpaid invoices",
                    &format!(
                        "Call {{{{ debtor.name }}}} ({{{{ debtor.reference }}}}) about:\n\n{LIST_EN}\nTotal: {{{{ total }}}}. Offer online payment or a payment plan; note any dispute."
                    ),
                    "{{ days_overdue }} days overdue",
                ),
            ),
            step(
                40,
                Channel::FormalNotice,
                true,
                texts(
                    "Mise en demeure de payer",
                    &format!(
                        "Malgré nos relances, les sommes suivantes restent dues :\n\n{LIST_FR}\nTotal restant dû : {{{{ total }}}}.\n{{% if charges %}}\nEn application des articles L441-10 et D441-5 du Code de commerce, nous sommes en droit de réclamer en outre une indemnité forfaitaire pour frais de recouvrement de {{{{ charges.indemnity }}}} et des pénalités de retard de {{{{ charges.interest }}}} à ce jour, soit {{{{ charges.total }}}}.\n{{% endif %}}\nNous vous mettons en demeure de régler ces sommes sous huit jours. À défaut, le dossier pourra être transmis pour recouvrement contentieux.\n\nPour payer ou proposer un échéancier :\n{{{{ link }}}}"
                    ),
                    "en retard de {{ days_overdue }} jours",
                ),
                texts(
                    "Formal notice to pay",
                    &format!(
                        "Despite our reminders, the following amounts remain due:\n\n{LIST_EN}\nTotal outstanding: {{{{ total }}}}.\n{{% if charges %}}\nThe law entitles us to claim in addition a fixed recovery indemnity of {{{{ charges.indemnity }}}} and late interest of {{{{ charges.interest }}}} to date, that is {{{{ charges.total }}}}.\n{{% endif %}}\nWe formally require payment of these amounts within eight days. Failing that, the matter may be handed over for legal recovery.\n\nTo pay or propose a payment plan:\n{{{{ link }}}}"
                    ),
                    "{{ days_overdue }} days overdue",
                ),
            ),
        ],
    }
}
