import Catalog
import Foundation
import Logging
import PostgresNIO

/// The statements of one order placement. A placement is three statements in one transaction
/// (claim the key, lock and read the variants, write everything), so an order costs five round
/// trips with BEGIN and COMMIT, whatever the number of lines and packages; the rules in between
/// (`StockCheck`, `Checkout`, `PlacedOrder`) are pure.
struct OrderPlacement {
    let connection: PostgresConnection
    let logger: Logger

    /// What the claim learnt, when this request is the first with its key.
    struct Claimed {
        var number: String
        /// The transaction's time: the order's `created_at`.
        var at: Date
        var tariffID: UUID?
        /// The commune's province and region, when the commune exists.
        var destinationProvince: String?
        var destinationRegion: String?
    }

    /// Claims (buyer, key). The primary key makes a concurrent retry wait here until this
    /// transaction ends; it then finds the stored response (or, if this one rolled back, claims the
    /// key itself). Nil when the key was already taken. The order number is drawn only on a claim.
    func claim(buyer: UUID, key: String, hash: String, communeCode: String) async throws -> Claimed? {
        let rows = try await connection.query(
            """
            WITH claim AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body)
                VALUES (\(buyer), \(key), \(hash), 0, '')
                ON CONFLICT (user_id, key) DO NOTHING RETURNING 1)
            SELECT 'DH' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD')
                    || lpad(nextval('order_number_seq')::text, 6, '0'),
                now(),
                (SELECT id FROM shipping_tariffs WHERE effective_from <= vn_today()
                    ORDER BY effective_from DESC LIMIT 1),
                c.province_code, p.region
            FROM claim
            LEFT JOIN communes c ON c.code = \(communeCode)
            LEFT JOIN provinces p ON p.code = c.province_code
            """,
            logger: logger
        ).collect().decode((String, Date, UUID?, String?, String?).self)
        return rows.first.map {
            Claimed(number: $0.0, at: $0.1, tariffID: $0.2, destinationProvince: $0.3, destinationRegion: $0.4)
        }
    }

    /// What an earlier request with this key stored: its request digest and response.
    func stored(buyer: UUID, key: String) async throws -> (hash: String, status: Int, body: String)? {
        try await connection.query(
            """
            SELECT request_hash, response_status, response_body FROM idempotency_keys
            WHERE user_id = \(buyer) AND key = \(key)
            """,
            logger: logger
        ).collect().decode((String, Int, String).self).first.map { ($0.0, $0.1, $0.2) }
    }

    /// Locks the variants in id order (as every path that moves stock does, so they never deadlock)
    /// and reads them as they are now, with their sellers' names.
    func lockVariants(_ ids: [UUID]) async throws -> (variants: [UUID: PurchasableVariant], sellers: [UUID: String]) {
        let rows = try await connection.query(
            """
            SELECT v.id, v.product_id, v.supplier_id, v.sku, p.title, v.name, v.price_vnd, v.weight_grams,
                v.stock_on_hand, (v.is_active AND p.status = 'active' AND s.status = 'active'),
                s.commune_code, s.province_code, pr.region, s.name
            FROM product_variants v
            JOIN products p ON p.id = v.product_id
            JOIN suppliers s ON s.id = v.supplier_id
            LEFT JOIN provinces pr ON pr.code = s.province_code
            WHERE v.id = ANY(\(ids))
            ORDER BY v.id
            FOR UPDATE OF v
            """,
            logger: logger
        ).collect().decode(
            (UUID, UUID, UUID, String, String, String, Int64, Int, Int, Bool, String?, String?, String?, String).self)
        var variants: [UUID: PurchasableVariant] = [:]
        var sellers: [UUID: String] = [:]
        for r in rows {
            variants[r.0] = PurchasableVariant(
                id: r.0, productID: r.1, supplierID: r.2, sku: r.3, productTitle: r.4, variantName: r.5, priceVND: r.6,
                weightGrams: r.7, stockOnHand: r.8, isOnSale: r.9, supplierCommune: r.10, supplierProvince: r.11,
                supplierRegion: r.12)
            sellers[r.2] = r.13
        }
        return (variants, sellers)
    }

