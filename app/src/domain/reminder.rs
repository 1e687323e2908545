//! Reminder scenarios: which step is due for each of a debtor's invoices today, and what one
//! run does for that debtor. Pure: the real run, its dry run and the back office's simulation
//! all call `decide`, so what the simulation shows is what the run does.

use super::invoice::InvoiceStatus;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// How a step reaches the debtor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Channel {
    /// Sent automatically.
    Email,
    /// A task in the agents' queue, with what to say.
    Phone,
    /// A PDF letter to print and post, queued for an agent.
    Letter,
    /// Email with the late charges (and a letter); an agent confirms it first if the creditor
    /// chose so.
    FormalNotice,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Self::Email, Self::Phone, Self::Letter, Self::FormalNotice];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Email => "email",
            Self::Phone => "phone",
            Self::Letter => "letter",
            Self::FormalNotice => "formal_notice",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One step of a scenario, as the planner sees it (its texts live with the server).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepRule {
    /// 1-based position in the scenario: an invoice's level is the position it reached.
    pub seq: i64,
    /// Days from the due date; negative before it (the friendly pre-due reminder).
    pub offset_days: i64,
    pub channel: Channel,
    /// A formal notice an agent confirms before it goes.
    pub confirm: bool,
}

impl StepRule {
    /// Whether the step waits for a person (and holds the scenario until done or skipped).
    pub fn needs_person(&self) -> bool {
        match self.channel {
            Channel::Email => false,
            Channel::Phone | Channel::Letter => true,
            Channel::FormalNotice => self.confirm,
        }
    }
}

pub const MAX_STEPS: usize = 12;
/// Offsets a scenario may use: two months before the due date to a year after it.
pub const OFFSET_RANGE: std::ops::RangeInclusive<i64> = -60..=365;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("a scenario needs at least one step")]
    NoStep,
    #[error("a scenario has at most {MAX_STEPS} steps")]
    TooManySteps,
    #[error("step {position}: the offset must be between -60 and 365 days")]
    OffsetOutOfRange { position: usize },
    #[error("step {position} comes on or before the step above it: each step needs a later day")]
    OutOfOrder { position: usize },
    #[error("the amicable phase lasts 1 to 365 days")]
    PhaseOutOfRange,
}

/// A valid scenario: 1 to 12 steps on strictly increasing days, and the length of the amicable
/// phase that follows its first overdue step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    steps: Vec<StepRule>,
    phase_days: i64,
}

impl Scenario {
    /// `steps`: (offset, channel, confirm) in order.
    pub fn new(steps: &[(i64, Channel, bool)], phase_days: i64) -> Result<Self, ScenarioError> {
        if steps.is_empty() {
            return Err(ScenarioError::NoStep);
        }
        if steps.len() > MAX_STEPS {
            return Err(ScenarioError::TooManySteps);
        }
        if !(1..=365).contains(&phase_days) {
            return Err(ScenarioError::PhaseOutOfRange);
        }
        for (i, (offset, _, _)) in steps.iter().enumerate() {
            if !OFFSET_RANGE.contains(offset) {
                return Err(ScenarioError::OffsetOutOfRange { position: i + 1 });
            }
            if i > 0 && *offset <= steps[i - 1].0 {
                return Err(ScenarioError::OutOfOrder { position: i + 1 });
            }
        }
        Ok(Self {
            steps: steps
                .iter()
                .enumerate()
                .map(|(i, &(offset_days, channel, confirm))| StepRule {
                    seq: i as i64 + 1,
                    offset_days,
                    channel,
                    confirm,
                })
                .collect(),
            phase_days,
        })
    }

    pub fn steps(&self) -> &[StepRule] {
        &self.steps
    }

    pub fn step(&self, seq: i64) -> Option<&StepRule> {
        usize::try_from(seq - 1)
            .ok()
            .and_then(|i| self.steps.get(i))
    }

    /// The last day of the amicable phase for an invoice due on `due`, extended by `extension`
    /// days: `phase_days` after its first overdue step (after the due date if it has none).
    pub fn phase_end(&self, due: NaiveDate, extension_days: i64) -> NaiveDate {
        let first_overdue = self
            .steps
            .iter()
            .find(|s| s.offset_days >= 0)
            .map_or(0, |s| s.offset_days);
        due + chrono::Duration::days(first_overdue + self.phase_days + extension_days)
    }
}

/// How often one debtor may be reminded, whatever the number of invoices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pacing {
    /// Days at least between two reminders to one debtor.
    pub min_gap_days: i64,
    /// Reminders at most in any seven days.
    pub weekly_cap: i64,
}

