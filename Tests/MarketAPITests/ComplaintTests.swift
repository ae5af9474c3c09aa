import Foundation
import HTTPTypes
import Kernel
import Logistics
import Testing

@testable import MarketAPI

/// Issue 20, SPEC §5: complaints after delivery, through the API and the books.
@Suite("Complaints: window, answers, decisions, refunds and goods coming back")
struct ComplaintTests {
    /// A delivered order (fish sauce and honey, both of office A); its buyer's token, the fish package's id
    /// and items total.
    static func delivered(_ w: LogisticsWorld, at start: Date = Date().addingTimeInterval(-3600)) async throws
        -> (order: [String: Any], buyer: String, fish: String, fishTotal: Int)
    {
        let (placed, tracking) = try await w.readyOrder()
        let order = try await LedgerTests.refreshed(w, placed)
        for number in tracking { try await LedgerTests.deliver(w, number, order: order, at: start) }
        let packages = order["packages"] as? [[String: Any]] ?? []
        let fish = try #require(packages.first { $0["tracking_no"] as? String == tracking[0] })
        return (
            order, try #require(order["buyer_token"] as? String), try #require(fish["id"] as? String),
            try #require(fish["items_total_vnd"] as? Int)
        )
    }

    static func complaint(reason: String = "spoiled") -> [String: Any] {
        [
            "reason": reason, "description": "Nước mắm bị rò, chai nứt khi nhận.",
            "photo_urls": ["https://anh.example.vn/khieu-nai/1.jpg"],
        ]
    }

    static func payable(_ api: TestAPI, supplierOf token: String, _ w: LogisticsWorld) async throws -> Int {
        try await OrderTests.count(
            api,
            """
            SELECT COALESCE(-balance_vnd, 0)::int FROM ledger_accounts
            WHERE kind = 'seller_payable' AND owner_id = '\(w.world.supplier)'
            """)
    }

