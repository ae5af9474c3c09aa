import Foundation

/// A delivered (or returned) parcel whose money is owed to its supplier and not yet remitted.
public struct PayableParcel: Sendable, Equatable {
    public var packageID: UUID
    public var supplierID: UUID
    /// Net of commission and COD fee; negative when the fees exceeded the items.
    public var sellerShareVND: Int64
    /// 0 unless the parcel was returned to its sender.
    public var returnChargeVND: Int64

    public init(packageID: UUID, supplierID: UUID, sellerShareVND: Int64, returnChargeVND: Int64) {
        self.packageID = packageID
        self.supplierID = supplierID
        self.sellerShareVND = sellerShareVND
        self.returnChargeVND = returnChargeVND
    }
}

/// One transfer (or counter payment) to one supplier, settling the listed parcels.
public struct RemittanceLineDraft: Sendable, Equatable {
    public var supplierID: UUID
    public var packageIDs: [UUID]
    public var amountVND: Int64

    public init(supplierID: UUID, packageIDs: [UUID], amountVND: Int64) {
        self.supplierID = supplierID
        self.packageIDs = packageIDs
        self.amountVND = amountVND
    }
}

public enum RemittanceNetting {
    /// One line per supplier whose net (Σ seller share − Σ return charge) is positive. A supplier at or
    /// below zero gets no line and all of its parcels stay unremitted, so its charges are netted against
    /// its next deliveries instead of being asked back; such suppliers are listed in `carriedOver`.
    /// Lines are sorted by supplier id, package ids within a line and `carriedOver` likewise, so the same
    /// parcels always give the same batch.
    ///
    /// Each parcel is expected once (the caller selects distinct unremitted parcels); a repeated one would
    /// be counted twice.
    public static func lines(_ parcels: [PayableParcel]) -> (lines: [RemittanceLineDraft], carriedOver: [UUID]) {
        let bySupplier = Dictionary(grouping: parcels, by: \.supplierID)
        var lines: [RemittanceLineDraft] = []
        var carriedOver: [UUID] = []
        for (supplier, owned) in bySupplier.sorted(by: { precedes($0.key, $1.key) }) {
            let net = owned.reduce(Int64(0)) { $0 + $1.sellerShareVND - $1.returnChargeVND }
            guard net > 0 else {
                carriedOver.append(supplier)
                continue
            }
            let ids = owned.map(\.packageID).sorted(by: precedes)
            lines.append(RemittanceLineDraft(supplierID: supplier, packageIDs: ids, amountVND: net))
        }
        return (lines, carriedOver)
    }

    /// Compares the canonical uppercase text, which orders like the 16 bytes and does not depend on
    /// whether this platform's `UUID` is `Comparable`.
    static func precedes(_ a: UUID, _ b: UUID) -> Bool {
        a.uuidString < b.uuidString
    }
}
