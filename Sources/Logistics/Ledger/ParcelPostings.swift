import Foundation
import Logging
import Orders
import PostgresNIO

/// The money of one parcel or order, posted in the transaction of the event that moves it. The
/// ledger's unique indexes make each posting happen once, whatever retries or races do.
struct ParcelPostings: Sendable {
    let logger: Logger

    struct Terms: Sendable {
        var supplierID: UUID
        var orderID: UUID
        var prepaid: Bool
        var paid: Bool
        var officeID: UUID?
        var fees: FeeTerms
        var codAmountVND: Int64
    }

    func terms(of packageID: UUID, on connection: PostgresConnection) async throws -> Terms? {
        let heads = try await connection.query(
            """
            SELECT p.supplier_id, p.order_id, o.payment_method, o.paid_at IS NOT NULL, p.delivery_post_office_id,
                p.shipping_fee_vnd, p.cod_fee_vnd, p.return_charge_vnd, p.cod_amount_vnd, p.seller_surcharge_vnd
            FROM packages p JOIN orders o ON o.id = p.order_id WHERE p.id = \(packageID)
            """,
            logger: logger
        ).collect().decode((UUID, UUID, String, Bool, UUID?, Int64, Int64, Int64, Int64, Int64).self)
        guard let h = heads.first else { return nil }
        let lines = try await connection.query(
            "SELECT line_total_vnd, commission_bps FROM order_lines WHERE package_id = \(packageID) ORDER BY position",
            logger: logger
        ).collect().decode((Int64, Int).self).map { LineTerms(lineTotalVND: $0.0, commissionBps: $0.1) }
        return Terms(
            supplierID: h.0, orderID: h.1, prepaid: h.2 == PaymentMethod.bankTransfer.rawValue, paid: h.3,
            officeID: h.4,
            fees: FeeTerms(
                lines: lines, shippingFeeVND: h.5, codFeeVND: h.6, returnChargeVND: h.7, sellerSurchargeVND: h.9),
            codAmountVND: h.8)
    }

    /// `delivered`: a COD parcel's cash enters the courier's hands and splits to the seller, the
    /// commission, the COD fee and shipping; a prepaid one's held money does the same. A collection
    /// that differs from what was due is posted as collected and opens a discrepancy.
    func delivered(
        _ packageID: UUID, courier: UUID, collected: Int64, on day: String, on connection: PostgresConnection
    ) async throws {
        guard let t = try await terms(of: packageID, on: connection) else { return }
        let writer = LedgerWriter(logger: logger)
        if t.prepaid {
            let split = FeeSplit.prepaid(t.fees)
            try await writer.post(
                Postings.prepaidDelivery(split, supplier: t.supplierID),
                .init(packageID: packageID, orderID: t.orderID, by: courier), on: connection)
            return
        }
        let split = FeeSplit.collection(t.fees, collected: collected)
        try await writer.post(
            Postings.codCollection(split, courier: courier, supplier: t.supplierID),
            .init(packageID: packageID, orderID: t.orderID, by: courier), on: connection)
        if split.discrepancyVND != 0 {
            let discrepancy = UUID()
            try await connection.query(
                """
                INSERT INTO cod_discrepancies (id, kind, courier_id, post_office_id, package_id, business_day, amount_vnd)
                VALUES (\(discrepancy), 'collection', \(courier), \(t.officeID), \(packageID), \(day)::date,
                    \(split.discrepancyVND))
                """,
                logger: logger)
            try await Outbox.add(
                topic: "discrepancy.opened", aggregateType: "discrepancy", id: discrepancy, payload: [:],
                on: connection, logger: logger)
        }
    }

    /// `returned_to_sender`: the seller pays the return charge; a paid order's money is owed back.
    func returned(_ packageID: UUID, by user: UUID, on connection: PostgresConnection) async throws {
        guard let t = try await terms(of: packageID, on: connection) else { return }
        let writer = LedgerWriter(logger: logger)
        if t.fees.returnChargeVND > 0 {
            try await writer.post(
                Postings.returnCharge(t.fees.returnChargeVND, supplier: t.supplierID),
                .init(packageID: packageID, orderID: t.orderID, by: user), on: connection)
        }
        if t.prepaid && t.paid { try await refund(packageID, t, by: user, on: connection) }
    }

    func orderPaid(_ orderID: UUID, on connection: PostgresConnection) async throws {
        let totals = try await connection.query(
            "SELECT grand_total_vnd FROM orders WHERE id = \(orderID)", logger: logger
        ).collect().decode(Int64.self)
        guard let total = totals.first, total > 0 else { return }
        try await LedgerWriter(logger: logger).post(
            Postings.prepayment(amount: total), .init(orderID: orderID), on: connection)
    }

    /// A paid package cancelled or rejected before pickup: what the buyer paid for it is owed back.
    func packageEnded(_ packageID: UUID, on connection: PostgresConnection) async throws {
        guard let t = try await terms(of: packageID, on: connection), t.prepaid, t.paid else { return }
        try await refund(packageID, t, by: nil, on: connection)
    }

    func refund(_ packageID: UUID, _ t: Terms, by user: UUID?, on connection: PostgresConnection) async throws {
        let amount = FeeSplit.itemsTotal(t.fees) + t.fees.shippingFeeVND
        guard amount > 0 else { return }
        try await LedgerWriter(logger: logger).post(
            Postings.refundOwed(amount: amount), .init(packageID: packageID, orderID: t.orderID, by: user),
            on: connection)
    }
}
