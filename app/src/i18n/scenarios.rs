//! The sentences of the reminder scenarios pages (settings, steps, preview, simulation).

use super::Text;
use crate::domain::locale::Lang;

texts! {
    SCENARIOS_TITLE => "Scénarios de relance", "Reminder scenarios";
    REMINDERS_NAV => "Relances", "Reminders";
    REMINDERS_TITLE => "Relances : réglages et scénarios", "Reminders: settings and scenarios";
    REMINDERS_INTRO => "Quand les relances partent, à quel rythme, et ce que dit chaque étape, par segment de débiteurs.", "When reminders go out, how often, and what each step says, by segment of debtors.";
    ONLY_ADMINS => "Seuls les administrateurs modifient les relances ; vous pouvez les consulter.", "Only admins change reminders; you can read them.";
    SETTINGS_H => "Quand envoyer", "When to send";
    SETTINGS_HINT => "Jours et heures dans le fuseau horaire du débiteur ; les jours fériés de son pays sont sautés.", "Days and hours in the debtor's time zone; public holidays of their country are skipped.";
    SENDING_DAYS => "Jours d'envoi", "Sending days";
    START_HOUR => "Heure de début (ex. 9 ou 9:30)", "Start time (e.g. 9 or 9:30)";
    END_HOUR => "Heure de fin (ex. 18)", "End time (e.g. 18)";
    MIN_GAP => "Écart minimum entre deux relances à un débiteur (jours)", "Minimum gap between two reminders to one debtor (days)";
    WEEKLY_CAP => "Relances au plus sur sept jours", "Reminders at most in seven days";
    CHARGES_H => "Pénalités de retard (débiteurs professionnels)", "Late charges (business debtors)";
    CHARGES_HINT => "Ce que la loi permet de réclamer en plus des factures, montré sur la mise en demeure et le relevé, jamais ajouté au solde. Les particuliers n’en paient jamais.",
        "What the law lets you claim on top of the invoices, shown on the formal notice and the statement, never added to the balance. Consumers never pay any.";
    CHARGES_REGIME => "Régime", "Regime";
    REGIME_FRANCE => "France : 40 € par facture, taux BCE + 10 points (L441-10, D441-5)", "France: EUR 40 per invoice, ECB rate + 10 points (L441-10, D441-5)";
    REGIME_UK => "Royaume-Uni : 40 / 70 / 100 £, taux de base + 8 points", "United Kingdom: GBP 40 / 70 / 100, base rate + 8 points";
    CHARGES_MARGIN => "Majoration du taux de référence (points de pourcentage)", "Margin over the reference rate (percentage points)";
    CHARGES_RATES => "Taux de référence par semestre (un par ligne : 2026-S2 2,15)", "Reference rate per half-year (one per line: 2026-S2 2.15)";
    CHARGES_RATES_HINT => "Le taux en vigueur au 1er janvier (S1) ou au 1er juillet (S2). Sans taux pour un semestre, aucun intérêt n’est réclamé pour lui : la mise en demeure et le relevé n’en montrent pas plutôt qu’un montant faux.",
        "The rate in force on 1 January (S1) or 1 July (S2). Without a rate for a half-year, no interest is claimed for it: the formal notice and the statement show none rather than a wrong amount.";
    PHASE_DAYS => "Durée de la phase amiable après la première étape échue (jours)", "Length of the amicable phase after the first overdue step (days)";
    SAVE_SETTINGS => "Enregistrer les réglages", "Save the settings";
    SETTINGS_SAVED => "Réglages enregistrés.", "Settings saved.";
    SCENARIOS_H => "Scénarios par segment", "Scenarios by segment";
    SEGMENT => "Segment", "Segment";
    NAME => "Nom", "Name";
    STEPS => "Étapes", "Steps";
    BUILT_IN => "scénario par défaut (non enregistré)", "default scenario (not saved)";
    OPEN => "Ouvrir", "Open";
    SIMULATE => "Simuler", "Simulate";
    NEW_SCENARIO_H => "Scénario pour un nouveau segment", "Scenario for a new segment";
    NEW_SEGMENT => "Nom du segment (lettres, chiffres, - ou _)", "Segment name (letters, digits, - or _)";
    NEW_SCENARIO => "Créer le scénario", "Create the scenario";
    BACK_TO_REMINDERS => "Retour aux relances", "Back to reminders";
    SCENARIO_NAME => "Nom du scénario", "Scenario name";
    BUILT_IN_NOTICE => "Ce segment suit le scénario par défaut : enregistrez-le pour en faire le vôtre.", "This segment follows the default scenario: save it to make it your own.";
    SCENARIO_SAVED => "Scénario enregistré.", "Scenario saved.";
    VARIABLES => "Variables : {{ debtor.name }}, {{ debtor.reference }}, {{ creditor.name }}, {{ creditor.email }}, {{ link }}, {{ total }}, {% for i in invoices %}{{ i.number }} {{ i.amount }} {{ i.remaining }} {{ i.due_date }} {{ i.days_overdue }} {{ i.wording }}{% endfor %}, {% if charges %}{{ charges.total }}{% endif %}. Dans le libellé d'une facture : {{ number }}, {{ amount }}, {{ remaining }}, {{ due_date }}, {{ days_overdue }}.", "Variables: {{ debtor.name }}, {{ debtor.reference }}, {{ creditor.name }}, {{ creditor.email }}, {{ link }}, {{ total }}, {% for i in invoices %}{{ i.number }} {{ i.amount }} {{ i.remaining }} {{ i.due_date }} {{ i.days_overdue }} {{ i.wording }}{% endfor %}, {% if charges %}{{ charges.total }}{% endif %}. In an invoice's wording: {{ number }}, {{ amount }}, {{ remaining }}, {{ due_date }}, {{ days_overdue }}.";
    OFFSET => "Jour par rapport à l'échéance (négatif : avant)", "Day from the due date (negative: before)";
    CHANNEL => "Canal", "Channel";
    CONFIRM => "Un agent confirme la mise en demeure avant l'envoi", "An agent confirms the formal notice before it goes";
    SUBJECT_FR => "Objet (français)", "Subject (French)";
    BODY_FR => "Texte (français)", "Text (French)";
    LINE_FR => "Libellé de chaque facture (français)", "Wording beside each invoice (French)";
    SUBJECT_EN => "Objet (anglais)", "Subject (English)";
    BODY_EN => "Texte (anglais)", "Text (English)";
    LINE_EN => "Libellé de chaque facture (anglais)", "Wording beside each invoice (English)";
    PREVIEW_DEBTOR => "Débiteur de l'aperçu (référence ; vide : le premier qui a une facture ouverte)", "Debtor for the preview (reference; empty: the first with an open invoice)";
    ADD_STEP => "Ajouter une étape", "Add a step";
    SAVE_SCENARIO => "Enregistrer le scénario", "Save the scenario";
    PREVIEW_H => "Aperçu", "Preview";
    PREVIEW_NOTE => "Rien n'est enregistré ; le lien du portail est créé à l'envoi. Sont listées les factures échues depuis au moins le jour de l'étape (toutes s'il n'y en a pas).", "Nothing is saved; the portal link is minted when the mail goes. Listed: the invoices at least as many days past due as the step's day (all of them if there are none).";
    FRENCH => "Français", "French";
    ENGLISH => "Anglais", "English";
    SUBJECT => "Objet", "Subject";
    TEXT => "Texte", "Text";
    HTML_SOURCE => "Corps HTML du courriel, tel qu'il part (échappé)", "The mail's HTML body, as it goes (escaped)";
    SIMULATION_TITLE => "Simulation des relances", "Reminder simulation";
    SIMULATION_INTRO => "Ce que la relance automatique ferait, jour par jour, calculé par le même code que l'envoi réel.", "What the reminder run would do, day by day, computed by the same code as the real run.";
    SIM_SEGMENT => "Segment", "Segment";
    SIM_DEBTOR => "ou un débiteur (référence)", "or one debtor (reference)";
    SIM_DAY => "Jour", "Day";
    SIM_DEBTOR_COL => "Débiteur", "Debtor";
    SIM_TO => "À", "To";
    SIM_STEP => "Étape", "Step";
    SIM_INVOICES => "Factures", "Invoices";
    SIM_AGENT => "un agent (file de travail)", "an agent (work queue)";
    SIM_NOTHING => "Rien ne serait envoyé sur cette période.", "Nothing would be sent in this period.";
    SIM_UNKNOWN_DEBTOR => "Aucun débiteur avec cette référence n'a de facture ouverte.", "No debtor with this reference has an open invoice.";
    SIM_CAPTION => "Relances prévues", "Planned reminders";
}

