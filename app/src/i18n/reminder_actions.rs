//! The sentences of what agents do with reminders: segments, pauses, tasks, the end of the
//! amicable phase, and the reminders in a debtor's timeline.

use super::Text;

texts! {
    REMINDERS_HEADING => "Relances", "Reminders";
}
