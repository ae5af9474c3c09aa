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

/// Read-only queries over the administrative units loaded by migration 0002.
public struct ReferenceStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    public func provinces() async throws -> [Province] {
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
}
