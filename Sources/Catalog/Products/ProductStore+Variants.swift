import Foundation
import Kernel
import Logging
import PostgresNIO

extension ProductStore {
    public func addVariant(_ draft: VariantDraft, product id: UUID, caller: Caller) async throws -> Variant {
        let principal = try caller.signedIn()
        var v = Validator()
        ProductRules.variant(draft, prefix: "", into: &v)
        try v.done()
        let variantID = try await db.withTransaction(logger: logger) { connection in
            let product = try await locked(id, on: connection)
            try principal.requireMember(of: product.scope, "product")
            guard product.status != .archived else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "An archived product cannot change.", currentState: "archived")
            }
            guard product.variants.count < 20 else {
                throw DomainError.conflict(kind: "too-many-variants", detail: "A product has at most 20 variants.")
            }
            let variantID = try await insertVariant(
                draft, product: id, supplier: product.supplier.id, position: product.variants.count + 1, field: "sku",
                on: connection)
            try await AuditEntry(
                actorID: principal.userID, action: "variant.created", entityType: "product",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["variant_id": variantID.uuidString.lowercased(), "sku": draft.sku]
            ).record(on: connection, logger: logger)
            return variantID
        }
        changed(id)
        return try await variant(variantID, of: id, caller: caller)
    }

    /// Name, price, weight and availability; never stock (see `adjustStock`), never the review state.
    public func updateVariant(_ variantID: UUID, of id: UUID, _ patch: VariantPatch, caller: Caller) async throws
        -> Variant
    {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let product = try await locked(id, on: connection)
            try principal.requireMember(of: product.scope, "product")
            guard let before = product.variants.first(where: { $0.id == variantID }) else {
                throw DomainError.notFound("No variant with this id.")
            }
            guard product.status != .archived else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "An archived product cannot change.", currentState: "archived")
            }
            try await connection.query(
                """
                UPDATE product_variants SET
                    name = COALESCE(\(patch.name), name),
                    price_vnd = COALESCE(\(patch.priceVND), price_vnd),
                    weight_grams = COALESCE(\(patch.weightGrams), weight_grams),
                    is_active = COALESCE(\(patch.isActive), is_active),
                    length_cm = COALESCE(\(patch.dimensions?.lengthCM), length_cm),
                    width_cm = COALESCE(\(patch.dimensions?.widthCM), width_cm),
                    height_cm = COALESCE(\(patch.dimensions?.heightCM), height_cm),
                    updated_at = now()
                WHERE id = \(variantID)
                """,
                logger: logger
            )
            var details = ["variant_id": variantID.uuidString.lowercased()]
            if let price = patch.priceVND { details["price_vnd"] = "\(before.priceVND) → \(price)" }
            if let weight = patch.weightGrams { details["weight_grams"] = "\(before.weightGrams) → \(weight)" }
            if let active = patch.isActive { details["is_active"] = "\(active)" }
            if let size = patch.dimensions {
                details["dimensions_cm"] = "\(size.lengthCM)×\(size.widthCM)×\(size.heightCM)"
            }
            try await AuditEntry(
                actorID: principal.userID, action: "variant.updated", entityType: "product",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID, details: details
            ).record(on: connection, logger: logger)
        }
        changed(id)
        return try await variant(variantID, of: id, caller: caller)
    }

    /// Adds or removes stock in one conditional UPDATE, so it composes with concurrent orders and
    /// never takes stock below zero.
    public func adjustStock(variant variantID: UUID, of id: UUID, delta: Int, reason: String, caller: Caller)
        async throws -> StockAdjustment
    {
        let principal = try caller.signedIn()
        var v = Validator()
        v.check(delta != 0, "delta", "must not be zero")
        v.range(delta, "delta", -ProductRules.stock.upperBound...ProductRules.stock.upperBound)
        v.paragraph(reason, "reason", min: 1, max: 500)
        v.check(!reason.allSatisfy(\.isWhitespace), "reason", "must not be empty")
        try v.done()
        guard let product = try await load(id) else { throw DomainError.notFound("No product with this id.") }
        try principal.requireMember(of: product.scope, "product")
        guard product.variants.contains(where: { $0.id == variantID }) else {
            throw DomainError.notFound("No variant with this id.")
        }
        return try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE product_variants SET stock_on_hand = stock_on_hand + \(delta), updated_at = now()
                WHERE id = \(variantID) AND product_id = \(id)
                    AND stock_on_hand + \(delta) BETWEEN 0 AND \(ProductRules.stock.upperBound)
                RETURNING stock_on_hand
                """,
                logger: logger
            ).collect().decode(Int.self)
            guard let after = rows.first else {
                let current =
                    try await connection.query(
                        "SELECT stock_on_hand FROM product_variants WHERE id = \(variantID)", logger: logger
                    ).collect().decode(Int.self).first ?? 0
                throw DomainError.conflict(
                    kind: "stock-out-of-range",
                    detail:
                        "Stock is \(current); adding \(delta) would leave it outside 0…\(ProductRules.stock.upperBound).",
                    currentState: String(current))
            }
            // A producer's own stock change shows on the product page at once, in every process.
            try await CatalogChanges.notify(products: [id], on: connection, logger: logger)
            let inserted = try await connection.query(
                """
                INSERT INTO stock_adjustments (variant_id, delta, stock_after, reason, actor_id)
                VALUES (\(variantID), \(delta), \(after), \(reason), \(principal.userID))
                RETURNING id, created_at
                """,
                logger: logger
            ).collect().decode((Int64, Date).self)
            guard let record = inserted.first else { throw DomainError.notFound("No variant with this id.") }
            try await AuditEntry(
                actorID: principal.userID, action: "stock.adjusted", entityType: "variant",
                entityID: variantID.uuidString.lowercased(), requestID: caller.requestID,
                details: ["delta": String(delta), "stock_after": String(after), "reason": reason]
            ).record(on: connection, logger: logger)
            changed(id)
            return StockAdjustment(
                id: record.0, variantID: variantID, delta: delta, stockAfter: after, reason: reason,
                actorID: principal.userID, createdAt: record.1)
        }
    }

    public func stockAdjustments(
        variant variantID: UUID, of id: UUID, limit: Int, after cursor: PageCursor?, caller: Caller
    ) async throws -> (items: [StockAdjustment], next: PageCursor?) {
        let principal = try caller.signedIn()
        guard let product = try await load(id) else { throw DomainError.notFound("No product with this id.") }
        try principal.require(.producer, .clerk)
        guard principal.seesPrivate(product.scope), product.variants.contains(where: { $0.id == variantID }) else {
            throw DomainError.notFound("No variant with this id.")
        }
        let before: Int64
        if let cursor {
            guard let id = Int64(cursor.id) else {
                throw DomainError.invalid("cursor", "is not a cursor this service issued")
            }
            before = id
        } else {
            before = Int64.max
        }
        let rows = try await db.query(
            """
            SELECT id, delta, stock_after, reason, actor_id, created_at FROM stock_adjustments
            WHERE variant_id = \(variantID) AND id < \(before)
            ORDER BY id DESC LIMIT \(limit + 1)
            """,
            logger: logger
        ).decode((Int64, Int, Int, String, UUID?, Date).self)
        let adjustments = rows.map {
            StockAdjustment(
                id: $0.0, variantID: variantID, delta: $0.1, stockAfter: $0.2, reason: $0.3, actorID: $0.4,
                createdAt: $0.5)
        }
        return PageCursor.page(adjustments, limit: limit) { PageCursor(key: "id", id: String($0.id)) }
    }

    func variant(_ variantID: UUID, of id: UUID, caller: Caller) async throws -> Variant {
        let product = try await get(id, caller: caller)
        guard let variant = product.variants.first(where: { $0.id == variantID }) else {
            throw DomainError.notFound("No variant with this id.")
        }
        return variant
    }
}