pub fn weekday(lang: Lang, i: usize) -> &'static str {
    const FR: [&str; 7] = [
        "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
    ];
    const EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    let names = if lang == Lang::Fr { FR } else { EN };
    names.get(i).copied().unwrap_or("")
}

pub fn channel(lang: Lang, code: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (code, fr) {
        ("email", true) => "courriel",
        ("email", false) => "email",
        ("phone", true) => "appel téléphonique",
        ("phone", false) => "phone call",
        ("letter", true) => "courrier postal",
        ("letter", false) => "letter",
        ("formal_notice", true) => "mise en demeure",
        ("formal_notice", false) => "formal notice",
        (_, true) => "inconnu",
        (_, false) => "unknown",
    }
}

pub fn scenario_title(lang: Lang, segment: &str) -> String {
    match lang {
        Lang::Fr => format!("Scénario du segment « {segment} »"),
        Lang::En => format!("Scenario of the “{segment}” segment"),
    }
}

pub fn step_legend(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Étape {n}"),
        Lang::En => format!("Step {n}"),
    }
}

pub fn preview_step(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Aperçu de l'étape {n}"),
        Lang::En => format!("Preview step {n}"),
    }
}

pub fn remove_step(lang: Lang, n: usize) -> String {
    match lang {
        Lang::Fr => format!("Retirer l'étape {n}"),
        Lang::En => format!("Remove step {n}"),
    }
}

