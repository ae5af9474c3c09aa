import Foundation
import Testing

@testable import MarketAPI

@Suite("Producers list products; clerks review them; stock changes are audited")
struct ProductTests {
    @Test func reviewLifecycle() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let buyer = try await api.buyerToken()
            let id = try await world.draft("Nước mắm nhỉ Cửa Đại", variants: [("NM-NHI", 120000, 5)])
            // Drafts: the producer and its clerk see them, buyers do not.
            try await world.expect(.get, "/v1/products/\(id)", buyer, status: .notFound)
            try await world.expect(.get, "/v1/products/\(id)", nil, status: .notFound)
            try await world.expect(.get, "/v1/products/\(id)", world.clerkA, status: .ok)
            try await world.expect(.get, "/v1/products/\(id)", world.clerkB, status: .notFound)
            try await world.expect(.post, "/v1/products/\(id)/approve", world.clerkA, status: .conflict)

            try await world.expect(.post, "/v1/products/\(id)/submit", world.producer, status: .ok)
            let queue = try await world.expect(.get, "/v1/review-queue/products", world.clerkA, status: .ok)
            #expect((queue.json["items"] as? [[String: Any]] ?? []).contains { $0["id"] as? String == id })
            let otherQueue = try await world.expect(.get, "/v1/review-queue/products", world.clerkB, status: .ok)
            #expect((otherQueue.json["items"] as? [Any])?.isEmpty == true)

            try await world.expect(
                .post, "/v1/products/\(id)/reject", world.clerkA, json: [:], status: .unprocessableContent)
            let rejected = try await world.expect(
                .post, "/v1/products/\(id)/reject", world.clerkA, json: ["reason": "Thiếu ảnh nhãn"], status: .ok)
            #expect(rejected.json["status"] as? String == "rejected")
            #expect(rejected.json["rejection_reason"] as? String == "Thiếu ảnh nhãn")
            try await world.expect(.post, "/v1/products/\(id)/submit", world.producer, status: .ok)
            let active = try await world.expect(.post, "/v1/products/\(id)/approve", world.clerkA, status: .ok)
            #expect(active.json["status"] as? String == "active")
            try await world.expect(.get, "/v1/products/\(id)", buyer, status: .ok)

            // Price and stock changes keep it listed; a new title sends it back to review.
            let variant = try #require((active.json["variants"] as? [[String: Any]])?.first?["id"] as? String)
            let priced = try await world.expect(
                .patch, "/v1/products/\(id)/variants/\(variant)", world.producer, json: ["price_vnd": 99000],
                status: .ok)
            #expect(priced.json["price_vnd"] as? Int == 99000)
            try await world.expect(
                .post, "/v1/products/\(id)/variants/\(variant)/stock-adjustments", world.producer,
                json: ["delta": 3, "reason": "Nhập kho"], status: .created)
            let still = try await world.expect(.get, "/v1/products/\(id)", buyer, status: .ok)
            #expect(still.json["price_min_vnd"] as? Int == 99000)
            let images = try await world.expect(
                .patch, "/v1/products/\(id)", world.producer, json: ["images": ["https://cdn.example.vn/b.jpg"]],
                status: .ok)
            #expect(images.json["status"] as? String == "active")
            let retitled = try await world.expect(
                .patch, "/v1/products/\(id)", world.producer, json: ["title": "Nước mắm nhỉ cá cơm"], status: .ok)
            #expect(retitled.json["status"] as? String == "pending_review")
            try await world.expect(.get, "/v1/products/\(id)", buyer, status: .notFound)

