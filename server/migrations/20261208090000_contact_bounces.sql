-- A permanent refusal by the recipient's mail server (SMTP 55x) marks the address as bouncing:
-- the run stops mailing it and the agents' queue asks for a corrected address. The refused
-- mail is kept, never retried, and goes again to the address an agent corrects.

ALTER TABLE debtor_contacts ADD COLUMN bouncing_since BIGINT;
ALTER TABLE debtor_contacts ADD COLUMN bounce TEXT;        -- the server's answer, as received
ALTER TABLE outbox ADD COLUMN refused_at BIGINT;
CREATE INDEX debtor_contacts_bouncing ON debtor_contacts (creditor_id, bouncing_since);