impl Default for Pacing {
    fn default() -> Self {
        Self {
            min_gap_days: 5,
            weekly_cap: 2,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PacingError {
    #[error("the gap between two reminders is 1 to 60 days")]
    Gap,
    #[error("the weekly cap is 1 to 7 reminders")]
    Cap,
}

impl Pacing {
    pub fn new(min_gap_days: i64, weekly_cap: i64) -> Result<Self, PacingError> {
        if !(1..=60).contains(&min_gap_days) {
            return Err(PacingError::Gap);
        }
        if !(1..=7).contains(&weekly_cap) {
            return Err(PacingError::Cap);
        }
        Ok(Self {
            min_gap_days,
            weekly_cap,
        })
    }
}

/// One invoice as the planner sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    pub id: String,
    pub due: NaiveDate,
    pub status: InvoiceStatus,
    pub remaining_minor: i64,
    /// The step it reached (0: none yet).
    pub level: i64,
    /// Paused by an agent (for this invoice or its debtor) until after today.
    pub paused: bool,
    /// Days an agent added to its amicable phase.
    pub extension_days: i64,
}

/// What the debtor has been sent, in the debtor's local dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Days reminders went to this debtor, any order.
    pub sent_on: Vec<NaiveDate>,
    /// A step waiting for a person (a call, a letter, a notice to confirm) holds the scenario.
    pub waiting_for_person: bool,
    /// An open promise to pay covers what the debtor owes: reminders pause.
    pub promised: bool,
}

/// What one run does for one debtor today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// No invoice has a step due.
    Nothing,
    /// Steps are due, but not today.
    Wait {
        until: NaiveDate,
        why: Hold,
    },
    /// Steps are due, and nothing is waiting for a person.
    Held(Hold),
    Act(Action),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Hold {
    /// The minimum gap since the last reminder has not passed.
    Gap,
    /// The weekly cap is reached.
    WeeklyCap,
    /// A step waits for a person.
    Person,
    /// A promise to pay is open.
    Promise,
}

/// One reminder: the step that sets its tone (the most advanced one due), and each invoice
/// with the step it reaches (its own wording in the message).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Action {
    pub step: StepRule,
    pub items: Vec<(String, i64)>,
}

/// The step due today for one invoice, if any. An invoice already in the scenario climbs one
/// step at a time when the next step's day has come, so one back from a missed promise or a
/// broken schedule resumes where it was, and after downtime a debtor gets one reminder, not
/// one per missed step. An invoice never reminded (imported late, or the portal was down)
/// enters at the latest written step due, so the first contact is an email, not a call or a
/// formal notice. Nothing once its amicable phase is over: it waits for an agent in the queue.
pub fn due_step<'a>(scenario: &'a Scenario, item: &Item, today: NaiveDate) -> Option<&'a StepRule> {
    if item.status != InvoiceStatus::Open || item.remaining_minor <= 0 || item.paused {
        return None;
    }
    if phase_over(scenario, item, today) {
        return None;
    }
    let age = (today - item.due).num_days();
    if item.level > 0 {
        return scenario
            .step(item.level + 1)
            .filter(|s| s.offset_days <= age);
    }
    let due = || scenario.steps.iter().filter(|s| s.offset_days <= age);
    due()
        .rfind(|s| s.channel == Channel::Email)
        .or_else(|| due().next_back())
}

/// Whether an open invoice's amicable phase has ended: it belongs in the agents' queue.
pub fn phase_over(scenario: &Scenario, item: &Item, today: NaiveDate) -> bool {
    item.status == InvoiceStatus::Open
        && item.remaining_minor > 0
        && today > scenario.phase_end(item.due, item.extension_days)
}

