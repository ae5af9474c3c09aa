import Catalog
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logging
import OpenAPIRuntime
import PostgresNIO

/// The one place where errors become HTTP responses. Anything not recognised is a 500 that is logged
/// with the request id and says nothing about internals.
enum ProblemMapper {
    static func problem(for error: any Error, logger: Logger) -> (ProblemDocument, HTTPFields) {
        switch error {
        case let error as DomainError:
            return domain(error)
        case let error as ServerError:
            return server(error, logger: logger)
        case let error as DecodingError:
            return decoding(error)
        case let error as HTTPError:
            return http(status: error.status, detail: error.body, headers: error.headers)
        case let error as any HTTPResponseError:
            return http(status: error.status, detail: nil, headers: [:])
        case let error as PSQLError where isUnavailable(error):
            return databaseUnavailable(error, logger: logger)
        case let error as DatabaseConnectionLost:
            return databaseUnavailable(error, logger: logger)
        case let error as DatabaseBusy:
            // Every pooled connection stayed busy for the whole deadline; nothing ran.
            logger.warning("database pool busy", metadata: ["error": "\(error)"])
            return (
                ProblemDocument(
                    kind: "busy", status: .serviceUnavailable, detail: "The service is busy right now; retry shortly."),
                [.retryAfter: "1"]
            )
        case let error as PSQLError where ["57014", "55P03"].contains(error.sqlState ?? ""):
            // A statement or lock wait outlasted its bound (statement_timeout, lock_timeout): rolled back.
            logger.warning("database timeout", metadata: ["error": "\(String(reflecting: error))"])
            return (
                ProblemDocument(
                    kind: "busy", status: .serviceUnavailable,
                    detail: "The request took too long in the database and was stopped; retry shortly."),
                [.retryAfter: "2"]
            )
        case let error as PSQLError where ["40P01", "40001"].contains(error.sqlState ?? ""):
            // Contention that outlasted the transaction's retries: nothing was written; try again.
            logger.warning("transaction conflict", metadata: ["error": "\(String(reflecting: error))"])
            return (
                ProblemDocument(
                    kind: "busy", status: .serviceUnavailable, detail: "Too much contention right now; retry shortly."),
                [.retryAfter: "1"]
            )
        case let error as PSQLError where error.sqlState?.hasPrefix("22") == true || error.sqlState == "23514":
            // A data exception (a value PostgreSQL cannot take) is bad input that slipped past
            // validation: still the client's mistake, never a 500.
            logger.warning("data exception from database", metadata: ["error": "\(String(reflecting: error))"])
            return (
                ProblemDocument(
                    kind: "invalid-value", status: .badRequest, detail: "A value in the request is out of range."), [:]
            )
        default:
            logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return (
                ProblemDocument(
                    kind: "internal-error", status: .internalServerError, detail: "An unexpected error occurred."),
                [:]
            )
        }
    }

    static func domain(_ error: DomainError) -> (ProblemDocument, HTTPFields) {
        switch error {
        case .validation(let fields):
            let detail = fields.map { "\($0.field) \($0.message)" }.joined(separator: "; ")
            return (
                ProblemDocument(
                    kind: "validation-error", status: .unprocessableContent, detail: detail, errors: fields), [:]
            )
        case .unauthenticated(let detail):
            return (
                ProblemDocument(kind: "unauthenticated", status: .unauthorized, detail: detail),
                [.wwwAuthenticate: "Bearer"]
            )
        case .forbidden(let detail):
            return (ProblemDocument(kind: "forbidden", status: .forbidden, detail: detail), [:])
        case .notFound(let detail):
            return (ProblemDocument(kind: "not-found", status: .notFound, detail: detail), [:])
        case .conflict(let kind, let detail, let currentState, let fields):
            var problem = ProblemDocument(
                kind: kind, status: .conflict, detail: detail, errors: fields.isEmpty ? nil : fields)
            problem.currentState = currentState
            return (problem, [:])
        case .tooManyRequests(let detail, let retryAfter):
            return (
                ProblemDocument(kind: "too-many-requests", status: .tooManyRequests, detail: detail),
                [.retryAfter: String(retryAfter)]
            )
        case .unprocessable(let kind, let detail):
            return (ProblemDocument(kind: kind, status: .unprocessableContent, detail: detail), [:])
        case .badRequest(let kind, let detail):
            return (ProblemDocument(kind: kind, status: .badRequest, detail: detail), [:])
        }
    }

