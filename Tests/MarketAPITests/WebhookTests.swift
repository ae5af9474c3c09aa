import Foundation
import HTTPTypes
import Kernel
import Logistics
import PostgresNIO
import Synchronization
import Testing

@testable import MarketAPI

/// Issue 21: the outbox delivered as Standard Webhooks: signed, in order per order and package, at
/// least once, retried, replayable, with slow receivers kept from stalling the others.
@Suite("Webhooks: endpoints, signed deliveries in order, retries, replays, two relays, disabling")
struct WebhookTests {
    static func relay(_ api: TestAPI, timeout: Duration = .seconds(5)) -> WebhookRelay {
        WebhookRelay(
            db: Database(api.db), transport: HTTPWebhookTransport(client: sharedClient), logger: testLogger,
            timeout: timeout)
    }

    static let sharedClient = HTTPWebhookTransport.makeClient()

    /// Fans out and delivers until nothing is due (retries pushed into the future are not due), as if
    /// `ahead` seconds had passed.
    static func drain(_ relay: WebhookRelay, ahead: TimeInterval = 0) async throws {
        while try await relay.fanOut() > 0 {}
        // One "now" for the whole drain: on a loaded machine the rounds can outlast a retry's backoff,
        // and a retry due in real time meanwhile would be sent while the test expects it waiting.
        let now = Date().addingTimeInterval(ahead)
        for _ in 0..<20 where try await relay.deliverDue(now: now) > 0 {}
    }

