import Foundation
import OpenAPIRuntime
import Prometheus

extension APIHandlers {
    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: .ok))))
    }

    /// Ready only once the start-up tasks are done (demo data loaded) and while a trivial query
    /// answers within two seconds; PostgresClient reconnects by itself, so this turns back to 200
    /// without a restart when the database returns.
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        let reachable = await DatabaseProbe.isReachable(db, timeout: .seconds(2), logger: logger)
        if reachable && !startup.isDone {
            return .serviceUnavailable(.init(body: .json(.init(status: .unavailable, database: .ok))))
        }
        if reachable {
            // Read once per process; an error reading it is not a reason to refuse traffic.
            let ranking = (try? await searchStore.ranksInIndex()).map {
                $0 ? Components.Schemas.Health.SearchPayload.rumIndex : .everyMatch
            }
            return .ok(.init(body: .json(.init(status: .ok, database: .ok, search: ranking))))
        }
        return .serviceUnavailable(.init(body: .json(.init(status: .unavailable, database: .unreachable))))
    }

    func getMetrics(_ input: Operations.GetMetrics.Input) async throws -> Operations.GetMetrics.Output {
        var buffer: [UInt8] = []
        MetricsSetup.registry.emit(into: &buffer)
        return .ok(.init(body: .plainText(HTTPBody(buffer))))
    }

    func getOpenAPIDocument(_ input: Operations.GetOpenAPIDocument.Input) async throws
        -> Operations.GetOpenAPIDocument.Output
    {
        .ok(.init(body: .yaml(HTTPBody(openAPIDocument))))
    }
}
