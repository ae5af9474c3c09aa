import Foundation
import Kernel
import Logging
import PostgresNIO

/// Plans a post office's pickup or delivery runs for a day and shift (SPEC §5). Planning holds the
/// post office's row lock, so two schedulers of one office take turns, and the second finds the
/// first one's plan and re-derives it: the assignment is a function of the pool, so planning twice
/// never duplicates or drops a stop.
public struct Scheduler: Sendable {
    let db: Database
    let logger: Logger

    public init(db: Database, logger: Logger) {
        self.db = db
        self.logger = logger
    }

    /// How far ahead a plan may be made.
    static let horizonDays = 14

    /// A clerk of the office (or an admin) plans.
    public func plan(
        postOffice id: UUID, on day: String, shift: Shift, kind: RunKind, caller: Caller, now: Date = Date()
    ) async throws -> Schedule {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        guard principal.worksAt(postOffice: id, as: .clerk) else {
            throw DomainError.notFound("No post office with this id.")
        }
        try Self.validate(day: day, now: now)
        return try await plan(
            postOffice: id, on: day, shift: shift, kind: kind, actor: principal.userID, caller: caller)
    }

    static func validate(day: String, now: Date) throws(DomainError) {
        let today = BusinessDay.string(for: now)
        guard BusinessDay.start(of: day) != nil else {
            throw .invalid("service_on", "must be a date such as 2026-11-27")
        }
        guard day >= today else { throw .invalid("service_on", "must be today or later") }
        guard let last = BusinessDay.adding(horizonDays, to: today), day <= last else {
            throw .invalid("service_on", "must be at most \(horizonDays) days ahead")
        }
    }

    /// Plans without a signed-in user (the worker's timetable).
    public func planAsSystem(postOffice id: UUID, on day: String, shift: Shift, kind: RunKind) async throws -> Schedule
    {
        try await plan(
            postOffice: id, on: day, shift: shift, kind: kind, actor: nil,
            caller: Caller(principal: nil, requestID: nil))
    }

    func plan(
        postOffice id: UUID, on day: String, shift: Shift, kind: RunKind, actor: UUID?, caller: Caller
    ) async throws -> Schedule {
        let reader = ScheduleReader(logger: logger)
        return try await db.withTransaction(logger: logger) { connection in
            let offices = try await connection.query(
                "SELECT lat, lon FROM post_offices WHERE id = \(id) AND is_active FOR UPDATE", logger: logger
            ).collect().decode((Double?, Double?).self)
            guard let (lat, lon) = offices.first else { throw DomainError.notFound("No post office with this id.") }
            let depot = GeoPoint(lat: lat ?? 0, lon: lon ?? 0)
            try await connection.query(
                """
                INSERT INTO schedules (id, post_office_id, service_on, shift, kind, planned_by)
                VALUES (\(UUID()), \(id), \(day)::date, \(shift.rawValue), \(kind.rawValue), \(actor))
                ON CONFLICT (post_office_id, service_on, shift, kind) DO NOTHING
                """,
                logger: logger)
            let scheduleIDs = try await connection.query(
                """
                SELECT id FROM schedules
                WHERE post_office_id = \(id) AND service_on = \(day)::date AND shift = \(shift.rawValue)
                    AND kind = \(kind.rawValue)
                FOR UPDATE
                """,
                logger: logger
            ).collect().decode(UUID.self)
            guard let scheduleID = scheduleIDs.first else { throw DomainError.notFound("No post office with this id.") }
            let pool = try await SchedulePool(logger: logger).load(
                scheduleID: scheduleID, postOffice: id, day: day, shift: shift, kind: kind, depot: depot,
                on: connection)
            let plan = StopAssigner.assign(depot: depot, couriers: pool.couriers, demands: pool.demands)
            try await ScheduleWriter(logger: logger).write(
                plan, pool: pool, scheduleID: scheduleID, postOffice: id, kind: kind, actor: actor, on: connection)
            try await AuditEntry(
                actorID: actor, action: "schedule.plan", entityType: "schedule", entityID: scheduleID.uuidString,
                requestID: caller.requestID,
                details: [
                    "stops": "\(plan.routes.reduce(0) { $0 + $1.stops.count })",
                    "overflow_stops": "\(plan.overflow.count)",
                ]
            ).record(on: connection, logger: logger)
            return try await reader.load(scheduleID, on: connection)
        }
    }

    /// The plans of a day, pickups first, morning first, for a clerk of the office.
    public func list(postOffice id: UUID, on day: String, caller: Caller) async throws -> [Schedule] {
        let principal = try caller.signedIn()
        try principal.require(.clerk)
        guard principal.worksAt(postOffice: id, as: .clerk) else {
            throw DomainError.notFound("No post office with this id.")
        }
        guard BusinessDay.start(of: day) != nil else {
            throw DomainError.invalid("service_on", "must be a date such as 2026-11-27")
        }
        return try await db.withConnection { connection in
            let ids = try await connection.query(
                """
                SELECT id FROM schedules WHERE post_office_id = \(id) AND service_on = \(day)::date
                ORDER BY kind DESC, CASE shift WHEN 'morning' THEN 0 ELSE 1 END
                """,
                logger: logger
            ).collect().decode(UUID.self)
            var schedules: [Schedule] = []
            for scheduleID in ids {
                schedules.append(try await ScheduleReader(logger: logger).load(scheduleID, on: connection))
            }
            return schedules
        }
    }
}
