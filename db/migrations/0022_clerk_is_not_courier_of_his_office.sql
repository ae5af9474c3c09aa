-- Separation of duties (SPEC §1): a clerk is never a courier of the post office where he is a clerk,
-- whichever role comes first and whoever grants it (an admin, a clerk adding couriers, a seed). The
-- user's row is locked first, as every writer of grants does, so two grants at once cannot both pass.
CREATE FUNCTION role_grants_separate_duties() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.role IN ('clerk', 'courier') AND NEW.post_office_id IS NOT NULL THEN
        PERFORM 1 FROM users WHERE id = NEW.user_id FOR UPDATE;
        IF EXISTS (
            SELECT 1 FROM role_grants g
            WHERE g.user_id = NEW.user_id AND g.post_office_id = NEW.post_office_id
              AND g.role = CASE NEW.role WHEN 'clerk' THEN 'courier' ELSE 'clerk' END
        ) THEN
            RAISE EXCEPTION 'a clerk cannot be a courier of the post office where he is a clerk'
                USING ERRCODE = 'MK002';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER role_grants_separate_duties BEFORE INSERT ON role_grants
    FOR EACH ROW EXECUTE FUNCTION role_grants_separate_duties();
