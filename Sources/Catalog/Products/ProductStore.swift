import Foundation
import Kernel
import Logging
import PostgresNIO

/// Products and variants: reads here, changes in the `+Writes` and `+Variants` files.
public struct ProductStore: Sendable {
    let db: Database
    let logger: Logger
    /// Product pages for `get`; nil in tools and tests that do not listen for changes.
    let cache: ProductCache?

    public init(db: Database, logger: Logger, cache: ProductCache? = nil) {
        self.db = db
        self.logger = logger
        self.cache = cache
    }

    public struct Page: Sendable {
        public var items: [Product]
        public var next: PageCursor?
    }

    /// Buyers see listed products; the supplier's producers and clerks see theirs in any state.
    public func get(_ id: UUID, caller: Caller) async throws -> Product {
        guard let product = try await cachedLoad(id) else { throw DomainError.notFound("No product with this id.") }
        guard product.isListed || (caller.principal?.seesPrivate(product.scope) ?? false) else {
            throw DomainError.notFound("No product with this id.")
        }
        return product
    }

    func cachedLoad(_ id: UUID) async throws -> Product? {
        guard let cache else { return try await load(id) }
        let (cached, ticket) = cache.lookup(id)
        if let cached { return cached }
        let product = try await load(id)
        if let product { cache.store(product, ticket: ticket) }
        return product
    }

    /// Drops this process's copy at once; other processes drop theirs when the commit's
    /// notification reaches them.
    func changed(_ id: UUID) {
        cache?.invalidate(id)
    }

    /// The product whatever its state, for callers that apply the visibility rules themselves.
    public func load(_ id: UUID, on connection: PostgresConnection? = nil, forUpdate: Bool = false) async throws
        -> Product?
    {
        var query = PostgresQuery(
            unsafeSQL: ProductRow.select + " WHERE p.id = $1" + (forUpdate ? " FOR UPDATE OF p" : ""))
        query.binds.append(id)
        let rows: [PostgresRow]
        if let connection {
            rows = try await connection.query(query, logger: logger).collect()
        } else {
            rows = try await db.query(query, logger: logger)
        }
        return try rows.first.map(ProductRow.decode)
    }

    /// A supplier's own listings, newest first.
    public func list(
        supplier supplierID: UUID, status: ProductStatus?, limit: Int, after cursor: PageCursor?, caller: Caller
    ) async throws -> Page {
        let principal = try caller.signedIn()
        let supplier = try await SupplierStore(db: db, logger: logger).load(supplierID)
        guard let supplier else { throw DomainError.notFound("No supplier with this id.") }
        try principal.require(.producer, .clerk)
        guard principal.seesPrivate(supplier.scope) else { throw DomainError.notFound("No supplier with this id.") }
        var binds = PostgresBindings()
        binds.append(supplierID)
        var sql = ProductRow.select + " WHERE p.supplier_id = $1"
        if let status {
            binds.append(status.rawValue)
            sql += " AND p.status = $\(binds.count)"
        }
        sql += try PageCursor.timeCondition(
            after: cursor, timeColumn: "p.created_at", idColumn: "p.id", descending: true, binds: &binds)
        binds.append(limit + 1)
        sql += " ORDER BY p.created_at DESC, p.id DESC LIMIT $\(binds.count)"
        return try await page(sql, binds, limit: limit)
    }

    /// Products waiting for review that this clerk's post offices look after, oldest first.
    public func reviewQueue(limit: Int, after cursor: PageCursor?, caller: Caller) async throws -> Page {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        var binds = PostgresBindings()
        var sql = ProductRow.select + " WHERE p.status = 'pending_review'"
        if !principal.isAdmin {
            binds.append(Array(principal.postOfficeIDs(as: .clerk)))
            sql += " AND pc.post_office_id = ANY($\(binds.count))"
        }
        sql += try PageCursor.timeCondition(
            after: cursor, timeColumn: "p.created_at", idColumn: "p.id", descending: false, binds: &binds)
        binds.append(limit + 1)
        sql += " ORDER BY p.created_at, p.id LIMIT $\(binds.count)"
        return try await page(sql, binds, limit: limit)
    }

    func page(_ sql: String, _ binds: PostgresBindings, limit: Int) async throws -> Page {
        let rows = try await db.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
        let page = PageCursor.page(try rows.map(ProductRow.decode), limit: limit) {
            PageCursor.after(time: $0.createdAt, id: $0.id)
        }
        return Page(items: page.items, next: page.next)
    }
}
