-- Issue 21: telling people what happened. The outbox (migration 0008) is read by the notifier of
-- `market worker` (or of `market serve` with the embedded database); each event becomes notifications
-- in people's in-app inbox and, by the channels they chose, messages to send by email, SMS or Zalo.

-- Which outbox events the notifier has turned into notifications. Claimed with SKIP LOCKED, so any
-- number of workers can run; a claim and its notifications commit together.
ALTER TABLE outbox ADD COLUMN notified_at timestamptz;
CREATE INDEX outbox_unnotified_idx ON outbox (id) WHERE notified_at IS NULL;
-- Events written before notifications existed tell nobody anything now.
UPDATE outbox SET notified_at = now();

-- The in-app inbox: always on, whatever channels a person chose. `source` names what caused it
-- (an outbox event, a reminder), so the same cause never notifies the same person twice.
CREATE TABLE notifications (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind        text NOT NULL CHECK (kind ~ '^[a-z_.]{1,60}$'),
    title       text NOT NULL,
    body        text NOT NULL,
    link        text,
    source      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    read_at     timestamptz,
    UNIQUE (source, user_id, kind)
);
CREATE INDEX notifications_user_idx ON notifications (user_id, created_at DESC, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id) WHERE read_at IS NULL;

-- The channels a person opted out of (the inbox cannot be). What the delivery itself needs (the
-- delivery code) and account security (reset codes) go out whatever this says.
CREATE TABLE notification_opt_outs (
    user_id  uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    channel  text NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
    PRIMARY KEY (user_id, channel)
);

-- Messages to send through a provider, at most once each (unique on cause, channel and recipient),
-- retried with backoff, their failures visible. The body of a secret (a reset code) is blanked once
-- sent.
CREATE TABLE outbound_messages (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid REFERENCES users (id) ON DELETE CASCADE,
    channel         text NOT NULL CHECK (channel IN ('email', 'sms', 'zalo')),
    recipient       text NOT NULL,
    template        text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    params          jsonb NOT NULL DEFAULT '{}',
    secret          boolean NOT NULL DEFAULT false,
    source          text NOT NULL,
    status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error      text,
    provider        text,
    sent_at         timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source, channel, recipient)
);
CREATE INDEX outbound_messages_due_idx ON outbound_messages (next_attempt_at) WHERE status = 'pending';
