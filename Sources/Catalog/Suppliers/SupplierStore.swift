import Foundation
import Kernel
import Logging
import PostgresNIO

/// Suppliers, their members and their lifecycle. Every change and its audit record commit together.
public struct SupplierStore: Sendable {
    let db: Database
    let logger: Logger
    let cache: ProductCache?
    /// Members come and go through role grants, which a signed-in member's next request must see.
    let principals: (any PrincipalChangeObserver)?

    public init(
        db: Database, logger: Logger, cache: ProductCache? = nil, principals: (any PrincipalChangeObserver)? = nil
    ) {
        self.db = db
        self.logger = logger
        self.cache = cache
        self.principals = principals
    }

    static let columns = """
        s.id, s.name, s.kind, s.status, s.status_reason, s.description, s.phone, s.email, s.tax_code,
        s.province_code, s.commune_code, s.address_line, s.lat, s.lon, s.payout_method, s.bank_bin,
        b.short_name AS bank_name, s.account_no, s.account_name, s.created_at, s.approved_at, s.updated_at,
        pc.post_office_id
        """
    static let from = """
        FROM suppliers s
        LEFT JOIN banks b ON b.bin = s.bank_bin
        LEFT JOIN post_office_communes pc ON pc.commune_code = s.commune_code
        """

    // MARK: reading

    public func get(_ id: UUID, caller: Caller) async throws -> SupplierView {
        guard let supplier = try await load(id) else { throw DomainError.notFound("No supplier with this id.") }
        let showsPrivate = caller.principal?.seesPrivate(supplier.scope) ?? false
        guard supplier.status == .active || showsPrivate else {
            throw DomainError.notFound("No supplier with this id.")
        }
        return SupplierView(supplier: supplier, showsPrivate: showsPrivate)
    }

    /// Loads a supplier whatever its state, for rules that decide visibility themselves.
    public func load(_ id: UUID, on connection: PostgresConnection? = nil, forUpdate: Bool = false) async throws
        -> Supplier?
    {
        let lock = forUpdate ? " FOR UPDATE OF s" : ""
        var query = PostgresQuery(unsafeSQL: "SELECT \(Self.columns) \(Self.from) WHERE s.id = $1\(lock)")
        query.binds.append(id)
        let rows: [PostgresRow]
        if let connection {
            rows = try await connection.query(query, logger: logger).collect()
        } else {
            rows = try await db.query(query, logger: logger)
        }
        return try rows.first.map(Self.decode)
    }

    public struct Page: Sendable {
        public var items: [SupplierView]
        public var next: PageCursor?
    }

    /// Anyone: active suppliers. Clerks: every supplier their post offices serve. Admins: all.
    public func list(status: SupplierStatus?, limit: Int, after cursor: PageCursor?, caller: Caller) async throws
        -> Page
    {
        let principal = caller.principal
        let isAdmin = principal?.isAdmin ?? false
        let offices = Array(principal?.postOfficeIDs(as: .clerk) ?? [])
        let staff = isAdmin || !offices.isEmpty
        var sql = "SELECT \(Self.columns) \(Self.from) WHERE true"
        var binds = PostgresBindings()
        if !staff {
            sql += " AND s.status = 'active'"
        } else if !isAdmin {
            binds.append(offices)
            sql += " AND (s.status = 'active' OR pc.post_office_id = ANY($\(binds.count)))"
        }
        if let status {
            binds.append(status.rawValue)
            sql += " AND s.status = $\(binds.count)"
        }
        sql += try PageCursor.timeCondition(
            after: cursor, timeColumn: "s.created_at", idColumn: "s.id", descending: true, binds: &binds)
        binds.append(limit + 1)
        sql += " ORDER BY s.created_at DESC, s.id DESC LIMIT $\(binds.count)"
        let rows = try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        let page = PageCursor.page(try rows.map(Self.decode), limit: limit) {
            PageCursor.after(time: $0.createdAt, id: $0.id)
        }
        let items = page.items.map {
            SupplierView(supplier: $0, showsPrivate: principal?.seesPrivate($0.scope) ?? false)
        }
        return Page(items: items, next: page.next)
    }

    // MARK: writing

    public func apply(_ application: SupplierApplication, caller: Caller) async throws -> SupplierView {
        let principal = try caller.signedIn()
        if application.kind == .postOfficePoint {
            // Points of sale belong to the post office: staff open them, not the public.
            try principal.require(.clerk)
        }
        let id = try await db.withTransaction(logger: logger) { connection in
            try await checkReferences(address: application.address, payout: application.payout, on: connection)
            let id = UUID()
            let (bin, accountNo, accountName) = application.payout.columns
            try await connection.query(
                """
                INSERT INTO suppliers (id, name, kind, phone, email, description, tax_code, province_code,
                    commune_code, address_line, lat, lon, payout_method, bank_bin, account_no, account_name)
                VALUES (\(id), \(application.name), \(application.kind.rawValue), \(application.phone),
                    \(application.email), \(application.description), \(application.taxCode),
                    \(application.address.provinceCode), \(application.address.communeCode),
                    \(application.address.addressLine), \(application.address.lat), \(application.address.lon),
                    \(application.payout.method), \(bin), \(accountNo), \(accountName))
                """,
                logger: logger
            )
            try await RoleGrantWrites.grant(
                GrantSpec(role: .producer, supplierID: id), to: principal.userID, by: principal.userID,
                on: connection, logger: logger)
            try await AuditEntry(
                actorID: principal.userID, action: "supplier.applied", entityType: "supplier",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["name": application.name, "kind": application.kind.rawValue]
            ).record(on: connection, logger: logger)
            return id
        }
        // The applicant's token acts as the new producer from its next request on.
        principals?.principalChanged(user: principal.userID)
        guard let supplier = try await load(id) else { throw DomainError.notFound("No supplier with this id.") }
        return SupplierView(supplier: supplier, showsPrivate: true)
    }

