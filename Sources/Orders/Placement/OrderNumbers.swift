import Foundation
import Kernel
import Logging
import PostgresNIO
import Synchronization

/// Order numbers as buyers see them: `DH`, the Vietnamese calendar day (yyMMdd), then a sequence
/// number of at least six digits, e.g. `DH261127000042`.
public enum OrderNumber {
    public static func format(sequence: Int64, at instant: Date) -> String {
        let day = CalendarDay(inVietnamAt: instant)
        let digits = String(sequence)
        return "DH" + twoDigits(day.year % 100) + twoDigits(day.month) + twoDigits(day.day)
            + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

/// Sequence numbers for orders, drawn from `order_number_seq` a block at a time so that an order
/// priced from `PricingCache` needs no statement of its own for its number. Numbers stay unique;
/// a process that stops leaves the rest of its block unused (numbers skip, as they already did).
final class OrderNumbers: Sendable {
    private let free = Mutex<[Int64]>([])
    static let blockSize = 64

    func next(db: Database, logger: Logger) async throws -> Int64 {
        if let number = take() { return number }
        let block = try await db.withConnection { connection in
            try await connection.query(
                "SELECT nextval('order_number_seq') FROM generate_series(1, \(Self.blockSize))", logger: logger
            ).collect().map { try $0.decode(Int64.self) }
        }
        guard let mine = block.first else {
            throw DomainError.conflict(kind: "busy", detail: "Retry this request.")
        }
        // Requests that found the pool empty at the same moment each draw a block; none is wasted.
        free.withLock { $0.append(contentsOf: block.dropFirst().reversed()) }
        return mine
    }

    private func take() -> Int64? { free.withLock { $0.popLast() } }
}
