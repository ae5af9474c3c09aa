import Foundation
import Testing

@testable import Logistics

@Suite("Remittance batch files and bank statement imports")
struct BankFilesTests {
    static let line = BankBatchLine(
        lineNo: 1, bankBIN: "970415", bankName: "VietinBank", accountNo: "0011001932418",
        accountName: "HTX NONG SAN TAM KY", amountVND: 120_000, description: "CBD RB-2611-001 dong 1")

    @Test func batchIsCRLFWithoutBOMAndKeepsLeadingZeros() throws {
        let csv = BankBatchCSV.render(batchNumber: "RB-2611-001", lines: [Self.line])
        #expect(!csv.hasPrefix("\u{FEFF}"))
        #expect(csv.hasSuffix("\r\n"))
        let rows = csv.components(separatedBy: "\r\n")
        #expect(rows.count == 3 && rows[2].isEmpty)
        #expect(
            rows[0]
                == "batch_no,line_no,bank_bin,bank_name,account_no,account_name,amount_vnd,description,vietqr_payload")
        let qr = try VietQR.payload(
            bankBIN: "970415", accountNo: "0011001932418", amountVND: 120_000, description: "CBD RB-2611-001 dong 1")
        #expect(
            rows[1]
                == "RB-2611-001,1,970415,VietinBank,0011001932418,HTX NONG SAN TAM KY,120000,CBD RB-2611-001 dong 1,"
                + qr)
    }

    @Test func textIsQuotedAndMadeInert() {
        var line = Self.line
        line.accountName = "=HYPERLINK(\"http://x\",\"pay\")"
        line.bankName = "Ngân hàng Công Thương, CN Tam Kỳ"
        line.description = "-500 \"tiền\" trả"
        line.amountVND = -5
        let row = BankBatchCSV.render(batchNumber: "@B1", lines: [line]).components(separatedBy: "\r\n")[1]
        #expect(row.hasPrefix("'@B1,1,970415,\"Ngân hàng Công Thương, CN Tam Kỳ\",0011001932418,"))
        #expect(row.contains(",\"'=HYPERLINK(\"\"http://x\"\",\"\"pay\"\")\","))
        // Numbers stay numbers; a bad amount makes no QR rather than a wrong one.
        #expect(row.hasSuffix(",-5,\"'-500 \"\"tiền\"\" trả\","))
    }

    @Test func lineThatCannotMakeAQRHasAnEmptyCell() {
        var line = Self.line
        line.bankBIN = "VTB"
        let row = BankBatchCSV.render(batchNumber: "B", lines: [line]).components(separatedBy: "\r\n")[1]
        #expect(row.hasSuffix(",CBD RB-2611-001 dong 1,"))
    }

    @Test func counterCashListIsForExcel() {
        let csv = CounterCashList.csv(
            batchNumber: "RB-2611-001",
            lines: [
                CounterCashLine(
                    lineNo: 2, supplierName: "Hộ Nguyễn Văn Sáu", phone: "+84905123456",
                    postOfficeName: "Bưu cục Tam Kỳ", amountVND: 350_000)
            ])
        #expect(
            csv
                == "\u{FEFF}batch_no,line_no,supplier_name,phone,post_office_name,amount_vnd\r\n"
                + "RB-2611-001,2,Hộ Nguyễn Văn Sáu,'+84905123456,Bưu cục Tam Kỳ,350000\r\n")
    }

    // MARK: statements

    @Test func goodStatement() throws {
        let text = """
            bank_reference,amount_vnd,value_date,description
            FT26331001,585000,2026-11-27,CBD RB-2611-001 dong 1
            FT26331002,"1,270,000",2026-11-27,"Thanh toán, dòng 2"
            FT26331003,1.500.000,2026-11-28,"He said ""paid""
            on two lines"

            FT26331004, 999 ,2024-02-29,
            ,,,
            """
        let rows = try BankStatementCSV.parse(text)
        #expect(
            rows == [
                StatementRow(
                    rowNo: 2, bankReference: "FT26331001", amountVND: 585_000, valueDate: "2026-11-27",
                    description: "CBD RB-2611-001 dong 1"),
                StatementRow(
                    rowNo: 3, bankReference: "FT26331002", amountVND: 1_270_000, valueDate: "2026-11-27",
                    description: "Thanh toán, dòng 2"),
                StatementRow(
                    rowNo: 4, bankReference: "FT26331003", amountVND: 1_500_000, valueDate: "2026-11-28",
                    description: "He said \"paid\"\non two lines"),
                StatementRow(
                    rowNo: 6, bankReference: "FT26331004", amountVND: 999, valueDate: "2024-02-29", description: ""),
            ])
    }

    @Test func bomCRLFAnyColumnOrderAndExtraColumns() throws {
        let text =
            "\u{FEFF}Value_Date,Branch,AMOUNT_VND,Bank_Reference\r\n2026-11-27,Tam Ky,585000,FT1\r\n"
            + "2026-11-28,Hoi An,\"2.000\",FT2"
        let rows = try BankStatementCSV.parse(text)
        #expect(rows.map(\.bankReference) == ["FT1", "FT2"])
        #expect(rows.map(\.amountVND) == [585_000, 2_000])
        #expect(rows.map(\.valueDate) == ["2026-11-27", "2026-11-28"])
        #expect(rows.allSatisfy { $0.description.isEmpty })
        #expect(rows.map(\.rowNo) == [2, 3])
    }

    @Test func repeatedReferencesAreLeftToTheMatcher() throws {
        let rows = try BankStatementCSV.parse(
            "bank_reference,amount_vnd,value_date\nFT1,5,2026-11-27\nFT1,5,2026-11-27\n")
        #expect(rows.count == 2)
    }

    @Test func headerProblems() {
        #expect(throws: StatementErrors(problems: [StatementProblem(rowNo: 1, message: "the header row is missing")])) {
            try BankStatementCSV.parse("")
        }
        #expect(throws: StatementErrors(problems: [StatementProblem(rowNo: 1, message: "the header row is missing")])) {
            try BankStatementCSV.parse("\u{FEFF}\r\nbank_reference,amount_vnd,value_date\r\n")
        }
        #expect(
            throws: StatementErrors(problems: [
                StatementProblem(rowNo: 1, message: "column amount_vnd appears more than once"),
                StatementProblem(rowNo: 1, message: "column value_date is missing"),
            ])
        ) {
            try BankStatementCSV.parse("bank_reference,amount_vnd,Amount_VND\nFT1,5,5\n")
        }
    }

    @Test func everyRowProblemIsReportedWithItsRow() throws {
        let text = [
            "bank_reference,amount_vnd,value_date,description",
            "FT01,585000,2026-11-27,ok",  // 2
            "FT02,1,500,000,2026-11-27,unquoted commas",  // 3
            ",585000,2026-11-27,no reference",  // 4
            "FT04,1.5,2026-11-27,decimal",  // 5
            "FT05,\"1.500,000\",2026-11-27,mixed separators",  // 6
            "FT06,-500,2026-11-27,negative",  // 7
            "FT07,0,2026-11-27,zero",  // 8
            "FT08,99999999999999999999,2026-11-27,too large",  // 9
            "FT09,abc,2026-02-29,not a number and not a leap year",  // 10
            "FT10,5,2026-13-01,month 13",  // 11
            "FT11,5,27/11/2026,wrong form",  // 12
            "FT12,5,2026-11-27,\"closed\" then text",  // 13
            "FT13,5,,",  // 14
            "FT14,5,2026-11-27,\"never closed",  // 15
            "FT15,5,2026-11-27,swallowed by the open quote",
        ].joined(separator: "\n")
        let error = try #require(throws: StatementErrors.self) { try BankStatementCSV.parse(text) }
        #expect(
            error.problems.map(\.rowNo) == [3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13, 14, 15])
        let messages = Dictionary(grouping: error.problems, by: \.rowNo).mapValues { $0.map(\.message) }
        #expect(messages[3]?.first?.hasPrefix("has 6 fields but the header has 4") == true)
        #expect(messages[4] == ["bank_reference is empty"])
        #expect(messages[5]?.first?.contains("not a whole number") == true)
        #expect(messages[6]?.first?.contains("not a whole number") == true)
        #expect(messages[7] == ["amount_vnd -500 must be greater than 0"])
        #expect(messages[8] == ["amount_vnd must be greater than 0"])
        #expect(messages[9] == ["amount_vnd 99999999999999999999 is too large"])
        #expect(messages[10]?.count == 2)
        #expect(messages[11] == ["value_date \"2026-13-01\" is not a real date written yyyy-MM-dd"])
        #expect(messages[13]?.first?.hasPrefix("text follows a closing double quote") == true)
        #expect(messages[15] == ["a double-quoted field is never closed"])
    }

    @Test func atMostTenThousandRows() throws {
        let header = "bank_reference,amount_vnd,value_date\r\n"
        let full = header + (1...10_000).map { "FT\($0),1000,2026-11-27\r\n" }.joined()
        #expect(try BankStatementCSV.parse(full).count == 10_000)
        let error = try #require(throws: StatementErrors.self) {
            try BankStatementCSV.parse(full + "FT10001,1000,2026-11-27\r\n" + "FT10002,1000,2026-11-27\r\n")
        }
        #expect(error.problems.map(\.rowNo) == [10_002])
    }

    @Test(arguments: ["2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01"])
    func realDates(_ text: String) {
        #expect(BankStatementCSV.isDate(text))
    }

    @Test(arguments: ["1900-02-29", "2026-04-31", "2026-00-10", "2026-01-00", "0000-01-01", "2026-1-01", "２026-01-01"])
    func notRealDates(_ text: String) {
        #expect(!BankStatementCSV.isDate(text))
    }
}
