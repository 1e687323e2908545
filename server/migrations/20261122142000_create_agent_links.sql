-- Single-use links that let an agent set a password: an admin's invitation (7 days) or a
-- password reset asked for by email (1 hour). Stored as SHA-256: a leaked table opens nothing.
CREATE TABLE agent_links (
    id_hash TEXT PRIMARY KEY,
    agent_id TEXT NOT NULL REFERENCES agents(id),
    creditor_id TEXT NOT NULL REFERENCES creditors(id),
    purpose TEXT NOT NULL,              -- invite | reset
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX agent_links_agent ON agent_links (agent_id);
