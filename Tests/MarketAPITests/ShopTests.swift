import Foundation
import HTTPTypes
import Kernel
import Orders
import Synchronization
import Testing

@testable import Catalog
@testable import MarketAPI
@testable import MarketWeb

/// The shop at `/` (issue 19): a buyer finds products without JavaScript, orders from two producers
/// with COD through the same rules as the API, and follows the packages; what another site or
/// another buyer tries changes nothing.
@Suite("Shop: home, search, product page, cart, checkout, the buyer's orders")
struct ShopTests {
    typealias Browser = ConsoleTests.Browser

    @Test func addressesAndCartsAreReadBackExactly() throws {
        #expect(ProductURL.slug("Nước mắm Cửa Đại 500ml") == "nuoc-mam-cua-dai-500ml")
        #expect(ProductURL.slug("  Trà  xanh —  Đông Giang!! ") == "tra-xanh-dong-giang")
        #expect(
            ProductURL.slug("Mật ong hoa cà phê, rừng Trà My (loại đặc biệt) đóng chai thủy tinh 1 lít").count <= 60)
        let id = UUID()
        let path = ProductURL.path(id: id, title: "Đặc sản Hội An")
        #expect(path == "/san-pham/dac-san-hoi-an-\(id.uuidString.lowercased())")
        #expect(ProductURL.id(inSegment: String(path.dropFirst(ProductURL.prefix.count))) == id)
        #expect(ProductURL.id(inSegment: id.uuidString) == id)
        #expect(ProductURL.id(inSegment: "x" + id.uuidString) == nil)
        #expect(ProductURL.id(inSegment: "nuoc-mam") == nil)

        let a = UUID()
        let b = UUID()
        var cart = CartCookie(value: "\(a.uuidString):2.junk.\(b.uuidString):0.\(a.uuidString):5.\(b.uuidString):1000")
        #expect(cart.lines.isEmpty == false)
        #expect(cart.lines == [CartLine(variantID: a, quantity: 2)])
        cart.add(a, quantity: 998)
        #expect(cart.lines.first?.quantity == 999)
        cart.add(b, quantity: 1)
        #expect(CartCookie(value: cart.value) == cart)
        cart.set(a, quantity: 0)
        #expect(cart.lines == [CartLine(variantID: b, quantity: 1)])
        var full = CartCookie()
        var added = 0
        for _ in 0..<Checkout.maxLines where full.add(UUID(), quantity: 1) { added += 1 }
        #expect(added == Checkout.maxLines)
        let overflow = full.add(UUID(), quantity: 1)
        #expect(!overflow)

