import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import MarketAPI

/// The callers of the authorization scope table, in the order of its columns. "Other" means the
/// same role held for another buyer's order, another supplier or another post office.
enum ScopeCaller: Int, CaseIterable, Sendable, CustomStringConvertible {
    case buyer, otherBuyer, producer, otherProducer, courier, otherCourier, clerk, otherClerk, finance, admin

    var description: String {
        ["buyer", "buyer'", "producer", "producer'", "courier", "courier'", "clerk", "clerk'", "finance", "admin"][
            rawValue]
    }
}

/// One request of the scope table: what a fixture builds for the operation under test.
struct ScopeCall {
    var method: HTTPRequest.Method
    var uri: String
    var json: Any? = nil
    var raw: String? = nil
    var headers: HTTPFields = [:]
    /// A body that is not text (a photo in a multipart form).
    var bytes: ByteBuffer? = nil
}

/// Every caller class of SPEC §1 over two post offices: supplier S (the catalog world's, served by
/// office A) with its producer, another supplier served by office B with its own producer, a
/// courier and a clerk of each office, two buyers, finance and an admin. The resources under test
/// belong to S, office A and the first buyer; fixtures build a fresh one whenever asked.
struct ScopeWorld: Sendable {
    let world: CatalogWorld
    let tokens: [ScopeCaller: String]
    let courierID: String
    let otherSupplier: String
    /// An active product of S with plenty of stock, and its variant, for orders.
    let product: String
    let variant: String

    var api: TestAPI { world.api }
    var supplier: String { world.supplier }
    var office: UUID { world.officeA }
    var admin: String { world.admin }
    var producer: String { world.producer }
    var clerk: String { world.clerkA }
    var courier: String { token(.courier) }
    var buyer: String { token(.buyer) }

    func token(_ caller: ScopeCaller) -> String { tokens[caller] ?? "" }

    static func make(_ api: TestAPI) async throws -> ScopeWorld {
        let world = try await CatalogWorld.make(api)
        let otherProducer = try await api.buyerToken()
        let otherSupplier = try await world.applySupplier(
            otherProducer, name: "HTX Rau Hải Vân", commune: CatalogWorld.communeB)
        try await world.expect(.post, "/v1/suppliers/\(otherSupplier)/approve", world.clerkB, status: .ok)
        let courier = try await CatalogWorld.staff(api, admin: world.admin, role: "courier", postOffice: world.officeA)
        let otherCourier = try await CatalogWorld.staff(
            api, admin: world.admin, role: "courier", postOffice: world.officeB)
        let product = try await world.listed("Nước mắm Cửa Đại", variants: [("NM-SCOPE", 85_000, 10_000)])
        let tokens: [ScopeCaller: String] = [
            .buyer: try await api.buyerToken(), .otherBuyer: try await api.buyerToken(), .producer: world.producer,
            .otherProducer: otherProducer, .courier: courier, .otherCourier: otherCourier, .clerk: world.clerkA,
            .otherClerk: world.clerkB, .finance: try await world.financeToken(), .admin: world.admin,
        ]
        let scope = ScopeWorld(
            world: world, tokens: tokens, courierID: "", otherSupplier: otherSupplier, product: product, variant: "")
        return ScopeWorld(
            world: world, tokens: tokens, courierID: try await scope.userID(courier), otherSupplier: otherSupplier,
            product: product, variant: try await ShippingTests.variantID(world, product))
    }

    @discardableResult
    func expect(
        _ method: HTTPRequest.Method, _ uri: String, _ token: String?, json: Any? = nil, status: HTTPResponse.Status
    ) async throws -> TestAPI.Reply {
        try await world.expect(method, uri, token, json: json, status: status)
    }

    func userID(_ token: String) async throws -> String {
        try #require(try await expect(.get, "/v1/me", token, status: .ok).json["id"] as? String)
    }

    /// A new registered user (a buyer): (token, id, email).
    func newUser() async throws -> (token: String, id: String, email: String) {
        let email = "member-\(UUID().uuidString.prefix(8))@example.vn"
        let token = try await api.buyerToken(email: email)
        return (token, try await userID(token), email)
    }

    // MARK: Catalog

