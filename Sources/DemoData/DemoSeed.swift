import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

/// Demo-only data for trying the service: a supplier, a post office and one user per role, all with
/// a published password. Loaded once per database; never load it into a production database.
public struct DemoSeed: Sendable {
    public let db: Database
    public let accounts: AccountStore
    public let logger: Logger

    public init(db: Database, accounts: AccountStore, logger: Logger) {
        (self.db, self.accounts, self.logger) = (db, accounts, logger)
    }

    /// Shared by every demo account and listed in the README. Demo only.
    public static let password = "demo-password-2026"
    public static let supplierID = UUID(uuidString: "5eed0000-0000-4000-8000-000000000001")!  // safe: literal
    public static let postOfficeID = UUID(uuidString: "5eed0000-0000-4000-8000-000000000002")!  // safe: literal

    public static let users: [(email: String, name: String, grant: GrantSpec)] = [
        ("admin@demo.chobuudien.vn", "Quản trị viên (demo)", GrantSpec(role: .admin)),
        ("buyer@demo.chobuudien.vn", "Nguyễn Thị Mai (demo)", GrantSpec(role: .buyer)),
        ("producer@demo.chobuudien.vn", "Trần Văn Hải (demo)", GrantSpec(role: .producer, supplierID: supplierID)),
        ("courier@demo.chobuudien.vn", "Lê Văn Tùng (demo)", GrantSpec(role: .courier, postOfficeID: postOfficeID)),
        ("clerk@demo.chobuudien.vn", "Phạm Thị Hoa (demo)", GrantSpec(role: .clerk, postOfficeID: postOfficeID)),
        ("finance@demo.chobuudien.vn", "Võ Minh Châu (demo)", GrantSpec(role: .finance)),
    ]

    /// Loads the demo data unless this database already has it. Returns whether it loaded anything.
    /// The accounts and the catalog are claimed separately, so a database that got the accounts
    /// before the catalog existed gets the catalog on its next start.
    @discardableResult
    public func loadOnce() async throws -> Bool {
        let accountsLoaded = try await loadAccountsOnce()
        let catalogLoaded = try await loadCatalogOnce()
        return accountsLoaded || catalogLoaded
    }

    private func loadAccountsOnce() async throws -> Bool {
        let claimed =
            try await db.query(
                """
                INSERT INTO app_settings (key, value) VALUES ('demo_seed', 'v1')
                ON CONFLICT (key) DO NOTHING RETURNING key
                """,
                logger: logger
            ).isEmpty == false
        guard claimed else { return false }
        do {
            try await load()
        } catch {
            // Let the next start try again rather than leave a half-seeded database marked as done.
            _ = try? await db.query("DELETE FROM app_settings WHERE key = 'demo_seed'", logger: logger)
            throw error
        }
        logger.notice("demo accounts loaded (demo only: every demo account's password is in the README)")
        return true
    }

    /// The demo province's catalog, post offices and their staff, in one transaction that also
    /// claims it: a failure leaves neither rows nor the claim, and a concurrent start waits on the
    /// claim's row and then finds it taken.
    private func loadCatalogOnce() async throws -> Bool {
        let present = try await db.query(
            "SELECT 1 FROM app_settings WHERE key = 'demo_catalog'", logger: logger)
        guard present.isEmpty else { return false }
        let demo = CatalogDemoGenerator().generate()
        // One bcrypt hash for every generated courier and clerk: they share the demo password.
        let hash = try await accounts.passwords.hash(Self.password)
        let writer = CatalogSeedWriter(logger: logger)
        let loaded = try await db.withTransaction(logger: logger) { connection -> Bool in
            try await connection.allowLongWork(logger: logger)
            let claimed = try await connection.query(
                """
                INSERT INTO app_settings (key, value) VALUES ('demo_catalog', \(CatalogDemoGenerator.version))
                ON CONFLICT (key) DO NOTHING RETURNING key
                """,
                logger: logger
            ).collect()
            guard !claimed.isEmpty else { return false }
            try await writer.write(demo.postOffices, on: connection)
            try await writer.write(demo.staff, passwordHash: hash, on: connection)
            var rest = demo.catalog
            rest.suppliers.removeAll { $0.id == Self.supplierID }
            if let supplier = demo.catalog.suppliers.first(where: { $0.id == Self.supplierID }) {
                try await writer.upsert(supplier, on: connection)
            }
            try await writer.write(rest, on: connection)
            try await AuditEntry(
                actorID: nil,
                action: "demo.seed",
                entityType: "catalog",
                entityID: "demo",
                requestID: "demo-seed",
                details: [
                    "suppliers": String(demo.catalog.suppliers.count),
                    "products": String(demo.catalog.products.count),
                    "post_offices": String(demo.postOffices.count),
                    "staff": String(demo.staff.count),
                ]
            ).record(on: connection, logger: logger)
            return true
        }
        if loaded {
            logger.notice(
                "demo catalog loaded",
                metadata: [
                    "suppliers": "\(demo.catalog.suppliers.count)", "products": "\(demo.catalog.products.count)",
                    "post_offices": "\(demo.postOffices.count)", "staff": "\(demo.staff.count)",
                ])
        }
        return loaded
    }

    private func load() async throws {
        try await db.query(
            """
            INSERT INTO suppliers (id, name) VALUES (\(Self.supplierID), 'HTX Nước mắm Cửa Đại (demo)')
            ON CONFLICT (id) DO NOTHING
            """,
            logger: logger
        )
        try await db.query(
            """
            INSERT INTO post_offices (id, code, name, province_code, commune_code, address_line, lat, lon)
            VALUES (\(Self.postOfficeID), 'DN-HOIAN', 'Bưu cục Hội An (demo)', '48', '20410',
                    '6 Trần Hưng Đạo', 15.877, 108.328)
            ON CONFLICT (id) DO NOTHING
            """,
            logger: logger
        )
        for (index, user) in Self.users.enumerated() {
            let account = try NewAccount.validated(
                email: user.email,
                password: Self.password,
                displayName: user.name,
                // One phone each, so the demo accounts can sign in by phone too (0905000001 is the admin).
                phone: "090500000\(index + 1)",
                grants: [user.grant]
            )
            do {
                _ = try await accounts.create(account, actor: nil, requestID: "demo-seed")
            } catch DomainError.conflict {
                logger.info("demo user exists", metadata: ["email": .string(user.email)])
            }
        }
    }
}
