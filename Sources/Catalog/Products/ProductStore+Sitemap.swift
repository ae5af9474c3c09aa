import Foundation
import Kernel
import PostgresNIO

extension ProductStore {
    /// A listed product as a sitemap names it.
    public struct ListedEntry: Sendable, Equatable {
        public var id: UUID
        public var title: String
        public var updatedAt: Date
    }

    /// How many products a buyer can see: what decides how many sitemap files there are.
    public func listedCount() async throws -> Int {
        let rows = try await db.query(
            "SELECT count(*) FROM products WHERE status = 'active' AND supplier_active", logger: logger)
        return try rows.first?.decode(Int.self) ?? 0
    }

    /// The listed products whose ids fall in one part of the id space, most recently changed first,
    /// at most `limit` (a sitemap file holds 50,000 addresses).
    public func listedEntries(in part: SitemapPart, limit: Int = 50_000) async throws -> [ListedEntry] {
        let (low, high) = part.bounds
        return try await db.withConnection { connection in
            try await connection.query(
                """
                SELECT id, title, updated_at FROM products
                WHERE status = 'active' AND supplier_active AND id >= \(low) AND (\(high)::uuid IS NULL OR id < \(high))
                ORDER BY updated_at DESC, id LIMIT \(limit)
                """,
                logger: logger
            ).collect().decode((UUID, String, Date).self).map { ListedEntry(id: $0.0, title: $0.1, updatedAt: $0.2) }
        }
    }
}

/// One file of a catalog's sitemap: the products whose ids fall in the `index`-th of `2^bits` equal
/// slices of the UUID space. Ids are random, so the slices hold nearly equal shares; a product never
/// moves between files while the catalog grows within the same number of files, and a file is read
/// by an index range scan, never an OFFSET.
public struct SitemapPart: Sendable, Equatable {
    public var bits: Int
    public var index: Int

    /// At most 4,096 files (200 million addresses), the sitemap protocol's index limit being 50,000.
    public static let maxBits = 12
    /// Products per file aimed at: room below the protocol's 50,000 for the slices' uneven shares.
    public static let target = 40_000

    public init?(bits: Int, index: Int) {
        guard (0...Self.maxBits).contains(bits), index >= 0, index < 1 << bits else { return nil }
        self.bits = bits
        self.index = index
    }

    /// The parts a catalog of `count` listed products is written in.
    public static func parts(forCount count: Int) -> [SitemapPart] {
        var bits = 0
        while bits < maxBits, count > target << bits { bits += 1 }
        return (0..<(1 << bits)).compactMap { SitemapPart(bits: bits, index: $0) }
    }

    /// `san-pham-<bits>-<index>.xml`, and back.
    public var fileName: String { "san-pham-\(bits)-\(index).xml" }

    public init?(fileName: String) {
        guard fileName.hasPrefix("san-pham-"), fileName.hasSuffix(".xml") else { return nil }
        let numbers = fileName.dropFirst("san-pham-".count).dropLast(".xml".count).split(separator: "-")
        guard numbers.count == 2, let bits = Int(numbers[0]), let index = Int(numbers[1]) else { return nil }
        self.init(bits: bits, index: index)
        // One name per file: `+1` or `01` would be the same file under another address.
        guard self.fileName == fileName else { return nil }
    }

    /// The slice's first id, and the next slice's first id (nil for the last slice).
    public var bounds: (UUID, UUID?) {
        func id(_ slice: Int) -> UUID? {
            guard slice < 1 << bits else { return nil }
            let prefix = UInt32(slice) << (32 - bits)
            let hex = String(prefix, radix: 16)
            let padded = String(repeating: "0", count: 8 - hex.count) + hex
            return UUID(uuidString: padded + "-0000-0000-0000-000000000000")
        }
        return (id(index) ?? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)), id(index + 1))
    }
}
