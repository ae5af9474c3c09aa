import Metrics
import Prometheus

/// The process-wide Prometheus registry. swift-metrics allows one bootstrap per process, so the
/// first application built installs it and later ones (tests) share it.
enum MetricsSetup {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        // Prometheus names allow [a-zA-Z0-9_:]; swift-metrics labels use dots.
        factory.nameAndLabelSanitizer = { name, labels in
            (sanitize(name), labels.map { (sanitize($0.0), $0.1) })
        }
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static func sanitize(_ name: String) -> String {
        String(
            name.map { character -> Character in
                character.isASCII && (character.isLetter || character.isNumber || character == "_" || character == ":")
                    ? character : "_"
            }
        )
    }
}