/// What a run does today for a debtor with these invoices and this history. One reminder per
/// debtor per run, never one per invoice.
pub fn decide(
    scenario: &Scenario,
    pacing: Pacing,
    items: &[Item],
    history: &History,
    today: NaiveDate,
) -> Decision {
    let due: Vec<(&Item, &StepRule)> = items
        .iter()
        .filter_map(|i| due_step(scenario, i, today).map(|s| (i, s)))
        .collect();
    let Some(top) = due.iter().map(|(_, s)| *s).max_by_key(|s| s.seq) else {
        return Decision::Nothing;
    };
    if history.promised {
        return Decision::Held(Hold::Promise);
    }
    if history.waiting_for_person {
        return Decision::Held(Hold::Person);
    }
    if let Some(last) = history.sent_on.iter().max() {
        let next = *last + chrono::Duration::days(pacing.min_gap_days);
        if today < next {
            return Decision::Wait {
                until: next,
                why: Hold::Gap,
            };
        }
    }
    // The cap counts the last seven days, today included.
    let mut recent: Vec<NaiveDate> = history
        .sent_on
        .iter()
        .copied()
        .filter(|d| (today - *d).num_days() < 7 && *d <= today)
        .collect();
    if recent.len() as i64 >= pacing.weekly_cap {
        recent.sort();
        // The day enough of them have left the window for one more.
        let k = recent.len() - pacing.weekly_cap as usize;
        return Decision::Wait {
            until: recent[k] + chrono::Duration::days(7),
            why: Hold::WeeklyCap,
        };
    }
    Decision::Act(Action {
        step: top.clone(),
        items: due.iter().map(|(i, s)| (i.id.clone(), s.seq)).collect(),
    })
}

