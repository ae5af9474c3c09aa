import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// A commission rate: a category's default (a sub-group without one uses its group's) or a
/// supplier's override. Changing one affects orders placed afterwards only: each order line keeps
/// the rate it was placed with.
public struct CommissionRate: Sendable, Equatable {
    public enum Scope: String, Sendable { case category, supplier }
    public var scope: Scope
    public var key: String
    public var name: String
    public var commissionBps: Int?
}

public struct CommissionRates: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// Every category (with its rate or none) and every supplier override. Finance and admins.
    public func list(caller: Caller) async throws -> [CommissionRate] {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        return try await db.withConnection { connection in
            let categories = try await connection.query(
                "SELECT code, name, commission_bps FROM categories ORDER BY COALESCE(parent_code, code), position",
                logger: logger
            ).collect().decode((String, String, Int?).self).map {
                CommissionRate(scope: .category, key: $0.0, name: $0.1, commissionBps: $0.2)
            }
            let suppliers = try await connection.query(
                "SELECT id, name, commission_bps FROM suppliers WHERE commission_bps IS NOT NULL ORDER BY name COLLATE vietnamese, id",
                logger: logger
            ).collect().decode((UUID, String, Int?).self).map {
                CommissionRate(
                    scope: .supplier, key: $0.0.uuidString.lowercased(), name: $0.1, commissionBps: $0.2)
            }
            return categories + suppliers
        }
    }

    /// Sets (or, with nil, clears) a rate.
    public func set(_ scope: CommissionRate.Scope, key: String, bps: Int?, caller: Caller) async throws
        -> CommissionRate
    {
        let principal = try caller.signedIn()
        try principal.require(.finance)
        if let bps {
            var v = Validator()
            v.range(bps, "commission_bps", 0...10_000)
            try v.done()
        }
        return try await db.withTransaction(logger: logger) { connection in
            let found: (key: String, name: String, bps: Int?)?
            switch scope {
            case .category:
                found = try await CommissionColumns.setCategory(code: key, bps: bps, on: connection, logger: logger)
            case .supplier:
                guard let id = UUID(uuidString: key) else { throw DomainError.notFound("No supplier with this id.") }
                found = try await CommissionColumns.setSupplier(id: id, bps: bps, on: connection, logger: logger)
            }
            guard let row = found else { throw DomainError.notFound("No \(scope.rawValue) with this key.") }
            try await AuditEntry(
                actorID: principal.userID, action: "commission.set", entityType: scope.rawValue, entityID: key,
                requestID: caller.requestID, details: ["commission_bps": bps.map(String.init) ?? "default"]
            ).record(on: connection, logger: logger)
            return CommissionRate(scope: scope, key: row.key, name: row.name, commissionBps: row.bps)
        }
    }
}
