import Foundation
import Kernel

/// One line of an imported bank statement.
public struct StatementRow: Sendable, Equatable {
    /// The row in the file, counting the header as row 1, as a spreadsheet numbers it.
    public var rowNo: Int
    public var bankReference: String
    public var amountVND: Int64
    /// `yyyy-MM-dd`, checked to be a real calendar date.
    public var valueDate: String
    public var description: String

    public init(rowNo: Int, bankReference: String, amountVND: Int64, valueDate: String, description: String) {
        self.rowNo = rowNo
        self.bankReference = bankReference
        self.amountVND = amountVND
        self.valueDate = valueDate
        self.description = description
    }
}

public struct StatementProblem: Sendable, Equatable, Error {
    public var rowNo: Int
    public var message: String

    public init(rowNo: Int, message: String) {
        self.rowNo = rowNo
        self.message = message
    }
}

/// Every problem of a statement file, so finance can fix the file in one pass rather than one error a try.
public struct StatementErrors: Error, Equatable {
    public var problems: [StatementProblem]

    public init(problems: [StatementProblem]) {
        self.problems = problems
    }
}

public enum BankStatementCSV {
    public static let maxRows = 10_000
    static let requiredColumns = ["bank_reference", "amount_vnd", "value_date"]

    /// Needs a header row naming `bank_reference`, `amount_vnd` and `value_date`, and optionally
    /// `description`, in any order and case; other columns are ignored, since banks add their own. Quoting
    /// is RFC 4180 (see ``CSVRecords``). A leading UTF-8 byte order mark is ignored. Blank lines are skipped
    /// but still counted, so row numbers match the spreadsheet's. Amounts are whole đồng above 0, as digits
    /// optionally grouped by "." or "," (one kind per amount, three digits a group); a decimal part is
    /// refused, not rounded: the đồng has none, so "1.5" is a typo, not an amount. Repeated bank
    /// references are returned as they are: telling a duplicate from a new payment is the matcher's job.
    ///
    /// Returns every row, or throws every problem found, each with its row. At most ``maxRows`` data rows
    /// are read; one more is a problem on that row.
    public static func parse(_ text: String) throws(StatementErrors) -> [StatementRow] {
        var scalars = Substring(text).unicodeScalars
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        let records = CSVRecords.read(scalars)
        guard let header = records.first, !header.isBlank else {
            throw StatementErrors(problems: [StatementProblem(rowNo: 1, message: "the header row is missing")])
        }
        let columns = try columnIndexes(header)
        var rows: [StatementRow] = []
        var problems: [StatementProblem] = []
        var dataRows = 0
        for record in records.dropFirst() where !record.isBlank {
            dataRows += 1
            guard dataRows <= maxRows else {
                problems.append(
                    StatementProblem(rowNo: record.rowNo, message: "more than \(maxRows) rows: split the statement"))
                break
            }
            var messages: [String] = []
            let row = parseRow(record, header.fields.count, columns, problems: &messages)
            problems += messages.map { StatementProblem(rowNo: record.rowNo, message: $0) }
            if let row { rows.append(row) }
        }
        guard problems.isEmpty else { throw StatementErrors(problems: problems) }
        return rows
    }

    private typealias Columns = (reference: Int, amount: Int, date: Int, description: Int?)

    private static func parseRow(
        _ record: CSVRecords.Record, _ width: Int, _ columns: Columns, problems: inout [String]
    ) -> StatementRow? {
        if let problem = record.problem {
            problems.append(problem)
            return nil
        }
        guard record.fields.count == width else {
            problems.append(
                "has \(record.fields.count) fields but the header has \(width)"
                    + " (text or an amount containing a comma must be in double quotes)")
            return nil
        }
        let reference = record.fields[columns.reference].trimmingCharacters(in: .whitespaces)
        if reference.isEmpty { problems.append("bank_reference is empty") }
        let amount = parseAmount(record.fields[columns.amount], problems: &problems)
        let date = record.fields[columns.date].trimmingCharacters(in: .whitespaces)
        if !isDate(date) { problems.append("value_date \"\(date)\" is not a real date written yyyy-MM-dd") }
        guard problems.isEmpty, let amount else { return nil }
        let description = columns.description.map { record.fields[$0].trimmingCharacters(in: .whitespaces) }
        return StatementRow(
            rowNo: record.rowNo, bankReference: reference, amountVND: amount, valueDate: date,
            description: description ?? "")
    }