            let archived = try await world.expect(.post, "/v1/products/\(id)/archive", world.producer, status: .ok)
            #expect(archived.json["status"] as? String == "archived")
            let edit = try await world.expect(
                .patch, "/v1/products/\(id)", world.producer, json: ["title": "X"], status: .conflict)
            #expect(edit.json["current_state"] as? String == "archived")
        }
    }

    @Test func producersOnlyTouchTheirOwnSupplier() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let id = try await world.listed("Mật ong rừng Trà My")
            let other = try await api.buyerToken()
            let otherSupplier = try await world.applySupplier(other, name: "HTX Sâm Ngọc Linh")
            let buyer = try await api.buyerToken()
            // Another supplier's producer: 404 everywhere; a buyer: 403 (no producer role at all).
            try await world.expect(.patch, "/v1/products/\(id)", other, json: ["title": "X"], status: .notFound)
            try await world.expect(.patch, "/v1/products/\(id)", buyer, json: ["title": "X"], status: .forbidden)
            try await world.expect(.post, "/v1/products/\(id)/archive", other, status: .notFound)
            try await world.expect(
                .post, "/v1/suppliers/\(world.supplier)/products", other,
                json: [
                    "title": "X", "category_code": "honey", "origin_province_code": "48",
                    "variants": [["sku": "A", "name": "A", "price_vnd": 1, "weight_grams": 1, "stock_on_hand": 1]],
                ], status: .notFound)
            try await world.expect(.get, "/v1/suppliers/\(world.supplier)/products", other, status: .notFound)
            try await world.expect(.get, "/v1/suppliers/\(otherSupplier)/products", world.producer, status: .notFound)
            try await world.expect(.get, "/v1/suppliers/\(otherSupplier)/products", other, status: .ok)
            try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
        }
    }

    @Test func skusAreUniquePerSupplier() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            _ = try await world.draft("Nước mắm 1", variants: [("NM-1", 50000, 1)])
            let dupe = try await api.request(
                .post, "/v1/suppliers/\(world.supplier)/products", token: world.producer,
                json: [
                    "title": "Nước mắm 2", "category_code": "seasonings", "origin_province_code": "48",
                    "variants": [
                        ["sku": "NM-1", "name": "Chai", "price_vnd": 1000, "weight_grams": 1, "stock_on_hand": 1]
                    ],
                ])
            #expect(dupe.status == .unprocessableContent)
            #expect(dupe.errorFields == ["variants[0].sku"])
            let twice = try await api.request(
                .post, "/v1/suppliers/\(world.supplier)/products", token: world.producer,
                json: [
                    "title": "Nước mắm 3", "category_code": "seasonings", "origin_province_code": "48",
                    "variants": [
                        ["sku": "NM-3", "name": "Chai", "price_vnd": 1000, "weight_grams": 1, "stock_on_hand": 1],
                        ["sku": "nm-3", "name": "Can", "price_vnd": 1000, "weight_grams": 1, "stock_on_hand": 1],
                    ],
                ])
            #expect(twice.errorFields == ["variants[1].sku"])
            // Nothing of the failed products was written.
            let count = try await api.db.query("SELECT count(*) FROM products").decode(Int.self)
            for try await n in count { #expect(n == 1) }
            // Another supplier may use the same SKU.
            let other = try await api.buyerToken()
            let otherSupplier = try await world.applySupplier(other, name: "HTX khác")
            _ = try await world.draft(
                "Nước mắm khác", supplier: otherSupplier, token: other, variants: [("NM-1", 1000, 1)])
        }
    }

    @Test func badProductInputNamesEveryField() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let reply = try await api.request(
                .post, "/v1/suppliers/\(world.supplier)/products", token: world.producer,
                json: [
                    "title": "", "category_code": "no-such-category", "origin_province_code": "99",
                    "images": ["ftp://x/y.jpg", "https://ok.example.vn/a.jpg"],
                    "variants": [
                        ["sku": "bad sku", "name": "A", "price_vnd": 0, "weight_grams": 0, "stock_on_hand": -1]
                    ],
                ])
            #expect(reply.status == .unprocessableContent)
            #expect(
                Set(reply.errorFields) == [
                    "title", "images[0]", "variants[0].sku", "variants[0].price_vnd", "variants[0].weight_grams",
                    "variants[0].stock_on_hand",
                ])
            let refs = try await api.request(
                .post, "/v1/suppliers/\(world.supplier)/products", token: world.producer,
                json: [
                    "title": "Bánh tráng", "category_code": "no-such-category", "origin_province_code": "99",
                    "variants": [
                        ["sku": "BT", "name": "Gói", "price_vnd": 20000, "weight_grams": 300, "stock_on_hand": 5]
                    ],
                ])
            #expect(Set(refs.errorFields) == ["category_code", "origin_province_code"])
            let huge = try await api.request(
                .post, "/v1/suppliers/\(world.supplier)/products", token: world.producer,
                raw: """
                    {"title":"A","category_code":"honey","origin_province_code":"48","variants":[{"sku":"A","name":"A",
                    "price_vnd":99999999999999999999999,"weight_grams":1,"stock_on_hand":1}]}
                    """)
            #expect(huge.status.code < 500 && huge.status.code >= 400)
        }
    }

    @Test func stockAdjustmentsNeverGoNegativeAndAreAudited() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let id = try await world.listed(
                "Quế Trà My thanh", category: "seasonings", variants: [("QUE-1", 150000, 4)])
            let product = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
            let variant = try #require((product.json["variants"] as? [[String: Any]])?.first?["id"] as? String)
            let uri = "/v1/products/\(id)/variants/\(variant)/stock-adjustments"
            let short = try await world.expect(
                .post, uri, world.producer, json: ["delta": -5, "reason": "Hỏng"], status: .conflict)
            #expect(short.json["current_state"] as? String == "4")
            try await world.expect(
                .post, uri, world.producer, json: ["delta": 0, "reason": "x"], status: .unprocessableContent)
            try await world.expect(
                .post, uri, world.producer, json: ["delta": 1, "reason": " "], status: .unprocessableContent)
            let taken = try await world.expect(
                .post, uri, world.producer, json: ["delta": -4, "reason": "Bán tại quầy"], status: .created)
            #expect(taken.json["stock_after"] as? Int == 0)
            let after = try await world.expect(.get, "/v1/products/\(id)", nil, status: .ok)
            #expect(after.json["in_stock"] as? Bool == false)
            let list = try await world.expect(.get, uri, world.clerkA, status: .ok)
            #expect((list.json["items"] as? [[String: Any]])?.first?["reason"] as? String == "Bán tại quầy")
            let audit = try await world.expect(
                .get, "/v1/audit-events?entity_type=variant&entity_id=\(variant)", world.admin, status: .ok)
            #expect((audit.json["items"] as? [Any])?.count == 1)
            // Concurrent adjustments: the conditional UPDATE lets exactly the stock there is be taken.
            try await world.expect(.post, uri, world.producer, json: ["delta": 10, "reason": "Nhập"], status: .created)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await api.request(.post, uri, token: world.producer, json: ["delta": -1, "reason": "Bán"])
                            .status.code
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 10)
            #expect(statuses.filter { $0 == 409 }.count == 10)
        }
    }
}
