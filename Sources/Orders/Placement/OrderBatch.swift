import Catalog
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

    /// The binds of `Statement` by name, in the order PostgreSQL numbers them: the SQL writes
    /// `\(B.name)` for `$n`, and `makeBindings` appends one value per case.
    enum BatchBind: Int, CaseIterable, CustomStringConvertible {
        case orderIDs = 1
        case numbers
        case buyers
        case statuses
        case paymentMethods
        case recipientNames
        case phones
        case provinceCodes
        case communeCodes
        case addressLines
        case itemsTotals
        case shippingTotals
        case grandTotals
        case tariffIDs
        case deliveryCodes
        case paymentDueAts
        case hasPaymentDue
        case codFeeBps
        case codFeeMins
        case createdAts
        case keys
        case requestHashes
        case results
        case lineIDs
        case lineOrders
        case linePackages
        case lineVariants
        case lineProducts
        case lineSuppliers
        case lineQuantities
        case lineUnitPrices
        case lineWeights
        case lineSKUs
        case lineVariantNames
        case lineTitles
        case lineSellerCommunes
        case lineSellerProvinces
        case lineSellers
        case lineTotals
        case linePositions
        case packageIDs
        case packageOrders
        case packageSuppliers
        case packageNumbers
        case packageStatuses
        case packageItemsTotals
        case packageWeights
        case packageZones
        case packageShippingFees
        case packageCODAmounts
        case packageCODFees
        case lineVolumes
        case packageChargeableWeights
        case packageDeclaredValues
        case packageInsuranceFees

        var description: String { "$\(rawValue)" }
    }

    struct Statement: PostgresPreparedStatement {
        private typealias B = BatchBind
        static let sql = """
            WITH given AS (
                SELECT * FROM unnest(\(B.orderIDs)::uuid[], \(B.numbers)::text[], \(B.buyers)::uuid[],
                    \(B.statuses)::text[], \(B.paymentMethods)::text[], \(B.recipientNames)::text[],
                    \(B.phones)::text[], \(B.provinceCodes)::text[], \(B.communeCodes)::text[],
                    \(B.addressLines)::text[], \(B.itemsTotals)::int8[], \(B.shippingTotals)::int8[],
                    \(B.grandTotals)::int8[], \(B.tariffIDs)::uuid[], \(B.deliveryCodes)::text[],
                    \(B.paymentDueAts)::timestamptz[], \(B.hasPaymentDue)::bool[], \(B.codFeeBps)::int4[],
                    \(B.codFeeMins)::int8[], \(B.createdAts)::timestamptz[], \(B.keys)::text[],
                    \(B.requestHashes)::text[], \(B.results)::text[])
                    AS o(id, number, buyer, status, method, recipient, phone, province, commune, address, items,
                        shipping, grand, tariff, code, due, has_due, cod_bps, cod_min, created, key, hash, result)),
            claim AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, result, order_id)
                SELECT o.buyer, o.key, o.hash, o.result, o.id FROM given o
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING order_id),
            claimed AS (SELECT o.* FROM given o JOIN claim c ON c.order_id = o.id),
            wanted AS (
                SELECT w.* FROM unnest(\(B.lineIDs)::uuid[], \(B.lineOrders)::uuid[], \(B.linePackages)::uuid[],
                    \(B.lineVariants)::uuid[], \(B.lineProducts)::uuid[], \(B.lineSuppliers)::uuid[],
                    \(B.lineQuantities)::int4[], \(B.lineUnitPrices)::int8[], \(B.lineWeights)::int4[],
                    \(B.lineSKUs)::text[], \(B.lineVariantNames)::text[], \(B.lineTitles)::text[],
                    \(B.lineSellerCommunes)::text[], \(B.lineSellerProvinces)::text[], \(B.lineSellers)::text[],
                    \(B.lineTotals)::int8[], \(B.linePositions)::int4[], \(B.lineVolumes)::int8[])
                    AS w(id, order_id, package_id, variant, product, supplier, quantity, price, weight, sku, name,
                        title, commune, province, seller, line_total, position, volume)
                JOIN claim c ON c.order_id = w.order_id),
            needed AS (SELECT variant, sum(quantity) AS quantity FROM wanted GROUP BY variant),
            locked AS MATERIALIZED (
                SELECT \(PlacementSQL.lockedColumns)
                FROM product_variants v
                WHERE v.id IN (SELECT variant FROM needed)
                ORDER BY v.id
                FOR UPDATE),
            verified AS (
                SELECT order_placement_verified(
                    (SELECT count(*) FROM locked) = (SELECT count(*) FROM needed)
                    AND coalesce((SELECT bool_and(l.stock_on_hand >= n.quantity)
                        FROM needed n JOIN locked l ON l.id = n.variant), true)
                    AND coalesce((SELECT bool_and(\(PlacementSQL.lineAsPriced))
                        FROM wanted w
                        JOIN locked l ON l.id = w.variant
                        JOIN products p ON p.id = l.product_id
                        JOIN suppliers s ON s.id = l.supplier_id), true)
                    -- Priced with the tariff in force (pricing used one it remembered).
                    AND coalesce((SELECT bool_and(o.tariff = \(PlacementSQL.tariffInForce))
                        FROM claimed o), true)) AS ok),
            taken AS (
                \(VariantStock.takeSQL(from: "locked l JOIN needed n ON n.variant = l.id", variant: "l.id", quantity: "n.quantity"))),
            placed AS (
                INSERT INTO orders (\(PlacementSQL.orderColumns))
                SELECT o.id, o.number, o.buyer, o.status, o.method, o.recipient, o.phone, o.province, o.commune,
                    o.address, o.items, o.shipping, o.grand, o.tariff, o.code, CASE WHEN o.has_due THEN o.due END,
                    o.created, o.created
                FROM claimed o
                RETURNING id),
            packed AS (
                INSERT INTO packages (\(PlacementSQL.packageColumns))
                SELECT k.id, k.order_id, k.supplier_id, k.number, k.status, k.items, k.weight, k.zone, k.shipping,
                    k.collect, k.cod_fee, o.cod_bps, o.cod_min, package_return_charge_vnd(o.tariff, k.zone, k.shipping),
                    o.created, o.created, k.chargeable, k.declared, k.insurance
                FROM unnest(\(B.packageIDs)::uuid[], \(B.packageOrders)::uuid[], \(B.packageSuppliers)::uuid[],
                    \(B.packageNumbers)::text[], \(B.packageStatuses)::text[], \(B.packageItemsTotals)::int8[],
                    \(B.packageWeights)::int4[], \(B.packageZones)::text[], \(B.packageShippingFees)::int8[],
                    \(B.packageCODAmounts)::int8[], \(B.packageCODFees)::int8[], \(B.packageChargeableWeights)::int4[],
                    \(B.packageDeclaredValues)::int8[], \(B.packageInsuranceFees)::int8[])
                    AS k(id, order_id, supplier_id, number, status, items, weight, zone, shipping, collect, cod_fee,
                        chargeable, declared, insurance)
                JOIN claimed o ON o.id = k.order_id
                RETURNING id),
            lined AS (
                INSERT INTO order_lines (\(PlacementSQL.lineColumns))
                SELECT w.id, w.order_id, w.package_id, w.variant, w.product, w.sku, w.title, w.name, w.price,
                    w.quantity, w.line_total, w.weight, w.position, \(CommissionRateSQL.rate)
                FROM wanted w
                \(CommissionRateSQL.joins(product: "w.product"))
                RETURNING id),
            evented AS (
                INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
                SELECT \(PlacementSQL.orderCreatedEvent(id: "o.id", number: "o.number", status: "o.status"))
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
            // Every bind, in declared order: the switch is exhaustive, so none is missing or out of place.
            for bind in BatchBind.allCases {
                switch bind {
                case .orderIDs: b.append(all.map(\.id))
                case .numbers: b.append(all.map(\.number))
                case .buyers: b.append(orders.map(\.buyer))
                case .statuses: b.append(all.map(\.status.rawValue))
                case .paymentMethods: b.append(all.map(\.paymentMethod.rawValue))
                case .recipientNames: b.append(all.map(\.address.recipientName))
                case .phones: b.append(all.map(\.address.phone))
                case .provinceCodes: b.append(all.map(\.address.provinceCode))
                case .communeCodes: b.append(all.map(\.address.communeCode))
                case .addressLines: b.append(all.map(\.address.addressLine))
                case .itemsTotals: b.append(all.map(\.itemsTotalVND))
                case .shippingTotals: b.append(all.map(\.shippingTotalVND))
                case .grandTotals: b.append(all.map(\.grandTotalVND))
                case .tariffIDs: b.append(orders.map(\.placed.tariffID))
                case .deliveryCodes: b.append(all.map(\.deliveryCode))
                case .paymentDueAts: b.append(all.map { $0.paymentDueAt ?? now })
                case .hasPaymentDue: b.append(all.map { $0.paymentDueAt != nil })
                case .codFeeBps: b.append(orders.map(\.placed.codFeeBps))
                case .codFeeMins: b.append(orders.map(\.placed.codFeeMinVND))
                case .createdAts: b.append(all.map(\.createdAt))
                case .keys: b.append(orders.map(\.key))
                case .requestHashes: b.append(orders.map(\.new.requestHash))
                case .results: b.append(orders.map(\.result))
                case .lineIDs: b.append(lines.map { _ in UUID.timeOrdered() })
                case .lineOrders: b.append(lines.map { $0.job.placed.order.id })
                case .linePackages: b.append(lines.map { $0.package.id })
                case .lineVariants: b.append(lines.map { $0.line.variantID })
                case .lineProducts: b.append(lines.map { $0.line.productID })
                case .lineSuppliers: b.append(lines.map { $0.package.supplierID })
                case .lineQuantities: b.append(lines.map { $0.line.quantity })
                case .lineUnitPrices: b.append(lines.map { $0.line.unitPriceVND })
                case .lineWeights: b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.weightGrams ?? 0 })
                case .lineVolumes: b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.volumeCM3 ?? 0 })
                case .lineSKUs: b.append(lines.map { $0.line.sku })
                case .lineVariantNames: b.append(lines.map { $0.line.variantName })
                case .lineTitles: b.append(lines.map { $0.line.title })
                case .lineSellerCommunes:
                    b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.sellerCommune ?? "" })
                case .lineSellerProvinces:
                    b.append(lines.map { $0.job.placed.priced[$0.line.variantID]?.sellerProvince ?? "" })
                case .lineSellers: b.append(lines.map { $0.package.supplierName })
                case .lineTotals: b.append(lines.map { $0.line.lineTotalVND })
                case .linePositions: b.append(lines.map { $0.position })
                case .packageIDs: b.append(packages.map(\.id))
                case .packageOrders: b.append(packages.map(\.orderID))
                case .packageSuppliers: b.append(packages.map(\.supplierID))
                case .packageNumbers: b.append(packages.map(\.number))
                case .packageStatuses: b.append(packages.map(\.status.rawValue))
                case .packageItemsTotals: b.append(packages.map(\.itemsTotalVND))
                case .packageWeights: b.append(packages.map(\.weightGrams))
                case .packageZones: b.append(packages.map(\.zone))
                case .packageShippingFees: b.append(packages.map(\.shippingFeeVND))
                case .packageCODAmounts: b.append(packages.map(\.codAmountVND))
                case .packageCODFees:
                    b.append(orders.flatMap { job in job.placed.order.packages.map { job.placed.codFees[$0.id] ?? 0 } })
                case .packageChargeableWeights: b.append(packages.map(\.chargeableWeightGrams))
                case .packageDeclaredValues: b.append(packages.map(\.declaredValueVND))
                case .packageInsuranceFees: b.append(packages.map(\.insuranceFeeVND))
                }
            }
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
