import Foundation
import Logging
import PostgresNIO

/// The named queries that read what a batch of events is about, two statements per batch.
struct WebhookSubjects {
    let logger: Logger

    struct Loaded {
        var packages: [UUID: WebhookEvents.Subject] = [:]
        var orders: [UUID: WebhookEvents.Subject] = [:]
    }

    func load(packages: [UUID], orders: [UUID], on connection: PostgresConnection) async throws -> Loaded {
        var loaded = Loaded()
        let sql = """
            SELECT p.id, p.number, o.id, o.number, p.supplier_id, p.status, p.tracking_no, p.items_total_vnd,
                   p.cod_amount_vnd, o.status
            FROM packages p JOIN orders o ON o.id = p.order_id
            """
        let packageRows = try await connection.query(
            "\(unescaped: sql) WHERE p.id = ANY(\(packages)) OR p.order_id = ANY(\(orders)) ORDER BY p.number",
            logger: logger
        ).collect().decode((UUID, String, UUID, String, UUID, String, String?, Int64, Int64, String).self)
        var byOrder: [UUID: (number: String, status: String, packages: [WebhookEvents.PackageData])] = [:]
        let wanted = Set(packages)
        for row in packageRows {
            let data = WebhookEvents.PackageData(
                packageID: row.0, packageNumber: row.1, orderID: row.2, orderNumber: row.3, supplierID: row.4,
                status: row.5, trackingNo: row.6, itemsTotalVnd: row.7, codAmountVnd: row.8)
            if wanted.contains(row.0) { loaded.packages[row.0] = .package(data) }
            byOrder[row.2, default: (row.3, row.9, [])].packages.append(data)
        }
        for id in orders {
            guard let order = byOrder[id] else { continue }
            loaded.orders[id] = .order(id: id, number: order.number, status: order.status, packages: order.packages)
        }
        return loaded
    }
}
