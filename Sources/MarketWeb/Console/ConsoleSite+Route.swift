import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Kernel
import Logistics

/// One courier's day as the clerk sees it: the stops of each run in route order, on a map where they
/// have coordinates (Leaflet, vendored from Debian, drawn without tiles so it needs no network), and the
/// printable manifest the courier signs.
extension ConsoleSite {
    /// The CSP source that allows the printable manifest's one inline stylesheet and nothing else.
    static let manifestStyleHash =
        "sha256-" + Data(SHA256.hash(data: Data(ManifestHTML.stylesheet.utf8))).base64EncodedString()

    func route(_ session: WebSession, courier text: String?, day dayText: String?) async throws -> Response {
        try session.principal.require(.clerk)
        let (courier, day) = try await routeCourier(session, courier: text, day: dayText)
        let manifest = try await services.manifests.manifest(courier: courier.id, on: day, caller: session.caller)
        let office = try await services.postOffices.get(courier.postOfficeID)
        let schedules = try await services.scheduler.list(
            postOffice: courier.postOfficeID, on: day, caller: session.caller)
        // The map's points: the office, then each run's stops in order (the scheduler's coordinates).
        let mapRuns: [[String: Any]] = schedules.compactMap { schedule in
            guard let route = schedule.routes.first(where: { $0.courierID == courier.id }) else { return nil }
            return [
                "label": Self.runLabel(schedule.kind, schedule.shift),
                "stops": route.stops.sorted { $0.sequence < $1.sequence }.map {
                    ["sequence": $0.sequence, "name": $0.name, "lat": $0.location.lat, "lon": $0.location.lon]
                },
            ]
        }
        let map: [String: Any] = [
            "office": ["name": office.name, "lat": office.location.lat, "lon": office.location.lon], "runs": mapRuns,
        ]
        let mapJSON = (try? JSONSerialization.data(withJSONObject: map, options: [.sortedKeys])).flatMap {
            String(data: $0, encoding: .utf8)
        }
        let runs: [[String: Any]] = manifest.runs.filter { !$0.stops.isEmpty }.map { run in
            var item: [String: Any] = [
                "label": Self.runLabel(run.kind, run.shift), "distance": Self.kilometres(run.routeMeters),
                "weight": VietnameseFormat.weight(grams: run.totalGrams), "parcels": run.parcelCount,
                "stops": run.stops.map { stop in
                    var item: [String: Any] = [
                        "sequence": stop.sequence, "name": stop.name,
                        "address": [stop.addressLine, stop.communeName].filter { !$0.isEmpty }.joined(separator: ", "),
                        "parcels": stop.parcels.map { parcel in
                            var item: [String: Any] = [
                                "tracking": parcel.trackingNo,
                                "weight": VietnameseFormat.weight(grams: parcel.weightGrams),
                                "state": Self.states[parcel.status] ?? parcel.status,
                            ]
                            if parcel.codVND > 0 && run.kind == .delivery {
                                item["cod"] = VietnameseFormat.money(parcel.codVND)
                            }
                            return item
                        },
                    ]
                    if !stop.phone.isEmpty {
                        item["phone"] = stop.phone
                        item["phoneShown"] = VietnameseFormat.phone(stop.phone)
                    }
                    return item
                },
            ]
            if run.codToCollectVND > 0 { item["cod"] = VietnameseFormat.money(run.codToCollectVND) }
            return item
        }
        var values: [String: Any] = [
            "user": session.header, "courier": courier.displayName, "office": office.name,
            "officeID": office.id.uuidString.lowercased(), "day": day, "dayShown": VietnameseFormat.date(isoDay: day),
            "runs": runs, "print": "/console/lo-trinh/\(courier.id.uuidString.lowercased())/\(day)/in",
        ]
        if !mapRuns.isEmpty, let mapJSON { values["map"] = mapJSON }
        return render("route", values)
    }

    /// The manifest as the courier prints and signs it (the same sheet the API gives as text/html).
    func printableManifest(_ session: WebSession, courier text: String?, day dayText: String?) async throws
        -> Response
    {
        try session.principal.require(.clerk)
        let (courier, day) = try await routeCourier(session, courier: text, day: dayText)
        let manifest = try await services.manifests.manifest(courier: courier.id, on: day, caller: session.caller)
        return PageResponse.printable(ManifestHTML.render(manifest), inlineStyleHash: Self.manifestStyleHash)
    }

    private func routeCourier(_ session: WebSession, courier text: String?, day: String?) async throws
        -> (Courier, String)
    {
        guard let text, let id = UUID(uuidString: text) else { throw DomainError.notFound("No courier with this id.") }
        return (try await clerksCourier(session, id: id), try Self.day(day))
    }

    /// A courier of one of the clerk's offices. The store lets a courier read himself, but these pages
    /// are the clerk's: anyone else gets "not found".
    func clerksCourier(_ session: WebSession, id: UUID) async throws -> Courier {
        let courier = try await services.couriers.get(id, caller: session.caller)
        guard session.principal.worksAt(postOffice: courier.postOfficeID, as: .clerk) else {
            throw DomainError.notFound("No courier with this id.")
        }
        return courier
    }
}