pub fn preview_heading(lang: Lang, n: usize, name: &str, reference: &str) -> String {
    match lang {
        Lang::Fr => format!("Aperçu de l'étape {n} pour {name} ({reference})"),
        Lang::En => format!("Preview of step {n} for {name} ({reference})"),
    }
}

pub fn steps_count(lang: Lang, n: usize, max: usize) -> String {
    match lang {
        Lang::Fr => format!("{n} étape(s) sur {max} au plus."),
        Lang::En => format!("{n} step(s) of {max} at most."),
    }
}

pub fn simulated(lang: Lang, debtors: usize, days: i64) -> String {
    match lang {
        Lang::Fr => format!("{debtors} débiteur(s) simulé(s) sur les {days} prochains jours."),
        Lang::En => format!("{debtors} debtor(s) simulated over the next {days} days."),
    }
}

pub fn capped(lang: Lang, cap: usize) -> String {
    match lang {
        Lang::Fr => format!(
            "Le segment compte plus de {cap} débiteurs : seuls les {cap} premiers sont simulés."
        ),
        Lang::En => {
            format!("The segment has more than {cap} debtors: only the first {cap} are simulated.")
        }
    }
}

/// A field of a step, as the error message names it.
fn field(lang: Lang, name: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (name, fr) {
        ("subject_fr", true) => "objet en français",
        ("subject_fr", false) => "French subject",
        ("body_fr", true) => "texte en français",
        ("body_fr", false) => "French text",
        ("line_fr", true) => "libellé de facture en français",
        ("line_fr", false) => "French invoice wording",
        ("subject_en", true) => "objet en anglais",
        ("subject_en", false) => "English subject",
        ("body_en", true) => "texte en anglais",
        ("body_en", false) => "English text",
        ("line_en", true) => "libellé de facture en anglais",
        ("line_en", false) => "English invoice wording",
        (_, true) => "champ",
        (_, false) => "field",
    }
}

