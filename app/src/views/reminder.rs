//! What the reminder scenarios pages show (settings, a scenario's steps, the preview of a step
//! for a real debtor, the simulation of the next days).

