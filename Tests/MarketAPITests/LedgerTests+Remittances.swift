import Catalog
import Foundation
import HTTPTypes
import Logistics
import PostgresNIO
import Testing

@testable import MarketAPI

/// Remittances: counter-cash payouts and concurrent runs.
extension LedgerTests {
    @Test func suppliersPaidAtTheCounterAreListedAndPaidFromThePostOfficesCash() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await Self.financeToken(w)
            try await Self.payHoneyAtCounter(w)
            let (order, tracking) = try await w.readyOrder()
            let fresh = try await Self.refreshed(w, order)
            for number in tracking {
                try await Self.deliver(w, number, order: fresh, at: Date().addingTimeInterval(-3600))
            }
            let run = try await w.world.expect(
                .post, "/v1/remittances", finance,
                json: ["cutoff_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))], status: .created
            )
            let batch = try #require(run.json["id"] as? String)
            let lines = try #require(run.json["lines"] as? [[String: Any]])
            let counter = try #require(lines.first { $0["payout_method"] as? String == "counter_cash" })
            #expect(counter["vietqr_payload"] == nil)
            let cashList = try await w.world.expect(
                .get, "/v1/remittances/\(batch)/counter-cash", finance, status: .ok)
            #expect(cashList.text.contains("HTX Mật ong"))
            #expect(cashList.text.contains("\(counter["amount_vnd"] as? Int ?? -1)"))
            let bankFile = try await w.world.expect(.get, "/v1/remittances/\(batch)/bank-file", finance, status: .ok)
            #expect(!bankFile.text.contains("HTX Mật ong"))
            // Paid at the counter: no bank reference needed, and the cash leaves the post office's till.
            let lineID = try #require(counter["id"] as? String)
            try await w.world.expect(
                .post, "/v1/remittances/\(batch)/lines/\(lineID)/paid", finance, json: [:] as [String: Any],
                status: .ok)
            #expect(
                try await OrderTests.count(
                    api,
                    """
                    SELECT balance_vnd::int FROM ledger_accounts
                    WHERE kind = 'post_office_cash' AND owner_id = '\(w.office)'
                    """) == -(counter["amount_vnd"] as? Int ?? 0))
            try await Self.ledgerIsClean(api)
        }
    }

    @Test func concurrentRemittanceRunsNeverPayAParcelTwice() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let finance = try await Self.financeToken(w)
            var delivered = 0
            for index in 0..<2 {
                let (order, tracking) = try await w.readyOrder()
                let fresh = try await Self.refreshed(w, order)
                for number in tracking {
                    try await Self.deliver(
                        w, number, order: fresh, at: Date().addingTimeInterval(Double(-7200 + index * 900)))
                    delivered += 1
                }
            }
            let cutoff = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        Int(
                            try await api.request(.post, "/v1/remittances", token: finance, json: ["cutoff_at": cutoff])
                                .status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 5)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM remittance_parcels") == delivered)
            try await Self.ledgerIsClean(api)
        }
    }

    @Test func aParcelIsDeliveredAndPostedOnceWhateverTheScans() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let fresh = try await Self.refreshed(w, order)
            let number = tracking[0]
            try await Self.outForDelivery(w, number, at: Date().addingTimeInterval(-3600))
            let cod = Self.cod(fresh, number)
            let code = fresh["delivery_code"] as? String ?? ""
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<8 {
                    group.addTask {
                        Int(
                            try await w.scan(
                                number, "delivered", at: Date().addingTimeInterval(Double(-1800 + index)),
                                extra: [
                                    "cod_collected_vnd": cod, "recipient_name": "Nguyễn Thị Mai", "delivery_code": code,
                                ]
                            ).status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 1)
            #expect(statuses.filter { $0 == 409 }.count == 7)
            #expect(
                try await OrderTests.count(
                    api, "SELECT count(*)::int FROM ledger_transactions WHERE kind = 'cod_collection'") == 1)
            try await Self.ledgerIsClean(api)
            // The database refuses a second collection for the parcel and any change to a posting.
            await #expect(throws: PSQLError.self) {
                try await api.db.query("UPDATE ledger_entries SET amount_vnd = amount_vnd + 1")
            }
            await #expect(throws: PSQLError.self) { try await api.db.query("DELETE FROM ledger_transactions") }
        }
    }
}
