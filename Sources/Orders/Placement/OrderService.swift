import Catalog
import Foundation
import Kernel
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
    let pricing = PricingCache()
    let numbers = OrderNumbers()
    let batcher: PlacementBatcher
    /// Tells product caches of the stock an order took, after its commit.
    let announcer: CatalogAnnouncer
    /// Runs between pricing an order and writing it; tests use it to change the catalog right there.
    var afterPricing: (@Sendable () async throws -> Void)?

    public init(
        db: Database, logger: Logger, paymentWindow: Duration = .seconds(24 * 3600), hooks: PackageHooks = .none,
        announcer: CatalogAnnouncer? = nil, batchLanes: Int = 1
    ) {
        self.db = db
        self.logger = logger
        self.paymentWindow = paymentWindow
        self.hooks = hooks
        self.announcer = announcer ?? CatalogAnnouncer(db: db, cache: nil, logger: logger)
        self.batcher = PlacementBatcher(db: db, logger: logger, lanes: batchLanes)
    }

    public enum Placement: Sendable, Equatable {
        /// Placed now.
        case placed(Order)
        /// The same request was made before with this key: the order it placed, as it was then.
        case replayed(Order)

        public var order: Order {
            switch self {
            case .placed(let order), .replayed(let order): order
            }
        }
    }

    /// Places an order once per (buyer, idempotency key). The key keeps the placed order itself
    /// (`OrderSnapshot`), so a retry gets the very same order back, whatever happened to it since.
    ///
    /// No explicit transaction (see `OrderPlacement`): pricing reads what it needs, from this process's
    /// `PricingCache` when it knows every piece (the order then takes its number from a block and its
    /// time from this clock, and is written together with other requests' orders by
    /// `PlacementBatcher`), else from the database; one statement verifies, under the variants' locks,
    /// that everything is still as priced and writes the order. If anything changed in between, the
    /// order is priced again from a fresh read (three tries).
    public func place(
        _ new: NewOrder, idempotencyKey: String, caller: Caller
    ) async throws -> Placement {
        let principal = try caller.signedIn()
        try principal.require(.buyer)
        if let placement = try await fromMemory(new, key: idempotencyKey, buyer: principal.userID) {
            if case .placed(let order) = placement { announce(order) }
            return placement
        }
        let placement = try await db.withConnection { connection in
            let statements = OrderPlacement(connection: connection, logger: logger)
            func write(_ placed: PlacedOrder) async throws -> Placement? {
                try await afterPricing?()
                switch try await statements.place(
                    placed, new: new, buyer: principal.userID, key: idempotencyKey,
                    result: try OrderSnapshot.encode(placed.order))
                {
                case .placed:
                    return Placement.placed(placed.order)
                case .keyTaken:
                    guard let stored = try await statements.stored(buyer: principal.userID, key: idempotencyKey)
                    else { throw DomainError.conflict(kind: "idempotency-key-busy", detail: "Retry this request.") }
                    return try await replay(stored, of: new, on: connection)
                case .changed:
                    return nil
                }
            }
            for _ in 1...3 {
                let context = try await statements.prepare(
                    buyer: principal.userID, key: idempotencyKey, lines: new.lines,
                    communeCode: new.address.communeCode)
                if let stored = context.stored { return try await replay(stored, of: new, on: connection) }
                pricing.remember(
                    variants: context.variants, sellers: context.sellers, tariffID: context.tariffID,
                    communeCode: new.address.communeCode, destination: context.destination)
                let destination = try self.destination(new, found: context.destination)
                guard let tariffID = context.tariffID else {
                    throw DomainError.conflict(kind: "no-tariff", detail: "No shipping tariff is in force yet.")
                }
                let tariff = try await tariffs.version(tariffID, on: connection, logger: logger)
                let quote = try price(new, variants: context.variants, destination: destination, tariff: tariff)
                let placed = build(
                    new, quote: quote, tariff: tariff, sellers: context.sellers, buyer: principal.userID,
                    number: context.number, at: context.at)
                if let placement = try await write(placed) { return placement }
            }
            throw DomainError.conflict(
                kind: "cart-changed", detail: "Prices or stock kept changing while this order was placed; retry.")
        }
        if case .placed(let order) = placement { announce(order) }
        return placement
    }

    /// After the commit, so the notify lock is not held through it (migration 0013).
    private func announce(_ order: Order) {
        announcer.announce(products: order.packages.flatMap { $0.lines.map(\.productID) })
    }

    /// The order priced from what this process remembers (`PricingCache`) and written with the
    /// orders of other requests (`PlacementBatcher`), or nil: something is not remembered, pricing
    /// refused it (short stock, not on sale, …: only a fresh read may refuse), or the database found
    /// it changed. Holds no connection of its own while it waits for its batch.
    private func fromMemory(
        _ new: NewOrder, key: String, buyer: UUID
    ) async throws -> Placement? {
        let variantIDs = new.lines.map(\.variantID)
        guard let cached = pricing.context(variantIDs: variantIDs, communeCode: new.address.communeCode),
            let destination = try? self.destination(new, found: cached.destination),
            let tariff = tariffs.cached(cached.tariffID),
            let quote = try? price(new, variants: cached.variants, destination: destination, tariff: tariff)
        else { return nil }
        let at = Date()
        let number = try await numbers.next(db: db, logger: logger)
        let placed = build(
            new, quote: quote, tariff: tariff, sellers: cached.sellers, buyer: buyer,
            number: OrderNumber.format(sequence: number, at: at), at: at)
        try await afterPricing?()
        let job = OrderBatch.Job(
            placed: placed, new: new, buyer: buyer, key: key, result: try OrderSnapshot.encode(placed.order))
        switch try await batcher.place(job) {
        case .placed:
            return Placement.placed(placed.order)
        case .keyTaken:
            return try await db.withConnection { connection in
                guard
                    let stored = try await OrderPlacement(connection: connection, logger: logger).stored(
                        buyer: buyer, key: key)
                else { throw DomainError.conflict(kind: "idempotency-key-busy", detail: "Retry this request.") }
                return try await replay(stored, of: new, on: connection)
            }
        case .changed:
            pricing.forget(variantIDs: variantIDs)
            return nil
        }
    }

    private func destination(_ new: NewOrder, found: (province: String, region: String)?) throws
        -> ShippingZone.Place
    {
        try QuoteService.destination(
            provinceCode: new.address.provinceCode, communeCode: new.address.communeCode, found: found,
            field: "shipping_address")
    }

    /// The pure part of pricing: stock and sale checks, then the quote.
    private func price(
        _ new: NewOrder, variants: [UUID: PurchasableVariant], destination: ShippingZone.Place, tariff: Tariff
    ) throws -> OrderQuote {
        try StockCheck.verify(new.lines, variants: variants)
        return try Checkout.quote(
            new.lines, variants: variants, destination: destination, tariff: tariff, paymentMethod: new.paymentMethod)
    }

    private func build(
        _ new: NewOrder, quote: OrderQuote, tariff: Tariff, sellers: [UUID: String], buyer: UUID, number: String,
        at: Date
    ) -> PlacedOrder {
        PlacedOrder.build(
            id: UUID.timeOrdered(), number: number, buyer: buyer, new: new, quote: quote, tariff: tariff,
            supplierNames: sellers, packageIDs: quote.packages.map { _ in UUID.timeOrdered() },
            deliveryCode: DeliveryCode.random(),
            paymentDueAt: new.paymentMethod == .bankTransfer
                ? at.addingTimeInterval(Double(paymentWindow.components.seconds)) : nil,
            at: at)
    }

    /// The order stored under a key: replayed for the same request, refused for another one. A key
    /// claimed before migration 0020 kept the HTTP response instead of the order: it replays the order
    /// as it is now.
    private func replay(_ stored: StoredPlacement, of new: NewOrder, on connection: PostgresConnection) async throws
        -> Placement
    {
        guard stored.requestHash == new.requestHash else {
            throw DomainError.unprocessable(
                kind: "idempotency-key-reused",
                detail: "This Idempotency-Key was used for another request; use a new key for a new order.")
        }
        if let order = OrderSnapshot.decode(stored.result) { return .replayed(order) }
        guard let orderID = stored.orderID,
            let order = try await OrderReader(logger: logger).load(orderID, on: connection, forUpdate: false)
        else { throw DomainError.conflict(kind: "idempotency-key-busy", detail: "Retry this request.") }
        return .replayed(order)
    }
}
