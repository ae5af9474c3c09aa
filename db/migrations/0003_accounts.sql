-- Accounts, role grants, bearer tokens and the audit trail (SPEC §1).

-- Minimal scope owners so that grants can reference them; the catalog and logistics migrations
-- that follow extend these tables with the rest of their columns.
CREATE TABLE suppliers (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name         text NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE post_offices (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code          text NOT NULL UNIQUE,
    name          text NOT NULL,
    province_code text NOT NULL REFERENCES provinces (code),
    commune_code  text NOT NULL REFERENCES communes (code),
    address_line  text NOT NULL,
    lat           double precision,
    lon           double precision,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email           text NOT NULL,
    password_hash   text NOT NULL,
    display_name    text NOT NULL,
    phone           text,
    is_active       boolean NOT NULL DEFAULT true,
    failed_logins   integer NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
-- Emails are compared case-insensitively; the stored form is already lower-cased by the service.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE INDEX users_created_idx ON users (created_at DESC, id DESC);

CREATE TABLE role_grants (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id         uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role            text NOT NULL CHECK (role IN ('buyer', 'producer', 'courier', 'clerk', 'finance', 'admin')),
    supplier_id     uuid REFERENCES suppliers (id),
    post_office_id  uuid REFERENCES post_offices (id),
    granted_by      uuid REFERENCES users (id),
    granted_at      timestamptz NOT NULL DEFAULT now(),
    -- A producer acts for one supplier, a courier or clerk for one post office; other roles are global.
    CONSTRAINT role_grants_scope CHECK (
        (role = 'producer' AND supplier_id IS NOT NULL AND post_office_id IS NULL)
        OR (role IN ('courier', 'clerk') AND post_office_id IS NOT NULL AND supplier_id IS NULL)
        OR (role IN ('buyer', 'finance', 'admin') AND supplier_id IS NULL AND post_office_id IS NULL)
    )
);
CREATE UNIQUE INDEX role_grants_unique ON role_grants (
    user_id, role,
    COALESCE(supplier_id, '00000000-0000-0000-0000-000000000000'),
    COALESCE(post_office_id, '00000000-0000-0000-0000-000000000000')
);

-- Only SHA-256 digests of bearer tokens are stored: a leaked table cannot be replayed.
CREATE TABLE auth_tokens (
    token_hash  text PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
    user_id     uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id);
CREATE INDEX auth_tokens_expiry_idx ON auth_tokens (expires_at);

-- Who changed what, when: one row per state change, written in the change's own transaction.
CREATE TABLE audit_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    actor_id     uuid REFERENCES users (id),
    action       text NOT NULL,
    entity_type  text NOT NULL,
    entity_id    text NOT NULL,
    request_id   text,
    details      jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_entity_idx ON audit_log (entity_type, entity_id, id);

CREATE OR REPLACE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();

-- Small facts about this database itself, e.g. that the demo data has been loaded once.
CREATE TABLE app_settings (
    key         text PRIMARY KEY,
    value       text NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now()
);
