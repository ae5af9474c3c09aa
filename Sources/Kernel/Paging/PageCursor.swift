import Foundation
import PostgresNIO

/// The position after the last row of a keyset page: a sort key and the row id that breaks ties.
/// Clients see it only as an opaque base64url string.
public struct PageCursor: Sendable, Equatable {
    public var key: String
    public var id: String

    public init(key: String, id: String) {
        self.key = key
        self.id = id
    }

    public var encoded: String {
        Data("\(key)|\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes a cursor, or throws a validation error on `field` for anything this service did not issue.
    public static func decode(_ text: String, field: String = "cursor") throws(DomainError) -> PageCursor {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64), let string = String(data: data, encoding: .utf8),
            let bar = string.firstIndex(of: "|")
        else { throw .invalid(field, "is not a cursor this service issued") }
        return PageCursor(key: String(string[..<bar]), id: String(string[string.index(after: bar)...]))
    }

    /// Page sizes are 1…100, 20 when the client does not say.
    public static func limit(_ requested: Int?) throws(DomainError) -> Int {
        guard let requested else { return 20 }
        guard (1...100).contains(requested) else { throw .invalid("limit", "must be between 1 and 100") }
        return requested
    }

    /// Timestamps go into cursors as whole microseconds since 1970, the precision PostgreSQL keeps.
    public static func timeKey(_ date: Date) -> String {
        String(Int64((date.timeIntervalSince1970 * 1_000_000).rounded()))
    }

    /// SQL turning the bigint bind `$n` made from `timeKey` back into the exact timestamptz.
    public static func timestampSQL(_ n: Int) -> String {
        "(timestamptz 'epoch' + $\(n)::bigint * interval '1 microsecond')"
    }

    /// The cursor after a row ordered by (a timestamp, its id).
    public static func after(time: Date, id: UUID) -> PageCursor {
        PageCursor(key: timeKey(time), id: id.uuidString.lowercased())
    }

    /// The keyset condition for rows after `cursor` in an order by (`timeColumn`, `idColumn`),
    /// appending its binds: `" AND (t, id) < (…)"`, or nothing without a cursor.
    public static func timeCondition(
        after cursor: PageCursor?, timeColumn: String, idColumn: String, descending: Bool,
        binds: inout PostgresBindings
    ) throws(DomainError) -> String {
        guard let cursor else { return "" }
        guard let micros = Int64(cursor.key), let id = UUID(uuidString: cursor.id) else {
            throw .invalid("cursor", "is not a cursor this service issued")
        }
        binds.append(micros)
        binds.append(id)
        let op = descending ? "<" : ">"
        return " AND (\(timeColumn), \(idColumn)) \(op) (\(timestampSQL(binds.count - 1)), $\(binds.count))"
    }
}

extension PageCursor {
    /// One page of a keyset list read with `LIMIT limit + 1`: the extra row, if it came, only says that
    /// a next page exists, and the cursor is taken from the last row shown.
    public static func page<Rows: Collection>(
        _ fetched: Rows, limit: Int, cursor: (Rows.Element) throws -> PageCursor
    ) rethrows -> (items: [Rows.Element], next: PageCursor?) {
        let items = Array(fetched.prefix(limit))
        let next = fetched.count > limit ? try items.last.map(cursor) : nil
        return (items, next)
    }
}
