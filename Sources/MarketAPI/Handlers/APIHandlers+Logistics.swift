import Catalog
import Foundation
import Kernel
import Logistics
import OpenAPIRuntime
import Orders

extension APIHandlers {
    func listPostOffices(_ input: Operations.ListPostOffices.Input) async throws -> Operations.ListPostOffices.Output {
        if let code = input.query.provinceCode, !Validator.isDigits(code, count: 2) {
            throw DomainError.invalid("province_code", "must be 2 digits")
        }
        let offices = try await postOffices.list(provinceCode: input.query.provinceCode)
        return .ok(.init(body: .json(.init(items: offices.map(\.schema), nextCursor: nil))))
    }

    func createPostOffice(_ input: Operations.CreatePostOffice.Input) async throws -> Operations.CreatePostOffice.Output
    {
        let caller = try signedIn()
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let office = try await postOffices.create(
            PostOfficeInput(
                code: b.code, name: b.name, provinceCode: b.provinceCode, communeCode: b.communeCode,
                addressLine: b.addressLine, lat: b.lat, lon: b.lon, phone: b.phone, isSortingHub: b.isSortingHub),
            caller: caller)
        return .created(.init(body: .json(office.schema)))
    }

    func getPostOffice(_ input: Operations.GetPostOffice.Input) async throws -> Operations.GetPostOffice.Output {
        let id = try parseID(input.path.postOfficeId, "post office")
        return .ok(.init(body: .json(try await postOffices.get(id).schema)))
    }

