import Foundation
import Kernel
import Logging
import Orders
import PostgresNIO
import Synchronization

/// How a relay sends one request (async-http-client in the service; the relay itself knows no HTTP).
public protocol WebhookTransport: Sendable {
    /// POSTs `body` with `headers`; answers the status code, or throws when no answer came in `timeout`.
    func post(url: String, headers: [(String, String)], body: String, timeout: Duration) async throws -> Int
}

/// Delivers the outbox to webhook endpoints, at least once, in order per aggregate and endpoint.
///
/// Two steps, each safe with any number of relays side by side: `fanOut` claims outbox events with
/// SKIP LOCKED and writes one delivery per subscribed endpoint (the event is marked in the same
/// transaction); `deliverDue` claims an endpoint's due deliveries whose aggregate has no earlier one
/// pending (so a package's `delivered` never overtakes its `out_for_delivery`), sends them with bounded
/// concurrency per endpoint and a timeout each, and records the outcome, the status code and the time
/// taken. `run` keeps one loop per endpoint with work, so a hanging receiver holds only its own.
public struct WebhookRelay: Sendable {
    public let db: Database
    public let logger: Logger
    public let transport: any WebhookTransport
    public let timeout: Duration
    /// Requests in flight to one endpoint at most (a slow receiver holds only its own share).
    public let perEndpoint: Int
    /// Endpoints served at once by `run` (each with up to `perEndpoint` requests in flight).
    public let concurrency: Int
    /// Multiplies the retry waits (1 in service; a benchmark shrinks them to replay an outage quickly).
    public let retryScale: Double

    public init(
        db: Database, transport: any WebhookTransport, logger: Logger, timeout: Duration = .seconds(10),
        perEndpoint: Int = 8, concurrency: Int = 32, retryScale: Double = 1
    ) {
        (self.db, self.transport, self.logger, self.timeout) = (db, transport, logger, timeout)
        (self.perEndpoint, self.concurrency, self.retryScale) = (perEndpoint, concurrency, retryScale)
    }

    // MARK: Fan-out

    /// The advisory lock key of the fan-out (any constant no other code uses).
    static let fanOutLock: Int64 = 0x5745_4248_4F4F_4B53

