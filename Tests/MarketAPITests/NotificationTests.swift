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
@Suite("A clerk reissues a delivery code to the buyer")
struct DeliveryCodeReissueTests {
    @Test func aClerkUnlocksAParcelWithACodeOnlyTheBuyerGets() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let orderID = try #require(order["id"] as? String)
            let start = Date().addingTimeInterval(-3600)
            try await LedgerTests.outForDelivery(w, tracking[0], at: start)
            // Five wrong codes lock the parcel.
            let code = try #require(order["delivery_code"] as? String)
            let wrong = code == "000000" ? "000001" : "000000"
            for minute in 0..<5 {
                try await w.scan(
                    tracking[0], "delivered", at: start + 200 + Double(minute),
                    extra: ["cod_collected_vnd": 1, "recipient_name": "Mai", "delivery_code": wrong])
            }
            let locked = try await w.scan(
                tracking[0], "delivered", at: start + 300,
                extra: ["cod_collected_vnd": 1, "recipient_name": "Mai", "delivery_code": code])
            #expect(locked.status == .conflict)
            // Another office's clerk cannot; the courier cannot; the delivering office's clerk can.
            #expect(
                try await api.request(.post, "/v1/shipments/\(tracking[0])/delivery-code", token: w.world.clerkB).status
                    == .notFound)
            #expect(
                try await api.request(.post, "/v1/shipments/\(tracking[0])/delivery-code", token: w.couriers[0].token)
                    .status == .forbidden)
            let reissued = try await api.request(.post, "/v1/shipments/\(tracking[0])/delivery-code", token: w.clerk)
            #expect(reissued.status == .noContent && reissued.text.isEmpty)
            try await NotificationTests.notifier(api).notifyPending()
            let told = try await NotificationTests.inbox(api, buyer).first {
                $0["kind"] as? String == "order.delivery_code"
            }
            let fresh = try #require(
                try await api.request(.get, "/v1/orders/\(orderID)", token: buyer).json["delivery_code"] as? String)
            #expect(fresh != code)
            #expect((told?["body"] as? String)?.contains(fresh) == true)
            // Nobody else was told it (the buyer's own out-for-delivery notice, read after the change,
            // carries the code in force), and the outbox event does not carry it.
            let elsewhere = try await OrderTests.count(
                api,
                "SELECT count(*)::int FROM notifications n JOIN orders o ON o.id = '\(orderID)' WHERE n.body LIKE '%\(fresh)%' AND n.user_id <> o.buyer_id"
            )
            #expect(elsewhere == 0)
            let inOutbox = try await OrderTests.count(
                api, "SELECT count(*)::int FROM outbox WHERE payload::text LIKE '%\(fresh)%'")
            #expect(inOutbox == 0)
            // The old code no longer works; the new one delivers.
            let cod = LedgerTests.cod(try await LedgerTests.refreshed(w, order), tracking[0])
            let old = try await w.scan(
                tracking[0], "delivered", at: start + 400,
                extra: ["cod_collected_vnd": cod, "recipient_name": "Mai", "delivery_code": code])
            #expect(old.status == .unprocessableContent)
            try await w.scan(
                tracking[0], "delivered", at: start + 500,
                extra: ["cod_collected_vnd": cod, "recipient_name": "Mai", "delivery_code": fresh], status: .created)
            // Three reissues a day per order, then the buyer renews it himself.
            for _ in 0..<2 {
                #expect(
                    try await api.request(.post, "/v1/shipments/\(tracking[1])/delivery-code", token: w.clerk).status
                        == .noContent)
            }
            let fourth = try await api.request(.post, "/v1/shipments/\(tracking[1])/delivery-code", token: w.clerk)
            #expect(fourth.status == .tooManyRequests)
        }
    }
}

