import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO

/// Turns outbox events into notifications: each person's in-app inbox always, and messages to send by
/// the channels they did not opt out of (only those with a provider configured). Events are claimed
/// with SKIP LOCKED and marked in the same transaction as the notifications they made, so any number
/// of notifiers can run and an event notifies once; a notification is unique on its cause, person and
/// kind, so even a replayed event tells nobody twice.
public struct Notifier: Sendable {
    public let db: Database
    public let logger: Logger
    public let templates: NotificationTemplates
    /// Channels with a provider: messages are queued for these only.
    public let channels: Set<MessageChannel>
    public let acceptWindow: TimeInterval

    public init(
        db: Database, templates: NotificationTemplates, channels: Set<MessageChannel>, acceptWindow: TimeInterval,
        logger: Logger
    ) {
        (self.db, self.templates, self.channels, self.acceptWindow, self.logger) =
            (db, templates, channels, acceptWindow, logger)
    }

    /// Handles up to `limit` events, oldest first; returns how many.
    @discardableResult
    public func notifyPending(limit: Int = 200) async throws -> Int {
        try await db.withTransaction(logger: logger) { connection in
            let events = try await connection.query(
                """
                SELECT id, topic, aggregate_id, payload::text, created_at FROM outbox
                WHERE notified_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect().decode((Int64, String, UUID, String, Date).self)
            guard !events.isEmpty else { return 0 }
            // What the batch is about, read set-based: one statement per kind of subject.
            let facts = NotificationFacts(logger: logger)
            func aggregates(_ prefixes: String...) -> [UUID] {
                events.filter { event in prefixes.contains { event.1.hasPrefix($0) } }.map(\.2)
            }
            let orders = try await facts.orders(aggregates("order."), on: connection)
            var packages = try await facts.packages(aggregates("package.", "refund.", "complaint."), on: connection)
            for (id, deciders) in try await facts.complaintDeciders(aggregates("complaint.disputed"), on: connection) {
                packages[id]?.complaintDeciderIDs = deciders
            }
            let discrepancies = try await facts.discrepancies(aggregates("discrepancy."), on: connection)
            var batch: [(source: String, at: Date, notices: [Notice])] = []
            for (id, topic, aggregateID, payloadText, createdAt) in events {
                let payload = (try? JSONDecoder().decode([String: String].self, from: Data(payloadText.utf8))) ?? [:]
                let notices = NotificationRules.notices(
                    topic: topic, payload: payload, order: orders[aggregateID], package: packages[aggregateID],
                    discrepancy: discrepancies[aggregateID], eventAt: createdAt, acceptWindow: acceptWindow)
                batch.append(("outbox:\(id)", createdAt, notices))
            }
            try await deliver(batch, on: connection)
            try await Outbox.mark(events.map(\.0), .notified, on: connection, logger: logger)
            return events.count
        }
    }

    /// Reminds the producers of packages still waiting to be accepted halfway through their window
    /// (once per package: the reminder's source is the package).
    @discardableResult
    public func remindUnaccepted(now: Date = Date(), limit: Int = 200) async throws -> Int {
        let halfway = now.addingTimeInterval(-acceptWindow / 2)
        return try await db.withTransaction(logger: logger) { connection in
            let due = try await connection.query(
                """
                SELECT p.id, coalesce(o.paid_at, p.created_at) FROM packages p JOIN orders o ON o.id = p.order_id
                WHERE p.status = 'new' AND coalesce(o.paid_at, p.created_at) < \(halfway)
                  AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.source = 'remind:' || p.id::text)
                ORDER BY p.created_at LIMIT \(limit)
                FOR UPDATE OF p SKIP LOCKED
                """,
                logger: logger
            ).collect().decode((UUID, Date).self)
            let packages = try await NotificationFacts(logger: logger).packages(due.map(\.0), on: connection)
            var batch: [(source: String, at: Date, notices: [Notice])] = []
            for (id, since) in due {
                guard let package = packages[id] else { continue }
                var notices = NotificationRules.newPackage(package, eventAt: since, acceptWindow: acceptWindow)
                for index in notices.indices { notices[index].kind = "package.reminder" }
                batch.append(("remind:\(id.uuidString.lowercased())", now, notices))
            }
            try await deliver(batch, on: connection)
            return batch.count
        }
    }

    /// Writes each notice to its person's inbox and queues its messages, in the caller's transaction;
    /// each notice's cause is its batch entry's `source`. The people's contacts are read once.
    func deliver(_ batch: [(source: String, at: Date, notices: [Notice])], on connection: PostgresConnection)
        async throws
    {
        let everyone = Set(batch.flatMap { $0.notices.map(\.userID) })
        guard !everyone.isEmpty else { return }
        let people = try await contacts(of: Array(everyone), on: connection)
        for (source, at, notices) in batch {
            try await deliver(notices, source: source, at: at, people: people, on: connection)
        }
    }

    /// `at` is when it happened (the event's time), so an inbox reads in the order things happened even
    /// when one round of the notifier tells of several, or tells late; its id is time-ordered by it too,
    /// so events of one instant keep the order they are told in.
    func deliver(
        _ notices: [Notice], source: String, at: Date, people: [UUID: Contact], on connection: PostgresConnection
    ) async throws {
        for notice in notices {
            guard let (title, body) = templates.render(kind: notice.kind, params: notice.params) else {
                logger.error("no notification template", metadata: ["kind": .string(notice.kind)])
                continue
            }
            let inserted = try await connection.query(
                """
                INSERT INTO notifications (id, user_id, kind, title, body, link, source, created_at)
                VALUES (\(UUID.timeOrdered(at: at)), \(notice.userID), \(notice.kind), \(title), \(body),
                        \(notice.link), \(source), \(at))
                ON CONFLICT (source, user_id, kind) DO NOTHING
                RETURNING id
                """,
                logger: logger
            ).collect()
            guard !inserted.isEmpty, let person = people[notice.userID], person.isActive else { continue }
            for channel in MessageChannel.allCases where channels.contains(channel) {
                guard notice.essential || !person.optedOut.contains(channel) else { continue }
                let recipient: String? =
                    switch channel {
                    case .email: person.email
                    case .sms, .zalo: notice.phone ?? person.phone
                    }
                guard let recipient, !recipient.isEmpty else { continue }
                try await OutboundMessage(
                    userID: notice.userID, channel: channel, recipient: recipient, template: notice.kind,
                    subject: title, body: body, params: notice.params, secret: notice.essential,
                    source: "\(source):\(notice.kind)"
                ).enqueue(on: connection, logger: logger)
            }
        }
    }

    struct Contact {
        var email: String
        var phone: String?
        var isActive: Bool
        var optedOut: Set<MessageChannel>
    }

    func contacts(of users: [UUID], on connection: PostgresConnection) async throws -> [UUID: Contact] {
        let rows = try await connection.query(
            """
            SELECT u.id, u.email, u.phone_national, u.is_active,
                   coalesce((SELECT array_agg(o.channel) FROM notification_opt_outs o WHERE o.user_id = u.id), '{}')
            FROM users u WHERE u.id = ANY(\(users))
            """,
            logger: logger
        ).collect().decode((UUID, String, String?, Bool, [String]).self)
        var result: [UUID: Contact] = [:]
        for (id, email, phone, active, optedOut) in rows {
            result[id] = Contact(
                email: email, phone: phone, isActive: active, optedOut: Set(optedOut.compactMap(MessageChannel.init)))
        }
        return result
    }
}

/// The named queries that read what an event is about.
struct NotificationFacts {
    let logger: Logger

    /// The packages with these ids, by id.
    func packages(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: PackageFacts] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await packages("p.id = ANY(\(ids))", on: connection)
        return Dictionary(rows.map { ($0.packageID, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The orders with these ids (with their packages), by id.
    func orders(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: OrderFacts] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT id, number, buyer_id, grand_total_vnd, payment_method, delivery_code, phone FROM orders
            WHERE id = ANY(\(ids))
            """, logger: logger
        ).collect().decode((UUID, String, UUID, Int64, String, String, String).self)
        let packages = Dictionary(
            grouping: try await packages("p.order_id = ANY(\(ids))", on: connection), by: \.orderID)
        var result: [UUID: OrderFacts] = [:]
        for (id, number, buyer, total, method, code, phone) in rows {
            result[id] = OrderFacts(
                orderID: id, orderNumber: number, buyerID: buyer, grandTotal: total, isCOD: method == "cod",
                packages: packages[id] ?? [], deliveryCode: code,
                recipientPhone: SignInName.national(phone: phone) ?? phone)
        }
        return result
    }

