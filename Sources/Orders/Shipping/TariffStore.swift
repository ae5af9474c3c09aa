import Foundation
import Kernel
import Logging
import PostgresNIO

/// A new tariff version as an admin sends it.
public struct NewTariff: Sendable {
    public var effectiveFrom: CalendarDay
    public var codFeeBps: Int
    public var codFeeMinVND: Int64
    public var note: String
    public var rates: [ShippingZone: Tariff.Rate]
    public var returnInProvinceVND: Int64 = 0
    public var returnBeyondBps: Int = 0
    public var codCeilingVND: Int64 = 5_000_000
    public var volumetricDivisor: Int = 6000
    public var insuranceBps: Int = 0
    public var insuranceMinVND: Int64 = 0

    public struct RateInput: Sendable {
        public var zone: String
        public var firstGrams: Int
        public var firstFeeVND: Int64
        public var stepGrams: Int
        public var stepFeeVND: Int64

        public init(zone: String, firstGrams: Int, firstFeeVND: Int64, stepGrams: Int, stepFeeVND: Int64) {
            self.zone = zone
            self.firstGrams = firstGrams
            self.firstFeeVND = firstFeeVND
            self.stepGrams = stepGrams
            self.stepFeeVND = stepFeeVND
        }
    }

    /// A version takes effect today or later (history is never rewritten) and prices every zone.
    public static func validated(
        effectiveFrom: String, codFeeBps: Int, codFeeMinVND: Int64, note: String?, rates: [RateInput],
        returnInProvinceVND: Int64 = 0, returnBeyondBps: Int = 0, codCeilingVND: Int64 = 5_000_000,
        volumetricDivisor: Int = 6000, insuranceBps: Int = 0, insuranceMinVND: Int64 = 0, today: CalendarDay
    ) throws(DomainError) -> NewTariff {
        var v = Validator()
        let day = CalendarDay(effectiveFrom)
        if let day {
            v.check(day >= today, "effective_from", "must be today (\(today)) or later; past prices stay as they were")
        } else {
            v.fail("effective_from", "must be a date YYYY-MM-DD")
        }
        v.range(codFeeBps, "cod_fee_bps", 0...10_000)
        v.range(codFeeMinVND, "cod_fee_min_vnd", 0...1_000_000)
        v.range(returnInProvinceVND, "return_in_province_vnd", 0...10_000_000)
        v.range(returnBeyondBps, "return_beyond_bps", 0...10_000)
        v.range(codCeilingVND, "cod_ceiling_vnd", 0...1_000_000_000)
        v.range(volumetricDivisor, "volumetric_divisor", 1000...10_000)
        v.range(insuranceBps, "insurance_bps", 0...1000)
        v.range(insuranceMinVND, "insurance_min_vnd", 0...1_000_000)
        if let note { v.paragraph(note, "note", max: 500) }
        var parsed: [ShippingZone: Tariff.Rate] = [:]
        for (index, rate) in rates.enumerated() {
            guard let zone = ShippingZone(rawValue: rate.zone) else {
                v.fail("rates[\(index)].zone", "must be same_commune, same_province, same_region or other_region")
                continue
            }
            if parsed[zone] != nil { v.fail("rates[\(index)].zone", "is priced twice") }
            v.range(rate.firstGrams, "rates[\(index)].first_grams", 1...100_000)
            v.range(rate.stepGrams, "rates[\(index)].step_grams", 1...100_000)
            v.range(rate.firstFeeVND, "rates[\(index)].first_fee_vnd", 0...10_000_000)
            v.range(rate.stepFeeVND, "rates[\(index)].step_fee_vnd", 0...10_000_000)
            parsed[zone] = Tariff.Rate(
                firstGrams: rate.firstGrams, firstFeeVND: rate.firstFeeVND, stepGrams: rate.stepGrams,
                stepFeeVND: rate.stepFeeVND)
        }
        let missing = ShippingZone.allCases.filter { parsed[$0] == nil }.map(\.rawValue)
        if !missing.isEmpty, v.errors.isEmpty {
            v.fail("rates", "must price every zone; missing \(missing.joined(separator: ", "))")
        }
        try v.done()
        guard let day else { throw .invalid("effective_from", "must be a date YYYY-MM-DD") }
        return NewTariff(
            effectiveFrom: day, codFeeBps: codFeeBps, codFeeMinVND: codFeeMinVND, note: note ?? "", rates: parsed,
            returnInProvinceVND: returnInProvinceVND, returnBeyondBps: returnBeyondBps, codCeilingVND: codCeilingVND,
            volumetricDivisor: volumetricDivisor, insuranceBps: insuranceBps, insuranceMinVND: insuranceMinVND)
    }
}

