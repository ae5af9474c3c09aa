import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Testing

@testable import MarketAPI

@Suite("Pure rules of the HTTP and account layers")
struct UnitTests {
    @Test func sqlScriptsSplitOnlyAtTopLevelSemicolons() {
        let sql = """
            -- a comment; with a semicolon
            CREATE TABLE t (a text DEFAULT 'x;y', "we;ird" int);
            /* block; comment /* nested; */ */
            INSERT INTO t VALUES ('it''s; fine');
            CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'no;'; END $$;
            CREATE FUNCTION g() RETURNS int LANGUAGE sql AS $body$ SELECT 1; $body$;
            -- trailing comment
            """
        let statements = SQLScript.statements(sql)
        #expect(statements.count == 4)
        #expect(statements[0].hasSuffix("\"we;ird\" int)"))
        #expect(statements[1].hasSuffix("VALUES ('it''s; fine')"))
        #expect(statements[2].contains("RAISE EXCEPTION 'no;'; END $$"))
        #expect(statements[3].contains("SELECT 1; $body$"))
    }

    @Test func migrationFileNamesGiveTheirVersion() {
        #expect(Migration.parse(fileName: "0003_accounts.sql", sql: "")?.version == 3)
        #expect(Migration.parse(fileName: "README.md", sql: "") == nil)
        #expect(Migration.parse(fileName: "abc_x.sql", sql: "") == nil)
        #expect(Migration.parse(fileName: "0000_zero.sql", sql: "") == nil)
    }

    @Test func loginThrottleChecksAtMostTheLimitAndLocksOnTheLastFailure() {
        let throttle = LoginThrottle(maxFailures: 3, lockDuration: 60)
        let now = Date(timeIntervalSince1970: 1_000_000)
        for number in 1...3 {
            #expect(throttle.admit(.init(number: number, lockedUntil: nil), now: now) == .check)
        }
        // Guesses beyond the limit are not checked, even before the last allowed one has locked.
        #expect(throttle.admit(.init(number: 4, lockedUntil: nil), now: now) == .refused(retryAfterSeconds: 60))
        #expect(throttle.lockAfterFailure(attempt: 2, now: now) == nil)
        let lock = throttle.lockAfterFailure(attempt: 3, now: now)
        #expect(lock == now.addingTimeInterval(60))
        #expect(throttle.admit(.init(number: 1, lockedUntil: lock), now: now) == .refused(retryAfterSeconds: 60))
        #expect(
            throttle.admit(.init(number: 1, lockedUntil: lock), now: now.addingTimeInterval(59.5))
                == .refused(retryAfterSeconds: 1))
        #expect(throttle.admit(.init(number: 1, lockedUntil: lock), now: now.addingTimeInterval(60)) == .check)
    }

    @Test func bearerTokensAreRandomAndOnlyWellFormedOnesParse() {
        let a = BearerToken.generate()
        let b = BearerToken.generate()
        #expect(a.text != b.text)
        #expect(a.text.count == 43)
        #expect(BearerToken(a.text)?.digest == a.digest)
        #expect(a.digest.count == 64)
        #expect(BearerToken("short") == nil)
        #expect(BearerToken(String(repeating: "a", count: 42) + "'") == nil)
    }

    @Test func routeTableTellsMissingPathsFromMissingMethods() {
        let table = RouteTable()
        table.add(method: .get, path: "/v1/users/{user_id}")
        table.add(method: .post, path: "/v1/users")
        table.add(method: .get, path: "/v1/users")
        #expect(table.match(method: .get, path: "/v1/users/abc") == .found(route: "/v1/users/{user_id}"))
        #expect(table.match(method: .delete, path: "/v1/users/abc") == .methodNotAllowed(allow: [.get]))
        #expect(table.match(method: .put, path: "/v1/users") == .methodNotAllowed(allow: [.get, .post]))
        #expect(table.match(method: .get, path: "/v1/users/abc/def") == .notFound)
        #expect(table.match(method: .get, path: "/v2/users") == .notFound)
    }

    @Test func databaseURLsParse() throws {
        let url = try DatabaseURL(parsing: "postgres://app:s%40cret@db.internal:6543/market?sslmode=require")
        #expect(url.host == "db.internal")
        #expect(url.port == 6543)
        #expect(url.user == "app")
        #expect(url.password == "s@cret")
        #expect(url.database == "market")
        #expect(url.sslMode == "require")
        let socket = try DatabaseURL(parsing: "postgresql://postgres@localhost:5433/market?host=/tmp/pg")
        #expect(socket.socketFolder == "/tmp/pg")
        #expect(throws: DatabaseURL.ParseError.self) { try DatabaseURL(parsing: "mysql://x@y/z") }
        #expect(throws: DatabaseURL.ParseError.self) { try DatabaseURL(parsing: "postgres://x@y:5432/") }
    }

    @Test func requestIDsFromClientsAreSanitised() {
        #expect(RequestIDMiddleware<BasicRequestContextStub>.sanitized("abc-123") == "abc-123")
        #expect(RequestIDMiddleware<BasicRequestContextStub>.sanitized("has space") == nil)
        #expect(RequestIDMiddleware<BasicRequestContextStub>.sanitized(String(repeating: "x", count: 129)) == nil)
        #expect(RequestIDMiddleware<BasicRequestContextStub>.sanitized("") == nil)
    }

    @Test func configurationComesFromTheEnvironmentAndRejectsNonsense() throws {
        let config = try AppConfig.fromEnvironment(["PORT": "9090", "LOG_LEVEL": "debug", "MAX_BODY_BYTES": "2048"])
        #expect(config.port == 9090)
        #expect(config.logLevel == .debug)
        #expect(config.maxBodyBytes == 2048)
        #expect(config.databaseURL == nil)
        #expect(throws: AppConfig.Problem.self) { try AppConfig.fromEnvironment(["PORT": "eighty"]) }
        #expect(throws: AppConfig.Problem.self) { try AppConfig.fromEnvironment(["LOG_LEVEL": "loud"]) }
    }

    @Test func decodingErrorsNameTheField() {
        struct Body: Decodable { var lines: [Line] }
        struct Line: Decodable { var quantity: Int }
        do {
            _ = try JSONDecoder().decode(Body.self, from: Data(#"{"lines":[{"quantity":1},{"quantity":"two"}]}"#.utf8))
            Issue.record("should not decode")
        } catch let error as DecodingError {
            let (problem, _) = ProblemMapper.decoding(error)
            #expect(problem.status == 422)
            #expect(problem.errors?.first?.field == "lines[1].quantity")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}

typealias BasicRequestContextStub = Hummingbird.BasicRequestContext

@Suite("The document's public operations")
struct PublicRoutesTests {
    @Test func theOperationsWithoutSecurityArePublicAndNoOther() throws {
        let routes = try OpenAPIDocument.publicRoutes(try OpenAPIDocument.text())
        let names = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
        #expect(names.contains("POST /v1/auth/login"))
        #expect(names.contains("GET /v1/products"))
        #expect(names.contains("GET /v1/track/{tracking_no}"))
        #expect(names.contains("POST /v1/payments/notifications"))
        #expect(!names.contains("POST /v1/orders"))
        #expect(!names.contains("GET /v1/audit-events"))
        #expect(!names.contains("POST /v1/remittances"))
    }
}
