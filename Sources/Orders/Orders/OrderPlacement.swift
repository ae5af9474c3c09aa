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

    private func all<Statement: PostgresPreparedStatement>(_ statement: Statement) async throws -> [Statement.Row] {
        var rows: [Statement.Row] = []
        for try await row in try await connection.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }

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
        let rows = try await all(Claim(buyer: buyer, key: key, hash: hash, communeCode: communeCode))
        return rows.first.map {
            Claimed(number: $0.0, at: $0.1, tariffID: $0.2, destinationProvince: $0.3, destinationRegion: $0.4)
        }
    }

    /// Prepared once per connection: orders are the hot write path, and planning these statements
    /// anew each time cost more than running them (measured with pg_stat_statements).
    struct Claim: PostgresPreparedStatement {
        static let sql = """
            WITH claim AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body)
                VALUES ($1::uuid, $2::text, $3::text, 0, '')
                ON CONFLICT (user_id, key) DO NOTHING RETURNING 1)
            SELECT 'DH' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD')
                    || lpad(nextval('order_number_seq')::text, 6, '0'),
                now(),
                (SELECT id FROM shipping_tariffs WHERE effective_from <= vn_today()
                    ORDER BY effective_from DESC LIMIT 1),
                c.province_code, p.region
            FROM claim
            LEFT JOIN communes c ON c.code = $4::text
            LEFT JOIN provinces p ON p.code = c.province_code
            """
        typealias Row = (String, Date, UUID?, String?, String?)
        var buyer: UUID
        var key: String
        var hash: String
        var communeCode: String

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings()
            binds.append(buyer)
            binds.append(key)
            binds.append(hash)
            binds.append(communeCode)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
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
        var variants: [UUID: PurchasableVariant] = [:]
        var sellers: [UUID: String] = [:]
        for r in try await all(LockVariants(ids: ids)) {
            variants[r.0] = PurchasableVariant(
                id: r.0, productID: r.1, supplierID: r.2, sku: r.3, productTitle: r.4, variantName: r.5, priceVND: r.6,
                weightGrams: r.7, stockOnHand: r.8, isOnSale: r.9, supplierCommune: r.10, supplierProvince: r.11,
                supplierRegion: r.12)
            sellers[r.2] = r.13
        }
        return (variants, sellers)
    }

    struct LockVariants: PostgresPreparedStatement {
        static let sql = """
            SELECT v.id, v.product_id, v.supplier_id, v.sku, p.title, v.name, v.price_vnd, v.weight_grams,
                v.stock_on_hand, (v.is_active AND p.status = 'active' AND s.status = 'active'),
                s.commune_code, s.province_code, pr.region, s.name
            FROM product_variants v
            JOIN products p ON p.id = v.product_id
            JOIN suppliers s ON s.id = v.supplier_id
            LEFT JOIN provinces pr ON pr.code = s.province_code
            WHERE v.id = ANY($1::uuid[])
            ORDER BY v.id
            FOR UPDATE OF v
            """
        typealias Row = (UUID, UUID, UUID, String, String, String, Int64, Int, Int, Bool, String?, String?, String?, String)
        var ids: [UUID]

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings()
            binds.append(ids)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// Takes the stock and writes the order, its packages, lines, outbox event and the response kept
    /// for replays: one statement. The stock was checked under the locks; the table's CHECK keeps it
    /// from going below zero regardless.
    func write(_ placed: PlacedOrder, buyer: UUID, key: String, response: String) async throws {
        let rows = try await all(Write(placed: placed, buyer: buyer, key: key, response: response))
        let lines = placed.order.packages.reduce(0) { $0 + $1.lines.count }
        guard let written = rows.first, written.0 == lines, written.1 == placed.order.packages.count,
            written.2 == lines, written.3 == 1, written.4 == 1
        else {
            // Cannot happen with the variants locked and the key claimed in this transaction;
            // refusing keeps a surprise from ever committing half an order.
            throw DomainError.conflict(kind: "order-not-written", detail: "The order could not be written; retry.")
        }
    }

    struct Write: PostgresPreparedStatement {
        static let sql = """
            WITH taken AS (
                UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - t.quantity, updated_at = now()
                FROM unnest($19::uuid[], $20::int4[]) AS t(id, quantity)
                WHERE v.id = t.id
                RETURNING v.id),
            placed AS (
                INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone,
                    province_code, commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd,
                    tariff_id, delivery_code, payment_due_at)
                VALUES ($1::uuid, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
                    $10::text, $11::int8, $12::int8, $13::int8, $14::uuid, $15::text, $16::timestamptz)
                RETURNING id),
            packed AS (
                INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
                    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd)
                SELECT k.id, $1::uuid, k.supplier_id, k.number, k.status, k.items, k.weight, k.zone, k.shipping,
                    k.collect, k.cod_fee, $17::int4, $18::int8
                FROM unnest($21::uuid[], $22::uuid[], $23::text[], $24::text[], $25::int8[], $26::int4[],
                    $27::text[], $28::int8[], $29::int8[], $30::int8[])
                    AS k(id, supplier_id, number, status, items, weight, zone, shipping, collect, cod_fee)
                RETURNING id),
            lined AS (
                INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
                    unit_price_vnd, quantity, line_total_vnd, weight_grams, position)
                SELECT gen_random_uuid(), $1::uuid, l.package_id, l.variant_id, l.product_id, l.sku, l.title,
                    l.variant_name, l.unit_price, l.quantity, l.line_total, v.weight_grams, l.position
                FROM unnest($31::uuid[], $19::uuid[], $32::uuid[], $33::text[], $34::text[], $35::text[],
                    $36::int8[], $20::int4[], $37::int8[], $38::int4[])
                    AS l(package_id, variant_id, product_id, sku, title, variant_name, unit_price, quantity,
                        line_total, position)
                JOIN product_variants v ON v.id = l.variant_id
                RETURNING id),
            evented AS (
                INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
                VALUES ('order.created', 'order', $1::uuid,
                    jsonb_build_object('number', $2::text, 'status', $4::text))
                RETURNING id),
            answered AS (
                UPDATE idempotency_keys SET response_status = 201, response_body = $39::text, order_id = $1::uuid
                WHERE user_id = $3::uuid AND key = $40::text
                RETURNING 1)
            SELECT (SELECT count(*) FROM taken), (SELECT count(*) FROM packed), (SELECT count(*) FROM lined),
                (SELECT count(*) FROM answered), (SELECT count(*) FROM evented)
            """
        typealias Row = (Int, Int, Int, Int, Int)
        var placed: PlacedOrder
        var buyer: UUID
        var key: String
        var response: String

        func makeBindings() throws -> PostgresBindings {
            let order = placed.order
            let a = order.address
            let packages = order.packages
            // Lines in package order, numbered within their package; $19 and $20 serve both the stock
            // taken and the lines written.
            let lines = packages.flatMap { package in
                package.lines.enumerated().map { (package: package.id, position: $0.offset + 1, line: $0.element) }
            }
            var b = PostgresBindings()
            b.append(order.id)  // $1
            b.append(order.number)
            b.append(buyer)
            b.append(order.status.rawValue)
            b.append(order.paymentMethod.rawValue)  // $5
            b.append(a.recipientName)
            b.append(a.phone)
            b.append(a.provinceCode)
            b.append(a.communeCode)
            b.append(a.addressLine)  // $10
            b.append(order.itemsTotalVND)
            b.append(order.shippingTotalVND)
            b.append(order.grandTotalVND)
            b.append(placed.tariffID)
            b.append(order.deliveryCode)  // $15
            if let due = order.paymentDueAt { b.append(due) } else { b.appendNull() }
            b.append(placed.codFeeBps)
            b.append(placed.codFeeMinVND)
            b.append(lines.map(\.line.variantID))
            b.append(lines.map(\.line.quantity))  // $20
            b.append(packages.map(\.id))
            b.append(packages.map(\.supplierID))
            b.append(packages.map(\.number))
            b.append(packages.map(\.status.rawValue))
            b.append(packages.map(\.itemsTotalVND))  // $25
            b.append(packages.map(\.weightGrams))
            b.append(packages.map(\.zone))
            b.append(packages.map(\.shippingFeeVND))
            b.append(packages.map(\.codAmountVND))
            b.append(packages.map { placed.codFees[$0.id] ?? 0 })  // $30
            b.append(lines.map(\.package))
            b.append(lines.map(\.line.productID))
            b.append(lines.map(\.line.sku))
            b.append(lines.map(\.line.title))
            b.append(lines.map(\.line.variantName))  // $35
            b.append(lines.map(\.line.unitPriceVND))
            b.append(lines.map(\.line.lineTotalVND))
            b.append(lines.map(\.position))
            b.append(response)
            b.append(key)  // $40
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
