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

/// Something a supplier owes back that is not a parcel's own money (a complaint's refund it pays), netted
/// like a return charge; identified by its ledger transaction.
public struct PayableCharge: Sendable, Equatable {
    public var transactionID: UUID
    public var supplierID: UUID
    public var amountVND: Int64

    public init(transactionID: UUID, supplierID: UUID, amountVND: Int64) {
        self.transactionID = transactionID
        self.supplierID = supplierID
        self.amountVND = amountVND
    }
}

/// One transfer (or counter payment) to one supplier, settling the listed parcels and charges.
public struct RemittanceLineDraft: Sendable, Equatable {
    public var supplierID: UUID
    public var packageIDs: [UUID]
    public var chargeIDs: [UUID]
    public var amountVND: Int64

    public init(supplierID: UUID, packageIDs: [UUID], chargeIDs: [UUID] = [], amountVND: Int64) {
        self.supplierID = supplierID
        self.packageIDs = packageIDs
        self.chargeIDs = chargeIDs
        self.amountVND = amountVND
    }
}

public enum RemittanceNetting {
    /// One line per supplier whose net (Σ seller share − Σ return charge − Σ charges) is positive. A supplier
    /// at or below zero gets no line and all of its parcels and charges stay unremitted, so what it owes is
    /// netted against its next deliveries instead of being asked back; such suppliers are listed in
    /// `carriedOver`. Lines are sorted by supplier id, package and charge ids within a line and `carriedOver`
    /// likewise, so the same parcels always give the same batch.
    ///
    /// Each parcel and charge is expected once (the caller selects distinct unremitted ones); a repeated one
    /// would be counted twice.
    public static func lines(_ parcels: [PayableParcel], charges: [PayableCharge] = []) -> (
        lines: [RemittanceLineDraft], carriedOver: [UUID]
    ) {
        let bySupplier = Dictionary(grouping: parcels, by: \.supplierID)
        let chargesBySupplier = Dictionary(grouping: charges, by: \.supplierID)
        var lines: [RemittanceLineDraft] = []
        var carriedOver: [UUID] = []
        let suppliers = Set(bySupplier.keys).union(chargesBySupplier.keys)
        for supplier in suppliers.sorted(by: precedes) {
            let owned = bySupplier[supplier] ?? []
            let owing = chargesBySupplier[supplier] ?? []
            let net =
                owned.reduce(Int64(0)) { $0 + $1.sellerShareVND - $1.returnChargeVND }
                - owing.reduce(Int64(0)) { $0 + $1.amountVND }
            // A line settles at least one parcel: charges alone never make money owed to the supplier.
            guard net > 0, !owned.isEmpty else {
                carriedOver.append(supplier)
                continue
            }
            lines.append(
                RemittanceLineDraft(
                    supplierID: supplier, packageIDs: owned.map(\.packageID).sorted(by: precedes),
                    chargeIDs: owing.map(\.transactionID).sorted(by: precedes), amountVND: net))
        }
        return (lines, carriedOver)
    }

    /// Compares the canonical uppercase text, which orders like the 16 bytes and does not depend on
    /// whether this platform's `UUID` is `Comparable`.
    static func precedes(_ a: UUID, _ b: UUID) -> Bool {
        a.uuidString < b.uuidString
    }
}
