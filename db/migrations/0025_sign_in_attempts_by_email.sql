-- Issue 16: a real account locked after five bad guesses and an unknown email never did, so the answer
-- told an attacker which emails have accounts. Attempts are now counted per email address (its SHA-256,
-- so the table names nobody), whether or not an account has it: every email answers the same way at
-- every step. The counters move off `users`.
CREATE TABLE login_attempts (
    email_digest text PRIMARY KEY CHECK (email_digest ~ '^[0-9a-f]{64}$'),
    failures     integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
-- `market worker` forgets the quiet ones.
CREATE INDEX login_attempts_updated_idx ON login_attempts (updated_at);

INSERT INTO login_attempts (email_digest, failures, locked_until)
    SELECT encode(sha256(convert_to(lower(email), 'UTF8')), 'hex'), failed_logins, locked_until FROM users
    WHERE failed_logins > 0 OR locked_until > now()
    ON CONFLICT (email_digest) DO NOTHING;
ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;
