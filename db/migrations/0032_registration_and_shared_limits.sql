-- Issue 16, the last two items: registration that tells nobody who has an account, and the per-client
-- limit on anonymous writes counted once for every API process.

-- A sign-up waits here until its owner types the code sent to the email: only then is the account
-- created, so the first answer is the same for a new address and a taken one (a taken one is sent a
-- notice instead of a code). The password is kept as its bcrypt hash; the code as its SHA-256, tied to
-- this request. Only the newest request of an address can be confirmed, each allows a bounded number
-- of wrong guesses (counted in one statement before the comparison), and an address is sent a bounded
-- number of codes per hour.
CREATE TABLE registration_requests (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email         text NOT NULL CHECK (email = lower(email)),
    display_name  text NOT NULL,
    phone         text,
    password_hash text NOT NULL,
    code_digest   text NOT NULL CHECK (code_digest ~ '^[0-9a-f]{64}$'),
    failures      integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    user_id       uuid REFERENCES users (id) ON DELETE SET NULL
);
CREATE INDEX registration_requests_email_idx ON registration_requests (email, created_at DESC);

-- Token buckets of anonymous writes per client address, shared by every API process (GCRA: one
-- timestamp per client, the moment its bucket is full again). UNLOGGED: after a crash the limits
-- start afresh, which costs nothing but a burst; in exchange a sign-in writes no WAL for it.
CREATE UNLOGGED TABLE client_rate_limits (
    client     text PRIMARY KEY,
    full_at    timestamptz NOT NULL
);
