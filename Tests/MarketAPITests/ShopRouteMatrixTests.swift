import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 19: the shop and the seller pages add no request path that authorization does not cover.
/// Every route that touches someone's data, as each kind of caller: nobody gets it without a session
/// (the sign-in page), a buyer is "not allowed" to do a producer's work or meets "not found", and
/// another shop's producer (or another buyer) meets "not found", exactly as the API answers.
@Suite("Shop and seller routes × callers")
struct ShopRouteMatrixTests {
    typealias Browser = ConsoleTests.Browser

    @Test func everyPrivateShopRouteAnswersEachCallerAsAuthorizationSays() async throws {
        try await withTestApp { api in
            let (world, fish, _, honeyProducer) = try await OrderTests.shop(api)
            let buyerToken = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyerToken, lines: [(fish, 1)])
            let order = try #require(placed.json["id"] as? String)
            let package = try #require((placed.json["packages"] as? [[String: Any]])?.first?["id"] as? String)
            let draft = try await world.draft("Mắm nêm chưa duyệt")
            let shop = "/gian-hang/\(world.supplier.lowercased())"

            let callers: [(String, Browser)] = [
                ("anonymous", Browser(api)),
                ("another buyer", try await SellerTests.signedIn(api, token: try await api.buyerToken())),
                ("another shop's producer", try await SellerTests.signedIn(api, token: honeyProducer)),
            ]
            let pages: [(String, [Int])] = [
                (shop, [303, 404, 404]),
                (shop + "/san-pham", [303, 404, 404]),
                (shop + "/san-pham/moi", [303, 404, 404]),
                (shop + "/chi-tra", [303, 404, 404]),
                (shop + "/thanh-vien", [303, 404, 404]),
                ("/gian-hang/kien-hang/\(package)/nhan", [303, 403, 404]),
                ("/gian-hang/san-pham/\(draft)", [303, 404, 404]),
                ("/don-hang/\(order)", [303, 404, 404]),
                ("/don-hang/\(order)/kien-hang/\(package)/khieu-nai", [303, 404, 404]),
                (shop + "/khieu-nai", [303, 404, 404]),
                ("/don-hang", [303, 200, 200]),
                ("/gian-hang", [303, 200, 303]),
                // Everyone's own inbox.
                ("/thong-bao", [303, 200, 200]),
            ]
            let forms: [(String, [Int])] = [
                ("/gian-hang/kien-hang/\(package)/xac-nhan", [303, 403, 404]),
                ("/gian-hang/kien-hang/\(package)/tu-choi", [303, 403, 404]),
                ("/gian-hang/kien-hang/\(package)/san-sang", [303, 403, 404]),
                ("/gian-hang/san-pham/\(draft)", [303, 403, 404]),
                ("/gian-hang/san-pham/\(draft)/gui-duyet", [303, 403, 404]),
                ("/gian-hang/san-pham/\(draft)/kho", [303, 404, 404]),
                ("/gian-hang/san-pham/\(draft)/anh", [303, 404, 404]),
                ("/gian-hang/san-pham/\(draft)/ocop", [303, 404, 404]),
                ("/gian-hang/san-pham/\(draft)/loai", [303, 404, 404]),
                ("/gian-hang/san-pham/\(draft)/loai/\(UUID())", [303, 404, 404]),
                (shop + "/chi-tra/tai-khoan", [303, 404, 404]),
                (shop + "/san-pham", [303, 404, 404]),
                (shop + "/thanh-vien", [303, 404, 404]),
                (shop + "/thanh-vien/bo", [303, 404, 404]),
                ("/don-hang/\(order)/huy", [303, 404, 404]),
                ("/don-hang/\(order)/kien-hang/\(package)/giao-lai", [303, 404, 404]),
                ("/don-hang/\(order)/kien-hang/\(package)/tra-lai", [303, 404, 404]),
                ("/don-hang/\(order)/kien-hang/\(package)/khieu-nai", [303, 404, 404]),
                ("/don-hang/\(order)/kien-hang/\(package)/doi-dia-chi", [303, 404, 404]),
                ("/gian-hang/khieu-nai/\(UUID())/chap-nhan", [303, 403, 404]),
                ("/gian-hang/khieu-nai/\(UUID())/khong-dong-y", [303, 403, 404]),
                ("/gian-hang/loi-moi/\(UUID())/nhan", [303, 404, 404]),
                ("/gian-hang/loi-moi/\(UUID())/tu-choi", [303, 404, 404]),
                ("/don-hang/\(order)/ma-nhan-hang", [303, 404, 404]),
                ("/thong-bao/da-doc", [303, 303, 303]),
            ]
            for (index, (who, browser)) in callers.enumerated() {
                for (path, statuses) in pages {
                    let reply = try await browser.send(.get, path)
                    #expect(Int(reply.status.code) == statuses[index], "GET \(path) as \(who): \(reply.status.code)")
                }
                // A valid token of the caller's own session (or visitor id): only authorization stops them.
                let page = try await browser.send(.get, "/dang-nhap")
                let csrf = Browser.csrf(page) ?? "none"
                for (path, statuses) in forms {
                    let fields = [
                        "csrf": csrf, "reason": "Hết hàng", "email": "x@example.vn", "so-luong": "3", "ten": "Đổi tên",
                        "danh-muc": "seasonings", "thanh-vien": UUID().uuidString, "ghi-chu": "Không đồng ý.",
                        "sdt": "0914222333", "tinh": "48", "xa": CatalogWorld.communeB,
                        "dia-chi": "12 Hùng Vương",
                    ]
                    let reply =
                        path.hasSuffix("/anh") || path == shop + "/san-pham"
                        ? try await browser.upload(path, fields: fields, file: ("anh", "a.jpg", [0xFF, 0xD8, 0xFF]))
                        : try await browser.send(.post, path, form: fields)
                    #expect(Int(reply.status.code) == statuses[index], "POST \(path) as \(who): \(reply.status.code)")
                }
            }
            // Nothing any of them did changed the shop's data.
            let after = try await world.expect(.get, "/v1/orders/\(order)", buyerToken, status: .ok)
            #expect((after.json["packages"] as? [[String: Any]])?.first?["status"] as? String == "new")
            #expect(after.json["status"] as? String == "placed")
            #expect(try await ConsoleTests.status(api, draft, world) == "draft")
            // Every shop route is in these lists or is public (pages anyone may open, assets, sign-in).
            let open: Set<String> = [
                "/", "/assets/shop.css", "/assets/shop.js", "/assets/label.css", "/robots.txt", "/sitemap.xml",
                "/sitemap/{file}",
                "/tim-kiem", "/san-pham/{slug}", "/gio-hang", "/gio-hang/them", "/gio-hang/cap-nhat", "/thanh-toan",
                "/dat-hang", "/dang-nhap", "/dang-ky", "/dang-xuat", "/anh/{name}", "/quen-mat-khau",
                "/quen-mat-khau/dat-lai", "/dang-ky/xac-nhan",
            ]
            let listed = Set((pages + forms).map(\.0))
            let templates = Set(ShopSite.routes.map(\.1)).subtracting(open)
            #expect(listed.count == templates.count, "private shop routes: \(templates.sorted())")
        }
    }
}
