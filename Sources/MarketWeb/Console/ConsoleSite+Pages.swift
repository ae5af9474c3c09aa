import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// The pages themselves: each asks one domain service and renders what it returns.
extension ConsoleSite {
    func home(_ session: WebSession) async throws -> Response {
        var tasks: [[String: Any]] = []
        if session.principal.has(.clerk) {
            let waiting = try await services.products.reviewQueue(limit: 100, after: nil, caller: session.caller)
            let count = waiting.items.count == 100 && waiting.next != nil ? "100+" : "\(waiting.items.count)"
            tasks.append([
                "href": "/console/duyet-san-pham", "label": "Duyệt sản phẩm",
                "detail": "\(count) sản phẩm chờ duyệt ở các xã bưu cục phục vụ",
            ])
            let applications = try await services.suppliers.list(
                status: .pending, limit: 100, after: nil, caller: session.caller
            ).items.filter(\.showsPrivate).count
            tasks.append([
                "href": "/console/duyet-nguoi-ban", "label": "Duyệt người bán",
                "detail": "\(applications) đơn đăng ký bán hàng chờ duyệt",
            ])
            tasks.append([
                "href": "/console/dieu-phoi", "label": "Điều phối chuyến",
                "detail": "Bưu tá và năng lực; lập chuyến lấy hàng, chuyến phát theo ca; lộ trình, in bảng kê",
            ])
            tasks.append([
                "href": "/console/nop-tien", "label": "Nộp tiền thu hộ",
                "detail": "Nhận tiền bưu tá nộp, đối chiếu với sổ cái trước khi xác nhận",
            ])
            let certificates = try await services.ocop.reviewQueue(limit: 100, after: nil, caller: session.caller)
            tasks.append([
                "href": "/console/duyet-ocop", "label": "Duyệt chứng nhận OCOP",
                "detail": "\(certificates.items.count) chứng nhận chờ đối chiếu",
            ])
        }
        if session.principal.postOfficeIDs(as: .courier).count > 0 {
            tasks.insert(
                [
                    "href": "/console/bang-ke", "label": "Bảng kê hôm nay",
                    "detail": "Điểm lấy và giao theo thứ tự, quét mã, thu hộ",
                ], at: 0)
        }
        if session.principal.has(.finance) {
            tasks.append([
                "href": "/console/tai-chinh", "label": "Tổng quan tài chính",
                "detail": "Thu hộ, nộp tiền, chi trả 30 ngày; tiền bưu tá đang giữ; chênh lệch",
            ])
            tasks.append([
                "href": "/console/chi-tra", "label": "Chi trả tiền hàng",
                "detail": "Lập đợt chi trả, tải tệp ngân hàng và danh sách tại quầy, ghi nhận đã chi",
            ])
            tasks.append([
                "href": "/console/sao-ke", "label": "Sao kê ngân hàng",
                "detail": "Nhập sao kê (CSV) và xem khoản chi trả nào đã khớp, khoản nào cần xem lại",
            ])
            tasks.append([
                "href": "/console/doi-soat", "label": "Đối soát thu hộ",
                "detail": "Theo bưu cục, bưu tá hoặc người bán, trong kỳ bạn chọn; tải CSV",
            ])
            let held = try await services.receipts.list(status: .open, caller: session.caller)
            tasks.append([
                "href": "/console/chuyen-khoan", "label": "Tiền chuyển khoản chờ xử lý",
                "detail": "\(held.count) khoản, \(VietnameseFormat.money(held.reduce(0) { $0 + $1.amountVND }))",
            ])
        }
        if session.principal.has(.finance) || !session.principal.postOfficeIDs(as: .clerk).isEmpty {
            let open = try await services.discrepancies.list(status: "open", caller: session.caller)
            tasks.append([
                "href": "/console/chenh-lech", "label": "Chênh lệch",
                "detail": "\(open.count) chênh lệch thu hộ chưa xử lý",
            ])
        }
        let staff = session.principal.postOfficeIDs(as: .clerk).union(session.principal.postOfficeIDs(as: .courier))
        if session.principal.isAdmin || !staff.isEmpty {
            tasks.append([
                "href": "/console/khieu-nai", "label": "Khiếu nại",
                "detail": "Quyết định khiếu nại người bán không đồng ý; lấy hàng hoàn từ người mua, giao trả người bán",
            ])
        }
        if session.principal.isAdmin {
            tasks.append([
                "href": "/console/nguoi-dung", "label": "Tài khoản",
                "detail": "Người dùng; cấp, thu hồi vai trò; khoá hoặc mở lại tài khoản",
            ])
            tasks.append([
                "href": "/console/buu-cuc", "label": "Bưu cục",
                "detail": "Thông tin bưu cục, các xã bưu cục phục vụ; thêm bưu cục",
            ])
            tasks.append([
                "href": "/console/bang-cuoc", "label": "Bảng cước",
                "detail": "Giá vận chuyển theo vùng và khối lượng, phí thu hộ; tạo bảng mới từ một ngày",
            ])
            tasks.append([
                "href": "/console/nhat-ky", "label": "Nhật ký thay đổi",
                "detail": "Ai đã làm gì, lúc nào: lọc theo loại, việc, người làm, ngày",
            ])
        }
        let unread = try await services.notifications.inbox(
            of: session.principal.userID, unreadOnly: true, limit: 1, after: nil
        ).unread
        if unread > 0 {
            tasks.insert(
                ["href": "/console/thong-bao", "label": "Thông báo", "detail": "\(unread) thông báo chưa đọc"], at: 0)
        }
        var values: [String: Any] = ["user": session.header, "tasks": tasks, "hasTasks": !tasks.isEmpty]
        // The counter: a buyer who lost the delivery code gets a new one (never shown here).
        if !session.principal.postOfficeIDs(as: .clerk).isEmpty {
            values["counter"] = ["csrf": session.csrf]
        }
        return render("home", values)
    }

