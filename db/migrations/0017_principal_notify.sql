-- Every API process caches what a bearer token resolves to (`PrincipalCache`): the user and their
-- role grants. Whatever changes that answer notifies `principals_changed` with the user's id, from
-- triggers so that no write path (the API, an operator's UPDATE, a cascade) can forget it. NOTIFY is
-- transactional: it is delivered at commit, never for a change that rolls back. These tables are
-- written rarely, so the notify lock such commits take costs nothing that matters. A new token needs
-- no notification (no process can have cached it), so login's INSERT into auth_tokens has no trigger.
CREATE FUNCTION principals_notify_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- Identical notifications of one transaction are delivered once, so an UPDATE that keeps its
    -- user_id costs one.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM pg_notify('principals_changed', OLD.user_id::text);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        PERFORM pg_notify('principals_changed', NEW.user_id::text);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION principals_notify_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('principals_changed', NEW.id::text);
    RETURN NULL;
END $$;

-- Anything that is not a user id empties every cache.
CREATE FUNCTION principals_notify_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('principals_changed', '*');
    RETURN NULL;
END $$;

-- A revoked token (logout), or one whose expiry or owner an operator changes; a deleted one
-- (a deleted user's tokens go by cascade, which fires this too).
CREATE TRIGGER auth_tokens_principals_update AFTER UPDATE ON auth_tokens
    FOR EACH ROW
    WHEN ((OLD.revoked_at, OLD.expires_at, OLD.user_id) IS DISTINCT FROM (NEW.revoked_at, NEW.expires_at, NEW.user_id))
    EXECUTE FUNCTION principals_notify_row();
CREATE TRIGGER auth_tokens_principals_delete AFTER DELETE ON auth_tokens
    FOR EACH ROW EXECUTE FUNCTION principals_notify_row();
CREATE TRIGGER auth_tokens_principals_truncate AFTER TRUNCATE ON auth_tokens
    FOR EACH STATEMENT EXECUTE FUNCTION principals_notify_all();

-- A deactivated (or reactivated) account.
CREATE TRIGGER users_principals_active AFTER UPDATE OF is_active ON users
    FOR EACH ROW WHEN (OLD.is_active IS DISTINCT FROM NEW.is_active)
    EXECUTE FUNCTION principals_notify_user();

-- Grants added, changed or revoked, whichever module wrote them (accounts, supplier members, couriers).
CREATE TRIGGER role_grants_principals AFTER INSERT OR UPDATE OR DELETE ON role_grants
    FOR EACH ROW EXECUTE FUNCTION principals_notify_row();
CREATE TRIGGER role_grants_principals_truncate AFTER TRUNCATE ON role_grants
    FOR EACH STATEMENT EXECUTE FUNCTION principals_notify_all();
