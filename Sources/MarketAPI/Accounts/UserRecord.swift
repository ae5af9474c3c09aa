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
            for error in grant.scopeErrors(prefix: "roles[\(index)]") { v.fail(error.field, error.message) }
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
    /// Field names are prefixed (`roles[0].supplier_id`) when the grant sits inside a larger body.
    func scopeErrors(prefix: String? = nil) -> [FieldError] {
        let scopes: [(field: String, isSet: Bool, needed: Bool)] = [
            ("supplier_id", supplierID != nil, role.scope == .supplier),
            ("post_office_id", postOfficeID != nil, role.scope == .postOffice),
        ]
        var errors: [FieldError] = []
        for scope in scopes where scope.isSet != scope.needed {
            errors.append(
                FieldError(
                    field: prefix.map { "\($0).\(scope.field)" } ?? scope.field,
                    message: scope.needed
                        ? "is required for a \(role.rawValue)" : "must not be set for a \(role.rawValue)"
                )
            )
        }
        return errors
    }
}
