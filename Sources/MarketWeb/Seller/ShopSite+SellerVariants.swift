import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// A product's kinds (variants): another size or pack added, a name, price or weight corrected, one
/// taken off sale. Through ProductStore, as the API's `addVariant` and `updateVariant`.
extension ShopSite {
    func sellerAddVariant(_ visitor: inout ShopVisitor, id text: String?, _ fields: FormBody) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)) else { throw DomainError.notFound("No such product.") }
        try await requireOwnProduct(id, session)
        do {
            let draft = VariantDraft(
                sku: "SP-" + UUID().uuidString.prefix(8).uppercased(),
                name: (fields["ten-loai"] ?? "").trimmingCharacters(in: .whitespaces),
                priceVND: Self.number(fields["gia"]), weightGrams: Int(Self.number(fields["can-nang"])),
                stockOnHand: Int(Self.number(fields["so-luong"])), dimensions: try Self.size(fields))
            _ = try await services.products.addVariant(draft, product: id, caller: session.caller)
        } catch let error as DomainError {
            return try await sellerProduct(
                visitor, id: text, result: nil, problem: Self.sellerProblem(error), status: Self.status(error))
        }
        return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=loai-moi")
    }

    /// Name, price, weight and whether it is on sale; stock has its own form (an adjustment with a reason).
    func sellerUpdateVariant(
        _ visitor: inout ShopVisitor, id text: String?, variant variantText: String?, _ fields: FormBody
    ) async throws -> Response {
        let session = try requireBuyer(visitor, next: "/gian-hang")
        guard let id = text.flatMap(UUID.init(uuidString:)),
            let variantID = variantText.flatMap(UUID.init(uuidString:))
        else { throw DomainError.notFound("No such product.") }
        try await requireOwnProduct(id, session)
        do {
            let size = try Self.size(fields)
            let patch = try VariantPatch.validated(
                name: (fields["ten-loai"] ?? "").trimmingCharacters(in: .whitespaces),
                priceVND: Self.number(fields["gia"]), weightGrams: Int(Self.number(fields["can-nang"])),
                isActive: fields["dang-ban"] == "1", lengthCM: size?.lengthCM, widthCM: size?.widthCM,
                heightCM: size?.heightCM)
            _ = try await services.products.updateVariant(variantID, of: id, patch, caller: session.caller)
        } catch let error as DomainError {
            return try await sellerProduct(
                visitor, id: text, result: nil, problem: Self.sellerProblem(error), status: Self.status(error))
        }
        return PageResponse.redirect(to: "/gian-hang/san-pham/\(id.uuidString.lowercased())?ket-qua=loai")
    }

    /// Whose product first: another shop's form is "not found", whatever it holds.
    func requireOwnProduct(_ id: UUID, _ session: WebSession) async throws {
        let product = try await services.products.get(id, caller: session.caller)
        guard session.principal.isMember(of: product.scope) else { throw DomainError.notFound("No such product.") }
    }

    /// The packed size typed as three numbers (cm), all or none; for bulky goods' volumetric weight.
    static func size(_ fields: FormBody) throws(DomainError) -> Dimensions? {
        func side(_ name: String) -> Int? {
            let text = (fields[name] ?? "").trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : Int(number(text))
        }
        var v = Validator()
        let size = Dimensions.validated(
            length: side("dai"), width: side("rong"), height: side("cao"), prefix: "", into: &v)
        try v.done()
        return size
    }
}