    /// Takes the stock and writes the order, its packages, lines, outbox event and the response kept
    /// for replays: one statement. The stock was checked under the locks; the table's CHECK keeps it
    /// from going below zero regardless.
    func write(_ placed: PlacedOrder, buyer: UUID, key: String, response: String) async throws {
        let order = placed.order
        let a = order.address
        let lines = order.packages.flatMap { package in
            package.lines.enumerated().map { (package: package, position: $0.offset + 1, line: $0.element) }
        }
        let packages = order.packages
        let counts = try await connection.query(
            """
            WITH taken AS (
                UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - t.quantity, updated_at = now()
                FROM unnest(\(lines.map(\.line.variantID))::uuid[], \(lines.map(\.line.quantity))::int[])
                    AS t(id, quantity)
                WHERE v.id = t.id
                RETURNING v.id),
            placed AS (
                INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone,
                    province_code, commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd,
                    tariff_id, delivery_code, payment_due_at)
                VALUES (\(order.id), \(order.number), \(buyer), \(order.status.rawValue),
                    \(order.paymentMethod.rawValue), \(a.recipientName), \(a.phone), \(a.provinceCode),
                    \(a.communeCode), \(a.addressLine), \(order.itemsTotalVND), \(order.shippingTotalVND),
                    \(order.grandTotalVND), \(placed.tariffID), \(order.deliveryCode), \(order.paymentDueAt))
                RETURNING id),
            packed AS (
                INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
                    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd)
                SELECT k.id, \(order.id), k.supplier_id, k.number, k.status, k.items, k.weight, k.zone, k.shipping,
                    k.collect, k.cod_fee, \(placed.codFeeBps), \(placed.codFeeMinVND)
                FROM unnest(\(packages.map(\.id))::uuid[], \(packages.map(\.supplierID))::uuid[],
                    \(packages.map(\.number))::text[], \(packages.map(\.status.rawValue))::text[],
                    \(packages.map(\.itemsTotalVND))::int8[], \(packages.map(\.weightGrams))::int4[],
                    \(packages.map(\.zone))::text[], \(packages.map(\.shippingFeeVND))::int8[],
                    \(packages.map(\.codAmountVND))::int8[], \(packages.map { placed.codFees[$0.id] ?? 0 })::int8[])
                    AS k(id, supplier_id, number, status, items, weight, zone, shipping, collect, cod_fee)
                RETURNING id),
            lined AS (
                INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
                    unit_price_vnd, quantity, line_total_vnd, weight_grams, position)
                SELECT gen_random_uuid(), \(order.id), l.package_id, l.variant_id, l.product_id, l.sku, l.title,
                    l.variant_name, l.unit_price, l.quantity, l.line_total, v.weight_grams, l.position
                FROM unnest(\(lines.map(\.package.id))::uuid[], \(lines.map(\.line.variantID))::uuid[],
                    \(lines.map(\.line.productID))::uuid[], \(lines.map(\.line.sku))::text[],
                    \(lines.map(\.line.title))::text[], \(lines.map(\.line.variantName))::text[],
                    \(lines.map(\.line.unitPriceVND))::int8[], \(lines.map(\.line.quantity))::int4[],
                    \(lines.map(\.line.lineTotalVND))::int8[], \(lines.map(\.position))::int4[])
                    AS l(package_id, variant_id, product_id, sku, title, variant_name, unit_price, quantity,
                        line_total, position)
                JOIN product_variants v ON v.id = l.variant_id
                RETURNING id),
            evented AS (
                INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
                VALUES ('order.created', 'order', \(order.id),
                    jsonb_build_object('number', \(order.number)::text, 'status', \(order.status.rawValue)::text))
                RETURNING id),
            answered AS (
                UPDATE idempotency_keys SET response_status = 201, response_body = \(response), order_id = \(order.id)
                WHERE user_id = \(buyer) AND key = \(key)
                RETURNING 1)
            SELECT (SELECT count(*) FROM taken), (SELECT count(*) FROM packed), (SELECT count(*) FROM lined),
                (SELECT count(*) FROM answered), (SELECT count(*) FROM evented)
            """,
            logger: logger
        ).collect().decode((Int, Int, Int, Int, Int).self)
        guard let written = counts.first, written.0 == lines.count, written.1 == packages.count,
            written.2 == lines.count, written.3 == 1, written.4 == 1
        else {
            // Cannot happen with the variants locked and the key claimed in this transaction;
            // refusing keeps a surprise from ever committing half an order.
            throw DomainError.conflict(kind: "order-not-written", detail: "The order could not be written; retry.")
        }
    }
}
