import Foundation
import Logging
import PostgresNIO

/// Sends the queued `outbound_messages` through the channel's provider: claimed with SKIP LOCKED (any
/// number of workers), each at most once when it succeeds, retried with exponential backoff and
/// jitter when it fails, and given up after `maxAttempts` with its last error kept for people to see.
public struct MessageDispatcher: Sendable {
    public let db: Database
    public let logger: Logger
    /// By channel; a channel without a provider only ever carries messages that must go out anyway
    /// (reset codes), and those go to `fallback` (the log).
    public let senders: [MessageChannel: any MessageSender]
    public let maxAttempts: Int

    public init(db: Database, senders: [any MessageSender], logger: Logger, maxAttempts: Int = 10) {
        self.db = db
        self.logger = logger
        self.senders = Dictionary(senders.map { ($0.channel, $0) }, uniquingKeysWith: { first, _ in first })
        self.maxAttempts = maxAttempts
    }

    /// The channels people can be sent notifications by (those with a real provider).
    public var configuredChannels: Set<MessageChannel> { Set(senders.keys) }

    /// Sends up to `limit` due messages; returns how many were sent.
    @discardableResult
    public func sendDue(limit: Int = 100, now: Date = Date()) async throws -> Int {
        // Claimed by pushing the next attempt out first, in one statement: a worker that dies while
        // sending leaves the message to be retried later, never lost and never sent by two at once.
        let lease = now.addingTimeInterval(120)
        let rows = try await db.query(
            """
            UPDATE outbound_messages m SET attempts = m.attempts + 1, next_attempt_at = \(lease)
            FROM (SELECT id FROM outbound_messages
                  WHERE status = 'pending' AND next_attempt_at <= \(now)
                  ORDER BY next_attempt_at LIMIT \(limit) FOR UPDATE SKIP LOCKED) due
            WHERE m.id = due.id
            RETURNING m.id, m.user_id, m.channel, m.recipient, m.template, m.subject, m.body, m.params::text,
                      m.secret, m.source, m.attempts
            """,
            logger: logger)
        var sent = 0
        for (id, userID, channel, recipient, template, subject, body, params, secret, source, attempts)
            in try rows.decode((UUID, UUID?, String, String, String, String, String, String, Bool, String, Int).self)
        {
            guard let channel = MessageChannel(rawValue: channel) else { continue }
            let message = OutboundMessage(
                id: id, userID: userID, channel: channel, recipient: recipient, template: template,
                subject: subject, body: body,
                params: (try? JSONDecoder().decode([String: String].self, from: Data(params.utf8))) ?? [:],
                secret: secret, source: source)
            let sender = senders[channel] ?? LogSender(channel: channel, logger: logger)
            do {
                try await sender.send(message)
                try await db.query(
                    """
                    UPDATE outbound_messages SET status = 'sent', sent_at = \(Date()), provider = \(sender.provider),
                        last_error = NULL, body = CASE WHEN secret THEN '' ELSE body END,
                        params = CASE WHEN secret THEN '{}'::jsonb ELSE params END
                    WHERE id = \(id)
                    """,
                    logger: logger)
                sent += 1
            } catch {
                let permanent = error is PermanentSendError
                let giveUp = permanent || attempts >= maxAttempts
                let retryAt = Date().addingTimeInterval(Self.backoff(afterAttempt: attempts))
                logger.warning(
                    "message not sent",
                    metadata: [
                        "id": "\(id)", "channel": .string(channel.rawValue), "attempt": "\(attempts)",
                        "error": "\(error)", "given_up": "\(giveUp)",
                    ])
                try await db.query(
                    """
                    UPDATE outbound_messages SET last_error = \(String(describing: error).prefix(500).description),
                        provider = \(sender.provider),
                        status = CASE WHEN \(giveUp) THEN 'failed' ELSE 'pending' END,
                        next_attempt_at = \(retryAt),
                        body = CASE WHEN secret AND \(giveUp) THEN '' ELSE body END
                    WHERE id = \(id)
                    """,
                    logger: logger)
            }
        }
        return sent
    }

    /// 30 s, 1 min, 2 min … doubling up to 6 h, with up to a fifth added at random so that messages
    /// that failed together do not all come back together.
    public static func backoff(afterAttempt attempt: Int, jitter: Double = Double.random(in: 0...0.2)) -> TimeInterval {
        let base = min(30 * pow(2, Double(max(0, attempt - 1))), 6 * 3600)
        return base * (1 + jitter)
    }
}
