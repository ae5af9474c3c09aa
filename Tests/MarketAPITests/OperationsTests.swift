import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

@Suite("Operations endpoints and HTTP conventions")
struct OperationsTests {
    @Test func healthAndReadinessAnswer() async throws {
        try await withTestApp { api in
            let health = try await api.request(.get, "/healthz")
            #expect(health.status == .ok)
            #expect(health.json["status"] as? String == "ok")
            // The probe allows the database 2 s; a suite that creates dozens of databases at once can make
            // the first connection slower than that, and readiness says so until it answers.
            var ready = try await api.request(.get, "/readyz")
            for _ in 0..<20 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(500))
                ready = try await api.request(.get, "/readyz")
            }
            #expect(ready.status == .ok)
            #expect(ready.json["database"] as? String == "ok")
            // The test cluster has the RUM extension (deploy/lib.sh installs it): search ranks in its index.
            #expect(ready.json["search"] as? String == "rum_index", "\(ready.text)")
        }
        // Told to rank every match, it says so.
        try await withTestApp(config: testConfig { $0.searchRUMIndex = false }) { api in
            var ready = try await api.request(.get, "/readyz")
            for _ in 0..<20 where ready.status != .ok {
                try await Task.sleep(for: .milliseconds(500))
                ready = try await api.request(.get, "/readyz")
            }
            #expect(ready.json["search"] as? String == "every_match", "\(ready.text)")
        }
    }

    @Test func everyResponseCarriesARequestIDAndHonoursTheClients() async throws {
        try await withTestApp { api in
            let generated = try await api.request(.get, "/healthz")
            #expect((generated.headers[.requestID] ?? "").count >= 32)
            let echoed = try await api.request(.get, "/healthz", headers: [.requestID: "abc-123"])
            #expect(echoed.headers[.requestID] == "abc-123")
            let problem = try await api.request(.get, "/no/such/route", headers: [.requestID: "req-404"])
            #expect(problem.headers[.requestID] == "req-404")
            #expect(problem.json["request_id"] as? String == "req-404")
            // A header that could break logs or other headers is replaced, not echoed.
            let unsafe = try await api.request(.get, "/healthz", headers: [.requestID: "a b\"c"])
            #expect(unsafe.headers[.requestID] != "a b\"c")
        }
    }

    @Test func unknownRoutesAre404ProblemsAndWrongMethods405WithAllow() async throws {
        try await withTestApp { api in
            let missing = try await api.request(.get, "/v1/nothing-here")
            #expect(missing.status == .notFound)
            #expect(missing.contentType == "application/problem+json")
            #expect(missing.json["type"] as? String == "/problems/not-found")

            let wrongMethod = try await api.request(.delete, "/v1/me")
            #expect(wrongMethod.status == .methodNotAllowed)
            #expect(wrongMethod.headers[.allow] == "GET")
            #expect(wrongMethod.contentType == "application/problem+json")

            let templated = try await api.request(.put, "/v1/users/6f1c8a52-5a43-4f57-9d38-1f0f6b7a0d11/roles")
            #expect(templated.status == .methodNotAllowed)
            #expect(templated.headers[.allow] == "POST")
        }
    }

    @Test func servesItsOpenAPIDocumentAndMetrics() async throws {
        try await withTestApp { api in
            let document = try await api.request(.get, "/openapi.yaml")
            #expect(document.status == .ok)
            #expect(document.text.hasPrefix("openapi: 3.1.0"))
            #expect(document.contentType?.hasPrefix("application/yaml") == true)

            _ = try await api.request(.get, "/healthz")
            // A request that uses the pool: its meters exist from the first use on (alone, nothing before
            // this test has used it in this process).
            _ = try await api.request(.get, "/readyz")
            let metrics = try await api.request(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.text.contains("hb_requests"))
            #expect(metrics.text.contains("http_server_request_duration"))
            #expect(metrics.text.contains("db_pool"))
        }
    }

    @Test func referenceDataHasTheProvincesAndCommunesOf2025() async throws {
        try await withTestApp { api in
            let provinces = try await api.request(.get, "/v1/provinces")
            let items = provinces.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 34)
            #expect(items.contains { $0["code"] as? String == "48" && $0["name"] as? String == "Đà Nẵng" })

            let communes = try await api.request(.get, "/v1/provinces/48/communes")
            let list = communes.json["items"] as? [[String: Any]] ?? []
            #expect(list.count == 94)
            let hoiAn = list.first { $0["code"] as? String == "20410" }
            #expect(hoiAn?["name"] as? String == "Hội An")
            #expect(hoiAn?["lat"] as? Double != nil)

            let unknown = try await api.request(.get, "/v1/provinces/99/communes")
            #expect(unknown.status == .notFound)
            let malformed = try await api.request(.get, "/v1/provinces/x1/communes")
            #expect(malformed.status == .notFound)
        }
    }
}
