import Foundation
import Kernel
import Logging
import PostgresNIO

/// What authorization needs to know about a supplier: its state and the post office whose clerks
/// look after it (the one serving its commune).
public struct SupplierScope: Sendable, Equatable {
    public var id: UUID
    public var status: SupplierStatus
    public var servingPostOfficeID: UUID?

    public init(id: UUID, status: SupplierStatus, servingPostOfficeID: UUID?) {
        self.id = id
        self.status = status
        self.servingPostOfficeID = servingPostOfficeID
    }
}

/// The catalog's authorization rules. A missing role is 403 (nothing about the resource leaks); a
/// role held for another supplier or post office is 404, as if the resource did not exist.
extension Principal {
    /// A producer of this supplier (or an admin).
    public func isMember(of scope: SupplierScope) -> Bool {
        actsFor(supplier: scope.id)
    }

    /// A clerk of the post office serving this supplier (or an admin).
    public func reviews(_ scope: SupplierScope) -> Bool {
        if isAdmin { return true }
        guard let office = scope.servingPostOfficeID else { return false }
        return worksAt(postOffice: office, as: .clerk)
    }

    /// May see what only the supplier and its post office see (drafts, payout, contact).
    public func seesPrivate(_ scope: SupplierScope) -> Bool {
        isMember(of: scope) || reviews(scope)
    }

    public func requireMember(of scope: SupplierScope, _ what: String) throws(DomainError) {
        try require(.producer)
        guard isMember(of: scope) else { throw .notFound("No \(what) with this id.") }
    }

    /// A reviewer of the supplier who is not one of its members: SPEC §1, nobody approves their own work.
    /// A clerk (or an admin) who also produces for the supplier is refused even at his own office, where
    /// the supplier is no secret to him, so the answer is 403 rather than 404.
    public func requireReviewer(of scope: SupplierScope, _ what: String) throws(DomainError) {
        try require(.clerk)
        guard reviews(scope) else { throw .notFound("No \(what) with this id.") }
        guard !supplierIDs.contains(scope.id) else { throw DomainError.ownWork }
    }

    /// Archiving is open to the supplier's producers and to its clerks.
    public func requireMemberOrReviewer(of scope: SupplierScope, _ what: String) throws(DomainError) {
        try require(.producer, .clerk)
        guard isMember(of: scope) || reviews(scope) else { throw .notFound("No \(what) with this id.") }
    }
}

extension SupplierScope {
    /// The scope of supplier `id` read on the caller's own connection (so inside its transaction), or nil
    /// when there is no such supplier. `lock` holds the supplier row (FOR SHARE) until that transaction
    /// ends, for writes that must not race a suspension.
    public static func load(_ id: UUID, on connection: PostgresConnection, lock: Bool, logger: Logger) async throws
        -> SupplierScope?
    {
        let rows = try await connection.query(
            """
            SELECT s.status, pc.post_office_id FROM suppliers s
            LEFT JOIN post_office_communes pc ON pc.commune_code = s.commune_code
            WHERE s.id = \(id) \(unescaped: lock ? "FOR SHARE OF s" : "")
            """,
            logger: logger
        ).collect().decode((String, UUID?).self)
        guard let row = rows.first else { return nil }
        return SupplierScope(id: id, status: SupplierStatus(rawValue: row.0) ?? .pending, servingPostOfficeID: row.1)
    }
}
