import Foundation
import Logging
import PostgresNIO

/// Keeps the principal cache listening on `principals_changed` (migration 0017), which names the user
/// whose cached principals to drop (see `ChangeListener`).
public struct PrincipalChangeListener: Sendable {
    public static let channel = "principals_changed"

    public let configuration: PostgresConnection.Configuration
    public let cache: PrincipalCache
    public let logger: Logger

    public init(configuration: PostgresConnection.Configuration, cache: PrincipalCache, logger: Logger) {
        (self.configuration, self.cache, self.logger) = (configuration, cache, logger)
    }

    public func run() async {
        await ChangeListener(
            configuration: configuration, channel: Self.channel, cacheName: "principal cache",
            setEnabled: { [cache] in cache.setEnabled($0) }, apply: { [cache] in cache.apply(notification: $0) },
            logger: logger
        ).run()
    }
}