    private static func columnIndexes(_ header: CSVRecords.Record) throws(StatementErrors) -> Columns {
        var problems: [StatementProblem] = []
        if let problem = header.problem { problems.append(StatementProblem(rowNo: 1, message: problem)) }
        var index: [String: Int] = [:]
        for (position, name) in header.fields.enumerated() {
            let name = name.trimmingCharacters(in: .whitespaces).lowercased()
            guard requiredColumns.contains(name) || name == "description" else { continue }
            if index[name] == nil {
                index[name] = position
            } else {
                problems.append(StatementProblem(rowNo: 1, message: "column \(name) appears more than once"))
            }
        }
        for name in requiredColumns where index[name] == nil {
            problems.append(StatementProblem(rowNo: 1, message: "column \(name) is missing"))
        }
        guard problems.isEmpty, let reference = index["bank_reference"], let amount = index["amount_vnd"],
            let date = index["value_date"]
        else { throw StatementErrors(problems: problems) }
        return (reference, amount, date, index["description"])
    }

    /// Whole đồng above 0: `1500000`, `1.500.000` or `1,500,000`.
    static func parseAmount(_ raw: String, problems: inout [String]) -> Int64? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        let separators = Set(text.utf8.filter { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ",") })
        let groups = text.utf8.split(separator: separators.first ?? 0, omittingEmptySubsequences: false)
        let isDigits = groups.allSatisfy { !$0.isEmpty && $0.allSatisfy { (0x30...0x39).contains($0) } }
        let isGrouped = groups.count == 1 || (groups[0].count <= 3 && groups.dropFirst().allSatisfy { $0.count == 3 })
        guard separators.count <= 1, isDigits, isGrouped else {
            problems.append(
                text.hasPrefix("-")
                    ? "amount_vnd \(text) must be greater than 0"
                    : "amount_vnd \"\(text)\" is not a whole number of đồng (digits, optionally grouped by . or ,)")
            return nil
        }
        guard let value = Int64(String(decoding: groups.joined(), as: UTF8.self)) else {
            problems.append("amount_vnd \(text) is too large")
            return nil
        }
        guard value > 0 else {
            problems.append("amount_vnd must be greater than 0")
            return nil
        }
        return value
    }

    /// `yyyy-MM-dd` naming a day of the (proleptic) Gregorian calendar, so 2026-02-29 is refused.
    static func isDate(_ text: String) -> Bool {
        CalendarDay(text, earliestYear: 1) != nil
    }
}

/// An RFC 4180 reader: fields split by commas, records by CRLF, LF or CR; a double-quoted field may hold
/// commas, line breaks and doubled quotes. Records are numbered from 1 as a spreadsheet numbers rows: blank
/// lines count, and a record whose quoted text spans lines is still one row. A malformed record is reported
/// rather than guessed at: text after a closing quote, or a quote never closed. A quote inside an unquoted
/// field is kept as text, as spreadsheets do, since it cannot shift the columns.
enum CSVRecords {
    struct Record: Equatable {
        var rowNo: Int
        var fields: [String]
        var problem: String?

        /// Blank lines, and the rows of empty cells spreadsheets write for formatted but empty rows.
        var isBlank: Bool { fields.allSatisfy { $0.allSatisfy(\.isWhitespace) } && problem == nil }
    }

    static func read(_ scalars: Substring.UnicodeScalarView) -> [Record] {
        var records: [Record] = []
        var record = Record(rowNo: 1, fields: [], problem: nil)
        var field = String.UnicodeScalarView()
        var fieldStarted = false
        var inQuotes = false
        var closedQuote = false
        var index = scalars.startIndex
        func endField() {
            record.fields.append(String(field))
            field = String.UnicodeScalarView()
            fieldStarted = false
            closedQuote = false
        }
        while index < scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            if inQuotes {
                if scalar != "\"" {
                    field.append(scalar)
                } else if index < scalars.endIndex, scalars[index] == "\"" {
                    field.append(scalar)
                    index = scalars.index(after: index)
                } else {
                    inQuotes = false
                    closedQuote = true
                }
                continue
            }
            switch scalar {
            case ",":
                endField()
            case "\r", "\n":
                if scalar == "\r", index < scalars.endIndex, scalars[index] == "\n" {
                    index = scalars.index(after: index)
                }
                endField()
                records.append(record)
                record = Record(rowNo: record.rowNo + 1, fields: [], problem: nil)
            case "\"" where !fieldStarted:
                inQuotes = true
                fieldStarted = true
            default:
                if closedQuote, record.problem == nil {
                    record.problem = "text follows a closing double quote (a quote inside quotes is written \"\")"
                }
                field.append(scalar)
                fieldStarted = true
            }
        }
        if inQuotes { record.problem = "a double-quoted field is never closed" }
        if fieldStarted || !record.fields.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}
