import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// The two statements of an order placement, both prepared once per connection (planning them
/// anew each time cost more than running them, measured with pg_stat_statements), neither inside an
/// explicit transaction:
/// 1. `Prepare` reads, without locking, what pricing needs and whether the key was used before
///    (`order_pricing_context`, migration 0015);
/// 2. `Place` claims the key, locks the variants in id order, checks they are still as priced
///    (`order_placement_verified` raises `MK001` otherwise, undoing everything), takes the stock
///    and writes the order, its packages, lines, outbox event and the response kept for replays.
/// Row locks are held for one statement and its commit only. The rules in between (`StockCheck`,
/// `Checkout`, `PlacedOrder`) are pure.
struct OrderPlacement {
    let connection: PostgresConnection
    let logger: Logger

    /// What pricing needs, read as it is now.
    struct Context {
        var number: String
        /// The statement's time: the order's `created_at`.
        var at: Date
        var tariffID: UUID?
        /// The commune's province and region, when the commune exists.
        var destination: (province: String, region: String)?
        /// What an earlier request with this key left, with the digest of that request.
        var stored: StoredPlacement?
        var variants: [UUID: PurchasableVariant]
        var sellers: [UUID: String]
    }

    func prepare(buyer: UUID, key: String, lines: [CartLine], communeCode: String) async throws -> Context {
        let rows = try await connection.rows(
            Prepare(buyer: buyer, key: key, variantIDs: lines.map(\.variantID), communeCode: communeCode),
            logger: logger)
        guard let first = rows.first else { throw DomainError.conflict(kind: "busy", detail: "Retry this request.") }
        // The order's number, time, tariff, destination and the key's earlier use repeat on every row
        // (one row per variant found, or one row of nulls when none is).
        let province: String? = try first.get("province_code")
        let hash: String? = try first.get("request_hash")
        var context = Context(
            number: try first.get("number"), at: try first.get("at"), tariffID: try first.get("tariff_id"),
            destination: try province.map { ($0, try first.get("region", as: String?.self) ?? "") },
            stored: try hash.map {
                StoredPlacement(
                    requestHash: $0, result: try first.get("result", as: String?.self) ?? "",
                    orderID: try first.get("key_order_id"))
            }, variants: [:], sellers: [:])
        for row in rows {
            guard let id: UUID = try row.get("id") else { continue }
            let variant = PurchasableVariant(
                id: id, productID: try row.get("product_id"), supplierID: try row.get("supplier_id"),
                sku: try row.get("sku"), productTitle: try row.get("title"), variantName: try row.get("name"),
                priceVND: try row.get("price_vnd"), weightGrams: try row.get("weight_grams"),
                stockOnHand: try row.get("stock_on_hand"), isOnSale: try row.get("on_sale"),
                supplierCommune: try row.get("supplier_commune"), supplierProvince: try row.get("supplier_province"),
                supplierRegion: try row.get("supplier_region"))
            context.variants[id] = variant
            context.sellers[variant.supplierID] = try row.get("seller")
        }
        return context
    }

    struct Prepare: PostgresPreparedStatement {
        static let sql = "SELECT * FROM order_pricing_context($1::uuid[], $2::text, $3::uuid, $4::text)"
        /// Read by column name: the function returns 22 columns (migration 0020).
        typealias Row = PostgresRandomAccessRow
        var buyer: UUID
        var key: String
        var variantIDs: [UUID]
        var communeCode: String

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings()
            binds.append(variantIDs)
            binds.append(communeCode)
            binds.append(buyer)
            binds.append(key)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { row.makeRandomAccess() }
    }

    /// What the key keeps, when it was claimed before (possibly a moment ago, by a concurrent retry
    /// that `Place` waited for).
    func stored(buyer: UUID, key: String) async throws -> StoredPlacement? {
        try await connection.query(
            "SELECT request_hash, result, order_id FROM idempotency_keys WHERE user_id = \(buyer) AND key = \(key)",
            logger: logger
        ).collect().decode((String, String, UUID?).self).first.map {
            StoredPlacement(requestHash: $0.0, result: $0.1, orderID: $0.2)
        }
    }

    enum Outcome {
        case placed
        /// Another request holds this key (it committed while this one waited for it).
        case keyTaken
        /// The variants changed between pricing and locking: price again.
        case changed
    }

    func place(_ placed: PlacedOrder, new: NewOrder, buyer: UUID, key: String, result: String) async throws
        -> Outcome
    {
        let rows: [Place.Row]
        do {
            rows = try await connection.rows(
                Place(placed: placed, new: new, buyer: buyer, key: key, result: result), logger: logger)
        } catch let error as PSQLError where ["MK001", "23514"].contains(error.serverInfo?[.sqlState] ?? "") {
            // MK001: not as priced; 23514: the stock CHECK caught a shortage first.
            return .changed
        }
        guard let written = rows.first else { return .changed }
        if written.0 == 0 { return .keyTaken }
        let lines = placed.order.packages.reduce(0) { $0 + $1.lines.count }
        guard written.1 == lines, written.2 == placed.order.packages.count, written.3 == lines, written.4 == 1 else {
            // Cannot happen once the key is claimed and the variants verified under their locks; if it
            // ever did, the order is refused rather than left incomplete.
            throw DomainError.conflict(kind: "order-not-written", detail: "The order could not be written; retry.")
        }
        return .placed
    }