    @Test func signaturesFollowTheStandardWebhooksVector() {
        // The example of the Standard Webhooks specification's reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let signature = WebhookSignature.sign(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: "{\"test\": 2432232314}",
            secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        let now = Date(timeIntervalSince1970: 1_614_265_330)
        #expect(
            WebhookSignature.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: "{\"test\": 2432232314}",
                signatures: "v1,bm9wZQ== " + (signature ?? ""), secret: secret, now: now))
        // A replay ten minutes later, or another body, is refused.
        #expect(
            !WebhookSignature.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: "{\"test\": 2432232314}",
                signatures: signature ?? "", secret: secret, now: now.addingTimeInterval(600)))
        #expect(
            !WebhookSignature.verify(
                id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", body: "{\"test\": 1}",
                signatures: signature ?? "", secret: secret, now: now))
        #expect(WebhookRetry.waits.reduce(0, +) >= 24 * 3600)
        #expect(WebhookEndpointDraft.isPrivate(host: "127.0.0.1") && WebhookEndpointDraft.isPrivate(host: "10.2.3.4"))
        #expect(
            WebhookEndpointDraft.isPrivate(host: "169.254.169.254") && WebhookEndpointDraft.isPrivate(host: "[::1]"))
        #expect(
            !WebhookEndpointDraft.isPrivate(host: "shop.example.vn") && !WebhookEndpointDraft.isPrivate(host: "8.8.8.8")
        )
    }

    @Test func whoMayRegisterWhat() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let admin = w.world.admin
            let producer = w.world.producer
            let supplier = w.world.supplier
            let buyer = try await api.buyerToken()
            let body: [String: Any] = ["url": "https://shop.example.vn/hooks", "event_types": ["package.delivered"]]
            #expect(
                try await api.request(.post, "/v1/webhook-endpoints", token: buyer, json: body).status == .forbidden)
            // A producer names its supplier, never '*', never its own network.
            #expect(
                try await api.request(.post, "/v1/webhook-endpoints", token: producer, json: body).status
                    == .unprocessableContent)
            let star = try await api.request(
                .post, "/v1/webhook-endpoints", token: producer,
                json: ["url": "https://shop.example.vn/h", "event_types": ["*"], "supplier_id": supplier])
            #expect(star.status == .unprocessableContent)
            let inside = try await api.request(
                .post, "/v1/webhook-endpoints", token: producer,
                json: ["url": "https://10.0.0.5/h", "event_types": ["package.new"], "supplier_id": supplier])
            #expect(inside.errorFields == ["url"])
            let other = try await api.request(
                .post, "/v1/webhook-endpoints", token: w.honeyProducer,
                json: ["url": "https://shop.example.vn/h", "event_types": ["package.new"], "supplier_id": supplier])
            #expect(other.status == .forbidden)
            let mine = try await api.request(
                .post, "/v1/webhook-endpoints", token: producer,
                json: ["url": "https://shop.example.vn/h", "event_types": ["package.new"], "supplier_id": supplier])
            #expect(mine.status == .created, "\(mine.text)")
            #expect((mine.json["secret"] as? String)?.hasPrefix("whsec_") == true)
            let id = try #require(mine.json["id"] as? String)
            // The secret is shown once; another producer does not see the endpoint at all.
            let read = try await api.request(.get, "/v1/webhook-endpoints/\(id)", token: producer)
            #expect(read.status == .ok && read.json["secret"] == nil)
            #expect(
                try await api.request(.get, "/v1/webhook-endpoints/\(id)", token: w.honeyProducer).status == .notFound)
            let listed = try await api.request(.get, "/v1/webhook-endpoints", token: w.honeyProducer)
            #expect((listed.json["items"] as? [Any])?.isEmpty == true)
            #expect(try await api.request(.get, "/v1/webhook-endpoints/\(id)", token: admin).status == .ok)
            let rotated = try await api.request(.post, "/v1/webhook-endpoints/\(id)/rotate-secret", token: producer)
            #expect(rotated.json["secret"] as? String != mine.json["secret"] as? String)
            let nothing = try await api.request(
                .patch, "/v1/webhook-endpoints/\(id)", token: producer, json: [String: Any]())
            #expect(nothing.status == .unprocessableContent)
            let audit = try await OrderTests.count(
                api, "SELECT count(*)::int FROM audit_log WHERE entity_id = '\(id)' AND actor_id IS NOT NULL")
            #expect(audit == 2)
        }
    }

    @Test func eventsArriveSignedInOrderAndScopedToTheirSupplier() async throws {
        try await withTestApp(config: testConfig { $0.webhookAllowPrivate = true }) { api in
            try await WebhookReceiver.with { platform in
                try await WebhookReceiver.with { shop in
                    let w = try await LogisticsWorld.make(api, couriers: 1)
                    let everything = try await w.world.expect(
                        .post, "/v1/webhook-endpoints", w.world.admin,
                        json: ["url": platform.url, "event_types": ["*"], "description": "Hệ thống bưu cục"],
                        status: .created)
                    let own = try await w.world.expect(
                        .post, "/v1/webhook-endpoints", w.world.producer,
                        json: [
                            "url": shop.url, "event_types": ["order.created", "package.new", "package.delivered"],
                            "supplier_id": w.world.supplier,
                        ], status: .created)
                    let (order, tracking) = try await w.readyOrder()
                    let refreshed = try await LedgerTests.refreshed(w, order)
                    for number in tracking {
                        try await LedgerTests.deliver(w, number, order: refreshed, at: Date().addingTimeInterval(-3600))
                    }
                    try await Self.drain(Self.relay(api))

                    let platformSecret = try #require(everything.json["secret"] as? String)
                    let shopSecret = try #require(own.json["secret"] as? String)
                    let all = platform.received
                    #expect(all.count >= 12, "\(all.map(\.type))")
                    #expect(all.allSatisfy { WebhookReceiver.isSigned($0, secret: platformSecret) })
                    #expect(shop.received.allSatisfy { WebhookReceiver.isSigned($0, secret: shopSecret) })
                    #expect(!shop.received.contains { WebhookReceiver.isSigned($0, secret: platformSecret) })
                    // In order per aggregate, each event once.
                    for (_, events) in Dictionary(grouping: all, by: \.aggregate) {
                        let numbers = events.map(\.eventNumber)
                        #expect(numbers == numbers.sorted(), "\(events.map(\.type))")
                    }
                    #expect(Set(all.map(\.id)).count == all.count)
                    let fishPackage = try #require(
                        all.first {
                            $0.type == "package.delivered"
                                && (($0.json["data"] as? [String: Any])?["package"] as? [String: Any])?["supplier_id"]
                                    as? String == w.world.supplier
                        }, "\(all.map { "\($0.type) \($0.body)" })")
                    let data = fishPackage.json["data"] as? [String: Any] ?? [:]
                    #expect((data["package"] as? [String: Any])?["status"] as? String == "delivered")
                    #expect(data["previous_status"] as? String == "out_for_delivery")
                    // The shop sees its own supplier's events only: its package, and the order with
                    // only its package.
                    let shopTypes = shop.received.map(\.type)
                    #expect(shopTypes.filter { $0 == "order.created" }.count == 1, "\(shopTypes)")
                    #expect(shopTypes.filter { $0 == "package.delivered" }.count == 1, "\(shopTypes)")
                    let created = try #require(shop.received.first { $0.type == "order.created" })
                    let packages = (created.json["data"] as? [String: Any])?["packages"] as? [[String: Any]] ?? []
                    #expect(packages.count == 1 && packages.first?["supplier_id"] as? String == w.world.supplier)
                    // Never a delivery code.
                    let code = try #require(order["delivery_code"] as? String)
                    #expect(
                        !(all + shop.received).contains {
                            $0.body.contains("\"\(code)\"") || $0.body.contains("delivery_code")
                        })
                    // Deliveries are listed with their status code and time.
                    let endpointID = try #require(own.json["id"] as? String)
                    let listed = try await w.world.expect(
                        .get, "/v1/webhook-endpoints/\(endpointID)/deliveries", w.world.producer, status: .ok)
                    let items = listed.json["items"] as? [[String: Any]] ?? []
                    #expect(items.count == shop.received.count)
                    #expect(
                        items.allSatisfy {
                            $0["status"] as? String == "delivered" && $0["last_status_code"] as? Int == 200
                        })
                    #expect(items.allSatisfy { $0["last_duration_ms"] is Int })
                }
            }
        }
    }

    @Test func aReceiverThatFailsThenRecoversGetsEverythingAndAReplayResendsTheSameID() async throws {
        try await withTestApp { api in
            try await WebhookReceiver.with { receiver in
                let w = try await LogisticsWorld.make(api, couriers: 1)
                let endpoint = try await w.world.expect(
                    .post, "/v1/webhook-endpoints", w.world.admin,
                    json: [
                        "url": receiver.url,
                        "event_types": ["order.created", "package.accepted", "package.ready_for_pickup"],
                    ],
                    status: .created)
                let endpointID = try #require(endpoint.json["id"] as? String)
                receiver.failuresLeft.withLock { $0 = 1_000 }
                _ = try await w.readyOrder()
                let relay = Self.relay(api)
                try await Self.drain(relay)
                // Down: every delivery failed once and waits; only the first of each aggregate was tried.
                let pending = try await w.world.expect(
                    .get, "/v1/webhook-endpoints/\(endpointID)/deliveries?status=pending", w.world.admin, status: .ok)
                let waiting = pending.json["items"] as? [[String: Any]] ?? []
                #expect(waiting.count == 5)
                #expect(waiting.contains { $0["last_status_code"] as? Int == 503 && $0["attempts"] as? Int == 1 })
                #expect(receiver.received.count == 3, "one per aggregate: the order and its two packages")
                // Back up; the retries come due.
                receiver.failuresLeft.withLock { $0 = 0 }
                try await Self.drain(relay, ahead: 10)
                let ids = receiver.received.map(\.id)
                #expect(Set(ids).count == 5)
                let fresh = receiver.received.suffix(5)
                for (_, events) in Dictionary(grouping: fresh, by: \.aggregate) {
                    let numbers = events.map(\.eventNumber)
                    #expect(numbers == numbers.sorted())
                }
                let failedOnce = try await OrderTests.count(
                    api, "SELECT count(*)::int FROM webhook_deliveries WHERE status = 'delivered' AND attempts = 2")
                #expect(failedOnce == 3)
                // A replay sends the same id and body again.
                let delivered = try await w.world.expect(
                    .get, "/v1/webhook-endpoints/\(endpointID)/deliveries?status=delivered&limit=1", w.world.admin,
                    status: .ok)
                let one = try #require((delivered.json["items"] as? [[String: Any]])?.first)
                let replayed = try await w.world.expect(
                    .post, "/v1/webhook-deliveries/\(one["id"] as? String ?? "")/replay", w.world.admin, status: .ok)
                #expect(replayed.json["status"] as? String == "pending")
                let before = receiver.received.count
                try await Self.drain(relay)
                let last = try #require(receiver.received.last)
                #expect(last.id == "msg_\(one["event_id"] as? Int ?? -1)")
                #expect(receiver.received.count == before + 1)
                // Another admin-less caller cannot replay it.
                #expect(
                    try await api.request(
                        .post, "/v1/webhook-deliveries/\(one["id"] as? String ?? "")/replay", token: w.world.producer
                    ).status == .notFound)
            }
        }
    }

    @Test func twoRelaysAtOnceDeliverEachEventOnceAndAHangingReceiverStallsNobody() async throws {
        try await withTestApp { api in
            try await WebhookReceiver.with { fast in
                try await WebhookReceiver.with { hanging in
                    let w = try await LogisticsWorld.make(api, couriers: 1)
                    for url in [fast.url, hanging.url] {
                        try await w.world.expect(
                            .post, "/v1/webhook-endpoints", w.world.admin, json: ["url": url, "event_types": ["*"]],
                            status: .created)
                    }
                    hanging.delay.withLock { $0 = .seconds(3) }
                    for _ in 0..<3 { _ = try await w.readyOrder() }
                    let expected = try await OrderTests.count(
                        api, "SELECT count(*)::int FROM outbox WHERE published_at IS NULL")
                    // Two relays side by side, as two `market relay` processes would run.
                    let stop = StopFlag()
                    let started = ContinuousClock.now
                    let relays = Task {
                        await withTaskGroup(of: Void.self) { group in
                            for _ in 0..<2 {
                                group.addTask {
                                    await Self.relay(api, timeout: .seconds(1)).run(
                                        poll: .milliseconds(20), stop: { stop.value.withLock { $0 } }, tick: {})
                                }
                            }
                        }
                    }
                    while fast.received.count < expected && ContinuousClock.now - started < .seconds(20) {
                        try await Task.sleep(for: .milliseconds(20))
                    }
                    let elapsed = ContinuousClock.now - started
                    stop.value.withLock { $0 = true }
                    await relays.value
                    #expect(fast.received.count == expected, "\(fast.received.count) of \(expected)")
                    #expect(elapsed < .seconds(2.5), "a hanging receiver held the others: \(elapsed)")
                    let ids = fast.received.map(\.id)
                    #expect(Set(ids).count == ids.count, "delivered twice: \(ids)")
                    for (_, events) in Dictionary(grouping: fast.received, by: \.aggregate) {
                        let numbers = events.map(\.eventNumber)
                        #expect(numbers == numbers.sorted())
                    }
                    let timedOut = try await OrderTests.count(
                        api,
                        "SELECT count(*)::int FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE e.url = '\(hanging.url)' AND d.status = 'pending' AND d.last_error IS NOT NULL"
                    )
                    #expect(timedOut >= 3)
                }
            }
        }
    }

    @Test func anEndpointFailingForThreeDaysIsDisabledAndItsOwnerTold() async throws {
        try await withTestApp(config: testConfig { $0.webhookAllowPrivate = true }) { api in
            try await WebhookReceiver.with { receiver in
                let w = try await LogisticsWorld.make(api, couriers: 1)
                let endpoint = try await w.world.expect(
                    .post, "/v1/webhook-endpoints", w.world.producer,
                    json: ["url": receiver.url, "event_types": ["package.accepted"], "supplier_id": w.world.supplier],
                    status: .created)
                let id = try #require(endpoint.json["id"] as? String)
                receiver.failuresLeft.withLock { $0 = 1_000 }
                try await api.db.query(
                    "UPDATE webhook_endpoints SET failing_since = now() - interval '3 days 1 hour' WHERE id = \(UUID(uuidString: id)!)",
                    logger: testLogger)
                _ = try await w.readyOrder()
                try await Self.drain(Self.relay(api))
                let read = try await w.world.expect(.get, "/v1/webhook-endpoints/\(id)", w.world.producer, status: .ok)
                #expect(read.json["enabled"] as? Bool == false && read.json["disabled_reason"] != nil)
                let inbox = try await NotificationTests.inbox(api, w.world.producer)
                #expect(inbox.contains { $0["kind"] as? String == "webhook.disabled" })
                // Enabled again, the waiting delivery goes out.
                receiver.failuresLeft.withLock { $0 = 0 }
                let enabled = try await w.world.expect(
                    .patch, "/v1/webhook-endpoints/\(id)", w.world.producer, json: ["enabled": true], status: .ok)
                #expect(enabled.json["failing_since"] == nil)
                try await Self.drain(Self.relay(api), ahead: 10)
                #expect(receiver.received.last?.type == "package.accepted")
            }
        }
    }
}

final class StopFlag: Sendable {
    let value = Mutex(false)
}