    @Test func anAcceptedComplaintIsOwedFromTheSellerAndNettedFromItsNextRemittances() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await LedgerTests.financeToken(w)
            let (_, buyer, fish, fishTotal) = try await Self.delivered(w)
            let opened = try await w.world.expect(
                .post, "/v1/packages/\(fish)/complaints", buyer, json: Self.complaint(), status: .created)
            let id = try #require(opened.json["id"] as? String)
            #expect(opened.json["status"] as? String == "open")
            #expect(opened.json["claimed_vnd"] as? Int == fishTotal)
            #expect((opened.json["number"] as? String)?.hasPrefix("KN") == true)
            #expect((opened.json["lines"] as? [[String: Any]])?.count == 1)
            // One per package; strangers and the other seller see nothing; the office's clerk does.
            let again = try await api.request(
                .post, "/v1/packages/\(fish)/complaints", token: buyer, json: Self.complaint())
            #expect(again.status == .conflict && again.text.contains("complaint-exists"))
            let stranger = try await api.buyerToken()
            for token in [stranger, w.honeyProducer] {
                #expect(try await api.request(.get, "/v1/complaints/\(id)", token: token).status == .notFound)
                let list = try await w.world.expect(.get, "/v1/complaints", token, status: .ok)
                #expect((list.json["items"] as? [Any])?.isEmpty == true)
            }
            try await w.world.expect(.get, "/v1/complaints/\(id)", w.clerk, status: .ok)
            #expect(
                try await api.request(
                    .post, "/v1/complaints/\(id)/accept", token: w.honeyProducer, json: [:] as [String: Any]
                ).status == .notFound)

            let payableBefore = try await Self.payable(api, supplierOf: w.world.producer, w)
            let accepted = try await w.world.expect(
                .post, "/v1/complaints/\(id)/accept", w.world.producer, json: ["note": "Xin lỗi bạn."], status: .ok)
            #expect(accepted.json["status"] as? String == "refunded")
            #expect(accepted.json["refund_vnd"] as? Int == fishTotal)
            #expect(accepted.json["liable"] as? String == "seller")
            // Twice is a 409 with the state, nothing posted twice.
            let twice = try await api.request(
                .post, "/v1/complaints/\(id)/accept", token: w.world.producer, json: [:] as [String: Any])
            #expect(twice.status == .conflict && twice.text.contains("refunded"))
            #expect(try await Self.payable(api, supplierOf: w.world.producer, w) == payableBefore - fishTotal)
            let refunds = try await w.world.expect(.get, "/v1/finance/refunds?status=owed", finance, status: .ok)
            let owed = (refunds.json["items"] as? [[String: Any]] ?? []).first { $0["package_id"] as? String == fish }
            #expect(owed?["amount_vnd"] as? Int == fishTotal)

            // The refund is more than this one parcel's share: no line for the fish seller (it owes), the
            // honey seller is paid as usual.
            let cutoff = { ISO8601DateFormatter().string(from: Date().addingTimeInterval(2)) }
            let first = try await w.world.expect(
                .post, "/v1/remittances", finance, json: ["cutoff_at": cutoff()], status: .created)
            let firstLines = first.json["lines"] as? [[String: Any]] ?? []
            #expect(!firstLines.contains { $0["supplier_id"] as? String == w.world.supplier })
            #expect(firstLines.count == 1)
            let owing = try await Self.payable(api, supplierOf: w.world.producer, w)
            #expect(owing < 0)
            // Two more fish deliveries: the next line nets what the seller owed.
            _ = try await Self.delivered(w)
            _ = try await Self.delivered(w)
            let afterDeliveries = try await Self.payable(api, supplierOf: w.world.producer, w)
            let second = try await w.world.expect(
                .post, "/v1/remittances", finance, json: ["cutoff_at": cutoff()], status: .created)
            let fishLine = (second.json["lines"] as? [[String: Any]] ?? []).first {
                $0["supplier_id"] as? String == w.world.supplier
            }
            #expect(fishLine?["amount_vnd"] as? Int == afterDeliveries)
            #expect(fishLine?["parcel_count"] as? Int == 3)
            #expect(try await Self.payable(api, supplierOf: w.world.producer, w) == 0)
            // Paid back to the buyer once.
            try await w.world.expect(
                .post, "/v1/finance/refunds/\(fish)/paid", finance, json: ["bank_reference": "FT26120712345"],
                status: .ok)
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    /// Money counted once: answers racing each other (and the deadline's round) leave one refund.
    @Test func racingAnswersOweTheRefundOnce() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (_, buyer, fish, fishTotal) = try await Self.delivered(w)
            let opened = try await w.world.expect(
                .post, "/v1/packages/\(fish)/complaints", buyer, json: Self.complaint(), status: .created)
            let id = try #require(opened.json["id"] as? String)
            try await api.db.query(
                "UPDATE complaints SET respond_by = now() - interval '1 minute' WHERE id = \(UUID(uuidString: id)!)")
            let service = ComplaintService(db: Database(api.db), logger: testLogger)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<6 {
                    group.addTask {
                        if n == 0 { return try await service.acceptOverdue() == 1 ? 200 : 0 }
                        let path = "/v1/complaints/\(id)/\(n % 2 == 0 ? "accept" : "dispute")"
                        let body: [String: Any] = n % 2 == 0 ? [:] : ["note": "Không đồng ý."]
                        return Int(try await api.request(.post, path, token: w.world.producer, json: body).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1, "\(statuses)")
            #expect(statuses.filter { $0 == 409 || $0 == 0 }.count == 5, "\(statuses)")
            #expect(
                try await OrderTests.count(
                    api,
                    """
                    SELECT count(*)::int FROM ledger_transactions
                    WHERE reference_id = '\(id)' AND kind IN ('complaint_refund', 'transport_claim')
                    """)
                    == (try await w.world.expect(.get, "/v1/complaints/\(id)", buyer, status: .ok).json["status"]
                        as? String == "refunded" ? 1 : 0))
            _ = fishTotal
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func aDisputeIsDecidedByTheDeliveringOfficeAndTransportDamagePaidByIt() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (_, buyer, fish, fishTotal) = try await Self.delivered(w)
            let opened = try await w.world.expect(
                .post, "/v1/packages/\(fish)/complaints", buyer, json: Self.complaint(reason: "damaged"),
                status: .created)
            let id = try #require(opened.json["id"] as? String)
            // Not before a dispute; a dispute says why.
            let early = try await api.request(
                .post, "/v1/complaints/\(id)/decide", token: w.clerk,
                json: ["decision": "refund", "liable": "seller", "note": "Đã xem ảnh."])
            #expect(early.status == .conflict)
            let noNote = try await api.request(
                .post, "/v1/complaints/\(id)/dispute", token: w.world.producer, json: [:] as [String: Any])
            #expect(noNote.status.code == 400 || noNote.status.code == 422)
            let disputed = try await w.world.expect(
                .post, "/v1/complaints/\(id)/dispute", w.world.producer,
                json: ["note": "Hàng đóng gói kỹ, chai còn nguyên khi giao cho bưu tá."], status: .ok)
            #expect(disputed.json["status"] as? String == "disputed")
            // The delivering office's clerks hear there is a dispute to decide; the other office's do not.
            try await NotificationTests.notifier(api).notifyPending()
            let toDecide = try await NotificationTests.inbox(api, w.clerk).first {
                $0["kind"] as? String == "complaint.to_decide"
            }
            #expect((toDecide?["body"] as? String)?.contains("quyết định") == true, "\(String(describing: toDecide))")
            #expect(toDecide?["link"] as? String == "/console/khieu-nai")
            #expect(
                try await NotificationTests.inbox(api, w.world.clerkB).allSatisfy {
                    $0["kind"] as? String != "complaint.to_decide"
                })
            // Only a clerk of the delivering office decides; the seller and the buyer cannot.
            for token in [w.world.producer, buyer] {
                let refused = try await api.request(
                    .post, "/v1/complaints/\(id)/decide", token: token,
                    json: ["decision": "refund", "liable": "seller", "note": "Tự quyết."])
                #expect(refused.status == .forbidden)
            }
            #expect(
                try await api.request(
                    .post, "/v1/complaints/\(id)/decide", token: w.world.clerkB,
                    json: ["decision": "reject", "note": "Không thuộc bưu cục."]
                ).status == .notFound)
            let bad = try await api.request(
                .post, "/v1/complaints/\(id)/decide", token: w.clerk,
                json: [
                    "decision": "refund", "liable": "post_office", "return_goods": true, "note": "Vỡ do vận chuyển.",
                ])
            #expect(bad.status.code == 422 && bad.text.contains("return_goods"))
            let payableBefore = try await Self.payable(api, supplierOf: w.world.producer, w)
            let decided = try await w.world.expect(
                .post, "/v1/complaints/\(id)/decide", w.clerk,
                json: ["decision": "refund", "liable": "post_office", "note": "Thùng móp do vận chuyển."], status: .ok)
            #expect(decided.json["status"] as? String == "refunded")
            #expect(decided.json["liable"] as? String == "post_office")
            #expect(decided.json["decision_note"] as? String == "Thùng móp do vận chuyển.")
            // The seller's money is untouched; the delivering office carries the claim.
            #expect(try await Self.payable(api, supplierOf: w.world.producer, w) == payableBefore)
            let claims = try await OrderTests.count(
                api,
                """
                SELECT balance_vnd::int FROM ledger_accounts WHERE kind = 'transport_claims' AND owner_id = '\(w.office)'
                """)
            #expect(claims == fishTotal)
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func goodsComingBackArePickedUpFromTheBuyerThenDeliveredToTheSeller() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await LedgerTests.financeToken(w)
            let (_, buyer, fish, fishTotal) = try await Self.delivered(w)
            var body = Self.complaint(reason: "wrong_item")
            body["refund_account"] = [
                "bank_bin": "970436", "account_no": "0071000123456", "account_name": "Trần Văn Đức",
            ]
            let opened = try await w.world.expect(
                .post, "/v1/packages/\(fish)/complaints", buyer, json: body, status: .created)
            let id = try #require(opened.json["id"] as? String)
            #expect((opened.json["refund_account"] as? [String: Any])?["account_name"] as? String == "TRAN VAN DUC")
            let accepted = try await w.world.expect(
                .post, "/v1/complaints/\(id)/accept", w.world.producer, json: ["return_goods": true], status: .ok)
            #expect(accepted.json["status"] as? String == "awaiting_return")
            let back = try #require(accepted.json["return_tracking_no"] as? String)
            #expect((try? S10.parsed(back)) != nil)
            #expect(accepted.json["refund_vnd"] == nil)
            let before = try await w.world.expect(.get, "/v1/finance/refunds", finance, status: .ok)
            #expect(!(before.json["items"] as? [[String: Any]] ?? []).contains { $0["package_id"] as? String == fish })

            // Only pickup and delivery apply to it.
            let wrong = try await w.scan(back, "out_for_delivery")
            #expect(wrong.status == .conflict)
            let event = UUID().uuidString
            let picked = try await w.scan(back, "picked_up", id: event)
            #expect(picked.status == .created || picked.status == .ok)
            #expect(picked.json["status"] as? String == "picked_up")
            let replay = try await w.scan(back, "picked_up", id: event)
            #expect(replay.json["event_id"] as? String == picked.json["event_id"] as? String)
            let now = try await w.world.expect(.get, "/v1/complaints/\(id)", buyer, status: .ok)
            #expect(now.json["status"] as? String == "refunded")
            // Finance sees where the cash buyer asked the refund to go.
            let owedList = try await w.world.expect(.get, "/v1/finance/refunds?status=owed", finance, status: .ok)
            let owed = (owedList.json["items"] as? [[String: Any]] ?? []).first { $0["package_id"] as? String == fish }
            #expect(owed?["complaint_number"] as? String == opened.json["number"] as? String)
            #expect((owed?["refund_account"] as? [String: Any])?["account_no"] as? String == "0071000123456")
            #expect(now.json["refund_vnd"] as? Int == fishTotal)
            #expect(now.json["return_status"] as? String == "picked_up")
            // The seller signs for the goods: a name, no delivery code (the buyer's) and no cash.
            let unsigned = try await w.scan(back, "delivered")
            #expect(unsigned.status.code == 422 && unsigned.text.contains("recipient_name"))
            let delivered = try await w.scan(back, "delivered", extra: ["recipient_name": "Lê Thị Hoa"])
            #expect(delivered.json["status"] as? String == "delivered")
            let done = try await w.world.expect(.get, "/v1/complaints/\(id)", w.world.producer, status: .ok)
            #expect(done.json["return_status"] as? String == "delivered")
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM complaint_return_events WHERE complaint_id = '\(id)'")
                    == 2)
            try await LedgerTests.ledgerIsClean(api)
        }
    }

    @Test func theWindowTheLinesAndTheSellersDeadline() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (_, buyer, fish, _) = try await Self.delivered(w)
            // Not delivered yet: a package of another order, still on its way.
            let (pending, _) = try await w.readyOrder()
            let pendingPackage = try #require((pending["packages"] as? [[String: Any]])?.first?["id"] as? String)
            let pendingBuyer = try #require(pending["buyer_token"] as? String)
            let early = try await api.request(
                .post, "/v1/packages/\(pendingPackage)/complaints", token: pendingBuyer, json: Self.complaint())
            #expect(early.status == .conflict && early.text.contains("ready_for_pickup"))
            // A line not in the package, and too many of one.
            var body = Self.complaint()
            body["lines"] = [["order_line_id": UUID().uuidString, "quantity": 1]]
            let unknown = try await api.request(.post, "/v1/packages/\(fish)/complaints", token: buyer, json: body)
            #expect(unknown.status.code == 422 && unknown.text.contains("lines[0].order_line_id"))
            let line = try await OrderTests.count(
                api, "SELECT count(*)::int FROM order_lines WHERE package_id = '\(fish)'")
            #expect(line == 1)
            let lineID = try await api.db.query(
                "SELECT id FROM order_lines WHERE package_id = \(UUID(uuidString: fish)!)"
            ).collect().decode(UUID.self).first
            body["lines"] = [["order_line_id": try #require(lineID).uuidString, "quantity": 5]]
            let many = try await api.request(.post, "/v1/packages/\(fish)/complaints", token: buyer, json: body)
            #expect(many.status.code == 422 && many.text.contains("lines[0].quantity"))
            // Fish sauce is food: 3 days after delivery, no more.
            try await api.db.query(
                "UPDATE packages SET delivered_at = now() - interval '3 days 1 minute' WHERE id = \(UUID(uuidString: fish)!)"
            )
            let late = try await api.request(
                .post, "/v1/packages/\(fish)/complaints", token: buyer, json: Self.complaint())
            #expect(late.status.code == 422 && late.text.contains("3 days"))
            try await api.db.query(
                "UPDATE packages SET delivered_at = now() - interval '2 days' WHERE id = \(UUID(uuidString: fish)!)")
            let opened = try await w.world.expect(
                .post, "/v1/packages/\(fish)/complaints", buyer, json: Self.complaint(), status: .created)
            let id = try #require(opened.json["id"] as? String)
            // The seller did not answer in time: accepted as asked by the worker's round.
            let service = ComplaintService(db: Database(api.db), logger: testLogger)
            #expect(try await service.acceptOverdue() == 0)
            try await api.db.query(
                "UPDATE complaints SET respond_by = now() - interval '1 minute' WHERE id = \(UUID(uuidString: id)!)")
            #expect(try await service.acceptOverdue() == 1)
            let after = try await w.world.expect(.get, "/v1/complaints/\(id)", buyer, status: .ok)
            #expect(after.json["status"] as? String == "refunded")
            #expect(after.json["answer"] as? String == "accepted_by_deadline")
            let late2 = try await api.request(
                .post, "/v1/complaints/\(id)/dispute", token: w.world.producer, json: ["note": "Quá hạn rồi."])
            #expect(late2.status == .conflict)
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
