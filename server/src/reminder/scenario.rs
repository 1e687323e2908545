//! Saving a scenario an admin edited: every step and every template checked first, the first
//! fault reported with its step, language and field (and the template's line), nothing saved
//! unless everything is right.

use super::template::{self, Part, TemplateError};
use crate::kernel::AppState;
use crate::storage::{NewScenario, StepRow, StepTexts, StorageError};
use app::domain::locale::Lang;
use app::domain::reminder::{Channel, Scenario, ScenarioError};

/// One step as the form sends it: text fields as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct StepForm {
    pub offset_days: String,
    pub channel: String,
    pub confirm: bool,
    pub subject_fr: String,
    pub body_fr: String,
    pub line_fr: String,
    pub subject_en: String,
    pub body_en: String,
    pub line_en: String,
}

impl StepForm {
    /// A stored step back in the form.
    pub fn from_row(s: &StepRow) -> Self {
        Self {
            offset_days: s.offset_days.to_string(),
            channel: s.channel.as_str().into(),
            confirm: s.confirm,
            subject_fr: s.fr.subject.clone(),
            body_fr: s.fr.body.clone(),
            line_fr: s.fr.line.clone(),
            subject_en: s.en.subject.clone(),
            body_en: s.en.body.clone(),
            line_en: s.en.line.clone(),
        }
    }
}

/// What is wrong, and where: `step` is 1-based (0: the scenario as a whole).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("step {step}{}: {message}", field.map(|f| format!(", {f}")).unwrap_or_default())]
pub struct FormError {
    /// What is wrong, by name, for the page to word: "offset", "offset_range", "order",
    /// "channel", "no_step", "too_many", "phase", "segment", "name", or "template_<kind>".
    pub code: &'static str,
    pub step: usize,
    /// e.g. "body_fr"; None for the step as a whole.
    pub field: Option<&'static str>,
    pub lang: Option<Lang>,
    pub template: Option<TemplateError>,
    pub message: String,
}

fn at(code: &'static str, step: usize, message: impl Into<String>) -> FormError {
    FormError {
        code,
        step,
        field: None,
        lang: None,
        template: None,
        message: message.into(),
    }
}

const SEGMENT_MAX: usize = 40;

/// Checks a segment name: a short word an agent can type on a debtor's page.
pub fn check_segment(segment: &str) -> Result<String, FormError> {
    let s = segment.trim().to_lowercase();
    if s.is_empty()
        || s.len() > SEGMENT_MAX
        || !s
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(at(
            "segment",
            0,
            "the segment is 1 to 40 letters, digits, - or _",
        ));
    }
    Ok(s)
}

/// Every step checked, in order: its day and channel, then each of its six templates.
pub fn check(steps: &[StepForm], phase_days: i64) -> Result<Vec<StepRow>, FormError> {
    let mut rows = vec![];
    for (i, f) in steps.iter().enumerate() {
        let n = i + 1;
        let offset: i64 = f.offset_days.trim().parse().map_err(|_| {
            at(
                "offset",
                n,
                "the day must be a whole number of days from the due date (e.g. -5, 0, 15)",
            )
        })?;
        let channel =
            Channel::parse(f.channel.trim()).ok_or_else(|| at("channel", n, "choose a channel"))?;
        let fields: [(&'static str, Lang, Part, &str); 6] = [
            ("subject_fr", Lang::Fr, Part::Subject, &f.subject_fr),
            ("body_fr", Lang::Fr, Part::Body, &f.body_fr),
            ("line_fr", Lang::Fr, Part::Line, &f.line_fr),
            ("subject_en", Lang::En, Part::Subject, &f.subject_en),
            ("body_en", Lang::En, Part::Body, &f.body_en),
            ("line_en", Lang::En, Part::Line, &f.line_en),
        ];
        for (field, lang, part, source) in fields {
            template::validate(part, source).map_err(|e| FormError {
                code: template_code(e.kind),
                step: n,
                field: Some(field),
                lang: Some(lang),
                message: e.to_string(),
                template: Some(e),
            })?;
        }
        rows.push(StepRow {
            id: String::new(),
            seq: n as i64,
            offset_days: offset,
            channel,
            confirm: channel == Channel::FormalNotice && f.confirm,
            fr: StepTexts {
                subject: f.subject_fr.trim().into(),
                body: f.body_fr.trim_end().into(),
                line: f.line_fr.trim().into(),
            },
            en: StepTexts {
                subject: f.subject_en.trim().into(),
                body: f.body_en.trim_end().into(),
                line: f.line_en.trim().into(),
            },
        });
    }
    let rules: Vec<_> = rows
        .iter()
        .map(|s| (s.offset_days, s.channel, s.confirm))
        .collect();
    Scenario::new(&rules, phase_days).map_err(|e| match e {
        ScenarioError::OffsetOutOfRange { position } => at("offset_range", position, e.to_string()),
        ScenarioError::OutOfOrder { position } => at("order", position, e.to_string()),
        ScenarioError::NoStep => at("no_step", 0, e.to_string()),
        ScenarioError::TooManySteps => at("too_many", 0, e.to_string()),
        ScenarioError::PhaseOutOfRange => at("phase", 0, e.to_string()),
    })?;
    Ok(rows)
}

fn template_code(kind: template::TemplateErrorKind) -> &'static str {
    use template::TemplateErrorKind as K;
    match kind {
        K::Empty => "template_empty",
        K::TooLong => "template_too_long",
        K::MultiLine => "template_multiline",
        K::Syntax => "template_syntax",
        K::UnknownVariable => "template_unknown",
        K::Script => "template_script",
        K::Unsupported => "template_unsupported",
        K::Render => "template_render",
    }
}

#[derive(Debug)]
pub enum SaveError {
    Invalid(FormError),
    Storage(StorageError),
}

/// Checks, then saves the segment's scenario in one transaction.
pub async fn save(
    state: &AppState,
    creditor_id: &str,
    segment: &str,
    name: &str,
    steps: &[StepForm],
    actor: &str,
) -> Result<String, SaveError> {
    let segment = check_segment(segment).map_err(SaveError::Invalid)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 80 {
        return Err(SaveError::Invalid(at(
            "name",
            0,
            "the scenario needs a name of 1 to 80 characters",
        )));
    }
    let settings = state
        .storage
        .reminder_settings(creditor_id)
        .await
        .map_err(SaveError::Storage)?;
    let mut rows = check(steps, settings.phase_days).map_err(SaveError::Invalid)?;
    // A step that keeps its place keeps its id, so today's reminders still name it.
    let existing = state
        .storage
        .scenarios(creditor_id)
        .await
        .map_err(SaveError::Storage)?
        .into_iter()
        .find(|s| s.segment == segment);
    if let Some(old) = existing {
        for r in &mut rows {
            if let Some(o) = old.steps.iter().find(|o| o.seq == r.seq) {
                r.id = o.id.clone();
            }
        }
    }
    state
        .storage
        .save_scenario(
            creditor_id,
            &NewScenario {
                segment,
                name: name.into(),
                steps: rows,
            },
            actor,
            state.now(),
        )
        .await
        .map_err(SaveError::Storage)
}
