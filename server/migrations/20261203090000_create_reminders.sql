-- Reminder scenarios: per creditor, one scenario per segment of debtors, each an ordered list
-- of steps; the run's decisions (one reminder per debtor per run, under a unique key per
-- debtor, step and day), the invoices each reminder covers, and agents' pauses.

ALTER TABLE debtors ADD COLUMN segment TEXT NOT NULL DEFAULT 'standard';
ALTER TABLE debtors ADD COLUMN kind TEXT NOT NULL DEFAULT 'business';      -- business | consumer
ALTER TABLE debtors ADD COLUMN country TEXT NOT NULL DEFAULT 'FR';         -- whose public holidays
ALTER TABLE debtors ADD COLUMN charges_waived BIGINT NOT NULL DEFAULT 0;   -- 1: no late charges
ALTER TABLE invoices ADD COLUMN reminder_seq BIGINT NOT NULL DEFAULT 0;    -- the step it reached
ALTER TABLE invoices ADD COLUMN phase_extension_days BIGINT NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN reminder_id TEXT;

CREATE TABLE reminder_settings (
    creditor_id TEXT PRIMARY KEY REFERENCES creditors(id),
    weekdays TEXT NOT NULL,         -- seven 0/1, Monday first: '1111100'
    start_minute BIGINT NOT NULL,   -- in the debtor's time zone
    end_minute BIGINT NOT NULL,
    min_gap_days BIGINT NOT NULL,
    weekly_cap BIGINT NOT NULL,
    phase_days BIGINT NOT NULL,
    charges_regime TEXT NOT NULL,   -- france | uk
    margin_bp BIGINT NOT NULL,
    reference_rates TEXT NOT NULL,  -- JSON: [{year, second_half, reference_bp}]
    updated_at BIGINT NOT NULL
);

CREATE TABLE scenarios (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    segment TEXT NOT NULL,
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (creditor_id, segment)
);

CREATE TABLE scenario_steps (
    id TEXT PRIMARY KEY,
    scenario_id TEXT NOT NULL REFERENCES scenarios(id),
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    position BIGINT NOT NULL,
    offset_days BIGINT NOT NULL,
    channel TEXT NOT NULL,          -- email | phone | letter | formal_notice
    confirm BIGINT NOT NULL,        -- formal notice: an agent confirms it first
    subject_fr TEXT NOT NULL,
    body_fr TEXT NOT NULL,
    line_fr TEXT NOT NULL,
    subject_en TEXT NOT NULL,
    body_en TEXT NOT NULL,
    line_en TEXT NOT NULL,
    UNIQUE (scenario_id, position)
);

CREATE TABLE reminders (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    run_key TEXT NOT NULL UNIQUE,   -- debtor, step and day: a second instance or run adds nothing
    step_id TEXT NOT NULL,
    step_seq BIGINT NOT NULL,
    channel TEXT NOT NULL,
    status TEXT NOT NULL,           -- queued | sent | task | done | skipped
    decided_on TEXT NOT NULL,       -- the debtor's local date
    decided_at BIGINT NOT NULL,
    link_id TEXT,
    outbox_id TEXT,
    sent_at BIGINT,
    handled_by TEXT,
    handled_at BIGINT
);
CREATE INDEX reminders_debtor ON reminders (creditor_id, debtor_id, decided_at);
CREATE INDEX reminders_outbox ON reminders (outbox_id);
CREATE INDEX reminders_status ON reminders (creditor_id, status);

CREATE TABLE reminder_items (
    reminder_id TEXT NOT NULL REFERENCES reminders(id),
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    step_seq BIGINT NOT NULL,
    PRIMARY KEY (reminder_id, invoice_id)
);

CREATE TABLE reminder_pauses (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    invoice_id TEXT REFERENCES invoices(id),   -- NULL: every invoice of the debtor
    reason TEXT NOT NULL,
    until_date TEXT NOT NULL,                  -- paused through this day, the debtor's date
    created_by TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    ended_at BIGINT,
    ended_by TEXT
);
CREATE INDEX reminder_pauses_debtor ON reminder_pauses (creditor_id, debtor_id);
