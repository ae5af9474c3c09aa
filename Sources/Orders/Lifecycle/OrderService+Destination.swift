import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// Sends a package to another address, in the caller's transaction (which holds the package's row
    /// lock): checks the commune belongs to the province, prices the parcel again under its order's tariff
    /// version, keeps the COD ceiling, and writes the package's own destination, fees and the order's totals.
    /// Returns the new price; the caller moves the parcel (its delivering office may change).
    public static func changeDestination(
        package id: UUID, to address: ShippingAddress, on connection: PostgresConnection, logger: Logger
    ) async throws -> Repricing {
        let rows = try await connection.query(
            """
            SELECT o.tariff_id, o.payment_method, p.shipping_fee_vnd, p.cod_amount_vnd, p.insurance_fee_vnd,
                COALESCE(p.chargeable_weight_grams, p.weight_grams), s.commune_code, sp.code, sp.region,
                (SELECT pr.region FROM communes c JOIN provinces pr ON pr.code = c.province_code
                 WHERE c.code = \(address.communeCode) AND c.province_code = \(address.provinceCode))
            FROM packages p JOIN orders o ON o.id = p.order_id JOIN suppliers s ON s.id = p.supplier_id
                JOIN communes sc ON sc.code = s.commune_code JOIN provinces sp ON sp.code = sc.province_code
            WHERE p.id = \(id)
            """,
            logger: logger
        ).collect().decode((UUID, String, Int64, Int64, Int64?, Int, String, String, String, String?).self)
        guard
            let (tariffID, method, shipping, cod, insurance, grams, fromCommune, fromProvince, fromRegion, region) =
                rows.first
        else { throw DomainError.notFound("No package with this id.") }
        guard let region else {
            throw DomainError.invalid("address.commune_code", "must be a commune of the province")
        }
        let tariff = try await tariff(tariffID, on: connection, logger: logger)
        let zone = ShippingZone.between(
            .init(communeCode: fromCommune, provinceCode: fromProvince, region: fromRegion),
            .init(communeCode: address.communeCode, provinceCode: address.provinceCode, region: region))
        guard
            let price = tariff.repriced(
                chargeableGrams: grams, insuranceVND: insurance ?? 0, oldShippingVND: shipping, oldCodVND: cod,
                cashOnDelivery: method == PaymentMethod.cod.rawValue, zone: zone)
        else {
            throw DomainError.conflict(
                kind: "address-change-fee",
                detail: "The parcel was paid for by transfer and the new address is priced "
                    + "\(tariff.shippingFee(weightGrams: grams, zone: zone) + (insurance ?? 0) - shipping) đồng "
                    + "differently: choose an address in the same zone, or ask for the parcel back.")
        }
        if tariff.codCeilingVND > 0, price.codAmountVND > tariff.codCeilingVND {
            throw DomainError.unprocessable(
                kind: "cod-ceiling-exceeded",
                detail: "With the new address the parcel would carry \(price.codAmountVND) đồng of COD, above the "
                    + "\(tariff.codCeilingVND) a courier may carry for one parcel.")
        }
        try await connection.query(
            """
            UPDATE packages SET dest_recipient_name = \(address.recipientName), dest_phone = \(address.phone),
                dest_province_code = \(address.provinceCode), dest_commune_code = \(address.communeCode),
                dest_address_line = \(address.addressLine), zone = \(price.zone.rawValue),
                shipping_fee_vnd = \(price.shippingFeeVND), cod_amount_vnd = \(price.codAmountVND),
                cod_fee_vnd = \(price.codFeeVND), return_charge_vnd = \(price.returnChargeVND), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger)
        if price.differenceVND != 0 {
            try await connection.query(
                """
                UPDATE orders SET shipping_total_vnd = shipping_total_vnd + \(price.differenceVND),
                    grand_total_vnd = grand_total_vnd + \(price.differenceVND), updated_at = now()
                WHERE id = (SELECT order_id FROM packages WHERE id = \(id))
                """,
                logger: logger)
        }
        return price
    }
}
