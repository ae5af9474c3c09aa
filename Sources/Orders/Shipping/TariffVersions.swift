import Foundation
import Kernel
import Logging
import PostgresNIO
import Synchronization

/// Tariff versions by id, kept by each process. A version is never changed once written (a trigger
/// refuses it, migration 0007), so a cached version is always exact; which version is in force is
/// still asked of the database by every order.
public final class TariffVersions: Sendable {
    private let versions = Mutex<[UUID: Tariff]>([:])

    public init() {}

    /// A version read before, without asking the database.
    func cached(_ id: UUID) -> Tariff? { versions.withLock { $0[id] } }

    func version(_ id: UUID, on connection: PostgresConnection, logger: Logger) async throws -> Tariff {
        if let cached = versions.withLock({ $0[id] }) { return cached }
        let rows = try await connection.query(
            PostgresQuery(unsafeSQL: TariffStore.select + " WHERE t.id = $1", binds: Self.binds(id)), logger: logger
        ).collect()
        guard let tariff = try TariffStore.decode(rows).first else {
            throw DomainError.conflict(kind: "no-tariff", detail: "No shipping tariff is in force yet.")
        }
        versions.withLock { $0[id] = tariff }
        return tariff
    }

    private static func binds(_ id: UUID) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(id)
        return binds
    }
}
