import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// A producer's products: the list, a new product in one short form (name, price, stock, a photo from
/// the phone), then its page to change words, stock and photos and to send it for review. Every
/// change goes through ProductStore, so the rules and scopes are the API's.
extension ShopSite {
    func sellerProducts(_ visitor: ShopVisitor, supplier text: String?, result: String?) async throws -> Response {
        let (session, view) = try await sellerShop(visitor, text)
        let page = try await services.products.list(
            supplier: view.supplier.id, status: nil, limit: 100, after: nil, caller: session.caller)
        let base = "/gian-hang/\(view.supplier.id.uuidString.lowercased())"
        let products: [[String: Any]] = page.items.map { product in
            [
                "href": "/gian-hang/san-pham/\(product.id.uuidString.lowercased())", "title": product.title,
                "status": Self.productStatus(product.status),
                "price": product.variants.first.map { VietnameseFormat.money($0.priceVND) } ?? "",
                "stock": product.variants.reduce(0) { $0 + ($1.isActive ? $1.stockOnHand : 0) },
            ]
        }
        var values: [String: Any] = [
            "shop": view.supplier.name, "base": base, "products": products, "hasProducts": !products.isEmpty,
        ]
        if result == "da-xoa" { values["notice"] = "Đã ngừng bán sản phẩm." }
        return render("seller-products", visitor, values)
    }

    func sellerNewProduct(
        _ visitor: ShopVisitor, supplier text: String?, form: MultipartForm? = nil, problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let (_, view) = try await sellerShop(visitor, text)
        let chosen = form?["danh-muc"] ?? ""
        var values: [String: Any] = [
            "shop": view.supplier.name, "base": "/gian-hang/\(view.supplier.id.uuidString.lowercased())",
            "csrf": visitor.csrf, "categories": try await categoryOptions(selected: chosen),
            "title": form?["ten"] ?? "", "description": form?["mo-ta"] ?? "", "variant": form?["loai"] ?? "",
            "price": form?["gia"] ?? "", "weight": form?["can-nang"] ?? "", "stock": form?["so-luong"] ?? "",
            "specialty": form?["dac-san"] == "1",
        ]
        if let problem { values["problem"] = problem }
        return render("seller-new-product", visitor, values, status: status)
    }

    /// Creates the draft (with its one variant and the photo, if any), then opens its page.
    func sellerCreateProduct(_ visitor: ShopVisitor, supplier text: String?, request: Request) async throws
        -> Response
    {
        let (session, view) = try await sellerShop(visitor, text)
        let form = try await multipart(request, visitor)
        do {
            var images: [String] = []
            if let photo = form.files["anh"] {
                images.append(try await services.productPhotos.store(photo, origin: Self.baseURL(request)))
            }
            let draft = VariantDraft(
                sku: "SP-" + UUID().uuidString.prefix(8).uppercased(),
                name: (form["loai"] ?? "").trimmingCharacters(in: .whitespaces).isEmpty
                    ? "Loại thường" : (form["loai"] ?? "").trimmingCharacters(in: .whitespaces),
                priceVND: Self.number(form["gia"]), weightGrams: Int(Self.number(form["can-nang"])),
                stockOnHand: Int(Self.number(form["so-luong"])))
            let new = try NewProduct.validated(
                title: (form["ten"] ?? "").trimmingCharacters(in: .whitespaces), description: form["mo-ta"],
                categoryCode: form["danh-muc"] ?? "", originProvinceCode: view.supplier.address?.provinceCode ?? "",
                images: images, isRegionalSpecialty: form["dac-san"] == "1", variants: [draft])
            let product = try await services.products.create(new, supplier: view.supplier.id, caller: session.caller)
            return PageResponse.redirect(to: "/gian-hang/san-pham/\(product.id.uuidString.lowercased())?ket-qua=moi")
        } catch let error as DomainError {
            return try await sellerNewProduct(
                visitor, supplier: text, form: form, problem: Self.sellerProblem(error), status: Self.status(error))
        }
    }

