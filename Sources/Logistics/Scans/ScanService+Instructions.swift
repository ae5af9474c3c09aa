import Foundation
import Kernel
import Orders
import PostgresNIO

/// What the buyer or the seller says about a parcel held after a failed attempt (SPEC §5).
public enum DeliveryInstruction: Sendable, Equatable {
    /// Another attempt: on the next round, or from a given day (Asia/Ho_Chi_Minh).
    case redeliver(on: CalendarDay?)
    /// Back to the seller.
    case returnToSender
    /// Another attempt, at another address or phone (from the next round).
    case changeAddress(ShippingAddress)

    var type: ScanType { self == .returnToSender ? .returnRequested : .redeliveryRequested }

    /// How far ahead another attempt may be asked for.
    public static let maxDaysAhead = 14

    public static func validated(
        action: String, deliverOn: String?, address: ShippingAddress? = nil, today: CalendarDay
    ) throws(DomainError) -> DeliveryInstruction {
        var v = Validator()
        if action != "change_address" {
            v.check(address == nil, "address", "is only for change_address")
        }
        var day: CalendarDay?
        if let deliverOn {
            day = CalendarDay(deliverOn)
            if let parsed = day {
                v.check(
                    parsed >= today && parsed <= today.adding(days: maxDaysAhead), "deliver_on",
                    "must be from today to \(maxDaysAhead) days ahead")
            } else {
                v.fail("deliver_on", "must be a date YYYY-MM-DD")
            }
        }
        switch action {
        case "redeliver":
            try v.done()
            return .redeliver(on: day)
        case "return":
            v.check(deliverOn == nil, "deliver_on", "is only for redeliver")
            try v.done()
            return .returnToSender
        case "change_address":
            v.check(deliverOn == nil, "deliver_on", "is only for redeliver")
            guard var address else {
                v.fail("address", "is required for change_address")
                try v.done()
                return .returnToSender
            }
            v.text(address.recipientName, "address.recipient_name", max: 100)
            address.phone = v.phone(address.phone, "address.phone") ?? address.phone
            v.check(Validator.isDigits(address.provinceCode, count: 2), "address.province_code", "must be 2 digits")
            v.check(Validator.isDigits(address.communeCode, count: 5), "address.commune_code", "must be 5 digits")
            v.text(address.addressLine, "address.address_line", max: 200)
            try v.done()
            return .changeAddress(address)
        default:
            v.fail("action", "must be redeliver, change_address or return")
            try v.done()
            return .returnToSender
        }
    }
}

extension ScanService {
    /// Records an instruction for a held parcel, in its history like a scan: another attempt puts it
    /// back in the delivery pool (from `on`, if given), a return sends it back. The buyer of the
    /// order and the seller's producers may give one; anybody else finds no such package.
    public func instruct(package id: UUID, _ instruction: DeliveryInstruction, caller: Caller, now: Date = Date())
        async throws -> ScanResult
    {
        let principal = try caller.signedIn()
        try principal.require(.buyer, .producer)
        return try await db.withTransaction(logger: logger) { connection in
            let rows = try await connection.query(
                """
                SELECT p.tracking_no, o.buyer_id, p.supplier_id FROM packages p JOIN orders o ON o.id = p.order_id
                WHERE p.id = \(id)
                """,
                logger: logger
            ).collect().decode((String?, UUID, UUID).self)
            guard let (tracking, buyer, supplier) = rows.first,
                principal.userID == buyer || principal.actsFor(supplier: supplier)
            else { throw DomainError.notFound("No package with this id.") }
            guard let tracking else {
                throw DomainError.conflict(
                    kind: "invalid-transition", detail: "The package has not been handed to the post office.",
                    currentState: "not_shipped")
            }
            let parcel = try await lock(tracking, on: connection)
            // Happened in whole seconds, as scans' times travel; arrived now, so that a scan stamped with
            // the same second as the instruction sorts by arrival, after whatever arrived before it.
            let happened = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
            let recorded = try await events(of: parcel.id, on: connection)
            let scan = RecordedScan(
                id: UUID(), type: instruction.type, occurredAt: happened, receivedAt: now, postOfficeID: nil,
                applied: false)
            let admission = ScanHistory.admit(
                scan, to: recorded, from: ParcelState(status: .readyForPickup), maxAttempts: maxAttempts)
            // Instructions are about now: one that does not fit the parcel as it stands is refused, never kept.
            guard case .applied(let replay, let newlyApplied) = admission else {
                let current = ScanHistory.replay(
                    recorded, from: ParcelState(status: .readyForPickup), maxAttempts: maxAttempts)
                throw DomainError.conflict(
                    kind: "invalid-transition",
                    detail: instruction == .returnToSender
                        ? "Parcel \(tracking) is \(current.state.status.rawValue): a return can be asked for only "
                            + "while it is held after a failed attempt, or waits for another attempt."
                        : "Parcel \(tracking) is \(current.state.status.rawValue): another attempt can be asked for "
                            + "only while it is held after a failed attempt.",
                    currentState: current.state.status.rawValue)
            }
            let input = ScanInput(clientEventID: UUID(), type: instruction.type, occurredAt: happened)
            try await insert(scan, input, parcel: parcel, by: principal.userID, applied: true, on: connection)
            try await apply(replay, newlyApplied: newlyApplied, parcel: parcel, on: connection)
            var changed: [String: String] = [:]
            switch instruction {
            case .redeliver(let day):
                try await CarrierColumns.setDeliverOn(
                    package: parcel.id, day: day?.description, on: connection, logger: logger)
            case .changeAddress(let address):
                changed = try await readdress(parcel, to: address, on: connection)
            case .returnToSender:
                break
            }
            try await AuditEntry(
                actorID: principal.userID, action: "parcel.\(instruction.type.rawValue)", entityType: "package",
                entityID: parcel.id.uuidString.lowercased(), requestID: caller.requestID,
                details: {
                    var details = ["tracking_no": tracking]
                    if case .redeliver(let day?) = instruction { details["deliver_on"] = day.description }
                    details.merge(changed) { _, new in new }
                    return details
                }()
            ).record(on: connection, logger: logger)
            return result(.applied, scan, input, parcel: parcel, state: replay.state)
        }
    }

    /// A new address for a held parcel: priced again (the COD carries the difference), and handed to the
    /// post office that serves the new commune, where it travels if that is another office (a courier scans
    /// it in there, then it joins that office's rounds).
    private func readdress(_ parcel: ParcelRow, to address: ShippingAddress, on connection: PostgresConnection)
        async throws -> [String: String]
    {
        let offices = try await connection.query(
            "SELECT post_office_id FROM post_office_communes WHERE commune_code = \(address.communeCode)",
            logger: logger
        ).collect().decode(UUID.self)
        guard let office = offices.first else {
            throw DomainError.invalid("address.commune_code", "is not served by any post office yet")
        }
        let price = try await OrderService.changeDestination(
            package: parcel.id, to: address, on: connection, logger: logger)
        try await CarrierColumns.setDeliveryOffice(package: parcel.id, office: office, on: connection, logger: logger)
        try await CarrierColumns.setDeliverOn(package: parcel.id, day: nil, on: connection, logger: logger)
        return [
            "commune_code": address.communeCode, "fee_difference_vnd": String(price.differenceVND),
            "delivery_post_office_id": office.uuidString.lowercased(),
        ]
    }
}
