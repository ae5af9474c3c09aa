import Foundation
import PostgresNIO

/// Bind values kept as values, so the same statement can be sent by PostgresNIO or written out for
/// pgbench (`Benchmarks/`), which replays exactly what the server runs.
public struct BindList: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        case int(Int64)
        case smallint(Int16)
        case uuid(UUID)
        case textArray([String])

        /// The text form, as pgbench sends a variable.
        public var text: String {
            switch self {
            case .text(let value): value
            case .int(let value): String(value)
            case .smallint(let value): String(value)
            case .uuid(let value): value.uuidString.lowercased()
            case .textArray(let values):
                "{"
                    + values.map {
                        "\""
                            + $0.replacingOccurrences(of: "\\", with: "\\\\")
                            .replacingOccurrences(of: "\"", with: "\\\"") + "\""
                    }.joined(separator: ",") + "}"
            }
        }
    }

    public private(set) var values: [Value] = []
    public var count: Int { values.count }

    mutating func append(_ value: String) { values.append(.text(value)) }
    mutating func append(_ value: Int64) { values.append(.int(value)) }
    mutating func append(_ value: Int16) { values.append(.smallint(value)) }
    mutating func append(_ value: UUID) { values.append(.uuid(value)) }
    mutating func append(_ value: [String]) { values.append(.textArray(value)) }

    var postgres: PostgresBindings {
        var binds = PostgresBindings()
        for value in values {
            switch value {
            case .text(let v): binds.append(v)
            case .int(let v): binds.append(v)
            case .smallint(let v): binds.append(v)
            case .uuid(let v): binds.append(v)
            case .textArray(let v): binds.append(v)
            }
        }
        return binds
    }
}