    /// For the packages with these ids, the clerks who may decide their complaint: of the delivering office,
    /// active, neither its buyer nor a member of its seller.
    func complaintDeciders(_ packageIDs: [UUID], on connection: PostgresConnection) async throws -> [UUID: [UUID]] {
        guard !packageIDs.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT c.package_id, coalesce((SELECT array_agg(DISTINCT g.user_id) FROM role_grants g
                    JOIN users u ON u.id = g.user_id
                WHERE g.role = 'clerk' AND g.post_office_id = c.post_office_id AND u.is_active
                    AND g.user_id <> c.buyer_id
                    AND NOT EXISTS (SELECT 1 FROM role_grants m WHERE m.user_id = g.user_id AND m.role = 'producer'
                        AND m.supplier_id = c.supplier_id)), '{}')
            FROM complaints c WHERE c.package_id = ANY(\(packageIDs))
            """,
            logger: logger
        ).collect().decode((UUID, [UUID]).self)
        return Dictionary(rows, uniquingKeysWith: { first, _ in first })
    }

    /// The discrepancies with these ids, by id, each with who is to be told.
    func discrepancies(_ ids: [UUID], on connection: PostgresConnection) async throws -> [UUID: DiscrepancyFacts] {
        guard !ids.isEmpty else { return [:] }
        let rows = try await connection.query(
            """
            SELECT d.id, d.kind, d.amount_vnd, coalesce(u.display_name, ''), coalesce(o.name, ''),
                   (SELECT p.tracking_no FROM packages p WHERE p.id = d.package_id),
                   coalesce((SELECT array_agg(DISTINCT g.user_id) FROM role_grants g
                             WHERE g.role = 'finance' OR (g.role = 'clerk' AND g.post_office_id = d.post_office_id)),
                            '{}')
            FROM cod_discrepancies d
            LEFT JOIN users u ON u.id = d.courier_id
            LEFT JOIN post_offices o ON o.id = d.post_office_id
            WHERE d.id = ANY(\(ids))
            """,
            logger: logger
        ).collect().decode((UUID, String, Int64, String, String, String?, [UUID]).self)
        var result: [UUID: DiscrepancyFacts] = [:]
        for (id, kind, amount, courier, office, tracking, recipients) in rows {
            result[id] = DiscrepancyFacts(
                id: id, kind: kind, amount: amount, courierName: courier, officeName: office, trackingNo: tracking,
                recipients: recipients)
        }
        return result
    }

    private func packages(_ condition: PostgresQuery, on connection: PostgresConnection) async throws -> [PackageFacts]
    {
        var query: PostgresQuery = """
            SELECT p.id, p.number, o.id, o.number, o.buyer_id, s.id, s.name,
                   coalesce((SELECT array_agg(g.user_id ORDER BY g.user_id) FROM role_grants g
                             WHERE g.role = 'producer' AND g.supplier_id = s.id), '{}'),
                   p.tracking_no, o.delivery_code, p.cod_amount_vnd, p.items_total_vnd, p.reject_reason,
                   COALESCE(p.dest_phone, o.phone)
            FROM packages p JOIN orders o ON o.id = p.order_id JOIN suppliers s ON s.id = p.supplier_id
            WHERE
            """
        query.sql += " " + condition.sql
        query.binds = condition.binds
        query.sql += " ORDER BY p.number"
        let rows = try await connection.query(query, logger: logger).collect().decode(
            (UUID, String, UUID, String, UUID, UUID, String, [UUID], String?, String, Int64, Int64, String?, String)
                .self)
        return rows.map { row in
            PackageFacts(
                packageID: row.0, packageNumber: row.1, orderID: row.2, orderNumber: row.3, buyerID: row.4,
                supplierID: row.5, supplierName: row.6, producerIDs: row.7, trackingNo: row.8, deliveryCode: row.9,
                codAmount: row.10, itemsTotal: row.11, rejectReason: row.12,
                recipientPhone: SignInName.national(phone: row.13) ?? row.13)
        }
    }
}
