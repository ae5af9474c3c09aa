import Foundation
import HTTPTypes
import Logistics
import Testing

@testable import MarketAPI

/// The order shop (two suppliers of post office A) plus couriers of A and helpers to get parcels
/// ready, scanned and planned.
struct LogisticsWorld: Sendable {
    let world: CatalogWorld
    let fish: String
    let honey: String
    let honeyProducer: String
    /// Couriers of office A: (token, user id).
    let couriers: [(token: String, id: String)]

    var api: TestAPI { world.api }
    var clerk: String { world.clerkA }
    var office: UUID { world.officeA }

    static func make(_ api: TestAPI, couriers count: Int = 2, maxStops: Int = 40, maxGrams: Int = 150_000)
        async throws -> LogisticsWorld
    {
        let (world, fish, honey, honeyProducer) = try await OrderTests.shop(api, fishStock: 50, honeyStock: 50)
        var couriers: [(String, String)] = []
        for _ in 0..<count {
            let token = try await CatalogWorld.staff(
                api, admin: world.admin, role: "courier", postOffice: world.officeA)
            let me = try await world.expect(.get, "/v1/me", token, status: .ok)
            let id = try #require(me.json["id"] as? String)
            try await world.expect(
                .patch, "/v1/couriers/\(id)", world.clerkA, json: ["max_stops": maxStops, "max_grams": maxGrams],
                status: .ok)
            couriers.append((token, id))
        }
        return LogisticsWorld(world: world, fish: fish, honey: honey, honeyProducer: honeyProducer, couriers: couriers)
    }

    /// An order of one fish sauce and one honey, both packages accepted and marked ready; returns the
    /// order JSON and the tracking numbers (fish first).
    func readyOrder(method: String = "cod", commune: String = CatalogWorld.communeA) async throws
        -> (order: [String: Any], tracking: [String])
    {
        let buyer = try await api.buyerToken()
        let placed = try await OrderTests.order(
            api, token: buyer, lines: [(fish, 1), (honey, 1)], method: method, commune: commune)
        guard placed.status == .created else { throw TestFailure("order: \(placed.status) \(placed.text)") }
        var tracking: [String] = []
        let packages = placed.json["packages"] as? [[String: Any]] ?? []
        for package in packages.sorted(by: {
            ($0["items_total_vnd"] as? Int ?? 0) < ($1["items_total_vnd"] as? Int ?? 0)
        }) {
            let id = try #require(package["id"] as? String)
            let producer = (package["supplier_id"] as? String) == world.supplier ? world.producer : honeyProducer
            try await world.expect(.post, "/v1/packages/\(id)/accept", producer, status: .ok)
            let ready = try await world.expect(.post, "/v1/packages/\(id)/ready", producer, status: .ok)
            tracking.append(try #require(ready.json["tracking_no"] as? String))
            try await api.readiedEarlier(tracking[tracking.count - 1])
        }
        var order = placed.json
        order["buyer_token"] = buyer
        return (order, tracking)
    }

    @discardableResult
    func scan(
        _ trackingNo: String, _ type: String, by token: String? = nil, at: Date = Date(), extra: [String: Any] = [:],
        id: String = UUID().uuidString, status: HTTPResponse.Status? = nil
    ) async throws -> TestAPI.Reply {
        var body: [String: Any] = [
            "client_event_id": id, "type": type, "occurred_at": ISO8601DateFormatter().string(from: at),
        ]
        body.merge(extra) { _, new in new }
        let reply = try await api.request(
            .post, "/v1/shipments/\(trackingNo)/events", token: token ?? couriers[0].token, json: body)
        if let status, reply.status != status {
            throw TestFailure("scan \(type) \(trackingNo): expected \(status), got \(reply.status) \(reply.text)")
        }
        return reply
    }

    func plan(_ kind: String = "pickup", day: String = today, shift: String = "morning", token: String? = nil)
        async throws -> TestAPI.Reply
    {
        try await api.request(
            .post, "/v1/post-offices/\(office)/\(kind)-schedules", token: token ?? clerk,
            json: ["service_on": day, "shift": shift])
    }

    static var today: String { BusinessDay.string(for: Date()) }
    static var tomorrow: String { BusinessDay.string(for: Date().addingTimeInterval(86400)) }

    /// Every (tracking number → stop id) of a schedule's JSON.
    static func stops(of schedule: [String: Any]) -> [String: String] {
        var result: [String: String] = [:]
        for route in schedule["routes"] as? [[String: Any]] ?? [] {
            for stop in route["stops"] as? [[String: Any]] ?? [] {
                for tracking in stop["tracking_numbers"] as? [String] ?? [] {
                    result[tracking] = stop["id"] as? String
                }
            }
        }
        return result
    }
}

extension TestAPI {
    /// Scans may not be dated before their parcel was ready (issue 16); tests date their scans up to a
    /// few hours back, so their parcels were readied earlier still.
    func readiedEarlier(_ trackingNo: String, by interval: TimeInterval = 2 * 86400) async throws {
        try await db.query(
            """
            UPDATE packages SET ready_at = ready_at - make_interval(secs => \(interval))
            WHERE tracking_no = \(trackingNo)
            """)
    }
}
