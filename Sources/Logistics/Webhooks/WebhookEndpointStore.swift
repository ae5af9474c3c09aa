import Foundation
import Kernel
import Logging
import PostgresNIO

/// Registering and managing webhook endpoints, and their deliveries. An admin's endpoint may receive
/// every event; a producer's receives only its supplier's. Anyone else's endpoint is not found.
public struct WebhookEndpointStore: Sendable {
    public let db: Database
    public let logger: Logger
    /// Lets producers register http or private hosts (tests, a closed network).
    public let allowPrivate: Bool

    public init(db: Database, logger: Logger, allowPrivate: Bool = false) {
        (self.db, self.logger, self.allowPrivate) = (db, logger, allowPrivate)
    }

    static let columns = """
        id, url, description, event_types, supplier_id, owner_id, enabled, disabled_reason, failing_since, created_at
        """

    static func endpoint(_ row: PostgresRow) throws -> WebhookEndpoint {
        let (id, url, description, types, supplier, owner, enabled, reason, failing, created) = try row.decode(
            (UUID, String, String, [String], UUID?, UUID, Bool, String?, Date?, Date).self)
        return WebhookEndpoint(
            id: id, url: url, description: description, eventTypes: types, supplierID: supplier, ownerID: owner,
            enabled: enabled, disabledReason: reason, failingSince: failing, createdAt: created, secret: nil)
    }

    public func create(_ draft: WebhookEndpointDraft, caller: Caller) async throws -> WebhookEndpoint {
        let principal = try caller.signedIn()
        if let supplierID = draft.supplierID {
            guard principal.actsFor(supplier: supplierID) else {
                throw DomainError.forbidden("Only a producer of this supplier (or an admin) can do this.")
            }
        } else if !principal.isAdmin {
            try principal.require(.producer)
            throw DomainError.validation([FieldError(field: "supplier_id", message: "is required for a producer")])
        }
        var v = Validator()
        v.check(draft.url != nil, "url", "is required")
        v.check(draft.eventTypes != nil, "event_types", "is required")
        try v.done()
        let checked = try draft.validated(forSupplier: draft.supplierID != nil, allowPrivate: allowPrivate)
        let secret = WebhookSignature.newSecret()
        do {
            var endpoint = try await db.withTransaction(logger: logger) { connection in
                let rows = try await connection.query(
                    """
                    INSERT INTO webhook_endpoints (url, description, event_types, supplier_id, owner_id, secret)
                    VALUES (\(checked.url ?? ""), \(checked.description ?? ""), \(checked.eventTypes ?? []),
                            \(checked.supplierID), \(principal.userID), \(secret))
                    RETURNING \(unescaped: Self.columns)
                    """,
                    logger: logger
                ).collect()
                guard let row = rows.first else { throw DomainError.notFound("No supplier with this id.") }
                let endpoint = try Self.endpoint(row)
                try await audit("webhook_endpoint.create", endpoint.id, caller, on: connection)
                return endpoint
            }
            endpoint.secret = secret
            return endpoint
        } catch let error as PSQLError where error.sqlState == "23503" {
            throw DomainError.validation([FieldError(field: "supplier_id", message: "names no supplier")])
        }
    }

    /// The endpoints the caller may see: all for an admin, their suppliers' for a producer.
    public func list(caller: Caller) async throws -> [WebhookEndpoint] {
        let principal = try caller.signedIn()
        try principal.require(.producer)
        let suppliers = Array(principal.supplierIDs)
        return try await db.query(
            """
            SELECT \(unescaped: Self.columns) FROM webhook_endpoints
            WHERE \(principal.isAdmin) OR supplier_id = ANY(\(suppliers))
            ORDER BY created_at DESC, id DESC LIMIT 200
            """,
            logger: logger
        ).map(Self.endpoint)
    }

    public func get(_ id: UUID, caller: Caller) async throws -> WebhookEndpoint {
        let principal = try caller.signedIn()
        try principal.require(.producer)
        let rows = try await db.query(
            "SELECT \(unescaped: Self.columns) FROM webhook_endpoints WHERE id = \(id)", logger: logger)
        guard let endpoint = try rows.first.map(Self.endpoint), Self.visible(endpoint, to: principal) else {
            throw DomainError.notFound("No webhook endpoint with this id.")
        }
        return endpoint
    }

    static func visible(_ endpoint: WebhookEndpoint, to principal: Principal) -> Bool {
        principal.isAdmin || endpoint.supplierID.map { principal.supplierIDs.contains($0) } == true
    }