    private static func server(_ error: ServerError, logger: Logger) -> (ProblemDocument, HTTPFields) {
        switch error.underlyingError {
        case let underlying as DomainError:
            return domain(underlying)
        case let underlying as DecodingError:
            return decoding(underlying)
        default:
            break
        }
        if (400..<500).contains(error.httpStatus.code) {
            return http(status: error.httpStatus, detail: error.causeDescription, headers: [:])
        }
        return problem(for: error.underlyingError, logger: logger)
    }

    static func decoding(_ error: DecodingError) -> (ProblemDocument, HTTPFields) {
        func path(_ codingPath: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
            let keys = codingPath + (last.map { [$0] } ?? [])
            let joined = keys.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            let trimmed = joined.hasPrefix(".") ? String(joined.dropFirst()) : joined
            return trimmed.isEmpty ? "body" : trimmed
        }
        let field: FieldError
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return (
                ProblemDocument(
                    kind: "malformed-json", status: .badRequest, detail: "The request body is not valid JSON."),
                [:]
            )
        case .dataCorrupted(let context):
            field = FieldError(field: path(context.codingPath), message: context.debugDescription)
        case .keyNotFound(let key, let context):
            field = FieldError(field: path(context.codingPath, key), message: "is required")
        case .typeMismatch(let type, let context):
            field = FieldError(field: path(context.codingPath), message: "must be of type \(jsonType(type))")
        case .valueNotFound(_, let context):
            field = FieldError(field: path(context.codingPath), message: "must not be null")
        @unknown default:
            field = FieldError(field: "body", message: "is invalid")
        }
        return (
            ProblemDocument(
                kind: "validation-error",
                status: .unprocessableContent,
                detail: "\(field.field) \(field.message)",
                errors: [field]
            ), [:]
        )
    }

    private static func jsonType(_ type: Any.Type) -> String {
        switch type {
        case is String.Type, is Substring.Type: "string"
        case is Bool.Type: "boolean"
        case is Int.Type, is Int64.Type, is Int32.Type: "integer"
        case is Double.Type, is Float.Type: "number"
        default: "\(type)".contains("Array") ? "array" : "object"
        }
    }

    private static func http(status: HTTPResponse.Status, detail: String?, headers: HTTPFields) -> (
        ProblemDocument, HTTPFields
    ) {
        let kind: String
        switch status {
        case .badRequest: kind = "bad-request"
        case .notFound: kind = "not-found"
        case .methodNotAllowed: kind = "method-not-allowed"
        case .notAcceptable: kind = "not-acceptable"
        case .contentTooLarge: kind = "payload-too-large"
        case .unsupportedMediaType: kind = "unsupported-media-type"
        case .unprocessableContent: kind = "validation-error"
        default: kind = status.code >= 500 ? "internal-error" : "http-\(status.code)"
        }
        var passed = HTTPFields()
        for field in headers where field.name == .allow || field.name == .retryAfter {
            passed.append(field)
        }
        return (ProblemDocument(kind: kind, status: status, detail: detail), passed)
    }

    private static func databaseUnavailable(_ error: any Error, logger: Logger) -> (ProblemDocument, HTTPFields) {
        logger.error("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
        return (
            ProblemDocument(
                kind: "database-unavailable",
                status: .serviceUnavailable,
                detail: "The database is unreachable; retry shortly."
            ), [.retryAfter: "5"]
        )
    }

    private static func isUnavailable(_ error: PSQLError) -> Bool {
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .poolClosed, .uncleanShutdown:
            return true
        case .server:
            // Class 08 is connection exceptions, 57P0x the server shutting down or restarting.
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P")
        default:
            return false
        }
    }
}
