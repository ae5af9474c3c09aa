-- Issue 20 (SPEC §5): parcels priced and declared like a carrier's.
-- A variant's packed size (cm); its volume is what volumetric weight is computed from.
ALTER TABLE product_variants
    ADD COLUMN length_cm integer CHECK (length_cm BETWEEN 1 AND 300),
    ADD COLUMN width_cm integer CHECK (width_cm BETWEEN 1 AND 300),
    ADD COLUMN height_cm integer CHECK (height_cm BETWEEN 1 AND 300),
    ADD CONSTRAINT product_variants_dimensions_together CHECK (
        (length_cm IS NULL) = (width_cm IS NULL) AND (width_cm IS NULL) = (height_cm IS NULL)),
    ADD COLUMN volume_cm3 bigint GENERATED ALWAYS AS (length_cm::bigint * width_cm * height_cm) STORED;

-- The tariff's volumetric divisor (L×W×H cm / divisor = kg; 6000 is GHN's, GHTK's and the UPU's
-- usual figure) and its insurance: basis points of the declared value with a minimum, charged when
-- the rate is set. Versions are history: existing ones get the divisor (no variant had a size before,
-- so no price they made changes) and no insurance.
ALTER TABLE shipping_tariffs
    ADD COLUMN volumetric_divisor integer NOT NULL DEFAULT 6000 CHECK (volumetric_divisor BETWEEN 1000 AND 10000),
    ADD COLUMN insurance_bps integer NOT NULL DEFAULT 0 CHECK (insurance_bps BETWEEN 0 AND 1000),
    ADD COLUMN insurance_min_vnd bigint NOT NULL DEFAULT 0 CHECK (insurance_min_vnd BETWEEN 0 AND 1000000);

-- What a package was priced on: the greater of actual and volumetric weight, the declared value (its
-- goods' value) and the insurance fee (part of `shipping_fee_vnd`, which the buyer pays and the ledger
-- books as shipping revenue). Old packages: their actual weight, their goods, no insurance.
ALTER TABLE packages
    ADD COLUMN chargeable_weight_grams integer CHECK (chargeable_weight_grams > 0),
    ADD COLUMN declared_value_vnd bigint CHECK (declared_value_vnd >= 0),
    ADD COLUMN insurance_fee_vnd bigint NOT NULL DEFAULT 0 CHECK (insurance_fee_vnd >= 0);

-- Order pricing reads each variant's volume with the rest (0020's function, one column more).
DROP FUNCTION order_pricing_context(uuid[], text, uuid, text);
CREATE FUNCTION order_pricing_context(variant_ids uuid[], commune text, buyer uuid, idem_key text)
RETURNS TABLE (
    number text, at timestamptz, tariff_id uuid, province_code text, region text,
    request_hash text, result text, key_order_id uuid,
    id uuid, product_id uuid, supplier_id uuid, sku text, title text, name text, price_vnd bigint,
    weight_grams integer, stock_on_hand integer, on_sale boolean, supplier_commune text,
    supplier_province text, supplier_region text, seller text, volume_cm3 bigint)
LANGUAGE plpgsql
SET plan_cache_mode = force_generic_plan
AS $$
#variable_conflict use_column
BEGIN
    RETURN QUERY
    SELECT x.number, x.at, x.tariff_id, x.province_code, x.region, k.request_hash, k.result, k.order_id,
        v.id, v.product_id, v.supplier_id, v.sku, v.title, v.name, v.price_vnd,
        v.weight_grams, v.stock_on_hand, v.on_sale, v.commune_code, v.province_code, v.region, v.seller,
        v.volume_cm3
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
            s.commune_code, s.province_code, sp.region, s.name AS seller, v.volume_cm3
        FROM product_variants v
        JOIN products p ON p.id = v.product_id
        JOIN suppliers s ON s.id = v.supplier_id
        LEFT JOIN provinces sp ON sp.code = s.province_code
        WHERE v.id = ANY(order_pricing_context.variant_ids)
    ) v ON true;
END $$;
