-- A post office day for the logistics benchmarks (issue 5): one new office (:'code'), 1,500 active
-- suppliers around it, 5,000 parcels ready for pickup (COD, 0.3–3 kg, valid S10 numbers of the
-- benchmark's own series 'EB'), and 20 couriers who sign in with the benchmark admin's password.
-- Each run makes a new office, so runs never see each other's plans or scans.
--   psql -v code=BENCH-123 -v suppliers=1500 -v parcels=5000 -v couriers=20 -f logistics-seed.sql
\set ON_ERROR_STOP on
BEGIN;
INSERT INTO s10_series (service, next_serial) VALUES ('EB', 1) ON CONFLICT DO NOTHING;

CREATE TEMP TABLE bench_office ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, c.code AS commune_code, c.lat, c.lon
FROM communes c WHERE c.province_code = '48' AND c.lat IS NOT NULL ORDER BY c.code LIMIT 1;

INSERT INTO post_offices (id, code, name, province_code, commune_code, address_line, lat, lon)
SELECT id, :'code', 'Bưu cục đo tải ' || :'code', '48', commune_code, '1 Đường Thử', 15.57, 108.47
FROM bench_office;

-- Suppliers scattered over about 40 × 40 km around the office, in communes of the province.
CREATE TEMP TABLE bench_suppliers ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, n, (SELECT code FROM communes WHERE province_code = '48' ORDER BY code
    OFFSET (n % 90) LIMIT 1) AS commune_code,
    15.57 + (random() - 0.5) * 0.36 AS lat, 108.47 + (random() - 0.5) * 0.36 AS lon
FROM generate_series(1, :suppliers) AS n;

INSERT INTO suppliers (id, name, kind, status, phone, province_code, commune_code, address_line, lat, lon)
SELECT id, 'Hộ sản xuất đo tải ' || n, 'household', 'active', '0905' || lpad(n::text, 6, '0'), '48',
    commune_code, n || ' Thôn Đo Tải', lat, lon
FROM bench_suppliers;

CREATE TEMP TABLE bench_variants ON COMMIT DROP AS
SELECT s.id AS supplier_id, s.n, gen_random_uuid() AS product_id, gen_random_uuid() AS variant_id
FROM bench_suppliers s;

INSERT INTO products (id, supplier_id, title, description, category_code, origin_province_code, status)
SELECT product_id, supplier_id, 'Sản phẩm đo tải ' || n, '', 'seasonings', '48', 'active' FROM bench_variants;
INSERT INTO product_variants (id, product_id, supplier_id, sku, name, price_vnd, weight_grams, stock_on_hand, position)
SELECT variant_id, product_id, supplier_id, 'BENCH-' || n, 'Gói', 100000, 1000, 1000000, 1 FROM bench_variants;

-- One order of one package per parcel, bought by the benchmark admin.
CREATE TEMP TABLE bench_parcels ON COMMIT DROP AS
SELECT gen_random_uuid() AS order_id, gen_random_uuid() AS package_id, gen_random_uuid() AS line_id, p AS n,
    v.supplier_id, v.product_id, v.variant_id, 300 + (random() * 2700)::int AS grams
FROM generate_series(1, :parcels) AS p
JOIN bench_variants v ON v.n = 1 + (p - 1) % :suppliers;

INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone, province_code,
    commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd, tariff_id, delivery_code)
SELECT b.order_id, 'BENCH' || :'code' || '-' || b.n, (SELECT id FROM users WHERE email = 'bench@example.vn'),
    'placed', 'cod', 'Người nhận đo tải', '0905123456', '48', (SELECT commune_code FROM bench_office),
    'Số ' || b.n, 100000, 20000, 120000, (SELECT id FROM shipping_tariffs ORDER BY effective_from LIMIT 1),
    '123456'
FROM bench_parcels b;

-- S10 serials from the 'EB' series, with their check digit (weights 8 6 4 2 3 5 9 7).
WITH serials AS (
    SELECT b.package_id, s.next_serial + b.n - 1 AS serial
    FROM bench_parcels b, (SELECT next_serial FROM s10_series WHERE service = 'EB' FOR UPDATE) s
), digits AS (
    SELECT package_id, serial, lpad(serial::text, 8, '0') AS d FROM serials
), checked AS (
    SELECT package_id, d, 11 - ((substr(d, 1, 1)::int * 8 + substr(d, 2, 1)::int * 6 + substr(d, 3, 1)::int * 4
        + substr(d, 4, 1)::int * 2 + substr(d, 5, 1)::int * 3 + substr(d, 6, 1)::int * 5
        + substr(d, 7, 1)::int * 9 + substr(d, 8, 1)::int * 7) % 11) AS c
    FROM digits
)
INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd, tracking_no,
    pickup_post_office_id, delivery_post_office_id, ready_at)
SELECT b.package_id, b.order_id, b.supplier_id, 'BENCH' || :'code' || '-' || b.n || '-1', 'ready_for_pickup',
    100000, b.grams, 'same_province', 20000, 120000, 8000, 80, 8000,
    'EB' || k.d || (CASE k.c WHEN 10 THEN 0 WHEN 11 THEN 5 ELSE k.c END)::text || 'VN',
    (SELECT id FROM bench_office), (SELECT id FROM bench_office), now() - (b.n % 600) * interval '1 minute'
FROM bench_parcels b JOIN checked k ON k.package_id = b.package_id;
UPDATE s10_series SET next_serial = next_serial + :parcels WHERE service = 'EB';

INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
    unit_price_vnd, quantity, line_total_vnd, weight_grams, position)
SELECT line_id, order_id, package_id, variant_id, product_id, 'BENCH-' || n, 'Sản phẩm đo tải', 'Gói', 100000, 1,
    100000, grams, 1
FROM bench_parcels;

-- Couriers: granting the role enrols them; then a van's capacity for the day.
CREATE TEMP TABLE bench_couriers ON COMMIT DROP AS
SELECT gen_random_uuid() AS id, n FROM generate_series(1, :couriers) AS n;
INSERT INTO users (id, email, password_hash, display_name, phone)
SELECT c.id, lower(:'code') || '.courier.' || c.n || '@bench.example.vn',
    (SELECT password_hash FROM users WHERE email = 'bench@example.vn'), 'Bưu tá đo tải ' || c.n, '0905999999'
FROM bench_couriers c;
INSERT INTO role_grants (user_id, role, post_office_id)
SELECT c.id, 'courier', (SELECT id FROM bench_office) FROM bench_couriers c;
UPDATE couriers SET max_stops = 80, max_grams = 600000 WHERE user_id IN (SELECT id FROM bench_couriers);
INSERT INTO users (id, email, password_hash, display_name)
SELECT gen_random_uuid(), lower(:'code') || '.clerk@bench.example.vn',
    (SELECT password_hash FROM users WHERE email = 'bench@example.vn'), 'Giao dịch viên đo tải';
INSERT INTO role_grants (user_id, role, post_office_id)
SELECT (SELECT id FROM users WHERE email = lower(:'code') || '.clerk@bench.example.vn'), 'clerk', id FROM bench_office;
COMMIT;
SELECT id FROM post_offices WHERE code = :'code';
