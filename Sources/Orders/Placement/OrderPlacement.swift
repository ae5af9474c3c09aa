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
            var variant = PurchasableVariant(
                id: id, productID: try row.get("product_id"), supplierID: try row.get("supplier_id"),
                sku: try row.get("sku"), productTitle: try row.get("title"), variantName: try row.get("name"),
                priceVND: try row.get("price_vnd"), weightGrams: try row.get("weight_grams"),
                stockOnHand: try row.get("stock_on_hand"), isOnSale: try row.get("on_sale"),
                supplierCommune: try row.get("supplier_commune"), supplierProvince: try row.get("supplier_province"),
                supplierRegion: try row.get("supplier_region"))
            variant.volumeCM3 = try row.get("volume_cm3")
            context.variants[id] = variant
            context.sellers[variant.supplierID] = try row.get("seller")
        }
        return context
    }

    struct Prepare: PostgresPreparedStatement {
        static let sql = "SELECT * FROM order_pricing_context($1::uuid[], $2::text, $3::uuid, $4::text)"
        /// Read by column name: the function returns 23 columns (migrations 0020, 0043).
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

    /// The binds of `Place` by name, in the order PostgreSQL numbers them: the SQL writes
    /// `\(B.name)` for `$n`, and `makeBindings` appends one value per case.
    enum PlaceBind: Int, CaseIterable, CustomStringConvertible {
        case orderID = 1
        case number
        case buyer
        case status
        case paymentMethod
        case recipientName
        case phone
        case provinceCode
        case communeCode
        case addressLine
        case itemsTotal
        case shippingTotal
        case grandTotal
        case tariffID
        case deliveryCode
        case paymentDueAt
        case codFeeBps
        case codFeeMin
        case lineVariants
        case lineQuantities
        case packageIDs
        case packageSuppliers
        case packageNumbers
        case packageStatuses
        case packageItemsTotals
        case packageWeights
        case packageZones
        case packageShippingFees
        case packageCODAmounts
        case packageCODFees
        case linePackages
        case lineProducts
        case lineSKUs
        case lineTitles
        case lineVariantNames
        case lineUnitPrices
        case lineTotals
        case linePositions
        case result
        case key
        case requestHash
        case lineWeights
        case lineSellerCommunes
        case lineSellerProvinces
        case createdAt
        case lineIDs
        case lineSuppliers
        case lineSellers
        case lineVolumes
        case packageChargeableWeights
        case packageDeclaredValues
        case packageInsuranceFees

        var description: String { "$\(rawValue)" }
    }

    struct Place: PostgresPreparedStatement {
        private typealias B = PlaceBind
        static let sql = """
            WITH claim AS (
                INSERT INTO idempotency_keys (user_id, key, request_hash, result, order_id)
                VALUES (\(B.buyer)::uuid, \(B.key)::text, \(B.requestHash)::text, \(B.result)::text,
                    \(B.orderID)::uuid)
                ON CONFLICT (user_id, key) DO NOTHING
                RETURNING 1),
            wanted AS (
                SELECT * FROM unnest(\(B.lineVariants)::uuid[], \(B.lineQuantities)::int4[],
                    \(B.lineUnitPrices)::int8[], \(B.lineWeights)::int4[], \(B.lineSKUs)::text[],
                    \(B.lineVariantNames)::text[], \(B.lineTitles)::text[], \(B.lineSellerCommunes)::text[],
                    \(B.lineSellerProvinces)::text[], \(B.lineProducts)::uuid[], \(B.lineSuppliers)::uuid[],
                    \(B.lineSellers)::text[], \(B.lineVolumes)::int8[])
                    AS w(id, quantity, price, weight, sku, name, title, commune, province, product, supplier, seller,
                        volume)),
            locked AS MATERIALIZED (
                SELECT \(PlacementSQL.lockedColumns)
                FROM product_variants v
                WHERE v.id = ANY(\(B.lineVariants)::uuid[]) AND EXISTS (SELECT 1 FROM claim)
                ORDER BY v.id
                FOR UPDATE),
            verified AS (
                SELECT order_placement_verified(NOT EXISTS (SELECT 1 FROM claim) OR (
                    count(*) = cardinality(\(B.lineVariants)::uuid[])
                    AND coalesce(bool_and(l.stock_on_hand >= w.quantity AND \(PlacementSQL.lineAsPriced)), false)
                    AND \(B.tariffID)::uuid = \(PlacementSQL.tariffInForce))) AS ok
                FROM locked l
                JOIN wanted w ON w.id = l.id
                JOIN products p ON p.id = l.product_id
                JOIN suppliers s ON s.id = l.supplier_id),
            taken AS (
                \(VariantStock.takeSQL(from: "locked l JOIN wanted w ON w.id = l.id", variant: "l.id", quantity: "w.quantity"))),
            placed AS (
                INSERT INTO orders (\(PlacementSQL.orderColumns))
                SELECT \(B.orderID)::uuid, \(B.number)::text, \(B.buyer)::uuid, \(B.status)::text,
                    \(B.paymentMethod)::text, \(B.recipientName)::text, \(B.phone)::text, \(B.provinceCode)::text,
                    \(B.communeCode)::text, \(B.addressLine)::text, \(B.itemsTotal)::int8, \(B.shippingTotal)::int8,
                    \(B.grandTotal)::int8, \(B.tariffID)::uuid, \(B.deliveryCode)::text,
                    \(B.paymentDueAt)::timestamptz, \(B.createdAt)::timestamptz, \(B.createdAt)::timestamptz
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id),
            packed AS (
                INSERT INTO packages (\(PlacementSQL.packageColumns))
                SELECT k.id, \(B.orderID)::uuid, k.supplier_id, k.number, k.status, k.items, k.weight, k.zone,
                    k.shipping, k.collect, k.cod_fee, \(B.codFeeBps)::int4, \(B.codFeeMin)::int8,
                    package_return_charge_vnd(\(B.tariffID)::uuid, k.zone, k.shipping),
                        \(B.createdAt)::timestamptz, \(B.createdAt)::timestamptz, k.chargeable, k.declared, k.insurance
                FROM unnest(\(B.packageIDs)::uuid[], \(B.packageSuppliers)::uuid[], \(B.packageNumbers)::text[],
                    \(B.packageStatuses)::text[], \(B.packageItemsTotals)::int8[], \(B.packageWeights)::int4[],
                    \(B.packageZones)::text[], \(B.packageShippingFees)::int8[], \(B.packageCODAmounts)::int8[],
                    \(B.packageCODFees)::int8[], \(B.packageChargeableWeights)::int4[],
                    \(B.packageDeclaredValues)::int8[], \(B.packageInsuranceFees)::int8[])
                    AS k(id, supplier_id, number, status, items, weight, zone, shipping, collect, cod_fee, chargeable,
                        declared, insurance)
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id),
            lined AS (
                INSERT INTO order_lines (\(PlacementSQL.lineColumns))
                SELECT l.id, \(B.orderID)::uuid, l.package_id, l.variant_id, l.product_id, l.sku, l.title,
                    l.variant_name, l.unit_price, l.quantity, l.line_total, l.weight, l.position,
                    \(CommissionRateSQL.rate)
                FROM unnest(\(B.lineIDs)::uuid[], \(B.linePackages)::uuid[], \(B.lineVariants)::uuid[],
                    \(B.lineProducts)::uuid[], \(B.lineSKUs)::text[], \(B.lineTitles)::text[],
                    \(B.lineVariantNames)::text[], \(B.lineUnitPrices)::int8[], \(B.lineQuantities)::int4[],
                    \(B.lineTotals)::int8[], \(B.lineWeights)::int4[], \(B.linePositions)::int4[])
                    AS l(id, package_id, variant_id, product_id, sku, title, variant_name, unit_price, quantity,
                        line_total, weight, position)
                \(CommissionRateSQL.joins(product: "l.product_id"))
                WHERE EXISTS (SELECT 1 FROM claim)
                RETURNING id),
            evented AS (
                INSERT INTO outbox (topic, aggregate_type, aggregate_id, payload)
                SELECT \(PlacementSQL.orderCreatedEvent(id: "\(B.orderID)::uuid", number: "\(B.number)::text",
                    status: "\(B.status)::text"))
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
            // Lines in package order, numbered within their package; `lineVariants` and `lineQuantities`
            // serve the lock, the check, the stock taken and the lines written alike.
            let lines = packages.flatMap { package in
                package.lines.enumerated().map {
                    (
                        package: package.id, supplier: package.supplierID, seller: package.supplierName,
                        position: $0.offset + 1, line: $0.element
                    )
                }
            }
            var b = PostgresBindings()
            // Every bind, in declared order: the switch is exhaustive, so none is missing or out of place.
            for bind in PlaceBind.allCases {
                switch bind {
                case .orderID: b.append(order.id)
                case .number: b.append(order.number)
                case .buyer: b.append(buyer)
                case .status: b.append(order.status.rawValue)
                case .paymentMethod: b.append(order.paymentMethod.rawValue)
                case .recipientName: b.append(a.recipientName)
                case .phone: b.append(a.phone)
                case .provinceCode: b.append(a.provinceCode)
                case .communeCode: b.append(a.communeCode)
                case .addressLine: b.append(a.addressLine)
                case .itemsTotal: b.append(order.itemsTotalVND)
                case .shippingTotal: b.append(order.shippingTotalVND)
                case .grandTotal: b.append(order.grandTotalVND)
                case .tariffID: b.append(placed.tariffID)
                case .deliveryCode: b.append(order.deliveryCode)
                case .paymentDueAt: if let due = order.paymentDueAt { b.append(due) } else { b.appendNull() }
                case .codFeeBps: b.append(placed.codFeeBps)
                case .codFeeMin: b.append(placed.codFeeMinVND)
                case .lineVariants: b.append(lines.map(\.line.variantID))
                case .lineQuantities: b.append(lines.map(\.line.quantity))
                case .packageIDs: b.append(packages.map(\.id))
                case .packageSuppliers: b.append(packages.map(\.supplierID))
                case .packageNumbers: b.append(packages.map(\.number))
                case .packageStatuses: b.append(packages.map(\.status.rawValue))
                case .packageItemsTotals: b.append(packages.map(\.itemsTotalVND))
                case .packageWeights: b.append(packages.map(\.weightGrams))
                case .packageZones: b.append(packages.map(\.zone))
                case .packageShippingFees: b.append(packages.map(\.shippingFeeVND))
                case .packageCODAmounts: b.append(packages.map(\.codAmountVND))
                case .packageCODFees: b.append(packages.map { placed.codFees[$0.id] ?? 0 })
                case .linePackages: b.append(lines.map(\.package))
                case .lineProducts: b.append(lines.map(\.line.productID))
                case .lineSKUs: b.append(lines.map(\.line.sku))
                case .lineTitles: b.append(lines.map(\.line.title))
                case .lineVariantNames: b.append(lines.map(\.line.variantName))
                case .lineUnitPrices: b.append(lines.map(\.line.unitPriceVND))
                case .lineTotals: b.append(lines.map(\.line.lineTotalVND))
                case .linePositions: b.append(lines.map(\.position))
                case .result: b.append(result)
                case .key: b.append(key)
                case .requestHash: b.append(new.requestHash)
                case .lineWeights: b.append(lines.map { placed.priced[$0.line.variantID]?.weightGrams ?? 0 })
                case .lineVolumes: b.append(lines.map { placed.priced[$0.line.variantID]?.volumeCM3 ?? 0 })
                case .packageChargeableWeights: b.append(packages.map(\.chargeableWeightGrams))
                case .packageDeclaredValues: b.append(packages.map(\.declaredValueVND))
                case .packageInsuranceFees: b.append(packages.map(\.insuranceFeeVND))
                case .lineSellerCommunes: b.append(lines.map { placed.priced[$0.line.variantID]?.sellerCommune ?? "" })
                case .lineSellerProvinces:
                    b.append(lines.map { placed.priced[$0.line.variantID]?.sellerProvince ?? "" })
                case .createdAt: b.append(order.createdAt)
                case .lineIDs: b.append(lines.map { _ in UUID.timeOrdered() })
                case .lineSuppliers: b.append(lines.map(\.supplier))
                case .lineSellers: b.append(lines.map(\.seller))
                }
            }
            return b
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }
}
