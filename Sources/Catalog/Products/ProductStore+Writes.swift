import Foundation
import Kernel
import Logging
import PostgresNIO

extension ProductStore {
    public func create(_ new: NewProduct, supplier supplierID: UUID, caller: Caller) async throws -> Product {
        let principal = try caller.signedIn()
        let id = UUID()
        try await db.withTransaction(logger: logger) { connection in
            // FOR SHARE: the supplier cannot be changed under us, other producers can still list at once.
            let scope = try await supplierScope(supplierID, on: connection)
            try principal.requireMember(of: scope, "supplier")
            try await checkReferences(category: new.categoryCode, province: new.originProvinceCode, on: connection)
            try await connection.query(
                """
                INSERT INTO products (id, supplier_id, title, description, category_code, origin_province_code,
                    images, is_regional_specialty)
                VALUES (\(id), \(supplierID), \(new.title), \(new.description), \(new.categoryCode),
                    \(new.originProvinceCode), \(new.images), \(new.isRegionalSpecialty))
                """,
                logger: logger
            )
            for (index, variant) in new.variants.enumerated() {
                _ = try await insertVariant(
                    variant, product: id, supplier: supplierID, position: index + 1, field: "variants[\(index)].sku",
                    on: connection)
            }
            try await AuditEntry(
                actorID: principal.userID, action: "product.created", entityType: "product",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID, details: ["title": new.title]
            ).record(on: connection, logger: logger)
        }
        changed(id)
        return try await get(id, caller: caller)
    }

