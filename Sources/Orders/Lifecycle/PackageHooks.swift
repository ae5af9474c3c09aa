import Foundation
import Logging
import PostgresNIO

/// What the carrier and the books do when an order or package changes, inside the change's
/// transaction. The executable wires Logistics in here, since Orders cannot depend on it.
public struct PackageHooks: Sendable {
    public typealias Hook =
        @Sendable (_ id: UUID, _ connection: PostgresConnection, _ logger: Logger) async throws -> Void

    /// The package was just marked ready for pickup (it needs a tracking number and a pickup pool).
    public var readyForPickup: Hook
    /// A bank transfer confirmed the order (its money is now held for the buyer).
    public var orderPaid: Hook
    /// The package ended before the carrier had it: cancelled, rejected or expired (a paid one is
    /// owed back to the buyer).
    public var packageEnded: Hook
    /// A transfer arrived that confirms no order (wrong amount, order no longer awaiting payment, unknown
    /// order): the id is the payment notification's; its money must be on the books all the same.
    public var paymentHeld: Hook

    public init(
        readyForPickup: @escaping Hook, orderPaid: @escaping Hook, packageEnded: @escaping Hook,
        paymentHeld: @escaping Hook
    ) {
        self.readyForPickup = readyForPickup
        self.orderPaid = orderPaid
        self.packageEnded = packageEnded
        self.paymentHeld = paymentHeld
    }

    public static let none = PackageHooks(
        readyForPickup: { _, _, _ in }, orderPaid: { _, _, _ in }, packageEnded: { _, _, _ in },
        paymentHeld: { _, _, _ in })
}
