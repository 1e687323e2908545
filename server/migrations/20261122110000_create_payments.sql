-- Paying from the portal: how each creditor is paid (bank account for transfers, its own
-- Stripe account for cards), card payment attempts, and the structured references that
-- identify a transfer. Portable SQL, as in the first migration.

CREATE TABLE creditor_payment_settings (
    creditor_id TEXT PRIMARY KEY REFERENCES creditors(id),
    beneficiary_name TEXT NOT NULL,     -- as the bank account holder is named (EPC QR: ≤ 70)
    iban TEXT,                          -- electronic form, validated
    bic TEXT,
    min_payment_minor BIGINT NOT NULL,  -- the smallest amount a debtor may type
    stripe_publishable_key TEXT,
    -- AES-256-GCM under a key derived from the server master secret; nonce || ciphertext.
    stripe_secret_key_sealed BYTEA,
    stripe_webhook_secret_sealed BYTEA,
    updated_at BIGINT NOT NULL
);

-- One try at paying by card. The amount and the invoices come from the database when the
-- attempt starts, never from the browser. The id is made by the browser's page, so a
-- double-click starts one attempt, not two.
CREATE TABLE payment_attempts (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    invoice_ids TEXT NOT NULL,          -- the invoices to settle, in order, separated by spaces
    state TEXT NOT NULL,                -- setup | charging | requires_action | succeeded | failed
    setup_intent_id TEXT,
    payment_intent_id TEXT,
    failure_code TEXT,
    payment_id TEXT REFERENCES payments(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (creditor_id, payment_intent_id),
    CHECK (amount_minor > 0)
);
CREATE INDEX payment_attempts_state ON payment_attempts (state, updated_at);

-- ISO 11649 references shown for transfers, so the creditor's bank statement line maps back
-- to the debtor and the invoices meant.
CREATE TABLE transfer_references (
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    reference TEXT NOT NULL,            -- electronic form, RF + check digits + body
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    currency TEXT NOT NULL,
    amount_minor BIGINT NOT NULL,
    invoice_ids TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (creditor_id, reference)
);

-- Mail may carry one generated attachment, rendered when it is sent (e.g. a receipt PDF).
ALTER TABLE outbox ADD COLUMN attachment_kind TEXT;
ALTER TABLE outbox ADD COLUMN attachment_ref TEXT;
