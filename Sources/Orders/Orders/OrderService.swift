import Catalog
import Foundation
import Logging
import PostgresNIO

/// Placing, reading and cancelling orders. Stock is taken in the order's own transaction, its
/// variants locked in id order first (so concurrent orders never deadlock), and
/// comes back exactly once because only a package that still holds stock can change to a state
/// that releases it, under its row lock.
public struct OrderService: Sendable {
    let db: Database
    let logger: Logger
    /// How long a bank-transfer order waits for its payment before its stock is released.
    let paymentWindow: Duration
    let hooks: PackageHooks
    let tariffs = TariffVersions()

    public init(
        db: Database, logger: Logger, paymentWindow: Duration = .seconds(24 * 3600), hooks: PackageHooks = .none
    ) {
        self.db = db
        self.logger = logger
        self.paymentWindow = paymentWindow
        self.hooks = hooks
    }

    public enum Placement: Sendable {
        /// Placed now; `body` is what was stored for replays.
        case placed(Order)
        /// The same request was made before with this key: its response, as it was.
        case replayed(status: Int, body: String)
    }

    /// Places an order once per (buyer, idempotency key). `render` turns the new order into the
    /// response body kept for replays, so a retry gets the very same bytes.
    public func place(
        _ new: NewOrder, idempotencyKey: String, caller: Caller, render: @Sendable (Order) throws -> String
    ) async throws -> Placement {
        let principal = try caller.signedIn()
        try principal.require(.buyer)
        let hash = new.requestHash
        let placement = try await db.withTransaction(logger: logger) { connection in
            let statements = OrderPlacement(connection: connection, logger: logger)
            guard
                let claimed = try await statements.claim(
                    buyer: principal.userID, key: idempotencyKey, hash: hash, communeCode: new.address.communeCode)
            else {
                guard let stored = try await statements.stored(buyer: principal.userID, key: idempotencyKey) else {
                    throw DomainError.conflict(kind: "idempotency-key-busy", detail: "Retry this request.")
                }
                guard stored.hash == hash else {
                    throw DomainError.unprocessable(
                        kind: "idempotency-key-reused",
                        detail: "This Idempotency-Key was used for another request; use a new key for a new order.")
                }
                return Placement.replayed(status: stored.status, body: stored.body)
            }
            let destination = try QuoteService.destination(
                provinceCode: new.address.provinceCode, communeCode: new.address.communeCode,
                found: claimed.destinationProvince.map { ($0, claimed.destinationRegion ?? "") },
                field: "shipping_address")
            guard let tariffID = claimed.tariffID else {
                throw DomainError.conflict(kind: "no-tariff", detail: "No shipping tariff is in force yet.")
            }
            let tariff = try await tariffs.version(tariffID, on: connection, logger: logger)
            let (variants, sellers) = try await statements.lockVariants(new.lines.map(\.variantID))
            try StockCheck.verify(new.lines, variants: variants)
            let quote = try Checkout.quote(
                new.lines, variants: variants, destination: destination, tariff: tariff,
                paymentMethod: new.paymentMethod)
            let prepaid = new.paymentMethod == .bankTransfer
            let placed = PlacedOrder.build(
                id: UUID(), number: claimed.number, buyer: principal.userID, new: new, quote: quote, tariff: tariff,
                supplierNames: sellers, packageIDs: quote.packages.map { _ in UUID() },
                deliveryCode: String(format: "%06d", Int.random(in: 0..<1_000_000)),
                paymentDueAt: prepaid ? claimed.at.addingTimeInterval(Double(paymentWindow.components.seconds)) : nil,
                at: claimed.at)
            try await statements.write(
                placed, buyer: principal.userID, key: idempotencyKey, response: try render(placed.order))
            return Placement.placed(placed.order)
        }
        if case .placed(let order) = placement {
            // After the commit, so the notify lock is not held through it (migration 0013).
            await CatalogChanges.announce(
                products: order.packages.flatMap { $0.lines.map(\.productID) }, db: db, logger: logger)
        }
        return placement
    }
}
