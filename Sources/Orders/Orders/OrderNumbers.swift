import Catalog
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Order numbers as buyers see them: `DH`, the Vietnamese calendar day (yyMMdd), then a sequence
/// number of at least six digits, e.g. `DH261127000042`.
public enum OrderNumber {
    /// Vietnam keeps UTC+7 all year (no daylight saving time; the whole country since 1975).
    static let vietnamOffset: TimeInterval = 7 * 3600

    public static func format(sequence: Int64, at instant: Date) -> String {
        let (year, month, day) = civilDay(at: instant)
        let digits = String(sequence)
        return "DH" + twoDigits(year % 100) + twoDigits(month) + twoDigits(day)
            + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }

    /// The calendar day in Vietnam at `instant` (days-from-civil inverted, H. Hinnant's algorithm):
    /// plain arithmetic, no calendar object on the order path.
    static func civilDay(at instant: Date) -> (year: Int, month: Int, day: Int) {
        let seconds = Int((instant.timeIntervalSince1970 + vietnamOffset).rounded(.down))
        let z = (seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1_460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shifted = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * shifted + 2) / 5 + 1
        let month = shifted < 10 ? shifted + 3 : shifted - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
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
