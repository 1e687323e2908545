-- Disputes (what a debtor contests, its thread and files), messages between a debtor and the
-- collection team, and the creditor's settings for both and for promises.

-- What the creditor may lower or set: the promise horizon, and attachment limits (never above
-- the portal's own: 5 files of 5 MiB, see app::domain::upload).
ALTER TABLE creditors ADD COLUMN promise_horizon_days BIGINT NOT NULL DEFAULT 30;
ALTER TABLE creditors ADD COLUMN upload_max_files BIGINT NOT NULL DEFAULT 5;
ALTER TABLE creditors ADD COLUMN upload_max_bytes BIGINT NOT NULL DEFAULT 5242880;

-- The internal owners a dispute can be given to: a person or a team, reached by email.
CREATE TABLE dispute_owners (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    removed_at BIGINT
);
CREATE INDEX dispute_owners_creditor ON dispute_owners (creditor_id);

CREATE TABLE disputes (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    reason TEXT NOT NULL,               -- app::domain::dispute::DisputeReason
    paid_on TEXT,                       -- 'YYYY-MM-DD' when the reason is already_paid
    currency TEXT NOT NULL,
    contested_minor BIGINT NOT NULL,    -- sum of dispute_invoices.amount_minor
    status TEXT NOT NULL,               -- open | accepted | partly_accepted | rejected
    owner_id TEXT REFERENCES dispute_owners(id),
    credited_minor BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    CHECK (contested_minor > 0)
);
CREATE INDEX disputes_debtor ON disputes (creditor_id, debtor_id);
CREATE INDEX disputes_open ON disputes (creditor_id, status);

-- The invoices a dispute covers, with the part contested. An invoice is in one open dispute
-- at most: open_key is the invoice id while the dispute is open, NULL after.
CREATE TABLE dispute_invoices (
    dispute_id TEXT NOT NULL REFERENCES disputes(id),
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    amount_minor BIGINT NOT NULL,
    open_key TEXT UNIQUE,
    PRIMARY KEY (dispute_id, invoice_id),
    CHECK (amount_minor > 0)
);

-- A dispute's thread: the debtor's words, agents' replies (seen by the debtor) and internal
-- notes (never shown to the debtor).
CREATE TABLE dispute_posts (
    id TEXT PRIMARY KEY,
    dispute_id TEXT NOT NULL REFERENCES disputes(id),
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    author TEXT NOT NULL,               -- 'debtor', or an agent id
    visibility TEXT NOT NULL,           -- 'public' | 'internal'
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX dispute_posts_dispute ON dispute_posts (dispute_id, created_at);

-- Files attached to a post, kept in the database so every server instance serves them.
CREATE TABLE attachments (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    dispute_id TEXT NOT NULL REFERENCES disputes(id),
    post_id TEXT NOT NULL REFERENCES dispute_posts(id),
    file_name TEXT NOT NULL,
    content_type TEXT NOT NULL,         -- from the content: application/pdf, image/png, image/jpeg
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    data BYTEA NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX attachments_post ON attachments (post_id);

-- Messages between a debtor and the creditor's collection team.
CREATE TABLE messages (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    author TEXT NOT NULL,               -- 'debtor', or an agent id
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT                      -- when the other side first saw it
);
CREATE INDEX messages_debtor ON messages (creditor_id, debtor_id, created_at);

-- What a debtor typed in a form that was refused, kept until it is sent: nothing typed is
-- lost on an error, and nothing of it rides in a URL.
CREATE TABLE form_drafts (
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    form TEXT NOT NULL,
    body TEXT NOT NULL,                 -- JSON
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (creditor_id, debtor_id, form)
);
