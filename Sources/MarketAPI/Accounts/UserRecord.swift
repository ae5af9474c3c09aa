import Catalog
import Foundation

/// A user account as the API shows it: never the password hash or lock-out counters.
struct UserRecord: Sendable {
    var id: UUID
    var email: String
    var displayName: String
    var phone: String?
    var isActive: Bool
    var createdAt: Date
    var grants: [RoleGrant]
}

/// What a new account needs, already validated.
struct NewAccount: Sendable {
    var email: String
    var password: String
    var displayName: String
    var phone: String?
    var grants: [GrantSpec]

    /// Validates every field at once; email is normalised to lower case for uniqueness.
    static func validated(
        email: String,
        password: String,
        displayName: String,
        phone: String?,
        grants: [GrantSpec]
    ) throws(DomainError) -> NewAccount {
        var v = Validator()
        v.email(email, "email")
        let passwordLength = password.unicodeScalars.count
        v.check(!password.unicodeScalars.contains("\0"), "password", "must not contain NUL characters")
        v.check((10...128).contains(passwordLength), "password", "must be 10 to 128 characters")
        v.text(displayName, "display_name", max: 100)
        if let phone { v.phone(phone, "phone") }
        for (index, grant) in grants.enumerated() {
            for error in grant.scopeErrors(field: "roles[\(index)]") { v.fail(error.field, error.message) }
        }
        try v.done()
        return NewAccount(
            email: email.lowercased(),
            password: password,
            displayName: displayName,
            phone: phone,
            grants: grants
        )
    }
}

/// A role grant requested by an admin.
struct GrantSpec: Sendable, Equatable {
    var role: Role
    var supplierID: UUID?
    var postOfficeID: UUID?

    /// SPEC §1: a producer grant names a supplier, a courier or clerk grant a post office, others neither.
    func scopeErrors(field prefix: String) -> [FieldError] {
        var errors: [FieldError] = []
        switch role.scope {
        case .supplier:
            if supplierID == nil {
                errors.append(.init(field: "\(prefix).supplier_id", message: "is required for a producer"))
            }
            if postOfficeID != nil {
                errors.append(.init(field: "\(prefix).post_office_id", message: "must not be set for a producer"))
            }
        case .postOffice:
            if postOfficeID == nil {
                errors.append(.init(field: "\(prefix).post_office_id", message: "is required for a \(role.rawValue)"))
            }
            if supplierID != nil {
                errors.append(.init(field: "\(prefix).supplier_id", message: "must not be set for a \(role.rawValue)"))
            }
        case .global:
            if supplierID != nil {
                errors.append(.init(field: "\(prefix).supplier_id", message: "must not be set for a \(role.rawValue)"))
            }
            if postOfficeID != nil {
                errors.append(
                    .init(field: "\(prefix).post_office_id", message: "must not be set for a \(role.rawValue)"))
            }
        }
        return errors
    }
}
