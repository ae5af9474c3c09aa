import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// `POST /v1/shipping/quote`: prices a cart exactly as an order would be priced, without placing it.
public struct QuoteService: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func quote(
        _ lines: [CartLine], provinceCode: String, communeCode: String, paymentMethod: PaymentMethod
    ) async throws -> OrderQuote {
        try Checkout.validate(lines)
        return try await db.withConnection { connection in
            let destination = try await Self.destination(
                provinceCode: provinceCode, communeCode: communeCode, field: "shipping_address", on: connection,
                logger: logger)
            let variants = try await PurchasableVariants.load(lines.map(\.variantID), on: connection, logger: logger)
            let tariff = try await TariffStore(db: db, logger: logger).inForce(on: connection)
            return try Checkout.quote(
                lines, variants: variants, destination: destination, tariff: tariff, paymentMethod: paymentMethod)
        }
    }

    /// The variants of a cart as checkout would price them now (the shop's cart page, before an
    /// address is known); ids that name no variant are absent.
    public func variants(_ ids: [UUID]) async throws -> [UUID: PurchasableVariant] {
        try await db.withConnection { connection in
            try await PurchasableVariants.load(ids, on: connection, logger: logger)
        }
    }

    /// The recipient's commune, which must exist in the province given.
    static func destination(
        provinceCode: String, communeCode: String, field: String, on connection: PostgresConnection, logger: Logger
    ) async throws -> ShippingZone.Place {
        let rows = try await connection.query(
            """
            SELECT c.province_code, p.region FROM communes c JOIN provinces p ON p.code = c.province_code
            WHERE c.code = \(communeCode)
            """,
            logger: logger
        ).collect().decode((String, String).self)
        return try destination(
            provinceCode: provinceCode, communeCode: communeCode, found: rows.first.map { ($0.0, $0.1) }, field: field)
    }

    /// The recipient's place, given what the database holds for the commune (its province and
    /// region, nil when there is no such commune).
    static func destination(
        provinceCode: String, communeCode: String, found: (province: String, region: String)?, field: String
    ) throws(DomainError) -> ShippingZone.Place {
        guard let found else {
            throw DomainError.invalid("\(field).commune_code", "is not a commune code in force")
        }
        guard found.province == provinceCode else {
            throw DomainError.invalid("\(field).commune_code", "is not in province \(provinceCode)")
        }
        return ShippingZone.Place(communeCode: communeCode, provinceCode: provinceCode, region: found.region)
    }
}
