import Catalog
import Foundation
import Logging
import PostgresNIO

/// The two statements of an order placement, both prepared once per connection (planning them
/// anew each time cost more than running them, measured with pg_stat_statements), neither inside an
/// explicit transaction:
/// 1. `Prepare` reads, without locking, what pricing needs and whether the key was used before
///    (`order_pricing_context`, migration 0015); an order priced from `PricingCache` skips it;
/// 2. `OrderBatch` claims the key, locks the variants in id order, checks they are still as priced
///    (`order_placement_verified` raises `MK001` otherwise, undoing everything), takes the stock
///    and writes the order, its packages, lines, outbox event and the response kept for replays,
///    for one order or for several at once.
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
        /// A response stored earlier under this key, with the digest of its request.
        var stored: (hash: String, status: Int, body: String)?
        var variants: [UUID: PurchasableVariant]
        var sellers: [UUID: String]
    }

    func prepare(buyer: UUID, key: String, lines: [CartLine], communeCode: String) async throws -> Context {
        let rows = try await connection.rows(
            Prepare(buyer: buyer, key: key, variantIDs: lines.map(\.variantID), communeCode: communeCode),
            logger: logger)
        guard let first = rows.first else { throw DomainError.conflict(kind: "busy", detail: "Retry this request.") }
        var context = Context(
            number: first.0, at: first.1, tariffID: first.2,
            destination: first.3.map { ($0, first.4 ?? "") },
            stored: first.5.map { ($0, first.6 ?? 0, first.7 ?? "") }, variants: [:], sellers: [:])
        for r in rows {
            guard let id = r.8, let product = r.9, let supplier = r.10, let sku = r.11, let title = r.12,
                let name = r.13, let price = r.14, let weight = r.15, let stock = r.16, let onSale = r.17,
                let sellerName = r.21
            else { continue }
            context.variants[id] = PurchasableVariant(
                id: id, productID: product, supplierID: supplier, sku: sku, productTitle: title, variantName: name,
                priceVND: price, weightGrams: weight, stockOnHand: stock, isOnSale: onSale, supplierCommune: r.18,
                supplierProvince: r.19, supplierRegion: r.20)
            context.sellers[supplier] = sellerName
        }
        return context
    }

    struct Prepare: PostgresPreparedStatement {
        static let sql = "SELECT * FROM order_pricing_context($1::uuid[], $2::text, $3::uuid, $4::text)"
        typealias Row = (
            String, Date, UUID?, String?, String?, String?, Int?, String?, UUID?, UUID?, UUID?, String?, String?,
            String?, Int64?, Int?, Int?, Bool?, String?, String?, String?, String?
        )
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

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
    }

    /// What a stored response was, when the key was claimed before (possibly a moment ago, by a
    /// concurrent retry that `OrderBatch` waited for).
    func stored(buyer: UUID, key: String) async throws -> (hash: String, status: Int, body: String)? {
        try await connection.query(
            """
            SELECT request_hash, response_status, response_body FROM idempotency_keys
            WHERE user_id = \(buyer) AND key = \(key)
            """,
            logger: logger
        ).collect().decode((String, Int, String).self).first.map { ($0.0, $0.1, $0.2) }
    }

    enum Outcome {
        case placed
        /// Another request holds this key (it committed while this one waited for it).
        case keyTaken
        /// The variants changed between pricing and locking: price again.
        case changed
    }
}