    public func update(_ id: UUID, _ patch: ProductPatch, caller: Caller) async throws -> Product {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let product = try await locked(id, on: connection)
            try principal.requireMember(of: product.scope, "product")
            try await apply(patch, to: product, principal: principal, caller: caller, on: connection)
        }
        changed(id)
        return try await get(id, caller: caller)
    }

    /// One more image, appended under the product's row lock: two uploads at once both land, and a
    /// URL already there is not added twice.
    public func addImage(_ url: String, to id: UUID, caller: Caller) async throws -> Product {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let product = try await locked(id, on: connection)
            try principal.requireMember(of: product.scope, "product")
            guard !product.images.contains(url) else { return }
            let patch = try ProductPatch.validated(
                title: nil, description: nil, categoryCode: nil, originProvinceCode: nil,
                images: product.images + [url], isRegionalSpecialty: nil)
            try await apply(patch, to: product, principal: principal, caller: caller, on: connection)
        }
        changed(id)
        return try await get(id, caller: caller)
    }

    /// The patch on a locked product its caller may change: reviewed content sends a listed product
    /// back to review.
    func apply(
        _ patch: ProductPatch, to product: Product, principal: Principal, caller: Caller,
        on connection: PostgresConnection
    ) async throws {
        let id = product.id
        guard product.status != .archived else {
            throw DomainError.conflict(
                kind: "invalid-transition", detail: "An archived product cannot change.", currentState: "archived")
        }
        let next =
            patch.changesReviewedContent(of: product)
            ? try ProductAction.editContent.apply(to: product.status) : product.status
        try await checkReferences(category: patch.categoryCode, province: patch.originProvinceCode, on: connection)
        try await connection.query(
            """
            UPDATE products SET
                title = COALESCE(\(patch.title), title),
                description = COALESCE(\(patch.description), description),
                category_code = COALESCE(\(patch.categoryCode), category_code),
                origin_province_code = COALESCE(\(patch.originProvinceCode), origin_province_code),
                images = COALESCE(\(patch.images), images),
                is_regional_specialty = COALESCE(\(patch.isRegionalSpecialty), is_regional_specialty),
                status = \(next.rawValue),
                updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger
        )
        var details = ["from": product.status.rawValue, "to": next.rawValue]
        for (field, present) in [
            ("title", patch.title != nil), ("description", patch.description != nil),
            ("category_code", patch.categoryCode != nil), ("origin_province_code", patch.originProvinceCode != nil),
            ("images", patch.images != nil), ("is_regional_specialty", patch.isRegionalSpecialty != nil),
        ] where present {
            details[field] = "changed"
        }
        try await AuditEntry(
            actorID: principal.userID, action: "product.updated", entityType: "product",
            entityID: id.uuidString.lowercased(), requestID: caller.requestID, details: details
        ).record(on: connection, logger: logger)
    }

    /// submit (a producer), approve and reject (a clerk), archive (either).
    public func transition(_ id: UUID, _ action: ProductAction, reason: String?, caller: Caller) async throws
        -> Product
    {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let product = try await locked(id, on: connection)
            switch action {
            case .submit, .editContent: try principal.requireMember(of: product.scope, "product")
            case .approve, .reject: try principal.requireReviewer(of: product.scope, "product")
            case .archive: try principal.requireMemberOrReviewer(of: product.scope, "product")
            }
            let next = try action.apply(to: product.status)
            if action == .submit || action == .approve, !product.variants.contains(where: \.isActive) {
                throw DomainError.conflict(
                    kind: "no-active-variant", detail: "A product needs at least one active variant to be listed.",
                    currentState: product.status.rawValue)
            }
            let rejection = action == .reject ? reason : (next == .pendingReview ? nil : product.rejectionReason)
            try await connection.query(
                """
                UPDATE products SET status = \(next.rawValue), rejection_reason = \(rejection), updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            try await AuditEntry(
                actorID: principal.userID, action: "product.\(action.rawValue)", entityType: "product",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["from": product.status.rawValue, "to": next.rawValue, "reason": reason ?? ""]
            ).record(on: connection, logger: logger)
        }
        changed(id)
        return try await get(id, caller: caller)
    }

    // MARK: helpers

    func locked(_ id: UUID, on connection: PostgresConnection) async throws -> Product {
        guard let product = try await load(id, on: connection, forUpdate: true) else {
            throw DomainError.notFound("No product with this id.")
        }
        return product
    }

    func supplierScope(_ id: UUID, on connection: PostgresConnection) async throws -> SupplierScope {
        guard let scope = try await SupplierScope.load(id, on: connection, lock: true, logger: logger) else {
            throw DomainError.notFound("No supplier with this id.")
        }
        return scope
    }

    func checkReferences(category: String?, province: String?, on connection: PostgresConnection) async throws {
        var v = Validator()
        if let category {
            let known = try await !connection.query("SELECT 1 FROM categories WHERE code = \(category)", logger: logger)
                .collect().isEmpty
            v.check(known, "category_code", "is not a category (see GET /v1/categories)")
        }
        if let province {
            let known = try await !connection.query("SELECT 1 FROM provinces WHERE code = \(province)", logger: logger)
                .collect().isEmpty
            v.check(known, "origin_province_code", "is not a province code in force (see GET /v1/provinces)")
        }
        try v.done()
    }

    func insertVariant(
        _ variant: VariantDraft, product: UUID, supplier: UUID, position: Int, field: String,
        on connection: PostgresConnection
    ) async throws -> UUID {
        let id = UUID()
        do {
            try await connection.query(
                """
                INSERT INTO product_variants (id, product_id, supplier_id, sku, name, price_vnd, weight_grams,
                    stock_on_hand, position, length_cm, width_cm, height_cm)
                VALUES (\(id), \(product), \(supplier), \(variant.sku), \(variant.name), \(variant.priceVND),
                    \(variant.weightGrams), \(variant.stockOnHand), \(position), \(variant.dimensions?.lengthCM),
                    \(variant.dimensions?.widthCM), \(variant.dimensions?.heightCM))
                """,
                logger: logger
            )
        } catch let error as PSQLError where error.sqlState == "23505" {
            throw DomainError.invalid(field, "is already used by another variant of this supplier")
        }
        return id
    }
}
