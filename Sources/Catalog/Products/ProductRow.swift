import Foundation
import Kernel
import PostgresNIO

/// The one SELECT every product read goes through, so a product looks the same on every endpoint.
/// Variants come along as JSON in the same row: one round trip per product page.
enum ProductRow {
    static let select = """
        SELECT p.id, p.title, p.description, p.category_code, p.category_group, p.origin_province_code, p.images,
            p.is_regional_specialty, p.status, p.rejection_reason, p.min_price_vnd,
            CASE WHEN p.ocop_expires_on > vn_today() THEN p.ocop_stars END AS ocop_stars,
            p.ocop_expires_on::text AS ocop_expires_on, p.created_at, p.updated_at,
            s.id AS supplier_id, s.name AS supplier_name, s.kind AS supplier_kind, s.status AS supplier_status,
            s.province_code AS supplier_province, s.commune_code AS supplier_commune, pc.post_office_id,
            COALESCE((SELECT json_agg(json_build_object(
                'id', v.id, 'sku', v.sku, 'name', v.name, 'price_vnd', v.price_vnd, 'weight_grams', v.weight_grams,
                'stock_on_hand', v.stock_on_hand, 'is_active', v.is_active, 'length_cm', v.length_cm,
                'width_cm', v.width_cm, 'height_cm', v.height_cm) ORDER BY v.position)
                FROM product_variants v WHERE v.product_id = p.id), '[]')::text AS variants
        FROM products p
        JOIN suppliers s ON s.id = p.supplier_id
        LEFT JOIN post_office_communes pc ON pc.commune_code = s.commune_code
        """

    private struct VariantJSON: Decodable {
        var id: UUID
        var sku: String
        var name: String
        var price_vnd: Int64
        var weight_grams: Int
        var stock_on_hand: Int
        var is_active: Bool
        var length_cm: Int?
        var width_cm: Int?
        var height_cm: Int?
    }

    static func decode(_ row: PostgresRow) throws -> Product {
        let r = row.columns
        let variantsJSON: String = try r.get("variants")
        let variants = try JSONDecoder().decode([VariantJSON].self, from: Data(variantsJSON.utf8)).map { json in
            var size: Dimensions?
            if let length = json.length_cm, let width = json.width_cm, let height = json.height_cm {
                size = Dimensions(lengthCM: length, widthCM: width, heightCM: height)
            }
            return Variant(
                id: json.id, sku: json.sku, name: json.name, priceVND: json.price_vnd, weightGrams: json.weight_grams,
                stockOnHand: json.stock_on_hand, isActive: json.is_active, dimensions: size)
        }
        let stars: Int16? = try r.get("ocop_stars")
        let expires: String? = try r.get("ocop_expires_on")
        return Product(
            id: try r.get("id"),
            supplier: SupplierSummary(
                id: try r.get("supplier_id"),
                name: try r.get("supplier_name"),
                kind: SupplierKind(rawValue: try r.get("supplier_kind")) ?? .household,
                provinceCode: try r.get("supplier_province"),
                communeCode: try r.get("supplier_commune")
            ),
            supplierStatus: SupplierStatus(rawValue: try r.get("supplier_status")) ?? .pending,
            servingPostOfficeID: try r.get("post_office_id"),
            title: try r.get("title"),
            description: try r.get("description"),
            categoryCode: try r.get("category_code"),
            categoryGroup: try r.get("category_group"),
            originProvinceCode: try r.get("origin_province_code"),
            images: try r.get("images"),
            isRegionalSpecialty: try r.get("is_regional_specialty"),
            status: ProductStatus(rawValue: try r.get("status")) ?? .draft,
            rejectionReason: try r.get("rejection_reason"),
            priceMinVND: try r.get("min_price_vnd"),
            ocop: zip(stars, expires).map { OcopBadge(stars: Int($0), expiresOn: $1) },
            variants: variants,
            createdAt: try r.get("created_at"),
            updatedAt: try r.get("updated_at")
        )
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}
