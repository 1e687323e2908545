-- The creditor's people in the back office. Each account belongs to one creditor and sees
-- nothing else. Passwords are argon2id hashes (PHC strings).
CREATE TABLE agents (
    id TEXT PRIMARY KEY,
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    email TEXT NOT NULL,
    email_lower TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,                 -- admin | agent | read_only
    password_hash TEXT NOT NULL,
    failed_logins BIGINT NOT NULL,      -- in a row; reset by a good login
    locked_until BIGINT,                -- after too many failures in a row
    created_at BIGINT NOT NULL
);
CREATE INDEX agents_creditor ON agents (creditor_id);

CREATE TABLE agent_sessions (
    id_hash TEXT PRIMARY KEY,           -- SHA-256 of the cookie value
    agent_id TEXT NOT NULL REFERENCES agents(id),
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
