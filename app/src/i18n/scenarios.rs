//! The sentences of the reminder scenarios pages (settings, steps, preview, simulation).

use super::Text;

texts! {
    SCENARIOS_TITLE => "Scénarios de relance", "Reminder scenarios";
}