/// What the run would do on each of the next `days` days (from `from`, inclusive), on the days
/// `sending_day` allows, if nobody paid, promised or contested anything meanwhile. Each action
/// is applied as the run applies it: the invoices reach their steps, the debtor's history
/// grows, and a step for a person is taken as done the same day (the simulation cannot know
/// when an agent will act; it says so where it is shown).
pub fn simulate(
    scenario: &Scenario,
    pacing: Pacing,
    items: &[Item],
    history: &History,
    from: NaiveDate,
    days: i64,
    sending_day: impl Fn(NaiveDate) -> bool,
) -> Vec<(NaiveDate, Action)> {
    let mut items = items.to_vec();
    let mut history = History {
        waiting_for_person: false,
        ..history.clone()
    };
    let mut out = vec![];
    for d in 0..days {
        let today = from + chrono::Duration::days(d);
        if !sending_day(today) {
            continue;
        }
        if let Decision::Act(a) = decide(scenario, pacing, &items, &history, today) {
            for (id, seq) in &a.items {
                if let Some(i) = items.iter_mut().find(|i| &i.id == id) {
                    i.level = *seq;
                }
            }
            history.sent_on.push(today);
            out.push((today, a));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Pre-due −5, +3, +15, phone +25, formal notice +40 (confirmed by an agent).
    fn scenario() -> Scenario {
        Scenario::new(
            &[
                (-5, Channel::Email, false),
                (3, Channel::Email, false),
                (15, Channel::Email, false),
                (25, Channel::Phone, false),
                (40, Channel::FormalNotice, true),
            ],
            60,
        )
        .unwrap()
    }

    fn item(id: &str, due: &str, level: i64) -> Item {
        Item {
            id: id.into(),
            due: d(due),
            status: InvoiceStatus::Open,
            remaining_minor: 10_000,
            level,
            paused: false,
            extension_days: 0,
        }
    }

    fn act(decision: Decision) -> Action {
        match decision {
            Decision::Act(a) => a,
            other => panic!("expected a reminder, got {other:?}"),
        }
    }

    #[test]
    fn bad_scenarios_are_refused_with_the_step_at_fault() {
        use ScenarioError::*;
        assert_eq!(Scenario::new(&[], 60), Err(NoStep));
        let e = Channel::Email;
        assert_eq!(
            Scenario::new(&[(3, e, false), (3, e, false)], 60),
            Err(OutOfOrder { position: 2 })
        );
        assert_eq!(
            Scenario::new(&[(10, e, false), (3, e, false)], 60),
            Err(OutOfOrder { position: 2 })
        );
        assert_eq!(
            Scenario::new(&[(-61, e, false)], 60),
            Err(OffsetOutOfRange { position: 1 })
        );
        assert_eq!(Scenario::new(&[(3, e, false)], 0), Err(PhaseOutOfRange));
        let many: Vec<_> = (0..13).map(|i| (i, e, false)).collect();
        assert_eq!(Scenario::new(&many, 60), Err(TooManySteps));
        assert_eq!(Pacing::new(-1, 2), Err(PacingError::Gap));
        assert_eq!(Pacing::new(5, 0), Err(PacingError::Cap));
    }

    #[test]
    fn offsets_count_calendar_days_across_month_ends_and_leap_days() {
        let s = scenario();
        // Due 31 January 2028 (leap year): +3 falls on 3 February, +40 on 11 March.
        let i = item("a", "2028-01-31", 0);
        assert_eq!(due_step(&s, &i, d("2028-02-02")).map(|s| s.seq), Some(1));
        assert_eq!(due_step(&s, &i, d("2028-02-03")).map(|s| s.seq), Some(2));
        let i = item("a", "2028-01-31", 4);
        assert_eq!(due_step(&s, &i, d("2028-03-10")), None);
        assert_eq!(due_step(&s, &i, d("2028-03-11")).map(|s| s.seq), Some(5));
        // −5 before 2 March 2027 (not a leap year) is 25 February.
        let i = item("b", "2027-03-02", 0);
        assert_eq!(due_step(&s, &i, d("2027-02-24")), None);
        assert_eq!(due_step(&s, &i, d("2027-02-25")).map(|s| s.seq), Some(1));
    }

    #[test]
    fn after_downtime_only_the_step_due_now_is_sent() {
        let s = scenario();
        // Never reminded, 20 days overdue: the +15 step, not −5 and +3 first.
        let a = act(decide(
            &s,
            Pacing::default(),
            &[item("a", "2026-03-01", 0)],
            &History::default(),
            d("2026-03-21"),
        ));
        assert_eq!((a.step.seq, a.items), (3, vec![("a".to_string(), 3)]));
    }

    #[test]
    fn an_invoice_never_reminded_is_first_written_to_not_called() {
        let s = scenario();
        // 35 days overdue: the call (+25) is the latest step due, the +15 email comes first.
        let i = item("a", "2026-03-01", 0);
        assert_eq!(due_step(&s, &i, d("2026-04-05")).map(|s| s.seq), Some(3));
        // Then the call, the next time.
        let i = item("a", "2026-03-01", 3);
        assert_eq!(due_step(&s, &i, d("2026-04-05")).map(|s| s.seq), Some(4));
    }

    #[test]
    fn an_invoice_back_in_the_scenario_climbs_one_step_at_a_time() {
        let s = scenario();
        // Back from a broken schedule at level 2, 45 days overdue: the next step, not the notice.
        let i = item("a", "2026-03-01", 2);
        assert_eq!(due_step(&s, &i, d("2026-04-15")).map(|s| s.seq), Some(3));
    }

    #[test]
    fn one_reminder_per_debtor_at_the_tone_of_the_most_advanced_invoice() {
        let s = scenario();
        let items = [
            item("late", "2026-03-01", 2), // +17: step 3 is due
            item("soon", "2026-03-22", 0), // −4: the pre-due step
            item("done", "2026-03-10", 2), // +8: reached step 2, nothing new
        ];
        let a = act(decide(
            &s,
            Pacing::default(),
            &items,
            &History::default(),
            d("2026-03-18"),
        ));
        assert_eq!(a.step.seq, 3);
        assert_eq!(a.items, vec![("late".into(), 3), ("soon".into(), 1)]);
    }

    #[test]
    fn promised_scheduled_disputed_paid_and_paused_invoices_are_not_reminded() {
        let s = scenario();
        let today = d("2026-03-20");
        for status in [
            InvoiceStatus::Promised,
            InvoiceStatus::Scheduled,
            InvoiceStatus::Disputed,
            InvoiceStatus::Paid,
            InvoiceStatus::ClosedOtherwise,
        ] {
            let i = Item {
                status,
                ..item("a", "2026-03-01", 0)
            };
            assert_eq!(
                decide(&s, Pacing::default(), &[i], &History::default(), today),
                Decision::Nothing,
                "{status:?}"
            );
        }
        let paused = Item {
            paused: true,
            ..item("a", "2026-03-01", 0)
        };
        assert_eq!(
            decide(&s, Pacing::default(), &[paused], &History::default(), today),
            Decision::Nothing
        );
        let paid = Item {
            remaining_minor: 0,
            ..item("a", "2026-03-01", 0)
        };
        assert_eq!(
            decide(&s, Pacing::default(), &[paid], &History::default(), today),
            Decision::Nothing
        );
        // A partly paid invoice carries on for its remainder.
        let part = Item {
            remaining_minor: 1,
            ..item("a", "2026-03-01", 0)
        };
        assert!(matches!(
            decide(&s, Pacing::default(), &[part], &History::default(), today),
            Decision::Act(_)
        ));
    }

    #[test]
    fn the_gap_and_the_weekly_cap_space_reminders() {
        let s = scenario();
        let items = [item("a", "2026-03-01", 0)];
        let h = History {
            sent_on: vec![d("2026-03-17")],
            ..History::default()
        };
        assert_eq!(
            decide(&s, Pacing::default(), &items, &h, d("2026-03-20")),
            Decision::Wait {
                until: d("2026-03-22"),
                why: Hold::Gap
            }
        );
        assert!(matches!(
            decide(&s, Pacing::default(), &items, &h, d("2026-03-22")),
            Decision::Act(_)
        ));
        // Gap of 1 day, at most 2 a week: the third waits until the first leaves the window.
        let p = Pacing::new(1, 2).unwrap();
        let h = History {
            sent_on: vec![d("2026-03-16"), d("2026-03-18")],
            ..History::default()
        };
        assert_eq!(
            decide(&s, p, &items, &h, d("2026-03-20")),
            Decision::Wait {
                until: d("2026-03-23"),
                why: Hold::WeeklyCap
            }
        );
        assert!(matches!(
            decide(&s, p, &items, &h, d("2026-03-23")),
            Decision::Act(_)
        ));
    }

    #[test]
    fn a_person_or_a_promise_holds_the_scenario() {
        let s = scenario();
        let items = [item("a", "2026-03-01", 0)];
        let h = History {
            waiting_for_person: true,
            ..History::default()
        };
        assert_eq!(
            decide(&s, Pacing::default(), &items, &h, d("2026-03-20")),
            Decision::Held(Hold::Person)
        );
        let h = History {
            promised: true,
            ..History::default()
        };
        assert_eq!(
            decide(&s, Pacing::default(), &items, &h, d("2026-03-20")),
            Decision::Held(Hold::Promise)
        );
    }

    #[test]
    fn the_amicable_phase_ends_sixty_days_after_the_first_overdue_step_unless_extended() {
        let s = scenario();
        // First overdue step +3, phase 60 days: the last day is due + 63.
        let i = item("a", "2026-03-01", 4);
        assert!(!phase_over(&s, &i, d("2026-05-03")));
        assert!(phase_over(&s, &i, d("2026-05-04")));
        assert_eq!(due_step(&s, &i, d("2026-05-04")), None);
        let extended = Item {
            extension_days: 30,
            ..i
        };
        assert!(!phase_over(&s, &extended, d("2026-05-04")));
    }

    #[test]
    fn the_simulation_walks_the_scenario_with_its_gaps() {
        let s = scenario();
        let items = [item("a", "2026-03-06", 0)];
        let weekdays = |d: NaiveDate| chrono::Datelike::weekday(&d).number_from_monday() <= 5;
        let plan = simulate(
            &s,
            Pacing::default(),
            &items,
            &History::default(),
            d("2026-03-01"),
            60,
            weekdays,
        );
        let days: Vec<(String, i64)> = plan
            .iter()
            .map(|(d, a)| (d.to_string(), a.step.seq))
            .collect();
        // −5 on Sunday 1 March waits for Monday 2; +3 on 9 March; +15 on 21 March is a
        // Saturday: Monday 23; the call at +25 on 31 March; the notice at +40 on 15 April.
        assert_eq!(
            days,
            [
                ("2026-03-02", 1),
                ("2026-03-09", 2),
                ("2026-03-23", 3),
                ("2026-03-31", 4),
                ("2026-04-15", 5)
            ]
            .map(|(d, s)| (d.to_string(), s))
        );
    }

    proptest! {
        /// However the days go, a debtor never gets two reminders closer than the gap, never
        /// more than the cap in seven days, and an invoice only ever climbs.
        #[test]
        fn runs_respect_gap_cap_and_levels(
            dues in proptest::collection::vec(-40i64..80, 1..6),
            gap in 1i64..10, cap in 1i64..4, skip in proptest::collection::vec(any::<bool>(), 120)
        ) {
            let s = scenario();
            let p = Pacing::new(gap, cap).unwrap();
            let start = d("2026-01-01");
            let items: Vec<Item> = dues.iter().enumerate()
                .map(|(k, off)| Item { due: start + chrono::Duration::days(*off), ..item(&k.to_string(), "2026-01-01", 0) })
                .collect();
            let plan = simulate(&s, p, &items, &History::default(), start, 120, |day| !skip[(day - start).num_days() as usize]);
            let days: Vec<NaiveDate> = plan.iter().map(|(d, _)| *d).collect();
            for w in days.windows(2) {
                prop_assert!((w[1] - w[0]).num_days() >= gap);
            }
            for (i, day) in days.iter().enumerate() {
                let in_week = days[..=i].iter().filter(|x| (*day - **x).num_days() < 7).count() as i64;
                prop_assert!(in_week <= cap);
            }
            let mut level = std::collections::HashMap::new();
            for (_, a) in &plan {
                for (id, seq) in &a.items {
                    let before = level.insert(id.clone(), *seq).unwrap_or(0);
                    prop_assert!(*seq > before);
                    prop_assert!(*seq <= a.step.seq);
                }
            }
        }
    }
}