@Suite("Notifications of failed deliveries and COD discrepancies")
struct OperationsNotificationTests {
    @Test func aFailedAttemptTellsTheBuyerAndAShortCollectionTellsFinanceAndTheOfficesClerks() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let finance = try await w.world.financeToken()
            let start = Date().addingTimeInterval(-3 * 3600)
            try await LedgerTests.outForDelivery(w, tracking[0], at: start)
            try await w.scan(
                tracking[0], "delivery_failed", at: start + 200,
                extra: ["reason_code": "recipient_absent", "reason": "Không có ai ở nhà"],
                status: .created)
            let refreshed = try await LedgerTests.refreshed(w, order)
            try await LedgerTests.deliver(
                w, tracking[1], order: refreshed, collected: LedgerTests.cod(refreshed, tracking[1]) - 5_000,
                at: start + 600)
            try await NotificationTests.notifier(api).notifyPending()
            let failed = try await NotificationTests.inbox(api, buyer).first {
                $0["kind"] as? String == "package.delivery_failed"
            }
            #expect(
                (failed?["body"] as? String)?.contains("Không có ai ở nhà") == true, "\(String(describing: failed))")
            // A refusal goes straight back: the buyer hears that it is returning, not that it will come again.
            let (refusedOrder, refusedTracking) = try await w.readyOrder()
            let refuser = try #require(refusedOrder["buyer_token"] as? String)
            try await LedgerTests.outForDelivery(w, refusedTracking[0], at: start)
            try await w.scan(
                refusedTracking[0], "delivery_failed", at: start + 200, extra: ["reason_code": "refused"],
                status: .created)
            try await NotificationTests.notifier(api).notifyPending()
            let kinds = try await NotificationTests.inbox(api, refuser).compactMap { $0["kind"] as? String }
            #expect(kinds.contains("package.returning") && !kinds.contains("package.delivery_failed"), "\(kinds)")
            for (token, told) in [(finance, true), (w.clerk, true), (w.world.clerkB, false), (buyer, false)] {
                let inbox = try await NotificationTests.inbox(api, token)
                let note = inbox.first { $0["kind"] as? String == "discrepancy.opened" }
                #expect((note != nil) == told)
                if told {
                    #expect((note?["title"] as? String)?.contains("thiếu 5.000") == true, "\(String(describing: note))")
                    #expect((note?["body"] as? String)?.contains(tracking[1]) == true, "\(String(describing: note))")
                }
            }
        }
    }
}

@Suite("A refund paid is told to its buyer")
struct RefundNotificationTests {
    @Test func theBuyerOfACancelledPaidOrderHearsWhenTheMoneyIsBack() async throws {
        try await withTestApp { api in
            let world = try await ScopeWorld.make(api)
            let package = try await world.refund()
            let finance = world.token(.finance)
            try await world.expect(
                .post, "/v1/finance/refunds/\(package)/paid", finance, json: ["bank_reference": "RF777"], status: .ok)
            try await NotificationTests.notifier(api).notifyPending()
            let refunded = try await NotificationTests.inbox(api, world.buyer).first {
                $0["kind"] as? String == "refund.paid"
            }
            #expect((refunded?["body"] as? String)?.contains("₫") == true, "\(String(describing: refunded))")
            #expect(try await NotificationTests.inbox(api, world.token(.otherBuyer)).isEmpty)
        }
    }
}

