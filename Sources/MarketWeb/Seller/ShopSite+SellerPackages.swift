import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics
import Orders

/// Gian hàng (issue 19): a producer's pages at `/gian-hang/`. Here, the packages to prepare: accept
/// or reject (with the reason the buyer reads), mark ready (the parcel gets its S10 number and joins
/// the post office's pickup pool), print the label. Scope is the domain's: another supplier's
/// package is "not found", exactly as in the API.
extension ShopSite {
    /// The producer's shops: one goes straight to it; none says how to get one.
    func sellerHome(_ visitor: ShopVisitor) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        let suppliers = session.principal.grants.filter { $0.role == .producer }.compactMap(\.supplierID)
        if suppliers.count == 1, let only = suppliers.first {
            return PageResponse.redirect(to: "/gian-hang/\(only.uuidString.lowercased())")
        }
        var shops: [[String: Any]] = []
        for id in suppliers {
            let view = try await services.suppliers.get(id, caller: session.caller)
            shops.append(["name": view.supplier.name, "href": "/gian-hang/\(id.uuidString.lowercased())"])
        }
        // Invitations to this account's email, to answer here.
        let invitations = try await services.suppliers.myInvitations(caller: session.caller)
            .filter { $0.status == .pending }
        return render(
            "seller-home", visitor,
            [
                "shops": shops, "hasShops": !shops.isEmpty, "csrf": visitor.csrf,
                "hasInvitations": !invitations.isEmpty,
                "invitations": invitations.map { invitation -> [String: Any] in
                    [
                        "id": invitation.id.uuidString.lowercased(), "shop": invitation.supplierName,
                        "until": VietnameseFormat.date(invitation.expiresAt),
                    ]
                },
            ])
    }

    /// Accepting makes this account a member of the shop (the API's rule: only the invited email's
    /// own account, before the invitation expires); declining ends the invitation.
    func sellerAnswer(_ visitor: inout ShopVisitor, invitation text: String?, accept: Bool) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such invitation.") }
        let answered = try await services.suppliers.answerInvitation(id, accept: accept, caller: session.caller)
        return PageResponse.redirect(
            to: accept ? "/gian-hang/\(answered.supplierID.uuidString.lowercased())" : "/gian-hang")
    }

    /// One shop: its packages by state, newest first; `trang-thai` picks the state.
    func sellerPackages(_ visitor: ShopVisitor, supplier text: String?, status: String?, result: String?)
        async throws -> Response
    {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such supplier.") }
        let view = try await services.suppliers.get(id, caller: session.caller)
        guard view.showsPrivate, session.principal.has(.producer) else {
            throw DomainError.notFound("No such supplier.")
        }
        let tabs: [(PackageStatus, String)] = [
            (.new, "Chờ xác nhận"), (.accepted, "Đã xác nhận"), (.readyForPickup, "Chờ lấy hàng"),
            (.pickedUp, "Đã giao bưu điện"),
        ]
        let chosen = status.flatMap(PackageStatus.init(rawValue:)) ?? .new
        let page = try await services.orders.packages(
            supplier: view.supplier.scope, status: chosen, limit: 50, after: nil, caller: session.caller)
        let base = "/gian-hang/\(id.uuidString.lowercased())"
        let packages: [[String: Any]] = page.items.map { package in
            var row: [String: Any] = [
                "id": package.id.uuidString.lowercased(), "number": package.number,
                "placed": VietnameseFormat.dateTime(package.createdAt),
                "lines": package.lines.map { ["title": $0.title, "variant": $0.variantName, "quantity": $0.quantity] },
                "items": VietnameseFormat.money(package.itemsTotalVND),
                "cod": VietnameseFormat.money(package.codAmountVND), "hasCod": package.codAmountVND > 0,
                "weight": VietnameseFormat.weight(grams: package.weightGrams),
                "canAccept": package.status == .new, "canReady": package.status == .accepted,
                "canReject": [.new, .accepted].contains(package.status),
                "tracking": package.trackingNo ?? "", "hasTracking": package.trackingNo != nil,
                "csrf": visitor.csrf, "quoted": VietnameseFormat.money(package.shippingFeeVND),
                "grams": String(package.weightGrams), "itemsValue": String(package.itemsTotalVND),
            ]
            if let surcharge = package.sellerSurcharge, surcharge > 0 {
                row["surcharge"] = VietnameseFormat.money(surcharge)
                row["chargeable"] = VietnameseFormat.weight(grams: package.chargeableWeightGrams)
                row["declared"] = VietnameseFormat.money(package.declaredValueVND)
            }
            return row
        }
        var values: [String: Any] = [
            "shop": view.supplier.name, "base": base, "packages": packages, "hasPackages": !packages.isEmpty,
            "tabs": tabs.map { tab in
                ["label": tab.1, "href": base + "?trang-thai=" + tab.0.rawValue, "selected": tab.0 == chosen]
            },
            "tabName": tabs.first { $0.0 == chosen }?.1 ?? ShopWords.package(chosen),
        ]
        switch result {
        case "xac-nhan": values["notice"] = "Đã xác nhận. Chuẩn bị hàng rồi bấm “Đã đóng gói xong”."
        case "tu-choi": values["notice"] = "Đã từ chối kiện hàng; người mua thấy lý do, số hàng trở lại kho."
        case "san-sang": values["notice"] = "Đã báo sẵn sàng. In nhãn, dán lên kiện; bưu tá sẽ đến lấy theo chuyến."
        default: break
        }
        return render("seller-packages", visitor, values)
    }

    /// Accept, reject (reason required) or mark ready, then back to the list with a GET.
    func sellerMove(_ visitor: inout ShopVisitor, package text: String?, _ action: PackageAction, _ fields: FormBody)
        async throws -> Response
    {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such package.") }
        var reason: String?
        if action == .reject {
            let text = (fields["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            var v = Validator()
            v.paragraph(text, "reason", min: 1, max: 500)
            try v.done()
            reason = text
        }
        let measurement = action == .markReady ? try Self.measurement(fields) : nil
        let package = try await services.orders.transition(
            package: id, action, reason: reason, measurement: measurement, caller: session.caller)
        let words = [PackageAction.accept: "xac-nhan", .reject: "tu-choi", .markReady: "san-sang"]
        let back = action == .markReady ? PackageStatus.readyForPickup : action == .accept ? .accepted : .new
        return PageResponse.redirect(
            to: "/gian-hang/\(package.supplierID.uuidString.lowercased())?trang-thai=\(back.rawValue)&ket-qua="
                + (words[action] ?? ""))
    }

    /// What the producer weighed and measured on the ready form; blanks keep what the order computed.
    static func measurement(_ fields: FormBody) throws(DomainError) -> PackageMeasurement? {
        var v = Validator()
        func number(_ key: String, _ field: String) -> Int64? {
            guard let text = fields[key], !text.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
            let value = Self.number(text)
            if value < 0 { v.fail(field, "must be a whole number") }
            return value < 0 ? nil : value
        }
        let grams = number("khoi-luong", "weight_grams")
        let sides = [number("dai", "length_cm"), number("rong", "width_cm"), number("cao", "height_cm")]
        let declared = number("khai-gia", "declared_value_vnd")
        try v.done()
        let measurement = try PackageMeasurement.validated(
            weightGrams: grams.map { Int(clamping: $0) }, lengthCM: sides[0].map { Int(clamping: $0) },
            widthCM: sides[1].map { Int(clamping: $0) }, heightCM: sides[2].map { Int(clamping: $0) },
            declaredValueVND: declared)
        return measurement.isEmpty ? nil : measurement
    }

    /// The label to print and stick on the parcel: S10 barcode, sender, recipient, COD to collect.
    func sellerLabel(_ visitor: ShopVisitor, package text: String?) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such package.") }
        let label = try await services.orders.label(package: id, caller: session.caller)
        guard let tracking = label.package.trackingNo else {
            return message(
                visitor, heading: "Chưa có mã vận đơn",
                text: "Nhãn in được sau khi bạn bấm “Đã đóng gói xong” cho kiện hàng này.", status: .conflict)
        }
        let sender = try await services.suppliers.get(label.package.supplierID, caller: session.caller).supplier
        let recipientPlace = try await placeName(
            province: label.recipient.provinceCode, commune: label.recipient.communeCode)
        var senderPlace = ""
        if let address = sender.address {
            senderPlace = try await placeName(province: address.provinceCode, commune: address.communeCode)
        }
        return render(
            "seller-label", nil,
            [
                "tracking": tracking, "barcode": (try? Code128.svg(tracking, moduleWidth: 2, height: 64)) ?? "",
                "order": label.orderNumber, "package": label.package.number,
                "sender": sender.name, "senderPhone": VietnameseFormat.phone(sender.phone ?? ""),
                "senderLine": sender.address?.addressLine ?? "", "senderPlace": senderPlace,
                "recipient": label.recipient.recipientName,
                "recipientPhone": VietnameseFormat.phone(label.recipient.phone),
                "recipientLine": label.recipient.addressLine, "recipientPlace": recipientPlace,
                "cod": VietnameseFormat.money(label.package.codAmountVND), "hasCod": label.package.codAmountVND > 0,
                "weight": VietnameseFormat.weight(grams: label.package.packedWeight ?? label.package.weightGrams),
                "size": label.package.packedSizeCM.map { $0.map(String.init).joined(separator: " × ") + " cm" } ?? "",
                "chargeable": VietnameseFormat.weight(grams: label.package.chargeableWeightGrams),
                "declared": VietnameseFormat.money(label.package.declaredValueVND),
                "shipping": VietnameseFormat.money(label.package.shippingFeeVND),
                "insurance": VietnameseFormat.money(label.package.insuranceFeeVND),
                "hasInsurance": label.package.insuranceFeeVND > 0,
                "lines": label.package.lines.map { "\($0.title) (\($0.variantName)) × \($0.quantity)" },
            ])
    }

    /// "Phường Hải Châu, Đà Nẵng".
    func placeName(province: String, commune: String) async throws -> String {
        let communes = try await services.reference.communes(province: province)
        let provinceName = try await placeNames().provinces[province]
        return [communes.first { $0.code == commune }?.fullName, provinceName].compactMap { $0 }
            .joined(separator: ", ")
    }
}