    public func update(_ id: UUID, _ patch: SupplierPatch, caller: Caller) async throws -> SupplierView {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let supplier = try await lockedSupplier(id, on: connection)
            try principal.requireMember(of: supplier.scope, "supplier")
            if let address = patch.address {
                try await checkReferences(address: address, payout: nil, on: connection)
            }
            try await connection.query(
                """
                UPDATE suppliers SET
                    name = COALESCE(\(patch.name), name),
                    phone = COALESCE(\(patch.phone), phone),
                    email = COALESCE(\(patch.email), email),
                    description = COALESCE(\(patch.description), description),
                    tax_code = COALESCE(\(patch.taxCode), tax_code),
                    province_code = COALESCE(\(patch.address?.provinceCode), province_code),
                    commune_code = COALESCE(\(patch.address?.communeCode), commune_code),
                    address_line = COALESCE(\(patch.address?.addressLine), address_line),
                    lat = CASE WHEN \(patch.address != nil) THEN \(patch.address?.lat) ELSE lat END,
                    lon = CASE WHEN \(patch.address != nil) THEN \(patch.address?.lon) ELSE lon END,
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            var changed: [String: String] = [:]
            for (field, present) in [
                ("name", patch.name != nil), ("phone", patch.phone != nil), ("email", patch.email != nil),
                ("description", patch.description != nil), ("tax_code", patch.taxCode != nil),
                ("pickup_address", patch.address != nil),
            ] where present {
                changed[field] = "changed"
            }
            try await AuditEntry(
                actorID: principal.userID, action: "supplier.updated", entityType: "supplier",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID, details: changed
            ).record(on: connection, logger: logger)
        }
        // A supplier's name and status are on its product pages.
        cache?.invalidateAll()
        return try await get(id, caller: caller)
    }

    public func setPayout(_ id: UUID, _ payout: Payout, caller: Caller) async throws -> SupplierView {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let supplier = try await lockedSupplier(id, on: connection)
            try principal.requireMember(of: supplier.scope, "supplier")
            try await checkReferences(address: nil, payout: payout, on: connection)
            let (bin, accountNo, accountName) = payout.columns
            try await connection.query(
                """
                UPDATE suppliers SET payout_method = \(payout.method), bank_bin = \(bin), account_no = \(accountNo),
                    account_name = \(accountName), updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            // Account numbers stay out of the audit trail; the method and bank are enough to trace a change.
            try await AuditEntry(
                actorID: principal.userID, action: "supplier.payout_changed", entityType: "supplier",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["method": payout.method, "bank_bin": bin ?? ""]
            ).record(on: connection, logger: logger)
        }
        // A supplier's name and status are on its product pages.
        cache?.invalidateAll()
        return try await get(id, caller: caller)
    }

