import Foundation
import NIOSSL
import PostgresNIO

/// `postgres://user:password@host:port/database?sslmode=…` (or a Unix socket folder as `host=`),
/// turned into a `PostgresClient` configuration.
public struct DatabaseURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: String
    /// Set when the URL names a socket folder (`?host=/path`), as libpq allows.
    public var socketFolder: String?

    public init(host: String, port: Int, user: String, password: String?, database: String, sslMode: String = "disable")
    {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }

    public enum ParseError: Error, CustomStringConvertible {
        case invalid(String)
        public var description: String {
            switch self {
            case .invalid(let reason): "DATABASE_URL is invalid: \(reason)"
            }
        }
    }

    public init(parsing text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme, ["postgres", "postgresql"].contains(scheme)
        else { throw ParseError.invalid("expected postgres://user:password@host:port/database") }
        let query = Dictionary(
            (components.queryItems ?? []).map { ($0.name, $0.value ?? "") },
            uniquingKeysWith: { _, last in last }
        )
        let database = String(components.percentEncodedPath.dropFirst()).removingPercentEncoding ?? ""
        guard !database.isEmpty else { throw ParseError.invalid("no database name in the path") }
        self.init(
            host: components.host.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1",
            port: components.port ?? 5432,
            user: components.user?.removingPercentEncoding ?? "postgres",
            password: components.password?.removingPercentEncoding,
            database: database,
            sslMode: query["sslmode"] ?? "prefer"
        )
        self.socketFolder = query["host"].flatMap { $0.hasPrefix("/") ? $0 : nil }
    }

    /// The same server with another database (tests copy a template per suite).
    public func with(database: String) -> DatabaseURL {
        var copy = self
        copy.database = database
        return copy
    }

    public var text: String {
        var credentials = user.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? user
        if let password {
            credentials +=
                ":" + (password.addingPercentEncoding(withAllowedCharacters: .urlPasswordAllowed) ?? password)
        }
        return "postgres://\(credentials)@\(host):\(port)/\(database)?sslmode=\(sslMode)"
    }

    /// For a single dedicated connection, such as the one that LISTENs for catalog changes.
    public func connectionConfiguration() throws -> PostgresConnection.Configuration {
        if let socketFolder {
            return .init(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)", username: user, password: password,
                database: database)
        }
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable", "allow": tls = .disable
        case "prefer": tls = .prefer(try .init(configuration: .makeClientConfiguration()))
        default: tls = .require(try .init(configuration: .makeClientConfiguration()))
        }
        return .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
    }

    /// `settings` are sent at connect and hold for every session of the pool (e.g. `statement_timeout`).
    public func clientConfiguration(maxConnections: Int, settings: [(String, String)] = []) throws
        -> PostgresClient.Configuration
    {
        var configuration: PostgresClient.Configuration
        if let socketFolder {
            configuration = .init(
                unixSocketPath: "\(socketFolder)/.s.PGSQL.\(port)",
                username: user,
                password: password,
                database: database
            )
        } else {
            let tls: PostgresClient.Configuration.TLS
            switch sslMode {
            case "disable", "allow": tls = .disable
            case "prefer": tls = .prefer(.makeClientConfiguration())
            default: tls = .require(.makeClientConfiguration())
            }
            configuration = .init(
                host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.maximumConnections = maxConnections
        configuration.options.connectTimeout = .seconds(5)
        configuration.options.additionalStartupParameters = settings
        return configuration
    }
}
