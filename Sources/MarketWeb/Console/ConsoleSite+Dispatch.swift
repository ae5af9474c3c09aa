import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// The clerk's dispatch desk: the office's couriers and their capacity, the day's pickup and delivery
/// runs as the scheduler planned them (planned again on demand), and each courier's route. Every
/// read and write is the scheduler's and the courier store's, with their office scope.
extension ConsoleSite {
    /// The offices whose dispatch this user works (a clerk's own; every office for an admin), sorted
    /// by name, and the one the page shows.
    func dispatchOffices(_ session: WebSession, chosen: String?) async throws -> (all: [PostOffice], office: PostOffice)
    {
        try session.principal.require(.clerk)
        let offices = try await services.postOffices.list(provinceCode: nil)
            .filter { session.principal.worksAt(postOffice: $0.id, as: .clerk) }
            .sorted { VietnameseOrder.precedes($0.name, $1.name) }
        if let chosen {
            guard let id = UUID(uuidString: chosen), let office = offices.first(where: { $0.id == id }) else {
                throw DomainError.notFound("No post office with this id.")
            }
            return (offices, office)
        }
        guard let first = offices.first else { throw DomainError.notFound("No post office for this clerk.") }
        return (offices, first)
    }

    /// The office picker of a page for a clerk of several offices (nothing for a clerk of one).
    static func officeChoice(_ offices: [PostOffice], chosen: PostOffice) -> [String: Any] {
        guard offices.count > 1 else { return [:] }
        return [
            "hasOffices": true,
            "offices": offices.map { item in
                var option: [String: Any] = ["id": item.id.uuidString.lowercased(), "name": item.name]
                if item.id == chosen.id { option["selected"] = true }
                return option
            },
        ]
    }

    /// `ngay` as the form sends it (yyyy-MM-dd), today when absent.
    static func day(_ text: String?) throws(DomainError) -> String {
        guard let text, !text.isEmpty else { return BusinessDay.string(for: Date()) }
        guard BusinessDay.start(of: text) != nil else { throw .invalid("service_on", "must be a date") }
        return text
    }

    static func runLabel(_ kind: RunKind, _ shift: Shift) -> String {
        (kind == .pickup ? "Chuyến lấy hàng, " : "Chuyến phát, ") + (shift == .morning ? "ca sáng" : "ca chiều")
    }

    func dispatch(_ session: WebSession, office chosen: String?, day text: String?, result: String?) async throws
        -> Response
    {
        let (offices, office) = try await dispatchOffices(session, chosen: chosen)
        let day = try Self.day(text)
        let officeID = office.id.uuidString.lowercased()
        let couriers = try await services.couriers.list(postOffice: office.id, caller: session.caller)
            .sorted { VietnameseOrder.precedes($0.displayName, $1.displayName) }
        let schedules = try await services.scheduler.list(postOffice: office.id, on: day, caller: session.caller)
        let runs: [[String: Any]] = schedules.sorted {
            ($0.kind == .pickup ? 0 : 1, $0.shift) < ($1.kind == .pickup ? 0 : 1, $1.shift)
        }
        .map { schedule in
            var run: [String: Any] = [
                "label": Self.runLabel(schedule.kind, schedule.shift),
                "planned": VietnameseFormat.dateTime(schedule.plannedAt), "revision": schedule.revision,
                "routes": schedule.routes.map { route in
                    [
                        "courier": route.courierName, "stops": route.stops.count,
                        "parcels": route.stops.reduce(0) { $0 + $1.trackingNumbers.count },
                        "weight": VietnameseFormat.weight(grams: route.grams),
                        "distance": Self.kilometres(route.meters),
                        "href": "/console/lo-trinh/\(route.courierID.uuidString.lowercased())/\(day)",
                    ] as [String: Any]
                },
            ]
            if !schedule.routes.isEmpty { run["hasRoutes"] = true }
            if !schedule.overflow.isEmpty {
                run["hasOverflow"] = true
                run["overflow"] = schedule.overflow.map { ["tracking": $0.trackingNo, "stop": $0.stopName] }
                let next = schedule.rollsTo
                run["rollsTo"] =
                    (next.shift == .morning ? "ca sáng " : "ca chiều ")
                    + VietnameseFormat.date(isoDay: next.serviceOn)
            }
            return run
        }
        var values: [String: Any] = [
            "user": session.header, "csrf": session.csrf, "office": office.name, "officeID": officeID, "day": day,
            "dayShown": VietnameseFormat.date(isoDay: day), "runs": runs,
            "couriers": couriers.map { courier in
                var item: [String: Any] = [
                    "id": courier.id.uuidString.lowercased(), "name": courier.displayName,
                    "maxStops": courier.maxStops, "maxKg": Self.kilograms(courier.maxGrams), "csrf": session.csrf,
                    "officeID": officeID, "day": day,
                ]
                if courier.isActive { item["active"] = true }
                if let phone = courier.phone, !phone.isEmpty {
                    item["phone"] = phone
                    item["phoneShown"] = VietnameseFormat.phone(phone)
                }
                return item
            },
        ]
        values.merge(Self.officeChoice(offices, chosen: office)) { $1 }
        switch result {
        case "da-lap": values["notice"] = "Đã lập chuyến. Bưu tá thấy bảng kê mới khi mở lại trang của mình."
        case "da-luu": values["notice"] = "Đã lưu năng lực của bưu tá; lần lập chuyến sau sẽ theo số mới."
        default: break
        }
        return render("dispatch", values)
    }

