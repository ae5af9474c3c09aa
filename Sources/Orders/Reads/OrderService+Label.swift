import Catalog
import Foundation
import Kernel
import PostgresNIO

/// What a parcel's label prints: the package, where it goes, and the order it belongs to.
public struct PackageLabel: Sendable, Equatable {
    public var package: Package
    public var orderNumber: String
    public var recipient: ShippingAddress
    public var paymentMethod: PaymentMethod
}

extension OrderService {
    /// The label of a package, for the members of its supplier (who stick it on the parcel) and the
    /// clerks of the office that serves it; anyone else gets 404.
    public func label(package id: UUID, caller: Caller) async throws -> PackageLabel {
        let principal = try caller.signedIn()
        try principal.require(.producer, .clerk)
        return try await db.withConnection { connection in
            let rows = try await connection.query(
                "SELECT order_id, supplier_id FROM packages WHERE id = \(id)", logger: logger
            ).collect().decode((UUID, UUID).self)
            guard let (orderID, supplierID) = rows.first,
                let scope = try await SupplierScope.load(supplierID, on: connection, lock: false, logger: logger),
                principal.seesPrivate(scope),
                let order = try await OrderReader(logger: logger).load(orderID, on: connection),
                let package = order.packages.first(where: { $0.id == id })
            else { throw DomainError.notFound("No package with this id.") }
            return PackageLabel(
                package: package, orderNumber: order.number, recipient: order.address,
                paymentMethod: order.paymentMethod)
        }
    }
}
