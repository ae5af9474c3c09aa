import Foundation
import Kernel
import Logging
import PostgresNIO

/// A variant as checkout sees it: price, weight, stock, whether it is on sale at all, and where
/// its supplier ships from. Read from the database, or for order pricing from the orders' own
/// `PricingCache`, whose every value the order's statement checks again under the variants' locks.
public struct PurchasableVariant: Sendable, Equatable {
    public var id: UUID
    public var productID: UUID
    public var supplierID: UUID
    public var sku: String
    public var productTitle: String
    public var variantName: String
    public var priceVND: Int64
    public var weightGrams: Int
    public var stockOnHand: Int
    /// The variant is active, its product is active and its supplier is active.
    public var isOnSale: Bool
    public var supplierCommune: String?
    public var supplierProvince: String?
    public var supplierRegion: String?
    /// Packed volume (length × width × height) when the producer gave the size.
    public var volumeCM3: Int64? = nil

    public init(
        id: UUID, productID: UUID, supplierID: UUID, sku: String, productTitle: String, variantName: String,
        priceVND: Int64, weightGrams: Int, stockOnHand: Int, isOnSale: Bool, supplierCommune: String?,
        supplierProvince: String?, supplierRegion: String?
    ) {
        self.id = id
        self.productID = productID
        self.supplierID = supplierID
        self.sku = sku
        self.productTitle = productTitle
        self.variantName = variantName
        self.priceVND = priceVND
        self.weightGrams = weightGrams
        self.stockOnHand = stockOnHand
        self.isOnSale = isOnSale
        self.supplierCommune = supplierCommune
        self.supplierProvince = supplierProvince
        self.supplierRegion = supplierRegion
    }
}

public enum PurchasableVariants {
    public static func load(_ ids: [UUID], on connection: PostgresConnection, logger: Logger) async throws
        -> [UUID: PurchasableVariant]
    {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT v.id, v.product_id, v.supplier_id, v.sku, p.title, v.name, v.price_vnd, v.weight_grams,
                v.stock_on_hand, (v.is_active AND p.status = 'active' AND s.status = 'active') AS on_sale,
                s.commune_code, s.province_code, pr.region, v.volume_cm3
            FROM product_variants v
            JOIN products p ON p.id = v.product_id
            JOIN suppliers s ON s.id = v.supplier_id
            LEFT JOIN provinces pr ON pr.code = s.province_code
            WHERE v.id = ANY(\(ids))
            """,
            logger: logger
        ).collect()
        var result: [UUID: PurchasableVariant] = [:]
        for row in rows {
            let r = row.columns
            var variant = PurchasableVariant(
                id: try r.get("id"), productID: try r.get("product_id"), supplierID: try r.get("supplier_id"),
                sku: try r.get("sku"), productTitle: try r.get("title"), variantName: try r.get("name"),
                priceVND: try r.get("price_vnd"), weightGrams: try r.get("weight_grams"),
                stockOnHand: try r.get("stock_on_hand"), isOnSale: try r.get("on_sale"),
                supplierCommune: try r.get("commune_code"), supplierProvince: try r.get("province_code"),
                supplierRegion: try r.get("region"))
            variant.volumeCM3 = try r.get("volume_cm3")
            result[variant.id] = variant
        }
        return result
    }
}
