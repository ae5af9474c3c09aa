import Hummingbird
import Kernel
import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Traces out over OTLP/HTTP when an endpoint is configured, off otherwise (no tracer, no middleware,
/// no span). The standard `OTEL_*` variables are read by swift-otel: `OTEL_EXPORTER_OTLP_ENDPOINT`
/// (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`), `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_SERVICE_NAME`,
/// `OTEL_TRACES_SAMPLER` and its argument, `OTEL_BSP_SCHEDULE_DELAY`, …
enum TraceExport {
    static func isConfigured(_ environment: [String: String]) -> Bool {
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"].contains {
            !(environment[$0] ?? "").isEmpty
        }
    }

    /// Bootstraps the process's tracer and returns the exporter's service (to run beside the server, so
    /// that spans still queued are sent on shutdown); nil when no endpoint is configured.
    static func start(_ environment: [String: String], logger: Logger) throws -> (any Service)? {
        guard isConfigured(environment) else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "market"
        configuration.traces.enabled = true
        // Metrics stay on /metrics (Prometheus) and logs on stderr; only traces go out.
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.diagnosticLogger = .custom(logger)
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        InstrumentationSystem.bootstrap(backend.factory)
        Database.startTracing()
        logger.notice("traces exported over OTLP/HTTP")
        return backend.service
    }
}
