import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// Sao kê ngân hàng: finance uploads the bank's statement (CSV) and sees which payouts it confirms: a
/// row whose reference and amount match a paid remittance line, a row for a paid line with another
/// amount, a second row for a line already matched, or a reference no payout has. The same file twice
/// changes nothing and shows the first import.
extension ConsoleSite {
    static let statementOutcomes: [String: String] = [
        "matched": "khớp", "amount_mismatch": "sai số tiền", "duplicate": "trùng (đã khớp trước đó)",
        "unmatched": "không có khoản chi nào với mã này",
    ]

    func statements(_ session: WebSession, problems: [String] = [], status: HTTPResponse.Status = .ok) async throws
        -> Response
    {
        let recent = try await services.statements.recent(limit: 20, caller: session.caller)
        var values: [String: Any] = [
            "user": session.header, "csrf": session.csrf,
            "items": recent.map { item in
                var row: [String: Any] = [
                    "id": item.id.uuidString.lowercased(), "at": VietnameseFormat.dateTime(item.importedAt),
                    "rows": item.rowCount, "matched": item.matched,
                ]
                if item.needsLook > 0 { row["needsLook"] = item.needsLook }
                return row
            },
        ]
        if !problems.isEmpty { values["problems"] = problems }
        return render("statements", values, status: status)
    }

    /// The upload: a file of at most 1 MB (about 10,000 rows), with the form's CSRF token.
    func importStatement(_ request: Request) async -> Response {
        await page(request) { session in
            try session.principal.require(.finance)
            let body: ByteBuffer
            do {
                body = try await request.body.collect(upTo: 1 << 20)
            } catch {
                return try await statements(
                    session, problems: ["Tệp lớn hơn 1 MB: hãy chia sao kê thành nhiều tệp."],
                    status: .contentTooLarge)
            }
            guard let form = MultipartForm(contentType: request.headers[.contentType], body: body) else {
                throw DomainError.badRequest(kind: "malformed-form", detail: "The form could not be read.")
            }
            guard CSRF.isValid(form[CSRF.field], forSecret: session.token.text) else {
                throw DomainError.forbidden("The form is stale or came from another site.")
            }
            guard let bytes = form.files["tep"], let text = String(validating: bytes, as: UTF8.self) else {
                return try await statements(
                    session, problems: ["Hãy chọn tệp CSV sao kê (UTF-8) của ngân hàng."], status: .unprocessableContent
                )
            }
            do {
                let result = try await services.statements.importCSV(text, caller: session.caller)
                return PageResponse.redirect(
                    to: "/console/sao-ke/\(result.id.uuidString.lowercased())?ket-qua="
                        + (result.alreadyImported ? "da-co" : "da-nhap"))
            } catch DomainError.validation(let fields) {
                // Every problem of the file with its row, so it is fixed in one pass.
                return try await statements(
                    session,
                    problems: fields.prefix(50).map {
                        $0.field.replacingOccurrences(of: "row ", with: "Dòng ") + ": " + $0.message
                    } + (fields.count > 50 ? ["… và \(fields.count - 50) lỗi nữa."] : []),
                    status: .unprocessableContent)
            }
        }
    }

    func statement(_ session: WebSession, id text: String?, result: String?) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else {
            throw DomainError.notFound("No bank statement with this id.")
        }
        let statement = try await services.statements.statement(id, caller: session.caller)
        let rows: [[String: Any]] = statement.rows.map { row in
            var item: [String: Any] = [
                "row": row.rowNo, "reference": row.bankReference, "amount": VietnameseFormat.money(row.amountVND),
                "outcome": Self.statementOutcomes[row.outcome] ?? row.outcome,
            ]
            if row.outcome != "matched" { item["look"] = true }
            return item
        }
        var values: [String: Any] = [
            "user": session.header, "rows": rows, "count": rows.count,
            "matched": statement.rows.filter { $0.outcome == "matched" }.count,
        ]
        switch result {
        case "da-nhap": values["notice"] = "Đã nhập sao kê."
        case "da-co": values["notice"] = "Tệp này đã được nhập trước đây: không có gì thay đổi, đây là kết quả lần đó."
        default: break
        }
        return render("statement", values)
    }
}
