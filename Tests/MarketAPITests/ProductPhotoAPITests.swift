import Catalog
import Foundation
import HTTPTypes
import Kernel
import NIOCore
import Testing

@testable import MarketAPI

/// `POST /v1/products/{id}/photos` (issue 19): the API's upload, with the seller pages' checks. A
/// photo is recognised by its bytes, stored without EXIF, listed once, two uploads at once both
/// land, strangers learn nothing, bad bodies are 4xx and store nothing.
@Suite("API: product photo upload")
struct ProductPhotoAPITests {
    static let photo: [UInt8] = {
        let url = SellerTests.fixtures.appendingPathComponent("gps-photo.jpg")
        return (try? Array(Data(contentsOf: url))) ?? []
    }()

    /// A multipart body with one file part (or none) and the content type announcing its boundary.
    static func multipart(
        _ parts: [(name: String, type: String, bytes: [UInt8])], boundary: String = "cbd-\(UUID().uuidString)"
    ) -> (ByteBuffer, String) {
        var body = ByteBuffer()
        for part in parts {
            body.writeString(
                "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(part.name)\"; filename=\"x\"\r\n"
                    + "Content-Type: \(part.type)\r\n\r\n")
            body.writeBytes(part.bytes)
            body.writeString("\r\n")
        }
        body.writeString("--\(boundary)--\r\n")
        return (body, "multipart/form-data; boundary=\(boundary)")
    }

    static func upload(
        _ api: TestAPI, product: String, token: String?, parts: [(name: String, type: String, bytes: [UInt8])]
    ) async throws -> TestAPI.Reply {
        let (body, type) = multipart(parts)
        var headers = HTTPFields()
        headers[.contentType] = type
        if let token { headers[.authorization] = "Bearer \(token)" }
        let response = try await api.client.execute(
            uri: "/v1/products/\(product)/photos", method: .post, headers: headers, body: body)
        return TestAPI.Reply(status: response.status, headers: response.headers, body: response.body)
    }

    static func draft(_ world: CatalogWorld, title: String = "Mắm cá cơm") async throws -> String {
        let created = try await world.expect(
            .post, "/v1/suppliers/\(world.supplier)/products", world.producer,
            json: [
                "title": title, "category_code": "seasonings", "origin_province_code": "48",
                "variants": [
                    [
                        "sku": "MAM-\(UUID().uuidString.prefix(6))", "name": "Hũ", "price_vnd": 85_000,
                        "weight_grams": 700, "stock_on_hand": 5,
                    ]
                ],
            ], status: .created)
        return try #require(created.json["id"] as? String)
    }

