import Synchronization

/// Spans for database work, when `market` has a trace exporter (`OTEL_EXPORTER_OTLP_ENDPOINT`): each
/// statement run through `Database.query` and each transaction is one span under the request's. Off,
/// the only cost is one relaxed atomic load per statement.
extension Database {
    private static let tracing = Atomic<Bool>(false)

    static var isTracing: Bool { tracing.load(ordering: .relaxed) }

    /// Called once at start-up, after the tracer is bootstrapped.
    public static func startTracing() { tracing.store(true, ordering: .relaxed) }

    /// The statement's verb (`SELECT`, `INSERT`, `WITH`…): a span name of few values, as the
    /// OpenTelemetry database conventions ask; the text itself is the `db.query.text` attribute.
    static func spanName(_ sql: String) -> String {
        let verb = sql.drop { $0.isWhitespace || $0 == "(" }.prefix { $0.isLetter }
        return verb.isEmpty ? "SQL" : verb.uppercased()
    }
}
