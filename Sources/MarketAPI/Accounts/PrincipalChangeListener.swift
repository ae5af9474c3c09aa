import Foundation
import Logging
import PostgresNIO

/// Keeps one connection listening on `principals_changed` (migration 0017) and drops the named
/// user's cached principals. Runs until its task is cancelled; reconnects on its own after a
/// database outage, with the cache off (every token read from the database) in between.
struct PrincipalChangeListener: Sendable {
    static let channel = "principals_changed"

    let configuration: PostgresConnection.Configuration
    let cache: PrincipalCache
    let logger: Logger

    func run() async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: configuration, id: 0, logger: logger)
                attempt = 0
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        // Listening from here on: anything committed from now is seen.
                        cache.setEnabled(true)
                        logger.debug("principal cache on")
                        for try await notification in notifications {
                            cache.apply(notification: notification.payload)
                        }
                    }
                } catch {
                    cache.setEnabled(false)
                    try? await connection.close()
                    throw error
                }
                cache.setEnabled(false)
                try? await connection.close()
            } catch {
                cache.setEnabled(false)
                if Task.isCancelled { break }
                attempt += 1
                if attempt == 1 || attempt % 30 == 0 {
                    logger.warning(
                        "principal cache off: cannot listen for account changes", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(min(attempt, 5)))
        }
        cache.setEnabled(false)
    }
}
