import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// Chênh lệch: cash that did not match (a count at the counter, or a collection unlike the parcel's
/// COD). A clerk sees its office's; finance sees all and settles each with the ledger posting its
/// choice makes (the service refuses a choice that does not fit, such as charging a courier for cash
/// he brought too much of).
extension ConsoleSite {
    static let resolutionNames: [DiscrepancyResolution: String] = [
        .chargeCourier: "Bưu tá bồi hoàn số tiền thiếu", .writeOff: "Ghi nhận vào chi phí / thu nhập của bưu điện",
        .refundBuyer: "Trả lại người mua số tiền thừa",
    ]

    func discrepancies(_ session: WebSession, all: Bool, result: String?) async throws -> Response {
        let items = try await services.discrepancies.list(status: all ? nil : "open", caller: session.caller)
        let settles = session.principal.has(.finance)
        let rows: [[String: Any]] = items.map { item in
            var row: [String: Any] = [
                "id": item.id.uuidString.lowercased(),
                "what": item.amountVND < 0
                    ? "Thiếu tiền " + VietnameseFormat.money(-item.amountVND)
                    : "Thừa tiền " + VietnameseFormat.money(item.amountVND),
                "kind": item.kind == "handover" ? "Khi nộp tiền thu hộ" : "Khi thu hộ của người nhận",
                "courier": item.courierName ?? "—", "office": item.postOfficeName ?? "—",
                "day": VietnameseFormat.date(isoDay: item.businessDay),
                "opened": VietnameseFormat.dateTime(item.openedAt),
            ]
            if item.status == "open" {
                row["open"] = true
                if settles {
                    row["choices"] = DiscrepancyResolution.allCases.filter {
                        $0.transaction(amount: item.amountVND, courier: item.courierID) != nil
                    }.map { ["value": $0.rawValue, "label": Self.resolutionNames[$0] ?? $0.rawValue] }
                    row["csrf"] = session.csrf
                    row["hasChoices"] = true
                }
            } else {
                row["resolution"] =
                    item.resolution.flatMap(DiscrepancyResolution.init(rawValue:)).flatMap {
                        Self.resolutionNames[$0]
                    } ?? "Đã xử lý"
                if let at = item.resolvedAt { row["resolved"] = VietnameseFormat.dateTime(at) }
            }
            return row
        }
        var values: [String: Any] = ["user": session.header, "items": rows]
        if all { values["all"] = true }
        if !settles { values["readOnly"] = true }
        if result == "da-xu-ly" { values["notice"] = "Đã xử lý chênh lệch và ghi bút toán điều chỉnh vào sổ cái." }
        return render("discrepancies", values)
    }

    func resolveDiscrepancy(_ session: WebSession, id text: String?, fields: FormBody) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else {
            throw DomainError.notFound("No discrepancy with this id.")
        }
        guard let resolution = DiscrepancyResolution(rawValue: fields["cach"] ?? "") else {
            throw DomainError.invalid("resolution", "must be one of the choices")
        }
        let note = (fields["ghi-chu"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try await services.discrepancies.resolve(
            id, resolution, note: note.isEmpty ? nil : note, caller: session.caller)
        return PageResponse.redirect(to: "/console/chenh-lech?ket-qua=da-xu-ly")
    }
}
