import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// The buyer calls the order off before pickup: every package still holding stock is cancelled
    /// and its stock returns; a package already with the carrier makes it a 409.
    public func cancel(_ id: UUID, reason: String?, caller: Caller) async throws -> Order {
        let principal = try caller.signedIn()
        return try await db.withTransaction(logger: logger) { connection in
            guard let order = try await OrderReader(logger: logger).load(id, on: connection, forUpdate: true),
                order.buyerID == principal.userID || principal.isAdmin
            else { throw DomainError.notFound("No order with this id.") }
            if let underway = order.packages.first(where: { $0.status.isUnderwayWithCarrier }) {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "Package \(underway.number) is already with the post office.",
                    currentState: order.status.rawValue)
            }
            let cancellable = order.packages.filter(\.status.holdsStock)
            guard !cancellable.isEmpty else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "This order has nothing left to cancel.",
                    currentState: order.status.rawValue)
            }
            try await lockVariants(of: cancellable, on: connection)
            for package in cancellable {
                try await move(package, .cancel, reason: nil, on: connection)
            }
            try await connection.query(
                "UPDATE orders SET cancel_reason = \(reason) WHERE id = \(id)", logger: logger)
            try await AuditEntry(
                actorID: principal.userID, action: "order.cancel", entityType: "order",
                entityID: id.uuidString.lowercased(),
                requestID: caller.requestID, details: reason.map { ["reason": $0] } ?? [:]
            ).record(on: connection, logger: logger)
            return try await refreshStatus(of: id, on: connection)
        }
    }

    /// accept, reject (with reason) and ready, by a producer of the package's supplier.
    public func transition(
        package id: UUID, _ action: PackageAction, reason: String?, measurement: PackageMeasurement? = nil,
        caller: Caller
    ) async throws -> Package {
        let principal = try caller.signedIn()
        try principal.require(.producer)
        return try await db.withTransaction(logger: logger) { connection in
            // Lock order first, then package, as cancel does, so the two never deadlock.
            let orderIDs = try await connection.query(
                "SELECT order_id, supplier_id FROM packages WHERE id = \(id)", logger: logger
            ).collect().decode((UUID, UUID).self)
            guard let (orderID, supplierID) = orderIDs.first else {
                throw DomainError.notFound("No package with this id.")
            }
            guard let scope = try await SupplierScope.load(supplierID, on: connection, lock: false, logger: logger)
            else { throw DomainError.notFound("No package with this id.") }
            try principal.requireMember(of: scope, "package")
            guard let order = try await OrderReader(logger: logger).load(orderID, on: connection, forUpdate: true),
                let package = order.packages.first(where: { $0.id == id })
            else { throw DomainError.notFound("No package with this id.") }
            try await move(package, action, reason: reason, on: connection)
            var details = reason.map { ["reason": $0] } ?? [:]
            if action == .markReady, let measurement, !measurement.isEmpty {
                let price = try await Self.measure(package: id, measurement, on: connection, logger: logger)
                details["chargeable_weight_grams"] = String(price.chargeableGrams)
                details["declared_value_vnd"] = String(price.declaredVND)
                details["seller_surcharge_vnd"] = String(price.surchargeVND)
            }
            try await AuditEntry(
                actorID: principal.userID, action: "package.\(action.rawValue)", entityType: "package",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID, details: details
            ).record(on: connection, logger: logger)
            let updated = try await refreshStatus(of: orderID, on: connection)
            guard let result = updated.packages.first(where: { $0.id == id }) else {
                throw DomainError.notFound("No package with this id.")
            }
            return result
        }
    }

    /// Applies one package transition under the row locks the caller holds, returning stock when
    /// the package stops holding it (exactly once: only a stock-holding state can get here).
    func move(
        _ package: Package, _ action: PackageAction, reason: String?, eventReason: String? = nil,
        on connection: PostgresConnection
    ) async throws {
        let next = try action.apply(to: package.status)
        try await connection.query(
            """
            UPDATE packages SET status = \(next.rawValue), updated_at = now(),
                reject_reason = CASE WHEN \(action == .reject) THEN \(reason) ELSE reject_reason END
            WHERE id = \(package.id) AND status = \(package.status.rawValue)
            """,
            logger: logger)
        if package.status.holdsStock && !next.holdsStock {
            try await returnStock(of: package, on: connection)
        }
        if next == .readyForPickup {
            try await hooks.readyForPickup(package.id, connection, logger)
        }
        if [.cancelled, .rejected, .expired].contains(next) {
            try await hooks.packageEnded(package.id, connection, logger)
        }
        var payload = ["from": package.status.rawValue, "to": next.rawValue, "order_id": package.orderID.uuidString]
        if let eventReason { payload["reason"] = eventReason }
        try await Outbox.add(
            topic: "package.\(next.rawValue)", aggregateType: "package", id: package.id, payload: payload,
            on: connection, logger: logger)
    }

    /// Locks the variants of `packages` in id order, before stock goes back to them package by
    /// package: orders take stock in variant-id order, so returning it in any other order could
    /// deadlock with a placement (or with another release) touching the same variants.
    func lockVariants(of packages: [Package], on connection: PostgresConnection) async throws {
        try await VariantStock.lock(
            Array(Set(packages.flatMap { $0.lines.map(\.variantID) })), on: connection, logger: logger)
    }

    /// Puts a package's quantities back on its variants (through Catalog, which owns the stock).
    func returnStock(of package: Package, on connection: PostgresConnection) async throws {
        try await VariantStock.giveBack(
            package.lines.map { (variantID: $0.variantID, productID: $0.productID, quantity: $0.quantity) },
            on: connection, logger: logger)
    }

    /// Sets the order's status from its packages' (and records the change in the outbox).
    func refreshStatus(of id: UUID, on connection: PostgresConnection) async throws -> Order {
        guard var order = try await OrderReader(logger: logger).load(id, on: connection) else {
            throw DomainError.notFound("No order with this id.")
        }
        let derived = OrderStatus.derived(from: order.packages.map(\.status))
        if derived != order.status {
            try await connection.query(
                "UPDATE orders SET status = \(derived.rawValue), updated_at = now() WHERE id = \(id)", logger: logger)
            try await Outbox.add(
                topic: "order.\(derived.rawValue)", aggregateType: "order", id: id,
                payload: ["from": order.status.rawValue, "to": derived.rawValue], on: connection, logger: logger)
            order.status = derived
        }
        return order
    }
}
