//! What the reminder scenarios pages show (settings, a scenario's steps, the preview of a step
//! for a real debtor, the simulation of the next days).

use super::statement::BrandView;
use crate::domain::agent::Role;
use serde::{Deserialize, Serialize};

/// Who is looking, for the header and the navigation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub brand: BrandView,
    pub agent_name: String,
    pub role: Role,
    /// Admins change settings and scenarios; other agents read them.
    pub may_edit: bool,
}

/// The sending settings as the form shows them: as typed when the form was refused.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsFields {
    /// Monday first.
    pub weekdays: [bool; 7],
    pub start_hour: String,
    pub end_hour: String,
    pub min_gap_days: String,
    pub weekly_cap: String,
    pub phase_days: String,
    /// Late charges: `france` or `uk`.
    pub charges_regime: String,
    /// Points added to the reference rate, as typed ("10").
    pub margin: String,
    /// One half-year per line: "2026-S2 2.15".
    pub reference_rates: String,
}

/// One scenario in the list of a creditor's scenarios.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioSummary {
    pub segment: String,
    pub name: String,
    pub steps: usize,
    /// The built-in scenario, shown while the creditor has not saved its own for the segment.
    pub built_in: bool,
}

/// Why a form came back, and where: `step` is 1-based (0: the form as a whole), `field` a
/// field's name ("body_fr"), `line` the template's line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal {
    /// What is wrong, as a code the page words ("offset", "order", "template_syntax" …).
    pub code: String,
    pub step: usize,
    pub field: Option<String>,
    pub line: Option<usize>,
    /// The engine's own words (a template's variable name, its list of known ones).
    pub detail: String,
}

/// `GET /agent/reminders`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemindersView {
    pub viewer: Viewer,
    pub settings: SettingsFields,
    pub scenarios: Vec<ScenarioSummary>,
    pub refusal: Option<Refusal>,
    /// The segment typed in the new-scenario form when it was refused.
    pub new_segment: String,
}

/// One step as the form shows it (text as typed).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepFields {
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

/// A step's mail in one language, as the debtor would get it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewLetter {
    pub subject: String,
    pub text: String,
    /// The HTML body as the mail carries it (already escaped): shown as source, not rendered.
    pub html: String,
}

/// The edited step rendered for one debtor in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreviewView {
    /// 1-based.
    pub step: usize,
    pub debtor_reference: String,
    pub debtor_name: String,
    pub fr: PreviewLetter,
    pub en: PreviewLetter,
}

/// `GET /agent/reminders/scenarios/{segment}`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScenarioView {
    pub viewer: Viewer,
    pub segment: String,
    pub name: String,
    /// Nothing saved for this segment yet: the steps shown are the built-in ones.
    pub built_in: bool,
    pub steps: Vec<StepFields>,
    pub max_steps: usize,
    /// The debtor the preview uses (a reference), as typed.
    pub debtor: String,
    pub refusal: Option<Refusal>,
    pub preview: Option<PreviewView>,
    /// The form was just saved.
    pub saved: bool,
}

/// One reminder the run would make.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulatedReminder {
    /// ISO date, in the debtor's time zone.
    pub day: String,
    pub debtor_reference: String,
    pub debtor_name: String,
    /// Email addresses; empty for a step an agent does (a call, a letter, a notice to confirm).
    pub to: Vec<String>,
    pub step: i64,
    pub channel: String,
    pub needs_person: bool,
    pub invoices: Vec<String>,
}

/// `GET /agent/reminders/simulation?segment=…` or `?debtor=…`
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SimulationView {
    pub viewer: Viewer,
    pub segment: String,
    pub debtor: String,
    pub days: i64,
    /// Debtors simulated.
    pub debtors: usize,
    /// More debtors are in the segment than were simulated.
    pub capped: bool,
    pub cap: usize,
    /// A debtor asked for by reference that has no open invoice or does not exist.
    pub unknown_debtor: bool,
    pub rows: Vec<SimulatedReminder>,
    pub segments: Vec<String>,
}
