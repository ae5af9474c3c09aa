import Foundation
import Kernel
import Logging
import Logistics
import Orders
import PostgresNIO

/// A day already under way at the demo post office, so each demo account has its day's work when it
/// first signs in: parcels waiting for the clerk to plan a pickup round, cash a courier holds for the
/// counter (one collection short, so finance has a discrepancy), and cash already handed over, so
/// finance can pay the producer. Everything goes through the domain services as the API's callers do
/// (orders, the producer's accept and ready, the courier's scans, the clerk's handover), so the ledger,
/// the outbox and the audit trail hold exactly what real use would leave. Demo only, loaded once.
public struct DemoDay: Sendable {
    public let db: Database
    public let accounts: AccountStore
    public let logger: Logger

    public init(db: Database, accounts: AccountStore, logger: Logger) {
        (self.db, self.accounts, self.logger) = (db, accounts, logger)
    }

    /// Parcels of the day, by what is left to do with them.
    static let handedOver = 3
    static let heldByCourier = 2
    static let readyForPickup = 3
    /// The short collection of the day (one of the parcels the courier still holds the cash of).
    static let shortVND: Int64 = 10_000

    @discardableResult
    public func loadOnce() async throws -> Bool {
        let claimed = try await db.query(
            """
            INSERT INTO app_settings (key, value) VALUES ('demo_day', 'v1')
            ON CONFLICT (key) DO NOTHING RETURNING key
            """,
            logger: logger
        )
        guard !claimed.isEmpty else { return false }
        // The day's writes are real domain writes: a failure half way leaves them (and the claim, so a
        // restart does not place the same orders again), like a day that stopped early.
        try await load()
        logger.notice("demo day loaded: parcels to plan, cash at the counter, a payout to run")
        return true
    }

    private func caller(_ email: String) async throws -> Caller {
        let rows = try await db.query("SELECT id FROM users WHERE email = \(email)", logger: logger)
        guard let id = try rows.first?.decode(UUID.self) else {
            throw DomainError.notFound("The demo account \(email) is missing.")
        }
        let user = try await accounts.user(id: id)
        return Caller(principal: Principal(userID: id, grants: user.grants), requestID: "demo-day")
    }

    private func load() async throws {
        let orders = OrderService(db: db, logger: logger, hooks: LogisticsHooks.hooks)
        let scans = ScanService(db: db, logger: logger, orders: orders)
        let handovers = HandoverService(db: db, logger: logger)
        let buyer = try await caller("buyer@demo.chobuudien.vn")
        let producer = try await caller("producer@demo.chobuudien.vn")
        let courier = try await caller("courier@demo.chobuudien.vn")
        let clerk = try await caller("clerk@demo.chobuudien.vn")
        // The demo producer's products in stock, and the communes the demo office delivers to.
        let variants = try await db.query(
            """
            SELECT v.id FROM product_variants v JOIN products p ON p.id = v.product_id
            WHERE p.supplier_id = \(DemoSeed.supplierID) AND p.status = 'active' AND v.stock_on_hand >= 10
            ORDER BY p.title, v.id LIMIT 4
            """,
            logger: logger
        ).decode(UUID.self)
        let communes = try await db.query(
            """
            SELECT commune_code FROM post_office_communes WHERE post_office_id = \(DemoSeed.postOfficeID)
            ORDER BY commune_code
            """,
            logger: logger
        ).decode(String.self)
        guard !variants.isEmpty, !communes.isEmpty else {
            logger.warning("demo day skipped: the demo producer has no stock or the demo office serves no commune")
            return
        }
        let recipients = [
            ("Nguyễn Thị Lan", "0905111201", "12 Nguyễn Thái Học"), ("Trần Văn Minh", "0905111202", "45 Trần Phú"),
            ("Lê Thị Hồng", "0905111203", "8 Bạch Đằng"), ("Phạm Quốc Bảo", "0905111204", "120 Hai Bà Trưng"),
            ("Võ Thị Thu", "0905111205", "33 Lê Lợi"), ("Huỳnh Văn Tài", "0905111206", "7 Phan Châu Trinh"),
            ("Đặng Thị Ngọc", "0905111207", "56 Cửa Đại"), ("Bùi Văn Lộc", "0905111208", "19 Nguyễn Duy Hiệu"),
        ]
        let total = Self.handedOver + Self.heldByCourier + Self.readyForPickup
        var parcels: [(tracking: String, cod: Int64, code: String, recipient: String)] = []
        for index in 0..<total {
            let (name, phone, street) = recipients[index % recipients.count]
            let order = try NewOrder.validated(
                lines: [CartLine(variantID: variants[index % variants.count], quantity: 1 + index % 2)],
                address: ShippingAddress(
                    recipientName: name, phone: phone, provinceCode: "48",
                    communeCode: communes[index % communes.count], addressLine: street),
                paymentMethod: .cod)
            let placed = try await orders.place(order, idempotencyKey: "demo-day-\(index)", caller: buyer).order
            for package in placed.packages {
                _ = try await orders.transition(package: package.id, .accept, reason: nil, caller: producer)
                let ready = try await orders.transition(package: package.id, .markReady, reason: nil, caller: producer)
                if let tracking = ready.trackingNo {
                    parcels.append((tracking, ready.codAmountVND, placed.deliveryCode, name))
                }
            }
        }
        // The courier's round: the first parcels picked up, sorted at the office, delivered (each scan
        // at the moment it is recorded: a scan cannot precede the parcel's readiness).
        var moment = Date.distantPast
        func scan(_ parcel: String, _ type: ScanType, _ extra: (ScanInput) -> ScanInput = { $0 }) async throws {
            moment = max(Date(), moment.addingTimeInterval(0.001))
            let input = extra(ScanInput(clientEventID: UUID(), type: type, occurredAt: moment))
            _ = try await scans.record(trackingNo: parcel, input, caller: courier)
        }
        let delivered = parcels.prefix(Self.handedOver + Self.heldByCourier)
        for (index, parcel) in delivered.enumerated() {
            try await scan(parcel.tracking, .pickedUp)
            try await scan(parcel.tracking, .arrivedAtHub) {
                var input = $0
                input.postOfficeID = DemoSeed.postOfficeID
                return input
            }
            try await scan(parcel.tracking, .outForDelivery)
            let short = index == delivered.count - 1 ? Self.shortVND : 0
            try await scan(parcel.tracking, .delivered) {
                var input = $0
                input.codCollectedVND = parcel.cod - short
                input.recipientName = parcel.recipient
                input.deliveryCode = parcel.code
                return input
            }
        }
        // The first ones' cash is already at the counter; the others' is still with the courier.
        let counted = delivered.prefix(Self.handedOver)
        _ = try await handovers.record(
            courier: try courier.signedIn().userID, trackingNumbers: counted.map(\.tracking),
            countedVND: counted.reduce(0) { $0 + $1.cod }, caller: clerk)
    }
}
