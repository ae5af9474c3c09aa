import Foundation
import Kernel

/// What a parcel costs once sent to another address: priced again by the tariff version it was ordered
/// under, for its chargeable weight and declared value, in the new zone.
public struct Repricing: Sendable, Equatable {
    public var zone: ShippingZone
    public var shippingFeeVND: Int64
    public var codAmountVND: Int64
    public var codFeeVND: Int64
    public var returnChargeVND: Int64
    /// New fee − old fee: collected with the COD when positive, taken off it when negative.
    public var differenceVND: Int64
}

extension Tariff {
    /// A COD parcel's fee difference travels with its cash; a prepaid parcel was paid for already, so only
    /// an address priced the same may replace its own (nil otherwise).
    public func repriced(
        chargeableGrams: Int, insuranceVND: Int64, oldShippingVND: Int64, oldCodVND: Int64, cashOnDelivery: Bool,
        zone: ShippingZone
    ) -> Repricing? {
        let shipping = shippingFee(weightGrams: chargeableGrams, zone: zone) + insuranceVND
        let difference = shipping - oldShippingVND
        guard cashOnDelivery || difference == 0 else { return nil }
        let cod = cashOnDelivery ? oldCodVND + difference : 0
        return Repricing(
            zone: zone, shippingFeeVND: shipping, codAmountVND: cod, codFeeVND: codFee(collectingVND: cod),
            returnChargeVND: returnCharge(shippingFeeVND: shipping, zone: zone), differenceVND: difference)
    }
}
