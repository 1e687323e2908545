-- The Stripe Customer of each debtor, in their creditor's Stripe account: card payment methods
-- are attached to it, as Stripe expects of a card that may be used again (saved cards later).
CREATE TABLE stripe_customers (
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    debtor_id TEXT NOT NULL REFERENCES debtors(id),
    customer_id TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (creditor_id, debtor_id)
);
