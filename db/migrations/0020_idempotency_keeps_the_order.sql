-- An idempotency key keeps the domain's result, not an HTTP response: `result` holds the placed order
-- as a JSON snapshot of `Orders.Order` (`OrderSnapshot`), which the API renders again on a replay.
-- The HTTP status is the edge's business and is no longer stored. Keys claimed before this migration
-- hold the response body the API sent then; `OrderService` replays those from the order as it is now
-- (keys are kept 48 hours, so only retries across the upgrade see the difference).
ALTER TABLE idempotency_keys RENAME COLUMN response_body TO result;
ALTER TABLE idempotency_keys DROP COLUMN response_status;

-- The same function as in 0019, returning `result` and the key's order instead of the response.
DROP FUNCTION order_pricing_context(uuid[], text, uuid, text);
CREATE FUNCTION order_pricing_context(variant_ids uuid[], commune text, buyer uuid, idem_key text)
RETURNS TABLE (
    number text, at timestamptz, tariff_id uuid, province_code text, region text,
    request_hash text, result text, key_order_id uuid,
    id uuid, product_id uuid, supplier_id uuid, sku text, title text, name text, price_vnd bigint,
    weight_grams integer, stock_on_hand integer, on_sale boolean, supplier_commune text,
    supplier_province text, supplier_region text, seller text)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT x.number, x.at, x.tariff_id, x.province_code, x.region, k.request_hash, k.result, k.order_id,
        v.id, v.product_id, v.supplier_id, v.sku, v.title, v.name, v.price_vnd,
        v.weight_grams, v.stock_on_hand, v.on_sale, v.commune_code, v.province_code, v.region, v.seller
    FROM (
        SELECT 'DH' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD')
                || (SELECT CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END
                    FROM (SELECT nextval('order_number_seq') AS n) AS s) AS number,
            now() AS at,
            (SELECT t.id FROM shipping_tariffs t WHERE t.effective_from <= vn_today()
                ORDER BY t.effective_from DESC LIMIT 1) AS tariff_id,
            c.province_code, pr.region
        FROM (SELECT 1) AS one
        LEFT JOIN communes c ON c.code = order_pricing_context.commune
        LEFT JOIN provinces pr ON pr.code = c.province_code
    ) x
    LEFT JOIN idempotency_keys k ON k.user_id = order_pricing_context.buyer
        AND k.key = order_pricing_context.idem_key
    LEFT JOIN (
        SELECT v.id, v.product_id, v.supplier_id, v.sku, p.title, v.name, v.price_vnd, v.weight_grams,
            v.stock_on_hand, (v.is_active AND p.status = 'active' AND s.status = 'active') AS on_sale,
            s.commune_code, s.province_code, sp.region, s.name AS seller
        FROM product_variants v
        JOIN products p ON p.id = v.product_id
        JOIN suppliers s ON s.id = v.supplier_id
        LEFT JOIN provinces sp ON sp.code = s.province_code
        WHERE v.id = ANY(order_pricing_context.variant_ids)
    ) v ON true;
END $$;
