import Foundation
import Hummingbird
import Kernel
import Logistics

/// A shop's complaints: what the buyer says, the photos, the goods and the amount; accept (the goods back or
/// not) or disagree with a reason, before the deadline.
extension ShopSite {
    func sellerComplaints(_ visitor: ShopVisitor, supplier text: String?, result: String?) async throws -> Response {
        let (session, view) = try await sellerShop(visitor, text)
        // A producer of several shops sees them all in the list; this page shows this shop's.
        let page = try await services.complaints.list(status: nil, limit: 100, after: nil, caller: session.caller)
        let items: [[String: Any]] = page.items.filter { $0.supplierID == view.supplier.id }.map { complaint in
            var values = complaintSummary(complaint)
            values["id"] = complaint.id.uuidString.lowercased()
            values["package"] = complaint.packageNumber
            values["order"] = complaint.orderNumber
            values["filed"] = VietnameseFormat.dateTime(complaint.createdAt)
            values["description"] = complaint.description
            values["photos"] = complaint.photoURLs.enumerated().map { ["url": $0.element, "n": $0.offset + 1] }
            values["lines"] = complaint.lines.map {
                [
                    "title": $0.title, "variant": $0.variantName, "quantity": $0.quantity,
                    "amount": VietnameseFormat.money($0.amountVND),
                ]
            }
            values["canAnswer"] = complaint.status == .open
            values["csrf"] = visitor.csrf
            return values
        }
        var values: [String: Any] = [
            "shop": view.supplier.name, "base": "/gian-hang/\(view.supplier.id.uuidString.lowercased())",
            "complaints": items, "hasComplaints": !items.isEmpty,
        ]
        switch result {
        case "chap-nhan":
            values["notice"] = "Đã chấp nhận khiếu nại. Tiền hoàn được trừ vào tiền hàng của đợt chi trả tới."
        case "tra-lai":
            values["notice"] = "Đã chấp nhận và nhận lại hàng. Bưu tá sẽ lấy hàng từ người mua và mang trả gian hàng."
        case "khong-dong-y":
            values["notice"] = "Đã gửi ý kiến không đồng ý. Giao dịch viên bưu cục sẽ xem xét và quyết định."
        default: break
        }
        return render("seller-complaints", visitor, values)
    }

    /// Accept (with the goods back when ticked) or disagree (a reason required), then back to the list.
    func sellerAnswerComplaint(_ visitor: inout ShopVisitor, complaint text: String?, accept: Bool, _ fields: FormBody)
        async throws -> Response
    {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such complaint.") }
        let note = (fields["ghi-chu"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let back = accept && fields["tra-hang"] == "1"
        let complaint = try await services.complaints.answer(
            id, accept: accept, returnGoods: back, note: note.isEmpty ? nil : note, caller: session.caller)
        return PageResponse.redirect(
            to: "/gian-hang/\(complaint.supplierID.uuidString.lowercased())/khieu-nai?ket-qua="
                + (accept ? (back ? "tra-lai" : "chap-nhan") : "khong-dong-y"))
    }
}
