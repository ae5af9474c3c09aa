import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// The clerk's other review queues: supplier applications and OCOP certificates.
extension ConsoleSite {
    static let kinds: [SupplierKind: String] = [
        .household: "Hộ kinh doanh", .cooperative: "Hợp tác xã", .enterprise: "Doanh nghiệp",
        .postOfficePoint: "Điểm bưu điện",
    ]

    func reviewSuppliers(_ session: WebSession, after: String?, result: String?) async throws -> Response {
        try session.principal.require(.clerk)
        let cursor = try after.map { text throws(DomainError) in try PageCursor.decode(text, field: "sau") }
        let page = try await services.suppliers.list(status: .pending, limit: 20, after: cursor, caller: session.caller)
        let items: [[String: Any]] = page.items.filter(\.showsPrivate).map { view in
            let supplier = view.supplier
            var item: [String: Any] = [
                "id": supplier.id.uuidString.lowercased(), "name": supplier.name,
                "kind": Self.kinds[supplier.kind] ?? supplier.kind.rawValue,
                "address": supplier.address?.addressLine ?? "—",
                "payout": supplier.bankName ?? supplier.payout.method,
                "created": VietnameseFormat.dateTime(supplier.createdAt), "csrf": session.csrf,
            ]
            if let phone = supplier.phone {
                item["phone"] = phone
                item["phoneShown"] = VietnameseFormat.phone(phone)
            }
            if !supplier.description.isEmpty { item["description"] = supplier.description }
            return item
        }
        var values: [String: Any] = ["user": session.header, "items": items]
        if let next = page.next { values["next"] = next.encoded }
        if result == "da-duyet" { values["notice"] = "Đã duyệt người bán: họ có thể đăng sản phẩm ngay." }
        return render("review-suppliers", values)
    }

    func approveSupplier(_ session: WebSession, id text: String?) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No supplier with this id.") }
        _ = try await services.suppliers.transition(id, .approve, reason: nil, caller: session.caller)
        return PageResponse.redirect(to: "/console/duyet-nguoi-ban?ket-qua=da-duyet")
    }

    func reviewCertificates(_ session: WebSession, after: String?, result: String?) async throws -> Response {
        let cursor = try after.map { text throws(DomainError) in try PageCursor.decode(text, field: "sau") }
        let page = try await services.ocop.reviewQueue(limit: 20, after: cursor, caller: session.caller)
        var items: [[String: Any]] = []
        for certificate in page.items {
            let product = try? await services.products.get(certificate.productID, caller: session.caller)
            items.append([
                "id": certificate.id.uuidString.lowercased(), "product": product?.title ?? "—",
                "stars": certificate.stars, "number": certificate.certificateNo,
                "issuer": certificate.issuedBy == .national ? "Trung ương" : "Tỉnh",
                "issued": Self.day(certificate.issuedOn), "expires": Self.day(certificate.expiresOn),
                "csrf": session.csrf,
            ])
        }
        var values: [String: Any] = ["user": session.header, "items": items]
        if let next = page.next { values["next"] = next.encoded }
        switch result {
        case "da-xac-nhan": values["notice"] = "Đã xác nhận chứng nhận: huy hiệu OCOP hiện trên sản phẩm."
        case "da-tu-choi": values["notice"] = "Đã từ chối chứng nhận: người bán thấy lý do."
        default: break
        }
        return render("review-certificates", values)
    }

    func decideCertificate(_ session: WebSession, id text: String?, verify: Bool, reason: String?) async throws
        -> Response
    {
        guard let text, let id = UUID(uuidString: text) else {
            throw DomainError.notFound("No certificate with this id.")
        }
        if !verify { try Self.checkReason(reason) }
        _ = try await services.ocop.review(id, verify: verify, note: verify ? nil : reason, caller: session.caller)
        return PageResponse.redirect(to: "/console/duyet-ocop?ket-qua=\(verify ? "da-xac-nhan" : "da-tu-choi")")
    }

    /// `2027-03-31` → `31/03/2027`.
    static func day(_ iso: String) -> String {
        let parts = iso.split(separator: "-")
        guard parts.count == 3 else { return iso }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }
}
