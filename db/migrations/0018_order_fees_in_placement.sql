-- Order placement (Sources/Orders/Orders/OrderPlacement.swift) now writes each line's commission
-- rate and each package's return charge itself, in the statement that inserts them: the same rules
-- as the triggers of migration 0011, evaluated once per statement instead of a PL/pgSQL call per row
-- (two lookups per line; measured as about 4 % of the machine's CPU under order load).
-- The triggers stay for any other writer, and fire only when the value was left at its default.
DROP TRIGGER order_lines_commission ON order_lines;
CREATE TRIGGER order_lines_commission BEFORE INSERT ON order_lines
    FOR EACH ROW WHEN (NEW.commission_bps = 0) EXECUTE FUNCTION order_line_commission();

DROP TRIGGER packages_return_charge ON packages;
CREATE TRIGGER packages_return_charge BEFORE INSERT ON packages
    FOR EACH ROW WHEN (NEW.return_charge_vnd = 0) EXECUTE FUNCTION package_return_charge();
