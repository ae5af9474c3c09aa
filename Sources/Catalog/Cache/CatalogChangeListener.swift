import Foundation
import Kernel
import Logging
import PostgresNIO

/// Keeps the product cache and the facet cache listening on `catalog_changed` (see `ChangeListener`):
/// a product's change drops that product, and every facet count, on every process.
public struct CatalogChangeListener: Sendable {
    let configuration: PostgresConnection.Configuration
    let cache: ProductCache
    let facets: FacetCache?
    let logger: Logger

    public init(
        configuration: PostgresConnection.Configuration, cache: ProductCache, facets: FacetCache? = nil, logger: Logger
    ) {
        self.configuration = configuration
        self.cache = cache
        self.facets = facets
        self.logger = logger
    }

    public func run() async {
        await ChangeListener(
            configuration: configuration, channel: CatalogChanges.channel, cacheName: "product cache",
            setEnabled: { [cache, facets] in
                cache.setEnabled($0)
                facets?.setEnabled($0)
            },
            apply: { [cache, facets] in
                cache.apply(notification: $0)
                facets?.removeAll()
            },
            logger: logger
        ).run()
    }
}
