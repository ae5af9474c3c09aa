import Foundation
import Kernel
import Logging
import PostgresNIO

/// Keeps the product cache listening on `catalog_changed` (see `ChangeListener`).
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
        await ChangeListener(
            configuration: configuration, channel: CatalogChanges.channel, cacheName: "product cache",
            setEnabled: { [cache] in cache.setEnabled($0) }, apply: { [cache] in cache.apply(notification: $0) },
            logger: logger
        ).run()
    }
}
