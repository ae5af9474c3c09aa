import Foundation
import Kernel
import Logging
import PostgresNIO

/// Stock as orders take it and give it back (Orders' placement, cancellation, rejection, release).
/// Catalog owns `product_variants`: this is the SQL by which another module changes its stock.
/// Stock is always locked and changed in variant-id order, so takers and givers never deadlock.
public enum VariantStock {
    /// The body of the data-modifying CTE that takes the stock in an order-writing statement (one
    /// statement per order or batch, a measured choice): `source` joins each variant already locked
    /// `FOR UPDATE` to the quantity wanted; the stock check itself (`CHECK (stock_on_hand >= 0)` and
    /// the statement's own) stays with the caller.
    public static func takeSQL(from source: String, variant: String, quantity: String) -> String {
        """
        UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - \(quantity), updated_at = now()
                        FROM \(source)
                        WHERE v.id = \(variant)
                        RETURNING v.id
        """
    }

    /// Locks the variants in id order before stock goes back to them one by one.
    public static func lock(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query(
            "SELECT 1 FROM product_variants WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE", logger: logger)
    }

    /// Puts quantities back (in variant-id order, as orders take them) and tells the product caches:
    /// stock-only changes do not notify by trigger (migration 0013), and this path is rare.
    public static func giveBack(
        _ lines: [(variantID: UUID, productID: UUID, quantity: Int)], on connection: PostgresConnection,
        logger: Logger
    ) async throws {
        for line in lines.sorted(by: { $0.variantID.uuidString < $1.variantID.uuidString }) {
            try await connection.query(
                """
                UPDATE product_variants SET stock_on_hand = stock_on_hand + \(line.quantity), updated_at = now()
                WHERE id = \(line.variantID)
                """,
                logger: logger)
        }
        try await CatalogChanges.notify(products: lines.map(\.productID), on: connection, logger: logger)
    }
}