    @Test func aProducerUploadsAPhotoWhoseServedFilesCarryNoGPS() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await Self.draft(world)
            let reply = try await Self.upload(
                api, product: product, token: world.producer, parts: [("photo", "image/jpeg", Self.photo)])
            #expect(reply.status == .created, "\(reply.text)")
            let images = try #require(reply.json["images"] as? [String])
            #expect(images.count == 1)
            let url = try #require(images.first)
            #expect(url.hasSuffix("-1280.jpg"))
            let id = try #require(PhotoRules.id(inURL: url))
            for file in ["\(id)-320.webp", "\(id)-1280.jpg"] {
                let served = try await api.request(.get, "/anh/\(file)")
                #expect(served.status == .ok)
                let bytes = Array(served.body.readableBytesView)
                #expect(bytes.firstRange(of: Array("GPS".utf8)) == nil)
                #expect(bytes.firstRange(of: Array("Exif".utf8)) == nil)
            }
            // The same photo again, declared as plain bytes: accepted from its bytes, listed once.
            let again = try await Self.upload(
                api, product: product, token: world.producer,
                parts: [("photo", "application/octet-stream", Self.photo)])
            #expect(again.status == .created, "\(again.text)")
            #expect((again.json["images"] as? [String]) == images)
            let audit = try await api.db.query(
                "SELECT count(*) FROM audit_log WHERE entity_id = \(product) AND action = 'product.updated'"
            ).collect()
            #expect(try audit.first?.decode(Int.self) == 1)
        }
    }

    @Test func twoUploadsAtOnceBothLand() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await Self.draft(world)
            // Bytes after the JPEG's end marker: another file (another hash) that decodes the same.
            let second = Self.photo + Array("another shot".utf8)
            async let one = Self.upload(
                api, product: product, token: world.producer, parts: [("photo", "image/jpeg", Self.photo)])
            async let two = Self.upload(
                api, product: product, token: world.producer, parts: [("photo", "image/jpeg", second)])
            let replies = try await [one, two]
            #expect(replies.map(\.status) == [.created, .created])
            let now = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok)
            #expect((now.json["images"] as? [String])?.count == 2)
        }
    }

    @Test func strangersAndBadBodiesAreRefusedAndNothingIsStored() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await Self.draft(world)
            let good: [(name: String, type: String, bytes: [UInt8])] = [("photo", "image/jpeg", Self.photo)]

            #expect(try await Self.upload(api, product: product, token: nil, parts: good).status == .unauthorized)
            let otherProducer = try await api.buyerToken()
            _ = try await world.applySupplier(otherProducer, name: "HTX Mật ong")
            #expect(try await Self.upload(api, product: product, token: otherProducer, parts: good).status == .notFound)
            let clerk = try await Self.upload(api, product: product, token: world.clerkA, parts: good)
            #expect([.forbidden, .notFound].contains(clerk.status))
            let unknown = try await Self.upload(api, product: UUID().uuidString, token: world.producer, parts: good)
            #expect(unknown.status == .notFound)

            let script = try await Self.upload(
                api, product: product, token: world.producer, parts: [("photo", "image/jpeg", Array("<?php".utf8))])
            #expect(script.status == .unprocessableContent)
            #expect(script.errorFields == ["photo"])
            let bomb = try await Self.upload(
                api, product: product, token: world.producer,
                parts: [("photo", "image/png", SellerTests.pngHeader(width: 30_000, height: 30_000))])
            #expect(bomb.status == .unprocessableContent)
            #expect(bomb.text.contains("megapixels"))
            let missing = try await Self.upload(
                api, product: product, token: world.producer, parts: [("picture", "image/jpeg", Self.photo)])
            #expect((400..<500).contains(missing.status.code), "\(missing.status) \(missing.text)")
            #expect(missing.contentType == "application/problem+json")
            let twice = try await Self.upload(api, product: product, token: world.producer, parts: good + good)
            #expect((400..<500).contains(twice.status.code), "\(twice.status) \(twice.text)")
            let huge = try await Self.upload(
                api, product: product, token: world.producer,
                parts: [("photo", "image/jpeg", [0xFF, 0xD8, 0xFF] + Array(repeating: 0, count: PhotoRules.maxBytes))])
            #expect([.contentTooLarge, .unprocessableContent].contains(huge.status), "\(huge.status)")
            let json = try await api.request(
                .post, "/v1/products/\(product)/photos", token: world.producer, json: ["photo": "x"])
            #expect((400..<500).contains(json.status.code), "\(json.status)")
            var headers = HTTPFields()
            headers[.contentType] = "multipart/form-data"  // no boundary
            headers[.authorization] = "Bearer \(world.producer)"
            let broken = try await api.client.execute(
                uri: "/v1/products/\(product)/photos", method: .post, headers: headers,
                body: ByteBuffer(string: "--x\r\n\r\n"))
            #expect((400..<500).contains(broken.status.code), "\(broken.status)")

            let stored = try await api.db.query("SELECT count(*) FROM photo_files").collect()
            #expect(try stored.first?.decode(Int.self) == 0)
            let now = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok)
            #expect((now.json["images"] as? [String])?.isEmpty == true)
        }
    }
}
