import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics
import Orders

/// The buyer's orders: each package's state and tracking, the delivery code, cancel while allowed.
extension ShopSite {
    func ordersPage(_ visitor: ShopVisitor) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/don-hang")
        let page = try await services.orders.list(limit: 50, after: nil, caller: session.caller)
        let orders: [[String: Any]] = page.items.map { order in
            [
                "href": "/don-hang/\(order.id.uuidString.lowercased())", "number": order.number,
                "status": ShopWords.order(order.status), "placed": VietnameseFormat.dateTime(order.createdAt),
                "total": VietnameseFormat.money(order.grandTotalVND), "packageCount": order.packages.count,
            ]
        }
        return render("shop-orders", visitor, ["orders": orders, "hasOrders": !orders.isEmpty])
    }

    func orderPage(_ visitor: ShopVisitor, id text: String?, result: String?) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such order.") }
        let order = try await services.orders.get(id, caller: session.caller)
        var packages: [[String: Any]] = []
        for package in order.packages {
            var values: [String: Any] = [
                "supplier": package.supplierName, "number": package.number, "status": ShopWords.package(package.status),
                "shipping": VietnameseFormat.money(package.shippingFeeVND),
                "cod": VietnameseFormat.money(package.codAmountVND), "hasCod": package.codAmountVND > 0,
                "lines": package.lines.map { line -> [String: Any] in
                    [
                        "title": line.title, "variant": line.variantName, "quantity": line.quantity,
                        "price": VietnameseFormat.money(line.unitPriceVND),
                        "total": VietnameseFormat.money(line.lineTotalVND),
                        "href": ProductURL.path(id: line.productID, title: line.title),
                    ]
                },
            ]
            if let reason = package.rejectReason { values["rejectReason"] = reason }
            if package.status == .waitingForInstruction, let until = package.holdUntil {
                // Another address in the same province (a new commune may cost another fee, collected with the COD).
                let current = package.destination ?? order.address
                let communes = try await services.reference.communes(province: current.provinceCode)
                values["held"] = [
                    "until": VietnameseFormat.dateTime(until), "package": package.id.uuidString.lowercased(),
                    "earliest": CalendarDay.today().description,
                    "latest": CalendarDay.today().adding(days: DeliveryInstruction.maxDaysAhead).description,
                    "recipient": current.recipientName, "phone": VietnameseFormat.phone(current.phone),
                    "addressLine": current.addressLine, "province": current.provinceCode,
                    "communes": communes.map { commune -> [String: Any] in
                        [
                            "code": commune.code, "name": commune.fullName,
                            "selected": commune.code == current.communeCode,
                        ]
                    },
                ]
            }
            if let destination = package.destination {
                values["destination"] = [
                    "recipient": destination.recipientName, "phone": VietnameseFormat.phone(destination.phone),
                    "addressLine": destination.addressLine,
                ]
            }
            if package.status == .delivered {
                if let complaint = try await services.complaints.forPackage(package.id, caller: session.caller) {
                    values["complaint"] = complaintSummary(complaint)
                } else {
                    values["complain"] =
                        "/don-hang/\(order.id.uuidString.lowercased())/kien-hang/\(package.id.uuidString.lowercased())/khieu-nai"
                }
            }
            if let tracking = package.trackingNo {
                values["tracking"] = tracking
                let steps = try await services.tracking.track(tracking).timeline
                values["hasSteps"] = !steps.isEmpty
                values["steps"] = steps.reversed().map { step -> [String: Any] in
                    var item: [String: Any] = [
                        "label": ShopWords.step(step.type), "at": VietnameseFormat.dateTime(step.occurredAt),
                    ]
                    item["place"] = step.place ?? false
                    return item
                }
            }
            packages.append(values)
        }
        let open = order.packages.contains {
            ![.delivered, .cancelled, .rejected, .expired, .returned].contains($0.status)
        }
        let cancellable =
            [.awaitingPayment, .placed].contains(order.status)
            && !order.packages.contains { $0.status.isUnderwayWithCarrier }
        var values: [String: Any] = [
            "id": order.id.uuidString.lowercased(), "number": order.number, "status": ShopWords.order(order.status),
            "placed": VietnameseFormat.dateTime(order.createdAt), "payment": ShopWords.payment(order.paymentMethod),
            "items": VietnameseFormat.money(order.itemsTotalVND),
            "shipping": VietnameseFormat.money(order.shippingTotalVND),
            "grand": VietnameseFormat.money(order.grandTotalVND), "packages": packages,
            "recipient": order.address.recipientName, "phone": VietnameseFormat.phone(order.address.phone),
            "address": order.address.addressLine, "csrf": visitor.csrf, "cancellable": cancellable,
        ]
        if open && order.status != .awaitingPayment { values["code"] = order.deliveryCode }
        if order.status == .awaitingPayment, let due = order.paymentDueAt {
            values["payBy"] = VietnameseFormat.dateTime(due)
            if let account = transferAccount {
                var pay: [String: Any] = [
                    "bank": account.bankBIN, "account": account.accountNo, "name": account.accountName,
                    "amount": VietnameseFormat.money(order.grandTotalVND), "memo": order.number,
                ]
                if let svg = await transferQR?.svg(
                    account: account, amountVND: order.grandTotalVND, orderNumber: order.number)
                {
                    pay["qr"] = svg
                }
                pay["hasQR"] = pay["qr"] != nil
                values["transfer"] = pay
            }
        }
        if let reason = order.cancelReason { values["cancelReason"] = reason }
        let communes = try await services.reference.communes(province: order.address.provinceCode)
        let province = try await placeNames().provinces[order.address.provinceCode]
        values["deliverTo"] = [communes.first { $0.code == order.address.communeCode }?.fullName, province]
            .compactMap { $0 }.joined(separator: ", ")
        switch result {
        case "da-dat": values["notice"] = "Đã đặt hàng. Người bán sẽ xác nhận, bưu điện đến lấy hàng và giao cho bạn."
        case "da-huy": values["notice"] = "Đã hủy đơn hàng."
        case "ma-moi": values["notice"] = "Đã tạo mã nhận hàng mới. Mã cũ không còn dùng được."
        case "giao-lai": values["notice"] = "Đã hẹn giao lại. Bưu tá sẽ giao ở chuyến phát tới (hoặc từ ngày bạn chọn)."
        case "doi-dia-chi":
            values["notice"] =
                "Đã đổi địa chỉ nhận. Bưu tá sẽ giao đến địa chỉ mới ở chuyến phát tới; tiền thu hộ theo cước mới."
        case "tra-lai": values["notice"] = "Đã yêu cầu trả kiện hàng về người bán."
        case "khieu-nai":
            values["notice"] =
                "Đã gửi khiếu nại. Người bán sẽ trả lời; nếu không đồng ý, bưu cục sẽ xem xét và quyết định."
        default: break
        }
        return render("shop-order", visitor, values)
    }

    func cancelOrder(_ visitor: inout ShopVisitor, id text: String?) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such order.") }
        let order = try await services.orders.cancel(id, reason: nil, caller: session.caller)
        return PageResponse.redirect(to: "/don-hang/\(order.id.uuidString.lowercased())?ket-qua=da-huy")
    }

    /// The buyer's answer for a parcel held after a failed attempt: another attempt (from a day, if
    /// chosen) or back to the seller.
    func instruct(
        _ visitor: inout ShopVisitor, order text: String?, package packageText: String?, back: Bool, _ fields: FormBody
    ) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)),
            let package = packageText.flatMap(UUID.init(uuidString:))
        else { throw DomainError.notFound("No such order.") }
        let day = (fields["ngay"] ?? "").trimmingCharacters(in: .whitespaces)
        let instruction = try DeliveryInstruction.validated(
            action: back ? "return" : "redeliver", deliverOn: back || day.isEmpty ? nil : day,
            today: CalendarDay.today())
        _ = try await services.scans.instruct(package: package, instruction, caller: session.caller)
        return PageResponse.redirect(
            to: "/don-hang/\(id.uuidString.lowercased())?ket-qua=\(back ? "tra-lai" : "giao-lai")")
    }

    /// The buyer sends a held parcel to another address or phone (in the order's province).
    func readdress(_ visitor: inout ShopVisitor, order text: String?, package packageText: String?, _ fields: FormBody)
        async throws -> Response
    {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)),
            let package = packageText.flatMap(UUID.init(uuidString:))
        else { throw DomainError.notFound("No such order.") }
        let address = ShippingAddress(
            recipientName: (fields["ten"] ?? "").trimmingCharacters(in: .whitespaces),
            phone: fields["sdt"] ?? "", provinceCode: fields["tinh"] ?? "", communeCode: fields["xa"] ?? "",
            addressLine: (fields["dia-chi"] ?? "").trimmingCharacters(in: .whitespaces))
        let instruction = try DeliveryInstruction.validated(
            action: "change_address", deliverOn: nil, address: address, today: CalendarDay.today())
        _ = try await services.scans.instruct(package: package, instruction, caller: session.caller)
        return PageResponse.redirect(to: "/don-hang/\(id.uuidString.lowercased())?ket-qua=doi-dia-chi")
    }

    func renewCode(_ visitor: inout ShopVisitor, id text: String?) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/don-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such order.") }
        let order = try await services.orders.renewDeliveryCode(id, caller: session.caller)
        return PageResponse.redirect(to: "/don-hang/\(order.id.uuidString.lowercased())?ket-qua=ma-moi")
    }
}
