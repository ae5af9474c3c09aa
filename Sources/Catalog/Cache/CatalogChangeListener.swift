import Foundation
import Logging
import PostgresNIO

/// Keeps one connection listening on `catalog_changed` and applies each notification to the cache.
/// Runs until its task is cancelled; reconnects on its own after a database outage, with the cache
/// off in between.
public struct CatalogChangeListener: Sendable {
    let configuration: PostgresConnection.Configuration
    let cache: ProductCache
    let logger: Logger

    public init(configuration: PostgresConnection.Configuration, cache: ProductCache, logger: Logger) {
        self.configuration = configuration
        self.cache = cache
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
                    try await connection.listen(on: "catalog_changed") { notifications in
                        // Listening from here on: anything committed from now is seen.
                        cache.setEnabled(true)
                        logger.debug("product cache on")
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
                        "product cache off: cannot listen for catalog changes", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(min(attempt, 5)))
        }
        cache.setEnabled(false)
    }
}
