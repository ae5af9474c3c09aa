import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 18: finance pays sellers from the console: a run, its two files, each line paid or failed.
@Suite("Console: remittance runs, their files, lines paid or failed")
struct ConsoleRemittanceTests {
    @Test func financeRunsARemittanceDownloadsItsFilesAndSettlesEachLine() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            // The honey producer is paid at the counter, the fish one by bank transfer.
            try await LedgerTests.payHoneyAtCounter(w)
            let (placed, tracking) = try await w.readyOrder()
            let order = try await LedgerTests.refreshed(w, placed)
            for number in tracking { try await LedgerTests.deliver(w, number, order: order, at: Date()) }
            let (finance, _, _) = try await ConsoleTests.Browser.staff(w.world, role: "finance", office: nil)

            let empty = try await finance.send(.get, "/console/chi-tra")
            #expect(empty.text.contains("Chưa có đợt chi trả nào"))
            let csrf = try #require(ConsoleTests.Browser.csrf(empty))
            let run = try await finance.send(.post, "/console/chi-tra", form: ["csrf": csrf])
            #expect(run.status == .seeOther)
            let location = try #require(run.headers[.location])
            #expect(location.hasPrefix("/console/chi-tra/") && location.hasSuffix("?ket-qua=da-lap"))
            // Nothing left to pay: a second run says so and makes no batch.
            let again = try await finance.send(.post, "/console/chi-tra", form: ["csrf": csrf])
            #expect(again.headers[.location] == "/console/chi-tra?ket-qua=khong-co")
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM remittance_batches") == 1)

            let page = try await finance.send(.get, location)
            #expect(page.status == .ok)
            #expect(page.text.contains("HTX Mật ong") && page.text.contains("nhận tại quầy"))
            #expect(page.text.contains("chuyển khoản") && page.text.contains("chờ chi"))
            let batch = String(location.dropFirst("/console/chi-tra/".count).prefix { $0 != "?" })
            let bankFile = try await finance.send(.get, "/console/chi-tra/\(batch)/ngan-hang.csv")
            #expect(bankFile.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(Array(bankFile.text.utf8.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(!bankFile.text.contains("HTX Mật ong"))
            let counter = try await finance.send(.get, "/console/chi-tra/\(batch)/tai-quay.csv")
            #expect(counter.text.contains("HTX Mật ong"))

            let lines = try await api.db.query(
                "SELECT id, payout_method FROM remittance_lines WHERE batch_id = \(UUID(uuidString: batch))"
            ).collect().decode((UUID, String).self).reduce(into: [String: String]()) {
                $0[$1.1] = $1.0.uuidString.lowercased()
            }
            let bankLine = try #require(lines["bank_transfer"])
            let counterLine = try #require(lines["counter_cash"])
            let paid = try await finance.send(
                .post, "/console/chi-tra/\(batch)/dong/\(bankLine)/da-chi",
                form: ["csrf": csrf, "reference": "FT26341000123"])
            #expect(paid.headers[.location] == "/console/chi-tra/\(batch)?ket-qua=da-chi")
            // Paid once: the same form again is a conflict page, and nothing changes.
            let twice = try await finance.send(
                .post, "/console/chi-tra/\(batch)/dong/\(bankLine)/da-chi",
                form: ["csrf": csrf, "reference": "FT26341000124"])
            #expect(twice.status == .conflict)
            let noReason = try await finance.send(
                .post, "/console/chi-tra/\(batch)/dong/\(counterLine)/that-bai", form: ["csrf": csrf, "reason": " "])
            #expect(noReason.status == .unprocessableContent)
            let failed = try await finance.send(
                .post, "/console/chi-tra/\(batch)/dong/\(counterLine)/that-bai",
                form: ["csrf": csrf, "reason": "Người bán không đến nhận"])
            #expect(failed.status == .seeOther)
            let after = try await finance.send(.get, "/console/chi-tra/\(batch)")
            #expect(after.text.contains("đã chi · mã giao dịch FT26341000123"))
            #expect(after.text.contains("không chi được · Người bán không đến nhận"))
            // The failed line's money is payable again: the next run pays it.
            let next = try await finance.send(.post, "/console/chi-tra", form: ["csrf": csrf])
            #expect(next.headers[.location]?.hasSuffix("?ket-qua=da-lap") == true)
            let list = try await finance.send(.get, "/console/chi-tra")
            #expect(list.text.components(separatedBy: "<article class=\"card\">").count - 1 == 2)
            try await LedgerTests.ledgerIsClean(api)
        }
    }
}
