-- Order placement is one statement (Sources/Orders/Orders/OrderPlacement.swift): it locks the
-- variants and compares them with what the order was priced from. When they differ (stock taken,
-- a price, weight or seller changed in between), this raises and the whole statement, key claim
-- included, is undone; the service reads again and prices anew.
CREATE FUNCTION order_placement_verified(ok boolean) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    IF ok IS NOT TRUE THEN
        RAISE EXCEPTION 'the cart changed since it was priced' USING ERRCODE = 'MK001';
    END IF;
    RETURN true;
END $$;
