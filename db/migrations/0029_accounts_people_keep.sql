-- Issue 21: accounts people can keep. Sign-in by phone, password change and reset by a one-time code.

-- A phone is one number whether written +84… or 0…: sign-in by phone compares this national form.
-- Phones are not unique (a household shares one): a phone held by several active accounts signs
-- nobody in, and its owners sign in by email.
ALTER TABLE users ADD COLUMN phone_national text
    GENERATED ALWAYS AS (CASE WHEN phone LIKE '+84%' THEN '0' || substr(phone, 4) ELSE phone END) STORED;
CREATE INDEX users_phone_national_idx ON users (phone_national) WHERE phone_national IS NOT NULL;
ALTER TABLE users ADD COLUMN password_changed_at timestamptz;

-- One-time reset codes, kept as their SHA-256. Only the newest live code of an account can be used;
-- each allows a bounded number of wrong guesses (counted in one statement before the comparison),
-- and an account gets a bounded number of codes per hour, so a code cannot be guessed.
CREATE TABLE password_resets (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_digest text NOT NULL CHECK (code_digest ~ '^[0-9a-f]{64}$'),
    channel     text NOT NULL CHECK (channel IN ('email', 'sms')),
    failures    integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    used_at     timestamptz
);
CREATE INDEX password_resets_user_idx ON password_resets (user_id, created_at DESC);
