import Kernel
import Logging
import PostgresNIO

/// A province of Vietnam after the 2025 reform.
public struct Province: Sendable, Equatable {
    public var code: String
    public var name: String
    public var fullName: String
    public var nameEn: String
    public var region: String
}

/// A ward (phường), commune (xã) or special zone (đặc khu) of a province.
public struct Commune: Sendable, Equatable {
    public var code: String
    public var provinceCode: String
    public var name: String
    public var fullName: String
    public var nameEn: String
    public var lat: Double?
    public var lon: Double?
}

public struct Category: Sendable, Equatable {
    public var code: String
    public var name: String
    public var nameEn: String
    public var isOcopGroup: Bool
    public var children: [Category]
}

public struct Bank: Sendable, Equatable {
    public var bin: String
    public var shortName: String
    public var name: String
}

/// Read-only reference data: administrative units (migration 0002), categories and banks (0004).
public struct ReferenceStore: Sendable {
    let db: Database
    let logger: Logger
    /// Nil reads the tables every time.
    let cache: ReferenceCache?

    public init(db: Database, logger: Logger, cache: ReferenceCache? = nil) {
        self.db = db
        self.logger = logger
        self.cache = cache
    }

    func cached<T: Sendable>(_ key: String, _ load: () async throws -> T) async throws -> T {
        guard let cache else { return try await load() }
        return try await cache.value(key, load: load)
    }

    public func provinces() async throws -> [Province] {
        try await cached("provinces") { try await readProvinces() }
    }

    func readProvinces() async throws -> [Province] {
        let rows = try await db.query(
            "SELECT code, name, full_name, name_en, region FROM provinces ORDER BY code",
            logger: logger
        )
        var result: [Province] = []
        for (code, name, fullName, nameEn, region) in try rows.decode((String, String, String, String, String).self) {
            result.append(Province(code: code, name: name, fullName: fullName, nameEn: nameEn, region: region))
        }
        return result
    }

    /// The communes of a province, or 404 for a province code that does not exist.
    public func communes(province code: String) async throws -> [Commune] {
        try await cached("communes:" + code) { try await readCommunes(province: code) }
    }

    func readCommunes(province code: String) async throws -> [Commune] {
        let exists = try await !db.query("SELECT 1 FROM provinces WHERE code = \(code)", logger: logger).isEmpty
        guard exists else { throw DomainError.notFound("No province with code \(code).") }
        let rows = try await db.query(
            """
            SELECT code, province_code, name, full_name, name_en, lat, lon
            FROM communes WHERE province_code = \(code) ORDER BY code
            """,
            logger: logger
        )
        var result: [Commune] = []
        for (code, province, name, fullName, nameEn, lat, lon) in try rows.decode(
            (String, String, String, String, String, Double?, Double?).self
        ) {
            result.append(
                Commune(
                    code: code, provinceCode: province, name: name, fullName: fullName, nameEn: nameEn, lat: lat,
                    lon: lon)
            )
        }
        return result
    }

    /// The category tree, roots (the OCOP groups) first, each level in its display order.
    public func categories() async throws -> [Category] {
        try await cached("categories") { try await readCategories() }
    }

    func readCategories() async throws -> [Category] {
        let rows = try await db.query(
            "SELECT code, parent_code, name, name_en, is_ocop_group FROM categories ORDER BY position, code",
            logger: logger
        ).decode((String, String?, String, String, Bool).self)
        var children: [String: [Category]] = [:]
        for row in rows where row.1 != nil {
            children[row.1 ?? "", default: []].append(
                Category(code: row.0, name: row.2, nameEn: row.3, isOcopGroup: row.4, children: []))
        }
        return rows.filter { $0.1 == nil }.map {
            Category(code: $0.0, name: $0.2, nameEn: $0.3, isOcopGroup: $0.4, children: children[$0.0] ?? [])
        }
    }

    public func banks() async throws -> [Bank] {
        try await cached("banks") { try await readBanks() }
    }

    func readBanks() async throws -> [Bank] {
        try await db.query(
            "SELECT bin, short_name, name FROM banks ORDER BY short_name COLLATE vietnamese", logger: logger
        )
        .decode((String, String, String).self)
        .map { Bank(bin: $0.0, shortName: $0.1, name: $0.2) }
    }
}
