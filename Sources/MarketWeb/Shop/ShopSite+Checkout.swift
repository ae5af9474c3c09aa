import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Orders

/// Checkout: the address chosen province → commune (the commune list follows the province without
/// JavaScript: the form posts back here), the shipping quote as soon as both are known, and the
/// order placed with an idempotency key the page carries, so a double tap places one order.
extension ShopSite {
    /// The checkout form, with what was typed so far and, once the address has a commune, the quote.
    func checkout(_ visitor: ShopVisitor, fields: FormBody, problem: String? = nil, status: HTTPResponse.Status = .ok)
        async throws -> Response
    {
        let session = try requireBuyer(visitor, next: "/thanh-toan")
        guard !visitor.cart.lines.isEmpty else { return PageResponse.redirect(to: "/gio-hang") }
        let user = try await services.accounts.user(id: session.principal.userID, knownGrants: session.principal.grants)
        let form = CheckoutForm(fields, defaultName: user.displayName, defaultPhone: user.phone ?? "")
        let provinces = try await services.reference.provinces()
        var values: [String: Any] = [
            "csrf": visitor.csrf, "name": form.name, "phone": form.phone, "line": form.line,
            "cod": form.method == .cod, "bank": form.method == .bankTransfer,
            "key": BearerToken.generate().text,
            "provinces": provinces.map {
                ["code": $0.code, "name": $0.name, "selected": $0.code == form.province] as [String: Any]
            },
        ]
        if let problem { values["problem"] = problem }
        if let province = form.province, provinces.contains(where: { $0.code == province }) {
            let communes = try await services.reference.communes(province: province)
            values["communes"] = communes.map {
                ["code": $0.code, "name": $0.fullName, "selected": $0.code == form.commune] as [String: Any]
            }
            values["hasCommunes"] = true
            if let commune = form.commune, communes.contains(where: { $0.code == commune }) {
                do {
                    let quote = try await services.quotes.quote(
                        visitor.cart.lines, provinceCode: province, communeCode: commune, paymentMethod: form.method)
                    values["quote"] = Self.quoteValues(quote)
                    values["canPlace"] = true
                } catch let error as DomainError {
                    values["problem"] = Self.cartProblem(error)
                }
            }
        }
        return render("shop-checkout", visitor, values, status: status)
    }

    static func quoteValues(_ quote: OrderQuote) -> [String: Any] {
        let packages: [[String: Any]] = quote.packages.enumerated().map { index, package in
            [
                "number": index + 1,
                "lines": package.lines.map { line -> [String: Any] in
                    [
                        "title": line.variant.productTitle, "variant": line.variant.variantName,
                        "quantity": line.quantity, "total": VietnameseFormat.money(line.lineTotalVND),
                    ]
                },
                "weight": VietnameseFormat.weight(grams: package.weightGrams),
                "chargeable": VietnameseFormat.weight(grams: package.chargeableWeightGrams),
                "bulky": package.chargeableWeightGrams > package.weightGrams,
                "insurance": VietnameseFormat.money(package.insuranceFeeVND),
                "hasInsurance": package.insuranceFeeVND > 0,
                "shipping": VietnameseFormat.money(package.shippingFeeVND),
                "items": VietnameseFormat.money(package.itemsTotalVND),
            ]
        }
        return [
            "packages": packages, "packageCount": packages.count, "items": VietnameseFormat.money(quote.itemsTotalVND),
            "shipping": VietnameseFormat.money(quote.shippingTotalVND),
            "grand": VietnameseFormat.money(quote.grandTotalVND),
        ]
    }

    func placeOrder(_ visitor: inout ShopVisitor, _ fields: FormBody) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/thanh-toan")
        let form = CheckoutForm(fields, defaultName: "", defaultPhone: "")
        guard let key = fields["khoa"], (20...100).contains(key.utf8.count),
            key.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
        else { return try await checkout(visitor, fields: fields, problem: "Trang đã cũ, hãy xem lại và đặt lại.") }
        do {
            let order = try NewOrder.validated(
                lines: visitor.cart.lines,
                address: ShippingAddress(
                    recipientName: form.name, phone: form.phone, provinceCode: form.province ?? "",
                    communeCode: form.commune ?? "", addressLine: form.line),
                paymentMethod: form.method)
            let placed = try await services.orders.place(
                order, idempotencyKey: "web:" + key, caller: session.caller)
            try await services.carts.clear(session.principal.userID)
            return PageResponse.redirect(to: "/don-hang/\(placed.order.id.uuidString.lowercased())?ket-qua=da-dat")
        } catch let error as DomainError {
            return try await checkout(
                visitor, fields: fields, problem: Self.cartProblem(error), status: Self.status(error))
        }
    }

    /// What a buyer reads when the cart or the address cannot be ordered as it is.
    static func cartProblem(_ error: DomainError) -> String {
        switch error {
        case .validation(let fields):
            "Hãy kiểm tra lại: " + ShopWords.fieldNames(fields.map(\.field)) + "."
        case .conflict(let kind, _, _, _) where kind == "insufficient-stock":
            "Một số sản phẩm không còn đủ số lượng. Hãy giảm số lượng trong giỏ hàng."
        case .conflict:
            "Một số sản phẩm trong giỏ đã ngừng bán. Hãy bỏ chúng khỏi giỏ hàng."
        case .unprocessable(let kind, _) where kind == "cod-ceiling-exceeded":
            "Kiện hàng của một người bán vượt mức tiền thu hộ tối đa cho một kiện. Hãy chọn chuyển khoản, "
                + "hoặc bớt hàng của người bán đó."
        default:
            "Chưa đặt được hàng. Hãy thử lại."
        }
    }

    static func status(_ error: DomainError) -> HTTPResponse.Status {
        switch error {
        case .validation, .unprocessable, .badRequest: .unprocessableContent
        case .conflict: .conflict
        default: .badRequest
        }
    }
}

/// The checkout form's fields, as typed.
struct CheckoutForm {
    var name: String
    var phone: String
    var province: String?
    var commune: String?
    var line: String
    var method: PaymentMethod

    init(_ fields: FormBody, defaultName: String, defaultPhone: String) {
        func value(_ key: String) -> String? {
            fields[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        name = value("ten") ?? defaultName
        phone = (value("sdt") ?? defaultPhone).filter { !$0.isWhitespace && $0 != "." }
        province = value("tinh")
        commune = value("xa")
        line = value("dia-chi") ?? ""
        method = value("thanh-toan") == "bank_transfer" ? .bankTransfer : .cod
    }
}