@Suite("The console's inbox and counter")
struct ConsoleInboxTests {
    @Test func financeReadsADiscrepancyAndAClerkSendsANewCodeFromTheCounter() async throws {
        try await withTestApp { api in
            let w = try await LogisticsWorld.make(api, couriers: 1)
            let (order, tracking) = try await w.readyOrder()
            let buyer = try #require(order["buyer_token"] as? String)
            let (finance, _, _) = try await ConsoleTests.Browser.staff(w.world, role: "finance", office: nil)
            let refreshed = try await LedgerTests.refreshed(w, order)
            try await LedgerTests.deliver(
                w, tracking[0], order: refreshed, collected: LedgerTests.cod(refreshed, tracking[0]) + 2_000,
                at: Date().addingTimeInterval(-3600))
            try await NotificationTests.notifier(api).notifyPending()
            let home = try await finance.send(.get, "/console/")
            #expect(home.text.contains("thông báo chưa đọc"), "\(home.text.prefix(400))")
            let inbox = try await finance.send(.get, "/console/thong-bao")
            #expect(inbox.status == .ok && inbox.text.contains("thừa 2.000"), "\(inbox.text.prefix(600))")
            let read = try await finance.send(
                .post, "/console/thong-bao/da-doc", form: ["csrf": ConsoleTests.Browser.csrf(inbox) ?? ""])
            #expect(read.status == .seeOther)
            #expect(!(try await finance.send(.get, "/console/")).text.contains("thông báo chưa đọc"))

            // The counter: office A's clerk types the second parcel's number; only the buyer learns the code.
            let clerk = ConsoleTests.Browser(api)
            let me = try await api.request(.get, "/v1/me", token: w.clerk)
            let email = try #require(me.json["email"] as? String)
            #expect(try await clerk.signIn(email, "staff-password-1").status == .seeOther)
            let counter = try await clerk.send(.get, "/console/")
            #expect(counter.text.contains("Gửi mã nhận hàng mới"))
            let bad = try await clerk.send(
                .post, "/console/ma-nhan-hang",
                form: ["csrf": ConsoleTests.Browser.csrf(counter) ?? "", "van-don": "abc"])
            #expect(bad.status == .unprocessableContent)
            let sent = try await clerk.send(
                .post, "/console/ma-nhan-hang",
                form: ["csrf": ConsoleTests.Browser.csrf(counter) ?? "", "van-don": tracking[1].lowercased()])
            #expect(sent.status == .ok && sent.text.contains("Đã gửi mã nhận hàng mới"))
            let fresh = try #require(
                try await api.request(.get, "/v1/orders/\(order["id"] as? String ?? "")", token: buyer).json[
                    "delivery_code"] as? String)
            #expect(fresh != order["delivery_code"] as? String && !sent.text.contains(fresh))
        }
    }
}

@Suite("The admin's accounts page")
struct ConsoleUsersTests {
    @Test func anAdminSwitchesAnAccountOffAndOnAndTheSessionEndsAtOnce() async throws {
        try await withTestApp { api in
            let world = try await CatalogWorld.make(api)
            let (admin, _, adminID) = try await ConsoleTests.Browser.staff(world, role: "admin", office: nil)
            let (email, id) = try await AccountRecoveryTests.register(api, phone: AccountRecoveryTests.uniquePhone())
            let session = try await api.login(email, "correct-horse-battery")
            let page = try await admin.send(.get, "/console/nguoi-dung")
            #expect(page.status == .ok && page.text.contains(email))
            // No button to lock oneself out.
            #expect(!page.text.contains("/console/nguoi-dung/\(adminID)/khoa"))
            let off = try await admin.send(
                .post, "/console/nguoi-dung/\(id)/khoa", form: ["csrf": ConsoleTests.Browser.csrf(page) ?? ""])
            #expect(off.status == .seeOther)
            #expect(try await api.request(.get, "/v1/me", token: session).status == .unauthorized)
            let after = try await admin.send(.get, "/console/nguoi-dung?ket-qua=da-khoa")
            #expect(after.text.contains("Đã khoá tài khoản") && after.text.contains("/console/nguoi-dung/\(id)/mo"))
            let on = try await admin.send(
                .post, "/console/nguoi-dung/\(id)/mo", form: ["csrf": ConsoleTests.Browser.csrf(after) ?? ""])
            #expect(on.status == .seeOther)
            _ = try await api.login(email, "correct-horse-battery")
            let own = try await admin.send(
                .post, "/console/nguoi-dung/\(adminID)/khoa", form: ["csrf": ConsoleTests.Browser.csrf(after) ?? ""])
            #expect(own.status == .conflict)
        }
    }
}