    /// Products waiting for this clerk's review; `result` is what the last form did (after its redirect).
    func reviewProducts(_ session: WebSession, after: String?, result: String?) async throws -> Response {
        let cursor = try after.map { text throws(DomainError) in try PageCursor.decode(text, field: "sau") }
        let page = try await services.products.reviewQueue(limit: 20, after: cursor, caller: session.caller)
        let categories = try await services.reference.categories().namesByCode
        let items: [[String: Any]] = page.items.map { product in
            var item: [String: Any] = [
                "id": product.id.uuidString.lowercased(), "title": product.title,
                "supplier": product.supplier.name, "category": categories[product.categoryCode] ?? product.categoryCode,
                "price": product.priceMinVND.map(VietnameseFormat.money) ?? "—",
                "submitted": VietnameseFormat.dateTime(product.updatedAt), "csrf": session.csrf,
            ]
            if !product.description.isEmpty { item["description"] = product.description }
            return item
        }
        var values: [String: Any] = ["user": session.header, "items": items]
        if let next = page.next { values["next"] = next.encoded }
        switch result {
        case "da-duyet": values["notice"] = "Đã duyệt sản phẩm: người mua thấy nó ngay."
        case "da-tu-choi": values["notice"] = "Đã từ chối sản phẩm: người bán thấy lý do và có thể sửa rồi gửi lại."
        default: break
        }
        return render("review-products", values)
    }

    /// A reason as the API's `Reason` schema takes it: 1–500 characters, not blank, no control
    /// characters but line breaks (the form's textarea may send them).
    static func checkReason(_ reason: String?) throws(DomainError) {
        let text = reason ?? ""
        var v = Validator()
        v.paragraph(text, "reason", min: 1, max: 500)
        v.check(!text.allSatisfy(\.isWhitespace), "reason", "must say why")
        try v.done()
    }

    /// Approve or reject, then back to the list with a GET (a reload does not decide twice).
    func decide(_ session: WebSession, id text: String?, action: ProductAction, reason: String?) async throws
        -> Response
    {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No product with this id.") }
        if action == .reject { try Self.checkReason(reason) }
        _ = try await services.products.transition(id, action, reason: reason, caller: session.caller)
        return PageResponse.redirect(
            to: "/console/duyet-san-pham?ket-qua=\(action == .approve ? "da-duyet" : "da-tu-choi")")
    }
}
