-- Issue 16: a producer added an existing buyer account to his supplier without asking, and the answer
-- told him which emails have accounts. Membership is now an invitation to an email address, answered
-- the same whether or not an account has it; the person signed in with that email accepts or declines.
CREATE TABLE supplier_invitations (
    id           uuid PRIMARY KEY,
    supplier_id  uuid NOT NULL REFERENCES suppliers (id),
    email        text NOT NULL CHECK (char_length(email) BETWEEN 3 AND 254),
    invited_by   uuid NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'revoked')),
    resolved_at  timestamptz,
    resolved_by  uuid REFERENCES users (id),
    CONSTRAINT supplier_invitations_resolved CHECK ((status = 'pending') = (resolved_at IS NULL))
);
-- One open invitation per supplier and address; the invitee finds theirs by address.
CREATE UNIQUE INDEX supplier_invitations_one_pending ON supplier_invitations (supplier_id, lower(email))
    WHERE status = 'pending';
CREATE INDEX supplier_invitations_email_idx ON supplier_invitations (lower(email)) WHERE status = 'pending';
