import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI
@testable import MarketWeb

/// Issue 18: finance imports the bank's statement in the console and sees which payouts it confirms.
@Suite("Console: bank statement import")
struct ConsoleStatementTests {
    typealias Browser = ConsoleTests.Browser

    @Test func financeUploadsAStatementAndSeesWhatMatched() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (placed, tracking) = try await w.readyOrder()
            let order = try await LedgerTests.refreshed(w, placed)
            for number in tracking { try await LedgerTests.deliver(w, number, order: order, at: Date()) }
            let (finance, _, _) = try await Browser.staff(w.world, role: "finance", office: nil)
            let start = try await finance.send(.get, "/console/sao-ke")
            #expect(start.status == .ok && start.text.contains("Chưa nhập sao kê nào."))
            let csrf = try #require(Browser.csrf(start))
            let run = try await finance.send(.post, "/console/chi-tra", form: ["csrf": csrf])
            let batch = String(
                try #require(run.headers[.location]).dropFirst("/console/chi-tra/".count).prefix { $0 != "?" })
            let lines = try await api.db.query(
                "SELECT id, amount_vnd FROM remittance_lines WHERE batch_id = \(UUID(uuidString: batch)) ORDER BY id"
            ).collect().decode((UUID, Int64).self).reduce(into: [(UUID, Int64)]()) { $0.append($1) }
            #expect(lines.count == 2)
            for (index, line) in lines.enumerated() {
                let paid = try await finance.send(
                    .post, "/console/chi-tra/\(batch)/dong/\(line.0.uuidString.lowercased())/da-chi",
                    form: ["csrf": csrf, "reference": "FT2634100\(index)"])
                #expect(paid.status == .seeOther)
            }
            // The bank's file: its own extra column, a BOM, amounts grouped with dots; the first line as paid,
            // the second for 1.000 đ less, and a transfer no payout has.
            let csv =
                "\u{FEFF}STT,bank_reference,amount_vnd,value_date,description\r\n"
                + "1,FT26341000,\(VietnameseFormat.money(lines[0].1).dropLast(2)),2026-12-07,\"Chi trả, đợt 1\"\r\n"
                + "2,FT26341001,\(lines[1].1 - 1000),2026-12-07,Chi trả\r\n"
                + "3,FT99999999,50000,2026-12-07,Khác\r\n"
            let uploaded = try await finance.upload(
                "/console/sao-ke", fields: ["csrf": csrf], file: ("tep", "saoke.csv", Array(csv.utf8)))
            #expect(uploaded.status == .seeOther)
            let location = try #require(uploaded.headers[.location])
            #expect(location.hasSuffix("?ket-qua=da-nhap"))
            let result = try await finance.send(.get, location)
            #expect(result.text.contains("3 dòng · 1 khớp"))
            #expect(result.text.contains("sai số tiền") && result.text.contains("không có khoản chi nào với mã này"))
            // The same file again: the first import, nothing new.
            let again = try await finance.upload(
                "/console/sao-ke", fields: ["csrf": csrf], file: ("tep", "saoke.csv", Array(csv.utf8)))
            #expect(again.headers[.location] == location.replacingOccurrences(of: "da-nhap", with: "da-co"))
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM bank_statements") == 1)
            let list = try await finance.send(.get, "/console/sao-ke")
            #expect(list.text.contains("3 dòng · 1 khớp") && list.text.contains("2 cần xem lại"))

            // A broken file: every problem with its row, nothing imported; no file; a stale form.
            let broken = "bank_reference,amount_vnd,value_date\nFT1,12.5,2026-02-30\n,100,2026-12-01\n"
            let refused = try await finance.upload(
                "/console/sao-ke", fields: ["csrf": csrf], file: ("tep", "x.csv", Array(broken.utf8)))
            #expect(refused.status == .unprocessableContent)
            #expect(refused.text.contains("Dòng 2:") && refused.text.contains("Dòng 3:"))
            let none = try await finance.upload("/console/sao-ke", fields: ["csrf": csrf], file: nil)
            #expect(none.status == .unprocessableContent && none.text.contains("Hãy chọn tệp CSV"))
            let stale = try await finance.upload(
                "/console/sao-ke", fields: ["csrf": "x"], file: ("tep", "saoke2.csv", Array("a".utf8)))
            #expect(stale.status == .forbidden)
            #expect(try await OrderTests.count(api, "SELECT count(*)::int FROM bank_statements") == 1)
            // Only finance: a clerk gets the not-allowed page, and another statement id is not found.
            let clerk = try await Browser.staff(w.world, role: "clerk", office: w.office).browser
            #expect(try await clerk.send(.get, "/console/sao-ke").status == .forbidden)
            #expect(try await finance.send(.get, "/console/sao-ke/\(UUID())").status == .notFound)
        }
    }
}