/// Tariff versions: the one in force today prices quotes and orders.
public struct TariffStore: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    static let select = """
        SELECT t.id, t.effective_from::text AS effective_from, t.cod_fee_bps, t.cod_fee_min_vnd, t.note, t.created_at,
            t.return_in_province_vnd, t.return_beyond_bps, t.cod_ceiling_vnd, t.volumetric_divisor, t.insurance_bps,
            t.insurance_min_vnd, r.zone, r.first_grams, r.first_fee_vnd, r.step_grams, r.step_fee_vnd
        FROM shipping_tariffs t JOIN shipping_rates r ON r.tariff_id = t.id
        """

    /// The version in force today (Asia/Ho_Chi_Minh), on the caller's connection.
    public func inForce(on connection: PostgresConnection) async throws -> Tariff {
        let rows = try await connection.query(
            PostgresQuery(
                unsafeSQL: Self.select
                    + " WHERE t.id = (SELECT id FROM shipping_tariffs WHERE effective_from <= vn_today() ORDER BY effective_from DESC LIMIT 1)"
            ),
            logger: logger
        ).collect()
        guard let tariff = try Self.decode(rows).first else {
            throw DomainError.conflict(kind: "no-tariff", detail: "No shipping tariff is in force yet.")
        }
        return tariff
    }

    /// Every version, the latest effective date first.
    public func all() async throws -> [Tariff] {
        let rows = try await db.query(
            PostgresQuery(unsafeSQL: Self.select + " ORDER BY t.effective_from DESC, r.zone"), logger: logger)
        return try Self.decode(rows)
    }

    public func create(_ new: NewTariff, caller: Caller) async throws -> Tariff {
        let principal = try caller.signedIn()
        try principal.require(.admin)
        let id = UUID()
        try await db.withTransaction(logger: logger) { connection in
            do {
                try await connection.query(
                    """
                    INSERT INTO shipping_tariffs (id, effective_from, cod_fee_bps, cod_fee_min_vnd, note, created_by,
                        return_in_province_vnd, return_beyond_bps, cod_ceiling_vnd, volumetric_divisor, insurance_bps,
                        insurance_min_vnd)
                    VALUES (\(id), \(new.effectiveFrom.description)::date, \(new.codFeeBps), \(new.codFeeMinVND),
                        \(new.note), \(principal.userID), \(new.returnInProvinceVND), \(new.returnBeyondBps),
                        \(new.codCeilingVND), \(new.volumetricDivisor), \(new.insuranceBps), \(new.insuranceMinVND))
                    """,
                    logger: logger)
            } catch let error as PSQLError where error.sqlState == "23505" {
                throw DomainError.conflict(
                    kind: "tariff-exists", detail: "A tariff already takes effect on \(new.effectiveFrom).")
            }
            for (zone, rate) in new.rates.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                try await connection.query(
                    """
                    INSERT INTO shipping_rates (tariff_id, zone, first_grams, first_fee_vnd, step_grams, step_fee_vnd)
                    VALUES (\(id), \(zone.rawValue), \(rate.firstGrams), \(rate.firstFeeVND), \(rate.stepGrams),
                        \(rate.stepFeeVND))
                    """,
                    logger: logger)
            }
            try await AuditEntry(
                actorID: principal.userID, action: "tariff.created", entityType: "shipping_tariff",
                entityID: id.uuidString.lowercased(), requestID: caller.requestID,
                details: ["effective_from": new.effectiveFrom.description]
            ).record(on: connection, logger: logger)
        }
        guard let tariff = try await all().first(where: { $0.id == id }) else {
            throw DomainError.notFound("No tariff with this id.")
        }
        return tariff
    }

    static func decode(_ rows: [PostgresRow]) throws -> [Tariff] {
        var tariffs: [Tariff] = []
        for row in rows {
            let r = row.columns
            let id: UUID = try r.get("id")
            let zone = ShippingZone(rawValue: try r.get("zone")) ?? .otherRegion
            let rate = Tariff.Rate(
                firstGrams: try r.get("first_grams"), firstFeeVND: try r.get("first_fee_vnd"),
                stepGrams: try r.get("step_grams"), stepFeeVND: try r.get("step_fee_vnd"))
            if let last = tariffs.indices.last, tariffs[last].id == id {
                tariffs[last].rates[zone] = rate
            } else {
                var tariff = Tariff(
                    id: id, effectiveFrom: try r.get("effective_from"), codFeeBps: try r.get("cod_fee_bps"),
                    codFeeMinVND: try r.get("cod_fee_min_vnd"), note: try r.get("note"), rates: [zone: rate],
                    createdAt: try r.get("created_at"))
                tariff.returnInProvinceVND = try r.get("return_in_province_vnd")
                tariff.returnBeyondBps = try r.get("return_beyond_bps")
                tariff.codCeilingVND = try r.get("cod_ceiling_vnd")
                tariff.volumetricDivisor = try r.get("volumetric_divisor")
                tariff.insuranceBps = try r.get("insurance_bps")
                tariff.insuranceMinVND = try r.get("insurance_min_vnd")
                tariffs.append(tariff)
            }
        }
        return tariffs
    }
}