    func updatePostOffice(_ input: Operations.UpdatePostOffice.Input) async throws -> Operations.UpdatePostOffice.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.postOfficeId, "post office")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let office = try await postOffices.update(
            id,
            PostOfficeInput(
                code: b.code, name: b.name, provinceCode: b.provinceCode, communeCode: b.communeCode,
                addressLine: b.addressLine, lat: b.lat, lon: b.lon, phone: b.phone, isActive: b.isActive,
                isSortingHub: b.isSortingHub),
            caller: caller)
        return .ok(.init(body: .json(office.schema)))
    }

    func setPostOfficeCommunes(_ input: Operations.SetPostOfficeCommunes.Input) async throws
        -> Operations.SetPostOfficeCommunes.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.postOfficeId, "post office")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        return .ok(.init(body: .json(try await postOffices.setCommunes(id, b.communes, caller: caller).schema)))
    }

    func listCouriers(_ input: Operations.ListCouriers.Input) async throws -> Operations.ListCouriers.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.postOfficeId, "post office")
        let couriers = try await courierStore.list(postOffice: id, caller: caller)
        return .ok(.init(body: .json(.init(items: couriers.map(\.schema), nextCursor: nil))))
    }

    func addCourier(_ input: Operations.AddCourier.Input) async throws -> Operations.AddCourier.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.postOfficeId, "post office")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        guard let userID = UUID(uuidString: b.userId) else { throw DomainError.invalid("user_id", "must be a UUID") }
        let courier = try await courierStore.add(
            userID: userID, postOffice: id,
            CourierInput(maxStops: b.maxStops, maxGrams: b.maxGrams, isActive: b.isActive), caller: caller)
        return .created(.init(body: .json(courier.schema)))
    }

    func getCourier(_ input: Operations.GetCourier.Input) async throws -> Operations.GetCourier.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.courierId, "courier")
        return .ok(.init(body: .json(try await courierStore.get(id, caller: caller).schema)))
    }

    func updateCourier(_ input: Operations.UpdateCourier.Input) async throws -> Operations.UpdateCourier.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.courierId, "courier")
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let courier = try await courierStore.update(
            id, CourierInput(maxStops: b.maxStops, maxGrams: b.maxGrams, isActive: b.isActive), caller: caller)
        return .ok(.init(body: .json(courier.schema)))
    }

    func planPickups(_ input: Operations.PlanPickups.Input) async throws -> Operations.PlanPickups.Output {
        let caller = try signedIn()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let (schedule, first) = try await plan(.pickup, office: input.path.postOfficeId, body, caller: caller)
        return first ? .created(.init(body: .json(schedule))) : .ok(.init(body: .json(schedule)))
    }

    func planDeliveries(_ input: Operations.PlanDeliveries.Input) async throws -> Operations.PlanDeliveries.Output {
        let caller = try signedIn()
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let (schedule, first) = try await plan(.delivery, office: input.path.postOfficeId, body, caller: caller)
        return first ? .created(.init(body: .json(schedule))) : .ok(.init(body: .json(schedule)))
    }

    /// Plans (or plans again) a day and shift; `first` when this made the plan (201).
    private func plan(
        _ kind: RunKind, office: String, _ body: Components.Schemas.ScheduleRequest, caller: Caller
    ) async throws -> (schedule: Components.Schemas.Schedule, first: Bool) {
        let id = try parseID(office, "post office")
        let schedule = try await scheduler.plan(
            postOffice: id, on: body.serviceOn, shift: body.shift == .morning ? .morning : .afternoon, kind: kind,
            caller: caller)
        return (schedule.schema, schedule.revision == 1)
    }

    func listSchedules(_ input: Operations.ListSchedules.Input) async throws -> Operations.ListSchedules.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.postOfficeId, "post office")
        let schedules = try await scheduler.list(postOffice: id, on: input.query.serviceOn, caller: caller)
        return .ok(.init(body: .json(.init(items: schedules.map(\.schema), nextCursor: nil))))
    }

    func getManifest(_ input: Operations.GetManifest.Input) async throws -> Operations.GetManifest.Output {
        let caller = try signedIn()
        let id = try parseID(input.path.courierId, "courier")
        let manifest = try await manifests.manifest(courier: id, on: input.path.serviceOn, caller: caller)
        switch preferred(input.headers.accept) {
        case .csv: return .ok(.init(body: .csv(HTTPBody(ManifestCSV.render(manifest)))))
        case .html: return .ok(.init(body: .html(HTTPBody(ManifestHTML.render(manifest)))))
        default: return .ok(.init(body: .json(manifest.schema)))
        }
    }

    func recordScan(_ input: Operations.RecordScan.Input) async throws -> Operations.RecordScan.Output {
        let caller = try signedIn()
        guard case .json(let b) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        var v = Validator()
        let clientEventID = UUID(uuidString: b.clientEventId)
        v.check(clientEventID != nil, "client_event_id", "must be a UUID")
        let office = b.postOfficeId.flatMap(UUID.init(uuidString:))
        v.check(b.postOfficeId == nil || office != nil, "post_office_id", "must be a UUID")
        try v.done()
        guard let clientEventID, let type = ScanType(rawValue: b._type.rawValue) else {
            throw DomainError.invalid("type", "is not a scan type")
        }
        let result = try await scans.record(
            trackingNo: input.path.trackingNo,
            ScanInput(
                clientEventID: clientEventID, type: type, occurredAt: b.occurredAt, postOfficeID: office,
                reasonCode: b.reasonCode.flatMap { FailureReason(rawValue: $0.rawValue) }, reason: b.reason,
                codCollectedVND: b.codCollectedVnd, recipientName: b.recipientName, deliveryCode: b.deliveryCode),
            caller: caller)
        switch result.outcome {
        case .applied: return .created(.init(body: .json(result.schema)))
        case .waiting: return .accepted(.init(body: .json(result.schema)))
        case .replayed: return .ok(.init(body: .json(result.schema)))
        }
    }

    func instructDelivery(_ input: Operations.InstructDelivery.Input) async throws
        -> Operations.InstructDelivery.Output
    {
        let caller = try signedIn()
        let id = try parseID(input.path.packageId, "package")
        guard case .json(let body) = input.body else { throw DomainError.invalid("body", "must be JSON") }
        let instruction = try DeliveryInstruction.validated(
            action: body.action.rawValue, deliverOn: body.deliverOn,
            address: body.address.map {
                ShippingAddress(
                    recipientName: $0.recipientName, phone: $0.phone, provinceCode: $0.provinceCode,
                    communeCode: $0.communeCode, addressLine: $0.addressLine)
            }, today: CalendarDay.today())
        return .ok(.init(body: .json(try await scans.instruct(package: id, instruction, caller: caller).schema)))
    }

    func trackParcel(_ input: Operations.TrackParcel.Input) async throws -> Operations.TrackParcel.Output {
        .ok(.init(body: .json(try await tracking.track(input.path.trackingNo).schema)))
    }

    func reissueDeliveryCode(_ input: Operations.ReissueDeliveryCode.Input) async throws
        -> Operations.ReissueDeliveryCode.Output
    {
        _ = try RequestScope.requirePrincipal()
        try await scans.reissueDeliveryCode(trackingNo: input.path.trackingNo, caller: caller)
        return .noContent(.init())
    }
}

/// The representation the client ranks highest among those an operation offers (the first of equals);
/// nil without an `Accept` header, which means JSON everywhere here.
func preferred<T: AcceptableProtocol>(_ accept: [AcceptHeaderContentType<T>]) -> T? {
    accept.max { $0.quality.doubleValue < $1.quality.doubleValue }?.contentType
}
