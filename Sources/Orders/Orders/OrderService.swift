import Catalog
import Foundation
import Logging
import PostgresNIO

/// Placing, reading and cancelling orders. Stock is taken in the order's own transaction by one
/// conditional UPDATE per variant, in variant-id order (so concurrent orders never deadlock), and
/// comes back exactly once because only a package that still holds stock can change to a state
/// that releases it, under its row lock.
public struct OrderService: Sendable {
    let db: Database
    let logger: Logger
    /// How long a bank-transfer order waits for its payment before its stock is released.
    let paymentWindow: Duration
    let hooks: PackageHooks

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
        return try await db.withTransaction(logger: logger) { connection in
            // The primary key makes a concurrent retry wait here until this transaction ends; it then
            // finds the stored response (or, if this one failed, claims the key itself).
            let claimed = try await connection.query(
                """
                INSERT INTO idempotency_keys (user_id, key, request_hash, response_status, response_body)
                VALUES (\(principal.userID), \(idempotencyKey), \(hash), 0, '')
                ON CONFLICT (user_id, key) DO NOTHING RETURNING 1
                """,
                logger: logger
            ).collect()
            if claimed.isEmpty {
                let rows = try await connection.query(
                    """
                    SELECT request_hash, response_status, response_body FROM idempotency_keys
                    WHERE user_id = \(principal.userID) AND key = \(idempotencyKey)
                    """,
                    logger: logger
                ).collect().decode((String, Int, String).self)
                guard let stored = rows.first else {
                    throw DomainError.conflict(kind: "idempotency-key-busy", detail: "Retry this request.")
                }
                guard stored.0 == hash else {
                    throw DomainError.unprocessable(
                        kind: "idempotency-key-reused",
                        detail: "This Idempotency-Key was used for another request; use a new key for a new order.")
                }
                return .replayed(status: stored.1, body: stored.2)
            }
            let order = try await insertOrder(new, buyer: principal.userID, on: connection)
            try await connection.query(
                """
                UPDATE idempotency_keys SET response_status = 201, response_body = \(try render(order)),
                    order_id = \(order.id)
                WHERE user_id = \(principal.userID) AND key = \(idempotencyKey)
                """,
                logger: logger
            )
            return .placed(order)
        }
    }

    func insertOrder(_ new: NewOrder, buyer: UUID, on connection: PostgresConnection) async throws -> Order {
        let destination = try await QuoteService.destination(
            provinceCode: new.address.provinceCode, communeCode: new.address.communeCode, field: "shipping_address",
            on: connection, logger: logger)
        try await takeStock(new.lines, on: connection)
        // The variants are locked by this transaction now: these prices are the ones in force.
        let variants = try await PurchasableVariants.load(new.lines.map(\.variantID), on: connection, logger: logger)
        let tariff = try await TariffStore(db: db, logger: logger).inForce(on: connection)
        let quote = try Checkout.quote(
            new.lines, variants: variants, destination: destination, tariff: tariff, paymentMethod: new.paymentMethod)
        let id = UUID()
        let prepaid = new.paymentMethod == .bankTransfer
        let dueSeconds = Double(paymentWindow.components.seconds)
        let deliveryCode = String(format: "%06d", Int.random(in: 0..<1_000_000))
        let a = new.address
        let number =
            try await connection.query(
                """
                INSERT INTO orders (id, number, buyer_id, status, payment_method, recipient_name, phone, province_code,
                    commune_code, address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd, tariff_id,
                    delivery_code, payment_due_at)
                VALUES (\(id),
                    'DH' || to_char(now() AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYMMDD') || lpad(nextval('order_number_seq')::text, 6, '0'),
                    \(buyer), \(prepaid ? "awaiting_payment" : "placed"), \(new.paymentMethod.rawValue), \(a.recipientName),
                    \(a.phone), \(a.provinceCode), \(a.communeCode), \(a.addressLine), \(quote.itemsTotalVND),
                    \(quote.shippingTotalVND), \(quote.grandTotalVND), \(quote.tariffID), \(deliveryCode),
                    CASE WHEN \(prepaid) THEN now() + \(dueSeconds) * interval '1 second' END)
                RETURNING number
                """,
                logger: logger
            ).collect().decode(String.self).first ?? ""
        for (index, package) in quote.packages.enumerated() {
            let packageID = UUID()
            try await connection.query(
                """
                INSERT INTO packages (id, order_id, supplier_id, number, status, items_total_vnd, weight_grams, zone,
                    shipping_fee_vnd, cod_amount_vnd, cod_fee_vnd, cod_fee_bps, cod_fee_min_vnd)
                VALUES (\(packageID), \(id), \(package.supplierID), \(number + "-" + String(index + 1)),
                    \(prepaid ? "awaiting_payment" : "new"), \(package.itemsTotalVND), \(package.weightGrams),
                    \(package.zone.rawValue), \(package.shippingFeeVND), \(package.codAmountVND), \(package.codFeeVND),
                    \(tariff.codFeeBps), \(tariff.codFeeMinVND))
                """,
                logger: logger
            )
            for (position, line) in package.lines.enumerated() {
                let v = line.variant
                try await connection.query(
                    """
                    INSERT INTO order_lines (id, order_id, package_id, variant_id, product_id, sku, title, variant_name,
                        unit_price_vnd, quantity, line_total_vnd, weight_grams, position)
                    VALUES (\(UUID()), \(id), \(packageID), \(v.id), \(v.productID), \(v.sku), \(v.productTitle),
                        \(v.variantName), \(v.priceVND), \(line.quantity), \(line.lineTotalVND), \(v.weightGrams),
                        \(position + 1))
                    """,
                    logger: logger
                )
            }
        }
        try await Outbox.add(
            topic: "order.created", aggregateType: "order", id: id,
            payload: ["number": number, "status": prepaid ? "awaiting_payment" : "placed"], on: connection,
            logger: logger)
        guard let order = try await OrderReader(logger: logger).load(id, on: connection) else {
            throw DomainError.notFound("No order with this id.")
        }
        return order
    }

    /// One conditional UPDATE per variant, in id order. Every line that cannot be served is reported:
    /// 422 for variants not on sale, otherwise 409 naming each short variant and what is available.
    func takeStock(_ lines: [CartLine], on connection: PostgresConnection) async throws {
        var failed: [(index: Int, line: CartLine)] = []
        let ordered = lines.enumerated().sorted { $0.element.variantID.uuidString < $1.element.variantID.uuidString }
        for (index, line) in ordered {
            let rows = try await connection.query(
                """
                UPDATE product_variants v SET stock_on_hand = v.stock_on_hand - \(line.quantity), updated_at = now()
                FROM products p, suppliers s
                WHERE v.id = \(line.variantID) AND p.id = v.product_id AND s.id = v.supplier_id
                    AND v.is_active AND p.status = 'active' AND s.status = 'active'
                    AND v.stock_on_hand >= \(line.quantity)
                RETURNING v.id
                """,
                logger: logger
            ).collect()
            if rows.isEmpty { failed.append((index, line)) }
        }
        guard !failed.isEmpty else { return }
        let variants = try await PurchasableVariants.load(failed.map(\.line.variantID), on: connection, logger: logger)
        var unavailable = Validator()
        var short: [FieldError] = []
        for (index, line) in failed.sorted(by: { $0.index < $1.index }) {
            guard let variant = variants[line.variantID], variant.isOnSale else {
                unavailable.fail(
                    "lines[\(index)].variant_id", "is not on sale (unknown, withdrawn, or its seller is suspended)")
                continue
            }
            short.append(
                FieldError(
                    field: "lines[\(index)].quantity",
                    message:
                        "only \(variant.stockOnHand) of \(variant.sku) (\(variant.id.uuidString.lowercased())) available"
                ))
        }
        try unavailable.done()
        throw DomainError.conflict(
            kind: "insufficient-stock",
            detail: short.map { "\($0.field): \($0.message)" }.joined(separator: "; "),
            currentState: nil, fields: short)
    }
}
