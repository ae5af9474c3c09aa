import Catalog
import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Gian hàng (issue 19): a producer prepares packages and prints labels, lists a product with a
/// photo from the phone (checked by decoding, resized, EXIF and GPS stripped), and another producer
/// meets "not found" on the first one's pages. A bad upload stores nothing.
@Suite("Seller pages: packages, labels, products with photos")
struct SellerTests {
    typealias Browser = ConsoleTests.Browser

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// A producer's browser: the session cookie is the API token, as after a sign-in.
    static func signedIn(_ api: TestAPI, token: String) async throws -> Browser {
        let browser = Browser(api)
        browser.cookies[SessionCookie.name] = token
        _ = try await browser.send(.get, "/")
        return browser
    }

    @Test func aProducerAcceptsMarksReadyAndPrintsTheLabel() async throws {
        try await withTestApp { api in
            let (world, fish, honey, honeyProducer) = try await OrderTests.shop(api)
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 2), (honey, 1)])
            #expect(placed.status == .created)
            let producer = try await Self.signedIn(api, token: world.producer)

            let home = try await producer.send(.get, "/gian-hang")
            #expect(home.status == .seeOther)
            #expect(home.headers[.location] == "/gian-hang/\(world.supplier.lowercased())")
            let waiting = try await producer.send(.get, "/gian-hang/\(world.supplier.lowercased())")
            #expect(waiting.status == .ok)
            #expect(waiting.text.contains("Nước mắm Cửa Đại"))
            #expect(!waiting.text.contains("Mật ong rừng"))
            let package = try #require(Self.between(waiting.text, "/gian-hang/kien-hang/", "/xac-nhan"))

            // The other producer (honey) cannot touch it, nor see the shop.
            let other = try await Self.signedIn(api, token: honeyProducer)
            #expect(try await other.send(.get, "/gian-hang/\(world.supplier.lowercased())").status == .notFound)
            let stolen = try await other.send(
                .post, "/gian-hang/kien-hang/\(package)/xac-nhan", form: ["csrf": Browser.csrf(waiting) ?? ""])
            #expect(stolen.status == .forbidden)  // another session's CSRF token
            let otherPage = try await other.send(.get, "/gian-hang")
            let otherShop = try await other.send(.get, otherPage.headers[.location] ?? "/")
            let tried = try await other.send(
                .post, "/gian-hang/kien-hang/\(package)/xac-nhan", form: ["csrf": Browser.csrf(otherShop) ?? ""])
            #expect(tried.status == .notFound)
            #expect(try await other.send(.get, "/gian-hang/kien-hang/\(package)/nhan").status == .notFound)

            let csrf = Browser.csrf(waiting) ?? ""
            let accepted = try await producer.send(
                .post, "/gian-hang/kien-hang/\(package)/xac-nhan", form: ["csrf": csrf])
            #expect(accepted.status == .seeOther)
            #expect(accepted.headers[.location]?.contains("trang-thai=accepted") == true)
            let early = try await producer.send(.get, "/gian-hang/kien-hang/\(package)/nhan")
            #expect(early.status == .conflict)
            let ready = try await producer.send(.post, "/gian-hang/kien-hang/\(package)/san-sang", form: ["csrf": csrf])
            #expect(ready.status == .seeOther)
            let label = try await producer.send(.get, "/gian-hang/kien-hang/\(package)/nhan")
            #expect(label.status == .ok)
            let order = try await world.expect(
                .get, "/v1/orders/\(placed.json["id"] as? String ?? "")", buyer, status: .ok)
            let tracking = try #require(
                (order.json["packages"] as? [[String: Any]])?.compactMap { $0["tracking_no"] as? String }.first)
            #expect(label.text.contains(tracking))
            #expect(label.text.contains("<svg"))
            #expect(label.text.contains("Nguyễn Thị Mai"))
            // COD for two bottles and the shipping of this package.
            #expect(label.text.contains("Thu hộ (COD)"))
            #expect(!label.text.contains(order.json["delivery_code"] as? String ?? "------"))
        }
    }

    @Test func aFirstProductWithAPhotoFromThePhone() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let producer = try await Self.signedIn(api, token: world.producer)
            let base = "/gian-hang/\(world.supplier.lowercased())"
            let form = try await producer.send(.get, base + "/san-pham/moi")
            #expect(form.status == .ok)
            #expect(form.text.contains("enctype=\"multipart/form-data\""))
            let photo = try Array(Data(contentsOf: Self.fixtures.appendingPathComponent("gps-photo.jpg")))
            let fields = [
                "csrf": Browser.csrf(form) ?? "", "ten": "Mắm cá cơm Cửa Đại", "danh-muc": "seasonings",
                "loai": "Hũ 500 g", "gia": "85.000", "can-nang": "700", "so-luong": "20",
            ]
            let created = try await producer.upload(
                base + "/san-pham", fields: fields, file: ("anh", "IMG_0042.jpg", photo))
            #expect(created.status == .seeOther)
            let location = try #require(created.headers[.location])
            let productID = try #require(Self.between(location, "/gian-hang/san-pham/", "?"))
            let product = try await world.expect(.get, "/v1/products/\(productID)", world.producer, status: .ok)
            #expect(product.json["status"] as? String == "draft")
            #expect((product.json["variants"] as? [[String: Any]])?.first?["price_vnd"] as? Int == 85_000)
            let url = try #require((product.json["images"] as? [String])?.first)
            let id = try #require(PhotoRules.id(inURL: url))

            for width in PhotoRules.widths {
                for ext in ["jpg", "webp"] {
                    let file = try await producer.send(.get, "/anh/\(id)-\(width).\(ext)")
                    #expect(file.status == .ok)
                    #expect(file.headers[.cacheControl] == "public, max-age=31536000, immutable")
                    let bytes = Array(file.body.readableBytesView)
                    // No EXIF at all, so no GPS position of the farm.
                    #expect(!Self.contains(bytes, Array("Exif".utf8)))
                    #expect(!Self.contains(bytes, Array("GPS".utf8)))
                    if ext == "jpg" { #expect(bytes.starts(with: [0xFF, 0xD8, 0xFF])) }
                }
            }
            #expect(try await producer.send(.get, "/anh/\(id)-999.jpg").status == .notFound)

            // The page: photo shown, then sent for review; the clerk approves; the shop shows it.
            let page = try await producer.send(.get, location)
            #expect(page.text.contains("/anh/\(id)-320.jpg"))
            let submitted = try await producer.send(
                .post, "/gian-hang/san-pham/\(productID)/gui-duyet", form: ["csrf": Browser.csrf(page) ?? ""])
            #expect(submitted.status == .seeOther)
            try await world.expect(.post, "/v1/products/\(productID)/approve", world.clerkA, status: .ok)
            let shop = try await Browser(api).send(
                .get, ProductURL.path(id: UUID(uuidString: productID)!, title: "Mắm cá cơm Cửa Đại"))
            #expect(shop.text.contains("/anh/\(id)-640.webp"))
            #expect(shop.text.contains("\\/anh\\/\(id)-1280.jpg"))

            // The OCOP certificate as printed on the paper: waiting for the clerk, then a 5-star one
            // claimed from the province is refused with the reason in words.
            let today = CalendarDay.today()
            let certificate = try await producer.send(
                .post, "/gian-hang/san-pham/\(productID)/ocop",
                form: [
                    "csrf": Browser.csrf(page) ?? "", "sao": "4", "so": "QĐ-1234/UBND", "cap": "province",
                    "ngay-cap": today.adding(months: -1).description, "het-han": today.adding(months: 30).description,
                ])
            #expect(certificate.status == .seeOther)
            let withCertificate = try await producer.send(.get, location)
            #expect(withCertificate.text.contains("QĐ-1234/UBND"))
            #expect(withCertificate.text.contains("chờ bưu cục đối chiếu"))
            let wrong = try await producer.send(
                .post, "/gian-hang/san-pham/\(productID)/ocop",
                form: [
                    "csrf": Browser.csrf(page) ?? "", "sao": "5", "so": "QĐ-99", "cap": "province",
                    "ngay-cap": today.description, "het-han": today.adding(months: 12).description,
                ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.text.contains("nơi cấp"))

            // Stock counted on the shelf.
            let variant = try #require((product.json["variants"] as? [[String: Any]])?.first?["id"] as? String)
            let counted = try await producer.send(
                .post, "/gian-hang/san-pham/\(productID)/kho",
                form: ["csrf": Browser.csrf(page) ?? "", "loai": variant, "so-luong": "17"])
            #expect(counted.status == .seeOther)
            #expect(try await OrderTests.stock(api, variant) == 17)
        }
    }

    @Test func aBadUploadIsRefusedWithAPageAndStoresNothing() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let producer = try await Self.signedIn(api, token: world.producer)
            let base = "/gian-hang/\(world.supplier.lowercased())"
            let form = try await producer.send(.get, base + "/san-pham/moi")
            let fields = [
                "csrf": Browser.csrf(form) ?? "", "ten": "Bánh tráng", "danh-muc": "seasonings", "gia": "30000",
                "can-nang": "300", "so-luong": "5",
            ]
            let cases: [(String, [UInt8], String)] = [
                ("not-an-image.jpg", Array("<?php echo 'hello'; ?>".utf8), "chỉ nhận ảnh JPEG, PNG hoặc WebP"),
                ("truncated.jpg", [0xFF, 0xD8, 0xFF, 0xE0, 0, 16] + Array(repeating: 0x41, count: 200), "tệp hỏng"),
                ("bomb.png", Self.pngHeader(width: 30_000, height: 30_000), "tối đa 40 triệu điểm ảnh"),
                (
                    "huge.jpg", [0xFF, 0xD8, 0xFF] + Array(repeating: 0, count: PhotoRules.maxBytes + 10),
                    "tối đa 10 MB"
                ),
            ]
            for (name, bytes, words) in cases {
                let reply = try await producer.upload(base + "/san-pham", fields: fields, file: ("anh", name, bytes))
                #expect(reply.status == .unprocessableContent, "\(name)")
                #expect(reply.contentType == "text/html; charset=utf-8", "\(name)")
                #expect(reply.text.contains(words), "\(name): \(reply.text.suffix(600))")
                #expect(reply.text.contains("value=\"Bánh tráng\""), "\(name): the form keeps what was typed")
            }
            let stored = try await api.db.query("SELECT count(*) FROM photo_files").collect()
            #expect(try stored.first?.decode(Int.self) == 0)
            let products = try await world.expect(
                .get, "/v1/suppliers/\(world.supplier)/products", world.producer, status: .ok)
            #expect((products.json["items"] as? [[String: Any]])?.isEmpty == true)
            // No CSRF token: refused before anything is read.
            let forged = try await producer.upload(base + "/san-pham", fields: ["ten": "x"], file: nil)
            #expect(forged.status == .forbidden)
        }
    }

    @Test func aShopsMoneyAndPeopleAreItsOwn() async throws {
        try await withTestApp { api in
            let (world, _, _, honeyProducer) = try await OrderTests.shop(api)
            let producer = try await Self.signedIn(api, token: world.producer)
            let base = "/gian-hang/\(world.supplier.lowercased())"
            let money = try await producer.send(.get, base + "/chi-tra")
            #expect(money.status == .ok)
            #expect(money.text.contains("0123456789"))  // the payout account, as the shop set it
            #expect(money.text.contains("Chưa có đợt chi trả nào"))
            let people = try await producer.send(.get, base + "/thanh-vien")
            #expect(people.status == .ok)
            #expect(people.text.contains("(bạn)"))
            let invited = "em-gai-\(UUID().uuidString.prefix(6))@example.vn"
            let sent = try await producer.send(
                .post, base + "/thanh-vien", form: ["email": invited, "csrf": Browser.csrf(people) ?? ""])
            #expect(sent.status == .seeOther)
            let after = try await producer.send(.get, base + "/thanh-vien?ket-qua=moi")
            #expect(after.text.contains(invited))
            let invitation = try #require(Self.between(after.text, "name=\"loi-moi\" value=\"", "\""))
            let revoked = try await producer.send(
                .post, base + "/thanh-vien/bo", form: ["loi-moi": invitation, "csrf": Browser.csrf(after) ?? ""])
            #expect(revoked.status == .seeOther)
            #expect(!(try await producer.send(.get, base + "/thanh-vien")).text.contains(invited))
            // An invitation answered from the invited person's own page: they become a member.
            let helper = "chi-ba-\(UUID().uuidString.prefix(6).lowercased())@example.vn"
            let again = try await producer.send(.get, base + "/thanh-vien")
            _ = try await producer.send(
                .post, base + "/thanh-vien", form: ["email": helper, "csrf": Browser.csrf(again) ?? ""])
            let helperToken = try await api.buyerToken(email: helper)
            let helperBrowser = try await Self.signedIn(api, token: helperToken)
            let offer = try await helperBrowser.send(.get, "/gian-hang")
            #expect(offer.text.contains("HTX Nước mắm Cửa Đại"))
            let invitationID = try #require(Self.between(offer.text, "/gian-hang/loi-moi/", "/nhan"))
            let accepted = try await helperBrowser.send(
                .post, "/gian-hang/loi-moi/\(invitationID)/nhan", form: ["csrf": Browser.csrf(offer) ?? ""])
            #expect(accepted.status == .seeOther)
            #expect(accepted.headers[.location] == base)
            #expect(try await helperBrowser.send(.get, base).status == .ok)
            #expect((try await producer.send(.get, base + "/thanh-vien")).text.contains(helper))

            // Another shop's producer: not found on both pages, and cannot invite into it.
            let other = try await Self.signedIn(api, token: honeyProducer)
            #expect(try await other.send(.get, base + "/chi-tra").status == .notFound)
            #expect(try await other.send(.get, base + "/thanh-vien").status == .notFound)
            let home = try await other.send(.get, "/")
            let forged = try await other.send(
                .post, base + "/thanh-vien", form: ["email": "x@example.vn", "csrf": Browser.csrf(home) ?? ""])
            #expect(forged.status == .notFound)
        }
    }

    static func between(_ text: String, _ start: String, _ end: String) -> String? {
        guard let a = text.range(of: start) else { return nil }
        let rest = text[a.upperBound...]
        guard let b = rest.range(of: end) else { return String(rest) }
        return String(rest[..<b.lowerBound])
    }

    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<($0 + needle.count)]) == needle }
    }

    /// A PNG whose header claims a size it does not have (a decompression bomb's first bytes: its
    /// header, then a little image data, which is all a bomb needs to be read as a PNG).
    static func pngHeader(width: UInt32, height: UInt32) -> [UInt8] {
        func be(_ v: UInt32) -> [UInt8] {
            [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
        }
        func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
            let body = Array(type.utf8) + data
            var crc: UInt32 = 0xFFFF_FFFF
            for byte in body {
                crc ^= UInt32(byte)
                for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
            }
            return be(UInt32(data.count)) + body + be(~crc)
        }
        // A zlib stream holding one stored block of 16 zero bytes (Adler-32 0x00100001).
        let idat: [UInt8] =
            [0x78, 0x01, 0x01, 16, 0, 0xEF, 0xFF] + Array(repeating: 0, count: 16) + [0, 0x10, 0, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", be(width) + be(height) + [8, 0, 0, 0, 0]) + chunk("IDAT", idat) + chunk("IEND", [])
    }
}
