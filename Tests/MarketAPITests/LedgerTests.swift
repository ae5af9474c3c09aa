import Catalog
import Foundation
import HTTPTypes
import Kernel
import Logistics
import PostgresNIO
import Testing

@testable import MarketAPI

@Suite("COD money: ledger postings, handovers, discrepancies, remittances, bank statements, reconciliation")
struct LedgerTests {
    static func financeToken(_ w: LogisticsWorld) async throws -> String {
        try await w.world.financeToken()
    }

    /// Every invariant of SPEC §6 holds (what `market ledger check` prints).
    static func ledgerIsClean(_ api: TestAPI) async throws {
        let findings = try await LedgerCheck(db: Database(api.db), logger: testLogger).run()
        for finding in findings {
            #expect(finding.problems.isEmpty, "\(finding.check): \(finding.problems)")
        }
    }

    /// Picked up, at the office, out for delivery: ready to be delivered or to fail.
    static func outForDelivery(_ w: LogisticsWorld, _ number: String, at start: Date) async throws {
        try await w.scan(number, "picked_up", at: start, status: .created)
        try await w.scan(
            number, "arrived_at_hub", at: start + 60, extra: ["post_office_id": w.office.uuidString], status: .created)
        try await w.scan(number, "out_for_delivery", at: start + 120, status: .created)
    }

    static func deliver(
        _ w: LogisticsWorld, _ number: String, order: [String: Any], collected: Int? = nil, at start: Date
    ) async throws {
        try await outForDelivery(w, number, at: start)
        let cod = Self.cod(order, number)
        try await w.scan(
            number, "delivered", at: start + 180,
            extra: [
                "cod_collected_vnd": collected ?? cod, "recipient_name": "Nguyễn Thị Mai",
                "delivery_code": order["delivery_code"] as? String ?? "",
            ], status: .created)
    }

    static func cod(_ order: [String: Any], _ number: String) -> Int {
        let packages = order["packages"] as? [[String: Any]] ?? []
        return packages.first { $0["tracking_no"] as? String == number }?["cod_amount_vnd"] as? Int ?? -1
    }

    /// The honey producer is paid at the counter (the fish one stays on bank transfer).
    static func payHoneyAtCounter(_ w: LogisticsWorld) async throws {
        var honeySupplier = ""
        for try await id in try await w.world.api.db.query(
            "SELECT supplier_id::text FROM product_variants WHERE id = \(UUID(uuidString: w.honey))"
        ).decode(String.self) { honeySupplier = id }
        try await w.world.expect(
            .put, "/v1/suppliers/\(honeySupplier)/payout", w.honeyProducer, json: ["method": "counter_cash"],
            status: .ok)
    }

    /// A new order whose first parcel is delivered now with `short` đồng less than its COD (a
    /// discrepancy opens when short > 0); the parcel's COD to collect.
    @discardableResult
    static func deliverFirstParcel(_ w: LogisticsWorld, short: Int) async throws -> Int {
        let (placed, tracking) = try await w.readyOrder()
        let order = try await refreshed(w, placed)
        let number = try #require(tracking.first)
        let cod = Self.cod(order, number)
        try await deliver(w, number, order: order, collected: cod - short, at: Date())
        return cod
    }

    /// The order with each package's tracking number filled in (the order JSON was taken before ready).
    static func refreshed(_ w: LogisticsWorld, _ order: [String: Any]) async throws -> [String: Any] {
        let id = try #require(order["id"] as? String)
        let buyer = try #require(order["buyer_token"] as? String)
        var fresh = try await w.world.expect(.get, "/v1/orders/\(id)", buyer, status: .ok).json
        fresh["buyer_token"] = buyer
        return fresh
    }

