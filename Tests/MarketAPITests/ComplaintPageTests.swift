import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 20: a complaint through the pages people use: the buyer files it with a photo from the order page,
/// the seller disagrees on the shop's pages, a clerk decides in the console, and the office's courier
/// fetches the goods from the buyer and takes them to the seller.
@Suite("Complaint pages: shop, seller, console")
struct ComplaintPageTests {
    typealias Browser = ConsoleTests.Browser

    @Test func aComplaintGoesFromTheBuyersFormThroughTheSellerAndTheClerkToTheCourier() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, buyerToken, fish, fishTotal) = try await ComplaintTests.delivered(w)
            let orderID = try #require(order["id"] as? String)
            let buyer = try await SellerTests.signedIn(api, token: buyerToken)
            let orderPage = try await buyer.send(.get, "/don-hang/\(orderID)")
            let formPath = "/don-hang/\(orderID)/kien-hang/\(fish)/khieu-nai"
            #expect(orderPage.text.contains(formPath))
            let form = try await buyer.send(.get, formPath)
            #expect(form.status == .ok)
            #expect(form.text.contains("Hàng hư, ôi thiu") && form.text.contains("Nhận tiền hoàn vào tài khoản"))
            let line = try #require(
                try await api.db.query("SELECT id FROM order_lines WHERE package_id = \(UUID(uuidString: fish)!)")
                    .collect().decode(UUID.self).first)
            let key = "so-luong-\(line.uuidString.lowercased())"
            #expect(form.text.contains("name=\"\(key)\""))
            var fields = [
                "csrf": Browser.csrf(form) ?? "", "ly-do": "damaged", "mo-ta": "Chai nứt, mắm rò ra hộp.", key: "0",
            ]
            // No line chosen: the form again, with what was typed.
            let none = try await buyer.upload(formPath, fields: fields, file: nil)
            #expect(none.status.code == 422 && none.text.contains("ít nhất một sản phẩm"))
            #expect(none.text.contains("Chai nứt, mắm rò ra hộp."))
            fields[key] = "1"
            fields["ngan-hang"] = "970436"
            fields["so-tai-khoan"] = "0071000123456"
            fields["chu-tai-khoan"] = "Nguyễn Thị Mai"
            let photo = try [UInt8](Data(contentsOf: SellerTests.fixtures.appendingPathComponent("gps-photo.jpg")))
            let filed = try await buyer.upload(formPath, fields: fields, file: ("anh-1", "mam.jpg", photo))
            #expect(filed.status == .seeOther, "\(filed.status) \(filed.text.prefix(300))")
            #expect(filed.headers[.location] == "/don-hang/\(orderID)?ket-qua=khieu-nai")
            let after = try await buyer.send(.get, "/don-hang/\(orderID)?ket-qua=khieu-nai")
            #expect(after.text.contains("Đã gửi khiếu nại") && after.text.contains("chờ người bán trả lời"))
            let complaint = try #require(
                (try await w.world.expect(.get, "/v1/complaints", buyerToken, status: .ok).json["items"]
                    as? [[String: Any]])?.first)
            let id = try #require(complaint["id"] as? String)
            #expect((complaint["photo_urls"] as? [String])?.count == 1)
            #expect((complaint["refund_account"] as? [String: Any])?["account_name"] as? String == "NGUYEN THI MAI")

            // The seller sees it, with the photo, and disagrees.
            let seller = try await SellerTests.signedIn(api, token: w.world.producer)
            let shopPath = "/gian-hang/\(w.world.supplier.lowercased())/khieu-nai"
            let list = try await seller.send(.get, shopPath)
            #expect(list.status == .ok && list.text.contains("Chai nứt, mắm rò ra hộp.") && list.text.contains("Ảnh 1"))
            let disputed = try await seller.send(
                .post, "/gian-hang/khieu-nai/\(id)/khong-dong-y",
                form: ["csrf": Browser.csrf(list) ?? "", "ghi-chu": "Chai được chèn xốp, còn nguyên khi giao bưu tá."])
            #expect(disputed.status == .seeOther)
            #expect(try await seller.send(.get, shopPath).text.contains("bưu cục đang xem xét"))

            // The clerk of the delivering office decides: a refund, the goods back to the seller.
            let clerk = try await SellerTests.signedIn(api, token: w.clerk)
            // The clerk's inbox says there is a dispute to decide, with the way to it.
            try await NotificationTests.notifier(api).notifyPending()
            let inbox = try await clerk.send(.get, "/console/thong-bao")
            #expect(inbox.text.contains("chờ bưu cục quyết định") && inbox.text.contains("href=\"/console/khieu-nai\""))
            let desk = try await clerk.send(.get, "/console/khieu-nai")
            #expect(desk.status == .ok && desk.text.contains("Chai được chèn xốp"))
            let decided = try await clerk.send(
                .post, "/console/khieu-nai/\(id)/quyet-dinh",
                form: [
                    "csrf": Browser.csrf(desk) ?? "", "quyet-dinh": "hoan-tra-hang",
                    "ghi-chu": "Ảnh cho thấy chai nứt từ trong hộp.",
                ])
            #expect(decided.status == .seeOther, "\(decided.status) \(decided.text.prefix(300))")

            // The courier fetches the goods from the buyer, then takes them to the seller.
            let courier = try await SellerTests.signedIn(api, token: w.couriers[0].token)
            let round = try await courier.send(.get, "/console/khieu-nai")
            let back = try #require(
                try await w.world.expect(.get, "/v1/complaints/\(id)", buyerToken, status: .ok).json[
                    "return_tracking_no"] as? String)
            #expect(round.text.contains(back) && round.text.contains("Đã lấy hàng"))
            let picked = try await courier.send(
                .post, "/console/quet/\(back)",
                form: [
                    "csrf": Browser.csrf(round) ?? "", "type": "picked_up", "event": UUID().uuidString,
                    "ve": "khieu-nai",
                ])
            #expect(picked.headers[.location] == "/console/khieu-nai?ket-qua=da-ghi")
            let toSeller = try await courier.send(.get, "/console/khieu-nai?ket-qua=da-ghi")
            #expect(toSeller.text.contains("Đã giao người bán"))
            let handed = try await courier.send(
                .post, "/console/quet/\(back)",
                form: [
                    "csrf": Browser.csrf(toSeller) ?? "", "type": "delivered", "event": UUID().uuidString,
                    "recipient": "Lê Văn Tâm", "ve": "khieu-nai",
                ])
            #expect(handed.status == .seeOther)
            let done = try await w.world.expect(.get, "/v1/complaints/\(id)", buyerToken, status: .ok)
            #expect(done.json["status"] as? String == "refunded")
            #expect(done.json["return_status"] as? String == "delivered")
            #expect(done.json["refund_vnd"] as? Int == fishTotal)
            let last = try await buyer.send(.get, "/don-hang/\(orderID)")
            #expect(last.text.contains("được hoàn tiền") && last.text.contains("đã chuyển hoàn cho người bán"))
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