    /// Turns up to `limit` unpublished outbox events into deliveries; returns how many events.
    ///
    /// One relay fans out at a time (a transaction advisory lock; the others skip it), in event order,
    /// so each delivery can name the one before it of its aggregate (`prev_event_id`). Events of one
    /// order or package are written under that row's lock, so they commit in the order of their ids:
    /// when an event is visible, every earlier one of its aggregate is too.
    @discardableResult
    public func fanOut(limit: Int = 500) async throws -> Int {
        try await db.withTransaction(logger: logger) { connection in
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(\(Self.fanOutLock))", logger: logger
            ).collect().decode(Bool.self)
            guard locked.first == true else { return 0 }
            let events = try await connection.query(
                """
                SELECT id, topic, aggregate_type, aggregate_id, payload->>'from',
                       coalesce(payload->>'to', payload->>'status'), created_at FROM outbox
                WHERE published_at IS NULL ORDER BY id LIMIT \(limit) FOR UPDATE SKIP LOCKED
                """,
                logger: logger
            ).collect().decode((Int64, String, String, UUID, String?, String?, Date).self)
            guard !events.isEmpty else { return 0 }
            let subscriptions = try await connection.query(
                "SELECT id, event_types, supplier_id FROM webhook_endpoints WHERE enabled", logger: logger
            ).collect().decode((UUID, [String], UUID?).self).map {
                WebhookEvents.Subscription(id: $0.0, eventTypes: $0.1, supplierID: $0.2)
            }
            var endpointIDs: [UUID] = []
            var eventIDs: [Int64] = []
            var types: [String] = []
            var aggregates: [UUID] = []
            var bodies: [String] = []
            if !subscriptions.isEmpty {
                let subjects = try await WebhookSubjects(logger: logger).load(
                    packages: events.filter { $0.2 == "package" }.map(\.3),
                    orders: events.filter { $0.2 == "order" }.map(\.3), on: connection)
                for (id, topic, kind, aggregate, from, to, at) in events {
                    guard let current = kind == "package" ? subjects.packages[aggregate] : subjects.orders[aggregate]
                    else { continue }
                    // The state the event moved to, not the one the aggregate is in by now.
                    let subject = to.map { current.with(status: $0) } ?? current
                    for subscription in subscriptions where subscription.wants(topic, about: subject) {
                        endpointIDs.append(subscription.id)
                        eventIDs.append(id)
                        types.append(topic)
                        aggregates.append(aggregate)
                        bodies.append(
                            try WebhookEvents.body(
                                topic: topic, previousStatus: from, occurredAt: at, subject: subject,
                                for: subscription))
                    }
                }
            }
            if !endpointIDs.isEmpty {
                // The last event of each (endpoint, aggregate) already fanned out, then each new one in turn.
                struct Pair: Hashable {
                    var endpoint: UUID
                    var aggregate: UUID
                }
                let pairs = Array(Set(zip(endpointIDs, aggregates).map { Pair(endpoint: $0.0, aggregate: $0.1) }))
                let last = try await connection.query(
                    """
                    SELECT d.endpoint_id, d.aggregate_id, max(d.event_id)
                    FROM unnest(\(pairs.map(\.endpoint))::uuid[], \(pairs.map(\.aggregate))::uuid[])
                        AS p (endpoint_id, aggregate_id)
                    JOIN webhook_deliveries d ON d.endpoint_id = p.endpoint_id AND d.aggregate_id = p.aggregate_id
                    GROUP BY d.endpoint_id, d.aggregate_id
                    """,
                    logger: logger
                ).collect().decode((UUID, UUID, Int64).self)
                var previous: [Pair: Int64] = [:]
                for (endpoint, aggregate, event) in last {
                    previous[Pair(endpoint: endpoint, aggregate: aggregate)] = event
                }
                var prevs: [Int64] = []
                for index in endpointIDs.indices {
                    let key = Pair(endpoint: endpointIDs[index], aggregate: aggregates[index])
                    prevs.append(previous[key] ?? 0)
                    previous[key] = eventIDs[index]
                }
                try await connection.query(
                    """
                    INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, aggregate_id, prev_event_id, body)
                    SELECT e, n, t, a, nullif(p, 0), b
                    FROM unnest(\(endpointIDs)::uuid[], \(eventIDs)::bigint[], \(types)::text[],
                                \(aggregates)::uuid[], \(prevs)::bigint[], \(bodies)::text[]) AS x (e, n, t, a, p, b)
                    ON CONFLICT (endpoint_id, event_id) DO NOTHING
                    """,
                    logger: logger)
            }
            try await Outbox.mark(events.map(\.0), .published, on: connection, logger: logger)
            return events.count
        }
    }

    // MARK: Delivery

    struct Claimed: Sendable {
        var id: UUID
        var endpointID: UUID
        var eventID: Int64
        var body: String
        var attempts: Int
        var url: String
        var secrets: [String]
    }

    struct Outcome: Sendable {
        var delivery: Claimed
        var statusCode: Int?
        var error: String?
        var milliseconds: Int
        var at: Date
        var succeeded: Bool { statusCode.map { (200..<300).contains($0) } ?? false }
    }

    /// The endpoints with a delivery due.
    public func dueEndpoints(now: Date = Date()) async throws -> [UUID] {
        try await db.query(
            """
            SELECT e.id FROM webhook_endpoints e
            WHERE e.enabled AND EXISTS (
                SELECT 1 FROM webhook_deliveries d
                WHERE d.endpoint_id = e.id AND d.status = 'pending' AND d.next_attempt_at <= \(now))
            """,
            logger: logger
        ).decode(UUID.self)
    }

    /// One round for one endpoint: claims up to `limit` due deliveries, sends them, records the
    /// outcomes. Returns how many were claimed (0: nothing more to do for now) and delivered.
    @discardableResult
    public func deliverDue(endpoint: UUID, limit: Int, now: Date = Date()) async throws -> (
        claimed: Int, delivered: Int
    ) {
        let claimed = try await claim(endpoint: endpoint, limit: limit, now: now)
        guard !claimed.isEmpty else { return (0, 0) }
        let outcomes = await send(claimed)
        try await record(outcomes)
        return (claimed.count, outcomes.filter(\.succeeded).count)
    }

    /// One round for every endpoint with work, side by side (a slow endpoint delays only its own
    /// outcomes); returns how many were delivered. `market relay` runs endpoints in loops of their own.
    @discardableResult
    public func deliverDue(limit: Int = 500, now: Date = Date()) async throws -> Int {
        let endpoints = try await dueEndpoints(now: now)
        return try await withThrowingTaskGroup(of: Int.self) { group in
            for endpoint in endpoints {
                group.addTask { try await deliverDue(endpoint: endpoint, limit: limit, now: now).delivered }
            }
            return try await group.reduce(0, +)
        }
    }

    /// Due deliveries of one enabled endpoint whose aggregate's previous delivery is not pending, oldest
    /// event first, leased by pushing their next attempt out (a relay that dies mid-send leaves them to
    /// be retried after the lease; another relay skips the locked rows).
    func claim(endpoint: UUID, limit: Int, now: Date) async throws -> [Claimed] {
        // Long enough for the whole batch through its lanes at the timeout each.
        let rounds = (limit + perEndpoint - 1) / max(1, perEndpoint)
        let lease = now.addingTimeInterval(Double(timeout.components.seconds) * Double(rounds) + 60)
        let rows = try await db.query(
            """
            WITH picked AS (
                SELECT d.id FROM webhook_deliveries d
                WHERE d.endpoint_id = \(endpoint) AND d.status = 'pending' AND d.next_attempt_at <= \(now)
                  AND (d.prev_event_id IS NULL OR NOT EXISTS (
                        SELECT 1 FROM webhook_deliveries b
                        WHERE b.endpoint_id = d.endpoint_id AND b.event_id = d.prev_event_id AND b.status = 'pending'))
                ORDER BY d.event_id LIMIT \(limit)
                FOR UPDATE OF d SKIP LOCKED
            )
            UPDATE webhook_deliveries d SET next_attempt_at = \(lease), attempts = d.attempts + 1,
                   last_attempt_at = \(now)
            FROM picked, webhook_endpoints e
            WHERE d.id = picked.id AND e.id = d.endpoint_id AND e.enabled
            RETURNING d.id, d.endpoint_id, d.event_id, d.body, d.attempts, e.url, e.secret,
                      CASE WHEN e.previous_secret_until > \(now) THEN e.previous_secret END
            """,
            logger: logger
        ).decode((UUID, UUID, Int64, String, Int, String, String, String?).self)
        return rows.map {
            Claimed(
                id: $0.0, endpointID: $0.1, eventID: $0.2, body: $0.3, attempts: $0.4, url: $0.5,
                secrets: [$0.6] + ($0.7.map { [$0] } ?? []))
        }.sorted { $0.eventID < $1.eventID }
    }

    /// Sends one endpoint's claimed deliveries in `perEndpoint` lanes, each lane one request at a time
    /// (the claim holds no two deliveries of one aggregate, so lanes never reorder an aggregate).
    func send(_ claimed: [Claimed]) async -> [Outcome] {
        let transport = self.transport
        let timeout = self.timeout
        let lanes = max(1, min(perEndpoint, claimed.count))
        return await withTaskGroup(of: [Outcome].self) { group in
            for lane in 0..<lanes {
                let share = claimed.enumerated().filter { $0.offset % lanes == lane }.map(\.element)
                group.addTask {
                    var results: [Outcome] = []
                    for delivery in share {
                        results.append(await Self.attempt(delivery, transport: transport, timeout: timeout))
                    }
                    return results
                }
            }
            var outcomes: [Outcome] = []
            for await results in group { outcomes += results }
            return outcomes
        }
    }

    static func attempt(_ delivery: Claimed, transport: any WebhookTransport, timeout: Duration) async -> Outcome {
        let started = ContinuousClock.now
        let at = Date()
        let headers =
            WebhookSignature.headers(
                id: "msg_\(delivery.eventID)", timestamp: Int(at.timeIntervalSince1970), body: delivery.body,
                secrets: delivery.secrets) + [
                ("content-type", "application/json"), ("user-agent", "ChoBuuDien-Webhooks/1"),
            ]
        let status: Int
        do {
            status = try await transport.post(
                url: delivery.url, headers: headers, body: delivery.body, timeout: timeout)
        } catch {
            return Outcome(
                delivery: delivery, statusCode: nil, error: String(String(describing: error).prefix(300)),
                milliseconds: Self.milliseconds(since: started), at: at)
        }
        return Outcome(
            delivery: delivery, statusCode: status, error: (200..<300).contains(status) ? nil : "HTTP \(status)",
            milliseconds: Self.milliseconds(since: started), at: at)
    }

    static func milliseconds(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Writes every outcome in one statement; then, per endpoint, a success clears its failing mark and
    /// a failure sets it, disabling the endpoint (and telling its owner) once it has failed for
    /// `WebhookRetry.disableAfter`.
    func record(_ outcomes: [Outcome]) async throws {
        let now = Date()
        var ids: [UUID] = []
        var statuses: [String] = []
        var nexts: [Date] = []
        // Arrays of optionals do not bind: 0 and "" stand for none.
        var codes: [Int] = []
        var errors: [String] = []
        var durations: [Int] = []
        for outcome in outcomes {
            ids.append(outcome.delivery.id)
            codes.append(outcome.statusCode ?? 0)
            errors.append(outcome.error ?? "")
            durations.append(outcome.milliseconds)
            if outcome.succeeded {
                statuses.append("delivered")
                nexts.append(now)
            } else if let wait = WebhookRetry.wait(afterAttempt: outcome.delivery.attempts) {
                statuses.append("pending")
                nexts.append(now.addingTimeInterval(wait * retryScale))
            } else {
                statuses.append("failed")
                nexts.append(now)
            }
        }
        let succeeded = Set(outcomes.filter(\.succeeded).map(\.delivery.endpointID))
        let failed = Set(outcomes.filter { !$0.succeeded }.map(\.delivery.endpointID)).subtracting(succeeded)
        try await db.withTransaction(logger: logger) { connection in
            try await connection.query(
                """
                UPDATE webhook_deliveries d SET status = o.status, next_attempt_at = o.next_at,
                    last_status_code = nullif(o.code, 0), last_error = nullif(o.error, ''), last_duration_ms = o.ms,
                    delivered_at = CASE WHEN o.status = 'delivered' THEN \(now) END
                FROM unnest(\(ids)::uuid[], \(statuses)::text[], \(nexts)::timestamptz[], \(codes)::int[],
                            \(errors)::text[], \(durations)::int[]) AS o (id, status, next_at, code, error, ms)
                WHERE d.id = o.id
                """,
                logger: logger)
            if !succeeded.isEmpty {
                try await connection.query(
                    "UPDATE webhook_endpoints SET failing_since = NULL WHERE id = ANY(\(Array(succeeded))) AND failing_since IS NOT NULL",
                    logger: logger)
            }
            guard !failed.isEmpty else { return }
            let cutoff = now.addingTimeInterval(-WebhookRetry.disableAfter)
            // Two statements: a row updated twice in one statement keeps only one of the changes.
            try await connection.query(
                """
                UPDATE webhook_endpoints SET failing_since = \(now)
                WHERE id = ANY(\(Array(failed))) AND failing_since IS NULL
                """,
                logger: logger)
            let disabled = try await connection.query(
                """
                UPDATE webhook_endpoints SET enabled = false, updated_at = \(now),
                    disabled_reason = 'failed for 3 days without a success'
                WHERE id = ANY(\(Array(failed))) AND enabled AND failing_since <= \(cutoff)
                RETURNING id, owner_id, url
                """,
                logger: logger
            ).collect().decode((UUID, UUID, String).self)
            for (id, owner, url) in disabled {
                logger.warning("webhook endpoint disabled", metadata: ["endpoint": "\(id)", "url": .string(url)])
                try await connection.query(
                    """
                    INSERT INTO notifications (user_id, kind, title, body, link, source)
                    VALUES (\(owner), 'webhook.disabled', 'Webhook đã bị tắt',
                            \("Địa chỉ webhook \(url) không nhận được sự kiện nào suốt 3 ngày nên đã bị tắt. Hãy sửa rồi bật lại; các sự kiện chưa gửi có thể gửi lại."),
                            \("/v1/webhook-endpoints/\(id.uuidString.lowercased())"), \("webhook-disabled:\(id.uuidString.lowercased()):\(Int(now.timeIntervalSince1970))"))
                    ON CONFLICT DO NOTHING
                    """,
                    logger: logger)
                try await AuditEntry(
                    actorID: nil, action: "webhook_endpoint.disable", entityType: "webhook_endpoint",
                    entityID: id.uuidString.lowercased(), requestID: "relay",
                    details: ["reason": "failed for 3 days"]
                ).record(on: connection, logger: logger)
            }
        }
    }

    /// Relays until `stop` says so: fans out, and keeps one delivery loop per endpoint with work (at
    /// most `concurrency` endpoints at once), each looping while it has deliveries due. `tick` runs
    /// once a round (pruning). Sleeps `poll` when a round found nothing new.
    public func run(poll: Duration, stop: @escaping @Sendable () -> Bool, tick: @escaping @Sendable () async -> Void)
        async
    {
        final class Running: Sendable {
            let endpoints = Mutex<Set<UUID>>([])
        }
        let running = Running()
        await withDiscardingTaskGroup { group in
            while !stop() && !Task.isCancelled {
                var fanned = 0
                var started = 0
                do {
                    fanned = try await fanOut()
                    for endpoint in try await dueEndpoints() {
                        let start = running.endpoints.withLock { running -> Bool in
                            guard running.count < concurrency else { return false }
                            return running.insert(endpoint).inserted
                        }
                        guard start else { continue }
                        started += 1
                        group.addTask {
                            defer { _ = running.endpoints.withLock { $0.remove(endpoint) } }
                            while !stop() && !Task.isCancelled {
                                do {
                                    let round = try await deliverDue(endpoint: endpoint, limit: perEndpoint * 16)
                                    if round.claimed == 0 { break }
                                } catch {
                                    logger.error(
                                        "webhook delivery round failed",
                                        metadata: ["endpoint": "\(endpoint)", "error": "\(error)"])
                                    break
                                }
                            }
                        }
                    }
                } catch {
                    logger.error("relay round failed", metadata: ["error": "\(error)"])
                }
                await tick()
                if fanned == 0 && started == 0 { try? await Task.sleep(for: poll) }
            }
        }
    }

    /// Forgets deliveries finished more than `days` ago, and outbox events published, notified and older
    /// than that (`market relay`): the outbox is pruned once delivered everywhere.
    @discardableResult
    public func prune(keepDays days: Int, now: Date = Date()) async throws -> (deliveries: Int, events: Int) {
        let cutoff = now.addingTimeInterval(-Double(days) * 86400)
        let deliveries =
            try await db.query(
                """
                WITH gone AS (DELETE FROM webhook_deliveries WHERE status <> 'pending' AND created_at < \(cutoff) RETURNING 1)
                SELECT count(*)::int FROM gone
                """,
                logger: logger
            ).decode(Int.self).first ?? 0
        let events =
            try await db.query(
                """
                WITH gone AS (
                    DELETE FROM outbox o WHERE o.created_at < \(cutoff) AND o.published_at IS NOT NULL
                      AND o.notified_at IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = o.id AND d.status = 'pending')
                    RETURNING 1)
                SELECT count(*)::int FROM gone
                """,
                logger: logger
            ).decode(Int.self).first ?? 0
        return (deliveries, events)
    }
}
