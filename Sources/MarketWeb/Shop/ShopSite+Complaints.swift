import Catalog
import Foundation
import Hummingbird
import Kernel
import Logistics

/// The buyer's complaint about a delivered package: which goods, what went wrong, photos of them as received,
/// and, for a cash order, where the refund should go.
extension ShopSite {
    static let complaintPhotos = 3

    func complaintForm(
        _ visitor: ShopVisitor, order text: String?, package packageText: String?, form: MultipartForm? = nil,
        problem: String? = nil, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let order = text.flatMap(UUID.init(uuidString:)),
            let package = packageText.flatMap(UUID.init(uuidString:))
        else { throw DomainError.notFound("No such package.") }
        let placed = try await services.orders.get(order, caller: session.caller)
        guard let parcel = placed.packages.first(where: { $0.id == package }) else {
            throw DomainError.notFound("No such package.")
        }
        if try await services.complaints.forPackage(package, caller: session.caller) != nil {
            return PageResponse.redirect(to: "/don-hang/\(order.uuidString.lowercased())")
        }
        let (deliveredAt, lines) = try await services.complaints.claimable(package: package, caller: session.caller)
        let now = Date()
        let rows: [[String: Any]] = lines.map { line in
            let open = ComplaintRules.isWithinWindow(line, deliveredAt: deliveredAt, now: now)
            let key = "so-luong-\(line.orderLineID.uuidString.lowercased())"
            return [
                "key": key, "title": line.title, "variant": line.variantName, "quantity": line.quantity,
                "value": form?[key] ?? (open ? String(line.quantity) : "0"), "open": open,
                "until": VietnameseFormat.dateTime(
                    deliveredAt.addingTimeInterval(TimeInterval(line.windowDays) * 86_400)),
                "price": VietnameseFormat.money(line.unitPriceVND),
            ]
        }
        let chosen = form?["ly-do"] ?? ""
        var values: [String: Any] = [
            "order": order.uuidString.lowercased(), "package": package.uuidString.lowercased(),
            "number": parcel.number, "supplier": parcel.supplierName, "orderNumber": placed.number,
            "delivered": VietnameseFormat.dateTime(deliveredAt), "lines": rows, "csrf": visitor.csrf,
            "anyOpen": rows.contains { $0["open"] as? Bool == true },
            "reasons": ComplaintReason.allCases.map { reason -> [String: Any] in
                [
                    "code": reason.rawValue, "label": ShopWords.complaintReason(reason).capitalizedFirst,
                    "checked": reason.rawValue == chosen,
                ]
            },
            "description": form?["mo-ta"] ?? "", "photos": Array(1...Self.complaintPhotos).map { ["n": $0] },
            "cash": placed.paymentMethod == .cod,
            "bin": form?["ngan-hang"] ?? "", "accountNo": form?["so-tai-khoan"] ?? "",
            "accountName": form?["chu-tai-khoan"] ?? "",
            "banks": try await services.reference.banks().map { bank -> [String: Any] in
                ["bin": bank.bin, "name": bank.shortName, "selected": bank.bin == form?["ngan-hang"]]
            },
        ]
        if let problem { values["problem"] = problem }
        return render("shop-complaint", visitor, values, status: status)
    }

    func fileComplaint(_ visitor: ShopVisitor, order text: String?, package packageText: String?, request: Request)
        async throws -> Response
    {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let order = text.flatMap(UUID.init(uuidString:)),
            let package = packageText.flatMap(UUID.init(uuidString:))
        else { throw DomainError.notFound("No such package.") }
        // Whose package it is, before its body is read.
        let (_, delivered) = try await services.complaints.claimable(package: package, caller: session.caller)
        let form = try await multipart(request, visitor, photos: Self.complaintPhotos)
        do {
            let chosen = delivered.compactMap { line -> (String, Int)? in
                let typed = (form["so-luong-\(line.orderLineID.uuidString.lowercased())"] ?? "0")
                    .trimmingCharacters(in: .whitespaces)
                let quantity = Int(typed) ?? -1
                return quantity == 0 ? nil : (line.orderLineID.uuidString, quantity)
            }
            guard !chosen.isEmpty else {
                return try await complaintForm(
                    visitor, order: text, package: packageText, form: form,
                    problem: "Hãy ghi số lượng cho ít nhất một sản phẩm bị lỗi.", status: .unprocessableContent)
            }
            let bin = (form["ngan-hang"] ?? "").trimmingCharacters(in: .whitespaces)
            let accountNo = (form["so-tai-khoan"] ?? "").filter { !$0.isWhitespace }
            let accountName = (form["chu-tai-khoan"] ?? "").trimmingCharacters(in: .whitespaces)
            let account = bin.isEmpty && accountNo.isEmpty && accountName.isEmpty ? nil : (bin, accountNo, accountName)
            // Checked before the photos are stored, so a form with a mistake stores nothing.
            _ = try NewComplaint.validated(
                reason: form["ly-do"] ?? "", description: form["mo-ta"] ?? "", lines: chosen, photoURLs: [],
                refundAccount: account)
            var photos: [String] = []
            for n in 1...Self.complaintPhotos {
                if let bytes = form.files["anh-\(n)"] {
                    photos.append(try await services.productPhotos.store(bytes, origin: Self.baseURL(request)))
                }
            }
            let complaint = try NewComplaint.validated(
                reason: form["ly-do"] ?? "", description: form["mo-ta"] ?? "", lines: chosen, photoURLs: photos,
                refundAccount: account)
            _ = try await services.complaints.open(package: package, complaint, caller: session.caller)
            return PageResponse.redirect(to: "/don-hang/\(order.uuidString.lowercased())?ket-qua=khieu-nai")
        } catch DomainError.validation(let errors) {
            let photo = errors.first { $0.field == "photo" }.map { ShopWords.photoMessage($0.message) }
            return try await complaintForm(
                visitor, order: text, package: packageText, form: form,
                problem: photo.map { "Ảnh: \($0)" }
                    ?? "Hãy xem lại: \(ShopWords.fieldNames(errors.map(\.field))). "
                    + (errors.first { $0.message.contains("days after delivery") } != nil
                        ? "Đã quá thời hạn khiếu nại của sản phẩm này." : ""),
                status: .unprocessableContent)
        }
    }

    /// The complaint of each delivered package, in the words of the order page.
    func complaintSummary(_ complaint: Complaint) -> [String: Any] {
        var values: [String: Any] = [
            "number": complaint.number, "status": ShopWords.complaint(complaint.status),
            "reason": ShopWords.complaintReason(complaint.reason),
            "claimed": VietnameseFormat.money(complaint.claimedVND),
        ]
        if let refund = complaint.refundVND { values["refund"] = VietnameseFormat.money(refund) }
        if let note = complaint.decisionNote ?? complaint.answerNote { values["note"] = note }
        if let tracking = complaint.returnTrackingNo, let status = complaint.returnStatus {
            values["returnTracking"] = tracking
            values["returnStatus"] = ShopWords.returnParcel(status)
        }
        if complaint.status == .open { values["respondBy"] = VietnameseFormat.dateTime(complaint.respondBy) }
        return values
    }
}
