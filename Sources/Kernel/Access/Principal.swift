import Foundation

/// The roles of SPEC §1.
public enum Role: String, Sendable, Codable, CaseIterable {
    case buyer, producer, courier, clerk, finance, admin

    /// Producers act for a supplier; couriers and clerks for a post office; the rest everywhere.
    public var scope: RoleScope {
        switch self {
        case .producer: .supplier
        case .courier, .clerk: .postOffice
        case .buyer, .finance, .admin: .global
        }
    }
}

public enum RoleScope: Sendable {
    case global, supplier, postOffice
}

/// A role granted to a user, with the supplier or post office it is limited to.
public struct RoleGrant: Sendable, Equatable {
    public var id: UUID
    public var role: Role
    public var supplierID: UUID?
    public var postOfficeID: UUID?
    public var grantedAt: Date

    public init(id: UUID, role: Role, supplierID: UUID?, postOfficeID: UUID?, grantedAt: Date) {
        self.id = id
        self.role = role
        self.supplierID = supplierID
        self.postOfficeID = postOfficeID
        self.grantedAt = grantedAt
    }
}

/// Who is making a request. Every authorization decision is a question asked of this value, so
/// the rules are pure and the same in every handler.
public struct Principal: Sendable, Equatable {
    public var userID: UUID
    public var grants: [RoleGrant]

    public init(userID: UUID, grants: [RoleGrant]) {
        self.userID = userID
        self.grants = grants
    }

    public var isAdmin: Bool { grants.contains { $0.role == .admin } }

    /// Whether the user holds `role` at all (admins hold every role).
    public func has(_ role: Role) -> Bool {
        isAdmin || grants.contains { $0.role == role }
    }

    /// The suppliers this user may act for as a producer.
    public var supplierIDs: Set<UUID> {
        Set(grants.compactMap { $0.role == .producer ? $0.supplierID : nil })
    }

    /// The post offices this user works at in `role` (courier or clerk).
    public func postOfficeIDs(as role: Role) -> Set<UUID> {
        Set(grants.compactMap { $0.role == role ? $0.postOfficeID : nil })
    }

    /// Throws 403 unless the user holds one of `roles` (admins always pass).
    public func require(_ roles: Role...) throws(DomainError) {
        guard isAdmin || roles.contains(where: has) else {
            throw .forbidden("This action needs the role \(roles.map(\.rawValue).joined(separator: " or ")).")
        }
    }

    /// Whether the user may act for `supplierID` as its producer (or as an admin).
    public func actsFor(supplier supplierID: UUID) -> Bool {
        isAdmin || supplierIDs.contains(supplierID)
    }

    /// Whether the user works at `postOfficeID` in one of `roles` (or is an admin).
    public func worksAt(postOffice postOfficeID: UUID, as roles: Role...) -> Bool {
        isAdmin || roles.contains { postOfficeIDs(as: $0).contains(postOfficeID) }
    }
}