    struct Place: PostgresPreparedStatement {
        static let sql = """
            WITH claim AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, result, order_id)
                VALUES ($3::uuid, $40::text, $41::text, $39::text, $1::uuid)
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING 1),
            wanted AS (
                SELECT * FROM unnest($19::uuid[], $20::int4[], $36::int8[], $42::int4[], $33::text[], $35::text[],
                    $34::text[], $43::text[], $44::text[], $32::uuid[], $47::uuid[], $48::text[])
                    AS w(id, quantity, price, weight, sku, name, title, commune, province, product, supplier, seller)),
            locked AS MATERIALIZED (
                SELECT v.id, v.product_id, v.supplier_id, v.stock_on_hand, v.price_vnd, v.weight_grams, v.sku, v.name,
                    v.is_active
                FROM product_variants v
                WHERE v.id = ANY($19::uuid[]) AND EXISTS (SELECT 1 FROM claim)
                ORDER BY v.id
                FOR UPDATE),
            verified AS (
                SELECT order_placement_verified(NOT EXISTS (SELECT 1 FROM claim) OR (
                    count(*) = cardinality($19::uuid[]) AND coalesce(bool_and(
                        l.is_active AND p.status = 'active' AND s.status = 'active'
                        AND l.stock_on_hand >= w.quantity AND l.price_vnd = w.price AND l.weight_grams = w.weight
                        AND l.sku = w.sku AND l.name = w.name AND p.title = w.title
                        AND l.product_id = w.product AND l.supplier_id = w.supplier AND s.name = w.seller
                        AND coalesce(s.commune_code, '') = w.commune
                        AND coalesce(s.province_code, '') = w.province), false)
                    -- Priced with the tariff in force (pricing may have used one it remembered).
                    AND $14::uuid = (SELECT t.id FROM shipping_tariffs t WHERE t.effective_from <= vn_today()
                        ORDER BY t.effective_from DESC LIMIT 1))) AS ok
                FROM locked l
                JOIN wanted w ON w.id = l.id
                JOIN products p ON p.id = l.product_id
                JOIN suppliers s ON s.id = l.supplier_id),
            taken AS (
                UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - w.quantity, updated_at = now()
                FROM locked l JOIN wanted w ON w.id = l.id
                WHERE v.id = l.id
                RETURNING v.id),
            placed AS (
                INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone,
                    province_code, commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd,
                    tariff_id, delivery_code, payment_due_at, created_at, updated_at)
                SELECT $1::uuid, $2::text, $3::uuid, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
                    $10::text, $11::int8, $12::int8, $13::int8, $14::uuid, $15::text, $16::timestamptz,
                    $45::timestamptz, $45::timestamptz
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id),
            packed AS (
                INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
                    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd, return_charge_vnd,
                    created_at, updated_at)
                SELECT k.id, $1::uuid, k.supplier_id, k.number, k.status, k.items, k.weight, k.zone, k.shipping,
                    k.collect, k.cod_fee, $17::int4, $18::int8, k.shipping, $45::timestamptz, $45::timestamptz
                FROM unnest($21::uuid[], $22::uuid[], $23::text[], $24::text[], $25::int8[], $26::int4[],
                    $27::text[], $28::int8[], $29::int8[], $30::int8[])
                    AS k(id, supplier_id, number, status, items, weight, zone, shipping, collect, cod_fee)
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id),
            lined AS (
                INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
                    unit_price_vnd, quantity, line_total_vnd, weight_grams, position, commission_bps)
                SELECT l.id, $1::uuid, l.package_id, l.variant_id, l.product_id, l.sku, l.title,
                    l.variant_name, l.unit_price, l.quantity, l.line_total, l.weight, l.position,
                    \(CommissionRateSQL.rate)
                FROM unnest($46::uuid[], $31::uuid[], $19::uuid[], $32::uuid[], $33::text[], $34::text[],
                    $35::text[], $36::int8[], $20::int4[], $37::int8[], $42::int4[], $38::int4[])
                    AS l(id, package_id, variant_id, product_id, sku, title, variant_name, unit_price, quantity,
                        line_total, weight, position)
                \(CommissionRateSQL.joins(product: "l.product_id"))
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id),
            evented AS (
                INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
                SELECT 'order.created', 'order', $1::uuid, jsonb_build_object('number', $2::text, 'status', $4::text)
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id)
            SELECT (SELECT count(*) FROM claim), (SELECT count(*) FROM taken), (SELECT count(*) FROM packed),
                (SELECT count(*) FROM lined), (SELECT count(*) FROM evented), (SELECT ok FROM verified)
            """
        typealias Row = (Int, Int, Int, Int, Int, Bool?)
        var placed: PlacedOrder
        var new: NewOrder
        var buyer: UUID
        var key: String
        var result: String

        func makeBindings() throws -> PostgresBindings {
            let order = placed.order
            let a = order.address
            let packages = order.packages
            // Lines in package order, numbered within their package; $19 and $20 serve the lock, the
            // check, the stock taken and the lines written alike.
            let lines = packages.flatMap { package in
                package.lines.enumerated().map {
                    (
                        package: package.id, supplier: package.supplierID, seller: package.supplierName,
                        position: $0.offset + 1, line: $0.element
                    )
                }
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
            b.append(result)
            b.append(key)  // $40
            b.append(new.requestHash)
            b.append(lines.map { placed.priced[$0.line.variantID]?.weightGrams ?? 0 })
            b.append(lines.map { placed.priced[$0.line.variantID]?.sellerCommune ?? "" })
            b.append(lines.map { placed.priced[$0.line.variantID]?.sellerProvince ?? "" })
            b.append(order.createdAt)  // $45
            b.append(lines.map { _ in UUID.timeOrdered() })
            b.append(lines.map(\.supplier))
            b.append(lines.map(\.seller))  // $48
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