    /// Plans (or plans again) a run, then back to the day's runs.
    func planRun(_ session: WebSession, fields: FormBody) async throws -> Response {
        let (_, office) = try await dispatchOffices(session, chosen: fields["buu-cuc"])
        let day = try Self.day(fields["ngay"])
        guard let shift = Shift(rawValue: fields["ca"] ?? ""), let kind = RunKind(rawValue: fields["loai"] ?? "")
        else { throw DomainError.invalid("shift", "must be morning or afternoon, pickup or delivery") }
        _ = try await services.scheduler.plan(
            postOffice: office.id, on: day, shift: shift, kind: kind, caller: session.caller)
        return PageResponse.redirect(
            to: "/console/dieu-phoi?buu-cuc=\(office.id.uuidString.lowercased())&ngay=\(day)&ket-qua=da-lap")
    }

    /// A courier's capacity (stops and kilograms per run) and whether it takes runs.
    func saveCourier(_ session: WebSession, id text: String?, fields: FormBody) async throws -> Response {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No courier with this id.") }
        let kilograms = fields["kg-toi-da"].flatMap { Double($0.replacingOccurrences(of: ",", with: ".")) }
        var v = Validator()
        let stops = Int(fields["diem-toi-da"] ?? "")
        v.check(stops != nil, "max_stops", "must be a whole number")
        v.check(kilograms.map { $0.isFinite && $0 > 0 && $0 <= 10_000 } ?? false, "max_grams", "must be a weight")
        try v.done()
        let courier = try await services.couriers.update(
            id,
            CourierInput(
                maxStops: stops, maxGrams: kilograms.map { Int(($0 * 1000).rounded()) },
                isActive: fields["hoat-dong"] == "1"),
            caller: session.caller)
        let day = (try? Self.day(fields["ngay"])) ?? BusinessDay.string(for: Date())
        return PageResponse.redirect(
            to: "/console/dieu-phoi?buu-cuc=\(courier.postOfficeID.uuidString.lowercased())&ngay=\(day)&ket-qua=da-luu")
    }

    static func kilometres(_ meters: Int) -> String {
        let tenths = (meters + 50) / 100
        return "\(tenths / 10),\(tenths % 10) km"
    }

    static func kilograms(_ grams: Int) -> String {
        grams % 1000 == 0 ? "\(grams / 1000)" : String(format: "%.1f", Double(grams) / 1000)
    }
}
