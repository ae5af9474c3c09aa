import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// Khiếu nại at the post office: a clerk decides the disputes of complaints about parcels the office
/// delivered; its couriers fetch goods coming back from buyers, and the seller's office's couriers take
/// them to the seller (scanned like any parcel, through the courier's scan form).
extension ConsoleSite {
    func complaints(_ session: WebSession, result: String?) async throws -> Response {
        let principal = session.principal
        try principal.require(.clerk, .courier)
        let page = try await services.complaints.list(status: nil, limit: 100, after: nil, caller: session.caller)
        let clerkOffices = principal.postOfficeIDs(as: .clerk)
        let courierOffices = principal.postOfficeIDs(as: .courier)
        func base(_ complaint: Complaint) -> [String: Any] {
            [
                "id": complaint.id.uuidString.lowercased(), "number": complaint.number,
                "package": complaint.packageNumber, "tracking": complaint.trackingNo ?? "—",
                "supplier": complaint.supplierName,
                "reason": ShopWords.complaintReason(complaint.reason).capitalizedFirst,
                "description": complaint.description, "claimed": VietnameseFormat.money(complaint.claimedVND),
                "filed": VietnameseFormat.dateTime(complaint.createdAt), "csrf": session.csrf,
                "photos": complaint.photoURLs.enumerated().map { ["url": $0.element, "n": $0.offset + 1] },
                "lines": complaint.lines.map {
                    [
                        "title": $0.title, "variant": $0.variantName, "quantity": $0.quantity,
                        "amount": VietnameseFormat.money($0.amountVND),
                    ]
                },
            ]
        }
        // A clerk decides only where neither the buyer nor a member of the seller (the service says so too).
        let disputes = page.items.filter {
            $0.status == .disputed && (principal.isAdmin || clerkOffices.contains($0.postOfficeID))
        }.map { complaint -> [String: Any] in
            var row = base(complaint)
            row["sellerSays"] = complaint.answerNote ?? ""
            return row
        }
        // Goods coming back: fetched from the buyer by the delivering office, handed to the seller by the seller's.
        func carried(_ complaint: Complaint, from party: ComplaintParty) -> [String: Any] {
            var row = base(complaint)
            row["returnTracking"] = complaint.returnTrackingNo ?? ""
            row["who"] = party.name
            row["phone"] = VietnameseFormat.phone(party.phone)
            row["address"] = [party.addressLine, party.place].filter { !$0.isEmpty }.joined(separator: ", ")
            row["event"] = UUID().uuidString.lowercased()
            return row
        }
        let pickups = page.items.filter {
            $0.returnStatus == .awaitingPickup && (principal.isAdmin || courierOffices.contains($0.postOfficeID))
        }.map { carried($0, from: $0.buyer) }
        let deliveries = page.items.filter {
            $0.returnStatus == .pickedUp && (principal.isAdmin || courierOffices.contains($0.sellerOfficeID))
        }.map { complaint -> [String: Any] in
            var row = carried(complaint, from: complaint.seller)
            // Still at the delivering office: the seller's office scans it in when it arrives, and its
            // pickup rounds hand it back from then on.
            if complaint.returnAtPostOfficeID != complaint.sellerOfficeID {
                row["arrive"] = true
                row["arriveEvent"] = UUID().uuidString.lowercased()
            }
            return row
        }
        var values: [String: Any] = [
            "user": session.header, "disputes": disputes, "pickups": pickups, "deliveries": deliveries,
            "decides": principal.isAdmin || !clerkOffices.isEmpty,
            "carries": principal.isAdmin || !courierOffices.isEmpty,
        ]
        switch result {
        case "da-quyet-dinh": values["notice"] = "Đã quyết định. Người mua và người bán được báo kết quả."
        case "da-ghi": values["notice"] = "Đã ghi nhận quét mã hàng hoàn."
        default: break
        }
        return render("complaints", values)
    }

    func decideComplaint(_ session: WebSession, id text: String?, fields: FormBody) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else {
            throw DomainError.notFound("No complaint with this id.")
        }
        let decision = fields["quyet-dinh"] ?? ""
        let refund = decision.hasPrefix("hoan")
        let liable: ComplaintLiability? =
            switch decision {
            case "hoan-nguoi-ban", "hoan-tra-hang": .seller
            case "hoan-buu-dien": .postOffice
            default: nil
            }
        guard refund ? liable != nil : decision == "tu-choi" else {
            throw DomainError.invalid("decision", "must be one of the choices")
        }
        _ = try await services.complaints.decide(
            id, refund: refund, liable: liable, returnGoods: decision == "hoan-tra-hang",
            note: (fields["ghi-chu"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines), caller: session.caller)
        return PageResponse.redirect(to: "/console/khieu-nai?ket-qua=da-quyet-dinh")
    }
}
