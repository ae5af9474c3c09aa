import PostgresNIO

extension PostgresRow {
    /// Column access by name, for rows too wide to decode as one tuple.
    public var columns: PostgresRandomAccessRow { makeRandomAccess() }
}

extension PostgresRandomAccessRow {
    public func get<T: PostgresDecodable>(_ column: String, as _: T.Type = T.self) throws -> T {
        try self[column].decode(T.self)
    }
}

extension PSQLError {
    /// The SQLSTATE of a server error, e.g. 23505 for a unique violation.
    public var sqlState: String? { serverInfo?[.sqlState] }
    public var constraintName: String? { serverInfo?[.constraintName] }
}