    @Test func aDayEndToEndReconcilesToZero() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await Self.financeToken(w)
            var orders: [([String: Any], [String])] = []
            for _ in 0..<3 {
                let (order, tracking) = try await w.readyOrder()
                orders.append((try await Self.refreshed(w, order), tracking))
            }
            var t = Date().addingTimeInterval(-6 * 3600)
            func later() -> Date {
                t += 600
                return t
            }
            // Order 0: both delivered. Order 1: fish collected 10,000 short; honey fails three times and
            // goes back. Order 2: both delivered.
            for number in orders[0].1 { try await Self.deliver(w, number, order: orders[0].0, at: later()) }
            let fish1 = orders[1].1[0]
            try await Self.deliver(
                w, fish1, order: orders[1].0, collected: Self.cod(orders[1].0, fish1) - 10_000, at: later())
            let honey1 = orders[1].1[1]
            // Three attempts in three shifts (attempts within one shift count once), then back.
            let h = Date().addingTimeInterval(-45 * 3600)
            try await w.scan(honey1, "picked_up", at: h, status: .created)
            try await w.scan(
                honey1, "arrived_at_hub", at: h + 600, extra: ["post_office_id": w.office.uuidString],
                status: .created)
            for attempt in 0..<3 {
                let shift = h + Double(attempt) * 13 * 3600
                try await w.scan(honey1, "out_for_delivery", at: shift + 1200, status: .created)
                try await w.scan(
                    honey1, "delivery_failed", at: shift + 1800,
                    extra: ["reason_code": "recipient_absent", "reason": "Vắng nhà"], status: .created)
            }
            try await w.scan(honey1, "returned_to_sender", at: later(), status: .created)
            for number in orders[2].1 { try await Self.deliver(w, number, order: orders[2].0, at: later()) }
            try await Self.ledgerIsClean(api)

            let open = try await w.world.expect(.get, "/v1/cod/discrepancies?status=open", finance, status: .ok)
            let collection = try #require((open.json["items"] as? [[String: Any]])?.first)
            #expect(collection["amount_vnd"] as? Int == -10_000)
            #expect(collection["kind"] as? String == "collection")

            // Handover: the courier brings 5,000 less than it holds.
            let held =
                orders.flatMap { order, tracking in
                    tracking.filter { $0 != honey1 }.map { Self.cod(order, $0) }
                }.reduce(0, +) - 10_000
            let handover = try await w.world.expect(
                .post, "/v1/cod/handovers", w.clerk,
                json: ["courier_id": w.couriers[0].id, "counted_vnd": held - 5_000], status: .created)
            #expect(handover.json["expected_vnd"] as? Int == held)
            #expect(handover.json["difference_vnd"] as? Int == -5_000)
            #expect(handover.json["parcel_count"] as? Int == 5)
            try await w.world.expect(
                .post, "/v1/cod/handovers", w.clerk, json: ["courier_id": w.couriers[0].id, "counted_vnd": 0],
                status: .conflict)
            try await Self.ledgerIsClean(api)

