import Catalog
import Foundation
import Logging
import PostgresNIO

/// Keeps the principal cache listening on `principals_changed` (migration 0017), which names the user
/// whose cached principals to drop (see `ChangeListener`).
struct PrincipalChangeListener: Sendable {
    static let channel = "principals_changed"

    let configuration: PostgresConnection.Configuration
    let cache: PrincipalCache
    let logger: Logger

    func run() async {
        await ChangeListener(
            configuration: configuration, channel: Self.channel, cacheName: "principal cache",
            setEnabled: { [cache] in cache.setEnabled($0) }, apply: { [cache] in cache.apply(notification: $0) },
            logger: logger
        ).run()
    }
}