    /// A new supplier of S's producer in office A's area: pending, or approved, or then suspended.
    func newSupplier(approved: Bool = false, suspended: Bool = false) async throws -> String {
        let id = try await world.applySupplier(producer, name: "HTX Thử \(UUID().uuidString.prefix(6))")
        if approved || suspended { try await expect(.post, "/v1/suppliers/\(id)/approve", clerk, status: .ok) }
        if suspended {
            try await expect(.post, "/v1/suppliers/\(id)/suspend", clerk, json: ["reason": "Kiểm tra"], status: .ok)
        }
        return id
    }

    func draft() async throws -> String { try await world.draft("Mắm cá cơm \(UUID().uuidString.prefix(6))") }

    func submitted() async throws -> String {
        let id = try await draft()
        try await expect(.post, "/v1/products/\(id)/submit", producer, status: .ok)
        return id
    }

    func listed() async throws -> String { try await world.listed("Mắm ruốc \(UUID().uuidString.prefix(6))") }

    func variant(of product: String) async throws -> String {
        try await ShippingTests.variantID(world, product, token: producer)
    }

    /// An unverified OCOP certificate of a new active product.
    func certification() async throws -> String {
        let reply = try await expect(
            .post, "/v1/products/\(try await listed())/ocop-certifications", producer,
            json: Self.certificate(), status: .created)
        return try #require(reply.json["id"] as? String)
    }

    static func certificate() -> [String: Any] {
        [
            "stars": 4, "certificate_no": "OCOP-\(UUID().uuidString.prefix(6))", "issued_by": "province",
            "issued_on": OcopTests.day(-30), "expires_on": OcopTests.day(300),
        ]
    }

    // MARK: Orders and parcels

    /// A new order of one bottle of S's product by the first buyer (one package).
    func order(method: String = "cod") async throws -> [String: Any] {
        let placed = try await OrderTests.order(api, token: buyer, lines: [(variant, 1)], method: method)
        guard placed.status == .created else { throw TestFailure("order: \(placed.status) \(placed.text)") }
        return placed.json
    }

    static func package(of order: [String: Any]) throws -> String {
        try #require((order["packages"] as? [[String: Any]])?.first?["id"] as? String)
    }

    /// The package of a new order: placed, or accepted by its producer.
    func package(accepted: Bool = false) async throws -> String {
        let id = try Self.package(of: try await order())
        if accepted { try await expect(.post, "/v1/packages/\(id)/accept", producer, status: .ok) }
        return id
    }

    /// A new parcel ready for pickup at office A: (order, tracking number).
    func parcel() async throws -> (order: [String: Any], tracking: String) {
        let order = try await order()
        let id = try Self.package(of: order)
        try await expect(.post, "/v1/packages/\(id)/accept", producer, status: .ok)
        let ready = try await expect(.post, "/v1/packages/\(id)/ready", producer, status: .ok)
        let tracking = try #require(ready.json["tracking_no"] as? String)
        try await api.readiedEarlier(tracking)
        return (order, tracking)
    }

    func scan(_ tracking: String, _ type: String, by token: String, at: Date, extra: [String: Any] = [:])
        async throws
    {
        var body: [String: Any] = [
            "client_event_id": UUID().uuidString, "type": type, "occurred_at": ISO8601DateFormatter().string(from: at),
        ]
        body.merge(extra) { _, new in new }
        try await expect(.post, "/v1/shipments/\(tracking)/events", token, json: body, status: .created)
    }

    /// A new parcel delivered by a courier of office A an hour ago, `short` đồng short of its COD.
    @discardableResult
    func delivered(short: Int = 0, by courier: String? = nil) async throws -> (order: [String: Any], tracking: String) {
        let courier = courier ?? self.courier
        let (order, tracking) = try await parcel()
        let start = Date().addingTimeInterval(-3600)
        try await scan(tracking, "picked_up", by: courier, at: start)
        try await scan(
            tracking, "arrived_at_hub", by: courier, at: start + 60, extra: ["post_office_id": office.uuidString])
        try await scan(tracking, "out_for_delivery", by: courier, at: start + 120)
        let cod = try #require((order["packages"] as? [[String: Any]])?.first?["cod_amount_vnd"] as? Int)
        try await scan(
            tracking, "delivered", by: courier, at: start + 180,
            extra: [
                "cod_collected_vnd": cod - short, "recipient_name": "Nguyễn Thị Mai",
                "delivery_code": order["delivery_code"] as? String ?? "",
            ])
        return (order, tracking)
    }

