import Catalog
import Foundation
import Kernel
import Logging
import PostgresNIO

extension OrderService {
    /// The buyer's own order (admins see any); anyone else gets 404.
    public func get(_ id: UUID, caller: Caller) async throws -> Order {
        let principal = try caller.signedIn()
        let order = try await db.withConnection { try await OrderReader(logger: logger).load(id, on: $0) }
        guard let order, order.buyerID == principal.userID || principal.isAdmin else {
            throw DomainError.notFound("No order with this id.")
        }
        return order
    }

    /// The buyer's orders, newest first.
    public func list(limit: Int, after cursor: PageCursor?, caller: Caller) async throws
        -> (items: [Order], next: PageCursor?)
    {
        let principal = try caller.signedIn()
        var binds = PostgresBindings()
        binds.append(principal.userID)
        var sql = "SELECT id, created_at FROM orders WHERE buyer_id = $1"
        sql += try PageCursor.timeCondition(
            after: cursor, timeColumn: "created_at", idColumn: "id", descending: true, binds: &binds)
        binds.append(limit + 1)
        sql += " ORDER BY created_at DESC, id DESC LIMIT $\(binds.count)"
        return try await db.withConnection { connection in
            let ids = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger)
                .collect().decode((UUID, Date).self)
            let page = PageCursor.page(ids, limit: limit) { PageCursor.after(time: $0.1, id: $0.0) }
            let orders = try await OrderReader(logger: logger).load(page.items.map(\.0), on: connection)
            return (orders, page.next)
        }
    }

    /// A supplier's packages (its producers and its post office's clerks), newest first.
    public func packages(
        supplier: SupplierScope, status: PackageStatus?, limit: Int, after cursor: PageCursor?, caller: Caller
    ) async throws -> (items: [Package], next: PageCursor?) {
        let principal = try caller.signedIn()
        try principal.require(.producer, .clerk)
        guard principal.seesPrivate(supplier) else { throw DomainError.notFound("No supplier with this id.") }
        var binds = PostgresBindings()
        binds.append(supplier.id)
        return try await packagePage(
            "p.supplier_id = $1", binds, status: status, limit: limit, after: cursor)
    }

    /// The packages of every supplier a post office serves (its clerks, admins), newest first.
    public func packages(
        postOffice: UUID, status: PackageStatus?, limit: Int, after cursor: PageCursor?, caller: Caller
    ) async throws -> (items: [Package], next: PageCursor?) {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        guard principal.worksAt(postOffice: postOffice, as: .clerk) else {
            throw DomainError.notFound("No post office with this id.")
        }
        var binds = PostgresBindings()
        binds.append(postOffice)
        return try await packagePage(
            "p.supplier_id IN (SELECT s2.id FROM suppliers s2 JOIN post_office_communes pc"
                + " ON pc.commune_code = s2.commune_code WHERE pc.post_office_id = $1)",
            binds, status: status, limit: limit, after: cursor)
    }

    /// One keyset page of the packages matching `condition`, on (created_at, id) descending.
    private func packagePage(
        _ condition: String, _ binds: PostgresBindings, status: PackageStatus?, limit: Int, after cursor: PageCursor?
    ) async throws -> (items: [Package], next: PageCursor?) {
        var binds = binds
        var condition = condition
        if let status {
            binds.append(status.rawValue)
            condition += " AND p.status = $\(binds.count)"
        }
        condition += try PageCursor.timeCondition(
            after: cursor, timeColumn: "p.created_at", idColumn: "p.id", descending: true, binds: &binds)
        let rows = try await db.withConnection { connection in
            try await OrderReader(logger: logger).packages(
                where: condition, binds, on: connection, orderBy: "p.created_at DESC, p.id DESC", limit: limit + 1)
        }
        return PageCursor.page(rows, limit: limit) { PageCursor.after(time: $0.createdAt, id: $0.id) }
    }
}