            // Remittance: one line per supplier, net of the return charge.
            let run = try await w.world.expect(
                .post, "/v1/remittances", finance,
                json: ["cutoff_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))],
                status: .created)
            let lines = try #require(run.json["lines"] as? [[String: Any]])
            #expect(lines.count == 2)
            let fishLine = try #require(lines.first { $0["supplier_id"] as? String == w.world.supplier })
            let honeyLine = try #require(lines.first { $0["supplier_id"] as? String != w.world.supplier })
            #expect(fishLine["parcel_count"] as? Int == 3)
            #expect(honeyLine["parcel_count"] as? Int == 3)
            let expectedFish = try await OrderTests.count(
                api,
                """
                SELECT sum(p.items_total_vnd - p.cod_fee_vnd
                    - (SELECT sum((l.line_total_vnd * l.commission_bps + 5000) / 10000) FROM order_lines l
                       WHERE l.package_id = p.id))::int
                FROM packages p WHERE p.supplier_id = '\(w.world.supplier)' AND p.status = 'delivered'
                """)
            #expect(fishLine["amount_vnd"] as? Int == expectedFish)
            #expect((fishLine["vietqr_payload"] as? String)?.hasPrefix("000201") == true)
            try await w.world.expect(
                .post, "/v1/remittances", finance,
                json: ["cutoff_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))],
                status: .conflict)
            let batchID = try #require(run.json["id"] as? String)
            let file = try await w.world.expect(.get, "/v1/remittances/\(batchID)/bank-file", finance, status: .ok)
            #expect(file.text.contains("0123456789"))
            #expect(file.text.contains("\(expectedFish)"))

            // The fish line is paid; the honey line bounces and is paid in the next run.
            let fishLineID = try #require(fishLine["id"] as? String)
            let honeyLineID = try #require(honeyLine["id"] as? String)
            try await w.world.expect(
                .post, "/v1/remittances/\(batchID)/lines/\(fishLineID)/paid", finance,
                json: ["bank_reference": "FT001"],
                status: .ok)
            try await w.world.expect(
                .post, "/v1/remittances/\(batchID)/lines/\(fishLineID)/paid", finance,
                json: ["bank_reference": "FT001"],
                status: .conflict)
            try await w.world.expect(
                .post, "/v1/remittances/\(batchID)/lines/\(honeyLineID)/failed", finance,
                json: ["reason": "Sai số tài khoản"], status: .ok)
            try await Self.ledgerIsClean(api)
            let rerun = try await w.world.expect(
                .post, "/v1/remittances", finance,
                json: ["cutoff_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))],
                status: .created)
            let again = try #require((rerun.json["lines"] as? [[String: Any]])?.first)
            #expect(again["amount_vnd"] as? Int == honeyLine["amount_vnd"] as? Int)
            let rerunID = try #require(rerun.json["id"] as? String)
            let againID = try #require(again["id"] as? String)
            try await w.world.expect(
                .post, "/v1/remittances/\(rerunID)/lines/\(againID)/paid", finance, json: ["bank_reference": "FT002"],
                status: .ok)

            // The bank statement: one right, one with another amount, one unknown; importing it twice is a no-op.
            let honeyAmount = honeyLine["amount_vnd"] as? Int ?? 0
            let statement = """
                bank_reference,amount_vnd,value_date,description
                FT001,\(expectedFish),2026-11-27,CK lo 1
                FT002,\(honeyAmount + 1),2026-11-27,CK lo 2
                FT999,5000,2026-11-27,khong ro
                """
            let imported = try await api.request(
                .post, "/v1/finance/bank-statements", token: finance, raw: statement,
                headers: [.contentType: "text/csv"])
            #expect(imported.status == .created)
            let outcomes = (imported.json["rows"] as? [[String: Any]] ?? []).compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["matched", "amount_mismatch", "unmatched"])
            let twice = try await api.request(
                .post, "/v1/finance/bank-statements", token: finance, raw: statement,
                headers: [.contentType: "text/csv"])
            #expect(twice.status == .ok)
            #expect(twice.json["already_imported"] as? Bool == true)

            // Finance charges both shortages to the courier; it brings the 15,000.
            for item in try await w.world.expect(.get, "/v1/cod/discrepancies?status=open", finance, status: .ok)
                .json["items"] as? [[String: Any]] ?? []
            {
                let id = try #require(item["id"] as? String)
                try await w.world.expect(
                    .post, "/v1/cod/discrepancies/\(id)/comments", finance, json: ["body": "Bưu tá xác nhận thiếu"],
                    status: .created)
                try await w.world.expect(
                    .post, "/v1/cod/discrepancies/\(id)/resolve", finance, json: ["resolution": "charge_courier"],
                    status: .ok)
                try await w.world.expect(
                    .post, "/v1/cod/discrepancies/\(id)/resolve", finance, json: ["resolution": "write_off"],
                    status: .conflict)
            }
            try await Self.ledgerIsClean(api)
            let from = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-86400))
            let to = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3600))
            let report = try await w.world.expect(
                .get, "/v1/finance/reconciliation?from=\(from.q)&to=\(to.q)&group_by=courier", finance, status: .ok)
            let row = try #require((report.json["items"] as? [[String: Any]])?.first)
            #expect(row["parcels"] as? Int == 5)
            #expect(row["outstanding_vnd"] as? Int == 0)
            #expect(row["open_discrepancies"] as? Int == 0)
            #expect(row["collected_vnd"] as? Int == held)
            // The last page of the report says so, like every collection ("next_cursor": null), also
            // when the period holds nothing (schemathesis found the key missing there).
            #expect(report.json.keys.contains("next_cursor"))
            let empty = try await w.world.expect(
                .get, "/v1/finance/reconciliation?from=2026-06-30T02:00:00Z&to=2026-08-14T02:00:00Z&group_by=supplier",
                finance, status: .ok)
            #expect((empty.json["items"] as? [Any])?.isEmpty == true)
            #expect(empty.json.keys.contains("next_cursor") && empty.json["next_cursor"] is NSNull)
            let csv = try await api.request(
                .get, "/v1/finance/reconciliation?from=\(from.q)&to=\(to.q)&group_by=supplier", token: finance,
                headers: [.accept: "text/csv"])
            #expect(csv.status == .ok)
            #expect(csv.text.hasPrefix("supplier_id,name,parcels"))
            // Producers see their own remittances and the parcels each covers.
            let mine = try await w.world.expect(
                .get, "/v1/suppliers/\(w.world.supplier)/remittances", w.world.producer, status: .ok)
            let paid = try #require((mine.json["items"] as? [[String: Any]])?.first)
            #expect((paid["parcels"] as? [Any])?.count == 3)
            try await w.world.expect(
                .get, "/v1/suppliers/\(w.world.supplier)/remittances", w.honeyProducer, status: .notFound)
        }
    }
}
