-- Promises to pay: an amount by a date, within the horizon the portal allows. Kept when the
-- payments received since reach the amount; missed when the date passes first.
CREATE TABLE promises (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    promised_for TEXT NOT NULL,         -- the date, in the debtor's time zone
    status TEXT NOT NULL,               -- open | kept | missed
    open_key TEXT UNIQUE,               -- the debtor id while open: one open promise per debtor
    needs_agent BIGINT NOT NULL,        -- 1 once missed, until an agent handles it
    created_at BIGINT NOT NULL,
    closed_at BIGINT,
    CHECK (amount_minor > 0)
);
CREATE INDEX promises_debtor ON promises (creditor_id, debtor_id);
CREATE INDEX promises_open ON promises (status);
