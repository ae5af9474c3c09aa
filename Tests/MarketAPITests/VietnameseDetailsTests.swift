import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI

/// Issue 20, "Vietnamese details found wrong": phone numbers accepted however they are written and
/// kept in one form, numbers no network issues refused; the OCOP issuer follows the star level;
/// names sorted in Vietnamese order by the database.
@Suite("Vietnamese details: phones, OCOP issuers, name order")
struct VietnameseDetailsTests {
    @Test func phonesAreKeptInOneFormAndImpossibleOnesRefused() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            // A supplier's phone written the international way without the plus.
            let applicant = try await api.buyerToken()
            let applied = try await api.request(
                .post, "/v1/suppliers", token: applicant,
                json: [
                    "name": "Hộ Lê Văn Tư", "kind": "household", "phone": "84 905 777 888",
                    "pickup_address": [
                        "province_code": "48", "commune_code": CatalogWorld.communeA, "address_line": "4 Hùng Vương",
                    ],
                ])
            #expect(applied.status == .created, "\(applied.text)")
            #expect(applied.json["phone"] as? String == "0905777888")

            // An order's recipient phone with spaces, and with +84: the same stored number.
            let product = try await world.listed("Nước mắm nhĩ")
            let variant = try #require(
                (try await world.expect(.get, "/v1/products/\(product)", nil, status: .ok).json["variants"]
                    as? [[String: Any]])?.first?["id"] as? String)
            let buyer = try await api.buyerToken()
            // One COD order of the product to a recipient with this phone.
            func order(_ phone: String) async throws -> TestAPI.Reply {
                try await api.request(
                    .post, "/v1/orders", token: buyer,
                    json: [
                        "lines": [["variant_id": variant, "quantity": 1]], "payment_method": "cod",
                        "shipping_address": [
                            "recipient_name": "Trần Thị Bé", "phone": phone, "province_code": "48",
                            "commune_code": CatalogWorld.communeA, "address_line": "1 Trần Phú",
                        ],
                    ], headers: [OrderTests.idempotencyKey: UUID().uuidString])
            }
            for written in ["0905 123 456", "+84 905 123 456", "0905.123.456"] {
                let reply = try await order(written)
                #expect(reply.status == .created, "\(written): \(reply.text)")
                let stored = (reply.json["shipping_address"] as? [String: Any])?["phone"] as? String
                #expect(stored == "0905123456", "\(written)")
            }
            // Numbers no network issues: a retired 01x-era number, an 11-digit mobile, an unknown prefix.
            for written in ["0123456789", "09051234567", "0601234567"] {
                let reply = try await order(written)
                #expect(reply.status == .unprocessableContent, "\(written): \(reply.status)")
                #expect(reply.errorFields == ["shipping_address.phone"], "\(written)")
            }
            // Sign-in by phone finds the account whatever way the number is typed.
            let email = "so-dien-thoai-\(UUID().uuidString.prefix(6).lowercased())@example.vn"
            _ = try await api.register(email: email, password: "correct-horse-battery", phone: "+84 (0) 912 345 678")
            let me = try await api.request(
                .get, "/v1/me", token: try await api.login(email, "correct-horse-battery"))
            #expect(me.json["phone"] as? String == "0912345678")
        }
    }

    @Test func theOcopIssuerFollowsTheStarLevel() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await world.draft("Trà sâm dứa")
            let today = CalendarDay.today()
            func claim(_ stars: Int, _ issuer: String) async throws -> TestAPI.Reply {
                try await api.request(
                    .post, "/v1/products/\(product)/ocop-certifications", token: world.producer,
                    json: [
                        "stars": stars, "certificate_no": "OCOP-\(stars)-\(issuer)", "issued_by": issuer,
                        "issued_on": today.adding(months: -1).description,
                        "expires_on": today.adding(months: 24).description,
                    ])
            }
            #expect(try await claim(3, "province").status == .created)
            #expect(try await claim(4, "province").status == .created)
            #expect(try await claim(5, "national").status == .created)
            for (stars, issuer) in [(3, "national"), (4, "national"), (5, "province")] {
                let refused = try await claim(stars, issuer)
                #expect(refused.status == .unprocessableContent, "\(stars)★ \(issuer)")
                #expect(refused.errorFields == ["issued_by"], "\(stars)★ \(issuer)")
            }
            // The database holds the rule too, for writes that do not come through the service.
            await #expect(throws: (any Error).self) {
                try await api.db.query(
                    """
                    INSERT INTO ocop_certifications (id, product_id, stars, certificate_no, issued_by, issued_on,
                        expires_on)
                    VALUES (gen_random_uuid(), \(UUID(uuidString: product)!), 4, 'X', 'national', current_date,
                        current_date + 30)
                    """)
            }
        }
    }

    @Test func namesSortInVietnameseOrder() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let names = [
                "Zô Văn Tám", "Ánh Nguyễn", "Đặng Văn Bảy", "Bùi Thị Hoa", "Ông Văn Ba", "Ơn Thị Tư", "Ân Văn Ba",
            ]
            for name in names {
                try await world.expect(
                    .post, "/v1/users", world.admin,
                    json: [
                        "email": "buu-ta-\(UUID().uuidString.prefix(8).lowercased())@example.vn",
                        "password": "staff-password-1", "display_name": name,
                        "roles": [["role": "courier", "post_office_id": world.officeB.uuidString]],
                    ], status: .created)
            }
            let listed = try await world.expect(
                .get, "/v1/post-offices/\(world.officeB)/couriers", world.clerkB, status: .ok)
            let order = (listed.json["items"] as? [[String: Any]] ?? []).compactMap { $0["display_name"] as? String }
            // A Ă Â B … D Đ … O Ô Ơ … Z: "Ánh" is an A, "Ân" an Â, "Đặng" after every D.
            #expect(
                order == [
                    "Ánh Nguyễn", "Ân Văn Ba", "Bùi Thị Hoa", "Đặng Văn Bảy", "Ông Văn Ba", "Ơn Thị Tư", "Zô Văn Tám",
                ])
            #expect(order == names.sorted { VietnameseOrder.precedes($0, $1) })
        }
    }
}
