-- Payment schedules (échéanciers): each creditor's rules, the debtors' proposals and the
-- agents' counter-proposals, and the instalments of each. Portable SQL, as in the first
-- migration.

-- The creditor admin's rules: app::domain::schedule::ScheduleRules as JSON, validated before
-- it is stored; plus how the portal follows an accepted schedule.
CREATE TABLE schedule_rules (
    creditor_id TEXT PRIMARY KEY REFERENCES creditors(id),
    rules TEXT NOT NULL,
    reminder_days BIGINT NOT NULL,      -- a friendly reminder this many days before each instalment
    grace_days BIGINT NOT NULL,         -- an instalment unpaid this long after its date breaks the schedule
    updated_at BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);

-- One proposal and, once accepted, the schedule itself. A counter-proposal is a new row that
-- replaces the debtor's (`replaces_id`); the replaced row becomes 'superseded'.
CREATE TABLE schedules (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    -- proposed | countered | accepted | rejected | withdrawn | declined | superseded
    -- | broken | completed
    status TEXT NOT NULL,
    currency TEXT NOT NULL,
    total_minor BIGINT NOT NULL,
    proposed_by TEXT NOT NULL,          -- 'debtor', or the agent id of a counter-proposal
    replaces_id TEXT REFERENCES schedules(id),
    reasons TEXT NOT NULL,              -- JSON: why a person must look (empty when accepted at once)
    note TEXT NOT NULL,                 -- the agent's reason for a rejection or a counter-proposal
    -- The debtor id while the proposal is open (proposed or countered), NULL after: at most one
    -- open proposal per debtor, enforced by the database.
    open_key TEXT UNIQUE,
    needs_agent BIGINT NOT NULL,        -- 1 while it waits in the agents' queue
    waiting_since BIGINT NOT NULL,      -- when it entered its current state
    created_at BIGINT NOT NULL,
    decided_at BIGINT,
    decided_by TEXT,
    CHECK (total_minor > 0)
);
CREATE INDEX schedules_debtor ON schedules (creditor_id, debtor_id, status);
CREATE INDEX schedules_queue ON schedules (creditor_id, needs_agent, waiting_since);

-- The invoices a schedule settles, with what each still owed when it was proposed.
CREATE TABLE schedule_invoices (
    schedule_id TEXT NOT NULL REFERENCES schedules(id),
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    amount_minor BIGINT NOT NULL,
    PRIMARY KEY (schedule_id, invoice_id)
);
CREATE INDEX schedule_invoices_invoice ON schedule_invoices (invoice_id);

CREATE TABLE schedule_instalments (
    schedule_id TEXT NOT NULL REFERENCES schedules(id),
    seq BIGINT NOT NULL,                -- 1, 2, 3 …
    due_date TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    reminded_at BIGINT,                 -- when the friendly reminder went out
    PRIMARY KEY (schedule_id, seq),
    CHECK (amount_minor > 0)
);
