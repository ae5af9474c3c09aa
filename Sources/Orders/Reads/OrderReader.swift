import Foundation
import Kernel
import Logging
import PostgresNIO

/// Reads orders with their packages and lines (three queries, however many orders and lines).
struct OrderReader: Sendable {
    let logger: Logger

    func load(_ id: UUID, on connection: PostgresConnection, forUpdate: Bool = false) async throws -> Order? {
        try await load([id], on: connection, forUpdate: forUpdate).first
    }

    /// Orders by id, in the order of `ids` (missing ones left out): three queries for any number.
    func load(_ ids: [UUID], on connection: PostgresConnection, forUpdate: Bool = false) async throws -> [Order] {
        guard !ids.isEmpty else { return [] }
        var query: PostgresQuery = """
            SELECT id, number, buyer_id, status, payment_method, recipient_name, phone, province_code, commune_code,
                address_line, items_total_vnd, shipping_total_vnd, grand_total_vnd, delivery_code, payment_due_at,
                cancel_reason, created_at, updated_at
            FROM orders WHERE id = ANY(\(ids))
            """
        if forUpdate { query.sql += " ORDER BY id FOR UPDATE" }
        let rows = try await connection.query(query, logger: logger).collect()
        guard !rows.isEmpty else { return [] }
        var binds = PostgresBindings()
        binds.append(ids)
        let packages = Dictionary(
            grouping: try await self.packages(
                where: "p.order_id = ANY($1)", binds, on: connection, forUpdate: forUpdate),
            by: \.orderID)
        var orders: [UUID: Order] = [:]
        for row in rows {
            let r = row.columns
            let id: UUID = try r.get("id")
            orders[id] = Order(
                id: id, number: try r.get("number"), buyerID: try r.get("buyer_id"),
                status: OrderStatus(rawValue: try r.get("status")) ?? .placed,
                paymentMethod: PaymentMethod(rawValue: try r.get("payment_method")) ?? .cod,
                address: ShippingAddress(
                    recipientName: try r.get("recipient_name"), phone: try r.get("phone"),
                    provinceCode: try r.get("province_code"), communeCode: try r.get("commune_code"),
                    addressLine: try r.get("address_line")),
                packages: packages[id] ?? [], itemsTotalVND: try r.get("items_total_vnd"),
                shippingTotalVND: try r.get("shipping_total_vnd"), grandTotalVND: try r.get("grand_total_vnd"),
                deliveryCode: try r.get("delivery_code"), paymentDueAt: try r.get("payment_due_at"),
                cancelReason: try r.get("cancel_reason"), createdAt: try r.get("created_at"),
                updatedAt: try r.get("updated_at"))
        }
        return ids.compactMap { orders[$0] }
    }

    /// Packages matching `condition` (on `packages p`, with its `binds`), with their lines: by number
    /// (an order's packages), or a page newest first when `orderBy` and `limit` say so.
    func packages(
        where condition: String, _ binds: PostgresBindings, on connection: PostgresConnection, forUpdate: Bool = false,
        orderBy: String = "length(p.number), p.number", limit: Int? = nil
    ) async throws -> [Package] {
        var sql = """
            SELECT p.id, p.number, p.order_id, p.supplier_id, s.name AS supplier_name, p.status, p.items_total_vnd,
                p.weight_grams, p.zone, p.shipping_fee_vnd, p.cod_amount_vnd, p.reject_reason, p.tracking_no,
                p.created_at, p.updated_at, CASE WHEN p.status = 'waiting_for_instruction' THEN p.hold_until END AS hold_until,
                COALESCE(p.chargeable_weight_grams, p.weight_grams) AS chargeable_weight_grams,
                COALESCE(p.declared_value_vnd, p.items_total_vnd) AS declared_value_vnd, p.insurance_fee_vnd,
                p.dest_recipient_name, p.dest_phone, p.dest_province_code, p.dest_commune_code, p.dest_address_line,
                p.packed_weight_grams, CASE WHEN p.length_cm IS NOT NULL THEN ARRAY[p.length_cm, p.width_cm, p.height_cm]
                END AS packed_size_cm, p.seller_surcharge_vnd
            FROM packages p JOIN suppliers s ON s.id = p.supplier_id
            WHERE \(condition)
            ORDER BY \(orderBy)
            """
        if let limit { sql += " LIMIT \(limit)" }
        if forUpdate { sql += " FOR UPDATE OF p" }
        let rows = try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
        var packages: [Package] = []
        for row in rows {
            let r = row.columns
            var destination: ShippingAddress?
            if let name = try r.get("dest_recipient_name", as: String?.self) {
                destination = ShippingAddress(
                    recipientName: name, phone: try r.get("dest_phone"), provinceCode: try r.get("dest_province_code"),
                    communeCode: try r.get("dest_commune_code"), addressLine: try r.get("dest_address_line"))
            }
            packages.append(
                Package(
                    id: try r.get("id"), number: try r.get("number"), orderID: try r.get("order_id"),
                    supplierID: try r.get("supplier_id"), supplierName: try r.get("supplier_name"),
                    status: PackageStatus(rawValue: try r.get("status")) ?? .new, lines: [],
                    itemsTotalVND: try r.get("items_total_vnd"), weightGrams: try r.get("weight_grams"),
                    zone: try r.get("zone"), shippingFeeVND: try r.get("shipping_fee_vnd"),
                    codAmountVND: try r.get("cod_amount_vnd"), rejectReason: try r.get("reject_reason"),
                    trackingNo: try r.get("tracking_no"), createdAt: try r.get("created_at"),
                    updatedAt: try r.get("updated_at"), holdUntil: try r.get("hold_until"),
                    chargeableWeight: try r.get("chargeable_weight_grams"),
                    declaredValue: try r.get("declared_value_vnd"), insuranceFee: try r.get("insurance_fee_vnd"),
                    destination: destination, packedWeight: try r.get("packed_weight_grams"),
                    packedSizeCM: try r.get("packed_size_cm"), sellerSurcharge: try r.get("seller_surcharge_vnd")))
        }
        guard !packages.isEmpty else { return [] }
        let lines = try await connection.query(
            """
            SELECT package_id, variant_id, product_id, sku, title, variant_name, unit_price_vnd, quantity, line_total_vnd
            FROM order_lines WHERE package_id = ANY(\(packages.map(\.id))) ORDER BY package_id, position
            """,
            logger: logger
        ).collect().decode((UUID, UUID, UUID, String, String, String, Int64, Int, Int64).self)
        for line in lines {
            guard let index = packages.firstIndex(where: { $0.id == line.0 }) else { continue }
            packages[index].lines.append(
                OrderLine(
                    variantID: line.1, productID: line.2, sku: line.3, title: line.4, variantName: line.5,
                    unitPriceVND: line.6, quantity: line.7, lineTotalVND: line.8))
        }
        return packages
    }
}
