import Foundation
import Kernel
import Logging
import PostgresNIO

/// Several orders, priced from memory by concurrent requests, written by one statement: the same
/// work as `OrderPlacement.Place` for each of them, but one statement start-up, one commit and one
/// round trip for all (`PlacementBatcher` gathers them).
///
/// All or nothing on verification: the statement claims each order's key, locks every variant of
/// the claimed orders in id order, and checks under those locks that each is still as priced and
/// that its stock covers the claimed orders' quantities together. If any of it fails, it raises
/// `MK001` and nothing stays written; each order is then placed on its own, which finds whichever
/// of them changed. An order whose key was already claimed is left out (its request replays).
struct OrderBatch {
    let orders: [Job]

    /// Keys are claimed in one order by every batch, so two batches holding retries of the same
    /// requests never wait on each other's keys in a cycle (variants are locked in id order after).
    init(orders: [Job]) {
        self.orders = orders.sorted { ($0.buyer.uuidString, $0.key) < ($1.buyer.uuidString, $1.key) }
    }

    struct Job: Sendable {
        var placed: PlacedOrder
        var new: NewOrder
        var buyer: UUID
        var key: String
        /// The order as `OrderSnapshot` keeps it under the key.
        var result: String
    }

    enum Outcome {
        /// The ids of the orders written; the others' keys were taken.
        case written(Set<UUID>)
        /// Something was not as priced (or the stock ran short): place each order on its own.
        case changed
    }

    func run(on connection: PostgresConnection, logger: Logger) async throws -> Outcome {
        let rows: [Statement.Row]
        do {
            rows = try await connection.rows(Statement(orders: orders), logger: logger)
        } catch let error as PSQLError where ["MK001", "23514", "40P01"].contains(error.serverInfo?[.sqlState] ?? "") {
            // Not as priced, stock short, or (should the ordering above ever miss a case) a deadlock:
            // each order is placed again on its own.
            return .changed
        }
        guard let (claimed, taken, packed, lined, evented, _) = rows.first else { return .changed }
        let written = Set(claimed)
        let kept = orders.filter { written.contains($0.placed.order.id) }.map(\.placed.order)
        let lines = kept.reduce(0) { $0 + $1.packages.reduce(0) { $0 + $1.lines.count } }
        let variants = Set(kept.flatMap { $0.packages.flatMap { $0.lines.map { $0.variantID } } })
        guard taken == variants.count, packed == kept.reduce(0, { $0 + $1.packages.count }), lined == lines,
            evented == kept.count
        else {
            // Cannot happen once keys are claimed and variants verified under their locks; if it ever
            // did, the orders are refused rather than left incomplete.
            throw DomainError.conflict(kind: "order-not-written", detail: "The order could not be written; retry.")
        }
        return .written(written)
    }

    struct Statement: PostgresPreparedStatement {
        static let sql = """
            WITH given AS (
                SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[],
                    $7::text[], $8::text[], $9::text[], $10::text[], $11::int8[], $12::int8[], $13::int8[],
                    $14::uuid[], $15::text[], $16::timestamptz[], $17::bool[], $18::int4[], $19::int8[],
                    $20::timestamptz[], $21::text[], $22::text[], $23::text[])
                    AS o(id, number, buyer, status, method, recipient, phone, province, commune, address, items,
                        shipping, grand, tariff, code, due, has_due, cod_bps, cod_min, created, key, hash, result)),
            claim AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, result, order_id)
                SELECT o.buyer, o.key, o.hash, o.result, o.id FROM given o
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING order_id),
            claimed AS (SELECT o.* FROM given o JOIN claim c ON c.order_id = o.id),
            wanted AS (
                SELECT w.* FROM unnest($24::uuid[], $25::uuid[], $26::uuid[], $27::uuid[], $28::uuid[], $29::uuid[],
                    $30::int4[], $31::int8[], $32::int4[], $33::text[], $34::text[], $35::text[], $36::text[],
                    $37::text[], $38::text[], $39::int8[], $40::int4[])
                    AS w(id, order_id, package_id, variant, product, supplier, quantity, price, weight, sku, name,
                        title, commune, province, seller, line_total, position)
                JOIN claim c ON c.order_id = w.order_id),
            needed AS (SELECT variant, sum(quantity) AS quantity FROM wanted GROUP BY variant),
            locked AS MATERIALIZED (
                SELECT v.id, v.product_id, v.supplier_id, v.stock_on_hand, v.price_vnd, v.weight_grams, v.sku, v.name,
                    v.is_active
                FROM product_variants v
                WHERE v.id IN (SELECT variant FROM needed)
                ORDER BY v.id
                FOR UPDATE),
            verified AS (
                SELECT order_placement_verified(
                    (SELECT count(*) FROM locked) = (SELECT count(*) FROM needed)
                    AND coalesce((SELECT bool_and(l.stock_on_hand >= n.quantity)
                        FROM needed n JOIN locked l ON l.id = n.variant), true)
                    AND coalesce((SELECT bool_and(
                        l.is_active AND p.status = 'active' AND s.status = 'active'
                        AND l.price_vnd = w.price AND l.weight_grams = w.weight
                        AND l.sku = w.sku AND l.name = w.name AND p.title = w.title
                        AND l.product_id = w.product AND l.supplier_id = w.supplier AND s.name = w.seller
                        AND coalesce(s.commune_code, '') = w.commune
                        AND coalesce(s.province_code, '') = w.province)
                        FROM wanted w
                        JOIN locked l ON l.id = w.variant
                        JOIN products p ON p.id = l.product_id
                        JOIN suppliers s ON s.id = l.supplier_id), true)
                    -- Priced with the tariff in force (pricing used one it remembered).
                    AND coalesce((SELECT bool_and(o.tariff = (SELECT t.id FROM shipping_tariffs t
                            WHERE t.effective_from <= vn_today() ORDER BY t.effective_from DESC LIMIT 1))
                        FROM claimed o), true)) AS ok),
            taken AS (
                UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - n.quantity, updated_at = now()
                FROM locked l JOIN needed n ON n.variant = l.id
                WHERE v.id = l.id
                RETURNING v.id),
            placed AS (
                INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone,
                    province_code, commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd,
                    tariff_id, delivery_code, payment_due_at, created_at, updated_at)
                SELECT o.id, o.number, o.buyer, o.status, o.method, o.recipient, o.phone, o.province, o.commune,
                    o.address, o.items, o.shipping, o.grand, o.tariff, o.code, CASE WHEN o.has_due THEN o.due END,
                    o.created, o.created
                FROM claimed o
                RETURNING id),
            packed AS (
                INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
                    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd, return_charge_vnd,
                    created_at, updated_at)
                SELECT k.id, k.order_id, k.supplier_id, k.number, k.status, k.items, k.weight, k.zone, k.shipping,
                    k.collect, k.cod_fee, o.cod_bps, o.cod_min, k.shipping, o.created, o.created
                FROM unnest($41::uuid[], $42::uuid[], $43::uuid[], $44::text[], $45::text[], $46::int8[], $47::int4[],
                    $48::text[], $49::int8[], $50::int8[], $51::int8[])
                    AS k(id, order_id, supplier_id, number, status, items, weight, zone, shipping, collect, cod_fee)
                JOIN claimed o ON o.id = k.order_id
                RETURNING id),
            lined AS (
                INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
                    unit_price_vnd, quantity, line_total_vnd, weight_grams, position, commission_bps)
                SELECT w.id, w.order_id, w.package_id, w.variant, w.product, w.sku, w.title, w.name, w.price,
                    w.quantity, w.line_total, w.weight, w.position, \(CommissionRateSQL.rate)
                FROM wanted w
                \(CommissionRateSQL.joins(product: "w.product"))
                RETURNING id),
            evented AS (
                INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
                SELECT 'order.created', 'order', o.id, jsonb_build_object('number', o.number, 'status', o.status)
                FROM claimed o
                RETURNING id)
            SELECT ARRAY(SELECT order_id FROM claim), (SELECT count(*) FROM taken), (SELECT count(*) FROM packed),
                (SELECT count(*) FROM lined), (SELECT count(*) FROM evented), (SELECT ok FROM verified)
            """
        typealias Row = ([UUID], Int, Int, Int, Int, Bool?)
        var orders: [Job]