    /// approve / suspend / reinstate, by a clerk of the serving post office.
    public func transition(_ id: UUID, _ action: SupplierAction, reason: String?, caller: Caller) async throws
        -> SupplierView
    {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            let supplier = try await lockedSupplier(id, on: connection)
            try principal.requireReviewer(of: supplier.scope, "supplier")
            let next = try action.apply(to: supplier.status)
            if action == .approve, supplier.address == nil || supplier.phone == nil {
                throw DomainError.conflict(
                    kind: "incomplete-supplier",
                    detail: "The supplier needs a phone and a pickup address before it can be approved.",
                    currentState: supplier.status.rawValue)
            }
            try await connection.query(
                """
                UPDATE suppliers SET status = \(next.rawValue), status_reason = \(reason),
                    approved_at = CASE WHEN \(action == .approve) THEN now() ELSE approved_at END,
                    approved_by = CASE WHEN \(action == .approve) THEN \(principal.userID) ELSE approved_by END,
                    updated_at = now()
                WHERE id = \(id)
                """,
                logger: logger
            )
            try await AuditEntry(
                actorID: principal.userID, action: "supplier.\(action.rawValue)", entityType: "supplier",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["from": supplier.status.rawValue, "to": next.rawValue, "reason": reason ?? ""]
            ).record(on: connection, logger: logger)
        }
        // A supplier's name and status are on its product pages.
        cache?.invalidateAll()
        return try await get(id, caller: caller)
    }

    // MARK: members

    public func members(of id: UUID, caller: Caller) async throws -> [SupplierMember] {
        let principal = try caller.signedIn()
        guard let supplier = try await load(id) else { throw DomainError.notFound("No supplier with this id.") }
        try principal.require(.producer, .clerk)
        guard principal.seesPrivate(supplier.scope) else { throw DomainError.notFound("No supplier with this id.") }
        let rows = try await db.query(
            """
            SELECT u.id, u.email, u.display_name, g.id, g.granted_at
            FROM role_grants g JOIN users u ON u.id = g.user_id
            WHERE g.role = 'producer' AND g.supplier_id = \(id)
            ORDER BY g.granted_at, g.id
            """,
            logger: logger
        )
        return try rows.decode((UUID, String, String, UUID, Date).self).map {
            SupplierMember(userID: $0.0, email: $0.1, displayName: $0.2, grantID: $0.3, grantedAt: $0.4)
        }
    }

    public func removeMember(_ userID: UUID, from id: UUID, caller: Caller) async throws {
        let principal = try caller.signedIn()
        try await db.withTransaction(logger: logger) { connection in
            // The supplier row lock serialises member changes, so two removals cannot leave it with none.
            let supplier = try await lockedSupplier(id, on: connection)
            try principal.requireMember(of: supplier.scope, "supplier")
            let count =
                try await connection.query(
                    "SELECT count(*) FROM role_grants WHERE role = 'producer' AND supplier_id = \(id)", logger: logger
                ).collect().decode(Int.self).first ?? 0
            let removed = try await RoleGrantWrites.revoke(
                GrantSpec(role: .producer, supplierID: id), from: userID, on: connection, logger: logger)
            guard removed else { throw DomainError.notFound("No member with this id.") }
            guard count > 1 else {
                throw DomainError.conflict(
                    kind: "last-member", detail: "A supplier keeps at least one producer; add another one first.")
            }
            try await AuditEntry(
                actorID: principal.userID, action: "supplier.member_removed", entityType: "supplier",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["user_id": userID.uuidString.lowercased()]
            ).record(on: connection, logger: logger)
        }
        principals?.principalChanged(user: userID)
    }

    // MARK: helpers

    func lockedSupplier(_ id: UUID, on connection: PostgresConnection) async throws -> Supplier {
        guard let supplier = try await load(id, on: connection, forUpdate: true) else {
            throw DomainError.notFound("No supplier with this id.")
        }
        return supplier
    }

    /// The commune must lie in the province, and the bank must be one we can pay.
    func checkReferences(address: Address?, payout: Payout?, on connection: PostgresConnection) async throws {
        var v = Validator()
        if let address {
            let rows = try await connection.query(
                "SELECT province_code FROM communes WHERE code = \(address.communeCode)", logger: logger
            ).collect().decode(String.self)
            if rows.isEmpty {
                v.fail("pickup_address.commune_code", "is not a commune code in force")
            } else if rows.first != address.provinceCode {
                v.fail("pickup_address.commune_code", "is not in province \(address.provinceCode)")
            }
        }
        if case .bankTransfer(let bin, _, _) = payout {
            let known = try await !connection.query("SELECT 1 FROM banks WHERE bin = \(bin)", logger: logger)
                .collect().isEmpty
            let field = address == nil ? "bank_bin" : "payout.bank_bin"
            v.check(known, field, "is not the BIN of a bank we can pay (see GET /v1/banks)")
        }
        try v.done()
    }

    static func decode(_ row: PostgresRow) throws -> Supplier {
        let r = row.columns
        let method: String = try r.get("payout_method")
        let payout: Payout
        if method == "bank_transfer", let bin: String = try r.get("bank_bin"),
            let no: String = try r.get("account_no"), let name: String = try r.get("account_name")
        {
            payout = .bankTransfer(bankBIN: bin, accountNo: no, accountName: name)
        } else {
            payout = .counterCash
        }
        var address: Address?
        if let province: String = try r.get("province_code"), let commune: String = try r.get("commune_code"),
            let line: String = try r.get("address_line")
        {
            address = Address(
                provinceCode: province, communeCode: commune, addressLine: line, lat: try r.get("lat"),
                lon: try r.get("lon"))
        }
        return Supplier(
            id: try r.get("id"),
            name: try r.get("name"),
            kind: SupplierKind(rawValue: try r.get("kind")) ?? .household,
            status: SupplierStatus(rawValue: try r.get("status")) ?? .pending,
            statusReason: try r.get("status_reason"),
            description: try r.get("description"),
            phone: try r.get("phone"),
            email: try r.get("email"),
            taxCode: try r.get("tax_code"),
            address: address,
            payout: payout,
            bankName: try r.get("bank_name"),
            createdAt: try r.get("created_at"),
            approvedAt: try r.get("approved_at"),
            updatedAt: try r.get("updated_at"),
            servingPostOfficeID: try r.get("post_office_id")
        )
    }
}

extension Payout {
    /// (bank_bin, account_no, account_name) as stored.
    var columns: (String?, String?, String?) {
        switch self {
        case .bankTransfer(let bin, let no, let name): (bin, no, name)
        case .counterCash: (nil, nil, nil)
        }
    }
}
