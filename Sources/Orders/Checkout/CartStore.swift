import Foundation
import Kernel
import Logging
import PostgresNIO

/// A signed-in buyer's cart on the server (migration 0028): what the shop shows and orders from once
/// the buyer has signed in, on any device. Each change is one statement, so two tabs adding at once
/// both count; a cart holds at most `Checkout.maxLines` lines of at most 999 each.
public struct CartStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// The buyer's lines, oldest first (the order they were put in the cart).
    public func lines(of user: UUID) async throws -> [CartLine] {
        try await db.withConnection { connection in
            try await connection.query(
                "SELECT variant_id, quantity FROM cart_lines WHERE user_id = \(user) ORDER BY added_at, variant_id",
                logger: logger
            ).collect().decode((UUID, Int).self).map { CartLine(variantID: $0.0, quantity: $0.1) }
        }
    }

    /// Adds to a line (up to 999) or starts one; false when the cart is full or the variant does not exist.
    @discardableResult
    public func add(_ variant: UUID, quantity: Int, for user: UUID) async throws -> Bool {
        let quantity = min(max(quantity, 1), Checkout.quantities.upperBound)
        return try await db.withConnection { connection in
            // The line count is checked by the statement that adds the line (two adds racing past 49 lines
            // may both pass; an order of more than 50 lines is refused with its own message anyway).
            let rows = try await connection.query(
                """
                INSERT INTO cart_lines (user_id, variant_id, quantity)
                SELECT \(user), v.id, \(quantity) FROM product_variants v
                WHERE v.id = \(variant)
                    AND (EXISTS (SELECT 1 FROM cart_lines WHERE user_id = \(user) AND variant_id = \(variant))
                        OR (SELECT count(*) FROM cart_lines WHERE user_id = \(user)) < \(Checkout.maxLines))
                ON CONFLICT (user_id, variant_id)
                    DO UPDATE SET quantity = LEAST(cart_lines.quantity + EXCLUDED.quantity, 999)
                RETURNING 1
                """,
                logger: logger
            ).collect()
            return !rows.isEmpty
        }
    }

    /// A browser's cart joins the buyer's (at sign-in) in one statement, as the lines' adds one by one
    /// would: a line already there grows (up to 999), new lines join in their order while the cart
    /// has room (in the browser's order: each row's own clock time), and ids that name no variant are
    /// dropped.
    public func add(_ lines: [CartLine], for user: UUID) async throws {
        guard !lines.isEmpty else { return }
        let ids = lines.map(\.variantID)
        let quantities = lines.map { min(max($0.quantity, 1), Checkout.quantities.upperBound) }
        try await db.withConnection { connection in
            _ = try await connection.query(
                """
                WITH incoming AS (
                    SELECT l.id, l.q, l.n FROM unnest(\(ids)::uuid[], \(quantities)::int8[]) WITH ORDINALITY AS l(id, q, n)
                    JOIN product_variants v ON v.id = l.id
                ), held AS (
                    SELECT variant_id FROM cart_lines WHERE user_id = \(user)
                ), fresh AS (
                    SELECT i.id, row_number() OVER (ORDER BY i.n) AS k FROM incoming i
                    WHERE i.id NOT IN (SELECT variant_id FROM held)
                )
                INSERT INTO cart_lines (user_id, variant_id, quantity, added_at)
                SELECT \(user), i.id, i.q, clock_timestamp() FROM incoming i
                WHERE i.id IN (SELECT variant_id FROM held)
                    OR i.id IN (SELECT f.id FROM fresh f WHERE f.k <= \(Checkout.maxLines) - (SELECT count(*) FROM held))
                ORDER BY i.n
                ON CONFLICT (user_id, variant_id)
                    DO UPDATE SET quantity = LEAST(cart_lines.quantity + EXCLUDED.quantity, 999)
                """,
                logger: logger)
        }
    }

    /// Sets a line's quantity; 0 removes it.
    public func set(_ variant: UUID, quantity: Int, for user: UUID) async throws {
        try await db.withConnection { connection in
            if quantity <= 0 {
                _ = try await connection.query(
                    "DELETE FROM cart_lines WHERE user_id = \(user) AND variant_id = \(variant)", logger: logger)
            } else {
                let capped = min(quantity, Checkout.quantities.upperBound)
                _ = try await connection.query(
                    "UPDATE cart_lines SET quantity = \(capped) WHERE user_id = \(user) AND variant_id = \(variant)",
                    logger: logger)
            }
        }
    }

    /// Empties the cart (after its order was placed).
    public func clear(_ user: UUID) async throws {
        try await db.withConnection { connection in
            _ = try await connection.query("DELETE FROM cart_lines WHERE user_id = \(user)", logger: logger)
        }
    }
}
