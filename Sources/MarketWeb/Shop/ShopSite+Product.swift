import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel

/// A product's page: photos, variants with price and stock, the OCOP badge with its certificate,
/// the producer and its commune, and what search engines and chat apps read (title, description,
/// Open Graph, schema.org `Product`).
extension ShopSite {
    func productPage(_ visitor: ShopVisitor, segment: String, request: Request) async throws -> Response {
        guard let id = ProductURL.id(inSegment: segment) else { throw DomainError.notFound("No such product.") }
        let product = try await services.products.get(id, caller: visitor.caller)
        let path = ProductURL.path(id: product.id, title: product.title)
        guard path == ProductURL.prefix + segment else {
            // An old or shortened address: one canonical URL per product.
            var headers = PageResponse.securityHeaders
            headers[.location] = path
            return Response(status: .movedPermanently, headers: headers)
        }
        let names = try await placeNames()
        let categoryNames = try await services.reference.categories().namesByCode
        let commune = try await communeName(product.supplier)
        // The first variant in stock starts chosen (a sold-out one cannot be).
        let chosen = product.variants.first { $0.isActive && $0.stockOnHand > 0 }?.id
        let variants: [[String: Any]] = product.variants.filter(\.isActive).map { variant in
            [
                "id": variant.id.uuidString.lowercased(), "name": variant.name,
                "price": VietnameseFormat.money(variant.priceVND),
                "weight": VietnameseFormat.weight(grams: variant.weightGrams),
                "stock": variant.stockOnHand, "inStock": variant.stockOnHand > 0, "checked": variant.id == chosen,
                "maxQuantity": min(variant.stockOnHand, 999),
            ]
        }
        let base = Self.baseURL(request)
        var values: [String: Any] = [
            "title": product.title, "descriptionText": product.description,
            "description": Self.summary(product.description, fallback: product.title),
            "supplier": product.supplier.name,
            "supplierHref": "/tim-kiem?" + "nguoi-ban=" + product.supplier.id.uuidString.lowercased(),
            "origin": names.provinces[product.originProvinceCode] ?? "",
            "originHref": "/tim-kiem?tinh=" + product.originProvinceCode,
            "category": categoryNames[product.categoryCode] ?? "",
            "categoryHref": "/tim-kiem?danh-muc=" + product.categoryCode,
            "specialty": product.isRegionalSpecialty, "variants": variants, "hasVariants": !variants.isEmpty,
            "inStock": product.inStock, "canonical": base + path, "initial": String(product.title.prefix(1)),
            "jsonLD": Self.jsonLD(
                product, url: base + path,
                images: product.images.compactMap(Self.localImage).map { "/anh/\($0)-1280.jpg" }, base: base),
            "listed": product.isListed,
        ]
        if let commune { values["commune"] = commune }
        if let price = product.priceMinVND { values["price"] = VietnameseFormat.money(price) }
        let photos = product.images.compactMap(Self.localImage)
        if let first = photos.first {
            values["photo"] = first
            values["ogImage"] = base + "/anh/\(first)-1280.jpg"
        }
        values["hasPhoto"] = !photos.isEmpty
        values["photos"] = photos.dropFirst().map { ["thumb": $0] }
        if let certificate = try await services.ocop.badge(product: product.id) {
            values["ocop"] = [
                "stars": certificate.stars, "starText": String(repeating: "★", count: certificate.stars),
                "number": certificate.certificateNo,
                "issuer": certificate.issuedBy == .national ? "Hội đồng OCOP trung ương" : "Hội đồng OCOP tỉnh",
                "expires": VietnameseFormat.date(isoDay: certificate.expiresOn),
            ]
        }
        return render("shop-product", visitor, values)
    }

    /// The supplier's commune and province in words ("Xã Duy Xuyên, Đà Nẵng").
    func communeName(_ supplier: SupplierSummary) async throws -> String? {
        guard let province = supplier.provinceCode, let code = supplier.communeCode else { return nil }
        let communes = try await services.reference.communes(province: province)
        let provinceName = try await placeNames().provinces[province]
        guard let commune = communes.first(where: { $0.code == code }) else { return provinceName }
        return [commune.fullName, provinceName].compactMap { $0 }.joined(separator: ", ")
    }

    /// The first sentence or 160 characters of a description, for `<meta name="description">`.
    static func summary(_ text: String, fallback: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ").trimmingCharacters(in: .whitespaces)
        guard !flat.isEmpty else { return fallback }
        guard flat.count > 160 else { return flat }
        let cut = flat.prefix(157)
        return String(cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut) + "…"
    }

    /// schema.org `Product` with an `AggregateOffer` in VND. Serialized by JSONSerialization, which
    /// escapes `/`, so the text can never close its `<script>` element.
    static func jsonLD(_ product: Product, url: String, images: [String], base: String) -> String {
        let prices = product.variants.filter(\.isActive).map(\.priceVND)
        var offer: [String: Any] = [
            "@type": "AggregateOffer", "priceCurrency": "VND", "offerCount": prices.count,
            "availability": product.inStock && product.isListed
                ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
        ]
        if let low = prices.min(), let high = prices.max() {
            offer["lowPrice"] = low
            offer["highPrice"] = high
        }
        var document: [String: Any] = [
            "@context": "https://schema.org", "@type": "Product", "name": product.title, "url": url,
            "description": summary(product.description, fallback: product.title),
            "brand": ["@type": "Brand", "name": product.supplier.name], "offers": offer,
        ]
        if let sku = product.variants.first?.sku { document["sku"] = sku }
        if !images.isEmpty { document["image"] = images.map { base + $0 } }
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys]),
            let text = String(data: data, encoding: .utf8)
        else { return "{}" }
        // `<` escaped too, belt and braces against `<!--` inside a title.
        return text.replacingOccurrences(of: "<", with: "\\u003c")
    }

    static func baseURL(_ request: Request) -> String {
        PublicOrigin.of(request.head)
    }
}
