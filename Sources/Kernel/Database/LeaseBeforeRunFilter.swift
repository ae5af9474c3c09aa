import Logging

/// `DatabaseSetup.withClient` starts `PostgresClient.run()` in a child task and hands the client to its
/// body at once; a first query can reach the pool a moment before `run()` has begun. The pool queues
/// that lease until `run()` starts, so nothing is wrong, but PostgresNIO logs a warning each time, which
/// buried real warnings in the test output and in `market ledger check`. This handler drops exactly that
/// message and passes everything else through.
struct LeaseBeforeRunFilter: LogHandler {
    static let noise = "Trying to lease connection from `PostgresClient`, but `PostgresClient.run()` hasn't been called"
    var base: any LogHandler

    var logLevel: Logger.Level {
        get { base.logLevel }
        set { base.logLevel = newValue }
    }

    var metadata: Logger.Metadata {
        get { base.metadata }
        set { base.metadata = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { base[metadataKey: key] }
        set { base[metadataKey: key] = newValue }
    }

    func log(event: LogEvent) {
        if event.level == .warning, event.message.description.hasPrefix(Self.noise) { return }
        base.log(event: event)
    }
}

extension Logger {
    /// This logger without PostgresNIO's lease-before-run warning (see `LeaseBeforeRunFilter`).
    var withoutLeaseBeforeRunWarning: Logger {
        var copy = self
        copy.handler = LeaseBeforeRunFilter(base: handler)
        return copy
    }
}
