import AsyncHTTPClient
import Foundation
import HTTPTypes
import Kernel
import Testing

@testable import MarketAPI

/// The message providers against a local receiver standing in for their APIs: the request each
/// provider documents, success only on the answer that means sent, a refusal kept for a retry or
/// given up when retrying cannot help.
@Suite("Message providers: eSMS, Zalo ZNS, email API")
struct ProviderTests {
    static func message(_ channel: MessageChannel, to recipient: String, template: String = "password_reset")
        -> OutboundMessage
    {
        OutboundMessage(
            userID: nil, channel: channel, recipient: recipient, template: template,
            subject: "Mã đặt lại mật khẩu Chợ Bưu Điện", body: "Mã của bạn là 123456, dùng được trong 15 phút.",
            params: ["code": "123456", "minutes": "15"], secret: true, source: "test:\(UUID())")
    }

    @Test func eSMSSendsUnicodeWithTheRequestIDAndSucceedsOnlyOnCode100() async throws {
        try await WebhookReceiver.with { receiver in
            let sender = ESMSSender(
                settings: .init(apiKey: "key", secretKey: "secret", brandname: "CHOBUUDIEN", url: receiver.url),
                client: .shared)
            receiver.reply.withLock { $0 = #"{"CodeResult":"100","SMSID":"abc"}"# }
            let message = Self.message(.sms, to: "0905123456")
            try await sender.send(message)
            let sent = try #require(receiver.received.last?.json)
            #expect(sent["Phone"] as? String == "0905123456" && sent["ApiKey"] as? String == "key")
            #expect(sent["SmsType"] as? String == "2" && sent["Brandname"] as? String == "CHOBUUDIEN")
            #expect(sent["IsUnicode"] as? String == "1" && (sent["Content"] as? String)?.contains("123456") == true)
            #expect(sent["RequestId"] as? String == message.id.uuidString.lowercased())
            receiver.reply.withLock { $0 = #"{"CodeResult":"99","ErrorMessage":"Unknown error"}"# }
            await #expect(throws: ProviderError.self) { try await sender.send(message) }
        }
    }

    @Test func zaloZNSSendsTheRegisteredTemplateToTheInternationalNumber() async throws {
        try await WebhookReceiver.with { receiver in
            let sender = ZaloZNSSender(
                settings: .init(accessToken: "zalo-token", templates: ["password_reset": "246810"], url: receiver.url),
                client: .shared)
            receiver.reply.withLock { $0 = #"{"error":0,"message":"Success","data":{"msg_id":"1"}}"# }
            try await sender.send(Self.message(.zalo, to: "0905123456"))
            let request = try #require(receiver.received.last)
            #expect(request.headers["access_token"] == "zalo-token")
            #expect(
                request.json["phone"] as? String == "84905123456" && request.json["template_id"] as? String == "246810")
            #expect((request.json["template_data"] as? [String: String])?["code"] == "123456")
            receiver.reply.withLock { $0 = #"{"error":-124,"message":"Access token is invalid"}"# }
            await #expect(throws: ProviderError.self) { try await sender.send(Self.message(.zalo, to: "0905123456")) }
            // A kind with no template registered with Zalo can never be sent that way.
            await #expect(throws: PermanentSendError.self) {
                try await sender.send(Self.message(.zalo, to: "0905123456", template: "order.placed"))
            }
        }
    }

    @Test func anEmailAPIGetsABearerKeyAndARefusedAddressIsGivenUp() async throws {
        try await WebhookReceiver.with { receiver in
            let sender = EmailAPISender(
                settings: .init(apiKey: "mail-key", from: "khong-tra-loi@chobuudien.vn", url: receiver.url),
                client: .shared)
            receiver.status.withLock { $0 = .accepted }
            try await sender.send(Self.message(.email, to: "mai@example.vn"))
            let request = try #require(receiver.received.last)
            #expect(request.headers["authorization"] == "Bearer mail-key")
            #expect(request.json["subject"] as? String == "Mã đặt lại mật khẩu Chợ Bưu Điện")
            receiver.status.withLock { $0 = .badRequest }
            await #expect(throws: PermanentSendError.self) { try await sender.send(Self.message(.email, to: "x@y.vn")) }
            receiver.status.withLock { $0 = .internalServerError }
            await #expect(throws: ProviderError.self) { try await sender.send(Self.message(.email, to: "x@y.vn")) }
        }
    }

    @Test func aResetCodeGoesOutBySMSThroughTheConfiguredProviderAndIsBlankedOnceSent() async throws {
        try await WebhookReceiver.with { receiver in
            receiver.reply.withLock { $0 = #"{"CodeResult":"100"}"# }
            let config = testConfig {
                $0.esms = .init(apiKey: "key", secretKey: "secret", brandname: nil, url: receiver.url)
            }
            try await withTestApp(config: config) { api in
                let phone = AccountRecoveryTests.uniquePhone()
                _ = try await AccountRecoveryTests.register(api, phone: phone)
                let dispatcher = MessageDispatcher(
                    db: Database(api.db), senders: MessageProviders.configured(config: config, logger: testLogger),
                    logger: testLogger)
                // The sign-up's email code, to the log (no email provider here).
                #expect(try await dispatcher.sendDue() == 1)
                #expect(
                    try await api.request(.post, "/v1/auth/password-reset", json: ["phone": phone]).status == .accepted)
                #expect(try await dispatcher.sendDue() == 1)
                let sms = try #require(receiver.received.last?.json)
                #expect(sms["Phone"] as? String == phone && sms["SmsType"] as? String == "8")
                let code = try #require((sms["Content"] as? String)?.firstMatch(of: /[0-9]{6}/)?.output)
                #expect(
                    try await api.request(
                        .post, "/v1/auth/password-reset/confirm",
                        json: ["phone": phone, "code": String(code), "new_password": "by-sms-password-1"]
                    ).status == .noContent)
                let kept = try await OrderTests.count(
                    api,
                    """
                    SELECT count(*)::int FROM outbound_messages
                    WHERE template = 'password_reset' AND (body LIKE '%\(code)%' OR provider <> 'esms')
                    """
                )
                #expect(kept == 0)
            }
        }
    }
}
