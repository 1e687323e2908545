-- Core data for every capability: creditors (tenants), debtors, invoices and credit notes,
-- payments and their allocation, links, sessions, the event log and the mail outbox.
-- Portable SQL: the same file runs on SQLite and PostgreSQL. Ids are text (UUID v7, made by
-- the application); dates are ISO text 'YYYY-MM-DD'; instants are Unix seconds (BIGINT, UTC);
-- money is BIGINT minor units beside a currency code.

CREATE TABLE creditors (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    legal_name TEXT NOT NULL,
    address TEXT NOT NULL,          -- lines separated by newlines
    identifiers TEXT NOT NULL,      -- e.g. SIREN / VAT number, lines separated by newlines
    contact_email TEXT NOT NULL,
    accent_colour TEXT NOT NULL,
    logo_type TEXT,                 -- 'image/png' or 'image/svg+xml'
    logo BYTEA,
    bank_details TEXT,
    timezone TEXT NOT NULL,         -- IANA name, e.g. 'Europe/Paris'
    link_ttl_days BIGINT NOT NULL,
    current_key_id TEXT NOT NULL,   -- key id new links are signed with
    created_at BIGINT NOT NULL
);

-- Link-signing keys per creditor. The key itself is derived from the server's master secret
-- and (creditor, key id); the table only says which key ids exist and which are retired.
CREATE TABLE link_keys (
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    key_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    retired_at BIGINT,
    PRIMARY KEY (creditor_id, key_id)
);

CREATE TABLE debtors (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    reference TEXT NOT NULL,        -- the creditor's customer number
    name TEXT NOT NULL,
    address TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    locale TEXT NOT NULL,           -- 'fr' or 'en': language of the emails we send
    timezone TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (creditor_id, reference)
);

CREATE TABLE debtor_contacts (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL       -- for look-ups by address
);
CREATE INDEX debtor_contacts_email ON debtor_contacts (email_lower);
CREATE INDEX debtor_contacts_debtor ON debtor_contacts (creditor_id, debtor_id);

CREATE TABLE invoices (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    number TEXT NOT NULL,
    kind TEXT NOT NULL,             -- 'invoice' | 'credit_note'
    issue_date TEXT NOT NULL,
    due_date TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,   -- total including tax, positive
    tax_minor BIGINT NOT NULL,
    status TEXT NOT NULL,           -- open | promised | scheduled | disputed | paid | closed
    reminder_level TEXT NOT NULL,
    payment_reference TEXT NOT NULL,
    original_pdf BYTEA,             -- the creditor's own PDF, when imported
    created_at BIGINT NOT NULL,
    UNIQUE (creditor_id, number),
    CHECK (amount_minor >= 0)
);
CREATE INDEX invoices_debtor ON invoices (creditor_id, debtor_id, status);

CREATE TABLE invoice_lines (
    id TEXT PRIMARY KEY,
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    position BIGINT NOT NULL,
    description TEXT NOT NULL,
    quantity_milli BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    tax_rate_bp BIGINT NOT NULL,
    total_minor BIGINT NOT NULL     -- excluding tax
);
CREATE INDEX invoice_lines_invoice ON invoice_lines (invoice_id, position);

CREATE TABLE payments (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    received_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    method TEXT NOT NULL,           -- 'transfer' | 'card' | 'cheque' | 'credit_note'
    reference TEXT NOT NULL,
    external_id TEXT,               -- e.g. the payment processor's id; unique when present
    created_at BIGINT NOT NULL,
    UNIQUE (creditor_id, external_id),
    CHECK (amount_minor > 0)
);
CREATE INDEX payments_debtor ON payments (creditor_id, debtor_id);

-- Allocation (lettrage): a payment, or a credit note, settles part of an invoice.
CREATE TABLE allocations (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    payment_id TEXT REFERENCES payments(id),
    credit_note_id TEXT REFERENCES invoices(id),
    amount_minor BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    CHECK (amount_minor > 0),
    CHECK ((payment_id IS NULL) <> (credit_note_id IS NULL))
);
CREATE INDEX allocations_invoice ON allocations (invoice_id);
CREATE INDEX allocations_credit_note ON allocations (credit_note_id);

CREATE TABLE links (
    id TEXT PRIMARY KEY,            -- the JWT's jti
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    key_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    first_opened_at BIGINT,
    open_count BIGINT NOT NULL
);
CREATE INDEX links_debtor ON links (creditor_id, debtor_id);

CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,       -- SHA-256 of the cookie value: a leaked table opens nothing
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    link_id TEXT NOT NULL REFERENCES links(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Append-only: who did what, when, and why. Written in the same transaction as the change.
CREATE TABLE events (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT REFERENCES debtors(id),
    invoice_id TEXT REFERENCES invoices(id),
    kind TEXT NOT NULL,
    actor TEXT NOT NULL,            -- 'debtor', 'system', 'cli', or an agent id
    at BIGINT NOT NULL,
    detail TEXT NOT NULL            -- JSON
);
CREATE INDEX events_debtor ON events (creditor_id, debtor_id, at);

-- Mail to send, kept until sent: a restart loses nothing. Workers claim rows with a lease.
CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    creditor_id TEXT REFERENCES creditors(id),
    to_address TEXT NOT NULL,
    to_name TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    lease_until BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    sent_at BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, lease_until);