    /// Changes the URL, event types, description, or enables and disables it. Enabling again forgets
    /// the failures that disabled it.
    public func update(_ id: UUID, _ draft: WebhookEndpointDraft, caller: Caller) async throws -> WebhookEndpoint {
        let current = try await get(id, caller: caller)
        let checked = try draft.validated(forSupplier: current.supplierID != nil, allowPrivate: allowPrivate)
        return try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE webhook_endpoints SET url = coalesce(\(checked.url), url),
                    description = coalesce(\(checked.description), description),
                    event_types = coalesce(\(checked.eventTypes), event_types),
                    enabled = coalesce(\(checked.enabled), enabled),
                    disabled_reason = CASE WHEN coalesce(\(checked.enabled), enabled) THEN NULL
                                           WHEN \(checked.enabled) = false THEN 'disabled by its owner'
                                           ELSE disabled_reason END,
                    failing_since = CASE WHEN \(checked.enabled) = true THEN NULL ELSE failing_since END,
                    updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { throw DomainError.notFound("No webhook endpoint with this id.") }
            try await audit("webhook_endpoint.update", id, caller, on: connection)
            return try Self.endpoint(row)
        }
    }

    /// A new secret; the old one keeps signing (as a second signature) for a day.
    public func rotateSecret(_ id: UUID, caller: Caller) async throws -> WebhookEndpoint {
        _ = try await get(id, caller: caller)
        let secret = WebhookSignature.newSecret()
        var endpoint = try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                UPDATE webhook_endpoints SET previous_secret = secret,
                    previous_secret_until = now() + interval '1 day', secret = \(secret), updated_at = now()
                WHERE id = \(id)
                RETURNING \(unescaped: Self.columns)
                """,
                logger: logger
            ).collect()
            guard let row = rows.first else { throw DomainError.notFound("No webhook endpoint with this id.") }
            try await audit("webhook_endpoint.rotate_secret", id, caller, on: connection)
            return try Self.endpoint(row)
        }
        endpoint.secret = secret
        return endpoint
    }

    public func delete(_ id: UUID, caller: Caller) async throws {
        _ = try await get(id, caller: caller)
        try await db.withTransaction(logger: logger) { connection in
            try await connection.query("DELETE FROM webhook_endpoints WHERE id = \(id)", logger: logger)
            try await audit("webhook_endpoint.delete", id, caller, on: connection)
        }
    }

    static let deliveryColumns = """
        id, endpoint_id, event_id, event_type, status, attempts,
        CASE WHEN status = 'pending' THEN next_attempt_at END, last_status_code, last_error,
        last_duration_ms, last_attempt_at, delivered_at, created_at
        """

    static func delivery(_ row: PostgresRow) throws -> WebhookDelivery {
        let (id, endpoint, event, type, status, attempts, next, code, error, duration, last, delivered, created) =
            try row.decode(
                (UUID, UUID, Int64, String, String, Int, Date?, Int?, String?, Int?, Date?, Date?, Date).self)
        return WebhookDelivery(
            id: id, endpointID: endpoint, eventID: event, eventType: type, status: status, attempts: attempts,
            nextAttemptAt: next, lastStatusCode: code, lastError: error, lastDurationMS: duration,
            lastAttemptAt: last, deliveredAt: delivered, createdAt: created)
    }

    /// An endpoint's deliveries, newest first, optionally of one status.
    public func deliveries(
        of endpointID: UUID, status: String?, limit: Int, after cursor: PageCursor?, caller: Caller
    ) async throws -> (items: [WebhookDelivery], next: PageCursor?) {
        _ = try await get(endpointID, caller: caller)
        var binds = PostgresBindings()
        binds.append(endpointID)
        binds.append(status)
        let after = try PageCursor.timeCondition(
            after: cursor, timeColumn: "created_at", idColumn: "id", descending: true, binds: &binds)
        let rows = try await db.query(
            PostgresQuery(
                unsafeSQL: """
                    SELECT \(Self.deliveryColumns) FROM webhook_deliveries
                    WHERE endpoint_id = $1 AND ($2::text IS NULL OR status = $2::text)\(after)
                    ORDER BY created_at DESC, id DESC LIMIT \(limit + 1)
                    """, binds: binds),
            logger: logger
        ).map(Self.delivery)
        let page = PageCursor.page(rows, limit: limit) { PageCursor.after(time: $0.createdAt, id: $0.id) }
        return (page.items, page.next)
    }

    /// Sends a delivery again, from a fresh schedule (whatever its status): the receiver gets the same
    /// `webhook-id` and body, and drops it if it already had it.
    public func replay(_ deliveryID: UUID, caller: Caller) async throws -> WebhookDelivery {
        try caller.signedIn().require(.producer)
        let rows = try await db.query(
            "SELECT endpoint_id FROM webhook_deliveries WHERE id = \(deliveryID)", logger: logger
        ).decode(UUID.self)
        guard let endpointID = rows.first else { throw DomainError.notFound("No webhook delivery with this id.") }
        do {
            _ = try await get(endpointID, caller: caller)
        } catch DomainError.notFound {
            throw DomainError.notFound("No webhook delivery with this id.")
        }
        return try await db.withTransaction(logger: logger) { connection in
            let updated = try await connection.query(
                """
                UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now()
                WHERE id = \(deliveryID)
                RETURNING \(unescaped: Self.deliveryColumns)
                """,
                logger: logger
            ).collect()
            guard let row = updated.first else { throw DomainError.notFound("No webhook delivery with this id.") }
            try await audit("webhook_delivery.replay", deliveryID, caller, on: connection, type: "webhook_delivery")
            return try Self.delivery(row)
        }
    }

    func audit(
        _ action: String, _ id: UUID, _ caller: Caller, on connection: PostgresConnection,
        type: String = "webhook_endpoint"
    ) async throws {
        try await AuditEntry(
            actorID: caller.principal?.userID, action: action, entityType: type, entityID: id.uuidString.lowercased(),
            requestID: caller.requestID
        ).record(on: connection, logger: logger)
    }
}
