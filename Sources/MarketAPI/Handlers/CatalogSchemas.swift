import Catalog
import Foundation
import Kernel

// Domain values → wire types, in one place.

extension Catalog.Category {
    var schema: Components.Schemas.Category {
        .init(code: code, name: name, nameEn: nameEn, isOcopGroup: isOcopGroup, children: children.map(\.schema))
    }
}

extension FacetCount {
    var schema: Components.Schemas.FacetCount { .init(value: value, count: count) }
}

extension SupplierSummary {
    var schema: Components.Schemas.SupplierSummary {
        .init(
            id: id.text, name: name, kind: .init(rawValue: kind.rawValue) ?? .household, provinceCode: provinceCode,
            communeCode: communeCode)
    }
}

extension OcopBadge {
    var schema: Components.Schemas.OcopBadge { .init(stars: stars, expiresOn: expiresOn) }
}

extension Catalog.Variant {
    var schema: Components.Schemas.Variant {
        .init(
            id: id.text, sku: sku, name: name, priceVnd: priceVND, weightGrams: weightGrams, stockOnHand: stockOnHand,
            isActive: isActive, lengthCm: dimensions?.lengthCM, widthCm: dimensions?.widthCM,
            heightCm: dimensions?.heightCM)
    }
}

extension Catalog.Product {
    var schema: Components.Schemas.Product {
        .init(
            id: id.text, supplier: supplier.schema, title: title, description: description, categoryCode: categoryCode,
            categoryGroup: categoryGroup, originProvinceCode: originProvinceCode, images: images,
            isRegionalSpecialty: isRegionalSpecialty, status: .init(rawValue: status.rawValue) ?? .draft,
            rejectionReason: rejectionReason, priceMinVnd: priceMinVND, inStock: inStock, ocop: ocop?.schema,
            variants: variants.map(\.schema), createdAt: createdAt, updatedAt: updatedAt)
    }
}

extension ProductHit {
    var schema: Components.Schemas.ProductHit {
        .init(
            id: id.text, supplier: supplier.schema, title: title, categoryCode: categoryCode,
            originProvinceCode: originProvinceCode, image: image, priceMinVnd: priceMinVND, inStock: inStock,
            isRegionalSpecialty: isRegionalSpecialty, ocop: ocop?.schema, createdAt: createdAt)
    }
}

extension StockAdjustment {
    var schema: Components.Schemas.StockAdjustment {
        .init(
            id: id, variantId: variantID.text, delta: delta, stockAfter: stockAfter, reason: reason,
            actorId: actorID?.text, createdAt: createdAt)
    }
}

extension OcopCertification {
    var schema: Components.Schemas.OcopCertification {
        .init(
            id: id.text, productId: productID.text, stars: stars, certificateNo: certificateNo,
            issuedBy: .init(rawValue: issuedBy.rawValue) ?? .province, issuedOn: issuedOn, expiresOn: expiresOn,
            status: .init(rawValue: status.rawValue) ?? .pending, inForce: inForce, reviewNote: reviewNote,
            reviewedAt: reviewedAt, createdAt: createdAt)
    }
}

extension Components.Schemas.VariantCreate {
    /// The variant as sent; its size, when given, is all three measurements or a 422 naming them.
    func draft(prefix: String = "") throws(DomainError) -> VariantDraft {
        var v = Validator()
        let size = Dimensions.validated(length: lengthCm, width: widthCm, height: heightCm, prefix: prefix, into: &v)
        try v.done()
        return VariantDraft(
            sku: sku, name: name, priceVND: priceVnd, weightGrams: weightGrams, stockOnHand: stockOnHand,
            dimensions: size)
    }
}
