import Catalog
import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Gian hàng (issue 19): a producer adds another kind of a product, corrects a price or takes a kind
/// off sale, and changes how the shop is paid, from its own pages; another shop's producer cannot.
@Suite("Seller pages: variants and payout details")
struct SellerEditTests {
    typealias Browser = ConsoleTests.Browser

    @Test func aProducerAddsAndCorrectsKindsOfAProduct() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let product = try await world.draft("Mật ong rừng Trà My")
            let producer = try await SellerTests.signedIn(api, token: world.producer)
            let path = "/gian-hang/san-pham/\(product)"
            let page = try await producer.send(.get, path)
            #expect(page.text.contains("Thêm loại hàng"))
            let csrf = Browser.csrf(page) ?? ""

            let added = try await producer.send(
                .post, path + "/loai",
                form: [
                    "csrf": csrf, "ten-loai": "Hũ 1 lít", "gia": "320.000", "can-nang": "1500", "so-luong": "8",
                    "dai": "20", "rong": "15", "cao": "25",
                ])
            #expect(added.status == .seeOther)
            var json = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok).json
            var variants = json["variants"] as? [[String: Any]] ?? []
            let big = try #require(variants.first { $0["name"] as? String == "Hũ 1 lít" })
            #expect(big["price_vnd"] as? Int == 320_000)
            #expect(big["weight_grams"] as? Int == 1500)
            #expect(big["stock_on_hand"] as? Int == 8)
            #expect(big["length_cm"] as? Int == 20 && big["width_cm"] as? Int == 15 && big["height_cm"] as? Int == 25)
            // A size needs all three measurements.
            let halfSize = try await producer.send(
                .post, path + "/loai",
                form: ["csrf": csrf, "ten-loai": "Thùng", "gia": "900.000", "can-nang": "5000", "dai": "60"])
            #expect(halfSize.status == .unprocessableContent)
            #expect(halfSize.text.contains("kích thước"))

            // A price corrected, the kind taken off sale (the box left unticked).
            let first = try #require(variants.first { $0["name"] as? String != "Hũ 1 lít" }?["id"] as? String)
            let edited = try await producer.send(
                .post, path + "/loai/\(first)",
                form: ["csrf": csrf, "ten-loai": "Chai 500 ml", "gia": "95 000", "can-nang": "750"])
            #expect(edited.status == .seeOther)
            json = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok).json
            variants = json["variants"] as? [[String: Any]] ?? []
            let corrected = try #require(variants.first { $0["id"] as? String == first })
            #expect(corrected["name"] as? String == "Chai 500 ml")
            #expect(corrected["price_vnd"] as? Int == 95_000)
            #expect(corrected["is_active"] as? Bool == false)
            #expect(try await producer.send(.get, path).text.contains("ngừng bán"))

            // A price below the floor: the page again, saying what to fix, nothing changed.
            let bad = try await producer.send(
                .post, path + "/loai/\(first)",
                form: ["csrf": csrf, "ten-loai": "Chai 500 ml", "gia": "0", "can-nang": "750", "dang-ban": "1"])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("giá bán"))
            json = try await world.expect(.get, "/v1/products/\(product)", world.producer, status: .ok).json
            #expect(
                (json["variants"] as? [[String: Any]])?.first { $0["id"] as? String == first }?["price_vnd"]
                    as? Int == 95_000)

            // Another shop's producer: not found, with its own valid form token.
            let strangerToken = try await api.buyerToken()
            _ = try await world.applySupplier(strangerToken, name: "HTX Mật ong Nam Trà My")
            let stranger = try await SellerTests.signedIn(api, token: strangerToken)
            let home = try await stranger.send(.get, "/")
            let forged = try await stranger.send(
                .post, path + "/loai/\(first)",
                form: ["csrf": Browser.csrf(home) ?? "", "ten-loai": "X", "gia": "1000", "can-nang": "1"])
            #expect(forged.status == .notFound)
            let forgedAdd = try await stranger.send(
                .post, path + "/loai",
                form: ["csrf": Browser.csrf(home) ?? "", "ten-loai": "X", "gia": "1000", "can-nang": "1"])
            #expect(forgedAdd.status == .notFound)
        }
    }

    @Test func aProducerChangesHowTheShopIsPaid() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let producer = try await SellerTests.signedIn(api, token: world.producer)
            let base = "/gian-hang/\(world.supplier.lowercased())"
            let page = try await producer.send(.get, base + "/chi-tra")
            #expect(page.text.contains("Đổi cách nhận tiền"))
            let csrf = Browser.csrf(page) ?? ""

            // The holder's name typed as people write it is put as the bank holds it.
            let changed = try await producer.send(
                .post, base + "/chi-tra/tai-khoan",
                form: [
                    "csrf": csrf, "cach": "bank_transfer", "ngan-hang": "970436", "so-tai-khoan": "1012 3456 789",
                    "chu-tai-khoan": "Nguyễn Thị Đào",
                ])
            #expect(changed.status == .seeOther)
            var supplier = try await world.expect(.get, "/v1/suppliers/\(world.supplier)", world.producer, status: .ok)
            var payout = supplier.json["payout"] as? [String: Any] ?? [:]
            #expect(payout["account_no"] as? String == "10123456789")
            #expect(payout["account_name"] as? String == "NGUYEN THI DAO")

            // A wrong account number: the page names the field, the details stay.
            let wrong = try await producer.send(
                .post, base + "/chi-tra/tai-khoan",
                form: [
                    "csrf": csrf, "cach": "bank_transfer", "ngan-hang": "970436", "so-tai-khoan": "12",
                    "chu-tai-khoan": "Nguyễn Thị Đào",
                ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("số tài khoản"))
            supplier = try await world.expect(.get, "/v1/suppliers/\(world.supplier)", world.producer, status: .ok)
            #expect((supplier.json["payout"] as? [String: Any])?["account_no"] as? String == "10123456789")

            let counter = try await producer.send(
                .post, base + "/chi-tra/tai-khoan", form: ["csrf": csrf, "cach": "counter_cash", "ngan-hang": "970436"])
            #expect(counter.status == .seeOther)
            supplier = try await world.expect(.get, "/v1/suppliers/\(world.supplier)", world.producer, status: .ok)
            payout = supplier.json["payout"] as? [String: Any] ?? [:]
            #expect(payout["method"] as? String == "counter_cash")
            #expect(try await producer.send(.get, base + "/chi-tra").text.contains("Nhận tiền mặt tại quầy"))

            let strangerToken = try await api.buyerToken()
            _ = try await world.applySupplier(strangerToken, name: "HTX Mật ong Nam Trà My")
            let stranger = try await SellerTests.signedIn(api, token: strangerToken)
            let home = try await stranger.send(.get, "/")
            let forged = try await stranger.send(
                .post, base + "/chi-tra/tai-khoan",
                form: [
                    "csrf": Browser.csrf(home) ?? "", "cach": "bank_transfer", "ngan-hang": "970436",
                    "so-tai-khoan": "99999999", "chu-tai-khoan": "KE GIAN",
                ])
            #expect(forged.status == .notFound)
            supplier = try await world.expect(.get, "/v1/suppliers/\(world.supplier)", world.producer, status: .ok)
            #expect((supplier.json["payout"] as? [String: Any])?["method"] as? String == "counter_cash")
        }
    }
}
