import Foundation
import Logging
import PostgresNIO

/// What the carrier side does when a package changes state, inside the change's transaction. The
/// executable wires Logistics in here, since Orders cannot depend on it.
public struct PackageHooks: Sendable {
    /// The package was just marked ready for pickup (it needs a tracking number and a pickup pool).
    public var readyForPickup:
        @Sendable (_ packageID: UUID, _ connection: PostgresConnection, _ logger: Logger)
            async throws -> Void

    public init(
        readyForPickup: @escaping @Sendable (UUID, PostgresConnection, Logger) async throws -> Void
    ) {
        self.readyForPickup = readyForPickup
    }

    public static let none = PackageHooks(readyForPickup: { _, _, _ in })
}
