import AsyncHTTPClient
import Foundation
import Kernel
import Logging
import NIOCore
import NIOHTTP1

/// The message providers configured in the environment (none by default: then only the in-app inbox
/// is used, and reset codes go to the log). Each is one channel's `MessageSender` over the provider's
/// published HTTP API; the URLs can be pointed elsewhere (a provider's sandbox, a test receiver).
enum MessageProviders {
    static func configured(config: AppConfig, logger: Logger, client: HTTPClient = .shared) -> [any MessageSender] {
        var senders: [any MessageSender] = []
        if let sms = config.esms { senders.append(ESMSSender(settings: sms, client: client)) }
        if let zalo = config.zaloZNS { senders.append(ZaloZNSSender(settings: zalo, client: client)) }
        if let email = config.emailAPI { senders.append(EmailAPISender(settings: email, client: client)) }
        return senders
    }

    /// POSTs JSON and answers the status and the body (up to 64 KiB), or throws when nothing came
    /// back within 15 s.
    static func postJSON(_ client: HTTPClient, url: String, headers: [(String, String)], body: [String: Any])
        async throws -> (status: Int, body: [String: Any])
    {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(
            ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])))
        let response = try await client.execute(request, timeout: .seconds(15))
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return (Int(response.status.code), json)
    }
}

/// SMS through eSMS.vn's JSON API (`SendMultipleMessage_V4_post_json`): a customer-care message under
/// the registered brand name (SmsType 2), or from a fixed number without one (SmsType 8); Unicode
/// (Vietnamese with its diacritics). Sent when the answer's `CodeResult` is `100`; the message's id is
/// the `RequestId`, which eSMS uses to drop a duplicate.
struct ESMSSender: MessageSender {
    struct Settings: Sendable, Equatable {
        var apiKey: String
        var secretKey: String
        var brandname: String?
        var url = "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/"
    }

    let settings: Settings
    let client: HTTPClient
    var channel: MessageChannel { .sms }
    var provider: String { "esms" }

    func send(_ message: OutboundMessage) async throws {
        var body: [String: Any] = [
            "ApiKey": settings.apiKey, "SecretKey": settings.secretKey, "Phone": message.recipient,
            "Content": message.body, "IsUnicode": "1", "RequestId": message.id.uuidString.lowercased(),
            "SmsType": settings.brandname == nil ? "8" : "2",
        ]
        if let brandname = settings.brandname { body["Brandname"] = brandname }
        let (status, answer) = try await MessageProviders.postJSON(client, url: settings.url, headers: [], body: body)
        let code = answer["CodeResult"] as? String ?? (answer["CodeResult"] as? Int).map(String.init) ?? ""
        guard status == 200, code == "100" else {
            throw ProviderError(description: "eSMS HTTP \(status) CodeResult \(code) \(answer["ErrorMessage"] ?? "")")
        }
    }
}

/// Zalo ZNS: template messages to the Zalo account of a phone (the channel Vietnamese carriers send
/// delivery codes by). Each kind of message needs a template registered with Zalo and its id here
/// (`ZALO_ZNS_TEMPLATES`); the values go as `template_data`. Sent when the answer's `error` is 0.
struct ZaloZNSSender: MessageSender {
    struct Settings: Sendable, Equatable {
        var accessToken: String
        /// Kind (`package.out_for_delivery`, `password_reset`, …) → Zalo's template id.
        var templates: [String: String]
        var url = "https://business.openapi.zalo.me/message/template"
    }

    let settings: Settings
    let client: HTTPClient
    var channel: MessageChannel { .zalo }
    var provider: String { "zalo-zns" }

    func send(_ message: OutboundMessage) async throws {
        guard let template = settings.templates[message.template] else {
            throw PermanentSendError("no Zalo ZNS template is registered for \(message.template)")
        }
        // Zalo wants the phone with the country code and no plus: 0905… → 84905….
        let phone = message.recipient.hasPrefix("0") ? "84" + message.recipient.dropFirst() : message.recipient
        let (status, answer) = try await MessageProviders.postJSON(
            client, url: settings.url, headers: [("access_token", settings.accessToken)],
            body: [
                "phone": phone, "template_id": template, "template_data": message.params,
                "tracking_id": message.id.uuidString.lowercased(),
            ])
        let error = answer["error"] as? Int ?? -1
        guard status == 200, error == 0 else {
            throw ProviderError(description: "Zalo ZNS HTTP \(status) error \(error) \(answer["message"] ?? "")")
        }
    }
}

/// Email through an HTTP mail API of the SendGrid v3 shape (`POST /v3/mail/send` with a bearer key),
/// which most transactional mail services in use in Vietnam accept; plain text.
struct EmailAPISender: MessageSender {
    struct Settings: Sendable, Equatable {
        var apiKey: String
        var from: String
        var url = "https://api.sendgrid.com/v3/mail/send"
    }

    let settings: Settings
    let client: HTTPClient
    var channel: MessageChannel { .email }
    var provider: String { "email-api" }

    func send(_ message: OutboundMessage) async throws {
        let (status, answer) = try await MessageProviders.postJSON(
            client, url: settings.url, headers: [("authorization", "Bearer \(settings.apiKey)")],
            body: [
                "personalizations": [["to": [["email": message.recipient]]]],
                "from": ["email": settings.from, "name": "Chợ Bưu Điện"], "subject": message.subject,
                "content": [["type": "text/plain", "value": message.body]],
                "custom_args": ["message_id": message.id.uuidString.lowercased()],
            ])
        guard (200..<300).contains(status) else {
            // A refused address or sender does not get better by trying again.
            if status == 400 || status == 403 {
                throw PermanentSendError("email API HTTP \(status) \(answer["errors"] ?? "")")
            }
            throw ProviderError(description: "email API HTTP \(status)")
        }
    }
}

struct ProviderError: Error, CustomStringConvertible {
    var description: String
}
