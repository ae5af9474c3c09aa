import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// The counter at the end of a round: a courier hands in the cash collected. The clerk sees what the
/// ledger says the courier holds, types what was counted, sees the difference before confirming, and
/// the confirmation names exactly the parcels shown (a delivery recorded meanwhile waits for the next
/// count). A difference opens a discrepancy that finance settles.
extension ConsoleSite {
    func handovers(_ session: WebSession, office chosen: String?, result: String?) async throws -> Response {
        let (offices, office) = try await dispatchOffices(session, chosen: chosen)
        let couriers = try await services.couriers.list(postOffice: office.id, caller: session.caller)
            .sorted { VietnameseOrder.precedes($0.displayName, $1.displayName) }
        var rows: [[String: Any]] = []
        for courier in couriers where courier.id != session.principal.userID {
            let held = try await services.handovers.held(courier: courier.id, caller: session.caller)
            var row: [String: Any] = [
                "id": courier.id.uuidString.lowercased(), "name": courier.displayName, "parcels": held.count,
                "amount": VietnameseFormat.money(held.reduce(0) { $0 + $1.codVND }),
            ]
            if let oldest = held.first { row["since"] = VietnameseFormat.dateTime(oldest.collectedAt) }
            if !held.isEmpty { row["holds"] = true }
            rows.append(row)
        }
        var values: [String: Any] = [
            "user": session.header, "office": office.name, "officeID": office.id.uuidString.lowercased(),
            "couriers": rows,
        ]
        if !rows.isEmpty { values["hasCouriers"] = true }
        values.merge(Self.officeChoice(offices, chosen: office)) { $1 }
        switch result {
        case "khop": values["notice"] = "Đã nhận tiền thu hộ: khớp với sổ cái."
        case "chenh-lech":
            values["notice"] = "Đã nhận tiền thu hộ và mở một chênh lệch; kế toán xử lý ở trang Chênh lệch."
        default: break
        }
        return render("handovers", values)
    }

    /// The count for one courier: the parcels and the expected total; with `so-tien`, the difference and
    /// the button that records it.
    func handoverCount(_ session: WebSession, courier text: String?, counted countedText: String?) async throws
        -> Response
    {
        try session.principal.require(.clerk)
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No courier with this id.") }
        let courier = try await clerksCourier(session, id: id)
        let held = try await services.handovers.held(courier: id, caller: session.caller)
        let expected = held.reduce(Int64(0)) { $0 + $1.codVND }
        var values: [String: Any] = [
            "user": session.header, "csrf": session.csrf, "courier": courier.displayName,
            "id": id.uuidString.lowercased(), "officeID": courier.postOfficeID.uuidString.lowercased(),
            "expected": VietnameseFormat.money(expected), "count": held.count,
            "parcels": held.map {
                [
                    "tracking": $0.trackingNo, "amount": VietnameseFormat.money($0.codVND),
                    "at": VietnameseFormat.recentDateTime($0.collectedAt),
                ]
            },
        ]
        if held.isEmpty { values["nothing"] = true }
        if id == session.principal.userID { values["self"] = true }
        if let countedText, !countedText.isEmpty, !held.isEmpty {
            let counted = try Self.amount(countedText)
            let difference = counted - expected
            values["counted"] = VietnameseFormat.money(counted)
            values["countedValue"] = String(counted)
            values["trackingList"] = held.map(\.trackingNo).joined(separator: " ")
            if difference == 0 {
                values["matches"] = true
            } else {
                values["difference"] =
                    (difference < 0 ? "Thiếu tiền " : "Thừa tiền ") + VietnameseFormat.money(abs(difference))
            }
        }
        return render("handover", values)
    }

    /// Records the count for exactly the parcels the clerk saw, then back to the office's couriers.
    func recordHandover(_ session: WebSession, courier text: String?, fields: FormBody) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No courier with this id.") }
        let counted = try Self.amount(fields["so-tien"] ?? "")
        let tracking = (fields["van-don"] ?? "").split(separator: " ").map(String.init)
        guard !tracking.isEmpty else { throw DomainError.invalid("tracking_numbers", "must list the parcels counted") }
        let handover = try await services.handovers.record(
            courier: id, trackingNumbers: tracking, countedVND: counted, caller: session.caller)
        return PageResponse.redirect(
            to: "/console/nop-tien?buu-cuc=\(handover.postOfficeID.uuidString.lowercased())&ket-qua="
                + (handover.discrepancyID == nil ? "khop" : "chenh-lech"))
    }

    /// An amount of đồng as a clerk types it: digits, with or without dots or spaces between thousands.
    static func amount(_ text: String, field: String = "counted_vnd") throws(DomainError) -> Int64 {
        let digits = text.filter { $0 != "." && $0 != " " && $0 != "\u{00A0}" }
        guard !digits.isEmpty, digits.count <= 13, digits.allSatisfy({ ("0"..."9").contains($0) }),
            let value = Int64(digits), value >= 0
        else { throw .invalid(field, "must be a whole number (đồng, grams)") }
        return value
    }
}