/// What is wrong, by code.
fn reason(lang: Lang, code: &str) -> &'static str {
    let fr = lang == Lang::Fr;
    match (code, fr) {
        ("forbidden", true) => "seuls les administrateurs modifient les relances.",
        ("forbidden", false) => "only admins change reminders.",
        ("duplicate", true) => {
            "le formulaire a été envoyé avec un même champ en double ; rien n'a été enregistré, vérifiez et renvoyez-le."
        }
        ("duplicate", false) => {
            "the form came with the same field twice; nothing was saved, check it and send it again."
        }
        ("hour", true) => "écrivez une heure entre 0 et 24 (ex. 9 ou 9:30).",
        ("hour", false) => "write a time between 0 and 24 (e.g. 9 or 9:30).",
        ("no_day", true) => "cochez au moins un jour d'envoi.",
        ("no_day", false) => "tick at least one sending day.",
        ("hours_order", true) => "l'heure de début doit précéder l'heure de fin.",
        ("hours_order", false) => "the start time must come before the end time.",
        ("gap", true) => "l'écart entre deux relances est de 1 à 60 jours.",
        ("gap", false) => "the gap between two reminders is 1 to 60 days.",
        ("cap", true) => "le plafond hebdomadaire est de 1 à 7 relances.",
        ("cap", false) => "the weekly cap is 1 to 7 reminders.",
        ("regime", true) => "choisissez le régime des pénalités : France ou Royaume-Uni.",
        ("regime", false) => "choose the late-charge regime: France or United Kingdom.",
        ("margin", true) => {
            "la majoration est un pourcentage de 0 à 30 (ex. 10), deux décimales au plus."
        }
        ("margin", false) => {
            "the margin is a percentage from 0 to 30 (e.g. 10), two decimals at most."
        }
        ("rates", true) => {
            "écrivez un semestre par ligne, sous la forme « 2026-S2 2,15 » (S1 : janvier à juin, S2 : juillet à décembre), chacun une seule fois."
        }
        ("rates", false) => {
            "write one half-year per line, as “2026-S2 2.15” (S1: January to June, S2: July to December), each once."
        }
        ("phase", true) => "la phase amiable dure de 1 à 365 jours.",
        ("phase", false) => "the amicable phase lasts 1 to 365 days.",
        ("segment", true) => "le segment compte 1 à 40 lettres, chiffres, - ou _.",
        ("segment", false) => "the segment is 1 to 40 letters, digits, - or _.",
        ("name", true) => "donnez au scénario un nom de 1 à 80 caractères.",
        ("name", false) => "give the scenario a name of 1 to 80 characters.",
        ("offset", true) => {
            "le jour est un nombre entier de jours depuis l'échéance (ex. -5, 0, 15)."
        }
        ("offset", false) => {
            "the day is a whole number of days from the due date (e.g. -5, 0, 15)."
        }
        ("offset_range", true) => "le jour va de -60 à 365.",
        ("offset_range", false) => "the day goes from -60 to 365.",
        ("order", true) => "chaque étape vient un jour plus tard que celle du dessus.",
        ("order", false) => "each step comes on a later day than the one above it.",
        ("channel", true) => "choisissez un canal.",
        ("channel", false) => "choose a channel.",
        ("no_step", true) => "un scénario a au moins une étape.",
        ("no_step", false) => "a scenario has at least one step.",
        ("too_many", true) => "un scénario a au plus 12 étapes.",
        ("too_many", false) => "a scenario has at most 12 steps.",
        ("template_empty", true) => "ce texte est vide.",
        ("template_empty", false) => "this text is empty.",
        ("template_too_long", true) => {
            "ce texte est trop long (plus de 20 000 octets) : raccourcissez-le."
        }
        ("template_too_long", false) => "this text is too long (over 20,000 bytes): shorten it.",
        ("template_multiline", true) => "un objet ou un libellé tient sur une ligne.",
        ("template_multiline", false) => "a subject or a wording fits on one line.",
        ("template_syntax", true) => "une balise {{ }} ou {% %} est mal formée.",
        ("template_syntax", false) => "a {{ }} or {% %} tag is malformed.",
        ("template_unknown", true) => "variable inconnue.",
        ("template_unknown", false) => "unknown variable.",
        ("template_script", true) => "les scripts et le code exécutable sont refusés.",
        ("template_script", false) => "scripts and executable markup are refused.",
        ("template_unsupported", true) => "cette instruction ou ce filtre n'est pas permis.",
        ("template_unsupported", false) => "this statement or filter is not allowed.",
        ("template_render", true) => "ce texte ne peut pas être produit.",
        ("template_render", false) => "this text cannot be produced.",
        ("no_debtor", true) => "aucun débiteur n'a de facture ouverte pour l'aperçu.",
        ("no_debtor", false) => "no debtor has an open invoice for the preview.",
        ("debtor_unknown", true) => "aucun débiteur avec cette référence n'a de facture ouverte.",
        ("debtor_unknown", false) => "no debtor with this reference has an open invoice.",
        (_, true) => "quelque chose ne va pas.",
        (_, false) => "something is wrong.",
    }
}

/// Why a form came back, and where: "Step 2, French text, line 3: unknown variable. (detail)".
pub fn refusal(
    lang: Lang,
    code: &str,
    step: usize,
    field_name: Option<&str>,
    line: Option<usize>,
    detail: &str,
) -> String {
    let fr = lang == Lang::Fr;
    let mut at = vec![];
    if step > 0 {
        at.push(step_legend(lang, step));
    }
    if let Some(f) = field_name {
        at.push(field(lang, f).to_string());
    }
    if let Some(l) = line {
        at.push(if fr {
            format!("ligne {l}")
        } else {
            format!("line {l}")
        });
    }
    let head = if at.is_empty() {
        if fr {
            "Refusé".to_string()
        } else {
            "Refused".to_string()
        }
    } else {
        at.join(", ")
    };
    let sep = if fr { " : " } else { ": " };
    // The engine's words name the variable or tag; they are in English.
    let detail = if code.starts_with("template_") && !detail.is_empty() {
        format!(" ({detail})")
    } else {
        String::new()
    };
    format!("{head}{sep}{}{detail}", reason(lang, code))
}
