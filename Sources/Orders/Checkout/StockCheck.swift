import Catalog
import Foundation
import Kernel

/// Whether the variants, read under their row locks, can serve a cart. Pure: the placement reads
/// and locks, this decides, and only then is stock taken.
public enum StockCheck {
    /// Every line that cannot be served is reported: 422 naming the variants not on sale (unknown,
    /// withdrawn, or of a suspended seller) if any; otherwise 409 naming each short variant and what
    /// is available.
    public static func verify(_ lines: [CartLine], variants: [UUID: PurchasableVariant]) throws(DomainError) {
        var unavailable = Validator()
        var short: [FieldError] = []
        for (index, line) in lines.enumerated() {
            guard let variant = variants[line.variantID], variant.isOnSale else {
                unavailable.fail(
                    "lines[\(index)].variant_id", "is not on sale (unknown, withdrawn, or its seller is suspended)")
                continue
            }
            if variant.stockOnHand < line.quantity {
                short.append(
                    FieldError(
                        field: "lines[\(index)].quantity",
                        message:
                            "only \(variant.stockOnHand) of \(variant.sku) (\(variant.id.uuidString.lowercased())) available"
                    ))
            }
        }
        try unavailable.done()
        guard short.isEmpty else {
            throw DomainError.conflict(
                kind: "insufficient-stock",
                detail: short.map { "\($0.field): \($0.message)" }.joined(separator: "; "),
                currentState: nil, fields: short)
        }
    }
}
