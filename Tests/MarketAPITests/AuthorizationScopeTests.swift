import Foundation
import HTTPTypes
import Testing

@testable import MarketAPI

/// Every caller class on one real resource of every operation that names one or takes a body
/// (SPEC §1: a role held elsewhere is 404 where existence would leak, a missing role 403). The
/// expected statuses are the data in `AuthorizationScopes`; the requests are built by
/// `ScopeWorld.call`.
@Suite("Authorization scopes: every operation on a real resource × every caller class")
struct AuthorizationScopeTests {
    @Test func everyOperationHasScopedExpectationsOrIsRoleWide() throws {
        let operations = try AuthorizationMatrixTests.operations()
        let table = try AuthorizationScopes.table()
        let ids = Set(operations.map(\.id))
        let missing = ids.subtracting(table.keys).subtracting(AuthorizationScopes.roleWide).sorted()
        #expect(
            missing.isEmpty, "operations with neither a row in AuthorizationScopes nor a place in roleWide: \(missing)")
        let stale = Set(table.keys).union(AuthorizationScopes.roleWide).subtracting(ids).sorted()
        #expect(stale.isEmpty, "AuthorizationScopes names operations the document no longer has: \(stale)")
        let both = Set(table.keys).intersection(AuthorizationScopes.roleWide).sorted()
        #expect(both.isEmpty, "operations both scoped and role-wide: \(both)")
        // Only what needs no resource to act on may go without a row: a public or bank-signed
        // operation, or one with neither a resource id nor a body.
        for op in operations where AuthorizationScopes.roleWide.contains(op.id) {
            let access = AuthorizationMatrixTests.matrix[op.id]
            let unscoped = access == .anyone || access == .signature || (!op.path.contains("{") && !op.hasBody)
            #expect(unscoped, "\(op.id) acts on a resource or takes a body: give it a row in AuthorizationScopes")
        }
    }

    /// The rows in four parts, each run on a database of its own (in parallel).
    static let parts = 4

    @Test(arguments: 0..<parts)
    func everyCallerGetsWhatItsScopeAllows(part: Int) async throws {
        let table = try AuthorizationScopes.table()
        // Applying for a supplier, or accepting an invitation to one, makes the caller a producer of
        // it: those go last, so that every other row sees the callers with the roles the table's
        // columns say.
        let last: Set<String> = ["applySupplier", "acceptInvitation"]
        let operations = table.keys.sorted().enumerated().filter { $0.offset % Self.parts == part }.map(\.element)
            .sorted { (last.contains($0) ? 1 : 0, $0) < (last.contains($1) ? 1 : 0, $1) }
        try await withTestApp { api in
            let world = try await ScopeWorld.make(api)
            var n = 0
            for operation in operations {
                guard let expected = table[operation] else { continue }
                // Refusals first: they must change nothing. Each caller let through acts on a fresh
                // resource, so no success can turn the next caller's answer into a 409.
                let callers =
                    ScopeCaller.allCases.filter { !Self.allows(expected[$0]) }
                    + ScopeCaller.allCases.filter { Self.allows(expected[$0]) }
                var call: ScopeCall?
                for caller in callers {
                    n += 1
                    do {
                        if call == nil {
                            call = try await world.call(operation, n)
                        }
                        guard let request = call else {
                            Issue.record("\(operation): no request in ScopeWorld.call")
                            break
                        }
                        let reply = try await api.request(
                            request.method, request.uri, token: world.token(caller), json: request.json,
                            raw: request.raw, bytes: request.bytes, headers: request.headers)
                        let want = expected[caller] ?? nil
                        let ok = want.map { reply.status.code == $0 } ?? (200..<300).contains(reply.status.code)
                        #expect(
                            ok,
                            "\(operation) as \(caller): \(reply.status.code), expected \(want.map(String.init) ?? "2xx") \(reply.text.prefix(160))"
                        )
                        if (200..<300).contains(reply.status.code) { call = nil }
                    } catch {
                        Issue.record("\(operation) as \(caller): the fixture failed: \(error)")
                        call = nil
                    }
                }
            }
        }
    }

    /// Whether a cell expects success ("2xx" is nil).
    static func allows(_ cell: Int??) -> Bool {
        guard let cell else { return false }
        guard let code = cell else { return true }
        return (200..<300).contains(code)
    }
}
