import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// Marks a package ready (a producer of its supplier), with what was packed when the producer weighed
    /// and measured it: priced again under its order's tariff version, the difference above the buyer's
    /// quote owed by the seller.
    public func markReady(package id: UUID, measurement: PackageMeasurement?, caller: Caller) async throws -> Package {
        try await transition(package: id, .markReady, reason: nil, measurement: measurement, caller: caller)
    }

    /// Writes a packed parcel's measurement and price, in the caller's transaction (which holds the
    /// package's row lock). A declared value below the goods' value is refused: the buyer paid for that cover.
    static func measure(
        package id: UUID, _ m: PackageMeasurement, on connection: PostgresConnection, logger: Logger
    ) async throws -> MeasuredPrice {
        let rows = try await connection.query(
            """
            SELECT o.tariff_id, p.weight_grams, COALESCE(p.chargeable_weight_grams, p.weight_grams), p.items_total_vnd,
                p.shipping_fee_vnd, p.zone
            FROM packages p JOIN orders o ON o.id = p.order_id WHERE p.id = \(id)
            """,
            logger: logger
        ).collect().decode((UUID, Int, Int, Int64, Int64, String).self)
        guard let (tariffID, grams, chargeable, goods, shipping, zoneText) = rows.first,
            let zone = ShippingZone(rawValue: zoneText)
        else { throw DomainError.notFound("No package with this id.") }
        if let declared = m.declaredValueVND {
            var v = Validator()
            v.check(declared >= goods, "declared_value_vnd", "must be at least the goods' value, \(goods) đồng")
            v.check(
                declared <= max(goods, PackageMeasurement.declaredValueCapVND), "declared_value_vnd",
                "must be at most \(max(goods, PackageMeasurement.declaredValueCapVND)) đồng")
            try v.done()
        }
        let tariff = try await tariff(tariffID, on: connection, logger: logger)
        let price = tariff.measured(
            m, orderedGrams: grams, orderedChargeableGrams: chargeable, goodsVND: goods, quotedShippingVND: shipping,
            zone: zone)
        try await connection.query(
            """
            UPDATE packages SET packed_weight_grams = \(m.weightGrams), length_cm = \(m.dimensionsCM?.length),
                width_cm = \(m.dimensionsCM?.width), height_cm = \(m.dimensionsCM?.height),
                chargeable_weight_grams = \(price.chargeableGrams), declared_value_vnd = \(price.declaredVND),
                insurance_fee_vnd = \(price.insuranceVND), seller_surcharge_vnd = \(price.surchargeVND),
                return_charge_vnd = \(price.returnChargeVND), updated_at = now()
            WHERE id = \(id)
            """,
            logger: logger)
        return price
    }

    /// The tariff version an order was priced under.
    static func tariff(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Tariff {
        var binds = PostgresBindings()
        binds.append(id)
        let tariffs = try TariffStore.decode(
            try await connection.query(
                PostgresQuery(unsafeSQL: TariffStore.select + " WHERE t.id = $1", binds: binds), logger: logger
            ).collect())
        guard let tariff = tariffs.first else {
            throw DomainError.conflict(kind: "no-tariff", detail: "The parcel's tariff version is missing.")
        }
        return tariff
    }
}