    func sellerProduct(
        _ visitor: ShopVisitor, id text: String?, result: String?, problem: String? = nil,
        status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such product.") }
        let product = try await services.products.get(id, caller: session.caller)
        // A buyer sees a listed product too: the seller page is for its own members only.
        guard session.principal.isMember(of: product.scope) else { throw DomainError.notFound("No such product.") }
        let path = "/gian-hang/san-pham/\(id.uuidString.lowercased())"
        var values: [String: Any] = [
            "id": id.uuidString.lowercased(), "path": path, "title": product.title,
            "description": product.description, "status": Self.productStatus(product.status),
            "categories": try await categoryOptions(selected: product.categoryCode),
            "specialty": product.isRegionalSpecialty, "csrf": visitor.csrf,
            "shopHref": "/gian-hang/\(product.supplier.id.uuidString.lowercased())/san-pham",
            "canSubmit": [.draft, .rejected].contains(product.status),
            "isListed": product.isListed, "publicHref": ProductURL.path(id: product.id, title: product.title),
            "variants": product.variants.map { variant -> [String: Any] in
                [
                    "id": variant.id.uuidString.lowercased(), "name": variant.name,
                    "price": VietnameseFormat.money(variant.priceVND), "stock": variant.stockOnHand,
                    "active": variant.isActive, "priceNumber": String(variant.priceVND),
                    "weight": variant.weightGrams, "path": path, "csrf": visitor.csrf,
                    "length": variant.dimensions.map { String($0.lengthCM) } ?? "",
                    "width": variant.dimensions.map { String($0.widthCM) } ?? "",
                    "height": variant.dimensions.map { String($0.heightCM) } ?? "",
                ]
            },
            "photos": product.images.compactMap(PhotoRules.id(inURL:)).map { ["src": "/anh/\($0)-320.jpg"] },
            "canAddPhoto": product.images.count < 10,
        ]
        if let reason = product.rejectionReason, product.status == .rejected { values["rejection"] = reason }
        let certificates = try await services.ocop.list(product: id, caller: session.caller)
        values["certificates"] = certificates.map { certificate -> [String: Any] in
            [
                "stars": certificate.stars, "number": certificate.certificateNo,
                "expires": VietnameseFormat.date(isoDay: certificate.expiresOn),
                "status": certificate.inForce
                    ? "đã xác nhận, đang hiệu lực"
                    : certificate.status == .pending
                        ? "chờ bưu cục đối chiếu"
                        : certificate.status == .rejected ? "không được xác nhận" : "hết hiệu lực",
            ]
        }
        values["hasCertificates"] = !certificates.isEmpty
        if let problem { values["problem"] = problem }
        switch result {
        case "moi": values["notice"] = "Đã lưu sản phẩm (bản nháp). Kiểm tra lại rồi bấm “Gửi duyệt” để bưu cục duyệt."
        case "da-luu": values["notice"] = "Đã lưu."
        case "gui-duyet": values["notice"] = "Đã gửi duyệt. Bưu cục sẽ xem và mở bán; bạn sẽ thấy kết quả ở đây."
        case "kho": values["notice"] = "Đã cập nhật số lượng trong kho."
        case "anh": values["notice"] = "Đã thêm ảnh."
        case "loai": values["notice"] = "Đã lưu loại hàng."
        case "loai-moi": values["notice"] = "Đã thêm loại hàng."
        case "ocop": values["notice"] = "Đã gửi chứng nhận OCOP. Bưu cục đối chiếu với bản gốc rồi xác nhận."
        default: break
        }
        return render("seller-product", visitor, values, status: status)
    }

    /// Words and category (a product already listed goes back to review, as the API does).
    func sellerSaveProduct(_ visitor: inout ShopVisitor, id text: String?, _ fields: FormBody) async throws
        -> Response
    {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such product.") }
        let patch = try ProductPatch.validated(
            title: fields["ten"].map { $0.trimmingCharacters(in: .whitespaces) }, description: fields["mo-ta"],
            categoryCode: fields["danh-muc"], originProvinceCode: nil, images: nil,
            isRegionalSpecialty: fields["dac-san"] == "1")
        _ = try await services.products.update(id, patch, caller: session.caller)
        return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=da-luu")
    }