        #expect(VietnameseFormat.weight(grams: 700) == "700 g")
        #expect(VietnameseFormat.weight(grams: 1250) == "1,25 kg")
        #expect(VietnameseFormat.weight(grams: 2000) == "2 kg")
        #expect(VietnameseFormat.weight(grams: 1005) == "1 kg")
        #expect(VietnameseFormat.date(isoDay: "2027-03-01") == "01/03/2027")
        #expect(ShopSite.localPath("//evil.example/x") == "/")
        #expect(ShopSite.localPath("https://evil.example") == "/")
        #expect(ShopSite.localPath("/thanh-toan") == "/thanh-toan")
    }

    @Test func homeShelvesLoadOnceAndRefreshBehindTheVisitors() async throws {
        final class Loads: Sendable {
            let count = Mutex(0)
        }
        let loads = Loads()
        let shelves = HomeShelves(ttl: .milliseconds(300))
        let load: @Sendable () async throws -> HomeShelves.Content = {
            let n = loads.count.withLock { value -> Int in
                value += 1
                return value
            }
            try await Task.sleep(for: .milliseconds(100))
            return HomeShelves.Content(shelves: [], origins: [FacetCount(value: "48", count: Int64(n))])
        }
        // Twenty visitors at once on a cold process: one load.
        let first = try await withThrowingTaskGroup(of: Int64.self) { group in
            for _ in 0..<20 { group.addTask { try await shelves.value(load: load).origins[0].count } }
            return try await group.reduce(into: [Int64]()) { $0.append($1) }
        }
        #expect(first == Array(repeating: 1, count: 20))
        #expect(loads.count.withLock { $0 } == 1)
        // Past its lifetime: the next visitor still gets the kept shelves at once, and a refresh runs.
        try await Task.sleep(for: .milliseconds(350))
        #expect(try await shelves.value(load: load).origins[0].count == 1)
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await shelves.value(load: load).origins[0].count == 2)
        #expect(loads.count.withLock { $0 } == 2)
    }

    @Test func aBuyerFindsOrdersFromTwoProducersAndFollowsThePackages() async throws {
        try await withTestApp { api in
            let (world, fish, honey, _) = try await OrderTests.shop(api, fishStock: 10, honeyStock: 5)
            let browser = Browser(api)

            let home = try await browser.send(.get, "/")
            #expect(home.status == .ok)
            #expect(home.contentType == "text/html; charset=utf-8")
            #expect(home.text.contains("Nước mắm Cửa Đại"))
            #expect(home.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(browser.cookies[ShopVisitor.cookieName] != nil)

            // An accent-free query finds the product; its card links to the product's clean address.
            let found = try await browser.send(.get, "/tim-kiem?q=nuoc+mam+cua+dai")
            #expect(found.status == .ok)
            // The search box sends spaces as `+`; a card without a certificate shows no OCOP badge (a
            // missing key must not be looked up in the page around the card).
            #expect(found.text.contains("Kết quả cho “nuoc mam cua dai”"))
            #expect(!found.text.contains("class=\"ocop\""))
            #expect(found.text.contains("value=\"nuoc mam cua dai\""))
            let link = try #require(Self.firstProductLink(found.text))
            #expect(link.hasPrefix("/san-pham/nuoc-mam-cua-dai-"))
            // A province where nothing matches: no items, the picked province still shows (to take it
            // off), and the others say where the items are.
            let elsewhere = try await browser.send(.get, "/tim-kiem?q=nuoc+mam+cua+dai&tinh=01")
            #expect(elsewhere.status == .ok && Self.firstProductLink(elsewhere.text) == nil)
            #expect(elsewhere.text.contains("aria-current=\"true\">✓ Hà Nội <small>0</small>"))
            #expect(elsewhere.text.contains(">Đà Nẵng <small>1</small>"))
            let page = try await browser.send(.get, link)
            #expect(page.status == .ok)
            #expect(
                page.text.contains("<link rel=\"canonical\" href=\"http://localhost\(link)\">")
                    || page.text.contains(link))
            #expect(page.text.contains("\"priceCurrency\":\"VND\""))
            #expect(page.text.contains("\"lowPrice\":85000"))
            #expect(page.text.contains("https:\\/\\/schema.org\\/InStock"))
            #expect(page.text.contains("og:title"))
            #expect(page.text.contains("85.000\u{00A0}₫"))
            #expect(page.text.contains("HTX Nước mắm Cửa Đại"))
            let moved = try await browser.send(.get, "/san-pham/ten-cu-" + link.suffix(36))
            #expect(moved.status == .movedPermanently)
            #expect(moved.headers[.location] == link)

            // The cart lives in the browser; prices come from the database each time.
            let csrf = try #require(Browser.csrf(page))
            let added = try await browser.send(
                .post, "/gio-hang/them", form: ["variant": fish, "quantity": "2", "csrf": csrf])
            #expect(added.status == .seeOther)
            _ = try await browser.send(
                .post, "/gio-hang/them", form: ["variant": honey, "quantity": "1", "csrf": csrf])
            let cart = try await browser.send(.get, "/gio-hang")
            #expect(cart.text.contains("Nước mắm Cửa Đại") && cart.text.contains("Mật ong rừng"))
            #expect(cart.text.contains("420.000\u{00A0}₫"))

            // Checkout asks for a sign-in first and comes back; registering signs in.
            let gate = try await browser.send(.get, "/thanh-toan")
            #expect(gate.status == .seeOther)
            #expect(gate.headers[.location] == "/dang-nhap?tiep=%2Fthanh-toan")
            let form = try await browser.send(.get, "/dang-ky?tiep=%2Fthanh-toan")
            let email = "shop-\(UUID().uuidString.prefix(8))@example.vn"
            let asked = try await browser.send(
                .post, "/dang-ky",
                form: [
                    "ten": "Lê Thị Hoa", "email": email, "sdt": "0905 111 222", "password": "buyer-password-1",
                    "tiep": "/thanh-toan", "csrf": Browser.csrf(form) ?? "",
                ])
            // The code page, the same for a taken email; a wrong code keeps the buyer on it.
            #expect(asked.status == .ok)
            #expect(asked.text.contains("action=\"/dang-ky/xac-nhan\""))
            let code = try #require(try await api.queuedCode(to: email.lowercased(), template: "registration_code"))
            let wrong = try await browser.send(
                .post, "/dang-ky/xac-nhan",
                form: [
                    "email": email, "ma": code == "000000" ? "000001" : "000000", "tiep": "/thanh-toan",
                    "csrf": Browser.csrf(asked) ?? "",
                ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("Mã không đúng"))
            // Asking for a new code comes back to checkout afterwards.
            #expect(wrong.text.contains("href=\"/dang-ky?tiep=%2Fthanh-toan\""))
            let registered = try await browser.send(
                .post, "/dang-ky/xac-nhan",
                form: ["email": email, "ma": code, "tiep": "/thanh-toan", "csrf": Browser.csrf(wrong) ?? ""])
            #expect(registered.status == .seeOther)
            #expect(registered.headers[.location] == "/thanh-toan")
            let checkout = try await browser.send(.get, "/thanh-toan")
            #expect(checkout.status == .ok)
            #expect(checkout.text.contains("Lê Thị Hoa"))
            var fields = [
                "ten": "Lê Thị Hoa", "sdt": "0905111222", "tinh": "48", "xa": CatalogWorld.communeB,
                "dia-chi": "5 Trần Phú", "thanh-toan": "cod", "csrf": Browser.csrf(checkout) ?? "",
            ]
            let quoted = try await browser.send(.post, "/thanh-toan", form: fields)
            #expect(quoted.status == .ok)
            #expect(quoted.text.contains("Đơn hàng gồm 2 kiện hàng"))
            #expect(quoted.text.contains("formaction=\"/dat-hang\""))
            let key = try #require(Self.hidden("khoa", in: quoted.text))
            fields["khoa"] = key
            // Signing in moved the browser's cart to the buyer's cart on the server.
            #expect(browser.cookies[CartCookie.name] == nil)
            let cartBefore = try await api.db.query("SELECT user_id, variant_id, quantity, added_at FROM cart_lines")
                .collect().decode((UUID, UUID, Int, Date).self)
            #expect(cartBefore.count == 2)
            let placed = try await browser.send(.post, "/dat-hang", form: fields)
            #expect(placed.status == .seeOther)
            let location = try #require(placed.headers[.location])
            #expect(location.hasPrefix("/don-hang/") && location.hasSuffix("?ket-qua=da-dat"))
            #expect(try await api.db.query("SELECT 1 FROM cart_lines").collect().isEmpty)
            // A second tap that read the cart before the first emptied it: same key, same cart, the same order.
            for (user, variant, quantity, added) in cartBefore {
                try await api.db.query(
                    """
                    INSERT INTO cart_lines (user_id, variant_id, quantity, added_at)
                    VALUES (\(user), \(variant), \(quantity), \(added))
                    """)
            }
            let again = try await browser.send(.post, "/dat-hang", form: fields)
            #expect(again.headers[.location] == location)

            let token = try await api.login(email, "buyer-password-1")
            let orders = try await world.expect(.get, "/v1/orders", token, status: .ok)
            let listed = try #require(orders.json["items"] as? [[String: Any]])
            #expect(listed.count == 1)
            let order = try #require(listed.first)
            #expect((order["packages"] as? [[String: Any]])?.count == 2)
            #expect(order["payment_method"] as? String == "cod")

            let orderPage = try await browser.send(.get, location)
            #expect(orderPage.status == .ok)
            #expect(orderPage.text.contains("Đã đặt hàng."))
            #expect(orderPage.text.components(separatedBy: "class=\"package\"").count == 3)
            #expect(orderPage.text.contains(try #require(order["delivery_code"] as? String)))
            #expect(orderPage.text.contains("chờ xác nhận"))

            // Another buyer: not found, exactly like the API.
            let stranger = Browser(api)
            try await stranger.register(
                api, name: "Người khác", email: "other-\(UUID().uuidString.prefix(8))@example.vn",
                password: "buyer-password-2")
            #expect(try await stranger.send(.get, String(location.prefix { $0 != "?" })).status == .notFound)

            // Cancel while nothing is picked up: the stock goes back.
            let cancelled = try await browser.send(
                .post, "/don-hang/\(order["id"] as? String ?? "")/huy", form: ["csrf": Browser.csrf(orderPage) ?? ""])
            #expect(cancelled.status == .seeOther)
            let after = try await world.expect(.get, "/v1/orders/\(order["id"] as? String ?? "")", token, status: .ok)
            #expect(after.json["status"] as? String == "cancelled")
        }
    }

    @Test func formsFromElsewhereAndBadAddressesChangeNothing() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let listed = try await world.listed("Trà xanh Đông Giang")
            let draft = try await world.draft("Mắm nêm chưa duyệt")
            let browser = Browser(api)
            _ = try await browser.send(.get, "/")
            let variant = try await ShippingTests.variantID(world, listed)

            // No CSRF token (another site's form): refused, no cart.
            let forged = try await browser.send(.post, "/gio-hang/them", form: ["variant": variant, "quantity": "1"])
            #expect(forged.status == .forbidden)
            #expect(browser.cookies[CartCookie.name] == nil)
            // A wrong password, and a sign-in that would send the browser to another site.
            let form = try await browser.send(.get, "/dang-nhap?tiep=%2F%2Fevil.example")
            #expect(form.text.contains("value=\"/\""))
            let wrong = try await browser.send(
                .post, "/dang-nhap",
                form: ["email": "nobody@example.vn", "password": "x", "csrf": Browser.csrf(form) ?? ""])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.text.contains("Sai email, số điện thoại hoặc mật khẩu."))
            // The same box takes a phone, in either form.
            let phone = AccountRecoveryTests.uniquePhone()
            _ = try await AccountRecoveryTests.register(api, phone: phone)
            let byPhone = Browser(api)
            let phoneForm = try await byPhone.send(.get, "/dang-nhap")
            let signedIn = try await byPhone.send(
                .post, "/dang-nhap",
                form: [
                    "email": "+84 " + phone.dropFirst(), "password": "correct-horse-battery",
                    "csrf": Browser.csrf(phoneForm) ?? "",
                ])
            #expect(signedIn.status == .seeOther, "\(signedIn.status) \(signedIn.text.prefix(200))")

            // Bad search input is a page saying what to fix, never a 5xx.
            let stars = try await browser.send(.get, "/tim-kiem?sao=9")
            #expect(stars.status == .unprocessableContent)
            #expect(stars.contentType == "text/html; charset=utf-8")
            #expect(try await browser.send(.get, "/tim-kiem?sau=garbage").status == .unprocessableContent)
            #expect(
                try await browser.send(.get, "/tim-kiem?q=" + String(repeating: "a", count: 101)).status
                    == .unprocessableContent)
            #expect(try await browser.send(.get, "/san-pham/khong-co").status == .notFound)
            #expect(try await browser.send(.get, "/san-pham/x-\(UUID().uuidString.lowercased())").status == .notFound)
            // A product not yet approved is not there for buyers, nor in the sitemap.
            #expect(try await browser.send(.get, "/san-pham/\(draft)").status == .notFound)
            let index = try await browser.send(.get, "/sitemap.xml")
            #expect(index.status == .ok)
            #expect(index.text.contains("<sitemapindex"))
            let file = try #require(SellerTests.between(index.text, "<loc>http://localhost", "</loc>"))
            let sitemap = try await browser.send(.get, file)
            #expect(sitemap.status == .ok)
            #expect(sitemap.text.contains(listed.lowercased()))
            #expect(!sitemap.text.contains(draft.lowercased()))
            #expect(try await browser.send(.get, "/sitemap/san-pham-0-1.xml").status == .notFound)
            #expect(try await browser.send(.get, "/sitemap/san-pham-00-0.xml").status == .notFound)
            let robots = try await browser.send(.get, "/robots.txt")
            #expect(robots.text.contains("Sitemap: http://"))
            // An edited cart cookie cannot name a price: the cart page reads it again.
            browser.cookies[CartCookie.name] = "\(variant):3"
            let cart = try await browser.send(.get, "/gio-hang")
            #expect(cart.text.contains("255.000\u{00A0}₫"))
        }
    }

    @Test func aSignedInBuyersCartFollowsThemToAnotherDevice() async throws {
        try await withTestApp { api in
            let (_, fish, honey, _) = try await OrderTests.shop(api)
            let token = try await api.buyerToken()
            let phone = try await SellerTests.signedIn(api, token: token)
            let home = try await phone.send(.get, "/")  // signed in: the header's sign-out form carries it
            _ = try await phone.send(
                .post, "/gio-hang/them", form: ["variant": fish, "quantity": "2", "csrf": Browser.csrf(home) ?? ""])
            // The same account on a computer: the same cart, and no cart cookie anywhere.
            let computer = try await SellerTests.signedIn(api, token: token)
            let cart = try await computer.send(.get, "/gio-hang")
            #expect(cart.text.contains("Nước mắm Cửa Đại"))
            #expect(cart.text.contains("value=\"2\""))
            #expect(phone.cookies[CartCookie.name] == nil && computer.cookies[CartCookie.name] == nil)
            // Two tabs adding at once both count.
            let csrf = Browser.csrf(cart) ?? ""
            async let a = phone.send(.post, "/gio-hang/them", form: ["variant": honey, "quantity": "1", "csrf": csrf])
            async let b = computer.send(
                .post, "/gio-hang/them", form: ["variant": honey, "quantity": "1", "csrf": csrf])
            _ = try await (a, b)
            let lines = try await api.db.query("SELECT quantity FROM cart_lines ORDER BY quantity").collect()
                .decode(Int.self)
            #expect(lines == [2, 2])
            // A visitor's cart joins the buyer's at sign-in.
            let visitor = Browser(api)
            let page = try await visitor.send(.get, "/dang-nhap")  // any page with a form carries the token
            _ = try await visitor.send(
                .post, "/gio-hang/them", form: ["variant": fish, "quantity": "3", "csrf": Browser.csrf(page) ?? ""])
            #expect(visitor.cookies[CartCookie.name] != nil)
            let email = "cart-\(UUID().uuidString.prefix(6))@example.vn"
            try await visitor.register(api, name: "Hồ Thị Cúc", email: email, password: "buyer-password-9")
            #expect(visitor.cookies[CartCookie.name] == nil)
            let joined = try await visitor.send(.get, "/gio-hang")
            #expect(joined.text.contains("value=\"3\""))
            // A cookie cart still present on a signed-in visit (a sign-in through the console) joins the
            // first buyer's cart in one go: its lines grow.
            let console = Browser(api)
            console.cookies[CartCookie.name] = "\(fish):1.\(honey):1"
            console.cookies[SessionCookie.name] = token
            let merged = try await console.send(.get, "/gio-hang")
            #expect(console.cookies[CartCookie.name] == nil)
            #expect(merged.text.components(separatedBy: "value=\"3\"").count == 3)
        }
    }

    @Test func aBankTransferOrderShowsTheVietQRToPayWith() async throws {
        let account = TransferAccount(bankBIN: "970415", accountNo: "113366668888", accountName: "BUU DIEN TINH")
        try await withTestApp(config: testConfig { $0.transferAccount = account }) { api in
            let (world, fish, _, _) = try await OrderTests.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 1)], method: "bank_transfer")
            #expect(placed.status == .created)
            let browser = try await SellerTests.signedIn(api, token: buyer)
            let page = try await browser.send(.get, "/don-hang/\(placed.json["id"] as? String ?? "")")
            #expect(page.status == .ok)
            #expect(page.text.contains("113366668888"))
            #expect(page.text.contains(placed.json["number"] as? String ?? "?"))
            // The code is drawn on the server (qrencode) as inline SVG: nothing for the CSP to block.
            let svg = try #require(SellerTests.between(page.text, "<div class=\"qr\">", "</div>"))
            #expect(svg.hasPrefix("<svg role=\"img\""))
            #expect(!svg.contains("style="))
            #expect(!page.text.contains(placed.json["delivery_code"] as? String ?? "------"))
            _ = world
        }
    }

    /// The first product card's link on a page.
    static func firstProductLink(_ html: String) -> String? {
        guard let range = html.range(of: "href=\"/san-pham/") else { return nil }
        return "/san-pham/" + html[range.upperBound...].prefix { $0 != "\"" }
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}
