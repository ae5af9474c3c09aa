import Foundation
import Logging
import PostgresNIO

/// Keeps one connection listening on a notification channel and hands each payload to a cache.
/// Runs until its task is cancelled; reconnects on its own after a database outage. While it is not
/// listening, notifications could be missed, so the cache is switched off (`setEnabled(false)`:
/// everything is read from the database) until it listens again.
public struct ChangeListener: Sendable {
    let configuration: PostgresConnection.Configuration
    let channel: String
    /// For the logs: "product cache", "principal cache".
    let cacheName: String
    let setEnabled: @Sendable (Bool) -> Void
    let apply: @Sendable (String) -> Void
    let logger: Logger

    public init(
        configuration: PostgresConnection.Configuration, channel: String, cacheName: String,
        setEnabled: @escaping @Sendable (Bool) -> Void, apply: @escaping @Sendable (String) -> Void, logger: Logger
    ) {
        self.configuration = configuration
        self.channel = channel
        self.cacheName = cacheName
        self.setEnabled = setEnabled
        self.apply = apply
        self.logger = logger
    }

    public func run() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                attempt = 0
                do {
                    try await connection.listen(on: channel) { notifications in
                        // Listening from here on: anything committed from now is seen.
                        setEnabled(true)
                        logger.debug("\(cacheName) on")
                        for try await notification in notifications { apply(notification.payload) }
                    }
                } catch {
                    setEnabled(false)
                    try? await connection.close()
                    throw error
                }
                setEnabled(false)
                try? await connection.close()
            } catch {
                setEnabled(false)
                if Task.isCancelled { break }
                attempt += 1
                if attempt == 1 || attempt % 30 == 0 {
                    logger.warning(
                        "\(cacheName) off: cannot listen on \(channel)", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(min(attempt, 5)))
        }
        setEnabled(false)
    }
}
