import Foundation
import Kernel

public struct VariantDraft: Sendable, Equatable {
    public var sku: String
    public var name: String
    public var priceVND: Int64
    public var weightGrams: Int
    public var stockOnHand: Int
    public var dimensions: Dimensions?

    public init(
        sku: String, name: String, priceVND: Int64, weightGrams: Int, stockOnHand: Int, dimensions: Dimensions? = nil
    ) {
        self.dimensions = dimensions
        self.sku = sku
        self.name = name
        self.priceVND = priceVND
        self.weightGrams = weightGrams
        self.stockOnHand = stockOnHand
    }
}

public struct NewProduct: Sendable {
    public var title: String
    public var description: String
    public var categoryCode: String
    public var originProvinceCode: String
    public var images: [String]
    public var isRegionalSpecialty: Bool
    public var variants: [VariantDraft]

    public static func validated(
        title: String,
        description: String?,
        categoryCode: String,
        originProvinceCode: String,
        images: [String]?,
        isRegionalSpecialty: Bool?,
        variants: [VariantDraft]
    ) throws(DomainError) -> NewProduct {
        var v = Validator()
        ProductRules.content(
            title: title, description: description, categoryCode: categoryCode, province: originProvinceCode,
            images: images, into: &v)
        v.check((1...20).contains(variants.count), "variants", "must have 1 to 20 variants")
        var skus = Set<String>()
        for (index, variant) in variants.enumerated() {
            ProductRules.variant(variant, prefix: "variants[\(index)].", into: &v)
            if !skus.insert(variant.sku.uppercased()).inserted {
                v.fail("variants[\(index)].sku", "repeats another variant's SKU")
            }
        }
        try v.done()
        return NewProduct(
            title: title.trimmed, description: description ?? "", categoryCode: categoryCode,
            originProvinceCode: originProvinceCode, images: images ?? [],
            isRegionalSpecialty: isRegionalSpecialty ?? false, variants: variants)
    }
}

/// Changes to a product; nil leaves a field as it is.
public struct ProductPatch: Sendable {
    public var title: String?
    public var description: String?
    public var categoryCode: String?
    public var originProvinceCode: String?
    public var images: [String]?
    public var isRegionalSpecialty: Bool?

    public static func validated(
        title: String?,
        description: String?,
        categoryCode: String?,
        originProvinceCode: String?,
        images: [String]?,
        isRegionalSpecialty: Bool?
    ) throws(DomainError) -> ProductPatch {
        var v = Validator()
        if let title { v.text(title, "title", max: 200) }
        if let description { v.paragraph(description, "description", max: 5000) }
        if let categoryCode { ProductRules.categoryCode(categoryCode, into: &v) }
        if let originProvinceCode {
            v.check(Validator.isDigits(originProvinceCode, count: 2), "origin_province_code", "must be 2 digits")
        }
        if let images { ProductRules.images(images, into: &v) }
        try v.done()
        return ProductPatch(
            title: title?.trimmed, description: description, categoryCode: categoryCode,
            originProvinceCode: originProvinceCode, images: images, isRegionalSpecialty: isRegionalSpecialty)
    }

    /// Whether reviewers must look at the product again (SPEC: title, description, category).
    public func changesReviewedContent(of product: Product) -> Bool {
        (title.map { $0 != product.title } ?? false)
            || (description.map { $0 != product.description } ?? false)
            || (categoryCode.map { $0 != product.categoryCode } ?? false)
    }
}

public struct VariantPatch: Sendable {
    public var name: String?
    public var priceVND: Int64?
    public var weightGrams: Int?
    public var isActive: Bool?
    public var dimensions: Dimensions?

    public static func validated(
        name: String?, priceVND: Int64?, weightGrams: Int?, isActive: Bool?, lengthCM: Int? = nil,
        widthCM: Int? = nil, heightCM: Int? = nil
    ) throws(DomainError) -> VariantPatch {
        var v = Validator()
        if let name { v.text(name, "name", max: 100) }
        if let priceVND { v.range(priceVND, "price_vnd", ProductRules.prices) }
        if let weightGrams { v.range(weightGrams, "weight_grams", ProductRules.weights) }
        let dimensions = Dimensions.validated(
            length: lengthCM, width: widthCM, height: heightCM, prefix: "", into: &v)
        try v.done()
        return VariantPatch(
            name: name?.trimmed, priceVND: priceVND, weightGrams: weightGrams, isActive: isActive,
            dimensions: dimensions)
    }
}

public enum ProductRules {
    public static let prices: ClosedRange<Int64> = 1...1_000_000_000
    public static let weights: ClosedRange<Int> = 1...50_000
    public static let stock: ClosedRange<Int> = 0...1_000_000

    static func content(
        title: String, description: String?, categoryCode: String, province: String, images: [String]?,
        into v: inout Validator
    ) {
        v.text(title, "title", max: 200)
        if let description { v.paragraph(description, "description", max: 5000) }
        Self.categoryCode(categoryCode, into: &v)
        v.check(Validator.isDigits(province, count: 2), "origin_province_code", "must be 2 digits")
        if let images { Self.images(images, into: &v) }
    }

    static func categoryCode(_ code: String, into v: inout Validator) {
        v.check(isCategoryCode(code), "category_code", "must be a category code from GET /v1/categories")
    }

    /// Mirrors `^[a-z0-9-]{2,40}$`.
    public static func isCategoryCode(_ code: String) -> Bool {
        (2...40).contains(code.utf8.count)
            && code.utf8.allSatisfy { (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2D }
    }

    static func images(_ images: [String], into v: inout Validator) {
        v.check(images.count <= 10, "images", "must have at most 10 images")
        for (index, url) in images.enumerated() where !isImageURL(url) {
            v.fail("images[\(index)]", "must be an http(s) URL of at most 500 characters")
        }
    }

    public static func variant(_ variant: VariantDraft, prefix: String, into v: inout Validator) {
        v.check(isSKU(variant.sku), "\(prefix)sku", "must be 1 to 64 letters, digits, '.', '_' or '-'")
        v.text(variant.name, "\(prefix)name", max: 100)
        v.range(variant.priceVND, "\(prefix)price_vnd", prices)
        v.range(variant.weightGrams, "\(prefix)weight_grams", weights)
        v.range(variant.stockOnHand, "\(prefix)stock_on_hand", stock)
        if let size = variant.dimensions {
            for (field, side) in [
                ("length_cm", size.lengthCM), ("width_cm", size.widthCM), ("height_cm", size.heightCM),
            ] {
                v.range(side, "\(prefix)\(field)", Dimensions.sides)
            }
        }
    }

    /// Mirrors `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`.
    public static func isSKU(_ value: String) -> Bool {
        let bytes = Array(value.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        func alnum(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b)
        }
        return alnum(bytes[0]) && bytes.allSatisfy { alnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D }
    }

    /// An absolute http(s) URL with a host, no spaces or control characters, at most 500 characters.
    public static func isImageURL(_ value: String) -> Bool {
        guard value.unicodeScalars.count <= 500,
            !value.unicodeScalars.contains(where: { Validator.isControl($0) || $0.properties.isWhitespace }),
            let components = URLComponents(string: value),
            let scheme = components.scheme?.lowercased(), scheme == "https" || scheme == "http",
            let host = components.host, !host.isEmpty
        else { return false }
        return true
    }
}