    /// An open discrepancy: a parcel delivered 1,000 đồng short.
    func discrepancy() async throws -> String {
        let (order, _) = try await delivered(short: 1_000)
        let package = try Self.package(of: order)
        let open = try await expect(.get, "/v1/cod/discrepancies?status=open", admin, status: .ok)
        let items = open.json["items"] as? [[String: Any]] ?? []
        return try #require(items.first { $0["package_id"] as? String == package }?["id"] as? String)
    }

    /// A complaint of the first buyer about a package of S delivered by office A; disputed by S if asked.
    func complaint(disputed: Bool = false) async throws -> String {
        let (order, _) = try await delivered()
        let filed = try await expect(
            .post, "/v1/packages/\(try Self.package(of: order))/complaints", buyer,
            json: ["reason": "spoiled", "description": "Mắm có mùi lạ."], status: .created)
        let id = try #require(filed.json["id"] as? String)
        if disputed {
            try await expect(
                .post, "/v1/complaints/\(id)/dispute", producer, json: ["note": "Hàng đạt chuẩn."], status: .ok)
        }
        return id
    }

    /// A remittance batch holding a line for S (a parcel is delivered first): (batch, S's line).
    func remittance() async throws -> (batch: String, line: String) {
        _ = try await delivered()
        let run = try await expect(.post, "/v1/remittances", admin, json: Self.cutoff(), status: .created)
        let lines = run.json["lines"] as? [[String: Any]] ?? []
        return (
            try #require(run.json["id"] as? String),
            try #require(lines.first { $0["supplier_id"] as? String == supplier }?["id"] as? String)
        )
    }

    static func cutoff() -> [String: Any] {
        ["cutoff_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(1))]
    }

    /// The package of a paid bank-transfer order the buyer cancelled: a refund is owed for it.
    func refund() async throws -> String {
        let order = try await order(method: "bank_transfer")
        let number = try #require(order["number"] as? String)
        let total = try #require(order["grand_total_vnd"] as? Int)
        let paid = try await PaymentTests.notify(api, event: UUID().uuidString, order: number, amount: total)
        guard paid.status == .ok else { throw TestFailure("payment: \(paid.status) \(paid.text)") }
        try await expect(.post, "/v1/orders/\(try #require(order["id"] as? String))/cancel", buyer, status: .ok)
        return try Self.package(of: order)
    }

    /// A transfer held in suspense: `applicable` ones are the short first half of a bank-transfer
    /// order's payment whose rest arrived too; `owedBack` ones finance chose to pay back.
    func heldReceipt(applicable: Bool = false, owedBack: Bool = false) async throws -> String {
        let event = UUID().uuidString
        if applicable {
            let order = try await order(method: "bank_transfer")
            let number = try #require(order["number"] as? String)
            let total = try #require(order["grand_total_vnd"] as? Int)
            _ = try await PaymentTests.notify(api, event: event, order: number, amount: total - 1_000)
            _ = try await PaymentTests.notify(api, event: UUID().uuidString, order: number, amount: 1_000)
        } else {
            _ = try await PaymentTests.notify(api, event: event, order: "DH000000000000", amount: 25_000)
        }
        let id = try await api.db.query("SELECT id FROM payment_notifications WHERE event_id = \(event)")
            .decode(UUID.self).reduce(into: [UUID]()) { $0.append($1) }.first
        let receipt = try #require(id?.uuidString.lowercased())
        if owedBack {
            try await expect(
                .post, "/v1/finance/payment-receipts/\(receipt)/refund", admin, json: ["reason": "Chuyển nhầm"],
                status: .ok)
        }
        return receipt
    }

    // MARK: Post offices

    /// A new courier of office A holding the COD of one parcel: (user id, cash held).
    func courierWithCash() async throws -> (id: String, cash: Int) {
        let token = try await CatalogWorld.staff(api, admin: admin, role: "courier", postOffice: office)
        let (order, _) = try await delivered(by: token)
        let cod = try #require((order["packages"] as? [[String: Any]])?.first?["cod_amount_vnd"] as? Int)
        return (try await userID(token), cod)
    }

    func newPostOffice() async throws -> String {
        let reply = try await expect(
            .post, "/v1/post-offices", admin, json: Self.postOfficeBody(), status: .created)
        return try #require(reply.json["id"] as? String)
    }

    static func postOfficeBody() -> [String: Any] {
        [
            "code": "DN-\(UUID().uuidString.prefix(8))", "name": "Bưu cục Điện Bàn", "province_code": "48",
            "commune_code": CatalogWorld.communeB, "address_line": "1 Trần Nhân Tông", "lat": 15.89, "lon": 108.25,
        ]
    }
}
