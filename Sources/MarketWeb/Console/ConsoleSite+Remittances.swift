import Foundation
import Hummingbird
import Kernel
import Logistics

/// Finance's payouts to sellers (issue 18, SPEC §6 "chi trả"): run a remittance up to now, download
/// the bank's batch file and the counter-cash list, and mark each line paid (with the bank's
/// reference) or failed (its money goes back to the seller's payable for the next run). Through the
/// same `RemittanceService` as the API.
extension ConsoleSite {
    static let lineStatus = ["pending": "chờ chi", "paid": "đã chi", "failed": "không chi được"]
    static let payoutMethod = ["bank_transfer": "chuyển khoản", "counter_cash": "nhận tại quầy"]

    func remittances(_ session: WebSession, result: String?) async throws -> Response {
        let runs = try await services.remittances.recent(limit: 30, caller: session.caller)
        let items: [[String: Any]] = runs.map { run in
            [
                "id": run.id.uuidString.lowercased(), "number": run.number,
                "cutoff": VietnameseFormat.dateTime(run.cutoffAt), "total": VietnameseFormat.money(run.totalVND),
                "lines": run.lines, "pending": run.pending, "paid": run.paid, "failed": run.failed,
                "hasFailed": run.failed > 0, "open": run.pending > 0,
            ]
        }
        var values: [String: Any] = ["user": session.header, "csrf": session.csrf, "items": items]
        if result == "khong-co" { values["notice"] = "Không có người bán nào có tiền cần chi trả đến lúc này." }
        return render("remittances", values)
    }

    /// Runs up to now; nothing payable is said on the list, not treated as an error.
    func runRemittance(_ session: WebSession, now: Date = Date()) async throws -> Response {
        guard let batch = try await services.remittances.run(cutoff: now, caller: session.caller, now: now) else {
            return PageResponse.redirect(to: "/console/chi-tra?ket-qua=khong-co")
        }
        return PageResponse.redirect(to: "/console/chi-tra/\(batch.id.uuidString.lowercased())?ket-qua=da-lap")
    }

    func remittance(_ session: WebSession, id text: String?, result: String?) async throws -> Response {
        let batch = try await services.remittances.get(try Self.batchID(text), caller: session.caller)
        let id = batch.id.uuidString.lowercased()
        let lines: [[String: Any]] = batch.lines.map { line in
            let bank = line.payoutMethod == "bank_transfer"
            var values: [String: Any] = [
                "id": line.id.uuidString.lowercased(), "no": line.lineNo, "supplier": line.supplierName,
                "method": Self.payoutMethod[line.payoutMethod] ?? line.payoutMethod,
                "account": bank
                    ? [line.bankName ?? line.bankBIN ?? "", line.accountNo ?? "", line.accountName ?? ""]
                        .filter { !$0.isEmpty }.joined(separator: " · ")
                    : (line.postOfficeName ?? ""),
                "amount": VietnameseFormat.money(line.amountVND), "parcels": line.parcelCount,
                "status": Self.lineStatus[line.status] ?? line.status, "pending": line.status == "pending",
                "bank": bank, "batch": id, "csrf": session.csrf,
            ]
            // Only when there is one: the templates' sections show an empty string too.
            if let reference = line.bankReference, !reference.isEmpty { values["reference"] = reference }
            if let reason = line.failureReason, !reason.isEmpty { values["reason"] = reason }
            return values
        }
        var values: [String: Any] = [
            "user": session.header, "id": id, "number": batch.number,
            "cutoff": VietnameseFormat.dateTime(batch.cutoffAt), "total": VietnameseFormat.money(batch.totalVND),
            "lines": lines, "hasBank": !batch.bankFileLines.isEmpty, "hasCounter": !batch.counterCashLines.isEmpty,
        ]
        switch result {
        case "da-lap":
            values["notice"] = "Đã lập đợt chi trả. Tải tệp cho ngân hàng, rồi ghi nhận từng dòng khi có kết quả."
        case "da-chi": values["notice"] = "Đã ghi nhận: đã chi."
        case "that-bai": values["notice"] = "Đã ghi nhận không chi được; số tiền sẽ vào đợt sau."
        default: break
        }
        return render("remittance", values)
    }

    func settleRemittanceLine(
        _ session: WebSession, batch text: String?, line lineText: String?, paid: Bool, fields: FormBody
    ) async throws -> Response {
        let batch = try Self.batchID(text)
        guard let lineText, let line = UUID(uuidString: lineText) else {
            throw DomainError.notFound("No remittance line with this id.")
        }
        let reference = fields["reference"].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap {
            $0.isEmpty ? nil : $0
        }
        if !paid { try Self.checkReason(fields["reason"]) }
        _ = try await services.remittances.settle(
            batch: batch, line: line, paid: paid, reference: reference, reason: paid ? nil : fields["reason"],
            caller: session.caller)
        return PageResponse.redirect(
            to: "/console/chi-tra/\(batch.uuidString.lowercased())?ket-qua=\(paid ? "da-chi" : "that-bai")")
    }

    func remittanceFile(_ session: WebSession, id text: String?, bank: Bool) async throws -> Response {
        let batch = try await services.remittances.get(try Self.batchID(text), caller: session.caller)
        return bank
            ? PageResponse.csv(
                BankBatchCSV.render(batchNumber: batch.number, lines: batch.bankFileLines),
                filename: "chi-tra-\(batch.number)-ngan-hang.csv")
            : PageResponse.csv(
                CounterCashList.csv(batchNumber: batch.number, lines: batch.counterCashLines),
                filename: "chi-tra-\(batch.number)-tai-quay.csv")
    }

    static func batchID(_ text: String?) throws(DomainError) -> UUID {
        guard let text, let id = UUID(uuidString: text) else { throw .notFound("No remittance batch with this id.") }
        return id
    }
}
