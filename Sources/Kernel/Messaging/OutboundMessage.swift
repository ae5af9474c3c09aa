import Foundation
import Logging
import PostgresNIO

/// A way a message reaches a person outside the app. The in-app inbox is not one of them: it is
/// always on and needs no provider.
public enum MessageChannel: String, Sendable, CaseIterable, Codable {
    case email
    case sms
    case zalo
}

/// One message for a provider to send: queued in the transaction of what caused it, sent later by
/// `MessageDispatcher`, at most once per cause, channel and recipient.
public struct OutboundMessage: Sendable, Equatable {
    public var id: UUID
    public var userID: UUID?
    public var channel: MessageChannel
    /// An email address, or a phone in national form.
    public var recipient: String
    /// The template's name: providers with registered templates (Zalo ZNS) send it with `params`.
    public var template: String
    public var subject: String
    public var body: String
    public var params: [String: String]
    /// A secret (a reset code): its body is blanked once sent.
    public var secret: Bool
    /// What caused it (`outbox:42`, `reset:<id>`): the same cause never sends twice.
    public var source: String

    public init(
        id: UUID = UUID(), userID: UUID?, channel: MessageChannel, recipient: String, template: String,
        subject: String, body: String, params: [String: String] = [:], secret: Bool = false, source: String
    ) {
        (self.id, self.userID, self.channel, self.recipient, self.template) = (id, userID, channel, recipient, template)
        (self.subject, self.body, self.params, self.secret, self.source) = (subject, body, params, secret, source)
    }

    /// Queues it in the caller's transaction; a second message for the same cause, channel and
    /// recipient is dropped.
    public func enqueue(on connection: PostgresConnection, logger: Logger) async throws {
        let json = String(decoding: try JSONEncoder().encode(params), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO outbound_messages
                (id, user_id, channel, recipient, template, subject, body, params, secret, source)
            VALUES (\(id), \(userID), \(channel.rawValue), \(recipient), \(template), \(subject), \(body),
                    \(json)::jsonb, \(secret), \(source))
            ON CONFLICT (source, channel, recipient) DO NOTHING
            """,
            logger: logger)
    }
}

/// A provider's way of sending one channel's messages (an SMS gateway's HTTP API, an email API, Zalo
/// ZNS). Throwing means "not sent, try again later"; `PermanentSendError` means "never will be".
public protocol MessageSender: Sendable {
    var channel: MessageChannel { get }
    /// Recorded on the message (`log`, `esms`, …).
    var provider: String { get }
    func send(_ message: OutboundMessage) async throws
}

/// A refusal that retrying cannot change (a malformed number, a template the provider rejects).
public struct PermanentSendError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// With no provider configured for a channel, messages that must go out anyway (reset codes) are
/// written to the server log, where the operator of a demo or a test finds them (README).
public struct LogSender: MessageSender {
    public let channel: MessageChannel
    public let logger: Logger
    public var provider: String { "log" }

    public init(channel: MessageChannel, logger: Logger) {
        (self.channel, self.logger) = (channel, logger)
    }

    public func send(_ message: OutboundMessage) async throws {
        logger.notice(
            "message (no \(channel.rawValue) provider configured)",
            metadata: [
                "channel": .string(channel.rawValue), "to": .string(message.recipient),
                "template": .string(message.template), "subject": .string(message.subject),
                "body": .string(message.body),
            ])
    }
}
