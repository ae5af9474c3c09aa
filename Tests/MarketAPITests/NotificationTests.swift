import Foundation
import HTTPTypes
import Kernel
import Logistics
import Orders
import PostgresNIO
import Synchronization
import Testing

@testable import MarketAPI

/// A provider that keeps what it was asked to send (the test's SMS gateway).
final class RecordingSender: MessageSender {
    let channel: MessageChannel
    let sent = Mutex<[OutboundMessage]>([])
    var provider: String { "recording" }

    init(channel: MessageChannel) { self.channel = channel }

    func send(_ message: OutboundMessage) async throws {
        sent.withLock { $0.append(message) }
    }
}

/// Issue 21, telling people what happened: outbox events become inbox notifications and messages,
/// once, whoever runs the notifier; the delivery code reaches the buyer this way and nowhere else.
@Suite("Notifications: the inbox, messages by channel, reminders and cancelling unaccepted packages")
struct NotificationTests {
    static func notifier(_ api: TestAPI, channels: Set<MessageChannel> = [.sms], window: TimeInterval = 48 * 3600)
        throws -> Notifier
    {
        Notifier(
            db: Database(api.db), templates: try NotificationTemplates.load(), channels: channels,
            acceptWindow: window, logger: testLogger)
    }

    static func inbox(_ api: TestAPI, _ token: String, unread: Bool = false) async throws -> [[String: Any]] {
        let reply = try await api.request(.get, "/v1/me/notifications?limit=100&unread=\(unread)", token: token)
        #expect(reply.status == .ok, "\(reply.text)")
        return reply.json["items"] as? [[String: Any]] ?? []
    }

