-- Delivered COD parcels with their collections posted, for the money benchmarks (issue 6): :parcels
-- parcels from :suppliers suppliers, delivered by the demo couriers at the demo post offices, spread
-- over the :days days before now. Bulk-loaded: triggers (and so FK checks) are off for this session
-- and the balances the entry trigger would keep are computed once at the end, the way a restore
-- would. Every transaction still sums to zero (`market ledger check` verifies it afterwards).
--   psql -v code=LB1 -v parcels=100000 -v suppliers=300 -v days=30 -f ledger-seed.sql
\set ON_ERROR_STOP on
BEGIN;
SET LOCAL session_replication_role = replica;

CREATE TEMP TABLE lb_suppliers ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY s.id) AS k, s.id AS supplier_id, v.id AS variant_id, v.product_id
FROM suppliers s
JOIN LATERAL (SELECT id, product_id FROM product_variants WHERE supplier_id = s.id ORDER BY id LIMIT 1) v ON true
WHERE s.status = 'active'
ORDER BY s.id LIMIT :suppliers;

CREATE TEMP TABLE lb_couriers ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY c.user_id) AS k, c.user_id, c.post_office_id FROM couriers c
JOIN post_offices po ON po.id = c.post_office_id WHERE po.code NOT LIKE 'BENCH-%' AND po.code NOT LIKE 'PROBE-%';

CREATE TEMP TABLE lb ON COMMIT DROP AS
SELECT n, gen_random_uuid() AS order_id, gen_random_uuid() AS package_id, gen_random_uuid() AS tx_id,
    s.supplier_id, s.variant_id, s.product_id, c.user_id AS courier_id, c.post_office_id,
    (50 + (n * 37) % 450) * 1000 AS items, 18000 AS shipping, 500 AS bps,
    now() - ((n::bigint * 7919) % (:days * 86400)) * interval '1 second' AS delivered_at
FROM generate_series(1, :parcels) AS n
JOIN lb_suppliers s ON s.k = 1 + n % (SELECT count(*) FROM lb_suppliers)
JOIN lb_couriers c ON c.k = 1 + n % (SELECT count(*) FROM lb_couriers);

INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone, province_code,
    commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd, tariff_id, delivery_code,
    created_at)
SELECT order_id, :'code' || '-' || n, (SELECT id FROM users WHERE email = 'bench@example.vn'), 'completed', 'cod',
    'Người nhận', '0905123456', '48', '20410', 'Số ' || n, items, shipping, items + shipping,
    (SELECT id FROM shipping_tariffs ORDER BY effective_from LIMIT 1), '123456', delivered_at - interval '2 days'
FROM lb;

INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd, return_charge_vnd,
    pickup_post_office_id, delivery_post_office_id, at_post_office_id, delivered_at, cod_collected_vnd, created_at)
SELECT package_id, order_id, supplier_id, :'code' || '-' || n || '-1', 'delivered', items, 1000, 'same_province',
    shipping, items + shipping, GREATEST(8000, ((items + shipping) * 80 + 5000) / 10000), 80, 8000, shipping,
    post_office_id, post_office_id, post_office_id, delivered_at, items + shipping, delivered_at - interval '2 days'
FROM lb;

INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
    unit_price_vnd, quantity, line_total_vnd, weight_grams, position, commission_bps)
SELECT gen_random_uuid(), order_id, package_id, variant_id, product_id, 'LB', 'Hàng đo tải', 'Gói', items, 1, items,
    1000, 1, bps
FROM lb;

INSERT INTO ledger_accounts (kind, owner_id)
SELECT 'courier_cash', user_id FROM lb_couriers
UNION ALL SELECT 'seller_payable', supplier_id FROM lb_suppliers
UNION ALL SELECT k, NULL FROM unnest(ARRAY['platform_commission', 'cod_fee_revenue', 'shipping_revenue']) AS k
ON CONFLICT (kind, owner_id) DO NOTHING;

INSERT INTO ledger_transactions (id, kind, package_id, order_id, created_by, created_at)
SELECT tx_id, 'cod_collection', package_id, order_id, courier_id, delivered_at FROM lb;

-- courier cash Dr collected; seller Cr share; commission, COD fee and shipping Cr.
INSERT INTO ledger_entries (transaction_id, account_id, amount_vnd)
SELECT l.tx_id, a.id, e.amount
FROM lb l
CROSS JOIN LATERAL (VALUES
    ('courier_cash', l.courier_id, l.items + l.shipping),
    ('seller_payable', l.supplier_id,
        -(l.items - (l.items * l.bps + 5000) / 10000 - GREATEST(8000, ((l.items + l.shipping) * 80 + 5000) / 10000))),
    ('platform_commission', NULL::uuid, -((l.items * l.bps + 5000) / 10000)),
    ('cod_fee_revenue', NULL::uuid, -GREATEST(8000, ((l.items + l.shipping) * 80 + 5000) / 10000)),
    ('shipping_revenue', NULL::uuid, -l.shipping)
) AS e (kind, owner, amount)
JOIN ledger_accounts a ON a.kind = e.kind AND a.owner_id IS NOT DISTINCT FROM e.owner;

UPDATE ledger_accounts a SET balance_vnd = s.total
FROM (SELECT account_id, sum(amount_vnd) AS total FROM ledger_entries GROUP BY account_id) s
WHERE a.id = s.account_id;
COMMIT;
ANALYZE orders;
ANALYZE packages;
ANALYZE order_lines;
ANALYZE ledger_transactions;
ANALYZE ledger_entries;
