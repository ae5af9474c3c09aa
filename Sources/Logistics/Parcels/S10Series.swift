import Foundation
import Kernel
import Logging
import PostgresNIO

/// What a parcel's number says about its payment: the two series this marketplace issues from.
public enum ParcelPurpose: String, CaseIterable, Sendable {
    case cashOnDelivery = "cod"
    case prepaid
}

/// A block of S10 numbers the post office was allocated (by VNPost, the UPU's designated operator
/// for `VN`): two service letters and a serial range. Configured, never invented: numbers from a
/// made-up series would collide with real parcels'.
public struct S10Series: Sendable, Equatable {
    public var purpose: ParcelPurpose
    public var service: String
    public var first: Int
    public var last: Int

    public init(purpose: ParcelPurpose, service: String, first: Int, last: Int) {
        self.purpose = purpose
        self.service = service
        self.first = first
        self.last = last
    }

    /// `EC:10000000-19999999` (or `EC` for the whole serial range); the letters must be ones a parcel
    /// may carry under UPU S10.
    public static func parse(_ text: String, purpose: ParcelPurpose) -> Result<S10Series, S10SeriesError> {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ":", maxSplits: 1)
        guard let letters = parts.first.map(String.init), S10.isTwoUppercaseLetters(letters) else {
            return .failure(.format(text))
        }
        if let problem = problem(service: letters) { return .failure(.service(letters, problem)) }
        var first = S10.serialRange.lowerBound
        var last = S10.serialRange.upperBound
        if parts.count == 2 {
            let bounds = parts[1].split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 2, let low = Int(bounds[0]), let high = Int(bounds[1]),
                bounds.allSatisfy({ $0.count == 8 }), low <= high
            else { return .failure(.format(text)) }
            first = low
            last = high
        }
        return .success(S10Series(purpose: purpose, service: letters, first: first, last: last))
    }

    /// Why these service letters may not be issued for a parcel (S10-12, Annex A), or nil when they
    /// may: parcel post `CA`–`CY`, EMS `EA`–`EW`, e-commerce parcels `HA`–`HZ`, and the ranges for
    /// domestic or bilateral use (`B*`, `D*`, `GA`, `GD`, `N*`, `P*`, `Z*`). Letter-post classes, the
    /// reserved and the unassigned ones are refused, as are `CZ` and `EX`–`EZ`, which need a bilateral
    /// agreement.
    public static func problem(service letters: String) -> String? {
        let bytes = Array(letters.utf8)
        guard bytes.count == 2 else { return "is not two letters" }
        let first = Character(UnicodeScalar(bytes[0]))
        let second = Character(UnicodeScalar(bytes[1]))
        switch first {
        case "C": return second == "Z" ? "CZ needs a bilateral agreement" : nil
        case "E": return second >= "X" ? "EX–EZ need a bilateral agreement" : nil
        case "H", "B", "D", "N", "P", "Z": return nil
        case "G": return second == "A" || second == "D" ? nil : "G\(second) is unassigned"
        case "L", "R", "U", "V", "A": return "\(first)* is a letter-post class, not a parcel"
        case "J", "K", "Q", "S", "W", "X", "Y": return "\(first)* is reserved by the UPU"
        case "M": return "M* identifies M bags"
        default: return "\(first)* is unassigned in UPU S10"
        }
    }
}

public enum S10SeriesError: Error, Equatable, CustomStringConvertible {
    case format(String)
    case service(String, String)
    case sameLetters(String)

    public var description: String {
        switch self {
        case .format(let text): "'\(text)' is not LETTERS:FIRST-LAST (e.g. EC:10000000-19999999) or LETTERS"
        case .service(let letters, let why): "\(letters) cannot be issued for a parcel: \(why)"
        case .sameLetters(let letters): "the COD and the prepaid series both use \(letters); give each its own"
        }
    }
}

/// Puts the configured series in force: each purpose draws from its series, a series' next serial is
/// never moved back (a number once issued is never issued again), and a series no longer configured
/// stops being drawn from. Safe to run on every start, by any number of processes at once.
public struct S10SeriesStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func apply(_ series: [S10Series]) async throws {
        try await db.withTransaction(logger: logger) { connection in
            // One writer at a time; allocation (row updates) waits only for this short transaction.
            try await connection.query("LOCK TABLE s10_series IN SHARE ROW EXCLUSIVE MODE", logger: logger)
            for s in series {
                try await connection.query(
                    """
                    UPDATE s10_series SET purpose = NULL WHERE purpose = \(s.purpose.rawValue) AND service <> \(s.service)
                    """,
                    logger: logger)
                try await connection.query(
                    """
                    INSERT INTO s10_series (service, purpose, first_serial, last_serial, next_serial)
                    VALUES (\(s.service), \(s.purpose.rawValue), \(s.first), \(s.last), \(s.first))
                    ON CONFLICT (service) DO UPDATE SET purpose = EXCLUDED.purpose,
                        first_serial = EXCLUDED.first_serial, last_serial = EXCLUDED.last_serial,
                        next_serial = GREATEST(s10_series.next_serial, EXCLUDED.first_serial)
                    """,
                    logger: logger)
                logger.notice(
                    "S10 series in force",
                    metadata: [
                        "purpose": .string(s.purpose.rawValue), "service": .string(s.service),
                        "range": .string("\(s.first)-\(s.last)"),
                    ])
            }
        }
    }
}