    func sellerSubmit(_ visitor: inout ShopVisitor, id text: String?) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such product.") }
        _ = try await services.products.transition(id, .submit, reason: nil, caller: session.caller)
        return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=gui-duyet")
    }

    /// Stock counted on the shelf: the new count, recorded as an adjustment with its reason.
    func sellerStock(_ visitor: inout ShopVisitor, id text: String?, _ fields: FormBody) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)),
            let variantID = fields["loai"].flatMap(UUID.init(uuidString:))
        else { throw DomainError.notFound("No such product.") }
        let product = try await services.products.get(id, caller: session.caller)
        guard session.principal.isMember(of: product.scope),
            let variant = product.variants.first(where: { $0.id == variantID })
        else { throw DomainError.notFound("No such product.") }
        guard let count = Int((fields["so-luong"] ?? "").trimmingCharacters(in: .whitespaces)), count >= 0 else {
            throw DomainError.invalid("stock_on_hand", "must be a whole number from 0")
        }
        if count != variant.stockOnHand {
            _ = try await services.products.adjustStock(
                variant: variantID, of: id, delta: count - variant.stockOnHand, reason: "Kiểm kho trên gian hàng",
                caller: session.caller)
        }
        return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=kho")
    }

    /// An OCOP certificate as printed on the paper, for a clerk to compare with the original.
    func sellerCertificate(_ visitor: inout ShopVisitor, id text: String?, _ fields: FormBody) async throws
        -> Response
    {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such product.") }
        // Whose product first: someone else's form is "not found", whatever it holds.
        let product = try await services.products.get(id, caller: session.caller)
        guard session.principal.isMember(of: product.scope) else { throw DomainError.notFound("No such product.") }
        let claim = try OcopRules.validate(
            stars: Int(fields["sao"] ?? "") ?? 0, certificateNo: fields["so"] ?? "",
            issuedBy: fields["cap"] ?? "", issuedOn: fields["ngay-cap"] ?? "", expiresOn: fields["het-han"] ?? "",
            today: CalendarDay.today())
        _ = try await services.ocop.record(claim, product: id, caller: session.caller)
        return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=ocop")
    }

    /// One more photo from the phone.
    func sellerAddPhoto(_ visitor: ShopVisitor, id text: String?, request: Request) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such product.") }
        // Whose product it is first: another shop's caller learns nothing from how its body is read.
        let product = try await services.products.get(id, caller: session.caller)
        guard session.principal.isMember(of: product.scope) else { throw DomainError.notFound("No such product.") }
        let form = try await multipart(request, visitor)
        do {
            guard let bytes = form.files["anh"] else { throw DomainError.invalid("photo", "choose a photo") }
            _ = try await services.productPhotos.add(
                bytes, to: id, origin: Self.baseURL(request), caller: session.caller)
            return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=anh")
        } catch let error as DomainError {
            return try await sellerProduct(
                visitor, id: text, result: nil, problem: Self.sellerProblem(error), status: Self.status(error))
        }
    }

    // MARK: Helpers

    /// The signed-in producer and one of their own suppliers; anything else is "not found".
    func sellerShop(_ visitor: ShopVisitor, _ text: String?) async throws -> (WebSession, SupplierView) {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such supplier.") }
        let view = try await services.suppliers.get(id, caller: session.caller)
        guard session.principal.isMember(of: view.supplier.scope) else {
            throw DomainError.notFound("No such supplier.")
        }
        return (session, view)
    }

    /// A multipart form post: its CSRF token checked like every other form's.
    func multipart(_ request: Request, _ visitor: ShopVisitor, photos: Int = 1) async throws -> MultipartForm {
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: photos * PhotoRules.maxBytes + 64 * 1024)
        } catch {
            throw DomainError.invalid("photo", "must be at most \(PhotoRules.maxBytes >> 20) MB")
        }
        guard let form = MultipartForm(contentType: request.headers[.contentType], body: body) else {
            throw DomainError.badRequest(kind: "malformed-form", detail: "The form could not be read.")
        }
        guard CSRF.isValid(form[CSRF.field], forSecret: visitor.session?.token.text ?? visitor.visitorID) else {
            throw DomainError.forbidden("The form is stale or came from another site.")
        }
        return form
    }

    func categoryOptions(selected: String) async throws -> [[String: Any]] {
        try await services.reference.categories().map { group in
            [
                "name": group.name,
                "children": (group.children.isEmpty ? [group] : group.children).map { category in
                    ["code": category.code, "name": category.name, "selected": category.code == selected]
                },
            ]
        }
    }

    /// `85.000`, `85000 ₫`, `85 000` → 85000; anything else 0 (refused by the rules with a message).
    static func number(_ text: String?) -> Int64 {
        let digits = (text ?? "").filter { !$0.isWhitespace && $0 != "." && $0 != "₫" && $0 != "," }
        return digits.isEmpty ? 0 : Int64(digits) ?? -1
    }

    static func productStatus(_ status: ProductStatus) -> String {
        switch status {
        case .draft: "bản nháp"
        case .pendingReview: "chờ duyệt"
        case .active: "đang bán"
        case .rejected: "bị từ chối"
        case .archived: "ngừng bán"
        }
    }

    static func sellerProblem(_ error: DomainError) -> String {
        switch error {
        case .validation(let fields):
            let photo = fields.first { $0.field == "photo" }
            if let photo { return "Ảnh chưa dùng được: " + ShopWords.photoMessage(photo.message) }
            return "Hãy kiểm tra lại: " + ShopWords.fieldNames(fields.map(\.field)) + "."
        case .unprocessable(let kind, _) where kind == "photos-unavailable":
            return "Máy chủ chưa xử lý được ảnh. Hãy lưu sản phẩm không có ảnh và thêm ảnh sau."
        case .conflict:
            return "Sản phẩm vừa thay đổi trạng thái. Hãy mở lại trang."
        default:
            return "Chưa lưu được. Hãy thử lại."
        }
    }
}
