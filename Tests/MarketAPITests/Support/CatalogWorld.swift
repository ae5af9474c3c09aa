import Foundation
import HTTPTypes
import PostgresNIO

@testable import MarketAPI

/// A small province for catalog tests: two post offices with a clerk each, and one approved supplier
/// (with its producer) in the first office's area.
struct CatalogWorld: Sendable {
    let api: TestAPI
    let admin: String
    let officeA: UUID
    let officeB: UUID
    let clerkA: String
    let clerkB: String
    let producer: String
    let supplier: String

    /// Communes of province 48: A serves the first two, B the third.
    static let communeA = "20410"
    static let communeA2 = "20341"
    static let communeB = "20194"

    static func make(_ api: TestAPI) async throws -> CatalogWorld {
        let admin = try await api.adminToken()
        let officeA = UUID()
        let officeB = UUID()
        for (id, code, commune) in [(officeA, "T-A", communeA), (officeB, "T-B", communeB)] {
            try await api.db.query(
                """
                INSERT INTO post_offices (id, code, name, province_code, commune_code, address_line, lat, lon)
                VALUES (\(id), \(code + "-" + id.uuidString.prefix(6)), 'Bưu cục thử', '48', \(commune), '1 Lê Lợi',
                    15.88, 108.33)
                """
            )
        }
        try await api.db.query(
            """
            INSERT INTO post_office_communes (commune_code, post_office_id)
            VALUES (\(communeA), \(officeA)), (\(communeA2), \(officeA)), (\(communeB), \(officeB))
            """
        )
        let clerkA = try await staff(api, admin: admin, role: "clerk", postOffice: officeA)
        let clerkB = try await staff(api, admin: admin, role: "clerk", postOffice: officeB)
        let producer = try await api.buyerToken()
        let world = CatalogWorld(
            api: api, admin: admin, officeA: officeA, officeB: officeB, clerkA: clerkA, clerkB: clerkB,
            producer: producer, supplier: "")
        let supplier = try await world.applySupplier(producer, name: "HTX Nước mắm Cửa Đại", commune: communeA)
        try await world.expect(.post, "/v1/suppliers/\(supplier)/approve", clerkA, status: .ok)
        return CatalogWorld(
            api: api, admin: admin, officeA: officeA, officeB: officeB, clerkA: clerkA, clerkB: clerkB,
            producer: producer, supplier: supplier)
    }

    static func staff(_ api: TestAPI, admin: String, role: String, postOffice: UUID) async throws -> String {
        let email = "\(role)-\(UUID().uuidString.prefix(8))@example.vn"
        let reply = try await api.request(
            .post, "/v1/users", token: admin,
            json: [
                "email": email, "password": "staff-password-1", "display_name": "Nhân viên",
                "roles": [["role": role, "post_office_id": postOffice.uuidString]],
            ])
        guard reply.status == .created else { throw TestFailure("staff: \(reply.status) \(reply.text)") }
        return try await api.login(email, "staff-password-1")
    }

    /// A new user with the finance role (global), signed in.
    func financeToken() async throws -> String {
        let email = "finance-\(UUID().uuidString.prefix(8))@example.vn"
        try await expect(
            .post, "/v1/users", admin,
            json: [
                "email": email, "password": "staff-password-1", "display_name": "Kế toán",
                "roles": [["role": "finance"]],
            ], status: .created)
        return try await api.login(email, "staff-password-1")
    }

    /// A supplier application by `token`'s user; returns the supplier id. The token's grants are read
    /// per request, so the same token acts as the new producer at once.
    func applySupplier(_ token: String, name: String, commune: String = communeA) async throws -> String {
        let reply = try await api.request(
            .post, "/v1/suppliers", token: token,
            json: [
                "name": name, "kind": "cooperative", "phone": "0905123456",
                "pickup_address": ["province_code": "48", "commune_code": commune, "address_line": "12 Cửa Đại"],
                "payout": [
                    "method": "bank_transfer", "bank_bin": "970436", "account_no": "0123456789",
                    "account_name": "HTX NUOC MAM CUA DAI",
                ],
            ])
        guard reply.status == .created, let id = reply.json["id"] as? String else {
            throw TestFailure("apply: \(reply.status) \(reply.text)")
        }
        return id
    }

    /// A draft product with one variant per (sku, price, stock); returns its id.
    func draft(
        _ title: String, supplier: String? = nil, token: String? = nil, category: String = "seasonings",
        province: String = "48", variants: [(String, Int, Int)] = [("SKU-\(UUID().uuidString.prefix(8))", 85000, 10)],
        description: String = ""
    ) async throws -> String {
        let reply = try await api.request(
            .post, "/v1/suppliers/\(supplier ?? self.supplier)/products", token: token ?? producer,
            json: [
                "title": title, "description": description, "category_code": category,
                "origin_province_code": province, "images": ["https://cdn.example.vn/\(UUID().uuidString).jpg"],
                "variants": variants.map {
                    ["sku": $0.0, "name": "Chai 500ml", "price_vnd": $0.1, "weight_grams": 700, "stock_on_hand": $0.2]
                },
            ])
        guard reply.status == .created, let id = reply.json["id"] as? String else {
            throw TestFailure("draft: \(reply.status) \(reply.text)")
        }
        return id
    }

    /// A product that buyers can see: created, submitted, approved.
    func listed(
        _ title: String, supplier: String? = nil, token: String? = nil, category: String = "seasonings",
        province: String = "48", variants: [(String, Int, Int)] = [("SKU-\(UUID().uuidString.prefix(8))", 85000, 10)],
        description: String = ""
    ) async throws -> String {
        let id = try await draft(
            title, supplier: supplier, token: token, category: category, province: province, variants: variants,
            description: description)
        try await expect(.post, "/v1/products/\(id)/submit", token ?? producer, status: .ok)
        try await expect(.post, "/v1/products/\(id)/approve", clerkA, status: .ok)
        return id
    }

    @discardableResult
    func expect(
        _ method: HTTPRequest.Method, _ uri: String, _ token: String?, json: Any? = nil, status: HTTPResponse.Status
    ) async throws -> TestAPI.Reply {
        let reply = try await api.request(method, uri, token: token, json: json)
        guard reply.status == status else {
            throw TestFailure("\(method) \(uri): expected \(status), got \(reply.status) \(reply.text)")
        }
        return reply
    }

    /// Titles of a search, in order.
    func titles(_ query: String, token: String? = nil) async throws -> [String] {
        let reply = try await expect(.get, "/v1/products?\(query)", token, status: .ok)
        return (reply.json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }
}

extension String {
    /// Percent-encodes a query value.
    var q: String { addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? self }
}