        func makeBindings() throws -> PostgresBindings {
            let all = orders.map(\.placed.order)
            let packages = all.flatMap(\.packages)
            let lines = orders.flatMap { job in
                job.placed.order.packages.flatMap { package in
                    package.lines.enumerated().map {
                        (job: job, package: package, position: $0.offset + 1, line: $0.element)
                    }
                }
            }
            let now = Date()
            var b = PostgresBindings()
            b.append(all.map(\.id))  // $1
            b.append(all.map(\.number))
            b.append(orders.map(\.buyer))
            b.append(all.map(\.status.rawValue))
            b.append(all.map(\.paymentMethod.rawValue))  // $5
            b.append(all.map(\.address.recipientName))
            b.append(all.map(\.address.phone))
            b.append(all.map(\.address.provinceCode))
            b.append(all.map(\.address.communeCode))
            b.append(all.map(\.address.addressLine))  // $10
            b.append(all.map(\.itemsTotalVND))
            b.append(all.map(\.shippingTotalVND))
            b.append(all.map(\.grandTotalVND))
            b.append(orders.map(\.placed.tariffID))
            b.append(all.map(\.deliveryCode))  // $15
            b.append(all.map { $0.paymentDueAt ?? now })
            b.append(all.map { $0.paymentDueAt != nil })
            b.append(orders.map(\.placed.codFeeBps))
            b.append(orders.map(\.placed.codFeeMinVND))
            b.append(all.map(\.createdAt))  // $20
            b.append(orders.map(\.key))
            b.append(orders.map(\.new.requestHash))
            b.append(orders.map(\.result))
            b.append(lines.map { _ in UUID.timeOrdered() })
            b.append(lines.map { $0.job.placed.order.id })  // $25
            b.append(lines.map { $0.package.id })
            b.append(lines.map { $0.line.variantID })
            b.append(lines.map { $0.line.productID })
            b.append(lines.map { $0.package.supplierID })
            b.append(lines.map { $0.line.quantity })  // $30
            b.append(lines.map { $0.line.unitPriceVND })
            b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.weightGrams ?? 0 })
            b.append(lines.map { $0.line.sku })
            b.append(lines.map { $0.line.variantName })
            b.append(lines.map { $0.line.title })  // $35
            b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.sellerCommune ?? "" })
            b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.sellerProvince ?? "" })
            b.append(lines.map { $0.package.supplierName })
            b.append(lines.map { $0.line.lineTotalVND })
            b.append(lines.map { $0.position })  // $40
            b.append(packages.map(\.id))
            b.append(packages.map(\.orderID))
            b.append(packages.map(\.supplierID))
            b.append(packages.map(\.number))
            b.append(packages.map(\.status.rawValue))  // $45
            b.append(packages.map(\.itemsTotalVND))
            b.append(packages.map(\.weightGrams))
            b.append(packages.map(\.zone))
            b.append(packages.map(\.shippingFeeVND))
            b.append(packages.map(\.codAmountVND))  // $50
            b.append(orders.flatMap { job in job.placed.order.packages.map { job.placed.codFees[$0.id] ?? 0 } })
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