    @Test func templatesRenderEveryKindInVietnameseWithoutControlCharacters() throws {
        let templates = try NotificationTemplates.load()
        #expect(templates.kinds.count >= 10)
        for kind in templates.kinds {
            let rendered = try #require(
                templates.render(
                    kind: kind,
                    params: [
                        "order_number": "DH261207000001", "package_number": "DH261207000001-1",
                        "supplier_name": "HTX\nNước mắm", "tracking_no": "EB123456785VN", "delivery_code": "123456",
                        "grand_total": "100.000 ₫", "items_total": "85.000 ₫", "accept_by": "09/12/2026 10:00",
                        "reason": "", "cod": "1", "cod_amount": "",
                    ]), "\(kind)")
            #expect(!rendered.title.isEmpty && !rendered.body.isEmpty, "\(kind)")
            #expect(!rendered.body.contains("HTX\nNước"), "\(kind): a value broke the text into lines")
            #expect(!rendered.body.contains("false") && !rendered.body.contains("{{"), "\(kind): \(rendered.body)")
        }
        let delivery = try #require(
            templates.render(
                kind: "package.out_for_delivery",
                params: ["package_number": "P-1", "tracking_no": "EB123456785VN", "delivery_code": "654321"]))
        #expect(delivery.body.contains("654321"))
    }

    @Test func theBuyerAndTheProducersAreToldAndTheDeliveryCodeReachesTheBuyerOnly() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let code = try #require(order["delivery_code"] as? String)
            let notifier = try Self.notifier(api)
            // Two notifiers at once: each event notifies once.
            async let first = notifier.notifyPending()
            async let second = notifier.notifyPending()
            _ = try await (first, second)

            let kinds = try await Self.inbox(api, buyer).compactMap { $0["kind"] as? String }
            #expect(kinds.filter { $0 == "order.placed" }.count == 1, "\(kinds)")
            #expect(kinds.filter { $0 == "package.ready" }.count == 2, "\(kinds)")
            let producerKinds = try await Self.inbox(api, w.world.producer).compactMap { $0["kind"] as? String }
            #expect(producerKinds == ["package.new"], "\(producerKinds)")
            let producerNote = try #require(try await Self.inbox(api, w.world.producer).first)
            #expect((producerNote["link"] as? String)?.hasPrefix("/gian-hang/") == true)

            try await LedgerTests.outForDelivery(w, tracking[0], at: Date().addingTimeInterval(-3600))
            try await notifier.notifyPending()
            let out = try await Self.inbox(api, buyer).filter { $0["kind"] as? String == "package.out_for_delivery" }
            #expect(out.count == 1)
            #expect((out.first?["body"] as? String)?.contains(code) == true, "\(out)")
            // Nobody else's inbox, and no event of the outbox, holds the code.
            let leaks = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM outbox WHERE payload::text LIKE '%\(code)%'")
            #expect(leaks == 0)
            let elsewhere = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM notifications n JOIN orders o ON o.delivery_code = '\(code)' WHERE n.body LIKE '%\(code)%' AND n.user_id <> o.buyer_id"
            )
            #expect(elsewhere == 0)

            // The SMS channel is configured: the code goes to the recipient's phone, and its text is
            // blanked once the provider took it.
            let sms = RecordingSender(channel: .sms)
            let dispatcher = MessageDispatcher(db: Database(api.db), senders: [sms], logger: testLogger)
            try await dispatcher.sendDue()
            let sent = sms.sent.withLock { $0 }
            let codeMessage = try #require(sent.first { $0.template == "package.out_for_delivery" })
            #expect(codeMessage.recipient == "0905123456" && codeMessage.body.contains(code))
            #expect(try await dispatcher.sendDue() == 0)
            let kept = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM outbound_messages WHERE body LIKE '%\(code)%'")
            #expect(kept == 0)

            // Read one, then all; another person's is not found.
            let unread = try await Self.inbox(api, buyer, unread: true)
            let one = try #require(unread.first?["id"] as? String)
            #expect(
                try await api.request(.post, "/v1/me/notifications/\(one)/read", token: w.world.producer).status
                    == .notFound)
            let read = try await api.request(.post, "/v1/me/notifications/\(one)/read", token: buyer)
            #expect(read.status == .ok && read.json["read_at"] != nil)
            let page = try await api.request(.get, "/v1/me/notifications", token: buyer)
            #expect(page.json["unread_count"] as? Int == unread.count - 1)
            #expect(try await api.request(.post, "/v1/me/notifications/read-all", token: buyer).status == .noContent)
            #expect(try await Self.inbox(api, buyer, unread: true).isEmpty)
        }
    }

    /// Several events told in one round of the notifier (or late) read in the order they happened,
    /// each dated when it happened, not when the notifier ran.
    @Test func anInboxReadsInTheOrderThingsHappenedWhateverTheRound() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, _) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            // The notifier runs late: an hour after the events.
            try await api.db.query("UPDATE outbox SET created_at = created_at - interval '1 hour'")
            #expect(try await Self.notifier(api).notifyPending() > 0)
            let items = try await Self.inbox(api, buyer)
            let kinds = items.compactMap { $0["kind"] as? String }
            let placed = try #require(kinds.firstIndex(of: "order.placed"))
            let ready = try #require(kinds.firstIndex(of: "package.ready"))
            #expect(ready < placed, "newest first: \(kinds)")
            let formatter = ISO8601DateFormatter()
            for item in items {
                let at = try #require((item["created_at"] as? String).flatMap(formatter.date(from:)))
                #expect(at < Date().addingTimeInterval(-3000), "dated when it happened: \(item)")
            }
        }
    }

    @Test func anOptOutStopsMessagesButNeverTheDeliveryCode() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let prefs = try await api.request(
                .put, "/v1/me/notification-preferences", token: buyer,
                json: ["email": true, "sms": false, "zalo": false])
            #expect(prefs.status == .ok && prefs.json["sms"] as? Bool == false)
            let read = try await api.request(.get, "/v1/me/notification-preferences", token: buyer)
            #expect(read.json["sms"] as? Bool == false && read.json["email"] as? Bool == true)
            let notifier = try Self.notifier(api, channels: [.sms])
            try await notifier.notifyPending()
            try await LedgerTests.outForDelivery(w, tracking[0], at: Date().addingTimeInterval(-3600))
            try await notifier.notifyPending()
            let me = try await api.request(.get, "/v1/me", token: buyer)
            let buyerID = try #require(me.json["id"] as? String)
            let templates = try await api.db.query(
                "SELECT template FROM outbound_messages WHERE user_id = \(UUID(uuidString: buyerID)!) ORDER BY template",
                logger: testLogger)
            var queued: [String] = []
            for try await template in templates.decode(String.self) { queued.append(template) }
            #expect(queued == ["package.out_for_delivery"], "\(queued)")
            // The inbox has everything regardless.
            #expect(try await Self.inbox(api, buyer).count >= 4)
        }
    }

    @Test func aPackageNobodyAcceptsIsRemindedOnceThenCancelledWithItsStockBack() async throws {
        try await withTestApp { api in
            let (world, fish, _, _) = try await OrderTests.shop(api, fishStock: 10)
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(fish, 3)])
            #expect(placed.status == .created)
            #expect(try await OrderTests.stock(api, fish) == 7)
            let notifier = try Self.notifier(api, window: 3600)
            try await notifier.notifyPending()
            // Halfway through the window: reminded, once.
            let later = Date().addingTimeInterval(1900)
            #expect(try await notifier.remindUnaccepted(now: later) == 1)
            try await notifier.remindUnaccepted(now: later)
            let reminders = try await Self.inbox(api, world.producer).filter {
                $0["kind"] as? String == "package.reminder"
            }
            #expect(reminders.count == 1)
            // Within the window nothing is cancelled; past it, the package is, and its stock is back.
            let orders = OrderService(
                db: Database(api.db), logger: testLogger, paymentWindow: .seconds(3600), hooks: LogisticsHooks.hooks)
            #expect(try await orders.cancelUnaccepted(window: 3600) == 0)
            #expect(try await orders.cancelUnaccepted(window: 3600, now: Date().addingTimeInterval(3700)) == 1)
            #expect(try await orders.cancelUnaccepted(window: 3600, now: Date().addingTimeInterval(3700)) == 0)
            #expect(try await OrderTests.stock(api, fish) == 10)
            let id = try #require(placed.json["id"] as? String)
            let after = try await api.request(.get, "/v1/orders/\(id)", token: buyer)
            #expect(after.json["status"] as? String == "cancelled")
            try await notifier.notifyPending()
            let told = try await Self.inbox(api, buyer).compactMap { $0["kind"] as? String }
            #expect(told.contains("package.cancelled_unaccepted"), "\(told)")
            // The producer cannot accept it any more.
            let packages = after.json["packages"] as? [[String: Any]] ?? []
            let package = try #require(packages.first?["id"] as? String)
            let accept = try await api.request(.post, "/v1/packages/\(package)/accept", token: world.producer)
            #expect(accept.status == .conflict)
            let audited = try await OrderTests.count(
                api, "SELECT count(*)::int FROM audit_log WHERE action = 'package.cancel_unaccepted'")
            #expect(audited == 1)
        }
    }

    @Test func packageActionsAndCancelsRecordWhoDidThem() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            _ = try await w.readyOrder()
            let accepted = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM audit_log WHERE action IN ('package.accept', 'package.ready') AND actor_id IS NOT NULL"
            )
            #expect(accepted == 4)
            let buyer = try await api.buyerToken()
            let placed = try await OrderTests.order(api, token: buyer, lines: [(w.fish, 1)])
            let id = try #require(placed.json["id"] as? String)
            #expect(try await api.request(.post, "/v1/orders/\(id)/cancel", token: buyer).status == .ok)
            let cancels = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM audit_log WHERE action = 'order.cancel' AND entity_id = '\(id)' AND actor_id IS NOT NULL"
            )
            #expect(cancels == 1)
        }
    }
}

/// Issue 16's last guessable-secret item, done with issue 21's notifications: a clerk has a new code
/// sent to the buyer and never sees it; the locked parcel can be delivered with it.
